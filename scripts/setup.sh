#!/usr/bin/env bash
# Create .venv (if missing), install the package with every extra, and install
# the web map's front-end package (MapLibre GL JS) from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "installing npm (Debian) for the web map's front-end package" >&2
  (apt-get update -qq >/dev/null 2>&1 || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null 2>&1 || true
fi
if command -v npm >/dev/null 2>&1; then
  if [ ! -f creative_clusters/web/frontend/node_modules/maplibre-gl/dist/maplibre-gl.js ]; then
    (cd creative_clusters/web/frontend && npm install --no-audit --no-fund --loglevel=error)
  fi
else
  echo "warning: npm not found; the web map page needs MapLibre GL JS (apt-get install npm)" >&2
fi
