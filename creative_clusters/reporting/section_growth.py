"""Section 3 of the evidence pack: growth and dynamism (the place's annual series and trajectory, its
business demography, its own ONS analysis and the wider-area NUTS2 block) (pure)."""

from __future__ import annotations

import pandas as pd

from creative_clusters import kinds
from creative_clusters.indicators.growth import change_pct
from creative_clusters.reporting._model import (
    EvidenceInputs,
    PackState,
    _finish,
    _section,
    _table,
    latest_source,
)
from creative_clusters.reporting.area_profile import profile_block
from creative_clusters.reporting.charts import trend_figure
from creative_clusters.reporting.pack_types import Section
from creative_clusters.reporting.section_scale import FETCH_COUNTS
from creative_clusters.reporting.sentences_growth import births_deaths_sentence, growth_sentence, survival_sentence
from creative_clusters.reporting.trajectory_block import trajectory_block

__all__ = [
    "NO_CLASS_COUNTS",
    "ONE_YEAR",
    "ONE_YEAR_BY_CLASS",
    "SNAPSHOTS",
    "counts_years_notice",
    "two_bases_sentence",
]


#: The notice when creative counts by SIC class cover one year (and its wording when the annual series exists).
ONE_YEAR = "This pack has creative enterprise counts for one year only"
ONE_YEAR_BY_CLASS = ("This pack has creative enterprise counts by sub-sector (SIC class) for one year only "
                     "(the annual series counts all creative industries together)")
#: The notice for a place outside England: the counts by SIC class cover England only.
NO_CLASS_COUNTS = ("Creative enterprise counts by sub-sector (SIC class) cover England only: this pack has none "
                   "for {place} (the annual series counts all creative industries together), {no_trend}.")
#: The notice's start when the catalogue holds several snapshots by SIC class (the pack reads one of them).
SNAPSHOTS = "Creative enterprise counts by sub-sector (SIC class) are in the warehouse for March"
_NO_TREND = "so there is no creative trend or shift-share yet"


def counts_years_notice(years: list[str], period: str) -> str:
    """Section 3's notice on the years of creative enterprise counts by SIC class: ``years`` are those the
    catalogue holds (:attr:`EvidenceInputs.enterprise_years`), ``period`` the one the pack reads.

    Examples
    --------
    >>> counts_years_notice(["2025"], "2025").startswith(ONE_YEAR)
    True
    >>> counts_years_notice(["2024", "2025", "2026"], "2026").split("; ")[1]
    'this pack reads the 2026 snapshot only and does not compare sub-sectors across snapshots, so there is no \
creative trend or shift-share yet.'
    """
    if len(years) < 2:
        return f"{ONE_YEAR}, {_NO_TREND}. Fetch earlier UK Business Counts with `{FETCH_COUNTS}`."
    listed = ", ".join(years[:-1]) + " and " + years[-1]
    return (f"{SNAPSHOTS} {listed} (UK Business Counts); this pack reads the {period} snapshot only and does not "
            f"compare sub-sectors across snapshots, {_NO_TREND}.")


def _is_counts_notice(m: str) -> bool:
    return m.startswith((ONE_YEAR, ONE_YEAR_BY_CLASS, SNAPSHOTS, NO_CLASS_COUNTS.split(":")[0]))


def _growth_section(inp: EvidenceInputs, st: PackState) -> Section:
    """The place's creative-enterprise series, business demography, then the wider-area (NUTS2) block."""
    sec = _growth_demography(inp, st)
    own = trajectory_block(inp.trajectory, place=inp.place.name, png=inp.png, reason=inp.trajectory_missing)
    no_trend = _NO_TREND
    if own["tables"]:  # the annual series is here: only the sub-sector (SIC class) counts are one year
        no_trend_own = "so there is no shift-share by sub-sector for the place itself yet"
        sec["missing"] = [m.replace(ONE_YEAR, ONE_YEAR_BY_CLASS).replace(no_trend, no_trend_own)
                          for m in sec["missing"]]
        no_trend = no_trend_own
    if inp.place.members and not any(str(m).startswith("E") for m in inp.place.members):
        # Wales, Scotland, Northern Ireland: the counts by SIC class are England's, so the place has none at all
        # (not "one year only"), as its profile says ("not applicable (covers England only)")
        sec["missing"] = [NO_CLASS_COUNTS.format(place=inp.place.name, no_trend=no_trend) if _is_counts_notice(m) else m
                          for m in sec["missing"]]
    sec["sentences"][:0] = own["sentences"]
    sec["tables"][:0] = own["tables"]
    sec["figures"][:0] = own["figures"]
    sec["sources"].extend(own["sources"])
    sec["missing"].extend(own["missing"])
    sec["status"] = "ok"
    ps, pt, pids = profile_block(inp)  # the place's own ad-hoc analysis, where it has one
    if ps:
        sec["sentences"].extend(ps)
        sec["tables"].extend(pt)
        sec["sources"].extend(pids)
        sec["missing"] = [m + f" The ONS analysis for {inp.place.name} in this section gives its creative "
                          "totals year by year." if _is_counts_notice(m) else m for m in sec["missing"]]
    block = inp.nuts2_growth
    if not block:
        return _finish(sec)
    sec["sentences"].extend(block.get("sentences", []))
    own_jobs = inp.area_profile is not None and "employment" in inp.area_profile.columns
    if ps and own_jobs and block.get("tables"):  # two employment series side by side: say why they differ
        sec["sentences"].append(two_bases_sentence(inp.place.name, str(block.get("area_name") or "")))
    sec["tables"].extend(block.get("tables", []))
    sec["sources"].extend(block.get("sources", []))
    if block.get("tables"):
        msg = sec["missing"][0] if sec["missing"] and _is_counts_notice(sec["missing"][0]) else None
        if msg is not None:
            sec["missing"][0] = msg.replace(no_trend, (
                "so the shift-share in this section comes from BRES employment for the NUTS2 (2013) area that "
                "matches the place (the table's notes give its extent)") if block.get("same_area") else (
                "so the shift-share in this section is for the wider NUTS2 (2013) area (BRES employment), not "
                "the place itself"))
    sec["missing"].extend(block.get("missing", []))
    sec["status"] = "ok"
    return _finish(sec)


def two_bases_sentence(place: str, area: str) -> str:
    """Why the NUTS2 area's BRES employment and the place's own ONS analysis give different levels: they
    count on different bases (West Yorkshire, 2018: 47,085 in BRES, 32,990 in the ONS analysis).

    >>> two_bases_sentence("West Yorkshire", "West Yorkshire").split(". ")[-1]
    "Their levels are not comparable; compare each series' own trend only."
    """
    return ("The two employment series differ in basis: BRES counts employees and working owners at each "
            f"workplace (local unit) in {area or 'the NUTS2 (2013) area'}, while the ONS analysis for {place} "
            "counts the employment of enterprises on the business register (IDBR), each enterprise's whole "
            "employment at the enterprise's address, not at its workplaces. Their levels are not comparable; "
            "compare each series' own trend only.")


def _growth_demography(inp: EvidenceInputs, st: PackState) -> Section:
    sec = _section("growth", 3)
    place = inp.place
    sec["missing"].append(counts_years_notice(inp.enterprise_years or [inp.enterprises_period],
                                              inp.enterprises_period))
    d = inp.demography
    if d is None or d.empty:
        sec["missing"].append("No business demography in the warehouse. Run `creative-clusters data import DIR` "
                              f"(dataset kind {kinds.ACTIVE_ENTERPRISES}).")
        return _finish(sec, inp.missing.get("growth"))
    pv = inp.demography_place if inp.demography_place is not None else pd.DataFrame()
    if pv.empty:
        sec["missing"].append(f"Business demography has no rows for {place.name}.")
        return _finish(sec, inp.missing.get("growth"))
    sec["sources"].append(kinds.ACTIVE_ENTERPRISES)
    ref = inp.demography_ref if inp.demography_ref is not None else pd.DataFrame()
    ref_name = "the UK"

    def col(frame: pd.DataFrame, m: str, s: str = "") -> pd.Series:
        return frame[(m, s)] if (m, s) in frame.columns else pd.Series(dtype=float)

    a = col(pv, "active_enterprises").dropna()
    ra = col(ref, "active_enterprises").dropna()
    periods = sorted(a.index)
    if len(periods) >= 2:
        p0, p1 = periods[0], periods[-1]
        rg = change_pct(ra[p0], ra[p1]) if p0 in ra.index and p1 in ra.index else None
        sec["sentences"].append(growth_sentence(place.name, "Active enterprises (all industries)",
                                                  p0, p1, a[p0], a[p1], ref_name, rg,
                                                  growth_pct=change_pct(a[p0], a[p1])))
        series = {place.name: [a[p] for p in periods]}
        if len(ra) and all(p in ra.index for p in periods):
            series["UK"] = [ra[p] for p in periods]
        sec["figures"].append(trend_figure(periods, series, what="Active enterprises, all industries",
                                                place=place.name, png=inp.png))
    b, dd = col(pv, "birth_rate_pct").dropna(), col(pv, "death_rate_pct").dropna()
    if len(b) and len(dd):
        p = max(set(b.index) & set(dd.index))
        sec["sentences"].append(births_deaths_sentence(
            place.name, p, b[p], dd[p], ref_name,
            col(ref, "birth_rate_pct").get(p), col(ref, "death_rate_pct").get(p)))
    surv_status = sorted({s for (m, s) in pv.columns if m == "survival_rate_pct"})
    surv_rows = []
    for s in surv_status:
        v = col(pv, "survival_rate_pct", s).dropna()
        if len(v):
            p = v.index.max()
            surv_rows.append([f"{s} survival (cohort {p})", v[p], col(ref, "survival_rate_pct", s).get(p)])
    pick = [r for r in surv_rows if r[0].startswith("3-year")] or surv_rows[:1]
    if pick:
        sec["sentences"].append(survival_sentence(place.name, pick[0][1], f"{pick[0][0].split(' (')[0]} rate",
                                                    ref_name, pick[0][2]))
    measures = [("active_enterprises", "Active enterprises", "int"), ("birth_rate_pct", "Birth rate (%)", "pct"),
                ("death_rate_pct", "Death rate (%)", "pct"), ("high_growth_rate_pct", "High-growth rate (%)", "pct"),
                ("high_growth_enterprises", "High-growth enterprises", "int")]
    measures = [m for m in measures if (m[0], "") in pv.columns]
    rows = []
    for p in sorted(pv.index):
        rows.append([p, *[col(pv, m)[p] if p in col(pv, m).index else None for m, _, _ in measures],
                     *([col(ref, "active_enterprises").get(p)] if len(ref) else [])])
    cols = ["Year", *[lab for _, lab, _ in measures], *(["UK active enterprises"] if len(ref) else [])]
    fmts = ["text", *[f for _, _, f in measures], *(["int"] if len(ref) else [])]
    released = latest_source(inp.sources, kinds.ACTIVE_ENTERPRISES).get("vintage", "")
    notes = [f"All industries (ONS Business Demography{', released ' + released if released else ''}). "
             "'Active' means any "
             "turnover or employment in the year, so it runs above the March snapshot of UK Business Counts."]
    if place.code not in set(d["geo_code"]):
        # how the statistics layer obtained them (evidence_stats.demography_values), said as it says it
        how = str(pv.attrs.get("method") or "counts summed over its local authorities")
        notes.append(f"Not published for this area: {how}.")
    sec["tables"].append(_table(f"Business demography, {place.name}", cols, rows, fmts, notes))
    if surv_rows:
        sec["tables"].append(_table(f"Business survival rates, {place.name}", ["Measure", place.name, "UK"],
                                    surv_rows, ["text", "pct", "pct"]))
    return _finish(sec, inp.missing.get("growth"))
