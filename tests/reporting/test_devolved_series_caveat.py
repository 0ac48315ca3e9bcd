"""The annual series' rows for Scotland, Wales and Northern Ireland are not cross-checked: the packs there say so."""

from __future__ import annotations

import pytest

from creative_clusters import kinds
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata



def _series_notes(ctx, name):
    table = next(t for t in section(ctx, "growth")["tables"] if t["title"].startswith(f"Creative enterprises, {name}"))
    return " ".join(table["notes"])


def test_the_catalogue_says_the_devolved_rows_are_not_cross_checked(full_warehouse):
    """M2: the catalogue said only "Third-party extract of Nomis data (...)", although the data README records
    that only England's sums were checked against ONS."""
    ref = full_warehouse.find_dataset(kinds.CREATIVE_ENTERPRISES_SERIES)
    text = " ".join(ref.caveats)
    assert "England only" in text
    assert any(c.startswith("Scotland, Wales and Northern Ireland:") and "not yet cross-checked" in c
               for c in ref.caveats)


@pytest.mark.parametrize("place", ["Cardiff", "Glasgow City", "Belfast"])
def test_a_devolved_pack_shows_it_under_the_series(nd, place):
    """M2: Cardiff's section 3 table credited the series to "Office for National Statistics (Inter-Departmental
    Business Register), via Nomis" with no word that its Welsh rows were never checked against ONS."""
    ctx = pack_context(nd, place)
    caveat = next(c for r in nd.sources if r.get("kind") == kinds.CREATIVE_ENTERPRISES_SERIES
                  for c in str(r.get("caveats", "")).split(" | ") if c.startswith("Scotland, Wales"))
    assert caveat.strip() in _series_notes(ctx, place)


def test_an_english_pack_does_not(nd):
    assert "not yet cross-checked" not in _series_notes(pack_context(nd, "Sheffield"), "Sheffield")


@pytest.mark.parametrize("place", ["Cardiff", "Belfast"])
def test_section_2_shows_it_where_the_series_gives_the_lqs(nd, place):
    """Section 2's count and LQs of a devolved place come from the same series; its table said nothing of it.
    It points to the caveat, said in full once under section 3's series table (it was said in both)."""
    ctx = pack_context(nd, place)
    table = section(ctx, "scale")["tables"][0]
    assert table["title"].endswith("(annual series)")
    assert any("caveat on the annual series' rows outside England, given under the series table in section 3" in n
               for n in table["notes"])
    assert not any("not yet cross-checked" in n for n in table["notes"])
    assert "not yet cross-checked" in _series_notes(ctx, place)
    english = section(pack_context(nd, "Sheffield"), "scale")["tables"]
    assert not any("not yet cross-checked" in n for t in english for n in t["notes"])
