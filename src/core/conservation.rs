//! The conservation check (design §2): every copy ever created is in exactly one place
//! (in flight, ready, unacked, being processed after auto-ack) or was acked or dropped.
//! The check recomputes the live counts from the engine's containers, not from its
//! running counters, and cross-checks both against each copy's own state.

use crate::core::engine::agenda::Action;
use crate::core::engine::Simulation;
use crate::core::message::CopyState;
use crate::core::scenario::AckMode;
use serde::Serialize;

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
    /// Copies unacked (recounted from consumers).
    pub unacked: u64,
    /// Auto-acked copies still being handled.
    pub processing: u64,
    /// Copies acked.
    pub acked: u64,
    /// Copies dropped.
    pub dropped: u64,
    /// What did not add up, if anything.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

impl Simulation {
    /// Recomputes where every copy is and checks the books balance.
    pub fn check_conservation(&self) -> ConservationReport {
        let mut problems = Vec::new();
        let mut seen = vec![false; self.slots.len()];
        let mut mark = |slot: u32, where_: &str, problems: &mut Vec<String>| match seen
            .get_mut(slot as usize)
        {
            Some(s) if !*s => *s = true,
            Some(_) => problems.push(format!("copy slot {slot} is in two places ({where_})")),
            None => problems.push(format!("slot {slot} out of range ({where_})")),
        };

        let mut ready = 0u64;
        for (q, state) in self.queues.iter().enumerate() {
            let mut bytes = 0;
            for slot in state.ready.iter() {
                mark(slot, "ready", &mut problems);
                ready += 1;
                match self.slots.get(slot as usize).and_then(|s| s.as_ref()) {
                    Some(c) if c.state == CopyState::Ready(q as u32) => bytes += c.size(),
                    _ => problems.push(format!(
                        "ready slot {slot} of queue {q} is not marked ready there"
                    )),
                }
            }
            if bytes != state.ready_bytes {
                problems.push(format!(
                    "queue {q}: ready bytes {} but counted {bytes}",
                    state.ready_bytes
                ));
            }
            if state.ready.len() as u64 != state.ready.iter().count() as u64 {
                problems.push(format!("queue {q}: ready length is off"));
            }
        }

        let mut unacked = 0u64;
        let mut processing = 0u64;
        let mut unacked_by_queue = vec![0u64; self.queues.len()];
        for (c, state) in self.consumers.iter().enumerate() {
            let auto = self.topo.consumers[c].spec.ack == AckMode::Auto;
            for (i, &slot) in state.held.iter().enumerate() {
                mark(slot, "held by a consumer", &mut problems);
                match self.slots.get(slot as usize).and_then(|s| s.as_ref()) {
                    Some(copy) => {
                        if copy.held_at as usize != i {
                            problems.push(format!("slot {slot}: held index is stale"));
                        }
                        match copy.state {
                            CopyState::Unacked { queue, consumer }
                                if !auto && consumer as usize == c =>
                            {
                                unacked += 1;
                                unacked_by_queue[queue as usize] += 1;
                            }
                            CopyState::Processing { consumer }
                                if auto && consumer as usize == c =>
                            {
                                processing += 1
                            }
                            other => problems
                                .push(format!("slot {slot} held by consumer {c} is {other:?}")),
                        }
                    }
                    None => problems.push(format!("consumer {c} holds a freed slot {slot}")),
                }
            }
        }
        for (q, state) in self.queues.iter().enumerate() {
            if state.unacked != unacked_by_queue[q] {
                problems.push(format!(
                    "queue {q}: unacked counter {} but {} held",
                    state.unacked, unacked_by_queue[q]
                ));
            }
        }

        let mut in_flight_agenda = 0u64;
        for action in self.agenda_actions() {
            if let Action::ArriveExchange { slot, .. } | Action::ArriveQueue { slot, .. } = action {
                mark(slot, "in flight", &mut problems);
                in_flight_agenda += 1;
                match self.slots.get(slot as usize).and_then(|s| s.as_ref()) {
                    Some(c) if c.state == CopyState::InFlight => {}
                    _ => problems.push(format!("in-flight slot {slot} is not marked in flight")),
                }
            }
        }

        let live = self.slots.iter().filter(|s| s.is_some()).count() as u64;
        for (slot, s) in self.slots.iter().enumerate() {
            if s.is_some() && !seen[slot] {
                problems.push(format!("copy slot {slot} is live but nowhere"));
            }
        }
        let dropped: u64 = self.dropped.values().sum();
        let t = &self.totals;
        if live != ready + unacked + processing + in_flight_agenda {
            problems.push(format!(
                "{live} live copies but {ready} ready + {unacked} unacked + {processing} processing + {in_flight_agenda} in flight"
            ));
        }
        if t.copies != live + t.acked + dropped {
            problems.push(format!(
                "{} copies created but {live} live + {} acked + {dropped} dropped",
                t.copies, t.acked
            ));
        }
        if t.dropped != dropped {
            problems.push(format!(
                "dropped total {} but {dropped} by reason",
                t.dropped
            ));
        }
        ConservationReport {
            held: problems.is_empty(),
            created: t.copies,
            in_flight: in_flight_agenda,
            ready,
            unacked,
            processing,
            acked: t.acked,
            dropped,
            problems,
        }
    }
}
