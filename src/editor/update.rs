//! Node settings edited in place (the inspector's fields, a FIFO box that switches
//! several nodes together): validated before they are taken, and a rename carries along
//! the script steps that name the node.

use super::Editor;
use crate::core::scenario::script::ScriptStep;
use crate::core::scenario::{validate, Node};

impl Editor {
    /// Replaces the node with `node`'s id by `node` (refused, with the reason, when that
    /// node would then have a problem).
    pub(super) fn update_node(&mut self, node: Node) {
        let Some(i) = self.scenario.nodes.iter().position(|n| n.id == node.id) else {
            return;
        };
        if self.scenario.nodes[i] == node {
            return;
        }
        let mut next = (*self.scenario).clone();
        let renamed = carry_rename(&mut next.script, &next.nodes[i], &node);
        next.nodes[i] = node;
        let prefix = format!("nodes[{i}]");
        if let Some(p) = validate(&next)
            .into_iter()
            .find(|p| p.path.starts_with(&prefix))
        {
            return self.refuse(p.message);
        }
        let edit = self.edit();
        if renamed {
            edit.script = std::mem::take(&mut next.script);
        }
        edit.nodes[i] = next.nodes.swap_remove(i);
        self.notice = None;
    }

    /// Replaces several nodes at once, as one edit (refused whole when any of them would
    /// then have a problem).
    pub(super) fn update_nodes(&mut self, nodes: Vec<Node>) {
        let mut next = (*self.scenario).clone();
        let mut changed = Vec::new();
        for node in nodes {
            let Some(i) = next.nodes.iter().position(|n| n.id == node.id) else {
                return;
            };
            if next.nodes[i] != node {
                carry_rename(&mut next.script, &next.nodes[i], &node);
                next.nodes[i] = node;
                changed.push(format!("nodes[{i}]"));
            }
        }
        if changed.is_empty() {
            return;
        }
        if let Some(p) = validate(&next)
            .into_iter()
            .find(|p| changed.iter().any(|prefix| p.path.starts_with(prefix)))
        {
            return self.refuse(p.message);
        }
        let edit = self.edit();
        edit.nodes = next.nodes;
        edit.script = next.script;
        self.notice = None;
    }
}

/// A node renamed from `before` to `after` takes the script steps that named it along
/// (a step names its node by name, not id); says whether any step changed.
pub fn carry_rename(script: &mut [ScriptStep], before: &Node, after: &Node) -> bool {
    if before.name == after.name || before.kind() != after.kind() {
        return false;
    }
    let mut any = false;
    for step in script {
        any |= step.rename_target(before.kind(), &before.name, &after.name);
    }
    any
}
