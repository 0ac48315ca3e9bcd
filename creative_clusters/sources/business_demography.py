"""Importer for ONS Business Demography: active enterprises, births, deaths, survival.

Datasets
--------
``business_demography_2024``
    ``business-demography.csv`` (ELS layout), 2019-2024, all geographies in the
    file. Measures: ``active_enterprises`` (count, rounded to 5),
    ``birth_rate_pct``, ``death_rate_pct``, ``high_growth_rate_pct`` (all % of
    active enterprises) and ``survival_rate_pct`` with ``status`` ``"1-year"`` …
    ``"5-year"`` (period = birth year).
``business_demography_2017_2022``
    The five ``*_firmdemography_to_2022_LONG.csv`` files, LADs only, counts:
    ``active_enterprises``, ``births``, ``deaths``, ``active_10plus_enterprises``,
    ``high_growth_enterprises``.

``geo_type``, ``geo_vintage`` and disclosure flags follow the rules of the ELS
layout (:mod:`creative_clusters.sources.els_layout`, shared with
:mod:`.local_indicators`); the LAD-only firm-demography files get
``geo_vintage`` by the same rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.sources._base import (
    OGL,
    DatasetSpec,
    ImportResult,
    fail_first,
    fail_rows,
    read_csv_strict,
    to_numeric_strict,
)
from creative_clusters.sources.els_layout import (
    CHANGES_FILE,
    ELS_COLUMNS,
    LAD_CODE_PATTERN,
    TOPO_FILE,
    lad_vintages,
    load_lad_history,
    parse_els_long,
)

__all__ = [
    "BD_FILE",
    "DATASETS",
    "FIRM_FILES",
    "business_demography_measure",
    "parse_firmdemography_long",
    "read_business_demography",
    "read_business_demography_2017_2022",
]

BD_FILE = "business_demography/business-demography.csv"
BD_JSON = "business_demography/business-demography.json"
FIRM_FILES: dict[str, str] = {
    "active_enterprises": "business_demography/active_firmdemography_to_2022_LONG.csv",
    "births": "business_demography/births_firmdemography_to_2022_LONG.csv",
    "deaths": "business_demography/deaths_firmdemography_to_2022_LONG.csv",
    "active_10plus_enterprises": "business_demography/active10plus_firmdemography_to_2022_LONG.csv",
    "high_growth_enterprises": "business_demography/highgrowth_firmdemography_to_2022_LONG.csv",
}

_BD_MEASURES = {
    "Active businesses": ("active_enterprises", ""),
    "Business births": ("birth_rate_pct", ""),
    "Business deaths": ("death_rate_pct", ""),
    "High growth businesses": ("high_growth_rate_pct", ""),
}
_SURVIVAL = re.compile(r"^(One|Two|Three|Four|Five)-year survival rate$")
_NUM = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5}


def business_demography_measure(indicator: str, unit: str = "") -> tuple[str, str]:
    """ELS business demography indicator → ``(measure, status)``.

    Examples
    --------
    >>> business_demography_measure("Three-year survival rate")
    ('survival_rate_pct', '3-year')
    >>> business_demography_measure("Active businesses")
    ('active_enterprises', '')
    """
    if indicator in _BD_MEASURES:
        return _BD_MEASURES[indicator]
    m = _SURVIVAL.match(indicator)
    if m:
        return ("survival_rate_pct", f"{_NUM[m.group(1)]}-year")
    raise ValueError(
        f"unknown business demography indicator {indicator!r}; expected one of "
        f"{[*_BD_MEASURES, 'One-year survival rate', '…', 'Five-year survival rate']}"
    )


def read_business_demography(root: Path) -> ImportResult:
    """Read ``business-demography.csv`` (ELS layout, 2019-2024) under ``root``."""
    root = Path(root)
    history = load_lad_history(root / TOPO_FILE, root / CHANGES_FILE)
    path = root / BD_FILE
    frame = read_csv_strict(path, required=ELS_COLUMNS)
    obs = parse_els_long(
        frame,
        file=str(path),
        dataset="business_demography_2024",
        dataset_vintage="2025-11-20",
        measure_of=business_demography_measure,
        history=history,
        count_flag=lambda m: "rounded" if m == "active_enterprises" else "as-published",
    )
    lads = obs[obs["geo_type"].eq("lad") & obs["measure"].eq("active_enterprises")]
    per_year = lads.groupby("period")["geo_code"].nunique()
    return ImportResult(
        observations=obs,
        coverage="UK, nations, regions, counties and LADs; active enterprises by LAD "
        + ", ".join(f"{p}: {n}" for p, n in per_year.items()),
    )


def parse_firmdemography_long(
    frame: pd.DataFrame, measure: str, *, file: str, history: dict[str, tuple[int, int]]
) -> pd.DataFrame:
    """Turn one ``*_firmdemography_to_2022_LONG.csv`` (``code,region,year,count``) into rows."""
    frame = frame.reset_index(drop=True)
    codes = frame["code"].fillna("").str.strip()
    bad = ~codes.str.match(LAD_CODE_PATTERN) | ~codes.str.fullmatch(r"[A-Z]\d{8}")
    fail_first(
        bad,
        lambda pos: f"unknown LAD code {codes.iloc[pos]!r}; expected a LAD code matching {LAD_CODE_PATTERN}",
        file=file,
        column="code",
    )
    years = frame["year"].fillna("").str.strip()
    fail_rows(
        ~years.str.fullmatch(r"\d{4}"),
        file=file,
        column="year",
        expected="a 4-digit year",
        values=frame["year"],
        found=", found",
    )
    values = to_numeric_strict(frame["count"], file=file, column="count")
    dup = pd.DataFrame({"c": codes, "y": years}).duplicated()
    fail_first(
        dup,
        lambda pos: f"duplicate row: {codes.iloc[pos]} × {years.iloc[pos]} appears more than once",
        file=file,
    )
    vint = pd.Series("", index=frame.index, dtype="string")
    rows = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    for _, idx in years.groupby(years).groups.items():
        per_row, _g = lad_vintages(
            codes.loc[idx], history, file=file, rows=rows.loc[idx]
        )
        vint.loc[idx] = per_row
    return pd.DataFrame(
        {
            "dataset": "business_demography_2017_2022",
            "dataset_vintage": "2023",
            "geo_code": codes,
            "geo_type": "lad",
            "geo_vintage": vint,
            "industry_scheme": "",
            "industry_code": "",
            "occupation_scheme": "",
            "occupation_code": "",
            "status": "",
            "period": years,
            "measure": measure,
            "value": values,
            "disclosure_flag": "rounded",
        }
    )


def read_business_demography_2017_2022(root: Path) -> ImportResult:
    """Read the five ``*_firmdemography_to_2022_LONG.csv`` files under ``root``."""
    root = Path(root)
    history = load_lad_history(root / TOPO_FILE, root / CHANGES_FILE)
    parts = []
    for measure, rel in FIRM_FILES.items():
        path = root / rel
        frame = read_csv_strict(path, required=["code", "region", "year", "count"])
        parts.append(
            parse_firmdemography_long(frame, measure, file=str(path), history=history)
        )
    obs = pd.concat(parts, ignore_index=True)
    return ImportResult(
        observations=obs,
        coverage=f"{obs['geo_code'].nunique()} UK LADs × "
        + (f"{obs['period'].nunique()} years ({obs['period'].min()}-{obs['period'].max()})"
           if obs["period"].nunique() > 1 else f"1 year ({obs['period'].min()})") + ", 5 count measures",
    )


_CAVEATS = (
    "'Active' means any turnover or employment during the year, so active enterprises run "
    "above the UK Business Counts March snapshot: a different source and year from "
    "business_counts_2025. Say so wherever the two are combined.",
    "Counts are rounded to 5 by ONS.",
    "LAD sets change with boundary changes (382/379/374/374/374/361 LADs for 2019-2024); "
    "geo_vintage gives the year each period's LAD set came into force.",
    "Local survival rates can be distorted by mass registrations at one postcode "
    "(virtual offices, formation agents).",
)

DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id="business_demography_2024",
        kind=kinds.ACTIVE_ENTERPRISES,
        title="Business demography: active enterprises, births, deaths, high growth and "
        "survival by area, UK, 2019-2024",
        publisher="Office for National Statistics (via ONS Explore Local Statistics)",
        licence=OGL,
        source_url="https://www.ons.gov.uk/businessindustryandtrade/business/"
        "activitysizeandlocation/bulletins/businessdemography/previousreleases",
        vintage="2025-11-20",
        files=(BD_FILE, BD_JSON, TOPO_FILE, CHANGES_FILE),
        reader=read_business_demography,
        caveats=(
            *_CAVEATS,
            "Birth, death and high-growth measures are percentages of active enterprises; "
            "survival rates are % of enterprises born in the period year still active "
            "1-5 years later (status '1-year' … '5-year'); deaths for the latest years "
            "are provisional.",
        ),
    ),
    DatasetSpec(
        id="business_demography_2017_2022",
        kind=kinds.BUSINESS_DEMOGRAPHY_HISTORY,
        title="Business demography: active, births, deaths, 10+ employee and high-growth "
        "enterprises by LAD, UK, 2017-2022",
        publisher="Office for National Statistics",
        licence=OGL,
        source_url="https://www.ons.gov.uk/businessindustryandtrade/business/"
        "activitysizeandlocation/datasets/businessdemographyreferencetable",
        vintage="2023",
        files=(*FIRM_FILES.values(), TOPO_FILE, CHANGES_FILE),
        reader=read_business_demography_2017_2022,
        caveats=(
            *_CAVEATS[:2],
            "All years are on the LAD 2021/22 set of 374 LADs.",
            "Counts (not rates): births, deaths and high-growth enterprises are numbers of enterprises.",
        ),
    ),
]
