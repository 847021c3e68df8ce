//! Measurements: a compact latency histogram (log-linear buckets, about 3% relative
//! error) and the simulation-wide totals by message state.

use serde::Serialize;
use std::collections::BTreeMap;

const SUB_BUCKETS: u64 = 32;

/// Histogram of durations in microseconds.
#[derive(Clone, Debug, Default)]
pub struct LatencyHistogram {
    buckets: Vec<u64>,
    count: u64,
    max_us: u64,
    sum_us: u128,
}

fn bucket_of(us: u64) -> u32 {
    if us < SUB_BUCKETS {
        return us as u32;
    }
    let magnitude = 63 - us.leading_zeros() as u64; // floor(log2)
    let shift = magnitude - 5; // keep 5 significant bits below the leading one
    let sub = (us >> shift) - SUB_BUCKETS;
    ((magnitude - 4) * SUB_BUCKETS + sub) as u32
}

fn bucket_upper(bucket: u32) -> u64 {
    let b = bucket as u64;
    if b < SUB_BUCKETS {
        return b;
    }
    let magnitude = b / SUB_BUCKETS + 4;
    let sub = b % SUB_BUCKETS;
    let shift = magnitude - 5;
    ((SUB_BUCKETS + sub + 1) << shift) - 1
}

impl LatencyHistogram {
    /// Records one duration.
    pub fn record(&mut self, us: u64) {
        let b = bucket_of(us) as usize;
        if b >= self.buckets.len() {
            self.buckets.resize(b + 1, 0);
        }
        self.buckets[b] += 1;
        self.count += 1;
        self.max_us = self.max_us.max(us);
        self.sum_us += us as u128;
    }

    /// Number of recorded durations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The `q` quantile (0..=1) in µs, 0 when empty. Reported as its bucket's upper bound,
    /// capped at the true maximum.
    pub fn quantile_us(&self, q: f64) -> u64 {
        if self.count == 0 {
            return 0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (b, &n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return bucket_upper(b as u32).min(self.max_us);
            }
        }
        self.max_us
    }

    /// Adds every duration of `other`.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        if other.buckets.len() > self.buckets.len() {
            self.buckets.resize(other.buckets.len(), 0);
        }
        for (b, n) in other.buckets.iter().enumerate() {
            self.buckets[b] += n;
        }
        self.count += other.count;
        self.max_us = self.max_us.max(other.max_us);
        self.sum_us += other.sum_us;
    }

    /// Summary in milliseconds.
    pub fn summary(&self) -> LatencySummary {
        let ms = |us: u64| us as f64 / 1000.0;
        LatencySummary {
            count: self.count,
            mean_ms: if self.count == 0 {
                0.0
            } else {
                (self.sum_us / self.count as u128) as f64 / 1000.0
            },
            p50_ms: ms(self.quantile_us(0.50)),
            p90_ms: ms(self.quantile_us(0.90)),
            p99_ms: ms(self.quantile_us(0.99)),
            max_ms: ms(self.max_us),
        }
    }
}

/// Latency percentiles in milliseconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LatencySummary {
    /// Samples.
    pub count: u64,
    /// Mean (rounded down to a microsecond).
    pub mean_ms: f64,
    /// Median.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Maximum.
    pub max_ms: f64,
}

/// Simulation-wide counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Messages published (by producers, replies and forwards).
    pub published: u64,
    /// Copies ever created (one per publish, plus one per extra queue reached).
    pub copies: u64,
    /// Copies travelling on an edge now.
    pub in_flight: u64,
    /// Copies ready in queues now.
    pub ready: u64,
    /// Copies delivered and not yet acked now.
    pub unacked: u64,
    /// Auto-acked copies consumers are still handling now.
    pub processing: u64,
    /// Copies acknowledged.
    pub acked: u64,
    /// Copies dropped, for any reason.
    pub dropped: u64,
    /// Dropped copies by reason.
    pub dropped_by_reason: BTreeMap<String, u64>,
    /// Dead-letterings (a copy can be dead-lettered more than once).
    pub dead_lettered: u64,
    /// Expirations.
    pub expired: u64,
    /// Deliveries with redelivered = true.
    pub redelivered: u64,
    /// Edge traversals: publish, each edge from the entry exchange to a queue (two or
    /// more through exchange-to-exchange bindings), deliver, dead-letter.
    pub hops: u64,
    /// Copies that became records of a Kafka partition (they leave the parcel count:
    /// the log keeps the record, with its own ledger).
    #[serde(skip_serializing_if = "is_zero")]
    pub stored: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_monotonic_and_tight() {
        let mut last = 0;
        for us in [0u64, 1, 31, 32, 33, 63, 64, 100, 1000, 12345, 1 << 40] {
            let b = bucket_of(us);
            assert!(b >= last);
            last = b;
            let upper = bucket_upper(b);
            assert!(upper >= us, "{us} above its bucket bound {upper}");
            assert!(
                upper as f64 <= us as f64 * 1.07 + 1.0,
                "{us}: bound {upper} too loose"
            );
        }
    }

    #[test]
    fn quantiles() {
        let mut h = LatencyHistogram::default();
        for us in 1..=1000 {
            h.record(us * 1000);
        }
        let p50 = h.quantile_us(0.5) as f64;
        assert!((p50 - 500_000.0).abs() / 500_000.0 < 0.04, "p50 {p50}");
        assert_eq!(h.quantile_us(1.0), 1_000_000);
        assert_eq!(LatencyHistogram::default().quantile_us(0.5), 0);
    }
}
