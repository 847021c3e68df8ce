"""RabbitMQ queue behaviour replayed two ways and compared: through `qp simulate` (a
scenario of exchanges, queues and a `script` of publish and get steps at simulated
times, run with `--messages`) and through pika against a real RabbitMQ broker (Debian
package `rabbitmq-server`, 3.10.8 when written), the same calls at the same wall-clock
times. For every sequence the answers must agree step by step: whether each publish was
confirmed or refused (basic.nack), and which payloads each get returned; then, at the
end, what every queue holds, in delivery order, as payload, routing key, redelivered
flag and the `x-death` history (queue, reason, count of each entry, newest first).

Covered: FIFO order; basic.get then nack with requeue (back to the original position,
not the tail, redelivered); reject without requeue (dropped, or dead-lettered);
x-max-length with x-overflow drop-head, reject-publish and reject-publish-dlx, and
x-max-length-bytes; x-dead-letter-exchange with and without
x-dead-letter-routing-key, through a named exchange and through the default exchange;
the reasons rejected, expired and maxlen; x-death counts growing when a message goes
round the same queue for the same reason again; automatic dead-letter cycles dropped;
CC/BCC keys on dead-lettering; x-message-ttl and per-message `expiration` (the lower
wins; a message expires only at the head of the queue; a requeued message keeps its
expiry; the expiration is removed on dead-lettering); x-max-priority (order, requeue
within a level, drop-head and expiry per level).

Run `bash tests/rabbit/start_broker.sh` first (it installs and starts the broker), then
`python3 tests/rabbit/queue_check.py path/to/qp` with `pika==1.4.4` installed, as root
or as the rabbitmq user (the vhost is made and deleted with rabbitmqctl); the broker is
reached as guest on localhost (RABBIT_HOST to change) and left running. Each run uses
a fresh vhost; each sequence declares its exchanges and queues and deletes them after.
Takes about 11 s, most of it waiting for TTLs in real time.

Timing. qp runs with `latency_ms` 0, so a publish reaches its queues, and a
dead-lettered message its dead-letter queue, at the instant of the step. On the broker
each step is made when its `at_ms` has passed on the wall clock since the sequence
began; steps without a time of their own come 20 ms after the one before (the broker
dead-letters asynchronously: the queue process publishes to the dead-letter queue
after the channel's reject, so a get from that queue needs a moment). TTLs are 100 to
1000 ms and every step and the end of a sequence are at least 100 ms away from any
expiry, so the broker's few milliseconds of drift do not matter. At the end the
broker's queues are emptied with basic.get (no ack) in name order.

What is not compared: the redelivered flag of what a get returned (qp's
`script_results` carries payloads only); it is compared on what the queues hold at the
end, so the requeue sequences end with the requeued messages still queued. A get of
`count` n is n basic.get calls on the broker, each settled after all n were taken.

Sources:
- rabbitmq.com/docs/confirms ("Negative Acknowledgement and Requeuing of Deliveries":
  a requeued message goes back to its original position if possible, redelivered);
  rabbitmq.com/docs/nack (basic.nack, basic.reject).
- rabbitmq.com/docs/dlx (the reasons rejected, expired, maxlen; the dead-letter
  routing key replaces the key and removes CC; without one the original keys, CC and
  BCC included, are used; x-death one entry per queue and reason with a count; the
  per-message expiration is removed; "It is possible to form a cycle of message
  dead-lettering ... If the whole cycle is done without rejections, the message is
  dropped").
- rabbitmq.com/docs/ttl (x-message-ttl, per-message `expiration`, the lower applies;
  "Caveats": only expired messages at the head of a queue are discarded or
  dead-lettered; "the server guarantees that expired messages will not be delivered
  using basic.deliver (to a consumer) or sent in response to a polling consumer
  (basic.get)").
- rabbitmq.com/docs/maxlength (only ready messages count; drop-head dead-letters the
  head with reason maxlen; reject-publish nacks the publish; reject-publish-dlx also
  dead-letters it; x-max-length-bytes counts message bodies).
- rabbitmq.com/docs/priority (higher first; no priority counts as 0; above the maximum
  counts as the maximum).
- deps/rabbit/src/ of rabbitmq-server (the 3.10.8 code, as recovered from the
  debug_info of the installed .beam files): rabbit_amqqueue_process.erl
  (deliver_or_enqueue/3, will_overflow/2 for reject-publish(-dlx): length + 1 > max or
  ready bytes + body size > max bytes; maybe_drop_head/2 and over_max_length/1,
  called after a publish and by requeue_and_run/2; fetch/2 for basic.get:
  BQ:fetch, then drop_expired_msgs/1, so after each message a get takes, expired
  heads behind it leave; drop_expired_msgs/2 with fetchwhile (DLX) or dropwhile;
  dead_letter_maxlen_msg/2 takes the head by BQ:fetch); rabbit_dead_letter.erl
  (make_msg/5, update_x_death_header/2: a repeat of queue and reason increments the
  count and moves the entry to the front; detect_cycles/3 and is_cycle/2);
  rabbit_priority_queue.erl (priority/2; dropwhile/2 and fetchwhile/4 go through the
  levels from the highest and stop at the first live head; fetch/2 takes the highest
  level's head).

Left out, where RabbitMQ 3.10 departs from what qp follows:
- Quorum queues (x-queue-type quorum): qp's default delivery limit of 20 is RabbitMQ
  4.0's (3.10 has none unless set), and README lists what qp does not model of them
  yet (returned messages served first, reject-publish's overshoot); only classic
  queues are compared.
- `max_length` counting ready messages only (not unacked ones) cannot be shown with
  script gets: a get settles what it took in the same step, so nothing is left unacked
  while a later publish arrives.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import pika

from broker import get_and_settle, rabbitmqctl

QP = sys.argv[1] if len(sys.argv) > 1 else "target/debug/qp"
HOST = os.environ.get("RABBIT_HOST", "localhost")
GAP_MS = 20  # time between steps that set no time of their own


def pub(key, payload, exchange="", at=None, **props):
    """A publish step; props: expiration (ms), priority, headers."""
    return ("publish", at, exchange, key, payload, props)


def get(queue, count=1, ack="ack", at=None):
    """A get step: basic.get up to `count`, then each acked, requeued or rejected."""
    return ("get", at, queue, count, ack)


def to_dlq(**args):
    """Queue arguments: dead-letter through the default exchange to `dlq`."""
    return {"dlx": "", "dlrk": "dlq", **args}


# (name, topology, steps, end_ms or None). topology: "exchanges": name -> type;
# "queues": name -> arguments (ttl, max_length, max_length_bytes, overflow,
# max_priority, dlx, dlrk); "bindings": (exchange, queue, key). end_ms: when the
# queues are read (None: 50 ms after the last step).
SEQUENCES = [
    ("FIFO: gets return messages in publish order",
     {"queues": {"q": {}}},
     [pub("q", "a"), pub("q", "b"), pub("q", "c"), get("q"), get("q", 2), get("q")],
     None),
    ("nack with requeue: back to the original positions, not the tail, redelivered",
     {"queues": {"q": {}}},
     [pub("q", "a"), pub("q", "b"), pub("q", "c"), pub("q", "d"), get("q", 2, "requeue"),
      pub("q", "e")],
     None),
    ("requeue of a middle message after the head was acked",
     {"queues": {"q": {}}},
     [pub("q", "a"), pub("q", "b"), pub("q", "c"), get("q"), get("q", 1, "requeue"),
      pub("q", "d"), get("q", 1, "requeue")],
     None),
    ("reject without requeue and no dead-letter exchange: dropped",
     {"queues": {"q": {}}},
     [pub("q", "a"), pub("q", "b"), get("q", 1, "reject"), get("q", 1, "requeue")],
     None),
    ("reject: dead-lettered with the dead-letter routing key, reason rejected",
     {"exchanges": {"work": "direct", "dlx": "direct"},
      "queues": {"tasks": {"dlx": "dlx", "dlrk": "failed"}, "failed": {}},
      "bindings": [("work", "tasks", "task"), ("dlx", "failed", "failed")]},
     [pub("task", "a", "work"), pub("task", "b", "work"), get("tasks", 1, "reject"),
      get("tasks", 1, "requeue")],
     None),
    ("reject: no dead-letter routing key keeps the message's key",
     {"exchanges": {"work": "topic", "dlx": "topic"},
      "queues": {"tasks": {"dlx": "dlx"}, "dead": {}, "other": {}},
      "bindings": [("work", "tasks", "task.#"), ("dlx", "dead", "task.eu"),
                   ("dlx", "other", "failed")]},
     [pub("task.eu", "a", "work"), pub("task.us", "b", "work"), get("tasks", 2, "reject")],
     None),
    ("dead-lettering through the default exchange to a queue",
     {"queues": {"work": to_dlq(), "dlq": {}}},
     [pub("work", "a"), pub("work", "b"), get("work", 2, "reject"), get("dlq", 1, "requeue")],
     None),
    ("rejected twice in the same queue: one x-death entry, count 2",
     {"queues": {"work": {"dlx": ""}}},  # back to itself through the default exchange
     [pub("work", "m"), get("work", 1, "reject"), get("work", 1, "reject"),
      pub("work", "n")],
     None),
    ("retry loop: rejected, expires in a wait queue, back, twice (x-death order, counts)",
     {"exchanges": {"app": "direct"},
      "queues": {"work": {"dlx": "", "dlrk": "wait"},
                 "wait": {"ttl": 200, "dlx": "app", "dlrk": "task"}},
      "bindings": [("app", "work", "task")]},
     [pub("task", "m", "app", at=0), get("work", 1, "reject", at=20),
      get("wait", 1, "requeue", at=120), get("work", 1, "reject", at=320),
      get("work", at=420)],
     720),
    ("automatic dead-letter cycle (expired, expired) is dropped",
     {"queues": {"q1": {"ttl": 200, "dlx": "", "dlrk": "q2"},
                 "q2": {"ttl": 200, "dlx": "", "dlrk": "q1"}}},
     [pub("q1", "m", at=0), get("q2", 1, "requeue", at=300)],
     700),
    ("CC and BCC keys: dead-lettering without a routing key uses them all",
     {"exchanges": {"x": "direct"},
      "queues": {"main": {"dlx": "x"}, "cc": {}, "bcc": {}},
      "bindings": [("x", "main", "a"), ("x", "cc", "b"), ("x", "bcc", "c")]},
     [pub("a", "m", "x", headers={"CC": ["b"], "BCC": ["c"]}), get("main", 1, "reject")],
     None),
    ("CC keys: a dead-letter routing key replaces them",
     {"exchanges": {"x": "direct"},
      "queues": {"main": {"dlx": "x", "dlrk": "d"}, "cc": {}, "dead": {}},
      "bindings": [("x", "main", "a"), ("x", "cc", "b"), ("x", "dead", "d")]},
     [pub("a", "m", "x", headers={"CC": ["b"]}), get("main", 1, "reject")],
     None),
    ("max-length drop-head without dead-letter exchange: the oldest go",
     {"queues": {"q": {"max_length": 2}}},
     [pub("q", "a"), pub("q", "b"), pub("q", "c"), pub("q", "d")],
     None),
    ("max-length drop-head: the oldest dead-lettered with reason maxlen",
     {"queues": {"q": to_dlq(max_length=2), "dlq": {}}},
     [pub("q", "a"), pub("q", "b"), pub("q", "c"), get("q", 1, "requeue"), pub("q", "d")],
     None),
    ("max-length reject-publish: the new message is refused, not dead-lettered",
     {"queues": {"q": to_dlq(max_length=2, overflow="reject-publish"), "dlq": {}}},
     [pub("q", "a"), pub("q", "b"), pub("q", "c"), get("q"), pub("q", "d"), pub("q", "e")],
     None),
    ("max-length reject-publish-dlx: refused and dead-lettered with reason maxlen",
     {"queues": {"q": to_dlq(max_length=2, overflow="reject-publish-dlx"), "dlq": {}}},
     [pub("q", "a"), pub("q", "b"), pub("q", "c"), get("q", 1, "requeue"), pub("q", "d")],
     None),
    ("max-length-bytes drop-head: body bytes of ready messages",
     {"queues": {"q": to_dlq(max_length_bytes=10), "dlq": {}}},
     [pub("q", "aaaa"), pub("q", "bbbb"), pub("q", "cccccc"), pub("q", "xxxxxxxxxxxx")],
     None),
    ("max-length-bytes reject-publish",
     {"queues": {"q": {"max_length_bytes": 8, "overflow": "reject-publish"}}},
     [pub("q", "aaaa"), pub("q", "bbbb"), pub("q", "c"), get("q"), pub("q", "dd"),
      pub("q", "eeeee")],
     None),
    ("queue TTL: expired messages dead-lettered with reason expired",
     {"queues": {"q": to_dlq(ttl=300), "dlq": {}}},
     [pub("q", "a", at=0), pub("q", "b", at=0), get("q", at=100), pub("q", "c", at=200),
      get("dlq", at=400), get("q", 1, "requeue", at=400)],
     700),
    ("per-message TTL: a short TTL behind a long one waits for the head",
     {"queues": {"q": to_dlq(), "dlq": {}}},
     [pub("q", "long", at=0, expiration=1000), pub("q", "short", at=0, expiration=100),
      get("dlq", 1, "requeue", at=400)],
     1300),
    # Each basic.get is followed by drop_expired_msgs (rabbit_amqqueue_process:fetch/2),
    # and rabbitmq.com/docs/ttl says expired messages are never "sent in response to a
    # polling consumer (basic.get)": `short`, expired at 100 ms, is dead-lettered once
    # `long` is taken. (qp handed it out until this check found it.)
    ("per-message TTL: a get of 2 does not return an expired message that reached the head",
     {"queues": {"q": to_dlq(), "dlq": {}}},
     [pub("q", "long", at=0, expiration=1000), pub("q", "short", at=0, expiration=100),
      get("q", 2, at=400)],
     600),
    ("per-message TTL below the queue TTL wins; no TTL of its own: the queue's",
     {"queues": {"q": to_dlq(ttl=1000), "dlq": {}}},
     [pub("q", "a", at=0, expiration=200), pub("q", "b", at=0),
      get("dlq", 1, "requeue", at=400)],
     600),
    ("a requeued message keeps its expiry",
     {"queues": {"q": to_dlq(ttl=300), "dlq": {}}},
     [pub("q", "a", at=0), get("q", 1, "requeue", at=100), get("q", 1, "requeue", at=200)],
     500),
    ("expired message dead-lettered without its expiration, keeping its key",
     {"exchanges": {"x": "direct", "dlx": "fanout"},
      "queues": {"q": {"dlx": "dlx"}, "dead": {}},
      "bindings": [("x", "q", "k"), ("dlx", "dead", "")]},
     [pub("k", "a", "x", at=0, expiration=200)],
     700),
    ("priority: higher first, FIFO within a level, above the maximum counts as it",
     {"queues": {"q": {"max_priority": 5}}},
     [pub("q", "a"), pub("q", "b", priority=5), pub("q", "c", priority=1),
      pub("q", "d", priority=9), pub("q", "e", priority=3), pub("q", "f", priority=0),
      get("q", 3), pub("q", "g", priority=4)],
     None),
    ("priority: requeued messages go back to their place in their level",
     {"queues": {"q": {"max_priority": 3}}},
     [pub("q", "a", priority=1), pub("q", "b", priority=3), pub("q", "c", priority=3),
      pub("q", "d", priority=1), get("q", 3, "requeue")],
     None),
    ("priority with max-length drop-head: the next message to deliver is dropped",
     {"queues": {"q": to_dlq(max_priority=3, max_length=2), "dlq": {}}},
     [pub("q", "lo", priority=0), pub("q", "hi", priority=3), pub("q", "mid", priority=1)],
     None),
    ("priority with per-message TTL: expiry at the head of each level, highest first",
     {"queues": {"q": to_dlq(max_priority=2), "dlq": {}}},
     [pub("q", "hi", at=0, priority=2, expiration=1000),
      pub("q", "lo", at=0, priority=0, expiration=100),
      get("dlq", 1, "requeue", at=400)],
     1300),
]


def timed(steps):
    """The steps with their times filled in (ms)."""
    out, last = [], None
    for step in steps:
        at = step[1]
        if at is None:
            at = 0 if last is None else last + GAP_MS
        out.append((step[0], at, *step[2:]))
        last = at
    return out


def queue_args(args):
    """Broker x-arguments of a queue."""
    names = {"ttl": "x-message-ttl", "max_length": "x-max-length",
             "max_length_bytes": "x-max-length-bytes", "overflow": "x-overflow",
             "max_priority": "x-max-priority", "dlx": "x-dead-letter-exchange",
             "dlrk": "x-dead-letter-routing-key"}
    return {names[k]: v for k, v in args.items()}


def through_qp(topo, steps, end_ms):
    exchanges = dict(topo.get("exchanges", {}))
    if any(a.get("dlx") == "" for a in topo["queues"].values()):
        exchanges[""] = "direct"  # the default exchange, as a dead-letter target
    nodes, edges, ids = [], [], {}
    for i, (name, kind) in enumerate(exchanges.items()):
        ids["x:" + name] = f"x{i}"
        nodes.append({"id": f"x{i}", "kind": "exchange", "name": name,
                      "exchange": {"type": kind}})
    fields = {"ttl": "message_ttl_ms", "max_length": "max_length",
              "max_length_bytes": "max_length_bytes", "overflow": "overflow",
              "max_priority": "max_priority"}
    for i, (name, args) in enumerate(topo["queues"].items()):
        ids["q:" + name] = f"q{i}"
        node = {"id": f"q{i}", "kind": "queue", "name": name}
        spec = {fields[k]: v for k, v in args.items() if k in fields}
        if spec:
            node["queue"] = spec
        nodes.append(node)
        if "dlx" in args:
            edge = {"id": f"d{i}", "from": f"q{i}", "to": ids["x:" + args["dlx"]],
                    "kind": "dead-letter"}
            if "dlrk" in args:
                edge["routing_key"] = args["dlrk"]
            edges.append(edge)
    for i, (x, q, key) in enumerate(topo.get("bindings", [])):
        edges.append({"id": f"b{i}", "from": ids["x:" + x], "to": ids["q:" + q],
                      "kind": "binding", "routing_key": key})
    script = []
    for op, at, *rest in steps:
        if op == "publish":
            exchange, key, payload, props = rest
            step = {"op": "publish", "at_ms": at, "exchange": exchange, "routing_key": key,
                    "payload": payload}
            if props:
                step["properties"] = props
        else:
            queue, count, ack = rest
            step = {"op": "get", "at_ms": at, "queue": queue, "count": count, "ack": ack}
        script.append(step)
    scenario = {"version": 2, "seed": 1, "latency_ms": 0, "nodes": nodes, "edges": edges,
                "script": script}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(scenario, f)
    try:
        out = subprocess.run([QP, "simulate", f.name, "--until", f"{end_ms}ms", "--messages"],
                             capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if out.returncode != 0:
        return f"qp failed: {out.stderr.strip()}"
    report = json.loads(out.stdout)
    results = {r["step"]: r for r in report["script_results"]}
    answers = []
    for i, (op, *_) in enumerate(steps):
        r = results.get(i, {})
        if op == "publish":
            answers.append("refused" if r.get("refused") else "confirmed")
        else:
            answers.append(r.get("messages"))
    queues = report["messages"]["queues"]
    held = {name: queues.get(name) for name in sorted(topo["queues"])}
    return answers, held


def x_death(props):
    deaths = (props.headers or {}).get("x-death") or []
    text = lambda v: v.decode() if isinstance(v, bytes) else v
    return [{"queue": text(d["queue"]), "reason": text(d["reason"]), "count": d["count"]}
            for d in deaths]


def through_broker(ch, topo, steps, end_ms):
    for name, kind in topo.get("exchanges", {}).items():
        ch.exchange_declare(name, kind)
    for name, args in topo["queues"].items():
        ch.queue_declare(name, arguments=queue_args(args) or None)
    for x, q, key in topo.get("bindings", []):
        ch.queue_bind(q, x, key)
    start = time.monotonic()

    def wait_until(ms):
        delay = start + ms / 1000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    answers = []
    try:
        for op, at, *rest in steps:
            wait_until(at)
            if op == "publish":
                exchange, key, payload, props = rest
                properties = pika.BasicProperties(
                    expiration=str(props["expiration"]) if "expiration" in props else None,
                    priority=props.get("priority"), headers=props.get("headers"))
                try:
                    ch.basic_publish(exchange, key, payload.encode(), properties)  # confirmed
                    answers.append("confirmed")
                except pika.exceptions.NackError:
                    answers.append("refused")
            else:
                queue, count, ack = rest
                answers.append(get_and_settle(ch, queue, count, ack))
        wait_until(end_ms)
        held = {}
        for name in sorted(topo["queues"]):
            held[name] = []
            while True:
                method, props, body = ch.basic_get(name, auto_ack=True)
                if method is None:
                    break
                held[name].append({"payload": body.decode(), "routing_key": method.routing_key,
                                   "redelivered": method.redelivered,
                                   "x_death": x_death(props)})
    finally:
        for name in topo["queues"]:
            ch.queue_delete(name)
        for name in topo.get("exchanges", {}):
            ch.exchange_delete(name)
    return answers, held


def describe(steps):
    lines = []
    for i, (op, at, *rest) in enumerate(steps):
        if op == "publish":
            exchange, key, payload, props = rest
            extra = f" {json.dumps(props)}" if props else ""
            lines.append(f"    {i} @{at}ms publish {exchange or '(default)'} {key!r} "
                         f"{payload!r}{extra}")
        else:
            queue, count, ack = rest
            lines.append(f"    {i} @{at}ms get {queue} count {count} then {ack}")
    return "\n".join(lines)


def main():
    begin = time.time()
    vhost = f"qp-queue-check-{os.getpid()}"
    rabbitmqctl("add_vhost", vhost)
    failures = 0
    version = "?"
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        conn = pika.BlockingConnection(pika.ConnectionParameters(
            host=HOST, virtual_host=vhost, credentials=pika.PlainCredentials("guest", "guest")))
        version = conn._impl.server_properties.get("version", b"?")
        version = version.decode() if isinstance(version, bytes) else version
        ch = conn.channel()
        ch.confirm_delivery()
        for name, topo, steps, end_ms in SEQUENCES:
            steps = timed(steps)
            end_ms = end_ms if end_ms is not None else steps[-1][1] + 50
            ours = through_qp(topo, steps, end_ms)
            theirs = through_broker(ch, topo, steps, end_ms)
            if ours == theirs:
                print(f"ok       {name}")
                continue
            failures += 1
            print(f"MISMATCH {name}\n  steps:\n{describe(steps)}")
            if isinstance(ours, str):
                print(f"  qp:       {ours}")
                continue
            for i, (a, b) in enumerate(zip(ours[0], theirs[0])):
                if a != b:
                    print(f"  step {i}: qp {a}, RabbitMQ {b}")
            for q in ours[1]:
                if ours[1][q] != theirs[1][q]:
                    print(f"  {q} at {end_ms}ms:\n    qp:       {json.dumps(ours[1][q])}\n"
                          f"    RabbitMQ: {json.dumps(theirs[1][q])}")
        conn.close()
    finally:
        rabbitmqctl("delete_vhost", vhost)
    print(f"{len(SEQUENCES) - failures} of {len(SEQUENCES)} sequences agree with RabbitMQ "
          f"{version} ({time.time() - begin:.1f}s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
