"""precompile() leaves machine code for the kernels a regional run uses."""

from __future__ import annotations

import importlib

from creative_clusters.microclusters import _resample
from creative_clusters.microclusters.precompile import precompile


def test_precompile_compiles_the_regional_kernels() -> None:
    precompile(n=600)
    # the stability draws' kernels (the core test is compiled into them): from the cache or now
    assert _resample._draw_counts.signatures
    assert _resample._partial_counts.signatures
    # and the threaded DBSCAN kernels a national run (>= PARALLEL_MIN_POINTS firms) uses
    dbscan = importlib.import_module("creative_clusters.microclusters.dbscan")  # the package exports a function
    for kernel in (dbscan._neighbour_cells, dbscan._core_mask, dbscan._assign):
        assert kernel.signatures, kernel
