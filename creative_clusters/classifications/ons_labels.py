"""Published labels in the ONS ad-hoc creative-economy workbooks → toolkit codes.

Explicit, reviewed maps (keys are :func:`creative_clusters.sources._xlsx.clean_label`
of the cell, lower-cased). A label that is not here makes the importer fail
loudly, naming the sheet and cell, rather than guess. Used by
:mod:`creative_clusters.sources.ons_adhoc`; see its docstring for the
decisions behind the codes (``K02000001-xLDN``, ``total_excl_it_software`` ...).

Examples
--------
>>> INDUSTRY_LABELS["design: product, graphic and fashion design"]
('DCMS_CI', 'design')
>>> GEO_LABELS["london"]
('E12000007', 'rgn')
"""

from __future__ import annotations

from creative_clusters._schema import TOTAL
from creative_clusters.classifications import dcms

__all__ = [
    "BREAKDOWNS",
    "CREATIVE_EXCL_IT",
    "GEO_LABELS",
    "INDUSTRY_LABELS",
    "INDUSTRY_LABELS_EXCL_IT",
    "JOB_QUALITY_MEASURES",
    "NON_CREATIVE_INCL_IT",
    "REST_OF_UK",
    "SKILL_LEVELS",
    "SOC_MAJOR_LABELS",
    "WYCA_MEASURES",
]

#: geo_code for the UK excluding London (custom aggregate; geo_type "custom").
REST_OF_UK = "K02000001-xLDN"

#: Published geography labels → (geo_code, geo_type).
GEO_LABELS: dict[str, tuple[str, str]] = {
    "london": ("E12000007", "rgn"),
    "all other regions of the united kingdom": (REST_OF_UK, "custom"),
    "all other regions in the united kingdom": (REST_OF_UK, "custom"),
    "rest of the united kingdom": (REST_OF_UK, "custom"),
    "rest of uk": (REST_OF_UK, "custom"),
    "uk excluding london": (REST_OF_UK, "custom"),
    "uk": ("K02000001", "uk"),
    "united kingdom": ("K02000001", "uk"),
}

_SUB = {s: dcms.subsector_short(s) for s in dcms.SUBSECTORS}

#: Published industry labels (lower case) → (industry_scheme, industry_code).
INDUSTRY_LABELS: dict[str, tuple[str, str]] = {
    # sub-sectors as written in the APS workbooks
    "advertising and marketing": ("DCMS_CI", _SUB["Advertising and marketing"]),
    "architecture": ("DCMS_CI", _SUB["Architecture"]),
    "crafts": ("DCMS_CI", _SUB["Crafts"]),
    "design: product, graphic and fashion design": (
        "DCMS_CI",
        _SUB["Design and designer fashion"],
    ),
    "film, tv, video, radio and photography": (
        "DCMS_CI",
        _SUB["Film, TV, video, radio and photography"],
    ),
    "it, software and computer services": (
        "DCMS_CI",
        _SUB["IT, software and computer services"],
    ),
    "museums, galleries and libraries": (
        "DCMS_CI",
        _SUB["Museums, galleries and libraries"],
    ),
    "museums, galleries, libraries": (
        "DCMS_CI",
        _SUB["Museums, galleries and libraries"],
    ),
    "music, performing and visual arts": (
        "DCMS_CI",
        _SUB["Music, performing and visual arts"],
    ),
    "publishing": ("DCMS_CI", _SUB["Publishing"]),
    # sub-sectors as written in the WYCA workbook
    "film tv radio photography": (
        "DCMS_CI",
        _SUB["Film, TV, video, radio and photography"],
    ),
    "it software computer services": (
        "DCMS_CI",
        _SUB["IT, software and computer services"],
    ),
    "music performing arts": ("DCMS_CI", _SUB["Music, performing and visual arts"]),
    "museums galleries": ("DCMS_CI", _SUB["Museums, galleries and libraries"]),
    "design product graphic and fashion": (
        "DCMS_CI",
        _SUB["Design and designer fashion"],
    ),
    # totals
    "creative industry": ("DCMS_CI", TOTAL),
    "creative industries": ("DCMS_CI", TOTAL),
    "creative industries total": ("DCMS_CI", TOTAL),
    "all other industries": ("DCMS_CI", "non_creative"),
    "all industries": ("SIC2007", TOTAL),
    "all industries total": ("SIC2007", TOTAL),
}

#: Industry code of the creative industries *excluding* IT, software and
#: computer services (the 2024 ONS jobs workbooks' "Creative industry").
CREATIVE_EXCL_IT = "total_excl_it_software"
#: ... and of all other industries in those workbooks (which include IT).
NON_CREATIVE_INCL_IT = "non_creative_incl_it_software"

#: Labels of the 2010-2023 workbooks, whose Industry_classification sheet drops
#: the IT, software and computer services classes (5821, 5829, 6201, 6202)
#: "to remove the overlap ... with the digital sector" (their Notes sheet).
#: Check: London 2022 "Creative industry" = 461,717 = sub-sector workbook
#: total 721,103 - IT 259,386.
INDUSTRY_LABELS_EXCL_IT: dict[str, tuple[str, str]] = {
    "creative industry": ("DCMS_CI", CREATIVE_EXCL_IT),
    "all other industries": ("DCMS_CI", NON_CREATIVE_INCL_IT),
    "all industries": ("SIC2007", TOTAL),
    "all industries total": ("SIC2007", TOTAL),
}

#: SOC major group titles (SOC 2010 and SOC 2020 wording) → major group code.
SOC_MAJOR_LABELS: dict[str, str] = {
    "managers, directors and senior officials": "1",
    "professional occupations": "2",
    "associate professional and technical occupations": "3",
    "associate professional occupations": "3",
    "administrative and secretarial occupations": "4",
    "skilled trades occupations": "5",
    "caring, leisure and other service occupations": "6",
    "sales and customer service occupations": "7",
    "process, plant and machine operatives": "8",
    "elementary occupations": "9",
}

#: APS skill level group number → status value (group 1 = Elementary occupations).
SKILL_LEVELS = {1: "low", 2: "lower_middle", 3: "upper_middle", 4: "high"}

#: Second-column header (the breakdown) → status dimension name.
BREAKDOWNS: dict[str, str] = {
    "sex": "sex",
    "age group": "age",
    "age band": "age",
    "ethnicity": "ethnicity",
    "disability status": "disability",
    "highest qualification": "qualification",
    "sub-regional partnership": "sub_regional_partnership",
    "subregional partnership": "sub_regional_partnership",
    "country of birth": "country_of_birth",
    "place of birth": "country_of_birth",
    "employment type": "employment_type",
    "skill level group": "skill_level",
}

#: Job-quality column headers → measure names (counts of jobs).
JOB_QUALITY_MEASURES: dict[str, str] = {
    "satisfactory hours": "jobs_satisfactory_hours",
    "not satisfactory hours": "jobs_not_satisfactory_hours",
    "paid overtime": "jobs_paid_overtime",
    "unpaid overtime": "jobs_unpaid_overtime",
    "permanent job": "jobs_permanent",
    "non-permanent job": "jobs_non_permanent",
    "low pay (local)": "jobs_low_pay_local",
    "not in low pay (local)": "jobs_not_low_pay_local",
    "opportunities for progression": "jobs_progression_opportunities",
    "no opportunities for progression": "jobs_no_progression_opportunities",
    "employee involvement": "jobs_good_employee_involvement",
    "not good involvement": "jobs_not_good_employee_involvement",
}

WYCA_MEASURES: dict[str, tuple[str, str]] = {
    "count": ("enterprises", "rounded"),
    "employment": ("employment", "as-published"),
    "employees": ("employees", "as-published"),
    "turnover (£'000s)": ("turnover_gbp_thousands", "as-published"),
}
