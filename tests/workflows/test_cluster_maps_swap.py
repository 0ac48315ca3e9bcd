"""write_map puts a whole map folder in place at once: a failure leaves `out` as it was, a reader never sees a mix.

Synthetic places on a made-up grid (labelled synthetic); only the file handling is under test.
"""

from __future__ import annotations

import os
import pathlib

import pandas as pd
import pytest

from creative_clusters.errors import ParameterError
from creative_clusters.workflows import cluster_maps
from creative_clusters.workflows.cluster_maps import write_map


def _inputs(shift: float = 0.0):
    import geopandas as gpd
    from shapely.geometry import box

    codes = [f"E060000{i:02d}" for i in range(1, 7)]
    geometry = gpd.GeoDataFrame({"geo_code": codes},
                                geometry=[box(400000 + 1000 * i, 300000, 400900 + 1000 * i, 300900) for i in range(6)],
                                crs=27700)
    places = pd.DataFrame({"geo_code": codes, "v": [0.5 + i + shift for i in range(6)],
                           "cluster": [i % 2 == 0 for i in range(6)]})
    return places, geometry


def _write(out, shift: float = 0.0, **kw):
    places, geometry = _inputs(shift)
    return write_map(places, geometry, out, value="v", title="synthetic", source="synthetic", method="test", **kw)


def _state(folder):
    """Every entry of ``folder`` with its inode and modification time (a replaced file has a new inode)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture()
def written(tmp_path):
    out = tmp_path / "map"
    _write(out)
    (out / "notes.txt").write_text("the user's own notes")
    (out / "drafts").mkdir()
    (out / "drafts" / "a.txt").write_text("draft")
    return out


def test_tables_land_with_the_map_and_unrelated_files_stay(written, tmp_path):
    before = _state(written)
    paths = _write(written, shift=1.0, tables={"corridor_summary": pd.DataFrame({"corridor": [0, 1]})})
    assert paths["corridor_summary"] == written / "corridor_summary.csv"
    assert len(pd.read_csv(written / "corridor_summary.csv")) == 2
    after = _state(written)
    assert set(after) == {*before, "corridor_summary.csv"}
    for name in ("clusters.csv", "clusters.png", "clusters.gpkg"):
        assert after[name][0] != before[name][0]  # replaced
    assert (written / "notes.txt").read_text() == "the user's own notes"
    assert (written / "drafts" / "a.txt").read_text() == "draft"
    assert [p.name for p in tmp_path.iterdir()] == ["map"]  # no temporary or old folder left


def test_a_failure_while_writing_leaves_out_untouched(written, tmp_path, monkeypatch):
    before = _state(written)

    def boom(*a, **kw):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(cluster_maps, "choropleth", boom)
    with pytest.raises(RuntimeError):
        _write(written, shift=1.0)
    assert _state(written) == before
    assert [p.name for p in tmp_path.iterdir()] == ["map"]


def test_a_failure_while_putting_the_folder_in_place_leaves_out_all_old(written, tmp_path, monkeypatch):
    """The second move into `out` fails (disk full, a Windows lock): `out` has the old files, none of the new."""
    before = _state(written)
    moved: list[str] = []
    real_replace, real_rename = os.replace, pathlib.Path.rename

    def replace(src, dst, *a, **kw):  # files moved one by one into `out`
        if pathlib.Path(dst).parent == written:
            moved.append(str(dst))
            if len(moved) == 2:
                raise OSError("disk full")
        return real_replace(src, dst, *a, **kw)

    def rename(self, target):  # the finished folder moved to `out`
        if pathlib.Path(target) == written and ".old-" not in self.name:  # not the old folder put back
            raise OSError("disk full")
        return real_rename(self, target)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(pathlib.Path, "rename", rename)
    with pytest.raises(OSError, match="disk full"):
        _write(written, shift=1.0)
    monkeypatch.undo()
    assert _state(written) == before
    assert [p.name for p in tmp_path.iterdir()] == ["map"]


@pytest.mark.parametrize("name", ["../x", "", ".hidden", "clusters", "a/b"])
def test_table_names_must_be_plain_file_names(tmp_path, name):
    with pytest.raises(ParameterError, match="plain file name"):
        _write(tmp_path / "m", tables={name: pd.DataFrame({"a": [1]})})
    assert not (tmp_path / "m").exists()
