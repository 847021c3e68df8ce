//! Services and synchronous calls (design §3 "Services and synchronous calls"):
//! conformance cases for timeouts, late replies, retries with exponential backoff and
//! jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), the circuit
//! breaker's transitions (Nygard, *Release It!*; Resilience4j's CircuitBreaker: closed →
//! open after the failure threshold, half-open after the wait, closed after successful
//! probes), a service's backlog, blocked workers and nested calls, crashes; with
//! conservation and every call edge's ledger (attempts equal ok, error, timeout,
//! rejected and in flight together) checked throughout, and a property test over random diagrams mixing
//! calls and brokers.

use proptest::prelude::*;
use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::model::events::EventKind;
use queue_playground::core::scenario::load_scenario;
use queue_playground::core::Simulation;
use serde_json::{json, Value};

const HOP: f64 = 10.0;

fn sim_of(nodes: Value, edges: Value) -> Simulation {
    let text = json!({"version": 2, "seed": 1, "latency_ms": HOP, "nodes": nodes, "edges": edges})
        .to_string();
    let s = load_scenario(&text).unwrap_or_else(|e| panic!("loads: {e}"));
    Simulation::new(&s).unwrap()
}

/// Runs to `ms`, checking conservation every 25 ms.
fn advance(sim: &mut Simulation, from: f64, ms: f64) {
    let mut t = from;
    while t < ms {
        t = (t + 25.0).min(ms);
        sim.run_until(SimTime::from_ms(t));
        let c = sim.check_conservation();
        assert!(c.held, "conservation at {t} ms: {:?}", c.problems);
    }
}

fn run(nodes: Value, edges: Value, ms: f64) -> Simulation {
    let mut sim = sim_of(nodes, edges);
    advance(&mut sim, 0.0, ms);
    sim
}

fn burst(id: &str, at: f64, count: u64) -> Value {
    json!({"id": id, "kind": "producer", "name": id,
           "producer": {"rate_per_sec": 0, "bursts": [{"at_ms": at, "count": count}], "payload": "req {n}"}})
}
fn service(id: &str, workers: u32, backlog: u32, ms: f64) -> Value {
    json!({"id": id, "kind": "service", "name": id,
           "service": {"workers": workers, "backlog": backlog, "processing": {"dist": "fixed", "ms": ms}}})
}
fn service_with(id: &str, extra: Value) -> Value {
    let mut spec = json!({"workers": 1, "processing": {"dist": "fixed", "ms": 50}});
    for (k, v) in extra.as_object().unwrap() {
        spec[k] = v.clone();
    }
    json!({"id": id, "kind": "service", "name": id, "service": spec})
}
fn call(id: &str, from: &str, to: &str, spec: Value) -> Value {
    json!({"id": id, "from": from, "to": to, "kind": "call", "call": spec})
}

fn report(sim: &Simulation) -> Value {
    serde_json::to_value(sim.report()).unwrap()
}

fn ledger_holds(r: &Value) {
    for (id, c) in r["calls"].as_object().unwrap() {
        let n = |k: &str| c[k].as_u64().unwrap();
        assert_eq!(
            n("attempts"),
            n("ok") + n("error") + n("timeout") + n("rejected") + n("in_flight"),
            "{id}: {c}"
        );
    }
}

#[test]
fn a_call_is_answered_after_the_hop_there_the_work_and_the_hop_back() {
    let sim = run(
        json!([burst("client", 0.0, 1), service("a", 1, 0, 100.0)]),
        json!([call("c", "client", "a", json!({}))]),
        1000.0,
    );
    let r = report(&sim);
    let c = &r["calls"]["c"];
    assert_eq!(
        (c["attempts"].as_u64(), c["ok"].as_u64()),
        (Some(1), Some(1))
    );
    // 10 ms there, 100 ms of work, 10 ms back; the histogram is within 3 %.
    let p50 = c["p50_ms"].as_f64().unwrap();
    assert!((p50 - 120.0).abs() <= 4.0, "p50 {p50}");
    assert_eq!(r["services"]["a"]["served"], 1);
    ledger_holds(&r);
}

#[test]
fn a_reply_after_the_timeout_is_late_and_wasted() {
    let sim = run(
        json!([burst("client", 0.0, 1), service("a", 1, 0, 500.0)]),
        json!([call("c", "client", "a", json!({"timeout_ms": 200}))]),
        1000.0,
    );
    let r = report(&sim);
    let c = &r["calls"]["c"];
    assert_eq!(c["timeout"], 1);
    assert_eq!(c["late_replies"], 1, "{c}");
    assert_eq!(c["calls_failed"], 1);
    // The service did the work anyway.
    assert_eq!(r["services"]["a"]["served"], 1);
    ledger_holds(&r);
}

#[test]
fn retries_wait_an_exponential_backoff() {
    // Down all along: each attempt is refused at once (an error reply), then retried
    // after 100, 200, 400 ms (jitter 0).
    let mut sim = sim_of(
        json!([
            burst("client", 0.0, 1),
            service_with("a", json!({"outages": [{"start_ms": 0, "end_ms": 100000}]}))
        ]),
        json!([call(
            "c",
            "client",
            "a",
            json!({"retries": 3, "backoff_ms": 100, "jitter": 0})
        )]),
    );
    sim.set_recording(true);
    advance(&mut sim, 0.0, 2000.0);
    let sent: Vec<f64> = sim
        .drain_events()
        .into_iter()
        .filter(|e| matches!(e.kind, EventKind::CallSent { .. }))
        .map(|e| e.time.as_ms())
        .collect();
    let t0 = sent[0];
    let rel: Vec<f64> = sent.iter().map(|t| t - t0).collect();
    // Each answer comes back after two hops (20 ms); then the wait.
    assert_eq!(rel, vec![0.0, 120.0, 340.0, 760.0]);
    let r = report(&sim);
    let c = &r["calls"]["c"];
    assert_eq!(
        (
            c["attempts"].as_u64(),
            c["error"].as_u64(),
            c["retries"].as_u64()
        ),
        (Some(4), Some(4), Some(3))
    );
    assert_eq!(c["calls_failed"], 1);
    assert_eq!(r["services"]["a"]["refused_down"], 4);
    ledger_holds(&r);
}

#[test]
fn jitter_draws_each_wait_below_its_backoff() {
    let mut sim = sim_of(
        json!([
            burst("client", 0.0, 20),
            service_with("a", json!({"outages": [{"start_ms": 0, "end_ms": 100000}]}))
        ]),
        json!([call(
            "c",
            "client",
            "a",
            json!({"retries": 1, "backoff_ms": 400, "jitter": 1})
        )]),
    );
    sim.set_recording(true);
    advance(&mut sim, 0.0, 2000.0);
    let mut first: Vec<f64> = Vec::new();
    let mut second: Vec<f64> = Vec::new();
    for e in sim.drain_events() {
        if let EventKind::CallSent { attempt, .. } = e.kind {
            if attempt == 1 {
                first.push(e.time.as_ms());
            } else {
                second.push(e.time.as_ms());
            }
        }
    }
    assert_eq!((first.len(), second.len()), (20, 20));
    let waits: Vec<f64> = second.iter().map(|t| t - first[0] - 2.0 * HOP).collect();
    assert!(waits.iter().all(|w| (0.0..=400.0).contains(w)), "{waits:?}");
    // Full jitter spreads the retries out instead of sending them together.
    let distinct: std::collections::BTreeSet<i64> = waits.iter().map(|w| *w as i64).collect();
    assert!(distinct.len() > 10, "{waits:?}");
}

#[test]
fn a_full_backlog_refuses() {
    // One worker, two may wait: of five at once, two are refused.
    let sim = run(
        json!([burst("client", 0.0, 5), service("a", 1, 2, 1000.0)]),
        json!([call("c", "client", "a", json!({"timeout_ms": 10000}))]),
        5000.0,
    );
    let r = report(&sim);
    let c = &r["calls"]["c"];
    assert_eq!(
        (c["rejected"].as_u64(), c["ok"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(r["services"]["a"]["refused_full"], 2);
    ledger_holds(&r);
}

#[test]
fn the_breaker_opens_half_opens_and_closes() {
    // a is down until 3 s. Three failures within the window open the breaker; it
    // refuses for 1 s, then lets one probe through: while a is still down the probe
    // fails and it opens again; once a is back a probe succeeds and it closes.
    let mut sim = sim_of(
        json!([{"id": "client", "kind": "producer", "name": "client", "producer": {"rate_per_sec": 10}},
               service_with("a", json!({"workers": 4, "outages": [{"start_ms": 0, "end_ms": 3000}]}))]),
        json!([call(
            "c",
            "client",
            "a",
            json!({"circuit_breaker": {
            "failure_threshold": 3, "window_ms": 10000, "open_ms": 1000, "half_open_probes": 1}})
        )]),
    );
    let edge = queue_playground::core::model::ids::EdgeId(0);
    advance(&mut sim, 0.0, 500.0);
    let state = |sim: &Simulation| {
        sim.edge_status(edge)
            .and_then(|s| s.breaker)
            .map(|b| b.as_str())
    };
    assert_eq!(state(&sim), Some("open"));
    advance(&mut sim, 500.0, 2800.0);
    let r = report(&sim);
    assert!(
        r["calls"]["c"]["breaker_opened"].as_u64().unwrap() >= 2,
        "{}",
        r["calls"]["c"]
    );
    assert!(r["calls"]["c"]["rejected_by_breaker"].as_u64().unwrap() > 10);
    advance(&mut sim, 2800.0, 6000.0);
    assert_eq!(state(&sim), Some("closed"));
    let r = report(&sim);
    let c = &r["calls"]["c"];
    // Only the probes reached the service while it was down: three failures, then
    // one probe per second.
    let sent_while_down = r["services"]["a"]["refused_down"].as_u64().unwrap();
    assert!((3..=6).contains(&sent_while_down), "{c}");
    assert!(c["ok"].as_u64().unwrap() >= 25, "{c}");
    ledger_holds(&r);
}

#[test]
fn nested_calls_hold_a_worker_at_every_level() {
    // client → a → b → c, where c is slow: a's and b's workers wait, blocked.
    let mut sim = sim_of(
        json!([
            burst("client", 0.0, 4),
            service("a", 2, 10, 10.0),
            service("b", 2, 10, 10.0),
            service("c", 1, 10, 1000.0)
        ]),
        json!([
            call("ab", "a", "b", json!({"timeout_ms": 10000})),
            call("ca", "client", "a", json!({"timeout_ms": 10000})),
            call("bc", "b", "c", json!({"timeout_ms": 10000}))
        ]),
    );
    advance(&mut sim, 0.0, 500.0);
    let r = report(&sim);
    let busy = |id: &str| r["services"][id]["busy"].as_u64().unwrap();
    let backlog = |id: &str| r["services"][id]["backlog"].as_u64().unwrap();
    assert_eq!(
        (busy("a"), busy("b"), busy("c")),
        (2, 2, 1),
        "{}",
        r["services"]
    );
    assert_eq!((backlog("a"), backlog("b"), backlog("c")), (2, 0, 1));
    advance(&mut sim, 500.0, 10000.0);
    let r = report(&sim);
    assert_eq!(r["calls"]["ca"]["calls_ok"], 4);
    assert_eq!(r["services"]["c"]["served"], 4);
    // The last request waited for three before it at c: about 4 s end to end.
    assert!(r["calls"]["ca"]["p99_ms"].as_f64().unwrap() > 3900.0);
    ledger_holds(&r);
}

#[test]
fn a_crashed_service_loses_its_requests_and_callers_time_out() {
    let sim = run(
        json!([
            burst("client", 0.0, 1),
            service_with("a", json!({"pattern": ["crash"], "restart_ms": 5000}))
        ]),
        json!([call("c", "client", "a", json!({"timeout_ms": 300}))]),
        1000.0,
    );
    let r = report(&sim);
    assert_eq!(r["calls"]["c"]["timeout"], 1);
    assert_eq!(r["services"]["a"]["lost"], 1);
    assert_eq!(r["totals"]["dropped_by_reason"]["request_lost"], 1);
    ledger_holds(&r);
}

#[test]
fn retries_multiply_the_load_on_a_slow_service() {
    // Every attempt times out before the slow service answers, so each call is sent
    // three times and the service works on all of them, for nobody.
    let sim = run(
        json!([burst("client", 0.0, 5), service("a", 20, 100, 300.0)]),
        json!([call(
            "c",
            "client",
            "a",
            json!({"timeout_ms": 100, "retries": 2, "backoff_ms": 10, "jitter": 0})
        )]),
        3000.0,
    );
    let r = report(&sim);
    let c = &r["calls"]["c"];
    assert_eq!(
        (c["calls"].as_u64(), c["attempts"].as_u64()),
        (Some(5), Some(15))
    );
    assert_eq!(c["timeout"], 15);
    assert_eq!(c["late_replies"], 15);
    assert_eq!(r["services"]["a"]["served"], 15);
    ledger_holds(&r);
}

#[test]
fn a_failed_call_rejects_the_message_a_consumer_was_handling() {
    // A consumer reads a RabbitMQ queue and calls a service that is down: each message
    // is rejected (and, without a dead-letter exchange, dropped as rejected).
    let sim = run(
        json!([
            {"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 3}], "routing_key": "jobs"}},
            {"id": "x", "kind": "exchange", "name": "", "exchange": {"type": "direct"}},
            {"id": "q", "kind": "queue", "name": "jobs"},
            {"id": "w", "kind": "consumer", "name": "w", "consumer": {"prefetch": 1, "processing": {"dist": "fixed", "ms": 10}}},
            service_with("a", json!({"outages": [{"start_ms": 0, "end_ms": 100000}]}))
        ]),
        json!([
            {"id": "e1", "from": "p", "to": "x", "kind": "publish"},
            {"id": "e3", "from": "q", "to": "w", "kind": "subscription"},
            call("c", "w", "a", json!({}))
        ]),
        2000.0,
    );
    let r = report(&sim);
    assert_eq!(
        r["consumers"]["w"]["rejected"], 3,
        "{}",
        r["consumers"]["w"]
    );
    assert_eq!(r["calls"]["c"]["error"], 3);
    ledger_holds(&r);
}

#[test]
fn a_service_serves_calls_and_reads_a_queue_with_the_same_workers() {
    let sim = run(
        json!([
            burst("client", 0.0, 6),
            {"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 6}], "routing_key": "jobs"}},
            {"id": "x", "kind": "exchange", "name": "", "exchange": {"type": "direct"}},
            {"id": "q", "kind": "queue", "name": "jobs"},
            service("a", 2, 10, 100.0)
        ]),
        json!([
            {"id": "e1", "from": "p", "to": "x", "kind": "publish"},
            {"id": "e3", "from": "q", "to": "a", "kind": "subscription"},
            call("c", "client", "a", json!({"timeout_ms": 5000}))
        ]),
        3000.0,
    );
    let r = report(&sim);
    assert_eq!(r["calls"]["c"]["ok"], 6);
    assert_eq!(r["consumers"]["a"]["processed"], 12);
    assert_eq!(r["queues"]["q"]["acked"], 6, "{}", r["queues"]["q"]);
    ledger_holds(&r);
}

#[test]
fn a_failed_step_is_compensated_in_reverse_order() {
    // The orchestrator pays, reserves stock, books shipping; booking fails, so it
    // releases the stock, then refunds (latest first), and its caller hears an error.
    let mut sim = sim_of(
        json!([
            burst("client", 0.0, 1),
            service("orch", 1, 0, 5.0),
            service("payment", 1, 0, 5.0),
            service("stock", 1, 0, 5.0),
            service_with("shipping", json!({"pattern": ["error"]}))
        ]),
        json!([
            call("order", "client", "orch", json!({"timeout_ms": 5000})),
            call("pay", "orch", "payment", json!({})),
            call("reserve", "orch", "stock", json!({})),
            call("ship", "orch", "shipping", json!({})),
            call("refund", "orch", "payment", json!({"compensates": "pay"})),
            call(
                "release",
                "orch",
                "stock",
                json!({"compensates": "reserve"})
            )
        ]),
    );
    sim.set_recording(true);
    advance(&mut sim, 0.0, 2000.0);
    let edges: Vec<String> = sim
        .drain_events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::CallSent { edge, .. } => Some(sim.topology().edge_ids[edge.index()].clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        edges,
        ["order", "pay", "reserve", "ship", "release", "refund"]
    );
    let r = report(&sim);
    assert_eq!(r["calls"]["order"]["error"], 1);
    assert_eq!(r["services"]["payment"]["served"], 2);
    ledger_holds(&r);
    // When the first step fails there is nothing to undo.
    let text = json!({"version": 2, "nodes": [service("a", 1, 0, 1.0), service("b", 1, 0, 1.0)],
        "edges": [call("x", "a", "b", json!({"compensates": "nope"}))]})
    .to_string();
    let err = load_scenario(&text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("edges[0].call.compensates"), "{err}");
}

#[test]
fn bad_call_and_service_settings_are_refused_by_field() {
    let bad = |nodes: Value, edges: Value| {
        let text = json!({"version": 2, "nodes": nodes, "edges": edges}).to_string();
        load_scenario(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let err = bad(
        json!([burst("p", 0.0, 1), service("a", 0, 0, 1.0)]),
        json!([call("c", "p", "a", json!({"timeout_ms": 0, "jitter": 2}))]),
    );
    assert!(err.contains("nodes[1].service.workers"), "{err}");
    assert!(err.contains("edges[0].call.timeout_ms"), "{err}");
    assert!(err.contains("edges[0].call.jitter"), "{err}");
    let err = bad(
        json!([burst("p", 0.0, 1), service("a", 1, 0, 1.0)]),
        json!([call(
            "c",
            "p",
            "a",
            json!({"circuit_breaker": {"failure_threshold": 0}})
        )]),
    );
    assert!(
        err.contains("call.circuit_breaker.failure_threshold"),
        "{err}"
    );
    let err = bad(
        json!([
            burst("p", 0.0, 1),
            service("a", 1, 0, 1.0),
            service("b", 1, 0, 1.0)
        ]),
        json!([
            call("c", "p", "a", json!({})),
            call("d", "p", "b", json!({}))
        ]),
    );
    assert!(err.contains("already has a place it sends to"), "{err}");
    let err = bad(
        json!([burst("p", 0.0, 1), service("a", 1, 0, 1.0)]),
        json!([{"id": "c", "from": "a", "to": "p", "kind": "call"}]),
    );
    assert!(err.contains("nothing can send to a producer"), "{err}");
    let err = bad(
        json!([burst("p", 0.0, 1), {"id": "w", "kind": "consumer", "name": "w"}]),
        json!([{"id": "c", "from": "p", "to": "w", "kind": "push", "call": {}}]),
    );
    assert!(
        err.contains("only a call edge has a `call` section"),
        "{err}"
    );
    // A version 1 file cannot hold a service.
    let text = json!({"version": 1, "nodes": [service("a", 1, 0, 1.0)], "edges": []}).to_string();
    let err = load_scenario(&text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("\"version\": 2"), "{err}");
}

/// A random diagram mixing calls and brokers: a client calling an entry service that
/// calls one or two others (one of which may read a queue), failures, crashes and
/// outages, breakers and retries.
fn rpc_world() -> impl Strategy<Value = String> {
    (
        0u64..1000,
        1u32..4,
        0u32..4,
        10.0f64..400.0,
        0.0f64..0.3,
        prop::bool::ANY,
        0u32..3,
        50.0f64..800.0,
    )
        .prop_map(|(seed, workers, backlog, work, fail, breaker, retries, timeout)| {
            let svc = |id: &str, i: usize| {
                json!({"id": id, "kind": "service", "name": id, "service": {
                    "workers": workers, "backlog": backlog,
                    "processing": {"dist": "exponential", "mean_ms": work},
                    "failure": fail, "crash": fail / 4.0, "restart_ms": 300,
                    "outages": [{"start_ms": 900.0 * i as f64, "end_ms": 900.0 * i as f64 + 600.0}]}})
            };
            let mut spec = json!({"timeout_ms": timeout, "retries": retries, "backoff_ms": 50});
            if breaker {
                spec["circuit_breaker"] = json!({"failure_threshold": 2, "window_ms": 1000, "open_ms": 300, "half_open_probes": 2});
            }
            let nodes = vec![
                json!({"id": "client", "kind": "producer", "name": "client", "producer": {"rate_per_sec": 15}}),
                json!({"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 5, "routing_key": "jobs"}}),
                json!({"id": "x", "kind": "exchange", "name": "", "exchange": {"type": "direct"}}),
                json!({"id": "q", "kind": "queue", "name": "jobs"}),
                svc("a", 0),
                svc("b", 1),
                svc("c", 2),
            ];
            let edges = vec![
                json!({"id": "e1", "from": "p", "to": "x", "kind": "publish"}),
                json!({"id": "e2", "from": "q", "to": "c", "kind": "subscription"}),
                json!({"id": "ca", "from": "client", "to": "a", "kind": "call", "call": spec.clone()}),
                json!({"id": "ab", "from": "a", "to": "b", "kind": "call", "call": spec.clone()}),
                json!({"id": "bc", "from": "b", "to": "c", "kind": "call", "call": spec}),
            ];
            json!({"version": 2, "seed": seed, "latency_ms": 15, "nodes": nodes, "edges": edges}).to_string()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
    #[test]
    fn random_call_diagrams_conserve_resolve_once_and_replay_identically(text in rpc_world()) {
        let s = load_scenario(&text).unwrap();
        let mut a = Simulation::new(&s).unwrap();
        a.set_recording(true);
        let mut t = 0.0;
        while t < 5000.0 {
            t += 100.0;
            a.run_until(SimTime::from_ms(t));
            let c = a.check_conservation();
            prop_assert!(c.held, "at {} ms: {:?}", t, c.problems);
        }
        let mut b = Simulation::new(&s).unwrap();
        b.set_recording(true);
        b.run_until(SimTime::from_ms(5000.0));
        prop_assert_eq!(a.drain_events(), b.drain_events());
        prop_assert_eq!(a.report(), b.report());
    }
}
