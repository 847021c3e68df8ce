//! The broker simulation: pure, deterministic Rust with RabbitMQ's semantics.
//! Nothing here may import a web crate; the UI talks to it through [`engine::Command`]
//! and [`engine::events::Event`].

#![deny(missing_docs)]

pub mod conservation;
pub mod definitions;
pub mod engine;
pub mod ids;
pub mod message;
pub mod metrics;
pub mod model;
pub mod report;
pub mod rng;
pub mod routing;
pub mod scenario;
pub mod time;
pub mod topology;

pub use engine::{Command, Simulation};
pub use scenario::Scenario;
