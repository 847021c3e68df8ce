//! Message traces: every hop of a message with its time, for the trace panel.

use crate::core::model::events::{Event, EventKind};
use crate::core::model::ids::{CopyId, MessageId};
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;

/// Messages whose traces are kept (oldest are forgotten first).
pub const TRACE_CAPACITY: usize = 2_000;

/// Histories by message, and which message each copy belongs to.
#[derive(Clone, Debug, Default)]
pub struct Traces {
    by_message: HashMap<MessageId, Vec<Event>>,
    order: VecDeque<MessageId>,
    copy_message: HashMap<CopyId, MessageId>,
}

fn copy_of(kind: &EventKind) -> Option<CopyId> {
    match kind {
        EventKind::Published { copy, .. }
        | EventKind::Routed { copy, .. }
        | EventKind::Enqueued { copy, .. }
        | EventKind::Delivered { copy, .. }
        | EventKind::Processed { copy, .. }
        | EventKind::Acked { copy, .. }
        | EventKind::Nacked { copy, .. }
        | EventKind::Requeued { copy, .. }
        | EventKind::Expired { copy, .. }
        | EventKind::DeadLettered { copy, .. }
        | EventKind::Dropped { copy, .. }
        | EventKind::Got { copy, .. }
        | EventKind::ClientAcked { copy, .. }
        | EventKind::Produced { copy, .. }
        | EventKind::Appended { copy, .. }
        | EventKind::Sent { copy, .. }
        | EventKind::Stored { copy, .. }
        | EventKind::Received { copy, .. }
        | EventKind::MovedToDeadLetter { copy, .. }
        | EventKind::FannedOut { copy, .. }
        | EventKind::Pushed { copy, .. }
        | EventKind::CallSent { copy, .. } => Some(*copy),
        EventKind::Deleted { copy, .. } => *copy,
        EventKind::VisibilityExpired { .. }
        | EventKind::Deduplicated { .. }
        | EventKind::RetentionExpired { .. }
        | EventKind::Redriven { .. }
        | EventKind::CallEnded { .. } => None,
        EventKind::ConsumerDown { .. }
        | EventKind::ConsumerUp { .. }
        | EventKind::Fetched { .. }
        | EventKind::Rebalanced { .. } => None,
    }
}

impl Traces {
    /// Records one event.
    pub fn apply(&mut self, e: &Event) {
        if let EventKind::Published { copy, message, .. }
        | EventKind::Produced { copy, message, .. }
        | EventKind::Sent { copy, message, .. } = &e.kind
        {
            self.copy_message.insert(*copy, *message);
            self.by_message.insert(*message, Vec::new());
            self.order.push_back(*message);
            if self.order.len() > TRACE_CAPACITY {
                if let Some(old) = self.order.pop_front() {
                    self.by_message.remove(&old);
                }
            }
        }
        if let EventKind::Fetched { copies, .. } = &e.kind {
            // Each fetched copy continues its message's history (while it is kept).
            for (c, m) in copies {
                if self.by_message.contains_key(m) {
                    self.copy_message.insert(*c, *m);
                }
            }
        }
        if let EventKind::Pushed { message, .. } | EventKind::CallSent { message, .. } = &e.kind {
            // A ZeroMQ message's first send starts its history (a device forwarding it,
            // or a PUB copy, continues it); so does a call made by a producer (a call a
            // worker makes continues the history of the message it works on).
            if !self.by_message.contains_key(message) {
                self.by_message.insert(*message, Vec::new());
                self.order.push_back(*message);
                if self.order.len() > TRACE_CAPACITY {
                    if let Some(old) = self.order.pop_front() {
                        self.by_message.remove(&old);
                    }
                }
            }
        }
        if let EventKind::Received { copy, message, .. }
        | EventKind::MovedToDeadLetter { copy, message, .. }
        | EventKind::Pushed { copy, message, .. }
        | EventKind::CallSent { copy, message, .. } = &e.kind
        {
            // A receive or a move makes a new copy of a stored message; a call's request
            // parcel is a new copy of the message it carries.
            if self.by_message.contains_key(message) {
                self.copy_message.insert(*copy, *message);
            }
        }
        if let EventKind::FannedOut { copy, copies, .. } = &e.kind {
            if let Some(&m) = self.copy_message.get(copy) {
                for (c, _) in copies {
                    self.copy_message.insert(*c, m);
                }
            }
        }
        if let EventKind::VisibilityExpired { message, .. }
        | EventKind::Deduplicated { message, .. }
        | EventKind::RetentionExpired { message, .. }
        | EventKind::CallEnded { message, .. } = &e.kind
        {
            // Events of a stored message (or of a call), not of a copy.
            if let Some(history) = self.by_message.get_mut(message) {
                history.push(e.clone());
            }
            return;
        }
        if let EventKind::Routed { copy, copies, .. } = &e.kind {
            if let Some(&m) = self.copy_message.get(copy) {
                for c in copies {
                    self.copy_message.insert(*c, m);
                }
            }
        }
        let Some(copy) = copy_of(&e.kind) else { return };
        if let Some(&m) = self.copy_message.get(&copy) {
            if let Some(history) = self.by_message.get_mut(&m) {
                history.push(e.clone());
            }
        }
        // A copy that was acked or dropped will not be heard of again.
        if matches!(
            e.kind,
            EventKind::Acked { .. }
                | EventKind::ClientAcked { .. }
                | EventKind::Dropped { .. }
                | EventKind::Appended { .. }
                | EventKind::Stored { .. }
        ) {
            self.copy_message.remove(&copy);
        }
    }

    /// The message an event is about (before the event is applied: an ack or a drop
    /// ends its copy's mapping).
    pub fn message_of_event(&self, e: &Event) -> Option<MessageId> {
        if let EventKind::Published { message, .. }
        | EventKind::Produced { message, .. }
        | EventKind::Sent { message, .. }
        | EventKind::Received { message, .. }
        | EventKind::MovedToDeadLetter { message, .. }
        | EventKind::Deleted { message, .. }
        | EventKind::Pushed { message, .. }
        | EventKind::VisibilityExpired { message, .. }
        | EventKind::Deduplicated { message, .. }
        | EventKind::RetentionExpired { message, .. }
        | EventKind::CallSent { message, .. }
        | EventKind::CallEnded { message, .. } = &e.kind
        {
            return Some(*message);
        }
        copy_of(&e.kind).and_then(|c| self.message_of(c))
    }

    /// The message a copy belongs to.
    pub fn message_of(&self, copy: CopyId) -> Option<MessageId> {
        self.copy_message.get(&copy).copied()
    }

    /// The events of one message, in order.
    pub fn of(&self, message: MessageId) -> &[Event] {
        self.by_message
            .get(&message)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}
