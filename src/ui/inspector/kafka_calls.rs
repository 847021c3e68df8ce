//! The Now section's Kafka topic calls: produce a record by hand, and for each consumer
//! group reading the topic reset its committed offsets (read again from the start, skip
//! to the end). Each is recorded as a script step.

use super::actions::action_button;
use super::now_inputs::input_value;
use crate::core::model::ids::NodeId;
use crate::core::scenario::script::ScriptStep;
use crate::core::scenario::{EdgeKind, Node, OffsetTarget, Scenario};
use crate::core::simulation::Command;
use yew::prelude::*;

/// The calls of Kafka topic `topic` (node `node` of the run) in `scenario`; `refs` are
/// the key and value fields, `act` applies a command now (see `node_actions`).
pub(super) fn kafka_calls(
    scenario: &Scenario,
    topic: &Node,
    node: NodeId,
    refs: [NodeRef; 2],
    act: impl Fn(Command, String, Option<ScriptStep>) + Clone + 'static,
) -> Html {
    let [key_ref, value_ref] = refs;
    let mut groups: Vec<String> = scenario
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Consume && e.from == topic.id)
        .map(|e| {
            e.consume
                .as_ref()
                .map_or("group".to_string(), |c| c.group.clone())
        })
        .collect();
    crate::core::sort::sort(&mut groups);
    groups.dedup();
    let produce = {
        let (act, key_ref, value_ref) = (act.clone(), key_ref.clone(), value_ref.clone());
        let topic_name = topic.name.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let read = input_value;
            let (key, value) = (read(&key_ref), read(&value_ref));
            let step = ScriptStep::Produce {
                at_ms: 0.0,
                topic: topic_name.clone(),
                key: (!key.is_empty()).then_some(key.clone()),
                value: Some(value.clone()),
                partition: None,
            };
            let command = Command::Produce {
                topic: node,
                key: (!key.is_empty()).then_some(key.clone()),
                value: Some(value),
            };
            act(
                command,
                if key.is_empty() {
                    "produced a record without a key".into()
                } else {
                    format!("produced a record with key {key}")
                },
                Some(step),
            );
        })
    };
    html! {
        <>
            { for groups.iter().map(|g| html! {
                <div class="action-row" role="group" aria-label={format!("group {g}")}>
                    <span class="muted">{ format!("group {g}: ") }</span>
                    { action_button(act.clone(), "Read again from the start".into(), "Reset the group's committed offsets to each partition's log start", Command::ResetOffsets { topic: node, group: g.clone(), to: OffsetTarget::Earliest }, format!("group {g} reads again from the start"), Some(ScriptStep::ResetOffsets { at_ms: 0.0, topic: topic.name.clone(), group: g.clone(), to: OffsetTarget::Earliest })) }
                    { action_button(act.clone(), "Skip to the end".into(), "Reset the group's committed offsets to each partition's log end", Command::ResetOffsets { topic: node, group: g.clone(), to: OffsetTarget::Latest }, format!("group {g} skipped to the end"), Some(ScriptStep::ResetOffsets { at_ms: 0.0, topic: topic.name.clone(), group: g.clone(), to: OffsetTarget::Latest })) }
                </div>
            }) }
            <form class="produce-form" onsubmit={produce} aria-label="Produce a record">
                <label>{"Key "}<input ref={key_ref} type="text" size="8" aria-label="Record key" placeholder="none" /></label>
                <label>{"Value "}<input ref={value_ref} type="text" size="10" aria-label="Record value" /></label>
                <button type="submit" class="action">{"Produce"}</button>
            </form>
        </>
    }
}
