"""Geography importers on the real reference data: counts checked against the
data README and the published code lists / lookups, not against our own output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creative_clusters.geography.boundaries import build_weights, read_boundaries


def _codes(data_root, name):
    return set(pd.read_csv(data_root / "geography" / f"{name}.csv", dtype=str)["areacd"])


@pytest.mark.parametrize(("year", "n"), [(2019, 382), (2021, 374), (2023, 361)])
def test_lad_counts_match_the_readme(geo_wh, year, n):
    g = read_boundaries(geo_wh, "lad", year)
    assert len(g) == n
    assert g["geo_code"].is_unique
    assert g.crs.to_epsg() == 4326
    assert list(g.columns[:5]) == ["geo_code", "geo_name", "geo_type", "start", "end"]


@pytest.mark.parametrize(
    ("year", "codelist"), [(2022, "ltla22"), (2023, "ltla23"), (2025, "ltla25")]
)
def test_lad_layers_equal_published_code_lists(geo_wh, data_root, year, codelist):
    assert set(read_boundaries(geo_wh, "lad", year)["geo_code"]) == _codes(data_root, codelist)


@pytest.mark.parametrize(
    ("year", "codelist"), [(2022, "cauth22"), (2024, "cauth24"), (2025, "cauth25")]
)
def test_cauth_layers_equal_published_code_lists(geo_wh, data_root, year, codelist):
    assert set(read_boundaries(geo_wh, "cauth", year)["geo_code"]) == _codes(data_root, codelist)


def test_scottish_2019_recodes_applied(geo_wh):
    codes = set(read_boundaries(geo_wh, "lad", 2019)["geo_code"])
    assert {"S12000049", "S12000050"} <= codes
    assert not {"S12000046", "S12000044"} & codes


def test_geometry_is_valid_and_in_the_uk(geo_wh):
    for level, vintage in [("lad", 2023), ("rgn", None), ("ttwa", None), ("itl3", None)]:
        g = read_boundaries(geo_wh, level, vintage)
        assert g.is_valid.all(), level
        minx, miny, maxx, maxy = g.total_bounds
        assert minx > -9 and maxx < 2 and miny > 49.8 and maxy < 61, level


def test_ttwa_and_itl3_counts(geo_wh, areas):
    assert len(read_boundaries(geo_wh, "ttwa")) == 228
    assert (areas["geo_type"] == "ttwa").sum() == 228
    itl = read_boundaries(geo_wh, "itl3", 2021)
    assert len(itl) == 179
    assert set(itl["source_crs"]) == {"EPSG:27700"}


def test_every_lad_has_region_and_country(hierarchy):
    for year in range(2019, 2026):
        h = hierarchy[hierarchy["vintage"] == str(year)]
        assert (h["rgn_code"] != "").all() and (h["ctry_code"] != "").all(), year
        assert (h["rgn_name"] != "").all() and (h["ctry_name"] != "").all(), year
    h23 = hierarchy[hierarchy["vintage"] == "2023"]
    assert len(h23) == 361
    # England's 9 regions; the nations are their own "region"
    assert h23.loc[h23["ctry_code"] == "E92000001", "rgn_code"].nunique() == 9


def test_greater_manchester_in_2024(hierarchy):
    h = hierarchy[hierarchy["vintage"] == "2024"].set_index("lad_code")
    gm = [f"E0800000{i}" for i in range(1, 10)] + ["E08000010"]
    assert (h.loc[gm, "cauth_code"] == "E47000001").all()
    assert set(h.index[h["cauth_code"] == "E47000001"]) == set(gm)


def test_replayed_changes_reproduce_the_published_2024_ca_lookup(data_root):
    """Without the override, replaying changes.csv must give the ONS May 2024 LAD→CA lookup."""
    from creative_clusters.geography.hierarchy import build_lad_hierarchy
    from creative_clusters.sources._geography_files import read_changes

    geo = data_root / "geography"
    l14 = pd.read_csv(
        geo / "ltla14-lookup.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False
    )
    h = build_lad_hierarchy(l14, read_changes(data_root), vintages=[2024])
    pub = pd.read_csv(geo / "lad24_cauth24_lookup_en.csv", dtype=str, encoding="utf-8-sig")
    got = h.loc[h["cauth_code"] != "", ["lad_code", "cauth_code"]]
    assert set(map(tuple, got.values)) == set(zip(pub["LAD24CD"], pub["CAUTH24CD"], strict=True))


def test_2025_combined_authorities_from_counties(hierarchy):
    h = hierarchy[hierarchy["vintage"] == "2025"]
    # Lancashire CA: 12 Lancashire districts + Blackburn with Darwen + Blackpool
    lancs = h[h["cauth_code"] == "E47000018"]
    assert len(lancs) == 14
    assert {"E06000008", "E06000009"} <= set(lancs["lad_code"])
    assert (
        h.loc[h["lad_code"] == "E08000039", "cauth_code"].item() == "E47000002"
    )  # new Sheffield code


def test_lad_centroid_bng_agrees_with_lat_lon(geo_wh):
    """Published BNG and lat/lon of LAD22 centroids agree under our EPSG:4326→27700 transform."""
    from pyproj import Transformer

    c = geo_wh.table("lad_centroids")
    assert len(c) == 374
    e, n = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(
        c["lon"], c["lat"]
    )
    d = np.hypot(e - c["bng_e"], n - c["bng_n"])
    gb = ~c["lad22_code"].str.startswith("N")
    assert d[gb].max() < 5  # lat/lon published to 5 decimals (~1 m)
    assert d[~gb].max() < 150  # BNG is extrapolated over Northern Ireland


def test_centroids_and_small_area_lookups(geo_wh, data_root):
    lsoa = geo_wh.table("lsoa21_pwc")
    assert len(lsoa) == len(_codes(data_root, "lsoa21")) == 35672
    assert lsoa["geo_code"].is_unique and (lsoa["geo_name"] != "").all()
    assert len(geo_wh.table("msoa21_pwc")) == 7264
    t = geo_wh.table("lsoa21_ttwa11")
    assert t["ttwa11_code"].nunique() <= 228 and (t["ttwa_n"] > 1).sum() == 4  # README: 4 straddle
    assert len(geo_wh.table("lsoa11_ttwa11")) == 42619
    ch = geo_wh.table("code_changes")
    assert list(ch.columns) == ["oldcd", "oldnm", "newcd", "newnm", "type", "start"]


def test_queen_weights_on_real_lads_warn_about_islands(geo_wh):
    g = read_boundaries(geo_wh, "lad", 2023)
    with pytest.warns(UserWarning, match="islands"):
        w = build_weights(g, "queen")
    assert w.n == 361
    assert "E06000046" in set(w.isolates)  # Isle of Wight
    assert "E08000003" in w.neighbors["E08000006"]  # Salford borders Manchester
    knn = build_weights(g, "knn", k=4)
    assert set(knn.cardinalities) == {4}


def test_dataset_specs_list_existing_files(data_root, geo_wh):
    from creative_clusters.sources.geography import DATASETS

    assert [d.id for d in DATASETS] == [
        "geography_boundaries", "geography_lookups", "geography_ttwa", "geography_itl3",
        "geography_centroids",
    ]
    for spec in DATASETS:
        for rel in spec.files:
            assert (data_root / rel).exists(), rel
    cat = geo_wh.datasets().set_index("id")
    assert "lad_2023" in cat.loc["geography_boundaries", "geometries"].split(",")
    assert "areas" in cat.loc["geography_boundaries", "tables"].split(",")
