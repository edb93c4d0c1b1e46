#!/usr/bin/env bash
# The city at scale (issue 15): run through `scripts/bench.sh --city [--pg]
# [--scale F]`, which passes SCALE and PG (true/false) here. Builds the
# release server, generates the city (or reuses BENCH_CITY_DB on SQLite),
# starts the server on port 18490 and prints, for 32 and 128 connections,
# requests/s, p50 and p99 of GET /api/health and each endpoint below, and the
# non-2xx answers (a failed request is counted, never hidden).
source "$(dirname "$0")/lib.sh"
scale="${1:-0.1}"
pg="${2:-false}"
"$ROOT/scripts/setup.sh" --bench
DURATION="${BENCH_DURATION:-10s}"
PORT="${BENCH_PORT:-18490}"
SERVER="$CARGO_TARGET_DIR/release/gongzhi-server"
BASE="http://127.0.0.1:$PORT"

log "Release server"
cargo build --release --locked -p gongzhi-server

scratch="$(mktemp -d /tmp/gongzhi-city.XXXXXX)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$scratch"
  if declare -F pg_stop >/dev/null; then pg_stop; fi
}
trap cleanup EXIT

if $pg; then
  # A durable cluster (fsync and synchronous commit on, as SQLite runs FULL),
  # with a cache that holds the city's hot part.
  export GONGZHI_PG_DURABLE=1
  export GONGZHI_PG_OPTS="${GONGZHI_PG_OPTS:--c shared_buffers=2GB -c max_wal_size=8GB}"
  # shellcheck source=scripts/pg.sh
  source "$ROOT/scripts/pg.sh"
  pg_start
  trap cleanup EXIT
  export GONGZHI_DATABASE_URL="$PG_URL"
  data="$scratch/data"
  backend="PostgreSQL"
else
  data="${BENCH_CITY_DB:-$scratch/data}"
  backend="SQLite"
fi
mkdir -p "$data"
export GONGZHI_DATA_DIR="$data"

echo "load before: $(uptime)"
if [ -f "$data/gongzhi.db" ] && ! $pg; then
  log "Reusing the city in $data"
else
  log "Generating the city at scale $scale ($backend)"
  started=$(date +%s.%N)
  RUST_LOG=warn nice -n 10 "$SERVER" generate-city --scale "$scale"
  echo "generation: $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"
fi
if ! $pg; then
  echo "database: $(du -sh "$data/gongzhi.db" | cut -f1)"
else
  echo "database: $("$BIN/psql" -Atq "$PG_URL" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
fi

GONGZHI_DEMO=1 GONGZHI_ADDR="127.0.0.1:$PORT" RUST_LOG=warn,sqlx=error "$SERVER" &
server=$!
for _ in $(seq 300); do curl -fs "$BASE/api/health" >/dev/null && break; sleep 0.2; done

# "<cookie> <csrf>" of a signed-in account.
login() {
  local headers body
  headers="$scratch/login.h"
  body="$(curl -fs -D "$headers" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Gongzhi@2026\"}" "$BASE/api/auth/login")"
  printf '%s %s\n' "$(awk -F'[ ;]' 'tolower($1)=="set-cookie:" {print $2}' "$headers")" \
    "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf_token"])' "$body")"
}
read -r member member_csrf < <(login gm.00001)
read -r leader _ < <(login leader.c001)
read -r reviewer _ < <(login reviewer)
read -r finance _ < <(login finance)
read -r auditor _ < <(login auditadmin)
grid=$(curl -fs -H "Cookie: $leader" "$BASE/api/grids" |
  python3 -c 'import json,sys; print(next(g["id"] for g in json.load(sys.stdin) if g["code"]=="CITY-C001-01"))')
map="$(curl -fs -H "Cookie: $member" "$BASE/api/grids/$grid/map")"
household=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["households"][0]["id"])' "$map")
echo "walk map of CITY-C001-01: $(python3 -c 'import json,sys; m=json.loads(sys.argv[1]); print(len(m["households"]), "households,", len(m["due"]), "due,", len(m["open_events"]), "open events,", len(sys.argv[1]), "bytes")' "$map")"
today=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["today"])' "$map")
year_ago=$(date -d "$today - 365 days" +%F)

# A visit per request, each with a fresh idempotency key (wrk's Lua).
cat >"$scratch/visit.lua" <<LUA
local n = 0
local prefix
function setup(thread) thread:set("tid", math.random(1, 1000000000)) end
function init(args) prefix = string.format("bench-%d-%d", os.time(), tid) end
function request()
  n = n + 1
  local body = string.format('{"idempotency_key":"%s-%d","household_id":$household,"outcome":"met","needs":"","follow_up":"","visited_at":"%s"}',
    prefix, n, os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 60))
  return wrk.format("POST", "/api/visits", nil, body)
end
LUA

# Prints "<req/s> <p50 ms> <p99 ms> <non-2xx>" for one URL at $1 connections.
measure() {
  local c="$1" url="$2" cookie="$3" out
  shift 3
  out="$(wrk -t2 -c"$c" -d"$DURATION" --latency ${cookie:+-H "Cookie: $cookie"} "$@" "$url")"
  awk '
    function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms/, "", v); return v + 0 } if (v ~ /s$/) { sub(/s/, "", v); return v * 1000 } if (v ~ /m$/) { sub(/m/, "", v); return v * 60000 } return v }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
    $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { bad += $NF }
    /Socket errors:/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 }
    END { printf "%s %.1f %.1f %d\n", rps, p50, p99, bad }' <<<"$out"
}

log "$backend, scale $scale, $DURATION per run, wrk -t2 on loopback"
printf '%-46s | %9s %7s %7s %5s | %9s %7s %7s %5s\n' "" "c=32 r/s" "p50" "p99" "err" "c=128 r/s" "p50" "p99" "err"
# BENCH_ROWS=REGEX runs only the rows whose name matches (e.g. "walk|write").
row() {
  local name="$1" a b
  shift
  if [ -n "${BENCH_ROWS:-}" ] && ! grep -Eq "$BENCH_ROWS" <<<"$name"; then return; fi
  a="$(measure 32 "$@")"
  b="$(measure 128 "$@")"
  # shellcheck disable=SC2086
  printf '%-46s | %9s %7s %7s %5s | %9s %7s %7s %5s\n' "$name" $a $b
}
row "GET /api/health" "$BASE/api/health" ""
row "walk map GET /api/grids/{id}/map (gm.00001)" "$BASE/api/grids/$grid/map" "$member"
row "due list GET /api/grids (leader.c001)" "$BASE/api/grids" "$leader"
row "admission queue (reviewer)" "$BASE/api/admission/applications" "$reviewer"
row "funding dashboard (finance)" "$BASE/api/funding/summary" "$finance"
row "audit: one account over a year" "$BASE/api/audit?actor=gm.00001&from=$year_ago&to=$today" "$auditor"
row "audit: everything over a year, page 1" "$BASE/api/audit?from=$year_ago&to=$today" "$auditor"
row "event list GET /api/events (leader.c001)" "$BASE/api/events" "$leader"
row "audited write POST /api/visits (gm.00001)" "$BASE/api/visits" "$member" \
  -s "$scratch/visit.lua" -H "X-CSRF-Token: $member_csrf" -H "Content-Type: application/json"
row "GET /api/health (again, after the writes)" "$BASE/api/health" ""
echo "load after: $(uptime)"
kill "$server"; wait "$server" 2>/dev/null || true
server=""
RUST_LOG=warn "$SERVER" verify-audit | cut -c1-120
