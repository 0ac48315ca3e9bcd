"""``data import/status/verify/export``, ``--help`` everywhere and ``--version``."""

from __future__ import annotations

import json

import click
import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from creative_clusters import __version__
from creative_clusters._schema import OBS_KEY, validate_observations
from creative_clusters.cli import app
from creative_clusters.sources.registry import all_datasets

runner = CliRunner()


def _all_command_paths() -> list[list[str]]:
    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]

    def walk(cmd: click.Command, prefix: list[str]) -> None:
        if hasattr(cmd, "commands"):  # a group: typer 0.29 vendors its own click, so not a click.Group
            for name, sub in cmd.commands.items():
                paths.append([*prefix, name])
                walk(sub, [*prefix, name])

    walk(root, [])
    assert len(paths) > 20, paths  # every command, not only the root
    return paths


@pytest.mark.parametrize("path", _all_command_paths(), ids=lambda p: " ".join(p) or "root")
def test_every_command_has_help(path):
    res = runner.invoke(app, [*path, "--help"])
    assert res.exit_code == 0, res.output
    assert "Usage" in res.output


def test_version():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and __version__ in res.stdout


def test_status_lists_every_registered_dataset(full_home):
    res = runner.invoke(app, ["data", "status", "--json", "--home", str(full_home)])
    assert res.exit_code == 0
    ids = {d["id"] for d in json.loads(res.stdout)}
    assert ids == {s.id for s in all_datasets()}


def test_verify_passes_on_the_bundle(full_home, data_root):
    res = runner.invoke(app, ["data", "verify", str(data_root), "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    assert "match" in res.stderr


def test_export_round_trip_reproduces_every_value_and_flag(full_home, data_root, tmp_path):
    """Re-read every file with its importer and compare with what the warehouse exports."""
    out = tmp_path / "obs.parquet"
    res = runner.invoke(app, ["data", "export", str(out), "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    exported = pd.read_parquet(out)
    fresh = []
    for spec in all_datasets():
        result = spec.reader(data_root)
        if result.observations is not None and len(result.observations):
            fresh.append(validate_observations(result.observations, source=spec.id))
    fresh = pd.concat(fresh, ignore_index=True)
    assert len(exported) == len(fresh)
    a = exported.sort_values(OBS_KEY).reset_index(drop=True)
    b = fresh.sort_values(OBS_KEY).reset_index(drop=True)
    for col in ("dataset", "geo_code", "period", "measure", "disclosure_flag", "industry_code", "status"):
        assert (a[col].astype(str).to_numpy() == b[col].astype(str).to_numpy()).all(), col
    va, vb = a["value"].to_numpy(), b["value"].to_numpy()
    assert np.array_equal(np.isnan(va), np.isnan(vb))
    assert np.array_equal(va[~np.isnan(va)], vb[~np.isnan(vb)])
    # a suppressed cell is never a zero
    assert not (a.loc[a["disclosure_flag"] == "suppressed", "value"].fillna(-1) == 0).any()


def test_import_cli_into_fresh_home_and_reimport_is_idempotent(data_root, tmp_path):
    home = tmp_path / "h"
    args = ["data", "import", str(data_root), "--only", "business_counts_2025", "--home", str(home)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    from creative_clusters.warehouse import Warehouse

    with Warehouse(home, read_only=True) as wh:
        before = wh.query("SELECT * FROM observations ORDER BY ALL")
    assert runner.invoke(app, args).exit_code == 0
    with Warehouse(home, read_only=True) as wh:
        after = wh.query("SELECT * FROM observations ORDER BY ALL")
        assert wh.observations(dataset="business_counts_2025", industry_scheme="SIC2007")["value"].sum() == 246790
    pd.testing.assert_frame_equal(before, after)


def test_import_of_missing_directory_is_one_line_error(tmp_path):
    res = runner.invoke(app, ["data", "import", str(tmp_path / "nope"), "--home", str(tmp_path / "h")])
    assert res.exit_code == 1
    assert "not a directory" in res.stderr and "Traceback" not in res.output


def test_unknown_dataset_id_lists_known(data_root, tmp_path):
    res = runner.invoke(app, ["data", "import", str(data_root), "--only", "nope", "--home", str(tmp_path / "h")])
    assert res.exit_code == 1
    assert "business_counts_2025" in res.stderr
