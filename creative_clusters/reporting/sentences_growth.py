"""Sentences of the growth and dynamism section: the place's own change, births and deaths and survival,
and the "wider area" growth block (BRES employment by NUTS2 2013).

Same contract as :mod:`creative_clusters.reporting.sentences_scale`: numbers (and
names) in, plain British-English text out; a missing number gives ``""``.
"""

from __future__ import annotations

from creative_clusters._text import fmt_signed
from creative_clusters.reporting.formatting import _bad, fmt_int, fmt_num, fmt_pct

__all__ = [
    "births_deaths_sentence",
    "fmt_share",
    "fmt_signed",
    "growth_sentence",
    "shift_share_sentence",
    "subsector_change_sentence",
    "survival_sentence",
    "wider_area_growth_sentence",
    "wider_area_lq_sentence",
]


def fmt_share(share: float) -> str:
    """A share (0 to 1) as a percentage with the fewest decimals (up to 2) that keep it honest: a share above 0
    never prints as 0%, and one short of the whole never as 100%.

    Examples
    --------
    >>> [fmt_share(x) for x in (0.42, 0.003, 0.997, 1.0, 0.0, 0.0004, 0.00004)]
    ['42%', '0.3%', '99.7%', '100%', '0%', '0.04%', 'under 0.01%']
    """
    pct = float(share) * 100
    for digits in (0, 1, 2):
        text = f"{pct:.{digits}f}"
        if (float(text) == 0 < pct) or (float(text) == 100 > pct):
            continue
        return f"{text}%"
    return "under 0.01%" if pct < 50 else "over 99.99%"


def wider_area_growth_sentence(place: str | None, area: str, start: str, end: str,
                               first: float | None, last: float | None,
                               cagr_pct: float | None = None, ref_pct: float | None = None,
                               ref_name: str = "Great Britain",
                               what: str = "Creative industries employment", n_areas: int = 1, *,
                               change_pct: float | None) -> str:
    """Change in the wider (NUTS2) area that contains the place, against a reference.

    ``n_areas`` > 1 when ``area`` names several NUTS2 areas taken together. ``change_pct`` is the
    change from ``first`` to ``last`` (%), computed by the caller
    (:func:`creative_clusters.indicators.growth.change_pct`); the sentence only says it.

    Examples
    --------
    >>> wider_area_growth_sentence("Sheffield", "South Yorkshire", "2015", "2018", 20000, 22000,
    ...                            3.228, 8.0, change_pct=10.0)
    'Creative industries employment in South Yorkshire, the NUTS2 (2013) area that contains Sheffield, rose by 10.0%
    between 2015 and 2018, from 20,000 to 22,000 (3.2% a year), against a rise of 8.0% across Great Britain.'
    >>> s = wider_area_growth_sentence("P", "A", "2015", "2018", 100, 90, -3.4, 8.5, change_pct=-10.0)
    >>> s.split(", against ")[1]
    'a rise of 8.5% across Great Britain.'
    >>> wider_area_growth_sentence(None, "Greater Manchester", "2015", "2018", 100, 90, change_pct=-10.0)
    'Creative industries employment in Greater Manchester (a NUTS2 2013 area) fell by 10.0% between 2015 and 2018, from
    100 to 90.'
    >>> wider_area_growth_sentence(None, "Tees Valley and Durham plus Northumberland and Tyne and Wear", "2015",
    ...                            "2018", 100, 90, n_areas=2, change_pct=-10.0)
    'Creative industries employment in Tees Valley and Durham plus Northumberland and Tyne and Wear (2 NUTS2 2013
    areas together) fell by 10.0% between 2015 and 2018, from 100 to 90.'
    >>> wider_area_growth_sentence("P", "A", "2015", "2018", 0, 10, change_pct=None)
    ''

    ``place=None`` when the place is the NUTS2 area itself.
    """
    if first is None or last is None or change_pct is None or _bad(first, last, change_pct) or not first:
        return ""
    g = float(change_pct)
    verb = "rose" if g > 0 else ("fell" if g < 0 else "was unchanged")
    if n_areas > 1:
        where = (f"{area}, the {n_areas} NUTS2 (2013) areas that contain {place}," if place
                 else f"{area} ({n_areas} NUTS2 2013 areas together)")
    else:
        where = f"{area}, the NUTS2 (2013) area that contains {place}," if place else f"{area} (a NUTS2 2013 area)"
    s = f"{what} in {where} {verb}"
    if g != 0:
        s += f" by {fmt_pct(abs(g))}"
    s += f" between {start} and {end}, from {fmt_int(first)} to {fmt_int(last)}"
    if g != 0 and not _bad(cagr_pct):
        s += f" ({fmt_pct(cagr_pct)} a year)"
    if not _bad(ref_pct):  # said as a rise or fall: "fell by 25.6% ..., against 8.5%" read as a fall of 8.5%
        ref = float(ref_pct)  # type: ignore[arg-type]
        s += (f", against {'a rise' if ref > 0 else 'a fall'} of {fmt_pct(abs(ref))} across {ref_name}" if ref
              else f", against no change across {ref_name}")
    return s + "."


def shift_share_sentence(area: str, start: str, end: str, change: float | None,
                         national: float | None, mix: float | None, competitive: float | None,
                         national_growth_pct: float | None = None,
                         ref_name: str = "Great Britain") -> str:
    """Shift-share reading of a change: national share + industry mix + competitive effect.

    The three parts are printed as given (rounded to whole jobs); they sum to
    the change before rounding.

    Examples
    --------
    >>> shift_share_sentence("South Yorkshire", "2015", "2018", 2000, 700, 900, 400, 3.5)
    'Of the change of +2,000 jobs in South Yorkshire between 2015 and 2018, +700 would have come from employment growing
    at the all-industry rate of Great Britain (3.5%), +900 from the mix of creative sub-sectors (how they grew across
    Great Britain relative to all industries), and +400 is the competitive effect: creative employment grew faster in
    the area than the same sub-sectors did across Great Britain.'
    >>> "grew more slowly" in shift_share_sentence("A", "2015", "2018", -50, 100, 50, -200)
    True
    """
    if change is None or national is None or mix is None or competitive is None:
        return ""
    if _bad(change, national, mix, competitive):
        return ""
    rate = f" ({fmt_pct(national_growth_pct)})" if not _bad(national_growth_pct) else ""
    s = (f"Of the change of {fmt_signed(change)} jobs in {area} between {start} and {end}, "
         f"{fmt_signed(national)} would have come from employment growing at the all-industry rate of "
         f"{ref_name}{rate}, {fmt_signed(mix)} from the mix of creative sub-sectors (how they grew across "
         f"{ref_name} relative to all industries), and {fmt_signed(competitive)} is the competitive effect")
    if round(float(competitive)) > 0:
        s += f": creative employment grew faster in the area than the same sub-sectors did across {ref_name}"
    elif round(float(competitive)) < 0:
        s += f": creative employment grew more slowly in the area than the same sub-sectors did across {ref_name}"
    return s + "."


def wider_area_lq_sentence(area: str, start: str, end: str, lq_start: float | None,
                           lq_end: float | None, ref_name: str = "Great Britain") -> str:
    """Employment location quotient at both ends of the period.

    Examples
    --------
    >>> wider_area_lq_sentence("Inner London - West", "2015", "2018", 2.91, 2.95)
    'Creative industries employment in Inner London - West was 2.91 times as concentrated as across Great Britain in
    2015 and 2.95 times in 2018 (employment location quotient; 1 = the Great Britain share).'
    """
    if _bad(lq_start, lq_end):
        return ""
    return (f"Creative industries employment in {area} was {fmt_num(lq_start)} times as concentrated "
            f"as across {ref_name} in {start} and {fmt_num(lq_end)} times in {end} "
            f"(employment location quotient; 1 = the {ref_name} share).")


def subsector_change_sentence(area: str, names: list[str], changes: list[float],
                              pcts: list[float | None], noise: list[float] | None = None) -> str:
    """The sub-sectors with the largest rise and the largest fall in employment.

    ``noise`` (one per sub-sector) is how far each change can be off through the rounding of the published
    cells alone; a largest rise or fall no bigger than that is not called out.

    Examples
    --------
    >>> subsector_change_sentence("A", ["Publishing", "IT, software and computer services", "Crafts"],
    ...                           [-200, 1500, 0], [-5.0, 12.5, 0.0])
    'In A the largest rise was in IT, software and computer services (+1,500, 12.5%) and the largest fall in Publishing
    (−200, −5.0%).'
    >>> subsector_change_sentence("A", ["Publishing", "IT, software and computer services"], [-200, 1500],
    ...                           [-5.0, 12.5], noise=[250, 1000])
    'In A the largest rise was in IT, software and computer services (+1,500, 12.5%); no sub-sector fell by more
    than the rounding of its published figures.'
    >>> subsector_change_sentence("A", ["Advertising and marketing"], [35], [12.3], noise=[75])
    "In A no sub-sector's employment changed beyond the rounding noise of its published figures (the largest rise, in
    Advertising and marketing, +35, is within it)."
    >>> subsector_change_sentence("A", ["Crafts"], [float("nan")], [None])
    ''
    """
    noise = list(noise) if noise is not None else [0.0] * len(names)
    rows = [(n, c, p, e if e == e else 0.0) for n, c, p, e in zip(names, changes, pcts, noise, strict=False)
            if not _bad(c)]
    if not rows:
        return ""

    def pct(p: float | None) -> str:
        if p is None or _bad(p):
            return ""
        return ", " + (fmt_pct(p) if p >= 0 else "−" + fmt_pct(abs(p)))

    up = max(rows, key=lambda r: r[1])
    down = min(rows, key=lambda r: r[1])
    rise, fall = round(up[1]) > 0, round(down[1]) < 0
    parts = []
    if rise and up[1] > up[3]:
        parts.append(f"the largest rise was in {up[0]} ({fmt_signed(up[1])}{pct(up[2])})")
    if fall and -down[1] > down[3]:
        verb = "" if parts else " was"
        parts.append(f"the largest fall{verb} in {down[0]} ({fmt_signed(down[1])}{pct(down[2])})")
    if not parts:
        if not (rise or fall):
            return f"In {area} creative employment was unchanged in every sub-sector (after rounding)."
        big = up if not fall or (rise and up[1] >= -down[1]) else down
        what = "rise" if big is up else "fall"
        return (f"In {area} no sub-sector's employment changed beyond the rounding noise of its published figures "
                f"(the largest {what}, in {big[0]}, {fmt_signed(big[1])}, is within it).")
    if rise and len(parts) == 1 and parts[0].startswith("the largest fall"):
        parts.append("no sub-sector rose by more than the rounding of its published figures")
        return f"In {area} " + "; ".join(parts) + "."
    if fall and len(parts) == 1 and parts[0].startswith("the largest rise"):
        parts.append("no sub-sector fell by more than the rounding of its published figures")
        return f"In {area} " + "; ".join(parts) + "."
    return f"In {area} " + " and ".join(parts) + "."


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
