"""LAD → NUTS2 (2013) via ITL3 2021. Expected codes are published NUTS 2013 facts
(Eurostat/ONS NUTS 2013 composition), not this code's output."""

from __future__ import annotations

import doctest

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from creative_clusters.errors import SchemaError
from creative_clusters.geography import nuts2 as N


def test_docstring_examples():
    res = doctest.testmod(N)
    assert res.failed == 0 and res.attempted > 0


@pytest.mark.parametrize(("itl3", "nuts2"), [
    ("TLE32", "UKE3"),   # Sheffield -> South Yorkshire
    ("TLI32", "UKI3"),   # Westminster -> Inner London - West (NUTS 2013 split London in five)
    ("TLI41", "UKI4"),   # Hackney and Newham -> Inner London - East
    ("TLK11", "UKK1"),   # Bristol -> Gloucestershire, Wiltshire and Bath/Bristol area
    ("TLD33", "UKD3"),   # Manchester -> Greater Manchester
    ("TLM75", "UKM2"),   # Edinburgh -> Eastern Scotland (UKM25 in 2013)
    ("TLM91", "UKM2"),   # Scottish Borders was UKM24, in Eastern Scotland, in NUTS 2013
    ("TLM82", "UKM3"),   # Glasgow -> South Western Scotland (UKM34)
    ("TLM92", "UKM3"),   # Dumfries and Galloway (UKM32)
    ("TLM95", "UKM3"),   # South Lanarkshire (UKM38)
    ("TLM50", "UKM5"),   # Aberdeen City and Aberdeenshire: unchanged
    ("TLM63", "UKM6"),   # Lochaber ... Argyll and Bute: Highlands and Islands, unchanged
    ("TLL22", "UKL2"),   # Cardiff and Vale of Glamorgan -> East Wales
    ("TLN06", "UKN0"),   # Northern Ireland
])
def test_itl3_to_nuts2_2013_known_areas(itl3, nuts2):
    assert N.itl3_to_nuts2_2013(itl3) == nuts2


def test_bad_codes_are_refused_with_a_hint():
    with pytest.raises(SchemaError, match="ITL3 2021 code"):
        N.itl3_to_nuts2_2013("E08000019")
    with pytest.raises(SchemaError, match="changed between NUTS 2013 and ITL 2021"):
        N.itl3_to_nuts2_2013("TLM79")  # a made-up code in a changed Scottish ITL2 area


def _synthetic_layers():
    """SYNTHETIC squares in British National Grid metres: two ITL3 areas side by side."""
    itl3 = gpd.GeoDataFrame({"geo_code": ["TLE32", "TLE41"]},
                            geometry=[box(0, 0, 10_000, 10_000), box(10_000, 0, 20_000, 10_000)], crs=27700)
    lads = gpd.GeoDataFrame(
        {"geo_code": ["L1", "L2", "L3"], "geo_name": ["West", "East", "Offshore"]},
        geometry=[box(1_000, 1_000, 4_000, 4_000), box(12_000, 2_000, 19_000, 9_000),
                  box(25_000, 1_000, 26_000, 2_000)],  # L3 lies outside every ITL3 square
        crs=27700).to_crs(4326)
    return lads, itl3.to_crs(4326)


def test_lookup_on_synthetic_squares_point_nearest_and_centroid():
    lads, itl3 = _synthetic_layers()
    cen = pd.DataFrame({"lad22_code": ["L1", "L9"], "lad22_name": ["West", "Old"],
                        "bng_e": [2_000.0, 15_000.0], "bng_n": [2_000.0, 5_000.0]})
    names = pd.DataFrame({"nuts2_code": ["UKE3", "UKE4"], "nuts2_name": ["South Yorkshire", "West Yorkshire"]})
    lk = N.lad_nuts2_lookup(lads, itl3, centroids=cen, nuts2_names=names).set_index("lad_code")
    assert lk.loc["L1", "nuts2_code"] == "UKE3" and lk.loc["L1", "method"] == "point-in-polygon"
    assert lk.loc["L2", "nuts2_code"] == "UKE4" and lk.loc["L2", "nuts2_name"] == "West Yorkshire"
    assert lk.loc["L3", "nuts2_code"] == "UKE4" and lk.loc["L3", "method"] == "nearest ITL3"
    assert lk.loc["L9", "geometry_source"] == "centroid" and lk.loc["L9", "nuts2_code"] == "UKE4"
    assert lk.loc["L1", "overlap_share"] == pytest.approx(1.0, abs=1e-6)
    assert lk.loc["L3", "overlap_share"] == pytest.approx(0.0, abs=1e-6)  # visible: it lies outside
    assert len(lk) == 4  # L1 from its polygon only, not again from the centroid table


def test_lookup_refuses_codes_missing_from_the_names_table():
    lads, itl3 = _synthetic_layers()
    with pytest.raises(SchemaError, match="UKE4"):
        N.lad_nuts2_lookup(lads, itl3, nuts2_names=pd.DataFrame({"nuts2_code": ["UKE3"], "nuts2_name": ["S"]}))


# ------------------------------------------------------------------ real data
@pytest.fixture(scope="module")
def real_lookup(full_home):
    from creative_clusters.warehouse import Warehouse

    with Warehouse(full_home, read_only=True) as wh:
        lk = N.load_lad_nuts2(wh, overlap=True)
        areas = wh.table("nuts2_areas")
        bres = set(wh.query("SELECT DISTINCT geo_code FROM observations WHERE dataset = 'bres_nuts2'")["geo_code"])
    return lk, areas, bres


@pytest.mark.parametrize(("lad", "nuts2"), [
    ("E08000019", "UKE3"),  # Sheffield: South Yorkshire
    ("E09000033", "UKI3"),  # Westminster: Inner London - West (NUTS 2013; UKI1 is NUTS 2010)
    ("E06000023", "UKK1"),  # Bristol
    ("E08000003", "UKD3"),  # Manchester: Greater Manchester
    ("E09000012", "UKI4"),  # Hackney: Inner London - East
    ("S12000026", "UKM2"),  # Scottish Borders: Eastern Scotland in NUTS 2013
    ("S12000049", "UKM3"),  # Glasgow City: South Western Scotland
    ("W06000015", "UKL2"),  # Cardiff: East Wales
])
def test_real_places_land_in_their_published_nuts2(real_lookup, lad, nuts2):
    lk, _, _ = real_lookup
    assert lk.set_index("lad_code").loc[lad, "nuts2_code"] == nuts2


def test_every_english_lad_maps_to_one_existing_nuts2(real_lookup):
    lk, areas, bres = real_lookup
    eng = lk[lk["lad_code"].str[:3].isin(["E06", "E07", "E08", "E09"]) & (lk["geometry_source"] == "polygon")]
    assert len(eng) == 296  # the English LADs of 2023 (README: 296 in UK Business Counts)
    assert eng["lad_code"].is_unique
    assert set(eng["nuts2_code"]) <= set(areas["nuts2_code"])
    assert set(eng["nuts2_code"]) <= bres  # and BRES has employment for each
    assert eng["nuts2_code"].str.fullmatch(r"UK[C-K]\d").all()
    assert (eng["overlap_share"] > 0.7).all()  # most of each LAD lies in its NUTS2 area


def test_nuts2_sizes_match_the_published_composition(real_lookup):
    lk, _, _ = real_lookup
    n = lk[lk["geometry_source"] == "polygon"].groupby("nuts2_code").size()
    # South Yorkshire 4 districts, Greater Manchester 10, West Yorkshire 5; Inner London - West
    # 6 (Camden, City, Westminster, K&C, H&F, Wandsworth), Inner London - East 8; NUTS 2013
    # Eastern Scotland and South Western Scotland 12 council areas each, Highlands and Islands 6.
    expected = {"UKE3": 4, "UKD3": 10, "UKE4": 5, "UKI3": 6, "UKI4": 8, "UKM2": 12, "UKM3": 12, "UKM6": 6}
    assert {k: int(n[k]) for k in expected} == expected
    assert int(n.sum()) == 361  # every LAD of 2023 mapped once
