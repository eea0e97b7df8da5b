#!/usr/bin/env bash
# `make scale-demo`: several instances behind a load balancer, on this machine, tested.
#
# HAProxy (Debian's package; installed as root when missing) in front of three gateways (L4:
# TCP, as an L4 cloud balancer would be; health-checked on /readyz) and two orders-services
# (HTTP, each request balanced), one users-service, a private redis-server and fresh,
# uniquely named databases on the PostgreSQL at DATABASE_URL, all on free loopback ports, from
# the debug binaries of `cargo build`. scripts/scale-check.mjs then connects dashboards
# (socket.io-client) through the balancer, creates orders through it, kills one gateway with
# SIGKILL, and checks that every dashboard saw every event once, that the dashboards of the
# killed gateway moved to another one and caught up by replay, and that both orders-services
# took orders. Stops what it started and drops its databases.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET_DIR/debug
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lom-scale.XXXXXX")
DB_PREFIX=lom_scale_$(date -u +%Y%m%d%H%M%S)_$$
declare -a PIDS=()

log() { printf '[scale] %s\n' "$*"; }
die() { printf '[scale] error: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local status=$? pid
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  for db in users orders; do psql "$BASE_URL" -qc "DROP DATABASE IF EXISTS ${DB_PREFIX}_$db WITH (FORCE)" >/dev/null 2>&1; done
  if [ "$status" != 0 ]; then
    log "failed; logs in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v haproxy >/dev/null || {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "haproxy not found: install HAProxy"
  log "installing haproxy from the distribution"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
}
command -v redis-server >/dev/null || die "redis-server not found (scripts/ensure-backing-services.sh installs it)"
[ -d gateway/tests/realtime/node_modules/socket.io-client ] || die "socket.io-client missing: make realtime-deps"

log "cargo build (debug)"
cargo build --locked -p users-service -p orders-service -p gateway 2>&1 | tail -n 1

free_ports() { # count
  python3 - "$1" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()
EOF
}
read -r P_REDIS P_USERS P_O1 P_O2 P_G1 P_G2 P_G3 P_LB P_LB_ORDERS P_STATS < <(free_ports 10)

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
start() { # name, env assignments and command...
  local name=$1
  shift
  env "$@" >"$WORK/$name.log" 2>&1 &
  STARTED_PID=$!
  disown "$STARTED_PID" # one is killed on purpose: no job notice for it
  PIDS+=("$STARTED_PID")
}

redis-server --bind 127.0.0.1 --port "$P_REDIS" --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 50); do redis-cli -p "$P_REDIS" ping >/dev/null 2>&1 && break; sleep 0.1; done
REDIS_URL=redis://127.0.0.1:$P_REDIS
for db in users orders; do psql "$BASE_URL" -qc "CREATE DATABASE ${DB_PREFIX}_$db" >/dev/null; done

PASSWORD=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
export JWT_ISSUER=lom-users JWT_AUDIENCE=lom LOG_FORMAT=json NO_COLOR=1 RUST_LOG=${RUST_LOG:-info}
mkdir -p "$WORK/keys"

start users USERS_BIND=127.0.0.1:$P_USERS USERS_DATABASE_URL="$(database_url "${DB_PREFIX}_users")" \
  USERS_JWT_PRIVATE_KEY_FILE="$WORK/keys/jwt-ed25519.pem" REDIS_URL="$REDIS_URL" \
  LOM_ADMIN_EMAIL=admin@example.com LOM_ADMIN_PASSWORD="$PASSWORD" "$BIN/users-service"
wait_ready users "http://127.0.0.1:$P_USERS/readyz" "$STARTED_PID"

# HAProxy: the gateways at L4 (TCP), the orders-services per HTTP request.
cat > "$WORK/haproxy.cfg" <<EOF
global
  maxconn 4096
defaults
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  retries 3
  option redispatch
frontend gateways
  mode tcp
  bind 127.0.0.1:$P_LB
  default_backend gateways
backend gateways
  mode tcp
  balance roundrobin
  option httpchk GET /readyz
  default-server check inter 500ms fall 2 rise 2
  server g1 127.0.0.1:$P_G1
  server g2 127.0.0.1:$P_G2
  server g3 127.0.0.1:$P_G3
frontend orders
  mode http
  bind 127.0.0.1:$P_LB_ORDERS
  default_backend orders
backend orders
  mode http
  balance roundrobin
  option httpchk GET /readyz
  default-server check inter 500ms fall 2 rise 2
  server o1 127.0.0.1:$P_O1
  server o2 127.0.0.1:$P_O2
frontend stats
  mode http
  bind 127.0.0.1:$P_STATS
  stats enable
  stats uri /stats
EOF
haproxy -c -q -f "$WORK/haproxy.cfg" || die "haproxy refused its configuration"

ORDERS_VIA_LB=http://127.0.0.1:$P_LB_ORDERS
start orders1 ORDERS_BIND=127.0.0.1:$P_O1 ORDERS_DATABASE_URL="$(database_url "${DB_PREFIX}_orders")" \
  REDIS_URL="$REDIS_URL" USERS_URL="http://127.0.0.1:$P_USERS" "$BIN/orders-service"
wait_ready orders1 "http://127.0.0.1:$P_O1/readyz" "$STARTED_PID"
start orders2 ORDERS_BIND=127.0.0.1:$P_O2 ORDERS_DATABASE_URL="$(database_url "${DB_PREFIX}_orders")" \
  REDIS_URL="$REDIS_URL" USERS_URL="http://127.0.0.1:$P_USERS" "$BIN/orders-service"
wait_ready orders2 "http://127.0.0.1:$P_O2/readyz" "$STARTED_PID"

declare -a GATEWAY_PIDS=()
for i in 1 2 3; do
  port_var=P_G$i
  start "gateway$i" GATEWAY_BIND=127.0.0.1:${!port_var} USERS_URL="http://127.0.0.1:$P_USERS" \
    ORDERS_URL="$ORDERS_VIA_LB" REDIS_URL="$REDIS_URL" COOKIE_SECURE=false \
    CORS_ALLOWED_ORIGINS=http://localhost:3000 "$BIN/gateway"
  GATEWAY_PIDS+=("$STARTED_PID")
  wait_ready "gateway$i" "http://127.0.0.1:${!port_var}/readyz" "$STARTED_PID"
done

haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
PIDS+=("$!")
wait_ready haproxy "http://127.0.0.1:$P_LB/readyz" "$!"
log "up: HAProxy :$P_LB -> gateways :$P_G1 :$P_G2 :$P_G3; :$P_LB_ORDERS -> orders-services :$P_O1 :$P_O2"

BALANCER=http://127.0.0.1:$P_LB ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD=$PASSWORD \
  GATEWAYS="$P_G1=${GATEWAY_PIDS[0]},$P_G2=${GATEWAY_PIDS[1]},$P_G3=${GATEWAY_PIDS[2]}" \
  node scripts/scale-check.mjs

# Both orders-services took requests (HAProxy balanced each one): its per-server totals.
served() { curl -fsS --noproxy '*' "http://127.0.0.1:$P_STATS/stats;csv" | awk -F, -v s="$1" '$1 == "orders" && $2 == s {print $8}'; }
o1=$(served o1)
o2=$(served o2)
log "requests served by orders-service 1: $o1, by orders-service 2: $o2"
if [ "$o1" -gt 0 ] && [ "$o2" -gt 0 ]; then
  echo "ok   both orders-services served requests through the balancer"
  echo "scale-orders: 1 passed, 0 failed"
else
  echo "FAIL both orders-services served requests through the balancer"
  echo "scale-orders: 0 passed, 1 failed"
  exit 1
fi
