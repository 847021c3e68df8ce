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
pub mod group;
pub mod partition;
pub mod partitioner;

use crate::core::kernel::agenda::Action;
use crate::core::kernel::census::Census;
use crate::core::kernel::time::{ms_to_us, SimTime};
use crate::core::kernel::Kernel;
use crate::core::model::events::{DropReason, EventKind};
use crate::core::model::ids::{EdgeId, MessageId, NodeId};
use crate::core::model::message::Outgoing;
use crate::core::model::message::{Copy, CopyState, MessageBody};
use crate::core::model::motion::{Leg, Motion, MotionKind};
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

    // ----- produce -------------------------------------------------------------

    /// Seam `offer` for a topic: `from` produces `out` to `topic` along `edge`. The
    /// partition is the sender's choice (explicit, by key, or sticky).
    #[inline(never)]
    pub fn produce(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        from: Option<NodeId>,
        topic: usize,
        edge: Option<EdgeId>,
        out: Outgoing,
    ) -> Produced {
        let message = k.new_message_id();
        k.totals.published += 1;
        let info = &topo.topics[topic];
        let partitions = info.spec.partitions;
        let size = out.key.as_ref().map_or(0, |s| s.len() as u64)
            + if out.tombstone {
                0
            } else {
                out.payload.len() as u64
            };
        let partition = match (out.partition, &out.key) {
            (Some(p), _) => p.min(partitions.saturating_sub(1)),
            (None, Some(key)) => partitioner::partition_for_key(key, partitions),
            (None, None) => {
                let origin = from.map_or(u32::MAX, |n| n.0);
                let rng = &mut k.rng;
                self.sticky
                    .entry((origin, topic))
                    .or_default()
                    .next(size, || {
                        (rng.unit() * partitions as f64) as u32 % partitions.max(1)
                    })
            }
        };
        k.totals.hops += 1;
        if let Some(edge) = edge {
            k.travel(edge);
        }
        let body = Rc::new(MessageBody {
            id: message,
            routing_key: out.key.clone().unwrap_or_else(|| Rc::from("")),
            headers: out.headers,
            cc: Vec::new(),
            bcc: Vec::new(),
            payload: out.payload,
            message_id: out.message_id,
            correlation_id: out.correlation_id,
            reply_to: out.reply_to,
            priority: None,
            expiration_us: None,
            origin: from,
            published_at: k.now,
            key: out.key.clone(),
            tombstone: out.tombstone,
        });
        let copy = new_copy(k, body, CopyState::InFlight, info.name.clone());
        let slot = k.alloc(copy);
        let (id, topic_node) = (k.copy(slot).id, info.node);
        k.emit(|| EventKind::Produced {
            copy: id,
            message,
            from,
            topic: topic_node,
            partition,
        });
        if out.key.is_none() && info.spec.cleanup_policy == CleanupPolicy::Compact {
            // "Compacted topic cannot accept message without key" (Kafka's
            // InvalidRecordException): the broker refuses the produce.
            k.drop_copy(slot, Some(info.node), DropReason::InvalidRecord);
            return Produced::Refused(message);
        }
        if let Some(edge) = edge {
            k.record_hop(slot, edge, MotionKind::Produce);
        } else if let Some(from) = from {
            let (depart, arrive) = (k.now, k.hop_end());
            let (id, origin) = (k.copy(slot).id, Some(from));
            let to = info.node;
            k.recorder.motion(|| {
                Some(Motion {
                    copy: id,
                    origin,
                    legs: vec![Leg::Line { from, to }],
                    reverse: false,
                    depart,
                    arrive,
                    count: 1,
                    kind: MotionKind::Produce,
                })
            });
        }
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArriveTopic {
                slot,
                topic: topic as u32,
                partition,
            },
        );
        Produced::Sent(message, partition)
    }

    /// A produced parcel reaches its partition: it becomes a record; members waiting
    /// on that partition fetch.
    #[inline(never)]
    pub fn arrive(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        slot: u32,
        topic: usize,
        partition: u32,
    ) {
        let body = k.copy(slot).body.clone();
        let (key, value) = (
            body.key.clone(),
            (!body.tombstone).then(|| body.payload.clone()),
        );
        let spec = &topo.topics[topic].spec;
        let offset = self.topics[topic][partition as usize].append(spec, k.now, key, value, body);
        let (id, node) = (k.copy(slot).id, topo.topics[topic].node);
        k.emit(|| EventKind::Appended {
            copy: id,
            topic: node,
            partition,
            offset,
        });
        k.settle_stored(slot);
        for &g in &topo.topics[topic].groups {
            if let Some(owner) = self.groups[g].owner[partition as usize] {
                if self.members[owner].as_ref().is_some_and(|m| m.waiting) {
                    self.poll(k, topo, owner);
                }
            }
        }
    }

    /// Retention and compaction of `topic` now; the next run is scheduled.
    #[inline(never)]
    pub fn maintain(&mut self, k: &mut Kernel, topo: &Topology, topic: usize) {
        let spec = &topo.topics[topic].spec;
        for p in &mut self.topics[topic] {
            p.maintain(spec, k.now);
        }
        let at = k.now.plus(ms_to_us(MAINTENANCE_MS));
        k.agenda.push(
            at,
            Action::LogMaintenance {
                topic: topic as u32,
            },
        );
    }

    // ----- members and groups --------------------------------------------------

    fn member(&mut self, c: usize) -> &mut Member {
        self.members[c].as_mut().expect("a group member")
    }

    /// Consumer `c` joins its group: a rebalance is asked for.
    fn join(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        let m = self.member(c);
        m.joined = true;
        m.crashed = false;
        let g = m.group;
        let group = &mut self.groups[g];
        if !group.members.contains(&c) {
            group.members.push(c);
            let order = &topo.groups[g].members;
            group
                .members
                .sort_by_key(|m| order.iter().position(|x| x == m).unwrap_or(usize::MAX));
        }
        self.request_rebalance(k, topo, g);
    }

    /// Consumer `c` leaves its group (closed, evicted or timed out): its partitions
    /// are unowned until the rebalance.
    fn leave(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        let m = self.member(c);
        m.joined = false;
        m.crashed = false;
        m.waiting = false;
        m.position.iter_mut().for_each(|p| *p = None);
        m.consumed.iter_mut().for_each(|p| *p = None);
        let g = m.group;
        let group = &mut self.groups[g];
        group.members.retain(|&x| x != c);
        for o in &mut group.owner {
            if *o == Some(c) {
                *o = None;
            }
        }
        if let Some(rb) = &mut group.rebalance {
            rb.waiting.retain(|&x| x != c);
        }
        self.request_rebalance(k, topo, g);
    }

    fn request_rebalance(&mut self, k: &mut Kernel, topo: &Topology, g: usize) {
        let group = &mut self.groups[g];
        let rb = group.rebalance.get_or_insert_with(Rebalance::default);
        if rb.syncing {
            rb.again = true;
            return;
        }
        for &m in &group.members {
            if !rb.waiting.contains(&m) && !rb.rejoined.contains(&m) {
                rb.waiting.push(m);
            }
        }
        // Members idle in a poll rejoin at once; busy ones at their next poll.
        let idle: Vec<usize> = rb
            .waiting
            .iter()
            .copied()
            .filter(|&m| {
                self.members[m]
                    .as_ref()
                    .is_some_and(|x| x.joined && !x.crashed && x.held.is_empty())
            })
            .collect();
        for m in idle {
            self.rejoin(k, topo, m);
        }
        self.maybe_sync(k, g);
    }

    /// Member `c` rejoins during a rebalance (at a poll): auto-commit commits what it
    /// consumed.
    fn rejoin(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        let _ = topo;
        let g = self.member(c).group;
        if let Some(rb) = &mut self.groups[g].rebalance {
            rb.waiting.retain(|&x| x != c);
            if !rb.rejoined.contains(&c) {
                rb.rejoined.push(c);
            }
        }
        if self.member(c).spec.commit == CommitMode::Auto {
            self.commit_consumed(k, c);
        }
        self.maybe_sync(k, g);
    }

    fn maybe_sync(&mut self, k: &mut Kernel, g: usize) {
        let Some(rb) = &mut self.groups[g].rebalance else {
            return;
        };
        if rb.waiting.is_empty() && !rb.syncing {
            rb.syncing = true;
            // JoinGroup and SyncGroup: two round trips of one hop.
            let at = k.now.plus(2 * k.hop_us);
            k.agenda.push(at, Action::GroupSync { group: g as u32 });
        }
    }

    /// The join and sync round trips of group `g` end: the assignor runs.
    #[inline(never)]
    pub fn sync(&mut self, k: &mut Kernel, topo: &Topology, g: usize) {
        let Some(rb) = self.groups[g].rebalance.take() else {
            return;
        };
        let group = &mut self.groups[g];
        let partitions = group.owner.len() as u32;
        let owned: Vec<Vec<u32>> = group.members.iter().map(|&m| group.owned_by(m)).collect();
        let target = assign::assign(group.assignor, partitions, &owned);
        let cooperative = group.assignor == Assignor::CooperativeSticky;
        let moving = if cooperative {
            assign::moving(&owned, &target)
        } else {
            Vec::new()
        };
        let mut new_owner = vec![None; partitions as usize];
        for (i, list) in target.iter().enumerate() {
            for &p in list {
                if !moving.contains(&p) {
                    new_owner[p as usize] = Some(group.members[i]);
                }
            }
        }
        let old_owner = std::mem::replace(&mut group.owner, new_owner);
        group.generation += 1;
        group.rebalances += 1;
        let members = group.members.clone();
        let (generation, count) = (group.generation, members.len() as u32);
        let info = &topo.groups[g];
        let node = topo.topics[info.topic].node;
        k.emit(|| EventKind::Rebalanced {
            topic: node,
            group: info.name.clone(),
            generation,
            members: count,
        });
        // A member that lost a partition forgets its position there; a new owner
        // starts at the committed offset at its first fetch.
        for (p, (before, after)) in old_owner
            .iter()
            .zip(self.groups[g].owner.clone())
            .enumerate()
        {
            if *before != after {
                for m in [*before, after].into_iter().flatten() {
                    if let Some(member) = self.members[m].as_mut() {
                        member.position[p] = None;
                        member.consumed[p] = None;
                    }
                }
            }
        }
        if rb.again || !moving.is_empty() {
            self.request_rebalance(k, topo, g);
        }
        for m in members {
            self.poll(k, topo, m);
        }
    }

    /// Seam `credit`: worker `c` has room (it finished a record, or came back).
    #[inline(never)]
    pub fn credit(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        let m = self.member(c);
        if !m.held.is_empty() {
            // Still working through its last poll's records: the next poll (and so
            // any rejoining) comes when they are done.
            return;
        }
        if !m.joined {
            self.join(k, topo, c);
        } else if m.crashed {
            // Restarted before its session ran out: it joins again.
            m.crashed = false;
            m.session = m.session.wrapping_add(1);
            let g = m.group;
            self.request_rebalance(k, topo, g);
        }
        self.poll(k, topo, c);
    }

    /// A poll by member `c`, when its hands are empty: rejoin if a rebalance waits for
    /// it, auto-commit when due, then fetch (or wait for records).
    fn poll(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        let m = self.member(c);
        if !m.joined || m.crashed || !m.held.is_empty() {
            return;
        }
        let g = m.group;
        if self.groups[g]
            .rebalance
            .as_ref()
            .is_some_and(|rb| rb.waiting.contains(&c))
        {
            self.rejoin(k, topo, c);
        }
        if self.groups[g].stopped() {
            self.member(c).waiting = true;
            return;
        }
        let m = self.member(c);
        if m.spec.commit == CommitMode::Auto
            && k.now.0.saturating_sub(m.last_commit.0) >= ms_to_us(m.spec.auto_commit_interval_ms)
        {
            self.commit_consumed(k, c);
            self.member(c).last_commit = k.now;
        }
        self.fetch(k, topo, c);
    }

    /// Fetches up to `max_poll_records` for member `c` from the partitions it owns,
    /// rotating the starting partition between polls.
    fn fetch(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        let g = self.member(c).group;
        let topic = self.groups[g].topic;
        let edge = topo.consumers[c].membership.as_ref().map(|x| x.edge);
        let name = &topo.topics[topic].name;
        // Split borrows: the log is read while the member and the kernel change.
        let Log {
            topics,
            groups,
            members,
            ..
        } = self;
        let group = &mut groups[g];
        let m = members[c].as_mut().expect("member");
        let parts = &topics[topic];
        let (max, reset) = (m.spec.max_poll_records as usize, m.spec.auto_offset_reset);
        let count = group.owner.len();
        // The partitions it owns, from a different one each poll, no list allocated.
        let start = m.rotate % count.max(1);
        let mut taken = 0usize;
        let mut first = None;
        for i in 0..count {
            if taken >= max {
                break;
            }
            let p = (start + i) % count;
            if group.owner[p] != Some(c) {
                continue;
            }
            let part = &parts[p];
            let origin = match reset {
                OffsetReset::Earliest => part.log_start,
                OffsetReset::Latest => part.log_end,
            };
            let mut pos = m.position[p].or(group.committed[p]).unwrap_or(origin);
            if pos < part.log_start {
                // Out of range: retention deleted what this group had not read.
                group.skipped += origin - pos;
                pos = origin;
            }
            m.position[p] = Some(pos);
            for r in part.read(pos, max - taken) {
                let copy = new_copy(
                    k,
                    r.body.clone(),
                    CopyState::Fetched { consumer: c as u32 },
                    name.clone(),
                );
                let slot = k.alloc(copy);
                first.get_or_insert(slot);
                m.held.push_back((slot, p as u32, r.offset));
                m.transit.push(slot);
                m.position[p] = Some(r.offset + 1);
                taken += 1;
                k.totals.hops += 1;
                if let Some(edge) = edge {
                    k.travel(edge);
                }
            }
        }
        if taken == 0 {
            m.waiting = true;
            return;
        }
        m.waiting = false;
        m.rotate = m.rotate.wrapping_add(1);
        m.polls += 1;
        m.last_poll = k.now;
        let polls = m.polls;
        // One pending check per member: when it fires after a later poll, it re-arms
        // for that poll (no agenda entry per poll).
        let arm = !std::mem::replace(&mut m.deadline_armed, true);
        let epoch = m.epoch;
        let before = m.spec.commit == CommitMode::Before;
        let poll_ms = m.spec.max_poll_interval_ms;
        let n = taken as u32;
        if before {
            // At-most-once: the positions are committed before the work.
            let positions = self.member(c).position.clone();
            for (p, pos) in positions.iter().enumerate() {
                if let Some(pos) = pos {
                    self.commit(c, p, *pos);
                }
            }
        }
        if k.recorder.is_on() {
            let copies: Vec<_> = self
                .member(c)
                .transit
                .iter()
                .map(|&s| (k.copy(s).id, k.copy(s).body.id))
                .collect();
            let (consumer, node) = (topo.consumers[c].node, topo.topics[topic].node);
            k.emit(|| EventKind::Fetched {
                consumer,
                topic: node,
                copies,
            });
        }
        if let (Some(edge), Some(slot)) = (edge, first) {
            if k.recorder.is_on() {
                let (id, origin) = (k.copy(slot).id, k.copy(slot).body.origin);
                let (depart, arrive) = (k.now, k.hop_end());
                k.recorder.motion(|| {
                    Some(Motion {
                        copy: id,
                        origin,
                        legs: vec![Leg::Edge { edge }],
                        reverse: false,
                        depart,
                        arrive,
                        count: n,
                        kind: MotionKind::Fetch,
                    })
                });
            }
        }
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::FetchArrive {
                consumer: c as u32,
                epoch,
            },
        );
        if arm {
            let deadline = k.now.plus(ms_to_us(poll_ms));
            k.agenda.push(
                deadline,
                Action::PollDeadline {
                    consumer: c as u32,
                    polls,
                },
            );
        }
    }

    /// The batch member `c` fetched arrives; returns its slots (none when the member
    /// went away meanwhile: they were discarded then).
    #[inline(never)]
    pub fn take_batch(&mut self, c: usize, epoch: u32) -> Vec<u32> {
        match self.members[c].as_mut() {
            Some(m) if m.epoch == epoch => std::mem::take(&mut m.transit),
            _ => Vec::new(),
        }
    }

    /// Commits `offset` for partition `p` on behalf of member `c`: refused when it
    /// does not own the partition now (it was revoked or the member evicted).
    fn commit(&mut self, c: usize, p: usize, offset: u64) {
        let g = self.member(c).group;
        let joined = self.member(c).joined;
        let group = &mut self.groups[g];
        if joined && group.owner[p] == Some(c) {
            group.committed[p] = Some(offset);
        } else {
            group.commits_failed += 1;
        }
    }

    fn commit_consumed(&mut self, _k: &mut Kernel, c: usize) {
        let consumed = self.member(c).consumed.clone();
        let g = self.member(c).group;
        for (p, off) in consumed.iter().enumerate() {
            if let Some(off) = off {
                if self.groups[g].owner[p] == Some(c) && self.groups[g].committed[p] != Some(*off) {
                    self.commit(c, p, *off);
                }
            }
        }
    }

    /// Seam `settle`: worker `c` is done with the copy in `slot`.
    #[inline(never)]
    pub fn settle(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        c: usize,
        slot: u32,
        how: RecordSettlement,
    ) {
        let m = self.member(c);
        let Some(i) = m.held.iter().position(|(s, ..)| *s == slot) else {
            return;
        };
        let (_, p, offset) = m.held.remove(i).expect("found");
        let p = p as usize;
        if let Some(j) = m.stale.iter().position(|s| *s == slot) {
            // Fetched before an offset reset: done with, but it moves no offset.
            m.stale.swap_remove(j);
            if how != RecordSettlement::Done {
                let node = topo.consumers[c].node;
                k.drop_copy(slot, Some(node), DropReason::Discarded);
            }
            return;
        }
        match how {
            RecordSettlement::Done | RecordSettlement::Skip => {
                let next = offset + 1;
                let c_ = &mut m.consumed[p];
                *c_ = Some(c_.map_or(next, |x| x.max(next)));
                if m.spec.commit == CommitMode::After {
                    self.commit(c, p, next);
                }
                if how == RecordSettlement::Skip {
                    let node = topo.consumers[c].node;
                    k.drop_copy(slot, Some(node), DropReason::Rejected);
                }
            }
            RecordSettlement::SeekBack => {
                if let Some(pos) = &mut m.position[p] {
                    *pos = (*pos).min(offset);
                }
                let node = topo.consumers[c].node;
                k.drop_copy(slot, Some(node), DropReason::Discarded);
            }
        }
    }

    /// Seam `abandon`: worker `c` went away. A crash keeps its membership until its
    /// session times out; a clean stop commits (auto) and leaves at once.
    #[inline(never)]
    pub fn abandon(&mut self, k: &mut Kernel, topo: &Topology, c: usize, crash: bool) {
        let node = topo.consumers[c].node;
        let m = self.member(c);
        m.epoch = m.epoch.wrapping_add(1);
        m.waiting = false;
        m.transit.clear();
        // The client's positions die with it: whoever reads next starts at the
        // committed offsets.
        m.position.iter_mut().for_each(|p| *p = None);
        m.stale.clear();
        let held: Vec<u32> = m.held.drain(..).map(|(s, ..)| s).collect();
        for slot in held {
            k.drop_copy(slot, Some(node), DropReason::Discarded);
        }
        if !self.member(c).joined {
            return;
        }
        if crash {
            let m = self.member(c);
            m.crashed = true;
            m.session = m.session.wrapping_add(1);
            let (session, ms) = (m.session, m.spec.session_timeout_ms);
            let at = k.now.plus(ms_to_us(ms));
            k.agenda.push(
                at,
                Action::SessionExpired {
                    consumer: c as u32,
                    session,
                },
            );
        } else {
            if self.member(c).spec.commit == CommitMode::Auto {
                self.commit_consumed(k, c);
            }
            self.leave(k, topo, c);
        }
        self.member(c).consumed.iter_mut().for_each(|p| *p = None);
    }

    /// A crashed member's session ran out: the coordinator removes it.
    #[inline(never)]
    pub fn session_expired(&mut self, k: &mut Kernel, topo: &Topology, c: usize, session: u32) {
        let m = self.member(c);
        if m.crashed && m.session == session {
            self.leave(k, topo, c);
        }
    }

    /// `max.poll.interval.ms` after poll number `polls`: a member still working on
    /// that batch is evicted (its later commits fail; it joins again at its next
    /// poll).
    #[inline(never)]
    pub fn poll_deadline(&mut self, k: &mut Kernel, topo: &Topology, c: usize, polls: u64) {
        let m = self.member(c);
        m.deadline_armed = false;
        if !m.joined || m.crashed || m.held.is_empty() {
            return;
        }
        if m.polls == polls {
            self.leave(k, topo, c);
            return;
        }
        // It polled since: the check moves to that poll's deadline.
        let at = m.last_poll.plus(ms_to_us(m.spec.max_poll_interval_ms));
        m.deadline_armed = true;
        let polls = m.polls;
        k.agenda.push(
            at.max(k.now),
            Action::PollDeadline {
                consumer: c as u32,
                polls,
            },
        );
    }

    /// Resets group `g`'s committed offsets to `to` on every partition, as
    /// `kafka-consumer-groups --reset-offsets` or a `seek` by every member would: each
    /// member fetches from the new offsets at its next poll (records already in its
    /// hands are still worked on).
    pub fn reset_offsets(&mut self, k: &mut Kernel, topo: &Topology, g: usize, to: OffsetTarget) {
        let topic = self.groups[g].topic;
        for (p, part) in self.topics[topic].iter().enumerate() {
            let offset = match to {
                OffsetTarget::Earliest => part.log_start,
                OffsetTarget::Latest => part.log_end,
                OffsetTarget::Offset(o) => o.clamp(part.log_start, part.log_end),
                OffsetTarget::TimeMs(ms) => {
                    let t = SimTime::from_ms(ms.max(0.0));
                    part.records()
                        .find(|r| r.timestamp >= t)
                        .map_or(part.log_end, |r| r.offset)
                }
            };
            self.groups[g].committed[p] = Some(offset);
        }
        let mut waiting = Vec::new();
        for (c, m) in self.members.iter_mut().enumerate() {
            let Some(m) = m.as_mut().filter(|m| m.group == g) else {
                continue;
            };
            m.position.iter_mut().for_each(|x| *x = None);
            m.consumed.iter_mut().for_each(|x| *x = None);
            m.stale = m.held.iter().map(|h| h.0).collect();
            if m.waiting {
                waiting.push(c);
            }
        }
        // Members waiting in a poll fetch from the new offsets at once.
        for c in waiting {
            self.poll(k, topo, c);
        }
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
    let id = k.new_copy_id();
    Copy {
        id,
        routing_key: body.routing_key.clone(),
        body,
        state,
        cc_active: false,
        bcc_active: false,
        exchange: topic,
        redelivered: false,
        returns: 0,
        x_death: Vec::new(),
        expiration_cleared: true,
        expires_at: None,
        seq: 0,
        level: 0,
        held_at: 0,
        enqueued_at: k.now,
    }
}
