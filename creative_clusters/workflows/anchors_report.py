"""Anchor institutions of a place (the ``anchors`` command): higher-education providers and
museums in it, the nearest outside it, and the nearest anchors to its microclusters."""

from __future__ import annotations

from typing import Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import WarehouseError
from creative_clusters.people import anchors as anc
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._people_figures import (
    RESIDENCE,
    dataset_id,
    figure,
    has_kind,
    members_on,
    no_lads,
    place_dict,
)
from creative_clusters.workflows.place_geometry import GEOMETRY_LAYERS

__all__ = [
    "anchors_report",
]


def anchors_report(wh: Warehouse, place: Any, *, k: int = 3) -> dict[str, Any]:
    """HE providers and museums in the place, per 100k people, and nearest anchors to microclusters."""
    lads23 = members_on(wh, place, int(kinds.LAD_VINTAGE))
    out: dict[str, Any] = {"place": place_dict(place, lads23), "missing": [] if lads23 else [no_lads(place)]}
    try:
        geom = wh.read_geometry(GEOMETRY_LAYERS["lad"])
    except WarehouseError:
        out["missing"].append(f"LAD {kinds.LAD_VINTAGE} boundaries not imported (geometry layer "
                              f"{GEOMETRY_LAYERS['lad']})")
        return out
    pop = _population(wh, lads23)
    out["population"] = pop
    anchors_bng = []
    if wh.has_table("hei"):
        h = anc.assign_lad(wh.table("hei"), geom)
        inside = h[h["lad_code"].isin(lads23)]
        n = len(inside)
        out["hei"] = {
            "count": figure("Higher-education providers", n, "providers", "anchors_hei", "c. 2015", "point",
                          ["HE providers list of about 2015; some names out of date"]),
            "creative_specialists": int(inside["creative_specialist"].fillna(False).astype(bool).sum()),
            "per_100k": anc.per_100k(n, pop["value"]) if pop else None,
            "names": sorted(inside["view_name"].astype(str))[:30],
            "unplaced_uk_total": h.attrs.get("unplaced", 0),
        }
        anchors_bng.append(anc.anchor_points_bng(wh.table("hei"), kind="hei", name="view_name"))
    else:
        out["missing"].append("anchors_hei not imported")
    if wh.has_table("museums"):
        m = anc.assign_lad(wh.table("museums"), geom)
        inside = m[m["lad_code"].isin(lads23)]
        open_ = inside[inside["open_2021"].fillna(False).astype(bool)]
        out["museums"] = {
            "open_2021": figure("Museums open in 2021", len(open_), "museums", "anchors_museums", "1960-2021",
                              "point", [anc.MUSEUMS_ATTRIBUTION]),
            "accredited_open_2021": int(open_["accredited"].fillna(False).astype(bool).sum()),
            "per_100k": anc.per_100k(len(open_), pop["value"]) if pop else None,
            "by_governance": anc.museum_breakdown(inside, by="governance_type").to_dict("records"),
            "by_subject": anc.museum_breakdown(inside, by="subject_matter").to_dict("records"),
            "attribution": anc.MUSEUMS_ATTRIBUTION,
            "licence": "CC BY 4.0",
        }
        li = _local_museums(wh, place, lads23)
        if li is not None:
            out["museums"]["ons_museums_per_100k"] = li
        om = wh.table("museums")
        om = om[om["open_2021"].fillna(False).astype(bool)]
        anchors_bng.append(anc.anchor_points_bng(om, kind="museum", name="museum_name"))
    else:
        out["missing"].append("anchors_museums not imported")
    if wh.has_table("microclusters") and anchors_bng:
        mc = wh.table("microclusters")
        if {"microcluster_id", "centroid_easting", "centroid_northing"} <= set(mc.columns):
            mc = mc.rename(columns={"microcluster_id": "cluster_id", "centroid_easting": "easting",
                                    "centroid_northing": "northing"})
            near = anc.nearest_anchors(mc, pd.concat(anchors_bng, ignore_index=True), k=k)
            out["nearest_anchors"] = {"rows": near.to_dict("records"), "unit": "km, straight line (BNG)",
                                      "attribution": anc.MUSEUMS_ATTRIBUTION}
    else:
        out["nearest_anchors"] = None
        out["missing"].append("no microclusters in the warehouse: run `creative-clusters microclusters` first")
    return out


def _population(wh: Warehouse, lads23: list[str]) -> dict[str, Any] | None:
    if not has_kind(wh, kinds.CENSUS_GM_WORKFORCE):
        return None
    p = wh.observations(dataset=dataset_id(wh, kinds.CENSUS_GM_WORKFORCE), measure="usual_residents", status="_T")
    p = p[p["geo_code"].isin(lads23)]
    if p.empty or p["geo_code"].nunique() != len(lads23):
        return None
    return figure("Usual residents", float(p["value"].sum()), "persons", dataset_id(wh, kinds.CENSUS_GM_WORKFORCE),
                "2021-03-21", RESIDENCE, ["population is in the bundle for the 10 Greater Manchester LADs only"])


def _local_museums(wh: Warehouse, place: Any, lads23: list[str]) -> dict[str, Any] | None:
    if not has_kind(wh, kinds.LOCAL_INDICATORS):
        return None
    li = wh.observations(dataset=dataset_id(wh, kinds.LOCAL_INDICATORS), measure="museums_per_100k",
                         geo_code=place.code)
    if li.empty:
        return None
    r = li.iloc[0]
    return figure("Museums per 100,000 people (ONS Explore Local Statistics)", r["value"], "per 100k",
                dataset_id(wh, kinds.LOCAL_INDICATORS), str(r["period"]), "point", ["ONS series, for comparison"],
                str(r["disclosure_flag"]))
