//! A Kafka consumer group's coordinator state and each member's client state
//! (kafka.apache.org/documentation, "Consumer groups"; the `KafkaConsumer` javadoc):
//! members, generations, who owns which partition, committed offsets, and the member's
//! fetch positions, what it holds, its polls and commits.
//!
//! A rebalance is asked for when a member joins, leaves, is evicted or its session runs
//! out. Every member rejoins at its next poll (one that is idle rejoins at once); under
//! the eager assignors (range, roundrobin, sticky) it gives up all its partitions then,
//! and the group stops reading until the new assignment; under cooperative-sticky it
//! keeps reading what it owns. When the last member has rejoined, the join and sync
//! round trips take two hops; then the assignor runs, the generation goes up, and new
//! owners start at the committed offset (or `auto_offset_reset` without one).
//! Cooperative-sticky revokes only the partitions that move and hands them over in a
//! second rebalance.

use crate::core::kernel::time::SimTime;
use crate::core::scenario::{Assignor, ConsumeSpec};

/// A rebalance in progress.
#[derive(Clone, Debug, Default)]
pub struct Rebalance {
    /// Members that have not rejoined yet.
    pub waiting: Vec<usize>,
    /// Members that have rejoined.
    pub rejoined: Vec<usize>,
    /// Asked for again while syncing: another round follows.
    pub again: bool,
    /// All members rejoined: the sync is on the agenda.
    pub syncing: bool,
}

/// One group's coordinator state.
#[derive(Clone, Debug)]
pub struct Group {
    /// The topic it reads.
    pub topic: usize,
    /// Its assignor.
    pub assignor: Assignor,
    /// Generation of the current assignment (0 before the first).
    pub generation: u32,
    /// Members now (consumer indices, in member-id order).
    pub members: Vec<usize>,
    /// The owner of each partition now.
    pub owner: Vec<Option<usize>>,
    /// The committed offset of each partition (the next record to read).
    pub committed: Vec<Option<u64>>,
    /// A rebalance in progress, if any.
    pub rebalance: Option<Rebalance>,
    /// Rebalances completed.
    pub rebalances: u64,
    /// Records skipped because a position fell behind the log start (retention).
    pub skipped: u64,
    /// Commits refused (a member that no longer owned the partition).
    pub commits_failed: u64,
}

impl Group {
    /// A group with no members yet over `partitions` partitions.
    pub fn new(topic: usize, assignor: Assignor, partitions: u32) -> Group {
        Group {
            topic,
            assignor,
            generation: 0,
            members: Vec::new(),
            owner: vec![None; partitions as usize],
            committed: vec![None; partitions as usize],
            rebalance: None,
            rebalances: 0,
            skipped: 0,
            commits_failed: 0,
        }
    }

    /// Whether the group's members stop reading now (an eager rebalance is on).
    pub fn stopped(&self) -> bool {
        self.rebalance.is_some() && self.assignor != Assignor::CooperativeSticky
    }

    /// The partitions `member` owns now, ascending.
    pub fn owned_by(&self, member: usize) -> Vec<u32> {
        self.owner
            .iter()
            .enumerate()
            .filter(|(_, o)| **o == Some(member))
            .map(|(p, _)| p as u32)
            .collect()
    }
}

/// One group member's client state.
#[derive(Clone, Debug)]
pub struct Member {
    /// Its group.
    pub group: usize,
    /// Its consume settings.
    pub spec: ConsumeSpec,
    /// In the group now (joined and not gone).
    pub joined: bool,
    /// Crashed: still a member until its session runs out.
    pub crashed: bool,
    /// Bumped whenever a crash's session timer must be forgotten.
    pub session: u32,
    /// Bumped when it goes away: a batch on its way is then stale.
    pub epoch: u32,
    /// Fetch position per partition (next offset to fetch), for owned partitions.
    pub position: Vec<Option<u64>>,
    /// Offset after the last record settled, per partition (what auto-commit commits).
    pub consumed: Vec<Option<u64>>,
    /// Copies fetched and not yet settled: (slot, partition, offset), in fetch order.
    pub held: std::collections::VecDeque<(u32, u32, u64)>,
    /// The batch on its way (slots).
    pub transit: Vec<u32>,
    /// Copies fetched before an offset reset: settling them moves no offset.
    pub stale: Vec<u32>,
    /// Waiting in a poll for records (woken by an append to a partition it owns).
    pub waiting: bool,
    /// Which owned partition the next fetch starts at (fetches rotate).
    pub rotate: usize,
    /// Polls that returned records.
    pub polls: u64,
    /// When auto-commit last committed.
    pub last_commit: SimTime,
    /// When it last polled with records returned.
    pub last_poll: SimTime,
    /// A `max.poll.interval.ms` check is on the agenda.
    pub deadline_armed: bool,
    /// While it waits for records, the auto-commit its poll loop will make is on the
    /// agenda.
    pub commit_armed: bool,
}

impl Member {
    /// A member of `group` over `partitions` partitions, not joined yet.
    pub fn new(group: usize, spec: ConsumeSpec, partitions: u32) -> Member {
        Member {
            group,
            spec,
            joined: false,
            crashed: false,
            session: 0,
            epoch: 0,
            position: vec![None; partitions as usize],
            consumed: vec![None; partitions as usize],
            held: Default::default(),
            transit: Vec::new(),
            stale: Vec::new(),
            waiting: false,
            rotate: 0,
            polls: 0,
            last_commit: SimTime::ZERO,
            last_poll: SimTime::ZERO,
            deadline_armed: false,
            commit_armed: false,
        }
    }
}
