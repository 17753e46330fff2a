# The gateway: nginx from Debian, run in the foreground from this clone's stack folder, with
# the container stack's routes (infra/gateway/gateway.conf.template) pointed at the local
# services' ports. A service that is not running answers 502 through it until it starts.

: "${GATEWAY_PORT:=8080}"
export GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:$GATEWAY_PORT}"
# Where the local services listen (infra/local/apps.sh); webhook-relay's slot is 3003.
: "${COUPON_API_UPSTREAM:=127.0.0.1:3001}"
: "${ORDER_API_UPSTREAM:=127.0.0.1:3002}"
: "${ANALYTICS_WORKER_UPSTREAM:=127.0.0.1:3103}"
: "${WEBHOOK_RELAY_UPSTREAM:=127.0.0.1:3003}"
: "${COUPON_WORKER_UPSTREAM:=127.0.0.1:3101}"
: "${RANKING_WORKER_UPSTREAM:=127.0.0.1:3102}"
# The routes; a benchmark may point this at a variant to compare side by side.
: "${GATEWAY_TEMPLATE:=$ROOT_DIR/infra/gateway/gateway.conf.template}"
GATEWAY_DIR="$STATE_DIR/gateway"
GATEWAY_LOG="$LOG_DIR/gateway.log"
# The template's placeholders, and only these: nginx's own $variables stay as they are.
GATEWAY_VARIABLES='${GATEWAY_PORT} ${GATEWAY_RESOLVER} ${GATEWAY_ACCESS_LOG} ${GATEWAY_UPSTREAM_RESOLVE} ${GATEWAY_DIR} ${LOG_DIR}
  ${COUPON_API_UPSTREAM} ${ORDER_API_UPSTREAM} ${ANALYTICS_WORKER_UPSTREAM} ${WEBHOOK_RELAY_UPSTREAM}
  ${COUPON_WORKER_UPSTREAM} ${RANKING_WORKER_UPSTREAM} ${CONSOLE_DIR}
  ${GATEWAY_RATE_PER_CLIENT} ${GATEWAY_BURST_PER_CLIENT}'
# Every local client is 127.0.0.1 (the demo, benchmarks): the per-client limit is off in effect.
: "${GATEWAY_RATE_PER_CLIENT:=100000}" "${GATEWAY_BURST_PER_CLIENT:=100000}"

gateway_install() {
  command -v nginx >/dev/null && command -v envsubst >/dev/null && return 0
  apt_install nginx gettext-base
}

# Its own port, not GATEWAY_URL: that may name a gateway elsewhere (another stack, a proxy).
gateway_ready() { curl -fsS "http://127.0.0.1:$GATEWAY_PORT/gateway/healthz" >/dev/null 2>&1; }

gateway_render() {
  mkdir -p "$GATEWAY_DIR/tmp"
  # Upstreams are loopback addresses: nothing to resolve or follow (Debian's nginx 1.22 has
  # no `resolve` anyway); the template still names a resolver.
  GATEWAY_RESOLVER=127.0.0.1 GATEWAY_UPSTREAM_RESOLVE= GATEWAY_ACCESS_LOG="$LOG_DIR/gateway-access.log" \
    GATEWAY_PORT="$GATEWAY_PORT" GATEWAY_DIR="$GATEWAY_DIR" LOG_DIR="$LOG_DIR" \
    COUPON_API_UPSTREAM="$COUPON_API_UPSTREAM" ORDER_API_UPSTREAM="$ORDER_API_UPSTREAM" \
    ANALYTICS_WORKER_UPSTREAM="$ANALYTICS_WORKER_UPSTREAM" WEBHOOK_RELAY_UPSTREAM="$WEBHOOK_RELAY_UPSTREAM" \
    COUPON_WORKER_UPSTREAM="$COUPON_WORKER_UPSTREAM" RANKING_WORKER_UPSTREAM="$RANKING_WORKER_UPSTREAM" \
    CONSOLE_DIR="$ROOT_DIR/infra/console" \
    GATEWAY_RATE_PER_CLIENT="$GATEWAY_RATE_PER_CLIENT" GATEWAY_BURST_PER_CLIENT="$GATEWAY_BURST_PER_CLIENT" \
    bash -c 'envsubst "$1" <"$2" >"$3" && envsubst "$1" <"$4" >"$5"' _ "$GATEWAY_VARIABLES" \
    "$GATEWAY_TEMPLATE" "$GATEWAY_DIR/gateway.conf" \
    "$INFRA_DIR/gateway/nginx.conf.tmpl" "$GATEWAY_DIR/nginx.conf"
}

gateway_up() {
  if pid_alive gateway; then log "gateway already running"; return 0; fi
  free_port "$GATEWAY_PORT" nginx GATEWAY_PORT
  gateway_render
  nginx -t -q -p "$GATEWAY_DIR" -e "$GATEWAY_LOG" -c "$GATEWAY_DIR/nginx.conf" >>"$GATEWAY_LOG" 2>&1 ||
    { tail -n 5 "$GATEWAY_LOG" >&2; return 1; }
  nohup nginx -p "$GATEWAY_DIR" -e "$GATEWAY_LOG" -c "$GATEWAY_DIR/nginx.conf" >>"$GATEWAY_LOG" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/gateway.pid"
  wait_until gateway "$GATEWAY_LOG" gateway_ready
}

gateway_down() { stop_pid gateway; }
