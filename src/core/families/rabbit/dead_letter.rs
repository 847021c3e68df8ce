//! Dead-lettering (rabbitmq.com/docs/dlx): a copy that is rejected without requeue,
//! expires, overflows a length limit or passes a delivery limit is republished to its
//! queue's dead-letter exchange, with the dead-letter routing key when one is set, an
//! updated `x-death` history (one entry per queue and reason, newest first, with a
//! count) and without its per-message TTL. Without a dead-letter exchange it is dropped.
//! A cycle of automatic dead-lettering (no rejection in it) drops the message.

use super::Rabbit;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::Kernel;
use crate::core::model::events::{DropReason, EventKind};
use crate::core::model::message::{CopyState, DeathReason, XDeath};
use crate::core::model::motion::MotionKind;
use crate::core::topology::Topology;

/// Whether routing a dead-lettered message to `queue` would close a cycle with no
/// rejection in it (source: `rabbit_dead_letter:is_cycle`): the entries from the newest
/// back to the one for `queue` must all have a reason other than `rejected`.
pub fn is_cycle(x_death: &[XDeath], queue: &str) -> bool {
    match x_death.iter().position(|d| &*d.queue == queue) {
        None => false,
        Some(at) => x_death[..=at]
            .iter()
            .all(|d| d.reason != DeathReason::Rejected),
    }
}

impl Rabbit {
    /// Dead-letters (or drops) a copy that has left queue `q`.
    pub fn dead_letter(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        slot: u32,
        q: usize,
        reason: DeathReason,
    ) {
        let info = &topo.queues[q];
        let node = info.node;
        let Some((dlx, dl_key, edge)) = info.dead_letter.clone() else {
            self.queues[q].stats.dropped += 1;
            k.drop_copy(slot, Some(node), DropReason::from_death(reason));
            return;
        };
        let queue_name = info.name.clone();
        let now = k.now;
        let recording = k.recorder.is_on();
        let copy = k.copy_mut(slot);
        // routing-keys: the key and the CC keys the message had (BCC never survives).
        let mut routing_keys = vec![copy.routing_key.clone()];
        if copy.cc_active {
            routing_keys.extend(copy.body.cc.iter().cloned());
        }
        match copy
            .x_death
            .iter()
            .position(|d| d.queue == queue_name && d.reason == reason)
        {
            Some(at) => {
                // A repeat death counts and moves the entry to the front; exchange,
                // routing-keys and time stay those of the first death there
                // (rabbitmq.com/docs/dlx, "Dead-Lettered Messages"; mc:update_death).
                let mut entry = copy.x_death.remove(at);
                entry.count += 1;
                copy.x_death.insert(0, entry);
            }
            None => copy.x_death.insert(
                0,
                XDeath {
                    queue: queue_name,
                    reason,
                    count: 1,
                    exchange: copy.exchange.clone(),
                    routing_keys,
                    time: now,
                },
            ),
        }
        if dl_key.is_none() {
            // Without a dead-letter routing key the message is republished with all its
            // original routing keys, including those of CC and BCC.
            copy.bcc_active = copy.cc_active;
        }
        if let Some(key) = dl_key {
            // The dead-letter routing key replaces the key and the CC keys.
            copy.bcc_active = false;
            copy.routing_key = key;
            copy.cc_active = false;
        }
        copy.expiration_cleared = true;
        copy.expires_at = None;
        copy.state = CopyState::InFlight;
        let id = copy.id;
        let history = if recording {
            copy.x_death.clone()
        } else {
            Vec::new()
        };
        self.queues[q].stats.dead_lettered += 1;
        k.totals.dead_lettered += 1;
        k.totals.hops += 1;
        k.travel(edge);
        let exchange = topo.exchanges[dlx].node;
        k.emit(|| EventKind::DeadLettered {
            copy: id,
            queue: node,
            reason,
            exchange,
            edge,
            x_death: history,
        });
        k.record_hop(slot, edge, MotionKind::DeadLetter);
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArriveExchange {
                slot,
                exchange: dlx as u32,
                dead_letter: Some(reason),
            },
        );
    }
}
