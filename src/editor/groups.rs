//! Consumer groups in the editor: a group's members agree on one assignor, so an edit
//! of one member's consume edge keeps the group whole.

use crate::core::scenario::{Edge, EdgeKind, Scenario};

/// Puts `edge` at `i` in `next`. A consumer group agrees on one assignor (Kafka refuses
/// a member with another: INCONSISTENT_GROUP_PROTOCOL): a consume edge whose assignor
/// changed gives it to every member of its group, and one that moved into a group takes
/// the group's. True when other edges changed too.
pub(super) fn same_group_assignor(next: &mut Scenario, i: usize, mut edge: Edge) -> bool {
    let before = next.edges[i].consume.clone().unwrap_or_default();
    let group_of =
        |e: &Edge| (e.kind == EdgeKind::Consume).then(|| e.consume.clone().unwrap_or_default());
    let Some(mut now) = group_of(&edge) else {
        next.edges[i] = edge;
        return false;
    };
    let peers: Vec<usize> = (0..next.edges.len())
        .filter(|&j| {
            j != i
                && next.edges[j].from == edge.from
                && group_of(&next.edges[j]).is_some_and(|c| c.group == now.group)
        })
        .collect();
    if now.group != before.group || next.edges[i].kind != EdgeKind::Consume {
        // Joined a group: its members' assignor.
        if let Some(&j) = peers.first() {
            now.assignor = group_of(&next.edges[j]).unwrap_or_default().assignor;
            edge.consume = Some(now);
        }
        next.edges[i] = edge;
        return false;
    }
    next.edges[i] = edge;
    if now.assignor == before.assignor {
        return false;
    }
    let mut changed = false;
    for j in peers {
        let mut c = group_of(&next.edges[j]).unwrap_or_default();
        if c.assignor != now.assignor {
            c.assignor = now.assignor;
            next.edges[j].consume = Some(c);
            changed = true;
        }
    }
    changed
}
