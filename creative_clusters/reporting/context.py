"""The evidence pack's context: one plain dict that every renderer uses.

:func:`build_context` is pure: it takes DataFrames (gathered from the
warehouse by :mod:`creative_clusters.workflows.evidence`) and returns a dict
of numbers, generated sentences, tables and figures. Nothing in it is a
hand-written claim about a place; every sentence comes from a template in the
``sentences_*`` modules of :mod:`creative_clusters.reporting` (numbers written
by :mod:`creative_clusters.reporting.formatting`).

Shape::

    {title, place{code,name,geo_type,members}, subsectors[], headline[{label,value,note}],
     sections[{id, number, title, status, sentences[], tables[{title,columns,rows,formats,notes}],
               figures[{title,alt,svg,png_base64}], missing[], sources[]}],
     sources[{id,title,publisher,vintage,licence,attribution,url}], definitions_version,
     framework_version, caveats[], build_date, generator}

``status`` is ``ok``, ``partial`` (some parts missing, said in ``missing``)
or ``missing`` (nothing to show yet).

**Key findings** (section 1) are typed :class:`~creative_clusters.reporting.findings.Finding`
objects built by :func:`place_findings` from the sections' statistics, gated by their
intervals and counts and ranked by salience (rules in
:mod:`creative_clusters.reporting.findings`): strengths, weaknesses, and the
inconclusive findings with why. A SWOT scaffold takes its strengths and
weaknesses from them; opportunities and threats are marked prompts.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.benchmarking.peers import business_density, choose_peers, peer_features
from creative_clusters.classifications import dcms
from creative_clusters.errors import ParameterError
from creative_clusters.reporting import findings as F
from creative_clusters.reporting._model import (
    ARTICLE_NAMES,
    SECTION_TITLES,
    SUBSECTOR_NAMES,
    EvidenceInputs,
    PackState,
    PlaceInfo,
    _finish,
    _section,
    _table,
    common_name,
    latest_source,
    source_label,
    uses_series_lqs,
    with_articles,
)
from creative_clusters.reporting.baseline import baseline_table
from creative_clusters.reporting.formatting import (
    SHARE_DIGITS,
    ZERO_COUNT,
    ZERO_SHARE,
    fmt_int,
    fmt_num,
    fmt_pct,
    join_and,
    joint_ordinal,
)
from creative_clusters.reporting.nation_benchmark import UK_BASE
from creative_clusters.reporting.pack_types import Headline, PackContext, Section, SourceRecord
from creative_clusters.reporting.place_findings import (
    aggregate_among_lads,
    define_rule_in_neighbours,
    leads_follow_findings,
    more_methods,
    place_findings,
    point_only_rows,
    rule_name,
    rules_brief_words,
)
from creative_clusters.reporting.section_benchmark import _benchmark_section
from creative_clusters.reporting.section_connections import connections_section
from creative_clusters.reporting.section_growth import _growth_section
from creative_clusters.reporting.section_microclusters import microclusters_section
from creative_clusters.reporting.section_research import research_section
from creative_clusters.reporting.section_scale import _active_latest, _bd_year, _scale_section, _with_group_row
from creative_clusters.reporting.section_sources import dataset_record, pack_caveats, sources_section
from creative_clusters.reporting.section_workforce import workforce_section
from creative_clusters.reporting.sentences_clusters import clusters_summary_sentence, member_clusters_sentence
from creative_clusters.reporting.sentences_summary import bid_case_sentence, members_sentence, more_findings_sentence

__all__ = ["SECTION_TITLES", "EvidenceInputs", "PlaceInfo", "build_context", "figure_articles", "place_findings"]


def _density(inp: EvidenceInputs) -> pd.Series | None:
    """Active enterprises (all industries, latest year) per km² of LAD; the place summed over members."""
    if inp.lad_area_km2 is None or inp.demography is None:
        return None
    active = inp.active_latest if inp.active_latest is not None else _active_latest(inp.demography)[0]
    if active.empty:
        return None
    area = inp.lad_area_km2.astype(float)
    mem = [m for m in inp.place.members if m in active.index and m in area.index]
    if inp.place.code not in active.index and mem:
        active = pd.concat([active, pd.Series({inp.place.code: active.loc[mem].sum()})])
        area = pd.concat([area, pd.Series({inp.place.code: area.loc[mem].sum()})])
    return business_density(active, area)


def _choose_peers(inp: EvidenceInputs) -> list[str]:
    if inp.peer_choice is not None:  # chosen in workflows (same kind and nation), with distances
        return list(inp.peer_choice.codes)
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



def _kind_in_title(place: PlaceInfo) -> str:
    """What kind of place a title names where a name alone is ambiguous: the West Midlands combined
    authority and the West Midlands region share their name.

    >>> _kind_in_title(PlaceInfo("E47000007", "West Midlands", "cauth", ["a", "b"])), _kind_in_title(
    ...     PlaceInfo("E12000005", "West Midlands", "rgn", ["a", "b"]))
    (' (combined authority)', ' (region)')
    """
    if place.geo_type == "cauth":
        if place.name.endswith(("Combined Authority", "Combined County Authority")):  # its official name says it
            return ""
        return " (corporate joint committee)" if place.code.startswith("W42") else " (combined authority)"
    return " (region)" if place.geo_type == "rgn" else ""


#: Tables whose second column is running text (a finding's claim), not a name.
_CLAIM_TABLES = ("Key findings", "SWOT")


#: The text fields of a finding as the section keeps it (``sec["findings"]``), which the renderers print.
_FINDING_TEXT = ("claim", "uncertainty", "comparison", "so_what")


def _articles(sec: Section, names: tuple[str, ...] = ARTICLE_NAMES) -> None:
    """"The North East had ...": names that take "the" get it in the section's running text (sentences,
    gaps, the findings as the renderers print them, table titles and notes, the text cells of the findings
    tables, figure titles and alt text); table cells that are names stay as they are."""
    sec["sentences"] = [with_articles(x, names) for x in sec["sentences"]]
    sec["missing"] = [with_articles(x, names) for x in sec["missing"]]
    for t in sec["tables"]:
        t["title"] = with_articles(str(t["title"]), names)
        t["notes"] = [with_articles(n, names) for n in t["notes"]]
        if str(t["title"]).startswith(_CLAIM_TABLES):
            t["rows"] = [[r[0], *(with_articles(v, names) if isinstance(v, str) else v for v in r[1:])]
                         for r in t["rows"]]
    for items in (sec.get("findings") or {}).values():
        for item in items:
            for k in _FINDING_TEXT:
                if isinstance(item.get(k), str):
                    item[k] = with_articles(item[k], names)
    _figure_articles(sec, names)


def _figure_articles(sec: Section, names: tuple[str, ...]) -> None:
    for f in sec.get("figures", []):
        f["title"] = with_articles(str(f.get("title", "")), names)
        if isinstance(f.get("alt"), str):
            f["alt"] = with_articles(f["alt"], names)


def _article_names(name: str, geo_type: str) -> tuple[str, ...]:
    """The names that take "the" in a pack: :data:`ARTICLE_NAMES` and a travel-to-work area's own name."""
    return (*ARTICLE_NAMES, *([name] if geo_type == "ttwa" else []))


def figure_articles(ctx: PackContext) -> None:
    """Put "the" before the names that take it in every figure's title and alt text of a built context, in
    place (as :func:`build_context` does for the rest of the text).

    A figure drawn by a :class:`~creative_clusters.reporting.figure_worker.FigureWorker` is a placeholder with
    no text until :meth:`~creative_clusters.reporting.figure_worker.FigureWorker.collect` fills it, after the
    context is built: call this then ("Map of North East (outlined in black)" in the PDF's caption otherwise).
    Idempotent: a name already after "the" is left alone.

    Examples
    --------
    >>> ctx = {"place": {"name": "Bristol travel-to-work area", "geo_type": "ttwa"},
    ...        "sections": [{"figures": [{"title": "LQs, North East", "alt": "Map of Bristol travel-to-work area."}]}]}
    >>> figure_articles(ctx); figure_articles(ctx)
    >>> f = ctx["sections"][0]["figures"][0]
    >>> f["title"], f["alt"]
    ('LQs, the North East', 'Map of the Bristol travel-to-work area.')
    """
    place = ctx.get("place") or {}
    names = _article_names(str(place.get("name", "")), str(place.get("geo_type", "")))
    for sec in ctx.get("sections", []):
        _figure_articles(sec, names)


SWOT_PROMPTS = {
    "Opportunity": ["[For the bid team] Which funded programmes, investments or sector-plan priorities "
                    "(e.g. the Creative Places Growth Fund) could the cluster use?",
                    "[For the bid team] Which sub-sectors not yet served by existing clusters could it widen the "
                    "programme into?"],
    "Threat": ["[For the bid team] What could hold the cluster back (skills shortages, space, finance, "
               "competition from larger clusters nearby)?"],
}


def _lq_years(inp: EvidenceInputs) -> tuple[str, str]:
    """The years of the pack's headline LQ: its creative count's and its active-enterprise denominator's.

    Outside England's counts by SIC class the LQs come from the annual series, whose count and denominator are
    of one year.
    """
    if uses_series_lqs(inp):
        year = str((inp.series_scale or {}).get("period") or "")
        if year:
            return year, year
    return inp.enterprises_period, _bd_year(inp)


def _census_name(inp: EvidenceInputs) -> str:
    """The census the pack's workforce figures come from, named by the catalogue's vintage ("" without one)."""
    year = str(latest_source(inp.sources, kinds.CENSUS_INDUSTRY).get("vintage") or "")
    return f"Census {year}" if year else ""


def _interval_includes_one(r: Any) -> str:
    """Why a threshold rule's flag rests on its point estimate only (a row of ``point_only_rows``)."""
    return f"its business LQ's 95% interval, {fmt_num(float(r.lq_lower))} to {fmt_num(float(r.lq_upper))}, includes 1"


def _summary_section(inp: EvidenceInputs, st: PackState, sections: list[Section]) -> Section:
    sec = _section("summary", 1)
    place = inp.place
    if len(place.members) > 1 or (place.geo_type == "ttwa" and place.members):
        sec["sentences"].append(members_sentence(place.label, [inp.names.get(m, m) for m in place.members],
                                                   place.geo_type, rule=place.member_rule))
    if inp.clusters is not None and len(inp.clusters):
        c = inp.clusters[inp.clusters["geo_code"] == place.code]
        if c.empty and len(place.members) > 1:
            m = inp.clusters[inp.clusters["geo_code"].isin(place.members)]
            order = {code: k for k, code in enumerate(place.members)}
            # a member flagged on its point estimate only is no cluster here, as in its own pack
            shaky = point_only_rows(m)
            shaky_keys = set(zip(shaky["method"].astype(str), shaky["geo_code"].astype(str), strict=True))
            # each method's flagged members by name (in the place's order), so the reader can tell who
            per_method = [(str(method), [inp.names.get(x, x) for x in sorted(
                              (x for x in g.loc[g["is_cluster"].astype(bool), "geo_code"].astype(str)
                               if (str(method), x) not in shaky_keys), key=lambda x: order.get(x, 0))])
                          for method, g in m.groupby("method", sort=False)]
            sec["sentences"].append(member_clusters_sentence(place.name, len(place.members), per_method))
            for r in shaky.itertuples():
                sec["sentences"].append(
                    f"{inp.names.get(str(r.geo_code), str(r.geo_code))} meets the {r.method} on its point estimate "
                    f"only: {_interval_includes_one(r)}, so it is not counted as a cluster here.")
            # the rules named, in brief (the threshold rule when named, the US Cluster Mapping rule too): the
            # methods define them, once
            brief = rules_brief_words(inp.clusters, place.members,
                                      threshold=bool(m["method"].eq(rule_name(inp.clusters, place.members)).any()))
            if brief:
                sec["sentences"].append(brief)
        elif len(c):
            yes = [str(r.method) for r in c.itertuples() if bool(r.is_cluster)]
            no = [str(r.method) for r in c.itertuples() if not bool(r.is_cluster)]
            doubt = {str(r.method): _interval_includes_one(r) for r in point_only_rows(c).itertuples()}
            sec["sentences"].append(clusters_summary_sentence(place.name, yes, no, doubt))
            brief = rules_brief_words(inp.clusters, [place.code],
                                      threshold=bool(c["method"].eq(rule_name(inp.clusters, [place.code])).any()))
            if brief:
                sec["sentences"].append(brief)
        elif uses_series_lqs(inp):
            sec["sentences"].append(
                f"{place.name} is not assessed as a cluster: the detection methods run on the creative enterprise "
                "counts by SIC class, which cover English local authorities only; its concentration against the UK "
                "and its nation is in section 2.")
        else:
            sec["missing"].append("The detection methods give no result for this place.")
    else:
        sec["missing"].append(
            "Whether the place is a cluster under each detection method is not available yet: run "
            "`creative-clusters clusters` (module creative_clusters.clusters).")
    found = place_findings(st, inp)
    for f in found:  # a dataset kind is cited as the catalogue dataset that serves it
        f.source = ", ".join(_dataset_ids({s.strip() for s in f.source.split(",") if s.strip()}, inp.sources))
    ranked = F.rank_findings(found)
    st.findings = ranked
    strengths, weaknesses, unsure = ranked["strength"][:5], ranked["weakness"][:3], ranked["inconclusive"][:4]
    # the findings table lists every finding: each one's datasets are cited in Sources and methods
    sec["sources"].extend(x.strip() for f in found for x in f.source.split(",") if x.strip())
    sec["findings"] = {k: [dict(vars(f)) for f in v] for k, v in (("strength", strengths),
                                                                    ("weakness", weaknesses), ("inconclusive", unsure))}
    seen: set[str] = set()
    for item in (x for v in sec["findings"].values() for x in v):  # the same bid guidance is given once
        note = item.get("so_what") or ""
        # a modest (small) one after the first is said in short, with its own LQ (count), whatever that is: the
        # same caution in the same words, where the full note told two LQs that round alike from the rest
        key = next((k for k in F.SCALE_NOTES if note.startswith(k)), note)
        if key in seen:
            item["so_what"] = F.repeated_note(note)
        seen.add(key)
    sec["sentences"].append(bid_case_sentence(place.name, [f.topic for f in strengths],
                                                [f.topic for f in weaknesses], [f.topic for f in unsure]))
    more = {k: len(ranked[k]) - len(v) for k, v in (("strength", strengths), ("weakness", weaknesses),
                                                    ("inconclusive", unsure))}
    sec["sentences"].append(more_findings_sentence(more))
    sec["sentences"].append(_unmeasured_focus_sentence(inp))
    bench, base_words = st.benchmark, str(st.benchmark_base or "")
    aggregate = bench is not None and aggregate_among_lads(place, bench)  # said below, for every base at once
    if bench is not None and len(bench) and base_words and "n_all" in bench and not aggregate:
        n_base = int(pd.to_numeric(bench["n_all"], errors="coerce").max() or 0)
        n_uk = int(pd.to_numeric(bench.get("n_uk", pd.Series(dtype=float)), errors="coerce").max() or 0)
        if 0 < n_base < F.MIN_PLACES:  # e.g. the 22 local authorities of Wales
            sec["sentences"].append(
                f"Its percentiles among the {n_base} {base_words} are in section 4 but are not findings here: a "
                f"strength or weakness from a percentile needs a base of at least {F.MIN_PLACES} places"
                + (f"; its percentiles among the {n_uk} {UK_BASE}, on the indicators whose data reach all four "
                   "nations and compare across them, are." if n_uk >= F.MIN_PLACES else "."))
    if aggregate:
        sec["sentences"].append(
            f"Its percentiles in section 4 rank {place.name}, an area of {len(place.members)} local authorities, "
            f"among single local authorities; they are not findings here: an aggregate is smoother than any one "
            "of its parts, so its rank among them is not like-for-like.")
    rows = [f.as_row() for k in ("strength", "weakness", "inconclusive") for f in ranked[k]]  # every finding
    for r in rows:  # the dataset by its name; its id, title and checksum are in Sources and methods
        r[4] = ", ".join(source_label(inp.sources, x.strip()) for x in str(r[4]).split(",") if x.strip())
    if rows:
        sec["tables"].append({"title": "Key findings, ranked", "columns": ["Kind", "Finding", "Uncertainty",
                                                                          "Compared with", "Source",
                                                                          "What it means for the bid"],
                              "rows": rows, "formats": ["text"] * 6,
                              "notes": ["Strengths and weaknesses pass the gates in Sources and methods; "
                                        "inconclusive findings do not and must not be cited as strengths."]})
    swot = [["Strength", f.claim, "data"] for f in strengths]
    if not strengths:  # in its quadrant, before the weaknesses; pointing at inconclusive findings only if any
        swot.append(["Strength", "No strength meets the tests of evidence in Sources and methods"
                     + ("; see the inconclusive findings." if ranked.get("inconclusive") else "."), "data"])
    swot += [["Weakness", f.claim, "data"] for f in weaknesses]
    swot += [[q, p, "prompt"] for q, ps in SWOT_PROMPTS.items() for p in ps]
    sec["tables"].append({"title": "SWOT scaffold", "columns": ["Quadrant", "Item", "Basis"], "rows": swot,
                          "formats": ["text"] * 3,
                          "notes": ["Strengths and weaknesses come from the data; opportunities and threats are "
                                    "prompts for the bid team, marked as such."]})
    base = baseline_table(inp, st)
    if base is not None:
        sec["tables"].append(base)
    return _finish(sec)


def _unmeasured_focus_sentence(inp: EvidenceInputs) -> str:
    """The bid's focus named in the summary when no figure can measure it here: a place outside England's
    counts by SIC class has only the annual series, which counts the creative industries as a whole
    ("" when the focus is measured, or there is none)."""
    focus = [f"{f.term} (SIC {', '.join(f.classes)})" for f in inp.focus] or [
        SUBSECTOR_NAMES.get(s, s) for s in inp.subsectors]
    if not focus or not uses_series_lqs(inp):
        return ""
    members = inp.place.members
    outside = [inp.names.get(m, m) for m in members if not str(m).startswith("E")]  # English LADs have counts
    who = (inp.place.name if len(members) <= 1 else join_and(outside) if 0 < len(outside) < len(members)
           else f"{inp.place.name}'s local authorities")
    return (f"The bid's focus, {join_and(focus)}, cannot be measured for {inp.place.name}: the creative "
            "enterprise counts by SIC class cover English local authorities only, and the UK-wide annual series "
            "counts the creative industries as a whole. Counts of enterprises or employment by SIC class for "
            + who + " (UK Business Counts or BRES by SIC class, e.g. from NOMIS) "
            "would measure it.")


def _title_subsectors(subs: list[str], focus: list[Any]) -> str:
    """The title's sub-sector part: a focus activity by its own name and SIC classes (``games`` is SIC 5821,
    not all of IT and software), other sub-sectors by their DCMS names.

    >>> from types import SimpleNamespace as NS
    >>> _title_subsectors(["it_software"], [NS(term="games", classes=("5821",),
    ...                                        subsector="IT, software and computer services")])
    ' — Games (SIC 5821, within IT, software and computer services)'
    >>> _title_subsectors(["music_arts"], [])
    ' — Music, performing and visual arts'
    """
    def short(sub: str) -> str:
        return sub if sub in SUBSECTOR_NAMES else dcms.subsector_short(dcms.resolve_subsector(sub))

    # the focus and the sub-sector it is measured within, as one item (not two focuses)
    parts = [f"{f.term[:1].upper()}{f.term[1:]} (SIC {', '.join(f.classes)}, within "
             f"{SUBSECTOR_NAMES[short(f.subsector)]})" for f in focus]
    via_focus = {short(f.subsector) for f in focus}
    parts += [SUBSECTOR_NAMES[s] for s in subs if s not in via_focus]
    return (" — " + ", ".join(parts)) if parts else ""


def _headline(st: PackState, period: str, census: str = "") -> list[Headline]:
    out: list[Headline] = []
    if st.creative_enterprises is not None and st.share_england is not None:  # set together
        if st.creative_enterprises == 0:  # a published 0 is 0 to 2 enterprises, not none
            out.append({"label": f"Creative enterprises (March {period})", "value": ZERO_COUNT, "format": "text",
                        "note": "UK Business Counts, published as 0 (counts are rounded to 5)"})
        else:
            out.append({"label": f"Creative enterprises (March {period})",
                        "value": fmt_int(st.creative_enterprises), "raw": float(st.creative_enterprises),
                        "note": "UK Business Counts, rounded to 5", "format": "int"})
        if st.creative_enterprises == 0:  # a published 0 is 0 to 2 enterprises: its share is unknown, not 0
            out.append({"label": "Share of England's creative enterprises",
                        "value": ZERO_SHARE, "format": "text",
                        "note": "published as 0: 0 to 2 enterprises"})
        else:
            out.append({"label": "Share of England's creative enterprises",
                        "value": fmt_pct(st.share_england, SHARE_DIGITS), "raw": float(st.share_england),
                        "note": "",
                        "format": "pct2"})
    elif st.series_enterprises is not None:  # outside the SIC counts' coverage: the UK-wide annual series
        n, year = st.series_enterprises
        out.append({"label": f"Creative enterprises ({year}, annual series)", "value": fmt_int(n), "raw": float(n),
                    "note": "UK Business Counts, rounded to 5", "format": "int"})
        sl = st.series_lq
        if sl is not None and sl.lq is not None and not np.isnan(sl.lq):
            out.append({"label": "Creative business location quotient (UK = 1)", "value": fmt_num(sl.lq),
                        "raw": float(sl.lq), "format": "num2",
                        "note": f"{sl.period}; 95% interval {fmt_num(sl.lo)} to {fmt_num(sl.hi)}"})
    la = st.lq_all
    if la is not None and st.creative_enterprises == 0 and not np.isnan(la.hi):
        # a published 0 is 0 to 2 enterprises: its upper bound, not an LQ of 0 (as the profile and baselines)
        out.append({"label": "Creative business location quotient", "value": f"below {fmt_num(la.hi)}",
                    "format": "text", "note": "published as 0 creative enterprises (0 to 2, rounded to 5): no LQ "
                    "is given, only its upper bound"})
    elif la is not None and not np.isnan(la.lq):
        out.append({"label": "Creative business location quotient", "value": fmt_num(la.lq),
                    "raw": float(la.lq), "format": "num2",
                    "note": f"95% interval {fmt_num(la.lo)} to {fmt_num(la.hi)}"})
    rank, n = st.rank_all
    if rank:
        out.append({"label": "Rank among English local authorities",  # a shared rank says so: "joint 36th"
                    "value": f"{joint_ordinal(rank, st.rank_all_tied)} of {n}",
                    "raw": rank, "note": "by creative enterprises, summed over SIC classes", "format": "int"})
    if st.census_share is not None:
        # a share (of residents in employment, TS060's base), not a count of residents
        what = "Share of employed residents in creative divisions"
        label = f"{what} (Census {census})" if census else what
        out.append({"label": label, "value": fmt_pct(st.census_share),
                    "raw": float(st.census_share), "note": "approximate, where people live",
                    "format": "pct"})
    return out


def _dataset_ids(names: set[str], catalogue: list[dict[str, Any]]) -> list[str]:
    """Catalogue ids for the names sections cite: an id as it is, a dataset kind as the id of the latest
    dataset of that kind in the catalogue (so a newer import is cited without a code change)."""
    ids = {str(s.get("id")) for s in catalogue}
    return sorted({n if n in ids else str(latest_source(catalogue, n).get("id", n)) for n in names})


def _source_record(r: dict[str, Any]) -> SourceRecord:
    def g(k: str) -> str:
        return str(r.get(k, "") or "")

    return {"id": g("id"), "title": g("title"), "publisher": g("publisher"), "vintage": g("vintage"),
            "licence": g("licence"), "attribution": g("attribution"), "source_url": g("source_url")}


_CMD = r"`(creative-clusters [^`]+)`"
_WITH_CMDS = re.compile(r"\s+(?:with|by running|run)\s+" + _CMD + r"(?:\s+and\s+" + _CMD + r")*")
_ANY_CMD = re.compile(_CMD)


def commands_to_appendix(sections: list[Section]) -> list[list[str]]:
    """Move the tool's commands out of the pack's body (a bid reader has no use for them) into rows of a
    'Filling the gaps' table: ``[section, what is missing, command]``. Changes ``sections`` in place.

    Examples
    --------
    >>> sec = {"title": "Growth", "sentences": [], "tables": [], "missing": [
    ...     "No earlier counts. Fetch them with `creative-clusters data fetch x --date YEAR`."]}
    >>> commands_to_appendix([sec])
    [['Growth', 'No earlier counts. Fetch them.', 'creative-clusters data fetch x --date YEAR']]
    >>> sec["missing"]
    ['No earlier counts. Fetch them (see Filling the gaps, section 9).']

    A gap with two commands (fetch it, or import a saved file) is said once:

    >>> sec = {"title": "Scale", "sentences": [], "tables": [], "missing": [
    ...     "No jobs. Add them with `creative-clusters a` and `creative-clusters b`."]}
    >>> commands_to_appendix([sec])
    [['Scale', 'No jobs. Add them.', 'creative-clusters a'], ['Scale', 'Or instead:', 'creative-clusters b']]
    """
    rows: list[list[str]] = []

    def move(text: str, title: str) -> str:
        if "`creative-clusters" not in text:
            return text
        plain = _WITH_CMDS.sub("", text)
        cmds = list(dict.fromkeys([*(c for m in _WITH_CMDS.finditer(text) for c in m.groups() if c),
                                   *_ANY_CMD.findall(plain)]))
        rows.extend([title, _ANY_CMD.sub("the command below", plain), c] for c in cmds)
        if plain == text:  # a command without "with …" before it
            return _ANY_CMD.sub("the command under Filling the gaps (section 9)", text)
        where = " (see Filling the gaps, section 9)"
        return _WITH_CMDS.sub(lambda m: where, text, count=1)

    for sec in sections:
        title = str(sec.get("title", ""))
        sec["sentences"] = [move(str(x), title) for x in sec.get("sentences", [])]
        sec["missing"] = [move(str(x), title) for x in sec.get("missing", [])]
        for t in sec.get("tables", []):
            t["notes"] = [move(str(n), title) for n in t.get("notes", [])]
            t["rows"] = [[move(v, title) if isinstance(v, str) else v for v in r] for r in t["rows"]]
    first: dict[str, list[str]] = {}
    for r in rows:  # each command once, where it is first needed
        first.setdefault(r[2], r)
    out: list[list[str]] = []
    for r in first.values():  # a second command for the same gap: its sentence not said again
        said = bool(out) and out[-1][0] == r[0] and r[1] in (out[-1][1], OR_INSTEAD)
        out.append([r[0], OR_INSTEAD, r[2]] if said else r)
    return out


#: The 'Filling the gaps' row of a second command for the gap of the row above it (was: the whole sentence again).
OR_INSTEAD = "Or instead:"


def _place_ref(place: PlaceInfo) -> str:
    """What the title line puts in brackets after the place: its official code and, for an area made of
    local authorities, how many; a user's group has no official code, only its size.

    Examples
    --------
    >>> _place_ref(PlaceInfo("E08000019", "Sheffield"))
    'E08000019'
    >>> _place_ref(PlaceInfo("custom:thames-estuary", "Thames Estuary", "custom", ["a", "b", "c"]))
    'a group of 3 local authorities'
    """
    n = len(place.members)
    if place.geo_type == "custom":
        return f"a group of {n} local authorit{'y' if n == 1 else 'ies'}"
    return place.code + (f"; {n} local authorities" if n > 1 else "")


def build_context(inputs: EvidenceInputs) -> PackContext:
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
    inp.place.name = common_name(inp.place.name)
    if inp.place.geo_type == "ttwa":  # "the Sheffield travel-to-work area had 2,010", not "Sheffield had 2,010"
        inp.place.name = inp.place.label
    inp.names = {k: common_name(v) for k, v in inp.names.items()}
    subs = []
    for s in inp.subsectors:
        subs.append(s if s in SUBSECTOR_NAMES else dcms.subsector_short(dcms.resolve_subsector(s)))
    inp.subsectors = list(dict.fromkeys(subs))
    subs = inp.subsectors
    st = PackState(peers=_choose_peers(inp))
    scale = _scale_section(inp, st)
    growth = _growth_section(inp, st)
    bench = _benchmark_section(inp, st)
    work = workforce_section(inp, st)
    micro = microclusters_section(inp, st)
    conn = connections_section(inp, st)
    research = research_section(inp, st)
    body = [scale, growth, bench, work, micro, conn, research]
    summary = _summary_section(inp, st, body)
    define_rule_in_neighbours(conn, inp.clusters, inp.place.members or [inp.place.code])
    leads_follow_findings(bench, st.findings, inp)
    for sec in [summary, *body]:  # a dataset a table's figures carry is cited, whoever built the table
        sec["sources"] = [*sec["sources"], *(d for t in sec["tables"] for d in t.get("sources", []))]
    used = _dataset_ids({d for sec in [summary, *body] for d in sec["sources"]}, inp.sources)
    if inp.geometry is not None:
        used = sorted({*used, *_dataset_ids({"geography_boundaries"}, inp.sources)})
    for sec in [summary, *body]:
        sec["sources"] = _dataset_ids(set(sec["sources"]), inp.sources)
    sources = sources_section(inp, st, used, dcms.DEFINITION_VERSION)
    more_methods(sources, inp)
    gaps = commands_to_appendix([summary, *body])
    if gaps:
        sources["tables"].append(_table(
            "Filling the gaps", ["Section", "What is missing", "Command"], gaps, ["text"] * 3,
            ["For the analyst who maintains the evidence: each command adds the missing data to the warehouse "
             "(it needs an internet connection); build the pack again afterwards."]))
    names = _article_names(inp.place.name, inp.place.geo_type)
    for sec in [summary, *body, sources]:
        _articles(sec, names)
    known = {s["id"]: s for s in inp.sources}
    title_sub = _title_subsectors(subs, inp.focus)
    return {
        "title": f"Creative cluster evidence: {inp.place.label}{_kind_in_title(inp.place)}{title_sub}",
        "place": {"code": inp.place.code, "name": inp.place.name, "geo_type": inp.place.geo_type,
                  "label": inp.place.label, "members": list(inp.place.members),
                  "member_names": [inp.names.get(m, m) for m in inp.place.members],
                  "also": list(inp.place.also), "ref": _place_ref(inp.place)},
        "subsectors": [{"code": s, "name": SUBSECTOR_NAMES[s]} for s in subs],
        "peers": [{"code": p, "name": inp.names.get(p, p)} for p in st.peers],
        "headline": _headline(st, inp.enterprises_period,
                              str(latest_source(inp.sources, kinds.CENSUS_INDUSTRY).get("vintage", ""))),
        "sections": [summary, *body, sources],
        "sources": [_source_record(dataset_record(inp, i) or known[i]) for i in used if i in known],
        "definitions_version": dcms.DEFINITION_VERSION,
        "framework_version": f"{inp.framework.title}, version {inp.framework.version}",
        "caveats": pack_caveats(*_lq_years(inp), census=_census_name(inp)),
        "build_date": inp.build_date,
        "generator": inp.generator,
    }
