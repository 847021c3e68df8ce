//! The selected node's connections, one button each: the way to an edge's settings by
//! keyboard (edges on the canvas take a pointer). Each says where the edge goes, its
//! kind and its label (a binding key, a filter), and selects the edge when pressed.

use crate::core::scenario::Node;
use crate::editor::labels::edge_label;
use crate::editor::Action;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// Props of [`Connections`].
#[derive(Properties, PartialEq, Clone)]
pub struct ConnectionsProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
    /// The selected node.
    pub node: Node,
}

/// The list, when the node has any edge.
#[function_component(Connections)]
pub fn connections(p: &ConnectionsProps) -> Html {
    let scenario = &p.state.0.scenario;
    let name = |id: &str| match scenario.node(id) {
        Some(n) if n.name.is_empty() => "(default exchange)".to_string(),
        Some(n) => n.name.clone(),
        None => id.to_string(),
    };
    let rows: Vec<Html> = scenario
        .edges
        .iter()
        .filter(|e| e.from == p.node.id || e.to == p.node.id)
        .map(|e| {
            let (arrow, other) = if e.from == p.node.id {
                ("→", name(&e.to))
            } else {
                ("←", name(&e.from))
            };
            // A label that starts with the edge's kind ("push", "pub · …") is not
            // repeated after it.
            let kind = e.kind.as_str();
            let text = match edge_label(scenario, e) {
                Some(l) if l == kind || l.starts_with(&format!("{kind} ")) => {
                    format!("{arrow} {other} ({l})")
                }
                Some(l) => format!("{arrow} {other} ({kind}, {l})"),
                None => format!("{arrow} {other} ({kind})"),
            };
            let select = {
                let (state, id) = (p.state.clone(), e.id.clone());
                Callback::from(move |_: MouseEvent| {
                    crate::ui::focus_rescue::focus_panel_if_lost();
                    state.dispatch(Action::SelectEdge {
                        id: id.clone(),
                        additive: false,
                    })
                })
            };
            html! {
                <li><button type="button" class="connection" title="Select this edge to see and change its settings" onclick={select}>{ text }</button></li>
            }
        })
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <div class="connections field">
            <span class="label" id="connections-label">{"Connections"}</span>
            <ul aria-labelledby="connections-label">{ for rows }</ul>
        </div>
    }
}
