//! Pointer gestures on the canvas: what a press started (pan, box selection, moving
//! nodes, drawing a connection) and how far it has gone.

use crate::editor::geometry::{Point, Rect, Viewport};

/// A gesture in progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Gesture {
    /// Nothing pressed.
    #[default]
    Idle,
    /// Dragging the background: panning from `start` (screen) with the viewport then.
    Pan {
        /// Screen point pressed.
        start: Point,
        /// Viewport at the press.
        origin: Viewport,
        /// Moved far enough to count as a drag.
        moved: bool,
    },
    /// Shift-dragging the background: a selection box.
    Box {
        /// World point pressed.
        start: Point,
        /// Current world point.
        current: Point,
    },
    /// Moving the selected nodes (the pointer's current place is kept outside the state,
    /// so that a move does not re-render the canvas: see `drag_frame`).
    Move {
        /// Node ids moving.
        ids: Vec<String>,
        /// World point pressed.
        start: Point,
        /// The pressed node, when it was not selected: it becomes the selection at the
        /// release (after a move, in the frame after the one that shows it landed).
        /// Selecting re-renders the whole diagram and the inspector (tens of milliseconds
        /// in a large diagram); at the press that would stall the drag's first frames.
        select: Option<String>,
    },
    /// Pressed on an edge (a click selects it, unless a message dot is under it).
    EdgePress {
        /// Edge id.
        id: String,
        /// Shift held.
        additive: bool,
        /// World point pressed.
        at: Point,
    },
    /// Drawing a connection from a node's handle.
    Link {
        /// Source node id.
        from: String,
        /// Current world point.
        current: Point,
    },
}

/// Screen distance under which a press-release is a click, not a drag.
pub const CLICK_SLOP: f64 = 3.0;

impl Gesture {
    /// The selection box, while one is drawn.
    pub fn box_rect(&self) -> Option<Rect> {
        match self {
            Gesture::Box { start, current } => Some(Rect::from_corners(*start, *current)),
            _ => None,
        }
    }

    /// The class of the shield over the canvas while the pointer is held (its cursor),
    /// or `None` when nothing is pressed.
    pub fn shield_class(&self) -> Option<&'static str> {
        match self {
            Gesture::Idle => None,
            Gesture::Pan { .. } => Some("panning"),
            Gesture::Move { .. } => Some("moving"),
            Gesture::Box { .. } | Gesture::Link { .. } => Some("drawing"),
            Gesture::EdgePress { .. } => Some("pressing"),
        }
    }
}
