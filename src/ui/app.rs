//! The application shell: header with the toolbar, palette, canvas, inspector, notices
//! and the status bar; keyboard shortcuts, palette dragging and autosave.

use super::canvas::Canvas;
use super::help::HelpOverlay;
use super::live::{use_live, Controls, Legend, SidePanel, StatsBar, Tab};
use super::palette::Palette;
use super::state::EditorState;
use super::storage::{self, Restored};
use crate::core::scenario::NodeKind;
use crate::editor::geometry::{Point, Viewport};
use crate::editor::{Action, Editor};
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// Product name shown in the header and the document title.
pub const PRODUCT_NAME: &str = "Queue Playground";

thread_local! {
    /// Space is held: any drag on the canvas pans.
    pub(crate) static SPACE_HELD: Cell<bool> = const { Cell::new(false) };
}

/// A press on a palette button that may turn into a drag.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PalettePress {
    kind: NodeKind,
    start: (f64, f64),
    moved: bool,
}

fn canvas_rect() -> Option<web_sys::DomRect> {
    let doc = web_sys::window()?.document()?;
    Some(
        doc.query_selector("#canvas svg")
            .ok()??
            .get_bounding_client_rect(),
    )
}

/// World point at the centre of the visible canvas.
fn view_centre(vp: &Viewport) -> Point {
    let (w, h) = canvas_rect()
        .map(|r| (r.width(), r.height()))
        .unwrap_or((800.0, 600.0));
    vp.to_world(Point::new(w / 2.0, h / 2.0))
}

/// The `?pattern=` of the page address, if any.
fn pattern_param() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "pattern")
        .map(|(_, v)| v.to_string())
}

/// The diagram to start with, a notice to show, and whether to fit it to the view.
fn initial_state() -> (EditorState, Option<String>, bool) {
    let (mut state, mut notice) = match storage::restore() {
        Restored::Nothing => (EditorState::default(), None),
        Restored::Diagram(scenario, viewport) => {
            let mut editor = Editor::new(scenario);
            editor.viewport = viewport;
            (EditorState(editor), None)
        }
        Restored::Damaged(message) => (EditorState::default(), Some(message)),
    };
    let mut fit = false;
    if let Some(id) = pattern_param() {
        match crate::gallery::pattern(&id) {
            Some(scenario) => {
                // The previous diagram stays one undo away, and is kept in storage too.
                storage::keep_previous();
                state.0.apply(Action::Load(Box::new(scenario)));
                fit = true;
            }
            None => {
                notice = Some(format!(
                    "There is no pattern called \"{id}\". Known patterns: {}. Your diagram is unchanged.",
                    crate::gallery::PATTERN_IDS.join(", ")
                ))
            }
        }
    }
    (state, notice, fit)
}

fn typing_in_a_field(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Root component.
#[function_component(App)]
pub fn app() -> Html {
    let boot = use_memo((), |_| RefCell::new(Some(initial_state())));
    let (initial, boot_notice, fit_at_start) = boot
        .borrow_mut()
        .take()
        .unwrap_or_else(|| (EditorState::default(), None, false));
    let state = use_reducer(move || initial);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            if fit_at_start {
                state.dispatch(fit_action(&state.0));
            }
        });
    }
    let app_notice = use_state(move || boot_notice);
    let help = use_state(|| false);
    let tab = use_state(|| Tab::Inspector);
    let ghost = use_state(|| None::<(NodeKind, f64, f64)>);
    let press = use_mut_ref(|| None::<PalettePress>);
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let overlay = use_node_ref();
    let (live, snapshot) = use_live(&state, overlay.clone());
    let counters = snapshot.counters.clone();

    // Autosave on every diagram or view change.
    {
        let state = state.clone();
        let app_notice = app_notice.clone();
        use_effect_with((state.0.revision, state.0.viewport), move |_| {
            if !storage::save(&state.0.scenario, &state.0.viewport) {
                app_notice.set(Some("This browser refused to save the diagram (storage full or disabled): keep it with Download.".into()));
            }
        });
    }

    // Window listeners: palette drags and keyboard shortcuts.
    {
        let latest = latest.clone();
        let press = press.clone();
        let ghost = ghost.clone();
        let help = help.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window().expect("window");
            let on_move = {
                let (press, ghost) = (press.clone(), ghost.clone());
                gloo_events::EventListener::new(&window, "pointermove", move |e| {
                    let Some(e) = e.dyn_ref::<PointerEvent>() else {
                        return;
                    };
                    let mut p = press.borrow_mut();
                    if let Some(pr) = p.as_mut() {
                        let (x, y) = (e.client_x() as f64, e.client_y() as f64);
                        if (x - pr.start.0).abs() + (y - pr.start.1).abs() > 4.0 {
                            pr.moved = true;
                        }
                        if pr.moved {
                            ghost.set(Some((pr.kind, x, y)));
                        }
                    }
                })
            };
            let on_up = {
                let (press, ghost, latest) = (press.clone(), ghost.clone(), latest.clone());
                gloo_events::EventListener::new(&window, "pointerup", move |e| {
                    let Some(e) = e.dyn_ref::<PointerEvent>() else {
                        return;
                    };
                    let Some(pr) = press.borrow_mut().take() else {
                        return;
                    };
                    ghost.set(None);
                    if !pr.moved {
                        return; // a click: the button's onclick adds the node
                    }
                    let Some(r) = canvas_rect() else { return };
                    let (x, y) = (
                        e.client_x() as f64 - r.left(),
                        e.client_y() as f64 - r.top(),
                    );
                    if x < 0.0 || y < 0.0 || x > r.width() || y > r.height() {
                        return; // dropped outside the canvas
                    }
                    let state = latest.borrow().clone();
                    let world = state.0.viewport.to_world(Point::new(x, y));
                    state.dispatch(Action::AddNode {
                        kind: pr.kind,
                        x: world.x,
                        y: world.y,
                    });
                })
            };
            let on_key = {
                let (latest, help) = (latest.clone(), help.clone());
                gloo_events::EventListener::new(&window, "keydown", move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if typing_in_a_field(e) {
                        return;
                    }
                    let state = latest.borrow().clone();
                    let ctrl = e.ctrl_key() || e.meta_key();
                    let key = e.key();
                    let action = match key.as_str() {
                        "z" | "Z" if ctrl && e.shift_key() => Some(Action::Redo),
                        "z" | "Z" if ctrl => Some(Action::Undo),
                        "y" | "Y" if ctrl => Some(Action::Redo),
                        "d" | "D" if ctrl => Some(Action::DuplicateSelected),
                        "a" | "A" if ctrl => Some(Action::SelectAll),
                        "Delete" | "Backspace" => Some(Action::DeleteSelected),
                        "Escape" => {
                            help.set(false);
                            Some(Action::ClearSelection)
                        }
                        "+" | "=" => Some(Action::SetViewport(zoom_centre(&state.0.viewport, 1.2))),
                        "-" | "_" => Some(Action::SetViewport(zoom_centre(
                            &state.0.viewport,
                            1.0 / 1.2,
                        ))),
                        "0" => Some(fit_action(&state.0)),
                        "?" => {
                            help.set(!*help);
                            None
                        }
                        " " => {
                            SPACE_HELD.with(|s| s.set(true));
                            None
                        }
                        _ => None,
                    };
                    if let Some(a) = action {
                        e.prevent_default();
                        state.dispatch(a);
                    }
                })
            };
            let on_key_up = gloo_events::EventListener::new(&window, "keyup", move |e| {
                if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
                    if e.key() == " " {
                        SPACE_HELD.with(|s| s.set(false));
                    }
                }
            });
            move || drop((on_move, on_up, on_key, on_key_up))
        });
    }

    let on_add = {
        let state = state.clone();
        Callback::from(move |kind: NodeKind| {
            let c = view_centre(&state.0.viewport);
            state.dispatch(Action::AddNode {
                kind,
                x: c.x,
                y: c.y,
            });
        })
    };
    let on_press = {
        let press = press.clone();
        Callback::from(move |(kind, e): (NodeKind, PointerEvent)| {
            if e.button() == 0 {
                *press.borrow_mut() = Some(PalettePress {
                    kind,
                    start: (e.client_x() as f64, e.client_y() as f64),
                    moved: false,
                });
            }
        })
    };
    // A click on empty canvas or an edge: trace the message dot under the pointer if
    // there is one, otherwise select the edge or clear the selection.
    let on_click = {
        let (state, live, tab) = (state.clone(), live.clone(), tab.clone());
        Callback::from(move |(p, edge): (Point, Option<(String, bool)>)| {
            let mut st = live.borrow_mut();
            let radius = 8.0 / state.0.viewport.zoom;
            match (
                st.playback
                    .as_ref()
                    .and_then(|pb| pb.dot_near(p.x, p.y, radius)),
                edge,
            ) {
                (Some(copy), _) => {
                    st.trace_copy = Some(copy);
                    st.touch();
                    tab.set(Tab::Trace);
                }
                (None, Some((id, additive))) => state.dispatch(Action::SelectEdge { id, additive }),
                (None, None) => state.dispatch(Action::ClearSelection),
            }
        })
    };
    let act = |a: Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(a.clone()))
    };
    let zoom = |f: f64| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::SetViewport(zoom_centre(&state.0.viewport, f)))
        })
    };
    let fit = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(fit_action(&state.0)))
    };
    let toggle_snap = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::SetSnap(!state.0.snap)))
    };
    let editor = &state.0;
    let nothing_selected = editor.selected_nodes.is_empty() && editor.selected_edges.is_empty();
    let notice = editor.notice.clone().or_else(|| (*app_notice).clone());
    let dismiss = {
        let (state, app_notice) = (state.clone(), app_notice.clone());
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::DismissNotice);
            app_notice.set(None);
        })
    };

    html! {
        <div class="shell">
            <header class="shell-header">
                <span class="logo" aria-hidden="true">{"⇶"}</span>
                <h1>{ PRODUCT_NAME }</h1>
                <div class="toolbar" role="toolbar" aria-label="Editing">
                    <button type="button" aria-label="Undo" title="Undo (Ctrl+Z)" disabled={!editor.can_undo()} onclick={act(Action::Undo)}>{"↶"}</button>
                    <button type="button" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled={!editor.can_redo()} onclick={act(Action::Redo)}>{"↷"}</button>
                    <button type="button" aria-label="Delete" title="Delete (Delete)" disabled={nothing_selected} onclick={act(Action::DeleteSelected)}>{"✖"}</button>
                    <button type="button" aria-label="Duplicate" title="Duplicate (Ctrl+D)" disabled={editor.selected_nodes.is_empty()} onclick={act(Action::DuplicateSelected)}>{"❐"}</button>
                    <span class="sep" />
                    <button type="button" aria-label="Zoom out" title="Zoom out (−)" onclick={zoom(1.0 / 1.2)}>{"−"}</button>
                    <span class="zoom-level" aria-label="Zoom level">{ format!("{:.0}%", editor.viewport.zoom * 100.0) }</span>
                    <button type="button" aria-label="Zoom in" title="Zoom in (+)" onclick={zoom(1.2)}>{"+"}</button>
                    <button type="button" aria-label="Fit to view" title="Fit to view (0)" onclick={fit}>{"⤢"}</button>
                    <button type="button" aria-label="Snap to grid" aria-pressed={editor.snap.to_string()} title="Snap to grid" onclick={toggle_snap}>{"#"}</button>
                    <span class="sep" />
                    <button type="button" aria-label="Help" title="Keyboard shortcuts (?)" onclick={{ let help = help.clone(); Callback::from(move |_| help.set(true)) }}>{"?"}</button>
                </div>
            </header>
            if let Some(text) = notice {
                <div class="notice" role="status" aria-live="polite">
                    <span class="notice-text">{ text }</span>
                    <button type="button" aria-label="Dismiss notice" onclick={dismiss}>{"×"}</button>
                </div>
            }
            <main class="shell-main">
                <Palette {on_add} {on_press} />
                <Canvas state={state.clone()} counters={counters.clone()} overlay={overlay.clone()} on_click={on_click} />
                <SidePanel state={state.clone()} live={live.clone()} snapshot={(*snapshot).clone()} tab={tab.clone()} />
            </main>
            <div class="live-bar">
                <Controls live={live.clone()} snapshot={(*snapshot).clone()} />
                <Legend />
            </div>
            <StatsBar live={live.clone()} snapshot={(*snapshot).clone()} />
            if let Some((kind, x, y)) = *ghost {
                <div class="drag-ghost" style={format!("left: {x}px; top: {y}px;")} aria-hidden="true">{ kind.as_str() }</div>
            }
            if *help {
                <HelpOverlay on_close={{ let help = help.clone(); Callback::from(move |_| help.set(false)) }} />
            }
        </div>
    }
}

fn zoom_centre(vp: &Viewport, factor: f64) -> Viewport {
    let (w, h) = canvas_rect()
        .map(|r| (r.width(), r.height()))
        .unwrap_or((800.0, 600.0));
    vp.zoom_at(factor, Point::new(w / 2.0, h / 2.0))
}

fn fit_action(editor: &Editor) -> Action {
    let (w, h) = canvas_rect()
        .map(|r| (r.width(), r.height()))
        .unwrap_or((800.0, 600.0));
    Action::SetViewport(Viewport::fit(&editor.scenario.nodes, w, h))
}
