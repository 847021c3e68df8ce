//! Panic reporting: a panic is logged to the console (with its message and location)
//! and shown as a readable banner in the page instead of leaving a blank screen.

use std::panic;

/// Element id of the banner that shows a panic to the user.
pub const PANIC_BANNER_ID: &str = "panic-banner";

/// Installs the hook once; later panics go to the console and the page.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_in_page(&info.to_string());
    }));
}

fn show_in_page(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let banner = match document.get_element_by_id(PANIC_BANNER_ID) {
        Some(existing) => existing,
        None => match document.create_element("div") {
            Ok(created) => {
                created.set_id(PANIC_BANNER_ID);
                let _ = created.set_attribute("role", "alert");
                let _ = body.prepend_with_node_1(&created);
                created
            }
            Err(_) => return,
        },
    };
    // Text only: the message is never parsed as HTML.
    banner.set_text_content(Some(&format!(
        "Queue Playground hit an internal error and stopped. Reload the page; your autosaved diagram is kept. Details: {message}"
    )));
}
