//! The palette: one button per row of the `KINDS` table, grouped by system (clients,
//! RabbitMQ, Kafka). A click adds
//! the node at the centre of the view; dragging a button onto the canvas drops the
//! node where it is released.

use crate::core::model::kinds::Family;
use crate::core::model::KINDS;
use crate::core::scenario::NodeKind;
use web_sys::PointerEvent;
use yew::prelude::*;

/// Props of [`Palette`].
#[derive(Properties, PartialEq, Clone)]
pub struct PaletteProps {
    /// A click: add at the view centre.
    pub on_add: Callback<NodeKind>,
    /// A press that may become a drag.
    pub on_press: Callback<(NodeKind, PointerEvent)>,
}

/// The palette.
#[function_component(Palette)]
pub fn palette(p: &PaletteProps) -> Html {
    // Kinds grouped by the system they belong to, groups in the order they first
    // appear in the table.
    let mut families: Vec<Family> = Vec::new();
    for info in KINDS.iter() {
        if !families.contains(&info.family) {
            families.push(info.family);
        }
    }
    html! {
        <nav class="palette" aria-label="Palette">
            { for families.into_iter().map(|family| html! {
            <div class="palette-group" role="group" aria-label={family.label()}>
            <span class="palette-heading" aria-hidden="true">{ family.label() }</span>
            { for KINDS.iter().filter(|k| k.family == family).map(|info| {
                let (kind, name, icon, what) = (info.kind, info.label, info.icon, info.blurb);
                let on_add = p.on_add.clone();
                let on_press = p.on_press.clone();
                html! {
                    <button type="button" class={classes!("palette-item", kind.as_str())} aria-label={name} title={format!("{name}: {what}. Click to add, or drag onto the canvas.")}
                        onclick={Callback::from(move |_| on_add.emit(kind))}
                        onpointerdown={Callback::from(move |e: PointerEvent| on_press.emit((kind, e)))}>
                        <span class="palette-icon" aria-hidden="true">{ icon }</span>
                        <span class="palette-name" aria-hidden="true">{ name }</span>
                    </button>
                }
            }) }
            </div>
            }) }
        </nav>
    }
}
