//! Text shown on edges: binding keys and header arguments, dead-letter keys, forward keys.

use crate::core::scenario::{Edge, EdgeKind, ExchangeType, Scenario};

/// The label of an edge in `scenario`, if it has one. Bindings of fanout exchanges
/// have none: their key is ignored.
pub fn edge_label(scenario: &Scenario, edge: &Edge) -> Option<String> {
    let source_type = scenario
        .node(&edge.from)
        .and_then(|n| n.exchange.as_ref())
        .map(|x| x.kind);
    match edge.kind {
        EdgeKind::Binding
            if source_type == Some(ExchangeType::Fanout) && edge.arguments.is_empty() =>
        {
            None
        }
        EdgeKind::Binding => {
            if !edge.arguments.is_empty() {
                let parts: Vec<String> = edge
                    .arguments
                    .iter()
                    .map(|(k, v)| match v.as_str() {
                        Some(s) => format!("{k}={s}"),
                        None => format!("{k}={v}"),
                    })
                    .collect();
                Some(parts.join(", "))
            } else {
                Some(match edge.routing_key.as_deref() {
                    None | Some("") => "\u{2205} (empty key)".to_string(),
                    Some(k) => k.to_string(),
                })
            }
        }
        EdgeKind::DeadLetter => Some(match edge.routing_key.as_deref() {
            Some(k) => format!("DLX \u{2192} {k}"),
            None => "DLX".to_string(),
        }),
        EdgeKind::AlternateExchange => Some("alternate".to_string()),
        EdgeKind::Forward => Some(format!(
            "forward {}",
            edge.routing_key.as_deref().unwrap_or("{key}")
        )),
        EdgeKind::Publish | EdgeKind::Subscription => None,
    }
}
