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

/// One message a store holds, as the messages panel lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoreRow {
    /// Its payload (a Kafka record's value; an SQS message's body).
    pub payload: String,
    /// Everything else worth reading, in a line: key, properties, headers, state,
    /// receive count, x-death.
    pub detail: String,
}

/// A window onto what a store holds: how many in all, and rows `start..` of them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StoreRows {
    /// Messages held in all.
    pub total: usize,
    /// The rows asked for, in delivery (or offset, or send) order.
    pub rows: Vec<StoreRow>,
}

impl Simulation {
    /// Rows `start..start + count` of what node `node` holds now: a RabbitMQ queue's
    /// ready messages in delivery order, a Kafka topic's records partition by
    /// partition in offset order, an SQS queue's messages in send order. Other nodes
    /// hold nothing. Only the rows asked for are built, so a long store costs little.
    pub fn store_rows(
        &self,
        node: crate::core::model::ids::NodeId,
        start: usize,
        count: usize,
    ) -> StoreRows {
        use crate::core::topology::NodeRef;
        match self.topo.nodes.get(node.index()).copied() {
            Some(NodeRef::Queue(q)) => {
                let ready = &self.rabbit.queue(q).ready;
                let rows = ready
                    .iter()
                    .skip(start)
                    .take(count)
                    .filter_map(|slot| self.kernel.parcels.try_get(slot))
                    .map(|c| {
                        let b = &c.body;
                        let mut d = format!("key \"{}\" · id {}", c.routing_key, b.message_id);
                        if let Some(p) = b.priority {
                            d.push_str(&format!(" · priority {p}"));
                        }
                        if let Some(r) = &b.reply_to {
                            d.push_str(&format!(" · reply_to {r}"));
                        }
                        if let Some(x) = &b.correlation_id {
                            d.push_str(&format!(" · correlation_id {x}"));
                        }
                        if c.redelivered {
                            d.push_str(" · redelivered");
                        }
                        if !b.headers.is_empty() {
                            d.push_str(&format!(
                                " · headers {}",
                                serde_json::to_string(&*b.headers).unwrap_or_default()
                            ));
                        }
                        for x in &c.x_death {
                            d.push_str(&format!(
                                " · x-death {} in {} ×{}",
                                x.reason.as_str(),
                                x.queue,
                                x.count
                            ));
                        }
                        StoreRow {
                            payload: b.payload.to_string(),
                            detail: d,
                        }
                    })
                    .collect();
                StoreRows {
                    total: ready.len(),
                    rows,
                }
            }
            Some(NodeRef::Topic(t)) => {
                let parts = self.log.partitions(t);
                let total = parts.iter().map(|p| p.len()).sum();
                let rows = parts
                    .iter()
                    .enumerate()
                    .flat_map(|(p, part)| part.records().map(move |r| (p, r)))
                    .skip(start)
                    .take(count)
                    .map(|(p, r)| StoreRow {
                        payload: r
                            .value
                            .as_deref()
                            .map_or("(tombstone)".to_string(), str::to_string),
                        detail: format!(
                            "partition {p} · offset {} · key {}",
                            r.offset,
                            r.key
                                .as_deref()
                                .map_or("(none)".to_string(), |k| format!("\"{k}\""))
                        ),
                    })
                    .collect();
                StoreRows { total, rows }
            }
            Some(NodeRef::SqsQueue(q)) => {
                use crate::core::families::sqs::store::Visibility;
                let all = self.sqs.queue(q).refs();
                let now = self.kernel.now;
                let rows = all
                    .iter()
                    .skip(start)
                    .take(count)
                    .map(|(_, m)| {
                        let state = match m.state {
                            Visibility::Visible => "visible".to_string(),
                            Visibility::InFlight { until, .. } => format!(
                                "in flight, {:.1} s left",
                                until.0.saturating_sub(now.0) as f64 / 1e6
                            ),
                            Visibility::Delayed { until } => format!(
                                "delayed, {:.1} s left",
                                until.0.saturating_sub(now.0) as f64 / 1e6
                            ),
                        };
                        let mut d = format!("{state} · received {}×", m.receive_count);
                        if let Some(g) = &m.body.key {
                            d.push_str(&format!(" · group {g}"));
                        }
                        if !m.body.headers.is_empty() {
                            d.push_str(&format!(
                                " · attributes {}",
                                serde_json::to_string(&*m.body.headers).unwrap_or_default()
                            ));
                        }
                        StoreRow {
                            payload: m.body.payload.to_string(),
                            detail: d,
                        }
                    })
                    .collect();
                StoreRows {
                    total: all.len(),
                    rows,
                }
            }
            _ => StoreRows::default(),
        }
    }
}
