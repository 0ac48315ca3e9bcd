"""CLI command: ``creative-clusters microclusters FIRMS --out DIR``."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from creative_clusters.cli._common import HomeOption, handle_errors


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register the ``microclusters`` command."""

    @app.command("microclusters")
    @handle_errors
    def microclusters(
        firms: Annotated[Path, typer.Argument(help="Companies House CSV or a CSV/Excel firm list.")],
        out: Annotated[Path, typer.Option("--out", help="Output directory (replaced atomically).")],
        eps: Annotated[float, typer.Option("--eps", help="Neighbourhood radius in metres.")] = 1000.0,
        min_firms: Annotated[int, typer.Option("--min-firms", help="Minimum firms (DBSCAN min_samples, the firm itself included; HDBSCAN min_cluster_size).")] = 50,
        method: Annotated[str, typer.Option("--method", help="dbscan or hdbscan.")] = "dbscan",
        sweep: Annotated[bool, typer.Option("--sweep", help="Also sweep eps 500-1500 m x min 20-100.")] = False,
        status: Annotated[str, typer.Option("--status", help="Company status to keep: active, all, or an exact status.")] = "active",
        onspd: Annotated[Path | None, typer.Option("--onspd", help="ONSPD CSV to geocode with (default: packaged Nov 2025 directory).")] = None,
        stability_reps: Annotated[int, typer.Option("--stability-reps", help="Resampling draws for stability (0 = skip).")] = 50,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the stability draws.")] = 20241101,
        load: Annotated[bool, typer.Option("--load/--no-load", help="Load the result into the warehouse.")] = True,
        home: HomeOption = None,
    ) -> None:
        """Find microclusters of creative firms (density-based clustering in BNG metres)."""
        from creative_clusters.microclusters.firms import load_creative_firms
        from creative_clusters.microclusters.outputs import (
            attach_areas,
            check_parameters,
            detect_microclusters,
            warehouse_spec,
            write_outputs,
        )
        from creative_clusters.warehouse import Warehouse

        check_parameters(eps, min_firms, method)  # fail before reading anything
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table, report = load_creative_firms(firms, status=status, postcode_directory_path=onspd)
        typer.echo(report.summary())
        for w in caught:
            typer.echo(f"Warning: {w.message}", err=True)
        result = detect_microclusters(table, eps=eps, min_firms=min_firms, method=method,
                                      stability_reps=stability_reps if method == "dbscan" else 0,
                                      seed=seed, sweep=sweep)
        wh = Warehouse(home) if load else None
        try:
            lads = None
            if wh is not None:
                attach_areas(result, wh)
                from creative_clusters.workflows.microcluster_context import mark_area_clusters

                result.microclusters, note = mark_area_clusters(result.microclusters, wh)
                result.notes.append(note)
                try:
                    lads = wh.read_geometry("lad_2023")
                except Exception:
                    lads = None
            else:
                attach_areas(result, None)

            def _load() -> None:
                if wh is not None:
                    wh.import_datasets([warehouse_spec(result, firms)], Path(firms).resolve().parent)

            write_outputs(result, out, lads=lads, before_commit=_load)
        finally:
            if wh is not None:
                wh.close()
        mc = result.microclusters
        typer.echo(f"{len(mc)} microclusters (method {method}, eps {eps:g} m, min {min_firms}); "
                   f"{(result.firms['microcluster_id'] != '').sum():,} of {len(result.firms):,} "
                   "creative firms clustered")
        for r in mc.sort_values("n_firms", ascending=False).head(20).itertuples():
            typer.echo(f"  {r.microcluster_id}: {r.n_firms} firms, {r.dominant_subsector}, "
                       f"{r.area_km2:.2f} km², {r.lad_code or ''} {r.postcode_districts} "
                       f"stability {r.stability:.2f}")
        if result.sweep is not None:
            typer.echo(result.sweep.to_string(index=False))
        for n in result.notes:
            typer.echo(f"Note: {n}")
        typer.echo(f"Wrote {out}" + (" and loaded dataset 'microclusters' into the warehouse, replacing "
                                     "any earlier microclusters (use --no-load to keep them)" if load else ""))
