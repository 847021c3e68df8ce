//! The worker actor (a consumer, or a service), shared by every system: messages
//! processed for a sampled duration (one at a time; a service's `workers` at once), then an outcome (ack, nack with
//! requeue, reject, crash) by odds or by pattern; crashes with a restart delay; outage
//! windows (which may overlap) and switching off by hand; idempotency over a bounded
//! window of message ids. What it sends on after processing is `forward.rs`.
//!
//! The worker never touches a system's state: it settles deliveries, gives credit
//! back and abandons its subscription through the seams of
//! [`crate::core::simulation::seams`]; what that means is the system's business
//! (RabbitMQ requeues unacked deliveries at once, for example).

use crate::core::families::rabbit::Settlement;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::time::ms_to_us;
use crate::core::model::events::{DownReason, EventKind};
use crate::core::model::message::Outgoing;
use crate::core::scenario::{AckMode, Outcome, Processing};
use crate::core::simulation::seams::{Ingress, Source};
use crate::core::simulation::Simulation;
use serde::Serialize;
use std::collections::VecDeque;
use std::rc::Rc;

pub use super::seen::{SeenIds, SEEN_WINDOW};

/// Counters of one consumer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConsumerStats {
    /// Deliveries received.
    pub received: u64,
    /// Messages whose work was done (the side effect happened), duplicates included.
    pub processed: u64,
    /// Distinct message ids processed (within the [`SEEN_WINDOW`]).
    pub unique_processed: u64,
    /// Messages skipped as already processed (idempotent consumers).
    pub duplicates_skipped: u64,
    /// Acks sent (or auto-acked messages completed).
    pub acked: u64,
    /// Nacks with requeue.
    pub requeued: u64,
    /// Rejections without requeue.
    pub rejected: u64,
    /// Crashes.
    pub crashes: u64,
    /// Messages published after processing (replies and forwards).
    pub published: u64,
}

/// Live state of one consumer.
#[derive(Clone, Debug, Default)]
pub struct ConsumerState {
    /// Connected and able to receive.
    pub online: bool,
    /// Down after a crash, waiting for its restart.
    pub awaiting_restart: bool,
    /// Scheduled outage windows open now (windows may overlap: the consumer is away
    /// until the last one ends).
    pub windows_open: u32,
    /// Switched off by hand.
    pub switched_off: bool,
    /// Bumped on every disconnection; stale timers carry an older value.
    pub epoch: u32,
    /// Arrived deliveries waiting to be processed.
    pub buffer: VecDeque<u32>,
    /// Deliveries being processed (at most the worker's concurrency; a worker blocked
    /// on a call keeps what it holds here).
    pub busy: super::hands::Hands,
    /// Position in the outcome pattern.
    pub pattern_pos: usize,
    /// Message ids recently processed (all consumers track this for
    /// `unique_processed`; idempotent ones also skip what it holds).
    pub seen: SeenIds,
    /// Counters.
    pub stats: ConsumerStats,
    /// Keep the payload of every message processed (for `--messages`).
    pub keep_payloads: bool,
    /// Payloads processed, in order, while `keep_payloads` is on.
    pub processed_payloads: Vec<Rc<str>>,
    /// A forward on its ZeroMQ PUSH socket that blocked: it takes no more work until
    /// the send goes through.
    pub pending_out: Option<Outgoing>,
    /// Publish-to-ack latency of what it acked, kept only in a diagram with frames
    /// (their scoreboards).
    pub latency: Option<crate::core::kernel::metrics::LatencyHistogram>,
}

impl ConsumerState {
    /// A connected consumer that has done nothing yet.
    pub fn new() -> ConsumerState {
        ConsumerState {
            online: true,
            ..ConsumerState::default()
        }
    }
}

impl Simulation {
    /// Schedules every consumer's outage windows.
    pub(crate) fn schedule_workers(&mut self) {
        for (c, info) in self.topo.consumers.iter().enumerate() {
            for (k, w) in info.spec.outages.iter().enumerate() {
                let (c, index) = (c as u32, k as u32);
                self.kernel.agenda.push(
                    crate::core::kernel::time::SimTime::from_ms(w.start_ms),
                    Action::OutageStart { consumer: c, index },
                );
                self.kernel.agenda.push(
                    crate::core::kernel::time::SimTime::from_ms(w.end_ms),
                    Action::OutageEnd { consumer: c, index },
                );
            }
        }
    }

    /// Where consumer `c`'s deliveries come from.
    pub(crate) fn source_of(&self, c: usize) -> Option<Source> {
        let info = &self.topo.consumers[c];
        match (&info.queue, &info.membership, &info.receive, &info.sns) {
            (Some((q, _)), ..) => Some(Source::Queue(*q)),
            (None, Some(m), ..) => Some(Source::Group(m.group)),
            (None, None, Some(r), _) => Some(Source::Sqs(r.queue)),
            (None, None, None, Some((t, _))) => Some(Source::Sns(*t)),
            (None, None, None, None) if !info.pipes_in.is_empty() => Some(Source::Pipes),
            (None, None, None, None) if info.service.is_some() => Some(Source::Calls),
            (None, None, None, None) => None,
        }
    }

    /// Where worker `c`'s delivery `slot` came from: a request made to a service, or
    /// the worker's broker.
    pub(crate) fn source_for(&self, c: usize, slot: u32) -> Option<Source> {
        if self.topo.consumers[c].service.is_some() && self.rpc.is_request(slot) {
            return Some(Source::Calls);
        }
        self.source_of(c)
    }

    /// Free hands of worker `c`: its concurrency less what it holds and has waiting.
    pub(crate) fn worker_room(&self, c: usize) -> usize {
        let s = &self.workers[c];
        (self.topo.consumers[c].concurrency as usize).saturating_sub(s.busy.len() + s.buffer.len())
    }

    /// A delivery reaches consumer `c` (the system has checked it is still current).
    pub(crate) fn arrive_consumer(&mut self, slot: u32, c: usize) {
        self.workers[c].stats.received += 1;
        self.workers[c].buffer.push_back(slot);
        self.maybe_start(c);
    }

    fn maybe_start(&mut self, c: usize) {
        let hands = self.topo.consumers[c].concurrency as usize;
        loop {
            let state = &mut self.workers[c];
            if !state.online || state.busy.len() >= hands || state.pending_out.is_some() {
                return;
            }
            let Some(slot) = state.buffer.pop_front() else {
                return;
            };
            self.start_one(c, slot);
        }
    }

    #[inline]
    fn start_one(&mut self, c: usize, slot: u32) {
        self.workers[c].busy.push(slot);
        let rng = &mut self.kernel.rng;
        let ms = match self.topo.consumers[c].spec.processing {
            Processing::Fixed { ms } => ms,
            Processing::Uniform { min_ms, max_ms } => min_ms + rng.unit() * (max_ms - min_ms),
            Processing::Exponential { mean_ms } => rng.exponential(mean_ms),
        };
        let at = self.kernel.now.plus(ms_to_us(ms));
        let epoch = self.workers[c].epoch;
        self.kernel.agenda.push(
            at,
            Action::ProcessingDone {
                consumer: c as u32,
                epoch,
                slot,
            },
        );
    }

    fn next_outcome(&mut self, c: usize) -> Outcome {
        let spec = &self.topo.consumers[c].spec;
        if !spec.pattern.is_empty() {
            let state = &mut self.workers[c];
            let o = spec.pattern[state.pattern_pos % spec.pattern.len()];
            state.pattern_pos += 1;
            return o;
        }
        let odds = &spec.outcomes;
        if odds.requeue + odds.reject + odds.crash <= 0.0 {
            return Outcome::Ack;
        }
        let (requeue, reject, crash) = (odds.requeue, odds.reject, odds.crash);
        let u = self.kernel.rng.unit();
        if u < requeue {
            Outcome::Requeue
        } else if u < requeue + reject {
            Outcome::Reject
        } else if u < requeue + reject + crash {
            Outcome::Crash
        } else {
            Outcome::Ack
        }
    }

    /// Consumer `c` finished working on delivery `slot`.
    pub(crate) fn processing_done(&mut self, c: usize, epoch: u32, slot: u32) {
        if self.workers[c].epoch != epoch {
            return;
        }
        if !self.workers[c].busy.remove(slot) {
            return;
        }
        let Some(source) = self.source_for(c, slot) else {
            return;
        };
        let info = &self.topo.consumers[c];
        let idempotent = info.spec.idempotent;
        let (id, message_id) = {
            let copy = self.kernel.copy(slot);
            (copy.id, copy.body.message_id.clone())
        };
        let duplicate = idempotent && self.workers[c].seen.contains(&message_id);
        let outcome = if duplicate {
            Outcome::Ack
        } else {
            self.next_outcome(c)
        };
        // The work (the side effect) happens for ack and for a crash after the work.
        if !duplicate && matches!(outcome, Outcome::Ack | Outcome::Crash) {
            let state = &mut self.workers[c];
            state.stats.processed += 1;
            if state.keep_payloads {
                state
                    .processed_payloads
                    .push(self.kernel.copy(slot).body.payload.clone());
            }
            if state.seen.insert(message_id) {
                state.stats.unique_processed += 1;
            }
            if !self.frame_order.is_empty() {
                let number = self.kernel.copy(slot).body.id.0;
                self.note_frame_order(c, number);
            }
        }
        if duplicate {
            self.workers[c].stats.duplicates_skipped += 1;
        }
        if duplicate || matches!(outcome, Outcome::Ack | Outcome::Crash) {
            let node = self.topo.consumers[c].node;
            self.kernel.emit(|| EventKind::Processed {
                copy: id,
                consumer: node,
                duplicate,
            });
        }
        if outcome == Outcome::Ack && !duplicate && !self.topo.consumers[c].calls.is_empty() {
            // Its calls come next; it is blocked (holding the delivery) until they end.
            self.workers[c].busy.push(slot);
            self.call_step(c, slot, epoch, 0, crate::core::families::rpc::FORWARD);
            return;
        }
        self.finish_work(c, source, slot, outcome, duplicate);
    }

    /// Worker `c` is done with delivery `slot` (and any calls it made for it): settles
    /// it by `outcome`, sends on what it sends after processing, and takes more work.
    #[inline(always)]
    pub(crate) fn finish_work(
        &mut self,
        c: usize,
        source: Source,
        slot: u32,
        outcome: Outcome,
        duplicate: bool,
    ) {
        let info = &self.topo.consumers[c];
        let node = info.node;
        let id = self.kernel.copy(slot).id;
        // Auto-ack is RabbitMQ's; a Kafka consumer's commits follow its consume edge.
        let auto = info.spec.ack == AckMode::Auto && matches!(source, Source::Queue(_));
        match (outcome, auto) {
            (Outcome::Crash, true) => {
                // Auto-ack: the broker had already forgotten it and the work is done;
                // only what the consumer had not yet handled is lost in the crash.
                self.settle(source, c, slot, Settlement::Ack);
                self.workers[c].stats.acked += 1;
                self.kernel.settle_acked(slot, false);
                self.kernel.emit(|| EventKind::Acked {
                    copy: id,
                    consumer: node,
                });
                self.crash_consumer(c);
                return;
            }
            (Outcome::Crash, false) => {
                self.workers[c].busy.push(slot); // still unacked: returned by the crash
                self.crash_consumer(c);
                return;
            }
            (_, true) | (Outcome::Ack, false) => {
                if let Some(h) = &mut self.workers[c].latency {
                    let published = self.kernel.copy(slot).body.published_at;
                    h.record(self.kernel.now.0.saturating_sub(published.0));
                }
                self.settle(source, c, slot, Settlement::Ack);
                self.workers[c].stats.acked += 1;
                let info = &self.topo.consumers[c];
                let publishes = !duplicate
                    && (info.spec.reply
                        || !info.forwards.is_empty()
                        || !info.produces.is_empty()
                        || !info.sends.is_empty()
                        || !info.pipes_out.is_empty());
                let kept = self.kernel.settle_acked(slot, publishes);
                self.kernel.emit(|| EventKind::Acked {
                    copy: id,
                    consumer: node,
                });
                if let Some((body, key)) = kept {
                    self.publish_after_processing(c, &body, &key);
                }
            }
            (Outcome::Requeue | Outcome::Reject, false) => {
                let requeue = outcome == Outcome::Requeue;
                self.kernel.emit(|| EventKind::Nacked {
                    copy: id,
                    consumer: node,
                    requeue,
                });
                if requeue {
                    self.workers[c].stats.requeued += 1;
                    self.settle(source, c, slot, Settlement::Requeue);
                } else {
                    self.workers[c].stats.rejected += 1;
                    self.settle(source, c, slot, Settlement::Reject);
                }
            }
        }
        if self.workers[c].pending_out.is_some() {
            // Blocked on its ZeroMQ socket: it waits to be told to try again.
            return;
        }
        self.maybe_start(c);
        self.credit(source, c, 1);
        if self.topo.consumers[c].service.is_some() {
            // A service's free hand serves its backlog and its broker alike.
            match (source, self.source_of(c)) {
                (Source::Calls, Some(broker)) if broker != Source::Calls => {
                    self.credit(broker, c, 1)
                }
                (Source::Calls, _) => {}
                _ => self.feed_requests(c),
            }
        }
    }

    /// Worker `c`'s blocked ZeroMQ send may go through now; if it does, the worker
    /// goes on with its work.
    pub(crate) fn worker_unblocked(&mut self, c: usize) {
        let Some(out) = self.workers[c].pending_out.take() else {
            return;
        };
        let node = self.topo.consumers[c].node;
        let ingress = Ingress::Pipes {
            sender: crate::core::families::pipe::Sender::Worker(c),
        };
        if self.offer(Some(node), ingress, out.clone())
            == crate::core::simulation::seams::Offered::Blocked
        {
            self.workers[c].pending_out = Some(out);
            return;
        }
        self.maybe_start(c);
        if let Some(source) = self.source_of(c) {
            self.credit(source, c, 1);
        }
        if self.topo.consumers[c].service.is_some() {
            self.feed_requests(c);
        }
    }

    /// Disconnects consumer `c`: its subscription is abandoned (the system decides
    /// what becomes of the deliveries it held).
    pub(crate) fn go_down(&mut self, c: usize, reason: DownReason) {
        let state = &mut self.workers[c];
        if !state.online {
            return;
        }
        state.online = false;
        state.epoch = state.epoch.wrapping_add(1);
        state.busy.clear();
        state.buffer.clear();
        // A blocked send dies with it.
        if state.pending_out.take().is_some() {
            let now = self.kernel.now;
            self.pipes.forget_sender(
                &self.topo,
                crate::core::families::pipe::Sender::Worker(c),
                now,
            );
        }
        let node = self.topo.consumers[c].node;
        self.kernel.emit(|| EventKind::ConsumerDown {
            consumer: node,
            reason,
        });
        if let Some(source) = self.source_of(c) {
            self.abandon(source, c, reason == DownReason::Crash);
        }
        if self.topo.consumers[c].service.is_some() && self.source_of(c) != Some(Source::Calls) {
            self.abandon(Source::Calls, c, reason == DownReason::Crash);
        }
    }

    /// Crashes consumer `c` now; it restarts after `restart_ms`.
    pub(crate) fn crash_consumer(&mut self, c: usize) {
        if !self.workers[c].online {
            return;
        }
        self.workers[c].stats.crashes += 1;
        self.go_down(c, DownReason::Crash);
        self.workers[c].awaiting_restart = true;
        let at = self
            .kernel
            .now
            .plus(ms_to_us(self.topo.consumers[c].spec.restart_ms));
        let epoch = self.workers[c].epoch;
        self.kernel.agenda.push(
            at,
            Action::Restart {
                consumer: c as u32,
                epoch,
            },
        );
    }

    pub(crate) fn come_up(&mut self, c: usize) {
        let state = &mut self.workers[c];
        if state.online || state.awaiting_restart || state.windows_open > 0 || state.switched_off {
            return;
        }
        state.online = true;
        let node = self.topo.consumers[c].node;
        self.kernel
            .emit(|| EventKind::ConsumerUp { consumer: node });
        if let Some(source) = self.source_of(c) {
            // Subscribing again gives the system the whole window as credit.
            self.credit(source, c, self.topo.consumers[c].spec.prefetch);
        }
        if self.topo.consumers[c].service.is_some() && self.source_of(c) != Some(Source::Calls) {
            self.feed_requests(c);
        }
    }

    /// A crashed consumer's restart timer fired.
    pub(crate) fn restart(&mut self, c: usize, epoch: u32) {
        if self.workers[c].epoch != epoch || !self.workers[c].awaiting_restart {
            return;
        }
        self.workers[c].awaiting_restart = false;
        self.come_up(c);
    }

    /// An outage window of consumer `c` opens.
    pub(crate) fn outage_start(&mut self, c: usize) {
        self.workers[c].windows_open += 1;
        self.go_down(c, DownReason::Outage);
    }

    /// An outage window of consumer `c` closes.
    pub(crate) fn outage_end(&mut self, c: usize) {
        let state = &mut self.workers[c];
        state.windows_open = state.windows_open.saturating_sub(1);
        self.come_up(c);
    }

    /// Switches a consumer off (true) or back on (false) by hand. Switching on does not
    /// end a scheduled outage window that is open: the consumer comes back when both
    /// the hand switch and every window allow it.
    pub(crate) fn set_manual_outage(&mut self, c: usize, off: bool) {
        self.workers[c].switched_off = off;
        if off {
            self.go_down(c, DownReason::Outage);
        } else {
            self.come_up(c);
        }
    }
}
