#!/usr/bin/env bash
# Builds the browser app in release mode into dist/: Trunk (offline) stages
# each bundle's page and stylesheet, its post_build hook (scripts/split-wasm.sh)
# builds the wasm split at the lazy routes; then the service worker and the
# precompressed copies (.br, .gz) the server sends.
source "$(dirname "$0")/lib.sh"
log "Building the browser app (Trunk, release): the office bundle, the tablet bundle, the residents' bundle"
# The office bundle first: Trunk empties its dist/ before writing.
trunk build --release --offline
trunk build app/web/field.html --release --offline=true --dist dist/field --public-url /field/
trunk build app/web/resident.html --release --offline=true --dist dist/resident --public-url /resident/
# Each bundle's copy of the shared stylesheet keeps only the rules its pages
# can use (scripts/prune-css.py): off every first load 1.2 KB br for the
# residents, about 0.5 KB for the office and the tablet.
for bundle in dist dist/field dist/resident; do python3 scripts/prune-css.py "$bundle"; done
# The service worker for the tablet bundle: its version is the hash of the
# bundle's index.html, its file list the bundle's files (not splits.json, the
# build's own manifest) — every chunk of every
# street page, so an offline walk never asks the network for one — and its
# street paths come from the page table (scope /, so it is served from the
# top: /sw.js).
(
  cd dist/field
  version=$(sha256sum index.html | cut -c1-16)
  assets=$(find . -type f ! -name '*.map' ! -name '*.br' ! -name '*.gz' ! -name 'splits.json' | sed 's|^\./|/field/|' | sort | python3 -c 'import json,sys; print(json.dumps([l.strip() for l in sys.stdin]))')
  paths=$(cd "$ROOT" && cargo run --locked -q -p gongzhi-api --bin gongzhi-pages -- field-prefixes)
  sed -e "s|__VERSION__|$version|" -e "s|__ASSETS__|$assets|" -e "s|__FIELD_PATHS__|$paths|" ../../app/sw.js > ../sw.js
)
log "Service worker written: dist/sw.js"
# Precompressed copies for the server (ServeDir precompressed_br/gzip): the
# bytes on the wire are these, not the raw files.
find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \) -print0 |
  while IFS= read -r -d '' f; do
    gzip -9 -n -k -f "$f"
    brotli -q 11 -k -f "$f"
  done
log "Precompressed: $(find dist -name '*.br' | wc -l) files (.br and .gz)"
