//! The producer actor, shared by every system: its steady-rate schedule, bursts (an
//! all-at-once burst is published in slices so one step never freezes the page), the
//! count limit, and the templates that make each message (and, for a Kafka topic, its
//! key and partition). What it makes is offered to
//! the system at the end of its edge through the `offer` seam. A producer whose ZeroMQ
//! PUSH socket blocks (no connected peer with room) keeps the message and sends
//! nothing more until it is told to try again: its steady schedule is pushed back by
//! the time it waited, and burst messages that fell due meanwhile are sent then, so
//! its rate falls and nothing is dropped.

use crate::core::families::pipe::Sender;
use crate::core::families::rabbit::routing::headers::Headers;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::time::{ms_to_us, SimTime};
use crate::core::model::message::Outgoing;
use crate::core::scenario::TemplateContext;
use crate::core::simulation::seams::{Ingress, Offered};
use crate::core::simulation::Simulation;
use crate::core::topology::{AwsTarget, HeaderValue, ProducerInfo};
use std::rc::Rc;

/// Most messages of an all-at-once burst published by one action.
pub const BURST_SLICE: u64 = 1024;

/// Live state of one producer.
#[derive(Clone, Debug, Default)]
pub struct ProducerState {
    /// Messages published in total.
    pub sent: u64,
    /// Messages published by the steady-rate timer.
    pub steady_sent: u64,
    /// Headers shared by every message, when none of them is a template.
    pub fixed_headers: Option<Rc<Headers>>,
    /// The message a blocked ZeroMQ send holds.
    pub pending: Option<Outgoing>,
    /// A steady tick fell due while blocked (the schedule resumes when unblocked).
    pub steady_due: bool,
    /// Burst messages that fell due while blocked.
    pub owed: u64,
    /// How far blocking has pushed the steady schedule back, µs.
    pub shift_us: u64,
}

impl ProducerState {
    /// The state of producer `p` before its first message.
    pub fn new(p: &ProducerInfo) -> ProducerState {
        ProducerState {
            fixed_headers: fixed_headers(p),
            ..ProducerState::default()
        }
    }
}

/// The headers every message of `p` carries, when none of them is a template with
/// placeholders (so they can be shared instead of rebuilt per message).
fn fixed_headers(p: &ProducerInfo) -> Option<Rc<Headers>> {
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

impl Simulation {
    /// Schedules every producer's first steady tick and its bursts.
    pub(crate) fn schedule_producers(&mut self) {
        for (p, info) in self.topo.producers.iter().enumerate() {
            if !info.has_target() {
                continue;
            }
            let spec = &info.spec;
            if spec.rate_per_sec > 0.0 {
                self.kernel.agenda.push(
                    SimTime::from_ms(spec.start_ms),
                    Action::ProducerTick { producer: p as u32 },
                );
            }
            for (b, burst) in spec.bursts.iter().enumerate() {
                if burst.count > 0 {
                    self.kernel.agenda.push(
                        SimTime::from_ms(burst.at_ms),
                        Action::BurstTick {
                            producer: p as u32,
                            burst: b as u32,
                            i: 0,
                        },
                    );
                }
            }
        }
    }

    /// The steady-rate timer of producer `p`: message k (from 0) at
    /// `start_ms + k × 1000 / rate_per_sec`.
    pub(crate) fn producer_tick(&mut self, p: usize) {
        if self.producers[p].pending.is_some() {
            self.producers[p].steady_due = true;
            return;
        }
        if !self.publish_from_producer(p) {
            return;
        }
        let k = self.producers[p].steady_sent + 1;
        self.producers[p].steady_sent = k;
        let next = self.steady_time(p, k);
        let now = self.kernel.now;
        self.kernel
            .agenda
            .push(next.max(now), Action::ProducerTick { producer: p as u32 });
    }

    /// When steady message `k` of producer `p` is due.
    fn steady_time(&self, p: usize, k: u64) -> SimTime {
        let spec = &self.topo.producers[p].spec;
        SimTime::from_ms(spec.start_ms)
            .plus(((k as f64) * 1_000_000.0 / spec.rate_per_sec).round() as u64)
            .plus(self.producers[p].shift_us)
    }

    /// A blocked producer may send again: its held message first, then the burst
    /// messages that fell due, then its steady schedule resumes from now.
    pub(crate) fn producer_unblocked(&mut self, p: usize) {
        let Some(out) = self.producers[p].pending.take() else {
            return;
        };
        let node = self.topo.producers[p].node;
        let ingress = Ingress::Pipes {
            sender: Sender::Producer(p),
        };
        if self.offer(Some(node), ingress, out.clone()) == Offered::Blocked {
            self.producers[p].pending = Some(out);
            return;
        }
        while self.producers[p].owed > 0 && self.producers[p].pending.is_none() {
            self.producers[p].owed -= 1;
            if !self.publish_from_producer(p) {
                self.producers[p].owed = 0;
            }
        }
        if self.producers[p].pending.is_none() && std::mem::take(&mut self.producers[p].steady_due)
        {
            let due = self.steady_time(p, self.producers[p].steady_sent);
            let now = self.kernel.now;
            self.producers[p].shift_us += now.0.saturating_sub(due.0);
            self.producer_tick(p);
        }
    }

    /// Message `i` of burst `b` of producer `p`.
    pub(crate) fn burst_tick(&mut self, p: usize, b: usize, i: u32) {
        let i = i as u64;
        let burst = &self.topo.producers[p].spec.bursts[b];
        let (count, spread_ms, at_ms) = (burst.count, burst.spread_ms, burst.at_ms);
        if spread_ms <= 0.0 {
            return self.burst_rest(p, b, i);
        }
        if self.producers[p].pending.is_some() {
            self.producers[p].owed += 1;
        } else if !self.publish_from_producer(p) {
            return;
        }
        let next = i + 1;
        if next < count {
            let offset = ms_to_us(spread_ms) as u128 * next as u128 / count as u128;
            let at = SimTime::from_ms(at_ms).plus(offset as u64);
            let now = self.kernel.now;
            self.kernel.agenda.push(
                at.max(now),
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
    pub(crate) fn burst_rest(&mut self, p: usize, b: usize, i: u64) {
        let count = self.topo.producers[p].spec.bursts[b].count;
        let end = count.min(i + BURST_SLICE);
        for _ in i..end {
            if self.producers[p].pending.is_some() {
                self.producers[p].owed += 1;
            } else if !self.publish_from_producer(p) {
                return;
            }
        }
        if end < count {
            let now = self.kernel.now;
            self.kernel.agenda.push_next(
                now,
                Action::BurstRest {
                    producer: p as u32,
                    burst: b as u32,
                    i: end,
                },
            );
        }
    }

    /// Makes the producer's next message and offers it. False when its count limit is
    /// reached or it is not connected.
    pub(crate) fn publish_from_producer(&mut self, p: usize) -> bool {
        let info = &self.topo.producers[p];
        if !info.has_target() {
            return false;
        }
        if let Some(limit) = info.spec.count {
            if self.producers[p].sent >= limit {
                return false;
            }
        }
        self.producers[p].sent += 1;
        let n = self.producers[p].sent;
        let ctx = TemplateContext {
            n,
            producer: &info.name,
            key: "",
        };
        let rng = &mut self.kernel.rng;
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
        let key = info.key.as_ref().map(|t| t.render(&ctx, rng));
        let aws = match info.aws {
            Some(_) => crate::core::model::message::AwsSend {
                group_id: info.group_id.as_ref().map(|t| t.render(&ctx, rng)),
                dedup_id: info.dedup_id.as_ref().map(|t| t.render(&ctx, rng)),
                delay_us: None,
            },
            None => crate::core::model::message::AwsSend::NONE,
        };
        // SQS and SNS carry message attributes where RabbitMQ has headers.
        let headers = if info.aws.is_some() && !info.attributes.is_empty() {
            let mut h = Headers::new();
            for (name, value) in &info.attributes {
                let v = match value {
                    HeaderValue::Fixed(v) => v.clone(),
                    // A template that renders a number is an attribute of type Number
                    // (so numeric filter policies can match it).
                    HeaderValue::Template(t) => {
                        let text = t.render(&ctx, rng);
                        match text.trim().parse::<f64>().ok().filter(|x| x.is_finite()) {
                            Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => {
                                serde_json::Value::from(x as i64)
                            }
                            Some(x) => serde_json::Number::from_f64(x)
                                .map(serde_json::Value::Number)
                                .unwrap_or_else(|| serde_json::Value::String(text.to_string())),
                            None => serde_json::Value::String(text.to_string()),
                        }
                    }
                };
                h.insert(name.clone(), v);
            }
            Rc::new(h)
        } else {
            headers
        };
        let out = Outgoing {
            key,
            partition: info.spec.partition,
            routing_key,
            headers,
            payload,
            message_id,
            correlation_id,
            reply_to,
            priority,
            expiration_us: info.spec.expiration_ms.map(ms_to_us),
            tombstone: false,
            aws,
            persistent: info.spec.delivery_mode == Some(2),
        };
        let node = info.node;
        if !info.pipes.is_empty() {
            let ingress = Ingress::Pipes {
                sender: Sender::Producer(p),
            };
            if self.offer(Some(node), ingress, out.clone()) == Offered::Blocked {
                self.producers[p].pending = Some(out);
            }
            return true;
        }
        if let Some(call) = info.call {
            let caller = crate::core::families::rpc::Caller::Client(p);
            self.offer(Some(node), Ingress::Call { call, caller }, out);
            return true;
        }
        let ingress = match (info.target, info.topic, info.aws) {
            (Some((exchange, edge)), ..) => Ingress::Exchange {
                exchange,
                edge: Some(edge),
            },
            (None, Some((topic, edge)), _) => Ingress::Topic {
                topic,
                edge: Some(edge),
            },
            (None, None, Some((AwsTarget::Queue(queue), edge))) => Ingress::Sqs {
                queue,
                edge: Some(edge),
            },
            (None, None, Some((AwsTarget::Topic(topic), edge))) => Ingress::Sns {
                topic,
                edge: Some(edge),
            },
            (None, None, None) => return false,
        };
        self.offer(Some(node), ingress, out);
        true
    }
}
