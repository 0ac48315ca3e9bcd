"""Evidence packs in every format, and user-defined groups, on the web API (web audit round 14, items 6 and 7).

Was: only ``/api/places/{code}/evidence.html`` existed (``evidence.pdf``/``.docx`` were 404s and
``?format=pdf`` was ignored: an HTML pack came back); the CLI's ``profile``/``evidence --name --places``
groups had no web equivalent (``/api/places/E08000019,E08000018/profile`` was a 404).
"""

from __future__ import annotations

import io
import json
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests._raw_series import read_raw

#: Sheffield and Rotherham, by code and by the name the raw series uses.
SHEFFIELD_ROTHERHAM = {"E08000019": "Sheffield", "E08000018": "Rotherham"}
GROUP_Q = "places=E08000019,E08000018&name=Sheffield%20and%20Rotherham"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_text(body: bytes) -> str:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return " ".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
                    if c is not None)


def _docx_text(body: bytes) -> str:
    docx = pytest.importorskip("docx")
    doc = docx.Document(io.BytesIO(body))
    return " ".join(p.text for p in doc.paragraphs) + " ".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)


# ------------------------------------------------------------------ 7. packs in every format


def test_word_pack_is_a_real_docx_named_after_the_place(client):
    r = client.get("/api/places/E06000043/evidence.docx")  # Brighton and Hove
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == DOCX
    assert 'filename="Brighton_and_Hove_E06000043.docx"' in r.headers["content-disposition"]
    assert r.content[:4] == b"PK\x03\x04"  # a zip (OOXML), not HTML
    assert "Brighton and Hove" in _docx_text(r.content)


def test_excel_pack_is_a_real_xlsx_with_the_profiles_count(client):
    r = client.get("/api/places/E06000043/evidence.xlsx")
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == XLSX
    assert 'filename="Brighton_and_Hove_E06000043.xlsx"' in r.headers["content-disposition"]
    assert r.content[:4] == b"PK\x03\x04"
    text = _xlsx_text(r.content)
    assert "Brighton and Hove" in text
    total = client.get("/api/places/E06000043/profile").json()["creative_enterprises"]["total"]["value"]
    assert total > 0 and f"{total:g}" in text  # the same figure as the profile: one producer


def test_pdf_pack_is_a_real_pdf_built_once(client):
    """The one PDF test (several seconds): a PDF that opens, then served from the cache with the same ETag."""
    t = time.perf_counter()
    r = client.get("/api/places/E06000043/evidence.pdf")
    first = time.perf_counter() - t
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/pdf"
    assert 'filename="Brighton_and_Hove_E06000043.pdf"' in r.headers["content-disposition"]
    assert r.content[:5] == b"%PDF-" and r.content.rstrip().endswith(b"%%EOF")
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) > 2
    assert "Brighton" in reader.pages[0].extract_text()
    t = time.perf_counter()
    again = client.get("/api/places/E06000043/evidence.pdf")
    assert again.content == r.content and again.headers["etag"] == r.headers["etag"]
    assert time.perf_counter() - t < first / 3  # from the cache, not built again
    assert client.get("/api/places/E06000043/evidence.pdf",
                      headers={"If-None-Match": r.headers["etag"]}).status_code == 304


@pytest.mark.parametrize("path", ["/api/places/E06000043/evidence.txt", "/api/places/E06000043/evidence.PDF",
                                  "/api/places/E06000043/evidence.html?format=pdf",
                                  "/api/places/E06000043/evidence.pdf?format=html"])
def test_an_unknown_format_is_a_clear_error_not_html(client, path):
    r = client.get(path)
    assert r.status_code == 422
    assert "text/html" not in r.headers["content-type"]
    assert "evidence.pdf" in r.json()["detail"] and "evidence.xlsx" in r.json()["detail"]


def test_an_unknown_place_is_still_a_404_in_any_format(client):
    r = client.get("/api/places/Nowhereville/evidence.xlsx")
    assert r.status_code == 404 and "Nowhereville" in r.json()["detail"]


def test_the_media_types_cover_the_packs_formats():
    from creative_clusters.web.service import PACK_MEDIA_TYPES
    from creative_clusters.workflows.evidence import FORMATS

    assert tuple(PACK_MEDIA_TYPES) == FORMATS


def test_the_page_offers_every_format(client):
    js = client.get("/static/app.js").text
    assert '"/evidence." + ext' in js
    for fmt in ("html", "pdf", "docx", "xlsx"):
        assert f'["{fmt}", ' in js


# ------------------------------------------------------------------ 6. user-defined groups


@pytest.fixture(scope="module")
def group_profile(client):
    r = client.get("/api/groups/profile?" + GROUP_Q)
    assert r.status_code == 200, r.text
    return r.json()


def _contains(web, cli, path="") -> None:
    """Every field of the CLI's JSON is in the web's with the same value (the web adds fields: benchmark,
    cagr_pct, type_label)."""
    if isinstance(cli, dict):
        assert isinstance(web, dict), path
        for k, v in cli.items():
            assert k in web, f"{path}.{k}"
            _contains(web[k], v, f"{path}.{k}")
    elif isinstance(cli, list):
        assert isinstance(web, list) and len(web) == len(cli), path
        for i, (a, b) in enumerate(zip(web, cli, strict=True)):
            _contains(a, b, f"{path}[{i}]")
    else:
        assert web == cli, path


def test_group_profile_equals_the_clis(group_profile, full_home):
    from creative_clusters.cli import app

    res = CliRunner().invoke(app, ["profile", "--name", "Sheffield and Rotherham", "--places", "E08000019,E08000018",
                                   "--json", "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    cli = json.loads(res.stdout)
    assert cli["place"]["code"] == "custom:sheffield-and-rotherham"
    _contains(group_profile, cli)


def test_group_profile_sums_its_members_from_the_raw_files(group_profile, data_root):
    assert group_profile["place"]["member_lads"] == sorted(SHEFFIELD_ROTHERHAM)
    assert group_profile["place"]["name"] == "Sheffield and Rotherham"
    raw = pd.read_csv(data_root / "business_counts" / "business_counts_fact_long_2025_with_codes.csv")
    sic = float(raw[raw["lad23cd"].isin(SHEFFIELD_ROTHERHAM)]["enterprises"].sum())
    assert group_profile["creative_enterprises"]["total"]["value"] == sic
    series, _nation, _active = read_raw(data_root)
    want = sum(series[(name, 2025)] for name in SHEFFIELD_ROTHERHAM.values())
    last = group_profile["trajectory"]["series"][-1]
    assert (last["period"], last["value"]) == ("2025", want)
    # not benchmarked as a single local authority, and says so in the pack's words (not "no place called")
    assert group_profile["benchmark"] == []
    assert "several" in group_profile["benchmark_note"] and "no place called" not in group_profile["benchmark_note"]


def test_group_members_by_name_with_a_comma_and_a_default_name(client):
    """"Bristol, City of" is one entry (group_members joins it); the name defaults to the members' names."""
    r = client.get("/api/groups/profile", params={"places": "Bristol, City of,Bath and North East Somerset"})
    assert r.status_code == 200, r.text
    pl = r.json()["place"]
    assert pl["member_lads"] == ["E06000022", "E06000023"]  # Bath and NE Somerset, Bristol
    assert pl["name"] == "Bristol and Bath and North East Somerset"


def test_the_cache_key_holds_the_members(client, group_profile):
    """The same name with other members is another group (its code is made from the name only)."""
    r = client.get("/api/groups/profile?places=E08000019&name=Sheffield%20and%20Rotherham")
    assert r.status_code == 200
    alone = r.json()
    assert alone["place"]["data_codes"] == ["E08000019"]  # one LAD: no member list, its data code
    assert alone["creative_enterprises"]["total"]["value"] < group_profile["creative_enterprises"]["total"]["value"]


def test_a_bad_member_is_a_404_with_the_resolvers_message(client):
    r = client.get("/api/groups/profile?places=E08000019,Nowhereville")
    assert r.status_code == 404
    body = r.json()
    assert "Nowhereville" in body["detail"] and "local authorities" in body["detail"]
    assert isinstance(body["suggestions"], list)
    # a travel-to-work area is not made of local authorities (a region is taken as its own: round 18)
    r = client.get("/api/groups/profile", params={"places": "E08000019,ttwa:Leeds"})
    assert r.status_code == 404


@pytest.mark.parametrize("query", ["", "places=", "places=%20,%20", "places=E08000019&name=%3Cb%3E"])
def test_a_group_without_members_or_with_a_bad_name_is_a_422(client, query):
    assert client.get("/api/groups/profile?" + query).status_code == 422


def test_group_pack_is_named_after_the_group(client):
    r = client.get("/api/groups/evidence.xlsx?" + GROUP_Q)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == XLSX
    assert 'filename="Sheffield_and_Rotherham.xlsx"' in r.headers["content-disposition"]
    text = _xlsx_text(r.content)
    assert "Sheffield and Rotherham" in text and "Rotherham" in text
    assert client.get("/api/groups/evidence.txt?" + GROUP_Q).status_code == 422
