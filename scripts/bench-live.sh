#!/usr/bin/env bash
# Live-animation benchmark (figures only): frame times with about 10k / 20k / 50k / 100k
# messages in flight (?pattern=stress&n=N; give sizes as arguments to measure others)
# measured from the app's own rAF loop, plus core hops/s inside wasm.
# Needs a release build in dist/ (trunk build --release) and the test browser
# (bash scripts/setup.sh --browser).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -f dist/index.html ] || { echo "bench-live: dist/ is missing; run trunk build --release first" >&2; exit 2; }
node tests/e2e/bench/live.mjs "$@"
