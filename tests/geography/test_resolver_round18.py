"""Round 18 (web groups audit): what a group's entries may be.

Was: ``places=Kent,Medway`` was refused ("no place called 'Kent' among local authorities; did you mean
Brent?") though Kent resolves as a county; ``E10000016`` was refused with itself as the suggestion;
``ttwa:Leeds`` was silently taken as the local authority Leeds; ``Sheffield,Sheffield`` and ``Derry,Strabane``
made a "group" of one local authority.
"""

from __future__ import annotations

import pytest

from creative_clusters.errors import PlaceNotFoundError
from creative_clusters.geography.place import CUSTOM


@pytest.fixture(scope="module")
def book(geo_wh):
    from creative_clusters.workflows.places import place_book

    return place_book(geo_wh)


KENT_DISTRICTS = 12


@pytest.mark.parametrize("kent", ["Kent", "E10000016", "county:Kent", "utla:Kent"])
def test_a_county_in_a_group_is_taken_as_its_districts_and_the_rule_says_so(book, kent):
    g = book.group("", [kent, "Medway"])
    medway = book.resolve("Medway").code
    kent_place = book.resolve("E10000016")
    assert g.level == CUSTOM
    assert set(g.members) == {*kent_place.members, medway} and len(g.members) == KENT_DISTRICTS + 1
    assert g.name == "Kent and Medway"  # named after the entries, not 13 districts
    assert "Kent" in g.member_rule and "E10000016" in g.member_rule and "12 local authorities" in g.member_rule
    assert "Tunbridge Wells" in g.member_rule  # the districts it was taken as, by name


def test_a_region_and_a_combined_authority_in_a_group(book):
    g = book.group("Patch", ["E12000001", "Cumberland"])
    ne = book.resolve("E12000001")
    assert set(g.members) == {*ne.members, book.resolve("Cumberland").code}
    assert "North East (region, E12000001)" in g.member_rule
    wm = book.group("", ["cauth:West Midlands", "Warwick"])
    assert len(wm.members) == len(book.resolve("cauth:West Midlands").members) + 1
    assert "combined authority" in wm.member_rule


def test_a_group_that_is_one_county_is_the_county(book):
    assert book.group("", ["E10000016"]).code == "E10000016"
    assert book.group("", ["Kent", "Ashford"]).code == "E10000016"  # Ashford is in Kent


@pytest.mark.parametrize("entries", [["Sheffield"], ["Sheffield", "Sheffield", "E08000019"], ["Derry", "Strabane"]])
def test_a_group_of_one_local_authority_is_that_local_authority(book, entries):
    g = book.group("My group", entries)
    assert g.level == "lad" and len(g.members) == 1
    assert g.code == book.resolve(entries[0]).code
    assert "is one local authority" in g.member_rule and entries[0] in g.member_rule


def test_a_ttwa_prefix_is_never_swapped_for_the_local_authority(book):
    with pytest.raises(PlaceNotFoundError) as e:
        book.group("", ["ttwa:Leeds", "Bradford"])
    msg = str(e.value)
    assert "travel-to-work area" in msg and "E30000229" in msg and "cannot be part of a group" in msg
    assert "ttwa:Leeds" in msg  # how to ask for the TTWA itself
    with pytest.raises(PlaceNotFoundError, match="travel-to-work area"):
        book.group_members(["E30000261", "Leeds"])  # by code, the same


def test_the_uk_is_refused_with_a_reason(book):
    with pytest.raises(PlaceNotFoundError, match="United Kingdom"):
        book.group_members(["UK", "Leeds"])


def test_an_unknown_code_never_suggests_itself(book):
    with pytest.raises(PlaceNotFoundError) as e:
        book.resolve("E10000016", level="lad")
    assert "E10000016" not in e.value.suggestions
    assert "did you mean E10000016" not in str(e.value)
    # a misspelt entry still suggests local authorities, and "Bristol, City of" split by the commas is one entry
    with pytest.raises(PlaceNotFoundError) as e:
        book.group_members(["Sheffeld", "Leeds"], option="the places parameter")
    assert str(e.value).startswith("the places parameter takes local authorities")
    assert "Sheffield (local authority)" in e.value.suggestions
    assert book.group_members(["Bristol", " City of", "Bath and North East Somerset"]) == [
        book.resolve("Bristol").code, book.resolve("Bath and North East Somerset").code]
