#!/usr/bin/env bash
# Installs every tool the project needs, skipping whatever is already present at the
# right version. Sourced or run by scripts/serve.sh and scripts/test.sh.
#   --browser   also install Chromium, ChromeDriver and the Playwright package (tests)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
WASM_BINDGEN_VERSION="0.2.130"   # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml
BINARYEN_VERSION="132"
TOOLS="$ROOT/.tools"             # project-local, git-ignored

step() { printf '\n==> %s\n' "$*"; }
want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"

step "Rust target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "already installed"
else
  rustup target add wasm32-unknown-unknown
fi

step "Rust components clippy and rustfmt"
for c in clippy rustfmt; do
  if rustup component list --installed | grep -q "^$c"; then echo "$c already installed"; else rustup component add "$c"; fi
done

step "trunk $TRUNK_VERSION"
if command -v trunk >/dev/null && trunk --version | grep -q " $TRUNK_VERSION\$"; then
  echo "already installed: $(trunk --version)"
else
  echo "building trunk from crates.io (about 10 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $WASM_BINDGEN_VERSION\$"; then
  echo "already installed: $(wasm-bindgen --version)"
else
  echo "building wasm-bindgen-cli from crates.io (about 3 minutes)"
  # Not --locked: the published lockfile names a crate version the registry does not serve.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

step "wasm-opt (npm binaryen@$BINARYEN_VERSION under .tools/)"
if [ -x "$TOOLS/node_modules/.bin/wasm-opt" ] && "$TOOLS/node_modules/.bin/wasm-opt" --version | grep -q "version $BINARYEN_VERSION"; then
  echo "already installed: $("$TOOLS/node_modules/.bin/wasm-opt" --version)"
else
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{"name":"qp-tools","private":true}' > "$TOOLS/package.json"
  (cd "$TOOLS" && npm install --no-audit --no-fund --save-exact "binaryen@$BINARYEN_VERSION")
fi

if [ "$want_browser" = 1 ]; then
  step "Chromium and ChromeDriver (Debian packages)"
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "already installed: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q chromium chromium-driver
  fi

  step "Playwright test package (tests/e2e)"
  if [ -d "$ROOT/tests/e2e/node_modules/playwright-core" ] && [ -d "$ROOT/tests/e2e/node_modules/axe-core" ]; then
    echo "already installed"
  else
    (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund)
  fi
fi
