//! `qp`: the headless command-line tool (native only).
//!
//! - `qp route --definitions FILE --exchange NAME --routing-key KEY [--header K=V]... [--vhost V]`
//! - `qp simulate SCENARIO.json [--until DURATION] [--seed N]`
//! - `qp import DEFINITIONS.json [-o SCENARIO.json]`
//! - `qp export SCENARIO.json [-o DEFINITIONS.json]`
//!
//! Errors are one line on stderr with exit code 2.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::run());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
