"""Section 4 of the evidence pack: the growth-potential benchmark (percentiles among all places and
peers, the peer table, the composite's sensitivity; a place outside England beside its nation) (pure)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from creative_clusters.benchmarking.percentiles import percentiles, sensitivity
from creative_clusters.kinds import LAD_VINTAGE, OTHER_CENSUSES
from creative_clusters.reporting._model import (
    EvidenceInputs,
    PackState,
    PlaceInfo,
    _finish,
    _section,
    _table,
    n_english_lads,
    shown_datasets,
)
from creative_clusters.reporting.charts import percentile_figure
from creative_clusters.reporting.findings import MIN_STRENGTH_COUNT
from creative_clusters.reporting.formatting import (
    fmt_int,
    join_and,
)
from creative_clusters.reporting.nation_benchmark import nation_benchmark, series_peer_table, unrank_group_totals
from creative_clusters.reporting.pack_types import Section
from creative_clusters.reporting.place_findings import aggregate_among_lads
from creative_clusters.reporting.section_scale_areas import _name
from creative_clusters.reporting.section_workforce import deprivation_text
from creative_clusters.reporting.sentences_benchmark import aggregate_caveat, gaps_sentence, percentile_sentence

__all__ = [
    "UNIT_FORMATS",
    "base_note",
]


#: Display format of a benchmark value by its unit (one value, one rounding, in every format).
UNIT_FORMATS = {"%": "pct", "ratio": "num2", "enterprises": "int", "providers": "int", "sub-sectors": "int",
                "jobs": "int", "graduates": "int", "GBP": "num2", "score": "num1", "per 100,000": "num2"}

def base_note(n_lads: int) -> str:
    """How the percentile base is kept on one LAD vintage (see ``workflows.evidence.to_lad_vintage``).

    >>> base_note(296)[:80]
    'One base for every indicator: English local authorities on 2023 boundaries (296)'
    """
    return (f"One base for every indicator: English local authorities on {LAD_VINTAGE} boundaries ({n_lads}). "
            "Counts published on older boundaries are summed for areas merged since; rates published only on "
            "older boundaries are not averaged, so a merged area has no value for them. 'Places with data' "
            "gives the base of each percentile.")


def _found_elsewhere(inp: EvidenceInputs, st: PackState) -> str:
    """Where the pack does describe a place the benchmark cannot rank, naming only content the pack has.

    Sections 2 and 3 are built before the benchmark (``st``, the trajectory); section 5's Census table and
    deprivation sentence come from the inputs that build them. A nation is compared with the UK only.
    """
    nation = st.series_lq_nation.nation if st.series_lq_nation is not None else None
    t = inp.trajectory
    parts = []
    if st.series_lq is not None and st.series_lq.lq is not None:
        parts.append("its scale and business LQ against the UK" + (f" and {nation}" if nation else "") + " are in "
                     "section 2")
    if t is not None and getattr(t, "windows", None):
        areas = ["the UK"] if inp.place.geo_type == "ctry" else [*([t.nation_name] if t.nation_name else []),
                                                                  "the UK"]
        what = "growth and trajectory class" if getattr(t, "trajectory", "") else "growth"
        parts.append(f"its {what} against {join_and(areas)} {'are' if ' and ' in what else 'is'} in section 3")
    five = [*(["its Census workforce (England and Wales)"] if inp.census_divisions is not None else []),
            *([f"its deprivation on the {inp.deprivation.index}"] if deprivation_text(inp) and inp.deprivation
              else [])]
    if five:
        parts.append(f"{join_and(five)} {'are' if len(five) > 1 else 'is'} in section 5")
    if not parts:
        return ""
    text = join_and(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    return " " + text[:1].upper() + text[1:] + "."


def _say_aggregate(sec: Section, inp: EvidenceInputs, table: pd.DataFrame | None) -> None:
    """After the percentiles of an area of several local authorities ranked among single ones, the summary's
    rule (:func:`~creative_clusters.reporting.place_findings.aggregate_among_lads`): they are not like-for-like,
    so not findings. Nothing when no percentile is said."""
    said = [i for i, x in enumerate(sec["sentences"]) if " percentile of " in str(x)]
    if table is None or not said or not aggregate_among_lads(inp.place, table):
        return
    sec["sentences"].insert(said[-1] + 1, aggregate_caveat(inp.place.name, len(inp.place.members)))


def _employment_gap_note(table: pd.DataFrame, text: str) -> None:
    """Add ``text`` to the note of the unranked creative-employment row (where it is a gap)."""
    gap = (table["indicator_id"] == "creative_employment") & (table["status"] == "gap")
    table.loc[gap, "note"] = table.loc[gap, "note"] + text


def _benchmark_section(inp: EvidenceInputs, st: PackState) -> Section:
    sec = _section("benchmark", 4)
    fw, place = inp.framework, inp.place
    vals = inp.indicators
    if vals is None or vals.empty:
        sec["missing"].append("No benchmark indicators could be computed: this pack was built without the datasets "
                              f"{', '.join(fw.datasets)}. Run `creative-clusters data import DIR`.")
        return _finish(sec, inp.missing.get("benchmark"))
    if inp.nation_indicators is not None and nation_benchmark(sec, inp, st, UNIT_FORMATS):
        # outside England, or a group across nations: among the LADs of its nation(s) and the UK's
        _say_aggregate(sec, inp, st.benchmark)
        _own_census(sec, st, place)
        return _finish(sec, inp.missing.get("benchmark"))
    extra = inp.place_indicators
    if place.code not in vals.index and extra is not None and place.code in extra.index:
        # a group of one local authority (a TTWA the lookup represents by one LAD) stands in for that LAD:
        # ranking both would count the same place twice
        alias = [m for m in place.members if m in vals.index] if len(place.members) == 1 else []
        vals = pd.concat([vals.drop(index=alias), extra.loc[[place.code]]])
    if place.code not in vals.index:
        outside = [m for m in place.members if not str(m).startswith("E")]
        if outside and place.geo_type in ("ctry", "rgn") and len(outside) == len(place.members):
            sec["missing"].append(
                f"The growth-potential benchmark ranks local authorities (each one in {place.name} among the local "
                f"authorities of {place.name} and of the UK, in its own pack); {place.name} is one of the UK's "
                "four nations, too few places to rank it among, so there are no percentiles here."
                + _found_elsewhere(inp, st))
        elif outside:
            sec["missing"].append(
                f"The growth-potential benchmark ranks English local authorities on {LAD_VINTAGE} boundaries (its "
                "indicators rest on data published for England), and "
                + (f"{place.name} is" if len(outside) == len(place.members) else
                   f"{len(outside)} of {place.name}'s {len(place.members)} local authorities are")
                + " outside England, so there are no percentiles here." + _found_elsewhere(inp, st))
        else:
            sec["missing"].append(f"No benchmark values for {place.name}: none of the framework's indicators is "
                                  "available for it in the data this pack was built from.")
        return _finish(sec, inp.missing.get("benchmark"))
    all_peers = st.peers
    peers = [p for p in all_peers if p in vals.index]
    table = percentiles(vals, place=place.code, peers=peers, framework=fw, intervals=inp.rate_intervals)
    own = inp.area_profile
    if own is not None and "employment" in own.columns:  # a gap the place's own analysis fills, unranked
        _employment_gap_note(table, f" For {place.name} itself, an ONS analysis gives creative employment of "
                             f"{fmt_int(own['employment'].iloc[-1])} in {own.index[-1]} (section 3); no other "
                             "place has the same analysis, so it is not ranked.")
    if inp.employment is not None:  # BRES by LAD imported: the place's own figures, with their range, in section 2
        _employment_gap_note(table, f" For {place.name} itself, section 2 gives creative workplace employment from "
                             "BRES with the range its rounding and suppression allow; it is not ranked.")
    group_peers = [p for p in all_peers if p not in vals.index and extra is not None and p in extra.index]
    # peers of the same kind (combined authorities, regions, TTWAs): ranked among themselves
    if group_peers and extra is not None:
        pv = pd.concat([vals.loc[[place.code]], extra.loc[group_peers]])
        tp = percentiles(pv, place=place.code, peers=group_peers, framework=fw)
        table[["pct_peers", "n_peers", "tied_peers"]] = tp[["pct_peers", "n_peers", "tied_peers"]].to_numpy()
        peers = group_peers
    if len(place.members) > 1:  # sizes of a group are not comparable with single local authorities
        unrank_group_totals(table, fw, len(place.members), inp.indicator_how, ["pct_all", "pct_peers"])
    gm_occ = (table["indicator_id"] == "creative_occupations_share") & (table["status"] == "gap")
    if gm_occ.any() and inp.workforce and any("creative occupations" in x for x in inp.workforce.get("sentences", [])):
        # section 5 has the place's occupations (the Greater Manchester tables): say why there is no percentile
        table.loc[gm_occ, "note"] = (
            "Section 5 gives this place's residents in creative occupations (as bounds, from the Greater "
            "Manchester tables), but only the ten Greater Manchester boroughs have them: too few places for a "
            "percentile. A Census 2021 occupation table at 3 digits (SOC 2020 minor groups) for every local "
            "authority, imported with `creative-clusters data import-nomis FILE --nomis-dataset NM_ID`, would give one "
            "(TS063's 9 major groups are too coarse).")
    st.benchmark = table
    dims = {d.id: d.title for d in fw.dimensions}
    rows = [[dims[r.dimension], r.label, r.value, r.pct_all, r.pct_peers, r.n_all,
             "gap" if r.status == "gap" else ("higher is better" if r.direction == "higher" else "lower is better"),
             r.note] for r in table.itertuples()]
    if place.is_single:
        compare = "local authorities"
    elif len(place.members) == 1:
        compare = f"local authorities, with {place.name} in place of its one local authority"
    else:
        compare = "local authorities (and this area)"
    sec["tables"].append(_table(
        f"{fw.title} (version {fw.version}), {place.name}",
        ["Dimension", "Indicator", "Value", "Percentile: all places", "Percentile: peers",
         "Places with data", "Direction", "Note"], rows,
        ["text", "text", "auto", "num0", "num0", "int", "text", "text"],
        [fw.method_note, f"All places = {compare} with data for the indicator; 100 = best.",
         base_note(n_english_lads(inp.indicators))]))
    sec["tables"][-1]["cell_formats"] = [["text", "text", UNIT_FORMATS.get(str(r.unit), "num2"), "num0", "num0",
                                          "int", "text", "text"] for r in table.itertuples()]
    ok = table[table["status"] == "ok"]
    # the leading percentiles, as the findings see them: a count under MIN_STRENGTH_COUNT (2 universities)
    # is not led with, whatever its percentile
    additive = {i.id for i in fw.indicators if i.additive}
    small = ok["indicator_id"].isin(additive) & (pd.to_numeric(ok["value"], errors="coerce") < MIN_STRENGTH_COUNT)
    for r in ok[~small].dropna(subset=["pct_all"]).sort_values("pct_all", ascending=False).head(3).itertuples():
        sec["sentences"].append(percentile_sentence(place.name, r.label, r.pct_all, r.n_all,
                                                      r.pct_peers, len(peers) + 1 if peers else 0,
                                                      tied=int(r.tied_all), tied_peers=int(r.tied_peers)))
    _say_aggregate(sec, inp, table)
    gaps = table[table["status"] == "gap"]
    # a gap is "no data yet" only when its source is missing: a place the source has no value for says why (a
    # published 0 base: Isles of Scilly's ten-year growth; an authority created in 2023: North Yorkshire's survival)
    no_value = gaps["note"].astype(str).str.startswith("No value for this place")
    zero = gaps["indicator_id"].map(lambda i: inp.growth_bases.get(str(i)) == 0).astype(bool)
    created = next((m for m in inp.missing.get("growth", []) if f"{place.name} was created in " in m), "")
    for i in gaps.index[zero]:
        table.loc[i, "note"] = ("No value for this place: its base count was published as 0 (0 to 2 enterprises, "
                                "rounded to 5), and no growth rate can be computed from a zero base.")
    for i in gaps.index[no_value & ~zero]:
        if created:
            table.loc[i, "note"] = "No value for this place in the source: " + created.split(". ")[0] + \
                " (section 3 says why its earlier rates are blank)."
    sec["sentences"].append(gaps_sentence(list(gaps.loc[~(no_value | zero), "label"])))
    if (no_value | zero).any():
        k = int((no_value | zero).sum())
        why = []
        if zero.any():
            why.append(f"{join_and(list(gaps.loc[zero, 'label']))} (its base count was published as 0, and no "
                       "growth rate can be computed from it)")
        if (no_value & ~zero).any():
            why.append(f"{join_and(list(gaps.loc[no_value & ~zero, 'label']))} ("
                       + (created.split(". ")[0] + ", and its source has no value for its code yet" if created
                          else "its source has no value for this place") + ")")
        sec["sentences"].append(f"{k} indicator{'s have' if k != 1 else ' has'} no value for {place.name} though "
                                f"{'their sources were' if k != 1 else 'its source was'} imported, and "
                                f"{'are' if k != 1 else 'is'} shown as {'gaps' if k != 1 else 'a gap'}: "
                                + "; ".join(why) + ".")
    choice = inp.peer_choice
    series_peers = series_peer_table(inp)
    if series_peers is not None:  # peers beyond England's counts by SIC class: compared on the annual series
        sec["tables"].append(series_peers)
        beyond = [p for p in all_peers if p not in vals.index]
        if beyond:
            sec["sentences"].append(
                f"{join_and([_name(inp, p) for p in beyond])} {'is' if len(beyond) == 1 else 'are'} outside this "
                f"benchmark's base (English local authorities), so "
                + (f"the peer percentiles rank {place.name} among its {len(peers)} English peers only"
                   if peers else "there are no peer percentiles")
                + "; the table of peers compares every one of them on the UK-wide annual series.")
    elif choice is not None and choice.codes:
        sec["tables"].append(_table(
            f"Peer places of {place.name}", ["Code", "Name", "Creative enterprises", "Distance (0 = identical)"],
            [[p, _name(inp, p), choice.size.get(p), choice.distance.get(p)] for p in choice.codes],
            ["text", "text", "int", "num2"], ["Chosen by the peer rule in Sources and methods."]))
    elif peers:
        sec["tables"].append(_table(f"Peer places of {place.name}", ["Code", "Name", "Creative enterprises"],
                                    [[p, _name(inp, p), st.ent_total.get(p)]
                                     for p in peers], ["text", "text", "int"], ["Peers given by the user."]))
    elif choice is not None:
        sec["missing"].append("No peers could be chosen; the peer rule in Sources and methods says why.")
    else:
        sec["missing"].append("No peers: creative enterprise counts are needed to choose them.")
    sec["figures"].append(percentile_figure(table, place=place.name, png=inp.png))
    if inp.composite:
        res = sensitivity(vals, fw, place.code, n_draws=100, seed=inp.seed)
        sec["sentences"].append(res.note)
        sec["tables"].append(_table("Composite score under alternative weightings", ["Scenario", "Composite", "Rank"],
                                    res.scenarios.values.tolist(), ["text", "num1", "int"],
                                    [f"Rank out of {res.n_places}; 1 = best."]))
    sec["sources"].extend(shown_datasets(fw, table))  # the datasets of the values shown, not of the gaps
    return _finish(sec, inp.missing.get("benchmark"))


def _own_census(sec: Section, st: PackState, place: PlaceInfo) -> None:
    """A Scottish or Northern Irish place's benchmark notes: a gap that Census 2021 occupations on Nomis would
    fill (England and Wales only) points to its own nation's census instead, with no Nomis command (Derry's
    "Filling the gaps" offered `data import-nomis`)."""
    own = _other_census(place.members)
    if not own:
        return
    words = (f"No data for this indicator in this pack. Census 2021 occupation tables on Nomis cover England and "
             f"Wales only; for {place.name} they come from {own} (occupation tables by local authority), which "
             "the toolkit does not fetch: import them in the same long format to fill this row.")
    for t in sec["tables"]:
        t["rows"] = [[words if isinstance(v, str) and "import-nomis" in v else v for v in r] for r in t["rows"]]
    b = st.benchmark
    if b is not None and "note" in b.columns:
        hit = b["note"].astype(str).str.contains("import-nomis", regex=False)
        b.loc[hit, "note"] = words


def _other_census(members: Sequence[str]) -> str:
    """The census of the nation(s) outside England and Wales that all of ``members`` are in ("NISRA's Census
    2021"), or ``""`` when any member is in England or Wales.

    >>> _other_census(["N09000005"]), _other_census(["E08000019"])
    ("NISRA's Census 2021", '')
    """
    firsts = {str(m)[:1] for m in members}
    if not firsts or not firsts <= set(OTHER_CENSUSES):
        return ""
    return " and ".join(v for c, v in sorted(OTHER_CENSUSES.items()) if c in firsts)
