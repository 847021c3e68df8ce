//! Running work after the browser has painted the next frame, so two expensive renders
//! land in two frames instead of making one long one.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Calls `f` in the frame after the next one (two animation frames: the first runs before
/// the coming paint, the second after it). Without a window it calls `f` at once.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        f();
        return;
    };
    let again = window.clone();
    let first = Closure::once_into_js(move || {
        let second = Closure::once_into_js(f);
        let _ = again.request_animation_frame(second.unchecked_ref());
    });
    let _ = window.request_animation_frame(first.unchecked_ref());
}
