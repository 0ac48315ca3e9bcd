"""The creative trident on a user's industry × occupation table.

Segments (Bakhshi & Dorsett; DCMS):

``creative_in_ci``      specialist creatives: creative occupation in a creative industry
``creative_outside_ci`` embedded creatives: creative occupation outside the creative industries
``noncreative_in_ci``   support workers: non-creative occupation in a creative industry
``other``               everyone else

The creative economy is the first three together. Creative intensity of an
industry is its share of jobs in creative occupations (DCMS threshold 30%).

**The reference bundle has no SIC × SOC table**: none of the ONS ad-hoc
workbooks carries the trident split (they give jobs by creative industry and
by occupation *major* group separately). :func:`creative_trident` runs on a
table the user supplies (e.g. an APS/LFS or Census custom cross-tab with
4-digit SIC 2007 classes and 4-digit SOC 2020 unit groups).

Examples
--------
>>> t = pd.DataFrame({"industry_code": ["5911", "5911", "4711", "4711"],
...                   "occupation_code": ["3416", "4159", "3416", "7111"],
...                   "value": [6.0, 4.0, 2.0, 88.0]})
>>> creative_trident(t)["value"].tolist()
[6.0, 2.0, 4.0, 88.0, 12.0]
"""

from __future__ import annotations

import pandas as pd

from creative_clusters.classifications.dcms import creative_classes
from creative_clusters.classifications.soc import creative_soc_codes
from creative_clusters.errors import SchemaError
from creative_clusters.people.occupations import check_soc2020_codes

__all__ = ["TRIDENT_SEGMENTS", "creative_intensity", "creative_trident"]

#: Segment codes (occupation_scheme ``DCMS_TRIDENT`` in the observation table).
TRIDENT_SEGMENTS: tuple[str, ...] = ("creative_in_ci", "creative_outside_ci", "noncreative_in_ci", "other")


def _prepare(table: pd.DataFrame, industry: str, occupation: str, value: str) -> pd.DataFrame:
    for col in (industry, occupation, value):
        if col not in table.columns:
            raise SchemaError(f"the trident needs column {col!r}; the table has {list(table.columns)}.")
    ind = table[industry].astype(str)
    if not ind.str.fullmatch(r"\d{4}").all():
        bad = sorted(set(ind[~ind.str.fullmatch(r"\d{4}")]))[:5]
        raise SchemaError(
            f"industry codes must be 4-digit SIC 2007 classes (e.g. '5911'), got {bad}; the DCMS "
            "definition cannot be applied to divisions or sections."
        )
    occ = table[occupation].astype(str)
    check_soc2020_codes(occ, level="unit")
    if (occ == "_T").any():
        raise SchemaError("the trident needs 4-digit occupation rows only; drop the '_T' total rows.")
    v = table[value].astype(float)
    if v.isna().any():
        raise SchemaError(
            f"{int(v.isna().sum())} cell(s) are missing/suppressed; the trident sums would be wrong. "
            "Fill them with a documented estimate or aggregate before calling."
        )
    ci = ind.isin(set(creative_classes()))
    co = occ.isin(set(creative_soc_codes("SOC2020")))
    return pd.DataFrame({"ind": ind, "ci": ci, "co": co, "v": v})


def creative_trident(
    table: pd.DataFrame,
    /,
    *,
    industry: str = "industry_code",
    occupation: str = "occupation_code",
    value: str = "value",
) -> pd.DataFrame:
    """Jobs in each trident segment, plus the creative-economy total.

    Parameters
    ----------
    table : DataFrame
        Jobs by 4-digit SIC 2007 class × 4-digit SOC 2020 unit group.

    Returns
    -------
    DataFrame
        ``segment`` (the four :data:`TRIDENT_SEGMENTS` then ``creative_economy``),
        ``value``, ``share_pct`` (of all jobs in the table).
    """
    t = _prepare(table, industry, occupation, value)
    seg = pd.Series("other", index=t.index)
    seg[t["co"] & t["ci"]] = "creative_in_ci"
    seg[t["co"] & ~t["ci"]] = "creative_outside_ci"
    seg[~t["co"] & t["ci"]] = "noncreative_in_ci"
    sums = t["v"].groupby(seg).sum().reindex(list(TRIDENT_SEGMENTS), fill_value=0.0)
    out = pd.DataFrame({"segment": list(TRIDENT_SEGMENTS), "value": sums.to_numpy()})
    ce = float(sums.iloc[:3].sum())
    out = pd.concat([out, pd.DataFrame({"segment": ["creative_economy"], "value": [ce]})], ignore_index=True)
    total = float(t["v"].sum())
    out["share_pct"] = 100 * out["value"] / total if total else float("nan")
    return out


def creative_intensity(
    table: pd.DataFrame,
    /,
    *,
    industry: str = "industry_code",
    occupation: str = "occupation_code",
    value: str = "value",
    threshold: float = 30.0,
) -> pd.DataFrame:
    """Share of each industry's jobs in creative occupations, and whether it passes ``threshold`` %.

    Examples
    --------
    >>> t = pd.DataFrame({"industry_code": ["5911", "5911"], "occupation_code": ["3416", "4159"],
    ...                   "value": [6.0, 4.0]})
    >>> creative_intensity(t)[["industry_code", "intensity_pct", "creative_intensive"]].values.tolist()
    [['5911', 60.0, True]]
    """
    t = _prepare(table, industry, occupation, value)
    g = t.groupby("ind")
    out = pd.DataFrame({"creative_jobs": g.apply(lambda d: d.loc[d["co"], "v"].sum(), include_groups=False),
                        "jobs": g["v"].sum()})
    out["intensity_pct"] = 100 * out["creative_jobs"] / out["jobs"]
    out["creative_intensive"] = out["intensity_pct"] >= threshold
    return out.rename_axis("industry_code").reset_index()
