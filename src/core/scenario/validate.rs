//! Semantic checks of a scenario: unique ids and names, edges that RabbitMQ's model
//! allows, numbers in range, templates that parse. Each problem names its field. The
//! rules of AWS, ZeroMQ and services are in `family_checks`, the script's steps in
//! `script_checks`.

use super::family_checks::{aws_edge_checks, rpc_checks, zmq_checks};
use super::script_checks::script_checks;
use super::specs::{internal_refusal, non_negative};
use super::{EdgeKind, NodeKind, NodeSpec, Problems, Scenario, StraySection};
use crate::core::kernel::time::MAX_DURATION_MS;
use crate::core::model::kinds::{kind_info, Names};
use crate::core::model::wiring::{allowance, refusal, wire, Limit};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The largest distance of a node from the origin, either way (canvas units).
pub const MAX_COORDINATE: f64 = 1_000_000.0;

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

/// All problems of a scenario; empty when it is valid.
pub fn validate(s: &Scenario) -> Vec<ValidationError> {
    validate_with_strays(s, &[])
}

/// All problems of a scenario read from a file, where `strays` are the settings
/// sections that sat on nodes of another kind ([`super::stray_sections`]); each is
/// reported in its node's place, as a section the kind does not have.
pub fn validate_with_strays(s: &Scenario, strays: &[StraySection]) -> Vec<ValidationError> {
    let mut out = Vec::new();
    let mut err = |path: String, message: String| out.push(ValidationError::new(path, message));

    // Times past 10^12 ms (about 32 years) are refused, as `qp --until` refuses them:
    // beyond, the clock's microseconds overflow (a latency of 10^16 ms panicked).
    let too_long = || {
        format!(
            "must be at most {} ms (about 32 years)",
            "1,000,000,000,000"
        )
    };
    if !non_negative(s.latency_ms) {
        err("latency_ms".into(), "must be a number ≥ 0".into());
    } else if s.latency_ms > MAX_DURATION_MS {
        err("latency_ms".into(), too_long());
    }
    if let Some(d) = s.duration_ms {
        if !non_negative(d) {
            err("duration_ms".into(), "must be a number ≥ 0".into());
        } else if d > MAX_DURATION_MS {
            err("duration_ms".into(), too_long());
        }
    }

    let mut ids: HashMap<&str, usize> = HashMap::new();
    // (kind's noun, name) pairs taken, for kinds whose names are unique.
    let mut names: HashSet<(&str, &str)> = HashSet::new();
    for (i, node) in s.nodes.iter().enumerate() {
        let at = |field: &str| format!("nodes[{i}].{field}");
        if node.id.is_empty() {
            err(at("id"), "must not be empty".into());
        } else if ids.insert(node.id.as_str(), i).is_some() {
            err(at("id"), format!("`{}` is used by another node", node.id));
        }
        // Positions the canvas can draw (an SVG path with 1e308 in it draws nothing).
        for (field, v) in [("x", node.x), ("y", node.y)] {
            if !(v.is_finite() && v.abs() <= MAX_COORDINATE) {
                err(
                    at(field),
                    format!("must be a number from -{MAX_COORDINATE} to {MAX_COORDINATE}"),
                );
            }
        }
        for (_, section, kind) in strays.iter().filter(|(at_node, ..)| *at_node == i) {
            err(
                at(section),
                format!(
                    "only {} {section} node has a `{section}` section; this node is {} {}",
                    article(section),
                    article(kind.as_str()),
                    kind.as_str()
                ),
            );
        }
        if let Names::Unique { noun, required } = kind_info(node.kind()).names {
            if node.name.is_empty() && required {
                err(at("name"), format!("{} {noun} needs a name", article(noun)));
            } else if !names.insert((noun, node.name.as_str())) {
                err(
                    at("name"),
                    format!("another {noun} is named `{}`", node.name),
                );
            }
        }
        let mut problems = Problems::default();
        node.spec.check(&node.name, &mut problems);
        for (field, message) in problems.0 {
            err(at(&field), message);
        }
    }

    // (allowance, node id) pairs already counted against a one-per-node limit.
    let mut limited: HashSet<(EdgeKind, &str)> = HashSet::new();
    // Each consumer group's topic (node id) and the names of its members.
    let mut groups: HashMap<&str, (&str, HashSet<&str>)> = HashMap::new();
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
        let is_default = |n: &super::Node| n.kind() == NodeKind::Exchange && n.name.is_empty();
        if let Err(why) = edge_rule(
            from.kind(),
            to.kind(),
            edge.kind,
            is_default(from),
            is_default(to),
        ) {
            err(at("kind"), why);
            continue;
        }
        match wire(from.kind(), to.kind(), edge.kind).map(|w| w.limit) {
            Some(Limit::OnePerSource(what))
                if !limited.insert((allowance(edge.kind), from.id.as_str())) =>
            {
                err(at("kind"), format!("`{}` already has {what}", from.id));
            }
            Some(Limit::OnePerTarget(what))
                if !limited.insert((allowance(edge.kind), to.id.as_str())) =>
            {
                err(
                    at("to"),
                    format!("{} `{}` already {what}", to.kind().as_str(), to.id),
                );
            }
            _ => {}
        }
        if edge.consume.is_some() && edge.kind != EdgeKind::Consume {
            err(
                at("consume"),
                format!(
                    "only a consume edge has a `consume` section; this edge is a {} edge",
                    edge.kind.as_str()
                ),
            );
        }
        for (present, section, kind) in [
            (edge.receive.is_some(), "receive", EdgeKind::Receive),
            (edge.redrive.is_some(), "redrive", EdgeKind::Redrive),
            (edge.subscribe.is_some(), "subscribe", EdgeKind::Subscribe),
            (edge.push.is_some(), "push", EdgeKind::Push),
            (edge.pub_pipe.is_some(), "pub", EdgeKind::Pub),
            (edge.call.is_some(), "call", EdgeKind::Call),
        ] {
            if present && edge.kind != kind {
                err(
                    at(section),
                    format!(
                        "only a {section} edge has a `{section}` section; this edge is a {} edge",
                        edge.kind.as_str()
                    ),
                );
            }
        }
        // A key or arguments where nothing reads them would be dropped unseen (a
        // producer's routing key is the producer's own setting, not its edge's).
        if edge.routing_key.is_some() && !edge.kind.takes_routing_key() {
            err(
                at("routing_key"),
                format!(
                    "only a binding, dead-letter or forward edge has a `routing_key`; this edge is a {} edge",
                    edge.kind.as_str()
                ),
            );
        }
        if !edge.arguments.is_empty() && edge.kind != EdgeKind::Binding {
            err(
                at("arguments"),
                format!(
                    "only a binding edge has `arguments`; this edge is a {} edge",
                    edge.kind.as_str()
                ),
            );
        }
        aws_edge_checks(edge, from, to, &mut |f: &str, m: String| err(at(f), m));
        // SNS keeps one subscription per topic and endpoint: a second Subscribe of the
        // same endpoint returns the first subscription
        // (docs.aws.amazon.com/sns/latest/api/API_Subscribe.html), so a second edge
        // would deliver nothing more; it is refused rather than deliver twice.
        if edge.kind == EdgeKind::Subscribe
            && s.edges[..i]
                .iter()
                .any(|e| e.kind == EdgeKind::Subscribe && e.from == edge.from && e.to == edge.to)
        {
            err(
                at("to"),
                format!(
                    "`{}` already subscribes `{}`: SNS keeps one subscription per endpoint (a second Subscribe returns the first)",
                    if from.name.is_empty() { &from.id } else { &from.name },
                    if to.name.is_empty() { &to.id } else { &to.name }
                ),
            );
        }
        if edge.kind == EdgeKind::Consume {
            let spec = edge.consume.clone().unwrap_or_default();
            let mut problems = Problems::default();
            spec.check(&mut problems);
            for (field, message) in problems.0 {
                err(at(&field), message);
            }
            let group = edge.consume.as_ref().map_or("group", |c| c.group.as_str());
            let entry = groups
                .entry(group)
                .or_insert_with(|| (from.id.as_str(), HashSet::new()));
            if entry.0 != from.id {
                err(
                    at("consume.group"),
                    format!("group `{group}` already reads another topic; here a group reads one topic (give this edge another group name)"),
                );
            } else if !entry.1.insert(to.name.as_str()) {
                err(
                    at("to"),
                    format!("group `{group}` already has a member named `{}`; members of a group need different names", to.name),
                );
            }
        }
        if edge.kind == EdgeKind::Produce {
            if let (NodeSpec::Producer(p), NodeSpec::KafkaTopic(t)) = (&from.spec, &to.spec) {
                if let Some(partition) = p.partition {
                    if partition >= t.partitions {
                        let k = ids[from.id.as_str()];
                        err(
                            format!("nodes[{k}].producer.partition"),
                            format!(
                                "is {partition} but topic `{}` has partitions 0 to {}",
                                to.name,
                                t.partitions.saturating_sub(1)
                            ),
                        );
                    }
                }
            }
        }
        if edge.kind == EdgeKind::Forward {
            if let Some(key) = &edge.routing_key {
                if let Err(e) = super::Template::new(key.as_str()).compile() {
                    err(at("routing_key"), e);
                }
            }
        }
        if matches!(edge.kind, EdgeKind::Publish | EdgeKind::Forward) {
            if let NodeSpec::Exchange(x) = &to.spec {
                if x.internal {
                    err(at("to"), internal_refusal(&to.name));
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
    // Frames: a name, unique; nodes that exist, each once.
    let mut frame_names: HashSet<&str> = HashSet::new();
    for (i, f) in s.frames.iter().enumerate() {
        if f.name.trim().is_empty() {
            err(format!("frames[{i}].name"), "must not be empty".into());
        } else if !frame_names.insert(f.name.as_str()) {
            err(
                format!("frames[{i}].name"),
                format!("another frame is named `{}`", f.name),
            );
        }
        if f.nodes.is_empty() {
            err(
                format!("frames[{i}].nodes"),
                "must name at least one node".into(),
            );
        }
        let mut listed: HashSet<&str> = HashSet::new();
        for (k, id) in f.nodes.iter().enumerate() {
            if !ids.contains_key(id.as_str()) {
                err(
                    format!("frames[{i}].nodes[{k}]"),
                    format!("no node has id `{id}`"),
                );
            } else if !listed.insert(id.as_str()) {
                err(
                    format!("frames[{i}].nodes[{k}]"),
                    format!("`{id}` is listed twice in this frame"),
                );
            }
        }
    }
    zmq_checks(s, &mut |path: String, m: String| err(path, m));
    rpc_checks(s, &mut |path: String, m: String| err(path, m));
    script_checks(s, &names, &mut |path: String, m: String| err(path, m));
    out
}

/// "a" or "an", as English puts it before `word` (a queue, an exchange).
/// "a" or "an" before `word`: "an exchange", "an SQS queue", "a Kafka topic".
pub fn article(word: &str) -> &'static str {
    // An initialism is read letter by letter: "an SQS queue", "an SNS topic".
    let first = word.split([' ', '-']).next().unwrap_or("");
    let initialism = first.len() > 1 && first.chars().all(|c| c.is_ascii_uppercase());
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U'])
        || (initialism
            && first.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X']))
    {
        "an"
    } else {
        "a"
    }
}
