"""The national Companies House reader (chunked, creative rows only) and the resumable download client.

The HTTP responses below are recorded in the documented format of the product
page (links to ``BasicCompanyDataAsOneFile-YYYY-MM-DD.zip`` and its parts) and
of HTTP range requests (RFC 9110: 206 + Content-Range); no test touches the
network.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import warnings
import zipfile

import httpx
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.classifications import dcms
from creative_clusters.errors import DataSourceError, ImportFormatError, ParameterError
from creative_clusters.sources.companies_house import OFFICIAL_HEADER, read_companies_house
from creative_clusters.sources.companies_house_fetch import (
    choose_file,
    choose_parts,
    download,
    fetch_companies_house,
    product_links,
    verify_download,
)
from creative_clusters.testing import write_synthetic_product


def _reference(path):
    """The same selection done naively with pandas on the whole file (the cross-check)."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    t.columns = [c.strip() for c in t.columns]
    t = t[t["CompanyStatus"].str.lower().str.startswith("active")]
    key = t["RegAddress.PostCode"].str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)
    n_at = key.map(key.value_counts())
    sic = t[[f"SICCode.SicText_{i}" for i in range(1, 5)]].apply(lambda c: c.str.strip().str[:4])
    creative = sic.isin(set(dcms.creative_classes())).any(axis=1)
    return t[creative].assign(postcode_companies=n_at[creative])


def test_reader_equals_naive_pandas_on_a_synthetic_product_file(tmp_path):
    p = write_synthetic_product(tmp_path / "SYNTHETIC_BasicCompanyDataAsOneFile-2024-11-01.csv", 20_000,
                                seed=4, postcodes=np.array(["S1 2BX", "s11 9pa", "DN1 1AA", "S2 4SU"], object))
    got = read_companies_house(p, block_bytes=1 << 16)  # many blocks
    want = _reference(p)
    assert got.attrs["rows_read"] == 20_000 and got.attrs["rows_status_kept"] == len(
        pd.read_csv(p, usecols=["CompanyStatus"]).query("CompanyStatus == 'Active'"))
    assert got["CompanyNumber"].tolist() == want["CompanyNumber"].tolist()
    assert got["postcode_companies"].astype(int).tolist() == want["postcode_companies"].astype(int).tolist()
    # zipped, gzipped and split into two monthly parts in a folder: the same rows
    z = tmp_path / "z" / "BasicCompanyDataAsOneFile-2024-11-01.zip"
    z.parent.mkdir()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(p, "BasicCompanyDataAsOneFile-2024-11-01.csv")
    gz = tmp_path / "f.csv.gz"
    gz.write_bytes(gzip.compress(p.read_bytes()))
    lines = p.read_bytes().split(b"\r\n")
    parts = tmp_path / "parts"
    parts.mkdir()
    half = len(lines) // 2
    (parts / "BasicCompanyData-2024-11-01-part2_2.csv").write_bytes(b"\r\n".join([lines[0], *lines[half:]]))
    (parts / "BasicCompanyData-2024-11-01-part1_2.csv").write_bytes(b"\r\n".join(lines[:half]) + b"\r\n")
    for src in (z, gz, parts):
        other = read_companies_house(src, block_bytes=1 << 16)
        assert other["CompanyNumber"].tolist() == got["CompanyNumber"].tolist(), src
        assert other["postcode_companies"].tolist() == got["postcode_companies"].tolist(), src


def test_quoted_newlines_spaces_and_bad_layout(tmp_path):
    head = ",".join(OFFICIAL_HEADER)
    row = ['"ACME, ""FILMS"" LTD"', "00000001", "", "", '"1 HIGH ST\nFLAT 2"'] + [""] * 50
    row[9], row[11], row[26] = "S1 2BX", "Active", "59111 - Motion picture production"
    p = tmp_path / "ch.csv"  # SYNTHETIC row, official layout
    p.write_text(head + "\n" + ",".join(row) + "\n")
    t = read_companies_house(p)
    assert t["CompanyName"].tolist() == ['ACME, "FILMS" LTD'] and t["CompanyNumber"].tolist() == ["00000001"]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,postcode\nA,S1 2BX\n")
    with pytest.raises(ImportFormatError, match="not the Companies House product layout"):
        read_companies_house(bad)


def test_microclusters_pipeline_reads_the_zip(tmp_path):
    from creative_clusters.sources.firm_files import load_creative_firms

    p = write_synthetic_product(tmp_path / "x.csv", 3_000, seed=1, postcodes=np.array(["S1 2BX", "S11 9PA"], object))
    z = tmp_path / "BasicCompanyDataAsOneFile-2024-11-01.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(p, "BasicCompanyDataAsOneFile-2024-11-01.csv")
    d = pd.DataFrame({"key": ["S12BX", "S119PA"], "easting": [435000.0, 433000.0], "northing": [387000.0, 385000.0],
                      "lad_code": ["E08000039", "E08000039"], "terminated": [False, False]})
    import creative_clusters.sources.firm_files as firms_mod

    orig = firms_mod.load_postcode_directory
    firms_mod.load_postcode_directory = lambda *a, **k: d
    try:
        firms, rep = load_creative_firms(z)
    finally:
        firms_mod.load_postcode_directory = orig
    assert rep.n_rows == 3_000 and rep.layout == "Companies House" and rep.address_kind == "registered"
    assert len(firms) == rep.n_creative and (firms["postcode_companies"] > 1000).all()


def test_reader_agrees_with_the_real_south_yorkshire_extract(sy_raw, tmp_path):
    from creative_clusters.sources.firm_files import prepare_firms

    # the real extract rewritten in the official layout (its own columns only; nothing committed)
    t = sy_raw.rename(columns={"Postcode": "RegAddress.PostCode"})
    cols = [c.strip() for c in OFFICIAL_HEADER]
    out = pd.DataFrame({c: t[c] if c in t.columns else None for c in cols})
    p = tmp_path / "sy_official_layout.csv"
    out.to_csv(p, index=False)
    got = read_companies_house(p, status="all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref, _ = prepare_firms(sy_raw, status="all")
    assert got.attrs["rows_read"] == 75_740  # data README
    assert set(got["CompanyNumber"]) == set(ref["firm_id"])  # the same creative companies
    # S11 9PA: 1,602 companies registered there in the whole file (all statuses, all industries)
    at = got.loc[got["RegAddress.PostCode"] == "S11 9PA", "postcode_companies"]
    assert len(at) and (at == 1_602).all()


PAGE = """<html><body><h1>Free Company Data Product</h1>
<p>Last Updated: 01/11/2024</p>
<ul><li><a href="BasicCompanyDataAsOneFile-2024-11-01.zip">BasicCompanyDataAsOneFile-2024-11-01.zip (468Mb)</a></li>
<li><a href="BasicCompanyData-2024-11-01-part1_2.zip">BasicCompanyData-2024-11-01-part1_2.zip (70Mb)</a></li>
<li><a href="BasicCompanyData-2024-11-01-part2_2.zip">BasicCompanyData-2024-11-01-part2_2.zip (70Mb)</a></li>
</ul></body></html>"""
WHOLE = "BasicCompanyDataAsOneFile-2024-11-01.zip"


def _zip_of(csv_name: str, rows: list[list[str]]) -> bytes:
    """A zip in the product's form: one CSV in the official layout (SYNTHETIC companies)."""
    lines = [",".join(OFFICIAL_HEADER)]
    for name, number, postcode, sic in rows:
        cells = [""] * len(OFFICIAL_HEADER)
        cells[0], cells[1], cells[9], cells[11], cells[26] = name, number, postcode, "Active", sic
        lines.append(",".join(cells))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(csv_name, "\r\n".join(lines) + "\r\n")
    return buf.getvalue()


_ROWS = [["SYNTHETIC FILMS LTD", f"{i:08d}", "S1 2BX", "59111 - Motion picture production"] for i in range(300)]
BODIES = {
    WHOLE: _zip_of(WHOLE.replace(".zip", ".csv"), _ROWS),
    "BasicCompanyData-2024-11-01-part1_2.zip": _zip_of("BasicCompanyData-2024-11-01-part1_2.csv", _ROWS[:150]),
    "BasicCompanyData-2024-11-01-part2_2.zip": _zip_of("BasicCompanyData-2024-11-01-part2_2.csv", _ROWS[150:]),
}
BODY = BODIES[WHOLE]


def _server(log, *, honour_range=True, fail_after=None, etag='"v1"', bodies=None):
    """Recorded responses of the product page and its files (RFC 9110 ranges, If-Range on the ETag)."""
    bodies = bodies or BODIES

    def handler(request: httpx.Request) -> httpx.Response:
        log.append((request.url.path, request.headers.get("Range")))
        if request.url.path.endswith("en_output.html"):
            return httpx.Response(200, text=PAGE)
        name = request.url.path.rsplit("/", 1)[-1]
        if name not in bodies:
            return httpx.Response(404)
        body = bodies[name]
        rng = request.headers.get("Range")
        same = request.headers.get("If-Range") in (None, etag)
        if rng and honour_range and same:
            start = int(rng.split("=")[1].rstrip("-"))
            if start >= len(body):
                return httpx.Response(416, headers={"Content-Range": f"bytes */{len(body)}"})
            return httpx.Response(206, content=body[start:], headers={
                "Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}", "ETag": etag})
        sent = body if fail_after is None else body[:fail_after]
        return httpx.Response(200, content=sent, headers={"Content-Length": str(len(body)), "ETag": etag})
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_page_parsing_and_month_choice():
    links = product_links(PAGE)
    assert links[0] == WHOLE and len(links) == 3
    assert choose_file(links) == WHOLE
    assert choose_parts(links) == ["BasicCompanyData-2024-11-01-part1_2.zip", "BasicCompanyData-2024-11-01-part2_2.zip"]
    with pytest.raises(DataSourceError, match=r"only the latest month \(2024-11\)"):
        choose_file(links, month="2024-10")
    with pytest.raises(ParameterError, match="YYYY-MM"):
        choose_file(links, month="2024-13")
    with pytest.raises(DataSourceError, match="missing parts 2"):
        choose_parts(links[:2])


def test_fresh_download_writes_the_checksum_and_no_part(tmp_path):
    log = []
    got = fetch_companies_house(tmp_path, client=_server(log))
    assert got.read_bytes() == BODY and not list(tmp_path.glob("*.part*"))
    assert [r for _, r in log] == [None, None]
    record = (tmp_path / (WHOLE + ".sha256")).read_text()
    assert record == f"{hashlib.sha256(BODY).hexdigest()}  {WHOLE}\n" and verify_download(got)
    got.write_bytes(BODY[:-1] + b"x")  # the copy changed on disk
    assert not verify_download(got)
    # already complete: the page is read again, the file is not
    log.clear()
    got.write_bytes(BODY)
    fetch_companies_house(tmp_path, client=_server(log))
    assert [p for p, _ in log] == ["/en_output.html"]


def test_resume_sends_range_with_if_range_and_appends(tmp_path):
    dest = tmp_path / WHOLE
    url = "https://download.companieshouse.gov.uk/" + WHOLE
    with pytest.raises(DataSourceError, match="resume"):
        download(_server([], fail_after=700), url, dest)
    assert (tmp_path / (WHOLE + ".part")).stat().st_size == 700 and not dest.exists()
    log = []
    download(_server(log), url, dest)
    assert log == [("/" + WHOLE, "bytes=700-")]
    assert dest.read_bytes() == BODY and not list(tmp_path.glob("*.part*"))


def test_changed_file_or_no_range_support_restarts_cleanly(tmp_path):
    dest = tmp_path / WHOLE
    url = "https://download.companieshouse.gov.uk/" + WHOLE
    with pytest.raises(DataSourceError):
        download(_server([], fail_after=600), url, dest)
    # the server's file changed since (new ETag): If-Range fails, the whole file comes with 200
    download(_server([], etag='"v2"'), url, dest)
    assert dest.read_bytes() == BODY
    dest.unlink()
    (tmp_path / (WHOLE + ".part")).write_bytes(b"garbage" * 100)  # no record of where it came from
    download(_server([], honour_range=False), url, dest)
    assert dest.read_bytes() == BODY


def test_part_already_whole_416(tmp_path):
    dest = tmp_path / WHOLE
    (tmp_path / (WHOLE + ".part")).write_bytes(BODY)
    download(_server([]), "https://download.companieshouse.gov.uk/" + WHOLE, dest)
    assert dest.read_bytes() == BODY


def test_damaged_zip_is_deleted_and_never_renamed(tmp_path):
    dest = tmp_path / WHOLE
    bad = BODY[:60] + bytes(400) + BODY[460:]  # right length, damaged inside
    with pytest.raises(DataSourceError, match="zip check"):
        download(_server([], bodies={WHOLE: bad}), "https://download.companieshouse.gov.uk/" + WHOLE, dest)
    assert not dest.exists() and not list(tmp_path.glob("*.part*"))


def test_parts_download_into_a_folder_the_reader_takes(tmp_path):
    log = []
    folder = fetch_companies_house(tmp_path, parts=True, client=_server(log))
    assert folder.name == "BasicCompanyData-2024-11-01"
    assert sorted(p.name for p in folder.glob("*.zip")) == sorted(n for n in BODIES if "part" in n)
    whole = read_companies_house(fetch_companies_house(tmp_path, client=_server([])))
    got = read_companies_house(folder)
    assert got["CompanyNumber"].tolist() == whole["CompanyNumber"].tolist() and len(got) == 300
    assert (got["postcode_companies"] == 300).all()


def test_a_folder_mixing_two_product_dates_is_refused(tmp_path):
    for d in ("2024-10-01", "2024-11-01"):
        (tmp_path / f"BasicCompanyData-{d}-part1_1.zip").write_bytes(BODY)
    with pytest.raises(ImportFormatError, match="more than one product date"):
        read_companies_house(tmp_path)


def test_cli_data_fetch_companies_house(tmp_path, monkeypatch):
    from creative_clusters.cli import app
    from creative_clusters.sources import _http

    log = []
    monkeypatch.setattr(_http, "default_transport", _server(log)._transport)
    r = CliRunner().invoke(app, ["data", "fetch", "companies-house", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / WHOLE).read_bytes() == BODY and "sha256" in r.output
    r = CliRunner().invoke(app, ["data", "fetch", "companies-house", "--parts", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "BasicCompanyData-2024-11-01" / "BasicCompanyData-2024-11-01-part2_2.zip").exists()
    r = CliRunner().invoke(app, ["data", "fetch", "companies-house", "--month", "2023-01", "--out", str(tmp_path)])
    assert r.exit_code == 1 and "only the latest month" in r.output
    r = CliRunner().invoke(app, ["data", "fetch", "bres", "--home", str(tmp_path / "h")])
    assert r.exit_code == 1 and "--geography is required" in r.output


def test_stream_input():
    csv = ",".join(OFFICIAL_HEADER) + "\n" + ",".join(["X LTD", "9"] + [""] * 53) + "\n"
    t = read_companies_house(io.BytesIO(csv.encode()))
    assert t.empty and t.attrs["rows_read"] == 1
