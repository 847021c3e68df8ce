//! The simulation core: pure, deterministic Rust. Nothing here may import a web crate;
//! the UI talks to it through [`simulation::Command`], the events of
//! [`model::events`] and the report.
//!
//! Layout (design §1): [`kernel`] (clock, agenda, RNG, parcels, recorder, census),
//! [`model`] (messages, events, ids, the `KINDS` and `WIRING` tables), [`scenario`]
//! (the file format, validation, templates), [`topology`] (a scenario compiled into
//! index tables), [`actors`] (producer and worker, shared by every system),
//! [`families`] (one module per messaging system), [`simulation`] (dispatch and the
//! four seams), [`report`], [`definitions`] (RabbitMQ's definitions.json), and
//! [`sort`] (stable sorting through one compiled sort, for a smaller download).

#![deny(missing_docs)]

/// The core is compiled as its own package (`qp-core`, so that release builds can
/// optimise it for speed and the app around it for size), yet its files name each other
/// `crate::core::…`, as the rest of the app names them.
mod core {
    pub use super::*;
}

pub mod actors;
pub mod definitions;
pub mod families;
pub mod kernel;
pub mod model;
pub mod report;
pub mod scenario;
pub mod simulation;
pub mod sort;
pub mod topology;

pub use scenario::Scenario;
pub use simulation::{Command, Simulation};
