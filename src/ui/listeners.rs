//! Window-level input: dragging a palette button onto the canvas, and the keyboard
//! shortcuts listed in the help overlay. Installed once; they read the latest editor
//! state through a shared handle.

use super::state::EditorState;
use super::toolbar::{fit_whole_action, zoom_centre};
use crate::core::scenario::NodeKind;
use crate::editor::geometry::Point;
use crate::editor::Action;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, PointerEvent};
use yew::prelude::*;

thread_local! {
    /// Space is held: any drag on the canvas pans.
    pub static SPACE_HELD: Cell<bool> = const { Cell::new(false) };
    /// The held Space was used to pan, so releasing it does not play or pause.
    pub static SPACE_PANNED: Cell<bool> = const { Cell::new(false) };
}

/// Whether Space on this element belongs to the element (a button it presses, a node
/// it selects) rather than to the play/pause shortcut.
fn space_is_the_elements(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_ascii_uppercase().as_str(),
                "BUTTON" | "A" | "SUMMARY"
            ) || el
                .closest("[data-node-id], [role=tab]")
                .ok()
                .flatten()
                .is_some()
        })
}

/// A press on a palette button that may turn into a drag.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PalettePress {
    /// Kind of node.
    pub kind: NodeKind,
    /// Client point pressed.
    pub start: (f64, f64),
    /// Moved far enough to be a drag.
    pub moved: bool,
}

/// Shared handles the listeners work with.
#[derive(Clone)]
pub struct ListenerHandles {
    /// Latest editor state.
    pub latest: Rc<RefCell<UseReducerHandle<EditorState>>>,
    /// Palette press in progress.
    pub press: Rc<RefCell<Option<PalettePress>>>,
    /// Where the dragged palette item is drawn.
    pub ghost: UseStateHandle<Option<(NodeKind, f64, f64)>>,
    /// Help overlay shown.
    pub help: UseStateHandle<bool>,
    /// Read-only player: no editing shortcuts.
    pub read_only: bool,
    /// The live run (the play/pause key).
    pub live: crate::ui::live::Live,
}

fn canvas_rect() -> Option<web_sys::DomRect> {
    let doc = web_sys::window()?.document()?;
    Some(
        doc.query_selector("#canvas svg")
            .ok()??
            .get_bounding_client_rect(),
    )
}

/// Whether the key goes to a slider (the timeline): it takes the arrows, Home and End,
/// and leaves Space and P to play or pause.
fn on_a_slider(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|el| el.type_() == "range")
}

/// Whether the key goes to a checkbox or radio button: it takes Space, and leaves the
/// Ctrl shortcuts (Undo right after ticking a box) to the editor.
fn on_a_box(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|el| matches!(el.type_().as_str(), "checkbox" | "radio"))
}

fn typing_in_a_field(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

fn key_action(h: &ListenerHandles, e: &KeyboardEvent) -> Option<Action> {
    let state = h.latest.borrow().clone();
    let ctrl = e.ctrl_key() || e.meta_key();
    let view = match e.key().as_str() {
        "+" | "=" => Some(Action::SetViewport(zoom_centre(&state.0.viewport, 1.2))),
        "-" | "_" => Some(Action::SetViewport(zoom_centre(
            &state.0.viewport,
            1.0 / 1.2,
        ))),
        "0" => Some(fit_whole_action(&state.0)),
        _ => None,
    };
    if view.is_some() || h.read_only {
        return view;
    }
    match e.key().as_str() {
        "z" | "Z" if ctrl && e.shift_key() => Some(Action::Redo),
        "z" | "Z" if ctrl => Some(Action::Undo),
        "y" | "Y" if ctrl => Some(Action::Redo),
        "d" | "D" if ctrl => Some(Action::DuplicateSelected),
        "a" | "A" if ctrl => Some(Action::SelectAll),
        "Delete" | "Backspace" => Some(Action::DeleteSelected),
        "Escape" => Some(Action::ClearSelection),
        "t" | "T" if !ctrl => Some(Action::Tidy),
        // Nodes selected with the pointer move by the arrow keys too (a focused node
        // handles its own keys; other controls with arrow keys keep them).
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown"
            if !ctrl && !state.0.selected_nodes.is_empty() && on_page_or_canvas(e) =>
        {
            let step = crate::editor::geometry::GRID * if e.shift_key() { 5.0 } else { 1.0 };
            let (dx, dy) = match e.key().as_str() {
                "ArrowLeft" => (-step, 0.0),
                "ArrowRight" => (step, 0.0),
                "ArrowUp" => (0.0, -step),
                _ => (0.0, step),
            };
            Some(Action::MoveNodes {
                ids: state.0.selected_nodes.iter().cloned().collect(),
                dx,
                dy,
            })
        }
        _ => None,
    }
}

/// Whether a modal dialog (the gallery, the shortcuts) is open.
fn modal_open() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(".overlay[aria-modal=\"true\"]")
                .ok()
                .flatten()
        })
        .is_some()
}

/// Whether the key was pressed with the focus on the page itself or on the canvas
/// (not on a control that has its own use for it).
fn on_page_or_canvas(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_none_or(|el| {
            el.tag_name() == "BODY"
                || el.tag_name() == "HTML"
                || el.closest("#canvas").ok().flatten().is_some()
        })
}

/// Installs the window listeners for the life of the app.
#[hook]
pub fn use_window_listeners(h: ListenerHandles) {
    use_effect_with((), move |_| {
        let window = web_sys::window().expect("a browser window");
        let on_move = {
            let h = h.clone();
            gloo_events::EventListener::new(&window, "pointermove", move |e| {
                let Some(e) = e.dyn_ref::<PointerEvent>() else {
                    return;
                };
                let mut press = h.press.borrow_mut();
                if let Some(pr) = press.as_mut() {
                    let (x, y) = (e.client_x() as f64, e.client_y() as f64);
                    pr.moved |= (x - pr.start.0).abs() + (y - pr.start.1).abs() > 4.0;
                    if pr.moved {
                        h.ghost.set(Some((pr.kind, x, y)));
                    }
                }
            })
        };
        let on_up = {
            let h = h.clone();
            gloo_events::EventListener::new(&window, "pointerup", move |e| {
                let Some(e) = e.dyn_ref::<PointerEvent>() else {
                    return;
                };
                let Some(pr) = h.press.borrow_mut().take() else {
                    return;
                };
                h.ghost.set(None);
                if !pr.moved {
                    return; // a click: the button's own onclick adds the node
                }
                let Some(r) = canvas_rect() else { return };
                let (x, y) = (
                    e.client_x() as f64 - r.left(),
                    e.client_y() as f64 - r.top(),
                );
                if x < 0.0 || y < 0.0 || x > r.width() || y > r.height() {
                    return; // dropped outside the canvas
                }
                let state = h.latest.borrow().clone();
                let world = state.0.viewport.to_world(Point::new(x, y));
                state.dispatch(Action::AddNode {
                    kind: pr.kind,
                    x: world.x,
                    y: world.y,
                });
            })
        };
        let on_key = {
            let h = h.clone();
            // Not passive: shortcuts such as Ctrl+D must stop the browser's own action.
            gloo_events::EventListener::new_with_options(
                &window,
                "keydown",
                gloo_events::EventListenerOptions::enable_prevent_default(),
                move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    let slider = on_a_slider(e);
                    let ctrl_on_a_box = (e.ctrl_key() || e.meta_key()) && on_a_box(e);
                    if (typing_in_a_field(e) && !slider && !ctrl_on_a_box) || modal_open() {
                        // A dialog open over the app keeps the keys (see `modal`).
                        return;
                    }
                    let plain = !(e.ctrl_key() || e.meta_key() || e.alt_key());
                    match e.key().as_str() {
                        "?" => h.help.set(!*h.help),
                        "Escape" => h.help.set(false),
                        " " if !e.repeat() && !space_is_the_elements(e) => {
                            e.prevent_default(); // no page scroll: Space is ours
                            SPACE_HELD.with(|s| s.set(true));
                            SPACE_PANNED.with(|s| s.set(false));
                        }
                        "p" | "P" if plain => h.live.borrow_mut().toggle_play(),
                        _ => {}
                    }
                    if slider {
                        return; // the slider's own keys; no editing shortcut from it
                    }
                    if let Some(a) = key_action(&h, e) {
                        e.prevent_default();
                        if matches!(a, Action::DeleteSelected | Action::Undo | Action::Redo) {
                            super::focus_rescue::rescue_focus();
                        }
                        h.latest.borrow().dispatch(a);
                    }
                },
            )
        };
        let live = h.live.clone();
        let on_key_up = gloo_events::EventListener::new(&window, "keyup", move |e| {
            if e.dyn_ref::<KeyboardEvent>().is_some_and(|e| e.key() == " ") {
                // Space pressed and released without panning plays or pauses.
                if SPACE_HELD.with(|s| s.replace(false)) && !SPACE_PANNED.with(|s| s.get()) {
                    live.borrow_mut().toggle_play();
                }
            }
        });
        move || drop((on_move, on_up, on_key, on_key_up))
    });
}
