//! The diagram by keyboard: with a node focused (Tab moves between nodes), Enter or
//! Space selects it (Shift adds it to the selection), the arrow keys move the selection
//! (or the focused node) one grid step (Shift: five), and C starts a connection from it —
//! then Enter on another node connects the two, Escape cancels.

use super::geometry::GRID;
use super::{Action, Editor};

/// What the keyboard is in the middle of.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeKeys {
    /// A connection started with C, from this node id.
    pub connecting_from: Option<String>,
}

impl NodeKeys {
    /// Handles `key` pressed while node `focused` has focus. Returns the actions to
    /// apply, or `None` when the key is not the diagram's (so the page may use it).
    pub fn key(
        &mut self,
        editor: &Editor,
        focused: &str,
        key: &str,
        shift: bool,
    ) -> Option<Vec<Action>> {
        let name = |id: &str| {
            editor
                .scenario
                .node(id)
                .map(|n| n.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        editor.scenario.node(focused)?;
        let step = if shift { 5.0 * GRID } else { GRID };
        let (dx, dy) = match key {
            "ArrowLeft" => (-step, 0.0),
            "ArrowRight" => (step, 0.0),
            "ArrowUp" => (0.0, -step),
            "ArrowDown" => (0.0, step),
            _ => (0.0, 0.0),
        };
        if dx != 0.0 || dy != 0.0 {
            let ids: Vec<String> = if editor.selected_nodes.contains(focused) {
                editor.selected_nodes.iter().cloned().collect()
            } else {
                vec![focused.to_string()]
            };
            return Some(vec![Action::MoveNodes { ids, dx, dy }]);
        }
        match key {
            "Enter" | " " => Some(match self.connecting_from.take() {
                Some(from) if from != focused => vec![Action::Connect {
                    from,
                    to: focused.to_string(),
                }],
                Some(_) => vec![Action::Notify(
                    "Connection cancelled: a node cannot connect to itself.".into(),
                )],
                None => vec![Action::SelectNode {
                    id: focused.to_string(),
                    additive: shift,
                }],
            }),
            "c" | "C" => {
                self.connecting_from = Some(focused.to_string());
                Some(vec![Action::Notify(format!(
                    "Connecting from {}: move to another node with Tab and press Enter. Escape cancels.",
                    name(focused)
                ))])
            }
            "Escape" if self.connecting_from.is_some() => {
                self.connecting_from = None;
                Some(vec![Action::Notify("Connection cancelled.".into())])
            }
            _ => None,
        }
    }
}
