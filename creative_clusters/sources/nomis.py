"""Client for the official Nomis API (https://www.nomisweb.co.uk/api/v01).

Fetches what the reference bundle lacks (BRES workplace employment, UK
Business Counts by size band, Census 2021 tables) as CSV, pages through large
selections, caches raw responses on disk and parses them into the tidy
observation table (:mod:`creative_clusters._schema`).

Layers, in house style: :func:`~creative_clusters.sources.nomis_request.build_request`
(in :mod:`creative_clusters.sources.nomis_request`, with the dataset list and
the industry ids) is pure; :func:`fetch_table` does the network I/O (through
:mod:`creative_clusters.sources._http`, cached by
:mod:`creative_clusters.sources._cache`); :func:`parse_table` is pure again.

Unregistered users get at most 25,000 rows per request; every row carries
``RECORD_OFFSET`` and ``RECORD_COUNT`` so the client asks again with
``RecordOffset`` until all rows have arrived. A registered key is read from
``$NOMIS_UID`` (never cached, logged or stored in the catalogue).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable
from typing import Any

import httpx
import pandas as pd

from creative_clusters.errors import DataSourceError, ImportFormatError, ParameterError
from creative_clusters.sources import _http, _nomis_parse
from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult
from creative_clusters.sources._cache import ResponseCache
from creative_clusters.sources._nomis_parse import (
    LadCoverage,
    coverage_text,
    lad_coverage,
    parse_observations,
    read_csv_bytes,
    unknown_geo_codes,
)
from creative_clusters.sources.nomis_request import (
    DATASETS,
    NomisDataset,
    build_request,
    encode_query,
    request_url,
    resolve_dataset,
)

__all__ = [
    "GUEST_ROW_LIMIT",
    "PARTIAL_SUFFIX",
    "LadCoverage",
    "check_dataset",
    "coverage_text",
    "dataset_spec",
    "fetch_table",
    "file_dimensions",
    "join_pages",
    "lad_coverage",
    "parse_table",
    "unknown_geo_codes",
    "urn_dataset",
    "warehouse_id",
]

_slug = _nomis_parse._slug
#: Rows per request for unregistered users.
GUEST_ROW_LIMIT = 25_000


def fetch_table(
    dataset: str,
    *,
    geography: str,
    industry: str | Iterable[str] | None = None,
    date: str | None = None,
    measures: str | Iterable[str] | None = None,
    client: httpx.Client | None = None,
    cache: ResponseCache | None = None,
    page_size: int = GUEST_ROW_LIMIT,
    uid: str | None = None,
    max_retries: int = _http.DEFAULT_MAX_RETRIES,
    sleep: Any = None,
    **dims: object,
) -> bytes:
    """Download a Nomis selection as one CSV (header once), paging as needed.

    Pages are requested with ``RecordOffset`` until the rows received reach the
    ``RECORD_COUNT`` Nomis reports; each page is cached separately (the key
    leaves out ``uid``). ``page_size`` below 25,000 is sent as ``RecordLimit``.

    Raises
    ------
    OfflineError
        No network (the message names the offline alternative).
    DataSourceError
        HTTP errors after retries, or a response that is not a Nomis CSV.
    """
    url, params = build_request(
        dataset,
        geography=geography,
        industry=industry,
        date=date,
        measures=measures,
        **dims,
    )
    if page_size < 1:
        raise ParameterError(f"page_size must be positive, got {page_size}")
    key = uid if uid is not None else os.environ.get("NOMIS_UID")
    own_client = client is None
    http = client if client is not None else _http.make_client()
    source = f"Nomis request for {resolve_dataset(dataset).nomis_id}"
    pages: list[bytes] = []
    received, total = 0, None
    try:
        while True:
            page = dict(params)
            if received:
                page["RecordOffset"] = str(received)
            if page_size < GUEST_ROW_LIMIT:
                page["RecordLimit"] = str(page_size)
            content = cache.get("GET", url, page) if cache is not None else None
            fresh = content is None
            if content is None:
                send = dict(page, uid=key) if key else page
                content = _http.get_with_retries(
                    http,
                    f"{url}?{encode_query(send)}",
                    max_retries=max_retries,
                    sleep=sleep,
                    source=source,
                    offline_hint=_http.offline_hint(dataset, request_url(url, params)),
                ).content
            sent = _nomis_parse.not_data_reason(content)
            if sent is not None:
                raise DataSourceError(
                    f"{source} did not return a Nomis data CSV: it sent {sent}. Nomis may be down for "
                    "maintenance or refusing the request; try again later, or check the URL with --dry-run."
                )
            frame = read_csv_bytes(content, request_url(url, page))
            if "OBS_VALUE" not in frame.columns:
                raise DataSourceError(
                    f"{source} did not return a Nomis data CSV (columns: "
                    f"{', '.join(map(str, frame.columns[:8]))}); Nomis may have "
                    "changed its layout or returned an error page."
                )
            n = len(frame)
            if total is None and (n == 0 or "RECORD_COUNT" not in frame.columns):
                if fresh and cache is not None:
                    cache.put("GET", url, page, content)
                return content
            if total is None:
                total = int(frame["RECORD_COUNT"].iloc[0])
            if n == 0:
                raise DataSourceError(
                    f"{source}: Nomis stopped after {received:,} of {total:,} rows; "
                    "try again."
                )
            if (
                "RECORD_OFFSET" in frame.columns
                and int(frame["RECORD_OFFSET"].iloc[0]) != received
            ):
                raise DataSourceError(
                    f"{source}: page starts at record "
                    f"{frame['RECORD_OFFSET'].iloc[0]}, "
                    f"expected {received}; the selection may have changed while "
                    "paging (try again with --refresh)."
                )
            if fresh and cache is not None:
                cache.put("GET", url, page, content)
            pages.append(content)
            received += n
            if received >= total:
                break
    finally:
        if own_client:
            http.close()
    return _concat_csv(pages)


def join_pages(pages: dict[str, bytes]) -> bytes:
    """The pages of one Nomis selection (``{name: CSV bytes}``) as one CSV, in ``RECORD_OFFSET`` order.

    What a user without internet saved, one file per request (``RecordOffset``
    0, 25000, ...). Pages must share one header; the joined table is checked
    against ``RECORD_COUNT`` when parsed (a missing or repeated page shows).

    Raises
    ------
    DataSourceError
        Pages with different columns, or two pages starting at the same record.
    """
    starts: dict[str, int] = {}
    for name, content in pages.items():
        first = read_csv_bytes(content, name).head(1)
        first.columns = [str(c).strip().upper() for c in first.columns]
        starts[name] = int(first["RECORD_OFFSET"].iloc[0]) if "RECORD_OFFSET" in first.columns and len(first) \
            and str(first["RECORD_OFFSET"].iloc[0]).strip().isdigit() else 0
    order = sorted(pages, key=lambda n: starts[n])
    for a, b in itertools.pairwise(order):
        if starts[a] == starts[b]:
            raise DataSourceError(
                f"{a} and {b} both start at record {starts[a]:,} (RECORD_OFFSET): the same page twice, or files of "
                "different selections. Give each page of one selection once. Nothing was imported.")
    try:
        return _concat_csv([pages[n] for n in order])
    except DataSourceError:
        raise DataSourceError(
            f"the files given ({', '.join(order)}) have different columns: they are not pages of one Nomis "
            "selection. Nothing was imported.") from None


def _concat_csv(pages: list[bytes]) -> bytes:
    first = pages[0]
    header = first.split(b"\n", 1)[0].lstrip(b"\xef\xbb\xbf").rstrip(b"\r")
    out = [first if first.endswith(b"\n") else first + b"\n"]
    for p in pages[1:]:
        head, _, body = p.partition(b"\n")
        if head.lstrip(b"\xef\xbb\xbf").rstrip(b"\r") != header:
            raise DataSourceError(
                "Nomis pages have different columns; cannot combine them."
            )
        out.append(body if body.endswith(b"\n") or not body else body + b"\n")
    return b"".join(out)


# ------------------------------------------------------------------ parsing
def parse_table(
    content: bytes,
    *,
    dataset_id: str,
    dataset_vintage: str | None = None,
    nomis_dataset: str | None = None,
    source: str = "<Nomis CSV>",
) -> pd.DataFrame:
    """Parse Nomis API CSV bytes into the tidy observation table (pure).

    Parameters
    ----------
    content : bytes
        A Nomis ``.data.csv`` response (or several pages joined by :func:`fetch_table`).
    dataset_id : str
        Warehouse dataset id for the ``dataset`` column.
    dataset_vintage : str, optional
        Defaults to the latest ``DATE`` in the table.
    nomis_dataset : str, optional
        Alias or Nomis id, to name the measure and the normal disclosure flag
        (BRES and Business Counts: ``rounded``).
    source : str
        File or URL named in errors.

    Mapping: ``GEOGRAPHY_CODE`` → ``geo_code``; ``GEOGRAPHY_TYPE`` → ``geo_type``
    and ``geo_vintage`` ("... (as of April 2023)" → lad, 2023); ``INDUSTRY`` →
    SIC 2007 class/division/section; Census industry/occupation categories →
    ``SIC2007_DIV`` / ``SOC2020_MAJOR`` codes; ``EMPLOYMENT_STATUS`` → measure
    (BRES); other dimensions → ``status`` as ``dim=value`` pairs (totals left
    out; all totals → ``_T``). ``OBS_STATUS`` ``Q`` (and empty values) →
    ``suppressed`` with value NaN, never 0.

    Examples
    --------
    >>> csv = (b"DATE,GEOGRAPHY_CODE,GEOGRAPHY_TYPE,INDUSTRY,INDUSTRY_NAME,"
    ...        b"EMPLOYMENT_STATUS_NAME,OBS_VALUE,OBS_STATUS\\n"
    ...        b"2023,E09000033,local authorities: district / unitary "
    ...        b"(as of April 2023),"
    ...        b"138417943,5911 : Motion picture,Employment,4500,A\\n")
    >>> t = parse_table(csv, dataset_id="nomis_bres_2023", nomis_dataset="bres")
    >>> t[["geo_type", "geo_vintage", "industry_code", "measure",
    ...    "disclosure_flag"]].iloc[0].tolist()
    ['lad', '2023', '5911', 'employment', 'rounded']
    >>> float(t["value"].iloc[0])
    4500.0
    """
    ds = resolve_dataset(nomis_dataset) if nomis_dataset else None
    return parse_observations(
        content,
        dataset_id=dataset_id,
        dataset_vintage=dataset_vintage,
        base_measure=ds.measure if ds else None,
        normal_flag=ds.normal_flag if ds else "as-published",
        source=source,
        check_frame=(lambda frame: check_dataset(frame, ds, given=nomis_dataset or "", source=source))
        if ds else None,
    )


#: The start of a Nomis ``URN``: the dataset's uri (``Nm-142d1`` is NM_142_1), then ``d`` and the cell's keys.
_URN = re.compile(r"^Nm-(\d+)d(\d+)d", re.IGNORECASE)
#: Column-name endings of a Nomis dimension (``X``, ``X_NAME``, ``X_CODE`` ...).
_DIM_SUFFIX = re.compile(r"_(?:NAME|CODE|TYPE|TYPECODE|SORTORDER)$")
#: Columns of every Nomis API CSV that are not a dataset's own dimensions.
_COMMON_COLUMNS = frozenset({"DATE", "GEOGRAPHY", "MEASURES", "OBS_VALUE", "OBS_STATUS", "OBS_CONF", "URN",
                             "RECORD_OFFSET", "RECORD_COUNT"})


def file_dimensions(columns: Iterable[str]) -> list[str]:
    """The dataset dimensions a Nomis API CSV's columns carry (``DATE``, ``GEOGRAPHY``, ``MEASURES`` left out).

    Examples
    --------
    >>> file_dimensions(["DATE", "GEOGRAPHY_CODE", "INDUSTRY", "INDUSTRY_NAME", "EMPLOYMENT_SIZEBAND_NAME",
    ...                  "MEASURES", "OBS_VALUE", "OBS_STATUS_NAME", "RECORD_COUNT"])
    ['EMPLOYMENT_SIZEBAND', 'INDUSTRY']
    """
    bases = {_DIM_SUFFIX.sub("", str(c).strip().upper()) for c in columns}
    return sorted(b for b in bases - _COMMON_COLUMNS if b)


def urn_dataset(urns: Iterable[str]) -> str | None:
    """The Nomis id every ``URN`` names (``Nm-142d1d...`` → ``NM_142_1``), or ``None`` when they do not all name one.

    Examples
    --------
    >>> urn_dataset(["Nm-1d1d32290e0d2092957697d5d1d20100", "Nm-1d1d32290e0d2092957697d5d2d20100"])
    'NM_1_1'
    >>> urn_dataset(["Nm-fixture-0"]) is None
    True
    """
    ids = set()
    for urn in urns:
        m = _URN.match(str(urn).strip())
        if m is None:
            return None
        ids.add(f"NM_{int(m.group(1))}_{int(m.group(2))}")
    return ids.pop() if len(ids) == 1 else None


def _fits(ds: NomisDataset, dims: list[str]) -> bool:
    return all(any(re.fullmatch(p, d) for d in dims) for p in ds.dimensions)


def _named(ds: NomisDataset) -> str:
    return f"{ds.nomis_id} ({ds.title})"


def check_dataset(frame: pd.DataFrame, ds: NomisDataset, *, given: str, source: str) -> None:
    """Refuse a Nomis file that is not of dataset ``ds`` (its URN names another, or its dimensions are not ``ds``'s).

    ``--nomis-dataset`` decides the kind a file serves (BRES → employment, TS060 →
    the Census industry figures …), so a file of another dataset must not be
    catalogued as ``ds``: it would replace the figures of a kind with numbers
    of another measure.

    Raises
    ------
    ImportFormatError
        Naming what the file is (by its URN, or the datasets its dimensions
        fit) and the ``--nomis-dataset`` to give.
    """
    hint = " (`creative-clusters data fetch --help` lists the aliases)"
    flag = f"--nomis-dataset {given}" if given else "the dataset asked for"
    if "URN" in frame.columns:
        found = urn_dataset(frame["URN"])
        if found is not None and found != ds.nomis_id:
            other = resolve_dataset(found)
            use = other.alias if other.alias in DATASETS else other.nomis_id
            raise ImportFormatError(
                f"its URN column says the file is Nomis {_named(other)}, not {_named(ds)} as {flag} says. "
                f"Give --nomis-dataset {use} if that is the table you mean{hint}. Nothing was imported",
                file=source, column="URN")
    if not ds.dimensions:
        return
    dims = file_dimensions(frame.columns)
    if not dims or _fits(ds, dims):  # no dimension at all (a select= download): nothing to tell it by
        return
    fits = [d.alias for d in DATASETS.values() if d.dimensions and d.alias != ds.alias and _fits(d, dims)]
    wanted = ", ".join(p.replace("\\d+", "N") for p in ds.dimensions)
    what = (f"they fit {' or '.join(fits)}: give --nomis-dataset {fits[0]}" + (
        " (or the other, as the file is)" if len(fits) > 1 else "") if fits
            else "no dataset the toolkit knows fits them; give its Nomis id, e.g. --nomis-dataset NM_123_1")
    raise ImportFormatError(
        f"the file's dimensions ({', '.join(dims) or 'none besides date and geography'}) are not those of "
        f"{_named(ds)} as {flag} says, which has {wanted}; {what}{hint}. A file imported as another "
        "dataset would serve the wrong figures. Nothing was imported",
        file=source, row=1)


def warehouse_id(nomis_dataset: str, vintage: str) -> str:
    """Default warehouse dataset id of a fetched table, e.g. ``nomis_bres_2023``.

    Examples
    --------
    >>> warehouse_id("NM_142_1", "2024")
    'nomis_business_counts_enterprises_2024'

    A vintage that is not a year or Nomis date (a typo in the file) never
    becomes part of an id:

    >>> warehouse_id("NM_142_1", "20x4")
    Traceback (most recent call last):
    ...
    creative_clusters.errors.ParameterError: vintage '20x4' is not a year (YYYY) ...
    """
    if not _nomis_parse.NOMIS_DATE.fullmatch(vintage.strip()):
        raise ParameterError(
            f"vintage {vintage!r} is not a year (YYYY) or Nomis date (YYYY-MM); the dataset "
            "id is made from the latest DATE in the file. Correct the file's DATE column, "
            "or name the dataset with --dataset-id."
        )
    return f"nomis_{resolve_dataset(nomis_dataset).alias}_{_slug(vintage)}".lower()


#: What a table covering part of the geography has added to its kind and default dataset id
#: (``data import-nomis --partial``): no national figure reads that kind.
PARTIAL_SUFFIX = "_partial"


def dataset_spec(
    obs: pd.DataFrame, *, dataset_id: str, nomis_dataset: str, source_url: str,
    files: tuple[str, ...] = (), lads: str = "", partial: bool = False, partial_reason: str = "",
) -> DatasetSpec:
    """A :class:`DatasetSpec` made on the fly whose reader returns ``obs``.

    ``files`` are the imported file(s), relative to the folder given to
    :meth:`~creative_clusters.warehouse.Warehouse.import_datasets` (``data
    import-nomis`` names the file it read, so the catalogue records its SHA-256
    and ``data verify`` re-checks it); ``source_url`` is the request URL
    (without any ``uid``). ``lads`` is the table's LAD coverage in words (e.g.
    "1 of 296 English LADs (2023)", from :func:`lad_coverage`), recorded in the
    catalogue's coverage; ``partial`` catalogues the table under its kind plus
    :data:`PARTIAL_SUFFIX`, which no national statistic reads, and says so there
    (``partial_reason`` says why when it is not the geography, e.g. SIC classes lacking).
    """
    ds = resolve_dataset(nomis_dataset)
    vintage = str(obs["dataset_vintage"].iloc[0]) if len(obs) else ""
    coverage = coverage_text(obs) if len(obs) else "no rows"
    kind = ds.kind
    if partial and kind:
        kind += PARTIAL_SUFFIX
        why = partial_reason or f"PARTIAL geography: {lads or 'part of the local authorities'}"
        coverage = (f"{why}; kept apart as kind "
                    f"{kind}, not read by national statistics (shares, LQs, ranks); {coverage}")
    elif lads:
        coverage = f"{coverage}; local authorities: {lads}"

    def reader(_root: Any) -> ImportResult:
        return ImportResult(observations=obs, coverage=coverage)

    return DatasetSpec(
        id=dataset_id,
        title=f"{ds.title} (Nomis {ds.nomis_id})",
        publisher="Office for National Statistics, via Nomis",
        licence=OGL,
        source_url=source_url,
        vintage=vintage,
        files=files,
        reader=reader,
        caveats=ds.caveats,
        kind=kind,
    )
