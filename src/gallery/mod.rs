//! Ready-made scenarios opened by `?pattern=ID`. For now this holds the `stress`
//! scenario (the animation benchmark); the teaching patterns of the gallery join it
//! under the same ids as design §7 lists.

pub mod bench;
mod stress;

use crate::core::scenario::Scenario;

/// Pattern ids this build can open.
pub const PATTERN_IDS: [&str; 1] = ["stress"];

/// The scenario of pattern `id`.
pub fn pattern(id: &str) -> Option<Scenario> {
    match id {
        "stress" => Some(stress::scenario()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_valid() {
        for id in PATTERN_IDS {
            let s = pattern(id).unwrap();
            assert!(crate::core::scenario::validate(&s).is_empty(), "{id}");
        }
        assert!(pattern("nope").is_none());
    }
}
