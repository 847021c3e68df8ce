//! Script steps against the RabbitMQ rules they touch, each case checked on the exact
//! contents of the queues afterwards (what `qp simulate --messages` prints): overflow
//! modes (rabbitmq.com/docs/maxlength), TTL expiry order and per-message vs queue TTL
//! (rabbitmq.com/docs/ttl), dead-letter routing keys, x-death counts and cycles
//! (rabbitmq.com/docs/dlx), reject vs requeue position (rabbitmq.com/docs/nack,
//! "requeued messages ... placed back at their original position"), priority order
//! (rabbitmq.com/docs/priority).

use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::scenario::load_scenario;
use queue_playground::core::Simulation;
use serde_json::{json, Value};

/// A direct exchange `in` bound with key `k` to queue `work` (settings `work`), whose
/// dead-letter exchange `dlx` (fanout unless `dl_key`) feeds queue `dlq`.
fn diagram(work: Value, dl_key: Option<&str>, script: Value) -> String {
    let mut dead_letter = json!({"id": "dl", "from": "work", "to": "dlx", "kind": "dead-letter"});
    if let Some(k) = dl_key {
        dead_letter["routing_key"] = json!(k);
    }
    let dlx_type = if dl_key.is_some() { "direct" } else { "fanout" };
    let mut bind = json!({"id": "b2", "from": "dlx", "to": "dlq", "kind": "binding"});
    if let Some(k) = dl_key {
        bind["routing_key"] = json!(k);
    }
    json!({
        "version": 2, "seed": 1, "latency_ms": 1,
        "nodes": [
            {"id": "in", "kind": "exchange", "name": "in", "exchange": {"type": "direct"}},
            {"id": "work", "kind": "queue", "name": "work", "queue": work},
            {"id": "dlx", "kind": "exchange", "name": "dlx", "exchange": {"type": dlx_type}},
            {"id": "dlq", "kind": "queue", "name": "dlq"}
        ],
        "edges": [
            {"id": "b1", "from": "in", "to": "work", "kind": "binding", "routing_key": "k"},
            dead_letter,
            bind
        ],
        "script": script
    })
    .to_string()
}

fn publish(at: f64, payload: &str) -> Value {
    json!({"op": "publish", "at_ms": at, "exchange": "in", "routing_key": "k", "payload": payload})
}

fn run(text: &str, ms: f64) -> Simulation {
    let s = load_scenario(text).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Simulation::new(&s).unwrap();
    let mut t = 0.0;
    while t < ms {
        t = (t + 10.0).min(ms);
        sim.run_until(SimTime::from_ms(t));
        let c = sim.check_conservation();
        assert!(c.held, "{:?}", c.problems);
    }
    sim
}

fn payloads(sim: &Simulation, queue: &str) -> Vec<String> {
    sim.contents().queues[queue]
        .iter()
        .map(|m| m.payload.clone())
        .collect()
}

fn deaths(sim: &Simulation, queue: &str, i: usize) -> Vec<(String, String, u32)> {
    sim.contents().queues[queue][i]
        .x_death
        .iter()
        .map(|d| (d.queue.clone(), d.reason.as_str().to_string(), d.count))
        .collect()
}

#[test]
fn drop_head_drops_the_oldest_and_dead_letters_it_as_maxlen() {
    let sim = run(
        &diagram(
            json!({"max_length": 2}),
            None,
            json!([publish(0.0, "a"), publish(0.0, "b"), publish(0.0, "c")]),
        ),
        50.0,
    );
    assert_eq!(payloads(&sim, "work"), ["b", "c"]);
    assert_eq!(payloads(&sim, "dlq"), ["a"]);
    assert_eq!(
        deaths(&sim, "dlq", 0),
        [("work".to_string(), "maxlen".to_string(), 1)]
    );
}

#[test]
fn reject_publish_refuses_the_newest_and_reject_publish_dlx_dead_letters_it() {
    let sim = run(
        &diagram(
            json!({"max_length": 2, "overflow": "reject-publish"}),
            None,
            json!([publish(0.0, "a"), publish(0.0, "b"), publish(0.0, "c")]),
        ),
        50.0,
    );
    assert_eq!(payloads(&sim, "work"), ["a", "b"]);
    assert!(
        payloads(&sim, "dlq").is_empty(),
        "reject-publish does not dead-letter"
    );
    let results = serde_json::to_value(sim.report()).unwrap()["script_results"].clone();
    assert_eq!(results, json!([{"step": 2, "refused": true}]));
    let sim = run(
        &diagram(
            json!({"max_length": 2, "overflow": "reject-publish-dlx"}),
            None,
            json!([publish(0.0, "a"), publish(0.0, "b"), publish(0.0, "c")]),
        ),
        50.0,
    );
    assert_eq!(payloads(&sim, "work"), ["a", "b"]);
    assert_eq!(payloads(&sim, "dlq"), ["c"]);
    assert_eq!(deaths(&sim, "dlq", 0)[0].1, "maxlen");
}

#[test]
fn queue_ttl_expires_in_queue_order() {
    let sim = run(
        &diagram(
            json!({"message_ttl_ms": 100}),
            None,
            json!([publish(0.0, "a"), publish(50.0, "b")]),
        ),
        130.0,
    );
    assert_eq!(payloads(&sim, "work"), ["b"]);
    assert_eq!(payloads(&sim, "dlq"), ["a"]);
    let sim = run(
        &diagram(
            json!({"message_ttl_ms": 100}),
            None,
            json!([publish(0.0, "a"), publish(50.0, "b")]),
        ),
        300.0,
    );
    assert!(payloads(&sim, "work").is_empty());
    assert_eq!(payloads(&sim, "dlq"), ["a", "b"]);
    assert_eq!(
        deaths(&sim, "dlq", 1),
        [("work".to_string(), "expired".to_string(), 1)]
    );
}

#[test]
fn the_lower_of_message_and_queue_ttl_applies_and_only_at_the_head() {
    let with_expiration = |at: f64, payload: &str, ms: f64| {
        json!({"op": "publish", "at_ms": at, "exchange": "in", "routing_key": "k", "payload": payload,
               "properties": {"expiration": ms}})
    };
    // Queue TTL 1 s, message expiration 50 ms: it expires after 50 ms.
    let sim = run(
        &diagram(
            json!({"message_ttl_ms": 1000}),
            None,
            json!([with_expiration(0.0, "short", 50.0)]),
        ),
        100.0,
    );
    assert_eq!(payloads(&sim, "dlq"), ["short"]);
    // A per-message TTL is applied when the message reaches the head: behind a message
    // without one, it waits.
    let script = json!([
        publish(0.0, "long"),
        with_expiration(0.0, "short", 50.0),
        {"op": "get", "at_ms": 200, "queue": "work", "ack": "ack"}
    ]);
    let sim = run(&diagram(json!({}), None, script.clone()), 150.0);
    assert_eq!(payloads(&sim, "work"), ["long", "short"]);
    let sim = run(&diagram(json!({}), None, script), 260.0);
    assert!(payloads(&sim, "work").is_empty());
    assert_eq!(payloads(&sim, "dlq"), ["short"]);
}

/// A get of several messages is several basic.gets: after each one the broker drops the
/// expired messages now at the head (rabbit_amqqueue_process `fetch/2` calls
/// `drop_expired_msgs`; rabbitmq.com/docs/ttl: an expired message is never "sent in
/// response to a polling consumer (basic.get)"). Found against a real RabbitMQ 3.10 by
/// tests/rabbit/queue_check.py.
#[test]
fn a_get_of_several_never_returns_a_message_that_expired_behind_the_first() {
    let script = json!([
        {"op": "publish", "at_ms": 0, "exchange": "in", "routing_key": "k", "payload": "long",
         "properties": {"expiration": 1000}},
        {"op": "publish", "at_ms": 0, "exchange": "in", "routing_key": "k", "payload": "short",
         "properties": {"expiration": 100}},
        {"op": "get", "at_ms": 400, "queue": "work", "count": 2, "ack": "ack"}
    ]);
    let sim = run(&diagram(json!({}), None, script), 600.0);
    let results = serde_json::to_value(sim.report()).unwrap()["script_results"].clone();
    assert_eq!(results, json!([{"step": 2, "messages": ["long"]}]));
    assert!(payloads(&sim, "work").is_empty());
    assert_eq!(payloads(&sim, "dlq"), ["short"]);
    assert_eq!(
        deaths(&sim, "dlq", 0),
        [("work".to_string(), "expired".to_string(), 1)]
    );
}

#[test]
fn a_dead_letter_routing_key_replaces_the_messages_key() {
    let sim = run(
        &diagram(
            json!({}),
            Some("dead"),
            json!([publish(0.0, "a"), {"op": "get", "at_ms": 20, "queue": "work", "ack": "reject"}]),
        ),
        100.0,
    );
    let dlq = &sim.contents().queues["dlq"];
    assert_eq!(dlq.len(), 1);
    assert_eq!(dlq[0].routing_key, "dead");
    assert_eq!(
        deaths(&sim, "dlq", 0),
        [("work".to_string(), "rejected".to_string(), 1)]
    );
}

#[test]
fn requeue_puts_a_message_back_at_its_position_and_reject_removes_it() {
    let script = json!([
        publish(0.0, "a"), publish(0.0, "b"), publish(0.0, "c"),
        {"op": "get", "at_ms": 20, "queue": "work", "count": 1, "ack": "requeue"}
    ]);
    let sim = run(&diagram(json!({}), None, script), 100.0);
    assert_eq!(payloads(&sim, "work"), ["a", "b", "c"]);
    let work = &sim.contents().queues["work"];
    assert!(work[0].redelivered && !work[1].redelivered);
    let script = json!([
        publish(0.0, "a"), publish(0.0, "b"),
        {"op": "get", "at_ms": 20, "queue": "work", "count": 1, "ack": "reject"}
    ]);
    let sim = run(&diagram(json!({}), None, script), 100.0);
    assert_eq!(payloads(&sim, "work"), ["b"]);
    assert_eq!(payloads(&sim, "dlq"), ["a"]);
}

#[test]
fn x_death_counts_grow_in_a_retry_loop() {
    // work dead-letters to retry (TTL 30 ms), which dead-letters back to work: each get
    // with reject sends the message round once more.
    let text = json!({
        "version": 2, "seed": 1, "latency_ms": 1,
        "nodes": [
            {"id": "in", "kind": "exchange", "name": "in", "exchange": {"type": "direct"}},
            {"id": "work", "kind": "queue", "name": "work"},
            {"id": "rx", "kind": "exchange", "name": "retry-x", "exchange": {"type": "fanout"}},
            {"id": "retry", "kind": "queue", "name": "retry", "queue": {"message_ttl_ms": 30}}
        ],
        "edges": [
            {"id": "b1", "from": "in", "to": "work", "kind": "binding", "routing_key": "k"},
            {"id": "d1", "from": "work", "to": "rx", "kind": "dead-letter"},
            {"id": "b2", "from": "rx", "to": "retry", "kind": "binding"},
            {"id": "d2", "from": "retry", "to": "in", "kind": "dead-letter"}
        ],
        "script": [
            publish(0.0, "job"),
            {"op": "get", "at_ms": 10, "queue": "work", "ack": "reject"},
            {"op": "get", "at_ms": 100, "queue": "work", "ack": "reject"},
            {"op": "get", "at_ms": 200, "queue": "work", "ack": "reject"}
        ]
    })
    .to_string();
    let sim = run(&text, 300.0);
    assert_eq!(payloads(&sim, "work"), ["job"]);
    let mut d = deaths(&sim, "work", 0);
    d.sort();
    assert_eq!(
        d,
        [
            ("retry".to_string(), "expired".to_string(), 3),
            ("work".to_string(), "rejected".to_string(), 3)
        ]
    );
}

#[test]
fn a_priority_queue_delivers_higher_priorities_first() {
    let p = |payload: &str, prio: u8| {
        json!({"op": "publish", "at_ms": 0, "exchange": "in", "routing_key": "k", "payload": payload,
               "properties": {"priority": prio}})
    };
    let sim = run(
        &diagram(
            json!({"max_priority": 10}),
            None,
            json!([p("low", 1), p("high", 5), p("low2", 1), p("top", 9)]),
        ),
        50.0,
    );
    assert_eq!(payloads(&sim, "work"), ["top", "high", "low", "low2"]);
}

#[test]
fn a_dead_letter_cycle_without_a_rejection_drops_the_message() {
    // work (TTL 20 ms) dead-letters to its own exchange: a cycle with only expiries.
    let text = json!({
        "version": 2, "seed": 1, "latency_ms": 1,
        "nodes": [
            {"id": "in", "kind": "exchange", "name": "in", "exchange": {"type": "direct"}},
            {"id": "work", "kind": "queue", "name": "work", "queue": {"message_ttl_ms": 20}}
        ],
        "edges": [
            {"id": "b1", "from": "in", "to": "work", "kind": "binding", "routing_key": "k"},
            {"id": "d1", "from": "work", "to": "in", "kind": "dead-letter"}
        ],
        "script": [publish(0.0, "loop")]
    })
    .to_string();
    let sim = run(&text, 200.0);
    assert!(payloads(&sim, "work").is_empty());
    let r = serde_json::to_value(sim.report()).unwrap();
    assert_eq!(
        r["totals"]["dropped_by_reason"]["dead_letter_cycle"], 1,
        "{}",
        r["totals"]
    );
}

/// Script steps a review found silently accepted: a reset to a negative time, and a
/// redrive from a queue that is no queue's dead-letter queue (AWS's
/// StartMessageMoveTask takes only a dead-letter queue as its source).
#[test]
fn negative_reset_times_and_redrives_of_ordinary_queues_are_refused() {
    use queue_playground::core::scenario::script::ScriptStep;
    use queue_playground::core::scenario::{validate, OffsetTarget};
    let mut s = queue_playground::gallery::pattern("kafka-consumer-groups").unwrap();
    s.script = vec![ScriptStep::ResetOffsets {
        at_ms: 100.0,
        topic: "invoices".into(),
        group: "billing".into(),
        to: OffsetTarget::TimeMs(-5.0),
    }];
    let problems = validate(&s);
    assert!(
        problems.iter().any(|p| p.path == "script[0].to.time_ms"),
        "{problems:?}"
    );

    let mut s = queue_playground::gallery::pattern("sqs-dead-letter-redrive").unwrap();
    s.script = vec![ScriptStep::Redrive {
        at_ms: 100.0,
        queue: "payments".into(),
    }];
    let problems = validate(&s);
    assert!(
        problems
            .iter()
            .any(|p| p.path == "script[0].queue"
                && p.message.contains("no queue's dead-letter queue")),
        "{problems:?}"
    );
    s.script = vec![ScriptStep::Redrive {
        at_ms: 100.0,
        queue: "payments-dlq".into(),
    }];
    assert!(validate(&s).is_empty());
}
