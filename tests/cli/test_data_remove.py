"""`data remove DATASET [--vintage V]` and `data import --replace`, on a copy of the warehouse built from the
reference data.

Removing the 2025 English Indices of Deprivation leaves the 2019 ones, and
every figure (profile, national tables and their caches) reads those; a name
the warehouse lacks, or a failure half-way through the removal, changes
nothing. Going back to an earlier release of the creative-enterprise series
(the bundle's file cut at 2024, written at run time to ``tmp_path``, never
committed) is refused without ``--replace`` and done with it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from creative_clusters import kinds
from creative_clusters.cli import app
from creative_clusters.sources import business_counts_timeseries as bts
from creative_clusters.warehouse import Warehouse
from tests.sources.test_series_releases import _release, _root

pytestmark = pytest.mark.realdata

runner = CliRunner()
SHEFFIELD = "E08000019"


@pytest.fixture()
def home(full_home: Path, tmp_path: Path) -> Path:
    h = tmp_path / "home"
    shutil.copytree(full_home, h, ignore=shutil.ignore_patterns("cache"))
    return h


def _state(home: Path) -> dict[str, Any]:
    """Everything a removal may touch: catalogue, files' records, observation counts, tables, geometry files."""
    with Warehouse(home, read_only=True) as wh:
        names = sorted(wh.query("SELECT table_name FROM information_schema.tables")["table_name"])
        return {
            "version": wh.version(),
            "catalogue": wh.query("SELECT * FROM catalogue ORDER BY id").to_dict("records"),
            "files": wh.query("SELECT * FROM catalogue_files ORDER BY dataset_id, path").to_dict("records"),
            "rows": wh.query("SELECT dataset, count(*) AS n FROM observations GROUP BY dataset ORDER BY dataset")
                      .to_dict("records"),
            "tables": {n: wh.query(f'SELECT count(*) AS n FROM "{n}"')["n"].iloc[0] for n in names},
            "geometry": sorted(p.name for p in wh.geometry_dir.iterdir()),
        }


def _deprivation_source(home: Path) -> str:
    res = runner.invoke(app, ["profile", "Sheffield", "--json", "--home", str(home)])
    assert res.exit_code == 0, res.output
    england = [d for d in json.loads(res.stdout)["deprivation"] if d["label"].startswith("English")]
    assert len(england) == 1, england
    return str(england[0]["source"])


def test_removing_a_vintage_takes_it_out_and_figures_fall_back_to_what_the_catalogue_has(home):
    from creative_clusters.workflows.evidence import load_national

    with Warehouse(home, read_only=True) as wh:
        entries = wh.catalogue_entries(kinds.DEPRIVATION_ENGLAND)
        assert len(entries) >= 2, "the reference data has two English indices"
        latest, earlier = entries[-1], entries[-2]
        rows = len(wh.observations(dataset=latest.id))
        files = wh.query("SELECT path FROM catalogue_files WHERE dataset_id = ?", [latest.id])["path"].tolist()
    assert rows and files
    assert _deprivation_source(home) == latest.id
    before = load_national(home)  # the national tables, cached on disk and in memory under the warehouse's version
    assert before.deprivation[kinds.DEPRIVATION_ENGLAND][0] == latest.id

    res = runner.invoke(app, ["data", "remove", kinds.DEPRIVATION_ENGLAND, "--vintage", latest.vintage,
                              "--yes", "--home", str(home)])
    assert res.exit_code == 0, res.output
    assert f"Removed {latest.id} (kind {kinds.DEPRIVATION_ENGLAND}, vintage {latest.vintage})" in res.stdout
    assert f"{rows:,} observations" in res.stdout
    assert all(f in res.stdout for f in files)  # the source files it was imported from
    assert f"now read {earlier.id} (vintage {earlier.vintage})" in res.stdout

    with Warehouse(home, read_only=True) as wh:
        assert not wh.has_dataset(latest.id)
        assert wh.observations(dataset=latest.id).empty
        assert wh.query("SELECT * FROM catalogue_files WHERE dataset_id = ?", [latest.id]).empty
        assert wh.require_dataset(kinds.DEPRIVATION_ENGLAND).id == earlier.id
    assert _deprivation_source(home) == earlier.id
    after = load_national(home)  # the caches keyed on the warehouse's content are not served
    assert after.deprivation[kinds.DEPRIVATION_ENGLAND][:2] == (earlier.id, earlier.vintage)


def test_removing_a_layer_dataset_drops_its_tables_and_geometry(home):
    with Warehouse(home, read_only=True) as wh:
        assert wh.has_table("lsoa11_ttwa11") and wh.geometry_path("ttwa_2011").exists()
    res = runner.invoke(app, ["data", "remove", "geography_ttwa", "--home", str(home)], input="y\n")
    assert res.exit_code == 0, res.output
    assert "To remove: geography_ttwa" in res.stderr and "Remove geography_ttwa from the warehouse?" in res.stderr
    assert "table lsoa11_ttwa11; layer ttwa_2011" in res.stdout
    assert "No other dataset of geography_ttwa" in res.stdout
    with Warehouse(home, read_only=True) as wh:
        assert not wh.has_dataset("geography_ttwa") and not wh.has_table("lsoa11_ttwa11")
        assert not wh.geometry_path("ttwa_2011").exists()
        assert not [p for p in wh.geometry_dir.iterdir() if p.name.startswith(".")]  # nothing left aside


def test_answering_no_removes_nothing(home):
    before = _state(home)
    res = runner.invoke(app, ["data", "remove", "geography_ttwa", "--home", str(home)], input="n\n")
    assert res.exit_code == 1 and "Nothing was removed." in res.stderr
    assert _state(home) == before


@pytest.mark.parametrize(("args", "said"), [
    (["imd2019_englnd"], ["no dataset 'imd2019_englnd'", "Did you mean 'imd2019_england'",
                          "imd2025_england (vintage 2025)", "geography_ttwa (vintage 2011)"]),
    ([kinds.DEPRIVATION_ENGLAND], ["is a kind with 2 datasets", "imd2019_england (vintage 2019)",
                                   "imd2025_england (vintage 2025)", "--vintage"]),
    (["imd2019_england", "--vintage", "2025"], ["'imd2019_england' is vintage 2019, not 2025",
                                                "imd2025_england (vintage 2025)"]),
    ([kinds.DEPRIVATION_ENGLAND, "--vintage", "2010"], ["no dataset of kind", "has vintage 2010",
                                                        "imd2019_england (vintage 2019)"]),
])
def test_a_name_or_vintage_the_warehouse_lacks_is_refused_naming_what_there_is(home, args, said):
    before = _state(home)
    res = runner.invoke(app, ["data", "remove", *args, "--yes", "--home", str(home)])
    assert res.exit_code == 1, res.output
    text = " ".join(res.stderr.split())
    assert "nothing was removed" in text
    for s in said:
        assert s in text, (s, text)
    assert _state(home) == before


class _FailingConnection:
    """A DuckDB connection whose statement ``fail_on`` raises (a disk full half-way through, say)."""

    def __init__(self, con: Any, fail_on: str) -> None:
        self._con, self._fail_on = con, fail_on

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith(self._fail_on):
            raise OSError(28, "No space left on device (injected)")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


@pytest.mark.parametrize(("dataset", "fail_on"), [
    ("local_indicators", "DROP TABLE"),  # its observations already deleted
    ("local_indicators", "DELETE FROM catalogue WHERE"),  # observations, table and files' records deleted
    ("geography_ttwa", "DELETE FROM catalogue_files"),  # its table dropped, its geometry file moved aside
])
def test_a_failure_half_way_through_the_removal_changes_nothing(home, monkeypatch, dataset, fail_on):
    before = _state(home)
    real = Warehouse._connect

    def failing(self: Warehouse, *, read_only: bool) -> Any:
        con = real(self, read_only=read_only)
        return con if read_only else _FailingConnection(con, fail_on)

    monkeypatch.setattr(Warehouse, "_connect", failing)
    res = runner.invoke(app, ["data", "remove", dataset, "--yes", "--home", str(home)])
    monkeypatch.undo()
    assert res.exit_code == 1
    assert "No space left on device (injected)" in res.stderr
    assert _state(home) == before


def test_going_back_to_an_earlier_series_needs_replace_or_remove(home, data_root, tmp_path):
    root = _root(data_root, tmp_path)
    _release(data_root, root, 2024)  # an earlier release than the warehouse's (the bundle's 2010-2025)
    with Warehouse(home, read_only=True) as wh:
        held = wh.periods(bts.DATASET_ID)
    assert held[-1] == "2025"
    args = ["data", "import", str(root), "--only", bts.DATASET_ID, "--home", str(home)]

    refused = runner.invoke(app, args)
    assert refused.exit_code == 1
    text = " ".join(refused.stderr.split())
    assert "would drop 2025 only" in text
    assert "--replace" in text and f"creative-clusters data remove {bts.DATASET_ID}" in text
    with Warehouse(home, read_only=True) as wh:
        assert wh.periods(bts.DATASET_ID) == held

    replaced = runner.invoke(app, [*args, "--replace"])
    assert replaced.exit_code == 0, replaced.output
    with Warehouse(home, read_only=True) as wh:
        assert wh.periods(bts.DATASET_ID) == [p for p in held if p <= "2024"]
        assert wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SERIES).vintage == "2024"

    # the other way: take the series out, then the import has nothing to keep
    back = runner.invoke(app, ["data", "import", str(data_root), "--only", bts.DATASET_ID, "--home", str(home)])
    assert back.exit_code == 0, back.output
    removed = runner.invoke(app, ["data", "remove", bts.DATASET_ID, "--yes", "--home", str(home)])
    assert removed.exit_code == 0, removed.output
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    with Warehouse(home, read_only=True) as wh:
        assert wh.periods(bts.DATASET_ID)[-1] == "2024"
