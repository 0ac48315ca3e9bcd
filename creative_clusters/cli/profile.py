"""CLI commands: profile (not yet written)."""

from __future__ import annotations

import typer


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register this module's commands (none yet)."""
