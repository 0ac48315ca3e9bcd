"""Microcluster runs: provenance, coverage, several runs side by side, one current."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.microclusters.runs import build_run_record, coverage_lads, current_run, list_runs
from creative_clusters.warehouse import Warehouse


def _write(path, seed=0):
    """SYNTHETIC plain list: two tight groups near Sheffield centre and scattered firms, BNG metres."""
    rng = np.random.default_rng(seed)
    xy = np.r_[rng.normal(0, 150, (60, 2)) + np.array([435300, 387200]),
               rng.normal(0, 150, (55, 2)) + np.array([445000, 395000]),
               rng.uniform(0, 20000, (40, 2)) + np.array([425000, 377000])]
    pd.DataFrame({"name": [f"F{i}" for i in range(len(xy))], "easting": xy[:, 0], "northing": xy[:, 1],
                  "subsector": "design"}).to_csv(path, index=False)
    return path


def _run(path, home, *args):
    r = CliRunner().invoke(app, ["microclusters", str(path), "--out", str(home.parent / "out"), "--home", str(home),
                                 "--stability-reps", "2", *args])
    assert r.exit_code == 0, r.output
    return r


def test_runs_coexist_with_provenance_and_one_current(tmp_path):
    home = tmp_path / "home"
    plain = _write(tmp_path / "firms.csv")
    synth = _write(tmp_path / "SYNTHETIC_firms.csv", seed=1)
    _run(plain, home, "--eps", "500")
    _run(synth, home, "--eps", "400", "--current")  # a SYNTHETIC run displaces a real one only when asked
    with Warehouse(home, read_only=True) as wh:
        runs = list_runs(wh).set_index("firm_file")
        assert len(runs) == 2 and runs["is_current"].tolist() == [True, False]  # newest first
        first, second = runs.loc["firms.csv"], runs.loc["SYNTHETIC_firms.csv"]
        assert first["firm_file_sha256"] == hashlib.sha256(plain.read_bytes()).hexdigest()
        assert (first["rows_read"], first["rows_located"]) == (155, 155)
        assert not first["synthetic"] and second["synthetic"]  # flagged from the file name
        assert json.loads(second["params"])["eps_m"] == 400.0 and second["method"] == "split"
        for rid in runs["run_id"]:
            assert wh.has_table(f"microclusters_{rid}") and wh.has_table(f"microcluster_firms_{rid}")
            assert wh.geometry_path(f"microclusters_{rid}").exists()
        cur = current_run(wh)
        assert cur is not None and cur.run_id == second["run_id"] and cur.synthetic
        assert set(wh.table("microclusters")["run_id"]) == {second["run_id"]}
    r = CliRunner().invoke(app, ["microclusters-runs", "--use", first["run_id"], "--home", str(home)])
    assert r.exit_code == 0, r.output
    with Warehouse(home, read_only=True) as wh:
        assert current_run(wh).run_id == first["run_id"]
        assert set(wh.table("microclusters")["run_id"]) == {first["run_id"]}
        assert len(wh.read_geometry("microclusters")) == len(wh.table(f"microclusters_{first['run_id']}"))
    r = CliRunner().invoke(app, ["microclusters-runs", "--home", str(home)])
    assert r.exit_code == 0 and first["run_id"] in r.output and second["run_id"] in r.output


def test_same_file_and_settings_replace_their_own_version(tmp_path):
    home = tmp_path / "home"
    p = _write(tmp_path / "firms.csv")
    _run(p, home, "--eps", "500")
    _run(p, home, "--eps", "500", "--synthetic")
    with Warehouse(home, read_only=True) as wh:
        runs = list_runs(wh)
        assert len(runs) == 1 and bool(runs.loc[0, "synthetic"])  # the user's flag wins


def test_unknown_run_is_a_clear_error(tmp_path):
    home = tmp_path / "home"
    _run(_write(tmp_path / "firms.csv"), home)
    r = CliRunner().invoke(app, ["microclusters-runs", "--use", "rnope", "--home", str(home)])
    assert r.exit_code == 1 and "no microcluster run 'rnope'" in r.output


def test_no_load_still_attaches_area_names_read_only(tmp_path, full_home):
    before = sorted(p.name for p in (full_home / "geometry").iterdir())
    p = _write(tmp_path / "firms.csv")
    r = CliRunner().invoke(app, ["microclusters", str(p), "--eps", "500", "--out", str(tmp_path / "out"),
                                 "--no-load", "--home", str(full_home), "--stability-reps", "0"])
    assert r.exit_code == 0, r.output
    mc = pd.read_csv(tmp_path / "out" / "microclusters.csv")
    assert "Sheffield" in set(mc["lad23_name"])  # the group at Sheffield city centre
    assert sorted(p.name for p in (full_home / "geometry").iterdir()) == before
    run = json.loads((tmp_path / "out" / "run.json").read_text())["params"]["provenance"]
    assert run["firm_file"] == "firms.csv" and run["synthetic"] is False


def test_coverage_rule_and_real_south_yorkshire(sy_creative, full_warehouse):
    # by hand: 20 firms cover a LAD, 19 do not (strays)
    f = pd.DataFrame({"lad_code": ["A"] * 20 + ["B"] * 19})
    assert coverage_lads(f) == (["A"], ["B"])
    firms, rep = sy_creative

    class Result:  # the fields build_run_record reads
        params: ClassVar[dict] = {"method": "split", "eps_m": 1000.0}
        microclusters = pd.DataFrame()

    Result.firms = firms
    rec = build_run_record(Result, rep, Path(rep.file), warehouse=full_warehouse)
    # the four South Yorkshire LADs (LAD 2023: Barnsley, Doncaster, Rotherham, Sheffield)
    assert rec.covered == ("E08000016", "E08000017", "E08000018", "E08000019")
    assert rec.scope == "partial" and rec.address_kind == "registered" and not rec.synthetic
    assert rec.rows_read == 75_740


def test_a_synthetic_run_is_labelled_in_its_files(tmp_path):
    # was: microclusters.csv, .gpkg and .geojson of a SYNTHETIC firm file carried no flag, and its PNG map had an
    # ordinary title and an Open Government Licence source line
    import geopandas as gpd

    from creative_clusters.microclusters.outputs import map_texts

    home = tmp_path / "home"
    for name, flagged in (("SYNTHETIC_firms.csv", True), ("firms.csv", False)):
        out = tmp_path / f"out_{flagged}"
        r = CliRunner().invoke(app, ["microclusters", str(_write(tmp_path / name)), "--out", str(out),
                                     "--home", str(home), "--stability-reps", "2", "--eps", "500", "--no-load"])
        assert r.exit_code == 0, r.output
        table = pd.read_csv(out / "microclusters.csv")
        assert len(table) and table["synthetic"].tolist() == [flagged] * len(table), name
        for layer in ("microclusters.gpkg", "microclusters.geojson"):
            assert gpd.read_file(out / layer)["synthetic"].astype(bool).tolist() == [flagged] * len(table)
        params = json.loads((out / "run.json").read_text())["params"]
        title, source, synthetic = map_texts(params)
        assert synthetic is flagged and ("SYNTHETIC" in title) is flagged and ("SYNTHETIC" in source) is flagged
        assert ("Open Government Licence" in source) is not flagged


def test_a_missing_postcode_directory_is_refused(tmp_path):
    # was: `microclusters FILE --onspd nonexist.csv` ran and exited 0, the option silently ignored
    r = CliRunner().invoke(app, ["microclusters", str(_write(tmp_path / "firms.csv")), "--out", str(tmp_path / "o"),
                                 "--onspd", str(tmp_path / "nonexist.csv"), "--no-load"])
    assert r.exit_code == 2 and "--onspd" in r.output and not (tmp_path / "o").exists()
