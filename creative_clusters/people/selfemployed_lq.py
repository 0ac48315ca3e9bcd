"""A self-employment-inclusive location quotient, next to the ordinary one.

Business registers (IDBR: UK Business Counts, BRES) see enterprises that are
VAT- or PAYE-registered and employee jobs; most freelancers are in neither.
The ordinary creative LQ is

    LQ_r = (c_r / T_r) / (C / T)

with ``c_r`` creative units (enterprises or employees) in place ``r``,
``T_r`` all units, and ``C``, ``T`` the same for the reference area. The
self-employment-inclusive LQ adds self-employed people to both sides:

    LQ⁺_r = ((c_r + s^c_r) / (T_r + s_r)) / ((C + S^c) / (T + S))

where ``s_r`` is the self-employed count in ``r`` and ``s^c_r`` the creative
self-employed. ``gap = LQ⁺ − LQ``: positive when counting freelancers makes
the place look *more* creative.

Where only the self-employed **total** is published (Census 2021 economic
activity has no occupation or industry split), ``s^c_r`` is an **estimate**
(:func:`estimate_creative_self_employed`):

    s^c_r = s_r × min(1, share_r × propensity)

``share_r`` is the creative share of the place's workforce (e.g. Census TS060
creative residents / residents in employment) and ``propensity`` how much more
often creative workers are self-employed than all workers (e.g. from the ONS
ad-hoc APS workbook: creative self-employment rate / all-industry rate). It is
an estimate and is labelled so in every output.

Examples
--------
>>> t = pd.DataFrame({"geo_code": ["A", "B"], "creative": [10.0, 10.0], "total": [100.0, 100.0],
...                   "creative_se": [0.0, 0.0], "total_se": [0.0, 0.0]})
>>> se_inclusive_lq(t)[["lq", "lq_se", "gap"]].values.tolist()
[[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creative_clusters.errors import ParameterError, SchemaError

__all__ = ["estimate_creative_self_employed", "se_inclusive_lq", "self_employment_propensity"]


def estimate_creative_self_employed(
    self_employed: pd.Series | float, creative_share: pd.Series | float, *, propensity: float = 1.0
) -> pd.Series | float:
    """Estimated creative self-employed: ``self_employed × min(1, creative_share × propensity)``.

    Parameters
    ----------
    self_employed : Series or float
        Self-employed people (all industries/occupations).
    creative_share : Series or float
        Creative share of the place's workforce, a fraction in [0, 1].
    propensity : float
        Creative self-employment rate divided by the all-worker rate (>= 0).

    Examples
    --------
    >>> estimate_creative_self_employed(200.0, 0.25, propensity=2.0)
    100.0
    >>> estimate_creative_self_employed(200.0, 0.5, propensity=3.0)
    200.0
    """
    if not np.isfinite(propensity) or propensity < 0:
        raise ParameterError(f"propensity must be a finite number >= 0, got {propensity!r}.")
    share = np.asarray(creative_share, dtype=float)
    if np.any((share < 0) | (share > 1)):
        raise ParameterError("creative_share must be a fraction between 0 and 1 (not a percentage).")
    frac = np.minimum(1.0, share * propensity)
    out = np.asarray(self_employed, dtype=float) * frac
    if isinstance(self_employed, pd.Series):
        return pd.Series(out, index=self_employed.index)
    return float(out)


def self_employment_propensity(
    creative_se: float, creative_total: float, all_se: float, all_total: float
) -> float:
    """Creative self-employment rate over the all-worker rate.

    Examples
    --------
    >>> self_employment_propensity(30, 100, 15, 100)
    2.0
    """
    if min(creative_total, all_total, all_se) <= 0:
        raise ParameterError("totals and the all-worker self-employed count must be positive.")
    return (creative_se / creative_total) / (all_se / all_total)


def se_inclusive_lq(
    table: pd.DataFrame,
    /,
    *,
    reference: dict[str, float] | None = None,
    geo: str = "geo_code",
) -> pd.DataFrame:
    """Ordinary and self-employment-inclusive creative LQ, and their gap.

    Parameters
    ----------
    table : DataFrame
        One row per place with ``creative``, ``total`` (ordinary basis),
        ``creative_se``, ``total_se`` (self-employed: creative, all).
    reference : dict, optional
        Reference-area values for the same four keys; default: the column
        sums of ``table`` (the places together are the reference).

    Returns
    -------
    DataFrame
        ``geo_code``, ``lq``, ``lq_se``, ``gap`` (``lq_se − lq``) and the inputs.

    Raises
    ------
    SchemaError
        Missing columns, negative counts, or creative > total.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "B"], "creative": [10.0, 30.0], "total": [100.0, 100.0],
    ...                   "creative_se": [10.0, 0.0], "total_se": [20.0, 0.0]})
    >>> r = se_inclusive_lq(t)
    >>> float(round(r["lq"][0], 3)), float(round(r["lq_se"][0], 3))
    (0.5, 0.733)
    """
    need = ["creative", "total", "creative_se", "total_se"]
    missing = [c for c in [geo, *need] if c not in table.columns]
    if missing:
        raise SchemaError(f"se_inclusive_lq() needs columns {missing}; the table has {list(table.columns)}.")
    t = table[[geo, *need]].copy()
    for c in need:
        t[c] = t[c].astype(float)
    if (t[need] < 0).any().any():
        raise SchemaError("se_inclusive_lq(): counts must be >= 0.")
    if (t["creative"] > t["total"]).any() or (t["creative_se"] > t["total_se"]).any():
        raise SchemaError("se_inclusive_lq(): a creative count exceeds its total; check the columns.")
    ref = reference if reference is not None else {c: float(t[c].sum()) for c in need}
    if any(c not in ref for c in need):
        raise SchemaError(f"reference needs keys {need}, got {sorted(ref)}.")
    base = ref["creative"] / ref["total"] if ref["total"] else np.nan
    denom_se = ref["total"] + ref["total_se"]
    base_se = (ref["creative"] + ref["creative_se"]) / denom_se if denom_se else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        t["lq"] = (t["creative"] / t["total"]) / base
        t["lq_se"] = ((t["creative"] + t["creative_se"]) / (t["total"] + t["total_se"])) / base_se
    t["gap"] = t["lq_se"] - t["lq"]
    return t.rename(columns={geo: "geo_code"})
