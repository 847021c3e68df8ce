//! The pattern gallery: ready-made scenarios opened by `?pattern=ID`, one per id of
//! design §7, each with a short explanation for learners ([`catalog`]), plus `stress`,
//! the animation benchmark, and the shared benchmark topologies ([`bench`]).

mod aws;
pub mod bench;
pub mod catalog;
mod services;
pub mod stress;
mod zeromq;

pub use catalog::{Pattern, PATTERNS};

use crate::core::scenario::Scenario;

/// Pattern ids this build can open, in gallery order (`stress` last).
pub const PATTERN_IDS: [&str; PATTERNS.len()] = {
    let mut ids = [""; PATTERNS.len()];
    let mut i = 0;
    while i < ids.len() {
        ids[i] = PATTERNS[i].id;
        i += 1;
    }
    ids
};

/// Every pattern of the gallery, in gallery order.
pub fn catalog() -> &'static [Pattern] {
    &PATTERNS
}

/// The pattern with this id.
pub fn find(id: &str) -> Option<&'static Pattern> {
    catalog().iter().find(|p| p.id == id)
}

/// The scenario of pattern `id`.
pub fn pattern(id: &str) -> Option<Scenario> {
    find(id).map(Pattern::scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_valid() {
        assert_eq!(PATTERN_IDS.len(), 38);
        for id in PATTERN_IDS {
            let s = pattern(id).unwrap();
            assert!(crate::core::scenario::validate(&s).is_empty(), "{id}");
        }
        assert!(pattern("nope").is_none());
    }

    #[test]
    fn ids_follow_the_catalogue() {
        for (id, p) in PATTERN_IDS.iter().zip(catalog()) {
            assert_eq!(*id, p.id);
            assert_eq!(find(id).map(|f| f.id), Some(p.id));
        }
        assert_eq!(PATTERN_IDS.last(), Some(&"stress"));
    }
}
