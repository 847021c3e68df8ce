//! The recorder: the events the simulation emits, stamped with simulated time, kept
//! only while recording is on (headless runs skip the cost of building them).

use crate::core::kernel::time::SimTime;
use crate::core::model::events::{Event, EventKind};

/// Recorded events since the last drain.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    events: Vec<Event>,
    on: bool,
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

    /// Takes the events recorded since the last call.
    pub fn drain(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
}
