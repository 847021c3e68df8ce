//! The app mounts and shows its shell.

use wasm_bindgen_test::wasm_bindgen_test;

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
async fn app_mounts_and_shows_its_shell() {
    let root = document().create_element("div").unwrap();
    root.set_id("test-root");
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<queue_playground::ui::App>::with_root(root.clone()).render();
    // Let Yew's scheduler run the first render.
    gloo_timers::future::TimeoutFuture::new(0).await;

    let header = root.query_selector("header h1").unwrap().expect("a header");
    assert_eq!(header.text_content().unwrap(), "Queue Playground");
    assert!(
        root.query_selector("#canvas").unwrap().is_some(),
        "#canvas present"
    );
    assert!(
        root.query_selector("aside.side-panel").unwrap().is_some(),
        "side panel present"
    );
    let stats = root
        .query_selector("#stats")
        .unwrap()
        .expect("#stats present");
    assert!(stats.text_content().unwrap().contains("t = 0"));
}
