#!/usr/bin/env bash
# The main job on a fresh machine: set up .venv, import the reference data into
# the warehouse if it is empty, detect creative microclusters from the
# Companies House firms in the bundle (once), print the place's profile, then
# build its bid-ready evidence pack (HTML, PDF, Word, Excel) in ./out/evidence.
#   usage: bash scripts/main.sh [PLACE]      (default: Sheffield)
set -euo pipefail
cd "$(dirname "$0")/.."
PLACE="${1:-Sheffield}"
bash scripts/setup.sh
DATA="${CREATIVE_CLUSTERS_DATA:-$(cd .. && pwd)/shared/data}"
# the commands below read the bundle too (microclusters checks SIC codes against its SIC 2007 list)
export CREATIVE_CLUSTERS_DATA="$DATA"
CC=.venv/bin/creative-clusters
# no warehouse yet (a fresh machine): `data status` says so and fails; the import below makes one
STATUS="$($CC data status --json 2>/dev/null || true)"
if echo "$STATUS" | grep -q '"id"'; then
  echo "Warehouse already populated; skipping import." >&2
else
  $CC data import "$DATA"
  STATUS="$($CC data status --json)"
fi
FIRMS="$DATA/firms/companieshouse_southyorkshire_2024-11-01.csv.gz"
if ! echo "$STATUS" | grep -q '"id": "microclusters"' && [ -f "$FIRMS" ]; then
  $CC microclusters "$FIRMS" --out out/microclusters
fi
$CC profile "$PLACE"
$CC evidence "$PLACE" --format html,pdf,docx,xlsx --out out/evidence
