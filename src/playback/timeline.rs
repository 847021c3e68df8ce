//! The timeline: going back (and forth) to any simulated time already reached, by
//! deterministic replay. A run is its scenario, its seed and what was done by hand (each
//! hand action with the simulated time it was applied at), so rebuilding from the seed
//! and re-applying the hand actions up to a time gives exactly the state the run had
//! then. Hand actions later than a seek are kept and applied again when the run passes
//! their time, so playing on after going back replays what was done. Marks remember where
//! drops, dead-letterings and crashes happened, for the scrubber.

use super::Playback;
use crate::core::families::rabbit::Settlement;
use crate::core::kernel::time::SimTime;
use crate::core::model::events::{DownReason, DropReason, Event, EventKind};
use crate::core::model::ids::NodeId;
use crate::core::simulation::{Command, SqsCall};
use std::collections::VecDeque;

/// Marks kept for the scrubber (the first ones; a run with more shows these).
pub const MAX_MARKS: usize = 5_000;

/// Something done by hand to a run.
#[derive(Clone, Debug, PartialEq)]
pub enum HandAction {
    /// A command (publish, send, crash, switch off …).
    Command(Command),
    /// basic.get by hand.
    Get {
        /// The queue node.
        queue: NodeId,
        /// Messages to get.
        count: u32,
        /// How each is settled.
        how: Settlement,
    },
    /// An SQS receive, delete or change of visibility by hand.
    Sqs {
        /// The SQS queue node.
        queue: NodeId,
        /// The call.
        call: SqsCall,
    },
}

/// What a mark on the timeline stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// A message dropped.
    Drop,
    /// A message dead-lettered.
    DeadLetter,
    /// A worker crashed.
    Crash,
}

impl MarkKind {
    /// Name (a CSS class, and the tooltip's word).
    pub fn as_str(self) -> &'static str {
        match self {
            MarkKind::Drop => "drop",
            MarkKind::DeadLetter => "dead-letter",
            MarkKind::Crash => "crash",
        }
    }
}

/// A moment worth finding again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    /// When, ms.
    pub time_ms: f64,
    /// What.
    pub kind: MarkKind,
}

/// The run's history: hand actions, marks, and how far it got.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// Every hand action with where the run stood (clock, actions taken), in the order
    /// applied.
    hand: Vec<(SimTime, u64, HandAction)>,
    /// Hand actions after the current time, still to be applied again (after a seek
    /// back), oldest first.
    pending: VecDeque<(SimTime, u64, HandAction)>,
    /// After a seek back: events up to this time were seen before (no new marks).
    replay_until: Option<SimTime>,
    /// Marks, in time order.
    marks: Vec<Mark>,
    /// The furthest time the run reached.
    reached: SimTime,
}

impl Timeline {
    /// The furthest time reached, ms.
    pub fn reached_ms(&self) -> f64 {
        self.reached.as_ms()
    }

    /// Marks, in time order.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// Hand actions applied so far (their times, where the run stood, what they were).
    pub fn hand(&self) -> &[(SimTime, u64, HandAction)] {
        &self.hand
    }

    /// Notes events as they happen (marks for those later than any seen before).
    pub fn note_events(&mut self, events: &[Event]) {
        for e in events {
            if self.replay_until.is_some_and(|r| e.time <= r) {
                continue;
            }
            let kind = match &e.kind {
                // A Kafka consumer's fetched copy thrown away is no loss: the record
                // stays in the log and is read again.
                EventKind::Dropped {
                    reason: DropReason::Discarded,
                    ..
                } => continue,
                EventKind::Dropped { .. } => MarkKind::Drop,
                // A RabbitMQ dead-lettering or an SQS move to a dead-letter queue.
                EventKind::DeadLettered { .. }
                | EventKind::MovedToDeadLetter { redrive: false, .. } => MarkKind::DeadLetter,
                EventKind::ConsumerDown {
                    reason: DownReason::Crash,
                    ..
                } => MarkKind::Crash,
                _ => continue,
            };
            if self.marks.len() < MAX_MARKS {
                self.marks.push(Mark {
                    time_ms: e.time.as_ms(),
                    kind,
                });
            }
        }
    }

    /// The run reached `now`.
    pub fn reached(&mut self, now: SimTime) {
        if now > self.reached {
            self.reached = now;
        }
    }
}

fn apply(pb: &mut Playback, action: &HandAction) {
    // What a hand action answers was seen when it was first applied; a replay gives the
    // same answer.
    match action {
        HandAction::Command(c) => {
            let _ = pb.sim.apply(c.clone());
        }
        HandAction::Get { queue, count, how } => {
            let _ = pb.sim.get_by_hand(*queue, *count, *how);
        }
        HandAction::Sqs { queue, call } => {
            let _ = pb.sim.sqs_by_hand(*queue, call);
        }
    }
}

impl Playback {
    /// Records a hand action applied now.
    pub(super) fn remember(&mut self, action: HandAction) {
        let now = self.sim.now();
        let t = &mut self.timeline;
        if t.replay_until.is_some_and(|r| now < r) || !t.pending.is_empty() {
            // Acting after going back rewrites what came later: the old future, its
            // hand actions and its marks, is dropped.
            t.pending.clear();
            t.hand.retain(|(at, ..)| *at <= now);
            let now_ms = now.as_ms();
            t.marks.retain(|m| m.time_ms <= now_ms);
            t.reached = now;
            self.log_ahead.clear();
        }
        t.replay_until = None;
        t.hand.push((now, self.sim.actions_done(), action));
    }

    /// Applies the hand actions due by `until` that a seek back left pending: runs to
    /// each one's time and applies it. Returns false when the work budget stopped it
    /// before one (the caller goes on later).
    pub(super) fn replay_pending(
        &mut self,
        until: SimTime,
        over_budget: &mut dyn FnMut() -> bool,
    ) -> bool {
        while let Some((at, actions, _)) = self.timeline.pending.front() {
            let (at, actions) = (*at, *actions);
            if at > until {
                break;
            }
            // Up to just before where it was applied (the instant's earlier actions).
            let mut work = 0u32;
            while self.sim.actions_done() < actions {
                if !self.sim.step() {
                    break;
                }
                work += 1;
                if work.is_multiple_of(256) && over_budget() {
                    return false;
                }
            }
            self.sim.replay_to(at, actions);
            let (.., action) = self.timeline.pending.pop_front().expect("a pending action");
            apply(self, &action);
        }
        true
    }

    /// Goes to simulated time `to` (within what was reached): rebuilds the run from its
    /// seed, re-applies the hand actions up to then, and keeps the later ones pending.
    /// The log keeps its rows up to `to`; dots start afresh.
    pub fn seek(&mut self, to: SimTime) {
        let to = to.min(self.timeline.reached);
        let Ok(mut fresh) = Playback::new(&self.scenario, self.seed) else {
            return;
        };
        fresh.sim.set_recording(false);
        // The hops begun in the last moments before `to` are replayed with their
        // motions, so what was in flight then is drawn where it was (the dots come from
        // the motions); what is recorded there feeds the dots only, as the log already
        // holds its events.
        let window_start = SimTime(to.0.saturating_sub(motion_window_us(&self.scenario)));
        let mut recording = false;
        let mut record_from = |sim: &mut crate::core::Simulation, before: SimTime| {
            if !recording && before > window_start {
                sim.run_until(window_start);
                sim.set_recording(true);
                recording = true;
            }
        };
        let mut pending = VecDeque::new();
        for (at, actions, action) in &self.timeline.hand {
            if *at <= to {
                record_from(&mut fresh.sim, *at);
                fresh.sim.replay_to(*at, *actions);
                apply(&mut fresh, action);
            } else {
                pending.push_back((*at, *actions, action.clone()));
            }
        }
        // Time zero is the start (nothing done yet); any later time is after every
        // action of its instant, as a run that reached it by playing is.
        if to > SimTime::ZERO {
            record_from(&mut fresh.sim, to);
            fresh.sim.run_until(to);
        }
        fresh.sim.set_recording(true);
        let recent = fresh.sim.drain_recording();
        fresh.tracker.absorb(recent, |_| {});
        fresh.tracker.prune(fresh.sim.now());
        fresh.render_us = fresh.sim.now().0 as f64;
        // The log shows every row up to then: those set aside by an earlier seek back
        // come back, and those after are set aside (they were not lost).
        let (mut log, mut messages) = (
            std::mem::take(&mut self.log),
            std::mem::take(&mut self.log_messages),
        );
        let mut ahead = std::mem::take(&mut self.log_ahead);
        while let Some((event, message)) = ahead.pop_front_if(|(e, _)| e.time <= to) {
            log.push_back(event);
            messages.push_back(message);
            if log.len() > super::LOG_CAPACITY {
                log.pop_front();
                messages.pop_front();
            }
        }
        while let Some(event) = log.pop_back_if(|e| e.time > to) {
            let message = messages.pop_back().flatten();
            ahead.push_front((event, message));
        }
        fresh.log = log;
        fresh.log_messages = messages;
        fresh.log_ahead = ahead;
        fresh.geometry = std::mem::take(&mut self.geometry);
        fresh.timeline = std::mem::take(&mut self.timeline);
        fresh.timeline.pending = pending;
        let seen = fresh.timeline.reached;
        fresh.timeline.replay_until =
            Some(fresh.timeline.replay_until.map_or(seen, |r| r.max(seen)));
        *self = fresh;
    }
}

/// How far before a seek's time motions are replayed: longer than any hop (a hop takes
/// the diagram's latency; a batch or a reply at most a few).
fn motion_window_us(scenario: &crate::core::scenario::Scenario) -> u64 {
    crate::core::kernel::time::ms_to_us((scenario.latency_ms * 4.0).max(1_000.0))
}
