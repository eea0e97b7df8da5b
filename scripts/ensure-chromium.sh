#!/usr/bin/env bash
# The browser tests (make test-e2e) drive Debian's Chromium through playwright-core; Playwright's
# own browser download cannot work on these machines. Installs the distribution's package when
# /usr/bin/chromium is missing (CHROMIUM_PATH points elsewhere to use another binary).
set -euo pipefail

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
log() { printf '[chromium] %s\n' "$*"; }

if [ -x "$CHROMIUM" ]; then
  log "$("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") is installed"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing chromium from the distribution"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  log "$("$CHROMIUM" --version) installed"
else
  log "$CHROMIUM not found: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH"
  exit 1
fi
