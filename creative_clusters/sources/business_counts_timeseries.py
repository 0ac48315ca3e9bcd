"""Importer for the creative-enterprise series: every UK LAD, every year 2010–2025.

One dataset, ``business_counts_series``, whose **years are periods** (not
separate datasets). Source: ONS UK Business Counts (IDBR, March snapshot each
year), DCMS creative industries, enterprises, as extracted from Nomis by the
public repository ``debs4451/creative-industries-atlas`` (see the data
README, section ``business_counts_timeseries/``).

Rows produced: one per LAD (2023 boundaries) × year, with
``industry_scheme="DCMS_CI"``, ``industry_code="_T"`` (all creative classes
present in the extract), ``measure="enterprises"``, ``geo_vintage="2023"`` and
``disclosure_flag="rounded"`` (values are rounded to 5 by ONS; a 0 can mean
0–2 enterprises). The Isles of Scilly's 0 is kept as published.

Names, not codes, identify places (``Region``: "St. Helens", "Bristol, City
of"). They are resolved to LAD 2023 GSS codes with the project's place
resolver (:func:`creative_clusters.geography.resolver.find_area`) over the
official 2023 code list ``geography/ltla23.csv``; every row must match, and
the import fails naming the first row whose name does not. The ``Nation``
column is checked against the code's first letter.

Which product serves which figure: this series serves every trajectory
(2010–2025 trend, growth windows, ranks, LQ over time) and every count for
Scotland, Wales and Northern Ireland; the SIC-level table ``business_counts_2025``
(England only, March 2025) serves sub-sector detail. The two 2025 figures
differ slightly (this file rounds LAD totals, the other sums rounded SIC cells).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters._schema import TOTAL
from creative_clusters.errors import ImportFormatError, PlaceNotFoundError
from creative_clusters.geography.resolver import find_area
from creative_clusters.sources._base import (
    OGL,
    DatasetSpec,
    ImportResult,
    fail_first,
    fail_rows,
    first_position,
    read_csv_strict,
    resolve_file,
    to_numeric_marked,
)

__all__ = [
    "DATASETS",
    "DATASET_ID",
    "SERIES_FILE",
    "SERIES_PATTERN",
    "choose_series_file",
    "fill_caveats",
    "lad_areas",
    "parse_series",
    "read_business_counts_series",
    "resolve_lad_names",
    "snapshots_words",
    "title_for",
]

#: The dataset id: no year inside it, the years are periods.
DATASET_ID = "business_counts_series"
SERIES_FILE = "business_counts_timeseries/creative_enterprises_lad_2010_2025.csv"
#: The files the importer reads: the newest release in the folder (named by its last year), so a user who
#: drops in ``..._2010_2026.csv`` gets 2026 everywhere without a code change.
SERIES_PATTERN = "business_counts_timeseries/creative_enterprises_lad_*.csv"
LAD_FILE = "geography/ltla23.csv"
#: Boundary vintage of the extract (April 2023 LADs, as published).
GEO_VINTAGE = "2023"
#: The rounding base ONS applies to UK Business Counts.
ROUNDING_BASE = 5

_COLUMNS = ["Region", "Enterprise Count", "Region_1", "Year", "Nation"]
_NATION_PREFIX = {"England": "E", "Wales": "W", "Scotland": "S", "Northern Ireland": "N"}

#: The caveats as the catalogue stores them. ``{years}`` and ``{snapshots}`` are filled when they are served
#: (:func:`fill_caveats`), from what the warehouse holds: the series' own years, and the snapshots by SIC class
#: (their years and the nations they cover), so a newer import is never described by the years of an older one.
CAVEATS: tuple[str, ...] = (
    "UK, all 361 LADs on April 2023 boundaries (296 England, 32 Scotland, 22 Wales, "
    "11 Northern Ireland), every year of the file ({years}); earlier years are on 2023 "
    "boundaries as published.",
    "Enterprises rounded to 5 by ONS (IDBR March snapshot); a 0 can mean 0–2 enterprises and sums "
    "of rounded LAD values are not exact. The Isles of Scilly read 0 in every year, kept as published.",
    "Bromsgrove 2018 reads 1,360 (2017: 415; 2019: 425): as in the source and almost certainly an "
    "error in the extract. It is kept, and flagged as an outlier by the trajectory indicators.",
    "The museums and libraries classes (SIC 9101/9102) are probably absent, as in the SIC-level "
    "tables. No SIC breakdown: sub-sector detail comes from the UK Business Counts snapshots by SIC class "
    "({snapshots}).",
    "Third-party extract of Nomis data (debs4451/creative-industries-atlas, file "
    "'turnover_summary(1).csv', which despite its name holds enterprise counts). It was checked against ONS's "
    "own published creative-enterprise counts for England only (England and upper-tier sums).",
    # led by the nations it concerns: the packs of places there show it (reporting.trajectory_block)
    "Scotland, Wales and Northern Ireland: these rows come from the third-party extract and are not yet "
    "cross-checked against Nomis (only England's were checked against ONS's published counts); read their "
    "levels and trends with that in mind.",
)

#: The two caveats as warehouses imported before :func:`fill_caveats` stored them (with the bundle's years
#: written in): read as the templates above, so an older catalogue never serves stale years either.
_STORED_BEFORE = {
    "UK, all 361 LADs on April 2023 boundaries (296 England, 32 Scotland, 22 Wales, 11 Northern Ireland), every "
    "year of the file (2010–2025 in the bundle); earlier years are on 2023 boundaries as published.": CAVEATS[0],
    "The museums and libraries classes (SIC 9101/9102) are probably absent, as in the 2025 SIC-level table. No "
    "SIC breakdown: sub-sector detail exists for England 2025 only (dataset business_counts_2025).": CAVEATS[3],
}


def snapshots_words(snapshots: list[tuple[str, str, str]]) -> str:
    """Which snapshots by SIC class there are, in words: ``(dataset id, period, area covered)`` each, oldest
    first; snapshots covering the same area are said together.

    Examples
    --------
    >>> snapshots_words([("business_counts_2025", "2025", "England")])
    'England, March 2025: dataset business_counts_2025'
    >>> snapshots_words([("business_counts_2025", "2025", "England"), ("business_counts_2026", "2026", "England")])
    'England, March 2025 and 2026: datasets business_counts_2025 and business_counts_2026'
    >>> snapshots_words([("business_counts_2025", "2025", "England"), ("business_counts_2026", "2026", "the UK")])
    'England, March 2025: dataset business_counts_2025; the UK, March 2026: dataset business_counts_2026'
    >>> snapshots_words([])
    'none is imported'
    """
    if not snapshots:
        return "none is imported"

    def listed(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    by_area: dict[str, list[tuple[str, str]]] = {}
    for sid, period, area in snapshots:
        by_area.setdefault(area, []).append((period, sid))
    return "; ".join(
        f"{area}, March {listed([p for p, _ in got])}: dataset{'s' if len(got) > 1 else ''} "
        f"{listed(list(dict.fromkeys(s for _, s in got)))}" for area, got in by_area.items())


def fill_caveats(caveats: tuple[str, ...], *, years: list[str],
                 snapshots: list[tuple[str, str, str]]) -> tuple[str, ...]:
    """The series' catalogue caveats with the years and snapshots the warehouse holds written in.

    ``years`` are the series' periods; ``snapshots`` as :func:`snapshots_words` takes them. Caveats stored
    by an older import (the bundle's years written in) are read as the current templates first.

    Examples
    --------
    >>> got = fill_caveats(CAVEATS, years=["2010", "2026"], snapshots=[("business_counts_2026", "2026", "England")])
    >>> "(2010–2026)" in got[0], got[3].endswith("(England, March 2026: dataset business_counts_2026).")
    (True, True)
    """
    span = f"{min(years)}–{max(years)}" if len(set(years)) > 1 else (str(years[0]) if years else "no years")
    words = snapshots_words(snapshots)
    return tuple(_STORED_BEFORE.get(c, c).replace("{years}", span).replace("{snapshots}", words) for c in caveats)


def lad_areas(path: Path) -> pd.DataFrame:
    """The 2023 LAD code list as an ``areas`` table the place resolver reads.

    Parameters
    ----------
    path : Path
        ``geography/ltla23.csv`` (``areacd, areanm``).

    Returns
    -------
    pandas.DataFrame
        ``geo_code, geo_name, geo_type ("lad"), start, end`` (no start/end:
        all are in force in 2023).
    """
    frame = read_csv_strict(path, required=["areacd", "areanm"])
    n = len(frame)
    return pd.DataFrame({
        "geo_code": frame["areacd"].str.strip().to_numpy(),
        "geo_name": frame["areanm"].str.strip().to_numpy(),
        "geo_type": ["lad"] * n,
        "start": pd.array([None] * n, dtype="Int64"),
        "end": pd.array([None] * n, dtype="Int64"),
    })


def resolve_lad_names(names: pd.Series, areas: pd.DataFrame, *, file: str, column: str) -> pd.Series:
    """Resolve every LAD name to its 2023 GSS code, or fail naming the row.

    Each distinct name is resolved once with
    :func:`~creative_clusters.geography.resolver.find_area` restricted to
    LADs, so Nomis spellings ("St. Helens", "Bristol, City of") match the
    official list.

    Raises
    ------
    ImportFormatError
        Naming the file, the first row with an unknown or ambiguous name, the
        column, and the resolver's closest matches.

    Examples
    --------
    >>> areas = pd.DataFrame({"geo_code": ["E08000013", "E06000023"],
    ...     "geo_name": ["St Helens", "Bristol, City of"], "geo_type": ["lad", "lad"],
    ...     "start": [None, None], "end": [None, None]})
    >>> resolve_lad_names(pd.Series(["St. Helens", "Bristol, City of"]), areas,
    ...                   file="x.csv", column="Region").tolist()
    ['E08000013', 'E06000023']
    """
    codes: dict[str, str] = {}
    for name in dict.fromkeys(names.astype(str)):
        try:
            codes[name] = find_area(name, areas, level="lad").code
        except PlaceNotFoundError as exc:
            pos = first_position(names.astype(str).eq(name))
            raise ImportFormatError(
                f"LAD name {name!r} does not match one 2023 LAD in {LAD_FILE} ({exc}). "
                "Expected an official LAD 2023 name as Nomis spells it, e.g. 'Bristol, City of'.",
                file=file, row=pos + 2, column=column,
            ) from None
    return names.astype(str).map(codes).astype("string")


def parse_series(frame: pd.DataFrame, areas: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Turn the series file (as text) into observation rows, checking every row.

    Checks: names resolve to 2023 LADs; ``Nation`` agrees with the code;
    ``Year`` is a 4-digit year; ``Enterprise Count`` is a whole non-negative
    number; each LAD appears once per year; every year has the same LADs.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``Region, Enterprise Count, Region_1, Year, Nation`` as text.
    areas : pandas.DataFrame
        LAD 2023 areas (:func:`lad_areas`).
    file : str
        File name used in error messages.

    Examples
    --------
    >>> areas = pd.DataFrame({"geo_code": ["W06000015"], "geo_name": ["Cardiff"],
    ...     "geo_type": ["lad"], "start": [None], "end": [None]})
    >>> f = pd.DataFrame({"Region": ["Cardiff", "Cardiff"], "Enterprise Count": ["1230", "1300"],
    ...     "Region_1": ["Wales"] * 2, "Year": ["2024", "2025"], "Nation": ["Wales"] * 2})
    >>> parse_series(f, areas, file="x.csv")[["geo_code", "period", "value"]].values.tolist()
    [['W06000015', '2024', 1230.0], ['W06000015', '2025', 1300.0]]
    """
    codes = resolve_lad_names(frame["Region"], areas, file=file, column="Region")
    nation = frame["Nation"].astype(str).str.strip()
    unknown = ~nation.isin(list(_NATION_PREFIX))
    fail_rows(unknown, file=file, column="Nation", values=frame["Nation"],
              expected=f"one of {list(_NATION_PREFIX)}")
    prefix = nation.map(_NATION_PREFIX)
    fail_rows(codes.str[0].ne(prefix), file=file, column="Nation", values=frame["Nation"],
              expected="the nation of the LAD named in 'Region' (its GSS code's first letter)")
    year_text = frame["Year"].astype(str).str.strip()
    fail_rows(~year_text.str.fullmatch(r"(19|20)\d\d"), file=file, column="Year",
              values=frame["Year"], expected="a 4-digit year such as 2025")
    values, marked = to_numeric_marked(frame["Enterprise Count"], file=file, column="Enterprise Count")
    fail_rows(values.lt(0) | (values.notna() & values.ne(np.floor(values))), file=file, column="Enterprise Count",
              values=frame["Enterprise Count"], expected="a whole, non-negative enterprise count")
    key = pd.DataFrame({"c": codes, "y": year_text})
    dup = key.duplicated()
    fail_first(
        dup,
        lambda pos: f"{frame['Region'].iloc[pos]!r} appears twice for {year_text.iloc[pos]}; expected one "
        "row per LAD and year",
        file=file, column="Region",
    )
    per_year = key.groupby("y")["c"].agg(frozenset)
    first = per_year.iloc[0]
    for year, lads in per_year.items():
        if lads != first:
            gap = sorted(first ^ lads)[:5]
            raise ImportFormatError(
                f"year {year} covers {len(lads)} LADs but {per_year.index[0]} covers {len(first)}; "
                f"every year must cover the same LADs (differing codes: {gap})",
                file=file, column="Region",
            )
    off = values.notna() & (values % ROUNDING_BASE != 0)
    if off.any():
        warnings.warn(
            f"{file}: {int(off.sum())} value(s) are not multiples of {ROUNDING_BASE} although UK "
            "Business Counts are rounded to 5; they are flagged 'as-published', not 'rounded'.",
            stacklevel=2,
        )
    n = len(frame)
    return pd.DataFrame({
        "dataset": [DATASET_ID] * n,
        "dataset_vintage": [max(year_text)] * n,
        "geo_code": codes.to_numpy(),
        "geo_type": ["lad"] * n,
        "geo_vintage": [GEO_VINTAGE] * n,
        "industry_scheme": ["DCMS_CI"] * n,
        "industry_code": [TOTAL] * n,
        "occupation_scheme": [""] * n,
        "occupation_code": [""] * n,
        "status": [""] * n,
        "period": year_text.to_numpy(),
        "measure": ["enterprises"] * n,
        "value": values.to_numpy(dtype="float64"),
        # a suppressed or unreliable cell (ONS/Nomis marker, or empty) is NaN with its flag, never 0
        "disclosure_flag": np.where(marked.ne("").to_numpy(), marked.to_numpy(dtype=object),
                                    np.where(off.to_numpy(), "as-published", "rounded")),
    })


#: A release's name: its first and last year (``..._2010_2026.csv``) or one year (``..._2026.csv``).
_NAME_YEARS = re.compile(r"creative_enterprises_lad_((?:19|20)\d\d)(?:_((?:19|20)\d\d))?\.csv")


def _span(years: set[int]) -> str:
    """``"2010–2026"``, or ``"2026 only"`` for one year."""
    return f"{min(years)} only" if len(years) == 1 else f"{min(years)}–{max(years)}"


def _file_years(path: Path) -> set[int] | None:
    """The years in a series file's ``Year`` column (None when it cannot be read as a series file)."""
    try:
        col = pd.read_csv(path, usecols=["Year"], dtype=str, encoding="utf-8-sig")["Year"]
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    text = col.dropna().str.strip()
    return {int(y) for y in text if y.isdigit()}


def choose_series_file(root: Path) -> tuple[Path, pd.DataFrame]:
    """The series file to read under ``root``: the last by name of those matching :data:`SERIES_PATTERN`.

    The series is read from one file that holds every year. With several files
    matching, the one chosen is named (a warning), and the import is refused
    when it lacks years another holds (a new-year file holding only the new
    year would replace the whole history). The years in the chosen file's name
    (``..._2010_2026.csv``, or ``..._2026.csv``) must be the years in its
    ``Year`` column.

    Returns
    -------
    (path, frame)
        The file chosen and its rows as text (:func:`read_csv_strict`).

    Raises
    ------
    ImportFormatError
        Naming the file, what it holds, and what to give instead.
    """
    root = Path(root)
    chosen = resolve_file(root, SERIES_PATTERN)  # the same file the catalogue checksums
    frame = read_csv_strict(chosen, required=_COLUMNS)  # a missing file, or column, is reported first
    candidates = sorted(p for p in root.glob(SERIES_PATTERN) if p.is_file())
    folder = Path(SERIES_PATTERN).parent.as_posix()
    held = {int(y) for y in frame["Year"].dropna().astype(str).str.strip() if y.isdigit()}
    m = _NAME_YEARS.fullmatch(chosen.name)
    if held and m:
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        named = set(range(first, last + 1))
        if held != named:
            lacking = sorted(named - held)
            extra = sorted(held - named)
            what = (f"lacks {', '.join(map(str, lacking[:5]))}" if lacking else "") + \
                ("; " if lacking and extra else "") + \
                (f"holds {', '.join(map(str, extra[:5]))} too" if extra else "")
            raise ImportFormatError(
                f"the file name says {_span(named)} but the Year column holds {_span(held)} ({what}); a series "
                f"file must hold exactly the years its name gives. Rename it to {_name_for(held)}, or correct "
                "the Year column",
                file=str(chosen), column="Year",
            )
    if len(candidates) > 1 and held:
        others = {p: _file_years(p) for p in candidates if p != chosen}
        missing = {p: ys - held for p, ys in others.items() if ys and ys - held}
        if missing:
            every = held.union(*(ys for ys in others.values() if ys))
            fullest = max(missing, key=lambda p: len(others[p] or ()))
            moved = [p.name for p in candidates]
            lines = "; ".join(f"{p.name} holds {_span(ys)}" for p, ys in others.items() if ys)
            raise ImportFormatError(
                f"{len(candidates)} files match {SERIES_PATTERN}; the newest by name, {chosen.name}, was chosen "
                f"but holds {_span(held)}, while {lines}. The series is read from one file holding every year, "
                f"so importing it would drop {_span(set().union(*missing.values()))}. Give one file with "
                f"{_span(every)}: add the rows of {chosen.name} to a copy of {fullest.name}, name it "
                f"{_name_for(every)}, and move {' and '.join(moved)} out of "
                f"{folder}/",
                file=str(chosen),
            )
        warnings.warn(
            f"{len(candidates)} files match {SERIES_PATTERN}: read {chosen.name} ({_span(held)}), the newest by "
            f"name, which holds every year of the others ({', '.join(p.name for p in others)}); move those out of "
            f"{folder}/ to silence this note.",
            stacklevel=2,
        )
    return chosen, frame


def _name_for(years: set[int]) -> str:
    """The file name of a release holding ``years``."""
    span = str(min(years)) if len(years) == 1 else f"{min(years)}_{max(years)}"
    return f"creative_enterprises_lad_{span}.csv"


def read_business_counts_series(root: Path) -> ImportResult:
    """Read the creative-enterprise series under ``root`` (the newest file matching :data:`SERIES_PATTERN`).

    Returns one observation per LAD × year (5,776 rows for the bundle's file,
    2010–2025), with the catalogue title and vintage of the years read: a
    newer release is catalogued as what it is.
    """
    root = Path(root)
    areas = lad_areas(root / LAD_FILE)
    path, frame = choose_series_file(root)
    obs = parse_series(frame, areas, file=str(path))
    years = sorted(obs["period"].unique())
    by_nation = obs.drop_duplicates("geo_code")["geo_code"].str[0].value_counts()
    return ImportResult(
        observations=obs,
        coverage=(
            f"{obs['geo_code'].nunique()} UK LADs (2023: {by_nation.get('E', 0)} England, "
            f"{by_nation.get('S', 0)} Scotland, {by_nation.get('W', 0)} Wales, "
            f"{by_nation.get('N', 0)} Northern Ireland) × "
            + (f"{len(years)} years {years[0]}–{years[-1]}" if len(years) > 1 else f"1 year, {years[0]}")
        ),
        title=title_for(years[0], years[-1]),
        vintage=str(years[-1]),
    )


def title_for(first: str, last: str) -> str:
    """The catalogue title of the series over ``first``–``last`` (the years of the file read).

    Examples
    --------
    >>> title_for("2010", "2026")
    'UK Business Counts: creative enterprises by UK LAD, every year 2010–2026'
    """
    return f"UK Business Counts: creative enterprises by UK LAD, every year {first}–{last}"


DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id=DATASET_ID,
        kind=kinds.CREATIVE_ENTERPRISES_SERIES,
        title=title_for("2010", "2025"),  # the bundle's file; an import catalogues the years it read
        publisher="Office for National Statistics (Inter-Departmental Business Register), "
        "via Nomis; extract by debs4451/creative-industries-atlas",
        licence=OGL,
        source_url="https://www.nomisweb.co.uk/datasets/idbrent",
        vintage="2025",  # likewise: the last year read
        files=(SERIES_PATTERN, LAD_FILE),
        reader=read_business_counts_series,
        caveats=CAVEATS,
        keeps_history=True,
    )
]
