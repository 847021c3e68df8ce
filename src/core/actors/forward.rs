//! What a worker sends on after processing a message: a reply to its `reply_to`
//! through the default exchange, a publish along each forward edge, a record along
//! each produce edge, a send along each SQS/SNS send edge, and a message on its ZeroMQ
//! socket (a PUSH that blocks holds the worker: see `processing_done`).

use crate::core::model::ids::EdgeId;
use crate::core::model::message::{MessageBody, Outgoing};
use crate::core::scenario::TemplateContext;
use crate::core::simulation::seams::Ingress;
use crate::core::simulation::Simulation;
use std::rc::Rc;

impl Simulation {
    /// After consumer `c` acked `body`: replies to `reply_to` through the default
    /// exchange (when the consumer replies) and publishes along each forward edge.
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
                        key: None,
                        partition: None,
                        tombstone: false,
                        aws: crate::core::model::message::AwsSend::NONE,
                        persistent: false,
                    },
                ));
            }
        }
        for fwd in &info.forwards {
            let n = self.workers[c].stats.published + outgoing.len() as u64 + 1;
            let ctx = TemplateContext {
                n,
                producer: &info.name,
                key,
            };
            let routing_key = fwd.routing_key.render(&ctx, &mut self.kernel.rng);
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
                    key: None,
                    partition: None,
                    tombstone: false,
                    aws: crate::core::model::message::AwsSend::NONE,
                    persistent: body.persistent,
                },
            ));
        }
        for (exchange, edge, out) in outgoing {
            self.workers[c].stats.published += 1;
            self.offer(Some(node), Ingress::Exchange { exchange, edge }, out);
        }
        // Produce edges: the record's key is the processed message's Kafka key, or
        // its routing key when it came from RabbitMQ (none when that is empty).
        let produces = self.topo.consumers[c].produces.clone();
        for (topic, edge) in produces {
            self.workers[c].stats.published += 1;
            let record_key = body
                .key
                .clone()
                .or_else(|| (!key.is_empty()).then(|| key.clone()));
            let out = Outgoing {
                routing_key: key.clone(),
                headers: body.headers.clone(),
                payload: body.payload.clone(),
                message_id: body.message_id.clone(),
                correlation_id: body.correlation_id.clone(),
                key: record_key,
                tombstone: body.tombstone,
                aws: crate::core::model::message::AwsSend::NONE,
                reply_to: None,
                priority: None,
                expiration_us: None,
                partition: None,
                persistent: body.persistent,
            };
            self.offer(
                Some(node),
                Ingress::Topic {
                    topic,
                    edge: Some(edge),
                },
                out,
            );
        }
        // ZeroMQ pipes: the message goes on through its PUSH or PUB socket; a PUSH
        // that blocks holds the worker (see `processing_done`).
        if !self.topo.consumers[c].pipes_out.is_empty() {
            self.workers[c].stats.published += 1;
            let out = Outgoing {
                routing_key: key.clone(),
                headers: body.headers.clone(),
                payload: body.payload.clone(),
                message_id: body.message_id.clone(),
                correlation_id: body.correlation_id.clone(),
                key: body.key.clone(),
                tombstone: false,
                reply_to: None,
                priority: None,
                expiration_us: None,
                partition: None,
                aws: crate::core::model::message::AwsSend::NONE,
                persistent: body.persistent,
            };
            let ingress = Ingress::Pipes {
                sender: crate::core::families::pipe::Sender::Worker(c),
            };
            if self.offer(Some(node), ingress, out.clone())
                == crate::core::simulation::seams::Offered::Blocked
            {
                self.workers[c].pending_out = Some(out);
            }
        }
        // Send edges (SQS and SNS): the body and attributes (headers) go on; the
        // message group is the processed message's group or Kafka key, else its
        // routing key; the deduplication id is its message id.
        let sends = self.topo.consumers[c].sends.clone();
        for (target, edge) in sends {
            self.workers[c].stats.published += 1;
            let group = body
                .key
                .clone()
                .or_else(|| (!key.is_empty()).then(|| key.clone()))
                .or_else(|| Some(Rc::from("default")));
            let out = Outgoing {
                routing_key: key.clone(),
                headers: body.headers.clone(),
                payload: body.payload.clone(),
                message_id: body.message_id.clone(),
                correlation_id: body.correlation_id.clone(),
                key: None,
                tombstone: false,
                reply_to: None,
                priority: None,
                expiration_us: None,
                partition: None,
                aws: crate::core::model::message::AwsSend {
                    group_id: group,
                    dedup_id: Some(body.message_id.clone()),
                    delay_us: None,
                },
                persistent: body.persistent,
            };
            let ingress = match target {
                crate::core::topology::AwsTarget::Queue(queue) => Ingress::Sqs {
                    queue,
                    edge: Some(edge),
                },
                crate::core::topology::AwsTarget::Topic(topic) => Ingress::Sns {
                    topic,
                    edge: Some(edge),
                },
            };
            self.offer(Some(node), ingress, out);
        }
    }
}
