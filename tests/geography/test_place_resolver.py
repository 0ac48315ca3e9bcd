"""Place resolver on the real ``areas`` table and on a synthetic one for the tie rule."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from creative_clusters.errors import PlaceNotFoundError
from creative_clusters.geography.membership import hierarchy_members
from creative_clusters.geography.place import Place
from creative_clusters.geography.resolver import PlaceBook, find_area, normalise_name


@pytest.fixture(scope="module")
def book(areas, hierarchy):
    return PlaceBook(areas, hierarchy, data_vintage="2023")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Bristol", "E06000023"),
        ("bristol,city of", "E06000023"),
        ("E06000023", "E06000023"),
        ("e06000023", "E06000023"),
        ("Hull", "E06000010"),
        ("KINGSTON-UPON-HULL", "E06000010"),
        ("Brighton", "E06000043"),
        ("Newcastle", "E08000021"),
        ("St Helens", "E08000013"),
        ("St. Helens", "E08000013"),
        ("saint helens", "E08000013"),
        ("Manchester", "E08000003"),
        ("Greater Manchester", "E47000001"),
        ("London", "E12000007"),
        ("North West", "E12000002"),
        ("Wales", "W92000004"),
        ("Durham", "E06000047"),
        ("Glasgow", "S12000049"),
        ("Tewkesbury", "E07000083"),
        ("North Gloucestershire", "E07000083"),  # former/other name kept in areas.other_names
    ],
)
def test_resolves(areas, query, code):
    assert find_area(query, areas).code == code


def test_place_fields(book, hierarchy):
    p = book.resolve("Bristol")
    assert (p.name, p.geo_type, p.common_name) == ("Bristol, City of", "lad", "Bristol")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.code = "x"  # type: ignore[misc]
    gm = book.resolve("Greater Manchester")
    assert gm.geo_type == "cauth" and gm.vintage == "2023"
    assert gm.members == (*tuple(f"E0800000{i}" for i in range(1, 10)), "E08000010")
    assert book.resolve("Wales").geo_type == "ctry"
    assert len(hierarchy_members(hierarchy, "ctry", "W92000004", vintage="2023")) == 22


def test_vintage_picks_the_code_in_force(areas):
    assert find_area("Sheffield", areas).code == "E08000039"  # current (2025) code
    assert find_area("Sheffield", areas, vintage=2023).code == "E08000019"
    assert find_area("Somerset", areas, level="lad").code == "E06000066"


def test_a_combined_authoritys_name_means_the_one_in_force_now(areas, book):
    """Two combined authorities have been called North East: E47000010 (2018 to May 2024, without
    Newcastle, North Tyneside and Northumberland) and E47000014 (since May 2024, seven authorities).
    A bid team asking for 'cauth:North East' means the one that exists, even on the 2023 LAD data."""
    assert find_area("cauth:North East", areas, vintage=2023, current_levels=("cauth",)).code == "E47000014"
    assert find_area("cauth:North East", areas, vintage=2023).code == "E47000010"  # asked as of 2023
    ne = book.resolve("cauth:North East")
    assert ne.code == "E47000014" and len(ne.members) == 7 and "E08000021" in ne.members  # Newcastle
    assert find_area("E47000010", areas).code == "E47000010"  # the old one by its code
    assert book.resolve("North of Tyne").code == "E47000011"  # and an abolished one by its name
    assert find_area("North East", areas).code == "E12000001"  # unprefixed: the region first
    # the search box and the "other meanings" hint offer the same authority
    found = [r["code"] for r in book.search("North East") if r["geo_type"] == "cauth"]
    assert found[:1] == ["E47000014"]
    region = book.resolve("North East")
    assert any("E47000014" in n for n in book.other_meanings("North East", region))


def test_level_prefix_and_level(areas):
    assert find_area("cauth:West Midlands", areas).code == "E47000007"
    assert find_area("combined authority: West Midlands", areas).code == "E47000007"
    assert find_area("West Midlands", areas).code == "E12000005"  # tie rule: region first
    leeds = find_area("ttwa:Leeds", areas)
    assert leeds.level == "ttwa" and leeds.code.startswith("E30") and leeds.vintage == "2011"
    assert find_area("Leeds", areas, level="ttwa").code == leeds.code
    assert find_area("Leeds", areas, level="travel-to-work area").code == leeds.code
    assert find_area("Leeds", areas).level == "lad"


def test_unknown_name_suggests_the_closest(areas):
    with pytest.raises(PlaceNotFoundError) as exc:
        find_area("Sheffeld", areas)
    assert exc.value.suggestions[0] == "Sheffield (local authority)"
    assert "Sheffield" in str(exc.value)
    with pytest.raises(PlaceNotFoundError):
        find_area("Atlantis", areas)
    with pytest.raises(PlaceNotFoundError, match="E06000099"):
        find_area("E06000099", areas)


def test_ambiguous_names_raise_with_candidates():
    areas = pd.DataFrame(
        {
            "geo_code": ["E07000901", "E07000902"],
            "geo_name": ["Twin", "Twin"],
            "geo_type": ["lad", "lad"],
            "start": [None, None],
            "end": [None, None],
        }
    )
    with pytest.raises(PlaceNotFoundError, match="ambiguous") as exc:
        find_area("twin", areas)
    assert len(exc.value.suggestions) == 2
    assert "2 local authorities" in str(exc.value) and "type the code" in str(exc.value)


def test_tie_rule_on_synthetic_areas():
    """LAD beats other types; an ended area loses to a current one of the same type (synthetic)."""
    areas = pd.DataFrame(
        {
            "geo_code": ["E08000901", "E47000901", "E11000901", "E47000902", "E47000903"],
            "geo_name": [
                "Middletown",
                "Middletown",
                "Greater Middletown",
                "Greater Middletown",
                "Greater Middletown",
            ],
            "geo_type": ["lad", "cauth", "mcty", "cauth", "cauth"],
            "start": pd.array([None, None, None, None, 2024], dtype="Int64"),
            "end": pd.array([None, None, None, 2023, None], dtype="Int64"),
        }
    )
    assert find_area("middletown", areas).code == "E08000901"
    assert find_area("Greater Middletown", areas).code == "E47000903"
    assert find_area("Greater Middletown", areas, vintage=2020).code == "E47000902"
    assert find_area("mcty:Greater Middletown", areas).code == "E11000901"


def test_normalise_name():
    assert normalise_name("Ynys Môn") == "ynys mon"
    assert normalise_name("Brighton & Hove") == "brighton and hove"
    assert Place("a", "b", "lad", "2023").members == ()


def test_every_business_counts_place_name_resolves_to_its_published_code(areas, data_root):
    """The Business Counts file names places by 2023 LAD name; its twin file gives the codes."""
    bc = data_root / "business_counts"
    names = pd.read_csv(bc / "business_counts_fact_long_2025.csv", dtype=str)["Location"].unique()
    coded = pd.read_csv(bc / "business_counts_fact_long_2025_with_codes.csv", dtype=str)
    published = dict(zip(coded["lad_name"], coded["lad23cd"], strict=False))
    assert len(names) == 296
    got = {n: find_area(n, areas, level="lad", vintage=2023).code for n in names}
    assert got == {n: published[n] for n in names}


def test_name_index_is_cached_per_table(areas):
    from creative_clusters.geography.resolver import _index

    assert _index(areas) is _index(areas)
    assert _index(areas.copy()) is not _index(areas)


def test_search_ranks_exact_prefix_then_fuzzy_one_entry_per_place(book):
    res = book.search("bris", limit=5)
    assert res[0] == {"code": "E06000023", "name": "Bristol, City of", "geo_type": "lad",
                      "level_name": "local authority", "vintage": "2023"}
    sheffield = [r for r in book.search("Sheffeld") if r["name"] == "Sheffield"]
    # the LAD once (2023 code, not also the 2025 code, the UTLA or the ITL3 area), and the TTWA
    assert [(r["code"], r["geo_type"]) for r in sheffield] == [("E08000019", "lad"), ("E30000261", "ttwa")]
    assert book.search("E47000001")[0]["code"] == "E47000001"
    assert all(r["geo_type"] == "ttwa" for r in book.search("ttwa:lee"))
    assert len(book.search("north", limit=3)) == 3
    assert book.search("") == []
    codes = [r["code"] for r in book.search("Manchester", limit=10)]
    assert len(codes) == len(set(codes))


def test_hierarchy_members_of_a_nation(book):
    p = book.resolve("Wales")
    assert len(p.members) == 22 and all(c.startswith("W06") for c in p.members)
    assert p.nation == "Wales"
