"""Wrong output and input paths end in one clear line, leave nothing behind (review of 5 December).

Was: ``map --out FILE`` and ``corridors --out FILE`` ended in NotADirectoryError tracebacks and left a
``.FILE.<hex>.tmp/`` folder, ``evidence --out FILE`` in FileExistsError, ``corridors --travel-time DIR`` in
IsADirectoryError.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app

pytestmark = pytest.mark.realdata

runner = CliRunner()


@pytest.mark.parametrize("args", [["map"], ["corridors"], ["evidence", "Sheffield", "--format", "html"]])
def test_an_out_that_is_a_file_is_a_clear_error_and_leaves_nothing(full_home, tmp_path, args):
    f = tmp_path / "empty.csv"
    f.write_text("keep me")
    r = runner.invoke(app, [*args, "--out", str(f), "--home", str(full_home)])
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)  # no traceback
    assert "is a file, not a folder" in r.output
    assert f.read_text() == "keep me" and sorted(p.name for p in tmp_path.iterdir()) == ["empty.csv"]


def test_a_folder_given_for_a_file_is_a_clear_error(full_home, tmp_path):
    (tmp_path / "d").mkdir()
    r = runner.invoke(app, ["corridors", "--travel-time", str(tmp_path / "d"), "--home", str(full_home),
                            "--out", str(tmp_path / "out")])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    assert "expected a file, not a folder" in r.output


def test_evidence_all_with_a_place_is_refused(full_home, tmp_path):
    # was: `evidence Sheffield --all --level rgn` ignored Sheffield and built the nine regions
    r = runner.invoke(app, ["evidence", "Sheffield", "--all", "--level", "rgn", "--home", str(full_home),
                            "--out", str(tmp_path / "out")])
    assert r.exit_code == 1 and "not both" in r.output, r.output
    assert not (tmp_path / "out").exists()


def test_data_status_in_a_narrow_terminal_lists_every_column_readably(full_home, monkeypatch):
    # was: at 80 columns (the width of a pipe) "tables / layers" and "coverage" were squeezed to nothing
    monkeypatch.setenv("COLUMNS", "80")
    r = runner.invoke(app, ["data", "status", "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    assert "\n  coverage: " in r.output and "\n  tables / layers: hei" in r.output
    assert max(len(line) for line in r.output.splitlines() if not line.startswith("  ")) <= 120
