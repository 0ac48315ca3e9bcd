"""The evidence pack's context: one plain dict that every renderer uses.

:func:`build_context` is pure: it takes DataFrames (gathered from the
warehouse by :mod:`creative_clusters.workflows.evidence`) and returns a dict
of numbers, generated sentences, tables and figures. Nothing in it is a
hand-written claim about a place; every sentence comes from
:mod:`creative_clusters.reporting.sentences`.

Shape::

    {title, place{code,name,geo_type,members}, subsectors[], headline[{label,value,note}],
     sections[{id, number, title, status, sentences[], tables[{title,columns,rows,formats,notes}],
               figures[{title,alt,svg,png_base64}], missing[], sources[]}],
     sources[{id,title,publisher,vintage,licence,attribution,url}], definitions_version,
     framework_version, caveats[], build_date, generator}

``status`` is ``ok``, ``partial`` (some parts missing, said in ``missing``)
or ``missing`` (nothing to show yet).

**Strongest facts for a bid** (section 1) come from these rules; the pack takes
one fact from each rule that has any, in this order, then a second round, up
to five facts:

1. the creative business LQ is in the top decile of all places (and rests on
   at least :data:`MIN_LQ_ENTERPRISES` creative enterprises);
2. any detection method that flags the place as a cluster;
3. a microcluster in the national top 50 by size;
4. sub-sectors with business LQ >= 1.25 whose 95% interval lies above 1 and
   with at least :data:`MIN_LQ_ENTERPRISES` (50) enterprises (the two strongest);
5. an indicator on which the place ranks first among its peers (dynamism
   indicators first; at most two);
6. the place is in the top decile of places for creative enterprises;

then, if fewer than three facts qualified, the benchmark indicators with the
highest percentile (at least the 75th) among all places.

No fact about a location quotient (rules 1, 4 and LQ indicators in the
fallback) is used when the LQ rests on fewer than 50 enterprises: such LQs
swing widely with a handful of firms.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.benchmarking.peers import business_density, choose_peers, peer_features
from creative_clusters.classifications import dcms
from creative_clusters.errors import ParameterError
from creative_clusters.kinds import vintage_key
from creative_clusters.reporting import sentences as S
from creative_clusters.reporting._model import (
    SECTION_TITLES,
    SUBSECTOR_NAMES,
    EvidenceInputs,
    PlaceInfo,
    _finish,
    _section,
)
from creative_clusters.reporting._sections import (
    _active_latest,
    _benchmark_section,
    _growth_section,
    _scale_section,
    _with_group_row,
)
from creative_clusters.reporting._sections2 import (
    CAVEATS,
    connections_section,
    microclusters_section,
    research_section,
    sources_section,
    workforce_section,
)

__all__ = ["MIN_LQ_ENTERPRISES", "SECTION_TITLES", "EvidenceInputs", "PlaceInfo", "build_context",
           "strongest_facts"]

#: Fewest enterprises an LQ must rest on to be offered as a strongest fact.
MIN_LQ_ENTERPRISES = 50


def _density(inp: EvidenceInputs) -> pd.Series | None:
    """Active enterprises (all industries, latest year) per km² of LAD; the place summed over members."""
    if inp.lad_area_km2 is None or inp.demography is None:
        return None
    active, _ = _active_latest(inp.demography)
    if active.empty:
        return None
    area = inp.lad_area_km2.astype(float)
    mem = [m for m in inp.place.members if m in active.index and m in area.index]
    if inp.place.code not in active.index and mem:
        active = pd.concat([active, pd.Series({inp.place.code: active.loc[mem].sum()})])
        area = pd.concat([area, pd.Series({inp.place.code: area.loc[mem].sum()})])
    return business_density(active, area)


def _choose_peers(inp: EvidenceInputs) -> list[str]:
    ent = inp.enterprises
    if ent is None or ent.empty:
        return list(inp.peers or [])
    wide = _with_group_row(ent.astype(float), inp.place)
    if inp.place.code not in wide.index:
        return list(inp.peers or [])
    feats = peer_features(wide, _density(inp))
    if "density" in feats.columns and not (feats.loc[inp.place.code, "density"] > 0):
        feats = feats.drop(columns="density")  # no area or active count for the place: size/structure only
    if inp.peers:
        return choose_peers(feats, inp.place.code, peers=inp.peers)
    # compare with single LADs only (not other groups); exclude the place's own members
    pool = feats[[(c == inp.place.code) or (c not in inp.place.members and str(c)[:3] in
                  ("E06", "E07", "E08", "E09", "W06", "S12", "N09")) for c in feats.index]]
    try:
        method = "size_structure" if inp.place.is_single else "structure"
        return choose_peers(pool, inp.place.code, k=inp.peer_k, method=method)
    except ParameterError:
        return []


def strongest_facts(st: dict[str, Any], inp: EvidenceInputs) -> list[dict[str, str]]:
    """The 3-5 strongest facts for a bid, by the rules in the module docstring."""
    place = inp.place.name
    facts: list[dict[str, str]] = []
    bench = st.get("benchmark")

    def bench_row(ind: str) -> Any:
        if bench is None:
            return None
        r = bench[bench["indicator_id"] == ind]
        return None if r.empty or r.iloc[0]["status"] != "ok" else r.iloc[0]

    total = st.get("creative_enterprises")
    lq_base_ok = total is not None and not np.isnan(total) and total >= MIN_LQ_ENTERPRISES
    r = bench_row("creative_business_lq")
    if r is not None and r["pct_all"] >= 90 and lq_base_ok:
        facts.append({"rule": "top-decile LQ", "text": S.percentile_sentence(
            place, r["label"], r["pct_all"], int(r["n_all"]), r["pct_peers"],
            int(r["n_peers"]) if r["n_peers"] > 1 else 0)})
    rank, n = st.get("rank_all", (None, 0))
    if rank and n and rank <= max(1, int(np.ceil(n * 0.1))):
        facts.append({"rule": "top-decile size", "text": S.rank_sentence(
            place, rank, n, "creative enterprises", "English local authorities")})
    subs = [x for x in st.get("subsector_lq", []) if not np.isnan(x[1]) and x[1] >= 1.25
            and not np.isnan(x[2]) and x[2] > 1 and not np.isnan(x[4]) and x[4] >= MIN_LQ_ENTERPRISES]
    for name, lq, lo, hi, _c in sorted(subs, key=lambda t: -t[1])[:2]:
        facts.append({"rule": "sub-sector specialisation", "text": S.lq_sentence(
            place, lq, lo, hi, what=f"{name} businesses")})
    if bench is not None:
        ok = bench[(bench["status"] == "ok") & (bench["n_peers"] > 1)]
        top = ok[ok["pct_peers"] == 100.0 * (ok["n_peers"] - 0.5) / ok["n_peers"]]
        top = top.sort_values(["dimension"], key=lambda s: s != "dynamism")
        for r in list(top.itertuples())[:2]:
            facts.append({"rule": "best among peers", "text": S.peer_best_sentence(
                place, int(r.n_peers) - 1, r.label, r.direction)})
    if inp.clusters is not None and len(inp.clusters):
        c = inp.clusters[(inp.clusters["geo_code"] == inp.place.code) & inp.clusters["is_cluster"].astype(bool)]
        for r in c.itertuples():
            facts.append({"rule": "detected cluster", "text": S.cluster_method_sentence(
                place, r.method, True, getattr(r, "detail", "") or "")})
    br = st.get("best_microcluster_rank")
    if br is not None and br <= 50:
        facts.append({"rule": "national microcluster", "text": S.microclusters_sentence(
            place, len(inp.microclusters), None, br, st.get("microclusters_national"))})
    if len(facts) < 3 and bench is not None:
        used = {f["text"] for f in facts}
        ok = bench[(bench["status"] == "ok") & (bench["pct_all"] >= 75)].sort_values("pct_all", ascending=False)
        if not lq_base_ok:
            ok = ok[~ok["indicator_id"].astype(str).str.contains("lq")]
        for r in ok.itertuples():
            if len(facts) >= 3:
                break
            t = S.percentile_sentence(place, r.label, r.pct_all, r.n_all, r.pct_peers,
                                      int(r.n_peers) if r.n_peers > 1 else 0)
            if t not in used:
                facts.append({"rule": "high percentile", "text": t})
    priority = ["top-decile LQ", "detected cluster", "national microcluster", "sub-sector specialisation",
                "best among peers", "top-decile size", "high percentile"]
    rules: dict[str, list[dict[str, str]]] = {r: [] for r in priority}
    for f in facts:
        rules.setdefault(f["rule"], []).append(f)
    chosen: list[dict[str, str]] = []
    for k in range(max((len(v) for v in rules.values()), default=0)):
        for v in rules.values():
            if k < len(v) and len(chosen) < 5:
                chosen.append(v[k])
    order = {id(f): i for i, f in enumerate(facts)}
    return sorted(chosen, key=lambda f: order[id(f)])


def _summary_section(inp: EvidenceInputs, st: dict[str, Any], sections: list[dict[str, Any]]) -> dict[str, Any]:
    sec = _section("summary", 1)
    place = inp.place
    by_id = {s["id"]: s for s in sections}
    for sid in ("scale", "growth", "workforce"):
        if by_id[sid]["sentences"]:
            sec["sentences"].append(by_id[sid]["sentences"][0])
    if "lq_all" in st:
        la = st["lq_all"]
        sec["sentences"].append(S.lq_sentence(place.name, la.get("lq"), la.get("lo"), la.get("hi")))
    if inp.clusters is not None and len(inp.clusters):
        c = inp.clusters[inp.clusters["geo_code"] == place.code]
        if c.empty and len(place.members) > 1:
            m = inp.clusters[inp.clusters["geo_code"].isin(place.members)]
            for method, g in m.groupby("method", sort=False):
                sec["sentences"].append(S.member_clusters_sentence(
                    place.name, int(g["is_cluster"].astype(bool).sum()), len(place.members), method))
            c = m.iloc[0:0]
        if len(c):
            yes = [str(r.method) for r in c.itertuples() if bool(r.is_cluster)]
            no = [str(r.method) for r in c.itertuples() if not bool(r.is_cluster)]
            sec["sentences"].append(S.clusters_summary_sentence(place.name, yes, no))
        if c.empty and not any("creative cluster" in x for x in sec["sentences"]):
            sec["missing"].append("The detection methods give no result for this place.")
    else:
        sec["missing"].append(
            "Whether the place is a cluster under each detection method is not available yet: run "
            "`creative-clusters clusters` (module creative_clusters.clusters).")
    facts = strongest_facts(st, inp)
    sec["facts"] = facts
    if facts:
        sec["tables"].append({"title": "Strongest facts for a bid", "columns": ["Fact", "Rule"],
                              "rows": [[f["text"], f["rule"]] for f in facts], "formats": ["text", "text"],
                              "notes": ["Chosen by fixed rules (see Sources and methods)."]})
    return _finish(sec)


def _headline(st: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    if st.get("creative_enterprises") is not None:
        out.append({"label": "Creative enterprises (March 2025)", "value": S.fmt_int(st["creative_enterprises"]),
                    "raw": float(st["creative_enterprises"]), "note": "UK Business Counts, rounded to 5"})
        out.append({"label": "Share of England's creative enterprises",
                    "value": S.fmt_pct(st["share_england"], 2), "raw": float(st["share_england"]), "note": ""})
    la = st.get("lq_all") or {}
    if la.get("lq") is not None and not np.isnan(la["lq"]):
        out.append({"label": "Creative business location quotient", "value": S.fmt_num(la["lq"]),
                    "raw": float(la["lq"]), "note": f"95% interval {S.fmt_num(la['lo'])} to {S.fmt_num(la['hi'])}"})
    rank, n = st.get("rank_all", (None, 0))
    if rank:
        out.append({"label": "Rank among English local authorities", "value": f"{S.ordinal(rank)} of {n}",
                    "raw": rank, "note": "by creative enterprises"})
    if st.get("census_share") is not None:
        out.append({"label": "Residents in creative divisions (Census 2021)", "value": S.fmt_pct(st["census_share"]),
                    "raw": float(st["census_share"]), "note": "approximate, where people live"})
    return out


def _dataset_ids(names: set[str], catalogue: list[dict[str, Any]]) -> list[str]:
    """Catalogue ids for the names sections cite: an id as it is, a dataset kind as the id of the latest
    dataset of that kind in the catalogue (so a newer import is cited without a code change)."""
    ids = {str(s.get("id")) for s in catalogue}
    latest: dict[str, str] = {}
    for s in sorted(catalogue, key=lambda r: (vintage_key(str(r.get("vintage", ""))), str(r.get("imported_at", "")))):
        if s.get("kind"):
            latest[str(s["kind"])] = str(s["id"])
    return sorted({n if n in ids else latest.get(n, n) for n in names})


def build_context(inputs: EvidenceInputs) -> dict[str, Any]:
    """Build the pack's context dict from gathered inputs (pure; see module docstring).

    Examples
    --------
    >>> from creative_clusters.benchmarking import load_framework
    >>> ent = pd.DataFrame({"film_tv": [50.0, 10.0], "music_arts": [20.0, 40.0]},
    ...                    index=["E09000001", "E09000002"])
    >>> ctx = build_context(EvidenceInputs(place=PlaceInfo("E09000001", "Place A"),
    ...     framework=load_framework(), enterprises=ent, png=False))
    >>> ctx["headline"][0]["value"], ctx["sections"][1]["status"]
    ('70', 'partial')
    """
    inp = inputs
    subs = []
    for s in inp.subsectors:
        subs.append(s if s in SUBSECTOR_NAMES else dcms.subsector_short(dcms.resolve_subsector(s)))
    inp.subsectors = subs
    st: dict[str, Any] = {}
    st["active"], st["active_period"] = _active_latest(inp.demography)
    st["peers"] = _choose_peers(inp)
    scale = _scale_section(inp, st)
    growth = _growth_section(inp, st)
    bench = _benchmark_section(inp, st)
    work = workforce_section(inp, st)
    micro = microclusters_section(inp, st)
    conn = connections_section(inp, st)
    research = research_section(inp, st)
    body = [scale, growth, bench, work, micro, conn, research]
    summary = _summary_section(inp, st, body)
    used = _dataset_ids({d for sec in [summary, *body] for d in sec["sources"]}, inp.sources)
    if inp.geometry is not None:
        used = sorted({*used, *_dataset_ids({"geography_boundaries"}, inp.sources)})
    for sec in [summary, *body]:
        sec["sources"] = _dataset_ids(set(sec["sources"]), inp.sources)
    sources = sources_section(inp, st, used, dcms.DEFINITION_VERSION)
    known = {s["id"]: s for s in inp.sources}
    title_sub = (" — " + ", ".join(SUBSECTOR_NAMES[s] for s in subs)) if subs else ""
    return {
        "title": f"Creative cluster evidence: {inp.place.name}{title_sub}",
        "place": {"code": inp.place.code, "name": inp.place.name, "geo_type": inp.place.geo_type,
                  "members": list(inp.place.members)},
        "subsectors": [{"code": s, "name": SUBSECTOR_NAMES[s]} for s in subs],
        "peers": [{"code": p, "name": inp.names.get(p, p)} for p in st["peers"]],
        "headline": _headline(st),
        "sections": [summary, *body, sources],
        "sources": [{k: known[i].get(k, "") for k in ("id", "title", "publisher", "vintage", "licence",
                                                      "attribution", "source_url")} for i in used if i in known],
        "definitions_version": dcms.DEFINITION_VERSION,
        "framework_version": f"{inp.framework.id} {inp.framework.version}",
        "caveats": list(CAVEATS),
        "build_date": inp.build_date,
        "generator": inp.generator,
    }
