"""Parameter sweep: how the number of microclusters depends on eps and minimum size.

``sweep.csv`` counts as ``microcluster_methods.csv`` does
(:func:`~.methods.compare_methods`): ``firms_total`` is every firm of the
run (located), ``firms_clustered`` the firms given a microcluster (hub firms
left out of the clustering by ``--hubs downweight`` take their hub's
cluster, as in ``microclusters.csv``'s ``n_firms``), ``share_clustered`` =
``firms_clustered / firms_total`` (4 decimals) and ``largest`` the largest
microcluster's ``n_firms``.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = np.r_[rng.normal(0, 100, (100, 2)), rng.normal(5000, 100, (60, 2))]
>>> t = parameter_sweep(X, eps_values=[300], min_values=[50, 80])
>>> t[["eps", "min_firms", "n_microclusters"]].values.tolist()
[[300.0, 50.0, 2.0], [300.0, 80.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_EPS_VALUES", "DEFAULT_MIN_VALUES", "parameter_sweep"]

#: docs/methods.md §3 asks for the sensitivity of the count to these eps values.
DEFAULT_EPS_VALUES = (500.0, 750.0, 1000.0, 1500.0)
DEFAULT_MIN_VALUES = (20, 30, 50, 100)


def parameter_sweep(
    X: np.ndarray,
    *,
    eps_values: Sequence[float] = DEFAULT_EPS_VALUES,
    min_values: Sequence[int] = DEFAULT_MIN_VALUES,
    use: np.ndarray | None = None,
    rep: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per (eps, min_firms): number of microclusters, firms clustered (module notes), all firms,
    the share clustered and the largest microcluster's size.

    ``X`` holds every firm's point; ``use``/``rep`` apply a hub policy
    (:func:`~.hubs.clustering_rows`): only the ``use`` rows are clustered and
    the others take their ``rep`` row's cluster. :func:`sweep_firm_stability`
    gives, per firm, the share of the same settings in which it is clustered.
    """
    from creative_clusters.microclusters.dbscan import dbscan
    from creative_clusters.microclusters.methods import spread_values

    X = np.asarray(X, dtype=float)
    if use is None or rep is None:
        use, rep = np.ones(len(X), dtype=bool), np.arange(len(X))
    rows = []
    for e in eps_values:
        for m in min_values:
            lab, _ = dbscan(X[use], e, m)
            n_cl = int(lab.max()) + 1 if lab.size else 0
            full = spread_values(lab, use, rep, fill=-1).astype(np.int64)
            sizes = np.bincount(full[full >= 0]) if n_cl else np.array([0])
            rows.append(
                {
                    "eps": float(e),
                    "min_firms": int(m),
                    "n_microclusters": n_cl,
                    "firms_clustered": int((full >= 0).sum()),
                    "firms_total": len(X),
                    "share_clustered": round(float((full >= 0).mean()), 4) if len(X) else np.nan,
                    "largest": int(sizes.max()),
                }
            )
    return pd.DataFrame(rows)


def sweep_firm_stability(
    X: np.ndarray,
    *,
    eps_values: Sequence[float] = DEFAULT_EPS_VALUES,
    min_values: Sequence[int] = DEFAULT_MIN_VALUES,
) -> np.ndarray:
    """Per firm, the share of (eps, min_firms) settings in which it is clustered."""
    from creative_clusters.microclusters.dbscan import dbscan

    hits = np.zeros(len(X))
    for e in eps_values:
        for m in min_values:
            hits += dbscan(X, e, m)[0] >= 0
    return hits / (len(eps_values) * len(min_values))
