//! The `log` family: Kafka. Topics of partitioned append-only logs ([`partition`]),
//! the default partitioner ([`partitioner`]), consumer groups with generations,
//! assignors and committed offsets ([`group`], [`assign`]). Its state is private; the
//! simulation reaches it through the seams:
//!
//! - `offer` → [`Log::produce`]: the producer's partitioner picks the partition; the
//!   parcel travels one hop and becomes a record ([`Log::arrive`]);
//! - `credit` → [`Log::credit`]: a worker with empty hands polls (joining its group
//!   first); a poll returns up to `max_poll_records` from the partitions it owns, as
//!   one batch travelling the consume edge; with nothing to read it waits (long poll)
//!   and an append wakes it;
//! - `settle` → [`Log::settle`]: processed (commit now with `commit: after`), skipped,
//!   or sought back;
//! - `abandon` → [`Log::abandon`]: a crash keeps the member (and its partitions,
//!   unread) until `session_timeout_ms`; a clean stop leaves the group at once. Either
//!   way what it had fetched is discarded; the log still has it, and whoever owns the
//!   partition next starts at the committed offset.
//!
//! Retention and compaction run every [`MAINTENANCE_MS`] of simulated time (a broker
//! checks every `log.retention.check.interval.ms`, five minutes by default; a
//! playground needs to show it).

pub mod assign;
mod consume;
pub mod group;
pub mod partition;
pub mod partitioner;
mod produce;
mod rebalance;

use crate::core::kernel::agenda::Action;
use crate::core::kernel::census::Census;
use crate::core::kernel::time::{ms_to_us, SimTime};
use crate::core::kernel::Kernel;
use crate::core::model::events::{DropReason, EventKind};
use crate::core::model::ids::{EdgeId, MessageId, NodeId};
use crate::core::model::message::Outgoing;
use crate::core::model::message::{Copy, CopyState, MessageBody};
use crate::core::model::motion::MotionKind;
use crate::core::scenario::{Assignor, CleanupPolicy, CommitMode, OffsetReset, OffsetTarget};
use crate::core::topology::Topology;
use group::{Group, Member, Rebalance};
use partition::Partition;
use partitioner::Sticky;
use std::collections::BTreeMap;
use std::rc::Rc;

/// How often each topic's retention and compaction run, in simulated ms.
pub const MAINTENANCE_MS: f64 = 1_000.0;

/// How a worker settles a fetched record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordSettlement {
    /// Processed.
    Done,
    /// Given up on: counted as processed for the offsets (skipped).
    Skip,
    /// Read again: the consumer seeks back to it.
    SeekBack,
}

/// What became of a produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Produced {
    /// On its way to partition `.1` as message `.0`.
    Sent(MessageId, u32),
    /// Refused (a compacted topic takes no record without a key).
    Refused(MessageId),
}

/// Kafka's state in one run.
pub struct Log {
    topics: Vec<Vec<Partition>>,
    groups: Vec<Group>,
    members: Vec<Option<Member>>,
    sticky: BTreeMap<(u32, usize), Sticky>,
}

impl Log {
    /// Records in every partition's log.
    pub fn records_held(&self) -> u64 {
        self.topics.iter().flatten().map(|p| p.len() as u64).sum()
    }

    /// Empty topics and groups for `topo`.
    pub fn new(topo: &Topology) -> Log {
        Log {
            topics: topo
                .topics
                .iter()
                .map(|t| vec![Partition::default(); t.spec.partitions as usize])
                .collect(),
            groups: topo
                .groups
                .iter()
                .map(|g| Group::new(g.topic, g.assignor, topo.topics[g.topic].spec.partitions))
                .collect(),
            members: topo
                .consumers
                .iter()
                .map(|c| {
                    c.membership.as_ref().map(|m| {
                        let topic = topo.groups[m.group].topic;
                        Member::new(m.group, m.spec.clone(), topo.topics[topic].spec.partitions)
                    })
                })
                .collect(),
            sticky: BTreeMap::new(),
        }
    }

    /// At time zero: maintenance timers for topics that delete or compact, and every
    /// member joins its group.
    pub fn start(&mut self, k: &mut Kernel, topo: &Topology) {
        for (t, info) in topo.topics.iter().enumerate() {
            let s = &info.spec;
            let acts = s.cleanup_policy == CleanupPolicy::Compact
                || s.retention_ms.is_some()
                || s.retention_bytes.is_some();
            if acts {
                k.agenda.push(
                    SimTime::from_ms(MAINTENANCE_MS),
                    Action::LogMaintenance { topic: t as u32 },
                );
            }
        }
        for c in 0..self.members.len() {
            if self.members[c].is_some() {
                self.join(k, topo, c);
            }
        }
    }

    /// Whether consumer `c` reads a topic in a group.
    pub fn is_member(&self, c: usize) -> bool {
        self.members.get(c).is_some_and(Option::is_some)
    }

    // ----- reading the state ---------------------------------------------------

    /// The partitions of topic `t`.
    pub fn partitions(&self, t: usize) -> &[Partition] {
        &self.topics[t]
    }

    /// Group `g`'s state.
    pub fn group(&self, g: usize) -> &Group {
        &self.groups[g]
    }

    /// Member `c`'s client state, if it is in a group.
    pub fn member_state(&self, c: usize) -> Option<&Member> {
        self.members.get(c).and_then(Option::as_ref)
    }

    /// Records in workers' hands (arrived, not yet settled): what the totals count as
    /// unacked, as the census does.
    pub fn at_workers(&self) -> u64 {
        self.members
            .iter()
            .flatten()
            .map(|m| m.held.len().saturating_sub(m.transit.len()) as u64)
            .sum()
    }

    /// Claims every copy the family holds (batches travelling and copies at workers)
    /// and checks each partition's ledger and each group's offsets.
    pub fn census(&self, census: &mut Census) {
        for (c, m) in self.members.iter().enumerate() {
            let Some(m) = m else { continue };
            for &(slot, ..) in &m.held {
                let travelling = m.transit.contains(&slot);
                match census.claim(slot, "fetched") {
                    Some(copy) if copy.state == (CopyState::Fetched { consumer: c as u32 }) => {}
                    _ => census.problem(format!(
                        "fetched slot {slot} is not marked fetched by consumer {c}"
                    )),
                }
                if travelling {
                    census.in_flight += 1;
                } else {
                    census.unacked += 1;
                }
            }
        }
        for (t, parts) in self.topics.iter().enumerate() {
            for (p, part) in parts.iter().enumerate() {
                if let Some(problem) = part.ledger_problem() {
                    census.problem(format!("topic {t} partition {p}: {problem}"));
                }
            }
        }
        for (g, group) in self.groups.iter().enumerate() {
            for (p, committed) in group.committed.iter().enumerate() {
                let end = self.topics[group.topic][p].log_end;
                if committed.is_some_and(|c| c > end) {
                    census.problem(format!(
                        "group {g} committed past the log end of partition {p}"
                    ));
                }
            }
            // One owner per partition holds by construction (one slot each); the
            // owner must be a member of this generation.
            for (p, o) in group.owner.iter().enumerate() {
                if o.is_some_and(|o| !group.members.contains(&o)) {
                    census.problem(format!("group {g} partition {p} owned by a non-member"));
                }
            }
        }
    }
}

/// A parcel for a Kafka record (produced, or fetched by a consumer).
fn new_copy(k: &mut Kernel, body: Rc<MessageBody>, state: CopyState, topic: Rc<str>) -> Copy {
    k.new_parcel(body, state, topic)
}
