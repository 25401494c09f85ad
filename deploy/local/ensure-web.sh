#!/usr/bin/env bash
# What the web pages and their browser tests need, installed from the registries when missing:
# - the front-end assets the services serve (Bootstrap Italia with its fonts, htmx) and axe-core
#   for the browser tests, from npm with the lock file (`npm ci`, again only when the lock changed);
# - Debian's Chromium, which Playwright drives through `executable_path` (Playwright's own
#   browser download cannot work on our machines).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHROMIUM="${REFETTORIO_CHROMIUM:-/usr/bin/chromium}"

cd "$ROOT"
STAMP=node_modules/.refettorio-lock.sha256
WANTED="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ "$(cat "$STAMP" 2>/dev/null)" != "$WANTED" ]]; then
  command -v npm >/dev/null || { echo "npm is missing: install Node.js (Debian: apt-get install -y nodejs npm)" >&2; exit 1; }
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$WANTED" >"$STAMP"
fi

if [[ ! -x "$CHROMIUM" ]]; then
  echo "installing Debian's chromium for the browser tests..." >&2
  SUDO=""; [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi
