//! Queue behaviour: accepting a copy (length limits and `x-overflow`,
//! rabbitmq.com/docs/maxlength), TTL expiry at the head (rabbitmq.com/docs/ttl),
//! delivery to subscribers (round-robin within prefetch credit:
//! rabbitmq.com/docs/consumer-prefetch; single active consumer:
//! rabbitmq.com/docs/consumers), requeueing to the original position with
//! redelivered = true (rabbitmq.com/docs/confirms) subject to a quorum queue's delivery
//! limit (rabbitmq.com/docs/quorum-queues), and the three consumer-facing seams:
//! settle, credit and abandon (a connection that goes away returns its unacked
//! deliveries at once: rabbitmq.com/docs/confirms, "Automatic Requeueing").

use super::{Rabbit, Settlement};
use crate::core::kernel::agenda::Action;
use crate::core::kernel::time::SimTime;
use crate::core::kernel::Kernel;
use crate::core::model::events::{DropReason, EventKind};
use crate::core::model::message::{CopyState, DeathReason};
use crate::core::model::motion::MotionKind;
use crate::core::scenario::Overflow;
use crate::core::topology::Topology;

impl Rabbit {
    /// Whether one more message of `size` bytes would exceed the queue's limits.
    fn would_overflow(&self, topo: &Topology, q: usize, size: u64) -> bool {
        let info = &topo.queues[q];
        let state = &self.queues[q];
        info.max_length
            .is_some_and(|max| state.ready.len() as u64 + 1 > max)
            || info
                .max_length_bytes
                .is_some_and(|max| state.ready_bytes + size > max)
    }

    fn over_limit(&self, topo: &Topology, q: usize) -> bool {
        let info = &topo.queues[q];
        let state = &self.queues[q];
        info.max_length
            .is_some_and(|max| state.ready.len() as u64 > max)
            || info
                .max_length_bytes
                .is_some_and(|max| state.ready_bytes > max)
    }

    /// A copy reaches queue `q`.
    pub fn arrive_queue(&mut self, k: &mut Kernel, topo: &Topology, slot: u32, q: usize) {
        let node = topo.queues[q].node;
        let size = k.copy(slot).size();
        // reject-publish(-dlx) refuses a message that would overflow the queue, whether
        // or not a consumer could take it (rabbit_amqqueue_process: will_overflow).
        let overflow = topo.queues[q].overflow;
        if overflow != Overflow::DropHead && self.would_overflow(topo, q, size) {
            // With publisher confirms the publisher gets a nack (rabbitmq.com/docs/maxlength).
            k.refuse(k.copy(slot).body.id);
            if overflow == Overflow::RejectPublishDlx {
                self.dead_letter(k, topo, slot, q, DeathReason::Maxlen);
            } else {
                self.queues[q].stats.dropped += 1;
                k.drop_copy(slot, Some(node), DropReason::RejectPublish);
            }
            return;
        }
        let info = &topo.queues[q];
        let ttl = info.ttl_us;
        let level = match info.max_priority {
            Some(max) => k.copy(slot).body.priority.unwrap_or(0).min(max),
            None => 0,
        };
        let seq = self.queues[q].next_seq;
        self.queues[q].next_seq += 1;
        let now = k.now;
        let copy = k.copy_mut(slot);
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
        k.emit(|| EventKind::Enqueued {
            copy: id,
            queue: node,
        });

        // A waiting consumer takes the message straight away, before any TTL or
        // length check (so a TTL of 0 still reaches a ready consumer).
        if self.queues[q].ready.is_empty() {
            if let Some(i) = self.pick_subscriber(topo, q) {
                self.deliver(k, topo, slot, q, i);
                self.try_deliver(k, topo, q);
                return;
            }
        }
        self.queues[q].ready.push_back(level, seq, slot);
        self.queues[q].ready_bytes += size;
        self.drop_head_while_over(k, topo, q);
        self.try_deliver(k, topo, q);
    }

    /// drop-head: while the queue is over its limits, the head is dropped or
    /// dead-lettered with reason `maxlen`.
    fn drop_head_while_over(&mut self, k: &mut Kernel, topo: &Topology, q: usize) {
        if topo.queues[q].overflow != Overflow::DropHead {
            return;
        }
        while self.over_limit(topo, q) {
            let Some(slot) = self.take_front(k, q) else {
                break;
            };
            self.dead_letter(k, topo, slot, q, DeathReason::Maxlen);
        }
    }

    fn take_front(&mut self, k: &Kernel, q: usize) -> Option<u32> {
        let slot = self.queues[q].ready.pop_front()?;
        self.queues[q].ready_bytes -= k.copy(slot).size();
        Some(slot)
    }

    /// The subscriber (index) that gets the next message of queue `q`, if any has
    /// credit.
    fn pick_subscriber(&mut self, topo: &Topology, q: usize) -> Option<usize> {
        let state = &self.queues[q];
        let n = state.subscribers.len();
        if n == 0 {
            return None;
        }
        if topo.queues[q].single_active_consumer {
            // The earliest registered connected consumer is the active one; the others
            // wait. A consumer that comes back registers again, behind the others.
            let (i, active) = state
                .subscribers
                .iter()
                .enumerate()
                .filter(|(_, s)| s.online)
                .min_by_key(|(_, s)| s.registered)?;
            return active.has_room().then_some(i);
        }
        let start = state.cursor % n;
        for step in 0..n {
            let i = (start + step) % n;
            if state.subscribers[i].has_room() {
                self.queues[q].cursor = (start + step + 1) % n;
                return Some(i);
            }
        }
        None
    }

    /// Delivers ready messages while some subscriber has credit.
    pub fn try_deliver(&mut self, k: &mut Kernel, topo: &Topology, q: usize) {
        // Expiry work only for queues that ever held a message with a TTL (checked here,
        // on the hot path, rather than in a call).
        let may_expire = self.queues[q].may_expire;
        loop {
            if may_expire {
                self.expire_heads(k, topo, q);
            }
            if self.queues[q].ready.is_empty() {
                break;
            }
            let Some(i) = self.pick_subscriber(topo, q) else {
                break;
            };
            let Some(slot) = self.take_front(k, q) else {
                break;
            };
            self.deliver(k, topo, slot, q, i);
        }
        if may_expire {
            self.schedule_expiry(k, q);
        }
    }

    /// Sends one copy to subscriber `i` of queue `q`.
    fn deliver(&mut self, k: &mut Kernel, topo: &Topology, slot: u32, q: usize, i: usize) {
        let sub = &mut self.queues[q].subscribers[i];
        let (c, auto, tag) = (sub.worker, sub.auto_ack, sub.tag);
        let held_at = sub.held.len() as u32;
        sub.held.push(slot);
        let copy = k.copy_mut(slot);
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
        self.count_delivery(k, q, redelivered);
        if !auto {
            self.queues[q].unacked += 1;
        }
        k.totals.hops += 1;
        let info = &topo.consumers[c];
        if let Some((_, edge)) = info.queue {
            k.travel(edge);
            let (queue, consumer) = (topo.queues[q].node, info.node);
            k.emit(|| EventKind::Delivered {
                copy: id,
                queue,
                consumer,
                edge,
                redelivered,
            });
            k.record_hop(slot, edge, MotionKind::Deliver { redelivered });
        }
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArriveConsumer {
                slot,
                consumer: c as u32,
                tag,
            },
        );
    }

    /// Drops or dead-letters expired messages at the head of each priority level. Per
    /// rabbitmq.com/docs/ttl, expired messages only go when they reach the head.
    fn expire_heads(&mut self, k: &mut Kernel, topo: &Topology, q: usize) {
        if !self.queues[q].may_expire {
            return;
        }
        // Levels from the highest priority down; stop at the first head that is still
        // alive (rabbit_priority_queue:dropwhile runs through the sub-queues in priority
        // order until one has a live head).
        let levels = topo.queues[q].max_priority.map_or(1, |p| p as usize + 1);
        let now = k.now;
        for level in (0..levels).rev() {
            while let Some(slot) = self.queues[q].ready.front_of(level as u8) {
                let expired = k.copy(slot).expires_at.is_some_and(|t| t <= now);
                if !expired {
                    return;
                }
                self.queues[q].ready.pop_level(level as u8);
                self.queues[q].ready_bytes -= k.copy(slot).size();
                self.queues[q].stats.expired += 1;
                k.totals.expired += 1;
                let id = k.copy(slot).id;
                let node = topo.queues[q].node;
                k.emit(|| EventKind::Expired {
                    copy: id,
                    queue: node,
                });
                self.dead_letter(k, topo, slot, q, DeathReason::Expired);
            }
        }
    }

    /// Arms a timer for the expiry of the next message to deliver, unless an earlier
    /// one is pending.
    fn schedule_expiry(&mut self, k: &mut Kernel, q: usize) {
        if !self.queues[q].may_expire {
            return;
        }
        let next: Option<SimTime> = self.queues[q]
            .ready
            .front()
            .and_then(|slot| k.copy(slot).expires_at);
        if let Some(t) = next {
            if self.queues[q].expiry_at.is_none_or(|s| t < s) {
                self.queues[q].expiry_at = Some(t);
                k.agenda
                    .push(t.max(k.now), Action::ExpiryCheck { queue: q as u32 });
            }
        }
    }

    /// The expiry timer of queue `q` fired.
    pub fn expiry_check(&mut self, k: &mut Kernel, topo: &Topology, q: usize) {
        if self.queues[q].expiry_at == Some(k.now) {
            self.queues[q].expiry_at = None;
        }
        self.try_deliver(k, topo, q);
    }

    /// Returns a delivered copy to its queue at its original position, with
    /// redelivered = true, unless it has now been returned more often than the
    /// queue's delivery limit.
    fn requeue(&mut self, k: &mut Kernel, topo: &Topology, slot: u32, q: usize) {
        let limit = topo.queues[q].delivery_limit;
        let copy = k.copy_mut(slot);
        copy.redelivered = true;
        copy.returns += 1;
        let returns = copy.returns;
        if limit.is_some_and(|l| returns > l) {
            self.dead_letter(k, topo, slot, q, DeathReason::DeliveryLimit);
            return;
        }
        let copy = k.copy_mut(slot);
        copy.state = CopyState::Ready(q as u32);
        let (level, seq, size, id) = (copy.level, copy.seq, copy.size(), copy.id);
        self.queues[q].ready.reinsert(level, seq, slot);
        self.queues[q].ready_bytes += size;
        self.queues[q].stats.requeued += 1;
        let node = topo.queues[q].node;
        k.emit(|| EventKind::Requeued {
            copy: id,
            queue: node,
        });
        self.drop_head_while_over(k, topo, q);
    }

    /// Counts one delivery from queue `q` (to a subscriber or a basic.get).
    fn count_delivery(&mut self, k: &mut Kernel, q: usize, redelivered: bool) {
        let stats = &mut self.queues[q].stats;
        stats.delivered += 1;
        if redelivered {
            stats.redelivered += 1;
            k.totals.redelivered += 1;
        }
    }

    /// Takes `slot` out of subscriber `i`'s unsettled deliveries.
    #[inline]
    fn unhold(&mut self, k: &mut Kernel, q: usize, i: usize, slot: u32) {
        let at = k.copy(slot).held_at as usize;
        let held = &mut self.queues[q].subscribers[i].held;
        held.swap_remove(at);
        if let Some(&moved) = held.get(at) {
            k.copy_mut(moved).held_at = at as u32;
        }
    }

    /// Seam `settle`: `worker` settles its delivery `slot`. An ack (or the end of an
    /// auto-acked delivery's handling) leaves the parcel to the caller, who releases
    /// it; a requeue puts it back at its position; a reject dead-letters it. Credit is
    /// not returned here: the worker gives it back with [`Rabbit::credit`] once it has
    /// finished reacting.
    #[inline]
    pub fn settle(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        worker: usize,
        slot: u32,
        how: Settlement,
    ) {
        let Some((q, i)) = self.subscription_of[worker] else {
            return;
        };
        let manual = matches!(k.copy(slot).state, CopyState::Unacked { .. });
        self.unhold(k, q, i, slot);
        if manual {
            self.queues[q].unacked -= 1;
        }
        match how {
            Settlement::Ack => {
                if manual {
                    self.queues[q].stats.acked += 1;
                }
            }
            Settlement::Requeue => self.requeue(k, topo, slot, q),
            Settlement::Reject => self.dead_letter(k, topo, slot, q, DeathReason::Rejected),
        }
    }

    /// Seam `credit`: `worker` has room again (its window is the prefetch, so the
    /// room is recomputed from what it holds; `_n` is the number of slots it freed).
    /// A worker whose subscription was abandoned subscribes again: it registers
    /// behind the others (single active consumer) and gets a new tag.
    #[inline]
    pub fn credit(&mut self, k: &mut Kernel, topo: &Topology, worker: usize, _n: u32) {
        let Some((q, i)) = self.subscription_of[worker] else {
            return;
        };
        let state = &mut self.queues[q];
        if !state.subscribers[i].online {
            state.registrations += 1;
            let registered = state.registrations;
            let sub = &mut state.subscribers[i];
            sub.online = true;
            sub.registered = registered;
        }
        self.try_deliver(k, topo, q);
    }

    /// Seam `abandon`: `worker`'s connection went away (crash or outage). Its unacked
    /// deliveries return to the queue at once, in queue order, redelivered; auto-acked
    /// ones it was still handling are lost (`lost_on_crash`).
    pub fn abandon(&mut self, k: &mut Kernel, topo: &Topology, worker: usize) {
        let Some((q, i)) = self.subscription_of[worker] else {
            return;
        };
        let sub = &mut self.queues[q].subscribers[i];
        sub.online = false;
        sub.tag = sub.tag.wrapping_add(1);
        let mut held = std::mem::take(&mut sub.held);
        crate::core::sort::sort_by_key(&mut held, |&s| k.copy(s).seq);
        let node = topo.consumers[worker].node;
        for slot in held {
            match k.copy(slot).state {
                CopyState::Unacked { .. } => {
                    self.queues[q].unacked -= 1;
                    self.requeue(k, topo, slot, q);
                }
                _ => k.drop_copy(slot, Some(node), DropReason::LostOnCrash),
            }
        }
        self.try_deliver(k, topo, q);
    }
}

impl Rabbit {
    /// basic.get by a client, `count` times: takes up to `count` ready messages of queue
    /// `q` (before each, the expired messages at the head go, as for any delivery), then settles each as `how` says — ack,
    /// nack with requeue (back to its position, redelivered) or reject (dead-lettered
    /// or dropped). Returns the payloads it got, in order.
    pub fn get(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        count: u32,
        how: Settlement,
    ) -> Vec<String> {
        let node = topo.queues[q].node;
        let mut got = Vec::new();
        for _ in 0..count {
            // Each get is a basic.get: the expired messages at the head go first, also
            // those the previous get uncovered (rabbit_amqqueue_process fetch/2 drops
            // expired messages after every fetch).
            self.expire_heads(k, topo, q);
            let Some(slot) = self.take_front(k, q) else {
                break;
            };
            let copy = k.copy(slot);
            let (id, redelivered) = (copy.id, copy.redelivered);
            self.count_delivery(k, q, redelivered);
            k.emit(|| EventKind::Got {
                copy: id,
                queue: node,
                redelivered,
            });
            got.push(slot);
        }
        let payloads = got
            .iter()
            .map(|&slot| k.copy(slot).body.payload.to_string())
            .collect();
        for slot in got {
            match how {
                Settlement::Ack => {
                    self.queues[q].stats.acked += 1;
                    let id = k.copy(slot).id;
                    k.settle_acked(slot, false);
                    k.emit(|| EventKind::ClientAcked {
                        copy: id,
                        queue: node,
                    });
                }
                Settlement::Requeue => self.requeue(k, topo, slot, q),
                Settlement::Reject => self.dead_letter(k, topo, slot, q, DeathReason::Rejected),
            }
        }
        self.try_deliver(k, topo, q);
        payloads
    }
}
