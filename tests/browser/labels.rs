//! Labels are text: markup in a node name is shown literally, never parsed.

use queue_playground::core::scenario::{Node, NodeKind, Scenario};
use queue_playground::editor::geometry::Viewport;
use queue_playground::editor::persist::{encode, AUTOSAVE_KEY};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn markup_in_a_label_renders_as_text() {
    let evil = "<img src=x onerror=alert(1)>";
    let mut s = Scenario::empty();
    s.nodes.push(Node::new("q", NodeKind::Queue, evil));
    let window = web_sys::window().unwrap();
    let storage = window.local_storage().unwrap().unwrap();
    storage
        .set_item(AUTOSAVE_KEY, &encode(&s, &Viewport::default()))
        .unwrap();

    let document = window.document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<queue_playground::ui::App>::with_root(root.clone()).render();
    gloo_timers::future::TimeoutFuture::new(50).await;

    let label = root
        .query_selector("g[data-node-id=\"q\"] .label")
        .unwrap()
        .expect("the node is drawn");
    // Too long for its box squeezed to half width, it is cut with "…"; the whole text
    // is its title (shown on hover), as text too.
    let title = label
        .query_selector("title")
        .unwrap()
        .expect("a cut name keeps its whole text as a title");
    assert_eq!(title.text_content().unwrap(), evil);
    let shown = label.last_child().unwrap().text_content().unwrap();
    assert!(
        shown.starts_with("<img src=x") && shown.ends_with('…'),
        "{shown}"
    );
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "no element was created from the label"
    );
    let group = root
        .query_selector("g[data-node-id=\"q\"]")
        .unwrap()
        .unwrap();
    assert_eq!(group.get_attribute("aria-label").unwrap(), evil);
    storage.remove_item(AUTOSAVE_KEY).unwrap();
}
