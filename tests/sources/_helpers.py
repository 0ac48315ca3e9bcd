"""Helpers shared by the importer tests in ``tests/sources``.

Import as ``from tests.sources._helpers import ...`` (works under
``--import-mode=importlib`` and ``python -m pytest``).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from creative_clusters.errors import ImportFormatError

#: The hand-made Nomis responses in Nomis' CSV layout (not real figures; see the README there).
NOMIS_FIXTURES = Path(__file__).resolve().parents[1] / "data" / "nomis"
#: The two pages of the hand-made BRES LAD 2023 response.
PAGE1 = (NOMIS_FIXTURES / "bres_lad_2023_page1.csv").read_bytes()
PAGE2 = (NOMIS_FIXTURES / "bres_lad_2023_page2.csv").read_bytes()


def refuse_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any real DNS lookup or socket connection fail the test (for a ``no_network`` fixture).

    Stricter than the session-wide guard in ``tests/conftest.py``: loopback and
    name lookups are refused too.
    """

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a test tried to use the real network")

    monkeypatch.setattr(socket, "getaddrinfo", boom)
    monkeypatch.setattr(socket.socket, "connect", boom)
    monkeypatch.setattr(socket, "create_connection", boom)


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


#: A bad-input case: the file's text (bytes for a wrong encoding), and the row and
#: column the error must name (``None``: not checked).
BadCase = tuple[str | bytes, int | None, str | None]


def unreadable_cases(accented: str) -> dict[str, BadCase]:
    """The two bad-input cases every CSV importer shares: a latin-1 file and an empty one.

    Parameters
    ----------
    accented : str
        A valid file's text with a non-ASCII character put in (it is written
        latin-1 encoded, so it is not valid UTF-8).

    Returns
    -------
    dict
        ``{"wrong_encoding": ..., "empty": ...}``, neither naming a row or column.
    """
    return {"wrong_encoding": (accented.encode("latin-1"), None, None), "empty": ("", None, None)}


def assert_rejects(
    read: Callable[[Path], object],
    root: Path,
    file_name: str,
    row: int | None = None,
    column: str | None = None,
) -> None:
    """Assert ``read(root)`` raises an import error naming ``file_name`` (and ``row``, ``column``)."""
    with pytest.raises(ImportFormatError) as info:
        read(root)
    assert_names(info.value, file_name, row, column)
