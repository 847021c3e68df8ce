"""What the RabbitMQ checks (rabbit_check.py, queue_check.py, definitions_check.py)
share: rabbitmqctl, a run of basic.gets settled one way, and the copies of one message
found across queues."""

import shutil
import subprocess


def rabbitmqctl(*args, check=True):
    """Runs `rabbitmqctl -q ARGS`; raises with its message when it fails (unless
    check=False)."""
    ctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    out = subprocess.run([ctl, "-q", *args], capture_output=True, text=True)
    if check and out.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {out.stderr.strip() or out.stdout}")
    return out


def get_and_settle(ch, queue, count, ack):
    """Up to `count` basic.gets from `queue`, then each settled as `ack` says (ack,
    requeue: basic.nack with requeue, else basic.reject); the bodies got, in order."""
    got = []
    for _ in range(count):
        method, _, body = ch.basic_get(queue, auto_ack=False)
        if method is None:
            break
        got.append((method.delivery_tag, body.decode()))
    for tag, _ in got:
        if ack == "ack":
            ch.basic_ack(tag)
        elif ack == "requeue":
            ch.basic_nack(tag, requeue=True)
        else:
            ch.basic_reject(tag, requeue=False)
    return [body for _, body in got]


def copies(ch, queues, body):
    """Empties `queues`; the queues that held `body`, one entry per copy (sorted), and
    anything else found marked stale."""
    got = []
    for q in queues:
        while True:
            _, _, msg = ch.basic_get(q, auto_ack=True)
            if msg is None:
                break
            got.append(q if msg == body else f"{q}(stale {msg!r})")
    return sorted(got)
