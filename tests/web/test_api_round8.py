"""Web review round 8 (API side): map classes from Python, no LQ from elsewhere, errors name the value, census.

The expected values are computed here by the workflows layer from the same warehouse, never written down.
"""

from __future__ import annotations

import itertools

import pytest

from creative_clusters.errors import ParameterError


@pytest.mark.parametrize("measure", ["business_count", "business_share"])
def test_indicator_classes_are_the_exported_maps_classes(client, web_app, measure, tmp_path, legend_labels):
    """The payload's breaks are those `map`'s choropleth draws for the same measure, level and year."""
    from creative_clusters.workflows.cluster_maps import choropleth, class_breaks, classify
    from creative_clusters.workflows.map_data import map_indicator
    from creative_clusters.workflows.place_geometry import level_geometry

    body = client.get("/api/indicators", params={"level": "lad", "measure": measure}).json()
    wh = web_app.state.service.current.snap.warehouse()
    table, source, _ = map_indicator(wh, level="lad", subsector="all", measure=measure, year=body["year"])
    assert body["classes"]["scheme"] == "quantiles"
    assert body["classes"]["breaks"] == pytest.approx(class_breaks(table["value"]))
    assert len(body["classes"]["breaks"]) >= 3
    values = [r["value"] for r in body["rows"]]
    assert [r["class"] for r in body["rows"]] == classify(values, body["classes"]["breaks"])
    assert body["classes"]["lowest"] == pytest.approx(min(v for v in values if v is not None))
    # one palette: the colours the exported map fills its classes with (was the page's own list)
    from creative_clusters.workflows.cluster_maps import quantile_colours

    assert body["classes"]["colours"] == quantile_colours(len(body["classes"]["breaks"]))

    # the exported map: its legend has one class per break, "lowest – break" as the web legend
    labels = legend_labels
    gdf = level_geometry(wh, "lad").merge(table[["geo_code", "value"]], on="geo_code")
    choropleth(gdf, "value", title="t", source=source, method="m", png=tmp_path / "m.png",
               svg=tmp_path / "m.svg", cluster=None)
    edges = [body["classes"]["lowest"], *body["classes"]["breaks"]]
    drawn = [f"{lo:.2f} – {hi:.2f}" for lo, hi in itertools.pairwise(edges)]
    from creative_clusters.workflows.cluster_maps import NO_DATA

    assert [x for x in labels if x != NO_DATA.label] == drawn


def _in_class(v, c, edges):
    """Whether ``v`` is in class ``c`` of a fixed scale with upper ``edges`` (the last class open above)."""
    above = c == 0 or v > edges[c - 1]
    return above and (c == len(edges) or v <= edges[c])


def test_lq_classes_are_the_exported_lq_maps_classes(client):
    """The LQ scale the map draws is cluster_maps' (edges, colours), each place's class computed by the server."""
    from creative_clusters.workflows import cluster_maps

    meta = client.get("/api/meta").json()["map_classes"]["ratio"]
    body = client.get("/api/indicators", params={"level": "lad", "measure": "business_lq"}).json()
    for scale in (meta, body["classes"]):
        assert scale["scheme"] == "diverging"
        assert tuple(scale["edges"]) == cluster_maps.LQ_CLASS_EDGES
        assert tuple(scale["colours"]) == cluster_maps.LQ_CLASS_COLOURS
        # the grey class is the one that holds 1, and it is the one the legend calls "about the same as England"
        lo, hi = scale["edges"][scale["middle"] - 1], scale["edges"][scale["middle"]]
        assert lo < 1 < hi and scale["colours"][scale["middle"]] == "#7a7a7a"
        assert scale["middle_label"] == "about the same as England"
    valued = [r for r in body["rows"] if r["value"] is not None]
    assert len(valued) > 250 and {r["class"] for r in valued} >= {0, 3, 6}  # both sides of 1 and around it
    assert all(_in_class(r["value"], r["class"], cluster_maps.LQ_CLASS_EDGES) for r in valued)
    assert all(r["class"] is None for r in body["rows"] if r["value"] is None)


def test_change_classes_are_fixed_steps_around_no_change(client):
    body = client.get("/api/indicators", params={"level": "lad", "measure": "series_growth"}).json()
    q = body["classes"]
    assert q["scheme"] == "diverging" and q["edges"] == [-20, -10, -2.5, 2.5, 10, 20]
    assert q["edges"][q["middle"] - 1] < 0 < q["edges"][q["middle"]] and "within 2.5% either way" in q["note"]
    valued = [r for r in body["rows"] if r["value"] is not None]
    assert valued and all(_in_class(r["value"], r["class"], q["edges"]) for r in valued)


def test_a_diverging_scale_refuses_edges_that_do_not_surround_its_centre():
    from creative_clusters.web.service import diverging_scale

    with pytest.raises(ParameterError, match=r"around 1\.0"):
        diverging_scale((1.1, 1.25), ("#000", "#111", "#222"), centre=1.0, middle_label="x", note="y")
    with pytest.raises(ParameterError, match="one colour more"):
        diverging_scale((0.9, 1.1), ("#000", "#111"), centre=1.0, middle_label="x", note="y")


def test_profile_without_an_lq_says_why(client):
    cardiff = client.get("/api/places/W06000015/profile").json()
    assert "business_lq" not in cardiff
    note = cardiff["business_lq_note"]
    assert "England" in note and "Cardiff" in note, note
    sheffield = client.get("/api/places/E08000019/profile").json()
    assert sheffield["business_lq"]["value"] > 0 and "business_lq_note" not in sheffield


def test_a_wrong_choice_names_the_value_the_choices_and_the_fix(client, web_app):
    v = web_app.state.service.current
    with pytest.raises(ParameterError) as exc:
        v.indicators_key("county", "all", "business_lq", None)
    msg = str(exc.value)
    assert "level 'county' is not one of ['lad', 'cauth', 'rgn', 'ttwa']" in msg
    assert "GET /api/meta" in msg and '"levels"' in msg
    meta = client.get("/api/meta").json()
    assert [lv["id"] for lv in meta["levels"]] == ["lad", "cauth", "rgn", "ttwa"]  # where the message points
    with pytest.raises(ParameterError, match=r"measure 'lq' is not one of .*\"measures\""):
        v.indicators_key("lad", "all", "lq", None)
    assert "measures" in meta
    with pytest.raises(ParameterError) as exc:  # choices /api/meta does not list: no pointer there
        v.geometry("lad", "ultra")
    assert str(exc.value) == "detail 'ultra' is not one of ['low', 'high']; use one of them"


def test_census_label_and_vintage_come_from_the_catalogue(client, web_app):
    wh = web_app.state.service.current.snap.warehouse()
    p = client.get("/api/places/E08000019/profile").json()
    cw = p["census_workforce"]
    src = cw["source"]
    row = wh.query("SELECT title, vintage FROM catalogue WHERE id = ?", [src["id"]]).iloc[0]
    assert src["vintage"] == row["vintage"] and src["title"] == row["title"]
    assert src["id"] == cw["residents"]["source"]
    assert cw["label"] == f"Census {row['vintage']}"


def test_a_devolved_lad_is_benchmarked_within_its_nation_and_across_the_uk(client):
    """The web served Cardiff's percentiles among the 22 Welsh LADs only, captioned "compared with 0 peer
    places"; it now carries the UK-wide percentile where the data reach all four nations, as the pack does."""
    cardiff = client.get("/api/places/W06000015/profile").json()
    rows = {b["label"]: b for b in cardiff["benchmark"]}
    birth = rows["Business birth rate (%)"]
    assert birth["percentile"] is not None and birth["percentile_uk"] is not None and birth["n_uk"] > 350
    census = next(b for k, b in rows.items() if k.startswith("Residents in employment in creative industry"))
    assert census["percentile_uk"] is None  # Census 2021 reaches England and Wales only
    assert "0 peer places" not in cardiff["benchmark_note"] and "UK" in cardiff["benchmark_note"]
    sheffield = client.get("/api/places/E08000019/profile").json()
    assert all(b["percentile_uk"] is None for b in sheffield["benchmark"])  # England keeps its base and peers
