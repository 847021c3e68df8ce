//! Property tests: random topologies, behaviours and user commands keep the
//! conservation check true at every step, and the same input and seed give the same
//! events. Default: a few hundred cases. Long mode: `PROPTEST_CASES=10000 cargo test
//! --release --test native engine_properties`.

use proptest::prelude::*;
use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::model::ids::NodeId;
use queue_playground::core::scenario::NodeSpec;
use queue_playground::core::scenario::{
    AckMode, Burst, ConsumerSpec, Edge, EdgeKind, ExchangeSpec, ExchangeType, Node, NodeKind,
    Outage, Outcome, OutcomeOdds, Overflow, Processing, ProducerSpec, QueueSpec, QueueType,
    Scenario, Template,
};
use queue_playground::core::{Command, Simulation};
use serde_json::json;

#[derive(Clone, Debug)]
struct World {
    scenario: Scenario,
    commands: Vec<(u32, u8, usize)>, // (time ms, command kind, target index)
}

fn exchange_type() -> impl Strategy<Value = ExchangeType> {
    prop_oneof![
        Just(ExchangeType::Direct),
        Just(ExchangeType::Fanout),
        Just(ExchangeType::Topic),
        Just(ExchangeType::Headers)
    ]
}

fn key() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(""),
        Just("a"),
        Just("b"),
        Just("a.b"),
        Just("#"),
        Just("*.b"),
        Just("a.#")
    ]
}

fn queue_spec() -> impl Strategy<Value = QueueSpec> {
    (
        proptest::option::of(0u32..300),
        proptest::option::of(0u64..6),
        proptest::option::of(1u64..60),
        0u8..3,
        proptest::option::of(1u8..5),
        any::<bool>(),
        proptest::option::of(0u32..3),
    )
        .prop_map(
            |(ttl, max_len, max_bytes, overflow, prio, sac, limit)| QueueSpec {
                durable: true,
                queue_type: if limit.is_some() {
                    QueueType::Quorum
                } else {
                    QueueType::Classic
                },
                message_ttl_ms: ttl.map(f64::from),
                max_length: max_len,
                max_length_bytes: max_bytes,
                overflow: [
                    Overflow::DropHead,
                    Overflow::RejectPublish,
                    Overflow::RejectPublishDlx,
                ][overflow as usize],
                max_priority: if limit.is_some() { None } else { prio },
                single_active_consumer: sac,
                delivery_limit: limit,
            },
        )
}

fn consumer_spec() -> impl Strategy<Value = ConsumerSpec> {
    (
        0u32..4,
        any::<bool>(),
        0u32..3,
        (0u32..4, 0u32..4, 0u32..3),
        proptest::collection::vec(0u8..4, 0..4),
        proptest::option::of((0u32..2000, 0u32..2000)),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(prefetch, auto, dist, (rq, rj, cr), pattern, outage, idempotent, reply)| {
                ConsumerSpec {
                    prefetch,
                    ack: if auto { AckMode::Auto } else { AckMode::Manual },
                    processing: match dist {
                        0 => Processing::Fixed { ms: 40.0 },
                        1 => Processing::Uniform {
                            min_ms: 0.0,
                            max_ms: 120.0,
                        },
                        _ => Processing::Exponential { mean_ms: 60.0 },
                    },
                    outcomes: OutcomeOdds {
                        requeue: rq as f64 * 0.1,
                        reject: rj as f64 * 0.1,
                        crash: cr as f64 * 0.05,
                    },
                    pattern: pattern
                        .into_iter()
                        .map(|o| {
                            [
                                Outcome::Ack,
                                Outcome::Requeue,
                                Outcome::Reject,
                                Outcome::Crash,
                            ][o as usize]
                        })
                        .collect(),
                    restart_ms: 150.0,
                    outages: outage
                        .map(|(a, b)| {
                            vec![Outage {
                                start_ms: a.min(b) as f64,
                                end_ms: a.max(b) as f64,
                            }]
                        })
                        .unwrap_or_default(),
                    idempotent,
                    reply,
                }
            },
        )
}

fn world() -> impl Strategy<Value = World> {
    (
        proptest::collection::vec(exchange_type(), 1..4),
        proptest::collection::vec(queue_spec(), 1..5),
        proptest::collection::vec(consumer_spec(), 0..5),
        proptest::collection::vec(
            (
                1u32..40,
                0u32..25,
                key(),
                any::<bool>(),
                proptest::option::of(0u32..200),
            ),
            1..4,
        ),
        proptest::collection::vec((0usize..8, 0usize..8, key(), any::<bool>()), 0..10),
        proptest::collection::vec(proptest::option::of(0usize..8), 0..4),
        proptest::collection::vec(
            proptest::option::of((0usize..8, proptest::option::of(key()))),
            0..5,
        ),
        proptest::collection::vec((0u32..3000, 0u8..3, 0usize..8), 0..6),
        any::<u64>(),
    )
        .prop_map(|(xs, qs, cs, ps, binds, aes, dlxs, commands, seed)| {
            let mut s = Scenario::empty();
            s.seed = seed;
            s.latency_ms = 5.0;
            let mut edges = Vec::new();
            let mut edge = |from: String,
                            to: String,
                            kind: EdgeKind,
                            key: Option<String>,
                            args: serde_json::Value| {
                let mut e = Edge::new(format!("e{}", edges.len()), from, to, kind);
                e.routing_key = key;
                if let serde_json::Value::Object(m) = args {
                    e.arguments = m;
                }
                edges.push(e);
            };
            for (i, t) in xs.iter().enumerate() {
                let mut n = Node::new(format!("x{i}"), NodeKind::Exchange, format!("x{i}"));
                n.spec = NodeSpec::Exchange(ExchangeSpec {
                    kind: *t,
                    ..Default::default()
                });
                s.nodes.push(n);
            }
            for (i, q) in qs.iter().enumerate() {
                let mut n = Node::new(format!("q{i}"), NodeKind::Queue, format!("q{i}"));
                n.spec = NodeSpec::Queue(q.clone());
                s.nodes.push(n);
            }
            for (i, c) in cs.iter().enumerate() {
                let mut n = Node::new(format!("c{i}"), NodeKind::Consumer, format!("c{i}"));
                n.spec = NodeSpec::Consumer(c.clone());
                s.nodes.push(n);
                edge(
                    format!("q{}", i % qs.len()),
                    format!("c{i}"),
                    EdgeKind::Subscription,
                    None,
                    json!({}),
                );
            }
            for (i, (rate, count, k, headers, ttl)) in ps.iter().enumerate() {
                let mut n = Node::new(format!("p{i}"), NodeKind::Producer, format!("p{i}"));
                let mut spec = ProducerSpec {
                    rate_per_sec: *rate as f64,
                    count: Some(*count as u64),
                    routing_key: Template::new(format!("{{cycle:{k}|a|b|a.b}}")),
                    expiration_ms: ttl.map(f64::from),
                    priority: Some(Template::new("{cycle:0|3|7}")),
                    reply_to: Some(format!("q{}", i % qs.len())),
                    bursts: vec![Burst {
                        at_ms: 100.0,
                        count: 3,
                        spread_ms: 0.0,
                    }],
                    ..ProducerSpec::default()
                };
                if *headers {
                    spec.headers.insert("kind".into(), json!("{cycle:a|b}"));
                    spec.headers.insert("CC".into(), json!(["a"]));
                }
                n.spec = NodeSpec::Producer(spec);
                s.nodes.push(n);
                edge(
                    format!("p{i}"),
                    format!("x{}", i % xs.len()),
                    EdgeKind::Publish,
                    None,
                    json!({}),
                );
            }
            for (from, to, k, to_exchange) in binds {
                let from = format!("x{}", from % xs.len());
                let to = if to_exchange {
                    format!("x{}", to % xs.len())
                } else {
                    format!("q{}", to % qs.len())
                };
                edge(
                    from,
                    to,
                    EdgeKind::Binding,
                    Some(k.to_string()),
                    json!({"x-match": "any", "kind": "a"}),
                );
            }
            for (i, ae) in aes.iter().enumerate().take(xs.len()) {
                if let Some(target) = ae {
                    edge(
                        format!("x{i}"),
                        format!("x{}", target % xs.len()),
                        EdgeKind::AlternateExchange,
                        None,
                        json!({}),
                    );
                }
            }
            for (i, dlx) in dlxs.iter().enumerate().take(qs.len()) {
                if let Some((target, k)) = dlx {
                    edge(
                        format!("q{i}"),
                        format!("x{}", target % xs.len()),
                        EdgeKind::DeadLetter,
                        k.map(str::to_string),
                        json!({}),
                    );
                }
            }
            if let Some(c) = cs.first() {
                if c.reply {
                    edge(
                        "c0".into(),
                        "x0".into(),
                        EdgeKind::Forward,
                        Some("{key}.fwd".into()),
                        json!({}),
                    );
                }
            }
            s.edges = edges;
            World {
                scenario: s,
                commands,
            }
        })
}

fn node_of(sim: &Simulation, prefix: &str, i: usize) -> Option<NodeId> {
    sim.node_index(&format!("{prefix}{i}"))
}

/// Runs the world for 4 simulated seconds, checking conservation after every step;
/// returns the events.
fn run(world: &World) -> Result<Vec<queue_playground::core::model::events::Event>, String> {
    let mut sim =
        Simulation::new(&world.scenario).map_err(|e| format!("invalid generated scenario: {e}"))?;
    sim.set_recording(true);
    let mut commands = world.commands.clone();
    commands.sort_by_key(|c| c.0);
    let mut events = Vec::new();
    let mut next_command = 0;
    let end = SimTime::from_ms(4_000.0);
    loop {
        let next_event = sim.next_event_time().filter(|t| *t <= end);
        let command_due = commands
            .get(next_command)
            .map(|c| SimTime::from_ms(c.0 as f64));
        match (next_event, command_due) {
            (_, Some(t)) if next_event.is_none_or(|e| t < e) => {
                sim.run_until(t);
                let (_, kind, target) = commands[next_command];
                next_command += 1;
                let command = match kind {
                    0 => {
                        node_of(&sim, "p", target % 3).map(|producer| Command::Publish { producer })
                    }
                    1 => node_of(&sim, "c", target % 4)
                        .map(|consumer| Command::CrashConsumer { consumer }),
                    _ => {
                        node_of(&sim, "c", target % 4).map(|consumer| Command::SetConsumerOnline {
                            consumer,
                            online: target % 2 == 0,
                        })
                    }
                };
                if let Some(c) = command {
                    let _ = sim.apply(c);
                }
            }
            (Some(_), _) => {
                sim.step();
            }
            (None, _) => break,
        }
        let c = sim.check_conservation();
        if !c.held {
            return Err(format!(
                "conservation broken at {:?}: {:?}",
                sim.now(),
                c.problems
            ));
        }
        events.extend(sim.drain_events());
    }
    Ok(events)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_worlds_conserve_messages_and_replay_identically(world in world()) {
        let first = run(&world).map_err(TestCaseError::fail)?;
        let second = run(&world).map_err(TestCaseError::fail)?;
        prop_assert_eq!(first.len(), second.len());
        prop_assert!(first == second, "same scenario and seed gave different events");
    }
}

/// The census catches a corrupted ledger: a queue whose unacked count has no delivery
/// behind it (design §2: each family's census claims what it holds and checks its own
/// ledger).
#[test]
fn conservation_check_catches_a_corrupted_state() {
    let s = queue_playground::playback::digest::reference_scenario();
    let mut sim = queue_playground::core::Simulation::new(&s).unwrap();
    sim.run_until(queue_playground::core::kernel::time::SimTime::from_ms(
        2_000.0,
    ));
    assert!(sim.check_conservation().held);
    sim.corrupt_for_test();
    let report = sim.check_conservation();
    assert!(!report.held);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("unacked counter")),
        "{:?}",
        report.problems
    );
}
