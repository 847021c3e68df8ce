//! Importing a RabbitMQ definitions file: choosing the virtual host, reading queues,
//! exchanges, bindings and policies with errors that name the item, resolving policies
//! against optional arguments as RabbitMQ does, and laying the result out as a scenario.
//!
//! How arguments and policies combine follows the broker (`rabbit_amqqueue_process`
//! and `rabbit_quorum_queue`, rabbitmq.com/docs/policies, /docs/maxlength, /docs/ttl):
//! at most one policy applies to a queue or exchange, the matching one with the highest
//! priority; `message-ttl`, `max-length`, `max-length-bytes` and `delivery-limit` take
//! the lower of argument and policy; for the dead-letter exchange, its routing key, the
//! alternate exchange and classic queues' `overflow` the argument wins; for quorum
//! queues' `overflow` the policy wins.

use super::pattern::Pattern;
use super::{builtin_exchange_type, Imported, MAX_DEFINITIONS_BYTES};
use crate::core::scenario::{
    validate, Edge, EdgeKind, ExchangeSpec, ExchangeType, Node, NodeKind, Overflow, QueueSpec,
    QueueType, Scenario,
};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Top-level keys that carry nothing about message flow: skipped without a note.
const SILENT_KEYS: &[&str] = &[
    "rabbit_version",
    "rabbitmq_version",
    "product_name",
    "product_version",
    "rabbitmq_definition_format",
    "original_cluster_name",
    "explanation",
    "users",
    "vhosts",
    "permissions",
    "topic_permissions",
    "global_parameters",
];

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

/// Horizontal distance between layout columns.
const COLUMN_WIDTH: f64 = 240.0;
/// Vertical distance between nodes of a column.
const ROW_HEIGHT: f64 = 110.0;
/// Top-left margin of the layout.
const MARGIN: f64 = 80.0;

/// Reads a RabbitMQ definitions file (the JSON of `rabbitmqctl export_definitions` or
/// `GET /api/definitions`) and returns the topology of one virtual host as a scenario.
///
/// The virtual host is `vhost` when given, else the only one the file uses, else `/`.
/// Entries may leave out `arguments` (`{}`), `vhost` (`/`), `durable`, `auto_delete`
/// and `internal`. A file without any `vhost` field (a single-vhost export) is read
/// whole whatever `vhost` says.
///
/// Errors are one line and name the item, e.g. `bindings[3]: destination queue "foo"
/// is not declared`. Whatever affects messaging but cannot be modelled is imported
/// approximately or skipped and described in [`Imported::unsupported`].
pub fn import_definitions(text: &str, vhost: Option<&str>) -> Result<Imported, String> {
    if text.len() > MAX_DEFINITIONS_BYTES {
        return Err(format!(
            "the file is {} bytes; definitions files are limited to {} bytes (20 MiB)",
            text.len(),
            MAX_DEFINITIONS_BYTES
        ));
    }
    let root: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(root) = root else {
        return Err(format!(
            "a definitions file is a JSON object with queues, exchanges and bindings, not {}",
            kind_of(&root)
        ));
    };
    if root.contains_key("nodes") && root.contains_key("version") {
        return Err("this is a Queue Playground scenario, not a RabbitMQ definitions file".into());
    }
    let file = File::read(&root)?;
    Importer::new(file, vhost)?.run()
}

// ---------------------------------------------------------------------------------
// Reading the JSON

/// A queue entry.
struct QueueDef {
    at: String,
    name: String,
    vhost: Option<String>,
    /// The `type` field some exports carry besides `x-queue-type`.
    kind: Option<String>,
    arguments: Map<String, Value>,
}

/// An exchange entry.
struct ExchangeDef {
    at: String,
    name: String,
    vhost: Option<String>,
    kind: String,
    internal: bool,
    arguments: Map<String, Value>,
}

/// A binding entry.
struct BindingDef {
    at: String,
    vhost: Option<String>,
    source: String,
    destination: String,
    to_queue: bool,
    routing_key: String,
    arguments: Map<String, Value>,
}

/// What a policy applies to (`apply-to`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ApplyTo {
    All,
    Exchanges,
    Queues,
    ClassicQueues,
    QuorumQueues,
    Streams,
}

/// A policy entry.
struct PolicyDef {
    at: String,
    name: String,
    vhost: Option<String>,
    pattern_text: String,
    apply_to: ApplyTo,
    priority: i64,
    definition: Map<String, Value>,
}

/// A runtime parameter entry (shovels, federation upstreams, operator policies, ...).
struct ParameterDef {
    vhost: Option<String>,
    component: String,
    name: String,
}

/// The parsed file.
struct File {
    queues: Vec<QueueDef>,
    exchanges: Vec<ExchangeDef>,
    bindings: Vec<BindingDef>,
    policies: Vec<PolicyDef>,
    parameters: Vec<ParameterDef>,
    /// Names listed under `vhosts`.
    vhosts: Vec<String>,
    /// Top-level keys nobody reads.
    unknown_keys: Vec<String>,
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON value for a one-line message, shortened when long.
fn show(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn array<'a>(root: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], String> {
    match root.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(format!("`{key}` must be an array, not {}", kind_of(other))),
    }
}

fn object<'a>(v: &'a Value, at: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("{at}: must be an object, not {}", kind_of(v)))
}

fn string(obj: &Map<String, Value>, key: &str, at: &str) -> Result<String, String> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        None | Some(Value::Null) => Err(format!("{at}: `{key}` is missing")),
        Some(other) => Err(format!(
            "{at}: `{key}` must be a string, not {}",
            kind_of(other)
        )),
    }
}

fn opt_string(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!(
            "{at}: `{key}` must be a string, not {}",
            kind_of(other)
        )),
    }
}

fn opt_bool(obj: &Map<String, Value>, key: &str, at: &str) -> Result<bool, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!(
            "{at}: `{key}` must be true or false, not {}",
            kind_of(other)
        )),
    }
}

fn arguments(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Map<String, Value>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(other) => Err(format!(
            "{at}: `{key}` must be an object, not {}",
            kind_of(other)
        )),
    }
}

/// A whole number ≥ 0 (JSON integers, or floats without a fraction).
fn whole(v: &Value) -> Option<u64> {
    if let Some(u) = v.as_u64() {
        return Some(u);
    }
    let f = v.as_f64()?;
    (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1.8e19).then_some(f as u64)
}

/// A whole number, possibly negative.
fn signed(v: &Value) -> Option<i64> {
    if let Some(i) = v.as_i64() {
        return Some(i);
    }
    if v.as_u64().is_some() {
        return Some(i64::MAX);
    }
    let f = v.as_f64()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
}

fn overflow_of(s: &str) -> Option<Overflow> {
    match s {
        "drop-head" => Some(Overflow::DropHead),
        "reject-publish" => Some(Overflow::RejectPublish),
        "reject-publish-dlx" => Some(Overflow::RejectPublishDlx),
        _ => None,
    }
}

impl File {
    fn read(root: &Map<String, Value>) -> Result<File, String> {
        let mut file = File {
            queues: Vec::new(),
            exchanges: Vec::new(),
            bindings: Vec::new(),
            policies: Vec::new(),
            parameters: Vec::new(),
            vhosts: Vec::new(),
            unknown_keys: Vec::new(),
        };
        for key in root.keys() {
            let known = matches!(
                key.as_str(),
                "queues" | "exchanges" | "bindings" | "policies" | "parameters"
            );
            if !known && !SILENT_KEYS.contains(&key.as_str()) {
                file.unknown_keys.push(key.clone());
            }
        }
        for (i, v) in array(root, "vhosts")?.iter().enumerate() {
            let at = format!("vhosts[{i}]");
            file.vhosts.push(string(object(v, &at)?, "name", &at)?);
        }
        for (i, v) in array(root, "queues")?.iter().enumerate() {
            let at = format!("queues[{i}]");
            let o = object(v, &at)?;
            file.queues.push(QueueDef {
                name: string(o, "name", &at)?,
                vhost: opt_string(o, "vhost", &at)?,
                kind: opt_string(o, "type", &at)?,
                arguments: arguments(o, "arguments", &at)?,
                at,
            });
        }
        for (i, v) in array(root, "exchanges")?.iter().enumerate() {
            let at = format!("exchanges[{i}]");
            let o = object(v, &at)?;
            file.exchanges.push(ExchangeDef {
                name: string(o, "name", &at)?,
                vhost: opt_string(o, "vhost", &at)?,
                kind: opt_string(o, "type", &at)?.unwrap_or_else(|| "direct".into()),
                internal: opt_bool(o, "internal", &at)?,
                arguments: arguments(o, "arguments", &at)?,
                at,
            });
        }
        for (i, v) in array(root, "bindings")?.iter().enumerate() {
            let at = format!("bindings[{i}]");
            let o = object(v, &at)?;
            let to_queue = match string(o, "destination_type", &at)?.as_str() {
                "queue" => true,
                "exchange" => false,
                other => {
                    return Err(format!(
                    "{at}: `destination_type` is {other:?}; it must be \"queue\" or \"exchange\""
                ))
                }
            };
            file.bindings.push(BindingDef {
                vhost: opt_string(o, "vhost", &at)?,
                source: string(o, "source", &at)?,
                destination: string(o, "destination", &at)?,
                to_queue,
                routing_key: opt_string(o, "routing_key", &at)?.unwrap_or_default(),
                arguments: arguments(o, "arguments", &at)?,
                at,
            });
        }
        for (i, v) in array(root, "policies")?.iter().enumerate() {
            let at = format!("policies[{i}]");
            let o = object(v, &at)?;
            let name = string(o, "name", &at)?;
            let apply_to = match opt_string(o, "apply-to", &at)?.as_deref() {
                None | Some("all") => ApplyTo::All,
                Some("exchanges") => ApplyTo::Exchanges,
                Some("queues") => ApplyTo::Queues,
                Some("classic_queues") => ApplyTo::ClassicQueues,
                Some("quorum_queues") => ApplyTo::QuorumQueues,
                Some("streams") => ApplyTo::Streams,
                Some(other) => {
                    return Err(format!(
                        "{at}: policy {name:?} has `apply-to` {other:?}; expected all, exchanges, queues, classic_queues, quorum_queues or streams"
                    ))
                }
            };
            let priority = match o.get("priority") {
                None | Some(Value::Null) => 0,
                Some(p) => signed(p).ok_or_else(|| {
                    format!(
                        "{at}: policy {name:?} has `priority` {}; it must be a whole number",
                        show(p)
                    )
                })?,
            };
            let definition = match o.get("definition") {
                Some(Value::Object(d)) => d.clone(),
                None | Some(Value::Null) => {
                    return Err(format!("{at}: policy {name:?} has no `definition`"))
                }
                Some(other) => {
                    return Err(format!(
                        "{at}: policy {name:?}: `definition` must be an object, not {}",
                        kind_of(other)
                    ))
                }
            };
            check_policy_values(&definition, &at, &name)?;
            file.policies.push(PolicyDef {
                vhost: opt_string(o, "vhost", &at)?,
                pattern_text: string(o, "pattern", &at)?,
                apply_to,
                priority,
                definition,
                name,
                at,
            });
        }
        for (i, v) in array(root, "parameters")?.iter().enumerate() {
            let at = format!("parameters[{i}]");
            let o = object(v, &at)?;
            file.parameters.push(ParameterDef {
                vhost: opt_string(o, "vhost", &at)?,
                component: opt_string(o, "component", &at)?.unwrap_or_default(),
                name: opt_string(o, "name", &at)?.unwrap_or_default(),
            });
        }
        Ok(file)
    }
}

/// Types of the policy keys the import applies; RabbitMQ refuses others at `set_policy`.
fn check_policy_values(
    definition: &Map<String, Value>,
    at: &str,
    name: &str,
) -> Result<(), String> {
    for (key, v) in definition {
        let ok = match key.as_str() {
            "message-ttl" | "max-length" | "max-length-bytes" => whole(v).is_some(),
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
                "message-ttl" | "max-length" | "max-length-bytes" => "a whole number ≥ 0",
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

// ---------------------------------------------------------------------------------
// Building the scenario

/// The queue type as declared (streams are imported as classic queues).
#[derive(Clone, Copy, PartialEq, Eq)]
enum DeclaredType {
    Classic,
    Quorum,
    Stream,
}

/// A queue's dead-letter exchange name and `x-dead-letter-routing-key`.
type DeadLetter = (String, Option<String>);

/// A compiled policy of the chosen virtual host.
struct Policy {
    def: PolicyDef,
    pattern: Pattern,
}

struct Importer {
    file: File,
    vhost: String,
    /// False for single-vhost exports: every entry belongs to the chosen vhost.
    filter: bool,
    notes: Vec<String>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    ids: HashSet<String>,
    exchanges: HashMap<String, usize>,
    queues: HashMap<String, usize>,
    /// Exchange node index → its declaration (none for implicit ones).
    exchange_defs: HashMap<usize, usize>,
    edge_count: usize,
}

impl Importer {
    fn new(file: File, requested: Option<&str>) -> Result<Importer, String> {
        let entry_vhosts: Vec<&Option<String>> = file
            .queues
            .iter()
            .map(|q| &q.vhost)
            .chain(file.exchanges.iter().map(|x| &x.vhost))
            .chain(file.bindings.iter().map(|b| &b.vhost))
            .chain(file.policies.iter().map(|p| &p.vhost))
            .chain(file.parameters.iter().map(|p| &p.vhost))
            .collect();
        let filter = !file.vhosts.is_empty() || entry_vhosts.iter().any(|v| v.is_some());
        let used: BTreeSet<&str> = entry_vhosts
            .iter()
            .map(|v| v.as_deref().unwrap_or("/"))
            .collect();
        let mut notes = Vec::new();
        let vhost = match requested {
            Some(v) => {
                let known: BTreeSet<&str> = used
                    .iter()
                    .copied()
                    .chain(file.vhosts.iter().map(String::as_str))
                    .collect();
                if filter && !known.contains(v) {
                    let list: Vec<String> = known.iter().map(|k| format!("{k:?}")).collect();
                    return Err(format!(
                        "virtual host {v:?} is not in this file (it has {})",
                        list.join(", ")
                    ));
                }
                v.to_string()
            }
            None => {
                if used.len() == 1 {
                    used.iter()
                        .next()
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "/".into())
                } else if used.is_empty() && file.vhosts.len() == 1 {
                    file.vhosts[0].clone()
                } else {
                    if used.len() > 1 {
                        let others: Vec<String> = used
                            .iter()
                            .filter(|v| **v != "/")
                            .map(|v| format!("{v:?}"))
                            .collect();
                        notes.push(format!(
                            "the file holds several virtual hosts; only \"/\" was imported, not {} (choose another with the vhost option)",
                            others.join(", ")
                        ));
                    }
                    "/".to_string()
                }
            }
        };
        Ok(Importer {
            file,
            vhost,
            filter,
            notes,
            nodes: Vec::new(),
            edges: Vec::new(),
            ids: HashSet::new(),
            exchanges: HashMap::new(),
            queues: HashMap::new(),
            exchange_defs: HashMap::new(),
            edge_count: 0,
        })
    }

    fn here(&self, vhost: &Option<String>) -> bool {
        !self.filter || vhost.as_deref().unwrap_or("/") == self.vhost
    }

    fn unique_id(&mut self, prefix: &str, name: &str) -> String {
        let mut slug: String = name
            .chars()
            .take(60)
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        if slug.is_empty() {
            slug = if prefix == "x" {
                "default".into()
            } else {
                "unnamed".into()
            };
        }
        let base = format!("{prefix}-{slug}");
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        id
    }

    fn add_exchange(&mut self, name: &str, kind: ExchangeType) -> usize {
        let id = self.unique_id("x", name);
        let mut node = Node::new(id, NodeKind::Exchange, name);
        node.exchange = Some(ExchangeSpec { kind });
        self.nodes.push(node);
        let index = self.nodes.len() - 1;
        self.exchanges.insert(name.to_string(), index);
        index
    }

    /// The node of exchange `name`: a declared one, or the default or a built-in exchange
    /// created on first use. `None` when no such exchange exists.
    fn exchange(&mut self, name: &str) -> Option<usize> {
        if let Some(&i) = self.exchanges.get(name) {
            return Some(i);
        }
        if name.is_empty() {
            return Some(self.add_exchange("", ExchangeType::Direct));
        }
        builtin_exchange_type(name).map(|kind| self.add_exchange(name, kind))
    }

    fn edge(&mut self, prefix: &str, from: usize, to: usize, kind: EdgeKind) -> &mut Edge {
        self.edge_count += 1;
        let id = format!("{prefix}{}", self.edge_count);
        let edge = Edge::new(
            id,
            self.nodes[from].id.clone(),
            self.nodes[to].id.clone(),
            kind,
        );
        self.edges.push(edge);
        let last = self.edges.len() - 1;
        &mut self.edges[last]
    }

    fn run(mut self) -> Result<Imported, String> {
        for key in std::mem::take(&mut self.file.unknown_keys) {
            self.notes
                .push(format!("the top-level key `{key}` is not part of RabbitMQ definitions as the playground knows them; it was ignored"));
        }
        self.note_parameters();
        let policies = self.compile_policies();
        self.read_exchanges()?;
        let queue_specs = self.read_queues(&policies)?;
        self.read_bindings()?;
        self.resolve_alternates(&policies);
        self.resolve_dead_letters(queue_specs);
        self.layout();

        let mut scenario = Scenario::empty();
        scenario.name = if self.vhost == "/" {
            "RabbitMQ definitions".into()
        } else {
            format!("RabbitMQ definitions ({})", self.vhost)
        };
        scenario.description = format!(
            "Imported from a RabbitMQ definitions file, virtual host {:?}.",
            self.vhost
        );
        scenario.nodes = self.nodes;
        scenario.edges = self.edges;
        let problems = validate(&scenario);
        if !problems.is_empty() {
            let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            return Err(format!(
                "the imported topology is not valid: {}",
                lines.join("; ")
            ));
        }
        Ok(Imported {
            scenario,
            unsupported: self.notes,
        })
    }

    fn note_parameters(&mut self) {
        let mut notes = Vec::new();
        for p in &self.file.parameters {
            if !self.here(&p.vhost) {
                continue;
            }
            let name = &p.name;
            notes.push(match p.component.as_str() {
                "shovel" => format!("shovel {name:?} moves messages outside exchange routing; it is not modelled"),
                "federation-upstream" => format!(
                    "federation upstream {name:?} is not modelled: federated exchanges and queues act as local ones"
                ),
                "federation-upstream-set" => format!("federation upstream set {name:?} is not modelled"),
                "operator_policy" => format!("operator policy {name:?} was not applied (operator policies are not modelled)"),
                other => format!("runtime parameter {name:?} of component {other:?} is not modelled"),
            });
        }
        self.notes.extend(notes);
    }

    /// Moves the policies of the chosen virtual host out of the file, compiled.
    fn compile_policies(&mut self) -> Vec<Policy> {
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
            match Pattern::new(&def.pattern_text) {
                Ok(pattern) => out.push(Policy { def, pattern }),
                Err(why) => self.notes.push(format!(
                    "{}: policy {:?} has the pattern {:?}, which uses {why}; the playground cannot evaluate it, so the policy was not applied",
                    def.at, def.name, def.pattern_text
                )),
            }
        }
        out
    }

    /// The policy in force for an entity, as RabbitMQ picks it.
    fn policy_for<'p>(
        &mut self,
        policies: &'p [Policy],
        what: &str,
        name: &str,
        applies: impl Fn(ApplyTo) -> bool,
    ) -> Option<&'p PolicyDef> {
        let mut best: Option<&PolicyDef> = None;
        let mut tie: Option<&PolicyDef> = None;
        for p in policies {
            if !applies(p.def.apply_to) || !p.pattern.is_match(name) {
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

    fn read_exchanges(&mut self) -> Result<(), String> {
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
                if x.kind != kind.as_str() || !x.arguments.is_empty() {
                    self.notes.push(format!(
                        "{}: {:?} is RabbitMQ's built-in {} exchange; its declaration (type {:?}, arguments {}) was ignored",
                        x.at,
                        x.name,
                        kind.as_str(),
                        x.kind,
                        Value::Object(x.arguments.clone())
                    ));
                }
                continue;
            }
            if x.name.starts_with("amq.") {
                self.notes.push(format!(
                    "{}: exchange {:?} was skipped: names starting with \"amq.\" are reserved and RabbitMQ refuses to declare them",
                    x.at, x.name
                ));
                continue;
            }
            let kind = match x.kind.as_str() {
                "direct" => ExchangeType::Direct,
                "fanout" => ExchangeType::Fanout,
                "topic" => ExchangeType::Topic,
                "headers" => ExchangeType::Headers,
                "x-delayed-message" => {
                    let routed = x
                        .arguments
                        .get("x-delayed-type")
                        .and_then(Value::as_str)
                        .unwrap_or("direct");
                    let kind = match routed {
                        "fanout" => ExchangeType::Fanout,
                        "topic" => ExchangeType::Topic,
                        "headers" => ExchangeType::Headers,
                        _ => ExchangeType::Direct,
                    };
                    self.notes.push(format!(
                        "exchange {:?} is a delayed-message exchange; it was imported as a {} exchange that routes at once (x-delay is not modelled)",
                        x.name,
                        kind.as_str()
                    ));
                    kind
                }
                other => {
                    self.notes.push(format!(
                        "exchange {:?} has the plugin type {other:?}, which the playground cannot model; it was imported as a fanout exchange, so it reaches every bound destination where RabbitMQ would choose among them",
                        x.name
                    ));
                    ExchangeType::Fanout
                }
            };
            if x.internal {
                self.notes.push(format!(
                    "exchange {:?} is internal (publishers cannot use it directly); the playground does not enforce that",
                    x.name
                ));
            }
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
                } else if !(key == "x-delayed-type" && x.kind == "x-delayed-message") {
                    self.notes.push(format!(
                        "exchange {:?}: argument {key} = {} is not modelled",
                        x.name,
                        show(v)
                    ));
                }
            }
            let i = self.add_exchange(&x.name, kind);
            self.exchange_defs.insert(i, k);
        }
        self.file.exchanges = defs;
        Ok(())
    }

    /// Creates the queue nodes; returns, per queue node, its dead-letter exchange name and
    /// routing key after policies.
    fn read_queues(&mut self, policies: &[Policy]) -> Result<Vec<(usize, DeadLetter)>, String> {
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
            if name.starts_with("amq.") {
                self.notes.push(format!(
                    "{}: queue {name:?} was skipped: names starting with \"amq.\" are reserved and RabbitMQ refuses to declare them",
                    q.at
                ));
                continue;
            }
            let (spec, dlx) = self.queue_spec(q, policies)?;
            let id = self.unique_id("q", name);
            let mut node = Node::new(id, NodeKind::Queue, name.as_str());
            node.queue = Some(spec);
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

    fn queue_spec(
        &mut self,
        q: &QueueDef,
        policies: &[Policy],
    ) -> Result<(QueueSpec, Option<DeadLetter>), String> {
        let name = &q.name;
        let bad = |arg: &str, v: &Value, expected: &str| {
            format!(
                "{}: queue {name:?} has {arg} = {}; it must be {expected}",
                q.at,
                show(v)
            )
        };
        let mut ttl = None;
        let mut max_length = None;
        let mut max_bytes = None;
        let mut overflow = None;
        let mut max_priority = None;
        let mut sac = false;
        let mut delivery_limit: Option<i64> = None;
        let mut declared_type = q.kind.clone();
        let mut dlx: Option<String> = None;
        let mut dlrk: Option<String> = None;
        for (arg, v) in &q.arguments {
            match arg.as_str() {
                "x-message-ttl" => ttl = Some(whole(v).ok_or_else(|| bad(arg, v, "a whole number of ms ≥ 0"))?),
                "x-max-length" => max_length = Some(whole(v).ok_or_else(|| bad(arg, v, "a whole number ≥ 0"))?),
                "x-max-length-bytes" => max_bytes = Some(whole(v).ok_or_else(|| bad(arg, v, "a whole number ≥ 0"))?),
                "x-overflow" => {
                    overflow = Some(v.as_str().and_then(overflow_of).ok_or_else(|| {
                        bad(arg, v, "drop-head, reject-publish or reject-publish-dlx")
                    })?)
                }
                "x-max-priority" => {
                    let p = whole(v)
                        .filter(|p| *p <= 255)
                        .ok_or_else(|| bad(arg, v, "a whole number from 0 to 255"))?;
                    max_priority = (p > 0).then_some(p as u8);
                }
                "x-single-active-consumer" => sac = v.as_bool().ok_or_else(|| bad(arg, v, "true or false"))?,
                "x-delivery-limit" => delivery_limit = Some(signed(v).ok_or_else(|| bad(arg, v, "a whole number"))?),
                "x-queue-type" => {
                    declared_type = Some(v.as_str().ok_or_else(|| bad(arg, v, "classic, quorum or stream"))?.to_string())
                }
                "x-dead-letter-exchange" => {
                    dlx = Some(v.as_str().ok_or_else(|| bad(arg, v, "an exchange name"))?.to_string())
                }
                "x-dead-letter-routing-key" => {
                    dlrk = Some(v.as_str().ok_or_else(|| bad(arg, v, "a routing key"))?.to_string())
                }
                "x-dead-letter-strategy" if v.as_str() == Some("at-most-once") => {}
                "x-dead-letter-strategy" => self.notes.push(format!(
                    "queue {name:?}: x-dead-letter-strategy = {} is not modelled; dead-lettering here is at-most-once",
                    show(v)
                )),
                "x-expires" => self.notes.push(format!(
                    "queue {name:?}: x-expires = {} (delete the queue when unused) is not modelled",
                    show(v)
                )),
                "x-max-age" => self.notes.push(format!(
                    "queue {name:?}: x-max-age = {} (stream retention) is not modelled",
                    show(v)
                )),
                "x-queue-mode" => self.notes.push(format!(
                    "queue {name:?}: x-queue-mode = {} is not modelled (it changes how the broker stores messages)",
                    show(v)
                )),
                _ => self.notes.push(format!(
                    "queue {name:?}: argument {arg} = {} is not modelled",
                    show(v)
                )),
            }
        }
        let kind = match declared_type.as_deref() {
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

        let policy = self.policy_for(policies, "queue", name, |a| match a {
            ApplyTo::All | ApplyTo::Queues => true,
            ApplyTo::ClassicQueues => kind == DeclaredType::Classic,
            ApplyTo::QuorumQueues => kind == DeclaredType::Quorum,
            ApplyTo::Streams => kind == DeclaredType::Stream,
            ApplyTo::Exchanges => false,
        });
        if let Some(p) = policy {
            let d = &p.definition;
            let lower = |arg: Option<u64>, key: &str| -> Option<u64> {
                match (arg, d.get(key).and_then(whole)) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            };
            ttl = lower(ttl, "message-ttl");
            max_length = lower(max_length, "max-length");
            max_bytes = lower(max_bytes, "max-length-bytes");
            let policy_overflow = d
                .get("overflow")
                .and_then(Value::as_str)
                .and_then(overflow_of);
            overflow = if kind == DeclaredType::Quorum {
                policy_overflow.or(overflow)
            } else {
                overflow.or(policy_overflow)
            };
            if dlx.is_none() {
                dlx = d
                    .get("dead-letter-exchange")
                    .and_then(Value::as_str)
                    .map(String::from);
            }
            if dlrk.is_none() {
                dlrk = d
                    .get("dead-letter-routing-key")
                    .and_then(Value::as_str)
                    .map(String::from);
            }
            if kind == DeclaredType::Quorum {
                if let Some(pl) = d.get("delivery-limit").and_then(signed) {
                    // rabbit_quorum_queue: the lower value, unless one of them is
                    // negative (unlimited), then the higher.
                    delivery_limit = Some(match delivery_limit {
                        None => pl,
                        Some(a) if a < 0 || pl < 0 => a.max(pl),
                        Some(a) => a.min(pl),
                    });
                }
            }
        }

        let mut spec = QueueSpec {
            message_ttl_ms: ttl.map(|t| t as f64),
            max_length,
            max_length_bytes: max_bytes,
            overflow: overflow.unwrap_or_default(),
            max_priority,
            single_active_consumer: sac,
            ..QueueSpec::default()
        };
        if kind == DeclaredType::Quorum {
            spec.queue_type = QueueType::Quorum;
            spec.delivery_limit = match delivery_limit {
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
        } else if delivery_limit.is_some() {
            self.notes.push(format!(
                "queue {name:?}: x-delivery-limit only applies to quorum queues and was ignored"
            ));
        }
        Ok((spec, dlx.map(|x| (x, dlrk))))
    }

    fn read_bindings(&mut self) -> Result<(), String> {
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
            let reserved = |name: &str| {
                if name.starts_with("amq.") {
                    " (names starting with \"amq.\" other than RabbitMQ's built-in exchanges cannot be declared)"
                } else {
                    ""
                }
            };
            let Some(from) = self.exchange(&b.source) else {
                return Err(format!(
                    "{}: source exchange {:?} is not declared{}",
                    b.at,
                    b.source,
                    reserved(&b.source)
                ));
            };
            let to = if b.to_queue {
                match self.queues.get(&b.destination) {
                    Some(&q) => q,
                    None => {
                        return Err(format!(
                            "{}: destination queue {:?} is not declared",
                            b.at, b.destination
                        ))
                    }
                }
            } else {
                match self.exchange(&b.destination) {
                    Some(x) => x,
                    None => {
                        return Err(format!(
                            "{}: destination exchange {:?} is not declared{}",
                            b.at,
                            b.destination,
                            reserved(&b.destination)
                        ))
                    }
                }
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

    fn resolve_alternates(&mut self, policies: &[Policy]) {
        // Built-in exchanges created along the way get their turn too.
        let mut i = 0;
        while i < self.nodes.len() {
            if self.nodes[i].kind != NodeKind::Exchange || self.nodes[i].name.is_empty() {
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
                    .policy_for(policies, "exchange", &name, |a| {
                        matches!(a, ApplyTo::All | ApplyTo::Exchanges)
                    })
                    .and_then(|p| p.definition.get("alternate-exchange"))
                    .and_then(Value::as_str)
                    .map(String::from),
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

    fn resolve_dead_letters(&mut self, dead_letters: Vec<(usize, DeadLetter)>) {
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

    /// Columns left to right: exchanges by their depth along exchange-to-exchange
    /// bindings and alternate exchanges, then the queues; rows in declaration order,
    /// queues sorted by the row of the first exchange bound to them.
    fn layout(&mut self) {
        let n = self.nodes.len();
        let index: HashMap<&str, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, nd)| (nd.id.as_str(), i))
            .collect();
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut incoming = vec![0usize; n];
        let mut queue_sources: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in &self.edges {
            let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str()))
            else {
                continue;
            };
            match (e.kind, self.nodes[b].kind) {
                (EdgeKind::Binding | EdgeKind::AlternateExchange, NodeKind::Exchange) => {
                    next[a].push(b);
                    incoming[b] += 1;
                }
                (EdgeKind::Binding, NodeKind::Queue) => queue_sources[b].push(a),
                _ => {}
            }
        }
        let exchanges: Vec<usize> = (0..n)
            .filter(|&i| self.nodes[i].kind == NodeKind::Exchange)
            .collect();
        // Depth-first post-order without recursion; back edges (cycles) are ignored.
        let mut state = vec![0u8; n];
        let mut post = Vec::with_capacity(exchanges.len());
        let roots = exchanges
            .iter()
            .filter(|&&x| incoming[x] == 0)
            .chain(exchanges.iter().filter(|&&x| incoming[x] > 0));
        for &root in roots {
            if state[root] != 0 {
                continue;
            }
            state[root] = 1;
            let mut stack = vec![(root, 0usize)];
            while let Some(top) = stack.last_mut() {
                let (v, i) = *top;
                if i < next[v].len() {
                    top.1 += 1;
                    let w = next[v][i];
                    if state[w] == 0 {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                } else {
                    state[v] = 2;
                    post.push(v);
                    stack.pop();
                }
            }
        }
        let mut position = vec![0usize; n];
        for (p, &v) in post.iter().rev().enumerate() {
            position[v] = p;
        }
        let mut depth = vec![0usize; n];
        for &v in post.iter().rev() {
            for &w in &next[v] {
                if position[w] > position[v] {
                    depth[w] = depth[w].max(depth[v] + 1);
                }
            }
        }
        let columns = exchanges.iter().map(|&x| depth[x] + 1).max().unwrap_or(0);
        let mut rows = vec![0usize; columns + 1];
        let mut y = vec![0.0f64; n];
        for &x in &exchanges {
            let c = depth[x];
            y[x] = MARGIN + rows[c] as f64 * ROW_HEIGHT;
            rows[c] += 1;
            self.nodes[x].x = MARGIN + c as f64 * COLUMN_WIDTH;
            self.nodes[x].y = y[x];
        }
        let mut queues: Vec<(f64, usize)> = (0..n)
            .filter(|&i| self.nodes[i].kind == NodeKind::Queue)
            .map(|q| {
                let key = queue_sources[q]
                    .iter()
                    .map(|&s| y[s])
                    .fold(f64::INFINITY, f64::min);
                (key, q)
            })
            .collect();
        queues.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (row, &(_, q)) in queues.iter().enumerate() {
            self.nodes[q].x = MARGIN + columns as f64 * COLUMN_WIDTH;
            self.nodes[q].y = MARGIN + row as f64 * ROW_HEIGHT;
        }
    }
}
