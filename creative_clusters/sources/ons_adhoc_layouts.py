"""Parsers of the sheet layouts of the ONS ad-hoc creative-economy workbooks.

One parser per layout, used by :mod:`creative_clusters.sources.ons_adhoc`
(which knows the files and datasets): :func:`parse_jobs_sheet` and
:func:`parse_jobs_workbook` (APS job-holder sheets), :func:`parse_job_quality_workbook`,
:func:`parse_wyca_workbook`. The generic table reader is
:mod:`creative_clusters.sources._xlsx`; the explicit label maps are in
:mod:`creative_clusters.classifications.ons_labels`.

Conventions (decisions documented here)
---------------------------------------
- **Units.** The APS sheets say "Number of jobs (thousands)" above the years,
  but the cells hold whole jobs (London creative industries 2023 = 437,463;
  London all industries ≈ 5.3 million). Values are stored as published, in
  jobs, under measure ``jobs``.
- **Geography.** "London" → ``E12000007``/``rgn``. "All other regions of (in)
  the United Kingdom" / "Rest of the United Kingdom" → ``K02000001-xLDN``/
  ``custom`` (the UK excluding London; note that the jobs workbooks put jobs
  with unknown location in it). In the job-quality workbook the second block
  is labelled "UK" but its Contents sheet says "London/All other regions of
  the UK" and its counts match the rest-of-UK figures of the sub-sector
  workbook (e.g. 2021 IT jobs with satisfactory + unsatisfactory hours =
  651,327 vs 671,752 rest-of-UK jobs and 958,250 UK jobs), so it is stored as
  ``K02000001-xLDN``. A genuine "UK" label elsewhere maps to ``K02000001``/``uk``.
  WYCA → ``E47000003``/``cauth``. ``geo_vintage`` is the last period year of
  the workbook.
- **Industry.** Sub-sectors → ``DCMS_CI`` + :func:`dcms.subsector_short` via
  the explicit :data:`INDUSTRY_LABELS` map (unknown labels raise); "Creative
  industry/industries (total)" → ``DCMS_CI``/``_T``; "All industries
  (total)" → ``SIC2007``/``_T``; "All other industries" (all industries
  minus the creative industries) → ``DCMS_CI``/``non_creative``.
- **Occupation.** Major occupational groups → ``SOC2010_MAJOR`` for periods
  up to 2020 and ``SOC2020_MAJOR`` from 2021 (the workbooks' notes: data for
  2021 on use SOC 2020; the group numbers 1-9 are the same in both).
  No workbook here carries the creative "trident" split (creative jobs in /
  outside the creative industries); if one does, use ``occupation_scheme``
  ``DCMS_TRIDENT`` with codes ``creative_in_ci``, ``creative_outside_ci``,
  ``noncreative_in_ci``.
- **Breakdowns** go in ``status`` as ``dimension=value`` (snake_case):
  ``sex=female``, ``age=16_29``, ``ethnicity=white``, ``disability=disabled``,
  ``qualification=degree_or_equivalent``, ``country_of_birth=eu``,
  ``employment_type=self_employed``, ``skill_level=high`` (skill group
  1/2/3/4 = low/lower_middle/upper_middle/high; group 1 equals the
  Elementary occupations row), ``sub_regional_partnership=local_london``
  (London sub-regions are a breakdown of London, not separate geographies).
- **Flags.** ``..`` → suppressed NaN; ``*`` → low-reliability NaN; a number in
  a grey-highlighted cell (the sheets' note: "Estimates based on a sample size
  of 25 and below (highlighted in grey) should be treated with caution") →
  value kept, ``low-reliability``; WYCA enterprise counts → ``rounded``
  (control-rounded to 5).
- **Periods** as published: "2021,9" (year + footnote 9) → "2021"; WYCA's
  reference years (March snapshots) → "2018" … "2023"; a "2021/22" label
  would become "2021-2022".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters._schema import OBS_COLUMNS, TOTAL
from creative_clusters.classifications.ons_labels import (
    BREAKDOWNS,
    GEO_LABELS,
    INDUSTRY_LABELS,
    JOB_QUALITY_MEASURES,
    REST_OF_UK,
    SKILL_LEVELS,
    SOC_MAJOR_LABELS,
    WYCA_MEASURES,
)
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import _xlsx

__all__ = [
    "parse_job_quality_workbook",
    "parse_jobs_sheet",
    "parse_jobs_workbook",
    "parse_wyca_workbook",
]

_HEADER_ANCHOR = r"industry group|creative subsector"


# ------------------------------------------------------------------ helpers
def _lookup(
    mapping: dict[str, Any], label: object, what: str, file: str, ref: str, row: int
) -> Any:
    """``mapping[clean label]``, or ImportFormatError at ``ref`` (``"Sheet!A7"``)."""
    key = _xlsx.clean_label(label).lower()
    if key not in mapping:
        raise ImportFormatError(
            f"unknown {what} label {_xlsx.clean_label(label)!r}; expected one of "
            f"{sorted(mapping)}. The workbook layout may have changed: add the label "
            "to the explicit map in creative_clusters/classifications/ons_labels.py",
            file=file,
            row=row,
            column=ref,
        )
    return mapping[key]


def _period(raw: object, *, file: str, ref: str, row: int) -> str:
    try:
        return _xlsx.clean_period(raw)
    except ValueError as exc:
        raise ImportFormatError(str(exc), file=file, row=row, column=ref) from None


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for col in OBS_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    return frame[list(OBS_COLUMNS)]


# ---------------------------------------------------------- jobs (APS) sheets
def parse_jobs_sheet(
    ws: Any,
    *,
    file: str | Path,
    base: dict[str, str],
    geo_labels: dict[str, tuple[str, str]] | None = None,
    industry_labels: dict[str, tuple[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """Observations from one APS "job holder" sheet (``JH_*``) of stacked tables.

    Each table has a label row (geography in column A, "Number of jobs" over
    the years) and a header row starting "Industry group" or "Creative
    subsector"; an optional second column is a breakdown (sex, age, SOC major
    group, skill level …) and the remaining columns are years.

    ``base`` gives the constant columns (dataset, dataset_vintage, measure);
    ``industry_labels`` overrides :data:`INDUSTRY_LABELS` (the 2023 workbooks
    use :data:`INDUSTRY_LABELS_EXCL_IT`).
    """
    file = str(file)
    geo_labels = geo_labels or GEO_LABELS
    industry_labels = industry_labels or INDUSTRY_LABELS
    anchors = _xlsx.find_rows(ws, _HEADER_ANCHOR, col=1)
    if not anchors:
        raise ImportFormatError(
            "expected a header row whose first cell is 'Industry group' or 'Creative "
            f"subsector' in column A (rows 1-{ws.max_row}) but found none; the sheet "
            "layout has changed",
            file=file,
            row=1,
            column=_xlsx.cell_ref(ws.title, 1, 1),
        )
    out: list[dict[str, Any]] = []
    for hr in anchors:
        geo_cell = ws.cell(hr - 1, 1).value
        geo_code, geo_type = _lookup(
            geo_labels,
            geo_cell,
            "geography",
            file,
            _xlsx.cell_ref(ws.title, hr - 1, 1),
            hr - 1,
        )
        table = _xlsx.extract_table(ws, hr, file=file, header_depth=2, label_cols=2)
        # is column B a breakdown or the first year?
        second = table.raw_names[1] if len(table.raw_names) > 1 else None
        has_dim = isinstance(second, str) and not re.match(r"^\d{4}", second.strip())
        first_year = 2 if has_dim else 1
        if has_dim:
            dim_header = table.names[1]
            if re.match(r"major occupational groups", dim_header, re.IGNORECASE):
                dim = "soc_major"
            else:
                dim = _lookup(
                    BREAKDOWNS,
                    dim_header,
                    "breakdown header",
                    file,
                    table.ref(hr, 1),
                    hr,
                )
        else:
            dim = None
        periods = [
            _period(table.raw_names[p], file=file, ref=table.ref(hr, p), row=hr)
            for p in range(first_year, len(table.columns))
        ]
        for r, values, p, value, flag in _xlsx.iter_data_cells(
            table, range(first_year, len(table.columns))
        ):
            scheme, code = _lookup(
                industry_labels, values[0], "industry", file, table.ref(r, 0), r
            )
            period = periods[p - first_year]
            rec = {
                **base,
                "geo_code": geo_code,
                "geo_type": geo_type,
                "industry_scheme": scheme,
                "industry_code": code,
                "occupation_scheme": "",
                "occupation_code": "",
                "status": "",
                "period": period,
                "value": value,
                "disclosure_flag": flag,
            }
            if dim == "soc_major":
                rec["occupation_code"] = _lookup(
                    SOC_MAJOR_LABELS,
                    values[1],
                    "SOC major group",
                    file,
                    table.ref(r, 1),
                    r,
                )
                rec["occupation_scheme"] = (
                    "SOC2010_MAJOR" if int(period[:4]) <= 2020 else "SOC2020_MAJOR"
                )
            elif dim == "skill_level":
                lvl = values[1]
                if lvl not in SKILL_LEVELS:
                    raise ImportFormatError(
                        f"expected a skill level group 1-4, got {lvl!r}",
                        file=file,
                        row=r,
                        column=table.ref(r, 1),
                    )
                rec["status"] = f"skill_level={SKILL_LEVELS[lvl]}"
            elif dim is not None:
                cat = _xlsx.slug(values[1])
                if not cat:
                    raise ImportFormatError(
                        f"blank {dim} category",
                        file=file,
                        row=r,
                        column=table.ref(r, 1),
                    )
                rec["status"] = f"{dim}={cat}"
            out.append(rec)
    return out


def parse_jobs_workbook(
    path: str | Path,
    *,
    dataset: str,
    vintage: str,
    sheets: tuple[str, ...],
    industry_labels: dict[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """All ``sheets`` of an APS jobs workbook as observations (measure ``jobs``)."""
    wb = _xlsx.open_workbook(path)
    rows: list[dict[str, Any]] = []
    sheet_rows: list[list[dict[str, Any]]] = []
    for name in sheets:
        ws = _xlsx.require_sheet(wb, name, file=path)
        sheet_rows.append(
            parse_jobs_sheet(
                ws,
                file=path,
                industry_labels=industry_labels,
                base={
                    "dataset": dataset,
                    "dataset_vintage": vintage,
                    "measure": "jobs",
                },
            )
        )
    for part in sheet_rows:
        rows.extend(part)
    frame = _frame(rows)
    last_year = max(int(p[-4:]) for p in frame["period"])
    frame["geo_vintage"] = str(last_year)
    return frame


# ----------------------------------------------------------------- job quality
def parse_job_quality_workbook(
    path: str | Path,
    *,
    dataset: str,
    vintage: str,
    years: tuple[str, ...] = ("2021", "2022"),
) -> pd.DataFrame:
    """Job-quality counts by creative sub-sector, one sheet per year.

    The second block's "UK" label means the UK excluding London (see the
    module docstring), so it maps to :data:`REST_OF_UK`.
    """
    file = str(path)
    wb = _xlsx.open_workbook(path)
    geo_labels = {**GEO_LABELS, "uk": (REST_OF_UK, "custom")}
    rows: list[dict[str, Any]] = []
    for year in years:
        ws = _xlsx.require_sheet(wb, year, file=path)
        anchors = _xlsx.find_rows(ws, "industry group", col=1)
        if not anchors:
            raise ImportFormatError(
                f"expected a header row starting 'Industry group' in column A (rows "
                f"1-{ws.max_row}) but found none; the sheet layout has changed",
                file=file,
                row=1,
                column=_xlsx.cell_ref(ws.title, 1, 1),
            )
        for hr in anchors:
            geo_code, geo_type = _lookup(
                geo_labels,
                ws.cell(hr - 1, 1).value,
                "geography",
                file=file,
                ref=_xlsx.cell_ref(ws.title, hr - 1, 1),
                row=hr - 1,
            )
            table = _xlsx.extract_table(ws, hr, file=file, header_depth=2, label_cols=1)
            measures = [
                _lookup(
                    JOB_QUALITY_MEASURES,
                    table.names[p],
                    "job-quality indicator",
                    file,
                    table.ref(hr, p),
                    hr,
                )
                for p in range(1, len(table.columns))
            ]
            for r, values, p, value, flag in _xlsx.iter_data_cells(
                table, range(1, len(table.columns))
            ):
                scheme, code = _lookup(
                    INDUSTRY_LABELS, values[0], "industry", file, table.ref(r, 0), r
                )
                rows.append(
                    {
                        "dataset": dataset,
                        "dataset_vintage": vintage,
                        "geo_code": geo_code,
                        "geo_type": geo_type,
                        "geo_vintage": years[-1],
                        "industry_scheme": scheme,
                        "industry_code": code,
                        "period": year,
                        "measure": measures[p - 1],
                        "value": value,
                        "disclosure_flag": flag,
                    }
                )
    return _frame(rows)


# ------------------------------------------------------------------------ WYCA
def parse_wyca_workbook(
    path: str | Path, *, dataset: str, vintage: str, sheet: str = "Analysis 1"
) -> pd.DataFrame:
    """West Yorkshire CA creative industries: enterprises, employment, employees,
    turnover (£000) by sub-sector, March 2018-2023 (IDBR).

    The workbook publishes the nine DCMS sub-sectors (its 'Classification'
    sheet lists their SIC classes), not individual classes, so rows are
    ``DCMS_CI`` sub-sector codes plus ``_T`` for its "Total" row.

    Each year is a table whose header row has the year in column A and
    "Count", "Employment", "Employees", "Turnover (£'000s)" after it.
    """
    file = str(path)
    wb = _xlsx.open_workbook(path)
    ws = _xlsx.require_sheet(wb, sheet, file=path)
    anchors = _xlsx.find_rows(ws, "count", col=2)
    if not anchors:
        raise ImportFormatError(
            "expected header rows with a year in column A and 'Count' in column B "
            f"(rows 1-{ws.max_row}) but found none; the sheet layout has changed",
            file=file,
            row=1,
            column=_xlsx.cell_ref(sheet, 1, 2),
        )
    rows: list[dict[str, Any]] = []
    years: list[str] = []
    for hr in anchors:
        table = _xlsx.extract_table(ws, hr, file=file, header_depth=1, label_cols=1)
        year = _period(table.raw_names[0], file=file, ref=table.ref(hr, 0), row=hr)
        years.append(year)
        specs = [
            _lookup(
                WYCA_MEASURES, table.names[p], "measure", file, table.ref(hr, p), hr
            )
            for p in range(1, len(table.columns))
        ]
        for r, values, p, value, flag in _xlsx.iter_data_cells(
            table, range(1, len(table.columns)), grey_is_low_reliability=False
        ):
            label = _xlsx.clean_label(values[0])
            if label.lower() == "total":
                scheme, code = "DCMS_CI", TOTAL
            else:
                scheme, code = _lookup(
                    INDUSTRY_LABELS, label, "industry", file, table.ref(r, 0), r
                )
            measure, default_flag = specs[p - 1]
            if flag == "as-published":
                flag = default_flag
            rows.append(
                {
                    "dataset": dataset,
                    "dataset_vintage": vintage,
                    "geo_code": "E47000003",
                    "geo_type": "cauth",
                    "industry_scheme": scheme,
                    "industry_code": code,
                    "period": year,
                    "measure": measure,
                    "value": value,
                    "disclosure_flag": flag,
                }
            )
    frame = _frame(rows)
    frame["geo_vintage"] = max(years)
    return frame
