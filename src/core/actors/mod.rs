//! The actors every system shares: the [`producer`] (schedules, bursts, templates),
//! the [`client`] (a scenario's script), the [`caller`] side of synchronous calls and
//! the [`worker`] (processing, outcomes, crashes, outages, idempotency, replies and
//! forwards). They talk to systems only through the seams of
//! [`crate::core::simulation::seams`].

pub mod caller;
pub mod client;
mod forward;
pub mod hands;
pub mod producer;
pub mod seen;
pub mod worker;
