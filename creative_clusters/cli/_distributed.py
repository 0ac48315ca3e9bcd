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

__all__ = ["SchedulerOption", "check_dask_options", "evidence_all_on_dask", "is_point_file",
           "microclusters_on_dask"]

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
        f"{' or '.join(missing)} (its columns: {names}). A firm file (Companies House, a CSV or Excel list) "
        "is read and located on this machine first, as without --scheduler: give it as a CSV, zip or Excel file; "
        "or rename the columns holding BNG eastings and northings to "
        f"{' and '.join(COORDINATES)}")


def is_point_file(path: Path) -> bool:
    """True for what ``--scheduler`` reads as points as they are: a Parquet file or folder, or a CSV with
    ``easting``/``northing`` columns. Anything else (a Companies House file, zip or folder of parts, a firm
    list, an Excel file) is a firm file, read and located on this machine first as without ``--scheduler``."""
    name = path.name.lower()
    if name.endswith((".parquet", ".pq", ".geoparquet")):
        return True
    if path.is_dir():
        return any(f.name.lower().endswith((".parquet", ".pq")) for f in path.iterdir())
    if name.endswith((".csv", ".csv.gz")) and path.is_file():
        import pandas as pd

        try:
            names = [str(c) for c in pd.read_csv(path, nrows=0, encoding_errors="replace").columns]
        except (ValueError, OSError):
            return False
        return all(c in names for c in COORDINATES)
    return False


def check_dask_options(points: Path, *, method: str, sweep: bool, min_firms: int) -> None:
    """What ``--scheduler`` cannot do, refused before anything is read or started."""
    if method != "dbscan":
        raise ParameterError(f"--scheduler runs exact DBSCAN only: add --method dbscan (got --method {method!r}; "
                             "drop --scheduler for the other methods)")
    if sweep:
        raise ParameterError("--sweep is not available with --scheduler; run the sweep on one machine")
    if min_firms < 2:
        raise ParameterError(f"--min-firms must be a whole number >= 2; got {min_firms}")
    if not Path(points).exists():
        raise ParameterError(f"{points} does not exist; with --scheduler, FIRMS is a firm file (as without it) or "
                             "a Parquet file/folder or a CSV of points with easting/northing columns (BNG metres)")


def microclusters_on_dask(points: Path, out: Path, *, scheduler: str, eps: float, min_firms: int, method: str,
                          sweep: bool, load: bool, located: Any = None, unlocated: Any = None,
                          notes: list[str] | None = None, hubs: str = "keep", hub_min_companies: int | None = None,
                          hub_cap: int | None = None, before_write: Any = None) -> None:
    """``microclusters FIRMS --scheduler S``: tiled exact DBSCAN of a Parquet/CSV point file, or of the firms
    of a firm file located on this machine (``located``; ``unlocated``: those that could not be, written to
    ``unlocated_firms.csv`` as the single-machine run writes them). The hub policy (``hubs``…) is applied to
    a located firm table as the single-machine run applies it; ``before_write`` (e.g. the run's provenance)
    is given the result before ``run.json`` is written."""
    from creative_clusters.distributed.cluster import connect
    from creative_clusters.distributed.points import microclusters_distributed

    check_dask_options(points, method=method, sweep=sweep, min_firms=min_firms)
    if located is None:
        _check_coordinates(Path(points))

    def step(msg: str) -> None:
        typer.echo(msg, err=True)

    with connect(scheduler) as client:
        res = microclusters_distributed(points if located is None else located, out, client=client, eps=eps,
                                        min_samples=min_firms, on_step=step, source_name=Path(points).name,
                                        unlocated=unlocated, notes=notes or (), hubs=hubs,
                                        hub_min_companies=hub_min_companies, hub_cap=hub_cap,
                                        before_write=before_write)
    p = res.params
    typer.echo(f"{p['n_microclusters']:,} microclusters (tiled exact DBSCAN on Dask, eps {eps:g} m, min "
               f"{min_firms}, hubs {p.get('hubs', hubs)}); {p['n_clustered']:,} of {p['n_points']:,} points clustered; "
               f"{p['n_tiles_with_points']} tiles, {p['seconds_total']:.1f} s")
    top = res.summary.sort_values("n_firms", ascending=False).head(20)
    for r in top.itertuples():
        typer.echo(f"  {r.microcluster_id}: {r.n_firms:,} points, centroid "
                   f"{r.centroid_easting:.0f} E {r.centroid_northing:.0f} N")
    for n in res.notes:
        typer.echo(f"Note: {n}")
    prov = p.get("provenance")
    if isinstance(prov, dict):
        n_lads = len([c for c in str(prov.get("coverage_lads", "")).split(";") if c])
        typer.echo(f"Run {p.get('run_id', '')}: {prov['firm_file']} (sha256 {str(prov['firm_file_sha256'])[:12]}…), "
                   f"{prov['scope']} coverage of {count_words(n_lads, 'LAD')}; {int(prov['rows_located']):,} located"
                   + (f", {int(prov['rows_unlocated']):,} not located" if prov.get("rows_unlocated") else "")
                   + (", SYNTHETIC" if prov.get("synthetic") else ""))
    if load:
        typer.echo("Note: not loaded into the warehouse: distributed results stay in the output folder "
                   "(use --no-load to silence this)", err=True)
    extra = f", {res.unlocated_firms['file']}" if res.unlocated_firms else ""
    typer.echo(f"Wrote {out} (points/part-*.parquet, microclusters.csv{extra}, run.json)")


def evidence_all_on_dask(*, scheduler: str, level: str, home: Path | None, out: Path, formats: tuple[str, ...],
                         build_date: str | None, year: str | None, subsectors: tuple[str, ...] = ()) -> None:
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
                                           build_date=build_date, year=year, progress=tick,
                                           subsectors=subsectors)
    console.print(f"Wrote {len(run.paths)} file(s) to {out}")
    if run.failures:
        for f in run.failures:
            typer.echo(f"Failed: {f.place}: {f.error}", err=True)
        typer.echo(f"{count_words(len(run.failures), 'place')} failed; details in {Path(out) / 'failures.json'}",
                   err=True)
        raise typer.Exit(code=1)
