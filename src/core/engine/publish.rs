//! Publishing and routing: producers' schedules and templates, replies and forwards
//! after processing, and what happens when a copy reaches an exchange.

use super::agenda::Action;
use super::events::{DropReason, EventKind};
use super::Simulation;
use crate::core::ids::{EdgeId, MessageId, NodeId};
use crate::core::message::{Copy, CopyState, DeathReason, MessageBody};
use crate::core::routing::headers::Headers;
use crate::core::routing::sender_selected_keys;
use crate::core::scenario::TemplateContext;
use crate::core::time::{ms_to_us, SimTime};
use crate::core::topology::{HeaderValue, ProducerInfo};
use std::rc::Rc;

/// The headers every message of `p` carries, when none of them is a template with
/// placeholders (so they can be shared instead of rebuilt per message).
pub(super) fn fixed_headers(p: &ProducerInfo) -> Option<Rc<Headers>> {
    let mut out = Headers::new();
    for (name, value) in &p.headers {
        let v = match value {
            HeaderValue::Fixed(v) => v.clone(),
            HeaderValue::Template(t) => serde_json::Value::String(t.constant()?.to_string()),
        };
        out.insert(name.clone(), v);
    }
    Some(Rc::new(out))
}

/// Most messages of an all-at-once burst published by one action.
pub const BURST_SLICE: u64 = 4096;

/// What to publish, before it becomes a copy.
pub(super) struct Outgoing {
    pub routing_key: Rc<str>,
    pub headers: Rc<Headers>,
    pub payload: Rc<str>,
    pub message_id: Rc<str>,
    pub correlation_id: Option<Rc<str>>,
    pub reply_to: Option<Rc<str>>,
    pub priority: Option<u8>,
    pub expiration_us: Option<u64>,
}

impl Simulation {
    pub(super) fn producer_tick(&mut self, p: usize) {
        if !self.publish_from_producer(p) {
            return;
        }
        let spec = &self.topo.producers[p].spec;
        let k = self.producers[p].steady_sent + 1;
        self.producers[p].steady_sent = k;
        let start = SimTime::from_ms(spec.start_ms);
        let next = start.plus(((k as f64) * 1_000_000.0 / spec.rate_per_sec).round() as u64);
        self.agenda.push(
            next.max(self.now),
            Action::ProducerTick { producer: p as u32 },
        );
    }

    pub(super) fn burst_tick(&mut self, p: usize, b: usize, i: u32) {
        let i = i as u64;
        let burst = &self.topo.producers[p].spec.bursts[b];
        let (count, spread_ms, at_ms) = (burst.count, burst.spread_ms, burst.at_ms);
        if spread_ms <= 0.0 {
            return self.burst_rest(p, b, i);
        }
        let burst = crate::core::scenario::Burst {
            count,
            spread_ms,
            at_ms,
        };
        if !self.publish_from_producer(p) {
            return;
        }
        let next = i + 1;
        if next < burst.count {
            let offset = ms_to_us(burst.spread_ms) as u128 * next as u128 / burst.count as u128;
            let at = SimTime::from_ms(burst.at_ms).plus(offset as u64);
            self.agenda.push(
                at.max(self.now),
                Action::BurstTick {
                    producer: p as u32,
                    burst: b as u32,
                    i: next as u32,
                },
            );
        }
    }

    /// Publishes an all-at-once burst from message `i`, at most [`BURST_SLICE`] now;
    /// the rest is scheduled to run next (see [`Action::BurstRest`]).
    pub(super) fn burst_rest(&mut self, p: usize, b: usize, i: u64) {
        let count = self.topo.producers[p].spec.bursts[b].count;
        let end = count.min(i + BURST_SLICE);
        for _ in i..end {
            if !self.publish_from_producer(p) {
                return;
            }
        }
        if end < count {
            self.agenda.push_next(
                self.now,
                Action::BurstRest {
                    producer: p as u32,
                    burst: b as u32,
                    i: end,
                },
            );
        }
    }

    /// Publishes the producer's next message. False when its count limit is reached
    /// or it has no exchange.
    pub(crate) fn publish_from_producer(&mut self, p: usize) -> bool {
        let info = &self.topo.producers[p];
        let Some((exchange, edge)) = info.target else {
            return false;
        };
        if let Some(limit) = info.spec.count {
            if self.producers[p].sent >= limit {
                return false;
            }
        }
        self.producers[p].sent += 1;
        let n = self.producers[p].sent;
        let info = &self.topo.producers[p];
        let ctx = TemplateContext {
            n,
            producer: &info.name,
            key: "",
        };
        let rng = &mut self.rng;
        let routing_key = info.routing_key.render(&ctx, rng);
        let payload = info.payload.render(&ctx, rng);
        let message_id = info.message_id.render(&ctx, rng);
        let priority = info
            .priority
            .as_ref()
            .and_then(|t| t.render(&ctx, rng).trim().parse::<u8>().ok());
        let headers = match &self.producers[p].fixed_headers {
            Some(h) => h.clone(),
            None => {
                let mut h = Headers::new();
                for (name, value) in &info.headers {
                    let v = match value {
                        HeaderValue::Fixed(v) => v.clone(),
                        HeaderValue::Template(t) => {
                            serde_json::Value::String(t.render(&ctx, rng).to_string())
                        }
                    };
                    h.insert(name.clone(), v);
                }
                Rc::new(h)
            }
        };
        let reply_to = info.spec.reply_to.as_deref().map(Rc::from);
        let correlation_id = reply_to.as_ref().map(|_| message_id.clone());
        let out = Outgoing {
            routing_key,
            headers,
            payload,
            message_id,
            correlation_id,
            reply_to,
            priority,
            expiration_us: info.spec.expiration_ms.map(ms_to_us),
        };
        let node = info.node;
        self.publish(node, exchange, Some(edge), out);
        true
    }

    /// Creates a message and sends its copy along the edge to `exchange`.
    pub(super) fn publish(
        &mut self,
        from: NodeId,
        exchange: usize,
        edge: Option<EdgeId>,
        out: Outgoing,
    ) {
        self.next_message += 1;
        self.totals.published += 1;
        self.totals.hops += 1;
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
            id: MessageId(self.next_message),
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
            published_at: self.now,
        });
        let id = self.new_copy_id();
        let copy = Copy {
            id,
            body: body.clone(),
            state: CopyState::InFlight,
            routing_key: out.routing_key,
            cc_active: true,
            bcc_active: true,
            exchange: self.topo.exchanges[exchange].name.clone(),
            redelivered: false,
            returns: 0,
            x_death: Vec::new(),
            expiration_cleared: false,
            expires_at: None,
            seq: 0,
            level: 0,
            held_at: 0,
            enqueued_at: self.now,
        };
        let slot = self.alloc(copy);
        if self.recording {
            let exchange_node = self.topo.exchanges[exchange].node;
            self.emit(|| EventKind::Published {
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
        }
        let at = self.now.plus(self.latency_us);
        self.agenda.push(
            at,
            Action::ArriveExchange {
                slot,
                exchange: exchange as u32,
                dead_letter: None,
            },
        );
    }

    /// After a consumer acks `body`: replies to `reply_to` through the default exchange
    /// (when the consumer replies) and publishes along each forward edge.
    pub(super) fn publish_after_processing(&mut self, c: usize, body: &MessageBody, key: &Rc<str>) {
        let info = &self.topo.consumers[c];
        let node = info.node;
        let mut outgoing: Vec<(usize, Option<EdgeId>, Outgoing)> = Vec::new();
        if info.spec.reply {
            if let Some(reply_to) = &body.reply_to {
                outgoing.push((
                    self.topo.default_exchange,
                    None,
                    Outgoing {
                        routing_key: reply_to.clone(),
                        headers: body.headers.clone(),
                        payload: Rc::from(format!("reply to {}", body.message_id)),
                        message_id: Rc::from(format!("{}-reply", body.message_id)),
                        correlation_id: Some(
                            body.correlation_id
                                .clone()
                                .unwrap_or_else(|| body.message_id.clone()),
                        ),
                        reply_to: None,
                        priority: None,
                        expiration_us: None,
                    },
                ));
            }
        }
        for fwd in &info.forwards {
            let n = self.consumers[c].stats.published + outgoing.len() as u64 + 1;
            let ctx = TemplateContext {
                n,
                producer: &info.name,
                key,
            };
            let routing_key = fwd.routing_key.render(&ctx, &mut self.rng);
            outgoing.push((
                fwd.exchange,
                Some(fwd.edge),
                Outgoing {
                    routing_key,
                    headers: body.headers.clone(),
                    payload: body.payload.clone(),
                    message_id: body.message_id.clone(),
                    correlation_id: body.correlation_id.clone(),
                    reply_to: body.reply_to.clone(),
                    priority: body.priority,
                    expiration_us: None,
                },
            ));
        }
        for (exchange, edge, out) in outgoing {
            self.consumers[c].stats.published += 1;
            self.publish(node, exchange, edge, out);
        }
    }

    /// A copy reaches an exchange: route it atomically and send one copy to each queue.
    pub(super) fn arrive_exchange(
        &mut self,
        slot: u32,
        x: usize,
        dead_letter: Option<DeathReason>,
    ) {
        let (key, headers, extra) = {
            let c = self.copy(slot);
            let extra = if c.body.cc.is_empty() && c.body.bcc.is_empty() {
                Vec::new()
            } else {
                c.extra_keys()
            };
            (c.routing_key.clone(), c.body.headers.clone(), extra)
        };
        self.router.route(&self.topo, x, &key, &extra, &headers);
        let mut queues = std::mem::take(&mut self.router.queues);
        let mut cycled = false;
        if let Some(reason) = dead_letter {
            if reason != DeathReason::Rejected {
                let copy = self.copy(slot);
                let before = queues.len();
                let keep: Vec<bool> = queues
                    .iter()
                    .map(|&q| {
                        !super::dead_letter::is_cycle(&copy.x_death, &self.topo.queues[q].name)
                    })
                    .collect();
                let mut k = keep.iter();
                queues.retain(|_| *k.next().unwrap_or(&true));
                let mut k = keep.iter();
                self.router.depths.retain(|_| *k.next().unwrap_or(&true));
                cycled = queues.len() < before;
            }
        }
        let exchange_node = self.topo.exchanges[x].node;
        if queues.is_empty() {
            self.router.queues = queues;
            let reason = if cycled {
                DropReason::DeadLetterCycle
            } else {
                DropReason::Unroutable
            };
            self.drop_copy(slot, exchange_node, reason);
            return;
        }
        let name = self.topo.exchanges[x].name.clone();
        let copy = self.copy_mut(slot);
        copy.exchange = name;
        copy.bcc_active = false; // BCC keys are not kept on the delivered message
        let mut copies = Vec::with_capacity(if self.recording { queues.len() } else { 0 });
        let at = self.now.plus(self.latency_us);
        for (i, &q) in queues.iter().enumerate() {
            let target = if i == 0 {
                slot
            } else {
                let id = self.new_copy_id();
                let mut dup = self.copy(slot).clone();
                dup.id = id;
                self.alloc(dup)
            };
            if self.recording {
                copies.push(self.copy(target).id);
            }
            // One hop per edge travelled (exchange-to-exchange paths count each edge).
            self.totals.hops += self.router.depths.get(i).copied().unwrap_or(1) as u64;
            self.agenda.push(
                at,
                Action::ArriveQueue {
                    slot: target,
                    queue: q as u32,
                },
            );
        }
        if self.recording {
            let copy = self.copy(slot).id;
            let paths = queues.iter().map(|&q| self.router.path_to(q)).collect();
            let queue_nodes = queues.iter().map(|&q| self.topo.queues[q].node).collect();
            self.emit(|| EventKind::Routed {
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
