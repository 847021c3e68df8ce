//! Reading the Now forms' inputs: the text of an input field, a publish's properties
//! from the fields under "Properties and headers", and which field a refusal is about
//! (marked for assistive technology and focused).

use crate::core::scenario::script::PublishProperties;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The publish form's properties: headers (a JSON object), expiration (ms), priority
/// (0–255), message id, reply-to and correlation id; empty fields are left unset.
pub(super) fn read_properties(v: &[String]) -> Result<PublishProperties, String> {
    let text = |i: usize| (!v[i].trim().is_empty()).then(|| v[i].trim().to_string());
    let headers = match text(0) {
        Some(t) => crate::ui::inspector::parse::json_object(
            &t,
            crate::ui::inspector::parse::HEADERS_EXAMPLE,
        )
        .map_err(|e| format!("headers: {e}"))?,
        None => serde_json::Map::new(),
    };
    let expiration = match text(1) {
        Some(t) => Some(
            t.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or("expiration: a number of ms ≥ 0")?,
        ),
        None => None,
    };
    let priority = match text(2) {
        Some(t) => Some(
            t.parse::<u8>()
                .map_err(|_| "priority: a whole number from 0 to 255")?,
        ),
        None => None,
    };
    let delivery_mode = match text(6) {
        Some(t) => Some(
            t.parse::<u8>()
                .ok()
                .filter(|m| *m == 1 || *m == 2)
                .ok_or("delivery mode: 1 (transient) or 2 (persistent)")?,
        ),
        None => None,
    };
    Ok(PublishProperties {
        expiration,
        priority,
        headers,
        message_id: text(3),
        reply_to: text(4),
        correlation_id: text(5),
        delivery_mode,
    })
}

/// The text in an input field (empty when the field is gone).
pub(super) fn input_value(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The Now field a refusal is about, by its accessible name. The forms' own messages
/// start with the field's word (`headers: …`, `count: …`); the simulation's refusals
/// name what is missing (a group or deduplication id, a record's key, a message in
/// flight with that body).
pub(super) fn field_of(error: &str) -> Option<&'static str> {
    const BY_START: [(&str, &str); 11] = [
        ("headers:", "Headers (JSON)"),
        ("expiration:", "Expiration (ms)"),
        ("priority:", "Priority"),
        ("delivery mode:", "Delivery mode"),
        ("message attributes:", "Message attributes (JSON)"),
        ("visibility:", "Visibility timeout of this receive (ms)"),
        ("timeout:", "New visibility timeout (ms)"),
        ("count:", "Count"),
        ("max messages:", "Max messages"),
        ("type the body", "Body of a received message"),
        ("no message with body", "Body of a received message"),
    ];
    if let Some((_, field)) = BY_START.iter().find(|(start, _)| error.starts_with(start)) {
        return Some(field);
    }
    if error.ends_with("needs a message group id") {
        Some("Message group id")
    } else if error.ends_with("needs a deduplication id") {
        Some("Deduplication id")
    } else if error.ends_with("without a key") {
        Some("Record key")
    } else {
        None
    }
}

/// Marks the field `error` is about inside the Now section: `aria-invalid`, described by
/// the message (element id `message_id`), shown (a closed "Properties and headers"
/// opens) and focused. The marks of an earlier refusal are cleared first.
fn mark_field(section: &web_sys::Element, error: Option<&str>, message_id: &str) {
    if let Ok(marked) = section.query_selector_all("[aria-invalid]") {
        for i in 0..marked.length() {
            if let Some(el) = marked
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.remove_attribute("aria-invalid");
                let _ = el.remove_attribute("aria-describedby");
            }
        }
    }
    let Some(field) = error.and_then(field_of) else {
        return;
    };
    let Ok(Some(input)) = section.query_selector(&format!("input[aria-label=\"{field}\"]")) else {
        return;
    };
    let _ = input.set_attribute("aria-invalid", "true");
    let _ = input.set_attribute("aria-describedby", message_id);
    if let Ok(Some(details)) = input.closest("details") {
        let _ = details.set_attribute("open", "");
    }
    if let Some(input) = input.dyn_ref::<web_sys::HtmlElement>() {
        let _ = input.focus();
    }
}

/// Marks the field a refusal is about ([`mark_field`]) after the render that shows the
/// outcome of a press of one of the section's buttons (or a form sent by Enter), the
/// same refusal twice too. The presses are heard in the capture phase, before the
/// button's own handler sets the outcome, on the section element (`section`, there
/// while `shown`); `message_id` is the outcome's element id.
#[hook]
pub(super) fn use_field_marks(
    section: NodeRef,
    outcome: UseStateHandle<Option<Result<String, String>>>,
    shown: bool,
    message_id: &'static str,
) {
    let pressed = use_mut_ref(|| false);
    {
        let (section, pressed) = (section.clone(), pressed.clone());
        use_effect(move || {
            if std::mem::take(&mut *pressed.borrow_mut()) {
                if let Some(section) = section.cast::<web_sys::Element>() {
                    let error = match &*outcome {
                        Some(Err(e)) => Some(e.as_str()),
                        _ => None,
                    };
                    mark_field(&section, error, message_id);
                }
            }
        });
    }
    use_effect_with(shown, move |_| {
        let target = section.cast::<web_sys::Element>();
        let options = gloo_events::EventListenerOptions::run_in_capture_phase();
        let listen = |kind: &'static str, buttons_only: bool| {
            let pressed = pressed.clone();
            target.as_ref().map(|target| {
                gloo_events::EventListener::new_with_options(target, kind, options, move |e| {
                    let on_button = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|t| t.closest("button").ok().flatten())
                        .is_some();
                    if on_button || !buttons_only {
                        *pressed.borrow_mut() = true;
                    }
                })
            })
        };
        let listeners = (listen("click", true), listen("submit", false));
        move || drop(listeners)
    });
}
