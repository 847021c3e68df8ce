//! Kafka's partition assignors for a group whose members all read one topic: `range`
//! (`RangeAssignor`), `roundrobin` (`RoundRobinAssignor`), `sticky` (`StickyAssignor`)
//! and `cooperative-sticky` (`CooperativeStickyAssignor`), as their javadocs and
//! `AbstractStickyAssignor` describe them. Members are given sorted by member id (here
//! the consumer's name), as Kafka sorts them. More members than partitions leave the
//! extra members with nothing: they sit idle, they are not refused.

use crate::core::scenario::Assignor;

/// A target assignment: for each member (in the order given), its partitions in
/// ascending order.
pub type Assignment = Vec<Vec<u32>>;

/// Assigns `partitions` partitions of one topic to `members` members. `owned` holds
/// what each member owned before (the sticky assignors keep as much of it as balance
/// allows; the others ignore it).
pub fn assign(assignor: Assignor, partitions: u32, owned: &[Vec<u32>]) -> Assignment {
    let members = owned.len();
    if members == 0 {
        return Vec::new();
    }
    let mut out = match assignor {
        Assignor::Range => range(partitions, members),
        Assignor::RoundRobin => round_robin(partitions, members),
        Assignor::Sticky | Assignor::CooperativeSticky => sticky(partitions, owned),
    };
    for list in &mut out {
        list.sort_unstable();
    }
    out
}

/// `RangeAssignor`: "divide the number of partitions by the total number of consumers
/// to determine the number of partitions to assign to each consumer. If it does not
/// evenly divide, then the first few consumers will have one extra partition."
fn range(partitions: u32, members: usize) -> Assignment {
    let m = members as u32;
    let (per, extra) = (partitions / m, partitions % m);
    (0..m)
        .map(|i| {
            let start = per * i + i.min(extra);
            let len = per + u32::from(i < extra);
            (start..start + len).collect()
        })
        .collect()
}

/// `RoundRobinAssignor`: partitions in order, handed to the sorted members in turn.
fn round_robin(partitions: u32, members: usize) -> Assignment {
    let mut out = vec![Vec::new(); members];
    for p in 0..partitions {
        out[p as usize % members].push(p);
    }
    out
}

/// `AbstractStickyAssignor.constrainedAssign` (every member has the same
/// subscription): each member keeps its previously owned partitions up to its quota
/// (`floor(P / M)`, or `ceil(P / M)` for as many members as `P % M`), then the
/// partitions left over go round-robin to members under the minimum quota, then to
/// those that may still reach the maximum. Owned partitions are visited in ascending
/// order; members in sorted order.
fn sticky(partitions: u32, owned: &[Vec<u32>]) -> Assignment {
    let members = owned.len();
    let min_quota = partitions as usize / members;
    let max_quota = (partitions as usize).div_ceil(members);
    let expected_over = partitions as usize % members;
    let mut over = 0usize;
    let mut out: Assignment = vec![Vec::new(); members];
    let mut taken = vec![false; partitions as usize];
    let mut under: Vec<usize> = Vec::new();
    let mut exact: Vec<usize> = Vec::new();
    for (m, list) in owned.iter().enumerate() {
        // A partition claimed by two members (cannot happen here) or out of range is
        // not kept.
        let mut mine: Vec<u32> = list
            .iter()
            .copied()
            .filter(|&p| p < partitions && !taken[p as usize])
            .collect();
        mine.sort_unstable();
        mine.dedup();
        let keep = if mine.len() < min_quota {
            under.push(m);
            mine.len()
        } else if mine.len() >= max_quota && over < expected_over {
            over += 1;
            if over == expected_over {
                exact.clear();
            }
            max_quota
        } else {
            if over < expected_over {
                exact.push(m);
            }
            min_quota
        };
        for &p in &mine[..keep] {
            taken[p as usize] = true;
            out[m].push(p);
        }
    }
    let unassigned: Vec<u32> = (0..partitions).filter(|&p| !taken[p as usize]).collect();
    // Round-robin over the unfilled members, as the Java iterator does: a member that
    // reaches the minimum moves to the "exactly minimum" list; one that reaches the
    // maximum leaves.
    let mut on_under = true;
    let mut pos = 0usize;
    for p in unassigned {
        let m = loop {
            let list = if on_under { &under } else { &exact };
            if pos < list.len() {
                break list[pos];
            }
            pos = 0;
            if !under.is_empty() {
                on_under = true;
            } else if !exact.is_empty() {
                on_under = false;
            } else {
                // Quotas add up to the partition count, so this is never reached.
                break usize::MAX;
            }
        };
        if m == usize::MAX {
            break;
        }
        out[m].push(p);
        let count = out[m].len();
        if count == min_quota {
            if on_under {
                under.remove(pos);
            } else {
                pos += 1;
            }
            exact.push(m);
        } else if count == max_quota {
            let list = if on_under { &mut under } else { &mut exact };
            list.remove(pos);
        } else {
            pos += 1;
        }
    }
    out
}

/// The partitions whose owner changes between `before` and `after` (both per member,
/// same member order): what a cooperative rebalance revokes in its first round and
/// hands over in its second.
pub fn moving(before: &[Vec<u32>], after: &[Vec<u32>]) -> Vec<u32> {
    let mut out = Vec::new();
    for (m, list) in after.iter().enumerate() {
        for &p in list {
            let previous = before
                .iter()
                .enumerate()
                .find(|(_, owned)| owned.contains(&p))
                .map(|(i, _)| i);
            if previous.is_some_and(|i| i != m) {
                out.push(p);
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(assignor: Assignor, partitions: u32, members: usize) -> Assignment {
        assign(assignor, partitions, &vec![Vec::new(); members])
    }

    /// `RangeAssignor` javadoc: C0 and C1, topic with 3 partitions → C0 [p0, p1],
    /// C1 [p2] (per topic).
    #[test]
    fn range_gives_the_first_members_the_extra_partition() {
        assert_eq!(fresh(Assignor::Range, 3, 2), vec![vec![0, 1], vec![2]]);
        assert_eq!(
            fresh(Assignor::Range, 10, 3),
            vec![vec![0, 1, 2, 3], vec![4, 5, 6], vec![7, 8, 9]]
        );
    }

    /// `RoundRobinAssignor` javadoc: C0 and C1, t0 with 3 partitions → C0 [t0p0,
    /// t0p2], C1 [t0p1].
    #[test]
    fn round_robin_deals_in_turn() {
        assert_eq!(fresh(Assignor::RoundRobin, 3, 2), vec![vec![0, 2], vec![1]]);
    }

    #[test]
    fn extra_members_sit_idle() {
        for a in [
            Assignor::Range,
            Assignor::RoundRobin,
            Assignor::Sticky,
            Assignor::CooperativeSticky,
        ] {
            let out = fresh(a, 2, 4);
            assert_eq!(out.iter().filter(|l| l.is_empty()).count(), 2, "{a:?}");
            assert_eq!(out.iter().map(Vec::len).sum::<usize>(), 2);
        }
    }

    /// The sticky goal of the `StickyAssignor` javadoc: balance first (sizes differ by
    /// at most one), then keep every previous assignment that balance allows. Its
    /// example 1 restated on one topic of 8 partitions: C0 [0,3,6], C1 [1,4,7],
    /// C2 [2,5]; C1 leaves; round robin moves 5 partitions, sticky only C1's 3.
    #[test]
    fn sticky_keeps_what_balance_allows() {
        let before = [vec![0, 3, 6], vec![1, 4, 7], vec![2, 5]];
        let survivors = vec![before[0].clone(), before[2].clone()];
        let after = assign(Assignor::Sticky, 8, &survivors);
        assert_eq!(after[0].len(), 4);
        assert_eq!(after[1].len(), 4);
        assert!(before[0].iter().all(|p| after[0].contains(p)));
        assert!(before[2].iter().all(|p| after[1].contains(p)));
        let rr = assign(Assignor::RoundRobin, 8, &survivors);
        let kept_rr = before[0].iter().filter(|p| rr[0].contains(p)).count()
            + before[2].iter().filter(|p| rr[1].contains(p)).count();
        assert!(kept_rr < 5, "round robin keeps fewer: {rr:?}");
    }

    #[test]
    fn sticky_rebalances_onto_a_new_member() {
        // Two members own 3 each; a third joins: each gives up one.
        let owned = vec![vec![0, 1, 2], vec![3, 4, 5], vec![]];
        let after = assign(Assignor::Sticky, 6, &owned);
        assert_eq!(after, vec![vec![0, 1], vec![3, 4], vec![2, 5]]);
        assert_eq!(moving(&owned, &after), vec![2, 5]);
    }

    #[test]
    fn every_assignor_assigns_each_partition_once() {
        for a in [
            Assignor::Range,
            Assignor::RoundRobin,
            Assignor::Sticky,
            Assignor::CooperativeSticky,
        ] {
            for partitions in 0..9u32 {
                for members in 1..6usize {
                    let owned: Vec<Vec<u32>> = (0..members)
                        .map(|m| {
                            (0..partitions)
                                .filter(|p| (*p as usize + m).is_multiple_of(3))
                                .collect()
                        })
                        .collect();
                    let out = assign(a, partitions, &owned);
                    let mut all: Vec<u32> = out.iter().flatten().copied().collect();
                    all.sort_unstable();
                    assert_eq!(
                        all,
                        (0..partitions).collect::<Vec<_>>(),
                        "{a:?} {partitions} {members}"
                    );
                    let sizes: Vec<usize> = out.iter().map(Vec::len).collect();
                    let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                    assert!(hi - lo <= 1, "{a:?} balanced: {sizes:?}");
                }
            }
        }
    }
}
