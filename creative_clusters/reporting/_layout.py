"""Page-layout rules the renderers share (HTML/PDF, Word), kept apart from any one renderer.

A table with more columns than fit across an A4 portrait page is *wide*: the
HTML and PDF give it the landscape-friendly ``wide`` class, Word puts it in a
landscape section. One predicate, so the formats agree on which tables those are.

Examples
--------
>>> is_wide({"columns": list("abcdefgh")}), is_wide({"columns": ["Quadrant", "Item", "Basis"]})
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["PORTRAIT_MAX_COLUMNS", "is_numeric_format", "is_wide"]

#: Columns that still fit across an A4 portrait page; a table with more is laid out landscape.
PORTRAIT_MAX_COLUMNS = 7


def is_wide(table: Mapping[str, Any]) -> bool:
    """Whether ``table`` has too many columns for a portrait page (the HTML's ``wide`` tables).

    Parameters
    ----------
    table : Mapping
        A pack table (``columns`` is read).

    Returns
    -------
    bool
        True when it has more than :data:`PORTRAIT_MAX_COLUMNS` columns.
    """
    return len(table.get("columns", [])) > PORTRAIT_MAX_COLUMNS


def is_numeric_format(fmt: str) -> bool:
    """Whether a cell of format ``fmt`` is a number, set right-aligned (the HTML's ``td class="num"``).

    Parameters
    ----------
    fmt : str
        A pack cell format (``text``, ``int``, ``pct``, ``num2``, ``auto`` ...).

    Returns
    -------
    bool
        False for ``text`` only, as the template decides.

    Examples
    --------
    >>> is_numeric_format("pct"), is_numeric_format("text")
    (True, False)
    """
    return fmt != "text"
