"""Sentences of the growth-potential benchmark: percentiles, gaps, the peers' best (numbers in, text out)."""

from __future__ import annotations

from typing import Any

from creative_clusters.reporting.formatting import _bad, _lower_name, pct_ordinal, tie_words

__all__ = [
    "AGGREGATE_CELL",
    "aggregate_caveat",
    "aggregate_pointer",
    "gaps_sentence",
    "peer_best_sentence",
    "percentile_sentence",
    "ranked_base",
]


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

    >>> percentile_sentence("X", "Birth rate", 91.0, 23, places="places (22 local authorities of Wales and X)")
    'On birth rate, X is at the 91st percentile of 23 places (22 local authorities of Wales and X; 100 = best).'

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
    elif s.endswith(")"):  # one bracket, not two: "of 23 places (22 local authorities of Wales and X; 100 = best)"
        s = s[:-1] + "; 100 = best)"
    else:
        s += " (100 = best)"
    return s + "."


#: What a percentile of an area of several local authorities, ranked among single ones, carries wherever it is
#: shown (the baselines' "Compared with"): the summary's rule, that it is no finding, in a table cell.
AGGREGATE_CELL = "among single local authorities: not like-for-like"


def aggregate_caveat(place: str, n_members: int) -> str:
    """Why the percentiles of an area of ``n_members`` local authorities, ranked among single local authorities
    (the benchmark's base), are shown but are not findings: the summary's rule
    (:func:`creative_clusters.reporting.place_findings.aggregate_among_lads`), said where the percentiles are.

    >>> aggregate_caveat("West Yorkshire", 5)
    'These percentiles rank West Yorkshire, an area of 5 local authorities, among single local authorities: an \
aggregate is smoother than any one of its parts, so they are not like-for-like, and they are not findings.'
    """
    return (f"These percentiles rank {place}, an area of {n_members} local authorities, among single local "
            "authorities: an aggregate is smoother than any one of its parts, so they are not like-for-like, and "
            "they are not findings.")


def aggregate_pointer(place: str, n_members: int) -> str:
    """The same caveat as :func:`aggregate_caveat` in other words, for a table note beside it (each sentence of
    a pack is said once).

    >>> aggregate_pointer("West Yorkshire", 5)[:70]
    'Percentile rows for West Yorkshire set an area of 5 local authorities '
    """
    return (f"Percentile rows for {place} set an area of {n_members} local authorities against single ones: read "
            "them as context, not findings (section 4 says why).")


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


def peer_best_sentence(place: str, n_peers: int, label: str, direction: str = "higher") -> str:
    """The place is best among its peers on an indicator.

    Examples
    --------
    >>> peer_best_sentence("X", 10, "Business death rate (%)", "lower")
    'X ranks first among its 10 peers on business death rate (%) (lower is better).'
    """
    better = " (lower is better)" if direction == "lower" else ""
    return f"{place} ranks first among its {n_peers} peers on {_lower_name(label)}{better}."


def ranked_base(base: str, n: int, place: Any) -> str:
    """The words for what a percentile ranks a place among: a group of local authorities (a combined
    authority, a region) is ranked among the local authorities and itself, not "of 297 local authorities".

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ranked_base("local authorities", 297, SimpleNamespace(name="West Yorkshire", members=["a", "b"]))
    'places (296 local authorities and West Yorkshire)'
    """
    if len(place.members) == 1 or n < 2:  # one LAD (or a group of one): ranked in its place, not beside it
        return base
    return f"places ({n - 1} {base} and {place.name})"
