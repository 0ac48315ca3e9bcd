"""Section 4 for a local authority outside England: the benchmark among its own nation's LADs.

The framework's UK-wide comparison base is England's 296 LADs, because several
of its indicators rest on data published for England only (the SIC-level
business counts, the lists of institutions). A Welsh, Scottish or Northern
Irish LAD is instead ranked among the LADs of its nation, on every indicator
whose data reach that nation (business demography, Census 2021 in Wales,
local indicators); the others are gaps, and its creative scale and LQs come
from the UK-wide annual series in sections 2 and 3. The percentiles are
computed by :func:`creative_clusters.benchmarking.percentiles.percentiles`,
as for England; this module only chooses the base and renders the table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.benchmarking.percentiles import percentiles
from creative_clusters.geography.place import NATIONS
from creative_clusters.reporting import sentences as S
from creative_clusters.reporting._model import EvidenceInputs, _table, shown_datasets, source_label
from creative_clusters.reporting.pack_types import Section

__all__ = ["MIN_NATION_PLACES", "nation_benchmark"]

#: Fewest LADs of the nation with data for an indicator to be ranked (Northern Ireland has 11).
MIN_NATION_PLACES = 8


def nation_benchmark(sec: Section, inp: EvidenceInputs, st: dict[str, Any], unit_formats: dict[str, str]) -> bool:
    """Fill ``sec`` with the place's percentiles among its nation's LADs; False when there is no such base.

    Sets ``st["benchmark"]`` (the percentile table, as in England) and
    ``st["benchmark_base"]`` (the words for the base, e.g. "Welsh local authorities").
    """
    vals, place, fw = inp.nation_indicators, inp.place, inp.framework
    if vals is None or place.code not in vals.index:
        return False
    nation = NATIONS.get(place.code[:1], "its nation")
    table = nation_percentiles(vals, place.code, fw, intervals=inp.rate_intervals)
    england = inp.indicators
    in_england = set() if england is None else {c for c in england.columns if england[c].notna().any()}
    england_only = (table["status"] == "gap") & table["indicator_id"].isin(in_england)
    by_id = {i.id: i for i in fw.indicators}
    census = source_label(inp.sources, kinds.CENSUS_INDUSTRY)  # the census table by its catalogue name
    census = "the census industry table" if census == kinds.CENSUS_INDUSTRY else census
    table.loc[england_only, "note"] = [f"Not ranked within {nation}: " + _why_not(by_id.get(str(i)), nation, census)
                                       for i in table.loc[england_only, "indicator_id"]]
    base = f"local authorities of {nation}"
    st["benchmark"] = table
    st["benchmark_base"] = base
    n_lads = len(vals)
    sec["sentences"].append(
        f"{place.name} is benchmarked among the {n_lads} {base}: the framework's comparison across England rests "
        f"partly on data published for England only. Its creative scale and business LQs against the UK and "
        f"{nation} come from the UK-wide annual series (sections 2 and 3).")
    dims = {d.id: d.title for d in fw.dimensions}
    rows = [[dims[r.dimension], r.label, r.value, r.pct_all, r.n_all,
             "gap" if r.status == "gap" else ("higher is better" if r.direction == "higher" else "lower is better"),
             r.note] for r in table.itertuples()]
    t = _table(f"{fw.title} (version {fw.version}) within {nation}, {place.name}",
               ["Dimension", "Indicator", "Value", f"Percentile in {nation}", "Places with data", "Direction",
                "Note"], rows, ["text", "text", "auto", "num0", "int", "text", "text"],
               [f"Each indicator is shown as a percentile rank among the {base} (no peer column: peers are chosen "
                "among English local authorities), with \"better\" always high. Indicators without data are gaps: "
                "they are listed, never scored as zero.",
                f"Places = the {base} on the benchmark's boundaries with data for the indicator; 100 = best."])
    t["cell_formats"] = [["text", "text", unit_formats.get(str(r.unit), "num2"), "num0", "int", "text", "text"]
                         for r in table.itertuples()]
    sec["tables"].append(t)
    ok = table[(table["status"] == "ok") & table["pct_all"].notna()]
    for r in ok.sort_values("pct_all", ascending=False).head(3).itertuples():
        sec["sentences"].append(S.percentile_sentence(place.name, r.label, r.pct_all, int(r.n_all))
                                .replace(" places (100 = best)", f" {base} (100 = best)"))
    only = list(table.loc[england_only, "label"])
    if only:
        sec["sentences"].append(f"{len(only)} indicator{'s are' if len(only) != 1 else ' is'} ranked in England "
                                f"but not within {nation}, whose local authorities their data do not reach (the "
                                "table's notes say why): " + "; ".join(only) + ".")
    sec["sentences"].append(S.gaps_sentence(list(table.loc[(table["status"] == "gap") & ~england_only, "label"])))
    sec["sources"].extend(shown_datasets(fw, table))  # e.g. local indicators' GVA and museums in Wales
    return True


def nation_percentiles(vals: pd.DataFrame, code: str, framework: Any, *, intervals: Any = None) -> pd.DataFrame:
    """A LAD's percentiles among its nation's LADs (``vals``, from :func:`nation_table`), without peers.

    An indicator fewer than :data:`MIN_NATION_PLACES` of the nation's LADs have is not ranked (its note
    says so); the peer columns are empty (peers are chosen among English LADs). The one producer of the
    within-nation benchmark, for the pack and the web alike.
    """
    nation = NATIONS.get(code[:1], "its nation")
    table = percentiles(vals, place=code, peers=[], framework=framework, intervals=intervals)
    few = table["n_all"] < MIN_NATION_PLACES
    table.loc[few & (table["status"] == "ok"), "note"] = (
        f"Not ranked: fewer than {MIN_NATION_PLACES} local authorities of {nation} have data.")
    table.loc[few, "pct_all"] = np.nan
    table["pct_peers"] = np.nan
    table["n_peers"] = 0
    return table


def _why_not(ind: Any, nation: str, census: str = "the census industry table") -> str:
    """Why an indicator ranked in England has no base in ``nation``: from its data, not a blanket "England only".

    >>> _why_not(None, "Wales")
    'its data have no values for the local authorities of Wales.'
    """
    dataset = getattr(ind, "dataset", None)
    if dataset == kinds.CREATIVE_ENTERPRISES_SIC:
        return ("the counts by SIC class cover English local authorities only; its creative scale and LQs come "
                "from the UK-wide annual series (sections 2 and 3).")
    if dataset == kinds.CENSUS_INDUSTRY:
        return (f"{census} covers England and Wales only; {nation}'s own census is not in the data."
                if nation not in ("England", "Wales") else f"the census table has no rows for {nation}.")
    if dataset == kinds.DEPRIVATION_ENGLAND:
        return f"this is England's index; {nation}'s own deprivation index is in section 5."
    return f"its data have no values for the local authorities of {nation}."


def nation_table(nation_indicators: pd.DataFrame | None, code: str) -> pd.DataFrame | None:
    """The rows of ``code``'s nation (by the first letter of GSS codes), or None."""
    if nation_indicators is None or code not in nation_indicators.index:
        return None
    return nation_indicators[nation_indicators.index.str[:1] == code[:1]]
