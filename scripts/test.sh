#!/usr/bin/env bash
# Runs every test, installing the toolchain and the browser first when they are
# missing: formatting and lint gates, native tests, SQS sequences against moto, ZeroMQ
# cases against real libzmq, RabbitMQ routing, queue behaviour and definitions
# against a real broker, browser tests (wasm-bindgen-test in headless Chromium), the
# release build, its size report, and the Playwright tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --browser
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
step() { printf '\n==> %s\n' "$*"; }

step "Formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "Lints (cargo clippy, native and wasm32)"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings

step "Native tests (cargo test)"
cargo test

step "SQS call sequences against moto, an SQS emulator (tests/aws/moto_check.py)"
if [ ! -x .tools/py/bin/python ]; then python3 -m venv .tools/py; fi
.tools/py/bin/pip install --quiet --disable-pip-version-check "moto[sqs]==5.2.1" "boto3==1.43.11" "pyzmq==27.1.0" "pika==1.4.4"
cargo build --bin qp
.tools/py/bin/python tests/aws/moto_check.py target/debug/qp

step "ZeroMQ cases against real libzmq on loopback (tests/zmq/pyzmq_check.py)"
.tools/py/bin/python tests/zmq/pyzmq_check.py target/debug/qp

step "RabbitMQ routing, queue behaviour and definitions against a real broker (tests/rabbit/)"
# Installs and starts Debian's rabbitmq-server when needed; a broker this step started
# is stopped again afterwards.
rabbit_was_up=0
if (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then rabbit_was_up=1; fi
bash tests/rabbit/start_broker.sh
.tools/py/bin/python tests/rabbit/rabbit_check.py target/debug/qp
.tools/py/bin/python tests/rabbit/queue_check.py target/debug/qp
.tools/py/bin/python tests/rabbit/definitions_check.py target/debug/qp
if [ "$rabbit_was_up" = 0 ]; then rabbitmqctl -q stop >/dev/null 2>&1 || true; fi

step "Browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --target wasm32-unknown-unknown --test browser

step "Release build (trunk build --release)"
trunk build --release

step "Shipped size"
bash scripts/size-report.sh

step "End-to-end tests (Playwright + Chromium against dist/)"
(cd tests/e2e && npm test)

step "All tests passed"
