//! Consumer behaviour: one message processed at a time for a sampled duration, then an
//! outcome (ack, nack with requeue, reject, crash). A consumer that crashes or
//! disconnects returns all its unacked messages to their queue
//! (rabbitmq.com/docs/confirms, "Automatic Requeueing"); auto-acked messages it held
//! are lost (at-most-once). Idempotent consumers skip message ids already processed.

use super::agenda::Action;
use super::events::{DownReason, DropReason, EventKind};
use super::Simulation;
use crate::core::message::CopyState;
use crate::core::scenario::{AckMode, Outcome, Processing};

impl Simulation {
    pub(super) fn arrive_consumer(&mut self, slot: u32, c: usize, epoch: u32) {
        if self.consumers[c].epoch != epoch {
            return; // sent before a crash or disconnection: already returned or lost
        }
        self.consumers[c].stats.received += 1;
        self.consumers[c].buffer.push_back(slot);
        self.maybe_start(c);
    }

    fn maybe_start(&mut self, c: usize) {
        let state = &self.consumers[c];
        if !state.online || state.busy.is_some() {
            return;
        }
        let Some(slot) = self.consumers[c].buffer.pop_front() else {
            return;
        };
        self.consumers[c].busy = Some(slot);
        let ms = match self.topo.consumers[c].spec.processing {
            Processing::Fixed { ms } => ms,
            Processing::Uniform { min_ms, max_ms } => min_ms + self.rng.unit() * (max_ms - min_ms),
            Processing::Exponential { mean_ms } => self.rng.exponential(mean_ms),
        };
        let at = self.now.plus(crate::core::time::ms_to_us(ms));
        let epoch = self.consumers[c].epoch;
        self.agenda.push(
            at,
            Action::ProcessingDone {
                consumer: c as u32,
                epoch,
            },
        );
    }

    fn next_outcome(&mut self, c: usize) -> Outcome {
        let spec = &self.topo.consumers[c].spec;
        if !spec.pattern.is_empty() {
            let state = &mut self.consumers[c];
            let o = spec.pattern[state.pattern_pos % spec.pattern.len()];
            state.pattern_pos += 1;
            return o;
        }
        let odds = &spec.outcomes;
        if odds.requeue + odds.reject + odds.crash <= 0.0 {
            return Outcome::Ack;
        }
        let (requeue, reject, crash) = (odds.requeue, odds.reject, odds.crash);
        let u = self.rng.unit();
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

    fn unhold(&mut self, c: usize, slot: u32) {
        let at = self.copy(slot).held_at as usize;
        let held = &mut self.consumers[c].held;
        held.swap_remove(at);
        if let Some(&moved) = held.get(at) {
            self.copy_mut(moved).held_at = at as u32;
        }
    }

    pub(super) fn processing_done(&mut self, c: usize, epoch: u32) {
        if self.consumers[c].epoch != epoch {
            return;
        }
        let Some(slot) = self.consumers[c].busy.take() else {
            return;
        };
        let node = self.topo.consumers[c].node;
        let spec_auto = self.topo.consumers[c].spec.ack == AckMode::Auto;
        let idempotent = self.topo.consumers[c].spec.idempotent;
        let (id, message_id) = {
            let copy = self.copy(slot);
            (copy.id, copy.body.message_id.clone())
        };
        let duplicate = idempotent && self.consumers[c].seen.contains(&message_id);
        let outcome = if duplicate {
            Outcome::Ack
        } else {
            self.next_outcome(c)
        };
        // The work (the side effect) happens for ack and for a crash after the work.
        if !duplicate && matches!(outcome, Outcome::Ack | Outcome::Crash) {
            let state = &mut self.consumers[c];
            state.stats.processed += 1;
            if state.seen.insert(message_id) {
                state.stats.unique_processed += 1;
            }
        }
        if duplicate {
            self.consumers[c].stats.duplicates_skipped += 1;
        }
        if duplicate || matches!(outcome, Outcome::Ack | Outcome::Crash) {
            self.emit(|| EventKind::Processed {
                copy: id,
                consumer: node,
                duplicate,
            });
        }
        let queue = match self.copy(slot).state {
            CopyState::Unacked { queue, .. } => Some(queue as usize),
            _ => None,
        };
        match (outcome, spec_auto) {
            (Outcome::Crash, true) => {
                // Auto-ack: the broker had already forgotten it and the work is done;
                // only what the consumer had not yet handled is lost in the crash.
                self.unhold(c, slot);
                self.consumers[c].stats.acked += 1;
                self.settle_acked(slot, false);
                self.emit(|| EventKind::Acked {
                    copy: id,
                    consumer: node,
                });
                self.crash_consumer(c);
                return;
            }
            (Outcome::Crash, false) => {
                self.consumers[c].busy = Some(slot); // still unacked: returned by the crash
                self.crash_consumer(c);
                return;
            }
            (_, true) | (Outcome::Ack, false) => {
                self.unhold(c, slot);
                if let Some(q) = queue {
                    self.queues[q].unacked -= 1;
                    self.queues[q].stats.acked += 1;
                }
                self.consumers[c].stats.acked += 1;
                let info = &self.topo.consumers[c];
                let publishes = !duplicate && (info.spec.reply || !info.forwards.is_empty());
                let kept = self.settle_acked(slot, publishes);
                self.emit(|| EventKind::Acked {
                    copy: id,
                    consumer: node,
                });
                if let Some((body, key)) = kept {
                    self.publish_after_processing(c, &body, &key);
                }
            }
            (Outcome::Requeue | Outcome::Reject, false) => {
                let requeue = outcome == Outcome::Requeue;
                self.unhold(c, slot);
                self.emit(|| EventKind::Nacked {
                    copy: id,
                    consumer: node,
                    requeue,
                });
                if let Some(q) = queue {
                    self.queues[q].unacked -= 1;
                    if requeue {
                        self.consumers[c].stats.requeued += 1;
                        self.requeue(slot, q);
                    } else {
                        self.consumers[c].stats.rejected += 1;
                        self.dead_letter(slot, q, crate::core::message::DeathReason::Rejected);
                    }
                }
            }
        }
        self.maybe_start(c);
        if let Some((q, _)) = self.topo.consumers[c].queue {
            self.try_deliver(q);
        }
    }

    /// Disconnects consumer `c`: unacked copies go back to their queue (redelivered),
    /// auto-acked ones it still held are lost.
    fn go_down(&mut self, c: usize, reason: DownReason) {
        let state = &mut self.consumers[c];
        if !state.online {
            return;
        }
        state.online = false;
        state.epoch = state.epoch.wrapping_add(1);
        state.busy = None;
        state.buffer.clear();
        let mut held = std::mem::take(&mut state.held);
        // Return in queue order so the requeue events read naturally.
        held.sort_by_key(|&s| self.copy(s).seq);
        let node = self.topo.consumers[c].node;
        self.emit(|| EventKind::ConsumerDown {
            consumer: node,
            reason,
        });
        for slot in held {
            match self.copy(slot).state {
                CopyState::Unacked { queue, .. } => {
                    let q = queue as usize;
                    self.queues[q].unacked -= 1;
                    self.requeue(slot, q);
                }
                _ => self.drop_copy(slot, Some(node), DropReason::LostOnCrash),
            }
        }
        if let Some((q, _)) = self.topo.consumers[c].queue {
            self.try_deliver(q);
        }
    }

    /// Crashes consumer `c` now; it restarts after `restart_ms`.
    pub(crate) fn crash_consumer(&mut self, c: usize) {
        if !self.consumers[c].online {
            return;
        }
        self.consumers[c].stats.crashes += 1;
        self.go_down(c, DownReason::Crash);
        self.consumers[c].awaiting_restart = true;
        let at = self.now.plus(crate::core::time::ms_to_us(
            self.topo.consumers[c].spec.restart_ms,
        ));
        let epoch = self.consumers[c].epoch;
        self.agenda.push(
            at,
            Action::Restart {
                consumer: c as u32,
                epoch,
            },
        );
    }

    fn come_up(&mut self, c: usize) {
        let state = &mut self.consumers[c];
        if state.online || state.awaiting_restart || state.windows_open > 0 || state.switched_off {
            return;
        }
        state.online = true;
        self.registrations += 1;
        self.consumers[c].registered = self.registrations;
        let node = self.topo.consumers[c].node;
        self.emit(|| EventKind::ConsumerUp { consumer: node });
        if let Some((q, _)) = self.topo.consumers[c].queue {
            self.try_deliver(q);
        }
    }

    pub(super) fn restart(&mut self, c: usize, epoch: u32) {
        if self.consumers[c].epoch != epoch || !self.consumers[c].awaiting_restart {
            return;
        }
        self.consumers[c].awaiting_restart = false;
        self.come_up(c);
    }

    pub(super) fn outage_start(&mut self, c: usize) {
        self.consumers[c].windows_open += 1;
        self.go_down(c, DownReason::Outage);
    }

    pub(super) fn outage_end(&mut self, c: usize) {
        let state = &mut self.consumers[c];
        state.windows_open = state.windows_open.saturating_sub(1);
        self.come_up(c);
    }

    /// Switches a consumer off (true) or back on (false) by hand. Switching on does not
    /// end a scheduled outage window that is open: the consumer comes back when both
    /// the hand switch and every window allow it.
    pub(crate) fn set_manual_outage(&mut self, c: usize, off: bool) {
        self.consumers[c].switched_off = off;
        if off {
            self.go_down(c, DownReason::Outage);
        } else {
            self.come_up(c);
        }
    }
}
