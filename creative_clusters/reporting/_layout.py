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

import math
from collections.abc import Mapping
from typing import Any

from creative_clusters.reporting.formatting import fmt_int, fmt_num

__all__ = ["KEEP_WHOLE_LINES", "PORTRAIT_MAX_COLUMNS", "column_widths", "format_cell", "is_numeric_format",
           "is_wide", "table_lines"]

#: Columns that still fit across an A4 portrait page; a table with more is laid out landscape.
PORTRAIT_MAX_COLUMNS = 7

#: The least share of a portrait line a table's running text needs; with less (its other columns taking
#: the rest), a table with long text is laid out landscape.
PORTRAIT_TEXT_ROOM = 0.25

#: Characters on a line of a table: A4 portrait, and landscape in the wide tables' smaller font.
_PORTRAIT_LINE, _LANDSCAPE_LINE = 100, 150


def is_wide(table: Mapping[str, Any]) -> bool:
    """Whether ``table`` is too wide for a portrait page (the HTML's ``wide`` tables, Word's landscape).

    Wide when it has more than :data:`PORTRAIT_MAX_COLUMNS` columns, or when its
    numbers, codes and header words leave less than :data:`PORTRAIT_TEXT_ROOM` of a
    portrait line to long running text (a nation's benchmark table: a note of up to
    240 characters squeezed to a sixth of the width ran to 20 lines a row).

    Parameters
    ----------
    table : Mapping
        A pack table (``columns``, ``rows``, ``formats`` are read).

    Returns
    -------
    bool
    """
    cols = list(table.get("columns", []))
    if len(cols) > PORTRAIT_MAX_COLUMNS:
        return True
    return bool(cols) and _squeezed(*_column_needs(table)[:2])


def _squeezed(fixed: list[float], flex: list[float]) -> bool:
    """Long running text left under :data:`PORTRAIT_TEXT_ROOM` of a portrait line by the other columns."""
    extra = sum(max(x - f, 0.0) for f, x in zip(fixed, flex, strict=True))
    return extra > _PORTRAIT_LINE and _PORTRAIT_LINE - sum(fixed) < PORTRAIT_TEXT_ROOM * _PORTRAIT_LINE


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


def _column_needs(table: Mapping[str, Any]) -> tuple[list[float], list[float], list[float]]:
    """Per column, in characters: the width it cannot do without (its longest header word, or its
    longest number, code or identifier), the usual length of its running text (0 for none), and its
    whole header on one line."""
    cols = list(table.get("columns", []))
    rows = list(table.get("rows", []))
    all_fmts = table.get("cell_formats")
    fixed: list[float] = []
    flex: list[float] = []
    whole: list[float] = []  # each header on one line
    for j, head in enumerate(cols):
        head_word = max((len(w) for w in str(head).split()), default=1)
        cells = [format_cell(r[j], (all_fmts[i] if all_fmts else table.get("formats", ["text"] * len(cols)))[j])
                 if j < len(r) else "" for i, r in enumerate(rows)]
        text = sorted(len(c) for c in cells if not _is_short(c))
        # room for the padding, and for a header word in bold (wider than the estimate of a character):
        # with 2 characters' room, LAD codes broke as "E0700006 / 3" and headers as "Shar / e (%)"
        short = max([math.ceil(1.15 * head_word), 3, *(len(c) for c in cells if _is_short(c))]) + 3
        fixed.append(short)
        flex.append(max(min(text[int(0.9 * (len(text) - 1))], TEXT_CAP), short) if text else 0.0)
        whole.append(math.ceil(1.1 * len(str(head))) + 3)
    return fixed, flex, whole


def format_cell(value: Any, fmt: str) -> str:
    """Display text for a table cell.

    Examples
    --------
    >>> format_cell(10350.0, "int"), format_cell(1.234, "num2"), format_cell(None, "pct")
    ('10,350', '1.23', '–')
    >>> format_cell(2825.0, "auto"), format_cell(47.2, "auto")
    ('2,825', '47.20')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if fmt == "text" or isinstance(value, str):
        return str(value)
    if fmt == "int":
        return fmt_int(value)
    if fmt == "auto":
        return fmt_int(value) if float(value).is_integer() else fmt_num(value, 2)
    if fmt == "pct":
        return fmt_num(value, 1)
    if fmt == "pct2":
        return fmt_num(value, 2)
    if fmt.startswith("num"):
        return fmt_num(value, int(fmt[3:] or 2))
    return str(value)


#: The usual length (characters) beyond which a column of running text is not widened further.
TEXT_CAP = 250


def column_widths(table: Any) -> list[float]:
    """Column widths (percent of the table) from the text each column shows.

    Numbers, codes and dates (cells without spaces) must not wrap, so their
    column gets room for its longest cell and longest header word. Columns of
    running text share the rest of the line in proportion to their usual
    length (the 90th percentile of their cells, so one long note does not take
    the table). The PDF lays tables out with these widths
    (``table-layout: fixed``) instead of measuring every cell twice, which is
    quicker and keeps numbers on one line.

    Examples
    --------
    >>> column_widths({"columns": ["Indicator", "Value"], "rows": [["Creative enterprises", 1610]],
    ...                "formats": ["text", "int"]})
    [91.0, 9.0]
    """
    return _widths(table)[1]


def _widths(table: Any) -> tuple[int, list[float]]:
    """The characters on the table's line (portrait or landscape) and its column widths (percent), from one
    pass over its cells."""
    cols = list(table.get("columns", []))
    if not cols:
        return _PORTRAIT_LINE, []
    fixed, flex, whole = _column_needs(table)
    line = _LANDSCAPE_LINE if len(cols) > PORTRAIT_MAX_COLUMNS or _squeezed(fixed, flex) else _PORTRAIT_LINE
    extra = [max(x - f, 0.0) for f, x in zip(fixed, flex, strict=True)]  # what running text adds
    room = max(line - sum(fixed), 0.0)
    scale = min(room / sum(extra), 1.0) if sum(extra) else 0.0  # shrink the text to the line
    widths = [f + e * scale for f, e in zip(fixed, extra, strict=True)]
    # room left on the line goes first to the headers (a header over five lines above one-digit ranks),
    # then to the running text
    left = line - sum(widths)
    need = [max(h - w, 0.0) for h, w in zip(whole, widths, strict=True)]
    all_need, all_extra = float(sum(need)), float(sum(extra))
    if left > 0 and all_need > 0:
        give = min(left / all_need, 1.0)
        widths = [w + n * give for w, n in zip(widths, need, strict=True)]
        left = line - sum(widths)
    if left > 0 and all_extra > 0:
        widths = [w + left * e / all_extra for w, e in zip(widths, extra, strict=True)]
    total = sum(widths)
    return line, [round(100 * w / total, 1) for w in widths]


#: Printed lines (a row of one line each, the header and the notes counted) up to which a table is kept
#: on one page: about two fifths of an A4 page, so moving it leaves at most that much white above it.
KEEP_WHOLE_LINES = 20


def table_lines(table: Any) -> int:
    """Lines a table takes in print, estimated from its text and :func:`column_widths`: its header,
    each row at the height of its longest cell, and its notes.

    Examples
    --------
    >>> table_lines({"columns": ["Indicator", "Value"], "rows": [["Creative enterprises", 1610]] * 3,
    ...              "formats": ["text", "int"], "notes": ["A short note."]})
    5
    """
    cols = list(table.get("columns", []))
    if not cols:
        return 0
    line, widths = _widths(table)
    chars = [max(w * line / 100 - 2, 4.0) for w in widths]
    all_fmts = table.get("cell_formats")

    def height(cells: list[str]) -> int:
        return max((math.ceil(len(c) / n) for c, n in zip(cells, chars, strict=False)), default=1) or 1

    total = height([str(c) for c in cols])
    for i, r in enumerate(table.get("rows", [])):
        fmts = all_fmts[i] if all_fmts else table.get("formats", ["text"] * len(cols))
        total += height([format_cell(v, f) for v, f in zip(r, fmts, strict=False)])
    return total + sum(math.ceil(len(n) / (line * 1.1)) for n in table.get("notes", []))


def _is_short(cell: str) -> bool:
    """A cell that must not wrap: a number, a code, a date or an identifier (no spaces; a dataset's
    name or the start of its checksum broke mid-token as "business_counts_202 / 5"), not a URL."""
    return " " not in cell.strip() and len(cell) <= 26 and "://" not in cell
