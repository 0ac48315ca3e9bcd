"""The ``--help`` examples parse as printed, and the help says what the options take (review D, L11).

Every line of an epilog that starts with ``creative-clusters`` is split as a
shell would split it and parsed against its command's parameters (click's
``make_context``: types, choices, required arguments), without running it.
"""

from __future__ import annotations

import shlex
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()
PROG = "creative-clusters"
#: Commands a new user reaches first; each must show examples in its --help.
MAIN = ["profile", "clusters", "corridors", "map", "evidence", "research", "workforce", "serve",
        "data import", "data fetch"]


def _commands() -> dict[str, Any]:
    root = typer.main.get_command(app)
    out: dict[str, Any] = {}

    def walk(cmd: Any, prefix: list[str]) -> None:
        if hasattr(cmd, "commands"):  # a group (typer vendors its own click)
            for name, sub in cmd.commands.items():
                walk(sub, [*prefix, name])
        else:
            out[" ".join(prefix)] = cmd

    walk(root, [])
    return out


COMMANDS = _commands()


def _examples() -> list[tuple[str, list[str]]]:
    found = []
    for path, cmd in COMMANDS.items():
        for line in (cmd.epilog or "").splitlines():
            line = line.strip()
            if line.startswith(PROG + " "):
                words = shlex.split(line)
                if ">" in words:  # a shell redirection, not the command's
                    words = words[:words.index(">")]
                found.append((path, words[1:]))
    return found


EXAMPLES = _examples()


@pytest.mark.parametrize("path", MAIN)
def test_main_commands_show_examples(path):
    res = runner.invoke(app, [*path.split(), "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Examples:" in res.stdout
    assert f"{PROG} {path} " in res.stdout or f"{PROG} {path}\n" in res.stdout


@pytest.mark.parametrize(("path", "words"), EXAMPLES, ids=[" ".join(w) for _, w in EXAMPLES])
def test_every_example_parses_against_its_command(path, words):
    n = len(path.split())
    assert words[:n] == path.split(), f"the example {words} sits in the help of {path!r}"
    cmd = COMMANDS[path]
    ctx = cmd.make_context(f"{PROG} {path}", list(words[n:]), resilient_parsing=False)
    assert ctx.params  # parsed into the command's parameters


def test_option_help_says_what_works():
    out = runner.invoke(app, ["evidence", "--help"], env={"COLUMNS": "200"}).stdout
    places = next(line for line in out.splitlines() if "--places" in line and "│" in line)
    assert "name" in places  # names work, not only LAD codes
    years = {line.split()[2] for line in out.splitlines() if line.startswith("│ --year")}
    assert years == {"<int>"}  # the same type as every other --year
    clusters = runner.invoke(app, ["clusters", "--help"], env={"COLUMNS": "200"}).stdout
    assert "About 276" not in clusters and "computed" in clusters


def test_choices_take_any_case(full_home):
    low = runner.invoke(app, ["clusters", "--level", "cauth", "--csv", "--home", str(full_home)])
    assert low.exit_code == 0, low.output
    for args in (["--level", "CAUTH", "--method", "Threshold"], ["--level", "Cauth", "--scope", "ENGLAND"]):
        res = runner.invoke(app, ["clusters", *args, "--csv", "--home", str(full_home)])
        assert res.exit_code == 0, res.output
        assert res.stdout == low.stdout
