//! Messages in flight as dots: each dot is a motion the core recorded (its path,
//! departure and arrival), coloured by the node that published the message; the
//! events only say when a message dies (dropped, expired: a fading mark where it
//! died) or is settled.

use crate::core::kernel::recorder::Recording;
use crate::core::kernel::time::SimTime;
use crate::core::model::events::{DropReason, Event, EventKind};
use crate::core::model::ids::{CopyId, EdgeId, NodeId};
use crate::core::model::motion::{Leg, Motion, MotionKind};
use rustc_hash::FxHashMap as HashMap;

/// How a dot is drawn (one colour per style; the legend names them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DotStyle {
    /// A normal message, coloured by its publisher (index into the palette).
    Producer(u8),
    /// Travelling again after a redelivery.
    Redelivered,
    /// On its way to a dead-letter exchange or routed from one.
    DeadLettered,
}

/// A dot's path: up to three legs (nearly every path) kept in the dot itself, so
/// placing tens of thousands of dots a frame does not chase a pointer per dot.
#[derive(Clone, Debug, PartialEq)]
pub enum DotPath {
    /// This many of these legs.
    Short(u8, [Leg; 3]),
    /// A longer path.
    Long(Vec<Leg>),
}

impl DotPath {
    /// The legs, in travel order.
    pub fn legs(&self) -> &[Leg] {
        match self {
            DotPath::Short(n, legs) => &legs[..*n as usize],
            DotPath::Long(legs) => legs,
        }
    }
}

impl From<&[Leg]> for DotPath {
    fn from(legs: &[Leg]) -> DotPath {
        match legs {
            [] => DotPath::Short(0, [Leg::Edge { edge: EdgeId(0) }; 3]),
            [a] => DotPath::Short(1, [*a; 3]),
            [a, b] => DotPath::Short(2, [*a, *b, *b]),
            [a, b, c] => DotPath::Short(3, [*a, *b, *c]),
            long => DotPath::Long(long.to_vec()),
        }
    }
}

/// A message moving along edges.
#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    /// The path, in travel order.
    pub path: DotPath,
    /// Departure.
    pub t0: SimTime,
    /// Arrival.
    pub t1: SimTime,
    /// Look.
    pub style: DotStyle,
    /// Travels its path backwards (a redrive back to the source queue).
    pub reverse: bool,
}

impl Dot {
    /// How far along (0..1) at simulated time `t` (in µs, fractional).
    pub fn progress(&self, t: f64) -> f64 {
        let span = (self.t1.0 - self.t0.0) as f64;
        let f = if span <= 0.0 {
            1.0
        } else {
            ((t - self.t0.0 as f64) / span).clamp(0.0, 1.0)
        };
        if self.reverse {
            1.0 - f
        } else {
            f
        }
    }
}

/// Where a message died, for the fading mark.
#[derive(Clone, Debug, PartialEq)]
pub struct Death {
    /// Node where it happened.
    pub node: NodeId,
    /// When.
    pub at: SimTime,
    /// Expired (true) or dropped (false).
    pub expired: bool,
    /// Why, when dropped.
    pub reason: Option<DropReason>,
}

/// Dots and deaths, kept up to date from events.
#[derive(Clone, Debug, Default)]
pub struct DotTracker {
    /// Dots by copy.
    pub dots: HashMap<CopyId, Dot>,
    /// Recent deaths (oldest first).
    pub deaths: Vec<Death>,
    producers: HashMap<Option<NodeId>, u8>,
}

/// How long a death mark stays, in simulated µs (at least; the UI may stretch it).
pub const DEATH_MARK_US: u64 = 600_000;

impl DotTracker {
    /// An empty tracker.
    pub fn new() -> DotTracker {
        DotTracker::default()
    }

    /// The colour of a publisher (a script client, which has no node, has its own).
    fn producer_colour(&mut self, node: Option<NodeId>) -> u8 {
        let next = self.producers.len() as u8;
        *self.producers.entry(node).or_insert(next % 6)
    }

    /// Starts (or replaces) the dot of the motion's parcel.
    pub fn apply_motion(&mut self, m: &Motion) {
        let colour = DotStyle::Producer(self.producer_colour(m.origin));
        let style = match m.kind {
            MotionKind::Publish
            | MotionKind::Route {
                dead_lettered: false,
            }
            | MotionKind::Deliver { redelivered: false }
            | MotionKind::Produce
            | MotionKind::Fetch
            | MotionKind::Send
            | MotionKind::Pipe
            | MotionKind::Call
            | MotionKind::Reply { ok: true }
            | MotionKind::Receive { redelivered: false } => colour,
            MotionKind::Reply { ok: false } => DotStyle::DeadLettered,
            MotionKind::Receive { redelivered: true } => DotStyle::Redelivered,
            MotionKind::Redrive => DotStyle::DeadLettered,
            MotionKind::Route {
                dead_lettered: true,
            }
            | MotionKind::DeadLetter => DotStyle::DeadLettered,
            MotionKind::Deliver { redelivered: true } => DotStyle::Redelivered,
        };
        if m.legs.is_empty() {
            self.dots.remove(&m.copy);
            return;
        }
        self.dots.insert(
            m.copy,
            Dot {
                path: DotPath::from(m.legs.as_slice()),
                t0: m.depart,
                t1: m.arrive,
                style,
                reverse: m.reverse,
            },
        );
    }

    /// Applies a recording: its motions and events in the order they happened; each
    /// event is also handed to `each_event` (for the log and traces).
    pub fn absorb(&mut self, recording: Recording, mut each_event: impl FnMut(Event)) {
        let mut motions = recording.motions.into_iter().peekable();
        for (i, e) in recording.events.into_iter().enumerate() {
            // Motions recorded before this event come first.
            while let Some((_, m)) = motions.next_if(|(before, _)| *before <= i) {
                self.apply_motion(&m);
            }
            self.apply(&e);
            each_event(e);
        }
        for (_, m) in motions {
            self.apply_motion(&m);
        }
    }

    /// Applies one event: a parcel that arrived in a queue or was settled loses its
    /// dot; one that died leaves a mark.
    pub fn apply(&mut self, e: &Event) {
        let now = e.time;
        match &e.kind {
            EventKind::Enqueued { copy, .. }
            | EventKind::Requeued { copy, .. }
            | EventKind::Acked { copy, .. } => {
                self.dots.remove(copy);
            }
            EventKind::Expired { copy, queue } => {
                self.dots.remove(copy);
                self.deaths.push(Death {
                    node: *queue,
                    at: now,
                    expired: true,
                    reason: None,
                });
            }
            EventKind::Dropped { copy, at, reason } => {
                self.dots.remove(copy);
                if let Some(node) = at {
                    self.deaths.push(Death {
                        node: *node,
                        at: now,
                        expired: false,
                        reason: Some(*reason),
                    });
                }
            }
            EventKind::Appended { copy, .. } | EventKind::Stored { copy, .. } => {
                self.dots.remove(copy);
            }
            EventKind::Sent { .. }
            | EventKind::Received { .. }
            | EventKind::Deleted { .. }
            | EventKind::VisibilityExpired { .. }
            | EventKind::MovedToDeadLetter { .. }
            | EventKind::Deduplicated { .. }
            | EventKind::RetentionExpired { .. }
            | EventKind::Redriven { .. }
            | EventKind::Pushed { .. }
            | EventKind::CallSent { .. }
            | EventKind::CallEnded { .. }
            | EventKind::FannedOut { .. } => {}
            EventKind::Produced { .. }
            | EventKind::Fetched { .. }
            | EventKind::Rebalanced { .. }
            | EventKind::Published { .. }
            | EventKind::Routed { .. }
            | EventKind::Delivered { .. }
            | EventKind::DeadLettered { .. }
            | EventKind::Processed { .. }
            | EventKind::Nacked { .. }
            | EventKind::Got { .. }
            | EventKind::ClientAcked { .. }
            | EventKind::ConsumerDown { .. }
            | EventKind::ConsumerUp { .. } => {}
        }
    }

    /// Drops finished dots and old death marks as of simulated time `now`.
    pub fn prune(&mut self, now: SimTime) {
        self.dots.retain(|_, d| d.t1 >= now);
        let cutoff = SimTime(now.0.saturating_sub(DEATH_MARK_US));
        self.deaths.retain(|d| d.at >= cutoff);
        if self.deaths.len() > 2_000 {
            let extra = self.deaths.len() - 2_000;
            self.deaths.drain(..extra);
        }
    }

    /// Forgets everything (reset).
    pub fn clear(&mut self) {
        self.dots.clear();
        self.deaths.clear();
    }
}
