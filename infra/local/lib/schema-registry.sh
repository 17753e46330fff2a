# A schema registry that speaks the Confluent Schema Registry REST API: AxonOps Schema
# Registry, built from the Go module proxy at the version pinned in
# infra/local/schema-registry/go.mod. Schemas live in MariaDB, so ids survive a restart.

SCHEMA_REGISTRY_BIN="$CACHE_DIR/schema-registry-$SCHEMA_REGISTRY_VERSION/schema-registry"
SCHEMA_REGISTRY_LOG="$LOG_DIR/schema-registry.log"

schema_registry_install() {
  [[ -x "$SCHEMA_REGISTRY_BIN" ]] && return 0
  command -v go >/dev/null || die "Go (>= 1.26) is needed to build the schema registry"
  log "building AxonOps Schema Registry $SCHEMA_REGISTRY_VERSION into $SCHEMA_REGISTRY_BIN"
  (cd "$INFRA_DIR/schema-registry" &&
    GOFLAGS=-mod=mod go build -o "$SCHEMA_REGISTRY_BIN" github.com/axonops/axonops-schema-registry/cmd/schema-registry) ||
    die "building the schema registry failed"
}

schema_registry_ready() { curl -fsS "$SCHEMA_REGISTRY_URL/subjects" >/dev/null 2>&1; }

schema_registry_up() {
  if pid_alive schema-registry; then log "schema-registry already running"; return 0; fi
  port_open "$SCHEMA_REGISTRY_PORT" && die "port $SCHEMA_REGISTRY_PORT is taken: set SCHEMA_REGISTRY_PORT"
  sed -e "s|@PORT@|$SCHEMA_REGISTRY_PORT|g" -e "s|@MYSQL_PORT@|$MYSQL_PORT|g" \
    -e "s|@MYSQL_USER@|$MYSQL_USER|g" -e "s|@MYSQL_PASSWORD@|$MYSQL_PASSWORD|g" \
    "$INFRA_DIR/schema-registry/config.yaml.tmpl" >"$RUN_DIR/schema-registry.yaml"
  nohup "$SCHEMA_REGISTRY_BIN" -config "$RUN_DIR/schema-registry.yaml" >"$SCHEMA_REGISTRY_LOG" 2>&1 &
  echo $! >"$RUN_DIR/schema-registry.pid"
  wait_until schema-registry "$SCHEMA_REGISTRY_LOG" schema_registry_ready
}

schema_registry_down() { stop_pid schema-registry; }
