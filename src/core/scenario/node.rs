//! A scenario's nodes: what kinds there are ([`NodeKind`]), the domain model of a node
//! ([`Node`] with one [`NodeSpec`] variant per kind, so a node cannot carry another
//! kind's settings), and how the file's per-kind sections are read into it.
//!
//! In the file a node's settings sit in a section named after its kind (`"queue": {…}`).
//! The file is read through [`RawNode`], which accepts every section with strict field
//! types (unknown fields refused with their path, as always); a section that does not
//! belong to the node's kind is found beforehand by [`stray_sections`] and reported by
//! validation with the same text and path as before the domain model existed. A node
//! is written with its section only when its settings differ from the kind's defaults.

use super::{
    ConsumerSpec, ExchangeSpec, KafkaTopicSpec, Problems, ProducerSpec, QueueSpec, ServiceSpec,
    SnsTopicSpec, SqsQueueSpec, ZmqDeviceSpec,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// Publishes messages to an exchange.
    Producer,
    /// Routes messages to queues and other exchanges.
    Exchange,
    /// Stores messages until a consumer acknowledges them.
    Queue,
    /// Receives, processes and acknowledges messages.
    Consumer,
    /// A Kafka topic: partitioned logs read by consumer groups.
    #[serde(rename = "kafka-topic")]
    KafkaTopic,
    /// An AWS SQS queue: visible, in-flight and delayed messages.
    #[serde(rename = "sqs-queue")]
    SqsQueue,
    /// An AWS SNS topic: fans out to its subscriptions through filter policies.
    #[serde(rename = "sns-topic")]
    SnsTopic,
    /// A ZeroMQ device: the distributor in front of several instances.
    #[serde(rename = "zmq-device")]
    ZmqDevice,
    /// A service: the shared worker with several workers and a backlog, answering
    /// synchronous calls (and reading or writing any broker).
    Service,
}

impl NodeKind {
    /// Every kind, in declaration order.
    pub const ALL: [NodeKind; 9] = [
        NodeKind::Producer,
        NodeKind::Exchange,
        NodeKind::Queue,
        NodeKind::Consumer,
        NodeKind::KafkaTopic,
        NodeKind::SqsQueue,
        NodeKind::SnsTopic,
        NodeKind::ZmqDevice,
        NodeKind::Service,
    ];

    /// Lower-case name, as in the JSON and the `data-kind` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Producer => "producer",
            NodeKind::Exchange => "exchange",
            NodeKind::Queue => "queue",
            NodeKind::Consumer => "consumer",
            NodeKind::KafkaTopic => "kafka-topic",
            NodeKind::SqsQueue => "sqs-queue",
            NodeKind::SnsTopic => "sns-topic",
            NodeKind::ZmqDevice => "zmq-device",
            NodeKind::Service => "service",
        }
    }

    /// The kind named `name` in a file (`"kafka-topic"` style), if any.
    pub fn parse(name: &str) -> Option<NodeKind> {
        NodeKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Name of the kind's settings section in a file (`-` becomes `_`).
    pub fn section(self) -> &'static str {
        match self {
            NodeKind::KafkaTopic => "kafka_topic",
            NodeKind::SqsQueue => "sqs_queue",
            NodeKind::SnsTopic => "sns_topic",
            NodeKind::ZmqDevice => "zmq_device",
            other => other.as_str(),
        }
    }
}

/// A node's settings: exactly the kind's own (the domain model of a node). A
/// diagram has tens of nodes, read once per run: the producer's larger size costs
/// nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum NodeSpec {
    /// How a producer publishes.
    Producer(ProducerSpec),
    /// An exchange's type.
    Exchange(ExchangeSpec),
    /// A queue's type and arguments.
    Queue(QueueSpec),
    /// How a consumer behaves.
    Consumer(ConsumerSpec),
    /// A Kafka topic's partitions, retention and cleanup.
    KafkaTopic(KafkaTopicSpec),
    /// An SQS queue's settings.
    SqsQueue(SqsQueueSpec),
    /// An SNS topic's settings.
    SnsTopic(SnsTopicSpec),
    /// A ZeroMQ device's settings.
    ZmqDevice(ZmqDeviceSpec),
    /// A service's settings.
    Service(ServiceSpec),
}

impl NodeSpec {
    /// The kind these settings belong to.
    pub fn kind(&self) -> NodeKind {
        match self {
            NodeSpec::Producer(_) => NodeKind::Producer,
            NodeSpec::Exchange(_) => NodeKind::Exchange,
            NodeSpec::Queue(_) => NodeKind::Queue,
            NodeSpec::Consumer(_) => NodeKind::Consumer,
            NodeSpec::KafkaTopic(_) => NodeKind::KafkaTopic,
            NodeSpec::SqsQueue(_) => NodeKind::SqsQueue,
            NodeSpec::SnsTopic(_) => NodeKind::SnsTopic,
            NodeSpec::ZmqDevice(_) => NodeKind::ZmqDevice,
            NodeSpec::Service(_) => NodeKind::Service,
        }
    }

    /// Default settings of `kind` (what a node without a section has).
    pub fn default_for(kind: NodeKind) -> NodeSpec {
        match kind {
            NodeKind::Producer => NodeSpec::Producer(ProducerSpec::default()),
            NodeKind::Exchange => NodeSpec::Exchange(ExchangeSpec::default()),
            NodeKind::Queue => NodeSpec::Queue(QueueSpec::default()),
            NodeKind::Consumer => NodeSpec::Consumer(ConsumerSpec::default()),
            NodeKind::KafkaTopic => NodeSpec::KafkaTopic(KafkaTopicSpec::default()),
            NodeKind::SqsQueue => NodeSpec::SqsQueue(SqsQueueSpec::default()),
            NodeKind::SnsTopic => NodeSpec::SnsTopic(SnsTopicSpec::default()),
            NodeKind::ZmqDevice => NodeSpec::ZmqDevice(ZmqDeviceSpec::default()),
            NodeKind::Service => NodeSpec::Service(ServiceSpec::default()),
        }
    }

    /// Checks the settings of a node named `name`.
    pub fn check(&self, name: &str, out: &mut Problems) {
        match self {
            NodeSpec::Producer(p) => p.check(out),
            NodeSpec::Exchange(x) => x.check(name, out),
            NodeSpec::Queue(q) => q.check(out),
            NodeSpec::Consumer(c) => c.check(out),
            NodeSpec::KafkaTopic(t) => t.check(out),
            NodeSpec::SqsQueue(q) => q.check(name, out),
            NodeSpec::SnsTopic(t) => t.check(name, out),
            NodeSpec::ZmqDevice(d) => d.check(out),
            NodeSpec::Service(v) => v.check(out),
        }
    }

    /// True when these are the kind's default settings.
    pub fn is_default(&self) -> bool {
        *self == NodeSpec::default_for(self.kind())
    }
}

/// One node of the diagram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "RawNode", into = "RawNode")]
pub struct Node {
    /// Unique id within the scenario, referenced by edges.
    pub id: String,
    /// Label, and the broker name for exchanges and queues (`""` is the default exchange).
    pub name: String,
    /// Canvas position (left).
    pub x: f64,
    /// Canvas position (top).
    pub y: f64,
    /// The kind and its settings.
    pub spec: NodeSpec,
}

impl Node {
    /// A node of `kind` with default settings.
    pub fn new(id: impl Into<String>, kind: NodeKind, name: impl Into<String>) -> Node {
        Node {
            id: id.into(),
            name: name.into(),
            x: 0.0,
            y: 0.0,
            spec: NodeSpec::default_for(kind),
        }
    }

    /// A node with these settings.
    pub fn with_spec(id: impl Into<String>, name: impl Into<String>, spec: NodeSpec) -> Node {
        Node {
            id: id.into(),
            name: name.into(),
            x: 0.0,
            y: 0.0,
            spec,
        }
    }

    /// Kind of node.
    pub fn kind(&self) -> NodeKind {
        self.spec.kind()
    }

    /// The queue settings to change, when this is a queue.
    pub fn queue_mut(&mut self) -> Option<&mut QueueSpec> {
        match &mut self.spec {
            NodeSpec::Queue(q) => Some(q),
            _ => None,
        }
    }

    /// Producer settings (defaults for another kind).
    pub fn producer_spec(&self) -> ProducerSpec {
        match &self.spec {
            NodeSpec::Producer(p) => p.clone(),
            _ => ProducerSpec::default(),
        }
    }
    /// Exchange settings (defaults for another kind).
    pub fn exchange_spec(&self) -> ExchangeSpec {
        match &self.spec {
            NodeSpec::Exchange(x) => x.clone(),
            _ => ExchangeSpec::default(),
        }
    }
    /// Queue settings (defaults for another kind).
    pub fn queue_spec(&self) -> QueueSpec {
        match &self.spec {
            NodeSpec::Queue(q) => q.clone(),
            _ => QueueSpec::default(),
        }
    }
    /// Kafka topic settings (defaults for another kind).
    pub fn kafka_topic_spec(&self) -> KafkaTopicSpec {
        match &self.spec {
            NodeSpec::KafkaTopic(t) => t.clone(),
            _ => KafkaTopicSpec::default(),
        }
    }
    /// SQS queue settings (defaults for another kind).
    pub fn sqs_queue_spec(&self) -> SqsQueueSpec {
        match &self.spec {
            NodeSpec::SqsQueue(q) => q.clone(),
            _ => SqsQueueSpec::default(),
        }
    }
    /// SNS topic settings (defaults for another kind).
    pub fn sns_topic_spec(&self) -> SnsTopicSpec {
        match &self.spec {
            NodeSpec::SnsTopic(t) => t.clone(),
            _ => SnsTopicSpec::default(),
        }
    }
    /// ZeroMQ device settings (defaults for another kind).
    pub fn zmq_device_spec(&self) -> ZmqDeviceSpec {
        match &self.spec {
            NodeSpec::ZmqDevice(d) => d.clone(),
            _ => ZmqDeviceSpec::default(),
        }
    }
    /// Service settings (defaults for another kind).
    pub fn service_spec(&self) -> ServiceSpec {
        match &self.spec {
            NodeSpec::Service(v) => v.clone(),
            _ => ServiceSpec::default(),
        }
    }
    /// The shared worker's settings: a consumer's own, a service's as a worker
    /// (defaults for another kind).
    pub fn consumer_spec(&self) -> ConsumerSpec {
        match &self.spec {
            NodeSpec::Consumer(c) => c.clone(),
            NodeSpec::Service(v) => v.worker(),
            _ => ConsumerSpec::default(),
        }
    }
}

/// A node as the file holds it: every kind's section may appear (strictly typed);
/// [`stray_sections`] reports those that do not fit the kind.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    id: String,
    kind: NodeKind,
    #[serde(default)]
    name: String,
    #[serde(default)]
    x: f64,
    #[serde(default)]
    y: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    producer: Option<ProducerSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exchange: Option<ExchangeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    queue: Option<QueueSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    consumer: Option<ConsumerSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kafka_topic: Option<KafkaTopicSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sqs_queue: Option<SqsQueueSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sns_topic: Option<SnsTopicSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    zmq_device: Option<ZmqDeviceSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<ServiceSpec>,
}

impl From<RawNode> for Node {
    /// Keeps the kind's own section (defaults when absent); a stray section was
    /// reported by validation before this runs.
    fn from(raw: RawNode) -> Node {
        let spec = match raw.kind {
            NodeKind::Producer => NodeSpec::Producer(raw.producer.unwrap_or_default()),
            NodeKind::Exchange => NodeSpec::Exchange(raw.exchange.unwrap_or_default()),
            NodeKind::Queue => NodeSpec::Queue(raw.queue.unwrap_or_default()),
            NodeKind::Consumer => NodeSpec::Consumer(raw.consumer.unwrap_or_default()),
            NodeKind::KafkaTopic => NodeSpec::KafkaTopic(raw.kafka_topic.unwrap_or_default()),
            NodeKind::SqsQueue => NodeSpec::SqsQueue(raw.sqs_queue.unwrap_or_default()),
            NodeKind::SnsTopic => NodeSpec::SnsTopic(raw.sns_topic.unwrap_or_default()),
            NodeKind::ZmqDevice => NodeSpec::ZmqDevice(raw.zmq_device.unwrap_or_default()),
            NodeKind::Service => NodeSpec::Service(raw.service.unwrap_or_default()),
        };
        Node {
            id: raw.id,
            name: raw.name,
            x: raw.x,
            y: raw.y,
            spec,
        }
    }
}

impl From<Node> for RawNode {
    fn from(node: Node) -> RawNode {
        let kind = node.kind();
        let written = (!node.spec.is_default()).then_some(node.spec);
        let mut raw = RawNode {
            id: node.id,
            kind,
            name: node.name,
            x: node.x,
            y: node.y,
            producer: None,
            exchange: None,
            queue: None,
            consumer: None,
            kafka_topic: None,
            sqs_queue: None,
            sns_topic: None,
            zmq_device: None,
            service: None,
        };
        match written {
            Some(NodeSpec::Producer(p)) => raw.producer = Some(p),
            Some(NodeSpec::Exchange(x)) => raw.exchange = Some(x),
            Some(NodeSpec::Queue(q)) => raw.queue = Some(q),
            Some(NodeSpec::Consumer(c)) => raw.consumer = Some(c),
            Some(NodeSpec::KafkaTopic(t)) => raw.kafka_topic = Some(t),
            Some(NodeSpec::SqsQueue(q)) => raw.sqs_queue = Some(q),
            Some(NodeSpec::SnsTopic(t)) => raw.sns_topic = Some(t),
            Some(NodeSpec::ZmqDevice(d)) => raw.zmq_device = Some(d),
            Some(NodeSpec::Service(v)) => raw.service = Some(v),
            None => {}
        }
        raw
    }
}

/// A settings section that sits on a node of another kind: `(node index, section
/// name, the node's kind)`.
pub type StraySection = (usize, &'static str, NodeKind);

/// The sections in a scenario's JSON that belong to another kind than their node's
/// (read before the typed pass, which would otherwise drop them unseen).
pub fn stray_sections(scenario: &Value) -> Vec<StraySection> {
    let mut out = Vec::new();
    let Some(nodes) = scenario.get("nodes").and_then(Value::as_array) else {
        return out;
    };
    for (i, node) in nodes.iter().enumerate() {
        let Some(kind) = node
            .get("kind")
            .and_then(Value::as_str)
            .and_then(NodeKind::parse)
        else {
            continue;
        };
        for other in NodeKind::ALL {
            if other != kind && node.get(other.section()).is_some() {
                out.push((i, other.section(), kind));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_is_written_with_its_section_only_when_it_differs_from_defaults() {
        let plain = Node::new("q", NodeKind::Queue, "jobs");
        let text = serde_json::to_string(&plain).unwrap();
        assert!(!text.contains("\"queue\":"), "{text}");
        let mut set = plain.clone();
        if let NodeSpec::Queue(q) = &mut set.spec {
            q.max_length = Some(5);
        }
        let text = serde_json::to_string(&set).unwrap();
        assert!(text.contains("\"queue\":{"), "{text}");
        assert_eq!(serde_json::from_str::<Node>(&text).unwrap(), set);
    }

    #[test]
    fn stray_sections_are_found_by_kind() {
        let v: Value = serde_json::json!({"nodes": [
            {"id": "a", "kind": "producer", "queue": {}},
            {"id": "b", "kind": "queue", "queue": {}},
            {"id": "c", "kind": "nonsense", "queue": {}}
        ]});
        assert_eq!(stray_sections(&v), vec![(0, "queue", NodeKind::Producer)]);
    }
}
