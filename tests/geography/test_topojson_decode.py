"""TopoJSON decoding on a hand-made topology (synthetic, values worked by hand)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from creative_clusters.geography.topojson import decode_arcs, decode_layer, layer_names

# Quantised positions (before scale 0.5 and translate (10, 20)):
#   arc 0: (2,0)->(2,2)                 shared edge of the two unit squares
#   arc 1: (2,2)->(0,2)->(0,0)->(2,0)   rest of the left square
#   arc 2: (2,0)->(4,0)->(4,2)->(2,2)   rest of the right square (closed with arc 0 reversed)
#   arc 3: (0,4)->(4,4)->(4,8)->(0,8)->(0,4)   outer ring, 4x4
#   arc 4: (1,5)->(1,7)->(3,7)->(3,5)->(1,5)   hole, 2x2
TOPO = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "arcs": [
        [[2, 0], [0, 2]],
        [[2, 2], [-2, 0], [0, -2], [2, 0]],
        [[2, 0], [2, 0], [0, 2], [-2, 0]],
        [[0, 4], [4, 0], [0, 4], [-4, 0], [0, -4]],
        [[1, 5], [0, 2], [2, 0], [0, -2], [-2, 0]],
    ],
    "objects": {
        "areas": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"areacd": "L"}},
                {"type": "Polygon", "arcs": [[2, -1]], "properties": {"areacd": "R"}},
                {"type": "Polygon", "arcs": [[3], [4]], "properties": {"areacd": "H"}},
                {
                    "type": "MultiPolygon",
                    "arcs": [[[0, 1]], [[2, -1]]],
                    "properties": {"areacd": "LR"},
                },
            ],
        },
        "misc": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Point", "coordinates": [4, 2], "properties": {"id": "p"}},
                {"type": "LineString", "arcs": [0], "properties": {"id": "l"}},
                {"type": None, "properties": {"id": "null"}},
            ],
        },
    },
}


def _by(rows, key):
    return {p[key]: g for p, g in rows}


def test_arcs_are_delta_decoded_and_scaled():
    arcs = decode_arcs(TOPO)
    assert arcs[0].tolist() == [[11.0, 20.0], [11.0, 21.0]]
    assert arcs[1].tolist() == [[11.0, 21.0], [10.0, 21.0], [10.0, 20.0], [11.0, 20.0]]


def test_polygons_share_the_reversed_arc():
    geoms = _by(decode_layer(TOPO, "areas"), "areacd")
    assert shapely.equals(geoms["L"], shapely.box(10, 20, 11, 21))
    # right square: arc 2 then arc 0 reversed, the joint position kept once
    assert list(geoms["R"].exterior.coords) == [(11, 20), (12, 20), (12, 21), (11, 21), (11, 20)]
    assert geoms["L"].intersection(geoms["R"]).length == pytest.approx(1.0)


def test_hole_and_multipolygon():
    geoms = _by(decode_layer(TOPO, "areas"), "areacd")
    assert geoms["H"].area == pytest.approx(16 * 0.25 - 4 * 0.25)
    assert len(geoms["H"].interiors) == 1
    assert geoms["LR"].geom_type == "MultiPolygon"
    assert shapely.equals(shapely.union_all(list(geoms["LR"].geoms)), shapely.box(10, 20, 12, 21))


def test_points_lines_and_null():
    geoms = _by(decode_layer(TOPO, "misc"), "id")
    assert (geoms["p"].x, geoms["p"].y) == (12.0, 21.0)  # quantised, not delta-encoded
    assert list(geoms["l"].coords) == [(11, 20), (11, 21)]
    assert geoms["null"] is None


def test_unquantised_topology_uses_absolute_positions():
    topo = {
        "type": "Topology",
        "arcs": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]],
        "objects": {"a": {"type": "Polygon", "arcs": [[0]], "properties": {}}},
    }
    ((_props, geom),) = decode_layer(topo, "a")
    assert geom.area == 4.0


def test_matches_gdal_topojson_driver(tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    path = tmp_path / "tiny.topojson"
    path.write_text(json.dumps(TOPO))
    ref = pyogrio.read_dataframe(path, layer="areas")
    mine = _by(decode_layer(TOPO, "areas"), "areacd")
    for code, geom in zip(ref["areacd"], ref.geometry, strict=True):
        assert shapely.equals(shapely.normalize(mine[code]), shapely.normalize(geom)), code


def test_errors_are_clear():
    assert layer_names(TOPO) == ["areas", "misc"]
    with pytest.raises(KeyError, match="misc"):
        decode_layer(TOPO, "nope")
    with pytest.raises(ValueError, match="Topology"):
        decode_arcs({"type": "FeatureCollection"})
    bad = json.loads(json.dumps(TOPO))
    bad["objects"]["areas"]["geometries"][0]["arcs"] = [[0, 9]]
    with pytest.raises(ValueError, match="out of range"):
        decode_layer(bad, "areas")


def test_ring_is_closed_even_when_arcs_do_not_close():
    topo = {
        "type": "Topology",
        "arcs": [[[0, 0], [1, 0], [1, 1]]],
        "objects": {"a": {"type": "Polygon", "arcs": [[0]]}},
    }
    ((_, geom),) = decode_layer(topo, "a")
    coords = np.asarray(geom.exterior.coords)
    assert coords[0].tolist() == coords[-1].tolist()


def test_importer_reports_malformed_topojson_with_the_file(tmp_path):
    """Hand-typed malformed inputs in a fake data root (synthetic)."""
    from creative_clusters.errors import ImportFormatError
    from creative_clusters.sources._geography_files import read_topology_layers

    geo = tmp_path / "geography"
    geo.mkdir()
    (geo / "uk_topo.json").write_text('{"type": "Topology", "arcs": [')
    with pytest.raises(ImportFormatError, match=r"uk_topo\.json"):
        read_topology_layers(tmp_path)
    (geo / "uk_topo.json").write_text(json.dumps(TOPO))  # valid TopoJSON, wrong layers
    with pytest.raises(ImportFormatError, match="layer 'uk' not in the topology"):
        read_topology_layers(tmp_path)


def test_malformed_changes_file_names_row_and_column(tmp_path):
    """Hand-typed malformed changes.csv (synthetic)."""
    from creative_clusters.errors import ImportFormatError
    from creative_clusters.sources._geography_files import read_changes

    geo = tmp_path / "geography"
    geo.mkdir()
    (geo / "changes.csv").write_text(
        "oldcd,oldnm,newcd,newnm,type,start\n"
        "E07000187,Mendip,E06000066,Somerset,merger,2023\n"
        "E07000188,Sedgemoor,E06000066,Somerset,merger,soon\n"
    )
    with pytest.raises(ImportFormatError) as exc:
        read_changes(tmp_path)
    assert (exc.value.row, exc.value.column) == (3, "start")
    (geo / "changes.csv").write_text("old,new\nA,B\n")
    with pytest.raises(ImportFormatError, match="oldcd"):
        read_changes(tmp_path)
