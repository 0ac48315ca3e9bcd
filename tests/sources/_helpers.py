"""Helpers shared by the importer tests in ``tests/sources``.

Import as ``from tests.sources._helpers import ...`` (works under
``--import-mode=importlib`` and ``python -m pytest``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from creative_clusters.errors import ImportFormatError


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write a hand-made data root: ``{relative path: text or bytes}`` under ``root``.

    Text is written as UTF-8; bytes as given (for wrong-encoding cases).
    Returns ``root``.
    """
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
    return root


def assert_names(
    err: ImportFormatError,
    file_name: str,
    row: int | None = None,
    column: str | None = None,
) -> None:
    """Assert an import error names ``file_name`` and, when given, ``row`` and ``column``."""
    assert file_name in str(err), str(err)
    assert err.file is not None and err.file.endswith(file_name), str(err)
    if row is not None:
        assert err.row == row, str(err)
    if column is not None:
        assert err.column == column, str(err)
