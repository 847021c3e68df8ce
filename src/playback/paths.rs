//! Where things are drawn: each edge's curve and length and each node's centre, so a
//! dot's progress along its path (edges, or straight lines between nodes where no
//! edge is drawn) becomes a point on the canvas.

use crate::core::model::ids::NodeId;
use crate::core::model::motion::Leg;
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

    /// Edge `i`'s curve and its length, when it is drawn.
    pub fn edge(&self, i: usize) -> Option<([Point; 4], f64)> {
        *self.curves.get(i)?
    }

    /// Number of edges.
    pub fn edges(&self) -> usize {
        self.curves.len()
    }

    /// Centre of a node.
    pub fn centre(&self, node: NodeId) -> Option<Point> {
        self.centres.get(node.index()).copied()
    }

    /// A leg as a cubic curve (a straight line is a degenerate one) and its length.
    fn leg(&self, leg: &Leg) -> Option<([Point; 4], f64)> {
        match *leg {
            Leg::Edge { edge } => *self.curves.get(edge.index())?,
            Leg::Line { from, to } => {
                let (a, b) = (self.centre(from)?, self.centre(to)?);
                let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt().max(1.0);
                let third = |k: f64| Point::new(a.x + (b.x - a.x) * k, a.y + (b.y - a.y) * k);
                Some(([a, third(1.0 / 3.0), third(2.0 / 3.0), b], len))
            }
        }
    }

    /// The point `f` (0..1) of the way along a path, by length.
    pub fn point_on(&self, path: &[Leg], f: f64) -> Option<Point> {
        if let [leg] = path {
            let (curve, _) = self.leg(leg)?;
            return Some(bezier_point(&curve, f.clamp(0.0, 1.0)));
        }
        let total: f64 = path.iter().filter_map(|l| self.leg(l)).map(|c| c.1).sum();
        if total <= 0.0 {
            return None;
        }
        let mut left = f.clamp(0.0, 1.0) * total;
        let mut last = None;
        for leg in path {
            let Some((curve, len)) = self.leg(leg) else {
                continue;
            };
            if left <= len {
                return Some(bezier_point(&curve, left / len));
            }
            left -= len;
            last = Some(curve[3]);
        }
        last
    }
}
