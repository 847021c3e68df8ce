//! Per-kind node settings of a scenario: how producers publish, what exchanges and
//! queues are (RabbitMQ's types and `x-` arguments), and how consumers behave.

use super::Template;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

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
