//! Share links: a scenario compressed (deflate) and base64url-encoded into the URL
//! fragment `#s=...`. Decoding checks every step and caps the decompressed size, so a
//! broken, truncated or hostile link gives a clear message, never a panic.

use crate::core::scenario::{load_scenario, Scenario, MAX_SCENARIO_BYTES};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The fragment prefix of a shared scenario.
pub const PREFIX: &str = "#s=";

/// The fragment (`#s=...`) that carries `scenario`.
pub fn encode(scenario: &Scenario) -> String {
    let json = serde_json::to_vec(&scenario.at_lowest_version()).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The scenario carried by a fragment, or what is wrong with the link.
pub fn decode(fragment: &str) -> Result<Scenario, String> {
    let body = fragment
        .strip_prefix(PREFIX)
        .ok_or("the link does not carry a diagram (it should end in #s=...)")?;
    if body.len() > MAX_SCENARIO_BYTES {
        return Err("the link is too long to be a diagram".into());
    }
    let packed = URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .map_err(|_| "the link is damaged: its data is not valid base64".to_string())?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_SCENARIO_BYTES)
        .map_err(|e| {
            if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
                format!(
                    "the link's diagram is too large: it unpacks to more than {} bytes, the most a diagram may be",
                    MAX_SCENARIO_BYTES
                )
            } else {
                "the link is incomplete or damaged: its data does not decompress (was it cut short?)"
                    .to_string()
            }
        })?;
    let text = std::str::from_utf8(&json)
        .map_err(|_| "the link is damaged: its data is not text".to_string())?;
    load_scenario(text).map_err(|e| format!("the link's diagram is not valid: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scenario::{Node, NodeKind};

    #[test]
    fn round_trip_and_damage() {
        let mut s = Scenario::empty();
        s.nodes.push(Node::new("q", NodeKind::Queue, "orders"));
        let link = encode(&s);
        assert!(link.starts_with(PREFIX));
        assert_eq!(decode(&link).unwrap(), s);
        assert!(decode("#x=abc").unwrap_err().contains("does not carry"));
        assert!(decode("#s=!!!").unwrap_err().contains("base64"));
        assert!(decode(&link[..link.len() - 6])
            .unwrap_err()
            .contains("incomplete"));
    }

    /// A link that unpacks past the size limit says so (a review: it read as "cut
    /// short").
    #[test]
    fn a_link_too_large_when_unpacked_says_so() {
        let big = vec![b' '; MAX_SCENARIO_BYTES + 1];
        let packed = miniz_oxide::deflate::compress_to_vec(&big, 9);
        let link = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed));
        assert!(link.len() < 100_000);
        let err = decode(&link).unwrap_err();
        assert!(err.contains("too large"), "{err}");
    }
}
