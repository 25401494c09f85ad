#!/usr/bin/env bash
# Local Apache Kafka (KRaft, combined broker+controller processes) without Docker: the 4.4.0 jars
# come from Maven Central (deploy/local/kafka/pom.xml) and run on the machine's Java 17.
#
#   deploy/local/kafka.sh up       resolve jars (once), format storage (once), start every node
#                                  that is not running, wait until each is ready
#   deploy/local/kafka.sh down     SIGTERM every node, wait, SIGKILL if needed
#   deploy/local/kafka.sh status   exit 0 if every node is running and answering, 1 otherwise
#   deploy/local/kafka.sh logs [-f] [node]
#
# By default one node: broker 127.0.0.1:9092, controller 127.0.0.1:9093. Settings (environment):
#   REFETTORIO_KAFKA_NODES=3    a three-node cluster (1, or 3 and more): node i listens on
#                               PORT+2(i-1) (broker) and PORT+2(i-1)+1 (controller), the
#                               controllers form a static quorum; replication factor 3 and
#                               min.insync.replicas 2 for Kafka's own topics and as defaults
#                               (our topics: `create_topics.py --replication-factor 3`)
#   REFETTORIO_KAFKA_PORT       the first broker port (9092)
#   REFETTORIO_KAFKA_STATE      where data, logs and pid files live (REFETTORIO_HOME)
#   REFETTORIO_KAFKA_JAVA_OPTS  JVM options per node ("-Xms256m -Xmx512m -XX:+UseG1GC ...")
#   REFETTORIO_KAFKA_READY_TIMEOUT  seconds to wait for a node (90)
# `up` is idempotent: after a node died (kill -9), `up` again starts that node alone.
# Layout under ${REFETTORIO_HOME:-$HOME/.cache/refettorio}:
#   kafka-4.4.0/libs/   jars (marker file .resolved holds the pom's sha256)
# and under REFETTORIO_KAFKA_STATE, one node:
#   kafka-data/         log.dirs, meta.properties and the generated server.properties
#   logs/kafka.log      broker log (log4j2, deploy/local/kafka/log4j2.xml)
#   logs/kafka.out      java stdout/stderr
#   kafka.pid
# a cluster: kafka-data-<i>/, logs/kafka-<i>/kafka.log and kafka.out, kafka-<i>.pid, cluster.id.
# Topics are NOT auto-created (auto.create.topics.enable=false): the Python
# side creates them explicitly.
set -euo pipefail

KAFKA_VERSION=4.4.0
HOST=127.0.0.1
PORT="${REFETTORIO_KAFKA_PORT:-9092}"
NODES="${REFETTORIO_KAFKA_NODES:-1}"

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REFETTORIO_HOME="${REFETTORIO_HOME:-$HOME/.cache/refettorio}"
STATE="${REFETTORIO_KAFKA_STATE:-$REFETTORIO_HOME}"
KAFKA_HOME="$REFETTORIO_HOME/kafka-$KAFKA_VERSION"
LIBS="$KAFKA_HOME/libs"
POM="$DEPLOY_DIR/kafka/pom.xml"
JAVA_OPTS="${REFETTORIO_KAFKA_JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent}"
READY_TIMEOUT="${REFETTORIO_KAFKA_READY_TIMEOUT:-90}"

log() { echo "kafka: $*" >&2; }

if [[ "$NODES" != 1 ]] && ((NODES < 3)); then
  log "REFETTORIO_KAFKA_NODES must be 1, or 3 and more (a quorum that survives one node): $NODES"
  exit 2
fi

# ---------------------------------------------------------------- one node's places

broker_port() { echo $((PORT + 2 * ($1 - 1))); }
controller_port() { echo $((PORT + 2 * ($1 - 1) + 1)); }
# One node keeps the layout it always had; the nodes of a cluster are numbered.
data_dir() { if ((NODES == 1)); then echo "$STATE/kafka-data"; else echo "$STATE/kafka-data-$1"; fi; }
log_dir() { if ((NODES == 1)); then echo "$STATE/logs"; else echo "$STATE/logs/kafka-$1"; fi; }
pid_file() { if ((NODES == 1)); then echo "$STATE/kafka.pid"; else echo "$STATE/kafka-$1.pid"; fi; }
bootstrap() {
  local i servers=()
  for i in $(seq 1 "$NODES"); do servers+=("$HOST:$(broker_port "$i")"); done
  local IFS=,
  echo "${servers[*]}"
}

# ---------------------------------------------------------------- helpers

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Prints the pid if node $1's pid file points at a live kafka.Kafka process.
running_pid() {
  local pid file
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

# Runs a Kafka CLI class quietly (tools log config: warnings to stderr only).
kafka_tool() {
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dlog4j2.configurationFile="$DEPLOY_DIR/kafka/tools-log4j2.xml" \
    -cp "$LIBS/*" "$@"
}

# Node $1 logged that it started (its broker is unfenced and serves requests) and its port is
# open. The line is read from kafka.out, which every start begins anew.
answering() {
  grep -q "Kafka Server started" "$(log_dir "$1")/kafka.out" 2>/dev/null && port_open "$(broker_port "$1")"
}

ensure_jars() {
  local sum
  sum="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$LIBS/.resolved" && "$(cat "$LIBS/.resolved")" == "$sum" ]]; then
    return
  fi
  command -v mvn >/dev/null || { log "mvn not found (need Maven to fetch the Kafka jars)"; exit 1; }
  log "resolving Kafka $KAFKA_VERSION jars from Maven Central into $LIBS ..."
  local start=$SECONDS tmp="$KAFKA_HOME/libs.tmp"
  rm -rf "$tmp" && mkdir -p "$KAFKA_HOME"
  mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime >&2
  echo "$sum" >"$tmp/.resolved"
  rm -rf "$LIBS" && mv "$tmp" "$LIBS"
  log "jars ready ($(ls "$LIBS" | wc -l) files, $((SECONDS - start))s)"
}

# The controllers of a cluster: a static quorum of every node.
quorum() {
  if ((NODES == 1)); then
    echo "controller.quorum.bootstrap.servers=$HOST:$(controller_port 1)"
    return
  fi
  local i voters=()
  for i in $(seq 1 "$NODES"); do voters+=("$i@$HOST:$(controller_port "$i")"); done
  local IFS=,
  echo "controller.quorum.voters=${voters[*]}"
}

write_config() {
  local node=$1 data replicas=1 min_isr=1
  data="$(data_dir "$node")"
  ((NODES == 1)) || { replicas=3; min_isr=2; }
  mkdir -p "$data" "$(log_dir "$node")"
  # Regenerated on every start; the cluster id lives in meta.properties.
  cat >"$data/server.properties" <<CONF
# Generated by deploy/local/kafka.sh -- edits are overwritten on every 'up'.
process.roles=broker,controller
node.id=$node
$(quorum)
listeners=PLAINTEXT://$HOST:$(broker_port "$node"),CONTROLLER://$HOST:$(controller_port "$node")
advertised.listeners=PLAINTEXT://$HOST:$(broker_port "$node")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
offsets.topic.replication.factor=$replicas
transaction.state.log.replication.factor=$replicas
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$replicas
share.coordinator.state.topic.min.isr=$min_isr
default.replication.factor=$replicas
min.insync.replicas=$min_isr
group.initial.rebalance.delay.ms=0
num.partitions=6
auto.create.topics.enable=false
CONF
}

# What `kafka.tools.StorageTool random-uuid` prints (16 random bytes, base64url, no padding, not
# starting with "-", which a command line would take for an option), without a JVM for it.
random_uuid() {
  local uuid=-
  while [[ "$uuid" == -* ]]; do uuid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"; done
  echo "$uuid"
}

# One cluster id for every node of the cluster, kept beside them.
cluster_id() {
  local file="$STATE/cluster.id"
  [[ -f "$file" ]] || random_uuid >"$file"
  cat "$file"
}

format_storage() {
  local node=$1 data uuid
  data="$(data_dir "$node")"
  [[ -f "$data/meta.properties" ]] && return
  if ((NODES == 1)); then
    uuid="$(random_uuid)"
    log "formatting $data (cluster id $uuid)"
    kafka_tool kafka.tools.StorageTool format --standalone -t "$uuid" -c "$data/server.properties" >/dev/null
  else
    uuid="$(cluster_id)"
    log "formatting $data (node $node, cluster id $uuid)"
    kafka_tool kafka.tools.StorageTool format -t "$uuid" -c "$data/server.properties" >/dev/null
  fi
}

start_node() {
  local node=$1 logs
  logs="$(log_dir "$node")"
  if port_open "$(broker_port "$node")" || port_open "$(controller_port "$node")"; then
    log "port $(broker_port "$node") or $(controller_port "$node") is taken by a process not started by this script"
    exit 1
  fi
  write_config "$node"
  format_storage "$node"
  log "starting node $node on $HOST:$(broker_port "$node") (log: $logs/kafka.log)"
  # setsid + nohup: the broker survives the calling shell/terminal.
  # (In a non-interactive script setsid execs java directly, so $! is java.)
  # shellcheck disable=SC2086  # JAVA_OPTS holds several options
  nohup setsid java $JAVA_OPTS \
    -Djava.awt.headless=true \
    -Dkafka.logs.dir="$logs" \
    -Dlog4j2.configurationFile="$DEPLOY_DIR/kafka/log4j2.xml" \
    -cp "$LIBS/*" kafka.Kafka "$(data_dir "$node")/server.properties" \
    >"$logs/kafka.out" 2>&1 </dev/null &
  echo $! >"$(pid_file "$node")"
}

wait_ready() {
  local node=$1 pid=$2 start=$3 logs deadline=$((SECONDS + READY_TIMEOUT))
  logs="$(log_dir "$node")"
  until answering "$node"; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      log "node $node FAILED to start (pid $pid). Last lines of $logs/kafka.out and kafka.log:"
      tail -n 20 "$logs/kafka.out" >&2 || true
      tail -n 40 "$logs/kafka.log" >&2 || true
      # Don't leave a half-started broker behind.
      kill -TERM "$pid" 2>/dev/null && sleep 5 && kill -KILL "$pid" 2>/dev/null || true
      rm -f "$(pid_file "$node")"
      exit 1
    fi
    sleep 1
  done
  log "node $node ready on $HOST:$(broker_port "$node") (pid $pid, $((SECONDS - start))s)"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  local node pid start=$SECONDS waiting=()
  ensure_jars
  # Every missing node first: a cluster's node is ready only once a quorum runs.
  for node in $(seq 1 "$NODES"); do
    if pid="$(running_pid "$node")"; then
      if port_open "$(broker_port "$node")"; then
        log "node $node already running (pid $pid) on $HOST:$(broker_port "$node")"
        continue
      fi
      log "node $node (pid $pid) is alive but its port is closed; waiting for it to become ready"
    else
      start_node "$node"
      pid="$(cat "$(pid_file "$node")")"
    fi
    waiting+=("$node:$pid")
  done
  local entry
  for entry in "${waiting[@]}"; do wait_ready "${entry%%:*}" "${entry#*:}" "$start"; done
  log "bootstrap servers: $(bootstrap)"
}

cmd_down() {
  local node pid stopping=()
  for node in $(seq 1 "$NODES"); do
    if pid="$(running_pid "$node")"; then
      log "stopping node $node (pid $pid)"
      kill -TERM "$pid"
      stopping+=("$node:$pid")
    else
      rm -f "$(pid_file "$node")"
    fi
  done
  ((${#stopping[@]})) || { log "not running"; return; }
  for _ in $(seq 1 60); do
    local alive=0 entry
    for entry in "${stopping[@]}"; do kill -0 "${entry#*:}" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.5
  done
  for entry in "${stopping[@]}"; do
    if kill -0 "${entry#*:}" 2>/dev/null; then
      log "node ${entry%%:*} still alive after 30s, sending SIGKILL"
      kill -KILL "${entry#*:}" 2>/dev/null || true
    fi
    rm -f "$(pid_file "${entry%%:*}")"
  done
  log "stopped"
}

cmd_status() {
  local node pid rc=0
  for node in $(seq 1 "$NODES"); do
    if pid="$(running_pid "$node")" && port_open "$(broker_port "$node")"; then
      echo "kafka: node $node running, pid $pid, $HOST:$(broker_port "$node"), data $(data_dir "$node"), log $(log_dir "$node")/kafka.log"
    else
      echo "kafka: node $node not running"
      rc=1
    fi
  done
  ((rc)) || echo "kafka: bootstrap $(bootstrap)"
  return "$rc"
}

cmd_logs() {
  local follow=0 node=1
  [[ "${1:-}" == "-f" ]] && { follow=1; shift; }
  node="${1:-1}"
  if ((follow)); then
    exec tail -n 100 -F "$(log_dir "$node")/kafka.log"
  fi
  tail -n 100 "$(log_dir "$node")/kafka.log"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  *) echo "usage: $0 up|down|status|logs [-f] [node]" >&2; exit 2 ;;
esac
