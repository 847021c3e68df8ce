//! The compiled topology: a validated scenario turned into index tables the engine and
//! the router use (exchanges with their bindings, queues with their limits, Kafka topics
//! and consumer groups, producers and consumers with their edges, services and their
//! call edges). Built once per run; read-only afterwards.
//!
//! A service compiles to a worker (a [`ConsumerInfo`] with [`ServiceLimits`]): it is the
//! shared worker, with several hands and a backlog, so everything a consumer reads or
//! writes a service can too.

use crate::core::families::rabbit::routing::topic::{compile_pattern, PatternWord};
use crate::core::model::ids::{EdgeId, NodeId};
use crate::core::scenario::script::ScriptStep;
use crate::core::scenario::{
    load::LoadError, validate, Assignor, CallSpec, CompiledTemplate, ConsumeSpec, ConsumerSpec,
    DeviceMode, EdgeKind, ExchangeType, KafkaTopicSpec, NodeKind, Overflow, ProducerSpec,
    QueueType, ReceiveSpec, Scenario, SnsTopicSpec, SqsQueueSpec, SubscribeSpec, Template,
    ValidationError,
};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::rc::Rc;

/// Where a binding leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A queue, by queue index.
    Queue(usize),
    /// An exchange, by exchange index.
    Exchange(usize),
}

/// One binding of an exchange.
#[derive(Clone, Debug)]
pub struct Binding {
    /// Bound destination.
    pub destination: Destination,
    /// Binding key as written.
    pub key: String,
    /// Binding key compiled for topic matching.
    pub pattern: Vec<PatternWord>,
    /// Binding arguments (headers exchanges).
    pub arguments: Map<String, Value>,
    /// The scenario edge this binding comes from.
    pub edge: EdgeId,
}

/// A compiled exchange.
#[derive(Clone, Debug)]
pub struct ExchangeInfo {
    /// Scenario node (none for the implicit default exchange).
    pub node: Option<NodeId>,
    /// Broker name (`""` = default exchange).
    pub name: Rc<str>,
    /// Routing algorithm.
    pub kind: ExchangeType,
    /// Its bindings, in scenario order.
    pub bindings: Vec<Binding>,
    /// Alternate exchange and the edge that names it.
    pub alternate: Option<(usize, EdgeId)>,
}

impl ExchangeInfo {
    /// Whether this is the default exchange (every queue bound by its name).
    pub fn is_default(&self) -> bool {
        self.name.is_empty()
    }
}

/// A compiled queue.
#[derive(Clone, Debug)]
pub struct QueueInfo {
    /// Scenario node.
    pub node: NodeId,
    /// Queue name.
    pub name: Rc<str>,
    /// `x-queue-type`.
    pub queue_type: QueueType,
    /// `x-message-ttl` in µs.
    pub ttl_us: Option<u64>,
    /// `x-max-length`.
    pub max_length: Option<u64>,
    /// `x-max-length-bytes`.
    pub max_length_bytes: Option<u64>,
    /// `x-overflow`.
    pub overflow: Overflow,
    /// `x-max-priority`.
    pub max_priority: Option<u8>,
    /// `x-single-active-consumer`.
    pub single_active_consumer: bool,
    /// `x-delivery-limit`.
    pub delivery_limit: Option<u32>,
    /// Dead-letter exchange, `x-dead-letter-routing-key`, and the edge.
    pub dead_letter: Option<(usize, Option<Rc<str>>, EdgeId)>,
    /// Subscribed consumers (consumer indices) in subscription order.
    pub consumers: Vec<usize>,
}

/// A compiled producer.
#[derive(Clone, Debug)]
pub struct ProducerInfo {
    /// Scenario node.
    pub node: NodeId,
    /// Producer name.
    pub name: Rc<str>,
    /// Target exchange and the publish edge (none: the producer is not wired to one).
    pub target: Option<(usize, EdgeId)>,
    /// Target Kafka topic and the produce edge.
    pub topic: Option<(usize, EdgeId)>,
    /// Compiled Kafka key template (none: null keys).
    pub key: Option<CompiledTemplate>,
    /// Behaviour as written.
    pub spec: ProducerSpec,
    /// Compiled routing-key template.
    pub routing_key: CompiledTemplate,
    /// Compiled payload template.
    pub payload: CompiledTemplate,
    /// Compiled message-id template.
    pub message_id: CompiledTemplate,
    /// Compiled priority template.
    pub priority: Option<CompiledTemplate>,
    /// Header templates (string values) and fixed values.
    pub headers: Vec<(String, HeaderValue)>,
    /// Target SQS queue or SNS topic and the send edge.
    pub aws: Option<(AwsTarget, EdgeId)>,
    /// Compiled `MessageGroupId` template.
    pub group_id: Option<CompiledTemplate>,
    /// Compiled `MessageDeduplicationId` template.
    pub dedup_id: Option<CompiledTemplate>,
    /// SQS / SNS message attributes: templates (string values) and fixed values.
    pub attributes: Vec<(String, HeaderValue)>,
    /// Its ZeroMQ pipes (pipe indices), in edge order: its PUSH or PUB socket.
    pub pipes: Vec<usize>,
    /// The call edge it sends requests along (call index), if any.
    pub call: Option<usize>,
}

impl ProducerInfo {
    /// Whether it is wired to an exchange, a Kafka topic, an SQS queue or an SNS topic.
    pub fn has_target(&self) -> bool {
        self.target.is_some()
            || self.topic.is_some()
            || self.aws.is_some()
            || !self.pipes.is_empty()
            || self.call.is_some()
    }
}

/// One end of a ZeroMQ pipe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PipeEnd {
    /// A producer (sending end only).
    Producer(usize),
    /// A worker: a consumer (a forwarding worker sends too).
    Worker(usize),
    /// A ZeroMQ device.
    Device(usize),
}

/// A ZeroMQ pipe: one `push` or `pub` edge.
#[derive(Clone, Debug)]
pub struct PipeInfo {
    /// The edge.
    pub edge: EdgeId,
    /// Sending end.
    pub from: PipeEnd,
    /// Receiving end.
    pub to: PipeEnd,
    /// PUB (fan-out, drops when full) rather than PUSH (round-robin, blocks when full).
    pub publish: bool,
    /// High-water mark.
    pub hwm: u32,
    /// A `pub` pipe's subscription prefix (empty: everything).
    pub prefix: Rc<str>,
}

/// A compiled ZeroMQ device.
#[derive(Clone, Debug)]
pub struct DeviceInfo {
    /// Scenario node.
    pub node: NodeId,
    /// Name.
    pub name: Rc<str>,
    /// How it distributes.
    pub mode: DeviceMode,
    /// Pipes into it, in edge order.
    pub inputs: Vec<usize>,
    /// Pipes out of it, in edge order.
    pub outputs: Vec<usize>,
}

/// Where an AWS send goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AwsTarget {
    /// An SQS queue (by SQS queue index).
    Queue(usize),
    /// An SNS topic (by SNS topic index).
    Topic(usize),
}

/// A compiled SQS queue.
#[derive(Clone, Debug)]
pub struct SqsInfo {
    /// Scenario node.
    pub node: NodeId,
    /// Queue name.
    pub name: Rc<str>,
    /// Settings.
    pub spec: SqsQueueSpec,
    /// Its dead-letter queue (SQS index), the redrive edge and `maxReceiveCount`.
    pub dead_letter: Option<(usize, EdgeId, u32)>,
    /// Workers receiving from it (consumer indices), in edge order.
    pub readers: Vec<usize>,
}

/// One SNS subscription.
#[derive(Clone, Debug)]
pub struct SubscriptionInfo {
    /// The subscribe edge.
    pub edge: EdgeId,
    /// Where it delivers.
    pub target: SubscriptionTarget,
    /// Filter policy and raw delivery.
    pub spec: SubscribeSpec,
}

/// What an SNS subscription delivers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubscriptionTarget {
    /// An SQS queue (by SQS index).
    Queue(usize),
    /// A worker (by consumer index), pushed to as an HTTP or Lambda endpoint would be.
    Worker(usize),
}

/// A compiled SNS topic.
#[derive(Clone, Debug)]
pub struct SnsInfo {
    /// Scenario node.
    pub node: NodeId,
    /// Topic name.
    pub name: Rc<str>,
    /// Settings.
    pub spec: SnsTopicSpec,
    /// Its subscriptions, in edge order.
    pub subscriptions: Vec<SubscriptionInfo>,
}

/// A worker's receive edge from an SQS queue.
#[derive(Clone, Debug)]
pub struct ReceiveInfo {
    /// SQS queue index.
    pub queue: usize,
    /// The receive edge.
    pub edge: EdgeId,
    /// Its settings.
    pub spec: ReceiveSpec,
}

/// A producer header: a template for text, a fixed JSON value otherwise.
#[derive(Clone, Debug)]
pub enum HeaderValue {
    /// Rendered per message.
    Template(CompiledTemplate),
    /// Sent as is.
    Fixed(Value),
}

/// A consumer's forward edge: publish to an exchange after processing.
#[derive(Clone, Debug)]
pub struct ForwardInfo {
    /// Target exchange.
    pub exchange: usize,
    /// Routing-key template (`{key}` = the processed message's key).
    pub routing_key: CompiledTemplate,
    /// The edge.
    pub edge: EdgeId,
}

/// A compiled Kafka topic.
#[derive(Clone, Debug)]
pub struct TopicInfo {
    /// Scenario node.
    pub node: NodeId,
    /// Topic name.
    pub name: Rc<str>,
    /// Settings.
    pub spec: KafkaTopicSpec,
    /// Groups reading it (group indices).
    pub groups: Vec<usize>,
}

/// A compiled consumer group (every member reads the same topic).
#[derive(Clone, Debug)]
pub struct GroupInfo {
    /// `group.id`.
    pub name: Rc<str>,
    /// The topic it reads.
    pub topic: usize,
    /// The assignor (the first member's, in edge order).
    pub assignor: Assignor,
    /// Members (consumer indices), sorted by name as Kafka sorts member ids.
    pub members: Vec<usize>,
}

/// A consumer's membership of a group through a consume edge.
#[derive(Clone, Debug)]
pub struct MembershipInfo {
    /// Group index.
    pub group: usize,
    /// The consume edge.
    pub edge: EdgeId,
    /// Its settings.
    pub spec: ConsumeSpec,
}

/// A compiled consumer.
#[derive(Clone, Debug)]
pub struct ConsumerInfo {
    /// Scenario node.
    pub node: NodeId,
    /// Consumer name.
    pub name: Rc<str>,
    /// Subscribed queue and the subscription edge.
    pub queue: Option<(usize, EdgeId)>,
    /// The Kafka group it reads a topic in, if any.
    pub membership: Option<MembershipInfo>,
    /// Produce-after-processing edges: topic index and edge.
    pub produces: Vec<(usize, EdgeId)>,
    /// Behaviour as written.
    pub spec: ConsumerSpec,
    /// Publish-after-processing edges.
    pub forwards: Vec<ForwardInfo>,
    /// The SQS queue it receives from, if any.
    pub receive: Option<ReceiveInfo>,
    /// The SNS topic that pushes to it (SNS index and subscribe edge), if any.
    pub sns: Option<(usize, EdgeId)>,
    /// Send-after-processing edges to SQS queues and SNS topics.
    pub sends: Vec<(AwsTarget, EdgeId)>,
    /// ZeroMQ pipes into it (pipe indices), fair-queued.
    pub pipes_in: Vec<usize>,
    /// ZeroMQ pipes it sends on after processing (its PUSH or PUB socket).
    pub pipes_out: Vec<usize>,
    /// Messages it works on at once (1 for a consumer; a service's workers).
    pub concurrency: u32,
    /// Set when it is a service.
    pub service: Option<ServiceLimits>,
    /// Call edges it makes after processing, in edge order (call indices).
    pub calls: Vec<usize>,
    /// Compensating calls: (call index, the index in `calls` of the call it undoes).
    pub compensations: Vec<(usize, usize)>,
}

/// A service's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceLimits {
    /// Requests worked on at once.
    pub workers: u32,
    /// Requests that may wait.
    pub backlog: u32,
}

/// A compiled call edge.
#[derive(Clone, Debug)]
pub struct CallInfo {
    /// The edge.
    pub edge: EdgeId,
    /// The caller's node.
    pub from: NodeId,
    /// The service called (worker index).
    pub callee: usize,
    /// Its settings.
    pub spec: CallSpec,
}

/// What a scenario node is in the compiled tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeRef {
    /// Producer index.
    Producer(usize),
    /// Exchange index.
    Exchange(usize),
    /// Queue index.
    Queue(usize),
    /// Consumer index.
    Consumer(usize),
    /// Kafka topic index.
    Topic(usize),
    /// SQS queue index.
    SqsQueue(usize),
    /// SNS topic index.
    SnsTopic(usize),
    /// ZeroMQ device index.
    Device(usize),
}

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
                    bindings: Vec::new(),
                    alternate: None,
                });
                t.exchange_by_name
                    .insert(Rc::from(""), t.exchanges.len() - 1);
                t.exchanges.len() - 1
            }
        };

        for (i, edge) in scenario.edges.iter().enumerate() {
            let eid = EdgeId(i as u32);
            // Validation guarantees both ends exist and the kinds fit.
            let (Some(&from), Some(&to)) =
                (by_id.get(edge.from.as_str()), by_id.get(edge.to.as_str()))
            else {
                continue;
            };
            match (edge.kind, from, to) {
                (EdgeKind::Publish, NodeRef::Producer(p), NodeRef::Exchange(x)) => {
                    t.producers[p].target = Some((x, eid));
                }
                (EdgeKind::Produce, NodeRef::Producer(p), NodeRef::Topic(k)) => {
                    t.producers[p].topic = Some((k, eid));
                }
                (EdgeKind::Produce, NodeRef::Consumer(c), NodeRef::Topic(k)) => {
                    t.consumers[c].produces.push((k, eid));
                }
                (EdgeKind::Consume, NodeRef::Topic(k), NodeRef::Consumer(c)) => {
                    let spec = edge.consume.clone().unwrap_or_default();
                    let g = match t.groups.iter().position(|g| *g.name == *spec.group) {
                        Some(g) => g,
                        None => {
                            t.groups.push(GroupInfo {
                                name: Rc::from(spec.group.as_str()),
                                topic: k,
                                assignor: spec.assignor,
                                members: Vec::new(),
                            });
                            t.topics[k].groups.push(t.groups.len() - 1);
                            t.groups.len() - 1
                        }
                    };
                    t.groups[g].members.push(c);
                    t.consumers[c].membership = Some(MembershipInfo {
                        group: g,
                        edge: eid,
                        spec,
                    });
                }
                (EdgeKind::Send, NodeRef::Producer(p), to) => {
                    let target = match to {
                        NodeRef::SqsQueue(q) => AwsTarget::Queue(q),
                        NodeRef::SnsTopic(s) => AwsTarget::Topic(s),
                        _ => continue,
                    };
                    t.producers[p].aws = Some((target, eid));
                }
                (EdgeKind::Send, NodeRef::Consumer(c), to) => {
                    let target = match to {
                        NodeRef::SqsQueue(q) => AwsTarget::Queue(q),
                        NodeRef::SnsTopic(s) => AwsTarget::Topic(s),
                        _ => continue,
                    };
                    t.consumers[c].sends.push((target, eid));
                }
                (EdgeKind::Receive, NodeRef::SqsQueue(q), NodeRef::Consumer(c)) => {
                    t.consumers[c].receive = Some(ReceiveInfo {
                        queue: q,
                        edge: eid,
                        spec: edge.receive.clone().unwrap_or_default(),
                    });
                    t.sqs[q].readers.push(c);
                }
                (EdgeKind::Redrive, NodeRef::SqsQueue(q), NodeRef::SqsQueue(d)) => {
                    let max = edge.redrive.clone().unwrap_or_default().max_receive_count;
                    t.sqs[q].dead_letter = Some((d, eid, max));
                }
                (EdgeKind::Subscribe, NodeRef::SnsTopic(s), to) => {
                    let target = match to {
                        NodeRef::SqsQueue(q) => SubscriptionTarget::Queue(q),
                        NodeRef::Consumer(c) => {
                            t.consumers[c].sns = Some((s, eid));
                            SubscriptionTarget::Worker(c)
                        }
                        _ => continue,
                    };
                    t.sns[s].subscriptions.push(SubscriptionInfo {
                        edge: eid,
                        target,
                        spec: edge.subscribe.clone().unwrap_or_default(),
                    });
                }
                (EdgeKind::Push | EdgeKind::Pub, from, to) => {
                    let end = |r: NodeRef| match r {
                        NodeRef::Producer(p) => Some(PipeEnd::Producer(p)),
                        NodeRef::Consumer(c) => Some(PipeEnd::Worker(c)),
                        NodeRef::Device(d) => Some(PipeEnd::Device(d)),
                        _ => None,
                    };
                    let (Some(a), Some(b)) = (end(from), end(to)) else {
                        continue;
                    };
                    let publish = edge.kind == EdgeKind::Pub;
                    let (hwm, prefix) = if publish {
                        let s = edge.pub_pipe.clone().unwrap_or_default();
                        (s.hwm, s.prefix)
                    } else {
                        (edge.push.clone().unwrap_or_default().hwm, String::new())
                    };
                    let i = t.pipes.len();
                    t.pipes.push(PipeInfo {
                        edge: eid,
                        from: a,
                        to: b,
                        publish,
                        hwm,
                        prefix: Rc::from(prefix),
                    });
                    t.edge_pipe[eid.index()] = Some(i);
                    match a {
                        PipeEnd::Producer(p) => t.producers[p].pipes.push(i),
                        PipeEnd::Worker(c) => t.consumers[c].pipes_out.push(i),
                        PipeEnd::Device(d) => t.devices[d].outputs.push(i),
                    }
                    match b {
                        PipeEnd::Producer(_) => {}
                        PipeEnd::Worker(c) => t.consumers[c].pipes_in.push(i),
                        PipeEnd::Device(d) => t.devices[d].inputs.push(i),
                    }
                }
                (EdgeKind::Call, from, NodeRef::Consumer(callee)) => {
                    let i = t.calls.len();
                    t.calls.push(CallInfo {
                        edge: eid,
                        from: NodeId(
                            scenario
                                .nodes
                                .iter()
                                .position(|n| n.id == edge.from)
                                .unwrap_or(0) as u32,
                        ),
                        callee,
                        spec: edge.call.clone().unwrap_or_default(),
                    });
                    t.edge_call[eid.index()] = Some(i);
                    match from {
                        NodeRef::Producer(p) => t.producers[p].call = Some(i),
                        NodeRef::Consumer(c) if t.calls[i].spec.compensates.is_none() => {
                            t.consumers[c].calls.push(i)
                        }
                        _ => {}
                    }
                }
                (EdgeKind::Binding, NodeRef::Exchange(x), dest) => {
                    let destination = match dest {
                        NodeRef::Queue(q) => Destination::Queue(q),
                        NodeRef::Exchange(y) => Destination::Exchange(y),
                        _ => continue,
                    };
                    let key = edge.routing_key.clone().unwrap_or_default();
                    t.exchanges[x].bindings.push(Binding {
                        destination,
                        pattern: compile_pattern(&key),
                        key,
                        arguments: edge.arguments.clone(),
                        edge: eid,
                    });
                }
                (EdgeKind::Subscription, NodeRef::Queue(q), NodeRef::Consumer(c)) => {
                    t.consumers[c].queue = Some((q, eid));
                    t.queues[q].consumers.push(c);
                }
                (EdgeKind::DeadLetter, NodeRef::Queue(q), NodeRef::Exchange(x)) => {
                    let key = edge.routing_key.as_deref().map(Rc::from);
                    t.queues[q].dead_letter = Some((x, key, eid));
                }
                (EdgeKind::AlternateExchange, NodeRef::Exchange(x), NodeRef::Exchange(y)) => {
                    t.exchanges[x].alternate = Some((y, eid));
                }
                (EdgeKind::Forward, NodeRef::Consumer(c), NodeRef::Exchange(x)) => {
                    let key =
                        Template::new(edge.routing_key.clone().unwrap_or_else(|| "{key}".into()));
                    t.consumers[c].forwards.push(ForwardInfo {
                        exchange: x,
                        routing_key: compile(&key, &format!("edges[{i}].routing_key"))?,
                        edge: eid,
                    });
                }
                _ => {}
            }
        }
        // Compensating calls, now that every forward call is known.
        for (i, call) in t.calls.iter().enumerate() {
            let Some(undoes) = &call.spec.compensates else {
                continue;
            };
            let Some(NodeRef::Consumer(c)) = by_id
                .get(scenario.edges[call.edge.index()].from.as_str())
                .copied()
            else {
                continue;
            };
            if let Some(step) = t.consumers[c]
                .calls
                .iter()
                .position(|&j| t.edge_ids[t.calls[j].edge.index()] == *undoes)
            {
                t.consumers[c].compensations.push((i, step));
            }
        }
        // Kafka sorts members by member id; here the id is the consumer's name (names
        // are unique within a group), the node order breaking no ties.
        let names: Vec<Rc<str>> = t.consumers.iter().map(|c| c.name.clone()).collect();
        for g in &mut t.groups {
            g.members
                .sort_by(|a, b| names[*a].cmp(&names[*b]).then(a.cmp(b)));
        }
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
