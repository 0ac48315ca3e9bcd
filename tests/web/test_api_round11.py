"""Web review round 11 (API side): categorical map classes and per cents come from Python, the page only draws.

Was: the trajectory classes were purple/orange on the web map but Okabe-Ito on the exported maps (one class,
two colours), the hotspot quadrants had colours and labels in app.js only, and the page multiplied a
microcluster's dominant share and a growth window's CAGR by 100 itself. The expected values are the
cluster_maps constants and the workflows' own outputs, never written down here.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box


@pytest.fixture(scope="module")
def meta(client):
    return client.get("/api/meta").json()


def _python_scale(measure: str) -> dict[str, list[str]]:
    from creative_clusters.workflows.cluster_maps import CATEGORY_CLASSES

    cats = CATEGORY_CLASSES[measure]
    return {"values": [c.value for c in cats], "colours": [c.colour for c in cats], "labels": [c.label for c in cats]}


def test_meta_serves_every_categorical_measures_palette_and_labels_from_cluster_maps(meta):
    categorical = {m["id"] for m in meta["measures"] if m["kind"] == "category"}
    assert categorical == {"trajectory_class", "hotspot_class", "cluster_label"}
    assert set(meta["category_classes"]) == categorical
    for measure, scale in meta["category_classes"].items():
        assert scale["scheme"] == "categories"
        assert {k: scale[k] for k in ("values", "colours", "labels")} == _python_scale(measure)


def test_one_value_one_colour_and_every_colour_a_hex_colour():
    from creative_clusters.workflows.cluster_maps import CATEGORY_CLASSES, CATEGORY_COLOURS, CATEGORY_LABELS

    values = [c.value for cats in CATEGORY_CLASSES.values() for c in cats]
    assert len(values) == len(set(values)) == len(CATEGORY_COLOURS) == len(CATEGORY_LABELS)
    for cats in CATEGORY_CLASSES.values():
        colours = [c.colour.lower() for c in cats]
        assert len(set(colours)) == len(colours)  # within a measure no two classes look alike
        assert all(len(c) == 7 and int(c[1:], 16) >= 0 for c in colours)


def test_the_classes_cover_what_the_producers_can_give():
    """A value missing from the palette would be drawn as "no data": every class the detectors give is listed."""
    from creative_clusters.clusters.hotspot import _QUAD
    from creative_clusters.clusters.trajectory import TRAJECTORY_CLASSES
    from creative_clusters.workflows.cluster_maps import CATEGORY_CLASSES

    assert [c.value for c in CATEGORY_CLASSES["trajectory_class"]] == list(TRAJECTORY_CLASSES)
    hot = {c.value for c in CATEGORY_CLASSES["hotspot_class"]}
    assert hot == {*_QUAD.values(), "not significant", "island"}  # map_data: "ns" -> "not significant"
    assert {c.value for c in CATEGORY_CLASSES["cluster_label"]} == {"cluster", "not a cluster"}


@pytest.mark.parametrize(("measure", "level"), [("trajectory_class", "lad"), ("hotspot_class", "lad"),
                                                ("cluster_label", "lad")])
def test_each_row_carries_the_index_of_its_category(client, meta, measure, level):
    body = client.get("/api/indicators", params={"level": level, "measure": measure}).json()
    scale = body["classes"]
    assert scale == meta["category_classes"][measure]
    values = scale["values"]
    for r in body["rows"]:
        assert r["class"] == (values.index(r["value"]) if r["value"] in values else None), r
    classed = [r for r in body["rows"] if r["class"] is not None]
    assert len(classed) > 250 and len({r["class"] for r in classed}) >= 2
    # nothing but "no class" is left unclassed (a class the palette lacked would be drawn as no data)
    assert {r["value"] for r in body["rows"] if r["class"] is None} <= {None, "", "no data"}


def _legend_spy(monkeypatch) -> list[tuple[str, str]]:
    """(label, fill colour as #rrggbb) of every legend entry matplotlib draws during the test."""
    import matplotlib.axes
    from matplotlib.colors import to_hex

    drawn: list[tuple[str, str]] = []
    real = matplotlib.axes.Axes.legend

    def spy(self: Any, *args: Any, handles: Any = (), **kw: Any) -> Any:
        drawn.extend((h.get_label(), to_hex(h.get_facecolor())) for h in handles)
        return real(self, *args, handles=handles, **kw)

    monkeypatch.setattr(matplotlib.axes.Axes, "legend", spy)
    return drawn


@pytest.mark.parametrize("measure", ["hotspot_class", "trajectory_class"])
def test_the_exported_maps_draw_the_palette_and_labels_the_api_serves(meta, measure, monkeypatch, tmp_path):
    """The static map of a categorical measure has the web legend's colours and labels (SYNTHETIC boxes)."""
    from creative_clusters.workflows.cluster_maps import choropleth

    scale = meta["category_classes"][measure]
    values = [*scale["values"], ""]  # every class and one place without a class
    gdf = gpd.GeoDataFrame({"value": np.array(values, dtype=object)},
                           geometry=[box(i, 0, i + 1, 1) for i in range(len(values))], crs=27700)
    drawn = _legend_spy(monkeypatch)
    assert choropleth(gdf, "value", title="SYNTHETIC", source="synthetic", method="m", png=tmp_path / "m.png",
                      svg=tmp_path / "m.svg", cluster=None) == "categories"
    want = [(f"{label} (1)", colour.lower()) for label, colour in zip(scale["labels"], scale["colours"], strict=True)]
    assert drawn[:-1] == want
    assert drawn[-1][0] == f"{meta['no_data']['label']} (1)"  # the web legend's words for no class


def test_growth_windows_carry_the_cagr_in_per_cent(client):
    p = client.get("/api/places/E08000019/profile").json()
    windows = p["trajectory"]["windows"]
    assert len([w for w in windows if w["cagr"] is not None]) >= 2
    for w in windows:
        assert "cagr" in w  # the fraction stays for other users of the API
        if w["cagr"] is None:
            assert w["cagr_pct"] is None
        else:
            assert w["cagr_pct"] == pytest.approx(100 * w["cagr"], abs=1e-9)


def test_microcluster_layer_carries_the_dominant_share_in_per_cent(tmp_path):
    """The overlay adds ``dominant_share_pct`` (the warehouse stores fractions, 4 decimals); SYNTHETIC boxes.

    A stand-in for the warehouse: the session's has no microclusters run (they need a firm register).
    """
    from creative_clusters.web.service import overlay_body

    gdf = gpd.GeoDataFrame({"microcluster_id": ["a", "b", "c"], "dominant_share": [0.3846, 1.0, np.nan]},
                           geometry=[box(i, 0, i + 1, 1) for i in range(3)], crs=4326)
    (tmp_path / "microclusters.parquet").touch()
    wh = SimpleNamespace(geometry_path=lambda name: tmp_path / f"{name}.parquet", read_geometry=lambda name: gdf,
                         has_table=lambda name: False)  # no stored runs (the layer's provenance, round 19)
    props = [f["properties"] for f in json.loads(overlay_body(wh, "microclusters").body)["features"]]
    assert [p["dominant_share_pct"] for p in props] == [38.46, 100.0, None]
    assert [p["dominant_share"] for p in props] == [0.3846, 1.0, None]  # the fraction stays
