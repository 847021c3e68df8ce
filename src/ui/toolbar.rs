//! The header toolbar: editing (undo, redo, delete, duplicate), view (zoom, fit, snap),
//! files (open, download, export definitions/SVG/PNG), Share, the gallery and help.

use super::files;
use super::state::EditorState;
use crate::core::definitions::{export_definitions, import_definitions};
use crate::core::scenario::load_scenario;
use crate::editor::geometry::{Point, Viewport};
use crate::editor::{share, Action, Editor};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`Toolbar`].
#[derive(Properties, PartialEq, Clone)]
pub struct ToolbarProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
    /// Shows a message to the user.
    pub on_notice: Callback<String>,
    /// Opens the gallery.
    pub on_gallery: Callback<()>,
    /// Opens the help overlay.
    pub on_help: Callback<()>,
    /// A file or link replaced the diagram (the pattern explanation no longer applies).
    pub on_loaded: Callback<()>,
}

/// Size of the visible canvas.
pub fn canvas_size() -> (f64, f64) {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("#canvas svg").ok().flatten())
        .map(|e| {
            let r = e.get_bounding_client_rect();
            (r.width(), r.height())
        })
        .unwrap_or((800.0, 600.0))
}

/// Zoom around the centre of the canvas.
pub fn zoom_centre(vp: &Viewport, factor: f64) -> Viewport {
    let (w, h) = canvas_size();
    vp.zoom_at(factor, Point::new(w / 2.0, h / 2.0))
}

/// Fit the diagram into the canvas as it is first shown (on a phone at a readable
/// zoom from its left edge).
pub fn fit_action(editor: &Editor) -> Action {
    let (w, h) = canvas_size();
    Action::SetViewport(Viewport::fit_diagram(&editor.scenario, w, h))
}

/// What Fit to view does: all of the diagram in the canvas, however small.
pub fn fit_whole_action(editor: &Editor) -> Action {
    let (w, h) = canvas_size();
    Action::SetViewport(Viewport::fit_diagram_whole(&editor.scenario, w, h))
}

fn file_name(editor: &Editor, ext: &str) -> String {
    let base = super::inspector::slug(&editor.scenario.name);
    let base = base.trim_matches('-');
    format!(
        "{}.{ext}",
        if base.is_empty() {
            "queue-playground"
        } else {
            base
        }
    )
}

/// Opens a scenario or RabbitMQ definitions file; returns the notice to show and
/// whether the diagram was replaced.
fn open_text(state: &UseReducerHandle<EditorState>, name: &str, text: &str) -> (String, bool) {
    let value: Result<serde_json::Value, _> = serde_json::from_str(text);
    let looks_like_scenario = value
        .as_ref()
        .is_ok_and(|v| v.get("nodes").is_some() || v.get("version").is_some());
    if value.is_err() || looks_like_scenario {
        return match load_scenario(text) {
            Ok(s) => {
                // The app fits the view once the page shows the new diagram and notice.
                state.dispatch(Action::Load(Box::new(s)));
                (
                    format!("Opened {name}. Undo brings back the previous diagram."),
                    true,
                )
            }
            Err(e) => (
                format!("Could not open {name}: {e}. Your diagram is unchanged."),
                false,
            ),
        };
    }
    match import_definitions(text, None) {
        Ok(imported) => {
            // An import is laid out by Tidy (one Undo still brings back the previous
            // diagram).
            let mut scenario = imported.scenario;
            let positions = crate::editor::tidy::tidy(&scenario);
            for (node, (x, y)) in scenario.nodes.iter_mut().zip(positions) {
                node.x = x;
                node.y = y;
            }
            state.dispatch(Action::Load(Box::new(scenario)));
            let mut msg = format!(
                "Imported RabbitMQ definitions from {name}. Undo brings back the previous diagram."
            );
            if !imported.unsupported.is_empty() {
                msg.push_str(&format!(
                    " Not imported ({}): {}",
                    imported.unsupported.len(),
                    imported.unsupported.join("; ")
                ));
            }
            (msg, true)
        }
        Err(e) => (
            format!(
                "Could not import {name} as RabbitMQ definitions: {e}. Your diagram is unchanged."
            ),
            false,
        ),
    }
}

/// The toolbar.
#[function_component(Toolbar)]
pub fn toolbar(p: &ToolbarProps) -> Html {
    let state = &p.state;
    let editor = &state.0;
    let file_input = use_node_ref();
    let act = |a: Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            // Undo, Redo and Delete may disable their button or remove the focused node.
            super::focus_rescue::rescue_focus();
            state.dispatch(a.clone())
        })
    };
    let zoom = |f: f64| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::SetViewport(zoom_centre(&state.0.viewport, f)))
        })
    };
    let fit = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(fit_whole_action(&state.0)))
    };
    let tidy = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            // Lay out, then fit the view to the tidied diagram.
            let mut after = state.0.clone();
            after.apply(Action::Tidy);
            state.dispatch(Action::Tidy);
            state.dispatch(fit_action(&after));
        })
    };
    let toggle_snap = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::SetSnap(!state.0.snap)))
    };
    let open = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.set_value("");
                input.click();
            }
        })
    };
    let on_file = {
        let (state, on_notice, on_loaded) =
            (state.clone(), p.on_notice.clone(), p.on_loaded.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let (state, on_notice, on_loaded) =
                (state.clone(), on_notice.clone(), on_loaded.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                match files::read_text(file).await {
                    Ok(text) => {
                        let (notice, loaded) = open_text(&state, &name, &text);
                        on_notice.emit(notice);
                        if loaded {
                            on_loaded.emit(());
                        }
                    }
                    Err(e) => on_notice.emit(format!("{e}. Your diagram is unchanged.")),
                }
            });
        })
    };
    let notice_of = |r: Result<(), String>, ok: String| match r {
        Ok(()) => ok,
        Err(e) => format!("Could not export: {e}"),
    };
    let download = {
        let (state, on_notice) = (state.clone(), p.on_notice.clone());
        Callback::from(move |_: MouseEvent| {
            let text = crate::editor::pretty_json::pretty(
                &serde_json::to_string(&state.0.scenario.at_lowest_version()).unwrap_or_default(),
            );
            let name = file_name(&state.0, "json");
            on_notice.emit(notice_of(
                files::download_text(&name, "application/json", &text),
                format!("Downloaded {name}."),
            ));
        })
    };
    let export_defs = {
        let (state, on_notice) = (state.clone(), p.on_notice.clone());
        Callback::from(move |_: MouseEvent| {
            let exported = export_definitions(&state.0.scenario, "/");
            let text = crate::editor::pretty_json::pretty(
                &serde_json::to_string(&exported.definitions).unwrap_or_default(),
            );
            let mut msg = notice_of(
                files::download_text("definitions.json", "application/json", &text),
                "Downloaded definitions.json (load it with rabbitmqctl import_definitions).".into(),
            );
            if !exported.unsupported.is_empty() {
                msg.push_str(&format!(
                    " Not part of RabbitMQ definitions: {}",
                    exported.unsupported.join("; ")
                ));
            }
            on_notice.emit(msg);
        })
    };
    let export_svg = {
        let (state, on_notice) = (state.clone(), p.on_notice.clone());
        Callback::from(move |_: MouseEvent| {
            let name = file_name(&state.0, "svg");
            let result = files::diagram_svg(&state.0.scenario)
                .and_then(|(svg, _, _)| files::download_text(&name, "image/svg+xml", &svg));
            on_notice.emit(notice_of(result, format!("Downloaded {name}.")));
        })
    };
    let export_png = {
        let (state, on_notice) = (state.clone(), p.on_notice.clone());
        Callback::from(move |_: MouseEvent| {
            let name = file_name(&state.0, "png");
            let on_notice = on_notice.clone();
            let ok = format!("Downloaded {name}.");
            files::download_png(&state.0.scenario, &name, move |r| {
                on_notice.emit(notice_of(r, ok))
            });
        })
    };
    let share_link = {
        let (state, on_notice) = (state.clone(), p.on_notice.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let fragment = share::encode(&state.0.scenario);
            let href = window.location().href().unwrap_or_default();
            let base = href.split('#').next().unwrap_or_default().to_string();
            let url = format!("{base}{fragment}");
            if let Ok(history) = window.history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            let _ = window.navigator().clipboard().write_text(&url);
            on_notice.emit(format!(
                "Share link copied to the clipboard and put in the address bar ({} characters).",
                url.chars().count()
            ));
        })
    };
    let nothing_selected = editor.selected_nodes.is_empty() && editor.selected_edges.is_empty();
    // On narrower screens the gallery, file, export and share buttons sit behind
    // "More": the menu closes when one of them is used, on Escape in it or on More
    // itself (the focus goes back to More) and on a press anywhere else.
    let more_open = use_state(|| false);
    let (more_toggle, more_menu) = (use_node_ref(), use_node_ref());
    {
        let (more_open, toggle, menu) = (more_open.clone(), more_toggle.clone(), more_menu.clone());
        use_effect_with(*more_open, move |open| {
            let listener = open.then(|| {
                let window = web_sys::window().expect("a window");
                gloo_events::EventListener::new(&window, "pointerdown", move |e| {
                    let target = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                    let inside = |r: &NodeRef| {
                        r.get()
                            .is_some_and(|n| target.as_ref().is_some_and(|t| n.contains(Some(t))))
                    };
                    if !inside(&toggle) && !inside(&menu) {
                        more_open.set(false);
                    }
                })
            });
            move || drop(listener)
        });
    }
    let close_more = {
        let m = more_open.clone();
        Callback::from(move |_: MouseEvent| m.set(false))
    };
    let more_keys = {
        let (m, toggle) = (more_open.clone(), more_toggle.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *m {
                e.prevent_default();
                m.set(false);
                if let Some(b) = toggle.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    html! {
        <div class="toolbar" role="toolbar" aria-label="Editing">
            <button type="button" aria-label="Undo" title="Undo (Ctrl+Z)" disabled={!editor.can_undo()} onclick={act(Action::Undo)}>{"↶"}</button>
            <button type="button" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled={!editor.can_redo()} onclick={act(Action::Redo)}>{"↷"}</button>
            <button type="button" aria-label="Delete" title="Delete (Delete)" disabled={nothing_selected} onclick={act(Action::DeleteSelected)}>{"✖"}</button>
            <button type="button" aria-label="Duplicate" title="Duplicate (Ctrl+D)" disabled={editor.selected_nodes.is_empty()} onclick={act(Action::DuplicateSelected)}>{"❐"}</button>
            <button type="button" aria-label="Frame selection" title="Frame: draw a named frame around the selected nodes, with its own scoreboard" disabled={editor.selected_nodes.is_empty()} onclick={act(Action::FrameSelection)}>{"▭"}</button>
            <span class="sep" />
            <button type="button" aria-label="Zoom out" title="Zoom out (−)" onclick={zoom(1.0 / 1.2)}>{"−"}</button>
            <span class="zoom-level" aria-label="Zoom level">{ format!("{:.0}%", editor.viewport.zoom * 100.0) }</span>
            <button type="button" aria-label="Zoom in" title="Zoom in (+)" onclick={zoom(1.2)}>{"+"}</button>
            <button type="button" aria-label="Fit to view" title="Fit to view (0)" onclick={fit}>{"⤢"}</button>
            <button type="button" aria-label="Tidy layout" title="Tidy: lay the diagram out left to right in layers (T)" disabled={editor.scenario.nodes.is_empty()} onclick={tidy}>{"Tidy"}</button>
            <button type="button" aria-label="Snap to grid" aria-pressed={editor.snap.to_string()} title="Snap to grid" onclick={toggle_snap}>{"#"}</button>
            <span class="sep" />
            <button type="button" class="more-toggle" aria-label="More" ref={more_toggle} aria-expanded={more_open.to_string()} aria-controls="toolbar-more"
                title="Gallery, files, exports and sharing" onkeydown={more_keys.clone()} onclick={{ let m = more_open.clone(); Callback::from(move |_: MouseEvent| m.set(!*m)) }}>{"More ▾"}</button>
            <span id="toolbar-more" class={classes!("toolbar-more", more_open.then_some("open"))} ref={more_menu} onclick={close_more} onkeydown={more_keys}>
                <button type="button" aria-label="Gallery" title="Pattern gallery" onclick={p.on_gallery.reform(|_| ())}>{"Gallery"}</button>
                <button type="button" aria-label="Open" title="Open a scenario or RabbitMQ definitions.json" onclick={open}>{"Open…"}</button>
                <input ref={file_input} type="file" accept=".json,application/json" class="hidden-file" aria-label="Scenario or definitions file" onchange={on_file} />
                <button type="button" aria-label="Save: download scenario" title="Download the scenario as JSON" onclick={download}>{"Save"}</button>
                <button type="button" aria-label="Defs: export definitions" title="Export RabbitMQ definitions.json" onclick={export_defs}>{"Defs"}</button>
                <button type="button" aria-label="Export SVG" title="Export the diagram as SVG" onclick={export_svg}>{"SVG"}</button>
                <button type="button" aria-label="Export PNG" title="Export the diagram as PNG" onclick={export_png}>{"PNG"}</button>
                <button type="button" aria-label="Share" title="Copy a link that carries this diagram" onclick={share_link}>{"Share"}</button>
            </span>
            <span class="sep" />
            <button type="button" aria-label="Help" title="Keyboard shortcuts (?)" onclick={p.on_help.reform(|_| ())}>{"?"}</button>
        </div>
    }
}
