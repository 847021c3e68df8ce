//! Kafka's default partitioner (`org.apache.kafka.clients.producer.internals.
//! BuiltInPartitioner` and `org.apache.kafka.common.utils.Utils`):
//!
//! - an explicit partition wins;
//! - a keyed record goes to `toPositive(murmur2(utf8(key))) % partitions`, where
//!   `toPositive(x) = x & 0x7fffffff` (not `abs`) and murmur2 is `Utils.murmur2` with
//!   seed `0x9747b28c`;
//! - a record without a key is *sticky* (KIP-480, KIP-794): it goes to the producer's
//!   current partition for that topic, which changes once `batch.size` bytes
//!   ([`STICKY_BATCH_BYTES`], Kafka's default 16,384) were sent to it; the next one is
//!   drawn from the simulation's seeded RNG.

/// `batch.size`'s default: the bytes a sticky partition takes before the producer
/// switches to another.
pub const STICKY_BATCH_BYTES: u64 = 16_384;

/// Kafka's `Utils.murmur2`: 32-bit MurmurHash2 with seed `0x9747b28c`, as a Java
/// `int`.
pub fn murmur2(data: &[u8]) -> i32 {
    let length = data.len();
    let seed: u32 = 0x9747_b28c;
    let m: u32 = 0x5bd1_e995;
    let r = 24;
    let mut h: u32 = seed ^ (length as u32);
    let length4 = length / 4;
    for i in 0..length4 {
        let i4 = i * 4;
        let mut k = u32::from_le_bytes([data[i4], data[i4 + 1], data[i4 + 2], data[i4 + 3]]);
        k = k.wrapping_mul(m);
        k ^= k >> r;
        k = k.wrapping_mul(m);
        h = h.wrapping_mul(m);
        h ^= k;
    }
    let tail = length & !3;
    let rest = length % 4;
    if rest == 3 {
        h ^= (data[tail + 2] as u32) << 16;
    }
    if rest >= 2 {
        h ^= (data[tail + 1] as u32) << 8;
    }
    if rest >= 1 {
        h ^= data[tail] as u32;
        h = h.wrapping_mul(m);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(m);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit (so `i32::MIN` maps to 0, unlike
/// `abs`).
pub fn to_positive(x: i32) -> u32 {
    (x & 0x7fff_ffff) as u32
}

/// The partition of a keyed record among `partitions` (Kafka's
/// `BuiltInPartitioner.partitionForKey`).
pub fn partition_for_key(key: &str, partitions: u32) -> u32 {
    to_positive(murmur2(key.as_bytes())) % partitions.max(1)
}

/// A producer's sticky choice for records without a key, per topic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sticky {
    /// The current partition, once chosen.
    pub partition: Option<u32>,
    /// Bytes sent to it since it was chosen.
    pub bytes: u64,
}

impl Sticky {
    /// The partition for a record of `size` bytes without a key; `draw` picks a fresh
    /// partition (uniformly, from the seeded RNG) when none is current or the current
    /// one has taken a batch.
    pub fn next(&mut self, size: u64, draw: impl FnOnce() -> u32) -> u32 {
        let p = match self.partition {
            Some(p) if self.bytes < STICKY_BATCH_BYTES => p,
            _ => {
                self.bytes = 0;
                let p = draw();
                self.partition = Some(p);
                p
            }
        };
        self.bytes += size.max(1);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kafka's own vectors (`UtilsTest.testMurmur2`).
    #[test]
    fn murmur2_matches_kafka() {
        for (input, want) in [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            (
                "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58_897_971,
            ),
            ("abc", 479_470_107),
        ] {
            assert_eq!(murmur2(input.as_bytes()), want, "{input}");
        }
    }

    #[test]
    fn to_positive_is_not_abs() {
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(-1), 0x7fff_ffff);
        assert_eq!(to_positive(-790_332_482), 1_357_151_166);
        assert_eq!(partition_for_key("foobar", 10), 6);
    }

    #[test]
    fn sticky_switches_after_a_batch() {
        let mut s = Sticky::default();
        let mut draws = [2u32, 0].into_iter();
        let mut picks = Vec::new();
        for _ in 0..3 {
            picks.push(s.next(8_192, || draws.next().unwrap()));
        }
        assert_eq!(picks, [2, 2, 0]);
    }
}
