//! Importing a RabbitMQ definitions file: the entry point, the choice of virtual host,
//! and the importer's state (nodes, edges, ids, notes) that the sibling modules fill in,
//! in order: runtime parameters and policies noted or compiled, then exchanges, queues,
//! bindings, alternate and dead-letter exchanges, and finally the layout.
//!
//! [`raw`] reads the JSON, [`policies`] resolves policies against arguments as RabbitMQ
//! does, [`exchanges`], [`queues`] and [`bindings`] make the nodes and edges, and
//! [`layout`] places them.

mod bindings;
mod exchanges;
mod layout;
mod policies;
mod queues;
mod raw;

use super::{is_reserved, Imported, MAX_DEFINITIONS_BYTES};
use crate::core::scenario::{validate, Edge, EdgeKind, Node, Scenario};
use raw::{kind_of, File};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};

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
    // A definitions export (rabbitmqctl export_definitions, the management API) always
    // has some of these; any other JSON object is neither a definitions file nor a
    // scenario, and is refused rather than imported as an empty broker.
    const SECTIONS: [&str; 11] = [
        "rabbit_version",
        "rabbitmq_version",
        "queues",
        "exchanges",
        "bindings",
        "vhosts",
        "policies",
        "users",
        "permissions",
        "parameters",
        "global_parameters",
    ];
    if !SECTIONS.iter().any(|k| root.contains_key(*k)) {
        return Err(
            "this JSON object is neither a Queue Playground scenario (no `version` and `nodes`) nor RabbitMQ definitions (no `queues`, `exchanges`, `bindings` or `rabbit_version`)"
                .into(),
        );
    }
    let file = File::read(&root)?;
    Importer::new(file, vhost)?.run()
}

/// The state of one import.
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

/// The virtual host to import: `requested` if the file has it, else the only one the
/// file uses, else `/` (with a note when the file holds several). Also says whether
/// entries must be filtered by vhost at all (false for single-vhost exports).
fn choose_vhost(
    file: &File,
    requested: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<(String, bool), String> {
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
    if let Some(v) = requested {
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
        return Ok((v.to_string(), filter));
    }
    if let (1, Some(only)) = (used.len(), used.first()) {
        return Ok((only.to_string(), filter));
    }
    if used.is_empty() && file.vhosts.len() == 1 {
        return Ok((file.vhosts[0].clone(), filter));
    }
    if used.len() > 1 {
        let others: Vec<String> = used
            .iter()
            .filter(|v| **v != "/")
            .map(|v| format!("{v:?}"))
            .collect();
        notes.push(format!(
            "the file holds several virtual hosts; only \"/\" was imported, not {} (`qp import --vhost NAME` imports another)",
            others.join(", ")
        ));
    }
    Ok(("/".to_string(), filter))
}

impl Importer {
    fn new(file: File, requested: Option<&str>) -> Result<Importer, String> {
        let mut notes = Vec::new();
        let (vhost, filter) = choose_vhost(&file, requested, &mut notes)?;
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

    /// Whether an entry of `vhost` belongs to the imported virtual host.
    fn here(&self, vhost: &Option<String>) -> bool {
        !self.filter || vhost.as_deref().unwrap_or("/") == self.vhost
    }

    /// A node id `{prefix}-{name as a slug}`, numbered when already taken.
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

    /// Adds an edge between two nodes, with a numbered id.
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

    /// Notes and skips a queue or exchange whose name RabbitMQ refuses to declare.
    fn skip_reserved(&mut self, at: &str, what: &str, name: &str) -> bool {
        let reserved = is_reserved(name);
        if reserved {
            self.notes.push(format!(
                "{at}: {what} {name:?} was skipped: names starting with \"amq.\" are reserved and RabbitMQ refuses to declare them"
            ));
        }
        reserved
    }

    fn run(mut self) -> Result<Imported, String> {
        for key in std::mem::take(&mut self.file.unknown_keys) {
            self.notes
                .push(format!("the top-level key `{key}` is not part of RabbitMQ definitions as the playground knows them; it was ignored"));
        }
        self.note_parameters();
        let policies = self.compile_policies();
        self.read_exchanges()?;
        let dead_letters = self.read_queues(&policies)?;
        self.read_bindings()?;
        self.resolve_alternates(&policies);
        self.resolve_dead_letters(dead_letters);
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
            return Err(format!(
                "the imported topology is not valid: {}",
                crate::core::scenario::load::listed(problems.iter().map(|p| p.to_string()))
            ));
        }
        Ok(Imported {
            scenario,
            unsupported: self.notes,
        })
    }

    /// Notes the runtime parameters of the chosen virtual host: none is modelled.
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
}
