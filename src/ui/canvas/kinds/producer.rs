//! The producer node's view: its outline on the canvas, its live figures, the summary
//! under its name and its inspector form.

use super::n;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::*;
use crate::ui::canvas::NodeCounters;
use crate::ui::inspector::fields::TextField;
use crate::ui::inspector::node_commit;
use crate::ui::inspector::parse::*;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// The outline at (x, y), in absolute coordinates.
pub fn shape(x: f64, y: f64, w: f64, h: f64) -> Html {
    html! { <rect class="shape" x={n(x)} y={n(y)} width={n(w)} height={n(h)} rx="28" /> }
}

/// The live figures under the name.
pub fn figures(c: &NodeCounters, x: f64, y: f64) -> Html {
    let (tx, ty) = (n(x + 36.0), n(y + 46.0));
    html! {
        <>
        <text class={classes!("counters", c.busy.then_some("blocked"))} x={tx} y={ty}>
            { format!("published {}", c.published) }
        </text>
        if c.busy {
            <text class="blocked-flag" x={n(x + 132.0)} y={n(y + 13.0)} text-anchor="end">
                <title>{"Every ZeroMQ pipe it pushes to is full (or no peer is connected): it waits, and its rate falls"}</title>
                {"blocked"}
            </text>
        }
        </>
    }
}

/// The summary under the name when no run shows figures.
pub fn detail(node: &Node) -> String {
    let p = node.producer_spec();
    format!("{}/s · key {}", p.rate_per_sec, p.routing_key.as_str())
}

/// The inspector form's producer settings.
pub fn form(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let p = n.producer_spec();
    let id = n.id.as_str();
    let with = |f: fn(&mut crate::core::scenario::ProducerSpec, String) -> Result<(), String>| {
        node_commit(s, id, move |n: &mut Node, v: String| {
            let mut spec = n.producer_spec();
            f(&mut spec, v)?;
            n.spec = NodeSpec::Producer(spec);
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
            <TextField label="Headers (JSON)" multiline=true value={serde_json::to_string(&p.headers).unwrap_or_default()} on_commit={with(|p, v| { p.headers = json_object(&v, HEADERS_EXAMPLE)?.into_iter().collect(); Ok(()) })} />
            <TextField label="Message id" value={p.message_id.as_str().to_string()} on_commit={with(|p, v| { p.message_id = Template::new(v); Ok(()) })} />
            <TextField label="Expiration (ms)" value={show(p.expiration_ms)} hint="Per-message TTL. Empty: none." on_commit={with(|p, v| { p.expiration_ms = opt_f64(&v)?; Ok(()) })} />
            <TextField label="Delivery mode" value={show(p.delivery_mode)} hint="1 transient (empty), 2 persistent: a durable queue keeps it through a broker restart." on_commit={with(|p, v| { p.delivery_mode = match opt_u64(&v, 2)? { None | Some(1) => None, Some(2) => Some(2), Some(_) => return Err("1 (transient) or 2 (persistent)".into()) }; Ok(()) })} />
            <TextField label="Priority" value={p.priority.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default()} hint="A number or {cycle:1|5|9}. Empty: none." on_commit={with(|p, v| { p.priority = (!v.trim().is_empty()).then(|| Template::new(v.trim())); Ok(()) })} />
            <TextField label="Kafka key" value={p.key.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default()} hint="For a topic: records with one key keep their order in one partition. Empty: no key (sticky)."
                on_commit={with(|p, v| { p.key = (!v.is_empty()).then(|| Template::new(v)); Ok(()) })} />
            <TextField label="Kafka partition" value={show(p.partition)} hint="Empty: the default partitioner."
                on_commit={with(|p, v| { p.partition = opt_u64(&v, 63)?.map(|x| x as u32); Ok(()) })} />
            <TextField label="Message group id" value={p.group_id.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default()} hint="SQS/SNS FIFO: messages of one group keep their order, e.g. order-{cycle:a|b|c}. Empty: none."
                on_commit={with(|p, v| { p.group_id = (!v.trim().is_empty()).then(|| Template::new(v.trim())); Ok(()) })} />
            <TextField label="Deduplication id" value={p.dedup_id.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default()} hint="SQS/SNS FIFO: a repeat within 5 minutes is not stored. Empty: the queue's content-based deduplication."
                on_commit={with(|p, v| { p.dedup_id = (!v.trim().is_empty()).then(|| Template::new(v.trim())); Ok(()) })} />
            <TextField label="Message attributes (JSON)" multiline=true value={serde_json::to_string(&p.attributes).unwrap_or_default()} hint="SQS/SNS: what filter policies read, e.g. {\"type\": \"{cycle:order|refund}\", \"amount\": 40}"
                on_commit={with(|p, v| { p.attributes = json_object(&v, ATTRIBUTES_EXAMPLE)?.into_iter().collect(); Ok(()) })} />
            <TextField label="Reply to (queue)" value={p.reply_to.clone().unwrap_or_default()} on_commit={with(|p, v| { p.reply_to = (!v.trim().is_empty()).then(|| v.trim().to_string()); Ok(()) })} />
            <TextField label="Bursts (JSON)" multiline=true value={serde_json::to_string(&p.bursts).unwrap_or_default()} hint="[{\"at_ms\": 5000, \"count\": 50, \"spread_ms\": 500}]"
                on_commit={with(|p, v| { p.bursts = if v.trim().is_empty() { vec![] } else { serde_json::from_str(&v).map_err(|e| format!("not a list of bursts: {e}"))? }; Ok(()) })} />
        </>
    }
}
