"""CLI command: ``profile PLACE`` — a place's creative economy from the warehouse."""

from __future__ import annotations

from typing import Annotated

import typer

from creative_clusters.cli._common import (
    HomeOption,
    JsonOption,
    check_place_or_group,
    echo_json,
    examples,
    handle_errors,
)


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register ``profile``."""

    @app.command(epilog=examples(
        "creative-clusters profile Sheffield",
        "creative-clusters profile \"Greater Manchester\" --json",
        "creative-clusters profile ttwa:Bristol --year 2019",
        "creative-clusters profile --name \"Thames Estuary\" --places E06000034,E06000033,E06000035"))
    @handle_errors
    def profile(
        place: Annotated[
            str | None,
            typer.Argument(help="GSS code or name: 'Sheffield', 'E08000019', 'Greater Manchester'. Leave it out "
                           "with --places."),
        ] = None,
        name: Annotated[str | None, typer.Option(help="Name of a user-defined group (with --places; default: its "
                                                         "members' names, e.g. 'Sheffield and Rotherham').")] = None,
        places: Annotated[
            list[str] | None,
            typer.Option(help="Comma-separated LAD codes or names forming a group, instead of PLACE: "
                         "--name \"Thames Estuary\" --places E06000034,E06000033,E06000035 (repeatable)."),
        ] = None,
        year: Annotated[
            int | None,
            typer.Option(
                "--year",
                help="End the annual series here: the trend, growth windows and trajectory class end in this "
                "year; the sub-sector table is used when it has that year. The other sections (business "
                "demography, census, deprivation) keep their latest year, each labelled with it.",
            ),
        ] = None,
        as_json: JsonOption = False,
        home: HomeOption = None,
    ) -> None:
        """Print PLACE's creative economy: enterprises by sub-sector, workforce, demography, deprivation, anchors."""
        from creative_clusters.errors import ParameterError, WarehouseError
        from creative_clusters.warehouse import Warehouse
        from creative_clusters.workflows.places import group_name, other_meanings, resolve_place, user_group
        from creative_clusters.workflows.profile import build_profile, profile_json, profile_text

        check_place_or_group(place, name, places, what="to profile PLACE")
        if not place and not places:
            raise ParameterError("no place given: name one (creative-clusters profile Sheffield) or build a group "
                                 "with --name NAME --places CODE,CODE,...")
        with Warehouse(home, read_only=True) as wh:
            if wh.is_empty():
                raise WarehouseError(
                    f"the warehouse at {wh.home} is empty; run `creative-clusters data import DIR` first."
                )
            if places:
                codes = [c.strip() for p in places for c in p.split(",")]
                # unnamed, the group is named after its members, as `evidence --places` names it
                target = user_group(wh, name or group_name(wh, codes), codes)
            else:
                target = resolve_place(wh, str(place))
            prof = build_profile(wh, target, year=year)
            if place is not None:
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
