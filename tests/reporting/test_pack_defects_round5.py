"""Fifth review of the packs as a bid writer reads them (issue 12): each test failed before its fix.

Real bundle; expected values come from the source files through the warehouse.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows import evidence as E
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def nd(full_home):
    return E.load_national(full_home)


def _all_notes(ctx) -> list[str]:
    return [n for s in ctx["sections"] for t in s["tables"] for n in t["notes"]]


def test_the_baseline_names_a_percentile_base_only_beside_percentiles(nd):
    # was: Scotland's baseline table (no benchmark: it ranks English LADs only) ended "Percentiles are among
    # the English local authorities on the benchmark's base." under rows without a percentile
    for query, ranked in (("region:Scotland", False), ("Sheffield", True)):
        notes = [n for n in _all_notes(pack_context(nd, query)) if n.startswith("Latest values in this pack")]
        assert len(notes) == 1, query
        assert ("Percentiles are among" in notes[0]) is ranked, query


def test_a_nation_is_not_said_to_be_in_itself(nd):
    # was: "Census 2021 TS060 covers England and Wales only; Scotland is in Scotland, whose own census ..."
    missing = " ".join(section(pack_context(nd, "region:Scotland"), "workforce")["missing"])
    assert "Scotland is in Scotland" not in missing
    assert "Scotland's own census (Scotland's Census 2022)" in missing
    missing = " ".join(section(pack_context(nd, "Glasgow City"), "workforce")["missing"])
    assert "Glasgow City is in Scotland, whose own census" in missing
