"""Section 6 (microclusters and anchors) on SYNTHETIC inputs: only microclusters meeting the
minimum size are counted, labels are readable, the map is drawn, HE fields are plain words."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from creative_clusters.reporting._national import rank_microclusters
from creative_clusters.reporting.context import build_context
from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
from creative_clusters.workflows.pack_data import load_national


@pytest.fixture(scope="module")
def national(synthetic_home):
    return load_national(synthetic_home)


def _section(ctx, sid):
    return next(s for s in ctx["sections"] if s["id"] == sid)


def test_only_qualifying_microclusters_are_listed_with_readable_labels_and_a_map(national):
    pl = resolve_evidence_place(national, "Alphaville")
    inp = gather_inputs(national, pl, png=False)
    # synthetic: 3 in the place (one below the minimum), 2 elsewhere; ranks over all five
    table = pd.DataFrame({
        "microcluster_id": ["MC1", "MC2", "MC3", "MC4", "MC5"],
        "n_firms": [80, 200, 40, 150, 55],
        "meets_min_firms": [True, True, False, True, True],
        "dominant_subsector": ["music_arts", "it_software", "design", "film_tv", "design"],
        "area_km2": [0.5, 1.2, 0.1, 0.8, 0.3],
        "density_per_km2": [160.0, 166.7, 400.0, 187.5, 183.3],
        "stability": [0.9, 0.95, 0.4, 0.8, 0.7],
        "in_area_cluster": [True, False, False, True, True],
        "top_postcode_share": [0.05, 0.62, 0.1, 0.02, 0.03],
        "lad23_code": ["E09000090", "E09000090", "E09000090", "E09000091", "E09000092"],
    })
    ranked = rank_microclusters(table)
    assert ranked["national_rank"].tolist() == [3, 1, 5, 2, 4]
    inp.microclusters = ranked[ranked["lad23_code"] == "E09000090"].reset_index(drop=True)
    inp.microclusters_national = 4
    # hulls in EPSG:27700 inside a synthetic LAD square (EPSG:4326 around Greenwich)
    lad = gpd.GeoDataFrame({"geo_code": ["E09000090"], "geo_name": ["Alphaville"]},
                           geometry=[box(-0.05, 51.45, 0.05, 51.52)], crs="EPSG:4326")
    centre = lad.to_crs("EPSG:27700").geometry.iloc[0].centroid
    inp.geometry = lad
    inp.microcluster_hulls = gpd.GeoDataFrame(
        {"microcluster_id": ["MC1", "MC2", "MC3"], "n_firms": [80, 200, 40]},
        geometry=[Point(centre.x + dx, centre.y).buffer(300) for dx in (-1500, 0, 1500)], crs="EPSG:27700")
    sec = _section(build_context(inp), "microclusters")
    # no coverage recorded for the firm file: a rank among the warehouse's microclusters, never "nationally"
    assert sec["sentences"][0] == ("Alphaville contains 2 creative microclusters with 280 firms between them; "
                                   "the largest ranks 1st of the 4 microclusters found, whose firm "
                                   "file may not cover the whole country.")
    assert sec["sentences"][1].startswith("One further, smaller group")  # not "A further 1 smaller group"
    t = sec["tables"][0]
    # no run record saying the file covers the country: no rank column (the sentence gives it with its caveat)
    assert t["columns"][:3] == ["Microcluster", "Firms", "Dominant sub-sector"]
    assert {"Area (km²)", "Density (firms/km²)", "Stability", "Inside an area-level cluster",
            "Top postcode share (%)"} <= set(t["columns"])
    assert [r[0] for r in t["rows"]] == ["MC2", "MC1"]            # MC3 (40 firms) set aside
    sub = t["columns"].index("Dominant sub-sector")
    assert t["rows"][1][sub] == "Music, performing and visual arts"
    assert t["rows"][0][t["columns"].index("Inside an area-level cluster")] == "no"
    assert any("formation-agent" in n for n in t["notes"])
    fig = sec["figures"][0]
    assert fig["title"] == "Creative microclusters in Alphaville" and "2 creative microclusters" in fig["alt"]
    assert fig["svg"].count("<path") >= 3


def test_he_providers_show_yes_no_and_title_case(national):
    pl = resolve_evidence_place(national, "Alphaville")
    inp = gather_inputs(national, pl, png=False)
    inp.hei = pd.DataFrame({"provider_name": ["UNIVERSITY OF THE ARTS LONDON", "ALPHAVILLE COLLEGE"],
                            "town": ["LONDON", "ALPHAVILLE"], "postcode": ["SE1 1AA", "SE2 2BB"],
                            "creative_specialist": [True, False], "geo_code": ["E09000090"] * 2})
    sec = _section(build_context(inp), "microclusters")
    t = next(t for t in sec["tables"] if t["title"].startswith("Higher-education"))
    assert t["columns"] == ["Provider", "Town", "Postcode", "Creative specialist"]
    assert t["rows"] == [["Alphaville College", "Alphaville", "SE2 2BB", "no"],
                         ["University of the Arts London", "London", "SE1 1AA", "yes"]]


def test_research_references_have_no_link_for_unverified_urls(national):
    pl = resolve_evidence_place(national, "Alphaville")
    sec = _section(build_context(gather_inputs(national, pl, png=False)), "research")
    refs = {r["citation"].split(". ")[1] if ". " in r["citation"] else r["citation"]: r for r in sec["references"]}
    frontier = next(r for r in sec["references"] if "growth potential of creative clusters" in r["citation"])
    assert frontier["url"] == "no verified link" and frontier["link"] is False
    assert all(r["link"] is False or r["url"].startswith("http") for r in refs.values())


def test_research_lists_checked_references_before_those_to_check_when_as_relevant(national):
    """Sheffield's list opened with an entry marked 'check before citing' ahead of verified ones of the
    same relevance (both UK-wide or both covering its region): a bid writer cites from the top."""
    pl = resolve_evidence_place(national, "Alphaville")
    refs = _section(build_context(gather_inputs(national, pl, png=False)), "research")["references"]
    tiers: dict[str, list[bool]] = {}
    for r in refs:
        tiers.setdefault(r["why"], []).append(r["verified"] != "check before citing")
    assert any(not all(v) and any(v) for v in tiers.values())  # a tier with both kinds, so the test can fail
    for checked in tiers.values():
        assert checked == sorted(checked, reverse=True), checked


def test_a_synthetic_run_is_labelled_and_outside_its_coverage_is_not_covered(national):
    pl = resolve_evidence_place(national, "Alphaville")
    inp = gather_inputs(national, pl, png=False)
    inp.microclusters = rank_microclusters(pd.DataFrame({
        "microcluster_id": ["MC1"], "n_firms": [80], "meets_min_firms": [True], "lad23_code": ["E09000090"]}))
    inp.microclusters_national = 1
    run = {"run_id": "r0123456789", "firm_file": "SYNTHETIC_firms.csv", "firm_file_sha256": "ab" * 32,
           "rows_located": 155, "method": "split", "params": '{"eps_m": 500.0, "min_firms": 50}',
           "synthetic": True, "address_kind": "trading", "coverage_lads": "E09000090", "scope": "partial"}
    inp.microcluster_run = run
    text = " ".join(_section(build_context(inp), "microclusters")["sentences"])
    assert text.startswith("SYNTHETIC DATA") and "SYNTHETIC_firms.csv" in text and "abababababab" in text
    assert "radius 500 m" in text and "nationally" not in text
    inp.microclusters = inp.microclusters.iloc[:0]
    inp.microcluster_run = {**run, "synthetic": False, "coverage_lads": "E09000091"}
    text = " ".join(_section(build_context(inp), "microclusters")["sentences"])
    assert "does not cover Alphaville" in text and "was detected" not in text


def test_the_map_says_which_microcluster_is_largest_by_firms_and_which_by_area():
    # was: "the largest covers 65.6 km²" (largest in area) beside a section whose "largest" is by firms
    import geopandas as gpd
    from shapely.geometry import Point

    from creative_clusters.reporting.figure_render import TEXT_ONLY
    from creative_clusters.reporting.maps import microcluster_map_figure

    lad = gpd.GeoDataFrame({"geo_code": ["E1"]}, geometry=[Point(0, 0).buffer(10_000)], crs="EPSG:27700")
    hulls = gpd.GeoDataFrame({"microcluster_id": ["A", "B"], "n_firms": [300, 60]},
                             geometry=[Point(0, 0).buffer(500), Point(3000, 0).buffer(2000)], crs="EPSG:27700")
    alt = microcluster_map_figure(lad, hulls, place="P", png=TEXT_ONLY)["alt"]
    a_km2, b_km2 = hulls.area / 1e6
    assert f"the one with most firms covers {a_km2:.1f} km²" in alt
    assert f"the largest in area {b_km2:.1f} km²" in alt


@pytest.mark.parametrize("kind", ["trading", "registered"])
def test_a_crowded_postcode_of_trading_premises_is_a_building_not_a_registered_office(national, kind):
    # was: a trading-address run (a business-rates list) told the pack's reader its hub microcluster was
    # "registered at postcodes that hold 100 or more companies (registered-office or formation-agent addresses)"
    pl = resolve_evidence_place(national, "Alphaville")
    inp = gather_inputs(national, pl, png=False)
    inp.microclusters = rank_microclusters(pd.DataFrame({  # synthetic: 60 of 80 at hub postcodes
        "microcluster_id": ["MC1"], "n_firms": [80], "n_hub_firms": [60], "meets_min_firms": [True],
        "lad23_code": ["E09000090"]}))
    inp.microclusters_national = 1
    inp.microcluster_run = {"run_id": "r0123456789", "firm_file": "SYNTHETIC_firms.csv",
                            "firm_file_sha256": "ab" * 32, "rows_located": 80, "method": "split",
                            "params": "{}", "synthetic": True, "address_kind": kind,
                            "coverage_lads": "E09000090", "scope": "partial"}
    sec = _section(build_context(inp), "microclusters")
    text = " ".join(sec["sentences"]) + " ".join(n for t in sec["tables"] for n in t.get("notes", []))
    assert ("registered-office" in text) is (kind != "trading")
    assert ("shared by 100 or more businesses" in text) is (kind == "trading")
