//! ZeroMQ (design §3): conformance cases from libzmq's `zmq_socket` and
//! `zmq_setsockopt` pages and the zguide — PUSH round-robin over connected peers,
//! blocking at the high-water mark, PUB fan-out with prefix subscriptions and drops,
//! fair-queued input, peers lost with their pipes, slow joiners, the distributor's two
//! modes — with conservation (and every pipe's high-water mark) checked throughout,
//! and a property test over random ZeroMQ diagrams.

use proptest::prelude::*;
use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::scenario::load_scenario;
use queue_playground::core::Simulation;
use serde_json::{json, Value};

fn run(nodes: Value, edges: Value, ms: f64) -> Simulation {
    let text = json!({"version": 2, "seed": 1, "latency_ms": 10, "nodes": nodes, "edges": edges})
        .to_string();
    let s = load_scenario(&text).unwrap_or_else(|e| panic!("loads: {e}"));
    let mut sim = Simulation::new(&s).unwrap();
    sim.keep_processed_payloads(true);
    let mut t = 0.0;
    while t < ms {
        t = (t + 25.0).min(ms);
        sim.run_until(SimTime::from_ms(t));
        let c = sim.check_conservation();
        assert!(c.held, "conservation at {t} ms: {:?}", c.problems);
    }
    sim
}

fn producer(id: &str, rate: f64, count: u64, payload: &str) -> Value {
    json!({"id": id, "kind": "producer", "name": id,
           "producer": {"rate_per_sec": rate, "count": count, "payload": payload}})
}
fn worker(id: &str, ms: f64) -> Value {
    json!({"id": id, "kind": "consumer", "name": id, "consumer": {"processing": {"dist": "fixed", "ms": ms}}})
}
fn worker_down(id: &str, ms: f64, from: f64, to: f64) -> Value {
    json!({"id": id, "kind": "consumer", "name": id, "consumer": {"processing": {"dist": "fixed", "ms": ms},
           "outages": [{"start_ms": from, "end_ms": to}]}})
}
fn push(id: &str, from: &str, to: &str, hwm: u32) -> Value {
    json!({"id": id, "from": from, "to": to, "kind": "push", "push": {"hwm": hwm}})
}
fn sub(id: &str, from: &str, to: &str, prefix: &str, hwm: u32) -> Value {
    json!({"id": id, "from": from, "to": to, "kind": "pub", "pub": {"prefix": prefix, "hwm": hwm}})
}

fn processed(sim: &Simulation, name: &str) -> Vec<String> {
    sim.contents().workers[name].clone()
}

fn report(sim: &Simulation) -> Value {
    serde_json::to_value(sim.report()).unwrap()
}

#[test]
fn push_round_robins_over_connected_peers() {
    // zmq_socket, ZMQ_PUSH: "Messages are round-robined to all connected downstream
    // nodes."
    let sim = run(
        json!([
            producer("p", 10.0, 9, "m{n}"),
            worker("a", 1.0),
            worker("b", 1.0),
            worker("c", 1.0)
        ]),
        json!([
            push("e1", "p", "a", 1000),
            push("e2", "p", "b", 1000),
            push("e3", "p", "c", 1000)
        ]),
        2000.0,
    );
    assert_eq!(processed(&sim, "a"), ["m1", "m4", "m7"]);
    assert_eq!(processed(&sim, "b"), ["m2", "m5", "m8"]);
    assert_eq!(processed(&sim, "c"), ["m3", "m6", "m9"]);
}

#[test]
fn push_skips_a_full_pipe_and_blocks_when_all_are_full() {
    // ZMQ_PUSH: in the mute state (high-water mark reached for all downstream nodes)
    // a send blocks; "messages are not discarded".
    let sim = run(
        json!([
            producer("p", 100.0, 50, "m{n}"),
            worker("a", 100.0),
            worker("b", 100.0)
        ]),
        json!([push("e1", "p", "a", 2), push("e2", "p", "b", 2)]),
        1000.0,
    );
    let r = report(&sim);
    // Each worker takes about ten in a second: the producer was held to that pace.
    let published = r["producers"]["p"]["published"].as_u64().unwrap();
    assert!(published < 30, "published {published}");
    assert!(r["pipes"]["e1"]["blocked_ms"].as_f64().unwrap() > 500.0);
    assert_eq!(r["totals"]["dropped"], 0);
    assert!(r["pipes"]["e1"]["queued"].as_u64().unwrap() <= 2);
    // Given time, every message is delivered.
    let mut sim = sim;
    sim.run_until(SimTime::from_ms(5000.0));
    let r = report(&sim);
    assert_eq!(
        r["consumers"]["a"]["processed"].as_u64().unwrap()
            + r["consumers"]["b"]["processed"].as_u64().unwrap(),
        50
    );
    assert!(sim.check_conservation().held);
}

#[test]
fn push_with_no_connected_peer_blocks_until_one_connects() {
    // ZMQ_PUSH: "... or if there are no downstream nodes at all, then any send
    // operations on the socket shall block".
    let sim = run(
        json!([
            producer("p", 10.0, 5, "m{n}"),
            worker_down("a", 1.0, 0.0, 1000.0)
        ]),
        json!([push("e1", "p", "a", 1000)]),
        2000.0,
    );
    // Nothing lost: all five arrive after it connects, in order.
    assert_eq!(processed(&sim, "a"), ["m1", "m2", "m3", "m4", "m5"]);
    assert!(report(&sim)["pipes"]["e1"]["blocked_ms"].as_f64().unwrap() >= 900.0);
}

#[test]
fn pub_fans_out_by_prefix_drops_when_full_and_misses_while_disconnected() {
    // ZMQ_PUB: fan out to all connected peers; at the high-water mark for a
    // subscriber, messages to it "shall instead be dropped"; the send never blocks.
    // ZMQ_SUBSCRIBE: a prefix match on the message (here its payload); empty: all.
    let sim = run(
        json!([
            producer("p", 20.0, 20, "{cycle:weather|sport} {n}"),
            worker("w", 1.0),
            worker("all", 1.0),
            worker("slow", 1000.0),
            worker_down("late", 1.0, 0.0, 500.0)
        ]),
        json!([
            sub("e1", "p", "w", "weather", 1000),
            sub("e2", "p", "all", "", 1000),
            sub("e3", "p", "slow", "", 2),
            sub("e4", "p", "late", "sport", 1000)
        ]),
        1200.0,
    );
    let w = processed(&sim, "w");
    assert_eq!(w.len(), 10);
    assert!(w.iter().all(|p| p.starts_with("weather")));
    assert_eq!(processed(&sim, "all").len(), 20);
    let r = report(&sim);
    assert!(r["pipes"]["e3"]["dropped"]["hwm"].as_u64().unwrap() >= 15);
    assert_eq!(r["producers"]["p"]["published"], 20);
    // The late joiner missed the sport updates sent before it connected.
    let late = processed(&sim, "late");
    assert!(late.len() < 10 && !late.is_empty(), "{late:?}");
    assert!(r["pipes"]["e4"]["missed"].as_u64().unwrap() > 0);
}

#[test]
fn input_is_fair_queued_across_pipes() {
    // ZMQ_PULL: "Messages are fair-queued from among all connected upstream nodes."
    let sim = run(
        json!([
            json!({"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 4}], "payload": "p{n}"}}),
            json!({"id": "q", "kind": "producer", "name": "q", "producer": {"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 4}], "payload": "q{n}"}}),
            worker("w", 50.0)
        ]),
        json!([push("e1", "p", "w", 1000), push("e2", "q", "w", 1000)]),
        1000.0,
    );
    // The first message reaches it alone; after that it alternates between the pipes.
    assert_eq!(
        processed(&sim, "w"),
        ["p1", "q1", "p2", "q2", "p3", "q3", "p4", "q4"]
    );
}

#[test]
fn a_peer_that_goes_away_takes_its_pipe_with_it() {
    let sim = run(
        json!([
            producer("p", 50.0, 40, "m{n}"),
            worker_down("a", 200.0, 300.0, 2000.0),
            worker("b", 1.0)
        ]),
        json!([push("e1", "p", "a", 1000), push("e2", "p", "b", 1000)]),
        3000.0,
    );
    let r = report(&sim);
    let lost = r["pipes"]["e1"]["dropped"]["peer_lost"].as_u64().unwrap();
    assert!(lost > 0);
    assert_eq!(
        r["totals"]["dropped_by_reason"]["peer_lost"]
            .as_u64()
            .unwrap(),
        lost + 1,
        "its pipe and the message in its hands"
    );
    let done = processed(&sim, "a").len() + processed(&sim, "b").len();
    assert_eq!(done as u64 + lost + 1, 40);
}

#[test]
fn the_distributor_round_robin_is_blind_lru_waits_for_ready() {
    // zguide chapter 3: a blind PUSH device deals in turn; the load-balancing broker
    // sends only to a worker that said it is ready.
    let device = |mode: &str| json!({"id": "d", "kind": "zmq-device", "name": "d", "zmq_device": {"mode": mode}});
    let nodes = |mode: &str| {
        json!([
            producer("p", 20.0, 40, "m{n}"),
            device(mode),
            worker("fast", 10.0),
            worker("slow", 500.0)
        ])
    };
    let edges = json!([
        push("e0", "p", "d", 1000),
        push("e1", "d", "fast", 1000),
        push("e2", "d", "slow", 1000)
    ]);
    let rr = run(nodes("round-robin"), edges.clone(), 2100.0);
    let r = report(&rr);
    assert_eq!(r["pipes"]["e1"]["sent"], 20);
    assert_eq!(r["pipes"]["e2"]["sent"], 20);
    let lru = run(nodes("least-recently-used"), edges, 3000.0);
    let r = report(&lru);
    assert!(
        r["pipes"]["e2"]["sent"].as_u64().unwrap() <= 5,
        "{}",
        r["pipes"]
    );
    assert!(r["pipes"]["e2"]["queued"].as_u64().unwrap() <= 1);
    assert_eq!(
        processed(&lru, "fast").len() + processed(&lru, "slow").len(),
        40
    );
}

#[test]
fn a_forwarding_worker_blocks_on_its_full_socket() {
    let sim = run(
        json!([
            producer("p", 50.0, 30, "m{n}"),
            worker("relay", 1.0),
            worker("sink", 200.0)
        ]),
        json!([
            push("e1", "p", "relay", 1000),
            push("e2", "relay", "sink", 1)
        ]),
        1000.0,
    );
    let r = report(&sim);
    // The relay holds one message it cannot pass on and takes nothing more: its own
    // input pipe fills instead.
    assert!(r["pipes"]["e2"]["blocked_ms"].as_f64().unwrap() > 300.0);
    assert!(r["pipes"]["e1"]["queued"].as_u64().unwrap() > 5);
    assert_eq!(r["totals"]["dropped"], 0);
}

#[test]
fn zeromq_diagrams_are_checked_by_field() {
    let bad = |nodes: Value, edges: Value| {
        load_scenario(&json!({"version": 2, "nodes": nodes, "edges": edges}).to_string())
            .unwrap_err()
            .to_string()
    };
    let err = bad(
        json!([producer("p", 1.0, 1, "x"), worker("a", 1.0)]),
        json!([push("e", "p", "a", 0)]),
    );
    assert!(
        err.contains("edges[0].push.hwm: must be between 1 and 1,000,000"),
        "{err}"
    );
    let err = bad(
        json!([
            producer("p", 1.0, 1, "x"),
            worker("a", 1.0),
            worker("b", 1.0)
        ]),
        json!([push("e1", "p", "a", 10), sub("e2", "p", "b", "", 10)]),
    );
    assert!(
        err.contains("edges[1].kind") && err.contains("PUSH or PUB"),
        "{err}"
    );
    let err = bad(
        json!([producer("p", 1.0, 1, "x"), worker("a", 1.0), {"id": "x", "kind": "exchange", "name": "x"}]),
        json!([push("e1", "p", "a", 10), {"id": "e2", "from": "p", "to": "x", "kind": "publish"}]),
    );
    assert!(err.contains("one target"), "{err}");
    let err = bad(
        json!([{"id": "d", "kind": "zmq-device", "name": "d", "zmq_device": {"mode": "least-recently-used"}},
               {"id": "d2", "kind": "zmq-device", "name": "d2"}]),
        json!([push("e1", "d", "d2", 10)]),
    );
    assert!(
        err.contains("least-recently-used device hands work to workers"),
        "{err}"
    );
    let err = bad(
        json!([producer("p", 1.0, 1, "x"), worker("a", 1.0), {"id": "q", "kind": "queue", "name": "q"}]),
        json!([push("e1", "p", "a", 10), {"id": "e2", "from": "q", "to": "a", "kind": "subscription"}]),
    );
    assert!(err.contains("reads ZeroMQ pipes"), "{err}");
}

/// A random ZeroMQ diagram: two producers (PUSH or PUB), a device, workers with
/// outages and failures, some forwarding to a sink.
fn zmq_world() -> impl Strategy<Value = String> {
    (
        0u64..1000,
        prop::bool::ANY,
        prop::sample::select(vec!["round-robin", "least-recently-used"]),
        1u32..20,
        2usize..5,
        10.0f64..400.0,
        0.0f64..0.3,
        prop::bool::ANY,
    )
        .prop_map(|(seed, publish, mode, hwm, workers, work, fail, relay)| {
            let mut nodes = vec![
                json!({"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 20, "payload": "{cycle:a|b} {n}"}}),
                json!({"id": "q", "kind": "producer", "name": "q", "producer": {"rate_per_sec": 0, "bursts": [{"at_ms": 500, "count": 30}]}}),
                json!({"id": "d", "kind": "zmq-device", "name": "d", "zmq_device": {"mode": mode}}),
                json!({"id": "sink", "kind": "consumer", "name": "sink", "consumer": {"processing": {"dist": "fixed", "ms": 30}}}),
            ];
            let mut edges = vec![json!({"id": "q0", "from": "q", "to": "d", "kind": "push", "push": {"hwm": hwm}})];
            for i in 0..workers {
                let id = format!("w{i}");
                nodes.push(json!({"id": id, "kind": "consumer", "name": id, "consumer": {
                    "processing": {"dist": "exponential", "mean_ms": work},
                    "outcomes": {"reject": fail, "crash": fail / 3.0}, "restart_ms": 300,
                    "outages": [{"start_ms": 1000.0 * i as f64, "end_ms": 1000.0 * i as f64 + 700.0}]}}));
                if publish {
                    edges.push(json!({"id": format!("p{i}"), "from": "p", "to": id, "kind": "pub", "pub": {"hwm": hwm, "prefix": if i % 2 == 0 { "a" } else { "" }}}));
                } else {
                    edges.push(json!({"id": format!("p{i}"), "from": "p", "to": id, "kind": "push", "push": {"hwm": hwm}}));
                }
                edges.push(json!({"id": format!("d{i}"), "from": "d", "to": id, "kind": "push", "push": {"hwm": hwm}}));
                if relay {
                    edges.push(json!({"id": format!("s{i}"), "from": id, "to": "sink", "kind": "push", "push": {"hwm": hwm}}));
                }
            }
            json!({"version": 2, "seed": seed, "latency_ms": 20, "nodes": nodes, "edges": edges}).to_string()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_zmq_diagrams_conserve_and_replay_identically(text in zmq_world()) {
        let s = load_scenario(&text).unwrap();
        let mut a = Simulation::new(&s).unwrap();
        a.set_recording(true);
        let mut t = 0.0;
        while t < 6000.0 {
            t += 100.0;
            a.run_until(SimTime::from_ms(t));
            let c = a.check_conservation();
            prop_assert!(c.held, "at {} ms: {:?}", t, c.problems);
        }
        let mut b = Simulation::new(&s).unwrap();
        b.set_recording(true);
        b.run_until(SimTime::from_ms(6000.0));
        prop_assert_eq!(a.drain_events(), b.drain_events());
    }
}

/// A wiring refusal names the node as the user sees it (its name), not by its id.
#[test]
fn refusals_name_the_node_by_its_name() {
    use queue_playground::core::scenario::{validate, EdgeKind};
    let mut s = queue_playground::gallery::pattern("zeromq-pipeline").unwrap();
    let e = s.edges.iter_mut().find(|e| e.id == "p2").unwrap();
    e.kind = EdgeKind::Pub;
    let problems = validate(&s);
    let p = problems
        .iter()
        .find(|p| p.message.contains("already pushes"))
        .expect("push and pub from one node are refused");
    assert!(
        p.message.starts_with("`ventilator` already pushes"),
        "{}",
        p.message
    );
}

/// A subscriber that is not connected misses only what its prefix would have passed
/// (ZMQ_SUBSCRIBE filters at the publisher's pipe: a message without the prefix is
/// never that subscriber's, connected or not). The review's case counted every
/// message published while it was away.
#[test]
fn missed_counts_only_what_the_prefix_would_pass() {
    let sim = run(
        json!([
            producer("pub", 10.0, 20, "{cycle:weather|sport} {n}"),
            worker_down("s", 10.0, 0.0, 1000.0)
        ]),
        json!([sub("e1", "pub", "s", "sport", 1000)]),
        3000.0,
    );
    let pipe = &report(&sim)["pipes"]["e1"];
    assert_eq!(pipe["missed"], 5, "{pipe}");
    assert_eq!(pipe["sent"], 5, "{pipe}");
}
