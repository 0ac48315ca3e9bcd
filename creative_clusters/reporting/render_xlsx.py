"""Render every table of the pack to an Excel annex: one sheet per table plus
Summary and Sources sheets. Deterministic: fixed workbook dates and fixed zip
entry timestamps, so the same context gives byte-identical files."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from creative_clusters.reporting._io import atomic_write_bytes

__all__ = ["render_xlsx", "sheet_name", "write_xlsx"]

_BAD = re.compile(r"[\[\]:*?/\\]")
_DANGLING = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "vs"}
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _cut_words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters on a word boundary (a lone long word is hard-cut)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    words = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;-–(").split(" ")
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    cut = " ".join(words).rstrip(" ,;-–(")
    if cut.count("(") > cut.count(")"):  # never leave a bracket open: drop the cut-off aside
        cut = _cut_words(cut[: cut.rindex("(")], limit) if cut.rindex("(") > 0 else cut
    return cut if cut and len(cut) <= limit else text[:limit].rstrip()


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


def _write_table(ws, t: dict[str, Any]) -> None:
    from openpyxl.styles import Font

    ws.append([t["title"]])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append(list(t["columns"]))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    fmt_map = {
        "auto": "General", "int": "#,##0", "pct": "0.0", "pct2": "0.00", "num0": "0", "num1": "0.0", "num2": "0.00",
    }
    for row in t["rows"]:
        ws.append(list(row))
        for cell, f in zip(ws[ws.max_row], t["formats"], strict=False):
            if f in fmt_map and isinstance(cell.value, (int, float)):
                cell.number_format = fmt_map[f]
    if t["notes"]:
        ws.append([])
        for n in t["notes"]:
            ws.append([n])
    for i, c in enumerate(t["columns"], start=1):
        width = max([len(str(c)), *[len(str(r[i - 1])) for r in t["rows"] if r[i - 1] is not None][:200]])
        ws.column_dimensions[ws.cell(row=3, column=i).column_letter].width = min(max(10, width + 2), 60)
    ws.freeze_panes = "A4"


def render_xlsx(ctx: dict[str, Any]) -> bytes:
    """The annex as .xlsx bytes (byte-identical for the same context)."""
    from openpyxl import Workbook

    when = _fixed_date(ctx.get("build_date"))
    wb = Workbook()
    wb.properties.creator = ctx.get("generator", "creative-clusters")
    wb.properties.title = ctx["title"]
    wb.properties.created = wb.properties.modified = when
    ws = wb.active
    ws.title = "Summary"
    used = {"Summary", "Sources"}
    _write_table(ws, {"title": ctx["title"], "columns": ["Figure", "Value", "Note"],
                      "rows": [[h["label"], h.get("raw", h["value"]), h.get("note", "")] for h in ctx["headline"]],
                      "formats": ["text", "num2", "text"],
                      "notes": [f"Place: {ctx['place']['name']} ({ctx['place']['code']})",
                                f"Definitions: {ctx['definitions_version']}; benchmark {ctx['framework_version']}",
                                *([f"Built {ctx['build_date']}"] if ctx.get("build_date") else [])]})
    for s in ctx["sections"]:
        for k, t in enumerate(s["tables"], start=1):
            name = sheet_name(f"{s['number']}.{k} {t['title']}", used)
            _write_table(wb.create_sheet(name), t)
    src = wb.create_sheet("Sources")
    _write_table(src, {"title": "Sources", "columns": ["Dataset", "Title", "Publisher", "Vintage", "Licence",
                                                       "Attribution", "URL"],
                       "rows": [[x.get("id", ""), x.get("title", ""), x.get("publisher", ""), x.get("vintage", ""),
                                 x.get("licence", ""), x.get("attribution", ""), x.get("source_url", "")]
                                for x in ctx["sources"]],
                       "formats": ["text"] * 7,
                       "notes": [f"Creative industries definition {ctx['definitions_version']}", *ctx["caveats"]]})
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_zip(buf.getvalue(), when)


def write_xlsx(ctx: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Render and write atomically; returns the path."""
    return atomic_write_bytes(path, render_xlsx(ctx))
