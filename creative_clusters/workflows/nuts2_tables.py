"""Employment and local units by NUTS2 (2013): BRES and IDBR over all SIC classes (real denominators).

- :func:`nuts2_counts`: BRES employment or IDBR local units by NUTS2 × SIC class × year;
- :func:`group_classes`: SIC classes summed into creative group(s) and an ``other`` remainder;
- :func:`nuts2_employment_table`: one row per NUTS2 region with employment and unit LQs;
- :func:`nuts2_source_line`: the source line, from the catalogue.

Datasets come from the catalogue by kind: ``employment_nuts2`` and ``local_units_nuts2``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.classifications import dcms
from creative_clusters.errors import ParameterError, SchemaError, WarehouseError
from creative_clusters.indicators.lq import aggregate_counts, location_quotient
from creative_clusters.workflows.business_counts import ALL, area_names, subsector_code

if TYPE_CHECKING:
    from creative_clusters.warehouse import Warehouse

__all__ = [
    "BRES_INTERVAL_NOTE",
    "NUTS2_LQ",
    "group_classes",
    "lq_base",
    "nuts2_counts",
    "nuts2_employment_table",
    "nuts2_source_line",
]


def nuts2_counts(wh: Warehouse, *, measure: str = "employment") -> pd.DataFrame:
    """BRES employment (``measure="employment"``) or IDBR local units (``"local_units"``)
    by NUTS2 × SIC class × year, all industries."""
    kind = {"employment": kinds.EMPLOYMENT_NUTS2, "local_units": kinds.LOCAL_UNITS_NUTS2}.get(measure)
    if kind is None:
        raise ParameterError(f"measure must be 'employment' or 'local_units'. Got {measure!r} instead.")
    dataset = wh.require_dataset(kind).id
    obs = wh.query(
        "SELECT dataset, geo_code, geo_vintage, industry_code, period, value, disclosure_flag "
        "FROM observations WHERE dataset = ? AND measure = ? AND geo_type = 'nuts2' "
        "AND industry_scheme = 'SIC2007'", [dataset, measure])
    if obs.empty:
        raise WarehouseError(f"{dataset} has no {measure} rows by NUTS2.")
    return obs[["dataset", "geo_code", "geo_vintage", "industry_code", "period", "value",
                "disclosure_flag"]].reset_index(drop=True)


def group_classes(counts: pd.DataFrame, subsector: str | None = None, *, by_subsector: bool = False) -> pd.DataFrame:
    """Sum SIC classes into the chosen creative group(s) and an ``other`` remainder."""
    codes = counts["industry_code"].astype(str).unique()
    target = subsector_code(subsector)

    def group(c: str) -> str:
        if not dcms.is_creative_sic(c):
            return "other"
        short = dcms.subsector_short(dcms.subsector_of(c))
        if by_subsector:
            return short
        return "creative" if target in (ALL, short) else "other"

    return aggregate_counts(counts, {c: group(c) for c in codes}, column="industry_code")


#: the LQ column of each NUTS2 measure (``businesses`` and ``local_units`` are both IDBR local units)
NUTS2_LQ = {"employment": "employment_lq", "businesses": "business_lq", "local_units": "business_lq"}

#: Why the jobs LQ by NUTS2 carries no 95% interval (the table's ``caveat`` on every row with BRES employment).
BRES_INTERVAL_NOTE = (
    "no 95% interval on the jobs LQ: BRES employment is a sample survey estimate, rounded by Nomis, and ONS "
    "publishes no sampling error for it by NUTS2 area and SIC class; a Poisson interval on the published counts "
    "would treat them as exact counts and overstate their precision")


def lq_base(codes: pd.Index | pd.Series | list[str]) -> str:
    """The reference area of an LQ computed over the NUTS2 areas ``codes``: the UK when they include
    Northern Ireland (``UKN``), else Great Britain.

    Examples
    --------
    >>> lq_base(["UKM8", "UKN0"]), lq_base(["UKM8", "UKI3"])
    ('the UK', 'Great Britain')
    """
    return "the UK" if any(str(c).startswith("UKN") for c in codes) else "Great Britain"


def _creative_lq(counts: pd.DataFrame, year: str, subsector: str | None, min_count: float) -> pd.DataFrame:
    """The creative rows of the LQ over every area of ``counts`` in ``year``, indexed by area."""
    g = group_classes(counts[counts["period"] == year], subsector)
    lq = location_quotient(g.drop(columns=["geo_vintage"]), min_count=min_count)
    return lq[lq["industry_code"] == "creative"].set_index("geo_code")


def nuts2_employment_table(wh: Warehouse, *, year: int | str | None = None, subsector: str | None = None,
                           min_count: float = 10, measure: str = "employment") -> pd.DataFrame:
    """One row per NUTS2 region for ``year``: creative employment and local units with LQs.

    Each LQ is against every area its own source covers: the jobs LQ (BRES) against
    Great Britain, the local-units LQ (IDBR) against the UK, Northern Ireland included
    (``employment_lq_base`` and ``business_lq_base`` name them, :func:`lq_base`). The rows
    are the areas of ``measure``'s source: the 39 GB areas of BRES for ``employment``,
    the 40 UK areas of IDBR for ``businesses``/``local_units`` (Northern Ireland with no
    jobs figures); BRES's when IDBR lacks the year.

    Columns: ``geo_code``, ``geo_name``, ``industry_code``, ``employment``,
    ``employment_total``, ``employment_lq`` with ``employment_lq_lower``/``_upper``
    (always NaN: :data:`BRES_INTERVAL_NOTE`) and ``employment_small_count``,
    ``establishments`` (IDBR local units; NaN for 2015, which IDBR does not cover),
    ``establishments_total``, ``business_lq`` with ``business_lq_lower``/``_upper`` (exact
    Poisson interval on the local-unit count) and ``business_small_count``,
    ``employment_lq_base``, ``business_lq_base``, ``disclosure_flag`` (the measure's
    source's, else the other's) and ``caveat``.

    ``lq_lower``, ``lq_upper`` and ``small_count`` are those of ``measure``'s LQ
    (:data:`NUTS2_LQ`), as at the LAD levels where they belong to ``business_lq``:
    never another measure's. Where that LQ has no interval (the jobs LQ; no IDBR for
    the year) they are NaN.
    """
    if measure not in NUTS2_LQ:
        raise ParameterError(f"measure must be one of {list(NUTS2_LQ)}. Got {measure!r} instead.")
    code = subsector_code(subsector)
    emp = nuts2_counts(wh, measure="employment")
    years = sorted(emp["period"].unique())
    year = str(year) if year is not None else years[-1]
    if year not in years:
        raise SchemaError(f"BRES NUTS2 has years {years}; {year} is not among them.")
    lq = _creative_lq(emp, year, subsector, min_count)
    ulq = None
    if wh.find_dataset(kinds.LOCAL_UNITS_NUTS2) is not None:
        units = nuts2_counts(wh, measure="local_units")
        if year in set(units["period"]):
            ulq = _creative_lq(units, year, subsector, min_count)
    codes = list(lq.index.astype(str))
    if ulq is not None and measure != "employment":  # the local units' own areas: the UK's 40
        codes += [c for c in ulq.index.astype(str) if c not in set(codes)]
    table = pd.DataFrame({"geo_code": codes})
    table["industry_code"] = code
    geo = table["geo_code"]
    table["employment"] = geo.map(lq["value"]).astype(float)
    table["employment_total"] = geo.map(lq["area_total"]).astype(float)
    table["employment_lq"] = geo.map(lq["lq"]).astype(float)
    table["employment_lq_lower"] = np.nan  # BRES_INTERVAL_NOTE
    table["employment_lq_upper"] = np.nan
    table["employment_small_count"] = geo.map(lq["small_count"]).fillna(False).astype(bool)
    table["employment_lq_base"] = lq_base(lq.index)
    table["establishments"] = np.nan
    table["establishments_total"] = np.nan
    table["business_lq"] = np.nan
    table["business_lq_lower"] = np.nan
    table["business_lq_upper"] = np.nan
    table["business_small_count"] = False  # as location_quotient flags an unknown count: not small
    table["business_lq_base"] = None
    flags = geo.map(lq["disclosure_flag"])
    if ulq is not None:
        table["establishments"] = geo.map(ulq["value"]).astype(float)
        table["establishments_total"] = geo.map(ulq["area_total"]).astype(float)
        table["business_lq"] = geo.map(ulq["lq"]).astype(float)
        table["business_lq_lower"] = geo.map(ulq["lq_lower"]).astype(float)
        table["business_lq_upper"] = geo.map(ulq["lq_upper"]).astype(float)
        table["business_small_count"] = geo.map(ulq["small_count"]).fillna(False).astype(bool)
        table["business_lq_base"] = lq_base(ulq.index)
        uflags = geo.map(ulq["disclosure_flag"])
        flags = flags.combine_first(uflags) if measure == "employment" else uflags.combine_first(flags)
    table["disclosure_flag"] = flags
    own = NUTS2_LQ[measure]
    table["lq_lower"] = table[f"{own}_lower"]
    table["lq_upper"] = table[f"{own}_upper"]
    table["small_count"] = (table["employment_small_count"] if own == "employment_lq"
                            else table["business_small_count"])
    table.insert(1, "geo_name", _names(wh, table["geo_code"]).to_numpy())
    outside = "no jobs figures for " + table["geo_name"].where(table["geo_name"] != "", table["geo_code"]) + (
        f": BRES covers {lq_base(lq.index)} only")
    table["caveat"] = np.where(table["employment"].notna(), BRES_INTERVAL_NOTE, outside)
    table["period"] = year
    return table


def _names(wh: Warehouse, codes: pd.Series) -> pd.Series:
    """Official names of NUTS2 ``codes``: the ``areas`` table's, else the ``nuts2_areas`` lookup's (which has
    Northern Ireland, UKN0)."""
    names = area_names(wh, codes)
    if (names == "").any() and wh.has_table("nuts2_areas"):
        t = wh.table("nuts2_areas")
        lookup = dict(zip(t["nuts2_code"].astype(str), t["nuts2_name"].astype(str), strict=False))
        names = names.where(names != "", codes.astype(str).map(lookup).fillna(""))
    return names


def nuts2_source_line(wh: Warehouse) -> str:
    """The source line of the NUTS2 tables, from the catalogue: BRES employment and, when imported, IDBR
    local units (both are in every NUTS2 table)."""
    refs = [wh.require_dataset(kinds.EMPLOYMENT_NUTS2), wh.find_dataset(kinds.LOCAL_UNITS_NUTS2)]
    return "; ".join(f"{r.title or r.id} ({r.publisher}, {r.vintage})" for r in refs if r is not None)
