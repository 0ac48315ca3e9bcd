"""A TTWA holding no local authority's majority says which LAD stands in for it (review of 5 December).

Was: `profile ttwa:Poole` and `ttwa:Bournemouth` showed the same figures (Bournemouth, Christchurch and Poole
in both) under the same generic rule, so a reader could add the two and count BCP twice.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows.places import resolve_place

pytestmark = pytest.mark.realdata


def test_a_borrowed_member_is_named_with_the_ttwa_that_counts_it(full_warehouse):
    poole, bournemouth = resolve_place(full_warehouse, "ttwa:Poole"), resolve_place(full_warehouse, "ttwa:Bournemouth")
    assert poole.members == bournemouth.members  # the premise: Poole TTWA holds no LAD's majority
    assert "approximated by Bournemouth, Christchurch and Poole" in poole.member_rule
    assert "in the Bournemouth travel-to-work area: the two show the same figures" in poole.member_rule
    assert bournemouth.member_rule.startswith("majority rule")
