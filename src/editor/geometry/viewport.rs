//! The viewport: pan and zoom, screen ↔ world conversions, zooming about a point and
//! fitting a box (phones keep a readable zoom).

use super::{diagram_bounds, node_rect, Point, Rect};
use crate::core::scenario::{Node, Scenario};

/// Canvases narrower than this (phones) are fitted at [`PHONE_MIN_ZOOM`] at least.
pub const PHONE_WIDTH: f64 = 520.0;
/// The smallest zoom a phone's canvas is fitted at: node names stay readable.
pub const PHONE_MIN_ZOOM: f64 = 0.6;
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

    /// The viewport that shows the whole diagram, however small (the Fit button: on a
    /// phone too); `Viewport::default()` when it is empty.
    pub fn fit_diagram_whole(scenario: &Scenario, width: f64, height: f64) -> Viewport {
        match diagram_bounds(scenario) {
            Some(b) => Viewport::fit_rect_with(b, width, height, false),
            None => Viewport::default(),
        }
    }

    /// The viewport that shows rectangle `b` (world) in a `width` × `height` canvas.
    pub fn fit_rect(b: Rect, width: f64, height: f64) -> Viewport {
        Viewport::fit_rect_with(b, width, height, true)
    }

    /// [`Viewport::fit_rect`]; with `readable`, a phone's canvas keeps at least
    /// [`PHONE_MIN_ZOOM`].
    fn fit_rect_with(b: Rect, width: f64, height: f64, readable: bool) -> Viewport {
        let margin = if width < PHONE_WIDTH { 12.0 } else { 40.0 };
        let (w, h) = (b.w.max(1.0), b.h.max(1.0));
        let fitted = ((width - 2.0 * margin) / w)
            .min((height - 2.0 * margin) / h)
            .clamp(ZOOM_RANGE.0, 1.5);
        // On a phone a whole diagram fitted would be too small to read: it is shown
        // at a readable size from its left edge (where the flow starts), and the rest
        // is a pan away.
        let zoom = if width < PHONE_WIDTH && readable {
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
