//! "Now" actions on the selected node of a running diagram, applied to the simulation
//! at its current time (running or paused) through the core's commands: publish a
//! message to an exchange and basic.get from a queue (ack, nack-requeue or reject), as
//! RabbitMQ's management UI does; publish one from a producer, crash or switch a consumer off and on, and for a Kafka topic produce a
//! record by hand and reset a group's offsets (replay from the start, skip to the
//! end; in `kafka_calls`). Their effects show like any other message. The client verbs (publish, get,
//! produce, reset offsets, send, receive, delete, change visibility, redrive, publish to
//! a topic; the SQS calls in `sqs_calls`) are also recorded as
//! script steps at the simulated time they were done, so Reset replays them and a
//! share link carries them; crashes and switches are not (they are the workers' own
//! settings: outages, outcome patterns).

use super::kafka_calls::kafka_calls;
use super::now_inputs::{input_value, read_properties};
use super::sqs_calls::{sqs_calls, SqsCallsProps};
use crate::core::families::rabbit::Settlement;
use crate::core::model::ids::NodeId;
use crate::core::scenario::script::{GetAck, ScriptStep};
use crate::core::scenario::{EdgeKind, Node, NodeKind, Scenario};
use crate::core::simulation::Command;
use crate::ui::live::Live;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A button that applies `command` now (see `act` in [`node_actions`]), says `done` and
/// records `record` in the script.
pub(super) fn action_button(
    act: impl Fn(Command, String, Option<ScriptStep>) + 'static,
    label: String,
    title: &'static str,
    command: Command,
    done: String,
    record: Option<ScriptStep>,
) -> Html {
    html! {
        <button type="button" class="action" title={title}
            onclick={Callback::from(move |_| act(command.clone(), done.clone(), record.clone()))}>{ label }</button>
    }
}

/// The element id of the Now section's last outcome (a refused field is described by it).
const OUTCOME_ID: &str = "now-outcome";

/// Props of [`NodeActions`].
#[derive(Properties, Clone)]
pub struct NodeActionsProps {
    /// The live run.
    pub live: Live,
    /// The diagram (for the groups reading a topic).
    pub scenario: std::rc::Rc<Scenario>,
    /// The selected node.
    pub node: Node,
    /// Records a client step done by hand in the diagram's script.
    #[prop_or_default]
    pub on_record: Callback<ScriptStep>,
}

impl PartialEq for NodeActionsProps {
    fn eq(&self, o: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.live, &o.live)
            && self.node == o.node
            && self.scenario == o.scenario
    }
}

/// The action buttons of the selected node, when the diagram can run.
#[function_component(NodeActions)]
pub fn node_actions(p: &NodeActionsProps) -> Html {
    let outcome = use_state(|| None::<Result<String, String>>);
    let key_ref = use_node_ref();
    let value_ref = use_node_ref();
    let headers_ref = use_node_ref();
    let expiration_ref = use_node_ref();
    let priority_ref = use_node_ref();
    let message_id_ref = use_node_ref();
    let reply_to_ref = use_node_ref();
    let correlation_ref = use_node_ref();
    let delivery_mode_ref = use_node_ref();
    let receive_max_ref = use_node_ref();
    let receive_visibility_ref = use_node_ref();
    let receipt_body_ref = use_node_ref();
    let receipt_timeout_ref = use_node_ref();
    let dedup_ref = use_node_ref();
    let section_ref = use_node_ref();
    super::now_inputs::use_field_marks(
        section_ref.clone(),
        outcome.clone(),
        p.live.borrow().playback.is_some(),
        OUTCOME_ID,
    );
    let index = p.scenario.nodes.iter().position(|n| n.id == p.node.id);
    let runnable = p.live.borrow().playback.is_some();
    let fifo = match p.node.kind() {
        NodeKind::SqsQueue => p.node.sqs_queue_spec().fifo,
        NodeKind::SnsTopic => p.node.sns_topic_spec().fifo,
        _ => false,
    };
    {
        // Starting values go in once, when a form appears: a `value` in the markup would
        // be put back on every redraw (a refusal, a result) over what was typed.
        let defaults: Vec<(NodeRef, &'static str)> = match p.node.kind() {
            NodeKind::Exchange => vec![(value_ref.clone(), "by hand")],
            NodeKind::Queue => vec![(key_ref.clone(), "1")],
            NodeKind::SqsQueue => vec![
                (key_ref.clone(), "by hand"),
                (value_ref.clone(), "g1"),
                (receive_max_ref.clone(), "1"),
                (receipt_timeout_ref.clone(), "0"),
            ],
            NodeKind::SnsTopic => vec![(key_ref.clone(), "by hand"), (headers_ref.clone(), "g1")],
            _ => Vec::new(),
        };
        use_effect_with((runnable, fifo), move |_| {
            for (r, v) in &defaults {
                if let Some(input) = r.cast::<HtmlInputElement>() {
                    if input.value().is_empty() {
                        input.set_value(v);
                    }
                }
            }
        });
    }
    let (Some(index), true) = (index, runnable) else {
        return html! {};
    };
    let node = NodeId(index as u32);
    let act = {
        let (live, outcome, on_record) = (p.live.clone(), outcome.clone(), p.on_record.clone());
        let (node_name, latency_ms) = (p.node.name.clone(), p.scenario.latency_ms);
        move |command: Command, done: String, record: Option<ScriptStep>| {
            // A record or message sent by hand to a topic or queue travels one hop
            // before the node holds it: say when it arrives, or a Receive right after a
            // Send seems to lose it (review). (An exchange routes a publish at once.)
            let travels = matches!(
                command,
                Command::Produce { .. } | Command::SendTo { .. } | Command::SnsPublish { .. }
            );
            let mut st = live.borrow_mut();
            let (result, now) = match st.playback.as_mut() {
                Some(pb) => {
                    let now = pb.sim.now().as_ms();
                    (pb.apply_command(command), now)
                }
                None => (Err("the diagram cannot run yet".into()), 0.0),
            };
            st.touch();
            drop(st);
            if let (Ok(()), Some(mut step)) = (&result, record) {
                step.set_at_ms(now);
                on_record.emit(step);
            }
            let done = if travels && latency_ms > 0.0 {
                let at = (now + latency_ms) / 1000.0;
                format!("{done}; it reaches {node_name} at t = {at:.3} s")
            } else {
                done
            };
            outcome.set(Some(result.map(|()| done)));
        }
    };
    let button = |label: String,
                  title: &'static str,
                  command: Command,
                  done: String,
                  record: Option<ScriptStep>| {
        action_button(act.clone(), label, title, command, done, record)
    };
    let name = p.node.name.clone();
    let body = match p.node.kind() {
        NodeKind::Exchange => {
            let (act, k, v, outcome) = (
                act.clone(),
                key_ref.clone(),
                value_ref.clone(),
                outcome.clone(),
            );
            let refs = [
                headers_ref.clone(),
                expiration_ref.clone(),
                priority_ref.clone(),
                message_id_ref.clone(),
                reply_to_ref.clone(),
                correlation_ref.clone(),
                delivery_mode_ref.clone(),
            ];
            let exchange_name = name.clone();
            let publish = Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let read = input_value;
                let (routing_key, payload) = (read(&k), read(&v));
                let properties = match read_properties(&refs.iter().map(read).collect::<Vec<_>>()) {
                    Ok(p) => p,
                    Err(e) => return outcome.set(Some(Err(e))),
                };
                let done = format!("published \"{payload}\" with key \"{routing_key}\"");
                let step = ScriptStep::Publish {
                    at_ms: 0.0,
                    exchange: exchange_name.clone(),
                    routing_key: routing_key.clone(),
                    payload: payload.clone(),
                    properties: properties.clone(),
                };
                act(
                    Command::PublishTo {
                        exchange: node,
                        routing_key,
                        payload,
                        properties,
                    },
                    done,
                    Some(step),
                );
            });
            html! {
                <form class="produce-form" onsubmit={publish} aria-label="Publish a message">
                    <label>{"Routing key "}<input ref={key_ref.clone()} type="text" size="10" aria-label="Routing key" /></label>
                    <label>{"Payload "}<input ref={value_ref.clone()} type="text" size="10" aria-label="Payload" /></label>
                    <details class="properties">
                        <summary>{"Properties and headers"}</summary>
                        <label>{"Headers "}<input ref={headers_ref.clone()} type="text" size="14" aria-label="Headers (JSON)" placeholder="{\"format\": \"pdf\"}" /></label>
                        <label>{"Expiration (ms) "}<input ref={expiration_ref.clone()} type="text" size="6" aria-label="Expiration (ms)" /></label>
                        <label>{"Priority "}<input ref={priority_ref.clone()} type="text" size="3" aria-label="Priority" /></label>
                        <label>{"Message id "}<input ref={message_id_ref.clone()} type="text" size="8" aria-label="Message id" /></label>
                        <label>{"Reply to "}<input ref={reply_to_ref.clone()} type="text" size="8" aria-label="Reply to" /></label>
                        <label>{"Correlation id "}<input ref={correlation_ref.clone()} type="text" size="8" aria-label="Correlation id" /></label>
                        <label title="1 transient, 2 persistent (a durable queue keeps it through a broker restart)">{"Delivery mode "}<input ref={delivery_mode_ref.clone()} type="text" size="2" aria-label="Delivery mode" placeholder="1" /></label>
                    </details>
                    <button type="submit" class="action">{"Publish"}</button>
                </form>
            }
        }
        NodeKind::Queue => {
            let (live, outcome, count_ref, mode_ref) = (
                p.live.clone(),
                outcome.clone(),
                key_ref.clone(),
                value_ref.clone(),
            );
            let (on_record, queue_name) = (p.on_record.clone(), name.clone());
            let get = Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let Some(count) = input_value(&count_ref)
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|c| (1..=10_000).contains(c))
                else {
                    return outcome.set(Some(Err("count: a whole number from 1 to 10000".into())));
                };
                let mode = mode_ref
                    .cast::<web_sys::HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default();
                let how = match mode.as_str() {
                    "requeue" => Settlement::Requeue,
                    "reject" => Settlement::Reject,
                    _ => Settlement::Ack,
                };
                let mut st = live.borrow_mut();
                let (result, now) = match st.playback.as_mut() {
                    Some(pb) => {
                        let now = pb.sim.now().as_ms();
                        (pb.get_by_hand(node, count, how), now)
                    }
                    None => (Err("the diagram cannot run yet".into()), 0.0),
                };
                st.touch();
                drop(st);
                if result.is_ok() {
                    let ack = match how {
                        Settlement::Ack => GetAck::Ack,
                        Settlement::Requeue => GetAck::Requeue,
                        Settlement::Reject => GetAck::Reject,
                    };
                    on_record.emit(ScriptStep::Get {
                        at_ms: now,
                        queue: queue_name.clone(),
                        count,
                        ack,
                    });
                }
                outcome.set(Some(result.map(|got| {
                    if got.is_empty() {
                        "got nothing: no message is ready".to_string()
                    } else {
                        format!("got {} ({mode}): {}", got.len(), got.join(", "))
                    }
                })));
            });
            html! {
                <>
                <form class="produce-form" onsubmit={get} aria-label="Get messages" novalidate=true>
                    <label>{"Count "}<input ref={key_ref.clone()} type="number" min="1" max="10000" size="4" aria-label="Count" /></label>
                    <label>{"Then "}
                        <select ref={value_ref.clone()} aria-label="Ack mode">
                            // Yew inserts children last first: without `selected` the
                            // browser would start on the last option.
                            <option value="ack" selected=true>{"ack"}</option>
                            <option value="requeue">{"nack, requeue"}</option>
                            <option value="reject">{"reject"}</option>
                        </select>
                    </label>
                    <button type="submit" class="action">{"Get"}</button>
                </form>
                <div class="action-row" role="group" aria-label="Operator">
                    { button("Move back".into(), "Publish each dead-lettered message again to the exchange where it first died, with its routing key (a shovel)", Command::MoveBack { queue: node }, "moved the dead-lettered messages back".into(), None) }
                    { button("Purge".into(), "Remove every ready message (unacked ones stay with their consumers)", Command::Purge { queue: node }, "purged the ready messages".into(), None) }
                    { button("Restart broker".into(), "Restart the RabbitMQ broker now: durable queues keep their persistent messages, the rest is lost; consumers reconnect and get their unacked messages again", Command::RestartBroker, "the broker restarted".into(), Some(ScriptStep::RestartBroker { at_ms: 0.0 })) }
                </div>
                </>
            }
        }
        NodeKind::Producer => button(
            "Publish one now".into(),
            "Publish one message at the current time",
            Command::Publish { producer: node },
            "published one message".into(),
            None,
        ),
        NodeKind::Consumer | NodeKind::Service => html! {
            <>
                { button("Crash now".into(), "It dies now (what it holds is lost or returned) and restarts after its restart time", Command::CrashConsumer { consumer: node }, "crashed".into(), None) }
                { button("Switch off".into(), "Disconnect it cleanly until switched on", Command::SetConsumerOnline { consumer: node, online: false }, "switched off".into(), None) }
                { button("Switch on".into(), "Connect it again", Command::SetConsumerOnline { consumer: node, online: true }, "switched on".into(), None) }
            </>
        },
        NodeKind::SqsQueue => {
            let is_dlq = p
                .scenario
                .edges
                .iter()
                .any(|e| e.kind == EdgeKind::Redrive && e.to == p.node.id);
            // Only a FIFO queue takes a message group id and a deduplication id.
            let content_based = p.node.sqs_queue_spec().content_based_dedup;
            let send = {
                let (act, body_ref, group_ref) = (act.clone(), key_ref.clone(), value_ref.clone());
                let dedup_ref = dedup_ref.clone();
                let queue_name = name.clone();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let read = input_value;
                    let (body, group, dedup) =
                        (read(&body_ref), read(&group_ref), read(&dedup_ref));
                    let group_id = (!group.trim().is_empty()).then(|| group.trim().to_string());
                    let dedup_id = (!dedup.trim().is_empty()).then(|| dedup.trim().to_string());
                    let step = ScriptStep::Send {
                        at_ms: 0.0,
                        queue: queue_name.clone(),
                        body: body.clone(),
                        group_id: group_id.clone(),
                        dedup_id: dedup_id.clone(),
                        delay_ms: None,
                        attributes: serde_json::Map::new(),
                    };
                    act(
                        Command::SendTo {
                            queue: node,
                            dedup_id,
                            body: body.clone(),
                            group_id,
                        },
                        format!("sent \"{body}\""),
                        Some(step),
                    );
                })
            };
            html! {
                <>
                    <form class="produce-form" onsubmit={send} aria-label="Send a message">
                        <label>{"Body "}<input ref={key_ref.clone()} type="text" size="10" aria-label="Message body" /></label>
                        if fifo {
                            <label>{"Group "}<input ref={value_ref.clone()} type="text" size="6" aria-label="Message group id" /></label>
                            <label title="Sends with the same deduplication id within five minutes count once; the queue can derive it from the body (content-based deduplication)">{"Dedup id "}
                                <input ref={dedup_ref.clone()} type="text" size="6" aria-label="Deduplication id"
                                    placeholder={if content_based { "from the body" } else { "required" }} /></label>
                        }
                        <button type="submit" class="action">{"Send"}</button>
                    </form>
                    { sqs_calls(SqsCallsProps {
                        live: p.live.clone(),
                        node,
                        queue: name.clone(),
                        outcome: outcome.clone(),
                        on_record: p.on_record.clone(),
                        refs: [receive_max_ref, receive_visibility_ref, receipt_body_ref, receipt_timeout_ref],
                    }) }
                    if is_dlq {
                        { button("Redrive to source".into(), "Move every message of this dead-letter queue back to the queue it came from", Command::Redrive { queue: node }, "redrive started: the messages travel back".into(), Some(ScriptStep::Redrive { at_ms: 0.0, queue: name.clone() })) }
                    }
                </>
            }
        }
        NodeKind::ZmqDevice => html! {
            <p class="hint">{"A device forwards what reaches it; crash or switch off a worker behind it to see what each mode does."}</p>
        },
        NodeKind::SnsTopic => {
            // Only a FIFO topic takes a message group id and a deduplication id.
            let content_based = p.node.sns_topic_spec().content_based_dedup;
            let publish = {
                let (act, msg_ref, attr_ref, outcome) = (
                    act.clone(),
                    key_ref.clone(),
                    value_ref.clone(),
                    outcome.clone(),
                );
                let (group_ref, dedup_ref) = (headers_ref.clone(), dedup_ref.clone());
                let topic_name = name.clone();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let read = input_value;
                    let (message, attrs) = (read(&msg_ref), read(&attr_ref));
                    let given = |r: &NodeRef| {
                        let v = read(r);
                        (fifo && !v.trim().is_empty()).then(|| v.trim().to_string())
                    };
                    let (group_id, dedup_id) = (given(&group_ref), given(&dedup_ref));
                    let attributes = if attrs.trim().is_empty() {
                        Ok(serde_json::Map::new())
                    } else {
                        crate::ui::inspector::parse::json_object(
                            &attrs,
                            crate::ui::inspector::parse::ATTRIBUTES_EXAMPLE,
                        )
                    };
                    match attributes {
                        Ok(attributes) => act(
                            Command::SnsPublish {
                                topic: node,
                                message: message.clone(),
                                attributes: attributes.clone(),
                                group_id: group_id.clone(),
                                dedup_id: dedup_id.clone(),
                            },
                            format!("published \"{message}\""),
                            Some(ScriptStep::SnsPublish {
                                at_ms: 0.0,
                                topic: topic_name.clone(),
                                message: message.clone(),
                                attributes,
                                group_id,
                                dedup_id,
                            }),
                        ),
                        Err(e) => outcome.set(Some(Err(format!("message attributes: {e}")))),
                    }
                })
            };
            html! {
                <form class="produce-form" onsubmit={publish} aria-label="Publish to the topic">
                    <label>{"Message "}<input ref={key_ref.clone()} type="text" size="10" aria-label="Message" /></label>
                    <label>{"Attributes "}<input ref={value_ref.clone()} type="text" size="12" aria-label="Message attributes (JSON)" placeholder="{\"type\": \"order\"}" /></label>
                    if fifo {
                        <label>{"Group "}<input ref={headers_ref.clone()} type="text" size="6" aria-label="Message group id" /></label>
                        <label title="Publishes with the same deduplication id within five minutes count once; the topic can derive it from the message (content-based deduplication)">{"Dedup id "}
                            <input ref={dedup_ref.clone()} type="text" size="6" aria-label="Deduplication id"
                                placeholder={if content_based { "from the message" } else { "required" }} /></label>
                    }
                    <button type="submit" class="action">{"Publish"}</button>
                </form>
            }
        }
        NodeKind::KafkaTopic => kafka_calls(
            &p.scenario,
            &p.node,
            node,
            [key_ref.clone(), value_ref.clone()],
            act.clone(),
        ),
    };
    html! {
        <section class="node-actions" aria-label="Now" ref={section_ref}>
            <h3>{"Now"}</h3>
            <p class="hint">{"Applied to the run at its current time. Publish, Get, Produce, Send, Receive, Delete, Change visibility, the resets, redrives and broker restarts are also recorded in the diagram's script, so Reset replays them (Undo removes one); crashes, switches, purges and move-backs are not (the timeline replays them all)."}</p>
            { body }
            if let Some(o) = &*outcome {
                <p id={OUTCOME_ID} class={classes!("action-result", o.is_err().then_some("error"))} aria-live="polite">
                    { match o { Ok(t) => t.clone(), Err(e) => e.clone() } }
                </p>
            }
        </section>
    }
}
