#!/usr/bin/env bash
# Prints the shipped bytes of dist/ (wasm, js, css), raw and gzip -9.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${1:-$ROOT/dist}"
[ -d "$DIST" ] || { echo "size-report: $DIST does not exist; run trunk build --release first" >&2; exit 2; }
printf '%-6s %12s %12s\n' kind raw gzip
total_raw=0; total_gz=0
for kind in wasm js css; do
  raw=0; gz=0
  while IFS= read -r -d '' f; do
    raw=$((raw + $(stat -c %s "$f")))
    gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
  done < <(find "$DIST" -maxdepth 1 -name "*.$kind" -print0)
  printf '%-6s %12d %12d\n' "$kind" "$raw" "$gz"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
done
printf '%-6s %12d %12d\n' total "$total_raw" "$total_gz"
