//! The help overlay: keyboard shortcuts and mouse gestures.

use yew::prelude::*;

/// Shortcuts listed in the help overlay: (keys, what they do).
pub const SHORTCUTS: [(&str, &str); 17] = [
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
    ("T", "Tidy: lay the diagram out left to right in layers"),
    ("?", "Show or hide this help"),
    ("Drag background (or Space+drag)", "Pan"),
    (
        "Shift+drag background / Shift+click",
        "Box-select / add to the selection",
    ),
    ("Drag from a node's right handle", "Connect to another node"),
];

/// What the figures on the canvas and in the status bar mean: (term, meaning).
pub const GLOSSARY: [(&str, &str); 9] = [
    ("in flight", "message copies travelling along an edge right now"),
    ("ready", "copies waiting for a worker: in a RabbitMQ queue (the lit slots: how full it is), a ZeroMQ pipe or a service's backlog; Kafka records and SQS messages are counted at their topic or queue"),
    ("unacked", "copies in a worker's hands and not yet done with: a RabbitMQ delivery not acknowledged (it returns to the queue if the consumer fails), a Kafka record being processed, an SQS message received and not deleted, a request being served"),
    ("held / prefetch (e.g. 1/5, 0/∞)", "deliveries a consumer holds, out of its window: RabbitMQ's prefetch (∞: none), a Kafka poll's or an SQS receive's most messages"),
    ("busy · receiving · idle · down", "working on a message · a delivery is on its way · nothing to do · crashed or in an outage"),
    ("dropped", "copies that left without being processed and are lost: unroutable, overflow, expired or rejected without a dead-letter exchange, lost in a crash, dropped by a full ZeroMQ pipe (a Kafka consumer's unfinished records are not lost: they are read again)"),
    ("dead-lettered", "copies republished to a queue's dead-letter exchange, or moved to an SQS dead-letter queue"),
    ("dots", "messages drawn on the canvas in the last frame"),
    ("seed", "the number every random choice comes from: the same seed replays the same run"),
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
    let dialog = use_node_ref();
    super::modal::use_modal(dialog.clone(), p.on_close.clone());
    html! {
        <div ref={dialog} class="overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
            <div class="overlay-card">
                <h2>{"Keyboard shortcuts"}</h2>
                <table class="shortcuts">
                    { for SHORTCUTS.iter().map(|(k, v)| html! { <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *v }</td></tr> }) }
                </table>
                <h2>{"What the figures mean"}</h2>
                <table class="shortcuts glossary">
                    { for GLOSSARY.iter().map(|(k, v)| html! { <tr><th scope="row">{ *k }</th><td>{ *v }</td></tr> }) }
                </table>
                <button type="button" onclick={close}>{"Close"}</button>
            </div>
        </div>
    }
}
