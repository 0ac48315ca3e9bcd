"""Importer for BRES employment and IDBR local units by NUTS2 (2013) x SIC 2007 class.

The files in ``bres_nuts2/`` were extracted from Nomis and reshaped by Nesta
(``beis-indicators``). Each holds one year, one row per NUTS2 area x 4-digit
SIC 2007 class, with columns ``year, geo_type, geo_nm, geo_cd, SIC4, value,
cluster_name`` (plus a leading unnamed pandas index column).

What the files show (checked on the 2015-2018 data):

- **Areas.** BRES covers the 39 NUTS 2013 level-2 areas of Great Britain; the
  IDBR files add Northern Ireland (``UKN0``), 40 areas in all — the full UK
  NUTS 2013 level 2. BRES is a GB survey, so NI is absent by design.
- **Classes.** 525 of the 615 SIC 2007 classes. The 90 missing are mostly
  farm agriculture (01.1-01.5, which BRES does not cover), defence and other
  tiny classes. Sums over the 525 are therefore close to, but not exactly,
  all-industry totals.
- **Rounding.** Every value is a multiple of 5. BRES employment follows Nomis'
  magnitude-banded (relaxed) rounding (below 50: to 5; 50-249: to 25;
  250-499: to 50; 500-999: to 100; 1,000-2,499: to 250; 2,500-4,999: to 500;
  5,000 and more: to 1,000: ``_counts.BRES_ROUNDING``, which the packs use to
  tell a change from rounding noise); IDBR local units are rounded
  to 5. Every cell is therefore flagged ``rounded``; a published 0 stays 0 (it
  can hide a small positive count).

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"year": ["2018"], "geo_type": ["nuts 2013 level 2"],
...     "geo_nm": ["Greater Manchester"], "geo_cd": ["UKD3"], "SIC4": ["5911"],
...     "value": ["2250"], "cluster_name": ["services_entertainment"]})
>>> obs = parse_nomis_nuts2(raw, file="demo.csv", dataset="bres_nuts2",
...     measure="employment", year="2018")
>>> cols = ["geo_code", "industry_code", "period", "value", "disclosure_flag"]
>>> obs[cols].values.tolist()
[['UKD3', '5911', '2018', 2250.0, 'rounded']]
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
    clean_text,
    fail_first,
    fail_rows,
    read_csv_strict,
    require_columns,
    to_numeric_strict,
)

__all__ = [
    "BRES_YEARS",
    "DATASETS",
    "IDBR_YEARS",
    "NUTS2_2013",
    "parse_nomis_nuts2",
    "parse_segment_lookup",
    "read_bres_nuts2",
    "read_idbr_nuts2",
]

FOLDER = "bres_nuts2"
BRES_YEARS: tuple[str, ...] = ("2015", "2016", "2017", "2018")
IDBR_YEARS: tuple[str, ...] = ("2016", "2017", "2018")
LOOKUP_FILE = f"{FOLDER}/sic_4_industry_segment_lookup.csv"

#: NUTS 2013 level-2 areas of the UK (40; Great Britain = the 39 not in ``UKN``).
NUTS2_2013: dict[str, str] = {
    "UKC1": "Tees Valley and Durham",
    "UKC2": "Northumberland and Tyne and Wear",
    "UKD1": "Cumbria",
    "UKD3": "Greater Manchester",
    "UKD4": "Lancashire",
    "UKD6": "Cheshire",
    "UKD7": "Merseyside",
    "UKE1": "East Yorkshire and Northern Lincolnshire",
    "UKE2": "North Yorkshire",
    "UKE3": "South Yorkshire",
    "UKE4": "West Yorkshire",
    "UKF1": "Derbyshire and Nottinghamshire",
    "UKF2": "Leicestershire, Rutland and Northamptonshire",
    "UKF3": "Lincolnshire",
    "UKG1": "Herefordshire, Worcestershire and Warwickshire",
    "UKG2": "Shropshire and Staffordshire",
    "UKG3": "West Midlands",
    "UKH1": "East Anglia",
    "UKH2": "Bedfordshire and Hertfordshire",
    "UKH3": "Essex",
    "UKI3": "Inner London - West",
    "UKI4": "Inner London - East",
    "UKI5": "Outer London - East and North East",
    "UKI6": "Outer London - South",
    "UKI7": "Outer London - West and North West",
    "UKJ1": "Berkshire, Buckinghamshire and Oxfordshire",
    "UKJ2": "Surrey, East and West Sussex",
    "UKJ3": "Hampshire and Isle of Wight",
    "UKJ4": "Kent",
    "UKK1": "Gloucestershire, Wiltshire and Bath/Bristol area",
    "UKK2": "Dorset and Somerset",
    "UKK3": "Cornwall and Isles of Scilly",
    "UKK4": "Devon",
    "UKL1": "West Wales and The Valleys",
    "UKL2": "East Wales",
    "UKM2": "Eastern Scotland",
    "UKM3": "South Western Scotland",
    "UKM5": "North Eastern Scotland",
    "UKM6": "Highlands and Islands",
    "UKN0": "Northern Ireland",
}

_COLUMNS = ("year", "geo_type", "geo_nm", "geo_cd", "SIC4", "value", "cluster_name")
_GEO_TYPE = "nuts 2013 level 2"
_SIC4 = re.compile(r"^\d{4}$")
_LOOKUP_COLUMNS = ("clust", "sic_4", "descr", "category", "name", "cluster")


def parse_segment_lookup(frame: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Check and tidy Nesta's SIC 4-digit -> industry segment lookup.

    Returns columns ``sic4, description, segment_id, category, segment_name,
    segment`` (one row per class). These are **Nesta's** segments from the
    ``beis-indicators`` project, not DCMS sectors.

    Raises
    ------
    ImportFormatError
        On a code that is not four digits or a class listed twice.
    """
    missing = [c for c in _LOOKUP_COLUMNS if c not in frame.columns]
    if missing:
        raise ImportFormatError(
            f"expected column(s) {missing} in the segment lookup, found "
            f"{list(frame.columns)}",
            file=file,
            row=1,
        )
    codes = clean_text(frame, "sic_4")
    bad = ~codes.str.fullmatch(_SIC4.pattern)
    fail_first(
        bad,
        lambda pos: (
            "expected a 4-digit SIC 2007 class (e.g. '0161') but found "
            f"{frame['sic_4'].iloc[pos]!r}"
        ),
        file=file,
        column="sic_4",
    )
    dup = codes.duplicated()
    fail_first(
        dup,
        lambda pos: (
            f"SIC class {codes.iloc[pos]!r} is listed twice; each class belongs to "
            "one segment"
        ),
        file=file,
        column="sic_4",
    )
    return pd.DataFrame(
        {
            "sic4": codes,
            "description": frame["descr"].astype("string"),
            "segment_id": frame["clust"].astype("string"),
            "category": frame["category"].astype("string"),
            "segment_name": frame["name"].astype("string"),
            "segment": frame["cluster"].astype("string"),
        }
    ).reset_index(drop=True)


def parse_nomis_nuts2(
    frame: pd.DataFrame,
    *,
    file: str,
    dataset: str,
    measure: str,
    year: str,
    known_sic: frozenset[str] | set[str] | None = None,
) -> pd.DataFrame:
    """Turn one Nesta/Nomis NUTS2 x SIC4 file into observation rows.

    Parameters
    ----------
    frame : pandas.DataFrame
        The file as read with every column as text.
    file : str
        File name, for error messages.
    dataset, measure : str
        Dataset id and measure name of the rows.
    year : str
        The year the file name promises; every row must carry it.
    known_sic : set of str, optional
        Valid class codes (Nesta's 525); a code outside it is an error.

    Returns
    -------
    pandas.DataFrame
        Observation rows: ``geo_type="nuts2"``, ``geo_vintage="2013"``,
        ``industry_scheme="SIC2007"``, ``period=year``, flag ``rounded``.

    Raises
    ------
    ImportFormatError
        On a missing column, a wrong year or geography type, an unknown NUTS2
        or SIC code, a non-numeric or negative value, or a repeated
        area x class row; the message names file, row and column.
    """
    require_columns(frame, _COLUMNS, file=file)

    def fail(mask: pd.Series, col: str, expected: str) -> None:
        fail_rows(mask, file=file, column=col, expected=expected, values=frame[col])

    years, gtype, geo, sic = (
        clean_text(frame, c) for c in ("year", "geo_type", "geo_cd", "SIC4")
    )
    fail(years.ne(year), "year", f"year {year!r} (from the file name)")
    fail(gtype.ne(_GEO_TYPE), "geo_type", repr(_GEO_TYPE))
    fail(
        ~geo.isin(list(NUTS2_2013)), "geo_cd", "a NUTS 2013 level-2 code such as 'UKD3'"
    )
    fail(
        ~sic.str.fullmatch(_SIC4.pattern),
        "SIC4",
        "a 4-digit SIC 2007 class with its leading zero (e.g. '0161')",
    )
    if known_sic is not None:
        fail(
            ~sic.isin(list(known_sic)),
            "SIC4",
            "a SIC class listed in the Nesta segment lookup",
        )
    value = to_numeric_strict(frame["value"], file=file, column="value")
    fail(value < 0, "value", "a count of zero or more")
    dup = pd.DataFrame({"g": geo.to_numpy(), "s": sic.to_numpy()}).duplicated()
    fail_first(
        dup,
        lambda pos: (
            f"area {geo.iloc[pos]!r} x class {sic.iloc[pos]!r} appears twice; "
            "each area x class must appear once"
        ),
        file=file,
    )
    n = len(frame)
    return pd.DataFrame(
        {
            "dataset": dataset,
            "dataset_vintage": year,
            "geo_code": geo.to_numpy(),
            "geo_type": "nuts2",
            "geo_vintage": "2013",
            "industry_scheme": "SIC2007",
            "industry_code": sic.to_numpy(),
            "occupation_scheme": "",
            "occupation_code": "",
            "status": "",
            "period": [year] * n,
            "measure": measure,
            "value": value.to_numpy(),
            "disclosure_flag": "rounded",
        }
    )


def _read_lookup(root: Path) -> pd.DataFrame:
    path = Path(root) / LOOKUP_FILE
    return parse_segment_lookup(
        read_csv_strict(path, required=_LOOKUP_COLUMNS), file=str(path)
    )


def _read_years(
    root: Path, *, kind: str, years: tuple[str, ...], dataset: str, measure: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    lookup = _read_lookup(root)
    known = frozenset(lookup["sic4"])
    parts, names = [], []
    for year in years:
        path = Path(root) / FOLDER / f"nomis_{kind}_{year}_TYPE450.csv"
        raw = read_csv_strict(path, required=_COLUMNS)
        parts.append(
            parse_nomis_nuts2(
                raw,
                file=str(path),
                dataset=dataset,
                measure=measure,
                year=year,
                known_sic=known,
            )
        )
        names.append(raw[["geo_cd", "geo_nm"]].astype("string"))
    obs = pd.concat(parts, ignore_index=True)
    obs["dataset_vintage"] = f"{years[0]}-{years[-1]}"
    areas = (
        pd.concat(names, ignore_index=True)
        .drop_duplicates()
        .rename(columns={"geo_cd": "nuts2_code", "geo_nm": "nuts2_name"})
        .sort_values("nuts2_code")
        .reset_index(drop=True)
    )
    if areas["nuts2_code"].duplicated().any():
        code = areas.loc[areas["nuts2_code"].duplicated(), "nuts2_code"].iloc[0]
        raise ImportFormatError(
            f"NUTS2 area {code!r} has different names in different years",
            file=str(Path(root) / FOLDER),
            column="geo_nm",
        )
    return obs, areas, lookup


def read_bres_nuts2(root: Path) -> ImportResult:
    """Read BRES employment by NUTS2 x SIC class, 2015-2018 (GB, 39 areas).

    Returns observations (measure ``employment``) and the reference table
    ``nesta_sic4_segments`` (Nesta's industry segments, **not** DCMS).
    """
    obs, areas, lookup = _read_years(
        root, kind="BRES", years=BRES_YEARS, dataset="bres_nuts2", measure="employment"
    )
    return ImportResult(
        observations=obs,
        tables={"nesta_sic4_segments": lookup},
        coverage=(
            f"{areas.shape[0]} GB NUTS2 (2013) areas x "
            f"{obs['industry_code'].nunique()} "
            f"SIC 2007 classes x {len(BRES_YEARS)} years (2015-2018)"
        ),
    )


def read_idbr_nuts2(root: Path) -> ImportResult:
    """Read IDBR local units by NUTS2 x SIC class, 2016-2018 (UK, 40 areas).

    Returns observations (measure ``local_units``) and the reference table
    ``nuts2_areas`` (``nuts2_code``, ``nuts2_name``, ``country``) of the 40 UK
    NUTS 2013 level-2 areas, a superset of the 39 GB areas in BRES.
    """
    obs, areas, _lookup = _read_years(
        root, kind="IDBR", years=IDBR_YEARS, dataset="idbr_nuts2", measure="local_units"
    )
    country = {"UKL": "Wales", "UKM": "Scotland", "UKN": "Northern Ireland"}
    areas["country"] = [country.get(c[:3], "England") for c in areas["nuts2_code"]]
    return ImportResult(
        observations=obs,
        tables={"nuts2_areas": areas},
        coverage=(
            f"{areas.shape[0]} UK NUTS2 (2013) areas x "
            f"{obs['industry_code'].nunique()} "
            f"SIC 2007 classes x {len(IDBR_YEARS)} years (2016-2018)"
        ),
    )


_SOURCE = (
    "Nomis (ONS); extracted and reshaped by Nesta, beis-indicators "
    "(https://github.com/nestauk/beis-indicators)"
)
_COMMON_CAVEATS = (
    "NUTS 2013 level-2 areas, not current ITL2; London is split into 5 areas "
    "(UKI3-UKI7).",
    "525 of the 615 SIC 2007 classes (Nesta's selection): farm agriculture 01.1-01.5, "
    "defence and some tiny classes are absent, so sums over classes fall a little "
    "short of all-industry totals.",
    "Nesta's industry segments (ref table nesta_sic4_segments) are not DCMS sectors.",
)

DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id="bres_nuts2",
        kind=kinds.EMPLOYMENT_NUTS2,
        title="BRES employment by NUTS2 (2013) area and SIC 2007 class, 2015-2018",
        publisher=_SOURCE,
        licence=OGL,
        source_url="https://www.nomisweb.co.uk/datasets/newbres6pub",
        vintage="2015-2018",
        files=(
            *(f"{FOLDER}/nomis_BRES_{y}_TYPE450.csv" for y in BRES_YEARS),
            LOOKUP_FILE,
        ),
        reader=read_bres_nuts2,
        caveats=(
            "Great Britain only (39 areas): BRES does not cover Northern Ireland.",
            "Workplace-based employment (employees plus working owners), rounded by "
            "Nomis in magnitude bands (to 5 below 50, to 25 up to 499, to 100 up to "
            "999, to 250 up to 4,999, to 1,000 above); a 0 can hide a small count.",
            *_COMMON_CAVEATS,
        ),
    ),
    DatasetSpec(
        id="idbr_nuts2",
        kind=kinds.LOCAL_UNITS_NUTS2,
        title="IDBR local units by NUTS2 (2013) area and SIC 2007 class, 2016-2018",
        publisher=_SOURCE,
        licence=OGL,
        source_url="https://www.nomisweb.co.uk/datasets/idbrlu",
        vintage="2016-2018",
        files=(
            *(f"{FOLDER}/nomis_IDBR_{y}_TYPE450.csv" for y in IDBR_YEARS),
            LOOKUP_FILE,
        ),
        reader=read_idbr_nuts2,
        caveats=(
            "UK (40 areas, including Northern Ireland UKN0).",
            "Local units (sites), not enterprises; rounded to 5 by Nomis, so a 0 can "
            "hide a small count.",
            *_COMMON_CAVEATS,
        ),
    ),
]
