"""A local authority outside England benchmarked within its nation and across the UK.

The framework's comparison base for England is England's LADs, because several
of its indicators rest on data published for England only (the SIC-level
business counts, England's deprivation index, lists of institutions). A Welsh,
Scottish or Northern Irish LAD is ranked twice instead:

* **within its nation**, on every indicator whose data reach that nation
  (:data:`MIN_NATION_PLACES` LADs of the nation with a value at least);
* **across the UK**, on the indicators whose data reach all four nations
  (:func:`uk_wide_indicators`: ONS Business Demography, the UK-wide annual
  series of creative enterprises, local indicators published for every UK
  LAD), among every UK LAD with a value.

Both are percentiles by :func:`~creative_clusters.benchmarking.percentiles.percentiles`,
as for England; the pack and the web read this module's table (one producer).

Examples
--------
>>> import pandas as pd
>>> codes = [f"{n}0{i}" for n in "EWSN" for i in range(8)]
>>> uk = pd.DataFrame({"birth_rate": [float(i) for i in range(32)],
...                    "gva": [float(i) if c[0] in "EW" else float("nan") for i, c in enumerate(codes)]},
...                   index=codes)
>>> uk_wide_indicators(uk)
['birth_rate']
>>> t = nation_percentiles(nation_rows(uk, "W07"), "W07", directions={"birth_rate": "higher", "gva": "higher"},
...                        uk=uk)
>>> t.set_index("indicator_id")[["pct_all", "n_all", "pct_uk", "n_uk"]].round(1).to_dict("index")
{'birth_rate': {'pct_all': 93.8, 'n_all': 8, 'pct_uk': 48.4, 'n_uk': 32}, 'gva': {'pct_all': 93.8, 'n_all': 8, \
'pct_uk': nan, 'n_uk': 0}}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.benchmarking.percentiles import percentiles
from creative_clusters.geography.place import NATIONS

__all__ = ["MIN_NATION_PLACES", "nation_percentiles", "nation_rows", "uk_table", "uk_wide_indicators"]

#: Fewest LADs of a nation with data for an indicator to be ranked in it (Northern Ireland has 11), and
#: for an indicator to count as reaching that nation in a UK-wide ranking.
MIN_NATION_PLACES = 8


def nation_rows(values: pd.DataFrame | None, code: str) -> pd.DataFrame | None:
    """The rows of ``code``'s nation (by the first letter of GSS codes), or None when ``code`` is not a row.

    >>> v = pd.DataFrame({"x": [1.0, 2.0, 3.0]}, index=["W06000015", "W06000001", "S12000049"])
    >>> list(nation_rows(v, "W06000015").index)
    ['W06000015', 'W06000001']
    """
    if values is None or code not in values.index:
        return None
    return values[values.index.str[:1] == code[:1]]


def uk_table(england: pd.DataFrame | None, elsewhere: pd.DataFrame | None) -> pd.DataFrame | None:
    """England's LADs (its benchmark base) and the other nations' LADs in one table of indicator values.

    >>> e = pd.DataFrame({"x": [1.0]}, index=["E06000001"])
    >>> w = pd.DataFrame({"x": [2.0], "y": [3.0]}, index=["W06000015"])
    >>> uk_table(e, w).to_dict("index")
    {'E06000001': {'x': 1.0, 'y': nan}, 'W06000015': {'x': 2.0, 'y': 3.0}}
    """
    parts = [t for t in (england, elsewhere) if t is not None and len(t)]
    if not parts:
        return None
    out = pd.concat(parts)
    return out[~out.index.duplicated(keep="first")]


def uk_wide_indicators(uk: pd.DataFrame, *, min_per_nation: int = MIN_NATION_PLACES) -> list[str]:
    """Indicators with values for at least ``min_per_nation`` LADs in each of the four nations.

    A ranking across the UK on an indicator published for England and Wales
    only would compare a Scottish LAD with part of the UK; such indicators
    stay within-nation. (Example in the module docstring.)
    """
    letters = uk.index.str[:1]
    return [str(c) for c in uk.columns
            if all(int((uk[c].notna() & (letters == n)).sum()) >= min_per_nation for n in NATIONS)]


def nation_percentiles(vals: pd.DataFrame, code: str, framework: Any = None, *,
                       directions: Mapping[str, str] | None = None, uk: pd.DataFrame | None = None,
                       intervals: Mapping[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    """A LAD's percentiles among its nation's LADs (``vals``) and, with ``uk``, among the UK's.

    Parameters
    ----------
    vals : DataFrame
        Indicator values of the nation's LADs (:func:`nation_rows`).
    code : str
        The LAD.
    framework, directions
        As for :func:`~creative_clusters.benchmarking.percentiles.percentiles`.
    uk : DataFrame, optional
        Indicator values of every UK LAD (:func:`uk_table`).
    intervals : mapping, optional
        The place's published 95% intervals by indicator (survey estimates).

    Returns
    -------
    DataFrame
        :func:`~creative_clusters.benchmarking.percentiles.percentiles`' columns
        (``pct_all``/``n_all`` within the nation; an indicator fewer than
        :data:`MIN_NATION_PLACES` of the nation's LADs have is not ranked and
        its note says so; the peer columns empty: peers are chosen among
        English LADs) plus ``pct_uk``, ``n_uk``, ``pct_uk_min`` and
        ``pct_uk_max``: the same across the UK for the
        :func:`uk_wide_indicators` (NaN and 0 for the others, or without ``uk``).
    """
    nation = NATIONS.get(code[:1], "its nation")
    table = percentiles(vals, place=code, peers=[], framework=framework, directions=directions,
                        intervals=intervals)
    few = table["n_all"] < MIN_NATION_PLACES
    table.loc[few & (table["status"] == "ok"), "note"] = (
        f"Not ranked: fewer than {MIN_NATION_PLACES} local authorities of {nation} have data.")
    table.loc[few, "pct_all"] = np.nan
    table["pct_peers"] = np.nan
    table["n_peers"] = 0
    table["pct_uk"] = table["pct_uk_min"] = table["pct_uk_max"] = np.nan
    table["n_uk"] = 0
    if uk is not None and code in uk.index:
        wide = uk_wide_indicators(uk)
        across = percentiles(uk.reindex(columns=wide), place=code, peers=[], framework=framework,
                             directions=directions, intervals=intervals).set_index("indicator_id")
        across = across[across.index.isin(wide)]
        at = table["indicator_id"].map(lambda i: i in across.index)
        for col, src in (("pct_uk", "pct_all"), ("n_uk", "n_all"), ("pct_uk_min", "pct_all_min"),
                         ("pct_uk_max", "pct_all_max")):
            table.loc[at, col] = table.loc[at, "indicator_id"].map(across[src]).to_numpy()
    table["n_uk"] = table["n_uk"].astype(int)
    return table
