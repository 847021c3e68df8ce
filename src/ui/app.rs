//! The application shell: header, canvas area, side panel and status bar.

use yew::prelude::*;

/// Product name shown in the header and the document title.
pub const PRODUCT_NAME: &str = "Queue Playground";

/// Root component.
#[function_component(App)]
pub fn app() -> Html {
    html! {
        <div class="shell">
            <header class="shell-header">
                <span class="logo" aria-hidden="true">{"⇶"}</span>
                <h1>{ PRODUCT_NAME }</h1>
                <span class="tagline">{"Design message flows, press play, watch them move."}</span>
            </header>
            <main class="shell-main">
                <section id="canvas" class="canvas" aria-label="Canvas">
                    <p class="canvas-empty">{"The canvas is empty."}</p>
                </section>
                <aside class="side-panel" aria-label="Side panel">
                    <h2>{"Inspector"}</h2>
                    <p class="muted">{"Nothing selected."}</p>
                </aside>
            </main>
            <footer id="stats" class="status-bar" aria-label="Status">
                <span>{"t = 0.000 s"}</span>
                <span>{"published 0"}</span>
            </footer>
        </div>
    }
}
