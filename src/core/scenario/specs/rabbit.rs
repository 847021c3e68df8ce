//! RabbitMQ's node settings: exchange types, and queues with their `x-` arguments;
//! and their checks (the broker's own refusals).

use super::{is_default, non_negative, Problems};
use serde::{Deserialize, Serialize};

/// The longest TTL RabbitMQ takes, in ms (ten years): `rabbit_misc:check_expiry`
/// (rabbitmq-server, deps/rabbit_common/src/rabbit_misc.erl, `?MAX_EXPIRY_TIMER`) refuses
/// a queue's `x-message-ttl` or a message's `expiration` above it.
pub const MAX_TTL_MS: u64 = 315_360_000_000;

/// What a TTL above [`MAX_TTL_MS`] is told.
pub const TTL_LIMIT: &str =
    "must be at most 315,360,000,000 ms (ten years, the longest TTL RabbitMQ takes)";

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
    /// Internal (version 2): clients cannot publish to it; other exchanges reach it
    /// through bindings, and it may be an alternate or dead-letter exchange
    /// (rabbitmq.com/docs/exchanges).
    #[serde(default, skip_serializing_if = "is_default")]
    pub internal: bool,
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

fn yes() -> bool {
    true
}
fn is_yes(v: &bool) -> bool {
    *v
}

/// Queue settings, mirroring RabbitMQ's `x-` arguments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    /// Durable (the default): the queue survives a broker restart with its persistent
    /// messages; a transient queue loses everything (version 2 when false).
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub durable: bool,
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

impl Default for QueueSpec {
    fn default() -> Self {
        QueueSpec {
            durable: true,
            queue_type: QueueType::default(),
            message_ttl_ms: None,
            max_length: None,
            max_length_bytes: None,
            overflow: Overflow::default(),
            max_priority: None,
            single_active_consumer: false,
            delivery_limit: None,
        }
    }
}

/// Why a client cannot publish to internal exchange `name` (rabbit_channel's
/// check_internal_exchange: ACCESS_REFUSED).
pub fn internal_refusal(name: &str) -> String {
    format!("exchange `{name}` is internal: clients cannot publish to it (publish to an exchange bound to it)")
}

impl ExchangeSpec {
    /// Reports what RabbitMQ would refuse about an exchange named `name`.
    pub fn check(&self, name: &str, out: &mut Problems) {
        let builtin = crate::core::definitions::builtin_exchange_type(name).is_some();
        if self.internal && (name.is_empty() || builtin) {
            out.push(
                "exchange.internal",
                "the default exchange and RabbitMQ's built-in amq.* exchanges are not internal",
            );
        }
        if name.starts_with("amq.") {
            // RabbitMQ's built-in exchanges may appear (definitions bind to them),
            // with their own type; any other `amq.` name is refused by the broker.
            match crate::core::definitions::builtin_exchange_type(name) {
                Some(kind) if kind != self.kind => out.push(
                    "exchange.type",
                    format!("`{name}` is RabbitMQ's built-in {} exchange; its type must be {}", kind.as_str(), kind.as_str()),
                ),
                Some(_) => {}
                None => out.push(
                    "name",
                    "names starting with `amq.` are reserved by RabbitMQ (only its built-in amq.direct, amq.fanout, amq.topic, amq.headers and amq.match may appear)",
                ),
            }
        }
    }
}

impl QueueSpec {
    /// Reports what RabbitMQ would refuse about these queue arguments.
    ///
    /// (A TTL above [`MAX_TTL_MS`] is refused by RabbitMQ's `rabbit_misc:check_expiry`.)
    pub fn check(&self, out: &mut Problems) {
        let q = self;
        if !q.durable && q.queue_type == QueueType::Quorum {
            // rabbitmq.com/docs/quorum-queues: quorum queues are always durable.
            out.push("queue.durable", "a quorum queue is always durable");
        }
        if let Some(ttl) = q.message_ttl_ms {
            if !non_negative(ttl) {
                out.push("queue.message_ttl_ms", "must be a number ≥ 0");
            } else if ttl > MAX_TTL_MS as f64 {
                out.push("queue.message_ttl_ms", TTL_LIMIT);
            }
        }
        if q.max_priority == Some(0) {
            out.push("queue.max_priority", "must be between 1 and 255");
        }
        if q.max_priority.is_some() && q.queue_type == QueueType::Quorum {
            out.push(
                "queue.max_priority",
                "quorum queues do not take x-max-priority (RabbitMQ refuses it; their two built-in priority levels are not modelled)",
            );
        }
        if q.delivery_limit.is_some() && q.queue_type != QueueType::Quorum {
            out.push(
                "queue.delivery_limit",
                "only quorum queues have a delivery limit (set queue_type to \"quorum\")",
            );
        }
    }
}
