//! Receiving: a worker's ReceiveMessage loop (seam `credit`), long and short polling,
//! visibility timers, moving a message to the dead-letter queue on the receive that
//! would exceed `maxReceiveCount`, settling (DeleteMessage or ChangeMessageVisibility;
//! seam `settle`), a worker going away (seam `abandon`: nothing returns until the
//! visibility timeouts run out), the script's own receive, delete and visibility
//! change, and redriving a dead-letter queue back.
//!
//! Sources: SQS API reference, ReceiveMessage (`MaxNumberOfMessages` 1–10,
//! `WaitTimeSeconds`, `VisibilityTimeout`), ChangeMessageVisibility (the timer
//! restarts from the call; 0 makes the message visible at once), DeleteMessage (only
//! the latest receipt handle deletes); SQS developer guide, "Amazon SQS visibility
//! timeout", "Amazon SQS short and long polling", "Using dead-letter queues", "FIFO
//! queue delivery logic" (a group with a message in flight returns nothing more).

use super::store::{MsgRef, Visibility};
use super::*;
use crate::core::families::rabbit::Settlement;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::time::ms_to_us;
use crate::core::model::events::EventKind;
use crate::core::model::motion::MotionKind;
use crate::core::scenario::{DeleteMode, MAX_VISIBILITY_MS};

/// A short poll that found nothing polls again after at least this long (µs).
pub const SHORT_POLL_MIN_US: u64 = 50_000;

impl Sqs {
    fn reader(&mut self, c: usize) -> &mut Reader {
        self.readers[c].as_mut().expect("an SQS reader")
    }

    /// Seam `credit`: worker `c` has room; it receives once its hands are empty.
    pub fn credit(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        self.poll(k, topo, c);
    }

    /// A ReceiveMessage by worker `c`, when it holds nothing.
    pub(super) fn poll(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        let r = self.reader(c);
        if !r.held.is_empty() || r.waiting {
            return;
        }
        let q = r.queue;
        let Some(info) = topo.consumers[c].receive.as_ref() else {
            return;
        };
        let spec = &info.spec;
        let mut taken = std::mem::take(&mut self.received);
        taken.clear();
        self.receive(
            k,
            topo,
            q,
            spec.max_messages as usize,
            spec.visibility_timeout_ms,
            Some(c),
            &mut taken,
        );
        if taken.is_empty() {
            self.received = taken;
            let wait_ms = spec.wait_ms.unwrap_or(topo.sqs[q].spec.receive_wait_ms);
            // A short poll returns empty now; a long poll only if its wait runs out
            // with nothing (`wait_over`): "NumberOfEmptyReceives: the number of
            // ReceiveMessage API calls that did not return a message" (SQS's
            // CloudWatch metrics), which long polling is there to cut.
            if wait_ms <= 0.0 {
                self.queues[q].ledger.empty_receives += 1;
            }
            let r = self.reader(c);
            r.waiting = true;
            r.wait_seq = r.wait_seq.wrapping_add(1);
            let epoch = r.wait_seq;
            let after = if wait_ms > 0.0 {
                self.waiting[q].push(c);
                // (Never a wait of no time, which would poll again at the same instant.)
                ms_to_us(wait_ms).max(1)
            } else {
                (2 * k.hop_us).max(SHORT_POLL_MIN_US)
            };
            k.agenda.push(
                k.now.plus(after),
                Action::ReceiveWait {
                    consumer: c as u32,
                    epoch,
                },
            );
            return;
        }
        let edge = info.edge;
        let r = self.reader(c);
        let epoch = r.epoch;
        for &(slot, msg, token) in &taken {
            r.held.push(Held { slot, msg, token });
            r.transit.push(slot);
            k.travel(edge);
            k.totals.hops += 1;
            let redelivered = k.copy(slot).redelivered;
            k.record_hop(slot, edge, MotionKind::Receive { redelivered });
        }
        self.received = taken;
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ReceiveArrive {
                consumer: c as u32,
                epoch,
            },
        );
    }

    /// Receives up to `max` visible messages of queue `q` for `by` (a worker, or the
    /// script): each becomes in flight with a new receipt and a copy; a message whose
    /// receive would exceed the redrive policy's `maxReceiveCount` moves to the
    /// dead-letter queue instead. Appends `(copy slot, message, receipt)` to `out`
    /// (empty when called).
    #[allow(clippy::too_many_arguments)] // the receive's parameters, and where it puts them
    pub(super) fn receive(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        max: usize,
        visibility_ms: Option<f64>,
        by: Option<usize>,
        out: &mut Vec<(u32, MsgRef, u32)>,
    ) {
        let info = &topo.sqs[q];
        let visibility = ms_to_us(visibility_ms.unwrap_or(info.spec.visibility_timeout_ms));
        let mut picked = std::mem::take(&mut self.picked);
        // A moved message frees room: pick again until full or nothing is left.
        loop {
            let room = max - out.len();
            picked.clear();
            self.queues[q].pick(room, info.spec.fifo, &mut picked);
            if picked.is_empty() {
                break;
            }
            let mut moved_any = false;
            for &r in &picked {
                let count = self.queues[q].get(r).map_or(0, |m| m.receive_count);
                if let Some((dlq, edge, max_count)) = info.dead_letter {
                    if count >= max_count {
                        self.move_message(k, topo, q, r, dlq, edge, false);
                        moved_any = true;
                        continue;
                    }
                }
                let until = k.now.plus(visibility);
                let (token, receive_count) = self.queues[q].receive(r, k.now, until);
                if receive_count > 1 {
                    k.totals.redelivered += 1;
                }
                k.agenda.push(
                    until,
                    Action::SqsTimer {
                        queue: q as u32,
                        idx: r.idx,
                        token,
                        seq: r.seq,
                    },
                );
                let body = self.queues[q].get(r).expect("received").body.clone();
                let message = body.id;
                let state = match by {
                    Some(c) => CopyState::Received { consumer: c as u32 },
                    None => CopyState::InFlight,
                };
                let copy = new_copy(k, body, state, info.name.clone(), receive_count);
                let slot = k.alloc(copy);
                let (id, node) = (k.copy(slot).id, info.node);
                let consumer = by.map(|c| topo.consumers[c].node);
                k.emit(|| EventKind::Received {
                    copy: id,
                    message,
                    queue: node,
                    consumer,
                    receive_count,
                });
                out.push((slot, r, token));
            }
            if !moved_any || out.len() >= max {
                break;
            }
        }
        self.picked = picked;
    }

    /// Moves message `r` of queue `q` along `edge` to queue `to` (dead-lettering, or a
    /// redrive back): a parcel travels and is stored on arrival.
    #[allow(clippy::too_many_arguments)] // the two queues, the edge and the direction
    pub(super) fn move_message(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        r: MsgRef,
        to: usize,
        edge: crate::core::model::ids::EdgeId,
        back: bool,
    ) {
        let Some(m) = self.queues[q].remove(r) else {
            return;
        };
        self.queues[q].ledger.moved_out += 1;
        let mut copy = new_copy(
            k,
            m.body.clone(),
            CopyState::InFlight,
            topo.sqs[q].name.clone(),
            m.receive_count,
        );
        copy.enqueued_at = m.sent_at;
        let slot = k.alloc(copy);
        let id = k.copy(slot).id;
        let (message, node, dead_letter) = (m.body.id, topo.sqs[q].node, topo.sqs[to].node);
        let receive_count = m.receive_count;
        k.emit(|| EventKind::MovedToDeadLetter {
            copy: id,
            message,
            queue: node,
            dead_letter,
            receive_count,
            redrive: back,
        });
        k.totals.hops += 1;
        // A move to the dead-letter queue is a dead-lettering, as RabbitMQ's is (a redrive
        // back is not).
        if !back {
            k.totals.dead_lettered += 1;
        }
        k.travel(edge);
        if back {
            k.record_hop_back(slot, edge, MotionKind::Redrive);
        } else {
            k.record_hop(slot, edge, MotionKind::Redrive);
        }
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArriveMoved {
                slot,
                queue: to as u32,
                from: q as u32,
            },
        );
    }

    /// A worker's received copies arrive; appends their slots to `out` (none when it
    /// went away meanwhile). Copies of a receive edge that deletes `before` processing are
    /// deleted now.
    pub fn take_receipts(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        c: usize,
        epoch: u32,
        out: &mut Vec<u32>,
    ) {
        let delete_before = topo.consumers[c]
            .receive
            .as_ref()
            .is_some_and(|r| r.spec.delete == DeleteMode::Before);
        let r = self.reader(c);
        if r.epoch != epoch {
            return;
        }
        let first = out.len();
        out.append(&mut r.transit);
        if delete_before {
            let held: Vec<Held> = r.held.clone();
            let q = r.queue;
            for h in held.iter().filter(|h| out[first..].contains(&h.slot)) {
                let (id, message) = (k.copy(h.slot).id, k.copy(h.slot).body.id);
                self.delete_receipt(k, topo, q, h.msg, h.token, Some(id), message);
            }
        }
    }

    /// DeleteMessage of `msg` in queue `q` with receipt `token`.
    #[allow(clippy::too_many_arguments)] // a receipt, and what the event names
    pub(super) fn delete_receipt(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        msg: MsgRef,
        token: u32,
        copy: Option<crate::core::model::ids::CopyId>,
        message: crate::core::model::ids::MessageId,
    ) -> bool {
        let deleted = self.queues[q].delete(msg, token);
        let node = topo.sqs[q].node;
        k.emit(|| EventKind::Deleted {
            copy,
            message,
            queue: node,
            stale: !deleted,
        });
        if deleted && topo.sqs[q].spec.fifo {
            // Its group may be unblocked.
            self.wake(k, topo, q);
        }
        deleted
    }

    /// Seam `settle`: worker `c` is done with its copy in `slot`. Ack: deleted (when
    /// its receive edge deletes after processing); requeue: visible again at once
    /// (ChangeMessageVisibility 0); reject: left to come back when its timeout runs
    /// out. The copy leaves (an ack is settled by the kernel; otherwise the queue still
    /// holds the message).
    pub fn settle(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        c: usize,
        slot: u32,
        how: Settlement,
    ) {
        if self.readers[c].is_none() {
            // An SNS push: nothing to settle with SNS.
            if let Some(i) = self.pushed[c].iter().position(|s| *s == slot) {
                self.pushed[c].swap_remove(i);
                if how != Settlement::Ack {
                    let node = topo.consumers[c].node;
                    k.drop_copy(
                        slot,
                        Some(node),
                        crate::core::model::events::DropReason::Rejected,
                    );
                }
            }
            return;
        }
        let r = self.reader(c);
        let Some(i) = r.held.iter().position(|h| h.slot == slot) else {
            return;
        };
        let h = r.held.swap_remove(i);
        let q = r.queue;
        let mode = topo.consumers[c]
            .receive
            .as_ref()
            .map_or(DeleteMode::After, |r| r.spec.delete);
        match how {
            Settlement::Ack => {
                if mode == DeleteMode::After {
                    let (id, message) = (k.copy(slot).id, k.copy(slot).body.id);
                    self.delete_receipt(k, topo, q, h.msg, h.token, Some(id), message);
                }
            }
            Settlement::Requeue => {
                self.change_visibility(k, topo, q, h.msg, h.token, 0.0);
                k.settle_stored(slot);
            }
            Settlement::Reject => k.settle_stored(slot),
        }
    }

    /// ChangeMessageVisibility: the in-flight message `msg` (receipt `token`) is
    /// invisible for `ms` from now (0: visible at once). Returns its new receipt, or
    /// none when it was not in flight with that receipt.
    pub(super) fn change_visibility(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        msg: MsgRef,
        token: u32,
        ms: f64,
    ) -> Option<u32> {
        let until = k.now.plus(ms_to_us(ms));
        let new =
            self.queues[q].change_visibility(msg, token, until, ms_to_us(MAX_VISIBILITY_MS))?;
        if ms <= 0.0 {
            self.timer(k, topo, q, msg.idx, new, msg.seq);
        } else {
            k.agenda.push(
                until,
                Action::SqsTimer {
                    queue: q as u32,
                    idx: msg.idx,
                    token: new,
                    seq: msg.seq,
                },
            );
        }
        Some(new)
    }

    /// A message's delay or visibility timeout ends (ignored when stale).
    pub fn timer(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        idx: u32,
        token: u32,
        seq: u64,
    ) {
        let r = MsgRef { idx, seq };
        let Some(m) = self.queues[q].get(r) else {
            return;
        };
        if m.token != token {
            return;
        }
        let (was_in_flight, count, message) = (
            matches!(m.state, Visibility::InFlight { .. }),
            m.receive_count,
            m.body.id,
        );
        if !self.queues[q].make_visible(r) {
            return;
        }
        if was_in_flight {
            let node = topo.sqs[q].node;
            k.emit(|| EventKind::VisibilityExpired {
                message,
                queue: node,
                receive_count: count,
            });
        }
        self.wake(k, topo, q);
    }

    /// Messages became visible in queue `q`: the longest-waiting long poll returns.
    pub(super) fn wake(&mut self, k: &mut Kernel, topo: &Topology, q: usize) {
        if self.waiting[q].is_empty() {
            return;
        }
        let mut list = std::mem::take(&mut self.woken);
        list.clear();
        list.append(&mut self.waiting[q]);
        for &c in &list {
            if self.queues[q].visible_len() == 0 {
                self.waiting[q].push(c);
                continue;
            }
            // Its poll either takes messages or waits again (a new wait).
            self.reader(c).waiting = false;
            self.poll(k, topo, c);
        }
        self.woken = list;
    }

    /// Worker `c`'s long poll ended empty, or its short poll comes round: it
    /// receives again.
    pub fn wait_over(&mut self, k: &mut Kernel, topo: &Topology, c: usize, epoch: u32) {
        let r = self.reader(c);
        if r.wait_seq != epoch || !r.waiting {
            return;
        }
        r.waiting = false;
        let q = r.queue;
        self.waiting[q].retain(|&w| w != c);
        let long_poll = topo.consumers[c].receive.as_ref().is_some_and(|info| {
            info.spec
                .wait_ms
                .unwrap_or(topo.sqs[q].spec.receive_wait_ms)
                > 0.0
        });
        if long_poll {
            // The long poll returns empty.
            self.queues[q].ledger.empty_receives += 1;
        }
        self.poll(k, topo, c);
    }

    /// Seam `abandon`: worker `c` went away (crash or stop). Its messages stay in
    /// flight in the queue until their visibility timeouts run out; its copies leave.
    pub fn abandon(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        if self.readers[c].is_none() {
            let node = topo.consumers[c].node;
            for slot in std::mem::take(&mut self.pushed[c]) {
                k.drop_copy(
                    slot,
                    Some(node),
                    crate::core::model::events::DropReason::EndpointDown,
                );
            }
            return;
        }
        let r = self.reader(c);
        r.epoch = r.epoch.wrapping_add(1);
        r.wait_seq = r.wait_seq.wrapping_add(1);
        r.waiting = false;
        r.transit.clear();
        let q = r.queue;
        let held: Vec<Held> = std::mem::take(&mut r.held);
        self.waiting[q].retain(|&w| w != c);
        for h in held {
            k.settle_stored(h.slot);
        }
    }
}
