"""The evidence pack's place statistics, computed once (formulas from :mod:`creative_clusters.indicators`).

The pack's renderers (:mod:`creative_clusters.reporting`) only display what
this module returns:

- :func:`business_lq` — creative enterprises, business location quotients and
  their exact Poisson intervals for every LAD and sub-sector (plus "all"), and
  the place's own row when it is a group of LADs (counts and active
  enterprises summed, the LQ recomputed against the same England reference);
- :func:`published_indicators` — benchmark indicators published for combined
  authorities and regions (preferred over anything derived from members);
- :func:`place_indicator_row` — the benchmark row of a group of LADs: the
  published row where one exists, else counts summed, shares and the LQ
  recomputed from the summed counts, business rates weighted by active
  enterprises (exact for birth and death rates) and other rates weighted by
  population (usual residents, Census 2021);
- :func:`census_divisions` — residents in creative industry divisions (Census
  2021 TS060) for the place and England and Wales: the one value of the
  workforce share used by every section.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.benchmarking.framework import CREATIVE_DIVISIONS, Framework, indicator_table, indicator_values
from creative_clusters.indicators.lq import location_quotient, poisson_lq_interval
from creative_clusters.reporting._model import BusinessLQ, CensusDivisions, Deprivation

__all__ = ["business_lq", "census_divisions", "deprivation", "neighbours", "place_indicator_row", "published_indicators"]

#: Two areas are neighbours when their boundaries come within this distance (metres): the
#: simplified boundaries leave gaps across rivers (474 m between Plymouth and Cornwall on the Tamar).
NEIGHBOUR_BUFFER_M = 1000.0

#: LAD code prefixes (the four nations' local authorities).
LAD_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")
#: Place types whose own published rows (local indicators, business demography) are preferred.
PUBLISHED_TYPES = ("cauth", "rgn", "ctry")
#: Business-demography rates: weighted by active enterprises (exact for birth and death rates).
BUSINESS_RATES = ("birth_rate", "death_rate", "survival_rate", "high_growth_rate")


def business_lq(enterprises: pd.DataFrame, active: pd.Series, *, code: str | None = None,
                members: Sequence[str] = (), confidence: float = 0.95) -> BusinessLQ | None:
    """Business LQs with exact intervals from :func:`creative_clusters.indicators.lq.location_quotient`.

    Examples
    --------
    >>> ent = pd.DataFrame({"film_tv": [30.0, 10.0], "music_arts": [10.0, 50.0]}, index=["E09000001", "E09000002"])
    >>> act = pd.Series({"E09000001": 400.0, "E09000002": 600.0})
    >>> r = business_lq(ent, act, code="G", members=["E09000001", "E09000002"])
    >>> round(float(r.lq.loc["E09000001", "film_tv"]), 3), float(r.lq.loc["G", "all"])
    (1.875, 1.0)
    """
    lads = [c for c in enterprises.index if str(c)[:3] in LAD_PREFIXES and c in active.index and active[c] > 0]
    if not lads:
        return None
    wide = enterprises.loc[lads].astype(float).copy()
    wide["all"] = wide.sum(axis=1, min_count=1)
    long = wide.rename_axis("geo_code").reset_index().melt(id_vars="geo_code", var_name="industry_code",
                                                            value_name="value").dropna(subset=["value"])
    den = pd.DataFrame({"geo_code": lads, "value": active.loc[lads].astype(float).to_numpy()})
    res = location_quotient(long.assign(dataset="business_counts"), denominator=den.assign(dataset="active"),
                            period=None, allow_mixed_sources=True, confidence=confidence)
    piv = {k: res.pivot(index="geo_code", columns="industry_code", values=k).reindex(index=lads, columns=wide.columns)
           for k in ("value", "lq", "lq_lower", "lq_upper")}
    ref = res.groupby("industry_code")["reference_share"].first().reindex(wide.columns)
    act = active.loc[lads].astype(float)
    out = BusinessLQ(count=piv["value"], lq=piv["lq"], lo=piv["lq_lower"], hi=piv["lq_upper"], active=act,
                     reference_share=ref)
    mem = [m for m in members if m in out.count.index]
    if code is not None and code not in out.count.index and mem:
        c = wide.loc[mem].sum(min_count=1)
        a = float(act.loc[mem].sum())
        expected = (a * ref).to_numpy(dtype=float)
        lo, hi = poisson_lq_interval(c.to_numpy(dtype=float), expected, confidence=confidence)
        for frame, vals in ((out.count, c.to_numpy()), (out.lq, c.to_numpy(dtype=float) / expected),
                            (out.lo, lo), (out.hi, hi)):
            frame.loc[code] = vals
        out.active.loc[code] = a
        if len(mem) < len(members):
            out.notes.append(f"{len(members) - len(mem)} of {len(members)} member areas have no creative "
                             "enterprise count or active-enterprise denominator and are left out.")
    return out


def published_indicators(framework: Framework, observations: Mapping[str, pd.DataFrame]) -> pd.DataFrame | None:
    """Indicator values published for combined authorities, regions and nations (wide, code x indicator)."""
    parts = [indicator_values(framework, observations, geo_type=gt) for gt in PUBLISHED_TYPES]
    vals = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if vals is None:
        return None
    return indicator_table(framework, vals.drop_duplicates(["geo_code", "indicator_id"]))


def census_divisions(census: pd.DataFrame | None, members: Sequence[str]) -> CensusDivisions | None:
    """Sum TS060 over the place's member LADs (``None`` when none is in the table).

    Examples
    --------
    >>> c = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "industry_code": ["62", "_T", "62", "_T"],
    ...                   "value": [10.0, 100.0, 30.0, 100.0]})
    >>> r = census_divisions(c, ["A"])
    >>> r.share, r.reference_share
    (10.0, 20.0)
    """
    if census is None or census.empty:
        return None
    c = census.assign(industry_code=census["industry_code"].astype(str))
    wide = c.pivot_table(index="geo_code", columns="industry_code", values="value", aggfunc="sum")
    mem = [m for m in members if m in wide.index]
    if not mem or "_T" not in wide.columns:
        return None
    place, ref = wide.loc[mem].sum(min_count=1), wide.sum(min_count=1)
    divs = [d for d in CREATIVE_DIVISIONS if d in wide.columns]
    total = float(place[divs].sum())
    ref_total = float(ref[divs].sum())
    return CensusDivisions(place=place, reference=ref, members_found=len(mem), members=len(members),
                           total=total, share=total / float(place["_T"]) * 100,
                           reference_share=ref_total / float(ref["_T"]) * 100)


def _weighted(values: pd.Series, weights: pd.Series | None) -> float:
    w = weights.reindex(values.index).fillna(0.0) if weights is not None else pd.Series(0.0, index=values.index)
    if w.sum() <= 0:
        return float(values.mean())
    return float(np.average(values, weights=w))


def place_indicator_row(framework: Framework, values: pd.DataFrame, *, code: str, geo_type: str,
                        members: Sequence[str], published: pd.DataFrame | None = None,
                        lq: BusinessLQ | None = None, census: CensusDivisions | None = None,
                        active: pd.Series | None = None, population: pd.Series | None = None,
                        active_growth: float | None = None) -> tuple[pd.Series, dict[str, str]]:
    """The benchmark row of a group of LADs and a note per indicator on how it was obtained.

    Published rows win (combined authorities, regions); additive counts are
    summed; the creative LQ, sub-sector diversity and the Census share are
    recomputed from summed counts; business rates are weighted by active
    enterprises and other rates and levels by population.

    Examples
    --------
    >>> from creative_clusters.benchmarking import load_framework
    >>> fw = load_framework()
    >>> v = pd.DataFrame({"employment_rate": [70.0, 80.0], "creative_enterprises": [10.0, 30.0]}, index=["A", "B"])
    >>> row, how = place_indicator_row(fw, v, code="G", geo_type="custom", members=["A", "B"],
    ...                                population=pd.Series({"A": 100.0, "B": 300.0}))
    >>> float(row["employment_rate"]), float(row["creative_enterprises"])
    (77.5, 40.0)
    """
    mem = [m for m in members if m in values.index]
    sub = values.loc[mem] if mem else values.iloc[0:0]
    row: dict[str, float] = {}
    how: dict[str, str] = {}
    pub = published.loc[code] if published is not None and code in published.index else None
    for ind in framework.indicators:
        s = sub[ind.id].dropna() if ind.id in sub.columns else pd.Series(dtype=float)
        if pub is not None and ind.id in pub.index and not np.isnan(pub[ind.id]):
            row[ind.id], how[ind.id] = float(pub[ind.id]), "published for the area"
        elif ind.id == "creative_business_lq":
            ok = lq is not None and code in lq.lq.index
            row[ind.id] = float(lq.lq.loc[code, "all"]) if ok else np.nan  # type: ignore[union-attr]
            how[ind.id] = "recomputed from summed counts"
        elif ind.id == "subsector_diversity":
            ok = lq is not None and code in lq.lq.index
            row[ind.id] = float((lq.lq.loc[code].drop("all") > 1).sum()) if ok else np.nan  # type: ignore[union-attr]
            how[ind.id] = "recomputed from summed counts"
        elif ind.id == "creative_division_residents_share":
            row[ind.id] = census.share if census is not None else np.nan
            how[ind.id] = "recomputed from summed counts"
        elif ind.id == "active_enterprises_growth" and active_growth is not None:
            row[ind.id], how[ind.id] = active_growth, "recomputed from summed counts"
        elif s.empty:
            row[ind.id] = np.nan
        elif ind.additive:
            row[ind.id], how[ind.id] = float(s.sum()), "sum of member areas"
        elif ind.id in BUSINESS_RATES:
            row[ind.id], how[ind.id] = _weighted(s, active), "mean of member areas weighted by active enterprises"
        else:
            row[ind.id], how[ind.id] = _weighted(s, population), "mean of member areas weighted by population"
    return pd.Series(row, name=code, dtype=float), how


def neighbours(geometry: Any, members: Sequence[str], *, buffer_m: float = NEIGHBOUR_BUFFER_M) -> list[str]:
    """LAD codes whose boundary comes within ``buffer_m`` metres of the place (its members excluded).

    ``geometry`` is in a projected CRS in metres (British National Grid); the
    buffer bridges the gaps that boundary simplification leaves across estuaries.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"geo_code": ["A", "B", "C"]},
    ...     geometry=[box(0, 0, 10, 10), box(10.5, 0, 20, 10), box(5000, 0, 5010, 10)], crs="EPSG:27700")
    >>> neighbours(g, ["A"])
    ['B']
    """
    inside = geometry["geo_code"].isin(list(members))
    if not inside.any():
        return []
    shape = geometry[inside].union_all().buffer(buffer_m)
    near = geometry[~inside & geometry.intersects(shape)]
    return [str(c) for c in near["geo_code"]]


def deprivation(indices: Mapping[str, pd.DataFrame], members: Sequence[str]) -> Deprivation | None:
    """The place on its own nation's deprivation index (``indices``: dataset id -> its observations).

    A single LAD gets its published rank (or, for indices without LAD ranks,
    the share of its small areas in the nation's most deprived 10%); a group
    gets how many members rank in the most deprived tenth of the nation's LADs.
    """
    from creative_clusters.errors import ClusterToolkitError
    from creative_clusters.people.inclusion import DEPRIVATION_INDICES, imd_rank

    nations = {str(m)[:1] for m in members}
    if len(nations) != 1:
        return None
    nation = nations.pop()
    for ds, obs in indices.items():
        prefix, label, measure = DEPRIVATION_INDICES[ds]
        if prefix != nation:
            continue
        if len(members) == 1:
            try:
                r = imd_rank(obs, members[0], dataset=ds)
            except ClusterToolkitError:  # the LAD is not on the index's boundaries: said in the pack
                return Deprivation(index=label, dataset=ds)
            return Deprivation(index=label, dataset=ds, rank=r.get("rank"), of=r.get("of"),
                               share_most_deprived=r.get("share_most_deprived_10pct"))
        if not measure:
            return Deprivation(index=label, dataset=ds)
        ranks = obs[obs["measure"] == measure].drop_duplicates("geo_code").set_index("geo_code")["value"]
        got = ranks.reindex([m for m in members if m in ranks.index])
        n = int(ranks.notna().sum())
        return Deprivation(index=label, dataset=ds, of=n, members_ranked=len(got),
                           members_most_deprived_decile=int((got <= np.ceil(n / 10)).sum()))
    return None
