#!/usr/bin/env bash
# Makes sure a local RabbitMQ broker (Debian package rabbitmq-server) is running and
# accepting AMQP connections on localhost:5672, for tests/rabbit/rabbit_check.py.
# Installs the package when it is missing (apt-get, non-interactive; needs root),
# starts the broker detached when it is not running (no systemd needed), then waits,
# for at most RABBIT_WAIT_SECONDS (default 90), until it answers. Idempotent: a
# broker already up is left as it is. Stop it with `rabbitmqctl stop`.
set -euo pipefail
WAIT="${RABBIT_WAIT_SECONDS:-90}"

if ! command -v rabbitmq-server >/dev/null 2>&1; then
    echo "start_broker: installing rabbitmq-server" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq rabbitmq-server >/dev/null
fi

# Is the node up and the AMQP listener open?
accepting() {
    rabbitmqctl -q status >/dev/null 2>&1 \
        && (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null
}

if accepting; then
    echo "start_broker: RabbitMQ already running" >&2
    exit 0
fi

if ! rabbitmqctl -q status >/dev/null 2>&1; then
    echo "start_broker: starting rabbitmq-server -detached" >&2
    rabbitmq-server -detached
fi

deadline=$((SECONDS + WAIT))
# await_startup blocks until the node has booted; bound it, then poll the listener.
timeout "$WAIT" rabbitmqctl -q await_startup >/dev/null 2>&1 || true
until accepting; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "start_broker: RabbitMQ did not accept connections on 127.0.0.1:5672 within ${WAIT}s" >&2
        echo "start_broker: see /var/log/rabbitmq/ (startup_log, startup_err, rabbit@*.log)" >&2
        exit 1
    fi
    sleep 1
done
echo "start_broker: RabbitMQ $(rabbitmqctl -q version 2>/dev/null || echo '?') accepting connections" >&2
