//! The side panel's tabs: Inspector, Charts, the event log (filterable by node and
//! event kind) and the message trace (every hop of one message with its time).

use super::charts::Charts;
use super::{Live, LiveSnapshot};
use crate::core::scenario::NodeKind;
use crate::playback::describe::{LogRow, EVENT_KINDS};
use crate::ui::inspector::Inspector;
use crate::ui::state::EditorState;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// Settings of the selection.
    Inspector,
    /// Live charts.
    Charts,
    /// Event log.
    Log,
    /// Message trace.
    Trace,
    /// The explanation of the pattern on the canvas.
    About,
    /// The diagram's script of client steps.
    Script,
}

impl Tab {
    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Inspector => "Inspector",
            Tab::Charts => "Charts",
            Tab::Log => "Log",
            Tab::Trace => "Trace",
            Tab::About => "About",
            Tab::Script => "Script",
        }
    }
}

/// The id of the tab panel (what the tabs control; focus goes there when what had it
/// goes away, see [`crate::ui::focus_rescue::focus_panel_if_lost`]).
pub const PANEL_BODY: &str = "side-panel-body";

/// Props of [`SidePanel`].
#[derive(Properties, Clone)]
pub struct SidePanelProps {
    /// Editor state.
    pub state: UseReducerHandle<EditorState>,
    /// Live state.
    pub live: Live,
    /// Latest snapshot.
    pub snapshot: LiveSnapshot,
    /// The tab shown (a value: the handle below reads the newest state, so it cannot
    /// tell two renders apart).
    pub active: Tab,
    /// Sets the active tab.
    pub tab: UseStateHandle<Tab>,
    /// The pattern on the canvas, if one was opened.
    pub pattern: Option<&'static crate::gallery::Pattern>,
}

impl PartialEq for SidePanelProps {
    fn eq(&self, o: &Self) -> bool {
        self.state == o.state
            && Rc::ptr_eq(&self.live, &o.live)
            && self.snapshot == o.snapshot
            && self.active == o.active
            && self.pattern.map(|p| p.id) == o.pattern.map(|p| p.id)
    }
}

fn rows(
    rows: &[LogRow],
    newest_first: bool,
    on_pick: Option<
        Callback<(
            Option<crate::core::model::ids::CopyId>,
            Option<crate::core::model::ids::MessageId>,
        )>,
    >,
) -> Html {
    let ordered: Vec<&LogRow> = if newest_first {
        rows.iter().rev().collect()
    } else {
        rows.iter().collect()
    };
    html! {
        <ol class="log-rows">
            { for ordered.into_iter().map(|r| {
                let pick = match (&on_pick, r.copy, r.message) {
                    (Some(cb), copy, message) if copy.is_some() || message.is_some() => {
                        let cb = cb.clone();
                        Some(Callback::from(move |_: MouseEvent| cb.emit((copy, message))))
                    }
                    _ => None,
                };
                let cells = html! {
                    <>
                        <span class="log-time">{ format!("{:>9.3}s", r.time_ms / 1000.0) }</span>
                        <span class="log-kind">{ r.kind.replace('_', " ") }</span>
                        <span class="log-text">{ r.text.clone() }</span>
                    </>
                };
                // A row that opens its message's trace is a real button inside the list
                // item (a list item itself may not be a button).
                match pick {
                    Some(pick) => html! {
                        <li class={classes!("log-row", "pickable", r.kind)}>
                            <button type="button" class="log-pick" onclick={pick} title="Show this message's trace">{ cells }</button>
                        </li>
                    },
                    None => html! { <li class={classes!("log-row", r.kind)}>{ cells }</li> },
                }
            }) }
        </ol>
    }
}

/// The tabbed side panel.
#[function_component(SidePanel)]
pub fn side_panel(p: &SidePanelProps) -> Html {
    let node_filter = use_state(String::new);
    let script_draft = use_state(super::script_panel::ScriptDraft::default);
    let kind_filter = use_state(String::new);
    let tab_button = |t: Tab| {
        let label = t.label();
        let tab = p.tab.clone();
        let selected = p.active == t;
        // One tab stop for the row (the selected tab); the arrow keys move along it.
        html! {
            <button type="button" role="tab" aria-selected={selected.to_string()} class={classes!("tab", selected.then_some("active"))}
                id={format!("tab-{}", label.to_ascii_lowercase())} aria-controls={PANEL_BODY}
                tabindex={if selected { "0" } else { "-1" }}
                onclick={Callback::from(move |_| tab.set(t))}>{ label }</button>
        }
    };
    // The tabs in the order shown, for the arrow keys (WAI-ARIA tabs pattern: Left and
    // Right go to the previous and next tab, round the ends; Home and End to the first
    // and last; the tab gets the focus and is shown).
    let order: Vec<Tab> = p
        .pattern
        .is_some()
        .then_some(Tab::About)
        .into_iter()
        .chain([
            Tab::Inspector,
            Tab::Charts,
            Tab::Log,
            Tab::Trace,
            Tab::Script,
        ])
        .collect();
    let on_tab_key = {
        let (tab, active) = (p.tab.clone(), p.active);
        Callback::from(move |e: KeyboardEvent| {
            let n = order.len();
            let at = order.iter().position(|t| *t == active).unwrap_or(0);
            let to = match e.key().as_str() {
                "ArrowRight" => (at + 1) % n,
                "ArrowLeft" => (at + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            tab.set(order[to]);
            let button = e
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|list| list.query_selector_all("[role=tab]").ok())
                .and_then(|tabs| tabs.item(to as u32))
                .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(b) = button {
                let _ = b.focus();
            }
        })
    };
    let pick = {
        let (live, tab) = (p.live.clone(), p.tab.clone());
        Callback::from(move |(copy, message)| {
            // The row pressed goes with the Log: focus goes to the Trace shown instead.
            crate::ui::focus_rescue::focus_panel_if_lost();
            let mut st = live.borrow_mut();
            st.pick_trace(copy, message);
            tab.set(Tab::Trace);
        })
    };
    let scenario = &p.state.0.scenario;
    let body = match p.active {
        Tab::Inspector => {
            html! { <Inspector state={p.state.clone()} live={p.live.clone()} time_ms={p.snapshot.time_ms} touches={p.snapshot.touches} /> }
        }
        Tab::About => match p.pattern {
            Some(pat) => {
                html! { <crate::ui::gallery::About pattern={pat} title={scenario.name.clone()} /> }
            }
            None => {
                html! { <p class="muted">{"Open a pattern from the Gallery to read what it shows."}</p> }
            }
        },
        Tab::Charts => {
            // A RabbitMQ queue is named alone (the title says "ready"); any other node
            // says what is counted there.
            let words: Vec<Option<&str>> = scenario
                .nodes
                .iter()
                .map(|n| crate::playback::depths::depth_word(n.kind()))
                .collect();
            let names: Vec<String> = scenario
                .nodes
                .iter()
                .zip(&words)
                .map(|(n, w)| match (n.kind(), w) {
                    (NodeKind::Queue, _) | (_, None) => n.name.clone(),
                    (_, Some(w)) => format!("{} ({w})", n.name),
                })
                .collect();
            let only_queues = p.snapshot.samples.last().is_none_or(|s| {
                s.ready.iter().all(|&(i, _)| {
                    scenario.nodes.get(i as usize).map(|n| n.kind()) == Some(NodeKind::Queue)
                })
            });
            let title = if only_queues {
                "Queue depth (ready)"
            } else {
                "Messages waiting"
            };
            html! { <Charts samples={p.snapshot.samples.clone()} node_names={Rc::new(names)} depth_title={title} /> }
        }
        Tab::Log => {
            let (nf, kf) = ((*node_filter).clone(), (*kind_filter).clone());
            let shown: Vec<LogRow> = p
                .snapshot
                .log
                .iter()
                .filter(|r| nf.is_empty() || r.nodes.contains(&nf))
                .filter(|r| kf.is_empty() || r.kind == kf)
                .cloned()
                .collect();
            let filtered = !p.snapshot.log.is_empty() && (!nf.is_empty() || !kf.is_empty());
            // How many nodes bear each name (one pass, not one per option).
            let mut named: std::collections::HashMap<&str, usize> =
                std::collections::HashMap::new();
            for n in &scenario.nodes {
                *named.entry(n.name.as_str()).or_default() += 1;
            }
            let on_node = {
                let f = node_filter.clone();
                Callback::from(move |e: Event| {
                    f.set(e.target_unchecked_into::<HtmlSelectElement>().value())
                })
            };
            let on_kind = {
                let f = kind_filter.clone();
                Callback::from(move |e: Event| {
                    f.set(e.target_unchecked_into::<HtmlSelectElement>().value())
                })
            };
            html! {
                <section class="log" aria-label="Event log">
                    <div class="log-filters">
                        <select aria-label="Filter by node" onchange={on_node}>
                            <option value="" selected={nf.is_empty()}>{"all nodes"}</option>
                            { for scenario.nodes.iter().map(|n| {
                                // Two nodes of one name (a producer and its exchange) are told
                                // apart by their kinds.
                                let shared = named.get(n.name.as_str()).is_some_and(|&k| k > 1);
                                let text = if shared { format!("{} ({})", n.name, n.kind().as_str().replace('-', " ")) } else { n.name.clone() };
                                html! { <option value={n.id.clone()} selected={nf == n.id}>{ text }</option> }
                            }) }
                        </select>
                        <select aria-label="Filter by event" onchange={on_kind}>
                            <option value="" selected={kf.is_empty()}>{"all events"}</option>
                            { for EVENT_KINDS.iter().map(|k| html! { <option value={*k} selected={kf == *k}>{ k.replace('_', " ") }</option> }) }
                        </select>
                    </div>
                    if shown.is_empty() && filtered {
                        <p class="muted">{"No events of the log match the filter."}</p>
                    } else if shown.is_empty() {
                        <p class="muted">{"No events yet: press Play or Step."}</p>
                    }
                    { rows(&shown, true, Some(pick)) }
                </section>
            }
        }
        Tab::Script => {
            html! { <super::script_panel::ScriptPanel state={p.state.clone()} draft={(*script_draft).clone()} /> }
        }
        Tab::Trace => match p.snapshot.traced {
            Some(m) => html! {
                <section class="trace" aria-label="Message trace">
                    <h3>{ format!("Message #{m}") }</h3>
                    { rows(&p.snapshot.trace, false, None) }
                </section>
            },
            None => {
                html! { <p class="muted">{"Click a moving message on the canvas, or a row of the event log, to see every hop it took."}</p> }
            }
        },
    };
    html! {
        <aside id="side-panel" class="side-panel" aria-label="Side panel">
            <div class="tabs" role="tablist" aria-label="Side panel tabs" onkeydown={on_tab_key}>
                if p.pattern.is_some() { { tab_button(Tab::About) } }
                { tab_button(Tab::Inspector) }
                { tab_button(Tab::Charts) }
                { tab_button(Tab::Log) }
                { tab_button(Tab::Trace) }
                { tab_button(Tab::Script) }
            </div>
            <div id={PANEL_BODY} class="tab-body" role="tabpanel" tabindex="-1"
                aria-labelledby={format!("tab-{}", p.active.label().to_ascii_lowercase())}>
                { body }
            </div>
        </aside>
    }
}
