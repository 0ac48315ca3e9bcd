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

__all__ = ["format_cell", "render_html", "write_html"]


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
    return env


@lru_cache(maxsize=1)
def _css() -> str:
    return resources.files("creative_clusters.reporting").joinpath("static", "pack.css").read_text("utf-8")


def render_html(ctx: PackContext) -> str:
    """The pack as one HTML string (deterministic for the same context)."""
    return _env().get_template("pack.html").render(ctx=ctx, css=_css())


def write_html(ctx: PackContext, path: str | os.PathLike[str]) -> Path:
    """Render and write atomically; returns the path."""
    return atomic_write_text(path, render_html(ctx))
