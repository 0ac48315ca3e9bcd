"""Shared CLI plumbing: the --home option, error reporting, JSON output."""

from __future__ import annotations

import functools
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
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


def check_place_or_group(place: str | None, name: str | None, places: str | Sequence[str] | None, *,
                         what: str) -> None:
    """A command's PLACE, ``--name`` and ``--places`` make sense together; ``what`` ends the advice
    ("to profile PLACE", "for PLACE's pack").

    Raises
    ------
    ParameterError
        PLACE and ``--places`` both given, or ``--name`` without ``--places``.
    """
    from creative_clusters.errors import ParameterError

    if place and places:
        raise ParameterError(f"give either PLACE ({place!r}) or --places, not both: --places builds a group of "
                             f"its own. Drop PLACE, or drop --places (and --name) {what}.")
    if name and not places:
        raise ParameterError(f"--name {name!r} names a group given by --places, and no --places came. Add "
                             "--places CODE,CODE,... or drop --name.")


def refuse_unused(ctx: Any, why: str, *params: str) -> None:
    """Stop when the user set an option that does not apply to this call (rather than ignore it silently).

    ``ctx`` is the command's :class:`typer.Context` (a ``ctx: typer.Context`` parameter of the command);
    ``params`` are the command's parameter names (``"workers"``); an option counts as set when it came
    from the command line or its environment variable, not from its default. The message names the
    options as typed and says ``why`` they do not apply.

    Raises
    ------
    ParameterError
        One or more of ``params`` was set.
    """
    from creative_clusters.errors import ParameterError

    flags = {p.name: (p.opts[0] if p.opts else p.name) for p in ctx.command.params}
    used = [flags.get(n, n) for n in params
            # by name: typer ships its own copy of click, whose ParameterSource is not click's
            if getattr(ctx.get_parameter_source(n), "name", "") in ("COMMANDLINE", "ENVIRONMENT")]
    if used:
        names = " and ".join(used)
        raise ParameterError(f"{names} {'applies' if len(used) == 1 else 'apply'} {why}; drop "
                             f"{'it' if len(used) == 1 else 'them'} or change the command.")


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


def fit_widths(headers: list[str], rows: list[list[str]], width: int, *,
               word_cap: int | None = 24) -> list[int] | None:
    """Content widths of a boxed table's columns so it fits ``width`` columns, or None when it cannot.

    Every column gets at least its longest word (capped at ``word_cap``, so one
    very long word folds rather than forcing the table wide), and no more than
    its longest text; one character at a time. None means
    the words alone do not fit: print the rows as a list instead. The spare room
    goes to the narrowest column still short of its longest text, so long texts
    share it rather than one taking it all. A boxed table
    with padding 1 takes 3 characters per column and 1 more beside the widths.

    Examples
    --------
    >>> fit_widths(["place", "members"], [["Leeds", "Bradford; Kirklees; Calderdale"]], 40)
    [5, 28]
    >>> fit_widths(["place", "members"], [["Leeds", "Bradford; Kirklees; Calderdale"]], 30)
    [5, 18]
    >>> fit_widths(["place", "members"], [["Leeds", "Bradford; Kirklees; Calderdale"]], 15) is None
    True
    """
    columns = list(zip(headers, *rows, strict=True))
    lows, highs = [], []
    for cells in columns:
        words = [len(w) for cell in cells for w in str(cell).split()] or [1]
        low = max(words) if word_cap is None else min(max(words), word_cap)
        lows.append(max(low, 1))
        highs.append(max(low, *(len(line) for cell in cells for line in str(cell).splitlines() or [""])))
    room = width - (3 * len(columns) + 1)
    if sum(lows) > room:
        return None
    widths = list(lows)
    spare = room - sum(widths)
    while spare > 0:
        short = [i for i in range(len(widths)) if widths[i] < highs[i]]
        if not short:
            break
        i = min(short, key=lambda j: (widths[j], -highs[j]))
        widths[i] += 1
        spare -= 1
    return widths


def echo_as_list(headers: list[str], rows: list[list[str]], width: int, *, title: str = "",
                 caption: str = "") -> None:
    """Print a table one block per row (``header: value`` lines), wrapped to ``width`` columns.

    For terminals too narrow for the table's columns; nothing is cut, long
    words are folded.

    Examples
    --------
    >>> echo_as_list(["place", "LQ"], [["Leeds", "1.20"], ["York", "0.90"]], 40, title="Two places")
    Two places
    <BLANKLINE>
    place: Leeds
      LQ: 1.20
    <BLANKLINE>
    place: York
      LQ: 0.90
    """
    import textwrap

    def put(text: str, first: str = "", rest: str = "  ") -> None:
        typer.echo(textwrap.fill(text, width=max(width, 20), initial_indent=first, subsequent_indent=rest,
                                 break_on_hyphens=False) or first.rstrip())

    if title:
        put(title, rest="")
    for row in rows:
        typer.echo("")
        for i, (h, v) in enumerate(zip(headers, row, strict=True)):
            put(f"{h}: {v}", "" if i == 0 else "  ", "    " if i else "  ")
    if caption:
        typer.echo("")
        put(caption, rest="")


def lower_choice(value: str | None) -> str | None:
    """A choice option's value in lower case (``--level LAD`` means ``--level lad``); typer's ``callback``.

    Examples
    --------
    >>> lower_choice(" LAD "), lower_choice(None)
    ('lad', None)
    """
    return value.strip().lower() if isinstance(value, str) else value


def examples(*commands: str) -> str:
    """A command's ``--help`` epilog: example commands, one a line (give it as ``epilog=``).

    Each line is a whole command as one types it; ``tests/cli/test_help_examples.py``
    parses every one against its command's parameters.

    Examples
    --------
    >>> print(examples("creative-clusters clusters", "creative-clusters clusters --level ttwa"))
    Examples:
    <BLANKLINE>
      creative-clusters clusters
    <BLANKLINE>
      creative-clusters clusters --level ttwa
    """
    return "\n\n".join(["Examples:", *(f"  {c}" for c in commands)])
