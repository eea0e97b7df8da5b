# Live Order Monitor — the two commands of the README, and their parts.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Tests share one PostgreSQL; each test creates its own database on it.
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export REDIS_URL ?= redis://127.0.0.1:6379
TEST_THREADS ?= 4

.PHONY: help dev run backing-services test-prereqs test-compose test-compose-short scale-demo k8s-deps check-k8s test test-rust lint-rust realtime-deps contract-deps postman-deps postman openapi check-openapi test-frontend test-e2e frontend-deps check-compose fmt bench bench-smoke chaos chaos-short

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

test: test-prereqs check-compose check-k8s lint-rust check-openapi test-rust bench-smoke chaos-short test-frontend test-e2e test-compose-short scale-demo ## Every test; starts (or reuses) PostgreSQL and Redis itself

backing-services: ## Start (or reuse) PostgreSQL and Redis where the tests expect them
	@scripts/ensure-backing-services.sh

test-prereqs: backing-services ## What make test needs on the machine: PostgreSQL, Redis, the bench tools, Chromium
	@scripts/ensure-bench-tools.sh
	@scripts/ensure-chromium.sh

lint-rust: ## cargo fmt --check and clippy with warnings denied
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

test-rust: realtime-deps contract-deps postman-deps ## Rust unit and integration tests against real PostgreSQL and Redis
	cargo test --workspace --locked -- --test-threads=$(TEST_THREADS)

realtime-deps: ## socket.io-client for the gateway's realtime scenarios (skipped when current)
	@cd gateway/tests/realtime && if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund; else echo "gateway/tests/realtime/node_modules is current"; fi

contract-deps: ## schemathesis, pinned, in tools/schemathesis/.venv for the contract test (skipped when current)
	@cd tools/schemathesis && if [ ! -f .venv/.installed ] || [ requirements.txt -nt .venv/.installed ]; then \
		python3 -m venv .venv && .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt && touch .venv/.installed; \
		else echo "tools/schemathesis/.venv is current"; fi

bench: ## Benchmarks on a private loopback stack (about 5 min after the build): writes docs/benchmarks.md and its charts
	bench/run.sh full

bench-smoke: ## The benchmark tools at tiny sizes (seconds after the build); fails on any error or lost event
	bench/run.sh smoke

chaos: ## Faults in turn under load on a private stack, then a checker proves nothing was lost (≤ 10 min after the build; docs/reliability.md)
	scripts/chaos.sh full

chaos-short: ## The chaos run with one fault of each kind at small sizes on the debug build (about 2 min; part of make test)
	scripts/chaos.sh short

postman-deps: ## The Postman collection's generator and newman, for its tests (skipped when current)
	@cd tools/postman && if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund; else echo "tools/postman/node_modules is current"; fi

openapi: ## Regenerate docs/openapi/{users,orders,gateway}.json from the handlers (scripts/openapi.sh)
	@scripts/openapi.sh

check-openapi: ## Fail when a committed OpenAPI document in docs/openapi/ is stale (part of make test)
	@scripts/openapi.sh --check

postman: postman-deps ## Regenerate docs/postman/ from docs/openapi/gateway.json (run make openapi first)
	cd tools/postman && node generate.mjs ../../docs/openapi/gateway.json ../../docs/postman/live-order-monitor.postman_collection.json

fmt: ## Format the Rust code
	cargo fmt --all

frontend-deps: ## Install the dashboard's exact dependencies (skipped when node_modules is current)
	@cd frontend && if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund; else echo "frontend/node_modules is current"; fi

test-frontend: frontend-deps ## Dashboard: lint, type check, unit and component tests, production build
	cd frontend && npm run lint && npm run typecheck && npm test && npm run build

test-e2e: frontend-deps ## Browser tests (playwright-core + Debian chromium) against the real stack on free ports
	cargo build --locked -p users-service -p orders-service -p gateway
	@if [ ! -f frontend/.next/standalone/server.js ]; then cd frontend && npm run build; fi
	cd frontend && npm run test:e2e

dev: ## Build and run everything natively in the foreground (Ctrl-C stops it): scripts/dev.sh
	@scripts/dev.sh

run: ## Production-like native run: release binaries, the dashboard's production build (Ctrl-C stops it)
	@scripts/dev.sh --release

check-compose: ## Validate docker-compose.yml (dclint) and that every env variable is documented and wired up
	@scripts/check-compose.sh

test-compose: realtime-deps ## docker compose up --build --wait from the Dockerfiles, checked through the published ports (about 30 min on 2 cores)
	scripts/test-compose.sh

test-compose-short: realtime-deps ## The same compose checks with the host's debug binaries and dashboard build in the real runtime stages (part of make test)
	cargo build --locked -p users-service -p orders-service -p gateway
	@if [ ! -f frontend/.next/standalone/server.js ]; then $(MAKE) frontend-deps && cd frontend && npm run build; fi
	scripts/test-compose.sh --prebuilt

scale-demo: realtime-deps ## HAProxy before 3 gateways and 2 orders-services: every event once, a killed gateway's dashboards move and catch up
	@scripts/scale-demo.sh

k8s-deps: ## kubernetes-validate and checkov, pinned, in deploy/checks/.venv (skipped when current)
	@cd deploy/checks && if [ ! -f .venv/.installed ] || [ requirements.txt -nt .venv/.installed ]; then \
		python3 -m venv .venv && .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt && touch .venv/.installed; \
		else echo "deploy/checks/.venv is current"; fi

check-k8s: k8s-deps ## Validate deploy/kubernetes (kubernetes-validate --strict, checkov, the project's own rules)
	@scripts/check-k8s.sh
