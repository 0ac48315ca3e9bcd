"""CLI commands: ``data import``, ``data status``, ``data verify``, ``data export``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from creative_clusters.cli._common import HomeOption, JsonOption, echo_json, handle_errors
from creative_clusters.errors import DataSourceError

DataDirArg = Annotated[
    Path,
    typer.Argument(
        help="Reference-data directory (the layout of shared/data; see its README).",
        envvar="CREATIVE_CLUSTERS_DATA",
    ),
]


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register the data sub-commands."""

    @data_app.command("import")
    @handle_errors
    def import_(
        data_dir: DataDirArg,
        only: Annotated[
            list[str] | None,
            typer.Option("--only", help="Import only these dataset ids (repeatable)."),
        ] = None,
        home: HomeOption = None,
    ) -> None:
        """Import every reference dataset in DATA_DIR into the warehouse (atomic, idempotent)."""
        from creative_clusters.sources.registry import all_datasets, get_dataset
        from creative_clusters.warehouse import Warehouse

        if not data_dir.is_dir():
            raise DataSourceError(
                f"{data_dir} is not a directory; give the reference-data folder (e.g. ../shared/data)."
            )
        specs = [get_dataset(i) for i in only] if only else all_datasets()
        console = Console(stderr=True)
        with Warehouse(home) as wh, Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task("reading", total=len(specs))

            def tick(name: str) -> None:
                bar.update(task, description=f"reading {name}", advance=1)

            reports = wh.import_datasets(specs, data_dir, progress=tick)
            bar.update(task, description="written")
        total = sum(r.rows for r in reports)
        console.print(
            f"Imported {len(reports)} dataset(s), {total:,} observations into {wh.path}"
        )

    @data_app.command("status")
    @handle_errors
    def status(home: HomeOption = None, as_json: JsonOption = False) -> None:
        """List the datasets in the warehouse with vintage, coverage and row counts."""
        from creative_clusters.config import home_dir
        from creative_clusters.warehouse import Warehouse

        if not (home_dir(home) / "warehouse.duckdb").exists():
            if as_json:
                echo_json([])
            else:
                typer.echo(
                    f"The warehouse at {home_dir(home)} is empty. Import the reference data with "
                    "`creative-clusters data import DIR`."
                )
            return
        with Warehouse(home, read_only=True) as wh:
            cat = wh.datasets()
        if as_json:
            echo_json(cat.to_dict("records"))
            return
        if cat.empty:
            typer.echo(
                "The warehouse is empty. Import the reference data with "
                "`creative-clusters data import DIR`."
            )
            return
        table = Table(title=f"Datasets in {wh.path}", expand=True)
        table.add_column("id", no_wrap=True)
        table.add_column("vintage", no_wrap=True)
        table.add_column("observations", justify="right", no_wrap=True)
        table.add_column("tables / layers")
        table.add_column("coverage")
        for rec in cat.to_dict("records"):
            extra = ", ".join(x for x in (rec["tables"], rec["geometries"]) if x)
            table.add_row(
                rec["id"], rec["vintage"], f"{rec['row_count']:,}",
                extra if len(extra) < 60 else extra[:57] + "...",
                rec["coverage"],
            )
        Console().print(table)

    @data_app.command("verify")
    @handle_errors
    def verify(data_dir: DataDirArg, home: HomeOption = None, as_json: JsonOption = False) -> None:
        """Re-check every imported file's SHA-256 against the files in DATA_DIR."""
        from creative_clusters.warehouse import Warehouse

        with Warehouse(home, read_only=True) as wh:
            res = wh.verify(data_dir)
        if as_json:
            echo_json(res.to_dict("records"))
        else:
            for rec in res.to_dict("records"):
                typer.echo(f"{rec['status']:8} {rec['dataset_id']:32} {rec['path']}")
        bad = res[res["status"] != "ok"]
        if len(bad):
            typer.echo(f"{len(bad)} file(s) differ from what was imported.", err=True)
            raise typer.Exit(code=1)
        typer.echo(f"All {len(res)} file(s) match their imported checksums.", err=True)

    @data_app.command("export")
    @handle_errors
    def export(
        out: Annotated[Path, typer.Argument(help="Output file (.parquet or .csv).")],
        dataset: Annotated[str | None, typer.Option(help="Only this dataset id.")] = None,
        home: HomeOption = None,
    ) -> None:
        """Export observations (all, or one dataset) to Parquet or CSV, atomically."""
        import os
        import uuid

        from creative_clusters.warehouse import Warehouse

        with Warehouse(home, read_only=True) as wh:
            obs = wh.observations(dataset=dataset)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
        try:
            if out.suffix == ".csv":
                obs.to_csv(tmp, index=False)
            else:
                obs.to_parquet(tmp, index=False)
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
        typer.echo(f"Wrote {len(obs):,} observations to {out}", err=True)
