#!/usr/bin/env bash
# First-render benchmark (figures only): cold loads of gallery patterns from the release
# build on localhost; prints navigation → diagram drawn, when the loading screen painted
# and when the wasm arrived, as p50 (min–max) over several runs. Arguments: [runs]
# [pattern ...]. Needs dist/ (trunk build --release) and the test browser
# (bash scripts/setup.sh --browser).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -f dist/index.html ] || { echo "bench-first-render: dist/ is missing; run trunk build --release first" >&2; exit 2; }
exec node tests/e2e/bench/first-render.mjs "$@"
