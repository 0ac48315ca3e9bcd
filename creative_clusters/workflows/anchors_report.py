"""Anchor institutions of a place (the ``anchors`` command): higher-education providers and
museums in it, the nearest outside it, and the nearest anchors to its microclusters.

Only the microclusters inside the place count, and the current microcluster run's coverage
(:func:`creative_clusters.microclusters.runs.current_run`) says what an empty answer means:
"not covered" where the run's firm file does not cover the place, "none" where it does."""

from __future__ import annotations

from typing import Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import WarehouseError
from creative_clusters.people import anchors as anc
from creative_clusters.reporting._national import full_size
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
        hei_ref = wh.find_dataset(kinds.ANCHORS_HEI)  # id and vintage from the catalogue
        hei_id, hei_year = (hei_ref.id, hei_ref.vintage) if hei_ref is not None else (kinds.ANCHORS_HEI, "")
        out["hei"] = {
            "count": figure("Higher-education providers", n, "providers", hei_id, f"c. {hei_year}" if hei_year else "",
                            "point", [f"HE providers list of about {hei_year}; some names out of date"]),
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
        open_ = anc.open_museums(inside)
        mus_ref = wh.find_dataset(kinds.ANCHORS_MUSEUMS)  # id, vintage and licence from the catalogue
        out["museums"] = {
            "open_2021": figure("Museums open in 2021", len(open_), "museums",
                                mus_ref.id if mus_ref is not None else kinds.ANCHORS_MUSEUMS,
                                mus_ref.vintage if mus_ref is not None else "", "point", [anc.MUSEUMS_ATTRIBUTION]),
            "accredited_open_2021": int(open_["accredited"].fillna(False).astype(bool).sum()),
            "per_100k": anc.per_100k(len(open_), pop["value"]) if pop else None,
            "by_governance": anc.museum_breakdown(inside, by="governance_type").to_dict("records"),
            "by_subject": anc.museum_breakdown(inside, by="subject_matter").to_dict("records"),
            "attribution": anc.MUSEUMS_ATTRIBUTION,
            "licence": mus_ref.licence if mus_ref is not None else "",
        }
        li = _local_museums(wh, place, lads23)
        if li is not None:
            out["museums"]["ons_museums_per_100k"] = li
        om = anc.open_museums(wh.table("museums"))
        anchors_bng.append(anc.anchor_points_bng(om, kind="museum", name="museum_name"))
    else:
        out["missing"].append("anchors_museums not imported")
    out["nearest_anchors"] = _nearest_to_microclusters(wh, place, lads23, geom, anchors_bng, k=k)
    if out["nearest_anchors"] is None:
        out["missing"].append("no microclusters in the warehouse: run "
                              "`creative-clusters microclusters FIRMS --out DIR` first")
    elif out["nearest_anchors"].get("coverage") == "unplaced":
        out["missing"].append(out["nearest_anchors"]["note"])
    return out


def _microcluster_lads(mc: pd.DataFrame, geom: Any) -> pd.Series | None:
    """The LAD 2023 code of each microcluster: its ``lad23_code``, else its centroid in the LAD 2023
    polygons (BNG), else None (no way to place it)."""
    if "lad23_code" in mc.columns:
        return mc["lad23_code"].astype("string")
    if not {"centroid_easting", "centroid_northing"} <= set(mc.columns):
        return None
    import geopandas as gpd

    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(mc["centroid_easting"].astype(float),
                                                       mc["centroid_northing"].astype(float)),
                           index=mc.index, crs=27700)
    lads = geom[["geo_code", "geometry"]].to_crs(27700)
    hit = gpd.sjoin(pts, lads, predicate="within", how="left")
    hit = hit[~hit.index.duplicated()]
    return pd.Series(hit["geo_code"], index=hit.index).reindex(mc.index).astype("string")


def _coverage(wh: Warehouse, lads23: list[str]) -> tuple[str, dict[str, Any]]:
    """``(coverage, run)`` of the place under the current microcluster run (``microclusters.runs``):
    ``"covered"`` when its firm file covers any of the place's LADs, ``"not_covered"``, or
    ``"unknown"`` (a warehouse without a run record)."""
    from creative_clusters.microclusters.runs import current_run  # loads numba: only when needed

    run = current_run(wh)
    if run is None:
        return "unknown", {}
    inside = [c for c in lads23 if c in set(run.covered)]
    info = {"run_id": run.run_id, "firm_file": run.firm_file, "scope": run.scope, "synthetic": run.synthetic,
            "covered_lads": inside, "coverage_rule": run.coverage_rule}
    return ("covered" if inside else "not_covered"), info


def _nearest_to_microclusters(wh: Warehouse, place: Any, lads23: list[str], geom: Any,
                              anchors_bng: list[pd.DataFrame], *, k: int) -> dict[str, Any] | None:
    """Nearest anchors to the microclusters **inside the place**, with the current run's coverage.

    Outside the run's coverage the answer is "not covered", never "none" (module notes of
    :mod:`creative_clusters.microclusters.runs`). None without a microclusters table.
    """
    if not wh.has_table("microclusters"):
        return None
    mc = wh.table("microclusters")
    coverage, run = _coverage(wh, lads23)
    base: dict[str, Any] = {"coverage": coverage, **run, "n_microclusters": 0, "rows": [],
                            "unit": "km, straight line (BNG)", "attribution": anc.MUSEUMS_ATTRIBUTION}
    lad = _microcluster_lads(mc, geom)
    if lad is None or not {"microcluster_id", "centroid_easting", "centroid_northing"} <= set(mc.columns):
        return {**base, "coverage": "unplaced",
                "note": "the microclusters table has no LAD code (lad23_code) or centroid columns: its "
                        "microclusters cannot be placed, so no nearest anchors are given"}
    mc, n_small = full_size(mc[lad.isin(set(lads23)).fillna(False).to_numpy(dtype=bool)])  # as the pack counts
    base["n_microclusters"] = len(mc)
    name = place.name
    if coverage == "not_covered":
        note = (f"not covered: the current microcluster run ({run['run_id']}, firm file {run['firm_file']}) "
                f"does not cover {name}, so whether it has creative microclusters is not known")
        if len(mc):
            many = len(mc) != 1
            note += (f"; {len(mc)} microcluster{'s' if many else ''} {'lie' if many else 'lies'} in it all the same "
                     "(firms near its edge)")
    elif len(mc) == 0 and coverage == "covered":
        note = f"none: no creative microcluster was detected in {name}, which the firm file covers"
    elif len(mc) == 0:
        note = (f"none found in the firm data loaded; the warehouse does not record which areas that firm file "
                f"covers, so {name} may simply not be covered")
    else:
        note = f"{len(mc)} microcluster{'s' if len(mc) != 1 else ''} in {name}"
    if coverage == "covered" and len(run["covered_lads"]) < len(lads23):
        note += (f" (the firm file covers {len(run['covered_lads'])} of the {len(lads23)} local authorities of "
                 f"{name})")
    if n_small:
        note += (f"; {n_small} smaller group{'s' if n_small != 1 else ''} below the run's minimum size "
                 "(border firms went to a neighbouring cluster) not counted")
    base["note"] = note
    if len(mc) and anchors_bng:
        mc = mc.rename(columns={"microcluster_id": "cluster_id", "centroid_easting": "easting",
                                "centroid_northing": "northing"})
        near = anc.nearest_anchors(mc, pd.concat(anchors_bng, ignore_index=True), k=k)
        base["rows"] = near.to_dict("records")
    elif len(mc):
        base["note"] += "; no anchors (HE providers, museums) in the warehouse to measure from"
    return base


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
