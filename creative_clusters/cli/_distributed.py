"""``--scheduler`` for ``microclusters`` and ``evidence --all``: the Dask side of those commands.

The commands keep their single-machine path unchanged; with ``--scheduler``
they hand over to these functions, which call
:mod:`creative_clusters.distributed` and print the outcome.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from creative_clusters._text import count_words
from creative_clusters.errors import ParameterError

__all__ = ["SchedulerOption", "evidence_all_on_dask", "microclusters_on_dask"]

SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="Run on Dask: 'local' (a LocalCluster sized to this machine) or a "
                                     "scheduler address such as tcp://host:8786 (needs the 'distributed' "
                                     "extra; see docs/distributed.md)."),
]


#: The coordinate columns the Dask path reads (British National Grid metres), as single-machine output has them.
COORDINATES = ("easting", "northing")


def _check_coordinates(points: Path) -> None:
    """Before any Dask cluster starts: the point file has ``easting``/``northing``, or say what to do."""
    import pandas as pd

    from creative_clusters.errors import SchemaError

    if not points.exists():
        raise ParameterError(f"{points} does not exist; give a Parquet file/folder or a CSV of points")
    try:
        if points.is_dir() or points.name.lower().endswith((".parquet", ".pq", ".geoparquet")):
            import pyarrow.parquet as pq

            names = list(pq.ParquetDataset(str(points)).schema.names)
        else:
            names = [str(c) for c in pd.read_csv(points, nrows=0).columns]
    except (ValueError, OSError):  # unreadable: the Dask reader reports it with its own message
        return
    missing = [c for c in COORDINATES if c not in names]
    if not missing:
        return
    raise SchemaError(
        f"{points}: with --scheduler, microclusters reads the point coordinates from columns named exactly "
        f"{' and '.join(COORDINATES)} (British National Grid metres) and geocodes nothing; the file has no "
        f"{' or '.join(missing)} (its columns: {names}). For a firm file (e.g. Companies House), run "
        f"`creative-clusters microclusters {points} --out DIR` without --scheduler first (it places firms by "
        "their X/Y or easting/northing columns, else by postcode) and pass DIR/microcluster_firms.csv to "
        "--scheduler; or rename the columns holding BNG eastings and northings to "
        f"{' and '.join(COORDINATES)}")


def microclusters_on_dask(points: Path, out: Path, *, scheduler: str, eps: float, min_firms: int, method: str,
                          sweep: bool, load: bool) -> None:
    """``microclusters POINTS --scheduler S``: tiled exact DBSCAN of a Parquet/CSV point file."""
    from creative_clusters.distributed.cluster import connect
    from creative_clusters.distributed.points import microclusters_distributed

    if method != "dbscan":
        raise ParameterError(f"--scheduler runs exact DBSCAN only: add --method dbscan (got --method {method!r}; "
                             "drop --scheduler for the other methods)")
    if sweep:
        raise ParameterError("--sweep is not available with --scheduler; run the sweep on one machine")
    if min_firms < 2:
        raise ParameterError(f"--min-firms must be a whole number >= 2; got {min_firms}")
    name = Path(points).name.lower()
    if not (Path(points).is_dir() or name.endswith((".parquet", ".pq", ".geoparquet", ".csv", ".csv.gz"))):
        raise ParameterError(f"with --scheduler, FIRMS must be a Parquet file/folder or a CSV of points with "
                             f"easting/northing columns (BNG metres); got {points}. Geocode a firm file first, "
                             "e.g. use microcluster_firms.csv from a single-machine run")

    _check_coordinates(Path(points))

    def step(msg: str) -> None:
        typer.echo(msg, err=True)

    with connect(scheduler) as client:
        res = microclusters_distributed(points, out, client=client, eps=eps, min_samples=min_firms,
                                        on_step=step)
    p = res.params
    typer.echo(f"{p['n_microclusters']:,} microclusters (tiled exact DBSCAN on Dask, eps {eps:g} m, min "
               f"{min_firms}); {p['n_clustered']:,} of {p['n_points']:,} points clustered; "
               f"{p['n_tiles_with_points']} tiles, {p['seconds_total']:.1f} s")
    top = res.summary.sort_values("n_firms", ascending=False).head(20)
    for r in top.itertuples():
        typer.echo(f"  {r.microcluster_id}: {r.n_firms:,} points, centroid "
                   f"{r.centroid_easting:.0f} E {r.centroid_northing:.0f} N")
    for n in res.notes:
        typer.echo(f"Note: {n}")
    if load:
        typer.echo("Note: not loaded into the warehouse: distributed results stay in the output folder "
                   "(use --no-load to silence this)", err=True)
    typer.echo(f"Wrote {out} (points/part-*.parquet, microclusters.csv, run.json)")


def evidence_all_on_dask(*, scheduler: str, level: str, home: Path | None, out: Path, formats: tuple[str, ...],
                         build_date: str | None, year: str | None) -> None:
    """``evidence --all --scheduler S``: one task per place; failures listed, exit code 1 if any."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from creative_clusters.distributed.cluster import connect
    from creative_clusters.distributed.packs import build_packs_distributed

    console = Console(stderr=True)
    with connect(scheduler) as client, Progress(TextColumn("{task.description}"), BarColumn(),
                                                 MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("packs on Dask", total=None)

        def tick(i: int, n: int, code: str) -> None:
            bar.update(task, completed=i, total=n, description=f"built {code}")

        run: Any = build_packs_distributed(client, level=level, home=home, out=out, formats=formats,
                                           build_date=build_date, year=year, progress=tick)
    console.print(f"Wrote {len(run.paths)} file(s) to {out}")
    if run.failures:
        for f in run.failures:
            typer.echo(f"Failed: {f.place}: {f.error}", err=True)
        typer.echo(f"{count_words(len(run.failures), 'place')} failed; details in {Path(out) / 'failures.json'}",
                   err=True)
        raise typer.Exit(code=1)
