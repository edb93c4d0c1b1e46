#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: installs Debian's `postgresql`
# when initdb/pg_ctl are missing, creates a cluster in a temp directory
# (initdb + pg_ctl as an unprivileged user), starts it on a free loopback
# port, and removes it at the end. No system service is used or assumed.
#
#   scripts/pg.sh run CMD [ARGS…]   start, run CMD with GONGZHI_TEST_DATABASE_URL
#                                   (and PG_URL) set, stop; exits with CMD's status
#   scripts/pg.sh shell             start and open a shell with the URL set
#
# GONGZHI_PG_PORT picks the first port to try (default 55432).
# GONGZHI_PG_DURABLE=1 keeps PostgreSQL's durability defaults (fsync,
# synchronous_commit, full_page_writes on) — for measurements next to SQLite's
# `synchronous = FULL`; the tests run without them. GONGZHI_PG_OPTS adds
# server options (e.g. "-c shared_buffers=2GB").
#
# Sourced (`source scripts/pg.sh`), it only defines pg_start / pg_stop:
# scripts/bench.sh --city --pg uses them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The directory holding initdb and pg_ctl, installing them if need be.
pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  log "Installing PostgreSQL (Debian package postgresql)" >&2
  apt_install postgresql >&2
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  die "postgresql installed but initdb not found under /usr/lib/postgresql"
}

# Runs a command as the cluster's owner: initdb refuses root, so root hands
# it to the `postgres` system user (created when missing).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port="${GONGZHI_PG_PORT:-55432}"
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done
  echo "$port"
}

PG_DIR=""
pg_stop() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    as_owner "$BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

pg_start() {
  BIN="$(pg_bindir)"
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  PG_DIR="$(mktemp -d /tmp/gongzhi-pg.XXXXXX)"
  trap pg_stop EXIT
  chmod 0755 "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
  as_owner "$BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  local port
  port="$(free_port)"
  # A test cluster: durability off (it is deleted afterwards) unless asked
  # for, room for the parallel tests' pools.
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${GONGZHI_PG_DURABLE:-}" = 1 ] && durability=""
  as_owner "$BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=300 $durability ${GONGZHI_PG_OPTS:-}" \
    >/dev/null || { cat "$PG_DIR/server.log" >&2; die "PostgreSQL did not start"; }
  export PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  export GONGZHI_TEST_DATABASE_URL="$PG_URL"
  log "PostgreSQL $("$BIN/pg_ctl" --version | awk '{print $3}') at $PG_URL (data in $PG_DIR)"
}

# Sourced: the functions only.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

case "${1:-}" in
  run)
    shift
    [ $# -gt 0 ] || die "usage: scripts/pg.sh run CMD [ARGS…]"
    pg_start
    status=0
    "$@" || status=$?
    pg_stop
    exit "$status"
    ;;
  shell)
    pg_start
    "${SHELL:-bash}" || true
    ;;
  *)
    die "usage: scripts/pg.sh run CMD [ARGS…] | scripts/pg.sh shell"
    ;;
esac
