//! Inspector forms for edges: binding keys and header arguments, the kind of an
//! exchange-to-exchange edge, dead-letter and forward routing keys.

use super::edge_commit;
use super::fields::{SelectField, TextField};
use super::parse::json_object;
use crate::core::model::Wire;
use crate::core::scenario::{Edge, EdgeKind};
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
    // The edge kinds the WIRING table allows between these two nodes; a choice is
    // offered when there is more than one.
    let choices: Vec<&'static Wire> = match (scenario.node(&e.from), scenario.node(&e.to)) {
        (Some(a), Some(b)) => crate::core::model::choices(a.kind(), b.kind()).collect(),
        _ => Vec::new(),
    };
    let kind_options: Vec<(AttrValue, AttrValue)> = choices
        .iter()
        .map(|w| (AttrValue::from(w.edge.as_str()), AttrValue::from(w.choice)))
        .collect();
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
            if choices.len() > 1 {
                <SelectField label="Edge kind" value={e.kind.as_str()}
                    options={kind_options}
                    on_commit={edge_commit(s, &e.id, move |e: &mut Edge, v: String| {
                        let Some(w) = choices.iter().find(|w| w.edge.as_str() == v) else { return Err(format!("unknown edge kind {v}")) };
                        e.kind = w.edge;
                        if e.kind == EdgeKind::AlternateExchange { e.routing_key = None; e.arguments.clear(); }
                        Ok(())
                    })} />
            }
            { fields }
        </form>
    }
}
