//! Semantic checks of a scenario: unique ids and names, edges that RabbitMQ's model
//! allows, numbers in range, templates that parse. Each problem names its field.

use super::script::ScriptStep;
use super::{EdgeKind, NodeKind, Processing, QueueType, Scenario};
use crate::core::model::wiring::{refusal, wire, Limit};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// One problem with a scenario: the field's path and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Field path such as `nodes[2].queue.max_priority`.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl ValidationError {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> ValidationError {
        ValidationError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Whether an edge of `kind` may go from `from` to `to` (the [`WIRING`] table), or why
/// not ([`refusal`]).
///
/// `from_is_default_exchange` / `to_is_default_exchange` mark the default exchange
/// (name `""`), which RabbitMQ does not let anyone bind to or from.
pub fn edge_rule(
    from: NodeKind,
    to: NodeKind,
    kind: EdgeKind,
    from_is_default_exchange: bool,
    to_is_default_exchange: bool,
) -> Result<(), String> {
    use EdgeKind as E;
    if wire(from, to, kind).is_none() {
        return Err(refusal(from, to, kind));
    }
    if kind == E::Binding && (from_is_default_exchange || to_is_default_exchange) {
        return Err("the default exchange cannot be bound to or from: it reaches every queue by name on its own".into());
    }
    if kind == E::AlternateExchange && from_is_default_exchange {
        return Err("the default exchange cannot have an alternate exchange".into());
    }
    Ok(())
}

fn non_negative(value: f64) -> bool {
    value.is_finite() && value >= 0.0
}

/// All problems of a parsed scenario; empty when it is valid.
pub fn validate(s: &Scenario) -> Vec<ValidationError> {
    let mut out = Vec::new();
    let mut err = |path: String, message: String| out.push(ValidationError::new(path, message));

    if !non_negative(s.latency_ms) {
        err("latency_ms".into(), "must be a number ≥ 0".into());
    }
    if let Some(d) = s.duration_ms {
        if !non_negative(d) {
            err("duration_ms".into(), "must be a number ≥ 0".into());
        }
    }

    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut exchange_names: HashSet<&str> = HashSet::new();
    let mut queue_names: HashSet<&str> = HashSet::new();
    for (i, node) in s.nodes.iter().enumerate() {
        let at = |field: &str| format!("nodes[{i}].{field}");
        if node.id.is_empty() {
            err(at("id"), "must not be empty".into());
        } else if ids.insert(node.id.as_str(), i).is_some() {
            err(at("id"), format!("`{}` is used by another node", node.id));
        }
        if !node.x.is_finite() || !node.y.is_finite() {
            err(at("x"), "position must be finite numbers".into());
        }
        for (section, present, kind) in [
            ("producer", node.producer.is_some(), NodeKind::Producer),
            ("exchange", node.exchange.is_some(), NodeKind::Exchange),
            ("queue", node.queue.is_some(), NodeKind::Queue),
            ("consumer", node.consumer.is_some(), NodeKind::Consumer),
        ] {
            if present && node.kind != kind {
                err(
                    at(section),
                    format!(
                        "only a {section} node has a `{section}` section; this node is a {}",
                        node.kind.as_str()
                    ),
                );
            }
        }
        match node.kind {
            NodeKind::Exchange => {
                if !exchange_names.insert(node.name.as_str()) {
                    err(
                        at("name"),
                        format!("another exchange is named `{}`", node.name),
                    );
                }
                if node.name.starts_with("amq.") {
                    // RabbitMQ's built-in exchanges may appear (definitions bind to them),
                    // with their own type; any other `amq.` name is refused by the broker.
                    match crate::core::definitions::builtin_exchange_type(&node.name) {
                        Some(kind) if kind != node.exchange_spec().kind => err(
                            at("exchange.type"),
                            format!("`{}` is RabbitMQ's built-in {} exchange; its type must be {}", node.name, kind.as_str(), kind.as_str()),
                        ),
                        Some(_) => {}
                        None => err(
                            at("name"),
                            "names starting with `amq.` are reserved by RabbitMQ (only its built-in amq.direct, amq.fanout, amq.topic, amq.headers and amq.match may appear)".into(),
                        ),
                    }
                }
            }
            NodeKind::Queue => {
                if node.name.is_empty() {
                    err(at("name"), "a queue needs a name".into());
                } else if !queue_names.insert(node.name.as_str()) {
                    err(
                        at("name"),
                        format!("another queue is named `{}`", node.name),
                    );
                }
                let q = node.queue_spec();
                if let Some(ttl) = q.message_ttl_ms {
                    if !non_negative(ttl) {
                        err(at("queue.message_ttl_ms"), "must be a number ≥ 0".into());
                    }
                }
                if q.max_priority == Some(0) {
                    err(at("queue.max_priority"), "must be between 1 and 255".into());
                }
                if q.max_priority.is_some() && q.queue_type == QueueType::Quorum {
                    err(
                        at("queue.max_priority"),
                        "quorum queues do not take x-max-priority (RabbitMQ refuses it; their two built-in priority levels are not modelled)".into(),
                    );
                }
                if q.delivery_limit.is_some() && q.queue_type != QueueType::Quorum {
                    err(
                        at("queue.delivery_limit"),
                        "only quorum queues have a delivery limit (set queue_type to \"quorum\")"
                            .into(),
                    );
                }
            }
            NodeKind::Producer => {
                let p = node.producer_spec();
                if !non_negative(p.rate_per_sec) {
                    err(at("producer.rate_per_sec"), "must be a number ≥ 0".into());
                } else if p.rate_per_sec > 1_000_000.0 {
                    err(
                        at("producer.rate_per_sec"),
                        "must be at most 1,000,000 per second".into(),
                    );
                }
                if !non_negative(p.start_ms) {
                    err(at("producer.start_ms"), "must be a number ≥ 0".into());
                }
                if let Some(e) = p.expiration_ms {
                    if !non_negative(e) {
                        err(at("producer.expiration_ms"), "must be a number ≥ 0".into());
                    }
                }
                for (b, burst) in p.bursts.iter().enumerate() {
                    if !non_negative(burst.at_ms) || !non_negative(burst.spread_ms) {
                        err(
                            at(&format!("producer.bursts[{b}]")),
                            "times must be numbers ≥ 0".into(),
                        );
                    }
                    if burst.count > 10_000_000 {
                        err(
                            at(&format!("producer.bursts[{b}].count")),
                            "must be at most 10,000,000".into(),
                        );
                    }
                }
                for (field, t) in [
                    ("routing_key", &p.routing_key),
                    ("payload", &p.payload),
                    ("message_id", &p.message_id),
                ] {
                    if let Err(e) = t.compile() {
                        err(at(&format!("producer.{field}")), e);
                    }
                }
                if let Some(t) = &p.priority {
                    if let Err(e) = t.compile() {
                        err(at("producer.priority"), e);
                    }
                }
                for (name, value) in &p.headers {
                    if let Some(text) = value.as_str() {
                        if let Err(e) = super::Template::new(text).compile() {
                            err(at(&format!("producer.headers.{name}")), e);
                        }
                    }
                }
            }
            NodeKind::Consumer => {
                let c = node.consumer_spec();
                match c.processing {
                    Processing::Fixed { ms } if !non_negative(ms) => {
                        err(at("consumer.processing.ms"), "must be a number ≥ 0".into())
                    }
                    Processing::Uniform { min_ms, max_ms }
                        if !non_negative(min_ms) || !non_negative(max_ms) || min_ms > max_ms =>
                    {
                        err(
                            at("consumer.processing"),
                            "needs 0 ≤ min_ms ≤ max_ms".into(),
                        )
                    }
                    Processing::Exponential { mean_ms } if !non_negative(mean_ms) => err(
                        at("consumer.processing.mean_ms"),
                        "must be a number ≥ 0".into(),
                    ),
                    _ => {}
                }
                let o = &c.outcomes;
                let probs = [
                    ("requeue", o.requeue),
                    ("reject", o.reject),
                    ("crash", o.crash),
                ];
                for (name, p) in probs {
                    if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
                        err(
                            at(&format!("consumer.outcomes.{name}")),
                            "must be a probability between 0 and 1".into(),
                        );
                    }
                }
                if o.requeue + o.reject + o.crash > 1.0 + 1e-9 {
                    err(
                        at("consumer.outcomes"),
                        "requeue + reject + crash must not exceed 1".into(),
                    );
                }
                if !non_negative(c.restart_ms) {
                    err(at("consumer.restart_ms"), "must be a number ≥ 0".into());
                }
                for (k, w) in c.outages.iter().enumerate() {
                    if !non_negative(w.start_ms) || !non_negative(w.end_ms) || w.end_ms < w.start_ms
                    {
                        err(
                            at(&format!("consumer.outages[{k}]")),
                            "needs 0 ≤ start_ms ≤ end_ms".into(),
                        );
                    }
                }
            }
        }
    }

    // (edge kind, node id) pairs already counted against a one-per-node limit.
    let mut limited: HashSet<(EdgeKind, &str)> = HashSet::new();
    let mut edge_ids: HashSet<&str> = HashSet::new();
    for (i, edge) in s.edges.iter().enumerate() {
        let at = |field: &str| format!("edges[{i}].{field}");
        if edge.id.is_empty() {
            err(at("id"), "must not be empty".into());
        } else if !edge_ids.insert(edge.id.as_str()) {
            err(at("id"), format!("`{}` is used by another edge", edge.id));
        }
        let from = ids.get(edge.from.as_str()).map(|&k| &s.nodes[k]);
        let to = ids.get(edge.to.as_str()).map(|&k| &s.nodes[k]);
        let (Some(from), Some(to)) = (from, to) else {
            if from.is_none() {
                err(at("from"), format!("no node has id `{}`", edge.from));
            }
            if to.is_none() {
                err(at("to"), format!("no node has id `{}`", edge.to));
            }
            continue;
        };
        let is_default = |n: &super::Node| n.kind == NodeKind::Exchange && n.name.is_empty();
        if let Err(why) = edge_rule(
            from.kind,
            to.kind,
            edge.kind,
            is_default(from),
            is_default(to),
        ) {
            err(at("kind"), why);
            continue;
        }
        match wire(from.kind, to.kind, edge.kind).map(|w| w.limit) {
            Some(Limit::OnePerSource(what)) if !limited.insert((edge.kind, from.id.as_str())) => {
                err(at("kind"), format!("`{}` already has {what}", from.id));
            }
            Some(Limit::OnePerTarget(what)) if !limited.insert((edge.kind, to.id.as_str())) => {
                err(
                    at("to"),
                    format!("{} `{}` already {what}", to.kind.as_str(), to.id),
                );
            }
            _ => {}
        }
        if edge.kind == EdgeKind::Forward {
            if let Some(key) = &edge.routing_key {
                if let Err(e) = super::Template::new(key.as_str()).compile() {
                    err(at("routing_key"), e);
                }
            }
        }
        if edge.kind == EdgeKind::Binding {
            if let Some(m) = edge.arguments.get("x-match") {
                let ok = matches!(
                    m.as_str(),
                    Some("all" | "any" | "all-with-x" | "any-with-x")
                );
                if !ok {
                    err(
                        at("arguments.x-match"),
                        "must be one of all, any, all-with-x, any-with-x".into(),
                    );
                }
            }
        }
    }
    for (i, step) in s.script.iter().enumerate() {
        let at = |field: &str| format!("script[{i}].{field}");
        if !non_negative(step.at_ms()) {
            err(at("at_ms"), "must be a number ≥ 0".into());
        }
        match step {
            ScriptStep::Publish {
                exchange,
                properties,
                ..
            } => {
                // The default exchange ("") always exists.
                if !exchange.is_empty() && !exchange_names.contains(exchange.as_str()) {
                    err(at("exchange"), format!("no exchange named `{exchange}`"));
                }
                if properties.expiration.is_some_and(|e| !non_negative(e)) {
                    err(at("properties.expiration"), "must be a number ≥ 0".into());
                }
            }
            ScriptStep::Get { queue, count, .. } => {
                if !queue_names.contains(queue.as_str()) {
                    err(at("queue"), format!("no queue named `{queue}`"));
                }
                if !(1..=MAX_GET).contains(count) {
                    err(at("count"), format!("must be from 1 to {MAX_GET}"));
                }
            }
        }
    }
    out
}

/// Most messages one script `get` may take.
pub const MAX_GET: u32 = 10_000;
