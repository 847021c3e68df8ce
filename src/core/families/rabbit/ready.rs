//! A queue's ready list: one FIFO per priority level (rabbitmq.com/docs/priority: higher
//! priority first), ordered by enqueue sequence so a requeued message goes back to its
//! original position (rabbitmq.com/docs/confirms, "Requeueing").

use std::collections::VecDeque;

/// Ready messages of one queue, as (sequence, slot) pairs.
#[derive(Clone, Debug)]
pub struct ReadyList {
    levels: Vec<VecDeque<(u64, u32)>>,
    len: usize,
}

impl ReadyList {
    /// A list with `levels` priority levels (1 for a queue without priorities).
    pub fn new(levels: usize) -> ReadyList {
        ReadyList {
            levels: vec![VecDeque::new(); levels.max(1)],
            len: 0,
        }
    }

    /// Ready messages per priority level, lowest level first (one entry for a queue
    /// without priorities).
    pub fn level_counts(&self) -> Vec<u64> {
        self.levels.iter().map(|l| l.len() as u64).collect()
    }

    /// Number of ready messages.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends a new message at the tail of its level.
    pub fn push_back(&mut self, level: u8, seq: u64, slot: u32) {
        self.levels[level as usize].push_back((seq, slot));
        self.len += 1;
    }

    /// Puts a returned message back at its original position within its level.
    pub fn reinsert(&mut self, level: u8, seq: u64, slot: u32) {
        let q = &mut self.levels[level as usize];
        let at = q.partition_point(|&(s, _)| s < seq);
        q.insert(at, (seq, slot));
        self.len += 1;
    }

    /// The next message to deliver: head of the highest non-empty level.
    pub fn front(&self) -> Option<u32> {
        self.levels
            .iter()
            .rev()
            .find_map(|q| q.front().map(|&(_, s)| s))
    }

    /// Removes the next message to deliver.
    pub fn pop_front(&mut self) -> Option<u32> {
        let q = self.levels.iter_mut().rev().find(|q| !q.is_empty())?;
        let (_, slot) = q.pop_front()?;
        self.len -= 1;
        Some(slot)
    }

    /// Head of `level`.
    pub fn front_of(&self, level: u8) -> Option<u32> {
        self.levels[level as usize].front().map(|&(_, s)| s)
    }

    /// Removes the head of `level`.
    pub fn pop_level(&mut self, level: u8) -> Option<u32> {
        let (_, slot) = self.levels[level as usize].pop_front()?;
        self.len -= 1;
        Some(slot)
    }

    /// Every ready slot, in delivery order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.levels
            .iter()
            .rev()
            .flat_map(|q| q.iter().map(|&(_, s)| s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_then_fifo_and_requeue_in_place() {
        let mut r = ReadyList::new(3);
        r.push_back(0, 1, 10);
        r.push_back(2, 2, 20);
        r.push_back(0, 3, 30);
        r.push_back(2, 4, 40);
        assert_eq!(r.pop_front(), Some(20));
        assert_eq!(r.pop_front(), Some(40));
        assert_eq!(r.pop_front(), Some(10));
        r.reinsert(0, 1, 10);
        assert_eq!(r.iter().collect::<Vec<_>>(), vec![10, 30]);
        assert_eq!(r.len(), 2);
    }
}
