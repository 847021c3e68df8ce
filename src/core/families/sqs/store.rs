//! One SQS queue's messages (design §2, "stores"): each message is visible, in flight
//! (received, invisible until its visibility timeout runs out or it is deleted) or
//! delayed (invisible until its delay ends). The store keeps them in a slab with a
//! send sequence, the visible ones in receive order, FIFO message groups with their
//! in-flight counts, the deduplication ids of the last five minutes, the retention
//! queue, and the ledger:
//! `sent = visible + in flight + delayed + deleted + moved out + expired + deduplicated`
//! (with `sent` counting messages moved in from elsewhere, by redrive).
//!
//! Timers carry a message's `token`; every receive, delete or visibility change bumps
//! it, so a stale timer is recognised and ignored (lazy cancellation).

use crate::core::kernel::time::SimTime;
use crate::core::model::message::MessageBody;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

/// Where a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Can be received.
    Visible,
    /// Received; invisible until `until` unless deleted first.
    InFlight {
        /// When it becomes visible again.
        until: SimTime,
        /// When it was received (its visibility may reach 12 hours from here).
        received_at: SimTime,
    },
    /// Sent with a delay; invisible until `until`.
    Delayed {
        /// When it becomes visible.
        until: SimTime,
    },
}

/// One message in a queue.
#[derive(Clone, Debug)]
pub struct SqsMessage {
    /// Body (payload), attributes (headers) and group id (key).
    pub body: Rc<MessageBody>,
    /// Position in the queue's send order.
    pub seq: u64,
    /// When it was first sent (retention counts from here, also in a dead-letter
    /// queue for a standard queue).
    pub sent_at: SimTime,
    /// Where it is.
    pub state: Visibility,
    /// Bumped on every receive and visibility change; timers carry it.
    pub token: u32,
    /// `ApproximateReceiveCount`.
    pub receive_count: u32,
    /// For a message moved to a dead-letter queue: the queue it came from (SQS index).
    pub source: Option<usize>,
}

/// A message's handle: slab index and send sequence (slots are reused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MsgRef {
    /// Slab index.
    pub idx: u32,
    /// Send sequence.
    pub seq: u64,
}

/// A queue's running totals (the ledger's flows and the report's figures).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SqsLedger {
    /// Messages accepted by SendMessage (or an SNS delivery), deduplicated ones
    /// included.
    pub sent: u64,
    /// Messages moved in from a source queue (dead-letter) or back by a redrive.
    pub moved_in: u64,
    /// Receives that returned a message (each time it is received).
    pub received: u64,
    /// Messages deleted.
    pub deleted: u64,
    /// Messages moved out to the dead-letter queue or redriven back.
    pub moved_out: u64,
    /// Messages deleted by the retention period.
    pub expired: u64,
    /// Sends accepted but not stored: a FIFO deduplication id seen within 5 minutes.
    pub deduplicated: u64,
    /// Visibility timeouts that ran out (a message visible again: a second delivery
    /// is coming).
    pub visibility_expired: u64,
    /// Deletes with a receipt handle that is no longer the latest (the message was
    /// received again meanwhile, or is gone): they succeed but delete nothing.
    pub stale_deletes: u64,
    /// Receives that returned nothing.
    pub empty_receives: u64,
    /// Sends refused (a FIFO send without a group id or deduplication id).
    pub refused: u64,
}

/// One queue's state.
#[derive(Clone, Debug, Default)]
pub struct SqsStore {
    slab: Vec<Option<SqsMessage>>,
    free: Vec<u32>,
    /// Visible messages in receive order (send sequence).
    visible: BTreeSet<(u64, u32)>,
    in_flight: u64,
    delayed: u64,
    /// FIFO: messages in flight per group (a group with any is blocked).
    groups_in_flight: BTreeMap<Rc<str>, u32>,
    /// FIFO: deduplication ids and when they stop counting.
    dedup: BTreeMap<Rc<str>, SimTime>,
    dedup_order: VecDeque<(SimTime, Rc<str>)>,
    /// Messages by retention deadline.
    pub(super) retention: VecDeque<(SimTime, MsgRef)>,
    /// When the pending retention timer fires, if one is pending.
    pub(super) retention_armed: Option<SimTime>,
    next_seq: u64,
    /// Totals.
    pub ledger: SqsLedger,
}

impl SqsStore {
    /// Visible messages.
    pub fn visible_len(&self) -> u64 {
        self.visible.len() as u64
    }
    /// In-flight messages.
    pub fn in_flight_len(&self) -> u64 {
        self.in_flight
    }
    /// Delayed messages.
    pub fn delayed_len(&self) -> u64 {
        self.delayed
    }

    /// The message `r`, if it is still there.
    pub fn get(&self, r: MsgRef) -> Option<&SqsMessage> {
        self.slab
            .get(r.idx as usize)?
            .as_ref()
            .filter(|m| m.seq == r.seq)
    }

    fn get_mut(&mut self, r: MsgRef) -> Option<&mut SqsMessage> {
        self.slab
            .get_mut(r.idx as usize)?
            .as_mut()
            .filter(|m| m.seq == r.seq)
    }

    /// Every message held with its handle, in send order (for `--messages`, the
    /// messages panel and a redrive).
    pub fn refs(&self) -> Vec<(MsgRef, &SqsMessage)> {
        let mut all: Vec<(MsgRef, &SqsMessage)> = self
            .slab
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let m = m.as_ref()?;
                Some((
                    MsgRef {
                        idx: i as u32,
                        seq: m.seq,
                    },
                    m,
                ))
            })
            .collect();
        crate::core::sort::sort_by_key(&mut all, |(r, _)| r.seq);
        all
    }

    /// Whether deduplication id `id` was seen within the window (FIFO); records it
    /// when not. Ids are kept after the message is deleted (queue scope, across
    /// groups).
    pub fn seen_dedup(&mut self, id: &Rc<str>, now: SimTime, window_us: u64) -> bool {
        while let Some((until, _)) = self.dedup_order.front() {
            if *until > now {
                break;
            }
            let (until, old) = self.dedup_order.pop_front().expect("front");
            if self.dedup.get(&old) == Some(&until) {
                self.dedup.remove(&old);
            }
        }
        if self.dedup.contains_key(id) {
            return true;
        }
        let until = now.plus(window_us);
        self.dedup.insert(id.clone(), until);
        self.dedup_order.push_back((until, id.clone()));
        false
    }

    /// Stores a message; it is visible now, or delayed until `visible_at`.
    #[allow(clippy::too_many_arguments)] // one message's whole starting state
    pub fn insert(
        &mut self,
        body: Rc<MessageBody>,
        now: SimTime,
        sent_at: SimTime,
        visible_at: Option<SimTime>,
        receive_count: u32,
        source: Option<usize>,
        retention_us: u64,
    ) -> MsgRef {
        let seq = self.next_seq;
        self.next_seq += 1;
        let state = match visible_at {
            Some(until) if until > now => Visibility::Delayed { until },
            _ => Visibility::Visible,
        };
        let msg = SqsMessage {
            body,
            seq,
            sent_at,
            state,
            token: 0,
            receive_count,
            source,
        };
        let idx = match self.free.pop() {
            Some(i) => {
                self.slab[i as usize] = Some(msg);
                i
            }
            None => {
                self.slab.push(Some(msg));
                (self.slab.len() - 1) as u32
            }
        };
        match state {
            Visibility::Visible => {
                self.visible.insert((seq, idx));
            }
            _ => self.delayed += 1,
        }
        let r = MsgRef { idx, seq };
        // Entries of messages already gone are dropped from the front as they
        // surface (deleted messages never wait for their retention deadline).
        while let Some(&(_, old)) = self.retention.front() {
            if self.get(old).is_some() {
                break;
            }
            self.retention.pop_front();
        }
        // In deadline order: a message moved here keeps its first send time (a
        // standard queue's), so its deadline may come before those already waiting.
        let deadline = sent_at.plus(retention_us);
        match self.retention.back() {
            Some(&(last, _)) if last > deadline => {
                let at = self.retention.partition_point(|&(d, _)| d <= deadline);
                self.retention.insert(at, (deadline, r));
            }
            _ => self.retention.push_back((deadline, r)),
        }
        r
    }

    /// The first `n` messages held, roughly in send order (for the canvas).
    pub fn glance(&self, n: usize) -> impl Iterator<Item = &SqsMessage> {
        self.retention
            .iter()
            .filter_map(|&(_, r)| self.get(r))
            .take(n)
    }

    /// Whether message group `group` has a message in flight (FIFO: blocked).
    fn blocked(&self, group: &Rc<str>) -> bool {
        self.groups_in_flight.get(group).is_some_and(|n| *n > 0)
    }

    /// The visible messages a receive of up to `max` would return, in order, appended
    /// to `out`: for a standard queue the oldest visible; for a FIFO queue as many as
    /// possible of the oldest group that is not blocked, then of the next such group.
    pub fn pick(&self, max: usize, fifo: bool, out: &mut Vec<MsgRef>) {
        let max = max + out.len();
        if !fifo {
            for &(seq, idx) in self.visible.iter().take(max - out.len()) {
                out.push(MsgRef { idx, seq });
            }
            return;
        }
        let mut groups: Vec<Rc<str>> = Vec::new();
        for &(_, idx) in &self.visible {
            let m = self.slab[idx as usize].as_ref().expect("visible message");
            let g = m
                .body
                .key
                .clone()
                .unwrap_or_else(crate::core::model::message::empty_text);
            if !self.blocked(&g) && !groups.contains(&g) {
                groups.push(g);
            }
        }
        for g in groups {
            for &(seq, idx) in &self.visible {
                if out.len() >= max {
                    return;
                }
                let m = self.slab[idx as usize].as_ref().expect("visible message");
                if m.body.key.as_deref().unwrap_or("") == &*g {
                    out.push(MsgRef { idx, seq });
                }
            }
        }
    }

    /// Marks `r` received at `now`: in flight until `until`; returns its new token and
    /// receive count.
    pub fn receive(&mut self, r: MsgRef, now: SimTime, until: SimTime) -> (u32, u32) {
        self.visible.remove(&(r.seq, r.idx));
        self.in_flight += 1;
        self.ledger.received += 1;
        let m = self.get_mut(r).expect("received message");
        m.state = Visibility::InFlight {
            until,
            received_at: now,
        };
        m.token = m.token.wrapping_add(1);
        m.receive_count += 1;
        let (token, count) = (m.token, m.receive_count);
        let group = m
            .body
            .key
            .clone()
            .unwrap_or_else(crate::core::model::message::empty_text);
        *self.groups_in_flight.entry(group).or_insert(0) += 1;
        (token, count)
    }

    /// Leaves the in-flight or delayed state for visible (a timer ran out, or a
    /// visibility change to 0). Returns true when it became visible.
    pub fn make_visible(&mut self, r: MsgRef) -> bool {
        let Some(m) = self.get_mut(r) else {
            return false;
        };
        let was = m.state;
        m.state = Visibility::Visible;
        let group = m
            .body
            .key
            .clone()
            .unwrap_or_else(crate::core::model::message::empty_text);
        match was {
            Visibility::Visible => return false,
            Visibility::InFlight { .. } => {
                self.in_flight -= 1;
                self.ledger.visibility_expired += 1;
                self.release_group(&group);
            }
            Visibility::Delayed { .. } => self.delayed -= 1,
        }
        self.visible.insert((r.seq, r.idx));
        true
    }

    fn release_group(&mut self, group: &Rc<str>) {
        if let Some(n) = self.groups_in_flight.get_mut(group) {
            *n -= 1;
            if *n == 0 {
                self.groups_in_flight.remove(group);
            }
        }
    }

    /// ChangeMessageVisibility: an in-flight message's timer restarts; returns its
    /// new token (none when it is not in flight with receipt `token`, or when `until`
    /// is more than `max_us` after it was received: "If you try to extend the
    /// visibility timeout beyond the maximum, your request is rejected",
    /// API_ChangeMessageVisibility).
    pub fn change_visibility(
        &mut self,
        r: MsgRef,
        token: u32,
        until: SimTime,
        max_us: u64,
    ) -> Option<u32> {
        let m = self.get_mut(r)?;
        let Visibility::InFlight { received_at, .. } = m.state else {
            return None;
        };
        if m.token != token || until.0.saturating_sub(received_at.0) > max_us {
            return None;
        }
        m.state = Visibility::InFlight { until, received_at };
        m.token = m.token.wrapping_add(1);
        Some(m.token)
    }

    /// Removes message `r` whatever its state; returns it.
    pub fn remove(&mut self, r: MsgRef) -> Option<SqsMessage> {
        self.get(r)?;
        let m = self.slab[r.idx as usize].take().expect("present");
        self.free.push(r.idx);
        match m.state {
            Visibility::Visible => {
                self.visible.remove(&(m.seq, r.idx));
            }
            Visibility::InFlight { .. } => {
                self.in_flight -= 1;
                let group = m
                    .body
                    .key
                    .clone()
                    .unwrap_or_else(crate::core::model::message::empty_text);
                self.release_group(&group);
            }
            Visibility::Delayed { .. } => self.delayed -= 1,
        }
        Some(m)
    }

    /// DeleteMessage with receipt `token`: deletes when it is the latest receipt of
    /// an in-flight message; otherwise the call succeeds and deletes nothing.
    pub fn delete(&mut self, r: MsgRef, token: u32) -> bool {
        let current = self
            .get(r)
            .is_some_and(|m| m.token == token && matches!(m.state, Visibility::InFlight { .. }));
        if current {
            self.remove(r);
            self.ledger.deleted += 1;
        } else {
            self.ledger.stale_deletes += 1;
        }
        current
    }

    /// What does not add up in the ledger, recounted from the slab.
    pub fn ledger_problem(&self) -> Option<String> {
        let (mut v, mut f, mut d) = (0u64, 0u64, 0u64);
        for m in self.slab.iter().flatten() {
            match m.state {
                Visibility::Visible => v += 1,
                Visibility::InFlight { .. } => f += 1,
                Visibility::Delayed { .. } => d += 1,
            }
        }
        if v != self.visible.len() as u64 || f != self.in_flight || d != self.delayed {
            return Some(format!(
                "counts {}/{}/{} but {v} visible, {f} in flight, {d} delayed in the slab",
                self.visible.len(),
                self.in_flight,
                self.delayed
            ));
        }
        let l = &self.ledger;
        let input = l.sent + l.moved_in;
        let output = v + f + d + l.deleted + l.moved_out + l.expired + l.deduplicated;
        if input != output {
            return Some(format!(
                "sent {} + moved in {} ≠ visible {v} + in flight {f} + delayed {d} + deleted {} + moved out {} + expired {} + deduplicated {}",
                l.sent, l.moved_in, l.deleted, l.moved_out, l.expired, l.deduplicated
            ));
        }
        None
    }
}
