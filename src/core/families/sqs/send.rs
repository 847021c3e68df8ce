//! Sending: SQS SendMessage (FIFO group and deduplication rules at the call, then the
//! parcel travels and is stored on arrival, visible or delayed), SNS Publish (the
//! parcel travels to the topic, which fans out one copy per subscription whose filter
//! policy passes: to a queue as a send, to a worker as a push), and messages moved
//! by a redrive policy arriving in their dead-letter queue.
//!
//! Sources: SQS API reference, SendMessage (`DelaySeconds`, `MessageGroupId`,
//! `MessageDeduplicationId`); SQS developer guide, "Exactly-once processing"
//! (deduplication interval of 5 minutes, content-based deduplication); SNS developer
//! guide, "Amazon SNS message filtering" and "Amazon SNS raw message delivery" (the
//! JSON envelope an SQS subscriber gets without raw delivery); SNS API reference,
//! Publish (`MessageDeduplicationId`: a FIFO topic without ContentBasedDeduplication
//! refuses a publish that has none).

use super::filter::{matches, FilterScope};
use super::*;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::time::ms_to_us;
use crate::core::model::events::{DropReason, EventKind};
use crate::core::model::ids::{EdgeId, MessageId, NodeId};
use crate::core::model::message::Outgoing;
use crate::core::model::motion::MotionKind;
use crate::core::scenario::{PolicyScope, DEDUP_WINDOW_MS};
use crate::core::topology::SubscriptionTarget;

/// What became of a send or a publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// Accepted: it travels on as message `.0`.
    Accepted(MessageId),
    /// Accepted and not stored: a FIFO deduplication id seen within 5 minutes.
    Deduplicated(MessageId),
    /// Refused by the API (FIFO without a group id or a deduplication id).
    Refused(MessageId),
}

/// The parcel of message `message` just sent by `from` to the queue or topic `to`
/// (named `name`): it is created and the send is recorded.
fn sent_parcel(
    k: &mut Kernel,
    from: Option<NodeId>,
    message: MessageId,
    out: Outgoing,
    name: Rc<str>,
    to: NodeId,
) -> u32 {
    let body = Rc::new(body_of(k, from, message, out));
    let copy = new_copy(k, body, CopyState::InFlight, name, 0);
    let slot = k.alloc(copy);
    let id = k.copy(slot).id;
    k.emit(|| EventKind::Sent {
        copy: id,
        message,
        from,
        to,
    });
    slot
}

/// The body of an SQS or SNS message: the group id rides in `key`; there is no
/// routing key, priority or expiration.
fn body_of(k: &Kernel, from: Option<NodeId>, message: MessageId, out: Outgoing) -> MessageBody {
    let group = out.aws.group_id.clone();
    MessageBody {
        routing_key: crate::core::model::message::empty_text(),
        priority: None,
        expiration_us: None,
        key: group,
        tombstone: false,
        ..out.into_body(message, from, k.now)
    }
}

impl Sqs {
    /// Seam `offer` for an SQS queue: SendMessage from `from` along `edge`.
    pub fn send(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        from: Option<NodeId>,
        q: usize,
        edge: Option<EdgeId>,
        out: Outgoing,
    ) -> SendOutcome {
        let message = k.new_message_id();
        k.totals.published += 1;
        let info = &topo.sqs[q];
        let fifo = info.spec.fifo;
        if let Some(edge) = edge {
            k.travel(edge);
        }
        let dedup_id = fifo_dedup_id(fifo, info.spec.content_based_dedup, &out);
        let refused = fifo && (out.aws.group_id.is_none() || dedup_id.is_none());
        // FIFO queues have no per-message delay (the queue's applies).
        let delay_us = if fifo { None } else { out.aws.delay_us }
            .unwrap_or_else(|| ms_to_us(info.spec.delay_ms));
        let slot = sent_parcel(k, from, message, out, info.name.clone(), info.node);
        if refused {
            self.queues[q].ledger.refused += 1;
            k.drop_copy(slot, Some(info.node), DropReason::InvalidRequest);
            return SendOutcome::Refused(message);
        }
        if let Some(d) = dedup_id {
            if self.queues[q].seen_dedup(&d, k.now, ms_to_us(DEDUP_WINDOW_MS)) {
                let l = &mut self.queues[q].ledger;
                l.sent += 1;
                l.deduplicated += 1;
                k.settle_stored(slot);
                k.emit(|| EventKind::Deduplicated {
                    message,
                    at: info.node,
                });
                return SendOutcome::Deduplicated(message);
            }
        }
        k.totals.hops += 1;
        if let Some(edge) = edge {
            k.record_hop(slot, edge, MotionKind::Send);
        }
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArriveSqs {
                slot,
                queue: q as u32,
                delay_us: delay_us.min(u32::MAX as u64) as u32,
            },
        );
        SendOutcome::Accepted(message)
    }

    /// A sent parcel reaches queue `q`: the message is stored, visible or delayed.
    pub fn arrive_queue(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        slot: u32,
        q: usize,
        delay_us: u32,
    ) {
        let body = k.copy(slot).body.clone();
        let id = k.copy(slot).id;
        k.settle_stored(slot);
        self.queues[q].ledger.sent += 1;
        let visible_at = (delay_us > 0).then(|| k.now.plus(delay_us as u64));
        self.store(k, topo, q, body, k.now, visible_at, 0, None);
        let node = topo.sqs[q].node;
        k.emit(|| EventKind::Stored {
            copy: id,
            queue: node,
            delayed: delay_us > 0,
        });
    }

    /// A moved parcel reaches queue `q` from queue `from` (dead-lettered, or redriven
    /// back): stored visible, keeping its first send time, except that a FIFO queue's
    /// message dead-lettered starts its retention again ("For FIFO queues, the enqueue
    /// timestamp resets when the message is moved to a dead-letter queue", SQS
    /// developer guide, "Setting-up dead-letter queue retention"); a dead-lettered
    /// message keeps its receive count, a redriven one starts again from zero.
    pub fn arrive_moved(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        slot: u32,
        q: usize,
        from: usize,
    ) {
        let (body, count, sent_at, id) = {
            let c = k.copy(slot);
            (c.body.clone(), c.returns, c.enqueued_at, c.id)
        };
        k.settle_stored(slot);
        self.queues[q].ledger.moved_in += 1;
        let dead_lettered = topo.sqs[from].dead_letter.is_some_and(|(d, ..)| d == q);
        let (count, source) = if dead_lettered {
            (count, Some(from))
        } else {
            (0, None)
        };
        let sent_at = if dead_lettered && topo.sqs[q].spec.fifo {
            k.now
        } else {
            sent_at
        };
        self.store(k, topo, q, body, sent_at, None, count, source);
        let node = topo.sqs[q].node;
        k.emit(|| EventKind::Stored {
            copy: id,
            queue: node,
            delayed: false,
        });
    }

    /// Stores a message in queue `q`, arms its timers and wakes a waiting reader.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn store(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        q: usize,
        body: Rc<MessageBody>,
        sent_at: SimTime,
        visible_at: Option<SimTime>,
        receive_count: u32,
        source: Option<usize>,
    ) {
        let spec = &topo.sqs[q].spec;
        let r = self.queues[q].insert(
            body,
            k.now,
            sent_at,
            visible_at,
            receive_count,
            source,
            ms_to_us(spec.retention_ms),
        );
        if let Some(until) = visible_at.filter(|t| *t > k.now) {
            k.agenda.push(
                until,
                Action::SqsTimer {
                    queue: q as u32,
                    idx: r.idx,
                    token: 0,
                    seq: r.seq,
                },
            );
        }
        self.arm_retention(k, q);
        if visible_at.is_none_or(|t| t <= k.now) {
            self.wake(k, topo, q);
        }
    }

    /// Schedules queue `q`'s next retention expiry, unless a timer is pending for it
    /// already or earlier (a message moved in may expire before those waiting).
    fn arm_retention(&mut self, k: &mut Kernel, q: usize) {
        let store = &mut self.queues[q];
        if let Some(&(at, _)) = store.retention.front() {
            let at = at.max(k.now);
            if store.retention_armed.is_none_or(|armed| at < armed) {
                store.retention_armed = Some(at);
                k.agenda.push(at, Action::SqsRetention { queue: q as u32 });
            }
        }
    }

    /// Queue `q`'s oldest messages reach the end of the retention period: deleted,
    /// whatever their state (SQS developer guide, "message retention period").
    pub fn retention(&mut self, k: &mut Kernel, topo: &Topology, q: usize) {
        let node = topo.sqs[q].node;
        let store = &mut self.queues[q];
        if store.retention_armed != Some(k.now) {
            // A timer replaced by an earlier one (see arm_retention).
            return;
        }
        store.retention_armed = None;
        while let Some(&(at, r)) = store.retention.front() {
            if at > k.now {
                break;
            }
            store.retention.pop_front();
            if let Some(m) = store.remove(r) {
                store.ledger.expired += 1;
                let message = m.body.id;
                k.emit(|| EventKind::RetentionExpired {
                    message,
                    queue: node,
                });
            }
        }
        self.arm_retention(k, q);
    }

    /// Seam `offer` for an SNS topic: Publish from `from` along `edge`. On a FIFO topic
    /// a publish needs a group id, and a deduplication id unless the topic derives one
    /// from the body (content-based deduplication); otherwise it is refused.
    pub fn publish(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        from: Option<NodeId>,
        t: usize,
        edge: Option<EdgeId>,
        out: Outgoing,
    ) -> SendOutcome {
        let message = k.new_message_id();
        k.totals.published += 1;
        let info = &topo.sns[t];
        if let Some(edge) = edge {
            k.travel(edge);
        }
        let fifo = info.spec.fifo;
        let dedup_id = fifo_dedup_id(fifo, info.spec.content_based_dedup, &out);
        let refused = fifo && (out.aws.group_id.is_none() || dedup_id.is_none());
        let slot = sent_parcel(k, from, message, out, info.name.clone(), info.node);
        if refused {
            k.drop_copy(slot, Some(info.node), DropReason::InvalidRequest);
            return SendOutcome::Refused(message);
        }
        self.topics[t].published += 1;
        if let Some(d) = dedup_id {
            if self.topic_dedup[t].seen_dedup(&d, k.now, ms_to_us(DEDUP_WINDOW_MS)) {
                self.topics[t].deduplicated += 1;
                k.settle_stored(slot);
                k.emit(|| EventKind::Deduplicated {
                    message,
                    at: info.node,
                });
                return SendOutcome::Deduplicated(message);
            }
        }
        k.totals.hops += 1;
        if let Some(edge) = edge {
            k.record_hop(slot, edge, MotionKind::Send);
        }
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArriveSns {
                slot,
                topic: t as u32,
            },
        );
        SendOutcome::Accepted(message)
    }

    /// A published parcel reaches topic `t`: one copy per subscription whose filter
    /// policy passes, in subscription order.
    pub fn arrive_topic(&mut self, k: &mut Kernel, topo: &Topology, slot: u32, t: usize) {
        let info = &topo.sns[t];
        let (body, id) = (k.copy(slot).body.clone(), k.copy(slot).id);
        let attributes: serde_json::Map<String, serde_json::Value> = body
            .headers
            .iter()
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect();
        let mut copies = Vec::new();
        let mut filtered = 0u32;
        let mut envelope: Option<Rc<MessageBody>> = None;
        for sub in &info.subscriptions {
            if let Some(policy) = &sub.spec.filter_policy {
                let scope = match sub.spec.filter_policy_scope {
                    PolicyScope::MessageAttributes => FilterScope::MessageAttributes,
                    PolicyScope::MessageBody => FilterScope::MessageBody,
                };
                if !matches(policy, scope, &attributes, &body.payload) {
                    filtered += 1;
                    continue;
                }
            }
            let delivered = if sub.spec.raw_delivery {
                body.clone()
            } else {
                envelope
                    .get_or_insert_with(|| Rc::new(envelope_of(&body, &info.name, &attributes)))
                    .clone()
            };
            let (state, target) = match sub.target {
                SubscriptionTarget::Queue(q) => (CopyState::InFlight, topo.sqs[q].node),
                SubscriptionTarget::Worker(c) => (
                    CopyState::Received { consumer: c as u32 },
                    topo.consumers[c].node,
                ),
            };
            let copy = new_copy(k, delivered, state, info.name.clone(), 0);
            let s = k.alloc(copy);
            copies.push((k.copy(s).id, target));
            k.totals.hops += 1;
            k.travel(sub.edge);
            k.record_hop(s, sub.edge, MotionKind::Send);
            let at = k.hop_end();
            match sub.target {
                SubscriptionTarget::Queue(q) => k.agenda.push(
                    at,
                    Action::ArriveSqs {
                        slot: s,
                        queue: q as u32,
                        delay_us: 0,
                    },
                ),
                SubscriptionTarget::Worker(c) => {
                    self.pushed[c].push(s);
                    k.agenda.push(
                        at,
                        Action::SnsPush {
                            slot: s,
                            consumer: c as u32,
                        },
                    );
                }
            }
        }
        let stats = &mut self.topics[t];
        stats.delivered += copies.len() as u64;
        stats.filtered_out += filtered as u64;
        let delivered = !copies.is_empty();
        let node = info.node;
        k.emit(|| EventKind::FannedOut {
            copy: id,
            topic: node,
            copies,
            filtered,
        });
        if delivered {
            k.settle_stored(slot);
        } else {
            k.drop_copy(slot, Some(node), DropReason::FilteredOut);
        }
    }

    /// An SNS push reaches worker `c`; true when the worker takes it (it is up),
    /// false when it was dropped (the endpoint is down).
    pub fn push_arrives(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        slot: u32,
        c: usize,
        up: bool,
    ) -> bool {
        if up {
            return true;
        }
        if let Some(i) = self.pushed[c].iter().position(|s| *s == slot) {
            self.pushed[c].swap_remove(i);
            k.drop_copy(slot, Some(topo.consumers[c].node), DropReason::EndpointDown);
        }
        false
    }
}

/// The JSON an SQS subscriber receives without raw delivery (SNS developer guide,
/// "Amazon SNS raw message delivery": `Type`, `MessageId`, `TopicArn`, `Message`,
/// `MessageAttributes`; signature fields left out).
fn envelope_of(
    body: &MessageBody,
    topic: &str,
    attributes: &serde_json::Map<String, serde_json::Value>,
) -> MessageBody {
    let attrs: serde_json::Map<String, serde_json::Value> = attributes
        .iter()
        .map(|(k, v)| {
            let (ty, value) = match v {
                serde_json::Value::Number(n) => ("Number", n.to_string()),
                serde_json::Value::String(s) => ("String", s.clone()),
                other => ("String.Array", other.to_string()),
            };
            (k.clone(), serde_json::json!({"Type": ty, "Value": value}))
        })
        .collect();
    let mut env = serde_json::json!({
        "Type": "Notification",
        "MessageId": body.message_id.to_string(),
        "TopicArn": format!("arn:aws:sns:us-east-1:000000000000:{topic}"),
        "Message": body.payload.to_string(),
    });
    if !attrs.is_empty() {
        env["MessageAttributes"] = serde_json::Value::Object(attrs);
    }
    MessageBody {
        payload: Rc::from(env.to_string()),
        headers: Rc::default(),
        ..body.clone()
    }
}

/// The deduplication id of a send to a FIFO queue or a publish to a FIFO topic: the
/// one given, else, with content-based deduplication, one derived from the body; none
/// (refused) without either, and none for a standard queue or topic.
fn fifo_dedup_id(fifo: bool, content_based: bool, out: &Outgoing) -> Option<Rc<str>> {
    if !fifo {
        return None;
    }
    out.aws
        .dedup_id
        .clone()
        .or_else(|| content_based.then(|| content_dedup_id(&out.payload)))
}

/// The deduplication id content-based deduplication derives from a body. AWS hashes
/// the body with SHA-256 (API_SendMessage), so the derived id never equals an id a
/// sender gives; here it is the body in a namespace of its own, marked by a NUL that an
/// id cannot hold (ids are alphanumerics and punctuation).
fn content_dedup_id(body: &str) -> Rc<str> {
    Rc::from(format!("\u{0}{body}"))
}
