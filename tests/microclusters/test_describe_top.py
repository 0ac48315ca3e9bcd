"""describe._top_by_codes against a plain pandas count: commonest values per label, ties to the first seen."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from creative_clusters.microclusters.describe import _top_by_codes


def _naive(lab, codes, uniq, top):
    rows = []
    for label in sorted(set(lab[codes >= 0].tolist())):
        vals = [int(c) for lb, c in zip(lab, codes, strict=True) if lb == label and c >= 0]
        counts = pd.Series(vals).value_counts(sort=False)  # in order of first occurrence
        first = {v: vals.index(v) for v in counts.index}
        best = sorted(counts.index, key=lambda v: (-counts[v], first[v]))[:top]
        rows += [[label, uniq[v], int(counts[v])] for v in best]
    return rows


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(-1, 3)), max_size=60), st.integers(1, 3))
def test_equals_a_plain_count(pairs, top):
    lab = np.array([p[0] for p in pairs], dtype=np.int64)
    codes = np.array([p[1] for p in pairs], dtype=np.int64)
    uniq = np.array(["w", "x", "y", "z"], dtype=object)
    got = _top_by_codes(lab, codes, uniq, top)
    assert got.values.tolist() == _naive(lab, codes, uniq, top)
