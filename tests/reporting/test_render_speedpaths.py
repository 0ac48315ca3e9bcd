"""The PDF's speed path changes nothing in the output: the PDF of a pack has the same text and pages
as WeasyPrint run with the garbage collector on, and the paused collector is always switched back on."""

from __future__ import annotations

import gc
import io
import os

import pytest

pytest.importorskip("weasyprint")

from creative_clusters.reporting import render_pdf as RP
from creative_clusters.reporting._io import gc_paused


def test_gc_paused_switches_the_collector_back_on_and_leaves_it_off_if_it_was() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.fixture(scope="module")
def pack_html(synthetic_home) -> str:
    from creative_clusters.reporting.context import build_context
    from creative_clusters.reporting.render_html import render_html
    from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
    from creative_clusters.workflows.pack_data import load_national

    nd = load_national(synthetic_home)
    return render_html(build_context(gather_inputs(nd, resolve_evidence_place(nd, "Alphaville"))))


def test_pdf_matches_weasyprint_with_the_collector_on(pack_html) -> None:
    """Same pages, same text on each, same images and figures as WeasyPrint run with the collector on."""
    pypdf = pytest.importorskip("pypdf")
    from weasyprint import HTML

    assert gc.isenabled()
    plain = HTML(string=pack_html, url_fetcher=RP._inline_only()).write_pdf()
    ours = RP.render_pdf(None, pack_html)
    assert gc.isenabled()

    def pages(pdf: bytes) -> list[str]:
        return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]

    a, b = pages(plain), pages(ours)
    assert len(a) == len(b) > 3
    assert a == b
    for kind in (b"/Subtype /Image", b"/Subtype /Form"):  # raster images; SVG figures' groups
        assert plain.count(kind) == ours.count(kind)
    assert ours.count(b"/Subtype /Form") > 0


def test_build_pack_leaves_the_collector_on(synthetic_home, tmp_path) -> None:
    from creative_clusters.workflows.evidence import build_pack

    assert gc.isenabled()
    _, paths = build_pack("Alphaville", home=synthetic_home, out=tmp_path, formats=("html", "xlsx"))
    assert gc.isenabled()
    assert sorted(p.suffix for p in paths) == [".html", ".xlsx"]
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]  # written via temp + rename
