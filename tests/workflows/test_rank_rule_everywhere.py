"""One rule for ranks in every output: the profile (and the web, which serves it) and the pack agree.

A published 0 (0 to 2 firms) is never ranked, nor is one sub-sector's count
under ``MIN_RANK_COUNT``; every place with a value still counts in "of n".
Real bundle; the expected ranks come from the source counts.
"""

from __future__ import annotations

import pytest

from creative_clusters.indicators.ranking import MIN_RANK_COUNT
from creative_clusters.reporting._model import SUBSECTOR_NAMES
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.placestats import place_statistics
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata


def _pack_rank(nd, query: str, label: str, subsectors: tuple[str, ...] = ()) -> int | None:
    table = section(pack_context(nd, query, subsectors), "scale")["tables"][0]
    col = table["columns"].index("Rank among English LADs (by enterprises)")
    row = next(r for r in table["rows"] if r[0].removesuffix(" (focus)") == label)
    v = row[col]
    return None if v is None or v != v else int(v)


def test_a_published_zero_has_no_rank_in_the_profile(wh):
    # was: `profile "Isles of Scilly"` printed "Business location quotient: 0.00 ... rank 296 of 296", a rank
    # the pack withholds
    st = place_statistics(wh, resolve_place(wh, "Isles of Scilly"))
    assert st.figures["creative_enterprises"].value == 0
    assert st.figures["creative_enterprises"].rank is None
    assert st.figures["business_lq"].rank is None
    sheffield = place_statistics(wh, resolve_place(wh, "Sheffield"))
    assert sheffield.figures["business_lq"].rank_of == 296  # the zero still counts among the 296


@pytest.mark.parametrize("query", ["Sheffield", "Manchester", "Isles of Scilly"])
def test_the_pack_and_the_profile_give_one_rank_of_all_creative_industries(nd, wh, query):
    st = place_statistics(wh, resolve_place(wh, query))
    assert _pack_rank(nd, query, "All creative industries") == st.figures["creative_enterprises"].rank


def test_a_sub_sector_handful_is_ranked_nowhere_and_a_larger_count_alike_everywhere(nd, wh):
    sub = "crafts"
    counts = nd.enterprises[sub].dropna().sort_index()
    small = next(code for code, c in counts.items() if 0 < c < MIN_RANK_COUNT)
    large = next(code for code, c in counts.items() if c >= 2 * MIN_RANK_COUNT)
    for code, expect_rank in ((small, False), (large, True)):
        place = resolve_place(wh, code)
        fig = place_statistics(wh, place, subsector=sub).figures["creative_enterprises"]
        assert fig.value == counts[code]
        assert (fig.rank is not None) is expect_rank, code
        # the rank is the count's position among the English LADs, ties sharing the best
        if expect_rank:
            assert fig.rank == int((counts > counts[code]).sum()) + 1
        assert _pack_rank(nd, code, SUBSECTOR_NAMES[sub], (sub,)) == fig.rank, code
