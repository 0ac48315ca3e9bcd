"""Shared pieces for every importer: the dataset spec, the import result and
strict readers whose errors name the file, row and column.

An importer is a function ``read(root: Path) -> ImportResult`` where ``root``
is the reference-data directory (the layout of ``shared/data``). It reads
files only; it never touches the warehouse. The warehouse stores what it
returns in one transaction (see :mod:`creative_clusters.warehouse`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.errors import ImportFormatError

__all__ = [
    "ACCEPTED_MARKERS",
    "LOW_RELIABILITY_STATUS",
    "OGL",
    "SUPPRESSED_STATUS",
    "DatasetSpec",
    "ImportResult",
    "clean_text",
    "csv_parse_error",
    "fail_first",
    "fail_rows",
    "file_sha256",
    "first_position",
    "parse_marked_number",
    "parse_marked_series",
    "read_csv_strict",
    "require_columns",
    "to_numeric_marked",
    "to_numeric_strict",
]

OGL = "Open Government Licence v3.0"
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government "
    "Licence v3.0"
)


@dataclass
class ImportResult:
    """What an importer returns.

    Attributes
    ----------
    observations : pandas.DataFrame
        Rows in the observation shape (:mod:`creative_clusters._schema`).
    tables : dict[str, pandas.DataFrame]
        Reference tables (lookups, entity lists) stored whole, each replacing
        the previous version of the same name. Names are ``snake_case``.
    geometries : dict[str, geopandas.GeoDataFrame]
        Geometry layers stored as GeoParquet beside the warehouse, never in the
        statistics tables. Names are ``snake_case``.
    coverage : str
        A one-line human description of coverage, e.g. "296 English LADs × 29 classes".
    title, vintage : str
        What the file read says of itself, where it can differ from the
        :class:`DatasetSpec`'s defaults (a newer release in the same layout:
        its years); empty keeps the spec's. The catalogue stores these.
    """

    observations: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    geometries: dict[str, Any] = field(default_factory=dict)
    coverage: str = ""
    title: str = ""
    vintage: str = ""


@dataclass(frozen=True)
class DatasetSpec:
    """Catalogue facts about one dataset and the function that reads it.

    ``files`` are paths relative to the reference-data root; every file listed
    is checksummed into the catalogue and re-checked by ``data verify``.
    ``kind`` says what the dataset serves (:mod:`creative_clusters.kinds`):
    consumers ask the warehouse for the latest dataset of a kind, never for an id.
    """

    id: str
    title: str
    publisher: str
    licence: str
    source_url: str
    vintage: str
    files: tuple[str, ...]
    reader: Callable[[Path], ImportResult]
    attribution: str = OGL_ATTRIBUTION
    caveats: tuple[str, ...] = ()
    #: What the dataset serves (:mod:`creative_clusters.kinds`); defaults to the id.
    kind: str = ""
    #: A series whose periods are its history (years of one file): an import that would drop periods the
    #: warehouse holds for it is refused (:meth:`creative_clusters.warehouse.Warehouse.import_datasets`).
    keeps_history: bool = False

    @property
    def kind_name(self) -> str:
        """The dataset's kind, or its id when it declares none."""
        return self.kind or self.id


def resolve_file(root: Path, rel: str) -> Path:
    """The file ``rel`` names under ``root``; a pattern (``*``, ``?``, ``[``) names the last match in name order.

    A dataset published as one file per release, named by its last year
    (``creative_enterprises_lad_2010_2025.csv``, then ``..._2010_2026.csv``),
    lists a pattern in :attr:`DatasetSpec.files`: the newest release in the
    folder is read, without a code change. Without a match the first
    candidate path is returned (the caller reports it missing).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for y in (2025, 2026):
    ...     _ = (root / f"series_2010_{y}.csv").write_text("x")
    >>> resolve_file(root, "series_2010_*.csv").name
    'series_2010_2026.csv'
    >>> resolve_file(root, "other.csv").name
    'other.csv'
    """
    if not any(c in rel for c in "*?["):
        return root / rel
    matches = sorted(p for p in root.glob(rel) if p.is_file())
    return matches[-1] if matches else root / rel


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def csv_parse_error(exc: Exception, *, file: str, expected: str = "a CSV") -> ImportFormatError:
    r"""pandas' CSV parser error as an :class:`ImportFormatError` naming the file's line and the likely cause.

    pandas says "EOF inside string starting at row R" (R counts lines from 0,
    the header being 0) when the file ends inside a quoted field, which is
    what a truncated download looks like, and "Expected N fields in line L,
    saw M" (L counts from 1) for a stray delimiter. Both become the file's
    line number (header = 1), as every other import error counts rows.

    Examples
    --------
    >>> import io
    >>> try:
    ...     pd.read_csv(io.StringIO('a,b\n1,2\n3,4\n"5,6\n'))
    ... except pd.errors.ParserError as exc:
    ...     err = csv_parse_error(exc, file="f.csv")
    >>> err.row, "truncated" in str(err)
    (4, True)
    """
    text = str(exc).strip()
    eof = re.search(r"EOF inside string starting at row (\d+)", text)
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if eof:
        return ImportFormatError(
            "the file ends inside a quoted field opened on this line: it looks truncated (an interrupted "
            f"download or copy); expected {expected} whose last record is complete. Fetch or copy it again.",
            file=file, row=int(eof.group(1)) + 1)
    if fields:
        return ImportFormatError(
            f"this line has {fields.group(3)} fields where the header has {fields.group(1)}; expected {expected} "
            "with one value per column (a stray delimiter or an unquoted comma inside a value?)",
            file=file, row=int(fields.group(2)))
    line = re.search(r"line (\d+)", text)
    return ImportFormatError(f"not a well-formed CSV ({text}); expected {expected}", file=file,
                             row=int(line.group(1)) if line else None)


def read_csv_strict(
    path: Path,
    *,
    required: Iterable[str],
    dtype: dict[str, Any] | type | None = str,
    encoding: str = "utf-8-sig",
    **kwargs: Any,
) -> pd.DataFrame:
    """Read a CSV and fail with a clear message when it is not the expected layout.

    Checks: the file exists and is not empty, decodes with ``encoding``, parses
    as CSV (ragged/truncated rows are reported with their line), and has the
    ``required`` columns.

    Raises
    ------
    ImportFormatError
        Naming the file, and the row/column where known.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFormatError("file not found; check the data directory", file=str(path))
    if path.stat().st_size == 0:
        raise ImportFormatError("file is empty; expected a CSV with a header row", file=str(path))
    required = list(required)
    try:
        frame = pd.read_csv(
            path, dtype=dtype, encoding=encoding, keep_default_na=False,
            na_values=[""], **kwargs
        )
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"cannot decode as {encoding} (byte {exc.start}); expected {encoding} text. "
            "Re-save the file as UTF-8.",
            file=str(path),
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise ImportFormatError("file has no header row; expected a CSV", file=str(path)) from exc
    except pd.errors.ParserError as exc:
        raise csv_parse_error(exc, file=str(path)) from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ImportFormatError(
            f"expected column(s) {missing} in the header but found {list(frame.columns)}",
            file=str(path),
            row=1,
        )
    if frame.empty:
        raise ImportFormatError("file has a header but no data rows", file=str(path))
    if set(kwargs) <= {"sep"} and len(frame.columns) > 1 and frame.iloc[:, -1].isna().any():
        # pandas pads a row with too few fields with empty cells: a later check would then report a
        # missing value ("found nan") where the file has a missing field. Only rows whose last cell is
        # empty can be short, so the file is re-scanned only when there are some.
        _fail_short_row(path, encoding=encoding, sep=kwargs.get("sep", ","), width=len(frame.columns))
    return frame


def _fail_short_row(path: Path, *, encoding: str, sep: str, width: int) -> None:
    """Raise naming the first record with fewer fields than the header (blank lines aside)."""
    import csv

    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=sep)
        next(reader, None)
        for rec in reader:
            if rec and len(rec) < width and any(c.strip() for c in rec):
                raise ImportFormatError(
                    f"this row has {len(rec)} field(s) but the header has {width}; expected one value per column "
                    "(a field is missing: a lost delimiter, or a cut line?). Correct the row; an empty value "
                    "still needs its delimiter",
                    file=str(path), row=reader.line_num,
                )


def to_numeric_strict(
    series: pd.Series, *, file: str, column: str, header_rows: int = 1,
    allow_missing: bool = False,
) -> pd.Series:
    """Convert a column to float; on text, raise naming the first bad row.

    ``header_rows`` converts the frame's position to a 1-based file row.
    """
    num = pd.to_numeric(series, errors="coerce")
    bad = num.isna() & series.notna() & series.astype("string").str.strip().ne("")
    if not allow_missing:
        bad |= series.isna() | series.astype("string").str.strip().eq("")
    fail_rows(bad, file=file, column=column, expected="a number", values=series, header_rows=header_rows)
    return num.astype("float64")


#: Nomis ``OBS_STATUS`` codes whose cells carry no usable value (value NaN, flag suppressed). ``Q`` is
#: what Nomis sends for missing/suppressed cells (OBS_VALUE empty). The one table of markers: the Nomis
#: API route (:mod:`creative_clusters.sources._nomis_parse`) and the file readers
#: (:func:`parse_marked_number`, :func:`to_numeric_marked`) both read it.
SUPPRESSED_STATUS = frozenset({"Q", "M", "L", "O", "N", "C", "X", "!", "-", ".."})
#: Codes that keep the value but mark it unreliable (Nomis survey markers).
LOW_RELIABILITY_STATUS = frozenset({"*", "~", "U"})

#: Marker → disclosure flag, for a cell that holds a marker instead of a number: the Nomis codes above
#: (in any case) and ONS spreadsheets' bracketed forms. Values are never zero for these.
_MARKERS = {
    **{m.lower(): "suppressed" for m in SUPPRESSED_STATUS},
    **{m.lower(): "low-reliability" for m in LOW_RELIABILITY_STATUS},
    "[c]": "suppressed",
    "[x]": "suppressed",
    ":": "suppressed",
    "[u]": "low-reliability",
    "[low]": "low-reliability",
}
#: The markers as an error message lists them.
ACCEPTED_MARKERS = ", ".join(sorted({m.upper() if m.isalpha() else m for m in _MARKERS}))


def to_numeric_marked(
    series: pd.Series, *, file: str, column: str, header_rows: int = 1,
) -> tuple[pd.Series, pd.Series]:
    """Convert a column of counts to float, reading ONS/Nomis markers and empty cells as NaN with a flag.

    A cell holding a marker of :data:`SUPPRESSED_STATUS` (``!``, ``-``, ``..``,
    ``c``, ``[c]`` …) or nothing is NaN flagged ``suppressed``; one of
    :data:`LOW_RELIABILITY_STATUS` alone (``*``, ``~``, ``[u]``) is NaN flagged
    ``low-reliability``; a number is kept, flag ``""`` (the caller's normal
    flag). Never zero for a marker. Other text fails, naming the first row
    and the accepted markers.

    Returns
    -------
    (values, flags) : tuple of pandas.Series
        float64 values and the flag per cell (``""`` where a number was read).

    Examples
    --------
    >>> v, f = to_numeric_marked(pd.Series(["15", "!", "*", None, " "]), file="x.csv", column="n")
    >>> v.tolist()[0], v.isna().tolist(), f.tolist()
    (15.0, [False, True, True, True, True], ['', 'suppressed', 'low-reliability', 'suppressed', 'suppressed'])
    >>> try:
    ...     to_numeric_marked(pd.Series(["15", "n/a"]), file="x.csv", column="n")
    ... except ImportFormatError as exc:
    ...     print(str(exc)[:88])
    file x.csv, row 3, column 'n': expected a number, an empty cell or a suppression marker
    """
    text = [("" if c is None or (isinstance(c, float) and np.isnan(c)) else str(c)).strip()
            for c in series.tolist()]
    num = pd.to_numeric(pd.Series([t or None for t in text], index=series.index, dtype=object),
                        errors="coerce").astype("float64")
    marker = [_MARKERS.get(t.lower(), "suppressed" if t == "" else "") for t in text]
    known = pd.Series([m != "" for m in marker], index=series.index)
    fail_rows(num.isna() & ~known, file=file, column=column, values=series, header_rows=header_rows,
              expected=f"a number, an empty cell or a suppression marker ({ACCEPTED_MARKERS})")
    flags = pd.Series([m if np.isnan(v) else "" for m, v in zip(marker, num.tolist(), strict=True)],
                      index=series.index, dtype=object)
    return num, flags


def parse_marked_number(cell: object) -> tuple[float, str]:
    """Parse an ONS spreadsheet cell into ``(value, disclosure_flag)``.

    ``..``, ``[c]``, ``[x]`` → suppressed (NaN); ``*`` or ``[u]`` alone →
    low-reliability (NaN); a number followed by ``*`` or ``[u]`` keeps its value
    and is flagged low-reliability. Raises ``ValueError`` on other text.

    Examples
    --------
    >>> parse_marked_number("..")
    (nan, 'suppressed')
    >>> parse_marked_number("1234 [u]")
    (1234.0, 'low-reliability')
    >>> parse_marked_number(56)
    (56.0, 'as-published')
    """
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return (float("nan"), "suppressed")
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        return (float(cell), "as-published")
    text = str(cell).strip()
    low = text.lower()
    if low in _MARKERS:
        return (float("nan"), _MARKERS[low])
    flag = "as-published"
    for mark in ("[u]", "*", "[low]"):
        if low.endswith(mark):
            low = low[: -len(mark)].strip()
            flag = "low-reliability"
            break
    low = low.replace(",", "")
    try:
        return (float(low), flag)
    except ValueError:
        raise ValueError(f"expected a number or an ONS marker (.., *, [c], [u]), got {text!r}") from None


def parse_marked_series(
    series: pd.Series, *, file: str, column: str, row_offset: int
) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`parse_marked_number` with file/row/column errors.

    ``row_offset`` is the 1-based file row of the series' first element.
    """
    values, flags = [], []
    for i, cell in enumerate(series.tolist()):
        try:
            v, f = parse_marked_number(cell)
        except ValueError as exc:
            raise ImportFormatError(str(exc), file=file, row=row_offset + i, column=column) from None
        values.append(v)
        flags.append(f)
    return (
        pd.Series(values, index=series.index, dtype="float64"),
        pd.Series(flags, index=series.index, dtype="string"),
    )


def require_columns(
    frame: pd.DataFrame, required: Iterable[str], *, file: str, where: str = "in the header"
) -> None:
    """Fail unless ``frame`` has every column in ``required``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as read.
    required : iterable of str
        Column names that must be present.
    file : str
        File name for the error message.
    where : str, default "in the header"
        Where the columns were looked for, as the message words it.

    Raises
    ------
    ImportFormatError
        ``expected column(s) [...] <where> but found [...]`` at row 1.

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["1"]})
    >>> require_columns(f, ["a"], file="x.csv")
    >>> try:
    ...     require_columns(f, ["a", "b"], file="x.csv")
    ... except ImportFormatError as exc:
    ...     print(exc)
    file x.csv, row 1: expected column(s) ['b'] in the header but found ['a']
    """
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ImportFormatError(
            f"expected column(s) {missing} {where} but found {list(frame.columns)}",
            file=file,
            row=1,
        )


def clean_text(frame: pd.DataFrame, col: str) -> pd.Series:
    """Column ``col`` as stripped text, missing cells as ``""``.

    Examples
    --------
    >>> clean_text(pd.DataFrame({"a": [" x ", None]}), "a").tolist()
    ['x', '']
    """
    return frame[col].astype("string").fillna("").str.strip()


def first_position(mask: pd.Series) -> int:
    """0-based position of the first True in ``mask`` (which must have one).

    Examples
    --------
    >>> first_position(pd.Series([False, True, True], index=[7, 8, 9]))
    1
    """
    return int(np.flatnonzero(mask.to_numpy())[0])


def fail_first(
    mask: pd.Series,
    message: str | Callable[[int], str],
    *,
    file: str,
    column: str | None = None,
    header_rows: int = 1,
) -> None:
    """Raise naming the first row where ``mask`` is True; do nothing if none is.

    Parameters
    ----------
    mask : pandas.Series of bool
        True on bad rows, aligned by position with the file's data rows.
    message : str or callable
        The error's text; a callable is given the 0-based position of the
        first bad row and returns the text (so it can quote that row's cells).
    file : str
        File named in the error.
    column : str or None, default None
        Column named in the error (``None`` for a whole-row fault such as a
        duplicate).
    header_rows : int, default 1
        Rows above the data, to turn a position into a 1-based file row.

    Raises
    ------
    ImportFormatError
        ``message(position)`` with file, row and column.

    Examples
    --------
    >>> codes = pd.Series(["E06000001", "E06000002", "E06000001"])
    >>> try:
    ...     fail_first(codes.duplicated(), lambda i: f"{codes.iloc[i]} appears twice", file="x.csv")
    ... except ImportFormatError as exc:
    ...     print(exc)
    file x.csv, row 4: E06000001 appears twice
    """
    if mask.any():
        pos = first_position(mask)
        text = message if isinstance(message, str) else message(pos)
        raise ImportFormatError(text, file=file, row=pos + header_rows + 1, column=column)


def fail_rows(
    mask: pd.Series,
    *,
    file: str,
    column: str,
    expected: str,
    values: pd.Series,
    header_rows: int = 1,
    found: str = " but found",
    count_rest: bool = False,
    then: str = "",
) -> None:
    """Raise naming the first row where ``mask`` is True; do nothing if none is.

    Parameters
    ----------
    mask : pandas.Series of bool
        True on bad rows, aligned by position with the file's data rows.
    file, column : str
        File and column named in the error.
    expected : str
        What the cell should hold, e.g. ``"a 4-digit year"``.
    values : pandas.Series
        The cells as published; the first bad one is quoted in the message.
    header_rows : int, default 1
        Rows above the data, to turn a position into a 1-based file row.
    found : str, default " but found"
        The words between ``expected`` and the bad value.
    count_rest : bool, default False
        Add how many more rows are bad (" (and 3 more row(s) like it)").
    then : str, default ""
        Advice appended to the message (e.g. ``"; correct the file"``).

    Raises
    ------
    ImportFormatError
        ``expected <expected><found> <value!r>`` with file, row and column.

    Examples
    --------
    >>> v = pd.Series(["2019", "2018"])
    >>> fail_rows(v.eq("1999"), file="x.csv", column="year", expected="2019", values=v)
    >>> try:
    ...     fail_rows(v.ne("2019"), file="x.csv", column="year", expected="year 2019",
    ...               values=v, found=", found")
    ... except ImportFormatError as exc:
    ...     print(exc)
    file x.csv, row 3, column 'year': expected year 2019, found '2018'
    """
    more = int(mask.sum()) - 1 if count_rest else 0
    fail_first(
        mask,
        lambda pos: f"expected {expected}{found} {values.iloc[pos]!r}"
        + (f" (and {more:,} more row(s) like it)" if more else "") + then,
        file=file,
        column=column,
        header_rows=header_rows,
    )
