//! Golden outputs (design §11): for every gallery pattern and every example scenario in
//! `tests/scenarios/`, the `qp simulate` report and the digest of every recorded event,
//! at two simulated times and two seeds, as recorded in `tests/golden/runs.jsonl`
//! before the core was restructured. A restructure must keep them: the event digest
//! byte for byte, the report equal except that it may gain fields.
//!
//! Re-record (only for an intended change of behaviour, said so in the commit):
//! `GOLDEN_UPDATE=1 cargo test --test native golden`.

use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::scenario::{load_scenario, Scenario};
use queue_playground::core::Simulation;
use queue_playground::gallery::{pattern, PATTERN_IDS};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Simulated times (ms) at which each case is cut: early (mid-flight) and late.
const TIMES: [f64; 2] = [2_500.0, 30_000.0];
/// The scenario's own seed and one other.
const OTHER_SEED: u64 = 7;

fn golden_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/runs.jsonl")
}

/// Every scenario of the corpus, by a stable name.
fn corpus() -> Vec<(String, Scenario)> {
    let mut out: Vec<(String, Scenario)> = PATTERN_IDS
        .iter()
        .map(|id| {
            (
                format!("pattern:{id}"),
                pattern(id).expect("gallery pattern"),
            )
        })
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("scenario text");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        out.push((
            format!("scenario:{name}"),
            load_scenario(&text).expect("example scenario loads"),
        ));
    }
    out
}

fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Runs one case; returns its golden line.
fn run(name: &str, scenario: &Scenario, seed: u64, ms: f64) -> Value {
    let mut sim = Simulation::with_seed(scenario, seed).expect("corpus scenario builds");
    sim.set_recording(true);
    let mut digest = 0xcbf2_9ce4_8422_2325u64;
    let mut events = 0u64;
    // Drain in slices so the stress and throughput cases do not hold every event.
    let mut t = 0.0;
    while t < ms {
        t = (t + 500.0).min(ms);
        sim.run_until(SimTime::from_ms(t));
        for e in sim.drain_events() {
            events += 1;
            let text = serde_json::to_string(&e).expect("event encodes");
            digest = fnv1a(text.as_bytes(), digest);
        }
    }
    let report = serde_json::to_value(sim.report()).expect("report encodes");
    json!({
        "case": format!("{name}@{seed}@{ms}"),
        "events": events,
        "event_digest": format!("{digest:016x}"),
        "report": report,
    })
}

fn all_runs() -> Vec<Value> {
    let mut out = Vec::new();
    for (name, scenario) in corpus() {
        for seed in [scenario.seed, OTHER_SEED] {
            for ms in TIMES {
                // The million-message benchmark is cut early: its first seconds exercise
                // the same paths and keep the test quick.
                let ms = if name.contains("throughput") {
                    ms / 10.0
                } else {
                    ms
                };
                out.push(run(&name, &scenario, seed, ms));
            }
        }
    }
    out
}

/// Whether `actual` holds everything `expected` does (objects may gain keys).
fn covers(expected: &Value, actual: &Value, path: &str, problems: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(av) => covers(v, av, &format!("{path}.{k}"), problems),
                    None => problems.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                covers(ev, av, &format!("{path}[{i}]"), problems);
            }
        }
        _ if expected == actual => {}
        _ => problems.push(format!("{path}: expected {expected}, got {actual}")),
    }
}

#[test]
fn golden_outputs_are_unchanged() {
    let runs = all_runs();
    let file = golden_file();
    if std::env::var_os("GOLDEN_UPDATE").is_some() {
        let text: String = runs
            .iter()
            .map(|r| format!("{}\n", serde_json::to_string(r).unwrap()))
            .collect();
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        return;
    }
    let text = std::fs::read_to_string(&file).expect("tests/golden/runs.jsonl exists");
    let expected: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("golden line parses"))
        .collect();
    assert_eq!(
        expected.len(),
        runs.len(),
        "the corpus changed size: re-record on purpose"
    );
    let mut problems = Vec::new();
    for (e, a) in expected.iter().zip(&runs) {
        let case = e["case"].as_str().unwrap_or("?");
        assert_eq!(e["case"], a["case"], "corpus order changed");
        for key in ["events", "event_digest"] {
            if e[key] != a[key] {
                problems.push(format!("{case}: {key} {} became {}", e[key], a[key]));
            }
        }
        covers(&e["report"], &a["report"], case, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "{} golden differences:\n{}",
        problems.len(),
        problems[..problems.len().min(40)].join("\n")
    );
}

#[test]
fn the_comparison_catches_a_change_and_allows_new_fields() {
    let mut problems = Vec::new();
    covers(
        &json!({"a": 1, "b": {"c": [1, 2]}}),
        &json!({"a": 1, "b": {"c": [1, 2], "new": true}, "z": 0}),
        "r",
        &mut problems,
    );
    assert!(problems.is_empty(), "{problems:?}");
    covers(
        &json!({"a": 1, "b": {"c": [1, 2]}}),
        &json!({"a": 2, "b": {"c": [1]}}),
        "r",
        &mut problems,
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
}
