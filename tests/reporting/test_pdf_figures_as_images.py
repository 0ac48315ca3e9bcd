"""The PDF gets each figure's SVG as an image (render_pdf._figures_as_images): drawn exactly as the
inline SVG was, with the figure's label as the tagged figure's alternative text."""

from __future__ import annotations

import io
import re

import pytest

pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

from creative_clusters.reporting.render_html import pack_css  # noqa: E402
from creative_clusters.reporting.render_pdf import _figures_as_images, _inline_only, render_pdf  # noqa: E402

LABEL = "Bar chart of creative enterprises: Crafts 2.13 &amp; Design 0.83"


def _svg(width: str, height: str, label: str = LABEL) -> str:
    return (f'<svg role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 400 300" version="1.1"><path d="M 10 10 L 390 10 L 390 290 z" '
            'style="fill: #0072b2"/><text x="20" y="150" style="font: 10px \'DejaVu Sans\'">Crafts</text></svg>')


def _page(*svgs: str) -> str:
    figures = "".join(f"<figure>{s}<figcaption>Figure.</figcaption></figure>" for s in svgs)
    return (f"<html lang='en-GB'><head><style>{pack_css()}</style></head><body><h1>Pack</h1><p>Text.</p>"
            f"{figures}<p>After.</p></body></html>")


def _streams(pdf: bytes) -> list[tuple[str, list[bytes]]]:
    """Each page's drawing operators (the images' names left out: they are hashes of their URL) and the
    streams of the forms and images it draws (the figures)."""
    out = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        ops = re.sub(r"/\w+ Do", "/X Do", page.get_contents().get_data().decode("latin-1"))
        xobjects = page["/Resources"].get("/XObject") or {}
        out.append((ops, sorted(x.get_object().get_data() for x in xobjects.values())))
    return out


def test_the_figures_alt_text_is_their_label() -> None:
    """An inline <svg> became a tagged figure without alternative text (WeasyPrint reads only <title>)."""
    pdf = render_pdf(None, _page(_svg("300pt", "200pt")))
    root = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    alts: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            walk(node.get("/K"))
        elif isinstance(node, list):
            for k in node:
                walk(k)

    walk(root["/StructTreeRoot"])
    assert alts == ["Bar chart of creative enterprises: Crafts 2.13 & Design 0.83"]


@pytest.mark.parametrize("size", [("300pt", "200pt"), ("900pt", "300pt"), ("300pt", "900pt")],
                         ids=["natural", "wider than the page", "taller than 175 mm"])
def test_a_figure_is_drawn_as_the_inline_svg_was(size) -> None:
    """Same pages, same operators (position, scale, paths, text) as WeasyPrint drawing the inline SVG."""
    from weasyprint import HTML

    html = _page(_svg(*size), _svg("200pt", "150pt", "A second figure"))
    render_pdf(None, "<p>warm-up</p>")  # render_pdf's SVG-text drawing in force for both (else order-dependent)
    assert html.count("<svg") == 2 and _figures_as_images(html).count("<svg") == 0
    inline = HTML(string=html, url_fetcher=_inline_only()).write_pdf(pdf_tags=True)
    ours = render_pdf(None, html)
    pages = _streams(ours)
    assert pages == _streams(inline)
    assert sum(ops.count("\n390 290 l\n") for ops, _ in pages) == 2  # both figures' paths were drawn


def test_an_svg_that_is_not_xml_on_its_own_stays_inline() -> None:
    """An HTML entity XML does not know (&nbsp;) would make the image fail to load: such a figure stays inline."""
    odd = _svg("300pt", "200pt").replace(">Crafts<", ">Crafts&nbsp;sector<")
    html = _page(odd)
    assert _figures_as_images(html) == html
    assert "Crafts\xa0sector" in "".join(p.extract_text() for p in
                                          pypdf.PdfReader(io.BytesIO(render_pdf(None, html))).pages)
