"""Render the context to one self-contained HTML file (CSS inlined, SVG inline,
no scripts, no web fonts, no external requests) that prints well."""

from __future__ import annotations

import math
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from creative_clusters.reporting import sentences as S
from creative_clusters.reporting._io import atomic_write_text
from creative_clusters.reporting.pack_types import PackContext

__all__ = ["KEEP_WHOLE_LINES", "column_widths", "format_cell", "pack_css", "render_html", "table_lines",
           "unquote", "write_html"]


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
        return S.fmt_int(value)
    if fmt == "auto":
        return S.fmt_int(value) if float(value).is_integer() else S.fmt_num(value, 2)
    if fmt == "pct":
        return S.fmt_num(value, 1)
    if fmt == "pct2":
        return S.fmt_num(value, 2)
    if fmt.startswith("num"):
        return S.fmt_num(value, int(fmt[3:] or 2))
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
    cols = list(table.get("columns", []))
    if not cols:
        return []
    rows = list(table.get("rows", []))
    all_fmts = table.get("cell_formats")
    line = 150 if len(cols) > 7 else 100  # characters on a line: A4 portrait, or landscape in a smaller font
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
    return [round(100 * w / total, 1) for w in widths]


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
    line = 150 if len(cols) > 7 else 100
    chars = [max(w * line / 100 - 2, 4.0) for w in column_widths(table)]
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


def unquote(text: str) -> str:
    """A `command` shown as code in HTML and PDF, as plain text (Word, Excel).

    >>> unquote("Run `creative-clusters data import DIR`.")
    'Run creative-clusters data import DIR.'
    """
    return re.sub(r"`([^`]+)`", r"\1", text)

def _code(text: str) -> Markup:
    """Escape text and show `backticked` commands as <code>."""
    parts = re.split(r"`([^`]+)`", str(text))
    out = [escape(p) if i % 2 == 0 else Markup("<code>") + escape(p) + Markup("</code>")
           for i, p in enumerate(parts)]
    return Markup("").join(out)


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("creative_clusters.reporting", "templates"),
                      autoescape=select_autoescape(["html"], default=True),
                      undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False,
                      keep_trailing_newline=True)
    env.filters["cell"] = format_cell
    env.filters["code"] = _code
    env.filters["col_widths"] = column_widths
    env.filters["keep_whole"] = lambda t: table_lines(t) <= KEEP_WHOLE_LINES
    return env


@lru_cache(maxsize=1)
def pack_css() -> str:
    """The pack's stylesheet (screen and print)."""
    return resources.files("creative_clusters.reporting").joinpath("static", "pack.css").read_text("utf-8")


def render_html(ctx: PackContext) -> str:
    """The pack as one HTML string (deterministic for the same context)."""
    return _env().get_template("pack.html").render(ctx=ctx, css=pack_css())


def write_html(ctx: PackContext, path: str | os.PathLike[str]) -> Path:
    """Render and write atomically; returns the path."""
    return atomic_write_text(path, render_html(ctx))
