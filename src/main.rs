//! Browser entry point: mounts the Yew app. On a native target it only points to the CLI.

#[cfg(target_arch = "wasm32")]
fn main() {
    queue_playground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("queue-playground is the browser app: serve it with `bash scripts/serve.sh`; the native command-line tool is `qp` (cargo run --bin qp -- --help).");
}
