"""`microclusters FIRMS --scheduler local` on a firm file: the firms that could not be located are written to
``unlocated_firms.csv`` and counted exactly as the single-machine run writes and counts them.

The firm file is SYNTHETIC (:func:`creative_clusters.testing.write_synthetic_product`, the Companies House
product's layout): real Sheffield and Doncaster postcodes, plus a postcode that does not exist (ZZ9 9ZZ is
no postcode of the directory) and a blank one, so some creative firms cannot be located.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.testing import write_synthetic_product

runner = CliRunner()


def _notes(output: str) -> list[str]:
    return [line for line in output.splitlines() if "could not be located" in line]


def test_dask_run_writes_the_single_machine_unlocated_firms(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATIVE_CLUSTERS_HOME", str(tmp_path / "home"))
    src = write_synthetic_product(tmp_path / "SYNTHETIC_BasicCompanyData-2024-11-01-part1_1.csv", 1500, seed=3,
                                  postcodes=np.array(["S1 2BX", "S11 9PA", "DN1 1AA", "ZZ9 9ZZ", ""], object),
                                  creative_share=0.3)
    common = ["--eps", "300", "--min-firms", "5", "--method", "dbscan", "--no-load"]
    one = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "one"), "--stability-reps", "0",
                              *common])
    assert one.exit_code == 0, one.output
    dask = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "dask"), "--scheduler", "local",
                               *common])
    assert dask.exit_code == 0, dask.output

    single = pd.read_csv(tmp_path / "one" / "unlocated_firms.csv", dtype=str, keep_default_na=False)
    assert len(single) > 0 and set(single["reason"]) >= {"no_postcode", "unmatched"}
    distributed = pd.read_csv(tmp_path / "dask" / "unlocated_firms.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(distributed, single)  # same columns, same rows, same order
    assert ((tmp_path / "dask" / "unlocated_firms.csv").read_bytes()
            == (tmp_path / "one" / "unlocated_firms.csv").read_bytes())

    rec_one = json.loads((tmp_path / "one" / "run.json").read_text())
    rec_dask = json.loads((tmp_path / "dask" / "run.json").read_text())
    assert rec_dask["unlocated_firms"] == rec_one["unlocated_firms"]
    assert rec_one["unlocated_firms"]["n"] == len(single)
    # the same count, said the same way: the warning naming the file, and the run note
    assert _notes(dask.output) and _notes(dask.output) == [n.replace("/one/", "/dask/") for n in _notes(one.output)]
    assert [n for n in rec_dask["notes"] if "could not be located" in n] == [
        n for n in rec_one["notes"] if "could not be located" in n]

    # and the Dask run clustered exactly the firms the single-machine run located
    points = pd.read_parquet(tmp_path / "dask" / "points")
    firms = pd.read_csv(tmp_path / "one" / "microcluster_firms.csv", dtype=str, keep_default_na=False)
    assert sorted(points["firm_id"].astype(str)) == sorted(firms["firm_id"])

