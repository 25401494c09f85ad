#!/usr/bin/env bash
# Prints the path of a uv binary, installing uv from PyPI into a private venv if none is found.
set -euo pipefail
UV_VERSION=0.13.9
REFETTORIO_HOME="${REFETTORIO_HOME:-$HOME/.cache/refettorio}"
VENV="$REFETTORIO_HOME/uv-$UV_VERSION"
if [[ ! -x "$VENV/bin/uv" ]]; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION" >&2
fi
echo "$VENV/bin/uv"
