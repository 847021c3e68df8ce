//! The arena of moving messages: live parcels (message copies) in numbered slots, so
//! actions and stores refer to a parcel by a `u32` and nothing is moved or allocated
//! per hop. A freed slot is reused last-in first-out.

/// Slots of live values.
#[derive(Clone, Debug)]
pub struct Arena<T> {
    slots: Vec<Option<T>>,
    free: Vec<u32>,
    /// Live values (kept so the status can ask every frame without a scan).
    live: u64,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena {
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
}

impl<T> Arena<T> {
    /// Stores `value`; returns its slot.
    pub fn insert(&mut self, value: T) -> u32 {
        self.live += 1;
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(value);
                slot
            }
            None => {
                self.slots.push(Some(value));
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// The live value in `slot`. Panics on a freed slot: that is an engine bug the
    /// conservation check would also report.
    pub fn get(&self, slot: u32) -> &T {
        self.slots[slot as usize]
            .as_ref()
            .expect("live parcel slot")
    }

    /// The live value in `slot`, mutably.
    pub fn get_mut(&mut self, slot: u32) -> &mut T {
        self.slots[slot as usize]
            .as_mut()
            .expect("live parcel slot")
    }

    /// The value in `slot` if it is live.
    pub fn try_get(&self, slot: u32) -> Option<&T> {
        self.slots.get(slot as usize).and_then(|s| s.as_ref())
    }

    /// Frees `slot` in place.
    pub fn remove(&mut self, slot: u32) {
        if self.slots[slot as usize].take().is_some() {
            self.live -= 1;
        }
        self.free.push(slot);
    }

    /// Number of slots ever used (live or free).
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Number of live values.
    pub fn live(&self) -> u64 {
        self.live
    }

    /// Slots of live values.
    pub fn live_slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_some())
            .map(|(i, _)| i as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_reused_last_in_first_out() {
        let mut a = Arena::default();
        let (x, y, z) = (a.insert('x'), a.insert('y'), a.insert('z'));
        assert_eq!((x, y, z), (0, 1, 2));
        a.remove(x);
        a.remove(z);
        assert_eq!(a.insert('w'), z);
        assert_eq!(a.insert('v'), x);
        assert_eq!(a.live(), 3);
        assert_eq!(*a.get(y), 'y');
        assert!(a.try_get(9).is_none());
    }

    #[test]
    fn the_live_count_follows_inserts_and_removals() {
        let mut a = Arena::default();
        let slots: Vec<u32> = (0..100).map(|i| a.insert(i)).collect();
        for s in slots.iter().step_by(3) {
            a.remove(*s);
        }
        let scanned = a.live_slots().count() as u64;
        assert_eq!((a.live(), scanned), (66, 66));
        a.insert(7);
        assert_eq!(a.live(), 67);
    }
}
