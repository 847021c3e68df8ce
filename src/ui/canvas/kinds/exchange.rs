//! The exchange node's view: its outline on the canvas, its live figures, the summary
//! under its name and its inspector form.

use super::opts;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::*;
use crate::ui::canvas::NodeCounters;
use crate::ui::inspector::fields::{CheckField, SelectField};
use crate::ui::inspector::node_commit;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// The outline at (x, y), in absolute coordinates.
pub fn shape(x: f64, y: f64, w: f64, h: f64) -> Html {
    let points = format!(
        "{},{y} {},{y} {},{} {},{} {},{} {x},{}",
        x + 16.0,
        x + w - 16.0,
        x + w,
        y + h / 2.0,
        x + w - 16.0,
        y + h,
        x + 16.0,
        y + h,
        y + h / 2.0
    );
    html! { <polygon class="shape" points={points} /> }
}

/// The live figures under the name: an exchange holds nothing, so none.
pub fn figures(_c: &NodeCounters, _x: f64, _y: f64) -> Html {
    html! {}
}

/// The summary under the name when no run shows figures.
pub fn detail(node: &Node) -> String {
    if node.name.is_empty() {
        return "default exchange".into();
    }
    let spec = node.exchange_spec();
    let kind = spec.kind.as_str();
    if spec.internal {
        format!("{kind} · internal")
    } else {
        kind.into()
    }
}

/// The inspector form's exchange settings.
pub fn form(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let spec = n.exchange_spec();
    let commit = node_commit(s, &n.id, |n: &mut Node, v: String| {
        let kind = match v.as_str() {
            "direct" => ExchangeType::Direct,
            "fanout" => ExchangeType::Fanout,
            "topic" => ExchangeType::Topic,
            "headers" => ExchangeType::Headers,
            other => return Err(format!("unknown exchange type {other}")),
        };
        n.spec = NodeSpec::Exchange(ExchangeSpec {
            kind,
            ..n.exchange_spec()
        });
        Ok(())
    });
    let internal = node_commit(s, &n.id, |n: &mut Node, v: bool| {
        n.spec = NodeSpec::Exchange(ExchangeSpec {
            internal: v,
            ..n.exchange_spec()
        });
        Ok(())
    });
    html! {
        <>
            <SelectField label="Exchange type" value={spec.kind.as_str()} on_commit={commit}
                options={opts(&[("direct", "direct: exact key"), ("fanout", "fanout: every binding"), ("topic", "topic: * and # patterns"), ("headers", "headers: x-match")])} />
            // The default exchange is never internal.
            if !n.name.is_empty() {
                <CheckField label="Internal (clients cannot publish to it; other exchanges reach it through bindings)" value={spec.internal} on_commit={internal} />
            }
        </>
    }
}
