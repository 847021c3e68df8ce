//! The diagram editor's model: the scenario being edited, the selection, the viewport,
//! undo/redo, and every edit as a typed [`Action`] applied by [`Editor::apply`]. Pure
//! Rust (no web crates), so the UI's reducer is a thin wrapper and all of it is tested
//! natively.

mod action;
mod clients;
pub mod connect;
pub mod defaults;
pub mod fifo;
pub mod geometry;
mod groups;
pub mod keyboard;
pub mod labels;
pub mod lint;
pub mod persist;
mod placement;
pub mod pretty_json;
pub mod share;
pub mod tidy;
mod update;

use crate::core::scenario::{validate, EdgeKind, Scenario};
use geometry::{node_rect, snap, Viewport};
use std::collections::BTreeSet;
use std::rc::Rc;
pub use update::carry_rename;

pub use action::Action;

/// Most undo steps kept.
pub const UNDO_LIMIT: usize = 200;

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
    /// The last change was a step recorded by hand (Now): the run already did it, so
    /// the live view goes on; any other change of the script starts the run again.
    pub recorded_by_hand: bool,
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
            recorded_by_hand: false,
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
        self.recorded_by_hand = false;
        Rc::make_mut(&mut self.scenario)
    }

    /// Why `action` would be refused, without doing it (`None`: it would be taken, or
    /// change nothing). A form checks with it first, to show the reason at its field.
    pub fn refusal_of(&self, action: Action) -> Option<String> {
        let mut trial = self.clone();
        trial.notice = None;
        trial.apply(action);
        if Rc::ptr_eq(&trial.scenario, &self.scenario) {
            trial.notice
        } else {
            None
        }
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
                | Action::Tidy
                | Action::AddClients
                | Action::Connect { .. }
                | Action::UpdateNode(_)
                | Action::UpdateNodes(_)
                | Action::UpdateEdge(_)
                | Action::DuplicateSelected
                | Action::DeleteSelected
                | Action::RecordStep(_)
                | Action::RemoveStep(_)
                | Action::SetScript(_)
        );
        if !changes_diagram {
            return self.apply_unchecked(action);
        }
        // A whole script written at once: a refusal names the step, and once a version
        // is taken the refusal of an earlier one is no longer shown.
        let whole_script = matches!(action, Action::SetScript(_));
        let before = self.clone();
        self.apply_unchecked(action);
        if Rc::ptr_eq(&before.scenario, &self.scenario) {
            return;
        }
        let problems = validate(&self.scenario);
        // (The diagram before is checked only when this one has problems.)
        let known = if problems.is_empty() {
            Vec::new()
        } else {
            validate(&before.scenario)
        };
        match problems.into_iter().find(|p| !known.contains(p)) {
            Some(new) => {
                *self = before;
                self.refuse(if whole_script {
                    format!("{}: {}", new.path, new.message)
                } else {
                    new.message
                });
            }
            None if whole_script => self.notice = None,
            None => {}
        }
    }

    fn apply_unchecked(&mut self, action: Action) {
        match action {
            Action::AddNode { kind, x, y } => self.add_node_at(kind, x, y, None),
            Action::AddNodeNear { kind, x, y, view } => {
                self.add_node_near(kind, x, y);
                self.reveal_selected(view);
            }
            Action::ConnectToNew { from, x, y } => self.connect_to_new(&from, x, y),
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
            Action::AddClients => self.add_clients(),
            Action::Tidy => {
                let positions = tidy::tidy(&self.scenario);
                let unchanged = self
                    .scenario
                    .nodes
                    .iter()
                    .zip(&positions)
                    .all(|(n, (x, y))| n.x == *x && n.y == *y);
                if unchanged {
                    return;
                }
                let s = self.edit();
                for (node, (x, y)) in s.nodes.iter_mut().zip(positions) {
                    node.x = x;
                    node.y = y;
                }
            }
            Action::Connect { from, to } => {
                let (Some(a), Some(b)) = (self.scenario.node(&from), self.scenario.node(&to))
                else {
                    return self.refuse("that node no longer exists");
                };
                let Some(kind) = connect::infer_edge_kind(a.kind(), b.kind()) else {
                    let why = crate::core::scenario::edge_rule(
                        a.kind(),
                        b.kind(),
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
            Action::UpdateNode(node) => self.update_node(*node),
            Action::UpdateNodes(nodes) => self.update_nodes(nodes),
            Action::UpdateEdge(edge) => {
                let Some(i) = self.scenario.edges.iter().position(|e| e.id == edge.id) else {
                    return;
                };
                if self.scenario.edges[i] == *edge {
                    return;
                }
                let mut next = (*self.scenario).clone();
                let group_wide = groups::same_group_assignor(&mut next, i, *edge);
                let prefix = format!("edges[{i}]");
                if let Some(p) = validate(&next)
                    .into_iter()
                    .find(|p| p.path.starts_with(&prefix))
                {
                    return self.refuse(p.message);
                }
                if group_wide {
                    self.edit().edges = next.edges;
                } else {
                    self.edit().edges[i] = next.edges.swap_remove(i);
                }
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
                let gone = |e: &crate::core::scenario::Edge| {
                    edges.contains(&e.id) || nodes.contains(&e.from) || nodes.contains(&e.to)
                };
                let gone_edges: Vec<String> = s
                    .edges
                    .iter()
                    .filter(|e| gone(e))
                    .map(|e| e.id.clone())
                    .collect();
                s.edges.retain(|e| !gone(e));
                // What named them goes with them, so the diagram still loads: script
                // steps aimed at a node no longer there, compensations of a call gone.
                let names: Vec<String> = s.nodes.iter().map(|n| n.name.clone()).collect();
                s.script
                    .retain(|step| step.target().is_none_or(|t| names.iter().any(|n| n == t)));
                for e in &mut s.edges {
                    if let Some(call) = &mut e.call {
                        if call
                            .compensates
                            .as_ref()
                            .is_some_and(|c| gone_edges.contains(c))
                        {
                            call.compensates = None;
                        }
                    }
                }
                // Frames lose the deleted nodes; a frame left empty goes too.
                for f in &mut s.frames {
                    f.nodes.retain(|id| !nodes.contains(id));
                }
                s.frames.retain(|f| !f.nodes.is_empty());
            }
            Action::DuplicateSelected => self.duplicate_selected(),
            Action::Undo => {
                if let Some(prev) = self.undo.pop() {
                    self.redo.push(std::mem::replace(&mut self.scenario, prev));
                    self.revision += 1;
                    self.recorded_by_hand = false;
                    self.prune_selection();
                }
            }
            Action::Redo => {
                if let Some(next) = self.redo.pop() {
                    self.undo.push(std::mem::replace(&mut self.scenario, next));
                    self.revision += 1;
                    self.recorded_by_hand = false;
                    self.prune_selection();
                }
            }
            Action::SetViewport(v) => {
                if v.zoom.is_finite() && v.zoom > 0.0 && v.x.is_finite() && v.y.is_finite() {
                    self.viewport = v;
                }
            }
            Action::SetSnap(on) => self.snap = on,
            Action::SetSeed(seed) => {
                if self.scenario.seed != seed {
                    self.edit().seed = seed;
                }
            }
            Action::Load(scenario) => {
                *self.edit() = *scenario;
                self.selected_nodes.clear();
                self.selected_edges.clear();
            }
            Action::DismissNotice => self.notice = None,
            Action::Notify(text) => self.notice = Some(text),
            Action::RemoveStep(i) => {
                if i < self.scenario.script.len() {
                    self.edit().script.remove(i);
                }
            }
            Action::SetScript(mut steps) => {
                // A stable sort: steps at the same time keep the order given.
                crate::core::sort::sort_by(&mut steps, |a, b| a.at_ms().total_cmp(&b.at_ms()));
                if steps != self.scenario.script {
                    self.edit().script = steps;
                }
            }
            Action::FrameSelection => {
                if self.selected_nodes.is_empty() {
                    self.notice = Some("Select the nodes to frame first.".into());
                    return;
                }
                let nodes: Vec<String> = self
                    .scenario
                    .nodes
                    .iter()
                    .filter(|n| self.selected_nodes.contains(&n.id))
                    .map(|n| n.id.clone())
                    .collect();
                let taken = |name: &str| self.scenario.frames.iter().any(|f| f.name == name);
                let name = (1..)
                    .map(|k| format!("frame {k}"))
                    .find(|n| !taken(n))
                    .expect("a free name");
                self.edit()
                    .frames
                    .push(crate::core::scenario::Frame { name, nodes });
            }
            Action::RenameFrame(i, name) => {
                let name = name.trim().to_string();
                let taken = self
                    .scenario
                    .frames
                    .iter()
                    .enumerate()
                    .any(|(k, f)| k != i && f.name == name);
                if i < self.scenario.frames.len() && !name.is_empty() && !taken {
                    self.edit().frames[i].name = name;
                }
            }
            Action::RemoveFrame(i) => {
                if i < self.scenario.frames.len() {
                    self.edit().frames.remove(i);
                }
            }
            Action::RecordStep(step) => {
                let script = &mut self.edit().script;
                // After every step at or before its time: the order they ran in.
                let at = script
                    .iter()
                    .rposition(|s| s.at_ms() <= step.at_ms())
                    .map_or(0, |i| i + 1);
                script.insert(at, *step);
                self.recorded_by_hand = true;
            }
        }
    }
}
