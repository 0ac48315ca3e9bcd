"""CLI commands: ``creative-clusters microclusters FIRMS --out DIR`` and ``microclusters-runs``."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from creative_clusters.cli._common import HomeOption, handle_errors
from creative_clusters.cli._distributed import SchedulerOption

if TYPE_CHECKING:
    import pandas as pd

    from creative_clusters.microclusters.engine import ClusterEngine
    from creative_clusters.microclusters.outputs import OutputWriter
    from creative_clusters.microclusters.runs import CurrentChoice, RunRecord
    from creative_clusters.sources.firm_files import FirmsReport

_HELP = {
    "firms": "Companies House CSV (or its zip) or a CSV/Excel firm list (a CSV may be gzipped or zipped).",
    "eps": "Neighbourhood radius in metres (level 0 for split).",
    "min_firms": "Minimum firms (DBSCAN min_samples, the firm itself included; HDBSCAN min_cluster_size).",
    "method": (
        "split (default: DBSCAN, clusters wider than --max-extent split at half the radius), dbscan"
        " (exact, one radius) or hdbscan."
    ),
    "max_extent": "split: clusters whose convex hull exceeds this many km² are split.",
    "hubs": "Registered-office hubs: downweight (default), exclude or keep.",
    "hub_min_companies": "Companies at one postcode that make it a hub.",
    "hub_cap": "downweight: a hub counts as at most this many firms.",
    "sweep": "Also sweep eps 500-1500 m x min 20-100, compare the methods side by side and report the hub sensitivity.",
    "status": "Company status to keep: active, all, or an exact status.",
    "onspd": "ONSPD CSV to geocode with (default: packaged Nov 2025 directory).",
    "stability_reps": "Resampling draws for stability (0 = skip).",
    "synthetic": "Mark the run as synthetic data (default: set for files the project generates).",
    "address_kind": "registered or trading: what the file's addresses are (default: from the layout).",
    "load": "Store the run in the warehouse as its own version (current or not: see --current).",
    "current": (
        "Make the stored run the current microclusters (--current) or keep the current one (--no-current). "
        "Default: it becomes current only when there is none, it re-runs the current run's firm file, or it "
        "covers every LAD the current run covers; a SYNTHETIC run never displaces a real one."
    ),
    "all_creative": (
        "State that every firm of a list without SIC codes or sub-sectors is creative (such a list is "
        "refused without it); the run's provenance records it."
    ),
}


def _open_read_only(home: Path | None) -> tuple[Any, str]:
    """The warehouse opened read-only for area names, or None and why not."""
    from creative_clusters.errors import WarehouseError
    from creative_clusters.warehouse import Warehouse

    try:
        return Warehouse(home, read_only=True), ""
    except WarehouseError as exc:
        return None, f"area names not attached: {exc}"


def _distribution(mc: Any, count: str = "firms") -> str:
    """The line of :func:`~creative_clusters.microclusters.describe.size_distribution` the command prints."""
    from creative_clusters.microclusters.describe import LARGE_AREA_KM2, size_distribution

    d = size_distribution(mc)
    if d["n_microclusters"] == 0:
        return "no microclusters"
    return (f"{count} per microcluster: median {d['firms_median']:.0f}, p90 {d['firms_p90']:.0f}, "
            f"max {d['firms_max']:.0f}; area km²: median {d['area_km2_median']:.2f}, "
            f"p90 {d['area_km2_p90']:.2f}, max {d['area_km2_max']:.2f}; hull area over {LARGE_AREA_KM2:g} km²: "
            f"{d['n_over_10_km2']}" + _extent_words(d))


def _extent_words(d: dict[str, Any]) -> str:
    """The microclusters whose extent (convex hull of their firms, ``extent_km2``: the measure of
    ``microcluster_methods.csv``'s ``over_10_km2``) is over 10 km², when the table has it."""
    from creative_clusters.microclusters.describe import LARGE_AREA_KM2

    if "n_extent_over_10_km2" not in d:
        return ""
    return (f"; extent (convex hull of the firms, as microcluster_methods.csv counts it) over "
            f"{LARGE_AREA_KM2:g} km²: {d['n_extent_over_10_km2']}")


#: Microclusters listed one by one in the command's summary (the largest); the rest are counted.
_SHOWN = 20


def _subsector_name(key: object) -> str:
    """The DCMS sub-sector name of a short key (``it_software``), as the reports print it.

    >>> _subsector_name("it_software"), _subsector_name("unknown")
    ('IT, software and computer services', 'sub-sector not known')
    """
    from creative_clusters.classifications.dcms import SUBSECTORS, subsector_short

    names = {subsector_short(n): n for n in SUBSECTORS}
    text = str(key) if isinstance(key, str) and key else "unknown"
    return names.get(text, "sub-sector not known" if text == "unknown" else text)


def _lad_basis(mc: Any) -> tuple[str, str]:
    """The microcluster column whose LAD code the summary prints, and what the codes are.

    The warehouse's LAD 2023 codes (``lad23_code``, attached from its boundaries) when present, as the
    packs, maps and run coverage use them; else the firm file's postcode directory codes, said so.
    """
    if "lad23_code" in mc.columns and mc["lad23_code"].notna().any():
        return "lad23_code", ""
    return "lad_code", "as the postcode directory gives them (its latest LAD codes, which may differ from LAD 2023)"


def _import_writers() -> None:
    """Import what the run's last steps use: the warehouse, run records and pyogrio (the GeoPackages;
    the firm layer's forked child then has it)."""
    import pyogrio  # noqa: F401

    import creative_clusters.geography.boundaries
    import creative_clusters.microclusters.runs
    import creative_clusters.warehouse  # noqa: F401


def _read_firms(firms: Path, out: Path, *, eps: float, min_firms: int, method: str, address_kind: str | None,
                synthetic: bool | None, hubs: str, hub_min_companies: int, hub_cap: int, status: str,
                onspd: Path | None, all_creative: bool = False, max_extent: float | None = None
                ) -> tuple[pd.DataFrame, FirmsReport, OutputWriter, ClusterEngine | None]:
    """Check the options, read and locate the creative firms, and prepare the output folder.

    Returns the firm table, its read report, the
    :class:`~creative_clusters.microclusters.outputs.OutputWriter` of ``out``
    and the :class:`~creative_clusters.microclusters.engine.ClusterEngine`
    started before the firms were read (None: no ``os.fork``, or HDBSCAN);
    the caller stops it. If this raises, the engine is stopped already.
    """
    import pandas as pd  # before the fork: the child shares it instead of importing it again (0.2 s of CPU)

    from creative_clusters.microclusters.engine import ClusterEngine

    # forked first (this process has imported little yet): the child imports numba and loads the
    # kernels while this process imports the rest, checks the options and reads the firms; it then
    # clusters them (stopped below if an option is wrong)
    engine = ClusterEngine.start(method)
    try:
        from creative_clusters.microclusters.hubs import clustering_rows
        from creative_clusters.microclusters.outputs import OutputWriter, check_parameters

        # fail before reading anything (the extent bound is the split method's)
        check_parameters(eps, min_firms, method, max_extent if method == "split" else None)
        clustering_rows(pd.DataFrame({"postcode": []}), policy=hubs, min_companies=hub_min_companies,
                        cap=hub_cap)  # validates the hub options
        table, report = _load_firms(firms, out, address_kind=address_kind, synthetic=synthetic, status=status,
                                    onspd=onspd, all_creative=all_creative)
        # the output folder is prepared now so the firm points can be written (in a forked child)
        # while the microclusters are described; nothing reaches OUT unless every step succeeds
        return table, report, OutputWriter(out), engine
    except BaseException:
        if engine is not None:
            engine.stop()
        raise


def _load_firms(firms: Path, out: Path, *, address_kind: str | None, synthetic: bool | None, status: str,
                onspd: Path | None, all_creative: bool) -> tuple[pd.DataFrame, FirmsReport]:
    """Read and locate the creative firms of ``firms``, print the read summary and the reader's warnings
    (the unlocated firms' warning naming ``OUT/unlocated_firms.csv``); both paths (with and without
    ``--scheduler``) read a firm file with this."""
    from creative_clusters.errors import ParameterError
    from creative_clusters.microclusters.outputs import UNLOCATED_CSV
    from creative_clusters.sources.firm_files import (
        ADDRESS_KINDS,
        UNLOCATED_WHERE,
        UnlocatedFirmsWarning,
        load_creative_firms,
    )

    if address_kind is not None and address_kind not in ADDRESS_KINDS:
        raise ParameterError(f"--address-kind must be one of {', '.join(ADDRESS_KINDS)}; got {address_kind!r}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table, report = load_creative_firms(firms, status=status, postcode_directory_path=onspd,
                                            all_creative=all_creative)
    if address_kind is not None:
        report.address_kind = address_kind
    if synthetic is not None:
        report.synthetic = synthetic
    typer.echo(report.summary())
    for w in caught:
        message = str(w.message)
        if issubclass(w.category, UnlocatedFirmsWarning):  # the run writes them out
            message = message.replace(UNLOCATED_WHERE, f"{out / UNLOCATED_CSV} lists all of them")
        typer.echo(f"Warning: {message}", err=True)
    return table, report


class Terminated(SystemExit):
    """SIGTERM arrived during ``microclusters``: raised in the main thread so every cleanup step runs (the
    temporary output folder is removed, forked children stopped), then the process exits with 143."""


def _reset_sigterm_in_child() -> None:
    """In a forked child (the firm layer, the map, the clustering engine): SIGTERM ends it at once again
    (its parent stops it with SIGTERM; a Python handler would wait for a numba kernel to return)."""
    import signal

    if signal.getsignal(signal.SIGTERM) is _on_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated(128 + signum)


_AT_FORK: list[bool] = []


@contextlib.contextmanager
def _sigterm_cleans_up() -> Iterator[None]:
    """For the command's duration, SIGTERM (``kill``, a job scheduler's stop) cleans up as Ctrl-C does: it
    raises :class:`Terminated` in the main thread, so the output writer removes its temporary folder
    beside ``--out`` (left untouched). The previous handler is restored after."""
    import os
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if not _AT_FORK and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_reset_sigterm_in_child)
        _AT_FORK.append(True)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    except Terminated:
        typer.echo("Terminated (SIGTERM): stopped and cleaned up; --out was left as it was", err=True)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def _empty_postcodes() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({"postcode": []})


def _provenance_step(located: pd.DataFrame, report: FirmsReport, firms: Path, *, synthetic: bool | None,
                     home: Path | None) -> Any:
    """The ``before_write`` step of a ``--scheduler`` run of a firm file: the run's provenance (the firm
    file's SHA-256, rows read, kept, creative and located, the synthetic flag, the LADs covered and the
    scope) in ``run.json``'s ``params``, built by
    :func:`~creative_clusters.microclusters.runs.build_run_record` as for a single-machine run."""
    from types import SimpleNamespace

    from creative_clusters.microclusters.runs import build_run_record

    def step(res: Any) -> None:
        # the run's choices (not its timings): the run id is the same for the same file and options
        keys = ("source", "eps_m", "min_firms", "method", "hubs", "hub_min_companies", "hub_cap")
        view = SimpleNamespace(firms=located, params={k: res.params[k] for k in keys if k in res.params},
                               microclusters=res.summary, notes=res.notes)
        if report.all_creative:
            view.params["all_creative"] = True
        wh, why = _open_read_only(home)
        try:
            run = build_run_record(view, report, firms, synthetic=synthetic, warehouse=wh)
        finally:
            if wh is not None:
                wh.close()
        if why:
            res.notes.append(why)
        res.params["run_id"] = run.run_id
        res.params["provenance"] = {k: v for k, v in run.__dict__.items() if k != "params"}

    return step


def _read_notes(report: FirmsReport) -> list[str]:
    """The run notes on how the firm file was read: firms that could not be located, an encoding that is not
    UTF-8 (kept with the run as the summary says it)."""
    from creative_clusters.microclusters.outputs import unlocated_note

    notes = []
    if report.sheet:  # the run record names the workbook only
        notes.append(f"the firms were read from the workbook's sheet {report.sheet!r}, the first with a firm "
                     "name column")
    if report.n_no_sic:  # not known to be creative, so not among the firms clustered
        notes.append(f"{report.n_no_sic:,} firm{'' if report.n_no_sic == 1 else 's'} of the file "
                     f"{'has' if report.n_no_sic == 1 else 'have'} no SIC code or sub-sector at all, so "
                     f"{'it is' if report.n_no_sic == 1 else 'they are'} not known to be creative and "
                     f"{'was' if report.n_no_sic == 1 else 'were'} left out")
    if len(report.failed_rows):  # written with the other files: source_row, name, postcode, reason
        notes.append(unlocated_note(len(report.failed_rows), report.address_kind, report.all_creative))
    if report.encoding != "utf-8":
        notes.append(f"the firm file is not UTF-8 (line {report.encoding_line:,} first): it was read as "
                     f"Windows-1252 ({report.encoding}); check the firm names")
    return notes


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register the ``microclusters`` and ``microclusters-runs`` commands."""

    @app.command("microclusters")
    @handle_errors
    @_sigterm_cleans_up()
    def microclusters(
        firms: Annotated[Path, typer.Argument(metavar="FIRMS", help=_HELP["firms"])],
        out: Annotated[Path, typer.Option("--out", help="Output folder: the run's files replace an earlier run's "
                                          "all at once; other files there are kept.")],
        eps: Annotated[float, typer.Option("--eps", help=_HELP["eps"])] = 1000.0,
        min_firms: Annotated[int, typer.Option("--min-firms", help=_HELP["min_firms"])] = 50,
        method: Annotated[str, typer.Option("--method", help=_HELP["method"])] = "split",
        max_extent: Annotated[float, typer.Option("--max-extent", help=_HELP["max_extent"])] = 5.0,
        hubs: Annotated[str, typer.Option("--hubs", help=_HELP["hubs"])] = "downweight",
        hub_min_companies: Annotated[int, typer.Option("--hub-min-companies", help=_HELP["hub_min_companies"])] = 100,
        hub_cap: Annotated[int, typer.Option("--hub-cap", help=_HELP["hub_cap"])] = 15,
        sweep: Annotated[bool, typer.Option("--sweep", help=_HELP["sweep"], metavar="")] = False,
        status: Annotated[str, typer.Option("--status", help=_HELP["status"])] = "active",
        onspd: Annotated[Path | None, typer.Option("--onspd", help=_HELP["onspd"], exists=True, dir_okay=False)
                         ] = None,
        stability_reps: Annotated[int, typer.Option("--stability-reps", help=_HELP["stability_reps"])] = 50,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the stability draws.")] = 20241101,
        synthetic: Annotated[bool | None, typer.Option("--synthetic/--not-synthetic", help=_HELP["synthetic"],
                                                       metavar="")] = None,
        address_kind: Annotated[str | None, typer.Option("--address-kind", help=_HELP["address_kind"])] = None,
        load: Annotated[bool, typer.Option("--load/--no-load", help=_HELP["load"], metavar="")] = True,
        current: Annotated[bool | None, typer.Option("--current/--no-current", help=_HELP["current"],
                                                     metavar="")] = None,
        all_creative: Annotated[bool, typer.Option("--all-creative", help=_HELP["all_creative"],
                                                   metavar="")] = False,
        home: HomeOption = None,
        scheduler: SchedulerOption = None,
    ) -> None:
        """Find microclusters of creative firms (density-based clustering in BNG metres)."""
        from creative_clusters._files import swap_target
        from creative_clusters.errors import ParameterError

        swap_target(out)  # before the firm file is read: a wrong --out costs nothing
        if stability_reps < 0:
            raise ParameterError(f"--stability-reps must be 0 (off) or more; got {stability_reps}")
        if current is not None and not load:
            raise ParameterError("--current/--no-current choose whether a stored run is current; "
                                 "with --no-load nothing is stored")
        if scheduler is not None:  # Dask: a Parquet/CSV point file, or a firm file located here first
            from creative_clusters.cli._distributed import check_dask_options, is_point_file, microclusters_on_dask

            check_dask_options(firms, method=method, sweep=sweep, min_firms=min_firms)
            from creative_clusters.microclusters.hubs import clustering_rows

            clustering_rows(_empty_postcodes(), policy=hubs, min_companies=hub_min_companies,
                            cap=hub_cap)  # validates the hub options before anything is read
            located = unlocated = None
            notes: list[str] = []
            provenance = None
            if not is_point_file(firms):  # read and located as without --scheduler, unlocated firms written
                located, report = _load_firms(firms, out, address_kind=address_kind, synthetic=synthetic,
                                              status=status, onspd=onspd, all_creative=all_creative)
                unlocated, notes = report.failed_rows, _read_notes(report)
                provenance = _provenance_step(located, report, firms, synthetic=synthetic, home=home)
            microclusters_on_dask(firms, out, scheduler=scheduler, eps=eps, min_firms=min_firms, method=method,
                                  sweep=sweep, load=load, located=located, unlocated=unlocated, notes=notes,
                                  hubs=hubs, hub_min_companies=hub_min_companies, hub_cap=hub_cap,
                                  before_write=provenance)
            return
        table, report, writer, engine = _read_firms(firms, out, eps=eps, min_firms=min_firms, method=method,
                                                    address_kind=address_kind, synthetic=synthetic, hubs=hubs,
                                                    hub_min_companies=hub_min_companies, hub_cap=hub_cap,
                                                    status=status, onspd=onspd, all_creative=all_creative,
                                                    max_extent=max_extent)
        from creative_clusters.microclusters.outputs import attach_areas, detect_microclusters, map_import_steps

        wh: Warehouse | None = None
        try:
            # steps of the imports below run while the engine's child loads its kernels and clusters
            result = detect_microclusters(table, eps=eps, min_firms=min_firms, method=method,
                                          stability_reps=stability_reps, seed=seed, sweep=sweep,
                                          max_extent_km2=max_extent, hubs=hubs,
                                          hub_min_companies=hub_min_companies, hub_cap=hub_cap,
                                          address_kind=report.address_kind, all_creative=report.all_creative,
                                          on_firms=writer.start_firm_layer,
                                          clusterer=engine.cluster_points if engine is not None else None,
                                          # the map's modules last: the PNG's forked child then inherits them
                                          meanwhile=(_import_writers, *map_import_steps()))
            from creative_clusters.errors import WarehouseError
            from creative_clusters.geography.boundaries import count_layer
            from creative_clusters.microclusters.runs import build_run_record, choose_current, store_run
            from creative_clusters.warehouse import Warehouse

            wh, why = (Warehouse(home), "") if load else _open_read_only(home)
            lads = None
            attach_areas(result, wh)
            if wh is not None:
                from creative_clusters.workflows.microcluster_context import mark_area_clusters

                result.microclusters, note = mark_area_clusters(result.microclusters, wh)
                result.notes.append(note)
                try:
                    lads = wh.read_geometry(count_layer("lad", ()))
                except WarehouseError as exc:  # the layer is not imported: the map is drawn without LADs
                    result.notes.append(f"map drawn without LAD boundaries: {exc}")
            elif why:
                result.notes.append(why)
            if report.all_creative:  # stated by the user: kept in the run's parameters (run.json, warehouse)
                result.params["all_creative"] = True
                result.notes.append("every firm in the list was taken to be creative (--all-creative): the file "
                                    "has no SIC codes or sub-sectors to filter by")
            if len(report.failed_rows):  # written with the other files: source_row, name, postcode, reason
                result.unlocated = report.failed_rows
            result.notes.extend(_read_notes(report))
            run = build_run_record(result, report, firms, synthetic=synthetic, warehouse=wh, lads=lads)
            # decided before anything is written (a refused --no-current leaves no output)
            choice = choose_current(wh, run, requested=current) if load and wh is not None else None
            run.is_current = choice is not None and choice.make_current
            result.params["run_id"] = run.run_id
            result.params["provenance"] = {k: v for k, v in run.__dict__.items() if k != "params"}
            # every microcluster row says whether its firm file is synthetic (CSV, GeoPackage, GeoJSON, warehouse)
            result.microclusters["synthetic"] = run.synthetic

            def _load() -> None:
                if choice is not None and wh is not None:
                    store_run(wh, result, run, firms, choice)

            writer.commit(result, lads=lads, before_commit=_load)
        except BaseException:
            writer.abort()  # commit() cleans up after itself; this covers the steps before it
            raise
        finally:
            if engine is not None:
                engine.stop()
            if wh is not None:
                wh.close()
        mc = result.microclusters
        from creative_clusters.microclusters.outputs import UNLOCATED_CSV, run_words

        words = run_words(result.params)
        radius = "" if method == "hdbscan" else f", eps {eps:g} m"  # HDBSCAN has no radius
        from creative_clusters.microclusters.describe import size_distribution

        meeting = size_distribution(mc).get("n_meeting_min_firms", len(mc))
        below = len(mc) - int(meeting)
        # the count the run record, packs and microclusters-runs give: those reaching --min-firms
        groups = f" ({len(mc)} groups found, {below} below that floor)" if below else ""
        typer.echo(f"{meeting} microcluster{'' if int(meeting) == 1 else 's'} of at least {min_firms} "
                   f"{words['count']}{groups} "
                   f"(method {method}{radius}, hubs {hubs}); "
                   f"{(result.firms['microcluster_id'] != '').sum():,} of {len(result.firms):,} "
                   f"{words['points']} clustered")
        typer.echo("  " + _distribution(mc, words["count"]))
        if stability_reps == 0:
            typer.echo("  stability not computed (--stability-reps 0)")
        lad_col, lad_words = _lad_basis(mc)
        if lad_words:
            typer.echo(f"  LAD codes: {lad_words}")
        for r in mc.sort_values("n_firms", ascending=False).head(_SHOWN).itertuples():
            typer.echo(f"  {r.microcluster_id}: {r.n_firms} {words['count']}, "
                       f"{_subsector_name(r.dominant_subsector)}, {r.area_km2:.2f} km², "
                       f"{getattr(r, lad_col) or ''} {r.postcode_districts}"
                       + ("" if stability_reps == 0 else f" stability {r.stability:.2f}")
                       + (" [over extent bound]" if r.over_extent_bound else "")
                       + ("" if r.meets_min_firms else f" [fewer than --min-firms {min_firms}: border firms "
                          "went to a neighbouring cluster]"))
        if len(mc) > _SHOWN:
            typer.echo(f"  and {len(mc) - _SHOWN} more (all in {out / 'microclusters.csv'})")
        for name, t in (("eps × min-firms sweep", result.sweep), ("methods side by side", result.methods),
                        ("hub sensitivity", result.hub_sensitivity)):
            if t is not None:
                typer.echo(f"{name}:\n{t.to_string(index=False)}")
        for n in result.notes:
            typer.echo(f"Note: {n}")
        typer.echo(f"Run {run.run_id}: {run.firm_file} (sha256 {run.firm_file_sha256[:12]}…), "
                   f"{run.scope} coverage of {len(run.covered)} LAD{'' if len(run.covered) == 1 else 's'}; "
                   f"{run.rows_located:,} located"
                   + (f", {run.rows_unlocated:,} not located ({out / UNLOCATED_CSV})" if run.rows_unlocated else "")
                   + (f", {run.rows_unclassed:,} left out with no SIC 2007 code" if run.rows_unclassed else "")
                   + (", SYNTHETIC" if run.synthetic else ""))
        if choice is None:
            typer.echo(f"Wrote {out}")
        else:
            typer.echo(f"Wrote {out} and " + _stored_words(run, choice, _lad_names(lads), home))

    @app.command("microclusters-runs")
    @handle_errors
    def microclusters_runs(
        use: Annotated[str | None, typer.Option("--use", help="Make this stored run the current one.")] = None,
        home: HomeOption = None,
    ) -> None:
        """List the microcluster runs stored in the warehouse (or switch the current one)."""
        from creative_clusters.microclusters.runs import current_run, runs_overview, use_run

        if use is not None:
            with Warehouse_(home) as wh:
                prev = current_run(wh)
                run = use_run(wh, use)
                names = _warehouse_lad_names(wh)
            n = len(run.covered)
            typer.echo(f"Run {use} ({run.firm_file}, {n} LAD{'' if n == 1 else 's'} covered) is now the current "
                       "microclusters")
            for line in _switch_warnings(prev, run, home, names):
                typer.echo(f"Warning: {line}", err=True)
        wh, why = _open_read_only(home)
        if wh is None:
            raise typer.BadParameter(why)
        with wh:
            runs = runs_overview(wh)
        if runs.empty:
            typer.echo("No microcluster runs stored; run `creative-clusters microclusters FIRMS --out DIR`.")
            return
        _echo_runs(runs, home)


#: How a run's addresses are named in the runs table (``FirmsReport.address_kind``).
_ADDRESS_WORDS = {"registered": "registered offices", "trading": "trading premises", "unknown": "not stated"}


def _echo_runs(runs: pd.DataFrame, home: Path | None) -> None:
    """The stored runs as a table that fits the terminal (one block per run when it is too narrow)."""
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from creative_clusters.cli._common import echo_as_list, fit_widths

    headers = ["run", "firm file", "addresses", "coverage", "located", "clusters"]
    rows = []
    for r in runs.itertuples(index=False):
        rows.append([
            f"{r.run_id}\n{str(r.created_at)[:10]}" + ("\ncurrent" if bool(r.is_current) else "")
            + ("\nSYNTHETIC" if bool(r.synthetic) else ""),
            str(r.firm_file),
            _ADDRESS_WORDS.get(str(r.address_kind), str(r.address_kind))
            + ("; all taken as creative" if bool(r.all_creative) else ""),
            f"{r.scope}: {r.lads} LAD{'' if r.lads == 1 else 's'}",
            f"{int(r.rows_located):,}" + ("" if pd.isna(r.rows_unlocated) or not int(r.rows_unlocated)
                                          else f"\n{int(r.rows_unlocated):,} not located")
            + ("" if pd.isna(r.rows_unclassed) or not int(r.rows_unclassed)
               else f"\n{int(r.rows_unclassed):,} no SIC 2007 code"),
            f"{int(r.n_microclusters):,} ({r.method})",
        ])
    caption = ("coverage: LADs where the file places enough located firms; not located: firms left out, listed in "
               "the run's output folder (unlocated_firms.csv); no SIC 2007 code: firms left out as neither "
               "creative nor not (no SIC code, or only codes of no SIC 2007 class); all taken as creative: the "
               "list had no SIC codes and every firm was counted as creative (--all-creative). Make another run "
               f"current: {_use_command('RUN', home)}")
    console = Console()  # the terminal's width (COLUMNS when set; 80 in a pipe)
    widths = fit_widths(headers, rows, console.width, word_cap=12)
    if widths is None:
        echo_as_list(headers, rows, console.width, title="Microcluster runs", caption=caption)
        return
    t = Table(title="Microcluster runs", title_justify="left", caption=caption, caption_justify="left")
    for header, w in zip(headers, widths, strict=True):
        t.add_column(header, overflow="fold", width=w)
    for cells in rows:
        t.add_row(*cells)
    console.print(t)


def _warehouse_lad_names(wh: Any) -> dict[str, str]:
    """LAD code -> name from the warehouse's LAD layer (empty when it is not imported)."""
    from creative_clusters.errors import WarehouseError
    from creative_clusters.geography.boundaries import count_layer

    try:
        return _lad_names(wh.read_geometry(count_layer("lad", ())))
    except WarehouseError:
        return {}


def _switch_warnings(prev: RunRecord | None, run: RunRecord, home: Path | None,
                     names: dict[str, str] | None = None) -> list[str]:
    """What changes for readers when ``run`` replaces ``prev`` as the current run: LADs no longer covered,
    LADs newly covered (named from ``names``, LAD code -> name, when given), and a change of address kind."""
    names = names or {}
    if prev is None or prev.run_id == run.run_id:
        return []
    out = []
    lost = [c for c in prev.covered if c not in set(run.covered)]
    gained = [c for c in run.covered if c not in set(prev.covered)]
    if lost:
        out.append(f"coverage changes: {len(lost)} of the {len(prev.covered)} LADs run {prev.run_id} "
                   f"({prev.firm_file}) covered are now not covered: {_lads_words(lost, names)}; packs, maps and "
                   f"the web will say 'not covered' there. To switch back: {_use_command(prev.run_id, home)}")
    if gained:
        out.append(f"coverage changes: {len(gained)} LAD{'' if len(gained) == 1 else 's'} newly covered: "
                   f"{_lads_words(gained, names)}")
    if prev.address_kind != run.address_kind:
        out.append(f"addresses change from {_ADDRESS_WORDS.get(prev.address_kind, prev.address_kind)} "
                   f"(run {prev.run_id}) to {_ADDRESS_WORDS.get(run.address_kind, run.address_kind)}")
    return out


def _lad_names(lads: Any) -> dict[str, str]:
    """LAD code -> name from the LAD layer the map read (empty without it)."""
    if lads is None or "geo_code" not in getattr(lads, "columns", ()):
        return {}
    return dict(zip(lads["geo_code"].astype(str), lads["geo_name"].astype(str), strict=True))


def _use_command(run_id: str, home: Path | None) -> str:
    """The exact command that makes ``run_id`` current (with ``--home`` when the user gave one)."""
    return f"creative-clusters microclusters-runs --use {run_id}" + (f" --home {home}" if home is not None else "")


def _lads_words(codes: tuple[str, ...] | list[str], names: dict[str, str], most: int = 6) -> str:
    """``Sheffield (E08000019), ...`` for up to ``most`` codes, then how many more."""
    shown = [f"{names[c]} ({c})" if c in names else c for c in list(codes)[:most]]
    more = len(codes) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _stored_words(run: RunRecord, choice: CurrentChoice, names: dict[str, str], home: Path | None) -> str:
    """What happened to the stored run: current or not, why (``choice``, see
    :func:`~creative_clusters.microclusters.runs.choose_current`), and the command that changes it."""
    prev = choice.previous
    prev_id = prev.run_id if prev is not None else ""
    covers = f"covers {len(run.covered)} LAD{'' if len(run.covered) == 1 else 's'}"
    if choice.make_current:
        why = {
            "asked": "as asked (--current)",
            "first": "(no run was current)",
            "same_run": "(it replaces its own earlier version)",
            "same_file": f"(it re-runs the firm file of run {prev_id})",
            "covers": f"(it {covers}, including every LAD run {prev_id} covered)",
        }[choice.reason]
        text = f"stored run {run.run_id} in the warehouse as the current microclusters {why}"
        if prev is not None and prev.run_id != run.run_id:
            text += (f". Run {prev.run_id} ({prev.firm_file}) is kept; to make it current again: "
                     f"{_use_command(prev.run_id, home)}")
            if choice.uncovered:
                text += (f". Now not covered: {_lads_words(choice.uncovered, names)}, which run "
                         f"{prev.run_id} covered")
        return text
    if choice.reason == "declined":
        why = "as asked (--no-current)"
    elif choice.reason == "synthetic":
        why = f"because it is SYNTHETIC and run {prev_id} is real data (--current makes it current anyway)"
    else:  # narrower: there is a current run
        why = (f"because it {covers} and misses {len(choice.uncovered)} of the "
               f"{len(prev.covered) if prev is not None else 0} LADs run {prev_id} covers: "
               f"{_lads_words(choice.uncovered, names)}")
    where = (f"Packs, maps and the web still read run {prev.run_id} ({prev.firm_file})" if prev is not None
             else "No run is current")
    return (f"stored run {run.run_id} in the warehouse, NOT as the current microclusters, {why}. {where}. "
            f"To make run {run.run_id} current: {_use_command(run.run_id, home)}")


def Warehouse_(home: Path | None) -> Any:
    """The writable warehouse (imported lazily so ``--help`` stays fast)."""
    from creative_clusters.warehouse import Warehouse

    return Warehouse(home)


def fetch_companies_house_command(out: Path, *, month: str | None = None, parts: bool = False) -> None:
    """``data fetch companies-house``: download the month's national file or its parts (resumable, checked)."""
    from creative_clusters.sources.companies_house_fetch import PRODUCT_PAGE, fetch_companies_house

    last = [-1]

    def progress(done: int, total: int | None) -> None:
        step = done >> 26  # a line every 64 MB
        if step != last[0]:
            last[0] = step
            typer.echo(f"  {done / 1e6:,.0f} MB" + (f" of {total / 1e6:,.0f} MB" if total else ""), err=True)

    path = fetch_companies_house(out, month=month, parts=parts, progress=progress)
    typer.echo(f"Companies House Free Company Data Product ({PRODUCT_PAGE}, OGL): {path}")
    files = sorted(path.glob("*.zip")) if path.is_dir() else [path]
    for f in files:
        typer.echo(f"  {f.name}: {f.stat().st_size / 1e6:,.1f} MB, zip CRCs checked, sha256 "
                   + f.with_name(f.name + ".sha256").read_text(encoding="utf-8").split()[0])
    typer.echo(f"Find microclusters with: creative-clusters microclusters {path} --out DIR")
