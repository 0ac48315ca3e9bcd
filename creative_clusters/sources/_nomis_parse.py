"""Parsing of Nomis API CSV into the tidy observation table (pure; no network).

Used by :mod:`creative_clusters.sources.nomis`, whose :func:`parse_table` is the
public entry point. See ``tests/data/nomis/README.md`` for what is known about
the Nomis CSV layout and ``OBS_STATUS`` codes, and where it comes from.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from creative_clusters._schema import validate_observations
from creative_clusters.errors import ImportFormatError
from creative_clusters.geography.hierarchy import LAD_PREFIXES
from creative_clusters.sources._base import (
    LOW_RELIABILITY_STATUS,
    SUPPRESSED_STATUS,
    fail_first,
    fail_rows,
    first_position,
)
from creative_clusters.sources._nomis_csv import (
    BULK_DOWNLOAD_HINT,
    WEB_DOWNLOAD_HINT,
    looks_like_bulk_download,
    looks_like_web_download,
    not_data_reason,
    read_csv_bytes,
    record_count_message,
)

__all__ = [
    "BULK_DOWNLOAD_HINT",
    "GSS_CODE",
    "NOMIS_DATE",
    "WEB_DOWNLOAD_HINT",
    "LadCoverage",
    "coverage_text",
    "lad_coverage",
    "looks_like_bulk_download",
    "looks_like_web_download",
    "not_data_reason",
    "parse_observations",
    "read_csv_bytes",
    "unknown_geo_codes",
]

#: Nomis industry ids: class = base + class number, and so on (see README).
CLASS_BASE = 138_412_032
DIV_BASE = 146_800_640
SECTION_BASE = 150_994_944
ALL_INDUSTRIES = 37_748_736
SECTIONS = "ABCDEFGHIJKLMNOPQRSTU"


# SUPPRESSED_STATUS / LOW_RELIABILITY_STATUS (the OBS_STATUS codes) live in _base: one marker table for
# the Nomis route and the file readers.
#: SDMX codes that keep the value with the dataset's normal flag.
NORMAL_STATUS = frozenset({"A", "B", "E", "F", "I", "P", ""})

_GEO_TYPES = (
    (r"district / unitary|local authority district|lower tier", "lad"),
    (r"county / unitary|upper tier", "utla"),
    (r"combined authorit", "cauth"),
    (r"^regions|government office region", "rgn"),
    (r"^countr", "ctry"),
    (r"lower layer|lsoa", "lsoa"),
    (r"middle layer|msoa", "msoa"),
    (r"ward", "ward"),
    (r"travel to work", "ttwa"),
    (r"nuts \d{4} level 2\b|\bitl ?2\b", "nuts2"),
    (r"nuts \d{4} level 3\b|\bitl ?3\b", "itl3"),
)
_GSS_TYPES = {
    **dict.fromkeys(LAD_PREFIXES, "lad"),
    "E10": "utla",
    "E12": "rgn",
    "E47": "cauth",
    "E92": "ctry",
    "W92": "ctry",
    "S92": "ctry",
    "N92": "ctry",
    "K02": "uk",
    "E01": "lsoa",
    "W01": "lsoa",
    "E02": "msoa",
    "W02": "msoa",
    "E05": "ward",
    "W05": "ward",
    "E30": "ttwa",
    "K01": "ttwa",
}


#: A Nomis ``DATE``: a year (``2024``) or a year and month (``2024-03``, quarters and
#: rolling years such as the APS's are dated by their last month).
NOMIS_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]))?$")
#: A GSS code: a letter for the nation (or K for UK/GB/E&W), then eight digits.
GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
#: Geography types whose ``GEOGRAPHY_CODE`` is always a GSS code (NUTS/ITL and
#: unrecognised types are not checked).
_GSS_GEO_TYPES = frozenset(
    {"lad", "utla", "cauth", "rgn", "ctry", "uk", "lsoa", "msoa", "ward", "ttwa"}
)
#: Geography types the warehouse's area tables list (small areas are not checked).
_AREA_GEO_TYPES = frozenset({"lad", "utla", "cauth", "rgn", "ctry", "uk", "ttwa"})

_TOTAL_NAMES = frozenset({"all", "all industries", "all occupations", "all persons"})


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower().replace("+", " plus")).strip("_")


def _is_total(name: str) -> bool:
    low = name.strip().lower()
    return low.startswith(("total", "all categories")) or low in _TOTAL_NAMES


def _geo(type_text: str, code: str) -> tuple[str, str]:
    low = type_text.lower()
    year = ""
    m = re.search(r"(as of|prior to) \w* ?(\d{4})", low)
    if m:
        year = str(int(m.group(2)) - (1 if m.group(1) == "prior to" else 0))
    elif re.match(r"^(\d{4}) ", low):
        year = low[:4]
    if code.startswith("K02"):
        return "uk", year
    for pattern, gtype in _GEO_TYPES:
        if re.search(pattern, low):
            return gtype, year
    return _GSS_TYPES.get(code[:3], "custom"), year


def _industry(nomis_id: str, name: str, *, row: int, source: str) -> tuple[str, str]:
    by_id: tuple[str, str] | None = None
    if nomis_id.isdigit():
        n = int(nomis_id)
        if n == ALL_INDUSTRIES:
            by_id = ("SIC2007", "_T")
        elif 100 <= n - CLASS_BASE <= 9999:
            by_id = ("SIC2007", f"{n - CLASS_BASE:04d}")
        elif 1 <= n - DIV_BASE <= 99:
            by_id = ("SIC2007_DIV", f"{n - DIV_BASE:02d}")
        elif 1 <= n - SECTION_BASE <= 21:
            by_id = ("SIC2007_SECTION", SECTIONS[n - SECTION_BASE - 1])
    by_name: tuple[str, str] | None = None
    m = re.match(r"^\s*(\d{4}|\d{2}|[A-U])\s*:", name)
    if m:
        c = m.group(1)
        scheme = {4: "SIC2007", 2: "SIC2007_DIV", 1: "SIC2007_SECTION"}[len(c)]
        by_name = (scheme, c)
    elif _is_total(name):
        by_name = ("SIC2007", "_T")
    if by_id and by_name and by_id != by_name:
        raise ImportFormatError(
            f"industry id {nomis_id} decodes to {by_id[1]} but its name {name!r} says "
            f"{by_name[1]}; the Nomis industry id scheme may have changed",
            file=source,
            row=row,
            column="INDUSTRY",
        )
    return by_name or by_id or ("NOMIS_INDUSTRY", nomis_id or _slug(name))


def _census_code(
    name: str,
    code: str,
    pattern: str,
    schemes: Mapping[int, str],
    total_scheme: str,
    other_scheme: str,
) -> tuple[str, str]:
    if _is_total(name):
        return total_scheme, "_T"
    m = re.match(pattern, name)
    if m:
        c = m.group(1)
        return schemes[len(c)], c
    return other_scheme, code or _slug(name)


def _joint_division(name: str) -> str | None:
    """The code of a Census industry category that joins several divisions (``"41-43"``), else ``None``.

    >>> _joint_division("41 Construction of buildings; 42 Civil engineering; 43 Specialised construction activities")
    '41-43'
    >>> _joint_division("59 Motion picture ...") is None
    True
    """
    if len(re.findall(r"(?:^|;)\s*\d{2}\s", name)) < 2:
        return None
    from creative_clusters.errors import UnknownCodeError
    from creative_clusters.sources.census2021_codes import industry_division

    try:
        return industry_division(name)
    except UnknownCodeError:
        return None


def _short(dim: str) -> str:
    short = {"EMPLOYMENT_SIZEBAND": "sizeband", "C_SEX": "sex"}.get(dim)
    return short or re.sub(r"^c\d{4}_|_\d+$", "", dim.lower())


def parse_observations(
    content: bytes,
    *,
    dataset_id: str,
    dataset_vintage: str | None,
    base_measure: str | None,
    normal_flag: str,
    source: str,
    check_frame: Callable[[pd.DataFrame], None] | None = None,
) -> pd.DataFrame:
    """Parse Nomis CSV bytes; see ``creative_clusters.sources.nomis.parse_table``.

    ``check_frame`` is called with the file as read (column names upper-cased)
    before any row is parsed, e.g. to refuse a file of another Nomis dataset.
    """
    frame = read_csv_bytes(content, source)
    published = [str(c).strip() for c in frame.columns]
    frame.columns = [c.upper() for c in published]
    required = ["DATE", "GEOGRAPHY_CODE", "OBS_VALUE"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        shown = ", ".join(repr(c) for c in published[:6]) + (
            f" and {len(published) - 6:,} more" if len(published) > 6 else "")
        raise ImportFormatError(
            f"expected Nomis column(s) {', '.join(missing)} but found {shown}; "
            "Nomis may "
            "have changed its CSV layout, or this is not an API CSV (.data.csv)",
            file=source,
            row=1,
        )
    if check_frame is not None:
        check_frame(frame)
    if frame.empty:
        raise ImportFormatError(
            "Nomis CSV has a header but no rows; check the selection", file=source
        )
    n = len(frame)
    for c in ("DATE", "GEOGRAPHY_CODE", "GEOGRAPHY_TYPE"):
        if c not in frame.columns:  # optional: a select= download may leave it out
            continue
        blank = frame[c].str.strip().eq("")
        fail_first(
            blank,
            f"empty {c}; the row may be truncated (interrupted download?)",
            file=source,
            column=c,
        )
    for c in ("GEOGRAPHY_TYPE", "OBS_STATUS"):
        if c not in frame.columns:
            frame[c] = ""  # type falls back to the GSS code; status to "normal"
    if "RECORD_COUNT" in frame.columns:
        counts = pd.to_numeric(frame["RECORD_COUNT"], errors="coerce")
        if counts.isna().iloc[-1] and counts.iloc[:-1].notna().all() and counts.iloc[:-1].nunique() <= 1:
            raise ImportFormatError(
                "the last row has no RECORD_COUNT, which every other row has: the file ends in the middle "
                "of a row, so it looks truncated (an interrupted download or copy). Download it again from "
                "Nomis. Nothing was imported",
                file=source, row=n + 1, column="RECORD_COUNT")
        if counts.isna().any() or counts.nunique() != 1:
            raise ImportFormatError(
                "RECORD_COUNT is missing or varies; the file may be "
                "truncated or pasted together",
                file=source,
                column="RECORD_COUNT",
            )
        if int(counts.iloc[0]) != n:
            raise ImportFormatError(record_count_message(frame, n, int(counts.iloc[0])), file=source)
    _check_dates(frame["DATE"], source=source)
    standard = {"DATE", "GEOGRAPHY", "MEASURES", "OBS_STATUS", "OBS_CONF"}
    dims = [
        c[:-5] for c in frame.columns if c.endswith("_NAME") and c[:-5] not in standard
    ]

    raw = frame["OBS_VALUE"].str.strip()
    value = pd.to_numeric(raw.str.replace(",", "", regex=False), errors="coerce")
    bad = value.isna() & raw.ne("")
    fail_first(
        bad,
        lambda i: f"expected a number but found {raw.iloc[i]!r}",
        file=source,
        column="OBS_VALUE",
    )
    status = frame["OBS_STATUS"].str.strip().str.upper()  # Nomis codes in either case ("x" is "X")
    normal = normal_flag
    flag = pd.Series(normal, index=frame.index, dtype="string")
    low = status.isin(LOW_RELIABILITY_STATUS)
    flag[low] = "low-reliability"
    suppressed = status.isin(SUPPRESSED_STATUS) | value.isna()
    flag[suppressed] = "suppressed"
    value = value.where(~suppressed)
    # an unknown code on an empty cell is a suppressed cell like any other; only a kept value needs a word
    unknown = sorted(
        set(status[~suppressed]) - SUPPRESSED_STATUS - LOW_RELIABILITY_STATUS - NORMAL_STATUS
    )
    if unknown:
        warnings.warn(
            f"{source}: unknown OBS_STATUS code(s) {unknown}; their values are "
            "kept with "
            f"flag {normal!r}. Check OBS_STATUS_NAME.",
            stacklevel=2,
        )

    geo = [
        _geo(t, c)
        for t, c in zip(frame["GEOGRAPHY_TYPE"], frame["GEOGRAPHY_CODE"], strict=True)
    ]
    _check_gss_codes(frame["GEOGRAPHY_CODE"], [g[0] for g in geo], source=source)
    out = pd.DataFrame(
        {
            "dataset": dataset_id,
            "geo_code": frame["GEOGRAPHY_CODE"].str.strip(),
            "geo_type": [g[0] for g in geo],
            "geo_vintage": [g[1] for g in geo],
            "period": frame["DATE"].str.strip(),
            "value": value.astype("float64"),
            "disclosure_flag": flag,
        }
    )
    if (out["geo_type"] == "custom").any():
        odd = sorted(set(frame.loc[out["geo_type"] == "custom", "GEOGRAPHY_TYPE"]))
        warnings.warn(
            f"{source}: unrecognised geography type(s) {odd}; labelled 'custom'.",
            stacklevel=2,
        )
    out["dataset_vintage"] = dataset_vintage or max(out["period"])
    out["industry_scheme"], out["industry_code"] = "", ""
    out["occupation_scheme"], out["occupation_code"] = "", ""
    measure = pd.Series(base_measure or "value", index=frame.index)
    status_parts: list[pd.Series] = []
    n_status_dims = 0

    def col(name: str) -> pd.Series:
        return (
            frame[name].str.strip()
            if name in frame.columns
            else pd.Series([""] * n, index=frame.index)
        )

    for dim in dims:
        names, codes = col(f"{dim}_NAME"), col(dim)
        if dim == "INDUSTRY":
            pairs = [
                _industry(c, nm, row=i + 2, source=source)
                for i, (c, nm) in enumerate(zip(codes, names, strict=True))
            ]
            out["industry_scheme"] = [p[0] for p in pairs]
            out["industry_code"] = [p[1] for p in pairs]
        elif re.match(r"^C\d{4}_IND", dim):
            pairs = [
                _census_code(
                    nm,
                    c,
                    r"^\s*(?:[A-U]\s*[:.]?\s*)?(\d{2})\b",
                    {2: "SIC2007_DIV"},
                    "SIC2007",
                    f"NOMIS_{dim}",
                )
                for c, nm in zip(codes, names, strict=True)
            ]
            # a category of several divisions ("41 Construction of buildings; 42 ...") as the bundle's TS060
            # codes it ("41-43"), so a fetched table and the bundle's agree
            pairs = [(sch, _joint_division(nm) or code) if sch == "SIC2007_DIV" else (sch, code)
                     for (sch, code), nm in zip(pairs, names, strict=True)]
            out["industry_scheme"] = [p[0] for p in pairs]
            out["industry_code"] = [p[1] for p in pairs]
        elif re.match(r"^C\d{4}_OCC", dim):
            pairs = [
                _census_code(
                    nm,
                    c,
                    r"^\s*(\d{1,4})\b[.:]?",
                    {
                        1: "SOC2020_MAJOR",
                        2: "SOC2020_SUBMAJOR",
                        3: "SOC2020_MINOR",
                        4: "SOC2020",
                    },
                    "SOC2020",
                    f"NOMIS_{dim}",
                )
                for c, nm in zip(codes, names, strict=True)
            ]
            out["occupation_scheme"] = [p[0] for p in pairs]
            out["occupation_code"] = [p[1] for p in pairs]
        elif dim == "EMPLOYMENT_STATUS":
            measure = names.map(_slug)
        elif dim == "MEASURE":
            measure = measure + names.map(
                lambda s: "" if s.lower() == "count" else "_" + _slug(s)
            )
        else:
            n_status_dims += 1
            short = _short(dim)
            status_parts.append(
                names.map(lambda s, d=short: "" if _is_total(s) else f"{d}={_slug(s)}")
            )
    if "MEASURES_NAME" in frame.columns:
        measure = measure + col("MEASURES_NAME").map(
            lambda s: "" if s.lower() in ("value", "") else "_" + _slug(s)
        )
    out["measure"] = measure.astype("string")
    if n_status_dims:
        joined = pd.concat(status_parts, axis=1).apply(
            lambda r: ";".join(p for p in r if p), axis=1
        )
        out["status"] = joined.where(joined.ne(""), "_T")
    else:
        out["status"] = ""
    return validate_observations(out, source=dataset_id)


def _check_dates(dates: pd.Series, *, source: str) -> None:
    """Refuse a ``DATE`` that is not a year or Nomis date (it would become a period and a vintage)."""
    text = dates.str.strip()
    fail_rows(~text.str.fullmatch(NOMIS_DATE), file=source, column="DATE", values=text,
              expected="a year (YYYY) or a Nomis date (YYYY-MM)", count_rest=True, then=_REFUSED)


def _check_gss_codes(codes: pd.Series, geo_types: list[str], *, source: str) -> None:
    """Refuse a malformed GSS code in a geography whose codes are all GSS codes."""
    text = codes.str.strip()
    bad = pd.Series([t in _GSS_GEO_TYPES for t in geo_types], index=codes.index) & ~text.str.fullmatch(GSS_CODE)
    if bad.any():
        kind = geo_types[first_position(bad)]
        fail_rows(bad, file=source, column="GEOGRAPHY_CODE", values=text, count_rest=True, then=_REFUSED,
                  expected=f"a GSS code (a letter E, W, S, N or K and eight digits, e.g. E09000033) for a {kind} area")


#: What a refused Nomis file's error ends with.
_REFUSED = "; correct the file or download it again from Nomis. Nothing was imported"


def unknown_geo_codes(
    obs: pd.DataFrame, known: set[str], *, source: str, shown: int = 5
) -> str:
    """A warning naming the rows and codes of ``obs`` that are not in ``known``; ``""`` when all are.

    ``obs`` is a table from :func:`parse_observations` (rows in file order, so
    row *i* is line *i* + 2 of the file); ``known`` is every area code the
    warehouse's geography holds. Only the types the warehouse's area tables list
    are checked (local authorities up to the UK, and TTWAs; not LSOAs, MSOAs or
    wards).

    Examples
    --------
    >>> obs = pd.DataFrame({"geo_code": ["E09000033", "E09999999"],
    ...                     "geo_type": ["lad", "lad"]})
    >>> unknown_geo_codes(obs, {"E09000033"}, source="f.csv")[:47]
    'f.csv: 1 row(s) have a GEOGRAPHY_CODE that is n'
    >>> unknown_geo_codes(obs, {"E09000033", "E09999999"}, source="f.csv")
    ''
    """
    codes = obs["geo_code"].astype(str).to_numpy()
    types = obs["geo_type"].astype(str).to_numpy()
    rows = [
        i + 2
        for i, (c, t) in enumerate(zip(codes, types, strict=True))
        if t in _AREA_GEO_TYPES and c not in known
    ]
    if not rows:
        return ""
    odd = sorted({codes[r - 2] for r in rows})
    row_txt = ", ".join(str(r) for r in rows[:shown]) + (
        f" and {len(rows) - shown:,} more" if len(rows) > shown else ""
    )
    code_txt = ", ".join(odd[:shown]) + (
        f" and {len(odd) - shown:,} more" if len(odd) > shown else ""
    )
    return (
        f"{source}: {len(rows):,} row(s) have a GEOGRAPHY_CODE that is not in the "
        f"warehouse's geography (row(s) {row_txt}: {code_txt}); they are imported, but "
        "no name, boundary or total will be found for them. Check the codes against "
        "the Nomis download."
    )


def coverage_text(obs: pd.DataFrame) -> str:
    """One-line coverage description of a parsed table."""
    geos = obs.groupby("geo_type")["geo_code"].nunique()
    geo_txt = ", ".join(f"{n} {t} areas" for t, n in geos.items())
    inds = obs.loc[obs["industry_code"].ne(""), "industry_code"].nunique()
    periods = sorted(set(obs["period"]))
    parts = [geo_txt]
    if inds:
        parts.append(f"{inds} industry codes")
    parts.append("periods " + ", ".join(periods))
    supp = int(obs["disclosure_flag"].eq("suppressed").sum())
    return (
        " \u00d7 ".join(parts[:-1])
        + f"; {parts[-1]}; {len(obs):,} cells ({supp:,} suppressed)"
    )


_NATIONS = {"E": "English", "W": "Welsh", "S": "Scottish", "N": "Northern Irish"}


@dataclass(frozen=True)
class LadCoverage:
    """Which local authorities of the nations it touches a table covers, against a reference list.

    ``complete`` is ``True`` when every reference LAD of each nation the table
    has LADs in is present, ``False`` when some are missing (or the table has no
    LADs at all), ``None`` when the reference lists no LAD of those nations (not
    checked). ``text`` says it in words, e.g. ``"1 of 296 English LADs (2023)"``.
    """

    complete: bool | None
    covered: int
    reference: int
    text: str


def lad_coverage(obs: pd.DataFrame, reference: Iterable[str], *, vintage: str = "") -> LadCoverage:
    """How many of the reference LADs of the nations it touches a parsed table covers (pure).

    National statistics (shares, location quotients, ranks) divide by the sum
    over every LAD of the nation, so a table that lacks some cannot be their
    baseline. Nations are read from the GSS code's first letter; a nation the
    table has no LAD in is not asked for (an England-only table is complete).

    Examples
    --------
    >>> obs = pd.DataFrame({"geo_code": ["E09000033", "E09000033"], "geo_type": ["lad", "lad"]})
    >>> cov = lad_coverage(obs, ["E09000033", "E08000019", "W06000015"], vintage="2023")
    >>> cov.complete, cov.text
    (False, '1 of 2 English LADs (2023)')
    >>> lad_coverage(obs, ["E09000033", "W06000015"]).complete
    True
    >>> lad_coverage(obs.assign(geo_type="ctry"), ["E09000033"]).text
    'no local authorities'
    """
    codes = set(obs.loc[obs["geo_type"].astype(str) == "lad", "geo_code"].astype(str))
    if not codes:
        return LadCoverage(False, 0, 0, "no local authorities")
    ref = {str(c) for c in reference}
    parts: list[str] = []
    covered = total = 0
    checked = complete = True
    for letter, adjective in _NATIONS.items():
        if not any(c.startswith(letter) for c in codes):
            continue
        wanted = {c for c in ref if c.startswith(letter)}
        if not wanted:
            checked = False
            continue
        have = len(codes & wanted)
        covered, total = covered + have, total + len(wanted)
        complete = complete and have == len(wanted)
        parts.append(f"{have} of {len(wanted)} {adjective} LADs")
    if not parts:
        return LadCoverage(None, 0, 0, "not checked (no reference list of local authorities)")
    suffix = f" ({vintage})" if vintage else ""
    return LadCoverage(complete if checked or not complete else None, covered, total,
                       ", ".join(parts) + suffix)
