//! The agenda: pending internal actions ordered by (time, insertion sequence), so that
//! actions at the same instant run in the order they were scheduled. This ordering is
//! what makes every run deterministic. The entries sit in a 4-ary heap (`dary_heap`):
//! shallower than a binary one, which matters when tens of thousands of timers wait
//! (an SQS queue's visibility timeouts); keys are unique, so the order is the same.
//!
//! An SQS queue's timers (visibility timeouts and delays, mostly of one length, so
//! mostly scheduled in time order) and a worker's long-poll waits each wait in a
//! *lane* of their own, sorted, and only
//! the lane's earliest entries sit in the heap: the heap stays small however many
//! timers wait. Their sequence numbers are taken when they are scheduled, as any
//! action's, so the order of the run is exactly the one a single heap gives.

use crate::core::kernel::time::SimTime;
use crate::core::model::message::{Answer, DeathReason};
use dary_heap::QuaternaryHeap;
use std::cmp::Ordering;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    time: SimTime,
    seq: u64,
    action: Action,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: the heap is a max-heap and we want the earliest first.
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Action {
    /// The lane an action waits in outside the heap (see the module's doc): an SQS
    /// queue's timers, by queue, and a worker's long-poll waits, by worker (one per
    /// empty receive, most of them ended early by a message and left to lapse).
    fn lane(&self) -> Option<usize> {
        match self {
            Action::SqsTimer { queue, .. } => Some(2 * *queue as usize),
            Action::ReceiveWait { consumer, .. } => Some(2 * *consumer as usize + 1),
            _ => None,
        }
    }
}

/// A lane's entries in (time, seq) order; the first `in_heap` of them are also in
/// the heap (at least one while the lane holds any), so the heap always holds the
/// lane's earliest.
#[derive(Clone, Debug, Default)]
struct Lane {
    entries: std::collections::VecDeque<Entry>,
    in_heap: usize,
}

impl Lane {
    /// Adds `e`; returns whether it must go in the heap too (it is the lane's first, or
    /// earlier than an entry already there).
    fn add(&mut self, e: Entry) -> bool {
        let key = (e.time, e.seq);
        let at = match self.entries.back() {
            Some(last) if (last.time, last.seq) > key => {
                self.entries.partition_point(|x| (x.time, x.seq) < key)
            }
            _ => self.entries.len(),
        };
        self.entries.insert(at, e);
        if at < self.in_heap || self.in_heap == 0 {
            self.in_heap += 1;
            true
        } else {
            false
        }
    }

    /// Its earliest entry left the heap; returns the entry that must go in now, if any.
    fn popped(&mut self) -> Option<Entry> {
        self.entries.pop_front();
        self.in_heap -= 1;
        if self.in_heap == 0 {
            let next = *self.entries.front()?;
            self.in_heap = 1;
            Some(next)
        } else {
            None
        }
    }
}

/// Sequence numbers of ordinary entries start here; those below are for
/// [`Agenda::push_next`].
const ORDINARY: u64 = 1 << 63;

/// Priority queue of pending actions.
#[derive(Clone, Debug)]
pub struct Agenda {
    heap: QuaternaryHeap<Entry>,
    lanes: Vec<Lane>,
    next_seq: u64,
    next_urgent: u64,
}

impl Default for Agenda {
    fn default() -> Self {
        Agenda {
            heap: QuaternaryHeap::new(),
            lanes: Vec::new(),
            next_seq: ORDINARY,
            next_urgent: 0,
        }
    }
}

impl Agenda {
    /// Schedules `action` at `time`.
    #[inline]
    pub fn push(&mut self, time: SimTime, action: Action) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.enter(Entry { time, seq, action });
    }

    /// Puts `e` in the heap, or in its lane (and in the heap when it is among the
    /// lane's earliest).
    #[inline]
    fn enter(&mut self, e: Entry) {
        match e.action.lane() {
            None => self.heap.push(e),
            Some(l) => self.enter_lane(l, e),
        }
    }

    #[inline(never)]
    fn enter_lane(&mut self, l: usize, e: Entry) {
        if self.lanes.len() <= l {
            self.lanes.resize_with(l + 1, Lane::default);
        }
        if self.lanes[l].add(e) {
            self.heap.push(e);
        }
    }

    /// Schedules `action` at `time` ahead of every ordinary action at that time: the
    /// continuation of an action that was cut in slices runs before anything the
    /// slices scheduled.
    pub fn push_next(&mut self, time: SimTime, action: Action) {
        let seq = self.next_urgent;
        self.next_urgent += 1;
        self.enter(Entry { time, seq, action });
    }

    /// Time of the earliest pending action.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| e.time)
    }

    /// Removes and returns the earliest pending action.
    pub fn pop(&mut self) -> Option<(SimTime, Action)> {
        let e = self.heap.pop()?;
        if let Some(l) = e.action.lane() {
            if let Some(next) = self.lanes[l].popped() {
                self.heap.push(next);
            }
        }
        Some((e.time, e.action))
    }

    /// Every pending action, in no particular order.
    pub fn actions(&self) -> impl Iterator<Item = Action> + '_ {
        let waiting = self
            .lanes
            .iter()
            .flat_map(|l| l.entries.iter().skip(l.in_heap));
        self.heap.iter().chain(waiting).map(|e| e.action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_then_insertion_order() {
        let mut a = Agenda::default();
        a.push(SimTime(5), Action::ProducerTick { producer: 0 });
        a.push(SimTime(1), Action::ProducerTick { producer: 1 });
        a.push(SimTime(5), Action::ProducerTick { producer: 2 });
        a.push(SimTime(1), Action::ProducerTick { producer: 3 });
        let order: Vec<u32> = std::iter::from_fn(|| a.pop())
            .map(|(_, act)| match act {
                Action::ProducerTick { producer } => producer,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(order, vec![1, 3, 0, 2]);
    }

    #[test]
    fn push_next_runs_before_ordinary_actions_at_the_same_time() {
        let mut a = Agenda::default();
        a.push(SimTime(5), Action::ProducerTick { producer: 0 });
        a.push_next(SimTime(5), Action::ProducerTick { producer: 1 });
        a.push_next(SimTime(5), Action::ProducerTick { producer: 2 });
        a.push(SimTime(4), Action::ProducerTick { producer: 3 });
        let order: Vec<u32> = std::iter::from_fn(|| a.pop())
            .map(|(_, act)| match act {
                Action::ProducerTick { producer } => producer,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(order, vec![3, 1, 2, 0]);
    }

    /// Lanes change nothing about the order: random pushes (SQS timers in and out of
    /// time order, on a few queues, among other actions) interleaved with pops come
    /// out exactly as from one sorted list, and `actions` lists every pending one.
    #[test]
    fn lanes_keep_the_order_of_one_heap() {
        let mut rng = crate::core::kernel::rng::SimRng::new(11);
        for _ in 0..50 {
            let mut a = Agenda::default();
            let mut reference: Vec<(SimTime, u64, Action)> = Vec::new();
            let mut seq = 0u64;
            let mut now = 0u64;
            for _ in 0..2_000 {
                if rng.unit() < 0.55 {
                    let time = SimTime(now + rng.below(50));
                    let action = if rng.unit() < 0.7 {
                        Action::SqsTimer {
                            queue: rng.below(3) as u32,
                            idx: seq as u32,
                            token: 0,
                            seq,
                        }
                    } else {
                        Action::ProducerTick {
                            producer: seq as u32,
                        }
                    };
                    a.push(time, action);
                    reference.push((time, seq, action));
                    seq += 1;
                } else if let Some((time, action)) = a.pop() {
                    let i = (0..reference.len())
                        .min_by_key(|&i| (reference[i].0, reference[i].1))
                        .expect("the reference has it too");
                    assert_eq!((time, action), (reference[i].0, reference[i].2));
                    reference.remove(i);
                    now = time.0;
                }
                assert_eq!(a.actions().count(), reference.len());
                assert_eq!(
                    a.peek_time(),
                    reference.iter().map(|r| r.0).min(),
                    "the earliest is always in the heap"
                );
            }
        }
    }
}
