"""FDI location quotient by English region from a user's list of projects (the ``fdi`` command)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import WarehouseError
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._people_figures import (
    dataset_id,
    has_kind,
)

__all__ = [
    "fdi_report",
]


def fdi_report(wh: Warehouse, path: str | Path, *, weight: str | None = None) -> dict[str, Any]:
    """FDI location quotient by English region from a user's project list.

    Destinations may be regions or anything inside one region (a LAD, a combined
    authority); the base is creative enterprises by region (``business_counts_2025``,
    England only). Projects that cannot be placed in an English region are kept in
    ``projects`` and counted in ``report`` (``outside_base``), never dropped.
    """
    from creative_clusters.people.fdi import fdi_lq, parse_fdi_projects, read_fdi_projects
    from creative_clusters.workflows.places import place_book, resolve_place

    if not has_kind(wh, kinds.CREATIVE_ENTERPRISES_SIC):
        raise WarehouseError(f"the FDI LQ base needs creative enterprises by LAD (dataset kind "
                             f"{kinds.CREATIVE_ENTERPRISES_SIC}); import it with `data import`.")
    areas = place_book(wh).areas
    hier = wh.table("lad_hierarchy")
    lad_rgn = dict(zip(hier["lad_code"].astype(str), hier["rgn_code"].astype(str), strict=False))

    def _resolve(q: str) -> tuple[str, str]:
        p = resolve_place(wh, q)
        if p.geo_type == "rgn":
            return p.code, "rgn"
        rg = {lad_rgn.get(c, "") for c in (p.members or (p.code,))}
        if len(rg) == 1 and next(iter(rg)):
            return next(iter(rg)), "rgn"
        return p.code, p.geo_type

    projects, report = parse_fdi_projects(read_fdi_projects(path), resolve=_resolve)
    ce = wh.observations(dataset=dataset_id(wh, kinds.CREATIVE_ENTERPRISES_SIC), measure="enterprises",
                         industry_scheme="DCMS_CI", industry_code="_T")
    period = str(ce["period"].max()) if len(ce) else ""
    ce = ce[ce["period"] == period] if len(ce) else ce
    ce = ce.assign(geo_code=ce["geo_code"].map(lad_rgn))
    base = ce.dropna(subset=["geo_code"]).groupby("geo_code", as_index=False)["value"].sum()
    outside = projects["valid"] & ~projects["geo_code"].isin(set(base["geo_code"]))
    projects.loc[outside, "issue"] = (
        "outside_base: not in an English region (the creative base, counts by SIC class, covers England)"
    )
    projects.loc[outside, "valid"] = False
    report["outside_base"] = int(outside.sum())
    report["valid"] = int(projects["valid"].sum())
    report["set_aside"] = int((~projects["valid"]).sum())
    lq = fdi_lq(projects, base, weight=weight) if report["valid"] else pd.DataFrame()
    names = dict(zip(areas["geo_code"], areas["geo_name"], strict=False))
    if not lq.empty:
        lq.insert(1, "geo_name", lq["geo_code"].map(names))
    return {"lq": lq.round(4).to_dict("records"), "report": report,
            "set_aside_rows": projects[~projects["valid"]].replace({np.nan: None}).to_dict("records"),
            "base": f"creative enterprises by English region (UK Business Counts, March {period}, rounded to 5)",
            "weight": weight or "projects", "basis": "register",
            "caveats": ["FDI LQ = region's share of projects / region's share of creative enterprises "
                        "(docs/methods.md §7)", "England only: the base is creative enterprises by English "
                        "region from the counts by SIC class, which cover England; Scotland, Wales and Northern "
                        "Ireland have creative totals in the annual series only, not used here"]}
