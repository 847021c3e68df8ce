//! Browser entry point: mounts the Yew app. On a native target it only points to the CLI.

// Talc instead of the standard library's dlmalloc: the simulation allocates per message,
// and Talc is both faster and smaller in WebAssembly (github.com/SFBdragon/talc,
// BENCHMARKS_WASM.md); scripts/bench-live.sh measures the difference here.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    queue_playground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("queue-playground is the browser app: serve it with `bash scripts/serve.sh`; the native command-line tool is `qp` (cargo run --bin qp -- --help).");
}
