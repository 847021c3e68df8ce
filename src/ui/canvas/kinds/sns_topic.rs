//! The SNS topic node's view: its outline, its published / delivered / filtered
//! figures, the summary under its name and its inspector form.

use super::n;
use crate::core::model::status::NodeStatus;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::*;
use crate::ui::canvas::NodeCounters;
use crate::ui::inspector::fields::CheckField;
use crate::ui::inspector::{fifo_commit, node_commit};
use crate::ui::state::EditorState;
use yew::prelude::*;

/// The outline at (x, y), in absolute coordinates: a rounded box with a fan mark.
pub fn shape(x: f64, y: f64, w: f64, h: f64) -> Html {
    html! { <rect class="shape" x={n(x)} y={n(y)} width={n(w)} height={n(h)} rx="18" /> }
}

/// The figures under the name.
pub fn figures(c: &NodeCounters, x: f64, y: f64) -> Html {
    let Some(NodeStatus::SnsTopic {
        published,
        delivered,
        filtered_out,
    }) = c.store.as_deref()
    else {
        return html! {};
    };
    let mut line = format!("in {published} · out {delivered}");
    if *filtered_out > 0 {
        line.push_str(&format!(" · filtered {filtered_out}"));
    }
    // A long line is squeezed into the box (as a consumer's is), not run past it.
    let (w, _) = crate::core::model::kind_info(NodeKind::SnsTopic).size;
    let room = w - 48.0;
    let squeeze = line.chars().count() as f64 * 5.5 > room;
    html! {
        <text class="counters" x={n(x + 36.0)} y={n(y + 44.0)} data-published={published.to_string()}
            textLength={squeeze.then(|| n(room))}
            lengthAdjust={squeeze.then_some("spacingAndGlyphs")}>
            <title>{ format!("published {published} · copies delivered to subscriptions {delivered} · kept out by filter policies {filtered_out}") }</title>
            { line }
        </text>
    }
}

/// The summary under the name when no run shows figures.
pub fn detail(node: &Node) -> String {
    let t = node.sns_topic_spec();
    if t.fifo && !t.content_based_dedup {
        "FIFO topic · ids required".into()
    } else if t.fifo {
        "FIFO topic".into()
    } else {
        "standard topic".into()
    }
}

/// The inspector form's topic settings.
pub fn form(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let t = n.sns_topic_spec();
    let flag = |set: fn(&mut SnsTopicSpec, bool)| {
        node_commit(s, n.id.as_str(), move |n: &mut Node, v: bool| {
            let mut t = n.sns_topic_spec();
            set(&mut t, v);
            n.spec = NodeSpec::SnsTopic(t);
            Ok(())
        })
    };
    html! {
        <>
            <CheckField label="FIFO topic (delivers only to FIFO queues, which switch with it; names get .fifo)" value={t.fifo}
                on_commit={fifo_commit(s, n.id.as_str())} />
            if t.fifo {
                <CheckField label="Content-based deduplication (a publish without a deduplication id gets one from its message; off, it is refused)" value={t.content_based_dedup}
                    on_commit={flag(|t, v| t.content_based_dedup = v)} />
            }
        </>
    }
}
