"""Section 2 of the evidence pack, the areas in and around the place: the map of the place among its
neighbours, and a group's member local authorities with their concentration (pure)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.geography.place import NATIONS
from creative_clusters.reporting import findings as F
from creative_clusters.reporting._model import (
    SUBSECTOR_NAMES,
    EvidenceInputs,
    PackState,
    _table,
    common_name,
    uses_series_lqs,
)
from creative_clusters.reporting.formatting import (
    _lower_name,
    fmt_num,
    join_and,
)
from creative_clusters.reporting.maps import place_map_figure
from creative_clusters.reporting.pack_types import Section
from creative_clusters.reporting.section_microclusters import BOUNDARY_SOURCE

__all__ = [
    "MAP_SOURCE",
    "MEMBERS_NAMED",
    "TTWA_CODE_PREFIXES",
    "no_value_words",
]


# 2011 travel-to-work areas: England, Wales, Scotland, Northern Ireland, and those across a border
TTWA_CODE_PREFIXES = frozenset({"E30", "W22", "S22", "N12", "K01"})


def _name(inputs: EvidenceInputs, code: str) -> str:
    """A place's name as a table shows it; a combined authority that shares its name with a region (East
    Midlands, North East) says which it is.

    >>> from creative_clusters.benchmarking import load_framework
    >>> from creative_clusters.reporting._model import PlaceInfo
    >>> inp = EvidenceInputs(place=PlaceInfo("E47000013", "East Midlands", "cauth"), framework=load_framework(),
    ...                      names={"E47000013": "East Midlands", "E12000004": "East Midlands"})
    >>> _name(inp, "E47000013"), _name(inp, "E12000004")
    ('East Midlands (combined authority)', 'East Midlands')

    A travel-to-work area says so, whether or not a local authority shares its name (most do: Leeds, Milton
    Keynes): one list names its areas one way, not "Oxford (travel-to-work area)" beside plain "Crewe":

    >>> inp = EvidenceInputs(place=PlaceInfo("E30000256", "Reading", "ttwa"), framework=load_framework(),
    ...                      names={"E30000229": "Leeds", "E08000035": "Leeds", "E30000164": "Basingstoke"})
    >>> _name(inp, "E30000229"), _name(inp, "E30000164")
    ('Leeds (travel-to-work area)', 'Basingstoke (travel-to-work area)')
    """
    name = inputs.names.get(code, code)
    if str(code).startswith("E47") and any(str(c).startswith("E12") and n == name for c, n in inputs.names.items()):
        return f"{name} (combined authority)"
    if str(code)[:3] in TTWA_CODE_PREFIXES:
        return f"{name} (travel-to-work area)"
    return name


MAP_SOURCE = f"{BOUNDARY_SOURCE} Creative counts: ONS UK Business Counts."


def _neighbour_map(sec: Section, st: PackState, inp: EvidenceInputs) -> None:
    """Map of the place among its neighbours (diverging LQ shading when there are LQs); the other areas that
    show within its frame are drawn and shaded too, and an area without a value says why in the legend."""
    place = inp.place
    g = inp.geometry
    if g is None or not len(g) or inp.neighbours is None:
        sec["missing"].append("No boundaries for a map. Import the geography files with "
                              "`creative-clusters data import DIR` (layer lad_2023).")
        return
    st.neighbours = list(inp.neighbours)
    if not g["geo_code"].isin([*place.members, *inp.neighbours]).any():
        return
    value_col, reference, source = None, "England", MAP_SOURCE
    values, counts = None, "the counts by SIC class"
    if uses_series_lqs(inp):
        values = inp.series_lads["business_lq_uk"]  # type: ignore[index]
        # outside England's business counts by SIC class (Wales, Scotland, Northern Ireland): the annual
        # series' LQs against the UK, the ones section 2 reports for the place
        value_col, reference, counts = "Creative business LQ", "the UK", "the annual series"
        source = MAP_SOURCE.replace("UK Business Counts.", "UK Business Counts (annual series) and business "
                                    "demography (active enterprises).")
    elif inp.lq is not None:
        value_col, values = "Creative business LQ", inp.lq.lq["all"]
    drawn = g if value_col is None else g.assign(**{value_col: g["geo_code"].map(values)})
    if "geo_name" in drawn.columns:  # labelled with the names people use ("Bristol", not "Bristol, City of")
        drawn = drawn.assign(geo_name=drawn["geo_name"].astype(str).map(common_name))
    sec["figures"].append(place_map_figure(
        drawn, place.members, place=place.name, value_col=value_col, png=inp.png, source=source,
        reference=reference, neighbour_codes=list(inp.neighbours),
        no_value=functools.partial(no_value_words, values, counts=counts)))  # a function that pickles


def no_value_words(values: pd.Series | None, codes: list[str], counts: str) -> str:
    """What a map's legend says of the areas it draws without a value (``codes``), from where ``values`` reach:
    the nations the values cover when the areas lie outside them, else that the value is not published.

    Examples
    --------
    >>> lq = pd.Series({"E06000057": 0.6, "E06000047": 0.5})
    >>> no_value_words(lq, ["S12000026"], "the counts by SIC class")
    'no value: the counts by SIC class cover only England'
    >>> no_value_words(pd.Series({"E06000057": 0.6, "E06000047": None}), ["E06000047"], "the annual series")
    'no value: not published in the annual series'
    """
    have = [] if values is None else values.dropna().index.astype(str).str[:1].unique().tolist()
    covered = [n for k, n in NATIONS.items() if k in have]
    if covered and not any(str(c)[:1] in have for c in codes):
        return f"no value: {counts} cover only {' and '.join(covered)}"
    return f"no value: not published in {counts}"

#: Most members named in the sentence on where a group's concentration lies (the table lists them all).
MEMBERS_NAMED = 5
#: A member's verdict in the members table, by the kind of its specialisation finding.
_MEMBER_VERDICT = {"strength": "above 1 beyond doubt", "weakness": "below 1 beyond doubt"}


def _members_block(inp: EvidenceInputs, sec: Section) -> None:
    """For a group of places: where inside it the concentration lies. Each member local authority's creative
    enterprises and business LQ (of the pack's one focus sub-sector, else all creative industries), judged by the
    findings' own gate, with a sentence naming the members specialised beyond doubt."""
    place, blq = inp.place, inp.lq
    if place.is_single or blq is None:
        return
    members = [m for m in place.members if m in blq.count.index]
    if len(members) < 2:
        return
    col = inp.subsectors[0] if len(inp.subsectors) == 1 and inp.subsectors[0] in blq.count.columns else "all"
    what = "All creative industries" if col == "all" else SUBSECTOR_NAMES[col]
    rows: list[list[Any]] = []
    sure: list[tuple[float, str]] = []
    for m in members:
        c, lq = float(blq.count.loc[m, col]), float(blq.lq.loc[m, col])
        lo, hi = float(blq.lo.loc[m, col]), float(blq.hi.loc[m, col])
        name = _name(inp, m)
        kind = F.specialisation_finding(name, what, lq=lq, lo=lo, hi=hi, count=c, source="").kind
        rows.append([name, m, c, lq, lo, hi, _MEMBER_VERDICT.get(kind, "cannot tell")])
        if kind == "strength":
            sure.append((lq, f"{name} (LQ {fmt_num(lq)})"))
    rows.sort(key=lambda r: -float(r[3]) if np.isfinite(r[3]) else np.inf)  # highest LQ first, no LQ last
    subject = "the creative industries" if col == "all" else _lower_name(what)
    # "the Bristol travel-to-work area", not "Bristol" beside the Bristol local authority
    label = f"the {place.label}" if place.geo_type == "ttwa" else place.label
    if sure:
        names = [t for _, t in sorted(sure, reverse=True)]
        who = "the local authority" if len(sure) == 1 else f"the {len(sure)} local authorities"
        listed = (join_and(names) if len(names) <= MEMBERS_NAMED else
                  f"led by {join_and(names[:MEMBERS_NAMED])}; the table lists all {len(names)}")
        sec["sentences"].append(f"Within {label}, {who} with a concentration of {subject} above England's "
                                f"beyond doubt {'is' if len(sure) == 1 else 'are'} {listed}.")
    else:
        sec["sentences"].append(f"No local authority of {label} has a concentration of {subject} above "
                                "England's beyond doubt.")
    sec["tables"].append(_table(
        f"{what}: the local authorities of {label}, March {inp.enterprises_period}",
        ["Local authority", "Code", "Enterprises", "Business LQ", "LQ 95% low", "LQ 95% high", "Against England"],
        rows, ["text", "text", "int", "num2", "num2", "num2", "text"],
        ["Each local authority's creative enterprises (UK Business Counts, rounded to 5) over its active "
         "enterprises, against England's; judged by the same gate as the findings (at least 10 enterprises, the "
         "interval clear of 1 even at the edge of the count's rounding)."]))

