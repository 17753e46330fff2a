# Redis (Debian's package). Nothing is persisted: the databases are the source of truth
# and each service rebuilds what it keeps in Redis.

REDIS_LOG="$LOG_DIR/redis.log"

redis_install() { command -v redis-server >/dev/null || apt_install redis-server; }

redis_ready() { [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

redis_up() {
  if pid_alive redis; then log "redis already running"; return 0; fi
  free_port "$REDIS_PORT" redis-server REDIS_PORT
  nohup redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --maxclients 2000 --logfile "$REDIS_LOG" >/dev/null 2>&1 &
  echo $! >"$RUN_DIR/redis.pid"
  wait_until redis "$REDIS_LOG" redis_ready
}

redis_down() { stop_pid redis; }
