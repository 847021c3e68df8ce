#!/usr/bin/env bash
# UI benchmark (figures only): load a 500-node / 2,000-edge diagram into the release
# build and drag one well-connected node in Chromium; prints load time and frame times.
# Needs dist/ (trunk build --release) and tests/e2e's node_modules (npm ci in tests/e2e).
# Extra arguments go to the benchmark: --zoom fit|<number>, --input paced|serial, --profile.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ ! -f dist/index.html ]; then
  echo "No release build in dist/: run \`trunk build --release\` first." >&2
  exit 1
fi
if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  echo "playwright-core is missing: run \`npm ci\` in tests/e2e first (or bash scripts/setup.sh --browser)." >&2
  exit 1
fi
exec node tests/e2e/bench/drag.mjs "$@"
