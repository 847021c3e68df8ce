//! The application shell: header with the toolbar, palette, canvas, side panel, notices,
//! live controls and the status bar; in embed mode (`?embed=1`) a read-only player with
//! the canvas, the controls and the pattern's explanation.

use super::boot::boot;
use super::canvas::Canvas;
use super::gallery::{About, GalleryOverlay};
use super::help::HelpOverlay;
use super::listeners::{use_window_listeners, ListenerHandles, PalettePress};
use super::live::{use_live, Controls, Legend, SidePanel, StatsBar, Tab};
use super::palette::Palette;
use super::state::EditorState;
use super::storage;
use super::toolbar::{canvas_size, fit_action, fit_whole_action, Toolbar};
use crate::core::scenario::{EdgeKind, NodeKind};
use crate::editor::geometry::Point;
use crate::editor::Action;
use crate::gallery::Pattern;
use std::cell::RefCell;
use yew::prelude::*;

/// Product name shown in the header and the document title.
pub const PRODUCT_NAME: &str = "Queue Playground";

/// Root component.
#[function_component(App)]
pub fn app() -> Html {
    let boot = use_memo((), |_| RefCell::new(Some(boot())));
    let first = boot.borrow_mut().take();
    let (initial, boot_notice, fit_at_start, boot_pattern, embed, boot_damaged) = match first {
        Some(b) => (b.state, b.notice, b.fit, b.pattern, b.embed, b.damaged),
        None => (EditorState::default(), None, false, None, false, None),
    };
    let damaged = use_state(move || boot_damaged);
    let state = use_reducer(move || initial);
    let embed = *use_state(move || embed);
    let pattern = use_state(move || boot_pattern);
    let app_notice = use_state(move || boot_notice);
    let help = use_state(|| false);
    let gallery_open = use_state(|| false);
    // Below 900 px the side panel is a drawer over the canvas, opened by a button; in
    // the embedded player the same flag shows the explanation (shown at first).
    let panel_open = use_state(move || embed);
    let tab = use_state(move || {
        if boot_pattern.is_some() {
            Tab::About
        } else {
            Tab::Inspector
        }
    });
    {
        // Selecting a node or an edge while the pattern's About text is showing opens
        // its Inspector (what "Try this: select …" asks for); other tabs stay, as the
        // reader chose them to watch something.
        let tab = tab.clone();
        let selection = (
            state.0.selected_nodes.clone(),
            state.0.selected_edges.clone(),
        );
        use_effect_with(selection, move |(nodes, edges)| {
            if (!nodes.is_empty() || !edges.is_empty()) && *tab == Tab::About {
                tab.set(Tab::Inspector);
            }
        });
    }
    let ghost = use_state(|| None::<(NodeKind, f64, f64)>);
    let press = use_mut_ref(|| None::<PalettePress>);
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let overlay = use_node_ref();
    let (live, snapshot) = use_live(&state, overlay.clone());

    {
        let state = state.clone();
        use_effect_with((), move |_| {
            // The embedded player shows all of its diagram (it cannot be edited, and a
            // reader may not know to pan); the app a readable part of it on a phone.
            if fit_at_start && embed {
                state.dispatch(fit_whole_action(&state.0));
            } else if fit_at_start {
                state.dispatch(fit_action(&state.0));
            }
        });
    }
    {
        // Showing or hiding the player's explanation changes the canvas's width: fit
        // again after the render that lays it out.
        let (state, panel_open) = (latest.clone(), *panel_open);
        let first = use_mut_ref(|| true);
        use_effect_with(panel_open, move |_| {
            if embed && !std::mem::take(&mut *first.borrow_mut()) {
                let state = state.borrow().clone();
                state.dispatch(fit_whole_action(&state.0));
            }
        });
    }
    // A file just opened is fitted after the render that shows it and its notice, so the
    // fit measures the canvas as it is then.
    let fit_request = use_state(|| 0u32);
    {
        let latest = latest.clone();
        use_effect_with(*fit_request, move |n| {
            if *n > 0 {
                let state = latest.borrow().clone();
                state.dispatch(fit_action(&state.0));
            }
        });
    }
    // Autosave on every diagram or view change (never in the embedded player). Not at
    // start when nothing was loaded: writing back what was just read (or an empty canvas)
    // could only overwrite a save made meanwhile, say by another tab.
    let mounted = use_mut_ref(|| false);
    {
        let (state, app_notice) = (state.clone(), app_notice.clone());
        use_effect_with((state.0.revision, state.0.viewport), move |_| {
            let first = !std::mem::replace(&mut *mounted.borrow_mut(), true);
            if first && state.0.revision == 0 {
                return;
            }
            if !embed && !storage::save(&state.0.scenario, &state.0.viewport) {
                app_notice.set(Some("This browser refused to save the diagram (storage full or disabled): keep it with Save.".into()));
            }
        });
    }
    // Once the diagram changes, the link it was opened from no longer describes it.
    let seen_revision = use_mut_ref(|| None::<u64>);
    use_effect_with(state.0.revision, move |revision| {
        let before = seen_revision.borrow_mut().replace(*revision);
        if before.is_some_and(|b| b != *revision) && !embed {
            super::boot::forget_link();
        }
    });
    super::other_tabs::use_other_tabs(latest.clone(), app_notice.clone(), embed);
    super::link_changes::use_link_changes(
        super::link_changes::LinkTargets {
            latest: latest.clone(),
            notice: app_notice.clone(),
            pattern: pattern.clone(),
            fit_request: fit_request.clone(),
        },
        embed,
    );
    use_window_listeners(ListenerHandles {
        latest,
        press: press.clone(),
        ghost: ghost.clone(),
        help: help.clone(),
        read_only: embed,
        live: live.clone(),
    });

    let on_seed = {
        let state = state.clone();
        Callback::from(move |seed: u64| state.dispatch(Action::SetSeed(seed)))
    };
    let on_add = {
        let state = state.clone();
        Callback::from(move |kind: NodeKind| {
            let (w, h) = canvas_size();
            let c = state.0.viewport.to_world(Point::new(w / 2.0, h / 2.0));
            // A click adds the node at the view centre, or as near as it fits without
            // covering another node.
            state.dispatch(Action::AddNodeNear {
                kind,
                x: c.x,
                y: c.y,
                view: (w, h),
            });
        })
    };
    let on_press = {
        let press = press.clone();
        Callback::from(move |(kind, e): (NodeKind, web_sys::PointerEvent)| {
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
                    st.pick_trace(Some(copy), None);
                    if !embed {
                        tab.set(Tab::Trace);
                    }
                }
                (None, Some((id, additive))) if !embed => {
                    state.dispatch(Action::SelectEdge { id, additive })
                }
                _ if !embed => state.dispatch(Action::ClearSelection),
                _ => {}
            }
        })
    };
    let on_notice = {
        let app_notice = app_notice.clone();
        Callback::from(move |text: String| app_notice.set(Some(text)))
    };
    let open_pattern = {
        let (state, pattern, tab, gallery_open) = (
            state.clone(),
            pattern.clone(),
            tab.clone(),
            gallery_open.clone(),
        );
        Callback::from(move |id: &'static str| {
            if let Some(p) = crate::gallery::find(id) {
                state.dispatch(Action::Load(Box::new(p.scenario())));
                state.dispatch(fit_action(&crate::editor::Editor::new(p.scenario())));
                pattern.set(Some(p));
                tab.set(Tab::About);
            }
            gallery_open.set(false);
        })
    };
    let notice = state.0.notice.clone().or_else(|| (*app_notice).clone());
    let dismiss = {
        let (state, app_notice) = (state.clone(), app_notice.clone());
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::DismissNotice);
            app_notice.set(None);
        })
    };
    // The explanation follows the diagram: it is shown while the canvas holds that
    // pattern (edited or not; its name is the pattern's title), not after Undo has
    // gone back to another diagram or a file replaced it, and again after Undo comes
    // back to it. Without it, the About tab shows as the Inspector.
    let about: Option<&'static Pattern> =
        (*pattern).filter(|p| p.describes(&state.0.scenario.name));
    let canvas = html! {
        <Canvas state={state.clone()} counters={snapshot.counters.clone()} pipes={snapshot.pipes.clone()} calls={snapshot.calls.clone()} frames={snapshot.frames.clone()} overlay={overlay.clone()} {on_click} read_only={embed} />
    };
    // A diagram with bindings but no producer (an imported definitions.json) is offered
    // a producer and a consumer, so Play shows something at once.
    let offer_clients = {
        let s = &state.0.scenario;
        let no_producer = !s.nodes.iter().any(|n| n.kind() == NodeKind::Producer);
        let bound = s.edges.iter().any(|e| {
            e.kind == EdgeKind::Binding
                && s.node(&e.to).is_some_and(|n| n.kind() == NodeKind::Queue)
                && s.node(&e.from).is_some_and(|n| !n.name.is_empty())
        });
        (!embed && no_producer && bound).then(|| {
            let state = state.clone();
            html! {
                <button type="button" class="offer" title="Adds a producer publishing to the first bound exchange and a consumer on its queue"
                    onclick={Callback::from(move |_: MouseEvent| {
                        // Add, then fit the view so both new nodes are in sight.
                        let mut after = state.0.clone();
                        after.apply(Action::AddClients);
                        state.dispatch(Action::AddClients);
                        state.dispatch(fit_action(&after));
                    })}>{"Add a producer and a consumer"}</button>
            }
        })
    };
    // Controls, legend and status bar: the same in the editor and the player.
    let live_bar = html! {
        <>
            <div class="live-bar" role="region" aria-label="Run">
                <Controls live={live.clone()} snapshot={(*snapshot).clone()} on_seed={on_seed} />
                { for offer_clients }
                <Legend />
            </div>
            <crate::ui::live::TimelineBar live={live.clone()} snapshot={(*snapshot).clone()} />
            <StatsBar live={live.clone()} snapshot={(*snapshot).clone()} />
        </>
    };
    let recover = (*damaged)
        .clone()
        .map(|text| recovery_buttons(text, state.clone(), damaged.clone(), app_notice.clone()));
    // Escape in the side panel while it is a drawer over the canvas (below 900 px, as
    // app.css has it) closes the drawer and gives the focus back to its Panel button,
    // rather than clear the selection the drawer shows.
    let close_drawer = {
        let open = panel_open.clone();
        Callback::from(move |e: KeyboardEvent| {
            let in_panel = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|el| el.closest("#side-panel").ok().flatten())
                .is_some();
            let drawer = web_sys::window()
                .and_then(|w| w.inner_width().ok())
                .and_then(|w| w.as_f64())
                .is_some_and(|w| w <= 900.0);
            if e.key() == "Escape" && *open && in_panel && drawer {
                e.prevent_default();
                e.stop_propagation();
                open.set(false);
                if let Some(b) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector(".panel-toggle").ok().flatten())
                    .and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b).ok())
                {
                    let _ = b.focus();
                }
            }
        })
    };
    let notice_bar = notice.map(|text| {
        html! {
            <div class="notice" role="status" aria-live="polite">
                <span class="notice-text">{ text }</span>
                { for recover }
                <button type="button" aria-label="Dismiss notice" onclick={dismiss}>{"×"}</button>
            </div>
        }
    });

    if embed {
        let title = about.map(|_| state.0.scenario.name.as_str()).unwrap_or(
            if state.0.scenario.name.is_empty() {
                PRODUCT_NAME
            } else {
                &state.0.scenario.name
            },
        );
        let full = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default()
            .replace("embed=1", "embed=0");
        return html! {
            <div class={classes!("shell", "embed", (!*panel_open).then_some("explanation-hidden"))}>
                <header class="shell-header">
                    <span class="logo" aria-hidden="true">{"⇶"}</span>
                    <h1>{ title.to_string() }</h1>
                    <button type="button" class="embed-fit" aria-controls="embed-explanation" aria-expanded={panel_open.to_string()}
                        onclick={{ let open = panel_open.clone(); Callback::from(move |_: MouseEvent| open.set(!*open)) }}>
                        { if *panel_open { "Hide explanation" } else { "Show explanation" } }
                    </button>
                    <button type="button" class="embed-fit" aria-label="Fit to view" title="Fit the diagram to the view (Ctrl+wheel zooms)" onclick={{ let state = state.clone(); Callback::from(move |_: MouseEvent| state.dispatch(fit_whole_action(&state.0))) }}>{"⤢ Fit"}</button>
                    <a class="open-full" href={full} target="_blank" rel="noopener">{"Open in Queue Playground ↗"}</a>
                </header>
                { for notice_bar }
                <main class="shell-main" onkeydown={close_drawer}>
                    { canvas }
                    <aside id="embed-explanation" class="side-panel" aria-label="Explanation">
                        if let Some(p) = about { <About pattern={p} title={state.0.scenario.name.clone()} /> } else { <p class="muted">{ state.0.scenario.description.clone() }</p> }
                    </aside>
                </main>
                { live_bar }
            </div>
        };
    }

    html! {
        <div class={classes!("shell", panel_open.then_some("panel-open"))}>
            <header class="shell-header">
                <span class="logo" aria-hidden="true">{"⇶"}</span>
                <h1>{ PRODUCT_NAME }</h1>
                <Toolbar state={state.clone()} on_notice={on_notice}
                    on_gallery={{ let g = gallery_open.clone(); Callback::from(move |_| g.set(true)) }}
                    on_help={{ let h = help.clone(); Callback::from(move |_| h.set(true)) }}
                    on_loaded={{ let fit = fit_request.clone(); Callback::from(move |_| fit.set(*fit + 1)) }} />
                <button type="button" class="panel-toggle" aria-controls="side-panel" aria-expanded={panel_open.to_string()}
                    aria-label="Panel" title="Show or hide the side panel (inspector, log, charts)"
                    onclick={{ let open = panel_open.clone(); Callback::from(move |_: MouseEvent| open.set(!*open)) }}>{"Panel"}</button>
                <super::theme::ThemeToggle />
            </header>
            { for notice_bar }
            <main class="shell-main" onkeydown={close_drawer}>
                <Palette {on_add} {on_press} />
                { canvas }
                <SidePanel state={state.clone()} live={live.clone()} snapshot={(*snapshot).clone()} active={if about.is_none() && *tab == Tab::About { Tab::Inspector } else { *tab }} tab={tab.clone()} pattern={about} />
            </main>
            { live_bar }
            if let Some((kind, x, y)) = *ghost {
                <div class="drag-ghost" style={format!("left: {x}px; top: {y}px;")} aria-hidden="true">{ kind.as_str() }</div>
            }
            if *help {
                <HelpOverlay on_close={{ let help = help.clone(); Callback::from(move |_| help.set(false)) }} />
            }
            if *gallery_open {
                <GalleryOverlay on_open={open_pattern} on_close={{ let g = gallery_open.clone(); Callback::from(move |_| g.set(false)) }} />
            }
        </div>
    }
}

/// "Repair and open" and "Download" for a saved diagram that could not be opened: the
/// user's work is offered back, never dropped.
fn recovery_buttons(
    text: String,
    state: UseReducerHandle<EditorState>,
    damaged: UseStateHandle<Option<String>>,
    app_notice: UseStateHandle<Option<String>>,
) -> Html {
    let repair = {
        let (text, damaged) = (text.clone(), damaged.clone());
        Callback::from(
            move |_: MouseEvent| match crate::editor::persist::repair(&text) {
                Ok((scenario, _viewport, changes)) => {
                    state.dispatch(Action::Load(Box::new(scenario.clone())));
                    state.dispatch(fit_action(&crate::editor::Editor::new(scenario)));
                    damaged.set(None);
                    app_notice.set(Some(format!(
                    "Your saved diagram is open again. Repaired: {}. Undo goes back to the clean canvas.",
                    changes.join("; ")
                )));
                }
                Err(why) => app_notice.set(Some(format!(
                    "The saved diagram cannot be repaired here ({why}); download it to keep it."
                ))),
            },
        )
    };
    let download = Callback::from(move |_: MouseEvent| {
        let _ = crate::ui::files::download_text(
            "queue-playground-unreadable-save.json",
            "application/json",
            &text,
        );
    });
    html! {
        <>
            <button type="button" class="notice-action" onclick={repair}>{"Repair and open"}</button>
            <button type="button" class="notice-action" onclick={download}>{"Download the saved diagram"}</button>
        </>
    }
}
