//! The service node's view: its outline (a box with a band of worker slots), its live
//! figures (busy workers, backlog, requests served), the summary under its name and its
//! inspector form.

use super::{n, opts};
use crate::core::model::status::NodeStatus;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::*;
use crate::ui::canvas::NodeCounters;
use crate::ui::inspector::fields::{SelectField, TextField};
use crate::ui::inspector::node_commit;
use crate::ui::inspector::parse::*;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// Worker slots drawn one by one; more are drawn as one bar.
const SLOTS: u64 = 14;

/// The outline at (x, y), in absolute coordinates.
pub fn shape(x: f64, y: f64, w: f64, h: f64) -> Html {
    html! {
        <>
            <rect class="shape" x={n(x)} y={n(y)} width={n(w)} height={n(h)} rx="4" />
            <line class="service-band" x1={n(x)} y1={n(y + 6.0)} x2={n(x + w)} y2={n(y + 6.0)} />
        </>
    }
}

/// The live figures: worker slots (filled when busy), then busy · backlog · served.
pub fn figures(c: &NodeCounters, x: f64, y: f64) -> Html {
    let Some(NodeStatus::Service {
        busy,
        workers,
        backlog,
        backlog_limit,
        served,
        failed,
        refused,
        online,
        ..
    }) = c.store.as_deref()
    else {
        return html! {};
    };
    let (w, h) = crate::core::model::kind_info(NodeKind::Service).size;
    let slots: Html = if *workers <= SLOTS {
        (0..*workers)
            .map(|i| {
                let class = if i < *busy { "slot busy" } else { "slot" };
                html! { <rect class={class} x={n(x + 36.0 + i as f64 * 9.0)} y={n(y + 55.0)} width="7" height="7" rx="1" /> }
            })
            .collect()
    } else {
        let full = (*busy as f64 / *workers as f64).min(1.0);
        html! {
            <>
                <rect class="slot" x={n(x + 36.0)} y={n(y + 55.0)} width={n(w - 48.0)} height="7" rx="1" />
                <rect class="slot busy" x={n(x + 36.0)} y={n(y + 55.0)} width={n((w - 48.0) * full)} height="7" rx="1" />
            </>
        }
    };
    let fill = if *backlog_limit == 0 {
        0.0
    } else {
        (*backlog as f64 / *backlog_limit as f64).min(1.0)
    };
    let state = if *online { "" } else { " · down" };
    let text = format!("busy {busy}/{workers} · backlog {backlog} · served {served}{state}");
    let squeeze = text.chars().count() > 30;
    html! {
        <>
            { slots }
            <rect class={if fill >= 1.0 { "backlog-bar full" } else { "backlog-bar" }} x={n(x)} y={n(y + h - 4.0)} width={n(w * fill)} height="4" />
            <text class="counters" x={n(x + 36.0)} y={n(y + 46.0)}
                data-busy={busy.to_string()} data-backlog={backlog.to_string()} data-served={served.to_string()}
                data-failed={failed.to_string()} data-refused={refused.to_string()}
                textLength={squeeze.then(|| n(w - 48.0))}
                lengthAdjust={squeeze.then_some("spacingAndGlyphs")}>
                <title>{ format!("busy: workers working on a request or waiting for a call they made · backlog: requests waiting (at most {backlog_limit}; one more is refused) · served: answered ok ({failed} answered with an error, {refused} refused)") }</title>
                { text }
            </text>
        </>
    }
}

/// The summary under the name when no run shows figures.
pub fn detail(node: &Node) -> String {
    let s = node.service_spec();
    format!("{} workers · backlog {}", s.workers, s.backlog)
}

/// The inspector form's service settings.
pub fn form(st: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let s = n.service_spec();
    let id = n.id.as_str();
    let with = |f: fn(&mut ServiceSpec, String) -> Result<(), String>| {
        node_commit(st, id, move |n: &mut Node, v: String| {
            let mut spec = n.service_spec();
            f(&mut spec, v)?;
            n.spec = NodeSpec::Service(spec);
            Ok(())
        })
    };
    let (dist, a, b) = match s.processing {
        Processing::Fixed { ms } => ("fixed", ms, ms),
        Processing::Uniform { min_ms, max_ms } => ("uniform", min_ms, max_ms),
        Processing::Exponential { mean_ms } => ("exponential", mean_ms, mean_ms),
    };
    html! {
        <>
            <TextField label="Workers" value={s.workers.to_string()} hint="Requests (or messages) handled at once." on_commit={with(|s, v| { s.workers = count_in(&v, 1, 10_000)? as u32; Ok(()) })} />
            <TextField label="Backlog" value={s.backlog.to_string()} hint="Requests that may wait for a free worker; one more is refused." on_commit={with(|s, v| { s.backlog = count_in(&v, 0, 10_000)? as u32; Ok(()) })} />
            <SelectField label="Processing time" value={dist} options={opts(&[("fixed", "fixed"), ("uniform", "uniform"), ("exponential", "exponential")])}
                on_commit={with(|s, v| { let m = mean(&s.processing); s.processing = match v.as_str() { "uniform" => Processing::Uniform { min_ms: m / 2.0, max_ms: m * 1.5 }, "exponential" => Processing::Exponential { mean_ms: m }, _ => Processing::Fixed { ms: m } }; Ok(()) })} />
            <TextField label={if dist == "uniform" { "Minimum (ms)" } else if dist == "exponential" { "Mean (ms)" } else { "Duration (ms)" }} value={a.to_string()}
                on_commit={with(|s, v| { let x = f64_req(&v)?; s.processing = match s.processing { Processing::Fixed { .. } => Processing::Fixed { ms: x }, Processing::Uniform { max_ms, .. } => Processing::Uniform { min_ms: x, max_ms: max_ms.max(x) }, Processing::Exponential { .. } => Processing::Exponential { mean_ms: x } }; Ok(()) })} />
            if dist == "uniform" {
                <TextField label="Maximum (ms)" value={b.to_string()}
                    on_commit={with(|s, v| { let x = f64_req(&v)?; if let Processing::Uniform { min_ms, .. } = s.processing { if x < min_ms { return Err("must be at least the minimum".into()); } s.processing = Processing::Uniform { min_ms, max_ms: x }; } Ok(()) })} />
            }
            <TextField label="Failure probability" value={s.failure.to_string()} hint="A failed request gets an error reply; a failed message is rejected." on_commit={with(|s, v| { s.failure = probability(&v)?; Ok(()) })} />
            <TextField label="Crash probability" value={s.crash.to_string()} on_commit={with(|s, v| { s.crash = probability(&v)?; Ok(()) })} />
            <TextField label="Outcome pattern" value={service_pattern_text(&s.pattern)} hint="e.g. ok, ok, error (repeats; overrides the probabilities)" on_commit={with(|s, v| { s.pattern = service_pattern(&v)?; Ok(()) })} />
            <TextField label="Restart after crash (ms)" value={s.restart_ms.to_string()} on_commit={with(|s, v| { s.restart_ms = f64_req(&v)?; Ok(()) })} />
            <TextField label="Outages (ms)" value={outages_text(&s.outages)} hint="e.g. 10000-25000: calls to it fail at once meanwhile" on_commit={with(|s, v| { s.outages = outages(&v)?; Ok(()) })} />
        </>
    }
}

fn mean(p: &Processing) -> f64 {
    match *p {
        Processing::Fixed { ms } => ms,
        Processing::Uniform { min_ms, max_ms } => (min_ms + max_ms) / 2.0,
        Processing::Exponential { mean_ms } => mean_ms,
    }
}
