"""Findings: what the pack claims, each with its numbers, uncertainty, comparison, source and "so what".

Sections hand their statistics to :func:`findings`, which turns them into
typed :class:`Finding` objects, **gated by uncertainty** and ranked by
salience. The gates (one place, stated in the pack's methods):

- A claim of specialisation (a location quotient above 1) is a *strength*
  only when its 95% interval lies wholly above 1 **and** it rests on at least
  :data:`MIN_STRENGTH_COUNT` units; below-average concentration is a
  *weakness* only when the interval lies wholly below 1 on the same count.
  Both must hold at the edge of the count's rounding band too (UK Business
  Counts round to 5, so the interval is recomputed at 2 fewer enterprises for
  a strength, 2 more for a weakness): Cornwall's 20 crafts firms give 1.03 to
  2.62, but 18 would give 0.90, so it is inconclusive.
  Otherwise the finding is *inconclusive* and says why (the interval includes
  1, or the count is too small to tell).
- A specialisation beyond doubt on fewer than :data:`SMALL_SPECIALISATION`
  enterprises is a strength whose guidance says it is a small one.
- A zero count never makes a strength or a rank (UK Business Counts round to
  5, so 0 means 0 to 2).
- A percentile is a strength at the 80th or above among at least 30 places,
  a weakness at the 20th or below, and never for a count under
  :data:`MIN_STRENGTH_COUNT` (two universities are not a strength), nor for a rate resting on fewer than
  :data:`MIN_STRENGTH_COUNT` counted, at the low edge of the count's rounding (Business Demography counts
  are rounded to 5: the Isles of Scilly's 10 deaths of 170 firms may be 8); nor when the rate, recomputed at
  the lowest and highest counts that rounding allows and ranked at each, could leave the top (bottom) fifth
  (its 15 births of 170 firms may be 13 of 172 or 17 of 168: the 1st to the 42nd percentile), as a survey
  estimate's 95% interval is ranked at its ends; nor when the place shares its value with so many others that,
  were the tie broken, some of them would fall outside the band. A shared value is said ("tied with 3 others").
- A detected cluster is a strength, but a threshold rule's detection (an LQ of at least 1 on its point
  estimate) only when the LQ's 95% interval lies wholly above 1, like any specialisation; otherwise it is
  *inconclusive*: the place meets the rule on its point estimate, but the interval includes 1.
- Growth of creative enterprises (the annual register series, no sampling
  interval) is a *strength* only when, over the ten-year window (else the
  longest), the place grew at least :data:`GROWTH_GAP_PP` points a year faster
  than its nation from a base of at least :data:`MIN_GROWTH_BASE` enterprises
  (so rounding to 5 moves the base by at most 5%), and neither end of the
  window is a value flagged as an outlier; a *weakness* on the same terms
  when it grew that much slower; *inconclusive* when an end is flagged or the
  base is too small; otherwise *context* (in line with its nation).

Salience orders findings within a kind: the size of the effect (distance of
the LQ from 1 on a log scale, or of the percentile from the median), whether
the interval excludes the comparison, and the count behind it.

Examples
--------
>>> f = specialisation_finding("X", "Crafts", lq=1.47, lo=0.90, hi=2.28, count=20, source="business_counts_2025")
>>> f.kind, "includes 1" in f.claim
('inconclusive', True)
>>> specialisation_finding("X", "Crafts", lq=1.9, lo=1.5, hi=2.3, count=120, source="s").kind
'strength'
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from creative_clusters.benchmarking.percentiles import tie_span
from creative_clusters.indicators.lq import MIN_CLAIM_COUNT
from creative_clusters.reporting._model import RateBase
from creative_clusters.reporting.formatting import _lower_name, fmt_int, fmt_num, pct_ordinal, tie_words
from creative_clusters.reporting.sentences_growth import fmt_signed

__all__ = [
    "COHORT_SPIKE",
    "GROWTH_GAP_PP",
    "MIN_GROWTH_BASE",
    "MIN_RATE_BASE",
    "MIN_STRENGTH_COUNT",
    "MODEST_LQ",
    "NATION_EFFECT_PCT",
    "SCALE_NOTES",
    "Finding",
    "cluster_finding",
    "cohort_spike_finding",
    "growth_finding",
    "nation_effect_finding",
    "percentile_finding",
    "rank_findings",
    "repeated_note",
    "specialisation_finding",
    "threshold_doubt_finding",
]

#: Fewest units (enterprises, providers, ...) behind any strength or weakness (the indicators' claim gate).
MIN_STRENGTH_COUNT = MIN_CLAIM_COUNT
#: Percentile thresholds for a strength / weakness, and the fewest places ranked.
STRONG_PCT, WEAK_PCT, MIN_PLACES = 80.0, 20.0, 30
#: A strength (weakness) across the UK is the nation's, not the place's, when within its nation the place is at or
#: below (above) this percentile (:func:`nation_effect_finding`): at its nation's median, the rank is its nation's.
NATION_EFFECT_PCT = 50.0

#: Growth against the nation that counts as different (points of compound growth a year), and the smallest base.
GROWTH_GAP_PP, MIN_GROWTH_BASE = 1.0, 50
#: A weakness from a rate on fewer than MIN_STRENGTH_COUNT counted needs a base at least this large.
MIN_RATE_BASE = 30

#: Below this many enterprises a specialisation beyond doubt is still a small one: distinctive, not a cluster's
#: scale (Creative PEC's microclusters hold at least 50 creative organisations).
SMALL_SPECIALISATION = 50
#: Below this LQ a specialisation beyond doubt is a modest one: supporting evidence, not the lead.
MODEST_LQ = 1.25

KINDS = ("strength", "weakness", "inconclusive", "context")

#: The order of findings within a kind (:func:`rank_findings`, said in the pack's methods): salience bands, each
#: above any effect size (an LQ's 1 + |log LQ|, growth's 1 + lead / 5, a percentile's distance from the median,
#: all far under 20). Added to a finding about the pack's focus (the sub-sectors or activities asked for), so a pack
#: for a sub-sector lists that sub-sector's findings first within their kind, however small the effect;
FOCUS_SALIENCE = 100.0
#: then a detected cluster;
CLUSTER_SALIENCE = 50.0
#: then the whole creative sector's concentration when its LQ is at least MODEST_LQ (the bid's headline; a modest
#: one's own advice is "not the lead"); then the rest by the size of the effect.
HEADLINE_SALIENCE = 20.0
#: A specialisation's guidance when it is neither small nor modest: the first of them in the order leads
#: (:func:`rank_findings` says why), the others are cited beside it.
DISTINCTIVE = "A distinctive specialisation the panel can verify"


@dataclass
class Finding:
    """One claim of the pack.

    Attributes
    ----------
    kind : str
        ``strength``, ``weakness``, ``inconclusive`` or ``context``.
    topic : str
        What it is about (e.g. "Crafts specialisation").
    claim : str
        The sentence shown (short form; sections give the detail).
    numbers : dict
        The figures behind it (value, interval, count, percentile...).
    uncertainty : str
        The interval or reliability note, in words.
    comparison : str
        What it is compared with.
    source : str
        Dataset id(s).
    so_what : str
        What it means for a bid.
    salience : float
        Larger = more important (for ordering).
    section : str
        The pack section that explains it.
    indicator : str
        The benchmark indicator's id, for a finding on one ("" otherwise): the
        baselines table flags that indicator's row when the finding is inconclusive.
    """

    kind: str
    topic: str
    claim: str
    numbers: dict[str, float] = field(default_factory=dict)
    uncertainty: str = ""
    comparison: str = ""
    source: str = ""
    so_what: str = ""
    salience: float = 0.0
    section: str = ""
    indicator: str = ""  # the benchmark indicator's id, for a finding on one

    def as_row(self) -> list[str]:
        """The finding as a table row: kind, claim, uncertainty, comparison, source, so what."""
        return [self.kind.capitalize(), self.claim, self.uncertainty, self.comparison, self.source, self.so_what]


def _nan(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _rounding_band(count: float, lq: float, rounding: float) -> tuple[float, float] | None:
    """The 95% interval's lower bound at ``count - rounding`` and upper bound at ``count + rounding``: where a
    count published rounded to 5 could truly lie. None without a rounding band or an LQ to scale by.

    >>> lo_at, hi_at = _rounding_band(20, 1.69, 2)
    >>> round(lo_at, 2) < 1
    True
    """
    if not rounding or not lq or lq <= 0 or count - rounding <= 0:
        return None
    from creative_clusters.indicators.lq import poisson_lq_interval

    expected = count / lq
    lo_at, _ = poisson_lq_interval(count - rounding, expected)
    _, hi_at = poisson_lq_interval(count + rounding, expected)
    return float(lo_at), float(hi_at)


def specialisation_finding(place: str, what: str, *, lq: float, lo: float, hi: float, count: float,
                           source: str, area: str = "England", rounding: float = 2.0) -> Finding:
    """A business LQ as a gated finding (see module docstring).

    ``rounding`` is how far the published count can be from the true one (2 for a count rounded to 5, 0 for
    an exact count): a strength (weakness) must keep its interval above (below) 1 at ``count - rounding``
    (``count + rounding``) as well.

    >>> specialisation_finding("Cornwall", "Crafts", lq=1.69, lo=1.03, hi=2.62, count=20, source="s").kind
    'inconclusive'
    >>> specialisation_finding("Cornwall", "Crafts", lq=1.69, lo=1.03, hi=2.62, count=20, source="s",
    ...                        rounding=0).so_what
    "A real specialisation but a small one (20 enterprises): cite it for distinctiveness, not as the cluster's scale."

    The count gate reads the low edge of the rounding too (a published 10 may be 8), as the rates' gate does:

    >>> print(specialisation_finding("Guildford", "Games", lq=7.15, lo=3.43, hi=13.14, count=10, source="s").claim)
    Games: too few enterprises (10, rounded to 5, so as few as 8) to tell whether Guildford is specialised (LQ 7.15).

    A published 0 has no LQ, only its upper bound (:class:`~creative_clusters.reporting._model.BusinessLQ`):

    >>> f = specialisation_finding("the Isles of Scilly", "Crafts", lq=float("nan"), lo=float("nan"), hi=42.74,
    ...                            count=0, source="s")
    >>> f.kind, f.claim.endswith("to measure the concentration in the Isles of Scilly (LQ below 42.74).")
    ('context', True)
    """
    nums = {"lq": lq, "lo": lo, "hi": hi, "count": count}
    unc = f"95% interval {fmt_num(lo)} to {fmt_num(hi)}, on {fmt_int(count)} enterprises"
    comp = f"{area} = 1"
    sal = abs(math.log(lq)) if lq and lq > 0 else 0.0
    bound_only = count == 0 and _nan(lq) and not _nan(hi)  # a published 0: no LQ, only its upper bound
    if bound_only:
        unc = f"no LQ on a published 0 (0 to 2 enterprises), only its upper bound {fmt_num(hi)}"
    if (_nan(lq) and not bound_only) or _nan(count):
        return Finding("context", f"{what} concentration", "", nums, unc, comp, source)
    if count - rounding < MIN_STRENGTH_COUNT:  # at the low edge of its rounding, as the rate gate counts
        zero = (", which in the source can mean 0 to 2 firms" if count == 0 else
                f", rounded to 5, so as few as {fmt_int(count - rounding)}" if count >= MIN_STRENGTH_COUNT else "")
        if bound_only or lq < 1:  # nobody would cite it as a strength: context, not a warning against a claim
            # what it can say is a bound, the interval's upper end: "LQ 0.00" beside "too few to measure" was not
            return Finding("context", f"{what} concentration",
                           f"{what}: too few enterprises ({fmt_int(count)}{zero}) to measure the concentration in "
                           f"{place} (LQ below {fmt_num(hi)}).", nums, unc, comp, source)
        return Finding("inconclusive", f"{what} concentration",
                       f"{what}: too few enterprises ({fmt_int(count)}{zero}) to tell whether {place} is "
                       f"specialised (LQ {fmt_num(lq)}).", nums, unc, comp, source,
                       "Do not cite this as a strength; show firm-level evidence instead.", sal * 0.1)
    whose = f"{area}'s"
    band = _rounding_band(count, lq, rounding)
    if band is not None:
        lo_at, hi_at = band
        if (lo > 1 and not lo_at > 1) or (hi < 1 and not hi_at < 1):
            return Finding("inconclusive", f"{what} concentration",
                           f"{what}: LQ {fmt_num(lq)} (95% interval {fmt_num(lo)} to {fmt_num(hi)} on "
                           f"{fmt_int(count)} enterprises), but the count is rounded to 5: at "
                           f"{fmt_int(count - rounding if lo > 1 else count + rounding)} enterprises the interval "
                           f"would reach {fmt_num(lo_at if lo > 1 else hi_at)}, so the data cannot tell whether "
                           f"{place} is more or less concentrated than {area}.",
                           nums, unc, comp, source,
                           ("Not evidence of specialisation beyond doubt; do not lead with it, or support it with "
                            "firm-level evidence.") if lo > 1 else "Not a confirmed gap; do not present it as one.",
                           sal * 0.5)
    if lo > 1:
        if count < SMALL_SPECIALISATION:
            so_what = (f"A real specialisation but a small one ({fmt_int(count)} enterprises): cite it for "
                       "distinctiveness, not as the cluster's scale.")
        elif lq < MODEST_LQ:
            so_what = (f"A specialisation the panel can verify, but a modest one (LQ {fmt_num(lq)}): cite it as "
                       "supporting evidence, not as the lead.")
        else:
            so_what = f"{DISTINCTIVE}; lead with it."
        return Finding("strength", f"{what} specialisation",
                       f"{what}: {fmt_num(lq)} times {whose} concentration (95% interval {fmt_num(lo)} to "
                       f"{fmt_num(hi)}; {fmt_int(count)} enterprises).", nums, unc, comp, source, so_what, 1.0 + sal)
    if hi < 1:
        return Finding("weakness", f"{what} concentration",
                       f"{what}: {fmt_num(lq)} times {whose} concentration (95% interval {fmt_num(lo)} to "
                       f"{fmt_num(hi)}; {fmt_int(count)} enterprises), below the {area.removeprefix('the ')} level.",
                       nums, unc, comp,
                       source, "Frame it as a gap the cluster would close, "
                       "or leave it out of the case for distinctiveness.", 0.5 + sal)
    return Finding("inconclusive", f"{what} concentration",
                   f"{what}: LQ {fmt_num(lq)}, but the 95% interval ({fmt_num(lo)} to {fmt_num(hi)}) includes 1, "
                   f"so the data cannot tell whether {place} is more or less concentrated than {area}.",
                   nums, unc, comp, source, "Not evidence of specialisation; do not claim it.", sal * 0.5)


#: The starts of the bid notes that qualify a specialisation by its size (a modest LQ, a small count): the
#: summary says each in full once, then in short (:func:`repeated_note`).
SCALE_NOTES = ("A specialisation the panel can verify, but a modest one", "A real specialisation but a small one")


def repeated_note(so_what: str) -> str:
    """The short form of a bid note that qualifies a specialisation by its size (:data:`SCALE_NOTES`), for every
    such finding after the first ("" for any other note: it is given once).

    The summary gives each bid note once; a note that carries its finding's own number ("a modest one (LQ
    1.17)") differed from finding to finding, so only two LQs that round alike gave the same words, and the
    second finding lost its note (Bristol's IT beside the whole sector, both 1.17, while design at 1.16 kept
    it). Each keeps what the note says of its own finding, in short, with its own number.

    Examples
    --------
    >>> f = specialisation_finding("X", "IT", lq=1.17, lo=1.11, hi=1.23, count=1440, source="s")
    >>> repeated_note(f.so_what)
    'Modest too (LQ 1.17): supporting evidence only.'
    >>> repeated_note("A real specialisation but a small one (20 enterprises): cite it for distinctiveness, not as "
    ...               "the cluster's scale.")
    'Small too (20 enterprises): distinctiveness, not scale.'
    >>> repeated_note("Cite the value, not the rank: many places share it.")
    ''
    """
    m = re.search(r"\(([^()]*)\)", so_what)
    said = f" ({m.group(1)})" if m else ""
    if so_what.startswith(SCALE_NOTES[0]):
        return f"Modest too{said}: supporting evidence only."  # under the said-once check's 8 words: may recur
    if so_what.startswith(SCALE_NOTES[1]):
        return f"Small too{said}: distinctiveness, not scale."
    return ""


def percentile_finding(place: str, label: str, *, pct: float, n: int, value: float, unit: str,
                       additive: bool, source: str, direction: str = "higher",
                       base: str = "local authorities", growth_base: float | None = None,
                       rate_base: RateBase | None = None, interval: tuple[float, float] | None = None,
                       pct_range: tuple[float, float] | None = None, tied: int = 0) -> Finding | None:
    """A benchmark percentile as a gated finding (``None`` when it is unremarkable).

    ``base`` names the places ranked (e.g. "local authorities of Scotland").
    ``growth_base`` is, for a growth rate, the smaller of the counts it compares:
    under :data:`MIN_GROWTH_BASE` the rank is inconclusive, as rounding to 5
    alone can move a small count's growth across the ranking.
    ``rate_base`` is, for a rate, the count it rests on and that count's base
    (2 museums per 100,000 people; 0 high-growth firms of 7 with ten or more
    employees): a strength needs at least :data:`MIN_STRENGTH_COUNT` counted,
    and a weakness too unless its base reaches :data:`MIN_RATE_BASE` (0 of 400
    firms is a real gap; 0 of 7, or of an unknown base, is not evidence either
    way; a population is ``inf``).
    ``interval`` is a survey estimate's published 95% interval and ``pct_range``
    the percentiles the place would have at either end of it: a strength
    (weakness) must stay at the 80th percentile or above (20th or below) at
    the interval's worse (better) end, or the rank is inconclusive (Orkney's
    employment rate, 88.3% from 75.2 to 100.0: 98th percentile of Scotland's
    32 council areas at its value, 58th at its lower bound).
    ``interval`` is, for a rate whose ``rate_base`` carries a rounding (Business
    Demography's counts, published rounded to 5), the lowest and highest rate
    those counts allow, gated the same way and said as rounding (the Isles of
    Scilly's birth rate, 15 births of 170 firms: 13 to 17 of 168 to 172).
    ``tied`` is how many other places share the place's value: the claim says
    so, and a strength (weakness) whose tie, broken, would put some of its
    members out of the top (bottom) fifth in whole percentiles
    (:func:`~creative_clusters.benchmarking.percentiles.tie_span`) is
    inconclusive: a value many places share sets none of them apart.

    Examples
    --------
    >>> percentile_finding("X", "Growth (%)", pct=90, n=300, value=30.0, unit="%", additive=False,
    ...                    source="s", growth_base=20).kind
    'inconclusive'
    >>> percentile_finding("X", "Growth (%)", pct=90, n=300, value=30.0, unit="%", additive=False,
    ...                    source="s", growth_base=400).kind
    'strength'
    >>> percentile_finding("X", "Museums per 100,000 people", pct=99, n=296, value=97.4, unit="per 100,000",
    ...                    additive=False, source="s", rate_base=RateBase(2.0, float("inf"), "museums")).claim
    '... 99th percentile of 296 local authorities, but the rate rests on 2 museums, too few for its rank to mean much.'
    >>> percentile_finding("X", "Museums per 100,000 people", pct=99, n=296, value=97.4, unit="per 100,000",
    ...                    additive=False, source="s", rate_base=RateBase(2.0, float("inf"))).kind
    'inconclusive'
    >>> percentile_finding("X", "High-growth businesses (%)", pct=1, n=296, value=0.0, unit="%",
    ...                    additive=False, source="s", rate_base=RateBase(0.0, 400.0)).kind
    'weakness'

    A count published rounded to 5 is gated at the low edge of its rounding too (10 deaths may be 8):

    >>> print(percentile_finding("X", "Business death rate (%)", pct=99, n=296, value=5.9, unit="%",
    ...                          additive=False, source="s", direction="lower",
    ...                          rate_base=RateBase(10.0, 170.0, "business deaths", "active enterprises", 2)).claim)
    Business death rate (%) (lower is better): 99th percentile of 296 local authorities, but the rate rests on
    about 10 business deaths of 170 active enterprises (counts rounded to 5, so as few as 8), too few for its
    rank to mean much.
    >>> f = percentile_finding("Orkney", "Employment rate (%)", pct=98, n=32, value=88.3, unit="%",
    ...                        additive=False, source="s", base="council areas of Scotland",
    ...                        interval=(75.2, 100.0), pct_range=(58.0, 98.0))
    >>> f.kind, f.claim.split(", but ")[1]
    ('inconclusive', "the survey's 95% interval (75.2 to 100.0) reaches from the 58th to the 98th percentile.")
    """
    nums = {"percentile": pct, "places": float(n), "value": value}
    if _nan(pct) or n < MIN_PLACES:
        return None
    if tied:
        nums["tied"] = float(tied)
        base = base + tie_words(tied)  # said wherever the rank is: "of 296 local authorities, tied with 3 others"
    if additive and (_nan(value) or value < MIN_STRENGTH_COUNT):
        return None  # a count of 2 universities is not a strength, whatever its percentile
    better = "" if direction == "higher" else " (lower is better)"
    if pct >= STRONG_PCT:
        kind, so = "strength", "Among the best-placed areas on this measure; usable as supporting evidence."
    elif pct <= WEAK_PCT:
        kind, so = "weakness", "A constraint to acknowledge and address in the bid's plan."
    else:
        return None
    if growth_base is not None and growth_base < MIN_GROWTH_BASE:
        return Finding("inconclusive", f"Its standing on {_lower_name(label)}",
                       f"{label}{better}: {pct_ordinal(pct)} percentile of {n} {base}, but on a base under "
                       f"{MIN_GROWTH_BASE} enterprises ({fmt_int(growth_base)}), where rounding to 5 alone moves "
                       "the rate.", nums, "a rank of a growth rate from counts rounded to 5", f"{n} areas with data",
                       source, "Too small to rank growth from counts; do not cite this rank.", 0.1)
    if rate_base is not None and rate_base.counted - rate_base.rounding < MIN_STRENGTH_COUNT and (
            kind == "strength" or not rate_base.base >= MIN_RATE_BASE):
        on = " ".join(x for x in (fmt_int(rate_base.counted), rate_base.noun) if x) + (
            " of " + " ".join(x for x in (fmt_int(rate_base.base), rate_base.of_noun) if x)
            if math.isfinite(rate_base.base) else "")
        if rate_base.rounding and rate_base.counted >= MIN_STRENGTH_COUNT:  # 10 published, as few as 8 in truth
            on = (f"about {on} (counts rounded to 5, so as few as "
                  f"{fmt_int(max(rate_base.counted - rate_base.rounding, 0))})")
        return Finding("inconclusive", f"Its standing on {_lower_name(label)}",
                       f"{label}{better}: {pct_ordinal(pct)} percentile of {n} {base}, but the rate rests on "
                       f"{on}, too few for its rank to mean much.", nums,
                       f"a rate on a count under {MIN_STRENGTH_COUNT}", f"{n} areas with data", source,
                       "Too small a count to rank; do not cite this rank.", 0.1)
    # the band's edge this claim is gated on: a percentile that fails it is not rounded across it
    edge = {"at_least": STRONG_PCT} if kind == "strength" else {"at_most": WEAK_PCT}
    if interval is not None and pct_range is not None and not any(map(_nan, pct_range)) and (
            pct_range[0] < STRONG_PCT if kind == "strength" else pct_range[1] > WEAK_PCT):
        lo, hi = interval
        if rate_base is not None and rate_base.rounding and math.isfinite(rate_base.base):
            return _rounding_doubt(label, better, pct, n, base, rate_base, interval, pct_range, unit, nums,
                                   source, kind)
        return Finding("inconclusive", f"Its standing on {_lower_name(label)}",
                       f"{label}{better}: {pct_ordinal(pct)} percentile of {n} {base}, but the survey's 95% "
                       f"interval ({fmt_num(lo, 1)} to {fmt_num(hi, 1)}) reaches from the "
                       f"{pct_ordinal(pct_range[0], **edge)} to the {pct_ordinal(pct_range[1], **edge)} "
                       "percentile.", nums,
                       "a survey estimate whose sampling interval spans much of the ranking",
                       f"{n} areas with data", source,
                       "Cite the value with its interval, not the rank; a larger sample (several years pooled) "
                       "would settle it.", 0.1)
    if tied and kind in ("strength", "weakness"):
        lo_t, hi_t = tie_span(pct, tied, n)
        # in whole percentiles, as the claim words them: a pair tied at the 80th is no tie across the edge
        if round(lo_t) < STRONG_PCT if kind == "strength" else round(hi_t) > WEAK_PCT:
            return Finding("inconclusive", f"Its standing on {_lower_name(label)}",
                           f"{label}{better}: {pct_ordinal(pct)} percentile of {n} {base}, but the tie reaches from "
                           f"the {pct_ordinal(lo_t, **edge)} to the {pct_ordinal(hi_t, **edge)} percentile, so the "
                           "value does not set the place apart.", nums,
                           "a value shared by places on both sides of the band's edge", f"{n} areas with data", source,
                           "Cite the value, not the rank: many places share it.", 0.1)
    # one bracket, not two: "of 297 places (296 local authorities and X; 100 = best)"
    scale = f"{base[:-1]}; 100 = best)" if base.endswith(")") else f"{base} (100 = best)"
    return Finding(kind, f"Its standing on {_lower_name(label)}",
                   f"{label}{better}: {pct_ordinal(pct)} percentile of {n} {scale}.", nums,
                   "a rank among areas, no sampling interval", f"{n} areas with data", source, so, abs(pct - 50) / 50)


def _rounding_doubt(label: str, better: str, pct: float, n: int, base: str, rb: RateBase, interval: tuple[float, float],
                    pct_range: tuple[float, float], unit: str, nums: dict[str, float], source: str,
                    kind: str) -> Finding:
    """A rank that the rounding of its published counts to 5 could move out of its band (inconclusive): the
    counts, the edges rounding allows, and the rate and percentile at each edge (see :func:`percentile_finding`),
    the low end rounded down and the high end up, so a 79.9th is not said as the 80th that it fails to reach."""
    c, b, r = rb.counted, rb.base, rb.rounding
    each = "published rounded to 5" if r <= 2 else f"sums of counts each published rounded to 5 (within {fmt_int(r)})"
    counts = (" ".join(x for x in (fmt_int(c), rb.noun) if x) + " of " + " ".join(x for x in (fmt_int(b), rb.of_noun)
                                                                                   if x)
              + f", {each}, so {fmt_int(max(c - r, 0))} to {fmt_int(c + r)} of {fmt_int(b - r)} to {fmt_int(b + r)}")
    pc = "%" if unit == "%" else ""
    lo, hi = interval
    rates = _edge_rates(lo, hi, pc)  # never "10.8% to 10.8%": more decimals, or the rate said to be unaffected
    return Finding("inconclusive", f"Its standing on {_lower_name(label)}",
                   f"{label}{better}: {pct_ordinal(pct)} percentile of {n} {base}, but it rests on {counts}: at "
                   + (f"those edges the rate is {rates}, from the " if rates else
                      f"those edges the rate itself is unaffected ({fmt_num(lo, 1)}{pc}), but its rank moves from the ")
                   + f"{pct_ordinal(math.floor(pct_range[0]))} to the {pct_ordinal(math.ceil(pct_range[1]))} "
                   "percentile.",
                   {**nums, "rate_low": lo, "rate_high": hi, "percentile_low": pct_range[0],
                    "percentile_high": pct_range[1]},
                   "counts published rounded to 5 (no sampling interval), whose rounding spans the band's edge",
                   f"{n} areas with data", source,
                   f"Cite the value with its counts, not the rank: the rounding alone could take it out of the "
                   f"{'top' if kind == 'strength' else 'bottom'} fifth.",
                   # after the ranks on too few counted (0.1): a doubt at the band's edge, the further from the
                   # median the rank the more it would be cited
                   0.05 + 0.05 * abs(pct - 50) / 50)


def _edge_rates(lo: float, hi: float, pc: str = "") -> str:
    """Two rates at the edges of a rounding band, to one decimal or, where one prints them alike, to the fewest
    decimals (up to 3) that tell them apart; "" where none does (the rate is unaffected, only its rank moves).

    >>> _edge_rates(13.2, 17.4, "%"), _edge_rates(10.7546, 10.8152, "%"), _edge_rates(5.0001, 5.0002)
    ('13.2% to 17.4%', '10.75% to 10.82%', '')
    """
    for places in (1, 2, 3):
        a, b = fmt_num(lo, places), fmt_num(hi, places)
        if a != b:
            return f"{a}{pc} to {b}{pc}"
    return ""


def churn_finding(place: str, births: Finding, deaths: Finding) -> Finding:
    """A birth rate and a death rate at opposite ends of the ranking, said as churn: one finding, neither a
    strength nor a weakness on its own.

    High churn (the birth rate a strength, the death rate a weakness): many firms start and many close; a panel
    reads a 98th-percentile birth rate as vitality only if firms also last. Low churn (the birth rate a weakness,
    the death rate a strength): few firms start and few close, a stable business base (often a rural one) rather
    than a dynamic one.

    Examples
    --------
    >>> b = percentile_finding("X", "Business birth rate (%)", pct=98, n=296, value=14.0, unit="%",
    ...                        additive=False, source="s")
    >>> d = percentile_finding("X", "Business death rate (%)", pct=3, n=296, value=13.0, unit="%",
    ...                        additive=False, source="s", direction="lower")
    >>> f = churn_finding("X", b, d)
    >>> f.kind, f.numbers["birth_percentile"], f.numbers["death_percentile"]
    ('inconclusive', 98, 3)
    >>> b = percentile_finding("Y", "Business birth rate (%)", pct=1, n=361, value=6.1, unit="%",
    ...                        additive=False, source="s")
    >>> d = percentile_finding("Y", "Business death rate (%)", pct=95, n=361, value=6.1, unit="%",
    ...                        additive=False, source="s", direction="lower")
    >>> churn_finding("Y", b, d).claim.split(":")[0]
    'Low business churn in Y'
    >>> churn_finding("Y", b, d).uncertainty
    'the birth and death rates read together as low business churn (section 1)'
    """
    high = births.kind == "strength"
    bp, dp = births.numbers["percentile"], deaths.numbers["percentile"]
    nums = {"birth_percentile": bp, "death_percentile": dp, "birth_rate": births.numbers["value"],
            "death_rate": deaths.numbers["value"], "places": births.numbers["places"]}
    return Finding("inconclusive", "Business churn",
                   f"{'High' if high else 'Low'} business churn in {place}: a birth rate of "
                   f"{fmt_num(births.numbers['value'], 1)}% ({pct_ordinal(bp)} percentile) beside a death rate of "
                   f"{fmt_num(deaths.numbers['value'], 1)}% ({pct_ordinal(dp)} percentile, lower is better): "
                   + ("many firms start and many close." if high else "few firms start and few close."),
                   # why each rate's rank is held back (the baselines table flags both rows with it): read
                   # together as churn, not the birth rate's "a rank among areas, no sampling interval"
                   nums, f"the birth and death rates read together as {'high' if high else 'low'} business "
                   "churn (section 1)", births.comparison, births.source,
                   "Not a strength on its own: cite the birth rate only with the survival rates beside it." if high
                   else "A stable business base rather than a dynamic one: cite the two rates together, not the low "
                   "death rate as a strength on its own.", 0.6)


#: A survival cohort whose birth rate stood at least this much above the place's usual level (relative to the
#: UK: :func:`creative_clusters.indicators.outliers.relative_spike`) is not ranked as a finding.
COHORT_SPIKE = 1.25


def cohort_spike_finding(found: Finding, place: str, *, cohort: str, spike: float, birth_rate: float,
                         usual: str) -> Finding:
    """A survival rank whose cohort was born in a surge of registrations (inconclusive): ONS warns that local
    survival rates can be distorted by mass registrations at one address (formation agents, virtual offices),
    firms that are formed together and dissolved soon after.

    Examples
    --------
    >>> f = percentile_finding("Cardiff", "Three-year business survival rate (%)", pct=5, n=357, value=39.7,
    ...                        unit="%", additive=False, source="s", base="local authorities of the UK")
    >>> g = cohort_spike_finding(f, "Cardiff", cohort="2021", spike=1.32, birth_rate=17.3, usual="11.0% to 15.3%")
    >>> g.kind, g.claim.split(", but ")[1].split(":")[0]
    ('inconclusive', 'its 2021 cohort was born in a surge')
    """
    return Finding("inconclusive", found.topic,
                   f"{found.claim.rstrip('.').replace(' (100 = best)', '')}, but its {cohort} cohort was born in a "
                   f"surge: a birth rate of {fmt_num(birth_rate, 1)}%, {round(100 * (spike - 1)):.0f}% above "
                   f"{place}'s usual level against the UK ({usual} in its other years); the publisher warns that "
                   "mass registrations at one address distort local survival rates.",
                   {**found.numbers, "birth_rate_cohort": birth_rate, "cohort_spike": spike},
                   "a cohort born in a registration surge", found.comparison, found.source,
                   "Do not cite this rank until a later cohort confirms it; compare the earlier cohorts' survival.",
                   0.2)


def nation_effect_finding(found: Finding, place: str, nation: str, *, pct_nation: float, n_nation: int) -> Finding:
    """A strength (weakness) across the UK that the place does not show within its own nation: the rank
    reflects the nation as a whole (inconclusive for the place).

    Northern Ireland's creative enterprises grew by about 41% in ten years and all 11 of its councils rank in
    the UK's top fifth; Belfast's 95th UK percentile is the 32nd within Northern Ireland.

    Examples
    --------
    >>> f = percentile_finding("Belfast", "Growth (%)", pct=95, n=360, value=38.0, unit="%", additive=False,
    ...                        source="s", base="local authorities of the UK")
    >>> g = nation_effect_finding(f, "Belfast", "Northern Ireland", pct_nation=32, n_nation=11)
    >>> g.kind, g.claim.split(", but ")[1].split(":")[0]
    ('inconclusive', 'within Northern Ireland it is at the 32nd percentile of 11')
    """
    # below (above) the median within the nation: not rounded up (down) to it
    edge = {"at_least": NATION_EFFECT_PCT} if found.kind == "strength" else {"at_most": NATION_EFFECT_PCT}
    return Finding("inconclusive", found.topic,
                   f"{found.claim.rstrip('.').replace(' (100 = best)', '')}, but within {nation} it is at the "
                   f"{pct_ordinal(pct_nation, **edge)} percentile of {n_nation}: the UK rank reflects {nation} as a "
                   f"whole more than {place}.",
                   {**found.numbers, "percentile_nation": pct_nation, "places_nation": float(n_nation)},
                   f"a UK rank the place does not hold within {nation}", found.comparison, found.source,
                   f"Cite it as {nation}'s standing, not {place}'s; compare {place} within {nation}.", 0.2)


def cluster_finding(place: str, methods: list[str], source: str = "creative_enterprises_sic", *,
                    n_methods: int | None = None, places: str = "every English local authority",
                    same_measure: Collection[str] = ()) -> Finding | None:
    """The place is flagged as a cluster by one or more of ``n_methods`` detection methods.

    Agreement is claimed only between methods that test different things: the
    methods named in ``same_measure`` (the threshold and US Cluster Mapping
    rules, which both test the business LQ, the US rule's cut the stricter) count
    as one test, so their agreement is one result, not independent confirmation.
    One method of several is cited as that method's finding, not as a consensus.

    Examples
    --------
    >>> cluster_finding("X", ["rule A"], n_methods=3).so_what[:45]
    'One of the 3 methods finds a cluster here and'
    >>> cluster_finding("X", ["rule A", "hot spots"], n_methods=3, same_measure=["rule A", "rule B"]).so_what
    'Methods that test different things agree the place is a cluster (2 of 3): cite them.'
    >>> print(cluster_finding("X", ["rule A", "rule B"], n_methods=2, same_measure=["rule A", "rule B"]).so_what)
    Both rules test the same business LQ (one's cut is the stricter), so their agreement is one result, not
    independent confirmation: cite it as one.
    """
    if not methods:
        return None
    n_all = max(n_methods or len(methods), len(methods))
    names = " and the ".join(methods)
    same = [m for m in methods if m in set(same_measure)]
    distinct = (1 if same else 0) + len(methods) - len(same)
    if distinct >= 2:
        so = f"Methods that test different things agree the place is a cluster ({len(methods)} of {n_all}): cite them."
    elif len(methods) >= 2:
        so = ("Both rules test the same business LQ (one's cut is the stricter), so their agreement is one result, "
              "not independent confirmation: cite it as one.")
    elif n_all > 1:
        so = (f"One of the {n_all} methods finds a cluster here and the others do not: cite that method and "
              "its rule, not a consensus.")
    else:
        so = "Cite the method and its rule."
    return Finding("strength", "Detected cluster", f"Detected as a creative cluster under the {names}.",
                   {"methods": float(len(methods)), "methods_applied": float(n_all)},
                   f"rules applied to {places}", places, source,
                   so, CLUSTER_SALIENCE + 0.2 * distinct - (0.5 if len(methods) == 1 and n_all > 1 else 0.0))


def threshold_doubt_finding(place: str, rule: str, *, lq: float, lo: float, hi: float, size: float,
                            min_lq: float, min_size: float, source: str = "creative_enterprises_sic",
                            reference: str = "England", places: str = "every English local authority") -> Finding:
    """A threshold rule met on the LQ's point estimate only: its 95% interval includes 1 (inconclusive).

    Examples
    --------
    >>> f = threshold_doubt_finding("Horsham", "rule A", lq=1.03, lo=0.96, hi=1.10, size=780, min_lq=1.0,
    ...                             min_size=277)
    >>> f.kind
    'inconclusive'
    >>> print(f.claim)
    Horsham meets the rule A on its point estimate (business LQ 1.03, at least 1.0, and 780 creative enterprises,
    at least 277), but the LQ's 95% interval (0.96 to 1.10) includes 1, so whether it is a cluster under this rule
    is inconclusive.
    """
    nums = {"lq": lq, "lo": lo, "hi": hi, "count": size, "min_lq": min_lq, "min_size": min_size}
    return Finding("inconclusive", "Detected cluster",
                   f"{place} meets the {rule} on its point estimate (business LQ {fmt_num(lq)}, at least "
                   f"{fmt_num(min_lq, 1)}, and {fmt_int(size)} creative enterprises, at least {fmt_int(min_size)}), "
                   f"but the LQ's 95% interval ({fmt_num(lo)} to {fmt_num(hi)}) includes 1, so whether it is a "
                   "cluster under this rule is inconclusive.", nums,
                   f"95% interval {fmt_num(lo)} to {fmt_num(hi)}, on {fmt_int(size)} enterprises",
                   f"{reference} = 1; rule applied to {places}", source,
                   "Do not cite it as a detected cluster; the concentration is not distinguishable from "
                   f"{reference}'s.",
                   1.0)


def _gap_at_rounding_edges(start: float, end: float, nation_cagr: float, gap: float, years: float | None,
                           rounding: float) -> tuple[float, float, float] | None:
    """``(start, end, gap)`` at the edge of the rounding band nearest the bar, when the gap clears the bar
    (:data:`GROWTH_GAP_PP`) at the published counts but not there; else None.

    >>> _gap_at_rounding_edges(140, 140, 0.0109, -1.09, 10, 2)
    (138, 142, -0.8...)
    >>> _gap_at_rounding_edges(1000, 1500, 0.01, 3.1, 10, 2) is None
    True
    """
    if not years or not rounding or abs(gap) < GROWTH_GAP_PP or start - rounding <= 0:
        return None
    faster = gap > 0
    s0, e0 = (start + rounding, end - rounding) if faster else (start - rounding, end + rounding)
    edge_gap = 100 * ((e0 / s0) ** (1 / years) - 1 - nation_cagr)
    if (edge_gap >= GROWTH_GAP_PP) if faster else (edge_gap <= -GROWTH_GAP_PP):
        return None
    return s0, e0, edge_gap


def _under_bar(gap: float) -> str:
    """A gap under the growth bar in words, to two decimals where one would round it onto the bar.

    >>> _under_bar(-0.8), _under_bar(-0.96), _under_bar(0.951)
    ('−0.8', '−0.96', '+0.95')
    """
    one = fmt_signed(gap, 1)
    return fmt_signed(gap, 2) if abs(round(gap, 1)) >= GROWTH_GAP_PP > abs(gap) else one


def growth_finding(place: str, *, window: str, start: float, end: float, cagr: float, nation: str,
                   nation_cagr: float, flagged: bool, source: str, years: float | None = None,
                   rounding: float = 0.0) -> Finding | None:
    """Growth of creative enterprises against the place's nation as a gated finding (module docstring).

    ``rounding`` is how far each published count can be from the true one (2 for a count rounded to 5;
    more for a sum of rounded counts) and ``years`` the window's length: a strength (weakness) must clear
    the bar with the start and end moved to the edges of that band against it too, as the LQ findings
    must (Ceredigion, 140 to 140 over 2015–2025 against Wales +1.1% a year: at 138 to 142 the gap is
    −0.8 points, not a weakness).

    Examples
    --------
    >>> growth_finding("X", window="2015–2025", start=400, end=600, cagr=0.0414, nation="England",
    ...                nation_cagr=0.004, flagged=False, source="s").kind
    'strength'
    >>> growth_finding("X", window="2015–2025", start=20, end=40, cagr=0.07, nation="England",
    ...                nation_cagr=0.004, flagged=False, source="s").kind
    'inconclusive'
    >>> growth_finding("Derry", window="2015–2025", start=400, end=646, cagr=0.0491, nation="Northern Ireland",
    ...                nation_cagr=0.0354, flagged=False, source="s").claim.split(": ")[1]
    '+4.9% a year against Northern Ireland +3.5% (+1.4 points a year faster).'
    >>> growth_finding("Derry", window="2015–2025", start=140, end=225, cagr=0.0486, nation="Northern Ireland",
    ...                nation_cagr=0.0352, flagged=False, source="s").claim.split(": ")[1]
    '+4.9% a year against Northern Ireland +3.5% (+1.3 points a year faster, from the unrounded rates).'
    >>> f = growth_finding("Ceredigion", window="2015–2025", start=140, end=140, cagr=0.0, nation="Wales",
    ...                    nation_cagr=0.0109, flagged=False, source="s", years=10, rounding=2)
    >>> f.kind, f.claim.split("; ")[1]
    ('inconclusive', 'at the edges of rounding to 5 (138 to 142) the gap is −0.8 points, under the 1-point bar.')
    """
    if _nan(cagr) or _nan(nation_cagr) or _nan(start) or _nan(end):
        return None
    gap = 100 * (cagr - nation_cagr)
    nums = {"start": start, "end": end, "cagr": cagr, "nation_cagr": nation_cagr, "gap_pp": gap}
    unc = "register counts rounded to 5 (no sampling interval)"
    comp = f"{nation}, {window}"
    topic = f"Growth of creative enterprises {window}"
    text = (f"Creative enterprises {fmt_int(start)} to {fmt_int(end)} ({window}): {fmt_signed(100 * cagr, 1)}% a year "
            f"against {nation} {fmt_signed(100 * nation_cagr, 1)}%")
    if flagged:
        return Finding("inconclusive", topic, text + ", but the window starts or ends on a value flagged as an "
                       "outlier.", nums, unc, comp, source, "Cite another window or the table, not this rate.", 0.2)
    if min(start, end) < MIN_GROWTH_BASE:
        return Finding("inconclusive", topic, text + f", on a base under {MIN_GROWTH_BASE} enterprises, where "
                       "rounding to 5 alone moves the rate.", nums, unc, comp, source,
                       "Too small to argue a trajectory from counts; show firm-level evidence instead.", 0.1)
    edge = _gap_at_rounding_edges(start, end, nation_cagr, gap, years, rounding)
    if edge is not None:
        lo_s, hi_e, edge_gap = edge
        return Finding("inconclusive", topic, text + f" ({fmt_signed(gap, 1)} points a year); at the edges of "
                       f"rounding to 5 ({fmt_int(lo_s)} to {fmt_int(hi_e)}) the gap is {_under_bar(edge_gap)} "
                       f"points, under the {GROWTH_GAP_PP:g}-point bar.", nums, unc, comp, source,
                       "Rounding alone could close the gap: cite the counts, not a faster or slower trajectory.",
                       0.15)
    # one value for the gap in every section (the trajectory class prints it too): the unrounded one, which the
    # rule reads; where the printed rates differ by another tenth (4.9 against 3.5, gap 1.34), it says why
    said = fmt_signed(gap, 1)
    why = ("" if fmt_signed(round(100 * cagr, 1) - round(100 * nation_cagr, 1), 1) == said
           else ", from the unrounded rates")
    if gap >= GROWTH_GAP_PP:
        return Finding("strength", topic, text + f" ({said} points a year faster{why}).", nums, unc, comp,
                       source,
                       "A trajectory the panel can check year by year in the growth section's table.",
                       1.0 + gap / 5)
    if gap <= -GROWTH_GAP_PP:
        return Finding("weakness", topic, text + f" ({said} points a year{why}).", nums, unc, comp, source,
                       "Say what the cluster would change: a slower-growing base is a case for investment only "
                       "with a plan.", 0.5 - gap / 5)
    return Finding("context", topic, text + " (in line with it).", nums, unc, comp, source,
                   "Neither a strength nor a weakness on its own.", 0.0)


def rank_findings(findings: list[Finding]) -> dict[str, list[Finding]]:
    """Group by kind, most salient first (the bands of :data:`FOCUS_SALIENCE`, :data:`CLUSTER_SALIENCE`,
    :data:`HEADLINE_SALIENCE`, then the effect); empty claims dropped. Of the specialisations the panel could
    lead with, only the first in that order is told to, and why (:func:`_one_lead`).

    Examples
    --------
    >>> a = Finding("strength", "a", "A.", salience=1.0)
    >>> b = Finding("strength", "b", "B.", salience=2.0)
    >>> [f.topic for f in rank_findings([a, b])["strength"]]
    ['b', 'a']
    """
    out: dict[str, list[Finding]] = {k: [] for k in KINDS}
    seen = set()
    for f in sorted(findings, key=lambda f: -f.salience):
        if f.claim and f.claim not in seen:
            seen.add(f.claim)
            out.setdefault(f.kind, []).append(f)
    _one_lead(out["strength"])
    return out


def _one_lead(strengths: list[Finding]) -> None:
    """"Lead with it" for the first specialisation in the order only, saying why it is first (the bid's focus,
    the whole creative sector as the headline, or the largest effect); the others are cited beside it.
    Changes the findings in place.

    >>> fs = [specialisation_finding("X", w, lq=q, lo=q - 0.2, hi=q + 0.2, count=400, source="s")
    ...       for w, q in (("All creative industries", 1.35), ("Design", 2.19))]
    >>> fs[0].salience += HEADLINE_SALIENCE
    >>> _one_lead(fs)
    >>> [f.so_what.split("; ")[-1] for f in fs]
    ["lead with it: the whole creative sector, the bid's headline.", 'cite it beside the lead above.']
    """
    leads = [f for f in strengths if f.so_what == f"{DISTINCTIVE}; lead with it."]
    for k, f in enumerate(leads):
        if k:
            f.so_what = f"{DISTINCTIVE}; cite it beside the lead above."
        elif f.salience >= FOCUS_SALIENCE:
            f.so_what = f"{DISTINCTIVE}; lead with it: the bid's focus."
        elif f.salience >= HEADLINE_SALIENCE:
            f.so_what = f"{DISTINCTIVE}; lead with it: the whole creative sector, the bid's headline."
        else:
            f.so_what = f"{DISTINCTIVE}; lead with it: the largest specialisation here."
