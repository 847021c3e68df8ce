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
        /// Blocked on a full ZeroMQ PUSH socket.
        blocked: bool,
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
        /// Ready messages per priority level, lowest first (empty without
        /// `x-max-priority`).
        levels: Vec<u64>,
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
    /// A service.
    Service {
        /// Workers busy (working, or blocked on a call they made).
        busy: u64,
        /// Its workers.
        workers: u64,
        /// Requests waiting.
        backlog: u64,
        /// Most requests that may wait.
        backlog_limit: u64,
        /// Requests answered ok.
        served: u64,
        /// Requests answered with an error.
        failed: u64,
        /// Requests refused (down, or backlog full).
        refused: u64,
        /// Up.
        online: bool,
        /// Requests and messages whose work was done.
        processed: u64,
    },
    /// An SQS queue.
    SqsQueue {
        /// Visible messages.
        visible: u64,
        /// In-flight messages (received, not deleted, visibility not yet run out).
        in_flight: u64,
        /// Delayed messages.
        delayed: u64,
        /// Messages deleted so far.
        deleted: u64,
        /// A FIFO queue.
        fifo: bool,
        /// The queue's visibility timeout, ms (the scale of the cells' bars).
        visibility_timeout_ms: f64,
        /// The first messages in send order (at most [`GLANCE`]), for the canvas.
        glance: Vec<MessageGlance>,
    },
    /// A ZeroMQ device.
    ZmqDevice {
        /// Messages forwarded.
        forwarded: u64,
        /// Messages waiting in its input pipes.
        waiting: u64,
        /// Least-recently-used (rather than round-robin).
        lru: bool,
    },
    /// An SNS topic.
    SnsTopic {
        /// Messages published to it.
        published: u64,
        /// Copies delivered to subscriptions.
        delivered: u64,
        /// Copies kept out by filter policies.
        filtered_out: u64,
    },
    /// A Kafka topic.
    KafkaTopic {
        /// Each partition's log: `[log_start, log_end)` and records held.
        partitions: Vec<PartitionStatus>,
        /// Each group reading it.
        groups: Vec<GroupStatus>,
    },
}

/// Messages of an SQS queue shown one by one on the canvas.
pub const GLANCE: usize = 8;

/// One SQS message as the canvas shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageGlance {
    /// `visible`, `in_flight` or `delayed`.
    pub state: &'static str,
    /// Time left before it becomes visible (in flight or delayed), ms.
    pub remaining_ms: Option<f64>,
    /// `ApproximateReceiveCount`.
    pub receive_count: u32,
}

/// One partition of a topic now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartitionStatus {
    /// First offset held.
    pub log_start: u64,
    /// Next offset to be written.
    pub log_end: u64,
    /// Records held (fewer than `log_end - log_start` after compaction).
    pub records: u64,
}

/// A consumer group's position on a topic now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupStatus {
    /// `group.id`.
    pub name: String,
    /// Generation of its assignment.
    pub generation: u32,
    /// A rebalance is in progress.
    pub rebalancing: bool,
    /// Committed offset per partition (none: nothing committed yet).
    pub committed: Vec<Option<u64>>,
    /// Owner per partition (consumer node), if any.
    pub owner: Vec<Option<crate::core::model::ids::NodeId>>,
    /// Records behind the log end, summed over partitions (from the committed offset,
    /// or the log start without one).
    pub lag: u64,
    /// Records skipped because retention deleted them before the group read them.
    pub skipped: u64,
}

/// What a breaker is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls are refused at once.
    Open,
    /// A few probe calls go through.
    HalfOpen,
}

impl BreakerState {
    /// The name shown and reported.
    pub fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half-open",
        }
    }
}

/// An edge's figures now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EdgeStatus {
    /// Messages that have set off along it (a route through several bindings counts
    /// on each).
    pub travelled: u64,
    /// A ZeroMQ pipe: messages in it now.
    #[serde(skip_serializing_if = "is_zero")]
    pub queued: u64,
    /// A ZeroMQ pipe: its high-water mark (0: not a pipe).
    #[serde(skip_serializing_if = "is_zero")]
    pub hwm: u64,
    /// A call edge with a circuit breaker: its state now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaker: Option<BreakerState>,
    /// A call edge: calls made.
    #[serde(skip_serializing_if = "is_zero")]
    pub calls: u64,
    /// A call edge: attempts made (retries make them more than the calls).
    #[serde(skip_serializing_if = "is_zero")]
    pub attempts: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
