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
(:mod:`creative_clusters.sources.census2021_codes`, which also holds the
industry, economic-activity and hours-worked categories). An unknown title is an
:class:`~creative_clusters.errors.ImportFormatError`. ``_T`` rows (occupation
minor and major, industry) are derived sums of the published categories.
ONS perturbs census cells (cell-key method) table by table, so totals of
different tables for one LAD differ by a few persons (at most 7 in the GM files).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import ImportFormatError, UnknownCodeError
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
from creative_clusters.sources.census2021_codes import (
    DIVISION_BY_CATEGORY,
    ECONOMIC_ACTIVITY,
    HOURS_WORKED,
    SEX,
    industry_division,
    soc2020_code,
)

__all__ = [
    "DATASETS",
    "GM_LADS",
    "GM_TABLES",
    "parse_gm_table",
    "parse_ts060",
    "read_census2021_gm",
    "read_census2021_ts060",
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
    fail_first(
        dup,
        lambda pos: (
            f"area {geo.iloc[pos]!r} x {what} {cat.iloc[pos]!r} appears twice; "
            "each must appear once"
        ),
        file=file,
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
    known = {"-8", *(str(c) for c in DIVISION_BY_CATEGORY)}
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
        d = "" if c == "-8" else DIVISION_BY_CATEGORY[int(c)]
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
        status = _map_column(frame, cat_col, _lookup(SEX, "sex"), file, "sex category")
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
