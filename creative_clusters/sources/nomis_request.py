"""Nomis API requests, built without touching the network: datasets, industry ids, URLs.

The pure first step of the Nomis client (:mod:`creative_clusters.sources.nomis`
fetches and parses). Request format (see ``tests/data/nomis/README.md`` for sources)::

    https://www.nomisweb.co.uk/api/v01/dataset/NM_189_1.data.csv
        ?geography=TYPE424&date=latest&industry=138417943,...&employment_status=1,4
        &measure=1&measures=20100[&RecordOffset=25000][&uid=0x...]

Industry ids: Nomis numbers SIC 2007 codes in its own scheme. From published
Nomis query URLs we infer ``class id = 138412032 + class`` (5510 → 138417542),
``division id = 146800640 + division`` (47 → 146800687), ``section id =
150994944 + n`` (A=1 … U=21) and 37748736 = all industries.
:func:`creative_clusters.sources.nomis.parse_table` re-checks this against the
code printed at the start of ``INDUSTRY_NAME`` and refuses data where the two
disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from creative_clusters import kinds
from creative_clusters.classifications.dcms import creative_classes
from creative_clusters.errors import ParameterError
from creative_clusters.sources import _nomis_parse

__all__ = [
    "DATASETS",
    "GEOGRAPHY_ALIASES",
    "NOMIS_API",
    "NomisDataset",
    "build_request",
    "encode_query",
    "industry_selection",
    "nomis_industry_id",
    "request_url",
    "resolve_dataset",
]

NOMIS_API = "https://www.nomisweb.co.uk/api/v01"
_CLASS_BASE = _nomis_parse.CLASS_BASE
_DIV_BASE = _nomis_parse.DIV_BASE
_SECTION_BASE = _nomis_parse.SECTION_BASE
_ALL_INDUSTRIES = _nomis_parse.ALL_INDUSTRIES
_SECTIONS = _nomis_parse.SECTIONS


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
    #: Dimensions (column names, as regular expressions) a file of this dataset must have: what tells it
    #: from the other datasets here when a saved file is imported (``()``: not checked).
    dimensions: tuple[str, ...] = ()


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
            dimensions=("INDUSTRY", "EMPLOYMENT_STATUS"),
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
            dimensions=("INDUSTRY", "EMPLOYMENT_SIZEBAND"),
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
            dimensions=("INDUSTRY", "EMPLOYMENT_SIZEBAND"),
            caveats=(
                "IDBR snapshot in March; VAT/PAYE-registered businesses only; "
                "counts rounded to 5.",
            ),
        ),
        NomisDataset(
            "census2021_ts060",
            "NM_2077_1",
            "Census 2021 TS060: Industry (88 divisions)",
            # the measure the Census industry figures read (kinds.CENSUS_INDUSTRY), as the bundle's TS060 has it
            "residents_in_employment",
            "as-published",
            {"measures": "20100"},
            kind=kinds.CENSUS_INDUSTRY,
            dimensions=(r"C2021_IND_88",),
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
            dimensions=(r"C2021_OCC_\d+",),
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
            dimensions=(r"C2021_EASTAT_\d+",),
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


def encode_query(params: Mapping[str, str]) -> str:
    """``params`` as a URL query string; commas and ``...`` ranges stay readable."""
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
    return f"{url}?{encode_query(clean)}" if clean else url
