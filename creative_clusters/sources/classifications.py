"""Importers for classification reference data.

Datasets
--------
``dcms_classifications``
    The official DCMS lists in the ``Industry_classification`` sheet of two
    ONS ad-hoc workbooks. Reference tables:

    - ``dcms_ci_sic``: ``definition_version, sic4, title, subsector,
      subsector_short`` — the 31 creative SIC 2007 classes.
    - ``dcms_creative_soc``: ``scheme, soc4, title, group, subsector_short``
      — creative occupations, SOC 2010 (30) and SOC 2020 (31);
      ``subsector_short`` is ``""`` for the SOC 2020 group "Managers and
      directors in the Creative Industries", which is not an industry sub-sector.

    The import fails (naming the differing codes) when the sub-sector
    workbook's SIC list differs from :data:`dcms.DCMS_CI_SIC2007`, or its SOC
    lists from :mod:`creative_clusters.classifications.soc`. The 2010-2023
    workbook's sheet lists the same classes **minus** IT, software and computer
    services (5821, 5829, 6201, 6202), as its notes explain; exactly that
    difference is accepted, anything else raises.

``sic2007_hierarchy``
    ``classifications/sic2007_hierarchy.csv`` → reference table ``sic2007``
    (see :func:`read_sic_hierarchy`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters.classifications import dcms, soc
from creative_clusters.classifications.sic import normalise_sic, section_of_division
from creative_clusters.errors import ImportFormatError, UnknownCodeError
from creative_clusters.sources import _xlsx
from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult, fail_first, read_csv_strict

__all__ = [
    "DATASETS",
    "OFFICIAL_GROUPS",
    "check_sic_list",
    "check_soc_lists",
    "parse_industry_classification",
    "read_dcms_classifications",
    "read_sic2007",
    "read_sic_hierarchy",
]

SUBSECTOR_WORKBOOK = "ons_adhoc/creativesubsectorsjobs20102022.xlsx"
JOBS_WORKBOOK = "ons_adhoc/creativeindustryjobs20102023.xlsx"
HIERARCHY_CSV = "classifications/sic2007_hierarchy.csv"
SHEET = "Industry_classification"

#: Group names as published in the official sheet → DCMS sub-sector name
#: (``None`` for an occupation group that is not an industry sub-sector).
OFFICIAL_GROUPS: dict[str, str | None] = {
    "Advertising and marketing": "Advertising and marketing",
    "Architecture": "Architecture",
    "Crafts": "Crafts",
    "Design: product, graphic and fashion design": "Design and designer fashion",
    "Film, TV, video, radio and photography": "Film, TV, video, radio and photography",
    "IT, software and computer services": "IT, software and computer services",
    "Publishing": "Publishing",
    "Museums, galleries and libraries": "Museums, galleries and libraries",
    "Music, performing and visual arts": "Music, performing and visual arts",
    "Managers and directors in the Creative Industries": None,
}

_IT = "IT, software and computer services"

# (first column, header text of the code column, scheme)
_BLOCKS = (
    (1, r"sic \(2007\)", "SIC2007"),
    (5, r"soc \(2010\)", "SOC2010"),
    (9, r"soc \(2020\)", "SOC2020"),
)


# ---------------------------------------------------------------- the SIC 2007 hierarchy table
_HIER_COLUMNS = (
    "SIC_2DIGIT_CODE",
    "SIC_2DIGIT_NAME",
    "SIC_3DIGIT_CODE",
    "SIC_3DIGIT_NAME",
    "SIC_5DIGIT_CODE",
    "SIC_5DIGIT_NAME",
    "SIC_SECTION_LETTER",
    "SIC_SECTION_NAME",
)


def _strip_code(title: str) -> str:
    return re.sub(r"^\s*\S+\s*:\s*", "", str(title)).strip()


def read_sic_hierarchy(path: str | Path) -> pd.DataFrame:
    """Read ``sic2007_hierarchy.csv`` (latin-1) into the ``ref_sic2007`` shape.

    Columns: ``subclass5, subclass5_title, class4, class4_title, group3,
    group3_title, division2, division2_title, section, section_title``.
    The file has no 4-digit level: ``class4`` is the first four digits of the
    subclass, and ``class4_title`` is the subclass title when the class has a
    single subclass, else ``""`` (the file does not give class titles).

    Raises
    ------
    ImportFormatError
        On a missing file, a missing column, or a row whose codes disagree
        (subclass not starting with its group, section not matching the
        division).
    """
    path = Path(path)
    raw = read_csv_strict(path, required=_HIER_COLUMNS, encoding="latin-1")
    out = pd.DataFrame(
        {
            "subclass5": raw["SIC_5DIGIT_CODE"].str.strip(),
            "subclass5_title": raw["SIC_5DIGIT_NAME"].map(_strip_code),
            "group3": raw["SIC_3DIGIT_CODE"].str.strip(),
            "group3_title": raw["SIC_3DIGIT_NAME"].map(_strip_code),
            "division2": raw["SIC_2DIGIT_CODE"].str.strip(),
            "division2_title": raw["SIC_2DIGIT_NAME"].map(_strip_code),
            "section": raw["SIC_SECTION_LETTER"].str.strip(),
            "section_title": raw["SIC_SECTION_NAME"].str.strip(),
        }
    )
    bad = ~out["subclass5"].str.fullmatch(r"\d{5}")
    fail_first(
        bad,
        lambda i: f"expected a 5-digit subclass code, got {out['subclass5'].iloc[i]!r}",
        file=str(path),
        column="SIC_5DIGIT_CODE",
    )
    mismatch = (out["subclass5"].str[:3] != out["group3"]) | (
        out["group3"].str[:2] != out["division2"]
    )
    fail_first(
        mismatch,
        lambda i: (
            f"subclass {out['subclass5'].iloc[i]} does not sit under group "
            f"{out['group3'].iloc[i]} / division {out['division2'].iloc[i]}"
        ),
        file=str(path),
        column="SIC_3DIGIT_CODE",
    )
    expected_section = out["division2"].map(section_of_division)
    wrong = expected_section != out["section"]
    fail_first(
        wrong,
        lambda i: (
            f"division {out['division2'].iloc[i]} is in section {expected_section.iloc[i]} in "
            f"SIC 2007, but the file says {out['section'].iloc[i]!r}"
        ),
        file=str(path),
        column="SIC_SECTION_LETTER",
    )
    out["class4"] = out["subclass5"].str[:4]
    n_sub = out.groupby("class4")["subclass5"].transform("size")
    out["class4_title"] = out["subclass5_title"].where(n_sub == 1, "")
    cols = [
        "subclass5",
        "subclass5_title",
        "class4",
        "class4_title",
        "group3",
        "group3_title",
        "division2",
        "division2_title",
        "section",
        "section_title",
    ]
    return out[cols].reset_index(drop=True)


def _group(name: object, *, file: str, ref: str, row: int) -> str:
    text = _xlsx.clean_label(name)
    if text not in OFFICIAL_GROUPS:
        raise ImportFormatError(
            f"unknown creative group {text!r}; expected one of {list(OFFICIAL_GROUPS)}",
            file=file,
            row=row,
            column=ref,
        )
    return text


def parse_industry_classification(
    path: str | Path, *, sheet: str = SHEET
) -> dict[str, pd.DataFrame]:
    """Read the official classification sheet.

    Returns a dict scheme → DataFrame(``group, code, title, row``) for each
    block present: ``"SIC2007"`` (codes as 4-digit classes, e.g. ``"5911"``;
    the sheet stores them as numbers like 59.11 or 74.1), and, if present,
    ``"SOC2010"`` and ``"SOC2020"`` (4-digit unit groups).

    Raises
    ------
    ImportFormatError
        Missing sheet, header not on row 4, unknown group, unreadable code.
    """
    file = str(path)
    wb = _xlsx.open_workbook(path)
    ws = _xlsx.require_sheet(wb, sheet, file=path)
    header_row = 4
    first = _xlsx.clean_label(ws.cell(header_row, 1).value)
    if first.lower() != "creative industries group":
        raise ImportFormatError(
            f"expected the header 'Creative Industries Group' in cell A{header_row}, found "
            f"{first!r}; the sheet layout has changed",
            file=file,
            row=header_row,
            column=_xlsx.cell_ref(sheet, header_row, 1),
        )
    out: dict[str, pd.DataFrame] = {}
    import re

    for col, pattern, scheme in _BLOCKS:
        head = _xlsx.clean_label(ws.cell(header_row, col + 1).value)
        if not re.fullmatch(pattern, head, re.IGNORECASE):
            if scheme == "SIC2007":
                raise ImportFormatError(
                    f"expected 'SIC (2007)' in the header, found {head!r}",
                    file=file,
                    row=header_row,
                    column=_xlsx.cell_ref(sheet, header_row, col + 1),
                )
            continue
        table = _xlsx.extract_table(
            ws,
            header_row,
            file=file,
            min_col=col,
            max_col=col + 2,
            label_cols=1,
            blank_rows_end=False,
        )
        records: list[dict[str, Any]] = []
        for r, values in table.rows:
            group, code, title = values[0], values[1], values[2]
            if code is None:
                continue
            g = _group(group, file=file, ref=table.ref(r, 0), row=r)
            try:
                if scheme == "SIC2007":
                    c = normalise_sic(code)
                    if len(c) != 4:
                        raise UnknownCodeError(f"{code!r} is not a 4-digit class")
                else:
                    c = (
                        str(int(code))
                        if isinstance(code, (int, float))
                        else str(code).strip()
                    )
                    if not re.fullmatch(r"\d{4}", c):
                        raise UnknownCodeError(
                            f"{code!r} is not a 4-digit SOC unit group"
                        )
            except (UnknownCodeError, ValueError) as exc:
                raise ImportFormatError(
                    str(exc), file=file, row=r, column=table.ref(r, 1)
                ) from None
            records.append(
                {"group": g, "code": c, "title": _xlsx.clean_label(title), "row": r}
            )
        out[scheme] = pd.DataFrame(records, columns=["group", "code", "title", "row"])
    return out


def _as_map(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["code"], frame["group"], strict=True))


def _diff_message(found: dict[str, str], expected: dict[str, str]) -> str:
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    moved = sorted(c for c in set(found) & set(expected) if found[c] != expected[c])
    parts = []
    if missing:
        parts.append(f"missing {missing}")
    if extra:
        parts.append(f"extra {extra}")
    if moved:
        parts.append(
            "different group "
            + ", ".join(
                f"{c}: sheet {found[c]!r} vs code {expected[c]!r}" for c in moved
            )
        )
    return "; ".join(parts)


def check_sic_list(frame: pd.DataFrame, *, file: str, exclude_it: bool = False) -> None:
    """Raise ImportFormatError when the sheet's SIC list differs from
    :data:`dcms.DCMS_CI_SIC2007` (minus the IT sub-sector if ``exclude_it``)."""
    found = {c: OFFICIAL_GROUPS[g] or "" for c, g in _as_map(frame).items()}
    dup = frame["code"][frame["code"].duplicated()].tolist()
    expected = {
        c: sub
        for sub, codes in dcms.DCMS_CI_SIC2007.items()
        for c in codes
        if not (exclude_it and sub == _IT)
    }
    msg = _diff_message(found, expected)
    if dup:
        msg = f"duplicate codes {dup}; " + msg
    if msg:
        raise ImportFormatError(
            f"the official creative-industries SIC list disagrees with "
            f"{dcms.DEFINITION_VERSION} in creative_clusters/classifications/dcms.py: {msg}. "
            "Check which is right and update dcms.py (and DEFINITION_VERSION) if DCMS changed "
            "the definition.",
            file=file,
            column=f"{SHEET}!B4",
        )


def check_soc_lists(tables: dict[str, pd.DataFrame], *, file: str) -> None:
    """Raise ImportFormatError when the sheet's SOC lists differ from :mod:`soc`."""
    for scheme, groups in soc.SOC_SCHEMES.items():
        if scheme not in tables:
            raise ImportFormatError(
                f"expected a {scheme} block in the classification sheet",
                file=file,
                column=f"{SHEET}!E4",
            )
        expected = {c: g for g, codes in groups.items() for c in codes}
        msg = _diff_message(_as_map(tables[scheme]), expected)
        if msg:
            raise ImportFormatError(
                f"the official {scheme} creative-occupation list disagrees with "
                f"creative_clusters/classifications/soc.py: {msg}",
                file=file,
                column=f"{SHEET}!{'F' if scheme == 'SOC2010' else 'J'}4",
            )


def _industry_subsector(group: str) -> str:
    """The DCMS sub-sector of an official industry group (occupation-only groups have none)."""
    sub = OFFICIAL_GROUPS[group]
    if sub is None:
        raise UnknownCodeError(f"group {group!r} is an occupation group, not an industry sub-sector")
    return sub


def read_dcms_classifications(root: Path) -> ImportResult:
    """Reader of dataset ``dcms_classifications`` (reference tables only)."""
    root = Path(root)
    sub_path = root / SUBSECTOR_WORKBOOK
    jobs_path = root / JOBS_WORKBOOK
    tables = parse_industry_classification(sub_path)
    check_sic_list(tables["SIC2007"], file=str(sub_path))
    check_soc_lists(tables, file=str(sub_path))
    jobs_tables = parse_industry_classification(jobs_path)
    check_sic_list(jobs_tables["SIC2007"], file=str(jobs_path), exclude_it=True)

    sic = tables["SIC2007"]
    dcms_ci_sic = (
        pd.DataFrame(
            {
                "definition_version": dcms.DEFINITION_VERSION,
                "sic4": sic["code"],
                "title": sic["title"],
                "subsector": [OFFICIAL_GROUPS[g] for g in sic["group"]],
                "subsector_short": [dcms.subsector_short(_industry_subsector(g)) for g in sic["group"]],
            }
        )
        .sort_values("sic4")
        .reset_index(drop=True)
    )
    soc_rows = []
    for scheme in ("SOC2010", "SOC2020"):
        for g, code, title in tables[scheme][["group", "code", "title"]].itertuples(
            index=False
        ):
            sub = OFFICIAL_GROUPS[g]
            # titles from soc.SOC_TITLES: the sheet's, with its typos corrected
            soc_rows.append(
                {
                    "scheme": scheme,
                    "soc4": code,
                    "title": soc.SOC_TITLES[scheme].get(code, title),
                    "group": g,
                    "subsector_short": dcms.subsector_short(sub) if sub else "",
                }
            )
    dcms_creative_soc = (
        pd.DataFrame(soc_rows).sort_values(["scheme", "soc4"]).reset_index(drop=True)
    )
    coverage = (
        f"{len(dcms_ci_sic)} SIC 2007 classes in {dcms_ci_sic['subsector'].nunique()} "
        f"sub-sectors; {int((dcms_creative_soc['scheme'] == 'SOC2010').sum())} SOC 2010 and "
        f"{int((dcms_creative_soc['scheme'] == 'SOC2020').sum())} SOC 2020 creative occupations"
    )
    return ImportResult(
        observations=None,
        tables={"dcms_ci_sic": dcms_ci_sic, "dcms_creative_soc": dcms_creative_soc},
        coverage=coverage,
    )


def read_sic2007(root: Path) -> ImportResult:
    """Reader of dataset ``sic2007_hierarchy`` (reference table ``sic2007``)."""
    table = read_sic_hierarchy(Path(root) / HIERARCHY_CSV)
    coverage = (
        f"{len(table)} subclasses, {table['class4'].nunique()} classes, "
        f"{table['group3'].nunique()} groups, {table['division2'].nunique()} divisions, "
        f"{table['section'].nunique()} sections"
    )
    return ImportResult(observations=None, tables={"sic2007": table}, coverage=coverage)


DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id="sic2007_hierarchy",
        title="UK SIC 2007 hierarchy: subclass, class, group, division, section",
        publisher="Office for National Statistics",
        licence=OGL,
        source_url="https://www.ons.gov.uk/methodology/classificationsandstandards/"
        "ukstandardindustrialclassificationofeconomicactivities/uksic2007",
        vintage="SIC 2007",
        files=(HIERARCHY_CSV,),
        reader=read_sic2007,
        caveats=(
            "The file has no 4-digit class titles; class4_title is filled only for "
            "classes with a single subclass.",
        ),
    ),
    DatasetSpec(
        id="dcms_classifications",
        title="DCMS creative industries (SIC 2007) and creative occupations (SOC 2010, SOC 2020)",
        publisher="Office for National Statistics / DCMS",
        licence=OGL,
        source_url="https://www.gov.uk/government/publications/"
        "dcms-sectors-economic-estimates-methodology",
        vintage="2023-07-21",
        files=(SUBSECTOR_WORKBOOK, JOBS_WORKBOOK),
        reader=read_dcms_classifications,
        caveats=(
            "Lists as published in the Industry_classification sheet of ONS ad-hoc workbooks.",
            "SOC 2020 list places 2493 (PR professionals) under Publishing and 3412 (authors) "
            "under Music, performing and visual arts, as published.",
            "The ONS 2010-2023 jobs workbook's creative industries exclude IT, software and "
            "computer services.",
        ),
    ),
]
