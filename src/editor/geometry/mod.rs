//! Diagram geometry: node sizes and handles, points and boxes, free spots, snapping and
//! the diagram's bounds; edge curves and label places ([`curves`]); the viewport (pan and
//! zoom) and its conversions ([`viewport`]). Pure math on world coordinates (the
//! scenario's x/y are a node's top-left corner).

mod curves;
mod viewport;

pub use curves::*;
pub use viewport::*;

use crate::core::scenario::{Node, NodeKind, Scenario};

/// Grid spacing for snapping, in world units.
pub const GRID: f64 = 20.0;

/// Width and height of a node of `kind`.
pub fn node_size(kind: NodeKind) -> (f64, f64) {
    crate::core::model::kind_info(kind).size
}

/// A point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Horizontal.
    pub x: f64,
    /// Vertical.
    pub y: f64,
}

impl Point {
    /// A point at (x, y).
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

/// Axis-aligned rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// The rectangle spanned by two corners, in any order.
    pub fn from_corners(a: Point, b: Point) -> Rect {
        Rect {
            x: a.x.min(b.x),
            y: a.y.min(b.y),
            w: (a.x - b.x).abs(),
            h: (a.y - b.y).abs(),
        }
    }

    /// Whether the two rectangles overlap.
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether `p` is inside.
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.x + self.w && p.y >= self.y && p.y <= self.y + self.h
    }
}

/// A node's bounding box.
pub fn node_rect(node: &Node) -> Rect {
    let (w, h) = node_size(node.kind());
    Rect {
        x: node.x,
        y: node.y,
        w,
        h,
    }
}

/// The centre nearest to (x, y), on the snapping grid, where a `w` × `h` node
/// overlaps no node of `scenario` (keeping a grid step of space around each). Looks
/// outwards ring by ring up to 60 grid steps; past that it gives (x, y) itself.
pub fn free_spot(scenario: &Scenario, w: f64, h: f64, x: f64, y: f64) -> (f64, f64) {
    free_spot_within(scenario, w, h, x, y, true)
}

/// Like [`free_spot`], never left of `x`: a node added after a selected one goes to
/// its right, or further right, so its edge runs forwards.
pub fn free_spot_rightward(scenario: &Scenario, w: f64, h: f64, x: f64, y: f64) -> (f64, f64) {
    free_spot_within(scenario, w, h, x, y, false)
}

fn free_spot_within(
    scenario: &Scenario,
    w: f64,
    h: f64,
    x: f64,
    y: f64,
    leftward: bool,
) -> (f64, f64) {
    let rects: Vec<Rect> = scenario
        .nodes
        .iter()
        .map(|n| {
            let r = node_rect(n);
            Rect {
                x: r.x - GRID,
                y: r.y - GRID,
                w: r.w + 2.0 * GRID,
                h: r.h + 2.0 * GRID,
            }
        })
        .collect();
    let fits = |cx: f64, cy: f64| {
        let (left, top) = (snap(cx - w / 2.0), snap(cy - h / 2.0));
        let me = Rect {
            x: left,
            y: top,
            w,
            h,
        };
        !rects.iter().any(|r| r.intersects(&me))
    };
    for ring in 0..=60i32 {
        // The cells of this ring, nearest to the centre first.
        let mut cells: Vec<(i32, i32)> = (-ring..=ring)
            .flat_map(|i| (-ring..=ring).map(move |j| (i, j)))
            .filter(|(i, j)| i.abs().max(j.abs()) == ring && (leftward || *i >= 0))
            .collect();
        // Equally near: below before above, right before left.
        crate::core::sort::sort_by_key(&mut cells, |(i, j)| {
            (i * i + j * j, *j < 0, *i < 0, j.abs(), i.abs())
        });
        for (i, j) in cells {
            let (cx, cy) = (x + i as f64 * GRID, y + j as f64 * GRID);
            if fits(cx, cy) {
                return (cx, cy);
            }
        }
    }
    (x, y)
}

/// Where edges leave a node (right middle).
pub fn out_handle(node: &Node) -> Point {
    let r = node_rect(node);
    Point::new(r.x + r.w, r.y + r.h / 2.0)
}

/// Where edges arrive at a node (left middle).
pub fn in_handle(node: &Node) -> Point {
    let r = node_rect(node);
    Point::new(r.x, r.y + r.h / 2.0)
}
/// The box holding every node and every edge of `scenario` as drawn (a curve lies within
/// its control points), or `None` for an empty diagram.
pub fn diagram_bounds(scenario: &Scenario) -> Option<Rect> {
    let mut points: Vec<Point> = Vec::new();
    for n in &scenario.nodes {
        let r = node_rect(n);
        points.push(Point::new(r.x, r.y));
        points.push(Point::new(r.x + r.w, r.y + r.h));
    }
    for curve in edge_curves(scenario, |n| (n.x, n.y)).into_iter().flatten() {
        points.extend(curve);
    }
    let first = *points.first()?;
    let (mut x0, mut y0, mut x1, mut y1) = (first.x, first.y, first.x, first.y);
    for p in points {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    Some(Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    })
}
/// Snaps a coordinate to the grid.
pub fn snap(v: f64) -> f64 {
    (v / GRID).round() * GRID
}

#[cfg(test)]
mod tests;
