//! The consumer node's view: its outline on the canvas, its live figures, the summary
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

/// The outline at (x, y), in absolute coordinates.
pub fn shape(x: f64, y: f64, w: f64, h: f64) -> Html {
    html! { <rect class="shape" x={n(x)} y={n(y)} width={n(w)} height={n(h)} rx="10" /> }
}

/// The live figures under the name.
pub fn figures(c: &NodeCounters, x: f64, y: f64) -> Html {
    let (tx, ty) = (n(x + 36.0), n(y + 46.0));
    let slots = if c.prefetch == 0 {
        format!("{}/∞", c.held)
    } else {
        format!("{}/{}", c.held, c.prefetch)
    };
    let state = if !c.online {
        "down"
    } else if c.busy {
        "busy"
    } else if c.held > 0 {
        // A delivery is on its way to it (or waiting in it): not idle.
        "receiving"
    } else {
        "idle"
    };
    // A long line (big counts, "receiving") is squeezed into the box, not cut off.
    let (w, _) = crate::core::model::kind_info(NodeKind::Consumer).size;
    let chars = format!("processed {} · {state} · {slots}", c.processed)
        .chars()
        .count();
    let squeeze = chars > 24;
    html! {
        <text class="counters" x={tx} y={ty}
            textLength={squeeze.then(|| n(w - 48.0))}
            lengthAdjust={squeeze.then_some("spacingAndGlyphs")}>
            <title>{"processed: messages whose work was done · state: busy, receiving, idle or down · held/prefetch: deliveries it holds unacknowledged, out of its prefetch limit (∞: none)"}</title>
            <tspan class="processed">{ format!("processed {}", c.processed) }</tspan>
            { format!(" · {state} · {slots}") }
        </text>
    }
}

/// The summary under the name when no run shows figures.
pub fn detail(node: &Node) -> String {
    let c = node.consumer_spec();
    let prefetch = if c.prefetch == 0 {
        "∞".to_string()
    } else {
        c.prefetch.to_string()
    };
    format!("prefetch {prefetch} · {:?} ack", c.ack).to_lowercase()
}

/// The inspector form's consumer settings.
pub fn form(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let c = n.consumer_spec();
    let id = n.id.as_str();
    let with = |f: fn(&mut crate::core::scenario::ConsumerSpec, String) -> Result<(), String>| {
        node_commit(s, id, move |n: &mut Node, v: String| {
            let mut spec = n.consumer_spec();
            f(&mut spec, v)?;
            n.spec = NodeSpec::Consumer(spec);
            Ok(())
        })
    };
    let flag = |f: fn(&mut crate::core::scenario::ConsumerSpec, bool)| {
        node_commit(s, id, move |n: &mut Node, v: bool| {
            let mut spec = n.consumer_spec();
            f(&mut spec, v);
            n.spec = NodeSpec::Consumer(spec);
            Ok(())
        })
    };
    let (dist, a, b) = match c.processing {
        Processing::Fixed { ms } => ("fixed", ms, ms),
        Processing::Uniform { min_ms, max_ms } => ("uniform", min_ms, max_ms),
        Processing::Exponential { mean_ms } => ("exponential", mean_ms, mean_ms),
    };
    let elsewhere = reads_elsewhere(&s.0.scenario, id);
    html! {
        <>
            if let Some(note) = elsewhere {
                <p class="muted field-note">{ note }</p>
            } else {
                <TextField label="Prefetch" value={c.prefetch.to_string()} hint="basic.qos; 0 = unlimited." on_commit={with(|c, v| { c.prefetch = count_in(&v, 0, 65_535)? as u32; Ok(()) })} />
                <SelectField label="Ack mode" value={if c.ack == AckMode::Auto { "auto" } else { "manual" }} options={opts(&[("manual", "manual ack (at-least-once)"), ("auto", "auto ack (at-most-once)")])}
                    on_commit={with(|c, v| { c.ack = if v == "auto" { AckMode::Auto } else { AckMode::Manual }; Ok(()) })} />
            }
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
            if elsewhere.is_none() {
                <CheckField label="Reply to reply_to" value={c.reply} on_commit={flag(|c, v| c.reply = v)} />
            }
        </>
    }
}

/// For a consumer that reads only from other systems than RabbitMQ (nothing comes to it
/// from a RabbitMQ queue, and something comes from elsewhere): where its window is set
/// instead of RabbitMQ's prefetch and ack mode, which it does not use.
fn reads_elsewhere(scenario: &crate::core::Scenario, id: &str) -> Option<&'static str> {
    use crate::core::scenario::NodeKind;
    let mut from = scenario
        .edges
        .iter()
        .filter(|e| e.to == id)
        .filter_map(|e| scenario.node(&e.from).map(|n| n.kind()))
        .filter(|k| *k != NodeKind::Producer && *k != NodeKind::Exchange)
        .peekable();
    from.peek()?;
    let kinds: Vec<NodeKind> = from.collect();
    if kinds.contains(&NodeKind::Queue) {
        return None;
    }
    Some(match kinds[0] {
        NodeKind::KafkaTopic => "Reads a Kafka topic: how many records one poll takes, and when offsets are committed, are set on its connection from the topic (RabbitMQ's prefetch and ack mode do not apply).",
        NodeKind::SqsQueue => "Receives from an SQS queue: how many messages one receive takes, and when they are deleted, are set on its connection from the queue (RabbitMQ's prefetch and ack mode do not apply).",
        NodeKind::SnsTopic => "Subscribed to an SNS topic: each message is pushed to it as it is published (RabbitMQ's prefetch and ack mode do not apply).",
        _ => "Reads ZeroMQ pipes: it takes one message at a time, as fast as it works (RabbitMQ's prefetch and ack mode do not apply).",
    })
}

fn processing_mean(p: &Processing) -> f64 {
    match *p {
        Processing::Fixed { ms } => ms,
        Processing::Uniform { min_ms, max_ms } => (min_ms + max_ms) / 2.0,
        Processing::Exponential { mean_ms } => mean_ms,
    }
}
