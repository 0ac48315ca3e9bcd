"""peer_pool: one grouped sum equals summing each place's member LADs one by one."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.benchmarking.peers import peer_features
from creative_clusters.workflows.evidence_stats import peer_pool

LADS = [f"E0600000{i}" for i in range(6)]


def _reference(enterprises: pd.DataFrame, active: pd.Series, area: pd.Series | None,
               groups: dict[str, list[str]]) -> pd.DataFrame:
    """The place-by-place definition (the loop peer_pool replaced)."""
    rows, act, ar = [], {}, {}
    for c, members in groups.items():
        mem = [m for m in members if m in enterprises.index]
        if not mem:
            continue
        rows.append(enterprises.loc[mem].sum(min_count=1).rename(c))
        act[c] = float(active.reindex(mem).sum())
        ar[c] = float(area.reindex(mem).sum()) if area is not None else np.nan
    if not rows:
        return pd.DataFrame()
    wide = pd.DataFrame(rows).astype(float)
    return peer_features(wide, pd.Series(act) / pd.Series(ar).where(pd.Series(ar) > 0))


cell = st.one_of(st.none(), st.integers(0, 500)).map(lambda v: np.nan if v is None else float(v))


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.tuples(cell, cell), min_size=1, max_size=len(LADS)),
    active=st.lists(st.one_of(st.none(), st.floats(0, 1e4)), min_size=len(LADS), max_size=len(LADS)),
    area=st.one_of(st.none(), st.lists(st.floats(0, 500), min_size=len(LADS), max_size=len(LADS))),
    groups=st.dictionaries(st.sampled_from(["A", "B", "C", "D"]),
                           st.lists(st.sampled_from([*LADS, "E06999999"]), min_size=1, max_size=4, unique=True),
                           min_size=1, max_size=4),
)
def test_peer_pool_matches_member_sums(counts, active, area, groups) -> None:
    ent = pd.DataFrame(counts, columns=["film", "music"], index=LADS[: len(counts)])
    act = pd.Series([np.nan if a is None else a for a in active], index=LADS, dtype=float)
    ar = None if area is None else pd.Series(area, index=LADS, dtype=float)
    got = peer_pool(ent, act, ar, groups)
    want = _reference(ent, act, ar, groups)
    if want.empty:
        assert got.empty
    else:
        pd.testing.assert_frame_equal(got, want, check_names=False)


def test_peer_pool_known_values() -> None:
    ent = pd.DataFrame({"film": [10.0, np.nan, 5.0], "music": [30.0, np.nan, np.nan]}, index=LADS[:3])
    act = pd.Series({LADS[0]: 100.0, LADS[1]: 50.0, LADS[2]: 10.0})
    area = pd.Series({LADS[0]: 2.0, LADS[1]: 3.0, LADS[2]: 5.0})
    got = peer_pool(ent, act, area, {"X": [LADS[0], LADS[2]], "Y": [LADS[1]], "Z": ["E06999999"]})
    assert list(got.index) == ["X", "Y"]  # Z has no member with counts
    assert got.loc["X", "size"] == 45.0 and got.loc["X", "share_film"] == 15 / 45
    assert got.loc["X", "density"] == 110 / 7
    assert np.isnan(got.loc["Y", "size"])  # every count missing: missing, never zero
