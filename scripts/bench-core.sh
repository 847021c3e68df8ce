#!/usr/bin/env bash
# Core benchmarks (figures only): hops/s through 4- and 50-node topologies, and the time
# `qp simulate tests/scenarios/throughput-1m.json` takes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
cargo bench --bench core_throughput -- "$@"
cargo build --profile fast --bin qp
printf '\nqp simulate tests/scenarios/throughput-1m.json (wall clock, 3 runs):\n'
for _ in 1 2 3; do
  /usr/bin/time -f '  %e s, %M KiB max RSS' target/fast/qp simulate tests/scenarios/throughput-1m.json > /dev/null
done
