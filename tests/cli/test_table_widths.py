"""Printed tables fit the terminal and cut nothing (review D, M5; corridors' labels, L4).

At 80, 120 and 160 columns no line of ``clusters``, ``corridors`` or
``data status`` may be wider than the terminal, and no cell may be cut with
"…": a table folds its text, or the rows become blocks of ``header: value``.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()
WIDTHS = (80, 120, 160)


def _check_fits(text: str, width: int) -> None:
    lines = text.splitlines()
    assert lines, "nothing printed"
    too_wide = [line for line in lines if len(line) > width]
    assert not too_wide, f"{len(too_wide)} lines wider than {width}: {too_wide[0][:120]!r}"
    assert not [line for line in lines if "…" in line], "a cell was cut with '…'"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_wide_frame_fits_the_terminal_whatever_its_width(width, monkeypatch, capsys):
    from creative_clusters.cli.clusters import _print

    monkeypatch.setenv("COLUMNS", str(width))
    long_names = "; ".join(f"Synthetic place number {i}" for i in range(30))
    frame = pd.DataFrame({"geo_name": ["Synthetic A", "Synthetic B"], "member_names": [long_names, "Synthetic C"],
                          **{f"measure_{i}": [1234.5, 0.5] for i in range(6)},
                          "caveat": ["a synthetic caveat_with_a_very_long_word_that_cannot_break_anywhere", ""]})
    _print(frame, False, False, title="A synthetic title long enough to need more than one line " * 3)
    out = capsys.readouterr().out
    _check_fits(out, width)
    for text in ("Synthetic A", "Synthetic B", "number 29"):  # every cell is printed, none dropped
        assert text in out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", [["clusters", "--method", "trajectory"], ["clusters", "--level", "nuts2"],
                                  ["corridors"], ["data", "status"]], ids=" ".join)
def test_commands_fit_the_terminal(full_home, args, width):
    res = runner.invoke(app, [*args, "--home", str(full_home)], env={"COLUMNS": str(width)})
    assert res.exit_code == 0, res.output
    _check_fits(res.stdout, width)


def test_corridors_read_as_words_numbered_from_one_in_km(full_home):
    from creative_clusters.classifications.dcms import SUBSECTORS, subsector_short

    res = runner.invoke(app, ["corridors", "--home", str(full_home)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    out = res.stdout
    short = [subsector_short(n) for n in SUBSECTORS]
    assert not [s for s in short if f"{s} (" in out], "a sub-sector id where its DCMS name belongs"
    assert any(n in out for n in SUBSECTORS)
    assert "(km)" in out and "(m)" not in out
    rows = [line for line in out.splitlines() if line.startswith("│") and line.split("│")[1].strip()]
    assert rows[0].split("│")[1].strip() == "1"  # the first corridor is number 1
    raw = runner.invoke(app, ["corridors", "--csv", "--home", str(full_home)])
    table = pd.read_csv(__import__("io").StringIO(raw.stdout))
    km = table["length_m"].iloc[0] / 1000
    assert f"{km:,.0f}" in rows[0] or f"{km:.1f}" in rows[0]
