"""One rule for "the most deprived tenth": a group's count of members in it agrees with the decile table.

Was: the Greater Manchester pack said 5 of its 10 boroughs were among the most deprived tenth of the 296
(rank <= ceil(296/10) = 30, so Bolton at rank 30 counted) while its own decile table put 4 in decile 1
(ceil(10 x rank / n): rank 30 is 10.1% of 296, decile 2). Real bundle.
"""

from __future__ import annotations

import pytest

from creative_clusters.people.inclusion import decile_of_rank
from creative_clusters.workflows.evidence_stats import deprivation

pytestmark = pytest.mark.realdata

GM = ["E08000001", "E08000002", "E08000003", "E08000004", "E08000005", "E08000006", "E08000007", "E08000008",
      "E08000009", "E08000010"]


def test_a_groups_most_deprived_tenth_is_decile_one(nd):
    dep = deprivation(nd.deprivation, GM)
    assert dep is not None and dep.of and dep.members_ranked == len(GM)
    ranks = [int(deprivation(nd.deprivation, [m]).rank) for m in GM]  # each borough's published rank
    assert dep.members_most_deprived_decile == sum(decile_of_rank(r, dep.of) == 1 for r in ranks)
    assert decile_of_rank(dep.of // 10 + 1, dep.of) == 2 or dep.of % 10 == 0  # 30 of 296 is not in the tenth
