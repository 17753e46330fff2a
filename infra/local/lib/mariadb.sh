# MariaDB (Debian's package) with a data directory of this clone's own. The services
# connect over TCP as $MYSQL_USER, who may create databases (each test makes its own).

MARIADB_DATA="$STATE_DIR/mariadb"
MARIADB_SOCKET="$RUN_DIR/mariadb.sock"
MARIADB_LOG="$LOG_DIR/mariadb.log"

mariadb_install() { command -v mariadbd >/dev/null || apt_install mariadb-server mariadb-client; }

# The client honours MYSQL_HOST from the environment (exported for the services) over
# --socket, which would reach whatever listens on the default port instead: drop it.
mariadb_root() { env -u MYSQL_HOST mariadb --no-defaults --protocol=socket --socket="$MARIADB_SOCKET" -uroot "$@"; }

mariadb_ready() { mariadb_root -e 'select 1' >/dev/null 2>&1; }

mariadb_up() {
  if pid_alive mariadb; then log "mariadb already running"; return 0; fi
  free_port "$MYSQL_PORT" mariadb MYSQL_PORT
  if [[ ! -d "$MARIADB_DATA/mysql" ]]; then
    mkdir -p "$MARIADB_DATA"
    mariadb-install-db --no-defaults --datadir="$MARIADB_DATA" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"$LOG_DIR/mariadb-install.log" 2>&1 ||
      { tail -n 20 "$LOG_DIR/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
  fi
  nohup mariadbd --no-defaults --datadir="$MARIADB_DATA" --user="$(id -un)" \
    --bind-address=127.0.0.1 --port="$MYSQL_PORT" --socket="$MARIADB_SOCKET" \
    --pid-file="$RUN_DIR/mariadbd.pid" --log-error="$MARIADB_LOG" \
    --innodb-buffer-pool-size=256M --max-connections=500 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --transaction-isolation=READ-COMMITTED >/dev/null 2>&1 &
  echo $! >"$RUN_DIR/mariadb.pid"
  wait_until mariadb "$MARIADB_LOG" mariadb_ready
  # The server can answer before it accepts account changes: retry briefly, then fail loudly.
  local tries
  for tries in $(seq 1 20); do
    create_user >>"$MARIADB_LOG" 2>&1 && return 0
    sleep 0.5
  done
  log "creating the MariaDB user $MYSQL_USER failed (log: $MARIADB_LOG)"
  return 1
}

create_user() {
  mariadb_root <<SQL
CREATE USER IF NOT EXISTS '$MYSQL_USER'@'%' IDENTIFIED BY '$MYSQL_PASSWORD';
CREATE USER IF NOT EXISTS '$MYSQL_USER'@'localhost' IDENTIFIED BY '$MYSQL_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'localhost' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS schema_registry;
SQL
  # Proves the account works the way the services use it: over TCP with its password.
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$MYSQL_PORT" -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" -e 'select 1' >/dev/null
}

mariadb_down() { stop_pid mariadb; }
