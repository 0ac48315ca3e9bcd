"""Number formats shared by every layer that writes words (house style: the minus sign, no signed zero).

Examples
--------
>>> fmt_signed(1.25, 1), fmt_signed(-0.04, 1), fmt_signed(-2.26, 1, "%")
('+1.2', '0.0', '−2.3%')
>>> fmt_year_range(1960, 2017), fmt_year_range(2012, 2012)
('1960–2017', '2012')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["count_words", "firm_words", "fmt_signed", "fmt_year_range", "join_names", "join_notes",
           "microcluster_run_words", "possessive", "with_article"]


def count_words(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number (no "place(s)", no "1 geographies").

    Examples
    --------
    >>> count_words(1, "cluster"), count_words(15, "place"), count_words(1, "geography", "geographies")
    ('1 cluster', '15 places', '1 geography')
    >>> count_words(1_200, "file")
    '1,200 files'
    """
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def join_names(names: Sequence[str], most: int = 4) -> str:
    """Names as a phrase: at most ``most`` of them, then how many more.

    Examples
    --------
    >>> join_names(["Sheffield"]), join_names(["Sheffield", "Rotherham"])
    ('Sheffield', 'Sheffield and Rotherham')
    >>> join_names(["A", "B", "C", "D", "E", "F"])
    'A, B, C and 3 more'
    """
    if len(names) > most:
        return f"{', '.join(names[:most - 1])} and {len(names) - most + 1} more"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def join_notes(notes: Iterable[str]) -> str:
    """Notes as one sentence list: each once (a note another one already says in full is dropped), no ".;".

    Examples
    --------
    >>> join_notes(["rounded to 5 by ONS", "England only.", "Rounded to 5 by ONS, and sums are not exact."])
    'England only; Rounded to 5 by ONS, and sums are not exact.'
    """
    items = [n.strip().rstrip(".").strip() for n in notes if n and n.strip()]
    key = [re.sub(r"[^a-z0-9]", "", n.lower()) for n in items]
    kept = [n for i, n in enumerate(items)
            if not any(j != i and key[j].startswith(key[i]) and (len(key[j]) > len(key[i]) or j < i)
                       for j in range(len(items)))]
    return "; ".join(kept) + "." if kept else ""


#: Last words that make a place name plural in form, so its possessive takes a bare apostrophe
#: ("the West Midlands' ", "Orkney Islands' "); every other name takes 's, a final s or not ("Wales's").
_PLURAL_LAST_WORDS = frozenset({"islands", "isles", "midlands", "borders", "hebrides", "valleys", "highlands",
                                "lowlands", "dales", "downs", "wolds", "fens", "lakes", "hills", "counties",
                                "authorities", "areas", "regions", "nations", "districts"})


def possessive(name: str) -> str:
    """``name``'s: the one possessive of the product's sentences. British usage: 's after every singular name,
    a final s included ("Wales's", "St Albans's"); a bare apostrophe only after a name plural in form
    ("Orkney Islands'", "the West Midlands'").

    >>> possessive("Sheffield"), possessive("Orkney Islands"), possessive("Wales"), possessive("West Midlands")
    ("Sheffield's", "Orkney Islands'", "Wales's", "West Midlands'")
    """
    words = name.split()
    last = words[-1].lower() if words else ""
    return f"{name}'" if last in _PLURAL_LAST_WORDS else f"{name}'s"


#: Place names said with "the" in running text (English regions, the UK).
_WITH_THE = ("North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
             "East of England", "South East", "South West", "United Kingdom", "North East Combined Authority",
             "West Midlands Combined Authority", "East Midlands Combined County Authority")


def with_article(name: str) -> str:
    """A place name as it reads in a sentence: "the North East", but "London", "Sheffield".

    >>> with_article("North East"), with_article("London"), with_article("West Midlands")
    ('the North East', 'London', 'the West Midlands')
    """
    return f"the {name}" if name in _WITH_THE else name


def fmt_signed(x: float | None, digits: int = 0, unit: str = "") -> str:
    """Number with an explicit sign (``+1,250``, ``−300``, ``0``; ``+1.2`` with ``digits=1``); '–' when missing.

    A value that rounds to zero has no sign ("0.0", never "+0.0" or "−0.0").

    Examples
    --------
    >>> fmt_signed(1250.4), fmt_signed(-300.0), fmt_signed(0.2), fmt_signed(None)
    ('+1,250', '−300', '0', '–')
    >>> fmt_signed(0.04, 1, " points")
    '0.0 points'
    """
    if x is None or not isinstance(x, int | float) or math.isnan(float(x)):
        return "–"
    v = round(float(x), digits) if digits else round(float(x))
    text = f"{abs(v):,.{digits}f}"
    return (text if v == 0 else (f"+{text}" if v > 0 else f"−{text}")) + unit


def digits_beside(x: float, bar: float, digits: int = 1, most: int = 3) -> int:
    """How many decimals print ``x`` on its own side of ``bar``: ``digits``, or more (up to ``most``) where
    fewer would round it onto or over the bar (1.464 beside a bar of 1.5 is "1.46", never "1.5").

    Examples
    --------
    >>> digits_beside(1.464, 1.5), digits_beside(1.3, 1.5), digits_beside(0.998, 1.0, 2), digits_beside(1.52, 1.5)
    (2, 1, 3, 2)
    """
    d = digits
    while d < most and (round(x, d) >= bar) != (x >= bar):
        d += 1
    if x >= bar and d < most and round(x, d) == bar and x != bar:  # 1.52 over 1.5: "1.52", not "1.5"
        d += 1
    return d


def fmt_year_range(low: object, high: object) -> str:
    """A year known to lie between ``low`` and ``high``: the year when both ends agree, else the range with an
    en dash ("1960–2017"), one end alone when the other is missing, "" when neither is known.

    A range is the source's uncertainty (Mapping Museums records an opening year it cannot pin down as the
    earliest and the latest it can be): writing its low end alone would state a year nobody knows.

    Examples
    --------
    >>> fmt_year_range(1960, 2017), fmt_year_range(1975, 1975), fmt_year_range(1975, None), fmt_year_range(None, None)
    ('1960–2017', '1975', '1975', '')
    """
    ends = [str(y) for y in (_year(low), _year(high)) if y is not None]
    return "–".join(dict.fromkeys(ends))


def _year(v: object) -> int | None:
    """``v`` as a whole year, or None when it is missing (None, NaN, pandas' NA) or not a number."""
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else int(f)


def firm_words(address_kind: str | None, all_creative: bool = False) -> dict[str, str]:
    """How a microcluster run names its points, by what the firm file's addresses are.

    ``address_kind`` is ``FirmsReport.address_kind`` (``"registered"``: Companies House registered
    offices; ``"trading"``: trading premises, e.g. a business-rates list; ``"unknown"``). Keys: ``points``
    (the plural noun: "creative firms" at registered offices, "premises" at trading addresses), ``one``
    (the singular), ``count`` (what a hub's weight counts), ``hubs`` (the name of postcodes shared by
    many: a registered-office hub is a formation agent's or accountant's address; many premises at one
    postcode are a shopping centre or office block), ``hub_what`` (what such a hub is, when that needs
    saying) and ``members`` (what a hub postcode counts).

    Examples
    --------
    >>> firm_words("registered")["points"], firm_words("trading", all_creative=True)["points"]
    ('creative firms', 'premises (trading addresses, every one taken as creative)')
    >>> firm_words("registered")["hubs"], firm_words("trading")["hubs"]
    ('registered-office hubs', 'shared-postcode hubs')
    """
    if address_kind == "trading":
        return {"points": "premises (trading addresses" + (", every one taken as creative)" if all_creative
                                                          else ", creative by SIC code)"),
                "one": "premises", "members": "premises", "count": "premises",
                "hubs": "shared-postcode hubs",
                "hub_what": "many trading premises at one postcode: a shopping centre, market or office block, "
                            "not a registered-office address"}
    if address_kind == "registered":
        return {"points": "creative firms", "one": "creative firm", "members": "companies", "count": "firms",
                "hubs": "registered-office hubs", "hub_what": ""}
    return {"points": "creative firms" if not all_creative else "firms (every one taken as creative)",
            "one": "firm", "members": "firms", "count": "firms", "hubs": "shared-postcode hubs", "hub_what": ""}


def microcluster_run_words(run: Mapping[str, Any]) -> str:
    """A microcluster run as readers can name it: the day it ran and its firm file (``run`` a mapping of the
    run record: ``created_at``, ``firm_file``).

    Examples
    --------
    >>> microcluster_run_words({"created_at": "2026-12-05T10:00", "firm_file": "firms.csv.gz"})
    'microcluster run of 2026-12-05 on firms.csv.gz'
    """
    return f"microcluster run of {str(run.get('created_at') or '')[:10]} on {run.get('firm_file')}"
