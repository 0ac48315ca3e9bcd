"""Deprivation, creative activity in deprived places, workforce composition, job quality.

Deprivation indices are national: England (IMD 2019, IMD 2025), Wales (WIMD
2019), Scotland (SIMD 2020) and Northern Ireland (NIMDM 2017) rank places
within their own nation only, with different domains and years. Nothing here
ranks or pools places across indices: :func:`imd_rank` refuses a LAD code from
another nation (``E`` codes for England, ``W`` Wales, ``S`` Scotland, ``N``
Northern Ireland).

Examples
--------
>>> obs = pd.DataFrame({"dataset": ["imd2019_england"] * 2, "geo_code": ["E06000002", "E06000001"],
...     "measure": ["imd_rank_of_average_score"] * 2, "value": [5.0, 20.0],
...     "geo_vintage": ["2019"] * 2})
>>> imd_rank(obs, "E06000002", kind=kinds.DEPRIVATION_ENGLAND)["rank"]
5
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import ParameterError, SchemaError, UnknownCodeError

__all__ = [
    "DEPRIVATION_KINDS",
    "JOB_QUALITY_PAIRS",
    "BenchmarkRow",
    "DecileRow",
    "InclusionEvidence",
    "creative_by_deprivation_decile",
    "deprivation_deciles",
    "imd_rank",
    "job_quality_panel",
    "workforce_composition",
    "worst_flag",
]

#: dataset id → (nation prefix of LAD codes, label, ranking measure or "" when only scores).

#: dataset kind → (nation prefix of LAD codes, index name, ranking measure or "" when only scores).
#: The edition (year) comes from the catalogue's vintage of the dataset that serves the kind.
DEPRIVATION_KINDS: dict[str, tuple[str, str, str]] = {
    kinds.DEPRIVATION_ENGLAND: ("E", "English Indices of Deprivation", "imd_rank_of_average_score"),
    kinds.DEPRIVATION_WALES: ("W", "Welsh Index of Multiple Deprivation", ""),
    kinds.DEPRIVATION_SCOTLAND: ("S", "Scottish Index of Multiple Deprivation", ""),
    kinds.DEPRIVATION_NORTHERN_IRELAND: ("N", "Northern Ireland Multiple Deprivation Measure", ""),
}

#: Job-quality indicator → (favourable measure, unfavourable measure), from
#: :data:`creative_clusters.classifications.ons_labels.JOB_QUALITY_MEASURES`.
JOB_QUALITY_PAIRS: dict[str, tuple[str, str]] = {
    "satisfactory_hours": ("jobs_satisfactory_hours", "jobs_not_satisfactory_hours"),
    "paid_overtime": ("jobs_paid_overtime", "jobs_unpaid_overtime"),
    "permanent_job": ("jobs_permanent", "jobs_non_permanent"),
    "not_low_pay": ("jobs_not_low_pay_local", "jobs_low_pay_local"),
    "progression_opportunities": ("jobs_progression_opportunities", "jobs_no_progression_opportunities"),
    "good_employee_involvement": ("jobs_good_employee_involvement", "jobs_not_good_employee_involvement"),
}

_FLAG_ORDER = ("suppressed", "low-reliability", "rounded", "as-published")


@dataclass(frozen=True)
class DecileRow:
    """Creative enterprises per 1,000 active enterprises in one deprivation decile of English LADs.

    ``place_lads`` names the place's own LADs that fall in the decile (empty for the others).
    """

    decile: int
    lads: int
    rate: float
    place_lads: tuple[str, ...] = ()


@dataclass(frozen=True)
class BenchmarkRow:
    """One sector-wide benchmark (job quality or workforce composition): creative vs all industries.

    ``creative_pct`` is ``None`` when the published cell is suppressed; ``flag`` is the worse of the
    creative and all-industries cells' disclosure flags (``as-published``, ``low-reliability``,
    ``suppressed``).
    """

    key: str
    label: str
    creative_pct: float | None
    all_industries_pct: float | None
    difference_pp: float | None
    flag: str
    dimension: str = ""

    @property
    def citeable(self) -> bool:
        """Published as-is, with a value and a difference: a sentence may quote it."""
        return self.flag == "as-published" and self.creative_pct is not None and self.difference_pp is not None


@dataclass
class InclusionEvidence:
    """The inclusion and good-work results a pack shows for a place (built by
    :func:`creative_clusters.workflows.inclusion_report.inclusion_evidence`; rendered, never recomputed).

    ``deciles`` is empty where the place is not wholly in England (``deciles_absent`` says why).
    ``job_quality`` and ``composition`` are sector-wide figures for ``area_name`` (the UK excluding
    London, or London), never the place's own. ``composition_cited`` are the composition rows a
    sentence may quote (published as-is; the largest difference from all industries per dimension,
    largest first); ``job_quality_above`` / ``job_quality_below`` the citeable job-quality rows where
    creative jobs are above / below all industries.
    """

    place_name: str
    deciles: list[DecileRow] = field(default_factory=list)
    deciles_index: str = ""
    deciles_unit: str = ""
    deciles_notes: list[str] = field(default_factory=list)
    deciles_absent: str = ""
    area_name: str = ""
    job_quality: list[BenchmarkRow] = field(default_factory=list)
    job_quality_period: str = ""
    job_quality_above: list[BenchmarkRow] = field(default_factory=list)
    job_quality_below: list[BenchmarkRow] = field(default_factory=list)
    composition: list[BenchmarkRow] = field(default_factory=list)
    composition_period: str = ""
    composition_cited: list[BenchmarkRow] = field(default_factory=list)
    composition_notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def worst_flag(flags: pd.Series | list[str]) -> str:
    """The most severe disclosure flag among ``flags`` (suppressed > low-reliability > rounded).

    Examples
    --------
    >>> worst_flag(["as-published", "low-reliability"])
    'low-reliability'
    """
    s = set(map(str, flags))
    for f in _FLAG_ORDER:
        if f in s:
            return f
    return "as-published"


def _need(table: pd.DataFrame, cols: list[str], fn: str) -> None:
    missing = [c for c in cols if c not in table.columns]
    if missing:
        raise SchemaError(f"{fn}() needs columns {missing}; the table has {list(table.columns)}.")


def imd_rank(obs: pd.DataFrame, lad_code: str, *, kind: str = kinds.DEPRIVATION_ENGLAND,
             dataset: str | None = None, vintage: str = "") -> dict:
    """Rank of a LAD on a deprivation index (1 = most deprived), with how many were ranked.

    Uses the published rank of average score where the index has one; for the
    devolved indices, which publish only LAD summaries (share of small areas in
    the most deprived 10%), returns that summary and no rank.

    Raises
    ------
    ParameterError
        For a LAD from another nation than the index (indices are not comparable).
    UnknownCodeError
        When the LAD is not in the index table.
    """
    if kind not in DEPRIVATION_KINDS:
        raise ParameterError(f"unknown deprivation kind {kind!r}; use one of {sorted(DEPRIVATION_KINDS)}.")
    prefix, base, measure = DEPRIVATION_KINDS[kind]
    label = f"{base} {vintage}".strip()
    _need(obs, ["dataset", "geo_code", "measure", "value"], "imd_rank")
    if dataset is None:
        ids = sorted(obs["dataset"].astype(str).unique())
        if len(ids) != 1:
            raise ParameterError(f"imd_rank got rows of several datasets {ids}; say which with dataset=.")
        dataset = ids[0]
    if not str(lad_code).startswith(prefix):
        raise ParameterError(
            f"{lad_code} is not covered by {label}: deprivation indices of the four UK nations are "
            "built differently and are never ranked together; use the index of the place's own nation."
        )
    t = obs[obs["dataset"] == dataset]
    if measure:
        r = t[t["measure"] == measure]
        if "geo_vintage" in r.columns and r["geo_vintage"].nunique() > 1:
            r = r[r["geo_vintage"] == sorted(r["geo_vintage"].unique())[0]]
        hit = r[r["geo_code"] == lad_code]
        if hit.empty:
            raise UnknownCodeError(
                f"{lad_code} has no {measure} in {dataset}; the index ranks {r['geo_code'].nunique()} "
                "LADs on its own boundary set (boundary changes since may have merged the LAD)."
            )
        return {"index": label, "dataset": dataset, "rank": int(hit["value"].iloc[0]),
                "of": int(r["geo_code"].nunique()), "measure": measure,
                "geo_vintage": str(hit["geo_vintage"].iloc[0]) if "geo_vintage" in hit else ""}
    r = t[(t["measure"] == "imd_proportion_most_deprived_10pct") & (t["geo_code"] == lad_code)]
    if r.empty:
        raise UnknownCodeError(f"{lad_code} is not in {dataset}.")
    return {"index": label, "dataset": dataset, "rank": None, "of": None,
            "measure": "imd_proportion_most_deprived_10pct", "share_most_deprived_10pct": float(r["value"].iloc[0])}


def decile_of_rank(rank: Any, n: int) -> Any:
    """The decile of a rank among ``n`` areas (rank 1 = most deprived): ``ceil(10 × rank / n)``.

    The one rule of "the most deprived tenth": of 296 LADs, ranks 1 to 29 are in decile 1 and rank 30
    (10.1% of them) in decile 2.

    Examples
    --------
    >>> decile_of_rank(29, 296), decile_of_rank(30, 296)
    (1, 2)
    """
    out = np.ceil(10 * np.asarray(rank, dtype=float) / n)
    return int(out) if out.ndim == 0 else out.astype(int)


def deprivation_deciles(scores: pd.DataFrame, /, *, geo: str = "geo_code", value: str = "value") -> pd.DataFrame:
    """LAD deprivation deciles from average scores (decile 1 = most deprived tenth of LADs).

    Rank 1 is the highest score (most deprived); ``decile = ceil(10 × rank / n)``.

    Examples
    --------
    >>> s = pd.DataFrame({"geo_code": list("ABCDEFGHIJ"), "value": range(10, 0, -1)})
    >>> deprivation_deciles(s)["decile"].tolist()
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    """
    _need(scores, [geo, value], "deprivation_deciles")
    t = scores[[geo, value]].dropna().drop_duplicates(subset=[geo])
    n = len(t)
    if n < 10:
        raise ParameterError(f"need at least 10 areas to form deciles, got {n}.")
    rank = t[value].rank(ascending=False, method="first")
    return pd.DataFrame({"geo_code": t[geo].astype(str).to_numpy(), "rank": rank.astype(int).to_numpy(),
                         "decile": decile_of_rank(rank.to_numpy(), n)})


def creative_by_deprivation_decile(
    creative: pd.DataFrame, total: pd.DataFrame, deciles: pd.DataFrame, /, *, per: float = 1000.0
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Creative units per ``per`` of all units, by deprivation decile of LAD.

    Parameters
    ----------
    creative, total : DataFrame
        ``geo_code``, ``value`` (e.g. creative enterprises; all active enterprises).
    deciles : DataFrame
        Output of :func:`deprivation_deciles`.

    Returns
    -------
    (DataFrame, dict)
        Per decile: ``lads``, ``creative``, ``total``, ``rate`` (ratio of sums,
        not a mean of LAD rates); and counts of LADs set aside (in one table
        but not the others) so nothing is silently dropped.

    Examples
    --------
    >>> d = pd.DataFrame({"geo_code": ["A", "B"], "decile": [1, 10]})
    >>> c = pd.DataFrame({"geo_code": ["A", "B", "X"], "value": [5.0, 30.0, 1.0]})
    >>> t = pd.DataFrame({"geo_code": ["A", "B"], "value": [1000.0, 2000.0]})
    >>> out, dropped = creative_by_deprivation_decile(c, t, d)
    >>> out["rate"].tolist(), dropped["creative_without_decile_or_total"]
    ([5.0, 15.0], 1)
    """
    for name, t in (("creative", creative), ("total", total)):
        _need(t, ["geo_code", "value"], f"creative_by_deprivation_decile[{name}]")
    _need(deciles, ["geo_code", "decile"], "creative_by_deprivation_decile[deciles]")
    c = creative.groupby("geo_code")["value"].sum()
    t = total.groupby("geo_code")["value"].sum()
    d = deciles.set_index("geo_code")["decile"]
    keep = sorted(set(c.index) & set(t.index) & set(d.index))
    report = {
        "lads_used": len(keep),
        "creative_without_decile_or_total": len(set(c.index) - set(keep)),
        "total_without_creative_or_decile": len(set(t.index) - set(keep)),
        "deciles_without_data": len(set(d.index) - set(keep)),
    }
    f = pd.DataFrame({"creative": c[keep], "total": t[keep], "decile": d[keep]})
    out = f.groupby("decile").agg(lads=("creative", "size"), creative=("creative", "sum"), total=("total", "sum"))
    out["rate"] = per * out["creative"] / out["total"]
    return out.reset_index(), report


def job_quality_panel(obs: pd.DataFrame, /) -> pd.DataFrame:
    """Share of jobs with each favourable job-quality attribute, creative vs all industries.

    Parameters
    ----------
    obs : DataFrame
        Observations of ``ons_job_quality_creative_2021_2022`` (measures in
        :data:`JOB_QUALITY_PAIRS`).

    Returns
    -------
    DataFrame
        ``geo_code, industry_scheme, industry_code, period, indicator, favourable,
        unfavourable, share_pct, disclosure_flag``; ``share_pct`` is NaN when
        either cell is missing, and the flag is the worse of the two cells'.
        ``vs_all_industries_pp`` is the difference from all industries
        (``SIC2007``/``_T``) in the same place and year.
    """
    _need(obs, ["geo_code", "industry_scheme", "industry_code", "period", "measure", "value",
                "disclosure_flag"], "job_quality_panel")
    keys = ["geo_code", "industry_scheme", "industry_code", "period"]
    rows = []
    for ind, (fav, unf) in JOB_QUALITY_PAIRS.items():
        a = obs[obs["measure"] == fav].set_index(keys)
        b = obs[obs["measure"] == unf].set_index(keys)
        idx = a.index.union(b.index)
        a, b = a.reindex(idx), b.reindex(idx)
        share = 100 * a["value"] / (a["value"] + b["value"])
        flags = [worst_flag([x if isinstance(x, str) else "suppressed", y if isinstance(y, str) else "suppressed"])
                 for x, y in zip(a["disclosure_flag"], b["disclosure_flag"], strict=True)]
        rows.append(pd.DataFrame({"indicator": ind, "favourable": a["value"].to_numpy(),
                                  "unfavourable": b["value"].to_numpy(), "share_pct": share.to_numpy(),
                                  "disclosure_flag": flags}, index=idx))
    if not rows:
        return pd.DataFrame()
    out = pd.concat(rows).reset_index()
    allind = out[(out["industry_scheme"] == "SIC2007") & (out["industry_code"] == "_T")]
    ref = allind.set_index(["geo_code", "period", "indicator"])["share_pct"]
    out["all_industries_pct"] = [ref.get((g, p, i), np.nan) for g, p, i in
                                 zip(out["geo_code"], out["period"], out["indicator"], strict=True)]
    out["vs_all_industries_pp"] = out["share_pct"] - out["all_industries_pct"]
    order = ["indicator", "geo_code", "period", "industry_scheme", "industry_code"]
    return out.sort_values(order).reset_index(drop=True)


def workforce_composition(obs: pd.DataFrame, /) -> pd.DataFrame:
    """Share of jobs in each breakdown category (``status`` ``dimension=value``), vs all industries.

    The denominator is the jobs total of the same place, industry and year
    (``employment_type=employee`` + ``employment_type=self_employed``). Missing
    (suppressed / unreliable) cells stay NaN with their flag.

    Examples
    --------
    >>> o = pd.DataFrame({"geo_code": ["L"] * 6, "industry_scheme": ["DCMS_CI"] * 3 + ["SIC2007"] * 3,
    ...     "industry_code": ["x"] * 3 + ["_T"] * 3, "period": ["2023"] * 6,
    ...     "status": ["employment_type=employee", "employment_type=self_employed", "sex=female"] * 2,
    ...     "value": [60.0, 40.0, 50.0, 90.0, 10.0, 45.0], "disclosure_flag": ["as-published"] * 6})
    >>> r = workforce_composition(o)
    >>> r.loc[r["status"] == "sex=female", ["share_pct", "vs_all_industries_pp"]].values.tolist()[0]
    [50.0, 5.0]
    """
    _need(obs, ["geo_code", "industry_scheme", "industry_code", "period", "status", "value",
                "disclosure_flag"], "workforce_composition")
    keys = ["geo_code", "industry_scheme", "industry_code", "period"]
    et = obs[obs["status"].isin(["employment_type=employee", "employment_type=self_employed"])]
    tot = et.groupby(keys).agg(total=("value", lambda v: v.sum(min_count=2) if len(v) == 2 else np.nan),
                               total_flag=("disclosure_flag", worst_flag))
    t = obs.join(tot, on=keys)
    t = t[t["status"].astype(str).str.contains("=")].copy()
    t["dimension"] = t["status"].str.split("=").str[0]
    t["share_pct"] = 100 * t["value"] / t["total"]
    t["disclosure_flag"] = [worst_flag([a, b if isinstance(b, str) else "suppressed"])
                            for a, b in zip(t["disclosure_flag"], t["total_flag"], strict=True)]
    allind = t[(t["industry_scheme"] == "SIC2007") & (t["industry_code"] == "_T")]
    ref = allind.set_index(["geo_code", "period", "status"])["share_pct"]
    t["all_industries_pct"] = [ref.get((g, p, s), np.nan) for g, p, s in
                               zip(t["geo_code"], t["period"], t["status"], strict=True)]
    t["vs_all_industries_pp"] = t["share_pct"] - t["all_industries_pct"]
    cols = [*keys, "dimension", "status", "value", "total", "share_pct", "all_industries_pct",
            "vs_all_industries_pp", "disclosure_flag"]
    return t[cols].sort_values([*keys, "status"]).reset_index(drop=True)




