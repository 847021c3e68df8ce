//! Motions: what the canvas animates. The core records one motion each time a parcel
//! starts to travel — its path, direction, departure, arrival and how many messages it
//! stands for — so playback draws dots from what the simulation decided, never
//! re-deriving timing from events.

use crate::core::kernel::time::SimTime;
use crate::core::model::ids::{CopyId, EdgeId, NodeId};
use serde::Serialize;

/// One stretch of a motion's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "leg", rename_all = "snake_case")]
pub enum Leg {
    /// Along a diagram edge.
    Edge {
        /// The edge.
        edge: EdgeId,
    },
    /// Straight from one node to another, where no edge is drawn (a reply through the
    /// default exchange, which reaches every queue by name).
    Line {
        /// Start node.
        from: NodeId,
        /// End node.
        to: NodeId,
    },
}

/// Why a parcel moves (playback picks its look from this).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MotionKind {
    /// Published to an exchange.
    Publish,
    /// Routed from an exchange to a queue (`dead_lettered`: routed from a dead-letter
    /// exchange after dead-lettering).
    Route {
        /// It was dead-lettered on its way here.
        dead_lettered: bool,
    },
    /// Delivered from a queue to a consumer.
    Deliver {
        /// Delivered before and returned.
        redelivered: bool,
    },
    /// Dead-lettered from a queue to its dead-letter exchange.
    DeadLetter,
    /// Produced to a Kafka topic.
    Produce,
    /// Fetched from a Kafka topic by a consumer (`count` records in one batch).
    Fetch,
    /// Sent to an SQS queue or published to an SNS topic (or fanned out by one).
    Send,
    /// Received from an SQS queue (`redelivered`: received before).
    Receive {
        /// Received before (its visibility timeout ran out meanwhile).
        redelivered: bool,
    },
    /// Moved to a dead-letter queue by a redrive policy.
    Redrive,
    /// Sent along a ZeroMQ pipe (or forwarded by a device).
    Pipe,
    /// A synchronous request along a call edge.
    Call,
    /// A reply travelling back along a call edge (`ok`: a good answer).
    Reply {
        /// A good answer (else an error or a refusal).
        ok: bool,
    },
}

/// One parcel (or batch) travelling.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Motion {
    /// The parcel.
    pub copy: CopyId,
    /// The node that published its message (its colour; none: a script client).
    pub origin: Option<NodeId>,
    /// The path, in travel order.
    pub legs: Vec<Leg>,
    /// Travels the path backwards (a reply along a call edge); always false for
    /// messages, which travel the way their edges point.
    pub reverse: bool,
    /// Departure.
    pub depart: SimTime,
    /// Arrival.
    pub arrive: SimTime,
    /// How many messages it stands for (1: one parcel).
    pub count: u32,
    /// Why it moves.
    pub kind: MotionKind,
}
