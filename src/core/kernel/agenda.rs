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

pub use super::action::Action;
use crate::core::kernel::time::SimTime;
use dary_heap::QuaternaryHeap;
use std::cmp::Ordering;

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
        if at == self.entries.len() {
            // The usual case (timers of one length come in time order): no shifting.
            self.entries.push_back(e);
        } else {
            self.entries.insert(at, e);
        }
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
