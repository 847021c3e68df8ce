//! Queues: reading each queue's `x-` arguments, settling its type, merging the policy in
//! force, turning the result into a queue node, and linking queues to their dead-letter
//! exchanges once every exchange is known.

use super::policies::{Policy, PolicyTarget};
use super::raw::{overflow_of, show, signed, whole, ApplyTo, QueueDef};
use super::Importer;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::{EdgeKind, Node, NodeKind, Overflow, QueueSpec, QueueType};
use serde_json::Value;

/// The queue type as declared (streams are imported as classic queues).
#[derive(Clone, Copy, PartialEq, Eq)]
enum DeclaredType {
    Classic,
    Quorum,
    Stream,
}

/// A queue's dead-letter exchange name and `x-dead-letter-routing-key`.
pub(super) type DeadLetter = (String, Option<String>);

/// The arguments of a queue declaration the import understands, before and after the
/// policy in force is merged in.
#[derive(Default)]
pub(super) struct QueueArgs {
    pub(super) ttl: Option<u64>,
    pub(super) max_length: Option<u64>,
    pub(super) max_bytes: Option<u64>,
    pub(super) overflow: Option<Overflow>,
    pub(super) max_priority: Option<u8>,
    pub(super) single_active_consumer: bool,
    pub(super) delivery_limit: Option<i64>,
    pub(super) declared_type: Option<String>,
    pub(super) dlx: Option<String>,
    pub(super) dlrk: Option<String>,
}

impl Importer {
    /// Creates the queue nodes; returns, per queue node, its dead-letter exchange name and
    /// routing key after policies.
    pub(super) fn read_queues(
        &mut self,
        policies: &[Policy],
    ) -> Result<Vec<(usize, DeadLetter)>, String> {
        let defs = std::mem::take(&mut self.file.queues);
        let mut dead_letters = Vec::new();
        for q in &defs {
            if !self.here(&q.vhost) {
                continue;
            }
            let name = &q.name;
            if name.is_empty() {
                return Err(format!("{}: a queue needs a name", q.at));
            }
            if self.queues.contains_key(name) {
                self.notes.push(format!(
                    "{}: queue {name:?} is declared more than once; the first declaration was kept",
                    q.at
                ));
                continue;
            }
            if self.skip_reserved(&q.at, "queue", name) {
                continue;
            }
            if q.auto_delete {
                self.notes.push(format!(
                    "{}: queue {name:?} is auto_delete (deleted when its last consumer goes); the playground keeps it (not modelled), so an export writes it without auto_delete",
                    q.at
                ));
            }
            let (spec, dlx) = self.queue_spec(q, policies)?;
            let id = self.unique_id("q", name);
            let mut node = Node::new(id, NodeKind::Queue, name.as_str());
            node.spec = NodeSpec::Queue(spec);
            self.nodes.push(node);
            let index = self.nodes.len() - 1;
            self.queues.insert(name.clone(), index);
            if let Some(dlx) = dlx {
                dead_letters.push((index, dlx));
            }
        }
        self.file.queues = defs;
        Ok(dead_letters)
    }

    /// The `x-` arguments of a queue declaration, checked; notes the ones not modelled.
    fn queue_arguments(&mut self, q: &QueueDef) -> Result<QueueArgs, String> {
        let name = &q.name;
        let bad = |arg: &str, v: &Value, expected: &str| {
            format!(
                "{}: queue {name:?} has {arg} = {}; it must be {expected}",
                q.at,
                show(v)
            )
        };
        let mut a = QueueArgs {
            declared_type: q.kind.clone(),
            ..QueueArgs::default()
        };
        for (arg, v) in &q.arguments {
            let whole_or = |expected| whole(v).ok_or_else(|| bad(arg, v, expected));
            let text_or = |expected| {
                v.as_str()
                    .map(String::from)
                    .ok_or_else(|| bad(arg, v, expected))
            };
            match arg.as_str() {
                "x-message-ttl" => {
                    a.ttl = Some(
                        whole(v)
                            .filter(|&t| t <= crate::core::scenario::MAX_TTL_MS)
                            .ok_or_else(|| {
                                bad(
                                    arg,
                                    v,
                                    "a whole number of ms from 0 to 315,360,000,000 (ten years, the longest TTL RabbitMQ takes)",
                                )
                            })?,
                    )
                }
                "x-max-length" => a.max_length = Some(whole_or("a whole number ≥ 0")?),
                "x-max-length-bytes" => a.max_bytes = Some(whole_or("a whole number ≥ 0")?),
                "x-overflow" => {
                    a.overflow = Some(v.as_str().and_then(overflow_of).ok_or_else(|| {
                        bad(arg, v, "drop-head, reject-publish or reject-publish-dlx")
                    })?)
                }
                "x-max-priority" => {
                    let p = whole(v)
                        .filter(|p| *p <= 255)
                        .ok_or_else(|| bad(arg, v, "a whole number from 0 to 255"))?;
                    a.max_priority = (p > 0).then_some(p as u8);
                }
                "x-single-active-consumer" => {
                    a.single_active_consumer =
                        v.as_bool().ok_or_else(|| bad(arg, v, "true or false"))?
                }
                "x-delivery-limit" => {
                    a.delivery_limit = Some(signed(v).ok_or_else(|| bad(arg, v, "a whole number"))?)
                }
                "x-queue-type" => a.declared_type = Some(text_or("classic, quorum or stream")?),
                "x-dead-letter-exchange" => a.dlx = Some(text_or("an exchange name")?),
                "x-dead-letter-routing-key" => a.dlrk = Some(text_or("a routing key")?),
                "x-dead-letter-strategy" if v.as_str() == Some("at-most-once") => {}
                other => {
                    let (label, tail) = match other {
                        "x-dead-letter-strategy" => {
                            ("", "is not modelled; dead-lettering here is at-most-once")
                        }
                        "x-expires" => ("", "(delete the queue when unused) is not modelled"),
                        "x-max-age" => ("", "(stream retention) is not modelled"),
                        "x-queue-mode" => (
                            "",
                            "is not modelled (it changes how the broker stores messages)",
                        ),
                        _ => ("argument ", "is not modelled"),
                    };
                    self.notes.push(format!(
                        "queue {name:?}: {label}{other} = {} {tail}",
                        show(v)
                    ));
                }
            }
        }
        Ok(a)
    }

    fn queue_spec(
        &mut self,
        q: &QueueDef,
        policies: &[Policy],
    ) -> Result<(QueueSpec, Option<DeadLetter>), String> {
        let name = &q.name;
        let mut a = self.queue_arguments(q)?;
        let kind = match a.declared_type.as_deref() {
            None | Some("classic") => DeclaredType::Classic,
            Some("quorum") => DeclaredType::Quorum,
            Some("stream") => {
                self.notes.push(format!(
                    "queue {name:?} is a stream; it was imported as a classic queue (stream offsets and replay are not modelled)"
                ));
                DeclaredType::Stream
            }
            Some(other) => {
                return Err(format!(
                    "{}: queue {name:?} has the queue type {other:?}; expected classic, quorum or stream",
                    q.at
                ))
            }
        };
        let quorum = kind == DeclaredType::Quorum;

        let target = match kind {
            DeclaredType::Classic => PolicyTarget::Classic,
            DeclaredType::Quorum => PolicyTarget::Quorum,
            DeclaredType::Stream => PolicyTarget::Stream,
        };
        let policy = self.policy_for(policies, "queue", name, |p| {
            let to = match p.apply_to {
                ApplyTo::All | ApplyTo::Queues => true,
                ApplyTo::ClassicQueues => kind == DeclaredType::Classic,
                ApplyTo::QuorumQueues => quorum,
                ApplyTo::Streams => kind == DeclaredType::Stream,
                ApplyTo::Exchanges => false,
            };
            to && p.fits(target)
        });
        if let Some(p) = policy {
            a.apply_policy(p, quorum);
        }

        let mut spec = QueueSpec {
            message_ttl_ms: a.ttl.map(|t| t as f64),
            max_length: a.max_length,
            max_length_bytes: a.max_bytes,
            overflow: a.overflow.unwrap_or_default(),
            max_priority: a.max_priority,
            single_active_consumer: a.single_active_consumer,
            // Quorum queues are always durable.
            durable: q.durable || quorum,
            ..QueueSpec::default()
        };
        if quorum {
            spec.queue_type = QueueType::Quorum;
            spec.delivery_limit = match a.delivery_limit {
                Some(l) if l < 0 => {
                    self.notes.push(format!(
                        "quorum queue {name:?} has an unlimited delivery limit; it was imported as {}",
                        u32::MAX
                    ));
                    Some(u32::MAX)
                }
                Some(l) => Some(l.min(u32::MAX as i64) as u32),
                None => None,
            };
            if spec.max_priority.take().is_some() {
                self.notes.push(format!(
                    "quorum queue {name:?}: x-max-priority is not supported by quorum queues and was ignored"
                ));
            }
            if spec.overflow == Overflow::RejectPublishDlx {
                self.notes.push(format!(
                    "quorum queue {name:?}: overflow reject-publish-dlx is not supported by quorum queues (RabbitMQ falls back to drop-head), so drop-head was imported"
                ));
                spec.overflow = Overflow::DropHead;
            }
        } else if a.delivery_limit.is_some() {
            self.notes.push(format!(
                "queue {name:?}: x-delivery-limit only applies to quorum queues and was ignored"
            ));
        }
        Ok((spec, a.dlx.map(|x| (x, a.dlrk))))
    }

    /// Links each queue to its dead-letter exchange, or notes that it does not exist.
    pub(super) fn resolve_dead_letters(&mut self, dead_letters: Vec<(usize, DeadLetter)>) {
        for (queue, (exchange, key)) in dead_letters {
            match self.exchange(&exchange) {
                Some(to) => {
                    let edge = self.edge("dl", queue, to, EdgeKind::DeadLetter);
                    edge.routing_key = key;
                }
                None => {
                    let name = self.nodes[queue].name.clone();
                    self.notes.push(format!(
                        "queue {name:?} names the dead-letter exchange {exchange:?}, which is not declared; RabbitMQ drops its dead letters, and so does the playground"
                    ));
                }
            }
        }
    }
}
