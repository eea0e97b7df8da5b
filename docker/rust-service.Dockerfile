# One image recipe for the three Rust services. Build with
#   docker build -f docker/rust-service.Dockerfile --build-arg PACKAGE=gateway --build-arg PORT=8080 .
# (docker-compose.yml does this for each service).
#
# The three images share everything up to the binaries: cargo-chef plans the workspace, cooks
# the dependencies of all three services once (a layer that changes only with
# Cargo.toml/Cargo.lock), then one `cargo build` makes the three binaries. Nothing before the
# `runtime` stage depends on PACKAGE, so the second and third image reuse those layers from
# the build cache instead of compiling again. The runtime image is Debian slim with the
# binary, curl for the healthcheck and a non-root user; compose runs it read-only.
#
# Build arguments:
#   RUST_IMAGE, RUNTIME_IMAGE  base images (official names by default; scripts/make-base-images.sh
#                              makes local stand-ins where no registry can be reached)
#   CARGO_JOBS                 parallel rustc jobs (empty: one per core)
#   PACKAGE, PORT              which service this image runs, and its port
# The `prebuilt` target wraps a binary built outside Docker (bin/PACKAGE in the build context)
# in the same runtime stage: scripts/test-compose.sh --prebuilt uses it to save the compile.

ARG RUST_IMAGE=rust:1.95-slim-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# --- runtime base: the same for all three services -------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime-base
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /nonexistent --shell /usr/sbin/nologin lom \
 && install -d -o lom -g lom -m 0700 /var/lib/lom /var/lib/lom/keys

# --- a binary built outside Docker (target `prebuilt`) ---------------------------------------
FROM runtime-base AS prebuilt
ARG PACKAGE
ARG PORT
COPY bin/${PACKAGE} /usr/local/bin/service
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

# --- the build, shared by the three images ---------------------------------------------------
FROM ${RUST_IMAGE} AS chef
ARG CARGO_JOBS=
# make: tikv-jemalloc-sys (the services' allocator) builds jemalloc from its source.
RUN apt-get update \
 && apt-get install -y --no-install-recommends make \
 && rm -rf /var/lib/apt/lists/* \
 && cargo install cargo-chef --locked --version 0.1.78 ${CARGO_JOBS:+--jobs "$CARGO_JOBS"}
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
ARG CARGO_JOBS=
COPY --from=planner /app/recipe.json recipe.json
# The workspace's build settings (jemalloc's decay), so the cooked dependencies match.
COPY .cargo .cargo
RUN cargo chef cook --release --locked ${CARGO_JOBS:+--jobs "$CARGO_JOBS"} \
      -p users-service -p orders-service -p gateway --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked ${CARGO_JOBS:+--jobs "$CARGO_JOBS"} \
      -p users-service -p orders-service -p gateway \
 && mkdir -p /out \
 && for bin in users-service orders-service gateway; do cp "target/release/$bin" /out/; done \
 && strip /out/*

# --- the service's image (the default target) ------------------------------------------------
FROM runtime-base AS runtime
ARG PACKAGE
ARG PORT
COPY --from=builder /out/${PACKAGE} /usr/local/bin/service
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
