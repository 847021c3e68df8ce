//! Status: what a node or an edge shows now, as the core reports it. The UI draws
//! figures from these alone, never from the topology tables or a family's state.

use serde::Serialize;

/// A node's figures now.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NodeStatus {
    /// A producer.
    Producer {
        /// Messages published.
        published: u64,
    },
    /// An exchange (it holds nothing).
    Exchange,
    /// A RabbitMQ queue.
    Queue {
        /// Ready messages.
        ready: u64,
        /// Delivered, not yet acked.
        unacked: u64,
        /// Payload bytes of the ready messages.
        ready_bytes: u64,
        /// `x-max-length`, when set (the fill bar's full mark).
        max_length: Option<u64>,
    },
    /// A consumer.
    Consumer {
        /// Messages whose work was done.
        processed: u64,
        /// Working on a message.
        busy: bool,
        /// Connected.
        online: bool,
        /// Deliveries held (unacked, or auto-acked and not yet handled).
        held: u64,
        /// Prefetch (0 = unlimited).
        prefetch: u32,
    },
}

/// An edge's figures now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EdgeStatus {
    /// Messages that have set off along it (a route through several bindings counts
    /// on each).
    pub travelled: u64,
}
