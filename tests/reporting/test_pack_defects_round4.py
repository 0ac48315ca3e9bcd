"""Fourth review of the packs as a bid writer reads them (issue 12): each test failed before its fix.

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


@pytest.mark.parametrize(("query", "nation"), [("Cardiff", "Wales"), ("Glasgow City", "Scotland"),
                                               ("Belfast", "Northern Ireland")])
def test_methods_of_a_devolved_pack_describe_the_lqs_and_ranks_it_shows(nd, query, nation):
    # was: "Location quotient: ... divided by England's", "Ranks: 1 = most creative enterprises among English
    # local authorities" and "(296 English local authorities)" in packs whose LQs are against the UK and the
    # nation and whose ranks are within the nation and the UK; the caveat named March 2025 counts over 2024
    # active enterprises although the LQs are of one year
    ctx = pack_context(nd, query)
    methods = " ".join(section(ctx, "sources")["methods"])
    assert "divided by England's" not in methods and "among English local authorities" not in methods
    assert f"for the UK and for {nation}" in methods
    assert f"among the local authorities of {nation} and of the UK" in methods
    assert f"percentiles are among the local authorities of {nation}" in methods
    year = str(section(ctx, "scale")["tables"][0]["title"]).split(", ")[-1].split(" ")[0]
    mixed = next(c for c in ctx["caveats"] if c.startswith("Mixed denominators"))
    assert f"(March {year} snapshot)" in mixed and f"Business Demography {year}, a different source." in mixed
    # the summary says why no detection method assessed it, instead of "give no result"
    summary = section(ctx, "summary")
    assert not any("give no result" in m for m in summary["missing"])
    assert any("is not assessed as a cluster" in s and "English local authorities only" in s
               for s in summary["sentences"])


def test_methods_of_an_english_pack_keep_england_as_the_reference(nd):
    ctx = pack_context(nd, "Sheffield")
    methods = " ".join(section(ctx, "sources")["methods"])
    assert "divided by England's" in methods and "English local authorities" in methods
    assert not any("is not assessed as a cluster" in s for s in section(ctx, "summary")["sentences"])


def test_a_group_of_places_has_no_column_of_dashes_for_lad_ranks(nd):
    # was: the North East's sub-sector table carried "Rank among English LADs" with "–" in every row and the
    # note "Ranks are given for single local authorities only"
    for query, single in (("North East", False), ("Greater Manchester", False), ("Sheffield", True)):
        table = section(pack_context(nd, query), "scale")["tables"][0]
        assert ("Rank among English LADs" in table["columns"]) is single, query
        assert all(len(r) == len(table["columns"]) for r in table["rows"]), query
        assert not any("single local authorities only" in n for n in table["notes"]), query


def test_a_wider_area_that_fell_is_set_against_a_rise_not_a_bare_percentage(nd):
    # was: "fell by 25.6% between 2015 and 2018 ... against 8.5% across Great Britain" (read as a fall of 8.5%)
    growth = section(pack_context(nd, "North East"), "growth")
    fell = [s for s in growth["sentences"] if "employment in" in s and " fell by " in s and "against" in s]
    assert fell, growth["sentences"]
    assert all("against a rise of" in s or "against a fall of" in s for s in fell)
