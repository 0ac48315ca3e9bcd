"""A table cell that is a web address (the datasets' URLs in Sources and methods) is a link in the HTML, and so in
the PDF, as the references are and as the Word and Excel files make them; it was plain text there."""

from __future__ import annotations

import re

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.reporting.render_html import render_html
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata


def test_dataset_urls_are_links(nd):
    ctx = build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, "Sheffield"), png=TEXT_ONLY))
    urls = {str(v) for s in ctx["sections"] for t in s.get("tables", []) for r in t["rows"] for v in r
            if re.fullmatch(r"https?://\S+", str(v))}
    assert urls, "the premise: some table shows a dataset's web address"
    html = render_html(ctx)
    for u in urls:
        assert f'<a href="{u}">{u}</a>' in html.replace("&amp;", "&"), u
