"""Web review round 12 (API side): the outline rule and the no-data style come from Python, the page only draws.

Was: app.js outlined the places whose hotspot class was the literal "HH" (the exported maps outline the
detector's own ``cluster`` flag: Gi* hot or local Moran HH), drew its hotspot outline in its own copy of
the red, and drew places without a value white with its own legend words, where the exported and pack maps
hatch them grey. The expected values are the Python definitions and the detector's own output.
"""

from __future__ import annotations

import pytest

from creative_clusters._map_style import NO_DATA
from creative_clusters.workflows.cluster_maps import CLUSTER_FLAG, CLUSTER_OUTLINE


@pytest.fixture(scope="module")
def meta(client):
    return client.get("/api/meta").json()


def test_meta_sends_the_no_data_style_of_the_exported_and_pack_maps(meta):
    from creative_clusters.reporting.maps import NO_VALUE_STYLE

    assert meta["no_data"] == {"fill": NO_DATA.fill, "hatch_colour": NO_DATA.hatch_colour, "hatch": NO_DATA.hatch,
                               "label": NO_DATA.label}
    assert (meta["no_data"]["fill"], meta["no_data"]["hatch_colour"], meta["no_data"]["hatch"]) == (
        NO_VALUE_STYLE["facecolor"], NO_VALUE_STYLE["edgecolor"], NO_VALUE_STYLE["hatch"])


def test_meta_sends_the_cluster_outline_colour(meta):
    from creative_clusters.web.service import HOTSPOT_OUTLINE_LABEL

    assert meta["cluster_outline"] == {"colour": CLUSTER_OUTLINE, "label": HOTSPOT_OUTLINE_LABEL}


def _rows(client, measure, level):
    r = client.get(f"/api/indicators?level={level}&subsector=all&measure={measure}")
    assert r.status_code == 200, r.text
    return r.json()["rows"]


@pytest.mark.parametrize("level", ["lad", "ttwa"])
def test_hotspot_rows_say_which_places_are_outlined(client, level):
    """Each row carries ``outlined`` (a JSON boolean); the detector flags every HH place (Gi* hot or LISA HH)
    and never a place it could not test."""
    rows = _rows(client, "hotspot_class", level)
    assert rows and all(isinstance(r["outlined"], bool) for r in rows)
    assert any(r["outlined"] for r in rows)
    assert all(r["outlined"] for r in rows if r["value"] == "HH")
    assert not any(r["outlined"] for r in rows if r["value"] in ("island", "no data", None, ""))


def test_hotspot_outline_is_the_detectors_cluster_flag(client, full_home):
    """The rows marked ``outlined`` are the places the hotspot detection flags: the exported maps' outline."""
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows.detection import place_table, run_method

    with Warehouse(full_home) as wh:
        table, meta = place_table(wh, level="ttwa", subsector=None)
        res, _ = run_method(wh, table, meta, method="hotspot", seed=0)
    flagged = set(res.loc[res[CLUSTER_FLAG].astype(bool), "geo_code"].astype(str))
    rows = _rows(client, "hotspot_class", "ttwa")
    assert flagged and {r["geo_code"] for r in rows if r["outlined"]} == flagged


def test_cluster_label_rows_are_outlined_where_the_label_is_cluster(client):
    rows = _rows(client, "cluster_label", "lad")
    assert any(r["outlined"] for r in rows)
    assert all(r["outlined"] == (r["value"] == "cluster") for r in rows)

