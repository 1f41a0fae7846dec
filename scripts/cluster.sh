#!/usr/bin/env bash
# The cluster profile on one machine, all on loopback: the real servers (scripts/services.sh: Redis, Kafka,
# Cassandra), N silos, M gateways and HAProxy (deploy/haproxy/haproxy.cfg) in front of the gateways.
#   scripts/cluster.sh up [--silos N] [--gateways M]    (defaults: 1 silo, 2 gateways; plus one dashboard process)
#   scripts/cluster.sh down [--keep-services]           stops what `up` started (by its pid files), then the servers
#   scripts/cluster.sh status
# The dashboard runs as its own process (dashboard/host, Analytics.Dashboard.Host.dll): the page at /dashboard, /api/* and
# /js/script.js forwarded to HAProxy (Analytics:Dashboard:GatewayUrl).
# Env: CLUSTER_HTTP_PORT (8080, HAProxy), CLUSTER_GATEWAY_PORT (5181, first gateway), CLUSTER_SILO_HTTP_PORT (5191),
#      CLUSTER_DASHBOARD_PORT (5201),
#      CLUSTER_SILO_PORT (11111), CLUSTER_SILO_GATEWAY_PORT (30000), CLUSTER_CONFIGURATION (Release), CLUSTER_KEYSPACE (analytics),
#      and the servers' REDIS_PORT, KAFKA_PORT, CASSANDRA_PORT, KAFKA_PARTITIONS, ANALYTICS_SERVICES_DIR.
# Pid files and logs: $ANALYTICS_SERVICES_DIR/cluster/ (default .services/cluster/).
# Credentials: generated on the first `up` into $ANALYTICS_SERVICES_DIR/cluster/credentials.env (mode 600): an operator
# API key (AG_API_KEY), the dashboard's admin password (AG_ADMIN_PASSWORD) and the dashboard's service key; the gateways
# get only the keys' SHA-256.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export ANALYTICS_SERVICES_DIR="${ANALYTICS_SERVICES_DIR:-$root/.services}"
# shellcheck source=services/common.sh.inc
source "$here/services/common.sh.inc"

state="$ANALYTICS_SERVICES_DIR/cluster"
configuration="${CLUSTER_CONFIGURATION:-Release}"
http_port="${CLUSTER_HTTP_PORT:-8080}"
gateway_port="${CLUSTER_GATEWAY_PORT:-5181}"
silo_http_port="${CLUSTER_SILO_HTTP_PORT:-5191}"
dashboard_port="${CLUSTER_DASHBOARD_PORT:-5201}"
silo_port="${CLUSTER_SILO_PORT:-11111}"
silo_gateway_port="${CLUSTER_SILO_GATEWAY_PORT:-30000}"
proxy_source="127.0.0.2"   # HAProxy connects from here; the gateways trust X-Forwarded-For from nothing else
silo_dll="$root/silo/bin/$configuration/net10.0/Analytics.Silo.dll"
gateway_dll="$root/gateway/host/bin/$configuration/net10.0/Analytics.Gateway.Host.dll"
dashboard_dll="$root/dashboard/host/bin/$configuration/net10.0/Analytics.Dashboard.Host.dll"

random_token() { head -c "$1" /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
sha256() { printf %s "$1" | sha256sum | cut -d' ' -f1; }

# Made once, kept for later runs; only this file holds the plaintext.
load_credentials() {
  local file="$state/credentials.env"
  if [ ! -f "$file" ]; then
    (umask 077; printf 'AG_API_KEY=ag_%s\nAG_SERVICE_KEY=ag_%s\nAG_ADMIN_EMAIL=admin@localhost\nAG_ADMIN_PASSWORD=%s\n' \
      "$(random_token 32)" "$(random_token 32)" "$(random_token 18)" >"$file")
  fi
  # The key share slugs are derived with: every gateway the same one (standard base64; added to files made before it).
  if ! grep -q '^AG_SHARE_LINK_KEY=' "$file"; then
    printf 'AG_SHARE_LINK_KEY=%s\n' "$(head -c 32 /dev/urandom | base64 | tr -d '\n')" >>"$file"
  fi
  # shellcheck disable=SC1090
  source "$file"
}

# A key the gateways know by its hash only: every site, every permission.
key_env() {
  local i="$1" name="$2" key="$3"
  echo "Analytics__Auth__ApiKeys__${i}__Name=$name"
  echo "Analytics__Auth__ApiKeys__${i}__Hash=$(sha256 "$key")"
  echo "Analytics__Auth__ApiKeys__${i}__Sites__0=*"
  echo "Analytics__Auth__ApiKeys__${i}__Permissions__0=stats:read"
  echo "Analytics__Auth__ApiKeys__${i}__Permissions__1=sites:manage"
  echo "Analytics__Auth__ApiKeys__${i}__Permissions__2=keys:manage"
}

action="${1:-}"; shift || true
silos=1; gateways=2; keep_services=0
while [ $# -gt 0 ]; do
  case "$1" in
    --keep-services) keep_services=1; shift ;;
    --silos) silos="$2"; shift 2 ;;
    --gateways) gateways="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

common_env() {
  echo "Analytics__Profile=Cluster"
  echo "Analytics__Cluster__ClusterId=analytics"
  echo "Analytics__Cluster__ServiceId=analytics"
  echo "Analytics__Cluster__RedisConnectionString=127.0.0.1:${REDIS_PORT:-6379}"
  echo "Analytics__Kafka__BootstrapServers=127.0.0.1:${KAFKA_PORT:-9092}"
  echo "Analytics__Kafka__Topic=${KAFKA_TOPIC:-analytics-events}"
  # The local broker is Kafka 0.9 (see DESIGN.md); production brokers negotiate and need neither.
  echo "Analytics__Kafka__ApiVersionRequest=false"
  echo "Analytics__Kafka__BrokerVersionFallback=0.9.0.1"
}

# start NAME PIDFILE URL DIR ENV... -- COMMAND...: runs in DIR in the background with its own log, waits for URL.
start() {
  local name="$1" pidfile="$2" health="$3" dir="$4"; shift 4
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  if is_running "$pidfile"; then echo "cluster: $name already running"; return 0; fi
  env -C "$dir" "${envs[@]}" nohup "$@" >"$state/$name.log" 2>&1 &
  echo $! >"$pidfile"
  local deadline=$((SECONDS + 120))
  until curl -fsS -o /dev/null "$health" 2>/dev/null; do
    is_running "$pidfile" || { echo "cluster: $name exited; see $state/$name.log" >&2; tail -20 "$state/$name.log" >&2; exit 1; }
    (( SECONDS < deadline )) || { echo "cluster: $name not healthy after 120 s; see $state/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "cluster: $name ready ($health)"
}

up() {
  mkdir -p "$state"
  bash "$here/services.sh" up
  if [ ! -f "$silo_dll" ] || [ ! -f "$gateway_dll" ] || [ ! -f "$dashboard_dll" ]; then
    dotnet build "$root/silo" -c "$configuration" -nologo -clp:ErrorsOnly
    dotnet build "$root/gateway/host" -c "$configuration" -nologo -clp:ErrorsOnly
    dotnet build "$root/dashboard/host" -c "$configuration" -nologo -clp:ErrorsOnly
  fi
  mapfile -t cenv < <(common_env)
  load_credentials
  mapfile -t keys < <(key_env 0 operator "$AG_API_KEY"; key_env 1 dashboard "$AG_SERVICE_KEY")

  for i in $(seq 1 "$silos"); do
    start "silo-$i" "$state/silo-$i.pid" "http://127.0.0.1:$((silo_http_port + i - 1))/health" "$(dirname "$silo_dll")" \
      "${cenv[@]}" \
      "Analytics__Cluster__AdvertisedAddress=127.0.0.1" \
      "Analytics__Cluster__SiloPort=$((silo_port + i - 1))" \
      "Analytics__Cluster__GatewayPort=$((silo_gateway_port + i - 1))" \
      "Analytics__Kafka__ConsumerGroupId=analytics-silo" \
      "Analytics__Kafka__PartitionCount=${KAFKA_PARTITIONS:-8}" \
      "Analytics__Cassandra__Client__ContactPoints__0=127.0.0.1:${CASSANDRA_PORT:-9042}" \
      "Analytics__Cassandra__Keyspace=${CLUSTER_KEYSPACE:-analytics}" \
      -- dotnet "$silo_dll" --urls "http://127.0.0.1:$((silo_http_port + i - 1))"
  done

  local servers=""
  for i in $(seq 1 "$gateways"); do
    local port=$((gateway_port + i - 1))
    start "gateway-$i" "$state/gateway-$i.pid" "http://127.0.0.1:$port/health" "$(dirname "$gateway_dll")" \
      "${cenv[@]}" "${keys[@]}" "Analytics__Ingestion__TrustedProxies__0=$proxy_source" "Analytics__Auth__ShareLinkKey=$AG_SHARE_LINK_KEY" \
      -- dotnet "$gateway_dll" --urls "http://127.0.0.1:$port"
    servers+="    server gw$i 127.0.0.1:$port check"$'\n'
  done

  # The checked-in config with one server line per gateway (its backend is the file's last section).
  sed '/^[[:space:]]*server gw[0-9]/d' "$root/deploy/haproxy/haproxy.cfg" >"$state/haproxy.cfg"
  printf '%s' "$servers" >>"$state/haproxy.cfg"
  start "haproxy" "$state/haproxy.pid" "http://127.0.0.1:$http_port/health" "$state" \
    "AG_BIND=127.0.0.1:$http_port" "AG_SOURCE=$proxy_source" \
    -- haproxy -f "$state/haproxy.cfg"

  # The dashboard calls only the public API, through HAProxy like any client.
  start "dashboard" "$state/dashboard.pid" "http://127.0.0.1:$dashboard_port/health" "$(dirname "$dashboard_dll")" \
    "Analytics__Dashboard__GatewayUrl=http://127.0.0.1:$http_port" "Analytics__Dashboard__GatewayApiKey=$AG_SERVICE_KEY" \
    "Analytics__Auth__Admin__Email=$AG_ADMIN_EMAIL" "Analytics__Auth__Admin__Password=$AG_ADMIN_PASSWORD" \
    -- dotnet "$dashboard_dll" --urls "http://127.0.0.1:$dashboard_port"

  echo "cluster: up: $silos silo(s), $gateways gateway(s), HAProxy on http://127.0.0.1:$http_port"
  echo "  dashboard: http://127.0.0.1:$dashboard_port/dashboard/ (log in as $AG_ADMIN_EMAIL, password in $state/credentials.env)"
  echo "  register a site: source $state/credentials.env; curl -X POST 127.0.0.1:$http_port/api/sites -H \"Authorization: Bearer \$AG_API_KEY\" -H 'Content-Type: application/json' -d '{\"domain\":\"example.com\"}'"
}

down() {
  # Reverse order: stop taking traffic, then the gateways, then the silos; only our own pids.
  stop_pid "$state/dashboard.pid"
  stop_pid "$state/haproxy.pid"
  for pf in "$state"/gateway-*.pid "$state"/silo-*.pid; do [ -e "$pf" ] && stop_pid "$pf"; done
  echo "cluster: processes stopped"
  [ "$keep_services" = 1 ] || bash "$here/services.sh" down
}

status() {
  for pf in "$state"/silo-*.pid "$state"/gateway-*.pid "$state"/haproxy.pid "$state"/dashboard.pid; do
    [ -e "$pf" ] || continue
    local name; name="$(basename "$pf" .pid)"
    if is_running "$pf"; then echo "cluster: $name running (pid $(cat "$pf"))"; else echo "cluster: $name stopped"; fi
  done
  bash "$here/services.sh" status
}

case "$action" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status [--silos N] [--gateways M] [--keep-services]" >&2; exit 2 ;;
esac
