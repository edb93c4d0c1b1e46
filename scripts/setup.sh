#!/usr/bin/env bash
# Installs whatever is missing to build (and, with --browser, to test) Gongzhi,
# and skips what is already there at the right version. Safe to run again.
#
#   scripts/setup.sh            toolchain for building the app and server
#   scripts/setup.sh --browser  also Chromium + CJK fonts for the e2e tests
#   scripts/setup.sh --bench    also wrk for the load benchmark
source "$(dirname "$0")/lib.sh"

TRUNK_VERSION=0.21.14
# Splits the wasm at the lazy routes (scripts/split-wasm.sh).
WASM_SPLIT_VERSION=0.2.4-gongzhi.1
want_browser=false; want_bench=false
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=true ;;
    --bench) want_bench=true ;;
    *) die "unknown option $arg" ;;
  esac
done

command -v cargo >/dev/null || die "Rust (cargo) is not installed: install it with rustup first"
command -v npm >/dev/null || die "Node.js/npm is not installed"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  log "Installing Trunk $TRUNK_VERSION (about 8 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# The CLI must equal the wasm-bindgen library version in Cargo.lock exactly.
# (No --locked: one of its locked dependencies is missing from the registry.)
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$WBG_VERSION" ] || die "wasm-bindgen not found in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ]; then
  log "Installing wasm-bindgen-cli $WBG_VERSION (about 5 minutes)"
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

# The splitter is wasm-split-cli vendored with one change, as its own binary
# gongzhi-wasm-split (tools/wasm-split-cli/GONGZHI.md); its version there names
# the change, so a new change reinstalls it.
if ! command -v gongzhi-wasm-split >/dev/null ||
  ! cargo install --list | grep -q "^gongzhi-wasm-split v$WASM_SPLIT_VERSION ("; then
  log "Installing gongzhi-wasm-split $WASM_SPLIT_VERSION from tools/ (about 2 minutes)"
  cargo install --path "$ROOT/tools/wasm-split-cli" --features build-binary --locked --force \
    --target-dir "$CARGO_TARGET_DIR/tools"
fi

# brotli for the precompressed copies the server sends (.br; gzip is always there).
if ! command -v brotli >/dev/null; then
  log "Installing brotli from Debian"
  apt_install brotli
fi

# Node packages: Playwright and binaryen's wasm-opt. Debian's binaryen (108)
# produces a broken module, so Trunk must find this one first on PATH.
if [ ! -x e2e/node_modules/.bin/wasm-opt ] || [ ! -x e2e/node_modules/.bin/esbuild ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  log "Installing Node packages (Playwright, binaryen)"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

if $want_browser; then
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    log "Installing Chromium and Chinese fonts from Debian"
    apt_install chromium fonts-noto-cjk
  fi
  # The Open311 e2e test drives the server with a PyPI client in a venv
  # (scripts/open311-client.sh).
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    log "Installing python3-venv from Debian"
    apt_install python3-venv
  fi
fi

if $want_bench && ! command -v wrk >/dev/null; then
  log "Installing wrk (HTTP load generator) from Debian"
  apt_install wrk
fi
