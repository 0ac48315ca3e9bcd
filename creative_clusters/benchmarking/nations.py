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
  LAD), among every UK LAD with a value, unless the framework marks the
  indicator ``comparable_across_nations: false`` (the publisher says its
  figures do not compare between the nations: museums per head).

Both are percentiles by :func:`~creative_clusters.benchmarking.percentiles.percentiles`,
as for England; the pack and the web read this module's table, notes
included (one producer): an indicator ranked in England but not within the
nation says why (:func:`why_not_ranked`), from where its data reach.

An indicator whose own source covers England only can name a column of the
UK-wide annual-series scale table (``uk_series`` in the framework: creative
enterprises and the business LQ against the UK). :func:`with_series` then puts
that column in the nation's table and in the UK's for **every** LAD, England's
included, so each ranking reads one source; England's own benchmark keeps the
indicator's source.

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

from creative_clusters import kinds
from creative_clusters.benchmarking.percentiles import percentiles
from creative_clusters.geography.place import NATIONS

__all__ = ["MIN_NATION_PLACES", "indicator_reach", "nation_percentiles", "nation_rows", "series_notes",
           "uk_base_note", "uk_table", "uk_wide_indicators", "why_not_ranked", "with_series"]

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


def with_series(table: pd.DataFrame | None, series: pd.DataFrame | None,
                framework: Any) -> pd.DataFrame | None:
    """``table`` with each ``uk_series`` indicator's column replaced by the series' value of every row.

    Parameters
    ----------
    table : DataFrame or None
        Indicator values by LAD (index ``geo_code``): a nation's (:func:`nation_rows`) or the UK's
        (:func:`uk_table`).
    series : DataFrame or None
        The UK-wide annual-series scale table, one row per LAD (index ``geo_code``), holding the
        framework's ``uk_series`` columns. None: ``table`` as it is.
    framework : Framework
        Names the indicators and their columns (``Indicator.uk_series``).

    Returns
    -------
    DataFrame or None
        A copy; a LAD the series lacks gets NaN (a gap, never a value from the other source).

    Raises
    ------
    SchemaError
        When the series lacks a column the framework names.

    Examples
    --------
    >>> from creative_clusters.benchmarking.framework import load_framework
    >>> uk = pd.DataFrame({"creative_enterprises": [2400.0, float("nan")]}, index=["E08000019", "W06000015"])
    >>> series = pd.DataFrame({"latest": [2380.0, 2115.0], "business_lq_uk": [0.92, 1.11]},
    ...                       index=["E08000019", "W06000015"])
    >>> with_series(uk, series, load_framework())[["creative_enterprises", "creative_business_lq"]].to_dict("index")
    {'E08000019': {'creative_enterprises': 2380.0, 'creative_business_lq': 0.92}, \
'W06000015': {'creative_enterprises': 2115.0, 'creative_business_lq': 1.11}}
    """
    if table is None or series is None:
        return table
    cols = {i.id: i.uk_series for i in framework.indicators if i.uk_series}
    missing = sorted(c for c in cols.values() if c not in series.columns)
    if missing:
        from creative_clusters.errors import SchemaError

        raise SchemaError(f"framework {framework.id} {framework.version}: its uk_series columns {missing} are not "
                          f"in the annual-series scale table (it has {sorted(map(str, series.columns))}); name "
                          "one of those columns or drop uk_series.")
    out = table.copy()
    for iid, col in cols.items():
        out[iid] = pd.to_numeric(series[col], errors="coerce").reindex(out.index).to_numpy(dtype="float64")
    return out


def series_notes(framework: Any, periods: Mapping[str, str]) -> dict[str, str]:
    """The note of each ``uk_series`` indicator in a ranking beyond England: its caveat and year.

    ``periods`` maps a column of the series table to the year its values are for.

    >>> from creative_clusters.benchmarking.framework import load_framework
    >>> n = series_notes(load_framework(), {"latest": "2025", "business_lq_uk": "2024"})
    >>> n["creative_enterprises"][-11:], n["creative_business_lq"][-11:]
    ('Year: 2025.', 'Year: 2024.')
    """
    return {i.id: " ".join(x for x in (i.uk_series_caveat.rstrip(".") + ".",
                                       f"Year: {periods[i.uk_series]}." if periods.get(i.uk_series) else "") if x)
            for i in framework.indicators if i.uk_series}


def indicator_reach(uk: pd.DataFrame, *, min_per_nation: int = MIN_NATION_PLACES) -> dict[str, list[str]]:
    """The nations each indicator's data reach: at least ``min_per_nation`` of their LADs with a value.

    >>> uk = pd.DataFrame({"x": [1.0, 2.0, float("nan")], "y": [1.0, 2.0, 3.0]},
    ...                   index=["E06000001", "W06000015", "S12000049"])
    >>> indicator_reach(uk, min_per_nation=1)
    {'x': ['England', 'Wales'], 'y': ['England', 'Wales', 'Scotland']}
    """
    letters = np.asarray(uk.index.str[:1])
    have = uk.notna().to_numpy()
    counts = {n: have[letters == n].sum(axis=0) for n in NATIONS}  # LADs with a value, by nation and column
    return {str(c): [name for n, name in NATIONS.items() if int(counts[n][k]) >= min_per_nation]
            for k, c in enumerate(uk.columns)}


def uk_wide_indicators(uk: pd.DataFrame, framework: Any = None, *,
                       min_per_nation: int = MIN_NATION_PLACES) -> list[str]:
    """Indicators with values for at least ``min_per_nation`` LADs in each of the four nations.

    A ranking across the UK on an indicator published for England and Wales
    only would compare a Scottish LAD with part of the UK; such indicators
    stay within-nation. So do those the ``framework`` marks
    ``comparable_across_nations: false``: their data reach every nation, but
    the publisher says the figures do not compare between them.

    >>> from creative_clusters.benchmarking.framework import load_framework
    >>> codes = [f"{n}0{i}" for n in "EWSN" for i in range(8)]
    >>> uk = pd.DataFrame({"birth_rate": 1.0, "museums_per_100k": 2.0}, index=codes)
    >>> uk_wide_indicators(uk), uk_wide_indicators(uk, load_framework())
    (['birth_rate', 'museums_per_100k'], ['birth_rate'])
    """
    apart = ({i.id for i in framework.indicators if not i.comparable_across_nations}
             if framework is not None else set())
    return [c for c, reach in indicator_reach(uk, min_per_nation=min_per_nation).items()
            if len(reach) == len(NATIONS) and c not in apart]


def _and(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def why_not_ranked(ind: Any, nation: str, reach: list[str], *,
                   source_names: Mapping[str, str] | None = None) -> str:
    """Why an indicator ranked in England has no base in ``nation``: from its data, not a blanket "England only".

    Parameters
    ----------
    ind : Indicator or None
        The framework's indicator (its dataset names the special cases).
    nation : str
        The nation the place is in.
    reach : list of str
        The nations the indicator's data reach (:func:`indicator_reach`).
    source_names : mapping, optional
        Dataset kind -> the reader's name of its table (e.g. the census table's catalogue title).

    Examples
    --------
    >>> why_not_ranked(None, "Northern Ireland", ["England", "Wales", "Scotland"])
    'its data cover the local authorities of England, Wales and Scotland only.'
    >>> why_not_ranked(None, "Wales", [])
    'its data have no values for the local authorities of Wales.'
    """
    dataset = getattr(ind, "dataset", None)
    if dataset == kinds.CREATIVE_ENTERPRISES_SIC and (getattr(ind, "source", None) or {}).get("transform") in (
            "sum_creative", "creative_lq"):
        return ("the counts by SIC class cover English local authorities only, and this framework does not rank "
                "it on the UK-wide annual series of creative enterprises outside England (no uk_series).")
    if dataset == kinds.CREATIVE_ENTERPRISES_SIC:
        return ("the counts by SIC class cover English local authorities only, and the UK-wide annual series of "
                "creative enterprises has no SIC classes (all creative industries only).")
    if dataset == kinds.DEPRIVATION_ENGLAND and "England" in nation:  # a group across nations
        return ("this is England's index; the other nations' own indices of deprivation rank only their own areas "
                "and are not comparable with it.")
    if dataset == kinds.DEPRIVATION_ENGLAND:
        return (f"this is England's index; {nation}'s own index of deprivation ranks only its own areas and is "
                "not comparable with it.")
    if dataset == kinds.CENSUS_INDUSTRY and reach:
        census = (source_names or {}).get(kinds.CENSUS_INDUSTRY) or "the census industry table"
        return f"{census} covers {_and(reach)} only; {nation}'s own census is not in the data."
    if reach:
        return f"its data cover the local authorities of {_and(reach)} only."
    return f"its data have no values for the local authorities of {nation}."


def nation_percentiles(vals: pd.DataFrame, code: str, framework: Any = None, *,
                       directions: Mapping[str, str] | None = None, uk: pd.DataFrame | None = None,
                       intervals: Mapping[str, tuple[float, float]] | None = None,
                       source_names: Mapping[str, str] | None = None,
                       notes: Mapping[str, str] | None = None, nation: str | None = None,
                       names: Mapping[str, str] | None = None) -> pd.DataFrame:
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
    source_names : mapping, optional
        Dataset kind -> the reader's name of its table, for the notes (:func:`why_not_ranked`).
    notes : mapping, optional
        Indicator id -> a note for a ranked indicator (:func:`series_notes`: where its values come from); it
        replaces the indicator's own caveat (which describes its source in England).
    nation : str, optional
        The nation's name, for a place whose code does not say it (a user's group); default from ``code``.

    Returns
    -------
    DataFrame
        :func:`~creative_clusters.benchmarking.percentiles.percentiles`' columns
        (``pct_all``/``n_all`` within the nation; an indicator fewer than
        :data:`MIN_NATION_PLACES` of the nation's LADs have is not ranked and
        its note says so; the peer columns empty: peers are chosen among
        English LADs) plus ``pct_uk``, ``n_uk``, ``pct_uk_min``,
        ``pct_uk_max`` and ``tied_uk``: the same across the UK for the
        :func:`uk_wide_indicators` (NaN and 0 for the others, or without ``uk``),
        and ``uk_base_note`` (:func:`uk_base_note`: the indicator's UK base where it is not every UK local
        authority of ``uk``, said in ``note`` too), and, with ``uk``, two flags: ``elsewhere_only`` (a gap in the nation
        that England's LADs have data for: its note says why, by
        :func:`why_not_ranked`) and ``england_only`` (data for English LADs
        only). An indicator whose data reach every nation but that the
        framework marks not comparable across them has a note saying so.

    Examples
    --------
    >>> codes = [f"{n}0{i}" for n in "EWSN" for i in range(8)]
    >>> uk = pd.DataFrame({"x": [float(i) if c[0] == "E" else float("nan") for i, c in enumerate(codes)]},
    ...                   index=codes)
    >>> row = nation_percentiles(nation_rows(uk, "W07"), "W07", uk=uk).iloc[0]
    >>> row["note"], bool(row["elsewhere_only"]), bool(row["england_only"])
    ('Not ranked within Wales: its data cover the local authorities of England only.', True, True)
    """
    nation = nation or NATIONS.get(code[:1], "its nation")
    table = percentiles(vals, place=code, peers=[], framework=framework, directions=directions,
                        intervals=intervals)
    few = table["n_all"] < MIN_NATION_PLACES
    table.loc[few & (table["status"] == "ok"), "note"] = (
        f"Not ranked: fewer than {MIN_NATION_PLACES} local authorities of {nation} have data.")
    table.loc[few, "pct_all"] = np.nan
    table["pct_peers"] = np.nan
    table["n_peers"] = 0
    table["pct_uk"] = table["pct_uk_min"] = table["pct_uk_max"] = np.nan
    table["n_uk"] = table["tied_uk"] = 0
    table["elsewhere_only"] = table["england_only"] = False
    if notes:
        own = table["indicator_id"].isin(list(notes)) & (table["status"] == "ok")
        table.loc[own, "note"] = [" ".join(x for x in (notes[str(i)], str(n).strip()) if x)
                                  if str(n).startswith("Not ranked") else notes[str(i)]
                                  for i, n in zip(table.loc[own, "indicator_id"], table.loc[own, "note"],
                                                  strict=True)]
    if uk is not None:
        reach = indicator_reach(uk.reindex(columns=list(table["indicator_id"])))
        by_id = {i.id: i for i in framework.indicators} if framework is not None else {}
        ids = table["indicator_id"].astype(str)
        table["elsewhere_only"] = (table["status"] == "gap") & ids.map(lambda i: "England" in reach[i])
        table["england_only"] = ids.map(lambda i: reach[i] == ["England"])
        at = table["elsewhere_only"]
        table.loc[at, "note"] = [f"Not ranked within {nation}: "
                                 + why_not_ranked(by_id.get(i), nation, reach[i], source_names=source_names)
                                 for i in ids[at]]
        apart = table["indicator_id"].map(
            lambda i: i in by_id and not by_id[i].comparable_across_nations and len(reach[i]) == len(NATIONS))
        table.loc[apart, "note"] = [
            " ".join(x for x in (str(n).strip(), f"Not ranked across the UK: {by_id[i].nations_caveat}.") if x)
            for n, i in zip(table.loc[apart, "note"], table.loc[apart, "indicator_id"], strict=True)]
    wide = uk_wide_indicators(uk, framework) if uk is not None and code in uk.index else []
    if uk is not None and wide:
        across = percentiles(uk.reindex(columns=wide), place=code, peers=[], framework=framework,
                             directions=directions, intervals=intervals).set_index("indicator_id")
        across = across[across.index.isin(wide)]
        at = table["indicator_id"].map(lambda i: i in across.index)
        for col, src in (("pct_uk", "pct_all"), ("n_uk", "n_all"), ("pct_uk_min", "pct_all_min"),
                         ("pct_uk_max", "pct_all_max"), ("tied_uk", "tied_all")):
            table.loc[at, col] = table.loc[at, "indicator_id"].map(across[src]).to_numpy()
        table["uk_base_note"] = [uk_base_note(uk, str(i), by_id.get(str(i)), names=names) if ok else ""
                                 for i, ok in zip(table["indicator_id"], at, strict=True)]
        said = table["uk_base_note"] != ""
        table.loc[said, "note"] = [" ".join(x for x in (str(n).strip(), b) if x)
                                   for n, b in zip(table.loc[said, "note"].fillna(""), table.loc[said, "uk_base_note"],
                                                   strict=True)]
    if "uk_base_note" not in table.columns:
        table["uk_base_note"] = ""
    table[["n_uk", "tied_uk"]] = table[["n_uk", "tied_uk"]].astype(int)
    table[["elsewhere_only", "england_only"]] = table[["elsewhere_only", "england_only"]].astype(bool)
    return table


def uk_base_note(uk: pd.DataFrame, indicator: str, ind: Any = None, *,
                 names: Mapping[str, str] | None = None) -> str:
    """The base of an indicator's UK percentile in words, where it is not every UK local authority of ``uk``
    (the headline base); "" where it is. The places left out are named (up to six), and why: a published zero
    count has no LQ (the rule in :mod:`~creative_clusters.benchmarking.percentiles`), others have no value in
    the source (a local authority formed after the data's period).

    >>> uk = pd.DataFrame({"x": [1.0, float("nan"), 2.0], "lq": [1.1, 0.0, 0.9]}, index=["A", "B", "C"])
    >>> uk_base_note(uk, "x", names={"B": "Bee"})
    'UK base: the 2 of 3 local authorities with a value; Bee has none in the source.'
    >>> uk_base_note(uk, "lq", type("I", (), {"source": {"transform": "creative_lq"}})())
    'UK base: the 2 of 3 local authorities with a value; B is published as 0 creative enterprises (0 to 2), so \
has no LQ to rank.'
    """
    names = names or {}
    col = pd.to_numeric(uk[indicator], errors="coerce")
    transform = (getattr(ind, "source", None) or {}).get("transform") if ind is not None else None
    zero = col == 0 if transform == "creative_lq" else pd.Series(False, index=col.index)
    out = col.isna() | zero
    if not out.any() or out.all():
        return ""
    n, total = int((~out).sum()), len(col)

    def said(codes: list[str]) -> str:
        shown = [names.get(c, c) for c in codes[:6]]
        more = f" and {len(codes) - 6} others" if len(codes) > 6 else ""
        return (shown[0] if len(shown) == 1 and not more else ", ".join(shown[:-1] if not more else shown)
                + (more if more else f" and {shown[-1]}"))

    parts = []
    z = [str(c) for c in col.index[zero]]
    if z:
        parts.append(f"{said(z)} {'is' if len(z) == 1 else 'are'} published as 0 creative enterprises (0 to 2), "
                     f"so {'has' if len(z) == 1 else 'have'} no LQ to rank")
    m = [str(c) for c in col.index[col.isna()]]
    if m:
        parts.append(f"{said(m)} {'has' if len(m) == 1 else 'have'} none in the source")
    return f"UK base: the {n} of {total} local authorities with a value; " + "; ".join(parts) + "."
