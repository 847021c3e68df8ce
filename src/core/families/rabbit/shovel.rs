//! Operator actions on a queue, as RabbitMQ's management UI offers them: **purge**
//! (queue.purge: every ready message is removed; those delivered and not yet acked stay
//! with their consumers — rabbitmq.com/docs/queues, "Purging") and **move back** of a
//! dead-letter queue's messages to where they first died (what a shovel from the
//! dead-letter queue to the original exchange does — rabbitmq.com/docs/shovel,
//! rabbitmq.com/docs/dlx: each message is published again to the exchange of its
//! oldest `x-death` entry with that entry's first routing key, keeping its headers,
//! then acked in the dead-letter queue). Messages that never died stay where they are.

use super::Rabbit;
use crate::core::kernel::Kernel;
use crate::core::model::events::{DropReason, EventKind};
use crate::core::model::message::{AwsSend, Outgoing};
use crate::core::topology::Topology;
use std::rc::Rc;

impl Rabbit {
    /// queue.purge of queue `q`: removes every ready message (`purged`); returns how
    /// many.
    pub fn purge(&mut self, k: &mut Kernel, topo: &Topology, q: usize) -> u32 {
        let node = topo.queues[q].node;
        let mut n = 0;
        while let Some(slot) = self.queues[q].ready.pop_front() {
            self.queues[q].ready_bytes -= k.copy(slot).size();
            self.queues[q].stats.dropped += 1;
            k.drop_copy(slot, Some(node), DropReason::Purged);
            n += 1;
        }
        n
    }

    /// Moves the ready messages of queue `q` that were dead-lettered back to the
    /// exchange of their first death (a shovel); returns how many moved and how many
    /// stayed (never dead-lettered, or their exchange is not in the diagram or is
    /// internal, which a client cannot publish to).
    pub fn move_back(&mut self, k: &mut Kernel, topo: &Topology, q: usize) -> (u32, u32) {
        let node = topo.queues[q].node;
        let mut kept = Vec::new();
        let mut moving = Vec::new();
        while let Some(slot) = self.queues[q].ready.pop_front() {
            self.queues[q].ready_bytes -= k.copy(slot).size();
            let first = k.copy(slot).x_death.last().cloned();
            // A shovel is a client: an internal exchange refuses it.
            let target = first.and_then(|d| {
                topo.exchange_named(&d.exchange)
                    .filter(|&x| !topo.exchanges[x].internal)
                    .map(|x| (x, d))
            });
            match target {
                Some((x, death)) => moving.push((slot, x, death)),
                None => kept.push(slot),
            }
        }
        for slot in &kept {
            let c = k.copy(*slot);
            let (level, seq, size) = (c.level, c.seq, c.size());
            self.queues[q].ready.reinsert(level, seq, *slot);
            self.queues[q].ready_bytes += size;
        }
        let moved = moving.len() as u32;
        for (slot, x, death) in moving {
            let c = k.copy(slot);
            let body = c.body.clone();
            let routing_key = death
                .routing_keys
                .first()
                .cloned()
                .unwrap_or_else(|| body.routing_key.clone());
            let mut headers = (*body.headers).clone();
            headers.insert(
                "x-death".into(),
                serde_json::to_value(&c.x_death).unwrap_or_default(),
            );
            let out = Outgoing {
                routing_key,
                headers: Rc::new(headers),
                payload: body.payload.clone(),
                message_id: body.message_id.clone(),
                correlation_id: body.correlation_id.clone(),
                reply_to: body.reply_to.clone(),
                priority: body.priority,
                expiration_us: None,
                key: None,
                partition: None,
                tombstone: false,
                aws: AwsSend::NONE,
                persistent: body.persistent,
            };
            // Acked in the dead-letter queue once published, as a shovel acks.
            self.queues[q].stats.acked += 1;
            let id = c.id;
            k.settle_acked(slot, false);
            k.emit(|| EventKind::ClientAcked {
                copy: id,
                queue: node,
            });
            self.publish(k, topo, None, x, None, out);
        }
        (moved, kept.len() as u32)
    }
}
