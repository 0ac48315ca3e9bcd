#!/usr/bin/env bash
# Create .venv (if missing), install the package with every extra at the tested
# versions (constraints.txt), and install the web map's front-end package
# (MapLibre GL JS) from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# constraints.txt pins every third-party package to the versions the suite passed with.
.venv/bin/python -m pip install --quiet -e ".[dev]" -c constraints.txt
# System libraries: Pango and HarfBuzz's font subsetter for PDF rendering (WeasyPrint), a font, and npm for the
# web map's front-end package. Installed with apt when running as root on Debian.
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  NEED=""
  for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
    dpkg -s "$pkg" >/dev/null 2>&1 || NEED="$NEED $pkg"
  done
  command -v npm >/dev/null 2>&1 || NEED="$NEED npm"
  if [ -n "$NEED" ]; then
    echo "installing Debian packages:$NEED" >&2
    (apt-get update -qq >/dev/null 2>&1 || true)
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $NEED >/dev/null 2>&1 || \
      echo "warning: could not install$NEED; PDF output or the web map may not work" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  if [ ! -f creative_clusters/web/frontend/node_modules/maplibre-gl/dist/maplibre-gl.js ]; then
    (cd creative_clusters/web/frontend && npm install --no-audit --no-fund --loglevel=error)
  fi
else
  echo "warning: npm not found; the web map page needs MapLibre GL JS (apt-get install npm)" >&2
fi
# Compile the package's Python bytecode (__pycache__, ignored by git): an editable install does not, and where
# PYTHONDONTWRITEBYTECODE is set (CI and sandbox containers) every run of the command line would compile again
# the ~100 modules an evidence pack imports (0.2 s of each pack). A module edited later is compiled as before.
.venv/bin/python -m compileall -q creative_clusters >/dev/null || \
  echo "warning: the package's bytecode was not compiled; each run compiles the modules it imports" >&2
# Compile the microcluster kernels ahead of time into numba's on-disk cache (10-20 s once;
# a later setup finds them cached), so a fresh install's first microclusters run does not pay it.
.venv/bin/python -c "from creative_clusters.microclusters.precompile import precompile; precompile()" || \
  echo "warning: the microcluster kernels were not compiled ahead; the first run will compile them" >&2
