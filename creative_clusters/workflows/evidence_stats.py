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
  recomputed from the summed counts, each business rate weighted by its own
  base (:data:`DEMOGRAPHY_RATE_BASES`: active enterprises for birth and death
  rates, the cohort's births for survival rates) and other rates weighted by
  population (usual residents, Census 2021; an approximation for ratios whose
  base is not residents, :data:`POPULATION_PROXY`);
- :func:`census_divisions` — residents in creative industry divisions (Census
  2021 TS060) for the place and England and Wales: the one value of the
  workforce share used by every section.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.benchmarking.framework import CREATIVE_DIVISIONS, Framework, indicator_table, indicator_values
from creative_clusters.errors import ParameterError
from creative_clusters.geography.boundaries import CONTIGUITY_TOLERANCE_M, near_areas
from creative_clusters.geography.lookups import ITL1_TO_GSS
from creative_clusters.indicators.lq import location_quotient, poisson_lq_interval
from creative_clusters.indicators.rounding import cohort_counts, rounded_rate_interval, rounding_error
from creative_clusters.people.inclusion import decile_of_rank
from creative_clusters.reporting._model import (
    BusinessLQ,
    CensusDivisions,
    Deprivation,
    FocusFigure,
    PeerChoice,
    RateBase,
)
from creative_clusters.reporting.place_findings import DEMOGRAPHY_RATES

__all__ = [
    "CREATED_WORDS",
    "DEMOGRAPHY_APPROXIMATE",
    "DEMOGRAPHY_GROUP_METHOD",
    "DEMOGRAPHY_PUBLISHED",
    "DEMOGRAPHY_RATE_BASES",
    "MIN_COVERAGE",
    "PEER_RULE",
    "POPULATION_PROXY",
    "PROFILE_MEASURES",
    "DemographyBase",
    "area_profile",
    "business_lq",
    "census_divisions",
    "census_wide",
    "choose_place_peers",
    "choose_series_peers",
    "coverage",
    "demography_rate_how",
    "demography_values",
    "deprivation",
    "focus_figure",
    "group_growth",
    "growth_bases",
    "merger_note",
    "neighbours",
    "pack_intervals",
    "peer_pool",
    "place_indicator_row",
    "place_intervals",
    "published_indicators",
    "rate_bases",
    "rate_weights",
    "rounding_intervals",
    "series_peer_pool",
    "uncovered_words",
    "with_group",
]

#: LAD code prefixes (the four nations' local authorities).
LAD_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")
#: Place types whose own published rows (local indicators, business demography) are preferred.
PUBLISHED_TYPES = ("cauth", "rgn", "ctry")
#: Business-demography rates: each weighted by its own base (:data:`DEMOGRAPHY_RATE_BASES`).
BUSINESS_RATES = ("birth_rate", "death_rate", "survival_rate", "high_growth_rate")


@dataclass(frozen=True)
class DemographyBase:
    """What a Business Demography rate is a percentage of, declared once (ONS's definitions, in
    ``business-demography.json``): a group's rate is its summed numerators over its summed bases, which is
    its members' rates weighted by their bases.

    ``measure``: the base's count in the release; ``via_rate``: where the release lacks that count, the rate
    whose base it is (births = birth rate x active enterprises, each published count the nearest whole
    number); ``fallback``: a stand-in base, an approximation, said as such in ``approx_words``.
    """

    words: str
    measure: str
    via_rate: str = ""
    fallback: str = ""
    approx_words: str = ""


#: Each Business Demography rate's base, by measure. A survival rate's period is its cohort's birth year
#: (the year its survival is counted from), so its base is the births of that year.
DEMOGRAPHY_RATE_BASES: dict[str, DemographyBase] = {
    "birth_rate_pct": DemographyBase("active enterprises", "active_enterprises"),
    "death_rate_pct": DemographyBase("active enterprises", "active_enterprises"),
    "survival_rate_pct": DemographyBase("the births of the cohort's start year", "births", via_rate="birth_rate_pct"),
    "high_growth_rate_pct": DemographyBase(
        "active enterprises with 10 or more employees", "active_10plus_enterprises", fallback="active_enterprises",
        approx_words=("the release does not publish enterprises with 10 or more employees by area, so the "
                      "high-growth rate is weighted by all active enterprises instead")),
}
#: The benchmark's business rates (indicator id) and the measure whose base each has.
_RATE_MEASURE = {"birth_rate": "birth_rate_pct", "death_rate": "death_rate_pct",
                 "survival_rate": "survival_rate_pct", "high_growth_rate": "high_growth_rate_pct"}

#: Rates and levels a group has as its members' mean weighted by population (usual residents) although their
#: base is something else the warehouse lacks by local authority: indicator id -> what the group's value is.
POPULATION_PROXY: dict[str, str] = {
    "gva_per_hour": ("its total gross value added over its total hours worked, neither of which is in the "
                     "warehouse by local authority (and output is counted where people work, population where "
                     "they live), so its true value may lie anywhere between its members' lowest and highest"),
}

#: A group's rate or level is the weighted mean of its members' only when the members with a value hold at
#: least this share of its weight (population, or active enterprises for business rates): a missing LAD as
#: small as the City of London or the Isles of Scilly leaves it, a missing nation or county does not.
MIN_COVERAGE = 0.95


def merger_note(code_changes: pd.DataFrame, demography: pd.DataFrame | None, code: str, name: str) -> str:
    """Why Business Demography's rates of a local authority created by merging others are blank before a year
    (ref table ``code_changes``, type ``merger``: North Yorkshire, 2023): ONS has no rows for the new code before
    then, and rates are not averaged over the merged authorities. ``""`` for any other code. The pack's section 3
    and the profile's "Missing or not applicable" say it in these words.

    Examples
    --------
    >>> cc = pd.DataFrame({"oldnm": ["Craven", "Selby"], "newcd": ["E06000065"] * 2, "type": ["merger"] * 2,
    ...                    "start": ["2023", "2023"]})
    >>> merger_note(cc, None, "E06000065", "North Yorkshire")[:78]
    'North Yorkshire was created in 2023, merging 2 local authorities (Craven and S'
    >>> merger_note(cc, None, "E08000019", "Sheffield")
    ''
    """
    if not {"oldnm", "newcd", "type", "start"} <= set(code_changes.columns):
        return ""
    mine = code_changes[(code_changes["newcd"].astype(str) == code) & (code_changes["type"].astype(str) == "merger")]
    if len(mine) < 2:
        return ""
    year = str(mine["start"].astype(str).max())
    first = ""
    d = demography
    if d is not None and {"geo_code", "measure", "period", "value"} <= set(d.columns):
        rates = d[(d["geo_code"].astype(str) == code) & (d["measure"].astype(str) == "birth_rate_pct")
                  & d["value"].notna()]
        first = str(rates["period"].astype(str).min()) if len(rates) else ""
    from creative_clusters.reporting.formatting import join_and

    olds = sorted(mine["oldnm"].astype(str).unique())
    return (f"{name}{CREATED_WORDS}{year}, merging {len(olds)} local authorities ({join_and(olds)}). ONS Business "
            f"Demography has no rates for its code before {first or 'its creation'}: its birth, death, "
            "high-growth and survival rates for earlier years are blank (rates are not averaged over merged "
            "authorities), while its active enterprises for those years are the merged authorities' counts summed.")


#: The words of :func:`merger_note` that the pack's section 4 finds ("North Yorkshire was created in 2023").
CREATED_WORDS = " was created in "


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

    A published 0 has no LQ, only its upper bound:

    >>> z = business_lq(pd.DataFrame({"film_tv": [0.0, 40.0]}, index=["E09000001", "E09000002"]), act)
    >>> float(z.lq.loc["E09000001", "film_tv"]), float(z.lo.loc["E09000001", "film_tv"])
    (nan, nan)
    >>> round(float(z.hi.loc["E09000001", "film_tv"]), 2)
    0.23
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
    zero = piv["value"] == 0  # a published 0 is 0 to 2 enterprises: no LQ, only its upper bound
    out = BusinessLQ(count=piv["value"], lq=piv["lq"].mask(zero), lo=piv["lq_lower"].mask(zero),
                     hi=piv["lq_upper"], active=act, reference_share=ref)
    return with_group(out, code, members, confidence=confidence) if code is not None else out


def with_group(lqs: BusinessLQ, code: str, members: Sequence[str], *, confidence: float = 0.95) -> BusinessLQ:
    """``lqs`` plus a group place's own row (counts and active enterprises summed; the reference
    shares of the LADs kept); the same object when ``code`` is already a row or has no members."""
    mem = [m for m in members if m in lqs.count.index]
    if code in lqs.count.index or not mem or len(mem) < len(members):
        return lqs  # a group some of whose members have no counts is not summed: it would be another place
    c = lqs.count.loc[mem].sum(min_count=1)
    a = float(lqs.active.loc[mem].sum())
    expected = (a * lqs.reference_share).to_numpy(dtype=float)
    counts = c.to_numpy(dtype=float)
    lo, hi = poisson_lq_interval(counts, expected, confidence=confidence)
    lq = counts / expected
    lq[counts == 0] = lo[counts == 0] = np.nan  # a published 0 (summed): no LQ, only its upper bound
    cols = lqs.count.columns

    def add(frame: pd.DataFrame, vals: Any) -> pd.DataFrame:
        return pd.concat([frame, pd.DataFrame([vals], index=[code], columns=cols)])

    notes = list(lqs.notes)
    if len(mem) < len(members):
        notes.append(f"{len(members) - len(mem)} of {len(members)} member areas have no creative "
                     "enterprise count or active-enterprise denominator and are left out.")
    return BusinessLQ(count=add(lqs.count, counts), lq=add(lqs.lq, lq), lo=add(lqs.lo, lo),
                      hi=add(lqs.hi, hi), active=pd.concat([lqs.active, pd.Series({code: a})]),
                      reference_share=lqs.reference_share, notes=notes)


def published_indicators(framework: Framework, observations: Mapping[str, pd.DataFrame]) -> pd.DataFrame | None:
    """Indicator values published for combined authorities, regions and nations (wide, code x indicator).

    A region or nation published only under its ITL1 code (``TLI`` for London) is keyed by its GSS code
    (``E12000007``); a row published under the GSS code itself comes first.
    """
    parts = [indicator_values(framework, observations, geo_type=gt) for gt in PUBLISHED_TYPES]
    itl = indicator_values(framework, observations, geo_type="custom")  # ITL codes are typed "custom"
    parts.append(itl[itl["geo_code"].isin(list(ITL1_TO_GSS))].assign(geo_code=lambda f: f["geo_code"].map(ITL1_TO_GSS)))
    vals = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if vals is None:
        return None
    return indicator_table(framework, vals.drop_duplicates(["geo_code", "indicator_id"]))


def census_wide(census: pd.DataFrame) -> pd.DataFrame:
    """TS060 long ``[geo_code, industry_code, value]`` to wide (LAD x division code, ``_T`` the total)."""
    c = census.assign(industry_code=census["industry_code"].astype(str))
    return c.pivot_table(index="geo_code", columns="industry_code", values="value", aggfunc="sum")


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
    wide = census if "geo_code" not in census.columns else census_wide(census)
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


def group_growth(ends: Mapping[str, pd.DataFrame], members: Sequence[str]) -> dict[str, float]:
    """Growth (%) of a group of places from its members' summed base and latest values.

    ``ends`` maps indicator id -> ``first``/``last`` per place
    (:func:`creative_clusters.benchmarking.framework.growth_ends`). An indicator
    is left out unless every member has both values: a partial sum would be a
    different place.

    Examples
    --------
    >>> e = {"g": pd.DataFrame({"first": [10.0, 30.0], "last": [12.0, 38.0]}, index=["A", "B"])}
    >>> group_growth(e, ["A", "B"])
    {'g': 25.0}
    >>> group_growth(e, ["A", "C"])
    {}
    """
    return {iid: (last / first - 1.0) * 100.0
            for iid, (first, last) in _member_sums(ends, members).items() if first > 0}


def growth_bases(ends: Mapping[str, pd.DataFrame], members: Sequence[str]) -> dict[str, float]:
    """The smaller of a place's summed base and latest counts, per growth indicator (what the growth rests on).

    Examples
    --------
    >>> e = {"g": pd.DataFrame({"first": [10.0, 30.0], "last": [12.0, 38.0]}, index=["A", "B"])}
    >>> growth_bases(e, ["A", "B"]), growth_bases(e, ["A", "C"])
    ({'g': 40.0}, {})
    """
    return {iid: min(first, last) for iid, (first, last) in _member_sums(ends, members).items()}


#: The measures of an area's ad-hoc creative profile, in the order a table shows them.
PROFILE_MEASURES = ("enterprises", "employment", "employees", "turnover_gbp_m")


def area_profile(profiles: pd.DataFrame | None, code: str) -> pd.DataFrame | None:
    """The place's own ad-hoc creative profile: one row per year, one column per measure, with the change
    from the first year to the last (``attrs["dataset"]``, ``attrs["change_pct"]``). None without one.

    Examples
    --------
    >>> p = pd.DataFrame({"dataset": "d", "geo_code": "E47000003", "period": ["2018", "2023"],
    ...                   "measure": "employment", "value": [32_990.0, 36_000.0]})
    >>> t = area_profile(p, "E47000003")
    >>> t["employment"].tolist(), round(t.attrs["change_pct"]["employment"], 1), area_profile(p, "E1")
    ([32990.0, 36000.0], 9.1, None)
    """
    if profiles is None:
        return None
    mine = profiles[profiles["geo_code"].astype(str) == str(code)]
    if mine.empty:
        return None
    wide = mine.pivot_table(index="period", columns="measure", values="value", aggfunc="sum").sort_index()
    if "turnover_gbp_thousands" in wide.columns:  # published in £ thousands; shown in £ million
        wide["turnover_gbp_m"] = wide.pop("turnover_gbp_thousands") / 1000.0
    wide = wide[[m for m in PROFILE_MEASURES if m in wide.columns]]
    wide.attrs["dataset"] = str(mine["dataset"].iloc[0])
    wide.attrs["change_pct"] = {m: float(100 * (wide[m].iloc[-1] / wide[m].iloc[0] - 1))
                                for m in wide.columns if wide[m].iloc[0]}
    return wide


def place_intervals(intervals: Mapping[str, pd.DataFrame], members: Sequence[str], *,
                    counts: Mapping[str, pd.DataFrame] | None = None, demography: pd.DataFrame | None = None,
                    survival_period: str = "") -> dict[str, tuple[float, float]]:
    """Per indicator, the interval the place's value could lie in ``(lo, hi)``, for the benchmark to rank at
    either end (:func:`~creative_clusters.benchmarking.percentiles.percentiles`' ``intervals``).

    - Survey indicators (``intervals``, from :func:`~creative_clusters.benchmarking.framework.rate_intervals`):
      a single local authority's published 95% interval. A group of places has none: its value is a
      published row or a population-weighted mean, whose interval the members' intervals do not give.
    - Business Demography's rates (:data:`~creative_clusters.reporting.place_findings.DEMOGRAPHY_RATES`): the
      rounding interval of its published counts (:func:`rounding_intervals`), given ``counts`` (the rates'
      counts and bases, :func:`~creative_clusters.benchmarking.framework.rate_counts`) and, for the survival
      rate, ``demography`` and the survival indicator's period.

    Examples
    --------
    >>> i = {"employment_rate": pd.DataFrame({"lo": [75.2], "hi": [100.0]}, index=["S12000023"])}
    >>> place_intervals(i, ["S12000023"]), place_intervals(i, ["S12000023", "S12000027"])
    ({'employment_rate': (75.2, 100.0)}, {})
    >>> c = {"birth_rate": pd.DataFrame({"count": [15.0], "of": [170.0]}, index=["E06000053"])}
    >>> {k: tuple(round(x, 2) for x in v) for k, v in place_intervals(i, ["E06000053"], counts=c).items()}
    {'birth_rate': (7.56, 10.12)}
    """
    out: dict[str, tuple[float, float]] = {}
    if len(members) == 1:
        m = members[0]
        out = {iid: (float(t.at[m, "lo"]), float(t.at[m, "hi"])) for iid, t in intervals.items() if m in t.index}
    out.update(rounding_intervals(counts or {}, members, demography=demography, survival_period=survival_period))
    return out


def pack_intervals(nd: Any, members: Sequence[str]) -> dict[str, tuple[float, float]]:
    """:func:`place_intervals` from the national tables ``nd`` (``workflows.pack_data.NationalData``): the
    intervals every benchmark of the place ranks (the pack's, the ``benchmark`` command's)."""
    return place_intervals(nd.rate_intervals, members, counts=nd.rate_counts, demography=nd.demography,
                           survival_period=str((nd.indicator_periods or {}).get("survival_rate", "")))


def rounding_intervals(counts: Mapping[str, pd.DataFrame], members: Sequence[str], *,
                       demography: pd.DataFrame | None = None,
                       survival_period: str = "") -> dict[str, tuple[float, float]]:
    """Per Business Demography rate, the lowest and highest rate its published counts (rounded to 5) allow,
    summed over ``members`` (each sum within ``2k`` of the truth for ``k`` members):
    :func:`~creative_clusters.indicators.rounding.rounded_rate_interval` of the births (deaths) among the
    active enterprises, and of the cohort's survivors among its births
    (:func:`~creative_clusters.indicators.rounding.cohort_counts`, in the year ``survival_period`` starts with).

    Examples
    --------
    >>> c = {"death_rate": pd.DataFrame({"count": [10.0, 300.0], "of": [170.0, 4000.0]}, index=["A", "B"])}
    >>> [tuple(round(x, 2) for x in v) for v in rounding_intervals(c, ["A"]).values()]
    [(4.65, 7.14)]
    >>> [tuple(round(x, 2) for x in v) for v in rounding_intervals(c, ["A", "B"]).values()]
    [(7.33, 7.54)]
    """
    if not members:
        return {}
    err = rounding_error(len(members))
    out: dict[str, tuple[float, float]] = {}
    for iid, rb in rate_bases({k: v for k, v in counts.items() if k in DEMOGRAPHY_RATES}, members).items():
        if np.isfinite(rb.base) and 0 <= rb.counted <= rb.base and rb.base > 0:
            out[iid] = rounded_rate_interval(rb.counted, rb.base, error=err)
    year = str(survival_period)[:4]
    cohort = cohort_counts(demography, members, year) if year.isdigit() else None
    if cohort is not None and 0 <= cohort[0] <= cohort[1] and cohort[1] > 0:
        out["survival_rate"] = rounded_rate_interval(cohort[0], cohort[1], error=err)
    return out


def rate_bases(counts: Mapping[str, pd.DataFrame], members: Sequence[str]) -> dict[str, RateBase]:
    """Per rate indicator, the count a place's rate rests on and its base, summed over its members.

    An indicator is left out unless every member has a count (a partial sum would be another place).

    Examples
    --------
    >>> c = {"r": pd.DataFrame({"count": [0.0, 30.0], "of": [7.0, 400.0]}, index=["A", "B"])}
    >>> rate_bases(c, ["A"])["r"][:2], rate_bases(c, ["A", "B"])["r"][:2], rate_bases(c, ["A", "C"])
    ((0.0, 7.0), (30.0, 407.0), {})
    """
    out: dict[str, RateBase] = {}
    for iid, t in counts.items():
        if members and all(m in t.index for m in members) and t.loc[list(members), "count"].notna().all():
            sub = t.loc[list(members)]
            out[iid] = RateBase(float(sub["count"].sum()), float(sub["of"].sum(min_count=len(sub))),
                                str(t.attrs.get("noun", "")), str(t.attrs.get("of_noun", "")))
    return out


def _member_sums(ends: Mapping[str, pd.DataFrame], members: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Per growth indicator, the members' summed base and latest values; an indicator is left out unless
    every member has both (a partial sum would be a different place)."""
    out: dict[str, tuple[float, float]] = {}
    for iid, e in ends.items():
        if members and all(m in e.index for m in members):
            out[iid] = (float(e.loc[list(members), "first"].sum()), float(e.loc[list(members), "last"].sum()))
    return out


def place_indicator_row(framework: Framework, values: pd.DataFrame, *, code: str, geo_type: str,
                        members: Sequence[str], published: pd.DataFrame | None = None,
                        lq: BusinessLQ | None = None, census: CensusDivisions | None = None,
                        active: pd.Series | None = None, population: pd.Series | None = None,
                        growth: Mapping[str, float] | None = None,
                        bases: Mapping[str, pd.Series] | None = None) -> tuple[pd.Series, dict[str, str]]:
    """The benchmark row of a group of LADs and a note per indicator on how it was obtained.

    Published rows win (combined authorities, regions); additive counts are
    summed; the creative LQ, sub-sector diversity and the Census share are
    recomputed from summed counts, and so is growth (``growth``: indicator id ->
    the group's growth from its members' summed counts, see
    :func:`group_growth`); each business rate is weighted by its own base
    (``bases``, from :func:`rate_weights`; without it by ``active``, said as an
    approximation for the rates whose base is not active enterprises) and
    other rates and levels by population (said as an approximation for the
    ratios of :data:`POPULATION_PROXY`).

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
            row[ind.id], how[ind.id] = _specialised_subsectors(lq, code), "recomputed from summed counts"
        elif ind.id == "creative_division_residents_share":
            covered = census is not None and census.members_found == census.members
            row[ind.id] = census.share if covered else np.nan  # type: ignore[union-attr]
            how[ind.id] = ("recomputed from summed counts" if covered or census is None else
                           uncovered_words(census.members - census.members_found, len(members), "population"))
        elif growth is not None and ind.id in growth:
            row[ind.id], how[ind.id] = float(growth[ind.id]), "recomputed from summed counts"
        elif s.empty:
            row[ind.id] = np.nan
        elif ind.additive:
            if len(s) < len(members):  # a sum over some members is a smaller place, not this one
                row[ind.id], how[ind.id] = np.nan, uncovered_words(len(members) - len(s), len(members), "")
            else:
                row[ind.id], how[ind.id] = float(s.sum()), "sum of member areas"
        else:
            weights, basis, approx = _row_weights(ind.id, bases, active, population)
            share = coverage(s.index, members, weights)
            if share < MIN_COVERAGE:  # a mean over part of the group would be that part's value
                row[ind.id] = np.nan
                how[ind.id] = uncovered_words(len(members) - len(s), len(members), basis, share)
            else:
                row[ind.id] = _weighted(s, weights)
                how[ind.id] = f"mean of member areas weighted by {basis}" + (f", an approximation: {approx}"
                                                                             if approx else "")
    return pd.Series(row, name=code, dtype=float), how


def _row_weights(iid: str, bases: Mapping[str, pd.Series] | None, active: pd.Series | None,
                 population: pd.Series | None) -> tuple[pd.Series | None, str, str]:
    """An indicator's member weights in a group's mean, the words for them, and what they approximate ("" when
    they are the indicator's own base).

    >>> _row_weights("survival_rate", None, pd.Series({"A": 1.0}), None)[1:]
    ('active enterprises', "its base is the births of the cohort's start year")
    >>> _row_weights("death_rate", None, pd.Series({"A": 1.0}), None)[1:]
    ('active enterprises', '')
    """
    if iid in BUSINESS_RATES:
        spec = DEMOGRAPHY_RATE_BASES[_RATE_MEASURE[iid]]
        w = (bases or {}).get(iid)
        if w is not None:
            return w, (spec.fallback.replace("_", " ") if w.attrs.get("approx") else spec.words), \
                str(w.attrs.get("approx", ""))
        exact = spec.measure == "active_enterprises"
        return active, "active enterprises", "" if exact else f"its base is {spec.words}"
    proxy = POPULATION_PROXY.get(iid, "")
    return population, "population", f"the group's value is {proxy}" if proxy else ""


def coverage(have: Sequence[str] | pd.Index, members: Sequence[str], weights: pd.Series | None) -> float:
    """The share of a group's weight (population, active enterprises) held by the members in ``have``.

    By head count when a member has no weight (a weight can be missing where the value is not).

    Examples
    --------
    >>> w = pd.Series({"A": 900.0, "B": 100.0})
    >>> coverage(["A"], ["A", "B"], w), coverage(["A"], ["A", "B"], None), coverage(["A"], ["A", "C"], w)
    (0.9, 0.5, 0.5)
    """
    if not members:
        return 0.0
    w = weights.reindex(list(members)) if weights is not None else None
    if w is None or w.isna().any() or float(w.sum()) <= 0:
        held = set(have)
        return sum(1 for m in members if m in held) / len(members)
    return float(w[w.index.isin(list(have))].sum() / w.sum())


def uncovered_words(n_missing: int, n_members: int, basis: str, share: float | None = None) -> str:
    """Why a group's value is left empty: how many of its members have none, and the weight they hold.

    >>> uncovered_words(2, 3, "population", 0.47)
    'not computed: 2 of its 3 local authorities have no value (53% of its population), and the rest would \
describe part of the group only'
    >>> uncovered_words(1, 4, "")
    'not computed: 1 of its 4 local authorities has no value, and the rest would describe part of the group only'
    """
    held = f" ({(1.0 - share) * 100:.0f}% of its {basis})" if share is not None and basis else ""
    verb = "has" if n_missing == 1 else "have"
    return (f"not computed: {n_missing} of its {n_members} local authorities {verb} no value{held}, and the rest "
            "would describe part of the group only")


def _specialised_subsectors(lq: BusinessLQ | None, code: str) -> float:
    """How many creative sub-sectors of place ``code`` are specialised beyond doubt, as the indicator counts them
    for a LAD (:func:`~creative_clusters.indicators.lq.specialised_beyond_doubt` on the place's summed counts
    against England's shares); NaN without a row for the place."""
    from creative_clusters.indicators.lq import specialised_beyond_doubt

    if lq is None or code not in lq.count.index:
        return np.nan
    cols = [c for c in lq.count.columns if c != "all"]
    expected = float(lq.active.loc[code]) * lq.reference_share[cols].to_numpy(dtype=float)  # count at LQ 1
    return float(specialised_beyond_doubt(lq.count.loc[code, cols].to_numpy(dtype=float), expected).sum())


def neighbours(geometry: Any, members: Sequence[str], *,
               tolerance_m: float = CONTIGUITY_TOLERANCE_M) -> list[str]:
    """LAD codes that border the place (its members excluded), in ``geometry``'s order.

    The contiguity rule is the hot-spot weights' and the corridors'
    (:func:`~creative_clusters.geography.boundaries.contiguity`): boundaries within ``tolerance_m``
    metres, which bridges the gaps that boundary simplification leaves across estuaries. ``geometry``
    is in British National Grid metres; only areas near the place are passed to the rule (it judges
    each pair on its own, so the answer is the same as on the whole map; :func:`near_areas`, the rule's
    shapely form (:func:`~creative_clusters.geography.boundaries.near_areas`), with no libpysal import).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"geo_code": ["A", "B", "C"]},
    ...     geometry=[box(0, 0, 10, 10), box(10.5, 0, 20, 10), box(5000, 0, 5010, 10)], crs="EPSG:27700")
    >>> neighbours(g, ["A"])
    ['B']
    """
    return near_areas(geometry, members, tolerance_m=tolerance_m)


def deprivation(indices: Mapping[str, tuple[str, str, pd.DataFrame]], members: Sequence[str]) -> Deprivation | None:
    """The place on its own nation's deprivation index (``indices``: kind -> (dataset id, vintage, rows)).

    A single LAD gets its published rank (or, for indices without LAD ranks,
    the share of its small areas in the nation's most deprived 10%); a group
    gets how many members rank in the most deprived tenth of the nation's LADs.
    """
    from creative_clusters.errors import ClusterToolkitError
    from creative_clusters.people.inclusion import DEPRIVATION_KINDS, imd_rank

    nations = {str(m)[:1] for m in members}
    if len(nations) != 1:
        return None
    nation = nations.pop()
    for kind, (ds, vintage, obs) in indices.items():
        prefix, base, measure = DEPRIVATION_KINDS[kind]
        if prefix != nation:
            continue
        label = f"{base} {vintage}".strip()
        if len(members) == 1:
            try:
                r = imd_rank(obs, members[0], kind=kind, dataset=ds, vintage=vintage)
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
                           members_most_deprived_decile=int((decile_of_rank(got.dropna().to_numpy(), n) == 1).sum()))
    return None


def focus_figure(term: str, activity: Any, class_counts: pd.DataFrame, lq: BusinessLQ, *, code: str,
                 members: Sequence[str]) -> FocusFigure | None:
    """Count, LQ and exact interval of a focus activity's SIC classes (``class_counts``: LAD x class).

    The reference is England's count of those classes over the same active-enterprise base
    as the sub-sector LQs (:class:`BusinessLQ`), so the figures are comparable. A count of 0
    is published zeros, each 0 to 2 firms: the interval's upper end is taken at 2 in every cell.
    """
    cols = [c for c in activity.classes if c in class_counts.columns]
    if not cols:
        return None
    lads = [c for c in lq.active.index if c in class_counts.index and str(c)[:3] in LAD_PREFIXES]
    per_lad = class_counts.loc[lads, cols].sum(axis=1, min_count=1)
    england = float(per_lad.sum())
    ref_share = england / float(lq.active.loc[lads].sum())
    mem = [m for m in members if m in class_counts.index]
    if code in lq.active.index and code in class_counts.index:
        mem = [code]
    count = float(class_counts.loc[mem, cols].sum().sum()) if mem else np.nan
    act = float(lq.active.loc[code]) if code in lq.active.index else np.nan
    expected = act * ref_share
    lo, hi = poisson_lq_interval(np.array([count]), np.array([expected]))
    if count == 0:  # published zeros: each cell (class x LAD) can hide up to 2 firms, so the upper end is there
        edge = 2.0 * len(cols) * max(len(mem), 1)
        hi = poisson_lq_interval(np.array([edge]), np.array([expected]))[1]
    return FocusFigure(term=term, name=activity.name, classes=tuple(cols), subsector=activity.subsector,
                       note=activity.note, count=count, england=england, lq=count / expected,
                       lo=float(lo[0]), hi=float(hi[0]))


def _pivot(rows: pd.DataFrame) -> pd.DataFrame:
    """period x (measure, status) from tidy rows (first value wins), without pandas' pivot machinery."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    for p, m, st, v in zip(rows["period"].astype(str), rows["measure"].astype(str), rows["status"].astype(str),
                           rows["value"].to_numpy(dtype="float64"), strict=True):
        out.setdefault((m, st), {}).setdefault(p, v)
    return pd.DataFrame(out).sort_index() if out else pd.DataFrame()


#: How :func:`demography_values` obtains a place's business demography: its own published rows, or, for a
#: group of local authorities without them, its members' (stated by the pack and the profile alike).
DEMOGRAPHY_PUBLISHED = "published for the area"
DEMOGRAPHY_GROUP_METHOD = ("counts summed over the member local authorities; each rate the mean of the member local "
                           "authorities' rates weighted by its own base (the group's summed numerators over its "
                           "summed bases): birth and death rates by active enterprises, survival rates by the "
                           "births of the cohort's start year (birth rate times active enterprises), the "
                           "high-growth rate by active enterprises with 10 or more employees")
#: Added to :data:`DEMOGRAPHY_GROUP_METHOD` where a rate's base is a stand-in (:attr:`DemographyBase.approx_words`).
DEMOGRAPHY_APPROXIMATE = "; an approximation: "


def _keyed(rows: pd.DataFrame) -> dict[str, dict[tuple[str, str], float]]:
    """measure -> {(geo_code, period): value} of the rows without a status (first finite value wins)."""
    out: dict[str, dict[tuple[str, str], float]] = {}
    plain = rows[rows["status"] == ""]
    for g, p, m, v in zip(plain["geo_code"].astype(str), plain["period"].astype(str), plain["measure"].astype(str),
                          plain["value"].to_numpy(dtype="float64"), strict=True):
        if np.isfinite(v):
            out.setdefault(m, {}).setdefault((g, p), float(v))
    return out


def _base_counts(keyed: Mapping[str, Mapping[tuple[str, str], float]], base: DemographyBase
                 ) -> dict[tuple[str, str], float]:
    """A rate's base per (member, period): the release's count, else its via-rate times that rate's base (the
    nearest whole number: ONS's rates are ratios of its published counts)."""
    own = dict(keyed.get(base.measure, {}))
    if base.via_rate:
        via = _base_counts(keyed, DEMOGRAPHY_RATE_BASES[base.via_rate])
        for k, r in keyed.get(base.via_rate, {}).items():
            if k not in own and k in via:
                own[k] = float(round(r * via[k] / 100.0))
    return own


def rate_weights(demography: pd.DataFrame | None, periods: Mapping[str, str]) -> dict[str, pd.Series]:
    """Per benchmark business rate (:data:`BUSINESS_RATES`), each local authority's base in the rate's period
    (``periods``: indicator id -> period, a survival rate's its cohort's birth year), the weight of its rate
    in a group's mean (:data:`DEMOGRAPHY_RATE_BASES`). A rate whose own base the release lacks gets its
    stand-in base, with ``attrs["approx"]`` saying so.

    Examples
    --------
    >>> d = pd.DataFrame({"geo_code": ["A", "B"] * 2, "period": "2021", "status": "",
    ...                   "measure": ["active_enterprises"] * 2 + ["birth_rate_pct"] * 2,
    ...                   "value": [100.0, 300.0, 20.0, 10.0]})
    >>> w = rate_weights(d, {"survival_rate": "2021", "birth_rate": "2021"})
    >>> w["survival_rate"].to_dict(), w["birth_rate"].to_dict()
    ({'A': 20.0, 'B': 30.0}, {'A': 100.0, 'B': 300.0})
    """
    if demography is None or demography.empty:
        return {}
    d = demography.assign(status=demography["status"].fillna("").astype(str))
    keyed = _keyed(d)
    out: dict[str, pd.Series] = {}
    for iid, measure in _RATE_MEASURE.items():
        period = str(periods.get(iid, ""))
        if not period:
            continue
        spec = DEMOGRAPHY_RATE_BASES[measure]
        own = {g: v for (g, p), v in _base_counts(keyed, spec).items() if p == period}
        if own:
            out[iid] = pd.Series(own, dtype=float)
        elif spec.fallback:
            stand_in = {g: v for (g, p), v in keyed.get(spec.fallback, {}).items() if p == period}
            if stand_in:
                out[iid] = pd.Series(stand_in, dtype=float)
                out[iid].attrs["approx"] = spec.approx_words
    return out


def demography_rate_how(iid: str, values: pd.DataFrame) -> str:
    """How a group's benchmark business rate ``iid`` was obtained from its :func:`demography_values` ``values``:
    the note the benchmark row carries.

    >>> values = pd.DataFrame()
    >>> values.attrs["method"] = DEMOGRAPHY_GROUP_METHOD
    >>> demography_rate_how("survival_rate", values)
    "from the member areas' business demography, weighted by the births of the cohort's start year"
    """
    spec = DEMOGRAPHY_RATE_BASES[_RATE_MEASURE[iid]]
    approx = bool(spec.approx_words) and spec.approx_words in str(values.attrs.get("method", ""))
    words = spec.fallback.replace("_", " ") if approx else spec.words
    return (f"from the member areas' business demography, weighted by {words}"
            + (f", an approximation: {spec.approx_words}" if approx else ""))


def demography_values(demography: pd.DataFrame, code: str, members: Sequence[str]) -> pd.DataFrame:
    """Business demography of a place by period x (measure, status): published for ``code``, else counts
    summed over members and each rate its members' rates weighted by the rate's own base
    (:data:`DEMOGRAPHY_RATE_BASES`), which is the group's summed numerators over its summed bases: exact
    wherever the release gives the base.

    The one producer of a place's business demography (the evidence pack's section 3 and benchmark rows, the
    profile). How the values were obtained is in ``attrs["method"]``: :data:`DEMOGRAPHY_PUBLISHED` or
    :data:`DEMOGRAPHY_GROUP_METHOD` (plus what was approximated; absent for an empty frame).

    Examples
    --------
    Birth rates weighted by active enterprises; survival rates by the cohort's births (20 and 30 births):

    >>> d = pd.DataFrame({"geo_code": ["A", "B"] * 4, "period": ["2021"] * 8, "status": [""] * 6 + ["3-year"] * 2,
    ...     "measure": ["active_enterprises"] * 2 + ["birth_rate_pct"] * 2 + ["death_rate_pct"] * 2
    ...                + ["survival_rate_pct"] * 2, "value": [100.0, 300.0, 20.0, 10.0, 8.0, 12.0, 50.0, 60.0]})
    >>> v = demography_values(d, "G", ["A", "B"])
    >>> float(v[("active_enterprises", "")]["2021"]), float(v[("birth_rate_pct", "")]["2021"])
    (400.0, 12.5)
    >>> float(v[("survival_rate_pct", "3-year")]["2021"])
    56.0
    >>> v.attrs["method"] == DEMOGRAPHY_GROUP_METHOD, demography_values(d, "A", []).attrs["method"]
    (True, 'published for the area')
    """
    d = demography[~demography["measure"].astype(str).str.endswith(("_lci95", "_uci95"))]
    d = d.assign(status=d["status"].fillna("").astype(str))
    own = d[d["geo_code"] == code]
    if len(own):
        pub = _pivot(own)
        pub.attrs["method"] = DEMOGRAPHY_PUBLISHED
        return pub
    mem = d[d["geo_code"].isin(list(members))]
    if mem.empty:
        return pd.DataFrame()
    keyed = _keyed(mem)
    bases = {m: _base_counts(keyed, b) for m, b in DEMOGRAPHY_RATE_BASES.items()}
    approx: list[str] = []
    for m, b in DEMOGRAPHY_RATE_BASES.items():
        # a period whose members' rates lack the rate's own base: all of them weighted by the stand-in, not a mix
        if not b.fallback:
            continue
        rated = set(keyed.get(m, {}))
        lacking = {p for (_, p) in rated if any(k not in bases[m] for k in rated if k[1] == p)}
        if lacking:
            stand_in = keyed.get(b.fallback, {})
            bases[m] = {k: v for k, v in bases[m].items() if k[1] not in lacking}
            bases[m].update({k: v for k, v in stand_in.items() if k[1] in lacking})
            approx.append(b.approx_words)
    sums: dict[tuple[str, str], dict[str, list[float]]] = {}
    for g, p, m, st, v in zip(mem["geo_code"].astype(str), mem["period"].astype(str), mem["measure"].astype(str),
                              mem["status"], mem["value"].to_numpy(dtype="float64"), strict=True):
        if np.isnan(v):
            continue
        rate = m.endswith("_pct")
        if rate and m not in bases:
            raise ParameterError(f"business demography rate {m!r} has no declared base (DEMOGRAPHY_RATE_BASES)")
        w = bases[m].get((g, p), np.nan) if rate else 1.0
        if np.isnan(w):
            continue
        acc = sums.setdefault((m, st), {}).setdefault(p, [0.0, 0.0])
        acc[0] += v * w
        acc[1] += w
    out = {k: {p: (a / b if k[0].endswith("_pct") else a) for p, (a, b) in per.items() if b > 0}
           for k, per in sums.items()}
    if not out:
        return pd.DataFrame()
    frame = pd.DataFrame(out).sort_index()
    frame.attrs["method"] = DEMOGRAPHY_GROUP_METHOD + "".join(DEMOGRAPHY_APPROXIMATE + a for a in approx)
    return frame


#: The peer rule, stated once (the pack's peer table and its methods both show it).
PEER_RULE = ("Peers: the {k} {kind} most similar to {place} in size (log creative enterprises), creative "
             "sub-sector mix (shares, standardised) and business density (log active enterprises of all industries "
             "per km²), each block given equal weight, by Euclidean distance on standardised features "
             "(0 = identical); same kind of place and same nation{london}.")
_KIND_WORDS = {"lad": "local authorities", "cauth": "combined authorities", "rgn": "regions",
               "ttwa": "travel-to-work areas", "custom": "local authorities"}


def peer_pool(enterprises: pd.DataFrame, active: pd.Series, area_km2: pd.Series | None,
              groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Peer features (size, sub-sector shares, density) of places made of LADs (``code -> members``).

    Each place's counts are its member LADs' sums (missing when every member's is
    missing); its active enterprises and area are member sums. One grouped sum
    over (place, member) pairs, in the order of ``groups``; members without
    counts are left out and places without any are dropped.
    """
    from creative_clusters.benchmarking.peers import peer_features

    pairs = [(c, m) for c, mem in groups.items() for m in mem if m in enterprises.index]
    if not pairs:
        return pd.DataFrame()
    place = pd.Index([c for c, _ in pairs])
    lads = [m for _, m in pairs]
    wide = enterprises.reindex(lads).set_axis(place).groupby(level=0, sort=False).sum(min_count=1).astype(float)
    act = active.reindex(lads).set_axis(place).groupby(level=0, sort=False).sum()
    if area_km2 is not None:
        area = area_km2.reindex(lads).set_axis(place).groupby(level=0, sort=False).sum().astype(float)
    else:
        area = pd.Series(np.nan, index=wide.index)
    dens = act / area.where(area > 0)
    return peer_features(wide, dens)


def choose_place_peers(pool: pd.DataFrame, code: str, *, kind: str, place_name: str, members: Sequence[str],
                       k: int = 10, given: Sequence[str] | None = None, exclude_london: bool | None = None,
                       method: str = "size_structure") -> PeerChoice:
    """The place's ``k`` nearest peers of the same kind and nation (London left out unless the place
    is in London or ``exclude_london=False``); ``given`` peers are used as named, with their distances."""
    from creative_clusters.benchmarking.peers import peer_distances

    in_london = any(str(m).startswith("E09") for m in members)
    if exclude_london is None:
        exclude_london = not in_london
    nation = str(code)[:1] if kind != "custom" else str(members[0])[:1]
    ok = [c for c in pool.index if c == code or (str(c)[:1] == nation and c not in members
                                                 and not (exclude_london and str(c).startswith("E09")))]
    feats = pool.loc[ok]
    if "density" in feats.columns and not (feats.loc[code, "density"] > 0):
        feats = feats.drop(columns="density")
    try:
        dist = peer_distances(feats, code, method=method)
    except ParameterError:
        dist = pd.Series(dtype=float)
    if given:
        chosen = [g for g in dict.fromkeys(given) if g != code]
        unknown = [g for g in chosen if g not in pool.index]
        not_lads = [g for g in unknown if kind in ("lad", "custom") and not is_lad_code(g)]
        if not_lads:
            raise ParameterError(not_a_lad_message(not_lads))
        if unknown:
            raise ParameterError(f"peer code(s) {unknown} have no creative counts to compare; name "
                                 f"{_KIND_WORDS.get(kind, 'places')} with data, e.g. E08000019")
        rule = (f"Peers: named by the user ({len(chosen)}); distances on the features of the automatic rule "
                "(size, sub-sector mix and business density, standardised; 0 = identical).")
        return PeerChoice(chosen, {c: float(dist[c]) for c in chosen if c in dist.index}, rule, given=True,
                          size={c: float(pool.loc[c, "size"]) for c in chosen})
    candidates = [c for c in dist.index if c != code]
    # at most half the candidates: with 14 other combined authorities, 10 "peers" would be nearly all of them
    k_eff = min(k, max(3, len(candidates) // 2))
    order = sorted(((c, d) for c, d in dist.items() if c != code), key=lambda kv: (kv[1], kv[0]))[:k_eff]
    london = "" if in_london or kind not in ("lad", "custom") else (
        ", London boroughs left out (ask for them with --peers include-london)" if exclude_london
        else ", London boroughs included")
    rule = PEER_RULE.format(k=len(order), kind=_KIND_WORDS.get(kind, "places"), place=place_name, london=london)
    if order and k_eff < k:
        rule = rule.rstrip(".") + (f"; {len(order)} of the {len(candidates)} candidates, at most half of them, so "
                                   "the peers stay the nearest.")
    if not order:
        size = pool.loc[code, "size"] if code in pool.index and "size" in pool.columns else np.nan
        why = (f"{place_name} has no creative enterprises in the counts (published as 0, that is fewer than 3), so "
               "its size and sub-sector mix cannot be compared" if not (size > 0) else
               f"no other {_KIND_WORDS.get(kind, 'place')} of its nation has the features to compare")
        rule = f"Peers: none could be chosen: {why}."
    if method == "structure":
        rule = rule.replace("in size (log creative enterprises), creative", "in creative")
    return PeerChoice([c for c, _ in order], {c: float(d) for c, d in order}, rule,
                      size={c: float(pool.loc[c, "size"]) for c, _ in order})


def is_lad_code(code: str) -> bool:
    """Whether ``code`` is a local authority district's GSS code (any of the four nations).

    >>> is_lad_code("S12000049"), is_lad_code("E47000004"), is_lad_code("Glasgow")
    (True, False, False)
    """
    c = str(code).strip().upper()
    return len(c) == 9 and c[:3] in LAD_PREFIXES and c[3:].isdigit()


def not_a_lad_message(codes: Sequence[str]) -> str:
    """The error for peer codes that are not local authority districts."""
    return (f"peer code(s) {list(codes)} are not local authority districts: --peers takes GSS codes of local "
            f"authorities ({', '.join(LAD_PREFIXES)} followed by six digits, 2023 boundaries), e.g. S12000049 "
            "(Glasgow City) or E08000012 (Liverpool).")


def series_peer_pool(series_lads: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """The measures every UK local authority has in the annual series, for peers beyond England's counts by SIC
    class: ``size`` (creative enterprises in the series' latest year), ``lq_uk`` (business LQ against the UK in
    the latest year with an active-enterprise denominator) and ``growth`` (% change of creative enterprises over
    the ten years to the latest year; NaN where the first count is a published 0).

    ``series_lads`` is the series' scale table by LAD (``pack_series_lads``: ``business_lq_uk``, ``period``,
    ``latest``, ``latest_period``); ``series`` the annual counts (``geo_code, period, value``). The years are in
    ``attrs`` (``size_year``, ``lq_year``, ``growth_window``).

    Examples
    --------
    >>> lads = pd.DataFrame({"business_lq_uk": [1.1, 0.0], "period": "2024", "latest": [300.0, 0.0],
    ...                      "latest_period": "2025"}, index=["S12000049", "E06000053"])
    >>> s = pd.DataFrame({"geo_code": ["S12000049", "E06000053"] * 2, "period": ["2015"] * 2 + ["2025"] * 2,
    ...                   "value": [200.0, 0.0, 300.0, 0.0]})
    >>> p = series_peer_pool(lads, s)
    >>> p.loc["S12000049"].tolist(), bool(np.isnan(p.loc["E06000053", "growth"])), p.attrs["growth_window"]
    ([300.0, 1.1, 50.0], True, '2015–2025')
    """
    last = str(series["period"].astype(str).max())
    first = str(int(last) - 10)
    by = series.assign(period=series["period"].astype(str))
    end = by[by["period"] == last].set_index("geo_code")["value"].astype(float)
    start = by[by["period"] == first].set_index("geo_code")["value"].astype(float)
    idx = series_lads.index.astype(str)
    s0 = start.reindex(idx)
    growth = (end.reindex(idx) / s0.where(s0 > 0) - 1.0) * 100.0
    out = pd.DataFrame({"size": series_lads["latest"].astype(float).to_numpy(),
                        "lq_uk": series_lads["business_lq_uk"].astype(float).to_numpy(),
                        "growth": growth.to_numpy(dtype=float)}, index=idx)
    out.attrs.update(size_year=str(series_lads["latest_period"].iloc[0]) if len(series_lads) else last,
                     lq_year=str(series_lads["period"].iloc[0]) if len(series_lads) else "",
                     growth_window=f"{first}–{last}" if first in set(by["period"]) else "")
    return out


def _series_distances(measures: pd.DataFrame, code: str, among: Sequence[str]) -> pd.Series:
    """Euclidean distance of each of ``among`` to ``code`` on the measures, each standardised over ``among``
    (the place included) and given equal weight; size on a log scale. Places without every measure are left
    out (a published 0 has no log size, no LQ to speak of and no growth)."""
    f = measures.reindex(list(dict.fromkeys([code, *among])))
    f = f[f["size"] > 0].assign(size=lambda d: np.log(d["size"])).dropna()
    if code not in f.index or len(f) < 2:
        return pd.Series(dtype=float)
    sd = f.std(ddof=0).replace(0, 1.0)
    z = (f - f.mean()) / sd
    return np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1)).drop(code)


def _series_measure_words(m: pd.DataFrame) -> str:
    a = m.attrs
    growth = (f" and ten-year growth of creative enterprises ({a['growth_window']})" if a.get("growth_window")
              else "")
    return (f"creative enterprises ({a.get('size_year', '')}) and the business LQ against the UK "
            f"({a.get('lq_year', '')}) from the UK-wide annual series{growth}")


#: Why sub-sector mix and business density are left out of a peer comparison on the annual series.
SIC_ENGLAND_ONLY = ("creative sub-sector mix and business density are left out: they rest on counts by sub-sector "
                    "(UK Business Counts by SIC class), which the imported counts hold for England only")


def choose_series_peers(pool: pd.DataFrame, code: str, *, place_name: str, members: Sequence[str],
                        names: Mapping[str, str], given: Sequence[str] | None = None, k: int = 10,
                        kind: str = "lad") -> PeerChoice:
    """Peers compared on the measures the annual series has for every UK local authority (``pool``:
    :func:`series_peer_pool`, plus a row for ``code`` when it is a group): for a place outside England's
    counts by SIC class, or a user's peers beyond them.

    ``given`` peers are used as named (each must be a local authority, else :class:`ParameterError`), with
    their distances standardised over the UK's local authorities. Otherwise a single local authority gets its
    ``k`` nearest local authorities of its own nation (at most half of them), standardised over that nation's;
    another kind of place gets none, and the rule says why and invites ``--peers``. The rule, said once,
    states the measures and why sub-sector mix is left out.

    Examples
    --------
    >>> pool = pd.DataFrame({"size": [2000.0, 1900.0, 300.0, 250.0, 50.0], "lq_uk": [1.0, 1.1, 0.6, 0.7, 0.5],
    ...                      "growth": [8.0, 6.0, -2.0, 1.0, 0.0]},
    ...                     index=["S12000049", "S12000036", "S12000005", "S12000006", "S12000013"])
    >>> pool.attrs.update(size_year="2025", lq_year="2024", growth_window="2015–2025")
    >>> c = choose_series_peers(pool, "S12000049", place_name="Glasgow City", members=["S12000049"], names={})
    >>> c.codes, c.rule.split(" most similar")[0]
    (['S12000036', 'S12000006', 'S12000005'], 'Peers: the 3 local authorities of Scotland')
    >>> try:
    ...     choose_series_peers(pool, "S12000049", place_name="Glasgow City", members=["S12000049"], names={},
    ...                         given=["S12000036", "E47000004"])
    ... except ParameterError as e:
    ...     str(e)[:70]
    "peer code(s) ['E47000004'] are not local authority districts: --peers "
    """
    from creative_clusters.geography.place import NATIONS, nations_in

    measures_words = _series_measure_words(pool)
    if given:
        chosen = [str(g).strip().upper() for g in dict.fromkeys(given) if str(g).strip().upper() != code]
        bad = [g for g in chosen if not is_lad_code(g)]
        if bad:
            raise ParameterError(not_a_lad_message(bad))
        unknown = [g for g in chosen if g not in pool.index]
        if unknown:
            raise ParameterError(f"peer code(s) {unknown} are not local authorities of the annual series "
                                 "(2023 boundaries); name current local authorities, e.g. S12000049")
        lads = [c for c in pool.index if is_lad_code(c)]
        dist = _series_distances(pool, code, [*lads, *chosen])
        outside = [names.get(c, c) for c in [code, *chosen] if not str(c).startswith("E")]
        if code not in [*lads] and any(not str(m).startswith("E") for m in members):
            outside = [place_name, *[o for o in outside if o != names.get(code, code)]]
        zero = [names.get(c, c) for c in chosen if not (pool.loc[c, "size"] > 0)]
        rule = (f"Peers: named by the user ({len(chosen)}). They are compared with {place_name} on the measures "
                f"every one of them has: {measures_words}; distances are Euclidean on those measures, each "
                "standardised over the UK's local authorities with equal weight, size on a log scale (0 = "
                f"identical). Because {_and_words(outside)} {'is' if len(outside) == 1 else 'are'} outside "
                f"England, {SIC_ENGLAND_ONLY}.")
        if zero:
            rule += (f" {_and_words(zero)} {'is' if len(zero) == 1 else 'are'} published as 0 creative enterprises "
                     "(0 to 2), so without a distance.")
        return PeerChoice(chosen, {c: float(dist[c]) for c in chosen if c in dist.index}, rule, given=True,
                          size={c: float(pool.loc[c, "size"]) for c in chosen},
                          measures=pool.loc[[code, *chosen]] if code in pool.index else None)
    nation = nations_in(members) if members else NATIONS.get(code[:1], "its nation")
    if kind != "lad" or len(members) != 1 or code not in pool.index:
        rule = (f"Peers: none chosen automatically. Automatic peers of an area made of several local authorities "
                f"are matched on creative sub-sector mix, and the counts by sub-sector (UK Business Counts by SIC "
                f"class) are imported for England only here. Name peers with --peers (local authority codes) to "
                f"compare {place_name} with them on {measures_words}.")
        return PeerChoice([], {}, rule)
    among = [c for c in pool.index if str(c)[:1] == code[:1] and is_lad_code(c)]
    dist = _series_distances(pool, code, among)
    k_eff = min(k, max(3, len(dist) // 2))
    order = sorted(dist.items(), key=lambda kv: (kv[1], kv[0]))[:k_eff]
    if not order:
        rule = (f"Peers: none could be chosen: {place_name} is published as 0 creative enterprises (0 to 2), so its "
                f"size, LQ and growth cannot be compared. Name peers with --peers to list them beside it.")
        return PeerChoice([], {}, rule)
    rule = (f"Peers: the {len(order)} local authorities of {nation} most similar to {place_name} on {measures_words}"
            f", each standardised over the local authorities of {nation} and given equal weight, size on a log "
            f"scale, by Euclidean distance (0 = identical); same nation, at most half of its other local "
            f"authorities (at least 3). Outside England {SIC_ENGLAND_ONLY} (name peers with --peers to choose "
            "your own).")
    codes = [c for c, _ in order]
    return PeerChoice(codes, {c: float(d) for c, d in order}, rule,
                      size={c: float(pool.loc[c, "size"]) for c in codes}, measures=pool.loc[[code, *codes]])


def _and_words(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
