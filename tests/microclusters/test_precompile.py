"""precompile() leaves machine code for the kernels a regional run uses, in numba's on-disk cache.

Run in fresh processes with an empty ``NUMBA_CACHE_DIR``: in this test
session the kernels may already be compiled (by any earlier test), so
checking them here would pass whatever precompile() did.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: The kernels precompile() is for: the stability draws' (the core test is compiled into them), the
#: threaded DBSCAN kernels a national run uses and the serial ones a regional run uses.
_CHILD = """
import importlib, json
from creative_clusters.microclusters import _resample
from creative_clusters.microclusters.precompile import precompile

precompile(n=600)
dbscan = importlib.import_module("creative_clusters.microclusters.dbscan")  # the package exports a function
kernels = {"_draw_counts": _resample._draw_counts, "_partial_counts": _resample._partial_counts,
           "_neighbour_cells": dbscan._neighbour_cells, "_core_mask": dbscan._core_mask, "_assign": dbscan._assign,
           "serial _neighbour_cells": dbscan._SERIAL[0], "serial _core_mask": dbscan._SERIAL[1],
           "serial _assign": dbscan._SERIAL[2]}
print(json.dumps({name: {"hits": sum(k.stats.cache_hits.values()), "misses": sum(k.stats.cache_misses.values())}
                  for name, k in kernels.items()}))
"""


def _precompile_in_a_fresh_process(cache: Path) -> dict[str, dict[str, int]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    env.update({"NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)})
    p = subprocess.run([sys.executable, "-c", _CHILD], env=env, cwd=ROOT, capture_output=True, text=True,
                       timeout=300, check=False)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_precompile_caches_the_kernels_and_a_new_process_loads_them(tmp_path):
    cache = tmp_path / "numba-cache"
    first = _precompile_in_a_fresh_process(cache)
    # an empty cache: every kernel was compiled by precompile() itself ...
    assert all(s["misses"] >= 1 and s["hits"] == 0 for s in first.values()), first
    # ... and its machine code written to the cache folder
    index = {p.name.split("-")[0] for p in cache.rglob("*.nbi")}
    for name in ("_resample._draw_counts", "_resample._partial_counts", "dbscan._kernels.locals._neighbour_cells",
                 "dbscan._kernels.locals._core_mask", "dbscan._kernels.locals._assign"):
        assert name in index, sorted(index)
    assert any(cache.rglob("*.nbc"))
    # a second fresh process loads every kernel from the cache and compiles none
    second = _precompile_in_a_fresh_process(cache)
    assert all(s["hits"] >= 1 and s["misses"] == 0 for s in second.values()), second
