"""Which years the warehouse can serve the map's business measures for (so front ends offer only real years).

The years are the periods of every dataset of kind
:data:`creative_clusters.kinds.CREATIVE_ENTERPRISES_SIC` in the catalogue
(creative enterprises by LAD and SIC class) or, for the series measures, of
kind :data:`creative_clusters.kinds.CREATIVE_ENTERPRISES_SERIES`, read from the
observations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from creative_clusters.errors import ParameterError
from creative_clusters.kinds import CREATIVE_ENTERPRISES_SERIES, CREATIVE_ENTERPRISES_SIC

if TYPE_CHECKING:
    from creative_clusters.warehouse import Warehouse

__all__ = ["business_count_years", "check_year", "series_years", "sic_snapshots"]


def _years_of(wh: Warehouse, kind: str) -> list[int]:
    years: set[int] = set()
    for ref in wh.catalogue_entries(kind):
        for period in wh.periods(ref.id, measure="enterprises"):
            if period[:4].isdigit():
                years.add(int(period[:4]))
    return sorted(years)


def business_count_years(wh: Warehouse) -> list[int]:
    """Years of creative enterprise counts by LAD and SIC class in the warehouse, ascending.

    Examples
    --------
    >>> import tempfile
    >>> from creative_clusters.warehouse import Warehouse
    >>> with Warehouse(tempfile.mkdtemp()) as wh:
    ...     business_count_years(wh)
    []
    """
    return _years_of(wh, CREATIVE_ENTERPRISES_SIC)


def sic_snapshots(wh: Warehouse) -> list[tuple[str, str, str]]:
    """The snapshots of creative enterprises by LAD and SIC class in the catalogue, oldest first: each
    ``(dataset id, period, area)``, the area named from the nations of the LADs it has ("England", "the UK").

    Examples
    --------
    >>> import tempfile
    >>> from creative_clusters.warehouse import Warehouse
    >>> with Warehouse(tempfile.mkdtemp()) as wh:
    ...     sic_snapshots(wh)
    []
    """
    from creative_clusters.geography.place import NATIONS

    out: list[tuple[str, str, str]] = []
    for ref in wh.catalogue_entries(CREATIVE_ENTERPRISES_SIC):
        obs = wh.observations(dataset=ref.id, measure="enterprises", geo_type="lad")
        have = [n for c, n in NATIONS.items() if obs["geo_code"].astype(str).str.startswith(c).any()]
        area = "the UK" if len(have) == len(NATIONS) else " and ".join(have) or "no LADs"
        out.extend((ref.id, str(p), area) for p in sorted(set(obs["period"].astype(str))))
    return sorted(out, key=lambda t: (t[1], t[0]))


def series_years(wh: Warehouse) -> list[int]:
    """Years of the creative-enterprise series (all UK LADs, all creative industries), ascending.

    Examples
    --------
    >>> import tempfile
    >>> from creative_clusters.warehouse import Warehouse
    >>> with Warehouse(tempfile.mkdtemp()) as wh:
    ...     series_years(wh)
    []
    """
    return _years_of(wh, CREATIVE_ENTERPRISES_SERIES)


def check_year(year: int | None, years: list[int], *, what: str = "creative business counts") -> int:
    """``year``, or the latest of ``years`` when None; a clear error for a year the warehouse lacks.

    ``what`` names the data the years belong to in the messages (e.g. "the creative-enterprise series").

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
        raise ParameterError(f"the warehouse has no {what}; run `creative-clusters data import DIR`")
    if year is None:
        return years[-1]
    if year not in years:
        raise ParameterError(f"no {what} for {year} in the warehouse; years available: "
                             + ", ".join(map(str, years)))
    return int(year)
