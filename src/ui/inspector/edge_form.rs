//! Inspector forms for edges: binding keys and header arguments, the kind of an
//! exchange-to-exchange edge, dead-letter and forward routing keys.

use super::edge_commit;
use super::fields::{SelectField, TextField};
use super::parse::json_object;
use crate::core::scenario::{Edge, EdgeKind, NodeKind};
use crate::ui::state::EditorState;
use yew::prelude::*;

/// Props of [`EdgeForm`].
#[derive(Properties, PartialEq, Clone)]
pub struct EdgeFormProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
    /// The edge.
    pub edge: Edge,
}

/// The form of one edge.
#[function_component(EdgeForm)]
pub fn edge_form(p: &EdgeFormProps) -> Html {
    let e = &p.edge;
    let s = &p.state;
    let scenario = &s.0.scenario;
    let name = |id: &str| {
        scenario
            .node(id)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    };
    let exchange_to_exchange = matches!(
        (
            scenario.node(&e.from).map(|n| n.kind),
            scenario.node(&e.to).map(|n| n.kind)
        ),
        (Some(NodeKind::Exchange), Some(NodeKind::Exchange))
    );
    let key = e.routing_key.clone().unwrap_or_default();
    let fields = match e.kind {
        EdgeKind::Binding => html! {
            <>
                <TextField label="Binding key" value={key} hint="direct: exact key · topic: * one word, # zero or more · fanout/headers: ignored"
                    on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| { e.routing_key = Some(v); Ok(()) })} />
                <TextField label="Arguments (JSON)" multiline=true value={serde_json::to_string(&e.arguments).unwrap_or_default()} hint="headers exchanges: {\"x-match\": \"all\", \"format\": \"pdf\"}"
                    on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| { e.arguments = json_object(&v)?; Ok(()) })} />
            </>
        },
        EdgeKind::DeadLetter => html! {
            <TextField label="Dead-letter routing key" value={key} hint="Empty: keep the message's own key."
                on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| { e.routing_key = (!v.is_empty()).then_some(v); Ok(()) })} />
        },
        EdgeKind::Forward => html! {
            <TextField label="Forward routing key" value={e.routing_key.clone().unwrap_or_else(|| "{key}".into())} hint="{key} is the processed message's key."
                on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| { e.routing_key = Some(v); Ok(()) })} />
        },
        _ => html! {},
    };
    html! {
        <form class="edge-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <p class="kind-badge">{ e.kind.as_str() }<span class="muted">{ format!(" · {} → {}", name(&e.from), name(&e.to)) }</span></p>
            if exchange_to_exchange {
                <SelectField label="Edge kind" value={e.kind.as_str()}
                    options={vec![("binding".into(), "binding (exchange-to-exchange)".into()), ("alternate-exchange".into(), "alternate exchange".into())]}
                    on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| { e.kind = if v == "alternate-exchange" { EdgeKind::AlternateExchange } else { EdgeKind::Binding }; if e.kind == EdgeKind::AlternateExchange { e.routing_key = None; e.arguments.clear(); } Ok(()) })} />
            }
            { fields }
        </form>
    }
}
