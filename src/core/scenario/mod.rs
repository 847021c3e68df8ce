//! The scenario: the native save format (topology, layout, behaviour, seed), its serde
//! types, loading with errors that name the field, and validation.
//!
//! A scenario is a list of nodes and a list of edges. Each node has a `kind` and, when it
//! needs settings beyond its name and position, one section named after its kind
//! (`producer`, `exchange`, `queue` or `consumer`). Edges name their two ends by node id.

pub(crate) mod load;
mod template;
mod validate;

pub use load::{load_scenario, parse_scenario, LoadError, MAX_SCENARIO_BYTES};
pub use template::{CompiledTemplate, Template, TemplateContext};
pub use validate::{edge_rule, validate, ValidationError};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The scenario format version this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

fn default_latency_ms() -> f64 {
    200.0
}

/// A whole scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must be [`SCENARIO_VERSION`].
    pub version: u32,
    /// Title shown in the app.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Free text explaining the scenario.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Seed of the simulation's random generator.
    #[serde(default)]
    pub seed: u64,
    /// Time a message takes to travel one edge (publish, route, deliver), in ms.
    #[serde(default = "default_latency_ms")]
    pub latency_ms: f64,
    /// How long `qp simulate` runs when `--until` is not given, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    /// Producers, exchanges, queues and consumers.
    pub nodes: Vec<Node>,
    /// Wiring between nodes.
    #[serde(default)]
    pub edges: Vec<Edge>,
}

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
}

impl NodeKind {
    /// Lower-case name, as in the JSON and the `data-kind` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Producer => "producer",
            NodeKind::Exchange => "exchange",
            NodeKind::Queue => "queue",
            NodeKind::Consumer => "consumer",
        }
    }
}

/// One node of the diagram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Unique id within the scenario, referenced by edges.
    pub id: String,
    /// Kind of node.
    pub kind: NodeKind,
    /// Label, and the broker name for exchanges and queues (`""` is the default exchange).
    #[serde(default)]
    pub name: String,
    /// Canvas position (left).
    #[serde(default)]
    pub x: f64,
    /// Canvas position (top).
    #[serde(default)]
    pub y: f64,
    /// Producer settings (producer nodes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<ProducerSpec>,
    /// Exchange settings (exchange nodes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<ExchangeSpec>,
    /// Queue settings (queue nodes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<QueueSpec>,
    /// Consumer settings (consumer nodes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer: Option<ConsumerSpec>,
}

impl Node {
    /// A node of `kind` with default settings.
    pub fn new(id: impl Into<String>, kind: NodeKind, name: impl Into<String>) -> Node {
        Node {
            id: id.into(),
            kind,
            name: name.into(),
            x: 0.0,
            y: 0.0,
            producer: None,
            exchange: None,
            queue: None,
            consumer: None,
        }
    }

    /// Producer settings, defaults when absent.
    pub fn producer_spec(&self) -> ProducerSpec {
        self.producer.clone().unwrap_or_default()
    }
    /// Exchange settings, defaults when absent.
    pub fn exchange_spec(&self) -> ExchangeSpec {
        self.exchange.clone().unwrap_or_default()
    }
    /// Queue settings, defaults when absent.
    pub fn queue_spec(&self) -> QueueSpec {
        self.queue.clone().unwrap_or_default()
    }
    /// Consumer settings, defaults when absent.
    pub fn consumer_spec(&self) -> ConsumerSpec {
        self.consumer.clone().unwrap_or_default()
    }
}

/// A scheduled burst: `count` messages published at `at_ms`, spread evenly over `spread_ms`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Burst {
    /// When the burst starts, in ms.
    pub at_ms: f64,
    /// How many messages it publishes.
    pub count: u64,
    /// Spread the burst over this many ms (0 = all at once).
    #[serde(default)]
    pub spread_ms: f64,
}

fn default_rate() -> f64 {
    1.0
}
fn default_payload() -> Template {
    Template::new("message {n}")
}
fn default_message_id() -> Template {
    Template::new("{producer}-{n}")
}

/// How a producer publishes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProducerSpec {
    /// Steady publish rate in messages per second (0 = only bursts).
    #[serde(default = "default_rate")]
    pub rate_per_sec: f64,
    /// When the steady rate starts, in ms.
    #[serde(default)]
    pub start_ms: f64,
    /// Stop after this many messages in total (none = no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Extra bursts on top of the steady rate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bursts: Vec<Burst>,
    /// Routing key template.
    #[serde(default)]
    pub routing_key: Template,
    /// Payload template.
    #[serde(default = "default_payload")]
    pub payload: Template,
    /// Header templates (string values are templates; other JSON values are sent as is).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Value>,
    /// Per-message TTL (`expiration` property) in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_ms: Option<f64>,
    /// Priority property: a number, or a template such as `{cycle:1|5|9}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Template>,
    /// `message_id` property template.
    #[serde(default = "default_message_id")]
    pub message_id: Template,
    /// `reply_to` property (a queue name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
}

impl Default for ProducerSpec {
    fn default() -> Self {
        ProducerSpec {
            rate_per_sec: default_rate(),
            start_ms: 0.0,
            count: None,
            bursts: Vec::new(),
            routing_key: Template::default(),
            payload: default_payload(),
            headers: BTreeMap::new(),
            expiration_ms: None,
            priority: None,
            message_id: default_message_id(),
            reply_to: None,
        }
    }
}

/// Exchange type, as RabbitMQ names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExchangeType {
    /// Exact routing-key match.
    #[default]
    Direct,
    /// Every bound destination.
    Fanout,
    /// Dotted-word patterns with `*` and `#`.
    Topic,
    /// Header arguments with `x-match`.
    Headers,
}

impl ExchangeType {
    /// RabbitMQ's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            ExchangeType::Direct => "direct",
            ExchangeType::Fanout => "fanout",
            ExchangeType::Topic => "topic",
            ExchangeType::Headers => "headers",
        }
    }
}

/// Exchange settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeSpec {
    /// Routing algorithm.
    #[serde(default, rename = "type")]
    pub kind: ExchangeType,
}

/// What a full queue does with one more message (`x-overflow`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Overflow {
    /// Drop (or dead-letter) the oldest ready message.
    #[default]
    DropHead,
    /// Refuse the new message.
    RejectPublish,
    /// Refuse the new message and dead-letter it.
    RejectPublishDlx,
}

impl Overflow {
    /// The `x-overflow` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Overflow::DropHead => "drop-head",
            Overflow::RejectPublish => "reject-publish",
            Overflow::RejectPublishDlx => "reject-publish-dlx",
        }
    }
}

/// RabbitMQ queue type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueType {
    /// A classic queue.
    #[default]
    Classic,
    /// A quorum queue (has a delivery limit).
    Quorum,
}

/// Queue settings, mirroring RabbitMQ's `x-` arguments.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    /// `x-queue-type`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub queue_type: QueueType,
    /// `x-message-ttl` in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_ttl_ms: Option<f64>,
    /// `x-max-length`: most ready messages kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// `x-max-length-bytes`: most payload bytes of ready messages kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length_bytes: Option<u64>,
    /// `x-overflow`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub overflow: Overflow,
    /// `x-max-priority`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_priority: Option<u8>,
    /// `x-single-active-consumer`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub single_active_consumer: bool,
    /// `x-delivery-limit` (quorum queues).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_limit: Option<u32>,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A processing-time distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "lowercase", deny_unknown_fields)]
pub enum Processing {
    /// Always `ms`.
    Fixed {
        /// Duration in ms.
        ms: f64,
    },
    /// Uniform between `min_ms` and `max_ms`.
    Uniform {
        /// Lower bound in ms.
        min_ms: f64,
        /// Upper bound in ms.
        max_ms: f64,
    },
    /// Exponential with mean `mean_ms`.
    Exponential {
        /// Mean in ms.
        mean_ms: f64,
    },
}

impl Default for Processing {
    fn default() -> Self {
        Processing::Fixed { ms: 100.0 }
    }
}

/// Acknowledgement mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AckMode {
    /// The consumer acks after processing (at-least-once).
    #[default]
    Manual,
    /// The broker forgets a message as soon as it is sent (at-most-once).
    Auto,
}

/// What a consumer does with one message after processing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Acknowledge.
    Ack,
    /// `basic.nack` with requeue = true.
    Requeue,
    /// `basic.nack` / `basic.reject` with requeue = false (dead-letters when the queue has a DLX).
    Reject,
    /// The consumer process dies after doing the work but before acking.
    Crash,
}

/// Probabilities of the non-ack outcomes; ack takes the rest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeOdds {
    /// Probability of nack with requeue.
    #[serde(default)]
    pub requeue: f64,
    /// Probability of reject (no requeue).
    #[serde(default)]
    pub reject: f64,
    /// Probability of a crash.
    #[serde(default)]
    pub crash: f64,
}

/// A time window in which a consumer is disconnected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    /// Disconnects at, in ms.
    pub start_ms: f64,
    /// Reconnects at, in ms.
    pub end_ms: f64,
}

fn default_restart_ms() -> f64 {
    1000.0
}

/// Consumer behaviour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerSpec {
    /// `basic.qos` prefetch count; 0 = unlimited.
    #[serde(default)]
    pub prefetch: u32,
    /// Ack mode.
    #[serde(default)]
    pub ack: AckMode,
    /// Processing time per message.
    #[serde(default)]
    pub processing: Processing,
    /// Random outcome probabilities (used when `pattern` is empty).
    #[serde(default, skip_serializing_if = "is_default")]
    pub outcomes: OutcomeOdds,
    /// Outcomes applied in turn, repeating (overrides `outcomes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pattern: Vec<Outcome>,
    /// Time to come back after a crash, in ms.
    #[serde(default = "default_restart_ms")]
    pub restart_ms: f64,
    /// Disconnected windows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<Outage>,
    /// Skip messages whose `message_id` was already processed (the effect happens once).
    #[serde(default, skip_serializing_if = "is_default")]
    pub idempotent: bool,
    /// After acking a message that has `reply_to`, publish a reply to that queue via the
    /// default exchange, carrying the `correlation_id`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub reply: bool,
}

impl Default for ConsumerSpec {
    fn default() -> Self {
        ConsumerSpec {
            prefetch: 0,
            ack: AckMode::Manual,
            processing: Processing::default(),
            outcomes: OutcomeOdds::default(),
            pattern: Vec::new(),
            restart_ms: default_restart_ms(),
            outages: Vec::new(),
            idempotent: false,
            reply: false,
        }
    }
}

/// What an edge means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// Producer → exchange: the producer publishes there.
    Publish,
    /// Exchange → queue or exchange → exchange: a binding.
    Binding,
    /// Queue → consumer: the consumer subscribes.
    Subscription,
    /// Queue → exchange: the queue's dead-letter exchange.
    DeadLetter,
    /// Exchange → exchange: the alternate exchange for unroutable messages.
    AlternateExchange,
    /// Consumer → exchange: publish a message after processing one.
    Forward,
}

impl EdgeKind {
    /// Kebab-case name, as in the JSON and the `data-edge-kind` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Publish => "publish",
            EdgeKind::Binding => "binding",
            EdgeKind::Subscription => "subscription",
            EdgeKind::DeadLetter => "dead-letter",
            EdgeKind::AlternateExchange => "alternate-exchange",
            EdgeKind::Forward => "forward",
        }
    }
}

/// One edge of the diagram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    /// Unique id within the scenario.
    pub id: String,
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// Meaning of the edge.
    pub kind: EdgeKind,
    /// Binding key (binding), dead-letter routing key (dead-letter) or routing-key
    /// template (forward; default `{key}`, the processed message's key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_key: Option<String>,
    /// Binding arguments (headers exchanges: `x-match` and the header values).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub arguments: Map<String, Value>,
}

impl Edge {
    /// An edge without key or arguments.
    pub fn new(
        id: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
        kind: EdgeKind,
    ) -> Edge {
        Edge {
            id: id.into(),
            from: from.into(),
            to: to.into(),
            kind,
            routing_key: None,
            arguments: Map::new(),
        }
    }
}

impl Scenario {
    /// An empty scenario.
    pub fn empty() -> Scenario {
        Scenario {
            version: SCENARIO_VERSION,
            name: String::new(),
            description: String::new(),
            seed: 0,
            latency_ms: default_latency_ms(),
            duration_ms: None,
            nodes: Vec::new(),
            edges: Vec::new(),
        }
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}
