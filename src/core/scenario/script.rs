//! Scenario `script` (version 2, design §5): client steps run at simulated times, as a
//! client would — one message per step, targets named by node *name*. RabbitMQ's
//! verbs: `publish` (basic.publish to an exchange) and `get` (basic.get of up to
//! `count` messages, then each settled by `ack`: ack, nack with requeue, or reject);
//! Kafka's: `produce` (one record to a topic, `value: null` for a tombstone).
//! SQS's: `send`, `receive` (up to `max`, held in flight by the script), `delete` and
//! `change_visibility` (of the most recently received in-flight message with that
//! body), `redrive` (a dead-letter queue's messages back to their sources); SNS's
//! `sns_publish`. Steps at the same `at_ms` run in the order listed.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The latest time a script step may run at, in ms (about 31 years): later ones could
/// never be reached, and would not fit the clock's microseconds far beyond.
pub const MAX_STEP_MS: f64 = 1e12;

/// AMQP basic properties a script publish may set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishProperties {
    /// Per-message TTL in ms (the `expiration` property).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<f64>,
    /// `priority` property, 0 to 255.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u8>,
    /// Headers table (`CC` / `BCC` string arrays add routing keys).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub headers: Map<String, Value>,
    /// `message_id` property (default: `script-<step>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// `reply_to` property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// `correlation_id` property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// `delivery_mode`: 1 transient, 2 persistent (kept by a durable queue through a
    /// broker restart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_mode: Option<u8>,
}

/// How the messages of a `get` are settled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GetAck {
    /// basic.ack: they leave the queue.
    #[default]
    Ack,
    /// basic.nack with requeue: back to their positions, redelivered.
    Requeue,
    /// basic.reject without requeue: dead-lettered (or dropped).
    Reject,
}

fn one() -> u32 {
    1
}

fn one_msg() -> u32 {
    1
}

/// One step of a script.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScriptStep {
    /// Publish one message to an exchange.
    Publish {
        /// When, in simulated ms.
        at_ms: f64,
        /// Exchange name (`""`: the default exchange).
        exchange: String,
        /// Routing key.
        #[serde(default)]
        routing_key: String,
        /// Payload.
        #[serde(default)]
        payload: String,
        /// Properties.
        #[serde(default, skip_serializing_if = "is_default_properties")]
        properties: PublishProperties,
    },
    /// Get up to `count` messages from a queue, then settle each.
    Get {
        /// When, in simulated ms.
        at_ms: f64,
        /// Queue name.
        queue: String,
        /// Most messages to get.
        #[serde(default = "one")]
        count: u32,
        /// How they are settled.
        #[serde(default)]
        ack: GetAck,
    },
    /// Reset a consumer group's committed offsets on a topic (a replay).
    ResetOffsets {
        /// When, in simulated ms.
        at_ms: f64,
        /// Topic name.
        topic: String,
        /// `group.id`.
        group: String,
        /// `"earliest"`, `"latest"`, `{"offset": N}` or `{"time_ms": T}`.
        to: crate::core::scenario::OffsetTarget,
    },
    /// Produce one record to a Kafka topic.
    Produce {
        /// When, in simulated ms.
        at_ms: f64,
        /// Topic name.
        topic: String,
        /// Record key (absent or null: a null key, placed by the sticky partitioner).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        /// Record value (null: a tombstone).
        value: Option<String>,
        /// Partition (absent: the default partitioner).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        partition: Option<u32>,
    },
    /// SendMessage to an SQS queue.
    Send {
        /// When, in simulated ms.
        at_ms: f64,
        /// Queue name.
        queue: String,
        /// Message body (required, as SendMessage's `MessageBody` is).
        body: String,
        /// `MessageGroupId` (FIFO queues need one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group_id: Option<String>,
        /// `MessageDeduplicationId` (FIFO).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dedup_id: Option<String>,
        /// `DelaySeconds` of this message, in ms (standard queues only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delay_ms: Option<f64>,
        /// Message attributes.
        #[serde(default, skip_serializing_if = "Map::is_empty")]
        attributes: Map<String, Value>,
    },
    /// ReceiveMessage: up to `max` messages, held in flight by the script.
    Receive {
        /// When, in simulated ms.
        at_ms: f64,
        /// Queue name.
        queue: String,
        /// `MaxNumberOfMessages`, 1–10.
        #[serde(default = "one_msg")]
        max: u32,
        /// `VisibilityTimeout` of this receive (absent: the queue's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        visibility_timeout_ms: Option<f64>,
        /// `WaitTimeSeconds` in ms. A script's receive returns what is visible at
        /// its time; a wait is accepted and checked but does not delay the step.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        wait_ms: Option<f64>,
    },
    /// DeleteMessage of the most recently received in-flight message with `body`.
    Delete {
        /// When, in simulated ms.
        at_ms: f64,
        /// Queue name.
        queue: String,
        /// The body of the message to delete.
        body: String,
    },
    /// ChangeMessageVisibility of the most recently received in-flight message with
    /// `body`: its timer restarts from now with `timeout_ms` (0: visible at once).
    ChangeVisibility {
        /// When, in simulated ms.
        at_ms: f64,
        /// Queue name.
        queue: String,
        /// The body of the message.
        body: String,
        /// The new timeout, from now.
        timeout_ms: f64,
    },
    /// Moves every message of a dead-letter queue back to the queue it came from
    /// (the console's "Start DLQ redrive").
    Redrive {
        /// When, in simulated ms.
        at_ms: f64,
        /// The dead-letter queue's name.
        queue: String,
    },
    /// Restart the RabbitMQ broker (durable queues keep their persistent messages).
    RestartBroker {
        /// When, in simulated ms.
        at_ms: f64,
    },
    /// Publish to an SNS topic.
    SnsPublish {
        /// When, in simulated ms.
        at_ms: f64,
        /// Topic name.
        topic: String,
        /// Message.
        #[serde(default)]
        message: String,
        /// Message attributes (what attribute-scoped filter policies read).
        #[serde(default, skip_serializing_if = "Map::is_empty")]
        attributes: Map<String, Value>,
        /// `MessageGroupId` (FIFO topics need one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group_id: Option<String>,
        /// `MessageDeduplicationId` (FIFO topics).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dedup_id: Option<String>,
    },
}

fn is_default_properties(p: &PublishProperties) -> bool {
    *p == PublishProperties::default()
}

impl ScriptStep {
    /// Moves the step to `t` simulated ms.
    pub fn set_at_ms(&mut self, t: f64) {
        match self {
            ScriptStep::Publish { at_ms, .. }
            | ScriptStep::Get { at_ms, .. }
            | ScriptStep::Produce { at_ms, .. }
            | ScriptStep::ResetOffsets { at_ms, .. }
            | ScriptStep::Send { at_ms, .. }
            | ScriptStep::Receive { at_ms, .. }
            | ScriptStep::Delete { at_ms, .. }
            | ScriptStep::ChangeVisibility { at_ms, .. }
            | ScriptStep::Redrive { at_ms, .. }
            | ScriptStep::RestartBroker { at_ms }
            | ScriptStep::SnsPublish { at_ms, .. } => *at_ms = t,
        }
    }

    /// The name of the node the step acts on (none for a broker restart).
    pub fn target(&self) -> Option<&str> {
        match self {
            ScriptStep::Publish { exchange, .. } => Some(exchange),
            ScriptStep::Get { queue, .. }
            | ScriptStep::Send { queue, .. }
            | ScriptStep::Receive { queue, .. }
            | ScriptStep::Delete { queue, .. }
            | ScriptStep::ChangeVisibility { queue, .. }
            | ScriptStep::Redrive { queue, .. } => Some(queue),
            ScriptStep::ResetOffsets { topic, .. }
            | ScriptStep::Produce { topic, .. }
            | ScriptStep::SnsPublish { topic, .. } => Some(topic),
            ScriptStep::RestartBroker { .. } => None,
        }
    }

    /// The kind of node the step names (none for a broker restart): names are unique
    /// within a kind, so a queue and an exchange may share one.
    pub fn target_kind(&self) -> Option<super::NodeKind> {
        use super::NodeKind;
        match self {
            ScriptStep::Publish { .. } => Some(NodeKind::Exchange),
            ScriptStep::Get { .. } => Some(NodeKind::Queue),
            ScriptStep::Send { .. }
            | ScriptStep::Receive { .. }
            | ScriptStep::Delete { .. }
            | ScriptStep::ChangeVisibility { .. }
            | ScriptStep::Redrive { .. } => Some(NodeKind::SqsQueue),
            ScriptStep::ResetOffsets { .. } | ScriptStep::Produce { .. } => {
                Some(NodeKind::KafkaTopic)
            }
            ScriptStep::SnsPublish { .. } => Some(NodeKind::SnsTopic),
            ScriptStep::RestartBroker { .. } => None,
        }
    }

    /// Renames the node the step acts on from `old` to `new` when it is a `kind` node
    /// named `old`; says whether it did.
    pub fn rename_target(&mut self, kind: super::NodeKind, old: &str, new: &str) -> bool {
        if self.target_kind() != Some(kind) || self.target() != Some(old) {
            return false;
        }
        match self {
            ScriptStep::Publish { exchange: name, .. }
            | ScriptStep::Get { queue: name, .. }
            | ScriptStep::Send { queue: name, .. }
            | ScriptStep::Receive { queue: name, .. }
            | ScriptStep::Delete { queue: name, .. }
            | ScriptStep::ChangeVisibility { queue: name, .. }
            | ScriptStep::Redrive { queue: name, .. }
            | ScriptStep::ResetOffsets { topic: name, .. }
            | ScriptStep::Produce { topic: name, .. }
            | ScriptStep::SnsPublish { topic: name, .. } => {
                *name = new.to_string();
                true
            }
            ScriptStep::RestartBroker { .. } => false,
        }
    }

    /// When the step runs, in simulated ms.
    pub fn at_ms(&self) -> f64 {
        match self {
            ScriptStep::Publish { at_ms, .. }
            | ScriptStep::Get { at_ms, .. }
            | ScriptStep::Produce { at_ms, .. }
            | ScriptStep::ResetOffsets { at_ms, .. }
            | ScriptStep::Send { at_ms, .. }
            | ScriptStep::Receive { at_ms, .. }
            | ScriptStep::Delete { at_ms, .. }
            | ScriptStep::ChangeVisibility { at_ms, .. }
            | ScriptStep::Redrive { at_ms, .. }
            | ScriptStep::RestartBroker { at_ms }
            | ScriptStep::SnsPublish { at_ms, .. } => *at_ms,
        }
    }
}

/// What a step that reads, or was refused, gave back (design §5 `script_results`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ScriptResult {
    /// A `get`: the payloads it got, in order; a `receive`: the bodies.
    Messages {
        /// Index of the step in `script`, from 0.
        step: usize,
        /// Payloads.
        messages: Vec<String>,
    },
    /// A `publish` a queue refused (`reject-publish`), as a publisher confirm's nack;
    /// a `produce` a topic refused; an SQS or SNS call AWS would answer with an error
    /// (a FIFO send without a group id, a delete of a message not in flight).
    Refused {
        /// Index of the step in `script`, from 0.
        step: usize,
        /// Always true.
        refused: bool,
    },
}
