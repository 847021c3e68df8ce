//! The caller's side of a call: attempts, their timeouts, replies (late ones counted),
//! retries after an exponential backoff with jitter, the breaker's say, and the end of
//! the call for its caller.

use super::{AttemptEnd, Call, Caller, Finished, Request, Rpc};
use crate::core::kernel::agenda::Action;
use crate::core::kernel::time::ms_to_us;
use crate::core::kernel::Kernel;
use crate::core::model::events::EventKind;
use crate::core::model::message::{CopyState, MessageBody};
use crate::core::model::motion::MotionKind;
use crate::core::topology::Topology;
use std::rc::Rc;

impl Rpc {
    /// Opens a call by `caller` along call edge `index` carrying `body`; returns its id
    /// (then [`Rpc::attempt`] sends the first attempt).
    pub fn begin(
        &mut self,
        k: &mut Kernel,
        caller: Caller,
        index: usize,
        body: Rc<MessageBody>,
    ) -> u32 {
        self.stats[index].calls += 1;
        self.calls.insert(Call {
            index,
            caller,
            body,
            attempts: 0,
            started: k.now,
            token: 0,
            pending: false,
        })
    }

    fn token(&mut self) -> u32 {
        self.next_token = self.next_token.wrapping_add(1);
        self.next_token
    }

    /// Sends call `id`'s next attempt: a request parcel along the edge and a timeout.
    /// An open breaker refuses it at once: then the call may be over (returned).
    pub fn attempt(&mut self, k: &mut Kernel, topo: &Topology, id: u32) -> Option<Finished> {
        let call = self.calls.get_mut(id);
        call.attempts += 1;
        let (index, attempt) = (call.index, call.attempts);
        self.stats[index].attempts += 1;
        if let Some(b) = &mut self.breakers[index] {
            if !b.allow(k.now) {
                return self.ended(k, topo, id, AttemptEnd::Rejected { by_breaker: true });
            }
        }
        let token = self.token();
        let call = self.calls.get_mut(id);
        call.token = token;
        call.pending = true;
        let body = call.body.clone();
        let info = &topo.calls[index];
        let copy = k.new_parcel(
            body,
            CopyState::InFlight,
            crate::core::model::message::empty_text(),
        );
        let slot = k.alloc(copy);
        k.totals.hops += 1;
        k.travel(info.edge);
        k.record_hop(slot, info.edge, MotionKind::Call);
        self.requests.insert(
            slot,
            Request {
                call: id,
                token,
                index: index as u32,
            },
        );
        let (copy, message, edge, from, to) = (
            k.copy(slot).id,
            k.copy(slot).body.id,
            info.edge,
            info.from,
            topo.consumers[info.callee].node,
        );
        k.emit(|| EventKind::CallSent {
            copy,
            message,
            from,
            to,
            edge,
            attempt,
        });
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArriveService {
                slot,
                call: index as u32,
            },
        );
        k.agenda.push(
            k.now.plus(ms_to_us(info.spec.timeout_ms)),
            Action::CallTimeout { call: id, token },
        );
        None
    }

    /// Call `id`'s attempt `token` timed out (if it is still waiting).
    pub fn timeout(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        id: u32,
        token: u32,
    ) -> Option<Finished> {
        let current = self
            .calls
            .try_get(id)
            .is_some_and(|c| c.token == token && c.pending);
        if !current {
            return None;
        }
        self.ended(k, topo, id, AttemptEnd::Timeout)
    }

    /// A reply to call `id`'s attempt `token` (along call edge `index`) is back.
    pub fn reply_arrives(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        id: u32,
        token: u32,
        index: usize,
        answer: super::Answer,
    ) -> Option<Finished> {
        let current = self
            .calls
            .try_get(id)
            .is_some_and(|c| c.token == token && c.pending);
        if !current {
            // Its attempt had timed out: the service worked for nobody.
            self.stats[index].late_replies += 1;
            return None;
        }
        let end = match answer {
            super::Answer::Ok => AttemptEnd::Ok,
            super::Answer::Error => AttemptEnd::Error,
            super::Answer::Rejected => AttemptEnd::Rejected { by_breaker: false },
        };
        self.ended(k, topo, id, end)
    }

    /// Whether call `id`'s retry `token` is still due; if so, who waits for it.
    pub fn retry_due(&self, id: u32, token: u32) -> Option<Caller> {
        self.calls
            .try_get(id)
            .filter(|c| c.token == token && !c.pending)
            .map(|c| c.caller)
    }

    /// Forgets call `id` without an answer (its caller went away before a retry).
    pub fn forget(&mut self, id: u32) {
        if self.calls.try_get(id).is_some() {
            self.calls.remove(id);
        }
    }

    /// Attempt of call `id` ended: count it, tell the breaker, then retry or end the
    /// call.
    fn ended(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        id: u32,
        end: AttemptEnd,
    ) -> Option<Finished> {
        let call = self.calls.get_mut(id);
        call.pending = false;
        let (index, attempts, caller) = (call.index, call.attempts, call.caller);
        let message = call.body.id;
        let s = &mut self.stats[index];
        match end {
            AttemptEnd::Ok => s.ok += 1,
            AttemptEnd::Error => s.error += 1,
            AttemptEnd::Timeout => s.timeout += 1,
            AttemptEnd::Rejected { by_breaker } => {
                s.rejected += 1;
                if by_breaker {
                    s.rejected_by_breaker += 1;
                }
            }
        }
        let ok = end == AttemptEnd::Ok;
        if end != (AttemptEnd::Rejected { by_breaker: true }) {
            if let Some(b) = &mut self.breakers[index] {
                b.record(k.now, ok);
            }
        }
        let info = &topo.calls[index];
        let (edge, from, to) = (info.edge, info.from, topo.consumers[info.callee].node);
        k.emit(|| EventKind::CallEnded {
            message,
            from,
            to,
            edge,
            attempt: attempts,
            result: match end {
                AttemptEnd::Ok => "ok",
                AttemptEnd::Error => "error",
                AttemptEnd::Timeout => "timeout",
                AttemptEnd::Rejected { by_breaker: true } => "breaker_open",
                AttemptEnd::Rejected { by_breaker: false } => "rejected",
            },
        });
        let retry = !ok
            && end != (AttemptEnd::Rejected { by_breaker: true })
            && attempts <= info.spec.retries;
        if retry {
            self.stats[index].retries += 1;
            // Exponential backoff: backoff_ms, doubled per retry, of which the
            // `jitter` share is drawn at random.
            let base = info.spec.backoff_ms * libm::pow(2.0, (attempts - 1) as f64);
            let wait = base * (1.0 - info.spec.jitter * k.rng.unit());
            let token = self.token();
            self.calls.get_mut(id).token = token;
            k.agenda.push(
                k.now.plus(ms_to_us(wait)),
                Action::CallRetry { call: id, token },
            );
            return None;
        }
        let started = self.calls.get(id).started;
        self.calls.remove(id);
        let s = &mut self.stats[index];
        s.latency.record(k.now.0.saturating_sub(started.0));
        if ok {
            s.calls_ok += 1;
        } else {
            s.calls_failed += 1;
        }
        Some(Finished { caller, ok })
    }
}
