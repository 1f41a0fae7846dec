#!/usr/bin/env bash
# PostgreSQL 15 (Debian's package) as a private cluster for the benchmarks' peer comparison:
# initdb + pg_ctl in $ANALYTICS_SERVICES_DIR/postgres, listening on 127.0.0.1:${ANALYTICS_POSTGRES_PORT:-55432} only,
# trust auth for user "bench". Stops only the postmaster whose pid we recorded.
#   bash scripts/services/postgres.sh up|down|status
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/common.sh.inc"
repo="${ANALYTICS_REPO_ROOT:-$(cd "$here/../.." && pwd)}"
state="${ANALYTICS_SERVICES_DIR:-$repo/.services}/postgres"
port="${ANALYTICS_POSTGRES_PORT:-55432}"
pidfile="$state/postgres.pid"
bin=/usr/lib/postgresql/15/bin

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

install() {
  [ -x "$bin/initdb" ] && return 0
  [ "$(id -u)" = 0 ] || { echo "postgresql-15 is not installed and we are not root" >&2; return 1; }
  ls /var/lib/apt/lists/*Packages* >/dev/null 2>&1 || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
}

up() {
  if is_running "$pidfile"; then echo "postgres: already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; return 0; fi
  install
  mkdir -p "$state/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres "$state"
  if [ ! -f "$state/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$state/data" -U bench --auth=trust -E UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1
  fi
  as_pg "$bin/pg_ctl" -D "$state/data" -l "$state/postgres.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $state/sock -c shared_buffers=512MB -c max_parallel_workers_per_gather=2 -c fsync=off -c synchronous_commit=off" start >/dev/null
  head -1 "$state/data/postmaster.pid" > "$pidfile"
  wait_for_port 127.0.0.1 "$port" 30
  echo "postgres: up on 127.0.0.1:$port (pid $(cat "$pidfile")), user bench, database postgres"
}

down() {
  if is_running "$pidfile"; then
    as_pg "$bin/pg_ctl" -D "$state/data" -m fast -w -t 30 stop >/dev/null 2>&1 || stop_pid "$pidfile"
  fi
  rm -f "$pidfile"
  echo "postgres: down"
}

status() { if is_running "$pidfile"; then echo "postgres: running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; else echo "postgres: stopped"; return 3; fi; }

case "${1:-}" in up) up;; down) down;; status) status;; *) echo "usage: $0 up|down|status" >&2; exit 2;; esac
