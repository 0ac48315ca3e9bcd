"""Section 4 for a local authority outside England: the benchmark within its nation and across the UK.

The percentiles (within the nation, and across the UK on the indicators whose
data reach all four nations and compare across them) and the notes saying why an
indicator is not ranked come from
:func:`creative_clusters.benchmarking.nations.nation_percentiles`, as the web's
do; this module only renders the table and its sentences. The findings in the
summary use the UK-wide percentile where there is one (a base of several hundred
local authorities), else the nation's when its base is large enough
(:data:`creative_clusters.reporting.findings.MIN_PLACES`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.benchmarking.nations import nation_percentiles
from creative_clusters.geography.place import nations_in
from creative_clusters.reporting._model import EvidenceInputs, PackState, _table, shown_datasets, source_label
from creative_clusters.reporting.pack_types import Section, Table
from creative_clusters.reporting.sentences_benchmark import gaps_sentence, percentile_sentence, ranked_base

__all__ = ["UK_BASE", "elsewhere_words", "nation_benchmark", "series_peer_table", "uk_base_words",
           "unrank_group_totals"]

#: The words for the UK-wide base of a percentile.
UK_BASE = "local authorities of the UK"


def nation_benchmark(sec: Section, inp: EvidenceInputs, st: PackState, unit_formats: dict[str, str]) -> bool:
    """Fill ``sec`` with the place's percentiles among its nation's LADs; False when there is no such base.

    Sets ``st.benchmark`` (the percentile table, as in England) and
    ``st.benchmark_base`` (the words for the base, e.g. "Welsh local authorities").
    """
    vals, place, fw = inp.nation_indicators, inp.place, inp.framework
    if vals is None or place.code not in vals.index:
        return False
    nation = nations_in(place.members)  # "Wales"; "England and Wales" for a group across nations
    table = nation_percentiles(vals, place.code, fw, uk=inp.uk_indicators, intervals=inp.rate_intervals,
                               source_names=source_names(inp.sources), notes=inp.nation_notes, nation=nation,
                               names=inp.names)
    group = len(place.members) > 1  # a group of the nation's LADs: one row beside them (a group of one is its LAD)
    if group:
        unrank_group_totals(table, fw, len(place.members), inp.indicator_how,
                            ["pct_all", "pct_all_min", "pct_all_max", "pct_uk", "pct_uk_min", "pct_uk_max"])
    elsewhere = table["elsewhere_only"]
    base = f"local authorities of {nation}"
    st.benchmark = table
    st.benchmark_base = base
    n_lads = len(vals) - (1 if group else 0)
    uk_rows = table[table["pct_uk"].notna()]
    n_uk = int(uk_rows["n_uk"].max()) - (1 if group else 0) if len(uk_rows) else 0  # LADs, the group aside
    lq = table.loc[table["indicator_id"] == "creative_business_lq", "value"]
    own_lq = ", its business LQ from its own summed counts" if len(lq) and pd.notna(lq.iloc[0]) else ""
    how = (f" as one area ({len(place.members)} local authorities: counts summed, rates weighted by their bases"
           f"{own_lq}), ranked" if group else "")
    sec["sentences"].append(f"{place.name} is benchmarked{how} {base_words(n_lads, nation, len(uk_rows), n_uk)}. "
                            + england_words(int(table["england_only"].sum()))
                            + series_words(nation, bool(inp.nation_notes)))
    dims = {d.id: d.title for d in fw.dimensions}
    rows = [[dims[r.dimension], r.label, r.value, r.pct_all, r.n_all, r.pct_uk, r.n_uk if r.n_uk else float("nan"),
             "gap" if r.status == "gap" else ("higher is better" if r.direction == "higher" else "lower is better"),
             r.note] for r in table.itertuples()]
    t = _table(f"{fw.title} (version {fw.version}) within {nation} and across the UK, {place.name}",
               ["Dimension", "Indicator", "Value", f"Percentile in {nation}", "Places with data",
                "Percentile in the UK", "UK places with data", "Direction", "Note"], rows,
               ["text", "text", "auto", "num0", "int", "num0", "int", "text", "text"],
               [f"Each indicator is shown as a percentile rank among the {base}, and among the {UK_BASE} where its "
                "data reach all four nations and compare across them (no peer column: the benchmark's indicators for "
                "peers are ranked in England's base; peers are compared in the table of peers, where there are "
                "any), with \"better\" always high. Indicators without data are gaps: they are "
                "listed, never scored as zero.",
                f"Places = the {base} (UK places: the {UK_BASE})" + (f" and {place.name} itself" if group else "")
                + " on the benchmark's boundaries with data for the indicator; 100 = best. A UK percentile is left "
                "empty where the indicator's data do not reach all four nations, or where its publisher says they "
                "do not compare between them (the note says so)."])
    t["cell_formats"] = [["text", "text", unit_formats.get(str(r.unit), "num2"), "num0", "int", "num0", "int",
                          "text", "text"] for r in table.itertuples()]
    sec["tables"].append(t)
    ok = table[(table["status"] == "ok") & table["pct_all"].notna()]
    for r in ok.sort_values("pct_all", ascending=False).head(3).itertuples():
        sec["sentences"].append(percentile_sentence(place.name, r.label, r.pct_all, int(r.n_all),
                                                      tied=int(r.tied_all), places=ranked_base(base, int(r.n_all),
                                                                                               place)))
    for r in uk_rows.sort_values("pct_uk", ascending=False).head(3).itertuples():
        sec["sentences"].append(percentile_sentence(place.name, r.label, r.pct_uk, int(r.n_uk),
                                                      tied=int(r.tied_uk), places=ranked_base(
                                                          uk_base_words(r.uk_base_note), int(r.n_uk), place)))
    only = list(table.loc[elsewhere, "label"])
    if only:
        sec["sentences"].append(elsewhere_words(only, nation))
    sec["sentences"].append(gaps_sentence(list(table.loc[(table["status"] == "gap") & ~elsewhere, "label"])))
    sec["sources"].extend(shown_datasets(fw, table))  # e.g. local indicators' GVA and museums in Wales
    peers = series_peer_table(inp)
    if peers is not None:
        sec["tables"].append(peers)
    elif inp.peer_choice is not None:
        sec["missing"].append("No peers: the peer rule in Sources and methods says why.")
    return True


def series_peer_table(inp: EvidenceInputs) -> Table | None:
    """The place beside its peers on the annual series' measures (``PeerChoice.measures``), or None when the
    peers were not compared on them. The measures and their years are in the column names; the rule is in
    Sources and methods."""
    choice = inp.peer_choice
    m = choice.measures if choice is not None else None
    if choice is None or m is None or not choice.codes:
        return None
    a = m.attrs
    place = inp.place
    rows = [[c, place.name if c == place.code else inp.names.get(c, c), m.at[c, "size"], m.at[c, "lq_uk"],
             m.at[c, "growth"], np.nan if c == place.code else choice.distance.get(c, np.nan)]
            for c in [place.code, *choice.codes] if c in m.index]
    how = "named by the user" if choice.given else "chosen by the peer rule"
    return _table(f"{place.name} beside its peers on the UK-wide annual series",
                  ["Code", "Name", f"Creative enterprises ({a.get('size_year', '')})",
                   f"Business LQ, UK = 1 ({a.get('lq_year', '')})",
                   f"Growth of creative enterprises, % ({a.get('growth_window', '')})", "Distance (0 = identical)"],
                  rows, ["text", "text", "int", "num2", "num1", "num2"],
                  [f"Peers {how}; compared on the measures the annual series has for every UK local authority. "
                   "Creative sub-sector mix is not compared: the counts by sub-sector cover England only (the peer "
                   "rule in Sources and methods)."])


def elsewhere_words(labels: list[str], nation: str) -> str:
    """The indicators England's benchmark ranks that this base does not, and why, in a sentence.

    >>> elsewhere_words(["Adults engaged with the arts (%)"], "Wales")
    "1 indicator is ranked in England but not within Wales, whose local authorities its data do not reach (the \
table's notes say why): Adults engaged with the arts (%)."
    >>> elsewhere_words(["A", "B"], "England and Wales")[:95]
    "2 indicators are ranked in England's own benchmark but not across England and Wales: their data"
    """
    many = len(labels) != 1
    head = f"{len(labels)} indicator{'s are' if many else ' is'}"
    their = "their" if many else "its"
    if "England" in nation:  # a group across nations: the data reach its English members only
        return (f"{head} ranked in England's own benchmark but not across {nation}: {their} data do not reach all "
                "of its nations' local authorities (the table's notes say why): " + "; ".join(labels) + ".")
    return (f"{head} ranked in England but not within {nation}, whose local authorities {their} data do not reach "
            "(the table's notes say why): " + "; ".join(labels) + ".")


def unrank_group_totals(table: pd.DataFrame, fw: Any, n_members: int, how: dict[str, str],
                        columns: list[str]) -> None:
    """A group's totals are shown but not ranked among single local authorities (``columns``: its percentile
    columns set to NaN), and each other value says how it was obtained (in place). The rule of section 4 for
    every group of LADs, in England and in the other nations."""
    additive = {i.id for i in fw.indicators if i.additive}
    size = table["indicator_id"].isin(additive) & (table["status"] == "ok")
    table.loc[size, columns] = np.nan
    table.loc[size, "note"] = (f"Not ranked: a total over {n_members} local authorities is not comparable with "
                               "single ones.")
    for ind, words in how.items():
        hit = (table["indicator_id"] == ind) & ~size & (table["status"] == "ok")
        table.loc[hit, "note"] = (table.loc[hit, "note"].fillna("").astype(str) + " " + words.capitalize()
                                  + ".").str.strip()
        if words.startswith("not computed"):  # a gap because members lack values: said, not "no value"
            gap = (table["indicator_id"] == ind) & (table["status"] == "gap")
            table.loc[gap, "note"] = [" ".join(x for x in (str(n).strip(), words.capitalize() + ".")
                                               if x and not x.startswith("No value for this place"))
                                      for n in table.loc[gap, "note"].fillna("")]


def source_names(sources: list[dict[str, Any]]) -> dict[str, str]:
    """Dataset kind -> the reader's name of its table (catalogue title), for the benchmark's notes.

    >>> source_names([{"id": "census_ts060", "kind": "census_industry", "vintage": "2021",
    ...                "title": "Census 2021 TS060: industry by LAD"}])
    {'census_industry': 'Census 2021 TS060'}
    >>> source_names([])
    {}
    """
    names = {k: source_label(sources, k) for k in (kinds.CENSUS_INDUSTRY,)}
    return {k: v for k, v in names.items() if v != k}


def base_words(n_nation: int, nation: str, n_indicators_uk: int, n_uk: int) -> str:
    """The bases a LAD outside England is ranked on, in words (the pack's section 4 and the web's note).

    >>> base_words(22, "Wales", 8, 361)
    "among the 22 local authorities of Wales, and among the UK's 361 local authorities on the 8 indicators \
whose data reach all four nations and compare across them"
    >>> base_words(22, "Wales", 0, 0)
    'among the 22 local authorities of Wales'
    """
    out = f"among the {n_nation} local authorities of {nation}"
    if n_indicators_uk:
        out += (f", and among the UK's {n_uk} local authorities on the {n_indicators_uk} indicator"
                f"{'s' if n_indicators_uk != 1 else ''} whose data reach all four nations and compare across them")
    return out


def series_words(nation: str, ranked: bool) -> str:
    """Where a LAD outside England's creative scale comes from, and whether it is ranked on it.

    >>> series_words("Wales", True)
    'Its creative enterprises and business LQ against the UK are ranked on the UK-wide annual series, the \
figures of sections 2 and 3, for every local authority of each ranking.'
    """
    if ranked:
        return ("Its creative enterprises and business LQ against the UK are ranked on the UK-wide annual series, "
                "the figures of sections 2 and 3, for every local authority of each ranking.")
    return (f"Its creative scale and business LQs against the UK and {nation} come from the UK-wide annual series "
            "(sections 2 and 3).")


def england_words(n_england_only: int) -> str:
    """Why England's base is not the place's: what England's places are also ranked on (a sentence, or "").

    >>> england_words(5)
    "England's local authorities are also ranked on 5 indicators published for England only. "
    >>> england_words(0)
    ''
    """
    if not n_england_only:
        return ""
    return (f"England's local authorities are also ranked on {n_england_only} indicator"
            f"{'s' if n_england_only != 1 else ''} published for England only. ")


def uk_base_words(note: Any) -> str:
    """The words for a UK percentile's base: :data:`UK_BASE`, or, where the indicator's base is not every UK
    local authority (``uk_base_note``), those with a value.

    >>> uk_base_words(""), uk_base_words("UK base: the 357 of 361 ...")
    ('local authorities of the UK', 'local authorities of the UK with a value (see the table)')
    """
    return f"{UK_BASE} with a value (see the table)" if isinstance(note, str) and note else UK_BASE
