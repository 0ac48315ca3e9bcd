"""How the pack writes numbers, ranks and lists: thousands separators, a true minus sign, percentiles and
shared ranks in words ("joint 5th"), English lists. Missing numbers are written '–'."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

__all__ = [
    "SHARE_DIGITS",
    "ZERO_COUNT",
    "ZERO_SHARE",
    "fmt_int",
    "fmt_lq",
    "fmt_num",
    "fmt_pct",
    "join_and",
    "join_apart",
    "joint_ordinal",
    "ordinal",
    "pct_ordinal",
    "tie_words",
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
#: A published 0's share of a national total (0 to 2 enterprises: unknown, not 0.00%), at those decimals.
#: A count published as 0 (UK Business Counts round to 5): 0 to 2, never "none".
ZERO_COUNT = "0 to 2"
ZERO_SHARE = f"under {10 ** -SHARE_DIGITS:.{SHARE_DIGITS}f}%"


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


def join_apart(items: Sequence[str]) -> str:
    """Items as an English list kept apart by semicolons, for names that hold commas or "and" themselves.

    >>> join_apart(["Museums, galleries and libraries", "Music, performing and visual arts"])
    'Museums, galleries and libraries; and Music, performing and visual arts'
    >>> join_apart(["Bristol"])
    'Bristol'
    """
    items = list(items)
    return "".join(items) if len(items) < 2 else "; ".join(items[:-1]) + "; and " + items[-1]


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    sep = "; " if any("," in p or " and " in p for p in parts) else ", "
    return sep.join(parts[:-1]) + (sep.rstrip() if len(parts) > 2 or sep == "; " else "") + " and " + parts[-1]
