//! Every edit or view change the editor takes, as one typed value (the UI's reducer
//! dispatches these; [`super::Editor::apply`] applies them).

use super::geometry::{Rect, Viewport};
use crate::core::scenario::{Edge, Node, NodeKind, Scenario};

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
    /// Lays the whole diagram out in layers, left to right ("Tidy").
    Tidy,
    /// Adds a producer and a consumer around the first exchange → queue binding.
    AddClients,
    /// Connects two nodes with the edge kind their kinds imply.
    Connect {
        /// Source node id.
        from: String,
        /// Target node id.
        to: String,
    },
    /// Replaces a node (same id) with new settings from the inspector.
    UpdateNode(Box<Node>),
    /// Replaces several nodes (same ids) as one change: settings that must agree
    /// between them (see [`crate::editor::fifo`]).
    UpdateNodes(Vec<Node>),
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
    /// Sets the diagram's seed (the run's controls change it; Save, Share and autosave
    /// keep it).
    SetSeed(u64),
    /// Appends a client step done by hand to the diagram's script, at the simulated
    /// time it was done (so Reset replays it and a share link carries it). Steps
    /// stay in time order.
    RecordStep(Box<crate::core::scenario::script::ScriptStep>),
    /// Removes step `.0` (an index into the script).
    RemoveStep(usize),
    /// Replaces the whole script (kept in time order, steps at the same time in the
    /// order given).
    SetScript(Vec<crate::core::scenario::script::ScriptStep>),
    /// Shows a notice (why a gesture did nothing).
    Notify(String),
    /// Draws a frame around the selected nodes (named `frame N`).
    FrameSelection,
    /// Renames frame `.0` to `.1` (refused when empty or taken).
    RenameFrame(usize, String),
    /// Removes frame `.0` (its nodes stay).
    RemoveFrame(usize),
}
