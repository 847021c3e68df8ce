//! A RabbitMQ broker restart (rabbitmq.com/docs/queues "Durability",
//! rabbitmq.com/docs/publishers "Message Durability", rabbitmq.com/docs/quorum-queues):
//! durable queues keep their persistent messages, lose their transient ones; transient
//! queues lose everything; quorum queues keep everything; unacked deliveries return
//! first (redelivered) and share their message's fate; consumers reconnect. Also the
//! settings' checks, version 2, definitions.json's `durable`, and the `persistence`
//! pattern.

use queue_playground::core::definitions::{export_definitions, import_definitions};
use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::scenario::load_scenario;
use queue_playground::core::Simulation;
use serde_json::{json, Value};

fn report(sim: &Simulation) -> Value {
    serde_json::to_value(sim.report()).unwrap()
}

fn lane(i: usize, queue: Value, persistent: bool) -> (Vec<Value>, Vec<Value>) {
    let key = format!("k{i}");
    let mut producer = json!({"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 5}], "routing_key": key, "payload": format!("m{i}-{{n}}")});
    if persistent {
        producer["delivery_mode"] = json!(2);
    }
    let q = format!("q{i}");
    let mut qnode = json!({"id": q, "kind": "queue", "name": q});
    if !queue.is_null() {
        qnode["queue"] = queue;
    }
    let nodes = vec![
        json!({"id": format!("p{i}"), "kind": "producer", "name": format!("p{i}"), "producer": producer}),
        qnode,
        json!({"id": format!("c{i}"), "kind": "consumer", "name": format!("c{i}"),
               "consumer": {"prefetch": 1, "processing": {"dist": "fixed", "ms": 1000}}}),
    ];
    let edges = vec![
        json!({"id": format!("e{i}a"), "from": format!("p{i}"), "to": "x", "kind": "publish"}),
        json!({"id": format!("e{i}b"), "from": "x", "to": q, "kind": "binding", "routing_key": key}),
        json!({"id": format!("e{i}c"), "from": q, "to": format!("c{i}"), "kind": "subscription"}),
    ];
    (nodes, edges)
}

#[test]
fn a_restart_keeps_persistent_messages_in_durable_queues_only() {
    let mut nodes =
        vec![json!({"id": "x", "kind": "exchange", "name": "x", "exchange": {"type": "direct"}})];
    let mut edges = Vec::new();
    for (i, (queue, persistent)) in [
        (Value::Null, true),                      // durable, persistent
        (Value::Null, false),                     // durable, transient
        (json!({"durable": false}), true),        // transient queue
        (json!({"queue_type": "quorum"}), false), // quorum: everything kept
    ]
    .into_iter()
    .enumerate()
    {
        let (n, e) = lane(i, queue, persistent);
        nodes.extend(n);
        edges.extend(e);
    }
    let text = json!({"version": 2, "seed": 1, "latency_ms": 10, "nodes": nodes, "edges": edges,
        "script": [{"op": "restart_broker", "at_ms": 500}]})
    .to_string();
    let s = load_scenario(&text).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(499.0));
    let before = report(&sim);
    for q in ["q0", "q1", "q2", "q3"] {
        // One in the worker's hands, four waiting.
        assert_eq!(
            (
                before["queues"][q]["ready"].as_u64(),
                before["queues"][q]["unacked"].as_u64()
            ),
            (Some(4), Some(1)),
            "{q}"
        );
    }
    sim.run_until(SimTime::from_ms(501.0));
    let after = report(&sim);
    assert!(sim.check_conservation().held);
    let held = |q: &str| {
        after["queues"][q]["ready"].as_u64().unwrap()
            + after["queues"][q]["unacked"].as_u64().unwrap()
    };
    // Durable + persistent, and quorum: all five survive (the unacked one returned and
    // delivered again, redelivered).
    assert_eq!(held("q0"), 5);
    assert_eq!(held("q3"), 5);
    assert_eq!(after["queues"]["q0"]["redelivered"], 1);
    // Transient messages, or a transient queue: all five lost.
    assert_eq!(held("q1"), 0);
    assert_eq!(held("q2"), 0);
    assert_eq!(after["totals"]["dropped_by_reason"]["broker_restart"], 10);
    // Consumers reconnected and go on.
    sim.run_until(SimTime::from_ms(8000.0));
    let end = report(&sim);
    assert_eq!(end["consumers"]["c0"]["processed"], 5);
    assert_eq!(end["consumers"]["c3"]["processed"], 5);
    // c1's message in hand was lost with the restart: only what it finished before.
    assert_eq!(end["consumers"]["c1"]["processed"], 0);
    assert!(end["consumers"]["c0"]["online"].as_bool().unwrap());
}

#[test]
fn delivery_mode_and_durable_are_checked_and_need_version_2() {
    let err = |v: Value| {
        load_scenario(&v.to_string())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let e = err(json!({"version": 2, "nodes": [
        {"id": "p", "kind": "producer", "producer": {"delivery_mode": 3}},
        {"id": "q", "kind": "queue", "name": "q", "queue": {"durable": false, "queue_type": "quorum"}}], "edges": []}));
    assert!(
        e.contains("nodes[0].producer.delivery_mode: must be 1 (transient) or 2 (persistent)"),
        "{e}"
    );
    assert!(
        e.contains("nodes[1].queue.durable: a quorum queue is always durable"),
        "{e}"
    );
    let e = err(
        json!({"version": 1, "nodes": [{"id": "q", "kind": "queue", "name": "q", "queue": {"durable": false}}], "edges": []}),
    );
    assert!(
        e.contains("nodes[0].queue.durable") && e.contains("\"version\": 2"),
        "{e}"
    );
    let e = err(
        json!({"version": 1, "nodes": [{"id": "p", "kind": "producer", "producer": {"delivery_mode": 2}}], "edges": []}),
    );
    assert!(
        e.contains("nodes[0].producer.delivery_mode") && e.contains("\"version\": 2"),
        "{e}"
    );
    let e = err(
        json!({"version": 2, "nodes": [{"id": "x", "kind": "exchange", "name": "x"}], "edges": [],
        "script": [{"op": "publish", "at_ms": 0, "exchange": "x", "properties": {"delivery_mode": 7}}]}),
    );
    assert!(e.contains("script[0].properties.delivery_mode"), "{e}");
    // A plain durable queue and a transient producer are written as before (version 1).
    let s = load_scenario(
        &json!({"version": 1, "nodes": [{"id": "q", "kind": "queue", "name": "q"}], "edges": []})
            .to_string(),
    )
    .unwrap();
    assert_eq!(s.lowest_version(), 1);
    assert!(!serde_json::to_string(&s).unwrap().contains("durable"));
}

#[test]
fn durable_round_trips_through_definitions() {
    let text = json!({"version": 2, "nodes": [
        {"id": "a", "kind": "queue", "name": "a"},
        {"id": "b", "kind": "queue", "name": "b", "queue": {"durable": false}}], "edges": []})
    .to_string();
    let s = load_scenario(&text).unwrap();
    let out = export_definitions(&s, "/").definitions;
    let durable: Vec<(String, bool)> = out["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["name"].as_str().unwrap().to_string(),
                q["durable"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(durable, [("a".to_string(), true), ("b".to_string(), false)]);
    let back = import_definitions(&out.to_string(), None).unwrap().scenario;
    let spec = |name: &str| {
        back.nodes
            .iter()
            .find(|n| n.name == name)
            .unwrap()
            .queue_spec()
    };
    assert!(spec("a").durable);
    assert!(!spec("b").durable);
}

#[test]
fn the_persistence_pattern_shows_what_survives() {
    let s = queue_playground::gallery::pattern("persistence").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(19_900.0));
    let before = report(&sim);
    for q in ["orders", "events", "cache"] {
        assert!(
            before["queues"][q]["ready"].as_u64().unwrap() >= 20,
            "{q}: {}",
            before["queues"][q]
        );
    }
    sim.run_until(SimTime::from_ms(20_100.0));
    let after = report(&sim);
    let ready = |q: &str| after["queues"][q]["ready"].as_u64().unwrap();
    assert!(ready("orders") >= before["queues"]["orders"]["ready"].as_u64().unwrap());
    assert_eq!(after["queues"]["orders"]["redelivered"], 1);
    assert_eq!((ready("events"), ready("cache")), (0, 0));
    assert!(
        after["totals"]["dropped_by_reason"]["broker_restart"]
            .as_u64()
            .unwrap()
            >= 40
    );
    assert!(sim.check_conservation().held);
}

/// The app writes files through one compact serialiser and indents the text
/// (`editor::pretty_json`): the result is what `serde_json::to_string_pretty` writes,
/// byte for byte, for every gallery pattern and its definitions export.
#[test]
fn indented_compact_json_is_serde_jsons_pretty_output() {
    use queue_playground::editor::pretty_json::pretty;
    for id in queue_playground::gallery::PATTERN_IDS {
        let s = queue_playground::gallery::pattern(id)
            .unwrap()
            .at_lowest_version();
        let compact = serde_json::to_string(&s).unwrap();
        assert_eq!(
            pretty(&compact),
            serde_json::to_string_pretty(&s).unwrap(),
            "{id}"
        );
        let defs = queue_playground::core::definitions::export_definitions(&s, "/").definitions;
        let compact = serde_json::to_string(&defs).unwrap();
        assert_eq!(
            pretty(&compact),
            serde_json::to_string_pretty(&defs).unwrap(),
            "{id} definitions"
        );
    }
}
