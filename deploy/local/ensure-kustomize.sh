#!/usr/bin/env bash
# Prints the path of the kustomize binary that renders deploy/k8s (tests/test_k8s_manifests.py),
# building it from the Go module proxy with the machine's Go on first use (about 3 minutes).
#
#   deploy/local/ensure-kustomize.sh              install if missing, print the path
#   deploy/local/ensure-kustomize.sh --installed  print the path, fail if it is not installed
set -euo pipefail
KUSTOMIZE_VERSION=v5.8.1 # v5.8.2+ need Go 1.27; this machine has 1.26
REFETTORIO_HOME="${REFETTORIO_HOME:-$HOME/.cache/refettorio}"
DIR="$REFETTORIO_HOME/kustomize-$KUSTOMIZE_VERSION"
BIN="$DIR/kustomize"

if [[ ! -x "$BIN" ]]; then
  if [[ "${1:-}" == "--installed" ]]; then
    echo "kustomize $KUSTOMIZE_VERSION is not installed: run make install" >&2
    exit 1
  fi
  GO="$(command -v go || echo /usr/local/go/bin/go)"
  [[ -x "$GO" ]] || { echo "kustomize needs Go to build (none on PATH nor in /usr/local/go)" >&2; exit 1; }
  echo "building kustomize $KUSTOMIZE_VERSION from the Go module proxy..." >&2
  mkdir -p "$REFETTORIO_HOME"
  tmp="$(mktemp -d "$REFETTORIO_HOME/kustomize-build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" GOTOOLCHAIN=local "$GO" install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
  mkdir -p "$DIR"
  mv "$tmp/kustomize" "$BIN"
fi
echo "$BIN"
