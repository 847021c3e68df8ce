//! Commands in (design §1): what a user or the UI asks of a running simulation at its
//! current time — publish, produce, send or publish to a topic by hand, crash or
//! switch a worker, reset a group's offsets, redrive, purge, move back — and basic.get
//! and the SQS receive, delete and change-visibility calls by hand. Each is checked
//! against the kind of node it names.

use super::{seams, Simulation};
use crate::core::kernel::time::ms_to_us;
use crate::core::model::ids::NodeId;
use crate::core::topology::NodeRef;

/// Something the user (or the UI) asks the simulation to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Publish one message from a producer now (outside its schedule).
    Publish {
        /// Producer node.
        producer: NodeId,
    },
    /// Crash a consumer now; it restarts after its `restart_ms`.
    CrashConsumer {
        /// Consumer node.
        consumer: NodeId,
    },
    /// Disconnect (false) or reconnect (true) a consumer.
    SetConsumerOnline {
        /// Consumer node.
        consumer: NodeId,
        /// Desired state.
        online: bool,
    },
    /// Publish one message to an exchange now, as a client would (basic.publish).
    PublishTo {
        /// Exchange node.
        exchange: NodeId,
        /// Routing key.
        routing_key: String,
        /// Payload.
        payload: String,
        /// Properties and headers (`message_id` absent: "by hand").
        properties: crate::core::scenario::script::PublishProperties,
    },
    /// Produce one record to a Kafka topic now, as a client would.
    Produce {
        /// Topic node.
        topic: NodeId,
        /// Key (none: a null key).
        key: Option<String>,
        /// Value (none: a tombstone).
        value: Option<String>,
    },
    /// SendMessage to an SQS queue now, as a client would.
    SendTo {
        /// SQS queue node.
        queue: NodeId,
        /// Body.
        body: String,
        /// `MessageGroupId` (FIFO).
        group_id: Option<String>,
        /// `MessageDeduplicationId` (FIFO).
        dedup_id: Option<String>,
    },
    /// Publish to an SNS topic now, as a client would.
    SnsPublish {
        /// SNS topic node.
        topic: NodeId,
        /// Message.
        message: String,
        /// Message attributes.
        attributes: serde_json::Map<String, serde_json::Value>,
        /// `MessageGroupId` (FIFO topics).
        group_id: Option<String>,
        /// `MessageDeduplicationId` (FIFO topics).
        dedup_id: Option<String>,
    },
    /// Restart the RabbitMQ broker now: consumers' connections drop (their unacked
    /// deliveries return, redelivered), durable queues keep their persistent messages,
    /// the rest is lost (`broker_restart`), and consumers reconnect.
    RestartBroker,
    /// queue.purge: remove every ready message of a RabbitMQ queue.
    Purge {
        /// Queue node.
        queue: NodeId,
    },
    /// Move a RabbitMQ queue's dead-lettered messages back to the exchange of their
    /// first death (a shovel).
    MoveBack {
        /// Queue node.
        queue: NodeId,
    },
    /// Move a dead-letter queue's messages back to their source queues.
    Redrive {
        /// The dead-letter SQS queue node.
        queue: NodeId,
    },
    /// Reset a consumer group's committed offsets on a topic (replay or skip).
    ResetOffsets {
        /// Topic node.
        topic: NodeId,
        /// `group.id`.
        group: String,
        /// Where to.
        to: crate::core::scenario::OffsetTarget,
    },
}

impl Simulation {
    /// Applies a user command at the current time.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        if command == Command::RestartBroker {
            self.restart_broker();
            return Ok(());
        }
        let node = match &command {
            Command::RestartBroker => return Ok(()),
            Command::Publish { producer } => *producer,
            Command::CrashConsumer { consumer } | Command::SetConsumerOnline { consumer, .. } => {
                *consumer
            }
            Command::Produce { topic, .. } | Command::ResetOffsets { topic, .. } => *topic,
            Command::PublishTo { exchange, .. } => *exchange,
            Command::SendTo { queue, .. }
            | Command::Redrive { queue }
            | Command::Purge { queue }
            | Command::MoveBack { queue } => *queue,
            Command::SnsPublish { topic, .. } => *topic,
        };
        let r = self
            .topo
            .nodes
            .get(node.index())
            .copied()
            .ok_or_else(|| format!("no node #{}", node.0))?;
        match (command, r) {
            (Command::Publish { .. }, NodeRef::Producer(p)) => {
                if !self.topo.producers[p].has_target() {
                    return Err("this producer is not connected to an exchange or a topic".into());
                }
                self.publish_from_producer(p);
                Ok(())
            }
            (Command::CrashConsumer { .. }, NodeRef::Consumer(c)) => {
                self.crash_consumer(c);
                Ok(())
            }
            (Command::SetConsumerOnline { online, .. }, NodeRef::Consumer(c)) => {
                self.set_manual_outage(c, !online);
                Ok(())
            }
            (
                Command::PublishTo {
                    routing_key,
                    payload,
                    properties,
                    ..
                },
                NodeRef::Exchange(x),
            ) => {
                if let Some((_, problem)) =
                    crate::core::families::rabbit::routing::routing_header_problem(|k| {
                        properties.headers.get(k)
                    })
                {
                    return Err(problem);
                }
                if self.topo.exchanges[x].internal {
                    return Err(crate::core::scenario::internal_refusal(
                        &self.topo.exchanges[x].name,
                    ));
                }
                let out = crate::core::model::message::Outgoing {
                    routing_key: std::rc::Rc::from(routing_key),
                    headers: std::rc::Rc::new(properties.headers.into_iter().collect()),
                    payload: std::rc::Rc::from(payload),
                    message_id: std::rc::Rc::from(
                        properties.message_id.as_deref().unwrap_or("by hand"),
                    ),
                    correlation_id: properties.correlation_id.map(std::rc::Rc::from),
                    reply_to: properties.reply_to.map(std::rc::Rc::from),
                    priority: properties.priority,
                    expiration_us: properties.expiration.map(ms_to_us),
                    key: None,
                    partition: None,
                    tombstone: false,
                    aws: crate::core::model::message::AwsSend::NONE,
                    persistent: properties.delivery_mode == Some(2),
                };
                self.offer(
                    None,
                    seams::Ingress::Exchange {
                        exchange: x,
                        edge: None,
                    },
                    out,
                );
                Ok(())
            }
            (Command::Produce { key, value, .. }, NodeRef::Topic(t)) => {
                let size =
                    key.as_ref().map_or(0, String::len) + value.as_ref().map_or(0, String::len);
                let segment_bytes = self.topo.topics[t].spec.segment_bytes;
                let out = crate::core::model::message::Outgoing {
                    routing_key: std::rc::Rc::from(key.as_deref().unwrap_or("")),
                    payload: std::rc::Rc::from(value.as_deref().unwrap_or("")),
                    message_id: std::rc::Rc::from("by hand"),
                    tombstone: value.is_none(),
                    aws: crate::core::model::message::AwsSend::NONE,
                    key: key.map(std::rc::Rc::from),
                    headers: std::rc::Rc::default(),
                    correlation_id: None,
                    reply_to: None,
                    priority: None,
                    expiration_us: None,
                    partition: None,
                    persistent: false,
                };
                match self.offer(
                    None,
                    seams::Ingress::Topic {
                        topic: t,
                        edge: None,
                    },
                    out,
                ) {
                    seams::Offered::Accepted(_)
                    | seams::Offered::Deduplicated(_)
                    | seams::Offered::Blocked => Ok(()),
                    seams::Offered::Refused(_) if size as u64 > segment_bytes => Err(format!(
                        "the record ({size} bytes) is larger than a segment of this topic (segment_bytes {segment_bytes}): Kafka refuses it"
                    )),
                    seams::Offered::Refused(_) => {
                        Err("a compacted topic refuses a record without a key".into())
                    }
                }
            }
            (
                Command::SendTo {
                    body,
                    group_id,
                    dedup_id,
                    ..
                },
                NodeRef::SqsQueue(q),
            ) => {
                if body.is_empty() {
                    return Err(
                        "a message needs a body of at least one character (SendMessage)".into(),
                    );
                }
                let no_group = group_id.is_none();
                let out = aws_outgoing(body, Default::default(), group_id, dedup_id, None);
                match self.offer(
                    None,
                    seams::Ingress::Sqs {
                        queue: q,
                        edge: None,
                    },
                    out,
                ) {
                    seams::Offered::Refused(_) => Err(fifo_refusal("queue", no_group)),
                    _ => Ok(()),
                }
            }
            (
                Command::SnsPublish {
                    message,
                    attributes,
                    group_id,
                    dedup_id,
                    ..
                },
                NodeRef::SnsTopic(t),
            ) => {
                if message.is_empty() {
                    return Err(
                        "a message needs at least one character (SNS Publish refuses an empty one)"
                            .into(),
                    );
                }
                if attributes.len() > crate::core::scenario::MAX_ATTRIBUTES {
                    return Err(format!(
                        "attributes: {}",
                        crate::core::scenario::too_many_attributes(attributes.len())
                    ));
                }
                if let Some((name, problem)) = attributes
                    .iter()
                    .find_map(|(k, v)| crate::core::scenario::attribute_problem(v).map(|p| (k, p)))
                {
                    return Err(format!("attribute {name} {problem}"));
                }
                let no_group = group_id.is_none();
                let out = aws_outgoing(message, attributes, group_id, dedup_id, None);
                match self.offer(
                    None,
                    seams::Ingress::Sns {
                        topic: t,
                        edge: None,
                    },
                    out,
                ) {
                    seams::Offered::Refused(_) => Err(fifo_refusal("topic", no_group)),
                    _ => Ok(()),
                }
            }
            (Command::Purge { .. }, NodeRef::Queue(q)) => {
                self.rabbit.purge(&mut self.kernel, &self.topo, q);
                Ok(())
            }
            (Command::MoveBack { .. }, NodeRef::Queue(q)) => {
                let (moved, _) = self.rabbit.move_back(&mut self.kernel, &self.topo, q);
                if moved == 0 {
                    return Err(
                        "no ready message here was dead-lettered from an exchange a client can publish to (in the diagram, not internal): nothing to move back".into(),
                    );
                }
                Ok(())
            }
            (Command::Redrive { .. }, NodeRef::SqsQueue(q)) => {
                self.sqs.redrive(&mut self.kernel, &self.topo, q);
                Ok(())
            }
            (Command::ResetOffsets { group, to, .. }, NodeRef::Topic(t)) => {
                let g = self.topo.topics[t]
                    .groups
                    .iter()
                    .copied()
                    .find(|&g| *self.topo.groups[g].name == *group)
                    .ok_or_else(|| format!("no group `{group}` reads this topic"))?;
                self.log.reset_offsets(&mut self.kernel, &self.topo, g, to);
                Ok(())
            }
            _ => Err("that command does not apply to this kind of node".into()),
        }
    }

    /// basic.get by hand: up to `count` ready messages from queue node `queue`, each
    /// then acked, requeued or rejected (`how`); returns their payloads.
    pub fn get_by_hand(
        &mut self,
        queue: NodeId,
        count: u32,
        how: crate::core::families::rabbit::Settlement,
    ) -> Result<Vec<String>, String> {
        match self.topo.nodes.get(queue.index()) {
            Some(NodeRef::Queue(q)) => {
                let q = *q;
                Ok(self
                    .rabbit
                    .get(&mut self.kernel, &self.topo, q, count.max(1), how))
            }
            _ => Err("only a queue can be read with basic.get".into()),
        }
    }
}

/// An SQS client call made by hand (the inspector's console), as the script step of the
/// same name makes it (design §5): the receipts it holds are the script's.
#[derive(Clone, Debug, PartialEq)]
pub enum SqsCall {
    /// ReceiveMessage: up to `max` (1–10), with this receive's visibility timeout
    /// (none: the queue's).
    Receive {
        /// `MaxNumberOfMessages`.
        max: u32,
        /// `VisibilityTimeout`, ms.
        visibility_timeout_ms: Option<f64>,
    },
    /// DeleteMessage of the most recently received in-flight message with `body`.
    Delete {
        /// Its body.
        body: String,
    },
    /// ChangeMessageVisibility of the most recently received in-flight message with
    /// `body`: hidden for `timeout_ms` from now (0: visible at once).
    ChangeVisibility {
        /// Its body.
        body: String,
        /// The new timeout, ms.
        timeout_ms: f64,
    },
}

impl Simulation {
    /// An SQS call by hand on SQS queue node `queue`; a receive returns the bodies it
    /// got (oldest first), the others nothing. A delete or change of visibility that
    /// holds no current receipt for the body is refused with the reason.
    pub fn sqs_by_hand(&mut self, queue: NodeId, call: &SqsCall) -> Result<Vec<String>, String> {
        let Some(NodeRef::SqsQueue(q)) = self.topo.nodes.get(queue.index()) else {
            return Err("only an SQS queue takes SQS calls".into());
        };
        let q = *q;
        let (k, topo) = (&mut self.kernel, &self.topo);
        let no_receipt = |body: &str| {
            format!(
                "no message with body \"{body}\" is in flight from a receive by hand: receive it first (a receipt ends when its visibility timeout runs out or it is deleted)"
            )
        };
        match call {
            SqsCall::Receive {
                max,
                visibility_timeout_ms,
            } => Ok(self
                .sqs
                .client_receive(k, topo, q, *max, *visibility_timeout_ms)),
            SqsCall::Delete { body } => match self.sqs.client_delete(k, topo, q, body) {
                Some(true) => Ok(Vec::new()),
                Some(false) => Err(format!(
                    "the delete succeeded but deleted nothing: \"{body}\" was received again since, and only the latest receipt deletes"
                )),
                None => Err(no_receipt(body)),
            },
            SqsCall::ChangeVisibility { body, timeout_ms } => {
                match self
                    .sqs
                    .client_change_visibility(k, topo, q, body, *timeout_ms)
                {
                    true => Ok(Vec::new()),
                    false => Err(no_receipt(body)),
                }
            }
        }
    }
}

/// A message for SQS or SNS from a client (by hand or a script).
pub(crate) fn aws_outgoing(
    body: String,
    attributes: serde_json::Map<String, serde_json::Value>,
    group_id: Option<String>,
    dedup_id: Option<String>,
    delay_us: Option<u64>,
) -> crate::core::model::message::Outgoing {
    use std::rc::Rc;
    crate::core::model::message::Outgoing {
        routing_key: crate::core::model::message::empty_text(),
        headers: Rc::new(attributes.into_iter().collect()),
        payload: Rc::from(body),
        message_id: Rc::from("by hand"),
        correlation_id: None,
        reply_to: None,
        priority: None,
        expiration_us: None,
        key: None,
        partition: None,
        tombstone: false,
        aws: crate::core::model::message::AwsSend {
            group_id: group_id.map(Rc::from),
            dedup_id: dedup_id.map(Rc::from),
            delay_us,
        },
        persistent: false,
    }
}

impl Simulation {
    /// The RabbitMQ broker restarts now: every connected RabbitMQ consumer's connection
    /// drops (its unacked deliveries go back to their queues, redelivered), the queues
    /// keep what survives a restart, and the consumers connect again.
    pub(crate) fn restart_broker(&mut self) {
        let connected: Vec<usize> = (0..self.workers.len())
            .filter(|&c| self.topo.consumers[c].queue.is_some() && self.workers[c].online)
            .collect();
        for &c in &connected {
            self.go_down(c, crate::core::model::events::DownReason::Outage);
        }
        self.rabbit.restart(&mut self.kernel, &self.topo);
        for &c in &connected {
            self.come_up(c);
        }
    }
}

/// Why a FIFO queue or topic refused a call made by hand: it lacked a group id, or
/// (with content-based deduplication off) a deduplication id (API_SendMessage,
/// API_Publish).
fn fifo_refusal(what: &str, no_group: bool) -> String {
    if no_group {
        format!("a FIFO {what} needs a message group id")
    } else {
        format!("a FIFO {what} without content-based deduplication needs a deduplication id")
    }
}
