//! Core throughput benchmark: message hops per second through a 4-node and a 50-node
//! topology, and the headless run of tests/scenarios/throughput-1m.json.
//! Prints figures; asserts nothing about time. Run: `bash scripts/bench-core.sh`.

use queue_playground::core::scenario::{
    load_scenario, Burst, ConsumerSpec, Edge, EdgeKind, ExchangeSpec, ExchangeType, Node, NodeKind,
    Processing, ProducerSpec, Scenario, Template,
};
use queue_playground::core::time::SimTime;
use queue_playground::core::Simulation;
use std::time::Instant;

fn producer(id: &str, count: u64, key: &str) -> Node {
    let mut n = Node::new(id, NodeKind::Producer, id);
    n.producer = Some(ProducerSpec {
        rate_per_sec: 0.0,
        bursts: vec![Burst {
            at_ms: 0.0,
            count,
            spread_ms: 10_000.0,
        }],
        routing_key: Template::new(key),
        message_id: Template::new("m"),
        payload: Template::new("payload"),
        ..ProducerSpec::default()
    });
    n
}

fn consumer(id: &str) -> Node {
    let mut n = Node::new(id, NodeKind::Consumer, id);
    n.consumer = Some(ConsumerSpec {
        prefetch: 0,
        processing: Processing::Fixed { ms: 0.001 },
        ..ConsumerSpec::default()
    });
    n
}

fn exchange(id: &str, kind: ExchangeType) -> Node {
    let mut n = Node::new(id, NodeKind::Exchange, id);
    n.exchange = Some(ExchangeSpec { kind });
    n
}

fn edge(i: &mut usize, from: &str, to: &str, kind: EdgeKind, key: Option<&str>) -> Edge {
    *i += 1;
    let mut e = Edge::new(format!("e{i}"), from, to, kind);
    e.routing_key = key.map(str::to_string);
    e
}

/// producer → direct exchange → queue → consumer.
fn four_nodes(messages: u64) -> Scenario {
    let mut s = Scenario::empty();
    s.latency_ms = 0.01;
    s.nodes = vec![
        producer("p", messages, "work"),
        exchange("x", ExchangeType::Direct),
        Node::new("q", NodeKind::Queue, "q"),
        consumer("c"),
    ];
    let mut i = 0;
    s.edges = vec![
        edge(&mut i, "p", "x", EdgeKind::Publish, None),
        edge(&mut i, "x", "q", EdgeKind::Binding, Some("work")),
        edge(&mut i, "q", "c", EdgeKind::Subscription, None),
    ];
    s
}

/// 5 producers → 5 topic exchanges → (exchange-to-exchange) 1 fanout hub + 19 queues →
/// 20 consumers: 50 nodes.
fn fifty_nodes(messages_per_producer: u64) -> Scenario {
    let mut s = Scenario::empty();
    s.latency_ms = 0.01;
    let mut i = 0;
    for p in 0..5 {
        s.nodes.push(producer(
            &format!("p{p}"),
            messages_per_producer,
            &format!("region{p}.{{cycle:order|invoice|refund}}.created"),
        ));
        s.nodes
            .push(exchange(&format!("x{p}"), ExchangeType::Topic));
        s.edges.push(edge(
            &mut i,
            &format!("p{p}"),
            &format!("x{p}"),
            EdgeKind::Publish,
            None,
        ));
    }
    s.nodes.push(exchange("hub", ExchangeType::Fanout));
    for q in 0..19 {
        let qid = format!("q{q}");
        s.nodes
            .push(Node::new(qid.clone(), NodeKind::Queue, qid.clone()));
        s.nodes.push(consumer(&format!("c{q}")));
        s.edges.push(edge(
            &mut i,
            &qid,
            &format!("c{q}"),
            EdgeKind::Subscription,
            None,
        ));
        let x = format!("x{}", q % 5);
        let key = match q % 3 {
            0 => "*.order.*".to_string(),
            1 => "#.invoice.#".to_string(),
            _ => format!("region{}.#", q % 5),
        };
        s.edges
            .push(edge(&mut i, &x, &qid, EdgeKind::Binding, Some(&key)));
    }
    for p in 0..5 {
        s.edges.push(edge(
            &mut i,
            &format!("x{p}"),
            "hub",
            EdgeKind::Binding,
            Some("#.refund.#"),
        ));
    }
    s.nodes.push(consumer("c19"));
    s.edges
        .push(edge(&mut i, "hub", "q0", EdgeKind::Binding, None));
    s.edges
        .push(edge(&mut i, "q0", "c19", EdgeKind::Subscription, None));
    assert_eq!(s.nodes.len(), 50);
    s
}

fn measure(name: &str, scenario: &Scenario, until_ms: f64) {
    let mut sim = Simulation::new(scenario).expect("valid benchmark scenario");
    let start = Instant::now();
    sim.run_until(SimTime::from_ms(until_ms));
    let secs = start.elapsed().as_secs_f64();
    let t = sim.totals();
    let held = sim.check_conservation().held;
    println!(
        "{name:<34} {:>10} msgs {:>11} hops {:>8.3} s {:>8.2} M hops/s {:>8.2} M events/s  acked {}  conservation {}",
        t.published,
        t.hops,
        secs,
        t.hops as f64 / secs / 1e6,
        sim.steps() as f64 / secs / 1e6,
        t.acked,
        if held { "held" } else { "BROKEN" }
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n = if quick { 100_000 } else { 1_000_000 };
    println!(
        "core throughput (native, {} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "optimised"
        }
    );
    measure("4-node p→x→q→c", &four_nodes(n), 20_000.0);
    measure(
        "50-node topic + e2e + fanout",
        &fifty_nodes(n / 5),
        20_000.0,
    );
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/throughput-1m.json"
    );
    let text = std::fs::read_to_string(path).expect("throughput-1m.json");
    let s = load_scenario(&text).expect("valid throughput-1m.json");
    measure(
        "tests/scenarios/throughput-1m.json",
        &s,
        s.duration_ms.unwrap_or(60_000.0),
    );
}
