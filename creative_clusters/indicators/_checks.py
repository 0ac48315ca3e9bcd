"""Input checks shared by the indicator functions and the cluster estimators.

Every message names the caller, says what was expected, what came and how
to fix it (house style §2.6).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from creative_clusters._counts import FLAG_ORDER, flag_rank, worst_flag
from creative_clusters.errors import ParameterError, SchemaError

__all__ = [
    "FLAG_ORDER",
    "check_columns",
    "check_not_empty",
    "check_numeric_non_negative",
    "check_single_value",
    "check_unique_keys",
    "check_years",
    "flag_rank",
    "worst_flag",
]



def check_columns(
    data: pd.DataFrame, required: Iterable[str | None], *, caller: str, hint: str = ""
) -> None:
    """Raise :class:`SchemaError` naming the columns ``data`` lacks."""
    if not isinstance(data, pd.DataFrame):
        raise SchemaError(f"{caller} expects a pandas DataFrame, got {type(data).__name__}.")
    missing = [c for c in required if c is not None and c not in data.columns]
    if missing:
        raise SchemaError(
            f"{caller} needs column(s) {missing}, but the table has "
            f"{list(data.columns)}. {hint}".rstrip()
        )


def check_not_empty(data: pd.DataFrame, *, caller: str, what: str = "the table") -> None:
    """Raise when ``data`` has no rows (e.g. an over-tight filter)."""
    if len(data) == 0:
        raise SchemaError(
            f"{caller}: {what} has no rows. Check the filters (sub-sector, year, level) "
            "and that the dataset was imported with `creative-clusters data import DIR`."
        )


def check_numeric_non_negative(data: pd.DataFrame, column: str, *, caller: str) -> np.ndarray:
    """Return ``data[column]`` as float; raise on text or negative counts.

    NaN is allowed (a suppressed cell); it is never turned into 0.
    """
    try:
        values: np.ndarray = pd.to_numeric(data[column], errors="raise").to_numpy(dtype="float64")
    except (ValueError, TypeError) as exc:
        raise SchemaError(
            f"{caller} expects numbers in column {column!r}; {exc}. "
            "Convert the column with pandas.to_numeric first."
        ) from None
    negative = values < 0
    if negative.any():
        examples = data.loc[negative].head(3).to_dict("records")
        raise SchemaError(
            f"{caller} expects counts >= 0 in {column!r}; {int(negative.sum())} row(s) "
            f"are negative, e.g. {examples}. Counts cannot be negative: fix the source rows."
        )
    if np.isinf(values).any():
        raise SchemaError(f"{caller}: column {column!r} holds infinite values; expected counts.")
    return values


def check_unique_keys(data: pd.DataFrame, keys: Sequence[str], *, caller: str) -> None:
    """Raise when two rows share the same key (e.g. geo × industry × period)."""
    dup = data.duplicated(list(keys), keep=False)
    if dup.any():
        examples = data.loc[dup, list(keys)].head(4).to_dict("records")
        raise SchemaError(
            f"{caller}: {int(dup.sum())} row(s) share the same {list(keys)}; each "
            f"combination must appear once. First duplicates: {examples}. Filter to one "
            "dataset/measure/period, or sum the duplicates with aggregate_counts()."
        )


def check_single_value(
    data: pd.DataFrame, column: str, *, caller: str, what: str, fix: str
) -> str | None:
    """Raise when ``column`` (if present) mixes several values, e.g. boundary vintages."""
    if column not in data.columns:
        return None
    values = sorted({str(v) for v in data[column].dropna().unique()})
    if len(values) > 1:
        raise SchemaError(
            f"{caller}: the table mixes {what} {values} in column {column!r}; expected one. {fix}"
        )
    return values[0] if values else None


def check_param(name: str, value: object, ok: bool, expected: str, *, owner: str) -> None:
    """sklearn-style parameter error: ``The 'x' parameter of Y must be … Got … instead.``"""
    if not ok:
        raise ParameterError(
            f"The {name!r} parameter of {owner} must be {expected}. Got {value!r} instead."
        )



def check_years(periods: Sequence[str | int]) -> list[int]:
    """The distinct years of ``periods``, sorted; at least two, each a year such as ``"2019"``."""
    try:
        years = sorted({int(str(p)) for p in periods})
    except ValueError:
        raise ParameterError(
            f"trajectory windows need periods that are years such as '2019'; got {sorted(map(str, periods))[:5]}"
        ) from None
    if len(years) < 2:
        raise ParameterError(f"a trajectory needs at least two years; got {years}.")
    return years

def warn(message: str, *, stacklevel: int = 3) -> None:
    """``warnings.warn`` with the caller's frame as the source."""
    warnings.warn(message, UserWarning, stacklevel=stacklevel)
