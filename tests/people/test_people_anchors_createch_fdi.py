"""Hand-worked checks: anchors in places and nearest anchors, the createch flag, FDI import and LQ."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from creative_clusters.errors import ImportFormatError, PlaceNotFoundError, SchemaError
from creative_clusters.people.anchors import (
    MUSEUMS_ATTRIBUTION,
    anchor_points_bng,
    assign_lad,
    count_by_place,
    museum_breakdown,
    nearest_anchors,
    per_100k,
)
from creative_clusters.people.createch import createch_counts, createch_flag
from creative_clusters.people.fdi import fdi_lq, parse_fdi_projects, read_fdi_projects


def test_assign_lad_point_in_polygon_counts_unplaced():
    lads = gpd.GeoDataFrame({"geo_code": ["A", "B"]}, geometry=[box(0, 50, 1, 51), box(1, 50, 2, 51)], crs=4326)
    pts = pd.DataFrame({"name": ["p", "q", "r", "s"], "latitude": [50.5, 50.5, 60.0, None],
                        "longitude": [0.5, 1.5, 0.5, 0.5], "flag": [True, False, True, True]})
    out = assign_lad(pts, lads)
    assert out["lad_code"].tolist()[:2] == ["A", "B"]
    assert out.attrs["unplaced"] == 2 and len(out) == 4  # kept, not dropped
    c = count_by_place(out, flags=["flag"]).set_index("lad_code")
    assert c.loc["A", "count"] == 1 and c.loc["A", "flag"] == 1 and c.loc["B", "flag"] == 0


def test_museum_breakdown_and_per_100k():
    m = pd.DataFrame({"subject_matter": ["Art", "Art", "War", None], "open_2021": [True, True, False, True],
                      "accredited": [True, False, True, False]})
    r = museum_breakdown(m, by="subject_matter").set_index("subject_matter")
    assert r.loc["Art", "open_2021"] == 2 and r.loc["Art", "accredited"] == 1
    assert "War" not in r.index and r.loc["Unknown", "open_2021"] == 1
    assert per_100k(3, 150_000) == 2.0 and per_100k(3, None) is None
    assert "mappingmuseums.org" in MUSEUMS_ATTRIBUTION


def test_nearest_anchors_hand_worked():
    clusters = pd.DataFrame({"cluster_id": ["c1", "c2"], "easting": [0.0, 10_000.0], "northing": [0.0, 0.0]})
    anchors = pd.DataFrame({"kind": ["hei", "hei", "museum"], "name": ["U1", "U2", "M1"],
                            "easting": [3000.0, 10_000.0, 0.0], "northing": [4000.0, 1000.0, 2000.0]})
    r = nearest_anchors(clusters, anchors, k=2)
    c1 = r[(r["cluster_id"] == "c1") & (r["kind"] == "hei")]
    assert c1["name"].tolist() == ["U1", "U2"]
    assert c1["distance_km"].tolist() == [5.0, round(math.hypot(10_000, 1000) / 1000, 3)]
    assert r[(r["cluster_id"] == "c2") & (r["kind"] == "museum")]["distance_km"].item() == round(
        math.hypot(10_000, 2000) / 1000, 3)
    assert len(r) == 2 * 2 + 2 * 1  # museums: only one exists
    with pytest.raises(SchemaError, match="lacks columns"):
        nearest_anchors(clusters.drop(columns="easting"), anchors)


def test_anchor_points_projected_from_lat_lon():
    t = pd.DataFrame({"museum_name": ["x"], "latitude": [53.4808], "longitude": [-2.2426]})
    p = anchor_points_bng(t, kind="museum", name="museum_name").iloc[0]
    assert abs(p["easting"] - 384_000) < 2_000 and abs(p["northing"] - 398_000) < 2_000  # central Manchester


def test_createch_rule_hand_worked():
    firms = pd.DataFrame({
        "SICCode.SicText_1": ["58210 - Publishing of computer games", "59111 - Motion picture production",
                              "62012 - Business and domestic software development", "74100 - specialised design",
                              "62011 - Ready-made interactive leisure and entertainment software development",
                              "NA", "90030 - Artistic creation"],
        "SICCode.SicText_2": [None, "62090 - Other IT", None, "73110 - Advertising agencies", None, None,
                              "72190 - Other research"],
        "localauthority_code": ["S", "S", "S", "D", "D", None, "D"]})
    f = createch_flag(firms)
    assert f["createch_reason"].tolist() == ["games", "creative+tech", "", "", "games", "", "creative+tech"]
    c = createch_counts(f).set_index("geo_code")
    assert c.loc["S", "createch"] == 2 and c.loc["S", "firms"] == 3
    assert c.loc["D", "games"] == 1 and c.loc["D", "creative_plus_tech"] == 1
    assert c.loc["(unknown)", "firms"] == 1  # kept, not dropped
    assert c["firms"].sum() == len(firms)
    with pytest.raises(SchemaError, match="SIC code columns"):
        createch_flag(pd.DataFrame({"x": [1]}))


def _resolver(known: dict[str, str]):
    def resolve(q: str) -> tuple[str, str]:
        if q.lower() not in known:
            raise PlaceNotFoundError(f"no place called {q!r}; closest matches: none")
        return known[q.lower()], "rgn"
    return resolve


def test_fdi_import_flags_and_counts_set_aside_rows(tmp_path):
    p = tmp_path / "projects.csv"  # hand-typed synthetic project list
    p.write_text("Destination,Sub-sector,Year,Type,Jobs\n"
                 "London,film,2019,Greenfield,50\n"
                 "North East,games,2020,M&A,\n"
                 "Atlantis,advertising,2020,greenfield,10\n"
                 "London,banking,2021,acquisition,5\n"
                 "North East,design,twenty,JV,x\n")
    raw = read_fdi_projects(p)
    proj, rep = parse_fdi_projects(raw, resolve=_resolver({"london": "E12000007", "north east": "E12000001"}))
    assert len(proj) == 5  # nothing dropped
    assert rep == {"rows": 5, "valid": 2, "set_aside": 3, "unknown_place": 1, "unknown_sector": 1,
                   "bad_year": 1, "bad_type": 1, "bad_jobs": 1}
    assert proj.loc[0, "sector"] == "film_tv" and proj.loc[1, "sector"] == "it_software"
    assert proj.loc[1, "type"] == "m&a" and math.isnan(proj.loc[1, "jobs"])
    assert proj.loc[2, "issue"].startswith("unknown_place") and proj.loc[2, "source_row"] == 4


def test_fdi_missing_columns_raise_with_file():
    raw = pd.DataFrame({"place": ["London"], "year": ["2020"]})
    raw.attrs["file"] = "x.csv"
    with pytest.raises(ImportFormatError, match=r"x\.csv.*sector"):
        parse_fdi_projects(raw, resolve=_resolver({}))


def test_fdi_lq_hand_worked():
    # 4 projects: 3 in R1, 1 in R2; creative businesses 100 in R1, 300 in R2, 100 in R3.
    proj = pd.DataFrame({"geo_code": ["R1", "R1", "R1", "R2", "R9"], "valid": [True, True, True, True, False],
                         "jobs": [10.0, 10.0, 20.0, 60.0, 5.0]})
    base = pd.DataFrame({"geo_code": ["R1", "R2", "R3"], "value": [100.0, 300.0, 100.0]})
    r = fdi_lq(proj, base).set_index("geo_code")
    assert math.isclose(r.loc["R1", "fdi_lq"], (3 / 4) / (100 / 500))
    assert math.isclose(r.loc["R2", "fdi_lq"], (1 / 4) / (300 / 500))
    assert r.loc["R3", "projects"] == 0 and r.loc["R3", "fdi_lq"] == 0
    rj = fdi_lq(proj, base, weight="jobs").set_index("geo_code")
    assert math.isclose(rj.loc["R2", "fdi_lq"], (60 / 100) / (300 / 500))
    with pytest.raises(SchemaError, match="not among the base"):
        fdi_lq(proj.assign(valid=True), base)
