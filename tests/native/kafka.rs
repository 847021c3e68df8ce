//! Kafka (the `log` family), checked against Kafka's own rules: the default
//! partitioner (`Utils.murmur2`, `BuiltInPartitioner`; keys cross-checked with
//! kafka-python's Java-compatible `murmur2`), consumer groups (extra members idle, a
//! crash noticed after `session.timeout.ms`, a clean leave at once, new owners start
//! at the committed offset, never 0), commits (after = at-least-once, before =
//! at-most-once), `max.poll.interval.ms` eviction, retention by whole segments,
//! compaction (latest value per key, offsets kept, tombstones removed after
//! `delete.retention.ms`), the version-2 format, and conservation with the log's
//! ledger after every step.

use queue_playground::core::families::log::partitioner::{murmur2, partition_for_key};
use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::model::ids::NodeId;
use queue_playground::core::report::Report;
use queue_playground::core::scenario::load_scenario;
use queue_playground::core::{Command, Simulation};
use serde_json::{json, Value};

/// A producer `p` (named `api`) → topic `t` (`orders`) → consumers `c1`… in group
/// `g`, with the given sections merged in.
fn diagram(producer: Value, topic: Value, consumers: &[(&str, Value, Value)]) -> String {
    let mut nodes = vec![
        json!({"id": "p", "kind": "producer", "name": "api", "producer": producer}),
        json!({"id": "t", "kind": "kafka-topic", "name": "orders", "kafka_topic": topic}),
    ];
    let mut edges = vec![json!({"id": "pe", "from": "p", "to": "t", "kind": "produce"})];
    for (id, consumer, consume) in consumers {
        nodes.push(json!({"id": id, "kind": "consumer", "name": id, "consumer": consumer}));
        edges.push(json!({"id": format!("e-{id}"), "from": "t", "to": id, "kind": "consume", "consume": consume}));
    }
    json!({"version": 2, "seed": 5, "latency_ms": 10, "nodes": nodes, "edges": edges}).to_string()
}

fn sim(text: &str) -> Simulation {
    let s = load_scenario(text).unwrap_or_else(|e| panic!("loads: {e}"));
    Simulation::new(&s).unwrap()
}

/// Runs to `ms`, checking conservation (parcels and the log's ledger) every 50 ms.
fn run(sim: &mut Simulation, ms: f64) -> Report {
    let mut t = sim.now().as_ms();
    while t < ms {
        t = (t + 50.0).min(ms);
        sim.run_until(SimTime::from_ms(t));
        let c = sim.check_conservation();
        assert!(c.held, "conservation at {t} ms: {:?}", c.problems);
    }
    sim.report()
}

fn fixed(ms: f64) -> Value {
    json!({"processing": {"dist": "fixed", "ms": ms}})
}

/// Keys from kafka-python 2.x `kafka.partitioner.default.murmur2` (Java-compatible,
/// unsigned), and their partitions `(h & 0x7fffffff) % n` for n = 3, 4, 6, 12.
#[test]
fn keys_are_placed_as_the_java_client_places_them() {
    let table: [(&str, u32, [u32; 4]); 9] = [
        ("order-1", 1_221_710_326, [1, 2, 4, 10]),
        ("order-2", 3_239_468_291, [0, 3, 3, 3]),
        ("customer-42", 3_751_979_801, [0, 1, 3, 9]),
        ("alice", 1_951_417_749, [0, 1, 3, 9]),
        ("bob", 2_246_822_606, [0, 2, 0, 6]),
        ("carol", 271_431_602, [2, 2, 2, 2]),
        ("", 275_646_681, [0, 1, 3, 9]),
        ("日本", 3_594_156_275, [0, 3, 3, 3]),
        ("k", 2_727_470_560, [2, 0, 2, 8]),
    ];
    for (key, hash, parts) in table {
        assert_eq!(murmur2(key.as_bytes()) as u32, hash, "{key}");
        for (n, want) in [3, 4, 6, 12].into_iter().zip(parts) {
            assert_eq!(partition_for_key(key, n), want, "{key} over {n}");
        }
    }
}

#[test]
fn keyed_records_keep_their_order_within_a_partition() {
    let text = diagram(
        json!({"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 60, "spread_ms": 600}],
               "key": "{cycle:alice|bob|carol}", "payload": "{n}"}),
        json!({"partitions": 3}),
        &[],
    );
    let mut s = sim(&text);
    s.keep_processed_payloads(true);
    run(&mut s, 1_000.0);
    let topics = s.contents().topics;
    let parts = &topics["orders"];
    for (p, records) in parts {
        let offsets: Vec<u64> = records.iter().map(|r| r.offset).collect();
        assert_eq!(
            offsets,
            (0..records.len() as u64).collect::<Vec<_>>(),
            "partition {p}"
        );
        for r in records {
            let key = r.key.as_deref().unwrap();
            assert_eq!(
                partition_for_key(key, 3).to_string(),
                *p,
                "{key} sits in its partition"
            );
        }
        // Values of one key ascend: produced order is kept inside the partition.
        for key in ["alice", "bob", "carol"] {
            let values: Vec<u64> = records
                .iter()
                .filter(|r| r.key.as_deref() == Some(key))
                .map(|r| r.value.as_deref().unwrap().parse().unwrap())
                .collect();
            assert!(values.windows(2).all(|w| w[0] < w[1]), "{key}: {values:?}");
        }
    }
    // alice, bob and carol hash to partitions 0, 0 and 2 of 3: partition 1 is empty.
    assert!(parts["1"].is_empty());
    assert_eq!(parts["0"].len(), 40);
}

#[test]
fn records_without_a_key_stick_to_a_partition_for_a_batch() {
    // 100-byte values: a sticky partition takes 16,384 bytes (164 records) before the
    // producer moves on.
    let value = "x".repeat(100);
    let text = diagram(
        json!({"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 400, "spread_ms": 400}], "payload": value}),
        json!({"partitions": 6}),
        &[],
    );
    let mut s = sim(&text);
    run(&mut s, 600.0);
    let mut sizes: Vec<usize> = s.contents().topics["orders"]
        .values()
        .map(Vec::len)
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes.iter().sum::<usize>(), 400);
    assert!(
        sizes.iter().all(|n| *n == 0 || *n >= 72),
        "whole batches: {sizes:?}"
    );
    assert!(*sizes.last().unwrap() >= 164, "{sizes:?}");
}

#[test]
fn extra_members_sit_idle_and_each_partition_has_one_owner() {
    let consumers: Vec<(&str, Value, Value)> = ["c1", "c2", "c3", "c4", "c5"]
        .iter()
        .map(|id| {
            (
                *id,
                fixed(5.0),
                json!({"group": "g", "auto_offset_reset": "earliest"}),
            )
        })
        .collect();
    let text = diagram(
        json!({"rate_per_sec": 50, "key": "k{n}"}),
        json!({"partitions": 3}),
        &consumers,
    );
    let mut s = sim(&text);
    let r = run(&mut s, 3_000.0);
    let g = &r.groups["g"];
    assert_eq!(
        g.assignment.len(),
        5,
        "all five are members: {:?}",
        g.assignment
    );
    let idle = g.assignment.values().filter(|l| l.is_empty()).count();
    assert_eq!(idle, 2);
    let mut all: Vec<&String> = g.assignment.values().flatten().collect();
    all.sort();
    assert_eq!(all, ["orders-0", "orders-1", "orders-2"]);
    // Range over members sorted by id: c1 p0, c2 p1, c3 p2.
    assert_eq!(g.assignment["c1"], ["orders-0"]);
    assert_eq!(g.assignment["c3"], ["orders-2"]);
}

#[test]
fn a_crash_is_noticed_after_the_session_timeout_and_the_new_owner_resumes_at_the_commit() {
    let consume = json!({"group": "g", "auto_offset_reset": "earliest", "commit": "after",
                         "session_timeout_ms": 3000});
    let text = diagram(
        json!({"rate_per_sec": 20, "key": "k{n}"}),
        json!({"partitions": 2}),
        &[
            (
                "c1",
                json!({"processing": {"dist": "fixed", "ms": 20}, "restart_ms": 100000}),
                consume.clone(),
            ),
            ("c2", fixed(20.0), consume),
        ],
    );
    let mut s = sim(&text);
    let before = run(&mut s, 2_000.0);
    let g = &before.groups["g"];
    assert_eq!(g.assignment["c1"], ["orders-0"]);
    let committed_before = g.partitions["orders-0"].committed.unwrap();
    assert!(committed_before > 0);
    let generation = g.generation;
    s.apply(Command::CrashConsumer {
        consumer: NodeId(2),
    })
    .unwrap();
    // Within the session timeout nothing changes: partition 0 is owned, unread.
    let during = run(&mut s, 4_500.0);
    let g = &during.groups["g"];
    assert_eq!(g.generation, generation, "not noticed yet");
    assert!(
        g.partitions["orders-0"].lag > 10,
        "partition 0 piles up: {:?}",
        g.partitions
    );
    // After it, c2 owns both and reads partition 0 on from the committed offset.
    let after = run(&mut s, 8_000.0);
    let g = &after.groups["g"];
    assert!(g.generation > generation);
    assert_eq!(g.assignment["c2"], ["orders-0", "orders-1"]);
    assert!(!g.assignment.contains_key("c1"));
    assert!(g.partitions["orders-0"].committed.unwrap() > committed_before);
    assert!(
        g.partitions["orders-0"].lag <= 2,
        "caught up: {:?}",
        g.partitions
    );
}

#[test]
fn a_consumer_switched_off_leaves_at_once() {
    let consume = json!({"group": "g", "auto_offset_reset": "earliest"});
    let text = diagram(
        json!({"rate_per_sec": 10, "key": "k{n}"}),
        json!({"partitions": 2}),
        &[
            ("c1", fixed(5.0), consume.clone()),
            ("c2", fixed(5.0), consume),
        ],
    );
    let mut s = sim(&text);
    let r = run(&mut s, 1_000.0);
    let generation = r.groups["g"].generation;
    s.apply(Command::SetConsumerOnline {
        consumer: NodeId(2),
        online: false,
    })
    .unwrap();
    let r = run(&mut s, 1_200.0);
    assert_eq!(
        r.groups["g"].generation,
        generation + 1,
        "rebalanced within two hops"
    );
    assert_eq!(r.groups["g"].assignment["c2"], ["orders-0", "orders-1"]);
    s.apply(Command::SetConsumerOnline {
        consumer: NodeId(2),
        online: true,
    })
    .unwrap();
    let r = run(&mut s, 1_400.0);
    assert_eq!(r.groups["g"].assignment.len(), 2, "it joined again");
}

#[test]
fn two_groups_each_read_everything() {
    let text = diagram(
        json!({"rate_per_sec": 0, "bursts": [{"at_ms": 100, "count": 30, "spread_ms": 300}], "key": "k{n}"}),
        json!({"partitions": 3}),
        &[
            (
                "billing",
                fixed(2.0),
                json!({"group": "billing", "commit": "after"}),
            ),
            (
                "audit",
                fixed(2.0),
                json!({"group": "audit", "commit": "after"}),
            ),
        ],
    );
    let mut s = sim(&text);
    let r = run(&mut s, 2_000.0);
    assert_eq!(r.consumers["billing"].stats.processed, 30);
    assert_eq!(r.consumers["audit"].stats.processed, 30);
    for g in ["billing", "audit"] {
        assert!(r.groups[g].partitions.values().all(|p| p.lag == 0), "{g}");
    }
    assert_eq!(r.topics["orders"].records, 30, "reading removes nothing");
}

/// `enable.auto.commit`: a consumer's poll loop keeps calling `poll` while nothing
/// arrives, and each call commits once `auto.commit.interval.ms` has passed
/// (`ConsumerCoordinator.maybeAutoCommitOffsetsAsync`, called from
/// `KafkaConsumer.poll`). So a group that has read everything is committed up to the
/// end within one interval, and its lag drops to 0; not before the interval.
#[test]
fn auto_commit_catches_up_while_the_consumer_waits_for_records() {
    let text = diagram(
        json!({"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 30, "spread_ms": 300}], "key": "k{n}"}),
        json!({"partitions": 3}),
        &[(
            "worker",
            fixed(2.0),
            json!({"group": "g", "commit": "auto", "auto_commit_interval_ms": 5000, "auto_offset_reset": "earliest"}),
        )],
    );
    let mut s = sim(&text);
    let early = run(&mut s, 3_000.0);
    assert_eq!(early.consumers["worker"].stats.processed, 30);
    assert!(
        early.groups["g"].partitions.values().any(|p| p.lag > 0),
        "not committed before the interval: {:?}",
        early.groups["g"].partitions
    );
    let r = run(&mut s, 6_000.0);
    assert!(
        r.groups["g"].partitions.values().all(|p| p.lag == 0),
        "committed to the end within one interval: {:?}",
        r.groups["g"].partitions
    );
    // Nothing left to commit: the same afterwards.
    let quiet = run(&mut s, 60_000.0);
    assert_eq!(quiet.groups["g"].partitions, r.groups["g"].partitions);
}

#[test]
fn commit_after_is_at_least_once_and_before_is_at_most_once() {
    let run_with = |commit: &str| {
        let consume = json!({"group": "g", "auto_offset_reset": "earliest", "commit": commit,
                             "session_timeout_ms": 500});
        // Every 5th record: the work is done, then the consumer crashes before it
        // commits (after) — or after it committed (before).
        let consumer = json!({"processing": {"dist": "fixed", "ms": 10}, "restart_ms": 50,
                              "pattern": ["ack", "ack", "ack", "ack", "crash"]});
        let text = diagram(
            json!({"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 40, "spread_ms": 0}], "key": "k"}),
            json!({"partitions": 1}),
            &[("c", consumer, consume)],
        );
        let mut s = sim(&text);
        s.keep_processed_payloads(true);
        run(&mut s, 20_000.0);
        let done = s.contents().workers["c"].clone();
        let mut unique = done.clone();
        unique.sort();
        unique.dedup();
        (done.len(), unique.len())
    };
    let (after_all, after_unique) = run_with("after");
    assert_eq!(after_unique, 40, "after: nothing lost");
    assert!(after_all > 40, "after: duplicates ({after_all})");
    let (before_all, before_unique) = run_with("before");
    assert_eq!(before_all, before_unique, "before: no duplicates");
    assert!(before_unique < 40, "before: records lost ({before_unique})");
}

#[test]
fn a_member_slower_than_max_poll_interval_is_evicted_and_its_commits_fail() {
    let text = diagram(
        json!({"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 20, "spread_ms": 0}], "key": "k"}),
        json!({"partitions": 1}),
        &[(
            "slow",
            fixed(200.0),
            json!({"group": "g", "auto_offset_reset": "earliest", "commit": "after",
                   "max_poll_interval_ms": 1000, "max_poll_records": 10}),
        )],
    );
    let mut s = sim(&text);
    let r = run(&mut s, 10_000.0);
    let g = &r.groups["g"];
    assert!(g.commits_failed > 0, "{g:?}");
    assert!(g.rebalances >= 3, "evicted and joined again: {g:?}");
    assert!(
        r.consumers["slow"].stats.processed > 20,
        "records read again"
    );
}

#[test]
fn retention_deletes_whole_old_segments_and_a_slow_group_skips() {
    let text = diagram(
        json!({"rate_per_sec": 100, "key": "k{n}", "payload": "0123456789"}),
        json!({"partitions": 1, "retention_ms": 2000, "segment_bytes": 200}),
        &[(
            "late",
            json!({"processing": {"dist": "fixed", "ms": 1}, "outages": [{"start_ms": 500, "end_ms": 6000}]}),
            json!({"group": "g", "auto_offset_reset": "earliest", "commit": "after"}),
        )],
    );
    let mut s = sim(&text);
    let r = run(&mut s, 5_000.0);
    let t = &r.topics["orders"];
    assert!(t.deleted > 0, "{t:?}");
    assert_eq!(t.appended, t.records + t.deleted);
    let status = s.node_status(NodeId(1)).unwrap();
    let queue_playground::core::model::status::NodeStatus::KafkaTopic { partitions, .. } = status
    else {
        panic!("a topic");
    };
    // Nothing older than retention + one segment's span survives; the log start moved.
    assert!(partitions[0].log_start > 0);
    assert!(partitions[0].log_end - partitions[0].log_start < 400);
    let r = run(&mut s, 7_000.0);
    assert!(
        r.groups["g"].skipped > 0,
        "the late group skipped what retention removed"
    );
}

#[test]
fn compaction_keeps_the_latest_value_of_each_key_at_its_offset() {
    let s = json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [{"id": "t", "kind": "kafka-topic", "name": "prices",
                   "kafka_topic": {"partitions": 1, "cleanup_policy": "compact", "segment_ms": 1000,
                                   "delete_retention_ms": 2000}}],
        "edges": [],
        "script": [
            {"op": "produce", "at_ms": 0, "topic": "prices", "key": "apple", "value": "1"},
            {"op": "produce", "at_ms": 10, "topic": "prices", "key": "pear", "value": "2"},
            {"op": "produce", "at_ms": 20, "topic": "prices", "key": "apple", "value": "3"},
            {"op": "produce", "at_ms": 30, "topic": "prices", "key": "pear", "value": null},
            {"op": "produce", "at_ms": 40, "topic": "prices", "value": "no key"},
            {"op": "produce", "at_ms": 1500, "topic": "prices", "key": "plum", "value": "4"}
        ]
    })
    .to_string();
    let scenario = load_scenario(&s).unwrap();
    let mut sim = Simulation::new(&scenario).unwrap();
    let r = run(&mut sim, 2_000.0);
    let held: Vec<(u64, Option<String>, Option<String>)> = sim.contents().topics["prices"]["0"]
        .iter()
        .map(|r| (r.offset, r.key.clone(), r.value.clone()))
        .collect();
    // apple@0 and pear@1 are superseded; the tombstone for pear stays a while.
    assert_eq!(
        held,
        [
            (2, Some("apple".into()), Some("3".into())),
            (3, Some("pear".into()), None),
            (4, Some("plum".into()), Some("4".into())),
        ]
    );
    // The record without a key was refused (a compacted topic needs keys).
    assert_eq!(r.totals.dropped_by_reason["invalid_record"], 1);
    let results = serde_json::to_value(sim.script_results()).unwrap();
    assert_eq!(results, json!([{"step": 4, "refused": true}]));
    // delete.retention.ms counts from the first cleaning that saw the tombstone (at
    // about 2 s, once its segment closed), not from its append: still there at 3.5 s,
    // gone after that.
    run(&mut sim, 3_500.0);
    assert_eq!(sim.contents().topics["prices"]["0"].len(), 3);
    run(&mut sim, 5_000.0);
    let keys: Vec<Option<String>> = sim.contents().topics["prices"]["0"]
        .iter()
        .map(|r| r.key.clone())
        .collect();
    assert_eq!(keys, [Some("apple".into()), Some("plum".into())]);
}

/// The keys and values held in partition 0 of `topic`.
fn held(sim: &Simulation, topic: &str) -> Vec<(Option<String>, Option<String>)> {
    sim.contents().topics[topic]["0"]
        .iter()
        .map(|r| (r.key.clone(), r.value.clone()))
        .collect()
}

fn some(k: &str, v: Option<&str>) -> (Option<String>, Option<String>) {
    (Some(k.into()), v.map(Into::into))
}

/// `min.compaction.lag.ms` holds back whole segments: the cleanable part of the log ends
/// at the first segment holding a record younger than the lag (LogCleanerManager
/// .cleanableOffsets), and only records below it are compacted, by the keys found
/// below it (LogCleaner builds its offset map there). `a=1` stays while `a=2`'s segment
/// is too young, however old `a=1` is.
#[test]
fn the_compaction_lag_holds_back_whole_segments() {
    let produce = |at: f64, k: &str, v: &str| json!({"op": "produce", "at_ms": at, "topic": "prices", "key": k, "value": v});
    let text = json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [{"id": "t", "kind": "kafka-topic", "name": "prices", "kafka_topic": {"partitions": 1,
            "cleanup_policy": "compact", "segment_ms": 1000, "min_compaction_lag_ms": 10000}}],
        "edges": [],
        "script": [produce(0.0, "a", "1"), produce(1500.0, "a", "2"), produce(3000.0, "b", "1")]
    })
    .to_string();
    let mut sim = Simulation::new(&load_scenario(&text).unwrap()).unwrap();
    run(&mut sim, 11_000.0);
    assert_eq!(
        held(&sim, "prices"),
        [
            some("a", Some("1")),
            some("a", Some("2")),
            some("b", Some("1"))
        ]
    );
    run(&mut sim, 12_600.0);
    assert_eq!(
        held(&sim, "prices"),
        [some("a", Some("2")), some("b", Some("1"))]
    );
}

/// A tombstone's `delete.retention.ms` runs from the first cleaning that saw it: the
/// cleaner stamps a delete horizon of now + delete.retention.ms on the batch
/// (MemoryRecords.filterTo, `deleteHorizonMs`) and keeps the tombstone until then
/// (LogCleaner.shouldRetainRecord), so a reader from the log start sees it for at least
/// that long after it became cleanable.
#[test]
fn a_tombstone_lives_delete_retention_ms_after_its_first_cleaning() {
    let produce = |at: f64, k: &str, v: Option<&str>| json!({"op": "produce", "at_ms": at, "topic": "prices", "key": k, "value": v});
    let text = json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [{"id": "t", "kind": "kafka-topic", "name": "prices", "kafka_topic": {"partitions": 1,
            "cleanup_policy": "compact", "segment_ms": 12000, "delete_retention_ms": 6000}}],
        "edges": [],
        "script": [produce(0.0, "a", Some("1")), produce(10.0, "a", None), produce(12_000.0, "b", Some("1"))]
    })
    .to_string();
    let mut sim = Simulation::new(&load_scenario(&text).unwrap()).unwrap();
    run(&mut sim, 15_000.0);
    // The first cleaning (after b closed the segment at 12 s) took a=1 and kept the
    // tombstone, though it was appended 15 s ago.
    assert_eq!(
        held(&sim, "prices"),
        [some("a", None), some("b", Some("1"))]
    );
    run(&mut sim, 20_000.0);
    assert_eq!(held(&sim, "prices"), [some("b", Some("1"))]);
}

#[test]
fn kafka_needs_version_2_and_is_checked_by_field() {
    let text =
        diagram(json!({}), json!({"partitions": 2}), &[]).replace("\"version\":2", "\"version\":1");
    let err = load_scenario(&text).unwrap_err().to_string();
    assert_eq!(
        err,
        "nodes[1].kind: is a version 2 feature: the file needs \"version\": 2"
    );
    let bad = diagram(
        json!({"partition": 5}),
        json!({"partitions": 0}),
        &[("c", json!({}), json!({"max_poll_records": 0}))],
    );
    let err = load_scenario(&bad).unwrap_err().to_string();
    assert!(
        err.contains("nodes[1].kafka_topic.partitions: must be between 1 and 64"),
        "{err}"
    );
    assert!(
        err.contains("edges[1].consume.max_poll_records: must be at least 1"),
        "{err}"
    );
    // A version-2 diagram written back is version 2 and reads the same.
    let s = load_scenario(&diagram(
        json!({"key": "{n}"}),
        json!({"partitions": 2}),
        &[],
    ))
    .unwrap();
    assert_eq!(s.lowest_version(), 2);
    let again = load_scenario(&serde_json::to_string(&s.at_lowest_version()).unwrap()).unwrap();
    assert_eq!(again, s);
}

#[test]
fn runs_are_deterministic() {
    let consume = json!({"group": "g", "assignor": "cooperative-sticky"});
    let text = diagram(
        json!({"rate_per_sec": 40, "payload": "v{n}"}),
        json!({"partitions": 4}),
        &[
            (
                "c1",
                json!({"processing": {"dist": "exponential", "mean_ms": 30}, "outcomes": {"crash": 0.02}}),
                consume.clone(),
            ),
            (
                "c2",
                json!({"processing": {"dist": "exponential", "mean_ms": 30}}),
                consume.clone(),
            ),
            (
                "c3",
                json!({"processing": {"dist": "uniform", "min_ms": 5, "max_ms": 60}, "outages": [{"start_ms": 2000, "end_ms": 4000}]}),
                consume,
            ),
        ],
    );
    let a = serde_json::to_string(&run(&mut sim(&text), 8_000.0)).unwrap();
    let b = serde_json::to_string(&run(&mut sim(&text), 8_000.0)).unwrap();
    assert_eq!(a, b);
}

// ---- the gallery's Kafka patterns: one defining outcome each ---------------------

fn pattern_sim(id: &str) -> Simulation {
    let s = queue_playground::gallery::pattern(id).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.keep_processed_payloads(true);
    sim
}

/// `order {n}` → n.
fn number(payload: &str) -> u64 {
    payload.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn kafka_partitions_keeps_each_customers_orders_in_order_on_one_worker() {
    let mut s = pattern_sim("kafka-partitions");
    run(&mut s, 40_000.0);
    let workers = s.contents().workers;
    let keys = ["alice", "bob", "carol", "dave", "erin"];
    let mut owner: std::collections::BTreeMap<&str, &String> = Default::default();
    for (worker, done) in &workers {
        assert!(!done.is_empty(), "{worker} worked");
        for key in keys {
            let mine: Vec<u64> = done
                .iter()
                .map(|p| number(p))
                .filter(|n| keys[((n - 1) % 5) as usize] == key)
                .collect();
            if mine.is_empty() {
                continue;
            }
            assert!(
                mine.windows(2).all(|w| w[0] < w[1]),
                "{key} in order at {worker}"
            );
            assert!(
                owner.insert(key, worker).is_none(),
                "{key} read by one worker only"
            );
        }
    }
    // Across partitions there is no order: some worker finishes a later order before
    // another worker finishes an earlier one.
    let lens: Vec<usize> = workers.values().map(Vec::len).collect();
    assert!(
        lens.iter().max() > lens.iter().min(),
        "uneven lanes: {lens:?}"
    );
}

#[test]
fn kafka_consumer_groups_idles_extras_and_rebalances_after_the_session_timeout() {
    let mut s = pattern_sim("kafka-consumer-groups");
    let r = run(&mut s, 5_000.0);
    let g = &r.groups["billing"];
    assert_eq!(
        g.assignment.values().filter(|l| l.is_empty()).count(),
        2,
        "{g:?}"
    );
    let generation = g.generation;
    let owned = g.assignment["billing-1"].clone();
    // billing-1 crashes on its 8th record (about 7 s in); for 10 s nothing moves.
    let r = run(&mut s, 14_000.0);
    assert_eq!(r.consumers["b1"].stats.crashes, 1);
    assert_eq!(
        r.groups["billing"].generation, generation,
        "not noticed yet"
    );
    let lag_during = r.groups["billing"].partitions[&owned[0]].lag;
    assert!(lag_during >= 3, "its partition piles up: {lag_during}");
    let committed = r.groups["billing"].partitions[&owned[0]].committed.unwrap();
    let r = run(&mut s, 22_000.0);
    let g = &r.groups["billing"];
    assert!(g.generation > generation);
    for other in ["billing-2", "billing-3", "billing-4"] {
        assert_eq!(
            g.assignment[other].len(),
            1,
            "sticky: {other} keeps its partition"
        );
    }
    assert!(!g.assignment.contains_key("billing-1"));
    assert_eq!(
        g.assignment["billing-5"], owned,
        "an idle member took it over"
    );
    assert!(committed > 0);
    // The record billing-1 crashed on was done but not committed: read again.
    let done: Vec<String> = s.contents().workers.values().flatten().cloned().collect();
    let mut unique = done.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        done.len(),
        unique.len() + 1,
        "exactly one record read twice"
    );
}

#[test]
fn kafka_replay_reads_the_history_from_offset_zero() {
    let mut s = pattern_sim("kafka-replay");
    let r = run(&mut s, 19_000.0);
    assert_eq!(r.consumers["analytics"].stats.processed, 0);
    assert!(r.consumers["billing"].stats.processed > 30);
    run(&mut s, 40_000.0);
    let workers = s.contents().workers;
    let analytics: Vec<u64> = workers["analytics"].iter().map(|p| number(p)).collect();
    assert!(analytics.contains(&1), "analytics read the first order");
    let mut billing: Vec<u64> = workers["billing"].iter().map(|p| number(p)).collect();
    billing.sort_unstable();
    let mut sorted = analytics.clone();
    sorted.sort_unstable();
    assert!(
        sorted.len() + 3 >= billing.len(),
        "analytics caught up: {} vs {}",
        sorted.len(),
        billing.len()
    );
}

#[test]
fn kafka_compaction_keeps_the_latest_price_of_each_product() {
    let mut s = pattern_sim("kafka-compaction");
    let r = run(&mut s, 40_000.0);
    let t = &r.topics["prices"];
    assert!(t.compacted > 0 && t.records < t.appended / 4, "{t:?}");
    let held = &s.contents().topics["prices"]["0"];
    for (i, key) in ["apple", "pear", "plum"].iter().enumerate() {
        let latest = held
            .iter()
            .rev()
            .find(|r| r.key.as_deref() == Some(key))
            .unwrap();
        // Price n goes to key (n-1) % 3: the newest price of each key survives.
        let newest = (1..=t.appended)
            .rev()
            .find(|n| (n - 1) % 3 == i as u64)
            .unwrap();
        let value = latest.value.as_deref().unwrap();
        assert!(
            number(value) + 3 >= newest,
            "{key}: {value} vs price {newest}"
        );
    }
    // Offsets never change: the first record held is far past 0, yet the log start
    // stays at 0 (compaction leaves gaps, it does not renumber).
    assert!(held[0].offset > 30, "first held offset {}", held[0].offset);
    let status = s.node_status(NodeId(1)).unwrap();
    let queue_playground::core::model::status::NodeStatus::KafkaTopic { partitions, .. } = status
    else {
        panic!("a topic");
    };
    assert_eq!(partitions[0].log_start, 0);
}

#[test]
fn kafka_vs_rabbitmq_the_queue_forgets_and_the_log_keeps() {
    let mut s = pattern_sim("kafka-vs-rabbitmq");
    let r = run(&mut s, 40_000.0);
    let q = &r.queues["q"];
    assert!(q.ready <= 3, "the queue stays near empty: {}", q.ready);
    let t = &r.topics["orders-log"];
    assert_eq!(t.records, t.appended, "the log keeps everything");
    let audit = r.consumers["audit"].stats.processed;
    assert!(
        audit + 3 >= t.appended,
        "audit read it all although it came late: {audit} of {}",
        t.appended
    );
    let acked = r.consumers["w1"].stats.processed + r.consumers["w2"].stats.processed;
    let fulfilled = r.consumers["k1"].stats.processed + r.consumers["k2"].stats.processed;
    assert!(acked > 60 && fulfilled > 60);
}

// ---- property: random Kafka worlds conserve and replay -----------------------------

mod properties {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    struct KafkaWorld {
        text: String,
        commands: Vec<(u32, bool, usize, bool)>, // (ms, crash?, consumer, online)
    }

    fn world() -> impl Strategy<Value = KafkaWorld> {
        (
            1u32..6,
            (any::<bool>(), 100u32..3000, 30u64..400),
            proptest::collection::vec((0u8..3, 1u32..40, proptest::option::of(0u32..6)), 1..3),
            proptest::collection::vec(
                (0usize..3, 0u8..4, 0u8..3, 0u8..2, 1u32..20, 200u32..2000, 300u32..3000, (0u32..3, 0u32..3, 0u32..3), proptest::option::of((0u32..3000, 0u32..3000))),
                1..6,
            ),
            proptest::collection::vec((0u32..4000, any::<bool>(), 0usize..6, any::<bool>()), 0..6),
            any::<u64>(),
        )
            .prop_map(|(partitions, (compact, retention, segment), producers, consumers, commands, seed)| {
                let mut nodes = vec![json!({"id": "t", "kind": "kafka-topic", "name": "t", "kafka_topic": {
                    "partitions": partitions,
                    "cleanup_policy": if compact { "compact" } else { "delete" },
                    "retention_ms": retention, "segment_bytes": segment, "delete_retention_ms": retention / 2
                }})];
                let mut edges = Vec::new();
                for (i, (keying, rate, partition)) in producers.iter().enumerate() {
                    let mut p = json!({"rate_per_sec": rate, "payload": "v{n}"});
                    match keying {
                        0 => {}
                        1 => p["key"] = json!("k{cycle:a|b|c|d}"),
                        _ => p["key"] = json!("{n}"),
                    }
                    if let Some(part) = partition {
                        p["partition"] = json!(part % partitions);
                    }
                    nodes.push(json!({"id": format!("p{i}"), "kind": "producer", "name": format!("p{i}"), "producer": p}));
                    edges.push(json!({"id": format!("pe{i}"), "from": format!("p{i}"), "to": "t", "kind": "produce"}));
                }
                for (i, (group, assignor, commit, reset, max_poll, session, interval, (rq, rj, cr), outage)) in consumers.iter().enumerate() {
                    let mut c = json!({"processing": {"dist": "exponential", "mean_ms": 30}, "restart_ms": 150,
                        "outcomes": {"requeue": *rq as f64 * 0.05, "reject": *rj as f64 * 0.05, "crash": *cr as f64 * 0.03}});
                    if let Some((a, b)) = outage {
                        c["outages"] = json!([{"start_ms": a.min(b), "end_ms": a.max(b)}]);
                    }
                    nodes.push(json!({"id": format!("c{i}"), "kind": "consumer", "name": format!("c{i}"), "consumer": c}));
                    let assignor = ["range", "roundrobin", "sticky", "cooperative-sticky"][*assignor as usize];
                    let commit = ["auto", "after", "before"][*commit as usize];
                    let reset = ["latest", "earliest"][*reset as usize];
                    edges.push(json!({"id": format!("ce{i}"), "from": "t", "to": format!("c{i}"), "kind": "consume", "consume": {
                        "group": format!("g{group}"),
                        "assignor": assignor,
                        "commit": commit,
                        "auto_offset_reset": reset,
                        "auto_commit_interval_ms": 300,
                        "max_poll_records": max_poll, "session_timeout_ms": session, "max_poll_interval_ms": interval
                    }}));
                }
                let text = json!({"version": 2, "seed": seed, "latency_ms": 15, "nodes": nodes, "edges": edges}).to_string();
                KafkaWorld { text, commands }
            })
    }

    fn replay(
        w: &KafkaWorld,
    ) -> Result<(Vec<queue_playground::core::model::events::Event>, String), String> {
        let s = load_scenario(&w.text).map_err(|e| format!("invalid generated scenario: {e}"))?;
        let mut sim = Simulation::new(&s).unwrap();
        sim.set_recording(true);
        let mut commands = w.commands.clone();
        commands.sort_by_key(|c| c.0);
        let consumers = s.nodes.iter().filter(|n| n.id.starts_with('c')).count();
        let mut events = Vec::new();
        let mut next = 0;
        let end = SimTime::from_ms(4_000.0);
        loop {
            let due = commands.get(next).map(|c| SimTime::from_ms(c.0 as f64));
            let event = sim.next_event_time().filter(|t| *t <= end);
            match (event, due) {
                (_, Some(t)) if event.is_none_or(|e| t < e) => {
                    sim.run_until(t);
                    let (_, crash, target, online) = commands[next];
                    next += 1;
                    if let Some(consumer) = sim.node_index(&format!("c{}", target % consumers)) {
                        let _ = sim.apply(if crash {
                            Command::CrashConsumer { consumer }
                        } else {
                            Command::SetConsumerOnline { consumer, online }
                        });
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
        Ok((events, serde_json::to_string(&sim.report()).unwrap()))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

        /// Conservation (parcels and every partition's ledger, owners are members, no
        /// commit past the log end) after every step, and the same world replays to
        /// the same events and report.
        #[test]
        fn random_kafka_worlds_conserve_and_replay(w in world()) {
            let first = replay(&w).map_err(TestCaseError::fail)?;
            let second = replay(&w).map_err(TestCaseError::fail)?;
            prop_assert!(first == second, "same world, different run");
        }
    }
}

#[test]
fn resetting_a_groups_offsets_replays_or_skips() {
    let text = diagram(
        json!({"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 30, "spread_ms": 300}], "key": "k{n}"}),
        json!({"partitions": 2}),
        &[(
            "c",
            fixed(5.0),
            json!({"group": "g", "auto_offset_reset": "earliest", "commit": "after"}),
        )],
    );
    let mut s = sim(&text);
    s.keep_processed_payloads(true);
    let r = run(&mut s, 2_000.0);
    assert_eq!(r.consumers["c"].stats.processed, 30);
    use queue_playground::core::scenario::OffsetTarget;
    s.apply(Command::ResetOffsets {
        topic: NodeId(1),
        group: "g".into(),
        to: OffsetTarget::Earliest,
    })
    .unwrap();
    let r = run(&mut s, 4_000.0);
    assert_eq!(
        r.consumers["c"].stats.processed, 60,
        "read everything again"
    );
    // By time: from the records written at or after 150 ms (about half).
    s.apply(Command::ResetOffsets {
        topic: NodeId(1),
        group: "g".into(),
        to: OffsetTarget::TimeMs(150.0),
    })
    .unwrap();
    let r = run(&mut s, 6_000.0);
    let again = r.consumers["c"].stats.processed - 60;
    assert!((12..=18).contains(&again), "half again: {again}");
    // Latest: nothing to read; a record produced by hand is read at once.
    s.apply(Command::ResetOffsets {
        topic: NodeId(1),
        group: "g".into(),
        to: OffsetTarget::Latest,
    })
    .unwrap();
    s.apply(Command::Produce {
        topic: NodeId(1),
        key: Some("k".into()),
        value: Some("by hand".into()),
    })
    .unwrap();
    run(&mut s, 7_000.0);
    assert_eq!(
        s.contents().workers["c"].last().map(String::as_str),
        Some("by hand")
    );
    assert!(s
        .apply(Command::ResetOffsets {
            topic: NodeId(1),
            group: "nope".into(),
            to: OffsetTarget::Latest
        })
        .is_err());
}

#[test]
fn a_script_resets_offsets_by_name() {
    let mut v: Value = serde_json::from_str(&diagram(
        json!({"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": 10, "spread_ms": 0}], "key": "k"}),
        json!({"partitions": 1}),
        &[("c", fixed(5.0), json!({"group": "g", "auto_offset_reset": "earliest", "commit": "after"}))],
    ))
    .unwrap();
    v["script"] = json!([
        {"op": "reset_offsets", "at_ms": 1000, "topic": "orders", "group": "g", "to": {"offset": 4}},
        {"op": "produce", "at_ms": 1500, "topic": "orders", "key": "k", "value": "last"}
    ]);
    let mut s = sim(&v.to_string());
    let r = run(&mut s, 3_000.0);
    assert_eq!(r.consumers["c"].stats.processed, 10 + 6 + 1);
    v["script"] = json!([{"op": "reset_offsets", "at_ms": 0, "topic": "orders", "group": "nope", "to": "latest"}]);
    let err = load_scenario(&v.to_string()).unwrap_err().to_string();
    assert!(
        err.contains("script[0].group: no group `nope` reads topic `orders`"),
        "{err}"
    );
}

/// Auto-commit commits the position of every assigned partition, records read or not
/// (`SubscriptionState.allConsumed`, committed by `ConsumerCoordinator
/// .maybeAutoCommitOffsetsAsync`): a member that joined with `latest` after records
/// were written has committed the log end and has no lag, and a member taking the
/// partition over later starts there, not at a new `latest`.
#[test]
fn auto_commit_commits_a_position_from_auto_offset_reset() {
    let produce = |at: f64, partition: u32| json!({"op": "produce", "at_ms": at, "topic": "orders", "key": null, "value": "v", "partition": partition});
    let text = json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [
            {"id": "t", "kind": "kafka-topic", "name": "orders", "kafka_topic": {"partitions": 2}},
            {"id": "c", "kind": "consumer", "name": "c", "consumer": {"processing": {"dist": "fixed", "ms": 1}}}
        ],
        "edges": [{"id": "e", "from": "t", "to": "c", "kind": "consume", "consume": {"group": "g"}}],
        "script": [produce(0.0, 0), produce(0.0, 0), produce(0.0, 0), produce(0.0, 1), produce(0.0, 1)]
    })
    .to_string();
    let mut s = sim(&text);
    let r = run(&mut s, 10_000.0);
    let parts = &r.groups["g"].partitions;
    assert_eq!(
        (parts["orders-0"].committed, parts["orders-0"].lag),
        (Some(3), 0),
        "{parts:?}"
    );
    assert_eq!(
        (parts["orders-1"].committed, parts["orders-1"].lag),
        (Some(2), 0),
        "{parts:?}"
    );
}

#[test]
fn retention_by_bytes_keeps_the_partition_near_its_limit_in_whole_segments() {
    // 10-byte values, 2-3-byte keys: about 12 bytes a record; segments of 120 bytes.
    let text = diagram(
        json!({"rate_per_sec": 200, "key": "k{cycle:1|2|3}", "payload": "0123456789"}),
        json!({"partitions": 1, "retention_ms": null, "retention_bytes": 600, "segment_bytes": 120}),
        &[],
    );
    let mut s = sim(&text);
    let r = run(&mut s, 3_000.0);
    let t = &r.topics["orders"];
    assert!(t.deleted > 0, "{t:?}");
    // Never more than the limit plus one segment (the active one is never deleted),
    // and whole segments go: what is left is more than the limit minus a segment.
    assert!(t.bytes <= 600 + 120, "{t:?}");
    assert!(t.bytes > 600 - 120, "{t:?}");
}

/// definitions.json holds RabbitMQ only: a Kafka topic is listed as not exported, the
/// RabbitMQ side of the same diagram is exported as before.
#[test]
fn definitions_export_lists_kafka_topics_as_not_exported() {
    let s = queue_playground::gallery::pattern("kafka-vs-rabbitmq").unwrap();
    let out = queue_playground::core::definitions::export_definitions(&s, "/");
    assert!(
        out.unsupported
            .iter()
            .any(|n| n.contains("Kafka topic \"orders-log\" is not part of RabbitMQ")),
        "{:?}",
        out.unsupported
    );
    let queues: Vec<&str> = out.definitions["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(queues, ["orders"]);
}

/// A record larger than `segment.bytes` cannot be written: Kafka refuses the produce
/// ("exceeds the maximum configured segment size", UnifiedLog.append:
/// RecordBatchTooLargeException), as the script's result and the drop reason say.
#[test]
fn a_record_larger_than_a_segment_is_refused() {
    let text = json!({
        "version": 2, "seed": 1, "latency_ms": 10,
        "nodes": [{"id": "t", "kind": "kafka-topic", "name": "orders", "kafka_topic": {"partitions": 1, "segment_bytes": 12}}],
        "edges": [],
        "script": [
            {"op": "produce", "at_ms": 0, "topic": "orders", "key": "k", "value": "01234567890123456789"},
            {"op": "produce", "at_ms": 10, "topic": "orders", "key": "k", "value": "0123456789"}
        ]
    })
    .to_string();
    let mut s = sim(&text);
    let r = run(&mut s, 500.0);
    assert_eq!(r.topics["orders"].records, 1);
    assert_eq!(r.totals.dropped_by_reason["invalid_record"], 1);
    let results = serde_json::to_value(s.script_results()).unwrap();
    assert_eq!(results, json!([{"step": 0, "refused": true}]));
    let err = s
        .apply(Command::Produce {
            topic: NodeId(0),
            key: Some("k".into()),
            value: Some("x".repeat(40)),
        })
        .unwrap_err();
    assert!(err.contains("segment"), "{err}");
}

/// Auto-commit commits each partition's position (`SubscriptionState.allConsumed`,
/// from `ConsumerCoordinator.maybeAutoCommitOffsetsAsync` at every poll), and a seek
/// back (a `requeue`) moves the position back: what was settled past it no longer
/// counts. The review's case: m2 is sought back to, m3–m5 of the same fetch are acked,
/// and the member crashes while it works on the records fetched again; it must read m2
/// again after the restart. It committed 5 and lost m2.
#[test]
fn a_seek_back_holds_auto_commit_at_the_record_sought_back_to() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/kafka/seek-then-auto-commit.json");
    let s = load_scenario(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut sim = Simulation::new(&s).unwrap();
    sim.keep_processed_payloads(true);
    let r = run(&mut sim, 700.0);
    let part = &serde_json::to_value(&r).unwrap()["groups"]["g"]["partitions"]["t-0"];
    assert_eq!(part["committed"], 1, "{part}");
    run(&mut sim, 30_000.0);
    let done = serde_json::to_value(sim.contents()).unwrap()["workers"]["c"].clone();
    let done: Vec<String> = serde_json::from_value(done).unwrap();
    assert!(
        done.contains(&"m2".to_string()),
        "m2 is read again after the crash: {done:?}"
    );
}

/// Retention deletes the active segment too once it breaches the policy and holds
/// records: `UnifiedLog.deletableSegments` keeps back only a last segment that is empty
/// (`isLastSegmentAndEmpty`), and `deleteSegments` rolls a new segment first ("we must
/// always have at least one segment"). The review's case: five records, retention
/// 2 s, the default 7-day segment never rolls; they were kept for ever. Records
/// produced afterwards go on at the next offset.
#[test]
fn retention_deletes_an_expired_active_segment() {
    for topic in [
        json!({"partitions": 1, "retention_ms": 2000}),
        json!({"partitions": 1, "retention_bytes": 0}),
    ] {
        let text = json!({"version": 2, "seed": 1, "latency_ms": 10,
            "nodes": [
                {"id": "p", "kind": "producer", "name": "p", "producer": {"rate_per_sec": 0, "key": "k{n}", "payload": "v{n}",
                    "bursts": [{"at_ms": 0, "count": 5}, {"at_ms": 400_000, "count": 2}]}},
                {"id": "t", "kind": "kafka-topic", "name": "t", "kafka_topic": topic}],
            "edges": [{"id": "e1", "from": "p", "to": "t", "kind": "produce"}]})
        .to_string();
        let mut s = sim(&text);
        let r = serde_json::to_value(run(&mut s, 390_000.0)).unwrap();
        assert_eq!(r["topics"]["t"]["records"], 0, "{topic}: {}", r["topics"]);
        assert_eq!(r["topics"]["t"]["deleted"], 5, "{topic}");
        let r = serde_json::to_value(run(&mut s, 400_100.0)).unwrap();
        assert_eq!(r["topics"]["t"]["appended"], 7, "{topic}");
        assert!(
            r["topics"]["t"]["records"].as_u64().unwrap() <= 2,
            "{topic}"
        );
    }
}
