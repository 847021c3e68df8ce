//! Playback: the frame clock, dots built from events, interpolation, reset and the
//! cross-platform run digest.

use queue_playground::playback::digest::{reference_scenario, run_digest};
use queue_playground::playback::Playback;

/// The digest every platform must produce (the browser test checks the same number).
/// Changed when the report gained `edges`; the events it covers did not change.
pub const REFERENCE_DIGEST: u64 = 3_402_021_629_464_211_006;

#[test]
fn digest_is_stable() {
    let d = run_digest(&reference_scenario(), 10_000.0);
    println!("reference digest: {d}");
    assert_eq!(d, run_digest(&reference_scenario(), 10_000.0));
    assert_eq!(d, REFERENCE_DIGEST, "update REFERENCE_DIGEST here and in tests/browser/playback.rs only if the engine's behaviour changed on purpose");
}

#[test]
fn playing_moves_dots_and_reset_replays() {
    let s = reference_scenario();
    let mut pb = Playback::new(&s, 99).unwrap();
    pb.frame(0.0, 1.0, true);
    let mut saw_dots = false;
    for i in 1..=240 {
        pb.frame(i as f64 * 16.0, 2.0, true);
        saw_dots |= pb.drawn_dots().count() > 0;
    }
    assert!(saw_dots, "messages appear in flight");
    let t = pb.sim.now();
    assert!(
        t.as_ms() > 7_000.0 && t.as_ms() < 8_000.0,
        "about 3.84 s real × 2: {t:?}"
    );
    let first: Vec<_> = pb.log.iter().cloned().collect();
    pb.reset();
    assert_eq!(pb.sim.now().0, 0);
    pb.frame(0.0, 1.0, true);
    for i in 1..=240 {
        pb.frame(i as f64 * 16.0, 2.0, true);
    }
    let second: Vec<_> = pb.log.iter().cloned().collect();
    assert_eq!(first, second, "Reset replays identically");
}

#[test]
fn paused_frames_do_not_advance_and_step_does() {
    let s = reference_scenario();
    let mut pb = Playback::new(&s, 99).unwrap();
    for i in 0..100 {
        pb.frame(i as f64 * 16.0, 10.0, false);
    }
    assert_eq!(pb.sim.now().0, 0);
    assert!(pb.step_one());
    assert!(pb.sim.steps() == 1);
    let before = pb.sim.now();
    for _ in 0..50 {
        pb.step_one();
    }
    assert!(pb.sim.now() >= before);
}

#[test]
fn render_time_interpolates_between_fixed_steps() {
    let s = reference_scenario();
    let mut pb = Playback::new(&s, 99).unwrap();
    pb.frame(0.0, 1.0, true);
    pb.frame(100.0, 1.0, true);
    let (sim_a, render_a) = (pb.sim.now(), pb.render_us);
    pb.frame(104.0, 1.0, true); // less than one fixed step (8.33 ms)
    assert_eq!(pb.sim.now(), sim_a, "no whole step yet");
    assert!(pb.render_us > render_a, "but the picture moves on");
    assert!(pb.render_us < sim_a.0 as f64 + 8_334.0);
}

#[test]
fn samples_and_rates() {
    let s = reference_scenario();
    let mut pb = Playback::new(&s, 99).unwrap();
    let a = pb.sample();
    pb.frame(0.0, 1.0, true);
    for i in 1..=120 {
        pb.frame(i as f64 * 16.0, 1.0, true);
    }
    let b = pb.sample();
    // The reference diagram's three queues, by node index, in diagram order.
    let queues: Vec<u32> = s
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind() == queue_playground::core::scenario::NodeKind::Queue)
        .map(|(i, _)| i as u32)
        .collect();
    assert_eq!(b.ready.iter().map(|&(i, _)| i).collect::<Vec<_>>(), queues);
    let ready: u64 = pb.sim.queue_reports().iter().map(|q| q.ready).sum();
    assert_eq!(b.ready.iter().map(|&(_, n)| n).sum::<u64>(), ready);
    let (publish, deliver, ack) = queue_playground::playback::rates(&a, &b);
    assert!(publish > 20.0 && publish < 60.0, "about 40/s: {publish}");
    assert!(deliver > 0.0 && ack > 0.0);
    assert_eq!(queue_playground::playback::rates(&b, &b), (0.0, 0.0, 0.0));
}

#[test]
fn a_dot_can_be_picked() {
    let s = reference_scenario();
    let mut pb = Playback::new(&s, 99).unwrap();
    pb.frame(0.0, 1.0, true);
    for i in 1..=30 {
        pb.frame(i as f64 * 16.0, 1.0, true);
    }
    let dot = pb.drawn_dots().next().expect("a dot in flight");
    let copy = pb
        .dot_near(dot.x + 1.0, dot.y, 6.0)
        .expect("found near its position");
    let message = pb.traces.message_of(copy).expect("its message is traced");
    assert!(!pb.traces.of(message).is_empty());
    assert!(pb.dot_near(-10_000.0, -10_000.0, 6.0).is_none());
}

#[test]
fn every_event_has_words() {
    use queue_playground::playback::describe::{describe, EVENT_KINDS};
    let s = reference_scenario();
    let mut pb = Playback::new(&s, 99).unwrap();
    for _ in 0..3000 {
        pb.step_one();
    }
    let mut kinds = std::collections::BTreeSet::new();
    for e in &pb.log {
        let row = describe(e, &s);
        assert!(!row.text.is_empty());
        assert!(EVENT_KINDS.contains(&row.kind), "{}", row.kind);
        kinds.insert(row.kind);
    }
    for k in ["published", "routed", "enqueued", "delivered", "acked"] {
        assert!(kinds.contains(k), "{k} seen: {kinds:?}");
    }
    // Every pattern's events can be picked in the log's filter (calls could not).
    for p in queue_playground::gallery::catalog() {
        let s = p.scenario();
        let mut pb = Playback::new(&s, 1).unwrap();
        for _ in 0..3000 {
            pb.step_one();
        }
        for e in &pb.log {
            let kind = describe(e, &s).kind;
            assert!(EVENT_KINDS.contains(&kind), "{}: {kind}", p.id);
        }
    }
}

/// A burst of 100,000 all at once no longer runs as one action: the live loop's work
/// budget stops a frame early (the playback says it is behind), and the frames that
/// follow finish the same run an unbudgeted loop gives.
#[test]
fn work_budget_splits_a_huge_burst_and_keeps_the_run() {
    use queue_playground::core::scenario::load_scenario;
    let text = r#"{"version":1,"seed":3,"latency_ms":5,"nodes":[
      {"id":"p","kind":"producer","name":"p","producer":{"rate_per_sec":0,"bursts":[{"at_ms":10,"count":100000}]}},
      {"id":"x","kind":"exchange","name":"x","exchange":{"type":"fanout"}},
      {"id":"q","kind":"queue","name":"q"},
      {"id":"c","kind":"consumer","name":"c","consumer":{"prefetch":10,"processing":{"dist":"fixed","ms":1}}}],
     "edges":[{"id":"e1","from":"p","to":"x","kind":"publish"},
      {"id":"e2","from":"x","to":"q","kind":"binding"},
      {"id":"e3","from":"q","to":"c","kind":"subscription"}]}"#;
    let s = load_scenario(text).unwrap();
    let mut budgeted = Playback::new(&s, 3).unwrap();
    let mut free = Playback::new(&s, 3).unwrap();
    budgeted.frame(0.0, 1.0, true);
    free.frame(0.0, 1.0, true);
    let mut calls = 0u32;
    // A budget of about 20 looks (~5,000 steps) per frame.
    let mut frames_behind = 0;
    let mut t = 0.0;
    while budgeted.sim.now().as_ms() < 200.0 {
        t += 16.0;
        let mut budget = || {
            calls += 1;
            calls.is_multiple_of(20)
        };
        budgeted.frame_within(t, 1.0, true, &mut budget);
        frames_behind += usize::from(budgeted.behind);
        assert!(frames_behind < 10_000, "the budgeted run makes progress");
    }
    assert!(
        frames_behind > 0,
        "the burst did not fit in one frame's budget"
    );
    // Both runs compared at the same simulated time.
    let until = budgeted.sim.now();
    free.sim.run_until(until);
    let a = serde_json::to_string(&budgeted.sim.report()).unwrap();
    let b = serde_json::to_string(&free.sim.report()).unwrap();
    assert_eq!(a, b);
}

/// Replies through the default exchange are drawn: the core records a motion for them
/// (straight from the replying consumer to the reply queue, both hops at once), where
/// there is no edge to follow.
#[test]
fn replies_through_the_default_exchange_move() {
    use queue_playground::core::model::motion::{Leg, MotionKind};
    let s = queue_playground::gallery::pattern("request-reply").unwrap();
    let mut sim = queue_playground::core::Simulation::new(&s).unwrap();
    sim.set_recording(true);
    sim.run_until(queue_playground::core::kernel::time::SimTime::from_ms(
        10_000.0,
    ));
    let rec = sim.drain_recording();
    let server = sim.node_index("price-server").unwrap();
    let replies = sim.node_index("replies").unwrap();
    let hop = queue_playground::core::kernel::time::ms_to_us(s.latency_ms);
    let reply_motions: Vec<_> = rec
        .motions
        .iter()
        .map(|(_, m)| m)
        .filter(|m| m.origin == Some(server) && m.kind == MotionKind::Publish)
        .collect();
    assert!(reply_motions.len() >= 5, "{}", reply_motions.len());
    for m in reply_motions {
        assert_eq!(
            m.legs,
            vec![Leg::Line {
                from: server,
                to: replies
            }]
        );
        assert_eq!(m.arrive.0 - m.depart.0, 2 * hop);
        assert_eq!((m.count, m.reverse), (1, false));
    }
    // And playback draws them: some frame shows a dot on that line.
    let mut pb = Playback::new(&s, s.seed).unwrap();
    pb.frame(0.0, 1.0, true);
    let mut on_line = false;
    for i in 1..=600 {
        pb.frame(i as f64 * 16.0, 2.0, true);
        on_line |= pb
            .tracker
            .dots
            .values()
            .any(|d| matches!(d.path.legs(), [Leg::Line { from, .. }] if *from == server));
    }
    assert!(on_line, "a reply dot was drawn");
}

/// Every hop the events describe has its motion, with the hop's timing: a delivery
/// departs when it is delivered and arrives one latency later, along its edge.
#[test]
fn motions_match_the_hops_of_the_events() {
    use queue_playground::core::model::events::EventKind;
    use queue_playground::core::model::motion::{Leg, MotionKind};
    let s = reference_scenario();
    let mut sim = queue_playground::core::Simulation::new(&s).unwrap();
    sim.set_recording(true);
    sim.run_until(queue_playground::core::kernel::time::SimTime::from_ms(
        5_000.0,
    ));
    let rec = sim.drain_recording();
    let hop = queue_playground::core::kernel::time::ms_to_us(s.latency_ms);
    let mut delivered = 0;
    for e in &rec.events {
        if let EventKind::Delivered {
            copy,
            edge,
            redelivered,
            ..
        } = &e.kind
        {
            delivered += 1;
            let m = rec
                .motions
                .iter()
                .map(|(_, m)| m)
                .find(|m| {
                    m.copy == *copy
                        && m.depart == e.time
                        && matches!(m.kind, MotionKind::Deliver { .. })
                })
                .expect("a motion for every delivery");
            assert_eq!(m.legs, vec![Leg::Edge { edge: *edge }]);
            assert_eq!(m.arrive.0, e.time.0 + hop);
            assert_eq!(
                m.kind,
                MotionKind::Deliver {
                    redelivered: *redelivered
                }
            );
        }
    }
    assert!(delivered > 50);
}

/// The status API gives the figures the canvas shows, and agrees with the report;
/// edges count the messages that set off along them.
#[test]
fn node_and_edge_status_agree_with_the_report() {
    use queue_playground::core::model::ids::{EdgeId, NodeId};
    use queue_playground::core::model::status::NodeStatus;
    let s = queue_playground::gallery::pattern("dead-letter").unwrap();
    let mut sim = queue_playground::core::Simulation::new(&s).unwrap();
    sim.run_until(queue_playground::core::kernel::time::SimTime::from_ms(
        20_000.0,
    ));
    let report = sim.report();
    for (i, node) in s.nodes.iter().enumerate() {
        match sim.node_status(NodeId(i as u32)).unwrap() {
            NodeStatus::Queue { ready, unacked, .. } => {
                let q = &report.queues[&node.id];
                assert_eq!((ready, unacked), (q.ready, q.unacked), "{}", node.id);
            }
            NodeStatus::Consumer {
                processed, held, ..
            } => {
                let c = &report.consumers[&node.id];
                assert_eq!((processed, held), (c.stats.processed, c.held));
            }
            NodeStatus::Producer { published, .. } => {
                assert_eq!(published, report.producers[&node.id].published)
            }
            NodeStatus::Exchange => {}
            NodeStatus::KafkaTopic { .. }
            | NodeStatus::SqsQueue { .. }
            | NodeStatus::SnsTopic { .. }
            | NodeStatus::ZmqDevice { .. }
            | NodeStatus::Service { .. } => {
                unreachable!("the dead-letter pattern is RabbitMQ only")
            }
        }
    }
    assert!(sim.node_status(NodeId(999)).is_none());
    // Every message published by the producer set off along its publish edge; each
    // dead-lettering along the dead-letter edge.
    let publish = s
        .edges
        .iter()
        .position(|e| e.kind.as_str() == "publish")
        .unwrap();
    let dead_letter = s
        .edges
        .iter()
        .position(|e| e.kind.as_str() == "dead-letter")
        .unwrap();
    let producer = &s.edges[publish].from;
    assert_eq!(
        sim.edge_status(EdgeId(publish as u32)).unwrap().travelled,
        report.producers[producer].published
    );
    assert_eq!(
        sim.edge_status(EdgeId(dead_letter as u32))
            .unwrap()
            .travelled,
        report.totals.dead_lettered
    );
    assert!(report.totals.dead_lettered > 0);
    assert_eq!(report.edges.len(), s.edges.len());
}

/// A diagram that will do nothing when played says why: no producer at all (an
/// imported definitions file), or producers that are not connected to an exchange.
#[test]
fn idle_diagrams_say_why() {
    use queue_playground::core::scenario::{Node, NodeKind, Scenario};
    use queue_playground::playback::idle_hint;
    let mut s = Scenario::empty();
    assert_eq!(idle_hint(&s), None, "an empty canvas has its own message");
    s.nodes.push(Node::new("q", NodeKind::Queue, "work"));
    assert!(idle_hint(&s).unwrap().contains("no producer"));
    s.nodes.push(Node::new("p", NodeKind::Producer, "orders"));
    let hint = idle_hint(&s).unwrap();
    assert!(
        hint.contains("orders") && hint.contains("not connected"),
        "{hint}"
    );
    let wq = queue_playground::gallery::pattern("work-queue").unwrap();
    assert_eq!(idle_hint(&wq), None);
}

/// The no-producer hint names what a producer connects to in this diagram (an AWS-only
/// diagram has no exchange), and a diagram whose script publishes is not idle.
#[test]
fn the_no_producer_hint_fits_the_diagram() {
    use queue_playground::core::scenario::{Node, NodeKind, Scenario};
    use queue_playground::playback::idle_hint;
    let mut s = Scenario::empty();
    s.nodes.push(Node::new("t", NodeKind::SnsTopic, "events"));
    s.nodes.push(Node::new("q", NodeKind::SqsQueue, "audit"));
    let hint = idle_hint(&s).unwrap();
    assert!(hint.contains("no producer"), "{hint}");
    assert!(
        hint.contains("to an SQS queue or an SNS topic") && !hint.contains("exchange"),
        "{hint}"
    );
    let rabbit = queue_playground::gallery::pattern("work-queue").unwrap();
    let mut only_queues = rabbit.clone();
    only_queues.nodes.retain(|n| n.kind() != NodeKind::Producer);
    only_queues.edges.clear();
    let hint = idle_hint(&only_queues).unwrap();
    assert!(hint.ends_with("to an exchange."), "{hint}");
    s.script = serde_json::from_value(serde_json::json!([
        {"op": "sns_publish", "at_ms": 0, "topic": "events", "message": "m"}
    ]))
    .unwrap();
    assert_eq!(idle_hint(&s), None, "the script publishes");
}

/// Log rows name each node with its kind, so an exchange and a queue that share a
/// name are told apart.
#[test]
fn log_rows_name_the_node_kind() {
    use queue_playground::playback::describe::describe;
    let s = queue_playground::gallery::pattern("dead-letter").unwrap();
    let mut pb = Playback::new(&s, s.seed).unwrap();
    for _ in 0..200 {
        pb.step_one();
    }
    let texts: Vec<String> = pb.log.iter().map(|e| describe(e, &s).text).collect();
    assert!(texts.iter().any(|t| t.contains("queue ")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("exchange ")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("consumer ")), "{texts:?}");
}

/// Log rows name the message ("acked message #3"), even for an ack or a drop, which
/// end the copy's mapping.
#[test]
fn log_rows_name_the_message() {
    use queue_playground::playback::describe::describe_message;
    let s = reference_scenario();
    let mut pb = Playback::new(&s, 99).unwrap();
    for _ in 0..800 {
        pb.step_one();
    }
    assert_eq!(pb.log.len(), pb.log_messages.len());
    let rows: Vec<String> = pb
        .log
        .iter()
        .zip(&pb.log_messages)
        .map(|(e, m)| describe_message(e, &s, *m).text)
        .collect();
    assert!(
        rows.iter().any(|t| t.contains("acked message #")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|t| t.contains("routed message #")),
        "{rows:?}"
    );
}

/// A log row about a synchronous call opens a trace (review: the Trace tab came up
/// empty): the call's attempts and how each ended are in the history of the message
/// it carries, whether a producer made the call or a service working on a message.
#[test]
fn call_rows_have_traces() {
    use queue_playground::core::model::events::EventKind;
    for id in ["api-gateway", "sync-vs-async", "cascading-failure"] {
        let s = queue_playground::gallery::pattern(id).unwrap();
        let mut pb = Playback::new(&s, 1).unwrap();
        for _ in 0..3_000 {
            pb.step_one();
        }
        let calls: Vec<_> = pb
            .log
            .iter()
            .zip(&pb.log_messages)
            .filter(|(e, _)| {
                matches!(
                    e.kind,
                    EventKind::CallSent { .. } | EventKind::CallEnded { .. }
                )
            })
            .collect();
        assert!(calls.len() > 10, "{id}: {} call rows", calls.len());
        for (e, m) in calls {
            let m = m.unwrap_or_else(|| panic!("{id}: no message for {e:?}"));
            let trace = pb.traces.of(m);
            assert!(trace.contains(e), "{id}: {e:?} not in its trace {trace:?}");
            assert!(
                trace
                    .iter()
                    .any(|t| matches!(t.kind, EventKind::CallSent { .. })),
                "{id}: {trace:?}"
            );
        }
    }
}

/// The depth chart charts every system's waiting messages (a browser review found it
/// empty, saying "press Play", for every diagram without a RabbitMQ queue): an SQS
/// queue's visible messages, a Kafka topic's lag, ZeroMQ pipes, a service's backlog; and
/// the rates chart's deliveries count copies sent to consumers and services in each.
#[test]
fn charts_follow_every_system() {
    use queue_playground::core::scenario::NodeKind;
    use queue_playground::playback::depths::depth_word;
    let cases = [
        ("sqs-visibility-timeout", NodeKind::SqsQueue),
        ("kafka-consumer-groups", NodeKind::KafkaTopic),
        ("zeromq-pipeline", NodeKind::Consumer),
        ("zeromq-distributor", NodeKind::ZmqDevice),
        ("sync-vs-async", NodeKind::Service),
        ("work-queue", NodeKind::Queue),
    ];
    for (id, kind) in cases {
        let s = queue_playground::gallery::pattern(id).unwrap();
        let mut pb = Playback::new(&s, s.seed).unwrap();
        let a = pb.sample();
        for i in 0..=600 {
            pb.frame(i as f64 * 16.0, 1.0, true);
        }
        let b = pb.sample();
        let kinds: Vec<NodeKind> = b
            .ready
            .iter()
            .map(|&(i, _)| s.nodes[i as usize].kind())
            .collect();
        assert!(kinds.contains(&kind), "{id}: charts {kinds:?}");
        assert!(
            kinds.iter().all(|k| depth_word(*k).is_some()),
            "{id}: {kinds:?}"
        );
        let (_, deliver, _) = queue_playground::playback::rates(&a, &b);
        assert!(deliver > 0.0, "{id}: deliveries per second {deliver}");
    }
    // Something waits at some time in each of these, in the chart as in the status bar.
    for id in [
        "zeromq-pipeline",
        "sqs-visibility-timeout",
        "kafka-consumer-groups",
    ] {
        let s = queue_playground::gallery::pattern(id).unwrap();
        let mut pb = Playback::new(&s, s.seed).unwrap();
        let mut most = 0;
        for i in 0..=1200 {
            pb.frame(i as f64 * 16.0, 1.0, true);
            most = most.max(pb.sample().ready.iter().map(|&(_, n)| n).sum::<u64>());
        }
        assert!(most > 0, "{id}: nothing ever waited");
    }
}
