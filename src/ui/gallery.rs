//! The pattern gallery (an overlay listing every ready-made pattern) and the About panel
//! that explains the pattern on the canvas: what it is for, what to watch, what to try.

use crate::gallery::{catalog, Pattern};
use yew::prelude::*;

/// Props of [`GalleryOverlay`].
#[derive(Properties, PartialEq, Clone)]
pub struct GalleryProps {
    /// Opens a pattern by id.
    pub on_open: Callback<&'static str>,
    /// Closes the overlay.
    pub on_close: Callback<()>,
}

/// A small picture of a pattern's diagram: its nodes as boxes coloured by kind and its
/// edges as lines between their centres (decoration: the title says what it is).
fn thumbnail(s: &crate::core::scenario::Scenario) -> Html {
    use crate::editor::geometry::node_size;
    let Some(bounds) = crate::editor::geometry::diagram_bounds(s) else {
        return html! {};
    };
    let centre = |id: &str| {
        s.node(id).map(|n| {
            let (w, h) = node_size(n.kind());
            (n.x + w / 2.0, n.y + h / 2.0)
        })
    };
    let view = format!(
        "{} {} {} {}",
        bounds.x - 20.0,
        bounds.y - 20.0,
        bounds.w + 40.0,
        bounds.h + 40.0
    );
    html! {
        <svg class="gallery-thumb" viewBox={view} preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false">
            { for s.edges.iter().filter_map(|e| {
                let ((x1, y1), (x2, y2)) = (centre(&e.from)?, centre(&e.to)?);
                Some(html! { <line class={classes!("thumb-edge", e.kind.as_str())} x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} /> })
            }) }
            { for s.nodes.iter().map(|n| {
                let (w, h) = node_size(n.kind());
                html! { <rect class={classes!("thumb-node", n.kind().as_str())} x={n.x.to_string()} y={n.y.to_string()} width={w.to_string()} height={h.to_string()} rx="10" /> }
            }) }
        </svg>
    }
}

/// The gallery overlay.
#[function_component(GalleryOverlay)]
pub fn gallery_overlay(p: &GalleryProps) -> Html {
    // A modal dialog for the keyboard (focus inside, Escape closes it, as a click on the
    // backdrop does).
    let dialog = use_node_ref();
    super::modal::use_modal(dialog.clone(), p.on_close.clone());
    let on_backdrop = {
        let on_close = p.on_close.clone();
        // Yew delegates events, so compare the target with the overlay itself (not
        // with the listening element).
        Callback::from(move |e: MouseEvent| {
            use wasm_bindgen::JsCast;
            let on_backdrop = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| el.class_list().contains("overlay"));
            if on_backdrop {
                on_close.emit(());
            }
        })
    };
    // Pictures of every pattern, drawn once per opening.
    let thumbs = use_memo((), |_| {
        catalog()
            .iter()
            .map(|pat| thumbnail(&pat.scenario()))
            .collect::<Vec<Html>>()
    });
    html! {
        <div ref={dialog} class="overlay" role="dialog" aria-modal="true" aria-label="Pattern gallery" onclick={on_backdrop}>
            <div class="overlay-card gallery">
                <h2>{"Pattern gallery"}</h2>
                <p class="muted">{"Each pattern replaces the diagram (Undo brings yours back) and explains what to watch."}</p>
                <ul class="gallery-list">
                    { for catalog().iter().zip(thumbs.iter()).map(|(pat, thumb)| {
                        let on_open = p.on_open.clone();
                        let id = pat.id;
                        html! {
                            <li>
                                <button type="button" class="gallery-item" data-pattern={id} onclick={Callback::from(move |_| on_open.emit(id))}>
                                    { thumb.clone() }
                                    <span class="gallery-title">{ pat.title }</span>
                                    <span class="gallery-purpose">{ pat.purpose }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                <button type="button" onclick={p.on_close.reform(|_| ())}>{"Close"}</button>
            </div>
        </div>
    }
}

/// Props of [`About`].
#[derive(Properties, PartialEq, Clone)]
pub struct AboutProps {
    /// The pattern shown.
    pub pattern: &'static Pattern,
    /// The diagram's name (the pattern's title, or the stress diagram at its size).
    pub title: AttrValue,
}

/// What the pattern on the canvas is about.
#[function_component(About)]
pub fn about(p: &AboutProps) -> Html {
    let pat = p.pattern;
    html! {
        <section class="about" aria-label="About this pattern">
            <h2>{ p.title.clone() }</h2>
            <h3>{"What it is for"}</h3>
            <p>{ pat.purpose }</p>
            <h3>{"What to watch"}</h3>
            <p>{ pat.watch }</p>
            <h3>{"Try this"}</h3>
            <p>{ pat.try_this }</p>
        </section>
    }
}
