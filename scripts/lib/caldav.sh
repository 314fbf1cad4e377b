# Throwaway CalDAV servers for tests, from the test virtualenv (scripts/requirements-test.txt):
# `radicale_start` serves an empty collection root on a free loopback port with an htpasswd file
# that tests add their own users to (Radicale reads it again when it changes) and exports where
# both are; `xandikos_start` serves another, without authentication (Xandikos leaves that to a
# proxy), and exports its address; `caldav_stop` stops both and deletes their directories.

# The test virtualenv's command NAME, or a failure that says how to install it.
test_tool() {
  local tool="$ROOT/.tools/venv/bin/$1"
  [ -x "$tool" ] || { echo "$1 not found (run scripts/setup.sh test)" >&2; return 1; }
  echo "$tool"
}

radicale_start() {
  local radicale port
  radicale="$(test_tool radicale)" || return 1
  RADICALE_DIR="$(mktemp -d /tmp/rendezvous-radicale.XXXXXX)"
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
  wait_for_port "$port" "$RADICALE_DIR/server.log" || return 1
  export RENDEZVOUS_TEST_CALDAV_URL="http://127.0.0.1:$port/" RENDEZVOUS_TEST_CALDAV_USERS="$RADICALE_DIR/users"
  echo "Radicale on 127.0.0.1:$port ($RADICALE_DIR)"
}

xandikos_start() {
  local xandikos port
  xandikos="$(test_tool xandikos)" || return 1
  XANDIKOS_DIR="$(mktemp -d /tmp/rendezvous-xandikos.XXXXXX)"
  port="$(free_port)"
  "$xandikos" serve -d "$XANDIKOS_DIR/collections" --autocreate --no-detect-systemd -l 127.0.0.1 -p "$port" \
    --state-dir "$XANDIKOS_DIR/state" >"$XANDIKOS_DIR/server.log" 2>&1 &
  XANDIKOS_PID=$!
  wait_for_port "$port" "$XANDIKOS_DIR/server.log" || return 1
  export RENDEZVOUS_TEST_XANDIKOS_URL="http://127.0.0.1:$port/"
  echo "Xandikos on 127.0.0.1:$port ($XANDIKOS_DIR)"
}

# Waits until something listens on the loopback port, or prints the log and fails.
wait_for_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$2" >&2
  return 1
}

caldav_stop() {
  local pid dir
  for pid in "${RADICALE_PID:-}" "${XANDIKOS_PID:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  for dir in "${RADICALE_DIR:-}" "${XANDIKOS_DIR:-}"; do
    [ -n "$dir" ] && rm -rf "$dir"
  done
  RADICALE_PID="" RADICALE_DIR="" XANDIKOS_PID="" XANDIKOS_DIR=""
}
