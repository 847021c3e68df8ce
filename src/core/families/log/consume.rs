//! A member's side of consuming: polls (seam `credit`), fetches from the partitions it
//! owns, commits, settling what it fetched (seam `settle`), going away (seam `abandon`),
//! and resetting a group's offsets.

use super::*;

impl Log {
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
    pub(super) fn poll(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
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
    pub(super) fn fetch(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
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
            // (start + i) % count, without a division per partition.
            let p = if start + i < count {
                start + i
            } else {
                start + i - count
            };
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
            // Kafka's poll loop goes on polling while nothing arrives, and a poll commits
            // once `auto.commit.interval.ms` has passed (ConsumerCoordinator
            // .maybeAutoCommitOffsetsAsync from KafkaConsumer.poll): that poll is put on
            // the agenda when there is something to commit.
            let uncommitted = || {
                (0..m.consumed.len()).any(|p| {
                    let off = auto_commit_offset(m, p);
                    off.is_some() && group.owner[p] == Some(c) && group.committed[p] != off
                })
            };
            if m.spec.commit == CommitMode::Auto && !m.commit_armed && uncommitted() {
                m.commit_armed = true;
                let due = m.last_commit.plus(ms_to_us(m.spec.auto_commit_interval_ms));
                k.agenda
                    .push(due.max(k.now), Action::AutoCommit { consumer: c as u32 });
            }
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
            k.record_batch(slot, edge, n, MotionKind::Fetch);
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

    /// The batch member `c` fetched arrives; appends its slots to `out` (none when the
    /// member went away meanwhile: they were discarded then).
    #[inline(never)]
    pub fn take_batch(&mut self, c: usize, epoch: u32, out: &mut Vec<u32>) {
        if let Some(m) = self.members[c].as_mut().filter(|m| m.epoch == epoch) {
            out.append(&mut m.transit);
        }
    }

    /// Commits `offset` for partition `p` on behalf of member `c`: refused when it
    /// does not own the partition now (it was revoked or the member evicted).
    pub(super) fn commit(&mut self, c: usize, p: usize, offset: u64) {
        let g = self.member(c).group;
        let joined = self.member(c).joined;
        let group = &mut self.groups[g];
        if joined && group.owner[p] == Some(c) {
            group.committed[p] = Some(offset);
        } else {
            group.commits_failed += 1;
        }
    }

    /// The auto-commit of member `c`'s poll loop while it waits for records (see
    /// `fetch`): nothing when it went away, crashed or is busy again (its own next poll
    /// commits then).
    pub fn auto_commit(&mut self, k: &mut Kernel, c: usize) {
        let Some(m) = self.members[c].as_mut() else {
            return;
        };
        m.commit_armed = false;
        if !m.joined || m.crashed || !m.waiting {
            return;
        }
        self.commit_consumed(k, c);
        self.member(c).last_commit = k.now;
    }

    /// Auto-commit of member `c`: each partition it owns at [`auto_commit_offset`].
    pub(super) fn commit_consumed(&mut self, _k: &mut Kernel, c: usize) {
        let g = self.member(c).group;
        for p in 0..self.member(c).consumed.len() {
            if let Some(off) = auto_commit_offset(self.member(c), p) {
                if self.groups[g].owner[p] == Some(c) && self.groups[g].committed[p] != Some(off) {
                    self.commit(c, p, off);
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
                // Auto-commit commits the position (`SubscriptionState.allConsumed`),
                // which the seek moved back here: what was settled past it, and what
                // the member still works on from the same fetch, no longer counts (it
                // is fetched again). Otherwise a crash before the record is read again
                // would lose it.
                if let Some(done) = &mut m.consumed[p] {
                    *done = (*done).min(offset);
                }
                for &(s, q, o) in &m.held {
                    if q as usize == p && o > offset && !m.stale.contains(&s) {
                        m.stale.push(s);
                    }
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
}

/// What auto-commit commits for member `m` on partition `p`: the offset after the last
/// record it settled there; where it settled none since it got the partition and holds
/// none of its records, its position (the offset `auto.offset.reset` or the committed
/// offset put it at). Kafka commits every assigned partition's position, records read
/// or not (`SubscriptionState.allConsumed`, `ConsumerCoordinator
/// .maybeAutoCommitOffsetsAsync`).
fn auto_commit_offset(m: &Member, p: usize) -> Option<u64> {
    m.consumed[p].or_else(|| {
        let holds = m.held.iter().any(|&(_, q, _)| q as usize == p);
        if holds {
            None
        } else {
            m.position[p]
        }
    })
}
