//! "Connect to…": a keyboard-friendly way to draw an edge from the selected node — a list
//! of the nodes it may connect to (the `WIRING` table decides, each with the edge kind it
//! would get) and a button. Nodes it is already connected to are left out.

use crate::core::model::default_edge;
use crate::core::scenario::Node;
use crate::editor::Action;
use crate::ui::state::EditorState;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Props of [`ConnectPicker`].
#[derive(Properties, PartialEq, Clone)]
pub struct ConnectPickerProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
    /// The node the edge starts at.
    pub node: Node,
}

/// The picker, when there is anything to connect to.
#[function_component(ConnectPicker)]
pub fn connect_picker(p: &ConnectPickerProps) -> Html {
    let select = use_node_ref();
    let scenario = &p.state.0.scenario;
    let from = &p.node;
    // The nodes it already has an edge to (one pass over the edges, not one per node).
    let linked: std::collections::HashSet<&str> = scenario
        .edges
        .iter()
        .filter(|e| e.from == from.id)
        .map(|e| e.to.as_str())
        .collect();
    let targets: Vec<(String, String)> = scenario
        .nodes
        .iter()
        .filter(|n| n.id != from.id && !linked.contains(n.id.as_str()))
        .filter_map(|n| {
            let kind = default_edge(from.kind(), n.kind())?;
            let name = if n.name.is_empty() {
                "(default exchange)"
            } else {
                n.name.as_str()
            };
            Some((
                n.id.clone(),
                format!("{} {name} ({})", n.kind().as_str(), kind.as_str()),
            ))
        })
        .collect();
    if targets.is_empty() {
        return html! {};
    }
    let connect = {
        let (state, select, from) = (p.state.clone(), select.clone(), from.id.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(to) = select.cast::<HtmlSelectElement>().map(|s| s.value()) {
                state.dispatch(Action::Connect {
                    from: from.clone(),
                    to,
                });
            }
        })
    };
    html! {
        <div class="connect-picker field">
            <label for="connect-to">{"Connect to"}</label>
            <div class="connect-row">
                <select id="connect-to" ref={select}>
                    // The first target is the default (children are inserted last first,
                    // so without `selected` the browser would start on the last one).
                    { for targets.iter().enumerate().map(|(i, (id, text))| html! { <option value={id.clone()} selected={i == 0}>{ text.clone() }</option> }) }
                </select>
                <button type="button" class="action" onclick={connect}>{"Connect"}</button>
            </div>
        </div>
    }
}
