//! Kafka's partition assignors (`core::families::log::assign`) checked against Kafka's
//! own unit tests, ported case by case from apache/kafka (commit `1eb7644`, 2024-10-25),
//! `clients/src/test/java/org/apache/kafka/clients/consumer/`: `RangeAssignorTest`,
//! `RoundRobinAssignorTest`, `StickyAssignorTest`, `CooperativeStickyAssignorTest` and
//! `internals/AbstractStickyAssignorTest`. Both sticky test classes inherit the cases of
//! `AbstractStickyAssignorTest`, so each of those runs here for `Sticky` and
//! `CooperativeSticky`.
//!
//! Where Kafka asserts exact lists, so do these tests. Where it asserts properties, these
//! tests check the same ones: `isFullyBalanced` (sizes differ by at most one), stickiness
//! (a partition stays with its owner), and an empty `partitionsTransferringOwnership`.
//! Kafka's `partitionsTransferringOwnership` is [`moving`] from the members' owned
//! partitions to the target. `verifyValidityAndBalance` is checked a little more
//! strictly: every partition must be assigned exactly once. For the cooperative assignor
//! the final assignment is the one reached after the follow-up rebalances that
//! `CooperativeStickyAssignorTest.verifyValidityAndBalance` runs (a partition that changes
//! owner is only revoked in the first round). Kafka's rack parameterisations are ported as
//! their rack-less variant. A topic that doesn't exist or was deleted is modelled as a
//! topic with zero partitions.
//!
//! The model covers one topic with every member subscribed, and members given in member-id
//! order. These kinds of case are skipped:
//! - more than one topic: two or more topics, mixed or unequal subscriptions, topics added
//!   or removed, owned partitions of a topic that is not in the metadata,
//!   `testOnlyAssignsPartitionsFromSubscribedTopics`, and the large timeout cases. The model
//!   has one topic. Kafka's static-membership cases (ordering by `group.instance.id`) are all
//!   multi-topic too.
//! - a member subscribed to nothing (`testOneConsumerNoTopic`).
//! - rack awareness (`testRackAware*`,
//!   `CooperativeStickyAssignorTest.testUniformSubscriptionTransferOwnershipListIsRight`).
//!   The model has no racks.
//! - generations and conflicting claims (`testOwnedPartitionsAreInvalidated*`,
//!   `testEnsurePartitionsAssignedToHighestGeneration`, `testNoReassignmentOnCurrentMembers`,
//!   `testAssignmentWith*Generation*`, `testSubscriptionNotEqualAndAssignSamePartitionWith3Generation`,
//!   `testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGeneration*`).
//!   A simulated group has one generation and each partition has at most one owner. (Given a
//!   doubly-claimed partition, `assign` lets the first claimant keep it. Kafka takes it
//!   from both.)
//! - subscription encoding (`testMemberData*`, `testEncodeAndDecodeGeneration`,
//!   `testDecodeGeneration`). The model has no wire format.

use queue_playground::core::families::log::assign::{assign, moving, Assignment};
use queue_playground::core::scenario::Assignor;

/// The assignors `AbstractStickyAssignorTest` runs under.
const STICKY: [Assignor; 2] = [Assignor::Sticky, Assignor::CooperativeSticky];

/// `n` members that own nothing (Kafka's `subscription(topics, i)`: no owned partitions).
fn fresh(n: usize) -> Vec<Vec<u32>> {
    vec![Vec::new(); n]
}

fn expect(what: &str, got: &[Vec<u32>], want: &[Vec<u32>]) {
    assert_eq!(
        got, want,
        "{what}: assignment per member (sorted member order)"
    );
}

/// `verifyValidityAndBalance` + `isFullyBalanced` for one topic.
fn valid_and_balanced(what: &str, partitions: u32, got: &[Vec<u32>]) {
    let mut all: Vec<u32> = got.iter().flatten().copied().collect();
    all.sort_unstable();
    let every: Vec<u32> = (0..partitions).collect();
    assert_eq!(
        all, every,
        "{what}: each partition assigned exactly once: {got:?}"
    );
    let sizes: Vec<usize> = got.iter().map(Vec::len).collect();
    let lo = sizes.iter().min().copied().unwrap_or(0);
    let hi = sizes.iter().max().copied().unwrap_or(0);
    assert!(hi - lo <= 1, "{what}: fully balanced: sizes {sizes:?}");
}

/// One `assignPartitions` as Kafka's sticky tests use it. Returns the
/// `partitionsTransferringOwnership` of that call and the final assignment. For
/// `CooperativeSticky` it repeats the follow-up rebalances of
/// `CooperativeStickyAssignorTest.verifyValidityAndBalance` until nothing is revoked. It
/// checks on the way that no partition is revoked and assigned in the same round, and it
/// allows at most 4 follow-ups.
fn rebalance(a: Assignor, partitions: u32, owned: &[Vec<u32>]) -> (Vec<u32>, Assignment) {
    let target = assign(a, partitions, owned);
    let transferring = moving(owned, &target);
    if a != Assignor::CooperativeSticky {
        return (transferring, target);
    }
    let mut owned: Vec<Vec<u32>> = owned.to_vec();
    for round in 0..=4 {
        let target = assign(a, partitions, &owned);
        let hand_over = moving(&owned, &target);
        // `CooperativeStickyAssignor.adjustAssignment`: a moving partition is only revoked.
        let now: Assignment = target
            .iter()
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|p| !hand_over.contains(p))
                    .collect()
            })
            .collect();
        let mut revoked: Vec<u32> = Vec::new();
        let mut added: Vec<u32> = Vec::new();
        for (was, gets) in owned.iter().zip(&now) {
            revoked.extend(was.iter().copied().filter(|p| !gets.contains(p)));
            added.extend(gets.iter().copied().filter(|p| !was.contains(p)));
        }
        assert!(
            added.iter().all(|p| !revoked.contains(p)),
            "{a:?} round {round}: partitions revoked and assigned in the same rebalance: \
             owned {owned:?}, assigned {now:?}"
        );
        if revoked.is_empty() {
            return (transferring, now);
        }
        owned = now;
    }
    panic!("{a:?}: more than 4 follow-up rebalances");
}

// ---- RangeAssignorTest ----

// RangeAssignorTest.testOneConsumerNonexistentTopic
#[test]
fn range_one_consumer_nonexistent_topic() {
    expect("range", &assign(Assignor::Range, 0, &fresh(1)), &[vec![]]);
}

// RangeAssignorTest.testOneConsumerOneTopic
#[test]
fn range_one_consumer_one_topic() {
    expect(
        "range",
        &assign(Assignor::Range, 3, &fresh(1)),
        &[vec![0, 1, 2]],
    );
}

// RangeAssignorTest.testTwoConsumersOneTopicOnePartition
#[test]
fn range_two_consumers_one_topic_one_partition() {
    expect(
        "range",
        &assign(Assignor::Range, 1, &fresh(2)),
        &[vec![0], vec![]],
    );
}

// RangeAssignorTest.testTwoConsumersOneTopicTwoPartitions
#[test]
fn range_two_consumers_one_topic_two_partitions() {
    expect(
        "range",
        &assign(Assignor::Range, 2, &fresh(2)),
        &[vec![0], vec![1]],
    );
}

// ---- RoundRobinAssignorTest ----

// RoundRobinAssignorTest.testOneConsumerNonexistentTopic
#[test]
fn round_robin_one_consumer_nonexistent_topic() {
    expect(
        "roundrobin",
        &assign(Assignor::RoundRobin, 0, &fresh(1)),
        &[vec![]],
    );
}

// RoundRobinAssignorTest.testOneConsumerOneTopic
#[test]
fn round_robin_one_consumer_one_topic() {
    expect(
        "roundrobin",
        &assign(Assignor::RoundRobin, 3, &fresh(1)),
        &[vec![0, 1, 2]],
    );
}

// RoundRobinAssignorTest.testTwoConsumersOneTopicOnePartition
#[test]
fn round_robin_two_consumers_one_topic_one_partition() {
    expect(
        "roundrobin",
        &assign(Assignor::RoundRobin, 1, &fresh(2)),
        &[vec![0], vec![]],
    );
}

// RoundRobinAssignorTest.testTwoConsumersOneTopicTwoPartitions
#[test]
fn round_robin_two_consumers_one_topic_two_partitions() {
    expect(
        "roundrobin",
        &assign(Assignor::RoundRobin, 2, &fresh(2)),
        &[vec![0], vec![1]],
    );
}

// ---- AbstractStickyAssignorTest (run by StickyAssignorTest and CooperativeStickyAssignorTest) ----

// AbstractStickyAssignorTest.testOneConsumerNonexistentTopic
#[test]
fn sticky_one_consumer_nonexistent_topic() {
    for a in STICKY {
        let (moved, got) = rebalance(a, 0, &fresh(1));
        expect(&format!("{a:?}"), &got, &[vec![]]);
        assert!(
            moved.is_empty(),
            "{a:?}: nothing transfers ownership: {moved:?}"
        );
        valid_and_balanced(&format!("{a:?}"), 0, &got);
    }
}

// AbstractStickyAssignorTest.testOneConsumerOneTopic
#[test]
fn sticky_one_consumer_one_topic() {
    for a in STICKY {
        let (moved, got) = rebalance(a, 3, &fresh(1));
        expect(&format!("{a:?}"), &got, &[vec![0, 1, 2]]);
        assert!(
            moved.is_empty(),
            "{a:?}: nothing transfers ownership: {moved:?}"
        );
        valid_and_balanced(&format!("{a:?}"), 3, &got);
    }
}

// AbstractStickyAssignorTest.testTwoConsumersOneTopicOnePartition
#[test]
fn sticky_two_consumers_one_topic_one_partition() {
    for a in STICKY {
        let (moved, got) = rebalance(a, 1, &fresh(2));
        assert!(
            moved.is_empty(),
            "{a:?}: nothing transfers ownership: {moved:?}"
        );
        valid_and_balanced(&format!("{a:?}"), 1, &got);
    }
}

// AbstractStickyAssignorTest.testTwoConsumersOneTopicTwoPartitions
#[test]
fn sticky_two_consumers_one_topic_two_partitions() {
    for a in STICKY {
        let (moved, got) = rebalance(a, 2, &fresh(2));
        expect(&format!("{a:?}"), &got, &[vec![0], vec![1]]);
        assert!(
            moved.is_empty(),
            "{a:?}: nothing transfers ownership: {moved:?}"
        );
        valid_and_balanced(&format!("{a:?}"), 2, &got);
    }
}

// AbstractStickyAssignorTest.testAddRemoveConsumerOneTopic
#[test]
fn sticky_add_remove_consumer_one_topic() {
    for a in STICKY {
        // consumer1 alone.
        let (_, one) = rebalance(a, 3, &fresh(1));
        expect(&format!("{a:?} consumer1 alone"), &one, &[vec![0, 1, 2]]);
        valid_and_balanced(&format!("{a:?} consumer1 alone"), 3, &one);

        // consumer2 joins: only topic-2 transfers, to consumer2.
        let owned = [one[0].clone(), Vec::new()];
        let (moved, two) = rebalance(a, 3, &owned);
        assert_eq!(
            moved,
            vec![2],
            "{a:?}: partitionsTransferringOwnership = {{topic-2: consumer2}}"
        );
        expect(
            &format!("{a:?} consumer2 joins"),
            &two,
            &[vec![0, 1], vec![2]],
        );
        valid_and_balanced(&format!("{a:?} consumer2 joins"), 3, &two);

        // consumer1 leaves: consumer2 gets everything, nothing transfers.
        let (moved, last) = rebalance(a, 3, &[two[1].clone()]);
        expect(&format!("{a:?} consumer1 leaves"), &last, &[vec![0, 1, 2]]);
        assert!(
            moved.is_empty(),
            "{a:?}: nothing transfers ownership: {moved:?}"
        );
        valid_and_balanced(&format!("{a:?} consumer1 leaves"), 3, &last);
    }
}

// AbstractStickyAssignorTest.testReassignmentAfterOneConsumerAdded (as in Kafka, the
// second call carries no owned partitions either).
#[test]
fn sticky_reassignment_after_one_consumer_added() {
    for a in STICKY {
        let (moved, nine) = rebalance(a, 20, &fresh(9));
        assert!(
            moved.is_empty(),
            "{a:?} 9 consumers: nothing transfers: {moved:?}"
        );
        valid_and_balanced(&format!("{a:?} 9 consumers"), 20, &nine);

        let (moved, ten) = rebalance(a, 20, &fresh(10));
        assert!(
            moved.is_empty(),
            "{a:?} 10 consumers: nothing transfers: {moved:?}"
        );
        valid_and_balanced(&format!("{a:?} 10 consumers"), 20, &ten);
    }
}

// AbstractStickyAssignorTest.testStickiness
#[test]
fn sticky_stickiness() {
    for a in STICKY {
        let (moved, first) = rebalance(a, 3, &fresh(4));
        assert!(moved.is_empty(), "{a:?}: nothing transfers: {moved:?}");
        valid_and_balanced(&format!("{a:?} four consumers"), 3, &first);
        for (m, list) in first.iter().enumerate() {
            assert!(
                list.len() <= 1,
                "{a:?}: consumer{} has more than one: {first:?}",
                m + 1
            );
        }

        // Remove the potential group leader, consumer1.
        let owned: Vec<Vec<u32>> = first[1..].to_vec();
        let (moved, second) = rebalance(a, 3, &owned);
        assert!(moved.is_empty(), "{a:?}: nothing transfers: {moved:?}");
        valid_and_balanced(&format!("{a:?} consumer1 gone"), 3, &second);
        for (m, (before, after)) in owned.iter().zip(&second).enumerate() {
            let name = m + 2;
            assert_eq!(
                after.len(),
                1,
                "{a:?}: consumer{name} has exactly one: {second:?}"
            );
            assert!(
                before.iter().all(|p| after.contains(p)),
                "{a:?}: stickiness not honoured for consumer{name}: {before:?} -> {after:?}"
            );
        }
    }
}

// AbstractStickyAssignorTest.testNoExceptionThrownWhenOnlySubscribedTopicDeleted
#[test]
fn sticky_only_subscribed_topic_deleted() {
    for a in STICKY {
        let (moved, before) = rebalance(a, 3, &fresh(1));
        assert!(moved.is_empty(), "{a:?}: nothing transfers: {moved:?}");
        // The topic is gone: zero partitions, the member keeps nothing.
        let after = assign(a, 0, &before);
        expect(&format!("{a:?} topic deleted"), &after, &[vec![]]);
        let moved = moving(&before, &after);
        assert!(moved.is_empty(), "{a:?}: nothing transfers: {moved:?}");
    }
}

// AbstractStickyAssignorTest.testAllConsumersReachExpectedQuotaAndAreConsideredFilled
#[test]
fn sticky_all_consumers_reach_expected_quota() {
    for a in STICKY {
        let owned = [vec![0, 1], vec![2], vec![]];
        let (moved, got) = rebalance(a, 4, &owned);
        expect(&format!("{a:?}"), &got, &[vec![0, 1], vec![2], vec![3]]);
        assert!(moved.is_empty(), "{a:?}: nothing transfers: {moved:?}");
        valid_and_balanced(&format!("{a:?}"), 4, &got);
    }
}

// StickyAssignorTest.testAssignorWithOldVersionSubscriptions
// CooperativeStickyAssignorTest.testAssignorWithOldVersionSubscriptions
// (the same assignment; the subscription versions have no counterpart here)
#[test]
fn sticky_assignor_with_old_version_subscriptions() {
    for a in STICKY {
        let owned = [vec![0], vec![1], vec![]];
        let (_, got) = rebalance(a, 3, &owned);
        expect(&format!("{a:?}"), &got, &[vec![0], vec![1], vec![2]]);
        valid_and_balanced(&format!("{a:?}"), 3, &got);
    }
}

// StickyAssignorTest.testSchemaBackwardCompatibility (StickyAssignor only): consumer1
// owned [0, 2], consumer2 [1] (old user-data schema), consumer3 nothing.
#[test]
fn sticky_schema_backward_compatibility() {
    let owned = [vec![0, 2], vec![1], vec![]];
    let got = assign(Assignor::Sticky, 3, &owned);
    for (m, (before, after)) in owned.iter().zip(&got).enumerate() {
        assert_eq!(after.len(), 1, "consumer{} has exactly one: {got:?}", m + 1);
        if m < 2 {
            assert!(
                after.iter().all(|p| before.contains(p)),
                "consumer{} keeps one of its own {before:?}: {after:?}",
                m + 1
            );
        }
    }
    valid_and_balanced("sticky", 3, &got);
}
