//! Diagram geometry: node sizes and handles, edge curves and label positions, the
//! viewport (pan and zoom) and its conversions, box selection and fit-to-view. Pure
//! math on world coordinates (the scenario's x/y are a node's top-left corner).

use crate::core::scenario::{Node, NodeKind, Scenario};
use std::collections::HashMap;

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
            .filter(|(i, j)| i.abs().max(j.abs()) == ring)
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
    let obstacles = Obstacles::new(scenario.nodes.iter().map(|n| {
        let (x, y) = place(n);
        let (w, h) = node_size(n.kind());
        Rect { x, y, w, h }
    }));
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
/// from the middle outwards, where the label's plate clears every node and handle; the
/// middle when none does.
pub fn label_points(
    scenario: &Scenario,
    place: impl Fn(&Node) -> (f64, f64),
    curves: &[Option<[Point; 4]>],
) -> Vec<Option<Point>> {
    let obstacles = Obstacles::new(scenario.nodes.iter().map(|n| {
        let (x, y) = place(n);
        let (w, h) = node_size(n.kind());
        // The handles stick out of the box's sides.
        Rect {
            x: x - 8.0,
            y,
            w: w + 16.0,
            h,
        }
    }));
    scenario
        .edges
        .iter()
        .zip(curves)
        .map(|(e, c)| {
            let c = c.as_ref()?;
            let text = crate::editor::labels::edge_label(scenario, e)?;
            let chars = crate::editor::labels::short_label(&text).chars().count();
            let width = chars as f64 * 6.8 + 12.0;
            let clear = |p: Point| {
                let plate = Rect {
                    x: p.x - width / 2.0,
                    y: p.y - 10.0,
                    w: width,
                    h: 18.0,
                };
                !obstacles.overlaps(&plate)
            };
            let spot = [0.5, 0.42, 0.58, 0.35, 0.65, 0.28, 0.72]
                .into_iter()
                .map(|t| bezier_point(c, t))
                .find(|p| clear(*p))
                .unwrap_or_else(|| bezier_point(c, 0.5));
            Some(spot)
        })
        .collect()
}

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
    fn new(rects: impl Iterator<Item = Rect>) -> Obstacles {
        let rects: Vec<Rect> = rects
            .map(|r| Rect {
                x: r.x - CLEARANCE,
                y: r.y - CLEARANCE,
                w: r.w + 2.0 * CLEARANCE,
                h: r.h + 2.0 * CLEARANCE,
            })
            .collect();
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, r) in rects.iter().enumerate() {
            let (x0, y0) = ((r.x / CELL).floor() as i64, (r.y / CELL).floor() as i64);
            let (x1, y1) = (
                ((r.x + r.w) / CELL).floor() as i64,
                ((r.y + r.h) / CELL).floor() as i64,
            );
            for cx in x0..=x1 {
                for cy in y0..=y1 {
                    cells.entry((cx, cy)).or_default().push(i);
                }
            }
        }
        Obstacles { rects, cells }
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

/// Canvases narrower than this (phones) are fitted at [`PHONE_MIN_ZOOM`] at least.
pub const PHONE_WIDTH: f64 = 520.0;
/// The smallest zoom a phone's canvas is fitted at: node names stay readable.
pub const PHONE_MIN_ZOOM: f64 = 0.6;

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

/// Snaps a coordinate to the grid.
pub fn snap(v: f64) -> f64 {
    (v / GRID).round() * GRID
}

/// Pan and zoom: screen = world × zoom + offset.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Viewport {
    /// Screen x of world x = 0.
    pub x: f64,
    /// Screen y of world y = 0.
    pub y: f64,
    /// Scale factor.
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

/// Smallest and largest zoom.
pub const ZOOM_RANGE: (f64, f64) = (0.2, 3.0);

impl Viewport {
    /// World point under a screen point.
    pub fn to_world(&self, p: Point) -> Point {
        Point::new((p.x - self.x) / self.zoom, (p.y - self.y) / self.zoom)
    }

    /// Screen point of a world point.
    pub fn to_screen(&self, p: Point) -> Point {
        Point::new(p.x * self.zoom + self.x, p.y * self.zoom + self.y)
    }

    /// Zooms by `factor`, keeping the world point under screen point `at` fixed.
    pub fn zoom_at(&self, factor: f64, at: Point) -> Viewport {
        let zoom = (self.zoom * factor).clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
        let world = self.to_world(at);
        Viewport {
            x: at.x - world.x * zoom,
            y: at.y - world.y * zoom,
            zoom,
        }
    }

    /// The viewport that shows every node inside a `width` × `height` screen with a margin.
    /// The viewport that shows all of `scenario` — nodes and edges — in a `width` ×
    /// `height` canvas.
    pub fn fit_diagram(scenario: &Scenario, width: f64, height: f64) -> Viewport {
        match diagram_bounds(scenario) {
            Some(b) => Viewport::fit_rect(b, width, height),
            None => Viewport::default(),
        }
    }

    /// The viewport that shows rectangle `b` (world) in a `width` × `height` canvas.
    pub fn fit_rect(b: Rect, width: f64, height: f64) -> Viewport {
        let margin = if width < PHONE_WIDTH { 12.0 } else { 40.0 };
        let (w, h) = (b.w.max(1.0), b.h.max(1.0));
        let fitted = ((width - 2.0 * margin) / w)
            .min((height - 2.0 * margin) / h)
            .clamp(ZOOM_RANGE.0, 1.5);
        // On a phone a whole diagram fitted would be too small to read: it is shown
        // at a readable size from its left edge (where the flow starts), and the rest
        // is a pan away.
        let zoom = if width < PHONE_WIDTH {
            fitted.max(PHONE_MIN_ZOOM)
        } else {
            fitted
        };
        let x = if w * zoom > width - 2.0 * margin {
            margin - b.x * zoom
        } else {
            (width - w * zoom) / 2.0 - b.x * zoom
        };
        let y = if h * zoom > height - 2.0 * margin {
            margin - b.y * zoom
        } else {
            (height - h * zoom) / 2.0 - b.y * zoom
        };
        Viewport { x, y, zoom }
    }

    /// The viewport that shows every node of `nodes`.
    pub fn fit(nodes: &[Node], width: f64, height: f64) -> Viewport {
        let Some(first) = nodes.first() else {
            return Viewport::default();
        };
        let mut b = node_rect(first);
        let (mut x2, mut y2) = (b.x + b.w, b.y + b.h);
        for n in nodes {
            let r = node_rect(n);
            b.x = b.x.min(r.x);
            b.y = b.y.min(r.y);
            x2 = x2.max(r.x + r.w);
            y2 = y2.max(r.y + r.h);
        }
        b.w = x2 - b.x;
        b.h = y2 - b.y;
        Viewport::fit_rect(b, width, height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewport_round_trips_and_zooms_about_a_point() {
        let v = Viewport {
            x: 30.0,
            y: -20.0,
            zoom: 1.5,
        };
        let p = Point::new(100.0, 50.0);
        let back = v.to_world(v.to_screen(p));
        assert!((back.x - p.x).abs() < 1e-9 && (back.y - p.y).abs() < 1e-9);
        let at = Point::new(200.0, 100.0);
        let z = v.zoom_at(2.0, at);
        let before = v.to_world(at);
        let after = z.to_world(at);
        assert!((before.x - after.x).abs() < 1e-9 && (before.y - after.y).abs() < 1e-9);
        assert_eq!(v.zoom_at(100.0, at).zoom, ZOOM_RANGE.1);
    }

    #[test]
    fn an_edge_bends_around_a_node_in_its_way() {
        use crate::core::scenario::{Edge, EdgeKind, NodeKind};
        let mut s = Scenario::empty();
        let mut place = |id: &str, kind: NodeKind, x: f64, y: f64| {
            let mut n = Node::new(id, kind, id);
            n.x = x;
            n.y = y;
            s.nodes.push(n);
        };
        place("p", NodeKind::Producer, 0.0, 100.0);
        place("q", NodeKind::Queue, 300.0, 96.0);
        place("c", NodeKind::Consumer, 600.0, 100.0);
        s.edges.push(Edge::new("e1", "p", "c", EdgeKind::Push));
        let curve = edge_curves(&s, |n| (n.x, n.y))[0].unwrap();
        let q = node_rect(&s.nodes[1]);
        for k in 0..=32 {
            let p = bezier_point(&curve, k as f64 / 32.0);
            assert!(!q.contains(p), "the edge runs through the queue at {p:?}");
        }
        // Its ends stay at the handles.
        assert_eq!(curve[0], out_handle(&s.nodes[0]));
        assert_eq!(curve[3], in_handle(&s.nodes[2]));
    }

    #[test]
    fn curve_ends_at_its_handles() {
        let c = edge_curve(Point::new(0.0, 0.0), Point::new(200.0, 50.0), 0.0);
        assert_eq!(bezier_point(&c, 0.0), c[0]);
        assert_eq!(bezier_point(&c, 1.0), c[3]);
        assert!(curve_length(&c) >= 200.0);
        assert!(curve_path(&c).starts_with("M0.0,0.0 C"));
    }

    #[test]
    fn fit_shows_everything() {
        let mut a = Node::new("a", NodeKind::Queue, "a");
        a.x = -500.0;
        let mut b = Node::new("b", NodeKind::Queue, "b");
        b.x = 900.0;
        b.y = 700.0;
        let v = Viewport::fit(&[a.clone(), b.clone()], 800.0, 600.0);
        for n in [a, b] {
            let r = node_rect(&n);
            let tl = v.to_screen(Point::new(r.x, r.y));
            let br = v.to_screen(Point::new(r.x + r.w, r.y + r.h));
            assert!(tl.x >= 0.0 && tl.y >= 0.0 && br.x <= 800.0 && br.y <= 600.0);
        }
    }
}
