//! The hot path of dragging nodes. Yew renders the drag layer once when a drag starts
//! (the moving nodes and their edges, lifted out of the static layer) and the whole
//! diagram again when it ends; in between, each pointer move repositions the drag
//! layer's elements in place: node and label transforms and edge paths. These are the
//! same attribute values the components write (the formatting helpers are shared), so
//! whatever Yew renders during a drag agrees with what is on screen.
//!
//! A [`DragPlan`] is read after the render that starts a drag: the drag layer's elements with
//! everything about their edges that does not change while the nodes move (the ends at
//! rest, the lanes). A move then only computes the moving curves and sets attributes.
//!
//! The static layer keeps its copies of the moving nodes and edges for the whole drag
//! (removing and re-adding them made the browser lay out the whole diagram twice, a
//! hitch of over 100 ms at each end of a drag): the plan marks them `data-lifted`, which
//! the style sheet hides, takes their identity attributes off meanwhile (so each id still
//! names one element), and puts everything back when it is dropped, after the drag's
//! result has been rendered.

use super::edge::{label_transform, ARROW_PATH, CURVE_PATHS};
use super::node::floating_transform;
use crate::core::scenario::Scenario;
use crate::editor::geometry::{
    arrow_path, curve_path, edge_curve, edge_lanes, in_point, out_point, Point,
};
use std::collections::{BTreeSet, HashMap};
use wasm_bindgen::JsCast;
use web_sys::Element;

/// The elements of `root` matching `selector`.
fn each(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return vec![];
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// One end of a dragged edge: its point at rest, and whether it moves with the drag.
#[derive(Clone, Copy)]
struct End {
    at: Point,
    moves: bool,
}

impl End {
    fn at(self, (dx, dy): (f64, f64)) -> Point {
        if self.moves {
            Point::new(self.at.x + dx, self.at.y + dy)
        } else {
            self.at
        }
    }
}

/// A dragged node's group and its place at rest.
struct NodePlan {
    group: Element,
    x: f64,
    y: f64,
}

/// A dragged edge's elements and geometry at rest.
struct EdgePlan {
    curve_paths: Vec<Element>,
    arrow: Option<Element>,
    label: Option<Element>,
    from: End,
    to: End,
    lane: f64,
}

/// What one drag moves, ready to be placed at any offset.
pub struct DragPlan {
    nodes: Vec<NodePlan>,
    edges: Vec<EdgePlan>,
    /// The static layer's copies, hidden while the plan lives (held for their `Drop`).
    _lifted: Vec<Lifted>,
}

/// A hidden static copy and the identity attributes taken off it meanwhile, so that
/// `[data-node-id=…]`, `[data-edge-id=…]` and the like match one element each (the one
/// moving in the drag layer) during a drag too.
struct Lifted {
    element: Element,
    identity: Vec<(&'static str, String)>,
}

/// The attribute that hides a static copy of something being dragged.
const LIFTED: &str = "data-lifted";

/// The attributes that name what an element of the diagram stands for.
const IDENTITY: [&str; 7] = [
    "data-node-id",
    "data-edge-id",
    "data-from",
    "data-to",
    "data-label-for",
    "data-label-from",
    "data-label-to",
];

impl Lifted {
    fn hide(element: Element) -> Self {
        // One call for the names it has (two or three of the seven, usually), rather
        // than asking for each: a press lifts hundreds of elements in a large diagram.
        let names = element.get_attribute_names();
        let identity: Vec<(&'static str, String)> = IDENTITY
            .iter()
            .filter(|&&name| names.includes(&name.into(), 0))
            .filter_map(|&name| Some((name, element.get_attribute(name)?)))
            .collect();
        for (name, _) in &identity {
            let _ = element.remove_attribute(name);
        }
        let _ = element.set_attribute(LIFTED, "");
        Lifted { element, identity }
    }
}

impl Drop for Lifted {
    fn drop(&mut self) {
        for (name, value) in &self.identity {
            let _ = self.element.set_attribute(name, value);
        }
        let _ = self.element.remove_attribute(LIFTED);
    }
}

/// The static layer's elements for the moving nodes, their edges (`data-from` /
/// `data-to`) and edge labels (`data-label-from` / `data-label-to`).
fn static_copies(diagram: &Element, moving: &BTreeSet<String>) -> Vec<Element> {
    let selectors: Vec<String> = moving
        .iter()
        .flat_map(|id| {
            let id = css_string(id);
            [
                "data-node-id",
                "data-from",
                "data-to",
                "data-label-from",
                "data-label-to",
            ]
            .map(|attr| format!("g[{attr}=\"{id}\"]"))
        })
        .collect();
    if selectors.is_empty() {
        return vec![];
    }
    each(diagram, &selectors.join(","))
}

/// `s` escaped for a double-quoted CSS string.
fn css_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

impl DragPlan {
    /// Reads the drag layer `layer` as rendered for `moving` nodes of `scenario`, and
    /// hides their copies in the static layer `diagram`. `None` while the drag layer does
    /// not show them yet.
    pub fn read(
        layer: &Element,
        diagram: &Element,
        scenario: &Scenario,
        moving: &BTreeSet<String>,
    ) -> Option<Self> {
        let by_id: HashMap<&str, &crate::core::scenario::Node> =
            scenario.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
        let nodes: Vec<NodePlan> = each(layer, "g[data-node-id]")
            .into_iter()
            .filter_map(|group| {
                let node = *by_id.get(group.get_attribute("data-node-id")?.as_str())?;
                Some(NodePlan {
                    group,
                    x: node.x,
                    y: node.y,
                })
            })
            .collect();
        if nodes.is_empty() {
            return None;
        }
        let mut labels: HashMap<String, Element> = each(layer, "g[data-label-for]")
            .into_iter()
            .filter_map(|g| Some((g.get_attribute("data-label-for")?, g)))
            .collect();
        let index: HashMap<&str, usize> = scenario
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let lanes = edge_lanes(scenario);
        let edges = each(layer, "g[data-edge-id]")
            .into_iter()
            .filter_map(|group| {
                let id = group.get_attribute("data-edge-id")?;
                let i = *index.get(id.as_str())?;
                let edge = &scenario.edges[i];
                let (a, b) = (
                    *by_id.get(edge.from.as_str())?,
                    *by_id.get(edge.to.as_str())?,
                );
                Some(EdgePlan {
                    curve_paths: each(&group, CURVE_PATHS),
                    arrow: group.query_selector(ARROW_PATH).ok().flatten(),
                    label: labels.remove(&id),
                    from: End {
                        at: out_point(a.kind(), a.x, a.y),
                        moves: moving.contains(&a.id),
                    },
                    to: End {
                        at: in_point(b.kind(), b.x, b.y),
                        moves: moving.contains(&b.id),
                    },
                    lane: lanes[i],
                })
            })
            .collect();
        let lifted = static_copies(diagram, moving)
            .into_iter()
            .map(Lifted::hide)
            .collect();
        Some(DragPlan {
            nodes,
            edges,
            _lifted: lifted,
        })
    }

    /// Places the moving nodes `offset` (world units) from rest, their edges and edge
    /// labels following.
    pub fn place(&self, offset: (f64, f64)) {
        let (dx, dy) = offset;
        for n in &self.nodes {
            let (x, y) = (n.x + dx, n.y + dy);
            let _ = n
                .group
                .set_attribute("transform", &floating_transform(x, y));
            let _ = n.group.set_attribute("data-x", &x.to_string());
            let _ = n.group.set_attribute("data-y", &y.to_string());
        }
        for e in &self.edges {
            let curve = edge_curve(e.from.at(offset), e.to.at(offset), e.lane);
            let d = curve_path(&curve);
            for path in &e.curve_paths {
                let _ = path.set_attribute("d", &d);
            }
            if let Some(arrow) = &e.arrow {
                let _ = arrow.set_attribute("d", &arrow_path(&curve));
            }
            if let Some(label) = &e.label {
                let mid = crate::editor::geometry::bezier_point(&curve, 0.5);
                let _ = label.set_attribute("transform", &label_transform(mid));
            }
        }
    }
}
