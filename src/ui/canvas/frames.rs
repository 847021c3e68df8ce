//! Frames on the canvas: a dashed box around each frame's nodes with its name and, while
//! the diagram runs, its scoreboard (published, processed, duplicates, out of order,
//! lost, p99 latency) on the same line.

use crate::core::model::kind_info;
use crate::core::scenario::{Node, Scenario};
use crate::core::simulation::frames::FrameReport;
use yew::prelude::*;

/// Room around the framed nodes, and above them for the name.
const PAD: f64 = 12.0;
const TITLE: f64 = 20.0;

/// The scoreboard line of a frame's figures.
pub fn scoreboard(r: &FrameReport) -> String {
    let mut parts = Vec::new();
    if r.published > 0 {
        parts.push(format!("published {}", r.published));
    }
    parts.push(format!("processed {}", r.processed));
    parts.push(format!("duplicates {}", r.duplicates));
    if r.out_of_order > 0 {
        parts.push(format!("out of order {}", r.out_of_order));
    }
    parts.push(format!("lost {}", r.lost_total()));
    parts.push(format!("p99 {:.0} ms", r.p99_ms));
    parts.join(" · ")
}

/// Every frame of `s`, nodes placed by `place`, with their figures when running.
pub fn frames(s: &Scenario, place: &dyn Fn(&Node) -> (f64, f64), figures: &[FrameReport]) -> Html {
    let boxes = s.frames.iter().enumerate().filter_map(|(i, f)| {
        let mut b: Option<(f64, f64, f64, f64)> = None;
        for n in s.nodes.iter().filter(|n| f.nodes.contains(&n.id)) {
            let (x, y) = place(n);
            let (w, h) = kind_info(n.kind()).size;
            b = Some(match b {
                None => (x, y, x + w, y + h),
                Some((a, c, d, e)) => (a.min(x), c.min(y), d.max(x + w), e.max(y + h)),
            });
        }
        let (x0, y0, x1, y1) = b?;
        let (x, y) = (x0 - PAD, y0 - PAD - TITLE);
        let (w, h) = (x1 - x0 + 2.0 * PAD, y1 - y0 + 2.0 * PAD + TITLE);
        let figures = figures.get(i);
        let lost = figures.is_some_and(|r| r.lost_total() > 0 || r.duplicates > 0 || r.out_of_order > 0);
        let text = match figures {
            Some(r) => format!("{} — {}", f.name, scoreboard(r)),
            None => f.name.clone(),
        };
        Some(html! {
            <g class={classes!("frame", lost.then_some("troubled"))} data-frame={f.name.clone()}
                aria-label={format!("frame {}", f.name)} role="group">
                <rect x={format!("{x:.1}")} y={format!("{y:.1}")} width={format!("{w:.1}")} height={format!("{h:.1}")} rx="10" />
                <text x={format!("{:.1}", x + 10.0)} y={format!("{:.1}", y + 15.0)}
                    data-processed={figures.map(|r| r.processed.to_string())}
                    data-duplicates={figures.map(|r| r.duplicates.to_string())}
                    data-lost={figures.map(|r| r.lost_total().to_string())}
                    data-out-of-order={figures.map(|r| r.out_of_order.to_string())}>
                    { text }
                </text>
            </g>
        })
    });
    html! { <g class="frames">{ for boxes }</g> }
}
