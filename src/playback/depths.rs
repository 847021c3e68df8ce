//! The depth chart's figures, the same for every system: for each node where messages
//! wait to be read, how many wait now. A RabbitMQ queue's ready messages, an SQS queue's
//! visible ones, a Kafka topic's lag (records its groups have not committed, summed), a
//! ZeroMQ device's input pipes, a ZeroMQ worker's input pipes, a service's backlog.

use crate::core::model::ids::{EdgeId, NodeId};
use crate::core::model::status::NodeStatus;
use crate::core::scenario::{NodeKind, Scenario};
use crate::core::Simulation;

/// What the chart counts at a node of `kind`, as its legend says it.
pub fn depth_word(kind: NodeKind) -> Option<&'static str> {
    match kind {
        NodeKind::Queue => Some("ready"),
        NodeKind::SqsQueue => Some("visible"),
        NodeKind::KafkaTopic => Some("lag"),
        NodeKind::ZmqDevice => Some("waiting"),
        NodeKind::Service => Some("backlog"),
        NodeKind::Consumer => Some("in its pipes"),
        _ => None,
    }
}

/// `(node index, messages waiting)` for every node where messages wait, in diagram
/// order. A consumer counts only when ZeroMQ pipes lead into it.
pub fn depths(sim: &Simulation, s: &Scenario) -> Vec<(u32, u64)> {
    // Messages in the ZeroMQ pipes into each node (none: no pipe leads into it).
    let mut piped: Vec<Option<u64>> = vec![None; s.nodes.len()];
    let index: rustc_hash::FxHashMap<&str, usize> = s
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    for (e, edge) in s.edges.iter().enumerate() {
        let (Some(st), Some(&to)) = (
            sim.edge_status(EdgeId(e as u32)),
            index.get(edge.to.as_str()),
        ) else {
            continue;
        };
        if st.hwm > 0 {
            *piped[to].get_or_insert(0) += st.queued;
        }
    }
    let mut out = Vec::new();
    for (i, in_pipes) in piped.into_iter().enumerate() {
        let Some(status) = sim.node_status(NodeId(i as u32)) else {
            continue;
        };
        let waiting = match status {
            NodeStatus::Queue { ready, .. } => ready,
            NodeStatus::SqsQueue { visible, .. } => visible,
            NodeStatus::KafkaTopic { groups, .. } => groups.iter().map(|g| g.lag).sum(),
            NodeStatus::ZmqDevice { waiting, .. } => waiting,
            NodeStatus::Service { backlog, .. } => backlog,
            NodeStatus::Consumer { .. } => match in_pipes {
                Some(n) => n,
                None => continue,
            },
            _ => continue,
        };
        out.push((i as u32, waiting));
    }
    out
}

/// Copies sent on to a consumer or service so far (the rates chart's deliveries): what
/// has set off along every edge into one, whichever system it comes from.
pub fn delivered(sim: &Simulation, s: &Scenario) -> u64 {
    let worker: rustc_hash::FxHashSet<&str> = s
        .nodes
        .iter()
        .filter(|n| matches!(n.kind(), NodeKind::Consumer | NodeKind::Service))
        .map(|n| n.id.as_str())
        .collect();
    s.edges
        .iter()
        .enumerate()
        .filter(|(_, e)| worker.contains(e.to.as_str()))
        .filter_map(|(i, _)| sim.edge_status(EdgeId(i as u32)))
        .map(|st| st.travelled)
        .sum()
}
