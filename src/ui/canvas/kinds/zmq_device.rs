//! The ZeroMQ device node's view: its outline, what it forwarded and what waits in its
//! input pipes, the summary under its name and its inspector form (its mode).

use super::{n, opts};
use crate::core::model::status::NodeStatus;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::*;
use crate::ui::canvas::NodeCounters;
use crate::ui::inspector::fields::SelectField;
use crate::ui::inspector::node_commit;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// The outline at (x, y), in absolute coordinates: a hexagon-like box.
pub fn shape(x: f64, y: f64, w: f64, h: f64) -> Html {
    let points = format!(
        "{},{} {},{} {},{} {},{} {},{} {},{}",
        x + 12.0,
        y,
        x + w - 12.0,
        y,
        x + w,
        y + h / 2.0,
        x + w - 12.0,
        y + h,
        x + 12.0,
        y + h,
        x,
        y + h / 2.0
    );
    html! { <polygon class="shape" points={points} /> }
}

/// The figures under the name.
pub fn figures(c: &NodeCounters, x: f64, y: f64) -> Html {
    let Some(NodeStatus::ZmqDevice {
        forwarded,
        waiting,
        lru,
    }) = c.store.as_deref()
    else {
        return html! {};
    };
    html! {
        <text class="counters" x={n(x + 36.0)} y={n(y + 44.0)} data-forwarded={forwarded.to_string()} data-waiting={waiting.to_string()}>
            <title>{ if *lru {
                "least-recently-used: a worker gets a message only when it is ready (holds nothing)"
            } else {
                "round-robin: every connected worker in turn, busy or not"
            } }</title>
            { format!("out {forwarded} · waiting {waiting}") }
        </text>
    }
}

/// The summary under the name when no run shows figures.
pub fn detail(node: &Node) -> String {
    match node.zmq_device_spec().mode {
        DeviceMode::RoundRobin => "round-robin".into(),
        DeviceMode::LeastRecentlyUsed => "least-recently-used".into(),
    }
}

/// The inspector form's device settings.
pub fn form(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let d = n.zmq_device_spec();
    let commit = node_commit(s, n.id.as_str(), |n: &mut Node, v: String| {
        let mode = if v == "least-recently-used" {
            DeviceMode::LeastRecentlyUsed
        } else {
            DeviceMode::RoundRobin
        };
        n.spec = NodeSpec::ZmqDevice(ZmqDeviceSpec { mode });
        Ok(())
    });
    html! {
        <SelectField label="Distribution" value={d.mode.as_str()}
            options={opts(&[("round-robin", "round-robin (blind push)"), ("least-recently-used", "least-recently-used (workers say ready)")])}
            on_commit={commit} />
    }
}
