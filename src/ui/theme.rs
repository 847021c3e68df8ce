//! The colour theme: dark or light. It starts as the one chosen before (kept in
//! localStorage) or, without a choice, as the system's `prefers-color-scheme` (set by a
//! script in index.html before the app loads, so nothing flashes); the header's button
//! switches it and remembers the choice. The styles read it from the `data-theme`
//! attribute of the document element.

use yew::prelude::*;

/// Storage key of the chosen theme.
pub const THEME_KEY: &str = "queue-playground/theme";

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// The theme in force: `"light"` or `"dark"`.
pub fn current() -> String {
    root()
        .and_then(|r| r.get_attribute("data-theme"))
        .filter(|t| t == "light")
        .unwrap_or_else(|| "dark".into())
}

fn set(theme: &str) {
    if let Some(r) = root() {
        let _ = r.set_attribute("data-theme", theme);
    }
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(THEME_KEY, theme);
    }
}

/// The header button that switches between the dark and the light theme.
#[function_component(ThemeToggle)]
pub fn theme_toggle() -> Html {
    let theme = use_state(current);
    let onclick = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| {
            let next = if *theme == "light" { "dark" } else { "light" };
            set(next);
            theme.set(next.to_string());
        })
    };
    let (label, text) = if *theme == "light" {
        ("Dark theme", "Dark")
    } else {
        ("Light theme", "Light")
    };
    html! {
        <button type="button" class="theme-toggle" aria-label={label} title={format!("Switch to the {}", label.to_lowercase())} {onclick}>{ text }</button>
    }
}
