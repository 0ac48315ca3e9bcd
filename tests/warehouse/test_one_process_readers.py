"""A script may hold the warehouse open for writing and still build a pack (DuckDB opens a file one way per
process): the reader reads through the writer's connection; the reverse is a clear error."""

from __future__ import annotations

import shutil

import pytest

from creative_clusters.errors import WarehouseError
from creative_clusters.warehouse import Warehouse


@pytest.fixture()
def own_home(full_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(full_home, home, ignore=shutil.ignore_patterns("cache"))
    return home


def test_a_pack_builds_while_the_script_holds_the_warehouse_open(own_home, tmp_path):
    """`wh = Warehouse(); build_pack("Leeds", ...)` ended in DuckDB's "Can't open a connection to same database
    file with a different configuration"."""
    from creative_clusters.workflows.evidence import build_pack

    with Warehouse(own_home) as wh:
        n = len(wh.datasets())
        _ctx, paths = build_pack("Leeds", home=own_home, out=tmp_path / "pack", formats=["html"])
        assert paths[0].exists() and "Leeds" in paths[0].read_text(encoding="utf-8")
        assert len(wh.datasets()) == n  # the writer's connection still works
        reader = Warehouse(own_home, read_only=True)
        assert len(reader.datasets()) == n
        reader.close()
        assert len(wh.datasets()) == n  # closing the reader leaves the writer open


def test_a_writer_beside_an_open_reader_is_a_clear_error(own_home):
    with Warehouse(own_home, read_only=True), pytest.raises(WarehouseError, match=r"open read-only .* close that one"):
        Warehouse(own_home)
