//! The compiled tables' rows: one struct per thing the engine looks up by index
//! (exchanges and their bindings, queues, producers, pipes and devices, SQS queues and
//! SNS topics, Kafka topics and groups, consumers and services, call edges) and
//! [`NodeRef`], what a scenario node became.

use crate::core::families::rabbit::routing::topic::PatternWord;
use crate::core::model::ids::{EdgeId, NodeId};
use crate::core::scenario::{
    Assignor, CallSpec, CompiledTemplate, ConsumeSpec, ConsumerSpec, DeviceMode, ExchangeType,
    KafkaTopicSpec, Overflow, ProducerSpec, QueueType, ReceiveSpec, SnsTopicSpec, SqsQueueSpec,
    SubscribeSpec,
};
use serde_json::{Map, Value};
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
    /// Internal: clients cannot publish to it.
    pub internal: bool,
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
    /// Survives a broker restart (with its persistent messages).
    pub durable: bool,
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
