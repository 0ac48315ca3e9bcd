"""Sentences generated from numbers. Every claim in a pack comes from one of
these functions, each taking numbers (and names) and returning plain text in
British English; none of them knows anything about a place that it was not
given. Missing numbers give ``""`` (the caller leaves the sentence out).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from creative_clusters.kinds import CORRIDOR_MAX_DISTANCE_M, LAD_VINTAGE

__all__ = [
    "anchors_sentence",
    "births_deaths_sentence",
    "census_sentence",
    "cluster_method_sentence",
    "corridor_sentence",
    "enterprises_sentence",
    "fmt_int",
    "fmt_lq",
    "fmt_num",
    "fmt_pct",
    "gaps_sentence",
    "growth_sentence",
    "join_and",
    "joint_ordinal",
    "lq_sentence",
    "member_clusters_sentence",
    "microclusters_sentence",
    "more_findings_sentence",
    "ordinal",
    "pct_ordinal",
    "peer_best_sentence",
    "peer_rank_sentence",
    "percentile_sentence",
    "rank_sentence",
    "research_sentence",
    "strong_rule_sentence",
    "subsector_lq_sentence",
    "survival_sentence",
    "threshold_rule_sentence",
    "tie_words",
    "top_subsector_sentence",
]


def _bad(*xs: object) -> bool:
    return any(x is None or (isinstance(x, float) and math.isnan(x)) for x in xs)


def fmt_int(x: float | None) -> str:
    """Whole number with thousands separators; '–' when missing.

    Examples
    --------
    >>> fmt_int(10350.0), fmt_int(None), fmt_int(-200.0)
    ('10,350', '–', '−200')
    """
    return "–" if x is None or _bad(x) else _minus(f"{round(float(x)):,}")


def fmt_num(x: float | None, digits: int = 2) -> str:
    """Number with ``digits`` decimals; '–' when missing.

    Examples
    --------
    >>> fmt_num(1.23456)
    '1.23'
    """
    return "–" if x is None or _bad(x) else _minus(f"{float(x):,.{digits}f}")


def _minus(text: str) -> str:
    """House style: a true minus sign (U+2212) for negative numbers; '-0.0' becomes '0.0'.

    Examples
    --------
    >>> _minus("-1.5"), _minus("-0.0")
    ('−1.5', '0.0')
    """
    if text.startswith("-"):
        body = text[1:]
        return body if not body.strip("0.,%") else "\u2212" + body
    return text


#: Decimals of a place's share of a national total, the same in the headline and every section.
SHARE_DIGITS = 2


def fmt_pct(x: float | None, digits: int = 1) -> str:
    """Percentage (x already in %); '–' when missing.

    Examples
    --------
    >>> fmt_pct(4.194)
    '4.2%'
    """
    return "–" if x is None or _bad(x) else _minus(f"{float(x):.{digits}f}%")


def ordinal(n: int) -> str:
    """1 → '1st', 12 → '12th', 23 → '23rd'.

    Examples
    --------
    >>> [ordinal(i) for i in (1, 2, 3, 4, 11, 12, 13, 21, 102)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd']
    """
    suf = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


def pct_ordinal(p: float, *, at_least: float | None = None, at_most: float | None = None) -> str:
    """A percentile rank in words, kept within the 1st to the 99th (the lowest of 361 places has a mid-rank
    percentile of 0.1, which is not "the 0th percentile").

    ``at_least`` (``at_most``) is the threshold of a claim "at the 80th percentile or above" ("the 20th or
    below") in the same sentence: a percentile that fails it is never rounded across it, so a 79.9th that
    missed the 80th is said as the 79th, not as the 80th it did not reach (a 20.2th that missed a weakness at
    the 20th or below, the 21st). A percentile that meets the threshold rounds as usual.

    Examples
    --------
    >>> [pct_ordinal(p) for p in (0.14, 1.4, 52.5, 99.86)]
    ['1st', '1st', '52nd', '99th']
    >>> pct_ordinal(79.9), pct_ordinal(79.9, at_least=80), pct_ordinal(80.0, at_least=80)
    ('80th', '79th', '80th')
    >>> pct_ordinal(20.2, at_most=20), pct_ordinal(20.0, at_most=20), pct_ordinal(19.6, at_most=20)
    ('21st', '20th', '20th')
    """
    r = round(p)
    if at_least is not None and p < at_least and r >= at_least:  # failed the gate: not said as meeting it
        r = math.ceil(at_least) - 1
    if at_most is not None and p > at_most and r <= at_most:
        r = math.floor(at_most) + 1
    return ordinal(min(99, max(1, r)))


def enterprises_sentence(place: str, n: float | None, share_pct: float | None, *, period: str,
                         area: str = "England") -> str:
    """Headline creative enterprise count and share of the reference area in ``period`` (e.g. "March 2025").

    Examples
    --------
    >>> enterprises_sentence("Westminster", 10350, 4.194, period="March 2025")
    'Westminster had 10,350 creative enterprises in March 2025, 4.19% of the England total.'

    A published 0 is a count rounded to 5, that is 0 to 2, not a true zero:

    >>> enterprises_sentence("Isles of Scilly", 0, 0.0, period="March 2025")
    'Isles of Scilly had fewer than 3 creative enterprises in March 2025 (published as 0: counts are rounded to 5).'
    """
    if _bad(n):
        return ""
    if n == 0:
        return (f"{place} had fewer than 3 creative enterprises in {period} (published as 0: counts are rounded "
                "to 5).")
    s = f"{place} had {fmt_int(n)} creative enterprises in {period}"
    if share_pct is not None and not _bad(share_pct):
        s += f", {fmt_pct(share_pct, SHARE_DIGITS)} of the {area} total"
    return s + "."


def lq_sentence(place: str, lq: float | None, lo: float | None = None, hi: float | None = None,
                area: str = "England", what: str = "Creative businesses") -> str:
    """Concentration relative to the reference area, with the interval when given.

    Examples
    --------
    >>> lq_sentence("Brighton and Hove", 1.5, 1.4, 1.6)
    'Creative businesses are 1.50 times as concentrated in Brighton and Hove as in England (location quotient; 95%
    interval 1.40 to 1.60).'
    >>> lq_sentence("X", 0.8)
    'Creative businesses are 0.80 times as concentrated in X as in England (location quotient), that is less
    concentrated than the England average.'
    """
    if lq is None or _bad(lq):
        return ""
    s = f"{what} are {fmt_num(lq)} times as concentrated in {place} as in {area} (location quotient"
    if not _bad(lo, hi):
        s += f"; 95% interval {fmt_num(lo)} to {fmt_num(hi)}"
    s += ")"
    if lq < 1 and (hi is None or _bad(hi) or hi < 1):
        s += f", that is less concentrated than the {area.removeprefix('the ')} average"
    return s + "."


def tie_words(tied: int, others: str = "others") -> str:
    """", tied with 3 others on the same value" (plain "" for no tie): a shared value is no unique position.

    Examples
    --------
    >>> tie_words(3)
    ', tied with 3 others on the same value'
    >>> tie_words(1), tie_words(0)
    (', tied with 1 other on the same value', '')
    """
    if not tied or _bad(tied):
        return ""
    tied = int(tied)
    word = others[:-1] if tied == 1 and others.endswith("s") else others
    return f", tied with {tied} {word} on the same value"


def joint_ordinal(rank: int, tied: int | float | None = 0) -> str:
    """'3rd', or 'joint 3rd' when ``tied`` other places share the rank (the one wording of a shared rank).

    Examples
    --------
    >>> joint_ordinal(5), joint_ordinal(5, 3)
    ('5th', 'joint 5th')
    """
    return f"joint {ordinal(int(rank))}" if tied and not _bad(tied) else ordinal(int(rank))


def rank_sentence(place: str, rank: int | None, n: int, what: str, among: str, tied: int = 0) -> str:
    """National rank; ``tied``: how many other places share it (ranks are shared by ties, 1 = largest).

    Examples
    --------
    >>> rank_sentence("Westminster", 1, 296, "creative enterprises", "English local authorities")
    'Westminster ranks 1st of 296 English local authorities for creative enterprises.'
    >>> rank_sentence("X", 3, 296, "creative enterprises", "English local authorities", tied=2)
    'X ranks joint 3rd of 296 English local authorities for creative enterprises.'
    """
    if rank is None or not n:
        return ""
    return f"{place} ranks {joint_ordinal(rank, tied)} of {n} {among} for {what}."


def peer_rank_sentence(place: str, rank: int | None, n_peers: int, what: str, tied: int = 0) -> str:
    """Rank within the place and its peers; ``tied``: how many of them share it.

    Examples
    --------
    >>> peer_rank_sentence("Sheffield", 2, 10, "creative business location quotient")
    'Among Sheffield and its 10 peers, it ranks 2nd of 11 on creative business location quotient.'
    >>> peer_rank_sentence("X", 1, 10, "creative business location quotient", tied=1)
    'Among X and its 10 peers, it ranks joint 1st of 11 on creative business location quotient.'
    """
    if rank is None or not n_peers:
        return ""
    return (f"Among {place} and its {n_peers} peers, it ranks {joint_ordinal(rank, tied)} of "
            f"{n_peers + 1} on {what}.")


def top_subsector_sentence(place: str, subsector: str | list[str] | None, share_pct: float | None) -> str:
    """The largest sub-sector by enterprises; sub-sectors tied on the (rounded) count are named together.

    Examples
    --------
    >>> top_subsector_sentence("Sheffield", "IT, software and computer services", 45.04)
    'The largest creative sub-sector in Sheffield by number of enterprises is IT, software and computer services (45.0%
    of creative enterprises).'
    >>> top_subsector_sentence("Hastings", ["IT, software and computer services", "Music, performing and visual arts"],
    ...                        22.89)
    'Two creative sub-sectors tie as the largest in Hastings by number of enterprises: IT, software and computer
    services and music, performing and visual arts (22.9% of creative enterprises each).'
    """
    names = [subsector] if isinstance(subsector, str) else list(subsector or [])
    if not names or _bad(share_pct):
        return ""
    if len(names) == 1:
        return (f"The largest creative sub-sector in {place} by number of enterprises is "
                f"{names[0]} ({fmt_pct(share_pct)} of creative enterprises).")
    listed = join_and([names[0], *(_lower_name(n) for n in names[1:])])
    return (f"{_count_word(len(names))} creative sub-sectors tie as the largest in {place} by number of "
            f"enterprises: {listed} ({fmt_pct(share_pct)} of creative enterprises each).")


def subsector_lq_sentence(place: str, names: list[str], lqs: list[float], unsure: list[str] | None = None) -> str:
    """Sub-sectors whose business LQ is above 1 with the interval above 1 (``names``), and those
    above 1 whose interval includes 1 or whose count is too small (``unsure``).

    Examples
    --------
    >>> subsector_lq_sentence("X", ["Publishing", "Crafts"], [1.82, 1.2])
    'X is more specialised than England in 2 creative sub-sectors, with 95% intervals above 1: Publishing (LQ 1.82),
    Crafts (LQ 1.20).'
    >>> subsector_lq_sentence("X", [], [], unsure=["Architecture"])
    'No creative sub-sector in X is more concentrated than in England beyond doubt: Architecture has a location
    quotient above 1, but its interval, count or the rounding of its count to 5 leaves it in doubt.'
    >>> subsector_lq_sentence("X", [], [])
    'No creative sub-sector in X has a business location quotient above 1.'
    """
    unsure = unsure or []
    tail = ""
    if unsure:
        verb = "has a location quotient" if len(unsure) == 1 else "have location quotients"
        one = len(unsure) == 1
        tail = (f"{join_and(unsure)} {verb} above 1, but {'its' if one else 'their'} "
                f"interval{'' if one else 's'}, count{'' if one else 's'} or the rounding of "
                f"{'its count' if one else 'their counts'} to 5 leave{'s' if one else ''} "
                f"{'it' if one else 'them'} in doubt.")
    if not names:
        if tail:
            return f"No creative sub-sector in {place} is more concentrated than in England beyond doubt: {tail}"
        return f"No creative sub-sector in {place} has a business location quotient above 1."
    items = ", ".join(f"{n} (LQ {fmt_num(v)})" for n, v in zip(names, lqs, strict=True))
    k = len(names)
    s = (f"{place} is more specialised than England in {k} creative sub-sector"
         f"{'s' if k != 1 else ''}, with 95% intervals above 1: {items}.")
    return s + (f" {tail}" if tail else "")


def growth_sentence(place: str, what: str, first_period: str, last_period: str,
                    first: float | None, last: float | None,
                    ref_name: str | None = None, ref_growth_pct: float | None = None, *,
                    growth_pct: float | None) -> str:
    """Change between two periods, optionally against a reference area.

    ``growth_pct`` is the change from ``first`` to ``last`` (%), computed by the caller
    (:func:`creative_clusters.indicators.growth.change_pct`); the sentence only says it.

    Examples
    --------
    >>> growth_sentence("X", "Active enterprises (all industries)", "2019", "2024", 1000, 1100,
    ...                 "the UK", 2.0, growth_pct=10.0)
    'Active enterprises (all industries) in X rose by 10.0% between 2019 and 2024, from 1,000 to 1,100, against 2.0% in
    the UK.'
    """
    if first is None or last is None or growth_pct is None or _bad(first, last, growth_pct) or not first:
        return ""
    g = float(growth_pct)
    verb = "rose" if g > 0 else ("fell" if g < 0 else "were unchanged")
    s = f"{what} in {place} {verb}"
    if g != 0:
        s += f" by {fmt_pct(abs(g))}"
    s += f" between {first_period} and {last_period}, from {fmt_int(first)} to {fmt_int(last)}"
    if ref_name and not _bad(ref_growth_pct):
        s += f", against {fmt_pct(ref_growth_pct)} in {ref_name}"
    return s + "."


def births_deaths_sentence(place: str, period: str, birth: float | None, death: float | None,
                           ref_name: str | None = None, ref_birth: float | None = None,
                           ref_death: float | None = None) -> str:
    """Business birth and death rates.

    Examples
    --------
    >>> births_deaths_sentence("X", "2024", 11.2, 10.1, "the UK", 10.5, 10.9)
    'In 2024 the business birth rate in X was 11.2% and the death rate 10.1% (the UK: 10.5% and 10.9%).'
    """
    if _bad(birth, death):
        return ""
    s = f"In {period} the business birth rate in {place} was {fmt_pct(birth)} and the death rate {fmt_pct(death)}"
    if ref_name and not _bad(ref_birth, ref_death):
        s += f" ({ref_name}: {fmt_pct(ref_birth)} and {fmt_pct(ref_death)})"
    return s + "."


def survival_sentence(place: str, rate: float | None, label: str = "business survival rate",
                      ref_name: str | None = None, ref_rate: float | None = None) -> str:
    """Survival rate.

    Examples
    --------
    >>> survival_sentence("X", 55.0, ref_name="the UK", ref_rate=53.4)
    'The business survival rate in X is 55.0% (the UK: 53.4%).'
    """
    if _bad(rate):
        return ""
    s = f"The {label} in {place} is {fmt_pct(rate)}"
    if ref_name and not _bad(ref_rate):
        s += f" ({ref_name}: {fmt_pct(ref_rate)})"
    return s + "."


def census_sentence(place: str, n: float | None, share_pct: float | None,
                    ref_share_pct: float | None, ref_name: str = "England and Wales", year: str = "") -> str:
    """Census residents in creative divisions; ``year`` is the census's vintage in the catalogue.

    Examples
    --------
    >>> census_sentence("X", 12000, 5.0, 4.0, year="2021")
    'At the 2021 Census, 12,000 residents of X in employment (5.0%) worked in industry divisions that hold most creative
    activity, against 4.0% across England and Wales.'
    >>> census_sentence("X", 12000, 5.0, None)[:30]
    'At the Census, 12,000 resident'
    """
    if _bad(n, share_pct):
        return ""
    s = (f"At the {f'{year} ' if year else ''}Census, {fmt_int(n)} residents of {place} in employment "
         f"({fmt_pct(share_pct)}) "
         "worked in industry divisions that hold most creative activity")
    if not _bad(ref_share_pct):
        s += f", against {fmt_pct(ref_share_pct)} across {ref_name}"
    return s + "."


def percentile_sentence(place: str, label: str, pct_all: float | None, n_all: int,
                        pct_peers: float | None = None, n_peers: int = 0, *, tied: int = 0,
                        tied_peers: int = 0, places: str = "places") -> str:
    """One benchmark indicator as percentiles; ``tied`` (``tied_peers``): how many other places (peers) share
    the place's value (a tie is at its middle: the mid-rank percentile), said so; ``places``: what they are.

    Examples
    --------
    >>> percentile_sentence("X", "Business birth rate", 91.0, 296, 80.0, 11)
    'On business birth rate, X is at the 91st percentile of 296 places (80th percentile among it and its 10 peers;
    100 = best).'
    >>> percentile_sentence("X", "Business death rate", 12.5, 296, tied=4)
    'On business death rate, X is at the 12th percentile of 296 places, tied with 4 others on the same value (100 =
    best).'

    The peer figure is named a percentile: "44th among it and its 7 peers" reads as a rank among 8 places.
    """
    if pct_all is None or _bad(pct_all):
        return ""
    s = (f"On {_lower_name(label)}, {place} is at the {pct_ordinal(pct_all)} percentile of {n_all} {places}"
         + tie_words(tied))
    if pct_peers is not None and not _bad(pct_peers) and n_peers:
        s += (f" ({pct_ordinal(pct_peers)} percentile among it and its {n_peers - 1} peers"
              + tie_words(tied_peers, "peers")
              + "; 100 = best)")
    else:
        s += " (100 = best)"
    return s + "."


def gaps_sentence(labels: list[str]) -> str:
    """Indicators without data.

    Examples
    --------
    >>> gaps_sentence(["R&D", "Graduate retention"])
    '2 indicators have no data yet and are shown as gaps, not scored: R&D; Graduate retention.'
    """
    if not labels:
        return ""
    k = len(labels)
    return (f"{k} indicator{'s have' if k != 1 else ' has'} no data yet and "
            f"{'are' if k != 1 else 'is'} shown as {'gaps' if k != 1 else 'a gap'}, not scored: "
            + "; ".join(labels) + ".")


def cluster_method_sentence(place: str, method: str, is_cluster: bool, detail: str = "") -> str:
    """Whether a detection method flags the place.

    Examples
    --------
    >>> cluster_method_sentence("X", "rule A", True)
    'X is a creative cluster under the rule A.'
    """
    s = f"{place} {'is' if is_cluster else 'is not'} a creative cluster under the {method}"
    return s + (f" ({detail})" if detail else "") + "."


def microclusters_sentence(place: str, n: int, n_firms: float | None = None,
                           best_rank: int | None = None, n_national: int | None = None,
                           *, coverage: str = "unknown", national: bool = False) -> str:
    """Microclusters in the place, said as far as the firm file's coverage allows.

    ``coverage`` is ``"covered"`` (the run's firm file covers the place),
    ``"not_covered"`` or ``"unknown"`` (a warehouse without a run record).
    A rank is "national" only for a run whose file covers the country
    (``national``); otherwise it is among the microclusters of that file.
    Outside the coverage no microcluster means "not covered", never "none".

    Examples
    --------
    >>> microclusters_sentence("Sheffield", 3, 1200, 14, 700, coverage="covered", national=True)
    'Sheffield contains 3 creative microclusters with 1,200 firms between them; the largest ranks 14th of 700
    nationally.'
    >>> microclusters_sentence("Sheffield", 1, 120, 1, 10, coverage="covered")
    'Sheffield contains 1 creative microcluster with 120 firms; the largest ranks 1st of the 10 microclusters
    found in the firm file, which covers part of the UK only.'
    >>> microclusters_sentence("X", 0, coverage="covered")
    'No creative microcluster was detected in X, which the firm file covers.'
    >>> microclusters_sentence("X", 0, coverage="not_covered")
    'The firm file the microclusters come from does not cover X, so whether X has creative microclusters is not
    known.'
    >>> microclusters_sentence("X", 0)
    'No creative microcluster was found in X in the firm data loaded; which areas that firm file covers was not
    recorded, so X may simply not be covered.'
    """
    if n == 0:
        if coverage == "covered":
            return f"No creative microcluster was detected in {place}, which the firm file covers."
        if coverage == "not_covered":
            return (f"The firm file the microclusters come from does not cover {place}, so whether {place} has "
                    "creative microclusters is not known.")
        return (f"No creative microcluster was found in {place} in the firm data loaded; which areas that firm "
                f"file covers was not recorded, so {place} may simply not be covered.")
    s = f"{place} contains {n} creative microcluster{'s' if n != 1 else ''}"
    if not _bad(n_firms):
        s += f" with {fmt_int(n_firms)} firms" + (" between them" if n != 1 else "")
    if best_rank and n_national:
        if national:
            s += f"; the largest ranks {ordinal(best_rank)} of {n_national} nationally"
        elif coverage == "covered":
            s += (f"; the largest ranks {ordinal(best_rank)} of the {n_national} microclusters found in the firm "
                  "file, which covers part of the UK only")
        else:
            s += (f"; the largest ranks {ordinal(best_rank)} of the {n_national} microclusters found, whose firm "
                  "file may not cover the whole country")
    return s + "."


def anchors_sentence(place: str, n_hei: int | None, n_museums: int | None, *, hei_vintage: str = "") -> str:
    """Anchor institutions in the place.

    A provider list records head offices only, on its date (``hei_vintage``): none in the list is not "no
    university here" (a branch campus, or a provider founded since, is missing), and the sentence says so.

    Examples
    --------
    >>> anchors_sentence("X", 2, 15)
    'X is home to 2 higher-education providers and 15 museums.'
    >>> anchors_sentence("X", 0, 1, hei_vintage="2015")
    'X is home to 1 museum. No higher-education provider in the reference lists has its head office in X; the
    provider list dates from about 2015 and records head offices only, so a branch campus or a newer provider
    there would not appear: check before saying X has none.'
    """
    parts: list[str] = []
    if n_hei:
        parts.append(f"{n_hei} higher-education provider{'s' if n_hei != 1 else ''}")
    if n_museums:
        parts.append(f"{n_museums} museum{'s' if n_museums != 1 else ''}")
    out = []
    if parts:
        out.append(f"{place} is home to " + " and ".join(parts) + ".")
    if n_museums == 0:
        out.append(f"No museum in the reference lists is located in {place}.")
    if n_hei == 0:
        when = f"dates from about {hei_vintage} and " if hei_vintage else ""
        out.append(f"No higher-education provider in the reference lists has its head office in {place}; the "
                   f"provider list {when}records head offices only, so a branch campus or a newer provider there "
                   f"would not appear: check before saying {place} has none.")
    return " ".join(out)


def research_sentence(n_place: int, n_total: int, chain_label: str) -> str:
    """How many library entries match the place.

    Examples
    --------
    >>> research_sentence(3, 20, "Sheffield or Yorkshire and The Humber")
    '20 reports and data sources are relevant; 3 of them deal with Sheffield or Yorkshire and The Humber specifically.'
    """
    if n_place == 0:
        return f"{n_total} reports and data sources are relevant; none deals with {chain_label} specifically."
    if n_place == 1:
        return f"{n_total} reports and data sources are relevant; one deals with {chain_label} specifically."
    return (f"{n_total} reports and data sources are relevant; {n_place} of them deal with "
            f"{chain_label} specifically.")


def member_clusters_sentence(place: str, n: int, flagged: Sequence[tuple[str, Sequence[str]]]) -> str:
    """Which member local authorities of a group each method flags, by name, in one sentence (methods that
    flag none merged into one clause, not a sentence each).

    ``flagged`` is ``(method, names of the members it flags)`` per method; a long list is cut at
    :data:`MAX_MEMBER_NAMES` names ("and 4 more").

    Examples
    --------
    >>> member_clusters_sentence("GM", 10, [("rule A", ["Manchester", "Salford"]), ("hot-spot analysis", [])])
    'Of the 10 local authorities in GM, 2 are creative clusters under the rule A (Manchester and Salford); none is
    under the hot-spot analysis.'
    >>> member_clusters_sentence("X", 2, [("rule A", ["Bristol"]), ("rule B", ["Bristol"])])
    'Of the 2 local authorities in X, 1 is a creative cluster under both the rule A and the rule B: Bristol.'
    >>> member_clusters_sentence("X", 3, [("rule A", ["P"]), ("rule B", ["P", "Q"])])
    'Of the 3 local authorities in X, 1 is a creative cluster under the rule A (P) and 2 under the rule B (P and Q).'
    >>> member_clusters_sentence("X", 5, [("rule A", []), ("rule B", []), ("rule C", [])])
    'None of the 5 local authorities in X is a creative cluster under the rule A, the rule B or the rule C.'
    """
    def join(items: Sequence[str], word: str) -> str:
        items = list(items)
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]

    def who(names: Sequence[str]) -> str:
        names = list(names)
        if len(names) > MAX_MEMBER_NAMES:
            return ", ".join(names[:MAX_MEMBER_NAMES]) + f" and {len(names) - MAX_MEMBER_NAMES} more"
        return join(names, "and")

    yes = [(m, list(k)) for m, k in flagged if len(k)]
    no = [f"the {m}" for m, k in flagged if not len(k)]
    if not yes:
        return f"None of the {n} local authorities in {place} is a creative cluster under {join(no, 'or')}." \
            if no else ""
    tail = f"; none is under {join(no, 'or')}" if no else ""
    if len(yes) > 1 and all(sorted(k) == sorted(yes[0][1]) for _m, k in yes):  # the same members every time
        k0 = yes[0][1]
        under = ("both " if len(yes) == 2 else "each of ") + join([f"the {m}" for m, _k in yes], "and")
        return (f"Of the {n} local authorities in {place}, {len(k0)} "
                f"{'is a creative cluster' if len(k0) == 1 else 'are creative clusters'} under {under}: "
                f"{who(k0)}{tail}.")
    (m0, k0), rest = yes[0], yes[1:]
    parts = [f"{len(k0)} {'is a creative cluster' if len(k0) == 1 else 'are creative clusters'} under the {m0} "
             f"({who(k0)})", *(f"{len(k)} under the {m} ({who(k)})" for m, k in rest)]
    return f"Of the {n} local authorities in {place}, {join(parts, 'and')}{tail}."


#: Most member names a cluster sentence lists per method.
MAX_MEMBER_NAMES = 6


def clusters_summary_sentence(place: str, yes: list[str], no: list[str],
                              point_only: Mapping[str, str] | None = None) -> str:
    """Which detection methods flag the place, said once (negatives merged into one clause).

    ``point_only`` maps methods in ``yes`` whose flag rests on a point estimate whose own 95% interval reaches 1
    to why (a clause): said as "meets ... on its point estimate only", not "is a creative cluster".

    Examples
    --------
    >>> clusters_summary_sentence("X", ["rule A"], ["US Cluster Mapping rule", "hot-spot analysis"])
    'X is a creative cluster under the rule A, but not under the US Cluster Mapping rule or the hot-spot analysis.'
    >>> clusters_summary_sentence("X", [], ["rule A", "rule B"])
    'None of the 2 detection methods (rule A and rule B) finds a creative cluster in X.'
    >>> clusters_summary_sentence("X", ["rule A"], ["rule B"], point_only={"rule A": "its LQ's interval includes 1"})
    "X meets the rule A on its point estimate only (its LQ's interval includes 1), and is not a creative cluster
    under the rule B."
    """
    def join(items: list[str], word: str) -> str:
        items = [f"the {m}" for m in items]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]

    point_only = point_only or {}
    doubt = [m for m in yes if m in point_only]
    yes = [m for m in yes if m not in point_only]
    if doubt:
        why = "; ".join(dict.fromkeys(point_only[m] for m in doubt))
        s = f"{place} meets {join(doubt, 'and')} on its point estimate only ({why})"
        if yes:
            s += f", is a creative cluster under {join(yes, 'and')}"
        return s + (f", and is not a creative cluster under {join(no, 'or')}." if no else ".")
    if yes and no:
        return f"{place} is a creative cluster under {join(yes, 'and')}, but not under {join(no, 'or')}."
    if yes:
        return f"{place} is a creative cluster under {join(yes, 'and')}."
    if not no:
        return ""
    if len(no) == 1:
        return f"{place} is not a creative cluster under the {no[0]}."
    names = " and ".join([", ".join(no[:-1]), no[-1]])
    return f"None of the {len(no)} detection methods ({names}) finds a creative cluster in {place}."


def threshold_rule_sentence(rule: str, min_lq: float, min_size: float, n_places: int | None = None, *,
                            against: str = "England", places: str = "English local authorities") -> str:
    """The threshold rule defined where the pack cites it: its thresholds, and what it rests on by local
    authority (business counts only; Nesta's 2016 rule also asked for an employment LQ).

    Examples
    --------
    >>> print(threshold_rule_sentence("Nesta-style threshold rule (business counts)", 1.0, 277, 296))
    The Nesta-style threshold rule (business counts) flags a local authority whose creative business location
    quotient against England is at least 1.0 on its point estimate and which has at least 277 creative enterprises
    (the bottom quartile of the 296 English local authorities). It rests on business counts only: Nesta (2016) also
    required creative employment to be concentrated (co-located jobs and businesses), which these data cannot show
    by local authority, so its list can differ from Nesta's.

    Run on the UK-wide annual series (all creative industries), for local authorities outside England:

    >>> s = threshold_rule_sentence("rule B", 1.0, 225, 361, against="the UK", places="UK local authorities")
    >>> s.split(" on its")[0]
    'The rule B flags a local authority whose creative business location quotient against the UK is at least 1.0'
    >>> s.split("(")[1].split(")")[0]
    'the bottom quartile of the 361 UK local authorities'
    """
    of = f"the {n_places} {places}" if n_places else places
    return (f"The {rule} flags a local authority whose creative business location quotient against {against} is at "
            f"least {fmt_num(min_lq, 1)} on its point estimate and which has at least {fmt_int(min_size)} creative "
            f"enterprises (the bottom quartile of {of}). It rests on business counts only: Nesta (2016) also "
            "required creative employment to be concentrated (co-located jobs and businesses), which these data "
            "cannot show by local authority, so its list can differ from Nesta's.")


def strong_rule_sentence(rule: str, lq_cut: float, min_lq: float, size_cut: float, n_places: int, *,
                         places: str = "English local authorities") -> str:
    """The US Cluster Mapping rule defined where the pack cites it: its cuts, and that it tests the same business
    LQ as the threshold rule.

    Examples
    --------
    >>> print(strong_rule_sentence("US Cluster Mapping rule", 1.033, 1.0, 225, 361, places="UK local authorities"))
    The US Cluster Mapping rule flags a local authority whose creative business location quotient is in the top
    quartile of the 361 UK local authorities (1.03 or more) and at least 1.0, and which has more than 225 creative
    enterprises (above the bottom quartile). It tests the same business LQ as the threshold rule with a stricter
    cut, so the two agreeing is one result, not two.
    """
    return (f"The {rule} flags a local authority whose creative business location quotient is in the top quartile "
            f"of the {n_places} {places} ({fmt_num(lq_cut)} or more) and at least {fmt_num(min_lq, 1)}, and which "
            f"has more than {fmt_int(size_cut)} creative enterprises (above the bottom quartile). It tests the same "
            "business LQ as the threshold rule with a stricter cut, so the two agreeing is one result, not two.")


def corridor_sentence(place: str, corridor: str | None, detail: str = "") -> str:
    """Corridor membership.

    Examples
    --------
    >>> corridor_sentence("Camden", "the corridor of Westminster, Camden", "2 clustered local authorities")
    'Camden belongs to the corridor of Westminster, Camden (2 clustered local authorities).'
    >>> corridor_sentence("X", None)
    'X is not part of any detected creative corridor (detected clusters whose centres are at most 20 km apart).'
    """
    if not corridor:
        return (f"{place} is not part of any detected creative corridor (detected clusters whose centres are at "
                f"most {CORRIDOR_MAX_DISTANCE_M / 1000:g} km apart).")
    return f"{place} belongs to {corridor}" + (f" ({detail})" if detail else "") + "."


def peer_best_sentence(place: str, n_peers: int, label: str, direction: str = "higher") -> str:
    """The place is best among its peers on an indicator.

    Examples
    --------
    >>> peer_best_sentence("X", 10, "Business death rate (%)", "lower")
    'X ranks first among its 10 peers on business death rate (%) (lower is better).'
    """
    better = " (lower is better)" if direction == "lower" else ""
    return f"{place} ranks first among its {n_peers} peers on {_lower_name(label)}{better}."


def deprivation_sentence(place: str, index: str, rank: int | None = None, of: int | None = None,
                         share: float | None = None, k: int | None = None, n: int | None = None) -> str:
    """Deprivation on the place's own nation's index.

    Examples
    --------
    >>> deprivation_sentence("Middlesbrough", "English Indices of Deprivation 2025 (IMD)", rank=1, of=296)
    'On the English Indices of Deprivation 2025 (IMD), Middlesbrough ranks 1st of 296 local authorities (1 = most
    deprived).'
    >>> deprivation_sentence("G", "IMD", k=0, n=10, of=296)
    'On the IMD, none of the 10 local authorities in G is among the most deprived tenth of the 296.'
    """
    if rank is not None and of:
        return (f"On the {index}, {place} ranks {ordinal(int(rank))} of {of} local authorities "
                "(1 = most deprived).")
    if share is not None and not _bad(share):
        return (f"On the {index}, {fmt_pct(share * 100 if share <= 1 else share)} of {place}'s small areas are "
                "among the nation's most deprived 10%.")
    if k is not None and n:
        who = "none" if k == 0 else (f"{k}" if k > 1 else "one")
        verb = "is" if k <= 1 else "are"
        return (f"On the {index}, {who} of the {n} local authorities in {place} {verb} among the most "
                f"deprived tenth of the {of}.")
    return ""


def no_deprivation_sentence(place: str, index: str, *, nation: bool = False, group: bool = False) -> str:
    """Why the pack gives no deprivation figure for the place on its nation's index.

    Examples
    --------
    >>> no_deprivation_sentence("Wales", "Welsh Index of Multiple Deprivation 2019", nation=True)[:101]
    'The Welsh Index of Multiple Deprivation 2019 ranks small areas within Wales against each other, so it'
    >>> no_deprivation_sentence("Cardiff Capital Region", "WIMD", group=True)[:95]
    'The WIMD publishes no ranks of local authorities, so the pack does not count which of Cardiff C'
    """
    if nation:
        return (f"The {index} ranks small areas within {place} against each other, so it gives no figure for "
                f"{place} as a whole, and the pack does not average one from them; each local authority's pack gives "
                "the share of its small areas among the nation's most deprived 10%.")
    if group:
        return (f"The {index} publishes no ranks of local authorities, so the pack does not count which of "
                f"{place}'s local authorities are among the most deprived; each local authority's pack gives the "
                "share of its small areas among the nation's most deprived 10%.")
    return f"{place} is not on the boundaries of the {index}."


def _count_word(n: int) -> str:
    """A small count as a capitalised word, to open a sentence ("Two"); digits from ten up.

    >>> _count_word(2), _count_word(12)
    ('Two', '12')
    """
    words = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine")
    return words[n] if 0 <= n < len(words) else str(n)


def _lower_name(name: str) -> str:
    """Lower-case a label's first letter unless it starts a name or an acronym ("Index of Multiple…", "GVA").

    >>> _lower_name("Business birth rate"), _lower_name("GVA per hour"), _lower_name("Index of Multiple Deprivation")
    ('business birth rate', 'GVA per hour', 'Index of Multiple Deprivation')
    """
    return name if re.match(r"^[A-Z]{2}|^[A-Z]\w* of [A-Z]|^the ", name) else name[:1].lower() + name[1:]


#: How finding topics are grouped in running text: (match, group lead, preposition repeated between names).
_TOPIC_GROUPS = ((lambda t: t.endswith(" specialisation"), lambda t: t[: -len(" specialisation")],
                  "specialisation in ", "in"),
                 (lambda t: t.endswith(" concentration"), lambda t: t[: -len(" concentration")],
                  "the concentration of ", "of"),
                 (lambda t: t.startswith("Its standing on "), lambda t: t[len("Its standing on "):],
                  "its standing on ", "on"))


def _topics(items: list[str]) -> list[str]:
    """Finding topics in running text, specialisations, concentrations and percentile standings grouped.

    Examples
    --------
    >>> _topics(["Detected cluster", "All creative industries specialisation", "Crafts specialisation",
    ...          "Music, performing and visual arts specialisation", "Its standing on business birth rate (%)",
    ...          "Its standing on GVA per hour worked (GBP)"])  # doctest: +NORMALIZE_WHITESPACE
    ['its detection as a creative cluster', 'specialisation in the creative industries as a whole, in crafts and in
    music, performing and visual arts', 'its standing on business birth rate and on GVA per hour worked']
    """
    out: list[str] = []
    groups: dict[str, list[str]] = {}
    for t in items:
        for match, name_of, lead, _prep in _TOPIC_GROUPS:
            if match(t):
                name = re.sub(r"^All creative industries", "the creative industries as a whole", name_of(t))
                # units belong in tables, not in running text: "birth rate (%)" -> "birth rate"
                name = re.sub(r" \((?:%|GBP|count)\)$", "", name).replace(" (%, ", " (")
                if lead not in groups:
                    groups[lead] = []
                    out.append(lead)
                groups[lead].append(_lower_name(name))
                break
        else:
            out.append("its detection as a creative cluster" if t == "Detected cluster" else _lower_name(t))
    preps = {lead: prep for _m, _n, lead, prep in _TOPIC_GROUPS}
    done = []
    for o in out:
        names = groups.get(o)
        if names is None:
            done.append(o)
        else:  # the preposition repeated keeps names with commas apart: "in crafts, in film, TV… and in …"
            p = preps[o]
            done.append(o + (names[0] if len(names) == 1 else
                             f", {p} ".join(names[:-1]) + f" and {p} " + names[-1]))
    return done


def fmt_lq(lq: float) -> str:
    """An LQ to two decimals, or to as many more (up to four) as keep it on its own side of 1: a value
    printed "1.00" must not be called above or below 1.

    >>> fmt_lq(1.034), fmt_lq(0.998), fmt_lq(1.004), fmt_lq(0.99962), fmt_lq(1.0)
    ('1.03', '0.998', '1.004', '0.9996', '1.00')
    """
    if lq == 1.0:
        return fmt_num(lq)
    for digits in (2, 3, 4):
        if round(lq, digits) != 1.0:
            return fmt_num(lq, digits)
    return "just under 1" if lq < 1 else "just over 1"


def join_and(items: Sequence[str]) -> str:
    """Items as an English list.

    >>> join_and(["A"]), join_and(["A", "B"]), join_and(["A", "B", "C"])
    ('A', 'A and B', 'A, B and C')
    """
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    sep = "; " if any("," in p or " and " in p for p in parts) else ", "
    return sep.join(parts[:-1]) + (sep.rstrip() if len(parts) > 2 or sep == "; " else "") + " and " + parts[-1]


def more_findings_sentence(more: dict[str, int]) -> str:
    """Where the summary's lists stop short of every finding that passes the gates, say how many more.

    Examples
    --------
    >>> more_findings_sentence({"strength": 3, "weakness": 1, "inconclusive": 0})
    'Beyond those listed, 3 further strengths and 1 further weakness pass the same gates; the key findings sheet of
    the Excel annex (format xlsx) lists every finding.'
    >>> more_findings_sentence({"strength": 0, "weakness": 0, "inconclusive": 2})
    ''
    """
    words = {"strength": ("strength", "strengths"), "weakness": ("weakness", "weaknesses")}
    parts = [f"{n} further {words[k][0] if n == 1 else words[k][1]}" for k, n in more.items()
             if k in words and n > 0]
    if not parts:
        return ""
    verb = "passes" if len(parts) == 1 and parts[0].startswith("1 ") else "pass"
    return (f"Beyond those listed, {' and '.join(parts)} {verb} the same gates; the key findings sheet of the "
            "Excel annex (format xlsx) lists every finding.")

def bid_case_sentence(place: str, strengths: list[str], weaknesses: list[str], inconclusive: list[str]) -> str:
    """What the evidence lets a bid for the place claim, in one or two sentences.

    Examples
    --------
    >>> bid_case_sentence("X", ["Crafts specialisation"], [], ["Design concentration"])
    'For a bid, the evidence supports specialisation in crafts. The concentration of design is inconclusive on these
    data and should not be claimed.'
    >>> bid_case_sentence("X", [], ["All creative industries concentration"], [])
    'For a bid, no strength of X meets the tests of evidence and the weakness to address is the concentration of the
    creative industries as a whole, so the case must rest on ambition and evidence beyond these statistics.'
    """
    unsure = ""
    if inconclusive:
        t = _topics(inconclusive)
        many = len(t) > 1
        unsure = (" " + _join(t)[:1].upper() + _join(t)[1:] + f" {'are' if many else 'is'} inconclusive on these "
                  "data and should not be claimed.")
    if strengths:
        s = f"For a bid, the evidence supports {_join(_topics(strengths))}"
        if weaknesses:
            s += f". The weakness{'es' if len(weaknesses) > 1 else ''} to address " \
                 f"{'are' if len(weaknesses) > 1 else 'is'} {_join(_topics(weaknesses))}"
        return s + "." + unsure
    s = f"For a bid, no strength of {place} meets the tests of evidence"
    if weaknesses:
        s += f" and the weakness{'' if len(weaknesses) == 1 else 'es'} to address " \
             f"{'is' if len(weaknesses) == 1 else 'are'} {_join(_topics(weaknesses))}"
    return s + ", so the case must rest on ambition and evidence beyond these statistics." + unsure


MEMBER_RULES = {
    "ttwa": "each local authority assigned to the 2011 travel-to-work area that holds most of its small areas",
    # the authority as it is now, its members on the data's LAD boundaries (North East, E47000014, did not
    # exist in 2023: "(2023)" read as its 2023 membership)
    "cauth": f"the combined authority's constituent local authorities, on {LAD_VINTAGE} boundaries",
    "rgn": f"the region's local authorities, on {LAD_VINTAGE} boundaries",
    "ctry": f"the nation's local authorities, on {LAD_VINTAGE} boundaries",
    "uk": f"every local authority of the UK, on {LAD_VINTAGE} boundaries",
    "utla": f"the upper-tier authority's local authority districts, on {LAD_VINTAGE} boundaries",
    "cty": f"the county's districts, on {LAD_VINTAGE} boundaries",
    "mcty": f"the metropolitan county's districts, on {LAD_VINTAGE} boundaries",
    "itl3": "the local authorities whose representative point lies in the ITL3 (2021) area",
    "nuts2": "the local authorities whose representative point lies in the NUTS2 (2013) area",
    "custom": "as given by the user",
}


def members_sentence(label: str, names: list[str], geo_type: str = "custom", rule: str = "") -> str:
    """Which local authorities make up a group place, and by what rule.

    ``rule`` is the place's own member rule when it is not its level's usual one (a travel-to-work
    area that holds no local authority's majority, approximated by one): then it is the sentence.

    Examples
    --------
    >>> members_sentence("Sheffield travel-to-work area", ["Sheffield", "Rotherham"], "ttwa")
    'Sheffield travel-to-work area is made of 2 local authorities: Rotherham and Sheffield (each local authority
    assigned to the 2011 travel-to-work area that holds most of its small areas).'
    >>> members_sentence("Wales", ["Cardiff", "Newport"], "ctry")
    "Wales is made of 2 local authorities: Cardiff and Newport (the nation's local authorities, on 2023 boundaries)."
    >>> members_sentence("Leeds travel-to-work area", ["Leeds"], "ttwa")[:75]
    'Leeds travel-to-work area is represented here by one local authority, Leeds'
    >>> members_sentence("Salisbury travel-to-work area", ["Wiltshire"], "ttwa",
    ...                  rule="no local authority has most of its LSOAs in it, so it is approximated by Wiltshire")
    'No local authority has most of its LSOAs in it, so it is approximated by Wiltshire.'
    """
    if rule:
        return f"{rule[:1].upper()}{rule[1:]}."
    rule = MEMBER_RULES.get(geo_type, MEMBER_RULES["custom"] if geo_type == "custom" else "")
    rule = f" ({rule})" if rule else ""
    if len(names) == 1:
        return (f"{label} is represented here by one local authority, {names[0]}{rule}, so its figures are "
                f"{names[0]}'s own.")
    shown = sorted(names)
    listing = join_and(shown) if len(shown) <= 12 else ", ".join(shown[:12]) + f" and {len(shown) - 12} more"
    return f"{label} is made of {len(names)} local authorities: {listing}{rule}."
