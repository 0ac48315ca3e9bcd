"""CLI commands: ``evidence`` (build evidence packs) and ``research`` (search the library)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creative_clusters.cli._common import (
    HomeOption,
    JsonOption,
    check_place_or_group,
    echo_json,
    examples,
    handle_errors,
    lower_choice,
    refuse_unused,
)
from creative_clusters.cli._distributed import SchedulerOption
from creative_clusters.config import DEFAULT_FRAMEWORK


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _place_chain(place: str, home: Path | None) -> list[str]:
    """The place and its parents via the resolver when a warehouse has areas; else the text."""
    from creative_clusters.errors import PlaceNotFoundError, WarehouseError
    from creative_clusters.workflows.evidence import place_chain

    try:
        return place_chain(place, home)
    except PlaceNotFoundError:
        raise
    except (WarehouseError, ImportError):  # no warehouse yet: match the text only
        return [place, "UK"]


def _group_name(members: list[str], home: Path | None) -> str | None:
    """A group's name from its members' names: "Sheffield and Rotherham", "Leeds, Bradford and 3 more".

    None when a member does not resolve (the pack's own resolver then says why).
    """
    from creative_clusters.errors import ClusterToolkitError
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows.places import group_name

    try:
        with Warehouse(home, read_only=True) as wh:
            return group_name(wh, members)  # as the pack resolves them ("Bristol, City of")
    except ClusterToolkitError:
        return None


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register ``evidence`` and ``research``."""

    @app.command("evidence", epilog=examples(
        "creative-clusters evidence Sheffield --format html",
        "creative-clusters evidence \"Greater Manchester\" --subsector film --out packs",
        "creative-clusters evidence --places \"Sheffield,Rotherham\" --format html,xlsx",
        "creative-clusters evidence --name \"Thames Estuary\" --places E06000034,E06000033,E06000035",
        "creative-clusters evidence ttwa:Bristol --peers include-london --build-date 2026-01-31",
        "creative-clusters evidence Cardiff --framework my_framework.yaml --composite"))
    @handle_errors
    def evidence(
        command: typer.Context,
        place: Annotated[str | None, typer.Argument(help="Place: LAD, combined authority, region, TTWA "
                                                         "(ttwa:NAME), name or GSS code.")] = None,
        subsector: Annotated[list[str] | None, typer.Option("--subsector", "-s",
                             help="Focus sub-sector(s), e.g. film, games, music (repeatable).")] = None,
        peers: Annotated[str, typer.Option("--peers", help="'auto' (similar places of the same kind and nation; London "
                                             "boroughs left out unless the place is one), 'include-london', "
                                             "or comma-separated codes of your own peers.")] = "auto",
        year: Annotated[int | None, typer.Option("--year", help="Year of creative business counts (default: the "
                                                 "latest the warehouse holds).")] = None,
        fmt: Annotated[
            str, typer.Option("--format", help="Comma-separated: html,pdf,docx,xlsx.")
        ] = "html,pdf,docx,xlsx",
        out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("evidence"),
        name: Annotated[str | None, typer.Option("--name", help="Name of a user-defined group of places (default: "
                                                 "its members' names, e.g. 'Sheffield and Rotherham').")] = None,
        places: Annotated[list[str] | None, typer.Option("--places", help="Comma-separated local authorities of "
                                                         "the group, by name or GSS code: 'Sheffield,Rotherham' or "
                                                         "E08000019,E08000018 (repeatable).")] = None,
        all_: Annotated[bool, typer.Option("--all", help="Build packs for every place at --level (with "
                                           "--subsector, each with that focus).")] = False,
        level: Annotated[
            str,
            typer.Option(
                "--level", help="Level for --all: lad (the UK's 361 local authorities), cauth (England's combined "
                                "authorities), rgn (the UK's 12 regions: 9 English, and Wales, Scotland and "
                                "Northern Ireland) or ttwa (England and Wales, built from their majority LADs; "
                                "those with none are listed as left out). Also: region, ca.",
                callback=lower_choice,
            ),
        ] = "lad",
        workers: Annotated[int, typer.Option("--workers", help="Parallel worker processes for --all (1 or "
                                             "more; 1 builds in this process).")] = 2,
        build_date: Annotated[str | None, typer.Option("--build-date", help="Date printed in the pack "
                                                       "(YYYY-MM-DD); without it no date appears.")] = None,
        composite: Annotated[bool, typer.Option("--composite", help="Add a composite score with a "
                                                "sensitivity note.")] = False,
        framework: Annotated[str, typer.Option("--framework", help="Benchmark framework: a packaged name or a "
                                               "YAML file of your own (indicators, directions, weights; see "
                                               "docs/benchmark.md).")] = DEFAULT_FRAMEWORK,
        home: HomeOption = None,
        scheduler: SchedulerOption = None,
    ) -> None:
        """Build a bid-ready evidence pack (HTML, PDF, Word, Excel) for a place."""
        import datetime as dt

        from creative_clusters._files import check_out_folder
        from creative_clusters.errors import ParameterError
        from creative_clusters.geography.place import LEVEL_NAMES
        from creative_clusters.workflows import evidence as W

        year_text = None if year is None else str(year)
        formats = tuple(_split([fmt]))
        bad = [f for f in formats if f not in W.FORMATS]
        if bad or not formats:
            raise ParameterError(f"--format takes some of {list(W.FORMATS)}, got {fmt!r}")
        if build_date is not None:
            try:
                dt.date.fromisoformat(build_date)
            except ValueError:
                raise ParameterError(f"--build-date must be YYYY-MM-DD, got {build_date!r}") from None
        if all_ and (place or name or places):
            raise ParameterError("--all builds a pack for every place at --level: give a place (or --name/--places) "
                                 "or --all, not both")
        if all_:
            refuse_unused(command, "to one place's pack; --all builds every place's with automatic peers and "
                          "no composite", "peers", "composite")
            # checked before the warehouse is read (a typo or a file as --out costs nothing)
            level = W.check_level(level)
            if workers < 1:
                raise ParameterError(f"--workers must be 1 or more, got {workers}")
            check_out_folder(out)
            W.check_subsectors(_split(subsector))
        else:
            refuse_unused(command, "only with --all (a pack for every place at --level)", "level", "workers")
        check_place_or_group(place, name, places, what="for PLACE's pack")
        from creative_clusters.benchmarking.framework import load_framework

        load_framework(framework)  # a bad name or file fails here, before the warehouse is read
        if scheduler is not None:  # Dask: one task per place (docs/distributed.md)
            if not all_:
                raise ParameterError("--scheduler builds packs with --all; drop it for a single place")
            if framework != DEFAULT_FRAMEWORK:
                raise ParameterError("--framework is not sent to Dask workers (they may not see your file); "
                                     "build the packs without --scheduler, or with the packaged framework")
            from creative_clusters.cli._distributed import evidence_all_on_dask

            evidence_all_on_dask(scheduler=scheduler, level=level, home=home, out=out, formats=formats,
                                 build_date=build_date, year=year_text, subsectors=tuple(_split(subsector)))
            return
        if all_:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            console = Console(stderr=True)
            done = [0]
            total = [0]
            try:
                with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), console=console) as bar:
                    task = bar.add_task("loading warehouse", total=None)
                    nd = W.load_national(home, year=year_text, framework=framework)
                    total[0] = len(W.level_codes(nd, level))
                    bar.update(task, description="building packs", total=total[0])

                    def tick(i: int, n: int, code: str) -> None:
                        done[0] = i
                        bar.update(task, completed=i, description=f"built {nd.names.get(code, code)}")

                    left_out = W.level_left_out(nd, level)
                    if left_out:  # said before the packs are built, so a failure summary cannot hide it
                        why = sorted(set(left_out.values()))
                        names = [f"{nd.names.get(c, c)} ({c})" for c in left_out]
                        console.print(f"Leaving out {len(left_out)} place(s) of --level {level}: "
                                      f"{', '.join(names)}: {'; '.join(why)}")
                    paths = W.build_all(level=level, out=out, formats=formats, workers=workers,
                                        build_date=build_date, progress=tick, national=nd,
                                        subsectors=_split(subsector))
            except W.PacksInterrupted as stop:
                console.print(f"interrupted: {stop.written} of {stop.n} written (in {out})")
                raise typer.Exit(code=130) from None
            except KeyboardInterrupt:  # while the tables were read, before any pack
                console.print(f"interrupted: {done[0]} of {total[0] or '?'} written (in {out})")
                raise typer.Exit(code=130) from None
            console.print(f"Wrote {len(paths)} file(s) to {out}")
            return
        peer_list = None if peers.strip().lower() == "auto" else _split([peers])
        members = _split(places) if places else None
        if members and not name:  # the pack (and its file) named after its members, not "Custom area"
            name = _group_name(members, home)
        ctx, paths = W.build_pack(place, home=home, out=out, formats=formats, subsectors=_split(subsector),
                                  peers=peer_list, name=name, places=members,
                                  year=year_text, build_date=build_date, composite=composite,
                                  framework=framework)
        pl = ctx["place"]
        for other in pl.get("also", []):  # the tie rule chose one kind of place: say what else the name means
            kind = LEVEL_NAMES.get(other.split(":", 1)[0], "other place")
            typer.echo(f"Note: {pl['name']!r} is taken as the {LEVEL_NAMES.get(pl['geo_type'], pl['geo_type'])}; "
                       f"for the {kind} of that name ask for {other!r}.", err=True)
        for h in ctx["headline"]:  # with its note: the year of a figure, what a rank ranks by
            note = str(h.get("note") or "").strip()
            typer.echo(f"{h['label']}: {h['value']}" + (f" ({note})" if note else ""), err=True)
        for s in ctx["sections"]:
            if s["status"] != "ok":
                typer.echo(f"Section {s['number']} {s['title']}: {s['status']}", err=True)
        for p in paths:
            typer.echo(str(p))

    @app.command("research", epilog=examples(
        "creative-clusters research --place Belfast",
        "creative-clusters research --subsector games --text skills"))
    @handle_errors
    def research(
        place: Annotated[str | None, typer.Option("--place", help="Place name or code (matched up to "
                                                  "region and nation).")] = None,
        subsector: Annotated[str | None, typer.Option("--subsector", help="Sub-sector or alias.")] = None,
        theme: Annotated[str | None, typer.Option("--theme", help="A theme from the seed list.")] = None,
        text: Annotated[str | None, typer.Option("--text", help="Words in title or summary.")] = None,
        home: HomeOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Search the curated research library."""
        from creative_clusters.research.library import (
            NO_LINK,
            format_citation,
            search_library,
            subsector_code,
            why_relevant,
        )

        chain = _place_chain(place, home) if place else None
        hits = search_library(place_chain=chain, subsector=subsector, theme=theme, text=text)
        codes = frozenset({subsector_code(subsector)}) if subsector else frozenset()
        why = [why_relevant(h, place_chain=chain, subsectors=codes, asked=True) for h in hits]
        if as_json:
            echo_json([{**h.to_dict(), "why": w} for h, w in zip(hits, why, strict=True)])
            return
        if not hits:
            typer.echo("No matching entries.", err=True)
            return
        for h, w in zip(hits, why, strict=True):
            typer.echo(f"- {format_citation(h)}\n  {h.url or NO_LINK}\n  {h.summary}\n  themes: {', '.join(h.themes)}"
                       f"\n  why: {w}")
