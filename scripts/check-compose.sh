#!/usr/bin/env bash
# `make check-compose`: validates docker-compose.yml without a Docker engine — the compose
# schema and lint rules with dclint (a pinned version from the npm registry, settings in
# docker/dclint.yaml) — and checks that every environment variable each part reads is in its
# .env.example and wired into its compose service (scripts/check-env-docs.py). The
# Dockerfiles get dockerfile-utils' lint (syntax and instruction errors).
set -euo pipefail
cd "$(dirname "$0")/.."

DCLINT_VERSION=3.1.0
DOCKERFILE_UTILS_VERSION=0.16.3

echo "dclint ${DCLINT_VERSION}: docker-compose.yml"
npx --yes "dclint@${DCLINT_VERSION}" --config docker/dclint.yaml --max-warnings 0 docker-compose.yml
echo "dclint: no problems"

for dockerfile in docker/rust-service.Dockerfile frontend/Dockerfile; do
  npx --yes "dockerfile-utils@${DOCKERFILE_UTILS_VERSION}" lint "$dockerfile"
done
echo "dockerfile-utils: docker/rust-service.Dockerfile and frontend/Dockerfile have no problems"

python3 scripts/check-env-docs.py
