//! Argument parsing and the four `qp` commands.

use clap::{Parser, Subcommand};
use queue_playground::core::families::rabbit::routing::headers::Headers;
use queue_playground::core::kernel::time::{parse_duration_ms, SimTime};
use queue_playground::core::scenario::load_scenario;
use queue_playground::core::topology::Topology;
use queue_playground::core::{Scenario, Simulation};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(
    name = "qp",
    version,
    about = "Queue Playground on the command line: route, simulate, import and export"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the queues a message reaches: {"queues": [...]}; or, with --topic, the
    /// Kafka partition a key goes to: {"partition": N}
    Route {
        /// RabbitMQ definitions.json or a scenario JSON file
        #[arg(long)]
        definitions: PathBuf,
        /// Exchange name ("" is the default exchange)
        #[arg(long, allow_hyphen_values = true)]
        exchange: Option<String>,
        /// Kafka topic name (a kafka-topic node of a scenario file)
        #[arg(long, allow_hyphen_values = true)]
        topic: Option<String>,
        /// Kafka record key (with --topic)
        #[arg(long, allow_hyphen_values = true)]
        key: Option<String>,
        /// Routing key (with --exchange; default "")
        #[arg(long, allow_hyphen_values = true)]
        routing_key: Option<String>,
        /// Message header K=V (repeatable; V is JSON when it parses as JSON, else text)
        #[arg(long = "header", value_name = "K=V")]
        headers: Vec<String>,
        /// Virtual host of a definitions file (default: the only one, or "/")
        #[arg(long)]
        vhost: Option<String>,
    },
    /// Run a scenario headless and print a JSON report
    Simulate {
        /// Scenario JSON file
        scenario: PathBuf,
        /// Simulated duration such as 30s, 500ms, 2m (default: the scenario's duration_ms, else 60s)
        #[arg(long)]
        until: Option<String>,
        /// Seed (default: the scenario's seed)
        #[arg(long)]
        seed: Option<u64>,
        /// Also print what every store holds at the end ("messages") and the
        /// script's results ("script_results")
        #[arg(long)]
        messages: bool,
    },
    /// Convert a RabbitMQ definitions.json into a scenario
    Import {
        /// definitions.json
        definitions: PathBuf,
        /// Output file (default: standard output)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Virtual host to import (default: the only one, or "/")
        #[arg(long)]
        vhost: Option<String>,
    },
    /// Convert a scenario into a RabbitMQ definitions.json
    Export {
        /// Scenario JSON file
        scenario: PathBuf,
        /// Output file (default: standard output)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Virtual host to declare everything in
        #[arg(long, default_value = "/")]
        vhost: String,
    },
}

/// Runs the CLI; returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return 0;
        }
        Err(e) => {
            eprintln!("qp: {}", usage_error(&e));
            return 2;
        }
    };
    match execute(cli.command) {
        Ok(()) => {
            for note in NOTES.take() {
                eprintln!("qp: note: {note}");
            }
            0
        }
        Err(message) => {
            // One line on failure: the notes of what was read are not said then.
            eprintln!("qp: {}", message.replace('\n', " "));
            2
        }
    }
}

thread_local! {
    /// Notes (what an import or export left out), said once the command has succeeded.
    static NOTES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Keeps a note for the end of a successful command.
fn note(text: &str) {
    NOTES.with(|n| n.borrow_mut().push(text.to_string()));
}

/// A wrong command line as one line: clap's message and the usage it shows.
fn usage_error(e: &clap::Error) -> String {
    if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return "a command is needed: route, simulate, import or export (qp --help tells more)"
            .into();
    }
    let text = e.render().to_string();
    // The first paragraph ("error: …", and the list some messages end with).
    let message = text
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let message = message.trim_start_matches("error: ");
    let usage = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Usage: "))
        .map(|u| format!("; usage: {u}"))
        .unwrap_or_default();
    let tip = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("tip: "))
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    format!("{message}{tip}{usage} (qp --help tells more)")
}

fn read(path: &Path) -> Result<String, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if meta.len() > queue_playground::core::scenario::MAX_SCENARIO_BYTES as u64 * 4 {
        return Err(format!(
            "{} is {} bytes, too large to load",
            path.display(),
            meta.len()
        ));
    }
    // A device or a pipe reports no size (or a wrong one): read no more than the limit
    // and one byte, so /dev/zero is refused as too large instead of read for ever.
    let limit = queue_playground::core::scenario::MAX_SCENARIO_BYTES as u64 * 4;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, limit + 1), &mut bytes)
        })
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{} is more than {limit} bytes, too large to load",
            path.display()
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "cannot read {}: stream did not contain valid UTF-8",
            path.display()
        )
    })?;
    // A UTF-8 byte-order mark (some Windows editors write one) is not part of the JSON;
    // browsers drop it when reading a file, and so does qp.
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

fn write_out(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(path) => std::fs::write(path, format!("{text}\n"))
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}").map_err(|e| format!("cannot write output: {e}"))
        }
    }
}

fn load_scenario_file(path: &Path) -> Result<Scenario, String> {
    let text = read(path)?;
    load_scenario(&text).map_err(|e| {
        // RabbitMQ definitions given where a scenario belongs: said as such.
        let definitions = serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| {
            v.get("version").is_none()
                && ["rabbit_version", "queues", "exchanges", "bindings"]
                    .iter()
                    .any(|k| v.get(k).is_some())
        });
        if definitions {
            format!(
                "{}: is RabbitMQ definitions, not a scenario (`qp import` turns it into one)",
                path.display()
            )
        } else {
            format!("{}: {e}", path.display())
        }
    })
}

/// A scenario from either a scenario file or a definitions.json.
fn load_any(path: &Path, vhost: Option<&str>) -> Result<Scenario, String> {
    let text = read(path)?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: is not valid JSON: {e}", path.display()))?;
    if value.get("version").is_some_and(|v| v.is_u64()) && value.get("nodes").is_some() {
        if let Some(v) = vhost {
            return Err(format!(
                "{}: is a scenario file, which has no virtual hosts; --vhost {v:?} is for a definitions file",
                path.display()
            ));
        }
        return load_scenario(&text).map_err(|e| format!("{}: {e}", path.display()));
    }
    let imported = queue_playground::core::definitions::import_definitions(&text, vhost)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    for note in &imported.unsupported {
        self::note(note);
    }
    Ok(imported.scenario)
}

fn parse_header(text: &str) -> Result<(String, serde_json::Value), String> {
    let (k, v) = text
        .split_once('=')
        .ok_or_else(|| format!("--header `{text}` must look like K=V"))?;
    if k.is_empty() {
        return Err(format!("--header `{text}` has an empty name"));
    }
    let value =
        serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::String(v.to_string()));
    Ok((k.to_string(), value))
}

fn execute(command: Command) -> Result<(), String> {
    match command {
        Command::Route {
            definitions,
            exchange,
            topic,
            key,
            routing_key,
            headers,
            vhost,
        } => {
            let scenario = load_any(&definitions, vhost.as_deref())?;
            let topology = Topology::build(&scenario)
                .map_err(|e| format!("{}: {e}", definitions.display()))?;
            let exchange = match (exchange, topic) {
                (Some(_), Some(_)) => {
                    return Err("give --exchange (RabbitMQ) or --topic (Kafka), not both".into())
                }
                (None, None) => return Err("give --exchange (RabbitMQ) or --topic (Kafka)".into()),
                (None, Some(topic)) => {
                    let t = topology.topic_named(&topic).ok_or_else(|| {
                        format!("no topic named `{topic}` in {}", definitions.display())
                    })?;
                    if routing_key.is_some() || !headers.is_empty() {
                        return Err(
                            "--routing-key and --header go with --exchange; a topic takes --key"
                                .into(),
                        );
                    }
                    let key = key.ok_or(
                        "--key is required with --topic: a record without a key is placed by the sticky partitioner, not by its key",
                    )?;
                    let partitions = topology.topics[t].spec.partitions;
                    let partition =
                        queue_playground::core::families::log::partitioner::partition_for_key(
                            &key, partitions,
                        );
                    return write_out(
                        None,
                        &serde_json::json!({ "partition": partition }).to_string(),
                    );
                }
                (Some(exchange), None) => {
                    if key.is_some() {
                        return Err(
                            "--key goes with --topic; an exchange takes --routing-key".into()
                        );
                    }
                    exchange
                }
            };
            if let Some(x) = topology.exchange_named(&exchange) {
                if topology.exchanges[x].internal {
                    return Err(queue_playground::core::scenario::internal_refusal(
                        &exchange,
                    ));
                }
            }
            let mut table = Headers::new();
            for h in &headers {
                let (k, v) = parse_header(h)?;
                table.insert(k, v);
            }
            if let Some((_, problem)) =
                queue_playground::core::families::rabbit::routing::routing_header_problem(|k| {
                    table.get(k)
                })
            {
                return Err(format!("--header: {problem}"));
            }
            let queues = queue_playground::core::families::rabbit::routing::route_names(
                &topology,
                &exchange,
                routing_key.as_deref().unwrap_or(""),
                &table,
            )
            // RabbitMQ's built-in exchanges exist in every virtual host: one that nothing
            // is bound to routes nowhere, as on a broker.
            .or_else(|| {
                queue_playground::core::definitions::builtin_exchange_type(&exchange)
                    .map(|_| Vec::new())
            })
            .ok_or_else(|| {
                format!(
                    "no exchange named `{exchange}` in {}",
                    definitions.display()
                )
            })?;
            write_out(None, &serde_json::json!({ "queues": queues }).to_string())
        }
        Command::Simulate {
            scenario,
            until,
            seed,
            messages,
        } => {
            let s = load_scenario_file(&scenario)?;
            let until_ms = match until {
                Some(text) => parse_duration_ms(&text).map_err(|e| format!("--until: {e}"))?,
                None => s.duration_ms.unwrap_or(60_000.0),
            };
            let mut sim = Simulation::with_seed(&s, seed.unwrap_or(s.seed))
                .map_err(|e| format!("{}: {e}", scenario.display()))?;
            sim.keep_processed_payloads(messages);
            sim.run_until(SimTime::from_ms(until_ms));
            if let Some(why) = sim.stalled() {
                return Err(format!("{}: {why}", scenario.display()));
            }
            let mut report = serde_json::to_string(&sim.report())
                .map_err(|e| format!("cannot encode the report: {e}"))?;
            if messages {
                // Appended after the report's own fields, keeping their order.
                let contents = serde_json::to_string(&sim.contents())
                    .map_err(|e| format!("cannot encode the messages: {e}"))?;
                let results = serde_json::to_string(&sim.script_results())
                    .map_err(|e| format!("cannot encode the script results: {e}"))?;
                report.pop(); // the closing brace
                if sim.topology().script.is_empty() {
                    report.push_str(&format!(
                        ",\"messages\":{contents},\"script_results\":{results}}}"
                    ));
                } else {
                    // The report already carries script_results.
                    report.push_str(&format!(",\"messages\":{contents}}}"));
                }
            }
            write_out(None, &report)
        }
        Command::Import {
            definitions,
            output,
            vhost,
        } => {
            let text = read(&definitions)?;
            let imported =
                queue_playground::core::definitions::import_definitions(&text, vhost.as_deref())
                    .map_err(|e| format!("{}: {e}", definitions.display()))?;
            for note in &imported.unsupported {
                self::note(note);
            }
            let json = serde_json::to_string_pretty(&imported.scenario.at_lowest_version())
                .map_err(|e| format!("cannot encode: {e}"))?;
            write_out(output.as_deref(), &json)
        }
        Command::Export {
            scenario,
            output,
            vhost,
        } => {
            let s = load_scenario_file(&scenario)?;
            let exported = queue_playground::core::definitions::export_definitions(&s, &vhost);
            for note in &exported.unsupported {
                self::note(note);
            }
            let json = serde_json::to_string_pretty(&exported.definitions)
                .map_err(|e| format!("cannot encode: {e}"))?;
            write_out(output.as_deref(), &json)
        }
    }
}
