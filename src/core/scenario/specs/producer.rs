//! A producer's settings (shared by every system): rate, bursts, count and the
//! templates of what it publishes; and their checks.

use super::{non_negative, Problems};
use crate::core::scenario::Template;
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
    /// `delivery_mode`: 1 transient (the default), 2 persistent (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_mode: Option<u8>,
    /// Priority property: a number, or a template such as `{cycle:1|5|9}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Template>,
    /// `message_id` property template.
    #[serde(default = "default_message_id")]
    pub message_id: Template,
    /// `reply_to` property (a queue name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Kafka record key template (version 2; none = a null key, placed by the sticky
    /// partitioner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Template>,
    /// Kafka partition every record goes to (version 2; none = the default
    /// partitioner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<u32>,
    /// SQS FIFO / SNS FIFO `MessageGroupId` template (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Template>,
    /// SQS FIFO / SNS FIFO `MessageDeduplicationId` template (version 2; none: the
    /// queue's content-based deduplication, if on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_id: Option<Template>,
    /// SQS / SNS message attributes (version 2): string values are templates (type
    /// String), numbers are sent as type Number, arrays as String.Array.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, Value>,
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
            delivery_mode: None,
            priority: None,
            message_id: default_message_id(),
            reply_to: None,
            key: None,
            partition: None,
            group_id: None,
            dedup_id: None,
            attributes: BTreeMap::new(),
        }
    }
}

impl ProducerSpec {
    /// Reports each out-of-range number and unparsable template, by field.
    pub fn check(&self, out: &mut Problems) {
        let p = self;
        if p.delivery_mode.is_some_and(|m| m != 1 && m != 2) {
            out.push(
                "producer.delivery_mode",
                "must be 1 (transient) or 2 (persistent)",
            );
        }
        if !non_negative(p.rate_per_sec) {
            out.push("producer.rate_per_sec", "must be a number ≥ 0");
        } else if p.rate_per_sec > 1_000_000.0 {
            out.push(
                "producer.rate_per_sec",
                "must be at most 1,000,000 per second",
            );
        }
        if !non_negative(p.start_ms) {
            out.push("producer.start_ms", "must be a number ≥ 0");
        }
        if let Some(e) = p.expiration_ms {
            if !non_negative(e) {
                out.push("producer.expiration_ms", "must be a number ≥ 0");
            }
        }
        for (b, burst) in p.bursts.iter().enumerate() {
            if !non_negative(burst.at_ms) || !non_negative(burst.spread_ms) {
                out.push(format!("producer.bursts[{b}]"), "times must be numbers ≥ 0");
            }
            if burst.count > 10_000_000 {
                out.push(
                    format!("producer.bursts[{b}].count"),
                    "must be at most 10,000,000",
                );
            }
        }
        for (field, t) in [
            ("routing_key", &p.routing_key),
            ("payload", &p.payload),
            ("message_id", &p.message_id),
        ] {
            if let Err(e) = t.compile() {
                out.push(format!("producer.{field}"), e);
            }
        }
        for (field, t) in [
            ("key", &p.key),
            ("group_id", &p.group_id),
            ("dedup_id", &p.dedup_id),
        ] {
            if let Some(t) = t {
                if let Err(e) = t.compile() {
                    out.push(format!("producer.{field}"), e);
                }
            }
        }
        if let Some((name, problem)) =
            crate::core::families::rabbit::routing::routing_header_problem(|k| p.headers.get(k))
        {
            out.push(format!("producer.headers.{name}"), problem);
        }
        if p.attributes.len() > MAX_ATTRIBUTES {
            out.push(
                "producer.attributes",
                too_many_attributes(p.attributes.len()),
            );
        }
        for (name, value) in &p.attributes {
            if let Some(problem) = attribute_problem(value) {
                out.push(format!("producer.attributes.{name}"), problem);
            }
            if let Some(text) = value.as_str() {
                if let Err(e) = Template::new(text).compile() {
                    out.push(format!("producer.attributes.{name}"), e);
                }
            }
        }
        // A priority is an AMQP octet (0–255) on every message.
        if let Some(t) = &p.priority {
            match t.compile() {
                Err(e) => out.push("producer.priority", e),
                Ok(c) => match c.outcomes(1000) {
                    Some(values) => {
                        if let Some(bad) = values.iter().find(|v| v.trim().parse::<u8>().is_err()) {
                            out.push(
                                "producer.priority",
                                format!("`{bad}` is not a priority: a whole number from 0 to 255"),
                            );
                        }
                    }
                    None => out.push(
                        "producer.priority",
                        "a priority is a whole number from 0 to 255, or {cycle:…} or {random:…} of such numbers (not {n}, {producer} or {key})",
                    ),
                },
            }
        }
        for (name, value) in &p.headers {
            if let Some(text) = value.as_str() {
                if let Err(e) = Template::new(text).compile() {
                    out.push(format!("producer.headers.{name}"), e);
                }
            }
        }
    }
}

/// Why `value` cannot be an SQS or SNS message attribute, if it cannot: the types are
/// String, Number and String.Array, an array "that can contain multiple values. The
/// values can be strings, numbers, or the keywords true, false, and null" (SNS
/// developer guide, "Amazon SNS message attribute data types"). A boolean, null or
/// an object on its own has no type.
pub fn attribute_problem(value: &Value) -> Option<&'static str> {
    let scalar = |v: &Value| {
        matches!(
            v,
            Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null
        )
    };
    match value {
        Value::String(_) | Value::Number(_) => None,
        Value::Array(items) if items.iter().all(scalar) => None,
        _ => Some("must be a string, a number or a list of strings, numbers, true, false and null (the attribute types String, Number and String.Array)"),
    }
}

/// Most message attributes an SQS or SNS message carries ("Each message can have up
/// to 10 metadata attributes", SQS developer guide, "Amazon SQS message attributes";
/// SNS likewise).
pub const MAX_ATTRIBUTES: usize = 10;

/// The refusal of `n` attributes.
pub fn too_many_attributes(n: usize) -> String {
    format!("has {n} attributes; an SQS or SNS message carries at most {MAX_ATTRIBUTES}")
}
