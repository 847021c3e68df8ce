//! The benchmark's view of the animation loop: when `window.__qpRecordFrames` is true,
//! each frame appends `[time, dots, work ms, core step ms, drawing ms]` to
//! `window.__qpFrames` (read by `scripts/bench-live.sh`).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Records one frame, if the page asked for it.
pub(super) fn record_frame(now: f64, dots: usize, work_ms: f64, step_ms: f64, paint_ms: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on = js_sys::Reflect::get(&window, &JsValue::from_str("__qpRecordFrames"))
        .ok()
        .and_then(|v| v.as_bool())
        == Some(true);
    if !on {
        return;
    }
    let key = JsValue::from_str("__qpFrames");
    let frames = match js_sys::Reflect::get(&window, &key) {
        Ok(v) if v.is_object() => v.unchecked_into::<js_sys::Array>(),
        _ => {
            let a = js_sys::Array::new();
            let _ = js_sys::Reflect::set(&window, &key, &a);
            a
        }
    };
    let entry = js_sys::Array::of5(
        &JsValue::from_f64(now),
        &JsValue::from_f64(dots as f64),
        &JsValue::from_f64(work_ms),
        &JsValue::from_f64(step_ms),
        &JsValue::from_f64(paint_ms),
    );
    frames.push(&entry);
}
