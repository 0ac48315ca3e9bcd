"""Sentences on clusters: each detection method's verdict and rule, a group's members that are
clusters, corridors, and the place's microclusters (numbers in, text out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from creative_clusters.kinds import CORRIDOR_MAX_DISTANCE_M
from creative_clusters.reporting.formatting import _bad, fmt_int, fmt_num, ordinal

__all__ = [
    "MAX_MEMBER_NAMES",
    "cluster_method_sentence",
    "clusters_summary_sentence",
    "corridor_sentence",
    "member_clusters_sentence",
    "microclusters_sentence",
    "rules_brief_sentence",
    "strong_rule_sentence",
    "threshold_rule_sentence",
]


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
                           *, coverage: str = "unknown", national: bool = False, all_creative: bool = False,
                           points: str = "firms", min_firms: int | None = None, n_groups: int | None = None,
                           firm_file: str | None = None) -> str:
    """Microclusters in the place, said as far as the firm file's coverage allows.

    ``coverage`` is ``"covered"`` (the run's firm file covers the place),
    ``"not_covered"`` or ``"unknown"`` (a warehouse without a run record).
    A rank is "national" only for a run whose file covers the country
    (``national``); otherwise it is among the microclusters of that file.
    Outside the coverage no microcluster means "not covered", never "none".

    ``all_creative``: the run took every business of a list without industry codes as creative
    (``--all-creative``), so its groups are clusters of business premises, never called creative.
    ``points`` names what is counted ("firms", "premises"); ``min_firms`` (the run's floor) and
    ``n_groups`` (every group the run found, those below the floor too) define the count of the file's
    microclusters; ``firm_file`` names the file outside its coverage.

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
    >>> microclusters_sentence("X", 0, coverage="not_covered", firm_file="f.csv")
    'The firm file the microclusters come from, f.csv, does not cover X, so whether X has creative microclusters
    is not known.'
    >>> microclusters_sentence("X", 8, 900, 1, 8, coverage="covered", min_firms=50, n_groups=9)
    'X contains 8 creative microclusters with 900 firms between them; the largest ranks 1st of the 8
    microclusters of at least 50 firms found in the firm file (9 groups found, 1 below that floor), which covers
    part of the UK only.'
    >>> microclusters_sentence("X", 2, 300, coverage="covered", all_creative=True, points="premises")
    'X contains 2 clusters of business premises with 300 premises between them.'
    >>> microclusters_sentence("X", 0)
    'No creative microcluster was found in X in the firm data loaded; which areas that firm file covers was not
    recorded, so X may simply not be covered.'
    """
    one, many = (("cluster of business premises", "clusters of business premises") if all_creative
                 else ("creative microcluster", "creative microclusters"))
    if n == 0:
        if coverage == "covered":
            return f"No {one} was detected in {place}, which the firm file covers."
        if coverage == "not_covered":
            named = f", {firm_file}," if firm_file else ""
            return (f"The firm file the microclusters come from{named} does not cover {place}, so whether "
                    f"{place} has creative microclusters is not known.")  # what a reader asks, whatever the file
        return (f"No {one} was found in {place} in the firm data loaded; which areas that firm "
                f"file covers was not recorded, so {place} may simply not be covered.")
    s = f"{place} contains {n} {one if n == 1 else many}"
    if not _bad(n_firms):
        s += f" with {fmt_int(n_firms)} {points}" + (" between them" if n != 1 else "")
    if best_rank and n_national:
        kind = "clusters" if all_creative else "microclusters"
        of = f"{kind} of at least {fmt_int(min_firms)} {points}" if min_firms else kind
        below = (n_groups - n_national) if n_groups is not None and min_firms else 0
        groups = f" ({fmt_int(n_groups)} groups found, {fmt_int(below)} below that floor)" if below > 0 else ""
        if national:
            s += (f"; the largest ranks {ordinal(best_rank)} of {n_national}" + (f" {of}" if min_firms else "")
                  + f" nationally{groups}")
        elif coverage == "covered":
            s += (f"; the largest ranks {ordinal(best_rank)} of the {n_national} {of} found in the firm "
                  f"file{groups}, which covers part of the UK only")
        else:
            s += (f"; the largest ranks {ordinal(best_rank)} of the {n_national} {of} found{groups}, whose firm "
                  "file may not cover the whole country")
    return s + "."


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
    >>> print(member_clusters_sentence("GM", 10, [("rule A (counts)", ["Manchester", "Trafford"]),
    ...                                          ("rule B", ["Trafford"]), ("rule C", [])]))
    Of the 10 local authorities in GM, 2 are creative clusters under the rule A (counts): Manchester and Trafford; 1
    under the rule B: Trafford; none is under the rule C.
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
    if any(m.endswith(")") for m, _k in yes):  # "rule (business counts) (Manchester and Trafford)": a list instead
        parts = [f"{len(k0)} {'is a creative cluster' if len(k0) == 1 else 'are creative clusters'} under the "
                 f"{m0}: {who(k0)}", *(f"{len(k)} under the {m}: {who(k)}" for m, k in rest)]
        return f"Of the {n} local authorities in {place}, {'; '.join(parts)}{tail}."
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
    'None of the 2 detection methods finds a creative cluster in X: the rule A and the rule B.'
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
    # the methods after a colon, not in brackets: their names hold brackets of their own
    return f"None of the {len(no)} detection methods finds a creative cluster in {place}: {join(no, 'and')}."


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


def rules_brief_sentence(threshold: tuple[float, float] | None, strong: tuple[str, float, float] | None, *,
                         against: str = "", defined_in: str = "section 9, Sources and methods") -> str:
    """The detection rules the summary cites, in brief and in other words than their definitions (which the
    methods give once, :func:`threshold_rule_sentence`, :func:`strong_rule_sentence`), pointing to them.

    ``threshold``: the threshold rule's ``(min_lq, min_size)``; ``strong``: the US Cluster Mapping rule's
    ``(name, lq_cut, size_cut)``; ``against``: the threshold rule's benchmark when not England. "" without either.

    Examples
    --------
    >>> print(rules_brief_sentence((1.0, 277), ("US Cluster Mapping rule", 1.254, 345)))
    In brief, the threshold rule asks for a business LQ of at least 1.0 and at least 277 creative enterprises,
    from business counts only; the US Cluster Mapping rule asks for a business LQ in the top quartile (1.25 or
    more) and more than 345 creative enterprises (both are defined in section 9, Sources and methods).
    >>> rules_brief_sentence((1.0, 225), None, against="the UK")[:67]
    'In brief, the threshold rule asks for a business LQ against the UK '
    >>> rules_brief_sentence(None, None)
    ''
    """
    parts = []
    if threshold is not None:
        parts.append(f"the threshold rule asks for a business LQ{' against ' + against if against else ''} of at "
                     f"least {fmt_num(threshold[0], 1)} and at least {fmt_int(threshold[1])} creative enterprises, "
                     "from business counts only")
    if strong is not None:
        parts.append(f"the {strong[0]} asks for a business LQ in the top quartile ({fmt_num(strong[1])} or more) "
                     f"and more than {fmt_int(strong[2])} creative enterprises")
    if not parts:
        return ""
    return f"In brief, {'; '.join(parts)} ({'both are' if len(parts) > 1 else 'it is'} defined in {defined_in})."


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
