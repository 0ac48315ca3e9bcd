"""Evidence pack on a SYNTHETIC warehouse (see conftest.py): context, renderers, determinism, CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from creative_clusters.errors import PlaceNotFoundError
from creative_clusters.reporting.context import build_context
from creative_clusters.workflows.evidence import build_pack, gather_inputs, resolve_evidence_place
from creative_clusters.workflows.pack_data import load_national


@pytest.fixture(scope="module")
def national(synthetic_home):
    return load_national(synthetic_home)


@pytest.fixture(scope="module")
def pack(national, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    ctx, paths = build_pack("Alphaville", national=national, out=out, build_date="2025-06-30",
                            subsectors=["film"], composite=True)
    return ctx, {p.suffix: p for p in paths}


def test_context_sections_and_numbers(pack, national):
    ctx, _ = pack
    assert [s["number"] for s in ctx["sections"]] == list(range(1, 10))
    for s in ctx["sections"]:
        assert s["status"] in ("ok", "partial", "missing")
        assert set(s) >= {"title", "status", "sentences", "tables", "figures", "missing", "sources"}
        if s["status"] != "ok":
            assert s["missing"], s["id"]
    by = {s["id"]: s for s in ctx["sections"]}
    # headline: Alphaville's creative enterprises = sum of its synthetic class counts
    ent = national.enterprises.loc["E09000090"].sum()
    assert ctx["headline"][0]["raw"] == ent
    assert f"{int(ent):,} creative enterprises" in by["scale"]["sentences"][0]
    share = ent / national.enterprises.to_numpy().sum() * 100
    assert ctx["headline"][1]["raw"] == pytest.approx(share)
    # the benchmark lists gaps and never scores them
    bench = by["benchmark"]["tables"][0]
    gaps = [r for r in bench["rows"] if r[6] == "gap"]
    assert any(r[1].startswith("Business R&D") for r in gaps)
    assert all(r[3] is None and r[2] is None for r in gaps)
    assert any("renormalised" in s for s in by["benchmark"]["sentences"])  # composite was requested
    # the focus sub-sector is listed first
    assert by["scale"]["tables"][0]["rows"][0][0].endswith("(focus)")
    assert ctx["subsectors"] == [{"code": "film_tv", "name": "Film, TV, video, radio and photography"}]
    # peers exclude the place; 11 synthetic candidate boroughs: at most half of them (5), not 10 of 11
    assert "E09000090" not in [p["code"] for p in ctx["peers"]] and len(ctx["peers"]) == 5
    # missing data is explained, with the command to get it
    assert any("data import" in m or "data fetch" in m for m in by["growth"]["missing"])
    assert ctx["build_date"] == "2025-06-30"
    assert ctx["definitions_version"].startswith("DCMS-CI")


def test_place_with_a_gap_shows_it(national):
    ctx = build_context(gather_inputs(national, resolve_evidence_place(national, "E08000095"), png=False))
    bench = next(s for s in ctx["sections"] if s["id"] == "benchmark")["tables"][0]["rows"]
    gva = next(r for r in bench if r[1].startswith("GVA per hour"))
    assert gva[6] == "gap" and gva[2] is None and gva[3] is None


def test_group_of_places_sums_counts(national):
    pl = resolve_evidence_place(national, name="Twin Boroughs", places=["E09000091", "E09000092"])
    ctx = build_context(gather_inputs(national, pl, png=False))
    expect = national.enterprises.loc[["E09000091", "E09000092"]].to_numpy().sum()
    assert ctx["headline"][0]["raw"] == expect
    assert ctx["place"]["geo_type"] == "custom"
    # no national rank for a group
    assert not any(h["label"].startswith("Rank") for h in ctx["headline"])


def test_unknown_place_gets_suggestions(national):
    with pytest.raises(PlaceNotFoundError) as err:
        resolve_evidence_place(national, "Alphavile")
    assert "Alphaville" in str(err.value) or "Alphaville" in err.value.suggestions


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad: list[tuple[str, str, str]] = []
        self.anchors: list[str] = []
        self.in_refs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ol" and "refs" in (a.get("class") or ""):
            self.in_refs += 1
        if tag == "script" and a.get("src"):
            self.bad.append((tag, "src", a["src"]))
        if tag == "link" and a.get("href"):
            self.bad.append((tag, "href", a["href"]))
        for k, v in a.items():
            external = bool(v) and re.match(r"(?i)\s*(https?:)?//", v)
            if k in ("src", "href", "xlink:href", "data", "poster", "srcset") and external:
                if tag == "a" and k == "href":  # a link loads nothing until it is followed
                    if self.in_refs:
                        self.anchors.append(v)
                else:
                    self.bad.append((tag, k, v))
        style = a.get("style") or ""
        if "url(" in style:
            self.bad.append((tag, "style", style))

    def handle_endtag(self, tag):
        if tag == "ol" and self.in_refs:
            self.in_refs -= 1


def test_html_makes_no_network_request(pack):
    _, files = pack
    html = files[".html"].read_text("utf-8")
    p = _Links()
    p.feed(html)
    assert p.bad == []
    assert p.anchors, "the reference list should link to the reports"
    assert "@import" not in html and "url(http" not in html and "<script" not in html
    assert "<style>" in html and "<svg" in html


@pytest.mark.browser
def test_html_loads_offline_in_headless_chromium(pack, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium not installed")
    _, files = pack
    log = tmp_path / "net.log"
    # block every host; a request would show up as a failed load in the net log
    r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--host-resolver-rules=MAP * ~NOTFOUND", f"--log-net-log={log}",
                        "--dump-dom", files[".html"].as_uri()], capture_output=True, text=True, timeout=60)
    assert "Creative cluster evidence" in r.stdout
    net = log.read_text() if log.exists() else ""
    urls = set(re.findall(r'"url":"(https?://[^"/]+)', net))
    # Chromium's own background services are not requests made by the page
    browser_own = re.compile(r"https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)$")
    assert {u for u in urls if not browser_own.match(u)} == set()



#: For each table header cell: its words that the browser split over two lines.
_SPLIT_WORDS_JS = """() => {
  const out = [];
  for (const th of document.querySelectorAll('th')) {
    const node = th.firstChild;
    if (!node || node.nodeType !== 3) continue;
    const re = /\\S+/g; let m;
    while ((m = re.exec(node.data)) !== null) {
      const r = document.createRange();
      r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].map(q => Math.round(q.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out;
}"""


@pytest.mark.browser
def test_table_headers_wrap_between_words_on_screen(pack):
    """On screen the benchmark table's headers broke mid-word ("Percen|tile"): the stylesheet let a header
    break anywhere, so the automatic table layout squeezed those columns to a letter or two."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium not installed")
    _, files = pack
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            for width in (1280, 900):
                page = b.new_page(viewport={"width": width, "height": 900})
                page.goto(files[".html"].as_uri())
                assert page.locator("th").count() > 20
                assert page.evaluate(_SPLIT_WORDS_JS) == [], width
                page.close()
        finally:
            b.close()

def _pdf_text(path: Path) -> str | None:
    try:
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)
    except ImportError:
        pass
    exe = shutil.which("pdftotext")
    if exe:
        return subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, text=True).stdout
    return None


def test_pdf_contains_headline_numbers(pack):
    ctx, files = pack
    assert files[".pdf"].read_bytes()[:5] == b"%PDF-"
    text = _pdf_text(files[".pdf"])
    if text is None:
        pytest.skip("neither pypdf nor pdftotext is available to read the PDF")
    for h in ctx["headline"][:3]:
        assert h["value"] in text, h


def test_stylesheet_reaches_the_page_unescaped_and_pdf_pages_are_numbered(pack):
    """The <style> holds the packaged CSS as written: escaped, its quoted values ("Page " in the
    footer, quoted font names) were void, so the PDF had no page numbers and the fonts fell back."""
    from creative_clusters.reporting.render_html import pack_css

    _ctx, files = pack
    html = files[".html"].read_text("utf-8")
    style = re.search(r"<style>(.*?)</style>", html, flags=re.S).group(1)
    assert pack_css().strip() in style and "&#34;" not in style
    text = _pdf_text(files[".pdf"])
    if text is None:
        pytest.skip("neither pypdf nor pdftotext is available to read the PDF")
    from pypdf import PdfReader

    n = len(PdfReader(str(files[".pdf"])).pages)
    assert f"Page 1 of {n}" in text and f"Page {n} of {n}" in text


def test_a_section_opening_with_a_wide_table_keeps_its_heading_on_the_tables_page(pack):
    """'9. Sources and methods' sat alone at the foot of a portrait page: its first table is wide, so it
    starts a landscape page, and the heading stayed behind."""
    pytest.importorskip("pypdf")
    from pypdf import PdfReader

    _ctx, files = pack
    pages = [p.extract_text() for p in PdfReader(str(files[".pdf"])).pages]
    heading = [i for i, t in enumerate(pages) if re.search(r"\d+\. Sources and methods", t)]
    assert len(heading) == 1 and "Datasets used" in pages[heading[0]]


def test_docx_has_headings_tables_and_figures(pack):
    from docx import Document

    ctx, files = pack
    doc = Document(str(files[".docx"]))
    heads1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads1[:2] == ["1. Summary", "2. Scale and specialisation"] and len(heads1) == 9
    assert any(p.style.name == "Heading 2" for p in doc.paragraphs)
    # the tables the HTML shows (the literature is a reference list there too), minus facts, plus headline
    n_tables = sum(1 for s in ctx["sections"] for t in s["tables"] if t.get("html", True)) - 1 + 1
    assert len(doc.tables) == n_tables
    # table titles are captions, not headings (a panel's navigation pane lists sections, not 40 tables)
    captions = {p.text for p in doc.paragraphs if p.style.name == "Caption"}
    heads = {p.text for p in doc.paragraphs if p.style.name.startswith("Heading")}
    titles = {t["title"] for s in ctx["sections"] for t in s["tables"] if t.get("html", True)}
    assert titles - {"Key findings, ranked"} <= captions and not titles & heads
    # each reference is listed once
    refs = [r["citation"] for s in ctx["sections"] for r in s.get("references", [])]
    text = "\n".join(p.text for p in doc.paragraphs) + "".join(c.text for t in doc.tables for r in t.rows
                                                              for c in r.cells)
    assert refs and all(text.count(c) == 1 for c in refs)
    scale = next(s for s in ctx["sections"] if s["id"] == "scale")["tables"][0]
    found = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == scale["columns"]]
    assert found and len(found[0].rows) == len(scale["rows"]) + 1
    assert len(doc.inline_shapes) >= 2


def test_docx_is_a4_numbered_with_repeating_headers_and_bid_guidance(pack):
    """Word came out US Letter, without page numbers, with long tables that lost their header row on
    the next page, and without the findings' guidance the HTML and PDF carry."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm

    ctx, files = pack
    doc = Document(str(files[".docx"]))
    sec = doc.sections[0]
    assert (round(sec.page_width / Mm(1)), round(sec.page_height / Mm(1))) == (210, 297)
    instr = [f.get(qn("w:instr")) for f in sec.footer._element.iter(qn("w:fldSimple"))]
    assert instr == ["PAGE", "NUMPAGES"] and "Page" in sec.footer.paragraphs[0].text
    body = [t for t in doc.tables if len(t.rows) > 1]
    assert body and all(t.rows[0]._tr.trPr is not None
                        and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in body)
    text = "\n".join(p.text for p in doc.paragraphs)
    found = [f for kind in ("strength", "weakness", "inconclusive")
             for f in ctx["sections"][0].get("findings", {}).get(kind, [])]
    assert found and all(f["so_what"] in text for f in found if f.get("so_what"))
    assert "What this means for your bid" in text


def test_baseline_percentages_are_fractions_in_excel_like_every_other_sheet(pack):
    """The README says percentages are stored as fractions; the Baselines sheet stored 4.1 beside a '%' unit."""
    from openpyxl import load_workbook

    ctx, files = pack
    base = next(t for t in ctx["sections"][0]["tables"] if t["title"].startswith("Baselines"))
    pct_rows = [r for r in base["rows"] if str(r[2]).startswith("%")]
    assert pct_rows
    wb = load_workbook(files[".xlsx"])
    ws = next(wb[n] for n in wb.sheetnames if "Baselines" in n)
    cells = {str(ws.cell(row=i, column=1).value): ws.cell(row=i, column=2) for i in range(4, ws.max_row + 1)}
    for r in pct_rows:
        cell = cells[str(r[0])]
        assert cell.value == pytest.approx(r[1] / 100) and cell.number_format == "0.0%", (r, cell.value)
    assert not any(r[1] == 1 and str(r[2]).endswith("s") for r in base["rows"]), "'1 sub-sectors'"


def test_xlsx_years_are_numbers(pack):
    """Years were stored as text ('2010'), which Excel flags and will not sort or chart as numbers."""
    from openpyxl import load_workbook

    _ctx, files = pack
    wb = load_workbook(files[".xlsx"])
    found = 0
    for ws in wb.worksheets:
        if ws.max_row >= 4 and ws.cell(row=3, column=1).value == "Year":
            vals = [ws.cell(row=i, column=1).value for i in range(4, ws.max_row + 1)]
            years = [v for v in vals if v is not None and str(v).isdigit()]
            found += len(years)
            assert all(isinstance(v, int) for v in years), (ws.title, years[:3])
    assert found


def test_xlsx_has_every_table_and_sources(pack):
    from openpyxl import load_workbook

    ctx, files = pack
    wb = load_workbook(files[".xlsx"])
    assert wb.sheetnames[:2] == ["README", "Summary"] and wb.sheetnames[-1] == "Sources"
    assert len(wb.sheetnames) == 3 + sum(len(s["tables"]) for s in ctx["sections"])
    readme = " ".join(str(c.value) for c in wb["README"]["A"] if c.value)
    assert "stored as fractions" in readme and "Sources" in readme
    ws = wb[wb.sheetnames[2]]
    assert ws["A1"].value == ctx["sections"][0]["tables"][0]["title"]
    scale_ws = next(wb[n] for n in wb.sheetnames if n.startswith("2.1"))
    values = [c.value for c in scale_ws["B"]][3:]
    assert ctx["headline"][0]["raw"] in values  # the all-creative total is a number, not text
    src = [r[0].value for r in wb["Sources"].iter_rows(min_row=4) if r[0].value]
    assert "business_counts_2025" in src
    # tabs without the place's name (every sheet is about it): "4.2 Peer places of West" was cut mid-name
    place = ctx["place"]["name"]
    assert any(place in t["title"] for s in ctx["sections"] for t in s["tables"])
    assert not any(place.split()[0] in n for n in wb.sheetnames)
    # shares are fractions formatted as percentages; counts have separators and no decimals
    share_col = next(c for c in scale_ws[3] if c.value == "Share of England (%)").column
    share = scale_ws.cell(row=4, column=share_col)
    assert share.number_format == "0.00%" and 0 <= share.value < 1
    count = scale_ws.cell(row=4, column=2)
    assert count.number_format == "#,##0"
    assert scale_ws.freeze_panes == "A4"


def test_same_inputs_give_byte_identical_html_and_xlsx(national, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        build_pack("E09000091", national=national, out=d, formats=("html", "xlsx"), build_date="2025-01-02")
    for name in ("html", "xlsx"):
        fa = next(a.glob(f"*.{name}")).read_bytes()
        fb = next(b.glob(f"*.{name}")).read_bytes()
        assert fa == fb, name
    # without a build date, no date appears in the HTML
    c = tmp_path / "c"
    build_pack("E09000091", national=national, out=c, formats=("html",))
    import datetime as dt

    html = next(c.glob("*.html")).read_text()
    # the only dates are the import dates of the datasets (data, in the sources table), never the build date
    start = html.index("Datasets used")
    outside = html[:start] + html[html.index("</table>", start):]
    assert "Built " not in html and dt.date.today().isoformat() not in outside


def test_cli_evidence_and_research(synthetic_home, tmp_path):
    from typer.testing import CliRunner

    from creative_clusters.cli import app

    r = CliRunner().invoke(app, ["evidence", "Alphaville", "--format", "html,xlsx", "--out", str(tmp_path),
                                 "--home", str(synthetic_home), "--build-date", "2025-01-01"])
    assert r.exit_code == 0, r.output
    assert len(list(tmp_path.glob("Alphaville_*"))) == 2
    r = CliRunner().invoke(app, ["evidence", "Nowhereshire", "--format", "html", "--out", str(tmp_path),
                                 "--home", str(synthetic_home)])
    assert r.exit_code == 1 and "Error:" in r.output
    r = CliRunner().invoke(app, ["evidence", "Alphaville", "--format", "odt", "--home", str(synthetic_home)])
    assert r.exit_code == 1 and "--format" in r.output
    r = CliRunner().invoke(app, ["research", "--theme", "FDI and trade", "--json"])
    assert r.exit_code == 0 and "pec2024_fdi" in r.output


def test_all_builds_every_place_in_parallel(national, tmp_path):
    from creative_clusters.workflows.evidence import build_all

    seen = []
    paths = build_all(out=tmp_path, formats=("xlsx",), workers=2, national=national, limit=4,
                      progress=lambda i, n, c: seen.append(c))
    assert len(paths) == 4 and len(seen) == 4


def test_hooks_for_clusters_microclusters_and_workforce(national):
    import pandas as pd

    pl = resolve_evidence_place(national, "Alphaville")
    inp = gather_inputs(national, pl, png=False)
    inp.clusters = pd.DataFrame({"method": ["Nesta co-location rule", "Nesta co-location rule"],
                                 "geo_code": ["E09000090", "E09000091"], "is_cluster": [True, False],
                                 "detail": ["", ""]})
    inp.corridors = pd.DataFrame({"corridor": ["the corridor of Alphaville"], "members": ["E09000090,E09000093"],
                                  "detail": ["2 clustered local authorities"]})
    inp.microclusters = pd.DataFrame({"cluster_id": [7], "n_firms": [120], "national_rank": [12],
                                      "geo_code": ["E09000090"]})
    inp.microclusters_national = 700
    inp.workforce = {"sentences": ["Synthetic workforce sentence."], "tables": [], "sources": [], "missing": []}
    ctx = build_context(inp)
    by = {s["id"]: s for s in ctx["sections"]}
    assert "Alphaville is a creative cluster under the Nesta co-location rule." in by["summary"]["sentences"]
    assert "Detected cluster" in {f["topic"] for f in by["summary"]["findings"]["strength"]}
    assert by["microclusters"]["sentences"][0] == (
        "Alphaville contains 1 creative microcluster with 120 firms; the largest ranks 12th of the 700 "
        "microclusters found, whose firm file may not cover the whole country.")
    assert by["connections"]["sentences"] == [
        "Alphaville belongs to the corridor of Alphaville (2 clustered local authorities)."]
    assert "Synthetic workforce sentence." in by["workforce"]["sentences"]
    assert not any("creative_clusters.people" in m for m in by["workforce"]["missing"])


def test_all_reports_every_failure_and_writes_the_rest(national, tmp_path, monkeypatch):
    import pytest

    from creative_clusters.workflows import evidence as E

    real = E._one
    codes = E.level_codes(national, "lad")[:3]

    def flaky(code, *args):
        if code == codes[1]:
            raise KeyError("boom")
        return real(code, *args)

    monkeypatch.setattr(E, "_one", flaky)
    with pytest.raises(E.PackBatchError) as err:
        E.build_all(out=tmp_path, formats=("xlsx",), workers=1, national=national, limit=3)
    # the place named with its code, the reason without Python's class name (round 18)
    assert set(err.value.failures) == {codes[1]} and "boom" in str(err.value) and "KeyError" not in str(err.value)
    assert f"{national.names[codes[1]]} ({codes[1]})" in str(err.value)
    assert "1 of 3 packs failed (2 written)" in str(err.value) and len(err.value.paths) == 2


def _worker_gc_state(nd):
    import gc

    from creative_clusters.workflows import evidence as E

    E._init_batch_worker(nd)
    return gc.get_threshold(), gc.get_freeze_count(), E._NATIONAL is nd


def test_batch_workers_settle_the_collector_and_the_caller_keeps_its_own(national):
    """The pool's workers freeze the national tables out of the cyclic collector and collect young objects
    less often; the process that asks for the batch keeps Python's settings."""
    import gc
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from creative_clusters.workflows.evidence import BATCH_GC_THRESHOLDS

    before = gc.get_threshold()
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork")) as ex:
        thresholds, frozen, has_tables = ex.submit(_worker_gc_state, national).result()
    assert thresholds == BATCH_GC_THRESHOLDS and frozen > 0 and has_tables
    assert gc.get_threshold() == before
