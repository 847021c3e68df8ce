//! The SQS client calls of an SQS queue's "Now" section (design §6, the script verbs by
//! hand): ReceiveMessage (max messages, this receive's visibility timeout), then
//! DeleteMessage or ChangeMessageVisibility of a received message named by its body.
//! Each is applied to the run at its current time and, when it succeeds, recorded in
//! the diagram's script as the step of the same name (so Reset replays it).

use crate::core::model::ids::NodeId;
use crate::core::scenario::script::ScriptStep;
use crate::core::simulation::SqsCall;
use crate::ui::live::Live;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// ChangeMessageVisibility's and ReceiveMessage's longest visibility timeout (12 hours).
const MAX_VISIBILITY_MS: f64 = 43_200_000.0;

/// What the forms need: the run, the queue (node and name), where the outcome is shown,
/// where a step is recorded, and the four fields (max, visibility, body, timeout).
pub struct SqsCallsProps {
    pub live: Live,
    pub node: NodeId,
    pub queue: String,
    pub outcome: UseStateHandle<Option<Result<String, String>>>,
    pub on_record: Callback<ScriptStep>,
    pub refs: [NodeRef; 4],
}

/// The text in an input field (empty when the field is gone).
fn text(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>()
        .map(|i| i.value().trim().to_string())
        .unwrap_or_default()
}

/// A visibility timeout typed in ms: empty is none; otherwise 0 to 12 hours.
fn visibility(field: &str, t: &str) -> Result<Option<f64>, String> {
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>()
        .ok()
        .filter(|v| (0.0..=MAX_VISIBILITY_MS).contains(v))
        .map(Some)
        .ok_or_else(|| format!("{field}: a number of ms from 0 to 43200000 (12 hours)"))
}

/// The Receive form and the form acting on a received message.
pub fn sqs_calls(p: SqsCallsProps) -> Html {
    let [max_ref, visibility_ref, body_ref, timeout_ref] = p.refs;
    // Applies `call` now; on success records `step` (its time set to now) and says `done`.
    let call = {
        let (live, outcome, on_record) = (p.live.clone(), p.outcome.clone(), p.on_record.clone());
        let node = p.node;
        move |call: SqsCall, step: ScriptStep, done: &dyn Fn(&[String]) -> String| {
            let mut st = live.borrow_mut();
            let (result, now) = match st.playback.as_mut() {
                Some(pb) => {
                    let now = pb.sim.now().as_ms();
                    (pb.sqs_by_hand(node, call), now)
                }
                None => (Err("the diagram cannot run yet".into()), 0.0),
            };
            st.touch();
            drop(st);
            if result.is_ok() {
                let mut step = step;
                step.set_at_ms(now);
                on_record.emit(step);
            }
            outcome.set(Some(result.map(|got| done(&got))));
        }
    };
    let receive = {
        let (call, outcome, queue) = (call.clone(), p.outcome.clone(), p.queue.clone());
        let (max_ref, visibility_ref) = (max_ref.clone(), visibility_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(max) = text(&max_ref)
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=10).contains(m))
            else {
                return outcome.set(Some(
                    Err("max messages: a whole number from 1 to 10".into()),
                ));
            };
            let visibility_timeout_ms = match visibility("visibility", &text(&visibility_ref)) {
                Ok(v) => v,
                Err(e) => return outcome.set(Some(Err(e))),
            };
            let step = ScriptStep::Receive {
                at_ms: 0.0,
                queue: queue.clone(),
                max,
                visibility_timeout_ms,
                wait_ms: None,
            };
            call(
                SqsCall::Receive {
                    max,
                    visibility_timeout_ms,
                },
                step,
                &|got| {
                    if got.is_empty() {
                        "received nothing: no message is visible".into()
                    } else {
                        format!("received {}: {}", got.len(), got.join(", "))
                    }
                },
            );
        })
    };
    let on_received = |change: bool| {
        let (call, outcome, queue) = (call.clone(), p.outcome.clone(), p.queue.clone());
        let (body_ref, timeout_ref) = (body_ref.clone(), timeout_ref.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            let body = text(&body_ref);
            if body.is_empty() {
                return outcome.set(Some(Err(
                    "type the body of a message you received here".into()
                )));
            }
            if !change {
                let step = ScriptStep::Delete {
                    at_ms: 0.0,
                    queue: queue.clone(),
                    body: body.clone(),
                };
                let done = format!("deleted \"{body}\"");
                return call(SqsCall::Delete { body }, step, &|_| done.clone());
            }
            let timeout_ms = match visibility("timeout", &text(&timeout_ref)) {
                Ok(Some(t)) => t,
                Ok(None) => return outcome.set(Some(Err("timeout: a number of ms".into()))),
                Err(e) => return outcome.set(Some(Err(e))),
            };
            let step = ScriptStep::ChangeVisibility {
                at_ms: 0.0,
                queue: queue.clone(),
                body: body.clone(),
                timeout_ms,
            };
            let done = if timeout_ms == 0.0 {
                format!("\"{body}\" is visible again")
            } else {
                format!("\"{body}\" stays hidden for {timeout_ms} ms from now")
            };
            call(
                SqsCall::ChangeVisibility { body, timeout_ms },
                step,
                &|_| done.clone(),
            );
        })
    };
    let (delete, change) = (on_received(false), on_received(true));
    html! {
        <>
            <form class="produce-form" onsubmit={receive} aria-label="Receive messages" novalidate=true>
                <label>{"Max "}<input ref={max_ref} type="number" min="1" max="10" size="3" aria-label="Max messages" /></label>
                <label>{"Visibility "}<input ref={visibility_ref} type="text" size="6" aria-label="Visibility timeout of this receive (ms)" placeholder="queue's" /></label>
                <button type="submit" class="action">{"Receive"}</button>
            </form>
            <form class="produce-form" aria-label="A received message" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{"Received "}<input ref={body_ref} type="text" size="10" aria-label="Body of a received message" /></label>
                <button type="button" class="action" onclick={delete}>{"Delete message"}</button>
                <label>{"Timeout "}<input ref={timeout_ref} type="text" size="6" aria-label="New visibility timeout (ms)" /></label>
                <button type="button" class="action" onclick={change}>{"Change visibility"}</button>
            </form>
        </>
    }
}
