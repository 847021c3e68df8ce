//! The actors every system shares: the [`producer`] (schedules, bursts, templates) and
//! the [`worker`] (processing, outcomes, crashes, outages, idempotency, replies and
//! forwards). They talk to systems only through the seams of
//! [`crate::core::simulation::seams`].

pub mod producer;
pub mod worker;
