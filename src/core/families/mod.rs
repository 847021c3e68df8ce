//! The messaging systems, one module each; a family owns its state and its rules and
//! is reached only through the seams. Today: [`rabbit`] (RabbitMQ).

pub mod rabbit;
