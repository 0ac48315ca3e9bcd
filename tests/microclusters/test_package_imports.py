"""The microclusters package loads its kernels only when they are used.

Every evidence pack reads the current microcluster run (``microclusters.runs``);
importing the package used to import the DBSCAN kernels and numba with it
(about 0.4 s of each pack's start-up).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


def test_reading_runs_does_not_load_numba() -> None:
    assert _run("""
        import sys
        import creative_clusters.microclusters.runs  # noqa: F401
        print('numba' in sys.modules, 'creative_clusters.microclusters.dbscan' in sys.modules)
    """) == "False False"


def test_the_function_dbscan_shadows_its_module_whichever_is_imported_first() -> None:
    # the submodule first (as the kernels' own users import it), then the package's name
    assert _run("""
        from creative_clusters.microclusters.dbscan import build_grid  # noqa: F401
        import creative_clusters.microclusters as mc
        from creative_clusters.microclusters import dbscan
        print(callable(dbscan), type(dbscan).__name__, mc.dbscan is dbscan)
    """) == "True function True"
    # the package's name first
    assert _run("""
        from creative_clusters.microclusters import GridDBSCAN, dbscan
        import creative_clusters.microclusters.dbscan as m
        print(type(dbscan).__name__, m is dbscan, GridDBSCAN.__name__)
    """) == "function True GridDBSCAN"


def test_the_pipeline_modules_do_not_load_numba() -> None:
    # the CLI's process imports these and hands the clustering to a forked engine child (which loads the
    # kernels itself): numba's import (about 0.2 s) stays out of the parent's start-up
    assert _run("""
        import sys
        import creative_clusters.microclusters.engine, creative_clusters.microclusters.outputs  # noqa: E401,F401
        print('numba' in sys.modules, 'creative_clusters.microclusters.dbscan' in sys.modules)
    """) == "False False"
