#!/usr/bin/env bash
# Serves the app at http://127.0.0.1:8080 (trunk serve), installing the toolchain first
# when it is missing. Extra arguments go to `trunk serve` (e.g. --release).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
printf '\n==> Serving Queue Playground at http://127.0.0.1:8080 (Ctrl+C to stop)\n'
exec trunk serve --address 127.0.0.1 --port 8080 "$@"
