//! What makes an overlay a modal dialog for the keyboard: while it is open, focus moves
//! into it, Tab and Shift+Tab stay inside it, Escape closes it, and everything beside it
//! is inert (not focusable, not clickable); when it closes, focus goes back to what had
//! it (the button that opened it), or to the canvas when that is gone or hidden.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};
use yew::prelude::*;

/// What can take focus inside a dialog.
const FOCUSABLE: &str =
    "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

/// The focusable elements inside `root`, in document order.
fn focusables(root: &Element) -> Vec<HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Makes the element of `dialog` modal while the component using it is mounted;
/// `on_close` is called on Escape.
#[hook]
pub fn use_modal(dialog: NodeRef, on_close: Callback<()>) {
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|w| w.document());
        // An HTML button, or a node of the diagram (an SVG element) focused when `?`
        // opened the help.
        let opener = document.as_ref().and_then(|d| d.active_element());
        let root = dialog.cast::<Element>();
        // Everything beside the dialog goes inert.
        let mut made_inert: Vec<Element> = Vec::new();
        if let Some(parent) = root.as_ref().and_then(|r| r.parent_element()) {
            let children = parent.children();
            for i in 0..children.length() {
                if let Some(child) = children.item(i) {
                    let is_dialog = root.as_ref().is_some_and(|r| r == &child);
                    if !is_dialog && !child.has_attribute("inert") {
                        let _ = child.set_attribute("inert", "");
                        made_inert.push(child);
                    }
                }
            }
        }
        if let Some(first) = root.as_ref().and_then(|r| focusables(r).into_iter().next()) {
            let _ = first.focus();
        }
        // Focusing a control low in a long dialog (the help's Close) scrolled it there:
        // the dialog opens at its top, its title in view.
        if let Ok(Some(card)) = root
            .as_ref()
            .map_or(Ok(None), |r| r.query_selector(".overlay-card"))
        {
            card.set_scroll_top(0);
        }
        let listener = web_sys::window().map(|w| {
            let root = root.clone();
            let options = gloo_events::EventListenerOptions::enable_prevent_default();
            gloo_events::EventListener::new_with_options(&w, "keydown", options, move |e| {
                let (Some(k), Some(root)) = (e.dyn_ref::<KeyboardEvent>(), root.as_ref()) else {
                    return;
                };
                match k.key().as_str() {
                    "Escape" => on_close.emit(()),
                    "Tab" => {
                        let items = focusables(root);
                        let (Some(first), Some(last)) = (items.first(), items.last()) else {
                            return;
                        };
                        let active = web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.active_element());
                        let inside = active.as_ref().is_some_and(|a| root.contains(Some(a)));
                        let at = |el: &HtmlElement| {
                            active
                                .as_ref()
                                .is_some_and(|a| a == el.unchecked_ref::<Element>())
                        };
                        if k.shift_key() && (!inside || at(first)) {
                            k.prevent_default();
                            let _ = last.focus();
                        } else if !k.shift_key() && (!inside || at(last)) {
                            k.prevent_default();
                            let _ = first.focus();
                        }
                    }
                    _ => {}
                }
            })
        });
        move || {
            drop(listener);
            for el in &made_inert {
                let _ = el.remove_attribute("inert");
            }
            // Back to the opener when it is still there and shown; else the diagram's
            // first node (a pattern just opened), else the Play button.
            let shown = |o: &Element| {
                let r = o.get_bounding_client_rect();
                o.is_connected() && (r.width() > 0.0 || r.height() > 0.0)
            };
            match opener.filter(|o| shown(o) && focus(o)) {
                Some(_) => {}
                None => {
                    let find = |selector: &str| {
                        web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.query_selector(selector).ok().flatten())
                    };
                    if let Some(node) = find("#canvas g[data-node-id]")
                        .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok())
                    {
                        let _ = node.focus();
                    } else if let Some(play) =
                        find(".controls button").and_then(|e| e.dyn_into::<HtmlElement>().ok())
                    {
                        let _ = play.focus();
                    }
                }
            }
        }
    });
}

/// Focuses `el`, an HTML or an SVG element; false when it is neither.
fn focus(el: &Element) -> bool {
    if let Some(h) = el.dyn_ref::<HtmlElement>() {
        h.focus().is_ok()
    } else if let Some(s) = el.dyn_ref::<web_sys::SvgElement>() {
        s.focus().is_ok()
    } else {
        false
    }
}
