//! Drawing messages on the overlay `<canvas>`: interpolated positions stamped as pixels
//! (one copy to the canvas per frame), and fading marks where messages died.

use crate::editor::geometry::Viewport;
use crate::playback::dots::DotStyle;
use crate::playback::raster::{rgb, Band, DotRaster, Stamp};
use crate::playback::thin::Thinning;
use crate::playback::Playback;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Producer colours, in order of first publish.
pub const PRODUCER_COLOURS: [&str; 6] = [
    "#34d399", "#38bdf8", "#f472b6", "#a3e635", "#facc15", "#c4b5fd",
];
/// Colour of redelivered messages.
pub const REDELIVERED_COLOUR: &str = "#fb923c";
/// Colour of dead-lettered messages.
pub const DEAD_LETTER_COLOUR: &str = "#ef4444";

fn slot(style: DotStyle) -> usize {
    match style {
        DotStyle::Producer(i) => (i as usize) % PRODUCER_COLOURS.len(),
        DotStyle::Redelivered => 6,
        DotStyle::DeadLettered => 7,
    }
}

fn colour(slot: usize) -> &'static str {
    match slot {
        6 => REDELIVERED_COLOUR,
        7 => DEAD_LETTER_COLOUR,
        i => PRODUCER_COLOURS[i],
    }
}

/// Device pixel ratio and the backing-store size a canvas needs for its CSS size.
pub(super) fn backing_size(canvas: &HtmlCanvasElement) -> (f64, (u32, u32)) {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0);
    let (w, h) = (
        canvas.client_width().max(1) as f64,
        canvas.client_height().max(1) as f64,
    );
    (dpr, ((w * dpr) as u32, (h * dpr) as u32))
}

/// The canvas's 2D context.
pub(super) fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// The dot buffer and what the last frame put on the canvas.
#[derive(Default)]
pub struct Painter {
    raster: DotRaster,
    /// Colours by style slot, as RGB.
    colours: Option<[[u8; 3]; 8]>,
    /// This frame's dots in device pixels (kept between frames for its capacity).
    stamps: Vec<Stamp>,
    /// Which slots of each edge have a dot this frame.
    thinning: Thinning,
    /// Something was drawn last frame (so the canvas must be cleared).
    painted: bool,
    /// Death marks were drawn last frame (they are vector strokes over the dots).
    rings: bool,
}

impl Painter {
    /// Draws one frame; returns the number of dots drawn.
    ///
    /// The dots are stamped into a pixel buffer (see [`DotRaster`]) and the band they
    /// and last frame's dots cover is copied to the canvas with one `putImageData`; the
    /// few fading death marks are stroked over it.
    pub fn paint(
        &mut self,
        canvas: &HtmlCanvasElement,
        playback: Option<&Playback>,
        vp: &Viewport,
    ) -> usize {
        // Nothing to draw now and nothing drawn last time: leave the canvas alone, and do
        // not even read its size (that would force a layout in every frame).
        let idle =
            playback.is_none_or(|pb| pb.tracker.dots.is_empty() && pb.tracker.deaths.is_empty());
        if idle && !self.painted {
            return 0;
        }
        let (dpr, want) = backing_size(canvas);
        if (canvas.width(), canvas.height()) != want {
            canvas.set_width(want.0);
            canvas.set_height(want.1);
        }
        let Some(ctx) = context_2d(canvas) else {
            return 0;
        };
        let colours = *self.colours.get_or_insert_with(|| {
            let mut c = [[0u8; 3]; 8];
            for (i, slot) in c.iter_mut().enumerate() {
                *slot = rgb(colour(i));
            }
            c
        });
        let scale = vp.zoom * dpr;
        let last = self.raster.begin(want.0, want.1, 3.5 * scale);
        let mut drawn = 0;
        if let Some(pb) = playback {
            self.stamps.clear();
            let (dx, dy) = (vp.x * dpr, vp.y * dpr);
            let stamps = &mut self.stamps;
            drawn = pb.thinned_dots(scale, &mut self.thinning, |d| {
                let i = slot(d.style);
                stamps.push(Stamp {
                    x: (d.x * scale + dx) as f32,
                    y: (d.y * scale + dy) as f32,
                    colour: i as u8,
                    // Redelivered, then dead-lettered, over the rest.
                    layer: i.saturating_sub(5) as u8,
                });
            });
            self.raster.paint(&self.stamps, &colours);
        }
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        if self.rings {
            ctx.clear_rect(0.0, 0.0, want.0 as f64, want.1 as f64);
        }
        let band = match (last, self.raster.touched()) {
            (Some(a), Some(b)) => Some(a.union(b)),
            (a, b) => a.or(b),
        };
        if let Some(band) = band {
            self.put(&ctx, band);
        }
        self.rings = false;
        self.painted = drawn > 0;
        let Some(pb) = playback else { return drawn };
        let _ = ctx.set_transform(scale, 0.0, 0.0, scale, vp.x * dpr, vp.y * dpr);

        // Where messages died: a ring that widens and fades.
        let now = pb.render_us;
        let span = crate::playback::dots::DEATH_MARK_US as f64;
        for death in &pb.tracker.deaths {
            let age = ((now - death.at.0 as f64) / span).clamp(0.0, 1.0);
            if age >= 1.0 {
                continue;
            }
            let Some(c) = pb.geometry.centre(death.node) else {
                continue;
            };
            ctx.set_global_alpha(1.0 - age);
            ctx.set_stroke_style_str(if death.expired {
                "#94a3b8"
            } else {
                DEAD_LETTER_COLOUR
            });
            ctx.begin_path();
            let _ = ctx.arc(
                c.x,
                c.y - 40.0,
                6.0 + 14.0 * age,
                0.0,
                std::f64::consts::TAU,
            );
            ctx.stroke();
            self.rings = true;
        }
        ctx.set_global_alpha(1.0);
        self.painted = drawn > 0 || !pb.tracker.deaths.is_empty();
        drawn
    }

    /// Copies `band` of the dot buffer to the canvas.
    fn put(&self, ctx: &CanvasRenderingContext2d, band: Band) {
        let rows = self.raster.rows(band.y0, band.y1);
        // A view of the buffer where it lies in the module's memory: no copy until
        // `putImageData` (nothing allocates in between, so the memory cannot move).
        let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>();
        let bytes = js_sys::Uint8ClampedArray::new_with_byte_offset_and_length(
            &memory.buffer(),
            rows.as_ptr() as u32,
            (rows.len() * 4) as u32,
        );
        let Ok(image) = ImageData::new_with_js_u8_clamped_array_and_sh(
            &bytes,
            self.raster.width(),
            band.height(),
        ) else {
            return;
        };
        let _ = ctx.put_image_data_with_dirty_x_and_dirty_y_and_dirty_width_and_dirty_height(
            &image,
            0.0,
            band.y0 as f64,
            band.x0 as f64,
            0.0,
            band.width() as f64,
            band.height() as f64,
        );
    }
}
