//! Services and synchronous calls: a service node's settings (`service` section: the
//! shared worker with `workers` running at once and a `backlog` of requests that may
//! wait) and a `call` edge's (`call` section: timeout, retries with exponential backoff
//! and jitter, an optional circuit breaker); and their checks.
//!
//! The names follow the usual client libraries: a timeout per attempt, `retries` after
//! the first attempt, a backoff that doubles per retry (AWS Architecture Blog,
//! "Exponential Backoff And Jitter"), and the circuit breaker of Nygard's *Release It!*
//! as Resilience4j documents it (closed → open after `failure_threshold` failures within
//! `window_ms`; open for `open_ms`; then half-open, letting `half_open_probes` calls
//! through: all succeed → closed, one fails → open again).

use super::{is_default, non_negative, ConsumerSpec, Outage, OutcomeOdds, Problems, Processing};
use serde::{Deserialize, Serialize};

/// What a service does with one request (or message) after working on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceOutcome {
    /// Succeeds: the caller gets a good reply (a message is acknowledged).
    Ok,
    /// Fails: the caller gets an error reply (a message is rejected).
    Error,
    /// The service process dies: everything it holds is lost (callers time out).
    Crash,
}

fn four() -> u32 {
    4
}
fn is_four(v: &u32) -> bool {
    *v == 4
}
fn fifty() -> u32 {
    50
}
fn is_fifty(v: &u32) -> bool {
    *v == 50
}
fn service_processing() -> Processing {
    Processing::Fixed { ms: 100.0 }
}
fn is_service_processing(p: &Processing) -> bool {
    *p == service_processing()
}
fn default_restart_ms() -> f64 {
    1000.0
}
fn is_default_restart(v: &f64) -> bool {
    *v == default_restart_ms()
}

/// Most workers or backlog a service may have here.
pub const MAX_SERVICE_SLOTS: u32 = 10_000;

/// A service: a worker with `workers` requests in hand at once and a `backlog`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Requests (or messages) worked on at once.
    #[serde(default = "four", skip_serializing_if = "is_four")]
    pub workers: u32,
    /// Requests that may wait for a free worker; one more is refused (rejected).
    #[serde(default = "fifty", skip_serializing_if = "is_fifty")]
    pub backlog: u32,
    /// Time to handle one request, before the calls it makes.
    #[serde(
        default = "service_processing",
        skip_serializing_if = "is_service_processing"
    )]
    pub processing: Processing,
    /// Probability that handling fails (an error reply).
    #[serde(default, skip_serializing_if = "is_default")]
    pub failure: f64,
    /// Probability that the service crashes while handling.
    #[serde(default, skip_serializing_if = "is_default")]
    pub crash: f64,
    /// Outcomes in turn, repeating (overrides `failure` and `crash`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pattern: Vec<ServiceOutcome>,
    /// Time to come back after a crash, in ms.
    #[serde(
        default = "default_restart_ms",
        skip_serializing_if = "is_default_restart"
    )]
    pub restart_ms: f64,
    /// Windows in which the service is down (calls to it fail at once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<Outage>,
}

impl Default for ServiceSpec {
    fn default() -> Self {
        ServiceSpec {
            workers: four(),
            backlog: fifty(),
            processing: service_processing(),
            failure: 0.0,
            crash: 0.0,
            pattern: Vec::new(),
            restart_ms: default_restart_ms(),
            outages: Vec::new(),
        }
    }
}

impl ServiceSpec {
    /// The shared worker's settings for this service: a failure is a reject (an error
    /// reply to a caller), its prefetch is its workers (one message per worker when it
    /// reads a broker).
    pub fn worker(&self) -> ConsumerSpec {
        use super::Outcome;
        ConsumerSpec {
            prefetch: self.workers,
            processing: self.processing.clone(),
            outcomes: OutcomeOdds {
                requeue: 0.0,
                reject: self.failure,
                crash: self.crash,
            },
            pattern: self
                .pattern
                .iter()
                .map(|o| match o {
                    ServiceOutcome::Ok => Outcome::Ack,
                    ServiceOutcome::Error => Outcome::Reject,
                    ServiceOutcome::Crash => Outcome::Crash,
                })
                .collect(),
            restart_ms: self.restart_ms,
            outages: self.outages.clone(),
            ..ConsumerSpec::default()
        }
    }

    /// Reports each out-of-range field.
    pub fn check(&self, out: &mut Problems) {
        if self.workers == 0 || self.workers > MAX_SERVICE_SLOTS {
            out.push("service.workers", "must be between 1 and 10,000");
        }
        if self.backlog > MAX_SERVICE_SLOTS {
            out.push("service.backlog", "must be between 0 and 10,000");
        }
        for (name, p) in [("failure", self.failure), ("crash", self.crash)] {
            if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
                out.push(
                    format!("service.{name}"),
                    "must be a probability between 0 and 1",
                );
            }
        }
        if self.failure + self.crash > 1.0 + 1e-9 {
            out.push("service.failure", "failure + crash must not exceed 1");
        }
        // The worker's own checks, with the paths renamed to this section.
        let mut worker = Problems::default();
        let spec = ConsumerSpec {
            outcomes: OutcomeOdds::default(),
            ..self.worker()
        };
        spec.check(&mut worker);
        for (field, message) in worker.0 {
            out.push(field.replacen("consumer.", "service.", 1), message);
        }
    }
}

fn thousand_ms() -> f64 {
    1000.0
}
fn is_thousand_ms(v: &f64) -> bool {
    *v == 1000.0
}
fn hundred_ms() -> f64 {
    100.0
}
fn is_hundred_ms(v: &f64) -> bool {
    *v == 100.0
}
fn half() -> f64 {
    0.5
}
fn is_half(v: &f64) -> bool {
    *v == 0.5
}

/// Most retries a call edge may make here.
pub const MAX_RETRIES: u32 = 20;

/// A `call` edge: a synchronous request/reply from a caller to a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallSpec {
    /// How long the caller waits for one attempt's reply, ms.
    #[serde(default = "thousand_ms", skip_serializing_if = "is_thousand_ms")]
    pub timeout_ms: f64,
    /// Attempts after the first one when an attempt fails or times out.
    #[serde(default, skip_serializing_if = "is_default")]
    pub retries: u32,
    /// Wait before the first retry, ms; it doubles for each further retry.
    #[serde(default = "hundred_ms", skip_serializing_if = "is_hundred_ms")]
    pub backoff_ms: f64,
    /// Share of each wait drawn at random (0: exactly the backoff; 1: anywhere from 0
    /// to it, "full jitter").
    #[serde(default = "half", skip_serializing_if = "is_half")]
    pub jitter: f64,
    /// A circuit breaker on this edge (none: every call goes through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit_breaker: Option<BreakerSpec>,
    /// Makes this a compensating call: the id of the caller's call edge whose effect it
    /// undoes. It is made only when a later call of the caller failed, in reverse
    /// order of the calls it undoes (a saga's compensation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensates: Option<String>,
}

impl Default for CallSpec {
    fn default() -> Self {
        CallSpec {
            timeout_ms: thousand_ms(),
            retries: 0,
            backoff_ms: hundred_ms(),
            jitter: half(),
            circuit_breaker: None,
            compensates: None,
        }
    }
}

fn five() -> u32 {
    5
}
fn ten_seconds() -> f64 {
    10_000.0
}
fn five_seconds() -> f64 {
    5_000.0
}
fn one() -> u32 {
    1
}

/// A circuit breaker's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerSpec {
    /// Failures (errors, timeouts, refusals) within `window_ms` that open it.
    #[serde(default = "five")]
    pub failure_threshold: u32,
    /// The sliding window failures are counted in, ms.
    #[serde(default = "ten_seconds")]
    pub window_ms: f64,
    /// How long it stays open (refusing every call at once), ms.
    #[serde(default = "five_seconds")]
    pub open_ms: f64,
    /// Calls let through when half-open; all must succeed to close it.
    #[serde(default = "one")]
    pub half_open_probes: u32,
}

impl Default for BreakerSpec {
    fn default() -> Self {
        BreakerSpec {
            failure_threshold: five(),
            window_ms: ten_seconds(),
            open_ms: five_seconds(),
            half_open_probes: one(),
        }
    }
}

impl CallSpec {
    /// Reports each out-of-range field.
    pub fn check(&self, out: &mut Problems) {
        if !(self.timeout_ms.is_finite() && self.timeout_ms > 0.0) {
            out.push("call.timeout_ms", "must be a number > 0");
        }
        if self.retries > MAX_RETRIES {
            out.push("call.retries", "must be between 0 and 20");
        }
        if !non_negative(self.backoff_ms) {
            out.push("call.backoff_ms", "must be a number ≥ 0");
        }
        if !(self.jitter.is_finite() && (0.0..=1.0).contains(&self.jitter)) {
            out.push("call.jitter", "must be between 0 and 1");
        }
        if let Some(b) = &self.circuit_breaker {
            if b.failure_threshold == 0 {
                out.push(
                    "call.circuit_breaker.failure_threshold",
                    "must be at least 1",
                );
            }
            if !(b.window_ms.is_finite() && b.window_ms > 0.0) {
                out.push("call.circuit_breaker.window_ms", "must be a number > 0");
            }
            if !non_negative(b.open_ms) {
                out.push("call.circuit_breaker.open_ms", "must be a number ≥ 0");
            }
            if b.half_open_probes == 0 {
                out.push(
                    "call.circuit_breaker.half_open_probes",
                    "must be at least 1",
                );
            }
        }
    }
}
