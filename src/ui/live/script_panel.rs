//! The Script tab: the diagram's `script` (design §5), one row per step in time order
//! with what it does in words and a Remove button each, a hundred at a time with
//! Earlier/Later buttons for a long script, and the whole script as JSON (one step per
//! line) to edit (checked as any edit: a step naming something not in the diagram is refused
//! with the reason, and the text typed stays in the box until it is taken or discarded). Steps done by hand in the inspector's Now section land here.

use crate::core::scenario::script::{GetAck, ScriptStep};
use crate::core::scenario::Scenario;
use crate::editor::Action;
use crate::ui::state::EditorState;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// What is typed in the Script tab's JSON box and whether the box is open, kept by the
/// side panel so that it outlives the tab (another tab and back keeps both).
#[derive(Clone, Default)]
pub struct ScriptDraft(Rc<RefCell<DraftState>>);

/// See [`ScriptDraft`].
#[derive(Default)]
struct DraftState {
    /// The text typed, until it is taken or discarded.
    text: Option<String>,
    /// "Edit as JSON" is open.
    open: bool,
}

impl PartialEq for ScriptDraft {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Props of [`ScriptPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct ScriptPanelProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
    /// The JSON box's draft, kept across tabs.
    pub draft: ScriptDraft,
}

/// A step in words.
pub fn describe_step(step: &ScriptStep) -> String {
    match step {
        ScriptStep::Publish {
            exchange,
            routing_key,
            payload,
            ..
        } => format!(
            "publish \"{payload}\" to exchange {} with key \"{routing_key}\"",
            if exchange.is_empty() {
                "(default)"
            } else {
                exchange
            }
        ),
        ScriptStep::Get {
            queue, count, ack, ..
        } => format!(
            "get {count} from queue {queue}, then {}",
            match ack {
                GetAck::Ack => "ack",
                GetAck::Requeue => "nack with requeue",
                GetAck::Reject => "reject",
            }
        ),
        ScriptStep::Produce {
            topic, key, value, ..
        } => format!(
            "produce {} with key {} to topic {topic}",
            value
                .as_deref()
                .map_or("a tombstone".to_string(), |v| format!("\"{v}\"")),
            key.as_deref()
                .map_or("(none)".to_string(), |k| format!("\"{k}\""))
        ),
        ScriptStep::ResetOffsets {
            topic, group, to, ..
        } => format!("reset group {group} on topic {topic} to {to:?}").to_lowercase(),
        ScriptStep::Send { queue, body, .. } => format!("send \"{body}\" to SQS queue {queue}"),
        ScriptStep::Receive { queue, max, .. } => {
            format!("receive up to {max} from SQS queue {queue}")
        }
        ScriptStep::Delete { queue, body, .. } => {
            format!("delete \"{body}\" from SQS queue {queue}")
        }
        ScriptStep::ChangeVisibility {
            queue,
            body,
            timeout_ms,
            ..
        } => format!("make \"{body}\" in SQS queue {queue} invisible for {timeout_ms} ms"),
        ScriptStep::Redrive { queue, .. } => format!("redrive SQS queue {queue}"),
        ScriptStep::RestartBroker { .. } => "restart the RabbitMQ broker".to_string(),
        ScriptStep::SnsPublish { topic, message, .. } => {
            format!("publish \"{message}\" to SNS topic {topic}")
        }
    }
}

/// Steps listed at once; a longer script is shown a page at a time (thousands of rows
/// would take seconds to lay out), and the JSON below always holds all of it.
pub const PAGE: usize = 100;

/// The script as JSON with one step per line, to read and edit in the text box.
pub fn script_json(script: &[ScriptStep]) -> String {
    if script.is_empty() {
        return "[]".to_string();
    }
    let lines: Vec<String> = script
        .iter()
        .map(|s| format!("  {}", serde_json::to_string(s).unwrap_or_default()))
        .collect();
    format!("[\n{}\n]", lines.join(",\n"))
}

/// Where the list starts after the script changed from `before` to `after`: the page
/// holding the first step that differs (a step done by hand, a removed step), so the
/// change is in view.
pub fn page_after_change(before: &[ScriptStep], after: &[ScriptStep]) -> usize {
    let first = before
        .iter()
        .zip(after)
        .position(|(a, b)| a != b)
        .unwrap_or(before.len().min(after.len()));
    first.min(after.len().saturating_sub(1)) / PAGE * PAGE
}

/// The text box read as a script: empty text is no steps. A refusal says whether the
/// text is not JSON, not a list, or which step does not fit and why (in words: "a
/// number", not Rust's "f64").
fn parse_script(text: &str) -> Result<Vec<ScriptStep>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("the text is not JSON: {e}"))?;
    let serde_json::Value::Array(items) = value else {
        return Err("the script is a JSON list of steps: [{\"op\": …}, …]".into());
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            // Read from text, as a scenario file's steps are (one reader in the download).
            serde_json::from_str::<ScriptStep>(&item.to_string()).map_err(|e| {
                // The place is in the step's own text, not the box's: left out.
                let whole = e.to_string();
                let why = whole
                    .rsplit_once(" at line ")
                    .map_or(whole.as_str(), |(why, _)| why)
                    .replace("expected f64", "expected a number")
                    .replace("expected u32", "expected a whole number")
                    .replace("expected u64", "expected a whole number");
                format!("step {} (script[{i}]): {why}", i + 1)
            })
        })
        .collect()
}

/// Whether `text` is, once sorted by time as the editor sorts it, the script `script`:
/// the text was applied and taken.
fn is_taken(text: &str, script: &[ScriptStep]) -> bool {
    parse_script(text).is_ok_and(|mut steps| {
        crate::core::sort::sort_by(&mut steps, |a, b| a.at_ms().total_cmp(&b.at_ms()));
        steps == script
    })
}

/// What the panel remembers between renders: the diagram it last drew, the first step
/// listed and the JSON of the script. (The text typed in the box is the side panel's
/// [`ScriptDraft`]: kept through a refused Apply, any redraw and other tabs until it is
/// taken or discarded.)
struct View {
    scenario: Rc<Scenario>,
    start: usize,
    json: String,
}

/// The Script tab.
#[function_component(ScriptPanel)]
pub fn script_panel(p: &ScriptPanelProps) -> Html {
    let scenario = &p.state.0.scenario;
    let script = &scenario.script;
    let text_ref = use_node_ref();
    let error = use_state(|| None::<String>);
    let view = use_mut_ref(|| View {
        scenario: scenario.clone(),
        start: 0,
        json: script_json(script),
    });
    let draft = p.draft.0.clone();
    let redraw = use_force_update();
    let (start, json) = {
        let mut v = view.borrow_mut();
        if !Rc::ptr_eq(&v.scenario, scenario) {
            if v.scenario.script != *script {
                v.start = page_after_change(&v.scenario.script, script);
                v.json = script_json(script);
                let mut d = draft.borrow_mut();
                if d.text.as_deref().is_some_and(|t| is_taken(t, script)) {
                    d.text = None;
                }
            }
            v.scenario = scenario.clone();
        }
        v.start = v.start.min(script.len().saturating_sub(1) / PAGE * PAGE);
        let typed = draft.borrow().text.clone();
        (v.start, typed.unwrap_or_else(|| v.json.clone()))
    };
    let (editing, open) = {
        let d = draft.borrow();
        (d.text.is_some(), d.open)
    };
    let end = (start + PAGE).min(script.len());
    let turn = |to: usize| {
        let (view, redraw) = (view.clone(), redraw.clone());
        Callback::from(move |_: MouseEvent| {
            view.borrow_mut().start = to;
            redraw.force_update();
        })
    };
    let apply = {
        let (state, text_ref, error) = (p.state.clone(), text_ref.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let text = text_ref
                .cast::<web_sys::HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            match parse_script(&text) {
                Ok(steps) => {
                    // A step the diagram refuses (an unknown queue, a time below 0) is
                    // shown at the box too, like a step that does not parse (the notice
                    // bar says it as it says every refused change).
                    let refused = state.0.refusal_of(Action::SetScript(steps.clone()));
                    error.set(refused.map(|why| format!("not applied: {why}")));
                    state.dispatch(Action::SetScript(steps));
                }
                Err(e) => {
                    // A notice left by an earlier Apply (a step the diagram refused)
                    // would contradict this one: it goes.
                    state.dispatch(Action::DismissNotice);
                    error.set(Some(format!("not applied: {e}")));
                }
            }
        })
    };
    let typed = {
        let (draft, redraw) = (draft.clone(), redraw.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                let first = draft.borrow_mut().text.replace(t.value()).is_none();
                if first {
                    // Shows Discard edits.
                    redraw.force_update();
                }
            }
        })
    };
    let discard = {
        let (draft, redraw, error) = (draft.clone(), redraw.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            draft.borrow_mut().text = None;
            error.set(None);
            redraw.force_update();
        })
    };
    html! {
        <section class="script" aria-label="Script">
            <p class="hint">{"Client steps run at simulated times, in order. Steps done by hand (the inspector's Now section) are recorded here; editing the script starts the run again."}</p>
            if script.is_empty() {
                <p class="muted">{"No steps yet: publish, get, produce or send by hand, or write them below."}</p>
            } else {
                if script.len() > PAGE {
                    <nav class="script-pages" aria-label="Script pages">
                        <button type="button" class="action" disabled={start == 0}
                            onclick={turn(start.saturating_sub(PAGE))}>{"Earlier steps"}</button>
                        <span aria-live="polite">{ format!("Steps {}–{} of {}", start + 1, end, script.len()) }</span>
                        <button type="button" class="action" disabled={end == script.len()}
                            onclick={turn(end)}>{"Later steps"}</button>
                    </nav>
                }
                <ol class="script-steps" start={(start + 1).to_string()}>
                    { for script[start..end].iter().enumerate().map(|(k, step)| {
                        let i = start + k;
                        let state = p.state.clone();
                        html! {
                            <li class="script-step" data-step={i.to_string()}>
                                <span class="script-time">{ format!("{:.3} s", step.at_ms() / 1000.0) }</span>
                                <span class="script-what">{ describe_step(step) }</span>
                                <button type="button" class="action" aria-label={format!("Remove step {}", i + 1)}
                                    onclick={Callback::from(move |_| state.dispatch(Action::RemoveStep(i)))}>{"Remove"}</button>
                            </li>
                        }
                    }) }
                </ol>
            }
            <details class="script-json" {open} ontoggle={{
                let draft = draft.clone();
                Callback::from(move |e: Event| {
                    if let Some(d) = e.target_dyn_into::<web_sys::Element>() {
                        draft.borrow_mut().open = d.has_attribute("open");
                    }
                })
            }}>
                <summary>{"Edit as JSON"}</summary>
                <textarea ref={text_ref} rows="10" aria-label="Script (JSON)" value={json} oninput={typed}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then_some("script-json-error")} />
                <button type="button" class="action" onclick={apply}>{"Apply"}</button>
                if editing {
                    <button type="button" class="action" onclick={discard}>{"Discard edits"}</button>
                }
                if let Some(e) = &*error { <p class="field-error" id="script-json-error" role="alert">{ e.clone() }</p> }
            </details>
        </section>
    }
}
