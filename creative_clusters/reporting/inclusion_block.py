"""Section 5's "Inclusion and good work" part: renders the inclusion workflow's results (pure).

The figures come from :func:`creative_clusters.workflows.inclusion_report.inclusion_evidence`, the same
computation as the ``inclusion`` command; nothing here computes a share, a difference or a rank. Job
quality and workforce composition are sector-wide figures for the UK excluding London (or London),
never the place's own, and say so in every title; a suppressed cell shows no value, only its flag.
The part ends with what the pack cannot show at place level for a bid (diversity of the place's own
creative workforce, environmental sustainability, co-investment, overlap with funded clusters).
"""

from __future__ import annotations

from creative_clusters._text import fmt_signed
from creative_clusters.people.inclusion import BenchmarkRow, InclusionEvidence
from creative_clusters.reporting._model import _table, common_name
from creative_clusters.reporting.formatting import fmt_num, fmt_pct, join_and
from creative_clusters.reporting.pack_types import Block, Table

__all__ = ["FLAG_WORDS", "cannot_show", "inclusion_block"]

#: Disclosure flags as the tables show them.
FLAG_WORDS = {"as-published": "as published", "rounded": "rounded",
              "low-reliability": "low reliability (small sample)", "suppressed": "suppressed (not published)"}


def _where(ev: InclusionEvidence) -> str:
    """The benchmark's area in running text: "the UK excluding London", "London"."""
    return ev.area_name if ev.area_name == "London" else f"the {ev.area_name}"


def _flag(f: str) -> str:
    return FLAG_WORDS.get(f, f)


def _decile_part(ev: InclusionEvidence, block: Block) -> None:
    if not ev.deciles:
        if ev.deciles_absent:
            block["missing"].append(f"Creative activity by deprivation decile is not shown for {ev.place_name}: "
                                    f"{ev.deciles_absent}.")
        return
    here = [r for r in ev.deciles if r.place_lads]
    if len(here) == 1 and len(here[0].place_lads) == 1 and common_name(here[0].place_lads[0]) == ev.place_name:
        r = here[0]
        block["sentences"].append(
            f"On the {ev.deciles_index}, {ev.place_name} is in decile {r.decile} of English local authorities "
            f"(1 = most deprived); the {r.lads} local authorities of that decile together have "
            f"{fmt_num(r.rate, 1)} {ev.deciles_unit}.")
    elif len(here) == 1:  # one decile: its local authority (a TTWA's one LAD, named otherwise) or all of them
        r = here[0]
        who = (f"{ev.place_name}'s local authority, {common_name(r.place_lads[0])}, is"
               if len(r.place_lads) == 1 else f"all {len(r.place_lads)} of {ev.place_name}'s local authorities are")
        block["sentences"].append(
            f"On the {ev.deciles_index}, {who} in decile {r.decile} of English local authorities "
            f"(1 = most deprived); the {r.lads} local authorities of that decile together have "
            f"{fmt_num(r.rate, 1)} {ev.deciles_unit}.")
    elif here:
        block["sentences"].append(
            f"On the {ev.deciles_index}, {ev.place_name}'s local authorities are in deciles "
            f"{join_and([str(r.decile) for r in here])} of English local authorities (1 = most deprived); "
            "the table marks each.")
    rows = [[r.decile, r.lads, r.rate, "; ".join(common_name(n) for n in r.place_lads)] for r in ev.deciles]
    notes = [n[:1].upper() + n[1:] + "." for n in ev.deciles_notes]
    notes.append("A decile's rate is for all its local authorities together, not for the place.")
    block["tables"].append(_table(
        f"Deprivation deciles: creative enterprises per 1,000 active enterprises in each decile of English local "
        f"authorities, {ev.deciles_index}",
        ["Decile (1 = most deprived)", "Local authorities", "Creative enterprises per 1,000 active enterprises",
         f"{ev.place_name} here"], rows, ["int", "int", "num1", "text"], notes))


def _benchmark_table(title: str, first: str, rows: list[BenchmarkRow], notes: list[str]) -> Table:
    return _table(title, [first, "Creative industries (%)", "All industries (%)",
                          "Difference (percentage points)", "Reliability"],
                  [[r.label[:1].upper() + r.label[1:], r.creative_pct, r.all_industries_pct, r.difference_pp,
                    _flag(r.flag)] for r in rows],
                  ["text", "pct", "pct", "num1", "text"], notes)


_SECTOR_WIDE = ("Sector-wide figures for {area}, from the ONS Annual Population Survey: not figures for "
                "{place}, whose own are not published.")
_UNROUNDED = ("Differences are of the published values before rounding, so one can differ by 0.1 from the "
              "difference of the two shares as shown.")
_SUPPRESSED = ("A suppressed cell shows no value; low-reliability cells rest on small samples and are not "
               "quoted in the text.")


def _job_quality_part(ev: InclusionEvidence, block: Block) -> None:
    if not ev.job_quality:
        return
    above, below = ev.job_quality_above, ev.job_quality_below
    def listed(rows: list[BenchmarkRow]) -> str:
        return join_and([f"{r.label.lower()} ({fmt_pct(r.creative_pct)} against "
                           f"{fmt_pct(r.all_industries_pct)})"
                      for r in rows])

    # the indicators are named as the ONS workbook names them ("Not low pay"), so they are listed after "for"
    parts = ([f"the share of creative-industries jobs was higher than that of all jobs for {listed(above)}"]
             if above else []) \
        + ([f"it was lower for {listed(below)}" if above else
            f"the share of creative-industries jobs was lower than that of all jobs for {listed(below)}"]
           if below else [])
    if parts:
        block["sentences"].append(
            f"Good work: across {_where(ev)} in {ev.job_quality_period}, " + "; ".join(parts)
            + f". These are sector-wide survey figures, not {ev.place_name}'s own.")
    block["tables"].append(_benchmark_table(
        f"Job quality, creative industries against all industries, {ev.area_name} (sector-wide, not "
        f"{ev.place_name}), {ev.job_quality_period}", "Share of jobs with", ev.job_quality,
        [_SECTOR_WIDE.format(area=_where(ev), place=ev.place_name), _SUPPRESSED, _UNROUNDED]))


def _composition_part(ev: InclusionEvidence, block: Block) -> None:
    if not ev.composition:
        return
    if ev.composition_cited:
        block["sentences"].append(
            f"Workforce: across {_where(ev)} in {ev.composition_period}, the largest differences between "
            "creative-industries jobs (excluding IT and software) and all jobs that are not flagged as unreliable "
            "are for " + join_and([f"{r.label} ({fmt_pct(r.creative_pct)} of creative jobs, "
                                    f"{fmt_signed(r.difference_pp, 1)} percentage points)"
                                    for r in ev.composition_cited])
            + f". These are sector-wide benchmarks for {_where(ev)}, not {ev.place_name}'s own workforce: a bid "
            "can set a survey of "
            "its own partners' staff and freelancers against them.")
    said = {n for t in block["tables"] for n in t["notes"]}  # a note under the job-quality table is said once
    notes = [n for n in (_SECTOR_WIDE.format(area=_where(ev), place=ev.place_name),
                         *(n[:1].upper() + n[1:] + "." for n in ev.composition_notes), _SUPPRESSED, _UNROUNDED)
             if n not in said]
    block["tables"].append(_benchmark_table(
        f"Workforce composition, creative industries (excluding IT) against all industries, {ev.area_name} "
        f"(sector-wide, not {ev.place_name}), {ev.composition_period}", "Share of jobs", ev.composition, notes))


def cannot_show(place: str) -> list[str]:
    """What a bid must address that this pack cannot show for ``place`` (section 5's plain note).

    Examples
    --------
    >>> cannot_show("Leeds")[0][:60]
    "This pack cannot show the diversity of Leeds's own creative "
    """
    return [
        f"This pack cannot show the diversity of {place}'s own creative workforce (sex, ethnicity, disability): "
        "it holds no table of these by local authority and creative industry or occupation. Census tables of "
        "industry or occupation by ethnic group or by disability for local authorities (Census 2021 in England "
        "and Wales; each other nation's own census) would give residents' figures; the bid's "
        "own survey of its partners' staff and freelancers gives the cluster's.",
        "This pack cannot show the environmental sustainability of the place's creative businesses: no dataset it "
        "holds measures it.",
        "This pack cannot show co-investment: commitments from local and devolved partners are the bid's own "
        "evidence.",
        f"This pack cannot show whether {place} already hosts a cluster funded in round 1 of the Creative "
        "Industries Clusters Programme: the list of funded clusters is not in its data.",
    ]


def inclusion_block(ev: InclusionEvidence) -> Block:
    """Sentences, tables, sources and missing notes of section 5's inclusion and good-work part."""
    block: Block = {"sentences": [], "tables": [], "figures": [], "sources": list(ev.sources),
                    "missing": list(ev.missing)}
    _decile_part(ev, block)
    _job_quality_part(ev, block)
    _composition_part(ev, block)
    block["missing"].extend(cannot_show(ev.place_name))
    return block
