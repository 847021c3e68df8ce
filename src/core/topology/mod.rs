//! The compiled topology: a validated scenario turned into index tables the engine and
//! the router use (exchanges with their bindings, queues with their limits, Kafka topics
//! and consumer groups, producers and consumers with their edges, services and their
//! call edges). Built once per run; read-only afterwards.
//!
//! A service compiles to a worker (a [`ConsumerInfo`] with [`ServiceLimits`]): it is the
//! shared worker, with several hands and a backlog, so everything a consumer reads or
//! writes a service can too.

mod edges;
mod tables;

pub use tables::*;

use crate::core::families::rabbit::routing::topic::compile_pattern;
use crate::core::model::ids::{EdgeId, NodeId};
use crate::core::scenario::script::ScriptStep;
use crate::core::scenario::{
    load::LoadError, validate, CompiledTemplate, EdgeKind, ExchangeType, NodeKind, Overflow,
    QueueType, Scenario, Template, ValidationError,
};
use std::collections::HashMap;
use std::rc::Rc;

/// Every table the engine needs.
#[derive(Clone, Debug)]
pub struct Topology {
    /// Exchanges; the default exchange is always present.
    pub exchanges: Vec<ExchangeInfo>,
    /// Queues.
    pub queues: Vec<QueueInfo>,
    /// Producers.
    pub producers: Vec<ProducerInfo>,
    /// Consumers.
    pub consumers: Vec<ConsumerInfo>,
    /// Kafka topics.
    pub topics: Vec<TopicInfo>,
    /// Kafka consumer groups.
    pub groups: Vec<GroupInfo>,
    /// SQS queues.
    pub sqs: Vec<SqsInfo>,
    /// SNS topics.
    pub sns: Vec<SnsInfo>,
    /// ZeroMQ pipes.
    pub pipes: Vec<PipeInfo>,
    /// ZeroMQ devices.
    pub devices: Vec<DeviceInfo>,
    /// Call edges.
    pub calls: Vec<CallInfo>,
    /// The call of each edge (by edge index), if it is one.
    pub edge_call: Vec<Option<usize>>,
    /// The pipe of each edge (by edge index), if it is one.
    pub edge_pipe: Vec<Option<usize>>,
    /// For each scenario node, its compiled counterpart.
    pub nodes: Vec<NodeRef>,
    /// Scenario node ids, by node index.
    pub node_ids: Vec<String>,
    /// Scenario edge ids, by edge index.
    pub edge_ids: Vec<String>,
    /// Queue index by name.
    pub queue_by_name: HashMap<Rc<str>, usize>,
    /// Exchange index by name.
    pub exchange_by_name: HashMap<Rc<str>, usize>,
    /// Index of the default exchange.
    pub default_exchange: usize,
    /// The scenario's script, in order.
    pub script: Vec<ScriptStep>,
    /// Frames: each name and the nodes it frames.
    pub frames: Vec<(String, Vec<NodeId>)>,
}

fn compile(t: &Template, path: &str) -> Result<CompiledTemplate, LoadError> {
    t.compile().map_err(|e| LoadError {
        problems: vec![ValidationError::new(path, e)],
    })
}

impl Topology {
    /// Validates `scenario` and compiles it.
    pub fn build(scenario: &Scenario) -> Result<Topology, LoadError> {
        let problems = validate(scenario);
        if !problems.is_empty() {
            return Err(LoadError { problems });
        }
        let mut t = Topology {
            exchanges: Vec::new(),
            queues: Vec::new(),
            producers: Vec::new(),
            consumers: Vec::new(),
            topics: Vec::new(),
            groups: Vec::new(),
            sqs: Vec::new(),
            sns: Vec::new(),
            pipes: Vec::new(),
            devices: Vec::new(),
            calls: Vec::new(),
            edge_call: vec![None; scenario.edges.len()],
            edge_pipe: vec![None; scenario.edges.len()],
            nodes: Vec::with_capacity(scenario.nodes.len()),
            node_ids: scenario.nodes.iter().map(|n| n.id.clone()).collect(),
            edge_ids: scenario.edges.iter().map(|e| e.id.clone()).collect(),
            queue_by_name: HashMap::new(),
            exchange_by_name: HashMap::new(),
            default_exchange: 0,
            script: scenario.script.clone(),
            frames: scenario
                .frames
                .iter()
                .map(|f| {
                    let nodes = f
                        .nodes
                        .iter()
                        .filter_map(|id| scenario.nodes.iter().position(|n| n.id == *id))
                        .map(|i| NodeId(i as u32))
                        .collect();
                    (f.name.clone(), nodes)
                })
                .collect(),
        };
        let mut by_id: HashMap<&str, NodeRef> = HashMap::new();
        for (i, node) in scenario.nodes.iter().enumerate() {
            let id = NodeId(i as u32);
            let name: Rc<str> = Rc::from(node.name.as_str());
            let r = match node.kind() {
                NodeKind::Exchange => {
                    t.exchange_by_name.insert(name.clone(), t.exchanges.len());
                    t.exchanges.push(ExchangeInfo {
                        node: Some(id),
                        name,
                        kind: node.exchange_spec().kind,
                        internal: node.exchange_spec().internal,
                        bindings: Vec::new(),
                        alternate: None,
                    });
                    NodeRef::Exchange(t.exchanges.len() - 1)
                }
                NodeKind::Queue => {
                    let q = node.queue_spec();
                    let delivery_limit = match q.queue_type {
                        QueueType::Quorum => {
                            Some(q.delivery_limit.unwrap_or(QUORUM_DEFAULT_DELIVERY_LIMIT))
                        }
                        QueueType::Classic => None,
                    };
                    t.queue_by_name.insert(name.clone(), t.queues.len());
                    t.queues.push(QueueInfo {
                        node: id,
                        name,
                        queue_type: q.queue_type,
                        durable: q.durable,
                        ttl_us: q.message_ttl_ms.map(crate::core::kernel::time::ms_to_us),
                        max_length: q.max_length,
                        max_length_bytes: q.max_length_bytes,
                        // Quorum queues do not support reject-publish-dlx and fall back to drop-head
                        // (rabbit_quorum_queue: "Invalid overflow strategy").
                        overflow: match (q.queue_type, q.overflow) {
                            (QueueType::Quorum, Overflow::RejectPublishDlx) => Overflow::DropHead,
                            (_, o) => o,
                        },
                        max_priority: q.max_priority,
                        single_active_consumer: q.single_active_consumer,
                        delivery_limit,
                        dead_letter: None,
                        consumers: Vec::new(),
                    });
                    NodeRef::Queue(t.queues.len() - 1)
                }
                NodeKind::Producer => {
                    let spec = node.producer_spec();
                    let at = |f: &str| format!("nodes[{i}].producer.{f}");
                    let mut headers = Vec::new();
                    for (k, v) in &spec.headers {
                        let hv = match v.as_str() {
                            Some(text) => HeaderValue::Template(compile(
                                &Template::new(text),
                                &at(&format!("headers.{k}")),
                            )?),
                            None => HeaderValue::Fixed(v.clone()),
                        };
                        headers.push((k.clone(), hv));
                    }
                    let mut attributes = Vec::new();
                    for (k, v) in &spec.attributes {
                        let hv = match v.as_str() {
                            Some(text) => HeaderValue::Template(compile(
                                &Template::new(text),
                                &at(&format!("attributes.{k}")),
                            )?),
                            None => HeaderValue::Fixed(v.clone()),
                        };
                        attributes.push((k.clone(), hv));
                    }
                    let optional =
                        |t: &Option<Template>,
                         f: &str|
                         -> Result<Option<CompiledTemplate>, LoadError> {
                            t.as_ref().map(|t| compile(t, &at(f))).transpose()
                        };
                    t.producers.push(ProducerInfo {
                        node: id,
                        name,
                        target: None,
                        topic: None,
                        key: match &spec.key {
                            Some(k) => Some(compile(k, &at("key"))?),
                            None => None,
                        },
                        routing_key: compile(&spec.routing_key, &at("routing_key"))?,
                        payload: compile(&spec.payload, &at("payload"))?,
                        message_id: compile(&spec.message_id, &at("message_id"))?,
                        priority: match &spec.priority {
                            Some(p) => Some(compile(p, &at("priority"))?),
                            None => None,
                        },
                        headers,
                        aws: None,
                        group_id: optional(&spec.group_id, "group_id")?,
                        dedup_id: optional(&spec.dedup_id, "dedup_id")?,
                        attributes,
                        pipes: Vec::new(),
                        call: None,
                        spec,
                    });
                    NodeRef::Producer(t.producers.len() - 1)
                }
                NodeKind::KafkaTopic => {
                    t.topics.push(TopicInfo {
                        node: id,
                        name,
                        spec: node.kafka_topic_spec(),
                        groups: Vec::new(),
                    });
                    NodeRef::Topic(t.topics.len() - 1)
                }
                NodeKind::SqsQueue => {
                    t.sqs.push(SqsInfo {
                        node: id,
                        name,
                        spec: node.sqs_queue_spec(),
                        dead_letter: None,
                        readers: Vec::new(),
                    });
                    NodeRef::SqsQueue(t.sqs.len() - 1)
                }
                NodeKind::SnsTopic => {
                    t.sns.push(SnsInfo {
                        node: id,
                        name,
                        spec: node.sns_topic_spec(),
                        subscriptions: Vec::new(),
                    });
                    NodeRef::SnsTopic(t.sns.len() - 1)
                }
                NodeKind::ZmqDevice => {
                    t.devices.push(DeviceInfo {
                        node: id,
                        name,
                        mode: node.zmq_device_spec().mode,
                        inputs: Vec::new(),
                        outputs: Vec::new(),
                    });
                    NodeRef::Device(t.devices.len() - 1)
                }
                NodeKind::Consumer | NodeKind::Service => {
                    let service = match &node.spec {
                        crate::core::scenario::NodeSpec::Service(s) => Some(ServiceLimits {
                            workers: s.workers,
                            backlog: s.backlog,
                        }),
                        _ => None,
                    };
                    t.consumers.push(ConsumerInfo {
                        node: id,
                        name,
                        queue: None,
                        membership: None,
                        produces: Vec::new(),
                        spec: node.consumer_spec(),
                        forwards: Vec::new(),
                        receive: None,
                        sns: None,
                        sends: Vec::new(),
                        pipes_in: Vec::new(),
                        pipes_out: Vec::new(),
                        concurrency: service.map_or(1, |s| s.workers.max(1)),
                        service,
                        calls: Vec::new(),
                        compensations: Vec::new(),
                    });
                    NodeRef::Consumer(t.consumers.len() - 1)
                }
            };
            t.nodes.push(r);
            by_id.insert(node.id.as_str(), r);
        }
        t.default_exchange = match t.exchange_by_name.get("") {
            Some(&x) => x,
            None => {
                t.exchanges.push(ExchangeInfo {
                    node: None,
                    name: Rc::from(""),
                    kind: ExchangeType::Direct,
                    internal: false,
                    bindings: Vec::new(),
                    alternate: None,
                });
                t.exchange_by_name
                    .insert(Rc::from(""), t.exchanges.len() - 1);
                t.exchanges.len() - 1
            }
        };

        edges::compile_edges(&mut t, scenario, &by_id)?;
        Ok(t)
    }

    /// The topic named `name`.
    pub fn topic_named(&self, name: &str) -> Option<usize> {
        self.topics.iter().position(|t| &*t.name == name)
    }

    /// The SQS queue named `name`.
    pub fn sqs_named(&self, name: &str) -> Option<usize> {
        self.sqs.iter().position(|q| &*q.name == name)
    }

    /// The SNS topic named `name`.
    pub fn sns_named(&self, name: &str) -> Option<usize> {
        self.sns.iter().position(|t| &*t.name == name)
    }

    /// The exchange named `name` (`""` is the default exchange).
    pub fn exchange_named(&self, name: &str) -> Option<usize> {
        self.exchange_by_name.get(name).copied()
    }
}

/// Quorum queues' delivery limit when none is set (RabbitMQ 4.0 and later:
/// rabbitmq.com/docs/quorum-queues, "Poison Message Handling").
pub const QUORUM_DEFAULT_DELIVERY_LIMIT: u32 = 20;
