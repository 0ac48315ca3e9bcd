"""The national Companies House file, read in chunks: only the columns and rows microclusters need.

The Free Company Data Product (``BasicCompanyDataAsOneFile-YYYY-MM-DD.zip``,
about 5.7 million companies, a CSV of about 2.7 GB; or its monthly parts
``BasicCompanyData-YYYY-MM-DD-partN_M.zip``) is read with pyarrow's streaming
CSV reader, one block at a time, zipped or not:

- only ``CompanyName``, ``CompanyNumber``, ``RegAddress.PostCode``,
  ``RegAddress.PostTown``, ``CompanyStatus``, ``IncorporationDate`` and
  ``SICCode.SicText_1..4`` are parsed (the header's stray spaces, as in
  ``" CompanyNumber"``, are tolerated);
- per block, companies registered at each postcode are counted over **all**
  rows that pass the status filter (the registered-office hub rule,
  :mod:`creative_clusters.microclusters.hubs`), and only rows with a DCMS
  creative SIC class in any of the four SIC columns are kept.

Memory is a few blocks, the creative rows and 8 bytes per company for the
postcode counts (a 64-bit hash of each postcode, counted at the end). The result has the official column names plus
``postcode_companies``, and ``attrs`` with ``file``, ``rows_read``,
``rows_status_kept`` and ``rows_no_sic`` (rows of that status with no SIC code at all);
:func:`creative_clusters.sources.firm_files.prepare_firms`
then geocodes it with the packaged postcode directory.

Examples
--------
>>> import io
>>> csv = (b"CompanyName, CompanyNumber,RegAddress.PostCode,CompanyStatus,SICCode.SicText_1,"
...        b"SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4\\n"
...        b"A LTD,1,S1 2BX,Active,59111 - Motion picture production,,,\\n"
...        b"B LTD,2,S1 2BX,Active,47110 - Retail,,,\\n")
>>> t = read_companies_house(io.BytesIO(csv))
>>> t[["CompanyName", "CompanyNumber", "postcode_companies"]].values.tolist(), t.attrs["rows_read"]
([['A LTD', '1', 2]], 2)
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

import numpy as np
import pandas as pd

from creative_clusters.errors import ImportFormatError

__all__ = ["CH_COLUMNS", "COMPANIES_HOUSE_OWN_CLASSES", "OFFICIAL_HEADER", "SIC2007_HIERARCHY",
           "companies_house_parts", "is_companies_house_layout", "read_companies_house", "sic2007_classes"]

SIC_COLUMNS = tuple(f"SICCode.SicText_{i}" for i in range(1, 5))
#: A readable SIC cell: the 4-5 digit code alone or in the Companies House form "62012 - Business and ...";
#: "62.01"/"62.012" (the class written with its dot) is read too, and so is "62012.0" (a code a spreadsheet or
#: pandas wrote as a decimal number, as a column of numbers with an empty cell is).
SIC_CELL = r"^(\d{4,5}|\d{2}\.\d{2,3})(?:\.0)?(?:\s*-\s.*|\s*-)?$"
#: Cells that say the company gave no SIC code (Companies House writes "None Supplied"): not unreadable.
SIC_NONE = ("none supplied", "none", "n/a", "-")
#: How many unreadable SIC cells of left-out rows the reader names (``sic_unreadable_examples``).
_EXAMPLES = 5
#: The SIC 2007 list of the reference bundle (``CREATIVE_CLUSTERS_DATA``): every subclass, 5 digits.
SIC2007_HIERARCHY = "classifications/sic2007_hierarchy.csv"
#: Codes Companies House uses that are not SIC 2007 subclasses, as the readers cut them to 4 digits:
#: 74990 "Non-trading company", 98000 "Residents property management", 99999 "Dormant Company".
COMPANIES_HOUSE_OWN_CLASSES = ("7499", "9800", "9999")


def sic2007_classes(data: str | Path | None = None) -> frozenset[str] | None:
    """The 4-digit classes of SIC 2007 (and :data:`COMPANIES_HOUSE_OWN_CLASSES`), or None when the list is
    not found.

    Read from :data:`SIC2007_HIERARCHY` under ``data`` (default: the reference-data directory,
    ``CREATIVE_CLUSTERS_DATA``): the first four digits of each 5-digit subclass. A SIC 2003 code such as
    92110 (film production) or 72220 (software consultancy) has no class here.
    """
    from creative_clusters.config import data_dir

    root = data_dir(data)
    if root is None or not (root / SIC2007_HIERARCHY).is_file():
        return None
    path = root / SIC2007_HIERARCHY
    return _classes_of(str(path.resolve()), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _classes_of(path: str, _mtime: int) -> frozenset[str] | None:
    import csv

    with open(path, encoding="latin-1", newline="") as fh:
        codes = {(r.get("SIC_5DIGIT_CODE") or "").strip() for r in csv.DictReader(fh)}
    classes = {c[:4] for c in codes if re.fullmatch(r"\d{5}", c)}
    return frozenset(classes | set(COMPANIES_HOUSE_OWN_CLASSES)) if classes else None


CH_COLUMNS = ("CompanyName", "CompanyNumber", "RegAddress.PostCode", "RegAddress.PostTown", "CompanyStatus",
              "IncorporationDate", *SIC_COLUMNS)
#: The product's 55 columns in order (stray spaces as in the published header; the
#: reader strips them, so it does not depend on them). Used to generate
#: SYNTHETIC files of the same layout for tests and benchmarks
#: (:func:`creative_clusters.testing.write_synthetic_product`).
OFFICIAL_HEADER = (
    "CompanyName", " CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox", "RegAddress.AddressLine1",
    " RegAddress.AddressLine2", "RegAddress.PostTown", "RegAddress.County", "RegAddress.Country",
    "RegAddress.PostCode", "CompanyCategory", "CompanyStatus", "CountryOfOrigin", "DissolutionDate",
    "IncorporationDate", "Accounts.AccountRefDay", "Accounts.AccountRefMonth", "Accounts.NextDueDate",
    "Accounts.LastMadeUpDate", "Accounts.AccountCategory", "Returns.NextDueDate", "Returns.LastMadeUpDate",
    "Mortgages.NumMortCharges", "Mortgages.NumMortOutstanding", "Mortgages.NumMortPartSatisfied",
    "Mortgages.NumMortSatisfied", *SIC_COLUMNS, "LimitedPartnerships.NumGenPartners",
    "LimitedPartnerships.NumLimPartners", "URI",
    *[f"{' ' if i > 1 else ''}PreviousName_{i}.{part}" for i in range(1, 11) for part in ("CONDATE", "CompanyName")],
    "ConfStmtNextDueDate", " ConfStmtLastMadeUpDate",
)
_REQUIRED = ("CompanyName", "CompanyNumber", "RegAddress.PostCode", "SICCode.SicText_1")
_PART = re.compile(r"BasicCompanyData(AsOneFile)?-(\d{4}-\d{2}-\d{2})(-part(\d+)_\d+)?\.(csv|zip)$", re.I)
#: Bytes parsed per block: 4 MB keeps the reader near 300 MB peak (16 MB: about 500 MB)
#: and is as fast on the product's layout (benchmarks/bench_companies_house.py).
BLOCK_BYTES = 4 << 20


def is_companies_house_layout(header: str) -> bool:
    """True when a CSV header line is the official product's (``RegAddress.PostCode`` and the SIC columns)."""
    cols = {c.strip() for c in header.strip().split(",")}
    return all(c in cols for c in _REQUIRED)


def companies_house_parts(path: str | Path) -> list[Path]:
    """The files to read: ``path`` itself, or a folder's product files in part order."""
    p = Path(path)
    if not p.is_dir():
        return [p]
    parts = [f for f in p.iterdir() if _PART.search(f.name)]
    if not parts:
        raise ImportFormatError("folder holds no Companies House product files (BasicCompanyData…csv/zip)",
                                file=str(p))

    dates = sorted({m.group(2) for f in parts if (m := _PART.search(f.name))})
    if len(dates) > 1:
        raise ImportFormatError("folder holds Companies House files of more than one product date "
                                f"({', '.join(dates)}); keep one month's files (the whole file or all its parts) "
                                "in the folder",
                                file=str(p))
    whole = [f.name for f in parts if (m := _PART.search(f.name)) and m.group(1)]
    if (whole and len(parts) > len(whole)) or len(whole) > 1:
        raise ImportFormatError(f"folder holds the whole file ({', '.join(whole)}) and other product files, which "
                                "would count companies twice; keep either the whole file or its parts",
                                file=str(p))

    def order(f: Path) -> tuple[int, str]:
        m = _PART.search(f.name)
        return (int(m.group(4)) if m and m.group(4) else 0, f.name)

    return sorted(parts, key=order)


def _open(source: Any) -> Iterator[tuple[str, IO[bytes]]]:
    """(name, binary stream) of each CSV inside ``source`` (a path, zip, gzip, or a binary stream)."""
    if not isinstance(source, (str, Path)):
        yield "<stream>", source
        return
    p = Path(source)
    if not p.exists():
        raise ImportFormatError("Companies House file not found", file=str(p))
    if p.suffix.lower() == ".zip":
        with zipfile.ZipFile(p) as zf:
            members = [m for m in zf.namelist() if m.lower().endswith(".csv")]
            if not members:
                raise ImportFormatError("zip holds no CSV file", file=str(p))
            for m in members:
                with zf.open(m) as fh:
                    yield f"{p.name}:{m}", fh
    elif p.suffix.lower() == ".gz":
        import gzip

        with gzip.open(p, "rb") as gz:
            yield p.name, cast(IO[bytes], gz)
    else:
        with open(p, "rb") as fh:
            yield p.name, fh


#: The encoding a product file that is not UTF-8 is read in: Windows-1252, as the regional reader
#: (:data:`creative_clusters.sources.firm_files.FALLBACK_ENCODING`) reads such a firm list.
FALLBACK_ENCODING = "cp1252"


class _NotUtf8(Exception):
    """pyarrow refused ``member`` as invalid UTF-8 (caught by :func:`read_companies_house`, which re-reads it)."""

    def __init__(self, member: str) -> None:
        super().__init__(member)
        self.member = member


def _first_undecodable(stream: IO[bytes], encoding: str) -> tuple[int, int] | None:
    """(byte offset from 0, line from 1) of the first byte of ``stream`` not ``encoding``, or None.

    >>> _first_undecodable(io.BytesIO("a,b\\nCAFÉ,1\\n".encode("cp1252")), "utf-8")
    (7, 2)
    >>> _first_undecodable(io.BytesIO("a,b\\nCAFÉ,1\\n".encode("utf-8")), "utf-8") is None
    True
    """
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)()
    read = lines = 0
    while True:
        chunk = stream.read(1 << 20)
        pending = len(decoder.getstate()[0])  # bytes of a character cut at the last chunk's end (no newline)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            return read - pending + exc.start, lines + exc.object.count(b"\n", 0, exc.start) + 1
        if not chunk:
            return None
        read += len(chunk)
        lines += chunk.count(b"\n")


def _where_undecodable(source: Any, files: list[Any], member: str, encoding: str) -> tuple[int, int]:
    """(byte offset, line) of the first byte of ``member`` that is not ``encoding``, read again from the start.

    A stream that cannot be read again (not seekable) is an :class:`ImportFormatError` saying how to fix it.
    """
    if not isinstance(source, (str, Path)):
        if not (hasattr(source, "seekable") and source.seekable()):
            raise ImportFormatError(
                "the stream is not UTF-8 and cannot be read again as Windows-1252 (it is not seekable); expected "
                "the Companies House product as UTF-8 text. Convert it first, e.g. `iconv -f CP1252 -t UTF-8 "
                "IN.csv > OUT.csv`, or give the file's path", file=member)
        source.seek(0)
        where = _first_undecodable(source, encoding)
        source.seek(0)
        return where or (0, 1)
    for f in files:
        for m, stream in _open(f):
            if m == member:
                return _first_undecodable(stream, encoding) or (0, 1)
    return 0, 1


def _batches(stream: IO[bytes], name: str, block_bytes: int, encoding: str = "utf8") -> Iterator[Any]:
    """The product's columns of ``stream``, block by block; :class:`_NotUtf8` when UTF-8 is refused."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    head = stream.read(65536)
    first = head.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    if not is_companies_house_layout(first):
        raise ImportFormatError(
            f"not the Companies House product layout: expected columns {list(_REQUIRED)}; the header "
            f"starts {first[:200]!r}", file=name, row=1)
    wanted = {c.strip(): c for c in first.rstrip("\r").split(",") if c.strip() in CH_COLUMNS}
    full = io.BufferedReader(_Prepend(head, stream), buffer_size=1 << 20)
    try:
        reader = pacsv.open_csv(
            full,
            read_options=pacsv.ReadOptions(block_size=block_bytes, encoding=encoding),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(wanted.values()),
                column_types=dict.fromkeys(wanted.values(), pa.string()),
                strings_can_be_null=True,
            ),
        )
        for batch in reader:
            yield batch.rename_columns([c.strip() for c in batch.schema.names])
    except pa.ArrowInvalid as exc:  # pyarrow checks the kept columns' text is UTF-8 as it converts them
        if encoding == "utf8" and "invalid UTF8" in str(exc):
            raise _NotUtf8(name) from exc
        raise


class _Prepend(io.RawIOBase):
    """A binary stream that first returns ``head`` (already read for the header check)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        if len(self._head):
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buf))
        buf[: len(data)] = data
        return len(data)


class _KeyCounts:
    """Running count of each key (e.g. a postcode) over many blocks, in 8 bytes per row.

    Each non-null key is reduced to a 64-bit hash (``pandas.util.hash_array``)
    as its block is read; :meth:`lookup` counts the hashes once at the end
    (``numpy.unique``). Memory is 8 bytes per company counted (46 MB for the
    national file's 5.7 million rows), however long the keys are. Two
    different keys share a hash with probability about n²/2⁶⁵ (under 10⁻⁶
    for 6 million keys).
    """

    def __init__(self) -> None:
        self._parts: list[np.ndarray] = []

    @staticmethod
    def hashes(keys: Any) -> tuple[np.ndarray, np.ndarray]:
        """64-bit hashes of an Arrow string array and the mask of its non-null entries."""
        obj = keys.to_numpy(zero_copy_only=False)
        ok = ~pd.isna(obj)
        h = np.zeros(len(obj), dtype=np.uint64)
        if ok.any():
            h[ok] = pd.util.hash_array(obj[ok].astype(object), categorize=False)
        return h, ok

    def add(self, keys: Any) -> tuple[np.ndarray, np.ndarray]:
        """Count ``keys``; returns their hashes and non-null mask (for :meth:`lookup`)."""
        h, ok = self.hashes(keys)
        self._parts.append(h[ok])
        return h, ok

    def lookup(self, h: np.ndarray, ok: np.ndarray) -> Any:
        """Count of each hashed key over everything added; null where the key is null."""
        import pyarrow as pa

        allh = np.concatenate(self._parts) if self._parts else np.zeros(0, dtype=np.uint64)
        self._parts = [allh]
        uniq, counts = np.unique(allh, return_counts=True)
        if not len(uniq):
            return pa.nulls(len(h), pa.int64())
        pos = np.minimum(np.searchsorted(uniq, h), len(uniq) - 1)
        found = ok & (uniq[pos] == h)
        return pa.array(np.where(found, counts[pos], 0), type=pa.int64(), mask=~found)


def _postcode_key(values: Any) -> Any:
    """Postcodes as upper-case letters and digits; null when nothing is left (Arrow)."""
    import pyarrow.compute as pc

    key = pc.utf8_upper(pc.replace_substring_regex(values, r"[^A-Za-z0-9]", ""))
    return pc.if_else(pc.equal(key, ""), None, key)


def _sic_cells(column: Any, creative: Any, known: Any = None) -> tuple[Any, Any, Any, Any]:
    """Per cell of a SIC column: (a readable code of a creative class, text that is no SIC code, a readable
    code whose class is not among ``known``, the SIC 2007 classes, all False without ``known``; an empty
    cell or "None Supplied").

    The rule of :data:`SIC_CELL` (empty cells and "None Supplied" are neither) runs on the column's
    distinct values, a few thousand in the national file, then is taken per row.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    coded = pc.dictionary_encode(pc.utf8_trim_whitespace(column))
    words = coded.dictionary
    readable = pc.match_substring_regex(words, SIC_CELL)
    cls = pc.utf8_slice_codeunits(pc.replace_substring(words, ".", ""), 0, 4)
    creative_w = pc.and_(readable, pc.is_in(cls, value_set=creative))
    empty_w = pc.is_in(pc.utf8_lower(words), value_set=pa.array(["", *SIC_NONE]))
    bad_w = pc.and_(pc.invert(readable), pc.invert(empty_w))
    unknown_w = (pc.and_(readable, pc.invert(pc.is_in(cls, value_set=known))) if known is not None
                 else pa.array([False] * len(words), type=pa.bool_()))
    return (pc.fill_null(pc.take(creative_w, coded.indices), False),
            pc.fill_null(pc.take(bad_w, coded.indices), False),
            pc.fill_null(pc.take(unknown_w, coded.indices), False),
            pc.fill_null(pc.take(empty_w, coded.indices), True))


def read_companies_house(
    source: Any,
    *,
    status: str = "active",
    block_bytes: int = BLOCK_BYTES,
) -> pd.DataFrame:
    """Creative companies of the national file(s), with postcode counts over all companies.

    Parameters
    ----------
    source : path, folder or binary stream
        A ``.csv``, ``.csv.gz`` or ``.zip`` (the whole file or a monthly
        part), a folder of parts, or an open binary stream.
    status : str
        ``"active"`` (statuses beginning "Active"), ``"all"``, or one exact
        status: rows outside it are neither kept nor counted at postcodes.
    block_bytes : int
        Bytes parsed per block. Peak memory grows with it (pyarrow parses a
        few blocks ahead): about 300 MB in all at the default 4 MB.

    Returns
    -------
    pandas.DataFrame
        Official column names (strings), one row per creative company,
        plus ``postcode_companies`` (companies registered at its postcode).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from creative_clusters.classifications import dcms

    creative = pa.array(dcms.creative_classes())
    files = companies_house_parts(source) if isinstance(source, (str, Path)) else [source]
    classes = sic2007_classes()
    known = pa.array(sorted(classes)) if classes is not None else None
    name = str(source) if isinstance(source, (str, Path)) else "<stream>"
    # members that are not UTF-8: (byte offset, line) of the first byte that is not; read as Windows-1252
    not_utf8: dict[str, tuple[int, int]] = {}
    while True:
        kept: list[pa.Table] = []
        kept_h: list[np.ndarray] = []
        kept_ok: list[np.ndarray] = []
        at_postcode = _KeyCounts()
        rows_read = rows_status = no_sic = 0
        dropped = {"bad": 0, "unknown": 0}
        examples: list[tuple[str, int, str]] = []
        unknown_examples: list[tuple[str, int, str]] = []
        reading = name
        try:
            for f in files:
                for member, stream in _open(f):
                    encoding = FALLBACK_ENCODING if member in not_utf8 else "utf8"
                    reading = member
                    offset = 0  # records of this file before the batch (its rows are numbered from 2: header = 1)
                    for batch in _batches(stream, member, block_bytes, encoding):
                        rows_read += batch.num_rows
                        # lines of the file, numbered for messages
                        rows = np.arange(offset + 2, offset + 2 + batch.num_rows)
                        offset += batch.num_rows
                        if status.lower() != "all" and "CompanyStatus" in batch.schema.names:
                            st = pc.utf8_lower(pc.utf8_trim_whitespace(batch.column("CompanyStatus")))
                            ok = pc.fill_null(pc.starts_with(st, "active") if status.lower() == "active"
                                              else pc.equal(st, status.lower()), False)
                            batch = batch.filter(ok)
                            rows = rows[ok.to_numpy(zero_copy_only=False)]
                        rows_status += batch.num_rows
                        key_h, key_ok = at_postcode.add(_postcode_key(batch.column("RegAddress.PostCode")))
                        # each SIC cell read by the regional reader's rule (firm_files): a code alone or "59111 - ...",
                        # on the batch's distinct values; creative = a readable cell of a creative class
                        mask = bad_any = unknown_any = empty_all = None
                        for c in SIC_COLUMNS:
                            if c not in batch.schema.names:
                                continue
                            hit, bad, unknown, empty = _sic_cells(batch.column(c), creative, known)
                            empty_all = empty if empty_all is None else pc.and_(empty_all, empty)
                            mask = hit if mask is None else pc.or_(mask, hit)
                            bad_any = bad if bad_any is None else pc.or_(bad_any, bad)
                            unknown_any = unknown if unknown_any is None else pc.or_(unknown_any, unknown)
                        if empty_all is not None:  # rows with no SIC code at all: not known to be creative
                            no_sic += pc.sum(empty_all).as_py() or 0
                        if mask is not None:
                            # a left-out row with a cell that is no SIC code ("5911X - typo") could not be classified:
                            # counted, and the first named, never silently taken as not creative; so is one with a code
                            # that is not a SIC 2007 class (92110, SIC 2003's film production) and no unreadable cell
                            bad = pc.and_(pc.invert(mask), bad_any)
                            unknown_rows = pc.and_(pc.and_(pc.invert(mask), pc.invert(bad_any)), unknown_any)
                            for rows_mask, which, n_col in ((bad, 1, "bad"), (unknown_rows, 2, "unknown")):
                                n_bad = pc.sum(rows_mask).as_py() or 0
                                dropped[n_col] += n_bad
                                found = examples if which == 1 else unknown_examples
                                if n_bad and len(found) < _EXAMPLES:
                                    bad_np = rows_mask.to_numpy(zero_copy_only=False)
                                    hit_rows, hit_lines = batch.filter(rows_mask), rows[bad_np]
                                    for c in SIC_COLUMNS:
                                        if c in batch.schema.names and len(found) < _EXAMPLES:
                                            cell_bad = _sic_cells(hit_rows.column(c), creative, known)[which].to_numpy(
                                                zero_copy_only=False)
                                            values = hit_rows.column(c).to_numpy(zero_copy_only=False)[cell_bad]
                                            found += [(c, int(r), str(v)) for r, v in zip(
                                                hit_lines[cell_bad], values, strict=True)][:_EXAMPLES - len(found)]
                            sub = pa.Table.from_batches([batch]).filter(mask)
                            if sub.num_rows:
                                m = mask.to_numpy(zero_copy_only=False)
                                sub = sub.append_column("source_row", pa.array(rows[m]))
                                kept.append(sub)
                                kept_h.append(key_h[m])
                                kept_ok.append(key_ok[m])
        except _NotUtf8 as exc:  # read everything again, this member as Windows-1252 (what the regional reader does)
            not_utf8[exc.member] = _where_undecodable(source, files, exc.member, "utf-8")
            continue
        except UnicodeDecodeError as exc:  # not Windows-1252 either
            if reading not in not_utf8:
                raise
            at, line = _where_undecodable(source, files, reading, FALLBACK_ENCODING)
            raise ImportFormatError(
                f"cannot decode as UTF-8 (first bad byte at byte offset {not_utf8[reading][0]:,}, line "
                f"{not_utf8[reading][1]:,}) nor as Windows-1252 (byte 0x{exc.object[exc.start]:02X} at byte offset "
                f"{at:,}, line {line:,}); expected the Companies House product as UTF-8 text. Convert it to UTF-8 "
                "from the encoding it was saved in, e.g. `iconv -f ISO-8859-15 -t UTF-8 IN.csv > OUT.csv`",
                file=reading) from None
        break
    if not kept:
        out = pd.DataFrame(columns=[*CH_COLUMNS, "source_row", "postcode_companies"])
    else:
        table = pa.concat_tables(kept, promote_options="default")
        counts = at_postcode.lookup(np.concatenate(kept_h), np.concatenate(kept_ok))
        table = table.append_column("postcode_companies", counts)
        out = table.to_pandas()
        out["postcode_companies"] = out["postcode_companies"].astype("Int64")
        out = out.astype({c: object for c in out.columns if c not in ("postcode_companies", "source_row")})
        out = out.where(out.notna(), None)
    if not_utf8:  # said as the regional reader says it (prepare_firms warns, the report and run notes say so)
        first = next(iter(not_utf8))
        out.attrs.update({"encoding": FALLBACK_ENCODING, "encoding_line": not_utf8[first][1],
                          "encoding_offset": not_utf8[first][0], "encoding_files": list(not_utf8)})
    out.attrs.update({"file": name, "rows_read": rows_read, "rows_status_kept": rows_status,
                      "status_filtered": status, "rows_sic_unreadable_dropped": dropped["bad"],
                      "sic_unreadable_examples": examples, "rows_sic_unknown_dropped": dropped["unknown"],
                      "sic_unknown_examples": unknown_examples, "sic_checked": known is not None,
                      "rows_no_sic": no_sic})
    return out.reset_index(drop=True) if len(out) else out
