//! Messages in flight as dots: built from the core's events alone. Each dot travels a
//! chain of edges between two simulated instants; a message that dies (dropped,
//! expired) leaves a fading mark where it died.

use crate::core::kernel::time::SimTime;
use crate::core::model::events::{DropReason, Event, EventKind};
use crate::core::model::ids::{CopyId, EdgeId, NodeId};
use std::collections::HashMap;

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

/// A message moving along edges.
#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    /// Edges travelled, in order.
    pub path: Vec<EdgeId>,
    /// Departure.
    pub t0: SimTime,
    /// Arrival.
    pub t1: SimTime,
    /// Look.
    pub style: DotStyle,
}

impl Dot {
    /// How far along (0..1) at simulated time `t` (in µs, fractional).
    pub fn progress(&self, t: f64) -> f64 {
        let span = (self.t1.0 - self.t0.0) as f64;
        if span <= 0.0 {
            1.0
        } else {
            ((t - self.t0.0 as f64) / span).clamp(0.0, 1.0)
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
    colour: HashMap<CopyId, u8>,
    producers: HashMap<NodeId, u8>,
    latency_us: u64,
}

/// How long a death mark stays, in simulated µs (at least; the UI may stretch it).
pub const DEATH_MARK_US: u64 = 600_000;

impl DotTracker {
    /// A tracker for a simulation whose edges take `latency_us` each.
    pub fn new(latency_us: u64) -> DotTracker {
        DotTracker {
            latency_us,
            ..DotTracker::default()
        }
    }

    fn producer_colour(&mut self, node: NodeId) -> u8 {
        let next = self.producers.len() as u8;
        *self.producers.entry(node).or_insert(next % 6)
    }

    fn launch(&mut self, copy: CopyId, path: Vec<EdgeId>, now: SimTime, style: DotStyle) {
        if path.is_empty() {
            self.dots.remove(&copy);
            return;
        }
        self.dots.insert(
            copy,
            Dot {
                path,
                t0: now,
                t1: now.plus(self.latency_us),
                style,
            },
        );
    }

    fn forget(&mut self, copy: CopyId) {
        self.dots.remove(&copy);
        self.colour.remove(&copy);
    }

    /// Applies one event.
    pub fn apply(&mut self, e: &Event) {
        let now = e.time;
        match &e.kind {
            EventKind::Published {
                copy, from, edge, ..
            } => {
                let c = self.producer_colour(*from);
                self.colour.insert(*copy, c);
                self.launch(
                    *copy,
                    edge.iter().copied().collect(),
                    now,
                    DotStyle::Producer(c),
                );
            }
            EventKind::Routed {
                copy,
                copies,
                paths,
                ..
            } => {
                let style = match self.dots.get(copy).map(|d| d.style) {
                    Some(DotStyle::DeadLettered) => DotStyle::DeadLettered,
                    _ => DotStyle::Producer(self.colour.get(copy).copied().unwrap_or(0)),
                };
                let colour = self.colour.get(copy).copied().unwrap_or(0);
                for (c, p) in copies.iter().zip(paths) {
                    self.colour.insert(*c, colour);
                    self.launch(*c, p.clone(), now, style);
                }
            }
            EventKind::Delivered {
                copy,
                edge,
                redelivered,
                ..
            } => {
                let style = if *redelivered {
                    DotStyle::Redelivered
                } else {
                    DotStyle::Producer(self.colour.get(copy).copied().unwrap_or(0))
                };
                self.launch(*copy, vec![*edge], now, style);
            }
            EventKind::DeadLettered { copy, edge, .. } => {
                self.launch(*copy, vec![*edge], now, DotStyle::DeadLettered)
            }
            EventKind::Enqueued { copy, .. } | EventKind::Requeued { copy, .. } => {
                self.dots.remove(copy);
            }
            EventKind::Acked { copy, .. } => self.forget(*copy),
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
                self.forget(*copy);
                if let Some(node) = at {
                    self.deaths.push(Death {
                        node: *node,
                        at: now,
                        expired: false,
                        reason: Some(*reason),
                    });
                }
            }
            EventKind::Processed { .. }
            | EventKind::Nacked { .. }
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
        self.colour.clear();
    }
}
