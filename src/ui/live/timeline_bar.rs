//! The timeline under the canvas: a scrubber over the simulated time already reached
//! (drag it, or use the arrow keys, to go back and forth: the run is replayed from its
//! seed with the hand actions re-applied), with marks where messages were dropped or
//! dead-lettered and where workers crashed.

use super::controls::LiveProps;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Marks drawn at most (a long run's are thinned evenly).
const DRAWN_MARKS: usize = 600;

/// The scrubber and its marks.
#[function_component(TimelineBar)]
pub fn timeline_bar(p: &LiveProps) -> Html {
    let s = &p.snapshot;
    if s.problem.is_some() {
        return html! {};
    }
    let end = s.reached_ms.max(s.time_ms);
    let on_input = {
        let live = p.live.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<HtmlInputElement>()
                .value_as_number();
            if v.is_finite() {
                live.borrow_mut().seek(v);
            }
        })
    };
    let marks = &s.marks;
    let every = marks.len().div_ceil(DRAWN_MARKS).max(1);
    let count = |k: &str| marks.iter().filter(|m| m.kind.as_str() == k).count();
    let summary = format!(
        "{} drops, {} dead-letterings, {} crashes so far",
        count("drop"),
        count("dead-letter"),
        count("crash")
    );
    html! {
        <div class="timeline" role="group" aria-label="Timeline">
            <span class="timeline-label" aria-hidden="true">{"Timeline"}</span>
            <div class="timeline-track">
                <input type="range" aria-label="Timeline" min="0" max={end.to_string()} step="any"
                    value={s.time_ms.to_string()} disabled={end <= 0.0}
                    aria-valuetext={format!("t = {:.3} s of {:.3} s reached", s.time_ms / 1000.0, end / 1000.0)}
                    title="Go back (or forth) to any moment already reached: the run is replayed from its seed, with what you did by hand"
                    oninput={on_input} />
                <svg class="timeline-marks" viewBox="0 0 1000 8" preserveAspectRatio="none" aria-hidden="true">
                    <title>{ summary.clone() }</title>
                    { for marks.iter().step_by(every).filter(|_| end > 0.0).map(|m| html! {
                        <rect class={m.kind.as_str()} x={format!("{:.1}", 1000.0 * m.time_ms / end)} y="0" width="2" height="8" />
                    }) }
                </svg>
            </div>
            <span class="timeline-end" title={summary}>{ format!("{:.1} s", end / 1000.0) }</span>
        </div>
    }
}
