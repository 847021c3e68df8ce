//! New nodes and edges: default names, ids and settings for each kind.

use crate::core::scenario::{Edge, EdgeKind, Node, NodeKind, Scenario};

/// A fresh id with `prefix` not used by any node or edge of `scenario`.
pub fn fresh_id(scenario: &Scenario, prefix: &str) -> String {
    let taken = |id: &str| {
        scenario.nodes.iter().any(|n| n.id == id) || scenario.edges.iter().any(|e| e.id == id)
    };
    let mut n = scenario.nodes.len() + scenario.edges.len() + 1;
    loop {
        let id = format!("{prefix}{n}");
        if !taken(&id) {
            return id;
        }
        n += 1;
    }
}

/// A fresh name like `queue-3` that no node of that kind uses.
pub fn fresh_name(scenario: &Scenario, kind: NodeKind) -> String {
    let base = crate::core::model::kind_info(kind).name_base;
    let mut n = scenario.nodes.iter().filter(|x| x.kind() == kind).count() + 1;
    loop {
        let name = format!("{base}-{n}");
        if !scenario
            .nodes
            .iter()
            .any(|x| x.kind() == kind && x.name == name)
        {
            return name;
        }
        n += 1;
    }
}

/// A node of `kind` at (x, y) with the settings of its `KINDS` row (a live demo works at
/// once).
pub fn new_node(scenario: &Scenario, kind: NodeKind, x: f64, y: f64) -> Node {
    let mut node = Node::new(fresh_id(scenario, "n"), kind, fresh_name(scenario, kind));
    node.x = x;
    node.y = y;
    node.spec = (crate::core::model::kind_info(kind).new_spec)();
    node
}

/// A new edge; bindings start with the key `task` so a fresh diagram routes at once.
pub fn new_edge(scenario: &Scenario, from: &str, to: &str, kind: EdgeKind) -> Edge {
    let mut edge = Edge::new(fresh_id(scenario, "e"), from, to, kind);
    if kind == EdgeKind::Binding {
        edge.routing_key = Some("task".into());
    }
    if kind == EdgeKind::Consume {
        // Every consumer wired to a topic joins the same group unless renamed, so a
        // second consumer shares the partitions (and shows the group's balance).
        edge.consume = Some(crate::core::scenario::ConsumeSpec {
            group: "readers".into(),
            ..Default::default()
        });
    }
    edge
}
