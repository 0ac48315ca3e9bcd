"""Number formats shared by every layer that writes words (house style: the minus sign, no signed zero).

Examples
--------
>>> fmt_signed(1.25, 1), fmt_signed(-0.04, 1), fmt_signed(-2.26, 1, "%")
('+1.2', '0.0', '−2.3%')
"""

from __future__ import annotations

import math

__all__ = ["fmt_signed"]


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
