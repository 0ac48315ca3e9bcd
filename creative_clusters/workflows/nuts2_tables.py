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
    "NUTS2_LQ",
    "group_classes",
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


def nuts2_employment_table(wh: Warehouse, *, year: int | str | None = None, subsector: str | None = None,
                           min_count: float = 10, measure: str = "employment") -> pd.DataFrame:
    """One row per NUTS2 region for ``year``: creative employment and local units with LQs.

    Columns: ``geo_code``, ``geo_name``, ``industry_code``, ``employment``,
    ``employment_total``, ``employment_lq`` with ``employment_lq_lower``/``_upper`` and
    ``employment_small_count``, ``establishments`` (IDBR local units; NaN for 2015,
    which IDBR does not cover), ``establishments_total``, ``business_lq`` with
    ``business_lq_lower``/``_upper`` and ``business_small_count`` (exact Poisson
    intervals on each LQ's own count), ``disclosure_flag``.

    ``lq_lower``, ``lq_upper`` and ``small_count`` are those of ``measure``'s LQ
    (:data:`NUTS2_LQ`), as at the LAD levels where they belong to ``business_lq``:
    never another measure's. Where that LQ cannot be computed (no IDBR for the
    year) they are NaN.
    """
    if measure not in NUTS2_LQ:
        raise ParameterError(f"measure must be one of {list(NUTS2_LQ)}. Got {measure!r} instead.")
    code = subsector_code(subsector)
    emp = nuts2_counts(wh, measure="employment")
    years = sorted(emp["period"].unique())
    year = str(year) if year is not None else years[-1]
    if year not in years:
        raise SchemaError(f"BRES NUTS2 has years {years}; {year} is not among them.")
    e = group_classes(emp[emp["period"] == year], subsector)
    lq = location_quotient(e.drop(columns=["geo_vintage"]), min_count=min_count)
    lq = lq[lq["industry_code"] == "creative"].set_index("geo_code")
    table = pd.DataFrame({"geo_code": lq.index.astype(str)})
    table["industry_code"] = code
    table["employment"] = lq["value"].to_numpy(dtype=float)
    table["employment_total"] = lq["area_total"].to_numpy(dtype=float)
    table["employment_lq"] = lq["lq"].to_numpy(dtype=float)
    table["employment_lq_lower"] = lq["lq_lower"].to_numpy(dtype=float)
    table["employment_lq_upper"] = lq["lq_upper"].to_numpy(dtype=float)
    table["employment_small_count"] = lq["small_count"].to_numpy(dtype=bool)
    table["disclosure_flag"] = lq["disclosure_flag"].to_numpy()
    table["establishments"] = np.nan
    table["establishments_total"] = np.nan
    table["business_lq"] = np.nan
    table["business_lq_lower"] = np.nan
    table["business_lq_upper"] = np.nan
    table["business_small_count"] = False  # as location_quotient flags an unknown count: not small
    if wh.find_dataset(kinds.LOCAL_UNITS_NUTS2) is not None:
        units = nuts2_counts(wh, measure="local_units")
        if year in set(units["period"]):
            u = group_classes(units[units["period"] == year], subsector)
            ulq = location_quotient(u.drop(columns=["geo_vintage"]), min_count=min_count)
            ulq = ulq[ulq["industry_code"] == "creative"].set_index("geo_code")
            table["establishments"] = table["geo_code"].map(ulq["value"]).astype(float)
            table["establishments_total"] = table["geo_code"].map(ulq["area_total"]).astype(float)
            table["business_lq"] = table["geo_code"].map(ulq["lq"]).astype(float)
            table["business_lq_lower"] = table["geo_code"].map(ulq["lq_lower"]).astype(float)
            table["business_lq_upper"] = table["geo_code"].map(ulq["lq_upper"]).astype(float)
            table["business_small_count"] = table["geo_code"].map(ulq["small_count"]).fillna(False).astype(bool)
    own = NUTS2_LQ[measure]
    table["lq_lower"] = table[f"{own}_lower"]
    table["lq_upper"] = table[f"{own}_upper"]
    table["small_count"] = (table["employment_small_count"] if own == "employment_lq"
                            else table["business_small_count"])
    table.insert(1, "geo_name", area_names(wh, table["geo_code"]).to_numpy())
    table["period"] = year
    return table


def nuts2_source_line(wh: Warehouse) -> str:
    """The source line of the NUTS2 employment tables, from the catalogue."""
    ref = wh.require_dataset(kinds.EMPLOYMENT_NUTS2)
    return f"{ref.title or ref.id} ({ref.publisher}, {ref.vintage})"
