#!/usr/bin/env bash
# Prints the simulation core's own share of the download: benches/size-probe is a bare
# WebAssembly module with only what the app asks of the core (load, validate, simulate,
# report, save, definitions import and export), built like the release build (core at
# opt-level "s", then wasm-opt -Oz), and once more with the core at "z" (the smallest
# the compiler makes it). Compare with scripts/size-report.sh's wasm line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/benches/size-probe"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
command -v wasm-opt > /dev/null || { echo "size-core: wasm-opt is missing; run bash scripts/setup.sh" >&2; exit 2; }
target="$ROOT/target/size-probe"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-28s %12s %12s\n' "core alone" raw gzip
for level in s z; do
  CARGO_TARGET_DIR="$target" cargo build -q --release --target wasm32-unknown-unknown \
    --config "profile.release.package.qp-core.opt-level=\"$level\""
  wasm-opt -Oz --strip-debug --strip-producers \
    "$target/wasm32-unknown-unknown/release/qp_size_probe.wasm" -o "$out/core-$level.wasm"
  printf '%-28s %12d %12d\n' "core at opt-level \"$level\"" \
    "$(stat -c %s "$out/core-$level.wasm")" "$(gzip -9 -c "$out/core-$level.wasm" | wc -c)"
done
