#!/usr/bin/env bash
# Builds the browser app in release mode into dist/ (Trunk, offline).
source "$(dirname "$0")/lib.sh"
log "Building the browser app (Trunk, release): the office bundle, then the tablet bundle"
# The office bundle first: Trunk empties its dist/ before writing.
trunk build --release --offline
trunk build app/field.html --release --offline=true --dist dist/field --public-url /field/
# The service worker for the tablet bundle: its version is the hash of the
# bundle's index.html, its file list the bundle's files (scope /, so it is
# served from the top: /sw.js).
(
  cd dist/field
  version=$(sha256sum index.html | cut -c1-16)
  assets=$(find . -type f ! -name '*.map' | sed 's|^\./|/field/|' | sort | python3 -c 'import json,sys; print(json.dumps([l.strip() for l in sys.stdin]))')
  paths=$(grep -o 'FIELD_PATHS: &\[&str\] = &\[[^]]*\]' ../../crates/api/src/lib.rs | sed 's/.*= &//')
  sed -e "s|__VERSION__|$version|" -e "s|__ASSETS__|$assets|" -e "s|__FIELD_PATHS__|$paths|" ../../app/sw.js > ../sw.js
)
log "Service worker written: dist/sw.js"
