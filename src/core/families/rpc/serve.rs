//! The service's side of a call: a request reaches a service (refused at once when it
//! is down or its backlog is full, handed to a free worker, or left waiting), workers
//! take waiting requests as their hands free up (seam `credit`), the answer travels back
//! along the call edge (seam `settle`), and a service that goes down loses what it holds
//! (seam `abandon`).

use super::{Answer, Rpc};
use crate::core::families::rabbit::Settlement;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::Kernel;
use crate::core::model::events::DropReason;
use crate::core::model::message::CopyState;
use crate::core::model::motion::MotionKind;
use crate::core::topology::Topology;

/// What became of a request that reached a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// A worker takes it now.
    Work,
    /// It waits in the backlog.
    Waiting,
    /// Refused (down, or the backlog is full): the answer is on its way back.
    Refused,
}

impl Rpc {
    /// Request `slot` reaches service worker `c` (`online`: the service is up; `room`:
    /// a worker's hands are free).
    pub fn arrive(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        slot: u32,
        c: usize,
        online: bool,
        room: bool,
    ) -> Admission {
        let backlog = topo.consumers[c].service.map_or(0, |s| s.backlog) as usize;
        let Some(side) = self.services[c].as_mut() else {
            return Admission::Refused;
        };
        let node = Some(topo.consumers[c].node);
        if !online {
            side.stats.refused_down += 1;
            self.answer(k, topo, slot, Answer::Error);
            k.drop_copy(slot, node, DropReason::ServiceDown);
            return Admission::Refused;
        }
        k.copy_mut(slot).state = CopyState::Request { worker: c as u32 };
        if room && side.waiting.is_empty() {
            side.held.push(slot);
            return Admission::Work;
        }
        if side.waiting.len() < backlog {
            side.waiting.push_back(slot);
            return Admission::Waiting;
        }
        side.stats.refused_full += 1;
        self.answer(k, topo, slot, Answer::Rejected);
        k.drop_copy(slot, node, DropReason::BacklogFull);
        Admission::Refused
    }

    /// Seam `credit`: service worker `c` has a free hand: the oldest waiting request,
    /// if any, is its.
    pub fn next_waiting(&mut self, c: usize) -> Option<u32> {
        let side = self.services.get_mut(c)?.as_mut()?;
        let slot = side.waiting.pop_front()?;
        side.held.push(slot);
        Some(slot)
    }

    /// Seam `settle`: service worker `c` is done with request `slot`: an ack answers
    /// ok (the kernel settles the parcel), anything else answers with an error.
    pub fn settle(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        c: usize,
        slot: u32,
        how: Settlement,
    ) {
        let Some(side) = self.services[c].as_mut() else {
            return;
        };
        let Some(i) = side.held.iter().position(|s| *s == slot) else {
            return;
        };
        side.held.swap_remove(i);
        if how == Settlement::Ack {
            side.stats.served += 1;
            self.answer(k, topo, slot, Answer::Ok);
        } else {
            side.stats.failed += 1;
            self.answer(k, topo, slot, Answer::Error);
            k.drop_copy(
                slot,
                Some(topo.consumers[c].node),
                DropReason::RequestFailed,
            );
        }
    }

    /// Seam `abandon`: service worker `c` went down: the requests it held or kept
    /// waiting are lost; their callers will time out.
    pub fn abandon(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        let Some(side) = self.services[c].as_mut() else {
            return;
        };
        let mut lost: Vec<u32> = side.held.drain(..).collect();
        lost.extend(side.waiting.drain(..));
        side.stats.lost += lost.len() as u64;
        let node = Some(topo.consumers[c].node);
        for slot in lost {
            self.requests.remove(&slot);
            k.drop_copy(slot, node, DropReason::RequestLost);
        }
    }

    /// Sends the answer to request `slot` back along its call edge.
    fn answer(&mut self, k: &mut Kernel, topo: &Topology, slot: u32, answer: Answer) {
        let Some(r) = self.requests.remove(&slot) else {
            return;
        };
        let edge = topo.calls[r.index as usize].edge;
        k.totals.hops += 1;
        let origin = Some(topo.consumers[topo.calls[r.index as usize].callee].node);
        k.record_reply(
            edge,
            origin,
            MotionKind::Reply {
                ok: answer == Answer::Ok,
            },
        );
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ReplyArrive {
                call: r.call,
                token: r.token,
                index: r.index,
                answer,
            },
        );
    }
}
