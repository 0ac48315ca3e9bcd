"""Reading a Nomis API CSV as it arrives (pure; no network): what is not one, and what is cut short.

Before :mod:`creative_clusters.sources._nomis_parse` reads a single cell: a Nomis
web (Query) download, a bulk download (``.bulk.csv``), an HTML error page, JSON
or a line of text saved under a ``.csv`` name, a row cut short, and a file
holding fewer records than its ``RECORD_COUNT`` are each named as such. See
``tests/data/nomis/README.md`` for the layouts and where they come from.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from creative_clusters.errors import ImportFormatError
from creative_clusters.sources._base import csv_parse_error

__all__ = [
    "BULK_DOWNLOAD_HINT",
    "WEB_DOWNLOAD_HINT",
    "looks_like_bulk_download",
    "looks_like_web_download",
    "not_data_reason",
    "read_csv_bytes",
    "record_count_message",
]


#: What to do with a Nomis web (Query) download: get the API CSV of the same selection.
WEB_DOWNLOAD_HINT = (
    "this looks like a Nomis web (Query) download: title rows, then a table of names without GSS codes "
    "or OBS_STATUS. `import-nomis` needs the Nomis API CSV, one row per cell with DATE, GEOGRAPHY_CODE, "
    "OBS_VALUE and OBS_STATUS columns, from a URL of the form "
    "https://www.nomisweb.co.uk/api/v01/dataset/NM_142_1.data.csv?geography=TYPE424&date=latest"
    "&industry=...&measures=20100. `creative-clusters data fetch DATASET -g lad --dry-run` prints the URL "
    "of the toolkit's selection without using the network: open it in a browser and save the file, "
    "or run `data fetch` where there is internet. Nothing was imported"
)


def looks_like_web_download(content: bytes) -> bool:
    """True when ``content`` has the layout of a Nomis web (Query) download, not an API CSV.

    A web download starts with title rows of one field (the table's title, "ONS
    Crown Copyright Reserved [from Nomis on ...]"), then the selection's
    dimensions and a wide table of names; an API CSV starts with its header row
    (``DATE``, ..., ``OBS_VALUE``).

    Examples
    --------
    >>> looks_like_web_download(b'"UK Business Counts"\\n"ONS Crown Copyright Reserved '
    ...                         b'[from Nomis on 7 December 2026]"\\n"Date","2026"\\n')
    True
    >>> looks_like_web_download(b'"DATE","GEOGRAPHY_CODE","OBS_VALUE"\\n"2026","E09000033","5"\\n')
    False
    """
    text = content[:4096].decode("utf-8-sig", errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines or "OBS_VALUE" in lines[0].upper():
        return False
    if re.search(r"from Nomis on", text, re.IGNORECASE):
        return True
    first = lines[0].strip()
    one_field = first.startswith('"') and first.endswith('"') and '","' not in first
    return one_field and any('","' in ln for ln in lines[1:20])


def _short_record(content: bytes, width: int) -> tuple[int, int] | None:
    """The first data record (0-based) with fewer than ``width`` fields and how many it has, or ``None``.

    >>> _short_record(b'a,b,c\\n1,2,3\\n4,5\\n', 3)
    (1, 2)
    >>> _short_record(b'a,b,c\\n1,2,\\n', 3) is None
    True
    """
    text = content.decode("utf-8-sig", errors="replace")
    records = csv.reader(io.StringIO(text, newline=""))
    next(records, None)
    pos = 0
    for rec in records:
        if not rec:  # a blank line is no record (pandas skips it too)
            continue
        if len(rec) < width:
            return pos, len(rec)
        pos += 1
    return None


#: What to do with a Nomis bulk download (``.bulk.csv``: one column per category).
BULK_DOWNLOAD_HINT = (
    "this is a Nomis bulk download (a `.bulk.csv`, e.g. the Census 2021 'download the entire table' file): "
    "one row per area and one column per category ('date', 'geography', 'geography code', then columns such "
    "as 'Industry (current): 59 ...; measures: Value'). `import-nomis` reads the Nomis API CSV of the same "
    "table, one row per cell with DATE, GEOGRAPHY_CODE, OBS_VALUE and OBS_STATUS columns (a `.data.csv` URL). "
    "`creative-clusters data fetch DATASET -g lad --dry-run` prints that URL without using the network: open "
    "it in a browser and save the file, or run `data fetch` where there is internet. Nothing was imported"
)


def looks_like_bulk_download(content: bytes) -> bool:
    """True when ``content`` has the layout of a Nomis bulk download (``.bulk.csv``), not an API CSV.

    A bulk file's header is ``date,geography,geography code`` and then one
    column per category, each named ``Dimension: category; measures: Value``.

    Examples
    --------
    >>> looks_like_bulk_download(b'date,geography,geography code,Industry: Total; measures: Value\\n')
    True
    >>> looks_like_bulk_download(b'"DATE","GEOGRAPHY_CODE","OBS_VALUE"\\n')
    False
    """
    head = content[:65536].decode("utf-8-sig", errors="replace").splitlines()
    if not head:
        return False
    cells = [c.strip().strip('"').strip().lower() for c in next(csv.reader([head[0]]), [])]
    return cells[:3] == ["date", "geography", "geography code"] and len(cells) > 3 and "obs_value" not in cells


def not_data_reason(content: bytes) -> str | None:
    """Why ``content`` is not a Nomis CSV at all (an HTML page, JSON, a line of text), or ``None``.

    What a browser or a proxy saves under a ``.csv`` name when Nomis answers
    with an error, a sign-in or a "too many requests" page instead of data.

    Examples
    --------
    >>> page = b"<!DOCTYPE html><html><head><title>Nomis - Error</title></head></html>"
    >>> not_data_reason(page).startswith("an HTML page (titled 'Nomis - Error')")
    True
    >>> not_data_reason(b"Error: Query exceeds limits\\n")[:40]
    'a line of text, not CSV data: it starts '
    >>> not_data_reason(b'"DATE","GEOGRAPHY_CODE","OBS_VALUE"\\n') is None
    True
    """
    text = content[:8192].decode("utf-8-sig", errors="replace").lstrip()
    if not text:
        return None
    low = text.lower()
    if re.match(r"<(?:!doctype|html|head|body|\?xml|!--|[a-z]+[\s>])", low):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        named = f" (titled {' '.join(title.group(1).split())[:80]!r})" if title and title.group(1).strip() else ""
        return (f"an HTML page{named}, not CSV data: Nomis (or a proxy) answered with an error or web page "
                "instead of the table; open the file in a browser to read it")
    if text[0] in "{[":
        return ("JSON, not CSV data (a `.data.json` or SDMX-JSON response?); `import-nomis` reads the "
                "`.data.csv` layout of the same URL")
    first = text.splitlines()[0].strip()
    if "," not in first and "OBS_VALUE" not in first.upper():
        return (f"a line of text, not CSV data: it starts {first[:100]!r} (an error message from Nomis "
                "rather than the table?)")
    return None


def read_csv_bytes(content: bytes, source: str) -> pd.DataFrame:
    """Read a Nomis API CSV; refuse a web or bulk download, an error page or a row cut short, naming it."""
    if looks_like_web_download(content):
        raise ImportFormatError(WEB_DOWNLOAD_HINT, file=source)
    if looks_like_bulk_download(content):
        raise ImportFormatError(BULK_DOWNLOAD_HINT, file=source)
    reason = not_data_reason(content)
    if reason:
        raise ImportFormatError(f"this is {reason}. Download the table again from its Nomis API URL (`.data.csv`). "
                                "Nothing was imported", file=source)
    try:
        frame = pd.read_csv(
            io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except pd.errors.EmptyDataError as exc:
        raise ImportFormatError(
            "response is empty; expected a Nomis CSV", file=source
        ) from exc
    except pd.errors.ParserError as exc:
        raise csv_parse_error(exc, file=source, expected="a Nomis CSV") from exc
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"cannot decode as UTF-8 (byte {exc.start}); expected a Nomis CSV (UTF-8 text)",
            file=source,
        ) from exc
    short = _short_record(content, len(frame.columns)) if len(frame) and frame.iloc[:, -1].eq("").any() else None
    if short is not None:  # pandas fills a missing trailing field with "", as if it were published empty
        pos, have = short
        last = pos == len(frame) - 1
        raise ImportFormatError(
            f"this row has {have} of the {len(frame.columns)} fields of the header"
            + (": the file ends in the middle of a row, so it looks truncated (an interrupted download or copy). "
               if last else ". ")
            + "Download it again from Nomis. Nothing was imported",
            file=source, row=pos + 2, column=str(frame.columns[have]))
    return frame


#: Rows per request Nomis sends: unregistered users, and registered ones (see tests/data/nomis/README.md).
_PAGE_SIZES = (25_000, 100_000)


def record_count_message(frame: pd.DataFrame, n: int, total: int) -> str:
    """Why a file holds ``n`` rows where its ``RECORD_COUNT`` says ``total``: a page, a cut, or pages pasted twice.

    Examples
    --------
    >>> f = pd.DataFrame({"RECORD_OFFSET": ["0", "1"]})
    >>> record_count_message(f, 2, 10)[:63]
    'has 2 of the 10 records Nomis selected: the download was cut sh'
    >>> record_count_message(pd.DataFrame({"RECORD_OFFSET": ["5"]}), 1, 10)[:32]
    'holds records 6 to 6 of the 10 N'
    """
    offsets = pd.to_numeric(frame["RECORD_OFFSET"], errors="coerce") if "RECORD_OFFSET" in frame.columns else None
    first = int(offsets.iloc[0]) if offsets is not None and len(offsets) and pd.notna(offsets.iloc[0]) else 0
    again = "Nothing was imported"
    if n > total:
        return (f"has {n:,} rows but RECORD_COUNT says Nomis selected {total:,}: pages pasted together more than "
                f"once? Keep each record once (RECORD_OFFSET 0 to {total - 1:,}). {again}")
    if first > 0:
        return (f"holds records {first + 1:,} to {first + n:,} of the {total:,} Nomis selected (RECORD_OFFSET "
                f"starts at {first:,}): one page of a larger selection. Use `creative-clusters data fetch` "
                f"(which pages), or give every page of the selection to `creative-clusters data import-nomis` "
                f"(it joins them). {again}")
    if n in _PAGE_SIZES:
        return (f"has {n:,} of the {total:,} records Nomis selected; Nomis sends at most 25,000 rows per "
                "request to unregistered users. Use `creative-clusters data fetch` (which pages), or a "
                f"narrower selection; without internet, save every page (the same URL with &RecordOffset={n}, "
                f"{2 * n}, ...) and give all the files to `creative-clusters data import-nomis`. {again}")
    return (f"has {n:,} of the {total:,} records Nomis selected: the download was cut short (interrupted, or "
            "copied in part), or this is the first page of a larger selection. Download it again from Nomis, "
            "give every page of the selection to `creative-clusters data import-nomis` (it joins them), or "
            f"use `creative-clusters data fetch` (which pages). {again}")
