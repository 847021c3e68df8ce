//! Share links round-trip any valid scenario, and any damaged link is refused with a
//! message (never a panic).

use proptest::prelude::*;
use queue_playground::core::scenario::load_scenario;
use queue_playground::editor::share::{decode, encode};

fn scenario_files() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios");
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect()
}

#[test]
fn every_example_round_trips() {
    for text in scenario_files() {
        let s = load_scenario(&text).unwrap();
        assert_eq!(decode(&encode(&s)).unwrap(), s);
    }
    for id in queue_playground::gallery::PATTERN_IDS {
        let s = queue_playground::gallery::pattern(id).unwrap();
        assert_eq!(decode(&encode(&s)).unwrap(), s, "{id}");
    }
}

proptest! {
    #[test]
    fn random_diagrams_round_trip(seed in any::<u64>(), latency in 0u32..2000, names in proptest::collection::vec("[a-z][a-z0-9.<>\"&' -]{0,12}", 1..8)) {
        let mut s = queue_playground::core::Scenario::empty();
        s.seed = seed;
        s.latency_ms = latency as f64;
        for (i, n) in names.iter().enumerate() {
            let mut node = queue_playground::core::scenario::Node::new(format!("n{i}"), queue_playground::core::scenario::NodeKind::Queue, format!("{n}-{i}"));
            node.x = i as f64 * 37.5;
            s.nodes.push(node);
        }
        prop_assert_eq!(decode(&encode(&s)).unwrap(), s);
    }

    #[test]
    fn damaged_links_never_panic(cut in 0usize..400, junk in "[A-Za-z0-9_=!%-]{0,40}") {
        let s = load_scenario(&scenario_files()[0]).unwrap();
        let link = encode(&s);
        let cut = cut.min(link.len());
        let _ = decode(&link[..cut]);
        let _ = decode(&format!("#s={junk}"));
        let mut bytes = link.clone().into_bytes();
        if bytes.len() > 10 { let i = 3 + cut % (bytes.len() - 3); bytes[i] = b'A' + (bytes[i] % 26); }
        let _ = decode(&String::from_utf8(bytes).unwrap());
    }
}
