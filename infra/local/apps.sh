#!/usr/bin/env bash
# The services as local processes (from their TypeScript source), on the stack started by
# stack.sh. Each gets its database migrated first.
#   infra/local/apps.sh up      start what is not running; waits for /readyz
#   infra/local/apps.sh down    stop them (SIGTERM: they finish in-flight work first)
#   infra/local/apps.sh status
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/common.sh"

: "${OPERATOR_API_KEY:=local-operator-key-change-me}"
# The local gateway (stack.sh) reaches the services from loopback: believe its X-Forwarded-*.
: "${TRUSTED_PROXIES:=127.0.0.1}"
# The local demo's webhook receivers listen on loopback, which webhook-relay refuses unless
# allow-listed (its SSRF policy); production leaves this empty.
: "${DESTINATION_ALLOW_LIST:=127.0.0.0/8,::1/128}"
# Every local client is 127.0.0.1, so the per-address budget is the whole machine's: raised
# here; the per-user budget keeps its default.
: "${RATE_LIMIT_PER_ADDRESS:=100000}"
export OPERATOR_API_KEY TRUSTED_PROXIES DESTINATION_ALLOW_LIST RATE_LIMIT_PER_ADDRESS PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(type -P true)}"
# Shopper tokens: the services trust this clone's own key pair (made on first use under
# $STATE_DIR/jwt, git-ignored); the demo mints tokens with the same CLI.
mint_token() {
  COMMERCE_STACK_DIR="$STATE_DIR" node --conditions=@commerce/source \
    "$ROOT_DIR/packages/service/src/cli/mint-token.ts" "$@"
}
database_url() { echo "mysql://$MYSQL_USER:$MYSQL_PASSWORD@$MYSQL_HOST:$MYSQL_PORT/$1"; }

# name port database migrations probe, one service a line (infra/apps.txt, the one list).
mapfile -t APPS < <(grep -Ev '^[[:space:]]*(#|$)' "$ROOT_DIR/infra/apps.txt")

migrate() {
  local database="$1" migrations="$2"
  [[ -n "$migrations" ]] || return 0
  (cd "$ROOT_DIR" && DATABASE_URL="$(database_url "$database")" \
    node --conditions=@commerce/source packages/db/src/cli/migrate.ts "$migrations" >/dev/null) ||
    die "migrating the $database database failed"
}

ready() { curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1; }

app_up() {
  local name="$1" port="$2" database="$3" migrations="${4#-}" log="$LOG_DIR/$1.log"
  [[ -f "$ROOT_DIR/apps/$name/src/main.ts" ]] || { log "$name: not built yet, skipped"; return 0; }
  if pid_alive "$name"; then log "$name already running"; return 0; fi
  migrate "$database" "$migrations"
  PORT="$port" DATABASE_URL="$(database_url "$database")" nohup node --disable-warning=TimeoutNegativeWarning \
    --conditions=@commerce/source "$ROOT_DIR/apps/$name/src/main.ts" >"$log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
  wait_until "$name" "$log" ready "$port" || die "$name did not become ready (log: $log)"
  log "$name ready on http://127.0.0.1:$port (log: $log)"
}

case "${1:-}" in
  up)
    mkdir -p "$LOG_DIR" "$RUN_DIR"
    eval "$(mint_token --env)" # exports JWT_ISSUER, JWT_AUDIENCE, JWT_PUBLIC_KEY
    for app in "${APPS[@]}"; do read -r name port database migrations _ <<<"$app"; app_up "$name" "$port" "$database" "$migrations"; done
    ;;
  down)
    for ((i = ${#APPS[@]} - 1; i >= 0; i--)); do read -r name _ <<<"${APPS[i]}"; stop_pid "$name"; done
    ;;
  status)
    for app in "${APPS[@]}"; do
      read -r name port _ <<<"$app"
      if pid_alive "$name"; then echo "$name running on http://127.0.0.1:$port"; else echo "$name stopped"; fi
    done
    ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
