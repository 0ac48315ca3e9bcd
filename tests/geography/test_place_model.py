"""The one place model: membership rules worked by hand, everyday names, suggestions and messages."""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.errors import ParameterError, PlaceNotFoundError
from creative_clusters.geography.membership import lad_ttwa_assignment, ttwa_members
from creative_clusters.geography.place import LEVEL_NAMES, MEMBER_RULES, Place, group_code
from creative_clusters.geography.resolver import PlaceBook, find_area, load_place_names, normalise_name
from creative_clusters.results import PlaceRef


# ---------------------------------------------------------------- hand-worked membership
def _book() -> PlaceBook:
    """Four LADs in 2023 (A1, A2 in CA C1 and region R1; B1 in R1; W1 in Wales), A2 renamed A9 in 2025."""
    areas = pd.DataFrame({
        "geo_code": ["E08000001", "E08000002", "E08000009", "E06000001", "W06000001", "E47000001",
                     "E12000001", "W92000004", "E30000001", "E30000002", "TLX11", "K02000001"],
        "geo_name": ["Alpha", "Beta", "Beta", "Gamma", "Delta", "Alpha Combined", "Northland", "Wales",
                     "Alpha Beta", "Gammaton", "Gamma", "United Kingdom"],
        "geo_type": ["lad", "lad", "lad", "lad", "lad", "cauth", "rgn", "ctry", "ttwa", "ttwa", "itl3", "uk"],
        "start": pd.array([None, None, 2025, None, None, None, None, None, None, None, None, None], dtype="Int64"),
        "end": pd.array([None, 2024, None, None, None, None, None, None, None, None, None, None], dtype="Int64"),
        "vintage": ["", "", "", "", "", "", "", "", "2011", "2011", "2021", ""],
        "other_names": [""] * 12,
    })
    rows = []
    for v, beta in (("2023", "E08000002"), ("2025", "E08000009")):
        rows += [
            {"lad_code": "E08000001", "lad_name": "Alpha", "cauth_code": "E47000001", "rgn_code": "E12000001",
             "ctry_code": "E92000001"},
            {"lad_code": beta, "lad_name": "Beta", "cauth_code": "E47000001", "rgn_code": "E12000001",
             "ctry_code": "E92000001"},
            {"lad_code": "E06000001", "lad_name": "Gamma", "cauth_code": "", "rgn_code": "E12000001",
             "ctry_code": "E92000001"},
            {"lad_code": "W06000001", "lad_name": "Delta", "cauth_code": "", "rgn_code": "", "ctry_code": "W92000004"},
        ]
        for r in rows[-4:]:
            r["vintage"] = v
    hierarchy = pd.DataFrame(rows)
    # LSOAs: Alpha 7 in T1 + 3 in T2; Beta 5 in T1; Gamma 4 in T2 + 6 in T1 (so T2 holds nobody's majority)
    overlap = pd.DataFrame({"lad24_code": ["E08000001", "E08000001", "E08000002", "E06000001", "E06000001"],
                            "ttwa11_code": ["E30000001", "E30000002", "E30000001", "E30000002", "E30000001"],
                            "lsoa_count": [7, 3, 5, 4, 6]})
    changes = pd.DataFrame({"oldcd": ["E08000002"], "newcd": ["E08000009"], "type": ["new_code"]})
    lookup = pd.DataFrame({"lad_code": ["E08000001", "E08000002", "E06000001"],
                           "itl3_code": ["TLX12", "TLX12", "TLX11"], "nuts2_code": ["UKX1"] * 3})
    return PlaceBook(areas, hierarchy, overlap, changes, lookup, data_vintage="2023")


def test_every_level_has_one_documented_rule():
    assert set(MEMBER_RULES) == set(LEVEL_NAMES)
    assert "majority" in MEMBER_RULES["ttwa"] and "2023" in MEMBER_RULES["cauth"]


def test_lad_is_itself_and_a_later_code_is_the_same_place():
    book = _book()
    a = book.resolve("Alpha")
    assert (a.code, a.members, a.nation, a.vintage) == ("E08000001", ("E08000001",), "England", "2023")
    assert book.resolve("E08000009") == book.resolve("Beta") == book.resolve("E08000002")
    assert book.resolve("Beta").code == "E08000002"  # the code in force in the data's vintage


def test_hierarchy_levels_use_the_2023_hierarchy():
    book = _book()
    assert book.resolve("Alpha Combined").members == ("E08000001", "E08000002")
    assert book.resolve("Northland").members == ("E06000001", "E08000001", "E08000002")
    assert book.resolve("Wales").members == ("W06000001",)
    uk = book.resolve("United Kingdom")
    assert len(uk.members) == 4 and uk.nation == ""


def test_ttwa_majority_rule_by_hand():
    book = _book()
    # Alpha: 7 of 10 LSOAs in T1; Beta: all 5 in T1; Gamma: 6 of 10 in T1 -> T1 = all three
    t1 = book.resolve("Alpha Beta")
    assert t1.level == "ttwa" and t1.members == ("E06000001", "E08000001", "E08000002")
    # T2 holds no LAD's majority: the LAD with most LSOAs in it (Gamma, 4) stands in
    assert book.resolve("ttwa:Gammaton").members == ("E06000001",)
    a = lad_ttwa_assignment(book.ttwa_overlap)
    assert dict(zip(a["lad_code"], a["ttwa11_code"], strict=True)) == {
        "E06000001": "E30000001", "E08000001": "E30000001", "E08000002": "E30000001"}
    assert ttwa_members(book.ttwa_overlap, "E30000002") == ["E06000001"]


def test_itl3_members_from_the_lookup_and_level_tie_rule():
    book = _book()
    g = book.resolve("Gamma")
    assert g.level == "lad"  # the LAD wins over the ITL3 area of the same name
    itl = book.resolve("itl3:Gamma")
    assert (itl.code, itl.members) == ("TLX11", ("E06000001",))


def test_user_group_code_and_members():
    book = _book()
    g = book.group("Alpha & Friends", ["E08000001", "Beta", "E08000009"])
    assert (g.code, g.level, g.members) == ("custom:alpha-friends", "custom", ("E08000001", "E08000002"))
    assert g.member_rule == MEMBER_RULES["custom"] and g.nation == "England"
    assert group_code("Thames Estuary") == "custom:thames-estuary"
    # a region is taken as its local authorities (round 18); a travel-to-work area is refused
    assert book.group("x", ["Northland"]).code == book.resolve("Northland").code
    with pytest.raises(PlaceNotFoundError, match="cannot be part of a group"):
        book.group("x", ["ttwa:Gammaton", "Beta"])
    with pytest.raises(ParameterError):
        book.group("x", [])


def test_to_ref_carries_the_model():
    p = _book().resolve("Alpha Combined")
    ref = p.to_ref({"E08000001": "Alpha", "E08000002": "Beta"})
    assert isinstance(ref, PlaceRef)
    assert (ref.code, ref.level, ref.members, ref.member_names) == (
        "E47000001", "cauth", ("E08000001", "E08000002"), ("Alpha", "Beta"))
    assert ref.member_rule == MEMBER_RULES["cauth"] and ref.nation == "England"
    assert Place("E06000023", "Bristol, City of", "lad").to_ref().common_name == "Bristol"


# ---------------------------------------------------------------- everyday names (real areas)
@pytest.mark.parametrize(("query", "code"), [
    ("Ynys Môn", "W06000001"), ("Ynys Mon", "W06000001"), ("YNYS MÔN", "W06000001"),
    ("Anglesey", "W06000001"), ("Isle of Anglesey", "W06000001"),
    ("Derry", "N09000005"), ("Londonderry", "N09000005"), ("Derry~Londonderry", "N09000005"),
    ("Glasgow", "S12000049"), ("Edinburgh", "S12000036"), ("Aberdeen", "S12000033"), ("Dundee", "S12000042"),
    ("Inverness", "S12000017"), ("Cardiff", "W06000015"), ("Caerdydd", "W06000015"), ("Swansea", "W06000011"),
    ("Rhondda", "W06000016"), ("Merthyr", "W06000024"), ("Vale of Glamorgan", "W06000014"),
    ("Belfast", "N09000003"), ("Lisburn", "N09000007"), ("Newry", "N09000010"),
    ("Bristol", "E06000023"), ("Hull", "E06000010"), ("Brighton", "E06000043"),
])
def test_everyday_names(areas, query, code):
    assert find_area(query, areas, vintage=2023).code == code


def test_every_alias_names_a_real_place(areas):
    names = load_place_names()
    assert len(names) >= 50
    official = {(normalise_name(n), t) for n, t in zip(areas["geo_name"], areas["geo_type"], strict=True)}
    for alias, target in names.items():
        level, _, name = target.rpartition(":")
        assert any(k == normalise_name(name) and (not level or t == level) for k, t in official), (alias, target)


def test_a_name_only_a_ttwa_has_resolves_to_the_ttwa(areas):
    halifax = find_area("Halifax", areas)
    assert halifax.level == "ttwa" and halifax.code.startswith("E30")


def test_suggestions_list_each_place_once_in_plain_words(areas):
    with pytest.raises(PlaceNotFoundError) as exc:
        find_area("Sheffeld", areas, vintage=2023)
    sugg = exc.value.suggestions
    assert sugg[0] == "Sheffield (local authority)"
    assert sum(s.startswith("Sheffield") for s in sugg) == 1  # not the 2025 code, the UTLA or the ITL3 area
    msg = str(exc.value)
    for python in ("types=", "['", "lad)", "itl3", "E08000019, lad"):
        assert python not in msg, python
    assert "ttwa:Leeds" in msg  # how to ask for one kind of place


def test_unknown_level_says_which_exist():
    with pytest.raises(ParameterError, match="travel-to-work area"):
        find_area("Leeds", pd.DataFrame({"geo_code": ["E08000035"], "geo_name": ["Leeds"], "geo_type": ["lad"]}),
                  level="town")
