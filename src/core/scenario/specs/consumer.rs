//! A consumer's behaviour (the shared worker): prefetch, ack mode, processing time,
//! outcomes, crashes, outages, idempotency, replies; and their checks.

use super::{is_default, non_negative, Problems};
use serde::{Deserialize, Serialize};

/// A processing-time distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "lowercase", deny_unknown_fields)]
pub enum Processing {
    /// Always `ms`.
    Fixed {
        /// Duration in ms.
        ms: f64,
    },
    /// Uniform between `min_ms` and `max_ms`.
    Uniform {
        /// Lower bound in ms.
        min_ms: f64,
        /// Upper bound in ms.
        max_ms: f64,
    },
    /// Exponential with mean `mean_ms`.
    Exponential {
        /// Mean in ms.
        mean_ms: f64,
    },
}

impl Default for Processing {
    fn default() -> Self {
        Processing::Fixed { ms: 100.0 }
    }
}

/// Acknowledgement mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AckMode {
    /// The consumer acks after processing (at-least-once).
    #[default]
    Manual,
    /// The broker forgets a message as soon as it is sent (at-most-once).
    Auto,
}

/// What a consumer does with one message after processing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Acknowledge.
    Ack,
    /// `basic.nack` with requeue = true.
    Requeue,
    /// `basic.nack` / `basic.reject` with requeue = false (dead-letters when the queue has a DLX).
    Reject,
    /// The consumer process dies after doing the work but before acking.
    Crash,
}

/// Probabilities of the non-ack outcomes; ack takes the rest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeOdds {
    /// Probability of nack with requeue.
    #[serde(default)]
    pub requeue: f64,
    /// Probability of reject (no requeue).
    #[serde(default)]
    pub reject: f64,
    /// Probability of a crash.
    #[serde(default)]
    pub crash: f64,
}

/// A time window in which a consumer is disconnected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    /// Disconnects at, in ms.
    pub start_ms: f64,
    /// Reconnects at, in ms.
    pub end_ms: f64,
}

fn default_restart_ms() -> f64 {
    1000.0
}

/// Consumer behaviour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerSpec {
    /// `basic.qos` prefetch count; 0 = unlimited.
    #[serde(default)]
    pub prefetch: u32,
    /// Ack mode.
    #[serde(default)]
    pub ack: AckMode,
    /// Processing time per message.
    #[serde(default)]
    pub processing: Processing,
    /// Random outcome probabilities (used when `pattern` is empty).
    #[serde(default, skip_serializing_if = "is_default")]
    pub outcomes: OutcomeOdds,
    /// Outcomes applied in turn, repeating (overrides `outcomes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pattern: Vec<Outcome>,
    /// Time to come back after a crash, in ms.
    #[serde(default = "default_restart_ms")]
    pub restart_ms: f64,
    /// Disconnected windows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<Outage>,
    /// Skip messages whose `message_id` was already processed (the effect happens once).
    #[serde(default, skip_serializing_if = "is_default")]
    pub idempotent: bool,
    /// After acking a message that has `reply_to`, publish a reply to that queue via the
    /// default exchange, carrying the `correlation_id`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub reply: bool,
}

impl Default for ConsumerSpec {
    fn default() -> Self {
        ConsumerSpec {
            prefetch: 0,
            ack: AckMode::Manual,
            processing: Processing::default(),
            outcomes: OutcomeOdds::default(),
            pattern: Vec::new(),
            restart_ms: default_restart_ms(),
            outages: Vec::new(),
            idempotent: false,
            reply: false,
        }
    }
}

impl ConsumerSpec {
    /// Reports each out-of-range time and probability, by field.
    pub fn check(&self, out: &mut Problems) {
        let c = self;
        // basic.qos carries the prefetch count in 16 bits (AMQP 0-9-1 `prefetch-count`
        // is a short): RabbitMQ takes at most 65,535.
        if c.prefetch > 65_535 {
            out.push(
                "consumer.prefetch",
                "must be a whole number from 0 to 65,535 (basic.qos takes a 16-bit count; 0 = unlimited)",
            );
        }
        match c.processing {
            Processing::Fixed { ms } if !non_negative(ms) => {
                out.push("consumer.processing.ms", "must be a number ≥ 0")
            }
            Processing::Uniform { min_ms, max_ms }
                if !non_negative(min_ms) || !non_negative(max_ms) || min_ms > max_ms =>
            {
                out.push("consumer.processing", "needs 0 ≤ min_ms ≤ max_ms")
            }
            Processing::Exponential { mean_ms } if !non_negative(mean_ms) => {
                out.push("consumer.processing.mean_ms", "must be a number ≥ 0")
            }
            _ => {}
        }
        let o = &c.outcomes;
        for (name, p) in [
            ("requeue", o.requeue),
            ("reject", o.reject),
            ("crash", o.crash),
        ] {
            if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
                out.push(
                    format!("consumer.outcomes.{name}"),
                    "must be a probability between 0 and 1",
                );
            }
        }
        if o.requeue + o.reject + o.crash > 1.0 + 1e-9 {
            out.push(
                "consumer.outcomes",
                "requeue + reject + crash must not exceed 1",
            );
        }
        if !non_negative(c.restart_ms) {
            out.push("consumer.restart_ms", "must be a number ≥ 0");
        }
        for (k, w) in c.outages.iter().enumerate() {
            if !non_negative(w.start_ms) || !non_negative(w.end_ms) || w.end_ms < w.start_ms {
                out.push(
                    format!("consumer.outages[{k}]"),
                    "needs 0 ≤ start_ms ≤ end_ms",
                );
            }
        }
    }
}
