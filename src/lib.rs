//! Queue Playground: a browser playground for message-queue systems.
//!
//! - [`core`] is the deterministic broker simulation (pure Rust, no web crates).
//! - [`editor`] is the diagram editor's model: actions, undo, geometry (pure Rust).
//! - `ui` (wasm32 only) is the Yew application that draws and drives it.

pub use qp_core as core;
pub mod editor;
pub mod gallery;
pub mod playback;

#[cfg(target_arch = "wasm32")]
pub mod ui;
