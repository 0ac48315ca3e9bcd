"""``data verify DIR`` checks the files in DIR; ``data export OUT`` refuses bad datasets and outputs cleanly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.sources._base import DatasetSpec, ImportResult
from creative_clusters.warehouse import Warehouse

runner = CliRunner()


def _verify(folder: Path, home: Path, *extra: str):
    return runner.invoke(app, ["data", "verify", str(folder), "--home", str(home), *extra])


# ------------------------------------------------------------------ data verify


def test_verify_of_a_missing_directory_is_a_clear_error(full_home, data_root, tmp_path):
    res = _verify(tmp_path / "nonexist", full_home)
    assert res.exit_code == 1
    assert "not a directory" in res.stderr and str(tmp_path / "nonexist") in res.stderr
    assert str(data_root.resolve()) in res.stderr  # says which folder was imported
    assert "match" not in res.output and "Traceback" not in res.output


def test_verify_looks_in_dir_and_reports_absent_files_missing(full_home, data_root, tmp_path):
    """A folder holding one copied and one changed file: those two are checked there, the rest are missing."""
    with Warehouse(full_home, read_only=True) as wh:
        files = wh.query("SELECT DISTINCT path FROM catalogue_files ORDER BY path")["path"].tolist()
    same, changed = files[0], files[1]
    (tmp_path / same).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data_root / same, tmp_path / same)  # a copy made at run time, in tmp_path
    (tmp_path / changed).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / changed).write_text("not the imported file\n")

    res = _verify(tmp_path, full_home, "--json")
    assert res.exit_code == 1
    rows = json.loads(res.stdout)
    assert {r["status"] for r in rows if r["path"] == same} == {"ok"}
    assert {r["status"] for r in rows if r["path"] == changed} == {"changed"}
    others = [r for r in rows if r["path"] not in (same, changed)]
    assert others and {r["status"] for r in others} == {"missing"}
    assert all(r["checked"].startswith(str(tmp_path)) for r in rows)

    text = _verify(tmp_path, full_home)
    assert text.exit_code == 1
    n_changed = sum(r["path"] == changed for r in rows)
    # review round 7: "112 missing of 112 file(s) … they differ from what was imported" conflated the two
    assert f"Of {len(rows)} imported files: {len(others)} missing (not found in {tmp_path})" in text.stderr
    assert f"{n_changed} changed (found, but the checksum differs" in text.stderr
    assert "file(s)" not in text.stderr and "differ from what was imported" not in text.stderr


def test_verify_empty_dir_fails(full_home, tmp_path):
    res = _verify(tmp_path, full_home)
    assert res.exit_code == 1
    assert "match their imported checksums" not in res.stderr


def _spec(dataset: str, files: tuple[str, ...]) -> DatasetSpec:
    frame = pd.DataFrame({"x": [1]})
    return DatasetSpec(
        id=dataset, title=f"Synthetic {dataset}", publisher="test", licence="OGL",
        source_url="https://example.invalid", vintage="2025", files=files,
        reader=lambda root: ImportResult(tables={dataset: frame}, coverage="synthetic"),
    )


def test_verify_maps_nested_import_roots_into_dir_and_checks_outside_files_in_place(tmp_path):
    """A dataset imported from a sub-folder of the data folder (firms/) is looked up under DIR/firms;
    one imported from outside the data folder is checked where it was imported from."""
    data, outside = tmp_path / "data", tmp_path / "own"
    (data / "firms").mkdir(parents=True)
    outside.mkdir()
    (data / "a.csv").write_text("a\n1\n")
    (data / "b.csv").write_text("b\n1\n")
    (data / "firms" / "f.csv").write_text("f\n1\n")
    (outside / "mine.csv").write_text("m\n1\n")
    home = tmp_path / "home"
    with Warehouse(home) as wh:
        wh.import_datasets([_spec("ds_a", ("a.csv", "b.csv"))], data)
        wh.import_datasets([_spec("ds_f", ("f.csv",))], data / "firms")
        wh.import_datasets([_spec("ds_m", ("mine.csv",))], outside)

    copy = tmp_path / "copy"
    shutil.copytree(data, copy)
    res = _verify(copy, home, "--json")
    assert res.exit_code == 0, res.output
    checked = {r["dataset_id"] + ":" + r["path"]: (r["status"], r["checked"]) for r in json.loads(res.stdout)}
    assert checked["ds_f:f.csv"] == ("ok", str(copy / "firms" / "f.csv"))
    assert checked["ds_a:a.csv"] == ("ok", str(copy / "a.csv"))
    assert checked["ds_m:mine.csv"] == ("ok", str(outside.resolve() / "mine.csv"))

    (copy / "b.csv").unlink()
    (data / "firms" / "f.csv").unlink()  # the original is gone: the copy still counts
    res = _verify(copy, home, "--json")
    assert res.exit_code == 1
    status = {r["path"]: r["status"] for r in json.loads(res.stdout)}
    assert status == {"a.csv": "ok", "b.csv": "missing", "f.csv": "ok", "mine.csv": "ok"}


# ------------------------------------------------------------------ data export


def _export(out: Path, home: Path, *extra: str):
    return runner.invoke(app, ["data", "export", str(out), "--home", str(home), *extra])


def test_export_of_unknown_dataset_names_it_suggests_and_writes_nothing(full_home, tmp_path):
    out = tmp_path / "obs.csv"
    res = _export(out, full_home, "--dataset", "business_counts_2052")
    assert res.exit_code == 1
    assert "'business_counts_2052'" in res.stderr
    assert "business_counts_2025" in res.stderr  # the closest known id
    assert "Wrote" not in res.output and "Traceback" not in res.output
    assert not out.exists() and list(tmp_path.iterdir()) == []

    bogus = _export(out, full_home, "--dataset", "bogus")
    assert bogus.exit_code == 1 and "'bogus'" in bogus.stderr and "data status" in bogus.stderr
    assert not out.exists()


def test_export_of_registered_but_unimported_dataset_says_how_to_import(tmp_path, data_root):
    home = tmp_path / "h"
    assert runner.invoke(
        app, ["data", "import", str(data_root), "--only", "sic2007_hierarchy", "--home", str(home)]
    ).exit_code == 0
    res = _export(tmp_path / "o.csv", home, "--dataset", "business_counts_2025")
    assert res.exit_code == 1
    assert "data import" in res.stderr and "--only business_counts_2025" in res.stderr
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("name", ["x.txt", "obs", "obs.csv.gz"])
def test_export_to_an_unknown_suffix_names_the_supported_ones(full_home, tmp_path, name):
    out = tmp_path / name
    res = _export(out, full_home, "--dataset", "business_counts_2025")
    assert res.exit_code == 1
    assert ".parquet" in res.stderr and ".csv" in res.stderr and "Traceback" not in res.output
    assert not out.exists()


def test_export_to_a_directory_is_a_one_line_error(full_home, tmp_path):
    folder = tmp_path / "x_existing_dir"
    folder.mkdir()
    res = _export(folder, full_home, "--dataset", "business_counts_2025")
    assert res.exit_code == 1
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "is a directory" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert list(folder.iterdir()) == []


def test_export_to_an_unwritable_place_is_a_one_line_error(full_home, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    for out in (Path("/proc/foo.csv"), blocker / "obs.csv"):
        res = _export(out, full_home, "--dataset", "business_counts_2025")
        assert res.exit_code == 1, res.output
        assert res.exception is None or isinstance(res.exception, SystemExit)
        assert res.stderr.startswith("Error: ") and str(out) in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["obs.csv", "obs.CSV", "obs.parquet"])
def test_export_of_one_dataset_writes_it_atomically(full_home, tmp_path, name):
    out = tmp_path / "sub" / name
    res = _export(out, full_home, "--dataset", "business_counts_2025")
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out) if name.lower().endswith(".csv") else pd.read_parquet(out)
    assert len(got) > 0 and set(got["dataset"]) == {"business_counts_2025"}
    assert f"Wrote {len(got):,} observations" in res.stderr
    assert [p.name for p in out.parent.iterdir()] == [name]  # no temporary file left behind


def test_export_of_a_dataset_holding_only_tables_says_so(full_home, tmp_path):
    """Review round 7: `data export out.csv --dataset anchors_hei` wrote a header-only file and said 'Wrote 0
    observations'; `data status` listed it with '0 observations'."""
    out = tmp_path / "h.csv"
    res = runner.invoke(app, ["data", "export", str(out), "--dataset", "anchors_hei", "--home", str(full_home)])
    assert res.exit_code != 0 and not out.exists()
    assert "anchors_hei holds tables, not observations" in res.output and "nothing to export" in res.output
    status = runner.invoke(app, ["data", "status", "--home", str(full_home)], env={"COLUMNS": "80"})
    assert "anchors_hei  (vintage 2015, tables only, no observations)" in status.stdout
    assert " 0 observations" not in status.stdout and "1 geographies" not in status.stdout
