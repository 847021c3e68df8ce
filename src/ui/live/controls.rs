//! Simulation controls (Play, Pause, Step, Reset, speed, seed), the legend of message
//! colours, and the status bar with the simulated clock and totals.

use super::draw::{DEAD_LETTER_COLOUR, PRODUCER_COLOURS, REDELIVERED_COLOUR};
use super::{Live, LiveSnapshot};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Speeds offered.
pub const SPEEDS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0];

/// Props of the controls and the status bar.
#[derive(Properties, Clone)]
pub struct LiveProps {
    /// Shared live state.
    pub live: Live,
    /// Latest snapshot.
    pub snapshot: LiveSnapshot,
    /// A seed typed in the controls, for the diagram to keep.
    #[prop_or_default]
    pub on_seed: Callback<u64>,
}

impl PartialEq for LiveProps {
    fn eq(&self, other: &Self) -> bool {
        // `on_seed` only dispatches to the editor: any copy does the same.
        std::rc::Rc::ptr_eq(&self.live, &other.live) && self.snapshot == other.snapshot
    }
}

/// Play, Pause, Step, Reset, speed and seed.
#[function_component(Controls)]
pub fn controls(p: &LiveProps) -> Html {
    let with = |f: fn(&mut super::LiveState)| {
        let live = p.live.clone();
        Callback::from(move |_: MouseEvent| {
            let mut st = live.borrow_mut();
            f(&mut st);
            st.touch();
        })
    };
    let play = with(|st| {
        if let Some(pb) = st.playback.as_mut() {
            pb.clock.resync();
        }
        st.playing = true;
        st.restarted = false;
    });
    let pause = with(|st| st.playing = false);
    let step = with(|st| {
        st.playing = false;
        st.restarted = false;
        if let Some(pb) = st.playback.as_mut() {
            pb.step_one();
        }
    });
    let reset = with(|st| {
        st.playing = false;
        st.rebuild();
        st.restarted = false;
    });
    let on_speed = {
        let live = p.live.clone();
        Callback::from(move |e: Event| {
            let v: f64 = e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(1.0);
            let mut st = live.borrow_mut();
            st.speed = v;
            st.touch();
        })
    };
    let seed_error = use_state(|| None::<String>);
    // What is typed in the seed field until it is taken: kept through redraws (every
    // frame while playing) and through a refusal, so the text can be mended.
    let seed_draft = use_state(|| None::<String>);
    {
        // A new seed (taken, or another diagram's) replaces the draft and its error.
        let (seed_draft, seed_error) = (seed_draft.clone(), seed_error.clone());
        use_effect_with(p.snapshot.seed, move |_| {
            seed_draft.set(None);
            seed_error.set(None);
        });
    }
    let on_seed_input = {
        let seed_draft = seed_draft.clone();
        Callback::from(move |e: InputEvent| {
            seed_draft.set(Some(e.target_unchecked_into::<HtmlInputElement>().value()));
        })
    };
    let on_seed = {
        let (live, seed_error, keep) = (p.live.clone(), seed_error.clone(), p.on_seed.clone());
        let seed_draft = seed_draft.clone();
        Callback::from(move |e: Event| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            let text = text.trim();
            match text.parse::<u64>() {
                Ok(seed) => {
                    seed_error.set(None);
                    seed_draft.set(None);
                    {
                        let mut st = live.borrow_mut();
                        st.seed = seed;
                        st.playing = false;
                        st.rebuild();
                    }
                    keep.emit(seed);
                }
                Err(_) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
                    seed_error.set(Some(format!("`{text}` is larger than {}", u64::MAX)))
                }
                Err(_) => seed_error.set(Some(format!("`{text}` is not a whole number ≥ 0"))),
            }
        })
    };
    let s = &p.snapshot;
    let runnable = s.problem.is_none();
    // A run stopped at one instant goes no further, but Reset starts it again.
    let resettable = runnable
        || s.problem
            .as_deref()
            .is_some_and(|p| p.starts_with(super::STALLED));
    // Play and Pause disable themselves when pressed: the focus moves to the other one
    // rather than fall to the page (a keyboard user goes on from where they were).
    // Only after a press of one of them: a run that ends by itself moves no focus (on
    // a phone that would scroll the page to the button).
    let (play_ref, pause_ref) = (use_node_ref(), use_node_ref());
    let was_playing = use_mut_ref(|| s.playing);
    let pressed = use_mut_ref(|| false);
    {
        let (play_ref, pause_ref, was_playing) =
            (play_ref.clone(), pause_ref.clone(), was_playing.clone());
        let pressed = pressed.clone();
        use_effect_with(s.playing, move |&playing| {
            let changed = std::mem::replace(&mut *was_playing.borrow_mut(), playing) != playing
                && std::mem::take(&mut *pressed.borrow_mut());
            let (from, to) = if playing {
                (&play_ref, &pause_ref)
            } else {
                (&pause_ref, &play_ref)
            };
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            let lost = active.as_ref().is_none_or(|a| {
                a.tag_name().eq_ignore_ascii_case("body")
                    || from.get().is_some_and(|b| a.is_same_node(Some(&b)))
            });
            if changed && lost {
                if let Some(b) = to.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        });
    }
    let seed_text = (*seed_draft).clone().unwrap_or_else(|| s.seed.to_string());
    let press = |cb: Callback<MouseEvent>| {
        let pressed = pressed.clone();
        Callback::from(move |e: MouseEvent| {
            *pressed.borrow_mut() = true;
            cb.emit(e);
        })
    };
    let (play, pause) = (press(play), press(pause));
    html! {
        <div class="controls" role="toolbar" aria-label="Simulation">
            <button type="button" ref={play_ref} aria-label="Play" title="Play" disabled={s.playing || !runnable} onclick={play}>{"▶ Play"}</button>
            <button type="button" ref={pause_ref} aria-label="Pause" title="Pause" disabled={!s.playing} onclick={pause}>{"❚❚ Pause"}</button>
            <button type="button" aria-label="Step" title="Process one event" disabled={!runnable} onclick={step}>{"⇥ Step"}</button>
            <button type="button" aria-label="Reset" title="Back to t = 0 with the same seed" disabled={!resettable} onclick={reset}>{"↺ Reset"}</button>
            <label class="inline">{"Speed "}
                <select aria-label="Speed" onchange={on_speed}>
                    { for SPEEDS.iter().map(|v| html! { <option value={v.to_string()} selected={*v == s.speed}>{ format!("{v}×") }</option> }) }
                </select>
            </label>
            // The seed's error floats above the field: showing it moves nothing.
            <span class="seed-field">
                <label class="inline">{"Seed "}
                    <input type="text" aria-label="Seed" title="Every random choice of the run comes from this number: the same seed replays the same run" size="8" value={seed_text} oninput={on_seed_input} onchange={on_seed} aria-invalid={seed_error.is_some().to_string()} aria-describedby="seed-error" />
                </label>
                if let Some(err) = &*seed_error { <span class="field-error" id="seed-error" role="alert">{ err.clone() }</span> }
            </span>
        </div>
    }
}

/// The status bar's note while the run cannot keep up.
const BEHIND: &str =
    "falling behind: more work than one frame holds, so time runs slower than the chosen speed";
/// The status bar's note after an edit restarted the run.
const RESTARTED: &str = "the diagram changed, so the run started again at t = 0";

/// Copies dropped and lost: all dropped copies but a Kafka consumer's discarded fetches
/// (the records stay in the log and are read again).
fn lost(t: &crate::core::kernel::metrics::Totals) -> u64 {
    let discarded = t
        .dropped_by_reason
        .get(crate::core::model::events::DropReason::Discarded.as_str())
        .copied()
        .unwrap_or(0);
    t.dropped.saturating_sub(discarded)
}

/// The status bar: simulated clock and totals by message state.
#[function_component(StatsBar)]
pub fn stats_bar(p: &LiveProps) -> Html {
    let s = &p.snapshot;
    let t = &s.totals;
    html! {
        <footer id="stats" class="status-bar" aria-label="Status">
            <span class="clock" title="Simulated time since the start of the run">{ format!("t = {:.3} s", s.time_ms / 1000.0) }</span>
            if let Some(problem) = &s.problem {
                <span class="problem">{ problem.clone() }</span>
            } else if let (Some(hint), true) = (&s.hint, s.time_ms == 0.0 && t.published == 0) {
                // Before anything ran every count is 0: the hint what to do next takes
                // the row, whole (wrapped if need be), rather than a cut-off end of it.
                <span class="hint note whole">{ hint.clone() }</span>
            } else {
                <span title="Messages published so far, by producers and by consumers that reply or forward">{ format!("published {}", t.published) }</span>
                <span title="Message copies travelling along an edge right now">{ format!("in flight {}", t.in_flight) }</span>
                <span title="Copies waiting for a worker: in queues, ZeroMQ pipes and service backlogs">{ format!("ready {}", t.ready) }</span>
                <span title="Copies in a worker's hands, not yet done with: RabbitMQ deliveries not acknowledged (they go back to the queue if the consumer fails), Kafka records being processed, SQS messages received and not deleted, requests being served">{ format!("unacked {}", t.unacked) }</span>
                <span title="Copies acknowledged: done and gone">{ format!("acked {}", t.acked) }</span>
                <span title="Copies that left without being processed (unroutable, overflow, expired or rejected without a dead-letter exchange, lost in a crash). A Kafka consumer's fetched records it never finished are not counted: they stay in the log and are read again">{ format!("dropped {}", lost(t)) }</span>
                <span title="Copies republished to a dead-letter exchange, or moved to an SQS dead-letter queue">{ format!("dead-lettered {}", t.dead_lettered) }</span>
                <span title="Deliveries of copies that had been delivered before and returned">{ format!("redelivered {}", t.redelivered) }</span>
                <span class="dots" title="Messages drawn on the canvas in the last frame">{ format!("dots {}", s.dots) }</span>
                // A note takes the rest of the row (cut short with its whole text as
                // its tooltip) rather than add a row and move the controls.
                if s.behind && s.playing {
                    <span class="behind note" title={BEHIND}>{ BEHIND }</span>
                }
                if s.restarted {
                    <span class="behind note" title={RESTARTED}>{ RESTARTED }</span>
                }
                if let Some(hint) = &s.hint {
                    <span class="hint note" title={hint.clone()}>{ hint.clone() }</span>
                }
            }
        </footer>
    }
}

/// Legend of message colours.
#[function_component(Legend)]
pub fn legend() -> Html {
    let swatch = |c: &'static str, text: &'static str| {
        html! {
            <li><span class="swatch" style={format!("background: {c}")} aria-hidden="true"></span>{ text }</li>
        }
    };
    html! {
        <ul class="legend" aria-label="Legend">
            <li><span class="swatch multi" aria-hidden="true" style={format!("background: linear-gradient(90deg, {}, {}, {})", PRODUCER_COLOURS[0], PRODUCER_COLOURS[1], PRODUCER_COLOURS[2])}></span>{"by producer"}</li>
            { swatch(REDELIVERED_COLOUR, "redelivered") }
            { swatch(DEAD_LETTER_COLOUR, "dead-lettered") }
            <li><span class="ring red" aria-hidden="true"></span>{"dropped (fades where it died)"}</li>
            <li><span class="ring grey" aria-hidden="true"></span>{"expired"}</li>
        </ul>
    }
}
