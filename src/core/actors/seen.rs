//! The bounded memory of message ids a worker processed: what makes an idempotent
//! consumer skip a duplicate (inside its window), and what `unique_processed` counts.

use rustc_hash::FxHashSet;
use std::collections::VecDeque;
use std::rc::Rc;

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
    #[inline]
    pub fn insert(&mut self, id: Rc<str>) -> bool {
        // Look up first: a duplicate (the common case of a constant message id) then
        // costs one hash and no reference-count traffic.
        if self.set.contains(&id) {
            return false;
        }
        self.set.insert(id.clone());
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
