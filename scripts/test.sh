#!/usr/bin/env bash
# One command to run every test: formatting, lints (native and wasm), Rust
# unit/property/API tests (the API tests on SQLite, then again on a throwaway
# PostgreSQL cluster), the release browser bundle and its size budget,
# and the end-to-end tests in Chromium. Installs what is missing first.
# Ends with a summary line "summary: N passed, M failed".
source "$(dirname "$0")/lib.sh"
started=$(date +%s)
results="$(mktemp)"
trap 'rm -f "$results"' EXIT

"$ROOT/scripts/setup.sh" --browser

log "cargo fmt --check"
cargo fmt --all --check

log "cargo clippy (native: domain, api, server)"
cargo clippy --all-targets --locked -- -D warnings

log "cargo clippy (wasm32: browser app)"
cargo clippy -p gongzhi-app --target wasm32-unknown-unknown --locked -- -D warnings

log "Rust tests (unit, property, API through the real router on SQLite)"
cargo test --locked 2>&1 | tee -a "$results"

log "API tests again on PostgreSQL (a throwaway cluster, scripts/pg.sh)"
"$ROOT/scripts/pg.sh" run cargo test --locked -p gongzhi-server --test '*' 2>&1 | tee -a "$results"
cargo build --locked -p gongzhi-server

"$ROOT/scripts/build-app.sh"
log "Bundle size budget"
"$ROOT/scripts/bundle-size.sh" --check

log "End-to-end tests in Chromium (screenshots in e2e/screenshots/)"
rm -rf e2e/screenshots
(cd e2e && playwright test) 2>&1 | tee -a "$results"

passed=$(grep -Eo '(^test result: .*[0-9]+ passed|^ +[0-9]+ passed)' "$results" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '(; [0-9]+ failed|^ +[0-9]+ failed)' "$results" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
log "All checks passed in $(( $(date +%s) - started )) s"
echo "summary: $passed passed, $failed failed"
