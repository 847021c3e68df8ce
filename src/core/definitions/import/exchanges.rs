//! Exchanges: turning exchange entries into exchange nodes (built-in and plugin types
//! included, approximately), creating the default and built-in exchanges when something
//! uses them, and linking exchanges to their alternate exchanges.

use super::policies::Policy;
use super::raw::{show, ApplyTo};
use super::Importer;
use crate::core::definitions::builtin_exchange_type;
use crate::core::scenario::NodeSpec;
use crate::core::scenario::{EdgeKind, ExchangeSpec, ExchangeType, Node, NodeKind};
use serde_json::Value;

/// The exchange type RabbitMQ calls `s`, if the playground has it.
fn exchange_type_of(s: &str) -> Option<ExchangeType> {
    [
        ExchangeType::Direct,
        ExchangeType::Fanout,
        ExchangeType::Topic,
        ExchangeType::Headers,
    ]
    .into_iter()
    .find(|k| k.as_str() == s)
}

impl Importer {
    fn add_exchange(&mut self, name: &str, kind: ExchangeType, internal: bool) -> usize {
        let id = self.unique_id("x", name);
        let mut node = Node::new(id, NodeKind::Exchange, name);
        node.spec = NodeSpec::Exchange(ExchangeSpec { kind, internal });
        self.nodes.push(node);
        let index = self.nodes.len() - 1;
        self.exchanges.insert(name.to_string(), index);
        index
    }

    /// The node of exchange `name`: a declared one, or the default or a built-in exchange
    /// created on first use. `None` when no such exchange exists.
    pub(super) fn exchange(&mut self, name: &str) -> Option<usize> {
        if let Some(&i) = self.exchanges.get(name) {
            return Some(i);
        }
        if name.is_empty() {
            return Some(self.add_exchange("", ExchangeType::Direct, false));
        }
        builtin_exchange_type(name).map(|kind| self.add_exchange(name, kind, false))
    }

    /// Creates the nodes of the declared exchanges.
    pub(super) fn read_exchanges(&mut self) -> Result<(), String> {
        let defs = std::mem::take(&mut self.file.exchanges);
        for (k, x) in defs.iter().enumerate() {
            if !self.here(&x.vhost) || x.name.is_empty() {
                // The default exchange cannot be declared; it always exists.
                continue;
            }
            if self.exchanges.contains_key(&x.name) {
                self.notes.push(format!(
                    "{}: exchange {:?} is declared more than once; the first declaration was kept",
                    x.at, x.name
                ));
                continue;
            }
            if let Some(kind) = builtin_exchange_type(&x.name) {
                // Built-in exchanges exist already; RabbitMQ skips their declaration, and
                // the import creates them when something uses them.
                if x.kind.as_deref().is_some_and(|k| k != kind.as_str()) || !x.arguments.is_empty()
                {
                    self.notes.push(format!(
                        "{}: {:?} is RabbitMQ's built-in {} exchange; its declaration (type {:?}, arguments {}) was ignored",
                        x.at,
                        x.name,
                        kind.as_str(),
                        x.kind.as_deref().unwrap_or(kind.as_str()),
                        Value::Object(x.arguments.clone())
                    ));
                }
                continue;
            }
            if self.skip_reserved(&x.at, "exchange", &x.name) {
                continue;
            }
            if x.auto_delete {
                self.notes.push(format!(
                    "{}: exchange {:?} is auto_delete (deleted when its last binding goes); the playground keeps it (not modelled), so an export writes it without auto_delete",
                    x.at, x.name
                ));
            }
            let type_name = match x.kind.as_deref() {
                Some(t) => t,
                None => {
                    // rabbit_definitions:add_exchange_int passes `type` to
                    // rabbit_exchange:check_type, which refuses a missing one.
                    self.notes.push(format!(
                        "{}: exchange {:?} has no `type`, so RabbitMQ would refuse to import the file; it was imported as a direct exchange",
                        x.at, x.name
                    ));
                    "direct"
                }
            };
            let kind = match (exchange_type_of(type_name), type_name) {
                (Some(kind), _) => kind,
                (None, "x-delayed-message") => {
                    let kind = x
                        .arguments
                        .get("x-delayed-type")
                        .and_then(Value::as_str)
                        .and_then(exchange_type_of)
                        .unwrap_or(ExchangeType::Direct);
                    self.notes.push(format!(
                        "exchange {:?} is a delayed-message exchange; it was imported as a {} exchange that routes at once (x-delay is not modelled)",
                        x.name,
                        kind.as_str()
                    ));
                    kind
                }
                (None, other) => {
                    self.notes.push(format!(
                        "exchange {:?} has the plugin type {other:?}, which the playground cannot model; it was imported as a fanout exchange, so it reaches every bound destination where RabbitMQ would choose among them",
                        x.name
                    ));
                    ExchangeType::Fanout
                }
            };
            for (key, v) in &x.arguments {
                if key == "alternate-exchange" {
                    if !v.is_string() {
                        return Err(format!(
                            "{}: exchange {:?} has alternate-exchange {}; it must be an exchange name",
                            x.at,
                            x.name,
                            show(v)
                        ));
                    }
                } else if !(key == "x-delayed-type" && type_name == "x-delayed-message") {
                    self.notes.push(format!(
                        "exchange {:?}: argument {key} = {} is not modelled",
                        x.name,
                        show(v)
                    ));
                }
            }
            let i = self.add_exchange(&x.name, kind, x.internal);
            self.exchange_defs.insert(i, k);
        }
        self.file.exchanges = defs;
        Ok(())
    }

    /// Links each exchange to its alternate exchange (the argument, else the policy in
    /// force), or notes that it does not exist.
    pub(super) fn resolve_alternates(&mut self, policies: &[Policy]) {
        // Built-in exchanges created along the way get their turn too.
        let mut i = 0;
        while i < self.nodes.len() {
            if self.nodes[i].kind() != NodeKind::Exchange || self.nodes[i].name.is_empty() {
                i += 1;
                continue;
            }
            let name = self.nodes[i].name.clone();
            let from_argument = self
                .exchange_defs
                .get(&i)
                .and_then(|&k| self.file.exchanges[k].arguments.get("alternate-exchange"))
                .and_then(Value::as_str)
                .map(String::from);
            let alternate = match from_argument {
                Some(a) => Some(a),
                None => self
                    .policy_for(policies, "exchange", &name, |p| {
                        matches!(p.apply_to, ApplyTo::All | ApplyTo::Exchanges)
                    })
                    .and_then(|p| p.alternate_exchange()),
            };
            if let Some(alternate) = alternate {
                match self.exchange(&alternate) {
                    Some(to) => {
                        self.edge("ae", i, to, EdgeKind::AlternateExchange);
                    }
                    None => self.notes.push(format!(
                        "exchange {name:?} names the alternate exchange {alternate:?}, which is not declared; RabbitMQ drops its unroutable messages, and so does the playground"
                    )),
                }
            }
            i += 1;
        }
    }
}
