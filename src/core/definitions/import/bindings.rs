//! Bindings: turning binding entries into binding edges between the nodes already made,
//! refusing ones whose source or destination is not declared, and dropping the ones
//! RabbitMQ would ignore (the default exchange cannot be bound) or holds only once.

use super::Importer;
use crate::core::definitions::is_reserved;
use crate::core::scenario::EdgeKind;
use serde_json::Value;
use std::collections::HashSet;

/// What an error about an undeclared exchange `name` adds when the name is reserved.
fn reserved_hint(name: &str) -> &'static str {
    if is_reserved(name) {
        " (names starting with \"amq.\" other than RabbitMQ's built-in exchanges cannot be declared)"
    } else {
        ""
    }
}

impl Importer {
    /// Creates the binding edges, in file order.
    pub(super) fn read_bindings(&mut self) -> Result<(), String> {
        let defs = std::mem::take(&mut self.file.bindings);
        let mut seen: HashSet<String> = HashSet::new();
        for b in &defs {
            if !self.here(&b.vhost) {
                continue;
            }
            if b.source.is_empty() {
                self.notes.push(format!(
                    "{}: the binding from the default exchange to {:?} was ignored: the default exchange cannot be bound (it reaches every queue by name)",
                    b.at, b.destination
                ));
                continue;
            }
            if !b.to_queue && b.destination.is_empty() {
                self.notes.push(format!(
                    "{}: the binding from {:?} to the default exchange was ignored: the default exchange cannot be bound",
                    b.at, b.source
                ));
                continue;
            }
            let Some(from) = self.exchange(&b.source) else {
                return Err(format!(
                    "{}: source exchange {:?} is not declared{}",
                    b.at,
                    b.source,
                    reserved_hint(&b.source)
                ));
            };
            let to = if b.to_queue {
                self.queues.get(&b.destination).copied().ok_or_else(|| {
                    format!(
                        "{}: destination queue {:?} is not declared",
                        b.at, b.destination
                    )
                })?
            } else {
                self.exchange(&b.destination).ok_or_else(|| {
                    format!(
                        "{}: destination exchange {:?} is not declared{}",
                        b.at,
                        b.destination,
                        reserved_hint(&b.destination)
                    )
                })?
            };
            let key = format!(
                "{}\u{0}{}\u{0}{}\u{0}{}",
                from,
                to,
                b.routing_key,
                Value::Object(b.arguments.clone())
            );
            if !seen.insert(key) {
                continue;
            }
            let edge = self.edge("b", from, to, EdgeKind::Binding);
            if !b.routing_key.is_empty() {
                edge.routing_key = Some(b.routing_key.clone());
            }
            edge.arguments = b.arguments.clone();
        }
        self.file.bindings = defs;
        Ok(())
    }
}
