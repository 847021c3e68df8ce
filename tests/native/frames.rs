//! Frames and their scoreboards: a frame's figures are those of its own nodes (so
//! delivery-guarantees and ordering show their outcomes lane by lane), frames are
//! checked like the rest of a file, and the editor draws, renames and removes them
//! (deleting a node takes it out of its frames).

use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::scenario::{load_scenario, NodeKind};
use queue_playground::core::Simulation;
use queue_playground::editor::{Action, Editor};
use serde_json::json;

fn frames_after(id: &str, ms: f64) -> serde_json::Value {
    let s = queue_playground::gallery::pattern(id).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(ms));
    assert!(sim.check_conservation().held);
    serde_json::to_value(sim.report()).unwrap()["frames"].clone()
}

#[test]
fn delivery_guarantees_scores_each_lane() {
    let f = frames_after("delivery-guarantees", 60_000.0);
    let n = |frame: &str, k: &str| {
        f[frame][k]
            .as_u64()
            .unwrap_or_else(|| panic!("{frame}.{k}: {f}"))
    };
    let lost = |frame: &str| {
        f[frame]["lost"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>()
    };
    // At most once: crashes lose what was auto-acked; nothing is done twice.
    assert!(lost("at-most-once") > 0, "{f}");
    assert_eq!(n("at-most-once", "duplicates"), 0);
    // At least once: nothing lost, some work done twice.
    assert_eq!(lost("at-least-once"), 0);
    assert!(n("at-least-once", "duplicates") > 0);
    // Idempotent: neither.
    assert_eq!(lost("effectively once"), 0);
    assert_eq!(n("effectively once", "duplicates"), 0);
    for frame in ["at-most-once", "at-least-once", "effectively once"] {
        assert!(n(frame, "published") > 100);
        assert!(f[frame]["p99_ms"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn ordering_scores_out_of_order_processing() {
    let f = frames_after("ordering", 60_000.0);
    assert!(
        f["competing updaters"]["out_of_order"].as_u64().unwrap() > 0,
        "{f}"
    );
    assert_eq!(f["single updater"]["out_of_order"], 0);
}

#[test]
fn frames_are_checked_and_need_version_2() {
    let err = |v: serde_json::Value| {
        load_scenario(&v.to_string())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let nodes = json!([{"id": "q", "kind": "queue", "name": "q"}]);
    let e = err(
        json!({"version": 2, "nodes": nodes, "edges": [], "frames": [
        {"name": "a", "nodes": ["q"]}, {"name": "a", "nodes": ["nope"]}, {"name": " ", "nodes": []}]}),
    );
    assert!(
        e.contains("frames[1].name: another frame is named `a`"),
        "{e}"
    );
    assert!(
        e.contains("frames[1].nodes[0]: no node has id `nope`"),
        "{e}"
    );
    assert!(e.contains("frames[2].name: must not be empty"), "{e}");
    assert!(
        e.contains("frames[2].nodes: must name at least one node"),
        "{e}"
    );
    // A node listed twice would count twice in the frame's scoreboard.
    let e = err(
        json!({"version": 2, "nodes": nodes, "edges": [], "frames": [{"name": "a", "nodes": ["q", "q"]}]}),
    );
    assert!(
        e.contains("frames[0].nodes[1]: `q` is listed twice in this frame"),
        "{e}"
    );
    let e = err(
        json!({"version": 1, "nodes": nodes, "edges": [], "frames": [{"name": "a", "nodes": ["q"]}]}),
    );
    assert!(e.contains("frames") && e.contains("\"version\": 2"), "{e}");
}

#[test]
fn the_editor_draws_renames_and_removes_frames() {
    let mut e = Editor::default();
    e.apply(Action::FrameSelection);
    assert!(
        e.scenario.frames.is_empty(),
        "nothing selected: nothing framed"
    );
    assert!(e.notice.is_some());
    for (i, kind) in [NodeKind::Producer, NodeKind::Queue, NodeKind::Consumer]
        .into_iter()
        .enumerate()
    {
        e.apply(Action::AddNode {
            kind,
            x: 300.0 * i as f64,
            y: 100.0,
        });
    }
    let ids: Vec<String> = e.scenario.nodes.iter().map(|n| n.id.clone()).collect();
    e.apply(Action::SelectNode {
        id: ids[1].clone(),
        additive: false,
    });
    e.apply(Action::SelectNode {
        id: ids[2].clone(),
        additive: true,
    });
    e.apply(Action::FrameSelection);
    assert_eq!(e.scenario.frames.len(), 1);
    assert_eq!(e.scenario.frames[0].name, "frame 1");
    assert_eq!(e.scenario.frames[0].nodes, ids[1..].to_vec());
    assert_eq!(e.scenario.lowest_version(), 2);
    e.apply(Action::RenameFrame(0, "the queue".into()));
    assert_eq!(e.scenario.frames[0].name, "the queue");
    e.apply(Action::RenameFrame(0, "  ".into()));
    assert_eq!(
        e.scenario.frames[0].name, "the queue",
        "an empty name is refused"
    );
    // Deleting a framed node takes it out of the frame; the last one, the frame.
    e.apply(Action::SelectNode {
        id: ids[1].clone(),
        additive: false,
    });
    e.apply(Action::DeleteSelected);
    assert_eq!(e.scenario.frames[0].nodes, vec![ids[2].clone()]);
    e.apply(Action::SelectNode {
        id: ids[2].clone(),
        additive: false,
    });
    e.apply(Action::DeleteSelected);
    assert!(e.scenario.frames.is_empty());
    e.apply(Action::Undo);
    assert_eq!(e.scenario.frames.len(), 1);
    e.apply(Action::RemoveFrame(0));
    assert!(e.scenario.frames.is_empty());
}
