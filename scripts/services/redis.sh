#!/usr/bin/env bash
# Redis (Debian's redis-server) on loopback: Orleans membership and the shared hot-read cache of the cluster
# profile. Persistence is on (AOF), since membership and cache entries live here.
#   redis.sh up|down|status        Env: REDIS_PORT (6379)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh.inc
source "$here/common.sh.inc"

: "${ANALYTICS_SERVICES_DIR:?run through scripts/services.sh}"
REDIS_PORT="${REDIS_PORT:-6379}"
state="$ANALYTICS_SERVICES_DIR/redis"
pidfile="$state/redis.pid"

install_package() {
  command -v redis-server >/dev/null 2>&1 && return 0
  echo "redis: installing redis-server"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null
}

up() {
  if is_running "$pidfile"; then echo "redis: running on 127.0.0.1:$REDIS_PORT"; return 0; fi
  install_package
  mkdir -p "$state/data"
  cat >"$state/redis.conf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize no
dir $state/data
appendonly yes
appendfsync everysec
save 60 1000
logfile $state/redis.log
CONF
  nohup redis-server "$state/redis.conf" >/dev/null 2>&1 &
  echo $! >"$pidfile"
  wait_for_port 127.0.0.1 "$REDIS_PORT" 30
  # The port alone is not readiness: PING must answer PONG (it loads the AOF first).
  local deadline=$((SECONDS + 30))
  until [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; do
    (( SECONDS < deadline )) || { echo "redis: no PONG after 30 s" >&2; exit 1; }
    sleep 0.2
  done
  echo "redis: ready on 127.0.0.1:$REDIS_PORT"
}

case "${1:-}" in
  up) up ;;
  down) stop_pid "$pidfile"; echo "redis: stopped" ;;
  status) if is_running "$pidfile"; then echo "redis: running"; else echo "redis: stopped"; fi ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
