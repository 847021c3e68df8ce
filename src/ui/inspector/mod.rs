//! The inspector: edits every setting of the selected node or edge that the core
//! supports, validating each field before it is applied.

mod actions;
mod call_form;
mod connect_picker;
mod connections;
mod edge_form;
pub(crate) mod fields;
mod frames_form;
mod kafka_calls;
mod messages;
mod node_form;
mod now_inputs;
pub(crate) mod parse;
mod sqs_calls;

pub(crate) use fields::slug;

use crate::core::scenario::{validate, Edge, Node};
use crate::editor::Action;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// Props of [`Inspector`].
#[derive(Properties, Clone)]
pub struct InspectorProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
    /// The live run (for the "Now" actions).
    pub live: crate::ui::live::Live,
    /// The run's clock, ms (the messages panel follows it).
    #[prop_or_default]
    pub time_ms: f64,
    /// Changes with each hand action, seek or rebuild (the messages panel follows it).
    #[prop_or_default]
    pub touches: u64,
}

impl PartialEq for InspectorProps {
    fn eq(&self, o: &Self) -> bool {
        self.state == o.state
            && std::rc::Rc::ptr_eq(&self.live, &o.live)
            && self.time_ms == o.time_ms
            && self.touches == o.touches
    }
}

/// Why the diagram `next` (one node or edge changed) cannot replace `now`: a problem of
/// that node or edge (`prefix`), else one the change makes elsewhere (a script step or
/// a call that names it), told with its place, so the field says why it was refused.
fn refusal(
    now: &crate::core::scenario::Scenario,
    next: &crate::core::scenario::Scenario,
    prefix: &str,
) -> Option<String> {
    let problems = validate(next);
    if let Some(p) = problems.iter().find(|p| p.path.starts_with(prefix)) {
        return Some(p.message.clone());
    }
    if problems.is_empty() {
        return None;
    }
    let known = validate(now);
    problems
        .into_iter()
        .find(|p| !known.contains(p))
        .map(|p| format!("not changed: {}: {}", place(next, &p.path), p.message))
}

/// A problem's place in words where it is a node or an edge (`queue \`orders.dlq\`
/// (field \`name\`)`, `edge \`orders\` → \`orders-q\``, `edge (default exchange) →
/// \`work\``); a script step keeps its path (`script[0].queue`), as the Script tab's
/// JSON shows it.
fn place(s: &crate::core::scenario::Scenario, path: &str) -> String {
    let indexed = |prefix: &str| -> Option<(usize, String)> {
        let rest = path.strip_prefix(prefix)?;
        let (i, field) = rest.split_once(']')?;
        let field = field.trim_start_matches('.');
        // An edge's `kind` is the connection itself: the reason says what is wrong.
        let field = if field.is_empty() || (prefix == "edges[" && field == "kind") {
            String::new()
        } else {
            format!(" (field `{field}`)")
        };
        Some((i.parse().ok()?, field))
    };
    let name = |id: &str| {
        s.node(id).map_or_else(
            || format!("`{id}`"),
            |n| {
                if n.name.is_empty() && n.kind() == crate::core::scenario::NodeKind::Exchange {
                    "(default exchange)".to_string()
                } else if n.name.is_empty() {
                    "(no name)".to_string()
                } else {
                    format!("`{}`", n.name)
                }
            },
        )
    };
    if let Some((i, field)) = indexed("nodes[") {
        if let Some(n) = s.nodes.get(i) {
            return format!(
                "{} `{}`{field}",
                n.kind().as_str().replace('-', " "),
                n.name
            );
        }
    }
    if let Some((i, field)) = indexed("edges[") {
        if let Some(e) = s.edges.get(i) {
            return format!("edge {} → {}{field}", name(&e.from), name(&e.to));
        }
    }
    path.to_string()
}

/// A commit callback that changes one node with `apply`, validates the result and
/// dispatches it; returns the message to show when refused.
pub(crate) fn node_commit<T: 'static>(
    state: &UseReducerHandle<EditorState>,
    id: &str,
    apply: impl Fn(&mut Node, T) -> Result<(), String> + 'static,
) -> Callback<T, Option<String>> {
    let (state, id) = (state.clone(), id.to_string());
    Callback::from(move |value: T| {
        let scenario = &state.0.scenario;
        let Some(i) = scenario.nodes.iter().position(|n| n.id == id) else {
            return Some("this node no longer exists".into());
        };
        let mut node = scenario.nodes[i].clone();
        if let Err(e) = apply(&mut node, value) {
            return Some(e);
        }
        let mut next = (**scenario).clone();
        // A rename takes the script steps that name the node along, as the editor does.
        crate::editor::carry_rename(&mut next.script, &next.nodes[i], &node);
        next.nodes[i] = node.clone();
        let prefix = format!("nodes[{i}]");
        if let Some(message) = refusal(scenario, &next, &prefix) {
            return Some(message);
        }
        state.dispatch(Action::UpdateNode(Box::new(node)));
        None
    })
}

/// A commit callback for a FIFO box: node `id` and the topics and queues that must
/// agree with it switch together ([`crate::editor::fifo`]), validated and dispatched
/// as one change; returns the message to show when refused.
pub(crate) fn fifo_commit(
    state: &UseReducerHandle<EditorState>,
    id: &str,
) -> Callback<bool, Option<String>> {
    let (state, id) = (state.clone(), id.to_string());
    Callback::from(move |fifo: bool| {
        let scenario = &state.0.scenario;
        let Some(i) = scenario.nodes.iter().position(|n| n.id == id) else {
            return Some("this node no longer exists".into());
        };
        let nodes = crate::editor::fifo::with_fifo(scenario, &id, fifo);
        if nodes.is_empty() {
            return None;
        }
        let mut next = (**scenario).clone();
        for node in &nodes {
            if let Some(j) = next.nodes.iter().position(|n| n.id == node.id) {
                // The `.fifo` suffix comes and goes: script steps follow, as the editor
                // does.
                crate::editor::carry_rename(&mut next.script, &next.nodes[j], node);
                next.nodes[j] = node.clone();
            }
        }
        if let Some(message) = refusal(scenario, &next, &format!("nodes[{i}]")) {
            return Some(message);
        }
        state.dispatch(Action::UpdateNodes(nodes));
        None
    })
}

/// Like [`node_commit`], for an edge.
pub(crate) fn edge_commit<T: 'static>(
    state: &UseReducerHandle<EditorState>,
    id: &str,
    apply: impl Fn(&mut Edge, T) -> Result<(), String> + 'static,
) -> Callback<T, Option<String>> {
    let (state, id) = (state.clone(), id.to_string());
    Callback::from(move |value: T| {
        let scenario = &state.0.scenario;
        let Some(i) = scenario.edges.iter().position(|e| e.id == id) else {
            return Some("this edge no longer exists".into());
        };
        let mut edge = scenario.edges[i].clone();
        if let Err(e) = apply(&mut edge, value) {
            return Some(e);
        }
        let mut next = (**scenario).clone();
        next.edges[i] = edge.clone();
        let prefix = format!("edges[{i}]");
        if let Some(message) = refusal(scenario, &next, &prefix) {
            return Some(message);
        }
        state.dispatch(Action::UpdateEdge(Box::new(edge)));
        None
    })
}

/// The inspector panel.
#[function_component(Inspector)]
pub fn inspector(p: &InspectorProps) -> Html {
    let editor = &p.state.0;
    let nodes = &editor.selected_nodes;
    let edges = &editor.selected_edges;
    let body = if nodes.len() == 1 && edges.is_empty() {
        match editor.scenario.node(nodes.iter().next().unwrap()) {
            Some(node) => html! {
                <>
                    // Keyed by node: another node's forms start afresh (no select or
                    // field keeps a value typed, or refused, for the last one).
                    <ContextProvider<fields::FieldOwner> context={fields::FieldOwner(node.id.clone().into())}>
                        <node_form::NodeForm key={node.id.clone()} state={p.state.clone()} node={node.clone()} />
                    </ContextProvider<fields::FieldOwner>>
                    <actions::NodeActions key={node.id.clone()} live={p.live.clone()} scenario={editor.scenario.clone()} node={node.clone()}
                        on_record={{
                            let state = p.state.clone();
                            Callback::from(move |step| state.dispatch(crate::editor::Action::RecordStep(Box::new(step))))
                        }} />
                    if matches!(node.kind(), crate::core::scenario::NodeKind::Queue | crate::core::scenario::NodeKind::KafkaTopic | crate::core::scenario::NodeKind::SqsQueue)
                        && p.live.borrow().playback.is_some() {
                        if let Some(i) = editor.scenario.nodes.iter().position(|n| n.id == node.id) {
                            <messages::MessagesPanel live={p.live.clone()} node={crate::core::model::ids::NodeId(i as u32)} time_ms={p.time_ms} touches={p.touches} />
                        }
                    }
                </>
            },
            None => html! {},
        }
    } else if edges.len() == 1 && nodes.is_empty() {
        match editor.scenario.edges.iter().find(|e| edges.contains(&e.id)) {
            Some(edge) => {
                html! {
                    <ContextProvider<fields::FieldOwner> context={fields::FieldOwner(edge.id.clone().into())}>
                        <edge_form::EdgeForm key={edge.id.clone()} state={p.state.clone()} edge={edge.clone()} />
                    </ContextProvider<fields::FieldOwner>>
                }
            }
            None => html! {},
        }
    } else if nodes.is_empty() && edges.is_empty() {
        html! {
            <>
                <p class="muted">{"Nothing selected. Click a node or an edge to edit it."}</p>
                <frames_form::FramesForm state={p.state.clone()} />
            </>
        }
    } else {
        html! {
            <>
                <p class="muted">{ format!("{} nodes and {} edges selected.", nodes.len(), edges.len()) }</p>
                <frames_form::FramesForm state={p.state.clone()} />
            </>
        }
    };
    html! {
        <div class="inspector">
            { body }
        </div>
    }
}
