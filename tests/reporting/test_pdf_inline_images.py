"""The PDF draws the images inside the pack's SVG figures (the maps' colour bars) and loads nothing else."""

from __future__ import annotations

import base64
import io

import pytest

pytest.importorskip("weasyprint")

from creative_clusters.reporting.render_pdf import render_pdf


def _png() -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 16), (230, 159, 0)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _page(href: str) -> str:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100pt" '
           f'height="100pt" viewBox="0 0 100 100"><image x="10" y="10" width="8" height="32" xlink:href="{href}"/>'
           '<text x="10" y="90">Source line</text></svg>')
    return f"<html><body><figure>{svg}</figure></body></html>"


def test_inline_data_image_in_svg_is_drawn() -> None:
    """Before the fix, a data: image in an SVG made WeasyPrint drop the rest of that figure."""
    pdf = render_pdf(None, _page("data:image/png;base64," + _png()))
    assert pdf.count(b"/Subtype /Image") == 1


def test_external_resources_are_refused() -> None:
    from creative_clusters.errors import DataSourceError

    page = '<html><body><p>x</p><img src="https://example.org/tracker.png" alt="x"></body></html>'
    with pytest.raises(DataSourceError, match=r"must not load external resources; tried https://example\.org"):
        render_pdf(None, page)
    # inside a figure's SVG, WeasyPrint logs the refusal and leaves the image out: still nothing is fetched
    assert b"/Subtype /Image" not in render_pdf(None, _page("https://example.org/tracker.png"))
