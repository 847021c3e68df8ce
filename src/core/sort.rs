//! Stable sorting through one compiled sort.
//!
//! The standard library's stable sort is compiled again for every element type and
//! comparison (about 5 KB of WebAssembly each). These helpers sort a list of positions
//! with one comparison through a `dyn` call, so the sort itself exists once, then move
//! the elements into that order by following its cycles. Same result as
//! `slice::sort_by` (equal elements keep their order); for the lists sorted outside the
//! per-step hot path (a few hundred elements at most).

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = order_by(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// Sorts `v` stably by the key `key` gives, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably in its natural order, like `slice::sort`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The positions `0..n` in the stable order `cmp` gives them.
fn order_by(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Puts the element at `order[k]` at position `k`, for every `k`, by swaps along the
/// permutation's cycles (each element moves once).
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        // The element at `cur` is always the one that started at `start`.
        let mut cur = start;
        loop {
            let next = order[cur];
            order[cur] = cur;
            if next == start || next == cur {
                break;
            }
            v.swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic scramble of `n` (key, original position) pairs with many ties.
    fn pairs(n: usize, seed: u64) -> Vec<(u32, usize)> {
        let mut x = seed;
        (0..n)
            .map(|i| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (((x >> 33) % 7) as u32, i)
            })
            .collect()
    }

    #[test]
    fn agrees_with_the_standard_stable_sort() {
        for n in [0, 1, 2, 3, 5, 17, 64, 257, 1000] {
            for seed in 0..5 {
                let mut ours = pairs(n, seed);
                let mut std = ours.clone();
                sort_by_key(&mut ours, |p| p.0);
                std.sort_by_key(|p| p.0);
                assert_eq!(ours, std, "n {n} seed {seed}");
                sort_by(&mut ours, |a, b| b.cmp(a));
                std.sort_by(|a, b| b.cmp(a));
                assert_eq!(ours, std);
            }
        }
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
    }

    #[test]
    fn moves_owned_values_without_cloning() {
        let mut v: Vec<String> = ["c", "a", "b"].iter().map(|s| s.to_string()).collect();
        sort(&mut v);
        assert_eq!(v, ["a", "b", "c"]);
    }
}
