//! The service patterns of the gallery each show what their texts say: the numbers of
//! `qp simulate` at the moments the texts point to (and what their "try this" change
//! does).

use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::model::events::EventKind;
use queue_playground::core::scenario::{NodeSpec, Scenario};
use queue_playground::core::Simulation;
use queue_playground::gallery::find;
use serde_json::Value;

fn scenario(id: &str) -> Scenario {
    find(id)
        .unwrap_or_else(|| panic!("no pattern {id}"))
        .scenario()
}

/// Runs `s` to `ms` with conservation checked every half second; returns the report.
fn run_to(sim: &mut Simulation, ms: f64) -> Value {
    let mut t = sim.now().as_ms();
    while t < ms {
        t = (t + 500.0).min(ms);
        sim.run_until(SimTime::from_ms(t));
        let c = sim.check_conservation();
        assert!(c.held, "conservation at {t} ms: {:?}", c.problems);
    }
    serde_json::to_value(sim.report()).unwrap()
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn service_mut<'a>(
    s: &'a mut Scenario,
    id: &str,
) -> &'a mut queue_playground::core::scenario::ServiceSpec {
    let node = s.nodes.iter_mut().find(|n| n.id == id).unwrap();
    match &mut node.spec {
        NodeSpec::Service(v) => v,
        _ => panic!("{id} is not a service"),
    }
}

#[test]
fn sync_vs_async_fails_calls_while_inventory_is_down_and_the_queue_loses_nothing() {
    let mut sim = Simulation::new(&scenario("sync-vs-async")).unwrap();
    let before = run_to(&mut sim, 9_500.0);
    assert_eq!(n(&before["calls"]["c1"]["calls_failed"]), 0);
    let down = run_to(&mut sim, 24_000.0);
    // Above: inventory refuses, the retries multiply the calls, orders fail.
    assert!(
        n(&down["calls"]["c2"]["error"]) > 50,
        "{}",
        down["calls"]["c2"]
    );
    assert!(n(&down["calls"]["c2"]["retries"]) > 30);
    assert!(
        n(&down["calls"]["c1"]["calls_failed"]) > 20,
        "{}",
        down["calls"]["c1"]
    );
    // Below: cart answers every order; the queue holds them.
    assert_eq!(n(&down["calls"]["c3"]["calls_failed"]), 0);
    assert!(
        n(&down["sqs"]["orders"]["visible"]) > 30,
        "{}",
        down["sqs"]["orders"]
    );
    let end = run_to(&mut sim, 60_000.0);
    assert_eq!(n(&end["calls"]["c3"]["calls_failed"]), 0);
    // Inventory caught up: everything sent was done (a few are on their way).
    let sent = n(&end["sqs"]["orders"]["sent"]);
    let done = n(&end["services"]["inv2"]["processed"]);
    assert!(sent - done <= 5, "sent {sent}, done {done}");
    assert!(n(&end["sqs"]["orders"]["visible"]) <= 5);
}

#[test]
fn cascading_failure_blocks_the_chain_unless_a_timeout_and_a_breaker_contain_it() {
    let mut sim = Simulation::new(&scenario("cascading-failure")).unwrap();
    let r = run_to(&mut sim, 60_000.0);
    let calls = &r["calls"];
    let services = &r["services"];
    // Unprotected: web's backlog fills and turns users away; users give up while work
    // for them goes on.
    assert!(
        n(&services["web"]["refused_full"]) > 40,
        "{}",
        services["web"]
    );
    assert!(n(&calls["a1"]["timeout"]) > 20);
    assert!(n(&calls["a1"]["late_replies"]) > 20);
    // Protected: the breaker opened and refused at once; users get quick answers.
    assert!(n(&calls["b3"]["breaker_opened"]) >= 1);
    assert!(n(&calls["b3"]["rejected_by_breaker"]) > 50);
    assert!(n(&services["web2"]["refused_full"]) * 4 < n(&services["web"]["refused_full"]));
    assert_eq!(n(&calls["b1"]["timeout"]), 0);
    assert!(calls["b1"]["p50_ms"].as_f64() < calls["a1"]["p50_ms"].as_f64());
    // Try this: six workers for the lower payments service.
    let mut s = scenario("cascading-failure");
    service_mut(&mut s, "payments2").workers = 6;
    let mut sim = Simulation::new(&s).unwrap();
    let r = run_to(&mut sim, 60_000.0);
    // (A breaker that never opened leaves the field out.)
    assert!(
        r["calls"]["b3"].get("breaker_opened").is_none(),
        "{}",
        r["calls"]["b3"]
    );
    assert!(
        n(&r["calls"]["b1"]["calls_failed"]) <= 2,
        "{}",
        r["calls"]["b1"]
    );
}

#[test]
fn saga_choreography_compensates_each_failed_stock_step() {
    let mut sim = Simulation::new(&scenario("saga-choreography")).unwrap();
    let r = run_to(&mut sim, 60_000.0);
    let processed = |id: &str| n(&r["services"][id]["processed"]);
    let failed_stock = n(&r["queues"]["stock-q"]["dead_lettered"]);
    assert!(failed_stock >= 10, "{}", r["queues"]["stock-q"]);
    // Every stock failure became a refund, and (but for those on their way) an
    // order.cancelled the order service heard.
    assert!(processed("refund") + 1 >= failed_stock && processed("refund") <= failed_stock);
    assert!(processed("cancel") + 1 >= processed("refund"));
    // The rest were shipped.
    assert!(processed("shipping") + failed_stock + 2 >= processed("payment"));
    assert_eq!(n(&r["totals"]["dropped"]), 0);
}

#[test]
fn saga_orchestration_undoes_the_steps_that_succeeded_latest_first() {
    let mut sim = Simulation::new(&scenario("saga-orchestration")).unwrap();
    sim.set_recording(true);
    let r = run_to(&mut sim, 60_000.0);
    let calls = &r["calls"];
    let failed_reserve = n(&calls["reserve"]["calls_failed"]);
    let failed_ship = n(&calls["ship"]["calls_failed"]);
    assert!(failed_reserve > 5 && failed_ship > 2);
    // A refund for every failed saga, a release for each one that failed at shipping.
    assert_eq!(n(&calls["refund"]["calls"]), failed_reserve + failed_ship);
    assert_eq!(n(&calls["release"]["calls"]), failed_ship);
    // Every failed step failed its saga (some are still compensating at the end).
    let (errors, open) = (n(&calls["order"]["error"]), n(&calls["order"]["in_flight"]));
    let failed = failed_reserve + failed_ship;
    assert!(
        errors <= failed && failed <= errors + open,
        "{}",
        calls["order"]
    );
    // The first saga that failed at shipping: its release went before its refund.
    let topo = sim.topology().clone();
    let name = |e: &queue_playground::core::model::ids::EdgeId| topo.edge_ids[e.index()].clone();
    let sent: Vec<String> = sim
        .drain_events()
        .into_iter()
        .filter_map(|e| match &e.kind {
            EventKind::CallSent { edge, .. } => Some(name(edge)),
            _ => None,
        })
        .collect();
    let first_release = sent.iter().position(|e| e == "release").expect("a release");
    assert!(
        sent[first_release..].iter().any(|e| e == "refund"),
        "a refund follows the release"
    );
}

#[test]
fn cqrs_read_model_lags_behind_a_rush_of_commands_then_catches_up() {
    let mut sim = Simulation::new(&scenario("cqrs")).unwrap();
    let rush = run_to(&mut sim, 20_000.0);
    let lag = |r: &Value| -> u64 {
        r["groups"]["read-model"]["partitions"]
            .as_object()
            .map(|p| p.values().map(|v| n(&v["lag"])).sum())
            .unwrap_or_else(|| panic!("{}", r["groups"]))
    };
    assert!(lag(&rush) > 15, "{}", rush["groups"]);
    // Queries are answered at once all along.
    assert!(rush["calls"]["q1"]["p99_ms"].as_f64().unwrap() < 700.0);
    let end = run_to(&mut sim, 60_000.0);
    // Caught up: what is left is the projector's steady pace (a poll in hand).
    assert!(lag(&end) <= 5, "{}", end["groups"]);
}

#[test]
fn api_gateway_latency_is_the_sum_of_the_calls_behind_it() {
    let mut sim = Simulation::new(&scenario("api-gateway")).unwrap();
    let r = run_to(&mut sim, 60_000.0);
    let p50 = |id: &str| r["calls"][id]["p50_ms"].as_f64().unwrap();
    assert!(
        p50("home") > p50("g1") + p50("g2") + p50("g3"),
        "{}",
        r["calls"]
    );
    assert_eq!(r["calls"]["g3"]["breaker"], "closed");
    // Try this: recommendations fails one request in two; the breaker opens.
    let mut s = scenario("api-gateway");
    service_mut(&mut s, "recs").failure = 0.5;
    let mut sim = Simulation::new(&s).unwrap();
    let r = run_to(&mut sim, 60_000.0);
    assert!(
        n(&r["calls"]["g3"]["breaker_opened"]) >= 1,
        "{}",
        r["calls"]["g3"]
    );
    assert!(n(&r["calls"]["g3"]["rejected_by_breaker"]) > 10);
}

#[test]
fn async_job_polling_answers_at_once_where_in_line_makes_users_wait() {
    let mut sim = Simulation::new(&scenario("async-job-polling")).unwrap();
    let r = run_to(&mut sim, 60_000.0);
    let calls = &r["calls"];
    assert!(
        calls["c1"]["p50_ms"].as_f64().unwrap() > 3000.0,
        "{}",
        calls["c1"]
    );
    assert!(
        calls["c3"]["p99_ms"].as_f64().unwrap() < 1000.0,
        "{}",
        calls["c3"]
    );
    assert_eq!(n(&calls["c3"]["calls_failed"]), 0);
    assert!(n(&r["services"]["worker"]["processed"]) > 40);
    assert!(n(&calls["c4"]["calls_ok"]) > 150);
}
