"""RabbitMQ routing cases answered two ways and compared: by `qp route` over a RabbitMQ
definitions.json, and by a real RabbitMQ broker (Debian package `rabbitmq-server`,
3.10.8 when written) through PyPI `pika`. For every case the set of queues the message
reaches must agree, and on the broker every queue must hold exactly one copy. Run
`bash tests/rabbit/start_broker.sh` first (it installs and starts the broker), then
`python3 tests/rabbit/rabbit_check.py path/to/qp` with `pika==1.4.4` installed; the
broker is reached as guest on localhost (RABBIT_HOST to change) and left running. The
vhost is made and deleted with rabbitmqctl, so run as root or as the rabbitmq user.

Each topology is declared in a fresh vhost made for the run (`rabbitmqctl add_vhost`,
deleted at the end): exchanges (with `alternate-exchange` arguments), queues, and
bindings to queues and to exchanges. Each case publishes one message with publisher
confirms, then empties every queue of the topology with basic.get and counts copies.

Sources:
- rabbitmq.com/docs/exchanges and tutorial five (tutorials/tutorial-five-python):
  direct, fanout, topic (`*` exactly one word, `#` zero or more; "lazy.pink.rabbit
  will be delivered to the second queue only once"), headers (x-match all / any /
  all-with-x / any-with-x), the default exchange.
- rabbitmq.com/docs/e2e (cycles; "each queue will receive exactly one copy"),
  rabbitmq.com/docs/ae (used when the exchange "was unable to route"),
  rabbitmq.com/docs/sender-selected (CC and BCC headers).
- deps/rabbit/src/ of rabbitmq-server (the 3.10.8 code, as recovered from the debug_info
  of the installed .beam files): rabbit_exchange.erl (route/2, route1/3, process_alternate/2,
  process_route/2: the default exchange routes to the queue named by each key; every
  exchange visited at most once; an AE only when the exchange's own result is empty;
  lists:usort, so one copy per queue); rabbit_exchange_type_topic.erl
  (split_topic_key/1: "" has no words, "a..b" an empty middle word; trie_match/4);
  rabbit_exchange_type_headers.erl (headers_match/5; validate_binding/2);
  rabbit_exchange_type_direct.erl, rabbit_exchange_type_fanout.erl; rabbit_basic.erl
  (header_routes/1: the longstr elements of the CC and BCC arrays).

Left out, where RabbitMQ 3.10 (or the client) departs from what qp follows; the native
tests (tests/native/routing_conformance.rs) check the current rule:
- Integer 1 against float 1.0 in a headers binding. qp follows RabbitMQ >= 3.13
  (`=:=`, no match); 3.10's headers_match/5 compares `PV == DV`, under which 1 == 1.0
  matches. No float case is compared at all: pika 1.4 cannot encode a double field
  value (data.encode_value has no float branch).
- An unknown x-match value: 3.10 refuses the binding (validate_binding/2), as current
  RabbitMQ does; qp reads it as all. There is no route to compare.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import pika

from broker import copies, rabbitmqctl

QP = sys.argv[1] if len(sys.argv) > 1 else "target/debug/qp"
HOST = os.environ.get("RABBIT_HOST", "localhost")

# Topologies. exchanges: name -> type, or (type, alternate exchange); "internal": the
# names of internal exchanges. bindings:
# (source, destination, binding key[, arguments]) where the destination is "q:NAME" for
# a queue and "x:NAME" for an exchange.
TOPOLOGIES = {
    "direct": {
        "exchanges": {"d": "direct"},
        "queues": ["dq1", "dq2", "dq3"],
        "bindings": [("d", "q:dq1", "k"), ("d", "q:dq2", "k"), ("d", "q:dq3", "other"),
                     ("d", "q:dq1", "alt")],
    },
    "fanout": {
        "exchanges": {"f": "fanout"},
        "queues": ["fq1", "fq2"],
        "bindings": [("f", "q:fq1", ""), ("f", "q:fq2", "whatever"), ("f", "q:fq1", "again")],
    },
    "topic": {
        "exchanges": {"t": "topic"},
        "queues": ["q1", "q2", "all", "ab", "astarb", "empty", "lit"],
        "bindings": [
            ("t", "q:q1", "*.orange.*"),  # tutorial five
            ("t", "q:q2", "*.*.rabbit"),
            ("t", "q:q2", "lazy.#"),
            ("t", "q:all", "#"),
            ("t", "q:ab", "a.#.b"),
            ("t", "q:astarb", "a.*.b"),
            ("t", "q:empty", ""),
            ("t", "q:lit", "x*.y#"),  # `*` and `#` inside a word are literal
        ],
    },
    "headers": {
        "exchanges": {"h": "headers"},
        "queues": ["all_q", "any_q", "default_q", "empty_q", "void_q", "anyx_q", "allx_q",
                   "allskip_q", "anyonlyx_q", "int_q", "str_q", "bool_q", "arr_q"],
        "bindings": [
            ("h", "q:all_q", "ignored", {"x-match": "all", "format": "pdf", "type": "report"}),
            ("h", "q:any_q", "", {"x-match": "any", "format": "pdf", "type": "log"}),
            ("h", "q:default_q", "", {"format": "zip", "type": "report"}),
            ("h", "q:empty_q", "", {}),
            ("h", "q:void_q", "", {"id": None}),
            ("h", "q:anyx_q", "", {"x-match": "any-with-x", "x-tag": "t1", "k": "v"}),
            ("h", "q:allx_q", "", {"x-match": "all-with-x", "x-tag": "t1", "k": "v"}),
            ("h", "q:allskip_q", "", {"x-match": "all", "x-tag": "t1", "k": "v"}),
            ("h", "q:anyonlyx_q", "", {"x-match": "any", "x-tag": "t1"}),
            ("h", "q:int_q", "", {"n": 1}),
            ("h", "q:str_q", "", {"n": "1"}),
            ("h", "q:bool_q", "", {"b": True}),
            ("h", "q:arr_q", "", {"arr": [1, "x"]}),
        ],
    },
    "default": {
        "exchanges": {},
        "queues": ["alpha", "beta"],
        "bindings": [],
    },
    "e2e": {
        "exchanges": {"src": "direct", "mid": "topic", "left": "fanout", "right": "fanout",
                      "c1": "fanout", "c2": "fanout", "t": "topic", "td": "direct"},
        "queues": ["direct_a", "mid_a", "diamond", "cyc1", "cyc2", "td_q"],
        "bindings": [
            ("src", "x:mid", "a"), ("src", "q:direct_a", "a"), ("mid", "q:mid_a", "a"),
            ("src", "x:left", "d"), ("src", "x:right", "d"), ("src", "q:diamond", "d"),
            ("left", "q:diamond", ""), ("right", "q:diamond", ""),
            ("src", "x:c1", "c"), ("c1", "x:c2", ""), ("c2", "x:c1", ""),
            ("c1", "q:cyc1", ""), ("c2", "q:cyc2", ""), ("c2", "x:src", ""),
            ("t", "x:td", "#"), ("t", "x:td", "b.*"), ("td", "q:td_q", "b.c"),
        ],
    },
    "ae": {
        "exchanges": {"main": ("direct", "ae1"), "ae1": ("direct", "ae2"), "ae2": "fanout",
                      "hop": "direct", "hopae": ("direct", "hop_ae_x"), "hop_ae_x": "fanout",
                      "a": ("direct", "b"), "b": ("direct", "a"),
                      "p": ("direct", "pae"), "r": ("direct", "p"), "pae": "fanout",
                      "selfx": ("direct", "ae2"), "orders": ("headers", "ae2"),
                      "dangling": ("direct", "no-such-exchange")},
        "queues": ["main_q", "ae1_q", "ae2_q", "hop_q", "hop_ae_q", "qa", "qb", "pq", "rq",
                   "pae_q", "self_q", "eu"],
        "bindings": [
            ("main", "q:main_q", "direct"), ("main", "x:hop", "to-hop"),
            ("main", "x:hopae", "to-hopae"), ("ae1", "q:ae1_q", "known-to-ae1"),
            ("ae2", "q:ae2_q", ""), ("hop", "q:hop_q", "hop-match"),
            ("hop_ae_x", "q:hop_ae_q", ""),
            ("a", "q:qa", "ka"), ("b", "q:qb", "kb"),
            ("p", "x:r", "k"), ("p", "q:pq", "pk"), ("r", "q:rq", "rk"), ("pae", "q:pae_q", ""),
            ("selfx", "x:selfx", "loop"), ("selfx", "q:self_q", "q"),
            ("orders", "q:eu", "", {"x-match": "all", "region": "eu"}),
        ],
    },
    "internal": {
        "exchanges": {"front": ("direct", "inner"), "inner": "fanout", "side": "direct"},
        "internal": ["inner"],
        "queues": ["iq", "sq"],
        "bindings": [("front", "x:inner", "k"), ("inner", "q:iq", ""), ("front", "x:side", "s"),
                     ("side", "q:sq", "s")],
    },
}

# (topology, exchange, routing key, headers, what RabbitMQ's docs or sources say).
# "refused (403)" is the answer to a publish RabbitMQ refuses (ACCESS_REFUSED);
# "refused (406)" to one it finds invalid (PRECONDITION_FAILED).
CASES = [
    ("direct", "d", "other", {}, "direct: exact key"),
    ("direct", "d", "k", {}, "direct: several bindings with the same key"),
    ("direct", "d", "K", {}, "direct: keys are case-sensitive; unroutable"),
    ("direct", "d", "k", {"CC": ["other"]}, "CC adds a routing key"),
    ("direct", "d", "nomatch", {"BCC": ["other"]}, "BCC adds a routing key"),
    ("direct", "d", "k", {"CC": ["alt", "k"]}, "keys reaching dq1 twice: one copy"),
    ("direct", "d", "nomatch", {"CC": [1, "other"]}, "CC: only string elements are keys"),
    ("direct", "d", "k", {"CC": "other"}, "a CC that is not an array: publish refused (header_routes/1)"),
    ("direct", "d", "k", {"BCC": 5}, "a BCC that is not an array: publish refused"),
    ("fanout", "f", "anything", {"CC": ["x"]}, "fanout: keys ignored; fq1 bound twice, one copy"),
    ("topic", "t", "quick.orange.rabbit", {}, "tutorial five: three queues"),
    ("topic", "t", "lazy.pink.rabbit", {}, "two bindings of q2 match: one copy"),
    ("topic", "t", "orange", {}, "`*` is exactly one word"),
    ("topic", "t", "quick.orange.new.rabbit", {}, "`*` does not span two words"),
    ("topic", "t", "lazy", {}, "`#` matches zero words"),
    ("topic", "t", "a.b", {}, "a.#.b with zero words between"),
    ("topic", "t", "a.x.y.b", {}, "a.#.b with two words between"),
    ("topic", "t", "a..b", {}, "empty middle word: `*` and `#` match it"),
    ("topic", "t", "a.b.", {}, "trailing empty word"),
    ("topic", "t", "", {}, "empty key: zero words; `#` alone and the empty binding"),
    ("topic", "t", "x*.y#", {}, "`*`/`#` inside a word are literal"),
    ("topic", "t", "a", {"CC": ["lazy.x", "a.b"]}, "CC keys go through the trie too"),
    ("headers", "h", "", {"format": "pdf", "type": "report"}, "all + any + empty binding"),
    ("headers", "h", "", {"format": "pdf"}, "any on the first pair"),
    ("headers", "h", "", {"format": "zip", "type": "report"}, "absent x-match means all"),
    ("headers", "h", "format", {}, "no headers; the key is never a header"),
    ("headers", "h", "", {"id": 7}, "void argument: presence"),
    ("headers", "h", "", {"x-tag": "t1", "k": "v"}, "-with-x compares x- pairs"),
    ("headers", "h", "", {"x-tag": "t1"}, "all skips x- pairs; any-with-x counts them"),
    ("headers", "h", "", {"x-tag": "t2", "k": "v"}, "x- value differs"),
    ("headers", "h", "", {"n": 1}, "integer 1 is not string \"1\""),
    ("headers", "h", "", {"n": "1", "b": 1}, "string \"1\"; integer 1 is not true"),
    ("headers", "h", "", {"b": True, "arr": [1, "x"]}, "booleans; equal arrays"),
    ("headers", "h", "", {"arr": ["x", 1]}, "arrays are ordered"),
    ("default", "", "alpha", {}, "default exchange: the queue named by the key"),
    ("default", "", "nosuch", {}, "default exchange: no such queue"),
    ("default", "", "alpha", {"CC": ["beta", "nosuch"], "BCC": ["alpha"]},
     "default exchange: each key names a queue, each once"),
    ("e2e", "src", "a", {}, "e2e: keys apply at each hop"),
    ("e2e", "src", "d", {}, "e2e: diamond, one copy"),
    ("e2e", "c2", "a", {}, "e2e: cycle c1 <-> c2 ends; onward back through src"),
    ("e2e", "t", "b.c", {}, "e2e: two bindings t -> td, td visited once"),
    ("ae", "main", "direct", {}, "routed: AE unused"),
    ("ae", "main", "unknown", {}, "AE chain main -> ae1 -> ae2"),
    ("ae", "main", "known-to-ae1", {}, "AE routes with the original key"),
    ("ae", "main", "to-hop", {}, "own route reached an exchange only: AE unused"),
    ("ae", "main", "to-hopae", {}, "AE applies per exchange"),
    ("ae", "main", "unknown", {"CC": ["direct"]}, "a CC key routed: AE unused"),
    ("ae", "a", "none", {}, "AE cycle a -> b -> a ends, unroutable"),
    ("ae", "r", "k", {}, "r -> AE p -> r seen; p matched, its AE unused"),
    ("ae", "r", "zz", {}, "AE of an AE"),
    ("ae", "selfx", "loop", {}, "binding to itself matched: AE unused, nothing"),
    ("ae", "orders", "", {"region": "us"}, "headers exchange unmatched: AE"),
    ("ae", "dangling", "x", {}, "AE names no exchange: unroutable"),
    ("internal", "front", "k", {}, "an exchange bound to an internal one reaches it"),
    ("internal", "front", "nomatch", {}, "an internal exchange as alternate exchange"),
    ("internal", "front", "s", {}, "a plain e2e hop beside it"),
    # rabbit_channel:check_internal_exchange/1: "cannot publish to internal exchange".
    ("internal", "inner", "", {}, "a client cannot publish to an internal exchange"),
]


def definitions(vhost, topo):
    exchanges = []
    for name, kind in topo["exchanges"].items():
        kind, ae = kind if isinstance(kind, tuple) else (kind, None)
        exchanges.append({"name": name, "vhost": vhost, "type": kind, "durable": True,
                          "auto_delete": False, "internal": name in topo.get("internal", []),
                          "arguments": {"alternate-exchange": ae} if ae else {}})
    bindings = []
    for source, dest, key, *args in topo["bindings"]:
        bindings.append({"source": source, "vhost": vhost, "destination": dest[2:],
                         "destination_type": "queue" if dest.startswith("q:") else "exchange",
                         "routing_key": key, "arguments": args[0] if args else {}})
    return {
        "rabbit_version": "3.10.8", "users": [], "vhosts": [{"name": vhost}],
        "permissions": [], "parameters": [], "policies": [],
        "queues": [{"name": q, "vhost": vhost, "durable": True, "auto_delete": False,
                    "arguments": {}} for q in topo["queues"]],
        "exchanges": exchanges, "bindings": bindings,
    }


def through_qp(path, vhost, exchange, key, headers):
    cmd = [QP, "route", "--definitions", path, "--vhost", vhost, f"--exchange={exchange}",
           f"--routing-key={key}"]
    for k, v in headers.items():
        cmd += ["--header", f"{k}={json.dumps(v)}"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0 and "is internal: clients cannot publish to it" in out.stderr:
        return "refused (403)"
    if out.returncode != 0 and "unacceptable_type_in_header" in out.stderr:
        return "refused (406)"
    if out.returncode != 0:
        return f"qp failed: {out.stderr.strip()}"
    return sorted(json.loads(out.stdout)["queues"])


def declare(ch, topo):
    for name, kind in topo["exchanges"].items():
        kind, ae = kind if isinstance(kind, tuple) else (kind, None)
        ch.exchange_declare(name, kind, internal=name in topo.get("internal", []),
                            arguments={"alternate-exchange": ae} if ae else None)
    for q in topo["queues"]:
        ch.queue_declare(q)
    for source, dest, key, *args in topo["bindings"]:
        arguments = args[0] if args else None
        if dest.startswith("q:"):
            ch.queue_bind(dest[2:], source, key, arguments=arguments)
        else:
            ch.exchange_bind(dest[2:], source, key, arguments=arguments)


def undeclare(ch, topo):
    for q in topo["queues"]:
        ch.queue_delete(q)
    for name in topo["exchanges"]:
        ch.exchange_delete(name)


def through_broker(ch, topo, n, exchange, key, headers):
    """Queues holding the message, one entry per copy (sorted)."""
    body = f"case {n}".encode()
    ch.basic_publish(exchange, key, body,
                     pika.BasicProperties(headers=headers or None))  # confirmed
    return copies(ch, topo["queues"], body)


def main():
    start = time.time()
    vhost = f"qp-rabbit-check-{os.getpid()}"
    rabbitmqctl("add_vhost", vhost)
    failures = 0
    tmp = tempfile.TemporaryDirectory()
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        conn = pika.BlockingConnection(pika.ConnectionParameters(
            host=HOST, virtual_host=vhost, credentials=pika.PlainCredentials("guest", "guest")))
        version = conn._impl.server_properties.get("version", b"?")
        version = version.decode() if isinstance(version, bytes) else version
        ch = conn.channel()
        ch.confirm_delivery()
        for name, topo in TOPOLOGIES.items():
            path = os.path.join(tmp.name, f"{name}.json")
            with open(path, "w") as f:
                json.dump(definitions(vhost, topo), f)
            declare(ch, topo)
            for n, (tname, exchange, key, headers, note) in enumerate(CASES):
                if tname != name:
                    continue
                label = f"{name}: {exchange or '(default)'} {key!r}" + (
                    f" {json.dumps(headers)}" if headers else "") + f" -- {note}"
                ours = through_qp(path, vhost, exchange, key, headers)
                try:
                    theirs = through_broker(ch, topo, n, exchange, key, headers)
                except pika.exceptions.ChannelClosedByBroker as e:
                    theirs = f"refused ({e.reply_code})"
                    ch = conn.channel()
                    ch.confirm_delivery()
                if ours == theirs:
                    print(f"ok       {label}: {ours}")
                else:
                    failures += 1
                    print(f"MISMATCH {label}\n  qp:       {ours}\n  RabbitMQ: {theirs}")
            undeclare(ch, topo)
        conn.close()
    finally:
        rabbitmqctl("delete_vhost", vhost)
        tmp.cleanup()
    print(f"{len(CASES) - failures} of {len(CASES)} cases agree with RabbitMQ {version} "
          f"({time.time() - start:.1f}s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
