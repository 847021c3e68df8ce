//! Kafka's settings: a topic (`kafka_topic` section: partitions, retention, segments,
//! cleanup policy) and a consumer's subscription (`consume` edge section: group,
//! assignor, commits, offset reset, poll limits, timeouts); and their checks. Names and
//! defaults are Kafka's own (kafka.apache.org/documentation, topic and consumer
//! configs), in milliseconds and bytes.

use super::{is_default, non_negative, Problems};
use serde::{Deserialize, Serialize};

/// `cleanup.policy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CleanupPolicy {
    /// Delete whole old segments by time and size.
    #[default]
    Delete,
    /// Keep the latest record of each key.
    Compact,
}

fn default_partitions() -> u32 {
    1
}
fn week_ms() -> f64 {
    604_800_000.0
}
fn default_segment_bytes() -> u64 {
    1_073_741_824
}
fn day_ms() -> f64 {
    86_400_000.0
}

/// A Kafka topic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaTopicSpec {
    /// Number of partitions (1–64 here).
    #[serde(default = "default_partitions")]
    pub partitions: u32,
    /// `retention.ms`: segments whose newest record is older are deleted (none =
    /// forever, Kafka's -1).
    #[serde(default = "retention_default", skip_serializing_if = "is_week")]
    pub retention_ms: Option<f64>,
    /// `retention.bytes`: oldest segments are deleted while the partition is larger
    /// (none = no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_bytes: Option<u64>,
    /// `segment.bytes`: a segment is closed once it would grow past this.
    #[serde(default = "default_segment_bytes", skip_serializing_if = "is_gib")]
    pub segment_bytes: u64,
    /// `segment.ms`: a segment is closed on the first append after it is this old.
    #[serde(default = "week_ms", skip_serializing_if = "is_week_f")]
    pub segment_ms: f64,
    /// `cleanup.policy`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub cleanup_policy: CleanupPolicy,
    /// `min.compaction.lag.ms`: a record is not compacted away before this age.
    #[serde(default, skip_serializing_if = "is_default")]
    pub min_compaction_lag_ms: f64,
    /// `delete.retention.ms`: how long a tombstone (null value) survives compaction.
    #[serde(default = "day_ms", skip_serializing_if = "is_day")]
    pub delete_retention_ms: f64,
}

fn retention_default() -> Option<f64> {
    Some(week_ms())
}
fn is_week(v: &Option<f64>) -> bool {
    *v == Some(week_ms())
}
fn is_week_f(v: &f64) -> bool {
    *v == week_ms()
}
fn is_gib(v: &u64) -> bool {
    *v == default_segment_bytes()
}
fn is_day(v: &f64) -> bool {
    *v == day_ms()
}

impl Default for KafkaTopicSpec {
    fn default() -> Self {
        KafkaTopicSpec {
            partitions: default_partitions(),
            retention_ms: retention_default(),
            retention_bytes: None,
            segment_bytes: default_segment_bytes(),
            segment_ms: week_ms(),
            cleanup_policy: CleanupPolicy::Delete,
            min_compaction_lag_ms: 0.0,
            delete_retention_ms: day_ms(),
        }
    }
}

/// Most partitions a topic may have here.
pub const MAX_PARTITIONS: u32 = 64;

impl KafkaTopicSpec {
    /// Reports each out-of-range setting, by field.
    pub fn check(&self, out: &mut Problems) {
        if self.partitions == 0 || self.partitions > MAX_PARTITIONS {
            out.push(
                "kafka_topic.partitions",
                format!("must be between 1 and {MAX_PARTITIONS}"),
            );
        }
        if let Some(ms) = self.retention_ms {
            if !non_negative(ms) {
                out.push(
                    "kafka_topic.retention_ms",
                    "must be a number ≥ 0 (or null for forever)",
                );
            }
        }
        if self.segment_bytes == 0 {
            out.push("kafka_topic.segment_bytes", "must be at least 1");
        }
        if !(self.segment_ms.is_finite() && self.segment_ms > 0.0) {
            out.push("kafka_topic.segment_ms", "must be a number > 0");
        }
        for (field, v) in [
            ("min_compaction_lag_ms", self.min_compaction_lag_ms),
            ("delete_retention_ms", self.delete_retention_ms),
        ] {
            if !non_negative(v) {
                out.push(format!("kafka_topic.{field}"), "must be a number ≥ 0");
            }
        }
    }
}

/// `partition.assignment.strategy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Assignor {
    /// `RangeAssignor`: consecutive ranges, the first members one more.
    #[default]
    #[serde(rename = "range")]
    Range,
    /// `RoundRobinAssignor`: partitions dealt in turn.
    #[serde(rename = "roundrobin")]
    RoundRobin,
    /// `StickyAssignor`: balanced, keeping previous owners (eager protocol).
    #[serde(rename = "sticky")]
    Sticky,
    /// `CooperativeStickyAssignor`: sticky, and only moving partitions pause.
    #[serde(rename = "cooperative-sticky")]
    CooperativeSticky,
}

impl Assignor {
    /// The name in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Assignor::Range => "range",
            Assignor::RoundRobin => "roundrobin",
            Assignor::Sticky => "sticky",
            Assignor::CooperativeSticky => "cooperative-sticky",
        }
    }
}

/// When a consumer commits its offsets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommitMode {
    /// `enable.auto.commit`: every `auto_commit_interval_ms`, at a poll, the positions
    /// of what earlier polls returned.
    #[default]
    Auto,
    /// After processing each record (at-least-once).
    After,
    /// As soon as a poll returns, before processing (at-most-once).
    Before,
}

/// `auto.offset.reset`: where a group without a committed offset starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OffsetReset {
    /// At the log end: only what is produced from now on.
    #[default]
    Latest,
    /// At the log start: everything the topic still holds.
    Earliest,
}

/// Where a group's offsets are reset to (a replay, or skipping ahead).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum OffsetTarget {
    /// Every partition's log start: read everything held again.
    Earliest,
    /// Every partition's log end: skip what is there.
    Latest,
    /// This offset in every partition (clamped to the log).
    Offset(u64),
    /// The first record at or after this simulated time, per partition (Kafka's
    /// `offsetsForTimes`); the log end where there is none.
    TimeMs(f64),
}

fn default_group() -> String {
    "group".into()
}
fn default_auto_commit_ms() -> f64 {
    5_000.0
}
fn default_max_poll_records() -> u32 {
    500
}
fn default_session_ms() -> f64 {
    45_000.0
}
fn default_poll_interval_ms() -> f64 {
    300_000.0
}

/// A consumer's subscription to a topic (the `consume` edge section).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumeSpec {
    /// `group.id`.
    #[serde(default = "default_group")]
    pub group: String,
    /// `partition.assignment.strategy`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub assignor: Assignor,
    /// When offsets are committed.
    #[serde(default, skip_serializing_if = "is_default")]
    pub commit: CommitMode,
    /// `auto.commit.interval.ms`.
    #[serde(default = "default_auto_commit_ms")]
    pub auto_commit_interval_ms: f64,
    /// `auto.offset.reset`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub auto_offset_reset: OffsetReset,
    /// `max.poll.records`.
    #[serde(default = "default_max_poll_records")]
    pub max_poll_records: u32,
    /// `session.timeout.ms`: how long a crashed member keeps its partitions.
    #[serde(default = "default_session_ms")]
    pub session_timeout_ms: f64,
    /// `max.poll.interval.ms`: a member that takes longer between polls is evicted.
    #[serde(default = "default_poll_interval_ms")]
    pub max_poll_interval_ms: f64,
}

impl Default for ConsumeSpec {
    fn default() -> Self {
        ConsumeSpec {
            group: default_group(),
            assignor: Assignor::Range,
            commit: CommitMode::Auto,
            auto_commit_interval_ms: default_auto_commit_ms(),
            auto_offset_reset: OffsetReset::Latest,
            max_poll_records: default_max_poll_records(),
            session_timeout_ms: default_session_ms(),
            max_poll_interval_ms: default_poll_interval_ms(),
        }
    }
}

impl ConsumeSpec {
    /// Reports each out-of-range setting, by field (relative to the edge).
    pub fn check(&self, out: &mut Problems) {
        if self.group.trim().is_empty() {
            out.push("consume.group", "a consumer group needs a name");
        }
        if self.max_poll_records == 0 {
            out.push("consume.max_poll_records", "must be at least 1");
        }
        for (field, v) in [
            ("auto_commit_interval_ms", self.auto_commit_interval_ms),
            ("session_timeout_ms", self.session_timeout_ms),
            ("max_poll_interval_ms", self.max_poll_interval_ms),
        ] {
            if !(v.is_finite() && v > 0.0) {
                out.push(format!("consume.{field}"), "must be a number > 0");
            }
        }
    }
}
