"""Render every table of the pack to an Excel annex: one sheet per table plus
Summary and Sources sheets. Deterministic: fixed workbook dates and fixed zip
entry timestamps, so the same context gives byte-identical files."""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import textwrap
import zipfile
from collections.abc import Sequence
from copy import copy
from pathlib import Path
from typing import Any

from creative_clusters.reporting._io import atomic_write_bytes
from creative_clusters.reporting.pack_types import PackContext, Section, SourceRecord, Table
from creative_clusters.reporting.render_html import unquote

__all__ = ["number_format", "render_xlsx", "sheet_name", "sheet_title", "write_xlsx"]

_BAD = re.compile(r"[\[\]:*?/\\]")
_DANGLING = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "vs"}
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: The fill of a sheet's header row (the PDF's and Word's header colour).
_HEADER_FILL = "F0F4F8"
#: A year in a "Year" column's text: a number in Excel.
_YEAR = re.compile(r"(1[5-9]|20)\d\d")


def _cut_words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters on a word boundary (a lone long word is hard-cut).

    Whole words are kept while they fit, a word followed by a comma included
    ("by year," keeps "year"); a dangling "and", "of" … and an unclosed bracket are dropped.

    Examples
    --------
    >>> _cut_words("Creative employment by year, South Yorkshire", 27)
    'Creative employment by year'
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    words: list[str] = []
    for w in text.split():
        if len(" ".join([*words, w]).rstrip(" ,;-–(")) > limit:
            break
        words.append(w)
    words = " ".join(words).rstrip(" ,;-–(").split(" ")
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    cut = " ".join(words).rstrip(" ,;-–(")
    if cut.count("(") > cut.count(")"):  # never leave a bracket open: drop the cut-off aside
        cut = _cut_words(cut[: cut.rindex("(")], limit) if cut.rindex("(") > 0 else cut
    return cut if cut and len(cut) <= limit else text[:limit].rstrip()


#: Short sheet-tab titles of the tables whose long titles share a stem or do not shorten well
#: (matched at the start of the title; any other title is shortened by rule in :func:`sheet_title`).
_SHORT_TITLES = (
    (r"Creative enterprises and business location quotients", "Sub-sector enterprises, LQs"),
    (r"All creative industries: the local authorities", "Creative industries by LA"),
    (r"Creative enterprises, ", "Enterprises by year"),
    (r"Creative industries in .*\d{4}–\d{4}", "Creative industries by year"),
    (r"Creative employment by year", "Employment by year"),
    (r"Creative employment growth and shift-share", "Employment shift-share"),
    (r"Residents in employment in creative industry divisions", "Residents by division"),
    (r"Self-employment-inclusive location quotient", "LQ incl. self-employment"),
    (r"Composite score under alternative weightings", "Composite score weightings"),
    (r"Baselines to set targets", "Baselines for targets"),
)
#: Where a place's name starts in a title ("... of Sheffield", "... in the Reading travel-to-work area").
_PLACE_TAIL = re.compile(r"\s+(?:of|in|within)\s+(?:the\s+)?[A-Z].*$")


def sheet_title(title: str, place: str = "") -> str:
    """The short title of a table for its sheet tab: the same for a table in every pack, whatever the place.

    Without the place (the whole workbook is about it; a wider area a table is
    about is in its full title, on the sheet's first row), dates and asides, and
    with "local authorities" as "LAs"; tables whose titles share a stem
    ("Creative enterprises and business location quotients …", "Creative
    enterprises, Sheffield, 2010–2025") have a short title of their own.

    Parameters
    ----------
    title : str
        The table's full title.
    place : str, optional
        The place's name, removed wherever it remains.

    Returns
    -------
    str
        The short title (:func:`sheet_name` adds the table number and fits it to 31 characters).

    Examples
    --------
    >>> sheet_title("Peer places of West Yorkshire", "West Yorkshire")
    'Peer places'
    >>> sheet_title("Peer places of the Reading travel-to-work area", "Reading")
    'Peer places'
    >>> sheet_title("Neighbouring local authorities of Glasgow City", "Glasgow City")
    'Neighbouring LAs'
    >>> sheet_title("Creative enterprises, Sheffield, 2010–2025", "Sheffield")
    'Enterprises by year'
    >>> sheet_title("Growth-potential benchmark (version 1.3) within Wales, Cardiff", "Cardiff")
    'Growth-potential benchmark'
    >>> sheet_title("Museums open in 2021 in the Orkney Islands")
    'Museums open in 2021'
    """
    for pattern, short in _SHORT_TITLES:
        if re.match(pattern, title):
            return short
    out = re.sub(r"\s*\([^()]*\)", "", title)  # asides: "(version 1.3)", "(NUTS2 2013)"
    out = re.split(r",\s|:\s", out, maxsplit=1)[0]  # what follows a comma or colon: the place, a date
    if place:
        out = re.sub(rf"\s+(?:of|in|within)\s+(?:the\s+)?{re.escape(place)}\b.*$", "", out)
    out = _PLACE_TAIL.sub("", out)
    out = re.sub(r"\blocal authorities\b", "LAs", out)
    out = re.sub(r"\blocation quotients\b", "LQs", out)
    return re.sub(r"\blocation quotient\b", "LQ", out).strip() or title

def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (<= 31 characters, no []:*?/\\), cut on a word boundary.

    A leading table number ("2.1") is kept; the title after it is shortened
    word by word; a clash gets " (2)", " (3)" … in place of the last words.

    Examples
    --------
    >>> sheet_name("2.1 Enterprises: by sub-sector / place", set())
    '2.1 Enterprises by sub-sector'
    >>> used = set()
    >>> sheet_name("6.1 Creative microclusters in Sheffield", used)
    '6.1 Creative microclusters'
    >>> sheet_name("6.1 Creative microclusters in Sheffield", used)
    '6.1 Creative microclusters (2)'
    >>> sheet_name("4.2 Peer places (the 10 local authorities most alike)", set())
    '4.2 Peer places'
    """
    base = re.sub(r"\s+", " ", _BAD.sub("", title)).strip() or "Table"
    m = re.match(r"^(\d+(?:\.\d+)*)\s+(.*)$", base)
    num, rest = (m.group(1), m.group(2)) if m else ("", base)

    def build(limit: int) -> str:
        if not num:
            return _cut_words(rest, limit) or "Table"
        room = limit - len(num) - 1
        body = _cut_words(rest, room) if room > 0 else ""
        return f"{num} {body}".strip()[:limit]

    taken = {u.lower() for u in used}
    name, k = build(31), 2
    while name.lower() in taken:
        suffix = f" ({k})"
        name = build(31 - len(suffix)) + suffix
        k += 1
    used.add(name)
    return name


def _fixed_date(build_date: str | None) -> dt.datetime:
    return dt.datetime.fromisoformat(build_date).replace(tzinfo=None) if build_date else dt.datetime(2000, 1, 1)


def _normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite the package with fixed entry times and fixed core-properties dates."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)", rf"\g<1>{stamp}\g<2>", text)
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", text)
                body = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


_FORMATS = {"int": "#,##0", "pct": "0.0%", "pct2": "0.00%", "num0": "#,##0", "num1": "#,##0.0", "num2": "#,##0.00"}


def number_format(fmt: str, value: float) -> str:
    """Excel number format for a pack cell format (``auto``: whole numbers with separators, else 2 dp).

    Examples
    --------
    >>> number_format("pct", 0.0114), number_format("int", 36), number_format("auto", 2.5)
    ('0.0%', '#,##0', '#,##0.00')
    """
    if fmt == "auto":
        return "#,##0" if float(value).is_integer() else "#,##0.00"
    return _FORMATS.get(fmt, "General")


_URL = re.compile(r"https?://\S+")


class _StyleCopier:
    """Give a cell a number format and an alignment, as ``cell.number_format = …; cell.alignment = …`` do.

    openpyxl looks each style up in the workbook's style tables by hashing it,
    for every cell (a third of an annex's time, measured on 12 packs); the
    first cell of each kind is styled that way here and the others get a copy
    of its style indices: the same workbook, byte for byte (tested).
    """

    def __init__(self) -> None:
        self._done: dict[tuple[str | None, int], object] = {}

    def __call__(self, cell: Any, fmt: str | None, alignment: Any) -> None:
        key = (fmt, id(alignment))  # by identity: hashing the alignment is the cost being saved
        proto = self._done.get(key)
        if proto is not None:
            cell._style = copy(proto)
            return
        if fmt is not None:
            cell.number_format = fmt
        cell.alignment = alignment
        self._done[key] = copy(cell._style)


def _write_table(ws, t: Table, source: str = "") -> None:
    """Write a pack table to a sheet: its full title on the first row, the header on the third (frozen).

    Percentages are stored as fractions with a percentage format; text cells
    wrap (top-aligned, in columns at most 60 wide) so long text is read whole;
    a cell holding a web address is a hyperlink. ``source`` (the datasets behind
    the table, :func:`_source_line`) is the last line under the notes.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    styled = _StyleCopier()
    ws.append([t["title"]])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append(list(t["columns"]))
    # the header row as the PDF and Word set it: bold on a pale fill, ruled off from the rows
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    rule = Border(bottom=Side(style="thin", color="808080"))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = wrap
        cell.fill = fill
        cell.border = rule
    years = [str(c).split(" ")[0] == "Year" for c in t["columns"]]  # "Year", "Year opened"
    for k, row in enumerate(t["rows"]):
        fmts = t["cell_formats"][k] if t.get("cell_formats") else t["formats"]
        # percentages are stored as fractions and shown as percentages, so Excel sums and charts them right;
        # a "Year" column holds numbers, so Excel sorts and charts it (not text it flags as a number); a span
        # of years ("1965-1975") stays text
        ws.append([int(v) if is_year and isinstance(v, str) and _YEAR.fullmatch(v)
                   else v / 100 if f in ("pct", "pct2") and isinstance(v, (int, float)) and not isinstance(v, bool)
                   else unquote(v) if isinstance(v, str) else v for v, f, is_year in zip(row, fmts, years,
                                                                                            strict=False)])
        for cell, f in zip(ws[ws.max_row], fmts, strict=False):
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                styled(cell, number_format(f, cell.value), top)
            elif isinstance(cell.value, str) and _URL.fullmatch(cell.value.strip()):
                cell.hyperlink = cell.value.strip()
                cell.style = "Hyperlink"
                cell.alignment = wrap
            else:
                styled(cell, None, wrap)
    note_rows = []
    notes = [*t["notes"], *([source] if source else [])]
    if notes:
        ws.append([])
        for n in notes:
            ws.append([unquote(str(n))])
            note_rows.append(ws.max_row)
    widths = []
    for i, c in enumerate(t["columns"], start=1):
        width = max([len(str(c)), *[len(str(r[i - 1])) for r in t["rows"] if r[i - 1] is not None][:200]])
        widths.append(min(max(10, width + 2), 60))
        ws.column_dimensions[ws.cell(row=3, column=i).column_letter].width = widths[-1]
    for r in range(3, 4 + len(t["rows"])):  # the header and the rows: tall enough for their wrapped text
        _fit_height(ws, r, widths)
    # the title and each note are read whole across the table's width, wrapped: on one unwrapped line they ran
    # far to the right of the table, off the screen and off the printed page
    _spread(ws, 1, widths, wrap, line_height=17.0, char_width=1.2)
    for r in note_rows:
        _spread(ws, r, widths, wrap)
    ws.freeze_panes = "A4"
    if t["columns"]:
        from openpyxl.utils import get_column_letter

        # the panel can sort and filter the rows (the notes below them are left out of the range)
        ws.auto_filter.ref = f"A3:{get_column_letter(len(t['columns']))}{3 + len(t['rows'])}"
    _print_setup(ws, landscape=sum(widths) > _PORTRAIT_CHARS, title_rows="3:3")


#: The README's one column (characters): within a portrait A4 page at 100% (110 ran past its edge).
_README_WIDTH = 80

#: Points a line of text takes in a row (Calibri 11, Excel's default row height).
_LINE_PT = 15.0


def _wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (word by word, as Excel wraps).

    A character is counted as wide as the digit the width is measured in, so the count errs long.

    Examples
    --------
    >>> _wrapped_lines("Design and designer fashion", 12), _wrapped_lines("2,450", 10)
    (3, 1)
    """
    room = max(int(width) - 1, 1)
    return sum(max(len(textwrap.wrap(part, room, break_long_words=True)), 1) for part in text.split("\n"))


def _fit_height(ws: Any, row: int, widths: Sequence[float]) -> None:
    """Make ``row`` tall enough for its cells' wrapped text (:func:`_wrapped_lines`).

    Excel grows a row to wrapped text only while it draws it, LibreOffice and other readers not at
    all (lines ran over the rows below), and neither when printing a sheet it has not drawn.
    """
    lines = max((_wrapped_lines(str(c.value), w) for c, w in zip(ws[row], widths, strict=False)
                 if isinstance(c.value, str)), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = _LINE_PT * lines


def _spread(ws: Any, row: int, widths: Sequence[float], alignment: Any, *, line_height: float = 15.0,
            char_width: float = 1.0) -> None:
    """Merge the first cell of ``row`` across the table's columns, wrapped, and make the row tall enough.

    Excel does not fit a merged cell's row to its text, so the height is set from the text's length
    over the table's width (in characters, ``char_width`` columns a character) at ``line_height`` points
    a line.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet.
    row : int
        The row (1-based) whose first cell holds the text.
    widths : list of float
        The table's column widths.
    alignment : openpyxl.styles.Alignment
        A wrapping alignment.
    line_height : float, optional
        Points a line of the text takes.
    char_width : float, optional
        Column-width units a character takes (more for a larger or bold font).
    """
    cell = ws.cell(row=row, column=1)
    text = "" if cell.value is None else str(cell.value)
    if len(widths) > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    cell.alignment = alignment
    lines = math.ceil(len(text) * char_width / max(sum(widths) - 2, 1))
    if lines > 1:
        ws.row_dimensions[row].height = line_height * lines


#: Characters of column width that fit across an A4 portrait page at 100%: a sheet wider is printed landscape.
_PORTRAIT_CHARS = 100


def _print_setup(ws: Any, *, landscape: bool, title_rows: str | None = None) -> None:
    """Print a sheet on A4, one page wide (as many tall as it needs), its header row on every page.

    Without it Excel printed a wide sheet over several pages across, on the US Letter paper of
    openpyxl's default, its columns' header on the first page only and no page numbers.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet.
    landscape : bool
        Print across the long side of the page (a sheet wider than :data:`_PORTRAIT_CHARS`).
    title_rows : str, optional
        Rows repeated at the top of each printed page, as ``"3:3"``.
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "&A, page &P of &N"  # the sheet's name: a printed page says which table it is
    ws.oddFooter.center.size = 8


def _source_line(section: Section, sources: list[SourceRecord]) -> str:
    """The line under a sheet's notes naming the datasets of its section, each with its vintage.

    A sheet copied out of the workbook on its own still says where its figures come from (the Sources
    sheet has their publishers, licences and addresses). Empty when the section cites none.

    Examples
    --------
    >>> _source_line({"number": 3, "title": "Growth", "sources": ["bc"]},
    ...              [{"id": "bc", "title": "UK Business Counts", "publisher": "ONS", "vintage": "2025"}])
    'Datasets of section 3 (Growth): UK Business Counts (vintage 2025). Publishers and licences: Sources sheet.'
    """
    cited = set(section.get("sources", []))
    named = [(x.get("title") or x.get("id", "")) + (f" (vintage {x['vintage']})" if x.get("vintage") else "")
             for x in sources if x.get("id") in cited]
    if not named:
        return ""
    return (f"Datasets of section {section['number']} ({section['title']}): {'; '.join(named)}. "
            "Publishers and licences: Sources sheet.")


def _write_readme(ws, ctx: PackContext, sheets: list[tuple[str, str]]) -> None:
    """The README sheet: the place, the definitions, how to read the workbook and its sheets
    (``sheets``: each sheet's name and full title), each linked to its sheet."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    lines = [
        ctx["title"],
        "",
        f"Place: {ctx['place'].get('label', ctx['place']['name'])} ({ctx['place']['ref']})"
        + (f"; {len(ctx['place']['members'])} local authorities: "
           + ", ".join(ctx["place"].get("member_names", ctx["place"]["members"]))
           if len(ctx["place"]["members"]) > 1 else ""),
        f"Creative industries definition: {ctx['definitions_version']}; "
        f"{ctx['framework_version']}.",
        *([f"Built {ctx['build_date']} by {ctx.get('generator', 'creative-clusters')}."]
          if ctx.get("build_date") else []),
        "",
        "How to read this workbook",
        "One sheet per table of the evidence pack, numbered as in the pack (2.1 = section 2, first table).",
        "Percentages are stored as fractions and formatted as percentages (0.0114 shows as 1.1%), so they "
        "sum and chart correctly; counts are whole numbers; location quotients have two decimals.",
        "Empty cells are missing or suppressed values, never zeros. The header rows are frozen and carry "
        "filter buttons; each sheet prints on A4, one page wide, with its header row on every page.",
        "Every figure's source dataset, vintage and licence is on the Sources sheet.",
        "",
        "Sheets",
        *[f"{name}: {title}" if title != name else name for name, title in sheets],
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=12)
    for r in ws.iter_rows():
        for c in r:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if c.value in ("How to read this workbook", "Sheets"):
                c.font = Font(bold=True)
    # each line of the sheet list opens its sheet (a link inside the workbook)
    for row, (name, _) in enumerate(sheets, start=len(lines) - len(sheets) + 1):
        cell = ws.cell(row=row, column=1)
        quoted = name.replace("'", "''")  # Excel doubles an apostrophe inside a quoted sheet name
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1")
        cell.style = "Hyperlink"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = _README_WIDTH
    for row in range(1, ws.max_row + 1):
        _fit_height(ws, row, [_README_WIDTH])
    _print_setup(ws, landscape=False)


def render_xlsx(ctx: PackContext) -> bytes:
    """The annex as .xlsx bytes (byte-identical for the same context)."""
    from openpyxl import Workbook

    when = _fixed_date(ctx.get("build_date"))
    wb = Workbook()
    wb.properties.creator = ctx.get("generator", "creative-clusters")
    wb.properties.title = ctx["title"]
    wb.properties.created = wb.properties.modified = when
    readme = wb.active
    assert readme is not None  # a new Workbook always has one sheet
    readme.title = "README"
    ws = wb.create_sheet("Summary")
    used = {"README", "Summary", "Sources"}
    full: dict[str, str] = {"Summary": "Headline figures"}
    _write_table(ws, {"title": ctx["title"], "columns": ["Figure", "Value", "Note"],
                      "rows": [[h["label"], h.get("raw", h["value"]), h.get("note", "")] for h in ctx["headline"]],
                      "formats": ["text", "auto", "text"],
                      "cell_formats": [["text", h.get("format", "auto"), "text"] for h in ctx["headline"]],
                      "notes": [f"Place: {ctx['place']['name']} ({ctx['place']['ref']})",
                                f"Definitions: {ctx['definitions_version']}; {ctx['framework_version']}",
                                *([f"Built {ctx['build_date']}"] if ctx.get("build_date") else [])]})
    for s in ctx["sections"]:
        for k, t in enumerate([t for t in s["tables"] if t.get("annex", True)], start=1):
            name = sheet_name(f"{s['number']}.{k} {sheet_title(t['title'], ctx['place']['name'])}", used)
            full[name] = t["title"]  # the sheet's first row; the README lists both
            _write_table(wb.create_sheet(name), t, "" if s["id"] == "sources" else _source_line(s, ctx["sources"]))
    _write_readme(readme, ctx, [(n, full.get(n, n)) for n in [*wb.sheetnames, "Sources"] if n != "README"])
    src = wb.create_sheet("Sources")
    _write_table(src, {"title": "Sources", "columns": ["Dataset", "Title", "Publisher", "Vintage", "Licence",
                                                       "Attribution", "URL"],
                       "rows": [[x.get("id", ""), x.get("title", ""), x.get("publisher", ""), x.get("vintage", ""),
                                 x.get("licence", ""), x.get("attribution", ""), x.get("source_url", "")]
                                for x in ctx["sources"]],
                       "formats": ["text"] * 7,
                       "notes": [f"Creative industries definition {ctx['definitions_version']}", *ctx["caveats"]]})
    return _normalise_zip(_save(wb), when)


def _save(wb: Any) -> bytes:
    """The workbook's package as ``wb.save`` writes it, its parts uncompressed (:func:`_normalise_zip`
    compresses each part once, as it writes the file), each sheet's XML written in memory.

    ``wb.save`` writes each sheet to a temporary file, reads it back and deletes it (a few milliseconds
    a sheet, twenty-odd sheets an annex) and deflates every part that :func:`_normalise_zip` then
    inflates and deflates again; the parts and their order are the same, so the file is too (tested).
    """
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class _InMemory(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:  # ExcelWriter.write_worksheet, without the temporary file
            from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            out = io.BytesIO()
            writer: Any = WorksheetWriter(ws, out=out)
            writer.write()
            ws._rels = writer._rels
            archive: Any = self._archive  # type: ignore[attr-defined]
            archive.writestr(ws.path[1:], out.getvalue())
            self.manifest.append(ws)

    import openpyxl

    # ExcelWriter.write_worksheet as openpyxl 3.1 writes it (tested byte for byte); any other version, or a
    # workbook not like the annex's, is saved openpyxl's own way
    if wb.write_only or wb.read_only or not openpyxl.__version__.startswith("3.1."):
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        _InMemory(wb, archive).write_data()
    return buf.getvalue()


def write_xlsx(ctx: PackContext, path: str | os.PathLike[str]) -> Path:
    """Render and write atomically; returns the path."""
    return atomic_write_bytes(path, render_xlsx(ctx))
