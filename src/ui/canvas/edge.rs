//! One edge on the canvas: a curve with an arrow, kind-specific styling, and its label
//! (binding key or header arguments) on a backing plate so the curve never hides it.

use crate::core::scenario::EdgeKind;
use crate::editor::geometry::{arrow_path, curve_path, Point};
use yew::prelude::*;

/// Props of [`EdgeView`].
#[derive(Properties, PartialEq, Clone)]
pub struct EdgeProps {
    /// Edge id.
    pub id: AttrValue,
    /// Source node id.
    pub from: AttrValue,
    /// Target node id.
    pub to: AttrValue,
    /// Kind.
    pub kind: EdgeKind,
    /// The curve's control points (world).
    pub curve: [(f64, f64); 4],
    /// Label, if any.
    pub label: Option<AttrValue>,
    /// Selected.
    pub selected: bool,
    /// In the drag layer: the label is placed by a `transform`, so following the dragged
    /// node every frame lays out no text again.
    pub floating: bool,
    /// A ZeroMQ pipe while running: (messages in it, high-water mark).
    #[prop_or_default]
    pub fill: Option<(u64, u64)>,
    /// A call edge while running: its breaker and its load.
    #[prop_or_default]
    pub call: Option<CallLive>,
    /// Where its label sits (world): on the curve, clear of nodes where it can be.
    pub label_at: (f64, f64),
}

/// A call edge's figures while running.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CallLive {
    /// Its circuit breaker's state, if it has one.
    pub breaker: Option<crate::core::model::status::BreakerState>,
    /// Calls made.
    pub calls: u64,
    /// Attempts made (more than the calls when retries multiply the load).
    pub attempts: u64,
}

impl CallLive {
    /// Attempts per call, when retries made them more than one.
    pub fn load(&self) -> Option<f64> {
        let load = self.attempts as f64 / self.calls.max(1) as f64;
        (self.calls > 0 && load >= 1.05).then_some(load)
    }
}

/// The paths of an edge's group whose `d` is its curve (see `drag_frame`).
pub const CURVE_PATHS: &str = "path.hit, path.line";
/// The path of an edge's group that draws its arrowhead.
pub const ARROW_PATH: &str = "path.arrow";

/// Where a label sits: its `transform` when it floats in the drag layer.
pub fn label_transform(at: Point) -> String {
    format!("translate({:.1} {:.1})", at.x, at.y)
}

/// An edge (its label is drawn separately, above the nodes, by [`EdgeLabel`]). A floating
/// edge (drag layer) has no wide hit path: nothing can be clicked while a drag holds the
/// pointer.
#[function_component(EdgeView)]
pub fn edge_view(p: &EdgeProps) -> Html {
    let c = p.curve.map(|(x, y)| Point::new(x, y));
    let d = curve_path(&c);
    let class = classes!("edge", p.kind.as_str(), p.selected.then_some("selected"));
    html! {
        <g class={class} data-edge-id={p.id.clone()} data-from={p.from.clone()} data-to={p.to.clone()} data-edge-kind={p.kind.as_str()}>
            if !p.floating { <path class="hit" d={d.clone()} /> }
            <path class="line" d={d} />
            <path class="arrow" d={arrow_path(&c)} />
        </g>
    }
}

/// An edge's label on a backing plate, drawn above nodes so nothing hides it; clicking
/// it selects the edge.
#[function_component(EdgeLabel)]
pub fn edge_label(p: &EdgeProps) -> Html {
    let Some(label) = &p.label else {
        return html! {};
    };
    let mid = Point::new(p.label_at.0, p.label_at.1);
    let mut shown = crate::editor::labels::short_label(label);
    if let Some((queued, _)) = p.fill {
        // A pipe says how much it holds (its bar shows how full, against its
        // high-water mark).
        shown.push_str(&format!(" · {queued}"));
    }
    let breaker = p.call.and_then(|c| c.breaker);
    let load = p.call.and_then(|c| c.load());
    if breaker.is_some() || load.is_some() {
        // A running call edge says what its breaker is doing (red when open) and how
        // retries multiply its load (attempts per call) in place of its retry count.
        let mut text = label.to_string();
        if let Some(b) = breaker {
            text = text.replace("breaker", b.as_str());
        }
        if let Some(l) = load {
            let retries = text
                .split(" · ")
                .find(|part| part.ends_with("×retry"))
                .map(str::to_string);
            let live = format!("×{l:.1}");
            text = match retries {
                Some(r) => text.replace(&r, &live),
                None => format!("{text} · {live}"),
            };
        }
        shown = crate::editor::labels::short_label(&text);
    }
    let width = shown.chars().count() as f64 * 6.8 + 12.0;
    // Static labels use absolute coordinates (no per-label paint chunk, see `node.rs`);
    // floating ones draw at the origin and move by their transform.
    let (x, y, transform) = if p.floating {
        (0.0, 0.0, Some(label_transform(mid)))
    } else {
        (mid.x, mid.y, None)
    };
    html! {
        <g class={classes!("edge-label", p.kind.as_str(), p.selected.then_some("selected"), breaker.map(|b| format!("breaker-{}", b.as_str())))} data-label-for={p.id.clone()}
           data-breaker={breaker.map(|b| b.as_str())} data-load={load.map(|l| format!("{l:.2}"))}
           data-label-from={p.from.clone()} data-label-to={p.to.clone()} transform={transform}>
            <rect class="plate" x={format!("{:.1}", x - width / 2.0)} y={format!("{:.1}", y - 10.0)} width={format!("{width:.1}")} height="18" rx="4" />
            if shown != label.as_str() && p.fill.is_none() && p.call.is_none() { <title>{ label.to_string() }</title> }
            if let Some(c) = p.call {
                <title>{ call_tooltip(&c) }</title>
            }
            <text text-anchor="middle" x={format!("{:.1}", x)} y={format!("{:.1}", y + 3.0)}>{ shown }</text>
            if let Some((queued, hwm)) = p.fill {
                <g class="pipe-fill" data-queued={queued.to_string()} data-hwm={hwm.to_string()}>
                    <title>{ format!("{queued} of {hwm} messages in the pipe (high-water mark)") }</title>
                    <rect class="pipe-bg" x={format!("{:.1}", x - width / 2.0)} y={format!("{:.1}", y + 9.0)} width={format!("{width:.1}")} height="4" rx="2" />
                    <rect class={classes!("pipe-level", (queued >= hwm).then_some("full"))} x={format!("{:.1}", x - width / 2.0)} y={format!("{:.1}", y + 9.0)}
                        width={format!("{:.1}", width * (queued as f64 / hwm.max(1) as f64).min(1.0))} height="4" rx="2" />
                </g>
            }
        </g>
    }
}

/// What a running call edge's label means, in words.
fn call_tooltip(c: &CallLive) -> String {
    let mut parts = vec![format!("{} calls, {} attempts", c.calls, c.attempts)];
    if let Some(l) = c.load() {
        parts.push(format!("×{l:.1}: retries multiply the load on the service"));
    }
    if let Some(b) = c.breaker {
        parts.push(format!(
            "circuit breaker {}: {}",
            b.as_str(),
            match b.as_str() {
                "open" => "calls are refused at once",
                "half-open" => "a few probe calls go through",
                _ => "calls go through; failures are counted",
            }
        ));
    }
    parts.join(" · ")
}
