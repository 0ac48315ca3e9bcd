"""Which stored microcluster run is current (``runs.choose_current``; the rule in ``runs``' module notes).

Was: every run loaded into the warehouse became current, so a run on one town (a few hundred firms of
Doncaster, say) replaced the South Yorkshire run and every Sheffield, Barnsley or Rotherham pack read "not
covered". Now a run becomes current by itself only when it covers every LAD the current run covers (or
there is no current run, or it re-runs the current run's firm file), a SYNTHETIC run never displaces a real
one, ``--current/--no-current`` force either way, and the CLI names the command that makes a stored run
current.

The firm files are subsets of the real South Yorkshire Companies House file, by its
``localauthority_code`` column, written to the test's folder (never committed), and one SYNTHETIC list of
made-up firms at real Sheffield postcodes taken from it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.microclusters.runs import RunRecord, choose_current, current_run, list_runs
from creative_clusters.warehouse import Warehouse

CH_FILE = "firms/companieshouse_southyorkshire_2024-11-01.csv.gz"
SHEFFIELD, DONCASTER, BARNSLEY = "E08000019", "E08000017", "E08000016"


@pytest.fixture(scope="module")
def sy_rows(data_root) -> pd.DataFrame:
    return pd.read_csv(data_root / CH_FILE, dtype=str)


def _subset(rows: pd.DataFrame, path: Path, lads: tuple[str, ...], n: int = 2500) -> Path:
    """The first ``n`` rows of each LAD of ``lads`` (real firms), as a CSV in the Companies House layout."""
    parts = [rows[rows["localauthority_code"] == lad].head(n) for lad in lads]
    pd.concat(parts).to_csv(path, index=False)
    return path


def _mc(path: Path, home: Path, *args: str):
    r = CliRunner().invoke(app, ["microclusters", str(path), "--out", str(path.parent / f"out_{path.stem}"),
                                 "--home", str(home), "--stability-reps", "0", "--min-firms", "10", *args])
    assert r.exit_code == 0, r.output
    return r


def _runs(home: Path) -> pd.DataFrame:
    with Warehouse(home, read_only=True) as wh:
        return list_runs(wh).set_index("firm_file")


@pytest.fixture(scope="module")
def sheffield_home(full_home, sy_rows, tmp_path_factory) -> Path:
    """The full warehouse plus a (current) run on 2,500 real Sheffield firms of the South Yorkshire file."""
    home = tmp_path_factory.mktemp("sheffield") / "home"
    shutil.copytree(full_home, home)
    _mc(_subset(sy_rows, home.parent / "sheffield.csv", (SHEFFIELD,)), home)
    return home


@pytest.fixture()
def home(sheffield_home, tmp_path) -> Path:
    shutil.copytree(sheffield_home, tmp_path / "home")
    return tmp_path / "home"


def test_a_run_on_other_lads_is_stored_but_the_sheffield_run_stays_current(home, sy_rows, tmp_path):
    before = _runs(home).loc["sheffield.csv"]
    assert before["is_current"] and before["coverage_lads"] == SHEFFIELD
    r = _mc(_subset(sy_rows, tmp_path / "doncaster_barnsley.csv", (DONCASTER, BARNSLEY), n=1500), home)
    runs = _runs(home)
    new = runs.loc["doncaster_barnsley.csv"]
    assert new["coverage_lads"] == f"{BARNSLEY};{DONCASTER}"  # it covers other LADs only
    assert runs["is_current"].to_dict() == {"doncaster_barnsley.csv": False, "sheffield.csv": True}
    with Warehouse(home, read_only=True) as wh:
        assert current_run(wh).run_id == before["run_id"]
        assert set(wh.table("microclusters")["run_id"]) <= {before["run_id"]}  # packs still read Sheffield's
        assert wh.has_table(f"microclusters_{new['run_id']}")  # the new run is stored all the same
        files = wh.query("SELECT path FROM catalogue_files WHERE dataset_id = 'microclusters'")["path"]
        assert files.tolist() == ["sheffield.csv"]  # the catalogue still describes the current run
    command = f"creative-clusters microclusters-runs --use {new['run_id']} --home {home}"
    out = " ".join(r.stdout.split())
    assert "NOT as the current microclusters" in out and command in out and "Sheffield (E08000019)" in out
    listed = CliRunner().invoke(app, ["microclusters-runs", "--home", str(home)], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    # the table's first column: each run's id, its date, then "current" under the current run's
    first = [ln.split("│")[1].strip() for ln in listed.stdout.splitlines() if ln.startswith("│")]
    starts = [i for i, c in enumerate(first) if c in (new["run_id"], before["run_id"])]
    marks = {first[i]: "current" in first[i:j] for i, j in zip(starts, [*starts[1:], len(first)], strict=True)}
    assert marks == {new["run_id"]: False, before["run_id"]: True}
    used = CliRunner().invoke(app, command.split()[1:])  # the command the message names works
    assert used.exit_code == 0, used.output
    with Warehouse(home, read_only=True) as wh:
        assert current_run(wh).run_id == new["run_id"]
        assert set(wh.table("microclusters")["run_id"]) <= {new["run_id"]}
        assert len(wh.table("microclusters")) == new["n_microclusters"]


def test_a_run_covering_every_lad_of_the_current_one_becomes_current(home, sy_rows, tmp_path):
    old = _runs(home).loc["sheffield.csv", "run_id"]
    r = _mc(_subset(sy_rows, tmp_path / "sheffield_doncaster.csv", (SHEFFIELD, DONCASTER)), home)
    runs = _runs(home)
    assert runs["is_current"].to_dict() == {"sheffield_doncaster.csv": True, "sheffield.csv": False}
    assert runs.loc["sheffield_doncaster.csv", "coverage_lads"] == f"{DONCASTER};{SHEFFIELD}"
    with Warehouse(home, read_only=True) as wh:
        assert set(wh.table("microclusters")["run_id"]) <= {runs.loc["sheffield_doncaster.csv", "run_id"]}
    out = " ".join(r.stdout.split())
    assert "as the current microclusters" in out and "NOT" not in out
    assert f"creative-clusters microclusters-runs --use {old} --home {home}" in out  # the way back


def test_current_and_no_current_force_either_way(home, sy_rows, tmp_path):
    narrower = _mc(_subset(sy_rows, tmp_path / "doncaster.csv", (DONCASTER,), n=3000), home, "--current")
    assert _runs(home)["is_current"].to_dict() == {"doncaster.csv": True, "sheffield.csv": False}
    assert "Now not covered: Sheffield (E08000019)" in " ".join(narrower.stdout.split())
    wider = _mc(_subset(sy_rows, tmp_path / "sheffield_doncaster.csv", (SHEFFIELD, DONCASTER)), home,
                "--no-current")
    runs = _runs(home)
    assert runs["is_current"].to_dict() == {"sheffield_doncaster.csv": False, "doncaster.csv": True,
                                            "sheffield.csv": False}
    out = " ".join(wider.stdout.split())
    assert "as asked (--no-current)" in out
    assert f"creative-clusters microclusters-runs --use {runs.loc['sheffield_doncaster.csv', 'run_id']}" in out


def test_a_synthetic_run_does_not_displace_a_real_one_unless_asked(home, sy_rows, tmp_path):
    # made-up firms (SYNTHETIC) at 200 real Sheffield postcodes: a film company at each, the same coverage
    postcodes = sy_rows.loc[sy_rows["localauthority_code"] == SHEFFIELD, "Postcode"].dropna().unique()[:200]
    path = tmp_path / "SYNTHETIC_sheffield.csv"
    pd.DataFrame({"CompanyName": [f"Synthetic Films {i}" for i in range(len(postcodes))], "Postcode": postcodes,
                  "SICCode.SicText_1": "59111 - Motion picture production activities"}).to_csv(path, index=False)
    r = _mc(path, home)
    runs = _runs(home)
    assert bool(runs.loc["SYNTHETIC_sheffield.csv", "synthetic"])
    assert runs.loc["SYNTHETIC_sheffield.csv", "coverage_lads"] == SHEFFIELD  # it covers as much as the real run
    assert runs["is_current"].to_dict() == {"SYNTHETIC_sheffield.csv": False, "sheffield.csv": True}
    assert "because it is SYNTHETIC" in " ".join(r.stdout.split())
    _mc(path, home, "--eps", "800", "--current")  # another run of it, asked for
    with Warehouse(home, read_only=True) as wh:
        cur = current_run(wh)
        assert cur is not None and cur.synthetic and cur.firm_file == "SYNTHETIC_sheffield.csv"


def test_current_options_need_load(tmp_path):
    r = CliRunner().invoke(app, ["microclusters", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o"),
                                 "--no-load", "--current"])
    assert r.exit_code == 1 and "--no-load" in r.output and not (tmp_path / "o").exists()


# ----------------------------------------------------------------------------- the rule, record by record
class _Runs:
    """A warehouse holding only ``microcluster_runs`` (what :func:`choose_current` reads)."""

    def __init__(self, *runs: RunRecord) -> None:
        self.runs = pd.DataFrame([r.__dict__ for r in runs]) if runs else None

    def has_table(self, name: str) -> bool:
        return name == "microcluster_runs" and self.runs is not None

    def table(self, name: str) -> pd.DataFrame:
        assert self.runs is not None
        return self.runs.copy()


def _rec(run_id: str, lads: str, *, sha: str = "", synthetic: bool = False, current: bool = True) -> RunRecord:
    return RunRecord(run_id=run_id, created_at=f"2026-01-0{len(run_id)}", firm_file=f"{run_id}.csv",
                     firm_file_sha256=sha or run_id, rows_read=1, rows_status_kept=1, rows_creative=1,
                     rows_located=1, method="split", params="{}", software_version="0", synthetic=synthetic,
                     address_kind="registered", coverage_lads=lads, stray_lads="", coverage_rule="",
                     scope="partial", n_microclusters=0, is_current=current)


@pytest.mark.parametrize(("new", "requested", "make_current", "reason"), [
    (_rec("b", "E08000016;E08000017"), None, False, "narrower"),  # other LADs
    (_rec("b", "E08000019"), None, True, "covers"),  # the same LADs
    (_rec("b", "E08000017;E08000019"), None, True, "covers"),  # a superset
    (_rec("b", "E08000017", sha="a"), None, True, "same_file"),  # the current run's file, other settings
    (_rec("b", "E08000017;E08000019", synthetic=True), None, False, "synthetic"),
    (_rec("b", "E08000017", sha="a", synthetic=True), None, False, "synthetic"),
    (_rec("a", "E08000017", synthetic=True), None, True, "same_run"),  # replaces the current version
    (_rec("b", "E08000017"), True, True, "asked"),
    (_rec("b", "E08000019;E08000017"), False, False, "declined"),
])
def test_the_rule_in_its_order(new, requested, make_current, reason):
    choice = choose_current(_Runs(_rec("a", "E08000019")), new, requested=requested)
    assert (choice.make_current, choice.reason) == (make_current, reason)
    assert choice.previous is not None and choice.previous.run_id == "a"
    assert choice.uncovered == (() if "E08000019" in new.coverage_lads else ("E08000019",))


def test_the_first_run_is_current_and_a_rerun_cannot_be_stored_as_not_current():
    from creative_clusters.errors import ParameterError

    first = choose_current(_Runs(), _rec("a", ""))
    assert (first.make_current, first.reason, first.previous) == (True, "first", None)
    with pytest.raises(ParameterError, match=r"run a is the current run.*--no-current cannot apply"):
        choose_current(_Runs(_rec("a", "E08000019")), _rec("a", "E08000019"), requested=False)
