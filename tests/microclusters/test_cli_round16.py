"""Round 16 (microclusters command): the hub policy and provenance on the ``--scheduler`` path, SIGTERM
cleanup, bad-input messages and the command's wording.

Every firm file here is SYNTHETIC, built in ``tmp_path``: invented firms placed by BNG coordinates in the
file (columns x and y; no postcode lookup), in 22 tight groups of 12 around Sheffield plus one registered-office hub (45
firms at one postcode, one point) and scattered firms.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()

HUB_POSTCODE = "S1 9ZZ"
FAST = ["--stability-reps", "0", "--eps", "300", "--min-firms", "10", "--method", "dbscan", "--no-load",
        "--hub-min-companies", "40", "--hub-cap", "5"]


def _firms(n_groups: int = 22, seed: int = 16) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(n_groups):
        cx, cy = 425000 + 2500 * (g % 6), 380000 + 2500 * (g // 6)
        for i in range(12):
            rows.append((f"SYNTHETIC GROUP {g} FIRM {i}", f"S{g + 2} {i % 9}AB", cx + rng.normal(0, 60),
                         cy + rng.normal(0, 60)))
    # the hub: 45 firms registered at one postcode (one point), beside a group too small to cluster alone
    for i in range(45):
        rows.append((f"SYNTHETIC HUB CLIENT {i}", HUB_POSTCODE, 441000.0, 391000.0))
    for i in range(6):
        rows.append((f"SYNTHETIC HUB NEIGHBOUR {i}", f"S1 {i}CD", 441000 + rng.normal(0, 80),
                     391000 + rng.normal(0, 80)))
    for i in range(30):  # scattered
        rows.append((f"SYNTHETIC LONE FIRM {i}", f"S40 {i % 9}EF", rng.uniform(410000, 460000),
                     rng.uniform(360000, 420000)))
    # x/y, not easting/northing: a CSV with those is a point file to --scheduler, clustered as it is
    t = pd.DataFrame(rows, columns=["name", "postcode", "x", "y"])
    t["sic"] = "62012"
    t["ladcd"] = "E08000019"
    return t


def _firm_file(folder: Path, **kw: int) -> Path:
    path = folder / "SYNTHETIC_firms.csv"
    _firms(**kw).to_csv(path, index=False)
    return path


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATIVE_CLUSTERS_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def serial_dask(monkeypatch):
    """``--scheduler`` runs its Dask code path with the in-process executor (no LocalCluster start-up, which
    takes a minute on a small machine; tests/distributed covers the real cluster)."""
    import creative_clusters.distributed.cluster as cluster

    @contextlib.contextmanager
    def here(scheduler, **kw):
        yield None

    monkeypatch.setattr(cluster, "connect", here)


# 4. --scheduler applies the hub policy and records the provenance

@pytest.mark.parametrize("policy", ["exclude", "downweight", "keep"])
def test_scheduler_labels_equal_single_machine_under_each_hub_policy(tmp_path, home, serial_dask, policy):
    src = _firm_file(tmp_path)
    one = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "one"), "--hubs", policy, *FAST])
    assert one.exit_code == 0, one.output
    dask = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "dask"), "--hubs", policy,
                               "--scheduler", "local", *FAST])
    assert dask.exit_code == 0, dask.output
    single = pd.read_csv(tmp_path / "one" / "microcluster_firms.csv", dtype=str, keep_default_na=False)
    points = pd.read_parquet(tmp_path / "dask" / "points").sort_values("gid")
    assert points["gid"].tolist() == list(range(len(single)))
    assert points["name"].astype(str).tolist() == single["name"].tolist()
    assert points["microcluster_id"].astype(str).tolist() == single["microcluster_id"].tolist()
    hub = single["postcode"] == HUB_POSTCODE
    clustered_hub = (single.loc[hub, "microcluster_id"] != "").sum()
    assert clustered_hub == (0 if policy == "exclude" else 45)  # the policy changed the labels
    summary = pd.read_csv(tmp_path / "dask" / "microclusters.csv")
    mc = pd.read_csv(tmp_path / "one" / "microclusters.csv")
    assert summary.set_index("microcluster_id")["n_firms"].to_dict() == mc.set_index("microcluster_id")[
        "n_firms"].to_dict()
    assert f"hubs {policy}" in dask.output
    params = json.loads((tmp_path / "dask" / "run.json").read_text())["params"]
    assert params["hubs"] == policy and params["n_points"] == len(single)


def test_scheduler_run_json_has_the_single_machine_provenance(tmp_path, home, serial_dask):
    src = _firm_file(tmp_path)
    one = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "one"), *FAST])
    assert one.exit_code == 0, one.output
    dask = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "dask"), "--scheduler", "local",
                               *FAST])
    assert dask.exit_code == 0, dask.output
    p1 = json.loads((tmp_path / "one" / "run.json").read_text())["params"]["provenance"]
    p2 = json.loads((tmp_path / "dask" / "run.json").read_text())["params"]["provenance"]
    assert set(p2) == set(p1)
    for k in ("firm_file", "firm_file_sha256", "rows_read", "rows_status_kept", "rows_creative", "rows_located",
              "rows_unlocated", "synthetic", "address_kind", "coverage_lads", "stray_lads", "coverage_rule",
              "scope", "n_microclusters", "firm_folder"):
        assert p2[k] == p1[k], k
    assert p2["synthetic"] is True and p2["rows_located"] == len(_firms())
    assert p2["coverage_lads"] == "E08000019"


# 8. SIGTERM cleans up as Ctrl-C does

def test_sigterm_removes_the_temporary_folder_and_leaves_out_untouched(tmp_path):
    src = _firm_file(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.txt").write_text("an earlier run")
    held = tmp_path / "held"  # written on entering the held step
    # the run is held after the output folder is prepared and the clustering is done (a long write), so the
    # signal arrives mid-run however fast this machine is
    script = (
        "import os, time, sys\n"
        "import creative_clusters.microclusters.outputs as o\n"
        "real = o.attach_areas\n"
        "def slow(*a, **k):\n"
        "    open(os.environ['CC_TEST_HELD'], 'w').close()\n"
        "    time.sleep(120)\n"
        "    return real(*a, **k)\n"
        "o.attach_areas = slow\n"
        "from creative_clusters.cli import app\n"
        "sys.argv = ['creative-clusters', *sys.argv[1:]]\n"
        "app()\n"
    )
    env = {**os.environ, "CREATIVE_CLUSTERS_HOME": str(tmp_path / "home"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "CC_TEST_HELD": str(held)}
    proc = subprocess.Popen([sys.executable, "-c", script, "microclusters", str(src), "--out", str(out), *FAST],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not held.exists():  # not only the folder: a signal during clustering waits for the kernel
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the run never reached its held step"
            time.sleep(0.05)
        assert list(tmp_path.glob(".out.tmp-*")), "the output folder was not prepared before the held step"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    assert not list(tmp_path.glob(".out.tmp-*")), err.decode()
    assert sorted(p.name for p in out.iterdir()) == ["earlier.txt"]
    assert "Terminated" in err.decode()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # this process's handler is its own


# 9. bad input: a postcode column of town names, a title row above the header

def test_postcode_column_of_town_names_names_the_column_and_examples(tmp_path):
    from creative_clusters.errors import ImportFormatError
    from creative_clusters.sources.firm_files import load_creative_firms

    path = tmp_path / "SYNTHETIC_towns.csv"
    pd.DataFrame({"name": ["SYNTHETIC A", "SYNTHETIC B", "SYNTHETIC C", "SYNTHETIC D"],
                  "Postcode": ["Brighton", "Hove", "Brighton", "Portslade"],
                  "sic": ["62012"] * 4}).to_csv(path, index=False)
    with pytest.raises(ImportFormatError) as err, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        load_creative_firms(path)
    msg = str(err.value)
    assert "'Postcode'" in msg
    assert "row 2: 'Brighton'" in msg and "row 3: 'Hove'" in msg
    assert "'S1 2BX'" in msg  # what a postcode looks like
    assert "invalid 4" not in msg and "not a postcode: 4" in msg


def _title_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["SYNTHETIC business rates April 2025"])
    ws.append([])
    ws.append(["Firm name", "Postcode", "Easting", "Northing", "Sub-sector"])
    ws.append(["SYNTHETIC STUDIO A", "S1 2BX", "435000", "387000", "Design"])
    ws.append(["SYNTHETIC STUDIO B", "", "", "", "Design"])
    ws.append(["SYNTHETIC STUDIO C", "S1 2BY", "435100", "387100", "Music, performing and visual arts"])
    wb.save(path)
    return path


def test_title_row_above_the_header_is_read_from_the_header_with_a_note(tmp_path):
    from creative_clusters.sources.firm_files import (
        HeaderBelowTitleWarning,
        UnlocatedFirmsWarning,
        load_creative_firms,
    )

    path = _title_xlsx(tmp_path / "SYNTHETIC_rates.xlsx")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        firms, report = load_creative_firms(path)
    assert len(firms) == 2 and report.n_creative == 3
    head = [str(w.message) for w in caught if issubclass(w.category, HeaderBelowTitleWarning)]
    assert len(head) == 1 and "row 3" in head[0] and "SYNTHETIC business rates April 2025" in head[0]
    # rows are numbered as in the file: the firm without a location is on row 5
    assert report.failed_rows["source_row"].tolist() == [5]
    assert sorted(firms["source_row"].tolist()) == [4, 6]
    assert "not located: no postcode 1" in report.summary()
    unlocated = [str(w.message) for w in caught if issubclass(w.category, UnlocatedFirmsWarning)]
    assert "row 5, 'SYNTHETIC STUDIO B', no postcode" in unlocated[0]


# 11. wording

def test_unlocated_warning_says_no_postcode_in_words(tmp_path):
    from creative_clusters.sources.firm_files import UnlocatedFirmsWarning, load_creative_firms

    t = _firms()
    t.loc[3, ["postcode", "x", "y"]] = [None, None, None]
    t.loc[5, ["name", "postcode", "x", "y"]] = [None, None, None, None]  # a premises row without a name
    path = tmp_path / "SYNTHETIC_missing.csv"
    t.to_csv(path, index=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_creative_firms(path)
    msg = next(str(w.message) for w in caught if issubclass(w.category, UnlocatedFirmsWarning))
    assert "row 5, 'SYNTHETIC GROUP 0 FIRM 3', no postcode; row 7, no postcode" in msg
    assert "no_postcode" not in msg and "nan" not in msg


def test_summary_wording(tmp_path, home):
    src = _firm_file(tmp_path)
    before = signal.getsignal(signal.SIGTERM)
    res = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "out"), *FAST],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    out = res.output
    assert "coverage of 1 LAD;" in out and "1 LADs" not in out
    assert "stability not computed (--stability-reps 0)" in out and "stability nan" not in out
    assert "IT, software and computer services" in out and ", it_software," not in out
    n = len(pd.read_csv(tmp_path / "out" / "microclusters.csv"))
    assert n > 20
    assert f"and {n - 20} more" in out
    assert "hull area over 10 km²" in out and "extent (convex hull of the firms" in out
    assert "; over 10 km²" not in out
    # no warehouse here: the codes are said to be the postcode directory's
    assert "LAD codes: as the postcode directory gives them" in out
    assert signal.getsignal(signal.SIGTERM) is before  # the command's SIGTERM handler was removed after it


def test_summary_prints_the_warehouse_lad_codes_when_attached():
    from creative_clusters.cli.microclusters import _lad_basis

    mc = pd.DataFrame({"lad_code": ["E08000039"], "lad23_code": ["E08000019"]})
    assert _lad_basis(mc) == ("lad23_code", "")


def test_hdbscan_summary_gives_no_radius(tmp_path, home):
    src = _firm_file(tmp_path)
    res = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "out"), "--method", "hdbscan",
                              "--stability-reps", "0", "--min-firms", "10", "--no-load"])
    assert res.exit_code == 0, res.output
    first = next(line for line in res.output.splitlines() if "(method hdbscan" in line)
    assert "eps" not in first


def test_negative_stability_reps_is_refused_in_the_option_s_words(tmp_path, home):
    src = _firm_file(tmp_path)
    res = runner.invoke(app, ["microclusters", str(src), "--out", str(tmp_path / "out"), "--stability-reps", "-1",
                              "--no-load"])
    assert res.exit_code != 0
    assert "--stability-reps must be 0 (off) or more; got -1" in res.output
    assert "reps must be >= 1" not in res.output
    assert "creative:" not in res.output  # refused before the file was read


# 14. help

def test_help_shows_plain_flags_and_a_firms_metavar():
    res = runner.invoke(app, ["microclusters", "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    lines = res.output.splitlines()
    for flag in ("--sweep", "--load", "--synthetic", "--current", "--all-creative"):
        line = next(x for x in lines if flag in x and x.strip("│ ").startswith(flag))
        assert "<bool>" not in line, line
    usage = next(x for x in lines if "Usage:" in x)
    assert "FIRMS" in usage and "{firms}" not in usage


# 15. --out as a file is refused before the firm file is read

def test_out_file_refused_before_reading(tmp_path, home):
    out = tmp_path / "a_file.txt"
    out.write_text("x")
    res = runner.invoke(app, ["microclusters", str(tmp_path / "no_such_firms.csv"), "--out", str(out),
                              "--no-load"])
    assert res.exit_code != 0
    assert "is a file, not a folder" in res.output
    assert "not found" not in res.output


def test_business_rates_list_under_a_title_row_is_found(tmp_path):
    """A business-rates list (Brighton & Hove's layout: no postcode column, the postcode in the address)
    with a title row above its header."""
    import openpyxl

    from creative_clusters.sources.firm_files import HeaderBelowTitleWarning, load_creative_firms

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["SYNTHETIC business rates April 2025"])
    ws.append(["Property_Ref", "Name", "PropDescr", "Property1", "Property2", "Property3"])
    ws.append(["1", "SYNTHETIC STUDIO A", "Office", "1 Synthetic Street", "Sheffield", "S1 2BX"])
    ws.append(["2", "SYNTHETIC STUDIO B", "Office", "2 Synthetic Street", "Sheffield", "S1 2BX"])
    path = tmp_path / "SYNTHETIC_rates.xlsx"
    wb.save(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        firms, report = load_creative_firms(path, all_creative=True)
    assert any(issubclass(w.category, HeaderBelowTitleWarning) and "row 2" in str(w.message) for w in caught)
    assert report.layout == "business-rates premises list" and report.address_kind == "trading"
    assert sorted(firms["source_row"].tolist()) == [3, 4] and len(firms) == 2


def test_the_summary_counts_the_microclusters_the_run_record_counts(tmp_path, home):
    """Was: the command said "9 microclusters" where the run record, packs and microclusters-runs said 8 (a
    group below --min-firms was counted); the first line now gives the count that reaches the floor."""
    src = _firm_file(tmp_path)
    out = tmp_path / "out"
    res = runner.invoke(app, ["microclusters", str(src), "--out", str(out), "--stability-reps", "0",
                              "--min-firms", "10", "--no-load"])
    assert res.exit_code == 0, res.output
    mc = pd.read_csv(out / "microclusters.csv")
    first = next(line for line in res.output.splitlines() if "(method " in line)
    assert first.startswith(f"{int(mc['meets_min_firms'].sum())} microclusters of at least 10 ")
    if (~mc["meets_min_firms"]).any():
        assert f"({len(mc)} groups found, {int((~mc['meets_min_firms']).sum())} below that floor)" in first
