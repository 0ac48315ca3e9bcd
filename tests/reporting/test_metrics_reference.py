"""The Garwood interval (via scipy.special.gammaincinv) agrees with the chi-square reference formula."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2

from creative_clusters.reporting.metrics import poisson_interval


@pytest.mark.parametrize("count", [0, 1, 2, 7, 49.5, 50, 1610, 10_350])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_matches_chi_square_formula(count, level):
    a = 1 - level
    lo_ref = 0.0 if count <= 0 else chi2.ppf(a / 2, 2 * count) / 2
    hi_ref = chi2.ppf(1 - a / 2, 2 * count + 2) / 2
    lo, hi = poisson_interval(count, level)
    assert lo == pytest.approx(lo_ref, rel=1e-10, abs=1e-12)
    assert hi == pytest.approx(hi_ref, rel=1e-10)


def test_published_table_value():
    # Garwood (1936) 95% limits for x = 10: 4.795 to 18.390
    lo, hi = poisson_interval(10)
    assert (round(lo, 3), round(hi, 3)) == (4.795, 18.39)
    assert np.isnan(poisson_interval(float("nan"))[0])
