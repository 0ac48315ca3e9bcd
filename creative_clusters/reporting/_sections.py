"""Sections 2-4 of the evidence pack: scale, growth, benchmark (pure)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.benchmarking.percentiles import percentiles, sensitivity
from creative_clusters.geography.place import NATIONS
from creative_clusters.indicators.growth import change_pct
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
    latest_source,
    n_english_lads,
    shown_datasets,
    uses_series_lqs,
)
from creative_clusters.reporting.area_profile import profile_block
from creative_clusters.reporting.charts import lq_bar_figure, percentile_figure, trend_figure
from creative_clusters.reporting.findings import MIN_STRENGTH_COUNT
from creative_clusters.reporting.formatting import (
    _lower_name,
    fmt_int,
    fmt_lq,
    fmt_num,
    fmt_pct,
    join_and,
    joint_ordinal,
)
from creative_clusters.reporting.maps import place_map_figure
from creative_clusters.reporting.nation_benchmark import nation_benchmark
from creative_clusters.reporting.pack_types import Section
from creative_clusters.reporting.section_microclusters import BOUNDARY_SOURCE
from creative_clusters.reporting.section_workforce import deprivation_text
from creative_clusters.reporting.sentences_benchmark import gaps_sentence, percentile_sentence
from creative_clusters.reporting.sentences_growth import births_deaths_sentence, growth_sentence, survival_sentence
from creative_clusters.reporting.sentences_scale import (
    enterprises_sentence,
    lq_sentence,
    peer_rank_sentence,
    rank_sentence,
    subsector_lq_sentence,
    top_subsector_sentence,
)
from creative_clusters.reporting.trajectory_block import nation_caveats, trajectory_block


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


# 2011 travel-to-work areas: England, Wales, Scotland, Northern Ireland, and those across a border
TTWA_CODE_PREFIXES = frozenset({"E30", "W22", "S22", "N12", "K01"})


def _name(inputs: EvidenceInputs, code: str) -> str:
    """A place's name as a table shows it; a combined authority that shares its name with a region (East
    Midlands, North East) says which it is.

    >>> from creative_clusters.benchmarking import load_framework
    >>> inp = EvidenceInputs(place=PlaceInfo("E47000013", "East Midlands", "cauth"), framework=load_framework(),
    ...                      names={"E47000013": "East Midlands", "E12000004": "East Midlands"})
    >>> _name(inp, "E47000013"), _name(inp, "E12000004")
    ('East Midlands (combined authority)', 'East Midlands')

    A travel-to-work area named like a local authority (most are: Leeds, Milton Keynes) says so too:

    >>> inp = EvidenceInputs(place=PlaceInfo("E30000256", "Reading", "ttwa"), framework=load_framework(),
    ...                      names={"E30000229": "Leeds", "E08000035": "Leeds", "E30000164": "Basingstoke"})
    >>> _name(inp, "E30000229"), _name(inp, "E30000164")
    ('Leeds (travel-to-work area)', 'Basingstoke')
    """
    name = inputs.names.get(code, code)
    if str(code).startswith("E47") and any(str(c).startswith("E12") and n == name for c, n in inputs.names.items()):
        return f"{name} (combined authority)"
    if str(code)[:3] in TTWA_CODE_PREFIXES and any(c != code and n == name for c, n in inputs.names.items()):
        return f"{name} (travel-to-work area)"
    return name


# ------------------------------------------------------------------ sections
MAP_SOURCE = f"{BOUNDARY_SOURCE} Creative counts: ONS UK Business Counts."


def _neighbour_map(sec: Section, st: PackState, inp: EvidenceInputs) -> None:
    """Map of the place among its neighbours (diverging LQ shading when there are LQs); the other areas that
    show within its frame are drawn and shaded too, and an area without a value says why in the legend."""
    place = inp.place
    g = inp.geometry
    if g is None or not len(g) or inp.neighbours is None:
        sec["missing"].append("No boundaries for a map. Import the geography files with "
                              "`creative-clusters data import DIR` (layer lad_2023).")
        return
    st.neighbours = list(inp.neighbours)
    if not g["geo_code"].isin([*place.members, *inp.neighbours]).any():
        return
    value_col, reference, source = None, "England", MAP_SOURCE
    values, counts = None, "the counts by SIC class"
    if uses_series_lqs(inp):
        values = inp.series_lads["business_lq_uk"]  # type: ignore[index]
        # outside England's business counts by SIC class (Wales, Scotland, Northern Ireland): the annual
        # series' LQs against the UK, the ones section 2 reports for the place
        value_col, reference, counts = "Creative business LQ", "the UK", "the annual series"
        source = MAP_SOURCE.replace("UK Business Counts.", "UK Business Counts (annual series) and business "
                                    "demography (active enterprises).")
    elif inp.lq is not None:
        value_col, values = "Creative business LQ", inp.lq.lq["all"]
    drawn = g if value_col is None else g.assign(**{value_col: g["geo_code"].map(values)})
    sec["figures"].append(place_map_figure(
        drawn, place.members, place=place.name, value_col=value_col, png=inp.png, source=source,
        reference=reference, neighbour_codes=list(inp.neighbours),
        no_value=lambda codes: no_value_words(values, codes, counts)))


def no_value_words(values: pd.Series | None, codes: list[str], counts: str) -> str:
    """What a map's legend says of the areas it draws without a value (``codes``), from where ``values`` reach:
    the nations the values cover when the areas lie outside them, else that the value is not published.

    Examples
    --------
    >>> lq = pd.Series({"E06000057": 0.6, "E06000047": 0.5})
    >>> no_value_words(lq, ["S12000026"], "the counts by SIC class")
    'no value: the counts by SIC class cover only England'
    >>> no_value_words(pd.Series({"E06000057": 0.6, "E06000047": None}), ["E06000047"], "the annual series")
    'no value: not published in the annual series'
    """
    have = [] if values is None else values.dropna().index.astype(str).str[:1].unique().tolist()
    covered = [n for k, n in NATIONS.items() if k in have]
    if covered and not any(str(c)[:1] in have for c in codes):
        return f"no value: {counts} cover only {' and '.join(covered)}"
    return f"no value: not published in {counts}"


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
        sec["sentences"].append(f"For {f.term}, counted by SIC {', '.join(f.classes)}, {inp.place.name} had {had}. "
                                f"{f.note}")
    st.focus = inp.focus
    if not rows:
        return
    sec["tables"].append(_table(
        f"Focus activities by exact SIC class, {inp.place.name}", ["Activity", "SIC classes", "Enterprises",
                                                                    "Share of England (%)", "Business LQ",
                                                                    "LQ 95% low", "LQ 95% high"],
        rows, ["text", "text", "int", "pct2", "num2", "num2", "num2"], [f.note for f in inp.focus]))


def _scale_section(inp: EvidenceInputs, st: PackState) -> Section:
    sec = _section("scale", 2)
    sec_done = _scale_body(inp, st, sec)
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
        sec["sentences"].append(lq_sentence(place.name, lq, lo, hi, area=area))
    sec["tables"].append(_table(
        f"Creative enterprises and business location quotients, {place.name}, {year} (annual series)",
        ["Compared with", "Business LQ", "LQ 95% low", "LQ 95% high"], rows, ["text", "num2", "num2", "num2"],
        [f"{fmt_int(n)} creative enterprises (UK Business Counts series, all creative industries, rounded to 5) "
         f"over {fmt_int(r.get('active_enterprises'))} active enterprises (ONS Business Demography, {year}), "
         f"against the same ratio for the UK{' and for the nation' if nation else ''}; two sources, so treat the "
         "level with care. "
         "Interval: exact Poisson on the count.",
         # the catalogue's caveat on this nation's rows of the series (e.g. not yet cross-checked against Nomis)
         *(nation_caveats(inp.trajectory.source.caveats, place.members or (place.code,))
           if inp.trajectory is not None and getattr(inp.trajectory, "source", None) is not None else [])]))
    return True


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
            + (f" as a whole: it covers {inside} of its {len(place.members)} local authorities" if inside else "")
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
    peers = st.peers
    blq = inp.lq
    lq = blq.lq if blq is not None and place.code in blq.lq.index else pd.DataFrame()
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
    # the rank among English LADs only for a single LAD, the peer rank only with peers: no column of dashes
    cols = [*range(7), *([7] if place.is_single else []), *([8] if peers else [])]
    headers = ["Sub-sector", "Enterprises", "Share of place's creative enterprises (%)", "Share of England (%)",
               "Business LQ", "LQ 95% low", "LQ 95% high", "Rank among English LADs",
               f"Rank among place and {len(peers)} peers"]
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
    sec["sentences"].append(lq_sentence(place.name, *lq_all))
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
    if fig_rows and not np.isnan(fig_rows[0][1]):
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


#: Most members named in the sentence on where a group's concentration lies (the table lists them all).
MEMBERS_NAMED = 5
#: A member's verdict in the members table, by the kind of its specialisation finding.
_MEMBER_VERDICT = {"strength": "above 1 beyond doubt", "weakness": "below 1 beyond doubt"}


def _members_block(inp: EvidenceInputs, sec: Section) -> None:
    """For a group of places: where inside it the concentration lies. Each member local authority's creative
    enterprises and business LQ (of the pack's one focus sub-sector, else all creative industries), judged by the
    findings' own gate, with a sentence naming the members specialised beyond doubt."""
    place, blq = inp.place, inp.lq
    if place.is_single or blq is None:
        return
    members = [m for m in place.members if m in blq.count.index]
    if len(members) < 2:
        return
    col = inp.subsectors[0] if len(inp.subsectors) == 1 and inp.subsectors[0] in blq.count.columns else "all"
    what = "All creative industries" if col == "all" else SUBSECTOR_NAMES[col]
    rows: list[list[Any]] = []
    sure: list[tuple[float, str]] = []
    for m in members:
        c, lq = float(blq.count.loc[m, col]), float(blq.lq.loc[m, col])
        lo, hi = float(blq.lo.loc[m, col]), float(blq.hi.loc[m, col])
        name = _name(inp, m)
        kind = F.specialisation_finding(name, what, lq=lq, lo=lo, hi=hi, count=c, source="").kind
        rows.append([name, m, c, lq, lo, hi, _MEMBER_VERDICT.get(kind, "cannot tell")])
        if kind == "strength":
            sure.append((lq, f"{name} (LQ {fmt_num(lq)})"))
    rows.sort(key=lambda r: -float(r[3]) if np.isfinite(r[3]) else np.inf)  # highest LQ first, no LQ last
    subject = "the creative industries" if col == "all" else _lower_name(what)
    # "the Bristol travel-to-work area", not "Bristol" beside the Bristol local authority
    label = f"the {place.label}" if place.geo_type == "ttwa" else place.label
    if sure:
        names = [t for _, t in sorted(sure, reverse=True)]
        who = "the local authority" if len(sure) == 1 else f"the {len(sure)} local authorities"
        listed = (join_and(names) if len(names) <= MEMBERS_NAMED else
                  f"led by {join_and(names[:MEMBERS_NAMED])}; the table lists all {len(names)}")
        sec["sentences"].append(f"Within {label}, {who} with a concentration of {subject} above England's "
                                f"beyond doubt {'is' if len(sure) == 1 else 'are'} {listed}.")
    else:
        sec["sentences"].append(f"No local authority of {label} has a concentration of {subject} above "
                                "England's beyond doubt.")
    sec["tables"].append(_table(
        f"{what}: the local authorities of {label}, March {inp.enterprises_period}",
        ["Local authority", "Code", "Enterprises", "Business LQ", "LQ 95% low", "LQ 95% high", "Against England"],
        rows, ["text", "text", "int", "num2", "num2", "num2", "text"],
        ["Each local authority's creative enterprises (UK Business Counts, rounded to 5) over its active "
         "enterprises, against England's; judged by the same gate as the findings (at least 10 enterprises, the "
         "interval clear of 1 even at the edge of the count's rounding)."]))


def _bd_year(inp: EvidenceInputs) -> str:
    """The latest year of active enterprises (the LQ denominator) in the inputs."""
    return latest_period(inp.demography, "active_enterprises") or "(no year)"


#: The notice when creative counts by SIC class cover one year (and its wording when the annual series exists).
ONE_YEAR = "This pack has creative enterprise counts for one year only"
ONE_YEAR_BY_CLASS = ("This pack has creative enterprise counts by sub-sector (SIC class) for one year only "
                     "(the annual series counts all creative industries together)")
FETCH_COUNTS = "creative-clusters data fetch business_counts_enterprises --geography lad --date YEAR"


def _growth_section(inp: EvidenceInputs, st: PackState) -> Section:
    """The place's creative-enterprise series, business demography, then the wider-area (NUTS2) block."""
    sec = _growth_demography(inp, st)
    own = trajectory_block(inp.trajectory, place=inp.place.name, png=inp.png, reason=inp.trajectory_missing)
    no_trend = "so there is no creative trend or shift-share yet"
    if own["tables"]:  # the annual series is here: only the sub-sector (SIC class) counts are one year
        no_trend_own = "so there is no shift-share by sub-sector for the place itself yet"
        sec["missing"] = [m.replace(ONE_YEAR, ONE_YEAR_BY_CLASS).replace(no_trend, no_trend_own)
                          for m in sec["missing"]]
        no_trend = no_trend_own
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
        sec["missing"] = [m + f"; the ONS analysis for {inp.place.name} in this section gives its creative "
                          "totals year by year" if "for one year only" in m else m for m in sec["missing"]]
    block = inp.nuts2_growth
    if not block:
        return _finish(sec)
    sec["sentences"].extend(block.get("sentences", []))
    sec["tables"].extend(block.get("tables", []))
    sec["sources"].extend(block.get("sources", []))
    if block.get("tables"):
        msg = sec["missing"][0] if sec["missing"] and "one year only" in sec["missing"][0] else None
        if msg is not None:
            sec["missing"][0] = msg.replace(no_trend, (
                "so the shift-share in this section comes from BRES employment for the NUTS2 (2013) area that "
                "matches the place (the table's notes give its extent)") if block.get("same_area") else (
                "so the shift-share in this section is for the wider NUTS2 (2013) area (BRES employment), not "
                "the place itself"))
    sec["missing"].extend(block.get("missing", []))
    sec["status"] = "ok"
    return _finish(sec)


def _growth_demography(inp: EvidenceInputs, st: PackState) -> Section:
    sec = _section("growth", 3)
    place = inp.place
    sec["missing"].append(
        f"{ONE_YEAR}, so there is no creative trend or shift-share yet. Fetch earlier UK Business Counts with "
        f"`{FETCH_COUNTS}`.")
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
        notes.append("Not published for this area: counts are sums over its local authorities and rates are "
                     "means weighted by active enterprises (exact for birth and death rates, approximate for the "
                     "others).")
    sec["tables"].append(_table(f"Business demography, {place.name}", cols, rows, fmts, notes))
    if surv_rows:
        sec["tables"].append(_table(f"Business survival rates, {place.name}", ["Measure", place.name, "UK"],
                                    surv_rows, ["text", "pct", "pct"]))
    return _finish(sec, inp.missing.get("growth"))


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


def _benchmark_section(inp: EvidenceInputs, st: PackState) -> Section:
    sec = _section("benchmark", 4)
    fw, place = inp.framework, inp.place
    vals = inp.indicators
    if vals is None or vals.empty:
        sec["missing"].append("No benchmark indicators could be computed: this pack was built without the datasets "
                              f"{', '.join(fw.datasets)}. Run `creative-clusters data import DIR`.")
        return _finish(sec, inp.missing.get("benchmark"))
    extra = inp.place_indicators
    if place.code not in vals.index and extra is not None and place.code in extra.index:
        # a group of one local authority (a TTWA the lookup represents by one LAD) stands in for that LAD:
        # ranking both would count the same place twice
        alias = [m for m in place.members if m in vals.index] if len(place.members) == 1 else []
        vals = pd.concat([vals.drop(index=alias), extra.loc[[place.code]]])
    if place.code not in vals.index and nation_benchmark(sec, inp, st, UNIT_FORMATS):
        return _finish(sec, inp.missing.get("benchmark"))
    if place.code not in vals.index:
        outside = [m for m in place.members if not str(m).startswith("E")]
        if outside:
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
        gap = (table["indicator_id"] == "creative_employment") & (table["status"] == "gap")
        table.loc[gap, "note"] = table.loc[gap, "note"] + (
            f" For {place.name} itself, an ONS analysis gives creative employment of "
            f"{fmt_int(own['employment'].iloc[-1])} in {own.index[-1]} (section 3); no other place has the "
            "same analysis, so it is not ranked.")
    group_peers = [p for p in all_peers if p not in vals.index and extra is not None and p in extra.index]
    # peers of the same kind (combined authorities, regions, TTWAs): ranked among themselves
    if group_peers and extra is not None:
        pv = pd.concat([vals.loc[[place.code]], extra.loc[group_peers]])
        tp = percentiles(pv, place=place.code, peers=group_peers, framework=fw)
        table[["pct_peers", "n_peers", "tied_peers"]] = tp[["pct_peers", "n_peers", "tied_peers"]].to_numpy()
        peers = group_peers
    if len(place.members) > 1:  # sizes of a group are not comparable with single local authorities
        additive = {i.id for i in fw.indicators if i.additive}
        size = table["indicator_id"].isin(additive) & (table["status"] == "ok")
        table.loc[size, ["pct_all", "pct_peers"]] = np.nan
        table.loc[size, "note"] = (f"Not ranked: a total over {len(place.members)} local authorities is not "
                                   "comparable with single ones.")
        for ind, how in inp.indicator_how.items():
            hit = (table["indicator_id"] == ind) & ~size & (table["status"] == "ok")
            table.loc[hit, "note"] = (table.loc[hit, "note"].fillna("").astype(str) + " " + how.capitalize()
                                      + ".").str.strip()
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
    gaps = table[table["status"] == "gap"]
    sec["sentences"].append(gaps_sentence(list(gaps["label"])))
    choice = inp.peer_choice
    if choice is not None and choice.codes:
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
