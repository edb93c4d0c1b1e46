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
