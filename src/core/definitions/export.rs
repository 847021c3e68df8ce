//! Exporting a scenario's topology as a RabbitMQ definitions document for one virtual
//! host: every exchange durable, every queue as durable as it is, declared with its `x-` arguments,
//! dead-letter and alternate exchanges as arguments, bindings as they are. The default
//! exchange and the built-in `amq.*` exchanges exist in every virtual host and are not
//! declared; the alternate exchange of a built-in one becomes a policy matching only it,
//! the one policy an export may hold. Producers, consumers and their behaviour have no
//! place in definitions and are summed up in [`Exported::unsupported`].

use super::{builtin_exchange_type, is_reserved, Exported};
use crate::core::model::kinds::Family;
use crate::core::scenario::{EdgeKind, Node, NodeKind, Overflow, QueueType, Scenario};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The RabbitMQ version the document says it comes from.
const RABBIT_VERSION: &str = "3.13.0";

/// Builds a definitions document that `rabbitmqctl import_definitions` accepts, with
/// everything declared in `vhost`. Never fails: what cannot be expressed is left out and
/// described in [`Exported::unsupported`].
pub fn export_definitions(scenario: &Scenario, vhost: &str) -> Exported {
    let mut notes = Vec::new();
    let by_id: HashMap<&str, &Node> = scenario.nodes.iter().map(|n| (n.id.as_str(), n)).collect();

    let mut dead_letter: HashMap<&str, (&str, Option<&str>)> = HashMap::new();
    let mut alternate: HashMap<&str, &str> = HashMap::new();
    let mut bindings = Vec::new();
    for edge in &scenario.edges {
        let (Some(from), Some(to)) = (by_id.get(edge.from.as_str()), by_id.get(edge.to.as_str()))
        else {
            continue;
        };
        match (edge.kind, from.kind(), to.kind()) {
            (EdgeKind::DeadLetter, NodeKind::Queue, NodeKind::Exchange) => {
                dead_letter
                    .entry(from.id.as_str())
                    .or_insert((to.name.as_str(), edge.routing_key.as_deref()));
            }
            (EdgeKind::AlternateExchange, NodeKind::Exchange, NodeKind::Exchange) => {
                alternate
                    .entry(from.id.as_str())
                    .or_insert(to.name.as_str());
            }
            (EdgeKind::Binding, NodeKind::Exchange, NodeKind::Queue | NodeKind::Exchange) => {
                if from.name.is_empty() || (to.kind() == NodeKind::Exchange && to.name.is_empty()) {
                    notes.push(format!(
                        "the binding {:?} touches the default exchange, which cannot be bound; it was not exported",
                        edge.id
                    ));
                    continue;
                }
                bindings.push(json!({
                    "source": from.name,
                    "vhost": vhost,
                    "destination": to.name,
                    "destination_type": if to.kind() == NodeKind::Queue { "queue" } else { "exchange" },
                    "routing_key": edge.routing_key.clone().unwrap_or_default(),
                    "arguments": Value::Object(edge.arguments.clone()),
                }));
            }
            _ => {}
        }
    }

    let mut exchanges = Vec::new();
    let mut queues = Vec::new();
    let mut policies = Vec::new();
    for node in &scenario.nodes {
        match node.kind() {
            NodeKind::Exchange => {
                if node.name.is_empty() {
                    continue;
                }
                let kind = node.exchange_spec().kind;
                if let Some(builtin) = builtin_exchange_type(&node.name) {
                    if builtin != kind {
                        notes.push(format!(
                            "exchange {:?} is RabbitMQ's built-in {} exchange; its type {} cannot be kept",
                            node.name,
                            builtin.as_str(),
                            kind.as_str()
                        ));
                    }
                    // A built-in exchange cannot be declared with arguments: its
                    // alternate exchange travels as a policy that matches only it.
                    if let Some(ae) = alternate.get(node.id.as_str()) {
                        policies.push(json!({
                            "vhost": vhost,
                            "name": format!("alternate-exchange-{}", node.name),
                            "pattern": format!("^{}$", node.name.replace('.', "\\.")),
                            "apply-to": "exchanges",
                            "definition": { "alternate-exchange": ae },
                            "priority": 0,
                        }));
                    }
                    continue;
                }
                if refuse_reserved("exchange", &node.name, &mut notes) {
                    continue;
                }
                let mut arguments = Map::new();
                if let Some(ae) = alternate.get(node.id.as_str()) {
                    arguments.insert("alternate-exchange".into(), json!(ae));
                }
                exchanges.push(json!({
                    "name": node.name,
                    "vhost": vhost,
                    "type": kind.as_str(),
                    "durable": true,
                    "auto_delete": false,
                    "internal": node.exchange_spec().internal,
                    "arguments": Value::Object(arguments),
                }));
            }
            NodeKind::Queue => {
                if node.name.is_empty() {
                    notes.push(format!(
                        "queue node {:?} has no name; it was not exported",
                        node.id
                    ));
                    continue;
                }
                if refuse_reserved("queue", &node.name, &mut notes) {
                    continue;
                }
                let arguments =
                    queue_arguments(node, dead_letter.get(node.id.as_str()).copied(), &mut notes);
                queues.push(json!({
                    "name": node.name,
                    "vhost": vhost,
                    "durable": node.queue_spec().durable,
                    "auto_delete": false,
                    "arguments": Value::Object(arguments),
                }));
            }
            // Clients are counted below; another system's node has no place in
            // RabbitMQ's definitions and is listed as not exported.
            other => {
                let info = crate::core::model::kind_info(other);
                if !matches!(info.family, Family::Actors | Family::Rabbit) {
                    notes.push(format!(
                        "{} {:?} is not part of RabbitMQ; it was not exported",
                        info.label, node.name
                    ));
                }
            }
        }
    }

    let producers = scenario
        .nodes
        .iter()
        .filter(|n| n.kind() == NodeKind::Producer)
        .count();
    let consumers = scenario
        .nodes
        .iter()
        .filter(|n| n.kind() == NodeKind::Consumer)
        .count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let clients = match (producers, consumers) {
        (0, 0) => None,
        (p, 0) => Some(plural(p, "producer")),
        (0, c) => Some(plural(c, "consumer")),
        (p, c) => Some(format!(
            "{} and {}",
            plural(p, "producer"),
            plural(c, "consumer")
        )),
    };
    if let Some(clients) = clients {
        notes.insert(
            0,
            format!("{clients} and their behaviour are not part of RabbitMQ definitions and were not exported"),
        );
    }

    let definitions = json!({
        "rabbit_version": RABBIT_VERSION,
        "rabbitmq_version": RABBIT_VERSION,
        "product_name": "RabbitMQ",
        "product_version": RABBIT_VERSION,
        "users": [],
        "vhosts": [{ "name": vhost }],
        "permissions": [],
        "topic_permissions": [],
        "parameters": [],
        "global_parameters": [],
        "policies": policies,
        "queues": queues,
        "exchanges": exchanges,
        "bindings": bindings,
    });
    Exported {
        definitions,
        unsupported: notes,
    }
}

/// Notes that the `what` called `name` is not exported when RabbitMQ would refuse its name.
fn refuse_reserved(what: &str, name: &str, notes: &mut Vec<String>) -> bool {
    let reserved = is_reserved(name);
    if reserved {
        notes.push(format!(
            "{what} {name:?} was not exported: RabbitMQ refuses names starting with \"amq.\""
        ));
    }
    reserved
}

/// A queue's `x-` arguments; RabbitMQ wants whole numbers where it takes numbers.
fn queue_arguments(
    node: &Node,
    dead_letter: Option<(&str, Option<&str>)>,
    notes: &mut Vec<String>,
) -> Map<String, Value> {
    let q = node.queue_spec();
    let name = &node.name;
    let quorum = q.queue_type == QueueType::Quorum;
    let mut args = Map::new();
    if quorum {
        args.insert("x-queue-type".into(), json!("quorum"));
    }
    if let Some(ttl) = q.message_ttl_ms {
        if ttl.is_finite() && ttl >= 0.0 {
            let whole = ttl.round();
            if whole != ttl {
                notes.push(format!(
                    "queue {name:?}: the message TTL {ttl} ms was rounded to {whole} ms (RabbitMQ takes whole milliseconds)"
                ));
            }
            args.insert(
                "x-message-ttl".into(),
                json!(whole.min(u64::MAX as f64) as u64),
            );
        } else {
            notes.push(format!("queue {name:?}: the message TTL {ttl} is not a valid duration; it was not exported"));
        }
    }
    if let Some(n) = q.max_length {
        args.insert("x-max-length".into(), json!(n));
    }
    if let Some(n) = q.max_length_bytes {
        args.insert("x-max-length-bytes".into(), json!(n));
    }
    if q.overflow != Overflow::DropHead {
        if quorum && q.overflow == Overflow::RejectPublishDlx {
            notes.push(format!(
                "quorum queue {name:?}: RabbitMQ does not support overflow reject-publish-dlx for quorum queues and will use drop-head"
            ));
        }
        args.insert("x-overflow".into(), json!(q.overflow.as_str()));
    }
    if let Some(p) = q.max_priority {
        if quorum {
            notes.push(format!(
                "quorum queue {name:?}: x-max-priority is not supported by quorum queues; it was not exported"
            ));
        } else {
            args.insert("x-max-priority".into(), json!(p));
        }
    }
    if q.single_active_consumer {
        args.insert("x-single-active-consumer".into(), json!(true));
    }
    if let (true, Some(limit)) = (quorum, q.delivery_limit) {
        args.insert("x-delivery-limit".into(), json!(limit));
    }
    if let Some((exchange, key)) = dead_letter {
        args.insert("x-dead-letter-exchange".into(), json!(exchange));
        if let Some(key) = key {
            args.insert("x-dead-letter-routing-key".into(), json!(key));
        }
    }
    args
}
