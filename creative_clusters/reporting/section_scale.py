"""Section 2 of the evidence pack: the place's scale and specialisation (creative enterprises by
sub-sector, location quotients and ranks, or the annual series outside England's counts by SIC class), its
focus activities by exact SIC class (pure)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.indicators.lq import share_of, subsector_shares, with_group_row
from creative_clusters.indicators.ranking import MIN_RANK_COUNT, rank_descending, supported_rank, tied_others
from creative_clusters.kinds import LAD_VINTAGE
from creative_clusters.reporting import findings as F
from creative_clusters.reporting._model import (
    SUBSECTOR_NAMES,
    EvidenceInputs,
    LQInterval,
    PackState,
    PlaceInfo,
    SeriesLQ,
    _finish,
    _section,
    _table,
    latest_period,
)
from creative_clusters.reporting.charts import lq_bar_figure
from creative_clusters.reporting.formatting import (
    fmt_int,
    fmt_lq,
    fmt_num,
    fmt_pct,
    joint_ordinal,
)
from creative_clusters.reporting.pack_types import Section
from creative_clusters.reporting.section_scale_areas import _members_block, _neighbour_map
from creative_clusters.reporting.sentences_scale import (
    enterprises_sentence,
    lq_sentence,
    peer_rank_sentence,
    rank_sentence,
    subsector_lq_sentence,
    top_subsector_sentence,
)
from creative_clusters.reporting.trajectory_block import nation_caveats

__all__ = [
    "FETCH_COUNTS",
]


#: The command that fetches UK Business Counts by SIC class (sections 2 and 3 say it).
FETCH_COUNTS = "creative-clusters data fetch business_counts_enterprises --geography lad --date YEAR"


# ------------------------------------------------------------------ data prep
def _with_group_row(wide: pd.DataFrame, place: PlaceInfo) -> pd.DataFrame:
    """Add the place as a row (sum of members) when it is not a single row already and every member has one
    (:func:`creative_clusters.indicators.lq.with_group_row`)."""
    return with_group_row(wide, place.code, place.members)


def _active_latest(demog: pd.DataFrame | None) -> tuple[pd.Series, str | None]:
    if demog is None or demog.empty:
        return pd.Series(dtype="float64"), None
    a = demog[(demog["measure"] == "active_enterprises") & (demog["status"].fillna("") == "")]
    if a.empty:
        return pd.Series(dtype="float64"), None
    p = a["period"].max()
    return a[a["period"] == p].set_index("geo_code")["value"].astype(float), p


def _focus_block(sec: Section, st: PackState, inp: EvidenceInputs) -> None:
    """Focus activities counted by their exact SIC classes, with the approximation said."""
    if not inp.focus:
        return
    rows = []
    for f in inp.focus:
        if not np.isfinite(f.count):  # the counts by SIC class do not reach the place (outside England)
            sec["sentences"].append(
                f"There is no count of {f.term} (SIC {', '.join(f.classes)}) for {inp.place.name}: the UK Business "
                f"Counts extract by SIC class this pack was built from ({inp.enterprises_period}) does not cover it. "
                f"{f.note}")
            continue
        of_england = share_of(f.count, f.england) * 100
        rows.append([f"{f.term} ({f.name})", ", ".join(f.classes), f.count, of_england, f.lq, f.lo, f.hi])
        had = (f"no enterprise counted (published as 0: up to 2 in each class and local authority, as counts "
               f"are rounded to 5; the LQ's interval reaches {fmt_num(f.hi)} at that edge)" if f.count == 0 else
               f"{fmt_int(f.count)} enterprises ({fmt_pct(of_england, 2)} of England's)")
        # what the classes miss is the table's note, said once
        sec["sentences"].append(f"For {f.term}, counted by SIC {', '.join(f.classes)}, {inp.place.name} had {had}.")
    st.focus = inp.focus
    if not rows:
        return
    sec["tables"].append(_table(
        f"Focus activities by exact SIC class, {inp.place.name}", ["Activity", "SIC classes", "Enterprises",
                                                                    "Share of England (%)", "Business LQ",
                                                                    "LQ 95% low", "LQ 95% high"],
        rows, ["text", "text", "int", "pct2", "num2", "num2", "num2"],
        [f.note for f in inp.focus if np.isfinite(f.count)]))


def _bounded(x: float | None, lo: float | None, hi: float | None, fmt: Any) -> tuple[str, str, str]:
    """A value and its range as text ("–" where absent; an open upper end as "no upper bound")."""
    return fmt(x), fmt(lo), (fmt(hi) if hi is not None and np.isfinite(hi) else "no upper bound")


def _employment_block(sec: Section, inp: EvidenceInputs) -> None:
    """Creative workplace employment (BRES by LAD) with its bounds and the employment LQ: the figures are
    :class:`~creative_clusters.workflows.employment_lad.PlaceEmployment`'s; a claim of specialisation only when
    the whole LQ range lies above 1. Without the figures, section 2's missing notes say why (set in workflows)."""
    pe = inp.employment
    if pe is None:
        return
    place, ref, year = inp.place.name, pe.reference_label, pe.period
    sec["sources"].append(kinds.EMPLOYMENT_LAD)
    cre = _bounded(pe.creative, pe.creative_lower, pe.creative_upper, fmt_int)
    if pe.suppressed:  # never a suppressed sum as a plain number
        said = (f"at least {cre[0]} creative workplace jobs in its published cells ({pe.classes_suppressed} of the "
                f"{pe.classes} creative class cells {'is' if pe.classes_suppressed == 1 else 'are'} suppressed or "
                f"missing), between {cre[1]} and "
                + (f"{cre[2]}" if cre[2] != "no upper bound" else "an unknown number") + " in all")
        value = f"{cre[0]} (sum of published cells; {pe.classes_suppressed} of {pe.classes} suppressed)"
    else:
        said = (f"{cre[0]} creative workplace jobs, between {cre[1]} and {cre[2]} given BRES rounding")
        value = cre[0]
    sec["sentences"].append(f"By workplace, {place} had {said} (BRES {year}, employees and working owners, "
                            "counted where they work).")
    rows = [["Creative workplace employment", value, cre[1], cre[2]]]
    if pe.total is not None:
        rows.append(["Workplace employment, all industries", *_bounded(pe.total, pe.total_lower, pe.total_upper,
                                                                        fmt_int)])
        pct = [None if v is None else v * 100 for v in (pe.share, pe.share_lower, pe.share_upper)]
        rows.append(["Creative share of workplace employment (%)", *_bounded(pct[0], pct[1], pct[2], fmt_pct)])
        lq = _bounded(pe.lq, pe.lq_lower, pe.lq_upper, _fmt_lq)
        rows.append([f"Employment LQ against {ref}", *lq])
        rng = f"{lq[1]} to {lq[2]}"
        if pe.specialised:
            verdict = (f"the whole range lies above 1, so creative employment is more concentrated in {place} "
                       f"than in {ref} whatever the rounding and suppression hide")
        elif pe.lq_upper is not None and pe.lq_upper < 1:
            verdict = f"the whole range lies below 1: creative employment is less concentrated there than in {ref}"
        else:
            verdict = "the range includes 1, so these figures do not show a specialisation in creative employment"
        sec["sentences"].append(f"Its employment location quotient against {ref} is "
                                f"{_fmt_lq(pe.lq)}{' (from the published cells)' if pe.suppressed else ''}"
                                f", range {rng}: {verdict}.")
    sec["tables"].append(_table(
        f"Creative workplace employment and employment LQ, {place}, {year} (BRES)",
        ["Measure", "Value", "Lowest", "Highest"], rows, ["text", "text", "text", "text"],
        [f"{pe.caveat}.",
         "Lowest and highest: every published cell at the extreme its rounding allows (the strict open-access "
         "rounding bases Nomis publishes), suppressed or missing cells from 0 up to the place's total; the LQ's "
         f"range also lets {ref}'s own figures vary so. A claim of specialisation needs the whole range above 1.",
         f"BRES {year} ({pe.source.title or pe.source.id}), the {pe.measure} measure, compared with {ref}. "
         "Business counts above count enterprises, not jobs."]))


def _fmt_lq(x: float | None) -> str:
    """An LQ as :func:`fmt_lq` prints it, "–" when absent."""
    return "–" if x is None or not np.isfinite(x) else fmt_lq(float(x))


def _scale_section(inp: EvidenceInputs, st: PackState) -> Section:
    sec = _section("scale", 2)
    sec_done = _scale_body(inp, st, sec)
    _employment_block(sec_done, inp)
    _focus_block(sec_done, st, inp)
    _neighbour_map(sec_done, st, inp)
    return _finish(sec_done, inp.missing.get("scale"))


def _latest_series_year(t: Any) -> Any:
    """The last year of a place's annual series with a count (a ``YearValue``), or None."""
    series = getattr(t, "series", None) or ()
    return next((y for y in reversed(series) if y.value is not None), None)


def _series_scale_block(inp: EvidenceInputs, st: PackState, sec: Section) -> bool:
    """Scale and specialisation from the annual series where the SIC-level counts do not reach the place."""
    r = inp.series_scale
    if not r or r.get("creative_businesses") is None:
        return False
    place, nation, year = inp.place, str(r.get("nation_name") or ""), str(r.get("period") or "")
    if nation == place.name or place.geo_type == "ctry":  # a nation: compared with the UK only, ranked among nations
        nation = ""
    n = float(r["creative_businesses"])
    st.series_lq = SeriesLQ(lq=r.get("business_lq_uk"), lo=r.get("business_lq_uk_lower"),
                            hi=r.get("business_lq_uk_upper"), count=n, period=year)
    if nation and r.get("business_lq_nation") is not None:
        st.series_lq_nation = SeriesLQ(lq=r.get("business_lq_nation"), lo=r.get("business_lq_nation_lower"),
                                       hi=r.get("business_lq_nation_upper"), count=n, period=year, nation=nation)
    # the count and ranks of the series' latest year (as the growth section and the baselines), the LQs of
    # the latest year with an active-enterprise denominator: one count per place across the pack
    latest = _latest_series_year(inp.trajectory)
    if latest is not None and latest.period > year:
        count_year, n_latest = latest.period, float(latest.value)
        rank_nation, rank_uk = latest.rank_nation, latest.rank_uk
        tied_nation, tied_uk = latest.tied_nation, latest.tied_uk
    else:
        count_year, n_latest, rank_nation, rank_uk = year, n, r.get("rank_nation"), r.get("rank_uk")
        tied_nation, tied_uk = r.get("tied_nation") or 0, r.get("tied_uk") or 0
    st.series_enterprises = (n_latest, count_year)
    sec["sources"].extend([kinds.CREATIVE_ENTERPRISES_SERIES, kinds.ACTIVE_ENTERPRISES])
    ranks = []
    if rank_nation is not None and nation and r.get("n_nation") is not None:
        ranks.append(f"{joint_ordinal(int(rank_nation), tied_nation)} of {int(r['n_nation'])} "
                     f"in {nation}")
    if rank_uk is not None and r.get("n_uk") is not None:  # a user's group has no ranks
        among = (f"the {int(r['n_uk'])} UK nations" if place.geo_type == "ctry"
                 else f"{int(r['n_uk'])} in {r.get('rank_base') or 'the UK'}")
        ranks.append(f"{joint_ordinal(int(rank_uk), tied_uk)} of {among}")
    sec["sentences"].append(f"{place.name} had {fmt_int(n_latest)} creative enterprises in {count_year} "
                            "(annual series)" + (f", {' and '.join(ranks)} by number" if ranks else "") + ".")
    if count_year != year:
        sec["sentences"].append(
            f"Its location quotient{'s are' if nation else ' is'} for {year}, the latest year with a count of all "
            "active enterprises "
            f"(ONS Business Demography), when it had {fmt_int(n)} creative enterprises.")
    def num(k: str) -> float | None:
        v = r.get(k)
        return None if v is None else float(v)

    areas = [("the UK", "uk"), *([(nation, "nation")] if nation else [])]
    rows: list[list[Any]] = []
    for area, key in areas:
        lq, lo, hi = num(f"business_lq_{key}"), num(f"business_lq_{key}_lower"), num(f"business_lq_{key}_upper")
        rows.append([area, lq, lo, hi])
        sec["sentences"].append(lq_sentence(place.name, lq, lo, hi, area=area, zero=n == 0))
    sec["tables"].append(_table(
        f"Creative enterprises and business location quotients, {place.name}, {year} (annual series)",
        ["Compared with", "Business LQ", "LQ 95% low", "LQ 95% high"], rows, ["text", "num2", "num2", "num2"],
        [f"{fmt_int(n)} creative enterprises (UK Business Counts series, all creative industries, rounded to 5) "
         f"over {fmt_int(r.get('active_enterprises'))} active enterprises (ONS Business Demography, {year}), "
         f"against the same ratio for the UK{' and for the nation' if nation else ''}; two sources, so treat the "
         "level with care. "
         "Interval: exact Poisson on the count.",
         *_series_nation_caveat(inp)]))
    return True


def _series_nation_caveat(inp: EvidenceInputs) -> list[str]:
    """The catalogue's caveat on this nation's rows of the series (e.g. not yet cross-checked against Nomis): said
    in full under section 3's series table when the pack has one, pointed to here."""
    t = inp.trajectory
    if t is None or getattr(t, "source", None) is None:
        return []
    said = nation_caveats(t.source.caveats, inp.place.members or (inp.place.code,))
    if said and getattr(t, "series", None):
        return ["Read these counts with the caveat on the annual series' rows outside England, given under the "
                "series table in section 3."]
    return said


def _scale_body(inp: EvidenceInputs, st: PackState, sec: Section) -> Section:
    place = inp.place
    if inp.enterprises is None or inp.enterprises.empty:
        sec["missing"].append(
            "No creative business counts in the warehouse. Run `creative-clusters data import DIR` "
            f"to load UK Business Counts by SIC class (dataset kind {kinds.CREATIVE_ENTERPRISES_SIC}).")
        return sec
    ent = _with_group_row(inp.enterprises.astype(float), place)
    if place.code not in ent.index:
        shown = _series_scale_block(inp, st, sec)
        latest = _latest_series_year(inp.trajectory)
        if not shown and latest is not None:  # the UK, a group across nations: the series' sum of its members
            st.series_enterprises = (float(latest.value), latest.period)
            sec["sources"].append(kinds.CREATIVE_ENTERPRISES_SERIES)  # the headline's count; section 3 says it
        inside = sum(m in inp.enterprises.index for m in place.members)
        sec["missing"].append(
            "The UK Business Counts extract by SIC class this pack was built from has no creative enterprise "
            f"counts for "
            f"{place.name}" + ("" if place.geo_type == "custom" else f" ({place.code})")
            # one colon in the sentence: "as a whole, only for 1 of its 3 local authorities: the 2025 extract …"
            + (f" as a whole, only for {inside} of its {len(place.members)} local authorities" if inside else "")
            + f": the {inp.enterprises_period} extract covers English local "
            f"authorities on {LAD_VINTAGE} boundaries, so there is no sub-sector detail here"
            + (" (the scale and LQs above come from the annual series of all creative industries)" if shown else "")
            + f". Fetch this place's counts by SIC class with `{FETCH_COUNTS}`.")
        return sec
    sec["sources"].append(kinds.CREATIVE_ENTERPRISES_SIC)
    subs = [c for c in SUBSECTOR_NAMES if c in ent.columns]
    shares = subsector_shares(ent.loc[place.code, subs], inp.enterprises)  # counts and shares, computed once
    total = float(shares.loc["all", "count"])
    st.ent_total = ent[subs].sum(axis=1, min_count=1)
    st.creative_enterprises = total
    st.share_england = float(shares.loc["all", "share_of_national"]) * 100
    sec["sentences"].append(enterprises_sentence(place.name, total, st.share_england,
                                                   period=f"March {inp.enterprises_period}"))
    blq = inp.lq
    lq = blq.lq if blq is not None and place.code in blq.lq.index else pd.DataFrame()
    # peers with counts by SIC class only (a named peer outside England is compared in section 4's peer table)
    peers = [p for p in st.peers if p in lq.index]
    if not lq.empty:
        sec["sources"].append(kinds.ACTIVE_ENTERPRISES)
        st.lq_table = lq
    ranks_lad = inp.enterprises[subs].sum(axis=1, min_count=1)
    rows, fig_rows = [], []
    focus = set(inp.subsectors)
    order = sorted(subs, key=lambda s: (s not in focus, subs.index(s)))
    for s in [*order, "all"]:
        c = float(shares.loc[s, "count"])
        label = "All creative industries" if s == "all" else SUBSECTOR_NAMES[s]
        if s in focus:
            label += " (focus)"
        lqi = LQInterval(np.nan, np.nan, np.nan)
        if not lq.empty and blq is not None:
            lqi = LQInterval(float(blq.lq.loc[place.code, s]), float(blq.lo.loc[place.code, s]),
                             float(blq.hi.loc[place.code, s]))
        col = ranks_lad if s == "all" else inp.enterprises[s]
        # indicators.ranking's rule, as the profile and the web apply it: a published zero (0 to 2 firms)
        # is never ranked, nor is one sub-sector's handful (it ties with many places)
        ranked = supported_rank(col, col, min_count=0 if s == "all" else MIN_RANK_COUNT)
        n = int(col.notna().sum())
        r = ranked.get(place.code) if place.is_single else None
        rank = int(r) if r is not None and pd.notna(r) else None
        rtied = int(tied_others(ranked)[place.code]) if rank is not None else 0
        prank, ptied = None, 0
        if peers and not lq.empty and c >= MIN_RANK_COUNT:
            pset = [p for p in [place.code, *peers] if p in lq.index]
            vals = lq.loc[pset, s].dropna()
            if place.code in vals.index:
                pr = rank_descending(vals)
                prank, ptied = int(pr[place.code]), int(tied_others(pr)[place.code])
        rows.append([label, c, shares.loc[s, "share_of_place"] * 100, shares.loc[s, "share_of_national"] * 100,
                     lqi.lq, lqi.lo, lqi.hi, rank, prank])
        if s != "all":
            fig_rows.append((SUBSECTOR_NAMES[s], lqi.lq, lqi.lo, lqi.hi, c))
        else:
            st.lq_all = lqi
            st.rank_all = (rank, n)
            st.peer_rank_all = prank
            st.rank_all_tied, st.peer_rank_all_tied = rtied, ptied
    # the rank among English LADs only for a single LAD, the peer rank only with peers: no column of dashes.
    # Each header names its measure, as the prose does: among all English LADs the rank is by enterprises (the
    # scale a bid cites; an LQ ranked across 296 places of every size puts small, noisy counts on top), among
    # the peers by LQ (peers are chosen alike, so their concentrations compare)
    cols = [*range(7), *([7] if place.is_single else []), *([8] if peers else [])]
    headers = ["Sub-sector", "Enterprises", "Share of place's creative enterprises (%)", "Share of England (%)",
               "Business LQ", "LQ 95% low", "LQ 95% high", "Rank among English LADs (by enterprises)",
               f"Rank among place and {len(peers)} peers (by LQ)"]
    formats = ["text", "int", "pct", "pct2", "num2", "num2", "num2", "int", "int"]
    sec["tables"].append(_table(
        "Creative enterprises and business location quotients by sub-sector, "
        f"{place.name}, March {inp.enterprises_period}",
        [headers[i] for i in cols], [[r[i] for i in cols] for r in rows], [formats[i] for i in cols],
        [f"Enterprises are UK Business Counts (IDBR, March {inp.enterprises_period}), rounded to 5; England only. "
         "Museums, galleries and libraries (SIC 9101/9102) are not in the source.",
         f"LQ = creative share of active enterprises (Business Demography {_bd_year(inp)}) relative to England: "
         "two sources and years, so treat the level with care. Interval: exact Poisson on the count."]))
    top = max(fig_rows, key=lambda r: (-1 if np.isnan(r[4]) else r[4]), default=None)
    if top and total:  # sub-sectors with the same (rounded) count are named together, not one picked by order
        tied = [r[0] for r in fig_rows if r[4] == top[4]]
        sec["sentences"].append(top_subsector_sentence(place.name, tied, share_of(top[4], total) * 100))
    la = st.lq_all
    lq_all = (la.lq, la.lo, la.hi) if la is not None else (None, None, None)
    sec["sentences"].append(lq_sentence(place.name, *lq_all, zero=total == 0))
    rank, n = st.rank_all
    sec["sentences"].append(rank_sentence(place.name, rank, n, "creative enterprises summed over SIC classes",
                                            "English local authorities", tied=st.rank_all_tied))
    if peers and st.peer_rank_all:
        sec["sentences"].append(peer_rank_sentence(place.name, st.peer_rank_all, len(peers),
                                                     "creative business location quotient",
                                                     tied=st.peer_rank_all_tied))
    # gated by the findings' own rule (interval above 1, at least 10 enterprises, robust to rounding): one verdict
    strong = {r[0]: F.specialisation_finding(place.name, r[0], lq=r[1], lo=r[2], hi=r[3], count=r[4],
                                             source="").kind == "strength" for r in fig_rows}
    spec = sorted([(r[0], r[1]) for r in fig_rows if not np.isnan(r[1]) and strong[r[0]]], key=lambda t: -t[1])
    unsure = [f"{r[0]} (LQ {fmt_lq(r[1])})" for r in fig_rows  # "(LQ 1.003)": never a printed 1.00 "above 1"
              if not np.isnan(r[1]) and r[1] > 1 and not strong[r[0]]]
    if any(not np.isnan(r[3]) for r in fig_rows):  # LQs, or a published 0's upper bound: denominators exist
        sec["sentences"].append(subsector_lq_sentence(place.name, [a for a, _ in spec], [b for _, b in spec],
                                                        unsure=unsure))
        st.subsector_lq = fig_rows
        sec["figures"].append(lq_bar_figure([r[0] for r in fig_rows], [r[1] for r in fig_rows],
                                                 [r[2] for r in fig_rows], [r[3] for r in fig_rows],
                                                 place=place.name, png=inp.png))
    else:
        sec["missing"].append("No active-enterprise denominators (Business Demography), so no location "
                              f"quotients. Import a dataset of kind {kinds.ACTIVE_ENTERPRISES} with "
                              "`creative-clusters data import DIR`.")
    _members_block(inp, sec)
    return sec


def _bd_year(inp: EvidenceInputs) -> str:
    """The latest year of active enterprises (the LQ denominator) in the inputs."""
    return latest_period(inp.demography, "active_enterprises") or "(no year)"
