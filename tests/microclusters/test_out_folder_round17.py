"""Round 17: an output folder keeps the user's files; `--out .` is refused before any work."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.errors import ParameterError
from creative_clusters.microclusters.outputs import detect_microclusters, write_outputs
from tests.microclusters.test_microcluster_outputs import synthetic_firms


@pytest.fixture(scope="module")
def result():
    """SYNTHETIC firms (the outputs tests' two groups), clustered without stability draws."""
    return detect_microclusters(synthetic_firms(), eps=500, min_firms=50, stability_reps=0)


def test_a_run_keeps_the_users_files_and_drops_its_own_stale_outputs(result, tmp_path):
    """`--out mydir` used to delete everything in mydir (a thesis, a pack folder) without a word."""
    out = tmp_path / "mydir"
    (out / "important").mkdir(parents=True)
    (out / "important" / "notes.txt").write_text("keep")
    (out / "thesis.docx").write_bytes(b"mine")
    (out / "sweep.csv").write_text("an earlier run's sweep, not this run's")  # a run without --sweep
    write_outputs(result, out, parallel=False)
    assert (out / "important" / "notes.txt").read_text() == "keep"
    assert (out / "thesis.docx").read_bytes() == b"mine"
    assert (out / "microclusters.csv").exists() and (out / "run.json").exists()
    assert not (out / "sweep.csv").exists()  # stale output of the command itself: never left beside new ones
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mydir"]  # nothing left aside


def test_out_dot_is_refused_before_any_work(tmp_path, monkeypatch):
    """`--out .` crashed with "PosixPath('.') has an empty name" after the whole run."""
    monkeypatch.chdir(tmp_path)
    firms = tmp_path / "missing.csv"  # never read: the folder is checked first
    r = CliRunner().invoke(app, ["microclusters", str(firms), "--out", ".", "--no-load"])
    assert r.exit_code != 0
    assert "is the folder this command runs in" in r.output and "--out ./microclusters" in r.output
    assert "Traceback" not in r.output and not isinstance(r.exception, ValueError)


def test_map_out_dot_is_refused_and_a_subfolder_works(full_home, tmp_path, monkeypatch):
    """`map --out .` crashed with a ValueError; a relative subfolder keeps working."""
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, ["map", "--home", str(full_home), "--out", "."])
    assert r.exit_code != 0 and "is the folder this command runs in" in r.output, r.output
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "mine.txt").write_text("keep")
    r = CliRunner().invoke(app, ["map", "--home", str(full_home), "--out", "maps"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "maps" / "mine.txt").read_text() == "keep" and len(list((tmp_path / "maps").iterdir())) > 1


def test_swap_target_refuses_a_folder_holding_the_working_folder(tmp_path, monkeypatch):
    from creative_clusters._files import swap_target

    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    with pytest.raises(ParameterError, match="runs in"):
        swap_target(tmp_path / "a")
    assert swap_target("c") == tmp_path / "a" / "b" / "c"
