"""One row per microcluster: size, sub-sector mix, place, hull (vectorised over clusters).

Every per-cluster statistic is computed for all clusters at once (bincounts
over the cluster labels, one ``value_counts`` per categorical column), so the
cost grows with the number of firms, not with firms × clusters.

Examples
--------
>>> import numpy as np, pandas as pd
>>> firms = pd.DataFrame({"easting": [0.0, 10, 20, 500], "northing": [0.0, 10, 0, 500],
...                       "subsector": ["design", "design", "music_arts", "design"],
...                       "is_core": [True, True, True, False]})
>>> mc = describe_clusters(firms, np.array([0, 0, 0, -1]), min_firms=3)
>>> mc[["microcluster_id", "n_firms", "dominant_subsector", "dominant_share"]].values.tolist()
[['MC0001', 3, 'design', 0.6667]]
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.microclusters.hubs import hub_weights
from creative_clusters.microclusters.hulls import DEFAULT_HULL_RATIO, boundaries

__all__ = ["CRS", "DESCRIBE_COLUMNS", "LARGE_AREA_KM2", "FirmCodes", "cluster_ids", "describe_clusters",
           "firm_codes", "size_distribution"]

CRS = "EPSG:27700"

DESCRIBE_COLUMNS = [
    "microcluster_id", "n_firms", "n_firms_hub_weighted", "hub_firm_share", "n_core", "meets_min_firms",
    "dominant_subsector", "dominant_share",
    "subsector_mix", "subsector_hhi", "centroid_easting", "centroid_northing", "hull_type",
    "area_km2", "density_per_km2", "lad_code", "postcode_districts", "top_postcode",
    "top_postcode_share", "stability",
]


#: Sub-sector values that name no sub-sector (a firm with none); never the dominant one.
_MISSING = frozenset({"", "nan", "<NA>", "None"})

#: Microclusters with a hull wider than this many km² are counted by :func:`size_distribution`.
LARGE_AREA_KM2 = 10.0


def cluster_ids(n: int, prefix: str = "MC") -> np.ndarray:
    """``["MC0001", "MC0002", ...]`` for ``n`` clusters."""
    return np.array([f"{prefix}{k + 1:04d}" for k in range(n)], dtype=object)


def _top_by_codes(lab: np.ndarray, codes: np.ndarray, uniq: np.ndarray, top: int = 1) -> pd.DataFrame:
    """Per label, its ``top`` commonest values with counts (ties: first seen); values as codes into ``uniq``.

    ``codes`` of -1 (missing) are left out. Returns columns ``label``,
    ``value``, ``count``, sorted by label, then count (descending), then the
    row where the pair first occurs. Vectorised and without sorting the
    rows: the (label, value) pairs are hashed once (``pd.factorize`` numbers them in the order they first
    occur, which is the tie-break), counted with ``np.bincount``, and only
    the distinct pairs are sorted.

    Examples
    --------
    >>> _top_by_codes(np.array([0, 0, 1]), np.array([1, -1, 0]), np.array(["x", "y"], dtype=object)).values.tolist()
    [[0, 'y', 1], [1, 'x', 1]]
    >>> ab = np.array(["a", "b"], dtype=object)
    >>> _top_by_codes(np.array([0, 0, 0, 0]), np.array([1, 0, 0, 1]), ab).values.tolist()  # a tie: first seen
    [[0, 'b', 2]]
    """
    ok = codes >= 0
    lb = np.asarray(lab)[ok].astype(np.int64)
    if len(lb) == 0:
        return pd.DataFrame(columns=["label", "value", "count"])
    nv = len(uniq)
    seen, pairs = pd.factorize(lb * nv + codes[ok])
    count = np.bincount(seen)
    pl, pv = pairs // nv, pairs % nv
    o = np.lexsort((np.arange(len(pairs)), -count, pl))
    pl, pv, count = pl[o], pv[o], count[o]
    new = np.r_[True, pl[1:] != pl[:-1]]
    rank = np.arange(len(pl)) - np.maximum.accumulate(np.where(new, np.arange(len(pl)), 0))
    keep = rank < top
    return pd.DataFrame({"label": pl[keep], "value": uniq[pv[keep]], "count": count[keep]})


def _by_label(top: pd.DataFrame, k: int, column: str, default: Any) -> np.ndarray:
    """Column ``column`` of a :func:`_top_by_codes` (top=1) table as an array over labels 0..k-1."""
    out = np.full(k, default, dtype=object if column == "value" else float)
    out[top["label"].to_numpy(np.int64)] = top[column].to_numpy()
    return out


def _outward(postcodes: np.ndarray) -> np.ndarray:
    """The part of each postcode before its first space (the whole text if none), as objects."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(np.asarray(postcodes, dtype=object), type=pa.string())
    return pc.list_element(pc.split_pattern(arr, " ", max_splits=1), 0).to_numpy(zero_copy_only=False)


@dataclass
class FirmCodes:
    """What :func:`describe_clusters` needs of the firms whatever their labels (:func:`firm_codes`).

    ``columns`` maps a text column to ``(codes, values)`` over every firm
    (``pd.factorize``: values in the order first seen); ``outward`` is the
    postcode district of each distinct postcode (codes into ``districts``).
    """

    columns: dict[str, tuple[np.ndarray, np.ndarray]]
    outward: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.intp))
    districts: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))


def firm_codes(firms: pd.DataFrame) -> FirmCodes:
    """The label-independent part of :func:`describe_clusters`: its text columns factorised once.

    Computed while the clustering runs in another process
    (:func:`~.outputs.detect_microclusters`), so the description after it
    has less to do; the result is the same as when it is computed there.
    It also imports geopandas, which the description returns.

    Examples
    --------
    >>> fc = firm_codes(pd.DataFrame({"subsector": ["a", "b", "a"], "postcode": ["S1 1AA", "S1 2BB", "S2 1AA"]}))
    >>> fc.columns["subsector"][0].tolist(), fc.outward.tolist(), fc.districts.tolist()
    ([0, 1, 0], [0, 0, 1], ['S1', 'S2'])
    """
    import geopandas  # noqa: F401  (the description's result; imported here while the clustering runs)

    cols: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for column, kw in (("subsector", {}), ("subsectors", {"use_na_sentinel": False}), ("lad_code", {}),
                       ("postcode", {})):
        if column in firms:
            codes, uniq = pd.factorize(firms[column], **kw)
            cols[column] = codes, np.asarray(uniq, dtype=object)
    if "postcode" not in cols:
        return FirmCodes(cols)
    d_of_pc, d_uniq = pd.factorize(_outward(cols["postcode"][1]))
    return FirmCodes(cols, d_of_pc, np.asarray(d_uniq, dtype=object))


def describe_clusters(
    firms: pd.DataFrame,
    labels: np.ndarray,
    *,
    ids: np.ndarray | None = None,
    stability: np.ndarray | None = None,
    hull_ratio: float = DEFAULT_HULL_RATIO,
    min_firms: int = 50,
    prepared: FirmCodes | None = None,
    between: Callable[[], None] | None = None,
    weights: np.ndarray | None = None,
) -> Any:
    """One row per cluster label (GeoDataFrame, EPSG:27700, geometry = boundary polygon).

    Columns (:data:`DESCRIBE_COLUMNS`): ``microcluster_id`` ("MC0001", numbered
    as the labels), ``n_firms`` (every firm given the cluster, hub firms
    re-attached after the clustering included), ``n_firms_hub_weighted``
    (the same firms, each counting its hub weight, :func:`~.hubs.hub_weights`:
    a hub counts as at most ``--hub-cap`` firms, as in the clustering; the
    size to rank and compare by), ``hub_firm_share`` (share of ``n_firms``
    at a hub postcode), ``n_core``, ``meets_min_firms``
    (``n_firms_hub_weighted >= min_firms``: DBSCAN can leave a cluster
    smaller when border firms within reach of two clusters go to the other
    one), ``subsector_mix`` (JSON shares of the hub-weighted sub-sector
    assignments: each firm counts its weight once for every creative
    sub-sector its SIC codes fall in), ``dominant_subsector`` and
    ``dominant_share`` (the largest entry of ``subsector_mix`` and its share;
    ties: alphabetical), ``subsector_hhi`` (of ``subsector_mix``),
    ``centroid_easting``/``_northing`` (mean of firm points),
    ``hull_type``, ``area_km2``, ``density_per_km2`` (``n_firms`` per km² of
    the hull), ``lad_code`` (modal LAD code of the firms, as the firm file or
    directory gives it), ``postcode_districts`` (three commonest),
    ``top_postcode`` and ``top_postcode_share`` (of ``n_firms``),
    ``stability``.

    ``weights`` (one per firm) replaces the hub weights read from the firms'
    ``hub_role`` column (all 1 without one).

    A high ``top_postcode_share`` flags a formation agent's or accountant's
    address (registered offices are not trading sites), not a place where
    creative firms work side by side.

    ``prepared`` is :func:`firm_codes` of ``firms`` when the caller has it
    already (computed here otherwise). ``between`` (no arguments) is called
    now and then while the hulls are taken (:func:`~.hulls.boundaries`).
    """
    import geopandas as gpd
    import shapely

    labels = np.asarray(labels, dtype=np.int64)
    k = int(labels.max()) + 1 if labels.size else 0
    ids = cluster_ids(k) if ids is None else np.asarray(ids, dtype=object)
    stab = np.full(k, np.nan) if stability is None else np.asarray(stability, float)
    sel = labels >= 0
    lab = labels[sel]
    # positions of the clustered firms; columns are read through them (no copy of the clustered rows:
    # their text columns are 1 GB+ nationally), text columns as codes factorised over all rows
    pos = np.flatnonzero(sel)

    fc = firm_codes(firms) if prepared is None else prepared

    def coded(column: str) -> tuple[np.ndarray, np.ndarray]:
        all_codes, uniq = fc.columns[column]
        return all_codes[pos], uniq

    X = np.column_stack([firms["easting"].to_numpy(float)[pos], firms["northing"].to_numpy(float)[pos]])
    n = np.bincount(lab, minlength=k)
    w = (hub_weights(firms) if weights is None else np.asarray(weights, float))[pos]
    n_w = np.bincount(lab, weights=w, minlength=k)
    at_hub = (firms["is_hub"].to_numpy(bool)[pos] if "is_hub" in firms
              else (firms["hub_role"].astype("string").fillna("").to_numpy(object)[pos] != "") if "hub_role" in firms
              else np.zeros(len(pos), dtype=bool))
    n_hub = np.bincount(lab, weights=at_hub.astype(float), minlength=k)
    n_core = (np.bincount(lab, weights=firms["is_core"].to_numpy(float)[pos], minlength=k)
              if "is_core" in firms else np.zeros(k))
    with np.errstate(invalid="ignore", divide="ignore"):
        cx = np.bincount(lab, weights=X[:, 0], minlength=k) / n
        cy = np.bincount(lab, weights=X[:, 1], minlength=k) / n

    # all sub-sectors (";"-joined), hub-weighted → mix, HHI and the dominant one
    if "subsectors" in firms:
        codes, uniq = coded("subsectors")
    else:  # the first sub-sector is all there is (missing ones as a value, as for "subsectors")
        codes, uniq = pd.factorize(firms["subsector"], use_na_sentinel=False)
        codes, uniq = codes[pos], np.asarray(uniq, dtype=object)
    parts = [str(u).split(";") for u in uniq]
    names = sorted({p for ps in parts for p in ps})
    col = {nm: i for i, nm in enumerate(names)}
    member = np.zeros((len(uniq), len(names)))
    for i, ps in enumerate(parts):
        for p in ps:
            member[i, col[p]] += 1
    per = np.bincount(lab * len(uniq) + codes, weights=w, minlength=k * len(uniq)).reshape(k, len(uniq))
    mix = per @ member
    tot = mix.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.round(mix / tot, 4)
    lad_val = (_by_label(_top_by_codes(lab, *coded("lad_code")), k, "value", None) if "lad_code" in firms
               else np.full(k, None, dtype=object))
    pc_val, pc_cnt = np.full(k, "", dtype=object), np.full(k, np.nan)
    districts = np.full(k, "", dtype=object)
    if "postcode" in firms:
        codes_pc, uniq_pc = coded("postcode")  # once, for the postcodes and their districts
        top_pc = _top_by_codes(lab, codes_pc, uniq_pc)
        pc_val, pc_cnt = _by_label(top_pc, k, "value", ""), _by_label(top_pc, k, "count", np.nan)
        dist = _top_by_codes(lab, np.r_[fc.outward, -1][codes_pc], fc.districts, top=3)
        joined = dist.groupby("label")["value"].agg(";".join)
        districts[joined.index.to_numpy(np.int64)] = joined.to_numpy(object)

    if between is not None:
        between()
    polys, kinds = boundaries(X, lab, hull_ratio, k, between=between)
    areas = shapely.area(polys) / 1e6 if k else np.empty(0)
    rows = []
    for c in range(k):
        area_km2 = float(areas[c])
        nz = np.flatnonzero(mix[c] > 0)
        nz = nz[np.argsort(-mix[c, nz], kind="stable")]
        named = [i for i in nz if names[i] not in _MISSING]
        rows.append({
            "microcluster_id": ids[c],
            "n_firms": int(n[c]),
            "n_firms_hub_weighted": round(float(n_w[c]), 2),
            "hub_firm_share": round(float(n_hub[c] / n[c]), 4) if n[c] else np.nan,
            "n_core": int(n_core[c]),
            "meets_min_firms": bool(n_w[c] >= min_firms - 1e-9),
            "dominant_subsector": names[named[0]] if named else "",
            "dominant_share": float(share[c, named[0]]) if named else np.nan,
            "subsector_mix": json.dumps({names[i]: float(share[c, i]) for i in nz}),
            "subsector_hhi": round(float((share[c] ** 2).sum()), 4),
            "centroid_easting": round(float(cx[c]), 1),
            "centroid_northing": round(float(cy[c]), 1),
            "hull_type": kinds[c],
            "area_km2": round(area_km2, 4),
            "density_per_km2": round(n[c] / area_km2, 1) if area_km2 > 0 else np.nan,
            "lad_code": lad_val[c],
            "postcode_districts": districts[c],
            "top_postcode": pc_val[c],
            "top_postcode_share": round(float(pc_cnt[c] / n[c]), 4) if n[c] else np.nan,
            "stability": float(stab[c]) if len(stab) > c else np.nan,
        })
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=DESCRIBE_COLUMNS), geometry=list(polys), crs=CRS)


def size_distribution(mc: pd.DataFrame, /) -> dict[str, float | int]:
    """How big the microclusters are: firms and hull area (median, 90th percentile, largest).

    Parameters
    ----------
    mc : DataFrame
        One row per microcluster with ``n_firms`` and ``area_km2`` (as
        :func:`describe_clusters` returns).

    Returns
    -------
    dict
        ``n_microclusters``; ``firms_median``, ``firms_p90``, ``firms_max``;
        ``area_km2_median``, ``area_km2_p90``, ``area_km2_max``; and
        ``n_over_10_km2`` (hulls over :data:`LARGE_AREA_KM2` km²); where the
        table has ``extent_km2`` (the convex hull of the firms, the measure of
        ``microcluster_methods.csv``'s ``over_10_km2``), ``n_extent_over_10_km2``
        too; where it has ``meets_min_firms``, ``n_meeting_min_firms`` (the
        microclusters a run counts: those whose hub-weighted size reaches
        ``--min-firms``). Percentiles
        interpolate linearly (pandas' default). With no microclusters only
        ``n_microclusters`` (0) and ``n_over_10_km2`` (0) are present.

    Raises
    ------
    SchemaError
        If ``n_firms`` or ``area_km2`` is missing.

    Examples
    --------
    >>> mc = pd.DataFrame({"n_firms": [50, 60, 70, 200], "area_km2": [0.5, 1.0, 2.0, 12.0]})
    >>> d = size_distribution(mc)
    >>> d["firms_median"], round(d["firms_p90"], 6), d["firms_max"]  # p90: 70 + 0.7 × (200 - 70)
    (65.0, 161.0, 200)
    >>> d["area_km2_median"], round(d["area_km2_p90"], 6), d["area_km2_max"], d["n_over_10_km2"]
    (1.5, 9.0, 12.0, 1)
    >>> size_distribution(mc.assign(extent_km2=[0.9, 1.5, 11.0, 14.0]))["n_extent_over_10_km2"]
    2
    >>> size_distribution(mc.assign(meets_min_firms=[True, True, False, True]))["n_meeting_min_firms"]
    3
    >>> size_distribution(mc.iloc[:0])
    {'n_microclusters': 0, 'n_over_10_km2': 0}
    """
    missing = [c for c in ("n_firms", "area_km2") if c not in mc.columns]
    if missing:
        from creative_clusters.errors import SchemaError

        raise SchemaError(f"size_distribution needs columns n_firms and area_km2; missing {missing}; "
                          f"got {list(mc.columns)}")
    if len(mc) == 0:
        return {"n_microclusters": 0, "n_over_10_km2": 0}
    f = mc["n_firms"].astype(float)
    a = mc["area_km2"].astype(float)
    return {
        "n_microclusters": len(mc),
        "firms_median": float(f.median()),
        "firms_p90": float(f.quantile(0.9)),
        "firms_max": int(mc["n_firms"].max()),
        "area_km2_median": float(a.median()),
        "area_km2_p90": float(a.quantile(0.9)),
        "area_km2_max": float(a.max()),
        "n_over_10_km2": int((a > LARGE_AREA_KM2).sum()),
        **({"n_extent_over_10_km2": int((mc["extent_km2"].astype(float) > LARGE_AREA_KM2).sum())}
           if "extent_km2" in mc.columns else {}),
        **({"n_meeting_min_firms": int(mc["meets_min_firms"].astype("boolean").fillna(False).astype(bool).sum())}
           if "meets_min_firms" in mc.columns else {}),
    }
