//! Keeps the keyboard's place when an action takes away what had focus: a deleted node,
//! an Undo button that an undo leaves disabled. Without this the focus falls to the
//! page's body and the next Tab starts again at the top.

use crate::ui::after_paint::after_next_paint;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

fn document() -> Option<Document> {
    web_sys::window().and_then(|w| w.document())
}

/// The diagram's nodes, in document order.
fn nodes(doc: &Document) -> Vec<Element> {
    let Ok(list) = doc.query_selector_all("#canvas g[data-node-id]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn focus(el: &Element) {
    if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = h.focus();
    } else if let Some(s) = el.dyn_ref::<web_sys::SvgElement>() {
        let _ = s.focus();
    }
}

/// Call just before dispatching an action that may remove or disable the focused
/// element: once the result is drawn, if the focus was lost it goes to the node now at
/// the focused node's place (a deletion), or to the first enabled toolbar button (a
/// toolbar button disabled), else to the first node or the palette's first button.
pub fn rescue_focus() {
    let Some(doc) = document() else { return };
    let Some(had) = doc.active_element() else {
        return;
    };
    let node_index = nodes(&doc).iter().position(|n| n == &had);
    let in_toolbar = had.closest(".toolbar").ok().flatten().is_some();
    after_next_paint(move || {
        let Some(doc) = document() else { return };
        let lost = doc
            .active_element()
            .is_none_or(|a| a.tag_name() == "BODY" || a.has_attribute("disabled"));
        if !lost {
            return;
        }
        let nodes = nodes(&doc);
        let first_enabled = |selector: &str| doc.query_selector(selector).ok().flatten();
        let target = match (node_index, in_toolbar) {
            (Some(i), _) if !nodes.is_empty() => nodes.get(i.min(nodes.len() - 1)).cloned(),
            (_, true) => first_enabled(".toolbar button:not([disabled])"),
            _ => None,
        };
        let target = target
            .or_else(|| nodes.first().cloned())
            .or_else(|| first_enabled(".palette button"));
        if let Some(el) = target {
            focus(&el);
        }
    });
}

/// Call just before dispatching an action from the side panel that replaces what it
/// shows (a connection or an endpoint selected, a log row opening its trace): once the
/// result is drawn, if the focus was lost it goes to the panel, so the next Tab reaches
/// the first control of what it shows now.
pub fn focus_panel_if_lost() {
    after_next_paint(move || {
        let Some(doc) = document() else { return };
        let lost = doc.active_element().is_none_or(|a| a.tag_name() == "BODY");
        if !lost {
            return;
        }
        if let Some(el) = doc.get_element_by_id(crate::ui::live::PANEL_BODY) {
            focus(&el);
        }
    });
}
