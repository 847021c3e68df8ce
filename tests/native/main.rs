//! Native integration tests: one test binary, one module per subject.
#![cfg(not(target_arch = "wasm32"))]

mod allocations;
mod cli;
mod common;
mod definitions;
mod editor;
mod engine_properties;
mod engine_semantics;
mod frames;
mod gallery;
mod gallery_services;
mod golden;
mod internal_exchange;
mod kafka;
mod kafka_assignors;
mod load_errors;
mod persistence;
mod playback;
mod routing_conformance;
mod rpc;
mod script;
mod script_rules;
mod share;
mod sqs;
mod timeline;
mod zmq;
