# Apache Kafka in KRaft mode (one process as broker and controller), run from the
# jars Maven Central publishes. See infra/local/kafka/pom.xml.

KAFKA_LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
KAFKA_DATA="$STATE_DIR/kafka"
KAFKA_LOG="$LOG_DIR/kafka.log"

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

kafka_config() {
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
    -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_DATA@|$KAFKA_DATA/data|g" \
    "$INFRA_DIR/kafka/server.properties" >"$KAFKA_DATA/server.properties"
}

kafka_started() { grep -q 'Kafka Server started' "$KAFKA_LOG" 2>/dev/null && port_open "$KAFKA_PORT"; }

kafka_up() {
  if pid_alive kafka; then log "kafka already running"; return 0; fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process: set KAFKA_PORT"
  mkdir -p "$KAFKA_DATA"
  kafka_config
  if [[ ! -f "$KAFKA_DATA/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DATA/server.properties" \
      >"$LOG_DIR/kafka-format.log" 2>&1 || { tail -n 20 "$LOG_DIR/kafka-format.log" >&2; die "formatting the Kafka log dir failed"; }
  fi
  : >"$KAFKA_LOG"
  nohup "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_DATA/server.properties" >>"$KAFKA_LOG" 2>&1 &
  echo $! >"$RUN_DIR/kafka.pid"
  wait_until kafka "$KAFKA_LOG" kafka_started
}

kafka_down() { stop_pid kafka; }
