#!/usr/bin/env bash
# Live-animation benchmark (figures only): frame times with about 10k / 20k / 50k / 100k
# messages in flight (?pattern=stress&n=N; give sizes as arguments to measure others)
# measured from the app's own rAF loop, plus core hops/s inside wasm and, from the
# native core benchmark on the same topologies and sizes, the wasm/native ratio
# (BENCH_NATIVE=0 leaves the native run out).
# Needs a release build in dist/ (trunk build --release) and the test browser
# (bash scripts/setup.sh --browser).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -f dist/index.html ] || { echo "bench-live: dist/ is missing; run trunk build --release first" >&2; exit 2; }
live="$(mktemp)"
trap 'rm -f "$live"' EXIT
node tests/e2e/bench/live.mjs "$@" | tee "$live"
[ "${BENCH_NATIVE:-1}" = 0 ] && exit 0
printf '\nnative core (cargo bench --bench core_throughput: the same topologies, 1,000,000 messages each):\n'
native="$(cargo bench -q --bench core_throughput 2>/dev/null | grep -E '^(4-node|50-node|kafka|sqs|zeromq) ' || true)"
echo "$native"
# wasm line: "wasm core 4-node: … = 2.61 M hops/s …"; native line: "4-node p→x→q→c … = 5.56 M hops/s …"
printf '\nwasm / native hops/s:\n'
awk '
  FNR == NR { for (i = 2; i <= NF; i++) if ($i == "M" && $(i + 1) == "hops/s") { n[$1] = $(i - 1); break }; next }
  /^wasm core / { name = $3; sub(/:$/, "", name)
    for (i = 4; i <= NF; i++) if ($i == "M" && $(i + 1) == "hops/s") { w = $(i - 1); break }
    if (name in n && n[name] > 0) printf "  %-8s %5.2f / %5.2f M hops/s = %.2f x\n", name, w, n[name], w / n[name] }
' <(echo "$native") "$live"
