"""One contiguity rule for the hot-spot weights, the corridors' ``--touching`` and the pack's neighbours (round 15).

Was: ``build_connectivity(kind="queen")`` was libpysal's strict queen contiguity, which needs shared vertices. On the
warehouse's simplified boundaries Dumfries and Galloway touches its five land neighbours (distance 0) without sharing
a vertex, so it was an "island" with no hot-spot class, its neighbours each lost a neighbour, and the Scottish
output said "Dumfries and Galloway, Na h-Eileanan Siar, Orkney Islands and Shetland Islands have no neighbouring
places (islands)". The pack's neighbours meanwhile used their own 1 km buffer (Plymouth and Cornwall are 474 m apart
across the Tamar in these boundaries). Now both use ``geography.boundaries.contiguity``: boundaries within
``CONTIGUITY_TOLERANCE_M`` (1 km).

Known values, from the map: Dumfries and Galloway borders Cumberland (England), East Ayrshire, Scottish Borders,
South Ayrshire and South Lanarkshire; Scotland's only local authorities with no land neighbour are the island
councils Na h-Eileanan Siar, Orkney and Shetland. The distances are shapely's, computed here.
"""

from __future__ import annotations

import io
import warnings

import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.geography.boundaries import CONTIGUITY_TOLERANCE_M
from creative_clusters.workflows import place_geometry
from creative_clusters.workflows.evidence_stats import neighbours

DUMFRIES = "S12000006"
DUMFRIES_LAND = {"E06000063", "S12000008", "S12000026", "S12000028", "S12000029"}  # Cumberland, E/S Ayrshire, ...
runner = CliRunner()


@pytest.fixture(scope="module")
def lads(wh):
    """The LAD boundaries the detectors use (the data's vintage), in British National Grid metres."""
    return place_geometry.level_geometry(wh, "lad").to_crs(27700).reset_index(drop=True)


@pytest.fixture(scope="module")
def rule(lads):
    """The hot-spot weights on every UK LAD (``--weights queen``, the default)."""
    return place_geometry.build_connectivity(lads, kind="queen")


def _pairs(w) -> set[tuple[str, str]]:
    return {(str(a), str(b)) for a, nb in w.neighbors.items() for b in nb}


@pytest.mark.parametrize("vintage", ["2023", "2024", "2025"])
def test_dumfries_and_galloway_has_its_five_land_neighbours(wh, vintage):
    g = place_geometry.lad_geometry(wh, vintage=vintage)
    w = place_geometry.build_connectivity(g, kind="queen")
    assert set(w.neighbors[DUMFRIES]) == DUMFRIES_LAND
    for code in DUMFRIES_LAND:  # and each of them has it back
        assert DUMFRIES in set(w.neighbors[code])


def test_scotlands_islands_are_the_three_island_councils(full_home):
    res = runner.invoke(app, ["clusters", "--home", str(full_home), "--method", "hotspot", "--scope", "scotland",
                              "--all", "--csv"])
    assert res.exit_code == 0, res.output
    t = pd.read_csv(io.StringIO(res.stdout))
    assert sorted(t.loc[t["hotspot"] == "island", "geo_name"]) == ["Na h-Eileanan Siar", "Orkney Islands",
                                                                  "Shetland Islands"]
    assert t.set_index("geo_code").loc[DUMFRIES, "hotspot"] != "island"
    assert ("Na h-Eileanan Siar, Orkney Islands and Shetland Islands have no neighbouring places (islands)"
            in t["caveat"].iloc[0])


def test_the_rule_is_queen_plus_the_pairs_within_the_tolerance(lads, rule):
    """Every pair libpysal's strict queen finds is kept; every pair added is within 1 km (shapely distance),
    and every pair within 1 km (less a metre for the buffers' polygonal circles) is joined."""
    from libpysal import weights

    ids = lads["geo_code"].astype(str).tolist()
    strict = weights.Queen.from_dataframe(lads, ids=ids, use_index=False, silence_warnings=True)
    ours = _pairs(rule)
    assert _pairs(strict) <= ours
    shapes = lads.set_index("geo_code").geometry
    extra = {tuple(sorted(p)) for p in ours - _pairs(strict)}
    assert {tuple(sorted((DUMFRIES, c))) for c in DUMFRIES_LAND} <= extra
    far = {p: shapes[p[0]].distance(shapes[p[1]]) for p in extra}
    assert max(far.values()) <= CONTIGUITY_TOLERANCE_M, max(far.items(), key=lambda kv: kv[1])
    head, tail = lads.sindex.query(lads.geometry, predicate="dwithin", distance=CONTIGUITY_TOLERANCE_M - 1.0)
    near = {(ids[a], ids[b]) for a, b in zip(head, tail, strict=True) if a != b}
    assert near <= ours, sorted(near - ours)[:5]


def test_islands_across_wider_water_stay_islands_and_the_menai_strait_is_bridged(lads, rule):
    shapes = lads.set_index("geo_code").geometry
    islands = {"E06000046", "E06000053", "S12000013", "S12000023", "S12000027"}  # Wight, Scilly, W. Isles, Orkney,
    assert set(rule.islands) == islands                                            # Shetland
    for code in islands:
        assert shapes.drop(code).distance(shapes[code]).min() > CONTIGUITY_TOLERANCE_M  # Wight: 1.2 km
    assert shapes["W06000001"].distance(shapes["W06000002"]) < 250  # Anglesey to Gwynedd across the Menai Strait
    assert set(rule.neighbors["W06000001"]) == {"W06000002"}
    assert "E06000052" in set(rule.neighbors["E06000026"])  # Plymouth and Cornwall, 474 m across the Tamar


@pytest.mark.parametrize("members", [[DUMFRIES], ["E06000026"], ["W06000001"], ["E09000033"],
                                     ["E09000001", "E09000033"], ["E06000063", DUMFRIES]])
def test_the_packs_neighbours_are_the_hotspot_weights_neighbours(lads, rule, members):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pack = neighbours(lads, members)
    weights = {str(j) for m in members for j in rule.neighbors[m]} - set(members)
    assert len(pack) == len(set(pack)) and set(pack) == weights



def test_the_packs_shapely_form_of_the_rule_finds_the_graphs_pairs_for_every_lad(full_warehouse):
    """``near_areas`` (shapely's distance test, no libpysal import: a single pack paid about 2 s to import
    libpysal for its neighbours) joins exactly the pairs ``contiguity``'s Graph joins, for each of the 361 LADs."""
    import geopandas as gpd

    from creative_clusters.geography.boundaries import contiguity, near_areas

    g = gpd.read_parquet(full_warehouse.home / "geometry" / "lad_2023.parquet").to_crs(27700)
    graph = contiguity(g)
    for code in g["geo_code"]:
        assert set(near_areas(g, [code])) == set(graph.neighbors[code]), code
