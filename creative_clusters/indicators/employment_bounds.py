"""Creative workplace employment from rounded, partly suppressed BRES cells, with honest bounds (pure functions).

BRES open access (Nomis ``NM_189_1``) publishes every cell rounded, and a
cell may come without a value (``OBS_STATUS`` ``Q`` and the like, flagged
``suppressed`` by the Nomis reader, :mod:`creative_clusters.sources._nomis_parse`),
or a class may be absent from a saved file. A sector summed over such cells
is not one number: it is a point (the sum of the published values) inside a
range that every true value consistent with the published cells lies in.

**The rule** (stated once, here):

- a *rounded* cell published as ``p`` holds a true value within half a
  rounding base of ``p``, the base being the one Nomis applies to the true
  value's size band (:data:`BRES_OPEN_ACCESS_ROUNDING`); the file does not
  say whether a cell had the relaxed or the strict rounding, so the strict
  (wider) base is taken, and the range is the union over the size bands of
  ``[p - base/2, p + base/2]`` within each band (:func:`rounded_cell_range`):
  a published 0 is 0 to 5, a published 200 is 175 to 250;
- a *suppressed* or *missing* cell holds 0 to :data:`SUPPRESSED_CELL_UPPER`
  (no size ceiling is documented: see that constant); a creative sum is
  capped by the place's total employment's upper bound (a part cannot
  exceed the whole);
- a ratio's range takes the extremes of its parts: a share ``c / t`` runs
  from ``c_lo / t_hi`` to ``min(c_hi / t_lo, 1)`` and the LQ
  ``(c / t) / (C / T)`` from ``share_lo / (C_hi / T_lo)`` to
  ``share_hi / (C_lo / T_hi)``; these are worst cases (every rounding
  error in the same direction), so a claim that the whole LQ range lies
  above 1 is safe whatever the rounding hid.

Examples
--------
>>> t = pd.DataFrame({"geo_code": ["A", "A", "A", "B", "B", "B"],
...                   "industry_code": ["5911", "6201", "_T"] * 2,
...                   "value": [100.0, 0.0, 1000.0, 50.0, np.nan, 3000.0],
...                   "disclosure_flag": ["rounded", "rounded", "rounded", "rounded", "suppressed", "rounded"]})
>>> s = employment_sums(t, creative=["5911", "6201"])
>>> s[["creative", "creative_lower", "creative_upper", "classes_suppressed"]].values.tolist()
[[100.0, 75.0, 130.0, 0.0], [50.0, 45.0, 3500.0, 1.0]]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from creative_clusters._counts import BRES_OPEN_ACCESS_ROUNDING
from creative_clusters.errors import SchemaError
from creative_clusters.indicators._checks import check_columns

__all__ = [
    "BRES_OPEN_ACCESS_ROUNDING",
    "SUPPRESSED_CELL_UPPER",
    "cell_ranges",
    "employment_lq",
    "employment_sums",
    "reference_totals",
    "rounded_cell_range",
    "sum_places",
]

#: The most a suppressed or missing BRES cell can hide: no ceiling. Since 2016 Nomis' open-access BRES controls
#: disclosure by (strict) rounding, not by suppression (Nomis article 1103, cited at
#: ``_counts.BRES_OPEN_ACCESS_ROUNDING``, and ONS's 2016 response to the consultation on access to BRES
#: estimates on Nomis); the earlier suppression rule was a dominance rule (at
#: least 3 enterprise groups, the cell less its 2 largest local units at least a share of the largest), not a
#: size threshold, so an empty cell can be of any size. Its lower bound is 0; a sum over it is capped by the
#: place's total employment (:func:`employment_sums`).
SUPPRESSED_CELL_UPPER = math.inf


def rounded_cell_range(published: float) -> tuple[float, float]:
    """The lowest and highest true value a BRES open-access cell published as ``published`` can hide.

    Examples
    --------
    >>> rounded_cell_range(0), rounded_cell_range(10), rounded_cell_range(200), rounded_cell_range(4000)
    ((0.0, 5.0), (5.0, 15.0), (175.0, 250.0), (3500.0, 5000.0))
    """
    lo, hi = cell_ranges(np.array([float(published)]), np.array(["rounded"], dtype=object))
    return float(lo[0]), float(hi[0])


def cell_ranges(values: np.ndarray | pd.Series, flags: np.ndarray | pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The true-value range of each cell: rounded cells by the strict base of their size band, suppressed
    (or empty) cells 0 to :data:`SUPPRESSED_CELL_UPPER`.

    Returns
    -------
    tuple of ndarray
        ``(lower, upper)``, one value per cell, ``lower <= value <= upper`` where the value is published.
    """
    v = np.asarray(values, dtype="float64")
    f = np.asarray(flags, dtype=object)
    suppressed = np.isnan(v) | (f == "suppressed")
    lo = np.full(v.shape, np.inf)
    hi = np.full(v.shape, -np.inf)
    edges = [b[0] for b in BRES_OPEN_ACCESS_ROUNDING[1:]] + [np.inf]
    p = np.where(suppressed, 0.0, v)
    for (start, _relaxed, strict), end in zip(BRES_OPEN_ACCESS_ROUNDING, edges, strict=True):
        a = np.maximum(p - strict / 2, start)
        b = np.minimum(p + strict / 2, end)
        ok = a <= b
        lo = np.where(ok, np.minimum(lo, a), lo)
        hi = np.where(ok, np.maximum(hi, b), hi)
    lo = np.maximum(lo, 0.0)
    lo = np.where(suppressed, 0.0, lo)
    hi = np.where(suppressed, SUPPRESSED_CELL_UPPER, hi)
    return lo, hi


def employment_sums(table: pd.DataFrame, *, creative: Sequence[str], geo: str = "geo_code",
                    industry: str = "industry_code", value: str = "value", flag: str = "disclosure_flag",
                    total_code: str = "_T") -> pd.DataFrame:
    """Creative and total employment per place with their bounds, from one period and measure of BRES cells.

    Parameters
    ----------
    table : DataFrame
        Cells (``geo``, ``industry``, ``value``, ``flag``): one row per place and SIC class, and the
        place's all-industry total under ``total_code``. Other industries are ignored.
    creative : sequence of str
        The creative SIC classes (``classifications.dcms.creative_classes``); a class without a row for a
        place counts as a missing cell.

    Returns
    -------
    DataFrame
        One row per place (``geo``): ``creative`` (the sum of the published values), ``creative_lower``,
        ``creative_upper``, ``classes_suppressed`` (creative classes suppressed or missing), ``classes``
        (how many creative classes), ``total``, ``total_lower``, ``total_upper`` (NaN when the total is not
        published) and ``flag`` (``suppressed`` when any part is, else ``rounded``).
    """
    check_columns(table, [geo, industry, value, flag], caller="employment_sums")
    classes = list(dict.fromkeys(str(c) for c in creative))
    if not classes:
        raise SchemaError("employment_sums needs the creative SIC classes; got none.")
    t = table[[geo, industry, value, flag]].copy()
    t[industry] = t[industry].astype(str)
    t[value] = pd.to_numeric(t[value], errors="coerce").astype("float64")
    dup = t.duplicated([geo, industry])
    if dup.any():
        row = t[dup].iloc[0]
        raise SchemaError(f"employment_sums expects one cell per place and class; {row[geo]} has "
                          f"{row[industry]} more than once. Select one period and one measure first.")
    places = pd.Index(pd.unique(t[geo]), name=geo)
    cre = t[t[industry].isin(classes)]
    full = pd.MultiIndex.from_product([places, classes], names=[geo, industry])
    cells = cre.set_index([geo, industry]).reindex(full)  # an absent class is a missing cell
    cells[flag] = cells[flag].fillna("suppressed")
    lo, hi = cell_ranges(cells[value], cells[flag])
    cells["_lo"], cells["_hi"] = lo, hi
    cells["_sup"] = (cells[flag] == "suppressed") | cells[value].isna()
    g = cells.groupby(level=geo, sort=False)
    out = pd.DataFrame({"creative": g[value].sum(min_count=0), "creative_lower": g["_lo"].sum(),
                        "creative_upper": g["_hi"].sum(), "classes_suppressed": g["_sup"].sum().astype("int64")})
    out["classes"] = len(classes)
    tot = t[t[industry] == total_code].set_index(geo).reindex(places)
    tlo, thi = cell_ranges(tot[value], tot[flag].fillna("suppressed"))
    published = tot[value].notna() & (tot[flag] != "suppressed")
    out["total"] = tot[value].where(published)
    out["total_lower"] = np.where(published, tlo, np.nan)
    out["total_upper"] = np.where(published, thi, np.nan)
    # a part cannot exceed the whole: a suppressed class's open upper end stops at the total's
    out["creative_upper"] = np.where(published, np.minimum(out["creative_upper"], out["total_upper"]),
                                     out["creative_upper"])
    out["flag"] = np.where((out["classes_suppressed"] > 0) | ~published.to_numpy(), "suppressed", "rounded")
    return out.reset_index()


def sum_places(sums: pd.DataFrame, members: Sequence[str], *, geo: str = "geo_code") -> pd.Series | None:
    """One row of :func:`employment_sums` for a group of places: each column summed over ``members``.

    ``None`` when a member has no row (a sum over part of a place would describe a smaller one).
    """
    rows = sums[sums[geo].isin(set(members))]
    if rows.empty or len(rows) < len(set(members)):
        return None
    cols = ["creative", "creative_lower", "creative_upper", "classes_suppressed", "total", "total_lower",
            "total_upper"]
    out = rows[cols].sum(min_count=1).astype(object)
    if rows["total"].isna().any():
        out[["total", "total_lower", "total_upper"]] = np.nan
    out["classes"] = int(rows["classes"].max()) * len(rows)  # class cells summed over
    out["flag"] = "suppressed" if (rows["flag"] == "suppressed").any() else "rounded"
    return out


def reference_totals(sums: pd.DataFrame) -> dict[str, float]:
    """The comparator's creative and total employment with bounds: the sum over every place of ``sums``
    (places without a published total left out of both, so the share compares like with like)."""
    rows = sums[sums["total"].notna()]
    return {k: float(rows[k].sum()) for k in ("creative", "creative_lower", "creative_upper", "total",
                                              "total_lower", "total_upper")}


def employment_lq(rows: pd.DataFrame, reference: Mapping[str, float]) -> pd.DataFrame:
    """Add the creative share and the employment LQ, with their ranges from the bounds, to summed rows.

    Parameters
    ----------
    rows : DataFrame
        Rows with the columns of :func:`employment_sums`.
    reference : mapping
        :func:`reference_totals` of the comparator.

    Returns
    -------
    DataFrame
        ``rows`` with ``share``, ``share_lower``, ``share_upper``, ``employment_lq``, ``lq_lower`` and
        ``lq_upper`` (NaN without a published total). ``lower <= point <= upper`` throughout.

    Examples
    --------
    >>> r = pd.DataFrame({"creative": [100.0], "creative_lower": [90.0], "creative_upper": [110.0],
    ...                   "total": [1000.0], "total_lower": [950.0], "total_upper": [1050.0]})
    >>> ref = {"creative": 500.0, "creative_lower": 480.0, "creative_upper": 520.0,
    ...        "total": 10000.0, "total_lower": 9900.0, "total_upper": 10100.0}
    >>> out = employment_lq(r, ref)
    >>> [round(float(out[c].iloc[0]), 3) for c in ("employment_lq", "lq_lower", "lq_upper")]
    [2.0, 1.632, 2.436]
    """
    out = rows.copy()
    c, clo, chi = (out[k].astype(float) for k in ("creative", "creative_lower", "creative_upper"))
    t, tlo, thi = (out[k].astype(float) for k in ("total", "total_lower", "total_upper"))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(t > 0, c / t, np.nan)
        out["share_lower"] = np.where(thi > 0, clo / thi, np.nan)
        out["share_upper"] = np.where(tlo > 0, np.minimum(chi / tlo, 1.0), np.where(thi > 0, 1.0, np.nan))
        nat = reference["creative"] / reference["total"] if reference["total"] > 0 else np.nan
        nat_hi = reference["creative_upper"] / reference["total_lower"] if reference["total_lower"] > 0 else np.nan
        nat_lo = reference["creative_lower"] / reference["total_upper"] if reference["total_upper"] > 0 else np.nan
        out["employment_lq"] = out["share"] / nat if nat > 0 else np.nan
        out["lq_lower"] = out["share_lower"] / nat_hi if nat_hi > 0 else np.nan
        out["lq_upper"] = out["share_upper"] / nat_lo if nat_lo > 0 else np.inf
    return out
