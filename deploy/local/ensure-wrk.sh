#!/usr/bin/env bash
# The benchmarks' HTTP load generator: Debian's wrk, installed when missing (make bench).
set -euo pipefail
if ! command -v wrk >/dev/null; then
    SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
command -v wrk
