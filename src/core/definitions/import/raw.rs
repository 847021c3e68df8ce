//! The definitions file as JSON gives it: one plain struct per kind of entry (queues,
//! exchanges, bindings, policies, runtime parameters), each field checked for its type
//! with a one-line error that names the entry (`queues[3]: ...`), and the small value
//! readers (whole numbers, overflow modes, shortened values) the rest of the import uses.

use super::policies::check_policy_values;
use crate::core::scenario::Overflow;
use serde_json::{Map, Value};

/// Top-level keys that carry nothing about message flow: skipped without a note.
const SILENT_KEYS: &[&str] = &[
    "rabbit_version",
    "rabbitmq_version",
    "product_name",
    "product_version",
    "rabbitmq_definition_format",
    "original_cluster_name",
    "explanation",
    "users",
    "vhosts",
    "permissions",
    "topic_permissions",
    "global_parameters",
];

/// A queue entry.
pub(super) struct QueueDef {
    pub(super) at: String,
    pub(super) name: String,
    pub(super) vhost: Option<String>,
    /// The `type` field some exports carry besides `x-queue-type`.
    pub(super) kind: Option<String>,
    /// `durable` (absent: durable, as RabbitMQ's exports always say it).
    pub(super) durable: bool,
    /// `auto_delete`: deleted when its last consumer (queue) or binding (exchange) goes;
    /// not modelled.
    pub(super) auto_delete: bool,
    pub(super) arguments: Map<String, Value>,
}

/// An exchange entry.
pub(super) struct ExchangeDef {
    pub(super) at: String,
    pub(super) name: String,
    pub(super) vhost: Option<String>,
    /// `type`; RabbitMQ refuses an exchange without one (`rabbit_exchange:check_type`).
    pub(super) kind: Option<String>,
    pub(super) internal: bool,
    /// `auto_delete` (see [`QueueDef`]).
    pub(super) auto_delete: bool,
    pub(super) arguments: Map<String, Value>,
}

/// A binding entry.
pub(super) struct BindingDef {
    pub(super) at: String,
    pub(super) vhost: Option<String>,
    pub(super) source: String,
    pub(super) destination: String,
    pub(super) to_queue: bool,
    pub(super) routing_key: String,
    pub(super) arguments: Map<String, Value>,
}

/// What a policy applies to (`apply-to`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ApplyTo {
    All,
    Exchanges,
    Queues,
    ClassicQueues,
    QuorumQueues,
    Streams,
}

/// A policy entry.
pub(super) struct PolicyDef {
    pub(super) at: String,
    pub(super) name: String,
    pub(super) vhost: Option<String>,
    pub(super) pattern_text: String,
    pub(super) apply_to: ApplyTo,
    pub(super) priority: i64,
    pub(super) definition: Map<String, Value>,
}

/// A runtime parameter entry (shovels, federation upstreams, operator policies, ...).
pub(super) struct ParameterDef {
    pub(super) vhost: Option<String>,
    pub(super) component: String,
    pub(super) name: String,
}

/// The parsed file.
pub(super) struct File {
    pub(super) queues: Vec<QueueDef>,
    pub(super) exchanges: Vec<ExchangeDef>,
    pub(super) bindings: Vec<BindingDef>,
    pub(super) policies: Vec<PolicyDef>,
    pub(super) parameters: Vec<ParameterDef>,
    /// Names listed under `vhosts`.
    pub(super) vhosts: Vec<String>,
    /// Top-level keys nobody reads.
    pub(super) unknown_keys: Vec<String>,
}

/// What kind of JSON value `v` is, for messages ("an array").
pub(super) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON value for a one-line message, shortened when long.
pub(super) fn show(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// A whole number ≥ 0 (JSON integers, or floats without a fraction).
pub(super) fn whole(v: &Value) -> Option<u64> {
    if let Some(u) = v.as_u64() {
        return Some(u);
    }
    let f = v.as_f64()?;
    (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1.8e19).then_some(f as u64)
}

/// A whole number, possibly negative.
pub(super) fn signed(v: &Value) -> Option<i64> {
    if let Some(i) = v.as_i64() {
        return Some(i);
    }
    if v.as_u64().is_some() {
        return Some(i64::MAX);
    }
    let f = v.as_f64()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
}

/// The overflow mode RabbitMQ calls `s`.
pub(super) fn overflow_of(s: &str) -> Option<Overflow> {
    [
        Overflow::DropHead,
        Overflow::RejectPublish,
        Overflow::RejectPublishDlx,
    ]
    .into_iter()
    .find(|o| o.as_str() == s)
}

/// The objects of the top-level array `key` (absent or null: none), each read by `read`
/// with its place (`queues[3]`), in order, stopping at the first error.
fn entries<T>(
    root: &Map<String, Value>,
    key: &str,
    mut read: impl FnMut(String, &Map<String, Value>) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    let items: &[Value] = match root.get(key) {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => items,
        Some(other) => return Err(format!("`{key}` must be an array, not {}", kind_of(other))),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let at = format!("{key}[{i}]");
            match v.as_object() {
                Some(o) => read(at, o),
                None => Err(format!("{at}: must be an object, not {}", kind_of(v))),
            }
        })
        .collect()
}

/// The optional field `key` of an entry: `None` when absent or null, else what `get`
/// makes of it, or an error saying it must be `expected`.
fn field<'a, T>(
    obj: &'a Map<String, Value>,
    key: &str,
    at: &str,
    expected: &str,
    get: impl FnOnce(&'a Value) -> Option<T>,
) -> Result<Option<T>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => get(v)
            .map(Some)
            .ok_or_else(|| format!("{at}: `{key}` must be {expected}, not {}", kind_of(v))),
    }
}

fn opt_string(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, String> {
    field(obj, key, at, "a string", |v| v.as_str().map(String::from))
}

fn string(obj: &Map<String, Value>, key: &str, at: &str) -> Result<String, String> {
    opt_string(obj, key, at)?.ok_or_else(|| format!("{at}: `{key}` is missing"))
}

fn opt_bool(obj: &Map<String, Value>, key: &str, at: &str) -> Result<bool, String> {
    Ok(field(obj, key, at, "true or false", Value::as_bool)?.unwrap_or(false))
}

fn arguments(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Map<String, Value>, String> {
    Ok(field(obj, key, at, "an object", |v| v.as_object().cloned())?.unwrap_or_default())
}

fn queue(at: String, o: &Map<String, Value>) -> Result<QueueDef, String> {
    Ok(QueueDef {
        name: string(o, "name", &at)?,
        vhost: opt_string(o, "vhost", &at)?,
        kind: opt_string(o, "type", &at)?,
        durable: field(o, "durable", &at, "true or false", Value::as_bool)?.unwrap_or(true),
        auto_delete: opt_bool(o, "auto_delete", &at)?,
        arguments: arguments(o, "arguments", &at)?,
        at,
    })
}

fn exchange(at: String, o: &Map<String, Value>) -> Result<ExchangeDef, String> {
    Ok(ExchangeDef {
        name: string(o, "name", &at)?,
        vhost: opt_string(o, "vhost", &at)?,
        kind: opt_string(o, "type", &at)?,
        internal: opt_bool(o, "internal", &at)?,
        auto_delete: opt_bool(o, "auto_delete", &at)?,
        arguments: arguments(o, "arguments", &at)?,
        at,
    })
}

fn binding(at: String, o: &Map<String, Value>) -> Result<BindingDef, String> {
    let to_queue = match string(o, "destination_type", &at)?.as_str() {
        "queue" => true,
        "exchange" => false,
        other => {
            return Err(format!(
                "{at}: `destination_type` is {other:?}; it must be \"queue\" or \"exchange\""
            ))
        }
    };
    Ok(BindingDef {
        vhost: opt_string(o, "vhost", &at)?,
        source: string(o, "source", &at)?,
        destination: string(o, "destination", &at)?,
        to_queue,
        routing_key: opt_string(o, "routing_key", &at)?.unwrap_or_default(),
        arguments: arguments(o, "arguments", &at)?,
        at,
    })
}

fn policy(at: String, o: &Map<String, Value>) -> Result<PolicyDef, String> {
    let name = string(o, "name", &at)?;
    let apply_to = match opt_string(o, "apply-to", &at)?.as_deref() {
        None | Some("all") => ApplyTo::All,
        Some("exchanges") => ApplyTo::Exchanges,
        Some("queues") => ApplyTo::Queues,
        Some("classic_queues") => ApplyTo::ClassicQueues,
        Some("quorum_queues") => ApplyTo::QuorumQueues,
        Some("streams") => ApplyTo::Streams,
        Some(other) => {
            return Err(format!(
                "{at}: policy {name:?} has `apply-to` {other:?}; expected all, exchanges, queues, classic_queues, quorum_queues or streams"
            ))
        }
    };
    let priority = match o.get("priority") {
        None | Some(Value::Null) => 0,
        Some(p) => signed(p).ok_or_else(|| {
            format!(
                "{at}: policy {name:?} has `priority` {}; it must be a whole number",
                show(p)
            )
        })?,
    };
    let definition = match o.get("definition") {
        Some(Value::Object(d)) => d.clone(),
        None | Some(Value::Null) => {
            return Err(format!("{at}: policy {name:?} has no `definition`"))
        }
        Some(other) => {
            return Err(format!(
                "{at}: policy {name:?}: `definition` must be an object, not {}",
                kind_of(other)
            ))
        }
    };
    check_policy_values(&definition, &at, &name)?;
    Ok(PolicyDef {
        vhost: opt_string(o, "vhost", &at)?,
        pattern_text: string(o, "pattern", &at)?,
        apply_to,
        priority,
        definition,
        name,
        at,
    })
}

fn parameter(at: String, o: &Map<String, Value>) -> Result<ParameterDef, String> {
    Ok(ParameterDef {
        vhost: opt_string(o, "vhost", &at)?,
        component: opt_string(o, "component", &at)?.unwrap_or_default(),
        name: opt_string(o, "name", &at)?.unwrap_or_default(),
    })
}

impl File {
    /// Reads every entry of the file's top-level object, failing on the first bad one.
    pub(super) fn read(root: &Map<String, Value>) -> Result<File, String> {
        let unknown_keys = root
            .keys()
            .filter(|key| {
                let known = matches!(
                    key.as_str(),
                    "queues" | "exchanges" | "bindings" | "policies" | "parameters"
                );
                !known && !SILENT_KEYS.contains(&key.as_str())
            })
            .cloned()
            .collect();
        Ok(File {
            vhosts: entries(root, "vhosts", |at, o| string(o, "name", &at))?,
            queues: entries(root, "queues", queue)?,
            exchanges: entries(root, "exchanges", exchange)?,
            bindings: entries(root, "bindings", binding)?,
            policies: entries(root, "policies", policy)?,
            parameters: entries(root, "parameters", parameter)?,
            unknown_keys,
        })
    }
}
