# Throwaway Radicale (CalDAV) server for tests: `radicale_start` serves an empty collection root
# on a free loopback port with an htpasswd file that tests add their own users to (Radicale reads
# it again when it changes), and exports where both are; `radicale_stop` stops it and deletes the
# directory. Radicale comes from the test virtualenv (scripts/requirements-test.txt).

radicale_start() {
  local radicale="$ROOT/.tools/venv/bin/radicale"
  [ -x "$radicale" ] || { echo "Radicale not found (run scripts/setup.sh test)" >&2; return 1; }
  RADICALE_DIR="$(mktemp -d /tmp/rendezvous-radicale.XXXXXX)"
  local port
  port="$(free_port)"
  : >"$RADICALE_DIR/users"
  cat >"$RADICALE_DIR/config" <<CONFIG
[server]
hosts = 127.0.0.1:$port
max_connections = 64
[auth]
type = htpasswd
htpasswd_filename = $RADICALE_DIR/users
htpasswd_encryption = plain
[storage]
filesystem_folder = $RADICALE_DIR/collections
[logging]
level = warning
CONFIG
  "$radicale" --config "$RADICALE_DIR/config" >"$RADICALE_DIR/server.log" 2>&1 &
  RADICALE_PID=$!
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      export RENDEZVOUS_TEST_CALDAV_URL="http://127.0.0.1:$port/" RENDEZVOUS_TEST_CALDAV_USERS="$RADICALE_DIR/users"
      echo "Radicale on 127.0.0.1:$port ($RADICALE_DIR)"
      return 0
    fi
    sleep 0.1
  done
  cat "$RADICALE_DIR/server.log" >&2
  return 1
}

radicale_stop() {
  [ -n "${RADICALE_PID:-}" ] && kill "$RADICALE_PID" 2>/dev/null && wait "$RADICALE_PID" 2>/dev/null
  [ -n "${RADICALE_DIR:-}" ] && rm -rf "$RADICALE_DIR"
  RADICALE_PID="" RADICALE_DIR=""
}
