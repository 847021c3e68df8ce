//! Scenario version 2 and its `script` (design §4, §5): the reader, the version-1
//! refusal, "write the lowest version that fits", and the RabbitMQ client verbs run at
//! simulated times — basic.publish and basic.get then ack / nack-requeue / reject
//! (rabbitmq.com/docs/confirms), with `reject-publish` answered by a nack
//! (rabbitmq.com/docs/maxlength, "Overflow Behaviour").

use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::scenario::load_scenario;
use queue_playground::core::scenario::script::ScriptResult;
use queue_playground::core::Simulation;
use serde_json::{json, Value};

/// A queue `work` (max 2 ready, reject-publish) dead-lettering to `dlq` through the
/// fanout `dlx`; no consumers: the script is the only client.
fn diagram(version: u32, script: Value) -> String {
    json!({
        "version": version, "seed": 1, "latency_ms": 10,
        "nodes": [
            {"id": "x", "kind": "exchange", "name": "orders", "exchange": {"type": "direct"}},
            {"id": "q", "kind": "queue", "name": "work", "queue": {"max_length": 2, "overflow": "reject-publish"}},
            {"id": "d", "kind": "exchange", "name": "dlx", "exchange": {"type": "fanout"}},
            {"id": "dlq", "kind": "queue", "name": "dlq"}
        ],
        "edges": [
            {"id": "b", "from": "x", "to": "q", "kind": "binding", "routing_key": "k"},
            {"id": "dl", "from": "q", "to": "d", "kind": "dead-letter"},
            {"id": "b2", "from": "d", "to": "dlq", "kind": "binding"}
        ],
        "script": script
    })
    .to_string()
}

fn run(text: &str, ms: f64) -> Simulation {
    let s = load_scenario(text).expect("loads");
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(ms));
    assert!(sim.check_conservation().held);
    sim
}

#[test]
fn a_version_1_file_with_a_script_is_refused_by_name() {
    let text = diagram(1, json!([]));
    let err = load_scenario(&text).unwrap_err().to_string();
    assert_eq!(
        err,
        "script: is a version 2 feature: the file needs \"version\": 2"
    );
}

#[test]
fn version_1_errors_read_as_before() {
    let text = r#"{"version":1,"nodez":[]}"#;
    let err = load_scenario(text).unwrap_err().to_string();
    assert!(err.contains("unknown field `nodez`"), "{err}");
    assert!(
        !err.contains("`script`"),
        "a version-1 file is told version-1 fields: {err}"
    );
    let err = load_scenario(r#"{"version":3,"nodes":[]}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "version: is 3; this version of Queue Playground reads versions 1 to 2"
    );
}

#[test]
fn version_2_is_a_superset_and_writes_the_lowest_version_that_fits() {
    // A version-1 diagram read as version 2 is the same diagram.
    let v1 = load_scenario(&diagram(1, json!([])).replace(",\"script\":[]", "")).unwrap();
    let v2 = load_scenario(&diagram(2, json!([]))).unwrap();
    assert_eq!(v1.nodes, v2.nodes);
    assert_eq!(v2.lowest_version(), 1, "nothing needs version 2");
    let written = serde_json::to_value(v2.at_lowest_version()).unwrap();
    assert_eq!(written["version"], 1);
    // With a script it stays version 2, and round-trips.
    let with = load_scenario(&diagram(
        2,
        json!([{"op": "get", "at_ms": 5, "queue": "work"}]),
    ))
    .unwrap();
    assert_eq!(with.lowest_version(), 2);
    let text = serde_json::to_string(&with.at_lowest_version()).unwrap();
    assert_eq!(load_scenario(&text).unwrap(), with);
}

#[test]
fn script_steps_are_checked_with_their_paths() {
    let err = load_scenario(&diagram(
        2,
        json!([
            {"op": "publish", "at_ms": 0, "exchange": "nope"},
            {"op": "get", "at_ms": -1, "queue": "missing", "count": 0},
            {"op": "restart_broker", "at_ms": 1e300}
        ]),
    ))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("script[0].exchange: no exchange named `nope`"),
        "{err}"
    );
    assert!(
        err.contains("script[1].at_ms: must be a number ≥ 0"),
        "{err}"
    );
    // A time no run reaches (it would print 300 digits in the Script tab).
    assert!(
        err.contains("script[2].at_ms: must be at most 1,000,000,000,000 ms"),
        "{err}"
    );
    assert!(
        err.contains("script[1].queue: no queue named `missing`"),
        "{err}"
    );
    assert!(
        err.contains("script[1].count: must be from 1 to 10000"),
        "{err}"
    );
    let err = load_scenario(&diagram(
        2,
        json!([{"op": "get", "at_ms": 0, "queue": "work", "colour": 1}]),
    ))
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("script[0]"), "{err}");
    assert!(err.contains("colour"), "{err}");
    let err = load_scenario(&diagram(2, json!([{"op": "shout", "at_ms": 0}])))
        .unwrap_err()
        .to_string();
    assert!(err.contains("shout"), "{err}");
}

#[test]
fn publish_then_get_acks_in_order() {
    let sim = run(
        &diagram(
            2,
            json!([
                {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "a"},
                {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "b"},
                {"op": "get", "at_ms": 100, "queue": "work", "count": 5, "ack": "ack"},
                {"op": "get", "at_ms": 200, "queue": "work"}
            ]),
        ),
        1_000.0,
    );
    assert_eq!(
        sim.script_results(),
        vec![
            ScriptResult::Messages {
                step: 2,
                messages: vec!["a".into(), "b".into()]
            },
            ScriptResult::Messages {
                step: 3,
                messages: vec![]
            },
        ]
    );
    let q = sim.report().queues["q"].clone();
    assert_eq!((q.ready, q.stats.delivered, q.stats.acked), (0, 2, 2));
}

/// basic.nack with requeue puts the message back at its position, redelivered; the
/// next get receives it again (rabbitmq.com/docs/confirms, "Negative Acknowledgement
/// and Requeuing").
#[test]
fn get_with_requeue_returns_the_message_redelivered() {
    let sim = run(
        &diagram(
            2,
            json!([
                {"op": "publish", "at_ms": 0, "exchange": "", "routing_key": "work", "payload": "a"},
                {"op": "get", "at_ms": 100, "queue": "work", "ack": "requeue"},
                {"op": "get", "at_ms": 200, "queue": "work", "ack": "requeue"}
            ]),
        ),
        1_000.0,
    );
    let results = sim.script_results();
    assert_eq!(results.len(), 2);
    let q = sim.report().queues["q"].clone();
    assert_eq!((q.ready, q.stats.redelivered, q.stats.requeued), (1, 1, 2));
    assert!(sim.peek_queue(sim.node_index("q").unwrap())[0].redelivered);
}

/// basic.reject without requeue dead-letters with reason `rejected`
/// (rabbitmq.com/docs/dlx).
#[test]
fn get_with_reject_dead_letters() {
    let sim = run(
        &diagram(
            2,
            json!([
                {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "a"},
                {"op": "get", "at_ms": 100, "queue": "work", "ack": "reject"}
            ]),
        ),
        1_000.0,
    );
    let dlq = sim.peek_queue(sim.node_index("dlq").unwrap());
    assert_eq!(dlq.len(), 1);
    assert_eq!(dlq[0].payload, "a");
    assert_eq!(dlq[0].x_death[0].reason.as_str(), "rejected");
}

/// reject-publish refuses the message that would overflow; with publisher confirms
/// the publisher gets a nack: the step reports `refused` (rabbitmq.com/docs/maxlength).
#[test]
fn a_refused_publish_is_reported() {
    let sim = run(
        &diagram(
            2,
            json!([
                {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "1"},
                {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "2"},
                {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "3"}
            ]),
        ),
        1_000.0,
    );
    assert_eq!(
        sim.script_results(),
        vec![ScriptResult::Refused {
            step: 2,
            refused: true
        }]
    );
    let r = serde_json::to_value(sim.report()).unwrap();
    assert_eq!(r["script_results"], json!([{"step": 2, "refused": true}]));
}

#[test]
fn qp_simulate_messages_lists_what_every_store_holds() {
    let dir = std::env::temp_dir().join(format!("qp-script-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.json");
    std::fs::write(
        &file,
        diagram(
            2,
            json!([
                {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "kept"},
                {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "shot"},
                {"op": "get", "at_ms": 50, "queue": "work", "ack": "reject"}
            ]),
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qp"))
        .args([
            "simulate",
            file.to_str().unwrap(),
            "--until",
            "1s",
            "--messages",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["messages"]["queues"]["work"],
        json!([{"payload": "shot", "routing_key": "k", "redelivered": false, "x_death": []}])
    );
    assert_eq!(
        v["messages"]["queues"]["dlq"][0]["x_death"],
        json!([{"queue": "work", "reason": "rejected", "count": 1}])
    );
    assert_eq!(
        v["script_results"],
        json!([{"step": 2, "messages": ["kept"]}])
    );
    assert_eq!(v["messages"]["topics"], json!({}));
    assert_eq!(v["messages"]["sqs"], json!({}));
    // The report's own fields come first, in their usual order.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("{\"time_ms\":1000.0,\"seed\":1,"),
        "{text}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn workers_list_the_payloads_they_processed() {
    let s = queue_playground::gallery::pattern("work-queue").unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.keep_processed_payloads(true);
    sim.run_until(SimTime::from_ms(5_000.0));
    let contents = sim.contents();
    let total: usize = contents.workers.values().map(Vec::len).sum();
    assert_eq!(total as u64, sim.totals().acked);
    assert!(total > 0);
}

/// The domain model (design §11: a `NodeSpec` per kind, read through a strict raw
/// node): a section of another kind is refused with its path, in its node's place,
/// with the text version 1 always gave; a type error inside it is still a type error
/// with its full path; a node's own section is kept.
#[test]
fn a_section_of_another_kind_is_refused_in_place() {
    use queue_playground::core::scenario::{NodeKind, NodeSpec};
    let text = json!({
        "version": 1,
        "nodes": [
            {"id": "p", "kind": "producer", "queue": {"max_length": 3}},
            {"id": "q", "kind": "queue", "name": "", "consumer": {}}
        ]
    })
    .to_string();
    let err = load_scenario(&text).unwrap_err();
    let lines: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        lines,
        [
            "nodes[0].queue: only a queue node has a `queue` section; this node is a producer",
            "nodes[1].consumer: only a consumer node has a `consumer` section; this node is a queue",
            "nodes[1].name: a queue needs a name",
        ]
    );
    let typed = text.replace("\"max_length\":3", "\"max_length\":\"three\"");
    let err = load_scenario(&typed).unwrap_err().to_string();
    assert!(
        err.starts_with("nodes[0].queue.max_length: invalid type"),
        "{err}"
    );

    let ok = load_scenario(
        r#"{"version":1,"nodes":[{"id":"q","kind":"queue","name":"jobs","queue":{"max_length":3}}]}"#,
    )
    .unwrap();
    assert_eq!(ok.nodes[0].kind(), NodeKind::Queue);
    match &ok.nodes[0].spec {
        NodeSpec::Queue(q) => assert_eq!(q.max_length, Some(3)),
        other => panic!("a queue node holds queue settings, not {other:?}"),
    }
}

/// By hand, as RabbitMQ's management UI does: publish to an exchange by node, then
/// basic.get from the queue with ack, requeue or reject.
#[test]
fn publish_and_get_by_hand() {
    use queue_playground::core::families::rabbit::Settlement;
    use queue_playground::core::model::ids::NodeId;
    use queue_playground::core::Command;
    let mut sim = run(&diagram(2, json!([])), 10.0);
    for payload in ["one", "two"] {
        sim.apply(Command::PublishTo {
            exchange: NodeId(0),
            routing_key: "k".into(),
            payload: payload.into(),
            properties: Default::default(),
        })
        .unwrap();
    }
    sim.run_until(SimTime::from_ms(100.0));
    assert_eq!(
        sim.get_by_hand(NodeId(1), 1, Settlement::Requeue).unwrap(),
        ["one"]
    );
    assert_eq!(
        sim.get_by_hand(NodeId(1), 5, Settlement::Ack).unwrap(),
        ["one", "two"]
    );
    assert!(sim
        .get_by_hand(NodeId(1), 1, Settlement::Ack)
        .unwrap()
        .is_empty());
    assert!(
        sim.get_by_hand(NodeId(0), 1, Settlement::Ack).is_err(),
        "an exchange is not a queue"
    );
    assert!(sim.check_conservation().held);
}

/// Move back (a shovel from the dead-letter queue to the exchange of the first death,
/// with its routing key) and purge, by hand (rabbitmq.com/docs/dlx, docs/shovel,
/// docs/queues "Purging").
#[test]
fn move_back_and_purge_by_hand() {
    use queue_playground::core::model::ids::NodeId;
    use queue_playground::core::Command;
    let text = diagram(
        2,
        json!([
            {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "a"},
            {"op": "publish", "at_ms": 0, "exchange": "orders", "routing_key": "k", "payload": "b"},
            {"op": "get", "at_ms": 100, "queue": "work", "count": 2, "ack": "reject"}
        ]),
    );
    let mut sim = run(&text, 300.0);
    let ready = |sim: &Simulation, q: &str| {
        serde_json::to_value(sim.report()).unwrap()["queues"][q]["ready"]
            .as_u64()
            .unwrap()
    };
    assert_eq!((ready(&sim, "q"), ready(&sim, "dlq")), (0, 2));
    // Nothing dead-lettered in `work`: nothing to move back from it.
    assert!(sim.apply(Command::MoveBack { queue: NodeId(1) }).is_err());
    sim.apply(Command::MoveBack { queue: NodeId(3) }).unwrap();
    sim.run_until(SimTime::from_ms(400.0));
    assert_eq!((ready(&sim, "q"), ready(&sim, "dlq")), (2, 0));
    let c = serde_json::to_value(sim.contents()).unwrap();
    assert_eq!(c["queues"]["work"][0]["payload"], "a");
    assert_eq!(c["queues"]["work"][0]["routing_key"], "k");
    assert!(sim.check_conservation().held);
    sim.apply(Command::Purge { queue: NodeId(1) }).unwrap();
    let r = serde_json::to_value(sim.report()).unwrap();
    assert_eq!(r["queues"]["q"]["ready"], 0);
    assert_eq!(r["totals"]["dropped_by_reason"]["purged"], 2);
    assert!(sim.check_conservation().held);
}
