//! Drawing messages on the overlay `<canvas>`: one path per style (no per-dot state
//! changes), interpolated positions, and fading marks where messages died.

use crate::editor::geometry::Viewport;
use crate::playback::dots::DotStyle;
use crate::playback::Playback;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

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

/// Reusable per-style coordinate buffers.
#[derive(Default)]
pub struct Painter {
    buckets: [Vec<(f64, f64)>; 8],
    size: (u32, u32),
    /// Something was drawn last frame (so the canvas must be cleared).
    painted: bool,
}

impl Painter {
    /// Draws one frame; returns the number of dots drawn.
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
        if self.size != want {
            canvas.set_width(want.0);
            canvas.set_height(want.1);
            self.size = want;
        }
        let Some(ctx) = context_2d(canvas) else {
            return 0;
        };
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, want.0 as f64, want.1 as f64);
        self.painted = false;
        let Some(pb) = playback else { return 0 };
        let _ = ctx.set_transform(
            vp.zoom * dpr,
            0.0,
            0.0,
            vp.zoom * dpr,
            vp.x * dpr,
            vp.y * dpr,
        );

        for b in self.buckets.iter_mut() {
            b.clear();
        }
        for d in pb.drawn_dots() {
            self.buckets[slot(d.style)].push((d.x, d.y));
        }
        let mut drawn = 0;
        let r = 3.5;
        for (i, b) in self.buckets.iter().enumerate() {
            if b.is_empty() {
                continue;
            }
            ctx.set_fill_style_str(colour(i));
            ctx.begin_path();
            for &(x, y) in b {
                ctx.rect(x - r, y - r, 2.0 * r, 2.0 * r);
            }
            ctx.fill();
            drawn += b.len();
        }

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
        }
        ctx.set_global_alpha(1.0);
        self.painted = drawn > 0 || !pb.tracker.deaths.is_empty();
        drawn
    }
}
