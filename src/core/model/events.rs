//! Events the simulation emits: what happened, when, to which copy, where. The UI
//! animates and logs from these alone.

use crate::core::kernel::time::SimTime;
use crate::core::model::ids::{CopyId, EdgeId, MessageId, NodeId};
use crate::core::model::message::DeathReason;
use serde::Serialize;

/// Why a copy left the system without being acknowledged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// No queue matched and no alternate exchange took it.
    Unroutable,
    /// Dropped from the head of a full queue (drop-head) without a dead-letter exchange.
    Overflow,
    /// Refused by a full queue (reject-publish).
    RejectPublish,
    /// Expired without a dead-letter exchange.
    Expired,
    /// Rejected (requeue = false) without a dead-letter exchange.
    Rejected,
    /// Over the delivery limit without a dead-letter exchange.
    DeliveryLimit,
    /// Dead-lettered in a cycle with no rejection in it.
    DeadLetterCycle,
    /// Auto-acked, then lost when its consumer crashed (at-most-once).
    LostOnCrash,
    /// A Kafka consumer's fetched copy thrown away (the consumer went away, lost the
    /// partition, or sought back); the record stays in the log.
    Discarded,
    /// Refused by a Kafka topic (a compacted topic takes no record without a key).
    InvalidRecord,
    /// An SQS or SNS call AWS refuses (a FIFO send without a group id or a
    /// deduplication id).
    InvalidRequest,
    /// An SNS message no subscription took (none, or every filter policy said no).
    FilteredOut,
    /// An SNS push to a worker that was down or went down while holding it.
    EndpointDown,
    /// A ZeroMQ PUB subscriber's pipe was at its high-water mark.
    Hwm,
    /// A ZeroMQ peer went away with what its pipes held.
    PeerLost,
    /// Removed by a queue purge.
    Purged,
    /// A request to a service that was down (its caller gets an error).
    ServiceDown,
    /// A request refused by a service whose backlog was full.
    BacklogFull,
    /// A request whose handling failed (its caller gets an error).
    RequestFailed,
    /// A request lost when its service went down holding it (its caller times out).
    RequestLost,
    /// Lost in a broker restart: a transient message, or one in a transient queue.
    BrokerRestart,
}

impl DropReason {
    /// All reasons, in report order.
    pub const ALL: [DropReason; 21] = [
        DropReason::Unroutable,
        DropReason::Overflow,
        DropReason::RejectPublish,
        DropReason::Expired,
        DropReason::Rejected,
        DropReason::DeliveryLimit,
        DropReason::DeadLetterCycle,
        DropReason::LostOnCrash,
        DropReason::Discarded,
        DropReason::InvalidRecord,
        DropReason::InvalidRequest,
        DropReason::FilteredOut,
        DropReason::EndpointDown,
        DropReason::Hwm,
        DropReason::PeerLost,
        DropReason::Purged,
        DropReason::ServiceDown,
        DropReason::BacklogFull,
        DropReason::RequestFailed,
        DropReason::RequestLost,
        DropReason::BrokerRestart,
    ];

    /// Snake-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Unroutable => "unroutable",
            DropReason::Overflow => "overflow",
            DropReason::RejectPublish => "reject_publish",
            DropReason::Expired => "expired",
            DropReason::Rejected => "rejected",
            DropReason::DeliveryLimit => "delivery_limit",
            DropReason::DeadLetterCycle => "dead_letter_cycle",
            DropReason::LostOnCrash => "lost_on_crash",
            DropReason::Discarded => "discarded",
            DropReason::InvalidRecord => "invalid_record",
            DropReason::InvalidRequest => "invalid_request",
            DropReason::FilteredOut => "filtered_out",
            DropReason::EndpointDown => "endpoint_down",
            DropReason::Hwm => "hwm",
            DropReason::PeerLost => "peer_lost",
            DropReason::Purged => "purged",
            DropReason::ServiceDown => "service_down",
            DropReason::BacklogFull => "backlog_full",
            DropReason::RequestFailed => "request_failed",
            DropReason::RequestLost => "request_lost",
            DropReason::BrokerRestart => "broker_restart",
        }
    }

    /// The drop that a dead-letter reason becomes when the queue has no DLX.
    pub fn from_death(reason: DeathReason) -> DropReason {
        match reason {
            DeathReason::Rejected => DropReason::Rejected,
            DeathReason::Expired => DropReason::Expired,
            DeathReason::Maxlen => DropReason::Overflow,
            DeathReason::DeliveryLimit => DropReason::DeliveryLimit,
        }
    }
}

/// Why a consumer went away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DownReason {
    /// Its process crashed.
    Crash,
    /// A planned or forced disconnection.
    Outage,
}

/// One thing that happened, stamped with simulated time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// When.
    pub time: SimTime,
    /// What.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A producer (or a consumer replying/forwarding) published a message; the copy
    /// now travels along `edge` to `exchange`.
    Published {
        /// The travelling copy.
        copy: CopyId,
        /// The message.
        message: MessageId,
        /// Publisher node (none: a script client, which has no node).
        from: Option<NodeId>,
        /// Exchange node (none: the implicit default exchange).
        exchange: Option<NodeId>,
        /// Publish edge (none for replies via the default exchange).
        edge: Option<EdgeId>,
        /// Routing key.
        routing_key: String,
        /// `message_id` property.
        message_id: String,
        /// `correlation_id` property.
        #[serde(skip_serializing_if = "Option::is_none")]
        correlation_id: Option<String>,
        /// `reply_to` property.
        #[serde(skip_serializing_if = "Option::is_none")]
        reply_to: Option<String>,
    },
    /// The exchange routed the copy: `copies[i]` travels to `queues[i]` along `paths[i]`.
    Routed {
        /// Copy that arrived.
        copy: CopyId,
        /// Exchange node it arrived at (none: the implicit default exchange).
        exchange: Option<NodeId>,
        /// One copy per destination queue (the first reuses `copy`).
        copies: Vec<CopyId>,
        /// Destination queue nodes.
        queues: Vec<NodeId>,
        /// Edge chain to each queue.
        paths: Vec<Vec<EdgeId>>,
    },
    /// A copy entered a queue's ready list.
    Enqueued {
        /// The copy.
        copy: CopyId,
        /// Queue node.
        queue: NodeId,
    },
    /// A queue sent a copy to a consumer.
    Delivered {
        /// The copy.
        copy: CopyId,
        /// Queue node.
        queue: NodeId,
        /// Consumer node.
        consumer: NodeId,
        /// Subscription edge.
        edge: EdgeId,
        /// Whether it had been delivered before.
        redelivered: bool,
    },
    /// A consumer finished processing a copy (the side effect happened, unless
    /// `duplicate`: an idempotent consumer had already processed that message id).
    Processed {
        /// The copy.
        copy: CopyId,
        /// Consumer node.
        consumer: NodeId,
        /// Skipped as a duplicate.
        duplicate: bool,
    },
    /// A copy was acknowledged (or auto-acked and fully processed).
    Acked {
        /// The copy.
        copy: CopyId,
        /// Consumer node.
        consumer: NodeId,
    },
    /// A copy was negatively acknowledged.
    Nacked {
        /// The copy.
        copy: CopyId,
        /// Consumer node.
        consumer: NodeId,
        /// Requeue requested.
        requeue: bool,
    },
    /// A copy went back to its queue's ready list (redelivered = true).
    Requeued {
        /// The copy.
        copy: CopyId,
        /// Queue node.
        queue: NodeId,
    },
    /// A copy's TTL ran out at the head of its queue.
    Expired {
        /// The copy.
        copy: CopyId,
        /// Queue node.
        queue: NodeId,
    },
    /// A copy left its queue for the dead-letter exchange.
    DeadLettered {
        /// The copy.
        copy: CopyId,
        /// Queue node.
        queue: NodeId,
        /// Why.
        reason: DeathReason,
        /// Dead-letter exchange node (none: the implicit default exchange).
        exchange: Option<NodeId>,
        /// Dead-letter edge.
        edge: EdgeId,
        /// The message's `x-death` history after this death, newest first.
        x_death: Vec<crate::core::model::message::XDeath>,
    },
    /// A copy left the system unacknowledged.
    Dropped {
        /// The copy.
        copy: CopyId,
        /// Node where it was dropped.
        at: Option<NodeId>,
        /// Why.
        reason: DropReason,
    },
    /// A consumer disconnected or crashed; its unacked copies were returned.
    ConsumerDown {
        /// Consumer node.
        consumer: NodeId,
        /// Why.
        reason: DownReason,
    },
    /// A consumer (re)connected.
    /// A script client got a message from a queue (basic.get).
    Got {
        /// The copy.
        copy: CopyId,
        /// The queue.
        queue: NodeId,
        /// It had been delivered before.
        redelivered: bool,
    },
    /// A script client acked a message it got.
    ClientAcked {
        /// The copy.
        copy: CopyId,
        /// The queue it came from.
        queue: NodeId,
    },
    /// A consumer reconnected (after a crash or an outage).
    ConsumerUp {
        /// Consumer node.
        consumer: NodeId,
    },
    /// A producer (or a consumer after processing, or a client) produced a Kafka
    /// record; the copy travels to `partition` of `topic`.
    Produced {
        /// The travelling copy.
        copy: CopyId,
        /// The message.
        message: MessageId,
        /// Producing node (none: a client by hand or a script).
        from: Option<NodeId>,
        /// Topic node.
        topic: NodeId,
        /// The partition the partitioner chose.
        partition: u32,
    },
    /// A produced copy became a record of its partition.
    Appended {
        /// The copy that arrived.
        copy: CopyId,
        /// Topic node.
        topic: NodeId,
        /// Partition.
        partition: u32,
        /// The record's offset.
        offset: u64,
    },
    /// A group member's poll returned records: one copy each, travelling to it.
    Fetched {
        /// Consumer node.
        consumer: NodeId,
        /// Topic node.
        topic: NodeId,
        /// The copies and the messages they carry.
        copies: Vec<(CopyId, MessageId)>,
    },
    /// A consumer group finished a rebalance.
    Rebalanced {
        /// Topic node.
        topic: NodeId,
        /// `group.id`.
        group: std::rc::Rc<str>,
        /// The new generation.
        generation: u32,
        /// Members now.
        members: u32,
    },
    /// A client sent a message to an SQS queue or published to an SNS topic.
    Sent {
        /// The parcel.
        copy: CopyId,
        /// Its message.
        message: MessageId,
        /// Sender (none: the script or by hand).
        from: Option<NodeId>,
        /// The queue or topic.
        to: NodeId,
    },
    /// A sent message reached its SQS queue and was stored.
    Stored {
        /// The parcel (it leaves: the queue holds the message).
        copy: CopyId,
        /// The queue.
        queue: NodeId,
        /// Stored delayed (invisible until its delay ends).
        delayed: bool,
    },
    /// A receive returned a message (a new copy travels to the receiver).
    Received {
        /// The receiver's copy.
        copy: CopyId,
        /// Its message.
        message: MessageId,
        /// The queue.
        queue: NodeId,
        /// Receiver (none: the script).
        consumer: Option<NodeId>,
        /// `ApproximateReceiveCount` after this receive.
        receive_count: u32,
    },
    /// DeleteMessage.
    Deleted {
        /// The deleter's copy, if a worker deleted.
        copy: Option<CopyId>,
        /// The message.
        message: MessageId,
        /// The queue.
        queue: NodeId,
        /// The receipt was not the latest: nothing was deleted.
        stale: bool,
    },
    /// An in-flight message's visibility timeout ran out: it is visible again.
    VisibilityExpired {
        /// The message.
        message: MessageId,
        /// The queue.
        queue: NodeId,
        /// Receives so far.
        receive_count: u32,
    },
    /// A receive would have exceeded `maxReceiveCount`: the message moves to the
    /// dead-letter queue. Or, with `redrive`, a DLQ redrive moves it back.
    MovedToDeadLetter {
        /// The parcel that travels the redrive edge.
        copy: CopyId,
        /// The message.
        message: MessageId,
        /// The queue it leaves.
        queue: NodeId,
        /// The queue it goes to (the dead-letter queue, or its source on a redrive).
        dead_letter: NodeId,
        /// Receives so far.
        receive_count: u32,
        /// A redrive: moved back from the dead-letter queue to its source.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        redrive: bool,
    },
    /// A FIFO send or publish whose deduplication id was seen within 5 minutes: accepted
    /// and not stored.
    Deduplicated {
        /// The message.
        message: MessageId,
        /// The queue or topic.
        at: NodeId,
    },
    /// An SQS message older than the queue's retention period was deleted.
    RetentionExpired {
        /// The message.
        message: MessageId,
        /// The queue.
        queue: NodeId,
    },
    /// A dead-letter queue's messages were moved back to their source queues.
    Redriven {
        /// The dead-letter queue.
        queue: NodeId,
        /// How many.
        count: u32,
    },
    /// A message was sent along a ZeroMQ pipe (by a producer, a worker or a device).
    Pushed {
        /// The parcel.
        copy: CopyId,
        /// Its message.
        message: MessageId,
        /// Sender (none: a client without a node).
        from: Option<NodeId>,
        /// Receiver.
        to: Option<NodeId>,
        /// The pipe's edge.
        edge: EdgeId,
    },
    /// An SNS topic fanned a message out to the subscriptions whose filter policies
    /// passed.
    FannedOut {
        /// The published parcel.
        copy: CopyId,
        /// The topic.
        topic: NodeId,
        /// Each delivery's copy and where it goes.
        copies: Vec<(CopyId, NodeId)>,
        /// Subscriptions whose filter policy kept it out.
        filtered: u32,
    },
    /// A caller sent an attempt of a synchronous call along a call edge.
    CallSent {
        /// The request parcel.
        copy: CopyId,
        /// The message the request carries (the one its caller is working on). Not
        /// written out: the trace panel follows it; files and digests stay as they were.
        #[serde(skip)]
        message: MessageId,
        /// The caller's node.
        from: NodeId,
        /// The service.
        to: NodeId,
        /// The call edge.
        edge: EdgeId,
        /// Attempt number (1: the first; more: retries).
        attempt: u32,
    },
    /// An attempt of a call ended for its caller: `ok`, `error`, `timeout`,
    /// `rejected` (backlog full) or `breaker_open`.
    CallEnded {
        /// The message the call carried (not written out, as in `CallSent`).
        #[serde(skip)]
        message: MessageId,
        /// The caller's node.
        from: NodeId,
        /// The service.
        to: NodeId,
        /// The call edge.
        edge: EdgeId,
        /// Attempt number.
        attempt: u32,
        /// How it ended.
        result: &'static str,
    },
}
