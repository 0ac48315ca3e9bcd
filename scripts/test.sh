#!/usr/bin/env bash
# The whole test suite, on a fresh machine: set up .venv, then run pytest.
# Reference data is read from $CREATIVE_CLUSTERS_DATA or ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CREATIVE_CLUSTERS_DATA="${CREATIVE_CLUSTERS_DATA:-$(cd .. && pwd)/shared/data}"
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
