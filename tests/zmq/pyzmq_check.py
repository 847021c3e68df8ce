"""Small ZeroMQ cases run two ways and compared: through `qp simulate` and through real
ZeroMQ (libzmq, via PyPI `pyzmq`) on loopback TCP. Each case compares who received
which message, in what order. Run by scripts/test.sh, which installs pyzmq;
`python3 tests/zmq/pyzmq_check.py path/to/qp` by hand.

Only orders ZeroMQ makes deterministic are compared: PUSH's round-robin over peers that
are all connected, PULL's fair queuing over pipes that all hold messages, and SUB's
prefix subscriptions. Timing-dependent figures (exactly when a high-water mark bites)
are not: libzmq's own page says its high-water marks are approximate.
"""

import json
import subprocess
import sys
import tempfile
import time

import zmq

QP = sys.argv[1] if len(sys.argv) > 1 else "target/debug/qp"


def qp_workers(nodes, edges, until_ms=3000):
    scenario = {"version": 2, "seed": 1, "latency_ms": 10, "nodes": nodes, "edges": edges}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(scenario, f)
    out = subprocess.run([QP, "simulate", f.name, "--until", f"{until_ms}ms", "--messages"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["messages"]["workers"]


def producer(pid, payloads):
    return {"id": pid, "kind": "producer", "name": pid,
            "producer": {"rate_per_sec": 0, "bursts": [{"at_ms": 0, "count": len(payloads)}],
                         "payload": "{cycle:" + "|".join(payloads) + "}"}}


def worker(wid, ms=1):
    return {"id": wid, "kind": "consumer", "name": wid,
            "consumer": {"processing": {"dist": "fixed", "ms": ms}}}


def drain(sock, n, timeout=2.0):
    got, end = [], time.time() + timeout
    while len(got) < n and time.time() < end:
        if sock.poll(50):
            got.append(sock.recv_string())
    return got


def case_round_robin(ctx):
    msgs = [f"m{i}" for i in range(1, 10)]
    push = ctx.socket(zmq.PUSH)
    port = push.bind_to_random_port("tcp://127.0.0.1")
    pulls = []
    for _ in range(3):
        s = ctx.socket(zmq.PULL)
        s.connect(f"tcp://127.0.0.1:{port}")
        pulls.append(s)
        time.sleep(0.2)  # connect one after another: the pipes attach in this order
    for m in msgs:
        push.send_string(m)
    real = {name: drain(s, 3) for name, s in zip("abc", pulls)}
    for s in pulls + [push]:
        s.close(0)
    ours = qp_workers(
        [producer("p", msgs), worker("a"), worker("b"), worker("c")],
        [{"id": f"e{x}", "from": "p", "to": x, "kind": "push"} for x in "abc"])
    return real, {x: ours[x] for x in "abc"}


def case_fair_queue(ctx):
    pull = ctx.socket(zmq.PULL)
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    senders = {}
    for name in ("p", "q"):
        s = ctx.socket(zmq.PUSH)
        s.connect(f"tcp://127.0.0.1:{port}")
        senders[name] = s
        time.sleep(0.2)
    for name, s in senders.items():
        for i in range(1, 5):
            s.send_string(f"{name}{i}")
    time.sleep(0.3)  # everything is queued at the receiver before it reads
    real = {"w": drain(pull, 8)}
    for s in list(senders.values()) + [pull]:
        s.close(0)
    ours = qp_workers(
        [producer("p", [f"p{i}" for i in range(1, 5)]), producer("q", [f"q{i}" for i in range(1, 5)]),
         worker("w", 50)],
        [{"id": "e1", "from": "p", "to": "w", "kind": "push"},
         {"id": "e2", "from": "q", "to": "w", "kind": "push"}])
    return real, {"w": ours["w"]}


def case_prefix(ctx):
    msgs = ["weather 1", "sport 2", "weather 3", "sport 4", "news 5"]
    pub = ctx.socket(zmq.PUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    subs = {}
    for name, prefix in (("w", "weather"), ("s", "sport"), ("all", "")):
        s = ctx.socket(zmq.SUB)
        s.setsockopt_string(zmq.SUBSCRIBE, prefix)
        s.connect(f"tcp://127.0.0.1:{port}")
        subs[name] = (s, prefix)
    time.sleep(0.5)  # let the subscriptions reach the publisher (the slow joiner)
    for m in msgs:
        pub.send_string(m)
    real = {name: drain(s, sum(m.startswith(p) for m in msgs)) for name, (s, p) in subs.items()}
    for s, _ in subs.values():
        s.close(0)
    pub.close(0)
    ours = qp_workers(
        [producer("p", msgs), worker("w"), worker("s"), worker("all")],
        [{"id": f"e{n}", "from": "p", "to": n, "kind": "pub", "pub": {"prefix": p}}
         for n, p in (("w", "weather"), ("s", "sport"), ("all", ""))])
    return real, {n: ours[n] for n in ("w", "s", "all")}


def main():
    ctx = zmq.Context()
    failures = 0
    cases = [("PUSH round-robin over connected peers", case_round_robin),
             ("PULL fair-queues its pipes", case_fair_queue),
             ("SUB prefix subscriptions", case_prefix)]
    for name, case in cases:
        real, ours = case(ctx)
        if real == ours:
            print(f"ok   {name}: {ours}")
        else:
            failures += 1
            print(f"FAIL {name}\n  libzmq: {real}\n  qp:     {ours}")
    ctx.term()
    print(f"{len(cases) - failures} of {len(cases)} cases agree with libzmq {zmq.zmq_version()}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
