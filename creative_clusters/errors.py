"""The exception tree of creative-clusters.

::

    ClusterToolkitError
    ├── SchemaError (ValueError)          a table lacks columns, has bad values or duplicate keys
    │   └── ImportFormatError             a source file does not have the published layout
    ├── DataSourceError                   a file or API could not be read (offline, HTTP error)
    │   └── OfflineError                  no network; names the offline alternative
    ├── UnknownCodeError (KeyError)       a code (GSS, SIC, SOC) the classifications do not know
    │   └── PlaceNotFoundError            a place name/code that does not resolve; lists suggestions
    ├── WarehouseError                    the warehouse is missing, empty or inconsistent
    └── ParameterError (ValueError)       an option outside its valid range

Every message says what was expected, what came and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "ClusterToolkitError",
    "DataSourceError",
    "ImportFormatError",
    "OfflineError",
    "ParameterError",
    "PlaceNotFoundError",
    "SchemaError",
    "UnknownCodeError",
    "WarehouseError",
]


class ClusterToolkitError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class SchemaError(ClusterToolkitError, ValueError):
    """A table does not have the columns, types or keys that were expected."""


class ImportFormatError(SchemaError):
    """A source file does not have its published layout.

    Parameters
    ----------
    message : str
        What was expected and what came.
    file : str, optional
        The file being read.
    row : int, optional
        1-based row number in the file (header = row 1), when known.
    column : str, optional
        Column name or letter, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        where = []
        if file is not None:
            where.append(f"file {file}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = (", ".join(where) + ": ") if where else ""
        super().__init__(prefix + message)


class DataSourceError(ClusterToolkitError):
    """A data source (file or web API) could not be read."""


class OfflineError(DataSourceError):
    """The network is not reachable; the message names the offline alternative."""


class UnknownCodeError(ClusterToolkitError, KeyError):
    """A code that the classifications or lookups do not know."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class PlaceNotFoundError(UnknownCodeError):
    """A place that does not resolve; ``suggestions`` holds the closest matches."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class WarehouseError(ClusterToolkitError):
    """The warehouse is missing, empty or inconsistent."""


class ParameterError(ClusterToolkitError, ValueError):
    """An option outside its valid range."""
