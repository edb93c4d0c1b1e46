#!/usr/bin/env bash
# Builds the browser app in release mode into dist/ (Trunk, offline).
source "$(dirname "$0")/lib.sh"
log "Building the browser app (Trunk, release)"
trunk build --release --offline
