"""Census 2021 category codes: industry categories, economic activity, hours, SOC 2020 titles.

The code lists the Census 2021 importers (:mod:`creative_clusters.sources.census2021`)
map published labels to:

- the 87 industry categories of TS060 and the GM industry table, each a SIC 2007
  division (``"41-43"`` and ``"48"`` are not single divisions), and
  :func:`industry_division` for a title;
- economic-activity statuses in snake_case: ``in_employment_<kind>_<hours>`` with
  kind ``employee``, ``self_employed_with_employees`` or
  ``self_employed_without_employees`` and hours ``part_time``/``full_time``;
  ``unemployed``; the same with a ``student_`` prefix for economically active
  full-time students; and ``inactive_retired``, ``inactive_student``,
  ``inactive_looking_after_home_or_family``,
  ``inactive_long_term_sick_or_disabled``, ``inactive_other``;
- hours-worked and sex categories;
- SOC 2020 major and minor group codes from their titles (:func:`soc2020_code`;
  titles as ONS prints them in Census 2021 outputs, with the spellings that
  differ from the classification listed as aliases).

Examples
--------
>>> soc2020_code("Design Occupations", level="minor")
'342'
>>> soc2020_code("Elementary occupations", level="major")
'9'
"""

from __future__ import annotations

import re

from creative_clusters.classifications.soc import SOC2020_MAJOR, SOC2020_MINOR
from creative_clusters.errors import UnknownCodeError

__all__ = [
    "CENSUS_INDUSTRY_CATEGORIES",
    "DIVISION_BY_CATEGORY",
    "ECONOMIC_ACTIVITY",
    "HOURS_WORKED",
    "IN_EMPLOYMENT_STATUSES",
    "SELF_EMPLOYED_STATUSES",
    "SEX",
    "SOC2020_MAJOR",
    "SOC2020_MINOR",
    "industry_division",
    "soc2020_code",
]

#: Other spellings of the same groups (ONS classification vs census labels).
_SOC_ALIASES: dict[str, dict[str, str]] = {
    "major": {
        "associate professional occupations": "3",
    },
    "minor": {
        "teaching professionals": "231",
        "hr, training and other vocational associate guidance professionals": "357",
    },
}

#: Census 2021 industry categories 1..87 in order: SIC 2007 division -> title.
_DIVISIONS: dict[str, str] = {
    "01": "Crop and animal production, hunting and related service activities",
    "02": "Forestry and logging",
    "03": "Fishing and aquaculture",
    "05": "Mining of coal and lignite",
    "06": "Extraction of crude petroleum and natural gas",
    "07": "Mining of metal ores",
    "08": "Other mining and quarrying",
    "09": "Mining support service activities",
    "10": "Manufacture of food products",
    "11": "Manufacture of beverages",
    "12": "Manufacture of tobacco products",
    "13": "Manufacture of textiles",
    "14": "Manufacture of wearing apparel",
    "15": "Manufacture of leather and related products",
    "16": (
        "Manufacture of wood and of products of wood and cork, except furniture; "
        "manufacture of articles of straw and plaiting materials"
    ),
    "17": "Manufacture of paper and paper products",
    "18": "Printing and reproduction of recorded media",
    "19": "Manufacture of coke and refined petroleum products",
    "20": "Manufacture of chemicals and chemical products",
    "21": (
        "Manufacture of basic pharmaceutical products and pharmaceutical preparations"
    ),
    "22": "Manufacture of rubber and plastic products",
    "23": "Manufacture of other non-metallic mineral products",
    "24": "Manufacture of basic metals",
    "25": "Manufacture of fabricated metal products, except machinery and equipment",
    "26": "Manufacture of computer, electrical and optical products",
    "27": "Manufacture of electrical equipment",
    "28": "Manufacture of machinery and equipment not otherwise specified",
    "29": "Manufacture of motor vehicles, trailers and semi-trailers",
    "30": "Manufacture of other transport equipment",
    "31": "Manufacture of furniture",
    "32": "Other Manufacturing",
    "33": "Repair and installation of machinery and equipment",
    "35": "Electricity, gas, steam and air conditioning supply",
    "36": "Water collection, treatment and supply",
    "37": "Sewerage",
    "38": "Waste collection, treatment and disposal activities; materials recovery",
    "39": "Remediation activities and other waste management services",
    "41-43": (
        "Construction of buildings; Civil engineering; Specialised construction "
        "activities"
    ),
    "45": "Wholesale and retail trade and repair of motor vehicles and motorcycles",
    "46": "Wholesale trade, except of motor vehicles and motorcycles",
    "47": "Retail trade, except of motor vehicles and motorcycles",
    "48": "Wholesale and retail not otherwise specified",
    "49": "Land transport and transport via pipelines",
    "50": "Water transport",
    "51": "Air transport",
    "52": "Warehousing and support activities for transportation",
    "53": "Postal and courier activities",
    "55": "Accommodation",
    "56": "Food and beverage service activities",
    "58": "Publishing activities",
    "59": (
        "Motion picture, video and television production, sound recording and music "
        "publishing activities"
    ),
    "60": "Programming and broadcasting activities",
    "61": "Telecommunications",
    "62": "Computer programming, consultancy and related activities",
    "63": "Information service activities",
    "64": "Financial service activities, except insurance and pension funding",
    "65": (
        "Insurance, reinsurance and pension funding, except compulsory social security"
    ),
    "66": "Activities auxiliary to financial services and insurance activities",
    "68": "Real estate activities",
    "69": "Legal and accounting activities",
    "70": "Activities of head offices; management consultancy activities",
    "71": "Architectural and engineering activities; technical testing and analysis",
    "72": "Scientific research and development",
    "73": "Advertising and market research",
    "74": "Other professional, scientific and technical activities",
    "75": "Veterinary activities",
    "77": "Rental and leasing activities",
    "78": "Employment activities",
    "79": (
        "Travel agency, tour operator and other reservation service and related "
        "activities"
    ),
    "80": "Security and investigation activities",
    "81": "Services to buildings and landscape activities",
    "82": "Office administrative, office support and other business support activities",
    "84": "Public administration and defence; compulsory social security",
    "85": "Education",
    "86": "Human health activities",
    "87": "Residential care activities",
    "88": "Social work activities without accommodation",
    "90": "Creative, arts and entertainment activities",
    "91": "Libraries, archives, museums and other cultural activities",
    "92": "Gambling and betting activities",
    "93": "Sports activities and amusement and recreation activities",
    "94": "Activities of membership organisations",
    "95": "Repair of computers and personal and household goods",
    "96": "Other personal service activities",
    "97": "Activities of households as employers of domestic personnel",
    "98": (
        "Undifferentiated goods- and services-producing activities of private "
        "households for own use"
    ),
    "99": "Activities of extraterritorial organisations and bodies",
}

#: (census category code, SIC 2007 division, title) for the 87 industry categories.
CENSUS_INDUSTRY_CATEGORIES: tuple[tuple[int, str, str], ...] = tuple(
    (i, d, t) for i, (d, t) in enumerate(_DIVISIONS.items(), start=1)
)
#: Census industry category number -> SIC 2007 division.
DIVISION_BY_CATEGORY: dict[int, str] = {c: d for c, d, _t in CENSUS_INDUSTRY_CATEGORIES}


def _economic_activity() -> dict[str, str]:
    out: dict[str, str] = {}
    groups = (
        ("Economically active (excluding full-time students)", ""),
        ("Economically active and a full-time student", "student_"),
    )
    kinds = (
        ("Employee", "employee"),
        ("Self-employed with employees", "self_employed_with_employees"),
        ("Self-employed without employees", "self_employed_without_employees"),
    )
    for label, pre in groups:
        for kind, k in kinds:
            for hours, h in (("Part-time", "part_time"), ("Full-time", "full_time")):
                out[f"{label}: In employment: {kind}: {hours}"] = (
                    f"{pre}in_employment_{k}_{h}"
                )
        out[f"{label}: Unemployed"] = f"{pre}unemployed"
    for label in (
        "Retired",
        "Student",
        "Looking after home or family",
        "Long-term sick or disabled",
        "Other",
    ):
        snake = re.sub(r"\W+", "_", label.lower())
        out[f"Economically inactive: {label}"] = f"inactive_{snake}"
    return out


#: Economic activity label -> ``status`` (19 categories).
ECONOMIC_ACTIVITY: dict[str, str] = _economic_activity()
#: Statuses that together make "in employment" (students included, as in the census).
IN_EMPLOYMENT_STATUSES: tuple[str, ...] = tuple(
    s for s in ECONOMIC_ACTIVITY.values() if "in_employment" in s
)
#: Statuses that together make "self-employed" (with and without employees).
SELF_EMPLOYED_STATUSES: tuple[str, ...] = tuple(
    s for s in IN_EMPLOYMENT_STATUSES if "self_employed" in s
)
#: Hours worked label -> ``status``.
HOURS_WORKED: dict[str, str] = {
    "Part-time: 15 hours or less worked": "part_time_15_hours_or_less",
    "Part-time: 16 to 30 hours worked": "part_time_16_to_30_hours",
    "Full-time: 31 to 48 hours worked": "full_time_31_to_48_hours",
    "Full-time: 49 or more hours worked": "full_time_49_hours_or_more",
}
#: Population-by-sex label -> ``status``.
SEX: dict[str, str] = {"All persons": "_T", "Female": "female", "Male": "male"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("&", "and")).strip().lower()


_SOC_INDEX: dict[str, dict[str, str]] = {
    "major": {_norm(t): c for c, t in SOC2020_MAJOR.items()} | _SOC_ALIASES["major"],
    "minor": {_norm(t): c for c, t in SOC2020_MINOR.items()} | _SOC_ALIASES["minor"],
}
_INDUSTRY_INDEX: dict[str, str] = {
    _norm(t): d for _c, d, t in CENSUS_INDUSTRY_CATEGORIES
}


def soc2020_code(title: str, *, level: str) -> str:
    """SOC 2020 code of an occupation title (``level`` ``"major"`` or ``"minor"``).

    Matching ignores case, runs of spaces and ``&`` vs ``and``.

    Raises
    ------
    UnknownCodeError
        When the title is not a SOC 2020 group at that level.

    Examples
    --------
    >>> soc2020_code("Artistic, Literary and Media Occupations", level="minor")
    '341'
    """
    if level not in _SOC_INDEX:
        raise ValueError(f"level must be 'major' or 'minor', got {level!r}")
    code = _SOC_INDEX[level].get(_norm(title))
    if code is None:
        raise UnknownCodeError(
            f"{title!r} is not a SOC 2020 {level} group title; expected one of the "
            f"{len(SOC2020_MAJOR if level == 'major' else SOC2020_MINOR)} titles in "
            f"creative_clusters.classifications.soc.SOC2020_{level.upper()}"
        )
    return code


def industry_division(title: str) -> str:
    """SIC 2007 division code of a Census 2021 industry title (with or without numbers).

    Examples
    --------
    >>> industry_division("59 Motion picture, video and television production, sound "
    ...     "recording and music publishing activities")
    '59'
    >>> industry_division("Construction of buildings; Civil engineering; "
    ...     "Specialised construction activities")
    '41-43'
    """
    stripped = re.sub(r"(^|;\s*)\d{2}\s+", r"\1", str(title).strip())
    code = _INDUSTRY_INDEX.get(_norm(stripped))
    if code is None:
        raise UnknownCodeError(
            f"{title!r} is not one of the 87 Census 2021 industry (SIC 2007 division) "
            "categories in CENSUS_INDUSTRY_CATEGORIES"
        )
    return code
