"""Area tables for the cluster detectors, read from the warehouse.

Each function reads the warehouse (:class:`creative_clusters.warehouse.Warehouse`)
and returns plain DataFrames a notebook user can keep working with:

- :func:`lad_business_counts` / :func:`lad_business_table`: creative enterprises
  by English LAD × DCMS sub-sector (UK Business Counts, March 2025) over
  all-industry active enterprises (Business Demography 2024) — a
  **mixed-source** LQ, carried with a caveat;
- :func:`nuts2_counts` / :func:`nuts2_employment_table`: BRES employment and
  IDBR local units by NUTS2 over all 525 classes (real denominators);
- :func:`lad_geometry`, :func:`place_centroids`, :func:`build_connectivity`;
- :func:`detect` and :func:`find_corridors`: run a method on a place table.

Agreed dataset contract: ``business_counts_2025`` (measure ``enterprises``,
scheme ``SIC2007``, geo_type ``lad``, vintage 2023), ``business_demography_2024``
(measure ``active_enterprises``, period ``2024``), ``bres_nuts2`` (measure
``employment``), ``idbr_nuts2`` (measure ``local_units``).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.classifications import dcms
from creative_clusters.errors import ParameterError, SchemaError, WarehouseError
from creative_clusters.indicators.lq import aggregate_counts, location_quotient
from creative_clusters.indicators.specialisation import specialisation

__all__ = [
    "ALL",
    "METHODS",
    "active_enterprises",
    "build_connectivity",
    "detect",
    "find_corridors",
    "lad_business_counts",
    "lad_business_table",
    "lad_geometry",
    "nuts2_counts",
    "nuts2_employment_table",
    "place_centroids",
    "subsector_code",
]

#: Industry code for "all creative industries" in the DCMS_CI scheme.
ALL = "_T"
METHODS = ("threshold", "strong", "hotspot")
SUBSECTOR_CODES = tuple(dcms.subsector_short(s) for s in dcms.SUBSECTORS)


def subsector_code(subsector: str | None) -> str:
    """``None``/"all" → ``"_T"``; otherwise the short code of a sub-sector or alias."""
    if subsector is None or str(subsector).lower() in ("all", "_t", "creative", ""):
        return ALL
    return dcms.subsector_short(subsector)


def _need(wh: Any, dataset: str) -> None:
    if not wh.has_dataset(dataset):
        raise WarehouseError(
            f"dataset {dataset!r} is not in the warehouse at {wh.home}; import the reference "
            "data with `creative-clusters data import DIR`."
        )


def lad_business_counts(wh: Any, *, year: int | str = 2025) -> pd.DataFrame:
    """Creative enterprises by LAD × DCMS sub-sector, plus an all-creative row.

    Returns a long table (``geo_code``, ``industry_code`` = sub-sector short
    code or ``_T``, ``value``, ``disclosure_flag``, ``dataset``, ``period``,
    ``geo_vintage``), summed from the SIC classes (counts summed, never ratios).
    """
    dataset = f"business_counts_{year}"
    _need(wh, dataset)
    obs = wh.observations(dataset=dataset, measure="enterprises", industry_scheme="SIC2007",
                          geo_type="lad")
    if obs.empty:
        raise WarehouseError(f"{dataset} has no SIC2007 enterprise rows by LAD.")
    obs = obs[obs["industry_code"].map(dcms.is_creative_sic)]
    cols = ["dataset", "geo_code", "geo_vintage", "industry_code", "period", "value",
            "disclosure_flag"]
    frame = obs[cols].copy()
    mapping = {c: dcms.subsector_short(dcms.subsector_of(c)) for c in frame["industry_code"].unique()}
    by_sub = aggregate_counts(frame, mapping, column="industry_code")
    total = aggregate_counts(frame, {c: ALL for c in mapping}, column="industry_code")
    out = pd.concat([by_sub, total], ignore_index=True)
    out["industry_scheme"] = "DCMS_CI"
    return out.sort_values(["geo_code", "industry_code"]).reset_index(drop=True)


def active_enterprises(wh: Any, *, period: str = "2024") -> pd.DataFrame:
    """All-industry active enterprises by LAD (Business Demography), the LQ denominator."""
    dataset = f"business_demography_{period}"
    _need(wh, dataset)
    obs = wh.observations(dataset=dataset, measure="active_enterprises", period=str(period),
                          geo_type="lad")
    if obs.empty:
        raise WarehouseError(f"{dataset} has no active_enterprises rows by LAD for {period}.")
    return obs[["dataset", "geo_code", "geo_vintage", "period", "value", "disclosure_flag"]].reset_index(drop=True)


def _names(wh: Any, codes: pd.Series) -> pd.Series:
    try:
        areas = wh.table("areas")
        m = dict(zip(areas["geo_code"].astype(str), areas["geo_name"].astype(str), strict=False))
    except WarehouseError:
        m = {}
    return codes.astype(str).map(m).fillna("")


REST = "_REST"  # remainder of England outside every parent area (internal only)
#: Levels LAD counts can be summed to (through the geography layer's lookups).
LAD_LEVELS = ("lad", "cauth", "rgn")
_GEOMETRY_LAYER = {"lad": "lad_2023", "cauth": "cauth_2023", "rgn": "rgn"}


def to_level(wh: Any, frame: pd.DataFrame, level: str, *, vintage: str = "2023") -> pd.DataFrame:
    """Sum LAD counts to combined authorities or regions (counts, never ratios).

    Uses :func:`creative_clusters.geography.lookups.aggregate_counts` with the
    ``lad_hierarchy`` reference table; LADs outside every combined authority are
    left out of ``cauth`` totals.
    """
    if level == "lad":
        return frame
    if level not in LAD_LEVELS:
        raise ParameterError(f"level must be one of {list(LAD_LEVELS)} for business counts. Got {level!r}.")
    from creative_clusters.geography.lookups import aggregate_counts as geo_aggregate

    hier = wh.table("lad_hierarchy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # England-only tables never complete UK-wide parents
        out = geo_aggregate(frame.assign(geo_vintage=vintage), to=level, hierarchy=hier, vintage=vintage)
    return out


def lad_business_lq(wh: Any, *, year: int | str = 2025, denominator_period: str = "2024",
                    min_count: float = 10, level: str = "lad") -> pd.DataFrame:
    """Business LQ of every place × sub-sector (and all creative), mixed-source caveat included.

    ``level`` is ``"lad"`` or a larger area (``"cauth"``, ``"rgn"``) to which the
    LAD counts and denominators are summed first.
    """
    counts = lad_business_counts(wh, year=year)
    den = active_enterprises(wh, period=denominator_period)
    den = den[den["geo_code"].isin(set(counts["geo_code"]))]
    if level != "lad":
        # Parents that do not cover England (combined authorities) get an explicit
        # remainder area, so the reference share stays England's, then it is dropped.
        n_tot = counts.groupby("industry_code")["value"].sum()
        d_tot = den["value"].sum()
        counts = to_level(wh, counts, level)
        den = to_level(wh, den, level)
        rest_c = n_tot - counts.groupby("industry_code")["value"].sum().reindex(n_tot.index).fillna(0)
        rest_d = d_tot - den["value"].sum()
        if rest_d > 0:
            proto = counts.iloc[:1]
            counts = pd.concat([counts, pd.DataFrame({
                **{c: proto[c].iloc[0] for c in counts.columns if c not in ("geo_code", "industry_code", "value")},
                "geo_code": REST, "industry_code": rest_c.index, "value": rest_c.to_numpy()})],
                ignore_index=True)
            den = pd.concat([den, pd.DataFrame({
                **{c: den[c].iloc[0] for c in den.columns if c not in ("geo_code", "value")},
                "geo_code": [REST], "value": [rest_d]})], ignore_index=True)
    parts = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*boundaries but the denominator.*")
        for code, part in counts.groupby("industry_code", sort=True):
            lq = location_quotient(part.drop(columns=["geo_vintage"]), denominator=den,
                                   allow_mixed_sources=True, min_count=min_count)
            parts.append(lq)
    out = pd.concat(parts, ignore_index=True)
    return out[out["geo_code"] != REST].reset_index(drop=True)


def lad_business_table(
    wh: Any, *, year: int | str = 2025, subsector: str | None = None,
    denominator_period: str = "2024", min_count: float = 10, centroids: bool = True,
    level: str = "lad",
) -> pd.DataFrame:
    """One row per English LAD (or CA / region): creative businesses, business LQ, mix, centroid.

    Columns: ``geo_code``, ``geo_name``, ``industry_code`` (the sub-sector
    or ``_T``), ``businesses`` (creative enterprises of that sub-sector),
    ``creative_businesses`` (all creative), ``active_enterprises``,
    ``business_lq`` with ``lq_lower``/``lq_upper``, ``small_count``,
    ``disclosure_flag``, ``caveat``, ``biz_<sub-sector>`` counts, ``hhi``,
    ``shannon_entropy``, ``n_lq_above_1`` and, with ``centroids``, ``x``/``y``
    (British National Grid metres).
    """
    code = subsector_code(subsector)
    lq = lad_business_lq(wh, year=year, denominator_period=denominator_period, min_count=min_count,
                         level=level)
    sel = lq[lq["industry_code"] == code]
    if sel.empty:
        raise SchemaError(
            f"no business counts for sub-sector {subsector!r} ({code}); museums and libraries "
            "(9101/9102) are absent from UK Business Counts 2025."
        )
    table = pd.DataFrame({
        "geo_code": sel["geo_code"].astype(str).to_numpy(),
        "industry_code": code,
        "businesses": sel["value"].to_numpy(dtype=float),
        "active_enterprises": sel["area_total"].to_numpy(dtype=float),
        "business_lq": sel["lq"].to_numpy(dtype=float),
        "lq_lower": sel["lq_lower"].to_numpy(dtype=float),
        "lq_upper": sel["lq_upper"].to_numpy(dtype=float),
        "small_count": sel["small_count"].to_numpy(dtype=bool),
        "disclosure_flag": sel["disclosure_flag"].to_numpy(),
        "caveat": sel["caveat"].to_numpy(),
    })
    allc = lq[lq["industry_code"] == ALL].set_index("geo_code")["value"]
    table["creative_businesses"] = table["geo_code"].map(allc).astype(float)
    subs = lq[lq["industry_code"] != ALL]
    mix = subs.pivot_table(index="geo_code", columns="industry_code", values="value", aggfunc="sum")
    for c in mix.columns:
        table[f"biz_{c}"] = table["geo_code"].map(mix[c]).astype(float)
    spec = specialisation(subs.rename(columns={"lq": "_lq"}), lq="_lq", period=None)
    spec = spec.set_index("geo_code")
    for c in ("hhi", "shannon_entropy", "n_lq_above_1"):
        table[c] = table["geo_code"].map(spec[c])
    table.insert(1, "geo_name", _names(wh, table["geo_code"]).to_numpy())
    if centroids:
        try:
            geom = wh.read_geometry(_GEOMETRY_LAYER[level])
        except WarehouseError:
            geom = None
        if geom is not None or level == "lad":
            cen = place_centroids(wh, level=level, geometry=geom)
            table = table.merge(cen, on="geo_code", how="left")
    return table


def nuts2_counts(wh: Any, *, measure: str = "employment") -> pd.DataFrame:
    """BRES employment (``measure="employment"``) or IDBR local units (``"local_units"``)
    by NUTS2 × SIC class × year, all industries."""
    dataset = {"employment": "bres_nuts2", "local_units": "idbr_nuts2"}.get(measure)
    if dataset is None:
        raise ParameterError(f"measure must be 'employment' or 'local_units'. Got {measure!r} instead.")
    _need(wh, dataset)
    obs = wh.query(
        "SELECT dataset, geo_code, geo_vintage, industry_code, period, value, disclosure_flag "
        "FROM observations WHERE dataset = ? AND measure = ? AND geo_type = 'nuts2' "
        "AND industry_scheme = 'SIC2007'", [dataset, measure])
    if obs.empty:
        raise WarehouseError(f"{dataset} has no {measure} rows by NUTS2.")
    return obs[["dataset", "geo_code", "geo_vintage", "industry_code", "period", "value",
                "disclosure_flag"]].reset_index(drop=True)


def group_classes(counts: pd.DataFrame, subsector: str | None = None, *, by_subsector: bool = False) -> pd.DataFrame:
    """Sum SIC classes into the chosen creative group(s) and an ``other`` remainder."""
    codes = counts["industry_code"].astype(str).unique()
    target = subsector_code(subsector)

    def group(c: str) -> str:
        if not dcms.is_creative_sic(c):
            return "other"
        short = dcms.subsector_short(dcms.subsector_of(c))
        if by_subsector:
            return short
        return "creative" if target in (ALL, short) else "other"

    return aggregate_counts(counts, {c: group(c) for c in codes}, column="industry_code")


def nuts2_employment_table(wh: Any, *, year: int | str = 2018, subsector: str | None = None,
                           min_count: float = 10) -> pd.DataFrame:
    """One row per NUTS2 region for ``year``: creative employment and local units with LQs.

    Columns: ``geo_code``, ``geo_name``, ``industry_code``, ``employment``,
    ``employment_total``, ``employment_lq`` (+ interval), ``establishments``
    (IDBR local units; NaN for 2015, which IDBR does not cover),
    ``establishments_total``, ``business_lq``, ``disclosure_flag``.
    """
    year = str(year)
    code = subsector_code(subsector)
    emp = nuts2_counts(wh, measure="employment")
    years = sorted(emp["period"].unique())
    if year not in years:
        raise SchemaError(f"BRES NUTS2 has years {years}; {year} is not among them.")
    e = group_classes(emp[emp["period"] == year], subsector)
    lq = location_quotient(e.drop(columns=["geo_vintage"]), min_count=min_count)
    lq = lq[lq["industry_code"] == "creative"].set_index("geo_code")
    table = pd.DataFrame({"geo_code": lq.index.astype(str)})
    table["industry_code"] = code
    table["employment"] = lq["value"].to_numpy(dtype=float)
    table["employment_total"] = lq["area_total"].to_numpy(dtype=float)
    table["employment_lq"] = lq["lq"].to_numpy(dtype=float)
    table["lq_lower"] = lq["lq_lower"].to_numpy(dtype=float)
    table["lq_upper"] = lq["lq_upper"].to_numpy(dtype=float)
    table["small_count"] = lq["small_count"].to_numpy(dtype=bool)
    table["disclosure_flag"] = lq["disclosure_flag"].to_numpy()
    table["establishments"] = np.nan
    table["establishments_total"] = np.nan
    table["business_lq"] = np.nan
    if wh.has_dataset("idbr_nuts2"):
        units = nuts2_counts(wh, measure="local_units")
        if year in set(units["period"]):
            u = group_classes(units[units["period"] == year], subsector)
            ulq = location_quotient(u.drop(columns=["geo_vintage"]), min_count=min_count)
            ulq = ulq[ulq["industry_code"] == "creative"].set_index("geo_code")
            table["establishments"] = table["geo_code"].map(ulq["value"]).astype(float)
            table["establishments_total"] = table["geo_code"].map(ulq["area_total"]).astype(float)
            table["business_lq"] = table["geo_code"].map(ulq["lq"]).astype(float)
    table.insert(1, "geo_name", _names(wh, table["geo_code"]).to_numpy())
    table["period"] = year
    return table


# ---------------------------------------------------------------- geometry
def lad_geometry(wh: Any, *, vintage: str = "2023") -> Any:
    """LAD polygons (GeoDataFrame, EPSG:4326) of one boundary vintage."""
    return wh.read_geometry(f"lad_{vintage}")


def level_geometry(wh: Any, level: str) -> Any:
    """Polygons of a business-count level (``lad`` 2023, ``cauth`` 2023, ``rgn``)."""
    if level not in _GEOMETRY_LAYER:
        raise ParameterError(f"no boundaries for level {level!r}; levels with boundaries: {list(_GEOMETRY_LAYER)}.")
    return wh.read_geometry(_GEOMETRY_LAYER[level])


def place_centroids(wh: Any, *, level: str = "lad", vintage: str = "2023",
                    geometry: Any = None) -> pd.DataFrame:
    """``geo_code``, ``x``, ``y``: centroids in British National Grid metres.

    Taken from the boundary polygons (projected to EPSG:27700; pass ``geometry``
    if it is already read) so the codes match
    the boundary vintage; LADs missing there fall back to the ``lad_centroids``
    reference table (LAD 2022 centroids).
    """
    frames = []
    try:
        if geometry is not None:
            g = geometry
        else:
            g = wh.read_geometry(f"{level}_{vintage}") if level in ("lad", "cauth") else wh.read_geometry(level)
        pts = g.to_crs(27700).geometry.representative_point()
        frames.append(pd.DataFrame({"geo_code": g["geo_code"].astype(str).to_numpy(),
                                    "x": pts.x.to_numpy(), "y": pts.y.to_numpy()}))
    except WarehouseError:
        pass
    if level == "lad" and wh.has_table("lad_centroids"):
        t = wh.table("lad_centroids")
        cols = {c.lower(): c for c in t.columns}
        code = cols.get("lad22_code") or cols.get("lad22cd") or cols.get("geo_code")
        e = cols.get("bng_e") or cols.get("x")
        n = cols.get("bng_n") or cols.get("y")
        if code and e and n:
            frames.append(pd.DataFrame({"geo_code": t[code].astype(str), "x": t[e].astype(float),
                                        "y": t[n].astype(float)}))
    if not frames:
        raise WarehouseError(
            f"no centroids for {level!r}: import the geography datasets "
            "(`creative-clusters data import DIR`)."
        )
    return pd.concat(frames, ignore_index=True).drop_duplicates("geo_code").reset_index(drop=True)


def build_connectivity(gdf: Any, *, kind: str = "queen", k: int = 6, ids: str = "geo_code") -> Any:
    """Spatial weights on ``gdf`` ids: ``"queen"`` contiguity or ``"knn"`` (k nearest centroids)."""
    from libpysal import weights

    if kind == "queen":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return weights.Queen.from_dataframe(gdf, ids=gdf[ids].astype(str).tolist(),
                                                use_index=False, silence_warnings=True)
    if kind == "knn":
        pts = gdf.to_crs(27700).geometry.representative_point() if gdf.crs else gdf.geometry
        coords = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
        return weights.KNN(coords, k=k, ids=gdf[ids].astype(str).tolist())
    raise ParameterError(f"weights kind must be 'queen' or 'knn'. Got {kind!r} instead.")


def knn_from_xy(table: pd.DataFrame, *, k: int = 6, geo: str = "geo_code") -> Any:
    """kNN weights from ``x``/``y`` columns (no polygons needed, e.g. for NUTS2)."""
    from libpysal import weights

    ok = table[["x", "y"]].notna().all(axis=1)
    return weights.KNN(table.loc[ok, ["x", "y"]].to_numpy(dtype=float), k=k,
                       ids=table.loc[ok, geo].astype(str).tolist())


# ---------------------------------------------------------------- detection
def detect(
    table: pd.DataFrame, *, method: str = "threshold", connectivity: Any = None,
    lq: str = "business_lq", size: str = "businesses", seed: int = 0,
    permutations: int = 999, min_size: float = 0.0, **params: Any,
) -> tuple[pd.DataFrame, Any]:
    """Run one detector on a place table; return the table with labels and the detector.

    ``method``: ``"threshold"`` (Nesta co-location; uses ``employment_lq`` and
    ``business_lq`` when both exist), ``"strong"`` (US Cluster Mapping) or
    ``"hotspot"`` (Gi*/LISA; needs ``connectivity``). The result adds a
    boolean ``cluster`` column and a ``method`` stamp.
    """
    from creative_clusters.clusters import HotspotClusters, StrongClusters, ThresholdClusters

    out = table.copy()
    if method == "threshold":
        emp = "employment_lq" if "employment_lq" in out.columns and out["employment_lq"].notna().any() else None
        bus = "business_lq" if "business_lq" in out.columns and out["business_lq"].notna().any() else None
        if emp is None and bus is None:
            bus = lq
        det = ThresholdClusters(employment_lq=emp, business_lq=bus, size=size, min_size=min_size, **params)
        out["cluster"] = det.fit_predict(out)
        stamp = f"threshold(LQ>={det.min_lq}, {det.rule}, {size}>={min_size:g}; methods.md §1)"
    elif method == "strong":
        emp = "employment" if "employment" in out.columns else None
        est = "establishments" if "establishments" in out.columns and out["establishments"].notna().any() else (
            "businesses" if "businesses" in out.columns else None)
        det = StrongClusters(lq=lq, employment=emp, establishments=est, **params)
        out["cluster"] = det.fit_predict(out)
        stamp = "strong(LQ top quartile & >=1; sizes above bottom quartile; methods.md §13)"
    elif method == "hotspot":
        if connectivity is None:
            raise ParameterError("method 'hotspot' needs connectivity (spatial weights).")
        det = HotspotClusters(connectivity, value=lq, seed=seed, permutations=permutations, **params)
        det.fit(out)
        out = pd.concat([out, det.results_], axis=1)
        out["cluster"] = det.is_cluster_
        out["hotspot"] = det.labels_
        stamp = f"hotspot(Gi*+LISA on {lq}, {permutations} permutations, seed {seed}, FDR {det.alpha})"
    else:
        raise ParameterError(f"method must be one of {list(METHODS)}. Got {method!r} instead.")
    out["method"] = stamp
    return out, det


def find_corridors(
    places: pd.DataFrame, *, mass: str = "businesses", max_distance: float = 20_000.0,
    min_size: float = 0.0, connectivity: Any = None, **params: Any,
) -> tuple[pd.DataFrame, Any]:
    """Corridors among the places flagged ``cluster`` (see :class:`~creative_clusters.clusters.Corridors`)."""
    from creative_clusters.clusters import Corridors

    mix = [c for c in places.columns if c.startswith("biz_")]
    sums = [c for c in ("businesses", "creative_businesses", "employment") if c in places.columns]
    det = Corridors(mass=mass, mix=mix or None, sums=sums, max_distance=max_distance,
                    min_size=min_size, connectivity=connectivity, **params)
    det.fit(places)
    if len(det.corridors_):
        det.corridors_["dominant_subsectors"] = det.corridors_["dominant_subsectors"].str.replace(
            "biz_", "", regex=False)
    out = places.copy()
    out["corridor"] = det.labels_
    return out, det


# ---------------------------------------------------------------- place tables
SOURCES = {
    "lad": "ONS UK Business Counts (March 2025) over ONS Business Demography active enterprises (2024)",
    "cauth": "ONS UK Business Counts (March 2025) over ONS Business Demography active enterprises (2024), "
             "LAD counts summed to combined authorities",
    "rgn": "ONS UK Business Counts (March 2025) over ONS Business Demography active enterprises (2024), "
           "LAD counts summed to regions",
    "nuts2": "ONS BRES employment and IDBR local units by NUTS2 via Nomis (Nesta beis-indicators extract)",
}


def place_table(
    wh: Any, *, level: str = "lad", measure: str = "businesses", subsector: str | None = None,
    year: int | str | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The place table for a level/measure, and what its columns mean.

    Returns ``(table, meta)`` where ``meta`` has ``lq`` (LQ column), ``size``
    (size column), ``source`` (source line) and ``level``.
    """
    if level in LAD_LEVELS:
        if measure not in ("businesses", "enterprises"):
            raise ParameterError(
                f"measure {measure!r} is not available by LAD: the reference data has no BRES "
                "employment by LAD (a known gap). Use --measure businesses, or --level nuts2 "
                "for employment."
            )
        table = lad_business_table(wh, year=year or 2025, subsector=subsector, level=level)
        meta = {"lq": "business_lq", "size": "businesses", "level": level,
                "measure": "businesses", "source": SOURCES["lad"]}
    elif level == "nuts2":
        if measure not in ("employment", "businesses", "local_units"):
            raise ParameterError(f"measure must be 'employment' or 'businesses' at NUTS2. Got {measure!r}.")
        table = nuts2_employment_table(wh, year=year or 2018, subsector=subsector)
        if measure == "employment":
            meta = {"lq": "employment_lq", "size": "employment"}
        else:
            meta = {"lq": "business_lq", "size": "establishments"}
        meta.update({"level": "nuts2", "measure": measure, "source": SOURCES["nuts2"]})
    else:
        raise ParameterError(f"level must be one of {[*LAD_LEVELS, 'nuts2']}. Got {level!r} instead.")
    return table, meta


def run_method(
    wh: Any, table: pd.DataFrame, meta: dict[str, str], *, method: str = "threshold",
    min_size: float = 0.0, seed: int = 0, permutations: int = 999, weights: str = "queen",
    **params: Any,
) -> tuple[pd.DataFrame, Any]:
    """Run ``method`` on a :func:`place_table` result (building weights for hotspots)."""
    connectivity = None
    if method == "hotspot":
        if meta["level"] == "nuts2":
            raise ParameterError(
                "hotspot detection needs boundaries or centroids; the warehouse has none for "
                "NUTS2 (2013). Use --method threshold or strong at NUTS2, or --level lad."
            )
        gdf = level_geometry(wh, meta["level"])
        gdf = gdf[gdf["geo_code"].isin(set(table["geo_code"]))].reset_index(drop=True)
        connectivity = build_connectivity(gdf, kind=weights)
        table = table[table["geo_code"].isin(set(gdf["geo_code"]))]
    return detect(table, method=method, connectivity=connectivity, lq=meta["lq"],
                  size=meta["size"], seed=seed, permutations=permutations, min_size=min_size,
                  **params)
