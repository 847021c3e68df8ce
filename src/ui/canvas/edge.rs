//! One edge on the canvas: a curve with an arrow, kind-specific styling, and its label
//! (binding key or header arguments) on a backing plate so the curve never hides it.

use crate::core::scenario::EdgeKind;
use crate::editor::geometry::{bezier_point, curve_path, Point};
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
}

/// An edge (its label is drawn separately, above the nodes, by [`EdgeLabel`]).
#[function_component(EdgeView)]
pub fn edge_view(p: &EdgeProps) -> Html {
    let c = p.curve.map(|(x, y)| Point::new(x, y));
    let d = curve_path(&c);
    let class = classes!("edge", p.kind.as_str(), p.selected.then_some("selected"));
    html! {
        <g class={class} data-edge-id={p.id.clone()} data-from={p.from.clone()} data-to={p.to.clone()} data-edge-kind={p.kind.as_str()}>
            <path class="hit" d={d.clone()} />
            <path class="line" d={d} marker-end="url(#arrow)" />
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
    let c = p.curve.map(|(x, y)| Point::new(x, y));
    let mid = bezier_point(&c, 0.5);
    let width = label.chars().count() as f64 * 6.8 + 12.0;
    html! {
        <g class={classes!("edge-label", p.kind.as_str(), p.selected.then_some("selected"))} data-label-for={p.id.clone()}
           transform={format!("translate({:.1} {:.1})", mid.x, mid.y)}>
            <rect class="plate" x={format!("{:.1}", -width / 2.0)} y="-10" width={format!("{width:.1}")} height="18" rx="4" />
            <text text-anchor="middle" y="3">{ label.to_string() }</text>
        </g>
    }
}
