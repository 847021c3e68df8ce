//! What a worker holds in its hands: the deliveries it is working on (or holding while
//! it waits for a call it made). A consumer has one hand, a service several; the first
//! hand is kept apart so a one-handed worker — by far the most common — pays for no
//! vector on its hot path.

/// The deliveries a worker is working on, in no particular order.
#[derive(Clone, Debug, Default)]
pub struct Hands {
    first: Option<u32>,
    rest: Vec<u32>,
}

impl Hands {
    /// How many it holds.
    #[inline]
    pub fn len(&self) -> usize {
        self.first.is_some() as usize + self.rest.len()
    }

    /// Whether it holds nothing.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.first.is_none() && self.rest.is_empty()
    }

    /// Takes `slot` in a free hand.
    #[inline]
    pub fn push(&mut self, slot: u32) {
        if self.first.is_none() {
            self.first = Some(slot);
        } else {
            self.rest.push(slot);
        }
    }

    /// Whether it holds `slot`.
    pub fn contains(&self, slot: u32) -> bool {
        self.first == Some(slot) || self.rest.contains(&slot)
    }

    /// Lets go of `slot`; false when it did not hold it.
    #[inline]
    pub fn remove(&mut self, slot: u32) -> bool {
        if self.first == Some(slot) {
            self.first = self.rest.pop();
            return true;
        }
        match self.rest.iter().position(|s| *s == slot) {
            Some(i) => {
                self.rest.swap_remove(i);
                true
            }
            None => false,
        }
    }

    /// Lets go of everything.
    pub fn clear(&mut self) {
        self.first = None;
        self.rest.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_and_lets_go_in_any_order() {
        let mut h = Hands::default();
        assert!(h.is_empty());
        h.push(3);
        h.push(5);
        h.push(7);
        assert_eq!(h.len(), 3);
        assert!(h.contains(5) && !h.contains(4));
        assert!(h.remove(3));
        assert!(!h.remove(3));
        assert_eq!(h.len(), 2);
        assert!(h.contains(5) && h.contains(7));
        assert!(h.remove(7) && h.remove(5));
        assert!(h.is_empty());
        h.push(9);
        h.clear();
        assert!(h.is_empty());
    }
}
