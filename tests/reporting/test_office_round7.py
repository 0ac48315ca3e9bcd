"""Seventh review, Word and Excel (each test failed before its fix).

Word: figures without alt text, `backticks` shown raw, tables at python-docx's equal column widths with
numbers set left and wide tables squeezed onto portrait pages. Excel: long text cut off in unwrapped
columns, web addresses as plain text, microcluster percentages stored as 39.11 under a README that says
fractions, and sheet names cut at 31 characters differently from place to place.

The first tests render a small hand-built context (made-up text); the last ones real packs.
"""

from __future__ import annotations

import base64
import io
import re

import pytest

from creative_clusters.reporting._layout import is_numeric_format, is_wide
from creative_clusters.reporting.render_html import column_widths, format_cell, render_html

CMD = "creative-clusters data status --json"
URL = "https://example.org/creative/report.pdf"
LONG = "A finding of running text long enough to need wrapping in a spreadsheet cell " * 3


def _png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=20)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _sec(sid: str, number: int, **kw):
    base = {"id": sid, "number": number, "title": f"Section {number}", "status": "ok", "sentences": [],
            "tables": [], "figures": [], "missing": [], "sources": []}
    return {**base, **kw}


def _ctx():
    wide = {"title": "Shift-share of Placeville, 2015–2018",
            "columns": ["Sub-sector", *[f"Measure number {k}" for k in range(1, 12)]],
            "rows": [["Music, performing and visual arts", *[1234.5 * k for k in range(1, 12)]],
                     ["IT, software and computer services", *[-2.25 * k for k in range(1, 12)]]],
            "formats": ["text", *["num1"] * 11], "notes": [f"Run `{CMD}` to see the vintages."]}
    swot = {"title": "SWOT scaffold", "columns": ["Quadrant", "Item", "Basis"],
            "rows": [["Strength", LONG, "data"], ["Threat", "Short prompt", "prompt"]],
            "formats": ["text"] * 3, "notes": []}
    nums = {"title": "Creative enterprises, Placeville, 2010–2025", "columns": ["Year", "Creative enterprises",
                                                                            "Share (%)"],
            "rows": [["2010", 1610, 1.23], ["2025", 2825, 1.5]], "formats": ["text", "int", "pct"], "notes": []}
    refs = {"title": "Research and data to cite", "columns": ["Reference", "URL"],
            "rows": [["A report (2024)", URL]], "formats": ["text", "text"], "notes": [], "html": False}
    fig = {"title": "Creative business LQs, Placeville", "alt": "Bar chart of LQs for Placeville by sub-sector.",
           "svg": "", "png_base64": _png()}
    return {
        "title": "Creative cluster evidence: Placeville", "generator": "creative-clusters test",
        "place": {"name": "Placeville", "ref": "E06000999", "members": ["E06000999"], "label": "Placeville"},
        "subsectors": [], "peers": [], "definitions_version": "DCMS 2023", "framework_version": "framework 1.3",
        "headline": [{"label": "Creative enterprises", "value": "2,825", "raw": 2825.0, "note": f"see `{CMD}`",
                      "format": "int"}],
        "sections": [
            _sec("summary", 1, sentences=[f"Placeville has data (`{CMD}`)."], tables=[swot]),
            _sec("scale", 2, sentences=["Placeville is creative."], figures=[fig], tables=[nums, wide, swot]),
            _sec("research", 8, tables=[refs], references=[{"citation": "A report (2024)", "url": URL, "link": True,
                                                       "themes": "t", "summary": "s", "why": "w",
                                                       "verified": "v"}]),
            _sec("sources", 9, methods=[f"Vintages: `{CMD}`."], missing=[f"Import it: `{CMD}`."],
                 tables=[{"title": "Datasets used", "columns": ["Dataset", "URL"], "rows": [["bc", URL]],
                          "formats": ["text", "text"], "notes": [f"Check with `{CMD}`."]}]),
        ],
        "sources": [{"id": "bc", "title": "Business counts", "publisher": "ONS", "vintage": "2025",
                     "licence": "OGL", "attribution": "ONS", "source_url": URL}],
        "caveats": [f"Counts are rounded (`{CMD}`)."], "build_date": "2025-06-30",
    }


@pytest.fixture(scope="module")
def ctx():
    return _ctx()


@pytest.fixture(scope="module")
def doc(ctx):
    from docx import Document

    from creative_clusters.reporting.render_docx import render_docx

    return Document(io.BytesIO(render_docx(ctx)))


@pytest.fixture(scope="module")
def wb(ctx):
    from openpyxl import load_workbook

    from creative_clusters.reporting.render_xlsx import render_xlsx

    return load_workbook(io.BytesIO(render_xlsx(ctx)))


def _shown(ctx):
    """The pack tables Word shows, in order (the headline table first is not among them)."""
    return [t for s in ctx["sections"] for t in s["tables"] if t.get("html", True)
            and not (s["id"] == "summary" and t["title"] == "Key findings, ranked")]


# ---- Word ----------------------------------------------------------------------------------------------


def test_docx_figures_have_their_alt_text_and_title(doc, ctx):
    from docx.oxml.ns import qn

    fig = ctx["sections"][1]["figures"][0]
    props = list(doc.element.body.iter(qn("wp:docPr")))
    assert len(props) == 1
    assert props[0].get("descr") == fig["alt"] and props[0].get("title") == fig["title"]


def test_docx_code_spans_are_monospace_without_backticks(doc):
    paras = list(doc.paragraphs) + [p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    text = "\n".join(p.text for p in paras)
    assert "`" not in text
    # sentence, headline note, table note, method, caveat and missing item: each shows the command in monospace
    code_runs = [r for p in paras for r in p.runs if r.text == CMD]
    assert len(code_runs) >= 6 and all(r.font.name == "Consolas" for r in code_runs)
    assert not [r for p in paras for r in p.runs if r.text != CMD and r.font.name == "Consolas"]


def _section_of_tables(doc):
    """The index of the section each Word table lies in (a paragraph's sectPr ends a section)."""
    from docx.oxml.ns import qn

    out, k = [], 0
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:tbl"):
            out.append(k)
        elif el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            k += 1
    return out


def test_docx_tables_have_proportional_widths_and_numbers_set_right(doc, ctx):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    tables = doc.tables[1:]  # after the headline figures
    shown = _shown(ctx)
    assert len(tables) == len(shown)
    where = _section_of_tables(doc)[1:]
    for wt, t, k in zip(tables, shown, where, strict=True):
        sec = doc.sections[k]
        text_width = sec.page_width - sec.left_margin - sec.right_margin
        want = column_widths(t)
        for row in wt.rows:
            got = [c.width for c in row.cells]
            assert sum(got) == pytest.approx(text_width, rel=0.01), t["title"]
            assert [100 * g / sum(got) for g in got] == pytest.approx(want, abs=0.2), t["title"]
        assert wt.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert len(wt.rows) == len(t["rows"]) + 1
        for row in wt.rows[1:]:
            for cell, fmt in zip(row.cells, t["formats"], strict=True):
                right = cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
                assert right == is_numeric_format(fmt), (t["title"], cell.text)
    # the SWOT's item column is the wide one, not a third of the page
    swot = tables[0]
    assert swot.rows[1].cells[1].width > 2 * swot.rows[1].cells[0].width
    assert tables[0].rows[0].cells[0].width < Mm(60)


def test_docx_wide_tables_sit_in_landscape_sections_and_the_rest_in_portrait(doc, ctx):
    from docx.enum.section import WD_ORIENT

    shown = _shown(ctx)
    where = _section_of_tables(doc)[1:]
    assert any(is_wide(t) for t in shown) and not all(is_wide(t) for t in shown)
    for t, k in zip(shown, where, strict=True):
        sec = doc.sections[k]
        landscape = sec.orientation == WD_ORIENT.LANDSCAPE
        assert landscape == is_wide(t), t["title"]
        assert (sec.page_width > sec.page_height) == landscape
    assert doc.sections[-1].orientation == WD_ORIENT.PORTRAIT
    # the page-number footer carries on into every later section
    assert all(s.footer.is_linked_to_previous for s in doc.sections[1:])


def test_the_wide_predicate_is_the_one_the_html_marks(ctx):
    """Word's landscape tables are the HTML's ``tbl wide`` ones (one rule, in reporting._layout)."""
    html = render_html(ctx)
    classes = re.findall(r'<div class="tbl( wide)?[^"]*"[^>]*><table>', html)
    assert [bool(c) for c in classes] == [is_wide(t) for t in _shown(ctx)]


# ---- Excel ---------------------------------------------------------------------------------------------


def test_xlsx_text_wraps_top_aligned_and_numbers_stay_numbers(wb):
    ws = next(wb[n] for n in wb.sheetnames if wb[n]["A1"].value == "SWOT scaffold")
    cell = next(c for c in ws["B"] if c.value == LONG.strip() or c.value == LONG)
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    assert ws.column_dimensions["B"].width <= 60 < len(LONG)
    ws = next(wb[n] for n in wb.sheetnames if str(wb[n]["A1"].value).startswith("Creative enterprises,"))
    assert ws["B4"].value == 1610 and ws["B4"].alignment.vertical == "top"
    assert ws["C4"].value == pytest.approx(0.0123) and ws["C4"].number_format == "0.0%"


def test_xlsx_web_addresses_are_hyperlinks(wb):
    found = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value == URL]
    sheets = {c.parent.title for c in found}
    assert {"Sources", "8.1 Research and data to cite", "9.1 Datasets used"} <= sheets
    assert all(c.hyperlink is not None and c.hyperlink.target == URL and c.style == "Hyperlink" for c in found)


@pytest.mark.parametrize(("title", "place"), [
    ("Peer places of Sheffield", "Sheffield"),
    ("Peer places of the North East", "North East"),
    ("Peer places of the Reading travel-to-work area", "Reading"),
    ("Peer places of the Reading travel-to-work area", "Reading travel-to-work area"),
    ("Peer places of Greater Manchester", "Greater Manchester"),
])
def test_a_table_has_one_sheet_name_whatever_the_place(title, place):
    from creative_clusters.reporting.render_xlsx import sheet_name, sheet_title

    assert sheet_name(f"4.2 {sheet_title(title, place)}", set()) == "4.2 Peer places"


def test_tables_that_share_a_stem_get_sheet_names_that_tell_them_apart():
    from creative_clusters.reporting.render_xlsx import sheet_name, sheet_title

    a = sheet_name("2.1 " + sheet_title("Creative enterprises and business location quotients by sub-sector, "
                                        "Sheffield, March 2025", "Sheffield"), set())
    b = sheet_name("3.1 " + sheet_title("Creative enterprises, Sheffield, 2010–2025", "Sheffield"), set())
    assert a.split(" ", 1)[1] != b.split(" ", 1)[1]
    for place, wider in (("Sheffield", "South Yorkshire"), ("Cardiff", "East Wales")):
        names = {sheet_name("3.4 " + sheet_title(f"Creative employment by year, {wider} (NUTS2 2013), 2015–2018",
                                                 place), set())}
        assert names == {"3.4 Employment by year"}


# ---- real packs ----------------------------------------------------------------------------------------

QUERIES = ("Sheffield", "Greater Manchester", "ttwa:Reading")


@pytest.fixture(scope="module")
def real(request):
    full_home = request.getfixturevalue("full_home")
    from creative_clusters.workflows import evidence as E
    from tests.reporting._helpers import pack_context

    nd = E.load_national(full_home)
    return {q: pack_context(nd, q) for q in QUERIES}


@pytest.fixture(scope="module")
def mc_ctx(synthetic_home):
    """A synthetic place's context with microclusters (made-up shares: 39.11% of firms in the dominant
    sub-sector, 62% at the top postcode), as a microcluster run gives them."""
    import pandas as pd

    from creative_clusters.reporting.context import build_context
    from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
    from creative_clusters.workflows.pack_data import load_national

    national = load_national(synthetic_home)
    inp = gather_inputs(national, resolve_evidence_place(national, "Alphaville"), png=False)
    inp.microclusters = pd.DataFrame({
        "microcluster_id": ["MC1", "MC2"], "n_firms": [80, 225], "meets_min_firms": [True, True],
        "dominant_subsector": ["music_arts", "it_software"], "dominant_share": [0.3911, 0.5],
        "area_km2": [0.5, 1.2], "density_per_km2": [160.0, 187.5], "stability": [0.9, 0.95],
        "in_area_cluster": [True, False], "top_postcode_share": [0.05, 0.62], "n_hub_firms": [8, 150],
        "lad23_code": ["E09000090", "E09000090"]})
    inp.microclusters_national = 2
    return build_context(inp)


def _pct_columns_not_pct(c):
    out = []
    for s in c["sections"]:
        for t in s["tables"]:
            for j, col in enumerate(t["columns"]):
                if str(col).endswith("(%)"):
                    fmts = {f[j] for f in t["cell_formats"]} if t.get("cell_formats") else {t["formats"][j]}
                    if not fmts <= {"pct", "pct2"}:
                        out.append((t["title"], col, fmts))
    return out


def test_every_percentage_column_of_the_microclusters_is_a_percentage(mc_ctx):
    """A column headed '(%)' has a percentage format, so Excel stores a fraction with a % format (the
    microcluster shares were 'num1': 39.11 under the README's promise of fractions)."""
    assert any(t["title"].startswith("Creative microclusters") for s in mc_ctx["sections"] for t in s["tables"])
    assert _pct_columns_not_pct(mc_ctx) == []


@pytest.mark.realdata
def test_every_percentage_column_of_real_packs_is_a_percentage(real):
    for q, c in real.items():
        assert _pct_columns_not_pct(c) == [], q


def test_microcluster_shares_are_fractions_in_excel_and_the_same_figure_in_word_and_html(mc_ctx):
    from docx import Document
    from openpyxl import load_workbook

    from creative_clusters.reporting.render_docx import render_docx
    from creative_clusters.reporting.render_xlsx import render_xlsx

    c = mc_ctx
    t = next(t for s in c["sections"] for t in s["tables"] if t["title"].startswith("Creative microclusters"))
    cols = [j for j, col in enumerate(t["columns"]) if col.endswith("(%)")]
    assert len(cols) == 3 and t["rows"]
    wb = load_workbook(io.BytesIO(render_xlsx(c)))
    ws = next(wb[n] for n in wb.sheetnames if wb[n]["A1"].value == t["title"])
    for i, row in enumerate(t["rows"]):
        for j in cols:
            cell = ws.cell(row=4 + i, column=j + 1)
            assert cell.value == pytest.approx(row[j] / 100) and 0 <= cell.value <= 1
            assert cell.number_format == "0.0%"
    shown = [[format_cell(r[j], t["formats"][j]) for j in cols] for r in t["rows"]]
    assert "39.1" in shown[0] or "39.1" in shown[1]  # a percentage, not a fraction, in Word and HTML
    doc = Document(io.BytesIO(render_docx(c)))
    wt = next(x for x in doc.tables if [c.text for c in x.rows[0].cells] == t["columns"])
    assert [[wt.rows[1 + i].cells[j].text for j in cols] for i in range(len(t["rows"]))] == shown
    html = render_html(c)
    assert all(f'<td class="num">{v}</td>' in html for r in shown for v in r)


@pytest.mark.realdata
def test_sheet_names_are_short_unique_placeless_and_the_same_from_pack_to_pack(real):
    from openpyxl import load_workbook

    from creative_clusters.reporting.render_xlsx import render_xlsx

    by_title: dict[str, set[str]] = {}
    for q, c in real.items():
        wb = load_workbook(io.BytesIO(render_xlsx(c)), read_only=True)
        names = wb.sheetnames
        assert len({n.lower() for n in names}) == len(names)
        tables = [t for s in c["sections"] for t in s["tables"] if t.get("annex", True)]
        numbered = [n for n in names if re.match(r"\d+\.\d+ ", n)]
        assert len(numbered) == len(tables)
        for n, t in zip(numbered, tables, strict=True):
            assert len(n) <= 31
            assert next(wb[n].iter_rows(max_row=1, values_only=True))[0] == t["title"]  # the full title
            for word in ("Sheffield", "Manchester", "Reading", "Yorkshire", "Berkshire"):
                assert word not in n.split(), (q, n)
            # the same kind of table, named alike in every pack: its title up to the first comma or " of/in "
            stem = re.split(r",| of | in | within | \(", t["title"])[0]
            by_title.setdefault(stem, set()).add(n.split(" ", 1)[1])
    assert by_title["Peer places"] == {"Peer places"}
    assert all(len(v) == 1 for v in by_title.values()), {k: v for k, v in by_title.items() if len(v) > 1}


def test_xlsx_style_copies_give_the_same_workbook_as_styling_every_cell(ctx, monkeypatch):
    """The annex copies the style indices of the first cell of each kind: byte for byte the workbook that
    styling every cell through openpyxl's descriptors gives."""
    from creative_clusters.reporting import render_xlsx as rx

    fast = rx.render_xlsx(ctx)

    def every_cell(self, cell, fmt, alignment):
        if fmt is not None:
            cell.number_format = fmt
        cell.alignment = alignment

    monkeypatch.setattr(rx._StyleCopier, "__call__", every_cell)
    assert rx.render_xlsx(ctx) == fast


def test_xlsx_saved_in_memory_is_the_workbook_openpyxl_saves(ctx, monkeypatch):
    """The annex's sheets are written in memory and its parts deflated once (``render_xlsx._save``): byte for
    byte the file that ``Workbook.save`` (temporary files, every part deflated twice) gives, and no temporary
    file is made."""
    import openpyxl.worksheet._writer as wsw

    from creative_clusters.reporting import render_xlsx as rx

    made: list[str] = []
    keep = wsw.create_temporary_file

    def counted(suffix=""):
        made.append(suffix)
        return keep(suffix)

    monkeypatch.setattr(wsw, "create_temporary_file", counted)
    fast = rx.render_xlsx(ctx)
    assert made == []

    def by_openpyxl(wb):
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    monkeypatch.setattr(rx, "_save", by_openpyxl)
    assert rx.render_xlsx(ctx) == fast
    assert len(made) > 5  # openpyxl's own way: one temporary file a sheet
