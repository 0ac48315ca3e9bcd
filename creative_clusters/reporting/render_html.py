"""Render the context to one self-contained HTML file (CSS inlined, SVG inline,
no scripts, no web fonts, no external requests) that prints well."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from markupsafe import Markup, escape

from creative_clusters.reporting._io import atomic_write_text
from creative_clusters.reporting._layout import (
    KEEP_WHOLE_LINES,
    column_widths,
    format_cell,
    is_numeric_format,
    is_wide,
    table_lines,
)
from creative_clusters.reporting.pack_types import PackContext

__all__ = ["KEEP_WHOLE_LINES", "column_widths", "format_cell", "pack_css", "render_html", "table_lines",
           "unquote", "write_html"]


def unquote(text: str) -> str:
    """A `command` shown as code in HTML and PDF, as plain text (Word, Excel).

    >>> unquote("Run `creative-clusters data import DIR`.")
    'Run creative-clusters data import DIR.'
    """
    return re.sub(r"`([^`]+)`", r"\1", text)

#: A cell that is one web address and nothing else.
_URL = re.compile(r"https?://[^\s<>\"']+")


#: :func:`_code`: identifiers longer than this may wrap after their underscores.
_LONG_ID = 20
_IDENTIFIER = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")


def _code(text: str) -> Markup:
    """Escape text and show `backticked` commands as <code>.

    A cell that is one web address is a link to it (a link loads nothing until it is followed).

    >>> str(_code("Run `make` <now>")), str(_code("a <b>"))
    ('Run <code>make</code> &lt;now&gt;', 'a &lt;b&gt;')
    >>> str(_code("https://www.nomisweb.co.uk/datasets/idbr"))
    '<a href="https://www.nomisweb.co.uk/datasets/idbr">https://www.nomisweb.co.uk/datasets/idbr</a>'

    A long identifier (a dataset id) may wrap after an underscore (a narrow column broke
    "ons_job_quality_creative_2021_202 / 2"); copied, it is the same text:

    >>> str(_code("ons_job_quality_creative_2021_2022"))
    'ons_<wbr>job_<wbr>quality_<wbr>creative_<wbr>2021_<wbr>2022'
    >>> str(_code("imd2025_england"))
    'imd2025_england'
    """
    text = str(text)
    if _URL.fullmatch(text):
        return Markup('<a href="{0}">{0}</a>').format(text)
    if len(text) > _LONG_ID and _IDENTIFIER.fullmatch(text):  # may wrap after an underscore, not mid-word
        return Markup("_<wbr>").join(escape(p) for p in text.split("_"))
    if "`" not in text:  # most cells: no command to show (the same Markup as the split below gives)
        return Markup(escape(text))
    parts = re.split(r"`([^`]+)`", text)
    out = [escape(p) if i % 2 == 0 else Markup("<code>") + escape(p) + Markup("</code>")
           for i, p in enumerate(parts)]
    return Markup("").join(out)


#: The opening tag of a figure's inline SVG, and the name :mod:`~creative_clusters.reporting.figure_render` gives it.
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_ROLE_OR_LABEL = re.compile(r'\s(?:role|aria-label|aria-labelledby)="[^"]*"')


def _named_by(svg: str, label_id: str) -> Markup:
    """A figure's inline SVG named by the element ``label_id`` (its caption's title) instead of its own
    ``aria-label``.

    The figures are drawn with their alt text as the SVG's ``aria-label``, and the
    caption shows the same text under the title: a screen reader read the long
    description twice, as the image's name and then as the caption. Named by the
    title, the image says what it is and the caption alone carries the description.
    The PDF still gives the description as the figure's alternative text
    (:func:`creative_clusters.reporting.render_pdf._figures_as_images` reads it from the caption).

    >>> str(_named_by('<svg role="img" aria-label="Long text" width="2"><g/></svg>', "f-1-title"))
    '<svg role="img" aria-labelledby="f-1-title" width="2"><g/></svg>'
    """
    def rename(m: re.Match[str]) -> str:
        tag = _ROLE_OR_LABEL.sub("", m.group(0))
        return tag.replace("<svg", f'<svg role="img" aria-labelledby="{escape(label_id)}"', 1)

    return Markup(_SVG_OPEN.sub(rename, str(svg), count=1))


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
    env.filters["wide"] = is_wide
    env.filters["numeric"] = is_numeric_format
    env.filters["named_by"] = _named_by
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
