//! The live view: one `requestAnimationFrame` loop (one closure, re-armed each frame)
//! steps the playback, draws the dots, and a few times a second publishes counters to
//! Yew. Editing the diagram restarts the run unless only the layout changed.

mod charts;
mod controls;
mod draw;
mod frame_record;
mod panels;
mod recorded;
mod script_panel;
mod state;
mod timeline_bar;

pub use controls::{Controls, Legend, StatsBar};
pub use panels::{SidePanel, Tab, PANEL_BODY};
use state::FrameSlot;
pub use state::{Live, LiveSnapshot, LiveState};
pub use timeline_bar::TimelineBar;

use crate::ui::state::EditorState;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// How often (real ms) counters are pushed to Yew.
pub const COUNTER_INTERVAL_MS: f64 = 200.0;
/// Chart samples kept (one per counter refresh: a minute of real time).
pub const MAX_SAMPLES: usize = 300;
/// Log rows shown.
pub const LOG_ROWS: usize = 200;

/// Real milliseconds one animation frame may spend stepping the core; the rest of the
/// frame (about 16.7 ms at 60 Hz) is left for drawing.
const CORE_BUDGET_MS: f64 = 8.0;

/// How the status bar's problem starts when the run stopped at one instant
/// (`Simulation::stalled`).
pub(crate) const STALLED: &str = "Stopped: ";

/// Runs the live view for the app: returns the shared state and the latest snapshot.
#[hook]
pub fn use_live(
    editor: &UseReducerHandle<EditorState>,
    overlay: NodeRef,
) -> (Live, UseStateHandle<LiveSnapshot>) {
    let live = use_mut_ref(LiveState::new);
    let snapshot = use_state(LiveSnapshot::default);

    // Follow the diagram.
    {
        let live = live.clone();
        let (scenario, by_hand) = (editor.0.scenario.clone(), editor.0.recorded_by_hand);
        use_effect_with(editor.0.revision, move |_| {
            live.borrow_mut().load(&scenario, by_hand);
        });
    }
    live.borrow_mut().viewport = editor.0.viewport;

    // The animation loop: one closure, re-armed every frame.
    {
        let live = live.clone();
        let snapshot = snapshot.clone();
        use_effect_with((), move |_| {
            let frame: FrameSlot = Rc::new(RefCell::new(None));
            let again = frame.clone();
            let alive = Rc::new(std::cell::Cell::new(true));
            let alive_in_loop = alive.clone();
            *frame.borrow_mut() = Some(Closure::new(move |now: f64| {
                if !alive_in_loop.get() {
                    return;
                }
                let started = web_sys::window()
                    .and_then(|w| w.performance())
                    .map(|p| p.now())
                    .unwrap_or(now);
                let (mut step_ms, mut paint_ms) = (0.0, 0.0);
                let clock = || {
                    web_sys::window()
                        .and_then(|w| w.performance())
                        .map_or(now, |p| p.now())
                };
                let publish = {
                    let mut guard = live.borrow_mut();
                    let st = &mut *guard;
                    if st.canvas.is_none() {
                        st.canvas = overlay.cast::<HtmlCanvasElement>();
                    }
                    let (playing, speed) = (st.playing, st.speed);
                    if let Some(pb) = st.playback.as_mut() {
                        let performance = web_sys::window().and_then(|w| w.performance());
                        let mut over_budget = || {
                            performance
                                .as_ref()
                                .is_some_and(|p| p.now() - started > CORE_BUDGET_MS)
                        };
                        pb.frame_within(now, speed, playing, &mut over_budget);
                        step_ms = performance.as_ref().map_or(0.0, |p| p.now() - started);
                    }
                    // A run that went round a loop at one instant stops there: pause,
                    // and say why where the counts are.
                    let stalled = st.playback.as_ref().and_then(|pb| pb.sim.stalled());
                    if let Some(why) = stalled {
                        if st.problem.is_none() || st.playing {
                            st.problem = Some(format!("{STALLED}{why}."));
                            st.playing = false;
                            st.force_publish = true;
                        }
                    }
                    if let Some(canvas) = st.canvas.clone() {
                        let before = clock();
                        st.dots = st
                            .painter
                            .paint(&canvas, st.playback.as_ref(), &st.viewport);
                        paint_ms = clock() - before;
                    }
                    let due = st.force_publish
                        || (st.playing && now - st.last_publish_ms >= COUNTER_INTERVAL_MS);
                    if due {
                        st.take_sample();
                        st.force_publish = false;
                        st.last_publish_ms = now;
                        Some(st.snapshot())
                    } else {
                        None
                    }
                };
                if let Some(s) = publish {
                    if *snapshot != s {
                        snapshot.set(s);
                    }
                }
                let work = web_sys::window()
                    .and_then(|w| w.performance())
                    .map(|p| p.now())
                    .unwrap_or(now)
                    - started;
                frame_record::record_frame(now, live.borrow().dots, work, step_ms, paint_ms);
                if let (Some(w), Some(cb)) = (web_sys::window(), again.borrow().as_ref()) {
                    let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
                }
            }));
            if let (Some(w), Some(cb)) = (web_sys::window(), frame.borrow().as_ref()) {
                let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
            }
            move || {
                alive.set(false);
                frame.borrow_mut().take();
            }
        });
    }
    (live, snapshot)
}
