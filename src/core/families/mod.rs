//! The messaging systems, one module each; a family owns its state and its rules and
//! is reached only through the seams: [`rabbit`] (RabbitMQ), [`log`] (Kafka), [`sqs`]
//! (AWS SQS and SNS), [`pipe`] (ZeroMQ), [`rpc`] (services and synchronous calls).

pub mod log;
pub mod pipe;
pub mod rabbit;
pub mod rpc;
pub mod sqs;
