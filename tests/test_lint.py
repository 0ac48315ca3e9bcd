"""The project's own ruff configuration (pyproject.toml) holds for the package, tests and benchmarks.

ruff is in the dev extra. Locally, a missing ruff skips the test; under CI
(``$CI`` set) it fails, so a broken install cannot pass as a clean lint.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> str | None:
    beside = Path(sys.executable).parent / "ruff"
    if beside.exists():
        return str(beside)
    return shutil.which("ruff")


def test_ruff_project_config_passes_on_package_tests_and_benchmarks():
    ruff = _ruff()
    if ruff is None:
        if os.environ.get("CI"):
            pytest.fail("ruff is not installed: install the dev extra (pip install -e '.[dev]' -c constraints.txt)")
        pytest.skip("ruff not installed (it is in the dev extra)")
    res = subprocess.run(
        [ruff, "check", "--config", str(ROOT / "pyproject.toml"), "--output-format", "concise", "--no-cache",
         "creative_clusters", "tests", "benchmarks"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert res.returncode == 0, res.stdout + res.stderr
