#!/usr/bin/env bash
# ClickHouse (Debian's clickhouse-server, 18.16) as a private server for the benchmarks' peer comparison:
# a minimal config in $ANALYTICS_SERVICES_DIR/clickhouse, HTTP on 127.0.0.1:${ANALYTICS_CLICKHOUSE_HTTP_PORT:-58123},
# native TCP on 127.0.0.1:${ANALYTICS_CLICKHOUSE_TCP_PORT:-59000}. Stops only the server whose pid we recorded.
#   bash scripts/services/clickhouse.sh up|down|status
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/common.sh.inc"
repo="${ANALYTICS_REPO_ROOT:-$(cd "$here/../.." && pwd)}"
state="${ANALYTICS_SERVICES_DIR:-$repo/.services}/clickhouse"
http_port="${ANALYTICS_CLICKHOUSE_HTTP_PORT:-58123}"
tcp_port="${ANALYTICS_CLICKHOUSE_TCP_PORT:-59000}"
pidfile="$state/clickhouse.pid"

install() {
  command -v clickhouse-server >/dev/null && return 0
  [ "$(id -u)" = 0 ] || { echo "clickhouse-server is not installed and we are not root" >&2; return 1; }
  ls /var/lib/apt/lists/*Packages* >/dev/null 2>&1 || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server >/dev/null
}

write_config() {
  mkdir -p "$state/data" "$state/tmp" "$state/user_files" "$state/format_schemas" "$state/log"
  cat > "$state/config.xml" <<XML
<yandex>
  <logger><level>warning</level><log>$state/log/server.log</log><errorlog>$state/log/error.log</errorlog><size>50M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$http_port</http_port>
  <tcp_port>$tcp_port</tcp_port>
  <path>$state/data/</path>
  <tmp_path>$state/tmp/</tmp_path>
  <user_files_path>$state/user_files/</user_files_path>
  <format_schema_path>$state/format_schemas/</format_schema_path>
  <users_config>$state/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
</yandex>
XML
  cat > "$state/users.xml" <<XML
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><max_threads>2</max_threads></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}

up() {
  if is_running "$pidfile"; then echo "clickhouse: already running on 127.0.0.1:$http_port (pid $(cat "$pidfile"))"; return 0; fi
  install
  write_config
  setsid nohup clickhouse-server --config-file="$state/config.xml" >"$state/log/stdout.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  wait_for_port 127.0.0.1 "$http_port" 60 || { tail -20 "$state/log/stdout.log" "$state/log/error.log" >&2 || true; stop_pid "$pidfile"; return 1; }
  echo "clickhouse: up on http://127.0.0.1:$http_port (pid $(cat "$pidfile"))"
}

down() { stop_pid "$pidfile"; echo "clickhouse: down"; }

status() { if is_running "$pidfile"; then echo "clickhouse: running on 127.0.0.1:$http_port (pid $(cat "$pidfile"))"; else echo "clickhouse: stopped"; return 3; fi; }

case "${1:-}" in up) up;; down) down;; status) status;; *) echo "usage: $0 up|down|status" >&2; exit 2;; esac
