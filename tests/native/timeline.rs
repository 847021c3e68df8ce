//! The timeline: seeking to a time already reached, by replay from the seed with the
//! hand actions re-applied, gives exactly the state a straight run had at that time —
//! probed at many times, back and forth — and playing on after going back applies the
//! later hand actions again.

use queue_playground::core::families::rabbit::Settlement;
use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::model::events::EventKind;
use queue_playground::core::scenario::script::PublishProperties;
use queue_playground::core::simulation::Command;
use queue_playground::playback::timeline::MarkKind;
use queue_playground::playback::Playback;
use serde_json::Value;

fn report(pb: &Playback) -> Value {
    serde_json::to_value(pb.sim.report()).unwrap()
}

/// Plays `pb` frame by frame (60 frames a real second at 10×) until `until_ms`,
/// applying `hand` at the frames it names; returns (time, report) every 20 frames.
fn play(
    pb: &mut Playback,
    frames: std::ops::Range<u32>,
    hand: &dyn Fn(u32, &mut Playback),
) -> Vec<(SimTime, Value)> {
    let mut probes = Vec::new();
    for f in frames {
        pb.frame(f as f64 * 1000.0 / 60.0, 10.0, true);
        hand(f, pb);
        if f % 20 == 0 {
            probes.push((pb.sim.now(), report(pb)));
        }
    }
    probes
}

#[test]
fn seeking_equals_a_straight_run_at_every_probed_time() {
    let s = queue_playground::gallery::pattern("dead-letter").unwrap();
    let mut pb = Playback::new(&s, s.seed).unwrap();
    let worker = pb.sim.node_index("worker").unwrap();
    let exchange = pb.sim.node_index("orders-x").unwrap();
    let queue = pb.sim.node_index("order-work").unwrap();
    let hand = |f: u32, pb: &mut Playback| match f {
        90 => {
            pb.apply_command(Command::CrashConsumer { consumer: worker })
                .unwrap();
        }
        150 => {
            pb.apply_command(Command::PublishTo {
                exchange,
                routing_key: "order.created".into(),
                payload: "by hand".into(),
                properties: PublishProperties::default(),
            })
            .unwrap();
        }
        210 => {
            pb.get_by_hand(queue, 2, Settlement::Reject).unwrap();
        }
        _ => {}
    };
    let probes = play(&mut pb, 0..400, &hand);
    assert!(
        pb.timeline.reached_ms() > 60_000.0,
        "reached {}",
        pb.timeline.reached_ms()
    );
    assert_eq!(pb.timeline.hand().len(), 3);
    // Back and forth, in a scrambled order.
    let mut order: Vec<usize> = (0..probes.len()).collect();
    order.sort_by_key(|i| (i * 7) % probes.len());
    for i in order {
        let (t, want) = &probes[i];
        pb.seek(*t);
        assert_eq!(pb.sim.now(), *t);
        assert_eq!(
            &report(&pb),
            want,
            "state after seeking to {} ms",
            t.as_ms()
        );
        let c = pb.sim.check_conservation();
        assert!(c.held, "{:?}", c.problems);
    }
    // Back to the start, then play on: the hand actions are applied again on the way,
    // and the run ends where the straight run did.
    pb.seek(probes[0].0);
    pb.clock.resync();
    let again = play(&mut pb, 0..400, &|_, _| {});
    let (t_end, want_end) = probes.last().unwrap();
    let (t_again, got) = again
        .iter()
        .find(|(t, _)| t == t_end)
        .unwrap_or_else(|| panic!("the replay reaches {} ms", t_end.as_ms()));
    assert_eq!(t_again, t_end);
    assert_eq!(got, want_end);
}

#[test]
fn marks_note_drops_dead_letterings_and_crashes_once() {
    let s = queue_playground::gallery::pattern("dead-letter").unwrap();
    let mut pb = Playback::new(&s, s.seed).unwrap();
    let worker = pb.sim.node_index("worker").unwrap();
    play(&mut pb, 0..200, &|f, pb| {
        if f == 60 {
            pb.apply_command(Command::CrashConsumer { consumer: worker })
                .unwrap();
        }
    });
    let marks = pb.timeline.marks().to_vec();
    assert!(marks.iter().any(|m| m.kind == MarkKind::DeadLetter));
    assert!(marks.iter().any(|m| m.kind == MarkKind::Crash));
    assert!(marks.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));
    // Going back and playing the same stretch again adds no mark twice.
    pb.seek(SimTime::from_ms(10_000.0));
    pb.clock.resync();
    play(&mut pb, 0..100, &|_, _| {});
    let after = pb.timeline.marks();
    assert_eq!(&after[..marks.len()], &marks[..]);
    let seen_before = after
        .iter()
        .filter(|m| m.time_ms <= marks.last().unwrap().time_ms)
        .count();
    assert_eq!(seen_before, marks.len());
    // The log keeps its rows up to the time sought.
    pb.seek(SimTime::from_ms(5_000.0));
    assert!(pb.log.iter().all(|e| e.time <= SimTime::from_ms(5_000.0)));
    assert!(pb
        .log
        .iter()
        .any(|e| matches!(e.kind, EventKind::Published { .. })));
}

/// Seeking back shows the messages that were in flight at that time as dots: the hops
/// begun shortly before it are replayed with their motions, not only the state (the
/// dots come from the motions). The same messages as a straight run to that time.
#[test]
fn seeking_back_shows_the_messages_in_flight_then() {
    let s = queue_playground::gallery::pattern("consumer-outage").unwrap();
    let mut straight = Playback::new(&s, s.seed).unwrap();
    for f in 0..=360u32 {
        straight.frame(f as f64 * 1000.0 / 60.0, 1.0, true);
    }
    let then = straight.sim.now();
    let flying = |pb: &Playback| {
        let mut ids: Vec<String> = pb.tracker.dots.keys().map(|k| format!("{k:?}")).collect();
        ids.sort();
        ids
    };
    assert!(!flying(&straight).is_empty(), "messages in flight at 6 s");
    let mut pb = Playback::new(&s, s.seed).unwrap();
    for f in 0..600u32 {
        pb.frame(f as f64 * 1000.0 / 60.0, 1.0, true);
    }
    pb.seek(then);
    assert_eq!(pb.sim.now(), then);
    assert_eq!(flying(&pb), flying(&straight));
    assert!(pb.drawn_dots().count() > 0);
}

/// The log shows every event up to the moment seeked to, whichever way the seek went:
/// back to the start and forward to the end gives the rows a straight run logged (they
/// were hidden, not lost), and playing on after going back logs each event once.
#[test]
fn the_log_follows_seeks_back_and_forth() {
    let s = queue_playground::gallery::pattern("work-queue").unwrap();
    let mut pb = Playback::new(&s, s.seed).unwrap();
    play(&mut pb, 0..60, &|_, _| {});
    let end = pb.sim.now();
    let rows = |pb: &Playback| -> Vec<String> { pb.log.iter().map(|e| format!("{e:?}")).collect() };
    let straight = rows(&pb);
    assert!(straight.len() > 20, "{} rows", straight.len());
    pb.seek(SimTime::ZERO);
    assert!(
        pb.log.iter().all(|e| e.time == SimTime::ZERO),
        "only what happened at t = 0"
    );
    pb.seek(end);
    assert!(rows(&pb) == straight, "forward again: the same rows");
    let middle = SimTime(end.0 / 2);
    pb.seek(middle);
    assert!(pb.log.iter().all(|e| e.time <= middle));
    assert_eq!(pb.log.len(), pb.log_messages.len());
    // Playing on from the middle: each event once, as the straight run logged them.
    play(&mut pb, 60..120, &|_, _| {});
    assert!(pb.sim.now() > end);
    let again: Vec<String> = pb
        .log
        .iter()
        .filter(|e| e.time <= end)
        .map(|e| format!("{e:?}"))
        .collect();
    assert!(
        again == straight,
        "the rows up to the old end, once each: {} rows against {}",
        again.len(),
        straight.len()
    );
}

/// The same marks in every system (a browser review): an SQS move to a dead-letter
/// queue is a dead-lettering, counted and marked as RabbitMQ's is; a Kafka member's
/// fetched copies discarded when it crashes are no loss (the records stay in the log and
/// are read again), so they leave no drop mark.
#[test]
fn marks_are_the_same_in_every_system() {
    use queue_playground::core::model::events::DropReason;
    let s = queue_playground::gallery::pattern("sqs-dead-letter-redrive").unwrap();
    let mut pb = Playback::new(&s, s.seed).unwrap();
    play(&mut pb, 0..400, &|_, _| {});
    let moved = pb.sim.totals().dead_lettered;
    assert!(moved > 0, "the pattern moves messages to its DLQ");
    let marks = pb.timeline.marks();
    assert_eq!(
        marks
            .iter()
            .filter(|m| m.kind == MarkKind::DeadLetter)
            .count() as u64,
        moved
    );

    let s = queue_playground::gallery::pattern("kafka-consumer-groups").unwrap();
    let mut pb = Playback::new(&s, s.seed).unwrap();
    play(&mut pb, 0..120, &|_, _| {});
    let totals = pb.sim.totals();
    let discarded = totals
        .dropped_by_reason
        .get(DropReason::Discarded.as_str())
        .copied()
        .unwrap_or(0);
    assert!(discarded > 0, "the pattern's crash discards fetched copies");
    let marks = pb.timeline.marks();
    assert!(marks.iter().any(|m| m.kind == MarkKind::Crash));
    assert_eq!(
        marks.iter().filter(|m| m.kind == MarkKind::Drop).count() as u64,
        totals.dropped - discarded
    );
}
