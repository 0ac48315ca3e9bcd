"""Sentences of the scale and specialisation section: the place's creative enterprises, its location
quotients and ranks, its largest and most concentrated sub-sectors.

Same contract as every ``sentences_*`` module: numbers (and names) in, plain text in British English out;
none knows anything about a place that it was not given, and a missing number gives ``""`` (the caller
leaves the sentence out).
"""

from __future__ import annotations

from creative_clusters.reporting.formatting import (
    SHARE_DIGITS,
    _bad,
    _count_word,
    _lower_name,
    fmt_int,
    fmt_num,
    fmt_pct,
    join_and,
    joint_ordinal,
)

__all__ = [
    "enterprises_sentence",
    "lq_sentence",
    "peer_rank_sentence",
    "rank_sentence",
    "subsector_lq_sentence",
    "top_subsector_sentence",
]


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
                area: str = "England", what: str = "Creative businesses", *, zero: bool = False) -> str:
    """Concentration relative to the reference area, with the interval when given; ``zero``: the count
    is a published 0 (0 to 2 enterprises), which has no LQ, only its upper bound ``hi``.

    Examples
    --------
    >>> lq_sentence("Brighton and Hove", 1.5, 1.4, 1.6)
    'Creative businesses are 1.50 times as concentrated in Brighton and Hove as in England (location quotient; 95%
    interval 1.40 to 1.60).'
    >>> lq_sentence("X", 0.8)
    'Creative businesses are 0.80 times as concentrated in X as in England (location quotient), that is less
    concentrated than the England average.'
    >>> lq_sentence("the Isles of Scilly", float("nan"), float("nan"), 0.22, zero=True)
    'No location quotient is given for the Isles of Scilly: its creative enterprises are published as 0 (0 to 2,
    counts rounded to 5), so against England it is only known to be below 0.22.'
    """
    if zero and not _bad(hi):
        return (f"No location quotient is given for {place}: its {what.lower().replace('businesses', 'enterprises')} "
                f"are published as 0 (0 to 2, counts rounded to 5), so against {area} it is only known to be "
                f"below {fmt_num(hi)}.")
    if lq is None or _bad(lq):
        return ""
    s = f"{what} are {fmt_num(lq)} times as concentrated in {place} as in {area} (location quotient"
    if not _bad(lo, hi):
        s += f"; 95% interval {fmt_num(lo)} to {fmt_num(hi)}"
    s += ")"
    if lq < 1 and (hi is None or _bad(hi) or hi < 1):
        s += f", that is less concentrated than the {area.removeprefix('the ')} average"
    return s + "."


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
