"""CLI commands: ``data import``, ``data status``, ``data verify``, ``data export``, ``data remove``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from creative_clusters._text import count_words
from creative_clusters.cli._common import HomeOption, JsonOption, echo_json, examples, fit_widths, handle_errors
from creative_clusters.errors import DataSourceError, ParameterError, UnknownCodeError, WarehouseError

if TYPE_CHECKING:
    import pandas as pd

    from creative_clusters.warehouse import RemovalReport, Warehouse

DataDirArg = Annotated[
    Path,
    typer.Argument(
        help="Reference-data directory (the layout of shared/data; see its README).",
        envvar="CREATIVE_CLUSTERS_DATA",
    ),
]


#: Narrowest terminal (columns) for `data status` as a table; narrower, or too narrow for the whole ids and
#: words, one block per dataset.
STATUS_TABLE_WIDTH = 120

def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register the data sub-commands."""

    @data_app.command("import", epilog=examples(
        "creative-clusters data import ../shared/data",
        "creative-clusters data import ../shared/data --only business_counts_series",
        "creative-clusters data import ../shared/data --only business_counts_series --replace"))
    @handle_errors
    def import_(
        data_dir: DataDirArg,
        only: Annotated[
            list[str] | None,
            typer.Option("--only", help="Import only these dataset ids (repeatable)."),
        ] = None,
        replace: Annotated[
            bool,
            typer.Option("--replace", help="Replace a series even when the file read lacks years the warehouse "
                         "holds for it (e.g. going back to the bundle's older series after a newer one): those "
                         "years are dropped. Without it such an import is refused."),
        ] = False,
        home: HomeOption = None,
    ) -> None:
        """Import every reference dataset in DATA_DIR into the warehouse (atomic, idempotent)."""
        from creative_clusters.sources.registry import all_datasets, get_dataset, unrecognised_files
        from creative_clusters.warehouse import Warehouse

        if not data_dir.is_dir():
            raise DataSourceError(
                f"{data_dir} is not a directory; give the reference-data folder (e.g. ../shared/data)."
            )
        specs = [get_dataset(i, data_dir) for i in only] if only else all_datasets(data_dir)
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

            reports = wh.import_datasets(specs, data_dir, progress=tick, replace=replace)
            bar.update(task, description="written")
        total = sum(r.rows for r in reports)
        console.print(
            f"Imported {count_words(len(reports), 'dataset')}, {count_words(total, 'observation')} into {wh.path}"
        )
        for r in reports:
            for note in r.notes:
                console.print(f"Warning: {note}", markup=False, highlight=False, soft_wrap=True)
        if not only:
            from creative_clusters.sources.firms import FIRMS_DIR

            stray = unrecognised_files(data_dir, specs)
            firms = [f for f in stray if f.startswith(f"{FIRMS_DIR}/")]
            stray = [f for f in stray if f not in firms]
            if firms:  # lists of firms are clustered, not imported
                console.print(
                    f"Firm files are not imported: cluster {'it' if len(firms) == 1 else 'each'} with "
                    f"`creative-clusters microclusters FILE` ({', '.join(firms)}).",
                    markup=False, highlight=False, soft_wrap=True)
            if stray:
                console.print(
                    f"Not imported: {count_words(len(stray), 'file')} in {data_dir} that no dataset reads (not a "
                    "layout or file name the toolkit knows; check the name follows the bundle's pattern): "
                    + ", ".join(stray), markup=False, highlight=False, soft_wrap=True)

    @data_app.command("status")
    @handle_errors
    def status(home: HomeOption = None, as_json: JsonOption = False) -> None:
        """List the datasets in the warehouse with vintage, coverage and row counts."""
        from creative_clusters.warehouse import Warehouse

        # no warehouse (a --home that does not exist, or holds none): the error every command gives, exit 1
        with Warehouse(home, read_only=True) as wh:
            cat = wh.datasets()
            superseded = _superseded(wh)
        cat["latest_of_kind"] = [i not in superseded for i in cat["id"]]
        if as_json:
            echo_json(cat.to_dict("records"))
            return
        if cat.empty:
            typer.echo(
                "The warehouse is empty. Import the reference data with "
                "`creative-clusters data import DIR`."
            )
            return
        console = Console()
        headers = ["id", "vintage", "observations", "tables / layers", "coverage"]
        records = cat.to_dict("records")
        extras = [", ".join(n.strip() for x in (rec["tables"], rec["geometries"]) if x for n in str(x).split(","))
                  for rec in records]
        for rec in records:  # a dataset that a newer one of its kind stands in for says so
            if rec["id"] in superseded:
                rec["vintage"] = f"{rec['vintage']} (not the latest)"
                rec["coverage"] = f"{superseded[rec['id']]}. {rec['coverage'] or ''}".strip()
        rows = [[rec["id"], rec["vintage"], f"{rec['row_count']:,}" if rec["row_count"] else "– (tables)",
                 extra, rec["coverage"] or ""] for rec, extra in zip(records, extras, strict=True)]
        # a table only when every id and every word fits whole; else (a narrow terminal, or a pipe at 80
        # columns) one block per dataset. Nothing is cut with "…": long words fold.
        widths = fit_widths(headers, rows, console.width, word_cap=None) if console.width >= STATUS_TABLE_WIDTH \
            else None
        if widths is None:
            import textwrap

            def put(text: str, indent: str = "") -> None:
                typer.echo(textwrap.fill(text, width=max(console.width, 40), initial_indent=indent,
                                         subsequent_indent=indent + "  ", break_on_hyphens=False))

            put(f"Datasets in {wh.path}")
            for rec, extra in zip(records, extras, strict=True):
                held = (count_words(int(rec["row_count"]), "observation") if rec["row_count"]
                        else "tables only, no observations")
                typer.echo("")
                put(f"{rec['id']}  (vintage {rec['vintage']}, {held})")
                if extra:
                    put(f"tables / layers: {extra}", "  ")
                if rec["coverage"]:
                    put(f"coverage: {rec['coverage']}", "  ")
            return
        table = Table(title=f"Datasets in {wh.path}", title_justify="left")
        for header, w in zip(headers, widths, strict=True):
            table.add_column(header, width=w, overflow="fold", justify="right" if header == "observations" else "left")
        for cells in rows:
            table.add_row(*cells)
        console.print(table)

    @data_app.command("verify")
    @handle_errors
    def verify(data_dir: DataDirArg, home: HomeOption = None, as_json: JsonOption = False) -> None:
        """Re-check every imported file's SHA-256 against the files in DATA_DIR.

        Files are looked up in DATA_DIR by their path inside the folder they were
        imported from; a file absent from DATA_DIR is reported missing. Files
        imported from outside that folder (e.g. your own firm file) are checked
        where they were imported from.
        """
        from creative_clusters.warehouse import Warehouse

        with Warehouse(home, read_only=True) as wh:
            res = wh.verify(data_dir)
            sources = dict(zip(wh.datasets()["id"], wh.datasets()["source_url"].fillna(""), strict=True))
        if as_json:
            echo_json(res.to_dict("records"))
        else:
            for rec in res.to_dict("records"):
                shown = Path(rec["checked"]).relative_to(data_dir) if rec["in_root"] else rec["checked"]
                typer.echo(f"{rec['status']:8} {rec['dataset_id']:32} {shown}")
        counts = res["status"].value_counts()
        checked = count_words(len(res), "imported file")
        if counts.get("ok", 0) < len(res):
            typer.echo(f"Checked{_where_checked(res, data_dir)}.", err=True)
            parts = []
            if counts.get("missing", 0):
                parts.append(f"{counts['missing']:,} missing (not found in {data_dir})")
            if counts.get("changed", 0):
                parts.append(f"{counts['changed']:,} changed (found, but the checksum differs from the import)")
            others = len(res) - counts.get("ok", 0) - counts.get("missing", 0) - counts.get("changed", 0)
            if others:
                parts.append(f"{others:,} not checked")
            advice = []
            if counts.get("missing", 0):
                advice.append("For missing files, give the folder the data were imported from (or a whole copy).")
            if counts.get("changed", 0):
                changed = res[res["status"] == "changed"]
                nomis = [(str(c), _nomis_alias(sources.get(d, ""))) for d, c in
                         zip(changed["dataset_id"], changed["checked"], strict=True)]
                how = [f"`creative-clusters data import-nomis {c} --nomis-dataset {a}`" for c, a in nomis if a]
                if len(how) < len(nomis):
                    how.insert(0, "`creative-clusters data import DIR`")
                advice.append("Changed files are not what the warehouse holds; to use them as they are now, "
                              f"re-import them with {' and '.join(how)}.")
            typer.echo(f"Of {checked}: {'; '.join(parts)}. " + " ".join(advice), err=True)
            raise typer.Exit(code=1)
        typer.echo(f"All {checked} match their checksums at import{_where_checked(res, data_dir)}.", err=True)

    @data_app.command("export")
    @handle_errors
    def export(
        out: Annotated[Path, typer.Argument(help="Output file (.parquet or .csv).")],
        dataset: Annotated[str | None, typer.Option(help="Only this dataset id.")] = None,
        home: HomeOption = None,
    ) -> None:
        """Export observations (all, or one dataset) to Parquet or CSV, atomically."""
        from creative_clusters.reporting._io import atomic_write_bytes
        from creative_clusters.warehouse import Warehouse

        if out.is_dir():
            raise ParameterError(f"{out} is a directory; give a file name, e.g. {out / 'observations.parquet'}.")
        if out.suffix.lower() not in _EXPORT_SUFFIXES:
            raise ParameterError(
                f"cannot tell the format of {out} from its suffix {out.suffix or '(none)'!r}; expected "
                f"one of {', '.join(_EXPORT_SUFFIXES)} (e.g. {out.with_suffix('.parquet').name})."
            )
        with Warehouse(home, read_only=True) as wh:
            if dataset is not None:
                _require_imported(wh, dataset)
            obs = wh.observations(dataset=dataset)
            if dataset is not None and obs.empty:
                rec = wh.datasets().set_index("id").loc[dataset]
                held = ", ".join(x for x in (str(rec.get("tables") or ""), str(rec.get("geometries") or "")) if x)
                raise ParameterError(
                    f"{dataset} holds tables, not observations ({held or 'no observations'}), so there is "
                    f"nothing to export and {out} was not written. `data export` writes observations; "
                    "`creative-clusters data status` shows which datasets hold them.")
        data = obs.to_csv(index=False).encode("utf-8") if out.suffix.lower() == ".csv" else obs.to_parquet(index=False)
        try:
            atomic_write_bytes(out, data or b"")
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename and Path(exc.filename).parent != out.parent else ""
            raise ParameterError(
                f"cannot write {out}: {exc.strerror or exc}{where}; give a path in a folder you can write to."
            ) from None
        typer.echo(f"Wrote {count_words(len(obs), 'observation')} to {out}", err=True)


    @data_app.command("remove", epilog=examples(
        "creative-clusters data remove nomis_business_counts_enterprises_2024",
        "creative-clusters data remove deprivation_england --vintage 2019 --yes"))
    @handle_errors
    def remove(
        dataset: Annotated[str, typer.Argument(
            help="Dataset id as `data status` lists it, or a kind (with --vintage to pick one of its datasets).")],
        vintage: Annotated[str | None, typer.Option(
            "--vintage", help="The vintage of the dataset to remove, as `data status` lists it (or its leading "
            "year); with an id, a check that it is the one you mean.")] = None,
        yes: Annotated[bool, typer.Option("--yes", "-y", help="Remove without asking for confirmation.")] = False,
        home: HomeOption = None,
    ) -> None:
        """Take one dataset (one vintage) out of the warehouse: its observations, tables and catalogue entry.

        Atomic: on any error nothing changes. Figures then read what the
        catalogue has left (an earlier vintage of the same kind, or they say
        the data are missing). Import it again with `data import`.
        """
        from creative_clusters.warehouse import Warehouse

        with Warehouse(home, read_only=True) as wh:  # no warehouse: the error every command gives
            plan = wh.removal_plan(dataset, vintage=vintage)
        if not yes:
            typer.echo(_removal_text(plan, done=False), err=True)
        if not yes and not typer.confirm(f"Remove {plan.dataset} from the warehouse?", default=False, err=True):
            typer.echo("Nothing was removed.", err=True)
            raise typer.Exit(code=1)
        with Warehouse(home) as wh:
            done = wh.remove_dataset(plan.dataset, vintage=vintage)
        typer.echo(_removal_text(done, done=True))


_EXPORT_SUFFIXES = (".parquet", ".csv")


def _superseded(wh: Warehouse) -> dict[str, str]:
    """Datasets that figures do not read because another of the same kind serves it, with what serves instead."""
    out: dict[str, str] = {}
    entries = wh.catalogue_entries()
    for kind in sorted({e.kind for e in entries}):
        serving = wh.find_dataset(kind)
        if serving is None:
            continue
        for e in entries:
            if e.kind == kind and e.id != serving.id:
                out[e.id] = (f"Figures of {kind} read {serving.id} (vintage {serving.vintage}) unless a year is "
                             "asked for")
    return out


def _require_imported(wh: Warehouse, dataset: str) -> None:
    """Raise a message naming ``dataset`` and the ones there are when the warehouse lacks it."""
    import difflib

    from creative_clusters.sources.registry import all_datasets

    if wh.has_dataset(dataset):
        return
    if dataset in {s.id for s in all_datasets()}:
        raise WarehouseError(
            f"dataset {dataset!r} is not in the warehouse at {wh.path}; import it with "
            f"`creative-clusters data import DIR --only {dataset}`."
        )
    known = wh.datasets()["id"].tolist()
    close = difflib.get_close_matches(dataset, known, n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownCodeError(
        f"unknown dataset {dataset!r}.{hint} Datasets in the warehouse: {', '.join(known) or 'none'} "
        "(`creative-clusters data status` lists them)."
    )


def _removal_text(rep: RemovalReport, *, done: bool) -> str:
    """What ``data remove`` takes out (``done``: took out) and what the dataset's kind reads afterwards."""
    held = [count_words(rep.rows, "observation")]
    if rep.tables:
        held.append(f"{'table' if len(rep.tables) == 1 else 'tables'} {', '.join(rep.tables)}")
    if rep.geometries:
        held.append(f"{'layer' if len(rep.geometries) == 1 else 'layers'} {', '.join(rep.geometries)}")
    lines = [f"{'Removed' if done else 'To remove:'} {rep.dataset} (kind {rep.kind}, vintage {rep.vintage}): "
             + "; ".join(held) + "."]
    if rep.files:
        lines.append("Imported from: " + "; ".join(
            f"{str(Path(root) / rel) if root else rel} (SHA-256 {sha[:12]}…)" for rel, sha, root in rep.files) + ".")
    if rep.now_serves is not None:
        lines.append(f"Figures of {rep.kind} {'now read' if done else 'will read'} {rep.now_serves.id} "
                     f"(vintage {rep.now_serves.vintage}).")
    else:
        back = _reimport_command(rep.source_url, [str(Path(root) / rel) if root else rel
                                                  for rel, _sha, root in rep.files])
        lines.append(f"No other dataset of {rep.kind} is in the warehouse: figures that need it "
                     f"{'now say' if done else 'will say'} it is missing; {back} brings it back.")
    return "\n".join(lines)


def _nomis_alias(source_url: str) -> str | None:
    """The ``--nomis-dataset`` of a dataset catalogued from Nomis (its source URL names the Nomis id), or None.

    >>> _nomis_alias("https://www.nomisweb.co.uk/api/v01/dataset/NM_142_1.data.csv (file x.csv)")
    'business_counts_enterprises'
    >>> _nomis_alias("https://www.ons.gov.uk/x") is None
    True
    """
    import re

    from creative_clusters.sources.nomis_request import NOMIS_API, resolve_dataset

    m = re.match(re.escape(NOMIS_API) + r"/dataset/(NM_\d+_\d+)\.", source_url or "", re.IGNORECASE)
    return resolve_dataset(m.group(1)).alias if m else None


def _reimport_command(source_url: str, files: list[str]) -> str:
    """The command that imports a dataset again: `data import-nomis FILE ...` (Nomis), else `data import DIR`."""
    alias = _nomis_alias(source_url)
    if alias is None:
        return "`creative-clusters data import DIR`"
    file = files[0] if len(files) == 1 else "FILE"
    return (f"`creative-clusters data import-nomis {file} --nomis-dataset {alias}` (or, with internet, "
            f"`creative-clusters data fetch {alias} -g lad`)")


def _where_checked(res: pd.DataFrame, data_dir: Path) -> str:
    """Which folder(s) ``data verify`` read the files from: " (N in DIR; M where they were imported from: …)"."""
    in_root = int(res["in_root"].sum())
    outside = sorted({str(Path(c).parent) for c, r in zip(res["checked"], res["in_root"], strict=True) if not r})
    text = f" ({in_root:,} checked in {data_dir}"
    if outside:
        shown = ", ".join(outside[:3]) + (f" and {len(outside) - 3} more" if len(outside) > 3 else "")
        text += f"; {len(res) - in_root:,} not there, checked where they were imported from: {shown}"
    return text + ")"
