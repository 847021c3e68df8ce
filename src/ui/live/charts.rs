//! Small live charts drawn on `<canvas>`: messages waiting over time (queue depth,
//! visible, lag, backlog: `playback::depths`), publish/deliver/ack rates, and
//! end-to-end latency p50/p99.

use crate::playback::{rates, Sample};
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

const SERIES_COLOURS: [&str; 6] = [
    "#60a5fa", "#34d399", "#f472b6", "#facc15", "#c4b5fd", "#fb923c",
];

/// One line of a chart.
struct Series {
    name: String,
    colour: &'static str,
    points: Vec<(f64, f64)>,
}

/// Draws `series`; with nothing to draw, says `empty` instead.
fn draw(canvas: &HtmlCanvasElement, series: &[Series], unit: &str, empty: &str) {
    let (dpr, (bw, bh)) = super::draw::backing_size(canvas);
    let (w, h) = (bw as f64 / dpr, bh as f64 / dpr);
    canvas.set_width(bw);
    canvas.set_height(bh);
    let Some(ctx) = super::draw::context_2d(canvas) else {
        return;
    };
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, w, h);
    let all = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    for &(x, y) in all {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let (left, right, top, bottom) = (34.0, 6.0, 6.0, 16.0);
    ctx.set_stroke_style_str("#23324f");
    ctx.set_line_width(1.0);
    ctx.stroke_rect(left, top, w - left - right, h - top - bottom);
    ctx.set_fill_style_str("#94a3b8");
    ctx.set_font("10px ui-monospace, monospace");
    let top_label = if y1 >= 1000.0 {
        format!("{:.1}k", y1 / 1000.0)
    } else {
        format!("{y1:.0}")
    };
    let _ = ctx.fill_text(&top_label, 2.0, top + 8.0);
    let _ = ctx.fill_text("0", 2.0, h - bottom);
    let _ = ctx.fill_text(unit, 2.0, h - 3.0);
    if !x0.is_finite() || x1 <= x0 {
        let _ = ctx.fill_text(empty, left + 8.0, h / 2.0);
        return;
    }
    let _ = ctx.fill_text(&format!("{:.1}s", x1 / 1000.0), w - right - 36.0, h - 3.0);
    let sx = |x: f64| left + (x - x0) / (x1 - x0) * (w - left - right);
    let sy = |y: f64| h - bottom - if y1 > 0.0 { y / y1 } else { 0.0 } * (h - top - bottom);
    ctx.set_line_width(1.5);
    for s in series {
        ctx.set_stroke_style_str(s.colour);
        ctx.begin_path();
        for (i, &(x, y)) in s.points.iter().enumerate() {
            if i == 0 {
                ctx.move_to(sx(x), sy(y));
            } else {
                ctx.line_to(sx(x), sy(y));
            }
        }
        ctx.stroke();
    }
}

/// Props of [`Chart`].
#[derive(Properties, Clone, PartialEq)]
struct ChartProps {
    title: AttrValue,
    unit: AttrValue,
    samples: Rc<Vec<Sample>>,
    kind: u8,
    node_names: Rc<Vec<String>>,
}

fn series_of(p: &ChartProps) -> Vec<Series> {
    let s = &p.samples;
    match p.kind {
        0 => {
            // The nodes where messages wait, as the newest sample lists them.
            let nodes: Vec<u32> = s
                .last()
                .map(|x| x.ready.iter().map(|&(i, _)| i).collect())
                .unwrap_or_default();
            nodes
                .into_iter()
                .take(SERIES_COLOURS.len())
                .enumerate()
                .map(|(k, node)| Series {
                    name: p.node_names.get(node as usize).cloned().unwrap_or_default(),
                    colour: SERIES_COLOURS[k],
                    points: s
                        .iter()
                        .filter_map(|x| {
                            let (_, n) = x.ready.iter().find(|&&(i, _)| i == node)?;
                            Some((x.time_ms, *n as f64))
                        })
                        .collect(),
                })
                .collect()
        }
        1 => {
            let pairs: Vec<(f64, (f64, f64, f64))> = s
                .windows(2)
                .map(|w| (w[1].time_ms, rates(&w[0], &w[1])))
                .collect();
            vec![
                Series {
                    name: "publish/s".into(),
                    colour: SERIES_COLOURS[1],
                    points: pairs.iter().map(|(t, r)| (*t, r.0)).collect(),
                },
                Series {
                    name: "deliver/s".into(),
                    colour: SERIES_COLOURS[0],
                    points: pairs.iter().map(|(t, r)| (*t, r.1)).collect(),
                },
                Series {
                    name: "ack/s".into(),
                    colour: SERIES_COLOURS[4],
                    points: pairs.iter().map(|(t, r)| (*t, r.2)).collect(),
                },
            ]
        }
        _ => vec![
            Series {
                name: "p50".into(),
                colour: SERIES_COLOURS[1],
                points: s.iter().map(|x| (x.time_ms, x.p50_ms)).collect(),
            },
            Series {
                name: "p99".into(),
                colour: SERIES_COLOURS[2],
                points: s.iter().map(|x| (x.time_ms, x.p99_ms)).collect(),
            },
        ],
    }
}

#[function_component(Chart)]
fn chart(p: &ChartProps) -> Html {
    let canvas = use_node_ref();
    {
        let (canvas, p) = (canvas.clone(), p.clone());
        use_effect_with(p.clone(), move |_| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                // Samples but no line: nothing of this kind in the diagram (a chart
                // says "press Play" only before the run has anything to show).
                let empty = if p.kind == 0 && p.samples.len() > 1 {
                    "nothing waits in this diagram"
                } else {
                    "press Play"
                };
                draw(&c, &series_of(&p), &p.unit, empty);
            }
        });
    }
    let legend = series_of(p);
    html! {
        <figure class="chart">
            <figcaption>{ p.title.clone() }</figcaption>
            <canvas ref={canvas} role="img" aria-label={p.title.clone()}></canvas>
            <ul class="chart-legend">
                { for legend.iter().map(|s| html! { <li><span class="swatch" style={format!("background: {}", s.colour)}></span>{ s.name.clone() }</li> }) }
            </ul>
        </figure>
    }
}

/// Props of [`Charts`].
#[derive(Properties, Clone, PartialEq)]
pub struct ChartsProps {
    /// Samples.
    pub samples: Rc<Vec<Sample>>,
    /// What the depth chart calls each node, by node index.
    pub node_names: Rc<Vec<String>>,
    /// The depth chart's title.
    pub depth_title: AttrValue,
}

/// The three charts.
#[function_component(Charts)]
pub fn charts(p: &ChartsProps) -> Html {
    html! {
        <div class="charts" data-samples={p.samples.len().to_string()}>
            <Chart title={p.depth_title.clone()} unit="msgs" kind={0} samples={p.samples.clone()} node_names={p.node_names.clone()} />
            <Chart title="Rates" unit="per s" kind={1} samples={p.samples.clone()} node_names={p.node_names.clone()} />
            <Chart title="End-to-end latency" unit="ms" kind={2} samples={p.samples.clone()} node_names={p.node_names.clone()} />
        </div>
    }
}
