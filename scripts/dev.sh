#!/usr/bin/env bash
# `make dev`: builds and runs the whole Live Order Monitor natively, in the foreground.
# `make run` (scripts/dev.sh --release): the same, production-like: release binaries, the
# dashboard's production (standalone) build, no demo order stream unless LOM_DEMO_RATE asks.
#
#  1. PostgreSQL and Redis: the ones at DATABASE_URL / REDIS_URL when they answer, otherwise
#     private ones started from the installed binaries under .data/ (stopped again on exit).
#  2. Databases `users` and `orders` (created when missing; the services migrate themselves).
#  3. Local secrets under .data/ (git-ignored): the admin password, generated on first run
#     unless LOM_ADMIN_PASSWORD is set; the demo users share it. users-service generates its
#     JWT signing key at .data/keys/jwt-ed25519.pem itself.
#  4. cargo build (debug), then users-service, the demo users, orders-service, the gateway, the
#     dashboard (next dev) and the demo storefront (LOM_DEMO_RATE orders/s, 0 = off), each
#     started once what it depends on answers /readyz.
#  5. One combined log with a prefix per part. Ctrl-C or SIGTERM stops everything it started,
#     and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=$ROOT/.data

RELEASE=0
case "${1:-}" in
  --release) RELEASE=1 ;;
  '') ;;
  *) echo "usage: scripts/dev.sh [--release]" >&2; exit 2 ;;
esac

DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
LOM_ADMIN_EMAIL=${LOM_ADMIN_EMAIL:-admin@example.com}
if [ "$RELEASE" = 1 ]; then LOM_DEMO_RATE=${LOM_DEMO_RATE:-0}; else LOM_DEMO_RATE=${LOM_DEMO_RATE:-1}; fi
PRIVATE_PG_PORT=${LOM_PRIVATE_PG_PORT:-55432}
PRIVATE_REDIS_PORT=${LOM_PRIVATE_REDIS_PORT:-56379}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

# ---------------------------------------------------------------------------------------
# Output

if [ -t 1 ]; then BOLD=$'\e[1m' DIM=$'\e[2m' RESET=$'\e[0m'; else BOLD='' DIM='' RESET=''; fi

say() { printf '%sdev    |%s %s\n' "$DIM" "$RESET" "$*"; }
die() { printf '%sdev    |%s %serror:%s %s\n' "$DIM" "$RESET" "$BOLD" "$RESET" "$*" >&2; exit 1; }

# Prefixes every line of its input with a fixed-width label: `label  | line`.
prefix() { # label, colour code
  local label colour=$2
  label=$(printf '%-7s' "$1")
  # Ctrl-C is for the parts, not for their log: keep printing until they have stopped.
  trap '' INT TERM
  if [ -t 1 ]; then
    exec sed -u "s/^/"$'\e['"${colour}m${label}|"$'\e[0m'" /"
  else
    exec sed -u "s/^/${label}| /"
  fi
}

# ---------------------------------------------------------------------------------------
# What we started, stopped in reverse order on exit

declare -a STARTED=()          # names, in start order
declare -A PGID=()             # name -> process group id (each part runs in its own session)
PRIVATE_PG_DIR=''
PRIVATE_REDIS=''
STOPPING=0

# Runs a command in its own session (so one signal reaches all its children, and the
# terminal's Ctrl-C reaches only this script) with its output prefixed.
start() { # name, label colour, command...
  local name=$1 colour=$2
  shift 2
  setsid "$@" > >(prefix "$name" "$colour") 2>&1 < /dev/null &
  PGID[$name]=$!
  STARTED+=("$name")
}

alive() { kill -0 -- "-${PGID[$1]}" 2>/dev/null; }

stop_part() { # name
  local name=$1 i
  alive "$name" || return 0
  kill -TERM -- "-${PGID[$name]}" 2>/dev/null || true
  for i in $(seq 100); do
    alive "$name" || return 0
    sleep 0.1
  done
  say "$name did not stop within 10 s; killing it"
  kill -KILL -- "-${PGID[$name]}" 2>/dev/null || true
}

cleanup() {
  local status=$? i
  trap '' INT TERM
  STOPPING=1
  if [ "${#STARTED[@]}" -gt 0 ] || [ -n "$PRIVATE_PG_DIR$PRIVATE_REDIS" ]; then
    say "stopping…"
  fi
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    stop_part "${STARTED[i]}"
  done
  if [ -n "$PRIVATE_REDIS" ]; then
    redis-cli -h 127.0.0.1 -p "$PRIVATE_REDIS_PORT" shutdown >/dev/null 2>&1 || true
    say "private Redis stopped"
  fi
  if [ -n "$PRIVATE_PG_DIR" ]; then
    as_pg_owner "$PG_BINDIR/pg_ctl" -D "$PRIVATE_PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
    say "private PostgreSQL stopped"
  fi
  [ "${#STARTED[@]}" -gt 0 ] && say "all stopped"
  exit "$status"
}
trap cleanup EXIT
# A requested stop (Ctrl-C, SIGTERM) is a normal end: status 0 once everything has stopped.
trap 'exit 0' INT TERM

# ---------------------------------------------------------------------------------------
# Checks

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_until() { # description, seconds, part name or '', command...
  local what=$1 seconds=$2 part=$3 deadline
  shift 3
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ -n "$part" ] && ! alive "$part"; then
      die "$part exited while starting (its log is above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then die "$what did not answer within ${seconds} s"; fi
    sleep 0.3
  done
}

ready() { curl -fsS --noproxy '*' --max-time 2 -o /dev/null "$1"; }

need() { # command, what provides it
  command -v "$1" >/dev/null || die "$1 not found: install $2"
}

need cargo "Rust (https://rustup.rs)"
need npm "Node.js 20 or later"
need curl "curl"
need setsid "util-linux"

for port in 3000 3001 3002 8080; do
  if port_in_use "$port"; then
    die "port $port is already in use (another make dev, or something else): stop it first (ss -ltnp | grep :$port)"
  fi
done

# ---------------------------------------------------------------------------------------
# PostgreSQL and Redis

pg_reachable() { command -v psql >/dev/null && psql "$1" -tAqc 'SELECT 1' >/dev/null 2>&1; }
redis_reachable() { command -v redis-cli >/dev/null && [ "$(redis-cli -u "$1" ping 2>/dev/null)" = PONG ]; }

find_pg_bindir() {
  local dir
  if command -v pg_config >/dev/null; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  fi
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
  fi
}

# PostgreSQL refuses to run as root: then the private cluster belongs to the `postgres` user.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

missing_servers() {
  die "no PostgreSQL/Redis at $1 and no installed binaries to start private ones.
  Install them (Debian/Ubuntu: sudo apt-get install postgresql redis-server), point
  DATABASE_URL / REDIS_URL at running servers, or run everything in containers: docker compose up --build"
}

start_private_postgres() {
  PG_BINDIR=$(find_pg_bindir)
  [ -n "$PG_BINDIR" ] || missing_servers "$DATABASE_URL"
  need psql "the PostgreSQL client (apt-get install postgresql-client)"
  local dir=$DATA/postgres run=$DATA/postgres-run
  mkdir -p "$dir" "$run"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user for the private PostgreSQL"
    chown postgres: "$dir" "$run"
    chmod 700 "$dir"
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    say "creating a private PostgreSQL cluster in .data/postgres"
    as_pg_owner "$PG_BINDIR/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg_owner "$PG_BINDIR/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    port_in_use "$PRIVATE_PG_PORT" && die "port $PRIVATE_PG_PORT (private PostgreSQL) is in use; set LOM_PRIVATE_PG_PORT"
    say "starting a private PostgreSQL on 127.0.0.1:$PRIVATE_PG_PORT"
    as_pg_owner "$PG_BINDIR/pg_ctl" -D "$dir" -l "$run/postgres.log" -w -t 30 \
      -o "-p $PRIVATE_PG_PORT -k $run -c listen_addresses=127.0.0.1" start >/dev/null ||
      die "the private PostgreSQL did not start; see .data/postgres-run/postgres.log"
  fi
  PRIVATE_PG_DIR=$dir
  DATABASE_URL=postgres://postgres@127.0.0.1:$PRIVATE_PG_PORT/postgres
}

start_private_redis() {
  command -v redis-server >/dev/null || missing_servers "$REDIS_URL"
  need redis-cli "redis-tools"
  mkdir -p "$DATA/redis"
  if [ "$(redis-cli -h 127.0.0.1 -p "$PRIVATE_REDIS_PORT" ping 2>/dev/null)" != PONG ]; then
    port_in_use "$PRIVATE_REDIS_PORT" && die "port $PRIVATE_REDIS_PORT (private Redis) is in use; set LOM_PRIVATE_REDIS_PORT"
    say "starting a private Redis on 127.0.0.1:$PRIVATE_REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$PRIVATE_REDIS_PORT" --dir "$DATA/redis" \
      --appendonly yes --save '' --daemonize yes \
      --pidfile "$DATA/redis/redis.pid" --logfile "$DATA/redis/redis.log"
    wait_until "the private Redis" 10 '' redis-cli -h 127.0.0.1 -p "$PRIVATE_REDIS_PORT" ping
  fi
  PRIVATE_REDIS=1
  REDIS_URL=redis://127.0.0.1:$PRIVATE_REDIS_PORT
}

if ! command -v psql >/dev/null && [ -z "$(find_pg_bindir)" ]; then missing_servers "$DATABASE_URL"; fi
if ! command -v redis-cli >/dev/null && ! command -v redis-server >/dev/null; then missing_servers "$REDIS_URL"; fi
need psql "the PostgreSQL client (apt-get install postgresql-client)"
need redis-cli "the Redis client (apt-get install redis-tools)"

mkdir -p "$DATA"
if pg_reachable "$DATABASE_URL"; then
  say "PostgreSQL at ${DATABASE_URL%%\?*}"
else
  say "no PostgreSQL answers at $DATABASE_URL"
  start_private_postgres
fi
if redis_reachable "$REDIS_URL"; then
  say "Redis at $REDIS_URL"
else
  say "no Redis answers at $REDIS_URL"
  start_private_redis
fi

# The URL of another database on the same server: same credentials, host and options.
database_url() { # name
  local url=${DATABASE_URL%%\?*} query=''
  [[ $DATABASE_URL == *\?* ]] && query="?${DATABASE_URL#*\?}"
  local rest=${url#*://}
  if [[ $rest == */* ]]; then url=${url%/*}; fi
  printf '%s/%s%s' "$url" "$1" "$query"
}

for db in users orders; do
  if [ "$(psql "$DATABASE_URL" -tAqc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql "$DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
    say "created database $db"
  fi
done

# ---------------------------------------------------------------------------------------
# Local secrets (never committed: .data/ is git-ignored)

SECRETS=$DATA/dev-secrets.env
if [ -z "${LOM_ADMIN_PASSWORD:-}" ]; then
  if [ -f "$SECRETS" ]; then
    # shellcheck source=/dev/null
    . "$SECRETS"
  fi
  if [ -z "${LOM_ADMIN_PASSWORD:-}" ]; then
    generated=$(base64 < <(head -c 48 /dev/urandom))
    generated=${generated//[^A-Za-z0-9]/}
    LOM_ADMIN_PASSWORD=${generated:0:24}
    (umask 077 && printf '# Generated by make dev on first run; delete to get a new one.\nLOM_ADMIN_PASSWORD=%s\n' \
      "$LOM_ADMIN_PASSWORD" > "$SECRETS")
    say "generated an admin password (kept in .data/dev-secrets.env)"
  fi
fi
export LOM_ADMIN_EMAIL LOM_ADMIN_PASSWORD
export LOM_DEMO_PASSWORD=$LOM_ADMIN_PASSWORD
mkdir -p "$DATA/keys"
chmod 700 "$DATA/keys"

# ---------------------------------------------------------------------------------------
# Build

if [ "$RELEASE" = 1 ]; then
  say "building the services (cargo build --release)"
  cargo build --release --locked -p users-service -p orders-service -p gateway -p demo-storefront 2>&1 | prefix cargo 90
  BIN=$TARGET_DIR/release
else
  say "building the services (cargo build, debug profile)"
  cargo build --locked -p users-service -p orders-service -p gateway -p demo-storefront 2>&1 | prefix cargo 90
  BIN=$TARGET_DIR/debug
fi

if [ ! -d frontend/node_modules ]; then
  say "installing the dashboard's dependencies (npm ci)"
  (cd frontend && npm ci --no-audit --no-fund) 2>&1 | prefix npm 90
fi

# The production build of the dashboard, made again only when a source is newer than it.
dashboard_build_current() {
  [ -f frontend/.next/standalone/server.js ] && [ -f frontend/.next/BUILD_ID ] || return 1
  [ -z "$(find frontend/src frontend/public frontend/package-lock.json frontend/next.config.ts \
    -newer frontend/.next/BUILD_ID -print -quit 2>/dev/null)" ]
}
if [ "$RELEASE" = 1 ]; then
  if dashboard_build_current; then
    say "the dashboard's production build is current"
  else
    say "building the dashboard (next build, standalone)"
    (cd frontend && npm run build) 2>&1 | prefix next 90
  fi
fi

# The origins the dashboard is opened from: localhost, 127.0.0.1 and this machine's own
# addresses (the dev server allows the same ones: frontend/next.config.ts). The dashboard has no
# NEXT_PUBLIC_API_URL: it calls the gateway on the host name it was opened with, at port 8080,
# so the refresh cookie (SameSite=Strict) stays same-site and a reload keeps the session.
# `next dev` answers on every address, so in dev the gateway does too (make run: loopback only).
DASHBOARD_ORIGINS=http://localhost:3000,http://127.0.0.1:3000
for address in $(hostname -I 2>/dev/null || true); do
  [[ $address == *:* ]] || DASHBOARD_ORIGINS+=",http://$address:3000"
done
if [ "$RELEASE" = 1 ]; then GATEWAY_BIND=127.0.0.1:8080; else GATEWAY_BIND=0.0.0.0:8080; fi

# ---------------------------------------------------------------------------------------
# Run

export LOG_FORMAT=${LOG_FORMAT:-pretty}
export RUST_LOG=${RUST_LOG:-info}
export NEXT_TELEMETRY_DISABLED=1
[ -t 1 ] || export NO_COLOR=1
export JWT_ISSUER=${JWT_ISSUER:-lom-users} JWT_AUDIENCE=${JWT_AUDIENCE:-lom}
USERS_URL=http://127.0.0.1:3002
ORDERS_URL=http://127.0.0.1:3001

start users 36 env \
  USERS_BIND=127.0.0.1:3002 \
  USERS_DATABASE_URL="$(database_url users)" \
  USERS_JWT_PRIVATE_KEY_FILE="$DATA/keys/jwt-ed25519.pem" \
  USERS_TRUSTED_PROXIES=127.0.0.1,::1 \
  REDIS_URL="$REDIS_URL" \
  "$BIN/users-service"
wait_until users-service 60 users ready "$USERS_URL/readyz"

DEMO_USERS_OK=1
if ! USERS_URL=$USERS_URL "$BIN/demo-storefront" seed-users 2>&1 | prefix seed 90; then
  DEMO_USERS_OK=0
  say "${BOLD}could not seed the demo users.${RESET} If the admin $LOM_ADMIN_EMAIL was created earlier"
  say "with another password, set LOM_ADMIN_PASSWORD to it (or drop the 'users' database to start afresh)."
fi

start orders 33 env \
  ORDERS_BIND=127.0.0.1:3001 \
  ORDERS_DATABASE_URL="$(database_url orders)" \
  REDIS_URL="$REDIS_URL" \
  USERS_URL="$USERS_URL" \
  "$BIN/orders-service"
wait_until orders-service 60 orders ready "$ORDERS_URL/readyz"

start gateway 35 env \
  GATEWAY_BIND="$GATEWAY_BIND" \
  USERS_URL="$USERS_URL" \
  ORDERS_URL="$ORDERS_URL" \
  REDIS_URL="$REDIS_URL" \
  COOKIE_SECURE=false \
  CORS_ALLOWED_ORIGINS="$DASHBOARD_ORIGINS" \
  "$BIN/gateway"
wait_until gateway 60 gateway ready http://127.0.0.1:8080/readyz

if [ "$RELEASE" = 1 ]; then
  # package.json's start: copies static assets into the standalone output, then node server.js.
  start web 32 env -C frontend PORT=3000 npm start
else
  start web 32 env -C frontend npm run dev
fi

if [ "$LOM_DEMO_RATE" != 0 ] && [ "$DEMO_USERS_OK" = 1 ]; then
  start demo 34 "$BIN/demo-storefront" run --gateway http://127.0.0.1:8080 --rate "$LOM_DEMO_RATE"
fi

# The first request makes next dev compile the page, so the dashboard is warm when shown.
wait_until "the dashboard" 300 web curl -sS --noproxy '*' --max-time 120 -o /dev/null http://127.0.0.1:3000/

cat <<EOF
${DIM}dev    |${RESET}
${DIM}dev    |${RESET} ${BOLD}Live Order Monitor is running$( [ "$RELEASE" = 1 ] && echo " (release build, production dashboard)").${RESET} Ctrl-C stops all of it.
${DIM}dev    |${RESET}   dashboard        http://localhost:3000$( [ "$RELEASE" = 1 ] && echo "  (http://127.0.0.1:3000)" || echo "  (also http://127.0.0.1:3000 and this machine's addresses)")
${DIM}dev    |${RESET}   API (gateway)    http://localhost:8080/api/v1   Swagger UI: http://localhost:8080/docs
${DIM}dev    |${RESET}   users-service    http://localhost:3002/docs
${DIM}dev    |${RESET}   orders-service   http://localhost:3001/docs
${DIM}dev    |${RESET}   sign in as       $LOM_ADMIN_EMAIL, dispatcher@example.com, agent@example.com,
${DIM}dev    |${RESET}                    viewer@example.com (storefront@example.com is the demo shop)
${DIM}dev    |${RESET}   password         $LOM_ADMIN_PASSWORD   (all of them)
${DIM}dev    |${RESET}   demo orders      $( [ "$LOM_DEMO_RATE" = 0 ] && echo "off (LOM_DEMO_RATE=0)" || echo "$LOM_DEMO_RATE per second (LOM_DEMO_RATE)")
${DIM}dev    |${RESET}
EOF

# Foreground until Ctrl-C/SIGTERM (the traps) or until one part exits on its own.
while :; do
  pids=()
  for name in "${STARTED[@]}"; do pids+=("${PGID[$name]}"); done
  wait -n "${pids[@]}" || true
  [ "$STOPPING" = 1 ] && break
  for name in "${STARTED[@]}"; do
    if ! kill -0 "${PGID[$name]}" 2>/dev/null; then
      if [ "$name" = demo ]; then
        say "the demo storefront stopped; the rest keeps running"
        remaining=()
        for other in "${STARTED[@]}"; do [ "$other" = demo ] || remaining+=("$other"); done
        STARTED=("${remaining[@]}")
      else
        die "$name exited unexpectedly (its log is above); stopping everything"
      fi
    fi
  done
done
