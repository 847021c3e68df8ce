//! The help overlay: keyboard shortcuts and mouse gestures.

use yew::prelude::*;

/// Shortcuts listed in the help overlay: (keys, what they do).
pub const SHORTCUTS: [(&str, &str); 16] = [
    ("Space / P", "Play / pause (Space held while dragging pans)"),
    (
        "Tab, then Enter / Space",
        "Focus a node, select it (Shift: add to the selection)",
    ),
    (
        "Arrow keys (Shift: ×5)",
        "Move the selection, or the focused node, one grid step",
    ),
    (
        "C on a node, then Enter on another",
        "Connect the two (Escape cancels)",
    ),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z / Ctrl+Y", "Redo"),
    ("Delete / Backspace", "Delete the selection"),
    ("Ctrl+D", "Duplicate the selection"),
    ("Ctrl+A", "Select everything"),
    ("Escape", "Clear the selection, close this help"),
    ("+ / −", "Zoom in / out"),
    ("0", "Fit the diagram to the view"),
    ("?", "Show or hide this help"),
    ("Drag background (or Space+drag)", "Pan"),
    (
        "Shift+drag background / Shift+click",
        "Box-select / add to the selection",
    ),
    ("Drag from a node's right handle", "Connect to another node"),
];

/// Props of [`HelpOverlay`].
#[derive(Properties, PartialEq, Clone)]
pub struct HelpProps {
    /// Closes the overlay.
    pub on_close: Callback<()>,
}

/// The overlay.
#[function_component(HelpOverlay)]
pub fn help_overlay(p: &HelpProps) -> Html {
    let close = p.on_close.reform(|_| ());
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
            <div class="overlay-card">
                <h2>{"Keyboard shortcuts"}</h2>
                <table class="shortcuts">
                    { for SHORTCUTS.iter().map(|(k, v)| html! { <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *v }</td></tr> }) }
                </table>
                <button type="button" onclick={close}>{"Close"}</button>
            </div>
        </div>
    }
}
