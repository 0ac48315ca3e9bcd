"""CLI commands: ``data fetch`` (Nomis API → warehouse) and ``data import-nomis``.

``data import-nomis`` is the offline route: a Nomis API CSV saved elsewhere.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from creative_clusters.cli._common import HomeOption, examples, handle_errors
from creative_clusters.errors import DataSourceError, ParameterError

_PARTIAL_HELP = ("Accept a table that covers only some local authorities (or lacks SIC classes the latest table "
                 "of its kind holds): it is catalogued apart "
                 "(kind <kind>_partial, id ..._partial) and no national share, LQ or rank reads it. "
                 "Without it such a table is refused.")

#: Keyword arguments of nomis.fetch_table that a --dim must not override.
_RESERVED = frozenset(
    {"dataset", "geography", "industry", "date", "measures", "client", "cache", "page_size", "uid",
     "max_retries", "sleep"}
)


def _parse_dims(items: list[str] | None) -> dict[str, Any]:
    dims: dict[str, Any] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ParameterError(
                f"--dim {item!r} is not NAME=VALUE; e.g. --dim employment_sizeband=0,10"
            )
        if name.strip().lower() in _RESERVED:
            raise ParameterError(
                f"--dim {item!r}: {name.strip()!r} is set by its own option, not by --dim "
                "(use -g/--industry/--date for geography, industry and date)"
            )
        dims[name.strip()] = value.strip()
    return dims


def _known_area_codes(home: Path | None) -> set[str]:
    """Every area code in the warehouse's geography tables (empty without a warehouse or geography)."""
    from creative_clusters.config import home_dir
    from creative_clusters.warehouse import Warehouse

    if not (home_dir(home) / "warehouse.duckdb").exists():
        return set()
    known: set[str] = set()
    with Warehouse(home, read_only=True) as wh:
        for name in ("areas", "lad_hierarchy", "code_changes"):
            if not wh.has_table(name):
                continue
            t = wh.table(name)
            for c in t.columns:
                if c.endswith(("_code", "cd")):
                    known.update(t[c].dropna().astype(str))
    return known


def _parse_nomis(content: bytes, *, nomis_dataset: str, source: str, shown_as: str,
                 home: Path | None) -> Any:
    """Parse a Nomis CSV; print its warnings (and any codes the warehouse's geography lacks) as plain lines.

    Raises before anything is written when the file is malformed (a bad DATE,
    GEOGRAPHY_CODE or OBS_VALUE names its row and column).
    """
    import warnings

    from creative_clusters.sources import nomis

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        probe = nomis.parse_table(content, dataset_id="probe", nomis_dataset=nomis_dataset, source=source)
    notes = list(dict.fromkeys(str(w.message) for w in caught))
    known = _known_area_codes(home)
    if known:
        odd = nomis.unknown_geo_codes(probe, known, source=shown_as)
        if odd:
            notes.append(odd)
    for note in notes:
        typer.echo(f"Warning: {note}", err=True)
    return probe


def _reference_lads(home: Path | None, kind: str, vintage: str) -> tuple[set[str], str]:
    """The LAD codes a table of ``kind`` on ``vintage`` boundaries is checked against, and where they come from.

    The warehouse's LAD hierarchy for that boundary vintage; without one, the
    widest LAD set among the datasets of the same kind already imported; else
    nothing (the coverage cannot be checked).
    """
    from creative_clusters.config import home_dir
    from creative_clusters.warehouse import Warehouse

    if not (home_dir(home) / "warehouse.duckdb").exists():
        return set(), ""
    with Warehouse(home, read_only=True) as wh:
        if wh.has_table("lad_hierarchy"):
            lh = wh.table("lad_hierarchy")
            if "vintage" in lh.columns and "lad_code" in lh.columns:
                codes = set(lh.loc[lh["vintage"].astype(str) == vintage, "lad_code"].dropna().astype(str))
                if codes:
                    return codes, f"the warehouse's local authorities of {vintage}"
        best: tuple[set[str], str] = (set(), "")
        for ref in wh.catalogue_entries(kind):
            got = set(wh.query("SELECT DISTINCT geo_code FROM observations WHERE dataset = ? AND geo_type = 'lad'",
                               [ref.id])["geo_code"].astype(str))
            if len(got) > len(best[0]):
                best = (got, f"the local authorities of {ref.id}")
        return best


def _lad_check(probe: Any, *, nomis_dataset: str, shown_as: str, partial: bool, home: Path | None,
               command: str) -> tuple[str, bool]:
    """The table's LAD coverage in words and whether it is kept apart as partial.

    A table of a kind that national statistics read (shares, LQs, ranks divide
    by every LAD of the nation) must cover every LAD of the nations it touches:
    otherwise it is refused, naming what it covers, unless ``partial`` (then it
    is catalogued under a kind no national figure reads, and a warning says so).
    """
    from creative_clusters.sources import nomis, nomis_request

    ds = nomis_request.resolve_dataset(nomis_dataset)
    if not ds.kind:
        return "", False
    lad_rows = probe[probe["geo_type"].astype(str) == "lad"]
    vintages = lad_rows["geo_vintage"].astype(str)
    vintage = vintages.mode().iloc[0] if len(vintages) and vintages.mode().iloc[0] else ""
    from creative_clusters.kinds import LAD_VINTAGE

    vintage = vintage or LAD_VINTAGE
    reference, where = _reference_lads(home, ds.kind, vintage)
    cov = nomis.lad_coverage(probe, reference, vintage=vintage)
    kept = f"{ds.kind}{nomis.PARTIAL_SUFFIX}"
    if cov.complete is False and not partial:
        raise DataSourceError(
            f"{shown_as} covers {cov.text} (checked against {where or 'nothing'}), not the whole "
            f"geography. National statistics of its kind ({ds.kind}: shares, location quotients, ranks) "
            "divide by every local authority of the nation, so a partial table must not become the "
            "latest dataset that profiles, maps and packs read. Nothing was imported. Download every "
            f"local authority (Nomis geography=TYPE424; `creative-clusters data fetch {ds.alias} -g lad "
            f"--dry-run` prints the URL), or give --partial to keep this table apart as kind {kept}, "
            "which no national figure reads."
        )
    if cov.complete is False:
        typer.echo(f"Warning: {shown_as} covers {cov.text} only: it is kept apart as kind {kept} "
                   f"(`{command} --partial`); profiles, maps and packs go on reading the latest complete "
                   f"dataset of {ds.kind}.", err=True)
        return cov.text, True
    if cov.complete is None:
        typer.echo(f"Note: {shown_as}: its coverage of local authorities could not be checked (the warehouse "
                   f"has no list of local authorities of {vintage}; `creative-clusters data import DIR` "
                   "brings it). A table that lacks some would become the baseline of national shares and "
                   "LQs.", err=True)
        return "", False
    return cov.text, False


@contextmanager
def _replaced_on_success(path: Path, content: bytes) -> Iterator[None]:
    """Put ``content`` at ``path`` for the block; if the block fails (or is interrupted), put back what was there.

    ``data fetch`` keeps the table it imports beside the cache, under the
    name the catalogue records. A download that fails to import must not
    leave that file holding other bytes than the dataset the warehouse still
    holds (``data verify`` would call it changed), nor half a file.
    """
    import os
    import uuid

    from creative_clusters.reporting._io import atomic_write_bytes

    aside = path.with_name(f".{path.name}.{uuid.uuid4().hex}.previous")
    had = path.exists()
    if had:
        os.replace(path, aside)
    try:
        atomic_write_bytes(path, content)
        yield
    except BaseException:
        path.unlink(missing_ok=True)
        if had:
            os.replace(aside, path)
        raise
    aside.unlink(missing_ok=True)


def _said_imported(rep: Any, kind: str, home: Path | None) -> None:
    """What ``data fetch`` and ``data import-nomis`` say of a table they imported: its rows and coverage, the
    import's warnings, and the notes on the annual series and on a kind no figure reads."""
    typer.echo(f"Imported {rep.dataset}: {rep.rows:,} observations ({rep.coverage}).")
    for note in rep.notes:
        typer.echo(f"Warning: {note}", err=True)
    _series_note(home, rep.dataset)
    _unread_note(kind)


def _unread_note(kind: str) -> None:
    """Say when no figure reads the kind just imported (:attr:`~creative_clusters.kinds.DatasetKind.unread`)."""
    from creative_clusters import kinds

    known = kinds.KINDS.get(kind)
    why = known.unread if known is not None else ""
    if why:
        typer.echo(f"Note: {why[:1].upper()}{why[1:]}.", err=True)


def _series_note(home: Path | None, dataset: str) -> None:
    """Say when a new year of creative enterprises by SIC class is newer than the annual series' last year.

    The SIC table serves the sub-sector counts, shares and LQs; trends, growth,
    trajectory classes and the counts of the four nations read the annual
    series (another kind), which a Nomis table does not extend.
    """
    from creative_clusters import kinds
    from creative_clusters.warehouse import Warehouse

    with Warehouse(home, read_only=True) as wh:
        me = next((e for e in wh.catalogue_entries(kinds.CREATIVE_ENTERPRISES_SIC) if e.id == dataset), None)
        serving = wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SIC)
        series = wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SERIES)
        if me is None or serving is None or serving.id != me.id or series is None:
            return
        periods = wh.periods(series.id)
    year = me.vintage[:4]
    last = periods[-1][:4] if periods else ""
    if year.isdigit() and last.isdigit() and int(year) > int(last):
        typer.echo(f"Note: {dataset} ({year}) now serves creative enterprises by sub-sector (counts, shares, "
                   f"LQs, ranks). Trends, growth, trajectory classes and the four nations' counts read the annual "
                   f"series {series.id}, which ends in {last}: they do not show {year} until a series file with "
                   f"{year} is imported (`creative-clusters data import DIR --only {series.id}`).", err=True)


def _industry_check(probe: Any, *, nomis_dataset: str, shown_as: str, partial: bool, home: Path | None,
                    command: str) -> str:
    """Why a table lacking industries that the dataset serving its kind holds is kept apart ("": it is not).

    Sub-sector counts, shares, LQs and ranks read the latest table of the
    kind: one fetched for a few SIC classes (``--industry 5911``) would become
    it and every other class would vanish from them. Such a table is refused,
    naming what it lacks, unless ``partial`` (kept apart, like a table lacking
    some local authorities).
    """
    from creative_clusters.config import home_dir
    from creative_clusters.kinds import vintage_key
    from creative_clusters.sources import nomis, nomis_request
    from creative_clusters.warehouse import Warehouse

    ds = nomis_request.resolve_dataset(nomis_dataset)
    if not (ds.kind and ds.has_industry) or not (home_dir(home) / "warehouse.duckdb").exists():
        return ""
    with Warehouse(home, read_only=True) as wh:
        serving = wh.find_dataset(ds.kind)
        if serving is None or vintage_key(str(probe["dataset_vintage"].iloc[0])) < vintage_key(serving.vintage):
            return ""  # nothing to compare with, or an older year: it does not become the latest
        held = set(wh.query("SELECT DISTINCT industry_code FROM observations WHERE dataset = ? AND "
                            "industry_scheme = 'SIC2007' AND industry_code <> '_T'", [serving.id])["industry_code"])
    have = set(probe.loc[probe["industry_scheme"].astype(str) == "SIC2007", "industry_code"].astype(str))
    lacks = sorted(held - have)
    if not lacks:
        return ""
    shown = ", ".join(lacks[:8]) + (f" and {len(lacks) - 8} more" if len(lacks) > 8 else "")
    kept = f"{ds.kind}{nomis.PARTIAL_SUFFIX}"
    if not partial:
        raise DataSourceError(
            f"{shown_as} lacks {len(lacks)} of the {len(held)} SIC classes that {serving.id} (vintage "
            f"{serving.vintage}, which figures of {ds.kind} read now) holds: {shown}. As the latest table of its "
            "kind it would take those classes out of every sub-sector count, share, LQ and rank. Nothing was "
            f"imported. Download every class (`--industry creative`, the default of `creative-clusters data fetch "
            f"{ds.alias}`), or give --partial to keep this table apart as kind {kept}."
        )
    typer.echo(f"Warning: {shown_as} lacks {len(lacks)} SIC classes that {serving.id} holds ({shown}): it is kept "
               f"apart as kind {kept} (`{command} --partial`).", err=True)
    return f"PARTIAL industries: lacks {len(lacks)} of the {len(held)} SIC classes of {serving.id} ({shown})"


def _check_target(home: Path | None, wid: str, ds: Any, *, kept_apart: bool) -> None:
    """Refuse a dataset id (``--dataset-id``) that would overwrite a reference dataset or one of another kind.

    Importing replaces the rows of the id it writes: the bundle's annual series
    given as ``--dataset-id business_counts_series`` would be replaced by a
    table of another kind, its 2010-2025 history gone.
    """
    from creative_clusters.config import home_dir
    from creative_clusters.sources import nomis
    from creative_clusters.sources.registry import all_datasets

    if wid in {spec.id for spec in all_datasets()}:
        raise ParameterError(
            f"--dataset-id {wid!r} is the id of a reference-bundle dataset (`creative-clusters data import DIR`); "
            "importing under it would replace that dataset. Give another id, or leave --dataset-id out "
            f"(default {nomis.warehouse_id(ds.alias, '2000')[:-4]}<year>). Nothing was imported.")
    if not (home_dir(home) / "warehouse.duckdb").exists():
        return
    from creative_clusters.warehouse import Warehouse

    kind = (ds.kind + nomis.PARTIAL_SUFFIX if kept_apart and ds.kind else ds.kind) or wid
    with Warehouse(home, read_only=True) as wh:
        held = next((e for e in wh.catalogue_entries() if e.id == wid), None)
    if held is not None and held.kind != kind:
        raise ParameterError(
            f"{wid!r} is in the warehouse as kind {held.kind} (vintage {held.vintage}); this table is kind {kind}, "
            "so importing it under that id would replace a dataset of another kind. Give another --dataset-id, "
            f"or take the other out first (`creative-clusters data remove {wid}`). Nothing was imported.")


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register ``data fetch`` and ``data import-nomis``."""

    @data_app.command("fetch", epilog=examples(
        "creative-clusters data fetch business_counts_enterprises -g lad",
        "creative-clusters data fetch bres -g lad --date 2023",
        "creative-clusters data fetch census2021_occupation -g lad"))
    @handle_errors
    def fetch(
        dataset: Annotated[
            str,
            typer.Argument(
                help="bres, business_counts_enterprises, business_counts_local_units, "
                "census2021_ts060, census2021_occupation, "
                "census2021_economic_activity, "
                "or a Nomis id like NM_189_1; or companies-house (the national firm file)."
            ),
        ],
        geography: Annotated[
            str | None,
            typer.Option(
                "--geography",
                "-g",
                help="Nomis geography: lad (= TYPE424, LADs April 2023), TYPE432, ids, "
                "GSS codes, ranges a...b. Required for Nomis datasets.",
            ),
        ] = None,
        industry: Annotated[
            str | None,
            typer.Option(help="creative (default), all, or SIC codes like 5911,59."),
        ] = None,
        date: Annotated[
            str, typer.Option(help="latest, a year, or a Nomis date.")
        ] = "latest",
        dim: Annotated[
            list[str] | None,
            typer.Option(
                "--dim", help="Extra Nomis dimension NAME=VALUE (repeatable)."
            ),
        ] = None,
        dataset_id: Annotated[
            str | None,
            typer.Option(
                help="Warehouse dataset id (default nomis_<alias>_<vintage>); `data import-nomis` takes the same."
            ),
        ] = None,
        refresh: Annotated[bool, typer.Option(help="Ignore cached responses.")] = False,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Print the request URL (companies-house: the URL and target folder) "
                                           "and stop, without using the network.")
        ] = False,
        month: Annotated[
            str | None, typer.Option("--month", help="companies-house: YYYY-MM (default: the latest).")
        ] = None,
        out: Annotated[
            Path, typer.Option("--out", help="companies-house: folder for the download.")
        ] = Path("."),
        parts: Annotated[
            bool, typer.Option("--parts", help="companies-house: the monthly parts (about 70 MB each), not one zip.")
        ] = False,
        partial: Annotated[bool, typer.Option("--partial", help=_PARTIAL_HELP)] = False,
        home: HomeOption = None,
    ) -> None:
        """Fetch a Nomis API table, cache it and import it into the warehouse (or the Companies House file)."""
        if dataset == "companies-house":
            if dry_run:  # names the URL and target only: no network
                from creative_clusters.sources.companies_house_fetch import fetch_plan

                for line in fetch_plan(out, month=month, parts=parts):
                    typer.echo(line)
                return
            from creative_clusters.cli.microclusters import fetch_companies_house_command

            fetch_companies_house_command(out, month=month, parts=parts)
            return
        if geography is None:
            raise ParameterError("--geography is required for Nomis datasets, e.g. -g lad")
        from creative_clusters.config import nomis_cache_dir
        from creative_clusters.sources import nomis, nomis_request
        from creative_clusters.sources._cache import ResponseCache
        from creative_clusters.warehouse import Warehouse

        dims = _parse_dims(dim)
        url, params = nomis_request.build_request(
            dataset, geography=geography, industry=industry, date=date, **dims
        )
        full_url = nomis_request.request_url(url, params)
        if dry_run:
            typer.echo(full_url)
            return
        cache_dir = nomis_cache_dir(home)
        cache_dir.mkdir(parents=True, exist_ok=True)
        content = nomis.fetch_table(
            dataset,
            geography=geography,
            industry=industry,
            date=date,
            cache=ResponseCache(cache_dir, refresh=refresh),
            **dims,
        )
        ds = nomis_request.resolve_dataset(dataset)
        probe = _parse_nomis(content, nomis_dataset=dataset, source=full_url,
                             shown_as=f"Nomis {ds.nomis_id}", home=home)
        lads, kept_apart = _lad_check(probe, nomis_dataset=dataset, shown_as=f"Nomis {ds.nomis_id}",
                                      partial=partial, home=home, command="data fetch")
        lacking = _industry_check(probe, nomis_dataset=dataset, shown_as=f"Nomis {ds.nomis_id}",
                                  partial=partial, home=home, command="data fetch")
        kept_apart = kept_apart or bool(lacking)
        vintage = str(probe["dataset_vintage"].iloc[0])
        wid = dataset_id or nomis.warehouse_id(dataset, vintage) + (nomis.PARTIAL_SUFFIX if kept_apart else "")
        _check_target(home, wid, ds, kept_apart=kept_apart)
        obs = probe.assign(dataset=wid)
        # the table as imported, kept beside the cache, so the catalogue records its SHA-256 and
        # `data verify` re-checks it
        tables = cache_dir / "tables"
        tables.mkdir(exist_ok=True)
        saved = tables / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', wid)}.csv"
        spec = nomis.dataset_spec(
            obs, dataset_id=wid, nomis_dataset=ds.nomis_id, source_url=full_url, lads=lads,
            partial=kept_apart, files=(glob.escape(saved.name),), partial_reason=lacking,
        )
        with _replaced_on_success(saved, content), Warehouse(home) as wh:
            reports = wh.import_datasets([spec], tables)
        _said_imported(reports[0], spec.kind, home)

    @data_app.command("import-nomis")
    @handle_errors
    def import_nomis(
        files: Annotated[
            list[Path], typer.Argument(
                help="A CSV saved from a Nomis API .data.csv URL; or every page of a selection larger than "
                "Nomis sends at once (the URL with &RecordOffset=25000, 50000, ...), joined in RECORD_OFFSET order.",
                metavar="FILE...")
        ],
        nomis_dataset: Annotated[
            str | None,
            typer.Option(
                "--nomis-dataset",
                help="Which Nomis dataset the file is: an alias (bres, business_counts_enterprises, ...) "
                "or id (NM_189_1).",
            ),
        ] = None,
        dataset_id: Annotated[
            str | None,
            typer.Option(
                "--dataset-id",
                help="Warehouse dataset id, as in `data fetch` (default nomis_<alias>_<vintage>).",
            ),
        ] = None,
        partial: Annotated[bool, typer.Option("--partial", help=_PARTIAL_HELP)] = False,
        home: HomeOption = None,
    ) -> None:
        """Import a Nomis API CSV downloaded on another machine (the offline route), in one file or its pages."""
        import os

        from creative_clusters.sources import nomis, nomis_request
        from creative_clusters.warehouse import Warehouse

        for file in files:
            if not file.is_file():
                raise DataSourceError(
                    f"{file} is not a file; give the CSV saved from Nomis."
                )
        if nomis_dataset is None:
            raise ParameterError(
                "which Nomis dataset is the file? Give --nomis-dataset with an alias (e.g. "
                "business_counts_enterprises, bres) or a Nomis id (NM_142_1)"
                + (f"; --dataset-id {dataset_id!r} names the warehouse dataset it is stored as, as in `data fetch`"
                   if dataset_id else "") + "."
            )
        ds = nomis_request.resolve_dataset(nomis_dataset)
        shown = str(files[0]) if len(files) == 1 else f"{files[0]} and {len(files) - 1} more page(s)"
        content = (files[0].read_bytes() if len(files) == 1
                   else nomis.join_pages({str(f): f.read_bytes() for f in files}))
        probe = _parse_nomis(content, nomis_dataset=nomis_dataset, source=shown,
                             shown_as=shown, home=home)
        lads, kept_apart = _lad_check(probe, nomis_dataset=nomis_dataset, shown_as=shown,
                                      partial=partial, home=home, command="data import-nomis")
        lacking = _industry_check(probe, nomis_dataset=nomis_dataset, shown_as=shown, partial=partial,
                                  home=home, command="data import-nomis")
        kept_apart = kept_apart or bool(lacking)
        vintage = str(probe["dataset_vintage"].iloc[0])
        wid = dataset_id or nomis.warehouse_id(nomis_dataset, vintage) + (
            nomis.PARTIAL_SUFFIX if kept_apart else "")
        _check_target(home, wid, ds, kept_apart=kept_apart)
        obs = probe.assign(dataset=wid)
        # the files themselves, so the catalogue records their SHA-256 and `data verify` re-checks them
        root = Path(os.path.commonpath([str(f.resolve().parent) for f in files]))
        rels = [f.resolve().relative_to(root).as_posix() for f in files]
        spec = nomis.dataset_spec(
            obs,
            dataset_id=wid,
            nomis_dataset=ds.nomis_id,
            source_url=(
                f"{nomis_request.NOMIS_API}/dataset/{ds.nomis_id}.data.csv "
                f"({'file' if len(files) == 1 else 'files'} {', '.join(f.name for f in files)})"
            ),
            files=tuple(glob.escape(r) for r in dict.fromkeys(rels)),
            lads=lads,
            partial=kept_apart,
            partial_reason=lacking,
        )
        with Warehouse(home) as wh:
            reports = wh.import_datasets([spec], root)
        _said_imported(reports[0], spec.kind, home)
