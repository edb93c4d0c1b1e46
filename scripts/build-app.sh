#!/usr/bin/env bash
# Builds the browser app in release mode into dist/ (Trunk, offline).
source "$(dirname "$0")/lib.sh"
log "Building the browser app (Trunk, release): the office bundle, then the tablet bundle"
# The office bundle first: Trunk empties its dist/ before writing.
trunk build --release --offline
trunk build app/field.html --release --offline=true --dist dist/field --public-url /field/
