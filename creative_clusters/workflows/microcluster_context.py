"""Microclusters in their area context: is each inside an area-level cluster?

Creative PEC found about a third of its microclusters outside the area-level
clusters (docs/methods.md §3). This module marks each microcluster with whether
its containing LAD (2023) is a creative cluster under the Nesta-style
threshold rule on business LQs (:class:`~creative_clusters.clusters.ThresholdClusters`,
via :func:`creative_clusters.workflows.detection.place_table`/``run_method``).
"""

from __future__ import annotations

import pandas as pd

from creative_clusters import kinds
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._notes import with_notes

__all__ = ["mark_area_clusters"]


def mark_area_clusters(microclusters: pd.DataFrame, wh: Warehouse) -> tuple[pd.DataFrame, str]:
    """Add ``in_area_cluster`` (True/False/NA) and ``area_cluster_method``.

    NA where the LAD is unknown or outside the business-count coverage
    (England). Returns the new table and a note.
    """
    from creative_clusters.workflows.detection import place_table, run_method

    out = microclusters.copy()
    if "lad23_code" not in out.columns or wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SIC) is None:
        out["in_area_cluster"] = pd.NA
        out["area_cluster_method"] = ""
        return out, "in_area_cluster empty: needs lad23_code and creative business counts by LAD"
    (table, meta), notes = with_notes(place_table, wh, level="lad", statistics=False)
    (res, _), more = with_notes(run_method, wh, table, meta, method="threshold")
    notes = list(dict.fromkeys([*notes, *more]))
    flags = dict(zip(res["geo_code"].astype(str), res["cluster"].astype(bool), strict=True))
    out["in_area_cluster"] = out["lad23_code"].map(lambda c: flags.get(str(c), pd.NA)).astype("boolean")
    method = str(res["method"].iloc[0])
    out["area_cluster_method"] = method
    inside = out["in_area_cluster"].fillna(False).astype(bool)
    # counted over the microclusters of the run's headline (those meeting the firm floor), as every count is
    meets = out["meets_min_firms"].fillna(False).astype(bool) if "meets_min_firms" in out.columns else \
        pd.Series(True, index=out.index)
    n_in, n = int((inside & meets).sum()), int(meets.sum())
    note = f"{n_in} of {n} microclusters lie in a LAD that is an area-level cluster ({method})"
    small = int((~meets).sum())
    if small:
        note += (f" (of the {small} smaller group{'s' if small != 1 else ''} below the firm floor, "
                 f"{int((inside & ~meets).sum())})")
    return out, "; ".join([note, *notes])
