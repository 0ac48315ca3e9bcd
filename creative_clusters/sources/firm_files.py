"""Read firm lists, keep the creative ones and place them in BNG metres.

Two layouts are read:

- **Companies House** Free Company Data Product (``CompanyName``,
  ``CompanyNumber``, ``RegAddress.PostCode`` or ``Postcode``,
  ``CompanyStatus``, ``SICCode.SicText_1..4`` as ``"62012 - Business and
  domestic software development"``; ``NA``/empty cells). Prepared extracts
  with ``X``/``Y`` (BNG) and ``localauthority_code`` columns are used as they
  are: their coordinates are kept and only rows without them are geocoded.
- **A plain list** (CSV or Excel): a name column, then a postcode or
  coordinates (``easting``/``northing`` or ``x``/``y`` in BNG metres, or
  ``lat``/``lon`` in WGS84), and optionally a SIC code column or a
  sub-sector column (names, short names or aliases of the DCMS sub-sectors).
  A list with neither is taken to be creative firms already (with a warning).

A firm is creative when any of its SIC codes falls in a DCMS creative class
(5-digit codes are cut to their 4-digit class). It is counted once and
carries every creative class and sub-sector it has; ``subsector`` is the
sub-sector of its first creative code.

``lad_code`` is the firm file's own LAD code when it has one (the South
Yorkshire extract's ``localauthority_code``, LAD 2023 codes such as Sheffield
E08000019), else the postcode directory's (LAD **2025** codes in the packaged
directory, e.g. Sheffield E08000039). Use
:func:`creative_clusters.microclusters.outputs.attach_areas` for LAD 2023 by
point-in-polygon.

Examples
--------
>>> raw = pd.DataFrame({"name": ["A", "B"], "sic": ["59111", "47110"],
...                     "easting": [435000, 435100], "northing": [387000, 387100]})
>>> firms, report = prepare_firms(raw)
>>> firms[["name", "sic_codes", "subsector"]].values.tolist()
[['A', '5911', 'film_tv']]
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from creative_clusters._schema import text_from_codes
from creative_clusters._text import firm_words
from creative_clusters.classifications import dcms
from creative_clusters.errors import ImportFormatError, UnknownCodeError
from creative_clusters.sources.companies_house import (
    SIC2007_HIERARCHY,
    is_companies_house_layout,
    read_companies_house,
    sic2007_classes,
)
from creative_clusters.sources.companies_house import (
    SIC_CELL as _SIC_CELL,
)
from creative_clusters.sources.companies_house import (
    SIC_NONE as _SIC_NONE,
)
from creative_clusters.sources.postcodes import (
    GEOCODE_STATUSES,
    geocode_postcodes,
    load_postcode_directory,
    normalise_postcode,
    postcode_key,
)

__all__ = [
    "ADDRESS_KINDS",
    "BNG_EXTENT",
    "FALLBACK_ENCODING",
    "FIRM_COLUMNS",
    "NAME_COLUMN_WORDS",
    "UNLOCATED_WHERE",
    "FirmsReport",
    "HeaderBelowTitleWarning",
    "MalformedFirmValuesWarning",
    "NotUtf8FirmFileWarning",
    "OtherSheetsWarning",
    "UnlocatedFirmsWarning",
    "companies_at_postcode",
    "is_synthetic",
    "load_creative_firms",
    "prepare_firms",
    "read_firm_file",
]


class UnlocatedFirmsWarning(UserWarning):
    """Some creative firms could not be located and were left out (the report's ``failed_rows`` lists them).

    A category of its own so a caller that reports the count elsewhere can
    silence just this warning::

        warnings.filterwarnings("ignore", category=UnlocatedFirmsWarning)
    """

class NotUtf8FirmFileWarning(UserWarning):
    """A CSV firm file was not UTF-8 and was read as Windows-1252 (the report's ``encoding`` says so)."""


class MalformedFirmValuesWarning(UserWarning):
    """Some cells of a firm file were not what their column holds (a SIC value that is no SIC code, a
    coordinate that is not a number or lies outside the British National Grid). They were not read as
    anything else: the report counts them and names the first rows (``sic_unreadable_rows``,
    ``bad_coordinate_rows``)."""


class HeaderBelowTitleWarning(UserWarning):
    """The firm file's header (its column names) is not on row 1 (a title row above it, as in
    spreadsheets saved for people): it was read from the row where it is (``attrs["header_row"]``)."""


#: Rows under row 1 searched for the header when row 1 holds no firm name column.
HEADER_SEARCH_ROWS = 10

#: ``(min, max)`` easting and northing of the British National Grid (EPSG:27700) in metres: a point
#: outside is not in Great Britain (longitude/latitude read as metres lands near the grid's origin).
BNG_EXTENT = ((0.0, 700_000.0), (0.0, 1_300_000.0))
#: What a code of no SIC 2007 class usually is, and the fix.
_UNKNOWN_HINT = ("SIC 2003 codes such as 92110 or 72220 must be recoded to SIC 2007, e.g. with the ONS "
                 "SIC 2003-2007 correspondence")
#: Where the unlocated-firms warning says the rows are (the CLI names its output file instead).
UNLOCATED_WHERE = "the report's failed_rows lists all of them"
#: How many offending rows a report names.
_FIRST_ROWS = 5

FIRM_COLUMNS = [
    "firm_id", "name", "postcode", "company_status", "sic_codes", "subsectors", "subsector",
    "easting", "northing", "lad_code", "coord_source", "source_row", "postcode_companies",
]

#: What the addresses of a firm file are (``FirmsReport.address_kind``).
ADDRESS_KINDS = {
    "registered": "registered offices (Companies House)",
    "trading": "trading premises",
    "unknown": "not stated",
}
#: Column names of business-rates premises lists (e.g. Brighton & Hove's):
#: their addresses are trading premises.
_RATES_HINTS = ("propdescr", "propertyref", "voaref", "2023rv", "2017rv", "rateablevalue")

_CH_SIC = [f"SICCode.SicText_{i}" for i in range(1, 5)]
#: A list's numbered SIC columns, as :func:`_squash` leaves their names: ``sic1``, ``siccode2``, ``sic2007code3``
#: (a firm is creative when any of them holds a creative code, as with Companies House's four).
_NUMBERED_SIC = re.compile(r"sic(?:2007)?(?:codes?)?(?:2007)?[-.#]?(\d)")
_ALIASES = {
    "name": ("companyname", "name", "firm", "firmname", "company", "businessname", "organisation", "business",
             "organisationname", "organization", "organizationname", "tradingname"),
    "id": ("companynumber", "id", "firmid", "companyid"),
    "postcode": ("regaddress.postcode", "postcode", "postcodes", "pcd", "pcds", "postalcode"),
    "status": ("companystatus", "status"),
    "easting": ("x", "easting", "east", "oseast1m", "bngx"),
    "northing": ("y", "northing", "north", "osnrth1m", "bngy"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "sic": ("sic", "siccode", "sic2007", "siccodes", "sic_code"),
    "subsector": ("subsector", "sub-sector", "sector", "dcmssubsector", "creativesubsector"),
    "lad": ("localauthority_code", "ladcd", "lad23cd", "lad25cd", "ladcode"),
}


#: What ``--status`` takes, for the messages on a status no firm has.
STATUS_WORDS = ("active (the statuses beginning 'Active'), all, or a status as the file writes it, such as "
                "'Dissolved' or 'Liquidation'")

#: The firm name columns a file may have, for the messages on a file without one (case, spaces and
#: underscores do not matter).
NAME_COLUMN_WORDS = ("a firm name column: " + ", ".join(repr(a) for a in (
    "CompanyName", "name", "firm name", "company", "business name", "business", "organisation", "trading name"))
    + " (case, spaces and underscores do not matter)")


@dataclass
class FirmsReport:
    """What happened to the rows of a firm file (counts, and the rows that failed)."""

    file: str = ""
    layout: str = ""
    n_rows: int = 0
    n_status_kept: int = 0
    n_creative: int = 0
    n_located: int = 0
    coord_sources: dict[str, int] = field(default_factory=dict)
    geocode_counts: dict[str, int] = field(default_factory=dict)
    failed_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    address_kind: str = "unknown"
    synthetic: bool = False
    #: Every firm was taken to be creative, as the user stated (a list without SIC codes or sub-sectors).
    all_creative: bool = False
    #: Rows kept by status that are not creative: every readable SIC code (or sub-sector) is outside the
    #: DCMS creative classes, or the row has none. Rows left out because a value was unreadable are not here.
    n_not_creative: int = 0
    #: Of the non-creative rows, those with no SIC code (or sub-sector) at all: every cell empty or "None
    #: Supplied". None when not known (the national reader keeps only creative rows).
    n_no_sic: int | None = None
    #: Rows with at least one SIC (or sub-sector) cell that is not a SIC code (``"6201X - typo"``).
    n_sic_unreadable: int = 0
    #: Of those, rows left out because no other cell gave a creative code (they could not be classified).
    n_sic_unreadable_dropped: int = 0
    #: The first unreadable cells: ``source_row``, ``column``, ``value``.
    sic_unreadable_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Rows with at least one readable SIC code that is no SIC 2007 class (``92110``, SIC 2003's film production).
    n_sic_unknown: int = 0
    #: Of those, rows left out because no other cell gave a creative code (and none was unreadable).
    n_sic_unknown_dropped: int = 0
    #: The first such cells: ``source_row``, ``column``, ``value``.
    sic_unknown_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Whether SIC codes were checked against the SIC 2007 list (None: the file has no SIC column; False: the
    #: list, the reference bundle's ``classifications/sic2007_hierarchy.csv``, was not found).
    sic_checked: bool | None = None
    #: The sheet read, for a workbook of several sheets ("" otherwise).
    sheet: str = ""
    #: The file's text encoding: ``"utf-8"``, or ``"cp1252"`` (Windows-1252) for a file that is not UTF-8.
    encoding: str = "utf-8"
    #: For a file that is not UTF-8, the line of its first byte that is not UTF-8.
    encoding_line: int = 0
    #: Creative rows whose file coordinates are not numbers or lie outside :data:`BNG_EXTENT`: the
    #: coordinates are not used (the postcode locates the firm when it has one).
    n_bad_coordinates: int = 0
    #: Of those, rows located by their postcode instead.
    n_bad_coordinates_by_postcode: int = 0
    #: The first such rows: ``source_row``, ``column``, ``value``, ``problem``.
    bad_coordinate_rows: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary(self) -> str:
        """One line per fact, for the CLI."""
        lines = [
            f"{self.file} ({self.layout} layout): {self.n_rows:,} rows",
            f"  kept by status: {self.n_status_kept:,}; creative: {self.n_creative:,}"
            + (" (all, as stated with --all-creative: the file has no SIC codes or sub-sectors)"
               if self.all_creative else "") + "; "
            f"located: {self.n_located:,}",
            f"  addresses: {ADDRESS_KINDS.get(self.address_kind, self.address_kind)}"
            + ("; SYNTHETIC firms" if self.synthetic else ""),
            "  coordinates from: " + ", ".join(f"{k} {v:,}" for k, v in self.coord_sources.items()),
        ]
        if self.encoding != "utf-8":
            lines.append(f"  encoding: read as Windows-1252 ({self.encoding}), the file is not UTF-8 (first byte that "
                         f"is not UTF-8 on line {self.encoding_line:,}); check the names, or re-save it as UTF-8")
        if self.n_sic_unreadable or self.n_not_creative or self.n_sic_unknown:
            parts = [f"not creative: {self.n_not_creative:,}"
                     + (f" ({self.n_no_sic:,} of them with no SIC code or sub-sector at all, so not known to be "
                        "creative)" if self.n_no_sic else "")]
            if self.n_sic_unreadable:
                parts.append(f"SIC values that are not SIC codes: {_n(self.n_sic_unreadable, 'row')} "
                             f"({self.n_sic_unreadable_dropped:,} of them left out, unclassified)")
            if self.n_sic_unknown:
                parts.append(f"SIC codes that are not SIC 2007 classes (SIC 2003?): {_n(self.n_sic_unknown, 'row')} "
                             f"({self.n_sic_unknown_dropped:,} of them left out, unclassified)")
            lines.append("  " + "; ".join(parts))
        if self.sic_checked is False:
            lines.append(f"  SIC codes not checked against SIC 2007: {SIC2007_HIERARCHY} was not found in the "
                         "reference data (set CREATIVE_CLUSTERS_DATA)")
        if self.n_bad_coordinates:
            lines.append(f"  coordinates not in the British National Grid: {_n(self.n_bad_coordinates, 'row')} "
                         f"(not used; {self.n_bad_coordinates_by_postcode:,} located by postcode instead)")
        bad = {k: v for k, v in self.geocode_counts.items()
               if k not in ("matched", "file_coordinates") and v}
        if bad:
            lines.append("  not located: " + ", ".join(f"{_REASON_WORDS.get(k, k)} {v:,}" for k, v in bad.items()))
        if self.coord_sources.get("onspd_2025_11_package"):
            lines.append("  note: the packaged postcode directory has no termination dates, so terminated "
                         "postcodes still match; pass --onspd ONSPD.csv (with doterm) to catch them")
        return "\n".join(lines)


def _n(k: int, word: str) -> str:
    """``"1 row"``, ``"2 rows"``."""
    return f"{k:,} {word}{'' if k == 1 else 's'}"


def _squash(c: str) -> str:
    return re.sub(r"[\s_]", "", str(c)).lower()


#: Column separators a firm list may use: Excel saves "CSV" with ``;`` where the decimal mark is a comma
#: (most of Europe), and text exports often use tabs or pipes.
_SEPARATORS = (",", ";", "\t", "|")


def _separator(header: str) -> str:
    """The column separator of a CSV from its header line: the commonest of :data:`_SEPARATORS` outside
    quotes, a comma when there is none (a one-column file).

    Examples
    --------
    >>> _separator("name,postcode,sic"), _separator("name;postcode;sic"), _separator('"a,b";"c"'), _separator("name")
    (',', ';', ';', ',')
    """
    bare = re.sub(r'"[^"]*"', "", header)
    counts = {sep: bare.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])  # the first of the most frequent (comma on a tie)
    return best if counts[best] else ","


def _read_plain_csv_fast(path: Path) -> pd.DataFrame | None:
    """A comma-separated UTF-8 file through pandas' pyarrow engine (multithreaded), or None to use the C engine.

    Gives the table the C engine gives (text cells, ``""``/``"NA"`` missing).
    Returns None (the caller decodes the file itself, as Windows-1252 when it is
    not UTF-8, and reads it with the C engine, which reports malformed rows) for
    anything pyarrow refuses: invalid UTF-8,
    ragged rows, or a header with repeated names (the C engine renames them).
    """
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        header = fh.readline()
    sep = _separator(header)
    names = [c.strip() for c in next(csv.reader([header], delimiter=sep), [])]
    if len(set(names)) != len(names):
        return None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=["", "NA"], engine="pyarrow",
                           sep=sep)
    except Exception:  # any refusal: the C engine reads it, or explains what is wrong
        return None


def _zip_csv_members(path: Path) -> list[str]:
    """The CSV files inside a zip (folders and other files are ignored)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            return [m for m in zf.namelist() if m.lower().endswith((".csv", ".txt")) and not m.endswith("/")]
    except zipfile.BadZipFile as exc:
        raise ImportFormatError(f"not a readable zip file ({exc})", file=str(path)) from exc


def _zip_member(path: Path) -> str:
    """The one CSV inside a zipped plain list; an error naming them when there are none or several."""
    members = _zip_csv_members(path)
    if not members:
        raise ImportFormatError("zip holds no CSV file; expected one CSV list of firms", file=str(path))
    if len(members) > 1:
        raise ImportFormatError(
            f"zip holds {len(members)} CSV files ({', '.join(members)}) that are not Companies House product "
            "parts (BasicCompanyData…); expected one CSV list of firms. Unzip it and give one file, or join "
            "the lists into one CSV",
            file=str(path),
        )
    return members[0]


def _file_bytes(path: Path, member: str | None) -> bytes:
    """The bytes of a CSV file, a gzipped one, or ``member`` of a zip."""
    if member is not None:
        import zipfile

        with zipfile.ZipFile(path) as zf:
            return zf.read(member)
    if path.name.lower().endswith(".gz"):
        import gzip

        with gzip.open(path, "rb") as gz:
            return gz.read()
    return path.read_bytes()


#: The encoding a firm list is read in when it is not UTF-8: Windows-1252, what Excel on Windows writes
#: for "CSV" (a superset of Latin-1's letters: "Café", "Müller").
FALLBACK_ENCODING = "cp1252"


def _decode(data: bytes, file: str) -> tuple[str, str, int]:
    """The text of a CSV file, its encoding (``"utf-8"`` or :data:`FALLBACK_ENCODING`) and, when it is not
    UTF-8, the line of its first byte that is not UTF-8 (else 0).

    Raises
    ------
    ImportFormatError
        When the bytes are neither UTF-8 nor Windows-1252 (the row of the first bad byte, and the fix).

    Examples
    --------
    >>> _decode("name\\nCafé\\n".encode("cp1252"), "f.csv")  # SYNTHETIC
    ('name\\nCafé\\n', 'cp1252', 2)
    """
    try:
        return data.decode("utf-8-sig"), "utf-8", 0
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode(FALLBACK_ENCODING), FALLBACK_ENCODING, line
    except UnicodeDecodeError as exc:
        line2 = data.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError(
            f"cannot decode as UTF-8 (first bad byte on line {line}) nor as Windows-1252 (byte "
            f"0x{data[exc.start]:02X} on line {line2}); expected a text CSV. "
            "Re-save the file as UTF-8 (Excel: Save As, 'CSV UTF-8')",
            file=file, row=line2,
        ) from exc


def read_firm_file(path: str | Path) -> pd.DataFrame:
    """Read a CSV (optionally gzipped, or the one CSV in a zip) or Excel firm file as strings.

    A CSV that is not UTF-8 is read as Windows-1252 (:data:`FALLBACK_ENCODING`, what Excel on Windows
    saves): ``attrs["encoding"]`` says which, and ``attrs["encoding_line"]`` the line of the first byte that
    is not UTF-8 (the report says so). Its columns may be separated by commas, semicolons (Excel's "CSV"
    where the decimal mark is a comma), tabs or pipes: the header line says which (:func:`_separator`).
    From a workbook of several sheets the first sheet with a firm name column is read
    (:func:`_read_workbook`; ``attrs["sheet"]`` names it).

    Raises
    ------
    ImportFormatError
        When the file is missing, empty, not CSV/Excel, a zip without exactly one CSV, neither UTF-8 nor
        Windows-1252 text, or has no data rows.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFormatError("firm file not found", file=str(path))
    if path.stat().st_size == 0:
        raise ImportFormatError("file is empty; expected a CSV or Excel list of firms", file=str(path))
    name = path.name.lower()
    encoding, bad_line = "utf-8", 0
    label = str(path)  # how messages name the file (a workbook of several sheets: with the sheet read)
    sheet = ""
    try:
        if name.endswith((".xlsx", ".xlsm", ".xls")):
            df, label, sheet = _read_workbook(path)
        elif name.endswith((".csv", ".csv.gz", ".txt", ".tsv", ".zip")):
            member = _zip_member(path) if name.endswith(".zip") else None
            with open(path, "rb") as fh:
                head = fh.read(4096)
            if not name.endswith((".gz", ".zip")) and b"\x00" in head:
                raise ImportFormatError(
                    "file is binary, not CSV text; expected a CSV or Excel list of firms",
                    file=str(path),
                )
            df = _read_plain_csv_fast(path) if name.endswith(".csv") else None
            if df is None:
                import io

                text, encoding, bad_line = _decode(_file_bytes(path, member), str(path))
                sniff = name.endswith((".txt", ".tsv")) or (member is not None and member.lower().endswith(".txt"))
                df = pd.read_csv(
                    io.StringIO(text), dtype=str, keep_default_na=False, na_values=["", "NA"],
                    sep=None if sniff else _separator(text.lstrip("\ufeff").split("\n", 1)[0]),
                    engine="python" if sniff else "c",
                )
        else:
            raise ImportFormatError(
                f"unsupported file type {path.suffix!r}; expected .csv, .csv.gz, .zip (one CSV) or .xlsx",
                file=str(path),
            )
    except ImportFormatError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError) as exc:
        raise ImportFormatError(
            f"could not read as CSV/Excel ({exc}); expected a CSV or Excel list of firms",
            file=str(path),
        ) from exc
    df.columns = [str(c).strip() for c in df.columns]
    header_row = 1
    if _find(df, "name") is None:  # a title row above the header? (spreadsheets saved for people)
        df, header_row = _header_below(df, Path(label))
    if df.empty:
        raise ImportFormatError("file has a header but no firm rows", file=label)
    df.attrs["header_row"] = header_row
    df.attrs["file"] = label
    df.attrs["sheet"] = sheet
    df.attrs["encoding"] = encoding
    df.attrs["encoding_line"] = bad_line
    return df


class OtherSheetsWarning(UserWarning):
    """A workbook has several sheets with a firm name column: the first was read, the others were not."""


def _read_workbook(path: Path) -> tuple[pd.DataFrame, str, str]:
    """The firm sheet of an Excel workbook as strings, how messages name it (``"FILE, sheet 'Firms'"``
    for a workbook of several sheets, else the file) and the sheet's name ("" for a workbook of one sheet).

    The sheet read is the first whose header (row 1, or a row below a title, see :func:`_header_below`)
    names a firm name column: a notes or contents sheet before it is passed over. When several sheets
    have one, the first is read and :class:`OtherSheetsWarning` names the others.

    Raises
    ------
    ImportFormatError
        No sheet has a firm name column (each sheet's columns are named).
    """
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False, na_values=["", "NA"])
    if len(sheets) == 1:
        return next(iter(sheets.values())), str(path), ""
    found = []
    for sheet, table in sheets.items():
        table.columns = [str(c).strip() for c in table.columns]
        if _find(table, "name") is not None or _header_index(table) is not None:
            found.append(sheet)
    if not found:
        cols = "; ".join(f"sheet {sh!r}: {[str(c) for c in t.columns][:8]}" for sh, t in sheets.items())
        raise ImportFormatError(
            f"none of the workbook's {len(sheets)} sheets has a firm name column ({cols}); expected "
            f"{NAME_COLUMN_WORDS} in one sheet. Rename the column that holds the firm names 'name', or save "
            "the firm list as its own CSV",
            file=str(path),
        )
    label = f"{path}, sheet {found[0]!r}"
    if len(found) > 1:
        warnings.warn(
            f"{path}: sheets {', '.join(repr(s) for s in found)} all have a firm name column; only the first, "
            f"{found[0]!r}, was read. Join the firm lists into one sheet, or save the sheet you want as a CSV",
            OtherSheetsWarning,
            stacklevel=3,
        )
    return sheets[found[0]], label, str(found[0])


def _header_index(df: pd.DataFrame) -> tuple[int, list[str]] | None:
    """``(i, names)``: the first of ``df``'s :data:`HEADER_SEARCH_ROWS` rows that names a firm name column
    and a postcode, coordinate, SIC or sub-sector column (or a business-rates list's columns), and its
    cells as column names; None when no row does."""
    roles = ("postcode", "easting", "lat", "sic", "subsector")
    for i in range(min(HEADER_SEARCH_ROWS, len(df))):
        cells = df.iloc[i].tolist()
        names = [str(v).strip() if isinstance(v, str) and v.strip() else f"Unnamed: {j}"
                 for j, v in enumerate(cells)]
        probe = pd.DataFrame(columns=names)
        rates = any(_squash(c) in _RATES_HINTS for c in names)  # a business-rates list: postcodes in its addresses
        if _find(probe, "name") is not None and (rates or any(_find(probe, r) for r in roles)):
            return i, names
    return None


def _header_below(df: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, int]:
    """``df`` re-read with its header on the first of its :data:`HEADER_SEARCH_ROWS` rows that names a firm
    name column and a postcode, coordinate, SIC or sub-sector column (or a business-rates list's columns),
    and the header's file row (1-based);
    ``(df, 1)`` unchanged when no row does. Warns (:class:`HeaderBelowTitleWarning`) when it moves the header.

    >>> raw = pd.DataFrame({"Rates April 2025": [None, "Firm name", "Studio"],
    ...                     "Unnamed: 1": [None, "Postcode", "BN1 1AA"]})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     table, row = _header_below(raw, Path("rates.xlsx"))
    >>> row, list(table.columns), table["Postcode"].tolist()
    (3, ['Firm name', 'Postcode'], ['BN1 1AA'])
    """
    found = _header_index(df)
    if found is not None:
        i, names = found
        row = i + 2  # file rows from 1, row 1 the header pandas took
        above = [str(c) for c in df.columns if not str(c).startswith("Unnamed")][:2]
        table = df.iloc[i + 1:].reset_index(drop=True)
        table.columns = names
        table.attrs.update(df.attrs)
        warnings.warn(
            f"{path}: the header (the column names) is on row {row}, not row 1: read from there, the "
            f"{row - 1} row{'' if row == 2 else 's'} above it skipped"
            + (f" ({', '.join(repr(a) for a in above)})" if above else "")
            + "; rows are numbered as in the file",
            HeaderBelowTitleWarning,
            stacklevel=3,
        )
        return table, row
    return df, 1


def is_synthetic(raw: pd.DataFrame) -> bool:
    """True for files the project generates: name containing ``SYNTHETIC``, or a ``synthetic`` column of 1s.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A"], "synthetic": ["1"]})
    >>> is_synthetic(t), is_synthetic(t.drop(columns="synthetic"))
    (True, False)
    """
    if "synthetic" in Path(str(raw.attrs.get("file", ""))).name.lower():
        return True
    col = next((c for c in raw.columns if _squash(c) == "synthetic"), None)
    if col is None or raw.empty:
        return False
    return bool(raw[col].astype("string").str.strip().str.lower().isin(["1", "true", "yes"]).all())


def companies_at_postcode(postcodes: pd.Series) -> pd.Series:
    """For each row, how many rows of the table share its postcode (NA where no postcode).

    The count behind the registered-office hub rule
    (:mod:`creative_clusters.microclusters.hubs`), taken over every row of the
    file that passes the status filter, of every industry.

    Examples
    --------
    >>> companies_at_postcode(pd.Series(["S1 1AA", "s11aa", None, "S2 2BB"])).tolist()
    [2, 2, <NA>, 1]
    """
    # each distinct spelling reduced once (a few hundred thousand), not each of up to millions of rows
    raw, spellings = pd.factorize(postcodes)
    key_of, _keys = pd.factorize(postcode_key(pd.Series(spellings)))
    codes = np.r_[key_of, -1][raw]  # NA (raw -1) stays -1
    has = codes >= 0
    counts = np.bincount(codes[has]) if has.any() else np.zeros(0, dtype=np.int64)
    out = pd.array(np.where(has, counts[np.maximum(codes, 0)] if has.any() else 0, 0), dtype="Int64")
    out[~has] = pd.NA
    return pd.Series(out, index=postcodes.index)


def _to_float(values: pd.Series) -> pd.Series:
    """Numbers from text cells, NaN where a cell is not a number (``pd.to_numeric(errors="coerce")``).

    Tries pyarrow's string-to-double cast first (correctly rounded, as
    Python's ``float``), which is several times faster on Arrow-backed text;
    any cell it cannot parse sends the column through ``pd.to_numeric``.

    Examples
    --------
    >>> _to_float(pd.Series(["1.5", None, "2e3"])).tolist()[::2], _to_float(pd.Series(["x", "7"])).tolist()[1]
    ([1.5, 2000.0], 7.0)
    """
    import pyarrow as pa

    try:
        arr = pa.array(values.to_numpy(object), type=pa.string(), from_pandas=True) if values.dtype == object \
            else pa.array(values, type=pa.string(), from_pandas=True)
        out = arr.cast(pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pd.to_numeric(values, errors="coerce").astype(float)
    return pd.Series(out, index=values.index, dtype=float)


def _postcode_from_address(df: pd.DataFrame) -> pd.Series:
    """The last address field that is a postcode (business-rates lists: ``Property1``..``Property6``)."""
    cols = sorted((c for c in df.columns if re.fullmatch(r"(?i)property\d", str(c))), key=str)
    out = pd.Series(None, index=df.index, dtype=object)
    for c in cols:
        norm = normalise_postcode(df[c])
        out = out.where(norm.isna(), norm)
    return out


#: Where a firm's point came from (the ``coord_source`` column).
COORD_SOURCES = ("file_bng", "file_latlon", "onspd_csv", "onspd_2025_11_package")
#: A firm's geocoding outcome (the report's ``geocode_counts`` and failed rows' ``reason``).
_STATUSES = ("no_postcode", "file_coordinates", *GEOCODE_STATUSES, "bad_coordinates")


def _code_counts(codes: np.ndarray, labels: Sequence[str]) -> dict[str, int]:
    """``{label: count}`` of the codes present, commonest first (``value_counts`` order).

    Examples
    --------
    >>> _code_counts(np.array([1, 0, 1, -1]), ("a", "b"))
    {'b': 2, 'a': 1}
    """
    n = np.bincount(codes[codes >= 0].astype(np.int64), minlength=len(labels))
    return {labels[i]: int(n[i]) for i in np.argsort(-n, kind="stable") if n[i]}


def _find(df: pd.DataFrame, role: str) -> str | None:
    cols = {_squash(c): c for c in df.columns}
    for alias in _ALIASES[role]:
        if _squash(alias) in cols:
            return cols[_squash(alias)]
    return None


#: The class of a cell that has text but no readable SIC code (see :func:`_sic_classes`).
SIC_UNREADABLE = "?"


def _sic_classes(values: pd.Series) -> pd.Series:
    """The SIC code of each cell as a 4-digit class; None for an empty cell, :data:`SIC_UNREADABLE` for text
    that is not a SIC code (``"6201X - typo"``, ``"sixtytwo"``).

    A cell is read only when it is the code alone or the code then `` - `` and its description (the
    Companies House form); anything else is unreadable, never cut down to the digits it starts with.
    The parsing runs once per distinct cell text (a few thousand in the national file), then is
    broadcast back to the rows.

    Examples
    --------
    >>> _sic_classes(pd.Series(["62012 - Business and domestic software development", "6201X - typo",
    ...                         "sixtytwo", None, "None Supplied", "59.11", "7490"])).tolist()
    ['6201', '?', '?', None, None, '5911', '7490']
    """
    codes, uniq = pd.factorize(values, use_na_sentinel=True)
    s = pd.Series(uniq, dtype="string").str.strip()
    code = s.str.extract(_SIC_CELL, expand=False).str.replace(".", "", regex=False).str[:4]
    empty = (s == "") | s.str.lower().isin(_SIC_NONE)
    cls = code.astype(object).where(code.notna(), None)
    cls = cls.where(code.notna() | empty.to_numpy(bool), SIC_UNREADABLE)
    table = np.array([*cls, None], dtype=object)
    return pd.Series(table[codes], index=values.index, dtype=object)


def _creative_codes(sic: pd.DataFrame) -> pd.Series:
    """Per row, the ordered list of distinct creative 4-digit classes."""
    key = _creative_key(sic)
    uniq, inv = np.unique(key, return_inverse=True)
    lists = [_decode_key(int(k)) for k in uniq]
    return pd.Series([lists[i] for i in inv.ravel()], index=sic.index, dtype=object)


def _creative_key(sic: pd.DataFrame) -> np.ndarray:
    """Each row's ordered distinct creative classes packed in one int64 (0 = none).

    Column by column and vectorised over rows: class ``c`` (position in
    :func:`~creative_clusters.classifications.dcms.creative_classes`) adds
    ``(c + 1) * 32**k`` where ``k`` counts the creative classes kept so far
    in the row; repeats of a class already seen are skipped.
    """
    index = {c: i for i, c in enumerate(dcms.creative_classes())}
    n = len(sic)
    key = np.zeros(n, dtype=np.int64)
    pos = np.zeros(n, dtype=np.int64)
    seen: list[np.ndarray] = []
    for col in sic.columns:
        codes, uniq = pd.factorize(sic[col])  # a few distinct classes: look each up once
        table = np.array([index.get(u, -1) for u in uniq] + [-1], dtype=np.int64)
        v = table[codes]
        keep = v >= 0
        for u in seen:
            keep &= v != u
        key += np.where(keep, (v + 1) * np.left_shift(1, 5 * pos), 0)
        pos += keep
        seen.append(v)
    return key


def _decode_key(key: int) -> list[str]:
    classes = dcms.creative_classes()
    out = []
    while key:
        out.append(classes[(key & 31) - 1])
        key >>= 5
    return out


def _first_cells(rows: list[tuple[np.ndarray, str, np.ndarray]], **extra: str) -> pd.DataFrame:
    """The first :data:`_FIRST_ROWS` offending cells, by file row: ``(source rows, column, values)`` per column."""
    parts = [pd.DataFrame({"source_row": r, "column": c, "value": v, **extra}) for r, c, v in rows if len(r)]
    if not parts:
        return pd.DataFrame(columns=["source_row", "column", "value", *extra])
    return pd.concat(parts).sort_values("source_row", kind="stable").head(_FIRST_ROWS).reset_index(drop=True)


def _cells_words(cells: pd.DataFrame) -> str:
    """``row 60, SICCode.SicText_1: '6201X - typo'; ...`` for a report's first offending cells."""
    return "; ".join(f"row {r.source_row}, {r.column}: {r.value!r}" for r in cells.itertuples())


#: How each reason a firm was not located reads in the warnings (``failed_rows["reason"]`` keeps the codes).
_REASON_WORDS = {
    "no_postcode": "no postcode",
    "invalid": "not a postcode",
    "unmatched": "postcode not in the directory",
    "no_coordinates": "postcode without coordinates in the directory",
    "terminated": "postcode no longer in use",
    "bad_coordinates": "coordinates not usable (not a number, or not in Great Britain)",
}

#: What a postcode looks like, for the messages on a postcode column that holds something else.
POSTCODE_FORM = "a UK postcode such as 'S1 2BX' or 'BN1 1AA' (outward code, space, digit and two letters)"


def _failed_words(failed: pd.DataFrame) -> str:
    """``row 3, 'Bad One', 'ZZ99 9ZZ': postcode not in the directory; ...`` for the first rows that could not
    be located (a firm without a postcode: ``row 5, 'Name', no postcode``).

    >>> _failed_words(pd.DataFrame({"source_row": [3, 5], "name": ["Bad One", "Two"],
    ...                             "postcode": ["ZZ99 9ZZ", np.nan], "reason": ["unmatched", "no_postcode"]}))
    "row 3, 'Bad One', 'ZZ99 9ZZ': postcode not in the directory; row 5, 'Two', no postcode"
    >>> _failed_words(pd.DataFrame({"source_row": [3343], "name": [np.nan], "postcode": [np.nan],
    ...                             "reason": ["no_postcode"]}))
    'row 3343, no postcode'
    """
    has_pc = "postcode" in failed.columns
    out = []
    for r in failed.head(_FIRST_ROWS).to_dict("records"):
        reason = _REASON_WORDS.get(str(r["reason"]), str(r["reason"]))
        pc = r["postcode"] if has_pc and isinstance(r["postcode"], str) and r["postcode"].strip() else None
        name = f", {r['name']!r}" if isinstance(r["name"], str) and r["name"].strip() else ""  # a row without one
        out.append(f"row {r['source_row']}{name}" + (f", {pc!r}: {reason}" if pc is not None else f", {reason}"))
    return "; ".join(out)


def _looks_lonlat(east: pd.Series, north: pd.Series) -> bool:
    """True when every number of the X/Y columns is a WGS84 longitude/latitude of Great Britain (either way round).

    Examples
    --------
    >>> _looks_lonlat(pd.Series([-1.47, -1.2]), pd.Series([53.38, 53.4])), _looks_lonlat(pd.Series([435000.0]),
    ...                                                                                pd.Series([387000.0]))
    (True, False)
    """
    e, n = east.to_numpy(float), north.to_numpy(float)
    if np.isnan(e).all() or np.isnan(n).all():
        return False
    span = [(float(np.nanmin(v)), float(np.nanmax(v))) for v in (e, n)]  # (a min and max: no copies)
    lon = lambda i: span[i][0] >= -9.0 and span[i][1] <= 2.5  # noqa: E731
    lat = lambda i: span[i][0] >= 49.0 and span[i][1] <= 61.5  # noqa: E731
    return (lon(0) and lat(1)) or (lat(0) and lon(1))


def _where_not_utf8(raw: pd.DataFrame) -> str:
    """Where the national reader found the first byte that is not UTF-8: ``" of MEMBER, byte offset N"``, or ""."""
    files, at = raw.attrs.get("encoding_files"), raw.attrs.get("encoding_offset")
    if not files or at is None:
        return ""
    return f" of {files[0]}, byte offset {int(at):,}" + (f"; also {', '.join(files[1:])}" if len(files) > 1 else "")


def _status_mask(status: pd.Series | None, wanted: str) -> pd.Series | None:
    if status is None or wanted.lower() == "all":
        return None
    s = status.astype("string").str.strip().str.lower()
    if wanted.lower() == "active":
        # Companies House "Active - Proposal to Strike off" is still an active company
        return s.str.startswith("active").fillna(False).astype(bool)
    return (s == wanted.lower()).fillna(False).astype(bool)


def prepare_firms(
    raw: pd.DataFrame,
    *,
    status: str = "active",
    directory: pd.DataFrame | None = None,
    postcode_directory_path: str | Path | None = None,
    all_creative: bool = False,
) -> tuple[pd.DataFrame, FirmsReport]:
    """Filter a raw firm table to creative firms and locate them in BNG metres.

    Parameters
    ----------
    raw : pandas.DataFrame
        As from :func:`read_firm_file` (string cells).
    status : str
        ``"active"`` (default: Companies House statuses beginning "Active"),
        ``"all"``, or an exact status to keep (case-insensitive). Ignored when
        the table has no status column.
    directory : pandas.DataFrame, optional
        A postcode directory from :func:`load_postcode_directory`; loaded
        (only the postcode areas needed) when required and not given.
    postcode_directory_path : path, optional
        An ONSPD CSV to use instead of the packaged directory.
    all_creative : bool, default False
        The user states that every firm of a list without SIC codes or
        sub-sectors is creative. Without it such a list is refused (it cannot
        be filtered); with it every firm is kept and ``report.all_creative``
        says so. A list with SIC codes or sub-sectors is filtered either way.

    Returns
    -------
    firms : pandas.DataFrame
        One row per located creative firm, columns :data:`FIRM_COLUMNS`.
    report : FirmsReport

    Raises
    ------
    ImportFormatError
        No name column, no firm with the status, no creative firm, or no SIC
        or sub-sector column without ``all_creative``.

    Examples
    --------
    Companies House SIC columns are read in any layout (here without
    ``CompanyNumber``); the cereal farm and the shop are not creative:

    >>> raw = pd.DataFrame({"CompanyName": ["Farm", "Studio", "Shop"],
    ...                     "x": ["435000"] * 3, "y": ["387000"] * 3,
    ...                     "SICCode.SicText_1": ["01110 - Growing of cereals",
    ...                                           "62012 - Business software",
    ...                                           "47110 - Retail"]})
    >>> firms, rep = prepare_firms(raw)
    >>> firms["name"].tolist(), rep.n_creative
    (['Studio'], 1)
    """
    file = raw.attrs.get("file", "<table>")
    rep = FirmsReport(file=file, n_rows=int(raw.attrs.get("rows_read", len(raw))))
    ch = all(c in raw.columns for c in ("CompanyName", "CompanyNumber")) and "SICCode.SicText_1" in raw.columns
    rep.layout = "Companies House" if ch else "plain list"
    rates = any(_squash(c) in _RATES_HINTS for c in raw.columns)
    rep.address_kind = "registered" if ch else ("trading" if rates else "unknown")
    rep.synthetic = is_synthetic(raw)
    rep.encoding = str(raw.attrs.get("encoding", "utf-8"))
    rep.sheet = str(raw.attrs.get("sheet", ""))
    rep.encoding_line = int(raw.attrs.get("encoding_line", 0))
    if rep.encoding != "utf-8":
        warnings.warn(
            f"{file}: the file is not UTF-8 (line {rep.encoding_line:,}{_where_not_utf8(raw)} has a byte that is not "
            "UTF-8); it was read as "
            f"Windows-1252 ({rep.encoding}), what Excel on Windows saves as CSV, so 'Café' stays 'Café'. Check "
            "the firm names in the output, or re-save the file as UTF-8 (Excel: Save As, 'CSV UTF-8')",
            NotUtf8FirmFileWarning,
            stacklevel=2,
        )
    if rates:
        rep.layout = "business-rates premises list"
    name_c, id_c = _find(raw, "name"), _find(raw, "id")
    if name_c is None:
        raise ImportFormatError(
            f"expected {NAME_COLUMN_WORDS}; found {list(raw.columns)}. Rename the column that holds the firm "
            "names 'name'"
            + ("; the header looks like one column holding separators: save the file with commas between "
               "columns" if len(raw.columns) == 1 and any(sep in str(raw.columns[0]) for sep in _SEPARATORS) else ""),
            file=file, row=int(raw.attrs.get("header_row", 1)),
        )
    df = raw.copy(deep=False)  # copy-on-write (pandas 3): `raw` is never changed
    if "source_row" not in raw.columns:  # the national reader gives each kept row its own file row
        top = int(raw.attrs.get("header_row", 1)) + 1  # 1-based file rows below the header (row 1 or lower)
        df["source_row"] = np.arange(top, len(df) + top)
    status_c = _find(df, "status")
    mask = _status_mask(df[status_c] if status_c else None, status)
    if mask is not None:
        df = df[mask]
    rep.n_status_kept = int(raw.attrs.get("rows_status_kept", len(df)))
    pc_any = _find(df, "postcode")
    if pc_any is None and rates:
        df["postcode"] = _postcode_from_address(df)
        pc_any = "postcode"
    # companies registered at each postcode, all industries (the hub rule, see .hubs); the national
    # reader counts them over the whole file before it drops non-creative rows
    if "postcode_companies" not in raw.columns:
        df["postcode_companies"] = (companies_at_postcode(df[pc_any]) if pc_any is not None
                                    else pd.array([pd.NA] * len(df), dtype="Int64"))
    if df.empty:
        present = raw[status_c].astype("string").str.strip().value_counts() if status_c else pd.Series(dtype=int)
        raise ImportFormatError(
            f"no firm of the {len(raw):,} rows has status {status!r}"
            + (f" (the column {status_c} holds " + ", ".join(f"{k!r} ({v:,})" for k, v in present.head(6).items())
               + (" …" if len(present) > 6 else "") + ")" if len(present) else "")
            + f"; expected --status {STATUS_WORDS}",
            file=file, column=status_c)

    # creative filter
    # the Companies House SIC columns are read in any layout (a list cut from the product may drop CompanyNumber)
    squashed = {_squash(c): c for c in df.columns}
    sic_cols = [squashed[_squash(c)] for c in _CH_SIC if _squash(c) in squashed]
    if not sic_cols:  # a list's SIC column ("sic") and numbered ones ("SIC 1", "SIC code 2", "sic2007_3"), in order
        numbered = sorted(((int(m[1]), c) for c in df.columns if (m := _NUMBERED_SIC.fullmatch(_squash(c)))),
                          key=lambda t: t[0])
        plain_sic = _find(df, "sic")
        sic_cols = ([str(plain_sic)] if plain_sic else []) + [str(c) for _, c in numbered]
    sub_c = None if sic_cols else _find(df, "subsector")
    if all_creative and (sic_cols or sub_c is not None):
        warnings.warn(
            f"{file}: --all-creative (all_creative) was not applied: the file has "
            + (f"SIC codes ({', '.join(sic_cols)})" if sic_cols else f"DCMS sub-sectors ({sub_c})")
            + ", so its creative firms were picked out by them. Leave --all-creative out for such a file",
            UserWarning,
            stacklevel=2,
        )
    unreadable = np.zeros(len(df), dtype=bool)
    unknown = np.zeros(len(df), dtype=bool)
    bad_cells: list[tuple[np.ndarray, str, np.ndarray]] = []
    unknown_cells: list[tuple[np.ndarray, str, np.ndarray]] = []
    if sic_cols:
        classes = pd.DataFrame({c: _sic_classes(df[c]) for c in sic_cols}, index=df.index)
        known = sic2007_classes()
        rep.sic_checked = known is not None
        for c in sic_cols:
            bad = classes[c].to_numpy(object) == SIC_UNREADABLE
            if bad.any():
                unreadable |= bad
                bad_cells.append((df["source_row"].to_numpy()[bad][:_FIRST_ROWS], c,
                                  df[c].to_numpy(object)[bad][:_FIRST_ROWS]))
            if known is not None:  # a readable code of no SIC 2007 class (92110: SIC 2003), on distinct classes
                codes_c, uniq_c = pd.factorize(classes[c])
                off = np.array([u != SIC_UNREADABLE and u not in known for u in uniq_c] + [False], dtype=bool)
                cell = off[codes_c]
                if cell.any():
                    unknown |= cell
                    unknown_cells.append((df["source_row"].to_numpy()[cell][:_FIRST_ROWS], c,
                                          df[c].to_numpy(object)[cell][:_FIRST_ROWS]))
        key = _creative_key(classes)
        keep = pd.Series(key > 0, index=df.index)
        no_code = classes.isna().all(axis=1).to_numpy(bool)
        # a few dozen distinct combinations: describe each once, then index
        uniq, inv = np.unique(key, return_inverse=True)
        lists = [_decode_key(int(k)) for k in uniq]
        sub_lists = [list(dict.fromkeys(dcms.subsector_short(dcms.subsector_of(c)) for c in cl))
                     for cl in lists]
        inv = inv.ravel()
        # text columns straight from the few distinct values (no Python string per firm: 5M firms)
        codes = text_from_codes([";".join(cl) for cl in lists], inv, index=df.index)
        subs_s = text_from_codes([";".join(sl) for sl in sub_lists], inv, index=df.index)
        first_s = text_from_codes([sl[0] if sl else "unknown" for sl in sub_lists], inv, index=df.index)
    else:
        codes_s = np.full(len(df), "", dtype=object)
        if sub_c is not None:
            names = df[sub_c].astype("string").str.strip()
            short: dict[str, str] = {}
            for v in names.dropna().unique():
                try:
                    short[v] = dcms.subsector_short(dcms.resolve_subsector(v))
                except UnknownCodeError:
                    short[v] = ""
            mapped = names.map(short).fillna("").astype(object).to_numpy()
            keep = pd.Series(mapped != "", index=df.index)
            no_code = ~(names.notna().to_numpy(bool) & (names.fillna("") != "").to_numpy(bool))
            unreadable = (mapped == "") & ~no_code
            if unreadable.any():
                bad_cells.append((df["source_row"].to_numpy()[unreadable][:_FIRST_ROWS], str(sub_c),
                                  df[sub_c].to_numpy(object)[unreadable][:_FIRST_ROWS]))
            subs_j, first = mapped, np.where(mapped != "", mapped, "unknown").astype(object)
        else:
            if not all_creative:
                raise ImportFormatError(
                    "expected a column of SIC 2007 codes (e.g. SICCode.SicText_1, sic, sic2007, or numbered: "
                    "SIC 1, SIC 2, …) or of DCMS "
                    f"sub-sectors (subsector) to pick out the creative firms, but found only {list(raw.columns)}. "
                    "Add one, or, if every firm in the list is creative, say so with --all-creative",
                    file=file, row=1,
                )
            rep.all_creative = True
            keep = pd.Series(True, index=df.index)
            no_code = np.zeros(len(df), dtype=bool)
            subs_j = np.full(len(df), "unknown", dtype=object)
            first = subs_j
        codes = pd.Series(codes_s, index=df.index)
        subs_s = pd.Series(subs_j, index=df.index)
        first_s = pd.Series(first, index=df.index)
    kept = keep.to_numpy()
    # rows the national reader left out with an unreadable SIC cell and no creative code (it keeps creative rows)
    dropped_early = int(raw.attrs.get("rows_sic_unreadable_dropped", 0))
    for c, rows_, values in raw.attrs.get("sic_unreadable_examples", ()):
        bad_cells.append((np.array([rows_]), str(c), np.array([values], dtype=object)))
    unknown_early = int(raw.attrs.get("rows_sic_unknown_dropped", 0))
    for c, rows_, values in raw.attrs.get("sic_unknown_examples", ()):
        unknown_cells.append((np.array([rows_]), str(c), np.array([values], dtype=object)))
    if "sic_checked" in raw.attrs:
        rep.sic_checked = bool(raw.attrs["sic_checked"])
    rep.n_sic_unreadable = int(unreadable.sum()) + dropped_early
    rep.n_sic_unreadable_dropped = int((unreadable & ~kept).sum()) + dropped_early
    # a row with an unreadable cell is counted there; one whose only trouble is a code of no SIC 2007 class here
    rep.n_sic_unknown = int(unknown.sum()) + unknown_early
    rep.n_sic_unknown_dropped = int((unknown & ~unreadable & ~kept).sum()) + unknown_early
    rep.n_not_creative = int((~kept).sum()) - (rep.n_sic_unreadable_dropped - dropped_early) - (
        rep.n_sic_unknown_dropped - unknown_early)
    # (the national reader drops the rows without a code before they reach here and counts them itself)
    rep.n_no_sic = (int(raw.attrs["rows_no_sic"]) if "rows_no_sic" in raw.attrs
                    else None if "rows_status_kept" in raw.attrs else int((no_code & ~kept).sum()))
    if "rows_status_kept" in raw.attrs and "rows_sic_unreadable_dropped" in raw.attrs:
        # the national reader kept only creative rows: the others of its status are not creative, unless counted
        # as unclassified above
        rep.n_not_creative += int(raw.attrs["rows_status_kept"]) - len(raw) - dropped_early - unknown_early
    rep.sic_unreadable_rows = _first_cells(bad_cells)
    rep.sic_unknown_rows = _first_cells(unknown_cells)
    df, codes, subs_s, first_s = df[kept], codes[kept], subs_s[kept], first_s[kept]
    rep.n_creative = len(df)
    what = "sub-sector" if sub_c is not None and not sic_cols else "SIC"
    expected = ("a DCMS sub-sector name, short name or alias" if what == "sub-sector" else
                "a 4-5 digit SIC 2007 code, alone or as in Companies House: "
                "'62012 - Business and domestic software development'")
    if rep.n_sic_unreadable:
        warnings.warn(
            f"{file}: {_n(rep.n_sic_unreadable, 'row')} with a {what} value that is not {expected.split(',')[0]} "
            f"({_cells_words(rep.sic_unreadable_rows)}"
            + (" …" if rep.n_sic_unreadable > len(rep.sic_unreadable_rows) else "") + f"); expected {expected}. "
            f"Those values were not read as any code: {rep.n_sic_unreadable_dropped:,} of those rows had no other "
            f"creative code and were left out, unclassified (not among the {rep.n_not_creative:,} non-creative "
            "rows)",
            MalformedFirmValuesWarning,
            stacklevel=2,
        )
    if rep.n_sic_unknown:
        warnings.warn(
            f"{file}: {_n(rep.n_sic_unknown, 'row')} with a SIC code that is not a SIC 2007 class (SIC 2003?) "
            f"({_cells_words(rep.sic_unknown_rows)}" + (" …" if rep.n_sic_unknown > len(rep.sic_unknown_rows) else "")
            + f"); expected a SIC 2007 code ({_UNKNOWN_HINT}). Those codes were not read as any class: "
            f"{rep.n_sic_unknown_dropped:,} of those rows had no other creative code and were left out, unclassified "
            f"(not among the {rep.n_not_creative:,} non-creative rows)",
            MalformedFirmValuesWarning,
            stacklevel=2,
        )
    if df.empty:
        raise ImportFormatError(
            "no creative firms: no row has a DCMS creative SIC code or sub-sector "
            f"(definition {dcms.DEFINITION_VERSION})"
            + (f"; {_n(rep.n_sic_unreadable, 'row')} with {what} values that are not {expected.split(',')[0]} "
               f"({_cells_words(rep.sic_unreadable_rows)}); expected {expected}" if rep.n_sic_unreadable else "")
            + (f"; {_n(rep.n_sic_unknown, 'row')} with a SIC code that is not a SIC 2007 class (SIC 2003?) "
               f"({_cells_words(rep.sic_unknown_rows)}); expected a SIC 2007 code ({_UNKNOWN_HINT})"
               if rep.n_sic_unknown else ""),
            file=file,
        )

    # coordinates
    e_c, n_c = _find(df, "easting"), _find(df, "northing")
    lat_c, lon_c = _find(df, "lat"), _find(df, "lon")
    pc_c, lad_c = _find(df, "postcode"), _find(df, "lad")
    east = pd.Series(np.nan, index=df.index)
    north = pd.Series(np.nan, index=df.index)
    # where each firm's point came from and how its postcode fared, as small codes into COORD_SOURCES
    # and _STATUSES (5M firms: an object column of strings per row costs seconds to fill)
    source = np.full(len(df), -1, dtype=np.int8)
    lad = df[lad_c].astype("str") if lad_c else pd.Series(None, index=df.index, dtype=object)
    coord_cells: list[tuple[np.ndarray, str, np.ndarray]] = []
    bad_xy = np.zeros(len(df), dtype=bool)
    swapped = False  # latitudes and longitudes given the other way round
    expected_xy = "a number with easting 0-700,000 and northing 0-1,300,000 m (EPSG:27700)"
    rows = df["source_row"].to_numpy()
    if e_c and n_c:
        east = _to_float(df[e_c])
        north = _to_float(df[n_c])
        if _looks_lonlat(east, north):
            raise ImportFormatError(
                f"columns {e_c}/{n_c} hold longitude/latitude in degrees (e.g. {east.dropna().iloc[0]:g}, "
                f"{north.dropna().iloc[0]:g}), not British National Grid metres (easting 0-700,000, northing "
                "0-1,300,000); rename them lon and lat (or longitude and latitude) so they are converted from "
                "WGS84, or give BNG eastings/northings",
                file=file, row=int(rows[east.notna().to_numpy()][0]), column=e_c,
            )
        (e0, e1), (n0, n1) = BNG_EXTENT
        for col, vals, lo, hi in ((e_c, east, e0, e1), (n_c, north, n0, n1)):
            v = vals.to_numpy(float)
            bad = ~np.isnan(v) & ((v < lo) | (v > hi))
            nan = np.isnan(v)
            if nan.any():  # text that is not a number (an empty cell is just missing)
                bad |= nan & (df[col].astype("string").str.strip().fillna("") != "").to_numpy(bool)
            if bad.any():
                bad_xy |= bad
                coord_cells.append((rows[bad][:_FIRST_ROWS], col, df[col].to_numpy(object)[bad][:_FIRST_ROWS]))
        east[bad_xy], north[bad_xy] = np.nan, np.nan
        source[(east.notna() & north.notna()).to_numpy()] = COORD_SOURCES.index("file_bng")
    elif lat_c and lon_c:
        from pyproj import Transformer

        expected_xy = "a WGS84 latitude (49 to 61.5 in Great Britain) and longitude (-9 to 2.5)"
        la = pd.to_numeric(df[lat_c], errors="coerce")
        lo = pd.to_numeric(df[lon_c], errors="coerce")
        ok = la.notna() & lo.notna()
        swapped = bool(ok.any()) and bool(la[ok].between(-9.0, 2.5).all() and lo[ok].between(49.0, 61.5).all())
        if ok.any():
            tr = Transformer.from_crs(4326, 27700, always_xy=True)
            ee, nn = tr.transform(lo[ok].to_numpy(), la[ok].to_numpy())
            east[ok], north[ok] = ee, nn
            (e0, e1), (n0, n1) = BNG_EXTENT
            out_of = ok.to_numpy() & ~(east.between(e0, e1) & north.between(n0, n1)).to_numpy()
            if out_of.any():
                bad_xy |= out_of
                coord_cells.append((rows[out_of][:_FIRST_ROWS], f"{lat_c}/{lon_c}",
                                    (df[lat_c].astype(str) + "/" + df[lon_c].astype(str)).to_numpy(object)[
                                        out_of][:_FIRST_ROWS]))
                east[out_of], north[out_of] = np.nan, np.nan
                ok &= ~out_of
            source[ok.to_numpy()] = COORD_SOURCES.index("file_latlon")
    postcode = pd.Series(None, index=df.index, dtype=object)
    gstatus = np.where(source >= 0, _STATUSES.index("file_coordinates"), _STATUSES.index("no_postcode"))
    if pc_c:
        postcode = df[pc_c]
        need = (source < 0) & postcode.notna().to_numpy()
        if need.any():
            if directory is None:
                areas = set(postcode[need].astype(str).str.strip().str[:1].str.upper()) - {""}
                directory = load_postcode_directory(postcode_directory_path, areas=areas if
                                                    postcode_directory_path is None else None)
            g = geocode_postcodes(postcode[need], directory)
            gstatus[need] = pd.Categorical(g["geocode_status"], categories=_STATUSES).codes
            ok = (g["geocode_status"] == "matched").to_numpy()
            idx = g.index[ok]
            east[idx], north[idx] = g.loc[idx, "easting"], g.loc[idx, "northing"]
            src = "onspd_csv" if postcode_directory_path else "onspd_2025_11_package"
            source[np.flatnonzero(need)[ok]] = COORD_SOURCES.index(src)
            lad[idx] = lad[idx].where(lad[idx].notna(), g.loc[idx, "lad_code"])
            postcode[need] = g["postcode"].where(g["postcode"].notna(), postcode[need])
    elif (source < 0).all():
        if bad_xy.any():  # coordinate columns there, but no value usable (and no postcode to fall back on)
            cells = _first_cells(coord_cells)
            raise ImportFormatError(
                f"none of the {rep.n_creative:,} creative firms has usable coordinates and the file has no "
                f"postcode column: {_cells_words(cells)}" + (" …" if int(bad_xy.sum()) > len(cells) else "")
                + (f"; the columns {lat_c} and {lon_c} look swapped (their latitudes are longitudes of Great "
                   f"Britain and their longitudes its latitudes): swap the two column names"
                   if swapped else f"; expected {expected_xy}"),
                file=file, row=int(cells["source_row"].iloc[0]), column=str(cells["column"].iloc[0]),
            )
        raise ImportFormatError(
            "expected a postcode column or coordinates (easting/northing or lat/lon); found "
            f"{list(raw.columns)}",
            file=file, row=1,
        )
    located = source >= 0
    if bad_xy.any():
        # a row whose postcode was tried keeps how that fared
        unplaced = bad_xy & ~located & (gstatus == _STATUSES.index("no_postcode"))
        gstatus[unplaced] = _STATUSES.index("bad_coordinates")
        rep.n_bad_coordinates = int(bad_xy.sum())
        rep.n_bad_coordinates_by_postcode = int((bad_xy & located).sum())
        rep.bad_coordinate_rows = _first_cells(coord_cells, problem="not a number or outside the BNG extent")
        warnings.warn(
            f"{file}: {_n(rep.n_bad_coordinates, 'creative firm')} with coordinates that are not "
            + ("a latitude and longitude in Great Britain" if lat_c and lon_c and not (e_c and n_c)
               else "British National Grid metres")
            + f" ({_cells_words(rep.bad_coordinate_rows)}"
            + (" …" if rep.n_bad_coordinates > len(rep.bad_coordinate_rows) else "")
            + f"); expected {expected_xy}"
            + (f" (the columns {lat_c} and {lon_c} look swapped: swap the two column names)" if swapped else "")
            + ". Those "
            f"coordinates were not used: {rep.n_bad_coordinates_by_postcode:,} located by "
            f"their postcode instead, {rep.n_bad_coordinates - rep.n_bad_coordinates_by_postcode:,} left out",
            MalformedFirmValuesWarning,
            stacklevel=2,
        )
    rep.geocode_counts = _code_counts(gstatus, _STATUSES)
    rep.coord_sources = _code_counts(source[located], COORD_SOURCES)
    failed = df.loc[~located, ["source_row", name_c] + ([pc_c] if pc_c else [])].copy()
    failed["reason"] = np.asarray(_STATUSES, dtype=object)[gstatus[~located]]
    rep.failed_rows = failed.rename(columns={name_c: "name", pc_c or "": "postcode"})
    rep.n_located = int(located.sum())
    if rep.n_located == 0:
        counts = ", ".join(f"{_REASON_WORDS.get(k, k)}: {v:,}" for k, v in rep.geocode_counts.items())
        tried = rep.failed_rows
        if pc_c is not None:
            with_pc = tried[tried["postcode"].notna() & (tried["postcode"].astype(str).str.strip() != "")]
            examples = "; ".join(f"row {r.source_row}: {r.postcode!r}" for r in with_pc.head(3).itertuples())
            where = (f"no value of the postcode column {pc_c!r} could be located"
                     + (f" (e.g. {examples})" if examples else " (every cell is empty)")
                     + f"; expected {POSTCODE_FORM}. Check that the column read as the postcode is the right one "
                     "(rename the postcode column 'postcode'), or, for postcodes that are right but not in the "
                     "packaged directory, supply an ONSPD CSV (--onspd)")
        else:
            where = "check the coordinate columns"
        raise ImportFormatError(
            f"none of the {rep.n_creative:,} creative firms could be located ({counts}): {where}",
            file=file,
        )
    if rep.n_located < rep.n_creative:
        n_failed = rep.n_creative - rep.n_located
        warnings.warn(
            f"{file}: {n_failed:,} of {rep.n_creative:,} "
            f"{firm_words(rep.address_kind, rep.all_creative)['points']} could not "
            f"be located and were left out ({_failed_words(rep.failed_rows)}"
            + (" …" if n_failed > _FIRST_ROWS else "") + f"; {UNLOCATED_WHERE})",
            UnlocatedFirmsWarning,
            stacklevel=2,
        )
    # text columns stay Arrow-backed ("str"): a Python object per cell costs ~60 bytes, 1 GB+ at 5M firms
    ids = df[id_c].astype("str") if id_c else pd.Series(df["source_row"].astype("str"), index=df.index)
    firms = pd.DataFrame(
        {
            "firm_id": ids,
            "name": df[name_c].astype("str"),
            "postcode": postcode.astype("str") if pc_c else postcode,
            "company_status": (df[status_c].astype("str") if status_c
                               else text_from_codes([], np.full(len(df), -1), df.index)),
            "sic_codes": codes,
            "subsectors": subs_s,
            "subsector": first_s,
            "easting": east.astype(float),
            "northing": north.astype(float),
            "lad_code": lad,
            "coord_source": text_from_codes(COORD_SOURCES, source, df.index),
            "source_row": df["source_row"],
            "postcode_companies": df["postcode_companies"],
        }
    )
    if not located.all():  # (a filter copies every column: 5M firms with coordinates skip it)
        firms = firms[located]
    return firms.reset_index(drop=True)[FIRM_COLUMNS], rep


def _zip_is_companies_house(path: Path) -> bool:
    """True when every CSV in the zip has the Companies House product's header (the national reader reads
    it); False for a zip of one plain CSV (read as that CSV).

    Raises
    ------
    ImportFormatError
        When the zip holds no CSV, or several CSVs of which some are not the product's (they are named).
    """
    import zipfile

    members = _zip_csv_members(path)
    if not members:
        raise ImportFormatError("zip holds no CSV file; expected one CSV list of firms or the Companies House "
                                "product", file=str(path))
    with zipfile.ZipFile(path) as zf:
        ch = {}
        for m in members:
            with zf.open(m) as fh:
                ch[m] = is_companies_house_layout(fh.readline().decode("utf-8-sig", errors="replace"))
    if all(ch.values()):
        return True
    if len(members) == 1:
        return False
    plain = [m for m, is_ch in ch.items() if not is_ch]
    raise ImportFormatError(
        f"zip holds {len(members)} CSV files and {', '.join(plain)} "
        + ("is not a Companies House product part" if len(plain) == 1 else "are not Companies House product parts")
        + " (BasicCompanyData…, with RegAddress.PostCode and SICCode.SicText_1); expected one CSV list of firms "
        "or the product's parts. "
        "Unzip it and give one file, or join the lists into one CSV",
        file=str(path),
    )


def load_creative_firms(
    path: str | Path,
    *,
    status: str = "active",
    postcode_directory_path: str | Path | None = None,
    all_creative: bool = False,
) -> tuple[pd.DataFrame, FirmsReport]:
    """Read a firm file and return its located creative firms and a report.

    ``all_creative`` states that every firm of a list without SIC codes or
    sub-sectors is creative (see :func:`prepare_firms`).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "firms.csv")  # SYNTHETIC firms
    >>> _ = open(p, "w").write("name,easting,northing,subsector\\nA,435000,387000,music\\n")
    >>> firms, rep = load_creative_firms(p)
    >>> firms["subsector"].tolist(), rep.coord_sources
    (['music_arts'], {'file_bng': 1})
    """
    p = Path(path)
    national = p.is_dir()
    if not national and p.suffix.lower() == ".csv" and p.exists() and p.stat().st_size:
        with open(p, encoding="utf-8-sig", errors="replace") as fh:
            national = is_companies_house_layout(fh.readline())
    elif p.suffix.lower() == ".zip" and p.exists():
        national = _zip_is_companies_house(p)
    # the official product layout is read in chunks, keeping only creative rows
    raw = read_companies_house(p, status=status) if national else read_firm_file(p)
    if national and raw.empty:
        kept = int(raw.attrs.get("rows_status_kept", 0))
        if kept == 0 and status.lower() != "all":
            raise ImportFormatError(
                f"no company of the {raw.attrs['rows_read']:,} rows has status {status!r}; expected --status "
                f"{STATUS_WORDS}",
                file=str(p), column="CompanyStatus")
        raise ImportFormatError(
            f"no creative companies among the {kept:,} rows with status {status!r} (of "
            f"{raw.attrs['rows_read']:,} read): none has a SIC code of a DCMS creative class",
            file=str(p))
    return prepare_firms(raw, status=status, postcode_directory_path=postcode_directory_path,
                         all_creative=all_creative)
