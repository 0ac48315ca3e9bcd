"""The findings of a pack: each section's claims, gated by their evidence, for the summary to rank.

:func:`place_findings` turns the figures the sections computed (and the
inputs) into typed :class:`~creative_clusters.reporting.findings.Finding`
objects: specialisation with its interval, cluster detections (rules that test
the same LQ counted once), growth against the nation, benchmark percentiles
(across the UK for a place outside England, unless the place does not hold the
rank within its nation), churn, and the gates that make a claim inconclusive
(small counts, rounding, registration surges, survey intervals). The rule
words (:func:`threshold_rule_words`, :func:`strong_rule_words`) define each
detection rule once, in the methods; the summary gives them in brief
(:func:`rules_brief_words`) and section 7 points to them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.clusters.trajectory import NOT_EMERGING
from creative_clusters.geography.place import nations_in
from creative_clusters.indicators.outliers import relative_spike
from creative_clusters.indicators.rounding import cohort_counts, rounding_error
from creative_clusters.indicators.trajectory import fall_from_peak
from creative_clusters.people.anchors import open_museums
from creative_clusters.reporting import findings as F
from creative_clusters.reporting._model import (
    SUBSECTOR_NAMES,
    EvidenceInputs,
    PackState,
    PlaceInfo,
    RateBase,
    SeriesLQ,
)
from creative_clusters.reporting.formatting import _lower_name, fmt_int, fmt_num, join_and, pct_ordinal
from creative_clusters.reporting.nation_benchmark import uk_base_words
from creative_clusters.reporting.pack_types import Section
from creative_clusters.reporting.sentences_benchmark import ranked_base
from creative_clusters.reporting.sentences_clusters import (
    rules_brief_sentence,
    strong_rule_sentence,
    threshold_rule_sentence,
)

__all__ = [
    "CHURN_PAIR",
    "DEMOGRAPHY_RATES",
    "aggregate_among_lads",
    "define_rule_in_neighbours",
    "leads_follow_findings",
    "more_methods",
    "pack_rate_bases",
    "place_findings",
    "point_only_rows",
    "rule_name",
    "rules_brief_words",
    "strong_rule_words",
    "threshold_rule_words",
]


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


def _nation_lq_finding(name: str, nl: SeriesLQ | None, uk: F.Finding) -> list[F.Finding]:
    """A devolved place's LQ against its own nation, gated like the UK one, beside it (``uk``, changed in place).

    A concentration clear of 1 against the nation is a finding of its own (Glasgow City: 1.44 against
    Scotland while in line with the UK); one claim per direction: when both are strengths, or both
    weaknesses, the UK's is kept and the nation's is context; when only the nation's is a strength,
    the UK's doubt is context beside it, not a warning against the claim; when the nation's is a strength and
    the UK's a weakness (Clyde: 1.30 against Scotland, 0.91 against the UK), both stand and the strength says
    it holds within the nation only.
    """
    if nl is None or nl.lq is None or nl.lo is None or nl.hi is None:
        return []
    f = F.specialisation_finding(name, f"All creative industries against {nl.nation} ({nl.period})",
                                 lq=nl.lq, lo=nl.lo, hi=nl.hi, count=nl.count,
                                 source=kinds.CREATIVE_ENTERPRISES_SERIES, area=nl.nation)
    f.section = "scale"
    f.salience += 0.4 + (_headline_bonus(nl.lq) if f.kind == "strength" else 0.0)
    if f.kind == uk.kind and f.kind in ("strength", "weakness"):
        f.kind, f.salience = "context", 0.0
    elif f.kind == "strength" and uk.kind == "inconclusive":
        uk.kind, uk.salience = "context", 0.0
        f.so_what = (f"A specialisation within {nl.nation} the panel can verify; against the UK the "
                     f"concentration is in line (LQ {fmt_num(uk.numbers['lq'])}), so frame it "
                     f"within {nl.nation}.")
    elif f.kind == "strength" and uk.kind == "weakness":
        # concentrated within a nation that is itself thin on creative firms: a nation's strength, not a lead
        f.so_what = (f"A specialisation within {nl.nation} the panel can verify, but against the UK the "
                     f"concentration is below the UK's level (LQ {fmt_num(uk.numbers['lq'])}, a weakness below): "
                     f"frame it within {nl.nation} and never as a UK-level specialisation.")
        f.salience = min(f.salience, uk.salience)
    elif f.kind == "inconclusive" and uk.kind in ("strength", "weakness"):
        f.kind, f.salience = "context", 0.0
    return [f]


def place_findings(st: PackState, inp: EvidenceInputs) -> list[F.Finding]:
    """Every finding of the pack, gated by uncertainty (rules in :mod:`creative_clusters.reporting.findings`)."""
    place = inp.place
    out: list[F.Finding] = []
    la = st.lq_all
    if st.creative_enterprises is not None and la is not None:
        f = F.specialisation_finding(place.name, "All creative industries", lq=la.lq, lo=la.lo, hi=la.hi,
                                     count=st.creative_enterprises, source=kinds.CREATIVE_ENTERPRISES_SIC)
        f.section = "scale"
        f.salience += _headline_bonus(la.lq)
        out.append(f)
    sl = st.series_lq
    if la is None and sl is not None and sl.lq is not None and sl.lo is not None and sl.hi is not None:
        # outside the SIC-level counts: the annual series
        f = F.specialisation_finding(place.name, f"All creative industries ({sl.period})", lq=sl.lq,
                                     lo=sl.lo, hi=sl.hi, count=sl.count,
                                     source=kinds.CREATIVE_ENTERPRISES_SERIES, area="the UK")
        f.section = "scale"
        f.salience += _headline_bonus(sl.lq)
        out.append(f)
        out.extend(_nation_lq_finding(place.name, st.series_lq_nation, f))
    focus = {SUBSECTOR_NAMES.get(c, c) for c in inp.subsectors}
    for name, lq, lo, hi, count in st.subsector_lq:
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
    for fx in st.focus:
        f = F.specialisation_finding(place.name, f"{fx.term.capitalize()} (SIC {', '.join(fx.classes)})", lq=fx.lq,
                                     lo=fx.lo, hi=fx.hi, count=fx.count, source=kinds.CREATIVE_ENTERPRISES_SIC)
        f.section, f.salience = "scale", f.salience + F.FOCUS_SALIENCE + 0.3  # the exact classes before the sub-sector
        f.uncertainty += ". " + fx.note
        _focus_never_silent(f)
        out.append(f)
    if inp.clusters is not None and len(inp.clusters):
        mine = inp.clusters[inp.clusters["geo_code"] == place.code]
        c = mine[mine["is_cluster"].astype(bool)]
        doubt = point_only_rows(mine)
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
    if t is not None and t.windows and t.level != "uk":  # the UK is not compared with itself
        w = t.window("ten_year") or t.windows[0]
        # a nation is compared with the UK by the same rule; any other place with its nation
        versus, versus_cagr = (("the UK", w.uk_cagr) if t.level == "ctry" else (t.nation_name, w.nation_cagr))
        gf = F.growth_finding(place.name, window=w.label, start=w.start_value, end=w.end_value, cagr=w.cagr,
                              nation=versus, nation_cagr=np.nan if versus_cagr is None else versus_cagr,
                              flagged="outlier" in w.flags,
                              source=kinds.CREATIVE_ENTERPRISES_SERIES, years=_window_years(w),
                              # each published count is within 2 of the truth; a sum of k within 2k
                              rounding=2.0 * max(1, len(place.members or ())))
        if gf is not None:
            gf.section = "growth"
            _growth_caveats(gf, t, w, place.name)
            out.append(gf)
    bench = st.benchmark
    by_id: dict[str, F.Finding] = {}
    rate_bases = pack_rate_bases(inp)
    if bench is not None and aggregate_among_lads(place, bench):
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
            pct, n, lo, hi, tied = ((r.pct_uk, r.n_uk, r.pct_uk_min, r.pct_uk_max, getattr(r, "tied_uk", 0)) if uk
                                    else (r.pct_all, r.n_all, getattr(r, "pct_all_min", np.nan),
                                          getattr(r, "pct_all_max", np.nan), getattr(r, "tied_all", 0)))
            pf = F.percentile_finding(place.name, str(r.label), pct=float(pct), n=int(n),
                                      value=float(r.value), unit=ind.unit, additive=ind.additive,
                                      source=str(ind.dataset or ""), direction=str(r.direction),
                                      base=uk_base_words(getattr(r, "uk_base_note", "")) if uk else ranked_base(
                                          st.benchmark_base or "local authorities", int(n), place),
                                      growth_base=inp.growth_bases.get(ind.id),
                                      rate_base=rate_bases.get(ind.id),
                                      interval=inp.rate_intervals.get(ind.id),
                                      pct_range=(float(lo), float(hi)),
                                      tied=0 if pd.isna(tied) else int(tied))
            if pf is not None and pf.kind in ("strength", "weakness") and ind.dataset == kinds.ACTIVE_ENTERPRISES:
                broken = _breaks_in(t, inp.indicator_periods.get(ind.id, ""))
                if broken:  # the place's own active-enterprise series breaks inside the indicator's period
                    pf = F.Finding("inconclusive", pf.topic,
                                   f"{pf.claim.rstrip('.')}, but {place.name}'s count of active enterprises "
                                   f"breaks in {join_and(broken)} (flagged in section 3), so the rank may "
                                   "reflect the break rather than the place.", pf.numbers,
                                   "a rank on a series with a break", pf.comparison, pf.source,
                                   "Do not cite this rank until the publisher's series is consistent.", 0.1)
            if pf is not None and pf.kind in ("strength", "weakness") and ind.id == SURVIVAL:
                pf = _cohort_gate(pf, inp, place.name)
            if pf is not None and uk and pf.kind in ("strength", "weakness") and not pd.isna(r.pct_all) and (
                    r.pct_all <= F.NATION_EFFECT_PCT if pf.kind == "strength" else r.pct_all >= F.NATION_EFFECT_PCT):
                # a UK rank the place does not hold within its nation: the nation's standing, not the place's
                pf = F.nation_effect_finding(pf, place.name, nations_in(place.members),
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
        churn = F.churn_finding(place.name, births, deaths)
        churn.section, churn.indicator = "benchmark", ",".join(CHURN_PAIR)
        out.append(churn)
    return out


#: Columns a threshold rule's cluster rows carry (workflows.pack_data): its thresholds and the place's LQ interval.
_RULE_COLUMNS = ("rule", "lq", "lq_lower", "lq_upper", "size", "min_lq", "min_size")


def point_only_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The flagged threshold-rule rows whose business LQ's 95% interval reaches 1: the rule is met on the point
    estimate only (Horsham, LQ 1.03 from 0.96 to 1.10), which is no more a strength than any specialisation whose
    interval includes 1. Empty where the rows do not carry the rule's figures.

    >>> r = pd.DataFrame({"method": ["t", "t"], "geo_code": ["A", "B"], "is_cluster": [True, True],
    ...                   "rule": "threshold", "lq": [1.03, 1.2], "lq_lower": [0.96, 1.1], "lq_upper": [1.1, 1.3],
    ...                   "size": 780.0, "min_lq": 1.0, "min_size": 277.0})
    >>> point_only_rows(r)["geo_code"].tolist()
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
    than "emerging", with the reason the classifier gives (:data:`~creative_clusters.clusters.trajectory.NOT_EMERGING`:
    a base under the floor, growth under the rule's lead, or a class tested first), and a fall since the window's
    peak among its values not flagged as outliers."""
    if gf.kind != "strength":
        return
    # a value flagged as an outlier (Bromsgrove 2018, "probably an error in the source") is never a peak: the claim
    # names the peak among the unflagged values (docs/trajectory.md: no claim is built on a flagged count)
    vals = [(y.period, y.value) for y in t.series if str(w.start) <= str(y.period) <= str(w.end)
            and "outlier" not in y.flags]
    fall = fall_from_peak([p for p, _ in vals], [v for _, v in vals], since=w.start) if vals else None
    if fall is not None and fall[2] >= PEAK_FALL_PCT:
        gf.claim = (gf.claim.rstrip(".") + f"; but it peaked at {fmt_int(fall[1])} in {fall[0]} and is "
                    f"{fmt_num(fall[2], 1)}% below that now.")
    if t.trajectory and t.trajectory != "emerging":
        # the classifier's own reason (its base under the floor, "established" tested first), never re-derived
        why = NOT_EMERGING.search(str(t.trajectory_reason or ""))
        gf.so_what += (f" Section 3 classes {place} as {t.trajectory}, not emerging"
                       + (f": {why.group(1).strip().rstrip('.')}" if why else "")
                       + ". Cite the growth, not an emerging cluster.")


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
    usual = f"{fmt_num(float(other.min()), 1)}% to {fmt_num(float(other.max()), 1)}%"
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


def threshold_rule_words(clusters: pd.DataFrame | None, codes: Sequence[str] = ()) -> str:
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
    return threshold_rule_sentence(str(t["method"].iloc[0]), float(t["min_lq"].iloc[0]),
                                     float(t["min_size"].iloc[0]), int(n),
                                     **({"against": "the UK", "places": "UK local authorities in the annual series "
                                         "of all creative industries" + (f", {year}" if year else "")}
                                        if uk else {}))


def strong_rule_words(clusters: pd.DataFrame | None, codes: Sequence[str] = ()) -> str:
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
    return strong_rule_sentence(str(r["method"]), float(r["lq_cut"]), float(r["min_lq"]), float(r["size_cut"]),
                                  n, places="UK local authorities" if uk else "English local authorities")


def rules_brief_words(clusters: pd.DataFrame | None, codes: Sequence[str] = (), *, threshold: bool = True) -> str:
    """The summary's short form of the rules the methods define (:func:`more_methods`): the threshold rule
    (when ``threshold``: the summary names it) and the US Cluster Mapping rule, from the same rows as
    :func:`threshold_rule_words` and :func:`strong_rule_words`; "" when neither is defined."""
    cuts, uk = None, False
    if threshold and threshold_rule_words(clusters, codes):
        t = _rule_rows(clusters, codes)
        assert t is not None  # the words came from these rows
        cuts = (float(t["min_lq"].iloc[0]), float(t["min_size"].iloc[0]))
        uk = str(t["method"].iloc[0]) == kinds.SERIES_THRESHOLD_RULE
    strong = None
    if strong_rule_words(clusters, codes):
        assert clusters is not None
        r = clusters[(clusters["rule"] == "strong") & clusters["geo_code"].isin(list(codes))].iloc[0]
        strong = (str(r["method"]), float(r["lq_cut"]), float(r["size_cut"]))
    return rules_brief_sentence(cuts, strong, against="the UK" if cuts and uk else "")


def rule_name(clusters: pd.DataFrame | None, codes: Sequence[str] = ()) -> str:
    """The threshold rule's name as its rows give it ("" without them)."""
    t = _rule_rows(clusters, codes)
    return "" if t is None else str(t["method"].iloc[0])


def define_rule_in_neighbours(conn: Section, clusters: pd.DataFrame | None, codes: Sequence[str] = ()) -> None:
    """Section 7's neighbour table names the threshold rule: a note under the table points to its definition
    in the methods (:func:`more_methods`), said there once."""
    words = threshold_rule_words(clusters, codes)
    if not words:
        return
    rule = rule_name(clusters, codes)
    doubt = set(point_only_rows(clusters)["geo_code"].astype(str)) if clusters is not None else set()
    for t in conn["tables"]:
        if str(t["title"]).startswith("Neighbouring") and any(rule in str(r[-1]) for r in t["rows"]):
            weak = [str(r[1]) for r in t["rows"] if str(r[0]) in doubt and rule in str(r[-1])]
            t["notes"] = [*t["notes"], f"How the {rule} decides: see its definition in section 9 (Sources "
                                       "and methods)."] + (
                [f"Met on the point estimate only (the business LQ's 95% interval includes 1, so not a cluster "
                 f"beyond doubt): {join_and(weak)}."] if weak else [])


def more_methods(sources: Section, inp: EvidenceInputs) -> None:
    """The gates this module adds to the methods' list of findings rules, after the "Findings:" entry: the
    threshold rule (what it is, and that its detection is gated by the LQ's interval)."""
    extra = []
    strong = strong_rule_words(inp.clusters, inp.place.members or [inp.place.code])
    if strong:
        extra.append("Cluster detection: " + strong[:1].lower() + strong[1:])
    words = threshold_rule_words(inp.clusters, inp.place.members or [inp.place.code])
    if words:
        extra.append("Cluster detection: " + words[:1].lower() + words[1:]
                     + " A detection under it is a strength only when the place's "
                     "business LQ has its 95% interval wholly above 1; met on the point estimate alone, it is "
                     "reported as inconclusive.")
    extra.append("Counts behind rates: business births and deaths are the rate times the active enterprises, "
                 "three-year survivors the survival rate times the cohort's births (Business Demography counts "
                 "are rounded to 5); a rank resting on fewer than 10 of them, counted at the low edge of that "
                 "rounding, is inconclusive; so is one whose rate, recomputed at the lowest and highest counts the "
                 "rounding allows (15 births may be 13 to 17) and ranked at each, could leave the top or bottom "
                 "fifth. Museums are those open on the date of the museums rate.")
    methods = list(sources.get("methods") or [])
    at = next((k + 1 for k, m in enumerate(methods) if str(m).startswith("Findings:")), len(methods))
    sources["methods"] = [*methods[:at], *extra, *methods[at:]]
    sentences = list(sources["sentences"])
    at = next((k + 1 for k, m in enumerate(sentences) if str(m).startswith("Findings:")), len(sentences))
    sources["sentences"] = [*sentences[:at], *extra, *sentences[at:]]


#: Business Demography rates whose counts (births, deaths, active enterprises) are published rounded to 5.
DEMOGRAPHY_RATES = ("birth_rate", "death_rate", "survival_rate")


def _survival_base(inp: EvidenceInputs) -> RateBase | None:
    """The three-year survival rate's base: the cohort's births (birth rate x active enterprises in the cohort's
    year) and the survivors (survival rate x births), summed over the place's members
    (:func:`~creative_clusters.indicators.rounding.cohort_counts`); None without them."""
    members = list(inp.place.members or [inp.place.code])
    year = str(inp.indicator_periods.get("survival_rate", ""))[:4]
    got = cohort_counts(inp.demography, members, year) if year.isdigit() else None
    if got is None:
        return None
    return RateBase(got[0], got[1], "surviving businesses", f"business births in {year}",
                    rounding_error(len(members)))


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
    for iid in ("birth_rate", "death_rate"):  # a sum of k counts rounded to 5 is within 2k of the truth
        if iid in out:
            out[iid] = out[iid]._replace(rounding=rounding_error(len(inp.place.members or [inp.place.code])),
                                         of_noun=out[iid].of_noun or "active enterprises")
    surv = _survival_base(inp)
    if surv is not None:
        out["survival_rate"] = surv
    if "museums_per_100k" in out and inp.museums is not None:
        out["museums_per_100k"] = out["museums_per_100k"]._replace(counted=float(len(open_museums(inp.museums))))
    return out


_LEAD = re.compile(r"^On (.+?), .+ is at the \d+\w\w percentile of \d+ ")


def leads_follow_findings(bench: Section, ranked: dict[str, list[F.Finding]], inp: EvidenceInputs) -> None:
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
    >>> leads_follow_findings(sec, {"inconclusive": [f]}, inp)
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
            labels = {i.id: _lower_name(i.label) for i in inp.framework.indicators}
            dp = f.numbers.get("death_percentile")
            if CHURN_PAIR[0] in labels:
                held[labels[CHURN_PAIR[0]]] = (
                    f"but beside a death rate at the {pct_ordinal(dp)} percentile (lower is better) it is "
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


def aggregate_among_lads(place: PlaceInfo, bench: pd.DataFrame) -> bool:
    """Whether the benchmark ranks an area of several local authorities among single ones (and itself): its
    percentiles stay in section 4's table, but an aggregate is smoother than its parts (a population-weighted
    mean, a pooled rate), so its rank among them is no finding (the North East's deprivation, West Yorkshire's
    arts engagement, the Bristol travel-to-work area's high-growth firms).

    >>> b = pd.DataFrame({"n_all": [297]})
    >>> aggregate_among_lads(PlaceInfo("E12000001", "North East", "rgn", ["a", "b"]), b)
    True
    >>> aggregate_among_lads(PlaceInfo("E06000002", "Middlesbrough"), b)
    False
    """
    if len(place.members) <= 1 or bench is None or not len(bench) or "n_all" not in bench:
        return False
    return int(pd.to_numeric(bench["n_all"], errors="coerce").max() or 0) >= 2


def _headline_bonus(lq: float) -> float:
    """The all-creative LQ comes first of its kind after the focus and a detected cluster (the methods say so),
    unless it is a modest one (under :data:`~.findings.MODEST_LQ`), whose own advice is "not as the lead": then
    the findings follow the size of the effect.

    >>> _headline_bonus(1.6), _headline_bonus(1.2)
    (20.0, 0.0)
    """
    return F.HEADLINE_SALIENCE if lq >= F.MODEST_LQ else 0.0


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
