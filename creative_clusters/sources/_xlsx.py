"""Generic reader for tables in published ONS/DCMS spreadsheets (openpyxl).

Published workbooks are not data files: a cover sheet, notes rows above a
table, a label row over the header ("London" … "Number of jobs"), merged
header cells, footnote markers glued to labels ("2021,9", "Occupations9",
"Total [note 3]"), a blank row and notes below, and several tables stacked
on one sheet. This module finds a table by its header row, builds column
names from a multi-row header and yields the data rows with their Excel row
numbers, so per-workbook parsers stay short and every error names the file,
the sheet and the cell.

Pieces
------
- :func:`open_workbook` / :func:`require_sheet`: I/O with clear errors.
- :func:`find_rows`: rows whose cell in a column matches a pattern (anchors).
- :func:`extract_table`: one table under a header row → :class:`SheetTable`.
- :func:`clean_label`, :func:`clean_period`, :func:`slug`: pure text helpers.
- :func:`parse_cell`: ``parse_marked_number`` with sheet/cell errors and the
  "highlighted in grey" low-reliability convention.

Examples
--------
>>> clean_label("Associate Professional and Technical Occupations9")
'Associate Professional and Technical Occupations'
>>> clean_label("All industries [note 3]")
'All industries'
>>> clean_period("2021,9"), clean_period(2010), clean_period("2021/22")
('2021', '2010', '2021-2022')
>>> slug("Black/African/Caribbean/Black British")
'black_african_caribbean_black_british'
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creative_clusters.errors import ImportFormatError
from creative_clusters.sources._base import parse_marked_number

__all__ = [
    "SheetTable",
    "cell_ref",
    "clean_label",
    "clean_period",
    "extract_table",
    "find_rows",
    "is_grey",
    "iter_data_cells",
    "open_workbook",
    "parse_cell",
    "require_sheet",
    "slug",
]

_NOTE = re.compile(r"\s*\[(?:note|notes)\s*[\d, ]+\]", re.IGNORECASE)
_TRAILING_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\d{1,2}$")
_YEAR_FOOTNOTE = re.compile(r"^((?:19|20)\d{2})\s*,\s*\d{1,2}$")
_FINANCIAL_YEAR = re.compile(r"^((?:19|20)\d{2})\s*(?:/|-|to)\s*((?:19|20)?\d{2})$")


# --------------------------------------------------------------------- text
def clean_label(value: object) -> str:
    """Strip whitespace, ``[note N]`` markers and footnote digits glued to a word.

    ONS sheets write footnote references as ``[note 3]`` or, in older
    layouts, as a digit appended to the label ("Occupations9"). A digit
    after a space ("Level 4") is kept.

    Examples
    --------
    >>> clean_label("  Satisfactory Hours ")
    'Satisfactory Hours'
    >>> clean_label("NVQ Level 4")
    'NVQ Level 4'
    """
    if value is None:
        return ""
    text = str(value).replace("\xa0", " ").strip()
    text = _NOTE.sub("", text).strip()
    text = _TRAILING_FOOTNOTE.sub("", text).strip()
    return re.sub(r"\s+", " ", text)


def clean_period(value: object) -> str:
    """A period label as published, normalised to a string.

    ``2010`` → ``"2010"``; ``"2021,9"`` (year with footnote 9) → ``"2021"``;
    ``"2021/22"`` or ``"2021-22"`` → ``"2021-2022"`` (financial or survey year,
    written with both full years). Anything else raises ``ValueError``.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a year, got {value!r}")
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        year = int(value)
        if 1900 <= year <= 2100:
            return str(year)
        raise ValueError(f"expected a year, got {value!r}")
    text = clean_label(value)
    if re.fullmatch(r"(?:19|20)\d{2}", text):
        return text
    m = _YEAR_FOOTNOTE.match(text)
    if m:
        return m.group(1)
    m = _FINANCIAL_YEAR.match(text)
    if m:
        start, end = m.group(1), m.group(2)
        if len(end) == 2:
            end = start[:2] + end
        if int(end) != int(start) + 1:
            raise ValueError(f"expected consecutive years in {value!r}")
        return f"{start}-{end}"
    raise ValueError(
        f"expected a year such as 2021, '2021,9' or '2021/22', got {value!r}"
    )


def slug(value: object) -> str:
    """snake_case machine name of a published category label.

    Examples
    --------
    >>> slug("16 - 29"), slug("Degree or equivalent, higher education, ")
    ('16_29', 'degree_or_equivalent_higher_education')
    >>> slug("GCSE grades A*-C or equivalent")
    'gcse_grades_a_c_or_equivalent'
    """
    text = clean_label(value).lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


# ----------------------------------------------------------------------- I/O
def open_workbook(path: str | Path) -> Any:
    """Open an ``.xlsx`` workbook with values (not formulas) and formatting.

    Raises
    ------
    ImportFormatError
        When the file is missing, empty, not an xlsx (zip) file or unreadable.
    """
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise ImportFormatError(
            "file not found; check the data directory", file=str(path)
        )
    if path.stat().st_size == 0:
        raise ImportFormatError(
            "file is empty; expected an Excel .xlsx workbook", file=str(path)
        )
    if not zipfile.is_zipfile(path):
        raise ImportFormatError(
            "not an Excel .xlsx workbook (it is not a zip container); re-download the "
            "published .xlsx file",
            file=str(path),
        )
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken packages
        raise ImportFormatError(
            f"cannot read as an .xlsx workbook ({type(exc).__name__}: {exc}); "
            "re-download the published file",
            file=str(path),
        ) from exc


def require_sheet(wb: Any, name: str, *, file: str | Path) -> Any:
    """The worksheet ``name``; raise naming the sheets that are there."""
    if name not in wb.sheetnames:
        raise ImportFormatError(
            f"expected a sheet named {name!r} but the workbook has {wb.sheetnames}; "
            "is this the published workbook?",
            file=str(file),
            column=f"{name}!A1",
        )
    return wb[name]


def cell_ref(sheet: str, row: int, col: int) -> str:
    """``"Sheet!C7"`` for a 1-based row and column."""
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(col)}{row}"


def find_rows(
    ws: Any, pattern: str, *, col: int = 1, min_row: int = 1, max_row: int | None = None
) -> list[int]:
    """1-based rows whose cell in column ``col`` matches ``pattern``.

    The match is case-insensitive, on :func:`clean_label` of the cell, and
    anchored at both ends (``re.fullmatch``).
    """
    rx = re.compile(pattern, re.IGNORECASE)
    out = []
    last = max_row or ws.max_row
    for (value,) in ws.iter_rows(
        min_row=min_row, max_row=last, min_col=col, max_col=col, values_only=True
    ):
        out.append(value)
    return [
        min_row + i
        for i, v in enumerate(out)
        if v is not None and rx.fullmatch(clean_label(v))
    ]


def is_grey(cell: Any) -> bool:
    """True when a cell has a solid grey fill (ONS "highlighted in grey").

    Grey is either an RGB colour with equal red, green and blue below white
    (``FFD9D9D9``), or the theme's background colour 0 (white) darkened by a
    negative tint (Excel's "White, Background 1, Darker 15%/25%").
    """
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return False
    colour = fill.fgColor
    if colour is None:
        return False
    if colour.type == "rgb" and isinstance(colour.rgb, str) and len(colour.rgb) == 8:
        r, g, b = colour.rgb[2:4], colour.rgb[4:6], colour.rgb[6:8]
        return r == g == b and r.upper() not in ("FF", "00")
    if colour.type == "theme":
        return colour.theme in (0, 2) and (colour.tint or 0) < 0
    return False


# ------------------------------------------------------------------- tables
@dataclass
class SheetTable:
    """One table found on a sheet.

    Attributes
    ----------
    file, sheet : str
        Where it came from.
    header_rows : list[int]
        1-based rows of the header block, top to bottom.
    columns : list[int]
        1-based sheet columns of the table (those with a non-blank header).
    levels : list[tuple[str, ...]]
        Per column, the header text of each header row after forward-filling
        merged and blank cells to the right (cleaned with :func:`clean_label`).
    names : list[str]
        Per column, the bottom header cell as a string (years stay e.g. "2021,9";
        use :func:`clean_period` on them).
    raw_names : list[Any]
        Per column, the bottom header cell as stored (int years stay ints).
    rows : list[tuple[int, list[Any]]]
        Data rows as (sheet row, values in ``columns`` order); label columns
        are forward-filled downwards.
    cells : list[list[Any]]
        The openpyxl cells of each data row, for formatting (grey fill).
    """

    file: str
    sheet: str
    header_rows: list[int]
    columns: list[int]
    levels: list[tuple[str, ...]]
    names: list[str]
    raw_names: list[Any]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    cells: list[list[Any]] = field(default_factory=list)

    def ref(self, row: int, position: int) -> str:
        """``"Sheet!C7"`` for a data row and a position in :attr:`columns`."""
        return cell_ref(self.sheet, row, self.columns[position])


def _merged_value_map(ws: Any, rows: Iterable[int]) -> dict[tuple[int, int], Any]:
    """(row, col) → value of the merged range's top-left cell, for header rows."""
    wanted = set(rows)
    out: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            if r not in wanted:
                continue
            for c in range(rng.min_col, rng.max_col + 1):
                out[(r, c)] = top
    return out


def extract_table(
    ws: Any,
    header_row: int,
    *,
    file: str | Path,
    header_depth: int = 1,
    label_cols: int = 1,
    min_col: int = 1,
    max_col: int | None = None,
    stop: str = r"notes?:?|source:?",
    blank_rows_end: bool = True,
) -> SheetTable:
    """Extract the table whose (bottom) header row is ``header_row``.

    Parameters
    ----------
    ws : openpyxl worksheet
    header_row : int
        1-based row of the bottom header row (the one naming each column).
    file : path
        For error messages.
    header_depth : int
        Number of header rows, counting ``header_row`` and the rows above it.
        Upper-row cells are forward-filled to the right across merged ranges
        and blanks, but never past the table's last column.
    label_cols : int
        Leading columns that hold row labels; blanks in them are forward-filled
        downwards (the published "grouped rows" layout).
    min_col, max_col : int, optional
        First and last column to consider; by default the table starts at
        column A and runs over the contiguous non-blank header cells.
    stop : str
        A regex; a row whose first cell matches it (e.g. "Notes:") ends the table.
        A fully blank row also ends it, unless ``blank_rows_end=False``
        (tables with blank spacer rows between groups); then blank rows are
        skipped and the table runs to the sheet's last row.

    Raises
    ------
    ImportFormatError
        When the header row is blank or the table has no data rows.
    """
    file = str(file)
    name = ws.title
    width = max_col or ws.max_column
    bottom = [ws.cell(header_row, c).value for c in range(min_col, width + 1)]
    columns = [
        c
        for c, v in enumerate(bottom, start=min_col)
        if v is not None and clean_label(v) != ""
    ]
    if not columns:
        raise ImportFormatError(
            f"expected a header row at row {header_row} but it is blank",
            file=file,
            row=header_row,
            column=cell_ref(name, header_row, 1),
        )
    # a table is a contiguous run of header cells from its first column
    run = [columns[0]]
    for c in columns[1:]:
        if c != run[-1] + 1:
            break
        run.append(c)
    columns = run
    last_col = columns[-1]
    header_rows = list(range(header_row - header_depth + 1, header_row + 1))
    merged = _merged_value_map(ws, header_rows)
    per_row: list[list[str]] = []
    for r in header_rows:
        texts: list[str] = []
        carry = ""
        for c in range(columns[0], last_col + 1):
            v = merged.get((r, c), ws.cell(r, c).value)
            t = clean_label(v)
            if t == "" and r != header_row:
                t = carry  # forward-fill an upper header row to the right
            carry = t
            texts.append(t)
        per_row.append(texts)
    levels = [
        tuple(per_row[i][j] for i in range(len(header_rows)))
        for j in range(len(columns))
    ]
    raw_names = [ws.cell(header_row, c).value for c in columns]
    names = [
        clean_label(v) if not isinstance(v, (int, float)) else str(v) for v in raw_names
    ]

    stop_rx = re.compile(stop, re.IGNORECASE)
    table = SheetTable(file, name, header_rows, columns, levels, names, raw_names)
    carry_labels: list[Any] = [None] * label_cols
    for r in range(header_row + 1, ws.max_row + 1):
        cells = [ws.cell(r, c) for c in columns]
        values = [cell.value for cell in cells]
        if all(v is None or (isinstance(v, str) and v.strip() == "") for v in values):
            if blank_rows_end:
                break
            continue
        if values[0] is not None and stop_rx.fullmatch(clean_label(values[0])):
            break
        for i in range(min(label_cols, len(values))):
            if values[i] is None or (
                isinstance(values[i], str) and not values[i].strip()
            ):
                values[i] = carry_labels[i]
            else:
                carry_labels[i] = values[i]
                for j in range(i + 1, label_cols):
                    carry_labels[j] = None
        table.rows.append((r, values))
        table.cells.append(cells)
    if not table.rows:
        raise ImportFormatError(
            f"the table under header row {header_row} has no data rows",
            file=file,
            row=header_row + 1,
            column=cell_ref(name, header_row + 1, columns[0]),
        )
    return table


def parse_cell(
    value: object,
    *,
    file: str | Path,
    sheet: str,
    row: int,
    col: int,
    grey: bool = False,
) -> tuple[float, str]:
    """Parse one data cell into ``(value, disclosure_flag)``.

    Wraps :func:`creative_clusters.sources._base.parse_marked_number`:
    ``..``/``[c]`` → (NaN, "suppressed"); ``*``/``[u]`` → (NaN,
    "low-reliability"); ``"123 [u]"`` → (123, "low-reliability"). A number in a
    grey-highlighted cell (``grey=True``, the ONS convention for estimates from
    small samples) is kept and flagged "low-reliability". Suppressed cells are
    never zero.

    Raises
    ------
    ImportFormatError
        With ``column="Sheet!C7"`` and the row, on text that is neither a
        number nor a marker.

    Examples
    --------
    >>> parse_cell("..", file="f.xlsx", sheet="S", row=7, col=3)
    (nan, 'suppressed')
    >>> parse_cell(812, file="f.xlsx", sheet="S", row=7, col=3, grey=True)
    (812.0, 'low-reliability')
    """
    try:
        number, flag = parse_marked_number(value)
    except ValueError as exc:
        raise ImportFormatError(
            f"{exc}; fix the cell or check that the sheet layout has not changed",
            file=str(file),
            row=row,
            column=cell_ref(sheet, row, col),
        ) from None
    if grey and flag == "as-published" and number == number:
        flag = "low-reliability"
    return number, flag


def iter_data_cells(
    table: SheetTable, positions: Iterable[int], *, grey_is_low_reliability: bool = True
) -> Iterator[tuple[int, list[Any], int, float, str]]:
    """Yield ``(sheet_row, row_values, position, value, flag)`` for data cells.

    ``positions`` are indexes into :attr:`SheetTable.columns` holding numbers.
    """
    positions = list(positions)
    for (r, values), cells in zip(table.rows, table.cells, strict=True):
        for p in positions:
            grey = grey_is_low_reliability and is_grey(cells[p])
            v, f = parse_cell(
                values[p],
                file=table.file,
                sheet=table.sheet,
                row=r,
                col=table.columns[p],
                grey=grey,
            )
            yield r, values, p, v, f
