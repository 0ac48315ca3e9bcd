"""Place resolver on the real ``areas`` table and on a synthetic one for the tie rule."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from creative_clusters.errors import PlaceNotFoundError
from creative_clusters.geography.resolver import (
    Place,
    members_of,
    normalise_name,
    resolve_place,
)


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
    assert resolve_place(query, areas).code == code


def test_place_fields(areas, hierarchy):
    p = resolve_place("Bristol", areas)
    assert (p.name, p.geo_type) == ("Bristol, City of", "lad")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.code = "x"  # type: ignore[misc]
    gm = resolve_place("Greater Manchester", areas, hierarchy=hierarchy, vintage=2024)
    assert gm.geo_type == "cauth" and gm.vintage == "2024"
    assert gm.members == (*tuple(f"E0800000{i}" for i in range(1, 10)), "E08000010")
    assert resolve_place("Wales", areas).geo_type == "ctry"
    assert len(members_of(resolve_place("Wales", areas), hierarchy, vintage=2023)) == 22


def test_vintage_picks_the_code_in_force(areas):
    assert resolve_place("Sheffield", areas).code == "E08000039"  # current (2025) code
    assert resolve_place("Sheffield", areas, vintage=2023).code == "E08000019"
    assert resolve_place("Somerset", areas, types=["lad"]).code == "E06000066"


def test_type_prefix_and_types(areas):
    assert resolve_place("cauth:West Midlands", areas).code == "E47000007"
    assert resolve_place("West Midlands", areas).code == "E12000005"  # tie rule: region first
    leeds = resolve_place("ttwa:Leeds", areas)
    assert leeds.geo_type == "ttwa" and leeds.code.startswith("E30") and leeds.vintage == "2011"
    assert resolve_place("Leeds", areas, types=["ttwa"]).code == leeds.code
    assert resolve_place("Leeds", areas).geo_type == "lad"


def test_unknown_name_suggests_the_closest(areas):
    with pytest.raises(PlaceNotFoundError) as exc:
        resolve_place("Sheffeld", areas)
    assert any(s.startswith("Sheffield (") for s in exc.value.suggestions)
    assert "Sheffield" in str(exc.value)
    with pytest.raises(PlaceNotFoundError):
        resolve_place("Atlantis", areas)
    with pytest.raises(PlaceNotFoundError, match="E06000099"):
        resolve_place("E06000099", areas)


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
        resolve_place("twin", areas)
    assert len(exc.value.suggestions) == 2


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
    assert resolve_place("middletown", areas).code == "E08000901"
    assert resolve_place("Greater Middletown", areas).code == "E47000903"
    assert resolve_place("Greater Middletown", areas, vintage=2020).code == "E47000902"
    assert resolve_place("mcty:Greater Middletown", areas).code == "E11000901"


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
    got = {n: resolve_place(n, areas, types=["lad"], vintage=2023).code for n in names}
    assert got == {n: published[n] for n in names}


def test_name_index_is_cached_per_table(areas):
    from creative_clusters.geography.resolver import _index

    assert _index(areas) is _index(areas)
    assert _index(areas.copy()) is not _index(areas)


def test_search_places_ranks_exact_prefix_then_fuzzy(areas):
    from creative_clusters.geography.resolver import search_places

    res = search_places("bris", areas, limit=5)
    assert res[0] == {"code": "E06000023", "name": "Bristol, City of", "geo_type": "lad",
                      "vintage": "2025"}
    assert [r["code"] for r in search_places("Sheffeld", areas)][:2] == ["E08000039", "E08000019"]
    assert search_places("E47000001", areas)[0]["code"] == "E47000001"
    assert all(r["geo_type"] == "ttwa" for r in search_places("ttwa:lee", areas))
    assert len(search_places("north", areas, limit=3)) == 3
    assert search_places("", areas) == []
    codes = [r["code"] for r in search_places("Manchester", areas, limit=10)]
    assert len(codes) == len(set(codes))  # one entry per code (LAD, not also UTLA)


def test_resolve_reads_the_hierarchy_from_a_warehouse(areas, geo_wh):
    p = resolve_place("Wales", areas, warehouse=geo_wh, vintage=2023)
    assert len(p.members) == 22 and all(c.startswith("W06") for c in p.members)
