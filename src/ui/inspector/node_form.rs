//! Inspector forms for producers, exchanges, queues and consumers.

use super::fields::{CheckField, SelectField, TextField};
use super::node_commit;
use super::parse::*;
use crate::core::scenario::{
    AckMode, ExchangeType, Node, NodeKind, Overflow, Processing, QueueType, Template,
};
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

fn opts(list: &[(&'static str, &'static str)]) -> Vec<(AttrValue, AttrValue)> {
    list.iter()
        .map(|(v, t)| (AttrValue::from(*v), AttrValue::from(*t)))
        .collect()
}

/// The form of one node.
#[function_component(NodeForm)]
pub fn node_form(p: &NodeFormProps) -> Html {
    let n = &p.node;
    let s = &p.state;
    let id = n.id.as_str();
    let name = html! {
        <TextField label="Name" value={n.name.clone()} hint={(n.kind == NodeKind::Exchange).then_some(AttrValue::from("An empty name is the default exchange."))}
            on_commit={node_commit(s, id, |n: &mut Node, v: String| { n.name = v; Ok(()) })} />
    };
    let specific = match n.kind {
        NodeKind::Producer => producer(s, n),
        NodeKind::Exchange => exchange(s, n),
        NodeKind::Queue => queue(s, n),
        NodeKind::Consumer => consumer(s, n),
    };
    html! {
        <form class="node-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <p class="kind-badge">{ n.kind.as_str() }<span class="muted">{ format!(" · id {}", n.id) }</span></p>
            { name }
            { specific }
        </form>
    }
}

fn producer(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let p = n.producer_spec();
    let id = n.id.as_str();
    let with = |f: fn(&mut crate::core::scenario::ProducerSpec, String) -> Result<(), String>| {
        node_commit(s, id, move |n: &mut Node, v: String| {
            let mut spec = n.producer_spec();
            f(&mut spec, v)?;
            n.producer = Some(spec);
            Ok(())
        })
    };
    html! {
        <>
            <TextField label="Rate (messages/s)" value={p.rate_per_sec.to_string()} on_commit={with(|p, v| { p.rate_per_sec = f64_req(&v)?; Ok(()) })} />
            <TextField label="Message count limit" value={show(p.count)} hint="Empty: no limit." on_commit={with(|p, v| { p.count = opt_u64(&v, 10_000_000)?; Ok(()) })} />
            <TextField label="Start at (ms)" value={p.start_ms.to_string()} on_commit={with(|p, v| { p.start_ms = f64_req(&v)?; Ok(()) })} />
            <TextField label="Routing key" value={p.routing_key.as_str().to_string()} hint="Placeholders: {n}, {producer}, {cycle:a|b}, {random:a|b}" on_commit={with(|p, v| { p.routing_key = Template::new(v); Ok(()) })} />
            <TextField label="Payload" value={p.payload.as_str().to_string()} on_commit={with(|p, v| { p.payload = Template::new(v); Ok(()) })} />
            <TextField label="Headers (JSON)" multiline=true value={serde_json::to_string(&p.headers).unwrap_or_default()} on_commit={with(|p, v| { p.headers = json_object(&v)?.into_iter().collect(); Ok(()) })} />
            <TextField label="Message id" value={p.message_id.as_str().to_string()} on_commit={with(|p, v| { p.message_id = Template::new(v); Ok(()) })} />
            <TextField label="Expiration (ms)" value={show(p.expiration_ms)} hint="Per-message TTL. Empty: none." on_commit={with(|p, v| { p.expiration_ms = opt_f64(&v)?; Ok(()) })} />
            <TextField label="Priority" value={p.priority.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default()} hint="A number or {cycle:1|5|9}. Empty: none." on_commit={with(|p, v| { p.priority = (!v.trim().is_empty()).then(|| Template::new(v.trim())); Ok(()) })} />
            <TextField label="Reply to (queue)" value={p.reply_to.clone().unwrap_or_default()} on_commit={with(|p, v| { p.reply_to = (!v.trim().is_empty()).then(|| v.trim().to_string()); Ok(()) })} />
            <TextField label="Bursts (JSON)" multiline=true value={serde_json::to_string(&p.bursts).unwrap_or_default()} hint="[{\"at_ms\": 5000, \"count\": 50, \"spread_ms\": 500}]"
                on_commit={with(|p, v| { p.bursts = if v.trim().is_empty() { vec![] } else { serde_json::from_str(&v).map_err(|e| format!("not a list of bursts: {e}"))? }; Ok(()) })} />
        </>
    }
}

fn exchange(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let kind = n.exchange_spec().kind;
    let commit = node_commit(s, &n.id, |n: &mut Node, v: String| {
        let kind = match v.as_str() {
            "direct" => ExchangeType::Direct,
            "fanout" => ExchangeType::Fanout,
            "topic" => ExchangeType::Topic,
            "headers" => ExchangeType::Headers,
            other => return Err(format!("unknown exchange type {other}")),
        };
        n.exchange = Some(crate::core::scenario::ExchangeSpec { kind });
        Ok(())
    });
    html! {
        <SelectField label="Exchange type" value={kind.as_str()} on_commit={commit}
            options={opts(&[("direct", "direct: exact key"), ("fanout", "fanout: every binding"), ("topic", "topic: * and # patterns"), ("headers", "headers: x-match")])} />
    }
}

fn queue(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let q = n.queue_spec();
    let id = n.id.as_str();
    let with = |f: fn(&mut crate::core::scenario::QueueSpec, String) -> Result<(), String>| {
        node_commit(s, id, move |n: &mut Node, v: String| {
            let mut spec = n.queue_spec();
            f(&mut spec, v)?;
            n.queue = Some(spec);
            Ok(())
        })
    };
    let sac = node_commit(s, id, |n: &mut Node, v: bool| {
        let mut spec = n.queue_spec();
        spec.single_active_consumer = v;
        n.queue = Some(spec);
        Ok(())
    });
    html! {
        <>
            <SelectField label="Queue type" value={if q.queue_type == QueueType::Quorum { "quorum" } else { "classic" }} options={opts(&[("classic", "classic"), ("quorum", "quorum")])}
                on_commit={with(|q, v| { q.queue_type = if v == "quorum" { QueueType::Quorum } else { QueueType::Classic }; Ok(()) })} />
            <TextField label="Message TTL (ms)" value={show(q.message_ttl_ms)} hint="x-message-ttl. Empty: none." on_commit={with(|q, v| { q.message_ttl_ms = opt_f64(&v)?; Ok(()) })} />
            <TextField label="Max length" value={show(q.max_length)} hint="x-max-length (ready messages)." on_commit={with(|q, v| { q.max_length = opt_u64(&v, u64::MAX)?; Ok(()) })} />
            <TextField label="Max length bytes" value={show(q.max_length_bytes)} on_commit={with(|q, v| { q.max_length_bytes = opt_u64(&v, u64::MAX)?; Ok(()) })} />
            <SelectField label="Overflow" value={q.overflow.as_str()} options={opts(&[("drop-head", "drop-head"), ("reject-publish", "reject-publish"), ("reject-publish-dlx", "reject-publish-dlx")])}
                on_commit={with(|q, v| { q.overflow = match v.as_str() { "reject-publish" => Overflow::RejectPublish, "reject-publish-dlx" => Overflow::RejectPublishDlx, _ => Overflow::DropHead }; Ok(()) })} />
            <TextField label="Max priority" value={show(q.max_priority)} hint="x-max-priority, 1–255. Empty: no priorities." on_commit={with(|q, v| { q.max_priority = opt_u64(&v, 255)?.map(|p| p as u8); Ok(()) })} />
            <TextField label="Delivery limit" value={show(q.delivery_limit)} hint="Quorum queues only." on_commit={with(|q, v| { q.delivery_limit = opt_u64(&v, u32::MAX as u64)?.map(|l| l as u32); Ok(()) })} />
            <CheckField label="Single active consumer" value={q.single_active_consumer} on_commit={sac} />
        </>
    }
}

fn consumer(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let c = n.consumer_spec();
    let id = n.id.as_str();
    let with = |f: fn(&mut crate::core::scenario::ConsumerSpec, String) -> Result<(), String>| {
        node_commit(s, id, move |n: &mut Node, v: String| {
            let mut spec = n.consumer_spec();
            f(&mut spec, v)?;
            n.consumer = Some(spec);
            Ok(())
        })
    };
    let flag = |f: fn(&mut crate::core::scenario::ConsumerSpec, bool)| {
        node_commit(s, id, move |n: &mut Node, v: bool| {
            let mut spec = n.consumer_spec();
            f(&mut spec, v);
            n.consumer = Some(spec);
            Ok(())
        })
    };
    let (dist, a, b) = match c.processing {
        Processing::Fixed { ms } => ("fixed", ms, ms),
        Processing::Uniform { min_ms, max_ms } => ("uniform", min_ms, max_ms),
        Processing::Exponential { mean_ms } => ("exponential", mean_ms, mean_ms),
    };
    html! {
        <>
            <TextField label="Prefetch" value={c.prefetch.to_string()} hint="basic.qos; 0 = unlimited." on_commit={with(|c, v| { c.prefetch = opt_u64(&v, 65_535)?.unwrap_or(0) as u32; Ok(()) })} />
            <SelectField label="Ack mode" value={if c.ack == AckMode::Auto { "auto" } else { "manual" }} options={opts(&[("manual", "manual ack (at-least-once)"), ("auto", "auto ack (at-most-once)")])}
                on_commit={with(|c, v| { c.ack = if v == "auto" { AckMode::Auto } else { AckMode::Manual }; Ok(()) })} />
            <SelectField label="Processing time" value={dist} options={opts(&[("fixed", "fixed"), ("uniform", "uniform"), ("exponential", "exponential")])}
                on_commit={with(|c, v| { let m = processing_mean(&c.processing); c.processing = match v.as_str() { "uniform" => Processing::Uniform { min_ms: m / 2.0, max_ms: m * 1.5 }, "exponential" => Processing::Exponential { mean_ms: m }, _ => Processing::Fixed { ms: m } }; Ok(()) })} />
            <TextField label={if dist == "uniform" { "Minimum (ms)" } else if dist == "exponential" { "Mean (ms)" } else { "Duration (ms)" }} value={a.to_string()}
                on_commit={with(|c, v| { let x = f64_req(&v)?; c.processing = match c.processing { Processing::Fixed { .. } => Processing::Fixed { ms: x }, Processing::Uniform { max_ms, .. } => Processing::Uniform { min_ms: x, max_ms: max_ms.max(x) }, Processing::Exponential { .. } => Processing::Exponential { mean_ms: x } }; Ok(()) })} />
            if dist == "uniform" {
                <TextField label="Maximum (ms)" value={b.to_string()}
                    on_commit={with(|c, v| { let x = f64_req(&v)?; if let Processing::Uniform { min_ms, .. } = c.processing { if x < min_ms { return Err("must be at least the minimum".into()); } c.processing = Processing::Uniform { min_ms, max_ms: x }; } Ok(()) })} />
            }
            <TextField label="Requeue probability" value={c.outcomes.requeue.to_string()} on_commit={with(|c, v| { c.outcomes.requeue = probability(&v)?; Ok(()) })} />
            <TextField label="Reject probability" value={c.outcomes.reject.to_string()} on_commit={with(|c, v| { c.outcomes.reject = probability(&v)?; Ok(()) })} />
            <TextField label="Crash probability" value={c.outcomes.crash.to_string()} on_commit={with(|c, v| { c.outcomes.crash = probability(&v)?; Ok(()) })} />
            <TextField label="Outcome pattern" value={pattern_text(&c.pattern)} hint="e.g. ack, ack, reject (repeats; overrides the probabilities)" on_commit={with(|c, v| { c.pattern = pattern(&v)?; Ok(()) })} />
            <TextField label="Restart after crash (ms)" value={c.restart_ms.to_string()} on_commit={with(|c, v| { c.restart_ms = f64_req(&v)?; Ok(()) })} />
            <TextField label="Outages (ms)" value={outages_text(&c.outages)} hint="e.g. 5000-15000, 30000-35000" on_commit={with(|c, v| { c.outages = outages(&v)?; Ok(()) })} />
            <CheckField label="Idempotent (skip seen message ids)" value={c.idempotent} on_commit={flag(|c, v| c.idempotent = v)} />
            <CheckField label="Reply to reply_to" value={c.reply} on_commit={flag(|c, v| c.reply = v)} />
        </>
    }
}

fn processing_mean(p: &Processing) -> f64 {
    match *p {
        Processing::Fixed { ms } => ms,
        Processing::Uniform { min_ms, max_ms } => (min_ms + max_ms) / 2.0,
        Processing::Exponential { mean_ms } => mean_ms,
    }
}
