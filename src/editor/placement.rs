//! Where new nodes go: a palette click beside the selected node (connected by the
//! natural edge) or in free space, a line dropped on empty canvas, duplicates, and
//! panning the view to show what was added.

use super::geometry::{self, node_rect, node_size, snap};
use super::{connect, defaults, Editor};
use crate::core::scenario::{validate, Edge, Node, NodeKind};
use std::collections::BTreeSet;

/// The furthest a palette click zooms out to keep a whole diagram in view, as a share
/// of the zoom it had (a diagram just past the canvas's edge, not a detail looked at
/// closely in a big one).
pub const KEEP_WHOLE_MAX_ZOOM_OUT: f64 = 0.85;

impl Editor {
    /// A connection dragged from `from` and dropped on empty canvas at (x, y): adds the
    /// natural next node there (see `WIRING`) and connects it.
    pub(super) fn connect_to_new(&mut self, from: &str, x: f64, y: f64) {
        let Some(a) = self.scenario.node(from).cloned() else {
            return self.refuse("that node no longer exists");
        };
        let Some(kind) = crate::core::model::wiring::natural_next(a.kind()) else {
            return self.refuse(format!(
                "No connection made: nothing follows a {} here; drop the line on a node.",
                a.kind().as_str()
            ));
        };
        let name = a.name.clone();
        let (w, h) = node_size(kind);
        let (cx, cy) = geometry::free_spot(&self.scenario, w, h, x, y);
        self.add_node_at(kind, cx, cy, Some(a));
        let what = crate::core::model::kind_info(kind).label;
        // "an exchange", "an SQS queue" (read "ess-queue-ess"), "a Kafka topic".
        let article = crate::core::scenario::article(what);
        let what = match kind {
            NodeKind::Producer
            | NodeKind::Consumer
            | NodeKind::Exchange
            | NodeKind::Queue
            | NodeKind::Service => what.to_lowercase(),
            _ => what.to_string(),
        };
        self.notice = Some(format!(
            "Added {article} {what} where the line was dropped and connected {name} to it. Undo removes both."
        ));
    }

    /// A palette click: with one node selected, the new node goes to its right and, when
    /// the `WIRING` table has a default edge from the selected kind to the new one, the
    /// two are connected — so Producer, Exchange, Queue, Consumer clicked in turn build a
    /// working flow. Otherwise the node goes as near (x, y) as it fits. One undo step.
    pub(super) fn add_node_near(&mut self, kind: NodeKind, x: f64, y: f64) {
        let (w, h) = node_size(kind);
        let anchor = match self.selected_nodes.iter().collect::<Vec<_>>().as_slice() {
            [one] if self.selected_edges.is_empty() => self.scenario.node(one).cloned(),
            _ => None,
        };
        let (cx, cy) = match &anchor {
            Some(a) => {
                let r = node_rect(a);
                let (px, py) = (r.x + r.w + 80.0 + w / 2.0, r.y + r.h / 2.0);
                geometry::free_spot_rightward(&self.scenario, w, h, px, py)
            }
            None => geometry::free_spot(&self.scenario, w, h, x, y),
        };
        self.add_node_at(kind, cx, cy, anchor);
    }

    /// Adds a `kind` node centred on (cx, cy), connected from `anchor` by the natural
    /// edge when there is one; selects it. One undo step.
    pub(super) fn add_node_at(&mut self, kind: NodeKind, cx: f64, cy: f64, anchor: Option<Node>) {
        let (w, h) = node_size(kind);
        let (mut left, mut top) = (cx - w / 2.0, cy - h / 2.0);
        if self.snap {
            left = snap(left);
            top = snap(top);
        }
        let node = defaults::new_node(&self.scenario, kind, left, top);
        let id = node.id.clone();
        let mut next = (*self.scenario).clone();
        next.nodes.push(node);
        let edge = anchor.and_then(|a| {
            let edge_kind = connect::infer_edge_kind(a.kind(), kind)?;
            let edge = defaults::new_edge(&next, &a.id, &id, edge_kind);
            connect::check_new_edge(&next, &edge).ok()?;
            Some(edge)
        });
        if let Some(edge) = edge {
            next.edges.push(edge);
        }
        *self.edit() = next;
        self.selected_nodes = BTreeSet::from([id]);
        self.selected_edges.clear();
        self.notice = None;
    }

    /// Pans the view just enough that the selected node is inside a `view`-sized
    /// canvas, with a margin. While the whole diagram fits the canvas, at this zoom or
    /// a little less (not on a phone), all of it is kept in view instead: a flow built
    /// click by click stays whole on screen.
    pub(super) fn reveal_selected(&mut self, view: (f64, f64)) {
        const MARGIN: f64 = 24.0;
        if view.0 >= geometry::PHONE_WIDTH && self.keep_whole_in_view(view, MARGIN) {
            return;
        }
        let Some(node) = self
            .selected_nodes
            .iter()
            .next()
            .and_then(|id| self.scenario.node(id))
        else {
            return;
        };
        if view.0 <= 2.0 * MARGIN || view.1 <= 2.0 * MARGIN {
            return;
        }
        let r = node_rect(node);
        let vp = self.viewport;
        let a = vp.to_screen(geometry::Point::new(r.x, r.y));
        let b = vp.to_screen(geometry::Point::new(r.x + r.w, r.y + r.h));
        let shift = |lo: f64, hi: f64, size: f64| {
            if hi > size - MARGIN {
                (size - MARGIN - hi).max(MARGIN - lo)
            } else if lo < MARGIN {
                MARGIN - lo
            } else {
                0.0
            }
        };
        let (dx, dy) = (shift(a.x, b.x, view.0), shift(a.y, b.y, view.1));
        if dx != 0.0 || dy != 0.0 {
            self.viewport.x += dx;
            self.viewport.y += dy;
        }
    }

    /// Brings the whole diagram into a `view`-sized canvas (with `margin`) by the
    /// smallest pan, zooming out first if it needs to (by [`KEEP_WHOLE_MAX_ZOOM_OUT`]
    /// at most, and never in); false, and the view unchanged, when it cannot.
    fn keep_whole_in_view(&mut self, view: (f64, f64), margin: f64) -> bool {
        let Some(b) = geometry::diagram_bounds(&self.scenario) else {
            return false;
        };
        let (room_w, room_h) = (view.0 - 2.0 * margin, view.1 - 2.0 * margin);
        if room_w <= 0.0 || room_h <= 0.0 {
            return false;
        }
        let fits = (room_w / b.w.max(1.0)).min(room_h / b.h.max(1.0));
        let zoom = self.viewport.zoom.min(fits);
        if zoom < self.viewport.zoom * KEEP_WHOLE_MAX_ZOOM_OUT {
            return false;
        }
        if zoom < self.viewport.zoom {
            // Zoom out about the diagram's centre as it is on screen now.
            let centre = geometry::Point::new(b.x + b.w / 2.0, b.y + b.h / 2.0);
            let at = self.viewport.to_screen(centre);
            self.viewport.zoom = zoom;
            self.viewport.x = at.x - centre.x * zoom;
            self.viewport.y = at.y - centre.y * zoom;
        }
        let vp = self.viewport;
        let a = vp.to_screen(geometry::Point::new(b.x, b.y));
        let c = vp.to_screen(geometry::Point::new(b.x + b.w, b.y + b.h));
        let shift = |lo: f64, hi: f64, size: f64| {
            if lo < margin {
                margin - lo
            } else if hi > size - margin {
                size - margin - hi
            } else {
                0.0
            }
        };
        self.viewport.x += shift(a.x, c.x, view.0);
        self.viewport.y += shift(a.y, c.y, view.1);
        true
    }

    /// How far the copies of the selected nodes go: 40 down and right when no copy
    /// would touch a node there (the originals included); else just below the
    /// selection, lower by grid steps until no copy lands on a node.
    fn duplicate_offset(&self) -> (f64, f64) {
        let chosen: Vec<&Node> = self
            .scenario
            .nodes
            .iter()
            .filter(|n| self.selected_nodes.contains(&n.id))
            .collect();
        let others: Vec<geometry::Rect> = self.scenario.nodes.iter().map(node_rect).collect();
        let clear = |dx: f64, dy: f64| {
            chosen.iter().all(|n| {
                let mut r = node_rect(n);
                r.x += dx;
                r.y += dy;
                others.iter().all(|o| !o.intersects(&r))
            })
        };
        if clear(40.0, 40.0) {
            return (40.0, 40.0);
        }
        let top = chosen.iter().map(|n| n.y).fold(f64::INFINITY, f64::min);
        let bottom = chosen
            .iter()
            .map(|n| n.y + node_size(n.kind()).1)
            .fold(f64::NEG_INFINITY, f64::max);
        let below = (bottom - top + 40.0) / geometry::GRID;
        let below = below.ceil() * geometry::GRID;
        (0..500)
            .map(|k| below + k as f64 * geometry::GRID)
            .find(|&dy| clear(0.0, dy))
            .map_or((40.0, 40.0), |dy| (0.0, dy))
    }

    pub(super) fn duplicate_selected(&mut self) {
        if self.selected_nodes.is_empty() {
            return;
        }
        let original = self.scenario.clone();
        let (dx, dy) = self.duplicate_offset();
        let mut work = (*original).clone();
        let mut mapping = std::collections::BTreeMap::new();
        let mut new_ids = BTreeSet::new();
        for node in original
            .nodes
            .iter()
            .filter(|n| self.selected_nodes.contains(&n.id))
        {
            let mut copy = defaults::new_node(&work, node.kind(), node.x + 40.0, node.y + 40.0);
            let (id, name) = (copy.id.clone(), copy.name.clone());
            copy = Node {
                id: id.clone(),
                name: format!("{} copy", node.name),
                ..node.clone()
            };
            copy.x += dx;
            copy.y += dy;
            if work
                .nodes
                .iter()
                .any(|n| n.kind() == copy.kind() && n.name == copy.name)
            {
                copy.name = name;
            }
            mapping.insert(node.id.clone(), id.clone());
            new_ids.insert(id);
            work.nodes.push(copy);
        }
        for edge in original.edges.iter() {
            if let (Some(from), Some(to)) = (mapping.get(&edge.from), mapping.get(&edge.to)) {
                let id = defaults::fresh_id(&work, "e");
                work.edges.push(Edge {
                    id,
                    from: from.clone(),
                    to: to.clone(),
                    ..edge.clone()
                });
            }
        }
        if !validate(&work).is_empty() {
            return self.refuse("the copy would not be a valid diagram");
        }
        *self.edit() = work;
        self.selected_nodes = new_ids;
        self.selected_edges.clear();
    }
}
