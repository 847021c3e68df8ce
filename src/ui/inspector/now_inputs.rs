//! Reading the Now forms' inputs: the text of an input field, and a publish's
//! properties from the fields under "Properties and headers".

use crate::core::scenario::script::PublishProperties;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The publish form's properties: headers (a JSON object), expiration (ms), priority
/// (0–255), message id, reply-to and correlation id; empty fields are left unset.
pub(super) fn read_properties(v: &[String]) -> Result<PublishProperties, String> {
    let text = |i: usize| (!v[i].trim().is_empty()).then(|| v[i].trim().to_string());
    let headers = match text(0) {
        Some(t) => {
            crate::ui::inspector::parse::json_object(&t).map_err(|e| format!("headers: {e}"))?
        }
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
