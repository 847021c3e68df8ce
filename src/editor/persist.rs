//! Autosave: the diagram and viewport as one JSON text for localStorage. Decoding runs
//! the scenario's full validation, so a damaged save is reported, never half-loaded.

use super::geometry::Viewport;
use crate::core::scenario::{load_scenario, Scenario};
use serde::{Deserialize, Serialize};

/// Storage key of the autosave.
pub const AUTOSAVE_KEY: &str = "queue-playground/autosave";
/// Storage key of the diagram that was there before a link (`?pattern=`) replaced it.
pub const PREVIOUS_KEY: &str = "queue-playground/autosave-before-link";
/// Storage key where an unreadable autosave is kept instead of being thrown away.
pub const BACKUP_KEY: &str = "queue-playground/autosave-unreadable";

#[derive(Serialize, Deserialize)]
struct Envelope {
    app: String,
    viewport: Viewport,
    scenario: serde_json::Value,
}

/// Encodes the diagram for storage.
pub fn encode(scenario: &Scenario, viewport: &Viewport) -> String {
    let envelope = Envelope {
        app: "queue-playground".into(),
        viewport: *viewport,
        scenario: serde_json::to_value(scenario).unwrap_or(serde_json::Value::Null),
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

/// Decodes a stored diagram, or says what is wrong with it.
pub fn decode(text: &str) -> Result<(Scenario, Viewport), String> {
    let envelope: Envelope = serde_json::from_str(text)
        .map_err(|e| format!("the saved diagram is not readable ({e})"))?;
    if envelope.app != "queue-playground" {
        return Err("the saved data is not a Queue Playground diagram".into());
    }
    let z = envelope.viewport.zoom;
    let viewport = if z.is_finite()
        && z > 0.0
        && envelope.viewport.x.is_finite()
        && envelope.viewport.y.is_finite()
    {
        envelope.viewport
    } else {
        Viewport::default()
    };
    let scenario = load_scenario(&envelope.scenario.to_string())
        .map_err(|e| format!("the saved diagram is invalid: {e}"))?;
    Ok((scenario, viewport))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scenario::{Node, NodeKind};

    #[test]
    fn round_trips_and_reports_damage() {
        let mut s = Scenario::empty();
        s.nodes.push(Node::new("q", NodeKind::Queue, "orders"));
        let v = Viewport {
            x: 10.0,
            y: 20.0,
            zoom: 1.25,
        };
        let text = encode(&s, &v);
        assert_eq!(decode(&text).unwrap(), (s, v));
        assert!(decode("{broken").unwrap_err().contains("not readable"));
        assert!(decode(&text.replace("orders", ""))
            .unwrap_err()
            .contains("invalid"));
        assert!(decode(&text[..text.len() / 2]).is_err());
    }
}
