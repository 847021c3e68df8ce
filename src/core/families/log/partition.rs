//! One Kafka partition: an append-only log of records with offsets, cut into segments
//! (kafka.apache.org/documentation, "Log" and the topic configs):
//!
//! - a record is appended at `log_end` and keeps its offset for life;
//! - the active (last) segment is closed when a record would take it past
//!   `segment.bytes`, or on the first append once it is `segment.ms` old;
//! - retention deletes whole closed segments, oldest first: those whose newest record
//!   is older than `retention.ms`, and while the partition is larger than
//!   `retention.bytes` by at least the segment's size; the active segment is never
//!   deleted; `log_start` moves to the first offset kept;
//! - compaction (`cleanup.policy=compact`) works on the cleanable part of the log: the
//!   closed segments before the first one that holds a record younger than
//!   `min.compaction.lag.ms` (LogCleanerManager.cleanableOffsets). There a record whose
//!   key has a later record in that part is removed; a tombstone (null value) is
//!   stamped with a delete horizon of `delete.retention.ms` after the first cleaning
//!   that sees it, and removed once the horizon has passed (LogCleaner,
//!   MemoryRecords `deleteHorizonMs`); offsets never change, so the log has gaps.
//!
//! Its ledger: `appended = retained + deleted by retention + removed by compaction`.

use crate::core::kernel::time::{ms_to_us, SimTime};
use crate::core::model::message::MessageBody;
use crate::core::scenario::{CleanupPolicy, KafkaTopicSpec};
use std::collections::VecDeque;
use std::rc::Rc;

/// One record in a partition.
#[derive(Clone, Debug)]
pub struct Record {
    /// Its offset.
    pub offset: u64,
    /// Key (none: a null key).
    pub key: Option<Rc<str>>,
    /// Value (none: a tombstone).
    pub value: Option<Rc<str>>,
    /// The message it carries (shared with every copy fetched from it).
    pub body: Rc<MessageBody>,
    /// When it was appended.
    pub timestamp: SimTime,
    /// Key + value bytes.
    pub size: u64,
}

/// A segment: the records from `base` up to the next segment's base.
#[derive(Clone, Copy, Debug)]
struct Segment {
    base: u64,
    bytes: u64,
    created: SimTime,
    newest: SimTime,
}

/// A partition's log and ledger.
#[derive(Clone, Debug, Default)]
pub struct Partition {
    records: VecDeque<Record>,
    segments: VecDeque<Segment>,
    /// Tombstones' delete horizons by offset, set by the first cleaning that saw them
    /// (few records are tombstones: they are kept here, not in every record).
    horizons: std::collections::BTreeMap<u64, SimTime>,
    /// First offset still held (or `log_end` when empty).
    pub log_start: u64,
    /// Next offset to be written.
    pub log_end: u64,
    /// Records ever appended.
    pub appended: u64,
    /// Records deleted with their segment by retention.
    pub deleted: u64,
    /// Records removed by compaction.
    pub compacted: u64,
    /// Bytes held.
    pub bytes: u64,
}

impl Partition {
    /// Appends a record now; returns its offset.
    pub fn append(
        &mut self,
        spec: &KafkaTopicSpec,
        now: SimTime,
        key: Option<Rc<str>>,
        value: Option<Rc<str>>,
        body: Rc<MessageBody>,
    ) -> u64 {
        let size = key.as_ref().map_or(0, |k| k.len() as u64)
            + value.as_ref().map_or(0, |v| v.len() as u64);
        let roll = match self.segments.back() {
            None => true,
            Some(s) => {
                (s.bytes > 0 && s.bytes + size > spec.segment_bytes)
                    || now.0.saturating_sub(s.created.0) >= ms_to_us(spec.segment_ms)
            }
        };
        if roll {
            self.roll(now);
        }
        let offset = self.log_end;
        let seg = self
            .segments
            .back_mut()
            .expect("a segment was just ensured");
        seg.bytes += size;
        seg.newest = now;
        self.records.push_back(Record {
            offset,
            key,
            value,
            body,
            timestamp: now,
            size,
        });
        self.log_end += 1;
        self.appended += 1;
        self.bytes += size;
        offset
    }

    /// Records held now.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Segments now (the last one is active).
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// The records held, in offset order.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.records.iter()
    }

    /// Up to `max` records from offset `from` on (the first one held at or after it).
    pub fn read(&self, from: u64, max: usize) -> impl Iterator<Item = &Record> {
        // Offsets are consecutive unless compaction took some out: the record at `from`
        // is then `from - first offset` along, found without a search (a consumer reads
        // at the log's end, where a search would walk cold memory every fetch).
        let direct = self.records.front().and_then(|first| {
            let i = usize::try_from(from.checked_sub(first.offset)?).ok()?;
            self.records
                .get(i)
                .is_some_and(|r| r.offset == from)
                .then_some(i)
        });
        // A fetch at the log's end (the usual one: nothing new) finds nothing at once.
        let past_end = self.records.back().is_none_or(|last| from > last.offset);
        let start = match direct {
            Some(i) => i,
            None if past_end => self.records.len(),
            None => self.records.partition_point(|r| r.offset < from),
        };
        self.records.range(start..).take(max)
    }

    /// Applies retention and compaction as of `now`; returns how many records went.
    pub fn maintain(&mut self, spec: &KafkaTopicSpec, now: SimTime) -> u64 {
        let before = self.records.len() as u64;
        if spec.cleanup_policy == CleanupPolicy::Delete {
            self.retain(spec, now);
        } else {
            self.compact(spec, now);
        }
        before - self.records.len() as u64
    }

    /// Starts a new, empty active segment at the log end.
    fn roll(&mut self, now: SimTime) {
        self.segments.push_back(Segment {
            base: self.log_end,
            bytes: 0,
            created: now,
            newest: now,
        });
    }

    /// Deletes whole segments by time and by size, oldest first. The active segment
    /// goes too once it breaches the policy and holds records: Kafka rolls a new one
    /// first, "we must always have at least one segment" (`UnifiedLog.deleteSegments`);
    /// only a last segment that is empty is kept (`deletableSegments`,
    /// `isLastSegmentAndEmpty`).
    fn retain(&mut self, spec: &KafkaTopicSpec, now: SimTime) {
        while let Some(&seg) = self.segments.front() {
            let last = self.segments.len() == 1;
            if last && self.log_end == seg.base {
                break;
            }
            let too_old = spec
                .retention_ms
                .is_some_and(|ms| now.0.saturating_sub(seg.newest.0) > ms_to_us(ms));
            let too_big = spec.retention_bytes.is_some_and(|limit| {
                self.bytes.saturating_sub(limit) >= seg.bytes && seg.bytes > 0
            });
            if !(too_old || too_big) {
                break;
            }
            if last {
                self.roll(now);
            }
            let next_base = self.segments[1].base;
            while self.records.front().is_some_and(|r| r.offset < next_base) {
                let r = self.records.pop_front().expect("checked");
                self.bytes -= r.size;
                self.deleted += 1;
            }
            self.segments.pop_front();
            self.log_start = next_base;
        }
    }

    /// Keeps the latest record of each key in the cleanable part of the log.
    fn compact(&mut self, spec: &KafkaTopicSpec, now: SimTime) {
        if self.segments.len() < 2 {
            return;
        }
        // The cleanable part ends at the first segment with a record younger than
        // min.compaction.lag.ms, and never takes in the active segment.
        let lag = ms_to_us(spec.min_compaction_lag_ms);
        let active = self.segments.len() - 1;
        let end = self
            .segments
            .iter()
            .take(active)
            .position(|s| now.0.saturating_sub(s.newest.0) < lag)
            .unwrap_or(active);
        let cleanable_end = self.segments[end].base;
        let horizon = now.plus(ms_to_us(spec.delete_retention_ms));
        // The latest offset of each key in the cleanable part (a BTreeMap keeps the
        // engine free of hash-map iteration).
        let mut latest: std::collections::BTreeMap<Rc<str>, u64> = Default::default();
        for r in self.records.iter().take_while(|r| r.offset < cleanable_end) {
            if let Some(k) = &r.key {
                latest.insert(k.clone(), r.offset);
            }
        }
        let mut kept = VecDeque::with_capacity(self.records.len());
        for r in self.records.drain(..) {
            let cleanable = r.offset < cleanable_end;
            let superseded = r
                .key
                .as_ref()
                .is_some_and(|k| latest.get(k).is_some_and(|&o| o > r.offset));
            let expired_tombstone = cleanable
                && r.value.is_none()
                && now >= *self.horizons.entry(r.offset).or_insert(horizon);
            if cleanable && (superseded || expired_tombstone) {
                if r.value.is_none() {
                    self.horizons.remove(&r.offset);
                }
                self.bytes -= r.size;
                self.compacted += 1;
                if let Some(seg) = self.segments.iter_mut().rev().find(|s| s.base <= r.offset) {
                    seg.bytes = seg.bytes.saturating_sub(r.size);
                }
            } else {
                kept.push_back(r);
            }
        }
        // Offsets never change and the log start stays: a reader at a removed offset
        // goes on at the next record held.
        self.records = kept;
    }

    /// Whether the ledger adds up: appended = held + deleted + compacted, offsets
    /// ascending within `[log_start, log_end)`, bytes recounted.
    pub fn ledger_problem(&self) -> Option<String> {
        let held = self.records.len() as u64;
        if self.appended != held + self.deleted + self.compacted {
            return Some(format!(
                "appended {} but {held} held + {} deleted + {} compacted",
                self.appended, self.deleted, self.compacted
            ));
        }
        let bytes: u64 = self.records.iter().map(|r| r.size).sum();
        if bytes != self.bytes {
            return Some(format!("{} bytes counted but {bytes} held", self.bytes));
        }
        let mut last = None;
        for r in &self.records {
            if r.offset < self.log_start
                || r.offset >= self.log_end
                || last.is_some_and(|l| r.offset <= l)
            {
                return Some(format!(
                    "offset {} out of order or outside [{}, {})",
                    r.offset, self.log_start, self.log_end
                ));
            }
            last = Some(r.offset);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::ids::MessageId;

    /// A partition of `n` records keyed a, b, c in turn, in small segments.
    fn filled(spec: &KafkaTopicSpec, n: u64) -> Partition {
        let mut p = Partition::default();
        for i in 0..n {
            let key: Rc<str> = Rc::from(["a", "b", "c"][i as usize % 3]);
            let value: Rc<str> = Rc::from(format!("v{i}"));
            let body = crate::core::simulation::aws_outgoing(
                format!("v{i}"),
                Default::default(),
                None,
                None,
                None,
            )
            .into_body(MessageId(i), None, SimTime::ZERO);
            p.append(
                spec,
                SimTime(i * 1000),
                Some(key),
                Some(value),
                Rc::new(body),
            );
        }
        p
    }

    /// Reading from any offset gives the records at and after it, with or without
    /// the gaps compaction leaves (the direct index and the search agree).
    #[test]
    fn read_finds_the_first_record_at_or_after_an_offset() {
        for policy in [CleanupPolicy::Delete, CleanupPolicy::Compact] {
            let spec = KafkaTopicSpec {
                segment_bytes: 12,
                cleanup_policy: policy,
                min_compaction_lag_ms: 0.0,
                ..KafkaTopicSpec::default()
            };
            let mut p = filled(&spec, 40);
            p.maintain(&spec, SimTime(100_000_000));
            if policy == CleanupPolicy::Compact {
                assert!(p.compacted > 0, "compaction left gaps");
            }
            for from in 0..=p.log_end + 2 {
                let got: Vec<u64> = p.read(from, 3).map(|r| r.offset).collect();
                let expected: Vec<u64> = p
                    .records
                    .iter()
                    .filter(|r| r.offset >= from)
                    .take(3)
                    .map(|r| r.offset)
                    .collect();
                assert_eq!(got, expected, "{policy:?} from {from}");
            }
        }
    }
}
