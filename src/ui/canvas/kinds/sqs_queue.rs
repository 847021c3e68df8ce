//! The SQS queue node's view: its outline, its visible / in flight / delayed counts,
//! its first messages as cells (an in-flight cell shows the visibility left as a
//! shrinking bar; a message received before shows its receive count), the summary
//! under its name and its inspector form.

use super::n;
use crate::core::model::status::NodeStatus;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::*;
use crate::ui::canvas::NodeCounters;
use crate::ui::inspector::fields::{CheckField, TextField};
use crate::ui::inspector::parse::*;
use crate::ui::inspector::{fifo_commit, node_commit};
use crate::ui::state::EditorState;
use yew::prelude::*;

/// The outline at (x, y), in absolute coordinates.
pub fn shape(x: f64, y: f64, w: f64, h: f64) -> Html {
    html! {
        <>
            <rect class="shape" x={n(x)} y={n(y)} width={n(w)} height={n(h)} rx="10" />
            <rect class="cells" x={n(x + 36.0)} y={n(y + 48.0)} width={n(w - 46.0)} height="12" rx="2" />
        </>
    }
}

/// The counts and the message cells.
pub fn figures(c: &NodeCounters, x: f64, y: f64) -> Html {
    let Some(NodeStatus::SqsQueue {
        visible,
        in_flight,
        delayed,
        deleted,
        fifo,
        glance,
        visibility_timeout_ms,
    }) = c.store.as_deref()
    else {
        return html! {};
    };
    let (w, _) = crate::core::model::kind_info(NodeKind::SqsQueue).size;
    let cell_w = (w - 46.0) / crate::core::model::status::GLANCE as f64;
    let tip = format!(
        "visible: can be received now · in flight: received, invisible until deleted or its visibility timeout runs out · delayed: not visible yet · deleted so far: {deleted}{}",
        if *fifo { " · FIFO: a message group with a message in flight waits" } else { "" }
    );
    html! {
        <g class="sqs-figures" data-visible={visible.to_string()} data-in-flight={in_flight.to_string()} data-delayed={delayed.to_string()}>
            <text class="counters" x={n(x + 36.0)} y={n(y + 40.0)}>
                <title>{ tip }</title>
                <tspan class="ready">{ format!("visible {visible}") }</tspan>
                { " · " }
                <tspan class="unacked">{ format!("in flight {in_flight}") }</tspan>
                if *delayed > 0 { { format!(" · delayed {delayed}") } }
            </text>
            { for glance.iter().enumerate().map(|(i, m)| {
                let cx = x + 36.0 + i as f64 * cell_w;
                let left = m.remaining_ms.map(|r| (r / visibility_timeout_ms.max(1.0)).clamp(0.0, 1.0));
                let label = match (m.state, m.remaining_ms) {
                    (_, Some(r)) => format!("{}: {:.1} s left, received {} time{}", m.state.replace('_', " "), r / 1000.0, m.receive_count, if m.receive_count == 1 { "" } else { "s" }),
                    _ => format!("visible, received {} time{}", m.receive_count, if m.receive_count == 1 { "" } else { "s" }),
                };
                html! {
                    <g class={classes!("cell", m.state.to_string(), (m.receive_count > 1).then_some("repeat"))} data-receive-count={m.receive_count.to_string()}>
                        <title>{ label }</title>
                        <rect x={n(cx + 1.0)} y={n(y + 49.0)} width={n((cell_w - 2.0).max(1.0))} height="10" rx="1.5" />
                        if let (Some(f), "in_flight") = (left, m.state) {
                            <rect class="visibility-left" x={n(cx + 1.0)} y={n(y + 57.0)} width={n(((cell_w - 2.0) * f).max(0.5))} height="2" />
                        }
                        if m.receive_count > 1 {
                            <text class="receive-count" x={n(cx + cell_w / 2.0)} y={n(y + 57.5)} text-anchor="middle">{ m.receive_count.to_string() }</text>
                        }
                    </g>
                }
            }) }
        </g>
    }
}

/// The summary under the name when no run shows figures.
pub fn detail(node: &Node) -> String {
    let q = node.sqs_queue_spec();
    let kind = if q.fifo { "FIFO" } else { "standard" };
    format!(
        "{kind} · visibility {}",
        crate::editor::labels::ms_text(q.visibility_timeout_ms)
    )
}

/// The inspector form's queue settings.
pub fn form(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let q = n.sqs_queue_spec();
    let id = n.id.as_str();
    let with = |f: fn(&mut SqsQueueSpec, String) -> Result<(), String>| {
        node_commit(s, id, move |n: &mut Node, v: String| {
            let mut spec = n.sqs_queue_spec();
            f(&mut spec, v)?;
            n.spec = NodeSpec::SqsQueue(spec);
            Ok(())
        })
    };
    let flag = |f: fn(&mut SqsQueueSpec, bool)| {
        node_commit(s, id, move |n: &mut Node, v: bool| {
            let mut spec = n.sqs_queue_spec();
            f(&mut spec, v);
            n.spec = NodeSpec::SqsQueue(spec);
            Ok(())
        })
    };
    html! {
        <>
            <CheckField label="FIFO queue (ordered message groups; its name gets .fifo, and its topic and dead-letter queue switch with it)" value={q.fifo}
                on_commit={fifo_commit(s, n.id.as_str())} />
            <TextField label="Visibility timeout (ms)" value={q.visibility_timeout_ms.to_string()} hint="A received message is invisible this long unless deleted; then it is delivered again."
                on_commit={with(|q, v| { q.visibility_timeout_ms = f64_req(&v)?; Ok(()) })} />
            <TextField label="Delivery delay (ms)" value={q.delay_ms.to_string()} hint="New messages stay invisible (delayed) this long. Up to 900,000."
                on_commit={with(|q, v| { q.delay_ms = f64_req(&v)?; Ok(()) })} />
            <TextField label="Retention (ms)" value={q.retention_ms.to_string()} hint="Older messages are deleted. 60,000 to 1,209,600,000 (14 days)."
                on_commit={with(|q, v| { q.retention_ms = f64_req(&v)?; Ok(()) })} />
            <TextField label="Receive wait (ms)" value={q.receive_wait_ms.to_string()} hint="Long polling: an empty receive waits up to this long for a message. 0: short polling."
                on_commit={with(|q, v| { q.receive_wait_ms = f64_req(&v)?; Ok(()) })} />
            if q.fifo {
                <CheckField label="Content-based deduplication (same body within 5 minutes: stored once)" value={q.content_based_dedup}
                    on_commit={flag(|q, v| q.content_based_dedup = v)} />
            }
        </>
    }
}
