//! The actors' side of synchronous calls: a client producer's requests, a worker
//! blocked on the calls it makes after processing (one call edge after another, each
//! holding the worker until its reply, timeout or last retry), and a service taking the
//! requests that reach it (at once when a hand is free, else from its backlog when
//! one frees up). The rules of calls and services are the `rpc` family's.

use crate::core::families::rpc::{Admission, Caller, Finished, FORWARD};
use crate::core::model::message::MessageBody;
use crate::core::scenario::Outcome;
use crate::core::simulation::Simulation;
use std::rc::Rc;

impl Simulation {
    /// Opens a call by `caller` along call edge `index` and sends its first attempt.
    pub(crate) fn start_call(&mut self, caller: Caller, index: usize, body: Rc<MessageBody>) {
        let id = self.rpc.begin(&mut self.kernel, caller, index, body);
        if let Some(done) = self.rpc.attempt(&mut self.kernel, &self.topo, id) {
            self.call_finished(done);
        }
    }

    /// A call's backoff is over: its next attempt goes, unless its worker went away
    /// meanwhile.
    pub(crate) fn call_retry(&mut self, id: u32, token: u32) {
        let Some(caller) = self.rpc.retry_due(id, token) else {
            return;
        };
        if let Caller::Worker { worker, epoch, .. } = caller {
            if self.workers[worker].epoch != epoch {
                self.rpc.forget(id);
                return;
            }
        }
        if let Some(done) = self.rpc.attempt(&mut self.kernel, &self.topo, id) {
            self.call_finished(done);
        }
    }

    /// A call is over: a worker that waited for it goes on.
    pub(crate) fn call_finished(&mut self, done: Finished) {
        if let Caller::Worker {
            worker,
            slot,
            epoch,
            step,
            failed_at,
        } = done.caller
        {
            self.call_returned(worker, slot, epoch, step, failed_at, done.ok);
        }
    }

    /// The compensating calls of worker `c` after its call step `failed_at` failed:
    /// those undoing the steps before it, latest step first.
    fn compensation_plan(&self, c: usize, failed_at: u32) -> Vec<usize> {
        let info = &self.topo.consumers[c];
        let mut plan = Vec::new();
        for step in (0..failed_at as usize).rev() {
            for &(call, undoes) in &info.compensations {
                if undoes == step {
                    plan.push(call);
                }
            }
        }
        plan
    }

    /// Worker `c`, holding `slot`, makes its call number `step` (of its calls in order,
    /// or of its compensation plan once step `failed_at` failed).
    pub(crate) fn call_step(&mut self, c: usize, slot: u32, epoch: u32, step: u32, failed_at: u32) {
        let index = if failed_at == FORWARD {
            self.topo.consumers[c].calls[step as usize]
        } else {
            self.compensation_plan(c, failed_at)[step as usize]
        };
        let body = self.kernel.copy(slot).body.clone();
        let caller = Caller::Worker {
            worker: c,
            slot,
            epoch,
            step,
            failed_at,
        };
        self.workers[c].stats.published += 1;
        self.start_call(caller, index, body);
    }

    /// Worker `c`'s call number `step` for `slot` is over: the next call; after a
    /// failure, the compensating calls of the steps that succeeded (latest first,
    /// each made whatever the one before answered); then the end of its work on
    /// `slot` (a failed call fails the work: an error reply to its own caller, or a
    /// rejected message).
    fn call_returned(
        &mut self,
        c: usize,
        slot: u32,
        epoch: u32,
        step: u32,
        failed_at: u32,
        ok: bool,
    ) {
        if self.workers[c].epoch != epoch || !self.workers[c].busy.contains(slot) {
            return;
        }
        let next = step + 1;
        let failed = if failed_at == FORWARD {
            if ok && (next as usize) < self.topo.consumers[c].calls.len() {
                self.call_step(c, slot, epoch, next, FORWARD);
                return;
            }
            if !ok && !self.compensation_plan(c, step).is_empty() {
                self.call_step(c, slot, epoch, 0, step);
                return;
            }
            !ok
        } else {
            if (next as usize) < self.compensation_plan(c, failed_at).len() {
                self.call_step(c, slot, epoch, next, failed_at);
                return;
            }
            true
        };
        self.workers[c].busy.remove(slot);
        let Some(source) = self.source_for(c, slot) else {
            return;
        };
        let outcome = if failed {
            Outcome::Reject
        } else {
            Outcome::Ack
        };
        self.finish_work(c, source, slot, outcome, false);
    }

    /// A request parcel reaches the service at the end of call edge `index`.
    pub(crate) fn request_arrives(&mut self, slot: u32, index: usize) {
        let c = self.topo.calls[index].callee;
        let online = self.workers[c].online;
        let room = self.worker_room(c) > 0;
        let admitted = self
            .rpc
            .arrive(&mut self.kernel, &self.topo, slot, c, online, room);
        if admitted == Admission::Work {
            self.arrive_consumer(slot, c);
        }
    }

    /// Service worker `c` takes waiting requests while it has free hands.
    pub(crate) fn feed_requests(&mut self, c: usize) {
        while self.workers[c].online
            && self.workers[c].pending_out.is_none()
            && self.worker_room(c) > 0
        {
            let Some(slot) = self.rpc.next_waiting(c) else {
                return;
            };
            self.arrive_consumer(slot, c);
        }
    }
}
