"""Importer for the Indices of Deprivation summaries by local authority, and
UK-comparable small-area deciles.

Each nation's index is its own dataset, because **scores and ranks are not
comparable across nations** (different domains, indicators and years):

==========================  ===================================================
dataset                     files (geo_vintage)
==========================  ===================================================
``imd2019_england``         ``imd2019_england_ltla23.csv`` (2023, main),
                            ``..._ltla22.csv`` (2022), ``..._ltla19.csv`` (2019),
                            ``IoD2019_lad19_ranks.csv`` (2019)
``imd2025_england``         ``imd2025_england_ltla24.csv`` and
                            ``indices_of_deprivation_2025_lad.csv`` (2024)
``imdYYYY_england``         any later English release in the same layout:
                            ``imdYYYY_england_ltlaNN.csv`` (wide; its
                            ``ltlaNN_code`` column gives the boundary year)
                            and, when present,
                            ``indices_of_deprivation_YYYY_lad.csv``
``imd2019_wales``           ``imd2019_wales_ltla22.csv`` (2022)
``imd2020_scotland``        ``imd2020_scotland_ltla24.csv`` (2024)
``imd2017_northern_ireland`` ``imd2017_northern_ireland_lgd14.csv`` (2014)
``imd_uk_lsoa``             ``imd_uk_lsoa.csv``: UK-comparable deciles by LSOA
                            (England 2021, Wales 2011) / data zone (2011) /
                            NI SOA (2001)
==========================  ===================================================

Measures are ``<domain>_<statistic>``. Domains: ``imd`` (the overall index),
``income``, ``employment``, ``education``, ``health``, ``crime``, ``barriers``
(England's Barriers to Housing and Services, "Housing_and_Access"),
``housing`` and ``access`` (Wales, Scotland, NI), ``environment`` (Living
Environment), ``idaci``, ``idaopi``. Statistics: ``average_score``,
``rank_of_average_score``, ``average_rank``, ``rank_of_average_rank``,
``proportion_most_deprived_10pct`` (share of the LAD's small areas in the
nation's most deprived 10%), ``rank_of_proportion_most_deprived_10pct``,
``extent``, ``rank_of_extent``, ``local_concentration``,
``rank_of_local_concentration``, ``scale``, ``rank_of_scale``. E.g.
``imd_rank_of_average_score`` (1 = most deprived). The UK file gives
``imd_uk_decile`` (1 = most deprived 10% of UK small areas).

Where two files of one dataset give the same measure for the same LAD and
boundary year (IMD 2019 ltla19 vs the LAD19 ranks file; the two IMD 2025
files) the values must agree to the precision published, else the import
fails; one copy is kept.

The English releases are found by file name (:func:`discover_datasets`):
every ``imdYYYY_england_*.csv`` in ``deprivation/`` is a release
``imdYYYY_england`` of kind ``deprivation_england``, vintage ``YYYY``, so
importing a newer index needs no code change (IMD 2019 keeps its own
layout and reader).

The parsers of the published layouts are in
:mod:`creative_clusters.sources.deprivation_layouts`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources._base import (
    OGL,
    DatasetSpec,
    ImportResult,
    fail_rows,
    read_csv_strict,
)
from creative_clusters.sources.deprivation_layouts import (
    ENG_LAD,
    ENG_LAD_WHAT,
    LONG_STATS,
    merge_checked,
    parse_iod_long,
    parse_iod_wide,
    parse_mysociety_wide,
    parse_uk_lsoa_deciles,
)

__all__ = [
    "DATASETS",
    "discover_datasets",
    "england_release_spec",
    "read_imd2017_northern_ireland",
    "read_imd2019_england",
    "read_imd2019_wales",
    "read_imd2020_scotland",
    "read_imd2025_england",
    "read_imd_england",
    "read_imd_uk_lsoa",
]

D = "deprivation/"


def read_imd2019_england(root: Path) -> ImportResult:
    """IMD 2019 (England) LAD summaries on the LAD 2023, 2022 and 2019 sets."""
    root = Path(root)
    parts = []
    for yy in ("23", "22", "19"):
        path = root / f"{D}imd2019_england_ltla{yy}.csv"
        col = f"ltla{yy}_code"
        frame = read_csv_strict(path, required=[col, "Score", "Proportion", "Extent"])
        parts.append(
            parse_mysociety_wide(
                frame,
                file=str(path),
                code_column=col,
                pattern=ENG_LAD,
                what=ENG_LAD_WHAT,
                dataset="imd2019_england",
                vintage="2019",
                geo_vintage=f"20{yy}",
                period="2019",
            )
        )
    path = root / f"{D}IoD2019_lad19_ranks.csv"
    ranks = _read_iod_long(
        path,
        code_column="lad19cd",
        year_column="year",
        year="2019",
        dataset="imd2019_england",
        geo_vintage="2019",
    )
    obs, _ = merge_checked(pd.concat(parts, ignore_index=True), ranks, file=str(path))
    n = obs.groupby("geo_vintage")["geo_code"].nunique()
    return ImportResult(
        observations=obs,
        coverage="English LADs: "
        + ", ".join(f"{k} boundaries {v}" for k, v in n.items()),
    )


def _read_iod_long(
    path: Path,
    *,
    code_column: str,
    year_column: str,
    year: str,
    dataset: str,
    geo_vintage: str,
) -> pd.DataFrame:
    """Read an MHCLG long LAD summary whose ``year_column`` must be ``year`` throughout."""
    frame = read_csv_strict(
        path, required=[code_column, "index_domain", year_column, *LONG_STATS]
    )
    fail_rows(
        frame[year_column].str.strip().ne(year),
        file=str(path),
        column=year_column,
        expected=f"{year_column} {year}",
        values=frame[year_column],
        found=", found",
    )
    return parse_iod_long(
        frame,
        file=str(path),
        code_column=code_column,
        domain_column="index_domain",
        dataset=dataset,
        vintage=year,
        geo_vintage=geo_vintage,
        period=year,
    )


#: An English release's wide LAD file: ``imd<year>_england_ltla<yy>.csv``.
ENGLAND_FILE = re.compile(r"imd(\d{4})_england_ltla(\d{2})\.csv")
#: Its long companion, when published: ``indices_of_deprivation_<year>_lad.csv``.
ENGLAND_LONG = "indices_of_deprivation_{year}_lad.csv"
#: The release read with the mySociety layout (its own reader and spec).
_MYSOCIETY_YEAR = "2019"


def _code_column(frame: pd.DataFrame, *, file: str) -> str:
    """The ``ltlaNN_code`` column of a wide English LAD file."""
    cols = [c for c in frame.columns if re.fullmatch(r"ltla\d{2}_code", str(c).strip())]
    if len(cols) != 1:
        raise ImportFormatError(
            f"expected one LAD code column named like 'ltla24_code' in the header, found {list(frame.columns)[:4]}",
            file=file, row=1)
    return str(cols[0])


def read_imd_england(root: Path, year: str, wide: tuple[str, ...], long: str | None) -> ImportResult:
    """An English release (IoD 2025 layout or later): the wide LAD file(s) ``wide`` and the long file ``long``.

    The boundary year of each wide file is its ``ltlaNN_code`` column's.
    """
    root = Path(root)
    dataset = f"imd{year}_england"
    parts = []
    geo_vintages = []
    for rel in wide:
        path = root / rel
        frame = read_csv_strict(path, required=["imd_rank_of_average_score"])
        col = _code_column(frame, file=str(path))
        geo_vintage = "20" + col[4:6]
        geo_vintages.append(geo_vintage)
        parts.append(parse_iod_wide(
            frame,
            file=str(path),
            code_column=col,
            skip=(col.replace("_code", "_name"),),
            dataset=dataset,
            vintage=year,
            geo_vintage=geo_vintage,
            period=year,
        ))
    obs = pd.concat(parts, ignore_index=True)
    note = ""
    if long is not None:
        path2 = root / long
        frame2 = read_csv_strict(path2, required=["area_code"])
        lad_year = re.search(r"\((\d{4})\)", str(frame2.get("area_type", pd.Series([""])).iloc[0]))
        longs = _read_iod_long(
            path2,
            code_column="area_code",
            year_column="deprivation_data_year",
            year=year,
            dataset=dataset,
            geo_vintage=lad_year.group(1) if lad_year else geo_vintages[-1],
        )
        # The two published files can disagree (IoD 2025: West Northamptonshire and Cherwell and, through
        # re-ranking, a few ranks elsewhere); the wide file is kept and the long file only adds IDACI/IDAOPI.
        obs, disagree = merge_checked(obs, longs, file=str(path2), strict=False)
        note = (f"; {len(disagree)} overlapping values differ between the two files "
                f"({disagree['geo_code'].nunique()} LADs), wide file kept")
    bounds = ", ".join(sorted(set(geo_vintages)))
    return ImportResult(
        observations=obs,
        coverage=f"{obs['geo_code'].nunique()} English LADs ({bounds} boundaries){note}",
    )


def read_imd2025_england(root: Path) -> ImportResult:
    """IMD 2025 (England) LAD summaries on the LAD 2024 set (wide and long files)."""
    return read_imd_england(root, "2025", (f"{D}imd2025_england_ltla24.csv",),
                            f"{D}{ENGLAND_LONG.format(year='2025')}")


def _nation_reader(
    rel: str,
    code_column: str,
    pattern: str,
    what: str,
    dataset: str,
    vintage: str,
    geo_vintage: str,
):
    def read(root: Path) -> ImportResult:
        path = Path(root) / rel
        frame = read_csv_strict(path, required=[code_column, "Proportion", "Extent"])
        obs = parse_mysociety_wide(
            frame,
            file=str(path),
            code_column=code_column,
            pattern=pattern,
            what=what,
            dataset=dataset,
            vintage=vintage,
            geo_vintage=geo_vintage,
            period=vintage,
        )
        return ImportResult(
            observations=obs,
            coverage=f"{obs['geo_code'].nunique()} LADs ({geo_vintage} boundaries)",
        )

    read.__name__ = f"read_{dataset}"
    read.__doc__ = f"Read ``{rel}`` (dataset ``{dataset}``)."
    return read


read_imd2019_wales = _nation_reader(
    f"{D}imd2019_wales_ltla22.csv",
    "ltla22_code",
    r"W06\d{6}",
    "a Welsh LAD code (W06)",
    "imd2019_wales",
    "2019",
    "2022",
)
read_imd2020_scotland = _nation_reader(
    f"{D}imd2020_scotland_ltla24.csv",
    "ltla24_code",
    r"S12\d{6}",
    "a Scottish council area code (S12)",
    "imd2020_scotland",
    "2020",
    "2024",
)
read_imd2017_northern_ireland = _nation_reader(
    f"{D}imd2017_northern_ireland_lgd14.csv",
    "lgd14_code",
    r"N09\d{6}",
    "a Northern Ireland LGD code (N09)",
    "imd2017_northern_ireland",
    "2017",
    "2014",
)



def read_imd_uk_lsoa(root: Path) -> ImportResult:
    """Read ``imd_uk_lsoa.csv``."""
    path = Path(root) / f"{D}imd_uk_lsoa.csv"
    frame = read_csv_strict(path, required=["area_code", "IMD_decile"])
    obs = parse_uk_lsoa_deciles(frame, file=str(path))
    n = obs["geo_code"].str[:1].replace({"9": "N"}).value_counts()
    return ImportResult(
        observations=obs,
        coverage="UK small areas: "
        + ", ".join(f"{k} {v}" for k, v in sorted(n.items())),
    )


_NOT_COMPARABLE = (
    "Scores and ranks are not comparable across the four UK nations (different domains, "
    "indicators and years); use imd_uk_lsoa for UK-wide comparison.",
)
_LAD_SUMMARY = (
    "LAD summaries of small-area indices: proportion_most_deprived_10pct is the share of the "
    "LAD's small areas in the nation's most deprived 10%; extent is the population share "
    "living in the most deprived 30%. Rank 1 = most deprived.",
)
_ENG_URL = (
    "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019"
)

#: What is known of particular English releases beyond their files (published facts, not selection).
_RELEASE_CAVEATS: dict[str, tuple[str, ...]] = {
    "2025": (
        "IoD2025 uses 2021 LSOAs and updated indicators; ranks are not comparable with "
        "IoD2019.",
        "The two published 2025 LAD files disagree for West Northamptonshire (E06000062) "
        "and Cherwell (E07000177) and, through re-ranking, some ranks of other LADs "
        "(105 values in 45 LADs); "
        "values come from imd2025_england_ltla24.csv, and the long file adds only the "
        "IDACI and IDAOPI rows.",
    ),
}


def england_release_spec(year: str, wide: tuple[str, ...], long: str | None) -> DatasetSpec:
    """The dataset of the English Indices of Deprivation ``year`` (IoD 2025 layout), read from ``wide`` and ``long``."""
    ds = f"imd{year}_england"

    def read(root: Path) -> ImportResult:
        return read_imd_england(root, year, wide, long)

    read.__name__ = f"read_{ds}"
    read.__doc__ = f"Read {', '.join(wide)} (dataset ``{ds}``)."
    generic = (
        f"IoD{year} ranks and scores are not comparable with earlier editions of the index.",
        *((f"Where the two published {year} LAD files disagree, values come from the wide file "
           f"({', '.join(Path(w).name for w in wide)}); the long file adds only the IDACI and IDAOPI rows; "
           "the import's coverage counts the values that differ.",) if long else ()),
    )
    return DatasetSpec(
        id=ds,
        kind=kinds.DEPRIVATION_ENGLAND,
        title=f"English Indices of Deprivation {year}: LAD summaries",
        publisher="Ministry of Housing, Communities and Local Government",
        licence=OGL,
        source_url=f"https://www.gov.uk/government/statistics/english-indices-of-deprivation-{year}",
        vintage=year,
        files=(*wide, *((long,) if long else ())),
        reader=read,
        caveats=_NOT_COMPARABLE + _LAD_SUMMARY + _RELEASE_CAVEATS.get(year, generic),
    )


def england_releases(root: Path) -> dict[str, tuple[str, ...]]:
    """Year → the wide ``imdYYYY_england_ltlaNN.csv`` files under ``root`` (newest boundaries first)."""
    found: dict[str, list[str]] = {}
    folder = Path(root) / D
    for p in sorted(folder.glob("imd*_england_*.csv")) if folder.is_dir() else []:
        m = ENGLAND_FILE.fullmatch(p.name)
        if m:
            found.setdefault(m.group(1), []).append(f"{D}{p.name}")
    return {y: tuple(sorted(f, reverse=True)) for y, f in sorted(found.items())}


def discover_datasets(root: Path) -> list[DatasetSpec]:
    """The deprivation datasets, with one English release per ``imdYYYY_england_*.csv`` year found under ``root``.

    IMD 2019 (the mySociety layout) keeps its spec; every other year is read
    in the IoD 2025 layout. A folder without any English file gets the
    default list, whose import names the files it lacks.
    """
    found = england_releases(root)
    if not found:
        return list(DATASETS)
    english = []
    for year, wide in found.items():
        if year == _MYSOCIETY_YEAR:
            english.append(DATASETS[0])
            continue
        long = f"{D}{ENGLAND_LONG.format(year=year)}"
        english.append(england_release_spec(year, wide, long if (Path(root) / long).is_file() else None))
    if _MYSOCIETY_YEAR not in found:
        english.insert(0, DATASETS[0])  # its import names the files it lacks, as before discovery
    return [*english, *(s for s in DATASETS if s.kind != kinds.DEPRIVATION_ENGLAND)]


DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id="imd2019_england",
        kind=kinds.DEPRIVATION_ENGLAND,
        title="English Indices of Deprivation 2019: LAD summaries",
        publisher="Ministry of Housing, Communities and Local Government",
        licence=OGL,
        source_url=_ENG_URL,
        vintage="2019",
        files=tuple(
            f"{D}{f}"
            for f in (
                "imd2019_england_ltla23.csv",
                "imd2019_england_ltla22.csv",
                "imd2019_england_ltla19.csv",
                "IoD2019_lad19_ranks.csv",
            )
        ),
        reader=read_imd2019_england,
        caveats=_NOT_COMPARABLE
        + _LAD_SUMMARY
        + (
            "Published on LAD 2019 boundaries; the LAD 2022 and 2023 rows are re-aggregations "
            "of the LSOA scores (kept with their geo_vintage). Ranks exist only for 2019.",
        ),
    ),
    england_release_spec("2025", (f"{D}imd2025_england_ltla24.csv",),
                         f"{D}{ENGLAND_LONG.format(year='2025')}"),
    DatasetSpec(
        id="imd2019_wales",
        kind=kinds.DEPRIVATION_WALES,
        title="Welsh Index of Multiple Deprivation 2019: LAD summaries",
        publisher="Welsh Government",
        licence=OGL,
        source_url="https://www.gov.wales/welsh-index-multiple-deprivation",
        vintage="2019",
        files=(f"{D}imd2019_wales_ltla22.csv",),
        reader=read_imd2019_wales,
        caveats=_NOT_COMPARABLE + _LAD_SUMMARY,
    ),
    DatasetSpec(
        id="imd2020_scotland",
        kind=kinds.DEPRIVATION_SCOTLAND,
        title="Scottish Index of Multiple Deprivation 2020: council area summaries",
        publisher="Scottish Government",
        licence=OGL,
        source_url="https://www.gov.scot/collections/scottish-index-of-multiple-deprivation-2020/",
        vintage="2020",
        files=(f"{D}imd2020_scotland_ltla24.csv",),
        reader=read_imd2020_scotland,
        caveats=_NOT_COMPARABLE
        + _LAD_SUMMARY
        + ("No scores: proportion and extent only.",),
    ),
    DatasetSpec(
        id="imd2017_northern_ireland",
        kind=kinds.DEPRIVATION_NORTHERN_IRELAND,
        title="Northern Ireland Multiple Deprivation Measure 2017: LGD summaries",
        publisher="Northern Ireland Statistics and Research Agency",
        licence=OGL,
        source_url="https://www.nisra.gov.uk/statistics/deprivation/"
        "northern-ireland-multiple-deprivation-measure-2017-nimdm2017",
        vintage="2017",
        files=(f"{D}imd2017_northern_ireland_lgd14.csv",),
        reader=read_imd2017_northern_ireland,
        caveats=_NOT_COMPARABLE
        + _LAD_SUMMARY
        + ("No scores: proportion and extent only.",),
    ),
    DatasetSpec(
        id="imd_uk_lsoa",
        kind=kinds.DEPRIVATION_UK_LSOA,
        title="UK-comparable Index of Multiple Deprivation deciles by small area",
        publisher="mySociety composite UK IMD, from the MHCLG, Welsh Government, "
        "Scottish Government and NISRA indices",
        licence=OGL,
        source_url="https://github.com/mysociety/composite_uk_imd",
        vintage="2025",
        files=(f"{D}imd_uk_lsoa.csv",),
        reader=read_imd_uk_lsoa,
        caveats=(
            "Deciles of a UK-wide composite rebuilt from the four nations' indices (different "
            "years); comparable across nations only at decile level. 1 = most deprived.",
            "Small areas: 2021 LSOAs (England), 2011 LSOAs (Wales), 2011 data zones "
            "(Scotland), 2001 super output areas (Northern Ireland).",
            "The file carries no year. Period '2025' is inferred: the English rows use 2021 "
            "LSOAs, and LAD mean deciles track IMD 2025 average scores more closely than "
            "IMD 2019 (Spearman -0.99 vs -0.96). The other nations' components are older "
            "(Wales 2019, Scotland 2020, Northern Ireland 2017).",
        ),
    ),
]
