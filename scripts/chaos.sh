#!/usr/bin/env bash
# `make chaos` / `make chaos-short`: faults in turn under load, then a checker (docs/reliability.md).
#
#   scripts/chaos.sh full    release build, ≈200 writes/s, a few hundred dashboards, every fault
#                            with recovery time between (≤ 10 minutes after the build)
#   scripts/chaos.sh short   debug build, small sizes, one fault of each kind (≈ 2 minutes)
#
# The stack is private and entirely this run's: its own PostgreSQL (initdb into a temp folder,
# a free port; the machine's shared PostgreSQL is never touched), its own redis-server (AOF on,
# as in docker-compose.yml), users-service, orders-service and TWO gateways, all on free
# loopback ports. `lom-loadgen chaos` signs in, creates the dashboards' accounts, warms up,
# connects the dashboards (spread over both gateways) and runs the load; meanwhile this script
# kills and restarts, in turn: orders-service (SIGKILL), users-service (SIGKILL), each gateway
# (SIGKILL), redis-server (SIGKILL), PostgreSQL (`pg_ctl restart -m fast`), and logs each fault.
# Then the load stops and the checker proves nothing was lost (see docs/reliability.md) and
# prints the table. Stops exactly what it started and deletes its folder (kept on failure).
#
# Knobs: CHAOS_KEEP=1 keeps the work folder; CHAOS_RUST_LOG is the services' log filter.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-full}
case "$MODE" in full | short) ;; *) echo "usage: $0 full|short" >&2; exit 2 ;; esac

TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
if [ "$MODE" = full ]; then
  PROFILE=(--release)
  BIN=$TARGET_DIR/release
  # Writes per second, dashboards, accounts, seconds a killed part stays down, seconds of
  # recovery after each fault, seconds of warm-up.
  RATE=200 DASHBOARDS=240 AGENTS=40 VIEWERS=8 DISPATCHERS=4 DOWN=5 RECOVER=35 WARMUP=10
  # Memory after the run within 20 % of before (the short run only reports it: debug binaries
  # with a tiny baseline on a busy machine are too noisy to judge).
  MEMORY=(--memory-limit 1.2)
else
  MEMORY=()
  PROFILE=()
  BIN=$TARGET_DIR/debug
  RATE=40 DASHBOARDS=24 AGENTS=6 VIEWERS=2 DISPATCHERS=1 DOWN=1 RECOVER=5 WARMUP=3
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lom-chaos-$MODE.XXXXXX")
chmod 711 "$WORK"
mkdir -p "$WORK/keys" "$WORK/control" "$WORK/pids" "$WORK/redis" "$WORK/logs"

log() { printf '[chaos %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_ms() { date +%s%3N; }

# ---------------------------------------------------------------------------------------
# Cleanup: exactly what this run started (pids are kept in $WORK/pids as parts restart)

PG_DIR=$WORK/pg
PG_RUN=$WORK/pg-run
PG_BINDIR=''
LOADGEN_PID=''
as_pg_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pid_of() { cat "$WORK/pids/$1" 2>/dev/null || true; }
stop_pid() { # pid: TERM, then KILL after 5 s
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$? name
  trap '' INT TERM
  set +e
  [ -n "$LOADGEN_PID" ] && stop_pid "$LOADGEN_PID"
  for name in gateway-2 gateway-1 orders-service users-service redis; do stop_pid "$(pid_of "$name")"; done
  if [ -n "$PG_BINDIR" ] && [ -f "$PG_DIR/postmaster.pid" ]; then
    as_pg_owner "$PG_BINDIR/pg_ctl" -D "$PG_DIR" -m immediate -w stop >/dev/null 2>&1
  fi
  if [ "$status" != 0 ]; then
    log "failed (status $status); logs kept in $WORK/logs"
  elif [ -z "${CHAOS_KEEP:-}" ]; then
    rm -rf "$WORK"
  else
    log "kept $WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------
# Tools and build

for tool in psql redis-server redis-cli curl; do command -v "$tool" >/dev/null || die "$tool not found"; done
for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r) "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
  if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then PG_BINDIR=$dir; break; fi
done
[ -n "$PG_BINDIR" ] || die "initdb/pg_ctl not found (apt-get install postgresql)"
if [ "$(id -u)" = 0 ]; then id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user"; fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

log "building the binaries (${PROFILE[*]:-debug})"
cargo build "${PROFILE[@]}" --locked -p users-service -p orders-service -p gateway -p demo-storefront \
  -p lom-loadgen >&2
LOADGEN=$BIN/lom-loadgen

read -r P_PG P_REDIS P_USERS P_ORDERS P_G1 P_G2 < <("$LOADGEN" free-ports --count 6 | xargs)
PG_URL=postgres://postgres@127.0.0.1:$P_PG
REDIS_URL=redis://127.0.0.1:$P_REDIS
USERS_URL=http://127.0.0.1:$P_USERS
ORDERS_URL=http://127.0.0.1:$P_ORDERS

ready() { curl -fsS --noproxy '*' --max-time 2 -o /dev/null "$1" 2>/dev/null; }
# Waits until `name` answers `url`; a process that exits while starting (e.g. its database is
# too slow to answer in time on a busy machine) is started again by `spawn...`, as a
# supervisor would, up to 5 times.
wait_ready() { # name, url, spawn command...
  local name=$1 url=$2 tries=1 pid
  shift 2
  for _ in $(seq 600); do
    ready "$url" && return 0
    pid=$(pid_of "$name")
    if ! kill -0 "$pid" 2>/dev/null; then
      [ "$tries" -lt 5 ] || die "$name exited while starting $tries times; see $WORK/logs/$name.log"
      log "$name exited while starting; starting it again"
      tries=$((tries + 1))
      "$@"
    fi
    sleep 0.1
  done
  die "$name did not answer $url within 60 s"
}

# ---------------------------------------------------------------------------------------
# The private PostgreSQL and Redis

mkdir -p "$PG_DIR" "$PG_RUN"
if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DIR" "$PG_RUN" "$WORK/logs"; fi
chmod 700 "$PG_DIR"
as_pg_owner "$PG_BINDIR/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
pg_start() {
  as_pg_owner "$PG_BINDIR/pg_ctl" -D "$PG_DIR" -l "$WORK/logs/postgres.log" -w -t 60 \
    -o "-p $P_PG -k $PG_RUN -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
}
pg_start || die "the private PostgreSQL did not start; see $WORK/logs/postgres.log"
for db in users orders; do psql "$PG_URL/postgres" -qc "CREATE DATABASE lom_$db" >/dev/null; done
log "private PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') on :$P_PG"

start_redis() {
  redis-server --bind 127.0.0.1 --port "$P_REDIS" --appendonly yes --save "" --dir "$WORK/redis" \
    >>"$WORK/logs/redis.log" 2>&1 &
  echo $! >"$WORK/pids/redis"
  for _ in $(seq 100); do redis-cli -p "$P_REDIS" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
  die "redis-server did not start; see $WORK/logs/redis.log"
}
start_redis

# ---------------------------------------------------------------------------------------
# The services (each start appends to its log and records its pid)

PASSWORD=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
export JWT_ISSUER=lom-users JWT_AUDIENCE=lom LOG_FORMAT=json NO_COLOR=1
export RUST_LOG=${CHAOS_RUST_LOG:-info}
spawn() { # name, env assignments and command...
  local name=$1
  shift
  env "$@" >>"$WORK/logs/$name.log" 2>&1 &
  echo $! >"$WORK/pids/$name"
}
spawn_users() {
  spawn users-service USERS_BIND=127.0.0.1:$P_USERS USERS_DATABASE_URL="$PG_URL/lom_users" \
    USERS_JWT_PRIVATE_KEY_FILE="$WORK/keys/jwt-ed25519.pem" REDIS_URL="$REDIS_URL" \
    LOM_ADMIN_EMAIL=admin@example.com LOM_ADMIN_PASSWORD="$PASSWORD" "$BIN/users-service"
}
start_users() { spawn_users; wait_ready users-service "$USERS_URL/readyz" spawn_users; }
spawn_orders() {
  spawn orders-service ORDERS_BIND=127.0.0.1:$P_ORDERS ORDERS_DATABASE_URL="$PG_URL/lom_orders" \
    REDIS_URL="$REDIS_URL" USERS_URL="$USERS_URL" "$BIN/orders-service"
}
start_orders() { spawn_orders; wait_ready orders-service "$ORDERS_URL/readyz" spawn_orders; }
gateway_port() { if [ "$1" = 2 ]; then echo "$P_G2"; else echo "$P_G1"; fi; }
spawn_gateway() { # 1 or 2
  # The load generator signs in a few dozen accounts from one address.
  spawn "gateway-$1" GATEWAY_BIND=127.0.0.1:$(gateway_port "$1") USERS_URL="$USERS_URL" \
    ORDERS_URL="$ORDERS_URL" REDIS_URL="$REDIS_URL" COOKIE_SECURE=false \
    CORS_ALLOWED_ORIGINS=http://localhost:3000 LOGIN_RATE_PER_MINUTE=600 LOGIN_RATE_BURST=200 \
    "$BIN/gateway"
}
start_gateway() { spawn_gateway "$1"; wait_ready "gateway-$1" "http://127.0.0.1:$(gateway_port "$1")/readyz" spawn_gateway "$1"; }

start_users
USERS_URL=$USERS_URL LOM_ADMIN_EMAIL=admin@example.com LOM_ADMIN_PASSWORD="$PASSWORD" \
  LOM_DEMO_PASSWORD="$PASSWORD" "$BIN/demo-storefront" seed-users >"$WORK/logs/seed.log" 2>&1 ||
  die "seeding the demo users failed; see $WORK/logs/seed.log"
start_orders
start_gateway 1
start_gateway 2
log "stack up: users :$P_USERS, orders :$P_ORDERS, gateways :$P_G1 :$P_G2, redis :$P_REDIS, postgres :$P_PG"

# ---------------------------------------------------------------------------------------
# Load, dashboards and checker (in the background until this script says stop)

LOM_DEMO_PASSWORD=$PASSWORD "$LOADGEN" chaos \
  --gateways "http://127.0.0.1:$P_G1,http://127.0.0.1:$P_G2" \
  --orders-database-url "$PG_URL/lom_orders" \
  --rate "$RATE" --dashboards "$DASHBOARDS" --agents "$AGENTS" --viewers "$VIEWERS" \
  --dispatchers "$DISPATCHERS" --warmup "$WARMUP" "${MEMORY[@]}" \
  --control "$WORK/control" --pids "$WORK/pids" \
  --services users-service,orders-service,gateway-1,gateway-2 \
  --out "$WORK/chaos.json" &
LOADGEN_PID=$!
for _ in $(seq 1200); do
  [ -f "$WORK/control/ready" ] && break
  kill -0 "$LOADGEN_PID" 2>/dev/null || { wait "$LOADGEN_PID" || true; die "the load generator stopped before the faults"; }
  sleep 0.1
done
[ -f "$WORK/control/ready" ] || die "the load generator was not ready within 120 s"

# ---------------------------------------------------------------------------------------
# Faults in turn; each logged as `name<TAB>down_ms<TAB>up_ms` (down: the kill; up: ready again)

fault_log() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$WORK/control/faults.tsv"; }
kill_and_restart() { # name, restart command...
  local name=$1 down
  shift
  down=$(now_ms)
  kill -KILL "$(pid_of "$name")"
  wait "$(pid_of "$name")" 2>/dev/null || true
  sleep "$DOWN"
  "$@"
  fault_log "$name SIGKILL" "$down" "$(now_ms)"
}
recover() { sleep "$RECOVER"; kill -0 "$LOADGEN_PID" 2>/dev/null || die "the load generator stopped during the faults"; }

log "load running at $RATE writes/s with $DASHBOARDS dashboards; faults every $((DOWN + RECOVER)) s or so"
recover
log "fault: orders-service SIGKILL"
kill_and_restart orders-service start_orders
recover
log "fault: users-service SIGKILL"
kill_and_restart users-service start_users
recover
log "fault: gateway-1 SIGKILL"
kill_and_restart gateway-1 start_gateway 1
recover
log "fault: gateway-2 SIGKILL"
kill_and_restart gateway-2 start_gateway 2
recover
log "fault: redis-server SIGKILL"
kill_and_restart redis start_redis
recover
log "fault: PostgreSQL fast restart"
down=$(now_ms)
as_pg_owner "$PG_BINDIR/pg_ctl" -D "$PG_DIR" -l "$WORK/logs/postgres.log" -m fast -w -t 60 restart >/dev/null ||
  die "PostgreSQL did not come back; see $WORK/logs/postgres.log"
fault_log "postgres fast restart" "$down" "$(now_ms)"
recover

log "faults done; stopping the load and checking"
touch "$WORK/control/stop"
status=0
wait "$LOADGEN_PID" || status=$?
LOADGEN_PID=''
[ "$status" = 0 ] || die "the checker found a problem (see the table above; details in $WORK/chaos.json)"
if [ "$MODE" = full ]; then
  mkdir -p "$TARGET_DIR/chaos"
  cp "$WORK/chaos.json" "$TARGET_DIR/chaos/latest.json"
  log "passed; results in $TARGET_DIR/chaos/latest.json"
else
  log "passed"
fi
