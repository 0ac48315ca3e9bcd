"""Which periods the warehouse can serve a measure for (so front ends offer only real years).

Until the catalogue records each dataset's kind (``creative_clusters/kinds.py``),
the years of creative business counts are read from the catalogue's dataset
ids; :data:`BUSINESS_COUNTS_PREFIX` is the one place that knows the naming.
"""

from __future__ import annotations

from typing import Any

from creative_clusters.errors import ParameterError

__all__ = ["BUSINESS_COUNTS_PREFIX", "business_count_years", "check_year"]

#: Catalogue ids of UK Business Counts (creative enterprises by LAD) are this prefix plus the year.
BUSINESS_COUNTS_PREFIX = "business_counts_"


def business_count_years(wh: Any) -> list[int]:
    """Years of creative enterprise counts by LAD in the warehouse, ascending.

    Examples
    --------
    >>> class _WH:
    ...     def datasets(self):
    ...         import pandas as pd
    ...         return pd.DataFrame({"id": ["business_counts_2025", "census2021_ts060", "business_counts_2024"]})
    >>> business_count_years(_WH())
    [2024, 2025]
    """
    ids = [str(d) for d in wh.datasets()["id"]]
    return sorted(int(i.removeprefix(BUSINESS_COUNTS_PREFIX)) for i in ids
                  if i.startswith(BUSINESS_COUNTS_PREFIX) and i.removeprefix(BUSINESS_COUNTS_PREFIX).isdigit())


def check_year(year: int | None, years: list[int]) -> int:
    """``year``, or the latest of ``years`` when None; a clear error for a year the warehouse lacks.

    Examples
    --------
    >>> check_year(None, [2024, 2025])
    2025
    >>> check_year(2019, [2024, 2025])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creative_clusters.errors.ParameterError: no creative business counts for 2019 ...; years available: 2024, 2025
    """
    if not years:
        raise ParameterError("the warehouse has no creative business counts; run `creative-clusters data import DIR`")
    if year is None:
        return years[-1]
    if year not in years:
        raise ParameterError(f"no creative business counts for {year} in the warehouse; years available: "
                             + ", ".join(map(str, years)))
    return int(year)
