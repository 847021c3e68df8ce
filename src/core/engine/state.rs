//! Runtime state of queues, consumers and producers, and their counters.

use super::ready::ReadyList;
use crate::core::routing::headers::Headers;
use crate::core::time::SimTime;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::VecDeque;
use std::rc::Rc;

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
    /// Round-robin cursor into the queue's consumer list.
    pub cursor: usize,
    /// Time of the earliest pending expiry check.
    pub expiry_at: Option<SimTime>,
    /// Set once any copy with an expiry entered the queue (skips expiry work otherwise).
    pub may_expire: bool,
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
            stats: QueueStats::default(),
        }
    }
}

/// Counters of one consumer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConsumerStats {
    /// Deliveries received.
    pub received: u64,
    /// Messages whose work was done (the side effect happened), duplicates included.
    pub processed: u64,
    /// Distinct message ids processed.
    pub unique_processed: u64,
    /// Messages skipped as already processed (idempotent consumers).
    pub duplicates_skipped: u64,
    /// Acks sent (or auto-acked messages completed).
    pub acked: u64,
    /// Nacks with requeue.
    pub requeued: u64,
    /// Rejections without requeue.
    pub rejected: u64,
    /// Crashes.
    pub crashes: u64,
    /// Messages published after processing (replies and forwards).
    pub published: u64,
}

/// Live state of one consumer.
#[derive(Clone, Debug, Default)]
pub struct ConsumerState {
    /// Connected and able to receive.
    pub online: bool,
    /// When it (re)registered with its queue: the earliest online one is a single
    /// active consumer queue's active consumer (rabbitmq.com/docs/consumers).
    pub registered: u64,
    /// Down after a crash, waiting for its restart.
    pub awaiting_restart: bool,
    /// Scheduled outage windows open now (windows may overlap: the consumer is away
    /// until the last one ends).
    pub windows_open: u32,
    /// Switched off by hand.
    pub switched_off: bool,
    /// Bumped on every disconnection; stale timers carry an older value.
    pub epoch: u32,
    /// Arrived copies waiting to be processed.
    pub buffer: VecDeque<u32>,
    /// Copy being processed.
    pub busy: Option<u32>,
    /// Copies held: unacked (manual ack) or being handled after auto-ack.
    pub held: Vec<u32>,
    /// Position in the outcome pattern.
    pub pattern_pos: usize,
    /// Message ids recently processed (all consumers track this for
    /// `unique_processed`; idempotent ones also skip what it holds).
    pub seen: SeenIds,
    /// Counters.
    pub stats: ConsumerStats,
}

/// How many message ids a consumer remembers: the most recent [`SEEN_WINDOW`] distinct
/// ids it processed. An idempotent consumer skips a duplicate only inside this window,
/// as a real deduplication store with a bounded size or expiry would.
pub const SEEN_WINDOW: usize = 100_000;

/// The bounded memory of processed message ids: a set for look-ups and the order of
/// insertion for forgetting the oldest once [`SEEN_WINDOW`] is exceeded.
#[derive(Clone, Debug, Default)]
pub struct SeenIds {
    set: FxHashSet<Rc<str>>,
    order: VecDeque<Rc<str>>,
}

impl SeenIds {
    /// Whether `id` is remembered.
    pub fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }

    /// Remembers `id`; true when it was not remembered yet. Forgets the oldest id
    /// when the window is full.
    pub fn insert(&mut self, id: Rc<str>) -> bool {
        if !self.set.insert(id.clone()) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > SEEN_WINDOW {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        true
    }

    /// Ids remembered now (at most [`SEEN_WINDOW`]).
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// Live state of one producer.
#[derive(Clone, Debug, Default)]
pub struct ProducerState {
    /// Messages published in total.
    pub sent: u64,
    /// Messages published by the steady-rate timer.
    pub steady_sent: u64,
    /// Headers shared by every message, when none of them is a template.
    pub fixed_headers: Option<Rc<Headers>>,
}
