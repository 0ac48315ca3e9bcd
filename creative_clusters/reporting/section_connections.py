"""Section 7 of the evidence pack: neighbouring places, clusters nearby and corridors (pure)."""

from __future__ import annotations

import pandas as pd

from creative_clusters import kinds
from creative_clusters.reporting._model import (
    EvidenceInputs,
    PackState,
    _finish,
    _section,
    _table,
    common_names_in,
    uses_series_lqs,
)
from creative_clusters.reporting.formatting import join_and
from creative_clusters.reporting.pack_types import Section
from creative_clusters.reporting.sentences_clusters import corridor_sentence

__all__ = [
    "connections_section",
]


def connections_section(inp: EvidenceInputs, st: PackState) -> Section:
    """Section 7: neighbouring places, detected clusters nearby and corridors (hooks)."""
    sec = _section("connections", 7)
    place = inp.place
    neigh = st.neighbours
    lq = st.lq_table
    if neigh:
        # outside England's counts by SIC class: the annual series' counts and LQs against the UK (as the map)
        series = inp.series_lads if uses_series_lqs(inp) else None
        if series is not None:
            ents = series["businesses"]
            lqs = series["business_lq_uk"]
            heads = [f"Creative enterprises ({series['period'].iloc[0]}, annual series)",
                     "Creative business LQ (UK = 1)"]
        else:
            ents = st.ent_total
            lqs = lq["all"] if lq is not None else pd.Series(dtype=float)
            heads = ["Creative enterprises", "Creative business LQ"]
        beyond = _series_neighbours(inp, [c for c in neigh if pd.isna(ents.get(c)) and pd.isna(lqs.get(c))])
        if beyond is not None:  # beyond England's counts by SIC class: the annual series' count, said so
            ents = pd.concat([ents, beyond["latest"]])
        cl = inp.clusters if inp.clusters is not None else pd.DataFrame(columns=["geo_code", "method", "is_cluster"])
        assessed = set(cl["geo_code"])
        rows = []
        for code in sorted(neigh, key=lambda c: -(lqs.get(c) if pd.notna(lqs.get(c)) else -1)):
            flagged = "not assessed"  # outside the detection methods' places, not "none"
            if code in assessed:
                m = cl[(cl["geo_code"] == code) & cl["is_cluster"].astype(bool)]
                flagged = ", ".join(sorted(set(m["method"]))) or "none"
            rows.append([code, inp.names.get(code, code), ents.get(code), lqs.get(code), flagged])
        notes = (["Not assessed: the cluster detection methods run on England's counts by SIC class."]
                 if any(r[4] == "not assessed" for r in rows) else [])
        if beyond is not None:
            notes.insert(0, _series_neighbours_note(inp, beyond))
            sec["sources"].append(kinds.CREATIVE_ENTERPRISES_SERIES)
        # the datasets of the table's counts and LQs (numerator and denominator), as section 2 cites them
        sec["sources"].extend([kinds.CREATIVE_ENTERPRISES_SERIES if series is not None
                               else kinds.CREATIVE_ENTERPRISES_SIC, kinds.ACTIVE_ENTERPRISES])
        sec["tables"].append(_table(f"Neighbouring local authorities of {place.name}",
                                    ["Code", "Name", *heads, "Cluster under"], rows,
                                    ["text", "text", "int", "num2", "text"], notes))
    elif inp.geometry is None:
        sec["missing"].append("Neighbours need the LAD boundaries (geometry layer lad_2023).")
    elif inp.neighbours is not None:
        sec["sentences"].append(f"No other local authority's boundary comes within 1 km of {place.name}, so it "
                                "has no neighbours to compare with.")
    if inp.clusters is not None and "detail" in inp.clusters.columns:
        cut_off = inp.clusters[inp.clusters["geo_code"].isin(place.members)
                               & (inp.clusters["detail"] == kinds.NO_NEIGHBOUR)]
        if len(cut_off):
            who = sorted({inp.names.get(c, c) for c in cut_off["geo_code"]})
            sec["missing"].append(f"The hot-spot analysis gives no statistic to {' and '.join(who)}: it compares "
                                  "each area with the areas it shares a boundary with, and "
                                  + ("it has none." if len(who) == 1 else "they have none."))
    if inp.clusters is None:
        sec["missing"].append("Cluster detection results are not available: run `creative-clusters clusters` "
                              "(module creative_clusters.clusters) to mark neighbouring clusters.")
    if inp.corridors is not None and len(inp.corridors):
        cor = inp.corridors
        mine = cor[cor["members"].astype(str).apply(lambda m: any(x in m.split(",") for x in place.members))]
        for r in mine.itertuples():
            sec["sentences"].append(corridor_sentence(place.name, common_names_in(str(r.corridor)),
                                                        getattr(r, "detail", "") or ""))
        assessed_any = inp.clusters is not None and inp.clusters["geo_code"].isin(place.members).any()
        if mine.empty and assessed_any:
            sec["sentences"].append(corridor_sentence(place.name, None))
        elif mine.empty:  # outside the detection methods' places: not "no corridor", unknown
            sec["sentences"].append(f"Corridors join neighbouring clusters found by the detection methods, which run "
                                    f"on England's counts by SIC class, so {place.name} is not assessed for one.")
    else:
        sec["missing"].append("Corridors are not available: run `creative-clusters corridors` "
                              "(module creative_clusters.clusters).")
    return _finish(sec, inp.missing.get("connections"))


def _series_neighbours(inp: EvidenceInputs, codes: list[str]) -> pd.DataFrame | None:
    """The rows of the annual series (``latest``, ``latest_period``) for neighbours the counts by SIC class do
    not reach (an English place's Scottish or Welsh neighbours), or None when there are none or no series."""
    s = inp.series_lads
    if not codes or s is None or "latest" not in s.columns:
        return None
    rows = s.loc[[c for c in codes if c in s.index]]
    rows = rows[rows["latest"].notna()]
    return rows if len(rows) else None


def _series_neighbours_note(inp: EvidenceInputs, rows: pd.DataFrame) -> str:
    """Where the counts of neighbours beyond England's counts by SIC class come from, and why they have no LQ.

    >>> from creative_clusters.benchmarking import load_framework
    >>> from creative_clusters.reporting._model import PlaceInfo
    >>> inp = EvidenceInputs(place=PlaceInfo("E12000001", "North East", "rgn"), framework=load_framework(),
    ...                      names={"S12000026": "Scottish Borders"}, enterprises_period="2025")
    >>> _series_neighbours_note(inp, pd.DataFrame({"latest": [235.0], "latest_period": ["2025"]},
    ...                                           index=["S12000026"])).split(",")[0]
    "Scottish Borders: creative enterprises from UK Business Counts' annual series (2025"
    """
    who = join_and([inp.names.get(c, c) for c in rows.index])
    years = sorted(set(rows["latest_period"].astype(str)))
    other = "" if years == [str(inp.enterprises_period)] else f" (the other counts are for {inp.enterprises_period})"
    return (f"{who}: creative enterprises from UK Business Counts' annual series ({', '.join(years)}, all creative "
            f"industries, rounded to 5), which covers every UK local authority{other}; England's counts by SIC "
            "class, which give the other rows' counts and their LQs against England, do not reach "
            f"{'it' if len(rows) == 1 else 'them'}, so there is no LQ against England to show.")
