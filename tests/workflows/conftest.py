"""Fixtures of the workflow tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="module")
def wh(full_home: Path) -> Iterator[Any]:
    """A read-only connection to the session's full warehouse, shared by one test module's tests.

    Module-scoped (the tests only read), so a module opens one connection
    instead of one per test; a test that writes must open its own.
    """
    from creative_clusters.warehouse import Warehouse

    w = Warehouse(full_home, read_only=True)
    yield w
    w.close()

