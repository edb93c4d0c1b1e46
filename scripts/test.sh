#!/usr/bin/env bash
# One command to run every test: formatting, lints (native and wasm), Rust
# unit/property/API tests (the API tests on SQLite, then again on a throwaway
# PostgreSQL cluster; the crash and backup tests on the real binary), the
# release browser bundle and its size budget, and the end-to-end tests in
# Chromium. Installs what is missing first.
# Every step runs even when an earlier one fails; the run ends with
# "summary: N passed, M failed", names each failed step, and exits non-zero
# when anything failed.
source "$(dirname "$0")/lib.sh"
started=$(date +%s)

step "the summary itself (scripts/test-summary.sh)" "$ROOT/scripts/test-summary.sh"
step "setup" "$ROOT/scripts/setup.sh" --browser
step "cargo fmt --check" cargo fmt --all --check
step "cargo clippy (native: domain, api, cli, server)" cargo clippy --all-targets --locked -- -D warnings
step "cargo clippy (wasm32: browser app)" cargo clippy -p gongzhi-app --target wasm32-unknown-unknown --locked -- -D warnings
step "Rust tests (unit, property, domain examples, the gongzhi CLI on its binary, API through the real router and SQLite, crash and backup on the binary)" cargo test --locked
# The API tests again on PostgreSQL (scripts/pg.sh starts a throwaway cluster);
# crash and backup are about the SQLite file and run once, above.
pg_tests=()
for t in server/tests/*.rs; do
  name=$(basename "$t" .rs)
  case "$name" in crash | backup) ;; *) pg_tests+=(--test "$name") ;; esac
done
step "API tests again on PostgreSQL (a throwaway cluster, scripts/pg.sh)" "$ROOT/scripts/pg.sh" run cargo test --locked -p gongzhi-server "${pg_tests[@]}"
step "server build" cargo build --locked -p gongzhi-server
step "the splitter's own tests (tools/wasm-split-cli, its --shared-order grouping)" \
  cargo test --locked --manifest-path "$ROOT/tools/wasm-split-cli/Cargo.toml" --target-dir "$CARGO_TARGET_DIR/tools"
step "browser app build" "$ROOT/scripts/build-app.sh"
step "Bundle size budget" "$ROOT/scripts/bundle-size.sh" --check
rm -rf e2e/screenshots
step "End-to-end tests in Chromium (screenshots in e2e/screenshots/)" env -C e2e playwright test

summary "$started"
