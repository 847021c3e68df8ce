//! The client actor: a scenario's `script` (design §5), one step at a time at its
//! simulated time, as a client program would — RabbitMQ's basic.publish to an
//! exchange by name, and basic.get from a queue by name with the messages then acked,
//! requeued or rejected. A script publish waits for its publisher confirm: a queue
//! that refuses it (`reject-publish`) makes the step report `refused`. A `produce`
//! writes one record to a Kafka topic (refused by a compacted topic without a key).

use crate::core::families::rabbit::routing::headers::Headers;
use crate::core::families::rabbit::Settlement;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::time::{ms_to_us, SimTime};
use crate::core::model::ids::MessageId;
use crate::core::model::message::Outgoing;
use crate::core::scenario::script::{GetAck, ScriptResult, ScriptStep};
use crate::core::simulation::seams::{Ingress, Offered};
use crate::core::simulation::Simulation;
use std::rc::Rc;

/// What the script has done so far.
#[derive(Clone, Debug, Default)]
pub struct ClientState {
    /// Results of the `get` steps run so far, by step index.
    pub got: Vec<(usize, Vec<String>)>,
    /// The message each `publish` step made, by step index.
    pub published: Vec<(usize, MessageId)>,
    /// SQS and SNS steps AWS would have answered with an error, by step index.
    pub refused: Vec<usize>,
}

impl Simulation {
    /// Schedules every script step at its time (same time: in the order listed).
    pub(crate) fn schedule_script(&mut self) {
        for (i, step) in self.topo.script.iter().enumerate() {
            self.kernel.agenda.push(
                SimTime::from_ms(step.at_ms()),
                Action::ScriptStep { step: i as u32 },
            );
        }
    }

    /// Runs script step `i`.
    pub(crate) fn script_step(&mut self, i: usize) {
        match self.topo.script[i].clone() {
            ScriptStep::Publish {
                exchange,
                routing_key,
                payload,
                properties,
                ..
            } => {
                // Validation guarantees the exchange exists ("" always does).
                let Some(x) = self.topo.exchange_named(&exchange) else {
                    return;
                };
                let headers: Headers = properties.headers.into_iter().collect();
                let out = Outgoing {
                    routing_key: Rc::from(routing_key),
                    headers: Rc::new(headers),
                    payload: Rc::from(payload),
                    message_id: Rc::from(
                        properties
                            .message_id
                            .unwrap_or_else(|| format!("script-{i}")),
                    ),
                    correlation_id: properties.correlation_id.map(Rc::from),
                    reply_to: properties.reply_to.map(Rc::from),
                    priority: properties.priority,
                    expiration_us: properties.expiration.map(ms_to_us),
                    key: None,
                    partition: None,
                    tombstone: false,
                    aws: crate::core::model::message::AwsSend::NONE,
                    persistent: properties.delivery_mode == Some(2),
                };
                let (Offered::Accepted(message)
                | Offered::Refused(message)
                | Offered::Deduplicated(message)) = self.offer(
                    None,
                    Ingress::Exchange {
                        exchange: x,
                        edge: None,
                    },
                    out,
                )
                else {
                    return; // an exchange never blocks
                };
                self.kernel.confirms.insert(message, false);
                self.client.published.push((i, message));
            }
            ScriptStep::ResetOffsets {
                topic, group, to, ..
            } => {
                let node = self
                    .topo
                    .topic_named(&topic)
                    .map(|t| self.topo.topics[t].node);
                if let Some(topic) = node {
                    // Validation guarantees the group reads the topic.
                    let _ = self.apply(crate::core::simulation::Command::ResetOffsets {
                        topic,
                        group,
                        to,
                    });
                }
            }
            ScriptStep::Produce {
                topic,
                key,
                value,
                partition,
                ..
            } => {
                let Some(t) = self.topo.topic_named(&topic) else {
                    return;
                };
                let out = Outgoing {
                    routing_key: Rc::from(key.as_deref().unwrap_or("")),
                    payload: Rc::from(value.as_deref().unwrap_or("")),
                    message_id: Rc::from(format!("script-{i}")),
                    key: key.map(Rc::from),
                    partition,
                    tombstone: value.is_none(),
                    aws: crate::core::model::message::AwsSend::NONE,
                    headers: std::rc::Rc::default(),
                    correlation_id: None,
                    reply_to: None,
                    priority: None,
                    expiration_us: None,
                    persistent: false,
                };
                let result = self.offer(
                    None,
                    Ingress::Topic {
                        topic: t,
                        edge: None,
                    },
                    out,
                );
                let (Offered::Accepted(message)
                | Offered::Refused(message)
                | Offered::Deduplicated(message)) = result
                else {
                    return; // a topic never blocks
                };
                self.kernel
                    .confirms
                    .insert(message, matches!(result, Offered::Refused(_)));
                self.client.published.push((i, message));
            }
            ScriptStep::Send {
                queue,
                body,
                group_id,
                dedup_id,
                delay_ms,
                attributes,
                ..
            } => {
                let Some(q) = self.topo.sqs_named(&queue) else {
                    return;
                };
                let mut out = crate::core::simulation::aws_outgoing(
                    body,
                    attributes,
                    group_id,
                    dedup_id,
                    delay_ms.map(ms_to_us),
                );
                out.message_id = Rc::from(format!("script-{i}"));
                let result = self.offer(
                    None,
                    Ingress::Sqs {
                        queue: q,
                        edge: None,
                    },
                    out,
                );
                if let Offered::Refused(_) = result {
                    self.client.refused.push(i);
                }
            }
            ScriptStep::SnsPublish {
                topic,
                message,
                attributes,
                group_id,
                dedup_id,
                ..
            } => {
                let Some(t) = self.topo.sns_named(&topic) else {
                    return;
                };
                let mut out = crate::core::simulation::aws_outgoing(
                    message, attributes, group_id, dedup_id, None,
                );
                out.message_id = Rc::from(format!("script-{i}"));
                let result = self.offer(
                    None,
                    Ingress::Sns {
                        topic: t,
                        edge: None,
                    },
                    out,
                );
                if let Offered::Refused(_) = result {
                    self.client.refused.push(i);
                }
            }
            ScriptStep::Receive {
                queue,
                max,
                visibility_timeout_ms,
                ..
            } => {
                let Some(q) = self.topo.sqs_named(&queue) else {
                    return;
                };
                let bodies = self.sqs.client_receive(
                    &mut self.kernel,
                    &self.topo,
                    q,
                    max,
                    visibility_timeout_ms,
                );
                self.client.got.push((i, bodies));
            }
            ScriptStep::Delete { queue, body, .. } => {
                let Some(q) = self.topo.sqs_named(&queue) else {
                    return;
                };
                // Refused only without a receipt; an older one succeeds, deleting nothing.
                if self
                    .sqs
                    .client_delete(&mut self.kernel, &self.topo, q, &body)
                    .is_none()
                {
                    self.client.refused.push(i);
                }
            }
            ScriptStep::ChangeVisibility {
                queue,
                body,
                timeout_ms,
                ..
            } => {
                let Some(q) = self.topo.sqs_named(&queue) else {
                    return;
                };
                if !self.sqs.client_change_visibility(
                    &mut self.kernel,
                    &self.topo,
                    q,
                    &body,
                    timeout_ms,
                ) {
                    self.client.refused.push(i);
                }
            }
            ScriptStep::RestartBroker { .. } => self.restart_broker(),
            ScriptStep::Redrive { queue, .. } => {
                if let Some(q) = self.topo.sqs_named(&queue) {
                    self.sqs.redrive(&mut self.kernel, &self.topo, q);
                }
            }
            ScriptStep::Get {
                queue, count, ack, ..
            } => {
                let Some(&q) = self.topo.queue_by_name.get(queue.as_str()) else {
                    return;
                };
                let how = match ack {
                    GetAck::Ack => Settlement::Ack,
                    GetAck::Requeue => Settlement::Requeue,
                    GetAck::Reject => Settlement::Reject,
                };
                let payloads = self.rabbit.get(&mut self.kernel, &self.topo, q, count, how);
                self.client.got.push((i, payloads));
            }
        }
    }

    /// The script's results so far (design §5 `script_results`), in step order: each
    /// `get` that ran with the payloads it got, each `publish` a queue refused.
    pub fn script_results(&self) -> Vec<ScriptResult> {
        let mut out: Vec<ScriptResult> = self
            .client
            .got
            .iter()
            .map(|(step, messages)| ScriptResult::Messages {
                step: *step,
                messages: messages.clone(),
            })
            .chain(
                self.client
                    .published
                    .iter()
                    .filter(|(_, m)| self.kernel.confirms.get(m) == Some(&true))
                    .map(|(step, _)| ScriptResult::Refused {
                        step: *step,
                        refused: true,
                    }),
            )
            .chain(
                self.client
                    .refused
                    .iter()
                    .map(|step| ScriptResult::Refused {
                        step: *step,
                        refused: true,
                    }),
            )
            .collect();
        crate::core::sort::sort_by_key(&mut out, |r| match r {
            ScriptResult::Messages { step, .. } | ScriptResult::Refused { step, .. } => *step,
        });
        out
    }
}
