"""Cluster detection on place tables: build the table of a level, run a method, find corridors.

- :func:`place_table`: the place table of a level and measure (business counts
  summed from LADs, or BRES/IDBR by NUTS2) and what its columns mean;
- :func:`resolve_min_size`: the threshold rule's default size floor (``"q25"``);
- :func:`run_method` / :func:`detect`: threshold, strong or hotspot detection;
- :func:`find_corridors`, :func:`read_travel_time`: corridors among clusters,
  from distances or a travel-time CSV.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import count_words
from creative_clusters.errors import ParameterError
from creative_clusters.geography.place import nations_in
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows.business_counts import (
    LAD_LEVELS,
    business_source_line,
    lad_business_counts,
    lad_business_table,
)
from creative_clusters.workflows.nuts2_tables import nuts2_employment_table, nuts2_source_line
from creative_clusters.workflows.place_geometry import build_connectivity, level_geometry

__all__ = [
    "DEFAULT_MIN_SIZE",
    "MEASURES_BY_LEVEL",
    "METHODS",
    "detect",
    "find_corridors",
    "hotspot_method_words",
    "island_caveat",
    "parts_caveat",
    "place_table",
    "read_travel_time",
    "resolve_min_size",
    "run_method",
]


#: Detection methods :func:`detect` runs.
METHODS = ("threshold", "strong", "hotspot")


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
        floor = _floor_text(out, size, min_size)
        stamp = f"threshold(LQ>={det.min_lq}, {det.rule}, {size}>={floor}; docs/methods.md §1)"
    elif method == "strong":
        emp = "employment" if "employment" in out.columns else None
        est = "establishments" if "establishments" in out.columns and out["establishments"].notna().any() else (
            "businesses" if "businesses" in out.columns else None)
        det = StrongClusters(lq=lq, employment=emp, establishments=est, **params)
        out["cluster"] = det.fit_predict(out)
        stamp = "strong(LQ top quartile & >=1; sizes above bottom quartile; docs/methods.md §13)"
    elif method == "hotspot":
        if connectivity is None:
            raise ParameterError("method 'hotspot' needs connectivity (spatial weights).")
        hot = HotspotClusters(connectivity, value=lq, seed=seed, permutations=permutations, warn_islands=False,
                              **params)
        hot.fit(out)
        out = pd.concat([out, hot.results_], axis=1)
        out["cluster"] = hot.is_cluster_
        out["hotspot"] = hot.labels_
        stamp = hotspot_method_words(lq, permutations=permutations, seed=seed, alpha=hot.alpha)
        det = hot
        island = " ".join(c for c in (island_caveat(out, hot.islands_),
                                       *(parts_caveat(out, parts) for parts in hot.parts_)) if c)
        if island and "caveat" in out.columns:
            out["caveat"] = [f"{c}; {island}" if isinstance(c, str) and c else island for c in out["caveat"]]
        elif island:
            out["caveat"] = island
    else:
        raise ParameterError(f"method must be one of {list(METHODS)}. Got {method!r} instead.")
    out["method"] = stamp
    return out, det


def hotspot_method_words(lq: str, *, permutations: int = 999, seed: int = 0, alpha: float = 0.05,
                         statistic: str = "both") -> str:
    """The hot-spot method in plain words, naming the statistic behind the classes shown.

    ``statistic``: ``"gi"`` (Getis-Ord Gi* hot and cold spots, the ``hotspot``
    column), ``"lisa"`` (local Moran's I quadrants, ``lisa_quadrant``) or
    ``"both"`` (hot spots by Gi*, quadrants by local Moran's I; a cluster is
    either a Gi* hot spot or a high-high quadrant).

    Examples
    --------
    >>> hotspot_method_words("business_lq", statistic="lisa")[:60]
    "hotspots (local Moran's I) of the business LQ: each place ag"
    """
    what = {"gi": "Getis-Ord Gi*", "lisa": "local Moran's I",
            "both": "Getis-Ord Gi* hot and cold spots; local Moran's I quadrants"}[statistic]
    measure = {"business_lq": "the business LQ", "employment_lq": "the employment LQ"}.get(lq, lq)
    return (f"hotspots ({what}) of {measure}: each place against its neighbours, {permutations} random "
            f"permutations (seed {seed}), false discovery rate {alpha:.0%}")


def island_caveat(table: pd.DataFrame, islands: Sequence[Any]) -> str:
    """The places with no neighbours, by name, and what that means for them (``""`` when none).

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["E06000046", "E06000053"], "geo_name": ["Isle of Wight", "Isles of Scilly"]})
    >>> island_caveat(t, ["E06000046", "E06000053"])
    'Isle of Wight and Isles of Scilly have no neighbouring places (islands), so they get no hotspot class.'
    """
    if not len(islands):
        return ""
    names = (dict(zip(table["geo_code"].astype(str), table["geo_name"].astype(str), strict=True))
             if "geo_name" in table.columns else {})
    shown = [names.get(str(i), str(i)) for i in islands]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    if len(shown) == 1:
        return f"{listed} has no neighbouring places (an island), so it gets no hotspot class."
    return f"{listed} have no neighbouring places (islands), so they get no hotspot class."


_NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


def parts_caveat(table: pd.DataFrame, parts: Sequence[Sequence[Any]]) -> str:
    """Places that fall into separate parts with no neighbour across them, in words (``""`` for one part).

    A part is named by its nation when all its places are in one (by the GSS code's first letter), else by
    its places' names; the largest part is "the other N places".

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["E1", "E2", "E3", "N1", "N2"], "geo_name": ["A", "B", "C", "D", "E"]})
    >>> print(parts_caveat(t, [["E1", "E2", "E3"], ["N1", "N2"]])[:101])
    The places fall into 2 parts with no neighbouring place across them (the 2 places in Northern Ireland
    """
    if len(parts) < 2:
        return ""
    names = (dict(zip(table["geo_code"].astype(str), table["geo_name"].astype(str), strict=True))
             if "geo_name" in table.columns else {})

    def words(part: Sequence[Any]) -> str:
        nations = {str(c)[:1] for c in part}
        if len(nations) == 1 and (nation := _NATIONS.get(nations.pop())):
            return f"the {count_words(len(part), 'place')} in {nation}"
        from creative_clusters.workflows.places import join_names

        return join_names([names.get(str(c), str(c)) for c in part])

    described = [words(p) for p in parts[1:]] + [f"the other {count_words(len(parts[0]), 'place')}"]
    return (f"The places fall into {len(parts)} parts with no neighbouring place across them "
            f"({'; '.join(described)}), so each is compared only with places in its own part and no hotspot "
            "spans two parts.")


def find_corridors(
    places: pd.DataFrame, *, mass: str = "businesses", max_distance: float = kinds.CORRIDOR_MAX_DISTANCE_M,
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
    if not path.exists():  # the user's own file, not the reference data
        raise ImportFormatError(f"travel-time file not found at {path.resolve()}; give the path of your CSV "
                                "with columns origin, destination, minutes", file=str(path))
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
    Mapping Project (Delgado, Porter & Stern 2016; docs/methods.md §13).
    Nesta's own floor (2016) was never published (docs/methods.md §1, step
    3), and a fixed number cannot serve every sub-sector and level: on the
    reference data the bottom quartile of English LADs is 276 creative
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
    wh: Warehouse, *, level: str = "lad", measure: str = "businesses", subsector: str | None = None,
    year: int | str | None = None, statistics: bool = True,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The place table for a level/measure, and what its columns mean.

    ``level``: ``lad``, ``cauth``, ``rgn`` or ``ttwa`` (English business counts
    summed from LADs; TTWAs by the best-fit LAD rule of
    :func:`lad_ttwa_assignment`) or ``nuts2`` (BRES/IDBR). Valid measures per
    level are in :data:`MEASURES_BY_LEVEL`.

    ``statistics=False`` (business-count levels only) leaves out the place
    statistics of :func:`~creative_clusters.workflows.placestats.level_table`
    (census, shares, ranks) and the centroids: the business columns alone,
    which the threshold and strong rules use, read in about a third of the time.

    At every level ``lq_lower``/``lq_upper`` (and ``small_count``) belong to the
    ``lq`` column of ``meta``: at NUTS2 with ``measure="businesses"`` they are
    the business LQ's interval, not the employment LQ's.

    Returns ``(table, meta)`` where ``meta`` has ``lq`` (LQ column), ``size``
    (size column), ``source`` (source line), ``level``, (with
    ``statistics``) ``period``, ``benchmark`` (business-count levels: what the
    LQ is against, in words: the nations of the LADs the counts cover,
    "England" for the SIC-level table, read from its codes) and, when the
    measure's LQ cannot be computed for any place, ``note`` saying why.
    """
    if level in LAD_LEVELS:
        if measure not in ("businesses", "enterprises"):
            raise ParameterError(
                f"measure {measure!r} is not available at level {level!r}. Valid measures: "
                f"{_valid_measures_text()}. (LQs are computed for every measure; BRES employment "
                "exists only by NUTS2 in the reference data.)"
            )
        table = lad_business_table(wh, year=year, subsector=subsector, level=level, centroids=statistics)
        # the LQ's reference is the total of the LADs counted (every level sums them, a remainder kept)
        lads = table["geo_code"] if level == "lad" else lad_business_counts(wh, year=year)["geo_code"].unique()
        meta = {"lq": "business_lq", "size": "businesses", "level": level,
                "measure": "businesses", "source": business_source_line(wh, year=year, level=level),
                "benchmark": nations_in(lads)}
        if statistics:
            from creative_clusters.workflows.placestats import level_table

            stats, smeta = level_table(wh, level=level, year=year, subsector=subsector)
            extra = ["geo_code", *(c for c in stats.columns if c not in table.columns)]
            table = table.merge(stats[extra], on="geo_code", how="left")
            meta["period"] = smeta["period"]
    elif level == "nuts2":
        if measure not in MEASURES_BY_LEVEL["nuts2"]:
            raise ParameterError(
                f"measure {measure!r} is not available at level 'nuts2'. Valid measures: "
                f"{_valid_measures_text()}.")
        # lq_lower/lq_upper/small_count are the measure's own LQ's (business LQ: exact Poisson interval
        # on the IDBR local units), never another measure's
        table = nuts2_employment_table(wh, year=year, subsector=subsector, measure=measure)
        if measure == "employment":
            meta = {"lq": "employment_lq", "size": "employment"}
        else:
            meta = {"lq": "business_lq", "size": "establishments"}
        meta.update({"level": "nuts2", "measure": measure, "source": nuts2_source_line(wh),
                     "period": str(table["period"].iloc[0])})
        if table[meta["lq"]].isna().all():
            meta["note"] = (f"No IDBR local units by NUTS2 for {meta['period']} in the warehouse: the business LQ "
                            "and its interval (lq_lower, lq_upper) are empty; for the jobs LQ use --measure employment "
                            "(BRES is a rounded sample survey, so that LQ has no interval).")
    else:
        raise ParameterError(f"level must be one of {', '.join([*LAD_LEVELS, 'nuts2'])}; got {level!r}.")
    return table, meta


def _floor_text(table: pd.DataFrame, size: str, floor: float) -> str:
    """The size floor as a reader takes it: a whole number for whole counts (``>=277`` where the quantile
    gave 276.25, the same places), else as computed.

    Examples
    --------
    >>> _floor_text(pd.DataFrame({"businesses": [270.0, 280.0]}), "businesses", 276.25)
    '277'
    >>> _floor_text(pd.DataFrame({"gva": [1.5, 2.0]}), "gva", 1.75)
    '1.75'
    """
    vals = pd.to_numeric(table[size], errors="coerce").dropna() if size in table.columns else pd.Series(dtype=float)
    if len(vals) and bool((vals % 1 == 0).all()) and float(floor) % 1:
        return str(math.ceil(floor))
    return f"{floor:g}"


def run_method(
    wh: Warehouse, table: pd.DataFrame, meta: dict[str, str], *, method: str = "threshold",
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
