//! Parsing of inspector field text into settings, with messages a person understands.

use crate::core::scenario::{Outage, Outcome, ServiceOutcome};

/// An optional number: empty text means "not set".
pub fn opt_f64(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
        _ => Err(format!("`{t}` is not a number ≥ 0 (leave empty for none)")),
    }
}

/// A required number ≥ 0.
pub fn f64_req(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a number is required".into());
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("`{t}` is not a number ≥ 0")),
    }
}

/// A required number > 0 (a timeout, an interval).
pub fn positive(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a number above 0 is required".into());
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("`{t}` is not a number above 0")),
    }
}

/// The words for the whole numbers from `min` to `max` (`u64::MAX`: no upper bound),
/// so that a refusal states the range the field really takes.
fn whole_range(min: u64, max: u64) -> String {
    if max == u64::MAX {
        format!(
            "a whole number ≥ {}",
            crate::gallery::stress::thousands(min)
        )
    } else {
        format!(
            "a whole number from {} to {}",
            crate::gallery::stress::thousands(min),
            crate::gallery::stress::thousands(max)
        )
    }
}

/// A required whole number from `min` to `max`.
pub fn count_in(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("{} is required", whole_range(min, max)));
    }
    match t.parse::<u64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(format!("`{t}` is not {}", whole_range(min, max))),
    }
}

/// An optional whole number within `max`.
pub fn opt_u64(text: &str, max: u64) -> Result<Option<u64>, String> {
    opt_u64_in(text, 0, max)
}

/// An optional whole number from `min` to `max`.
pub fn opt_u64_in(text: &str, min: u64, max: u64) -> Result<Option<u64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    count_in(t, min, max).map(Some)
}

/// A number from 0 to 1 (a probability, a share).
pub fn probability(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a number from 0 to 1 is required".into());
    }
    match t.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{t}` is not a number from 0 to 1")),
    }
}

/// A JSON object (headers, binding arguments, message attributes); empty text is `{}`.
/// A refusal shows `example`, an object that fits the field.
pub fn json_object(
    text: &str,
    example: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_str::<serde_json::Value>(t) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        Ok(_) => Err(format!("must be a JSON object such as {example}")),
        Err(e) => Err(format!("not valid JSON: {e}")),
    }
}

/// An example for a field of RabbitMQ headers.
pub const HEADERS_EXAMPLE: &str = "{\"format\": \"pdf\"}";
/// An example for a headers binding's arguments.
pub const BINDING_EXAMPLE: &str = "{\"x-match\": \"any\", \"format\": \"pdf\"}";
/// An example for a field of SQS/SNS message attributes.
pub const ATTRIBUTES_EXAMPLE: &str = "{\"type\": \"refund\", \"amount\": 40}";

/// An outcome pattern such as `ack, ack, reject`.
pub fn pattern(text: &str) -> Result<Vec<Outcome>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s {
            "ack" => Ok(Outcome::Ack),
            "requeue" => Ok(Outcome::Requeue),
            "reject" => Ok(Outcome::Reject),
            "crash" => Ok(Outcome::Crash),
            other => Err(format!(
                "`{other}` is not an outcome (ack, requeue, reject, crash)"
            )),
        })
        .collect()
}

/// Outcome pattern as text.
pub fn pattern_text(p: &[Outcome]) -> String {
    p.iter()
        .map(|o| match o {
            Outcome::Ack => "ack",
            Outcome::Requeue => "requeue",
            Outcome::Reject => "reject",
            Outcome::Crash => "crash",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Outage windows such as `1000-3000, 8000-9000` (ms).
pub fn outages(text: &str) -> Result<Vec<Outage>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|w| {
            let (a, b) = w
                .split_once('-')
                .ok_or_else(|| format!("`{w}` should look like 1000-3000"))?;
            // "-5" splits into "" and "5": a window needs both ends, at 0 or later.
            let bound = |t: &str| {
                f64_req(t).map_err(|_| {
                    format!("`{w}` should look like 1000-3000 (a start and an end in ms, both 0 or more)")
                })
            };
            let (a, b) = (bound(a)?, bound(b)?);
            if b < a {
                return Err(format!("`{w}` ends before it starts"));
            }
            Ok(Outage {
                start_ms: a,
                end_ms: b,
            })
        })
        .collect()
}

/// Outage windows as text.
pub fn outages_text(o: &[Outage]) -> String {
    o.iter()
        .map(|w| format!("{}-{}", w.start_ms, w.end_ms))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A number for display ("" for none).
pub fn show<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A service's outcome pattern, from "ok, ok, error".
pub fn service_pattern(text: &str) -> Result<Vec<ServiceOutcome>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s {
            "ok" => Ok(ServiceOutcome::Ok),
            "error" => Ok(ServiceOutcome::Error),
            "crash" => Ok(ServiceOutcome::Crash),
            other => Err(format!("`{other}` is not an outcome (ok, error, crash)")),
        })
        .collect()
}

/// A service's outcome pattern as text.
pub fn service_pattern_text(p: &[ServiceOutcome]) -> String {
    p.iter()
        .map(|o| match o {
            ServiceOutcome::Ok => "ok",
            ServiceOutcome::Error => "error",
            ServiceOutcome::Crash => "crash",
        })
        .collect::<Vec<_>>()
        .join(", ")
}
