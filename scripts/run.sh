#!/usr/bin/env bash
# One command to run Gongzhi: installs what is missing, builds the app and the
# server in release mode, and starts http://127.0.0.1:8080 with an embedded
# SQLite database (./data) and the demo city.
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-app.sh"
log "Building the server (release)"
cargo build --release -p gongzhi-server
export GONGZHI_DEMO="${GONGZHI_DEMO:-1}"
log "Starting Gongzhi at http://${GONGZHI_ADDR:-127.0.0.1:8080} (Ctrl-C to stop)"
exec "$CARGO_TARGET_DIR/release/gongzhi-server"
