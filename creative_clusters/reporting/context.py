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

**Key findings** (section 1) are typed :class:`~creative_clusters.reporting.findings.Finding`
objects built by :func:`place_findings` from the sections' statistics, gated by their
intervals and counts and ranked by salience (rules in
:mod:`creative_clusters.reporting.findings`): strengths, weaknesses, and the
inconclusive findings with why. A SWOT scaffold takes its strengths and
weaknesses from them; opportunities and threats are marked prompts.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.benchmarking.peers import business_density, choose_peers, peer_features
from creative_clusters.classifications import dcms
from creative_clusters.errors import ParameterError
from creative_clusters.geography.place import NATIONS
from creative_clusters.indicators.outliers import relative_spike
from creative_clusters.indicators.trajectory import fall_from_peak
from creative_clusters.reporting import findings as F
from creative_clusters.reporting import sentences as S
from creative_clusters.reporting._model import (
    ARTICLE_NAMES,
    SECTION_TITLES,
    SUBSECTOR_NAMES,
    EvidenceInputs,
    PlaceInfo,
    RateBase,
    _finish,
    _section,
    _table,
    common_name,
    latest_source,
    source_label,
    uses_series_lqs,
    with_articles,
)
from creative_clusters.reporting._sections import (
    _active_latest,
    _bd_year,
    _benchmark_section,
    _growth_section,
    _scale_section,
    _with_group_row,
)
from creative_clusters.reporting._sections2 import (
    connections_section,
    dataset_record,
    microclusters_section,
    pack_caveats,
    research_section,
    sources_section,
    workforce_section,
)
from creative_clusters.reporting.baseline import baseline_table
from creative_clusters.reporting.nation_benchmark import UK_BASE
from creative_clusters.reporting.pack_types import Headline, PackContext, Section, SourceRecord

__all__ = ["SECTION_TITLES", "EvidenceInputs", "PlaceInfo", "build_context", "place_findings"]


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



#: Framework indicators read together as business churn: a birth-rate strength beside a death-rate weakness.
CHURN_PAIR = ("birth_rate", "death_rate")
#: The benchmark's survival indicator, and the Business Demography measure of the births of its cohort.
SURVIVAL, BIRTH_MEASURE = "survival_rate", "birth_rate_pct"


def _focus_never_silent(f: F.Finding) -> None:
    """The bid's focus is never mere context: too few firms to measure is said in the summary, as doubt."""
    if f.kind == "context" and f.claim:
        f.kind = "inconclusive"
        f.so_what = ("The bid's focus, but these counts cannot show it: support it with firm-level evidence "
                     "(a firm list, trade-body membership, the microclusters).")


def _nation_lq_finding(name: str, nl: dict[str, Any], uk: F.Finding) -> list[F.Finding]:
    """A devolved place's LQ against its own nation, gated like the UK one, beside it (``uk``, changed in place).

    A concentration clear of 1 against the nation is a finding of its own (Glasgow City: 1.44 against
    Scotland while in line with the UK); one claim per direction: when both are strengths, or both
    weaknesses, the UK's is kept and the nation's is context; when only the nation's is a strength,
    the UK's doubt is context beside it, not a warning against the claim.
    """
    if nl.get("lq") is None:
        return []
    f = F.specialisation_finding(name, f"All creative industries against {nl['nation']} ({nl['period']})",
                                 lq=nl["lq"], lo=nl["lo"], hi=nl["hi"], count=nl["count"],
                                 source=kinds.CREATIVE_ENTERPRISES_SERIES, area=nl["nation"])
    f.section = "scale"
    f.salience += 0.4
    if f.kind == uk.kind and f.kind in ("strength", "weakness"):
        f.kind, f.salience = "context", 0.0
    elif f.kind == "strength" and uk.kind == "inconclusive":
        uk.kind, uk.salience = "context", 0.0
        f.so_what = (f"A specialisation within {nl['nation']} the panel can verify; against the UK the "
                     f"concentration is in line (LQ {S.fmt_num(uk.numbers['lq'])}), so frame it "
                     f"within {nl['nation']}.")
    elif f.kind == "inconclusive" and uk.kind in ("strength", "weakness"):
        f.kind, f.salience = "context", 0.0
    return [f]


def place_findings(st: dict[str, Any], inp: EvidenceInputs) -> list[F.Finding]:
    """Every finding of the pack, gated by uncertainty (rules in :mod:`creative_clusters.reporting.findings`)."""
    place = inp.place
    out: list[F.Finding] = []
    la = st.get("lq_all") or {}
    if st.get("creative_enterprises") is not None and la.get("lq") is not None:
        f = F.specialisation_finding(place.name, "All creative industries", lq=la["lq"], lo=la["lo"], hi=la["hi"],
                                     count=st["creative_enterprises"], source=kinds.CREATIVE_ENTERPRISES_SIC)
        f.section = "scale"
        f.salience += _headline_bonus(la["lq"])
        out.append(f)
    sl = st.get("series_lq") or {}
    if la.get("lq") is None and sl.get("lq") is not None:  # outside the SIC-level counts: the annual series
        f = F.specialisation_finding(place.name, f"All creative industries ({sl['period']})", lq=sl["lq"],
                                     lo=sl["lo"], hi=sl["hi"], count=sl["count"],
                                     source=kinds.CREATIVE_ENTERPRISES_SERIES, area="the UK")
        f.section = "scale"
        f.salience += _headline_bonus(sl["lq"])
        out.append(f)
        out.extend(_nation_lq_finding(place.name, st.get("series_lq_nation") or {}, f))
    focus = {SUBSECTOR_NAMES.get(c, c) for c in inp.subsectors}
    for name, lq, lo, hi, count in st.get("subsector_lq", []):
        f = F.specialisation_finding(place.name, name, lq=lq, lo=lo, hi=hi, count=count,
                                     source=kinds.CREATIVE_ENTERPRISES_SIC)
        f.section = "scale"
        if name not in focus and (f.kind == "weakness" or (f.kind == "inconclusive" and lq is not None
                                                             and lq < 1)):
            # one sub-sector below England is not a weakness of the place, unless it is the bid's focus; nor is
            # one whose interval leaves it in doubt a finding to warn about: nobody would claim it
            f.kind, f.salience = "context", 0.0
        elif name in focus:
            f.salience += F.FOCUS_SALIENCE
            _focus_never_silent(f)
        out.append(f)
    for fx in st.get("focus", []):
        f = F.specialisation_finding(place.name, f"{fx.term.capitalize()} (SIC {', '.join(fx.classes)})", lq=fx.lq,
                                     lo=fx.lo, hi=fx.hi, count=fx.count, source=kinds.CREATIVE_ENTERPRISES_SIC)
        f.section, f.salience = "scale", f.salience + F.FOCUS_SALIENCE + 0.3  # the exact classes before the sub-sector
        f.uncertainty += ". " + fx.note
        _focus_never_silent(f)
        out.append(f)
    if inp.clusters is not None and len(inp.clusters):
        mine = inp.clusters[inp.clusters["geo_code"] == place.code]
        c = mine[mine["is_cluster"].astype(bool)]
        doubt = _point_only_rows(mine)
        # outside England the rules run on the UK-wide annual series, against the UK
        uk = "source" in mine.columns and mine["source"].eq(kinds.CREATIVE_ENTERPRISES_SERIES).any()
        scope = ({"source": kinds.CREATIVE_ENTERPRISES_SERIES, "reference": "the UK",
                  "places": "every UK local authority"} if uk else {})
        for r in doubt.itertuples():  # a threshold rule met on a point estimate whose interval includes 1
            df = F.threshold_doubt_finding(place.name, str(r.method), lq=float(r.lq), lo=float(r.lq_lower),
                                           hi=float(r.lq_upper), size=float(r.size), min_lq=float(r.min_lq),
                                           min_size=float(r.min_size), **scope)
            df.section = "connections"
            out.append(df)
        methods = [str(m) for m in c["method"] if str(m) not in set(doubt["method"].astype(str))]
        cf = F.cluster_finding(place.name, methods, n_methods=int(mine["method"].nunique()),
                               same_measure=kinds.LQ_RULES,
                               **({k: scope[k] for k in ("source", "places")} if uk else {}))
        if cf is not None:
            cf.section = "connections"
            out.append(cf)
    t = inp.trajectory
    if t is not None and t.windows and t.level not in ("ctry", "uk"):
        w = t.window("ten_year") or t.windows[0]
        gf = F.growth_finding(place.name, window=w.label, start=w.start_value, end=w.end_value, cagr=w.cagr,
                              nation=t.nation_name, nation_cagr=w.nation_cagr, flagged="outlier" in w.flags,
                              source=kinds.CREATIVE_ENTERPRISES_SERIES, years=_window_years(w),
                              # each published count is within 2 of the truth; a sum of k within 2k
                              rounding=2.0 * max(1, len(place.members or ())))
        if gf is not None:
            gf.section = "growth"
            _growth_caveats(gf, t, w, place.name)
            out.append(gf)
    bench = st.get("benchmark")
    by_id: dict[str, F.Finding] = {}
    rate_bases = pack_rate_bases(inp)
    if bench is not None and _aggregate_among_lads(place, bench):
        bench = None  # an area's rank among single local authorities is not like-for-like: no finding from it
    if bench is not None:
        units = {i.id: i for i in inp.framework.indicators}
        # said once: the growth section's finding on the same series, unless it is only context ("in line")
        series_growth = any(f.section == "growth" and f.kind != "context" for f in out)
        for r in bench[bench["status"] == "ok"].itertuples():
            ind = units.get(str(r.indicator_id))
            if ind is None or r.indicator_id in ("creative_business_lq", "subsector_diversity"):
                continue  # the LQ findings above carry their intervals; a count of LQs > 1 adds nothing
            if series_growth and ind.dataset == kinds.CREATIVE_ENTERPRISES_SERIES and \
                    (ind.source or {}).get("transform") == "growth_pct":
                continue  # the growth section's finding on the same series and window: said once, there
            # outside England: the percentile across the UK where the indicator's data reach all four nations
            uk = not pd.isna(getattr(r, "pct_uk", np.nan))
            pct, n, lo, hi = ((r.pct_uk, r.n_uk, r.pct_uk_min, r.pct_uk_max) if uk else
                              (r.pct_all, r.n_all, getattr(r, "pct_all_min", np.nan),
                               getattr(r, "pct_all_max", np.nan)))
            pf = F.percentile_finding(place.name, str(r.label), pct=float(pct), n=int(n),
                                      value=float(r.value), unit=ind.unit, additive=ind.additive,
                                      source=str(ind.dataset or ""), direction=str(r.direction),
                                      base=UK_BASE if uk else _ranked_base(st.get("benchmark_base",
                                                                                  "local authorities"),
                                                                           int(n), place),
                                      growth_base=inp.growth_bases.get(ind.id),
                                      rate_base=rate_bases.get(ind.id),
                                      interval=inp.rate_intervals.get(ind.id),
                                      pct_range=(float(lo), float(hi)))
            if pf is not None and pf.kind in ("strength", "weakness") and ind.dataset == kinds.ACTIVE_ENTERPRISES:
                broken = _breaks_in(t, inp.indicator_periods.get(ind.id, ""))
                if broken:  # the place's own active-enterprise series breaks inside the indicator's period
                    pf = F.Finding("inconclusive", pf.topic,
                                   f"{pf.claim.rstrip('.')}, but {place.name}'s count of active enterprises "
                                   f"breaks in {S.join_and(broken)} (flagged in section 3), so the rank may "
                                   "reflect the break rather than the place.", pf.numbers,
                                   "a rank on a series with a break", pf.comparison, pf.source,
                                   "Do not cite this rank until the publisher's series is consistent.", 0.1)
            if pf is not None and pf.kind in ("strength", "weakness") and ind.id == SURVIVAL:
                pf = _cohort_gate(pf, inp, place.name)
            if pf is not None and uk and pf.kind in ("strength", "weakness") and not pd.isna(r.pct_all) and (
                    r.pct_all < 50 if pf.kind == "strength" else r.pct_all > 50):
                # a UK rank the place does not hold within its nation: the nation's standing, not the place's
                pf = F.nation_effect_finding(pf, place.name, NATIONS.get(place.code[:1], "its nation"),
                                             pct_nation=float(r.pct_all), n_nation=int(r.n_all))
            if pf is not None:
                pf.section, pf.indicator = "benchmark", ind.id
                out.append(pf)
                by_id[ind.id] = pf
    births, deaths = by_id.get(CHURN_PAIR[0]), by_id.get(CHURN_PAIR[1])
    if births is not None and deaths is not None and {births.kind, deaths.kind} == {"strength", "weakness"}:
        # many firms start and many close (or few start and few close): one churn finding, not a strength and
        # a weakness apart
        out = [f for f in out if f is not births and f is not deaths]
        churn = (F.churn_finding if births.kind == "strength" else F.low_churn_finding)(place.name, births, deaths)
        churn.section, churn.indicator = "benchmark", ",".join(CHURN_PAIR)
        out.append(churn)
    return out


#: Columns a threshold rule's cluster rows carry (workflows.pack_data): its thresholds and the place's LQ interval.
_RULE_COLUMNS = ("rule", "lq", "lq_lower", "lq_upper", "size", "min_lq", "min_size")


def _point_only_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The flagged threshold-rule rows whose business LQ's 95% interval reaches 1: the rule is met on the point
    estimate only (Horsham, LQ 1.03 from 0.96 to 1.10), which is no more a strength than any specialisation whose
    interval includes 1. Empty where the rows do not carry the rule's figures.

    >>> r = pd.DataFrame({"method": ["t", "t"], "geo_code": ["A", "B"], "is_cluster": [True, True],
    ...                   "rule": "threshold", "lq": [1.03, 1.2], "lq_lower": [0.96, 1.1], "lq_upper": [1.1, 1.3],
    ...                   "size": 780.0, "min_lq": 1.0, "min_size": 277.0})
    >>> _point_only_rows(r)["geo_code"].tolist()
    ['A']
    """
    if not set(_RULE_COLUMNS) <= set(rows.columns):
        return rows.iloc[0:0].assign(**{c: [] for c in _RULE_COLUMNS if c not in rows.columns})
    lower = pd.to_numeric(rows["lq_lower"], errors="coerce")
    return rows[rows["is_cluster"].astype(bool) & (rows["rule"] == "threshold") & (lower <= 1)]


#: A fall from the window's peak to its latest year that a growth claim mentions (%).
PEAK_FALL_PCT = 5.0


def _growth_caveats(gf: F.Finding, t: Any, w: Any, place: str) -> None:
    """Say on a growth strength what section 3 and the year-by-year series would add: a trajectory class other
    than "emerging" (its rule asks for a larger lead over the nation than the finding's bar), and a fall since
    the window's peak."""
    if gf.kind != "strength":
        return
    vals = [(y.period, y.value) for y in t.series if str(w.start) <= str(y.period) <= str(w.end)]
    fall = fall_from_peak([p for p, _ in vals], [v for _, v in vals], since=w.start) if vals else None
    if fall is not None and fall[2] >= PEAK_FALL_PCT:
        gf.claim = (gf.claim.rstrip(".") + f"; but it peaked at {S.fmt_int(fall[1])} in {fall[0]} and is "
                    f"{S.fmt_num(fall[2], 1)}% below that now.")
    if t.trajectory and t.trajectory != "emerging":
        gf.so_what += (f" Section 3 classes {place} as {t.trajectory}, not emerging (its rule asks for a larger lead "
                       "over the nation): cite the growth, not an emerging cluster.")


def _cohort_gate(found: F.Finding, inp: EvidenceInputs, place: str) -> F.Finding:
    """A survival strength or weakness, or an inconclusive finding when its cohort was born in a surge of
    registrations (its birth rate, against the UK's, :data:`~creative_clusters.reporting.findings.COHORT_SPIKE`
    times its usual level or more; Cardiff's 2021 cohort)."""
    cohort = str(inp.indicator_periods.get(SURVIVAL, ""))[:4]
    d = inp.demography
    if not cohort or d is None or d.empty or len(inp.place.members) != 1:
        return found
    births = d[d["measure"] == BIRTH_MEASURE]
    own = births[births["geo_code"] == inp.place.code].set_index("period")["value"]
    ref = births[births["geo_type"] == "uk"].set_index("period")["value"]
    spike = relative_spike(own, ref, cohort)
    if pd.isna(spike) or spike < F.COHORT_SPIKE:
        return found
    other = own.drop(cohort, errors="ignore")
    usual = f"{S.fmt_num(float(other.min()), 1)}% to {S.fmt_num(float(other.max()), 1)}%"
    return F.cohort_spike_finding(found, place, cohort=cohort, spike=spike, birth_rate=float(own[cohort]),
                                  usual=usual)


def _rule_rows(clusters: pd.DataFrame | None, codes: Sequence[str] = ()) -> pd.DataFrame | None:
    """The threshold rule's rows that apply to ``codes``: of the rule (run on England's counts by SIC class, or
    on the UK-wide annual series) the first of ``codes`` was tested by; the first rule's without ``codes``."""
    if clusters is None or "rule" not in clusters.columns:
        return None
    t = clusters[clusters["rule"] == "threshold"]
    if t.empty:
        return None
    mine = t[t["geo_code"].isin(list(codes))]
    return t[t["method"] == (mine if len(mine) else t)["method"].iloc[0]]


def _threshold_rule_words(clusters: pd.DataFrame | None, codes: Sequence[str] = ()) -> str:
    """The threshold rule's definition, from its rows (its thresholds and how many places it ran on); "" when
    the rows do not carry them. ``codes``: the places the rule is cited for (:func:`_rule_rows`)."""
    if clusters is None or not set(_RULE_COLUMNS) <= set(clusters.columns):
        return ""
    t = _rule_rows(clusters, codes)
    if t is None:
        return ""
    uk = str(t["method"].iloc[0]) == kinds.SERIES_THRESHOLD_RULE
    n = t["n_places"].iloc[0] if uk and "n_places" in t.columns else t["geo_code"].nunique()
    year = str(t["period"].iloc[0]) if uk and "period" in t.columns and not pd.isna(t["period"].iloc[0]) else ""
    return S.threshold_rule_sentence(str(t["method"].iloc[0]), float(t["min_lq"].iloc[0]),
                                     float(t["min_size"].iloc[0]), int(n),
                                     **({"against": "the UK", "places": "UK local authorities in the annual series "
                                         "of all creative industries" + (f", {year}" if year else "")}
                                        if uk else {}))


def _strong_rule_words(clusters: pd.DataFrame | None, codes: Sequence[str] = ()) -> str:
    """The US Cluster Mapping rule's definition from its rows (its cuts), for the rule ``codes`` were tested by;
    "" when the rows do not carry the cuts."""
    if clusters is None or not {"rule", "lq_cut", "size_cut"} <= set(clusters.columns):
        return ""
    t = clusters[clusters["rule"] == "strong"]
    mine = t[t["geo_code"].isin(list(codes))]
    if mine.empty or pd.isna(mine["lq_cut"].iloc[0]):
        return ""
    r = mine.iloc[0]
    uk = str(r["method"]) == kinds.SERIES_STRONG_RULE
    n = int(r["n_places"]) if "n_places" in r and not pd.isna(r["n_places"]) else int(t["geo_code"].nunique())
    return S.strong_rule_sentence(str(r["method"]), float(r["lq_cut"]), float(r["min_lq"]), float(r["size_cut"]),
                                  n, places="UK local authorities" if uk else "English local authorities")


def _rule_name(clusters: pd.DataFrame | None, codes: Sequence[str] = ()) -> str:
    """The threshold rule's name as its rows give it ("" without them)."""
    t = _rule_rows(clusters, codes)
    return "" if t is None else str(t["method"].iloc[0])


def _define_rule_in_neighbours(conn: Section, clusters: pd.DataFrame | None, codes: Sequence[str] = ()) -> None:
    """Section 7's neighbour table names the threshold rule: it says what the rule is, under the table."""
    words = _threshold_rule_words(clusters, codes)
    if not words:
        return
    rule = _rule_name(clusters, codes)
    doubt = set(_point_only_rows(clusters)["geo_code"].astype(str)) if clusters is not None else set()
    for t in conn["tables"]:
        if str(t["title"]).startswith("Neighbouring") and any(rule in str(r[-1]) for r in t["rows"]):
            weak = [str(r[1]) for r in t["rows"] if str(r[0]) in doubt and rule in str(r[-1])]
            t["notes"] = [*t["notes"], words] + (
                [f"Met on the point estimate only (the business LQ's 95% interval includes 1, so not a cluster "
                 f"beyond doubt): {S.join_and(weak)}."] if weak else [])


def _more_methods(sources: Section, inp: EvidenceInputs) -> None:
    """The gates this module adds to the methods' list of findings rules, after the "Findings:" entry: the
    threshold rule (what it is, and that its detection is gated by the LQ's interval)."""
    extra = []
    strong = _strong_rule_words(inp.clusters, inp.place.members or [inp.place.code])
    if strong:
        extra.append("Cluster detection: " + strong[:1].lower() + strong[1:])
    words = _threshold_rule_words(inp.clusters, inp.place.members or [inp.place.code])
    if words:
        extra.append("Cluster detection: " + words[:1].lower() + words[1:]
                     + " A detection under it is a strength only when the place's "
                     "business LQ has its 95% interval wholly above 1; met on the point estimate alone, it is "
                     "reported as inconclusive.")
    extra.append("Counts behind rates: business births and deaths are the rate times the active enterprises, "
                 "three-year survivors the survival rate times the cohort's births (Business Demography counts "
                 "are rounded to 5); a rank resting on fewer than 10 of them, counted at the low edge of that "
                 "rounding, is inconclusive. Museums are those open on the date of the museums rate.")
    methods = list(sources.get("methods") or [])
    at = next((k + 1 for k, m in enumerate(methods) if str(m).startswith("Findings:")), len(methods))
    sources["methods"] = [*methods[:at], *extra, *methods[at:]]
    sentences = list(sources["sentences"])
    at = next((k + 1 for k, m in enumerate(sentences) if str(m).startswith("Findings:")), len(sentences))
    sources["sentences"] = [*sentences[:at], *extra, *sentences[at:]]


#: Business Demography rates whose counts (births, deaths, active enterprises) are published rounded to 5.
_DEMOGRAPHY_RATES = ("birth_rate", "death_rate", "survival_rate")


def open_museums(museums: pd.DataFrame | None) -> pd.DataFrame | None:
    """The museums open on the list's date (``open_2021``, the date of ONS's museums per 100,000 people), as
    section 6 lists them: a museum closed by then is not one the rate counts (Longstone Heritage Centre on the
    Isles of Scilly)."""
    if museums is None or "open_2021" not in museums.columns:
        return museums
    return museums[museums["open_2021"].astype(bool)]


def _survival_base(inp: EvidenceInputs) -> RateBase | None:
    """The three-year survival rate's base: the cohort's births (birth rate x active enterprises in the cohort's
    year) and the survivors (survival rate x births), summed over the place's members; None without them."""
    d, members = inp.demography, list(inp.place.members or [inp.place.code])
    year = str(inp.indicator_periods.get("survival_rate", ""))[:4]
    if d is None or d.empty or not year.isdigit():
        return None
    d = d[d["geo_code"].isin(members) & (d["period"].astype(str) == year)]
    status = d["status"].fillna("").astype(str)

    def per(measure: str, st: str = "") -> pd.Series:
        rows = d[(d["measure"] == measure) & (status == st)]
        return rows.drop_duplicates("geo_code").set_index("geo_code")["value"].astype(float)

    active, births_pct, surv = per("active_enterprises"), per("birth_rate_pct"), per("survival_rate_pct", "3-year")
    if not all(m in active.index and m in births_pct.index and m in surv.index for m in members):
        return None
    births = (active[members] * births_pct[members] / 100).round()
    survivors = (births * surv[members] / 100).round()
    return RateBase(float(survivors.sum()), float(births.sum()), "surviving businesses",
                      f"business births in {year}", 2.0)


def pack_rate_bases(inp: EvidenceInputs) -> dict[str, RateBase]:
    """The count each rate rests on, as the findings gate it: the inputs' (workflows), with Business
    Demography's rounding to 5 carried (births and deaths), the survival rate's cohort (births that year)
    added, and museums counted as open on the rate's date, as section 6 counts them.

    >>> from creative_clusters.benchmarking import load_framework
    >>> inp = EvidenceInputs(place=PlaceInfo("A", "A"), framework=load_framework(),
    ...                      museums=pd.DataFrame({"open_2021": [True, False, True]}),
    ...                      rate_bases={"museums_per_100k": RateBase(3.0, float("inf"), "museums"),
    ...                                  "death_rate": RateBase(10.0, 170.0, "business deaths")})
    >>> b = pack_rate_bases(inp)
    >>> b["museums_per_100k"].counted, b["death_rate"].rounding, b["death_rate"].of_noun
    (2.0, 2.0, 'active enterprises')
    """
    out = dict(inp.rate_bases)
    for iid in ("birth_rate", "death_rate"):
        if iid in out:
            out[iid] = out[iid]._replace(rounding=2.0, of_noun=out[iid].of_noun or "active enterprises")
    surv = _survival_base(inp)
    if surv is not None:
        out["survival_rate"] = surv
    mus = open_museums(inp.museums)
    if "museums_per_100k" in out and mus is not None:
        out["museums_per_100k"] = out["museums_per_100k"]._replace(counted=float(len(mus)))
    return out


_LEAD = re.compile(r"^On (.+?), .+ is at the \d+\w\w percentile of \d+ ")


def _leads_follow_findings(bench: Section, ranked: dict[str, list[F.Finding]], inp: EvidenceInputs) -> None:
    """Section 4's leading percentiles say what the summary says of them: a rank the summary holds inconclusive
    (a rate on 2 museums) or reads as churn (a birth rate beside a high death rate) carries the same caveat and
    comes after the ranks that stand on their own, so the section never opens with a rank the summary says not
    to cite alone (Middlesbrough's 98th-percentile birth rate). Changes ``bench`` in place.

    >>> from creative_clusters.benchmarking import load_framework
    >>> inp = EvidenceInputs(place=PlaceInfo("A", "A"), framework=load_framework())
    >>> sec = {"sentences": ["On museums per 100,000 people, A is at the 99th percentile of 296 places (100 = best).",
    ...                      "On GVA per hour worked (GBP), A is at the 75th percentile of 296 places (100 = best)."]}
    >>> f = F.Finding("inconclusive", "Its standing on museums per 100,000 people", "Museums per 100,000 people: "
    ...               "99th percentile of 296 local authorities, but the rate rests on 2 museums, too few.")
    >>> _leads_follow_findings(sec, {"inconclusive": [f]}, inp)
    >>> for x in sec["sentences"]:
    ...     print(x)
    On GVA per hour worked (GBP), A is at the 75th percentile of 296 places (100 = best).
    On museums per 100,000 people, A is at the 99th percentile of 296 places (100 = best), but the rate rests on 2
    museums, too few: not a finding (section 1).
    """
    held: dict[str, str] = {}
    for f in ranked.get("inconclusive", []):
        if f.topic.startswith("Its standing on ") and ", but " in f.claim:
            held[f.topic.removeprefix("Its standing on ")] = "but " + f.claim.split(", but ", 1)[1].rstrip(".") \
                + ": not a finding (section 1)"
        elif f.topic == "Business churn":
            labels = {i.id: S._lower_name(i.label) for i in inp.framework.indicators}
            dp = f.numbers.get("death_percentile")
            if CHURN_PAIR[0] in labels:
                held[labels[CHURN_PAIR[0]]] = (
                    f"but beside a death rate at the {S.pct_ordinal(dp)} percentile (lower is better) it is "
                    "business churn, not a strength on its own: cite it only with the survival rates (section 1)"
                    if dp is not None else "but it is read as business churn (section 1)")
    if not held:
        return
    sents = list(bench.get("sentences") or [])
    at = [k for k, x in enumerate(sents) if _LEAD.match(str(x))]
    clean, caveated = [], []
    for k in at:
        x = str(sents[k])
        key = next((h for h in held if x.startswith(f"On {h}, ")), None)
        if key is None:
            clean.append(x)
        else:
            caveated.append(x.rstrip(".") + ", " + held[key] + ".")
    for k, x in zip(at, clean + caveated, strict=True):
        sents[k] = x
    bench["sentences"] = sents


def _aggregate_among_lads(place: PlaceInfo, bench: pd.DataFrame) -> bool:
    """Whether the benchmark ranks an area of several local authorities among single ones (and itself): its
    percentiles stay in section 4's table, but an aggregate is smoother than its parts (a population-weighted
    mean, a pooled rate), so its rank among them is no finding (the North East's deprivation, West Yorkshire's
    arts engagement, the Bristol travel-to-work area's high-growth firms).

    >>> b = pd.DataFrame({"n_all": [297]})
    >>> _aggregate_among_lads(PlaceInfo("E12000001", "North East", "rgn", ["a", "b"]), b)
    True
    >>> _aggregate_among_lads(PlaceInfo("E06000002", "Middlesbrough"), b)
    False
    """
    if len(place.members) <= 1 or bench is None or not len(bench) or "n_all" not in bench:
        return False
    return int(pd.to_numeric(bench["n_all"], errors="coerce").max() or 0) >= 2


def _kind_in_title(place: PlaceInfo) -> str:
    """What kind of place a title names where a name alone is ambiguous: the West Midlands combined
    authority and the West Midlands region share their name.

    >>> _kind_in_title(PlaceInfo("E47000007", "West Midlands", "cauth", ["a", "b"])), _kind_in_title(
    ...     PlaceInfo("E12000005", "West Midlands", "rgn", ["a", "b"]))
    (' (combined authority)', ' (region)')
    """
    if place.geo_type == "cauth":
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
    for f in sec.get("figures", []):
        f["title"] = with_articles(str(f.get("title", "")), names)
        if isinstance(f.get("alt"), str):
            f["alt"] = with_articles(f["alt"], names)


def _headline_bonus(lq: float) -> float:
    """The all-creative LQ leads its kind, unless it is a modest one (under :data:`~.findings.MODEST_LQ`), whose
    own advice is "not as the lead": then a sub-sector the panel can lead with comes first.

    >>> _headline_bonus(1.6), _headline_bonus(1.2)
    (0.5, 0.0)
    """
    return 0.5 if lq >= F.MODEST_LQ else 0.0


def _window_years(w: Any) -> float | None:
    """A growth window's length in years (``end`` − ``start``), None where its ends are not years.

    >>> from types import SimpleNamespace as N
    >>> _window_years(N(start="2015", end="2025")), _window_years(N(start="", end="2025"))
    (10.0, None)
    """
    try:
        return float(int(w.end) - int(w.start)) or None
    except (TypeError, ValueError):
        return None


def _breaks_in(t: Any, period: str) -> list[str]:
    """Years inside ``period`` ("2019–2024", "births in 2021, surviving to 2024", "2024") in which the place's
    active enterprises (the denominator its series flags) break.

    A break flagged in year Y is the step from Y - 1 to Y, so a break in a
    window's first year lies before the window (Cambridge TTWA: East
    Hertfordshire's 2018-to-2019 step does not touch growth over 2019–2024).

    >>> from types import SimpleNamespace as N
    >>> t = N(series=[N(period="2021", flags=("denominator-break",)), N(period="2023", flags=())])
    >>> _breaks_in(t, "2019–2024"), _breaks_in(t, "2024"), _breaks_in(None, "2019–2024")
    (['2021'], [], [])
    >>> _breaks_in(t, "2021–2024"), _breaks_in(t, "2020–2021")
    ([], ['2021'])
    """
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d{2}\b", period)]
    if t is None or not years:
        return []
    lo, hi = min(years), max(years)
    return [y.period for y in t.series if "denominator-break" in y.flags and str(y.period).isdigit()
            and lo < int(y.period) <= hi]


def _ranked_base(base: str, n: int, place: PlaceInfo) -> str:
    """The words for what a percentile ranks a place among: a group of local authorities (a combined
    authority, a region) is ranked among the local authorities and itself, not "of 297 local authorities".

    Examples
    --------
    >>> _ranked_base("local authorities", 297, PlaceInfo("E47000003", "West Yorkshire", members=["a", "b"]))
    'places (296 local authorities and West Yorkshire)'
    """
    if len(place.members) == 1 or n < 2:  # one LAD (or a group of one): ranked in its place, not beside it
        return base
    return f"places ({n - 1} {base} and {place.name})"


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


def _summary_section(inp: EvidenceInputs, st: dict[str, Any], sections: list[Section]) -> Section:
    sec = _section("summary", 1)
    place = inp.place
    if len(place.members) > 1 or (place.geo_type == "ttwa" and place.members):
        sec["sentences"].append(S.members_sentence(place.label, [inp.names.get(m, m) for m in place.members],
                                                   place.geo_type, rule=place.member_rule))
    if inp.clusters is not None and len(inp.clusters):
        c = inp.clusters[inp.clusters["geo_code"] == place.code]
        if c.empty and len(place.members) > 1:
            m = inp.clusters[inp.clusters["geo_code"].isin(place.members)]
            order = {code: k for k, code in enumerate(place.members)}
            # each method's flagged members by name (in the place's order), so the reader can tell who
            per_method = [(str(method), [inp.names.get(x, x) for x in sorted(
                              g.loc[g["is_cluster"].astype(bool), "geo_code"].astype(str),
                              key=lambda x: order.get(x, 0))])
                          for method, g in m.groupby("method", sort=False)]
            sec["sentences"].append(S.member_clusters_sentence(place.name, len(place.members), per_method))
            if m["method"].eq(_rule_name(inp.clusters, place.members)).any():  # the rule is named: say what it is
                sec["sentences"].append(_threshold_rule_words(inp.clusters, place.members))
        elif len(c):
            yes = [str(r.method) for r in c.itertuples() if bool(r.is_cluster)]
            no = [str(r.method) for r in c.itertuples() if not bool(r.is_cluster)]
            doubt = {str(r.method): f"its business LQ's 95% interval, {S.fmt_num(float(r.lq_lower))} to "
                                    f"{S.fmt_num(float(r.lq_upper))}, includes 1"
                     for r in _point_only_rows(c).itertuples()}
            sec["sentences"].append(S.clusters_summary_sentence(place.name, yes, no, doubt))
            if c["method"].eq(_rule_name(inp.clusters, [place.code])).any():
                sec["sentences"].append(_threshold_rule_words(inp.clusters, [place.code]))
            sec["sentences"].append(_strong_rule_words(inp.clusters, [place.code]))
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
    st["findings"] = ranked
    strengths, weaknesses, unsure = ranked["strength"][:5], ranked["weakness"][:3], ranked["inconclusive"][:4]
    # the findings table lists every finding: each one's datasets are cited in Sources and methods
    sec["sources"].extend(x.strip() for f in found for x in f.source.split(",") if x.strip())
    sec["findings"] = {k: [dict(vars(f)) for f in v] for k, v in (("strength", strengths),
                                                                    ("weakness", weaknesses), ("inconclusive", unsure))}
    seen: set[str] = set()
    for item in (x for v in sec["findings"].values() for x in v):  # the same bid guidance is given once
        if item.get("so_what") in seen:
            item["so_what"] = ""
        seen.add(item.get("so_what") or "")
    sec["sentences"].append(S.bid_case_sentence(place.name, [f.topic for f in strengths],
                                                [f.topic for f in weaknesses], [f.topic for f in unsure]))
    more = {k: len(ranked[k]) - len(v) for k, v in (("strength", strengths), ("weakness", weaknesses),
                                                    ("inconclusive", unsure))}
    sec["sentences"].append(S.more_findings_sentence(more))
    sec["sentences"].append(_unmeasured_focus_sentence(inp))
    bench, base_words = st.get("benchmark"), str(st.get("benchmark_base") or "")
    if bench is not None and len(bench) and base_words and "n_all" in bench:
        n_base = int(pd.to_numeric(bench["n_all"], errors="coerce").max() or 0)
        n_uk = int(pd.to_numeric(bench.get("n_uk", pd.Series(dtype=float)), errors="coerce").max() or 0)
        if 0 < n_base < F.MIN_PLACES:  # e.g. the 22 local authorities of Wales
            sec["sentences"].append(
                f"Its percentiles among the {n_base} {base_words} are in section 4 but are not findings here: a "
                f"strength or weakness from a percentile needs a base of at least {F.MIN_PLACES} places"
                + (f"; its percentiles among the {n_uk} {UK_BASE}, on the indicators whose data reach all four "
                   "nations, are." if n_uk >= F.MIN_PLACES else "."))
    if bench is not None and _aggregate_among_lads(place, bench):
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
    return (f"The bid's focus, {S.join_and(focus)}, cannot be measured for {inp.place.name}: the creative "
            "enterprise counts by SIC class cover English local authorities only, and the UK-wide annual series "
            "counts the creative industries as a whole. Counts of enterprises or employment by SIC class for "
            f"{inp.place.name}'s local authorities (UK Business Counts or BRES by SIC class, e.g. from NOMIS) "
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


def _headline(st: dict[str, Any], period: str, census: str = "") -> list[Headline]:
    out: list[Headline] = []
    if st.get("creative_enterprises") is not None:
        out.append({"label": f"Creative enterprises (March {period})", "value": S.fmt_int(st["creative_enterprises"]),
                    "raw": float(st["creative_enterprises"]), "note": "UK Business Counts, rounded to 5",
                    "format": "int"})
        out.append({"label": "Share of England's creative enterprises",
                    "value": S.fmt_pct(st["share_england"], S.SHARE_DIGITS), "raw": float(st["share_england"]),
                    "note": "",
                    "format": "pct2"})
    elif st.get("series_enterprises") is not None:  # outside the SIC counts' coverage: the UK-wide annual series
        n, year = st["series_enterprises"]
        out.append({"label": f"Creative enterprises ({year}, annual series)", "value": S.fmt_int(n), "raw": float(n),
                    "note": "UK Business Counts, rounded to 5", "format": "int"})
        sl = st.get("series_lq") or {}
        if sl.get("lq") is not None and not np.isnan(sl["lq"]):
            out.append({"label": "Creative business location quotient (UK = 1)", "value": S.fmt_num(sl["lq"]),
                        "raw": float(sl["lq"]), "format": "num2",
                        "note": f"{sl['period']}; 95% interval {S.fmt_num(sl['lo'])} to {S.fmt_num(sl['hi'])}"})
    la = st.get("lq_all") or {}
    if la.get("lq") is not None and not np.isnan(la["lq"]):
        out.append({"label": "Creative business location quotient", "value": S.fmt_num(la["lq"]),
                    "raw": float(la["lq"]), "format": "num2",
                    "note": f"95% interval {S.fmt_num(la['lo'])} to {S.fmt_num(la['hi'])}"})
    rank, n = st.get("rank_all", (None, 0))
    if rank:
        out.append({"label": "Rank among English local authorities", "value": f"{S.ordinal(rank)} of {n}",
                    "raw": rank, "note": "by creative enterprises, summed over SIC classes", "format": "int"})
    if st.get("census_share") is not None:
        # a share (of residents in employment, TS060's base), not a count of residents
        what = "Share of employed residents in creative divisions"
        label = f"{what} (Census {census})" if census else what
        out.append({"label": label, "value": S.fmt_pct(st["census_share"]),
                    "raw": float(st["census_share"]), "note": "approximate, where people live",
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
    return list(first.values())


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
    st: dict[str, Any] = {}
    st["active"] = inp.active_latest if inp.active_latest is not None else _active_latest(inp.demography)[0]
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
    _define_rule_in_neighbours(conn, inp.clusters, inp.place.members or [inp.place.code])
    _leads_follow_findings(bench, st.get("findings") or {}, inp)
    for sec in [summary, *body]:  # a dataset a table's figures carry is cited, whoever built the table
        sec["sources"] = [*sec["sources"], *(d for t in sec["tables"] for d in t.get("sources", []))]
    used = _dataset_ids({d for sec in [summary, *body] for d in sec["sources"]}, inp.sources)
    if inp.geometry is not None:
        used = sorted({*used, *_dataset_ids({"geography_boundaries"}, inp.sources)})
    for sec in [summary, *body]:
        sec["sources"] = _dataset_ids(set(sec["sources"]), inp.sources)
    sources = sources_section(inp, st, used, dcms.DEFINITION_VERSION)
    _more_methods(sources, inp)
    gaps = commands_to_appendix([summary, *body])
    if gaps:
        sources["tables"].append(_table(
            "Filling the gaps", ["Section", "What is missing", "Command"], gaps, ["text"] * 3,
            ["For the analyst who maintains the evidence: each command adds the missing data to the warehouse "
             "(it needs an internet connection); build the pack again afterwards."]))
    names = (*ARTICLE_NAMES, *([inp.place.name] if inp.place.geo_type == "ttwa" else []))
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
        "peers": [{"code": p, "name": inp.names.get(p, p)} for p in st["peers"]],
        "headline": _headline(st, inp.enterprises_period,
                              str(latest_source(inp.sources, kinds.CENSUS_INDUSTRY).get("vintage", ""))),
        "sections": [summary, *body, sources],
        "sources": [_source_record(dataset_record(inp, i) or known[i]) for i in used if i in known],
        "definitions_version": dcms.DEFINITION_VERSION,
        "framework_version": f"{inp.framework.title}, version {inp.framework.version}",
        "caveats": pack_caveats(*_lq_years(inp)),
        "build_date": inp.build_date,
        "generator": inp.generator,
    }
