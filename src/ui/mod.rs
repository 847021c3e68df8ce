//! The browser application: Yew components, panic reporting and start-up.

mod after_paint;
mod app;
mod bench;
mod boot;
mod canvas;
mod files;
mod focus_rescue;
mod gallery;
mod help;
mod inspector;
mod link_changes;
mod listeners;
mod live;
mod modal;
mod other_tabs;
mod palette;
mod panic;
pub mod state;
mod storage;
mod theme;
mod toolbar;

pub use app::App;
pub use state::EditorState;

/// Installs the panic reporter and mounts [`App`] into the page's `#app` element
/// (or `<body>` when that element is missing).
pub fn start() {
    panic::install();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    match document.get_element_by_id("app") {
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
    // The loading screen of index.html has done its job.
    if let Some(loading) = document.get_element_by_id("loading") {
        loading.remove();
    }
}
