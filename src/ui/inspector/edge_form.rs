//! Inspector forms for edges: binding keys and header arguments, the kind of an
//! exchange-to-exchange edge, dead-letter and forward routing keys, a Kafka consume
//! edge's group settings.

use super::edge_commit;
use super::fields::{SelectField, TextField};
use super::parse::{json_object, BINDING_EXAMPLE};
use crate::core::model::Wire;
use crate::core::scenario::{
    Assignor, CommitMode, ConsumeSpec, DeleteMode, Edge, EdgeKind, OffsetReset, PolicyScope,
};
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
                on_commit={with(|c, v| { c.auto_commit_interval_ms = super::parse::positive(&v)?; Ok(()) })} />
            <SelectField label="Offset reset" value={reset}
                options={options(&[("latest", "latest (only new records)"), ("earliest", "earliest (everything held)")])}
                on_commit={with(|c, v| { c.auto_offset_reset = if v == "earliest" { OffsetReset::Earliest } else { OffsetReset::Latest }; Ok(()) })} />
            <TextField label="Max poll records" value={c.max_poll_records.to_string()}
                on_commit={with(|c, v| { c.max_poll_records = super::parse::count_in(&v, 1, 100_000)? as u32; Ok(()) })} />
            <TextField label="Session timeout (ms)" value={c.session_timeout_ms.to_string()} hint="How long a crashed member keeps its partitions, unread."
                on_commit={with(|c, v| { c.session_timeout_ms = super::parse::positive(&v)?; Ok(()) })} />
            <TextField label="Max poll interval (ms)" value={c.max_poll_interval_ms.to_string()} hint="A member slower than this between polls is evicted."
                on_commit={with(|c, v| { c.max_poll_interval_ms = super::parse::positive(&v)?; Ok(()) })} />
        </>
    }
}

/// A receive edge's settings: how the worker calls ReceiveMessage and DeleteMessage.
fn receive_fields(s: &UseReducerHandle<EditorState>, e: &Edge) -> Html {
    let r = e.receive.clone().unwrap_or_default();
    let with = |f: fn(&mut crate::core::scenario::ReceiveSpec, String) -> Result<(), String>| {
        edge_commit(s, &e.id, move |e: &mut Edge, v: String| {
            let mut spec = e.receive.clone().unwrap_or_default();
            f(&mut spec, v)?;
            e.receive = Some(spec);
            Ok(())
        })
    };
    let options = vec![
        (
            AttrValue::from("after"),
            AttrValue::from("after processing (at-least-once)"),
        ),
        (
            AttrValue::from("before"),
            AttrValue::from("before processing (at-most-once)"),
        ),
        (
            AttrValue::from("never"),
            AttrValue::from("never (forgot to delete)"),
        ),
    ];
    let show = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    html! {
        <>
            <TextField label="Max messages per receive" value={r.max_messages.to_string()} hint="1–10."
                on_commit={with(|r, v| { r.max_messages = super::parse::opt_u64_in(&v, 1, 10)?.ok_or("needs a number from 1 to 10")? as u32; Ok(()) })} />
            <TextField label="Wait (ms)" value={show(r.wait_ms)} hint="Long polling, up to 20,000. Empty: the queue's receive wait."
                on_commit={with(|r, v| { r.wait_ms = super::parse::opt_f64(&v)?; Ok(()) })} />
            <TextField label="Visibility timeout (ms)" value={show(r.visibility_timeout_ms)} hint="For messages this worker receives. Empty: the queue's."
                on_commit={with(|r, v| { r.visibility_timeout_ms = super::parse::opt_f64(&v)?; Ok(()) })} />
            <SelectField label="Delete" value={r.delete.as_str()} options={options}
                on_commit={with(|r, v| { r.delete = match v.as_str() { "before" => DeleteMode::Before, "never" => DeleteMode::Never, _ => DeleteMode::After }; Ok(()) })} />
        </>
    }
}

/// A subscribe edge's settings: filter policy, its scope, raw delivery.
fn subscribe_fields(s: &UseReducerHandle<EditorState>, e: &Edge) -> Html {
    let sub = e.subscribe.clone().unwrap_or_default();
    let policy = sub
        .filter_policy
        .as_ref()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let scope = match sub.filter_policy_scope {
        PolicyScope::MessageAttributes => "message_attributes",
        PolicyScope::MessageBody => "message_body",
    };
    let options = vec![
        (
            AttrValue::from("message_attributes"),
            AttrValue::from("message attributes"),
        ),
        (
            AttrValue::from("message_body"),
            AttrValue::from("message body (JSON)"),
        ),
    ];
    html! {
        <>
            <TextField label="Filter policy (JSON)" multiline=true value={policy} hint="e.g. {\"type\": [\"order\"], \"amount\": [{\"numeric\": [\">\", 100]}]}. Empty: every message."
                on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| {
                    let mut spec = e.subscribe.clone().unwrap_or_default();
                    spec.filter_policy = if v.trim().is_empty() { None } else { Some(serde_json::from_str(&v).map_err(|x| format!("not JSON: {x}"))?) };
                    e.subscribe = Some(spec);
                    Ok(())
                })} />
            <SelectField label="Filter policy scope" value={scope} options={options}
                on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| {
                    let mut spec = e.subscribe.clone().unwrap_or_default();
                    spec.filter_policy_scope = if v == "message_body" { PolicyScope::MessageBody } else { PolicyScope::MessageAttributes };
                    e.subscribe = Some(spec);
                    Ok(())
                })} />
            <super::fields::CheckField label="Raw message delivery (no JSON envelope)" value={sub.raw_delivery}
                on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: bool| {
                    let mut spec = e.subscribe.clone().unwrap_or_default();
                    spec.raw_delivery = v;
                    e.subscribe = Some(spec);
                    Ok(())
                })} />
        </>
    }
}

/// A button naming one end of an edge (`which`: "from" or "to") that selects its node.
fn endpoint(s: &UseReducerHandle<EditorState>, id: &str, name: &str, which: &str) -> Html {
    let select = {
        let (s, id) = (s.clone(), id.to_string());
        Callback::from(move |_: MouseEvent| {
            crate::ui::focus_rescue::focus_panel_if_lost();
            s.dispatch(crate::editor::Action::SelectNode {
                id: id.clone(),
                additive: false,
            })
        })
    };
    let shown = if name.is_empty() {
        "(default exchange)"
    } else {
        name
    };
    html! {
        <button type="button" class="endpoint" title={format!("Select the node this edge comes {which}")} onclick={select}>{ shown.to_string() }</button>
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
                    on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| { e.arguments = json_object(&v, BINDING_EXAMPLE)?; Ok(()) })} />
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
        EdgeKind::Receive => receive_fields(s, e),
        EdgeKind::Subscribe => subscribe_fields(s, e),
        EdgeKind::Push => html! {
            <TextField label="High-water mark" value={e.push.clone().unwrap_or_default().hwm.to_string()} hint="Most messages the pipe holds; when every pipe of the sender is full, it blocks."
                on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| {
                    let hwm = super::parse::opt_u64_in(&v, 1, 1_000_000)?.ok_or("needs a number from 1 to 1,000,000")? as u32;
                    if hwm == 0 { return Err("must be at least 1".into()) }
                    e.push = Some(crate::core::scenario::PushSpec { hwm });
                    Ok(())
                })} />
        },
        EdgeKind::Pub => {
            let spec = e.pub_pipe.clone().unwrap_or_default();
            html! {
                <>
                    <TextField label="Subscription prefix" value={spec.prefix.clone()} hint="Messages whose payload starts with this reach the subscriber. Empty: all."
                        on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| {
                            let mut spec = e.pub_pipe.clone().unwrap_or_default();
                            spec.prefix = v;
                            e.pub_pipe = Some(spec);
                            Ok(())
                        })} />
                    <TextField label="High-water mark" value={spec.hwm.to_string()} hint="Most messages the pipe holds; a publisher drops what a full subscriber cannot take."
                        on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| {
                            let hwm = super::parse::opt_u64_in(&v, 1, 1_000_000)?.ok_or("needs a number from 1 to 1,000,000")? as u32;
                            if hwm == 0 { return Err("must be at least 1".into()) }
                            let mut spec = e.pub_pipe.clone().unwrap_or_default();
                            spec.hwm = hwm;
                            e.pub_pipe = Some(spec);
                            Ok(())
                        })} />
                </>
            }
        }
        EdgeKind::Redrive => html! {
            <TextField label="Max receive count" value={e.redrive.clone().unwrap_or_default().max_receive_count.to_string()} hint="maxReceiveCount: the receive that would exceed it moves the message to this dead-letter queue. 1–1000."
                on_commit={edge_commit(s, &e.id, |e: &mut Edge, v: String| {
                    let n = super::parse::opt_u64_in(&v, 1, 1000)?.ok_or("needs a number from 1 to 1000")? as u32;
                    e.redrive = Some(crate::core::scenario::RedriveSpec { max_receive_count: n });
                    Ok(())
                })} />
        },
        EdgeKind::Call => super::call_form::call_fields(s, scenario, e),
        _ => html! {},
    };
    html! {
        <form class="edge-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            // Its two ends select their node: the way back from an edge by keyboard.
            <p class="kind-badge">{ e.kind.as_str() }<span class="muted">{" · "}</span>
                { endpoint(s, &e.from, &name(&e.from), "from") }<span class="muted">{" → "}</span>{ endpoint(s, &e.to, &name(&e.to), "to") }</p>
            if choices.len() > 1 {
                <SelectField label="Edge kind" value={e.kind.as_str()}
                    options={kind_options}
                    on_commit={edge_commit(s, &e.id, move |e: &mut Edge, v: String| {
                        let Some(w) = choices.iter().find(|w| w.edge.as_str() == v) else { return Err(format!("unknown edge kind {v}")) };
                        // A key, arguments or a section of the kind it was no longer fits.
                        e.retype(w.edge);
                        Ok(())
                    })} />
            }
            { fields }
        </form>
    }
}
