//! Policies: which keys the import applies and their types, compiling each pattern with
//! `regex-lite`, picking the policy in force for a queue or exchange, and merging a
//! policy into a queue's arguments.
//!
//! How arguments and policies combine follows the broker (`rabbit_amqqueue_process`
//! and `rabbit_quorum_queue`, rabbitmq.com/docs/policies, /docs/maxlength, /docs/ttl):
//! at most one policy applies to a queue or exchange, the matching one with the highest
//! priority; `message-ttl`, `max-length`, `max-length-bytes` and `delivery-limit` take
//! the lower of argument and policy; for the dead-letter exchange, its routing key, the
//! alternate exchange and classic queues' `overflow` the argument wins; for quorum
//! queues' `overflow` the policy wins.
//!
//! RabbitMQ matches a pattern with Erlang's `re` (PCRE) anywhere in the name unless it
//! is anchored; `regex-lite` searches the same way, in time linear in the name. A
//! pattern it cannot compile (look-around, back-references, Unicode classes, ...) is
//! reported as unsupported and its policy is not applied.

use super::queues::QueueArgs;
use super::raw::{overflow_of, show, signed, whole, PolicyDef};
use super::Importer;
use regex_lite::Regex;
use serde_json::{Map, Value};

/// Policy definition keys the import applies.
const POLICY_KEYS: &[&str] = &[
    "message-ttl",
    "max-length",
    "max-length-bytes",
    "overflow",
    "dead-letter-exchange",
    "dead-letter-routing-key",
    "delivery-limit",
    "alternate-exchange",
];

/// Types of the policy keys the import applies; RabbitMQ refuses others at `set_policy`.
pub(super) fn check_policy_values(
    definition: &Map<String, Value>,
    at: &str,
    name: &str,
) -> Result<(), String> {
    for (key, v) in definition {
        let ok = match key.as_str() {
            "message-ttl" => whole(v).is_some_and(|t| t <= crate::core::scenario::MAX_TTL_MS),
            "max-length" | "max-length-bytes" => whole(v).is_some(),
            "delivery-limit" => signed(v).is_some(),
            "overflow" => v.as_str().and_then(overflow_of).is_some(),
            "dead-letter-exchange" | "dead-letter-routing-key" | "alternate-exchange" => {
                v.is_string()
            }
            _ => true,
        };
        if !ok {
            let expected = match key.as_str() {
                "overflow" => "drop-head, reject-publish or reject-publish-dlx",
                "delivery-limit" => "a whole number",
                "message-ttl" => "a whole number of ms from 0 to 315,360,000,000 (ten years, the longest TTL RabbitMQ takes)",
                "max-length" | "max-length-bytes" => "a whole number ≥ 0",
                _ => "a string",
            };
            return Err(format!(
                "{at}: policy {name:?} sets {key} to {}; it must be {expected}",
                show(v)
            ));
        }
    }
    Ok(())
}

/// A compiled policy of the chosen virtual host.
pub(super) struct Policy {
    def: PolicyDef,
    pattern: Regex,
}

/// The string value of `key` in a policy definition.
fn text(definition: &Map<String, Value>, key: &str) -> Option<String> {
    definition
        .get(key)
        .and_then(Value::as_str)
        .map(String::from)
}

/// Policy keys each queue type does not support, from `unsupported_policies` in the
/// `capabilities()` of `rabbit_classic_queue`, `rabbit_quorum_queue` and
/// `rabbit_stream_queue` (RabbitMQ 3.10.8, as installed). A policy holding any of them
/// is not applicable to a queue of that type (`rabbit_policy:is_applicable/2`), and the
/// next matching policy applies instead.
const CLASSIC_UNSUPPORTED: &[&str] = &[
    "max-age",
    "stream-max-segment-size-bytes",
    "queue-leader-locator",
    "initial-cluster-size",
    "delivery-limit",
    "dead-letter-strategy",
];
const QUORUM_UNSUPPORTED: &[&str] = &[
    "max-priority",
    "queue-mode",
    "single-active-consumer",
    "ha-mode",
    "ha-params",
    "ha-sync-mode",
    "ha-promote-on-shutdown",
    "ha-promote-on-failure",
    "queue-master-locator",
    "max-age",
    "stream-max-segment-size-bytes",
    "initial-cluster-size",
];
const STREAM_UNSUPPORTED: &[&str] = &[
    "expires",
    "message-ttl",
    "dead-letter-exchange",
    "dead-letter-routing-key",
    "max-length",
    "max-in-memory-length",
    "max-in-memory-bytes",
    "max-priority",
    "overflow",
    "queue-mode",
    "single-active-consumer",
    "delivery-limit",
    "ha-mode",
    "ha-params",
    "ha-sync-mode",
    "ha-promote-on-shutdown",
    "ha-promote-on-failure",
    "queue-master-locator",
    "dead-letter-strategy",
];

/// A queue's type, as far as policies care.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PolicyTarget {
    /// A classic queue.
    Classic,
    /// A quorum queue.
    Quorum,
    /// A stream.
    Stream,
}

impl PolicyDef {
    /// Whether a queue of type `target` can take this policy: none of its keys is one
    /// that type does not support.
    pub(super) fn fits(&self, target: PolicyTarget) -> bool {
        let unsupported = match target {
            PolicyTarget::Classic => CLASSIC_UNSUPPORTED,
            PolicyTarget::Quorum => QUORUM_UNSUPPORTED,
            PolicyTarget::Stream => STREAM_UNSUPPORTED,
        };
        !self
            .definition
            .keys()
            .any(|k| unsupported.contains(&k.as_str()))
    }

    /// The policy's alternate exchange, if it sets one.
    pub(super) fn alternate_exchange(&self) -> Option<String> {
        text(&self.definition, "alternate-exchange")
    }
}

impl QueueArgs {
    /// Merges the policy in force into the queue's arguments, as the broker does.
    pub(super) fn apply_policy(&mut self, policy: &PolicyDef, quorum: bool) {
        let d = &policy.definition;
        let lower = |arg: Option<u64>, key: &str| -> Option<u64> {
            match (arg, d.get(key).and_then(whole)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        };
        self.ttl = lower(self.ttl, "message-ttl");
        self.max_length = lower(self.max_length, "max-length");
        self.max_bytes = lower(self.max_bytes, "max-length-bytes");
        let policy_overflow = d
            .get("overflow")
            .and_then(Value::as_str)
            .and_then(overflow_of);
        self.overflow = if quorum {
            policy_overflow.or(self.overflow)
        } else {
            self.overflow.or(policy_overflow)
        };
        if self.dlx.is_none() {
            self.dlx = text(d, "dead-letter-exchange");
        }
        if self.dlrk.is_none() {
            self.dlrk = text(d, "dead-letter-routing-key");
        }
        if quorum {
            if let Some(pl) = d.get("delivery-limit").and_then(signed) {
                // rabbit_quorum_queue: the lower value, unless one of them is
                // negative (unlimited), then the higher.
                self.delivery_limit = Some(match self.delivery_limit {
                    None => pl,
                    Some(a) if a < 0 || pl < 0 => a.max(pl),
                    Some(a) => a.min(pl),
                });
            }
        }
    }
}

impl Importer {
    /// Moves the policies of the chosen virtual host out of the file, compiled.
    pub(super) fn compile_policies(&mut self) -> Vec<Policy> {
        let mut out = Vec::new();
        for def in std::mem::take(&mut self.file.policies) {
            if !self.here(&def.vhost) {
                continue;
            }
            let unsupported: Vec<&str> = def
                .definition
                .keys()
                .map(String::as_str)
                .filter(|k| !POLICY_KEYS.contains(k))
                .collect();
            if !unsupported.is_empty() {
                self.notes.push(format!(
                    "policy {:?} sets {}, which the playground does not model",
                    def.name,
                    unsupported.join(", ")
                ));
            }
            match Regex::new(&def.pattern_text) {
                Ok(pattern) => out.push(Policy { def, pattern }),
                Err(why) => self.notes.push(format!(
                    "{}: policy {:?} has the pattern {:?}, which the playground cannot evaluate ({why}), so the policy was not applied",
                    def.at, def.name, def.pattern_text
                )),
            }
        }
        out
    }

    /// The policy in force for an entity, as RabbitMQ picks it: the matching policy of
    /// the highest priority among those `applies` accepts (its `apply-to`, and for a
    /// queue the keys its type supports).
    pub(super) fn policy_for<'p>(
        &mut self,
        policies: &'p [Policy],
        what: &str,
        name: &str,
        applies: impl Fn(&PolicyDef) -> bool,
    ) -> Option<&'p PolicyDef> {
        let mut best: Option<&PolicyDef> = None;
        let mut tie: Option<&PolicyDef> = None;
        for p in policies {
            if !applies(&p.def) || !p.pattern.is_match(name) {
                continue;
            }
            match best {
                Some(b) if b.priority > p.def.priority => {}
                Some(b) if b.priority == p.def.priority => {
                    tie.get_or_insert(&p.def);
                }
                _ => {
                    best = Some(&p.def);
                    tie = None;
                }
            }
        }
        if let (Some(b), Some(t)) = (best, tie) {
            self.notes.push(format!(
                "{what} {name:?}: policies {:?} and {:?} both match with priority {}; RabbitMQ picks either, the playground applied {:?}",
                b.name, t.name, b.priority, b.name
            ));
        }
        best
    }
}
