//! The scenario: the native save format (topology, layout, behaviour, seed), its serde
//! types, loading with errors that name the field, and validation.
//!
//! A scenario is a list of nodes and a list of edges. Each node has a `kind` and, when it
//! needs settings beyond its name and position, one section named after its kind
//! (`producer`, `exchange`, `queue` or `consumer`). Edges name their two ends by node id.

mod family_checks;
mod json_path;
pub(crate) mod load;
mod node;
pub mod script;
mod script_checks;
mod specs;
mod template;
mod validate;

pub use load::{load_scenario, parse_scenario, parse_with_strays, LoadError, MAX_SCENARIO_BYTES};
pub use node::{stray_sections, Node, NodeKind, NodeSpec, RawNode, StraySection};
pub use specs::*;
pub use template::{CompiledTemplate, Template, TemplateContext};
pub use validate::{article, edge_rule, validate, validate_with_strays, ValidationError};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The lowest scenario format version: what a scenario is written as when it uses
/// nothing newer (so old builds and old links keep working).
pub const SCENARIO_VERSION: u32 = 1;
/// The newest scenario format version this build reads and writes. Version 2 is a
/// strict superset of version 1: it adds the `script`.
pub const LATEST_VERSION: u32 = 2;

fn default_latency_ms() -> f64 {
    200.0
}

/// A whole scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version: 1 or 2 ([`Scenario::lowest_version`] when written).
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
    /// Client steps run at simulated times (version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script: Vec<script::ScriptStep>,
    /// Named frames around parts of the diagram, each with its own scoreboard
    /// (version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<Frame>,
}

/// A named frame around some nodes: drawn around them, it keeps the figures of that
/// part of the diagram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    /// Its name (unique in the diagram).
    pub name: String,
    /// The ids of the nodes it frames.
    pub nodes: Vec<String>,
}

/// A version-1 file as read: the same fields as [`Scenario`] without the version-2
/// ones, so a version-1 file is refused and reported exactly as before (an unknown
/// field lists the version-1 fields).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioV1 {
    version: u32,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    seed: u64,
    #[serde(default = "default_latency_ms")]
    latency_ms: f64,
    #[serde(default)]
    duration_ms: Option<f64>,
    nodes: Vec<Node>,
    #[serde(default)]
    edges: Vec<Edge>,
}

impl From<ScenarioV1> for Scenario {
    fn from(v: ScenarioV1) -> Scenario {
        Scenario {
            version: v.version,
            name: v.name,
            description: v.description,
            seed: v.seed,
            latency_ms: v.latency_ms,
            duration_ms: v.duration_ms,
            nodes: v.nodes,
            edges: v.edges,
            script: Vec::new(),
            frames: Vec::new(),
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
    /// Producer or consumer → Kafka topic: produce records (version 2).
    Produce,
    /// Kafka topic → consumer: read it in a consumer group (version 2).
    Consume,
    /// Producer or consumer → SQS queue or SNS topic: SendMessage / Publish (version 2).
    Send,
    /// SQS queue → consumer: ReceiveMessage and DeleteMessage (version 2).
    Receive,
    /// SQS queue → SQS queue: the redrive policy's dead-letter queue (version 2).
    Redrive,
    /// SNS topic → SQS queue or consumer: a subscription (version 2).
    Subscribe,
    /// Producer, consumer or ZeroMQ device → consumer or device: a PUSH→PULL pipe
    /// (version 2).
    Push,
    /// Producer or consumer → consumer or device: a PUB→SUB pipe (version 2).
    Pub,
    /// Producer, consumer or service → service: a synchronous request and its reply
    /// (version 2).
    Call,
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
            EdgeKind::Produce => "produce",
            EdgeKind::Consume => "consume",
            EdgeKind::Send => "send",
            EdgeKind::Receive => "receive",
            EdgeKind::Redrive => "redrive",
            EdgeKind::Subscribe => "subscribe",
            EdgeKind::Push => "push",
            EdgeKind::Pub => "pub",
            EdgeKind::Call => "call",
        }
    }

    /// Every edge kind.
    pub const ALL: [EdgeKind; 15] = [
        EdgeKind::Publish,
        EdgeKind::Binding,
        EdgeKind::Subscription,
        EdgeKind::DeadLetter,
        EdgeKind::AlternateExchange,
        EdgeKind::Forward,
        EdgeKind::Produce,
        EdgeKind::Consume,
        EdgeKind::Send,
        EdgeKind::Receive,
        EdgeKind::Redrive,
        EdgeKind::Subscribe,
        EdgeKind::Push,
        EdgeKind::Pub,
        EdgeKind::Call,
    ];

    /// Whether the edge's `routing_key` means something: a binding's key, a dead-letter
    /// routing key or a forward's key template.
    pub fn takes_routing_key(self) -> bool {
        matches!(
            self,
            EdgeKind::Binding | EdgeKind::DeadLetter | EdgeKind::Forward
        )
    }

    /// The scenario format version that introduced this edge kind.
    pub fn since_version(self) -> u32 {
        match self {
            EdgeKind::Produce
            | EdgeKind::Consume
            | EdgeKind::Send
            | EdgeKind::Receive
            | EdgeKind::Redrive
            | EdgeKind::Subscribe
            | EdgeKind::Push
            | EdgeKind::Pub
            | EdgeKind::Call => 2,
            _ => 1,
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
    /// Kafka subscription settings (consume edges; version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consume: Option<ConsumeSpec>,
    /// SQS receive settings (receive edges; version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive: Option<ReceiveSpec>,
    /// Redrive policy (redrive edges; version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redrive: Option<RedriveSpec>,
    /// SNS subscription settings (subscribe edges; version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe: Option<SubscribeSpec>,
    /// ZeroMQ PUSH pipe settings (push edges; version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<PushSpec>,
    /// ZeroMQ PUB pipe settings (pub edges; version 2).
    #[serde(default, rename = "pub", skip_serializing_if = "Option::is_none")]
    pub pub_pipe: Option<PubSpec>,
    /// Synchronous call settings (call edges; version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<CallSpec>,
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
            consume: None,
            receive: None,
            redrive: None,
            subscribe: None,
            push: None,
            pub_pipe: None,
            call: None,
        }
    }

    /// Makes this edge a `kind` edge, dropping the key, arguments and sections that the
    /// new kind does not take (validation refuses them there).
    pub fn retype(&mut self, kind: EdgeKind) {
        self.kind = kind;
        if !kind.takes_routing_key() {
            self.routing_key = None;
        }
        if kind != EdgeKind::Binding {
            self.arguments.clear();
        }
        // Each section belongs to the kind of the same name.
        fn keep<T>(section: &mut Option<T>, its: EdgeKind, kind: EdgeKind) {
            if its != kind {
                *section = None;
            }
        }
        keep(&mut self.consume, EdgeKind::Consume, kind);
        keep(&mut self.receive, EdgeKind::Receive, kind);
        keep(&mut self.redrive, EdgeKind::Redrive, kind);
        keep(&mut self.subscribe, EdgeKind::Subscribe, kind);
        keep(&mut self.push, EdgeKind::Push, kind);
        keep(&mut self.pub_pipe, EdgeKind::Pub, kind);
        keep(&mut self.call, EdgeKind::Call, kind);
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
            script: Vec::new(),
            frames: Vec::new(),
        }
    }

    /// The lowest format version that holds everything this scenario uses: 2 with a
    /// script, a Kafka topic, a produce or consume edge, a producer's Kafka fields, a
    /// transient queue or an internal exchange; else 1.
    pub fn lowest_version(&self) -> u32 {
        let node_needs_2 = |n: &Node| {
            crate::core::model::kind_info(n.kind()).since_version > 1
                || matches!(&n.spec, NodeSpec::Producer(p) if p.key.is_some()
                    || p.partition.is_some()
                    || p.group_id.is_some()
                    || p.dedup_id.is_some()
                    || p.delivery_mode.is_some()
                    || !p.attributes.is_empty())
                || matches!(&n.spec, NodeSpec::Queue(q) if !q.durable)
                || matches!(&n.spec, NodeSpec::Exchange(x) if x.internal)
        };
        let edge_needs_2 = |e: &Edge| {
            e.kind.since_version() > 1
                || e.consume.is_some()
                || e.receive.is_some()
                || e.redrive.is_some()
                || e.subscribe.is_some()
                || e.push.is_some()
                || e.pub_pipe.is_some()
                || e.call.is_some()
        };
        if !self.script.is_empty()
            || !self.frames.is_empty()
            || self.nodes.iter().any(node_needs_2)
            || self.edges.iter().any(edge_needs_2)
        {
            LATEST_VERSION
        } else {
            SCENARIO_VERSION
        }
    }

    /// This scenario labelled with [`Scenario::lowest_version`], as save, autosave,
    /// share links and `qp import` write it.
    pub fn at_lowest_version(&self) -> Scenario {
        Scenario {
            version: self.lowest_version(),
            ..self.clone()
        }
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}
