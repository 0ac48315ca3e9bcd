"""Sections 5-9 of the evidence pack: workforce, microclusters and anchors,
connections, research, sources and methods (pure)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.benchmarking.framework import CREATIVE_DIVISIONS
from creative_clusters.reporting import sentences as S
from creative_clusters.reporting._model import (
    DIVISION_TITLES,
    SUBSECTOR_NAMES,
    EvidenceInputs,
    _finish,
    _section,
    _table,
)

__all__ = ["connections_section", "microclusters_section", "research_section",
           "sources_section", "workforce_section"]


def workforce_section(inp: EvidenceInputs, st: dict[str, Any]) -> dict[str, Any]:
    """Section 5: Census 2021 residents in creative divisions, plus the people hook."""
    sec = _section("workforce", 5)
    place = inp.place
    c = inp.census
    if c is not None and not c.empty:
        c = c.copy()
        c["industry_code"] = c["industry_code"].astype(str)
        wide = c.pivot_table(index="geo_code", columns="industry_code", values="value", aggfunc="sum")
        mem = [m for m in place.members if m in wide.index]
        if mem and "_T" in wide.columns:
            pl = wide.loc[mem].sum(min_count=1)
            ref = wide.sum(min_count=1)
            rows = []
            for dv in CREATIVE_DIVISIONS:
                if dv not in wide.columns:
                    continue
                n, share = pl[dv], pl[dv] / pl["_T"] * 100
                rshare = ref[dv] / ref["_T"] * 100
                rows.append([dv, DIVISION_TITLES.get(dv, dv), n, share, rshare, share / rshare if rshare else None])
            tot = float(np.nansum([r[2] for r in rows]))
            share = tot / pl["_T"] * 100
            rshare = float(np.nansum([ref[d] for d in CREATIVE_DIVISIONS if d in ref.index])) / ref["_T"] * 100
            rows.append(["", "Creative divisions together", tot, share, rshare, share / rshare])
            st["census_share"] = share
            st["census_total"] = tot
            sec["sentences"].append(S.census_sentence(place.name, tot, share, rshare))
            partial = len(mem) < len(place.members)
            sec["tables"].append(_table(
                f"Residents in employment in creative industry divisions, {place.name}, Census 2021",
                ["Division", "Title", "Residents in employment", "Share (%)",
                 "Share, England and Wales (%)", "Residence-based LQ"], rows,
                ["text", "text", "int", "pct", "pct", "num2"],
                ["Census 2021 TS060: residents counted where they live, not where they work. SIC 2007 "
                 "divisions only approximate the DCMS creative industries (they include non-creative "
                 "activities, e.g. division 62 includes IT facilities management, division 91 historic sites and zoos).",
                 f"Only {len(mem)} of {len(place.members)} member areas are on the 2021 boundaries used by "
                 "the census table." if partial else ""]))
            sec["sources"].append("census2021_ts060")
        else:
            sec["missing"].append(f"Census 2021 TS060 has no rows for {place.name} on 2021 boundaries.")
    else:
        sec["missing"].append("Census 2021 industry (TS060) is not in the warehouse. Run "
                              "`creative-clusters data import DIR`.")
    wf = inp.workforce
    if wf:
        sec["sentences"].extend(wf.get("sentences", []))
        sec["tables"].extend(wf.get("tables", []))
        sec["sources"].extend(wf.get("sources", []))
        sec["missing"].extend(wf.get("missing", []))
    else:
        sec["missing"].append(
            "Creative occupations, self-employment, pay and job quality are not available for this place. "
            "Import Census 2021 occupation tables with `creative-clusters data fetch census2021_occupation`; "
            "the workforce module (creative_clusters.people) then adds them here.")
    return _finish(sec, inp.missing.get("workforce"))


def _pick_cols(df: pd.DataFrame, wanted: list[str]) -> list[str]:
    return [c for c in wanted if c in df.columns]


def microclusters_section(inp: EvidenceInputs, st: dict[str, Any]) -> dict[str, Any]:
    """Section 6: microclusters (hook) and anchor institutions in the place."""
    sec = _section("microclusters", 6)
    place = inp.place
    mc = inp.microclusters
    if mc is not None:
        n_firms = mc["n_firms"].sum() if "n_firms" in mc.columns and len(mc) else None
        best = int(mc["national_rank"].min()) if "national_rank" in mc.columns and len(mc) else None
        n_nat = inp.microclusters_national
        st["microclusters_national"] = n_nat
        sec["sentences"].append(S.microclusters_sentence(place.name, len(mc), n_firms, best, n_nat))
        st["best_microcluster_rank"] = best
        if len(mc):
            cols = _pick_cols(mc, ["cluster_id", "name", "n_firms", "national_rank", "dominant_subsector",
                                   "hhi", "geo_code", "area_km2"])
            sec["tables"].append(_table(f"Creative microclusters in {place.name}", cols,
                                        mc[cols].values.tolist(),
                                        ["int" if c in ("n_firms", "national_rank") else
                                         ("num2" if c in ("hhi", "area_km2") else "text") for c in cols]))
        sec["sources"].append("microclusters")
    else:
        sec["missing"].append(
            "No microclusters in the warehouse. Detect them from firm locations with "
            "`creative-clusters microclusters` (reference table microclusters).")
    n_hei = n_mus = None
    if inp.hei is not None:
        n_hei = len(inp.hei)
        cols = _pick_cols(inp.hei, ["provider_name", "town", "postcode", "creative_specialist"])
        if n_hei:
            sec["tables"].append(_table(f"Higher-education providers in {place.name}",
                                        [c.replace("_", " ").capitalize() for c in cols],
                                        inp.hei[cols].sort_values(cols[0]).values.tolist() if cols else [],
                                        ["text"] * len(cols),
                                        ["Learning Providers Plus list, about 2015: some names are out of date."]))
        sec["sources"].append("anchors_hei")
    else:
        sec["missing"].append("Higher-education providers are not in the warehouse (dataset anchors_hei).")
    if inp.museums is not None:
        mus = inp.museums
        if "open_2021" in mus.columns:
            mus = mus[mus["open_2021"].astype(bool)]
        n_mus = len(mus)
        cols = _pick_cols(mus, ["name_of_museum", "name", "governance", "subject_matter", "accreditation",
                                "accredited", "year_opened"])
        if n_mus:
            sort_col = cols[0] if cols else None
            rows = (mus.sort_values(sort_col) if sort_col else mus)[cols].values.tolist()
            sec["tables"].append(_table(f"Museums open in 2021 in {place.name}",
                                        [c.replace("_", " ").capitalize() for c in cols], rows,
                                        ["text"] * len(cols),
                                        ["Data from the Mapping Museums project, Birkbeck, University of "
                                         "London (www.mappingmuseums.org), CC BY 4.0."]))
        sec["sources"].append("anchors_museums")
    else:
        sec["missing"].append("Museums are not in the warehouse (dataset anchors_museums).")
    st["n_hei"], st["n_museums"] = n_hei, n_mus
    sec["sentences"].append(S.anchors_sentence(place.name, n_hei, n_mus))
    return _finish(sec, inp.missing.get("microclusters"))


def connections_section(inp: EvidenceInputs, st: dict[str, Any]) -> dict[str, Any]:
    """Section 7: neighbouring places, detected clusters nearby and corridors (hooks)."""
    sec = _section("connections", 7)
    place = inp.place
    neigh = st.get("neighbours") or []
    lq = st.get("lq_table")
    if neigh:
        rows = []
        for code in sorted(neigh, key=lambda c: -(lq.loc[c, "all"] if lq is not None and c in lq.index
                                                  and not np.isnan(lq.loc[c, "all"]) else -1)):
            ent = st.get("ent_total", pd.Series(dtype=float)).get(code)
            v = lq.loc[code, "all"] if lq is not None and code in lq.index else None
            flagged = ""
            if inp.clusters is not None and len(inp.clusters):
                m = inp.clusters[(inp.clusters["geo_code"] == code) & inp.clusters["is_cluster"].astype(bool)]
                flagged = ", ".join(sorted(set(m["method"])))
            rows.append([code, inp.names.get(code, code), ent, v, flagged])
        sec["tables"].append(_table(f"Neighbouring local authorities of {place.name}",
                                    ["Code", "Name", "Creative enterprises", "Creative business LQ",
                                     "Cluster under"], rows, ["text", "text", "int", "num2", "text"]))
    else:
        sec["missing"].append("Neighbours need the LAD boundaries (geometry layer lad_2023).")
    if inp.clusters is None:
        sec["missing"].append("Cluster detection results are not available: run `creative-clusters clusters` "
                              "(module creative_clusters.clusters) to mark neighbouring clusters.")
    if inp.corridors is not None and len(inp.corridors):
        cor = inp.corridors
        mine = cor[cor["members"].astype(str).apply(lambda m: any(x in m.split(",") for x in place.members))]
        for r in mine.itertuples():
            sec["sentences"].append(S.corridor_sentence(place.name, r.corridor, getattr(r, "detail", "") or ""))
        if mine.empty:
            sec["sentences"].append(S.corridor_sentence(place.name, None))
    else:
        sec["missing"].append("Corridors are not available: run `creative-clusters corridors` "
                              "(module creative_clusters.clusters).")
    return _finish(sec, inp.missing.get("connections"))


_BROAD = {"uk", "england", "wales", "scotland", "northern ireland", "great britain", "england and wales"}


def research_section(inp: EvidenceInputs, st: dict[str, Any]) -> dict[str, Any]:
    """Section 8: library entries for the place, its region and nation, and its sub-sectors."""
    from creative_clusters.research.library import format_citation, search_library

    sec = _section("research", 8)
    place = inp.place
    entries = inp.research if inp.research is not None else search_library(place_chain=place.chain)
    subs = set(inp.subsectors)
    chain = {c.lower() for c in place.chain}

    def local(e: Any) -> bool:
        return any(g.lower() in chain and g.lower() not in _BROAD for g in e.geographies)

    def score(e: Any) -> tuple:
        return (not local(e), not (subs & set(e.subsectors)), e.kind != "research",
                -(int(e.date[:4]) if e.date else 0), e.id)

    entries = sorted(entries, key=score)
    rows = []
    for e in entries:
        why = []
        if local(e):
            why.append("covers " + ", ".join(g for g in e.geographies if g.lower() in chain and g.lower() not in _BROAD))
        hit = sorted(subs & set(e.subsectors))
        if hit:
            why.append("sub-sector: " + ", ".join(SUBSECTOR_NAMES.get(h, h) for h in hit))
        rows.append([format_citation(e), "; ".join(e.themes), e.summary,
                     "; ".join(why) or "UK-wide", e.url, "yes" if e.verified else "check before citing"])
    n_local = sum(1 for e in entries if local(e))
    names = [c for c in place.chain if c.lower() not in _BROAD and not c[:1].isdigit() and not c[1:3].isdigit()]
    sec["sentences"].append(S.research_sentence(n_local, len(entries), " or ".join(names[:3]) or place.name))
    sec["tables"].append(_table("Research and data to cite", ["Reference", "Themes", "Summary", "Why relevant",
                                                              "URL", "Verified"], rows, ["text"] * 6,
                                ["Summaries are ours. Entries marked 'check before citing' have details not yet "
                                 "confirmed against the publisher's page."]))
    sec["tables"][-1]["html"] = False  # shown as the reference list in HTML/PDF
    sec["references"] = [{"citation": r[0], "url": r[4], "themes": r[1], "summary": r[2], "why": r[3],
                          "verified": r[5]} for r in rows]
    return _finish(sec, inp.missing.get("research"))


def sources_section(inp: EvidenceInputs, st: dict[str, Any], used: list[str],
                    definitions_version: str) -> dict[str, Any]:
    """Section 9: every dataset used with publisher, vintage, licence, attribution; methods; caveats."""
    sec = _section("sources", 9)
    known = {s["id"]: s for s in inp.sources}
    rows = []
    for sid in used:
        s = known.get(sid)
        if s is None:
            continue
        rows.append([sid, s.get("title", ""), s.get("publisher", ""), s.get("vintage", ""),
                     s.get("licence", ""), s.get("attribution", ""), s.get("source_url", "")])
    sec["tables"].append(_table("Datasets used", ["Dataset", "Title", "Publisher", "Vintage", "Licence",
                                                  "Attribution", "URL"], rows, ["text"] * 7))
    fw = inp.framework
    sec["methods"] = [
        f"Creative industries: DCMS definition {definitions_version} (31 SIC 2007 classes in 9 sub-sectors).",
        "Location quotient: the place's creative share of active enterprises divided by England's; 95% interval "
        "from exact Poisson limits on the place's count, denominators taken as fixed.",
        "Ranks: 1 = most creative enterprises among English local authorities (2023 boundaries).",
        "Peers: nearest local authorities by standardised log size and creative sub-sector shares "
        "(equal weight to size and structure; sub-sector shares only for groups of places), unless given "
        "by the user.",
        f"Benchmark: framework {fw.id} version {fw.version}; percentile = share of places doing worse plus half "
        "of ties (100 = best), direction-aware; gaps are never scored.",
        "Groups of places: counts are summed over member local authorities and ratios recomputed, never averaged.",
        "Sentences are generated from the numbers by fixed templates; none is written by hand.",
    ]
    sec["sentences"] = list(sec["methods"])
    sec["sources"] = list(used)
    return _finish(sec, inp.missing.get("sources"))


CAVEATS = [
    "Small counts: UK Business Counts are rounded to 5, so counts under about 20 are approximate; "
    "location quotients for small sub-sectors have wide intervals.",
    "Rounding and suppression: suppressed cells are shown as missing, never as zero.",
    "England only: creative enterprise counts cover English local authorities; Scotland, Wales and Northern "
    "Ireland have no comparable counts in the reference data.",
    "Mixed denominators: creative counts (March 2025 snapshot) are divided by active enterprises from "
    "Business Demography 2024, a different source and year.",
    "Residence vs workplace: Census 2021 counts people where they live; business counts are where firms are "
    "registered, which for some firms is an accountant's address.",
    "Deprivation indices are not comparable across the four nations.",
]
