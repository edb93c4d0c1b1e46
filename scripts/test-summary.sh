#!/usr/bin/env bash
# Checks test.sh's step/summary machinery (scripts/lib.sh): a run with failing
# steps still reaches the summary, counts each failure — tests a runner
# reports and steps that fail without a count — names them, and exits
# non-zero; a passing run says "0 failed" and exits 0. Run by test.sh first.
source "$(dirname "$0")/lib.sh"
fail() { printf 'test-summary: %s\n' "$*" >&2; exit 1; }

failing_run() {
  source "$ROOT/scripts/lib.sh"
  step "fmt" false
  step "cargo test" printf 'test result: ok. 5 passed; 0 failed; 0 ignored\ntest result: FAILED. 2 passed; 3 failed; 0 ignored\n'
  step "e2e" sh -c 'printf "  4 passed (3s)\n"; exit 0'
  step "bundle" sh -c 'echo over budget; exit 7'
  summary "$(date +%s)"
}
passing_run() {
  source "$ROOT/scripts/lib.sh"
  step "cargo test" printf 'test result: ok. 5 passed; 0 failed; 0 ignored\n'
  step "e2e" printf '  4 passed (3s)\n'
  summary "$(date +%s)"
}

set +e
out="$(failing_run 2>&1)"; rc=$?
set -e
[ "$rc" -ne 0 ] || fail "a failing run exited 0"
grep -qx 'summary: 11 passed, 5 failed' <<<"$out" || fail "failing run: wrong summary in: $out"
for name in 'fmt (exit 1)' 'cargo test (3 failed)' 'bundle (exit 7)'; do
  grep -qF "failed: $name" <<<"$out" || fail "failing run does not name '$name'"
done
! grep -qF 'failed: e2e' <<<"$out" || fail "a passing step is named as failed"

set +e
out="$(passing_run 2>&1)"; rc=$?
set -e
[ "$rc" -eq 0 ] || fail "a passing run exited $rc"
grep -qx 'summary: 9 passed, 0 failed' <<<"$out" || fail "passing run: wrong summary in: $out"
grep -qF 'All checks passed' <<<"$out" || fail "passing run does not say all checks passed"
echo "test result: ok. 2 passed; 0 failed (scripts/test-summary.sh: a failing and a passing run)"
