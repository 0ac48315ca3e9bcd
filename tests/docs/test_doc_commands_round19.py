"""README.md and docs/*.md name commands, options and dataset ids that exist, and the main job passes on the data.

Was: docs/methods.md gave the threshold rule's τ as a command option ``--min-lq``, which no command has;
docs/microclusters.md quoted a benchmark option ``--worker cli`` the benchmark refuses; docs/corridors.md
named the annual series ``business_counts_timeseries`` (``data status`` lists ``business_counts_series``);
and ``scripts/main.sh`` computed the reference-data folder without exporting it, so on a machine without
``$CREATIVE_CLUSTERS_DATA`` its microclusters step said "SIC codes not checked against SIC 2007:
classifications/sic2007_hierarchy.csv was not found in the reference data".
"""

from __future__ import annotations

import ast
import re
import subprocess
from functools import cache
from pathlib import Path

import typer

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Options of other tools the docs show in their own commands (pip, grep, dask worker, SLURM).
OTHER_TOOLS = {"--exclude-editable", "--include", "--nthreads", "--memory-limit", "--partition"}
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
COMMAND = re.compile(r"creative-clusters\s+([a-z-]+)(?:\s+([a-z-]+))?([^`|\n]*)")


@cache
def _cli() -> typer.core.TyperGroup:
    from creative_clusters.cli import app

    return typer.main.get_command(app)  # type: ignore[return-value]


def _options(command: object) -> set[str]:
    return {o for p in getattr(command, "params", []) for o in (*p.opts, *p.secondary_opts)}


def _cli_options() -> set[str]:
    out: set[str] = set()
    stack = [_cli()]
    while stack:
        cmd = stack.pop()
        out |= _options(cmd)
        stack += list(getattr(cmd, "commands", {}).values())
    return out


def _benchmark_options() -> set[str]:
    """Every ``add_argument("--x", ...)`` of the scripts under benchmarks/, with its choices."""
    out: set[str] = set()
    for path in (ROOT / "benchmarks").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
                names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                choices = next((k.value for k in node.keywords if k.arg == "choices"), None)
                values = [c.value for c in getattr(choices, "elts", []) if isinstance(c, ast.Constant)]
                out |= {f"{n} {v}" for n in names for v in values} | set(names)
    return out


def _doc_lines() -> list[tuple[str, int, str]]:
    return [(p.name, i, line) for p in DOCS for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)]


def test_every_command_line_in_the_docs_uses_options_that_command_has() -> None:
    cli = _cli()
    wrong = []
    for name, i, line in _doc_lines():
        for first, second, rest in COMMAND.findall(line):
            cmd = cli.commands.get(first)
            if cmd is None:
                wrong.append(f"{name}:{i}: no command {first!r}")
                continue
            if second and hasattr(cmd, "commands"):
                cmd = cmd.commands.get(second)
                if cmd is None:
                    wrong.append(f"{name}:{i}: no command {first} {second!r}")
                    continue
            else:
                rest = f"{second} {rest}"
            wrong += [f"{name}:{i}: {first} has no {o}" for o in OPTION.findall(rest) if o not in _options(cmd)]
    assert not wrong, "\n".join(wrong)


def test_every_option_the_docs_name_exists() -> None:
    """An option a command, a benchmark or another tool has; a benchmark option's value one of its choices."""
    bench = _benchmark_options()
    known = _cli_options() | bench | OTHER_TOOLS | {"--help"}
    wrong = []
    for name, i, line in _doc_lines():
        for m in OPTION.finditer(line):
            option = m.group(1)
            value = re.match(r" ([a-z]+)`", line[m.end():])  # `--worker cli`: an option with its value
            with_choices = {k for k in bench if k.startswith(f"{option} ")}
            if option not in known or (value and with_choices and f"{option} {value.group(1)}" not in with_choices):
                wrong.append(f"{name}:{i}: {line[m.start():m.end() + 8]!r}")
    assert not wrong, "no command or benchmark has:\n" + "\n".join(wrong)


def test_the_series_dataset_ids_the_docs_name_are_the_ones_imported() -> None:
    """A ``business_counts_...`` id in backticks (other than a snapshot year) is one the importers declare."""
    declared = set()
    for path in [*(ROOT / "creative_clusters" / "sources").glob("*.py"), ROOT / "creative_clusters" / "kinds.py"]:
        declared |= set(re.findall(r"[\"']([a-z0-9_]+)[\"']", path.read_text(encoding="utf-8")))
    wrong = [f"{name}:{i}: {m}" for name, i, line in _doc_lines()
             for m in re.findall(r"`(business_counts_[a-z][a-z0-9_]*)`", line) if m not in declared]
    assert not wrong, "\n".join(wrong)


STAND_IN = r"""#!/usr/bin/env bash
echo "$* DATA=${CREATIVE_CLUSTERS_DATA:-unset}" >> "$(dirname "$0")/calls"
case "$1 $2" in "data status") echo '[{"id": "business_counts_2025"}, {"id": "microclusters"}]' ;; esac
"""


def test_the_main_job_passes_the_reference_data_folder_to_every_command(tmp_path: Path) -> None:
    """Without ``$CREATIVE_CLUSTERS_DATA`` the commands still read the bundle beside the clone."""
    script = (ROOT / "scripts" / "main.sh").read_text(encoding="utf-8").splitlines()
    start = next(i for i, x in enumerate(script) if x.startswith("DATA="))
    cc = tmp_path / "cc"
    cc.write_text(STAND_IN)
    cc.chmod(0o755)
    body = "\n".join(["set -euo pipefail", "unset CREATIVE_CLUSTERS_DATA", 'PLACE=Sheffield',
                      *(x for x in script[start:] if not x.startswith("CC=")), ""])
    run = subprocess.run(["bash", "-c", f'CC="{cc}"\n{body}'], capture_output=True, text=True, check=False,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert any(c.startswith("profile Sheffield") for c in calls)
    assert all("DATA=unset" not in c for c in calls), calls
