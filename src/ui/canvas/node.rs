//! One node on the canvas: its shape and icon by kind, its label (always text), live
//! counters, and the handle edges are dragged from. Memoised: re-renders only when its
//! props change.

use crate::core::scenario::NodeKind;
use crate::editor::geometry::node_size;
use yew::prelude::*;

/// Live figures shown on a node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeCounters {
    /// Queue: ready messages.
    pub ready: u64,
    /// Queue: unacked messages.
    pub unacked: u64,
    /// Queue: fill ratio for the bar (0..1).
    pub fill: f64,
    /// Consumer: messages processed.
    pub processed: u64,
    /// Consumer: working on one now.
    pub busy: bool,
    /// Consumer: connected.
    pub online: bool,
    /// Consumer: messages held / prefetch (0 = unlimited).
    pub held: u64,
    /// Consumer: prefetch.
    pub prefetch: u32,
    /// Producer: messages published.
    pub published: u64,
}

/// Props of [`NodeView`].
#[derive(Properties, PartialEq, Clone)]
pub struct NodeProps {
    /// Node id.
    pub id: AttrValue,
    /// Kind.
    pub kind: NodeKind,
    /// Label.
    pub label: AttrValue,
    /// Subtitle (exchange type, settings summary).
    pub detail: AttrValue,
    /// Top-left x (world).
    pub x: f64,
    /// Top-left y (world).
    pub y: f64,
    /// Selected.
    pub selected: bool,
    /// Live counters (none before the first run).
    pub counters: Option<NodeCounters>,
}

fn icon(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Producer => "\u{25B6}",
        NodeKind::Exchange => "\u{21C4}",
        NodeKind::Queue => "\u{2630}",
        NodeKind::Consumer => "\u{2699}",
    }
}

fn shape(kind: NodeKind, w: f64, h: f64) -> Html {
    match kind {
        NodeKind::Producer => {
            html! { <rect class="shape" x="0" y="0" width={w.to_string()} height={h.to_string()} rx="28" /> }
        }
        NodeKind::Exchange => {
            let points = format!(
                "16,0 {},0 {w},{} {},{h} 16,{h} 0,{}",
                w - 16.0,
                h / 2.0,
                w - 16.0,
                h / 2.0
            );
            html! { <polygon class="shape" points={points} /> }
        }
        NodeKind::Queue => html! {
            <>
                <rect class="shape" x="0" y="0" width={w.to_string()} height={h.to_string()} rx="6" />
                { for (0..4).map(|i| html! { <line class="slot" x1={(w - 14.0 - i as f64 * 8.0).to_string()} y1="8" x2={(w - 14.0 - i as f64 * 8.0).to_string()} y2={(h - 8.0).to_string()} /> }) }
            </>
        },
        NodeKind::Consumer => {
            html! { <rect class="shape" x="0" y="0" width={w.to_string()} height={h.to_string()} rx="10" /> }
        }
    }
}

fn counter_line(kind: NodeKind, c: &NodeCounters) -> Html {
    match kind {
        NodeKind::Queue => html! {
            <text class="counters" x="36" y="50">
                <tspan class="ready">{ format!("ready {}", c.ready) }</tspan>
                { " · " }
                <tspan class="unacked">{ format!("unacked {}", c.unacked) }</tspan>
            </text>
        },
        NodeKind::Consumer => {
            let slots = if c.prefetch == 0 {
                format!("{}/∞", c.held)
            } else {
                format!("{}/{}", c.held, c.prefetch)
            };
            let state = if !c.online {
                "down"
            } else if c.busy {
                "busy"
            } else {
                "idle"
            };
            html! {
                <text class="counters" x="36" y="46">
                    <tspan class="processed">{ format!("processed {}", c.processed) }</tspan>
                    { format!(" · {state} · {slots}") }
                </text>
            }
        }
        NodeKind::Producer => {
            html! { <text class="counters" x="36" y="46">{ format!("published {}", c.published) }</text> }
        }
        NodeKind::Exchange => html! {},
    }
}

/// A node.
#[function_component(NodeView)]
pub fn node_view(p: &NodeProps) -> Html {
    let (w, h) = node_size(p.kind);
    let class = classes!(
        "node",
        p.kind.as_str(),
        p.selected.then_some("selected"),
        p.counters
            .as_ref()
            .is_some_and(|c| p.kind == NodeKind::Consumer && !c.online)
            .then_some("down")
    );
    let fill = p
        .counters
        .as_ref()
        .filter(|_| p.kind == NodeKind::Queue)
        .map(|c| c.fill.clamp(0.0, 1.0));
    html! {
        <g class={class} transform={format!("translate({} {})", p.x, p.y)}
           data-node-id={p.id.clone()} data-kind={p.kind.as_str()}
           role="group" aria-label={p.label.clone()} tabindex="0">
            { shape(p.kind, w, h) }
            if let Some(f) = fill {
                <rect class="fill-bar-bg" x="8" y={(h - 7.0).to_string()} width={(w - 16.0).to_string()} height="3" rx="1.5" />
                <rect class="fill-bar" x="8" y={(h - 7.0).to_string()} width={((w - 16.0) * f).to_string()} height="3" rx="1.5" />
            }
            <text class="icon" x="12" y="26" aria-hidden="true">{ icon(p.kind) }</text>
            <text class="label" x="36" y="22">{ p.label.to_string() }</text>
            if p.counters.is_none() || p.kind == NodeKind::Exchange {
                <text class="detail" x="36" y="40">{ p.detail.to_string() }</text>
            }
            if let Some(c) = &p.counters { { counter_line(p.kind, c) } }
            if p.kind != NodeKind::Consumer {
                <circle class="handle out" cx={w.to_string()} cy={(h / 2.0).to_string()} r="7" data-handle="out" data-node-id={p.id.clone()}>
                    <title>{"Drag to connect"}</title>
                </circle>
            } else {
                <circle class="handle out" cx={w.to_string()} cy={(h / 2.0).to_string()} r="6" data-handle="out" data-node-id={p.id.clone()}>
                    <title>{"Drag to an exchange to publish after processing"}</title>
                </circle>
            }
        </g>
    }
}
