#!/usr/bin/env bash
# `make openapi` writes the committed OpenAPI documents; `make check-openapi` (part of
# make test) fails when one of them is stale:
#   docs/openapi/users.json    `users-service openapi`, from its handlers
#   docs/openapi/orders.json   `orders-service openapi`, from its handlers
#   docs/openapi/gateway.json  `gateway openapi`: the public document, merged (at compile
#                              time) from the two files above and the gateway's own paths
# The gateway is rebuilt after the service documents are written, so it merges the new ones.
# The three binaries are built together, as make test-e2e builds them (one feature set, so
# the builds share their dependencies).
#
#   scripts/openapi.sh           regenerate the three files
#   scripts/openapi.sh --check   compare them with what the code generates now
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
if [[ "${1:-}" == "--check" ]]; then check=true; fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
stale=()

bin="${CARGO_TARGET_DIR:-target}/debug"
build() {
  cargo build --quiet --locked -p users-service -p orders-service -p gateway
}

# Generates the document of binary $1 into docs/openapi/$2.json (or compares it).
document() {
  local binary=$1 name=$2
  local committed="docs/openapi/${name}.json" fresh="${scratch}/${name}.json"
  "${bin}/${binary}" openapi > "$fresh"
  if $check; then
    if ! diff -q "$committed" "$fresh" > /dev/null 2>&1; then
      stale+=("$committed")
      diff -u "$committed" "$fresh" | head -n 40 >&2 || true
    fi
  else
    mv "$fresh" "$committed"
    echo "wrote $committed"
  fi
}

# The gateway compiles the service documents in: give a first build empty ones to start from.
for name in users orders; do [[ -f "docs/openapi/${name}.json" ]] || : > "docs/openapi/${name}.json"; done
build
document users-service users
document orders-service orders
if ! $check; then build; fi
document gateway gateway

if (( ${#stale[@]} )); then
  echo "stale OpenAPI document(s): ${stale[*]}; regenerate them with \`make openapi\`" \
    "(then \`make postman\` and \`cd frontend && npm run api-types\`) and commit the result" >&2
  exit 1
fi
if $check; then echo "docs/openapi/{users,orders,gateway}.json are current"; fi
