# Local stand-in for rust:<version>-slim-bookworm, made by scripts/make-base-images.sh when
# the official image cannot be pulled: Debian's C toolchain (jemalloc and aws-lc build C) and
# the Rust toolchain of the machine that builds it (copied in as ./rust; Debian's rustc is too
# old for this workspace).
ARG BASE_IMAGE=lom-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev make pkg-config \
 && rm -rf /var/lib/apt/lists/*
COPY rust /usr/local/rust
ENV CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /usr/local/cargo/bin && cargo --version && rustc --version
