//! Group membership and rebalances: joining and leaving, asking for a rebalance,
//! rejoining at a poll, the join and sync round trips and the assignor's new owners, and
//! the timers that remove a member (session timeout, `max.poll.interval.ms`).

use super::*;

impl Log {
    pub(super) fn member(&mut self, c: usize) -> &mut Member {
        self.members[c].as_mut().expect("a group member")
    }

    /// Consumer `c` joins its group: a rebalance is asked for.
    pub(super) fn join(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        let m = self.member(c);
        m.joined = true;
        m.crashed = false;
        let g = m.group;
        let group = &mut self.groups[g];
        if !group.members.contains(&c) {
            group.members.push(c);
            let order = &topo.groups[g].members;
            crate::core::sort::sort_by_key(&mut group.members, |m| {
                order.iter().position(|x| x == m).unwrap_or(usize::MAX)
            });
        }
        self.request_rebalance(k, topo, g);
    }

    /// Consumer `c` leaves its group (closed, evicted or timed out): its partitions
    /// are unowned until the rebalance.
    pub(super) fn leave(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
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

    pub(super) fn request_rebalance(&mut self, k: &mut Kernel, topo: &Topology, g: usize) {
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
    pub(super) fn rejoin(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
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

    pub(super) fn maybe_sync(&mut self, k: &mut Kernel, g: usize) {
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
}
