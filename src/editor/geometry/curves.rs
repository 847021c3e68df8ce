//! Edge curves: the Bézier of each edge with its lane among parallel edges and its
//! detour around nodes in the way, label places, arrowheads, SVG path text and lengths.

use super::{node_size, Point, Rect};
use crate::core::scenario::{Node, NodeKind, Scenario};
use std::collections::HashMap;

/// The cubic Bézier of an edge from `a` to `b`: horizontal tangents, bending further
/// when the target lies behind the source. `lane` spreads parallel edges apart.
pub fn edge_curve(a: Point, b: Point, lane: f64) -> [Point; 4] {
    let dx = (b.x - a.x).abs();
    let bend = lane * 28.0;
    if b.x < a.x - 40.0 {
        // A back edge (a dead-letter loop, a retry): out to the right a little, under
        // both ends, and in from the left — it stays beside the diagram instead of
        // swinging far out of it.
        let reach = 90.0;
        let below = a.y.max(b.y) + 110.0 + bend;
        return [
            a,
            Point::new(a.x + reach, below),
            Point::new(b.x - reach, below),
            b,
        ];
    }
    let reach = (dx * 0.5).max(60.0) + if b.x < a.x { 80.0 } else { 0.0 };
    [
        a,
        Point::new(a.x + reach, a.y + bend),
        Point::new(b.x - reach, b.y + bend),
        b,
    ]
}
/// The curve of every edge of `scenario`, in edge order (none when an end is missing),
/// with nodes placed where `place` says (top-left). Parallel edges between the same two
/// nodes get separate lanes so they and their labels do not overlap.
pub fn edge_curves(
    scenario: &Scenario,
    place: impl Fn(&Node) -> (f64, f64),
) -> Vec<Option<[Point; 4]>> {
    edge_curves_where(scenario, place, |_| true)
}

/// The lane of every edge of `scenario`, in edge order: 0 for a lone edge, and values
/// spread around 0 for parallel edges between the same two nodes (either direction).
pub fn edge_lanes(scenario: &Scenario) -> Vec<f64> {
    let index: HashMap<&str, usize> = scenario
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let pair_of = |e: &crate::core::scenario::Edge| {
        let a = index.get(e.from.as_str()).copied().unwrap_or(usize::MAX);
        let b = index.get(e.to.as_str()).copied().unwrap_or(usize::MAX);
        (a.min(b), a.max(b))
    };
    let mut totals: HashMap<(usize, usize), usize> = HashMap::new();
    for e in &scenario.edges {
        *totals.entry(pair_of(e)).or_insert(0) += 1;
    }
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    scenario
        .edges
        .iter()
        .map(|e| {
            let p = pair_of(e);
            let k = seen.entry(p).or_insert(0);
            let lane = *k as f64 - (totals[&p] as f64 - 1.0) / 2.0;
            *k += 1;
            lane
        })
        .collect()
}

/// Where an edge leaves a node of `kind` whose top-left is at `(x, y)` (right middle).
pub fn out_point(kind: NodeKind, x: f64, y: f64) -> Point {
    let (w, h) = node_size(kind);
    Point::new(x + w, y + h / 2.0)
}

/// Where an edge arrives at a node of `kind` whose top-left is at `(x, y)` (left middle).
pub fn in_point(kind: NodeKind, x: f64, y: f64) -> Point {
    let (_, h) = node_size(kind);
    Point::new(x, y + h / 2.0)
}

/// Like [`edge_curves`], computing curves only for the edges `wanted` accepts (the
/// others are `None`); lanes still account for every edge. An edge whose curve would
/// run through a third node bends around it ([`detour`]).
pub fn edge_curves_where(
    scenario: &Scenario,
    place: impl Fn(&Node) -> (f64, f64),
    wanted: impl Fn(&crate::core::scenario::Edge) -> bool,
) -> Vec<Option<[Point; 4]>> {
    let nodes: HashMap<&str, (usize, &Node)> = scenario
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), (i, n)))
        .collect();
    let obstacles = Obstacles::new(
        scenario.nodes.iter().map(|n| {
            let (x, y) = place(n);
            let (w, h) = node_size(n.kind());
            Rect { x, y, w, h }
        }),
        CLEARANCE,
    );
    scenario
        .edges
        .iter()
        .zip(edge_lanes(scenario))
        .map(|(e, lane)| {
            if !wanted(e) {
                return None;
            }
            let (&(ai, a), &(bi, b)) = (nodes.get(e.from.as_str())?, nodes.get(e.to.as_str())?);
            let ((ax, ay), (bx, by)) = (place(a), place(b));
            let curve = edge_curve(
                out_point(a.kind(), ax, ay),
                in_point(b.kind(), bx, by),
                lane,
            );
            Some(detour(curve, &obstacles, (ai, bi)))
        })
        .collect()
}

/// Where each edge's label sits (edges without a curve or a label: none), with nodes
/// placed where `place` says: the middle of its curve, or the nearest point along it,
/// from the middle outwards, where the label's plate clears every node and handle and
/// the plates of the labels placed before it (a fan's labels, which bunch up at its
/// middles, spread out along the edges); failing that, the one clear of the nodes that
/// other labels cover least; the middle when none clears the nodes.
pub fn label_points(
    scenario: &Scenario,
    place: impl Fn(&Node) -> (f64, f64),
    curves: &[Option<[Point; 4]>],
) -> Vec<Option<Point>> {
    let obstacles = Obstacles::new(
        scenario.nodes.iter().map(|n| {
            let (x, y) = place(n);
            let (w, h) = node_size(n.kind());
            // The handles stick out of the box's sides.
            Rect {
                x: x - 8.0,
                y,
                w: w + 16.0,
                h,
            }
        }),
        CLEARANCE,
    );
    let mut placed = Obstacles::new(std::iter::empty(), 0.0);
    // Flattest curves first: their spots all lie on one line, while a curve that climbs
    // or falls can move its label up or down out of the way.
    let mut order: Vec<usize> = (0..scenario.edges.len().min(curves.len())).collect();
    let rise = |i: usize| curves[i].map_or(0.0, |c| (c[3].y - c[0].y).abs());
    crate::core::sort::sort_by(&mut order, |&a, &b| rise(a).total_cmp(&rise(b)));
    let mut spots = vec![None; scenario.edges.len()];
    for i in order {
        let (e, Some(c)) = (&scenario.edges[i], curves[i].as_ref()) else {
            continue;
        };
        let Some(text) = crate::editor::labels::edge_label(scenario, e) else {
            continue;
        };
        let chars = crate::editor::labels::short_label(&text).chars().count();
        let width = chars as f64 * 6.8 + 12.0;
        let plate = |p: Point| Rect {
            x: p.x - width / 2.0,
            y: p.y - 10.0,
            w: width,
            h: 18.0,
        };
        let along = LABEL_SPOTS.map(|t| bezier_point(c, t));
        let off_nodes = |p: &Point| !obstacles.overlaps(&plate(*p));
        // The first spot clear of nodes and of other labels; failing that, the one clear
        // of nodes that other labels cover least; the middle when none clears the nodes.
        let clear: Vec<Point> = along.iter().copied().filter(off_nodes).collect();
        let spot = clear
            .iter()
            .find(|p| !placed.overlaps(&plate(**p)))
            .or_else(|| {
                clear.iter().min_by(|a, b| {
                    let (a, b) = (plate(**a), plate(**b));
                    placed.overlap_area(&a).total_cmp(&placed.overlap_area(&b))
                })
            })
            .copied()
            .unwrap_or(along[0]);
        placed.push(plate(spot));
        spots[i] = Some(spot);
    }
    spots
}

/// Where along its curve a label may sit, most wanted first: the middle, then outwards.
const LABEL_SPOTS: [f64; 11] = [
    0.5, 0.42, 0.58, 0.35, 0.65, 0.28, 0.72, 0.78, 0.22, 0.84, 0.16,
];

/// Room kept between an edge and a node it passes, in world units.
const CLEARANCE: f64 = 8.0;
/// Side of the grid cells nodes are bucketed in.
const CELL: f64 = 200.0;

/// Node boxes bucketed on a grid, to ask quickly which node a point falls in.
struct Obstacles {
    rects: Vec<Rect>,
    cells: HashMap<(i64, i64), Vec<usize>>,
}

impl Obstacles {
    /// The rectangles, each grown by `margin` on every side.
    fn new(rects: impl Iterator<Item = Rect>, margin: f64) -> Obstacles {
        let mut obstacles = Obstacles {
            rects: Vec::new(),
            cells: HashMap::new(),
        };
        for r in rects {
            obstacles.push(Rect {
                x: r.x - margin,
                y: r.y - margin,
                w: r.w + 2.0 * margin,
                h: r.h + 2.0 * margin,
            });
        }
        obstacles
    }

    /// Adds `r` as it is.
    fn push(&mut self, r: Rect) {
        let i = self.rects.len();
        let (x0, y0) = ((r.x / CELL).floor() as i64, (r.y / CELL).floor() as i64);
        let (x1, y1) = (
            ((r.x + r.w) / CELL).floor() as i64,
            ((r.y + r.h) / CELL).floor() as i64,
        );
        for cx in x0..=x1 {
            for cy in y0..=y1 {
                self.cells.entry((cx, cy)).or_default().push(i);
            }
        }
        self.rects.push(r);
    }

    /// Whether `p` falls in a node other than the two in `skip`.
    fn hit(&self, p: Point, skip: (usize, usize)) -> bool {
        let key = ((p.x / CELL).floor() as i64, (p.y / CELL).floor() as i64);
        self.cells.get(&key).is_some_and(|list| {
            list.iter()
                .any(|&i| i != skip.0 && i != skip.1 && self.rects[i].contains(p))
        })
    }

    /// Whether `r` overlaps any node.
    fn overlaps(&self, r: &Rect) -> bool {
        let (x0, y0) = ((r.x / CELL).floor() as i64, (r.y / CELL).floor() as i64);
        let (x1, y1) = (
            ((r.x + r.w) / CELL).floor() as i64,
            ((r.y + r.h) / CELL).floor() as i64,
        );
        (x0..=x1).any(|cx| {
            (y0..=y1).any(|cy| {
                self.cells
                    .get(&(cx, cy))
                    .is_some_and(|list| list.iter().any(|&i| self.rects[i].intersects(r)))
            })
        })
    }

    /// How much of `r`'s area the rectangles cover (overlaps between them counted
    /// twice).
    fn overlap_area(&self, r: &Rect) -> f64 {
        let (x0, y0) = ((r.x / CELL).floor() as i64, (r.y / CELL).floor() as i64);
        let (x1, y1) = (
            ((r.x + r.w) / CELL).floor() as i64,
            ((r.y + r.h) / CELL).floor() as i64,
        );
        let mut seen: Vec<usize> = Vec::new();
        for cx in x0..=x1 {
            for cy in y0..=y1 {
                seen.extend(self.cells.get(&(cx, cy)).into_iter().flatten());
            }
        }
        seen.sort_unstable();
        seen.dedup();
        seen.iter()
            .map(|&i| {
                let o = &self.rects[i];
                let w = (r.x + r.w).min(o.x + o.w) - r.x.max(o.x);
                let h = (r.y + r.h).min(o.y + o.h) - r.y.max(o.y);
                w.max(0.0) * h.max(0.0)
            })
            .sum()
    }

    /// Whether curve `c` runs through a node other than its two ends.
    fn crossed(&self, c: &[Point; 4], skip: (usize, usize)) -> bool {
        (1..16).any(|k| self.hit(bezier_point(c, k as f64 / 16.0), skip))
    }
}

/// `curve`, bent around the nodes it would run through: both control points are moved
/// down or up by growing steps until the curve clears every node but its two ends (the
/// smallest step wins, down before up); when no step clears them, the curve stays.
fn detour(curve: [Point; 4], obstacles: &Obstacles, ends: (usize, usize)) -> [Point; 4] {
    if !obstacles.crossed(&curve, ends) {
        return curve;
    }
    for step in 1..=8 {
        for sign in [1.0, -1.0] {
            let d = sign * step as f64 * 40.0;
            let bent = [
                curve[0],
                Point::new(curve[1].x, curve[1].y + d),
                Point::new(curve[2].x, curve[2].y + d),
                curve[3],
            ];
            if !obstacles.crossed(&bent, ends) {
                return bent;
            }
        }
    }
    curve
}
/// Point of a cubic Bézier at parameter `t` in [0, 1].
pub fn bezier_point(c: &[Point; 4], t: f64) -> Point {
    let u = 1.0 - t;
    let (a, b, cc, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    Point::new(
        a * c[0].x + b * c[1].x + cc * c[2].x + d * c[3].x,
        a * c[0].y + b * c[1].y + cc * c[2].y + d * c[3].y,
    )
}

/// SVG path data of the curve.
pub fn curve_path(c: &[Point; 4]) -> String {
    format!(
        "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
        c[0].x, c[0].y, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y
    )
}

/// Length and half width of an edge's arrowhead (world units).
pub const ARROW_LENGTH: f64 = 12.0;
/// Half the width of an arrowhead's base.
pub const ARROW_HALF_WIDTH: f64 = 5.5;

/// SVG path data of the arrowhead at the curve's end: a triangle with its tip on the end
/// point, pointing along the curve's final direction. Drawn as a plain path rather than an
/// SVG marker, so the browser paints a whole diagram's edges without a transform per edge.
pub fn arrow_path(c: &[Point; 4]) -> String {
    let tip = c[3];
    let (mut dx, mut dy) = (tip.x - c[2].x, tip.y - c[2].y);
    if dx.abs() + dy.abs() < 1e-9 {
        (dx, dy) = (tip.x - c[0].x, tip.y - c[0].y);
    }
    let len = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = if len < 1e-9 {
        (1.0, 0.0)
    } else {
        (dx / len, dy / len)
    };
    let (bx, by) = (tip.x - ux * ARROW_LENGTH, tip.y - uy * ARROW_LENGTH);
    let (px, py) = (-uy * ARROW_HALF_WIDTH, ux * ARROW_HALF_WIDTH);
    format!(
        "M{:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z",
        tip.x,
        tip.y,
        bx + px,
        by + py,
        bx - px,
        by - py
    )
}

/// Approximate length of the curve (for moving dots at constant speed).
pub fn curve_length(c: &[Point; 4]) -> f64 {
    let mut len = 0.0;
    let mut prev = c[0];
    for i in 1..=16 {
        let p = bezier_point(c, i as f64 / 16.0);
        len += ((p.x - prev.x).powi(2) + (p.y - prev.y).powi(2)).sqrt();
        prev = p;
    }
    len
}
