"""Creative employment growth of the NUTS2 (2013) area containing a place, from BRES employment by
NUTS2 × SIC class: the statistics of the evidence pack's section 3 "wider area" block.

Creative enterprise counts by LAD exist for one year only, so the pack's only
creative *trend* is BRES employment by NUTS 2013 level-2 area (dataset kind
``employment_nuts2``, all classes, so real all-industry denominators). For the
NUTS2 area(s) containing the place:

- :func:`group_employment`: SIC classes summed into creative sub-sectors and ``other``,
  with how far each sum can be off through Nomis's rounding;
- :func:`wider_area_growth`: employment by DCMS sub-sector at both ends, growth
  (absolute, %, CAGR), the employment LQ at both ends and a shift-share against
  Great Britain, computed with :mod:`creative_clusters.indicators`;
- :func:`employment_paths`: the same employment in every year in between;
- :func:`wider_area`: both, as one typed :class:`WiderAreaGrowth` that
  :func:`creative_clusters.reporting.growth_block.growth_block` only formats.

Shift-share (classic form, :func:`creative_clusters.indicators.shift_share`) is
computed per creative sub-sector; the all-creative row is the **sum of the
sub-sector rows**, so its industry mix reflects the area's mix of creative
sub-sectors. National share + industry mix + competitive effect = change,
exactly, in every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creative_clusters._counts import rounding_half_step
from creative_clusters.classifications import dcms
from creative_clusters.errors import ParameterError
from creative_clusters.indicators import aggregate_counts, growth, location_quotient, shift_share

__all__ = ["ALL", "OTHER", "SUB_NAMES", "WiderAreaGrowth", "employment_paths", "group_employment", "wider_area",
           "wider_area_growth", "window_employment"]

AREA = "_AREA"
#: The all-creative row of the tables.
ALL = "_T"
#: Every industry outside the creative sub-sectors.
OTHER = "other"
#: Sub-sector short code -> DCMS sub-sector name.
SUB_NAMES = {dcms.subsector_short(s): s for s in dcms.SUBSECTORS}


@dataclass(frozen=True)
class WiderAreaGrowth:
    """The wider-area (NUTS2) creative employment figures of a place, as section 3 states them.

    Attributes
    ----------
    codes : tuple of str
        The place's NUTS2 (2013) areas that the employment table covers, summed
        into one area; empty when it covers none (``rows`` and ``paths`` are then None).
    rows : DataFrame or None
        :func:`wider_area_growth` of ``codes``.
    paths : DataFrame or None
        :func:`employment_paths` of ``codes`` over the same periods.
    """

    codes: tuple[str, ...]
    rows: pd.DataFrame | None = None
    paths: pd.DataFrame | None = None


def group_employment(emp: pd.DataFrame) -> pd.DataFrame:
    """SIC classes → creative sub-sector short codes, everything else ``other`` (counts summed).

    Idempotent: codes that are already sub-sector short codes or ``other`` are kept,
    so a table grouped once (e.g. in the evidence workflow) can be passed again. The column
    ``rounding`` is how far each sum can be from the true count: the sum of half the rounding step
    of every published cell it adds (:func:`creative_clusters._counts.rounding_half_step`; carried through
    a second grouping).

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 3, "industry_code": ["5811", "5813", "0111"],
    ...                   "period": ["2015"] * 3, "value": [5.0, 10.0, 85.0]})
    >>> group_employment(t).sort_values("industry_code")[["industry_code", "value"]].values.tolist()
    [['other', 85.0], ['publishing', 15.0]]
    """
    codes = emp["industry_code"].astype(str).unique()

    def group(c: str) -> str:
        if c in SUB_NAMES or c == OTHER:
            return c
        return dcms.subsector_short(dcms.subsector_of(c)) if dcms.is_creative_sic(c) else OTHER

    mapping = {c: group(c) for c in codes}
    frame = emp[["geo_code", "industry_code", "period", "value"]].copy()
    frame["disclosure_flag"] = emp["disclosure_flag"] if "disclosure_flag" in emp.columns else "as-published"
    out = aggregate_counts(frame, mapping, column="industry_code")
    # how far each sum can be from the true one: the half-steps of the published cells it adds
    half = frame.assign(value=emp["rounding"] if "rounding" in emp.columns else frame["value"].map(rounding_half_step))
    out["rounding"] = aggregate_counts(half, mapping, column="industry_code")["value"].to_numpy()
    return out


def _with_area(g: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Replace the rows of ``codes`` by one summed area ``_AREA`` (counts, never ratios)."""
    mapping = {c: (AREA if c in set(codes) else c) for c in g["geo_code"].astype(str).unique()}
    return aggregate_counts(g, mapping, column="geo_code")


def wider_area_growth(emp: pd.DataFrame, nuts2_codes: Sequence[str], *, start: str | None = None,
                      end: str | None = None) -> pd.DataFrame:
    """Creative employment growth, LQs and shift-share for the union of ``nuts2_codes``.

    Parameters
    ----------
    emp : DataFrame
        BRES employment by area × SIC class × period (``geo_code``,
        ``industry_code``, ``period``, ``value``, optional ``disclosure_flag``)
        for **every** GB NUTS2 area and every class (the national totals are
        the sums over the table).
    nuts2_codes : sequence of str
        The NUTS2 area(s) of the place; several are summed into one area.
    start, end : str, optional
        Periods; default the first and last in the table.

    Returns
    -------
    DataFrame
        One row per creative sub-sector present plus ``_T`` (all creative):
        ``industry_code, start_value, end_value, change, change_pct, cagr_pct,
        gb_start, gb_end, gb_change_pct, lq_start, lq_end, national_share,
        industry_mix, competitive, national_growth_pct, rounding``, with
        ``national_share + industry_mix + competitive == change``; ``rounding``
        is how far the change can be off through Nomis's rounding alone (the
        half-steps of every cell summed at both ends).

    Raises
    ------
    ParameterError
        When no code is given or a code is not in the table.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"] * 2,
    ...     "industry_code": ["5811", "0111", "5811", "0111"] * 2,
    ...     "period": ["2015"] * 4 + ["2018"] * 4, "value": [10, 90, 20, 80, 15, 99, 22, 84]})
    >>> r = wider_area_growth(t, ["A"]).set_index("industry_code")
    >>> r.loc["_T", ["change", "national_share", "industry_mix", "competitive"]].round(2).tolist()
    [5.0, 1.0, 1.33, 2.67]
    """
    periods = sorted(emp["period"].astype(str).unique())
    start = str(start or periods[0])
    end = str(end or periods[-1])
    missing = [c for c in nuts2_codes if c not in set(emp["geo_code"].astype(str))]
    if missing or not nuts2_codes:
        raise ParameterError(
            f"wider_area_growth(): NUTS2 code(s) {list(missing) or list(nuts2_codes)} are not in the "
            f"employment table; it has {sorted(emp['geo_code'].astype(str).unique())[:5]}… "
            "Give codes from the table (BRES covers the 39 GB NUTS 2013 areas).")
    sel = emp[emp["period"].astype(str).isin([start, end])]
    g = group_employment(sel.assign(period=sel["period"].astype(str)))
    # rounding noise of each change: the half-steps of every cell summed at both ends
    cells = g[g["geo_code"].astype(str).isin(set(nuts2_codes)) & (g["industry_code"] != OTHER)]
    noise = cells.groupby("industry_code")["rounding"].sum()
    noise.loc[ALL] = noise.sum()
    g = _with_area(g.drop(columns="rounding"), nuts2_codes)
    ss = shift_share(g, start=start, end=end)
    ss = ss[(ss["geo_code"] == AREA) & (ss["industry_code"] != OTHER)].set_index("industry_code")
    subs = [s for s in SUB_NAMES if s in ss.index]
    ss = ss.loc[subs]
    cols = ["start_value", "end_value", "change", "national_share", "industry_mix", "competitive"]
    out = ss[cols].copy()
    out.loc[ALL] = ss[cols].sum()
    # growth (absolute, %, CAGR) of the area and of GB, through indicators.growth
    body = g[g["industry_code"] != OTHER]
    area_t = body[body["geo_code"] == AREA]
    area_t = pd.concat([area_t, area_t.groupby(["geo_code", "period"], as_index=False)
                        .agg(value=("value", "sum"), disclosure_flag=("disclosure_flag", "first"))
                        .assign(industry_code=ALL)], ignore_index=True)
    gr = growth(area_t, start=start, end=end).set_index("industry_code")
    gb = body.assign(geo_code="GB")
    gb = gb.groupby(["geo_code", "industry_code", "period"], as_index=False)["value"].sum()
    gb = pd.concat([gb, gb.groupby(["geo_code", "period"], as_index=False)["value"].sum()
                    .assign(industry_code=ALL)], ignore_index=True)
    gg = growth(gb, start=start, end=end).set_index("industry_code")
    out["change_pct"] = gr["change_pct"].reindex(out.index)
    out["cagr_pct"] = 100 * gr["cagr"].reindex(out.index)
    out["gb_start"] = gg["start_value"].reindex(out.index)
    out["gb_end"] = gg["end_value"].reindex(out.index)
    out["gb_change_pct"] = gg["change_pct"].reindex(out.index)
    # employment LQs (whole-economy denominators from all classes), both periods
    lq_sub = location_quotient(g, min_count=10)
    # "_T" rows would be read as area totals, so all creative is "creative" here
    two = g.assign(industry_code=np.where(g["industry_code"] == OTHER, OTHER, "creative"))
    two = two.groupby(["geo_code", "industry_code", "period"], as_index=False).agg(
        value=("value", "sum"), disclosure_flag=("disclosure_flag", "first"))
    lq_all = location_quotient(two, min_count=10).replace({"industry_code": {"creative": ALL}})
    lq = pd.concat([lq_sub, lq_all], ignore_index=True)
    lq = lq[lq["geo_code"] == AREA].pivot_table(index="industry_code", columns="period", values="lq")
    out["lq_start"] = lq[start].reindex(out.index) if start in lq.columns else np.nan
    out["lq_end"] = lq[end].reindex(out.index) if end in lq.columns else np.nan
    out["national_growth_pct"] = 100 * float(ss["national_growth"].iloc[0]) if len(ss) else np.nan
    out["rounding"] = noise.reindex(out.index)
    out["period_start"], out["period_end"] = start, end
    return out.reset_index().rename(columns={"index": "industry_code"})


def window_employment(emp: pd.DataFrame, *, start: str, end: str) -> pd.DataFrame:
    """Every area's employment from ``start`` to ``end`` grouped into sub-sectors (:func:`group_employment`):
    what :func:`employment_paths` selects its areas from (the same for every area, so a batch computes it once)."""
    per = emp["period"].astype(str)
    window = emp[(per >= str(start)) & (per <= str(end))]
    return group_employment(window.assign(period=lambda f: f["period"].astype(str)))


def employment_paths(emp: pd.DataFrame, nuts2_codes: Sequence[str], *, start: str, end: str,
                     grouped: pd.DataFrame | None = None) -> pd.DataFrame:
    """Creative employment of the union of ``nuts2_codes`` in every year from ``start`` to ``end``.

    One row per creative sub-sector present plus ``_T`` (all creative), one column per period.
    ``grouped`` is :func:`window_employment` of ``emp`` over the same periods, when the caller has it.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 6, "industry_code": ["5811", "0111"] * 3,
    ...                   "period": ["2015", "2015", "2016", "2016", "2017", "2017"],
    ...                   "value": [10, 90, 30, 70, 12, 88]})
    >>> employment_paths(t, ["A"], start="2015", end="2017").loc["_T"].tolist()
    [10.0, 30.0, 12.0]
    """
    g = grouped if grouped is not None else window_employment(emp, start=start, end=end)
    g = g[g["geo_code"].astype(str).isin(set(nuts2_codes)) & (g["industry_code"] != OTHER)]
    wide = g.pivot_table(index="industry_code", columns="period", values="value", aggfunc="sum")
    wide.loc[ALL] = wide.sum(min_count=1)
    return wide.astype("float64")



def wider_area(emp: pd.DataFrame | None, nuts2_codes: Sequence[str], *, start: str | None = None,
               end: str | None = None, rows: pd.DataFrame | None = None,
               paths: pd.DataFrame | None = None) -> WiderAreaGrowth | None:
    """The wider-area figures of a place whose NUTS2 (2013) areas are ``nuts2_codes``.

    ``rows`` and ``paths`` are precomputed :func:`wider_area_growth` and
    :func:`employment_paths` results for the same codes (a cache). None when
    there is no employment table at all; ``codes`` is empty when the table
    covers none of ``nuts2_codes`` (BRES covers Great Britain only).

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"] * 2,
    ...     "industry_code": ["5811", "0111", "5811", "0111"] * 2,
    ...     "period": ["2015"] * 4 + ["2018"] * 4, "value": [10, 90, 20, 80, 15, 99, 22, 84]})
    >>> w = wider_area(t, ["A", "UKN0"])
    >>> w.codes, float(w.rows.set_index("industry_code").loc["_T", "change"]), w.paths.columns.tolist()
    (('A',), 5.0, ['2015', '2018'])
    >>> wider_area(t, ["UKN0"]).codes, wider_area(None, ["A"])
    ((), None)
    """
    if emp is None or emp.empty:
        return None
    have = set(emp["geo_code"].astype(str))
    codes = tuple(c for c in nuts2_codes if c in have)
    if not codes:
        return WiderAreaGrowth(codes=())
    if rows is None:
        rows = wider_area_growth(emp, list(codes), start=start, end=end)
    if paths is None:
        a = rows.set_index("industry_code").loc[ALL]
        paths = employment_paths(emp, list(codes), start=str(a["period_start"]), end=str(a["period_end"]))
    return WiderAreaGrowth(codes=codes, rows=rows, paths=paths)
