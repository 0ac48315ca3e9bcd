"""Render the pack to PDF from the same HTML (WeasyPrint).

Two things make WeasyPrint's output come sooner without changing what it
draws (measured on the Sheffield pack, 24 pages, in ``benchmarks/bench_evidence.py``):

* **Python's cyclic garbage collector is paused while a PDF is made**
  (:func:`creative_clusters.reporting._io.gc_paused`). WeasyPrint builds
  hundreds of thousands of small objects (styles, boxes, text lines) that live
  until the document is written; with the collector on, its full collections
  walk them again and again (about a fifth of the time).
* **HarfBuzz's font subsetter** (Debian ``libharfbuzz-subset0``, installed by
  ``scripts/setup.sh`` and ``.ci/run``): WeasyPrint uses it when present;
  without it, it subsets the embedded fonts with fontTools, which decompiles
  the OpenType layout tables only to drop them (a third of a second for DejaVu
  Sans, the pack's font).

One thing changes how the figures' text is drawn, for the better:

* **SVG text is shaped as whole runs** (:func:`_install_whole_run_svg_text`).
  WeasyPrint 70 lays out and draws every character of an SVG ``<text>`` on
  its own, even when the text has one position (every label matplotlib
  writes): a Pango layout per letter, a quarter of the pack's PDF time on
  its figures' 2,500 letters, and no kerning between letters. A run
  without per-glyph positions (one ``x`` and ``y``; no ``dx``, ``dy``,
  ``rotate``, ``textLength``, letter spacing) is laid out and drawn once,
  as SVG 2 asks and as WeasyPrint's own proposal does (Kozea/WeasyPrint
  pull request 2754, issue 2249); any other text takes WeasyPrint's path.

Two more make the same PDF with less work (measured with ``benchmarks/bench_evidence.py``
and cProfile on the Sheffield pack, 31 pages):

* **Each figure goes to WeasyPrint as an image of its SVG** (:func:`_figures_as_images`), an
  ``<img>`` with a ``data:`` URL, instead of inline markup. Inline, the figures' 700 SVG
  elements (three quarters of the page's 400 kB) went through the HTML parser and the CSS
  cascade of the page, for nothing: WeasyPrint draws an inline ``<svg>`` and an SVG image
  with the same code, and the page streams come out the same but for the image's name.
  The figure's description (its ``aria-label``, or its caption's description for a pack
  figure named by its title) becomes the image's ``alt``, which WeasyPrint writes as the
  tagged figure's alternative text (an inline ``<svg>`` got none: WeasyPrint reads only its
  ``<title>``).
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

from creative_clusters.errors import DataSourceError
from creative_clusters.reporting._io import atomic_write_bytes, gc_paused
from creative_clusters.reporting.pack_types import PackContext
from creative_clusters.reporting.render_html import render_html

__all__ = ["render_pdf", "write_pdf"]


def render_pdf(ctx: PackContext | None, html: str | None = None) -> bytes:
    """PDF bytes of the pack; ``html`` reuses an already rendered page (then ``ctx`` may be None)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    _install_whole_run_svg_text()
    if html is None:
        if ctx is None:
            raise ValueError("render_pdf needs the pack context or its rendered HTML")
        html = render_html(ctx)
    html = _figures_as_images(html)
    from weasyprint.urls import FatalURLFetchingError

    # No base_url, and only inline data: (the colour bars of the maps are data: PNGs inside their SVG)
    try:
        with gc_paused():
            # tagged (headings, paragraphs, tables, figures with their alt text): a screen reader can follow
            # it, as public bodies' documents must allow; about a tenth more time
            return HTML(string=html, url_fetcher=_inline_only()).write_pdf(pdf_tags=True)
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: give the reason as our error
        raise DataSourceError(str(exc.__cause__ or exc)) from None


#: The WeasyPrint major version whose SVG text drawing :func:`_install_whole_run_svg_text` was written against.
_WHOLE_RUN_FOR = "70"


class _Run(str):
    """A text that iterates as one piece: WeasyPrint's per-letter loop then lays it out once."""

    __slots__ = ()

    def __iter__(self) -> Any:
        yield str(self)


def _install_whole_run_svg_text() -> bool:
    """Let WeasyPrint shape an SVG text without per-glyph positions as one run (once per process).

    WeasyPrint's ``svg.text.text`` loops over ``node.text`` letter by letter
    (a Pango layout and a text-drawing operator for each). For a text that
    has one ``x`` and one ``y`` and none of ``dx``, ``dy``, ``rotate``,
    ``textLength`` or letter spacing, every letter after the first is placed
    at the cursor the one before left, so the loop over a text that iterates
    as one piece (:class:`_Run`) draws the same run from the same start,
    shaped whole (kerned, and one operator instead of one per letter).
    Anything else, and any other WeasyPrint major version, is left to
    WeasyPrint. Returns whether the whole-run drawing is in force.
    """
    import weasyprint
    from weasyprint import svg as wsvg

    original = getattr(wsvg, "_cc_letter_by_letter", None)
    if original is not None:
        return True
    if weasyprint.__version__.split(".")[0] != _WHOLE_RUN_FOR:
        return False
    from weasyprint.svg.utils import normalize

    letters = wsvg.text

    def text(svg: Any, node: Any, font_size: float) -> Any:
        el = node._etree_node
        s, a = el.text, node.attrib
        whole = (isinstance(s, str) and len(s) > 1 and "\n" not in s
                 and not any(k in a for k in ("dx", "dy", "rotate", "textLength"))
                 and all(len(normalize(a.get(k, "")).split()) <= 1 for k in ("x", "y"))
                 and not svg.length(node.get("letter-spacing"), font_size))
        if not whole:
            return letters(svg, node, font_size)
        el.text = _Run(s)
        try:
            return letters(svg, node, font_size)
        finally:
            el.text = s

    # draw_node compares TAGS entries with the module's ``text``: replace both, so they stay equal
    for tag, fn in list(wsvg.TAGS.items()):
        if fn is letters:
            wsvg.TAGS[tag] = text
    wsvg.text = text
    wsvg._cc_letter_by_letter = letters
    return True


#: An inline SVG (no nested ``<svg>`` in the pack's figures), with its opening tag.
_SVG = re.compile(r"<svg\b([^>]*)>.*?</svg>", re.S)
_LABEL = re.compile(r'\saria-label="([^"]*)"')
#: The description a pack figure's caption gives after its title (``templates/pack.html``): the SVG itself is
#: named by the title only, so the description is read once on screen.
_CAPTION_DESC = re.compile(r'\s*<figcaption>[^<]*(?:<span\b[^>]*>[^<]*</span>[^<]*)*?<span class="desc">([^<]*)</span>')
#: The print sizes of ``figure svg`` in ``static/pack.css``, for the same figure as an image.
_FIGURE_IMG_CSS = ("<style>figure img.svg { max-width: 100%; height: auto; }\n"
                   "@media print { figure img.svg { max-height: 175mm; width: auto; max-width: 100%; } }</style>")


def _figures_as_images(html: str) -> str:
    """The page with each inline ``<svg>`` given as an ``<img>`` of the same SVG (a ``data:`` URL).

    WeasyPrint draws both with the same SVG code; as an image the SVG skips the
    HTML parser and the page's CSS cascade. ``aria-label`` becomes ``alt`` (the
    tagged figure's alternative text); a pack figure's SVG, named by its caption's
    title on screen, gets its caption's description (``<span class="desc">``) as
    ``alt``, the full text a PDF reader gives for the figure. An SVG that is not well-formed XML
    on its own stays inline, as WeasyPrint would have read it.
    """
    from xml.etree import ElementTree

    if "</head>" not in html:
        return html
    made = 0

    def image(m: re.Match[str]) -> str:
        nonlocal made
        svg = m.group(0)
        try:
            ElementTree.fromstring(svg)
        except ElementTree.ParseError:
            return svg
        label = _LABEL.search(m.group(1))
        desc = None if label else _CAPTION_DESC.match(m.string, m.end())
        alt = label.group(1) if label else desc.group(1) if desc else ""
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        made += 1
        return f'<img class="svg" alt="{alt}" src="data:image/svg+xml;base64,{data}">'

    out = _SVG.sub(image, html)
    return out.replace("</head>", _FIGURE_IMG_CSS + "</head>", 1) if made else html


def _inline_only() -> Any:
    """A WeasyPrint fetcher for ``data:`` URLs only; any other URL stops the PDF with a clear error.

    WeasyPrint 70 needs a :class:`weasyprint.URLFetcher` (a plain function
    breaks on its error path, and WeasyPrint then silently drops the rest of
    the SVG being drawn: the maps lost their colour bar and source line).
    """
    from weasyprint import URLFetcher

    class InlineOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise DataSourceError(f"the evidence pack must not load external resources; tried {url[:80]}")
            return super().fetch(url, headers)

    return InlineOnly(allowed_protocols={"data"}, fail_on_errors=True)


def write_pdf(ctx: PackContext | None, path: str | os.PathLike[str], html: str | None = None) -> Path:
    """Render and write atomically; returns the path."""
    return atomic_write_bytes(path, render_pdf(ctx, html))
