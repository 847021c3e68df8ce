//! One view file per node kind (design §1): how the kind is drawn on the canvas (its
//! outline and live figures), the summary under its name, and its inspector form.
//! This module only dispatches by kind.

mod consumer;
mod exchange;
mod kafka_topic;
mod producer;
mod queue;
mod service;
mod sns_topic;
mod sqs_queue;
mod zmq_device;

use crate::core::scenario::{Node, NodeKind};
use crate::ui::canvas::NodeCounters;
use crate::ui::state::EditorState;
use yew::prelude::*;

/// A number for an SVG attribute.
pub(crate) fn n(v: f64) -> String {
    v.to_string()
}

/// Options of a select field: (value, text).
pub(crate) fn opts(list: &[(&'static str, &'static str)]) -> Vec<(AttrValue, AttrValue)> {
    list.iter()
        .map(|(v, t)| (AttrValue::from(*v), AttrValue::from(*t)))
        .collect()
}

/// The outline of a `kind` node at (x, y), in absolute coordinates: no per-node
/// `transform`, so the browser keeps the whole diagram in a few paint chunks and a drag
/// does not make it re-layerise thousands of them every frame.
pub fn shape(kind: NodeKind, x: f64, y: f64, w: f64, h: f64) -> Html {
    match kind {
        NodeKind::Producer => producer::shape(x, y, w, h),
        NodeKind::Exchange => exchange::shape(x, y, w, h),
        NodeKind::Queue => queue::shape(x, y, w, h),
        NodeKind::Consumer => consumer::shape(x, y, w, h),
        NodeKind::KafkaTopic => kafka_topic::shape(x, y, w, h),
        NodeKind::SqsQueue => sqs_queue::shape(x, y, w, h),
        NodeKind::SnsTopic => sns_topic::shape(x, y, w, h),
        NodeKind::ZmqDevice => zmq_device::shape(x, y, w, h),
        NodeKind::Service => service::shape(x, y, w, h),
    }
}

/// The live figures of a `kind` node at (x, y).
pub fn figures(kind: NodeKind, c: &NodeCounters, x: f64, y: f64) -> Html {
    match kind {
        NodeKind::Producer => producer::figures(c, x, y),
        NodeKind::Exchange => exchange::figures(c, x, y),
        NodeKind::Queue => queue::figures(c, x, y),
        NodeKind::Consumer => consumer::figures(c, x, y),
        NodeKind::KafkaTopic => kafka_topic::figures(c, x, y),
        NodeKind::SqsQueue => sqs_queue::figures(c, x, y),
        NodeKind::SnsTopic => sns_topic::figures(c, x, y),
        NodeKind::ZmqDevice => zmq_device::figures(c, x, y),
        NodeKind::Service => service::figures(c, x, y),
    }
}

/// The short description under a node's name.
pub fn detail(node: &Node) -> String {
    match node.kind() {
        NodeKind::Producer => producer::detail(node),
        NodeKind::Exchange => exchange::detail(node),
        NodeKind::Queue => queue::detail(node),
        NodeKind::Consumer => consumer::detail(node),
        NodeKind::KafkaTopic => kafka_topic::detail(node),
        NodeKind::SqsQueue => sqs_queue::detail(node),
        NodeKind::SnsTopic => sns_topic::detail(node),
        NodeKind::ZmqDevice => zmq_device::detail(node),
        NodeKind::Service => service::detail(node),
    }
}

/// The kind's own part of the inspector form.
pub fn form(state: &UseReducerHandle<EditorState>, node: &Node) -> Html {
    match node.kind() {
        NodeKind::Producer => producer::form(state, node),
        NodeKind::Exchange => exchange::form(state, node),
        NodeKind::Queue => queue::form(state, node),
        NodeKind::Consumer => consumer::form(state, node),
        NodeKind::KafkaTopic => kafka_topic::form(state, node),
        NodeKind::SqsQueue => sqs_queue::form(state, node),
        NodeKind::SnsTopic => sns_topic::form(state, node),
        NodeKind::ZmqDevice => zmq_device::form(state, node),
        NodeKind::Service => service::form(state, node),
    }
}
