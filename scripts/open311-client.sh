#!/usr/bin/env bash
# The Python environment the e2e test drives /open311/v2/ with: a virtual
# environment in target/open311-venv holding the PyPI GeoReport v2 client
# `georeport` 0.3.1 (and its requests, xmltodict). Prints the interpreter's path.
source "$(dirname "$0")/lib.sh"
venv="$ROOT/target/open311-venv"
if ! "$venv/bin/python" -c 'import georeport' 2>/dev/null; then
  log "Installing the Open311 client (PyPI georeport 0.3.1) into $venv" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet 'georeport==0.3.1' >&2
fi
echo "$venv/bin/python"
