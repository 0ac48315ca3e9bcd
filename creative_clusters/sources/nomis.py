"""Client for the official Nomis API (https://www.nomisweb.co.uk/api/v01).

Fetches what the reference bundle lacks (BRES workplace employment, UK
Business Counts by size band, Census 2021 tables) as CSV, pages through large
selections, caches raw responses on disk and parses them into the tidy
observation table (:mod:`creative_clusters._schema`).

Layers, in house style: :func:`build_request` is pure; :func:`fetch_table` does
the network I/O (through :mod:`creative_clusters.sources._http`, cached by
:mod:`creative_clusters.sources._cache`); :func:`parse_table` is pure again.

Request format (see ``tests/data/nomis/README.md`` for sources)::

    https://www.nomisweb.co.uk/api/v01/dataset/NM_189_1.data.csv
        ?geography=TYPE424&date=latest&industry=138417943,...&employment_status=1,4
        &measure=1&measures=20100[&RecordOffset=25000][&uid=0x...]

Unregistered users get at most 25,000 rows per request; every row carries
``RECORD_OFFSET`` and ``RECORD_COUNT`` so the client asks again with
``RecordOffset`` until all rows have arrived. A registered key is read from
``$NOMIS_UID`` (never cached, logged or stored in the catalogue).

Industry ids: Nomis numbers SIC 2007 codes in its own scheme. From published
Nomis query URLs we infer ``class id = 138412032 + class`` (5510 → 138417542),
``division id = 146800640 + division`` (47 → 146800687), ``section id =
150994944 + n`` (A=1 … U=21) and 37748736 = all industries. :func:`parse_table`
re-checks this against the code printed at the start of ``INDUSTRY_NAME`` and
refuses data where the two disagree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pandas as pd

from creative_clusters import kinds
from creative_clusters.classifications.dcms import creative_classes
from creative_clusters.errors import DataSourceError, ParameterError
from creative_clusters.sources import _http, _nomis_parse
from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult
from creative_clusters.sources._cache import ResponseCache
from creative_clusters.sources._nomis_parse import (
    coverage_text,
    parse_observations,
    read_csv_bytes,
)

__all__ = [
    "DATASETS",
    "NOMIS_API",
    "NomisDataset",
    "build_request",
    "coverage_text",
    "dataset_spec",
    "fetch_table",
    "industry_selection",
    "nomis_industry_id",
    "parse_table",
    "request_url",
    "resolve_dataset",
    "warehouse_id",
]

NOMIS_API = "https://www.nomisweb.co.uk/api/v01"
_CLASS_BASE = _nomis_parse.CLASS_BASE
_DIV_BASE = _nomis_parse.DIV_BASE
_SECTION_BASE = _nomis_parse.SECTION_BASE
_ALL_INDUSTRIES = _nomis_parse.ALL_INDUSTRIES
_SECTIONS = _nomis_parse.SECTIONS
_slug = _nomis_parse._slug
#: Rows per request for unregistered users.
GUEST_ROW_LIMIT = 25_000


@dataclass(frozen=True)
class NomisDataset:
    """A Nomis dataset the toolkit knows how to request and label.

    ``measure`` is the base measure name (``None``: taken from the
    ``EMPLOYMENT_STATUS`` dimension, as for BRES); ``normal_flag`` is the
    disclosure flag of an ordinary published cell.
    """

    alias: str
    nomis_id: str
    title: str
    measure: str | None
    normal_flag: str
    defaults: Mapping[str, str] = field(default_factory=dict)
    has_industry: bool = False
    caveats: tuple[str, ...] = ()
    #: The dataset kind a fetched table serves (:mod:`creative_clusters.kinds`); "" = its own.
    kind: str = ""


DATASETS: dict[str, NomisDataset] = {
    d.alias: d
    for d in (
        NomisDataset(
            "bres",
            "NM_189_1",
            "Business Register and Employment Survey: open access "
            "(workplace employment)",
            None,
            "rounded",
            {"employment_status": "1,4", "measure": "1", "measures": "20100"},
            has_industry=True,
            kind=kinds.EMPLOYMENT_LAD,
            caveats=(
                "BRES open-access figures are rounded and small cells are suppressed; "
                "employment counts where people work, not where they live.",
            ),
        ),
        NomisDataset(
            "business_counts_enterprises",
            "NM_142_1",
            "UK Business Counts: enterprises by industry and employment size band",
            "enterprises",
            "rounded",
            {
                "employment_sizeband": "0,10,20,30,40",
                "legal_status": "0",
                "measures": "20100",
            },
            has_industry=True,
            kind=kinds.CREATIVE_ENTERPRISES_SIC,
            caveats=(
                "IDBR snapshot in March; VAT/PAYE-registered businesses only; "
                "counts rounded to 5.",
            ),
        ),
        NomisDataset(
            "business_counts_local_units",
            "NM_141_1",
            "UK Business Counts: local units by industry and employment size band",
            "local_units",
            "rounded",
            {
                "employment_sizeband": "0,10,20,30,40",
                "legal_status": "0",
                "measures": "20100",
            },
            has_industry=True,
            caveats=(
                "IDBR snapshot in March; VAT/PAYE-registered businesses only; "
                "counts rounded to 5.",
            ),
        ),
        NomisDataset(
            "census2021_ts060",
            "NM_2077_1",
            "Census 2021 TS060: Industry (88 divisions)",
            "persons",
            "as-published",
            {"measures": "20100"},
            kind=kinds.CENSUS_INDUSTRY,
            caveats=(
                "Usual residents aged 16+ in employment, counted where they live.",
            ),
        ),
        NomisDataset(
            "census2021_occupation",
            "NM_2080_1",
            "Census 2021 TS063: Occupation",
            "persons",
            "as-published",
            {"measures": "20100"},
            caveats=(
                "Usual residents aged 16+ in employment, counted where they live.",
            ),
        ),
        NomisDataset(
            "census2021_economic_activity",
            "NM_2083_1",
            "Census 2021 TS066: Economic activity status",
            "persons",
            "as-published",
            {"measures": "20100"},
            caveats=("Usual residents aged 16+, counted where they live.",),
        ),
    )
}

#: Friendly geography words → Nomis selections (verified in public Nomis URLs).
GEOGRAPHY_ALIASES = {
    "lad": "TYPE424",  # local authorities: district / unitary (as of April 2023)
    "lad2023": "TYPE424",
    "lad2021": "TYPE432",  # ... (as of April 2021)
    "ctry": "TYPE499",  # countries
    "uk": "2092957697",  # United Kingdom (K02000001)
}

_GEO_TOKEN = re.compile(r"^(?:\d+|TYPE\d+|\d+TYPE\d+|[A-Z]\d{8})$")
_DIM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_DIM_VALUE = re.compile(r"^[A-Za-z0-9_.,\-]+$")
_NM_ID = re.compile(r"^NM_\d+_\d+$", re.IGNORECASE)


def resolve_dataset(name: str) -> NomisDataset:
    """Look up a dataset by alias (``"bres"``) or Nomis id (``"NM_189_1"``).

    An unknown ``NM_…`` id is accepted with generic labels (measure
    ``"value"``); anything else raises :class:`ParameterError` listing the aliases.

    Examples
    --------
    >>> resolve_dataset("bres").nomis_id
    'NM_189_1'
    >>> resolve_dataset("nm_142_1").alias
    'business_counts_enterprises'
    """
    key = name.strip()
    if key.lower() in DATASETS:
        return DATASETS[key.lower()]
    if _NM_ID.match(key):
        key = key.upper()
        for d in DATASETS.values():
            if d.nomis_id == key:
                return d
        return NomisDataset(
            key.lower(), key, f"Nomis dataset {key}", "value", "as-published"
        )
    raise ParameterError(
        f"unknown Nomis dataset {name!r}; use one of {sorted(DATASETS)} or a Nomis id "
        "like 'NM_189_1'."
    )


def nomis_industry_id(code: str) -> int:
    """Nomis industry id of a SIC 2007 class ("5911"), division ("59") or section ("J").

    Examples
    --------
    >>> nomis_industry_id("5510"), nomis_industry_id("47"), nomis_industry_id("J")
    (138417542, 146800687, 150994954)
    """
    text = code.strip().replace(".", "")
    if re.fullmatch(r"\d{4}", text):
        return _CLASS_BASE + int(text)
    if re.fullmatch(r"\d{2}", text):
        return _DIV_BASE + int(text)
    if len(text) == 1 and text.upper() in _SECTIONS:
        return _SECTION_BASE + _SECTIONS.index(text.upper()) + 1
    raise ParameterError(
        f"industry code {code!r} is not a SIC 2007 class (4 digits, e.g. 5911), "
        "division (2 digits, e.g. 59) or section letter (A-U)."
    )


def industry_selection(spec: str | Iterable[str]) -> str:
    """Turn ``creative``, ``all`` or SIC codes into Nomis' ``industry=`` value.

    ``creative`` is the 31 DCMS creative classes; ``all`` every 4-digit class
    (the id range 0111…9900); codes may be classes, divisions, sections or raw
    Nomis ids (9+ digits) and ``TYPE…`` selections, comma-separated.

    Examples
    --------
    >>> industry_selection("5911,59")
    '138417943,146800699'
    >>> len(industry_selection("creative").split(","))
    31
    """
    items = [spec] if isinstance(spec, str) else list(spec)
    tokens = [t.strip() for item in items for t in str(item).split(",") if t.strip()]
    if not tokens:
        raise ParameterError(
            "empty industry selection; give 'creative', 'all' or SIC codes."
        )
    out: list[str] = []
    for tok in tokens:
        low = tok.lower()
        if low == "creative":
            out.extend(str(nomis_industry_id(c)) for c in creative_classes())
        elif low == "all":
            out.append(f"{_CLASS_BASE + 111}...{_CLASS_BASE + 9900}")
        elif low in ("total", "_t"):
            out.append(str(_ALL_INDUSTRIES))
        elif re.fullmatch(r"\d{9,}", tok) or re.fullmatch(
            r"TYPE\d+", tok, re.IGNORECASE
        ):
            out.append(tok.upper())
        else:
            out.append(str(nomis_industry_id(tok)))
    return ",".join(dict.fromkeys(out))


def _geography(value: str) -> str:
    text = value.strip()
    text = GEOGRAPHY_ALIASES.get(text.lower(), text)
    parts = [p.strip() for p in text.split(",")]
    for part in parts:
        ends = part.split("...")
        if (
            not part
            or len(ends) > 2
            or not all(_GEO_TOKEN.match(e.upper()) for e in ends)
        ):
            raise ParameterError(
                f"geography selection {value!r} is not valid; expected Nomis ids "
                "(2092957697), types (TYPE424), GSS codes (E09000033), ranges "
                f"(a...b), comma-separated, or one of {sorted(GEOGRAPHY_ALIASES)}."
            )
    return ",".join(p.upper() for p in parts)


def _join(value: object) -> str:
    if isinstance(value, (list, tuple, set)):
        return ",".join(str(v) for v in value)
    return str(value)


def build_request(
    dataset: str,
    *,
    geography: str,
    industry: str | Iterable[str] | None = None,
    date: str | None = None,
    measures: str | Iterable[str] | None = None,
    **dims: object,
) -> tuple[str, dict[str, str]]:
    """Build the URL and query parameters of a Nomis CSV request (pure).

    Parameters
    ----------
    dataset : str
        Alias (``bres``, ``business_counts_enterprises``,
        ``business_counts_local_units``, ``census2021_ts060``,
        ``census2021_occupation``, ``census2021_economic_activity``) or Nomis id.
    geography : str
        Nomis selection: ``TYPE424`` (LADs, April 2023), ids, GSS codes, ranges.
    industry : str, optional
        ``creative`` (default for industry datasets), ``all`` or SIC codes; see
        :func:`industry_selection`. Not allowed for datasets without industry.
    date : str, optional
        ``latest`` (default), a year, or a Nomis date expression.
    measures : str, optional
        Nomis ``measures=`` (default ``20100``, the value).
    **dims
        Other dimensions, e.g. ``employment_status="4"``, overriding defaults.

    Examples
    --------
    >>> url, params = build_request("bres", geography="TYPE424", industry="5911")
    >>> url
    'https://www.nomisweb.co.uk/api/v01/dataset/NM_189_1.data.csv'
    >>> params["industry"], params["employment_status"], params["date"]
    ('138417943', '1,4', 'latest')
    """
    ds = resolve_dataset(dataset)
    params: dict[str, str] = {
        "geography": _geography(geography),
        "date": date or "latest",
    }
    if not re.fullmatch(r"[A-Za-z0-9_.,\-]+", params["date"]):
        raise ParameterError(
            f"date {date!r} is not a valid Nomis date selection (e.g. latest, 2023)."
        )
    if ds.has_industry:
        params["industry"] = industry_selection(
            industry if industry is not None else "creative"
        )
    elif industry is not None and str(industry).lower() not in ("all", ""):
        raise ParameterError(
            f"dataset {ds.alias!r} has no industry dimension; drop --industry."
        )
    params.update(ds.defaults)
    if measures is not None:
        params["measures"] = _join(measures)
    for name, value in dims.items():
        key = name.lower()
        if not _DIM_NAME.match(key) or key in ("uid", "recordoffset", "recordlimit"):
            raise ParameterError(
                f"dimension name {name!r} is not valid for a Nomis request."
            )
        text = _join(value)
        if not _DIM_VALUE.match(text):
            raise ParameterError(
                f"value {text!r} for {name!r} is not a valid Nomis selection."
            )
        params[key] = text
    return f"{NOMIS_API}/dataset/{ds.nomis_id}.data.csv", params


def _query(params: Mapping[str, str]) -> str:
    return "&".join(
        f"{quote(str(k), safe='')}={quote(str(v), safe=',.')}"
        for k, v in params.items()
    )


def request_url(url: str, params: Mapping[str, str]) -> str:
    """The full request URL (for display and the catalogue; never contains ``uid``).

    Commas and ``...`` ranges stay readable, as in Nomis' own examples.

    Examples
    --------
    >>> request_url("https://x/d.data.csv", {"geography": "TYPE424", "industry": "1,2"})
    'https://x/d.data.csv?geography=TYPE424&industry=1,2'
    """
    clean = {k: v for k, v in params.items() if k.lower() != "uid"}
    return f"{url}?{_query(clean)}" if clean else url


# ----------------------------------------------------------------- fetching
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
                    f"{url}?{_query(send)}",
                    max_retries=max_retries,
                    sleep=sleep,
                    source=source,
                ).content
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
    )


def warehouse_id(nomis_dataset: str, vintage: str) -> str:
    """Default warehouse dataset id of a fetched table, e.g. ``nomis_bres_2023``.

    Examples
    --------
    >>> warehouse_id("NM_142_1", "2024")
    'nomis_business_counts_enterprises_2024'
    """
    return f"nomis_{resolve_dataset(nomis_dataset).alias}_{_slug(vintage)}".lower()


def dataset_spec(
    obs: pd.DataFrame, *, dataset_id: str, nomis_dataset: str, source_url: str
) -> DatasetSpec:
    """A :class:`DatasetSpec` made on the fly whose reader returns ``obs``.

    It lists no files (a fetched table has none in the reference bundle, so
    ``data verify`` has nothing to re-check); ``source_url`` is the request
    URL (without any ``uid``).
    """
    ds = resolve_dataset(nomis_dataset)
    vintage = str(obs["dataset_vintage"].iloc[0]) if len(obs) else ""
    coverage = coverage_text(obs) if len(obs) else "no rows"

    def reader(_root: Any) -> ImportResult:
        return ImportResult(observations=obs, coverage=coverage)

    return DatasetSpec(
        id=dataset_id,
        title=f"{ds.title} (Nomis {ds.nomis_id})",
        publisher="Office for National Statistics, via Nomis",
        licence=OGL,
        source_url=source_url,
        vintage=vintage,
        files=(),
        reader=reader,
        caveats=ds.caveats,
        kind=ds.kind,
    )
