//! Runtime state of RabbitMQ queues and their subscribers, and the queue counters.

use super::ready::ReadyList;
use crate::core::kernel::time::SimTime;
use serde::Serialize;

/// Counters of one queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QueueStats {
    /// Copies that entered the queue.
    pub enqueued: u64,
    /// Deliveries to consumers (including redeliveries).
    pub delivered: u64,
    /// Deliveries with redelivered = true.
    pub redelivered: u64,
    /// Copies acknowledged.
    pub acked: u64,
    /// Copies returned to the queue.
    pub requeued: u64,
    /// Copies whose TTL ran out here.
    pub expired: u64,
    /// Copies dead-lettered from here.
    pub dead_lettered: u64,
    /// Copies dropped here (overflow, expiry or rejection without a DLX, refused publishes).
    pub dropped: u64,
}

/// One consumer's subscription to a queue, as the broker sees it: whether it is
/// connected, when it registered (single active consumer), its prefetch credit, the
/// tag of the current subscription and the deliveries it has not settled.
#[derive(Clone, Debug)]
pub struct Subscriber {
    /// The consumer (worker index).
    pub worker: usize,
    /// Connected.
    pub online: bool,
    /// Registration order: the earliest online subscriber is a single active
    /// consumer queue's active one (rabbitmq.com/docs/consumers).
    pub registered: u64,
    /// Prefetch window: most deliveries held unsettled (`None`: unlimited — prefetch
    /// 0, or auto-ack). Its credit is the room left in the window.
    pub window: Option<u32>,
    /// Auto-ack: the broker forgets a message as soon as it is delivered.
    pub auto_ack: bool,
    /// Current subscription tag; bumped when the subscription ends, so deliveries
    /// still travelling to the old one are ignored on arrival.
    pub tag: u32,
    /// Delivered, not yet settled (unacked, or auto-acked and still being handled).
    pub held: Vec<u32>,
}

impl Subscriber {
    /// Whether it is connected and has credit for one more delivery now.
    #[inline]
    pub fn has_room(&self) -> bool {
        self.online
            && self
                .window
                .is_none_or(|w| (self.held.len() as u64) < w as u64)
    }
}

/// Live state of one queue.
#[derive(Clone, Debug)]
pub struct QueueState {
    /// Ready messages.
    pub ready: ReadyList,
    /// Payload bytes of ready messages.
    pub ready_bytes: u64,
    /// Next enqueue sequence number.
    pub next_seq: u64,
    /// Delivered copies awaiting a manual ack.
    pub unacked: u64,
    /// Round-robin cursor into the subscriber list.
    pub cursor: usize,
    /// Time of the earliest pending expiry check.
    pub expiry_at: Option<SimTime>,
    /// Set once any copy with an expiry entered the queue (skips expiry work otherwise).
    pub may_expire: bool,
    /// Subscribers, in subscription order.
    pub subscribers: Vec<Subscriber>,
    /// Next registration number.
    pub registrations: u64,
    /// Counters.
    pub stats: QueueStats,
}

impl QueueState {
    /// An empty queue with `levels` priority levels.
    pub fn new(levels: usize) -> QueueState {
        QueueState {
            ready: ReadyList::new(levels),
            ready_bytes: 0,
            next_seq: 0,
            unacked: 0,
            cursor: 0,
            expiry_at: None,
            may_expire: false,
            subscribers: Vec::new(),
            registrations: 0,
            stats: QueueStats::default(),
        }
    }
}
