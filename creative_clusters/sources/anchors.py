"""Importers for anchor institutions: higher-education providers and museums.

Two entity lists, stored whole as reference tables (no observations):

``ref_hei`` (dataset ``anchors_hei``, ``anchors/learning-providers-plus.csv``)
    166 UK HE providers (about 2015; some names are out of date), one row each:
    ``ukprn, provider_name, view_name, sort_name, alias, flat_name_number,
    building_name_number, locality, street_name, town, postcode, website_url,
    wikipedia_url, groups, longitude, latitude, easting, northing, gtr_id,
    hesa_id, creative_specialist`` plus ``name`` (= ``view_name``, the
    readable form). ``easting``/``northing`` are British
    National Grid metres; the file has no LAD code.

``ref_museums`` (dataset ``anchors_museums``, ``anchors/MappingMuseumsData.csv``)
    4,141 UK museums open at some time 1960-2021, with the file's columns
    (already snake_case) plus ``name`` (= ``museum_name``), ``governance``
    (``governance_type`` with the subtype when known, e.g. "Government: Local
    Authority"), parsed integer years and flags:
    ``year_opened_low/high``, ``year_closed_low/high`` (nullable Int64),
    ``year_opened``, ``year_closed`` (text: the year, or the range where the
    project is unsure, "1960–2017"), ``accredited`` (bool) and ``open_2021``
    (bool). The file has coordinates and place *names* (``admin_area_*``) but
    no LAD code, so counts of museums per LAD are left to code that joins the
    points to boundaries; this importer produces no observations.

Year rule
    The Mapping Museums project records uncertain dates as a range, either as
    two columns (``year_opened_low``/``year_opened_high``, as in this file) or
    as one ``"1975:1980"`` cell; ``"na"`` means "not closed".
    :func:`parse_year_range` reads both forms. ``year_opened`` and
    ``year_closed`` say the year as the project knows it: one year, or both
    ends where they differ ("1960–2017": 488 of the 4,141 opening years are
    ranges), never the low end alone as if it were known. A museum is *definitely open* in year ``Y``
    (:func:`open_in_year`) when ``year_opened_high <= Y`` and it has no closing
    year or ``year_closed_low > Y``.

Creative-specialist rule (HEIs)
    ``creative_specialist`` is True when the provider or view name contains a
    whole word from :data:`CREATIVE_WORDS` (art/arts, music, drama, dance,
    conservatoire, performing, creative, design) or one of the specialist names in
    :data:`CREATIVE_NAMES` (Falmouth, Ravensbourne, Rose Bruford, Guildhall,
    Glasgow School of Art, ...). The file's ``GROUPS`` column holds mission
    groups only (Russell Group, Million+, ...); it has no GuildHE or
    specialist-institution group, so groups do not enter the rule.

Examples
--------
>>> is_creative_specialist("Royal Northern College of Music")
True
>>> is_creative_specialist("University of Sheffield")
False
>>> parse_year_range("1975:1980")
(1975, 1980)
>>> parse_year_range("na")
(None, None)
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import fmt_year_range
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources._base import (
    OGL,
    DatasetSpec,
    ImportResult,
    clean_text,
    fail_rows,
    read_csv_strict,
    require_columns,
    to_numeric_strict,
)

__all__ = [
    "CREATIVE_NAMES",
    "CREATIVE_WORDS",
    "DATASETS",
    "MUSEUMS_ATTRIBUTION",
    "UK_BOUNDS",
    "is_creative_specialist",
    "open_in_year",
    "parse_hei",
    "parse_museums",
    "parse_year_range",
    "read_anchors_hei",
    "read_anchors_museums",
]

HEI_FILE = "anchors/learning-providers-plus.csv"
MUSEUMS_FILE = "anchors/MappingMuseumsData.csv"
MUSEUMS_ATTRIBUTION = (
    "Data from the Mapping Museums project, Birkbeck, University of London "
    "(www.mappingmuseums.org)"
)

#: (min lat, max lat, min lon, max lon) enclosing the UK with its islands.
UK_BOUNDS: tuple[float, float, float, float] = (49.8, 60.9, -8.7, 1.8)

#: Whole words that mark a creative specialist provider.
CREATIVE_WORDS: tuple[str, ...] = (
    "art",
    "arts",
    "music",
    "drama",
    "dance",
    "conservatoire",
    "performing",
    "creative",
    "design",
)
#: Names of creative specialists whose names carry none of the words.
CREATIVE_NAMES: tuple[str, ...] = (
    "falmouth",
    "ravensbourne",
    "rose bruford",
    "guildhall",
    "glasgow school of art",
    "royal college of art",
    "lipa",
    "liverpool institute for performing arts",
    "central school of speech",
    "trinity laban",
    "courtauld",
)
_WORDS = re.compile(r"\b(" + "|".join(CREATIVE_WORDS) + r")\b", re.IGNORECASE)

_HEI_COLUMNS = (
    "UKPRN",
    "PROVIDER_NAME",
    "VIEW_NAME",
    "SORT_NAME",
    "ALIAS",
    "FLAT_NAME_NUMBER",
    "BUILDING_NAME_NUMBER",
    "LOCALITY",
    "STREET_NAME",
    "TOWN",
    "POSTCODE",
    "WEBSITE_URL",
    "WIKIPEDIA_URL",
    "GROUPS",
    "LONGITUDE",
    "LATITUDE",
    "EASTING",
    "NORTHING",
    "GTR_ID",
    "HESA_ID",
)
_MUSEUM_COLUMNS = (
    "museum_id",
    "museum_name",
    "postcode",
    "latitude",
    "longitude",
    "admin_area_1",
    "accreditation",
    "governance_type",
    "governance_subtype",
    "subject_matter",
    "year_opened_low",
    "year_opened_high",
    "year_closed_low",
    "year_closed_high",
)
#: HEI columns that must not be empty (they are filled for all 166 providers).
_HEI_REQUIRED = ("PROVIDER_NAME", "VIEW_NAME", "TOWN", "POSTCODE")
_NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")
_ACCREDITATION = {"Accredited": True, "Unaccredited": False}
_YEAR = re.compile(r"^(\d{4})(?::(\d{4}))?$")
_NOT_CLOSED = {"", "na", "n/a", "none"}


#: Words a provider's name keeps in lower case (after its first word).
_SMALL_WORDS = frozenset({"of", "the", "and", "at", "de", "upon", "for", "in", "on"})


def current_name(provider_name: object, view_name: object) -> str:
    """The name to show for a provider: the list's display name, unless the provider has since been renamed.

    The list (about 2015) gives each provider's display name (``VIEW_NAME``,
    mixed case) and its registered name (``PROVIDER_NAME``, upper case,
    updated): where the two differ beyond case, punctuation and a leading
    "The", the provider was renamed (University of Glamorgan is now the
    University of South Wales) and its registered name is shown, in title case.

    Examples
    --------
    >>> current_name("UNIVERSITY OF SHEFFIELD", "University of Sheffield")
    'University of Sheffield'
    >>> current_name("UNIVERSITY OF SOUTH WALES/PRIFYSGOL DE CYMRU", "University of Glamorgan / Prifysgol Morgannwg")
    'University of South Wales/Prifysgol de Cymru'
    >>> current_name("ARTS UNIVERSITY BOURNEMOUTH, THE", "The Arts University College at Bournemouth")
    'Arts University Bournemouth'
    >>> current_name("QUEEN'S UNIVERSITY OF BELFAST", "The Queen's University of Belfast")
    "The Queen's University of Belfast"
    """
    view, provider = str(view_name or "").strip(), str(provider_name or "").strip()

    def key(name: str) -> str:
        return re.sub(r"[^a-z]", "", re.sub(r"^the\s+|,\s*the$", "", name.lower()))

    if not provider or key(provider) == key(view):
        return view or provider.title()
    provider = re.sub(r",\s*THE$", "", provider, flags=re.I)
    words = re.split(r"(\s+|/)", provider)
    out = []
    for k, w in enumerate(words):
        low = w.lower()
        if k and low in _SMALL_WORDS:
            out.append(low)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in low.split("-")).replace("St.", "St"))
    return "".join(out)


def is_creative_specialist(*names: str) -> bool:
    """True when any of ``names`` marks an arts, music, drama or design specialist.

    See the module docstring for the rule.

    Examples
    --------
    >>> is_creative_specialist("UNIVERSITY OF THE ARTS, LONDON")
    True
    >>> is_creative_specialist("Imperial College of Science, Technology and Medicine")
    False
    """
    for name in names:
        text = str(name or "")
        low = text.lower()
        if _WORDS.search(text) or any(n in low for n in CREATIVE_NAMES):
            return True
    return False


def parse_year_range(cell: object) -> tuple[int | None, int | None]:
    """Parse a Mapping Museums year cell: ``"1975"``, ``"1975:1980"`` or ``"na"``.

    Returns ``(low, high)``; ``(None, None)`` for not-applicable. Raises
    ``ValueError`` on anything else or a range that runs backwards.
    """
    text = (
        ""
        if cell is None or (isinstance(cell, float) and cell != cell)
        else str(cell).strip()
    )
    if text.lower() in _NOT_CLOSED:
        return (None, None)
    m = _YEAR.match(text)
    if not m:
        raise ValueError(
            f"expected a year (1975), a range (1975:1980) or 'na', got {text!r}"
        )
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low
    if high < low:
        raise ValueError(f"year range {text!r} runs backwards")
    return (low, high)


def _years(frame: pd.DataFrame, col: str, *, file: str) -> tuple[pd.Series, pd.Series]:
    lows, highs = [], []
    for i, cell in enumerate(frame[col].tolist()):
        try:
            lo, hi = parse_year_range(cell)
        except ValueError as exc:
            raise ImportFormatError(
                str(exc), file=file, row=i + 2, column=col
            ) from None
        lows.append(lo)
        highs.append(hi)
    return (
        pd.Series(lows, index=frame.index, dtype="Int64"),
        pd.Series(highs, index=frame.index, dtype="Int64"),
    )


def _fail_if(
    mask: pd.Series, frame: pd.DataFrame, col: str, expected: str, file: str
) -> None:
    fail_rows(mask, file=file, column=col, expected=expected, values=frame[col])


def _require(frame: pd.DataFrame, cols: tuple[str, ...], *, file: str) -> None:
    """Fail on the first empty cell in ``cols`` (a truncated row shows up here)."""
    for col in cols:
        empty = clean_text(frame, col).eq("")
        _fail_if(empty, frame, col, f"a non-empty {col}", file)


def _coords(
    frame: pd.DataFrame, lat: str, lon: str, *, file: str, allow_missing: bool
) -> tuple[pd.Series, pd.Series]:
    la = to_numeric_strict(
        frame[lat], file=file, column=lat, allow_missing=allow_missing
    )
    lo = to_numeric_strict(
        frame[lon], file=file, column=lon, allow_missing=allow_missing
    )
    y0, y1, x0, x1 = UK_BOUNDS
    _fail_if(
        la.notna() & ~la.between(y0, y1),
        frame,
        lat,
        f"a UK latitude ({y0}..{y1})",
        file,
    )
    _fail_if(
        lo.notna() & ~lo.between(x0, x1),
        frame,
        lon,
        f"a UK longitude ({x0}..{x1})",
        file,
    )
    return la, lo


def _unique(frame: pd.DataFrame, col: str, *, file: str) -> None:
    dup = frame[col].duplicated()
    _fail_if(dup, frame, col, f"each {col} once; this one repeats", file)


def parse_hei(frame: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Check and tidy the learning-providers file into the ``hei`` table.

    Raises
    ------
    ImportFormatError
        On a missing column, a UKPRN that is not 8 digits starting with 1 or is
        repeated, an empty name, town or postcode (a truncated row), or
        non-numeric or non-UK coordinates.
    """
    require_columns(frame, _HEI_COLUMNS, file=file)
    ukprn = clean_text(frame, "UKPRN")
    _fail_if(
        ~ukprn.str.fullmatch(r"1\d{7}"),
        frame,
        "UKPRN",
        "an 8-digit UKPRN starting with 1",
        file,
    )
    _unique(frame, "UKPRN", file=file)
    _require(frame, _HEI_REQUIRED, file=file)
    lat, lon = _coords(frame, "LATITUDE", "LONGITUDE", file=file, allow_missing=True)
    east = to_numeric_strict(
        frame["EASTING"], file=file, column="EASTING", allow_missing=True
    )
    north = to_numeric_strict(
        frame["NORTHING"], file=file, column="NORTHING", allow_missing=True
    )
    _fail_if(
        east.notna() & ~east.between(0, 700_000),
        frame,
        "EASTING",
        "a British National Grid easting (0..700000 m)",
        file,
    )
    _fail_if(
        north.notna() & ~north.between(0, 1_300_000),
        frame,
        "NORTHING",
        "a British National Grid northing (0..1300000 m)",
        file,
    )
    out = pd.DataFrame({c.lower(): frame[c].astype("string") for c in _HEI_COLUMNS})
    out["ukprn"] = ukprn
    out["latitude"], out["longitude"] = lat, lon
    out["easting"], out["northing"] = east, north
    out.insert(1, "name", [current_name(p, v) for p, v in zip(out["provider_name"], out["view_name"], strict=True)])
    out["creative_specialist"] = [
        is_creative_specialist(p, v)
        for p, v in zip(out["provider_name"], out["view_name"], strict=True)
    ]
    return out.reset_index(drop=True)


def open_in_year(museums: pd.DataFrame, year: int) -> pd.Series:
    """Boolean Series: museums definitely open in ``year`` (see the module docstring).

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "year_opened_high": pd.array([1990, 2019, 2022], dtype="Int64"),
    ...     "year_closed_low": pd.array([pd.NA, 2020, pd.NA], dtype="Int64")})
    >>> open_in_year(t, 2021).tolist()
    [True, False, False]
    """
    opened = museums["year_opened_high"].le(year).fillna(False)
    closed_after = museums["year_closed_low"].isna() | museums["year_closed_low"].gt(
        year
    ).fillna(False)
    return (opened & closed_after).astype(bool)


def parse_museums(frame: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Check and tidy the Mapping Museums file into the ``museums`` table.

    Raises
    ------
    ImportFormatError
        On a missing column, a repeated ``museum_id``, non-numeric or non-UK
        coordinates, an unknown nation or accreditation value, or a year that is
        neither a year, a ``low:high`` range nor ``na``.
    """
    require_columns(frame, _MUSEUM_COLUMNS, file=file)
    ids = clean_text(frame, "museum_id")
    _fail_if(ids.eq(""), frame, "museum_id", "a museum id", file)
    _unique(frame, "museum_id", file=file)
    _require(frame, ("museum_name",), file=file)
    lat, lon = _coords(frame, "latitude", "longitude", file=file, allow_missing=False)
    nation = frame["admin_area_1"].astype("string").fillna("")
    _fail_if(
        ~nation.isin(list(_NATIONS)),
        frame,
        "admin_area_1",
        f"one of {list(_NATIONS)}",
        file,
    )
    acc = frame["accreditation"].astype("string").fillna("")
    _fail_if(
        ~acc.isin(list(_ACCREDITATION)),
        frame,
        "accreditation",
        f"one of {list(_ACCREDITATION)}",
        file,
    )
    out = frame.astype("string").copy()
    out.columns = [
        re.sub(r"\W+", "_", c.strip()).strip("_").lower() for c in frame.columns
    ]
    out["museum_id"] = ids
    out["latitude"], out["longitude"] = lat, lon
    for col in ("year_opened", "year_closed"):
        lo_lo, lo_hi = _years(frame, f"{col}_low", file=file)
        _hi_lo, hi_hi = _years(frame, f"{col}_high", file=file)
        low, high = lo_lo, hi_hi.fillna(lo_hi)
        bad = low.notna() & high.notna() & (high < low)
        _fail_if(
            bad.fillna(False),
            frame,
            f"{col}_high",
            f"a year not before {col}_low",
            file,
        )
        if col == "year_opened":
            _fail_if(low.isna(), frame, f"{col}_low", "an opening year", file)
        out[f"{col}_low"], out[f"{col}_high"] = low, high
    # the years as the project gives them: a range where it is unsure ("1960–2017"), never its low end alone
    for col in ("year_opened", "year_closed"):
        out[col] = pd.Series(
            [fmt_year_range(lo, hi) or pd.NA for lo, hi in zip(out[f"{col}_low"], out[f"{col}_high"], strict=True)],
            index=out.index,
            dtype="string",
        )
    out.insert(1, "name", out["museum_name"])
    sub = out["governance_subtype"].fillna("").str.strip()
    gov = out["governance_type"].fillna("").str.strip()
    out["governance"] = gov.where(sub.isin(["", "Unknown"]), gov + ": " + sub)
    out["accredited"] = acc.map(_ACCREDITATION).astype(bool)
    out["open_2021"] = open_in_year(out, 2021)
    return out.reset_index(drop=True)


def read_anchors_hei(root: Path) -> ImportResult:
    """Read the HE providers list into reference table ``hei``."""
    path = Path(root) / HEI_FILE
    hei = parse_hei(read_csv_strict(path, required=_HEI_COLUMNS), file=str(path))
    return ImportResult(
        tables={"hei": hei},
        coverage=f"{len(hei)} UK HE providers ({int(hei['creative_specialist'].sum())} "
        "creative specialists)",
    )


def read_anchors_museums(root: Path) -> ImportResult:
    """Read the Mapping Museums list into reference table ``museums``."""
    path = Path(root) / MUSEUMS_FILE
    museums = parse_museums(
        read_csv_strict(path, required=_MUSEUM_COLUMNS), file=str(path)
    )
    return ImportResult(
        tables={"museums": museums},
        coverage=f"{len(museums)} UK museums 1960-2021 "
        f"({int(museums['open_2021'].sum())} definitely open in 2021)",
    )


DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id="anchors_hei",
        kind=kinds.ANCHORS_HEI,
        title="UK higher-education providers with locations and groups (about 2015)",
        publisher=(
            "learning-provider.data.ac.uk (Jisc open data), from the UK Register of "
            "Learning Providers"
        ),
        licence=OGL,
        source_url="https://learning-provider.data.ac.uk/",
        vintage="2015",
        files=(HEI_FILE,),
        reader=read_anchors_hei,
        caveats=(
            "About 2015: some names are out of date (e.g. 'Leeds Metropolitan "
            "University') and later mergers and new providers are missing.",
            "creative_specialist is a name rule (arts, music, drama, dance, design, "
            "conservatoires and named specialists), not an official designation.",
            "No LAD code in the file; join the postcode or coordinates to boundaries.",
        ),
    ),
    DatasetSpec(
        id="anchors_museums",
        kind=kinds.ANCHORS_MUSEUMS,
        title="Mapping Museums: UK museums 1960-2021",
        publisher="Mapping Museums project, Birkbeck, University of London",
        licence="Creative Commons Attribution 4.0 (CC BY 4.0)",
        source_url="https://www.mappingmuseums.org/",
        vintage="2021",
        files=(MUSEUMS_FILE,),
        reader=read_anchors_museums,
        attribution=MUSEUMS_ATTRIBUTION,
        caveats=(
            "Opening and closing years are often ranges (the project's uncertainty); "
            "year_opened and year_closed give the range where its ends differ "
            "(1960–2017), the _low and _high columns its ends; open_2021 is the "
            "'definitely open' rule (latest possible opening year 2021 or before, "
            "earliest possible closing year after 2021 or none).",
            "No LAD code in the file: per-LAD counts need a point-in-polygon join.",
            "Includes unaccredited and small museums that other counts (e.g. ONS "
            "museums per 100k) leave out.",
        ),
    ),
]
