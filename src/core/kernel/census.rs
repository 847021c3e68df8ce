//! The census (design §2, conservation): every parcel ever created is in exactly one
//! place or was settled (acked) or dropped with a reason. Each family claims the
//! parcels it holds ([`Census::claim`]) and checks its own ledger; the kernel claims
//! the parcels in flight on the agenda; [`Census::finish`] then requires that every
//! live parcel was claimed exactly once and that
//! `created = in flight + ready + unacked + processing + acked + dropped + stored`
//! (stored: parcels that became Kafka records, which the log's own ledger follows). The live
//! counts are recounted from the containers, never taken from running counters.

use crate::core::kernel::agenda::Action;
use crate::core::kernel::Kernel;
use crate::core::model::message::{Copy, CopyState};
use serde::Serialize;

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Result of a conservation check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConservationReport {
    /// True when every rule held.
    pub held: bool,
    /// Copies ever created.
    pub created: u64,
    /// Copies on an edge (recounted from the agenda).
    pub in_flight: u64,
    /// Copies ready in queues (recounted from the ready lists).
    pub ready: u64,
    /// Copies unacked (recounted from the subscribers' deliveries).
    pub unacked: u64,
    /// Auto-acked copies still being handled.
    pub processing: u64,
    /// Copies acked.
    pub acked: u64,
    /// Copies that became Kafka records.
    #[serde(skip_serializing_if = "is_zero")]
    pub stored: u64,
    /// Copies dropped.
    pub dropped: u64,
    /// What did not add up, if anything.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// A conservation check in progress.
pub struct Census<'a> {
    kernel: &'a Kernel,
    seen: Vec<bool>,
    /// What did not add up so far.
    pub problems: Vec<String>,
    /// Parcels ready in stores.
    pub ready: u64,
    /// Parcels delivered and not yet settled.
    pub unacked: u64,
    /// Parcels auto-acked and still being worked on.
    pub processing: u64,
    /// Parcels travelling.
    pub in_flight: u64,
}

impl<'a> Census<'a> {
    /// A census over `kernel`'s parcels.
    pub fn new(kernel: &'a Kernel) -> Census<'a> {
        Census {
            seen: vec![false; kernel.parcels.capacity()],
            kernel,
            problems: Vec::new(),
            ready: 0,
            unacked: 0,
            processing: 0,
            in_flight: 0,
        }
    }

    /// Claims the parcel in `slot` for `place`; returns it when it is live. A parcel
    /// claimed twice, or a slot out of range, is a problem.
    pub fn claim(&mut self, slot: u32, place: &str) -> Option<&'a Copy> {
        match self.seen.get_mut(slot as usize) {
            Some(s) if !*s => *s = true,
            Some(_) => self
                .problems
                .push(format!("copy slot {slot} is in two places ({place})")),
            None => self
                .problems
                .push(format!("slot {slot} out of range ({place})")),
        }
        self.kernel.parcels.try_get(slot)
    }

    /// Records a problem.
    pub fn problem(&mut self, text: String) {
        self.problems.push(text);
    }

    /// Claims the parcels travelling on the agenda (kernel-owned).
    pub fn claim_in_flight(&mut self) {
        let kernel = self.kernel;
        for action in kernel.agenda.actions() {
            if let Action::ArriveExchange { slot, .. }
            | Action::ArriveQueue { slot, .. }
            | Action::ArriveTopic { slot, .. }
            | Action::ArriveSqs { slot, .. }
            | Action::ArriveMoved { slot, .. }
            | Action::ArriveSns { slot, .. }
            | Action::ArrivePipe { slot, .. }
            | Action::ArriveService { slot, .. } = action
            {
                self.in_flight += 1;
                match self.claim(slot, "in flight") {
                    Some(c) if c.state == CopyState::InFlight => {}
                    _ => self
                        .problems
                        .push(format!("in-flight slot {slot} is not marked in flight")),
                }
            }
        }
    }

    /// Checks that every live parcel was claimed and that the totals add up.
    pub fn finish(mut self) -> ConservationReport {
        let k = self.kernel;
        let live = k.parcels.live();
        for slot in k.parcels.live_slots() {
            if !self.seen[slot as usize] {
                self.problems
                    .push(format!("copy slot {slot} is live but nowhere"));
            }
        }
        let dropped: u64 = k.dropped.values().sum();
        let t = &k.totals;
        let (ready, unacked, processing, in_flight) =
            (self.ready, self.unacked, self.processing, self.in_flight);
        if live != ready + unacked + processing + in_flight {
            self.problems.push(format!(
                "{live} live copies but {ready} ready + {unacked} unacked + {processing} processing + {in_flight} in flight"
            ));
        }
        if t.copies != live + t.acked + dropped + t.stored {
            self.problems.push(format!(
                "{} copies created but {live} live + {} acked + {dropped} dropped + {} stored",
                t.copies, t.acked, t.stored
            ));
        }
        if t.dropped != dropped {
            self.problems.push(format!(
                "dropped total {} but {dropped} by reason",
                t.dropped
            ));
        }
        ConservationReport {
            held: self.problems.is_empty(),
            created: t.copies,
            in_flight,
            ready,
            unacked,
            processing,
            acked: t.acked,
            stored: t.stored,
            dropped,
            problems: self.problems,
        }
    }
}
