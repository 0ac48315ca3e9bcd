"""ONS ad-hoc creative-economy workbooks (``ons_adhoc/*.xlsx``), OGL.

Six published workbooks become six datasets of tidy observations. The parsers
of their sheet layouts, and the conventions they follow (units, geography,
industry, occupation, breakdowns, flags, periods), are in
:mod:`creative_clusters.sources.ons_adhoc_layouts`.

Datasets and measures
---------------------
===================================================  ==========================================
dataset id                                           measures
===================================================  ==========================================
``ons_creative_industry_jobs_2010_2023``             ``jobs``
``ons_creative_subsector_jobs_2010_2022``            ``jobs``
``ons_creative_industry_jobs_demographics_2010_2023``  ``jobs``
``ons_creative_subsector_jobs_demographics_2010_2022`` ``jobs``
``ons_job_quality_creative_2021_2022``               ``jobs_<indicator>`` (``ons_labels.JOB_QUALITY_MEASURES``)
``wyca_creative_industries_2018_2023``               ``enterprises``, ``employment``, ``employees``,
                                                     ``turnover_gbp_thousands``
===================================================  ==========================================
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import count_words
from creative_clusters.classifications.ons_labels import INDUSTRY_LABELS_EXCL_IT
from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult
from creative_clusters.sources.ons_adhoc_layouts import (
    parse_job_quality_workbook,
    parse_jobs_workbook,
    parse_wyca_workbook,
)

__all__ = ["DATASETS", "DIR"]

DIR = "ons_adhoc"

_JOBS_SHEETS = ("JH_by_ind", "JH_by_ind_by_major_SOC", "JH_by_ind_by_skill")
_SUBSECTOR_SHEETS = ("JH_by_sub-sec", "JH_by_ind_by_major_SOC", "JH_by_ind_by_skill")
_DEMOG_SHEETS = (
    "JH_by_ind_by_eth",
    "JH_by_ind_by_age",
    "JH_by_ind_by_sex",
    "JH_by_ind_by_dis",
    "JH_by_ind_by_high_qual",
    "JH_by_sub-reg_partnership",
    "JH_by_cob",
    "JH_by_emp_type",
)

_FILES = {
    "ons_creative_industry_jobs_2010_2023": "creativeindustryjobs20102023.xlsx",
    "ons_creative_subsector_jobs_2010_2022": "creativesubsectorsjobs20102022.xlsx",
    "ons_creative_industry_jobs_demographics_2010_2023": "creativeindustryjobsdemographics20102023.xlsx",
    "ons_creative_subsector_jobs_demographics_2010_2022": "creativesubsectorsjobsdemographics20102022.xlsx",
    "ons_job_quality_creative_2021_2022": "jobqualitycreativesubsectorscounts20212022.xlsx",
    "wyca_creative_industries_2018_2023": "240206wycacreativeindustriesanalysis.xlsx",
}


def _coverage(frame: pd.DataFrame) -> str:
    periods = sorted(set(frame["period"]))
    return (
        f"{len(frame):,} observations; {count_words(frame['geo_code'].nunique(), 'geography', 'geographies')} "
        f"({', '.join(sorted(set(frame['geo_code'])))}); periods {periods[0]}-{periods[-1]}; "
        f"{int(frame['value'].isna().sum()):,} suppressed or unreliable cells"
    )


def _jobs_reader(
    dataset: str,
    vintage: str,
    sheets: tuple[str, ...],
    industry_labels: dict[str, tuple[str, str]] | None = None,
) -> Callable[[Path], ImportResult]:
    def read(root: Path) -> ImportResult:
        frame = parse_jobs_workbook(
            Path(root) / DIR / _FILES[dataset],
            dataset=dataset,
            vintage=vintage,
            sheets=sheets,
            industry_labels=industry_labels,
        )
        return ImportResult(observations=frame, coverage=_coverage(frame))

    return read


def _read_job_quality(root: Path) -> ImportResult:
    ds = "ons_job_quality_creative_2021_2022"
    frame = parse_job_quality_workbook(
        Path(root) / DIR / _FILES[ds], dataset=ds, vintage="2023-06-15"
    )
    return ImportResult(observations=frame, coverage=_coverage(frame))


def _read_wyca(root: Path) -> ImportResult:
    ds = "wyca_creative_industries_2018_2023"
    frame = parse_wyca_workbook(
        Path(root) / DIR / _FILES[ds], dataset=ds, vintage="2024-02-06"
    )
    return ImportResult(observations=frame, coverage=_coverage(frame))


_APS_CAVEATS = (
    "Annual Population Survey estimates: jobs = main + second jobs, by region of work.",
    "Sheets label values 'Number of jobs (thousands)' but cells hold whole jobs; stored as published.",
    "Grey-highlighted cells (sample of 25 or fewer) are flagged low-reliability.",
    "Occupation data from 2021 use SOC 2020 and are not comparable with earlier years.",
    "K02000001-xLDN = UK excluding London (custom aggregate).",
)
_EXCL_IT_CAVEAT = (
    "'Creative industry' here EXCLUDES IT, software and computer services (SIC 5821, 5829, "
    "6201, 6202): industry_code total_excl_it_software; 'All other industries' includes them "
    "(non_creative_incl_it_software)."
)
_ONS_URL = (
    "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/"
    "employmentandemployeetypes/adhocs"
)


_KINDS = {
    "ons_creative_industry_jobs_2010_2023": kinds.ONS_JOBS,
    "ons_creative_subsector_jobs_2010_2022": kinds.ONS_SUBSECTOR_JOBS,
    "ons_creative_industry_jobs_demographics_2010_2023": kinds.ONS_JOBS_DEMOGRAPHICS,
    "ons_creative_subsector_jobs_demographics_2010_2022": kinds.ONS_SUBSECTOR_JOBS_DEMOGRAPHICS,
    "ons_job_quality_creative_2021_2022": kinds.ONS_JOB_QUALITY,
    "wyca_creative_industries_2018_2023": kinds.AREA_CREATIVE_PROFILE,
}


def _spec(
    ds: str,
    title: str,
    vintage: str,
    reader: Callable[[Path], ImportResult],
    caveats: tuple[str, ...] = _APS_CAVEATS,
) -> DatasetSpec:
    return DatasetSpec(
        id=ds,
        title=title,
        publisher="Office for National Statistics",
        licence=OGL,
        source_url=_ONS_URL,
        vintage=vintage,
        files=(f"{DIR}/{_FILES[ds]}",),
        reader=reader,
        caveats=caveats,
        kind=_KINDS.get(ds, ""),
    )


DATASETS: list[DatasetSpec] = [
    _spec(
        "ons_creative_industry_jobs_2010_2023",
        "Creative industry jobs, London and rest of UK, by SOC major group and skill level, 2010-2023",
        "2024-07-23",
        _jobs_reader(
            "ons_creative_industry_jobs_2010_2023",
            "2024-07-23",
            _JOBS_SHEETS,
            INDUSTRY_LABELS_EXCL_IT,
        ),
        caveats=(*_APS_CAVEATS, _EXCL_IT_CAVEAT),
    ),
    _spec(
        "ons_creative_subsector_jobs_2010_2022",
        "Creative sub-sector jobs, London and rest of UK, by SOC major group and skill level, 2010-2022",
        "2023-07-21",
        _jobs_reader(
            "ons_creative_subsector_jobs_2010_2022", "2023-07-21", _SUBSECTOR_SHEETS
        ),
    ),
    _spec(
        "ons_creative_industry_jobs_demographics_2010_2023",
        "Creative industry jobs by sex, age, ethnicity, disability, qualification, country of "
        "birth and employment type, London and rest of UK, 2010-2023",
        "2024-07-23",
        _jobs_reader(
            "ons_creative_industry_jobs_demographics_2010_2023",
            "2024-07-23",
            _DEMOG_SHEETS,
            INDUSTRY_LABELS_EXCL_IT,
        ),
        caveats=(*_APS_CAVEATS, _EXCL_IT_CAVEAT),
    ),
    _spec(
        "ons_creative_subsector_jobs_demographics_2010_2022",
        "Creative sub-sector jobs by sex, age, ethnicity, disability, qualification, country of "
        "birth and employment type, London and rest of UK, 2010-2022",
        "2023-07-21",
        _jobs_reader(
            "ons_creative_subsector_jobs_demographics_2010_2022",
            "2023-07-21",
            _DEMOG_SHEETS,
        ),
    ),
    _spec(
        "ons_job_quality_creative_2021_2022",
        "Job quality indicators (counts of employee jobs) by creative sub-sector, London and "
        "rest of UK, 2021 and 2022",
        "2023-06-15",
        _read_job_quality,
        caveats=(
            *_APS_CAVEATS,
            "The block labelled 'UK' is the UK excluding London (per the Contents sheet).",
        ),
    ),
    _spec(
        "wyca_creative_industries_2018_2023",
        "West Yorkshire CA creative industries: enterprises, employment, employees and "
        "turnover by sub-sector, 2018-2023 (IDBR)",
        "2024-02-06",
        _read_wyca,
        caveats=(
            "IDBR VAT/PAYE enterprises as at March; counts control-rounded to 5.",
            "Turnover in £ thousands.",
        ),
    ),
]
