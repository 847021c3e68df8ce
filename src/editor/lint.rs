//! Parts of a diagram that will sit idle, each with the reason in plain words: a
//! producer wired to nothing, an exchange with no bindings (what reaches it is dropped
//! as unroutable), a queue nothing reads, a consumer that reads nothing, a topic that no
//! group reads. The canvas marks them; nothing here refuses anything.

use crate::core::scenario::{EdgeKind, NodeKind, Scenario};
use std::collections::BTreeMap;

/// A queue meant to hold messages without a consumer: a delay queue (it dead-letters on,
/// as a retry with a TTL does), or one fed by a dead-letter or alternate exchange (a
/// dead-letter queue, a parking lot, an unroutable bin).
fn parked(s: &Scenario, queue: &str) -> bool {
    let catch_all = |exchange: &str| {
        s.edges.iter().any(|e| {
            e.to == exchange && matches!(e.kind, EdgeKind::DeadLetter | EdgeKind::AlternateExchange)
        })
    };
    s.edges
        .iter()
        .any(|e| e.from == queue && e.kind == EdgeKind::DeadLetter)
        || s.edges
            .iter()
            .any(|e| e.to == queue && e.kind == EdgeKind::Binding && catch_all(&e.from))
}

/// Node id → why it will sit idle, for the nodes that will.
pub fn idle_parts(s: &Scenario) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let from = |id: &str, kinds: &[EdgeKind]| {
        s.edges
            .iter()
            .any(|e| e.from == id && kinds.contains(&e.kind))
    };
    let to = |id: &str, kinds: &[EdgeKind]| {
        s.edges
            .iter()
            .any(|e| e.to == id && kinds.contains(&e.kind))
    };
    for n in &s.nodes {
        let id = n.id.as_str();
        let why = match n.kind() {
            NodeKind::Producer
                if !from(
                    id,
                    &[
                        EdgeKind::Publish,
                        EdgeKind::Produce,
                        EdgeKind::Send,
                        EdgeKind::Push,
                        EdgeKind::Pub,
                        EdgeKind::Call,
                    ],
                ) =>
            {
                Some("not connected: drag from its right handle to an exchange, a topic or a queue so it can publish")
            }
            // The default exchange reaches every queue by name; other exchanges need a
            // binding (or an alternate exchange).
            NodeKind::Exchange
                if !n.name.is_empty()
                    && !from(id, &[EdgeKind::Binding, EdgeKind::AlternateExchange]) =>
            {
                Some("no bindings: every message that reaches it is dropped as unroutable")
            }
            NodeKind::Queue if !from(id, &[EdgeKind::Subscription]) && !parked(s, id) => {
                Some("no consumer subscribes: messages wait here")
            }
            NodeKind::Consumer
                if !to(
                    id,
                    &[
                        EdgeKind::Subscription,
                        EdgeKind::Consume,
                        EdgeKind::Receive,
                        EdgeKind::Subscribe,
                        EdgeKind::Push,
                        EdgeKind::Pub,
                    ],
                ) =>
            {
                Some("reads nothing: connect a queue or a topic to it")
            }
            NodeKind::Service
                if !to(
                    id,
                    &[
                        EdgeKind::Call,
                        EdgeKind::Subscription,
                        EdgeKind::Consume,
                        EdgeKind::Receive,
                        EdgeKind::Subscribe,
                        EdgeKind::Push,
                        EdgeKind::Pub,
                    ],
                ) =>
            {
                Some("nothing calls it and it reads nothing: connect a producer or a service to it")
            }
            NodeKind::KafkaTopic if !from(id, &[EdgeKind::Consume]) => {
                Some("no consumer group reads it: records are kept, unread")
            }
            // A dead-letter queue is meant to hold what arrives.
            NodeKind::SqsQueue
                if !from(id, &[EdgeKind::Receive]) && !to(id, &[EdgeKind::Redrive]) =>
            {
                Some("no worker receives from it: messages wait here")
            }
            NodeKind::ZmqDevice if !from(id, &[EdgeKind::Push]) => {
                Some("sends to no one: push from it to the workers it distributes to")
            }
            NodeKind::ZmqDevice if !to(id, &[EdgeKind::Push, EdgeKind::Pub]) => {
                Some("nothing sends to it: push to it from a producer")
            }
            NodeKind::SnsTopic if !from(id, &[EdgeKind::Subscribe]) => {
                Some("no subscription: what is published to it reaches no one")
            }
            _ => None,
        };
        if let Some(why) = why {
            out.insert(n.id.clone(), why.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scenario::{Edge, Node};

    #[test]
    fn each_idle_part_says_why() {
        let mut s = Scenario::empty();
        s.nodes.push(Node::new("p", NodeKind::Producer, "p"));
        s.nodes.push(Node::new("x", NodeKind::Exchange, "x"));
        s.nodes.push(Node::new("q", NodeKind::Queue, "q"));
        s.nodes.push(Node::new("c", NodeKind::Consumer, "c"));
        let idle = idle_parts(&s);
        assert_eq!(idle.len(), 4);
        assert!(idle["x"].contains("unroutable"));
        s.edges.push(Edge::new("e1", "p", "x", EdgeKind::Publish));
        s.edges.push(Edge::new("e2", "x", "q", EdgeKind::Binding));
        s.edges
            .push(Edge::new("e3", "q", "c", EdgeKind::Subscription));
        assert!(idle_parts(&s).is_empty());
        // A client calling a service is wired; a service nothing calls is idle.
        s.nodes.push(Node::new("u", NodeKind::Producer, "u"));
        s.nodes.push(Node::new("a", NodeKind::Service, "a"));
        s.nodes.push(Node::new("b", NodeKind::Service, "b"));
        s.edges.push(Edge::new("e4", "u", "a", EdgeKind::Call));
        let idle = idle_parts(&s);
        assert_eq!(idle.keys().collect::<Vec<_>>(), ["b"]);
        assert!(idle["b"].contains("nothing calls it"));
    }
}
