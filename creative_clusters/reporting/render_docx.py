"""Render the pack to Word (.docx): real headings (Heading 1/2), real tables with captions,
figures as PNG, so a bid writer can edit and restyle it.

Tables get the HTML's column widths (:func:`~creative_clusters.reporting.render_html.column_widths`),
numbers set right, a header row repeated on each page, and tables too wide for a
portrait page (:func:`~creative_clusters.reporting._layout.is_wide`) a landscape
section of their own. Figures carry their alt text; `code spans` are set in a
monospace font, never shown with their backticks."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

from creative_clusters.reporting._io import atomic_write_bytes
from creative_clusters.reporting._layout import is_numeric_format, is_wide
from creative_clusters.reporting.pack_types import PackContext, Table
from creative_clusters.reporting.render_html import column_widths, format_cell

#: The text width of an A4 page with the pack's 15 mm side margins, portrait and landscape (mm).
_TEXT_MM = {False: 180.0, True: 267.0}
#: The font of `code spans` (commands, dataset ids) in Word.
_MONO = "Consolas"
_CODE = re.compile(r"`([^`]+)`")
_URL = re.compile(r"https?://\S+")
#: The paragraph styles of table text: portrait tables at the PDF's table size, landscape (wide) ones smaller.
_TABLE_TEXT, _WIDE_TABLE_TEXT = "Table Text", "Table Text Wide"
#: The fill of a table's header row, the PDF's header colour.
_HEADER_FILL = "F0F4F8"

__all__ = ["render_docx", "write_docx"]


def _date(build_date: str | None) -> dt.datetime:
    if build_date:
        return dt.datetime.fromisoformat(build_date).replace(tzinfo=None)
    return dt.datetime(2000, 1, 1)


def render_docx(ctx: PackContext) -> bytes:
    """The pack as .docx bytes."""
    from docx import Document
    from docx.shared import Inches, Pt

    doc = Document()
    _a4_with_page_numbers(doc)
    _running_header(doc, ctx["title"])
    cp = doc.core_properties
    cp.title = ctx["title"]
    cp.author = ctx.get("generator", "creative-clusters")
    cp.created = cp.modified = _date(ctx.get("build_date"))
    cp.last_modified_by = cp.author
    cp.revision = 1
    doc.styles["Normal"].font.size = Pt(10)
    _british_english(doc)
    st = _styles(doc)
    landscape = False  # the orientation of the section being written
    doc.add_heading(ctx["title"], level=0)
    meta = (f"{ctx['place']['name']} ({ctx['place']['ref']}) · Creative industries definition "
            f"{ctx['definitions_version']} · {ctx['framework_version']}")
    if ctx.get("build_date"):
        meta += f" · Built {ctx['build_date']}"
    doc.add_paragraph(meta)
    if ctx["headline"]:
        # the table's caption, as every table's title is (and as the HTML has no heading here): a level-2
        # heading straight under the title skipped a level, which Word's accessibility checker flags
        cap = doc.add_paragraph("Headline figures", style=st["Caption"])
        cap.paragraph_format.keep_with_next = True
        cap.paragraph_format.space_before = Pt(10)
        # the values are display text already (formatted by the context); the middle column is numbers
        _add_table(doc, st, {"title": "Headline figures", "columns": ["Figure", "Value", "Note"],
                             "rows": [[h["label"], h["value"], h.get("note", "")] for h in ctx["headline"]],
                             "formats": ["text", "auto", "text"], "notes": []}, landscape=False)
    for s in ctx["sections"]:
        doc.add_heading(f"{s['number']}. {s['title']}", level=1)
        if s["status"] != "ok":
            doc.add_paragraph("Partial data" if s["status"] == "partial" else "No data")
        if s.get("findings"):
            for kind, title in (("strength", "Strengths the evidence supports"), ("weakness", "Weaknesses"),
                                ("inconclusive", "Inconclusive: do not claim")):
                if s["findings"].get(kind):
                    doc.add_heading(title, level=2)
                    for f in s["findings"][kind]:
                        para = _paragraph(doc, f["claim"], style=st["List Bullet"])
                        if f.get("so_what"):  # the bid guidance, as in the HTML and PDF
                            _add_text(para, " " + f["so_what"], italic=True, size=Pt(8.5))
            doc.add_heading("What this means for your bid", level=2)
        if s["id"] == "sources":
            doc.add_heading("Methods", level=2)
            for m in s.get("methods", []):
                _paragraph(doc, m, style=st["List Bullet"])
            doc.add_heading("Caveats", level=2)
            for c in ctx["caveats"]:
                _paragraph(doc, c, style=st["List Bullet"])
        else:
            for p in s["sentences"]:
                _paragraph(doc, p)
        for fig in s["figures"]:
            if fig.get("png_base64"):
                shape = doc.add_picture(io.BytesIO(base64.b64decode(fig["png_base64"])), width=Inches(6.0))
                _describe(shape, fig["title"], fig["alt"])
                # the picture's paragraph stays on the page of its caption (it went to the next page alone)
                doc.paragraphs[-1].paragraph_format.keep_with_next = True
                cap = doc.add_paragraph(f"{fig['title']}. {fig['alt']}")
                cap.style = st["Caption"]
        # as in the HTML: the findings table is the lists above, and a table marked html=False (the
        # research literature) is the numbered reference list below
        shown = [t for t in s["tables"] if t.get("html", True)
                 and not (s["id"] == "summary" and t["title"] == "Key findings, ranked")]
        for k, t in enumerate(shown):
            wide = is_wide(t)
            if wide and not landscape:
                _new_section(doc, landscape=True)
                landscape = True
            # a table's title is its caption (Word's Caption style, kept with the table), not a heading
            # that would crowd the navigation pane with dozens of entries
            cap = doc.add_paragraph(t["title"], style=st["Caption"])
            cap.paragraph_format.keep_with_next = True
            cap.paragraph_format.space_before = Pt(10)  # apart from a table just above (it touched its foot)
            _add_table(doc, st, t, landscape=landscape)
            for n in t["notes"]:  # at the size of the table's text, as in the PDF (a note is not body text)
                _add_text(doc.add_paragraph(), n, italic=True, size=Pt(8.5))
            if landscape and not (k + 1 < len(shown) and is_wide(shown[k + 1])):
                _new_section(doc, landscape=False)  # back to portrait for what follows
                landscape = False
        if s.get("references"):
            doc.add_heading("References", level=2)
            for r in s["references"]:
                para = doc.add_paragraph(f"{r['citation']} ", style=st["List Number"])
                if r.get("link", True):  # a live link, as in the PDF (it was plain text)
                    _add_link(para, r["url"])
                else:
                    para.add_run(f"({r['url']})")
                # what the PDF says under each reference: what it is, its themes, and whether it may be cited
                about = [x for x in (r.get("summary"), _labelled("Themes", r.get("themes")),
                                     _labelled("Why relevant", r.get("why")), _labelled("Status", r.get("verified")))
                         if x]
                if about:
                    para.add_run().add_break()
                    _add_text(para, " ".join(about), italic=True, size=Pt(8.5))
        if s["missing"]:
            doc.add_heading("What is missing and how to get it", level=2)
            for m in s["missing"]:
                _paragraph(doc, m, style=st["List Bullet"])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _add_text(para: Any, text: str, *, italic: bool = False, bold: bool = False, size: Any = None) -> None:
    """Append ``text`` to a paragraph as runs: `code spans` in a monospace font, without their backticks.

    Parameters
    ----------
    para : docx.text.paragraph.Paragraph
        The paragraph to append to.
    text : str
        Text that may hold `backticked` commands or ids (the pack's Markdown code spans).
    italic, bold : bool
        Set on every run.
    size : docx.shared.Length, optional
        Font size of every run.
    """
    for i, part in enumerate(_CODE.split(str(text))):
        if not part:
            continue
        run = para.add_run(part)
        if i % 2:
            run.font.name = _MONO
        if italic:
            run.italic = True
        if bold:
            run.bold = True
        if size is not None:
            run.font.size = size


def _labelled(label: str, value: str | None) -> str:
    """``"Label: value."``, or empty without a value (a reference's themes, relevance, status).

    Examples
    --------
    >>> _labelled("Status", "check before citing"), _labelled("Themes", "")
    ('Status: check before citing.', '')
    """
    return f"{label}: {value.rstrip('.')}." if value else ""


def _add_link(para: Any, url: str, text: str | None = None, *, size: Any = None) -> None:
    """Append a live web link to a paragraph (python-docx has no call for it): Word's Hyperlink style.

    Parameters
    ----------
    para : docx.text.paragraph.Paragraph
        The paragraph.
    url : str
        The address the link opens.
    text : str, optional
        The text shown (default: the address).
    size : docx.shared.Length, optional
        Font size of the link's text.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = para.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    if size is not None:
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(round(size.pt * 2)))
        props.append(sz)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text or url
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    para._p.append(link)


def _paragraph(doc: Any, text: str, style: Any = None, *, italic: bool = False) -> Any:
    """A new paragraph holding ``text`` (see :func:`_add_text`); returns it."""
    para = doc.add_paragraph(style=style)
    _add_text(para, text, italic=italic)
    return para


def _describe(shape: Any, title: str, alt: str) -> None:
    """Give a picture its alt text (``descr``) and title, as screen readers and Word's Alt Text pane read them.

    Parameters
    ----------
    shape : docx.shape.InlineShape
        The picture :meth:`docx.document.Document.add_picture` returned.
    title, alt : str
        The figure's title and its alt text.
    """
    pr = shape._inline.docPr
    pr.set("descr", alt or title)
    pr.set("title", title)


def _new_section(doc: Any, *, landscape: bool) -> None:
    """Start a new page in a new section, landscape or portrait A4 (the footer carries on)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    # the new section copies the first's "different first page": its first page would lose the running header
    sec.different_first_page_header_footer = False
    short, long_ = sorted((sec.page_width, sec.page_height))
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (long_, short) if landscape else (short, long_)


def _add_table(doc: Any, st: dict[str, Any], t: Table, *, landscape: bool) -> Any:
    """Add a pack table: bold header row repeated on each page, the HTML's column widths, numbers right.

    Parameters
    ----------
    doc : docx.document.Document
        The document.
    st : dict
        The styles of :func:`_styles`.
    t : Table
        The pack table.
    landscape : bool
        Whether the table sits in a landscape section (its width is that page's text width).

    Returns
    -------
    docx.table.Table
        The Word table.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    right = WD_ALIGN_PARAGRAPH.RIGHT
    # the PDF's table type sizes: at the body's size a wide table's words and numbers broke inside
    # ("Employme / nt 2015", "−12. / 6") in their narrow landscape columns
    # set as the style's id on the paragraph's XML (:func:`_style_paragraph`): python-docx's ``paragraph.style
    # = …`` searches the styles part for the default style on every call (three times the Word pack's time)
    text_style_id = st[_WIDE_TABLE_TEXT if landscape else _TABLE_TEXT].style_id
    widths = [Mm(_TEXT_MM[landscape] * w / 100) for w in column_widths(t)]
    table = doc.add_table(rows=1, cols=len(t["columns"]))
    table.style = st["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False  # Word keeps the widths below instead of sharing the line out equally
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w
    _repeat_header(table.rows[0])
    for j, (cell, c) in enumerate(zip(table.rows[0].cells, t["columns"], strict=True)):
        cell.width = widths[j]
        _shade(cell, _HEADER_FILL)
        para = cell.paragraphs[0]
        _style_paragraph(para, text_style_id)
        _add_text(para, str(c), bold=True)
        if is_numeric_format(t["formats"][j]):
            para.alignment = right
    for k, row in enumerate(t["rows"]):
        cells = table.add_row().cells
        fmts = t["cell_formats"][k] if t.get("cell_formats") else t["formats"]
        for cell, v, fmt, w in zip(cells, row, fmts, widths, strict=True):
            cell.width = w
            para = cell.paragraphs[0]
            _style_paragraph(para, text_style_id)
            if isinstance(v, str) and _URL.fullmatch(v.strip()):  # a web address opens, as in Excel
                _add_link(para, v.strip())
            else:
                _add_text(para, format_cell(v, fmt))
            if is_numeric_format(fmt):
                para.alignment = right
    return table


def _styles(doc: Any) -> dict[str, Any]:
    """The template's styles the pack uses, looked up by name once.

    python-docx finds a style given by name with a search of the styles part
    for each paragraph or table; given the style itself, it reads its id. The
    document is the same (the same style ids), for about a fifth less time.
    """
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    found = {name: doc.styles[name] for name in ("Caption", "List Bullet", "List Number", "Table Grid")}
    # the text of tables, a style of its own so a bid writer restyles every table at once
    for name, size in ((_TABLE_TEXT, 8.5), (_WIDE_TABLE_TEXT, 7.5)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(1)
        style.paragraph_format.line_spacing = 1.0
        found[name] = style
    # the character style of web links (python-docx's template has none: a link looked like plain text)
    link = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True
    found["Hyperlink"] = link
    return found


def _style_paragraph(para: Any, style_id: str) -> None:
    """Give a new paragraph (no properties yet but, perhaps, its style) the paragraph style ``style_id``.

    What ``para.style = style`` writes (a ``w:pStyle`` first in ``w:pPr``), without its search of the
    styles part for the default style and of ``w:pPr`` for where each child goes (a table cell's
    paragraph is new and empty, 2,000 of them a pack).
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = para._p.pPr
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        para._p.insert(0, ppr)
    old = ppr.find(qn("w:pStyle"))
    if old is not None:
        ppr.remove(old)
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    ppr.insert(0, style)


def _shade(cell: Any, fill: str) -> None:
    """Fill a table cell with the colour ``fill`` (hex RGB, as ``"F0F4F8"``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _british_english(doc: Any) -> None:
    """Mark the document's text as British English, the pack's language (the HTML's ``lang="en-GB"``).

    python-docx's template says US English, so Word's spelling check underlined "specialisation",
    "organisation", "programme" … throughout a document a bid writer pastes from.
    """
    from docx.oxml.ns import qn

    for lang in doc.styles.element.iter(qn("w:lang")):  # the document defaults' (and any style's) language
        lang.set(qn("w:val"), "en-GB")


def _a4_with_page_numbers(doc: Any) -> None:
    """A4 pages (python-docx's default template is US Letter) with the PDF's margins and a
    centred "Page N of M" footer (Word fields, filled in when the document is opened)."""
    from docx.shared import Mm

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(18), Mm(20)
    sec.left_margin = sec.right_margin = Mm(15)
    _page_numbers(sec.footer.paragraphs[0])


def _running_header(doc: Any, title: str) -> None:
    """The pack's title at the top right of every page but the first (which opens with the title itself),
    as in the PDF: a page copied into a bid or printed alone still says which place it is about.

    The first page has a footer of its own (Word's "different first page"), with the page numbers too.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    sec = doc.sections[0]
    sec.different_first_page_header_footer = True
    para = sec.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = para.add_run(title)
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    _page_numbers(sec.first_page_footer.paragraphs[0])


def _page_numbers(para: Any) -> None:
    """A centred "Page N of M" in ``para`` (Word fields, filled in when the document is opened)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("Page ", "PAGE"), (" of ", "NUMPAGES")):
        para.add_run(text).font.size = Pt(8)
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"  # shown until Word updates the field
        run.append(t)
        fld.append(run)
        para._p.append(fld)


def _repeat_header(row) -> None:
    """Mark a table's first row as its header, repeated at the top of each page it runs over."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def write_docx(ctx: PackContext, path: str | os.PathLike[str]) -> Path:
    """Render and write atomically; returns the path."""
    return atomic_write_bytes(path, render_docx(ctx))
