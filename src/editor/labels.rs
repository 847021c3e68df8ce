//! Text shown on edges: binding keys and header arguments, dead-letter keys, forward keys.

use crate::core::scenario::{Edge, EdgeKind, ExchangeType, NodeSpec, Scenario};

/// The label of an edge in `scenario`, if it has one. Bindings of fanout exchanges
/// have none: their key is ignored.
pub fn edge_label(scenario: &Scenario, edge: &Edge) -> Option<String> {
    let source_type = scenario.node(&edge.from).and_then(|n| match &n.spec {
        NodeSpec::Exchange(x) => Some(x.kind),
        _ => None,
    });
    match edge.kind {
        EdgeKind::Binding
            if source_type == Some(ExchangeType::Fanout) && edge.arguments.is_empty() =>
        {
            None
        }
        EdgeKind::Binding => {
            if !edge.arguments.is_empty() {
                // The match mode first ("any: region=eu, urgent=yes"), so two bindings that
                // differ only in it stay apart even when the label is cut short.
                let parts: Vec<String> = edge
                    .arguments
                    .iter()
                    .filter(|(k, _)| k.as_str() != "x-match")
                    .map(|(k, v)| match v.as_str() {
                        Some(s) => format!("{k}={s}"),
                        None => format!("{k}={v}"),
                    })
                    .collect();
                let mode = edge.arguments.get("x-match").map(|m| match m.as_str() {
                    Some(s) => s.to_string(),
                    None => m.to_string(),
                });
                Some(match mode {
                    Some(mode) => format!("{mode}: {}", parts.join(", ")),
                    None => parts.join(", "),
                })
            } else {
                Some(match edge.routing_key.as_deref() {
                    None | Some("") => "\u{2205} (empty key)".to_string(),
                    Some(k) => k.to_string(),
                })
            }
        }
        EdgeKind::Consume => Some(format!(
            "group {}",
            edge.consume.as_ref().map_or("group", |c| c.group.as_str())
        )),
        EdgeKind::Produce => None,
        EdgeKind::DeadLetter => Some(match edge.routing_key.as_deref() {
            Some(k) => format!("DLX \u{2192} {k}"),
            None => "DLX".to_string(),
        }),
        EdgeKind::AlternateExchange => Some("alternate".to_string()),
        EdgeKind::Forward => Some(format!(
            "forward {}",
            edge.routing_key.as_deref().unwrap_or("{key}")
        )),
        EdgeKind::Receive => {
            let r = edge.receive.clone().unwrap_or_default();
            let mut parts = Vec::new();
            if let Some(v) = r.visibility_timeout_ms {
                parts.push(format!("visibility {}", crate::editor::labels::ms_text(v)));
            }
            match r.delete {
                crate::core::scenario::DeleteMode::After => {}
                crate::core::scenario::DeleteMode::Before => parts.push("delete first".into()),
                crate::core::scenario::DeleteMode::Never => parts.push("never deletes".into()),
            }
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        EdgeKind::Redrive => Some(format!(
            "DLQ after {}",
            edge.redrive.clone().unwrap_or_default().max_receive_count
        )),
        EdgeKind::Subscribe => {
            let s = edge.subscribe.clone().unwrap_or_default();
            s.filter_policy
                .as_ref()
                .map(|p| format!("filter {}", p))
                .or_else(|| s.raw_delivery.then(|| "raw".to_string()))
        }
        EdgeKind::Push => {
            let hwm = edge.push.clone().unwrap_or_default().hwm;
            Some(if hwm == 1000 {
                "push".to_string()
            } else {
                format!("push · hwm {hwm}")
            })
        }
        EdgeKind::Pub => {
            let p = edge.pub_pipe.clone().unwrap_or_default();
            let mut text = if p.prefix.is_empty() {
                "pub · all".to_string()
            } else {
                format!("pub · \"{}\"", p.prefix)
            };
            if p.hwm != 1000 {
                text.push_str(&format!(" · hwm {}", p.hwm));
            }
            Some(text)
        }
        EdgeKind::Call => {
            let c = edge.call.clone().unwrap_or_default();
            let mut text = format!("call {}", ms_text(c.timeout_ms));
            if c.retries > 0 {
                text.push_str(&format!(" · {}×retry", c.retries));
            }
            if c.compensates.is_some() {
                text = format!("undo · {text}");
            }
            if c.circuit_breaker.is_some() {
                text.push_str(" · breaker");
            }
            Some(text)
        }
        EdgeKind::Publish | EdgeKind::Subscription | EdgeKind::Send => None,
    }
}

/// Milliseconds as a short duration ("500 ms", "30 s").
pub fn ms_text(ms: f64) -> String {
    if ms >= 1000.0 && (ms / 1000.0).fract() == 0.0 {
        format!("{} s", ms / 1000.0)
    } else {
        format!("{ms} ms")
    }
}

/// Longest label drawn on an edge, in characters; a longer one is cut with "…" (the
/// whole text is its tooltip), so labels do not cover the nodes around them.
pub const LABEL_CHARS: usize = 22;

/// `text` cut to [`LABEL_CHARS`] characters, ending in "…" when cut.
pub fn short_label(text: &str) -> String {
    fit_text(text, LABEL_CHARS)
}

/// `text` cut to `max` characters (at least 2), ending in "…" when cut: a node's name
/// that would run out of its box.
pub fn fit_text(text: &str, max: usize) -> String {
    let max = max.max(2);
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('\u{2026}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_cut_short_ones_kept() {
        assert_eq!(short_label("order.#"), "order.#");
        let long = "region=eu, urgent=yes, x-match=all";
        let cut = short_label(long);
        assert_eq!(cut.chars().count(), LABEL_CHARS);
        assert!(cut.ends_with('\u{2026}') && long.starts_with(cut.trim_end_matches('\u{2026}')));
    }
}
