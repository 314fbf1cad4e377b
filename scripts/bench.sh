#!/usr/bin/env bash
# Performance figures: the engine's instruction counts, and a load test of the public JSON API
# with wrk on SQLite, PostgreSQL or both.
#   scripts/bench.sh [engine|sqlite|postgres|all]      (default: all)
# engine: each workload of engine/benches/support/workloads.rs run under callgrind, instructions
# per call against engine/benches/instructions.budget (a count, unlike a time, does not move with
# the machine's load; over budget by more than 5% fails the run, so a regression shows as a number).
# For each backend: a fresh database seeded by the bench_seed example (server/examples, a debug
# build: `scripts/test.sh` has built it already), the release server that `scripts/build.sh`
# builds (the same cargo command, so nothing is compiled twice) on a free loopback port, then
#   solo  GET /api/v1/slots, 31 days of a single-host type with 300 bookings  (wrk -t2 -c64 -d15s)
#   rr20  the same for a 20-host round-robin type                             (wrk -t2 -c64 -d15s)
#   book  POST /api/v1/bookings at increasing free starts, one connection     (wrk -t1 -c1 -d10s)
#   book3wh  the same with three webhook endpoints subscribed (receivers on loopback, started by
#         scripts/bench/webhooks.py), followed by the delivery latency of 200 sequential bookings
# and a summary table. CPU columns are each process's CPU time over the run's wall time (200% =
# both cores; "other" is the rest of the machine, which should be near 0% for numbers to count),
# and "load" the one-minute load average when the run ended.
# Any non-2xx response (non-201 for `book`) fails the run. HTTP goals are reported, not enforced.
# The server's rate limits are raised out of the way but stay on (BENCH_RATE_LIMITS overrides them,
# e.g. `off` to compare what counting costs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source scripts/lib/postgres.sh
# As scripts/test.sh builds, so that its debug build of the seeding example is reused.
export CARGO_INCREMENTAL=0

TARGET="${1:-all}"
case "$TARGET" in engine | sqlite | postgres | all) ;; *) echo "usage: scripts/bench.sh [engine|sqlite|postgres|all]" >&2; exit 2 ;; esac
DURATION_SLOTS="${BENCH_SLOTS_SECONDS:-15}"
DURATION_BOOK="${BENCH_BOOK_SECONDS:-10}"
TZ_PARAM="Europe/Berlin"
TICKS="$(getconf CLK_TCK)"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
started=$SECONDS

BENCH_DIR="$(mktemp -d /tmp/rendezvous-bench.XXXXXX)"
SERVER_PID=""
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
cleanup() {
  stop_server
  pg_stop
  rm -rf "$BENCH_DIR"
}
trap cleanup EXIT

# Sum of user+system CPU ticks of the given processes (0 for any that is gone), including their
# exited children's: a PostgreSQL backend whose connection the server drops when wrk stops exits
# before the "after" sample, and its CPU time then lives on in the postmaster's.
cpu_ticks() {
  local total=0 pid stat
  for pid in "$@"; do
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
    stat="${stat##*) }" # fields after the command name; utime, stime, cutime, cstime are fields 14-17
    read -r -a f <<<"$stat"
    total=$((total + f[11] + f[12] + f[13] + f[14]))
  done
  echo "$total"
}

# Busy ticks of the whole machine (all cores), from /proc/stat: everything but idle and iowait.
machine_busy_ticks() {
  local cpu user nice system idle iowait irq softirq steal
  read -r cpu user nice system idle iowait irq softirq steal _ </proc/stat
  echo $((user + nice + system + irq + softirq + steal))
}

# PostgreSQL's postmaster and its children (backends, WAL writer, ...), when PostgreSQL is in use.
db_pids() {
  [ "$BACKEND" = postgres ] || return 0
  local postmaster
  postmaster="$(head -n 1 "$PG_DIR/data/postmaster.pid")"
  echo "$postmaster" $(ps -o pid= --ppid "$postmaster")
}

# Warns when something else is keeping the machine busy (over a fifth of one core for 2 s).
warn_if_busy() {
  local before after
  before="$(machine_busy_ticks)"
  sleep 2
  after="$(machine_busy_ticks)"
  if [ $((after - before)) -gt $((TICKS * 2 / 5)) ]; then
    echo "warning: the machine is busy ($(((after - before) * 100 / TICKS / 2))% of a core) before the run;" \
      "see the \"other\" column" >&2
  fi
}

ROWS=()
HOOK_ROWS=()
ENGINE_ROWS=()
FAILED=0

# Instructions per call of each engine workload, counted by callgrind inside the example's
# `measured` function only, against the committed budget.
bench_engine() {
  step "engine: instructions per call (callgrind)"
  cargo build --release --locked -p engine --example instructions
  local bin=target/release/examples/instructions calls=10 out="$BENCH_DIR/callgrind.out"
  local name total per_call budget verdict
  while IFS= read -r name; do
    valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
      '--toggle-collect=instructions::measured*' "$bin" "$name" "$calls" >/dev/null 2>"$BENCH_DIR/callgrind.err" \
      || { cat "$BENCH_DIR/callgrind.err" >&2; exit 1; }
    total="$(sed -n 's/^totals: *//p' "$out")"
    per_call=$((total / calls))
    budget="$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' engine/benches/instructions.budget)"
    if [ -z "$budget" ]; then
      verdict="no budget"
      FAILED=1
    elif [ $((per_call * 100)) -le $((budget * 105)) ]; then
      verdict="ok (budget $budget)"
    else
      verdict="REGRESSED (budget $budget)"
      FAILED=1
    fi
    ENGINE_ROWS+=("$(printf '%-40s %12s  %s' "$name" "$per_call" "$verdict")")
    echo "${ENGINE_ROWS[-1]}"
  done < <("$bin")
}

# run_wrk SCENARIO GOAL_RPS GOAL_P99_MS WRK_ARGS...: runs wrk, records one table row.
run_wrk() {
  local scenario=$1 goal_rps=$2 goal_p99=$3
  shift 3
  local out="$BENCH_DIR/$BACKEND-$scenario"
  local db_before server_before machine_before wall_before TIMEFORMAT='%U %S'
  # shellcheck disable=SC2046
  db_before="$(cpu_ticks $(db_pids))"
  server_before="$(cpu_ticks "$SERVER_PID")"
  machine_before="$(machine_busy_ticks)"
  wall_before="$(date +%s%N)"
  { time wrk "$@" >"$out.out" 2>"$out.err"; } 2>"$out.time"
  local wall_ms=$((($(date +%s%N) - wall_before) / 1000000))
  # shellcheck disable=SC2046
  local db_ticks=$(($(cpu_ticks $(db_pids)) - db_before))
  local server_ticks=$(($(cpu_ticks "$SERVER_PID") - server_before))
  local machine_ticks=$(($(machine_busy_ticks) - machine_before))
  local line load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  line="$(sed -n 's/^RESULT //p' "$out.out")"
  if [ -z "$line" ]; then
    cat "$out.out" "$out.err" >&2
    echo "wrk produced no RESULT line for $BACKEND/$scenario" >&2
    FAILED=1
    return 0
  fi
  local requests rps p50_ms p99_ms non2xx socket_errors
  eval "$(tr ' ' '\n' <<<"$line" | grep -E '^[a-z0-9_]+=[0-9.]+$')"
  [ -s "$out.err" ] && sed "s/^/  [$BACKEND $scenario] /" "$out.err" >&2
  local pct="awk -v w=$wall_ms"
  local server_cpu wrk_cpu db_cpu="-" other_cpu goal
  server_cpu="$($pct -v t="$server_ticks" -v hz="$TICKS" 'BEGIN { printf "%.0f%%", 100 * t / hz / (w / 1000) }')"
  wrk_cpu="$($pct '{ printf "%.0f%%", 100 * ($1 + $2) / (w / 1000) }' "$out.time")"
  [ "$BACKEND" = postgres ] \
    && db_cpu="$($pct -v t="$db_ticks" -v hz="$TICKS" 'BEGIN { printf "%.0f%%", 100 * t / hz / (w / 1000) }')"
  # Whatever else kept the cores busy (a compiler, another test run): the numbers are suspect if high.
  other_cpu="$($pct -v t="$((machine_ticks - server_ticks - db_ticks))" -v hz="$TICKS" -v f="$out.time" \
    'BEGIN { getline l < f; split(l, u, " "); printf "%.0f%%", 100 * (t / hz - u[1] - u[2]) / (w / 1000) }')"
  goal="$(awk -v r="$rps" -v p="$p99_ms" -v gr="$goal_rps" -v gp="$goal_p99" \
    'BEGIN { print (r >= gr && (gp == "-" || p <= gp)) ? "met" : "MISSED" }')"
  if [ "$non2xx" != 0 ] || [ "$socket_errors" != 0 ]; then
    grep -h "Socket errors" "$out.out" >&2 || true
    goal="FAILED"
    FAILED=1
  fi
  local goal_text=">=$goal_rps/s"
  [ "$goal_p99" = - ] || goal_text="$goal_text p99<=${goal_p99}ms"
  ROWS+=("$(printf '%-9s %-7s %9s %9s %9s %7s %7s %6s %5s %6s %5s %8s  %s (%s)' \
    "$BACKEND" "$scenario" "$rps" "$p50_ms" "$p99_ms" "$non2xx" "$server_cpu" "$wrk_cpu" "$db_cpu" "$other_cpu" \
    "$load" "$requests" "$goal" "$goal_text")")
  echo "${ROWS[-1]}"
}

print_table() {
  printf '%-9s %-7s %9s %9s %9s %7s %7s %6s %5s %6s %5s %8s  %s\n' \
    backend scenario "req/s" "p50 ms" "p99 ms" non-2xx server wrk db other load requests goal
  printf '%s\n' "${ROWS[@]}"
}

# Slots JSON for an event type; checks the status and reports how many slots and bytes it has.
check_slots() {
  local url=$1 body
  body="$(curl -fsS "$url")" || { echo "GET $url failed" >&2; return 1; }
  python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(sum(len(v) for v in d["slots"].values()), "slots,", len(sys.argv[1]), "bytes")' "$body"
}

# Bookings per second with three webhook endpoints subscribed, then delivery latency (see
# scripts/bench/webhooks.py, which runs the receivers beside wrk).
bench_webhooks() {
  local base=$1 ready="$BENCH_DIR/$BACKEND-hooks-ready" go="$BENCH_DIR/$BACKEND-hooks-go"
  local figures="$BENCH_DIR/$BACKEND-hooks.out"
  # The latency bookings start 40 days after the wrk ones (which take about three weeks of starts).
  python3 scripts/bench/webhooks.py "$base" "$ADMIN_KEY" "$((HOOKED_FIRST_START + 40 * 86400))" \
    --ready "$ready" --go "$go" >"$figures" &
  local hooks_pid=$!
  while [ ! -e "$ready" ]; do
    kill -0 "$hooks_pid" 2>/dev/null || { echo "the webhook receivers did not start" >&2; exit 1; }
    sleep 0.1
  done
  BOOK_EVENT_TYPE=acme/hooked BOOK_FIRST_START=$HOOKED_FIRST_START \
    run_wrk book3wh 300 - -t1 -c1 -d"${DURATION_BOOK}s" --latency -s scripts/bench/book.lua "$base"
  sed -n 's/^RESULT .*requests=\([0-9]*\).*/\1/p' "$BENCH_DIR/$BACKEND-book3wh.out" >"$go.tmp"
  mv "$go.tmp" "$go"
  if wait "$hooks_pid"; then
    HOOK_ROWS+=("$BACKEND: $(tr '\n' ' ' <"$figures")")
  else
    echo "webhook figures failed" >&2
    FAILED=1
  fi
}

bench_backend() {
  BACKEND=$1
  local database_url=$2
  step "$BACKEND: seed a fresh database"
  export RENDEZVOUS_DATA_DIR="$BENCH_DIR/$BACKEND"
  export RENDEZVOUS_DATABASE_URL="$database_url"
  mkdir -p "$RENDEZVOUS_DATA_DIR"
  local seed_started=$SECONDS seeded WINDOW_START="" WINDOW_END="" BOOK_FIRST_START="" HOOKED_FIRST_START="" ADMIN_KEY=""
  seeded="$(target/debug/examples/bench_seed)"
  eval "$(grep -E '^((WINDOW_START|WINDOW_END|BOOK_FIRST_START|HOOKED_FIRST_START)=[0-9-]+|ADMIN_KEY=rdv_[A-Za-z0-9_-]+)$' <<<"$seeded")"
  [ -n "$WINDOW_START" ] && [ -n "$WINDOW_END" ] && [ -n "$BOOK_FIRST_START" ] && [ -n "$HOOKED_FIRST_START" ] \
    && [ -n "$ADMIN_KEY" ] \
    || { echo "bench_seed printed: $seeded" >&2; exit 1; }
  echo "seeded in $((SECONDS - seed_started)) s: window $WINDOW_START..$WINDOW_END, acme/book from $BOOK_FIRST_START"

  step "$BACKEND: start the server"
  local port
  port="$(free_port)"
  # Every request comes from one address: limits so high they never refuse, yet still counted,
  # so the figures include what the limiter costs. The webhook receivers listen on loopback over
  # plain http, which endpoints may only use when the installation allows it.
  RENDEZVOUS_BIND="127.0.0.1:$port" RENDEZVOUS_WEBHOOK_ALLOW_PRIVATE=1 \
    RENDEZVOUS_RATE_LIMITS="${BENCH_RATE_LIMITS:-slots=1000000000/min, booking=1000000000/h, booking-email=1000000000/h}" \
    target/release/rendezvous >"$BENCH_DIR/$BACKEND-server.log" 2>&1 &
  SERVER_PID=$!
  local base="http://127.0.0.1:$port"
  for _ in $(seq 1 150); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$BENCH_DIR/$BACKEND-server.log" >&2; exit 1; }
    sleep 0.2
  done
  curl -fsS "$base/healthz" >/dev/null || { echo "server did not become healthy" >&2; exit 1; }
  local query="start=$WINDOW_START&end=$WINDOW_END&timezone=$TZ_PARAM"
  local solo="$base/api/v1/slots?event_type=acme/solo&$query"
  local rr20="$base/api/v1/slots?event_type=acme/rr20&$query"
  local solo_info rr20_info
  solo_info="$(check_slots "$solo")"
  rr20_info="$(check_slots "$rr20")"
  echo "server $SERVER_PID on $base; acme/solo: $solo_info; acme/rr20: $rr20_info"

  step "$BACKEND: wrk"
  warn_if_busy
  # Goals of issue 21 (2 cores, 64 connections).
  run_wrk solo 5000 25 -t2 -c64 -d"${DURATION_SLOTS}s" --latency -s scripts/bench/slots.lua "$solo"
  run_wrk rr20 2000 25 -t2 -c64 -d"${DURATION_SLOTS}s" --latency -s scripts/bench/slots.lua "$rr20"
  export BOOK_FIRST_START BOOK_STEP=600 # read by book.lua
  run_wrk book 500 - -t1 -c1 -d"${DURATION_BOOK}s" --latency -s scripts/bench/book.lua "$base"
  bench_webhooks "$base"
  stop_server
}

step "tools and builds (machine load: $(cut -d' ' -f1-3 /proc/loadavg))"
scripts/setup.sh bench
if [ "$TARGET" != engine ]; then
  # The JSON API needs no built site (target/site serves only pages and assets).
  build_release_server
  cargo build --locked -p server --example bench_seed
fi

if [ "$TARGET" = engine ] || [ "$TARGET" = all ]; then
  bench_engine
fi
if [ "$TARGET" = sqlite ] || [ "$TARGET" = all ]; then
  bench_backend sqlite "sqlite://$BENCH_DIR/sqlite/bench.db?mode=rwc"
fi
if [ "$TARGET" = postgres ] || [ "$TARGET" = all ]; then
  step "PostgreSQL cluster"
  pg_start
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres rdv_bench
  bench_backend postgres "postgres://postgres@127.0.0.1:$PG_PORT/rdv_bench"
fi

step "summary ($(nproc) cores, $((SECONDS - started)) s, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
if [ ${#ENGINE_ROWS[@]} != 0 ]; then
  printf '%-40s %12s  %s\n' "engine workload" "instructions" "verdict (per call)"
  printf '%s\n' "${ENGINE_ROWS[@]}"
fi
[ ${#ROWS[@]} = 0 ] || print_table
[ ${#HOOK_ROWS[@]} = 0 ] || printf 'webhooks (booking to receipt, 3 endpoints): %s\n' "${HOOK_ROWS[@]}"
if [ "$FAILED" != 0 ]; then
  echo "FAILED: some requests did not succeed or an engine workload is over budget (see above)" >&2
  exit 1
fi
