"""A pack's PDF on the web is drawn from its HTML page, built once for both.

Was: ``evidence.pdf`` built the whole pack again (statistics, figures, page; about 3 s warm) even when
the browser had just opened the same pack's ``evidence.html``, the usual path (read the pack, then
download it). The CLI already makes both from one page (``evidence --format html,pdf``).
"""

from __future__ import annotations

import io

import pytest

import creative_clusters.workflows.evidence as evidence_workflow


@pytest.fixture()
def builds(monkeypatch):
    """How many packs the service builds (each call of the CLI's ``build_pack``)."""
    calls: list[tuple[object, ...]] = []
    real = evidence_workflow.build_pack

    def counting(*args, **kwargs):
        calls.append((args, tuple(kwargs.get("formats", ()))))
        return real(*args, **kwargs)

    monkeypatch.setattr(evidence_workflow, "build_pack", counting)
    return calls


def _pdf_text(body: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)


def test_the_pdf_after_the_html_builds_no_second_pack(client, builds):
    html = client.get("/api/places/E06000023/evidence.html?subsector=music")
    assert html.status_code == 200, html.text[:300]
    assert len(builds) == 1 and builds[0][1] == ("html",)
    pdf = client.get("/api/places/E06000023/evidence.pdf?subsector=music")
    assert pdf.status_code == 200, pdf.text[:300]
    assert len(builds) == 1  # the HTML's pack, not a second one
    assert pdf.content[:5] == b"%PDF-"
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == html.headers["content-disposition"].replace(".html", ".pdf")
    text = " ".join(_pdf_text(pdf.content).split())
    assert "Bristol" in text and "Music" in text  # the same place and focus as the page


def test_a_group_pdf_first_keeps_its_page_for_the_html(client, builds):
    q = "places=E08000019,E08000018&name=South%20Yorkshire%20pair&subsector=film"
    pdf = client.get(f"/api/groups/evidence.pdf?{q}")
    assert pdf.status_code == 200, pdf.text[:300]
    assert pdf.content[:5] == b"%PDF-"
    assert [f for _, f in builds] == [("html",)]
    html = client.get(f"/api/groups/evidence.html?{q}")
    assert html.status_code == 200
    assert len(builds) == 1  # the page the PDF was drawn from
    assert "South Yorkshire pair" in html.text
    assert pdf.headers["content-disposition"] == html.headers["content-disposition"].replace(".html", ".pdf")
