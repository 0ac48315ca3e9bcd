"""Round 16 (h8): place names in sentences, membership wording, possessives, name resolution, TTWA errors."""

from __future__ import annotations

import pytest

from creative_clusters._text import possessive
from creative_clusters.geography.place import MEMBER_RULES, Place


def test_one_possessive_rule_wales_takes_s() -> None:
    # British usage: 's after a singular name ending in s; a bare apostrophe after a plural-form name only
    assert possessive("Wales") == "Wales's"
    assert possessive("Orkney Islands") == "Orkney Islands'"
    assert possessive("West Midlands") == "West Midlands'"
    from creative_clusters.geography.place import places_words

    assert places_words("lad", 22, "Wales") == "Wales's 22 local authorities"


def test_cauth_member_rule_names_its_source_not_the_2023_hierarchy() -> None:
    rule = MEMBER_RULES["cauth"]
    assert "in the 2023 LAD hierarchy" not in rule  # the 2023 hierarchy has 10 CAs; the product uses 15
    assert "latest year of the LAD hierarchy" in rule and "code-change records" in rule
    assert "May 2024" in rule


def test_north_east_ca_reads_as_the_authority_not_the_region() -> None:
    ca = Place("E47000014", "North East", "cauth")
    assert ca.common_name == "North East Combined Authority"
    assert Place("E12000001", "North East", "rgn").common_name == "North East"
    from creative_clusters.geography.place import sentence_name

    assert sentence_name("North East", "cauth") == "North East Combined Authority"


def test_ttwa_error_names_the_missing_lookup() -> None:
    from creative_clusters.geography.resolver import ttwa_unmeasurable

    m = ttwa_unmeasurable("Glasgow", "S22000065", "the local authority Glasgow City (S12000049)")
    assert "known only in England and Wales" not in m
    assert "Data Zone 2011 → council area lookup" in m and "LSOA11_TTWA11_UK_LU.csv" in m
    assert "local government district" in ttwa_unmeasurable("Belfast", "N12000002", "x")


@pytest.mark.parametrize(("query", "code"), [("Edinburgh, City of", "S12000036"), ("Sir Gâr", "W06000010"),
                                             ("sir gar", "W06000010")])
def test_official_and_alternative_names_resolve(full_warehouse, query: str, code: str) -> None:
    from creative_clusters.workflows.places import resolve_place

    assert resolve_place(full_warehouse, query).code == code


def test_london_is_not_offered_the_city_of_london_by_the_inverted_form(full_warehouse) -> None:
    from creative_clusters.workflows.places import other_meanings, resolve_place

    p = resolve_place(full_warehouse, "London")
    assert p.level == "rgn"
    assert not any("City of London" in n for n in other_meanings(full_warehouse, "London", p))


def test_profile_sentences_name_the_north_east_ca_in_full(full_warehouse) -> None:
    from creative_clusters.workflows.trajectory import place_trajectory

    t = place_trajectory(full_warehouse, "cauth:E47000014")
    sentences = [w.sentence for w in t.windows]
    assert sentences and all("the North East Combined Authority" in s for s in sentences)


def test_scottish_ttwa_error_through_the_resolver(full_warehouse) -> None:
    from creative_clusters.errors import PlaceNotFoundError
    from creative_clusters.workflows.places import resolve_place

    with pytest.raises(PlaceNotFoundError, match="Data Zone 2011 → council area lookup"):
        resolve_place(full_warehouse, "ttwa:Glasgow")
