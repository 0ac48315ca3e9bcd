"""Nineteenth review: the Word, PDF and Excel outputs as a bid team uses them (each test failed before its fix).

Excel: a sheet printed on US Letter, several pages across, its header on the first page only; no filter
buttons on the header row; a README whose list of sheets did not open them. Word: "Headline figures"
a level-2 heading straight under the title (a skipped level), a figure that could leave its caption
for the next page, and no running header. PDF: no running header.

The Word and Excel tests render the small hand-built context of the seventh review; the PDF tests print
small documents through the pack's stylesheet.
"""

from __future__ import annotations

import io

import pytest

from creative_clusters.reporting._layout import is_wide
from creative_clusters.reporting.render_html import pack_css
from creative_clusters.reporting.render_pdf import render_pdf
from tests.reporting.test_office_round7 import _ctx

TITLE = "Creative cluster evidence: Placeville"


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


def _table_sheets(wb):
    return [ws for ws in wb.worksheets if ws.title != "README"]


# ---- Excel ---------------------------------------------------------------------------------------------


def test_xlsx_every_sheet_prints_on_a4_one_page_wide(wb):
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert (str(ps.paperSize), ps.fitToWidth, ps.fitToHeight) == ("9", 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert "&P" in (ws.oddFooter.center.text or ""), ws.title  # page numbers


def test_xlsx_a_printed_page_repeats_the_header_row(wb):
    for ws in _table_sheets(wb):
        assert ws.print_title_rows in ("3:3", "$3:$3"), ws.title


def test_xlsx_a_wide_table_prints_landscape_and_a_narrow_one_portrait(wb, ctx):
    wide = next(t for s in ctx["sections"] for t in s["tables"] if is_wide(t))
    sheet = next(ws for ws in _table_sheets(wb) if ws["A1"].value == wide["title"])
    assert sheet.page_setup.orientation == "landscape"
    nums = next(ws for ws in _table_sheets(wb) if str(ws["A1"].value).startswith("Creative enterprises, Placeville"))
    assert nums.page_setup.orientation == "portrait"


def test_xlsx_the_header_row_has_filter_buttons_over_the_rows_not_the_notes(wb, ctx):
    from openpyxl.utils import get_column_letter

    for s in ctx["sections"]:
        for t in s["tables"]:
            ws = next(w for w in _table_sheets(wb) if w["A1"].value == t["title"])
            assert ws.auto_filter.ref == f"A3:{get_column_letter(len(t['columns']))}{3 + len(t['rows'])}", ws.title


def test_xlsx_readme_links_each_sheet_it_lists(wb):
    readme = wb["README"]
    links = {c.value.split(":")[0]: c.hyperlink.location for c in readme["A"] if c.hyperlink is not None}
    others = [n for n in wb.sheetnames if n != "README"]
    assert set(links) == set(others)
    for name in others:
        assert links[name] == f"'{name}'!A1"


# ---- Word ----------------------------------------------------------------------------------------------


def test_docx_headings_never_skip_a_level(doc):
    level = 0  # the title (level 0)
    for p in doc.paragraphs:
        name = p.style.name
        if name == "Title":
            level = 0
        elif name.startswith("Heading "):
            new = int(name.split()[1])
            assert new <= level + 1, f"{p.text!r} is a level-{new} heading under a level-{level} one"
            level = new


def test_docx_a_figure_keeps_with_its_caption(doc):
    paras = doc.paragraphs
    pics = [k for k, p in enumerate(paras) if p._p.xpath(".//pic:pic")]
    assert pics
    for k in pics:
        assert paras[k].paragraph_format.keep_with_next, "the picture may end a page, its caption on the next"
        assert paras[k + 1].style.name == "Caption"


def test_docx_every_page_but_the_first_has_the_title_as_running_header(doc, ctx):
    first = doc.sections[0]
    assert first.different_first_page_header_footer
    assert "".join(p.text for p in first.first_page_header.paragraphs) == ""
    assert "".join(p.text for p in first.header.paragraphs) == ctx["title"]
    # the first page keeps its page number
    assert first.first_page_footer._element.xpath(".//w:fldSimple[@w:instr='PAGE']")
    for sec in doc.sections[1:]:  # the landscape sections and those after them: the header on their first pages too
        assert not sec.different_first_page_header_footer
        assert "".join(p.text for p in sec.header.paragraphs) == ctx["title"]


# ---- PDF -----------------------------------------------------------------------------------------------


def _pages(body: str) -> list[str]:
    """The text of each page of ``body`` printed with the pack's stylesheet."""
    pypdf = pytest.importorskip("pypdf")
    pdf = render_pdf(None, f"<html lang='en-GB'><head><style>{pack_css()}</style></head><body>{body}</body></html>")
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _wide_table(n: int) -> str:
    head = "".join(f"<th>H{j}</th>" for j in range(9))
    rows = "".join("<tr>" + "".join(f"<td>r{i}c{j}</td>" for j in range(9)) + "</tr>" for i in range(n))
    return (f"<div class='tbl wide'><table><caption>Wide</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def test_pdf_every_page_but_the_first_has_the_title_as_running_header():
    para = "<p>" + "Running text of the pack, long enough to fill a line or two of the page. " * 6 + "</p>"
    pages = _pages(f"<header><h1>{TITLE}</h1></header><section><h2>1. One</h2>{para * 12}</section>"
                   f"<section><h2>2. Two</h2>{_wide_table(5)}{para * 3}</section>")
    assert len(pages) >= 3
    assert pages[0].count(TITLE) == 1  # the title itself, no header above it
    for k, text in enumerate(pages[1:], start=2):
        assert TITLE in text, f"page {k} does not say which place it is about"


def _tables_with_orientation(doc):
    """Each Word table with whether its section is landscape."""
    from docx.enum.section import WD_ORIENT

    body = doc.element.body
    out, pending = [], []
    for el in body.iterchildren():
        if el.tag.endswith("}tbl"):
            pending.append(el)
        sect = el.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr")
        if sect is not None or el.tag.endswith("}sectPr"):
            sect = el if el.tag.endswith("}sectPr") else sect
            pg = sect.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pgSz")
            w = int(pg.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
            h = int(pg.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}h"))
            out += [(t, w > h) for t in pending]
            pending = []
    assert WD_ORIENT is not None and not pending
    return out


def _size(para):
    """The point size a paragraph's text is set in (its runs', else its style's, else Normal's)."""
    for run in para.runs:
        if run.font.size is not None:
            return run.font.size.pt
    style = para.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return None


def test_docx_table_text_is_set_smaller_than_the_body_and_wide_tables_smaller_still(doc):
    """At the body's 10 pt a landscape table's words and numbers broke inside ("Employme / nt 2015")."""
    from docx.table import Table

    tables = _tables_with_orientation(doc)
    assert any(wide for _, wide in tables) and not all(wide for _, wide in tables)
    for tbl, wide in tables:
        for row in Table(tbl, doc).rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    assert _size(para) <= (7.5 if wide else 8.5), (wide, para.text)


def test_docx_header_row_is_shaded_and_a_caption_stands_apart_from_the_table_above(doc):
    from docx.oxml.ns import qn

    for tbl in doc.tables:
        for cell in tbl.rows[0].cells:
            shd = cell._tc.tcPr.find(qn("w:shd"))
            assert shd is not None and shd.get(qn("w:fill")) not in (None, "auto", "FFFFFF"), cell.text
    captions = [p for p in doc.paragraphs if p.style.name == "Caption" and p.paragraph_format.keep_with_next
                and p._p.getnext() is not None and p._p.getnext().tag.endswith("}tbl")]
    assert captions
    for cap in captions:
        before = cap.paragraph_format.space_before
        assert before is not None and before.pt >= 6, cap.text


def _link_targets(doc, el):
    """The web addresses of the Word links inside element ``el``."""
    from docx.oxml.ns import qn

    return [doc.part.rels[h.get(qn("r:id"))].target_ref for h in el.iter(qn("w:hyperlink"))]


def test_docx_web_addresses_open_as_links_in_references_and_tables(doc, ctx):
    """The references' and the datasets' addresses were plain text in Word (live links in the PDF and Excel)."""
    url = ctx["sections"][2]["references"][0]["url"]
    refs = [p for p in doc.paragraphs if p.style.name == "List Number"]
    assert refs and _link_targets(doc, refs[0]._p) == [url]
    cells = [c for t in doc.tables for r in t.rows for c in r.cells if c.text.strip() == url]
    assert cells and all(_link_targets(doc, c._tc) == [url] for c in cells)
    style = doc.styles["Hyperlink"]  # links look like links
    assert style.font.underline and style.font.color.rgb is not None


def test_docx_a_reference_says_what_it_is_and_whether_it_may_be_cited(doc, ctx):
    """The PDF gives each reference's summary, themes, relevance and status (verified or check before
    citing); Word gave the citation only."""
    ref = ctx["sections"][2]["references"][0]
    para = next(p for p in doc.paragraphs if p.style.name == "List Number")
    for part in (ref["summary"], f"Themes: {ref['themes']}.", f"Why relevant: {ref['why']}.",
                 f"Status: {ref['verified']}."):
        assert part in para.text


@pytest.fixture(scope="module")
def wb_notes():
    """The annex of a context whose museums table has a long note and a "Year opened" column."""
    from openpyxl import load_workbook

    from creative_clusters.reporting.render_xlsx import render_xlsx

    ctx = _ctx()
    museums = {"title": "Museums open in 2021 in Placeville", "columns": ["Name", "Governance", "Year opened"],
               "rows": [["A museum", "University", "1858"], ["B museum", "Local authority", "1965–1975"],
                        ["C museum", "Unknown", "2012"]],
               "formats": ["text"] * 3,
               "notes": ["Year opened: a range (such as 1965–1975) is the Mapping Museums project's "
                         "uncertainty about when the museum opened; its earliest and latest possible years. " * 2]}
    ctx["sections"][1]["tables"].append(museums)
    return load_workbook(io.BytesIO(render_xlsx(ctx))), museums


def test_xlsx_title_and_notes_are_wrapped_across_the_table_not_one_line_running_off_the_page(wb_notes):
    wb, museums = wb_notes
    ws = next(w for w in wb.worksheets if w["A1"].value == museums["title"])
    merged = {str(r) for r in ws.merged_cells.ranges}
    note_row = next(c.row for c in ws["A"] if c.value == museums["notes"][0])
    assert {"A1:C1", f"A{note_row}:C{note_row}"} <= merged
    assert ws.cell(row=note_row, column=1).alignment.wrap_text
    # Excel does not grow a merged row to its text: the row is made tall enough for the wrapped lines
    width = sum(ws.column_dimensions[x].width for x in "ABC")
    assert ws.row_dimensions[note_row].height >= 15 * (len(museums["notes"][0]) // width)


def test_xlsx_a_year_column_holds_numbers_and_a_span_of_years_stays_text(wb_notes):
    """"Year opened" held text Excel flags as numbers stored as text (only a column named "Year" was converted)."""
    wb, museums = wb_notes
    ws = next(w for w in wb.worksheets if w["A1"].value == museums["title"])
    assert [ws.cell(row=r, column=3).value for r in (4, 5, 6)] == [1858, "1965–1975", 2012]
    assert ws.cell(row=4, column=3).number_format == "General"  # 1858, not 1,858


def test_pdf_a_tables_notes_never_make_a_page_of_their_own():
    """A table that filled its page sent its notes alone to the next one (the Isles of Scilly's baselines:
    three lines of notes on a landscape page); here with 37 rows, among the counts tried."""
    notes = "".join(f"<p class='note'>Note {k} of the table, a line of its own.</p>" for k in range(3))
    for rows in range(35, 40):
        body = "".join(f"<tr><td>row{i}</td><td>{i}</td></tr>" for i in range(rows))
        pages = _pages(f"<h2>1. One</h2><div class='tbl'><table><caption>T</caption><thead><tr><th>A</th>"
                       f"<th>B</th></tr></thead><tbody>{body}</tbody></table>{notes}</div>")
        page = next(text for text in pages if "Note 0" in text)
        assert "row" in page, f"with {rows} rows the notes are alone on their page"


def test_pdf_the_licence_and_generator_lines_stay_on_one_page():
    """The footer's second line went alone to a last page of its own (Reading travel-to-work area, page 33);
    here with 44 lines of text before it, among the counts tried."""
    line = "<p style='margin:0'>A line of running text.</p>"
    footer = "<footer><p>Contains public sector information.</p><p>Generated by creative-clusters.</p></footer>"
    for lead in range(40, 48):
        for text in _pages(f"<h2>1. One</h2>{line * lead}{footer}"):
            assert ("Generated by" in text) == ("Contains public sector" in text), f"split after {lead} lines"


def test_xlsx_each_sheet_names_the_datasets_and_vintages_behind_it():
    """A sheet copied out of the annex did not say where its figures came from (3.3 Business survival rates,
    3.4 Employment by year, 4.1 benchmark had no source in their notes; the Sources sheet was the only place)."""
    from openpyxl import load_workbook

    from creative_clusters.reporting.render_xlsx import render_xlsx

    ctx = _ctx()
    ctx["sections"][1]["sources"] = ["bc"]  # section 2 cites the business counts (catalogue record "bc", 2025)
    wb = load_workbook(io.BytesIO(render_xlsx(ctx)))
    sheets = [w for w in wb.worksheets if w.title.startswith("2.")]
    assert len(sheets) == len(ctx["sections"][1]["tables"])
    for ws in sheets:
        last = [c.value for c in ws["A"] if c.value is not None][-1]
        assert "Business counts (vintage 2025)" in last and "section 2" in last, ws.title
    datasets = next(w for w in _table_sheets(wb) if w["A1"].value == "Datasets used")
    assert not any("vintage 2025" in str(c.value) for c in datasets["A"])  # the list of datasets itself


def test_docx_text_is_british_english_for_the_spelling_check(doc):
    """The document said US English (python-docx's template): Word underlined "specialisation" throughout."""
    from docx.oxml.ns import qn

    langs = {el.get(qn("w:val")) for el in doc.styles.element.iter(qn("w:lang"))}
    assert langs == {"en-GB"}


def test_xlsx_a_row_of_wrapped_text_is_tall_enough_to_show_it(wb):
    """Rows kept the default height: wrapped text ran over the rows below (LibreOffice, and any printout
    of a sheet Excel had not drawn), the SWOT's long findings among them."""
    import math

    ws = next(w for w in _table_sheets(wb) if w["A1"].value == "SWOT scaffold")
    row = next(c.row for c in ws["B"] if isinstance(c.value, str) and len(c.value) > 100)
    width = ws.column_dimensions["B"].width
    assert ws.row_dimensions[row].height >= 15 * math.ceil(len(ws.cell(row=row, column=2).value) / width)
    short = next(c.row for c in ws["B"] if c.value == "Short prompt")
    assert ws.row_dimensions[short].height is None  # one line: Excel's own height
    readme = wb["README"]
    long_line = next(c.row for c in readme["A"] if isinstance(c.value, str)
                     and len(c.value) > readme.column_dimensions["A"].width)
    assert readme.row_dimensions[long_line].height >= 30


def test_xlsx_header_row_is_set_apart_as_in_the_pdf_and_word(wb):
    """The header row was bold only, on white like the rows under it."""
    for ws in _table_sheets(wb):
        for cell in ws[3]:
            assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("F0F4F8"), ws.title
            assert cell.border.bottom.style == "thin", ws.title
