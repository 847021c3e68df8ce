//! The `qp` binary, driven as a user would (design §5).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qp"))
        .args(args)
        .output()
        .expect("qp runs")
}

fn scenario(name: &str) -> String {
    format!("{}/tests/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn stdout_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "qp failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Exit code 2 with exactly one line on stderr that mentions `needle`.
fn assert_fails(out: &Output, needle: &str) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit code; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line on stderr: {err:?}"
    );
    assert!(
        err.contains(needle),
        "stderr {err:?} should mention {needle:?}"
    );
    assert!(!err.contains("panicked"), "no panic: {err}");
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qp-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn simulate_prints_the_report() {
    let out = qp(&["simulate", &scenario("work-queue.json"), "--until", "30s"]);
    let r = stdout_json(&out);
    assert_eq!(r["time_ms"], 30_000.0);
    assert_eq!(r["totals"]["published"], 60);
    assert_eq!(r["totals"]["acked"], 60);
    assert_eq!(r["conservation"]["held"], true);
    assert_eq!(r["queues"]["tasks"]["name"], "tasks");
    let fast = r["consumers"]["fast"]["processed"].as_u64().unwrap();
    let slow = r["consumers"]["slow"]["processed"].as_u64().unwrap();
    assert_eq!(fast + slow, 60);
    assert!(
        fast > slow,
        "the faster worker takes more: {fast} vs {slow}"
    );
}

#[test]
fn simulate_is_byte_identical_for_the_same_seed() {
    let a = qp(&["simulate", &scenario("dead-letter.json"), "--seed", "9"]);
    let b = qp(&["simulate", &scenario("dead-letter.json"), "--seed", "9"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let r = stdout_json(&a);
    assert_eq!(r["seed"], 9);
    assert_eq!(
        r["queues"]["dlq"]["ready"], 10,
        "every third of 30 is rejected into the DLQ"
    );
}

#[test]
fn simulate_durations_parse() {
    for (text, ms) in [("500ms", 500.0), ("2s", 2000.0), ("1m", 60_000.0)] {
        let r = stdout_json(&qp(&[
            "simulate",
            &scenario("topic-routing.json"),
            "--until",
            text,
        ]));
        assert_eq!(r["time_ms"], ms);
    }
    assert_fails(
        &qp(&[
            "simulate",
            &scenario("topic-routing.json"),
            "--until",
            "soon",
        ]),
        "--until",
    );
    // Past what a run may reach: refused, not run to another (clamped) time.
    for huge in ["99999999999999999999h", "18446744073709551615"] {
        assert_fails(
            &qp(&["simulate", &scenario("topic-routing.json"), "--until", huge]),
            "longer than 1,000,000,000,000 ms",
        );
    }
}

#[test]
fn simulate_rejects_bad_files_clearly() {
    assert_fails(&qp(&["simulate", "/nonexistent/file.json"]), "cannot read");
    let broken = temp_file("broken.json", "{ not json");
    assert_fails(&qp(&["simulate", p(&broken)]), "not valid JSON");
    let wrong_version = temp_file("v9.json", r#"{"version": 9, "nodes": []}"#);
    assert_fails(&qp(&["simulate", p(&wrong_version)]), "version");
    let bad_field = temp_file(
        "bad-field.json",
        r#"{"version": 1, "nodes": [{"id": "q", "kind": "queue", "name": "q", "queue": {"max_length": "ten"}}]}"#,
    );
    assert_fails(
        &qp(&["simulate", p(&bad_field)]),
        "nodes[0].queue.max_length",
    );
    let dangling = temp_file(
        "dangling.json",
        r#"{"version": 1, "nodes": [{"id": "q", "kind": "queue", "name": "q"}], "edges": [{"id": "e", "from": "q", "to": "nope", "kind": "subscription"}]}"#,
    );
    assert_fails(&qp(&["simulate", p(&dangling)]), "edges[0].to");
    let unknown_kind = temp_file(
        "kind.json",
        r#"{"version": 1, "nodes": [{"id": "s", "kind": "stream"}]}"#,
    );
    assert_fails(&qp(&["simulate", p(&unknown_kind)]), "nodes[0].kind");
}

#[test]
fn route_follows_topic_patterns() {
    let route = |key: &str| {
        let out = qp(&[
            "route",
            "--definitions",
            &scenario("topic-routing.json"),
            "--exchange",
            "events",
            "--routing-key",
            key,
        ]);
        stdout_json(&out)["queues"].clone()
    };
    assert_eq!(
        route("order.eu.created"),
        serde_json::json!(["all-orders", "audit", "eu-events"])
    );
    assert_eq!(route("invoice.us.paid"), serde_json::json!(["audit"]));
    assert_eq!(route("order"), serde_json::json!(["all-orders", "audit"]));
    assert_eq!(route(""), serde_json::json!(["audit"]));
}

/// RabbitMQ's built-in exchanges exist in every virtual host: one the file never uses
/// routes nowhere (rabbitmq.com/docs/exchanges, "amq.* exchanges"); an unknown one is
/// an error.
#[test]
fn route_to_an_unused_built_in_exchange_reaches_no_queue() {
    for x in [
        "amq.direct",
        "amq.fanout",
        "amq.topic",
        "amq.headers",
        "amq.match",
    ] {
        let out = qp(&[
            "route",
            "--definitions",
            &scenario("work-queue.json"),
            "--exchange",
            x,
            "--routing-key",
            "tasks",
        ]);
        assert_eq!(stdout_json(&out)["queues"], serde_json::json!([]), "{x}");
    }
    let out = qp(&[
        "route",
        "--definitions",
        &scenario("work-queue.json"),
        "--exchange",
        "amq.nope",
    ]);
    assert_fails(&out, "no exchange named `amq.nope`");
}

/// A scenario file has no virtual hosts: `--vhost` with one is refused, not ignored.
#[test]
fn route_refuses_a_vhost_for_a_scenario_file() {
    let out = qp(&[
        "route",
        "--definitions",
        &scenario("work-queue.json"),
        "--exchange",
        "",
        "--routing-key",
        "tasks",
        "--vhost",
        "prod",
    ]);
    assert_fails(&out, "is a scenario file, which has no virtual hosts; --vhost \"prod\" is for a definitions file");
}

#[test]
fn route_uses_the_default_exchange_and_headers() {
    let out = qp(&[
        "route",
        "--definitions",
        &scenario("work-queue.json"),
        "--exchange",
        "",
        "--routing-key",
        "tasks",
    ]);
    assert_eq!(stdout_json(&out)["queues"], serde_json::json!(["tasks"]));
    let out = qp(&[
        "route",
        "--definitions",
        &scenario("headers-routing.json"),
        "--exchange",
        "reports",
        "--header",
        "region=eu",
        "--header",
        "urgent=true",
        "--header",
        "format=csv",
    ]);
    assert_eq!(
        stdout_json(&out)["queues"],
        serde_json::json!(["urgent-eu"])
    );
    let out = qp(&[
        "route",
        "--definitions",
        &scenario("headers-routing.json"),
        "--exchange",
        "reports",
        "--header",
        "urgent=\"true\"",
    ]);
    assert_eq!(
        stdout_json(&out)["queues"],
        serde_json::json!([]),
        "the string \"true\" is not the boolean true"
    );
}

#[test]
fn route_errors_exit_2() {
    assert_fails(
        &qp(&[
            "route",
            "--definitions",
            &scenario("topic-routing.json"),
            "--exchange",
            "nope",
            "--routing-key",
            "a",
        ]),
        "no exchange named `nope`",
    );
    assert_fails(
        &qp(&[
            "route",
            "--definitions",
            "/missing.json",
            "--exchange",
            "x",
            "--routing-key",
            "a",
        ]),
        "cannot read",
    );
    assert_fails(
        &qp(&[
            "route",
            "--definitions",
            &scenario("topic-routing.json"),
            "--exchange",
            "events",
            "--header",
            "novalue",
        ]),
        "K=V",
    );
}

#[test]
fn route_reads_rabbitmq_definitions() {
    let defs = temp_file(
        "defs.json",
        r##"{"queues": [{"name": "q1", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {}},
                       {"name": "q2", "vhost": "/"}],
            "exchanges": [{"name": "logs", "vhost": "/", "type": "topic", "durable": true, "auto_delete": false, "internal": false, "arguments": {}}],
            "bindings": [{"source": "logs", "vhost": "/", "destination": "q1", "destination_type": "queue", "routing_key": "*.error", "arguments": {}},
                         {"source": "logs", "vhost": "/", "destination": "q2", "destination_type": "queue", "routing_key": "#"}]}"##,
    );
    let out = qp(&[
        "route",
        "--definitions",
        p(&defs),
        "--exchange",
        "logs",
        "--routing-key",
        "app.error",
    ]);
    assert_eq!(stdout_json(&out)["queues"], serde_json::json!(["q1", "q2"]));
}

#[test]
fn export_then_import_round_trips() {
    let out = qp(&["export", &scenario("dead-letter.json")]);
    let defs = stdout_json(&out);
    let queues: Vec<&str> = defs["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert!(queues.contains(&"order-work") && queues.contains(&"order-dlq"));
    let work = defs["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "order-work")
        .unwrap();
    assert_eq!(work["arguments"]["x-dead-letter-exchange"], "orders.dlx");
    assert_eq!(
        work["arguments"]["x-dead-letter-routing-key"],
        "order.failed"
    );
    let path = temp_file(
        "exported.json",
        &String::from_utf8(out.stdout.clone()).unwrap(),
    );
    let back = stdout_json(&qp(&["import", p(&path)]));
    assert_eq!(back["version"], 1);
    let route = qp(&[
        "route",
        "--definitions",
        p(&path),
        "--exchange",
        "orders",
        "--routing-key",
        "order.created",
    ]);
    assert_eq!(
        stdout_json(&route)["queues"],
        serde_json::json!(["order-work"])
    );
}

/// A wrong command line is one `qp:` line too, with clap's message and the usage
/// (README "Exit codes"); --help and --version exit 0.
#[test]
fn a_wrong_command_line_is_one_line() {
    assert_fails(&qp(&["bogus"]), "unrecognized subcommand 'bogus'");
    assert_fails(&qp(&["bogus"]), "usage: qp <COMMAND>");
    assert_fails(&qp(&[]), "a command is needed");
    let seed = qp(&["simulate", &scenario("work-queue.json"), "--seed", "-1"]);
    assert_fails(&seed, "unexpected argument '-1'");
    assert_fails(&qp(&["simulate"]), "SCENARIO");
    assert_fails(&qp(&["route", "--nope"]), "--nope");
    for args in [&["--help"][..], &["--version"], &["simulate", "--help"]] {
        let out = qp(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stdout.is_empty(), "{args:?} prints to stdout");
    }
}

/// A file that starts with a UTF-8 byte-order mark reads as the same JSON.
#[test]
fn a_byte_order_mark_is_ignored() {
    let text = std::fs::read_to_string(scenario("work-queue.json")).unwrap();
    let path = temp_file("bom-work-queue.json", &format!("\u{feff}{text}"));
    let with = stdout_json(&qp(&["simulate", p(&path), "--until", "2s"]));
    let without = stdout_json(&qp(&[
        "simulate",
        &scenario("work-queue.json"),
        "--until",
        "2s",
    ]));
    assert_eq!(with, without);
}

/// A topic takes --key: --routing-key and --header (an exchange's) are refused with it,
/// not ignored.
#[test]
fn route_refuses_an_exchange_s_flags_with_a_topic() {
    let file = format!(
        "{}/src/gallery/patterns/kafka-partitions.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let route = [
        "route",
        "--definitions",
        &file,
        "--topic",
        "orders",
        "--key",
        "a",
    ];
    for extra in [["--routing-key", "x"], ["--header", "a=1"]] {
        assert_fails(
            &qp(&[&route[..], &extra[..]].concat()),
            "a topic takes --key",
        );
    }
    let ok = stdout_json(&qp(&route));
    assert!(ok["partition"].is_u64());
}

/// RabbitMQ definitions given to simulate or export are named as such, with what reads
/// them (not "version: is missing").
#[test]
fn a_definitions_file_where_a_scenario_belongs_is_named() {
    let file = format!(
        "{}/tests/fixtures/definitions/full-export.json",
        env!("CARGO_MANIFEST_DIR")
    );
    for command in ["simulate", "export"] {
        assert_fails(
            &qp(&[command, &file]),
            "is RabbitMQ definitions, not a scenario (`qp import`",
        );
    }
}

/// A gallery pattern's file with `edit` applied, written to a temporary file.
fn edited_pattern(id: &str, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let path = format!(
        "{}/src/gallery/patterns/{id}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut v);
    temp_file(name, &v.to_string())
}

/// From a review: a latency of 10^16 ms panicked in a Kafka rebalance (an overflow),
/// a duration past 10^12 ms ran a clamped or endless time, and a long poll of less
/// than a millisecond polled again at the same instant for ever. Each is refused.
#[test]
fn times_the_clock_cannot_hold_are_refused() {
    let latency = edited_pattern("kafka-partitions", "latency.json", |v| {
        v["latency_ms"] = serde_json::json!(1e16);
    });
    assert_fails(
        &qp(&["simulate", p(&latency), "--until", "1s"]),
        "latency_ms: must be at most 1,000,000,000,000 ms",
    );
    let duration = edited_pattern("work-queue", "duration.json", |v| {
        v["duration_ms"] = serde_json::json!(1e13);
    });
    assert_fails(
        &qp(&["simulate", p(&duration)]),
        "duration_ms: must be at most",
    );
    let wait = edited_pattern("sqs-visibility-timeout", "wait.json", |v| {
        for n in v["nodes"].as_array_mut().unwrap() {
            if n["kind"] == "sqs-queue" {
                n["sqs_queue"]["receive_wait_ms"] = serde_json::json!(0.0001);
            }
        }
    });
    assert_fails(
        &qp(&["simulate", p(&wait), "--until", "1ms"]),
        "receive_wait_ms: must be 0 (short polling) or at least 1 ms",
    );
}

/// From a review: a failed write said the import's notes first (three lines on
/// stderr); now one line, and the notes only after a command that succeeded.
#[test]
fn a_failed_write_is_one_line_and_notes_follow_success() {
    let defs = format!(
        "{}/tests/fixtures/definitions/full-export.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let missing = std::env::temp_dir().join("qp-no-such-dir").join("out.json");
    assert_fails(&qp(&["import", &defs, "-o", p(&missing)]), "cannot write");
    let out_file = temp_file("imported.json", "");
    let ok = qp(&["import", &defs, "-o", p(&out_file)]);
    assert!(ok.status.success());
    let err = String::from_utf8_lossy(&ok.stderr);
    assert!(
        err.lines().count() >= 2 && err.lines().all(|l| l.starts_with("qp: note: ")),
        "{err}"
    );
}

/// `qp simulate` of a loop at one instant (latency_ms 0) stops with one line saying so
/// instead of running for ever.
#[test]
fn simulate_refuses_a_run_that_stalls_at_one_instant() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stall/requeue-loop.json");
    let out = qp(&["simulate", file.to_str().unwrap(), "--until", "1s"]);
    assert_fails(&out, "the run stopped at t = 0.000 s");
}

/// A device with no end (it reports no size) is read up to the limit and refused, not
/// read for ever.
#[cfg(unix)]
#[test]
fn simulate_refuses_an_endless_device() {
    let out = qp(&["simulate", "/dev/zero"]);
    assert_fails(&out, "too large to load");
}
