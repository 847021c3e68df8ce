//! Connecting nodes: which edge a drag from one node to another creates, or why none
//! may (design §2: publishes-to, binding, subscription, dead-letter, alternate
//! exchange, publish-after-processing).

use crate::core::scenario::{edge_rule, validate, Edge, EdgeKind, NodeKind, Scenario};

/// The edge kind a connection from `from` to `to` creates by default (the `WIRING`
/// table's default row). Exchange → exchange defaults to a binding (the inspector can
/// turn it into an alternate exchange).
pub fn infer_edge_kind(from: NodeKind, to: NodeKind) -> Option<EdgeKind> {
    crate::core::model::default_edge(from, to)
}

/// Checks adding `edge` to `scenario`; on refusal, says why in plain words.
pub fn check_new_edge(scenario: &Scenario, edge: &Edge) -> Result<(), String> {
    let from = scenario
        .node(&edge.from)
        .ok_or("the start node no longer exists")?;
    let to = scenario
        .node(&edge.to)
        .ok_or("the end node no longer exists")?;
    if edge.from == edge.to {
        return Err("a node cannot connect to itself".into());
    }
    let is_default =
        |n: &crate::core::scenario::Node| n.kind() == NodeKind::Exchange && n.name.is_empty();
    edge_rule(
        from.kind(),
        to.kind(),
        edge.kind,
        is_default(from),
        is_default(to),
    )?;
    let same = |e: &&Edge| e.from == edge.from && e.to == edge.to && e.kind == edge.kind;
    if let Some(existing) = scenario.edges.iter().find(same) {
        if edge.kind != EdgeKind::Binding
            || (existing.routing_key == edge.routing_key && existing.arguments == edge.arguments)
        {
            return Err("these two nodes are already connected that way".into());
        }
    }
    let mut next = scenario.clone();
    next.edges.push(edge.clone());
    let index = next.edges.len() - 1;
    let prefix = format!("edges[{index}]");
    let problems: Vec<String> = validate(&next)
        .into_iter()
        .filter(|p| p.path.starts_with(&prefix))
        .map(|p| p.message)
        .collect();
    match problems.first() {
        Some(first) => Err(first.clone()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scenario::Node;

    fn scenario() -> Scenario {
        let mut s = Scenario::empty();
        s.nodes = vec![
            Node::new("p", NodeKind::Producer, "p"),
            Node::new("x", NodeKind::Exchange, "x"),
            Node::new("y", NodeKind::Exchange, "y"),
            Node::new("q", NodeKind::Queue, "q"),
            Node::new("c", NodeKind::Consumer, "c"),
        ];
        s
    }

    #[test]
    fn infers_every_valid_kind() {
        use NodeKind as N;
        assert_eq!(
            infer_edge_kind(N::Producer, N::Exchange),
            Some(EdgeKind::Publish)
        );
        assert_eq!(
            infer_edge_kind(N::Queue, N::Consumer),
            Some(EdgeKind::Subscription)
        );
        assert_eq!(
            infer_edge_kind(N::Queue, N::Exchange),
            Some(EdgeKind::DeadLetter)
        );
        assert_eq!(
            infer_edge_kind(N::Consumer, N::Exchange),
            Some(EdgeKind::Forward)
        );
        assert_eq!(infer_edge_kind(N::Producer, N::Queue), None);
    }

    #[test]
    fn refusals_say_why() {
        let mut s = scenario();
        let e = |from: &str, to: &str, kind| Edge::new("new", from, to, kind);
        assert!(check_new_edge(&s, &e("p", "q", EdgeKind::Publish))
            .unwrap_err()
            .contains("exchange"));
        assert!(check_new_edge(&s, &e("c", "p", EdgeKind::Publish)).is_err());
        assert!(check_new_edge(&s, &e("x", "x", EdgeKind::Binding))
            .unwrap_err()
            .contains("itself"));
        s.edges.push(e("p", "x", EdgeKind::Publish));
        assert!(
            check_new_edge(&s, &Edge::new("n2", "p", "x", EdgeKind::Publish))
                .unwrap_err()
                .contains("already")
        );
        assert!(
            check_new_edge(&s, &Edge::new("n3", "p", "y", EdgeKind::Publish))
                .unwrap_err()
                .contains("already has")
        );
        assert!(check_new_edge(&s, &Edge::new("n4", "q", "c", EdgeKind::Subscription)).is_ok());
    }
}
