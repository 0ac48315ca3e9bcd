"""_schema.text_from_codes: the same column pandas builds from Python strings, without a string per row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creative_clusters._schema import text_from_codes


@given(st.lists(st.text(max_size=6), min_size=1, max_size=5, unique=True).flatmap(
    lambda vals: st.tuples(st.just(vals), st.lists(st.integers(-1, len(vals) - 1), max_size=40))))
def test_equals_the_column_pandas_builds_from_objects(case):
    values, codes = case
    codes = np.array(codes, dtype=np.int64)
    objects = np.array([values[c] if c >= 0 else None for c in codes], dtype=object)
    got = text_from_codes(values, codes)
    pd.testing.assert_series_equal(got, pd.Series(objects, dtype="str"))


def test_keeps_the_index_and_handles_all_missing():
    idx = pd.Index([10, 20])
    got = text_from_codes([], np.array([-1, -1]), index=idx)
    assert got.index.equals(idx) and got.isna().all() and got.dtype == "str"


@pytest.mark.parametrize("codes", [np.array([0, 2]), np.array([-2]), np.array([0.0])])
def test_bad_codes_are_refused(codes):
    with pytest.raises((ValueError, TypeError), match="codes must"):
        text_from_codes(["a", "b"], codes)
