//! AWS SQS and SNS (design §3): conformance cases from the documentation, run through
//! the script's client verbs at simulated times and through workers on receive edges;
//! the queue ledger of design §2 checked after every step; and a property test over
//! random SQS diagrams.
//!
//! Sources, per test: SQS developer guide "Amazon SQS visibility timeout", "Amazon SQS
//! short and long polling", "Amazon SQS delay queues", "Using dead-letter queues",
//! "FIFO queue delivery logic", "Exactly-once processing in Amazon SQS"; SQS API
//! reference ReceiveMessage, ChangeMessageVisibility, DeleteMessage, SendMessage; SNS
//! developer guide "Amazon SNS message filtering", "Amazon SNS raw message delivery".

use proptest::prelude::*;
use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::scenario::load_scenario;
use queue_playground::core::scenario::script::ScriptResult;
use queue_playground::core::Simulation;
use serde_json::{json, Value};

/// Queues `jobs` (standard, visibility 1 s) with `jobs-dlq` as its dead-letter queue
/// after `max_receive` receives, `orders.fifo` (FIFO, content-based deduplication),
/// and `script` as the only client.
fn diagram(max_receive: u32, script: Value) -> String {
    json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [
            {"id": "q", "kind": "sqs-queue", "name": "jobs", "sqs_queue": {"visibility_timeout_ms": 1000}},
            {"id": "d", "kind": "sqs-queue", "name": "jobs-dlq"},
            {"id": "f", "kind": "sqs-queue", "name": "orders.fifo",
             "sqs_queue": {"fifo": true, "content_based_dedup": true, "visibility_timeout_ms": 1000}},
            {"id": "fd", "kind": "sqs-queue", "name": "plain.fifo",
             "sqs_queue": {"fifo": true, "visibility_timeout_ms": 1000}}
        ],
        "edges": [
            {"id": "r", "from": "q", "to": "d", "kind": "redrive", "redrive": {"max_receive_count": max_receive}}
        ],
        "script": script
    })
    .to_string()
}

/// Runs `text` to `ms`, checking conservation (and every queue's ledger) every 50 ms.
fn run(text: &str, ms: f64) -> Simulation {
    let s = load_scenario(text).unwrap_or_else(|e| panic!("loads: {e}"));
    let mut sim = Simulation::new(&s).unwrap();
    let mut t = 0.0;
    while t < ms {
        t = (t + 50.0).min(ms);
        sim.run_until(SimTime::from_ms(t));
        let c = sim.check_conservation();
        assert!(c.held, "conservation at {t} ms: {:?}", c.problems);
    }
    sim
}

/// The bodies each reading step got, by step index.
fn got(sim: &Simulation) -> Vec<(usize, Vec<String>)> {
    sim.script_results()
        .into_iter()
        .filter_map(|r| match r {
            ScriptResult::Messages { step, messages } => Some((step, messages)),
            ScriptResult::Refused { .. } => None,
        })
        .collect()
}

fn refused(sim: &Simulation) -> Vec<usize> {
    sim.script_results()
        .into_iter()
        .filter_map(|r| match r {
            ScriptResult::Refused { step, .. } => Some(step),
            ScriptResult::Messages { .. } => None,
        })
        .collect()
}

fn send(at: f64, queue: &str, body: &str) -> Value {
    json!({"op": "send", "at_ms": at, "queue": queue, "body": body})
}
fn receive(at: f64, queue: &str, max: u32) -> Value {
    json!({"op": "receive", "at_ms": at, "queue": queue, "max": max})
}

fn report(sim: &Simulation) -> Value {
    serde_json::to_value(sim.report()).unwrap()
}

/// The error, if any, of a diagram holding one SQS queue or SNS topic (`kind`) named
/// `name`, FIFO or not.
fn load_lone(kind: &str, fifo: bool, name: &str) -> Option<String> {
    let section = if kind == "sqs-queue" {
        "sqs_queue"
    } else {
        "sns_topic"
    };
    let text = json!({"version": 2, "nodes": [{"id": "n", "kind": kind, "name": name, section: {"fifo": fifo}}], "edges": []});
    load_scenario(&text.to_string())
        .err()
        .map(|e| e.to_string())
}

#[test]
fn a_received_message_is_invisible_until_its_timeout_then_received_again() {
    // Visibility timeout: "immediately after a message is received, it remains in the
    // queue ... other consumers can't receive it"; when the timeout expires it is
    // visible again and its receive count goes up.
    let sim = run(
        &diagram(
            10,
            json!([
                send(0.0, "jobs", "a"),
                receive(100.0, "jobs", 1),
                receive(500.0, "jobs", 1),
                receive(1200.0, "jobs", 1)
            ]),
        ),
        1500.0,
    );
    assert_eq!(
        got(&sim),
        vec![(1, vec!["a".into()]), (2, vec![]), (3, vec!["a".into()])]
    );
    let r = report(&sim);
    assert_eq!(r["sqs"]["jobs"]["visibility_expired"], 1);
    assert_eq!(r["sqs"]["jobs"]["received"], 2);
}

#[test]
fn only_the_latest_receipt_deletes() {
    // DeleteMessage: "if you don't provide the most recently received receipt handle
    // for the message, the request will still succeed, but the message might not be
    // deleted" — here it is not (README "SQS and SNS").
    let text = json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [
            {"id": "q", "kind": "sqs-queue", "name": "jobs", "sqs_queue": {"visibility_timeout_ms": 1000}},
            {"id": "w", "kind": "consumer", "name": "slow", "consumer": {"processing": {"dist": "fixed", "ms": 1500}}}
        ],
        "edges": [{"id": "e", "from": "q", "to": "w", "kind": "receive", "receive": {"max_messages": 1}}],
        "script": [send(0.0, "jobs", "a"), receive(1300.0, "jobs", 1),
                   {"op": "delete", "at_ms": 1700.0, "queue": "jobs", "body": "a"}]
    })
    .to_string();
    let sim = run(&text, 3000.0);
    let r = report(&sim);
    // The worker received at ~20 ms, its timeout ran out at ~1020 ms, the script
    // received it again at 1300 ms; the worker's delete at ~1520 ms is stale; the
    // script's at 1700 ms deletes.
    assert_eq!(r["sqs"]["jobs"]["stale_deletes"], 1);
    assert_eq!(r["sqs"]["jobs"]["deleted"], 1);
    assert_eq!(r["sqs"]["jobs"]["visible"], 0);
    assert_eq!(r["sqs"]["jobs"]["in_flight"], 0);
    assert!(refused(&sim).is_empty());
}

/// A delete with a receipt the script holds but that is no longer the latest succeeds
/// and deletes nothing (API_DeleteMessage: "the request succeeds, but the message will
/// not be deleted"); the script step is not refused. Found against moto by
/// tests/aws/moto_check.py.
#[test]
fn a_script_delete_with_an_older_receipt_succeeds_and_deletes_nothing() {
    let sim = run(
        &diagram(
            10,
            json!([
                send(0.0, "jobs", "a"),
                receive(100.0, "jobs", 1),
                {"op": "change_visibility", "at_ms": 200.0, "queue": "jobs", "body": "a", "timeout_ms": 0.0},
                receive(300.0, "jobs", 1),
                {"op": "delete", "at_ms": 400.0, "queue": "jobs", "body": "a"},
                {"op": "delete", "at_ms": 500.0, "queue": "jobs", "body": "a"}
            ]),
        ),
        600.0,
    );
    assert!(refused(&sim).is_empty(), "{:?}", refused(&sim));
    let r = report(&sim);
    assert_eq!(r["sqs"]["jobs"]["deleted"], 1);
    assert_eq!(r["sqs"]["jobs"]["stale_deletes"], 1);
    assert_eq!(r["sqs"]["jobs"]["visible"], 0);
    assert_eq!(r["sqs"]["jobs"]["in_flight"], 0);
}

/// Content-based deduplication derives the id from a SHA-256 hash of the body
/// (API_SendMessage), so an explicit id equal to another message's body is a different
/// id: both messages are stored. Found against moto by tests/aws/moto_check.py.
#[test]
fn a_content_based_id_is_not_the_body_itself() {
    let sim = run(
        &diagram(
            10,
            json!([
                {"op": "send", "at_ms": 0.0, "queue": "orders.fifo", "body": "k", "group_id": "g"},
                {"op": "send", "at_ms": 10.0, "queue": "orders.fifo", "body": "m", "group_id": "g", "dedup_id": "k"},
                {"op": "send", "at_ms": 20.0, "queue": "orders.fifo", "body": "k", "group_id": "g"},
                receive(100.0, "orders.fifo", 10)
            ]),
        ),
        200.0,
    );
    // The third is the first one's body again: deduplicated.
    assert_eq!(got(&sim)[0], (3, vec!["k".into(), "m".into()]));
    assert_eq!(report(&sim)["sqs"]["orders.fifo"]["deduplicated"], 1);
}

#[test]
fn change_visibility_restarts_the_timer_from_the_call_and_zero_shows_it_at_once() {
    // ChangeMessageVisibility: "the new timeout period takes effect from the time you
    // call" it; a timeout of 0 makes the message visible immediately.
    let sim = run(
        &diagram(
            10,
            json!([
                send(0.0, "jobs", "a"),
                send(0.0, "jobs", "b"),
                receive(100.0, "jobs", 2),
                {"op": "change_visibility", "at_ms": 900.0, "queue": "jobs", "body": "a", "timeout_ms": 1000.0},
                {"op": "change_visibility", "at_ms": 200.0, "queue": "jobs", "body": "b", "timeout_ms": 0.0},
                receive(300.0, "jobs", 10),
                receive(1500.0, "jobs", 10),
                receive(2000.0, "jobs", 10)
            ]),
        ),
        2100.0,
    );
    // b was received again at 300 ms (visible at 200 ms); at 1500 ms a is still
    // invisible (900 + 1000), b's second timeout (300 + 1000) has run out; at 2000 ms a
    // is back.
    let g = got(&sim);
    assert_eq!(g[0], (2, vec!["a".into(), "b".into()]));
    assert_eq!(g[1], (5, vec!["b".into()]));
    assert_eq!(g[2], (6, vec!["b".into()]));
    assert_eq!(g[3], (7, vec!["a".into()]));
}

#[test]
fn change_visibility_of_a_message_not_in_flight_is_refused() {
    let sim = run(
        &diagram(
            10,
            json!([
                send(0.0, "jobs", "a"),
                {"op": "change_visibility", "at_ms": 100.0, "queue": "jobs", "body": "a", "timeout_ms": 5000.0},
                {"op": "delete", "at_ms": 100.0, "queue": "jobs", "body": "nothing"}
            ]),
        ),
        200.0,
    );
    assert_eq!(refused(&sim), vec![1, 2]);
}

#[test]
fn delayed_messages_are_invisible_until_their_delay_ends() {
    // Delay queues and per-message DelaySeconds (standard queues).
    let sim = run(
        &diagram(
            10,
            json!([
                {"op": "send", "at_ms": 0.0, "queue": "jobs", "body": "later", "delay_ms": 1000.0},
                send(0.0, "jobs", "now"),
                receive(500.0, "jobs", 10),
                receive(1200.0, "jobs", 10)
            ]),
        ),
        1300.0,
    );
    assert_eq!(
        got(&sim),
        vec![(2, vec!["now".into()]), (3, vec!["later".into()])]
    );
}

#[test]
fn the_receive_that_would_exceed_max_receive_count_moves_the_message() {
    // Dead-letter queues: "when the ReceiveCount for a message exceeds the
    // maxReceiveCount for a queue, Amazon SQS moves the message to a dead-letter queue".
    let sim = run(
        &diagram(
            2,
            json!([
                send(0.0, "jobs", "poison"),
                receive(100.0, "jobs", 1),
                receive(1200.0, "jobs", 1),
                receive(2300.0, "jobs", 1),
                receive(2400.0, "jobs-dlq", 1)
            ]),
        ),
        2500.0,
    );
    assert_eq!(
        got(&sim),
        vec![
            (1, vec!["poison".into()]),
            (2, vec!["poison".into()]),
            (3, vec![]),
            (4, vec!["poison".into()])
        ]
    );
    let r = report(&sim);
    assert_eq!(r["sqs"]["jobs"]["moved_out"], 1);
    assert_eq!(r["sqs"]["jobs-dlq"]["moved_in"], 1);
    // It kept its two receives; the DLQ's receive is its third.
    let contents = serde_json::to_value(sim.contents()).unwrap();
    assert_eq!(contents["sqs"]["jobs-dlq"]["in_flight"], json!(["poison"]));
}

#[test]
fn a_redrive_moves_dead_letters_back_to_their_source() {
    let sim = run(
        &diagram(
            1,
            json!([
                send(0.0, "jobs", "p"),
                receive(100.0, "jobs", 1),
                receive(1200.0, "jobs", 1),
                {"op": "redrive", "at_ms": 1500.0, "queue": "jobs-dlq"},
                receive(1600.0, "jobs", 1)
            ]),
        ),
        1700.0,
    );
    assert_eq!(got(&sim)[2], (4, vec!["p".into()]));
    let r = report(&sim);
    assert_eq!(r["sqs"]["jobs-dlq"]["moved_out"], 1);
    assert_eq!(r["sqs"]["jobs"]["moved_in"], 1);
}

#[test]
fn fifo_returns_one_group_in_order_and_blocks_it_while_in_flight() {
    // FIFO delivery logic: a group with a message in flight returns no more until it
    // is deleted or visible again; one receive returns as many of one group as it can.
    let s = |at: f64, g: &str, b: &str| json!({"op": "send", "at_ms": at, "queue": "orders.fifo", "body": b, "group_id": g});
    let r = |at: f64, max: u32| receive(at, "orders.fifo", max);
    let sim = run(
        &diagram(
            10,
            json!([
                s(0.0, "a", "a1"), s(0.0, "b", "b1"), s(0.0, "a", "a2"), s(0.0, "b", "b2"), s(0.0, "a", "a3"),
                r(100.0, 2),
                r(110.0, 10),
                r(120.0, 10),
                {"op": "delete", "at_ms": 200.0, "queue": "orders.fifo", "body": "a1"},
                r(210.0, 10),
                {"op": "delete", "at_ms": 220.0, "queue": "orders.fifo", "body": "a2"},
                r(230.0, 10)
            ]),
        ),
        300.0,
    );
    let g = got(&sim);
    assert_eq!(g[0], (5, vec!["a1".into(), "a2".into()]));
    // Group a is blocked: b's messages come.
    assert_eq!(g[1], (6, vec!["b1".into(), "b2".into()]));
    assert_eq!(g[2], (7, vec![]));
    // a2 is still in flight: a3 waits.
    assert_eq!(g[3], (9, vec![]));
    assert_eq!(g[4], (11, vec!["a3".into()]));
}

#[test]
fn fifo_deduplicates_by_content_or_id_within_five_minutes_even_after_delete() {
    // Exactly-once processing: a message with a deduplication id seen in the last 5
    // minutes is accepted and not delivered; the id is kept after the message is
    // deleted, across groups.
    let sim = run(
        &diagram(
            10,
            json!([
                {"op": "send", "at_ms": 0.0, "queue": "orders.fifo", "body": "x", "group_id": "g1"},
                receive(100.0, "orders.fifo", 10),
                {"op": "delete", "at_ms": 150.0, "queue": "orders.fifo", "body": "x"},
                {"op": "send", "at_ms": 200.0, "queue": "orders.fifo", "body": "x", "group_id": "g2"},
                {"op": "send", "at_ms": 210.0, "queue": "plain.fifo", "body": "y", "group_id": "g", "dedup_id": "id-1"},
                {"op": "send", "at_ms": 220.0, "queue": "plain.fifo", "body": "z", "group_id": "h", "dedup_id": "id-1"},
                receive(300.0, "orders.fifo", 10),
                receive(310.0, "plain.fifo", 10),
                {"op": "send", "at_ms": 300500.0, "queue": "orders.fifo", "body": "x", "group_id": "g1"},
                receive(300600.0, "orders.fifo", 10)
            ]),
        ),
        300700.0,
    );
    let g = got(&sim);
    assert_eq!(g[1], (6, vec![]));
    assert_eq!(g[2], (7, vec!["y".into()]));
    assert_eq!(g[3], (9, vec!["x".into()]));
    let r = report(&sim);
    assert_eq!(r["sqs"]["orders.fifo"]["deduplicated"], 1);
    assert_eq!(r["sqs"]["plain.fifo"]["deduplicated"], 1);
}

#[test]
fn a_worker_crash_does_not_return_its_messages_before_the_timeout() {
    // Visibility timeout: a consumer that fails to delete leaves the message in flight
    // until the timeout; SQS does not know the consumer died.
    let text = json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [
            {"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 1}]}},
            {"id": "q", "kind": "sqs-queue", "name": "jobs", "sqs_queue": {"visibility_timeout_ms": 3000}},
            {"id": "w", "kind": "consumer", "name": "w", "consumer": {"processing": {"dist": "fixed", "ms": 500}, "pattern": ["crash", "ack"], "restart_ms": 100}}
        ],
        "edges": [
            {"id": "e1", "from": "p", "to": "q", "kind": "send"},
            {"id": "e2", "from": "q", "to": "w", "kind": "receive", "receive": {"wait_ms": 20000}}
        ]
    })
    .to_string();
    let s = load_scenario(&text).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(2000.0));
    let r = report(&sim);
    assert_eq!(r["sqs"]["jobs"]["in_flight"], 1, "{}", r["sqs"]);
    assert_eq!(r["consumers"]["w"]["crashes"], 1);
    sim.run_until(SimTime::from_ms(4000.0));
    let r = report(&sim);
    assert_eq!(r["sqs"]["jobs"]["deleted"], 1);
    assert_eq!(r["consumers"]["w"]["processed"], 2);
    assert!(sim.check_conservation().held);
}

#[test]
fn long_polling_returns_as_soon_as_a_message_arrives() {
    let body = |wait: f64| {
        json!({
            "version": 2, "seed": 1, "latency_ms": 10,
            "nodes": [
                {"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 0, "bursts": [{"at_ms": 1000, "count": 1}]}},
                {"id": "q", "kind": "sqs-queue", "name": "jobs"},
                {"id": "w", "kind": "consumer", "name": "w", "consumer": {"processing": {"dist": "fixed", "ms": 10}}}
            ],
            "edges": [
                {"id": "e1", "from": "p", "to": "q", "kind": "send"},
                {"id": "e2", "from": "q", "to": "w", "kind": "receive", "receive": {"wait_ms": wait}}
            ]
        })
        .to_string()
    };
    let long = run(&body(20000.0), 1100.0);
    let r = report(&long);
    assert_eq!(r["consumers"]["w"]["processed"], 1);
    // NumberOfEmptyReceives counts calls that returned no message: the long poll
    // before the message returned it, the one after is still waiting.
    assert_eq!(r["sqs"]["jobs"]["empty_receives"], 0);
    // Waits of 300 ms: three run out empty (at 300, 600 and 900 ms); the fourth
    // returns the message that comes at 1,000 ms.
    let r = report(&run(&body(300.0), 1100.0));
    assert_eq!(r["sqs"]["jobs"]["empty_receives"], 3);
    assert_eq!(r["consumers"]["w"]["processed"], 1);
    let short = run(&body(0.0), 1100.0);
    let r = report(&short);
    assert!(r["sqs"]["jobs"]["empty_receives"].as_u64().unwrap() > 10);
}

#[test]
fn a_fifo_send_without_a_group_is_refused() {
    let text = json!({
        "version": 2, "seed": 1,
        "nodes": [{"id": "f", "kind": "sqs-queue", "name": "o.fifo", "sqs_queue": {"fifo": true}}],
        "script": [{"op": "send", "at_ms": 0, "queue": "o.fifo", "body": "x"}]
    })
    .to_string();
    let err = load_scenario(&text).unwrap_err().to_string();
    assert!(err.contains("script[0].group_id"), "{err}");
}

#[test]
fn sns_fans_out_through_filter_policies_raw_or_enveloped() {
    let text = json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [
            {"id": "t", "kind": "sns-topic", "name": "events"},
            {"id": "all", "kind": "sqs-queue", "name": "all"},
            {"id": "ref", "kind": "sqs-queue", "name": "refunds"},
            {"id": "big", "kind": "sqs-queue", "name": "big"}
        ],
        "edges": [
            {"id": "s1", "from": "t", "to": "all", "kind": "subscribe", "subscribe": {"raw_delivery": true}},
            {"id": "s2", "from": "t", "to": "ref", "kind": "subscribe", "subscribe": {"raw_delivery": true, "filter_policy": {"type": ["refund"]}}},
            {"id": "s3", "from": "t", "to": "big", "kind": "subscribe", "subscribe": {"filter_policy": {"amount": [{"numeric": [">=", 100]}]}}}
        ],
        "script": [
            {"op": "sns_publish", "at_ms": 0, "topic": "events", "message": "m1", "attributes": {"type": "order", "amount": 150}},
            {"op": "sns_publish", "at_ms": 0, "topic": "events", "message": "m2", "attributes": {"type": "refund", "amount": 20}},
            {"op": "sns_publish", "at_ms": 0, "topic": "events", "message": "m3", "attributes": {"type": "quote"}}
        ]
    })
    .to_string();
    let sim = run(&text, 200.0);
    let c = serde_json::to_value(sim.contents()).unwrap();
    assert_eq!(c["sqs"]["all"]["visible"], json!(["m1", "m2", "m3"]));
    assert_eq!(c["sqs"]["refunds"]["visible"], json!(["m2"]));
    let big = c["sqs"]["big"]["visible"].as_array().unwrap();
    assert_eq!(big.len(), 1);
    let envelope: Value = serde_json::from_str(big[0].as_str().unwrap()).unwrap();
    assert_eq!(envelope["Type"], "Notification");
    assert_eq!(envelope["Message"], "m1");
    assert_eq!(envelope["MessageAttributes"]["amount"]["Type"], "Number");
    let r = report(&sim);
    assert_eq!(r["sns"]["events"]["published"], 3);
    assert_eq!(r["sns"]["events"]["delivered"], 5);
    assert_eq!(r["sns"]["events"]["filtered_out"], 4);
}

#[test]
fn aws_diagrams_are_checked_by_field() {
    let bad = |nodes: Value, edges: Value| {
        load_scenario(&json!({"version": 2, "nodes": nodes, "edges": edges}).to_string())
            .unwrap_err()
            .to_string()
    };
    let fifo =
        json!({"id": "f", "kind": "sqs-queue", "name": "a.fifo", "sqs_queue": {"fifo": true}});
    let std = json!({"id": "s", "kind": "sqs-queue", "name": "b"});
    let err = bad(
        json!([fifo, std]),
        json!([{"id": "r", "from": "f", "to": "s", "kind": "redrive"}]),
    );
    assert!(
        err.contains("edges[0].to: a FIFO queue's dead-letter queue must be FIFO"),
        "{err}"
    );
    let err = bad(
        json!([{"id": "t", "kind": "sns-topic", "name": "t"}, std]),
        json!([{"id": "x", "from": "t", "to": "s", "kind": "subscribe", "subscribe": {"filter_policy": {"a": [{"numeric": [">", "x"]}]}}}]),
    );
    assert!(err.contains("edges[0].subscribe.filter_policy"), "{err}");
    let err = bad(
        json!([std, {"id": "w", "kind": "consumer", "name": "w"}]),
        json!([{"id": "x", "from": "s", "to": "w", "kind": "receive", "receive": {"max_messages": 11}}]),
    );
    assert!(
        err.contains("edges[0].receive.max_messages: must be between 1 and 10"),
        "{err}"
    );
    let err = bad(
        json!([{"id": "q", "kind": "sqs-queue", "name": "q", "sqs_queue": {"visibility_timeout_ms": -1}}]),
        json!([]),
    );
    assert!(
        err.contains("nodes[0].sqs_queue.visibility_timeout_ms"),
        "{err}"
    );
    let v1 = load_scenario(&json!({"version": 1, "nodes": [std]}).to_string())
        .unwrap_err()
        .to_string();
    assert!(v1.contains("version\": 2"), "{v1}");
}

/// A random SQS diagram: producers sending to standard and FIFO queues, workers
/// receiving with random settings and outcomes, a dead-letter queue.
fn sqs_world() -> impl Strategy<Value = String> {
    (
        0u64..1000,
        1u32..4,
        100.0f64..3000.0,
        50.0f64..2000.0,
        1u32..10,
        0.0f64..0.5,
        0.0f64..0.2,
        prop::bool::ANY,
        prop::sample::select(vec!["after", "before", "never"]),
        // Short polling, or a long poll of at least 1 ms (a shorter one is refused).
        prop_oneof![Just(0.0f64), 1.0f64..1000.0],
    )
        .prop_map(
            |(seed, workers, visibility, work, max, reject, crash, fifo, delete, wait)| {
                let mut nodes = vec![
                    json!({"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 5, "count": 40,
                        "group_id": "g{cycle:1|2|3}", "dedup_id": "{producer}-{n}"}}),
                    json!({"id": "q", "kind": "sqs-queue", "name": if fifo { "q.fifo" } else { "q" }, "sqs_queue": {"fifo": fifo, "visibility_timeout_ms": visibility, "delay_ms": 100, "retention_ms": 60000}}),
                    json!({"id": "d", "kind": "sqs-queue", "name": if fifo { "d.fifo" } else { "d" }, "sqs_queue": {"fifo": fifo}}),
                    json!({"id": "t", "kind": "sns-topic", "name": "t"}),
                ];
                let mut edges = vec![
                    json!({"id": "e0", "from": "p", "to": "q", "kind": "send"}),
                    json!({"id": "er", "from": "q", "to": "d", "kind": "redrive", "redrive": {"max_receive_count": 2}}),
                ];
                for i in 0..workers {
                    nodes.push(json!({"id": format!("w{i}"), "kind": "consumer", "name": format!("w{i}"),
                        "consumer": {"processing": {"dist": "exponential", "mean_ms": work},
                                     "outcomes": {"reject": reject, "crash": crash, "requeue": 0.1}, "restart_ms": 500}}));
                    edges.push(json!({"id": format!("r{i}"), "from": "q", "to": format!("w{i}"), "kind": "receive",
                        "receive": {"max_messages": max, "delete": delete, "wait_ms": wait}}));
                }
                if !fifo {
                    nodes.push(json!({"id": "x", "kind": "producer", "name": "x", "producer": {"rate_per_sec": 2,
                        "attributes": {"n": "{n}"}}}));
                    edges.push(json!({"id": "ex", "from": "x", "to": "t", "kind": "send"}));
                    edges.push(json!({"id": "es", "from": "t", "to": "q", "kind": "subscribe",
                        "subscribe": {"filter_policy": {"n": [{"numeric": [">", 3]}]}}}));
                    nodes.push(json!({"id": "hook", "kind": "consumer", "name": "hook",
                        "consumer": {"processing": {"dist": "fixed", "ms": 300}, "outcomes": {"reject": reject},
                                     "outages": [{"start_ms": 3000, "end_ms": 4000}]}}));
                    edges.push(json!({"id": "ew", "from": "t", "to": "hook", "kind": "subscribe"}));
                }
                json!({"version": 2, "seed": seed, "latency_ms": 20, "nodes": nodes, "edges": edges,
                       "script": [{"op": "redrive", "at_ms": 8000, "queue": if fifo { "d.fifo" } else { "d" }}]})
                .to_string()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_sqs_diagrams_conserve_and_replay_identically(text in sqs_world()) {
        let s = load_scenario(&text).unwrap();
        let mut a = Simulation::new(&s).unwrap();
        a.set_recording(true);
        let mut t = 0.0;
        while t < 15000.0 {
            t += 250.0;
            a.run_until(SimTime::from_ms(t));
            let c = a.check_conservation();
            prop_assert!(c.held, "at {} ms: {:?}", t, c.problems);
        }
        let mut b = Simulation::new(&s).unwrap();
        b.set_recording(true);
        b.run_until(SimTime::from_ms(15000.0));
        prop_assert_eq!(a.drain_events(), b.drain_events());
    }
}

/// The inspector's console makes the same calls by hand (design §6 "the script verbs by
/// hand"): a receive hides what it got for its visibility timeout, a delete needs a
/// current receipt (refused with the reason otherwise), and a visibility of 0 shows the
/// message again at once (ChangeMessageVisibility).
#[test]
fn receive_delete_and_change_visibility_by_hand() {
    use queue_playground::core::model::ids::NodeId;
    use queue_playground::core::simulation::SqsCall;
    use queue_playground::core::Command;
    let mut sim = run(&diagram(5, json!([])), 100.0);
    let jobs = NodeId(0);
    for body in ["a", "b", "c"] {
        sim.apply(Command::SendTo {
            queue: jobs,
            body: body.into(),
            group_id: None,
            dedup_id: None,
        })
        .unwrap();
    }
    sim.run_until(SimTime::from_ms(200.0));
    let receive = |max, visibility| SqsCall::Receive {
        max,
        visibility_timeout_ms: visibility,
    };
    assert_eq!(
        sim.sqs_by_hand(jobs, &receive(2, Some(60_000.0))).unwrap(),
        ["a", "b"]
    );
    let sqs = &report(&sim)["sqs"]["jobs"];
    assert_eq!(
        (sqs["visible"].as_u64(), sqs["in_flight"].as_u64()),
        (Some(1), Some(2)),
        "{sqs}"
    );
    sim.sqs_by_hand(jobs, &SqsCall::Delete { body: "a".into() })
        .unwrap();
    let again = sim.sqs_by_hand(jobs, &SqsCall::Delete { body: "a".into() });
    assert!(again.unwrap_err().contains("receive it first"));
    let change = SqsCall::ChangeVisibility {
        body: "b".into(),
        timeout_ms: 0.0,
    };
    sim.sqs_by_hand(jobs, &change).unwrap();
    sim.run_until(SimTime::from_ms(300.0));
    assert_eq!(
        sim.sqs_by_hand(jobs, &receive(10, None)).unwrap(),
        ["b", "c"]
    );
    assert!(sim.sqs_by_hand(NodeId(99), &receive(1, None)).is_err());
    assert!(sim.check_conservation().held);
}

/// Two FIFO topics: `strict.fifo` without content-based deduplication and
/// `content.fifo` that leaves the setting out (a file's default: on), each with a FIFO
/// queue subscribed, raw.
fn fifo_topics(script: Value) -> String {
    json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [
            {"id": "s", "kind": "sns-topic", "name": "strict.fifo", "sns_topic": {"fifo": true, "content_based_dedup": false}},
            {"id": "c", "kind": "sns-topic", "name": "content.fifo", "sns_topic": {"fifo": true}},
            {"id": "sq", "kind": "sqs-queue", "name": "s.fifo", "sqs_queue": {"fifo": true}},
            {"id": "cq", "kind": "sqs-queue", "name": "c.fifo", "sqs_queue": {"fifo": true}}
        ],
        "edges": [
            {"id": "e1", "from": "s", "to": "sq", "kind": "subscribe", "subscribe": {"raw_delivery": true}},
            {"id": "e2", "from": "c", "to": "cq", "kind": "subscribe", "subscribe": {"raw_delivery": true}}
        ],
        "script": script
    })
    .to_string()
}

/// SNS API_Publish, `MessageDeduplicationId`: on a FIFO topic "if you don't provide a
/// MessageDeduplicationId and the topic doesn't have ContentBasedDeduplication set, the
/// action fails with an error"; with it set, SNS derives the id from a SHA-256 hash of
/// the body ("but not the attributes"), so an explicit id equal to a body is another
/// id. A publish whose id was seen within 5 minutes is accepted and not delivered.
#[test]
fn a_fifo_topic_without_content_based_dedup_needs_an_id() {
    use queue_playground::core::model::ids::NodeId;
    use queue_playground::core::Command;
    let mut sim = run(
        &fifo_topics(json!([
            {"op": "sns_publish", "at_ms": 0, "topic": "strict.fifo", "message": "a", "group_id": "g", "dedup_id": "1"},
            {"op": "sns_publish", "at_ms": 10, "topic": "strict.fifo", "message": "b", "group_id": "g", "dedup_id": "1"},
            {"op": "sns_publish", "at_ms": 20, "topic": "strict.fifo", "message": "a", "group_id": "g", "dedup_id": "2"},
            {"op": "sns_publish", "at_ms": 0, "topic": "content.fifo", "message": "k", "group_id": "g"},
            {"op": "sns_publish", "at_ms": 10, "topic": "content.fifo", "message": "k", "group_id": "g", "attributes": {"x": "1"}},
            {"op": "sns_publish", "at_ms": 20, "topic": "content.fifo", "message": "m", "group_id": "g", "dedup_id": "k"}
        ])),
        200.0,
    );
    let c = serde_json::to_value(sim.contents()).unwrap();
    assert_eq!(c["sqs"]["s.fifo"]["visible"], json!(["a", "a"]));
    assert_eq!(c["sqs"]["c.fifo"]["visible"], json!(["k", "m"]));
    let r = report(&sim);
    assert_eq!(r["sns"]["strict.fifo"]["deduplicated"], 1, "{r}");
    assert_eq!(r["sns"]["content.fifo"]["deduplicated"], 1, "{r}");
    // By hand (the inspector's Publish): without an id the strict topic refuses, with
    // the reason; the other derives it from the body.
    let publish = |topic: usize, dedup_id: Option<&str>| Command::SnsPublish {
        topic: NodeId(topic as u32),
        message: "x".into(),
        attributes: serde_json::Map::new(),
        group_id: Some("g".into()),
        dedup_id: dedup_id.map(Into::into),
    };
    let err = sim.apply(publish(0, None)).unwrap_err();
    assert!(err.contains("deduplication id"), "{err}");
    sim.apply(publish(0, Some("3"))).unwrap();
    sim.apply(publish(1, None)).unwrap();
}

/// A FIFO topic without content-based deduplication: a file whose script step or
/// producer publishes to it without a deduplication id is refused when read, naming
/// the field (as for an SQS FIFO queue).
#[test]
fn publishes_without_an_id_to_a_strict_fifo_topic_are_refused_when_read() {
    let err = load_scenario(&fifo_topics(json!([
        {"op": "sns_publish", "at_ms": 0, "topic": "strict.fifo", "message": "a", "group_id": "g"}
    ])))
    .unwrap_err()
    .to_string();
    assert!(err.contains("script[0].dedup_id"), "{err}");
    assert!(err.contains("content-based deduplication"), "{err}");
    let mut s: Value = serde_json::from_str(&fifo_topics(json!([]))).unwrap();
    s["nodes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "p", "kind": "producer", "name": "p", "producer": {"group_id": "g"}}));
    s["edges"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "e3", "from": "p", "to": "s", "kind": "send"}));
    let err = load_scenario(&s.to_string()).unwrap_err().to_string();
    assert!(
        err.contains("producer `p` needs a dedup_id template"),
        "{err}"
    );
    // To the topic that derives ids from bodies, the same producer is fine.
    s["edges"][2]["to"] = json!("c");
    load_scenario(&s.to_string()).unwrap();
}

/// A second subscribe edge from one SNS topic to the same queue is refused: SNS keeps
/// one subscription per endpoint (API_Subscribe: a repeat returns the first), so it
/// cannot deliver every message twice (a review found it did).
#[test]
fn one_subscription_per_topic_and_endpoint() {
    use queue_playground::core::scenario::validate;
    let mut s = queue_playground::gallery::pattern("sns-fanout-filter").unwrap();
    let mut twice = s.edges.iter().find(|e| e.id == "e2").unwrap().clone();
    twice.id = "e2-again".into();
    s.edges.push(twice);
    let problems = validate(&s);
    let p = problems
        .iter()
        .find(|p| p.message.contains("already subscribes"))
        .unwrap_or_else(|| panic!("refused: {problems:?}"));
    assert!(p.path.ends_with("].to"), "{}", p.path);
    assert!(p.message.contains("`audit`"), "{}", p.message);
}

/// AWS ties a name's `.fifo` suffix to the type: "A FIFO queue name must end with the
/// .fifo suffix", and a standard queue's name is "alphanumeric characters, hyphens (-),
/// and underscores (_)" (API_CreateQueue); FIFO topics likewise (API_CreateTopic).
/// `tests/aws/moto_check.py` checks the same cases against moto.
#[test]
fn a_fifo_name_ends_with_dot_fifo_and_only_a_fifo_name_does() {
    for kind in ["sqs-queue", "sns-topic"] {
        let noun = if kind == "sqs-queue" {
            "queue"
        } else {
            "topic"
        };
        assert_eq!(load_lone(kind, false, "plain"), None);
        assert_eq!(load_lone(kind, true, "ordered.fifo"), None);
        assert_eq!(
            load_lone(kind, true, "ordered").as_deref(),
            Some(
                format!("nodes[0].name: a FIFO {noun}'s name ends with `.fifo`, as AWS requires")
                    .as_str()
            )
        );
        assert_eq!(
            load_lone(kind, false, "plain.fifo").as_deref(),
            Some(format!("nodes[0].name: only a FIFO {noun}'s name ends with `.fifo` (AWS refuses it on a standard {noun})").as_str())
        );
    }
}

/// SQS and SNS attributes are typed String, Number or String.Array (an array of
/// strings, numbers, true, false and null: SNS developer guide, "Amazon SNS message
/// attribute data types"); a value of no such type is refused by name, on a producer
/// and in a script step, instead of being sent as the text of its JSON.
#[test]
fn an_attribute_without_an_aws_type_is_refused() {
    let err = |v: Value| {
        load_scenario(&v.to_string())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let e = err(json!({"version": 2,
        "nodes": [{"id": "p", "kind": "producer", "name": "p", "producer": {"count": 1,
                    "attributes": {"s": "{n}", "n": 5, "list": ["a", 1, true, null], "flag": true, "obj": {"a": 1}}}},
                  {"id": "q", "kind": "sqs-queue", "name": "q"}],
        "edges": [{"id": "e", "from": "p", "to": "q", "kind": "send"}]}));
    assert!(e.contains("nodes[0].producer.attributes.flag: must be a string, a number or a list of strings, numbers, true, false and null"), "{e}");
    assert!(e.contains("nodes[0].producer.attributes.obj: "), "{e}");
    for ok in ["attributes.s", "attributes.n", "attributes.list"] {
        assert!(!e.contains(ok), "{ok} is fine: {e}");
    }
    let e = err(json!({"version": 2,
        "nodes": [{"id": "q", "kind": "sqs-queue", "name": "q"}, {"id": "t", "kind": "sns-topic", "name": "t"}],
        "edges": [],
        "script": [{"op": "send", "at_ms": 0, "queue": "q", "body": "b", "attributes": {"bad": [[1]]}},
                   {"op": "sns_publish", "at_ms": 0, "topic": "t", "message": "m", "attributes": {"bad": null}}]}));
    assert!(e.contains("script[0].attributes.bad: must be"), "{e}");
    assert!(e.contains("script[1].attributes.bad: must be"), "{e}");
}

/// A dead-letter queue with a shorter retention than its source: the message moved in
/// at 45 s, first sent at 0, expires at 60 s for a standard queue ("the expiration of
/// a message is always based on its original enqueue timestamp") even behind a
/// message sent to the dead-letter queue later; for a FIFO queue "the enqueue
/// timestamp resets when the message is moved to a dead-letter queue", so it stays
/// until 105 s (SQS developer guide, "Setting-up dead-letter queue retention").
#[test]
fn a_dead_lettered_message_expires_from_its_first_send_or_for_fifo_from_the_move() {
    for fifo in [false, true] {
        let (q, d) = if fifo {
            ("q.fifo", "d.fifo")
        } else {
            ("q", "d")
        };
        let ids = |body: &str| {
            if fifo {
                json!({"group_id": "g", "dedup_id": body})
            } else {
                json!({})
            }
        };
        let mut first = json!({"op": "send", "at_ms": 0.0, "queue": q, "body": "moved"});
        let mut fresh = json!({"op": "send", "at_ms": 40_000.0, "queue": d, "body": "fresh"});
        for (step, body) in [(&mut first, "moved"), (&mut fresh, "fresh")] {
            for (k, v) in ids(body).as_object().unwrap() {
                step[k] = v.clone();
            }
        }
        let text = json!({"version": 2, "latency_ms": 0,
            "nodes": [
                {"id": "q", "kind": "sqs-queue", "name": q, "sqs_queue": {"fifo": fifo, "visibility_timeout_ms": 1000, "retention_ms": 600_000}},
                {"id": "d", "kind": "sqs-queue", "name": d, "sqs_queue": {"fifo": fifo, "retention_ms": 60_000}}],
            "edges": [{"id": "r", "from": "q", "to": "d", "kind": "redrive", "redrive": {"max_receive_count": 1}}],
            "script": [first, receive(10.0, q, 1), fresh, receive(45_000.0, q, 1), receive(70_000.0, d, 10)]})
        .to_string();
        let sim = run(&text, 80_000.0);
        let expected: Vec<String> = if fifo {
            vec!["fresh".into(), "moved".into()]
        } else {
            vec!["fresh".into()]
        };
        let mut at_70 = got(&sim).into_iter().find(|(s, _)| *s == 4).unwrap().1;
        at_70.sort();
        assert_eq!(at_70, expected, "fifo {fifo}");
        assert_eq!(
            report(&sim)["sqs"][d]["expired"],
            json!(if fifo { 0 } else { 1 }),
            "fifo {fifo}"
        );
    }
}

/// ChangeMessageVisibility may not take a message's invisibility past 12 hours from
/// the receive: "If you try to extend the visibility timeout beyond the maximum, your
/// request is rejected" (API_ChangeMessageVisibility; the review's case: 12 h, then
/// 12 h more at 10 h, was accepted and hid the message for 22 h). Up to 12 h is fine.
#[test]
fn a_visibility_change_past_12_hours_from_the_receive_is_refused() {
    let text = json!({"version": 2, "latency_ms": 0,
        "nodes": [{"id": "q", "kind": "sqs-queue", "name": "q"}],
        "script": [
            send(0.0, "q", "m1"),
            {"op": "receive", "at_ms": 10.0, "queue": "q", "max": 1, "visibility_timeout_ms": 43_200_000.0},
            {"op": "change_visibility", "at_ms": 36_000_010.0, "queue": "q", "body": "m1", "timeout_ms": 43_200_000.0},
            {"op": "change_visibility", "at_ms": 36_000_020.0, "queue": "q", "body": "m1", "timeout_ms": 7_199_990.0},
            receive(43_200_005.0, "q", 1),
            receive(43_200_020.0, "q", 1)
        ]})
    .to_string();
    let s = load_scenario(&text).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(43_300_000.0));
    assert!(sim.check_conservation().held);
    assert_eq!(
        refused(&sim),
        vec![2],
        "only the change past 12 h is refused"
    );
    // The accepted change ends exactly 12 h after the receive (43,200,010 ms).
    assert_eq!(
        got(&sim),
        vec![(1, vec!["m1".into()]), (4, vec![]), (5, vec!["m1".into()])]
    );
}

/// The rest of AWS's name rules: letters, digits, `-` and `_`, up to 80 characters for
/// a queue and 256 for a topic, `.fifo` included, and something before `.fifo`.
#[test]
fn an_sqs_or_sns_name_follows_aws_rules() {
    let q80 = "q".repeat(80);
    assert_eq!(load_lone("sqs-queue", false, &q80), None);
    assert_eq!(
        load_lone("sqs-queue", false, &format!("{q80}q")).as_deref(),
        Some("nodes[0].name: is 81 characters; an AWS queue name has at most 80")
    );
    // `.fifo` counts in the 80.
    let fifo76 = format!("{}.fifo", "q".repeat(76));
    assert_eq!(
        load_lone("sqs-queue", true, &fifo76).as_deref(),
        Some("nodes[0].name: is 81 characters; an AWS queue name has at most 80")
    );
    assert_eq!(load_lone("sns-topic", false, &"t".repeat(256)), None);
    assert!(load_lone("sns-topic", false, &"t".repeat(257)).is_some());
    assert_eq!(
        load_lone("sqs-queue", false, "my queue").as_deref(),
        Some("nodes[0].name: ` ` cannot be in an AWS queue name: letters, digits, - and _ only")
    );
    assert_eq!(
        load_lone("sns-topic", true, "a/b.fifo").as_deref(),
        Some("nodes[0].name: `/` cannot be in an AWS topic name: letters, digits, - and _ only")
    );
    assert_eq!(
        load_lone("sqs-queue", true, ".fifo").as_deref(),
        Some("nodes[0].name: needs a name before `.fifo`")
    );
    assert_eq!(
        load_lone("sqs-queue", false, "").as_deref(),
        Some("nodes[0].name: an SQS queue needs a name")
    );
}

/// An empty body or message ("The minimum size is one character", API_SendMessage; SNS
/// Publish refuses an empty message) and more than 10 attributes ("Each message can
/// have up to 10 metadata attributes") are refused: in a file's script steps and
/// producers, and by hand.
#[test]
fn an_empty_message_or_eleven_attributes_are_refused() {
    use queue_playground::core::model::ids::NodeId;
    use queue_playground::core::Command;
    let eleven: serde_json::Map<String, Value> =
        (0..11).map(|i| (format!("a{i}"), json!("v"))).collect();
    let e = load_scenario(
        &json!({"version": 2,
            "nodes": [{"id": "q", "kind": "sqs-queue", "name": "q"}, {"id": "t", "kind": "sns-topic", "name": "t"},
                      {"id": "p", "kind": "producer", "name": "p", "producer": {"payload": "", "attributes": eleven}}],
            "edges": [{"id": "e", "from": "p", "to": "q", "kind": "send"}],
            "script": [{"op": "send", "at_ms": 0, "queue": "q", "body": ""},
                       {"op": "sns_publish", "at_ms": 0, "topic": "t", "message": "", "attributes": eleven}]})
        .to_string(),
    )
    .unwrap_err()
    .to_string();
    for expected in [
        "nodes[2].producer.attributes: has 11 attributes; an SQS or SNS message carries at most 10",
        "edges[0].to: producer `p` sends an empty payload, which AWS refuses",
        "script[0].body: must not be empty",
        "script[1].attributes: has 11 attributes",
        "script[1].message: must not be empty",
    ] {
        assert!(e.contains(expected), "{expected}\n in {e}");
    }
    let mut sim = run(
        &json!({"version": 2, "nodes": [{"id": "q", "kind": "sqs-queue", "name": "q"}, {"id": "t", "kind": "sns-topic", "name": "t"}], "edges": []}).to_string(),
        10.0,
    );
    let err = sim
        .apply(Command::SendTo {
            queue: NodeId(0),
            body: String::new(),
            group_id: None,
            dedup_id: None,
        })
        .unwrap_err();
    assert!(err.contains("at least one character"), "{err}");
    let publish = |message: &str, attributes: serde_json::Map<String, Value>| Command::SnsPublish {
        topic: NodeId(1),
        message: message.into(),
        attributes,
        group_id: None,
        dedup_id: None,
    };
    assert!(sim.apply(publish("", Default::default())).is_err());
    let err = sim.apply(publish("m", eleven)).unwrap_err();
    assert!(err.contains("at most 10"), "{err}");
    sim.apply(publish("m", Default::default())).unwrap();
}

/// A script's receive that finds nothing is an empty receive too (a short poll): the
/// review found only workers' were counted.
#[test]
fn a_script_receive_that_finds_nothing_counts_as_empty() {
    let text = json!({"version": 2, "latency_ms": 0,
        "nodes": [{"id": "q", "kind": "sqs-queue", "name": "q"}],
        "script": [receive(0.0, "q", 1), send(10.0, "q", "m"), receive(20.0, "q", 1), receive(30.0, "q", 1)]})
    .to_string();
    let sim = run(&text, 100.0);
    assert_eq!(report(&sim)["sqs"]["q"]["empty_receives"], 2);
}
