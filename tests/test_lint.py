"""Static checks that catch real bugs: undefined names, unused imports, syntax errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_pyflakes_rules_pass_on_package_tests_and_benchmarks():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff not installed (it is in the dev extra)")
    res = subprocess.run(
        [ruff, "check", "--select", "F,E9", "--output-format", "concise", "--no-cache",
         "creative_clusters", "tests", "benchmarks"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr
