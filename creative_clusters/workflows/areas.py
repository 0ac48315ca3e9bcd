"""Area tables for the cluster detectors, read from the warehouse.

Each function reads the warehouse (:class:`creative_clusters.warehouse.Warehouse`)
and returns plain DataFrames a notebook user can keep working with:

- :func:`lad_business_counts` / :func:`lad_business_table`: creative enterprises
  by LAD × DCMS sub-sector (UK Business Counts, the latest year in the
  catalogue unless asked) over all-industry active enterprises (Business
  Demography, the latest year not after it) — a **mixed-source** LQ, carried
  with a caveat;
- :func:`nuts2_counts` / :func:`nuts2_employment_table`: BRES employment and
  IDBR local units by NUTS2 over all 525 classes (real denominators);
- :func:`ttwa_note`: 2011 TTWAs built from whole LADs (level ``"ttwa"``, LAD-approximated) by the
  majority rule of :func:`creative_clusters.geography.membership.lad_ttwa_assignment`;
- :func:`resolve_min_size`: the threshold rule's default size floor (``"q25"``);
- :func:`read_travel_time`: a travel-time CSV for corridors;
- :func:`lad_geometry`, :func:`place_centroids`, :func:`build_connectivity`;
- :func:`detect` and :func:`find_corridors`: run a method on a place table.

Datasets come from the catalogue by kind (:mod:`creative_clusters.kinds`):
``creative_enterprises_sic`` (measure ``enterprises``, scheme ``SIC2007``,
geo_type ``lad``), ``business_demography`` (measure ``active_enterprises``),
``employment_nuts2`` and ``local_units_nuts2``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.classifications import dcms
from creative_clusters.errors import ParameterError, SchemaError, WarehouseError
from creative_clusters.geography.membership import lad_ttwa_assignment, ttwa_lsoa_coverage, ttwa_members
from creative_clusters.indicators.lq import aggregate_counts, location_quotient
from creative_clusters.indicators.specialisation import specialisation

if TYPE_CHECKING:
    from creative_clusters.warehouse import Warehouse

__all__ = [
    "ALL",
    "DEFAULT_MIN_SIZE",
    "METHODS",
    "active_enterprises",
    "build_connectivity",
    "detect",
    "find_corridors",
    "lad_business_counts",
    "lad_business_table",
    "lad_geometry",
    "lad_ttwa_assignment",
    "nuts2_counts",
    "nuts2_employment_table",
    "place_centroids",
    "read_travel_time",
    "resolve_min_size",
    "subsector_code",
    "subsector_note",
    "ttwa_caveat",
    "ttwa_lsoa_coverage",
    "ttwa_members",
    "ttwa_note",
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


#: Aliases that name a whole DCMS sub-sector (no note needed).
_WHOLE_GROUP_ALIASES = frozenset({"it", "it software", "film tv", "music arts", "craft", "crafts",
                                  "architecture", "design", "advertising", "publishing", "museums"})


def subsector_note(subsector: str | None) -> str:
    """A one-line note when an everyday alias stands for a broader DCMS sub-sector, else ``""``.

    DCMS counts whole sub-sectors: ``games`` has no SIC class of its own, so it
    means all of "IT, software and computer services".

    Examples
    --------
    >>> subsector_note("games")[:40]
    "Note: 'games' is counted as the whole DC"
    >>> subsector_note("it"), subsector_note(None)
    ('', '')
    """
    if subsector is None or subsector_code(subsector) == ALL:
        return ""
    name = dcms.resolve_subsector(subsector)

    def norm(t: str) -> str:
        return " ".join("".join(ch if ch.isalnum() else " " for ch in t.lower()).split())

    whole = {norm(name), norm(dcms.subsector_short(name)), *_WHOLE_GROUP_ALIASES}
    if norm(str(subsector)) in whole:
        return ""
    classes = ", ".join(dcms.DCMS_CI_SIC2007[name])
    return (f"Note: {subsector!r} is counted as the whole DCMS sub-sector {name!r} "
            f"(SIC {classes}), not {subsector} alone.")


def lad_business_counts(wh: Warehouse, *, year: int | str | None = None) -> pd.DataFrame:
    """Creative enterprises by LAD × DCMS sub-sector, plus an all-creative row.

    The dataset is the latest of kind ``creative_enterprises_sic`` in the
    catalogue that covers ``year`` (the latest period by default). Returns a
    long table (``geo_code``, ``industry_code`` = sub-sector short code or
    ``_T``, ``value``, ``disclosure_flag``, ``dataset``, ``period``,
    ``geo_vintage``), summed from the SIC classes (counts summed, never ratios).
    """
    ref = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC, period=year, measure="enterprises")
    period = str(year) if year is not None else wh.latest_period(ref.id, measure="enterprises")
    obs = wh.observations(dataset=ref.id, measure="enterprises", industry_scheme="SIC2007",
                          geo_type="lad", period=period)
    if obs.empty:
        raise WarehouseError(f"{ref.id} has no SIC2007 enterprise rows by LAD for {period}.")
    obs = obs[obs["industry_code"].map(dcms.is_creative_sic)]
    cols = ["dataset", "geo_code", "geo_vintage", "industry_code", "period", "value",
            "disclosure_flag"]
    frame = obs[cols].copy()
    mapping = {c: dcms.subsector_short(dcms.subsector_of(c)) for c in frame["industry_code"].unique()}
    by_sub = aggregate_counts(frame, mapping, column="industry_code")
    total = aggregate_counts(frame, dict.fromkeys(mapping, ALL), column="industry_code")
    out = pd.concat([by_sub, total], ignore_index=True)
    out["industry_scheme"] = "DCMS_CI"
    return out.sort_values(["geo_code", "industry_code"]).reset_index(drop=True)


def active_enterprises(wh: Warehouse, *, period: str | int | None = None) -> pd.DataFrame:
    """All-industry active enterprises by LAD (Business Demography), the LQ denominator.

    The latest dataset of kind ``business_demography`` covering ``period`` (the
    latest period by default).
    """
    ref = wh.require_dataset(kinds.ACTIVE_ENTERPRISES, period=period, measure="active_enterprises")
    p = str(period) if period is not None else wh.latest_period(ref.id, measure="active_enterprises")
    obs = wh.observations(dataset=ref.id, measure="active_enterprises", period=p, geo_type="lad")
    if obs.empty:
        raise WarehouseError(f"{ref.id} has no active_enterprises rows by LAD for {p}.")
    return obs[["dataset", "geo_code", "geo_vintage", "period", "value", "disclosure_flag"]].reset_index(drop=True)


def denominator_period_for(wh: Warehouse, period: str) -> str:
    """The latest Business Demography period not after ``period`` (the counts' year)."""
    ref = wh.require_dataset(kinds.ACTIVE_ENTERPRISES)
    periods = [p for p in wh.periods(ref.id, measure="active_enterprises") if p <= str(period)]
    if not periods:
        raise WarehouseError(f"no active-enterprise denominator for {period} or earlier in {ref.id}; "
                             f"it covers {', '.join(wh.periods(ref.id, measure='active_enterprises'))}.")
    return periods[-1]


def _names(wh: Any, codes: pd.Series) -> pd.Series:
    try:
        areas = wh.table("areas")
        m = dict(zip(areas["geo_code"].astype(str), areas["geo_name"].astype(str), strict=False))
    except WarehouseError:
        m = {}
    return codes.astype(str).map(m).fillna("")


REST = "_REST"  # remainder of England outside every parent area (internal only)
#: Levels LAD counts can be summed to (through the geography layer's lookups).
LAD_LEVELS = ("lad", "cauth", "rgn", "ttwa")
_GEOMETRY_LAYER = {"lad": f"lad_{kinds.LAD_VINTAGE}", "cauth": f"cauth_{kinds.LAD_VINTAGE}", "rgn": "rgn",
                   "ttwa": "ttwa_2011"}


# ---------------------------------------------------------------- TTWAs from LADs
def ttwa_caveat(coverage: float) -> str:
    """The plain-words caveat carried by every TTWA figure."""
    return (f"TTWA figures are LAD-approximated: each LAD is assigned wholly to the 2011 TTWA holding "
            f"most of its LSOAs ({coverage:.1%} of England's LSOAs fall in their LAD's assigned TTWA), "
            "and counts (never ratios) are summed.")


def ttwa_note(wh: Warehouse, *, year: int | str | None = None) -> str:
    """The TTWA caveat with the national LSOA coverage measured on the warehouse's LADs."""
    lads = lad_business_counts(wh, year=year)["geo_code"].astype(str).unique()
    return ttwa_caveat(ttwa_lsoa_coverage(_ttwa_assignment_for(wh, lads)))


def _ttwa_assignment_for(wh: Any, lad_codes: Any) -> pd.DataFrame:
    if not wh.has_table("lad_ttwa_overlap"):
        raise WarehouseError("level 'ttwa' needs the ref table 'lad_ttwa_overlap'; import the geography "
                             "data with `creative-clusters data import DIR`.")
    cc = wh.table("code_changes") if wh.has_table("code_changes") else None
    return lad_ttwa_assignment(wh.table("lad_ttwa_overlap"), code_changes=cc, lad_codes=lad_codes)


def to_level(wh: Warehouse, frame: pd.DataFrame, level: str, *, vintage: str = kinds.LAD_VINTAGE) -> pd.DataFrame:
    """Sum LAD counts to combined authorities or regions (counts, never ratios).

    Uses :func:`creative_clusters.geography.lookups.roll_up` with the
    ``lad_hierarchy`` reference table; LADs outside every combined authority are
    left out of ``cauth`` totals.
    """
    if level == "lad":
        return frame
    if level == "ttwa":
        assign = _ttwa_assignment_for(wh, frame["geo_code"].astype(str).unique())
        mapping = dict(zip(assign["lad_code"], assign["ttwa11_code"], strict=True))
        kept = frame[frame["geo_code"].astype(str).isin(mapping)]
        out = aggregate_counts(kept.drop(columns=["geo_vintage"], errors="ignore"), mapping)
        return out.assign(geo_vintage="2011")
    if level not in LAD_LEVELS:
        raise ParameterError(f"level must be one of {list(LAD_LEVELS)} for business counts. Got {level!r}.")
    from creative_clusters.geography.lookups import roll_up

    hier = wh.table("lad_hierarchy")
    return roll_up(frame.assign(geo_vintage=vintage), to=level, hierarchy=hier, vintage=vintage)


def lad_business_lq(wh: Warehouse, *, year: int | str | None = None, denominator_period: str | None = None,
                    min_count: float = 10, level: str = "lad") -> pd.DataFrame:
    """Business LQ of every place × sub-sector (and all creative), mixed-source caveat included.

    ``level`` is ``"lad"`` or a larger area (``"cauth"``, ``"rgn"``) to which the
    LAD counts and denominators are summed first.
    """
    counts = lad_business_counts(wh, year=year)
    period = str(counts["period"].iloc[0])
    den = active_enterprises(wh, period=denominator_period or denominator_period_for(wh, period))
    den = den[den["geo_code"].isin(set(counts["geo_code"]))]
    if set(counts["geo_code"]) <= set(den["geo_code"]):
        # every numerator code is in the denominator, so the two agree on these areas' boundaries
        den = den.assign(geo_vintage=counts["geo_vintage"].iloc[0])
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
    for _code, part in counts.groupby("industry_code", sort=True):
        lq = location_quotient(part.drop(columns=["geo_vintage"]), denominator=den,
                               allow_mixed_sources=True, min_count=min_count)
        parts.append(lq)
    out = pd.concat(parts, ignore_index=True)
    return out[out["geo_code"] != REST].reset_index(drop=True)


def lad_business_table(
    wh: Warehouse, *, year: int | str | None = None, subsector: str | None = None,
    denominator_period: str | None = None, min_count: float = 10, centroids: bool = True,
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
            "(9101/9102) are absent from the published UK Business Counts table."
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
    geom = None
    if centroids or level == "ttwa":
        try:
            geom = wh.read_geometry(_GEOMETRY_LAYER[level])
        except WarehouseError:
            geom = None
    if level == "ttwa":
        lads = lad_business_counts(wh, year=year)["geo_code"].astype(str).unique()
        assign = _ttwa_assignment_for(wh, lads)
        note = ttwa_caveat(ttwa_lsoa_coverage(assign))
        table["caveat"] = [f"{c}; {note}" if c else note for c in table["caveat"].fillna("")]
        table["n_lads"] = table["geo_code"].map(assign.groupby("ttwa11_code").size()).astype("Int64")
        if geom is not None:
            gn = dict(zip(geom["geo_code"].astype(str), geom["geo_name"].astype(str), strict=False))
            table["geo_name"] = [n or gn.get(c, "") for c, n in zip(table["geo_code"], table["geo_name"],
                                                                    strict=True)]
    if centroids and (geom is not None or level == "lad"):
        cen = place_centroids(wh, level=level, geometry=geom)
        table = table.merge(cen, on="geo_code", how="left")
    return table


def nuts2_counts(wh: Warehouse, *, measure: str = "employment") -> pd.DataFrame:
    """BRES employment (``measure="employment"``) or IDBR local units (``"local_units"``)
    by NUTS2 × SIC class × year, all industries."""
    kind = {"employment": kinds.EMPLOYMENT_NUTS2, "local_units": kinds.LOCAL_UNITS_NUTS2}.get(measure)
    if kind is None:
        raise ParameterError(f"measure must be 'employment' or 'local_units'. Got {measure!r} instead.")
    dataset = wh.require_dataset(kind).id
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


def nuts2_employment_table(wh: Warehouse, *, year: int | str | None = None, subsector: str | None = None,
                           min_count: float = 10) -> pd.DataFrame:
    """One row per NUTS2 region for ``year``: creative employment and local units with LQs.

    Columns: ``geo_code``, ``geo_name``, ``industry_code``, ``employment``,
    ``employment_total``, ``employment_lq`` (+ interval), ``establishments``
    (IDBR local units; NaN for 2015, which IDBR does not cover),
    ``establishments_total``, ``business_lq``, ``disclosure_flag``.
    """
    code = subsector_code(subsector)
    emp = nuts2_counts(wh, measure="employment")
    years = sorted(emp["period"].unique())
    year = str(year) if year is not None else years[-1]
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
    if wh.find_dataset(kinds.LOCAL_UNITS_NUTS2) is not None:
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
def lad_geometry(wh: Warehouse, *, vintage: str = kinds.LAD_VINTAGE) -> Any:
    """LAD polygons (GeoDataFrame, EPSG:4326) of one boundary vintage."""
    return wh.read_geometry(f"lad_{vintage}")


def level_geometry(wh: Any, level: str) -> Any:
    """Polygons of a business-count level (``lad`` 2023, ``cauth`` 2023, ``rgn``)."""
    if level not in _GEOMETRY_LAYER:
        raise ParameterError(f"no boundaries for level {level!r}; levels with boundaries: {list(_GEOMETRY_LAYER)}.")
    return wh.read_geometry(_GEOMETRY_LAYER[level])


def place_centroids(wh: Warehouse, *, level: str = "lad", vintage: str = kinds.LAD_VINTAGE,
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
        # islands are reported by the detectors (HotspotClusters.islands_), not warned here
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
    det: ThresholdClusters | StrongClusters | HotspotClusters
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
        hot = HotspotClusters(connectivity, value=lq, seed=seed, permutations=permutations, **params)
        hot.fit(out)
        out = pd.concat([out, hot.results_], axis=1)
        out["cluster"] = hot.is_cluster_
        out["hotspot"] = hot.labels_
        stamp = f"hotspot(Gi*+LISA on {lq}, {permutations} permutations, seed {seed}, FDR {hot.alpha})"
        det = hot
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


def read_travel_time(path: Any, places: Any) -> pd.DataFrame:
    """Read a travel-time CSV into the square matrix :class:`~creative_clusters.clusters.Corridors` takes.

    The file is long: one row per pair with columns ``origin``, ``destination``
    (place codes of the level being analysed, e.g. LAD 2023 codes) and
    ``minutes`` (a number >= 0; empty = not reachable). Extra columns are
    ignored. Pairs not listed are treated as unreachable; each listed pair
    counts both ways (the shorter time wins).

    Parameters
    ----------
    path : path-like
        The CSV file.
    places : iterable of str
        The place codes of the table (every origin/destination must be one).

    Returns
    -------
    DataFrame
        Minutes, indexed and columned by place code (NaN = no time given).

    Raises
    ------
    ImportFormatError
        Naming the file, row and column of a missing column, a non-numeric or
        negative time, an unknown place code or a repeated pair.
    """
    from pathlib import Path

    from creative_clusters.errors import ImportFormatError
    from creative_clusters.sources._base import read_csv_strict, to_numeric_strict

    path = Path(path)
    raw = read_csv_strict(path, required=["origin", "destination", "minutes"])
    file = str(path)
    codes = pd.Index(pd.Series(list(places), dtype=str).unique())
    known = set(codes)
    for col in ("origin", "destination"):
        vals = raw[col].fillna("").astype(str).str.strip()
        bad = ~vals.isin(known)
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise ImportFormatError(
                f"{vals.iloc[pos]!r} is not a place code of this table ({len(known)} places, e.g. "
                f"{', '.join(sorted(known)[:3])}); use codes of the same level and boundary vintage",
                file=file, row=pos + 2, column=col)
        raw[col] = vals
    minutes = to_numeric_strict(raw["minutes"], file=file, column="minutes", allow_missing=True)
    neg = minutes < 0
    if neg.any():
        pos = int(np.flatnonzero(neg.to_numpy())[0])
        raise ImportFormatError(f"travel time must be >= 0 minutes; found {minutes.iloc[pos]:g}",
                                file=file, row=pos + 2, column="minutes")
    dup = raw.duplicated(["origin", "destination"])
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise ImportFormatError(f"pair {raw['origin'].iloc[pos]} -> {raw['destination'].iloc[pos]} "
                                "is listed twice; give one time per pair", file=file, row=pos + 2,
                                column="origin")
    long = pd.DataFrame({"o": raw["origin"], "d": raw["destination"], "m": minutes})
    both = pd.concat([long, long.rename(columns={"o": "d", "d": "o"})], ignore_index=True)
    mat = both.groupby(["o", "d"])["m"].min().unstack()
    mat = mat.reindex(index=codes, columns=codes)
    mat.index.name = mat.columns.name = None
    return mat


# ---------------------------------------------------------------- place tables
_LEVEL_NOTE = {
    "lad": "",
    "cauth": ", LAD counts summed to combined authorities",
    "rgn": ", LAD counts summed to regions",
    "ttwa": ", LAD counts summed to 2011 TTWAs (best-fit, approximate)",
}


def business_source_line(wh: Warehouse, *, year: int | str | None = None, level: str = "lad") -> str:
    """The source line of business-count tables, from the catalogue (datasets, vintages, periods)."""
    num = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC, period=year, measure="enterprises")
    period = str(year) if year is not None else wh.latest_period(num.id, measure="enterprises")
    den_period = denominator_period_for(wh, period)
    den = wh.require_dataset(kinds.ACTIVE_ENTERPRISES, period=den_period, measure="active_enterprises")
    pub = num.publisher.split(" (")[0] if num.publisher else "ONS"
    return (f"{pub}: {num.title or num.id} ({period}) over {den.title or den.id} "
            f"({den_period}){_LEVEL_NOTE.get(level, '')}")


def nuts2_source_line(wh: Warehouse) -> str:
    """The source line of the NUTS2 employment tables, from the catalogue."""
    ref = wh.require_dataset(kinds.EMPLOYMENT_NUTS2)
    return f"{ref.title or ref.id} ({ref.publisher}, {ref.vintage})"


#: Measures each level has (the LQ of the measure is always computed with it).
MEASURES_BY_LEVEL: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(LAD_LEVELS, ("businesses",)),
    "nuts2": ("employment", "businesses", "local_units"),
}


def _valid_measures_text() -> str:
    groups: dict[tuple[str, ...], list[str]] = {}
    for lv, ms in MEASURES_BY_LEVEL.items():
        groups.setdefault(ms, []).append(lv)
    return "; ".join(f"{'/'.join(lvs)}: {', '.join(ms)}" for ms, lvs in groups.items())


#: Default size floor of the threshold rule: the bottom quartile of the places' size.
DEFAULT_MIN_SIZE = "q25"


def resolve_min_size(table: pd.DataFrame, size: str, min_size: float | str | None = DEFAULT_MIN_SIZE) -> float:
    """The threshold rule's size floor as a number.

    ``None`` or ``"q25"`` (the default) means the **25th percentile of the
    size column across the places being tested** (same level, sub-sector and
    year), i.e. "above the bottom quartile" — the size rule of the US Cluster
    Mapping Project (Delgado, Porter & Stern 2016; methods.md §13). Nesta's own
    floor (2016) was never published (methods.md §1: "s_min to be
    calibrated"), and a fixed number cannot serve every sub-sector and level:
    on the reference data the bottom quartile of English LADs is 276 creative
    enterprises for all creative industries but 35 for music, performing and
    visual arts and 25 for film/TV; by TTWA it is 490. A number is used as given.

    Examples
    --------
    >>> resolve_min_size(pd.DataFrame({"n": [10, 20, 30, 40, 50]}), "n")
    20.0
    >>> resolve_min_size(pd.DataFrame({"n": [10, 20]}), "n", 250)
    250.0
    """
    if min_size is None or (isinstance(min_size, str) and min_size.lower() in ("q25", "quartile")):
        if size in table.columns:
            vals = pd.to_numeric(table[size], errors="coerce").dropna()
        else:
            vals = pd.Series([], dtype=float)
        return float(vals.quantile(0.25)) if len(vals) else 0.0
    try:
        value = float(min_size)
    except (TypeError, ValueError):
        raise ParameterError(f"min_size must be a number >= 0 or 'q25' (bottom quartile). Got {min_size!r}.") from None
    if value < 0:
        raise ParameterError(f"min_size must be >= 0. Got {value:g}.")
    return value


def place_table(
    wh: Any, *, level: str = "lad", measure: str = "businesses", subsector: str | None = None,
    year: int | str | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The place table for a level/measure, and what its columns mean.

    ``level``: ``lad``, ``cauth``, ``rgn`` or ``ttwa`` (English business counts
    summed from LADs; TTWAs by the best-fit LAD rule of
    :func:`lad_ttwa_assignment`) or ``nuts2`` (BRES/IDBR). Valid measures per
    level are in :data:`MEASURES_BY_LEVEL`.

    Returns ``(table, meta)`` where ``meta`` has ``lq`` (LQ column), ``size``
    (size column), ``source`` (source line) and ``level``.
    """
    if level in LAD_LEVELS:
        if measure not in ("businesses", "enterprises"):
            raise ParameterError(
                f"measure {measure!r} is not available at level {level!r}. Valid measures: "
                f"{_valid_measures_text()}. (LQs are computed for every measure; BRES employment "
                "exists only by NUTS2 in the reference data.)"
            )
        table = lad_business_table(wh, year=year, subsector=subsector, level=level)
        from creative_clusters.workflows.placestats import level_table

        stats, smeta = level_table(wh, level=level, year=year, subsector=subsector)
        extra = ["geo_code", *(c for c in stats.columns if c not in table.columns)]
        table = table.merge(stats[extra], on="geo_code", how="left")
        meta = {"lq": "business_lq", "size": "businesses", "level": level, "period": smeta["period"],
                "measure": "businesses", "source": business_source_line(wh, year=year, level=level)}
    elif level == "nuts2":
        if measure not in MEASURES_BY_LEVEL["nuts2"]:
            raise ParameterError(
                f"measure {measure!r} is not available at level 'nuts2'. Valid measures: "
                f"{_valid_measures_text()}.")
        table = nuts2_employment_table(wh, year=year, subsector=subsector)
        if measure == "employment":
            meta = {"lq": "employment_lq", "size": "employment"}
        else:
            meta = {"lq": "business_lq", "size": "establishments"}
        meta.update({"level": "nuts2", "measure": measure, "source": nuts2_source_line(wh),
                     "period": str(table["period"].iloc[0])})
    else:
        raise ParameterError(f"level must be one of {[*LAD_LEVELS, 'nuts2']}. Got {level!r} instead.")
    return table, meta


def run_method(
    wh: Any, table: pd.DataFrame, meta: dict[str, str], *, method: str = "threshold",
    min_size: float | str | None = DEFAULT_MIN_SIZE, seed: int = 0, permutations: int = 999,
    weights: str = "queen", **params: Any,
) -> tuple[pd.DataFrame, Any]:
    """Run ``method`` on a :func:`place_table` result (building weights for hotspots).

    ``min_size`` is the threshold rule's size floor: a number, or the default
    ``"q25"`` (bottom quartile of the places' size; see :func:`resolve_min_size`).
    """
    connectivity = None
    if method == "threshold":
        min_size = resolve_min_size(table, meta["size"], min_size)
    else:
        min_size = 0.0 if min_size is None or isinstance(min_size, str) else float(min_size)
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
