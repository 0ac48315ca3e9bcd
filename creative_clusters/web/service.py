"""What the web app serves: results of the workflows layer, rendered once per warehouse version.

The service never computes a statistic. Profiles come from
:func:`creative_clusters.workflows.profile.build_profile` and
:func:`creative_clusters.workflows.benchmark.place_benchmark`, map values
from :func:`creative_clusters.workflows.map_data.map_indicator`, the years on
offer from :func:`creative_clusters.workflows.periods.business_count_years`.
Errors from those functions reach the client as 4xx with their message.

Each :class:`Version` wraps one :class:`~creative_clusters.web.snapshot.Snapshot`
of the warehouse and keeps every body it has built as a compressed
:class:`~creative_clusters.web.responses.Cached`, keyed by what the body
depends on (the *resolved* place code, never the text typed). A background
thread fills the profile index for every place on the map, so a place nobody
has asked for yet is served from memory; a request that arrives first builds
its own entry (one build per key, never one lock for everything).
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import functools
import gc
import hashlib
import io
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from creative_clusters.classifications.dcms import (
    DCMS_CI_SIC2007,
    DEFINITION_VERSION,
    SUBSECTOR_ALIASES,
    SUBSECTORS,
    subsector_short,
)
from creative_clusters.config import DEFAULT_FRAMEWORK
from creative_clusters.errors import (
    ClusterToolkitError,
    ParameterError,
    PlaceNotFoundError,
    UnknownCodeError,
    WarehouseError,
)
from creative_clusters.geography.boundaries import FIXED_VINTAGES
from creative_clusters.geography.place import CUSTOM
from creative_clusters.web import layers
from creative_clusters.web.responses import Cached, dumps, make_cached, read_index, write_index
from creative_clusters.web.snapshot import Snapshot, WarehouseWatcher
from creative_clusters.workflows.cluster_maps import (
    CATEGORY_CLASSES,
    CLUSTER_OUTLINE,
    LQ_CLASS_COLOURS,
    LQ_CLASS_EDGES,
    NO_DATA,
    category_scale,
    classify,
    classify_categories,
    fixed_class_bins,
)
from creative_clusters.workflows.map_data import MEASURE_LEVELS
from creative_clusters.workflows.place_geometry import level_geometry
from creative_clusters.workflows.series_map import SERIES_MEASURES

__all__ = ["CATEGORY_SCALES", "CHANGE_CLASS_EDGES", "DIVERGING_SCALES", "LEVELS", "MEASURES", "MEASURE_SCALES",
           "PACK_MEDIA_TYPES", "PERCENT_FIELDS", "TYPE_LABELS", "Version", "WebService", "check_pack_format",
           "diverging_scale", "overlay_body", "settle_heap", "with_percents"]

log = logging.getLogger("creative_clusters.web")

#: Map levels and their labels; each level's boundaries are read by
#: :func:`~creative_clusters.workflows.place_geometry.level_geometry` (combined authorities from the
#: newest layer).
LEVELS = {
    "lad": "Local authority",
    "cauth": "Combined authority",
    "rgn": "Region",
    "ttwa": f"Travel-to-work area ({FIXED_VINTAGES['ttwa']})",
}
MEASURES = {
    "business_count": ("Creative enterprises (count)", "count"),
    "business_lq": ("Business location quotient", "ratio"),
    "business_share": ("Creative share of active enterprises (%)", "pct"),
    "cluster_label": ("Cluster (Nesta-style threshold rule)", "category"),
    "hotspot_class": ("Hotspot class (local Moran, FDR 5%)", "category"),
    **SERIES_MEASURES,
}
#: Kinds of measure the map colours by quantile classes
#: (:func:`creative_clusters.workflows.cluster_maps.class_breaks`, as the exported maps do): the payload of
#: ``/api/indicators`` carries their ``classes`` and each row's ``class``. LQs (``ratio``) and per-cent
#: changes have fixed diverging scales (:data:`DIVERGING_SCALES`); categories their measure's classes
#: (:data:`CATEGORY_SCALES`).
QUANTILE_KINDS = ("count", "pct")
#: Upper edges of the map's classes of a per-cent change (``series_growth``): symmetric steps around no change.
CHANGE_CLASS_EDGES = (-20.0, -10.0, -2.5, 2.5, 10.0, 20.0)


def diverging_scale(edges: tuple[float, ...], colours: tuple[str, ...], *, centre: float, middle_label: str,
                    note: str, reference: str | None = None) -> dict[str, Any]:
    """A fixed diverging map scale as ``/api/meta`` (``map_classes``) and ``/api/indicators`` (``classes``) give it.

    Class ``i`` has colour ``colours[i]`` and runs from above ``edges[i-1]``
    (from the lowest value for the first) up to ``edges[i]`` (the last class
    is open above); ``middle`` is the class that holds ``centre``, labelled
    ``middle_label`` in the legend. ``reference`` names what an LQ scale compares with
    (``England``, ``the UK``), which the page's explanation of an LQ repeats.

    Examples
    --------
    >>> s = diverging_scale((0.8, 1.25), ("#00f", "#777", "#f00"), centre=1.0, middle_label="about 1", note="n")
    >>> s["middle"], s["colours"][s["middle"]], s["scheme"]
    (1, '#777', 'diverging')
    """
    if len(colours) != len(edges) + 1 or list(edges) != sorted(edges) or not edges[0] < centre < edges[-1]:
        raise ParameterError(f"a diverging scale needs ascending edges around {centre} and one colour more than "
                             f"edges; got edges {list(edges)} and {len(colours)} colours")
    return {"scheme": "diverging", "centre": centre, "edges": [float(e) for e in edges], "colours": list(colours),
            "middle": bisect.bisect_left(edges, centre), "middle_label": middle_label, "note": note,
            "reference": reference}


#: The fixed diverging scales of the map by kind of measure: LQs on the exported LQ maps' classes
#: (:data:`~creative_clusters.workflows.cluster_maps.LQ_CLASS_EDGES` and ``LQ_CLASS_COLOURS``), per-cent
#: changes on :data:`CHANGE_CLASS_EDGES` in the same colours. The page draws them as sent.
DIVERGING_SCALES: dict[str, dict[str, Any]] = {
    "ratio": diverging_scale(LQ_CLASS_EDGES, LQ_CLASS_COLOURS, centre=1.0, middle_label="about the same as England",
                             note="Diverging scale centred on 1 (England)", reference="England"),
    "change": diverging_scale(CHANGE_CLASS_EDGES, LQ_CLASS_COLOURS, centre=0.0, middle_label="about no change",
                              note=f"Diverging scale centred on no change; grey: within {CHANGE_CLASS_EDGES[3]:g}% "
                                   "either way"),
}
#: The legend's words for the hot-spot layer's outline (the places the detector flags, as the exported
#: hot-spot map outlines them).
HOTSPOT_OUTLINE_LABEL = "detected cluster (hot spots: Gi* hot or local Moran HH)"
#: Scales of measures whose kind's scale does not fit them, by measure id: the series LQ is against the UK (the
#: same classes and colours as the LQ against England, another reference).
MEASURE_SCALES: dict[str, dict[str, Any]] = {
    "series_lq": diverging_scale(LQ_CLASS_EDGES, LQ_CLASS_COLOURS, centre=1.0,
                                 middle_label="about the same as the UK",
                                 note="Diverging scale centred on 1 (the UK)", reference="the UK"),
}
#: The classes of each categorical measure (``kind`` ``category``) by measure id, as ``/api/meta``
#: (``category_classes``) and ``/api/indicators`` (``classes``) give them: one palette and one set of
#: labels with the exported maps (:data:`~creative_clusters.workflows.cluster_maps.CATEGORY_CLASSES`).
CATEGORY_SCALES: dict[str, dict[str, Any]] = {m: category_scale(m) for m in CATEGORY_CLASSES}
#: Fractions in the payloads that the page shows as per cents: each field gets a copy in per cent named here,
#: so the page only formats (the fraction stays for other users of the API).
PERCENT_FIELDS = {"dominant_share": "dominant_share_pct", "cagr": "cagr_pct"}


def with_percents(record: Any, fields: tuple[str, ...]) -> Any:
    """``record`` (a dict or a table) with each of ``fields`` it holds also in per cent (:data:`PERCENT_FIELDS`).

    Missing values stay missing (None in a dict, NaN in a table); the product
    is rounded to 10 decimals so a stored 0.3846 is sent as 38.46, not 38.459999….

    Examples
    --------
    >>> with_percents({"cagr": 0.0125, "n": 3}, ("cagr",))
    {'cagr': 0.0125, 'n': 3, 'cagr_pct': 1.25}
    >>> with_percents({"cagr": None}, ("cagr",))
    {'cagr': None, 'cagr_pct': None}
    >>> import pandas as pd
    >>> with_percents(pd.DataFrame({"dominant_share": [0.3846, None]}), ("dominant_share",)).to_dict("list")
    {'dominant_share': [0.3846, nan], 'dominant_share_pct': [38.46, nan]}
    """
    for f in fields:
        if f in record:
            v = record[f]
            record[PERCENT_FIELDS[f]] = None if v is None else round(100 * v, 10)
    return record


def overlay_body(wh: Any, name: str) -> Cached:
    """The ``microclusters`` or ``corridors`` layer of ``wh`` as GeoJSON; an empty collection with a note when absent.

    A microcluster's ``dominant_share`` (a fraction) also comes in per cent
    (``dominant_share_pct``, :func:`with_percents`), as the page shows it.
    """
    if name == "microclusters":
        if not wh.geometry_path("microclusters").exists():
            return make_cached(dumps({"type": "FeatureCollection", "features": [], "note":
                                      "No microclusters in the warehouse: run `creative-clusters "
                                      "microclusters FIRMS --out DIR`."}), "application/geo+json")
        gdf = with_percents(wh.read_geometry("microclusters"), ("dominant_share",))
        body = layers.overlay_geojson(gdf)
        run = microcluster_run(wh)
        if run is not None:  # the run's provenance beside the features (``run``), as packs and the catalogue say it
            fc = json.loads(body)
            fc["run"] = run
            body = dumps(fc)
        return make_cached(body, "application/geo+json")
    from creative_clusters.workflows.corridor_layer import corridor_polygons

    return make_cached(layers.overlay_geojson(corridor_polygons(wh), tolerance=0.001), "application/geo+json")


def microcluster_run(wh: Any) -> dict[str, Any] | None:
    """The current microcluster run's provenance for the map: its firm file (name, SHA-256, date), what its
    points are (``points``, ``one``: "creative firms" at registered offices, "premises" at trading addresses),
    the synthetic flag, its coverage (``scope``, ``n_lads``) and ``note``, the catalogue's sentence on it
    (:func:`~creative_clusters.microclusters.runs.run_note`). None for a warehouse without runs.
    """
    from creative_clusters._text import firm_words
    from creative_clusters.microclusters.runs import current_run, run_note

    run = current_run(wh)
    if run is None:
        return None
    words = firm_words(run.address_kind, run.all_creative)
    return {"run_id": run.run_id, "created_at": run.created_at, "firm_file": run.firm_file,
            "firm_file_sha256": run.firm_file_sha256, "firm_file_date": run.firm_file_date,
            "address_kind": run.address_kind, "points": words["points"], "one": words["one"],
            "synthetic": bool(run.synthetic), "scope": run.scope, "n_lads": len(run.covered),
            "note": run_note(run)}


#: Plain names of the area types the resolver knows, for search results.
TYPE_LABELS = {
    "lad": "Local authority", "cauth": "Combined authority", "rgn": "Region", "ctry": "Country",
    "uk": "United Kingdom", "ttwa": "Travel-to-work area", "utla": "Upper-tier authority", "cty": "County",
    "mcty": "Metropolitan county", "itl3": "ITL3 area", "nuts2": "NUTS2 area",
    CUSTOM: "Group of local authorities",
}
#: The evidence pack's formats (:data:`creative_clusters.workflows.evidence.FORMATS`) and their media types.
PACK_MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Most user-defined groups whose profiles and packs a version keeps (a group's bodies are built again past it).
_GROUP_CACHE_MAX = 256
#: National tables of years other than the latest kept at once for packs asked with ``year=`` (each about
#: as large as the latest's).
_OTHER_YEARS_KEPT = 2
#: Every DCMS sub-sector's short id; a warehouse serves those its business counts have
#: (:attr:`Version.subsectors`: the published UK Business Counts lack museums, SIC 9101/9102).
SUBSECTOR_IDS = ("all", *(subsector_short(s) for s in SUBSECTORS))
_SUBSECTOR_NAMES = {subsector_short(s): s for s in SUBSECTORS}
_SEARCH_CACHE_MAX = 4096
#: Most firms a view may hold for its answer to be built on the event loop (~80 kB; about a millisecond).
FIRMS_AT_ONCE = 500


#: The parameters whose choices ``GET /api/meta`` lists (``levels``, ``measures``).
_IN_META = {"level": "levels", "measure": "measures"}


def _check(value: str, allowed: Any, what: str) -> None:
    """Raise a :class:`ParameterError` naming ``value``, the choices and where to find them, unless allowed.

    Examples
    --------
    >>> _check("lad", LEVELS, "level")
    >>> _check("county", LEVELS, "level")
    Traceback (most recent call last):
    ...
    creative_clusters.errors.ParameterError: level 'county' is not one of ['lad', 'cauth', 'rgn', 'ttwa']; \
use one of them (GET /api/meta lists them under "levels")
    >>> _check("xml", ("json", "csv"), "format")
    Traceback (most recent call last):
    ...
    creative_clusters.errors.ParameterError: format 'xml' is not one of ['json', 'csv']; use one of them
    """
    if value not in allowed:
        where = f' (GET /api/meta lists them under "{_IN_META[what]}")' if what in _IN_META else ""
        raise ParameterError(f"{what} {value!r} is not one of {list(allowed)}; use one of them{where}")


def check_pack_format(fmt: str) -> None:
    """Raise a :class:`ParameterError` unless ``fmt`` is one of the evidence pack's formats.

    >>> check_pack_format("pdf")
    >>> check_pack_format("txt")
    Traceback (most recent call last):
    ...
    creative_clusters.errors.ParameterError: evidence packs come as evidence.html, evidence.pdf, evidence.docx \
or evidence.xlsx
    """
    if fmt not in PACK_MEDIA_TYPES:
        names = [f"evidence.{f}" for f in PACK_MEDIA_TYPES]
        raise ParameterError(f"evidence packs come as {', '.join(names[:-1])} or {names[-1]}")


def _sentences(parts: list[str]) -> str:
    """Caveats as one sentence: each without its own final full stop, joined by "; ", one full stop at the end."""
    kept = [str(p).strip().rstrip(".") for p in parts if str(p).strip().rstrip(".")]
    return "; ".join(kept) + "." if kept else ""


def _sentence(text: str | None) -> str:
    """``text`` ending in exactly one full stop ("" for nothing)."""
    return _sentences([text]) if text else ""


def _norm_words(text: str) -> str:
    return " ".join(text.lower().split())


def subsectors_with_counts(wh: Any, years: list[int]) -> tuple[str, ...]:
    """Short ids of the sub-sectors the warehouse's creative business counts have in any of ``years``.

    All of them when the counts cannot be read (the endpoints then say what is missing).
    """
    from creative_clusters.workflows.business_counts import lad_business_counts

    found: set[str] = set()
    for y in years:
        try:
            found.update(str(c) for c in lad_business_counts(wh, year=y)["industry_code"].unique())
        except ClusterToolkitError as exc:
            log.info("sub-sectors of %s not read: %s", y, exc)
    ids = SUBSECTOR_IDS[1:]
    return tuple(s for s in ids if s in found) if found & set(ids) else ids


def settle_heap() -> None:
    """Collect garbage once, then hide every object still alive from the cyclic collector (:func:`gc.freeze`).

    A version's tables, place index and bodies live until the version is
    retired. Left to the collector, every full collection walks all of them:
    34 collections of 200-400 ms each in one benchmark run, each stalling the
    event loop and every request in flight. Frozen objects are still freed by
    reference counting; :meth:`WebService._retire` unfreezes so that a retired
    version's cycles are collected too.
    """
    gc.collect()
    gc.freeze()


def _source_digest() -> str:
    """A digest of this package's source files (sizes and times): a saved index is stale after a code change."""
    pkg = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for f in sorted([*pkg.rglob("*.py"), *pkg.rglob("*.yaml")]):
        with contextlib.suppress(OSError):
            st = f.stat()
            h.update(f"{f.relative_to(pkg)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:12]


def year_or_404(year: int | None, years: list[int], *, what: str = "creative business counts") -> int:
    """``year``, or the latest of ``years`` when None; a year the warehouse lacks is a :class:`WarehouseError`
    (the app's 404 naming the years it has; a malformed year is FastAPI's 422), in the web's words.

    >>> year_or_404(None, [2024, 2025])
    2025
    >>> year_or_404(2019, [2024, 2025])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creative_clusters.errors.WarehouseError: no creative business counts for 2019 ...; years available: 2024, 2025
    """
    from creative_clusters.workflows.periods import check_year

    try:
        return check_year(year, years, what=what)
    except ParameterError as exc:
        raise WarehouseError(str(exc)) from None


class Version:
    """Everything served from one warehouse snapshot, built on first use and kept.

    ``index_dir`` (the user's ``<home>/cache/web``) keeps the finished profile
    index of each warehouse version, so a restart of ``serve`` on an unchanged
    warehouse (and unchanged code) serves every place at once.
    """

    def __init__(self, snap: Snapshot, index_dir: Path | None = None, *,
                 framework: str = DEFAULT_FRAMEWORK) -> None:
        from creative_clusters.benchmarking.framework import framework_key
        from creative_clusters.workflows.periods import business_count_years, series_years
        from creative_clusters.workflows.places import place_book

        self.snap = snap
        self.framework = framework  # the benchmark framework (packaged name or the user's YAML file)
        self.version = snap.version
        wh = snap.warehouse()
        self.years = business_count_years(wh)
        self.series_years = series_years(wh)
        #: Sub-sectors the business counts have ("all" first): the only ones the map endpoints accept.
        self.subsectors: tuple[str, ...] = ("all", *subsectors_with_counts(wh, self.years))
        place_book(wh)  # the resolver's tables and name index, built once per warehouse version
        self._cache: dict[tuple[Any, ...], Cached] = {}
        self._locks: dict[tuple[Any, ...], threading.Lock] = {}
        self._guard = threading.Lock()
        self._alias: dict[str, str] = {}
        self._also: dict[str, tuple[str, ...]] = {}  # names that mean several places: the other meanings
        self._places: dict[str, Any] = {}
        self._national: Any = None
        self._national_of_year: dict[str, Any] = {}  # other years' national tables (packs with year=)
        self._firms: layers.FirmPoints | None = None
        self._lq_years: list[int] | None = None
        self.pack_lock = threading.Lock()  # packs draw figures with matplotlib, which is not thread-safe
        self.index_total = 0
        self.index_done = 0
        self.index_seconds: float | None = None
        self.index_ready = threading.Event()
        self._stop = threading.Event()
        self._index_thread: threading.Thread | None = None
        self._profiles_complete = False
        fw = "" if framework == DEFAULT_FRAMEWORK else "-" + framework_key(framework)  # profiles hold benchmarks
        self.index_file = (index_dir / f"profiles-{self.version}-{_source_digest()}{fw}.jsonl.gz") if index_dir \
            else None
        self._load_index()

    def _load_index(self) -> None:
        if self.index_file is None or not self.index_file.exists():
            return
        try:
            cache, alias, complete = read_index(self.index_file)
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            log.warning("ignoring the saved profile index %s: %s", self.index_file, exc)
            return
        self._cache.update(cache)
        self._alias.update(alias)
        self.index_done = len(cache)
        if complete:  # ready once build_index has also built the layers (a few seconds)
            self.index_total = len(cache)
            self._profiles_complete = True

    def _save_index(self, *, complete: bool) -> None:
        if self.index_file is None:
            return
        profiles = {k: v for k, v in list(self._cache.items()) if k[0] == "profile"}
        alias = {k: c for k, c in list(self._alias.items()) if ("profile", c) in profiles}
        try:
            write_index(self.index_file, profiles, alias, complete=complete)
            for old in self.index_file.parent.glob("profiles-*"):
                if old != self.index_file and not old.name.startswith(self.index_file.name):
                    old.unlink(missing_ok=True)
        except OSError as exc:  # a read-only home: the index is rebuilt at the next start
            log.warning("could not save the profile index to %s: %s", self.index_file, exc)

    # ------------------------------------------------------------- caching
    def cached(self, key: tuple[Any, ...]) -> Cached | None:
        """The body for ``key`` if it was built (no lock: a dict read)."""
        return self._cache.get(key)

    def build(self, key: tuple[Any, ...], make: Callable[[], Cached]) -> Cached:
        """The body for ``key``, built once even when many requests ask at the same moment."""
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            hit = self._cache.get(key)
            if hit is None:
                hit = make()
                self._cache[key] = hit
        with self._guard:
            self._locks.pop(key, None)
        return hit

    def json(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Cached:
        """Like :meth:`build` for a JSON body."""
        return self.build(key, lambda: make_cached(dumps(make()), "application/json"))

    # ------------------------------------------------------------- places
    def resolve(self, query: str) -> Any:
        """The place ``query`` (a code or name) resolves to; remembered by the upper-cased text."""
        key = query.strip().upper()
        code = self._alias.get(key)
        if code is not None and code in self._places:
            return self._places[code]
        from creative_clusters.workflows.places import other_meanings, resolve_place

        wh = self.snap.warehouse()
        place = resolve_place(wh, query)
        others = tuple(other_meanings(wh, query, place))
        with self._guard:
            self._places.setdefault(place.code, place)
            if others:  # a name that means several places: its profile says so (never the fast path)
                self._also[key] = others
            elif len(self._alias) < 50_000:
                self._alias[key] = place.code
        return self._places[place.code]

    def profile_key(self, query: str) -> tuple[str, str] | None:
        """The cache key of a profile if the text typed is already known (no work)."""
        code = self._alias.get(query.strip().upper())
        return ("profile", code) if code is not None else None

    def profile(self, query: str, year: int | None = None) -> Cached:
        """The profile of the place ``query`` resolves to (profile, benchmark, version).

        ``year`` is ``profile --year``: the annual series (trend, growth windows, trajectory) ends there and
        the sub-sector table is that year's when the warehouse has it; the other sections, the benchmark
        among them, give the latest figures, each with its year (the profile says so).
        """
        self.check_profile_year(year)
        key = self.profile_key(query) if year is None else None
        hit = self._cache.get(key) if key is not None else None
        if hit is not None:
            return hit
        place = self.resolve(query)
        if year is None:
            body = self.json(("profile", place.code), lambda: self._build_profile(place))
        else:
            body = self.json(("profile-year", place.code, year), lambda: self._build_profile(place, year=year))
        others = self._also.get(query.strip().upper())
        if not others:
            return body
        # "West Midlands" is the region; the profile names the combined authority and how to ask for it,
        # as `profile` does on the command line
        return self.json(("profile-also", place.code, others, year),
                         lambda: {**json.loads(body.body), "also_matches": list(others)})

    def _build_profile(self, place: Any, *, year: int | None = None) -> dict[str, Any]:
        from creative_clusters.workflows.profile import build_profile, profile_json

        prof = profile_json(build_profile(self.snap.warehouse(), place, year=year))
        if prof.get("trajectory"):  # growth a year in per cent, as the page shows it
            for w in prof["trajectory"].get("windows") or []:
                with_percents(w, ("cagr",))
        group = place.geo_type == CUSTOM  # a user's group: resolved from its members, as the pack does
        # the benchmark of the year asked for where its counts by SIC class are imported; else of the latest,
        # and the note says so plainly (its business LQ is that year's)
        nd = self.national()
        if year is not None and str(year) != nd.enterprises_period and str(year) in nd.enterprise_years:
            nd = self.national(year)
        prof["benchmark"], prof["benchmark_note"] = self._benchmark(
            None if group else place.code, name=place.name if group else None,
            places=list(place.members) if group else None, nd=nd)
        if year is not None and str(year) != nd.enterprises_period:
            prof["benchmark_year"] = nd.enterprises_period
            prof["benchmark_note"] = (
                f"This benchmark is of {nd.enterprises_period}, not {year}: the counts by SIC class it ranks "
                f"are not imported for {year} (years imported: {', '.join(nd.enterprise_years)}). "
                + prof["benchmark_note"])
        else:
            prof["benchmark_year"] = nd.enterprises_period
        prof["place"]["type_label"] = TYPE_LABELS.get(place.geo_type, place.geo_type)
        prof["version"] = self.version
        return prof

    def national(self, year: int | None = None) -> Any:
        """The evidence packs' national tables for this snapshot (read once), of the latest business counts or
        of ``year`` (``evidence --year``; the last :data:`_OTHER_YEARS_KEPT` years asked for are kept)."""
        if year is not None:
            return self._national_for(str(year))
        if self._national is None:
            self._load_once(("national",), lambda: self._national, self._keep_latest, None)
        return self._national

    def _keep_latest(self, tables: Any) -> None:
        self._national = tables

    def _national_for(self, year: str) -> Any:
        def kept() -> Any:
            return self._national_of_year.get(year)

        def keep(tables: Any) -> None:
            while len(self._national_of_year) >= _OTHER_YEARS_KEPT:
                self._national_of_year.pop(next(iter(self._national_of_year)))
            self._national_of_year[year] = tables

        hit = kept()
        return hit if hit is not None else self._load_once(("national", year), kept, keep, year)

    def _load_once(self, key: tuple[str, ...], kept: Callable[[], Any], keep: Callable[[Any], None],
                   year: str | None) -> Any:
        """The national tables of ``year`` (None: the latest), read by one thread while the others wait.

        ``kept`` returns the tables already held (None if none); ``keep`` stores new ones, inside the
        lock, so a thread that waited finds them and does not read them again.
        """
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            hit = kept()
            if hit is None:
                from creative_clusters.workflows.pack_data import load_national

                hit = load_national(self.snap.root, framework=self.framework, year=year)
                keep(hit)
        return hit

    def _benchmark(self, code: str | None, *, name: str | None = None, places: list[str] | None = None,
                   nd: Any = None) -> tuple[list[dict[str, Any]], str]:
        from creative_clusters.workflows.benchmark import place_benchmark

        nd = self.national() if nd is None else nd
        try:
            res = place_benchmark(nd, code, name=name, places=places)
        except ClusterToolkitError as exc:
            return [], f"The growth-potential benchmark is not available here: {exc}"
        if res.table is None:
            return [], res.note
        rows = [{"dimension": r["dimension_title"], "label": r["label"], "value": r["value"], "unit": r["unit"],
                 "direction": r["direction"], "percentile": r["pct_all"], "percentile_peers": r["pct_peers"],
                 "n_all": r["n_all"], "status": r["status"], "note": r["note"],
                 # outside England: the percentile across the UK where the data reach all four nations
                 "percentile_uk": r.get("pct_uk"), "n_uk": r.get("n_uk")}
                for r in res.table.to_dict("records")]
        fw = nd.framework
        if not res.peers and res.note:  # a LAD outside England: within its nation and across the UK
            return rows, f"{fw.title}, version {fw.version}. {res.note}"
        return rows, f"{fw.title}, version {fw.version}; compared with {len(res.peers)} peer places."

    def map_codes(self) -> list[str]:
        """Codes of every place drawn on the map, all levels."""
        codes: list[str] = []
        for level in LEVELS:
            try:
                gdf = level_geometry(self.snap.warehouse(), level)
            except WarehouseError:
                continue
            codes.extend(str(c) for c in gdf["geo_code"])
        return list(dict.fromkeys(codes))

    def warm_first_view(self) -> None:
        """Build what the page fetches on opening (so the first visitor does not wait for it)."""
        steps: list[Callable[[], Any]] = [
            self.meta, lambda: self.indicators("lad", "all", "business_lq", None, "json"),
            lambda: self.geometry("lad", "low"), lambda: self.labels("lad"),
            lambda: self.overlay("corridors"), lambda: self.overlay("microclusters"),
            # the first search builds the resolver's name index (~0.1 s); the searches that arrived with it
            # at the start of the bench waited 0.3-0.4 s
            lambda: self.search("London", 8)]
        self._run_steps(steps)

    def _run_steps(self, steps: list[Callable[[], Any]]) -> None:
        """Run each step unless the version is closing; a step's toolkit error is left for its request to report."""
        for step in steps:
            if self._stop.is_set():
                return
            try:
                step()
            except ClusterToolkitError as exc:  # e.g. a level without boundaries: its request will say so
                log.info("not prepared: %s", exc)

    def warm_layers(self) -> None:
        """Build every level's boundaries (both details) and label points, and read the firm points,
        so no zoom or level switch waits.

        About 6 s of work for the reference bundle; without it the first view
        of a level at high detail waited up to a second and a half under load.
        """
        steps: list[Callable[[], Any]] = [functools.partial(self.geometry, level, detail)
                                          for level in LEVELS for detail in layers.DETAIL]
        self._run_steps([*steps, *(functools.partial(self.labels, level) for level in LEVELS), self.firm_points])

    def build_index(self, codes: list[str] | None = None) -> None:
        """Build the profile of every place on the map (run in a background thread at low priority).

        With no ``codes`` (what the server runs) the first view and every
        level's layers are built first; a complete index loaded from disk skips
        the profiles. :attr:`index_ready` is set when all of it is done.
        """
        if self.index_ready.is_set():
            return
        with contextlib.suppress(OSError, AttributeError):  # Linux: this thread only
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        t0 = time.perf_counter()
        complete = codes is None
        if complete:
            self.warm_first_view()
            self.warm_layers()
            if self._profiles_complete:
                self.index_seconds = time.perf_counter() - t0
                settle_heap()
                self.index_ready.set()
                return
        codes = self.map_codes() if codes is None else codes
        self.index_total = len(codes)
        self.index_done = 0
        for i, code in enumerate(codes):
            if self._stop.is_set():
                return
            if i and i % 50 == 0:
                self._save_index(complete=False)  # a restart resumes here
            try:
                self.profile(code)
            except ClusterToolkitError as exc:  # a place without data: its request will say so
                log.info("profile of %s not indexed: %s", code, exc)
            self.index_done += 1
        self.index_seconds = time.perf_counter() - t0
        self._save_index(complete=complete)
        if complete:
            settle_heap()
        self.index_ready.set()

    # ------------------------------------------------------------- sub-sectors
    def subsector(self, text: str) -> tuple[str, str | None]:
        """The sub-sector id ``text`` means, and the alias typed when it stands for a broader sub-sector.

        ``text`` is "all", a short id (``film_tv``), a DCMS name or an everyday
        alias (``film``, ``games``), resolved by
        :func:`creative_clusters.classifications.dcms.resolve_subsector` as in
        the CLI. The alias is returned (lower-cased) only when its answer needs
        a note (``games`` is all of "IT, software and computer services"), else None.

        Raises
        ------
        ParameterError
            Unknown text (the message does not echo it), or a sub-sector the
            business counts do not have (museums: SIC 9101/9102).
        """
        from creative_clusters.workflows.business_counts import ALL, subsector_code, subsector_note

        norm = _norm_words(text)
        if not any(ch.isalnum() for ch in norm):
            raise ParameterError("subsector must contain letters or digits")
        try:
            sid = subsector_code(norm)
        except UnknownCodeError:
            raise ParameterError("unknown sub-sector; use one of " + ", ".join(self.subsectors)
                                 + " or an alias such as film, games, music (/api/meta lists them)") from None
        if sid == ALL:
            return "all", None
        if sid not in self.subsectors:
            name = _SUBSECTOR_NAMES[sid]
            why = ", omitted from the published UK Business Counts table" if sid == "museums" else ""
            raise ParameterError(
                f"the business counts in this warehouse have no enterprises in {name!r} "
                f"(SIC {', '.join(DCMS_CI_SIC2007[name])}{why}); sub-sectors with counts: "
                + ", ".join(self.subsectors) + " (/api/meta)")
        return sid, (norm if subsector_note(norm) else None)

    # ------------------------------------------------------------- search
    @staticmethod
    def search_key(q: str, limit: int) -> tuple[str, str, int]:
        """The cache key of a search (the text lower-cased, spaces collapsed).

        Raises
        ------
        ParameterError
            When ``q`` has no letter or digit.
        """
        norm = " ".join(q.lower().split())
        if not any(ch.isalnum() for ch in norm):
            raise ParameterError("type some letters or digits of a place name or code")
        return ("search", norm, limit)

    def search(self, q: str, limit: int) -> Cached:
        """Places matching ``q``: one entry per name and type, with a plain type label and year."""
        key = self.search_key(q, limit)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        from creative_clusters.workflows.places import search_places

        seen: set[tuple[str, str]] = set()
        out: list[dict[str, Any]] = []
        for r in search_places(self.snap.warehouse(), q, limit=limit * 3):
            k = (r["name"], r["geo_type"])
            if k in seen or not self._openable(r):
                continue
            seen.add(k)
            out.append({**r, "type_label": TYPE_LABELS.get(r["geo_type"], r["geo_type"]),
                        "year": r["vintage"] if r["vintage"] not in (None, "") else None})
            if len(out) == limit:
                break
        body = make_cached(dumps({"results": out}), "application/json")
        with self._guard:
            if sum(1 for k in self._cache if k[0] == "search") < _SEARCH_CACHE_MAX:
                self._cache[key] = body
        return body

    def _openable(self, hit: dict[str, Any]) -> bool:
        """Whether a search hit has a profile: not a travel-to-work area without member local authorities.

        Scotland's and Northern Ireland's travel-to-work areas have no figures (their local authorities are
        not known); offered in search, each opened to a 404. Asked for by name or code, the 404 says which
        local authority to ask for instead.
        """
        if hit.get("geo_type") != "ttwa":
            return True
        try:
            self.resolve(str(hit["code"]))
        except PlaceNotFoundError:
            return False
        return True

    # ------------------------------------------------------------- map data
    def check_year(self, year: int | None) -> int:
        """``year`` or the latest year of the business counts; a year the warehouse lacks is a
        :class:`WarehouseError` (a 404 naming the years it has, :func:`year_or_404`)."""
        return year_or_404(year, self.years)

    def check_profile_year(self, year: int | None) -> None:
        """A profile's ``year`` (``profile --year``): a year of the annual series after its first, else a
        :class:`WarehouseError` (404) naming the years a profile can end in. The series' first year (2010) is
        its base: a trend, growth window or trajectory cannot end there, and its figures are in every later
        year's trend (/api/meta ``profile_years``)."""
        if year is None or not self.series_years:
            return
        first, last = self.series_years[0], self.series_years[-1]
        if year == first:
            raise WarehouseError(f"{year} is the first year of the annual series of creative enterprises "
                                 f"({first}–{last}), its base: a profile's trend, growth windows and trajectory "
                                 f"cannot end there (a trend needs two years). Choose a year from "
                                 f"{self.series_years[1]} to {last}; {first}'s figures are in the trend of every "
                                 "later year.")
        if year not in self.series_years:
            raise WarehouseError(f"no {year} in the annual series of creative enterprises, which covers "
                                 f"{first}–{last}: a profile can end in any year from "
                                 f"{self.series_years[1] if len(self.series_years) > 1 else first} to {last}.")

    def indicators_key(self, level: str, subsector: str, measure: str, year: int | None,
                       since: int | None = None, fmt: str = "json") -> tuple[Any, ...]:
        """The cache key of an indicator body in ``fmt``: parameters checked, the default year resolved.

        Cheap (no warehouse read), so the app looks the body up on the event
        loop and only builds it in a worker thread the first time.

        Raises
        ------
        ParameterError
            An unknown level, sub-sector or measure, a sub-sector without business
            counts, a year the warehouse lacks, or ``since`` where it does not apply.

        The key holds the sub-sector's id (``film`` and ``film_tv`` share the
        data) and, last, the alias typed when its answer carries a note (see :meth:`subsector`).
        """
        _check(fmt, ("json", "csv"), "format")
        _check(level, LEVELS, "level")
        _check(measure, MEASURES, "measure")
        sid, alias = self.subsector(subsector)
        if measure in SERIES_MEASURES:
            if sid != "all":
                raise ParameterError(f"{measure} comes from the annual series of all creative industries, which has "
                                     "no sub-sectors; choose subsector=all or a measure of the SIC-level counts")
            if measure == "series_lq":  # only the years with active enterprises of all industries too
                y = year_or_404(year, self.lq_years(), what="creative-enterprise series with active enterprises "
                                                           "(the LQ's denominator)")
            else:
                y = year_or_404(year, self.series_years, what="creative-enterprise series")
            if since is not None and measure != "series_growth":  # as for the counts' measures: never ignored
                raise ParameterError(f"since applies to the series_growth measure only, not {measure}")
            if since is not None and since not in self.series_years:  # a year the series lacks: 404
                year_or_404(since, self.series_years, what="creative-enterprise series")
            if since is not None and since >= y:
                raise ParameterError(f"since must be a year of the series before {y}; years available: "
                                     + ", ".join(map(str, self.series_years)))
        else:
            if since is not None:
                raise ParameterError("since applies to the series_growth measure only")
            y = self.check_year(year)
        return ("indicators" if fmt == "json" else "indicators.csv", level, sid, measure, y, since, alias)

    def indicators(self, level: str, subsector: str, measure: str, year: int | None, fmt: str,
                   since: int | None = None) -> Cached:
        """One value per place (JSON for the map, CSV for download).

        The series measures (every UK LAD, every year of the series) take their
        years from the series; ``since`` is the start year of ``series_growth``.
        The detection measures' rows (``cluster_label``, ``hotspot_class``) say
        whether the place is ``outlined`` as a cluster (the detector's flag, as on
        the exported maps; :data:`~creative_clusters.workflows.cluster_maps.CLUSTER_FLAG`).
        """
        key = self.indicators_key(level, subsector, measure, year, since)
        _, level, sid, measure, y, since, alias = key
        data = self.build(key, lambda: self._indicators(level, sid, measure, y, since, alias))
        if fmt == "json":
            return data
        return self.build(("indicators.csv", *key[1:]), lambda: self._csv(data, y))

    def _indicators(self, level: str, subsector: str, measure: str, year: int, since: int | None,
                    alias: str | None = None) -> Cached:
        if measure in SERIES_MEASURES:
            from creative_clusters.workflows.series_map import series_map_indicator

            table, source, caveats, period = series_map_indicator(self.snap.warehouse(), level=level,
                                                                  measure=measure, year=year, since=since)
            since = period["since"]
        else:
            from creative_clusters.workflows.map_data import map_indicator

            table, source, caveats = map_indicator(self.snap.warehouse(), level=level, subsector=alias or subsector,
                                                   measure=measure, year=year)
            table = table[["geo_code", "geo_name", "value", "flag",
                           *(c for c in ("outlined", "note") if c in table)]]
        rows = table.to_dict("records")
        kind = MEASURES[measure][1]
        classes: dict[str, Any] | None = None
        row_classes: list[int | None] = []
        if kind in QUANTILE_KINDS:
            from creative_clusters.workflows.cluster_maps import quantile_classes

            classes = quantile_classes(table["value"])
            row_classes = classes.pop("classes")
        elif measure in MEASURE_SCALES or kind in DIVERGING_SCALES:
            # the exported LQ maps' rule: a value on an edge is in the lower class
            classes = MEASURE_SCALES.get(measure) or DIVERGING_SCALES[kind]
            row_classes = classify(table["value"], fixed_class_bins(table["value"], classes["edges"]))
        elif measure in CATEGORY_SCALES:
            classes = CATEGORY_SCALES[measure]
            row_classes = classify_categories(table["value"], measure)
        if classes is not None:
            for r, c in zip(rows, row_classes, strict=True):
                r["class"] = c
        return make_cached(dumps({
            "level": level, "subsector": subsector, "measure": measure, "year": year, "since": since,
            "label": MEASURES[measure][0], "kind": kind, "rows": rows, "classes": classes,
            "source": source, "caveats": caveats, "definitions_version": DEFINITION_VERSION,
            "version": self.version,
        }), "application/json")

    @staticmethod
    def _csv(data: Cached, year: int) -> Cached:
        import json

        d = json.loads(data.body)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        since = d.get("since")
        w.writerow(["geo_code", "geo_name", d["measure"], "flag", "year", "since", "subsector"])
        for r in d["rows"]:
            w.writerow([r["geo_code"], r["geo_name"], "" if r["value"] is None else r["value"], r["flag"] or "",
                        year, "" if since is None else since, d["subsector"]])
        buf.write(f"# {d['label']}. Source: {_sentence(d['source'])} Caveats: {_sentences(d['caveats'])} "
                  f"Definitions {d['definitions_version']}. Contains public sector information licensed under "
                  "the Open Government Licence v3.0.\n")
        span = f"{since}-{year}" if since is not None else f"{year}"
        name = f"creative-clusters_{d['level']}_{d['subsector']}_{d['measure']}_{span}.csv"
        return make_cached(buf.getvalue().encode(), "text/csv; charset=utf-8", filename=name)

    def geometry(self, level: str, detail: str) -> Cached:
        """Boundaries of a level simplified for ``detail``."""
        _check(level, LEVELS, "level")
        _check(detail, layers.DETAIL, "detail")
        return self.build(("geometry", level, detail), lambda: make_cached(layers.boundaries_geojson(
            level_geometry(self.snap.warehouse(), level), detail), "application/geo+json"))

    def labels(self, level: str) -> Cached:
        """Label points of a level's places."""
        _check(level, LEVELS, "level")
        return self.json(("labels", level), lambda: {"level": level, "labels": layers.labels(
            level_geometry(self.snap.warehouse(), level))})

    def overlay(self, name: str) -> Cached:
        """The microclusters or corridors layer (:func:`overlay_body`), built once per version."""
        _check(name, ("microclusters", "corridors"), "layer")
        return self.build(("overlay", name), lambda: overlay_body(self.snap.warehouse(), name))

    def firm_points(self) -> layers.FirmPoints:
        """The clustered firms of this snapshot (read and encoded once)."""
        if self._firms is None:
            with self._guard:
                lock = self._locks.setdefault(("firms",), threading.Lock())
            with lock:
                if self._firms is None:
                    wh = self.snap.warehouse()
                    self._firms = (layers.FirmPoints.from_table(wh.table("microcluster_firms"))
                                   if wh.has_table("microcluster_firms") else layers.FirmPoints.empty())
        return self._firms

    def firms(self, bbox: tuple[float, float, float, float]) -> Cached:
        """Clustered firms inside ``bbox`` (built per request from an in-memory table)."""
        return make_cached(self.firm_points().in_bbox(bbox), "application/geo+json")

    def firms_at_once(self, bbox: tuple[float, float, float, float]) -> Cached | None:
        """The firms inside ``bbox`` when that answer is cheap, else None (then call :meth:`firms` in a thread).

        Cheap means the points are already read and the view holds at most
        :data:`FIRMS_AT_ONCE` firms, so the app answers on the event loop
        without a hop through the thread pool.
        """
        pts = self._firms
        if pts is None or pts.count(bbox) > FIRMS_AT_ONCE:
            return None
        return make_cached(pts.in_bbox(bbox), "application/geo+json")

    def clusters_key(self, method: str, subsector: str,
                     year: int | None = None) -> tuple[str, str, str, str | None, int | None]:
        """The cache key of a clusters body: the method, the sub-sector's id, the alias needing a note and
        the year (None: the latest)."""
        _check(method, ("threshold", "strong", "hotspot"), "method")
        return ("clusters", method, *self.subsector(subsector), year)

    def clusters(self, method: str, subsector: str, year: int | None = None) -> Cached:
        """Places detected as clusters by ``method`` on LAD business LQs (``subsector`` as in :meth:`subsector`),
        of the latest business counts or of ``year`` (``clusters --year``)."""
        key = self.clusters_key(method, subsector, year)
        _, method, sid, alias, _year = key

        def make() -> dict[str, Any]:
            from creative_clusters.workflows.business_counts import subsector_note
            from creative_clusters.workflows.detection import place_table, run_method

            wh = self.snap.warehouse()
            table, meta = place_table(wh, level="lad", subsector=None if sid == "all" else sid, year=year)
            res, _ = run_method(wh, table, meta, method=method, seed=0)
            hits = res[res["cluster"].astype(bool)]
            cols = [c for c in ("geo_code", "geo_name", "businesses", "business_lq", "lq_lower", "lq_upper",
                                "small_count", "hotspot") if c in hits.columns]
            return {"method": str(res["method"].iloc[0]), "subsector": sid, "level": "lad",
                    "period": meta.get("period"), "note": subsector_note(alias) if alias else "",
                    "clusters": hits[cols].to_dict("records"), "source": meta["source"],
                    "definitions_version": DEFINITION_VERSION}

        return self.json(key, make)

    # ------------------------------------------------------------- research, packs
    def research(self, *, theme: str | None, subsector: str | None, place: str | None,
                 text: str | None) -> dict[str, Any]:
        """Search the curated research library (a place narrows it to the place's chain of areas)."""
        from creative_clusters.research.library import search_library, subsector_code, why_relevant
        from creative_clusters.workflows.evidence import resolve_evidence_place

        for name, v in (("text", text), ("theme", theme), ("subsector", subsector)):
            if v is not None and not any(ch.isalnum() for ch in v):
                raise ParameterError(f"{name} must contain letters or digits")
        chain = resolve_evidence_place(self.national(), self.resolve(place).code).chain if place else None
        try:
            entries = search_library(place_chain=chain, subsector=subsector, theme=theme, text=text)
        except (KeyError, ValueError) as exc:
            raise ParameterError(str(exc)) from None
        codes = frozenset({subsector_code(subsector)}) if subsector else frozenset()
        return {"count": len(entries), "results": [{**e.to_dict(), "why": why_relevant(e, place_chain=chain,
                                                                                      subsectors=codes, asked=True)}
                                                   for e in entries]}

    def evidence(self, query: str, fmt: str, subsector: str = "all", year: int | None = None) -> Cached:
        """The place's evidence pack in ``fmt`` (html, pdf, docx or xlsx), one file named after the place,
        focused on ``subsector`` as ``evidence --subsector`` (all creative industries by default), of the
        latest business counts or of ``year`` (``evidence --year``)."""
        check_pack_format(fmt)
        focus = self._pack_focus(subsector)
        place = self.resolve(query)
        key = ("evidence", place.code, fmt, focus, year)
        if fmt == "pdf":  # drawn from the pack's HTML, which is built (and kept) once for both
            return self.build(key, lambda: self._pdf_of(self.evidence(query, "html", subsector, year)))
        return self.build(key, lambda: self._pack(fmt, place=place.code, subsectors=focus, year=year))

    def group_evidence(self, places: str, name: str | None, fmt: str, subsector: str = "all",
                       year: int | None = None) -> Cached:
        """A user's group's evidence pack in ``fmt``, keyed by its name, members, sub-sector focus and year."""
        check_pack_format(fmt)
        focus = self._pack_focus(subsector)
        group = self.group(places, name)
        if group.level != CUSTOM:  # a group that is one place (one local authority, a county): that place's pack
            return self.evidence(group.code, fmt, subsector, year)
        # the member rule too: "Kent,Medway" and its 13 codes are the same LADs, but only the first says Kent
        key = ("group-evidence", group.name, group.members, group.member_rule, fmt, focus, year)
        if fmt == "pdf":
            return self._build_group(key, lambda: self._pdf_of(self.group_evidence(places, name, "html",
                                                                                   subsector, year)))
        # the entries as given, so the pack's resolver says which were counties or regions taken as their LADs
        entries = [c.strip() for c in places.split(",") if c.strip()]
        return self._build_group(key, lambda: self._pack(fmt, name=group.name, places=entries,
                                                         subsectors=focus, year=year))

    def _pdf_of(self, html: Cached) -> Cached:
        """The PDF of a pack from its HTML page, as ``evidence --format html,pdf`` makes both from one page
        (:func:`~creative_clusters.reporting.render_pdf.render_pdf`): opening the pack in the browser and then
        downloading its PDF builds the pack's statistics and figures once, not twice."""
        from creative_clusters.reporting.render_pdf import render_pdf

        with self.pack_lock:  # one pack at a time, as :meth:`_pack`
            pdf = render_pdf(None, html.body.decode("utf-8"))
        return make_cached(pdf, PACK_MEDIA_TYPES["pdf"], filename=str(Path(html.filename or "pack.html")
                                                                      .with_suffix(".pdf")),
                           utf8_filename=str(Path(html.utf8_filename).with_suffix(".pdf")) if html.utf8_filename
                           else None)

    def _pack_focus(self, subsector: str) -> tuple[str, ...]:
        """The pack's ``--subsector`` for the text typed: none for all; the alias when it stands for exact
        SIC classes the pack shows on their own (``games``: SIC 5821), else the sub-sector's id."""
        sid, alias = self.subsector(subsector)
        return () if sid == "all" else (alias or sid,)

    def _pack(self, fmt: str, *, place: str | None = None, name: str | None = None,
              places: list[str] | None = None, subsectors: tuple[str, ...] = (), year: int | None = None) -> Cached:
        """Build one pack in ``fmt`` only, by the CLI's :func:`~creative_clusters.workflows.evidence.build_pack`."""
        from creative_clusters.workflows.evidence import PlaceInfo, _stem, build_pack

        nd = self.national(year)
        with self.pack_lock, tempfile.TemporaryDirectory() as tmp:
            ctx, paths = build_pack(place, home=self.snap.root, out=tmp, formats=(fmt,), national=nd,
                                    name=name, places=places, subsectors=subsectors,
                                    year=None if year is None else str(year))
            path = Path(paths[0])
            body = path.read_bytes()
        pl = ctx["place"]  # the name as written ("Môn a Gwynedd"), for the download's filename*
        uni = _stem(PlaceInfo(str(pl["code"]), str(pl["name"]), members=list(pl.get("members") or [])), subsectors,
                    None if year is None else str(year), unicode=True) + path.suffix
        return make_cached(body, PACK_MEDIA_TYPES[fmt], filename=path.name, utf8_filename=uni)

    # ------------------------------------------------------------- user-defined groups
    def group(self, places: str, name: str | None) -> Any:
        """A user's group of local authorities from comma-separated codes or names, as ``profile --places``
        resolves it (:meth:`~creative_clusters.geography.resolver.PlaceBook.group`; "Bristol, City of" is one
        entry; a county, combined authority, region or nation stands for its local authorities; a group that
        is one place is that place). Without a name it is named after its entries, as ``evidence --places``
        names it."""
        from creative_clusters.workflows.places import place_book

        entries = [c.strip() for c in places.split(",")]
        return place_book(self.snap.warehouse()).group((name or "").strip(), entries, option="the places parameter")

    def group_profile(self, places: str, name: str | None, year: int | None = None) -> Cached:
        """The profile of a user's group (as ``profile --name --places --json [--year]``), keyed by its name,
        members and year."""
        self.check_profile_year(year)
        group = self.group(places, name)
        key = ("group-profile", group.name, group.members, group.member_rule, year)
        return self._build_group(key, lambda: make_cached(dumps(self._build_profile(group, year=year)),
                                                          "application/json"))

    def _build_group(self, key: tuple[Any, ...], make: Callable[[], Cached]) -> Cached:
        """Like :meth:`build`, keeping at most :data:`_GROUP_CACHE_MAX` groups' bodies (any text makes a group)."""
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if sum(1 for k in list(self._cache) if k[0].startswith("group-")) < _GROUP_CACHE_MAX:
            return self.build(key, make)
        return make()

    def meta(self) -> Cached:
        """Levels, sub-sectors, measures and the years the warehouse has.

        ``subsectors`` are the ones the endpoints accept (those the business
        counts have); ``subsectors_without_counts`` the DCMS sub-sectors they
        lack (museums, galleries and libraries: SIC 9101/9102 are not in the
        published UK Business Counts), which the endpoints refuse;
        ``subsector_aliases`` the everyday words accepted for the former, as in the CLI;
        ``map_classes`` the fixed diverging scales of the LQ (``ratio``) and
        per-cent change (``change``) maps (:data:`DIVERGING_SCALES`), which the
        page also needs away from the map (the LQ help text);
        ``category_classes`` each categorical measure's values, colours and
        legend labels (:data:`CATEGORY_SCALES`); ``no_data`` how a place
        without a value is drawn and its legend label (fill, hatch colour,
        matplotlib hatch; :data:`~creative_clusters.workflows.cluster_maps.NO_DATA`,
        the exported and pack maps' style); ``cluster_outline`` the colour of
        the outline of the places a detection method flags (rows marked
        ``outlined`` in ``/api/indicators``; :data:`~creative_clusters.workflows.cluster_maps.CLUSTER_OUTLINE`).
        """
        def make() -> dict[str, Any]:
            served = [s for s in self.subsectors if s != "all"]
            aliases = {}
            for alias, name in SUBSECTOR_ALIASES.items():
                sid = subsector_short(name)
                if sid in served and alias != sid:
                    aliases[alias] = sid
            return {
                "levels": [{"id": k, "label": v} for k, v in LEVELS.items()],
                "subsectors": [{"id": "all", "name": "All creative industries"}]
                + [{"id": s, "name": _SUBSECTOR_NAMES[s]} for s in served],
                "subsectors_without_counts": [
                    {"id": s, "name": _SUBSECTOR_NAMES[s], "sic": list(DCMS_CI_SIC2007[_SUBSECTOR_NAMES[s]]),
                     "note": "no business counts in this warehouse"
                     + (" (not in the published UK Business Counts table)" if s == "museums" else "")
                     + "; not accepted by the map endpoints"}
                    for s in SUBSECTOR_IDS[1:] if s not in served],
                "subsector_aliases": aliases,
                "measures": [self._measure_meta(k, v) for k, v in MEASURES.items()],
                "map_classes": DIVERGING_SCALES, "category_classes": CATEGORY_SCALES,
                "no_data": NO_DATA.as_json(),
                "cluster_outline": {"colour": CLUSTER_OUTLINE, "label": HOTSPOT_OUTLINE_LABEL},
                "years": self.years, "series_years": self.series_years,
                # the years a profile may end in (?year=): the series' first year is its base, no trend ends there
                "profile_years": self.series_years[1:],
                "series_base_year": self.series_years[0] if self.series_years else None,
                "definitions_version": DEFINITION_VERSION, "version": self.version,
            }

        return self.json(("meta",), make)

    def _measure_meta(self, measure: str, spec: tuple[str, str]) -> dict[str, Any]:
        """A measure in /api/meta: its levels, and the years the slider may offer (with why, when fewer)."""
        out: dict[str, Any] = {"id": measure, "label": spec[0], "kind": spec[1],
                               "years": "series" if measure in SERIES_MEASURES else "counts",
                               "levels": list(LEVELS), "levels_note": None, "year_list": None, "years_note": None}
        if measure in MEASURE_LEVELS:
            out["levels"], out["levels_note"] = list(MEASURE_LEVELS[measure][0]), MEASURE_LEVELS[measure][1]
        if measure == "series_lq" and self.series_years:
            years = self.lq_years()
            out["year_list"] = years
            if not years:
                out["years_note"] = ("No year of the series has an LQ: it needs active enterprises of all industries "
                                     "(ONS Business Demography) beside it.")
            elif years != self.series_years:
                out["years_note"] = (f"LQs for {years[0]}–{years[-1]}: the years with active enterprises of all "
                                     "industries (ONS Business Demography, the LQ's denominator) as well as the "
                                     "series.")
        if measure == "trajectory_class" and self.series_years:
            years = self.trajectory_years()
            out["year_list"] = years
            if years and years[0] > self.series_years[0]:
                out["years_note"] = (f"Trajectory classes start in {years[0]}: a class needs several years of growth "
                                     f"before the year shown, and the series starts in {self.series_years[0]}.")
            elif not years:
                out["years_note"] = "No year of the series has trajectory classes (the series is too short)."
        return out

    def lq_years(self) -> list[int]:
        """Years of the series with a business LQ against the UK (read once per warehouse version)."""
        if self._lq_years is None:
            from creative_clusters.workflows.series_map import lq_years

            self._lq_years = lq_years(self.snap.warehouse()) if self.series_years else []
        return self._lq_years

    def trajectory_years(self) -> list[int]:
        """Years of the series in which the trajectory layer gives local authorities any class."""
        from creative_clusters.workflows.trajectory import load_trajectory_data, trajectory_table

        t = trajectory_table(level="lad", data=load_trajectory_data(self.snap.warehouse()))
        has = t["trajectory"].notna() & (t["trajectory"].astype(str) != "")
        return sorted({int(p) for p in t.loc[has, "period"]})

    def start_index(self) -> None:
        """Build the index in a background thread (joined by :meth:`close`)."""
        self._index_thread = threading.Thread(target=self.build_index, name=f"web-index-{self.version}",
                                              daemon=True)
        self._index_thread.start()

    def close(self) -> None:
        """Stop the index thread, wait for it to leave the database, then delete the snapshot.

        The thread checks the stop flag between places, so the wait is at most
        one profile. Closing the database under a running query, or leaving a
        thread inside DuckDB when the interpreter exits, aborts the process.
        """
        self._stop.set()
        thread = self._index_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=120)
        self.snap.close()


class WebService:
    """The current :class:`Version` of the user's warehouse, replaced when the warehouse changes.

    Parameters
    ----------
    home : path-like, optional
        The user's warehouse home (never opened for longer than a snapshot copy).
    precompute : bool
        Build every map place's profile in a background thread after start and
        after each new warehouse version.
    watch : float or None
        Seconds between polls of the warehouse files; ``None`` to never poll.
    framework : str
        The benchmark framework: a packaged name or a YAML file of the user's.
    """

    def __init__(self, home: str | os.PathLike[str] | None = None, *, precompute: bool = True,
                 watch: float | None = 2.0, framework: str = DEFAULT_FRAMEWORK) -> None:
        snap = Snapshot.take(home, retries=20)
        self.home = snap.source
        self.precompute = precompute
        self.framework = framework
        self.index_dir = snap.source / "cache" / "web"
        self.current = Version(snap, self.index_dir, framework=framework)
        self._retired: list[Version] = []
        self._timers: list[threading.Timer] = []
        self.watcher = WarehouseWatcher(self.home, snap.stamp, self._swap, interval=watch or 2.0,
                                        version=snap.version)
        if precompute:
            self._start_index(self.current)
        if watch:
            self.watcher.start()

    def _start_index(self, v: Version) -> None:
        v.start_index()

    def _swap(self, snap: Snapshot) -> None:
        new = Version(snap, self.index_dir, framework=self.framework)
        old, self.current = self.current, new
        log.warning("warehouse changed: serving version %s (was %s)", new.version, old.version)
        if self.precompute:
            self._start_index(new)
        # requests that started on the old version finish on it; it is deleted a minute later
        old._stop.set()
        self._retired.append(old)
        timer = threading.Timer(60.0, self._retire, args=(old,))
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def _retire(self, old: Version) -> None:
        if old in self._retired:
            self._retired.remove(old)
            old.close()
            gc.unfreeze()  # the old version's objects become collectable; what is left is frozen again
            settle_heap()

    def private_paths(self) -> list[Path]:
        """The server's own folders (the warehouse home, every snapshot), never shown to a web user."""
        return [self.home, self.home.resolve(), self.current.snap.root, *(v.snap.root for v in list(self._retired))]

    def status(self) -> dict[str, Any]:
        """The version being served and how far its index is."""
        v = self.current
        return {"version": v.version, "snapshot_taken_at": v.snap.taken_at, "years": v.years,
                "index": {"ready": v.index_ready.is_set(), "done": v.index_done, "total": v.index_total,
                          "seconds": v.index_seconds},
                "watch_error": self.watcher.last_error}

    def close(self) -> None:
        """Stop watching and delete every snapshot (the current one and any still retiring)."""
        self.watcher.stop()
        for timer in self._timers:
            timer.cancel()
        for old in self._retired:
            old.close()
        self._retired.clear()
        self.current.close()
