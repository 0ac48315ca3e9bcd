"""Importers for Census 2021: TS060 industry by LAD (England and Wales) and the
six Greater Manchester labour-market tables.

Both count **residents** where they live (usual residents on census day,
21 March 2021), not jobs where they are done.

TS060 (dataset ``census2021_ts060``)
    331 LADs (2021) x 88 categories: 87 SIC 2007 division categories plus
    "Does not apply" (code -8). The population base is *all usual residents*,
    so "Does not apply" holds everyone not in employment, children included.

    - Division categories: measure ``residents_in_employment``,
      ``industry_scheme="SIC2007_DIV"``, ``industry_code`` the 2-digit division.
      Two categories are not single divisions: ``"41-43"`` (construction: 41,
      42 and 43 together) and ``"48"`` (census-only "Wholesale and retail not
      otherwise specified"; SIC 2007 has no division 48).
    - ``industry_code="_T"``: residents in employment, the sum of the 87
      division categories (derived; excludes "Does not apply").
    - "Does not apply": measure ``usual_residents``, ``status="does_not_apply"``,
      ``industry_scheme=""``, ``industry_code=""``.

Greater Manchester (dataset ``census2021_gm``): 10 LADs E08000001-E08000010,
tables prepared by Trafford Data Lab from ONS Census 2021.

    ================== =========================== ================================
    table              measure                     breakdown
    ================== =========================== ================================
    economic activity  ``residents_16_plus``       ``status`` (ECONOMIC_ACTIVITY)
    hours worked       ``residents_in_employment`` ``status`` (HOURS_WORKED)
    occupation, major  ``residents_in_employment`` ``SOC2020_MAJOR`` "1".."9", "_T"
    occupation, minor  ``residents_in_employment`` ``SOC2020_MINOR`` "111".."926"
    industry           ``residents_in_employment`` ``SIC2007_DIV`` as TS060, "_T"
    population by sex  ``usual_residents``         ``status`` "_T", "female", "male"
    ================== =========================== ================================

The files give occupation *titles* only; codes come from the SOC 2020 lists
below (titles as ONS prints them in Census 2021 outputs; SOC 2020 has 104 minor
groups). An unknown title is an
:class:`~creative_clusters.errors.ImportFormatError`. ``_T`` rows (occupation
minor and major, industry) are derived sums of the published categories.
ONS perturbs census cells (cell-key method) table by table, so totals of
different tables for one LAD differ by a few persons (at most 7 in the GM files).

Economic-activity statuses are snake_case: ``in_employment_<kind>_<hours>`` with
kind ``employee``, ``self_employed_with_employees`` or
``self_employed_without_employees`` and hours ``part_time``/``full_time``;
``unemployed``; the same with a ``student_`` prefix for economically active
full-time students; and ``inactive_retired``, ``inactive_student``,
``inactive_looking_after_home_or_family``,
``inactive_long_term_sick_or_disabled``, ``inactive_other``.

Examples
--------
>>> soc2020_code("Design Occupations", level="minor")
'342'
>>> soc2020_code("Elementary occupations", level="major")
'9'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters.classifications.soc import SOC2020_MAJOR, SOC2020_MINOR
from creative_clusters.errors import ImportFormatError, UnknownCodeError
from creative_clusters.sources._base import (
    OGL,
    DatasetSpec,
    ImportResult,
    clean_text,
    fail_rows,
    first_position,
    read_csv_strict,
    require_columns,
    to_numeric_strict,
)

__all__ = [
    "CENSUS_INDUSTRY_CATEGORIES",
    "DATASETS",
    "ECONOMIC_ACTIVITY",
    "GM_LADS",
    "GM_TABLES",
    "HOURS_WORKED",
    "IN_EMPLOYMENT_STATUSES",
    "SELF_EMPLOYED_STATUSES",
    "SOC2020_MAJOR",
    "SOC2020_MINOR",
    "industry_division",
    "parse_gm_table",
    "parse_ts060",
    "read_census2021_gm",
    "read_census2021_ts060",
    "soc2020_code",
]

CENSUS_DATE = "2021-03-21"
TS060_FILE = "census2021_ew/TS060-2021-1.csv"
GM_FOLDER = "census2021_gm"

#: The 10 Greater Manchester LADs (2021 codes).
GM_LADS: dict[str, str] = {
    "E08000001": "Bolton",
    "E08000002": "Bury",
    "E08000003": "Manchester",
    "E08000004": "Oldham",
    "E08000005": "Rochdale",
    "E08000006": "Salford",
    "E08000007": "Stockport",
    "E08000008": "Tameside",
    "E08000009": "Trafford",
    "E08000010": "Wigan",
}

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
_DIVISION_BY_CATEGORY = {c: d for c, d, _t in CENSUS_INDUSTRY_CATEGORIES}


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
_SEX: dict[str, str] = {"All persons": "_T", "Female": "female", "Male": "male"}


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
            f"creative_clusters.sources.census2021.SOC2020_{level.upper()}"
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


def _fail_if(
    mask: pd.Series, frame: pd.DataFrame, col: str, expected: str, file: str
) -> None:
    fail_rows(mask, file=file, column=col, expected=expected, values=frame[col])


def _map_column(
    frame: pd.DataFrame, col: str, mapper: Callable[[Any], str], file: str, what: str
) -> list[str]:
    out = []
    for i, label in enumerate(frame[col].tolist()):
        try:
            out.append(mapper(label))
        except (UnknownCodeError, KeyError, TypeError) as exc:
            raise ImportFormatError(
                f"unknown {what} {label!r} ({exc}); add it to the code list if ONS "
                "changed the label",
                file=file,
                row=i + 2,
                column=col,
            ) from None
    return out


def _check_unique_complete(
    geo: pd.Series, cat: pd.Series, *, n_cat: int, file: str, what: str
) -> None:
    dup = pd.DataFrame({"g": geo.to_numpy(), "c": cat.to_numpy()}).duplicated()
    if dup.any():
        pos = first_position(dup)
        raise ImportFormatError(
            f"area {geo.iloc[pos]!r} x {what} {cat.iloc[pos]!r} appears twice; "
            "each must appear once",
            file=file,
            row=pos + 2,
        )
    counts = cat.groupby(geo.to_numpy()).nunique()
    short = counts[counts < n_cat]
    if not short.empty:
        raise ImportFormatError(
            f"area {short.index[0]!r} has {int(short.iloc[0])} of the {n_cat} {what} "
            "categories; the file looks truncated",
            file=file,
        )


def _seq(values: pd.Series | list[str]) -> object:
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype=object)
    return list(values)


def _obs(
    dataset: str,
    geo: pd.Series,
    value: pd.Series,
    *,
    measure: str,
    industry_scheme: str = "",
    industry_code: str | pd.Series | list[str] = "",
    occupation_scheme: str = "",
    occupation_code: str | pd.Series | list[str] = "",
    status: str | pd.Series | list[str] = "",
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dataset": dataset,
            "dataset_vintage": "2021",
            "geo_code": geo.to_numpy(dtype=object),
            "geo_type": "lad",
            "geo_vintage": "2021",
            "industry_scheme": industry_scheme,
            "industry_code": industry_code
            if isinstance(industry_code, str)
            else _seq(industry_code),
            "occupation_scheme": occupation_scheme,
            "occupation_code": (
                occupation_code
                if isinstance(occupation_code, str)
                else _seq(occupation_code)
            ),
            "status": status if isinstance(status, str) else _seq(status),
            "period": CENSUS_DATE,
            "measure": measure,
            "value": pd.Series(value).to_numpy(dtype="float64"),
            "disclosure_flag": "as-published",
        }
    )


def _with_total(obs: pd.DataFrame, code_col: str) -> pd.DataFrame:
    """Append a ``_T`` row per LAD: the sum of the categories."""
    keys = [c for c in obs.columns if c not in (code_col, "value")]
    tot = obs.groupby(keys, sort=False)["value"].sum().reset_index()
    tot[code_col] = "_T"
    return pd.concat([obs, tot[list(obs.columns)]], ignore_index=True)


_TS060_COLS = (
    "Lower Tier Local Authorities Code",
    "Lower Tier Local Authorities",
    "Industry (current) (88 categories) Code",
    "Industry (current) (88 categories)",
    "Observation",
)
_LAD_EW = r"[EW]0[6-9]\d{6}"


def parse_ts060(frame: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Turn TS060 (industry, 88 categories, by LAD) into observation rows.

    Raises
    ------
    ImportFormatError
        On a missing column, a code that is not an England/Wales LAD, an
        unknown category code or a label that does not match its code, a
        non-numeric or negative count, a repeated or missing LAD x category.
    """
    require_columns(frame, _TS060_COLS, file=file)
    lad_col, _name, code_col, label_col, val_col = _TS060_COLS
    lad = clean_text(frame, lad_col)
    _fail_if(
        ~lad.str.fullmatch(_LAD_EW),
        frame,
        lad_col,
        "an England/Wales LAD code such as 'E06000001'",
        file,
    )
    cat = clean_text(frame, code_col)
    known = {"-8", *(str(c) for c in _DIVISION_BY_CATEGORY)}
    _fail_if(
        ~cat.isin(list(known)),
        frame,
        code_col,
        "a category code -8 or 1..87 of 'Industry (current) (88 categories)'",
        file,
    )
    labels = clean_text(frame, label_col)
    checked: dict[tuple[str, str], str] = {}
    pairs = list(zip(cat.tolist(), labels.tolist(), strict=True))
    for i, pair in enumerate(pairs):
        if pair in checked:
            continue
        c, label = pair
        d = "" if c == "-8" else _DIVISION_BY_CATEGORY[int(c)]
        if c == "-8":
            ok = label == "Does not apply"
        else:
            try:
                ok = label[:3] == f"{d[:2]} " and industry_division(label) == d
            except UnknownCodeError:
                ok = False
        if not ok:
            raise ImportFormatError(
                f"category code {c} should carry the label for division "
                f"{d or 'does-not-apply'}, found {label!r}",
                file=file,
                row=i + 2,
                column=label_col,
            )
        checked[pair] = d
    div = [checked[p] for p in pairs]
    value = to_numeric_strict(frame[val_col], file=file, column=val_col)
    _fail_if(value < 0, frame, val_col, "a count of zero or more", file)
    _check_unique_complete(lad, cat, n_cat=88, file=file, what="industry category")
    div_s = pd.Series(div, index=frame.index)
    dna = div_s.eq("")
    emp = _obs(
        "census2021_ts060",
        lad[~dna],
        value[~dna],
        measure="residents_in_employment",
        industry_scheme="SIC2007_DIV",
        industry_code=div_s[~dna],
    )
    emp = _with_total(emp, "industry_code")
    rest = _obs(
        "census2021_ts060",
        lad[dna],
        value[dna],
        measure="usual_residents",
        status="does_not_apply",
    )
    return pd.concat([emp, rest], ignore_index=True)


def read_census2021_ts060(root: Path) -> ImportResult:
    """Read Census 2021 TS060 (industry by LAD, England & Wales)."""
    path = Path(root) / TS060_FILE
    obs = parse_ts060(read_csv_strict(path, required=_TS060_COLS), file=str(path))
    n = obs["geo_code"].nunique()
    return ImportResult(
        observations=obs,
        coverage=f"{n} LADs (2021), England & Wales x 87 SIC 2007 division categories",
    )


#: The six GM tables: name -> (file name, category column, number of categories).
GM_TABLES: dict[str, tuple[str, str, int]] = {
    "economic_activity": (
        "2021_economic_activity_status_la_gm.csv",
        "economic_activity_status",
        19,
    ),
    "hours_worked": ("2021_hours_worked_la_gm.csv", "hours_worked_category", 4),
    "occupation_major": ("2021_occupation_la_gm.csv", "occupation", 9),
    "occupation_minor": ("2021_occupation_detailed_la_gm.csv", "occupation", 104),
    "industry": ("2021_industry_la_gm.csv", "industry", 87),
    "population_by_sex": ("2021_population_by_sex_la_gm.csv", "indicator", 3),
}


def _lookup(mapping: dict[str, str], what: str) -> Callable[[Any], str]:
    def get(label: object) -> str:
        key = str(label).strip()
        if key not in mapping:
            raise UnknownCodeError(f"not a known {what} category")
        return mapping[key]

    return get


def parse_gm_table(frame: pd.DataFrame, *, file: str, table: str) -> pd.DataFrame:
    """Turn one Greater Manchester Census 2021 table into observation rows.

    Parameters
    ----------
    frame : pandas.DataFrame
        The file read with every column as text.
    file : str
        File name for messages.
    table : str
        One of :data:`GM_TABLES`.

    Raises
    ------
    ImportFormatError
        On a missing column, a LAD outside Greater Manchester, a period other
        than 2021-03-21, a measure/unit other than Count/Persons, an unknown
        category (occupation title, industry, status), a non-numeric or
        negative value, a repeated or missing LAD x category.
    """
    if table not in GM_TABLES:
        raise ValueError(f"table must be one of {list(GM_TABLES)}, got {table!r}")
    _fname, cat_col, n_cat = GM_TABLES[table]
    required = ["area_code", "period", "measure", "unit", "value", cat_col]
    require_columns(frame, required, file=file)
    geo = clean_text(frame, "area_code")
    _fail_if(
        ~geo.isin(list(GM_LADS)),
        frame,
        "area_code",
        "one of the 10 Greater Manchester LAD codes E08000001..E08000010",
        file,
    )
    _fail_if(clean_text(frame, "period").ne(CENSUS_DATE), frame, "period", repr(CENSUS_DATE), file)
    _fail_if(clean_text(frame, "measure").ne("Count"), frame, "measure", "'Count'", file)
    _fail_if(clean_text(frame, "unit").ne("Persons"), frame, "unit", "'Persons'", file)
    value = to_numeric_strict(frame["value"], file=file, column="value")
    _fail_if(value < 0, frame, "value", "a count of zero or more", file)
    cat = clean_text(frame, cat_col)
    _check_unique_complete(
        geo, cat, n_cat=n_cat, file=file, what=table.replace("_", " ")
    )

    ds = "census2021_gm"
    if table == "economic_activity":
        status = _map_column(
            frame,
            cat_col,
            _lookup(ECONOMIC_ACTIVITY, "economic activity"),
            file,
            "economic activity status",
        )
        return _obs(ds, geo, value, measure="residents_16_plus", status=status)
    if table == "hours_worked":
        status = _map_column(
            frame,
            cat_col,
            _lookup(HOURS_WORKED, "hours worked"),
            file,
            "hours worked category",
        )
        return _obs(ds, geo, value, measure="residents_in_employment", status=status)
    if table == "population_by_sex":
        status = _map_column(frame, cat_col, _lookup(_SEX, "sex"), file, "sex category")
        return _obs(ds, geo, value, measure="usual_residents", status=status)
    if table == "industry":
        codes = _map_column(frame, cat_col, industry_division, file, "industry")
        obs = _obs(
            ds,
            geo,
            value,
            measure="residents_in_employment",
            industry_scheme="SIC2007_DIV",
            industry_code=codes,
        )
        return _with_total(obs, "industry_code")
    level = "major" if table == "occupation_major" else "minor"
    codes = _map_column(
        frame,
        cat_col,
        lambda t: soc2020_code(t, level=level),
        file,
        f"SOC 2020 {level} group title",
    )
    obs = _obs(
        ds,
        geo,
        value,
        measure="residents_in_employment",
        occupation_scheme=f"SOC2020_{level.upper()}",
        occupation_code=codes,
    )
    return _with_total(obs, "occupation_code")


def read_census2021_gm(root: Path) -> ImportResult:
    """Read the six Census 2021 tables for the 10 Greater Manchester LADs."""
    parts = []
    for table, (fname, cat_col, _n) in GM_TABLES.items():
        path = Path(root) / GM_FOLDER / fname
        frame = read_csv_strict(path, required=["area_code", "value", cat_col])
        parts.append(parse_gm_table(frame, file=str(path), table=table))
    obs = pd.concat(parts, ignore_index=True)
    return ImportResult(
        observations=obs,
        coverage=(
            "10 Greater Manchester LADs (2021): economic activity (19 statuses), hours "
            "worked (4), occupation SOC 2020 major (9) and minor (104) groups, "
            "industry (87 SIC 2007 division categories), population by sex"
        ),
    )


_CENSUS_CAVEATS = (
    "Residence-based: residents counted where they live on census day (21 March 2021), "
    "not jobs where they work.",
    "Census 2021 was taken during a COVID-19 lockdown and furlough; ONS advises care "
    "with labour-market topics.",
    "ONS perturbs cells (cell-key method), so table totals for one area can differ "
    "by a few persons; _T rows are derived sums of the published categories.",
)

DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id="census2021_ts060",
        kind=kinds.CENSUS_INDUSTRY,
        title="Census 2021 TS060: industry (88 categories) by LAD, England and Wales",
        publisher="Office for National Statistics",
        licence=OGL,
        source_url="https://www.ons.gov.uk/datasets/TS060/editions/2021/versions/1",
        vintage="2021",
        files=(TS060_FILE,),
        reader=read_census2021_ts060,
        caveats=(
            *_CENSUS_CAVEATS,
            "SIC 2007 divisions (2-digit) only: the 31-class DCMS creative definition "
            "can only be approximated (e.g. divisions 58, 59, 60, 90, 91).",
            "Categories '41-43' (construction together) and '48' (census-only "
            "wholesale and retail n.o.s.) are not single SIC divisions.",
            "Population base is all usual residents: 'Does not apply' (not in "
            "employment, including children) is stored as measure usual_residents, "
            "status does_not_apply.",
        ),
    ),
    DatasetSpec(
        id="census2021_gm",
        kind=kinds.CENSUS_GM_WORKFORCE,
        title="Census 2021 labour-market tables for the 10 Greater Manchester LADs",
        publisher="Office for National Statistics; prepared by Trafford Data Lab",
        licence=OGL,
        source_url=(
            "https://www.ons.gov.uk/releases/labourmarketandtraveltoworkcensus2021inenglandandwales"
        ),
        vintage="2021",
        files=(
            *(f"{GM_FOLDER}/{f}" for f, _c, _n in GM_TABLES.values()),
            f"{GM_FOLDER}/README.md",
        ),
        reader=read_census2021_gm,
        caveats=(
            *_CENSUS_CAVEATS,
            "Greater Manchester only; the only Census occupation and self-employment "
            "tables in the reference data.",
            "Occupation codes are assigned from titles (SOC 2020 minor and major "
            "groups).",
        ),
    ),
]
