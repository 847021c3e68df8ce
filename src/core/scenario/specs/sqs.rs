//! AWS's settings: an SQS queue (`sqs_queue` section: FIFO, visibility timeout, delay,
//! retention, long polling, content-based deduplication), an SNS topic (`sns_topic`
//! section), and the sections of their edges: `receive` (how a worker receives and
//! deletes), `redrive` (the dead-letter queue's `maxReceiveCount`) and `subscribe` (an
//! SNS subscription's filter policy and raw delivery); and their checks.
//!
//! Names, defaults and limits are AWS's own (docs.aws.amazon.com/AWSSimpleQueueService:
//! API_CreateQueue "Attributes", API_ReceiveMessage; SNS "Subscription filter
//! policies", "Amazon SNS raw message delivery"), in milliseconds.

use super::{is_default, Problems};
use serde::{Deserialize, Serialize};
use serde_json::Value;

fn thirty_s() -> f64 {
    30_000.0
}
fn four_days() -> f64 {
    345_600_000.0
}

/// A long poll shorter than a millisecond (AWS waits whole seconds): each would end
/// at once and poll again, without end.
fn too_short_wait(ms: f64) -> bool {
    ms > 0.0 && ms < 1.0
}

const SHORT_WAIT: &str =
    "must be 0 (short polling) or at least 1 ms (a long poll waits whole seconds on AWS)";

/// Longest visibility timeout, 12 hours (API_ChangeMessageVisibility).
pub const MAX_VISIBILITY_MS: f64 = 43_200_000.0;
/// Longest delay, 15 minutes (API_CreateQueue `DelaySeconds`).
pub const MAX_DELAY_MS: f64 = 900_000.0;
/// Retention from 60 s to 14 days (API_CreateQueue `MessageRetentionPeriod`).
pub const RETENTION_RANGE_MS: (f64, f64) = (60_000.0, 1_209_600_000.0);
/// Longest long-poll wait, 20 s (API_ReceiveMessage `WaitTimeSeconds`).
pub const MAX_WAIT_MS: f64 = 20_000.0;
/// FIFO deduplication interval, 5 minutes (SQS developer guide, "Exactly-once
/// processing in Amazon SQS").
pub const DEDUP_WINDOW_MS: f64 = 300_000.0;

/// An SQS queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqsQueueSpec {
    /// A FIFO queue: message groups, deduplication, exactly-once processing.
    #[serde(default, skip_serializing_if = "is_default")]
    pub fifo: bool,
    /// `VisibilityTimeout`: how long a received message stays invisible.
    #[serde(default = "thirty_s")]
    pub visibility_timeout_ms: f64,
    /// `DelaySeconds`: how long a new message stays invisible (delayed).
    #[serde(default, skip_serializing_if = "is_default")]
    pub delay_ms: f64,
    /// `MessageRetentionPeriod`: a message older than this is deleted.
    #[serde(default = "four_days")]
    pub retention_ms: f64,
    /// `ReceiveMessageWaitTimeSeconds`: default long-poll wait of a receive.
    #[serde(default, skip_serializing_if = "is_default")]
    pub receive_wait_ms: f64,
    /// `ContentBasedDeduplication` (FIFO): the body is the deduplication id.
    #[serde(default, skip_serializing_if = "is_default")]
    pub content_based_dedup: bool,
}

impl Default for SqsQueueSpec {
    fn default() -> Self {
        SqsQueueSpec {
            fifo: false,
            visibility_timeout_ms: thirty_s(),
            delay_ms: 0.0,
            retention_ms: four_days(),
            receive_wait_ms: 0.0,
            content_based_dedup: false,
        }
    }
}

fn in_range(v: f64, lo: f64, hi: f64) -> bool {
    v.is_finite() && v >= lo && v <= hi
}

impl SqsQueueSpec {
    /// Reports each out-of-range setting, by field.
    pub fn check(&self, name: &str, out: &mut Problems) {
        aws_name(self.fifo, name, "queue", MAX_QUEUE_NAME, out);
        if !in_range(self.visibility_timeout_ms, 0.0, MAX_VISIBILITY_MS) {
            out.push(
                "sqs_queue.visibility_timeout_ms",
                "must be between 0 and 43,200,000 (12 hours)",
            );
        }
        if !in_range(self.delay_ms, 0.0, MAX_DELAY_MS) {
            out.push(
                "sqs_queue.delay_ms",
                "must be between 0 and 900,000 (15 minutes)",
            );
        }
        let (lo, hi) = RETENTION_RANGE_MS;
        if !in_range(self.retention_ms, lo, hi) {
            out.push(
                "sqs_queue.retention_ms",
                "must be between 60,000 (1 minute) and 1,209,600,000 (14 days)",
            );
        }
        if !in_range(self.receive_wait_ms, 0.0, MAX_WAIT_MS) {
            out.push(
                "sqs_queue.receive_wait_ms",
                "must be between 0 and 20,000 (20 seconds)",
            );
        } else if too_short_wait(self.receive_wait_ms) {
            out.push("sqs_queue.receive_wait_ms", SHORT_WAIT);
        }
        if self.content_based_dedup && !self.fifo {
            out.push(
                "sqs_queue.content_based_dedup",
                "only a FIFO queue deduplicates (set \"fifo\": true)",
            );
        }
    }
}

fn yes() -> bool {
    true
}
fn is_yes(v: &bool) -> bool {
    *v
}

/// An SNS topic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsTopicSpec {
    /// A FIFO topic: ordered by message group, delivers only to FIFO queues.
    #[serde(default, skip_serializing_if = "is_default")]
    pub fifo: bool,
    /// `ContentBasedDeduplication` (FIFO): a publish without a deduplication id gets
    /// one derived from its body; off, such a publish is refused (API_Publish). AWS's
    /// own default is off; a file that leaves it out has it on, as every diagram had
    /// before the setting existed.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub content_based_dedup: bool,
}

impl Default for SnsTopicSpec {
    fn default() -> Self {
        SnsTopicSpec {
            fifo: false,
            content_based_dedup: true,
        }
    }
}

impl SnsTopicSpec {
    /// Its name follows AWS's rules, and ends with `.fifo` exactly when it is FIFO.
    pub fn check(&self, name: &str, out: &mut Problems) {
        aws_name(self.fifo, name, "topic", MAX_TOPIC_NAME, out);
    }
}

/// AWS's rules for a queue's or topic's name: letters, digits, `-` and `_`, at most
/// `max_len` characters in all, and the suffix tied to FIFO: a FIFO queue's or
/// topic's name ends with `.fifo`, and a standard one's cannot (CreateQueue's
/// `QueueName`: "A queue name can have up to 80 characters. Valid values:
/// alphanumeric characters, hyphens (-), and underscores (_). A FIFO queue name must
/// end with the .fifo suffix", docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html;
/// CreateTopic's `Name`: up to 256 characters, the same characters, `.fifo` for a
/// FIFO topic, docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
fn aws_name(fifo: bool, name: &str, noun: &str, max_len: usize, out: &mut Problems) {
    let base = name.strip_suffix(FIFO_SUFFIX);
    match (fifo, base) {
        (true, None) => out.push(
            "name",
            format!("a FIFO {noun}'s name ends with `.fifo`, as AWS requires"),
        ),
        (false, Some(_)) => out.push(
            "name",
            format!(
                "only a FIFO {noun}'s name ends with `.fifo` (AWS refuses it on a standard {noun})"
            ),
        ),
        _ => {}
    }
    let base = base.unwrap_or(name);
    if name.is_empty() {
        // Told by the names check ("needs a name").
    } else if base.is_empty() {
        out.push("name", "needs a name before `.fifo`");
    } else if let Some(c) = base
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        out.push(
            "name",
            format!("`{c}` cannot be in an AWS {noun} name: letters, digits, - and _ only"),
        );
    } else if name.len() > max_len {
        out.push(
            "name",
            format!(
                "is {} characters; an AWS {noun} name has at most {max_len}",
                name.chars().count()
            ),
        );
    }
}

/// `name` made to follow AWS's rules (see `aws_name`): other characters become `-`,
/// the `.fifo` suffix is there exactly when `fifo`, and the whole is at most `max_len`
/// characters; `fallback` when nothing is left. For repairing a saved diagram.
pub fn aws_safe_name(name: &str, fifo: bool, max_len: usize, fallback: &str) -> String {
    let base = name.strip_suffix(FIFO_SUFFIX).unwrap_or(name);
    let mut clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean_trimmed = clean.trim_matches('-');
    clean = if clean_trimmed.is_empty() {
        fallback.to_string()
    } else {
        clean_trimmed.to_string()
    };
    let room = max_len - if fifo { FIFO_SUFFIX.len() } else { 0 };
    clean.truncate(room);
    if fifo {
        clean.push_str(FIFO_SUFFIX);
    }
    clean
}

/// The end of every FIFO queue's and topic's name.
pub const FIFO_SUFFIX: &str = ".fifo";

/// When a worker deletes a message it received.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeleteMode {
    /// After processing it (at-least-once: a crash or a slow worker means it comes
    /// back).
    #[default]
    After,
    /// As soon as it arrives, before processing (at-most-once).
    Before,
    /// Never: what forgetting to delete does (it comes back after every timeout).
    Never,
}

impl DeleteMode {
    /// The name in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            DeleteMode::After => "after",
            DeleteMode::Before => "before",
            DeleteMode::Never => "never",
        }
    }
}

fn ten() -> u32 {
    10
}

/// How a worker receives from an SQS queue (the `receive` edge section).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveSpec {
    /// `MaxNumberOfMessages`, 1–10.
    #[serde(default = "ten")]
    pub max_messages: u32,
    /// `WaitTimeSeconds` in ms (none: the queue's `receive_wait_ms`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_ms: Option<f64>,
    /// `VisibilityTimeout` of the receive (none: the queue's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_timeout_ms: Option<f64>,
    /// When the worker deletes.
    #[serde(default, skip_serializing_if = "is_default")]
    pub delete: DeleteMode,
}

impl Default for ReceiveSpec {
    fn default() -> Self {
        ReceiveSpec {
            max_messages: ten(),
            wait_ms: None,
            visibility_timeout_ms: None,
            delete: DeleteMode::After,
        }
    }
}

impl ReceiveSpec {
    /// Reports each out-of-range setting, by field (relative to the edge).
    pub fn check(&self, out: &mut Problems) {
        if !(1..=10).contains(&self.max_messages) {
            out.push("receive.max_messages", "must be between 1 and 10");
        }
        if let Some(w) = self.wait_ms {
            if !in_range(w, 0.0, MAX_WAIT_MS) {
                out.push(
                    "receive.wait_ms",
                    "must be between 0 and 20,000 (20 seconds)",
                );
            } else if too_short_wait(w) {
                out.push("receive.wait_ms", SHORT_WAIT);
            }
        }
        if let Some(v) = self.visibility_timeout_ms {
            if !in_range(v, 0.0, MAX_VISIBILITY_MS) {
                out.push(
                    "receive.visibility_timeout_ms",
                    "must be between 0 and 43,200,000 (12 hours)",
                );
            }
        }
    }
}

fn default_max_receive() -> u32 {
    10
}

/// A queue's redrive policy (the `redrive` edge section, to its dead-letter queue).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedriveSpec {
    /// `maxReceiveCount`, 1–1000: the receive that would exceed it moves the message.
    #[serde(default = "default_max_receive")]
    pub max_receive_count: u32,
}

impl Default for RedriveSpec {
    fn default() -> Self {
        RedriveSpec {
            max_receive_count: default_max_receive(),
        }
    }
}

impl RedriveSpec {
    /// Reports an out-of-range count.
    pub fn check(&self, out: &mut Problems) {
        if !(1..=1000).contains(&self.max_receive_count) {
            out.push("redrive.max_receive_count", "must be between 1 and 1000");
        }
    }
}

/// Where an SNS filter policy looks (`FilterPolicyScope`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyScope {
    /// `MessageAttributes`.
    #[default]
    MessageAttributes,
    /// `MessageBody` (the body as JSON).
    MessageBody,
}

/// An SNS subscription (the `subscribe` edge section).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscribeSpec {
    /// The filter policy (AWS syntax; none: every message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_policy: Option<Value>,
    /// `FilterPolicyScope`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub filter_policy_scope: PolicyScope,
    /// `RawMessageDelivery`: the queue gets the message itself, not SNS's JSON
    /// envelope.
    #[serde(default, skip_serializing_if = "is_default")]
    pub raw_delivery: bool,
}

impl SubscribeSpec {
    /// Reports a filter policy AWS would refuse.
    pub fn check(&self, out: &mut Problems) {
        if let Some(p) = &self.filter_policy {
            let scope = match self.filter_policy_scope {
                PolicyScope::MessageAttributes => {
                    crate::core::families::sqs::filter::FilterScope::MessageAttributes
                }
                PolicyScope::MessageBody => {
                    crate::core::families::sqs::filter::FilterScope::MessageBody
                }
            };
            if let Err(e) = crate::core::families::sqs::filter::check_policy(p, scope) {
                out.push("subscribe.filter_policy", e);
            }
        }
    }
}

/// Longest SQS queue name, `.fifo` included (API_CreateQueue).
pub const MAX_QUEUE_NAME: usize = 80;

/// Longest SNS topic name, `.fifo` included (API_CreateTopic).
pub const MAX_TOPIC_NAME: usize = 256;
