#!/usr/bin/env bash
# `make bench` / `make bench-smoke`: starts a private stack and runs every benchmark on it.
#
#   bench/run.sh full    the real run (bounded: about 8 minutes after the build); writes
#                        docs/benchmarks.md (between its markers) and docs/benchmarks/*.{png,svg}
#   bench/run.sh smoke   the same tools at tiny sizes (seconds); fails on any error or any
#                        lost or duplicated event; writes nothing outside its temp folder
#
# Each run uses its own build (release for the real run), fresh uniquely named databases on the PostgreSQL at
# BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), a private
# redis-server on a free port, and free ports for every service (never 3000-3002/8080/6379).
# It stops exactly the processes it started and drops its databases on exit.
#
# The dashboard phase runs frontend/bench/dashboard (its own stack from frontend/e2e/stack.mjs, the
# dashboard's production build, Debian Chromium) and writes its own section of the page, also in
# a partial run: `BENCH_PHASES=dashboard bench/run.sh full` measures the dashboard alone.
#
# Knobs: BENCH_PHASES (subset of "memory intake mixed e2e fanout dashboard"; partial runs write no
# loadgen report),
# BENCH_KEEP=1 (keep the work folder), BENCH_RUST_LOG (services' log filter, default info),
# BENCH_PERF=1 (perf profiles of the gateway and orders-service during intake, and of the
# gateway during its fan-out), BENCH_SERVICE_ENV (extra
# NAME=value words for the three Rust services, for experiments).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-full}
case "$MODE" in full | smoke) ;; *) echo "usage: $0 full|smoke" >&2; exit 2 ;; esac
ALL_PHASES="memory intake mixed e2e fanout dashboard"
PHASES=${BENCH_PHASES:-$ALL_PHASES}
for name in $PHASES; do
  case "$name" in
    memory | intake | mixed | e2e | fanout | dashboard) ;;
    *) echo "BENCH_PHASES: unknown phase '$name' (space-separated, any of: $ALL_PHASES)" >&2; exit 2 ;;
  esac
done
phase() { [[ " $PHASES " == *" $1 "* ]]; }

BASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# The real run measures release binaries; the smoke checks the tools, not speed, so it reuses
# the debug build the rest of `make test` has already made.
if [ "$MODE" = full ]; then
  PROFILE=(--release)
  BIN=$TARGET_DIR/release
else
  PROFILE=()
  BIN=$TARGET_DIR/debug
fi
RUN_ID=$(date -u +%Y%m%d%H%M%S)_$$
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lom-bench-$MODE.XXXXXX")
RESULTS=$WORK/results
mkdir -p "$RESULTS" "$WORK/keys"
DB_PREFIX=lom_bench_${RUN_ID}

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------
# Cleanup: only what this run started

declare -a PIDS=()
REDIS_PID=''
cleanup() {
  local status=$? pid i
  trap '' INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[i]}" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -n "$REDIS_PID" ]; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
  fi
  for db in users orders pg; do
    psql "$BASE_URL" -qc "DROP DATABASE IF EXISTS ${DB_PREFIX}_$db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  if [ "$status" != 0 ]; then
    log "failed (status $status); logs kept in $WORK"
  elif [ -z "${BENCH_KEEP:-}" ]; then
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------
# Tools

command -v psql >/dev/null || die "psql not found (apt-get install postgresql-client)"
command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
command -v node >/dev/null || die "node not found (Node.js 20 or later)"
PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBENCH" ]; then
  scripts/ensure-bench-tools.sh
  PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1)
fi

# Thousands of sockets: one descriptor each on both sides.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge 12000 ] || log "warning: ulimit -n is $(ulimit -n); 5000-socket runs need more"

log "building the binaries (${PROFILE[*]:-debug})"
cargo build "${PROFILE[@]}" --locked -p users-service -p orders-service -p gateway -p demo-storefront \
  -p lom-loadgen >&2
LOADGEN=$BIN/lom-loadgen

(cd bench/node-hub && if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2; fi)

# ---------------------------------------------------------------------------------------
# Sizes

if [ "$MODE" = full ]; then
  INTAKE_RATES=50,100,200,300,400,500,600,800,1000,1250,1500,2000,3000,5000
  INTAKE_SECONDS=5
  MIXED_RATES=250,500,1000,2000,3000
  MIXED_SECONDS=5
  PGBENCH_CLIENTS="8 32"
  PGBENCH_SECONDS=10
  E2E_SOCKETS=1,100,1000
  E2E_RATES=100,500,1000
  E2E_SECONDS=5
  FANOUT_SOCKETS=1000
  FANOUT_RATES=10,25,50,100,200,300,500,750,1000,1500,2000
  FANOUT_SECONDS=4
  FANOUT_P99_MS=100
  MEMORY_SOCKETS=1000,5000
  SETTLE=3
  STRICT=()
else
  INTAKE_RATES=4
  INTAKE_SECONDS=5
  MIXED_RATES=10
  MIXED_SECONDS=3
  PGBENCH_CLIENTS="2"
  PGBENCH_SECONDS=2
  E2E_SOCKETS=5
  E2E_RATES=10
  E2E_SECONDS=2
  FANOUT_SOCKETS=5
  FANOUT_RATES=20
  FANOUT_SECONDS=1
  FANOUT_P99_MS=1000
  MEMORY_SOCKETS=5
  SETTLE=0.5
  STRICT=(--strict)
fi

# The event history must hold every event of a step until its check has read them (the check
# fails rather than guess if the cap trimmed into a step): twice the largest step, plus room.
largest_step() { # rates (comma-separated), seconds
  tr ',' '\n' <<<"$1" | awk -v s="$2" '{ n = $1 * s; if (n > m) m = n } END { printf "%d", m }'
}
HISTORY_CAP=$(( 2 * $(largest_step "$INTAKE_RATES,$MIXED_RATES" "$(( INTAKE_SECONDS > MIXED_SECONDS ? INTAKE_SECONDS : MIXED_SECONDS ))") + 10000 ))

# ---------------------------------------------------------------------------------------
# The private stack

read -r P_REDIS P_USERS P_ORDERS P_GATEWAY P_NODE < <("$LOADGEN" free-ports --count 5 | xargs)
REDIS_URL=redis://127.0.0.1:$P_REDIS
USERS_URL=http://127.0.0.1:$P_USERS
ORDERS_URL=http://127.0.0.1:$P_ORDERS
GATEWAY_URL=http://127.0.0.1:$P_GATEWAY
NODE_URL=http://127.0.0.1:$P_NODE

database_url() { # name
  local url=${BASE_URL%%\?*} query=''
  [[ $BASE_URL == *\?* ]] && query="?${BASE_URL#*\?}"
  printf '%s/%s%s' "${url%/*}" "$1" "$query"
}

ready() { curl -fsS --noproxy '*' --max-time 2 -o /dev/null "$1" 2>/dev/null; }
wait_ready() { # name, url, pid
  for _ in $(seq 300); do
    ready "$2" && return 0
    kill -0 "$3" 2>/dev/null || die "$1 exited while starting; see $WORK/$1.log"
    sleep 0.2
  done
  die "$1 did not answer $2 within 60 s"
}

log "private redis-server on :$P_REDIS"
redis-server --bind 127.0.0.1 --port "$P_REDIS" --save "" --appendonly no --dir "$WORK" \
  >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 50); do redis-cli -p "$P_REDIS" ping >/dev/null 2>&1 && break; sleep 0.1; done

for db in users orders pg; do
  psql "$BASE_URL" -qc "CREATE DATABASE ${DB_PREFIX}_$db" >/dev/null
done
log "databases ${DB_PREFIX}_{users,orders,pg}"

PASSWORD=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
export JWT_ISSUER=lom-users JWT_AUDIENCE=lom LOG_FORMAT=json NO_COLOR=1
export RUST_LOG=${BENCH_RUST_LOG:-info}

# BENCH_SERVICE_ENV: extra `NAME=value` words for the three Rust services (experiments).
read -r -a SERVICE_ENV <<<"${BENCH_SERVICE_ENV:-}"
start_env() { # name, env assignments and command...
  local name=$1
  shift
  env "${SERVICE_ENV[@]}" "$@" >"$WORK/$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

start_env users USERS_BIND=127.0.0.1:$P_USERS USERS_DATABASE_URL="$(database_url "${DB_PREFIX}_users")" \
  USERS_JWT_PRIVATE_KEY_FILE="$WORK/keys/jwt-ed25519.pem" REDIS_URL="$REDIS_URL" \
  LOM_ADMIN_EMAIL=admin@example.com LOM_ADMIN_PASSWORD="$PASSWORD" "$BIN/users-service"
USERS_PID=$STARTED_PID
wait_ready users "$USERS_URL/readyz" "$USERS_PID"
USERS_URL=$USERS_URL LOM_ADMIN_EMAIL=admin@example.com LOM_ADMIN_PASSWORD="$PASSWORD" \
  LOM_DEMO_PASSWORD="$PASSWORD" "$BIN/demo-storefront" seed-users >"$WORK/seed.log" 2>&1 ||
  die "seeding the demo users failed; see $WORK/seed.log"

ORDERS_DATABASE_URL=$(database_url "${DB_PREFIX}_orders")
start_env orders ORDERS_BIND=127.0.0.1:$P_ORDERS ORDERS_DATABASE_URL="$ORDERS_DATABASE_URL" \
  REDIS_URL="$REDIS_URL" USERS_URL="$USERS_URL" ORDERS_EVENT_HISTORY="$HISTORY_CAP" "$BIN/orders-service"
ORDERS_PID=$STARTED_PID
wait_ready orders "$ORDERS_URL/readyz" "$ORDERS_PID"

start_env gateway GATEWAY_BIND=127.0.0.1:$P_GATEWAY USERS_URL="$USERS_URL" ORDERS_URL="$ORDERS_URL" \
  REDIS_URL="$REDIS_URL" COOKIE_SECURE=false CORS_ALLOWED_ORIGINS=http://localhost:3000 "$BIN/gateway"
GATEWAY_PID=$STARTED_PID
wait_ready gateway "$GATEWAY_URL/readyz" "$GATEWAY_PID"

env PORT="$P_NODE" REDIS_URL="$REDIS_URL" CHANNEL=bench.node.events node bench/node-hub/server.js >"$WORK/node.log" 2>&1 &
NODE_PID=$!
PIDS+=("$NODE_PID")
for _ in $(seq 100); do grep -q '^listening' "$WORK/node.log" && break; kill -0 "$NODE_PID" || die "node hub exited; see $WORK/node.log"; sleep 0.1; done
log "stack up: users $P_USERS, orders $P_ORDERS, gateway $P_GATEWAY, node hub $P_NODE, redis $P_REDIS"

export LOM_DEMO_PASSWORD=$PASSWORD
SERVICES=(--pid "users-service=$USERS_PID" --pid "orders-service=$ORDERS_PID" --pid "gateway=$GATEWAY_PID" --pid "node baseline hub=$NODE_PID")
sleep 2
"$LOADGEN" rss --label "idle after start" "${SERVICES[@]}" --out "$RESULTS/rss-start.json"


# CPU seconds (user + system) each process used during a phase: results/cpu-<phase>.txt
cpu_ticks() { # pid
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
TICKS=$(getconf CLK_TCK)
declare -A CPU_BEFORE=()
# The PostgreSQL backends serving this run's databases (the server itself is shared).
pg_backends() {
  psql "$BASE_URL" -tAc "SELECT pid FROM pg_stat_activity WHERE datname LIKE '${DB_PREFIX}_%'" 2>/dev/null || true
}
cpu_begin() {
  local pid
  for pid in "$USERS_PID" "$ORDERS_PID" "$GATEWAY_PID" "$NODE_PID" "$REDIS_PID" $(pg_backends); do
    CPU_BEFORE[$pid]=$(cpu_ticks "$pid")
  done
  PHASE_STARTED=$(date +%s.%N)
  LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
}
cpu_end() { # phase name, loadgen cpu seconds
  local name=$1 pid label elapsed
  elapsed=$(awk -v a="$(date +%s.%N)" -v b="$PHASE_STARTED" 'BEGIN { printf "%.1f", a - b }')
  {
    echo "wall $elapsed"
    echo "load1-before $LOAD_BEFORE"
    echo "load1-after $(cut -d' ' -f1 /proc/loadavg)"
    for label in users-service:$USERS_PID orders-service:$ORDERS_PID gateway:$GATEWAY_PID node-hub:$NODE_PID redis:$REDIS_PID; do
      pid=${label#*:}
      echo "${label%%:*} $(awk -v a="$(cpu_ticks "$pid")" -v b="${CPU_BEFORE[$pid]}" -v t="$TICKS" 'BEGIN { printf "%.2f", (a - b) / t }')"
    done
    local pg=0 ticks
    for pid in $(pg_backends); do
      ticks=$(cpu_ticks "$pid")
      pg=$((pg + ticks - ${CPU_BEFORE[$pid]:-0}))
    done
    echo "postgres $(awk -v a="$pg" -v t="$TICKS" 'BEGIN { printf "%.2f", a / t }')"
    echo "loadgen $2"
  } >"$RESULTS/cpu-$name.txt"
}
# Runs the load generator, timing its own CPU: `loadgen <phase> args...`. In the real run a
# phase that fails is recorded (results/failed-<phase>.txt, which the report shows) and the run
# goes on to the next phase and the report, then fails; the smoke run stops at once.
declare -a FAILED=()
loadgen() {
  local name=$1 status=0
  shift
  cpu_begin
  local TIMEFORMAT='%U %S'
  { time "$LOADGEN" "$@" 2> >(tee "$WORK/loadgen-$name.log" >&3); } 3>&2 2>"$WORK/time-$name.txt" || status=$?
  cpu_end "$name" "$(awk 'END { print $1 + $2 }' "$WORK/time-$name.txt")"
  if [ "$status" != 0 ] && [ "$MODE" = full ]; then
    sleep 0.5 # tee's last lines
    { echo "exit status $status:"; sed -n '/^Error/,$p' "$WORK/loadgen-$name.log" | head -8; } |
      tr -s '\n ' '  ' >"$RESULTS/failed-$name.txt"
    log "phase $name failed (status $status); going on, the report will say so"
    FAILED+=("$name")
    return 0
  fi
  return "$status"
}

# ---------------------------------------------------------------------------------------
# 1. Memory per idle socket, on the fresh hubs (before any load has grown their heaps)

if phase memory; then
  for target in gateway node; do
    url=$GATEWAY_URL pid=$GATEWAY_PID
    [ "$target" = node ] && url=$NODE_URL pid=$NODE_PID
    log "memory per idle socket on the $target at $MEMORY_SOCKETS sockets"
    loadgen "memory-$target" memory --target "$target" --url "$url" --gateway "$GATEWAY_URL" --pid "$pid" \
      --sockets "$MEMORY_SOCKETS" --settle "$SETTLE" --out "$RESULTS/memory-$target.json"
  done
fi

# ---------------------------------------------------------------------------------------
# 2. Intake, and the database ceiling with the same transaction

if phase intake; then
  log "intake: open-model POST /api/v1/orders at $INTAKE_RATES orders/s, ${INTAKE_SECONDS}s each"
  PERF_PIDS=()
  if [ -n "${BENCH_PERF:-}" ] && command -v perf >/dev/null; then
    for part in gateway:$GATEWAY_PID orders:$ORDERS_PID; do
      perf record -F 999 -g -p "${part#*:}" -o "$WORK/perf-intake-${part%%:*}.data" >>"$WORK/perf.log" 2>&1 &
      PERF_PIDS+=($!)
    done
  fi
  loadgen intake intake --gateway "$GATEWAY_URL" --orders-database-url "$ORDERS_DATABASE_URL" \
    --redis "$REDIS_URL" --rates "$INTAKE_RATES" --duration "$INTAKE_SECONDS" \
    "${STRICT[@]}" --out "$RESULTS/intake.json"
  for pid in "${PERF_PIDS[@]}"; do kill -INT "$pid"; wait "$pid" || true; done

  log "database ceiling: pgbench with the intake transaction"
  PG_DB_URL=$(database_url "${DB_PREFIX}_pg")
  # Every orders migration, in order: the schema pgbench writes to is the service's own.
  for migration in services/orders/migrations/*.sql; do
    psql "$PG_DB_URL" -q -v ON_ERROR_STOP=1 -f "$migration" >/dev/null
  done
  for clients in $PGBENCH_CLIENTS; do
    "$PGBENCH" -n -M prepared -f bench/create-order.pgbench -c "$clients" -j 2 -T "$PGBENCH_SECONDS" \
      "$PG_DB_URL" >"$RESULTS/pgbench-c$clients.txt" 2>&1 || {
      cat "$RESULTS/pgbench-c$clients.txt" >&2
      die "pgbench failed"
    }
    grep -E '^(tps|latency average|number of failed)' "$RESULTS/pgbench-c$clients.txt" >&2 || true
  done
fi

# ---------------------------------------------------------------------------------------
# 2b. Mixed traffic: creates, status changes, assignments

if phase mixed; then
  log "mixed traffic: creates, status changes, assignments at $MIXED_RATES operations/s, ${MIXED_SECONDS}s each"
  loadgen mixed mixed --gateway "$GATEWAY_URL" --orders-database-url "$ORDERS_DATABASE_URL" \
    --redis "$REDIS_URL" --pid "gateway=$GATEWAY_PID" --pid "orders-service=$ORDERS_PID" \
    --pid "users-service=$USERS_PID" --pid "redis=$REDIS_PID" --rates "$MIXED_RATES" \
    --duration "$MIXED_SECONDS" "${STRICT[@]}" --out "$RESULTS/mixed.json"
fi

# ---------------------------------------------------------------------------------------
# 3. End to end

if phase e2e; then
  log "end to end: $E2E_SOCKETS dashboards at $E2E_RATES orders/s"
  loadgen e2e e2e --gateway "$GATEWAY_URL" --redis "$REDIS_URL" --sockets "$E2E_SOCKETS" \
    --rates "$E2E_RATES" --duration "$E2E_SECONDS" "${STRICT[@]}" --out "$RESULTS/e2e.json"
fi

# ---------------------------------------------------------------------------------------
# 4. Fan-out: the gateway and the Node baseline, same client, same rates

if phase fanout; then
  for target in gateway node; do
    url=$GATEWAY_URL
    [ "$target" = node ] && url=$NODE_URL
    log "fan-out to $FANOUT_SOCKETS sockets on the $target at $FANOUT_RATES events/s"
    PERF_PID=''
    if [ -n "${BENCH_PERF:-}" ] && [ "$target" = gateway ] && command -v perf >/dev/null; then
      perf record -F 999 -g -p "$GATEWAY_PID" -o "$WORK/perf-gateway.data" >"$WORK/perf.log" 2>&1 &
      PERF_PID=$!
    fi
    loadgen "fanout-$target" fanout --target "$target" --url "$url" --gateway "$GATEWAY_URL" --redis "$REDIS_URL" \
      --sockets "$FANOUT_SOCKETS" --rates "$FANOUT_RATES" --duration "$FANOUT_SECONDS" \
      --p99-limit-ms "$FANOUT_P99_MS" "${STRICT[@]}" --out "$RESULTS/fanout-$target.json"
    if [ -n "$PERF_PID" ]; then kill -INT "$PERF_PID"; wait "$PERF_PID" || true; fi
  done
fi

sleep "$SETTLE"
"$LOADGEN" rss --label "idle after the run" "${SERVICES[@]}" --out "$RESULTS/rss-end.json"

# ---------------------------------------------------------------------------------------
# 5. The dashboard in a browser, on its own stack (after the idle figures: it loads the machine)

if phase dashboard; then
  make -s -C "$ROOT" frontend-deps >&2
  # The real run measures the dashboard as it is now; the smoke reuses a build when there is one.
  if [ "$MODE" = full ] || [ ! -f frontend/.next/standalone/server.js ]; then
    log "building the dashboard (next build)"
    (cd frontend && npm run build >&2)
  fi
  DASHBOARD_ARGS=(--out "$RESULTS/dashboard.json")
  if [ "$MODE" = full ]; then
    DASHBOARD_ARGS+=(--profile release --report "$ROOT/docs/benchmarks.md" --charts "$ROOT/docs/benchmarks")
  else
    DASHBOARD_ARGS+=(--profile debug --report "$WORK/dashboard.md" --charts "$WORK/charts")
  fi
  log "the dashboard in Chromium under a burst (frontend/bench/dashboard, $MODE sizes)"
  (cd frontend && E2E_DATABASE_URL=$BASE_URL node bench/dashboard/main.mjs --size "$MODE" "${DASHBOARD_ARGS[@]}") ||
    die "the dashboard benchmark failed"
  [ "$MODE" = full ] || grep -q 'The dashboard in a browser' "$WORK/dashboard.md" || die "the dashboard report is incomplete"
fi

# ---------------------------------------------------------------------------------------
# 6. Report

{
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+uncommitted changes')"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command=make bench"
  echo "rust_log=$RUST_LOG"
  echo "pgbench=$("$PGBENCH" --version)"
  echo "postgres=$(psql "$BASE_URL" -tAc 'SHOW server_version')"
  echo "redis=$(redis-server --version | awk '{print $3}')"
  echo "node=$(node --version)"
  echo "socket_io=$(node -p "require('./bench/node-hub/node_modules/socket.io/package.json').version")"
} >"$RESULTS/meta.txt"

if [ "$PHASES" != "$ALL_PHASES" ]; then
  log "partial run ($PHASES): no report; results in $RESULTS"
  BENCH_KEEP=1
  [ "${#FAILED[@]}" = 0 ] || die "phases failed: ${FAILED[*]} (see $RESULTS/failed-*.txt)"
elif [ "$MODE" = full ]; then
  log "report: docs/benchmarks.md and docs/benchmarks/*.png"
  "$LOADGEN" report --results "$RESULTS" --out docs/benchmarks.md --charts docs/benchmarks
  mkdir -p "$TARGET_DIR/bench"
  rm -rf "$TARGET_DIR/bench/latest"
  cp -r "$RESULTS" "$TARGET_DIR/bench/latest"
  [ "${#FAILED[@]}" = 0 ] || die "phases failed: ${FAILED[*]} (the report says so; raw results in $TARGET_DIR/bench/latest)"
  log "done; raw results in $TARGET_DIR/bench/latest"
else
  "$LOADGEN" report --results "$RESULTS" --out "$WORK/benchmarks.md" --charts "$WORK/charts"
  grep -q 'Intake' "$WORK/benchmarks.md" || die "the report is incomplete"
  log "smoke run passed"
fi
