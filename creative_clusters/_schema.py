"""Column names and types of the tidy tables: one shape per layer.

The **observation table** is the one shape every importer and API client
produces and the warehouse stores. One row per published number.

Conventions
-----------
- Codes are strings (``"5911"``, ``"E06000023"``), never numbers.
- ``""`` (empty string) in a dimension means *not applicable* (a deprivation
  rank has no industry); ``"_T"`` means *total over that dimension* (all
  industries, all occupations).
- ``value`` is ``NaN`` when the cell was suppressed or not available; the
  ``disclosure_flag`` then says why. A suppressed cell is never a zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "DISCLOSURE_FLAGS",
    "OBS_COLUMNS",
    "OBS_KEY",
    "TOTAL",
    "empty_observations",
    "text_from_codes",
    "validate_observations",
]

#: Marks a total over a dimension (SDMX convention).
TOTAL = "_T"

#: Column → pandas dtype of the observation table, in order.
OBS_COLUMNS: dict[str, str] = {
    "dataset": "string",
    "dataset_vintage": "string",
    "geo_code": "string",
    "geo_type": "string",  # lad, cauth, rgn, ctry, uk, nuts2, itl3, ttwa, lsoa, ward, custom
    "geo_vintage": "string",  # boundary year, e.g. "2023"
    "industry_scheme": "string",  # SIC2007, DCMS_CI, NESTA_SEGMENT, or ""
    "industry_code": "string",
    "occupation_scheme": "string",  # SOC2010, SOC2020, DCMS_CO, or ""
    "occupation_code": "string",
    "status": "string",  # breakdown: employment status, sex, age band, ... ("" if none)
    "period": "string",  # "2025", "2024", "2021-03-21", "2021/22"
    "measure": "string",  # enterprises, employment, persons, rate_pct, rank, ...
    "value": "float64",
    "disclosure_flag": "string",
}

#: Columns that identify one observation; duplicates are an error.
OBS_KEY: list[str] = [
    "dataset",
    "geo_code",
    "geo_vintage",
    "industry_scheme",
    "industry_code",
    "occupation_scheme",
    "occupation_code",
    "status",
    "period",
    "measure",
]

#: The allowed disclosure flags.
DISCLOSURE_FLAGS: tuple[str, ...] = (
    "as-published",
    "rounded",
    "suppressed",
    "low-reliability",
)


def empty_observations() -> pd.DataFrame:
    """Return an observation table with no rows and the right dtypes.

    Examples
    --------
    >>> list(empty_observations().columns)[:3]
    ['dataset', 'dataset_vintage', 'geo_code']
    """
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in OBS_COLUMNS.items()})


def validate_observations(table: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Check and coerce a table to the observation shape.

    Missing optional dimensions are filled with ``""``; extra columns are
    dropped. Raises :class:`~creative_clusters.errors.SchemaError` for missing
    required columns, unknown disclosure flags, non-numeric values or
    duplicate keys, naming ``source``.

    Examples
    --------
    >>> t = pd.DataFrame({"dataset": ["x"], "dataset_vintage": ["2025"],
    ...     "geo_code": ["E09000033"], "geo_type": ["lad"], "geo_vintage": ["2023"],
    ...     "period": ["2025"], "measure": ["enterprises"], "value": [10350.0],
    ...     "disclosure_flag": ["rounded"]})
    >>> validate_observations(t, source="example")["industry_code"].tolist()
    ['']
    """
    from creative_clusters.errors import SchemaError

    required = [
        "dataset",
        "dataset_vintage",
        "geo_code",
        "geo_type",
        "geo_vintage",
        "period",
        "measure",
        "value",
        "disclosure_flag",
    ]
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise SchemaError(
            f"{source}: observation table needs column(s) {missing}; it has "
            f"{list(table.columns)}."
        )
    out = table.copy()
    for col in OBS_COLUMNS:
        if col not in out.columns:
            out[col] = ""
    out = out[list(OBS_COLUMNS)]
    try:
        out["value"] = pd.to_numeric(out["value"], errors="raise").astype("float64")
    except (ValueError, TypeError) as exc:
        raise SchemaError(f"{source}: column 'value' must be numeric: {exc}") from exc
    for col, dtype in OBS_COLUMNS.items():
        if dtype == "string":
            out[col] = out[col].astype("string").fillna("")
    bad_flags = sorted(set(out["disclosure_flag"]) - set(DISCLOSURE_FLAGS))
    if bad_flags:
        raise SchemaError(
            f"{source}: unknown disclosure flag(s) {bad_flags}; expected one of "
            f"{list(DISCLOSURE_FLAGS)}."
        )
    suppressed_zero = out["disclosure_flag"].eq("suppressed") & out["value"].notna()
    if suppressed_zero.any():
        raise SchemaError(
            f"{source}: {int(suppressed_zero.sum())} suppressed cell(s) carry a value; "
            "suppressed cells must have value NaN."
        )
    dup = out.duplicated(OBS_KEY, keep=False)
    if dup.any():
        example = out.loc[dup, OBS_KEY].head(2).to_dict("records")
        raise SchemaError(
            f"{source}: {int(dup.sum())} row(s) share the same key; each observation "
            f"must appear once. First duplicates: {example}"
        )
    return out.reset_index(drop=True)


def text_from_codes(values: Sequence[str], codes: np.ndarray, index: pd.Index | None = None) -> pd.Series:
    """``values[codes]`` as a text column (pandas' ``str`` dtype, Arrow-backed); a code of -1 is missing.

    Built as an Arrow dictionary array and decoded in C++, so no Python
    string is made per row: 5 million rows of a few distinct values take
    about 0.06 s, against about 2 s for ``pd.Series(object_array)`` (pandas
    converts each Python string). The result equals the latter.

    Examples
    --------
    >>> text_from_codes(["", "clustered", "excluded"], np.array([1, 0, -1, 2])).tolist()
    ['clustered', '', nan, 'excluded']
    >>> text_from_codes(["a"], np.array([0, 0])).dtype
    <StringDtype(na_value=nan)>
    """
    import pyarrow as pa

    codes = np.asarray(codes)
    if codes.ndim != 1 or not np.issubdtype(codes.dtype, np.integer):
        raise TypeError(f"codes must be a 1-d integer array; got {codes.dtype} with shape {codes.shape}")
    if len(codes) and (codes.max() >= len(values) or codes.min() < -1):
        raise ValueError(f"codes must be in -1..{len(values) - 1}; got {codes.min()}..{codes.max()}")
    missing = codes < 0
    dictionary = pa.array(list(values), type=pa.large_string())
    arr = pa.DictionaryArray.from_arrays(pa.array(np.where(missing, 0, codes).astype(np.int32),
                                                  mask=missing if missing.any() else None), dictionary)
    return pd.Series(arr.cast(pa.large_string()), dtype="str", index=index)
