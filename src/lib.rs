//! Queue Playground: a browser playground for message-queue systems.
//!
//! - [`core`] is the deterministic broker simulation (pure Rust, no web crates).
//! - `ui` (wasm32 only) is the Yew application that draws and drives it.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ui;
