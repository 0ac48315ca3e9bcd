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
"""

from __future__ import annotations

import os
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
    if html is None:
        if ctx is None:
            raise ValueError("render_pdf needs the pack context or its rendered HTML")
        html = render_html(ctx)
    from weasyprint.urls import FatalURLFetchingError

    # No base_url, and only inline data: (the colour bars of the maps are data: PNGs inside their SVG)
    try:
        with gc_paused():
            # tagged (headings, paragraphs, tables, figures with their alt text): a screen reader can follow
            # it, as public bodies' documents must allow; about a tenth more time
            return HTML(string=html, url_fetcher=_inline_only()).write_pdf(pdf_tags=True)
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: give the reason as our error
        raise DataSourceError(str(exc.__cause__ or exc)) from None


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
