"""Section 5 of the evidence pack: workforce, inclusion and good work (Census 2021 residents in creative
divisions, deprivation, occupations, the inclusion block) (pure)."""

from __future__ import annotations

import dataclasses

import numpy as np

from creative_clusters import kinds
from creative_clusters.benchmarking.framework import CREATIVE_DIVISIONS
from creative_clusters.indicators.lq import lq_ratio, share_of
from creative_clusters.reporting._model import (
    DIVISION_TITLES,
    EvidenceInputs,
    PackState,
    _finish,
    _section,
    _table,
    latest_source,
)
from creative_clusters.reporting.inclusion_block import inclusion_block
from creative_clusters.reporting.pack_types import Section
from creative_clusters.reporting.sentences_people import (
    census_sentence,
    deprivation_sentence,
    no_deprivation_sentence,
)

__all__ = [
    "deprivation_text",
    "workforce_section",
]


def deprivation_text(inp: EvidenceInputs) -> str:
    """The place on its nation's deprivation index in one sentence, or "" when the index gives it no figure.

    A nation gets none: its index ranks areas within it against each other, so counting its own local
    authorities in its own most deprived tenth says nothing of it.
    """
    dep = inp.deprivation
    if dep is None or inp.place.geo_type == "ctry":
        return ""
    return deprivation_sentence(inp.place.name, dep.index, rank=dep.rank, of=dep.of, share=dep.share_most_deprived,
                                  k=dep.members_most_deprived_decile, n=dep.members_ranked)


def workforce_section(inp: EvidenceInputs, st: PackState) -> Section:
    """Section 5: Census 2021 residents in creative divisions, the people hook, then inclusion and good work
    (:func:`~creative_clusters.reporting.inclusion_block.inclusion_block`) and what the pack cannot show."""
    sec = _section("workforce", 5)
    place = inp.place
    cd = inp.census_divisions
    year = str(latest_source(inp.sources, kinds.CENSUS_INDUSTRY).get("vintage") or "")  # the catalogue's
    census = f"Census {year}".strip()
    if cd is not None:
        pl, ref = cd.place, cd.reference
        rows = []
        for dv in CREATIVE_DIVISIONS:
            if dv not in pl.index:
                continue
            share, rshare = share_of(pl[dv], pl["_T"]) * 100, share_of(ref[dv], ref["_T"]) * 100
            lq = lq_ratio(pl[dv], pl["_T"], ref[dv], ref["_T"])
            rows.append([dv, DIVISION_TITLES.get(dv, dv), pl[dv], share, rshare, None if np.isnan(lq) else lq])
        rows.append(["", "Creative divisions together", cd.total, cd.share, cd.reference_share,
                     lq_ratio(cd.share, 100.0, cd.reference_share, 100.0)])
        st.census_share = cd.share
        sec["sentences"].append(census_sentence(place.name, cd.total, cd.share, cd.reference_share, year=year))
        sec["tables"].append(_table(
            f"Residents in employment in creative industry divisions, {place.name}, {census}",
            ["Division", "Title", "Residents in employment", "Share (%)",
             "Share, England and Wales (%)", "Residence-based LQ"], rows,
            ["text", "text", "int", "pct", "pct", "num2"],
            [f"{census} TS060: residents counted where they live, not where they work. SIC 2007 "
             "divisions only approximate the DCMS creative industries (they include non-creative "
             "activities, e.g. division 62 includes IT facilities management, division 91 historic sites and zoos).",
             f"Only {cd.members_found} of {cd.members} member areas are on the {year} boundaries used by "
             "the census table." if cd.members_found < cd.members else ""]))
        sec["sources"].append(kinds.CENSUS_INDUSTRY)
    elif inp.census is not None and not inp.census.empty:
        outside = {str(m)[:1] for m in place.members} - {"E", "W"}
        if outside:  # TS060 is England and Wales's census; Scotland and Northern Ireland hold their own
            where = " and ".join(sorted({"S": "Scotland", "N": "Northern Ireland"}.get(c, c) for c in outside))
            own = " and ".join(kinds.OTHER_CENSUSES[c] for c in sorted(outside) if c in kinds.OTHER_CENSUSES)
            sec["missing"].append(
                f"{census} TS060 covers England and Wales only; "
                + (f"{where}'s own census" if place.name == where else f"{place.name} is in {where}, whose own census")
                + f" ({own}) publishes its industry tables, which are not in the reference data. Import them in the "
                "same long format to add this section.")
        else:
            sec["missing"].append(f"{census} TS060 has no rows for {place.name} on {year} boundaries.")
    else:
        sec["missing"].append("This pack does not include the Census 2021 industry table (TS060, ONS): import it "
                              "with `creative-clusters data import DIR`.")
    dep = inp.deprivation
    if dep is not None:
        sent = deprivation_text(inp)
        if sent:
            sec["sentences"].append(sent)
            sec["sources"].append(dep.dataset)
        else:
            sec["missing"].append(no_deprivation_sentence(place.name, dep.index, nation=place.geo_type == "ctry",
                                                            group=len(place.members) > 1))
    wf = inp.workforce
    if wf:
        sec["sentences"].extend(wf.get("sentences", []))
        sec["tables"].extend(_table(t["title"], list(t["columns"]), [list(r) for r in t["rows"]],
                                    t.get("formats") or ["text", *["num2"] * (len(t["columns"]) - 1)],
                                    list(t.get("notes", []))) for t in wf.get("tables", []))
        sec["sources"].extend(wf.get("sources", []))
        sec["missing"].extend(wf.get("missing", []))
    elif {str(m)[:1] for m in place.members} <= {"E", "W"}:
        sec["missing"].append(
            "Creative occupations and self-employment by local authority are in the reference data for the "
            "ten Greater Manchester boroughs only. Creative occupations need Census 2021 occupations at 3 digits "
            "(SOC 2020 minor groups) by local authority: Census 2021 TS063 has the 9 major groups only, too "
            "coarse; import a 3-digit table in Nomis CSV layout with `creative-clusters data import-nomis FILE "
            "--nomis-dataset NM_ID` and section 5 then shows it.")
    else:  # TS063/TS066 are England and Wales tables: point to the place's own census instead
        own = " and ".join(v for c, v in sorted(kinds.OTHER_CENSUSES.items())
                           if c in {str(m)[:1] for m in place.members})
        sec["missing"].append(
            "Creative occupations and self-employment by local authority are in the reference data for the ten "
            f"Greater Manchester boroughs only. For {place.name}, they come from {own} (occupation and economic "
            "activity tables), not from the England and Wales tables TS063/TS066; import them "
            "in the same long format.")
    if inp.inclusion is not None:  # inclusion and good work: rendered from the inclusion workflow's results
        # in the pack's one name for the place: the workflow named it before the context settled that name
        # (a travel-to-work area's "Bristol" read as the city: "not Bristol's own", "Bristol's local authorities")
        part = inclusion_block(dataclasses.replace(inp.inclusion, place_name=place.name))
        sec["sentences"].extend(part["sentences"])
        sec["tables"].extend(part["tables"])
        sec["sources"].extend(part["sources"])
        sec["missing"].extend(part["missing"])
    return _finish(sec, inp.missing.get("workforce"))
