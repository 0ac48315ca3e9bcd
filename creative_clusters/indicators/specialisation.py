"""Specialisation inside the creative industries: HHI, diversity and entropy.

docs/methods.md §14.2 (Nesta, *Creative Nation*): ``HHI_r = Σ_k (e_kr / Σ_k e_kr)²``
over the sub-sectors; diversity = number of sub-sectors with LQ > 1; the
createch work uses Shannon entropy instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.indicators._checks import (
    check_columns,
    check_not_empty,
    check_numeric_non_negative,
)
from creative_clusters.indicators.lq import location_quotient

__all__ = ["specialisation"]


def specialisation(
    table: pd.DataFrame,
    /,
    *,
    geo: str = "geo_code",
    industry: str = "industry_code",
    value: str = "value",
    period: str | None = "period",
    lq: str | None = None,
    **lq_kwargs: Any,
) -> pd.DataFrame:
    """Per area: HHI, Shannon entropy and count of sub-sectors with LQ > 1.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table of creative sub-sector counts by area (no ``_T`` rows).
    lq : str, optional
        Column already holding each row's LQ (e.g. against all industries).
        If None, LQs are computed by :func:`location_quotient` with
        ``lq_kwargs`` (pass ``denominator=`` to measure against all
        industries; without it the reference is the creative total).

    Returns
    -------
    pandas.DataFrame
        ``geo`` (× ``period``), ``creative_total``, ``hhi`` (1/K … 1),
        ``shannon_entropy`` (natural log, 0 … ln K), ``n_subsectors``
        (sub-sectors with a positive count) and ``n_lq_above_1``. An area with
        a suppressed sub-sector gets NaN HHI and entropy.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"],
    ...                   "industry_code": ["film_tv", "music_arts"] * 2,
    ...                   "value": [50, 50, 90, 10]})
    >>> s = specialisation(t)
    >>> s["hhi"].round(2).tolist(), s["n_lq_above_1"].tolist()
    ([0.5, 0.82], [1, 1])
    """
    caller = "specialisation()"
    check_columns(table, [geo, industry, value, lq], caller=caller)
    check_not_empty(table, caller=caller)
    per = [period] if period is not None and period in table.columns else []
    if lq is None:
        lqs = location_quotient(table, geo=geo, industry=industry, value=value,
                                period=period, **lq_kwargs)
        lq_vals = lqs["lq"].to_numpy()
        frame = table[[geo, industry, *per]].reset_index(drop=True).copy()
    else:
        lq_vals = pd.to_numeric(table[lq]).to_numpy(dtype=float)
        frame = table[[geo, industry, *per]].reset_index(drop=True).copy()
    frame["_v"] = check_numeric_non_negative(table, value, caller=caller)
    frame["_lq"] = lq_vals
    keys = [*per, geo]
    frame["_nan"] = frame["_v"].isna()
    g = frame.groupby(keys, sort=True)
    tot = g["_v"].sum(min_count=1).where(~g["_nan"].any())
    frame["_tot"] = frame.set_index(keys).index.map(tot).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = frame["_v"] / frame["_tot"].where(frame["_tot"] > 0)
        frame["_p2"] = p**2
        frame["_h"] = np.where(p > 0, -p * np.log(p), 0.0)
        frame.loc[p.isna(), "_h"] = np.nan
    g = frame.groupby(keys, sort=True)
    out = pd.DataFrame({
        "creative_total": tot,
        "hhi": g["_p2"].sum(min_count=1).where(tot > 0),
        "shannon_entropy": g["_h"].sum(min_count=1).where(tot > 0),
        "n_subsectors": g["_v"].apply(lambda s: int((s > 0).sum())),
        "n_lq_above_1": g["_lq"].apply(lambda s: int((s > 1).sum())),
    })
    out.loc[g["_nan"].any(), ["hhi", "shannon_entropy"]] = np.nan
    return out.reset_index()
