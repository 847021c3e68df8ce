"""The RabbitMQ definitions contract of `qp import`, `qp export` and `qp route
--definitions`, checked both ways against a real broker (Debian package
`rabbitmq-server`, 3.10.8 when written) through PyPI `pika` and `rabbitmqctl`.

Broker -> qp. A topology is declared on the broker in a fresh vhost: exchanges of every
type, `alternate-exchange` arguments and an alternate exchange set by a policy,
exchange-to-exchange bindings, a binding from the built-in `amq.topic`, headers
bindings with arguments; classic queues with x-message-ttl, x-max-length,
x-max-length-bytes, x-overflow, x-dead-letter-exchange / -routing-key, x-max-priority,
quorum queues with x-delivery-limit; and policies setting some of these with
priorities, anchored and unanchored patterns, a character class and each `apply-to`
(loaded, with the vhost and guest's permission, by one `rabbitmqctl import_definitions`
before the queues are declared: a dozen `set_policy` calls would take six seconds).
`rabbitmqctl export_definitions` writes the whole broker (every vhost, users included);
qp reads that file with `--vhost`. Then:
- routing: for each case `qp route --definitions EXPORT --vhost V` must name the queues
  the broker puts the message in (publish with confirms, then basic.get on every queue);
- settings: the queue settings and dead-letter edges in the scenario `qp import` prints
  must be the effective ones, as RabbitMQ 3.10's sources resolve argument and policy
  (table EFFECTIVE below);
- behaviour: a script of publishes and gets (TTL expiry, max-length with each overflow
  mode, dead-lettering, priorities, a quorum queue's delivery limit) is run through
  `qp simulate` on the imported scenario and on the broker, as in queue_check.py, and
  the answers (confirmed or refused, what each get returned) and what every queue holds
  at the end must agree. This is what shows, by behaviour, which of argument and policy
  the broker applies.

qp -> broker. The gallery patterns that use RabbitMQ only (src/gallery/patterns/) and
tests/scenarios/*.json, plus SCENARIO below (quorum and priority queues, single active
consumer, each overflow mode, dead-letter edges to a named and to the default exchange,
an alternate exchange of the built-in amq.direct, which export writes as a policy, an
exchange-to-exchange binding, typed headers arguments), are each exported with
`qp export --vhost V_i` (a fresh vhost each), merged into one file with a permission
for guest on each vhost, and loaded with one `rabbitmqctl import_definitions` (when it
fails, each file is loaded alone to name the one refused). Then, for every exchange a
handful of keys or headers made from its bindings (and the default exchange with each
queue name) are routed by the broker and by `qp route` on the exported file, compared;
and `rabbitmqctl export_definitions` read back by `qp import --vhost V_i` must give the
same queues, exchanges and edges as `qp import` of qp's own export (the round trip).

Run `bash tests/rabbit/start_broker.sh` first, then, as root or as the rabbitmq user
(vhosts and policies are made with rabbitmqctl),
`.tools/py/bin/python tests/rabbit/definitions_check.py target/debug/qp`. The broker is
reached as guest on localhost (RABBIT_HOST to change) and left running; every vhost the
run creates is deleted at the end (one `rabbitmqctl eval` of rabbit_vhost:delete/2 for
all of them, else `delete_vhost` each). Takes about 7 s.

This check found one disagreement, since mended in qp: qp picked the highest-priority
matching policy without RabbitMQ's applicability test (rabbit_policy:matches/2 ->
is_applicable/2 -> rabbit_queue_type:is_policy_applicable/2, unchanged in current
RabbitMQ): a policy holding a key the queue's type lists in `unsupported_policies` is
skipped for that queue, and the next matching policy applies. Cases mixed.c (a
`delivery-limit` policy and a classic queue) and lazyq.qq (a `queue-mode` policy and a
quorum queue); queue-mode itself is not modelled, but which policy applies is.

Sources (RabbitMQ 3.10.8, deps/rabbit/src/ as recovered from the debug_info of the
installed .beam files, and rabbitmq.com/docs):
- rabbit_policy.erl: match/2 takes the matching policy of the highest priority;
  matches/2 needs apply-to (`all`, `queues`, `exchanges`), `re:run` of the pattern
  anywhere in the name, and is_applicable/2, i.e. rabbit_queue_type:is_policy_applicable/2:
  a policy with a key in the queue type's `unsupported_policies` (capabilities/0) does
  not apply at all -- for classic queues `delivery-limit`, `dead-letter-strategy`,
  `max-age`, ...; for quorum queues `queue-mode`, `ha-mode`, ... -- so a lower-priority
  policy applies instead. rabbit_policy:get_arg/3: an exchange's `alternate-exchange`
  argument wins over the policy's. docs/policies ("at most one policy matches a queue
  or exchange"; "Policy Priorities"; apply-to).
- rabbit_amqqueue_process.erl: process_args_policy/1 (classic): message-ttl,
  max-length, max-length-bytes res_min (the lower); dead-letter-exchange,
  dead-letter-routing-key, overflow res_arg (the argument wins).
- rabbit_quorum_queue.erl: ra_machine_config/1: max-length, max-length-bytes,
  delivery-limit, message-ttl `min`; overflow policyHasPrecedence; dead_letter_handler/2:
  dead-letter-exchange and -routing-key queueArgHasPrecedence.
- rabbit_queue_type_util.erl: args_policy_lookup/3.
- rabbit_definitions.erl: list_exchanges/0 (no default, amq.* or internal exchanges),
  list_queues/0 (no exclusive queues; a `type` field), list_bindings/0 (explicit ones).
- docs/definitions, docs/ttl, docs/maxlength, docs/dlx, docs/ae, docs/quorum-queues
  ("Poison Message Handling": delivery-limit, reason delivery_limit).

Left out (README lists them as not modelled, or 3.10 differs from the newer RabbitMQ qp
follows):
- A negative delivery-limit (unlimited): qp follows RabbitMQ 4.0 (the higher of
  argument and policy when one is negative); 3.10 takes the plain `min`.
- A quorum queue without a delivery limit: qp's default of 20 is RabbitMQ 4.0's; 3.10
  has none. Every quorum queue here sets one.
- Quorum queues' reject-publish overshoot and serving returned messages first (README:
  not modelled): the quorum queues here use drop-head and requeue one message at a time.
- Policy ties at equal priority (RabbitMQ picks either; qp notes it), `x-expires`,
  `queue-mode`, stream queues, internal exchanges (3.10's export leaves them out).
- apply-to `classic_queues` / `quorum_queues` / `streams`: RabbitMQ 3.12 and later;
  3.10 refuses them.
- Headers values qp follows RabbitMQ 3.13 on (1 vs 1.0): no floats here (see
  rabbit_check.py).
"""

import copy
import json
import os
import subprocess
import sys
import tempfile
import time

import pika

from broker import copies, get_and_settle, rabbitmqctl

QP = sys.argv[1] if len(sys.argv) > 1 else "target/debug/qp"
HOST = os.environ.get("RABBIT_HOST", "localhost")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GAP_MS = 20

# ---------------------------------------------------------------------------------------
# Broker -> qp: the topology declared on the broker.

# Policies: (name, pattern, definition, priority, apply-to).
POLICIES = [
    ("ae-pol", r"^(hdr|pol\..*)$", {"alternate-exchange": "hdr.ae"}, 0, "exchanges"),
    ("qpol", r"^qpol\.", {"alternate-exchange": "hdr.ae"}, 0, "queues"),
    ("ttl-all", r"^ttl\.", {"message-ttl": 1000}, 1, "queues"),
    ("ttl-hi", r"^ttl\.hi", {"message-ttl": 300, "dead-letter-exchange": "dlx",
                             "dead-letter-routing-key": "from-policy"}, 5, "queues"),
    ("len", r"^len\.", {"max-length": 2, "overflow": "reject-publish",
                        "dead-letter-exchange": "dlx"}, 0, "queues"),
    # mixed-hi does not apply to the classic mixed.c (delivery-limit is unsupported for
    # classic queues), nor lazy-hi to the quorum lazyq.qq (queue-mode): see the docstring.
    ("mixed-hi", r"^mixed\.", {"max-length": 1, "delivery-limit": 3}, 9, "queues"),
    ("mixed-lo", r"^mixed\.", {"max-length": 3, "overflow": "reject-publish"}, 2, "queues"),
    ("qq", r"^qq\.", {"delivery-limit": 1, "overflow": "drop-head", "max-length": 2}, 0,
     "queues"),
    ("lazy-hi", r"^lazyq\.", {"max-length": 1, "queue-mode": "lazy"}, 9, "queues"),
    ("lazy-lo", r"^lazyq\.", {"max-length": 3}, 2, "queues"),
    ("anywhere", "cap", {"max-length": 1}, 0, "all"),
    ("exonly", r"^exonly", {"max-length": 1}, 0, "exchanges"),
    ("shard", r"^shard-[0-9]+$", {"max-length": 1}, 0, "queues"),
]

# exchanges: name -> (type, arguments)
EXCHANGES = {
    "in": ("direct", {"alternate-exchange": "unrouted"}),
    "unrouted": ("fanout", {}),
    "events": ("topic", {}),
    "fan": ("fanout", {}),
    "hdr": ("headers", {}),  # its alternate exchange comes from the policy ae-pol
    "hdr.ae": ("fanout", {}),
    "pol.argwins": ("direct", {"alternate-exchange": "unrouted"}),  # and ae-pol
    "pol.plain": ("direct", {}),  # ae-pol only
    "qpol.x": ("direct", {}),  # matched by qpol, which applies to queues only
    "dlx": ("fanout", {}),
    "dlx2": ("fanout", {}),
}

QUORUM = {"x-queue-type": "quorum"}
# queues: name -> arguments
QUEUES = {
    # routing
    "orders": {}, "payments": {}, "eu": {}, "all-orders": {}, "audited": {}, "fan1": {},
    "fan2": {}, "h-all": {}, "h-any": {}, "h-int": {}, "h-anyx": {}, "lost": {},
    "hdr-lost": {}, "logs": {}, "pw": {}, "pp": {}, "qx": {}, "dead": {}, "dead2": {},
    # settings
    "ttl.arg-lower": {"x-message-ttl": 200, "x-dead-letter-exchange": "dlx"},
    "ttl.hi.q": {"x-message-ttl": 5000, "x-dead-letter-exchange": "dlx2",
                 "x-dead-letter-routing-key": "from-arg"},
    "ttl.hi.dlx": {"x-dead-letter-exchange": "dlx"},
    "len.arg-overflow": {"x-max-length": 5, "x-overflow": "drop-head"},
    "len.pol-overflow": {},
    "len.bytes": {"x-max-length-bytes": 40, "x-overflow": "reject-publish-dlx"},
    "mixed.c": {},
    "mixed.qq": dict(QUORUM, **{"x-delivery-limit": 10}),
    "qq.limits": dict(QUORUM, **{"x-delivery-limit": 5, "x-overflow": "reject-publish",
                                 "x-max-length": 10, "x-dead-letter-exchange": "dlx",
                                 "x-dead-letter-routing-key": "qq-dead"}),
    "lazyq.c": {},
    "lazyq.qq": dict(QUORUM, **{"x-delivery-limit": 10}),
    "prio": {"x-max-priority": 3},
    "recap.q": {}, "capped": {}, "exonly.q": {}, "shard-12": {}, "shard-x": {},
}

# (source, "q:NAME" or "x:NAME", key[, arguments])
BINDINGS = [
    ("in", "q:orders", "order"), ("in", "q:payments", "payment"),
    ("in", "x:events", "order"), ("in", "x:fan", "broadcast"),
    ("events", "q:eu", "*.eu.*"), ("events", "q:all-orders", "order.#"),
    ("events", "x:hdr", "#.audit"), ("events", "q:audited", "#.audit"),
    ("fan", "q:fan1", ""), ("fan", "q:fan2", "x"),
    ("hdr", "q:h-all", "", {"x-match": "all", "format": "pdf", "region": "eu"}),
    ("hdr", "q:h-any", "", {"x-match": "any", "format": "pdf", "urgent": True}),
    ("hdr", "q:h-int", "", {"n": 5}),
    ("hdr", "q:h-anyx", "", {"x-match": "any-with-x", "x-tag": "t"}),
    ("unrouted", "q:lost", ""), ("hdr.ae", "q:hdr-lost", ""),
    ("amq.topic", "q:logs", "logs.#"),
    ("pol.argwins", "q:pw", "k"), ("pol.plain", "q:pp", "k"), ("qpol.x", "q:qx", "k"),
    ("dlx", "q:dead", ""), ("dlx2", "q:dead2", ""),
]

# (exchange, routing key, headers, what RabbitMQ's docs or sources say)
ROUTES = [
    ("in", "order", {}, "direct; e2e to topic `order.#`"),
    ("in", "payment", {}, "direct"),
    ("in", "nothing", {}, "unroutable: the alternate-exchange argument"),
    ("in", "broadcast", {}, "e2e to a fanout"),
    ("in", "nothing", {"CC": ["payment"]}, "CC key routed: AE unused"),
    ("events", "x.eu.y", {}, "topic `*.eu.*`"),
    ("events", "order.eu.audit", {"format": "pdf"}, "topic, and e2e to headers"),
    ("events", "a.audit", {}, "e2e to headers, unmatched there: hdr's policy AE"),
    ("events", "none", {}, "topic exchange without an AE: unroutable"),
    ("fan", "whatever", {}, "fanout"),
    ("hdr", "", {"format": "pdf", "region": "eu"}, "headers all + any"),
    ("hdr", "", {"urgent": True}, "headers any, boolean"),
    ("hdr", "", {"n": 5}, "headers, absent x-match is all, integer"),
    ("hdr", "", {"n": "5"}, "headers: string \"5\" is not 5: policy AE"),
    ("hdr", "", {"x-tag": "t"}, "any-with-x"),
    ("hdr", "", {}, "no headers: the alternate exchange from policy ae-pol"),
    ("amq.topic", "logs.app.err", {}, "built-in amq.topic, exported binding"),
    ("amq.topic", "metrics", {}, "built-in amq.topic, unroutable"),
    ("pol.argwins", "zz", {}, "argument AE wins over the policy's (get_arg/3)"),
    ("pol.plain", "zz", {}, "AE from the policy"),
    ("pol.plain", "k", {}, "routed: AE unused"),
    ("qpol.x", "zz", {}, "apply-to queues: no AE for the exchange"),
    ("", "orders", {}, "default exchange"),
    ("", "nosuch", {}, "default exchange, no such queue"),
]

# Effective settings per RabbitMQ 3.10's sources (see the docstring). Fields as in the
# scenario: ttl (message_ttl_ms), max_length, max_length_bytes, overflow, dlx (the
# dead-letter exchange's name), dlrk, delivery_limit, queue_type, max_priority.
EFFECTIVE = {
    "ttl.arg-lower": ({"ttl": 200, "dlx": "dlx"}, "argument TTL below ttl-all's: the lower"),
    "ttl.hi.q": ({"ttl": 300, "dlx": "dlx2", "dlrk": "from-arg"},
                 "ttl-hi (priority 5) over ttl-all; policy TTL lower; argument DLX, DLRK win"),
    "ttl.hi.dlx": ({"ttl": 300, "dlx": "dlx", "dlrk": "from-policy"},
                   "argument DLX, the policy's DLRK"),
    "len.arg-overflow": ({"max_length": 2, "overflow": "drop-head", "dlx": "dlx"},
                         "classic: the lower length; argument overflow wins"),
    "len.pol-overflow": ({"max_length": 2, "overflow": "reject-publish", "dlx": "dlx"},
                         "all from the policy"),
    "len.bytes": ({"max_length": 2, "max_length_bytes": 40, "overflow": "reject-publish-dlx",
                   "dlx": "dlx"}, "length from the policy, bytes and overflow arguments"),
    "mixed.c": ({"max_length": 3, "overflow": "reject-publish"},
                "classic: mixed-hi sets delivery-limit, unsupported for classic queues, "
                "so it does not apply; mixed-lo does"),
    "mixed.qq": ({"queue_type": "quorum", "max_length": 1, "delivery_limit": 3},
                 "quorum: mixed-hi applies; delivery limit the lower"),
    "qq.limits": ({"queue_type": "quorum", "max_length": 2, "overflow": "drop-head",
                   "delivery_limit": 1, "dlx": "dlx", "dlrk": "qq-dead"},
                  "quorum: the lower limits; the policy's overflow wins"),
    "lazyq.c": ({"max_length": 1}, "classic: lazy-hi (queue-mode is a classic queue key)"),
    "lazyq.qq": ({"queue_type": "quorum", "max_length": 3, "delivery_limit": 10},
                 "quorum: lazy-hi sets queue-mode, unsupported for quorum queues, so it "
                 "does not apply; lazy-lo does"),
    "prio": ({"max_priority": 3}, "argument only"),
    "recap.q": ({"max_length": 1}, "unanchored pattern `cap`"),
    "capped": ({"max_length": 1}, "unanchored pattern `cap`"),
    "exonly.q": ({}, "apply-to exchanges: not a queue's policy"),
    "shard-12": ({"max_length": 1}, "character class"),
    "shard-x": ({}, "character class does not match"),
}


def pub(queue, payload, at=0, **props):
    """A publish to a queue through the default exchange; props: priority."""
    return ("publish", at, "", queue, payload, props)


def get(queue, count=1, ack="ack", at=None):
    return ("get", at, queue, count, ack)


def burst(queue, payloads):
    return [pub(queue, f"{queue}:{p}") for p in payloads]


# The behaviour script, on the queues of EFFECTIVE (payloads name their queue). Read at
# END_MS, when the TTLs of 200 and 300 ms have passed and 1000 and 5000 have not.
SCRIPT = (
    burst("ttl.arg-lower", "a") + burst("ttl.hi.q", "a") + burst("ttl.hi.dlx", "a")
    + burst("len.arg-overflow", "abc") + burst("len.pol-overflow", "abc")
    + burst("len.bytes", ["a", "b" * 20, "c", "d"])  # 11, 30, 11, 11 bytes
    + burst("mixed.c", "abcd") + burst("mixed.qq", "ab") + burst("qq.limits", "abc")
    + burst("lazyq.c", "abcd") + burst("lazyq.qq", "abcd")
    + [pub("prio", "prio:lo", priority=0), pub("prio", "prio:hi", priority=3),
       pub("prio", "prio:mid", priority=1)]
    + burst("recap.q", "ab") + burst("capped", "ab") + burst("exonly.q", "ab")
    + burst("shard-12", "ab") + burst("shard-x", "ab")
    + [get("qq.limits", 1, "requeue", at=100), get("qq.limits", 1, "requeue", at=200),
       get("qq.limits", 1, "ack", at=300)]
)
END_MS = 600
DEAD_LETTER_QUEUES = ["dead", "dead2"]  # compared without order (several queues feed them)

# ---------------------------------------------------------------------------------------
# qp -> broker: what is exported.

PATTERNS = ["alternate-exchange", "brokerless-vs-brokered", "consumer-outage", "dead-letter",
            "delivery-guarantees", "facade-lab", "headers-routing", "load-levelling",
            "ordering", "persistence", "point-to-point", "priority", "pub-sub",
            "request-reply", "retry-with-delay", "topic-routing", "wire-tap", "work-queue"]
SCENARIOS = ["dead-letter", "headers-routing", "throughput-1m", "topic-routing", "work-queue"]


def _x(i, name, kind):
    return {"id": i, "kind": "exchange", "name": name, "exchange": {"type": kind}}


def _q(i, name, **spec):
    node = {"id": i, "kind": "queue", "name": name}
    if spec:
        node["queue"] = spec
    return node


def _e(i, kind, a, b, key=None, args=None):
    edge = {"id": i, "from": a, "to": b, "kind": kind}
    if key is not None:
        edge["routing_key"] = key
    if args is not None:
        edge["arguments"] = args
    return edge


SCENARIO = {
    "version": 2, "name": "definitions check", "seed": 1,
    "nodes": [
        _x("ingress", "ingress", "topic"), _x("ae", "ae", "fanout"),
        _x("amqd", "amq.direct", "direct"), _x("hx", "hx", "headers"),
        {"id": "default", "kind": "exchange", "name": ""},
        _q("work", "work", queue_type="quorum", delivery_limit=3, max_length=100,
           overflow="reject-publish"),
        _q("parked", "parked"),
        _q("prio", "prio", max_priority=5, message_ttl_ms=60000, max_length_bytes=100000,
           overflow="reject-publish-dlx"),
        _q("sac", "sac", single_active_consumer=True, max_length=10),
        _q("caught", "caught"), _q("direct-q", "direct-q"), _q("h1", "h1"), _q("h2", "h2"),
    ],
    "edges": [
        _e("b1", "binding", "ingress", "work", "task.*"),
        _e("b2", "binding", "ingress", "prio", "prio.#"),
        _e("b3", "binding", "ingress", "hx", "h.#"),
        _e("b4", "binding", "ingress", "sac", "*.sac"),
        _e("b5", "binding", "ae", "caught"),
        _e("b6", "binding", "amqd", "direct-q", "d"),
        _e("b7", "binding", "hx", "h1", "", {"x-match": "all", "kind": "a", "n": 1}),
        _e("b8", "binding", "hx", "h2", "", {"x-match": "any-with-x", "x-k": "v", "b": True}),
        _e("a1", "alternate-exchange", "ingress", "ae"),
        _e("a2", "alternate-exchange", "amqd", "ae"),
        _e("d1", "dead-letter", "work", "default", "parked"),
        _e("d2", "dead-letter", "prio", "ae"),
    ],
}

# ---------------------------------------------------------------------------------------
# Helpers.


def export_definitions(path):
    """rabbitmqctl export_definitions: the broker node writes the file, so it is made
    writable for the node's user first."""
    with open(path, "w"):
        pass
    os.chmod(path, 0o666)
    rabbitmqctl("export_definitions", path)


def guest(vhost):
    return {"user": "guest", "vhost": vhost, "configure": ".*", "write": ".*", "read": ".*"}


def delete_vhosts(vhosts):
    """One rabbitmqctl call for all of them (rabbit_vhost:delete/2), else one each."""
    names = ", ".join(f'<<"{v}">>' for v in vhosts)
    out = rabbitmqctl("eval", f'[rabbit_vhost:delete(V, <<"definitions_check">>) '
                      f'|| V <- [{names}]].', check=False)
    if out.returncode != 0:
        for v in vhosts:
            rabbitmqctl("delete_vhost", v, check=False)


def qp(*args):
    out = subprocess.run([QP, *args], capture_output=True, text=True)
    return out.returncode, out.stdout, out.stderr.strip()


def connect(vhost):
    conn = pika.BlockingConnection(pika.ConnectionParameters(
        host=HOST, virtual_host=vhost, credentials=pika.PlainCredentials("guest", "guest")))
    ch = conn.channel()
    ch.confirm_delivery()
    return conn, ch


def route_qp(path, vhost, exchange, key, headers):
    cmd = ["route", "--definitions", path, "--vhost", vhost, f"--exchange={exchange}",
           f"--routing-key={key}"]
    for k, v in headers.items():
        cmd += ["--header", f"{k}={json.dumps(v)}"]
    rc, out, err = qp(*cmd)
    if rc != 0:
        return f"qp failed: {err}"
    return sorted(json.loads(out)["queues"])


def route_broker(ch, queues, n, exchange, key, headers):
    """Queues holding the message, one entry per copy (sorted)."""
    body = f"route {n}".encode()
    try:
        ch.basic_publish(exchange, key, body, pika.BasicProperties(headers=headers or None))
    except pika.exceptions.NackError:
        return "refused (basic.nack)"
    return copies(ch, queues, body)


def label(exchange, key, headers, note=""):
    return (f"{exchange or '(default)'} {key!r}" + (f" {json.dumps(headers)}" if headers else "")
            + (f" -- {note}" if note else ""))


class Tally:
    def __init__(self):
        self.ok = 0
        self.bad = 0

    def check(self, what, ours, theirs, qp_name="qp", their_name="RabbitMQ"):
        if ours == theirs:
            self.ok += 1
            print(f"ok       {what}")
        else:
            self.bad += 1
            print(f"MISMATCH {what}\n  {qp_name + ':':<10}{ours}\n  {their_name + ':':<10}{theirs}")

    def fail(self, what, why):
        self.bad += 1
        print(f"FAIL     {what}: {why}")


# ---------------------------------------------------------------------------------------
# Broker -> qp.


def declare(ch):
    for name, (kind, args) in EXCHANGES.items():
        ch.exchange_declare(name, kind, durable=True, arguments=args or None)
    for name, args in QUEUES.items():
        ch.queue_declare(name, durable=True, arguments=args or None)
    for source, dest, key, *args in BINDINGS:
        arguments = args[0] if args else None
        if dest.startswith("q:"):
            ch.queue_bind(dest[2:], source, key, arguments=arguments)
        else:
            ch.exchange_bind(dest[2:], source, key, arguments=arguments)


def settings_of(scenario):
    """queue name -> the effective settings of the imported scenario (EFFECTIVE's fields)."""
    names = {n["id"]: n["name"] for n in scenario["nodes"]}
    fields = {"message_ttl_ms": "ttl", "max_length": "max_length",
              "max_length_bytes": "max_length_bytes", "overflow": "overflow",
              "delivery_limit": "delivery_limit", "queue_type": "queue_type",
              "max_priority": "max_priority"}
    out = {}
    for node in scenario["nodes"]:
        if node["kind"] == "queue":
            spec = node.get("queue", {})
            s = {fields[k]: v for k, v in spec.items() if k in fields}
            if "ttl" in s and s["ttl"] == int(s["ttl"]):
                s["ttl"] = int(s["ttl"])
            out[node["name"]] = s
    for edge in scenario["edges"]:
        if edge["kind"] == "dead-letter":
            s = out[names[edge["from"]]]
            s["dlx"] = names[edge["to"]]
            if "routing_key" in edge:
                s["dlrk"] = edge["routing_key"]
    return out


def timed(steps):
    out, last = [], None
    for step in steps:
        at = step[1]
        if at is None:
            at = 0 if last is None else last + GAP_MS
        out.append((step[0], at, *step[2:]))
        last = at
    return out


def script_of(steps):
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
    return script


def held_key(m):
    return (m["payload"], json.dumps(m["x_death"]))


def behaviour_qp(scenario, steps, queues):
    scenario = dict(scenario, version=2, latency_ms=0, script=script_of(steps))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(scenario, f)
    try:
        rc, out, err = qp("simulate", f.name, "--until", f"{END_MS}ms", "--messages")
    finally:
        os.unlink(f.name)
    if rc != 0:
        return f"qp failed: {err}", None
    report = json.loads(out)
    results = {r["step"]: r for r in report["script_results"]}
    answers = []
    for i, (op, *_) in enumerate(steps):
        r = results.get(i, {})
        answers.append(("refused" if r.get("refused") else "confirmed") if op == "publish"
                       else r.get("messages"))
    held = {q: report["messages"]["queues"].get(q) for q in queues}
    return answers, held


def x_death(props):
    deaths = (props.headers or {}).get("x-death") or []
    text = lambda v: v.decode() if isinstance(v, bytes) else v
    return [{"queue": text(d["queue"]), "reason": text(d["reason"]), "count": d["count"]}
            for d in deaths]


def behaviour_broker(ch, steps, queues):
    start = time.monotonic()

    def wait_until(ms):
        delay = start + ms / 1000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    answers = []
    for op, at, *rest in steps:
        wait_until(at)
        if op == "publish":
            exchange, key, payload, props = rest
            try:
                ch.basic_publish(exchange, key, payload.encode(),
                                 pika.BasicProperties(priority=props.get("priority")))
                answers.append("confirmed")
            except pika.exceptions.NackError:
                answers.append("refused")
        else:
            queue, count, ack = rest
            answers.append(get_and_settle(ch, queue, count, ack))
    wait_until(END_MS)
    held = {}
    for name in queues:
        held[name] = []
        while True:
            method, props, body = ch.basic_get(name, auto_ack=True)
            if method is None:
                break
            held[name].append({"payload": body.decode(), "routing_key": method.routing_key,
                               "redelivered": method.redelivered, "x_death": x_death(props)})
    return answers, held


def broker_to_qp(tally, vhost, tmp):
    print(f"--- broker -> qp (vhost {vhost})")
    conn, ch = connect(vhost)
    version = conn._impl.server_properties.get("version", b"?")
    version = version.decode() if isinstance(version, bytes) else version
    declare(ch)
    export = os.path.join(tmp, "broker-export.json")
    export_definitions(export)

    # Import: the effective queue settings.
    rc, out, err = qp("import", "--vhost", vhost, export)
    if rc != 0:
        tally.fail("qp import of the broker's export", err)
        conn.close()
        return version
    for line in err.splitlines():
        print(f"         ({line})")
    scenario = json.loads(out)
    settings = settings_of(scenario)
    for queue, (expected, note) in EFFECTIVE.items():
        ours = dict(settings.get(queue) or {}, **{})
        if ours.get("overflow") is None:
            ours["overflow"] = "drop-head"  # the scenario's default, left out
        expected = dict({"overflow": "drop-head"}, **expected)
        tally.check(f"settings {queue} -- {note}", ours, expected)

    # Routing.
    routed = list(QUEUES)
    for n, (exchange, key, headers, note) in enumerate(ROUTES):
        ours = route_qp(export, vhost, exchange, key, headers)
        theirs = route_broker(ch, routed, n, exchange, key, headers)
        tally.check(f"route {label(exchange, key, headers, note)}", ours, theirs)

    # Behaviour.
    steps = timed(SCRIPT)
    queues = sorted(set(EFFECTIVE) | set(DEAD_LETTER_QUEUES))
    ours = behaviour_qp(scenario, steps, queues)
    theirs = behaviour_broker(ch, steps, queues)
    conn.close()
    if ours[1] is None:
        tally.fail("behaviour", ours[0])
        return version
    for held in (ours[1], theirs[1]):
        for q in DEAD_LETTER_QUEUES:
            held[q] = sorted(held[q] or [], key=held_key)
    for i, (a, b) in enumerate(zip(ours[0], theirs[0])):
        op, at, *rest = steps[i]
        what = (f"publish {rest[2]!r} to {rest[1]}" if op == "publish"
                else f"get {rest[0]} count {rest[1]} then {rest[2]}")
        tally.check(f"behaviour step {i} @{at}ms {what}", a, b)
    for q in queues:
        tally.check(f"behaviour: {q} holds at {END_MS}ms", ours[1][q], theirs[1][q])
    return version


# ---------------------------------------------------------------------------------------
# qp -> broker.


def keys_for(kind, bindings):
    """(routing key, headers) cases for an exchange, made from its bindings."""
    cases = []
    if kind == "fanout":
        return [("", {}), ("any.key", {})]
    if kind == "headers":
        for b in bindings:
            pairs = {k: v for k, v in b["arguments"].items() if k != "x-match"}
            cases.append(("", pairs))
            if len(pairs) > 1:
                first = next(iter(pairs))
                cases.append(("", {first: pairs[first]}))
        cases.append(("", {}))
        cases.append(("", {"unrelated": "x"}))
    else:
        for b in bindings:
            key = b["routing_key"]
            if kind == "topic":
                words = key.split(".")
                one = ".".join("w" if w == "*" else ("x.y" if w == "#" else w) for w in words)
                zero = ".".join("w" if w == "*" else w for w in words if w != "#")
                cases += [(one, {}), (zero, {})]
            else:
                cases.append((key, {}))
        cases.append(("no.such.key", {}))
    seen, out = set(), []
    for key, headers in cases:
        tag = (key, json.dumps(headers, sort_keys=True))
        if tag not in seen:
            seen.add(tag)
            out.append((key, headers))
    return out[:8]


def summary(scenario):
    """What an imported scenario declares, without ids or layout: sorted nodes and edges."""
    names = {n["id"]: (n["kind"], n["name"]) for n in scenario["nodes"]}
    nodes = sorted(json.dumps([n["kind"], n["name"], n.get("exchange"), n.get("queue")],
                              sort_keys=True) for n in scenario["nodes"])
    edges = sorted(json.dumps([e["kind"], names[e["from"]], names[e["to"]],
                               e.get("routing_key"), e.get("arguments")], sort_keys=True)
                   for e in scenario["edges"])
    return nodes, edges


def qp_to_broker(tally, prefix, tmp, vhosts):
    print("--- qp -> broker")
    sources = [(f"pattern {p}", os.path.join(ROOT, "src/gallery/patterns", p + ".json"))
               for p in PATTERNS]
    sources += [(f"scenario {s}", os.path.join(ROOT, "tests/scenarios", s + ".json"))
                for s in SCENARIOS]
    own = os.path.join(tmp, "scenario.json")
    with open(own, "w") as f:
        json.dump(SCENARIO, f)
    sources.append(("definitions_check SCENARIO", own))

    exported = []  # (label, vhost, path, definitions)
    for i, (name, path) in enumerate(sources):
        vhost = f"{prefix}-{i}"
        out_path = os.path.join(tmp, f"export-{i}.json")
        rc, _, err = qp("export", "--vhost", vhost, "-o", out_path, path)
        if rc != 0:
            tally.fail(f"qp export {name}", err)
            continue
        with open(out_path) as f:
            exported.append((name, vhost, out_path, json.load(f)))

    merged = {"rabbit_version": "3.10.8", "users": [], "vhosts": [], "permissions": [],
              "topic_permissions": [], "parameters": [], "global_parameters": [],
              "policies": [], "queues": [], "exchanges": [], "bindings": []}
    for _, vhost, _, defs in exported:
        for key in ("vhosts", "policies", "queues", "exchanges", "bindings"):
            merged[key] += defs.get(key, [])
        merged["permissions"].append(guest(vhost))
    vhosts += [v for _, v, _, _ in exported]
    merged_path = os.path.join(tmp, "merged.json")
    with open(merged_path, "w") as f:
        json.dump(merged, f)
    out = rabbitmqctl("import_definitions", merged_path, check=False)
    accepted = [e for e in exported]
    if out.returncode != 0:
        print(f"         (the merged import failed: {(out.stderr or out.stdout).strip()}; "
              "importing one by one)")
        accepted = []
        for entry in exported:
            name, vhost, path, defs = entry
            one = dict(copy.deepcopy(defs), permissions=[guest(vhost)])
            one_path = path + ".perm.json"
            with open(one_path, "w") as f:
                json.dump(one, f)
            r = rabbitmqctl("import_definitions", one_path, check=False)
            if r.returncode != 0:
                tally.fail(f"import_definitions of qp export {name}",
                           (r.stderr or r.stdout).strip())
            else:
                accepted.append(entry)
    for name, *_ in accepted:
        tally.check(f"import_definitions accepts the qp export of {name}", True, True)

    # Routing on each vhost.
    for name, vhost, path, defs in accepted:
        conn, ch = connect(vhost)
        queues = [q["name"] for q in defs["queues"]]
        cases = []
        for x in defs["exchanges"]:
            bindings = [b for b in defs["bindings"] if b["source"] == x["name"]]
            cases += [(x["name"], k, h) for k, h in keys_for(x["type"], bindings)]
        builtin = sorted({b["source"] for b in defs["bindings"] if b["source"].startswith("amq.")})
        for x in builtin:
            bindings = [b for b in defs["bindings"] if b["source"] == x]
            kind = x.split(".")[1].replace("match", "headers")
            cases += [(x, k, h) for k, h in keys_for(kind, bindings)]
        cases += [("", q, {}) for q in queues[:3]]
        for n, (exchange, key, headers) in enumerate(cases):
            ours = route_qp(path, vhost, exchange, key, headers)
            theirs = route_broker(ch, queues, n, exchange, key, headers)
            tally.check(f"{name}: route {label(exchange, key, headers)}", ours, theirs)
        conn.close()

    # Round trip: the broker's export of each vhost reads back as qp's own export does.
    back = os.path.join(tmp, "broker-export-2.json")
    export_definitions(back)
    for name, vhost, path, _ in accepted:
        rc1, mine, err1 = qp("import", "--vhost", vhost, path)
        rc2, theirs, err2 = qp("import", "--vhost", vhost, back)
        if rc1 or rc2:
            tally.fail(f"{name}: round trip", err1 if rc1 else err2)
            continue
        a, b = summary(json.loads(mine)), summary(json.loads(theirs))
        tally.check(f"{name}: round trip (qp import of qp's export vs of the broker's)",
                    a, b, "qp's", "broker's")


def main():
    begin = time.time()
    pid = os.getpid()
    vhost = f"qp-defs-check-{pid}"
    vhosts = [vhost]
    tally = Tally()
    tmp = tempfile.TemporaryDirectory()
    os.chmod(tmp.name, 0o755)  # the broker node (user rabbitmq) reads and writes files here
    version = "?"
    try:
        # The vhost, guest's permission and the policies in one import_definitions (each
        # rabbitmqctl call takes about half a second).
        setup = os.path.join(tmp.name, "setup.json")
        with open(setup, "w") as f:
            json.dump({"vhosts": [{"name": vhost}], "permissions": [guest(vhost)],
                       "policies": [{"vhost": vhost, "name": name, "pattern": pattern,
                                     "definition": definition, "priority": priority,
                                     "apply-to": apply_to}
                                    for name, pattern, definition, priority, apply_to
                                    in POLICIES]}, f)
        rabbitmqctl("import_definitions", setup)
        version = broker_to_qp(tally, vhost, tmp.name)
        qp_to_broker(tally, f"qp-defs-out-{pid}", tmp.name, vhosts)
    finally:
        delete_vhosts(vhosts)
        tmp.cleanup()
    total = tally.ok + tally.bad
    print(f"{tally.ok} of {total} checks agree with RabbitMQ {version} "
          f"({time.time() - begin:.1f}s)")
    sys.exit(1 if tally.bad else 0)


if __name__ == "__main__":
    main()
