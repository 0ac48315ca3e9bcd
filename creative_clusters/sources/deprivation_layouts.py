"""The published layouts of the Indices of Deprivation LAD summaries, parsed into observations.

Pure parsers, one per layout, used by :mod:`creative_clusters.sources.deprivation`
(which knows the files and datasets):

- :func:`parse_mysociety_wide`: ``Score, Proportion, Extent, <Domain>_<Stat>``
  (mySociety's LAD summaries for each nation);
- :func:`parse_iod_long`: MHCLG's long layout, one row per LAD × domain;
- :func:`parse_iod_wide`: MHCLG's IoD 2025 wide layout, one column per
  domain × statistic (:func:`wide_column_measure`);
- :func:`parse_uk_lsoa_deciles`: the UK-comparable small-area deciles;
- :func:`merge_checked`: the union of two files of one dataset, their
  overlapping values checked against each other.

Domain names become short keys with :func:`domain_key`; measures are
``<domain>_<statistic>`` (see :mod:`creative_clusters.sources.deprivation`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from creative_clusters.errors import ImportFormatError
from creative_clusters.sources._base import fail_first, fail_rows, to_numeric_strict

__all__ = [
    "ENG_LAD",
    "ENG_LAD_WHAT",
    "LONG_STATS",
    "domain_key",
    "merge_checked",
    "parse_iod_long",
    "parse_iod_wide",
    "parse_mysociety_wide",
    "parse_uk_lsoa_deciles",
    "wide_column_measure",
]

#: English LAD codes (E06-E09) and how messages describe them.
ENG_LAD = r"E0[6-9]\d{6}"
ENG_LAD_WHAT = "an English LAD code (E06-E09)"

_DOMAINS = {
    "index of multiple deprivation": "imd",
    "imd": "imd",
    "income": "income",
    "employment": "employment",
    "education": "education",
    "education skills and training": "education",
    "health": "health",
    "health and disability": "health",
    "crime": "crime",
    "barriers to housing and services": "barriers",
    "housing and access": "barriers",
    "housing": "housing",
    "access": "access",
    "environment": "environment",
    "living environment": "environment",
    "income deprivation affecting children": "idaci",
    "income affecting children": "idaci",
    "income deprivation affecting older people": "idaopi",
    "income affecting older people": "idaopi",
}
#: Statistic columns of the MHCLG long LAD summaries → statistic.
LONG_STATS = {
    "average_rank": "average_rank",
    "rank_average_rank": "rank_of_average_rank",
    "average_score": "average_score",
    "rank_average_score": "rank_of_average_score",
    "proportion_bottom_decile": "proportion_most_deprived_10pct",
    "rank_proportion_bottom_decile": "rank_of_proportion_most_deprived_10pct",
}
#: Column-name endings of the IMD 2025 wide file → statistic (longest first).
_WIDE_STATS = (
    (
        "rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally",
        "rank_of_proportion_most_deprived_10pct",
    ),
    (
        "proportion_of_lso_as_in_most_deprived_10_percent_nationally",
        "proportion_most_deprived_10pct",
    ),
    ("rank_of_average_rank", "rank_of_average_rank"),
    ("rank_of_average_score", "rank_of_average_score"),
    ("average_rank", "average_rank"),
    ("average_score", "average_score"),
    ("rank_of_local_concentration", "rank_of_local_concentration"),
    ("local_concentration", "local_concentration"),
    ("rank_of_extent", "rank_of_extent"),
    ("extent", "extent"),
    ("scale", "scale"),
)
_MYSOC_STATS = {
    "score": "average_score",
    "proportion": "proportion_most_deprived_10pct",
    "extent": "extent",
}


def domain_key(name: str) -> str:
    """Short domain key for an IoD domain name; raises ``ValueError`` if unknown.

    Examples
    --------
    >>> domain_key("Living Environment Deprivation"), domain_key("Housing_and_Access")
    ('environment', 'barriers')
    >>> domain_key("Income Deprivation Affecting Children")
    'idaci'
    """
    key = re.sub(r"[^a-z]+", " ", str(name).lower())
    key = re.sub(r"\bdeprivation\b", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    if key == "" and "deprivation" in str(name).lower():
        key = "imd"
    if key == "index of multiple":
        key = "imd"
    if key not in _DOMAINS:
        raise ValueError(
            f"unknown deprivation domain {name!r}; expected one of the IoD domains "
            "(Income, Employment, Education, Health, Crime, Barriers to Housing and "
            "Services, Living Environment, IDACI, IDAOPI) or the overall index"
        )
    return _DOMAINS[key]


def wide_column_measure(column: str) -> str:
    """Measure name for a column of the IMD 2025 wide LAD file.

    Examples
    --------
    >>> wide_column_measure("imd_rank_of_average_score")
    'imd_rank_of_average_score'
    >>> wide_column_measure("imd25_rank_of_extent")
    'imd_rank_of_extent'
    >>> wide_column_measure("rank_of_income_scale")
    'income_rank_of_scale'
    >>> wide_column_measure("living_environment_proportion_of_lso_as_in_most_deprived_10_percent_nationally")
    'environment_proportion_most_deprived_10pct'
    """
    c = column.strip().lower()
    m = re.fullmatch(r"rank_of_(.+)_scale", c)
    if m:
        return f"{domain_key(m.group(1))}_rank_of_scale"
    c = re.sub(r"^imd\d\d_", "imd_", c)
    for suffix, stat in _WIDE_STATS:
        if c.endswith("_" + suffix):
            return f"{domain_key(c[: -len(suffix) - 1].replace('_', ' '))}_{stat}"
    raise ValueError(f"unrecognised IoD column {column!r}")


def _rows(
    dataset: str,
    vintage: str,
    codes: pd.Series,
    geo_type: str,
    geo_vintage: str,
    period: str,
    measure: pd.Series | str,
    values: pd.Series,
) -> pd.DataFrame:
    n = len(codes)
    return pd.DataFrame(
        {
            "dataset": [dataset] * n,
            "dataset_vintage": [vintage] * n,
            "geo_code": codes.to_numpy(),
            "geo_type": [geo_type] * n,
            "geo_vintage": [geo_vintage] * n,
            "industry_scheme": [""] * n,
            "industry_code": [""] * n,
            "occupation_scheme": [""] * n,
            "occupation_code": [""] * n,
            "status": [""] * n,
            "period": [period] * n,
            "measure": measure.to_numpy()
            if isinstance(measure, pd.Series)
            else [measure] * n,
            "value": values.to_numpy(dtype="float64"),
            "disclosure_flag": ["as-published"] * n,
        }
    )


def _check_pattern(
    codes: pd.Series, pattern: str, *, file: str, column: str, what: str
) -> pd.Series:
    """Stripped codes; fail on the first one not matching ``pattern``."""
    codes = codes.fillna("").str.strip()
    bad = ~codes.str.fullmatch(pattern)
    fail_first(
        bad,
        lambda pos: f"unknown area code {codes.iloc[pos]!r}; expected {what}",
        file=file,
        column=column,
    )
    return codes


def _check_codes(
    codes: pd.Series, pattern: str, *, file: str, column: str, what: str
) -> pd.Series:
    codes = _check_pattern(codes, pattern, file=file, column=column, what=what)
    dup = codes.duplicated()
    fail_first(
        dup,
        lambda pos: (
            f"duplicate row: area {codes.iloc[pos]} appears more than once; expected one row "
            "per area"
        ),
        file=file,
        column=column,
    )
    return codes


def parse_mysociety_wide(
    frame: pd.DataFrame,
    *,
    file: str,
    code_column: str,
    pattern: str,
    what: str,
    dataset: str,
    vintage: str,
    geo_vintage: str,
    period: str,
) -> pd.DataFrame:
    """Parse a LAD summary in the ``Score, Proportion, Extent, <Domain>_<Stat>`` layout.

    Un-prefixed columns are the overall index (``imd_``).

    Examples
    --------
    >>> f = pd.DataFrame({"ltla23_code": ["E06000002"], "Score": ["40.46"],
    ...                   "Housing_and_Access_Proportion": ["0.0"]})
    >>> parse_mysociety_wide(f, file="x.csv", code_column="ltla23_code", pattern="E0[6-9][0-9]{6}",
    ...     what="an English LAD code", dataset="d", vintage="2019", geo_vintage="2023",
    ...     period="2019")[["measure", "value"]].values.tolist()
    [['imd_average_score', 40.46], ['barriers_proportion_most_deprived_10pct', 0.0]]
    """
    frame = frame.reset_index(drop=True)
    codes = _check_codes(
        frame[code_column], pattern, file=file, column=code_column, what=what
    )
    parts = []
    for col in frame.columns:
        if col == code_column:
            continue
        m = re.fullmatch(
            r"(?:(.+)_)?(Score|Proportion|Extent)", col.strip(), flags=re.I
        )
        if not m:
            raise ImportFormatError(
                f"unexpected column {col!r}; expected 'Score', 'Proportion', 'Extent' or "
                "'<Domain>_Score|Proportion|Extent'",
                file=file,
                row=1,
                column=col,
            )
        try:
            dom = domain_key(m.group(1)) if m.group(1) else "imd"
        except ValueError as exc:
            raise ImportFormatError(str(exc), file=file, row=1, column=col) from None
        measure = f"{dom}_{_MYSOC_STATS[m.group(2).lower()]}"
        values = to_numeric_strict(frame[col], file=file, column=col)
        parts.append(
            _rows(dataset, vintage, codes, "lad", geo_vintage, period, measure, values)
        )
    return pd.concat(parts, ignore_index=True)


def parse_iod_long(
    frame: pd.DataFrame,
    *,
    file: str,
    code_column: str,
    domain_column: str,
    dataset: str,
    vintage: str,
    geo_vintage: str,
    period: str,
) -> pd.DataFrame:
    """Parse an MHCLG LAD summary in long layout (one row per LAD × domain).

    Stat columns: ``average_rank, rank_average_rank, average_score,
    rank_average_score, proportion_bottom_decile, rank_proportion_bottom_decile``.
    """
    frame = frame.reset_index(drop=True)
    codes = _check_pattern(
        frame[code_column],
        ENG_LAD,
        file=file,
        column=code_column,
        what=ENG_LAD_WHAT,
    )
    doms = []
    for i, name in enumerate(frame[domain_column]):
        try:
            doms.append(domain_key(name))
        except ValueError as exc:
            raise ImportFormatError(
                str(exc), file=file, row=i + 2, column=domain_column
            ) from None
    doms_s = pd.Series(doms, index=frame.index)
    dup = pd.DataFrame({"c": codes, "d": doms_s}).duplicated()
    fail_first(
        dup,
        lambda pos: (
            f"duplicate row: {codes.iloc[pos]} × {frame[domain_column].iloc[pos]!r} appears "
            "more than once"
        ),
        file=file,
    )
    parts = []
    for col, stat in LONG_STATS.items():
        values = to_numeric_strict(frame[col], file=file, column=col)
        parts.append(
            _rows(
                dataset,
                vintage,
                codes,
                "lad",
                geo_vintage,
                period,
                doms_s + "_" + stat,
                values,
            )
        )
    return pd.concat(parts, ignore_index=True)


def parse_iod_wide(
    frame: pd.DataFrame,
    *,
    file: str,
    code_column: str,
    skip: tuple[str, ...],
    dataset: str,
    vintage: str,
    geo_vintage: str,
    period: str,
) -> pd.DataFrame:
    """Parse the MHCLG IoD 2025 wide LAD file (one column per domain × statistic)."""
    frame = frame.reset_index(drop=True)
    codes = _check_codes(
        frame[code_column],
        ENG_LAD,
        file=file,
        column=code_column,
        what=ENG_LAD_WHAT,
    )
    parts = []
    for col in frame.columns:
        if col == code_column or col in skip:
            continue
        try:
            measure = wide_column_measure(col)
        except ValueError as exc:
            raise ImportFormatError(str(exc), file=file, row=1, column=col) from None
        values = to_numeric_strict(frame[col], file=file, column=col)
        parts.append(
            _rows(dataset, vintage, codes, "lad", geo_vintage, period, measure, values)
        )
    return pd.concat(parts, ignore_index=True)


def merge_checked(
    a: pd.DataFrame, b: pd.DataFrame, *, file: str, strict: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Union of two row sets, keeping ``a``'s value where both have a key.

    With ``strict`` overlapping values must agree to published precision, else
    :class:`ImportFormatError`; otherwise the disagreements are returned.
    """
    disagree = pd.DataFrame(columns=["geo_code", "measure", "value", "value_b"])
    key = ["geo_code", "geo_vintage", "period", "measure"]
    both = a.merge(b[[*key, "value"]], on=key, suffixes=("", "_b"))
    if not both.empty:
        # The rounder file publishes 3-4 decimals for scores and proportions and
        # 2 for average ranks (values in the tens of thousands): allow half a unit
        # in the 4th decimal, scaled up for large values. Integer ranks must match.
        tol = 5e-4 * np.maximum(1.0, np.abs(both["value"].to_numpy()) / 100)
        off = ~np.isclose(both["value"], both["value_b"], rtol=0, atol=tol)
        disagree = both.loc[off, ["geo_code", "measure", "value", "value_b"]]
        if strict and off.any():
            r = both[off].iloc[0]
            raise ImportFormatError(
                f"{r['measure']} for {r['geo_code']} is {r['value_b']} here but {r['value']} in "
                f"the other file of the same dataset ({int(off.sum())} disagreement(s))",
                file=file,
            )
    extra = b.merge(a[key], on=key, how="left", indicator=True)
    extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([a, extra], ignore_index=True), disagree




def parse_uk_lsoa_deciles(frame: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Parse ``area_code, IMD_decile`` (UK-comparable deciles, 1 = most deprived).

    All rows get ``geo_type="lsoa"``; ``geo_vintage`` by nation, from the codes
    present in the file: England ``"2021"`` (all 33,755 codes are 2021 LSOAs),
    Wales ``"2011"`` (1,909 LSOAs, the 2011 set), Scotland ``"2011"`` (2011 data
    zones, S01), Northern Ireland ``"2001"`` (890 super output areas, codes like
    ``95GG12S1``).
    """
    frame = frame.reset_index(drop=True)
    codes = _check_codes(
        frame["area_code"],
        r"[EWS]01\d{6}|95[A-Z]{2}\d{2}[A-Z0-9]\d?",
        file=file,
        column="area_code",
        what="an LSOA (E01/W01), data zone (S01) or NI SOA (95xxxxx) code",
    )
    values = to_numeric_strict(frame["IMD_decile"], file=file, column="IMD_decile")
    fail_rows(
        ~values.isin(range(1, 11)),
        file=file,
        column="IMD_decile",
        expected="a decile 1-10",
        values=frame["IMD_decile"],
        found=", found",
    )
    out = _rows(
        "imd_uk_lsoa", "2025", codes, "lsoa", "2011", "2025", "imd_uk_decile", values
    )
    out.loc[codes.str.startswith("E").to_numpy(), "geo_vintage"] = "2021"
    out.loc[codes.str.startswith("95").to_numpy(), "geo_vintage"] = "2001"
    return out
