"""The import contracts in pyproject.toml (``[tool.importlinter]``) hold, and they bite.

``lint-imports`` (import-linter, dev extra) checks that imports point down the
layers (cli > web > workflows > reporting > benchmarking > estimators > pure
lookups > low modules), that ``sources`` imports nothing above it, and that no
computation package imports an I/O layer. The second test injects an upward
import into a copy of the package and shows the contracts fail on it.

Locally, a missing import-linter skips; under CI (``$CI`` set) it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "creative_clusters"


def _lint_imports() -> str:
    beside = Path(sys.executable).parent / "lint-imports"
    exe = str(beside) if beside.exists() else shutil.which("lint-imports")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("import-linter is not installed: install the dev extra "
                        "(pip install -e '.[dev]' -c constraints.txt)")
        pytest.skip("import-linter not installed (it is in the dev extra)")
    return exe


def _run(exe: str, root: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [exe, "--config", str(root / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache")],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )


def _copy_project(dst: Path) -> Path:
    shutil.copytree(
        PACKAGE, dst / "creative_clusters",
        ignore=shutil.ignore_patterns("__pycache__", "node_modules", "static", "templates", "*.csv", "*.yaml"),
    )
    shutil.copy2(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return dst


def test_import_contracts_are_kept(tmp_path):
    res = _run(_lint_imports(), ROOT, tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        # a formula reaching up into the layer that reads the warehouse
        ("indicators/lq.py", "from creative_clusters.workflows import detection", "Layers"),
        # a renderer assembling its own statistics from the workflows
        ("reporting/sentences_scale.py", "import creative_clusters.workflows.profile", "Layers"),
        # an importer depending on an estimator
        ("sources/business_counts.py", "from creative_clusters.clusters import threshold", "sources"),
        # a pure lookup doing file I/O through sources
        ("geography/hierarchy.py", "from creative_clusters.sources import _base", "no I/O layer"),
    ],
)
def test_an_upward_import_breaks_the_contracts(tmp_path, module, bad_import, contract):
    exe = _lint_imports()
    root = _copy_project(tmp_path / "project")
    target = root / "creative_clusters" / module
    target.write_text(target.read_text("utf-8") + f"\n{bad_import}  # injected by tests/test_layers.py\n", "utf-8")
    res = _run(exe, root, tmp_path)
    out = res.stdout + res.stderr
    assert res.returncode != 0, out
    assert "BROKEN" in out and contract in out, out
    injected = "creative_clusters." + module.removesuffix(".py").replace("/", ".")
    assert injected in out, out
