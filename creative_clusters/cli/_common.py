"""Shared CLI plumbing: the --home option, error reporting, JSON output."""

from __future__ import annotations

import functools
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from creative_clusters.errors import ClusterToolkitError, PlaceNotFoundError

F = TypeVar("F", bound=Callable[..., Any])

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        envvar="CREATIVE_CLUSTERS_HOME",
        help="Warehouse directory (default: the user data directory).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def handle_errors(func: F) -> F:
    """Turn toolkit errors into a one-line message and exit code 1 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlaceNotFoundError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(code=1) from None
        except ClusterToolkitError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(code=1) from None
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as the Python docs advise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(code=1) from None
        except OSError as exc:  # a path the system refuses (a folder for a file, no permission, a full disk)
            what = "a file, not a folder" if isinstance(exc, IsADirectoryError) else (
                "a folder, not a file" if isinstance(exc, NotADirectoryError | FileExistsError) else "")
            where = f" {exc.filename}" if exc.filename else ""
            typer.echo(f"Error: {exc.strerror or exc}:{where}" + (f" (expected {what})" if what else "")
                       + "; check the path and try again.", err=True)
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


def _clean(obj: Any) -> Any:
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):
        try:
            return _clean(obj.item())
        except (ValueError, TypeError):
            return str(obj)
    return obj


def echo_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout (NaN → null)."""
    sys.stdout.write(json.dumps(_clean(obj), indent=2, default=str) + "\n")
