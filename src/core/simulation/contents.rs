//! What every store holds (design §5, `qp simulate --messages`): RabbitMQ queues'
//! ready messages in delivery order, Kafka topics' records per partition, and the payloads each worker processed, in order
//! (kept only when asked for before the run, see
//! [`Simulation::keep_processed_payloads`]). Keyed by node name; a name used by two
//! nodes is followed by the node id in brackets for the later ones.

use super::Simulation;
use crate::core::families::sqs::store::Visibility;
use crate::core::model::message::DeathReason;
use serde::Serialize;
use std::collections::BTreeMap;

/// One `x-death` entry as `--messages` shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeathView {
    /// Queue it died in.
    pub queue: String,
    /// Why.
    pub reason: DeathReason,
    /// How many times.
    pub count: u32,
}

/// A ready message of a queue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueuedMessage {
    /// Payload.
    pub payload: String,
    /// Current routing key.
    pub routing_key: String,
    /// Delivered before and returned.
    pub redelivered: bool,
    /// Dead-letter history, newest first.
    pub x_death: Vec<DeathView>,
}

/// A record held by a Kafka partition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopicRecord {
    /// Its offset.
    pub offset: u64,
    /// Key (null: no key).
    pub key: Option<String>,
    /// Value (null: a tombstone).
    pub value: Option<String>,
}

/// Everything the stores hold, by system.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StoreContents {
    /// RabbitMQ queues, by name: ready messages in delivery order.
    pub queues: BTreeMap<String, Vec<QueuedMessage>>,
    /// Kafka topics, by name: per partition (`"0"`, `"1"`, …) the records held, in
    /// offset order.
    pub topics: BTreeMap<String, BTreeMap<String, Vec<TopicRecord>>>,
    /// SQS queues, by name: bodies visible (in receive order), in flight and
    /// delayed (in send order).
    pub sqs: BTreeMap<String, SqsContents>,
    /// Workers (consumers), by name: payloads processed, in order.
    pub workers: BTreeMap<String, Vec<String>>,
}

/// What an SQS queue holds (design §5).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SqsContents {
    /// Bodies of the visible messages.
    pub visible: Vec<String>,
    /// Bodies of the in-flight messages.
    pub in_flight: Vec<String>,
    /// Bodies of the delayed messages.
    pub delayed: Vec<String>,
}

fn insert_unique<T>(map: &mut BTreeMap<String, T>, name: &str, id: &str, value: T) {
    let key = if map.contains_key(name) {
        format!("{name} [{id}]")
    } else {
        name.to_string()
    };
    map.insert(key, value);
}

impl Simulation {
    /// Keeps every payload each worker processes from now on, for
    /// [`Simulation::contents`] (off by default: it costs memory per message).
    pub fn keep_processed_payloads(&mut self, on: bool) {
        for w in &mut self.workers {
            w.keep_payloads = on;
        }
    }

    /// What every store holds now.
    pub fn contents(&self) -> StoreContents {
        let mut out = StoreContents::default();
        let ids = &self.topo.node_ids;
        for (q, info) in self.topo.queues.iter().enumerate() {
            let list = self
                .rabbit
                .queue(q)
                .ready
                .iter()
                .filter_map(|slot| self.kernel.parcels.try_get(slot))
                .map(|c| QueuedMessage {
                    payload: c.body.payload.to_string(),
                    routing_key: c.routing_key.to_string(),
                    redelivered: c.redelivered,
                    x_death: c
                        .x_death
                        .iter()
                        .map(|d| DeathView {
                            queue: d.queue.to_string(),
                            reason: d.reason,
                            count: d.count,
                        })
                        .collect(),
                })
                .collect();
            insert_unique(&mut out.queues, &info.name, &ids[info.node.index()], list);
        }
        for (t, info) in self.topo.topics.iter().enumerate() {
            let parts = self
                .log
                .partitions(t)
                .iter()
                .enumerate()
                .map(|(p, part)| {
                    let records = part
                        .records()
                        .map(|r| TopicRecord {
                            offset: r.offset,
                            key: r.key.as_ref().map(|k| k.to_string()),
                            value: r.value.as_ref().map(|v| v.to_string()),
                        })
                        .collect();
                    (p.to_string(), records)
                })
                .collect();
            insert_unique(&mut out.topics, &info.name, &ids[info.node.index()], parts);
        }
        for (q, info) in self.topo.sqs.iter().enumerate() {
            let mut held = SqsContents::default();
            for (_, m) in self.sqs.queue(q).refs() {
                let list = match m.state {
                    Visibility::Visible => &mut held.visible,
                    Visibility::InFlight { .. } => &mut held.in_flight,
                    Visibility::Delayed { .. } => &mut held.delayed,
                };
                list.push(m.body.payload.to_string());
            }
            insert_unique(&mut out.sqs, &info.name, &ids[info.node.index()], held);
        }
        for (c, info) in self.topo.consumers.iter().enumerate() {
            let done = self.workers[c]
                .processed_payloads
                .iter()
                .map(|p| p.to_string())
                .collect();
            insert_unique(&mut out.workers, &info.name, &ids[info.node.index()], done);
        }
        out
    }
}
