#!/usr/bin/env bash
# The main job on a fresh machine: set up .venv, import the reference data
# into the warehouse if it is empty, then profile a place.
#   usage: bash scripts/main.sh [PLACE]      (default: Sheffield)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DATA="${CREATIVE_CLUSTERS_DATA:-$(cd .. && pwd)/shared/data}"
CC=.venv/bin/creative-clusters
if $CC data status --json | grep -q '"id"'; then
  echo "Warehouse already populated; skipping import." >&2
else
  $CC data import "$DATA"
fi
$CC profile "${1:-Sheffield}"
