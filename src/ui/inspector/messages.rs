//! The messages panel: what the selected store holds now — a RabbitMQ queue's ready
//! messages in delivery order, a Kafka topic's records, an SQS queue's messages with
//! their state — one row each with its payload and the rest in a line (key,
//! properties, headers, redelivered, x-death; receive count and visibility left).
//! The list is virtualised: only the rows in view are asked of the core and drawn,
//! so a store of 100,000 messages costs what 10 do.

use crate::core::model::ids::NodeId;
use crate::ui::live::Live;
use web_sys::Element;
use yew::prelude::*;

/// Height of one row, px.
const ROW: f64 = 40.0;
/// Height of the list's window, px.
const WINDOW: f64 = 280.0;

/// Props of [`MessagesPanel`].
#[derive(Properties, Clone)]
pub struct MessagesProps {
    /// The live run.
    pub live: Live,
    /// The store node.
    pub node: NodeId,
    /// The run's clock, ms (a new value redraws the list).
    pub time_ms: f64,
    /// Hand actions and seeks so far (a new value redraws the list while paused).
    #[prop_or_default]
    pub touches: u64,
}

impl PartialEq for MessagesProps {
    fn eq(&self, o: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.live, &o.live)
            && self.node == o.node
            && self.time_ms == o.time_ms
            && self.touches == o.touches
    }
}

/// The list of what a store holds now.
#[function_component(MessagesPanel)]
pub fn messages_panel(p: &MessagesProps) -> Html {
    let scroll = use_state(|| 0.0f64);
    let first = (*scroll / ROW).floor().max(0.0) as usize;
    let shown = (WINDOW / ROW).ceil() as usize + 2;
    let rows = p
        .live
        .borrow()
        .playback
        .as_ref()
        .map(|pb| pb.sim.store_rows(p.node, first, shown))
        .unwrap_or_default();
    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            let el: Element = e.target_unchecked_into();
            scroll.set(el.scroll_top() as f64);
        })
    };
    let total = rows.total;
    html! {
        <section class="messages" aria-label="Messages">
            <h3>{ format!("Messages ({total})") }</h3>
            if total == 0 {
                <p class="hint">{"Holds nothing now."}</p>
            } else {
                <div class="message-list" style={format!("height: {WINDOW}px")} onscroll={onscroll} tabindex="0" role="list" aria-label={format!("{total} messages")}>
                    <div class="message-spacer" style={format!("height: {}px", total as f64 * ROW)}>
                        { for rows.rows.iter().enumerate().map(|(i, r)| {
                            let at = (first + i) as f64 * ROW;
                            html! {
                                <div class="message-row" role="listitem" style={format!("top: {at}px; height: {ROW}px")} data-position={(first + i).to_string()}>
                                    <span class="message-payload">{ format!("{}. {}", first + i + 1, r.payload) }</span>
                                    <span class="message-detail">{ r.detail.clone() }</span>
                                </div>
                            }
                        }) }
                    </div>
                </div>
            }
        </section>
    }
}
