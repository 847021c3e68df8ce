//! The actions the agenda schedules: what the simulation will do at a given time.

use crate::core::model::message::{Answer, DeathReason};

/// Something the simulation will do at a given time. Indices are into the compiled
/// topology's tables; `slot` is a parcel's slot in the kernel's arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A producer's steady-rate timer.
    ProducerTick {
        /// Producer index.
        producer: u32,
    },
    /// The `i`-th message of a burst.
    BurstTick {
        /// Producer index.
        producer: u32,
        /// Burst index within the producer's bursts.
        burst: u32,
        /// Message number within the burst.
        i: u32,
    },
    /// The rest of an all-at-once burst from message `i` on: a huge burst is published
    /// in slices so one step never freezes the page. Scheduled with
    /// [`Agenda::push_next`], so nothing runs between slices and the run is the one a
    /// single action would give; not counted in `steps`.
    BurstRest {
        /// Producer index.
        producer: u32,
        /// Burst index.
        burst: u32,
        /// First message of the slice.
        i: u64,
    },
    /// A parcel reaches an exchange.
    ArriveExchange {
        /// Parcel.
        slot: u32,
        /// Exchange index.
        exchange: u32,
        /// Set when it was dead-lettered, with the reason.
        dead_letter: Option<DeathReason>,
    },
    /// A parcel reaches a queue.
    ArriveQueue {
        /// Parcel.
        slot: u32,
        /// Queue index.
        queue: u32,
    },
    /// A delivered parcel reaches its consumer.
    ArriveConsumer {
        /// Parcel.
        slot: u32,
        /// Consumer (worker) index.
        consumer: u32,
        /// The queue's subscription tag at delivery; a stale tag means the
        /// subscription ended meanwhile.
        tag: u32,
    },
    /// A consumer finishes one of the messages it is working on.
    ProcessingDone {
        /// Consumer index.
        consumer: u32,
        /// The consumer's epoch when it started (stale after a disconnection).
        epoch: u32,
        /// The parcel it worked on.
        slot: u32,
    },
    /// A request parcel reaches the service at the end of its call edge.
    ArriveService {
        /// Parcel.
        slot: u32,
        /// Call edge index.
        call: u32,
    },
    /// A service's answer reaches its caller.
    ReplyArrive {
        /// The call's id.
        call: u32,
        /// The attempt's token (stale: the attempt had timed out).
        token: u32,
        /// Call edge index.
        index: u32,
        /// The answer.
        answer: Answer,
    },
    /// An attempt's timeout.
    CallTimeout {
        /// The call's id.
        call: u32,
        /// The attempt's token.
        token: u32,
    },
    /// A call's backoff is over: the next attempt goes.
    CallRetry {
        /// The call's id.
        call: u32,
        /// The retry's token.
        token: u32,
    },
    /// A produced parcel reaches a Kafka topic's partition.
    ArriveTopic {
        /// Parcel.
        slot: u32,
        /// Topic index.
        topic: u32,
        /// Partition chosen by the producer.
        partition: u32,
    },
    /// A fetched batch reaches its Kafka consumer.
    FetchArrive {
        /// Consumer index.
        consumer: u32,
        /// The member's epoch when it fetched (stale after it went away).
        epoch: u32,
    },
    /// A sent parcel reaches an SQS queue (`delay_us`: the message's own delay).
    ArriveSqs {
        /// Parcel.
        slot: u32,
        /// SQS queue index.
        queue: u32,
        /// Per-message delay, µs (0: the queue's).
        delay_us: u32,
    },
    /// A parcel moved by a redrive policy (or redriven back) reaches a queue.
    ArriveMoved {
        /// Parcel (`returns` holds the receive count, `enqueued_at` the first send).
        slot: u32,
        /// SQS queue index it goes to.
        queue: u32,
        /// SQS queue index it comes from.
        from: u32,
    },
    /// A published parcel reaches an SNS topic.
    ArriveSns {
        /// Parcel.
        slot: u32,
        /// SNS topic index.
        topic: u32,
    },
    /// An SNS push reaches a subscribed worker.
    SnsPush {
        /// Parcel.
        slot: u32,
        /// Consumer index.
        consumer: u32,
    },
    /// An SQS message's delay or visibility timeout ends.
    SqsTimer {
        /// SQS queue index.
        queue: u32,
        /// Slab index.
        idx: u32,
        /// The token it was set with (stale when the message changed since).
        token: u32,
        /// Send sequence (stale when the slab slot was reused).
        seq: u64,
    },
    /// The oldest SQS messages reach the end of their retention period.
    SqsRetention {
        /// SQS queue index.
        queue: u32,
    },
    /// A receive's messages reach their worker.
    ReceiveArrive {
        /// Consumer index.
        consumer: u32,
        /// The reader's epoch when it received.
        epoch: u32,
    },
    /// A worker's long poll ends empty (or its short poll comes round again).
    ReceiveWait {
        /// Consumer index.
        consumer: u32,
        /// The reader's epoch when it started waiting.
        epoch: u32,
    },
    /// A parcel reaches the receiving end of a ZeroMQ pipe.
    ArrivePipe {
        /// Parcel.
        slot: u32,
        /// Pipe index.
        pipe: u32,
    },
    /// A sender blocked on full ZeroMQ pipes tries again (one of them has room).
    PipeRetry {
        /// The sender's node index.
        node: u32,
    },
    /// A topic's retention and compaction run.
    LogMaintenance {
        /// Topic index.
        topic: u32,
    },
    /// A crashed group member's session runs out.
    SessionExpired {
        /// Consumer index.
        consumer: u32,
        /// The member's session token when it crashed.
        session: u32,
    },
    /// A group member's `max.poll.interval.ms` since its poll number `polls` ends.
    PollDeadline {
        /// Consumer index.
        consumer: u32,
        /// Its poll count then.
        polls: u64,
    },
    /// A group member waiting for records polls again with auto-commit due: its
    /// consumed offsets are committed (a poll loop keeps polling while nothing arrives).
    AutoCommit {
        /// Consumer index.
        consumer: u32,
    },
    /// A consumer group's join and sync round trips end: the new assignment applies.
    GroupSync {
        /// Group index.
        group: u32,
    },
    /// Expire messages at the head of a queue.
    ExpiryCheck {
        /// Queue index.
        queue: u32,
    },
    /// Outage window `index` of a consumer begins.
    OutageStart {
        /// Consumer index.
        consumer: u32,
        /// Window index.
        index: u32,
    },
    /// Outage window `index` of a consumer ends.
    OutageEnd {
        /// Consumer index.
        consumer: u32,
        /// Window index.
        index: u32,
    },
    /// A script step runs.
    ScriptStep {
        /// Index of the step in the script.
        step: u32,
    },
    /// A crashed consumer comes back.
    Restart {
        /// Consumer index.
        consumer: u32,
        /// The consumer's epoch at the crash.
        epoch: u32,
    },
}
