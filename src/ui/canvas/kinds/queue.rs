//! The queue node's view: its outline on the canvas, its live figures, the summary
//! under its name and its inspector form.

use super::n;
use super::opts;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::*;
use crate::ui::canvas::NodeCounters;
use crate::ui::inspector::fields::{CheckField, SelectField, TextField};
use crate::ui::inspector::node_commit;
use crate::ui::inspector::parse::*;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// Backlog slots drawn at the right of a queue.
const SLOTS: usize = 4;

/// One backlog slot: a short upright bar in the node's top right corner, clear of the
/// figures line below it and of the idle mark's corner.
fn slot(x: f64, y: f64, w: f64, _h: f64, i: usize, class: &'static str) -> Html {
    let sx = n(x + w - 24.0 - i as f64 * 8.0);
    html! { <line class={class} x1={sx.clone()} y1={n(y + 7.0)} x2={sx} y2={n(y + 31.0)} /> }
}

/// The outline at (x, y), in absolute coordinates, with its empty backlog slots.
pub fn shape(x: f64, y: f64, w: f64, h: f64) -> Html {
    html! {
        <>
            <rect class="shape" x={n(x)} y={n(y)} width={n(w)} height={n(h)} rx="6" />
            { for (0..SLOTS).map(|i| slot(x, y, w, h, i, "slot")) }
        </>
    }
}

/// How many backlog slots are lit for a queue this full (0..1): none when empty, all
/// when full, at least one as soon as anything waits.
pub fn lit_slots(fill: f64) -> usize {
    if fill <= 0.0 {
        0
    } else {
        ((fill.min(1.0) * SLOTS as f64).ceil() as usize).clamp(1, SLOTS)
    }
}

/// The live figures under the name.
pub fn figures(c: &NodeCounters, x: f64, y: f64) -> Html {
    let (tx, ty) = (n(x + 36.0), n(y + 50.0));
    let (w, h) = crate::core::model::kind_info(NodeKind::Queue).size;
    html! {
        <>
        // The backlog, honestly: one slot lit per quarter of the queue's length limit
        // (20 ready messages without one), from the right.
        { for (0..lit_slots(c.fill)).map(|i| slot(x, y, w, h, i, "slot lit")) }
        { priority_levels(c, x, y, w, h) }
        <text class="counters" x={tx} y={ty}>
            <title>{"ready: messages waiting for a consumer · unacked: delivered, not yet acknowledged"}</title>
            <tspan class="ready">{ format!("ready {}", c.ready) }</tspan>
            { " · " }
            <tspan class="unacked">{ format!("unacked {}", c.unacked) }</tspan>
        </text>
        </>
    }
}

/// A priority queue's backlog by level: the fill bar split into one segment per level
/// that holds messages, highest priority first (it is delivered first), each as wide as
/// its share, its shade rising with the level.
fn priority_levels(c: &NodeCounters, x: f64, y: f64, w: f64, h: f64) -> Html {
    let total: u64 = c.levels.iter().sum();
    if c.levels.len() < 2 || total == 0 {
        return html! {};
    }
    let width = (w - 16.0) * c.fill.clamp(0.0, 1.0);
    let top = c.levels.len() - 1;
    let mut left = x + 8.0;
    let tip = c
        .levels
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, n)| **n > 0)
        .map(|(level, n)| format!("priority {level}: {n} ready"))
        .collect::<Vec<_>>()
        .join(" · ");
    html! {
        <g class="priority-levels">
            <title>{ format!("delivered highest priority first — {tip}") }</title>
            { for c.levels.iter().enumerate().rev().filter(|(_, n)| **n > 0).map(|(level, count)| {
                let seg = width * *count as f64 / total as f64;
                let shade = (level * 3 / top.max(1)).min(3);
                let out = html! {
                    <rect class={classes!("prio-seg", format!("p{shade}"))} data-level={level.to_string()} data-count={count.to_string()}
                        x={n(left)} y={n(y + h - 9.0)} width={n(seg.max(1.0))} height="5" rx="1" />
                };
                left += seg;
                out
            }) }
        </g>
    }
}

/// The summary under the name when no run shows figures.
pub fn detail(node: &Node) -> String {
    let q = node.queue_spec();
    let mut parts = vec![];
    if let Some(t) = q.message_ttl_ms {
        parts.push(format!("ttl {t}ms"));
    }
    if let Some(m) = q.max_length {
        parts.push(format!("max {m}"));
    }
    if let Some(p) = q.max_priority {
        parts.push(format!("prio {p}"));
    }
    if parts.is_empty() {
        "queue".into()
    } else {
        parts.join(" · ")
    }
}

/// The inspector form's queue settings.
pub fn form(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let q = n.queue_spec();
    let id = n.id.as_str();
    let with = |f: fn(&mut crate::core::scenario::QueueSpec, String) -> Result<(), String>| {
        node_commit(s, id, move |n: &mut Node, v: String| {
            let mut spec = n.queue_spec();
            f(&mut spec, v)?;
            n.spec = NodeSpec::Queue(spec);
            Ok(())
        })
    };
    let sac = node_commit(s, id, |n: &mut Node, v: bool| {
        let mut spec = n.queue_spec();
        spec.single_active_consumer = v;
        n.spec = NodeSpec::Queue(spec);
        Ok(())
    });
    let durable = node_commit(s, id, |n: &mut Node, v: bool| {
        let mut spec = n.queue_spec();
        if !v && spec.queue_type == QueueType::Quorum {
            return Err("a quorum queue is always durable".into());
        }
        spec.durable = v;
        n.spec = NodeSpec::Queue(spec);
        Ok(())
    });
    html! {
        <>
            <CheckField label="Durable (survives a broker restart)" value={q.durable} on_commit={durable} />
            <SelectField label="Queue type" value={if q.queue_type == QueueType::Quorum { "quorum" } else { "classic" }} options={opts(&[("classic", "classic"), ("quorum", "quorum")])}
                on_commit={with(|q, v| { q.queue_type = if v == "quorum" { QueueType::Quorum } else { QueueType::Classic }; Ok(()) })} />
            <TextField label="Message TTL (ms)" value={show(q.message_ttl_ms)} hint="x-message-ttl. Empty: none." on_commit={with(|q, v| { q.message_ttl_ms = opt_f64(&v)?; Ok(()) })} />
            <TextField label="Max length" value={show(q.max_length)} hint="x-max-length (ready messages)." on_commit={with(|q, v| { q.max_length = opt_u64(&v, u64::MAX)?; Ok(()) })} />
            <TextField label="Max length bytes" value={show(q.max_length_bytes)} on_commit={with(|q, v| { q.max_length_bytes = opt_u64(&v, u64::MAX)?; Ok(()) })} />
            <SelectField label="Overflow" value={q.overflow.as_str()} options={opts(&[("drop-head", "drop-head"), ("reject-publish", "reject-publish"), ("reject-publish-dlx", "reject-publish-dlx")])}
                on_commit={with(|q, v| { q.overflow = match v.as_str() { "reject-publish" => Overflow::RejectPublish, "reject-publish-dlx" => Overflow::RejectPublishDlx, _ => Overflow::DropHead }; Ok(()) })} />
            <TextField label="Max priority" value={show(q.max_priority)} hint="x-max-priority, 1–255. Empty: no priorities." on_commit={with(|q, v| { q.max_priority = crate::ui::inspector::parse::opt_u64_in(&v, 1, 255)?.map(|p| p as u8); Ok(()) })} />
            <TextField label="Delivery limit" value={show(q.delivery_limit)} hint="Quorum queues only." on_commit={with(|q, v| { q.delivery_limit = opt_u64(&v, u32::MAX as u64)?.map(|l| l as u32); Ok(()) })} />
            <CheckField label="Single active consumer" value={q.single_active_consumer} on_commit={sac} />
        </>
    }
}
