"""Section 9 of the evidence pack: the datasets used, the methods as the pack applied them, and its
general caveats (pure)."""

from __future__ import annotations

from typing import Any

from creative_clusters import kinds
from creative_clusters.geography.place import nations_in
from creative_clusters.reporting._model import (
    EvidenceInputs,
    PackState,
    _finish,
    _section,
    _table,
    n_english_lads,
    uses_series_lqs,
)
from creative_clusters.reporting.findings import MODEST_LQ, SMALL_SPECIALISATION
from creative_clusters.reporting.pack_types import Section

__all__ = [
    "dataset_record",
    "pack_caveats",
    "sources_section",
]


def _peer_method(inp: EvidenceInputs, st: PackState) -> str:
    """The peer rule as the methods state it: the chosen rule, the user's list, or why there are none."""
    within = st.benchmark is not None and "pct_uk" in st.benchmark.columns  # section 4: its nation(s), the UK
    if inp.peer_choice is not None and (not within or inp.peer_choice.measures is not None
                                        or not inp.peer_choice.codes):
        return inp.peer_choice.rule  # the chosen rule, the user's peers, or why there are none
    if not within and st.peers:
        return "Peers: given by the user."
    if within or any(not str(m).startswith("E") for m in inp.place.members):
        base = (f"{nations_in(inp.place.members)} and of the UK instead (section 4)" if within
                else "its nation instead")
        return ("Peers: none. Peers are matched on creative sub-sector mix, and the counts by sub-sector (UK "
                f"Business Counts by SIC class) cover England only; the place is compared with every local "
                f"authority of {base}. Name peers with --peers (local authority codes) to compare it with them.")
    return "Peers: none: no place of the same kind had the data to be compared on."


def _series_nation(inp: EvidenceInputs) -> str | None:
    """The nation a place outside England's counts by SIC class is measured against ("" if unnamed), or None
    for a place whose LQs come from those counts (against England)."""
    return str((inp.series_scale or {}).get("nation_name") or "") if uses_series_lqs(inp) else None


def _lq_rank_methods(inp: EvidenceInputs) -> list[str]:
    """How the pack's location quotients and ranks were made: from the counts by SIC class against England, or
    (outside England) from the annual series against the UK and the place's nation."""
    interval = "95% interval from exact Poisson limits on the place's count, denominators taken as fixed."
    nation = _series_nation(inp)
    if nation is not None and inp.place.geo_type == "ctry":  # a nation against itself would be 1
        return [
            "Location quotient: the nation's creative enterprises (UK Business Counts, annual series, all creative "
            "industries) over its active enterprises (ONS Business Demography, the same year), divided by the same "
            "ratio for the UK; " + interval,
            "Ranks: 1 = most creative enterprises (annual series) among the nations of the UK.",
        ]
    if nation is not None:
        nation = nation or "its nation"
        return [
            "Location quotient: the place's creative enterprises (UK Business Counts, annual series, all creative "
            "industries) over its active enterprises (ONS Business Demography, the same year), divided by the same "
            f"ratio for the UK and for {nation}; " + interval,
            f"Ranks: 1 = most creative enterprises (annual series) among the local authorities of {nation} and "
            "of the UK.",
        ]
    return [
        "Location quotient: the place's creative share of active enterprises divided by England's; " + interval,
        f"Ranks: 1 = most creative enterprises among English local authorities ({kinds.LAD_VINTAGE} boundaries).",
    ]


def _benchmark_base(inp: EvidenceInputs) -> str:
    """The places the benchmark's percentiles are taken among, as the boundaries method names them."""
    nation = _series_nation(inp)
    if nation is not None and inp.place.geo_type == "ctry":
        return (f"this pack has no percentiles; a local authority of {nation} is ranked among the local "
                f"authorities of {nation} in its own pack")
    if nation is not None:
        nation = nation or "the place's nation"
        return f"this place's percentiles are among the local authorities of {nation}"
    return f"{n_english_lads(inp.indicators)} English local authorities"


def _trajectory_method(inp: EvidenceInputs) -> list[str]:
    """The trajectory classes as the rules that made them define them (from the place's trajectory), and how
    they differ from the growth findings' test."""
    t = inp.trajectory
    rules = next((n for n in (getattr(t, "notes", None) or []) if str(n).startswith("Trajectory class rules")), "")
    if not rules:
        return []
    from creative_clusters.reporting.findings import GROWTH_GAP_PP

    return [f"{rules} The classes are tested in that order; a growth strength in the findings asks for "
            f"{GROWTH_GAP_PP:g} point{'' if GROWTH_GAP_PP == 1 else 's'} a year faster than the nation, so a place "
            "can show growth as a strength and still be 'stable'."]


def dataset_record(inp: EvidenceInputs, sid: str) -> dict[str, Any] | None:
    """The catalogue record of dataset ``sid`` as the pack lists it (None when not in the catalogue): a
    microcluster run titled in words (:func:`run_title`: its date and firm file, then its run id)."""
    rec = next((r for r in inp.sources if r.get("id") == sid), None)
    if rec is not None and rec.get("kind") == kinds.MICROCLUSTERS and inp.microcluster_run is not None:
        from creative_clusters.microclusters.runs import run_title  # numba only where microclusters are read

        rec = {**rec, "title": run_title(inp.microcluster_run)}
    return rec


def sources_section(inp: EvidenceInputs, st: PackState, used: list[str],
                    definitions_version: str) -> Section:
    """Section 9: every dataset used with publisher, vintage, licence, attribution; methods; caveats."""
    sec = _section("sources", 9)
    known = {s["id"]: s for s in inp.sources}
    rows, links = [], []
    for sid in used:
        s = known.get(sid)
        if s is None:
            continue
        s = dataset_record(inp, sid) or s
        rows.append([sid, s.get("title", ""), s.get("publisher", ""), s.get("vintage", ""),
                     s.get("licence", ""), s.get("attribution", ""),
                     str(s.get("imported_at", "") or "")[:10], str(s.get("checksum", "") or "")[:16]])
        links.append([sid, s.get("source_url") or None])
    # the web addresses in a table of their own: as a column of the wide table above, a URL was squeezed to a
    # tenth of the line and broke every few characters ("https:// / www.nomiswe / b.co.uk/ / datasets/")
    sec["tables"].append(_table("Datasets used", ["Dataset", "Title", "Publisher", "Vintage", "Licence",
                                                  "Attribution", "Imported", "SHA-256 (first 16)"], rows,
                                ["text"] * 8,
                                ["Imported: the date the file was read in for this pack's data. SHA-256: the "
                                 "first 16 hex digits of the checksum of the files imported; the full value is "
                                 "in the data catalogue the pack was built from. Where each dataset is "
                                 "published: the next table."]))
    sec["tables"].append(_table("Where each dataset is published", ["Dataset", "URL"], links, ["text"] * 2,
                                ["–: the data catalogue records no web address for the dataset (a microcluster "
                                 "run, made by creative-clusters from a firm file, has none)."]
                                if any(u is None for _, u in links) else []))
    fw = inp.framework
    sec["methods"] = [
        f"Creative industries: DCMS definition {definitions_version} (31 SIC 2007 classes in 9 sub-sectors).",
        *_lq_rank_methods(inp),
        _peer_method(inp, st),
        f"Benchmark: framework {fw.id} version {fw.version}; percentile = share of places doing worse plus half "
        "of ties (100 = best), direction-aware; gaps are never scored.",
        f"Boundaries: every local-authority indicator is put on {kinds.LAD_VINTAGE} boundaries "
        f"({_benchmark_base(inp)}) before percentiles are taken; counts on "
        "older codes are summed for merged areas, rates on older codes are dropped for merged areas rather than "
        "averaged.",
        "Groups of places: counts are summed over member local authorities and ratios recomputed, never averaged.",
        "Findings: a specialisation is claimed only when the location quotient's 95% interval lies wholly above "
        "1 and rests on at least 10 enterprises, both with the count at the low edge of its rounding "
        "(published counts are rounded to 5, so 2 fewer: a published 10 may be 8; a weakness: wholly below 1, "
        "also with 2 more; a single "
        "sub-sector below 1 is a weakness, or in doubt a warning, only when it is the pack's focus); "
        "otherwise it is reported as "
        "inconclusive with the reason. A zero count (0 to 2 firms after rounding) is never a strength or a rank. "
        "A benchmark percentile is a strength at the 80th or above among at least 30 places (a weakness at the "
        "20th or below), never for a count under 10, nor for a rate resting on fewer than 10 counted (museums, "
        "high-growth firms), nor for a business-demography rank whose period holds a break in the place's "
        "series of active enterprises. Growth of creative enterprises is a strength (a weakness) "
        "when, over ten years, it runs at least 1 point a year faster (slower) than the place's nation from a base "
        "of at least 50 enterprises, and neither end of the window is a value flagged as an outlier. A "
        f"specialisation on fewer than {SMALL_SPECIALISATION} enterprises is called a small one, and one with an "
        f"LQ under {MODEST_LQ} a modest one (supporting evidence, not the lead). " + _order_words(inp),
        "Outliers: a year-on-year change of a place's creative enterprises is flagged when its robust z-score "
        "(median absolute deviation of log changes across all places) passes the configured threshold; the "
        "published value is shown as it is, with a note.",
        *_trajectory_method(inp),
        "Sentences are generated from the numbers by fixed templates; none is written by hand.",
    ]
    sec["sentences"] = list(sec["methods"])
    sec["sources"] = list(used)
    return _finish(sec, inp.missing.get("sources"))


def _order_words(inp: EvidenceInputs) -> str:
    """How the summary orders the findings of each kind, as :func:`~creative_clusters.reporting.findings.rank_findings`
    does (its salience bands), and which one it says to lead with."""
    focus = bool(inp.subsectors or inp.focus)
    return (("Within each kind the pack's focus comes first. Strengths then list " if focus
             else "Strengths list ")
            + "a detected cluster, then the whole creative sector's specialisation when its LQ is "
            f"{MODEST_LQ} or more (the bid's headline), then the others by the size of the effect (specialisations "
            "and growth before percentile ranks); only the first specialisation in that order is marked as the one "
            "to lead with. Weaknesses follow the size of the effect; inconclusive findings put the whole sector's "
            f"first when its LQ is {MODEST_LQ} or more, then the others in a fixed order of how likely each is to be "
            "cited.")


def pack_caveats(period: str, denominator_year: str, census: str = "") -> list[str]:
    """The pack's general caveats, with the periods of the data it was built from.

    ``census`` names the census the workforce figures come from as the
    warehouse catalogue records it (e.g. ``"Census 2021"``); "the census"
    without one.

    Examples
    --------
    >>> pack_caveats("2025", "2024")[3].split(", ")[-1]
    'a different source and year.'
    >>> pack_caveats("2025", "2024", "Census 2031")[4].split(";")[0]
    'Residence vs workplace: Census 2031 counts people where they live'
    >>> pack_caveats("2024", "2024")[3].split(", ")[-1]  # the annual series: one year, two sources
    'a different source.'
    """
    return [
        "Small counts: UK Business Counts are rounded to 5, so counts under about 20 are approximate; "
        "location quotients for small sub-sectors have wide intervals.",
        "Rounding and suppression: suppressed cells are shown as missing, never as zero.",
        "Coverage: creative enterprise counts by sub-sector and SIC class cover English local authorities only; "
        "the annual series of all creative industries covers every UK local authority.",
        f"Mixed denominators: creative counts (March {period} snapshot) are divided by active enterprises from "
        f"Business Demography {denominator_year}, a different source"
        + ("." if period == denominator_year else " and year."),
        f"Residence vs workplace: {census or 'the census'} counts people where they live; business counts are where "
        "firms are registered, which for some firms is an accountant's address.",
        "Deprivation indices are not comparable across the four nations.",
    ]
