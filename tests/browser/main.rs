//! Browser tests (wasm-bindgen-test in headless Chromium).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

mod editor_actions;
mod labels;
mod playback;
mod shell;
