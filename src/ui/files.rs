//! Files the user keeps: download text (scenario JSON, definitions.json), read an
//! uploaded file with a size cap, and export the diagram as SVG or PNG.

use crate::core::scenario::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Blob, BlobPropertyBag, CssStyleSheet, Element, HtmlAnchorElement, HtmlCanvasElement,
    HtmlImageElement, Url,
};

/// Largest file accepted for upload (definitions files can be larger than scenarios).
pub const MAX_UPLOAD_BYTES: f64 = 20.0 * 1024.0 * 1024.0;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Offers `url` as a download named `name`.
fn download_url(name: &str, url: &str) -> Result<(), String> {
    let doc = document().ok_or("no document")?;
    let a: HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "cannot create a link")?
        .unchecked_into();
    a.set_href(url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Offers `text` as a file named `name` of type `mime`.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "cannot make the file")?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| "cannot make the file")?;
    let result = download_url(name, &url);
    let _ = Url::revoke_object_url(&url);
    result
}

/// Reads an uploaded file as text, refusing files over [`MAX_UPLOAD_BYTES`].
pub async fn read_text(file: web_sys::File) -> Result<String, String> {
    if file.size() > MAX_UPLOAD_BYTES {
        return Err(format!(
            "{} is {:.1} MB; files over {:.0} MB are not loaded",
            file.name(),
            file.size() / 1_048_576.0,
            MAX_UPLOAD_BYTES / 1_048_576.0
        ));
    }
    // The bytes, not `text()`: that replaces bytes that are not UTF-8 with U+FFFD, so
    // names would change silently; such a file is refused, as `qp` refuses it.
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{} could not be read", file.name()))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (byte {} is not): save it as UTF-8 and open it again",
            file.name(),
            e.utf8_error().valid_up_to() + 1
        )
    })?;
    // A byte-order mark is not part of the JSON (`text()` dropped it too).
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// The CSS rules that style the diagram (the theme's variables, nodes, edges, labels,
/// frames),
/// so an exported SVG looks like the canvas without carrying the app's own styles.
fn page_css() -> String {
    let mut css = String::new();
    let Some(sheets) = document().map(|d| d.style_sheets()) else {
        return css;
    };
    for i in 0..sheets.length() {
        let Some(sheet) = sheets
            .item(i)
            .and_then(|s| s.dyn_into::<CssStyleSheet>().ok())
        else {
            continue;
        };
        let Ok(rules) = sheet.css_rules() else {
            continue;
        };
        for j in 0..rules.length() {
            if let Some(rule) = rules.item(j) {
                let text = rule.css_text();
                let diagram = text.starts_with(":root")
                    || text.starts_with(".node")
                    || text.starts_with(".edge")
                    || text.starts_with(".frame")
                    || text.starts_with("svg");
                if diagram {
                    css.push_str(&text);
                    css.push('\n');
                }
            }
        }
    }
    css
}

/// The diagram as a standalone SVG document sized to its content, and its size.
pub fn diagram_svg(scenario: &Scenario) -> Result<(String, f64, f64), String> {
    let doc = document().ok_or("no document")?;
    let svg = doc
        .query_selector("#canvas svg.diagram")
        .ok()
        .flatten()
        .ok_or("the canvas is not on the page")?;
    let copy: Element = svg
        .clone_node_with_deep(true)
        .map_err(|_| "cannot copy the diagram")?
        .unchecked_into();
    // Nodes and edges: a back edge that loops outside the nodes is not cut off.
    let bounds = crate::editor::geometry::diagram_bounds(scenario).ok_or("the diagram is empty")?;
    let (x0, y0, x1, y1) = (bounds.x, bounds.y, bounds.x + bounds.w, bounds.y + bounds.h);
    let m = 40.0;
    let (x, y, w, h) = (x0 - m, y0 - m, x1 - x0 + 2.0 * m + 60.0, y1 - y0 + 2.0 * m);
    if let Ok(Some(vp)) = copy.query_selector("g.viewport") {
        let _ = vp.set_attribute("transform", "");
    }
    // In the theme on screen: the copy carries `data-theme`, so the `:root` rules of
    // that theme apply to it as its own root, and its background is the canvas colour.
    let theme = crate::ui::theme::current();
    for (k, v) in [
        ("xmlns", "http://www.w3.org/2000/svg"),
        ("viewBox", &format!("{x} {y} {w} {h}")),
        ("width", &format!("{w}")),
        ("height", &format!("{h}")),
        ("class", "diagram"),
        ("data-theme", &theme),
    ] {
        let _ = copy.set_attribute(k, v);
    }
    let canvas_colour = if theme == "light" {
        "#f8fafc"
    } else {
        "#0b1222"
    };
    let style = doc
        .create_element_ns(Some("http://www.w3.org/2000/svg"), "style")
        .map_err(|_| "cannot style the copy")?;
    style.set_text_content(Some(&format!(
        "{}\nsvg.diagram {{ background: {canvas_colour}; font-family: system-ui, sans-serif; }}",
        page_css()
    )));
    let _ = copy.prepend_with_node_1(&style);
    let bg = doc
        .create_element_ns(Some("http://www.w3.org/2000/svg"), "rect")
        .map_err(|_| "cannot style the copy")?;
    for (k, v) in [
        ("x", x.to_string()),
        ("y", y.to_string()),
        ("width", w.to_string()),
        ("height", h.to_string()),
        ("fill", canvas_colour.into()),
    ] {
        let _ = bg.set_attribute(k, &v);
    }
    let _ = style.after_with_node_1(&bg);
    let text = web_sys::XmlSerializer::new()
        .map_err(|_| "cannot serialise")?
        .serialize_to_string(&copy)
        .map_err(|_| "cannot serialise")?;
    Ok((text, w, h))
}

/// Renders the diagram to PNG (2× scale) and offers it as `name`; `done` gets the outcome.
pub fn download_png(
    scenario: &Scenario,
    name: &str,
    done: impl FnOnce(Result<(), String>) + 'static,
) {
    let (svg, w, h) = match diagram_svg(scenario) {
        Ok(x) => x,
        Err(e) => return done(Err(e)),
    };
    let Ok(img) = HtmlImageElement::new() else {
        return done(Err("cannot make an image".into()));
    };
    let url = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&svg))
    );
    let name = name.to_string();
    let image = img.clone();
    let mut done = Some(done);
    let onload = Closure::once(move || {
        let result = (|| -> Result<(), String> {
            let doc = document().ok_or("no document")?;
            let canvas: HtmlCanvasElement = doc
                .create_element("canvas")
                .map_err(|_| "no canvas")?
                .unchecked_into();
            canvas.set_width((w * 2.0) as u32);
            canvas.set_height((h * 2.0) as u32);
            let ctx: web_sys::CanvasRenderingContext2d = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .ok_or("no 2d context")?
                .unchecked_into();
            let _ = ctx.scale(2.0, 2.0);
            ctx.draw_image_with_html_image_element(&image, 0.0, 0.0)
                .map_err(|_| "cannot draw the diagram")?;
            let data = canvas
                .to_data_url_with_type("image/png")
                .map_err(|_| "cannot encode PNG")?;
            download_url(&name, &data)
        })();
        if let Some(d) = done.take() {
            d(result);
        }
    });
    img.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    img.set_src(&url);
}
