//! Engine behaviour against the RabbitMQ documentation, one rule per test. The doc
//! page each rule comes from is named in the test's comment.

use crate::common::*;
use queue_playground::core::model::events::{DropReason, EventKind};
use queue_playground::core::model::message::DeathReason;
use queue_playground::core::scenario::{
    AckMode, ExchangeType::*, Outcome, Overflow, Processing, QueueType,
};
use queue_playground::core::{Command, Simulation};

fn burst(n: u64) -> impl FnOnce(&mut queue_playground::core::scenario::ProducerSpec) {
    move |p| {
        p.rate_per_sec = 0.0;
        p.bursts = vec![queue_playground::core::scenario::Burst {
            at_ms: 0.0,
            count: n,
            spread_ms: 0.0,
        }];
        p.message_id = queue_playground::core::scenario::Template::new("m{n}");
    }
}

fn fixed(ms: f64) -> Processing {
    Processing::Fixed { ms }
}

#[test]
fn point_to_point_delivers_everything_once() {
    let mut sim = Build::new()
        .producer("p", |p| {
            p.rate_per_sec = 10.0;
            p.count = Some(20);
            p.routing_key = queue_playground::core::scenario::Template::new("jobs");
        })
        .exchange("x", "", Direct)
        .queue("jobs", |_| {})
        .consumer("c", |c| c.processing = fixed(5.0))
        .publish("p", "x")
        .subscribe("jobs", "c")
        .sim();
    run(&mut sim, 10_000.0);
    let t = sim.totals();
    assert_eq!(t.published, 20);
    assert_eq!(t.acked, 20);
    assert_eq!(consumer_report(&sim, "c").stats.processed, 20);
}

/// consumers: "messages are delivered to consumers in round-robin fashion".
#[test]
fn competing_consumers_share_round_robin() {
    let mut sim = Build::new()
        .producer("p", burst(10))
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .consumer("c1", |c| {
            c.prefetch = 1;
            c.processing = fixed(10.0)
        })
        .consumer("c2", |c| {
            c.prefetch = 1;
            c.processing = fixed(10.0)
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c1")
        .subscribe("q", "c2")
        .sim();
    run(&mut sim, 5_000.0);
    assert_eq!(consumer_report(&sim, "c1").stats.processed, 5);
    assert_eq!(consumer_report(&sim, "c2").stats.processed, 5);
}

/// consumer-prefetch: a consumer never holds more unacked messages than its prefetch.
#[test]
fn prefetch_caps_unacked_per_consumer() {
    let mut sim = Build::new()
        .producer("p", burst(50))
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .consumer("c", |c| {
            c.prefetch = 3;
            c.processing = fixed(50.0)
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .sim();
    let until = queue_playground::core::kernel::time::SimTime::from_ms(5_000.0);
    while sim.next_event_time().is_some_and(|t| t <= until) {
        sim.step();
        assert!(consumer_report(&sim, "c").held <= 3);
    }
    assert!(queue_report(&sim, "q").unacked <= 3);
}

/// exchanges (fanout): every bound queue gets a copy, regardless of key.
#[test]
fn pub_sub_gives_each_queue_a_copy() {
    let mut sim = Build::new()
        .producer("p", burst(4))
        .exchange("x", "events", Fanout)
        .queue("a", |_| {})
        .queue("b", |_| {})
        .queue("c", |_| {})
        .publish("p", "x")
        .bind("x", "a", "ignored")
        .bind("x", "b", "")
        .bind("x", "c", "x.y")
        .sim();
    run(&mut sim, 1_000.0);
    for q in ["a", "b", "c"] {
        assert_eq!(
            ready_ids(&sim, q),
            vec!["m1", "m2", "m3", "m4"],
            "queue {q}"
        );
    }
    assert_eq!(sim.totals().copies, 12);
}

/// e2e: a queue reachable by two paths gets one copy per publish.
#[test]
fn a_queue_reached_twice_gets_one_copy() {
    let mut sim = Build::new()
        .producer("p", burst(3))
        .exchange("x", "front", Fanout)
        .exchange("y", "inner", Fanout)
        .queue("q", |_| {})
        .publish("p", "x")
        .bind("x", "q", "")
        .bind("x", "y", "")
        .bind("y", "q", "")
        .bind("y", "x", "") // a cycle: must terminate
        .sim();
    run(&mut sim, 1_000.0);
    assert_eq!(ready_ids(&sim, "q"), vec!["m1", "m2", "m3"]);
}

/// ae: an unroutable message goes to the alternate exchange; without one it is dropped.
#[test]
fn alternate_exchange_catches_unroutable() {
    let mut sim = Build::new()
        .producer("p", |p| {
            burst(4)(p);
            p.routing_key = queue_playground::core::scenario::Template::new("{cycle:known|other}");
        })
        .exchange("x", "main", Direct)
        .exchange("ae", "unrouted", Fanout)
        .queue("known", |_| {})
        .queue("lost", |_| {})
        .publish("p", "x")
        .bind("x", "known", "known")
        .edge(
            "x",
            "ae",
            queue_playground::core::scenario::EdgeKind::AlternateExchange,
            None,
        )
        .bind("ae", "lost", "")
        .sim();
    run(&mut sim, 1_000.0);
    assert_eq!(ready_ids(&sim, "known"), vec!["m1", "m3"]);
    assert_eq!(ready_ids(&sim, "lost"), vec!["m2", "m4"]);

    let mut sim = Build::new()
        .producer("p", |p| {
            burst(2)(p);
            p.routing_key = queue_playground::core::scenario::Template::new("nowhere");
        })
        .exchange("x", "main", Direct)
        .queue("known", |_| {})
        .publish("p", "x")
        .bind("x", "known", "known")
        .sim();
    run(&mut sim, 1_000.0);
    assert_eq!(sim.totals().dropped_by_reason.get("unroutable"), Some(&2));
}

fn ttl_setup(queue_ttl: Option<f64>, message_ttl: Option<f64>) -> Simulation {
    Build::new()
        .producer("p", move |p| {
            burst(1)(p);
            p.expiration_ms = message_ttl;
            p.routing_key = queue_playground::core::scenario::Template::new("k");
        })
        .exchange("x", "ex", Direct)
        .exchange("dlx", "dead", Fanout)
        .queue("q", move |q| q.message_ttl_ms = queue_ttl)
        .queue("dlq", |_| {})
        .publish("p", "x")
        .bind("x", "q", "k")
        .dlx("q", "dlx", None)
        .bind("dlx", "dlq", "")
        .sim()
}

/// ttl: the lower of queue TTL and per-message expiration applies; expired messages
/// are dead-lettered with reason `expired` and keep their routing key.
#[test]
fn ttl_lower_wins_and_expired_messages_are_dead_lettered() {
    for (queue_ttl, msg_ttl, expected_ms) in [
        (Some(100.0), Some(300.0), 100.0),
        (Some(300.0), Some(100.0), 100.0),
        (None, Some(50.0), 50.0),
        (Some(70.0), None, 70.0),
    ] {
        let mut sim = ttl_setup(queue_ttl, msg_ttl);
        let events = run(&mut sim, 2_000.0);
        let expired_at = events
            .iter()
            .find(|e| matches!(e.kind, EventKind::Expired { .. }))
            .map(|e| e.time.as_ms())
            .expect("an expiry");
        // published at 0, reaches the queue after two 10 ms hops
        assert_eq!(
            expired_at,
            20.0 + expected_ms,
            "queue ttl {queue_ttl:?}, message ttl {msg_ttl:?}"
        );
        let dead = sim.peek_queue(node(&sim, "dlq"));
        assert_eq!(dead.len(), 1);
        assert_eq!(dead[0].x_death.len(), 1);
        assert_eq!(dead[0].x_death[0].reason, DeathReason::Expired);
        assert_eq!(&*dead[0].x_death[0].queue, "q");
        assert_eq!(&*dead[0].x_death[0].exchange, "ex");
        assert_eq!(dead[0].routing_key, "k");
    }
}

/// ttl: "only when expired messages reach the head of a queue will they actually be
/// discarded": a short-lived message behind a long-lived one waits for it.
#[test]
fn expiry_happens_only_at_the_head() {
    let mut sim = Build::new()
        .producer("p", |p| {
            burst(2)(p);
            p.expiration_ms = None;
            p.headers.clear();
        })
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .publish("p", "x")
        .bind("x", "q", "")
        .sim();
    // Give message 1 a long TTL and message 2 a short one by publishing by hand.
    drop(sim);
    let mut s = Build::new()
        .producer("long", |p| {
            burst(1)(p);
            p.expiration_ms = Some(1_000.0);
            p.message_id = queue_playground::core::scenario::Template::new("long");
        })
        .producer("short", |p| {
            p.rate_per_sec = 0.0;
            p.bursts = vec![queue_playground::core::scenario::Burst {
                at_ms: 1.0,
                count: 1,
                spread_ms: 0.0,
            }];
            p.expiration_ms = Some(10.0);
            p.message_id = queue_playground::core::scenario::Template::new("short");
        })
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .publish("long", "x")
        .publish("short", "x")
        .bind("x", "q", "")
        .done();
    s.latency_ms = 0.0;
    sim = Simulation::new(&s).unwrap();
    sim.set_recording(true);
    run(&mut sim, 500.0);
    assert_eq!(
        ready_ids(&sim, "q"),
        vec!["long", "short"],
        "short waits behind long"
    );
    let events = run(&mut sim, 2_000.0);
    let times: Vec<f64> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Expired { .. }))
        .map(|e| e.time.as_ms())
        .collect();
    assert_eq!(times, vec![1_000.0, 1_000.0]);
}

fn maxlen(overflow: Overflow, with_dlx: bool) -> Simulation {
    let mut b = Build::new()
        .producer("p", burst(5))
        .exchange("x", "ex", Fanout)
        .queue("q", move |q| {
            q.max_length = Some(3);
            q.overflow = overflow;
        })
        .publish("p", "x")
        .bind("x", "q", "");
    if with_dlx {
        b = b
            .exchange("dlx", "dead", Fanout)
            .queue("dlq", |_| {})
            .dlx("q", "dlx", Some("overflowed"))
            .bind("dlx", "dlq", "");
    }
    b.sim()
}

/// maxlength: drop-head (default) discards or dead-letters the oldest messages.
#[test]
fn max_length_drop_head_drops_the_oldest() {
    let mut sim = maxlen(Overflow::DropHead, false);
    run(&mut sim, 1_000.0);
    assert_eq!(ready_ids(&sim, "q"), vec!["m3", "m4", "m5"]);
    assert_eq!(sim.totals().dropped_by_reason.get("overflow"), Some(&2));

    let mut sim = maxlen(Overflow::DropHead, true);
    run(&mut sim, 1_000.0);
    let dead = sim.peek_queue(node(&sim, "dlq"));
    assert_eq!(
        dead.iter()
            .map(|c| c.message_id.as_str())
            .collect::<Vec<_>>(),
        vec!["m1", "m2"]
    );
    assert!(dead
        .iter()
        .all(|c| c.x_death[0].reason == DeathReason::Maxlen));
    assert!(
        dead.iter().all(|c| c.routing_key == "overflowed"),
        "dead-letter routing key replaces the key"
    );
}

/// maxlength: reject-publish refuses the newest; reject-publish-dlx also dead-letters it.
#[test]
fn max_length_reject_publish_refuses_the_newest() {
    let mut sim = maxlen(Overflow::RejectPublish, true);
    run(&mut sim, 1_000.0);
    assert_eq!(ready_ids(&sim, "q"), vec!["m1", "m2", "m3"]);
    assert_eq!(
        sim.totals().dropped_by_reason.get("reject_publish"),
        Some(&2)
    );
    assert!(
        ready_ids(&sim, "dlq").is_empty(),
        "reject-publish does not dead-letter"
    );

    let mut sim = maxlen(Overflow::RejectPublishDlx, true);
    run(&mut sim, 1_000.0);
    assert_eq!(ready_ids(&sim, "q"), vec!["m1", "m2", "m3"]);
    assert_eq!(ready_ids(&sim, "dlq"), vec!["m4", "m5"]);
}

/// maxlength: only ready messages count; unacked ones do not.
#[test]
fn max_length_counts_ready_messages_only() {
    let mut sim = Build::new()
        .producer("p", burst(5))
        .exchange("x", "ex", Fanout)
        .queue("q", |q| q.max_length = Some(2))
        .consumer("c", |c| {
            c.prefetch = 3;
            c.processing = fixed(10_000.0)
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .sim();
    run(&mut sim, 1_000.0);
    let q = queue_report(&sim, "q");
    assert_eq!((q.ready, q.unacked), (2, 3));
    assert_eq!(sim.totals().dropped, 0);
}

fn failing_consumer(
    pattern: Vec<Outcome>,
    queue_type: QueueType,
    limit: Option<u32>,
) -> Simulation {
    Build::new()
        .producer("p", burst(1))
        .exchange("x", "ex", Fanout)
        .exchange("dlx", "dead", Fanout)
        .queue("q", move |q| {
            q.queue_type = queue_type;
            q.delivery_limit = limit;
        })
        .queue("dlq", |_| {})
        .consumer("c", move |c| {
            c.prefetch = 1;
            c.processing = fixed(10.0);
            c.pattern = pattern;
            c.restart_ms = 100.0;
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .dlx("q", "dlx", None)
        .bind("dlx", "dlq", "")
        .sim()
}

/// confirms: a nack with requeue puts the message back; it is redelivered with
/// redelivered = true.
#[test]
fn nack_requeue_redelivers_with_flag() {
    let mut sim = failing_consumer(
        vec![Outcome::Requeue, Outcome::Ack],
        QueueType::Classic,
        None,
    );
    let events = run(&mut sim, 1_000.0);
    let flags: Vec<bool> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Delivered { redelivered, .. } => Some(redelivered),
            _ => None,
        })
        .collect();
    assert_eq!(flags, vec![false, true]);
    assert_eq!(sim.totals().acked, 1);
}

/// dlx: reject without requeue dead-letters with reason `rejected`.
#[test]
fn reject_dead_letters_with_x_death() {
    let mut sim = failing_consumer(vec![Outcome::Reject], QueueType::Classic, None);
    run(&mut sim, 1_000.0);
    let dead = sim.peek_queue(node(&sim, "dlq"));
    assert_eq!(dead.len(), 1);
    let d = &dead[0].x_death[0];
    assert_eq!(
        (d.reason, d.count, &*d.queue),
        (DeathReason::Rejected, 1, "q")
    );
    assert!(
        !dead[0].redelivered,
        "a dead-lettered message is a fresh delivery in its new queue"
    );
}

/// quorum-queues: a message returned more times than the delivery limit is dead-lettered
/// with reason `delivery_limit`.
#[test]
fn delivery_limit_dead_letters_poison_messages() {
    let mut sim = failing_consumer(vec![Outcome::Requeue], QueueType::Quorum, Some(2));
    let events = run(&mut sim, 1_000.0);
    let deliveries = count(&events, |k| matches!(k, EventKind::Delivered { .. }));
    assert_eq!(
        deliveries, 3,
        "first delivery + 2 redeliveries, then dead-lettered on the 3rd return"
    );
    let dead = sim.peek_queue(node(&sim, "dlq"));
    assert_eq!(dead[0].x_death[0].reason, DeathReason::DeliveryLimit);
}

/// confirms: when a consumer's channel closes, its unacked messages are requeued and
/// redelivered (at-least-once); auto-acked messages are gone (at-most-once).
#[test]
fn crash_returns_unacked_but_loses_auto_acked() {
    let mut sim = failing_consumer(vec![Outcome::Crash, Outcome::Ack], QueueType::Classic, None);
    let events = run(&mut sim, 2_000.0);
    assert_eq!(
        count(&events, |k| matches!(k, EventKind::Requeued { .. })),
        1
    );
    assert_eq!(
        count(&events, |k| matches!(
            k,
            EventKind::Delivered {
                redelivered: true,
                ..
            }
        )),
        1
    );
    let c = consumer_report(&sim, "c");
    assert_eq!(
        (
            c.stats.crashes,
            c.stats.processed,
            c.stats.unique_processed,
            sim.totals().acked
        ),
        (1, 2, 1, 1)
    );

    let mut sim = Build::new()
        .producer("p", burst(5))
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .consumer("c", |c| {
            c.ack = AckMode::Auto;
            c.processing = fixed(10.0);
            c.pattern = vec![Outcome::Crash];
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .sim();
    run(&mut sim, 5_000.0);
    let t = sim.totals();
    assert_eq!(
        t.dropped_by_reason.get("lost_on_crash"),
        Some(&4),
        "all five were pushed to the consumer at once: the one it finished counts, the four it still held are lost"
    );
    assert_eq!(t.acked, 1);
}

/// An idempotent consumer applies the effect once even when a crash after the work
/// causes a redelivery.
#[test]
fn idempotent_consumer_skips_duplicates() {
    let mk = |idempotent: bool| {
        Build::new()
            .producer("p", burst(4))
            .exchange("x", "ex", Fanout)
            .queue("q", |_| {})
            .consumer("c", move |c| {
                c.prefetch = 1;
                c.processing = fixed(10.0);
                c.pattern = vec![Outcome::Crash, Outcome::Ack, Outcome::Ack];
                c.idempotent = idempotent;
                c.restart_ms = 50.0;
            })
            .publish("p", "x")
            .bind("x", "q", "")
            .subscribe("q", "c")
            .sim()
    };
    let mut plain = mk(false);
    run(&mut plain, 5_000.0);
    let mut idem = mk(true);
    run(&mut idem, 5_000.0);
    let p = consumer_report(&plain, "c").stats;
    let i = consumer_report(&idem, "c").stats;
    assert!(
        p.processed > p.unique_processed,
        "at-least-once duplicates the effect: {p:?}"
    );
    assert_eq!(i.unique_processed, 4);
    assert!(i.duplicates_skipped >= 1, "{i:?}");
    assert_eq!(
        i.processed,
        i.unique_processed + (i.processed - i.unique_processed)
    );
}

/// priority: higher-priority messages are delivered first.
#[test]
fn priority_queue_delivers_highest_first() {
    let mut sim = Build::new()
        .producer("p", |p| {
            burst(6)(p);
            p.priority = Some(queue_playground::core::scenario::Template::new(
                "{cycle:1|5|9}",
            ));
        })
        .exchange("x", "ex", Fanout)
        .queue("q", |q| q.max_priority = Some(10))
        .publish("p", "x")
        .bind("x", "q", "")
        .sim();
    run(&mut sim, 1_000.0);
    assert_eq!(
        ready_ids(&sim, "q"),
        vec!["m3", "m6", "m2", "m5", "m1", "m4"]
    );
}

/// A single-active-consumer queue with consumers c1 and c2 (both prefetch 1, 5 ms
/// work); c1 is away from 1 s until `outage_end_ms`; `count` messages at 20/s.
fn single_active_pair(count: u64, outage_end_ms: f64) -> Simulation {
    Build::new()
        .producer("p", |p| {
            p.rate_per_sec = 20.0;
            p.count = Some(count);
        })
        .exchange("x", "ex", Fanout)
        .queue("q", |q| q.single_active_consumer = true)
        .consumer("c1", |c| {
            c.prefetch = 1;
            c.processing = fixed(5.0);
            c.outages = vec![queue_playground::core::scenario::Outage {
                start_ms: 1_000.0,
                end_ms: outage_end_ms,
            }];
        })
        .consumer("c2", |c| {
            c.prefetch = 1;
            c.processing = fixed(5.0)
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c1")
        .subscribe("q", "c2")
        .sim()
}

/// consumers (single active consumer): one consumer gets everything; when it goes, the
/// next one takes over.
#[test]
fn single_active_consumer_fails_over() {
    let mut sim = single_active_pair(40, 100_000.0);
    run(&mut sim, 900.0);
    assert!(consumer_report(&sim, "c1").stats.processed > 0);
    assert_eq!(consumer_report(&sim, "c2").stats.received, 0);
    run(&mut sim, 5_000.0);
    assert!(consumer_report(&sim, "c2").stats.processed > 0);
    assert_eq!(sim.totals().acked, 40);
}

/// dlx: a dead-letter cycle with no rejection drops the message; with a rejection in it,
/// the message keeps cycling.
#[test]
fn dead_letter_cycles() {
    // q expires into a DLX that routes straight back to q: dropped on the second pass.
    let mut sim = Build::new()
        .producer("p", burst(1))
        .exchange("x", "ex", Fanout)
        .exchange("dlx", "dead", Fanout)
        .queue("q", |q| q.message_ttl_ms = Some(50.0))
        .publish("p", "x")
        .bind("x", "q", "")
        .dlx("q", "dlx", None)
        .bind("dlx", "q", "")
        .sim();
    let events = run(&mut sim, 2_000.0);
    assert_eq!(
        count(&events, |k| matches!(k, EventKind::Expired { .. })),
        1
    );
    assert_eq!(
        sim.totals().dropped_by_reason.get("dead_letter_cycle"),
        Some(&1)
    );

    // Rejections: the cycle goes on (each pass a new x-death count).
    let mut sim = Build::new()
        .producer("p", burst(1))
        .exchange("x", "ex", Fanout)
        .exchange("dlx", "dead", Fanout)
        .queue("q", |_| {})
        .consumer("c", |c| {
            c.prefetch = 1;
            c.processing = fixed(10.0);
            c.pattern = vec![Outcome::Reject, Outcome::Reject, Outcome::Ack];
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .dlx("q", "dlx", None)
        .bind("dlx", "q", "")
        .sim();
    let events = run(&mut sim, 2_000.0);
    assert_eq!(
        count(&events, |k| matches!(
            k,
            EventKind::DeadLettered {
                reason: DeathReason::Rejected,
                ..
            }
        )),
        2
    );
    assert_eq!(sim.totals().acked, 1);
}

/// A consumer that replies publishes to its reply_to queue with the correlation id.
#[test]
fn request_reply_carries_correlation_id() {
    let mut sim = Build::new()
        .producer("client", |p| {
            burst(2)(p);
            p.routing_key = queue_playground::core::scenario::Template::new("rpc");
            p.reply_to = Some("replies".into());
        })
        .exchange("x", "", Direct)
        .queue("rpc", |_| {})
        .queue("replies", |_| {})
        .consumer("server", |c| {
            c.reply = true;
            c.processing = fixed(5.0)
        })
        .publish("client", "x")
        .subscribe("rpc", "server")
        .sim();
    run(&mut sim, 1_000.0);
    let replies = sim.peek_queue(node(&sim, "replies"));
    let ids: Vec<_> = replies
        .iter()
        .map(|c| c.correlation_id.clone().unwrap())
        .collect();
    assert_eq!(ids, vec!["m1", "m2"]);
}

/// Outages buffer messages in the queue; they drain when the consumer returns.
#[test]
fn outage_buffers_then_drains() {
    let mut sim = Build::new()
        .producer("p", |p| {
            p.rate_per_sec = 10.0;
            p.count = Some(50);
        })
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .consumer("c", |c| {
            c.prefetch = 5;
            c.processing = fixed(20.0);
            c.outages = vec![queue_playground::core::scenario::Outage {
                start_ms: 1_000.0,
                end_ms: 3_000.0,
            }];
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .sim();
    run(&mut sim, 2_900.0);
    assert!(
        queue_report(&sim, "q").ready >= 15,
        "messages pile up while the consumer is away"
    );
    run(&mut sim, 10_000.0);
    assert_eq!(sim.totals().acked, 50);
    assert_eq!(queue_report(&sim, "q").ready, 0);
}

/// Manual commands: publish now, crash, switch off and on.
#[test]
fn commands_apply() {
    let mut sim = Build::new()
        .producer("p", |p| {
            p.rate_per_sec = 0.0;
        })
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .consumer("c", |c| {
            c.processing = fixed(1_000.0);
            c.restart_ms = 100.0
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .sim();
    let p = node(&sim, "p");
    let c = node(&sim, "c");
    sim.apply(Command::Publish { producer: p }).unwrap();
    sim.apply(Command::Publish { producer: p }).unwrap();
    run(&mut sim, 100.0);
    assert_eq!(queue_report(&sim, "q").unacked, 2);
    sim.apply(Command::CrashConsumer { consumer: c }).unwrap();
    assert_eq!(queue_report(&sim, "q").ready, 2);
    sim.apply(Command::SetConsumerOnline {
        consumer: c,
        online: false,
    })
    .unwrap();
    run(&mut sim, 500.0);
    assert_eq!(
        queue_report(&sim, "q").ready,
        2,
        "still off after the restart time"
    );
    sim.apply(Command::SetConsumerOnline {
        consumer: c,
        online: true,
    })
    .unwrap();
    run(&mut sim, 5_000.0);
    assert_eq!(sim.totals().acked, 2);
    assert!(sim.apply(Command::Publish { producer: c }).is_err());
    let _ = DropReason::ALL;
}

/// Same scenario and seed ⇒ identical events; another seed ⇒ a different run.
#[test]
fn runs_are_deterministic() {
    let mk = |seed: u64| {
        Build::new()
            .seed(seed)
            .producer("p", |p| {
                p.rate_per_sec = 50.0;
                p.count = Some(200);
                p.routing_key = queue_playground::core::scenario::Template::new("{random:a|b}");
            })
            .exchange("x", "ex", Direct)
            .queue("a", |_| {})
            .queue("b", |_| {})
            .consumer("c1", |c| {
                c.prefetch = 2;
                c.processing = Processing::Exponential { mean_ms: 30.0 };
                c.outcomes.requeue = 0.1;
                c.outcomes.crash = 0.02;
            })
            .consumer("c2", |c| {
                c.processing = Processing::Uniform {
                    min_ms: 5.0,
                    max_ms: 50.0,
                };
                c.outcomes.reject = 0.1;
            })
            .publish("p", "x")
            .bind("x", "a", "a")
            .bind("x", "b", "b")
            .subscribe("a", "c1")
            .subscribe("b", "c2")
            .sim()
    };
    let (mut s1, mut s2, mut s3) = (mk(7), mk(7), mk(8));
    let (e1, e2, e3) = (
        run(&mut s1, 10_000.0),
        run(&mut s2, 10_000.0),
        run(&mut s3, 10_000.0),
    );
    assert_eq!(e1, e2);
    assert_ne!(e1, e3);
    assert_eq!(
        serde_json::to_string(&s1.report()).unwrap(),
        serde_json::to_string(&s2.report()).unwrap()
    );
}

/// consumers (single active consumer): a consumer that comes back registers again,
/// behind the one that took over.
#[test]
fn single_active_consumer_does_not_take_back_over() {
    let mut sim = single_active_pair(100, 2_000.0);
    run(&mut sim, 1_900.0);
    let c1_before = consumer_report(&sim, "c1").stats.received;
    run(&mut sim, 10_000.0);
    assert_eq!(
        consumer_report(&sim, "c1").stats.received,
        c1_before,
        "c1 waits after it reconnects"
    );
    assert!(consumer_report(&sim, "c2").stats.processed > 40);
}

/// dlx: a second death in the same queue for the same reason only counts; the entry
/// keeps the exchange and routing keys of the first death.
#[test]
fn repeated_deaths_count_and_keep_the_first_death() {
    let mut sim = Build::new()
        .producer("p", |p| {
            burst(1)(p);
            p.routing_key = queue_playground::core::scenario::Template::new("first");
        })
        .exchange("x", "ex", Fanout)
        .exchange("dlx", "dead", Fanout)
        .queue("q", |_| {})
        .consumer("c", |c| {
            c.prefetch = 1;
            c.processing = fixed(5.0);
            c.pattern = vec![Outcome::Reject, Outcome::Reject, Outcome::Ack];
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .dlx("q", "dlx", Some("second"))
        .bind("dlx", "q", "")
        .sim();
    let events = run(&mut sim, 2_000.0);
    let last = events
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::DeadLettered { x_death, .. } => Some(x_death.clone()),
            _ => None,
        })
        .expect("dead-lettered twice");
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].count, 2);
    assert_eq!(&*last[0].exchange, "ex", "the exchange of the first death");
    assert_eq!(
        last[0]
            .routing_keys
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>(),
        vec!["first"]
    );
}

/// sender-selected + dlx: without a dead-letter routing key, BCC keys route the
/// dead-lettered message again; headers exchanges never see the BCC header.
#[test]
fn bcc_keys_survive_dead_lettering_without_a_key() {
    let mut sim = Build::new()
        .producer("p", |p| {
            burst(1)(p);
            p.routing_key = queue_playground::core::scenario::Template::new("main");
            p.headers.insert("BCC".into(), serde_json::json!(["audit"]));
        })
        .exchange("x", "ex", Direct)
        .exchange("dlx", "dead", Direct)
        .queue("main", |q| q.message_ttl_ms = Some(10.0))
        .queue("audit", |_| {})
        .queue("dead-main", |_| {})
        .queue("dead-audit", |_| {})
        .publish("p", "x")
        .bind("x", "main", "main")
        .bind("x", "audit", "audit")
        .dlx("main", "dlx", None)
        .bind("dlx", "dead-main", "main")
        .bind("dlx", "dead-audit", "audit")
        .sim();
    run(&mut sim, 1_000.0);
    assert_eq!(
        ready_ids(&sim, "audit").len(),
        1,
        "BCC routed a copy at publish"
    );
    assert_eq!(ready_ids(&sim, "dead-main").len(), 1);
    assert_eq!(
        ready_ids(&sim, "dead-audit").len(),
        1,
        "and again when dead-lettered"
    );
    let dead = sim.peek_queue(node(&sim, "dead-main"));
    assert!(
        dead[0].x_death[0]
            .routing_keys
            .iter()
            .all(|k| &**k != "audit"),
        "x-death leaves BCC out"
    );
}

/// Overlapping outage windows: the consumer stays away until the last open window
/// ends (the end of an inner window must not bring it back early).
#[test]
fn overlapping_outages_keep_the_consumer_away_until_the_last_ends() {
    let window = |start_ms, end_ms| queue_playground::core::scenario::Outage { start_ms, end_ms };
    let mut sim = Build::new()
        .producer("p", |p| {
            p.rate_per_sec = 10.0;
            p.count = Some(80);
        })
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .consumer("c", |c| {
            c.prefetch = 5;
            c.processing = fixed(20.0);
            c.outages = vec![window(1_000.0, 5_000.0), window(2_000.0, 3_000.0)];
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .sim();
    run(&mut sim, 4_000.0);
    assert!(
        !consumer_report(&sim, "c").online,
        "still inside the outer window at 4 s"
    );
    let processed_at_4s = consumer_report(&sim, "c").stats.processed;
    run(&mut sim, 4_900.0);
    assert_eq!(consumer_report(&sim, "c").stats.processed, processed_at_4s);
    run(&mut sim, 20_000.0);
    assert!(consumer_report(&sim, "c").online);
    assert_eq!(sim.totals().acked, 80);
}

/// Switching a consumer on by hand inside a scheduled outage window does not end the
/// window; switching it off by hand keeps it off after the window ends.
#[test]
fn manual_switching_and_outage_windows_combine() {
    let mut sim = Build::new()
        .producer("p", |p| p.rate_per_sec = 0.0)
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .consumer("c", |c| {
            c.outages = vec![queue_playground::core::scenario::Outage {
                start_ms: 1_000.0,
                end_ms: 2_000.0,
            }];
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .sim();
    let c = node(&sim, "c");
    run(&mut sim, 1_500.0);
    sim.apply(Command::SetConsumerOnline {
        consumer: c,
        online: true,
    })
    .unwrap();
    assert!(!consumer_report(&sim, "c").online, "the window still holds");
    sim.apply(Command::SetConsumerOnline {
        consumer: c,
        online: false,
    })
    .unwrap();
    run(&mut sim, 3_000.0);
    assert!(!consumer_report(&sim, "c").online, "switched off by hand");
    sim.apply(Command::SetConsumerOnline {
        consumer: c,
        online: true,
    })
    .unwrap();
    assert!(consumer_report(&sim, "c").online);
}

/// An idempotent consumer remembers the last 100,000 message ids it processed
/// (README "Idempotent consumers"): a duplicate inside that window is skipped, and the
/// memory does not grow past it.
#[test]
fn idempotent_memory_is_a_bounded_window() {
    use queue_playground::core::actors::worker::SEEN_WINDOW;
    let n = SEEN_WINDOW as u64 + 500;
    let scenario = Build::new()
        .latency(0.0)
        .producer("p", burst(n))
        .exchange("x", "ex", Fanout)
        .queue("q", |_| {})
        .consumer("c", |c| {
            c.idempotent = true;
            c.processing = fixed(0.0);
            c.ack = AckMode::Auto;
        })
        .publish("p", "x")
        .bind("x", "q", "")
        .subscribe("q", "c")
        .done();
    let mut sim = Simulation::new(&scenario).unwrap();
    sim.run_until(queue_playground::core::kernel::time::SimTime::from_ms(
        1_000.0,
    ));
    let r = consumer_report(&sim, "c");
    assert_eq!(r.stats.processed, n);
    assert_eq!(r.stats.unique_processed, n);
    assert_eq!(sim.remembered_ids(node(&sim, "c")), Some(SEEN_WINDOW));
}

/// With hops that take no time (latency_ms 0), a loop can run for ever at one instant:
/// a message requeued to a consumer that takes no time, a consumer producing back into
/// the topic it reads, an SQS visibility timeout of 0 with nothing deleted (found by a
/// review: `qp simulate` hung, the browser ran out of memory and panicked). The run stops
/// there, says why, and goes no further; a run with latency 0 that ends is untouched.
#[test]
fn a_loop_at_one_instant_stops_the_run_with_a_reason() {
    use queue_playground::core::kernel::time::SimTime;
    use queue_playground::core::scenario::load_scenario;
    use queue_playground::core::Simulation;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stall");
    for file in [
        "requeue-loop.json",
        "kafka-produce-loop.json",
        "sqs-visibility-zero.json",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let s = load_scenario(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut sim = Simulation::new(&s).unwrap();
        sim.run_until(SimTime::from_ms(1000.0));
        let why = sim.stalled().unwrap_or_else(|| panic!("{file} stalls"));
        assert!(why.contains("latency_ms"), "{file}: {why}");
        let at = sim.now();
        assert!(
            at < SimTime::from_ms(1000.0),
            "{file}: the clock stays where it stalled"
        );
        let steps = sim.steps();
        sim.run_until(SimTime::from_ms(2000.0));
        assert_eq!((sim.now(), sim.steps()), (at, steps), "{file}: no further");
        assert!(sim.check_conservation().held, "{file}");
    }
    // latency 0 with work that takes time: no stall.
    let s = queue_playground::gallery::pattern("work-queue").unwrap();
    let mut s = s.clone();
    s.latency_ms = 0.0;
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_until(SimTime::from_ms(30_000.0));
    assert_eq!(sim.stalled(), None);
    assert_eq!(sim.now(), SimTime::from_ms(30_000.0));
}

/// A loop that multiplies messages (a consumer forwarding each one twice back to the
/// exchange it reads from: a review found `qp simulate` ran until killed, memory
/// doubling every 600 ms) stops the run once it holds more messages than it has room
/// for, with a reason, and goes no further. The limit is lowered here so the test
/// reaches it quickly; `qp` stops the same file at 5,000,000.
#[test]
fn a_run_that_multiplies_messages_stops_when_it_holds_too_many() {
    use queue_playground::core::kernel::time::SimTime;
    use queue_playground::core::scenario::load_scenario;
    use queue_playground::core::Simulation;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stall/forward-twice-loop.json");
    let s = load_scenario(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.limit_messages_held(20_000);
    sim.run_until(SimTime::from_ms(600_000.0));
    let why = sim.stalled().expect("stops");
    assert!(why.contains("over the 20,000 it has room for"), "{why}");
    let at = sim.now();
    assert!(
        at < SimTime::from_ms(600_000.0),
        "the clock stays where it stopped"
    );
    let steps = sim.steps();
    sim.run_until(SimTime::from_ms(700_000.0));
    assert_eq!((sim.now(), sim.steps()), (at, steps), "no further");
    assert!(sim.check_conservation().held);
    // The same diagram with one forward is a steady flow and runs to the end.
    let mut once = s.clone();
    once.edges.retain(|e| e.id != "e5");
    let mut sim = Simulation::new(&once).unwrap();
    sim.limit_messages_held(20_000);
    sim.run_until(SimTime::from_ms(60_000.0));
    assert_eq!(sim.stalled(), None);
}

/// A prefetch past basic.qos's 16-bit count is refused in a file, as the inspector
/// refuses it (a review found 4,294,967,295 accepted).
#[test]
fn prefetch_stops_at_basic_qos_sixteen_bits() {
    use queue_playground::core::scenario::{validate, NodeKind, NodeSpec};
    let mut s = queue_playground::gallery::pattern("work-queue").unwrap();
    let c = s
        .nodes
        .iter_mut()
        .find(|n| n.kind() == NodeKind::Consumer)
        .unwrap();
    let mut spec = c.consumer_spec();
    spec.prefetch = 65_535;
    c.spec = NodeSpec::Consumer(spec.clone());
    assert!(validate(&s).is_empty());
    spec.prefetch = 65_536;
    let c = s
        .nodes
        .iter_mut()
        .find(|n| n.kind() == NodeKind::Consumer)
        .unwrap();
    c.spec = NodeSpec::Consumer(spec);
    assert!(validate(&s)
        .iter()
        .any(|p| p.path.ends_with("consumer.prefetch") && p.message.contains("65,535")));
}
