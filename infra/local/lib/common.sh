# Shared settings and helpers for the local (no-container) stack. Sourced, never run.
# Every port and folder can be overridden from the environment.

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
INFRA_DIR="$ROOT_DIR/infra/local"
# Debian puts server binaries (mariadbd) in the sbin folders, which not every PATH has.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin:/sbin" ;; esac

# Downloads and builds that outlive a clone (jars, Node, the registry binary).
CACHE_DIR="${COMMERCE_CACHE_DIR:-$HOME/.cache/commerce-events}"
# Data, logs and pid files of this clone's running services.
STATE_DIR="${COMMERCE_STACK_DIR:-$ROOT_DIR/.stack}"
LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

KAFKA_VERSION="4.1.2"
SCHEMA_REGISTRY_VERSION="v0.2.1"
NODE_MAJOR="24"

: "${KAFKA_PORT:=9092}"
: "${KAFKA_CONTROLLER_PORT:=9093}"
: "${SCHEMA_REGISTRY_PORT:=8081}"
: "${MYSQL_PORT:=3306}"
: "${REDIS_PORT:=6379}"
: "${STACK_START_TIMEOUT:=120}"

# KAFKA_NODES=3 runs a three-node KRaft cluster instead of the single node (see lib/kafka.sh);
# while one runs, its size is remembered, so later commands in this clone address it.
: "${KAFKA_NODES:=$(cat "$RUN_DIR/kafka.nodes" 2>/dev/null || echo 1)}"
[[ "$KAFKA_NODES" =~ ^[1-9]$ ]] || die "KAFKA_NODES must be a number from 1 to 9, not '$KAFKA_NODES'"
# Node i (from 1) listens on KAFKA_PORT + 2(i-1) for clients and KAFKA_CONTROLLER_PORT + 2(i-1)
# for the controller quorum: 9092/9093, 9094/9095, 9096/9097 by default.
kafka_node_port() { echo $((KAFKA_PORT + 2 * ($1 - 1))); }
kafka_node_controller_port() { echo $((KAFKA_CONTROLLER_PORT + 2 * ($1 - 1))); }
kafka_bootstrap() {
  local i list=()
  for ((i = 1; i <= KAFKA_NODES; i++)); do list+=("127.0.0.1:$(kafka_node_port "$i")"); done
  (IFS=,; echo "${list[*]}")
}
export KAFKA_BROKERS="${KAFKA_BROKERS:-$(kafka_bootstrap)}"
export SCHEMA_REGISTRY_URL="${SCHEMA_REGISTRY_URL:-http://127.0.0.1:$SCHEMA_REGISTRY_PORT}"
export MYSQL_HOST="${MYSQL_HOST:-127.0.0.1}"
export MYSQL_PORT
export MYSQL_USER="${MYSQL_USER:-commerce}"
export MYSQL_PASSWORD="${MYSQL_PASSWORD:-commerce}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"


port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() {
  local file="$RUN_DIR/$1.pid"
  [[ -f "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null
}

# wait_until NAME LOGFILE COMMAND...: polls COMMAND until it succeeds or the timeout passes.
wait_until() {
  local name="$1" logfile="$2"; shift 2
  local deadline=$((SECONDS + STACK_START_TIMEOUT))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      log "$name did not become healthy within ${STACK_START_TIMEOUT}s; last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
      return 1
    fi
    if ! pid_alive "$name"; then
      log "$name exited during start-up; last lines of $logfile:"
      tail -n 30 "$logfile" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

# stop_pid NAME: TERM, then KILL after a grace period, then forget the pid file.
stop_pid() {
  local name="$1" file="$RUN_DIR/$1.pid" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# Installs Debian packages without starting their system services: the stack runs its own
# instances on its own ports and data folders (a policy-rc.d that answers 101 "action
# forbidden" is Debian's way to say so to the packages' scripts).
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  ((${#missing[@]} == 0)) && return 0
  command -v apt-get >/dev/null || die "need the Debian packages ${missing[*]} and apt-get is not available"
  local sudo=""; [[ "$(id -u)" == 0 ]] || sudo="sudo"
  log "installing ${missing[*]} (apt)"
  $sudo apt-get update -qq >/dev/null
  local policy=/usr/sbin/policy-rc.d own_policy=""
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { [[ -z "$own_policy" ]] || $sudo rm -f "$policy"; die "apt-get install ${missing[*]} failed"; }
  [[ -z "$own_policy" ]] || $sudo rm -f "$policy"
}

# free_port PORT SYSTEM_SERVICE VARIABLE: the port must be free for this clone's own instance. On
# machines where the Debian package started its system service there, stop that service
# (it is not the stack's: no data of the project lives in it); anything else is an error.
free_port() {
  local port="$1" service="$2" variable="$3"
  port_open "$port" || return 0
  if command -v service >/dev/null && service "$service" status >/dev/null 2>&1; then
    log "stopping the system's $service service, which holds port $port"
    local sudo=""; [[ "$(id -u)" == 0 ]] || sudo="sudo"
    $sudo service "$service" stop >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do port_open "$port" || return 0; sleep 0.5; done
  fi
  die "port $port is taken by another process: stop it or set $variable"
}
