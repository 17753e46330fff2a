#!/usr/bin/env bash
# The local stack without containers: Kafka (KRaft), a Confluent-API schema registry,
# MariaDB, Redis and the nginx gateway, as real processes on 127.0.0.1.
#
#   infra/local/stack.sh install   install what is missing (idempotent)
#   infra/local/stack.sh up [service...]     install, start what is not running, wait until healthy
#   infra/local/stack.sh down [service...]   stop what this clone started (all: the apps too)
#   infra/local/stack.sh status    what runs, where it listens, where it logs
#   infra/local/stack.sh env       the connection settings, as shell exports
#
#   KAFKA_NODES=3 infra/local/stack.sh up   Kafka as a three-node KRaft cluster (kafka-1..3);
#   a single node is named as a service (up kafka-2, down kafka-2). See lib/kafka.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for lib in common node kafka schema-registry mariadb redis gateway; do
  # shellcheck source=/dev/null
  source "$here/lib/$lib.sh"
done

# Start order matters: the registry keeps its schemas in MariaDB. The gateway is part of the
# stack, not of apps.sh: it is infrastructure the tests and the demo reach the services
# through, it needs no build, and it may run before the services (their routes answer 502).
SERVICES=(mariadb redis kafka schema-registry gateway)

install_all() {
  command -v curl >/dev/null || apt_install curl
  ensure_node
  mariadb_install
  redis_install
  kafka_install
  schema_registry_install
  gateway_install
}

# Services named on the command line, in start order; all of them when none is named.
# Cluster nodes named one by one (kafka-2) take Kafka's place in that order.
selected() {
  (($# == 0)) && { printf '%s\n' "${SERVICES[@]}"; return; }
  local service node
  for service in "${SERVICES[@]}"; do
    [[ " $* " == *" $service "* ]] && echo "$service"
    if [[ "$service" == kafka ]]; then
      for node in "$@"; do [[ "$node" == kafka-[1-9] ]] && echo "$node"; done
    fi
  done
  return 0
}

check_names() {
  local service
  for service in "$@"; do
    if [[ "$service" == kafka-[1-9] ]]; then
      ((KAFKA_NODES > 1 && ${service#kafka-} <= KAFKA_NODES)) ||
        die "no Kafka node '$service' (KAFKA_NODES=$KAFKA_NODES)"
      continue
    fi
    [[ " ${SERVICES[*]} " == *" $service "* ]] || die "unknown service '$service' (one of: ${SERVICES[*]})"
  done
}

# act up|down SERVICE: a service's own function, or one Kafka node's.
act() {
  case "$2" in
    kafka-[1-9]) "kafka_$1" "${2#kafka-}" ;;
    *) "${2//-/_}_$1" ;;
  esac
}

# The services status lists, with Kafka as its nodes.
status_names() {
  local service
  for service in "${SERVICES[@]}"; do
    if [[ "$service" == kafka ]]; then kafka_node_names; else echo "$service"; fi
  done
}

up_all() {
  local wanted service started=$SECONDS
  mapfile -t wanted < <(selected "$@")
  install_all
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  for service in "${wanted[@]}"; do
    if ! act up "$service"; then
      log "$service failed to start (log: $LOG_DIR/$service.log); stopping what this run started"
      down_all "${wanted[@]}"
      exit 1
    fi
  done
  log "stack up in $((SECONDS - started))s"
  status_all
}

down_all() {
  local wanted i
  mapfile -t wanted < <(selected "$@")
  # Everything, when nothing is named: the services first, while what they use still runs.
  (($# > 0)) || bash "$here/apps.sh" down
  for ((i = ${#wanted[@]} - 1; i >= 0; i--)); do act down "${wanted[i]}"; done
}

status_all() {
  local service state rss
  printf '%-16s %-8s %-10s %-28s %s\n' service state rss listens log
  for service in $(status_names); do
    state=stopped rss=-
    if pid_alive "$service"; then
      state=running
      rss="$(ps -o rss= -p "$(cat "$RUN_DIR/$service.pid")" | awk '{printf "%d MiB", $1/1024}')"
    fi
    printf '%-16s %-8s %-10s %-28s %s\n' "$service" "$state" "$rss" "$(listen_address "$service")" "$LOG_DIR/$service.log"
  done
  bash "$here/apps.sh" status | sed 's/^/services: /'
}

listen_address() {
  case "$1" in
    kafka) echo "$KAFKA_BROKERS" ;;
    kafka-[1-9]) echo "127.0.0.1:$(kafka_node_port "${1#kafka-}")" ;;
    schema-registry) echo "$SCHEMA_REGISTRY_URL" ;;
    mariadb) echo "mysql://$MYSQL_HOST:$MYSQL_PORT" ;;
    redis) echo "$REDIS_URL" ;;
    gateway) echo "$GATEWAY_URL" ;;
  esac
}

print_env() {
  local name
  for name in KAFKA_BROKERS SCHEMA_REGISTRY_URL MYSQL_HOST MYSQL_PORT MYSQL_USER MYSQL_PASSWORD REDIS_URL KAFKA_LIBS GATEWAY_URL; do
    printf 'export %s=%q\n' "$name" "${!name}"
  done
}

case "${1:-}" in
  install) install_all ;;
  up) shift; check_names "$@"; up_all "$@" ;;
  down) shift; check_names "$@"; down_all "$@" ;;
  status) status_all ;;
  env) print_env ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
