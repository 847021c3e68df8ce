//! One node on the canvas: its shape and icon by kind, its label (always text), live
//! counters, and the handle edges are dragged from. Memoised: re-renders only when its
//! props change.

use super::kinds;
use crate::core::model::status::NodeStatus;
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
    /// Queue with priorities: ready messages per level, lowest first.
    pub levels: Vec<u64>,
    /// Consumer: messages processed.
    pub processed: u64,
    /// Consumer: working on one now. Producer: blocked on a full ZeroMQ socket.
    pub busy: bool,
    /// Consumer: connected.
    pub online: bool,
    /// Consumer: messages held / prefetch (0 = unlimited).
    pub held: u64,
    /// Consumer: prefetch.
    pub prefetch: u32,
    /// Producer: messages published.
    pub published: u64,
    /// Kafka topic: its whole status (partitions and groups), drawn as lanes.
    pub topic: Option<std::rc::Rc<NodeStatus>>,
    /// SQS queue or SNS topic: its whole status.
    pub store: Option<std::rc::Rc<NodeStatus>>,
}

impl NodeCounters {
    /// The figures of a node's status, as the core reports it.
    pub fn from_status(status: &NodeStatus) -> NodeCounters {
        match *status {
            NodeStatus::Producer { published, blocked } => NodeCounters {
                published,
                busy: blocked,
                ..NodeCounters::default()
            },
            NodeStatus::Exchange => NodeCounters::default(),
            NodeStatus::Queue {
                ready,
                unacked,
                max_length,
                ref levels,
                ..
            } => NodeCounters {
                ready,
                unacked,
                levels: levels.clone(),
                // Without a length limit the bar is full at 20 ready messages.
                fill: ready as f64 / max_length.unwrap_or(20).max(1) as f64,
                ..NodeCounters::default()
            },
            NodeStatus::Consumer {
                processed,
                busy,
                online,
                held,
                prefetch,
            } => NodeCounters {
                processed,
                busy,
                online,
                held,
                prefetch,
                ..NodeCounters::default()
            },
            NodeStatus::KafkaTopic { .. } => NodeCounters {
                topic: Some(std::rc::Rc::new(status.clone())),
                ..NodeCounters::default()
            },
            NodeStatus::SqsQueue { .. }
            | NodeStatus::SnsTopic { .. }
            | NodeStatus::ZmqDevice { .. }
            | NodeStatus::Service { .. } => NodeCounters {
                online: !matches!(status, NodeStatus::Service { online: false, .. }),
                store: Some(std::rc::Rc::new(status.clone())),
                ..NodeCounters::default()
            },
        }
    }
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
    /// Why it will sit idle, when it will (a mark with the reason).
    #[prop_or_default]
    pub idle: Option<AttrValue>,
    /// In the drag layer: placed by one `transform`, so moving it every frame changes one
    /// attribute and lays out no text again.
    #[prop_or_default]
    pub floating: bool,
}

fn icon(kind: NodeKind) -> &'static str {
    crate::core::model::kind_info(kind).icon
}

use super::kinds::n;

/// Width a node's name may take beside its icon (a queue keeps room for its backlog
/// slots).
fn name_width(kind: NodeKind, w: f64) -> f64 {
    if kind == NodeKind::Queue {
        w - 88.0
    } else {
        w - 48.0
    }
}

/// How many characters of a node's name fit in `width`.
fn name_chars(width: f64) -> usize {
    (width / 7.8).max(4.0) as usize
}

/// A node's name as drawn in `fit` characters' room: whole when it fits, squeezed up to
/// half its width (still legible), past that cut with "…" and squeezed. Returns the text,
/// whether it is squeezed and whether it is cut.
fn drawn_name(label: &str, fit: usize) -> (std::borrow::Cow<'_, str>, bool, bool) {
    let count = label.chars().count();
    if count <= fit {
        (label.into(), false, false)
    } else if count <= 2 * fit {
        (label.into(), true, false)
    } else {
        let mut cut: String = label.chars().take(2 * fit - 1).collect();
        cut.push('…');
        (cut.into(), true, true)
    }
}

/// A floating node's `transform` (drag layer).
pub fn floating_transform(x: f64, y: f64) -> String {
    format!("translate({x} {y})")
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
            .is_some_and(|c| matches!(p.kind, NodeKind::Consumer | NodeKind::Service) && !c.online)
            .then_some("down")
    );
    let fill = p
        .counters
        .as_ref()
        .filter(|_| p.kind == NodeKind::Queue)
        .map(|c| c.fill.clamp(0.0, 1.0));
    // Static nodes use absolute coordinates (see `shape`); a floating one draws at the
    // origin and moves by its transform.
    let (drawn, squeezed, cut) = drawn_name(&p.label, name_chars(name_width(p.kind, w)));
    let (x, y, transform) = if p.floating {
        (0.0, 0.0, Some(floating_transform(p.x, p.y)))
    } else {
        (p.x, p.y, None)
    };
    html! {
        <g class={class} transform={transform} data-x={n(p.x)} data-y={n(p.y)}
           data-node-id={p.id.clone()} data-kind={p.kind.as_str()}
           role="group" aria-label={p.label.clone()} tabindex="0">
            { kinds::shape(p.kind, x, y, w, h) }
            if let Some(f) = fill {
                <rect class="fill-bar-bg" x={n(x + 8.0)} y={n(y + h - 7.0)} width={n(w - 16.0)} height="3" rx="1.5" />
                <rect class="fill-bar" x={n(x + 8.0)} y={n(y + h - 7.0)} width={n((w - 16.0) * f)} height="3" rx="1.5" />
            }
            <text class="icon" x={n(x + 12.0)} y={n(y + 26.0)} aria-hidden="true">{ icon(p.kind) }</text>
            // A name longer than the box is squeezed to fit it, and one too long to read
            // squeezed is cut with "…" (the accessible name stays whole, and hovering
            // shows it all).
            <text class="label" x={n(x + 36.0)} y={n(y + 22.0)}
                textLength={squeezed.then(|| n(name_width(p.kind, w)))}
                lengthAdjust={squeezed.then_some("spacingAndGlyphs")}>
                if cut { <title>{ p.label.to_string() }</title> }
                { drawn.to_string() }</text>
            if p.counters.is_none() || p.kind == NodeKind::Exchange {
                <text class="detail" x={n(x + 36.0)} y={n(y + 40.0)}>{ p.detail.to_string() }</text>
            }
            if let Some(c) = &p.counters { { kinds::figures(p.kind, c, x, y) } }
            if let Some(why) = &p.idle {
                <g class="idle-mark" data-idle="true">
                    <title>{ why.to_string() }</title>
                    <circle cx={n(x + w - 10.0)} cy={n(y + 10.0)} r="7" />
                    <text x={n(x + w - 10.0)} y={n(y + 14.0)} text-anchor="middle">{"!"}</text>
                </g>
            }
            <circle class="handle out" cx={n(x + w)} cy={n(y + h / 2.0)} r={if p.kind == NodeKind::Consumer { "6" } else { "7" }}
                    data-handle="out">
                <title>{ if p.kind == NodeKind::Consumer { "Drag to an exchange to publish after processing" } else { "Drag to connect" } }</title>
            </circle>
        </g>
    }
}
