//! Messages and their copies.
//!
//! A publish creates one [`MessageBody`] (immutable, shared) and one [`Copy`]. Routing to
//! several queues makes more copies of the same body. Each copy carries what is per
//! queue: its state, redelivered flag, delivery count, current routing key (dead-letter
//! routing keys replace it) and `x-death` history (rabbitmq.com/docs/dlx).

use crate::core::kernel::time::SimTime;
use crate::core::model::ids::{CopyId, MessageId, NodeId};
use serde::Serialize;
use std::rc::Rc;

thread_local! {
    /// The one empty text that messages without a routing key, group or edge name share.
    static EMPTY: Rc<str> = Rc::from("");
}

/// An empty `Rc<str>` without an allocation: a clone of one shared per thread (a
/// message's missing routing key or group, a parcel's missing edge name are made per
/// message, and an allocation each cost the most in wasm).
pub fn empty_text() -> Rc<str> {
    EMPTY.with(Rc::clone)
}

/// Message headers: name → JSON value (RabbitMQ's headers table; Kafka's record
/// headers).
pub type Headers = std::collections::BTreeMap<String, serde_json::Value>;

/// The published content and properties, shared by all copies.
#[derive(Clone, Debug)]
pub struct MessageBody {
    /// Simulation-wide message number.
    pub id: MessageId,
    /// Routing key the publisher used.
    pub routing_key: Rc<str>,
    /// Headers table.
    pub headers: Rc<Headers>,
    /// Extra routing keys from the `CC` header (sender-selected distribution).
    pub cc: Vec<Rc<str>>,
    /// Extra routing keys from the `BCC` header (used once, then removed).
    pub bcc: Vec<Rc<str>>,
    /// Payload text.
    pub payload: Rc<str>,
    /// `message_id` property.
    pub message_id: Rc<str>,
    /// `correlation_id` property.
    pub correlation_id: Option<Rc<str>>,
    /// `reply_to` property.
    pub reply_to: Option<Rc<str>>,
    /// `priority` property.
    pub priority: Option<u8>,
    /// `expiration` property, in µs.
    pub expiration_us: Option<u64>,
    /// Node that published it (producer, or consumer for replies and forwards).
    pub origin: Option<NodeId>,
    /// When it was published.
    pub published_at: SimTime,
    /// Kafka record key (none: null; RabbitMQ messages have none).
    pub key: Option<Rc<str>>,
    /// A Kafka tombstone (null value).
    pub tombstone: bool,
    /// `delivery_mode` 2: a durable queue keeps it through a broker restart.
    pub persistent: bool,
}

/// Why a message was dead-lettered (the `reason` of an `x-death` entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeathReason {
    /// Negatively acknowledged with requeue = false.
    Rejected,
    /// Its TTL ran out.
    Expired,
    /// Dropped by a queue length limit.
    Maxlen,
    /// Returned more times than the queue's delivery limit.
    DeliveryLimit,
}

impl DeathReason {
    /// RabbitMQ's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DeathReason::Rejected => "rejected",
            DeathReason::Expired => "expired",
            DeathReason::Maxlen => "maxlen",
            DeathReason::DeliveryLimit => "delivery_limit",
        }
    }
}

/// One `x-death` entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct XDeath {
    /// Queue the message died in.
    pub queue: Rc<str>,
    /// Why.
    pub reason: DeathReason,
    /// How many times it died in that queue for that reason.
    pub count: u32,
    /// Exchange the message had been published to.
    pub exchange: Rc<str>,
    /// Routing keys it had.
    #[serde(rename = "routing-keys")]
    pub routing_keys: Vec<Rc<str>>,
    /// When it last died there.
    pub time: SimTime,
}

/// Where a copy is. Exactly one state at a time (the conservation check relies on it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyState {
    /// Travelling along an edge towards an exchange or a queue.
    InFlight,
    /// Ready in a queue.
    Ready(u32),
    /// Delivered with manual ack, not yet settled.
    Unacked {
        /// Queue it came from.
        queue: u32,
        /// Consumer holding it.
        consumer: u32,
    },
    /// Delivered in auto-ack mode: the broker forgot it; the consumer still works on it.
    Processing {
        /// Consumer holding it.
        consumer: u32,
    },
    /// A copy of a Kafka record fetched by a consumer (travelling to it or held by it).
    Fetched {
        /// Consumer that fetched it.
        consumer: u32,
    },
    /// A copy of an SQS message a worker received, or of an SNS message pushed to it
    /// (travelling to it or held by it).
    Received {
        /// The worker.
        consumer: u32,
    },
    /// Waiting at the receiving end of a ZeroMQ pipe.
    Piped {
        /// Pipe index.
        pipe: u32,
    },
    /// A request at a service: in its backlog or in a worker's hands.
    Request {
        /// The service's worker index.
        worker: u32,
    },
}

/// A service's answer to a synchronous request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Handled.
    Ok,
    /// Down, or handling failed.
    Error,
    /// Refused: its backlog was full.
    Rejected,
}

/// A live copy of a message (acked and dropped copies are freed and only counted).
#[derive(Clone, Debug)]
pub struct Copy {
    /// Unique id of this copy.
    pub id: CopyId,
    /// Shared content.
    pub body: Rc<MessageBody>,
    /// Current state.
    pub state: CopyState,
    /// Current routing key (a dead-letter routing key replaces the original).
    pub routing_key: Rc<str>,
    /// The `CC` keys still apply (a dead-letter routing key removes them).
    pub cc_active: bool,
    /// The `BCC` keys still apply (they are removed once the message is routed).
    pub bcc_active: bool,
    /// Exchange it was last published to (for `x-death`).
    pub exchange: Rc<str>,
    /// Set once the message has been delivered and returned.
    pub redelivered: bool,
    /// How many times it was returned to a queue (quorum-queue delivery count).
    pub returns: u32,
    /// Dead-letter history, newest first.
    pub x_death: Vec<XDeath>,
    /// Dead-lettering removes the per-message TTL.
    pub expiration_cleared: bool,
    /// When it expires in its current queue.
    pub expires_at: Option<SimTime>,
    /// Position in its queue (FIFO order, kept across requeues).
    pub seq: u64,
    /// Priority level inside its queue.
    pub level: u8,
    /// Index in the holding consumer's unacked list.
    pub held_at: u32,
    /// When it entered its current queue.
    pub enqueued_at: SimTime,
}

impl Copy {
    /// Sender-selected routing keys that apply to this copy now.
    pub fn extra_keys(&self) -> Vec<Rc<str>> {
        let mut keys = Vec::new();
        if self.cc_active {
            keys.extend(self.body.cc.iter().cloned());
        }
        if self.bcc_active {
            keys.extend(self.body.bcc.iter().cloned());
        }
        keys
    }

    /// Payload size in bytes (for `x-max-length-bytes`).
    pub fn size(&self) -> u64 {
        self.body.payload.len() as u64
    }

    /// Per-message TTL still in force.
    pub fn expiration_us(&self) -> Option<u64> {
        if self.expiration_cleared {
            None
        } else {
            self.body.expiration_us
        }
    }
}

/// A message as a client (producer, worker, script) offers it to a system, before it
/// becomes a parcel: RabbitMQ reads the routing key and properties, Kafka the key,
/// partition and tombstone flag.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// Routing key.
    pub routing_key: Rc<str>,
    /// Headers table (`CC` / `BCC` add routing keys).
    pub headers: Rc<Headers>,
    /// Payload.
    pub payload: Rc<str>,
    /// `message_id` property.
    pub message_id: Rc<str>,
    /// `correlation_id` property.
    pub correlation_id: Option<Rc<str>>,
    /// `reply_to` property.
    pub reply_to: Option<Rc<str>>,
    /// `priority` property.
    pub priority: Option<u8>,
    /// `expiration` property, µs.
    pub expiration_us: Option<u64>,
    /// Kafka record key (none: a null key). RabbitMQ ignores it.
    pub key: Option<Rc<str>>,
    /// Kafka partition chosen by the sender (none: the default partitioner).
    pub partition: Option<u32>,
    /// A Kafka tombstone: the record's value is null.
    pub tombstone: bool,
    /// What SQS and SNS read besides the body.
    pub aws: AwsSend,
    /// `delivery_mode` 2 (persistent).
    pub persistent: bool,
}

impl Outgoing {
    /// The message body this offer becomes, as sent: message number `id`, published
    /// by `origin` at `at`. (RabbitMQ fills `CC`/`BCC` from the headers itself;
    /// other systems adjust what they do not carry.)
    pub fn into_body(self, id: MessageId, origin: Option<NodeId>, at: SimTime) -> MessageBody {
        MessageBody {
            id,
            routing_key: self.routing_key,
            headers: self.headers,
            cc: Vec::new(),
            bcc: Vec::new(),
            payload: self.payload,
            message_id: self.message_id,
            correlation_id: self.correlation_id,
            reply_to: self.reply_to,
            priority: self.priority,
            expiration_us: self.expiration_us,
            origin,
            published_at: at,
            key: self.key,
            tombstone: self.tombstone,
            persistent: self.persistent,
        }
    }
}

/// The parts of an SQS SendMessage or an SNS Publish that other systems lack.
#[derive(Clone, Debug)]
pub struct AwsSend {
    /// `MessageGroupId` (FIFO).
    pub group_id: Option<Rc<str>>,
    /// `MessageDeduplicationId` (FIFO).
    pub dedup_id: Option<Rc<str>>,
    /// `DelaySeconds` of this message, µs (standard queues).
    pub delay_us: Option<u64>,
}

impl AwsSend {
    /// Nothing set (every other system's messages).
    pub const NONE: AwsSend = AwsSend {
        group_id: None,
        dedup_id: None,
        delay_us: None,
    };
}
