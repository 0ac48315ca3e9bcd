"""Render the pack to Word (.docx): real headings (Heading 1/2), real tables with captions,
figures as PNG, so a bid writer can edit and restyle it."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

from creative_clusters.reporting._io import atomic_write_bytes
from creative_clusters.reporting.pack_types import PackContext
from creative_clusters.reporting.render_html import format_cell, unquote

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
    cp = doc.core_properties
    cp.title = ctx["title"]
    cp.author = ctx.get("generator", "creative-clusters")
    cp.created = cp.modified = _date(ctx.get("build_date"))
    cp.last_modified_by = cp.author
    cp.revision = 1
    doc.styles["Normal"].font.size = Pt(10)
    st = _styles(doc)
    doc.add_heading(ctx["title"], level=0)
    meta = (f"{ctx['place']['name']} ({ctx['place']['ref']}) · Creative industries definition "
            f"{ctx['definitions_version']} · {ctx['framework_version']}")
    if ctx.get("build_date"):
        meta += f" · Built {ctx['build_date']}"
    doc.add_paragraph(meta)
    if ctx["headline"]:
        doc.add_heading("Headline figures", level=2)
        t = doc.add_table(rows=1, cols=3)
        t.style = st["Table Grid"]
        _repeat_header(t.rows[0])
        for cell, text in zip(t.rows[0].cells, ["Figure", "Value", "Note"], strict=True):
            cell.text = text
        for h in ctx["headline"]:
            cells = t.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = h["label"], h["value"], h.get("note", "")
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
                        para = doc.add_paragraph(f["claim"], style=st["List Bullet"])
                        if f.get("so_what"):  # the bid guidance, as in the HTML and PDF
                            run = para.add_run(" " + f["so_what"])
                            run.italic, run.font.size = True, Pt(8.5)
            doc.add_heading("What this means for your bid", level=2)
        if s["id"] == "sources":
            doc.add_heading("Methods", level=2)
            for m in s.get("methods", []):
                doc.add_paragraph(m, style=st["List Bullet"])
            doc.add_heading("Caveats", level=2)
            for c in ctx["caveats"]:
                doc.add_paragraph(c, style=st["List Bullet"])
        else:
            for p in s["sentences"]:
                doc.add_paragraph(p)
        for fig in s["figures"]:
            if fig.get("png_base64"):
                doc.add_picture(io.BytesIO(base64.b64decode(fig["png_base64"])), width=Inches(6.0))
                cap = doc.add_paragraph(f"{fig['title']}. {fig['alt']}")
                cap.style = st["Caption"]
        for t in s["tables"]:
            # as in the HTML: the findings table is the lists above, and a table marked html=False (the
            # research literature) is the numbered reference list below
            if (s["id"] == "summary" and t["title"] == "Key findings, ranked") or not t.get("html", True):
                continue
            # a table's title is its caption (Word's Caption style, kept with the table), not a heading
            # that would crowd the navigation pane with dozens of entries
            cap = doc.add_paragraph(t["title"], style=st["Caption"])
            cap.paragraph_format.keep_with_next = True
            table = doc.add_table(rows=1, cols=len(t["columns"]))
            table.style = st["Table Grid"]
            _repeat_header(table.rows[0])
            for cell, c in zip(table.rows[0].cells, t["columns"], strict=True):
                cell.text = str(c)
                for r in cell.paragraphs[0].runs:
                    r.bold = True
            for k, row in enumerate(t["rows"]):
                cells = table.add_row().cells
                fmts = t["cell_formats"][k] if t.get("cell_formats") else t["formats"]
                for cell, v, fmt in zip(cells, row, fmts, strict=True):
                    cell.text = unquote(format_cell(v, fmt))
            for n in t["notes"]:
                doc.add_paragraph(n).runs[0].italic = True
        if s.get("references"):
            doc.add_heading("References", level=2)
            for r in s["references"]:
                link = r["url"] if r.get("link", True) else f"({r['url']})"
                doc.add_paragraph(f"{r['citation']} {link}", style=st["List Number"])
        if s["missing"]:
            doc.add_heading("What is missing and how to get it", level=2)
            for m in s["missing"]:
                doc.add_paragraph(unquote(m), style=st["List Bullet"])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _styles(doc: Any) -> dict[str, Any]:
    """The template's styles the pack uses, looked up by name once.

    python-docx finds a style given by name with a search of the styles part
    for each paragraph or table; given the style itself, it reads its id. The
    document is the same (the same style ids), for about a fifth less time.
    """
    return {name: doc.styles[name] for name in ("Caption", "List Bullet", "List Number", "Table Grid")}


def _a4_with_page_numbers(doc) -> None:
    """A4 pages (python-docx's default template is US Letter) with the PDF's margins and a
    centred "Page N of M" footer (Word fields, filled in when the document is opened)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(18), Mm(20)
    sec.left_margin = sec.right_margin = Mm(15)
    para = sec.footer.paragraphs[0]
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
