# syntax=docker/dockerfile:1
# One image recipe for the three Rust services. Build with
#   docker build -f docker/rust-service.Dockerfile --build-arg PACKAGE=gateway --build-arg PORT=8080 .
# (docker-compose.yml does this for each service). Stages: cargo-chef plans and builds the
# dependencies once (a cached layer that changes only with Cargo.toml/Cargo.lock), then the
# service itself; the runtime image is debian:bookworm-slim with the binary, curl for the
# healthcheck, and a non-root user.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-slim-bookworm AS chef
# make: tikv-jemalloc-sys (the services' allocator) builds jemalloc from its source.
RUN apt-get update \
 && apt-get install -y --no-install-recommends make \
 && rm -rf /var/lib/apt/lists/* \
 && cargo install cargo-chef --locked --version 0.1.78
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
ARG PACKAGE
COPY --from=planner /app/recipe.json recipe.json
# The workspace's build settings (jemalloc's decay), so the cooked dependencies match.
COPY .cargo .cargo
RUN cargo chef cook --release --package "${PACKAGE}" --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --package "${PACKAGE}" \
 && cp "target/release/${PACKAGE}" /usr/local/bin/service

FROM debian:bookworm-slim AS runtime
ARG PACKAGE
ARG PORT
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /nonexistent --shell /usr/sbin/nologin lom \
 && install -d -o lom -g lom -m 0700 /var/lib/lom /var/lib/lom/keys
COPY --from=builder /usr/local/bin/service /usr/local/bin/service
USER lom:lom
WORKDIR /var/lib/lom
ENV LOG_FORMAT=json \
    RUST_LOG=info \
    SERVICE_NAME=${PACKAGE} \
    HEALTH_URL=http://127.0.0.1:${PORT}/readyz
EXPOSE ${PORT}
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS -o /dev/null "$HEALTH_URL" || exit 1
ENTRYPOINT ["/usr/local/bin/service"]
