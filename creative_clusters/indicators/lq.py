"""Location quotients, shares and count aggregation (pure functions).

Notation (docs/methods.md §14): ``e_ir`` is the count (employment or businesses)
of industry *i* in area *r*; ``E_r`` the area's all-industry total; ``E_i``
the industry's total over the areas; ``E`` the grand total. Then

    LQ_ir = (e_ir / E_r) / (E_i / E)

computed for employment **and** business counts (Nesta, ``create_lq_df``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters._counts import sum_by
from creative_clusters.errors import ParameterError, SchemaError, UnknownCodeError
from creative_clusters.indicators._checks import (
    check_columns,
    check_not_empty,
    check_numeric_non_negative,
    check_single_value,
    check_unique_keys,
    flag_rank,
    warn,
    worst_flag,
)

__all__ = [
    "MIN_CLAIM_COUNT",
    "aggregate_counts",
    "location_quotient",
    "lq_ratio",
    "poisson_lq_interval",
    "share_of",
    "shares",
    "specialised_beyond_doubt",
    "subsector_shares",
    "with_group_row",
]

TOTAL = "_T"
_HINT = "Give your own column names with geo=, industry=, value= and period=."


#: Fewest units (enterprises, providers, ...) behind any claim of specialisation, strength or weakness.
MIN_CLAIM_COUNT = 10


def specialised_beyond_doubt(count: np.ndarray | float, expected_per_lq: np.ndarray | float, *,
                             rounding: float = 2.0, min_count: float = MIN_CLAIM_COUNT) -> np.ndarray:
    """True where an LQ is above 1 beyond doubt: at least ``min_count`` units and the 95% interval's lower bound
    above 1, both at ``count - rounding`` (a count published rounded to 5 may truly be 2 lower: 10 may be 8).

    The gate the evidence pack applies to every specialisation claim
    (``reporting.findings.specialisation_finding``), here vectorised so an
    indicator can count the sub-sectors that pass it.

    Examples
    --------
    >>> specialised_beyond_doubt(np.array([20.0, 20.0, 8.0, 300.0]), np.array([11.8, 11.8, 2.0, 250.0]))
    array([False, False, False,  True])
    >>> specialised_beyond_doubt(20.0, 11.8, rounding=0).tolist()
    True
    >>> specialised_beyond_doubt(np.array([10.0, 12.0]), np.array([1.4, 1.4])).tolist()
    [False, True]
    """
    c = np.asarray(count, dtype="float64")
    e = np.asarray(expected_per_lq, dtype="float64")
    ok = (c - rounding >= min_count) & (e > 0) & (c - rounding > 0)
    lo, _ = poisson_lq_interval(np.where(ok, c - rounding, 1.0), np.where(ok, e, 1.0))
    return ok & (np.asarray(lo) > 1.0)


def poisson_lq_interval(
    count: np.ndarray | float,
    expected_per_lq: np.ndarray | float,
    *,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson interval for an LQ.

    The LQ is ``count / expected_per_lq`` where ``expected_per_lq = E_r·E_i/E``
    is the count the area would have at the reference share. The area total
    and the reference share are treated as fixed (the reference is the whole
    country, whose sampling noise is negligible next to one area's count), and
    the count as Poisson. The bounds are the chi-square quantiles of Garwood
    (1936): ``χ²(α/2; 2x)/2`` and ``χ²(1−α/2; 2x+2)/2``, divided by
    ``expected_per_lq``. The interval is exact, hence slightly conservative
    (coverage ≥ the nominal level); ``tests/indicators`` checks its coverage
    by simulation.

    Examples
    --------
    >>> lo, hi = poisson_lq_interval(np.array([20.0]), np.array([10.0]))
    >>> float(lo[0].round(3)), float(hi[0].round(3))
    (1.222, 3.089)
    """
    if not 0 < confidence < 1:
        raise ParameterError(
            f"The 'confidence' parameter must be in (0, 1). Got {confidence!r} instead."
        )
    # chi2.ppf(q, 2k)/2 == gammaincinv(k, q): the same quantile through scipy.special, whose
    # import costs a fraction of scipy.stats' (seconds on a loaded machine)
    from scipy.special import gammaincinv

    x = np.asarray(count, dtype="float64")
    base = np.asarray(expected_per_lq, dtype="float64")
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(x > 0, gammaincinv(np.where(x > 0, x, 1), alpha / 2), 0.0)
        hi = gammaincinv(x + 1, 1 - alpha / 2)
        lo = np.where(np.isnan(x), np.nan, lo) / base
        hi = hi / base
    return lo, hi


def _source_label(frame: pd.DataFrame, dataset: str | None) -> str:
    if dataset and dataset in frame.columns:
        vals = sorted({str(v) for v in frame[dataset].dropna().unique() if str(v)})
        if vals:
            return "+".join(vals)
    return "unspecified source"


def _period_label(frame: pd.DataFrame, period: str | None) -> str:
    if period and period in frame.columns:
        vals = sorted({str(v) for v in frame[period].dropna().unique()})
        return "/".join(vals)
    return ""


def location_quotient(
    table: pd.DataFrame,
    /,
    *,
    geo: str = "geo_code",
    industry: str = "industry_code",
    value: str = "value",
    period: str | None = "period",
    flag: str = "disclosure_flag",
    dataset: str = "dataset",
    denominator: pd.DataFrame | None = None,
    allow_mixed_sources: bool = False,
    min_count: float = 10,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Location quotient of each industry in each area, with interval and flags.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table, one row per area × industry (× period). If rows with
        ``industry == "_T"`` are present they are the area totals ``E_r``;
        otherwise ``E_r`` is the sum over the table's industries, which must
        then cover the whole economy (e.g. BRES over all 525 classes).
    geo, industry, value, period, flag, dataset : str
        Column names. ``period`` may be ``None`` or absent; LQs are computed
        separately for each period. ``flag`` and ``dataset`` are optional.
    denominator : pandas.DataFrame, optional
        All-industry area totals from another table (columns ``geo``,
        ``value`` and optionally ``period``, ``flag``, ``dataset``), e.g. active
        enterprises from Business Demography under creative counts from UK
        Business Counts. With it, ``_T`` rows are ordinary data rows (e.g.
        "all creative industries"), not totals.
    allow_mixed_sources : bool, default False
        A denominator whose ``dataset`` differs from the numerator's raises
        unless this is True; the result then carries a ``caveat`` column.
    min_count : float, default 10
        Rows with ``e_ir < min_count`` get ``small_count = True``
        (docs/methods.md §14.1: a quotient of small counts moves a lot with one firm).
    confidence : float, default 0.95
        Level of the exact Poisson interval (:func:`poisson_lq_interval`).

    Returns
    -------
    pandas.DataFrame
        The non-total input rows (new index) plus ``area_total``,
        ``industry_total``, ``grand_total``, ``share`` (e_ir/E_r),
        ``reference_share`` (E_i/E), ``lq``, ``lq_lower``, ``lq_upper``,
        ``small_count``, ``disclosure_flag`` (the most severe flag of the count
        and its area total) and, with ``denominator``, ``caveat``.

    Raises
    ------
    SchemaError
        Missing columns, negative or non-numeric counts, duplicated keys,
        mixed boundary vintages, an empty table, or mixed sources without
        ``allow_mixed_sources=True``.

    Notes
    -----
    Suppressed counts (NaN) are never treated as 0: their LQ is NaN and
    flagged ``suppressed``; an area total built from a suppressed cell is NaN
    too. ``E_i`` and ``E`` sum only the areas whose total is known, so the
    total-weighted mean LQ over areas is exactly 1.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"],
    ...                   "industry_code": ["5911", "other", "5911", "other"],
    ...                   "value": [30, 70, 10, 90]})
    >>> location_quotient(t)["lq"].round(3).tolist()
    [1.5, 0.875, 0.5, 1.125]
    """
    caller = "location_quotient()"
    check_columns(table, [geo, industry, value], caller=caller, hint=_HINT)
    check_not_empty(table, caller=caller)
    if min_count < 0:
        raise ParameterError(f"The 'min_count' parameter must be >= 0. Got {min_count!r} instead.")
    check_single_value(
        table, "geo_vintage", caller=caller, what="boundary vintages",
        fix="Map every area to one vintage first (geography lookups) or filter on geo_vintage.",
    )
    check_single_value(
        table, "measure", caller=caller, what="measures",
        fix="Filter to one measure (e.g. enterprises or employment) before computing LQs.",
    )
    per = period if period is not None and period in table.columns else None
    keys = [geo, industry] + ([per] if per else [])
    check_unique_keys(table, keys, caller=caller)
    vals = check_numeric_non_negative(table, value, caller=caller)

    frame = table.copy()
    frame["_e"] = vals
    frame["_rank"] = flag_rank(frame[flag].astype(object)) if flag in frame.columns else 0
    frame["_p"] = frame[per].astype(str) if per else ""
    is_total = frame[industry].astype(str).eq(TOTAL).to_numpy()
    if denominator is not None:
        # With an explicit denominator, '_T' rows (e.g. all creative) are data.
        is_total = np.zeros(len(frame), dtype=bool)
    body = frame.loc[~is_total].copy()
    check_not_empty(body, caller=caller, what="the table (without '_T' total rows)")

    caveat = None
    if denominator is not None:
        den = _denominator(denominator, geo=geo, value=value, period=period, flag=flag,
                           caller=caller, num_periods=set(body["_p"]))
        num_src, den_src = _source_label(body, dataset), _source_label(denominator, dataset)
        if num_src != den_src:
            if not allow_mixed_sources:
                raise SchemaError(
                    f"{caller}: the numerator comes from {num_src!r} but the denominator "
                    f"from {den_src!r}. Mixing sources changes what the LQ means; pass "
                    "allow_mixed_sources=True to accept it (the result then carries a caveat)."
                )
            pn, pd_ = _period_label(body, per), _period_label(denominator, period)
            caveat = (
                f"mixed-source denominator: creative counts from {num_src}"
                + (f" ({pn})" if pn else "")
                + f" over totals from {den_src}"
                + (f" ({pd_})" if pd_ else "")
            )
        nv = check_single_value(body, "geo_vintage", caller=caller, what="vintages", fix="")
        dv = (
            check_single_value(denominator, "geo_vintage", caller=caller + " denominator",
                               what="boundary vintages", fix="Filter the denominator.")
        )
        if nv and dv and nv != dv:
            warn(
                f"{caller}: numerator areas are on {nv} boundaries but the denominator's on "
                f"{dv}; areas whose codes differ get no LQ. Map both to one vintage to avoid this."
            )
        totals = den
    elif is_total.any():
        t = frame.loc[is_total]
        totals = pd.DataFrame({"_g": t[geo].to_numpy(), "_p": t["_p"].to_numpy(),
                               "_Er": t["_e"].to_numpy(), "_rr": t["_rank"].to_numpy()})
    else:
        g = body.assign(_isnan=body["_e"].isna()).groupby([geo, "_p"], sort=False)
        totals = pd.DataFrame({
            "_Er": g["_e"].sum(min_count=1),
            "_nan": g["_isnan"].any(),
            "_rr": g["_rank"].max(),
        }).reset_index().rename(columns={geo: "_g"})
        n_bad = int(totals["_nan"].sum())
        if n_bad:
            warn(
                f"{caller}: {n_bad} area total(s) include suppressed cells, so those "
                "areas' totals and LQs are NaN. Supply the totals as '_T' rows or with "
                "denominator= to keep them."
            )
        totals.loc[totals["_nan"], "_Er"] = np.nan
        totals = totals.drop(columns="_nan")

    body = body.merge(totals, how="left", left_on=[geo, "_p"], right_on=["_g", "_p"],
                      validate="many_to_one")
    missing = body["_g"].isna()
    if missing.any():
        ex = sorted(body.loc[missing, geo].astype(str).unique())[:5]
        warn(
            f"{caller}: {int(body.loc[missing, geo].nunique())} area(s) have no total "
            f"(e.g. {ex}); their LQs are NaN. Check that the denominator covers the same "
            "areas and boundary vintage."
        )
    body["_rr"] = body["_rr"].fillna(3).astype("int64")
    known = body["_Er"].notna() & (body["_Er"] > 0)
    hidden = known & body["_e"].isna()
    if hidden.any():
        warn(
            f"{caller}: {int(hidden.sum())} suppressed cell(s) in areas with a known total are "
            "left out of the industry totals E_i, so reference shares are slightly low. Supply "
            "national totals or aggregate to a level without suppression if this matters."
        )
    e_known = body["_e"].where(known)
    body["_Ei"] = e_known.groupby([body[industry], body["_p"]]).transform("sum")
    area_first = ~body.duplicated([geo, "_p"])
    grand = body["_Er"].where(known & area_first).groupby(body["_p"]).sum()
    body["_E"] = body["_p"].map(grand).astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = body["_e"] / body["_Er"].where(body["_Er"] > 0)
        ref = body["_Ei"] / body["_E"].where(body["_E"] > 0)
        lq = share / ref.where(ref > 0)
        lq = lq.where(known)
        expected = (body["_Er"] * ref).where(known)
    lo, hi = poisson_lq_interval(body["_e"].to_numpy(), expected.to_numpy(), confidence=confidence)
    nan_rank = np.where(body["_e"].isna() | body["_Er"].isna(), 3, 0)

    out = table.loc[~is_total].reset_index(drop=True).copy()
    out["area_total"] = body["_Er"].to_numpy()
    out["industry_total"] = body["_Ei"].to_numpy()
    out["grand_total"] = body["_E"].to_numpy()
    out["share"] = share.to_numpy()
    out["reference_share"] = ref.to_numpy()
    out["lq"] = lq.to_numpy()
    out["lq_lower"] = np.where(known, lo, np.nan)
    out["lq_upper"] = np.where(known, hi, np.nan)
    out["small_count"] = (body["_e"] < min_count).to_numpy()
    out["disclosure_flag"] = worst_flag(body["_rank"].to_numpy(), body["_rr"].to_numpy(), nan_rank)
    if denominator is not None:
        out["caveat"] = caveat or ""
    return out


def _denominator(
    den: pd.DataFrame, *, geo: str, value: str, period: str | None, flag: str,
    caller: str, num_periods: set[str],
) -> pd.DataFrame:
    c = caller + " denominator"
    check_columns(den, [geo, value], caller=c, hint="The denominator needs the same geo= and value= columns.")
    check_not_empty(den, caller=c)
    check_single_value(den, "measure", caller=c, what="measures", fix="Filter to one measure.")
    v = check_numeric_non_negative(den, value, caller=c)
    use_p = bool(period and period in den.columns)
    dp = den[period].astype(str).to_numpy() if use_p else np.full(len(den), "")
    if use_p and set(dp) != num_periods:
        if len(set(dp)) != 1:
            raise SchemaError(
                f"{c}: periods {sorted(set(dp))} do not match the numerator's "
                f"{sorted(num_periods)}; give one denominator period or the same periods."
            )
        use_p = False
    frame = pd.DataFrame({"_g": den[geo].to_numpy(), "_Er": v,
                          "_rr": flag_rank(den[flag].astype(object)) if flag in den.columns else 0})
    check_unique_keys(frame.assign(_p=dp), ["_g", "_p"], caller=c)
    if use_p:
        frame["_p"] = dp
        return frame
    # One denominator period serves every numerator period.
    return pd.concat([frame.assign(_p=p) for p in sorted(num_periods)], ignore_index=True)


def shares(
    table: pd.DataFrame,
    /,
    *,
    within: str = "geo",
    geo: str = "geo_code",
    industry: str = "industry_code",
    value: str = "value",
    period: str | None = "period",
) -> pd.DataFrame:
    """Share of each row in its area's total (``within="geo"``) or in its industry's.

    ``within="geo"`` gives the industry mix of each area (e_ir / Σ_i e_ir);
    ``within="industry"`` gives each area's share of the industry (e_ir / Σ_r
    e_ir). Suppressed cells give NaN shares and make their group's total NaN.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A", "B"], "industry_code": ["x", "y", "x"],
    ...                   "value": [1, 3, 4]})
    >>> shares(t)["share"].tolist()
    [0.25, 0.75, 1.0]
    >>> shares(t, within="industry")["share"].tolist()
    [0.2, 1.0, 0.8]
    """
    caller = "shares()"
    if within not in ("geo", "industry"):
        raise ParameterError(f"The 'within' parameter of shares() must be 'geo' or 'industry'. Got {within!r} instead.")
    check_columns(table, [geo, industry, value], caller=caller, hint=_HINT)
    check_not_empty(table, caller=caller)
    per = period if period is not None and period in table.columns else None
    check_unique_keys(table, [geo, industry] + ([per] if per else []), caller=caller)
    v = pd.Series(check_numeric_non_negative(table, value, caller=caller), index=table.index)
    by = [table[geo if within == "geo" else industry]] + ([table[per]] if per else [])
    total = v.groupby(by).transform("sum")
    total = total.where(~v.isna().groupby(by).transform("any"))
    out = table.copy()
    out["share"] = (v / total.where(total > 0)).to_numpy()
    return out


def share_of(part: Any, whole: Any) -> Any:
    """``part / whole`` as a fraction, NaN where ``whole`` is not above 0 (a share of nothing is undefined).

    The one share formula of the place statistics (``workflows.placestats``) and
    the evidence pack: scalars give a float, a Series (either argument) gives a
    Series.

    Examples
    --------
    >>> share_of(25.0, 200.0), share_of(5.0, 0.0)
    (0.125, nan)
    >>> share_of(pd.Series([1.0, 3.0]), pd.Series([4.0, 0.0])).tolist()
    [0.25, nan]
    """
    if isinstance(part, pd.Series) or isinstance(whole, pd.Series):
        w = whole.where(whole > 0) if isinstance(whole, pd.Series) else (whole if whole > 0 else np.nan)
        return part / w
    p, w = float(part), float(whole)
    return p / w if w > 0 else float("nan")


def lq_ratio(count: float, total: float, ref_count: float, ref_total: float) -> float:
    """A location quotient from four numbers: the place's share over the reference's share.

    The scalar form of :func:`location_quotient` (``(count / total) /
    (ref_count / ref_total)``), for one place and one activity, with the shares
    of :func:`share_of`: NaN where either share is undefined or the reference's
    share is 0.

    Examples
    --------
    >>> round(lq_ratio(62_090, 1_281_000, 1_150_000, 28_000_000), 3)  # 4.85% against 4.11%
    1.18
    >>> lq_ratio(5, 0, 10, 100), lq_ratio(5, 100, 0, 100)
    (nan, nan)
    """
    ref = share_of(ref_count, ref_total)
    if not ref > 0:
        return float("nan")
    return float(share_of(count, total) / ref)


def with_group_row(wide: pd.DataFrame, code: str, members: Sequence[str]) -> pd.DataFrame:
    """``wide`` (area x column counts) plus a row ``code`` summing ``members``' rows (counts, never ratios).

    ``wide`` is returned unchanged when ``code`` is already a row, or when some
    member has no row: a sum over some members would be another place (the UK
    is not its 296 English local authorities).

    Examples
    --------
    >>> w = pd.DataFrame({"film_tv": [10.0, 5.0], "music_arts": [1.0, None]}, index=["A", "B"])
    >>> with_group_row(w, "G", ["A", "B"]).loc["G"].tolist()
    [15.0, 1.0]
    >>> len(with_group_row(w, "G", ["A", "C"])), len(with_group_row(w, "A", ["A"]))
    (2, 2)
    """
    if code in wide.index:
        return wide
    mem = [m for m in members if m in wide.index]
    if not mem or len(mem) < len(members):
        return wide
    row = wide.loc[mem].sum(min_count=1).to_frame(code).T
    return pd.concat([wide, row])


def subsector_shares(place: pd.Series, national: pd.DataFrame) -> pd.DataFrame:
    """A place's creative enterprises by sub-sector with their shares of the place and of the nation.

    Parameters
    ----------
    place : Series
        The place's counts by sub-sector (short code -> count).
    national : DataFrame
        Every area's counts (area x sub-sector; the nation is their sum), without
        the place's own row when the place is a group of them.

    Returns
    -------
    DataFrame
        One row per sub-sector of ``place`` and ``"all"`` (their sum), columns
        ``count``, ``national`` (the nation's count), ``share_of_place`` and
        ``share_of_national`` (fractions, :func:`share_of`; the ``"all"`` row's
        share of the place is 1, or NaN without an enterprise).

    Examples
    --------
    >>> nat = pd.DataFrame({"film_tv": [30.0, 70.0], "music_arts": [10.0, 90.0]}, index=["A", "B"])
    >>> t = subsector_shares(nat.loc["A"], nat)
    >>> t["share_of_place"].tolist(), t["share_of_national"].tolist()
    ([0.75, 0.25, 1.0], [0.3, 0.1, 0.2])
    """
    cols = list(place.index)
    count = place.astype(float)
    total = float(count.sum(min_count=1))
    nat = national[cols].sum().astype(float)
    nat_total = float(nat.sum())
    out = pd.DataFrame({"count": [*count.tolist(), total], "national": [*nat.tolist(), nat_total]},
                       index=pd.Index([*cols, "all"], dtype=object))
    out["share_of_place"] = [share_of(c, total) for c in out["count"]]
    out["share_of_national"] = [share_of(c, n) for c, n in zip(out["count"], out["national"], strict=True)]
    return out


def aggregate_counts(
    table: pd.DataFrame,
    mapping: Mapping[str, str] | pd.Series | pd.DataFrame,
    /,
    *,
    to: str | None = None,
    column: str = "geo_code",
    value: str = "value",
    flag: str = "disclosure_flag",
    unknown: str = "raise",
) -> pd.DataFrame:
    """Sum counts into larger units (areas or industry groups); never average ratios.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table of counts.
    mapping : dict, Series or DataFrame
        Code → larger code. A DataFrame needs ``column`` and ``to`` columns.
    to : str, optional
        Name of the target column in a DataFrame mapping; for dict/Series it
        only renames nothing (the result keeps ``column``).
    column : str, default "geo_code"
        The column whose codes are mapped (use ``industry_code`` to group classes).
    value, flag : str
        Count and disclosure-flag columns.
    unknown : {"raise", "warn"}
        What to do with codes the mapping does not know.

    Returns
    -------
    pandas.DataFrame
        One row per larger code × the other key columns, with summed ``value``
        (NaN if any part was suppressed) and the most severe flag of the parts.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["a", "b", "c"], "industry_code": ["x"] * 3,
    ...                   "value": [1.0, 2.0, 4.0]})
    >>> aggregate_counts(t, {"a": "R1", "b": "R1", "c": "R2"})["value"].tolist()
    [3.0, 4.0]
    """
    caller = "aggregate_counts()"
    check_columns(table, [column, value], caller=caller, hint="Name the code column with column=.")
    if isinstance(mapping, pd.DataFrame):
        if to is None:
            raise ParameterError("aggregate_counts() needs to= naming the target column of a DataFrame mapping.")
        check_columns(mapping, [column, to], caller=caller + " mapping")
        if mapping[column].duplicated().any():
            raise SchemaError(f"{caller}: the mapping lists some {column!r} codes twice; each must map to one {to!r}.")
        m = dict(zip(mapping[column].astype(str), mapping[to].astype(str), strict=True))
    else:
        m = {str(k): str(v) for k, v in dict(mapping).items()}
    v = check_numeric_non_negative(table, value, caller=caller)
    codes = table[column].astype(str)
    cat = pd.Categorical(codes.to_numpy(dtype=object))
    lut = np.array([m.get(c) for c in cat.categories] + [None], dtype=object)
    target = pd.Series(lut[np.where(cat.codes < 0, len(lut) - 1, cat.codes)], index=table.index)
    bad = target.isna()
    if bad.any():
        ex = sorted(codes[bad].unique())[:5]
        msg = (
            f"{caller}: {int(codes[bad].nunique())} code(s) in {column!r} are not in the "
            f"mapping, e.g. {ex}. Check the boundary vintage of the table and the lookup."
        )
        if unknown == "raise":
            raise UnknownCodeError(msg)
        warn(msg + " They are left out.")
    frame = table.loc[~bad].copy()
    frame[column] = target[~bad].to_numpy()
    frame[value] = v[~bad.to_numpy()]
    keys = [c for c in frame.columns if c not in (value, flag)
            and c not in ("geo_name", "industry_name") and frame[c].dtype.kind not in "fc"]
    keys = [column] + [k for k in keys if k != column]
    return sum_by(frame, keys, value=value, flag=flag).sort_values(keys, kind="stable").reset_index(drop=True)
