//! The Kafka topic node's view: its outline, its partitions drawn as lanes (the part
//! of each log still held, from log start to log end, and each group's committed
//! position as a marker), lag and rebalances in its figures, the summary under its
//! name and its inspector form.

use super::{n, opts};
use crate::core::model::status::NodeStatus;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::*;
use crate::ui::canvas::NodeCounters;
use crate::ui::inspector::fields::{SelectField, TextField};
use crate::ui::inspector::node_commit;
use crate::ui::inspector::parse::*;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// Lanes drawn at most (a topic with more partitions shows the first ones and says
/// how many more).
const MAX_LANES: usize = 8;

/// Where the lanes sit inside a `w` × `h` node at (x, y): left, top, width, height.
fn lane_area(x: f64, y: f64, w: f64, h: f64) -> (f64, f64, f64, f64) {
    (x + 36.0, y + 30.0, w - 46.0, h - 50.0)
}

/// The outline at (x, y), in absolute coordinates: a log-like box with the lane area.
pub fn shape(x: f64, y: f64, w: f64, h: f64) -> Html {
    let (lx, ly, lw, lh) = lane_area(x, y, w, h);
    html! {
        <>
            <rect class="shape" x={n(x)} y={n(y)} width={n(w)} height={n(h)} rx="4" />
            <rect class="lanes" x={n(lx)} y={n(ly)} width={n(lw)} height={n(lh)} rx="2" />
        </>
    }
}

/// The partitions as lanes, the groups' markers and the figures line.
pub fn figures(c: &NodeCounters, x: f64, y: f64) -> Html {
    let Some(status) = c.topic.as_deref() else {
        return html! {};
    };
    let NodeStatus::KafkaTopic { partitions, groups } = status else {
        return html! {};
    };
    let (w, h) = crate::core::model::kind_info(NodeKind::KafkaTopic).size;
    let (lx, ly, lw, lh) = lane_area(x, y, w, h);
    let shown = partitions.len().min(MAX_LANES);
    let lane_h = lh / shown.max(1) as f64;
    // One scale for every lane: the longest log end (so lanes compare).
    let end = partitions
        .iter()
        .map(|p| p.log_end)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let at = |offset: u64| lx + lw * (offset as f64 / end).min(1.0);
    let records: u64 = partitions.iter().map(|p| p.records).sum();
    let lag: u64 = groups.iter().map(|g| g.lag).max().unwrap_or(0);
    let rebalancing = groups.iter().any(|g| g.rebalancing);
    let line = if groups.is_empty() {
        format!("records {records}")
    } else if rebalancing {
        format!("records {records} · rebalancing…")
    } else {
        format!("records {records} · lag {lag}")
    };
    let tip = groups
        .iter()
        .map(|g| {
            format!(
                "group {}: generation {}, lag {}{}{}",
                g.name,
                g.generation,
                g.lag,
                if g.rebalancing { ", rebalancing" } else { "" },
                if g.skipped > 0 {
                    format!(", skipped {} (deleted by retention)", g.skipped)
                } else {
                    String::new()
                }
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    html! {
        <>
        { for partitions.iter().take(shown).enumerate().map(|(p, part)| {
            let top = ly + p as f64 * lane_h;
            let (a, b) = (at(part.log_start), at(part.log_end));
            html! {
                <g class="lane" data-partition={p.to_string()} data-log-start={part.log_start.to_string()} data-log-end={part.log_end.to_string()}>
                    <title>{ format!("partition {p}: offsets {} to {}, {} records held", part.log_start, part.log_end, part.records) }</title>
                    <rect class="held" x={n(a)} y={n(top + 1.0)} width={n((b - a).max(0.0))} height={n((lane_h - 2.0).max(1.0))} />
                    { for groups.iter().enumerate().filter_map(|(gi, g)| {
                        let committed = g.committed.get(p).copied().flatten()?;
                        let mx = at(committed);
                        Some(html! {
                            <line class={classes!("group-mark", format!("g{}", gi % 4))} x1={n(mx)} x2={n(mx)} y1={n(top)} y2={n(top + lane_h)} />
                        })
                    }) }
                </g>
            }
        }) }
        if partitions.len() > shown {
            <text class="more" x={n(lx + lw - 2.0)} y={n(ly + lh - 2.0)} text-anchor="end">{ format!("+{}", partitions.len() - shown) }</text>
        }
        <text class={classes!("counters", rebalancing.then_some("rebalancing"))} x={n(x + 36.0)} y={n(y + h - 8.0)}>
            <title>{ if tip.is_empty() { "No consumer group reads this topic yet".to_string() } else { tip } }</title>
            { line }
        </text>
        </>
    }
}

/// The summary under the name when no run shows figures.
pub fn detail(node: &Node) -> String {
    let t = node.kafka_topic_spec();
    let plural = if t.partitions == 1 { "" } else { "s" };
    match t.cleanup_policy {
        CleanupPolicy::Compact => format!("{} partition{plural} · compacted", t.partitions),
        CleanupPolicy::Delete => format!("{} partition{plural}", t.partitions),
    }
}

/// The inspector form's topic settings.
pub fn form(s: &UseReducerHandle<EditorState>, n: &Node) -> Html {
    let t = n.kafka_topic_spec();
    let id = n.id.as_str();
    let with = |f: fn(&mut KafkaTopicSpec, String) -> Result<(), String>| {
        node_commit(s, id, move |n: &mut Node, v: String| {
            let mut spec = n.kafka_topic_spec();
            f(&mut spec, v)?;
            n.spec = NodeSpec::KafkaTopic(spec);
            Ok(())
        })
    };
    let policy = match t.cleanup_policy {
        CleanupPolicy::Delete => "delete",
        CleanupPolicy::Compact => "compact",
    };
    html! {
        <>
            <TextField label="Partitions" value={t.partitions.to_string()} hint="1–64. Order is kept only inside a partition."
                on_commit={with(|t, v| { t.partitions = count_in(&v, 1, MAX_PARTITIONS as u64)? as u32; Ok(()) })} />
            <SelectField label="Cleanup policy" value={policy} options={opts(&[("delete", "delete (retention)"), ("compact", "compact (latest per key)")])}
                on_commit={with(|t, v| { t.cleanup_policy = if v == "compact" { CleanupPolicy::Compact } else { CleanupPolicy::Delete }; Ok(()) })} />
            <TextField label="Retention (ms)" value={show(t.retention_ms)} hint="retention.ms: whole segments older than this are deleted. Empty: forever."
                on_commit={with(|t, v| { t.retention_ms = opt_f64(&v)?; Ok(()) })} />
            <TextField label="Retention bytes" value={show(t.retention_bytes)} hint="retention.bytes per partition. Empty: no limit."
                on_commit={with(|t, v| { t.retention_bytes = opt_u64(&v, u64::MAX)?; Ok(()) })} />
            <TextField label="Segment bytes" value={t.segment_bytes.to_string()} hint="segment.bytes: retention deletes whole segments; the active one never."
                on_commit={with(|t, v| { t.segment_bytes = count_in(&v, 1, u64::MAX)?; Ok(()) })} />
            <TextField label="Segment ms" value={t.segment_ms.to_string()} hint="segment.ms: a segment this old is closed at the next append."
                on_commit={with(|t, v| { t.segment_ms = positive(&v)?; Ok(()) })} />
            <TextField label="Min compaction lag (ms)" value={t.min_compaction_lag_ms.to_string()}
                on_commit={with(|t, v| { t.min_compaction_lag_ms = f64_req(&v)?; Ok(()) })} />
            <TextField label="Delete retention (ms)" value={t.delete_retention_ms.to_string()} hint="delete.retention.ms: how long a tombstone survives compaction."
                on_commit={with(|t, v| { t.delete_retention_ms = f64_req(&v)?; Ok(()) })} />
        </>
    }
}
