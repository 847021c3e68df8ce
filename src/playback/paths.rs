//! Where things are drawn: each edge's curve and length and each node's centre, so a
//! dot's progress along its chain of edges becomes a point on the canvas.

use crate::core::model::ids::{EdgeId, NodeId};
use crate::core::scenario::Scenario;
use crate::editor::geometry::{bezier_point, curve_length, edge_curves, node_rect, Point};

/// Curves and centres of one diagram.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PathGeometry {
    curves: Vec<Option<([Point; 4], f64)>>,
    centres: Vec<Point>,
}

impl PathGeometry {
    /// Geometry of `scenario` as laid out.
    pub fn of(scenario: &Scenario) -> PathGeometry {
        PathGeometry {
            curves: edge_curves(scenario, |n| (n.x, n.y))
                .into_iter()
                .map(|c| c.map(|c| (c, curve_length(&c).max(1.0))))
                .collect(),
            centres: scenario
                .nodes
                .iter()
                .map(|n| {
                    let r = node_rect(n);
                    Point::new(r.x + r.w / 2.0, r.y + r.h / 2.0)
                })
                .collect(),
        }
    }

    /// Centre of a node.
    pub fn centre(&self, node: NodeId) -> Option<Point> {
        self.centres.get(node.index()).copied()
    }

    /// The point `f` (0..1) of the way along a chain of edges, by length.
    pub fn point_on(&self, path: &[EdgeId], f: f64) -> Option<Point> {
        let total: f64 = path
            .iter()
            .filter_map(|e| self.curves.get(e.index())?.as_ref().map(|c| c.1))
            .sum();
        if total <= 0.0 {
            return None;
        }
        let mut left = f.clamp(0.0, 1.0) * total;
        let mut last = None;
        for e in path {
            let Some(Some((curve, len))) = self.curves.get(e.index()) else {
                continue;
            };
            if left <= *len {
                return Some(bezier_point(curve, left / len));
            }
            left -= len;
            last = Some(curve[3]);
        }
        last
    }
}
