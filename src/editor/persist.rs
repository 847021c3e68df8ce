//! Autosave: the diagram and viewport as one JSON text for localStorage. Decoding runs
//! the scenario's full validation, so a damaged save is reported, never half-loaded.

use super::geometry::Viewport;
use crate::core::scenario::{load_scenario, parse_with_strays, validate, NodeSpec, Scenario};
use serde::Deserialize;

/// Storage key of the autosave.
pub const AUTOSAVE_KEY: &str = "queue-playground/autosave";
/// Storage key of the diagram that was there before a link (`?pattern=`) replaced it.
pub const PREVIOUS_KEY: &str = "queue-playground/autosave-before-link";
/// Storage key where an unreadable autosave is kept instead of being thrown away.
pub const BACKUP_KEY: &str = "queue-playground/autosave-unreadable";

#[derive(Deserialize)]
struct Envelope {
    app: String,
    viewport: Viewport,
    scenario: serde_json::Value,
}

/// Encodes the diagram for storage: the envelope's JSON written around the scenario's
/// own compact text (the one serialiser every file goes through, see `pretty_json`).
pub fn encode(scenario: &Scenario, viewport: &Viewport) -> String {
    let scenario = serde_json::to_string(&scenario.at_lowest_version()).unwrap_or_default();
    let viewport = serde_json::to_string(viewport).unwrap_or_default();
    format!(r#"{{"app":"queue-playground","viewport":{viewport},"scenario":{scenario}}}"#)
}

/// Decodes a stored diagram, or says what is wrong with it.
pub fn decode(text: &str) -> Result<(Scenario, Viewport), String> {
    let envelope: Envelope = serde_json::from_str(text)
        .map_err(|e| format!("the saved diagram is not readable ({e})"))?;
    if envelope.app != "queue-playground" {
        return Err("the saved data is not a Queue Playground diagram".into());
    }
    let z = envelope.viewport.zoom;
    let viewport = if z.is_finite()
        && z > 0.0
        && envelope.viewport.x.is_finite()
        && envelope.viewport.y.is_finite()
    {
        envelope.viewport
    } else {
        Viewport::default()
    };
    let scenario = load_scenario(&envelope.scenario.to_string())
        .map_err(|e| format!("the saved diagram is invalid: {e}"))?;
    Ok((scenario, viewport))
}

/// Repairs a stored diagram that [`decode`] refuses, when its JSON and field types are
/// readable: each semantic problem is fixed in the smallest way (an edge that breaks a
/// rule is removed, a duplicate id or name gets a suffix, a node's settings section
/// that is out of range goes back to its defaults, a bad top-level number to its
/// default), one problem at a time, until the diagram loads. Returns the diagram, its
/// viewport and one line per change; `Err` when the text cannot be read at all.
pub fn repair(text: &str) -> Result<(Scenario, Viewport, Vec<String>), String> {
    let envelope: Envelope = serde_json::from_str(text)
        .map_err(|e| format!("the saved data is not readable JSON ({e})"))?;
    let viewport = if envelope.viewport.zoom.is_finite() && envelope.viewport.zoom > 0.0 {
        envelope.viewport
    } else {
        Viewport::default()
    };
    let (mut s, strays) = parse_with_strays(&envelope.scenario.to_string())
        .map_err(|e| format!("the saved diagram cannot be read ({e})"))?;
    // A section of another kind was left out when reading; say so.
    let mut changes: Vec<String> = strays
        .iter()
        .map(|(i, section, kind)| {
            format!(
                "removed the `{section}` section of node `{}` (a {} node has none)",
                s.nodes[*i].id,
                kind.as_str()
            )
        })
        .collect();
    // Every fix removes a problem or an element, so this ends; the cap is a safeguard.
    for _ in 0..(s.nodes.len() + s.edges.len() + 8) * 2 {
        let Some(problem) = validate(&s).into_iter().next() else {
            return Ok((s, viewport, changes));
        };
        let change = fix_one(&mut s, &problem.path)
            .ok_or_else(|| format!("cannot repair {}: {}", problem.path, problem.message))?;
        changes.push(format!("{change} ({})", problem.message));
    }
    Err("the saved diagram could not be repaired".into())
}

/// Index and the rest of a path such as `edges[3].routing_key`.
fn indexed<'a>(path: &'a str, list: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(list)?.strip_prefix('[')?;
    let (index, rest) = rest.split_once(']')?;
    Some((index.parse().ok()?, rest.trim_start_matches('.')))
}

fn unique(taken: impl Fn(&str) -> bool, base: &str) -> String {
    (2..)
        .map(|k| format!("{base}-{k}"))
        .find(|c| !taken(c))
        .unwrap_or_default()
}

fn fix_one(s: &mut Scenario, path: &str) -> Option<String> {
    if let Some((i, field)) = indexed(path, "edges") {
        let edge = s.edges.get_mut(i)?;
        // A key or arguments the edge's kind does not take: drop them, keep the edge.
        if field == "routing_key" && !edge.kind.takes_routing_key() {
            edge.routing_key = None;
            return Some(format!("removed the routing key of edge `{}`", edge.id));
        }
        if field == "arguments" && edge.kind != crate::core::scenario::EdgeKind::Binding {
            edge.arguments.clear();
            return Some(format!("removed the arguments of edge `{}`", edge.id));
        }
        let edge = edge.clone();
        s.edges.remove(i);
        return Some(format!(
            "removed edge `{}` from `{}` to `{}`",
            edge.id, edge.from, edge.to
        ));
    }
    if let Some((i, field)) = indexed(path, "nodes") {
        let node = s.nodes.get(i)?.clone();
        let section = field.split('.').next().unwrap_or("");
        match section {
            "id" => {
                let id = unique(|c| s.nodes.iter().any(|n| n.id == c), &node.id);
                s.nodes[i].id = id.clone();
                return Some(format!("gave the second node `{}` the id `{id}`", node.id));
            }
            "name" => {
                // An SQS queue's or SNS topic's name follows AWS's rules first.
                use crate::core::scenario::{aws_safe_name, MAX_QUEUE_NAME, MAX_TOPIC_NAME};
                let safe = match &node.spec {
                    NodeSpec::SqsQueue(q) => {
                        Some(aws_safe_name(&node.name, q.fifo, MAX_QUEUE_NAME, "queue"))
                    }
                    NodeSpec::SnsTopic(t) => {
                        Some(aws_safe_name(&node.name, t.fifo, MAX_TOPIC_NAME, "topic"))
                    }
                    _ => None,
                };
                if let Some(safe) = safe.filter(|safe| *safe != node.name) {
                    s.nodes[i].name = safe.clone();
                    crate::editor::carry_rename(&mut s.script, &node, &s.nodes[i]);
                    return Some(format!("renamed node `{}` to \"{safe}\"", node.id));
                }
                let name = unique(
                    |c| {
                        s.nodes
                            .iter()
                            .any(|n| n.kind() == node.kind() && n.name == c)
                    },
                    if node.name.is_empty() {
                        "unnamed"
                    } else {
                        &node.name
                    },
                );
                s.nodes[i].name = name.clone();
                return Some(format!("renamed node `{}` to \"{name}\"", node.id));
            }
            "x" | "y" => {
                s.nodes[i].x = 0.0;
                s.nodes[i].y = 0.0;
                return Some(format!("moved node `{}` to 0, 0", node.id));
            }
            own if own == node.kind().section() && !node.spec.is_default() => {
                s.nodes[i].spec = NodeSpec::default_for(node.kind());
            }
            _ => return None,
        }
        return Some(format!(
            "reset the {section} settings of node `{}`",
            node.id
        ));
    }
    match path {
        "latency_ms" => s.latency_ms = Scenario::empty().latency_ms,
        "duration_ms" => s.duration_ms = None,
        _ => return None,
    }
    Some(format!("reset `{path}` to its default"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scenario::{Node, NodeKind};

    #[test]
    fn round_trips_and_reports_damage() {
        let mut s = Scenario::empty();
        s.nodes.push(Node::new("q", NodeKind::Queue, "orders"));
        let v = Viewport {
            x: 10.0,
            y: 20.0,
            zoom: 1.25,
        };
        let text = encode(&s, &v);
        assert_eq!(decode(&text).unwrap(), (s, v));
        assert!(decode("{broken").unwrap_err().contains("not readable"));
        assert!(decode(&text.replace("orders", ""))
            .unwrap_err()
            .contains("invalid"));
        assert!(decode(&text[..text.len() / 2]).is_err());
    }

    #[test]
    fn repairs_what_it_can_and_says_what_it_changed() {
        use crate::core::scenario::{Edge, EdgeKind};
        let mut s = Scenario::empty();
        s.nodes.push(Node::new("x", NodeKind::Exchange, "orders"));
        s.nodes.push(Node::new("q", NodeKind::Queue, "work"));
        s.nodes.push(Node::new("r", NodeKind::Queue, "work"));
        s.edges.push(Edge::new("e1", "x", "q", EdgeKind::Binding));
        let v = Viewport::default();
        // A saved diagram written by an older build: the exchange's name was cleared
        // (it became the default exchange, which cannot be bound) and two queues share
        // a name.
        let text = encode(&s, &v).replace("\"orders\"", "\"\"");
        assert!(decode(&text).is_err());
        let (fixed, _, changes) = repair(&text).unwrap();
        assert!(validate(&fixed).is_empty());
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert!(changes.iter().any(|c| c.contains("removed edge `e1`")));
        assert!(changes.iter().any(|c| c.contains("work-2")));
        assert_eq!(fixed.nodes.len(), 3, "no node is lost");
        assert!(repair("{broken").is_err());

        // A section of another kind is dropped, and said so.
        let text = encode(&s, &v).replace(
            "\"kind\":\"exchange\"",
            "\"kind\":\"exchange\",\"queue\":{\"max_length\":1}",
        );
        assert!(decode(&text).is_err());
        let (fixed, _, changes) = repair(&text).unwrap();
        assert!(validate(&fixed).is_empty());
        assert!(
            changes[0].contains("removed the `queue` section of node `x`"),
            "{changes:?}"
        );

        // An SQS queue whose name AWS would refuse (saved before the check): renamed
        // to fit, its script steps following.
        let mut s2 = Scenario::empty();
        s2.version = 2;
        s2.nodes
            .push(Node::new("q", NodeKind::SqsQueue, "my queue!"));
        s2.script.push(
            serde_json::from_value(
                serde_json::json!({"op": "send", "at_ms": 0, "queue": "my queue!", "body": "b"}),
            )
            .unwrap(),
        );
        let text = encode(&s2, &v);
        assert!(decode(&text).is_err());
        let (fixed, _, changes) = repair(&text).unwrap();
        assert!(validate(&fixed).is_empty(), "{:?}", validate(&fixed));
        assert_eq!(fixed.nodes[0].name, "my-queue");
        assert!(
            changes[0].starts_with("renamed node `q` to \"my-queue\""),
            "{changes:?}"
        );

        // A routing key or arguments on an edge whose kind takes none: dropped, the
        // edge kept.
        let mut s = Scenario::empty();
        s.nodes.push(Node::new("p", NodeKind::Producer, "p"));
        s.nodes.push(Node::new("x", NodeKind::Exchange, "orders"));
        s.nodes.push(Node::new("q", NodeKind::Queue, "work"));
        s.nodes.push(Node::new("c", NodeKind::Consumer, "c"));
        let mut publish = Edge::new("e1", "p", "x", EdgeKind::Publish);
        publish.routing_key = Some("k".into());
        let mut sub = Edge::new("e2", "q", "c", EdgeKind::Subscription);
        sub.arguments.insert("x-match".into(), "all".into());
        s.edges.push(publish);
        s.edges.push(sub);
        let text = encode(&s, &v);
        assert!(decode(&text).is_err());
        let (fixed, _, changes) = repair(&text).unwrap();
        assert!(validate(&fixed).is_empty());
        assert_eq!(
            changes,
            vec![
                "removed the routing key of edge `e1` (only a binding, dead-letter or forward edge has a `routing_key`; this edge is a publish edge)",
                "removed the arguments of edge `e2` (only a binding edge has `arguments`; this edge is a subscription edge)",
            ]
        );
        assert_eq!(fixed.edges.len(), 2, "no edge is lost");
    }
}
