#!/usr/bin/env bash
# Measurements that print numbers (no timed tests):
#  1. the release browser bundle, raw and gzip, against its budget;
#  2. GET /api/calendar/due next to GET /api/health under the same load on
#     loopback (wrk, release server): requests/s, p99 latency and the ratios;
#     then the reviewers' admission queue and the funding dashboard, signed
#     in (every line's clock and settlement computed on each request);
#     then the grid walk's map and due list (520 households) and locating;
#  3. criterion: adding working days, locating a position among 5,000
#     grids, the visits due in a 500-household grid;
#  4. the front-end's first load in Chromium (e2e/bench/first-load.js): a
#     grid walk on a tablet (gridmember), the reviewer's queue on a desktop,
#     the resident's home page on a phone — bytes on the wire with an empty
#     cache by type, time until usable on a throttled network and CPU, and the
#     walk's offline open from the service worker.
#
#   scripts/bench.sh           everything
#   scripts/bench.sh --front   only 4 (BENCH_RUNS runs per route, default 3)
#   scripts/bench.sh --city [--pg] [--scale F]
#                              only the city at scale (issue 15; ARCHITECTURE.md,
#                              "City scale"): the release server on a generated
#                              city (`generate-city --scale F`, default 0.1) on
#                              SQLite, or with --pg on a throwaway PostgreSQL
#                              cluster (scripts/pg.sh, durable settings);
#                              req/s, p50 and p99 at 32 and 128 connections for
#                              GET /api/health and each measured endpoint, and
#                              audited writes (POST /api/visits).
#                              BENCH_CITY_DB=DIR (SQLite): a data directory to
#                              keep the generated city in and reuse on the
#                              next run (the writes measured add to it);
#                              BENCH_DURATION per run (default 10s).
source "$(dirname "$0")/lib.sh"
only_front=false
city=false
pg=false
scale=0.1
expect_scale=false
for arg in "$@"; do
  if $expect_scale; then scale="$arg"; expect_scale=false; continue; fi
  case "$arg" in
    --front) only_front=true ;;
    --city) city=true ;;
    --pg) pg=true ;;
    --scale) expect_scale=true ;;
    *) die "unknown option $arg" ;;
  esac
done
if $city; then
  exec "$ROOT/scripts/bench-city.sh" "$scale" "$pg"
fi
if $only_front; then "$ROOT/scripts/setup.sh" --browser; else "$ROOT/scripts/setup.sh" --bench --browser; fi
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
PORT="${BENCH_PORT:-18090}"
FRONT_PORT="${BENCH_FRONT_PORT:-18290}"
SERVER="${GONGZHI_SERVER_BIN:-$CARGO_TARGET_DIR/release/gongzhi-server}"

# The first load of the three routes, against a fresh server with the demo data.
front() {
  log "4. Front-end first load (Chromium, CDP throttling; e2e/bench/first-load.js)"
  [ -f dist/index.html ] && [ -f dist/field/index.html ] || "$ROOT/scripts/build-app.sh"
  [ -n "${GONGZHI_SERVER_BIN:-}" ] || cargo build --release --locked -p gongzhi-server
  local data server
  data="$(mktemp -d)"
  GONGZHI_DEMO=1 GONGZHI_ADDR="127.0.0.1:$FRONT_PORT" GONGZHI_DATA_DIR="$data" GONGZHI_DIST_DIR="$ROOT/dist" \
    RUST_LOG=warn "$SERVER" &
  server=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$FRONT_PORT/api/health" >/dev/null && break; sleep 0.2; done
  (cd e2e && BASE_URL="http://127.0.0.1:$FRONT_PORT" node bench/first-load.js "${BENCH_RUNS:-3}") || { kill $server; rm -rf "$data"; return 1; }
  kill $server; wait $server 2>/dev/null || true
  rm -rf "$data"
}
if $only_front; then
  front
  exit 0
fi

log "1. Browser bundle"
[ -f dist/index.html ] || "$ROOT/scripts/build-app.sh"
"$ROOT/scripts/bundle-size.sh"

log "2. API under load (wrk, $CONNECTIONS connections, $DURATION each, loopback)"
cargo build --release --locked -p gongzhi-server
data="$(mktemp -d)"
GONGZHI_DEMO=1 GONGZHI_ADDR="127.0.0.1:$PORT" GONGZHI_DATA_DIR="$data" RUST_LOG=warn "$CARGO_TARGET_DIR/release/gongzhi-server" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.2; done

# Prints "<requests/s> <p99 in ms>" for one URL (optionally with a cookie).
measure() {
  local out rps p99
  out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency ${2:+-H "Cookie: $2"} "$1")"
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$rps $p99"
}
read -r h_rps h_p99 < <(measure "http://127.0.0.1:$PORT/api/health")
read -r c_rps c_p99 < <(measure "http://127.0.0.1:$PORT/api/calendar/due?from=2026-09-28&working_days=15")
printf '%-34s %12s %10s\n' "endpoint" "req/s" "p99 ms"
printf '%-34s %12s %10s\n' "GET /api/health" "$h_rps" "$h_p99"
printf '%-34s %12s %10s\n' "GET /api/calendar/due (15 days)" "$c_rps" "$c_p99"
awk -v hr="$h_rps" -v cr="$c_rps" -v hp="$h_p99" -v cp="$c_p99" \
  'BEGIN { printf "calendar/health: throughput ratio %.2f, p99 ratio %.2f\n", cr/hr, cp/hp }'

# Signed-in pages: the session cookie of a demo account.
cookie() {
  curl -fs -D - -o /dev/null -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Gongzhi@2026\"}" "http://127.0.0.1:$PORT/api/auth/login" |
    awk -F'[ ;]' 'tolower($1)=="set-cookie:" {print $2}'
}
read -r q_rps q_p99 < <(measure "http://127.0.0.1:$PORT/api/admission/applications" "$(cookie reviewer)")
read -r f_rps f_p99 < <(measure "http://127.0.0.1:$PORT/api/funding/summary" "$(cookie finance)")
printf '%-34s %12s %10s\n' "GET /api/admission/applications" "$q_rps" "$q_p99"
printf '%-34s %12s %10s\n' "GET /api/funding/summary" "$f_rps" "$f_p99"
# The grid walk: the map and due list of 幸福社区第五网格 (520 households),
# as the community leader opens it; every read of special-group residents
# is audited, so each request also appends to the audit chain.
leader="$(cookie leader)"
grid=$(curl -fs -H "Cookie: $leader" "http://127.0.0.1:$PORT/api/grids" |
  python3 -c 'import json,sys; print(next(g["id"] for g in json.load(sys.stdin) if g["code"]=="DX-CD-XF-05"))')
read -r m_rps m_p99 < <(measure "http://127.0.0.1:$PORT/api/grids/$grid/map" "$leader")
read -r l_rps l_p99 < <(measure "http://127.0.0.1:$PORT/api/grids/locate?lon=116.6040&lat=28.2425" "$leader")
printf '%-34s %12s %10s\n' "GET /api/grids/{520 户}/map" "$m_rps" "$m_p99"
printf '%-34s %12s %10s\n' "GET /api/grids/locate" "$l_rps" "$l_p99"
kill $server; wait $server 2>/dev/null || true

log "3. Domain: adding working days, locating among 5,000 grids, visits due (criterion)"
cargo bench --locked -p gongzhi-domain --bench calendar -- --warm-up-time 1 --measurement-time 3 2>&1 | grep -E '^(add|due)|time:'
cargo bench --locked -p gongzhi-domain --bench grid -- --warm-up-time 1 --measurement-time 3 2>&1 | grep -E '^(locate|build|visits)|time:'

front
