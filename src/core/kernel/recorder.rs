//! The recorder: the events the simulation emits, stamped with simulated time, and the
//! motions playback animates, kept only while recording is on (headless runs skip the
//! cost of building them). Each motion remembers how many events came before it, so a
//! reader can replay both streams in the order they happened.

use crate::core::kernel::time::SimTime;
use crate::core::model::events::{Event, EventKind};
use crate::core::model::motion::Motion;

/// Events and motions recorded since the last drain.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    events: Vec<Event>,
    motions: Vec<(usize, Motion)>,
    on: bool,
}

/// What a drain returns: the events, and the motions each with the number of those
/// events that happened before it.
#[derive(Clone, Debug, Default)]
pub struct Recording {
    /// Events, in order.
    pub events: Vec<Event>,
    /// Motions, in order, each after `.0` of the events.
    pub motions: Vec<(usize, Motion)>,
}

impl Recorder {
    /// Whether events are being recorded.
    #[inline]
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Turns recording on or off.
    pub fn set(&mut self, on: bool) {
        self.on = on;
    }

    /// Records an event at `time`; the event is only built when recording is on.
    #[inline]
    pub fn emit(&mut self, time: SimTime, kind: impl FnOnce() -> EventKind) {
        if self.on {
            self.events.push(Event { time, kind: kind() });
        }
    }

    /// Records a motion (built only when recording is on).
    #[inline]
    pub fn motion(&mut self, motion: impl FnOnce() -> Option<Motion>) {
        if self.on {
            if let Some(m) = motion() {
                self.motions.push((self.events.len(), m));
            }
        }
    }

    /// Takes the events recorded since the last call (motions are discarded).
    pub fn drain(&mut self) -> Vec<Event> {
        self.motions.clear();
        std::mem::take(&mut self.events)
    }

    /// Takes the events and motions recorded since the last call.
    pub fn drain_all(&mut self) -> Recording {
        Recording {
            events: std::mem::take(&mut self.events),
            motions: std::mem::take(&mut self.motions),
        }
    }
}
