# Shared by the scripts: paths, PATH, logging. Source it, don't run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/e2e/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true
# One target directory for native and wasm builds (keeps a 2-core machine lean).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

log() { printf '\n\033[1;34m==>\033[0m \033[1m%s\033[0m\n' "$*"; }
die() { printf '\033[1;31m错误 / error:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs apt-get as root, or through sudo when there is one.
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: $*"
    sudo="sudo"
  fi
  if [ ! -f /tmp/.gongzhi-apt-updated ]; then
    $sudo apt-get update -qq && touch /tmp/.gongzhi-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Test steps. `step NAME CMD…` runs CMD with its output shown and kept; a
# failing step is recorded, not fatal, so every step runs and `summary`
# names each failure. Passed/failed counts come from the test runners' own
# lines (cargo's "test result: …", Playwright's "N passed"/"N failed"); a
# step that fails without such a count (fmt, clippy, a build, the bundle
# budget, a test binary that does not compile) counts as one failure.
STEP_PASSED=0
STEP_FAILED=0
STEP_FAILURES=()
step() {
  local name="$1" out rc p f
  shift
  out="$(mktemp)"
  log "$name"
  set +e
  "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  p=$({ grep -Eo '(^test result: .*[0-9]+ passed|^ +[0-9]+ passed)' "$out" || true; } | { grep -Eo '[0-9]+ passed' || true; } | awk '{s+=$1} END {print s+0}')
  f=$({ grep -Eo '(^test result: .*; [0-9]+ failed|^ +[0-9]+ failed)' "$out" || true; } | { grep -Eo '[0-9]+ failed' || true; } | awk '{s+=$1} END {print s+0}')
  rm -f "$out"
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    STEP_FAILURES+=("$name (exit $rc)")
  elif [ "$f" -gt 0 ]; then
    STEP_FAILURES+=("$name ($f failed)")
  fi
  STEP_PASSED=$((STEP_PASSED + p))
  STEP_FAILED=$((STEP_FAILED + f))
}

# Prints the summary line; returns 1 when any step failed. $1: start time (s).
summary() {
  local started="$1" item
  if [ "${#STEP_FAILURES[@]}" -eq 0 ]; then
    log "All checks passed in $(( $(date +%s) - started )) s"
  else
    printf '\n\033[1;31m==> %d step(s) failed in %d s:\033[0m\n' "${#STEP_FAILURES[@]}" "$(( $(date +%s) - started ))"
    for item in "${STEP_FAILURES[@]}"; do printf '  failed: %s\n' "$item"; done
  fi
  echo "summary: $STEP_PASSED passed, $STEP_FAILED failed"
  [ "${#STEP_FAILURES[@]}" -eq 0 ]
}
