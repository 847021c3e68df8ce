//! The diagram editor's model: the scenario being edited, the selection, the viewport,
//! undo/redo, and every edit as a typed [`Action`] applied by [`Editor::apply`]. Pure
//! Rust (no web crates), so the UI's reducer is a thin wrapper and all of it is tested
//! natively.

pub mod connect;
pub mod defaults;
pub mod geometry;
pub mod keyboard;
pub mod labels;
pub mod persist;
pub mod share;

use crate::core::scenario::{validate, Edge, EdgeKind, Node, NodeKind, Scenario};
use geometry::{node_rect, node_size, snap, Rect, Viewport};
use std::collections::BTreeSet;
use std::rc::Rc;

/// Most undo steps kept.
pub const UNDO_LIMIT: usize = 200;

/// One edit or view change.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Adds a node of `kind` centred on world point (x, y) and selects it.
    AddNode {
        /// Kind of node.
        kind: NodeKind,
        /// World x of its centre.
        x: f64,
        /// World y of its centre.
        y: f64,
    },
    /// Adds a node of `kind` as near world point (x, y) as it fits without overlapping
    /// another node (a palette click at the view centre), and selects it.
    AddNodeNear {
        /// Kind of node.
        kind: NodeKind,
        /// World x of the preferred centre.
        x: f64,
        /// World y of the preferred centre.
        y: f64,
        /// The canvas size in screen pixels: the view pans just enough to show the new
        /// node when it lands outside (zero: leave the view alone).
        view: (f64, f64),
    },
    /// A connection dragged from `from` and dropped on empty canvas at world point
    /// (x, y): adds the natural next node there (see `WIRING`) and connects it.
    ConnectToNew {
        /// Source node id.
        from: String,
        /// World x of the new node's centre.
        x: f64,
        /// World y of the new node's centre.
        y: f64,
    },
    /// Moves nodes by (dx, dy) world units (snapped to the grid when snapping is on).
    MoveNodes {
        /// Node ids.
        ids: Vec<String>,
        /// Horizontal shift.
        dx: f64,
        /// Vertical shift.
        dy: f64,
    },
    /// Connects two nodes with the edge kind their kinds imply.
    Connect {
        /// Source node id.
        from: String,
        /// Target node id.
        to: String,
    },
    /// Replaces a node (same id) with new settings from the inspector.
    UpdateNode(Box<Node>),
    /// Replaces an edge (same id) with new settings from the inspector.
    UpdateEdge(Box<Edge>),
    /// Selects one node (`additive`: toggles it in the current selection).
    SelectNode {
        /// Node id.
        id: String,
        /// Shift-click.
        additive: bool,
    },
    /// Selects one edge.
    SelectEdge {
        /// Edge id.
        id: String,
        /// Shift-click.
        additive: bool,
    },
    /// Selects the nodes a world rectangle touches.
    SelectInRect {
        /// The box.
        rect: Rect,
        /// Shift held: add to the selection.
        additive: bool,
    },
    /// Selects everything.
    SelectAll,
    /// Clears the selection.
    ClearSelection,
    /// Deletes the selected nodes (with their edges) and edges.
    DeleteSelected,
    /// Copies the selected nodes and the edges between them, offset a little.
    DuplicateSelected,
    /// Undoes the last diagram change.
    Undo,
    /// Redoes the last undone change.
    Redo,
    /// Sets pan and zoom.
    SetViewport(Viewport),
    /// Turns grid snapping on or off.
    SetSnap(bool),
    /// Replaces the whole diagram (load, import, template); undoable.
    Load(Box<Scenario>),
    /// Hides the notice.
    DismissNotice,
    /// Shows a notice (why a gesture did nothing).
    Notify(String),
}

/// The editor state.
#[derive(Clone, Debug, PartialEq)]
pub struct Editor {
    /// The diagram.
    pub scenario: Rc<Scenario>,
    /// Selected node ids.
    pub selected_nodes: BTreeSet<String>,
    /// Selected edge ids.
    pub selected_edges: BTreeSet<String>,
    /// Pan and zoom.
    pub viewport: Viewport,
    /// Snap moved nodes to the grid.
    pub snap: bool,
    /// A message for the user (why an edit was refused, what happened).
    pub notice: Option<String>,
    /// Bumped on every diagram change (autosave and the live view watch it).
    pub revision: u64,
    undo: Vec<Rc<Scenario>>,
    redo: Vec<Rc<Scenario>>,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new(Scenario::empty())
    }
}

impl Editor {
    /// An editor on `scenario`.
    pub fn new(scenario: Scenario) -> Editor {
        Editor {
            scenario: Rc::new(scenario),
            selected_nodes: BTreeSet::new(),
            selected_edges: BTreeSet::new(),
            viewport: Viewport::default(),
            snap: true,
            notice: None,
            revision: 0,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Records the current diagram for undo and returns a mutable copy to change.
    fn edit(&mut self) -> &mut Scenario {
        self.undo.push(self.scenario.clone());
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.revision += 1;
        Rc::make_mut(&mut self.scenario)
    }

    fn refuse(&mut self, why: impl Into<String>) {
        self.notice = Some(why.into());
    }

    fn prune_selection(&mut self) {
        let s = self.scenario.clone();
        self.selected_nodes
            .retain(|id| s.nodes.iter().any(|n| &n.id == id));
        self.selected_edges
            .retain(|id| s.edges.iter().any(|e| &e.id == id));
    }

    /// Applies one action. An edit after which the diagram would not load (a problem
    /// that validation reports anywhere, not only on the edited node or edge) is
    /// undone at once and refused with that problem's message, so the diagram on the
    /// canvas, and what autosave keeps, always loads.
    pub fn apply(&mut self, action: Action) {
        let changes_diagram = matches!(
            action,
            Action::AddNode { .. }
                | Action::AddNodeNear { .. }
                | Action::ConnectToNew { .. }
                | Action::MoveNodes { .. }
                | Action::Connect { .. }
                | Action::UpdateNode(_)
                | Action::UpdateEdge(_)
                | Action::DuplicateSelected
        );
        if !changes_diagram {
            return self.apply_unchecked(action);
        }
        let before = self.clone();
        self.apply_unchecked(action);
        if Rc::ptr_eq(&before.scenario, &self.scenario) {
            return;
        }
        let problems = validate(&self.scenario);
        if problems.is_empty() {
            return;
        }
        let known = validate(&before.scenario);
        if let Some(new) = problems.into_iter().find(|p| !known.contains(p)) {
            *self = before;
            self.refuse(new.message);
        }
    }

    fn apply_unchecked(&mut self, action: Action) {
        match action {
            Action::AddNode { kind, x, y } => {
                let (w, h) = node_size(kind);
                let (mut left, mut top) = (x - w / 2.0, y - h / 2.0);
                if self.snap {
                    left = snap(left);
                    top = snap(top);
                }
                let node = defaults::new_node(&self.scenario, kind, left, top);
                let id = node.id.clone();
                self.edit().nodes.push(node);
                self.selected_nodes = BTreeSet::from([id]);
                self.selected_edges.clear();
                self.notice = None;
            }
            Action::AddNodeNear { kind, x, y, view } => {
                self.add_node_near(kind, x, y);
                self.reveal_selected(view);
            }
            Action::ConnectToNew { from, x, y } => {
                let Some(a) = self.scenario.node(&from).cloned() else {
                    return self.refuse("that node no longer exists");
                };
                let Some(kind) = crate::core::model::wiring::natural_next(a.kind) else {
                    return self.refuse(format!(
                        "No connection made: nothing follows a {} here; drop the line on a node.",
                        a.kind.as_str()
                    ));
                };
                self.selected_nodes = BTreeSet::from([a.id.clone()]);
                self.selected_edges.clear();
                let (w, h) = node_size(kind);
                let (cx, cy) = geometry::free_spot(&self.scenario, w, h, x, y);
                self.add_node_at(kind, cx, cy, Some(a));
                self.notice = Some(format!(
                    "Added a {} where the line was dropped and connected {} to it. Undo removes both.",
                    kind.as_str(),
                    self.scenario.node(&from).map(|n| n.name.as_str()).unwrap_or("")
                ));
            }
            Action::MoveNodes { ids, dx, dy } => {
                if ids.is_empty() || (dx == 0.0 && dy == 0.0) || !dx.is_finite() || !dy.is_finite()
                {
                    return;
                }
                let snap_on = self.snap;
                let s = self.edit();
                for node in s.nodes.iter_mut().filter(|n| ids.contains(&n.id)) {
                    node.x += dx;
                    node.y += dy;
                    if snap_on {
                        node.x = snap(node.x);
                        node.y = snap(node.y);
                    }
                }
            }
            Action::Connect { from, to } => {
                let (Some(a), Some(b)) = (self.scenario.node(&from), self.scenario.node(&to))
                else {
                    return self.refuse("that node no longer exists");
                };
                let Some(kind) = connect::infer_edge_kind(a.kind, b.kind) else {
                    let why = crate::core::scenario::edge_rule(
                        a.kind,
                        b.kind,
                        EdgeKind::Binding,
                        false,
                        false,
                    )
                    .err()
                    .unwrap_or_else(|| "these nodes cannot be connected".into());
                    return self.refuse(format!("Cannot connect {} to {}: {why}", a.name, b.name));
                };
                let edge = defaults::new_edge(&self.scenario, &from, &to, kind);
                match connect::check_new_edge(&self.scenario, &edge) {
                    Ok(()) => {
                        let id = edge.id.clone();
                        self.edit().edges.push(edge);
                        self.selected_nodes.clear();
                        self.selected_edges = BTreeSet::from([id]);
                        self.notice = None;
                    }
                    Err(why) => {
                        let (an, bn) = (a.name.clone(), b.name.clone());
                        self.refuse(format!("Cannot connect {an} to {bn}: {why}"))
                    }
                }
            }
            Action::UpdateNode(node) => {
                let Some(i) = self.scenario.nodes.iter().position(|n| n.id == node.id) else {
                    return;
                };
                if self.scenario.nodes[i] == *node {
                    return;
                }
                let mut next = (*self.scenario).clone();
                next.nodes[i] = *node;
                let prefix = format!("nodes[{i}]");
                if let Some(p) = validate(&next)
                    .into_iter()
                    .find(|p| p.path.starts_with(&prefix))
                {
                    return self.refuse(p.message);
                }
                self.edit().nodes[i] = next.nodes.swap_remove(i);
                self.notice = None;
            }
            Action::UpdateEdge(edge) => {
                let Some(i) = self.scenario.edges.iter().position(|e| e.id == edge.id) else {
                    return;
                };
                if self.scenario.edges[i] == *edge {
                    return;
                }
                let mut next = (*self.scenario).clone();
                next.edges[i] = *edge;
                let prefix = format!("edges[{i}]");
                if let Some(p) = validate(&next)
                    .into_iter()
                    .find(|p| p.path.starts_with(&prefix))
                {
                    return self.refuse(p.message);
                }
                self.edit().edges[i] = next.edges.swap_remove(i);
                self.notice = None;
            }
            Action::SelectNode { id, additive } => {
                if additive {
                    if !self.selected_nodes.remove(&id) {
                        self.selected_nodes.insert(id);
                    }
                } else {
                    self.selected_nodes = BTreeSet::from([id]);
                    self.selected_edges.clear();
                }
            }
            Action::SelectEdge { id, additive } => {
                if additive {
                    if !self.selected_edges.remove(&id) {
                        self.selected_edges.insert(id);
                    }
                } else {
                    self.selected_edges = BTreeSet::from([id]);
                    self.selected_nodes.clear();
                }
            }
            Action::SelectInRect { rect, additive } => {
                if !additive {
                    self.selected_nodes.clear();
                    self.selected_edges.clear();
                }
                for n in self
                    .scenario
                    .nodes
                    .iter()
                    .filter(|n| node_rect(n).intersects(&rect))
                {
                    self.selected_nodes.insert(n.id.clone());
                }
            }
            Action::SelectAll => {
                self.selected_nodes = self.scenario.nodes.iter().map(|n| n.id.clone()).collect();
                self.selected_edges = self.scenario.edges.iter().map(|e| e.id.clone()).collect();
            }
            Action::ClearSelection => {
                self.selected_nodes.clear();
                self.selected_edges.clear();
            }
            Action::DeleteSelected => {
                if self.selected_nodes.is_empty() && self.selected_edges.is_empty() {
                    return;
                }
                let nodes = std::mem::take(&mut self.selected_nodes);
                let edges = std::mem::take(&mut self.selected_edges);
                let s = self.edit();
                s.nodes.retain(|n| !nodes.contains(&n.id));
                s.edges.retain(|e| {
                    !edges.contains(&e.id) && !nodes.contains(&e.from) && !nodes.contains(&e.to)
                });
            }
            Action::DuplicateSelected => self.duplicate_selected(),
            Action::Undo => {
                if let Some(prev) = self.undo.pop() {
                    self.redo.push(std::mem::replace(&mut self.scenario, prev));
                    self.revision += 1;
                    self.prune_selection();
                }
            }
            Action::Redo => {
                if let Some(next) = self.redo.pop() {
                    self.undo.push(std::mem::replace(&mut self.scenario, next));
                    self.revision += 1;
                    self.prune_selection();
                }
            }
            Action::SetViewport(v) => {
                if v.zoom.is_finite() && v.zoom > 0.0 && v.x.is_finite() && v.y.is_finite() {
                    self.viewport = v;
                }
            }
            Action::SetSnap(on) => self.snap = on,
            Action::Load(scenario) => {
                *self.edit() = *scenario;
                self.selected_nodes.clear();
                self.selected_edges.clear();
            }
            Action::DismissNotice => self.notice = None,
            Action::Notify(text) => self.notice = Some(text),
        }
    }

    /// A palette click: with one node selected, the new node goes to its right and, when
    /// the `WIRING` table has a default edge from the selected kind to the new one, the
    /// two are connected — so Producer, Exchange, Queue, Consumer clicked in turn build a
    /// working flow. Otherwise the node goes as near (x, y) as it fits. One undo step.
    fn add_node_near(&mut self, kind: NodeKind, x: f64, y: f64) {
        let (w, h) = node_size(kind);
        let anchor = match self.selected_nodes.iter().collect::<Vec<_>>().as_slice() {
            [one] if self.selected_edges.is_empty() => self.scenario.node(one).cloned(),
            _ => None,
        };
        let (px, py) = match &anchor {
            Some(a) => {
                let r = node_rect(a);
                (r.x + r.w + 80.0 + w / 2.0, r.y + r.h / 2.0)
            }
            None => (x, y),
        };
        let (cx, cy) = geometry::free_spot(&self.scenario, w, h, px, py);
        self.add_node_at(kind, cx, cy, anchor);
    }

    /// Adds a `kind` node centred on (cx, cy), connected from `anchor` by the natural
    /// edge when there is one; selects it. One undo step.
    fn add_node_at(&mut self, kind: NodeKind, cx: f64, cy: f64, anchor: Option<Node>) {
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
            let edge_kind = connect::infer_edge_kind(a.kind, kind)?;
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

    /// Pans the view (same zoom) just enough that the selected node is inside a
    /// `view`-sized canvas, with a margin.
    fn reveal_selected(&mut self, view: (f64, f64)) {
        const MARGIN: f64 = 24.0;
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

    fn duplicate_selected(&mut self) {
        if self.selected_nodes.is_empty() {
            return;
        }
        let original = self.scenario.clone();
        let mut work = (*original).clone();
        let mut mapping = std::collections::BTreeMap::new();
        let mut new_ids = BTreeSet::new();
        for node in original
            .nodes
            .iter()
            .filter(|n| self.selected_nodes.contains(&n.id))
        {
            let mut copy = defaults::new_node(&work, node.kind, node.x + 40.0, node.y + 40.0);
            let (id, name) = (copy.id.clone(), copy.name.clone());
            copy = Node {
                id: id.clone(),
                name: format!("{} copy", node.name),
                ..node.clone()
            };
            copy.x += 40.0;
            copy.y += 40.0;
            if work
                .nodes
                .iter()
                .any(|n| n.kind == copy.kind && n.name == copy.name)
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
