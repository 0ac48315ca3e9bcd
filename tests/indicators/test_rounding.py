"""The rounding interval of a rate from counts published rounded to 5 (indicators.rounding)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from creative_clusters.errors import ParameterError
from creative_clusters.indicators.rounding import cohort_counts, rounded_rate_interval, rounding_error


def test_hand_worked_interval():
    # 15 births of 170 active enterprises, each published rounded to 5: 13 to 17 births of 168 to 172
    lo, hi = rounded_rate_interval(15, 170)
    assert lo == pytest.approx(100 * 13 / 172)
    assert hi == pytest.approx(100 * 17 / 168)
    # a sum of 3 rounded counts is within 6: 30 of 300 -> 24 of 306 to 36 of 294
    lo, hi = rounded_rate_interval(30, 300, error=rounding_error(3))
    assert (lo, hi) == pytest.approx((100 * 24 / 306, 100 * 36 / 294))
    # a published 0 is 0 to 2; a count equal to its base cannot rise above it
    assert rounded_rate_interval(0, 50) == pytest.approx((0.0, 100 * 2 / 48))
    assert rounded_rate_interval(10, 10)[1] == 100.0
    # a base that rounding could bring to 0 leaves the top at the scale
    assert rounded_rate_interval(1, 2) == pytest.approx((0.0, 100.0))


def test_bad_inputs_say_what_was_expected():
    with pytest.raises(ParameterError, match="count of at most its base"):
        rounded_rate_interval(20, 10)
    with pytest.raises(ParameterError, match="at least 1"):
        rounding_error(0)


counts = st.integers(min_value=0, max_value=2000).map(lambda x: 5.0 * x)


@given(c=counts, extra=counts, k=st.integers(min_value=1, max_value=4))
def test_the_published_rate_lies_within_its_interval(c, extra, k):
    b = c + extra
    if b <= 0:
        return
    lo, hi = rounded_rate_interval(c, b, error=rounding_error(k))
    rate = 100 * c / b
    assert 0 <= lo <= rate + 1e-9 and rate - 1e-9 <= hi <= 100


@given(c=st.integers(min_value=1, max_value=400), share=st.floats(min_value=0.05, max_value=0.95),
       factor=st.integers(min_value=2, max_value=20))
def test_the_interval_widens_as_counts_shrink(c, share, factor):
    # the same rate on fewer firms: the rounding moves it further
    small_b = 5.0 * c
    small_c = 5.0 * round(share * c)
    big_b, big_c = small_b * factor, small_c * factor
    lo_s, hi_s = rounded_rate_interval(small_c, small_b)
    lo_b, hi_b = rounded_rate_interval(big_c, big_b)
    assert lo_s <= lo_b + 1e-9 and hi_b <= hi_s + 1e-9
    assert hi_s - lo_s > hi_b - lo_b


def test_cohort_counts_sum_the_members():
    d = pd.DataFrame({"geo_code": ["A", "A", "A", "B", "B", "B"], "period": "2021",
                      "status": ["", "", "3-year"] * 2,
                      "measure": ["active_enterprises", "birth_rate_pct", "survival_rate_pct"] * 2,
                      "value": [165.0, 100 * 15 / 165, 100 * 10 / 15, 1000.0, 10.0, 55.0]})
    assert cohort_counts(d, ["A", "B"], "2021") == (10.0 + 55.0, 15.0 + 100.0)
    assert cohort_counts(d, ["A"], "2020") is None
