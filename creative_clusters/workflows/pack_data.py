"""The national tables every evidence pack reads, loaded once per warehouse version.

:func:`load_national` reads the catalogue's latest dataset of each kind the
packs need (creative enterprises, active enterprises, Census industry, local
indicators, deprivation indices), the boundaries, the cluster detections and
the NUTS2 growth tables into one :class:`NationalData`, kept in memory per
warehouse version and on disk as Parquet and JSON (data only, never pickles:
see :mod:`creative_clusters.workflows._table_cache`). What is not in the
warehouse is listed in ``NationalData.missing`` with how to get it.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import with_article
from creative_clusters.benchmarking.framework import (
    Framework,
    count_in_place,
    creative_enterprises_by_subsector,
    framework_key,
    growth_ends,
    indicator_periods,
    indicator_table,
    indicator_values,
    lad_column,
    load_framework,
    rate_counts,
    rate_intervals,
)
from creative_clusters.config import DEFAULT_FRAMEWORK
from creative_clusters.errors import ClusterToolkitError, ParameterError
from creative_clusters.reporting._model import BusinessLQ, PlaceInfo, common_name
from creative_clusters.reporting._national import (
    LAD_VINTAGE,
    lad_areas_km2,
    rank_microclusters,
    to_lad_vintage,
)
from creative_clusters.reporting.formatting import join_and, join_apart
from creative_clusters.workflows._notes import with_notes
from creative_clusters.workflows.evidence_stats import (
    business_lq,
    census_wide,
    published_indicators,
)
from creative_clusters.workflows.inclusion_report import InclusionNational, inclusion_national
from creative_clusters.workflows.periods import business_count_years

if TYPE_CHECKING:
    from creative_clusters.warehouse import Warehouse

__all__ = ["IMPORT_HINT", "KINDS", "NationalData", "active_latest", "load_national", "nuts2_growth", "short_codes"]

#: The dataset kinds the packs read (the catalogue serves the latest dataset of each).
KINDS = (kinds.CREATIVE_ENTERPRISES_SIC, kinds.ACTIVE_ENTERPRISES, kinds.CENSUS_INDUSTRY,
         kinds.LOCAL_INDICATORS, kinds.DEPRIVATION_ENGLAND)
IMPORT_HINT = "Run `creative-clusters data import DIR` with the reference-data folder."


@dataclass
class NationalData:
    """Everything national the packs need, read once (picklable: no connections)."""

    framework: Framework
    enterprises: pd.DataFrame | None = None
    enterprises_period: str = ""
    #: every year of creative enterprise counts by LAD and SIC class in the catalogue, ascending (one
    #: snapshot a year; :func:`~creative_clusters.workflows.periods.business_count_years`)
    enterprise_years: list[str] = field(default_factory=list)
    #: the year the user asked for (``evidence --year``), "" for the latest: the annual series ends there,
    #: and otherwise in its own latest year (a newer series year than the counts by SIC class is shown)
    requested_year: str = ""
    demography: pd.DataFrame | None = None
    census: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    names: dict[str, str] = field(default_factory=dict)
    areas: pd.DataFrame | None = None
    hierarchy: pd.DataFrame | None = None
    ttwa_overlap: pd.DataFrame | None = None
    hei: pd.DataFrame | None = None
    museums: pd.DataFrame | None = None
    microclusters: pd.DataFrame | None = None
    microcluster_hulls: Any = None
    #: the current microcluster run's provenance and coverage (:class:`~creative_clusters.microclusters.runs.
    #: RunRecord` as a dict: firm file, SHA-256, method, synthetic flag, covered LADs, scope); None without
    #: a recorded run
    microcluster_run: dict[str, Any] | None = None
    #: every stored microcluster run (``microcluster_runs`` rows as dicts), newest first
    microcluster_runs: list[dict[str, Any]] = field(default_factory=list)
    lad_area_km2: pd.Series | None = None
    clusters: pd.DataFrame | None = None
    corridors: pd.DataFrame | None = None
    geometry: Any = None
    bres_groups: pd.DataFrame | None = None
    lad_nuts2: pd.DataFrame | None = None
    nuts2_names: dict[str, str] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    home: str | None = None
    #: The national cache key (warehouse content + code + arguments) when read through
    #: :func:`load_national`'s cache; the packs' series tables are cached under it too.
    cache_key: str = ""
    nuts2_cache: dict[tuple[str, ...], Any] = field(default_factory=dict)
    published: pd.DataFrame | None = None
    population: pd.Series | None = None
    workforce_lads: frozenset[str] = frozenset()
    deprivation: dict[str, tuple[str, str, pd.DataFrame]] = field(default_factory=dict)
    class_counts: pd.DataFrame | None = None
    census_wide: pd.DataFrame | None = None
    active_latest: pd.Series | None = None
    #: growth_pct indicator id -> base and latest value per LAD (a group's growth is from their sums)
    growth_ends: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: rate indicator id -> the count each LAD's rate rests on and its base (columns count, of)
    rate_counts: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: survey indicator id -> each LAD's published 95% interval (columns lo, hi)
    rate_intervals: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: indicator id -> the period its values are for (e.g. "2024", "2020–2025")
    indicator_periods: dict[str, str] = field(default_factory=dict)
    lq: BusinessLQ | None = None
    peer_pools: dict[str, pd.DataFrame] = field(default_factory=dict)
    peer_groups: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: Ref table ``code_changes`` (LAD and CA recodes), for memberships taken from a later vintage.
    code_changes: pd.DataFrame | None = None
    #: Combined authorities in force now -> member LADs on the data's codes (filled on first use).
    current_cauths: dict[str, list[str]] | None = None
    group_rows: dict[str, Any] = field(default_factory=dict)
    trajectory: Any = None  # TrajectoryData read on first use; a str (why) when the warehouse has no series
    #: Section 5's national inclusion tables, read with the rest (so kept in the disk cache: a new process
    #: does not read them again); None where they could not be read
    inclusion: InclusionNational | None = None
    series_tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # series_place_table per level
    #: The framework's indicators for LADs outside England (Wales, Scotland, Northern Ireland), from
    #: the datasets that reach them; each devolved LAD is benchmarked among its own nation's LADs.
    nation_indicators: pd.DataFrame | None = None
    #: all-creative totals of the areas that have their own ad-hoc profile (dataset, geo_code, period,
    #: measure, value): e.g. ONS's analysis for West Yorkshire, 2018–2023
    area_profiles: pd.DataFrame | None = None
    #: creative and total workplace employment per LAD with bounds, share and employment LQ (BRES by LAD,
    #: :func:`~creative_clusters.workflows.employment_lad.lad_employment`); None without a dataset of the kind
    employment_lad: pd.DataFrame | None = None
    #: that table's provenance (dataset, period, measure, comparator and its totals); None without one
    employment_lad_meta: dict[str, Any] | None = None


def _obs(wh: Warehouse, dataset: str, **filters: Any) -> pd.DataFrame | None:
    if not wh.has_dataset(dataset):
        return None
    return wh.observations(dataset=dataset, **filters)


def _area_profiles(wh: Warehouse) -> pd.DataFrame | None:
    """The all-creative rows of every dataset of kind ``area_creative_profile``, latest vintage first."""
    frames = []
    for ref in reversed(wh.catalogue_entries(kinds.AREA_CREATIVE_PROFILE)):
        o = wh.observations(dataset=ref.id)
        o = o[o["industry_code"] == "_T"]
        frames.append(o[["dataset", "geo_code", "period", "measure", "value"]])
    if not frames:
        return None
    out = pd.concat(frames, ignore_index=True)
    # an area in two releases keeps the latest (listed first)
    first = out.drop_duplicates("geo_code")[["geo_code", "dataset"]]
    return out.merge(first, on=["geo_code", "dataset"]).reset_index(drop=True)


def _points_to_lads(table: pd.DataFrame, geometry: Any) -> pd.DataFrame:
    """Add ``lad_code`` to a table with latitude/longitude by point-in-polygon."""
    if lad_column(table) is not None or geometry is None:
        return table
    if not {"latitude", "longitude"} <= set(table.columns):
        return table
    import geopandas as gpd

    ok = table["latitude"].notna() & table["longitude"].notna()
    pts = gpd.GeoDataFrame(table.loc[ok].copy(),
                           geometry=gpd.points_from_xy(table.loc[ok, "longitude"], table.loc[ok, "latitude"]),
                           crs="EPSG:4326")
    g = geometry[["geo_code", "geometry"]]
    if g.crs is not None and g.crs != pts.crs:
        g = g.to_crs(pts.crs)
    j = gpd.sjoin(pts, g, how="left", predicate="within")
    j = j[~j.index.duplicated()]
    out = table.copy()
    out["lad_code"] = j["geo_code"].reindex(out.index)
    return out


def _series_cluster_rows(wh: Warehouse, assessed: set[str], notes: list[str],
                         geometry: Any = None) -> tuple[list[dict[str, Any]], pd.DataFrame | None]:
    """Cluster-flag rows from the UK-wide annual series for the LADs the counts by SIC class do not reach.

    The threshold rule (its size floor the bottom quartile of every UK LAD, as
    ``clusters --scope uk`` applies it) and the US Cluster Mapping rule, run on
    every UK LAD's creative enterprises and business LQ against the UK
    (:func:`~creative_clusters.workflows._series_places.series_place_table`, the
    latest year with an active-enterprise denominator); rows are kept for the
    LADs not in ``assessed`` (Wales, Scotland, Northern Ireland), each with
    ``source`` (the series' dataset kind) and ``period``; and the threshold
    rule's table of every UK LAD with its centroid (for the corridors), or None.
    No series: no rows, and a note says why.
    """
    from creative_clusters.workflows import detection, place_geometry
    from creative_clusters.workflows._series_places import series_place_table

    try:
        table, meta = series_place_table(wh, "lad")
    except ClusterToolkitError as exc:
        notes.append(f"Clusters outside England are not detected from the annual series: {exc}")
        return [], None
    rows: list[dict[str, Any]] = []
    thr = None
    for method, name in (("threshold", kinds.SERIES_THRESHOLD_RULE), ("strong", kinds.SERIES_STRONG_RULE)):
        floor = detection.resolve_min_size(table, "businesses") if method == "threshold" else 0.0
        try:
            (out, det), more = with_notes(detection.detect, table, method=method, min_size=floor)
        except ClusterToolkitError as exc:
            notes.append(f"Detection method {method} on the annual series failed: {exc}")
            continue
        notes.extend(more)
        if method == "threshold":
            with contextlib.suppress(ClusterToolkitError):  # no centroids: no corridors outside England
                thr = out.merge(place_geometry.place_centroids(wh, level="lad", geometry=geometry), on="geo_code",
                                how="left")
        cuts = _strong_cuts(det, len(table)) if method == "strong" else {}  # the rule's, the same on every row
        for r in out[~out["geo_code"].astype(str).isin(assessed)].itertuples():
            row: dict[str, Any] = {"method": name, "geo_code": str(r.geo_code), "is_cluster": bool(r.cluster),
                                   "detail": "", "source": kinds.CREATIVE_ENTERPRISES_SERIES,
                                   "period": str(meta.get("period", "")), "n_places": len(table)}
            if method == "threshold":
                row.update(rule="threshold", min_lq=float(getattr(det, "min_lq", 1.0)),
                           min_size=float(math.ceil(floor)), size=float(r.businesses), lq=float(r.business_lq),
                           lq_lower=float(r.lq_lower), lq_upper=float(r.lq_upper))
            else:
                row.update(cuts)
            rows.append(row)
    return rows, thr


def _strong_cuts(det: Any, n_places: int) -> dict[str, Any]:
    """The US Cluster Mapping rule's cuts as its rows carry them, for the pack to state the rule: the business
    LQ's top-quartile cut (``lq_cut``; the rule also asks for at least ``min_lq``), the size the count must
    exceed (``size_cut``, the bottom quartile) and how many places the quartiles are taken over."""
    th = getattr(det, "thresholds_", None)
    cut = {str(c)[: -len("_cut")]: float(th[c].iloc[0]) for c in th.columns if str(c).endswith("_cut")} \
        if th is not None and len(th) else {}
    lq_col = str(getattr(det, "lq", "business_lq"))
    sizes = [v for k, v in cut.items() if k != lq_col]
    return {"rule": "strong", "lq_cut": cut.get(lq_col, float("nan")), "min_lq": float(getattr(det, "min_lq", 1.0)),
            "size_cut": sizes[0] if sizes else float("nan"), "n_places": n_places}


def _corridor_records(cor: pd.DataFrame) -> list[dict[str, str]]:
    """One record per corridor of :func:`~creative_clusters.workflows.detection.find_corridors`' table: its
    label (its three largest members), members (codes) and detail."""
    c = cor[cor["corridor"].notna() & (cor["corridor"].astype(str) != "-1")]
    size = "creative_businesses" if "creative_businesses" in c.columns else "businesses"
    recs = []
    for _k, g in c.groupby("corridor"):
        g = g.sort_values(size, ascending=False)
        # the names people use, as an English list: "the corridor of Manchester and Trafford", not "of
        # Manchester, Trafford"; "of A, B, C and 2 more" for a longer one
        top = [common_name(str(x)) for x in g["geo_name"].head(3)] if "geo_name" in g.columns else []
        names = [*top, f"{len(g) - 3} more"] if len(g) > 3 else top
        # a name with its own "and" ("Bath and North East Somerset") is kept apart by semicolons
        label = "the corridor of " + (join_apart if any(" and " in n for n in names) else join_and)(names)
        recs.append({"corridor": label, "members": ",".join(sorted(g["geo_code"].astype(str))),
                     "detail": f"{len(g)} clustered local authorities, {int(g[size].sum()):,} creative enterprises"})
    return recs


def _clusters_hook(wh: Warehouse, geometry: Any, missing: dict[str, list[str]]) -> tuple[Any, Any]:
    """Cluster flags by method and corridors (the library's warnings become the section's notes)."""
    from creative_clusters.workflows import business_counts, detection, place_geometry

    # by local authority the rule rests on business counts only (no employment LQ): not Nesta's co-location
    names = {"threshold": kinds.THRESHOLD_RULE, "strong": kinds.STRONG_RULE,
             "hotspot": "hot-spot analysis (Getis-Ord Gi* and local Moran)"}
    notes = missing.setdefault("connections", [])
    rows, thr = [], None
    try:
        table, more = with_notes(business_counts.lad_business_table, wh)
        notes.extend(more)
        conn = None
        if geometry is not None:
            conn, more = with_notes(place_geometry.build_connectivity,
                                    geometry[geometry["geo_code"].isin(table["geo_code"])])
            notes.extend(more)
        for method in ("threshold", "strong", "hotspot"):
            if method == "hotspot" and conn is None:
                continue
            # the threshold rule's size floor as the clusters command applies it (bottom quartile of LADs)
            floor = detection.resolve_min_size(table, "businesses") if method == "threshold" else 0.0
            try:
                (out, det), more = with_notes(detection.detect, table, method=method, connectivity=conn, seed=0,
                                              min_size=floor)
                islands = {str(i) for i in getattr(det, "islands_", [])}
                # the detector's note on islands names codes and a remedy for analysts; the pack says it
                # per place (no statistic for a place with no land neighbour) through the rows' detail
                notes.extend(m for m in more if not (islands and "no neighbours" in m))
            except ClusterToolkitError as exc:
                notes.append(f"Detection method {method} failed: {exc}")
                continue
            if method == "threshold":
                thr = out
            cuts = _strong_cuts(det, len(out)) if method == "strong" else {}  # the same on every row
            for r in out.itertuples():
                row = {"method": names[method], "geo_code": r.geo_code, "is_cluster": bool(r.cluster),
                       "detail": kinds.NO_NEIGHBOUR if str(r.geo_code) in islands else ""}
                if method == "threshold":  # what the pack needs to say the rule and gate its point estimate
                    row.update(rule="threshold", min_lq=float(getattr(det, "min_lq", 1.0)),
                               min_size=float(math.ceil(floor)), size=float(r.businesses),
                               lq=float(r.business_lq), lq_lower=float(getattr(r, "lq_lower", float("nan"))),
                               lq_upper=float(getattr(r, "lq_upper", float("nan"))))
                row.update(cuts)
                rows.append(row)
    except ClusterToolkitError as exc:
        missing.setdefault("summary", []).append(f"Cluster detection could not run: {exc}")
        return None, None
    english = {str(r["geo_code"]) for r in rows}
    more_rows, series_thr = _series_cluster_rows(wh, english, notes, geometry)
    rows.extend(more_rows)
    clusters = pd.DataFrame(rows) if rows else None
    recs: list[dict[str, str]] = []
    # England's corridors from its counts by SIC class; the other nations' from the UK-wide series (the corridors
    # with a member outside England), by the same rule
    for table, keep in ((thr, None), (series_thr, english)):
        if table is None:
            continue
        try:
            (cor, _), more = with_notes(detection.find_corridors, table)
            notes.extend(more)
        except ClusterToolkitError as exc:
            notes.append(f"Corridor detection could not run: {exc}")
            continue
        recs.extend(r for r in _corridor_records(cor)
                    if keep is None or not set(r["members"].split(",")) <= keep)
    corridors = pd.DataFrame(recs) if (thr is not None or series_thr is not None) else None
    return clusters, corridors


def load_national(home: str | os.PathLike[str] | None = None, *, wh: Warehouse | None = None,
                  framework: str | Framework = DEFAULT_FRAMEWORK, year: str | int | None = None,
                  detect_clusters: bool = True, cache: bool = True) -> NationalData:
    """Read every national table the evidence packs use from the warehouse.

    With ``cache`` (and no open ``wh`` given), the result is kept in this
    process and under ``<home>/cache/evidence-national/`` as Parquet and JSON
    (data only, never pickles: see :mod:`creative_clusters.workflows._table_cache`),
    keyed by the warehouse's content fingerprint
    (:meth:`~creative_clusters.warehouse.Warehouse.version`), this package's
    code and the arguments, so further packs from an unchanged warehouse skip
    the read and national cluster detection. Any import gives a new key, and so
    does any edit of a framework given as a YAML file (its content is in the key).
    """
    if not (cache and wh is None and isinstance(framework, str)):
        return _load_national(home, wh=wh, framework=framework, year=year, detect_clusters=detect_clusters)
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows import _table_cache

    with Warehouse(home, read_only=True) as w:
        key = _national_key(w.version(), framework, year, detect_clusters)
        hit = _NATIONAL_CACHE.get(str(w.home.resolve()) + key)
        if hit is not None:
            return hit
        root = w.home / "cache" / "evidence-national"
        nd = _table_cache.load(root, key, NationalData,
                               framework=_dated_framework(w, load_framework(framework), year))
        if nd is None:
            nd = _load_national(home, wh=w, framework=framework, year=year, detect_clusters=detect_clusters)
            _table_cache.prune(root, keep=key)
            _table_cache.save(root, key, nd, skip=("framework", "nuts2_cache", "trajectory", "series_tables",
                                                       "cache_key"))
        nd.home = str(w.home)
        nd.cache_key = key
    _NATIONAL_CACHE.clear()  # one warehouse version at a time: the tables are large
    _NATIONAL_CACHE[str(w.home.resolve()) + key] = nd
    return nd


def _dated_framework(wh: Warehouse, fw: Framework, year: str | int | None) -> Framework:
    """``fw`` with ``{vintage}`` in its labels and caveats filled from the catalogue: the vintage of the dataset
    that serves each source kind (as :func:`_load_national` reads it), so a newer import is named everywhere."""
    vintages: dict[str, str] = {}
    for kind in fw.datasets:
        if kind not in kinds.KINDS:
            continue
        ref = wh.find_dataset(kind, period=year if kind == kinds.CREATIVE_ENTERPRISES_SIC else None)
        if ref is not None:
            vintages[kind] = ref.vintage
    return fw.with_vintages(vintages)


def _national_key(version: str, framework: str, year: str | int | None, detect: bool) -> str:
    """Warehouse content + this package's code + the arguments."""
    import hashlib

    # a user's framework file by its content, not its name (an edit gives a new key)
    h = hashlib.sha256(repr((version, framework_key(framework), None if year is None else str(year),
                             detect)).encode())
    for rel, size, mtime in _package_sources(Path(__file__).resolve().parents[1]):
        h.update(f"{'/'.join(rel)}|{size}|{mtime}\n".encode())
    return h.hexdigest()[:24]


def _package_sources(pkg: Path) -> list[tuple[tuple[str, ...], int, int]]:
    """Every ``*.py`` and ``*.yaml`` file under ``pkg``: (path parts relative to ``pkg``, size, mtime in ns),
    in the order of ``sorted([*pkg.rglob("*.py"), *pkg.rglob("*.yaml")])``.

    One ``os.scandir`` walk, the sizes and times from its entries: a third of the time of the two
    ``rglob`` passes and a ``stat`` per file (~25 ms of every pack, before the national tables are read).
    The key it feeds is unchanged, so the caches written before stay valid (tested).
    """
    rows = []
    stack: list[tuple[str, tuple[str, ...]]] = [(str(pkg), ())]
    while stack:
        folder, parts = stack.pop()
        with os.scandir(folder) as entries:
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    stack.append((e.path, (*parts, e.name)))
                elif e.name.endswith((".py", ".yaml")):
                    st = e.stat()
                    rows.append(((*parts, e.name), st.st_size, st.st_mtime_ns))
    rows.sort()
    return rows


#: National tables of the warehouse version last read, in this process.
_NATIONAL_CACHE: dict[str, NationalData] = {}


def _load_national(home: str | os.PathLike[str] | None = None, *, wh: Warehouse | None = None,
                   framework: str | Framework = DEFAULT_FRAMEWORK, year: str | int | None = None,
                   detect_clusters: bool = True) -> NationalData:
    from creative_clusters.warehouse import Warehouse

    own = wh is None
    wh = wh or Warehouse(home, read_only=True)
    try:
        fw = _dated_framework(wh, framework if isinstance(framework, Framework) else load_framework(framework), year)
        nd = NationalData(framework=fw, home=str(wh.home))
        miss = nd.missing
        cat = wh.datasets()
        nd.sources = [{k: ("" if pd.isna(v) else v) for k, v in r.items()} for r in cat.to_dict("records")]
        obs: dict[str, pd.DataFrame] = {}
        changes = wh.table("code_changes") if wh.has_table("code_changes") else None
        # the pack's own datasets and every dataset kind the framework reads (its reference tables aside)
        for kind in dict.fromkeys((*KINDS, *(k for k in fw.datasets if k in kinds.KINDS))):
            ref = wh.find_dataset(kind, period=year if kind == kinds.CREATIVE_ENTERPRISES_SIC else None)
            if ref is None and kind == kinds.CREATIVE_ENTERPRISES_SIC and year is not None \
                    and wh.catalogue_entries(kind):
                # a year the counts do not cover is an error naming the years there are, never a pack
                # whose scale section is empty and whose series quietly ends in another year
                wh.require_dataset(kind, period=year)
            o = wh.observations(dataset=ref.id) if ref is not None else None
            if o is None or o.empty:
                miss.setdefault("benchmark", []).append(
                    f"No dataset of {kinds.kind_of(kind).serves} is in the warehouse. {IMPORT_HINT}")
                continue
            if changes is not None and kind != kinds.CREATIVE_ENTERPRISES_SIC:
                o = to_lad_vintage(o, changes)  # older LAD codes: counts summed onto the business LAD set
            obs[kind] = o
        nd.area_profiles = _area_profiles(wh)
        try:
            nd.inclusion = inclusion_national(wh)
        except ClusterToolkitError:
            nd.inclusion = None  # section 5 says what is missing (evidence._inclusion tries again)
        bc = obs.get(kinds.CREATIVE_ENTERPRISES_SIC)
        if bc is not None:
            bc = bc[bc["measure"] == "enterprises"]
            periods = sorted(bc["period"].unique())
            if year is not None and str(year) not in periods:
                raise ParameterError(f"no creative business counts for {year}; the warehouse has {periods}. "
                                     "Fetch other years with `creative-clusters data fetch "
                                     "business_counts_enterprises --geography lad --date YEAR`.")
            p = str(year) if year is not None else periods[-1]
            nd.enterprises_period = p
            nd.enterprise_years = [str(y) for y in business_count_years(wh)]
            nd.requested_year = "" if year is None else str(year)
            sel = bc[(bc["period"] == p) & (bc["geo_type"] == "lad")]
            ent = creative_enterprises_by_subsector(sel)
            nd.enterprises = ent if not ent.empty else None
            cls = sel[sel["industry_scheme"] == "SIC2007"]
            nd.class_counts = cls.pivot_table(index="geo_code", columns="industry_code", values="value",
                                              aggfunc="sum") if len(cls) else None
        d = obs.get(kinds.ACTIVE_ENTERPRISES)
        if d is not None:
            nd.demography = d[["geo_code", "geo_type", "period", "measure", "status", "value"]].copy()
        c = obs.get(kinds.CENSUS_INDUSTRY)
        if c is not None:
            pop = c[(c["measure"] == "usual_residents") & (c["geo_type"] == "lad")]
            nd.population = pop.groupby("geo_code")["value"].sum(min_count=1).astype(float)
            c = c[(c["measure"] == "residents_in_employment") & (c["industry_scheme"] == "SIC2007_DIV")]
            nd.census = c[["geo_code", "industry_code", "value"]].copy()
        tables = {}
        for name in ("areas", "lad_hierarchy", "lad_ttwa_overlap", "hei", "museums", "microclusters"):
            if wh.has_table(name):
                tables[name] = wh.table(name)
        # without it, the scale section says the map is missing and how to get it
        with contextlib.suppress(ClusterToolkitError):
            nd.geometry = wh.read_geometry(f"lad_{LAD_VINTAGE}")
        if nd.geometry is not None:
            nd.lad_area_km2 = lad_areas_km2(nd.geometry)
            nd.geometry = nd.geometry.to_crs("EPSG:27700")  # metres: neighbour buffers, scale bars
        nd.areas = tables.get("areas")
        nd.hierarchy = tables.get("lad_hierarchy")
        nd.code_changes = changes
        nd.ttwa_overlap = tables.get("lad_ttwa_overlap")
        if nd.areas is not None:
            a = nd.areas.drop_duplicates("geo_code", keep="first")
            nd.names = dict(zip(a["geo_code"].astype(str), a["geo_name"].astype(str), strict=False))
        elif nd.geometry is not None:
            nd.names = dict(zip(nd.geometry["geo_code"], nd.geometry["geo_name"], strict=False))
        for name in ("hei", "museums"):
            t = tables.get(name)
            if t is not None:
                setattr(nd, name, _points_to_lads(t, nd.geometry))
        nd.microclusters = rank_microclusters(tables.get("microclusters"))
        if nd.microclusters is not None:
            # without hulls the table still lists them; the map is left out
            with contextlib.suppress(ClusterToolkitError):
                nd.microcluster_hulls = wh.read_geometry("microclusters")
            # imported here: the microclusters package loads numba (~0.1 s), which a pack read from
            # the national cache never needs
            from creative_clusters.microclusters.runs import current_run, list_runs

            run = current_run(wh)
            nd.microcluster_run = asdict(run) if run is not None else None
            nd.microcluster_runs = list_runs(wh).astype(object).where(lambda t: t.notna(), None).to_dict("records")
        _load_nuts2_growth(wh, nd)
        _load_employment_lad(wh, nd)
        universe = list(nd.enterprises.index) if nd.enterprises is not None else None
        ref_tables = {k: v for k, v in (("hei", nd.hei), ("museums", nd.museums)) if v is not None
                      and lad_column(v) is not None}
        vals, notes = with_notes(indicator_values, fw, obs, ref_tables, geo_type="lad", universe=universe)
        if notes:
            miss.setdefault("benchmark", []).extend(notes)
        nd.indicators = indicator_table(fw, vals) if len(vals) else None
        nd.indicator_periods = indicator_periods(vals)
        nd.growth_ends = growth_ends(fw, obs, geo_type="lad")
        nd.rate_counts = rate_counts(fw, obs, ref_tables, geo_type="lad")
        nd.rate_intervals = rate_intervals(fw, obs, geo_type="lad")
        nd.published = published_indicators(fw, obs)
        # computed once for every pack: national LQs, Census divisions wide, active enterprises
        nd.active_latest = active_latest(nd.demography)
        if nd.enterprises is not None and len(nd.active_latest):
            nd.lq = business_lq(nd.enterprises, nd.active_latest)
        if nd.census is not None and len(nd.census):
            nd.census_wide = census_wide(nd.census)
        nd.deprivation = _deprivation_indices(wh)
        # the places with creative-occupation tables (SOC 2020 minor groups): section 5 adds them
        occ = wh.observations(occupation_scheme="SOC2020_MINOR")
        nd.workforce_lads = frozenset(occ["geo_code"].astype(str)) if len(occ) else frozenset()
        if nd.indicators is not None and universe is not None:
            # one base for every indicator: the 2023 English LADs of the business counts
            nd.indicators = nd.indicators[nd.indicators.index.isin(set(universe))]
        nd.nation_indicators = _nation_indicators(fw, vals, nd.hierarchy, ref_tables)
        if detect_clusters and nd.enterprises is not None:
            nd.clusters, nd.corridors = _clusters_hook(wh, nd.geometry, miss)
        return nd
    finally:
        if own:
            wh.close()


def _nation_indicators(fw: Framework, vals: pd.DataFrame, hierarchy: pd.DataFrame | None,
                       tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame | None:
    """Indicator values of the LADs outside England (2023 boundaries), where their data reach them.

    ``vals`` are the framework's values for every LAD the datasets hold (from
    :func:`indicator_values`, before England's base is applied). Counts of listed
    institutions (``count_in_place``) are counted again per nation, and only in a
    nation the list reaches (at least one row there): a list that covers only
    England would give every Welsh or Scottish LAD a false zero, while in a nation
    it covers a LAD without a row truly has none (the UK's higher-education providers).
    """
    if hierarchy is None or "vintage" not in hierarchy.columns or vals.empty:
        return None
    h = hierarchy[hierarchy["vintage"].astype(str) == LAD_VINTAGE]
    lads = sorted({str(c) for c in h["lad_code"] if str(c)[:1] in ("W", "S", "N")})
    if not lads:
        return None
    counted = {i.id: i for i in fw.indicators if i.source and i.source.get("transform") == "count_in_place"}
    vals = vals[vals["geo_code"].astype(str).isin(lads) & ~vals["indicator_id"].isin(list(counted))]
    parts = [vals]
    for iid, ind in counted.items():
        t = (tables or {}).get(str(ind.dataset))
        if t is None or lad_column(t) is None:
            continue
        have = {str(c)[:1] for c in t[lad_column(t)].dropna()}
        for nation in sorted(have & {"W", "S", "N"}):
            mine = [c for c in lads if c[:1] == nation]
            n = count_in_place(t, mine)  # indexed by ``mine``: 0 where the list has no row
            parts.append(pd.DataFrame({"geo_code": n.index, "indicator_id": iid, "value": n.to_numpy()}))
    table = indicator_table(fw, pd.concat(parts, ignore_index=True)).reindex(lads)
    table.index.name = "geo_code"
    return table


def _deprivation_indices(wh: Warehouse) -> dict[str, tuple[str, str, pd.DataFrame]]:
    """The latest deprivation index of each nation (by dataset kind): kind -> (dataset id, vintage, LAD rows)."""
    out = {}
    for kind in (kinds.DEPRIVATION_ENGLAND, kinds.DEPRIVATION_WALES, kinds.DEPRIVATION_SCOTLAND,
                 kinds.DEPRIVATION_NORTHERN_IRELAND):
        ref = wh.find_dataset(kind)
        if ref is not None:
            o = wh.observations(dataset=ref.id, geo_type="lad")
            keep = o["measure"].isin(["imd_rank_of_average_score", "imd_proportion_most_deprived_10pct"])
            out[kind] = (ref.id, str(ref.vintage), o[keep])
    return out


def _load_nuts2_growth(wh: Warehouse, nd: NationalData) -> None:
    """BRES employment by NUTS2 grouped into creative sub-sectors, and the LAD → NUTS2 (2013)
    lookup, for the section 3 wider-area block (both read once)."""
    if wh.find_dataset(kinds.EMPLOYMENT_NUTS2) is None:
        nd.missing.setdefault("growth", []).append(
            f"No BRES employment by NUTS2 is in the warehouse, so no wider-area creative trend. {IMPORT_HINT}")
        return
    from creative_clusters.geography.nuts2 import load_lad_nuts2
    from creative_clusters.workflows.nuts2_tables import nuts2_counts
    from creative_clusters.workflows.wider_area import group_employment

    try:
        nd.lad_nuts2 = load_lad_nuts2(wh, vintage=LAD_VINTAGE)
        nd.bres_groups = group_employment(nuts2_counts(wh, measure="employment"))
    except ClusterToolkitError as exc:
        nd.missing.setdefault("growth", []).append(f"No wider-area creative trend: {exc}")
        nd.lad_nuts2 = nd.bres_groups = None
        return
    if wh.has_table("nuts2_areas"):
        t = wh.table("nuts2_areas")
        nd.nuts2_names = dict(zip(t["nuts2_code"].astype(str), t["nuts2_name"].astype(str), strict=False))


def _load_employment_lad(wh: Warehouse, nd: NationalData) -> None:
    """Creative workplace employment per LAD (BRES) for section 2 (None when not imported: each pack says so,
    in words that fit its place, ``evidence._place_employment``)."""
    from creative_clusters.workflows.employment_lad import lad_employment

    got = lad_employment(wh)
    if got is not None:
        nd.employment_lad, nd.employment_lad_meta = got


def nuts2_growth(nd: NationalData, place: PlaceInfo, subsectors: Sequence[str]) -> dict[str, Any] | None:
    """The section 3 wider-area block for ``place`` (None when the inputs are absent)."""
    if nd.bres_groups is None or nd.lad_nuts2 is None:
        return None
    from creative_clusters.geography.nuts2 import place_nuts2
    from creative_clusters.reporting.growth_block import growth_block
    from creative_clusters.workflows.wider_area import (
        employment_paths,
        wider_area,
        wider_area_growth,
        window_employment,
    )

    codes, unknown = place_nuts2(nd.lad_nuts2, place.members)
    lk = nd.lad_nuts2[nd.lad_nuts2["geometry_source"] == "polygon"]
    n_lads = int(lk["nuts2_code"].isin(codes).sum())
    n_members = int(lk["lad_code"].isin(place.members).sum())
    have = set(nd.bres_groups["geo_code"])
    key = tuple(c for c in codes if c in have)
    if key and key not in nd.nuts2_cache:
        from creative_clusters.workflows import _series_cache

        name = "nuts2-" + "+".join(key)
        rows = _series_cache.load_table(nd, name)  # computed by an earlier process of this key
        if rows is None:
            rows = wider_area_growth(nd.bres_groups, list(key))
            _series_cache.save_table(nd, name, rows)
        nd.nuts2_cache[key] = rows
        ends = rows.iloc[0]  # every row carries the window's periods
        start, end = str(ends["period_start"]), str(ends["period_end"])
        window = ("window", start, end)  # every area's grouped employment over the window: once per batch
        if window not in nd.nuts2_cache:
            nd.nuts2_cache[window] = window_employment(nd.bres_groups, start=start, end=end)
        nd.nuts2_cache[("paths", *key)] = employment_paths(nd.bres_groups, list(key), start=start, end=end,
                                                           grouped=nd.nuts2_cache[window])
    share = None
    if nd.population is not None:  # the place's share of the wider area's residents (Census 2021)
        pop = nd.population
        area_pop = float(pop.reindex(lk.loc[lk["nuts2_code"].isin(codes), "lad_code"].astype(str)).sum())
        place_pop = float(pop.reindex(list(place.members)).sum())
        share = min(place_pop / area_pop, 1.0) if area_pop > 0 and place_pop > 0 else None
    wider = wider_area(nd.bres_groups, codes, rows=nd.nuts2_cache.get(key),
                       paths=nd.nuts2_cache.get(("paths", *key)))  # the figures, computed once
    # "the Cambridge travel-to-work area holds 11% of its population", not "Cambridge" (the local authority)
    who = f"the {place.label}" if place.geo_type == "ttwa" else place.name
    # a TTWA stood for by one local authority: the share is that authority's, and is said so (the Penzance
    # TTWA's 0.3% is the Isles of Scilly's share of Cornwall and the Isles of Scilly)
    holder = (with_article(nd.names.get(place.members[0], place.members[0]))
              if place.geo_type == "ttwa" and len(place.members) == 1 else "")
    block = growth_block(wider, codes, place=who, nuts2_names=nd.nuts2_names,
                         n_lads=n_lads or None, n_members=n_members, focus=short_codes(subsectors),
                         population_share=share, share_holder=holder)
    if unknown:
        block["missing"].append(f"No NUTS2 (2013) area found for {', '.join(unknown)}.")
    return block


def short_codes(subsectors: Sequence[str]) -> list[str]:
    from creative_clusters.classifications import dcms

    out = []
    for s in subsectors:
        try:
            out.append(dcms.subsector_short(s))
        except (ClusterToolkitError, KeyError, ValueError):
            out.append(str(s))
    return out


def active_latest(demography: pd.DataFrame | None) -> pd.Series:
    """Active enterprises (all industries) per place in the latest year."""
    if demography is None or demography.empty:
        return pd.Series(dtype=float)
    a = demography[(demography["measure"] == "active_enterprises") & (demography["status"].fillna("") == "")]
    if a.empty:
        return pd.Series(dtype=float)
    return a[a["period"] == a["period"].max()].set_index("geo_code")["value"].astype(float)
