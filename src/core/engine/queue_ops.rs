//! Queue behaviour: accepting a copy (length limits and `x-overflow`,
//! rabbitmq.com/docs/maxlength), TTL expiry at the head (rabbitmq.com/docs/ttl),
//! delivery to consumers (round-robin, prefetch: rabbitmq.com/docs/consumer-prefetch;
//! single active consumer: rabbitmq.com/docs/consumers), and requeueing to the
//! original position with redelivered = true (rabbitmq.com/docs/confirms), subject to
//! a quorum queue's delivery limit (rabbitmq.com/docs/quorum-queues).

use super::agenda::Action;
use super::events::{DropReason, EventKind};
use super::Simulation;
use crate::core::message::{CopyState, DeathReason};
use crate::core::scenario::{AckMode, Overflow};
use crate::core::time::SimTime;

impl Simulation {
    /// Whether one more message of `size` bytes would exceed the queue's limits.
    fn would_overflow(&self, q: usize, size: u64) -> bool {
        let info = &self.topo.queues[q];
        let state = &self.queues[q];
        info.max_length
            .is_some_and(|max| state.ready.len() as u64 + 1 > max)
            || info
                .max_length_bytes
                .is_some_and(|max| state.ready_bytes + size > max)
    }

    fn over_limit(&self, q: usize) -> bool {
        let info = &self.topo.queues[q];
        let state = &self.queues[q];
        info.max_length
            .is_some_and(|max| state.ready.len() as u64 > max)
            || info
                .max_length_bytes
                .is_some_and(|max| state.ready_bytes > max)
    }

    /// A copy reaches a queue.
    pub(super) fn arrive_queue(&mut self, slot: u32, q: usize) {
        let node = self.topo.queues[q].node;
        let size = self.copy(slot).size();
        // reject-publish(-dlx) refuses a message that would overflow the queue, whether
        // or not a consumer could take it (rabbit_amqqueue_process: will_overflow).
        let overflow = self.topo.queues[q].overflow;
        if overflow != Overflow::DropHead && self.would_overflow(q, size) {
            if overflow == Overflow::RejectPublishDlx {
                self.dead_letter(slot, q, DeathReason::Maxlen);
            } else {
                self.queues[q].stats.dropped += 1;
                self.drop_copy(slot, Some(node), DropReason::RejectPublish);
            }
            return;
        }
        let info = &self.topo.queues[q];
        let ttl = info.ttl_us;
        let level = match info.max_priority {
            Some(max) => self.copy(slot).body.priority.unwrap_or(0).min(max),
            None => 0,
        };
        let seq = self.queues[q].next_seq;
        self.queues[q].next_seq += 1;
        let now = self.now;
        let copy = self.copy_mut(slot);
        // The lower of the queue TTL and the message's own expiration applies
        // (rabbitmq.com/docs/ttl, "Per-Message TTL").
        let ttl = match (ttl, copy.expiration_us()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        copy.expires_at = ttl.map(|t| now.plus(t));
        let expires = copy.expires_at.is_some();
        copy.seq = seq;
        copy.level = level;
        copy.enqueued_at = now;
        copy.redelivered = false;
        copy.returns = 0;
        copy.state = CopyState::Ready(q as u32);
        let id = copy.id;
        self.queues[q].stats.enqueued += 1;
        self.queues[q].may_expire |= expires;
        self.emit(|| EventKind::Enqueued {
            copy: id,
            queue: node,
        });

        // A waiting consumer takes the message straight away, before any TTL or
        // length check (so a TTL of 0 still reaches a ready consumer).
        if self.queues[q].ready.is_empty() {
            if let Some(c) = self.pick_consumer(q) {
                self.deliver(slot, q, c);
                self.try_deliver(q);
                return;
            }
        }
        self.queues[q].ready.push_back(level, seq, slot);
        self.queues[q].ready_bytes += size;
        self.drop_head_while_over(q);
        self.try_deliver(q);
    }

    /// drop-head: while the queue is over its limits, the head is dropped or
    /// dead-lettered with reason `maxlen`.
    fn drop_head_while_over(&mut self, q: usize) {
        if self.topo.queues[q].overflow != Overflow::DropHead {
            return;
        }
        while self.over_limit(q) {
            let Some(slot) = self.take_front(q) else {
                break;
            };
            self.dead_letter(slot, q, DeathReason::Maxlen);
        }
    }

    fn take_front(&mut self, q: usize) -> Option<u32> {
        let slot = self.queues[q].ready.pop_front()?;
        let size = self.copy(slot).size();
        self.queues[q].ready_bytes -= size;
        Some(slot)
    }

    /// The consumer that gets the next message of queue `q`, if any has room.
    pub(super) fn pick_consumer(&mut self, q: usize) -> Option<usize> {
        let info = &self.topo.queues[q];
        let n = info.consumers.len();
        if n == 0 {
            return None;
        }
        if info.single_active_consumer {
            // The earliest registered connected consumer is the active one; the others
            // wait. A consumer that comes back registers again, behind the others.
            let active = info
                .consumers
                .iter()
                .copied()
                .filter(|&c| self.consumers[c].online)
                .min_by_key(|&c| self.consumers[c].registered)?;
            return self.has_room(active).then_some(active);
        }
        let start = self.queues[q].cursor % n;
        for k in 0..n {
            let c = self.topo.queues[q].consumers[(start + k) % n];
            if self.consumers[c].online && self.has_room(c) {
                self.queues[q].cursor = (start + k + 1) % n;
                return Some(c);
            }
        }
        None
    }

    /// Whether a consumer's prefetch window has room (auto-ack ignores prefetch).
    fn has_room(&self, c: usize) -> bool {
        let spec = &self.topo.consumers[c].spec;
        spec.ack == AckMode::Auto
            || spec.prefetch == 0
            || (self.consumers[c].held.len() as u64) < spec.prefetch as u64
    }

    /// Delivers ready messages while some consumer has room.
    pub(super) fn try_deliver(&mut self, q: usize) {
        loop {
            self.expire_heads(q);
            if self.queues[q].ready.is_empty() {
                break;
            }
            let Some(c) = self.pick_consumer(q) else {
                break;
            };
            let Some(slot) = self.take_front(q) else {
                break;
            };
            self.deliver(slot, q, c);
        }
        self.schedule_expiry(q);
    }

    /// Sends one copy to consumer `c`.
    fn deliver(&mut self, slot: u32, q: usize, c: usize) {
        let auto = self.topo.consumers[c].spec.ack == AckMode::Auto;
        let held_at = self.consumers[c].held.len() as u32;
        self.consumers[c].held.push(slot);
        let copy = self.copy_mut(slot);
        copy.held_at = held_at;
        copy.state = if auto {
            CopyState::Processing { consumer: c as u32 }
        } else {
            CopyState::Unacked {
                queue: q as u32,
                consumer: c as u32,
            }
        };
        let (id, redelivered) = (copy.id, copy.redelivered);
        let stats = &mut self.queues[q].stats;
        stats.delivered += 1;
        if redelivered {
            stats.redelivered += 1;
            self.totals.redelivered += 1;
        }
        if !auto {
            self.queues[q].unacked += 1;
        }
        self.totals.hops += 1;
        let info = &self.topo.consumers[c];
        if let Some((_, edge)) = info.queue {
            let (queue, consumer) = (self.topo.queues[q].node, info.node);
            self.emit(|| EventKind::Delivered {
                copy: id,
                queue,
                consumer,
                edge,
                redelivered,
            });
        }
        let epoch = self.consumers[c].epoch;
        let at = self.now.plus(self.latency_us);
        self.agenda.push(
            at,
            Action::ArriveConsumer {
                slot,
                consumer: c as u32,
                epoch,
            },
        );
    }

    /// Drops or dead-letters expired messages at the head of each priority level. Per
    /// rabbitmq.com/docs/ttl, expired messages only go when they reach the head.
    fn expire_heads(&mut self, q: usize) {
        if !self.queues[q].may_expire {
            return;
        }
        // Levels from the highest priority down; stop at the first head that is still
        // alive (rabbit_priority_queue:dropwhile runs through the sub-queues in priority
        // order until one has a live head).
        let levels = self.topo.queues[q]
            .max_priority
            .map_or(1, |p| p as usize + 1);
        let now = self.now;
        for level in (0..levels).rev() {
            while let Some(slot) = self.queues[q].ready.front_of(level as u8) {
                let expired = self.copy(slot).expires_at.is_some_and(|t| t <= now);
                if !expired {
                    return;
                }
                self.queues[q].ready.pop_level(level as u8);
                let size = self.copy(slot).size();
                self.queues[q].ready_bytes -= size;
                self.queues[q].stats.expired += 1;
                self.totals.expired += 1;
                let id = self.copy(slot).id;
                let node = self.topo.queues[q].node;
                self.emit(|| EventKind::Expired {
                    copy: id,
                    queue: node,
                });
                self.dead_letter(slot, q, DeathReason::Expired);
            }
        }
    }

    /// Arms a timer for the expiry of the next message to deliver, unless an earlier
    /// one is pending.
    fn schedule_expiry(&mut self, q: usize) {
        if !self.queues[q].may_expire {
            return;
        }
        let next: Option<SimTime> = self.queues[q]
            .ready
            .front()
            .and_then(|slot| self.copy(slot).expires_at);
        if let Some(t) = next {
            if self.queues[q].expiry_at.is_none_or(|s| t < s) {
                self.queues[q].expiry_at = Some(t);
                self.agenda
                    .push(t.max(self.now), Action::ExpiryCheck { queue: q as u32 });
            }
        }
    }

    pub(super) fn expiry_check(&mut self, q: usize) {
        if self.queues[q].expiry_at == Some(self.now) {
            self.queues[q].expiry_at = None;
        }
        self.try_deliver(q);
    }

    /// Returns a delivered copy to its queue at its original position, with
    /// redelivered = true, unless it has now been returned more often than the
    /// queue's delivery limit.
    pub(super) fn requeue(&mut self, slot: u32, q: usize) {
        let limit = self.topo.queues[q].delivery_limit;
        let copy = self.copy_mut(slot);
        copy.redelivered = true;
        copy.returns += 1;
        let returns = copy.returns;
        if limit.is_some_and(|l| returns > l) {
            self.dead_letter(slot, q, DeathReason::DeliveryLimit);
            return;
        }
        let copy = self.copy_mut(slot);
        copy.state = CopyState::Ready(q as u32);
        let (level, seq, size, id) = (copy.level, copy.seq, copy.size(), copy.id);
        self.queues[q].ready.reinsert(level, seq, slot);
        self.queues[q].ready_bytes += size;
        self.queues[q].stats.requeued += 1;
        let node = self.topo.queues[q].node;
        self.emit(|| EventKind::Requeued {
            copy: id,
            queue: node,
        });
        self.drop_head_while_over(q);
    }
}
