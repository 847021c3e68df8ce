//! Geometry's unit tests.

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

/// On a phone's canvas a diagram is first shown at a readable zoom from its left edge;
/// the Fit button shows all of it, however small.
#[test]
fn fit_whole_shows_everything_on_a_phone() {
    let mut s = crate::core::scenario::Scenario::empty();
    for (i, x) in [0.0, 400.0, 800.0, 1200.0].into_iter().enumerate() {
        let mut n = Node::new(format!("n{i}"), NodeKind::Queue, format!("q{i}"));
        n.x = x;
        s.nodes.push(n);
    }
    let readable = Viewport::fit_diagram(&s, 380.0, 400.0);
    assert!(readable.zoom >= PHONE_MIN_ZOOM);
    let whole = Viewport::fit_diagram_whole(&s, 380.0, 400.0);
    assert!(whole.zoom < PHONE_MIN_ZOOM);
    for n in &s.nodes {
        let r = node_rect(n);
        let tl = whole.to_screen(Point::new(r.x, r.y));
        let br = whole.to_screen(Point::new(r.x + r.w, r.y + r.h));
        assert!(tl.x >= 0.0 && tl.y >= 0.0 && br.x <= 380.0 && br.y <= 400.0);
    }
}

/// Label plates as the canvas draws them (`label_points` places the plate's centre):
/// the same width rule, 18 units high.
fn plates(s: &crate::core::Scenario) -> Vec<Rect> {
    let place = |n: &crate::core::scenario::Node| (n.x, n.y);
    let curves = edge_curves_where(s, place, |_| true);
    label_points(s, place, &curves)
        .into_iter()
        .zip(&s.edges)
        .filter_map(|(p, e)| {
            let p = p?;
            let text = crate::editor::labels::edge_label(s, e)?;
            let w = crate::editor::labels::short_label(&text).chars().count() as f64 * 6.8 + 12.0;
            Some(Rect {
                x: p.x - w / 2.0,
                y: p.y - 10.0,
                w,
                h: 18.0,
            })
        })
        .collect()
}

#[test]
fn labels_of_bunched_edges_do_not_cover_each_other() {
    // In saga-choreography edges into and out of the events exchange bunch up near it,
    // so their labels move along their curves to where the edges have spread apart.
    // No gallery pattern shows two labels touching.
    let mut bad = Vec::new();
    for id in crate::gallery::PATTERN_IDS {
        let s = crate::gallery::pattern(id).expect("a gallery pattern");
        let plates = plates(&s);
        for (i, a) in plates.iter().enumerate() {
            for b in &plates[i + 1..] {
                let w = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
                let h = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
                if w > 0.0 && h > 0.0 {
                    bad.push(format!("{id}: {a:?} and {b:?}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "labels overlap:\n{}", bad.join("\n"));
}
