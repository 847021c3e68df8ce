//! The inspector form of a `call` edge: the caller's timeout, retries with backoff and
//! jitter, the optional circuit breaker, and (for a caller that makes several calls)
//! which earlier call this one compensates.

use super::edge_commit;
use super::fields::{CheckField, SelectField, TextField};
use super::parse::{count_in, f64_req, positive, probability};
use crate::core::scenario::{BreakerSpec, CallSpec, Edge, EdgeKind, Scenario};
use crate::ui::state::EditorState;
use yew::prelude::*;

/// A call edge's settings.
pub fn call_fields(s: &UseReducerHandle<EditorState>, scenario: &Scenario, e: &Edge) -> Html {
    let c = e.call.clone().unwrap_or_default();
    let with = |f: fn(&mut CallSpec, String) -> Result<(), String>| {
        edge_commit(s, &e.id, move |e: &mut Edge, v: String| {
            let mut spec = e.call.clone().unwrap_or_default();
            f(&mut spec, v)?;
            e.call = Some(spec);
            Ok(())
        })
    };
    let breaker = |f: fn(&mut BreakerSpec, String) -> Result<(), String>| {
        edge_commit(s, &e.id, move |e: &mut Edge, v: String| {
            let mut spec = e.call.clone().unwrap_or_default();
            let mut b = spec.circuit_breaker.clone().unwrap_or_default();
            f(&mut b, v)?;
            spec.circuit_breaker = Some(b);
            e.call = Some(spec);
            Ok(())
        })
    };
    let toggle = edge_commit(s, &e.id, |e: &mut Edge, on: bool| {
        let mut spec = e.call.clone().unwrap_or_default();
        spec.circuit_breaker = on.then(BreakerSpec::default);
        e.call = Some(spec);
        Ok(())
    });
    // The caller's other calls it may undo (a saga's compensation).
    let name_of = |id: &str| {
        scenario
            .node(id)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    };
    let mut undo: Vec<(AttrValue, AttrValue)> = vec![("".into(), "none: an ordinary call".into())];
    for f in scenario.edges.iter().filter(|f| {
        f.kind == EdgeKind::Call
            && f.from == e.from
            && f.id != e.id
            && f.call.as_ref().is_none_or(|c| c.compensates.is_none())
    }) {
        undo.push((
            f.id.clone().into(),
            format!("undo {} (to {})", f.id, name_of(&f.to)).into(),
        ));
    }
    let caller_calls_several = undo.len() > 1;
    let b = c.circuit_breaker.clone();
    html! {
        <>
            <TextField label="Timeout (ms)" value={c.timeout_ms.to_string()} hint="How long the caller waits for each attempt's reply; its worker is blocked meanwhile."
                on_commit={with(|c, v| { c.timeout_ms = positive(&v)?; Ok(()) })} />
            <TextField label="Retries" value={c.retries.to_string()} hint="Attempts after the first when one fails or times out (0–20)."
                on_commit={with(|c, v| { c.retries = count_in(&v, 0, 20)? as u32; Ok(()) })} />
            <TextField label="Backoff (ms)" value={c.backoff_ms.to_string()} hint="Wait before the first retry; it doubles for each further retry."
                on_commit={with(|c, v| { c.backoff_ms = f64_req(&v)?; Ok(()) })} />
            <TextField label="Jitter" value={c.jitter.to_string()} hint="Share of each wait drawn at random: 0 none, 1 full jitter."
                on_commit={with(|c, v| { c.jitter = probability(&v)?; Ok(()) })} />
            <CheckField label="Circuit breaker" value={b.is_some()} on_commit={toggle} />
            if let Some(b) = b {
                <TextField label="Failures to open" value={b.failure_threshold.to_string()} hint="Errors, timeouts and refusals within the window that open it."
                    on_commit={breaker(|b, v| { b.failure_threshold = count_in(&v, 1, 10_000)? as u32; Ok(()) })} />
                <TextField label="Window (ms)" value={b.window_ms.to_string()}
                    on_commit={breaker(|b, v| { b.window_ms = positive(&v)?; Ok(()) })} />
                <TextField label="Open for (ms)" value={b.open_ms.to_string()} hint="While open, every call is refused at once; then a few probes go through."
                    on_commit={breaker(|b, v| { b.open_ms = f64_req(&v)?; Ok(()) })} />
                <TextField label="Half-open probes" value={b.half_open_probes.to_string()} hint="Calls let through when half-open; all must succeed to close it."
                    on_commit={breaker(|b, v| { b.half_open_probes = count_in(&v, 1, 10_000)? as u32; Ok(()) })} />
            }
            if caller_calls_several {
                <SelectField label="Compensates" value={c.compensates.clone().unwrap_or_default()} options={undo}
                    on_commit={with(|c, v| { c.compensates = (!v.is_empty()).then_some(v); Ok(()) })} />
            }
        </>
    }
}
