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

/// The gallery overlay.
#[function_component(GalleryOverlay)]
pub fn gallery_overlay(p: &GalleryProps) -> Html {
    // Escape closes it, as a click on the backdrop does.
    {
        let on_close = p.on_close.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "keydown", move |e| {
                    use wasm_bindgen::JsCast;
                    if e.dyn_ref::<web_sys::KeyboardEvent>()
                        .is_some_and(|k| k.key() == "Escape")
                    {
                        on_close.emit(());
                    }
                })
            });
            move || drop(listener)
        });
    }
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
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-label="Pattern gallery" onclick={on_backdrop}>
            <div class="overlay-card gallery">
                <h2>{"Pattern gallery"}</h2>
                <p class="muted">{"Each pattern replaces the diagram (Undo brings yours back) and explains what to watch."}</p>
                <ul class="gallery-list">
                    { for catalog().iter().map(|pat| {
                        let on_open = p.on_open.clone();
                        let id = pat.id;
                        html! {
                            <li>
                                <button type="button" class="gallery-item" data-pattern={id} onclick={Callback::from(move |_| on_open.emit(id))}>
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
}

/// What the pattern on the canvas is about.
#[function_component(About)]
pub fn about(p: &AboutProps) -> Html {
    let pat = p.pattern;
    html! {
        <section class="about" aria-label="About this pattern">
            <h2>{ pat.title }</h2>
            <h3>{"What it is for"}</h3>
            <p>{ pat.purpose }</p>
            <h3>{"What to watch"}</h3>
            <p>{ pat.watch }</p>
            <h3>{"Try this"}</h3>
            <p>{ pat.try_this }</p>
        </section>
    }
}
