//! Inspector forms for edges: binding keys and header arguments, the kind of an
//! exchange-to-exchange edge, dead-letter and forward routing keys, a Kafka consume
//! edge's group settings.

use super::edge_commit;
use super::fields::{SelectField, TextField};
use super::parse::json_object;
use crate::core::model::Wire;
use crate::core::scenario::{Assignor, CommitMode, ConsumeSpec, Edge, EdgeKind, OffsetReset};
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

/// A consume edge's settings: the consumer group and how its member reads.
fn consume_fields(s: &UseReducerHandle<EditorState>, e: &Edge) -> Html {
    let c = e.consume.clone().unwrap_or_default();
    let with = |f: fn(&mut ConsumeSpec, String) -> Result<(), String>| {
        edge_commit(s, &e.id, move |e: &mut Edge, v: String| {
            let mut spec = e.consume.clone().unwrap_or_default();
            f(&mut spec, v)?;
            e.consume = Some(spec);
            Ok(())
        })
    };
    let options = |list: &[(&'static str, &'static str)]| -> Vec<(AttrValue, AttrValue)> {
        list.iter()
            .map(|(v, t)| (AttrValue::from(*v), AttrValue::from(*t)))
            .collect()
    };
    let commit = match c.commit {
        CommitMode::Auto => "auto",
        CommitMode::After => "after",
        CommitMode::Before => "before",
    };
    let reset = match c.auto_offset_reset {
        OffsetReset::Latest => "latest",
        OffsetReset::Earliest => "earliest",
    };
    html! {
        <>
            <TextField label="Consumer group" value={c.group.clone()} hint="Members of one group share the partitions; another group reads everything again."
                on_commit={with(|c, v| { if v.trim().is_empty() { return Err("a consumer group needs a name".into()) } c.group = v.trim().to_string(); Ok(()) })} />
            <SelectField label="Assignor" value={c.assignor.as_str()}
                options={options(&[("range", "range"), ("roundrobin", "round robin"), ("sticky", "sticky"), ("cooperative-sticky", "cooperative sticky")])}
                on_commit={with(|c, v| { c.assignor = match v.as_str() { "roundrobin" => Assignor::RoundRobin, "sticky" => Assignor::Sticky, "cooperative-sticky" => Assignor::CooperativeSticky, _ => Assignor::Range }; Ok(()) })} />
            <SelectField label="Commit" value={commit}
                options={options(&[("auto", "auto (every interval)"), ("after", "after processing (at-least-once)"), ("before", "before processing (at-most-once)")])}
                on_commit={with(|c, v| { c.commit = match v.as_str() { "after" => CommitMode::After, "before" => CommitMode::Before, _ => CommitMode::Auto }; Ok(()) })} />
            <TextField label="Auto-commit interval (ms)" value={c.auto_commit_interval_ms.to_string()}
                on_commit={with(|c, v| { c.auto_commit_interval_ms = super::parse::f64_req(&v)?; Ok(()) })} />
            <SelectField label="Offset reset" value={reset}
                options={options(&[("latest", "latest (only new records)"), ("earliest", "earliest (everything held)")])}
                on_commit={with(|c, v| { c.auto_offset_reset = if v == "earliest" { OffsetReset::Earliest } else { OffsetReset::Latest }; Ok(()) })} />
            <TextField label="Max poll records" value={c.max_poll_records.to_string()}
                on_commit={with(|c, v| { c.max_poll_records = super::parse::opt_u64(&v, 100_000)?.ok_or("needs a number")? as u32; Ok(()) })} />
            <TextField label="Session timeout (ms)" value={c.session_timeout_ms.to_string()} hint="How long a crashed member keeps its partitions, unread."
                on_commit={with(|c, v| { c.session_timeout_ms = super::parse::f64_req(&v)?; Ok(()) })} />
            <TextField label="Max poll interval (ms)" value={c.max_poll_interval_ms.to_string()} hint="A member slower than this between polls is evicted."
                on_commit={with(|c, v| { c.max_poll_interval_ms = super::parse::f64_req(&v)?; Ok(()) })} />
        </>
    }
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
        EdgeKind::Consume => consume_fields(s, e),
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
