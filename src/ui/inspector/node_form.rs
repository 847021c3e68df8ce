//! The inspector form of a node: its kind and id, its name, then the kind's own
//! settings (from the kind's view file under `ui/canvas/kinds/`).

use super::fields::TextField;
use super::node_commit;
use crate::core::scenario::{Node, NodeKind};
use crate::ui::state::EditorState;
use yew::prelude::*;

/// Props of [`NodeForm`].
#[derive(Properties, PartialEq, Clone)]
pub struct NodeFormProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
    /// The node.
    pub node: Node,
}

/// The form of one node.
#[function_component(NodeForm)]
pub fn node_form(p: &NodeFormProps) -> Html {
    let n = &p.node;
    let s = &p.state;
    let id = n.id.as_str();
    let name = html! {
        <TextField label="Name" value={n.name.clone()} hint={(n.kind() == NodeKind::Exchange).then_some(AttrValue::from("An empty name is the default exchange."))}
            on_commit={node_commit(s, id, |n: &mut Node, v: String| { n.name = v; Ok(()) })} />
    };
    let specific = crate::ui::canvas::kinds::form(s, n);
    html! {
        <form class="node-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <p class="kind-badge as-written">{ crate::core::model::kind_info(n.kind()).label }<span class="muted">{ format!(" · id {}", n.id) }</span></p>
            { name }
            <super::connect_picker::ConnectPicker state={p.state.clone()} node={n.clone()} />
            <super::connections::Connections state={p.state.clone()} node={n.clone()} />
            { specific }
        </form>
    }
}
