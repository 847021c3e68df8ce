//! What the report and the canvas say of calls and services: `"calls"` by edge id and
//! `"services"` by node id in `qp simulate`'s output.

use super::{BreakerState, Rpc};
use crate::core::kernel::time::SimTime;
use serde::Serialize;

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One call edge in the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallReport {
    /// Attempts made: `ok + error + timeout + rejected + in_flight`.
    pub attempts: u64,
    /// Answered ok.
    pub ok: u64,
    /// Answered with an error (the service was down, or failed).
    pub error: u64,
    /// No reply in time.
    pub timeout: u64,
    /// Refused (backlog full, or the breaker open).
    pub rejected: u64,
    /// Of those, refused by the open breaker without being sent.
    #[serde(skip_serializing_if = "is_zero")]
    pub rejected_by_breaker: u64,
    /// Waiting for their reply or timeout now.
    pub in_flight: u64,
    /// Attempts that were retries.
    pub retries: u64,
    /// Replies after their attempt timed out (wasted work).
    pub late_replies: u64,
    /// Calls made (first attempts).
    pub calls: u64,
    /// Calls that ended ok.
    pub calls_ok: u64,
    /// Calls that ended failed.
    pub calls_failed: u64,
    /// Median caller-seen time of a call, first attempt to final answer, ms.
    pub p50_ms: f64,
    /// 99th percentile of the same, ms.
    pub p99_ms: f64,
    /// The circuit breaker's state now, if the edge has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaker: Option<BreakerState>,
    /// Times the breaker opened.
    #[serde(skip_serializing_if = "is_zero")]
    pub breaker_opened: u64,
}

/// One service in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceReport {
    /// Workers busy now (working, or blocked on a call).
    pub busy: u64,
    /// Its workers.
    pub workers: u64,
    /// Requests waiting in its backlog now.
    pub backlog: u64,
    /// Requests and messages whose work was done (a service reading a broker
    /// processes messages as well as requests).
    pub processed: u64,
    /// Requests answered ok.
    pub served: u64,
    /// Requests answered with an error.
    pub failed: u64,
    /// Requests refused while it was down.
    pub refused_down: u64,
    /// Requests refused because its backlog was full.
    pub refused_full: u64,
    /// Requests lost when it went down holding them.
    pub lost: u64,
}

fn ms(us: u64) -> f64 {
    (us as f64 / 1000.0 * 1000.0).round() / 1000.0
}

impl Rpc {
    /// Call edge `i`'s figures at `now`.
    pub fn call_report(&self, i: usize, now: SimTime) -> CallReport {
        let s = &self.stats[i];
        CallReport {
            attempts: s.attempts,
            ok: s.ok,
            error: s.error,
            timeout: s.timeout,
            rejected: s.rejected,
            rejected_by_breaker: s.rejected_by_breaker,
            in_flight: self.in_flight(i),
            retries: s.retries,
            late_replies: s.late_replies,
            calls: s.calls,
            calls_ok: s.calls_ok,
            calls_failed: s.calls_failed,
            p50_ms: ms(s.latency.quantile_us(0.5)),
            p99_ms: ms(s.latency.quantile_us(0.99)),
            breaker: self.breaker(i, now),
            breaker_opened: self.breaker_opened(i),
        }
    }

    /// Requests service worker `c` holds (handed to its workers).
    pub fn held_by(&self, c: usize) -> u64 {
        self.services[c].as_ref().map_or(0, |s| s.held.len() as u64)
    }

    /// Service worker `c`'s figures, given how many of its workers are busy.
    pub fn service_report(
        &self,
        c: usize,
        busy: u64,
        workers: u64,
        processed: u64,
    ) -> Option<ServiceReport> {
        let side = self.services[c].as_ref()?;
        let s = &side.stats;
        Some(ServiceReport {
            busy,
            workers,
            backlog: side.waiting.len() as u64,
            processed,
            served: s.served,
            failed: s.failed,
            refused_down: s.refused_down,
            refused_full: s.refused_full,
            lost: s.lost,
        })
    }
}
