#!/usr/bin/env python3
"""Checks that every environment variable a part reads is documented and wired up.

For each part: the names its configuration code reads (string literals like "USERS_BIND" in
its configuration.rs, plus LOG_FORMAT and RUST_LOG from the shared telemetry; for the
dashboard, the keys of frontend/src/config/env-defaults.ts and the `process.env.NAME` its
server code reads at run time) must appear
  1. in that part's .env.example, and
  2. in its docker-compose.yml service: under `environment:` (or `build.args:` for the
     dashboard, whose public values are inlined at build time), or through an `env_file:`
     that is the part's own .env, documented by that .env.example.
It also fails on a compose `environment:` name a Rust service does not read (a typo there is
silently ignored at run time), on a .env.example name the part does not read, and on a
`${VAR}` used in docker-compose.yml that the root .env.example does not list.
Exit status 1 with the list of problems, 0 when everything is covered.
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ENV_NAME = re.compile(r'"([A-Z][A-Z0-9]*_[A-Z0-9_]+)"')
# Read by the shared telemetry (libs/platform) in every Rust service.
PLATFORM_VARS = {"LOG_FORMAT", "RUST_LOG"}

PARTS = [
    # (label, compose service, folder, source of the names)
    ("gateway", "gateway", "gateway", "gateway/src/configuration.rs"),
    ("users-service", "users-service", "services/users", "services/users/src/configuration.rs"),
    ("orders-service", "orders-service", "services/orders", "services/orders/src/configuration.rs"),
    ("frontend", "frontend", "frontend", "frontend/src/config/env-defaults.ts"),
]


# Read by Node itself or the framework, not configuration of ours.
RUNTIME_IGNORED = {"NODE_ENV", "NEXT_RUNTIME"}


def names_read(source: Path) -> set[str]:
    text = source.read_text()
    if source.suffix == ".ts":
        public = set(re.findall(r"^\s*(NEXT_PUBLIC_[A-Z0-9_]+)\s*:", text, re.M))
        return public | server_names(source.parent.parent)
    return set(ENV_NAME.findall(text)) | PLATFORM_VARS


def server_names(src: Path) -> set[str]:
    """`process.env.NAME` the dashboard's server code reads at run time (tests excluded)."""
    names: set[str] = set()
    for path in list(src.rglob("*.ts")) + list(src.rglob("*.tsx")):
        if ".test." in path.name:
            continue
        names |= set(re.findall(r"process\.env\.([A-Z][A-Z0-9_]*)", path.read_text()))
    return {n for n in names if not n.startswith("NEXT_PUBLIC_")} - RUNTIME_IGNORED


def documented(example: Path) -> set[str]:
    if not example.exists():
        return set()
    return set(re.findall(r"^\s*([A-Z][A-Z0-9_]*)=", example.read_text(), re.M))


def as_names(mapping_or_list) -> set[str]:
    if isinstance(mapping_or_list, dict):
        return set(mapping_or_list)
    if isinstance(mapping_or_list, list):
        return {item.split("=", 1)[0] for item in mapping_or_list}
    return set()


def env_files(service: dict) -> list[Path]:
    files = service.get("env_file") or []
    if isinstance(files, (str, dict)):
        files = [files]
    return [ROOT / (f["path"] if isinstance(f, dict) else f) for f in files]


def main() -> int:
    compose_path = ROOT / "docker-compose.yml"
    compose_text = compose_path.read_text()
    services = yaml.safe_load(compose_text)["services"]
    problems: list[str] = []

    for label, compose_name, folder, source in PARTS:
        read = names_read(ROOT / source)
        example = ROOT / folder / ".env.example"
        in_example = documented(example)
        for name in sorted(read - in_example):
            problems.append(f"{label}: {name} is read but missing from {example.relative_to(ROOT)}")
        for name in sorted(in_example - read):
            problems.append(f"{label}: {example.relative_to(ROOT)} lists {name}, which {source} does not read")

        service = services.get(compose_name)
        if service is None:
            problems.append(f"{label}: no service {compose_name!r} in docker-compose.yml")
            continue
        set_here = as_names(service.get("environment"))
        build_args = as_names((service.get("build") or {}).get("args")) if isinstance(service.get("build"), dict) else set()
        own_env_file = ROOT / folder / ".env"
        from_env_file = in_example if own_env_file in env_files(service) else set()
        for name in sorted(read - set_here - build_args - from_env_file):
            problems.append(
                f"{label}: {name} is neither set for compose service {compose_name!r} "
                f"(environment/build.args) nor loaded through its env_file {own_env_file.relative_to(ROOT)}"
            )
        if not source.endswith(".ts"):
            for name in sorted(set_here - read):
                problems.append(f"{label}: docker-compose.yml sets {name}, which {source} does not read")

    root_example = documented(ROOT / ".env.example")
    interpolated = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose_text))
    for name in sorted(interpolated - root_example):
        problems.append(f"docker-compose.yml uses ${{{name}}}, which .env.example at the root does not list")

    if problems:
        print("Environment variables not documented or not wired up:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"env docs: every variable of {', '.join(p[0] for p in PARTS)} is documented and wired up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
