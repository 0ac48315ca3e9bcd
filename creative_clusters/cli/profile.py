"""CLI command: ``profile PLACE`` — a place's creative economy from the warehouse."""

from __future__ import annotations

from typing import Annotated

import typer

from creative_clusters.cli._common import HomeOption, JsonOption, echo_json, handle_errors


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register ``profile``."""

    @app.command()
    @handle_errors
    def profile(
        place: Annotated[str, typer.Argument(help="GSS code or name: 'Sheffield', 'E08000019', 'Greater Manchester'.")],
        name: Annotated[str | None, typer.Option(help="Name of a user-defined group (with --places).")] = None,
        places: Annotated[str | None, typer.Option(help="Comma-separated LAD codes forming a group.")] = None,
        year: Annotated[
            int | None,
            typer.Option(
                "--year",
                help="As of this year: the trend, growth windows and trajectory class end there (2010-2025 series); "
                "the sub-sector table is used when it has that year.",
            ),
        ] = None,
        as_json: JsonOption = False,
        home: HomeOption = None,
    ) -> None:
        """Print PLACE's creative economy: enterprises by sub-sector, workforce, demography, deprivation, anchors."""
        from creative_clusters.errors import WarehouseError
        from creative_clusters.warehouse import Warehouse
        from creative_clusters.workflows.places import other_meanings, resolve_place, user_group
        from creative_clusters.workflows.profile import build_profile, profile_json, profile_text

        with Warehouse(home, read_only=True) as wh:
            if wh.is_empty():
                raise WarehouseError(
                    f"the warehouse at {wh.home} is empty; run `creative-clusters data import DIR` first."
                )
            target = user_group(wh, name or place, places.split(",")) if places else resolve_place(wh, place)
            prof = build_profile(wh, target, year=year)
            if not places:
                others = other_meanings(wh, place, target)
                if others:
                    prof["also_matches"] = others
                    typer.echo(
                        f"Note: {place!r} resolved to {target.name} ({target.level_name}, {target.code}); "
                        "also matches " + "; ".join(others),
                        err=True,
                    )
        if as_json:
            echo_json(profile_json(prof))
        else:
            typer.echo(profile_text(prof))
