//! A layer of the diagram. The static layer holds every node and edge; the drag layer
//! (its own SVG, composited above) holds just the ones being dragged and their edges, at
//! their dragged place, while the static copies are hidden. While a node moves only the
//! small drag layer changes, so neither Yew nor the browser redraws the rest of a large
//! diagram.

use super::edge::{EdgeLabel, EdgeProps, EdgeView};
use super::node::{NodeCounters, NodeView};
use crate::core::scenario::{Node, Scenario};
use crate::editor::geometry::edge_curves_where;
use crate::editor::labels::edge_label;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`DiagramLayer`].
#[derive(Properties, Clone)]
pub struct LayerProps {
    /// The diagram.
    pub scenario: Rc<Scenario>,
    /// Selected node ids.
    pub selected_nodes: BTreeSet<String>,
    /// Selected edge ids.
    pub selected_edges: BTreeSet<String>,
    /// Live counters by node id.
    pub counters: Rc<HashMap<String, NodeCounters>>,
    /// ZeroMQ pipes by edge id: (messages in it, high-water mark).
    #[prop_or_default]
    pub pipes: Rc<HashMap<String, (u64, u64)>>,
    /// Frames' scoreboards, in frame order.
    #[prop_or_default]
    pub frames: Rc<Vec<crate::core::simulation::frames::FrameReport>>,
    /// Call edges by id: their breaker and load now.
    #[prop_or_default]
    pub calls: Rc<HashMap<String, crate::ui::canvas::edge::CallLive>>,
    /// Nodes being dragged (drag layer only: the static layer draws everything, and its
    /// copies of these are hidden while they move).
    pub moving: BTreeSet<String>,
    /// Drag offset (drag layer only).
    #[prop_or_default]
    pub offset: (f64, f64),
    /// This is the drag layer: draw only the moving nodes and their edges.
    #[prop_or_default]
    pub drag: bool,
}

impl PartialEq for LayerProps {
    /// The diagram compares by identity: every edit makes a new `Rc`, and comparing
    /// thousands of nodes and edges on every pointer move would cost a frame.
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.scenario, &o.scenario)
            && Rc::ptr_eq(&self.counters, &o.counters)
            && Rc::ptr_eq(&self.pipes, &o.pipes)
            && Rc::ptr_eq(&self.calls, &o.calls)
            && Rc::ptr_eq(&self.frames, &o.frames)
            && self.selected_nodes == o.selected_nodes
            && self.selected_edges == o.selected_edges
            && self.moving == o.moving
            && self.offset == o.offset
            && self.drag == o.drag
    }
}

/// What a layer draws that depends only on the diagram and the drag (not on selection or
/// live figures): worked out again only when one of those changes, so selecting a node
/// in a large diagram (as every press that starts a drag does) redraws without
/// recomputing every curve, label place and lint.
#[derive(Clone)]
struct Shape {
    scenario: Rc<Scenario>,
    moving: BTreeSet<String>,
    offset: (f64, f64),
    drag: bool,
}

impl PartialEq for Shape {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.scenario, &o.scenario)
            && self.moving == o.moving
            && self.offset == o.offset
            && self.drag == o.drag
    }
}

/// The edges of a layer (not selected, no live figures) and why nodes are idle.
struct Drawn {
    edges: Vec<EdgeProps>,
    idle: std::collections::BTreeMap<String, String>,
}

/// Where node `n` is drawn: moved by `offset` when it is one of `moving`.
fn placed(n: &Node, moving: &BTreeSet<String>, (dx, dy): (f64, f64)) -> (f64, f64) {
    if moving.contains(&n.id) {
        (n.x + dx, n.y + dy)
    } else {
        (n.x, n.y)
    }
}

fn draw(k: &Shape) -> Drawn {
    let s = &k.scenario;
    let moving = &k.moving;
    let place = |n: &Node| placed(n, moving, k.offset);
    let in_layer_edge =
        |from: &String, to: &String| (moving.contains(from) || moving.contains(to)) == k.drag;
    let curves = edge_curves_where(s, place, |e| in_layer_edge(&e.from, &e.to));
    let spots = crate::editor::geometry::label_points(s, place, &curves);
    let edges = s
        .edges
        .iter()
        .zip(curves.iter().zip(&spots))
        .filter(|(e, _)| in_layer_edge(&e.from, &e.to))
        .filter_map(|(e, (c, spot))| {
            let c = (*c)?;
            let spot = spot.unwrap_or_else(|| crate::editor::geometry::bezier_point(&c, 0.5));
            Some(EdgeProps {
                id: e.id.clone().into(),
                from: e.from.clone().into(),
                to: e.to.clone().into(),
                kind: e.kind,
                curve: c.map(|p| (p.x, p.y)),
                label: edge_label(s, e).map(AttrValue::from),
                selected: false,
                floating: k.drag,
                fill: None,
                call: None,
                label_at: (spot.x, spot.y),
            })
        })
        .collect();
    Drawn {
        edges,
        idle: crate::editor::lint::idle_parts(s),
    }
}

/// One layer of nodes and edges.
#[function_component(DiagramLayer)]
pub fn diagram_layer(p: &LayerProps) -> Html {
    let s = &p.scenario;
    let moving = &p.moving;
    let place = |n: &Node| placed(n, moving, p.offset);
    let drawn = use_memo(
        Shape {
            scenario: s.clone(),
            moving: moving.clone(),
            offset: p.offset,
            drag: p.drag,
        },
        draw,
    );
    let edges: Vec<EdgeProps> = drawn
        .edges
        .iter()
        .map(|e| EdgeProps {
            selected: p.selected_edges.contains(e.id.as_str()),
            fill: p.pipes.get(e.id.as_str()).copied(),
            call: p.calls.get(e.id.as_str()).copied(),
            ..e.clone()
        })
        .collect();
    let idle = &drawn.idle;
    let nodes = s.nodes.iter().filter(|n| moving.contains(&n.id) == p.drag).map(|n| {
        let (x, y) = place(n);
        let why = idle.get(&n.id).map(|w| AttrValue::from(w.clone()));
        html! {
            <NodeView key={n.id.clone()} id={n.id.clone()} kind={n.kind()} label={n.name.clone()} detail={super::kinds::detail(n)}
                x={x} y={y} selected={p.selected_nodes.contains(&n.id)}
                counters={p.counters.get(&n.id).cloned()} floating={p.drag} idle={why} />
        }
    });
    let frames = if p.drag {
        html! {}
    } else {
        super::frames::frames(s, &place, &p.frames)
    };
    html! {
        <>
            { frames }
            <g class="edges">{ for edges.iter().map(|e| html! { <EdgeView key={e.id.to_string()} ..e.clone() /> }) }</g>
            <g class="nodes">{ for nodes }</g>
            <g class="edge-labels">{ for edges.iter().filter(|e| e.label.is_some()).map(|e| html! { <EdgeLabel key={e.id.to_string()} ..e.clone() /> }) }</g>
        </>
    }
}
