"""Baselines a bid can commit targets against: indicator, latest value, period, comparison, source, cadence.

Pure rendering of figures the pack has already computed (the place's
trajectory, its LQ and counts, the benchmark rows); the release cadence of each
source comes from the dataset-kind registry (:data:`creative_clusters.kinds.KINDS`),
the dataset id and vintage from the warehouse catalogue.

Examples
--------
>>> from creative_clusters.benchmarking import load_framework
>>> from creative_clusters.reporting._model import EvidenceInputs, PackState, PlaceInfo
>>> inp = EvidenceInputs(place=PlaceInfo("E1", "Place"), framework=load_framework(), enterprises_period="2025",
...                      sources=[{"id": "counts_2025", "kind": "creative_enterprises_sic", "vintage": "2025"}])
>>> t = baseline_table(inp, PackState(creative_enterprises=120.0, share_england=0.05))
>>> t["rows"][0][:4], t["rows"][0][5]
(['Creative enterprises (by SIC class)', 120.0, 'enterprises', 'March 2025'], 'counts_2025')
"""

from __future__ import annotations

import math
from typing import Any

from creative_clusters import kinds
from creative_clusters.geography.place import nations_in
from creative_clusters.reporting._model import EvidenceInputs, PackState, _table, latest_source, source_label
from creative_clusters.reporting.formatting import (
    SHARE_DIGITS,
    fmt_int,
    fmt_num,
    fmt_pct,
    joint_ordinal,
    ordinal,
    pct_ordinal,
)
from creative_clusters.reporting.pack_types import Table
from creative_clusters.reporting.place_findings import aggregate_among_lads
from creative_clusters.reporting.section_benchmark import UNIT_FORMATS
from creative_clusters.reporting.sentences_benchmark import AGGREGATE_CELL, aggregate_pointer

__all__ = ["baseline_table"]

#: Benchmark rows already given above them in the table (from the pack's own figures).
_SHOWN = ("creative_enterprises", "creative_business_lq")


#: What the baselines add to a comparison the findings hold inconclusive.
_UNSURE = "inconclusive, see Key findings"


def _ok(x: Any) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def _source(inp: EvidenceInputs, kind: str | None, cited: list[str] | None = None) -> tuple[str, str, str]:
    """(dataset name, vintage, cadence) for a kind: the catalogue's latest dataset of it, named as readers know
    it (:func:`source_label`; its id, title and checksum are in Sources and methods). Its catalogue id is
    added to ``cited`` (the table's sources), so Sources and methods lists every dataset a row names."""
    if not kind:
        return "", "", ""
    kind = kinds.kind_of_table(kind)  # an indicator counting a reference table (``hei``) names the table
    rec = latest_source(inp.sources, kind)
    k = kinds.KINDS.get(kind)
    if cited is not None and rec.get("id"):
        cited.append(str(rec["id"]))
    return (source_label(inp.sources, str(rec.get("id") or kind)), str(rec.get("vintage") or ""),
            (k.cadence if k else ""))


def baseline_table(inp: EvidenceInputs, st: PackState) -> Table | None:
    """The baseline table of section 1, or None when the pack has no figure to baseline."""
    rows: list[list[Any]] = []
    cited: list[str] = []  # catalogue ids of the datasets the rows name
    t = inp.trajectory
    if t is not None and t.series and _ok(t.series[-1].value):
        sid, _v, cad = _source(inp, kinds.CREATIVE_ENTERPRISES_SERIES, cited)
        last = t.series[-1]
        kin = str(inp.place.code)[:3]  # a TTWA is ranked among those that hold a local authority, not all
        rows.append(["Creative enterprises (annual series, all creative industries)", last.value, "enterprises",
                     last.period, _series_rank(t, sum(1 for c in inp.names if str(c).startswith(kin))), sid, cad])
        w = t.window("ten_year") or (t.windows[0] if t.windows else None)
        if w is not None and _ok(w.cagr):
            rows.append(["Creative enterprises, compound growth", 100 * w.cagr, "% a year", w.label,
                         _growth_reference(t, w), sid, cad])
    if _ok(st.creative_enterprises):
        sid, _v, cad = _source(inp, kinds.CREATIVE_ENTERPRISES_SIC, cited)
        share = st.share_england
        rank, n = st.rank_all
        comp = "; ".join(x for x in (f"{fmt_pct(share, SHARE_DIGITS)} of England" if _ok(share) else "",
                                     f"{joint_ordinal(int(rank), st.rank_all_tied)} of {n} "
                                     "in England" if rank and n else "") if x)
        rows.append(["Creative enterprises (by SIC class)", st.creative_enterprises, "enterprises",
                     f"March {inp.enterprises_period}", comp, sid, cad])
    la = st.lq_all
    zero = st.creative_enterprises == 0  # a published 0 (0 to 2 firms): no LQ, only its upper bound
    if la is not None and (_ok(la.lq) or (zero and _ok(la.hi))):
        sid, _v, cad = _source(inp, kinds.CREATIVE_ENTERPRISES_SIC, cited)
        did, _dv, _dc = _source(inp, kinds.ACTIVE_ENTERPRISES, cited)
        rows.append(["Creative business location quotient", None if zero else float(la.lq), "ratio",
                     f"March {inp.enterprises_period}",
                     f"England = 1; the count is published as 0 (0 to 2 enterprises), so the LQ is below "
                     f"{fmt_num(la.hi)} (the 95% interval's upper end)" if zero else
                     f"England = 1 (95% interval {fmt_num(la.lo)} to {fmt_num(la.hi)})",
                     ", ".join(x for x in (sid, did) if x), cad])
    sl = st.series_lq
    if not (la is not None and (_ok(la.lq) or zero)) and sl is not None and sl.lq is not None and _ok(sl.lq):
        sid, _v, cad = _source(inp, kinds.CREATIVE_ENTERPRISES_SERIES, cited)
        did, _dv, _dc = _source(inp, kinds.ACTIVE_ENTERPRISES, cited)
        rows.append(["Creative business location quotient (annual series)", float(sl.lq), "ratio",
                     str(sl.period),
                     f"the UK = 1 (95% interval {fmt_num(sl.lo)} to {fmt_num(sl.hi)})",
                     ", ".join(x for x in (sid, did) if x), cad])
    bench = st.benchmark
    # ranks the findings hold inconclusive (a rate on 2 museums, 10 deaths of 170 firms, a survey interval that
    # spans the ranking, a trajectory on a base of 40 enterprises): shown, and flagged
    unsure = st.findings.get("inconclusive", [])
    unsure_ids = {i for f in unsure for i in f.indicator.split(",") if i}  # a churn finding names two
    # each flag says why, in the finding's own words: the summary lists only the first inconclusive findings,
    # and the HTML has no table of them all (the Isles of Scilly's birth rate on 13 to 17 births was unexplained)
    why_unsure = {i: f.uncertainty for f in unsure for i in f.indicator.split(",") if i and f.uncertainty}
    growth_unsure = any(f.section == "growth" for f in unsure)  # the series' ten-year trajectory
    if growth_unsure:
        for r in rows:
            if r[0] == "Creative enterprises, compound growth":
                r[4] = "; ".join(x for x in (r[4], _UNSURE) if x)
    why: dict[str, str] = {}  # rows without a comparison -> why
    aggregate = False  # the place is an area of several local authorities, ranked among single ones
    ranked = False  # a row with a benchmark percentile: only then does the note name the percentiles' base
    uk = False  # a row with a percentile across the UK (a LAD outside England)
    if bench is not None and len(bench):
        units = {i.id: i for i in inp.framework.indicators}
        nation = nations_in(inp.place.members)
        aggregate = aggregate_among_lads(inp.place, bench)  # an area of several LADs ranked among single ones
        for r in bench[bench["status"] == "ok"].itertuples():
            ind = units.get(str(r.indicator_id))
            if ind is None or r.indicator_id in _SHOWN or not _ok(r.value):
                continue
            sid, vintage, cad = _source(inp, ind.dataset, cited)
            comp = f"{pct_ordinal(r.pct_all)} percentile of {r.n_all} (100 = best)" if _ok(r.pct_all) else ""
            if comp and "pct_uk" in bench.columns:  # a LAD outside England: each rank names its base
                comp = comp.replace(" (100 = best)", f" in {nation} (100 = best)")
            if _ok(getattr(r, "pct_uk", None)):  # and across the UK where its data reach
                comp = "; ".join(x for x in (comp.replace(" (100 = best)", "") if comp else "",
                                             f"{pct_ordinal(r.pct_uk)} of {r.n_uk} in the UK (100 = best)") if x)
            if comp and aggregate:  # the summary's rule: shown, with why it is no finding
                comp = comp.replace(" (100 = best)", f" (100 = best; {AGGREGATE_CELL})")
            series_growth = ind.dataset == kinds.CREATIVE_ENTERPRISES_SERIES and (
                (ind.source or {}).get("transform") == "growth_pct")
            if comp and (r.indicator_id in unsure_ids or (series_growth and growth_unsure)):
                reason = why_unsure.get(str(r.indicator_id), "")
                comp += "; " + (f"inconclusive: {reason}" if reason else _UNSURE)
            if not comp:  # never a blank comparison: the benchmark's reason for not ranking it
                why[str(r.label)] = _unranked_reason(getattr(r, "note", ""))
            # the period the value is for; the release (vintage) only where the data carry no period
            period = _period_text(ind, inp.indicator_periods.get(ind.id, "")) or (
                (f"list of {vintage}" if (ind.source or {}).get("transform") == "count_in_place"
                 else f"release {vintage}") if vintage else "")
            rows.append([str(r.label), float(r.value), str(r.unit), period, comp, sid, cad])
            ranked = ranked or bool(comp)
            uk = uk or _ok(getattr(r, "pct_uk", None))
    if not rows:
        return None
    for r in rows:  # a published 0 is a count rounded to 5: 0 to 2, not a true zero
        if r[2] == "enterprises" and r[1] == 0:  # its share of England (0.00%) says nothing more
            r[4] = "; ".join(x for x in ("published as 0: 0 to 2 enterprises (counts rounded to 5)",
                                         *str(r[4]).split("; ")) if x and x != NO_COMPARISON
                             and not x.endswith(" of England"))
    for r in rows:
        if not r[4]:
            r[4] = NO_COMPARISON
            why.setdefault(str(r[0]), _NO_REFERENCE.get(t.level if t is not None else "", "no comparison is published"))
    cols = ["Indicator", "Value", "Unit", "Period", "Compared with", "Source", "Release cadence"]
    for r in rows:  # "1 sub-sectors" -> "1 sub-sector"
        if r[1] == 1 and str(r[2]) in _PLURAL_UNITS:
            r[2] = str(r[2])[:-1]
    fmts = ["text", "auto", "text", "text", "text", "text", "text"]
    tab = _table("Baselines to set targets against", cols, rows, fmts,
                  ["Latest values in this pack, each with the dataset that serves it and how often its publisher "
                   "releases a new period: a target set against a row can be checked when the next release "
                   "comes." + (" Percentiles are among the " + (st.benchmark_base or "English local authorities")
                               + " on the benchmark's base"
                               + (", and among the local authorities of the UK where a row says so." if uk else ".")
                               if ranked else "")
                   + (" " + aggregate_pointer(inp.place.name, len(inp.place.members)) if ranked and aggregate
                      else "")])
    tab["sources"] = sorted(set(cited))
    if why:
        tab["notes"].append(f"'{NO_COMPARISON}' under Compared with: " + "; ".join(
            f"{label}: {reason}" for label, reason in why.items()) + ".")
    series = next((r for r in rows if str(r[0]).startswith("Creative enterprises (annual series")), None)
    by_class = next((r for r in rows if r[0] == "Creative enterprises (by SIC class)"), None)
    if series is not None and by_class is not None and series[1] != by_class[1]:
        rank_sic = st.rank_all[0]
        ranks = ""
        if rank_sic is not None and t is not None and t.series and t.series[-1].rank_nation is not None \
                and rank_sic != t.series[-1].rank_nation:
            ranks = (f" Their ranks differ too: {ordinal(rank_sic)} by SIC class (as in the headline) and "
                     f"{joint_ordinal(t.series[-1].rank_nation, t.series[-1].tied_nation)} in the "
                     "series.")
        tab["notes"].append(
            f"The two counts of creative enterprises ({fmt_int(by_class[1])} and {fmt_int(series[1])}) come from "
            "separate extracts of UK Business Counts: the count by SIC class adds up "
            + (f"{inp.enterprise_classes} creative classes" if inp.enterprise_classes else "the creative classes")
            + " per local authority, each rounded to 5 by ONS, while the annual series rounds each local "
            f"authority's total once.{ranks} Set a target against one of them and track that one.")
    # percentages shown as percentages (and stored as fractions in Excel, like every other sheet)
    # one value, one rounding: the benchmark table's format for the unit (IMD score 9.9 in both, not 9.85 here)
    tab["cell_formats"] = [[*fmts[:1], "pct" if str(r[2]).startswith("%") else UNIT_FORMATS.get(str(r[2]), "auto"),
                            *fmts[2:]] for r in rows]
    return tab


#: What the Compared with cell says when there is nothing to compare with (the note says why).
NO_COMPARISON = "–"

#: Why a series row of a place of this level has no comparison.
_NO_REFERENCE = {"uk": "the UK is the reference itself",
                 "custom": "a group of the user's own is ranked against no other place"}


def _series_rank(t: Any, of_kind: int = 0) -> str:
    """The series count's comparison: the rank in the place's nation, or for a nation among the UK's nations.

    A travel-to-work area is ranked among those that hold at least one local authority, which are not all of
    its nation's (``of_kind``, when known): said so, not "of 121 in England" where England has 149.

    >>> from types import SimpleNamespace as N
    >>> print(_series_rank(N(level="ttwa", series=[N(value=3515.0, rank_nation=10)], windows=[N(n_nation=121)],
    ...                      nation_name="England"), 149))
    10th of the 121 measurable travel-to-work areas in England (those of its 149 that hold at least one local
    authority)

    >>> from types import SimpleNamespace as N
    >>> last = N(value=5775.0, rank_nation=1, rank_uk=3)
    >>> _series_rank(N(level="ctry", series=[last], windows=[N(n_uk=4, n_nation=1)], nation_name="Wales"))
    '3rd of the 4 UK nations'
    >>> _series_rank(N(level="lad", series=[last], windows=[N(n_uk=361, n_nation=22)], nation_name="Wales"))
    '1st of 22 in Wales'
    """
    last = t.series[-1]
    if not t.windows or not last.value:
        return ""

    def said(base: str) -> str:  # a rank other places share (the same count) is said as "joint 5th"
        return joint_ordinal(getattr(last, f"rank_{base}"), getattr(last, f"tied_{base}", 0))

    if t.level == "ctry" and last.rank_uk is not None:
        return f"{said('uk')} of the {t.windows[0].n_uk} UK nations"
    if last.rank_nation is not None and t.level == "ttwa":
        n = t.windows[0].n_nation
        return (f"{said('nation')} of the {n} measurable travel-to-work areas in {t.nation_name}"
                + (f" (those of its {of_kind} that hold at least one local authority)" if of_kind > n else ""))
    if last.rank_nation is not None and t.level not in ("ctry", "uk", "custom"):
        return f"{said('nation')} of {t.windows[0].n_nation} in {t.nation_name}"
    return ""


def _growth_reference(t: Any, w: Any) -> str:
    """The growth row's comparison: the place's nation, or the UK for a nation (level with itself otherwise).

    >>> from types import SimpleNamespace as N
    >>> w = N(nation_cagr=0.011, uk_cagr=0.004)
    >>> _growth_reference(N(level="ctry", nation_name="Wales"), w), _growth_reference(N(level="rgn",
    ...     nation_name="England"), w)
    ('the UK 0.4% a year', 'England 1.1% a year')
    >>> _growth_reference(N(level="custom", nation_name="United Kingdom"), w)
    'the UK 1.1% a year'
    """
    if t.level == "ctry":
        return f"the UK {fmt_num(100 * w.uk_cagr, 1)}% a year" if _ok(w.uk_cagr) else ""
    if t.level != "uk" and _ok(w.nation_cagr):  # a group across nations is compared with the UK: "the UK", as
        name = "the UK" if t.nation_name in ("United Kingdom", "UK") else t.nation_name  # everywhere else
        return f"{name} {fmt_num(100 * w.nation_cagr, 1)}% a year"
    return ""


def _unranked_reason(note: Any) -> str:
    """Why a benchmark value carries no percentile, from the benchmark row's note.

    >>> _unranked_reason("Not ranked: a total over 5 local authorities is not comparable with single ones.")
    'not ranked, as a total over 5 local authorities is not comparable with single ones'
    >>> _unranked_reason(None)
    'not ranked on the benchmark'
    """
    text = str(note or "").strip().rstrip(".")
    if not text or text == "nan":
        return "not ranked on the benchmark"
    if text.startswith("Not ranked: "):
        return "not ranked, as " + text.removeprefix("Not ranked: ")
    return text[:1].lower() + text[1:]


#: Units counted in whole things, made singular for a value of 1.
_PLURAL_UNITS = {"sub-sectors", "providers", "enterprises", "jobs", "graduates"}


def _period_text(ind: Any, period: str) -> str:
    """A data period as a reader says it: a date in words, a survival cohort with the year it is measured to.

    Examples
    --------
    >>> from creative_clusters.benchmarking import load_framework
    >>> fw = load_framework()
    >>> _period_text(fw.indicator("survival_rate"), "2021")
    'births in 2021, surviving to 2024'
    >>> _period_text(fw.indicator("birth_rate"), "2021-03-21"), _period_text(fw.indicator("birth_rate"), "2024")
    ('21 March 2021', '2024')
    """
    import datetime as dt
    import re

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", period):
        d = dt.date.fromisoformat(period)
        return f"{d.day} {d.strftime('%B')} {d.year}"
    status = str(((ind.source or {}).get("filters") or {}).get("status", ""))
    years = re.fullmatch(r"(\d+)-year", status)
    if years and period.isdigit():
        return f"births in {period}, surviving to {int(period) + int(years.group(1))}"
    return period
