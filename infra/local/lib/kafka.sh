# Apache Kafka in KRaft mode, run from the jars Maven Central publishes (infra/local/kafka/pom.xml).
#
# KAFKA_NODES=1 (the default): one process as broker and controller, named `kafka`
# (data $STATE_DIR/kafka, log kafka.log, pid run/kafka.pid).
# KAFKA_NODES=3: a cluster on loopback, nodes `kafka-1`..`kafka-3`, each broker and controller
# with static voters, its own data dir, log and pid file, ports as in kafka_node_port
# (common.sh), internal topics with replication factor 3 and min ISR 2 like the container stack.
# `stack.sh up kafka` / `down kafka` act on every node; `up kafka-2` / `down kafka-2` on one.

KAFKA_LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"

KAFKA_JAVA=(java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m} -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j2.configurationFile="$INFRA_DIR/kafka/log4j2.properties" -cp "$KAFKA_LIBS/*")

kafka_install() {
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  [[ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] && return 0
  command -v mvn >/dev/null || apt_install maven
  log "resolving Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS"
  mvn -q -B -Dstyle.color=never -f "$INFRA_DIR/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" ||
    die "could not resolve the Kafka jars with Maven"
}

# The service name of node i: `kafka` for the single node, `kafka-i` in a cluster.
kafka_node_name() { if ((KAFKA_NODES == 1)); then echo kafka; else echo "kafka-$1"; fi; }
kafka_node_names() {
  local i
  for ((i = 1; i <= KAFKA_NODES; i++)); do kafka_node_name "$i"; done
}

kafka_voters() {
  local i list=()
  for ((i = 1; i <= KAFKA_NODES; i++)); do list+=("$i@127.0.0.1:$(kafka_node_controller_port "$i")"); done
  (IFS=,; echo "${list[*]}")
}

kafka_config() {
  local i="$1" data="$STATE_DIR/$(kafka_node_name "$1")" replicas=1 min_isr=1
  ((KAFKA_NODES >= 3)) && replicas=3 min_isr=2
  sed -e "s|@KAFKA_NODE_ID@|$i|g" \
    -e "s|@KAFKA_VOTERS@|$(kafka_voters)|g" \
    -e "s|@KAFKA_PORT@|$(kafka_node_port "$i")|g" \
    -e "s|@KAFKA_CONTROLLER_PORT@|$(kafka_node_controller_port "$i")|g" \
    -e "s|@KAFKA_DATA@|$data/data|g" \
    -e "s|@KAFKA_REPLICATION_FACTOR@|$replicas|g" \
    -e "s|@KAFKA_MIN_ISR@|$min_isr|g" \
    "$INFRA_DIR/kafka/server.properties" >"$data/server.properties"
}

# Every node of a cluster is formatted with the same cluster id, kept beside their data.
kafka_cluster_id() {
  local file="$STATE_DIR/kafka-cluster.id"
  [[ -s "$file" ]] || "${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$file"
  cat "$file"
}

kafka_started() { grep -q 'Kafka Server started' "$1" 2>/dev/null && port_open "$2"; }

# Starts node i in the background (nothing when it runs); the caller waits for it.
kafka_launch() {
  local i="$1" name data log port
  name="$(kafka_node_name "$i")" data="$STATE_DIR/$name" log="$LOG_DIR/$name.log" port="$(kafka_node_port "$i")"
  pid_alive "$name" && return 0
  port_open "$port" && die "port $port ($name) is taken by another process: set KAFKA_PORT"
  mkdir -p "$data"
  kafka_config "$i"
  if [[ ! -f "$data/data/meta.properties" ]]; then
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(kafka_cluster_id)" -c "$data/server.properties" \
      >"$LOG_DIR/$name-format.log" 2>&1 || { tail -n 20 "$LOG_DIR/$name-format.log" >&2; die "formatting $name's log dir failed"; }
  fi
  # The log of the previous run is kept once: a crashed node's last words survive its restart.
  [[ -s "$log" ]] && mv "$log" "$log.previous"
  nohup "${KAFKA_JAVA[@]}" kafka.Kafka "$data/server.properties" >>"$log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

# kafka_up [NODE...]: starts the given nodes (all of them by default) and waits until each
# serves. All are launched before any is awaited: a cluster node finishes starting only
# once a quorum of controllers runs.
kafka_up() {
  local nodes=("$@") i
  ((${#nodes[@]} > 0)) || mapfile -t nodes < <(seq 1 "$KAFKA_NODES")
  local other=kafka; ((KAFKA_NODES == 1)) && other=kafka-1
  pid_alive "$other" && die "a Kafka of another size runs in $STATE_DIR: stack.sh down kafka first"
  echo "$KAFKA_NODES" >"$RUN_DIR/kafka.nodes"
  for i in "${nodes[@]}"; do
    pid_alive "$(kafka_node_name "$i")" && log "$(kafka_node_name "$i") already running"
    kafka_launch "$i"
  done
  for i in "${nodes[@]}"; do
    local name; name="$(kafka_node_name "$i")"
    wait_until "$name" "$LOG_DIR/$name.log" kafka_started "$LOG_DIR/$name.log" "$(kafka_node_port "$i")" || return 1
  done
}

# kafka_down [NODE...]: stops the given nodes, or every node this clone started (in parallel:
# the last nodes of a cluster wait for a quorum that stopping the others takes away).
kafka_down() {
  local names=() i
  if (($# > 0)); then
    for i in "$@"; do names+=("$(kafka_node_name "$i")"); done
  else
    names=(kafka)
    for i in $(seq 1 9); do names+=("kafka-$i"); done
    rm -f "$RUN_DIR/kafka.nodes"
  fi
  for i in "${names[@]}"; do stop_pid "$i" & done
  wait
}
