//! Internal exchanges (rabbitmq.com/docs/exchanges, "internal": "an internal exchange
//! cannot be directly published to by clients"; rabbit_channel's
//! check_internal_exchange refuses a basic.publish to one with ACCESS_REFUSED). Other
//! exchanges reach it through exchange-to-exchange bindings, and the broker may use it
//! as an alternate or dead-letter exchange.

use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::model::ids::NodeId;
use queue_playground::core::scenario::{load_scenario, script::PublishProperties, Scenario};
use queue_playground::core::{Command, Simulation};
use serde_json::{json, Value};

/// `front` (direct) → binding → `inner` (internal, fanout) → `q`; `p` publishes to
/// `front`.
fn diagram() -> Value {
    json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [
            {"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 10, "count": 3, "routing_key": "k"}},
            {"id": "front", "kind": "exchange", "name": "front", "exchange": {"type": "direct"}},
            {"id": "inner", "kind": "exchange", "name": "inner", "exchange": {"type": "fanout", "internal": true}},
            {"id": "q", "kind": "queue", "name": "q"}
        ],
        "edges": [
            {"id": "e1", "from": "p", "to": "front", "kind": "publish"},
            {"id": "e2", "from": "front", "to": "inner", "kind": "binding", "routing_key": "k"},
            {"id": "e3", "from": "inner", "to": "q", "kind": "binding"}
        ]
    })
}

fn load(v: &Value) -> Result<Scenario, String> {
    load_scenario(&v.to_string()).map_err(|e| e.to_string())
}

#[test]
fn an_internal_exchange_routes_what_other_exchanges_send_it() {
    let s = load(&diagram()).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(2000.0));
    let r = serde_json::to_value(sim.report()).unwrap();
    assert_eq!(r["queues"]["q"]["ready"], 3, "{}", r["queues"]);
}

#[test]
fn a_producer_or_script_publishing_to_an_internal_exchange_is_refused_when_read() {
    let mut v = diagram();
    v["edges"][0]["to"] = json!("inner");
    let err = load(&v).unwrap_err();
    assert!(
        err.contains("edges[0].to") && err.contains("exchange `inner` is internal"),
        "{err}"
    );
    let mut v = diagram();
    v["script"] = json!([{"op": "publish", "at_ms": 0, "exchange": "inner", "routing_key": "", "payload": "x"}]);
    let err = load(&v).unwrap_err();
    assert!(
        err.contains("script[0].exchange") && err.contains("internal"),
        "{err}"
    );
    // A consumer forwarding to it is a client too.
    let mut v = diagram();
    v["nodes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "c", "kind": "consumer", "name": "c"}));
    v["edges"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "e4", "from": "q", "to": "c", "kind": "subscription"}));
    v["edges"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "e5", "from": "c", "to": "inner", "kind": "forward"}));
    let err = load(&v).unwrap_err();
    assert!(err.contains("edges[4].to"), "{err}");
}

#[test]
fn an_internal_exchange_may_be_an_alternate_or_dead_letter_exchange() {
    let mut v = diagram();
    // Unroutable at `front` (key "other") goes to its alternate exchange, `inner`.
    v["nodes"][0]["producer"]["routing_key"] = json!("other");
    v["edges"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "ae", "from": "front", "to": "inner", "kind": "alternate-exchange"}));
    let s = load(&v).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(2000.0));
    let r = serde_json::to_value(sim.report()).unwrap();
    assert_eq!(r["queues"]["q"]["ready"], 3, "{}", r["queues"]);
}

#[test]
fn publishing_by_hand_to_an_internal_exchange_is_refused() {
    let s = load(&diagram()).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    let publish = |x: u32| Command::PublishTo {
        exchange: NodeId(x),
        routing_key: "k".into(),
        payload: "by hand".into(),
        properties: PublishProperties::default(),
    };
    let err = sim.apply(publish(2)).unwrap_err();
    assert!(err.contains("internal"), "{err}");
    sim.apply(publish(1)).unwrap();
}

#[test]
fn internal_is_a_version_2_field_and_written_only_when_set() {
    let v1 = json!({"version": 1, "nodes": [
        {"id": "x", "kind": "exchange", "name": "x", "exchange": {"type": "fanout", "internal": true}}
    ], "edges": []});
    let err = load(&v1).unwrap_err();
    assert!(
        err.contains("nodes[0].exchange.internal") && err.contains("version"),
        "{err}"
    );
    let s = load(&diagram()).unwrap();
    assert_eq!(s.lowest_version(), 2);
    let text = serde_json::to_string(&s).unwrap();
    assert_eq!(text.matches("\"internal\":true").count(), 1, "{text}");
    let mut plain = diagram();
    plain["nodes"][2]["exchange"] = json!({"type": "fanout"});
    plain["version"] = json!(1);
    let s = load(&plain).unwrap();
    assert_eq!(s.lowest_version(), 1);
    assert!(!serde_json::to_string(&s).unwrap().contains("internal"));
}

#[test]
fn the_default_and_built_in_exchanges_are_not_internal() {
    for name in ["", "amq.topic"] {
        let mut v = diagram();
        v["nodes"][2]["name"] = json!(name);
        v["nodes"][2]["exchange"] =
            json!({"type": if name.is_empty() { "direct" } else { "topic" }, "internal": true});
        let err = load(&v).unwrap_err();
        assert!(
            err.contains("nodes[2].exchange.internal"),
            "{name:?}: {err}"
        );
    }
}
