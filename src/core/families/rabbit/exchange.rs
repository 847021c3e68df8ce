//! Exchanges: a publish becomes a message and its first parcel travelling to the
//! exchange (the `offer` seam for RabbitMQ); on arrival the message is routed
//! atomically (rabbitmq.com/docs/exchanges, e2e, ae, sender-selected) and one parcel
//! travels to each queue reached. Dead-lettered parcels are routed the same way, minus
//! the queues that would close a dead-letter cycle (rabbitmq.com/docs/dlx).

use super::dead_letter::is_cycle;
use super::routing::sender_selected_keys;
use super::Rabbit;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::Kernel;
use crate::core::model::events::{DropReason, EventKind};
use crate::core::model::ids::{EdgeId, MessageId, NodeId};
use crate::core::model::message::{Copy, CopyState, DeathReason, MessageBody};
use crate::core::model::motion::{Leg, Motion, MotionKind};
use crate::core::topology::Topology;
use std::rc::Rc;

pub use crate::core::model::message::Outgoing;

impl Rabbit {
    /// Publishes `out` from node `from` (none: a script client) to exchange
    /// `exchange` (along `edge`, if the publish follows one): a new message whose
    /// parcel reaches the exchange one hop later. Returns the message's number.
    pub fn publish(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        from: Option<NodeId>,
        exchange: usize,
        edge: Option<EdgeId>,
        out: Outgoing,
    ) -> MessageId {
        let message = k.new_message_id();
        k.totals.published += 1;
        k.totals.hops += 1;
        if let Some(edge) = edge {
            k.travel(edge);
        }
        let (cc, bcc) = if out.headers.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            sender_selected_keys(&out.headers)
        };
        // The broker removes the BCC header before routing (mc_amqpl:init), so headers
        // exchanges and consumers never see it.
        let headers = if out.headers.contains_key("BCC") {
            let mut h = (*out.headers).clone();
            h.remove("BCC");
            Rc::new(h)
        } else {
            out.headers
        };
        let body = Rc::new(MessageBody {
            id: message,
            routing_key: out.routing_key.clone(),
            headers,
            cc,
            bcc,
            payload: out.payload,
            message_id: out.message_id,
            correlation_id: out.correlation_id,
            reply_to: out.reply_to,
            priority: out.priority,
            expiration_us: out.expiration_us,
            origin: from,
            published_at: k.now,
            key: None,
            tombstone: false,
            persistent: out.persistent,
        });
        let id = k.new_copy_id();
        let copy = Copy {
            id,
            body: body.clone(),
            state: CopyState::InFlight,
            routing_key: out.routing_key,
            cc_active: true,
            bcc_active: true,
            exchange: topo.exchanges[exchange].name.clone(),
            redelivered: false,
            returns: 0,
            x_death: Vec::new(),
            expiration_cleared: false,
            expires_at: None,
            seq: 0,
            level: 0,
            held_at: 0,
            enqueued_at: k.now,
        };
        let slot = k.alloc(copy);
        if k.recorder.is_on() {
            let exchange_node = topo.exchanges[exchange].node;
            k.emit(|| EventKind::Published {
                copy: id,
                message: body.id,
                from,
                exchange: exchange_node,
                edge,
                routing_key: body.routing_key.to_string(),
                message_id: body.message_id.to_string(),
                correlation_id: body.correlation_id.as_deref().map(str::to_string),
                reply_to: body.reply_to.as_deref().map(str::to_string),
            });
            // Along the publish edge; a reply has none: straight to the exchange's
            // node, or, through the implicit default exchange, straight to the queue
            // named by the key (both hops at once).
            let path = match (edge, from, topo.exchanges[exchange].node) {
                (Some(edge), _, _) => Some((Leg::Edge { edge }, 1)),
                (None, None, _) => None, // a script client has no node to start from
                (None, Some(from), Some(to)) => Some((Leg::Line { from, to }, 1)),
                (None, Some(from), None) => topo.queue_by_name.get(&*body.routing_key).map(|&q| {
                    (
                        Leg::Line {
                            from,
                            to: topo.queues[q].node,
                        },
                        2,
                    )
                }),
            };
            let now = k.now;
            let hop = k.hop_us;
            k.recorder.motion(|| {
                let (leg, hops) = path?;
                Some(Motion {
                    copy: id,
                    origin: from,
                    legs: vec![leg],
                    reverse: false,
                    depart: now,
                    arrive: now.plus(hop * hops),
                    count: 1,
                    kind: MotionKind::Publish,
                })
            });
        }
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArriveExchange {
                slot,
                exchange: exchange as u32,
                dead_letter: None,
            },
        );
        message
    }

    /// A parcel reaches exchange `x`: route it atomically and send one parcel to each
    /// queue reached.
    pub fn arrive_exchange(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        slot: u32,
        x: usize,
        dead_letter: Option<DeathReason>,
    ) {
        let (key, headers, extra) = {
            let c = k.copy(slot);
            let extra = if c.body.cc.is_empty() && c.body.bcc.is_empty() {
                Vec::new()
            } else {
                c.extra_keys()
            };
            (c.routing_key.clone(), c.body.headers.clone(), extra)
        };
        self.router.route(topo, x, &key, &extra, &headers);
        let mut queues = std::mem::take(&mut self.router.queues);
        let mut cycled = false;
        if let Some(reason) = dead_letter {
            if reason != DeathReason::Rejected {
                let copy = k.copy(slot);
                let before = queues.len();
                let keep: Vec<bool> = queues
                    .iter()
                    .map(|&q| !is_cycle(&copy.x_death, &topo.queues[q].name))
                    .collect();
                let mut it = keep.iter();
                queues.retain(|_| *it.next().unwrap_or(&true));
                let mut it = keep.iter();
                self.router.depths.retain(|_| *it.next().unwrap_or(&true));
                cycled = queues.len() < before;
            }
        }
        let exchange_node = topo.exchanges[x].node;
        if queues.is_empty() {
            self.router.queues = queues;
            let reason = if cycled {
                DropReason::DeadLetterCycle
            } else {
                DropReason::Unroutable
            };
            k.drop_copy(slot, exchange_node, reason);
            return;
        }
        for hop in &self.router.hops {
            if let Some(edge) = hop.edge {
                k.travel(edge);
            }
        }
        let name = topo.exchanges[x].name.clone();
        let recording = k.recorder.is_on();
        let copy = k.copy_mut(slot);
        copy.exchange = name;
        copy.bcc_active = false; // BCC keys are not kept on the delivered message
        let mut copies = Vec::with_capacity(if recording { queues.len() } else { 0 });
        let at = k.hop_end();
        for (i, &q) in queues.iter().enumerate() {
            let target = if i == 0 {
                slot
            } else {
                let id = k.new_copy_id();
                let mut dup = k.copy(slot).clone();
                dup.id = id;
                k.alloc(dup)
            };
            if recording {
                copies.push(k.copy(target).id);
            }
            // One hop per edge travelled (exchange-to-exchange paths count each edge).
            k.totals.hops += self.router.depths.get(i).copied().unwrap_or(1) as u64;
            k.agenda.push(
                at,
                Action::ArriveQueue {
                    slot: target,
                    queue: q as u32,
                },
            );
        }
        if recording {
            let copy = k.copy(slot).id;
            let origin = k.copy(slot).body.origin;
            let paths: Vec<Vec<EdgeId>> = queues.iter().map(|&q| self.router.path_to(q)).collect();
            let (now, end) = (k.now, k.hop_end());
            for ((&q, path), &parcel) in queues.iter().zip(&paths).zip(&copies) {
                // Along the bindings travelled; the default exchange's implicit binding
                // has no edge: straight from its node (a reply through the implicit
                // default exchange was drawn whole when it was published).
                let legs: Vec<Leg> = match (path.is_empty(), exchange_node) {
                    (false, _) => path.iter().map(|&edge| Leg::Edge { edge }).collect(),
                    (true, Some(from)) => vec![Leg::Line {
                        from,
                        to: topo.queues[q].node,
                    }],
                    (true, None) => continue,
                };
                k.recorder.motion(|| {
                    Some(Motion {
                        copy: parcel,
                        origin,
                        legs,
                        reverse: false,
                        depart: now,
                        arrive: end,
                        count: 1,
                        kind: MotionKind::Route {
                            dead_lettered: dead_letter.is_some(),
                        },
                    })
                });
            }
            let queue_nodes = queues.iter().map(|&q| topo.queues[q].node).collect();
            k.emit(|| EventKind::Routed {
                copy,
                exchange: exchange_node,
                copies,
                queues: queue_nodes,
                paths,
            });
        }
        self.router.queues = queues;
    }
}
