"""The embedded DuckDB warehouse: statistics, catalogue and reference tables.

Layout under the home directory::

    warehouse.duckdb          observations, catalogue, catalogue_files, ref_* tables
    geometry/<layer>.parquet  GeoParquet, one file per geometry layer

Why geometry is kept apart, as GeoParquet: DuckDB's spatial extension is
downloaded at run time from DuckDB's extension server, which offline users
(and this project's CI) cannot reach; GeoParquet needs only pyarrow and is
read straight into geopandas for maps and spatial weights. Statistics never
carry geometry; the two join on ``geo_code``.

Atomicity: an import first reads and validates every dataset in memory; only
then does it open one transaction that replaces the datasets' rows, reference
tables and catalogue entries. Geometry files are written to temporary names
and renamed into place only after that transaction commits. A failure at any
point leaves the warehouse as it was. Removing a dataset
(:meth:`Warehouse.remove_dataset`) is atomic the same way: its geometry files
are moved aside, its rows, reference tables and catalogue entries are deleted
in one transaction, and the files are deleted only after it commits (put back
if it fails).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import uuid
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from creative_clusters._schema import OBS_COLUMNS, validate_observations
from creative_clusters.config import home_dir
from creative_clusters.errors import DataSourceError, WarehouseError
from creative_clusters.kinds import kind_of, vintage_key
from creative_clusters.results import DatasetRef
from creative_clusters.sources._base import DatasetSpec, ImportResult, file_sha256, resolve_file

__all__ = ["ImportReport", "RemovalReport", "Warehouse", "open_warehouse"]

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

_DDL = [
    "CREATE TABLE IF NOT EXISTS observations ("
    + ", ".join(
        f"{c} {'DOUBLE' if t == 'float64' else 'VARCHAR'}"
        + (" NOT NULL" if c != "value" else "")
        for c, t in OBS_COLUMNS.items()
    )
    + ")",
    """CREATE TABLE IF NOT EXISTS catalogue (
        id VARCHAR PRIMARY KEY, title VARCHAR, publisher VARCHAR, licence VARCHAR,
        source_url VARCHAR, vintage VARCHAR, attribution VARCHAR, caveats VARCHAR,
        coverage VARCHAR, checksum VARCHAR, imported_at VARCHAR, row_count BIGINT,
        tables VARCHAR, geometries VARCHAR, kind VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS catalogue_files (
        dataset_id VARCHAR, path VARCHAR, sha256 VARCHAR, bytes BIGINT, root VARCHAR)""",
]


@dataclass
class ImportReport:
    """What one dataset's import did."""

    dataset: str
    rows: int
    tables: list[str]
    geometries: list[str]
    coverage: str
    #: things the user should know (another dataset of the same kind and year is in the warehouse)
    notes: list[str] = field(default_factory=list)


@dataclass
class RemovalReport:
    """What one dataset's removal took out of the warehouse."""

    dataset: str
    kind: str
    vintage: str
    rows: int
    #: reference tables and geometry layers dropped (those no other catalogue entry lists)
    tables: list[str]
    geometries: list[str]
    #: the source files the catalogue recorded: (path relative to its import folder, SHA-256, import folder)
    files: list[tuple[str, str, str]]
    #: what now serves the dataset's kind (the latest remaining entry), or None when none is left
    now_serves: DatasetRef | None
    #: where the dataset came from, as catalogued (a Nomis request URL for a fetched or imported Nomis table)
    source_url: str = ""


#: The warehouses this process has open for writing (a reader of the same file reads through one of them).
_WRITERS: weakref.WeakSet[Warehouse] = weakref.WeakSet()


class Warehouse:
    r"""A DuckDB warehouse at ``home``.

    Parameters
    ----------
    home : path-like, optional
        Directory of the warehouse; see :func:`creative_clusters.config.home_dir`.
    read_only : bool
        Open the database read-only (the web app does).

    Examples
    --------
    A warehouse in a new folder, one dataset imported from a file under a data
    root (a SYNTHETIC count), then read back through the catalogue:

    >>> import tempfile
    >>> from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "counts.csv").write_text("geo_code,value\nE09000033,10350\n")
    >>> def read(root):
    ...     t = pd.read_csv(root / "counts.csv", dtype={"geo_code": str})
    ...     return ImportResult(observations=t.assign(
    ...         dataset="example", dataset_vintage="2025", geo_type="lad", geo_vintage="2023", period="2025",
    ...         measure="enterprises", disclosure_flag="rounded"))
    >>> spec = DatasetSpec(id="example", title="Example counts (SYNTHETIC)", publisher="nobody", licence=OGL,
    ...                    source_url="", vintage="2025", files=("counts.csv",), reader=read)
    >>> with Warehouse(tempfile.mkdtemp()) as wh:
    ...     _ = wh.import_datasets([spec], root)
    ...     ref = wh.require_dataset("example")
    ...     got = wh.observations(dataset="example")[["geo_code", "value"]].values.tolist()
    >>> ref.vintage, got
    ('2025', [['E09000033', 10350.0]])
    """

    def __init__(self, home: str | os.PathLike[str] | None = None, *, read_only: bool = False):
        self.home = home_dir(home)
        self.read_only = read_only
        self.path = self.home / "warehouse.duckdb"
        self.geometry_dir = self.home / "geometry"
        if read_only:
            if not self.path.exists():
                raise WarehouseError(
                    f"no warehouse at {self.path}; run `creative-clusters data import DIR` first."
                )
            self.con = self._connect(read_only=True)
        else:
            self.home.mkdir(parents=True, exist_ok=True)
            self.con = self._connect(read_only=False)
            for ddl in _DDL:
                self.con.execute(ddl)
            # warehouses made by earlier versions lack the import root of each file
            self.con.execute("ALTER TABLE catalogue_files ADD COLUMN IF NOT EXISTS root VARCHAR")
            # ... and the kind of each dataset (filled from the dataset registry when missing)
            self.con.execute("ALTER TABLE catalogue ADD COLUMN IF NOT EXISTS kind VARCHAR")

    def _connect(self, *, read_only: bool) -> duckdb.DuckDBPyConnection:
        if read_only:
            # DuckDB lets one process open a file one way only: a reader beside this process's own writer
            # (a script's Warehouse() then build_pack) reads through a cursor of the writer's connection
            for other in list(_WRITERS):
                if os.path.realpath(other.path) == os.path.realpath(self.path):
                    try:
                        return other.con.cursor()
                    except duckdb.Error:
                        continue  # closed
        try:
            con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.ConnectionException as exc:
            if "different configuration" not in str(exc):
                raise WarehouseError(f"cannot open the warehouse at {self.path}: {exc}") from None
            raise WarehouseError(
                f"this process already has the warehouse at {self.path} open read-only (a "
                "Warehouse(read_only=True) or a pack being built), and DuckDB opens a file one way per process: "
                "close that one (wh.close(), or use `with Warehouse(...) as wh:`) before opening it for writing"
            ) from None
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise WarehouseError(f"cannot open the warehouse at {self.path}: {exc}") from None
            holder = re.search(r"PID (\d+)", str(exc))
            who = f" by process {holder.group(1)}" if holder else ""
            raise WarehouseError(
                f"the warehouse at {self.path} is in use{who} (another creative-clusters command "
                "is writing to it, or `serve` holds it while you try to write). Wait for it to "
                "finish or stop it, or use another --home."
            ) from None
        if not read_only:
            _WRITERS.add(self)
        return con

    # ------------------------------------------------------------------ reading
    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run SQL with bound parameters and return a DataFrame."""
        return self.con.execute(sql, params or []).df()

    def _count(self, sql: str, params: list[Any] | None = None) -> int:
        """The one integer a ``SELECT count(*) ...`` query returns."""
        row = self.con.execute(sql, params or []).fetchone()
        return int(row[0]) if row is not None else 0

    def is_empty(self) -> bool:
        """True when no dataset has been imported."""
        return self._count("SELECT count(*) FROM catalogue") == 0

    def datasets(self) -> pd.DataFrame:
        """The catalogue, one row per dataset."""
        return self.query("SELECT * FROM catalogue ORDER BY id")

    def has_dataset(self, dataset_id: str) -> bool:
        """True when ``dataset_id`` is in the catalogue."""
        n = self.con.execute("SELECT count(*) FROM catalogue WHERE id = ?", [dataset_id]).fetchone()
        return bool(n and n[0])

    # ------------------------------------------------------------ catalogue
    def version(self) -> str:
        """A fingerprint of the warehouse's content (changes whenever a dataset is (re)imported).

        Caches keyed on it are safe when two installs share a folder.
        """
        rows = self.con.execute(
            "SELECT id, checksum, imported_at, row_count FROM catalogue ORDER BY id"
        ).fetchall()
        import hashlib

        return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]

    def catalogue_entries(self, kind: str | None = None) -> list[DatasetRef]:
        """Catalogue entries (optionally of one kind), oldest vintage first.

        Entries written before kinds were recorded get their kind from the
        dataset registry (:mod:`creative_clusters.sources.registry`).
        """
        cat = self.query("SELECT * FROM catalogue")
        if "kind" not in cat.columns:  # an earlier warehouse opened read-only
            cat["kind"] = None
        missing = cat["kind"].isna() | (cat["kind"].astype(str) == "")
        if missing.any():
            known = _registry_kinds()
            cat.loc[missing, "kind"] = [known.get(i, i) for i in cat.loc[missing, "id"]]
        if kind is not None:
            cat = cat[cat["kind"] == kind]
        refs = [_dataset_ref(rec) for rec in cat.to_dict("records")]
        return sorted(refs, key=lambda r: (vintage_key(r.vintage), r.imported_at, r.id))

    def periods(self, dataset_id: str, *, measure: str | None = None) -> list[str]:
        """The periods a dataset's observations cover (sorted)."""
        sql = "SELECT DISTINCT period FROM observations WHERE dataset = ?"
        params: list[Any] = [dataset_id]
        if measure is not None:
            sql += " AND measure = ?"
            params.append(measure)
        got = [str(r[0]) for r in self.con.execute(sql, params).fetchall()]
        return sorted(got, key=vintage_key)

    def find_dataset(
        self, kind: str, *, vintage: str | None = None, period: str | int | None = None,
        measure: str | None = None,
    ) -> DatasetRef | None:
        """The dataset of ``kind`` that serves a figure: the latest vintage by default.

        ``vintage`` selects a catalogue vintage (exact, or its leading year);
        ``period`` keeps only datasets whose observations cover that period
        (``measure`` narrows the check). Returns ``None`` when none matches.
        """
        entries = self.catalogue_entries(kind)
        if vintage is not None:
            v = str(vintage)
            entries = [e for e in entries if e.vintage == v or e.vintage.startswith(v)]
        if period is not None:
            p = str(period)
            entries = [e for e in entries if p in self.periods(e.id, measure=measure)]
        return entries[-1] if entries else None

    def require_dataset(
        self, kind: str, *, vintage: str | None = None, period: str | int | None = None,
        measure: str | None = None,
    ) -> DatasetRef:
        """Like :meth:`find_dataset`, but a missing dataset raises a message saying what there is."""
        got = self.find_dataset(kind, vintage=vintage, period=period, measure=measure)
        if got is not None:
            return got
        have = self.catalogue_entries(kind)
        k = kind_of(kind)
        serves = k.serves
        future = _after_this_year(period)
        how = (f"`{k.fetch.format(period=period if period is not None and not future else 'YEAR')}` "
               "(needs internet)" if k.fetch else "`creative-clusters data fetch --help`")
        if not have:
            raise WarehouseError(
                f"the warehouse at {self.home} has no dataset of {serves}; import it with "
                f"`creative-clusters data import DIR` or fetch it with {how}."
            )
        options = sorted({p for e in have for p in self.periods(e.id, measure=measure)}, key=vintage_key)
        asked = f"period {period}" if period is not None else f"vintage {vintage}"
        # a year still to come cannot be fetched: say so, and offer only what there is
        then = (f"{period} is after the current year ({future}), so no source has published it yet: choose one "
                "of those." if future else f"Choose one of those, or fetch the year you need with {how}.")
        raise WarehouseError(
            f"no {serves} for {asked} in the warehouse at {self.home}; years available: "
            f"{', '.join(options) or 'none'} (from {', '.join(f'{e.id} (vintage {e.vintage})' for e in have)}). "
            + then
        )

    def latest_period(self, dataset_id: str, *, measure: str | None = None) -> str:
        """The latest period of a dataset's observations."""
        got = self.periods(dataset_id, measure=measure)
        if not got:
            raise WarehouseError(f"dataset {dataset_id!r} has no observations"
                                 + (f" of measure {measure!r}" if measure else "") + ".")
        return got[-1]

    def observations(self, **filters: str | Iterable[str] | None) -> pd.DataFrame:
        """Observations matching column filters (a value or a list of values).

        Examples
        --------
        ``wh.observations(dataset=wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC).id, geo_code="E09000033")``
        """
        where, params = [], []
        for col, val in filters.items():
            if val is None:
                continue
            if col not in OBS_COLUMNS:
                raise WarehouseError(
                    f"observations() has no column {col!r}; use one of {list(OBS_COLUMNS)}"
                )
            if isinstance(val, str):
                where.append(f"{col} = ?")
                params.append(val)
            else:
                vals = list(val)
                if not vals:
                    return pd.DataFrame(columns=list(OBS_COLUMNS))
                where.append(f"{col} IN ({', '.join('?' * len(vals))})")
                params.extend(vals)
        sql = "SELECT * FROM observations"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.query(sql, params)

    def table(self, name: str) -> pd.DataFrame:
        """A reference table by name (e.g. ``"lad_lookup"``)."""
        self._check_name(name)
        exists = self._count(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [f"ref_{name}"]
        )
        if not exists:
            raise WarehouseError(
                f"reference table {name!r} is not in the warehouse at {self.path}; "
                "import the dataset that provides it with `creative-clusters data import DIR`."
            )
        return self.query(f'SELECT * FROM "ref_{name}"')

    def has_table(self, name: str) -> bool:
        """True when reference table ``name`` exists."""
        self._check_name(name)
        return bool(
            self._count("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [f"ref_{name}"])
        )

    def geometry_path(self, name: str) -> Path:
        """Path of a geometry layer's GeoParquet file."""
        self._check_name(name)
        return self.geometry_dir / f"{name}.parquet"

    def geometry_layers(self) -> list[str]:
        """Names of the geometry layers in the warehouse, sorted."""
        return sorted(p.stem for p in self.geometry_dir.glob("*.parquet")) if self.geometry_dir.exists() else []

    def read_geometry(self, name: str) -> Any:
        """Read a geometry layer as a GeoDataFrame."""
        path = self.geometry_path(name)
        if not path.exists():
            raise WarehouseError(
                f"geometry layer {name!r} is not in the warehouse ({path}); import the "
                "geography files with `creative-clusters data import DIR`."
            )
        import geopandas as gpd

        return gpd.read_parquet(path)

    # ------------------------------------------------------------------ writing
    @staticmethod
    def _check_name(name: str) -> None:
        if not _NAME.match(name):
            raise WarehouseError(
                f"table/layer name {name!r} is not valid; expected lower-case "
                "letters, digits and underscores, starting with a letter."
            )

    def _check_keeps_history(self, spec: DatasetSpec, obs: pd.DataFrame, rel: str) -> None:
        """Refuse to replace a series with one lacking periods the warehouse holds for it (a new-year-only file)."""
        held = {str(r[0]) for r in self.con.execute(
            "SELECT DISTINCT period FROM observations WHERE dataset = ?", [spec.id]).fetchall()}
        new = set(obs["period"].astype(str))
        lost = held - new
        if not lost:
            return

        def span(ps: set[str]) -> str:
            return f"{min(ps)} only" if len(ps) == 1 else f"{min(ps)}–{max(ps)}"

        every = held | new
        raise DataSourceError(
            f"dataset {spec.id!r} holds {span(held)} in this warehouse, but the file read ({rel}) holds {span(new)}: "
            f"importing it would drop {span(lost)}. The series is read from one file holding every year; give one "
            f"file with {span(every)} (the full series with the new year's rows added). To go back to this file "
            f"on purpose (e.g. the bundle's older series), dropping {span(lost)}, re-run `creative-clusters data "
            f"import` with --replace, or take the series out first with `creative-clusters data remove {spec.id}`."
        )

    def same_year_notes(self, dataset_ids: Iterable[str]) -> dict[str, list[str]]:
        """For each of ``dataset_ids``: a note per other catalogue entry of the same kind and year.

        Two datasets of one kind and year (a Nomis fetch and a bundle file of the
        same snapshot) both stay; figures read one of them (:meth:`find_dataset`).
        The note names both, the one that serves figures and how to remove the other.
        """
        entries = self.catalogue_entries()
        out: dict[str, list[str]] = {}
        for ds in dataset_ids:
            me = next((e for e in entries if e.id == ds), None)
            if me is None or not me.vintage[:4].isdigit():
                continue
            others = [e for e in entries if e.kind == me.kind and e.id != me.id and e.vintage[:4] == me.vintage[:4]]
            if not others:
                continue
            serving = self.find_dataset(me.kind)
            serves = serving.id if serving is not None else me.id
            why = "the latest import" if serves == me.id else "its vintage sorts later"
            out[ds] = [
                f"{me.id} (vintage {me.vintage}) and {o.id} (vintage {o.vintage}) are both {me.kind} for "
                f"{me.vintage[:4]}; figures of that kind now read {serves} ({why}). To keep only one, remove "
                f"the other: `creative-clusters data remove {o.id if serves == me.id else me.id}`."
                for o in others
            ]
        return out

    def import_datasets(
        self,
        specs: Sequence[DatasetSpec],
        root: str | os.PathLike[str],
        *,
        progress: Callable[[str], None] | None = None,
        replace: bool = False,
    ) -> list[ImportReport]:
        """Read every dataset in ``specs`` from ``root`` and store them atomically.

        Re-importing replaces a dataset's rows, so import is idempotent. If any
        dataset fails to read or validate, or the write fails, nothing changes.
        A series that keeps its history (``keeps_history``) is refused when the
        file read lacks periods the warehouse holds for it, unless ``replace``
        (then those periods are dropped).
        """
        if self.read_only:
            raise WarehouseError("this warehouse was opened read-only")
        root = Path(root)
        if not root.is_dir():
            raise DataSourceError(f"data directory {root} does not exist or is not a directory")
        staged: list[tuple[DatasetSpec, ImportResult, pd.DataFrame, list[tuple[str, str, int]]]] = []
        for spec in specs:
            if progress:
                progress(spec.id)
            files = []
            paths = {pattern: resolve_file(root, pattern) for pattern in spec.files}  # a pattern: the newest
            _check_complete(spec, paths, root)
            for p in paths.values():
                files.append((p.relative_to(root).as_posix(), file_sha256(p), p.stat().st_size))
            result = spec.reader(root)
            obs = (
                validate_observations(result.observations, source=spec.id)
                if result.observations is not None
                else None
            )
            if obs is not None and not obs.empty and set(obs["dataset"]) != {spec.id}:
                raise WarehouseError(
                    f"importer for {spec.id!r} returned rows for datasets "
                    f"{sorted(set(obs['dataset']))}; each importer must label rows with its own id"
                )
            if spec.keeps_history and obs is not None and not replace:
                self._check_keeps_history(spec, obs, files[0][0] if files else "")
            for name in [*result.tables, *result.geometries]:
                self._check_name(name)
            staged.append((spec, result, obs, files))

        # Geometry to temporary files first (outside the DB transaction).
        tmp_geoms: list[tuple[Path, Path]] = []
        self.geometry_dir.mkdir(parents=True, exist_ok=True)
        try:
            for _spec, result, _obs, _files in staged:
                for name, gdf in result.geometries.items():
                    final = self.geometry_path(name)
                    tmp = final.with_name(f".{name}.{uuid.uuid4().hex}.tmp")
                    gdf.to_parquet(tmp, index=False)
                    tmp_geoms.append((tmp, final))

            now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
            reports: list[ImportReport] = []
            self.con.execute("BEGIN TRANSACTION")
            try:
                for spec, result, obs, files in staged:
                    self.con.execute("DELETE FROM observations WHERE dataset = ?", [spec.id])
                    nrows = 0
                    if obs is not None and not obs.empty:
                        self.con.register("_staged_obs", obs)
                        self.con.execute("INSERT INTO observations SELECT * FROM _staged_obs")
                        self.con.unregister("_staged_obs")
                        nrows = len(obs)
                    for name, frame in result.tables.items():
                        self.con.register("_staged_tab", frame)
                        self.con.execute(
                            f'CREATE OR REPLACE TABLE "ref_{name}" AS SELECT * FROM _staged_tab'
                        )
                        self.con.unregister("_staged_tab")
                    checksum = file_sha256_combined(files)
                    self.con.execute("DELETE FROM catalogue WHERE id = ?", [spec.id])
                    self.con.execute("DELETE FROM catalogue_files WHERE dataset_id = ?", [spec.id])
                    self.con.execute(
                        "INSERT INTO catalogue (id, title, publisher, licence, source_url, vintage, "
                        "attribution, caveats, coverage, checksum, imported_at, row_count, tables, "
                        "geometries, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            spec.id, result.title or spec.title, spec.publisher, spec.licence,
                            spec.source_url, result.vintage or spec.vintage, spec.attribution,
                            " | ".join(spec.caveats),
                            result.coverage, checksum, now, nrows,
                            ",".join(result.tables), ",".join(result.geometries),
                            spec.kind or _registry_kinds().get(spec.id, spec.id),
                        ],
                    )
                    for rel, sha, size in files:
                        self.con.execute(
                            "INSERT INTO catalogue_files (dataset_id, path, sha256, bytes, root) "
                            "VALUES (?, ?, ?, ?, ?)",
                            [spec.id, rel, sha, size, str(root.resolve())],
                        )
                    reports.append(
                        ImportReport(spec.id, nrows, list(result.tables), list(result.geometries), result.coverage)
                    )
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
        except BaseException:
            for tmp, _final in tmp_geoms:
                tmp.unlink(missing_ok=True)
            raise
        for tmp, final in tmp_geoms:
            os.replace(tmp, final)
        notes = self.same_year_notes(r.dataset for r in reports)
        older = self.older_vintage_notes(r.dataset for r in reports)
        for r in reports:
            r.notes.extend(notes.get(r.dataset, []))
            r.notes.extend(older.get(r.dataset, []))
        return reports

    def older_vintage_notes(self, dataset_ids: Iterable[str]) -> dict[str, list[str]]:
        """For each of ``dataset_ids`` older than the dataset serving its kind: a note saying so.

        Importing an earlier year (last year's Nomis table, or the bundle again
        after a newer fetch) adds it beside the newer one; figures go on reading
        the latest vintage (:meth:`find_dataset`). The note names both, so an
        import that was meant to update the figures does not pass unnoticed.
        Datasets imported together (``dataset_ids``: the bundle's vintages of one
        kind) are not noted against each other.
        """
        entries = {e.id: e for e in self.catalogue_entries()}
        batch = list(dataset_ids)
        out: dict[str, list[str]] = {}
        for ds in batch:
            me = entries.get(ds)
            if me is None:
                continue
            serving = self.find_dataset(me.kind)
            if serving is None or serving.id in batch or serving.vintage[:4] == me.vintage[:4]:
                continue  # imported together (the bundle's IMD 2019 and 2025), or the same year (same_year_notes)
            if vintage_key(serving.vintage) <= vintage_key(me.vintage):
                continue
            out[ds] = [
                f"{me.id} (vintage {me.vintage}) is older than {serving.id} (vintage {serving.vintage}), which "
                f"figures of {me.kind} go on reading; {me.id} is kept beside it (e.g. to compare years), not "
                f"used for the latest figures. To take it out: `creative-clusters data remove {me.id}`."
            ]
        return out

    def removal_target(self, name: str, *, vintage: str | None = None) -> DatasetRef:
        """The catalogue entry ``data remove NAME [--vintage V]`` means, or a message saying what there is.

        ``name`` is a dataset id (``data status`` lists them; ``vintage``, when
        given, must be its vintage) or a kind (``vintage`` then picks one of its
        entries: exact, or its leading year, as ``--year`` does elsewhere).
        """
        import difflib

        entries = self.catalogue_entries()

        def listed(refs: Iterable[DatasetRef]) -> str:
            return ", ".join(f"{e.id} (vintage {e.vintage})" for e in refs) or "none"

        def matches(e: DatasetRef) -> bool:
            return vintage is None or e.vintage == str(vintage) or e.vintage.startswith(str(vintage))

        by_id = [e for e in entries if e.id == name]
        if by_id:
            ref = by_id[0]
            if not matches(ref):
                same = [e for e in entries if e.kind == ref.kind]
                raise WarehouseError(
                    f"dataset {name!r} is vintage {ref.vintage}, not {vintage}, in the warehouse at {self.home}; "
                    f"nothing was removed. Datasets of its kind ({ref.kind}): {listed(same)}. Give the vintage "
                    "it has, or the id of the one you mean."
                )
            return ref
        of_kind = [e for e in entries if e.kind == name]
        if of_kind:
            chosen = [e for e in of_kind if matches(e)]
            if len(chosen) == 1:
                return chosen[0]
            if not chosen:
                raise WarehouseError(
                    f"no dataset of kind {name!r} has vintage {vintage} in the warehouse at {self.home}; nothing "
                    f"was removed. Datasets of that kind: {listed(of_kind)}. Give one of those vintages or ids."
                )
            raise WarehouseError(
                f"{name!r} is a kind with {len(chosen)} datasets in the warehouse at {self.home}: "
                f"{listed(chosen)}; nothing was removed. Give the dataset id, or --vintage to pick one."
            )
        close = difflib.get_close_matches(name, [e.id for e in entries] + sorted({e.kind for e in entries}),
                                          n=3, cutoff=0.6)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise WarehouseError(
            f"no dataset {name!r} in the warehouse at {self.home}; nothing was removed. Expected a dataset id as "
            f"`creative-clusters data status` lists it (or a kind with --vintage).{hint} Datasets in the "
            f"warehouse: {listed(sorted(entries, key=lambda e: e.id))}."
        )

    def removal_plan(self, name: str, *, vintage: str | None = None) -> RemovalReport:
        """What :meth:`remove_dataset` would take out for ``name`` (see :meth:`removal_target`); changes nothing.

        Its reference tables and geometry layers are listed unless another
        catalogue entry lists the same name (then they stay). ``now_serves`` is
        the entry of the same kind that figures read once it is gone.
        """
        ref = self.removal_target(name, vintage=vintage)
        rec = self.con.execute("SELECT tables, geometries FROM catalogue WHERE id = ?", [ref.id]).fetchone()
        others = self.con.execute("SELECT tables, geometries FROM catalogue WHERE id <> ?", [ref.id]).fetchall()

        def names(text: object) -> list[str]:
            return [n.strip() for n in str(text or "").split(",") if n.strip()]

        kept = {n for row in others for n in (*names(row[0]), *names(row[1]))}
        tables = [n for n in names(rec[0] if rec else "") if n not in kept and self.has_table(n)]
        geometries = [n for n in names(rec[1] if rec else "") if n not in kept]
        for n in geometries:
            self._check_name(n)
        files = [(str(r[0]), str(r[1]), str(r[2] or "")) for r in self.con.execute(
            "SELECT path, sha256, root FROM catalogue_files WHERE dataset_id = ? ORDER BY path", [ref.id]).fetchall()]
        rest = [e for e in self.catalogue_entries(ref.kind) if e.id != ref.id]  # oldest vintage first
        return RemovalReport(
            dataset=ref.id, kind=ref.kind, vintage=ref.vintage,
            rows=self._count("SELECT count(*) FROM observations WHERE dataset = ?", [ref.id]),
            tables=tables, geometries=geometries, files=files, now_serves=rest[-1] if rest else None,
            source_url=ref.source_url,
        )

    def remove_dataset(self, name: str, *, vintage: str | None = None) -> RemovalReport:
        """Take one dataset out of the warehouse, atomically: what :meth:`removal_plan` lists.

        Its observations, reference tables, catalogue entry and files' records
        are deleted in one transaction; geometry files are moved aside first and
        deleted only after it commits (moved back if it fails), so on any error
        nothing changes. Afterwards every figure of the dataset's kind reads
        what the catalogue has left (:meth:`find_dataset`), and every cache
        keyed on :meth:`version` (national tables, series tables, the web app's
        profiles) is out of date, as after an import.
        """
        if self.read_only:
            raise WarehouseError("this warehouse was opened read-only")
        plan = self.removal_plan(name, vintage=vintage)
        moved: list[tuple[Path, Path]] = []  # (aside, original)
        try:
            for n in plan.geometries:
                final = self.geometry_path(n)
                if final.exists():
                    aside = final.with_name(f".{n}.{uuid.uuid4().hex}.removed")
                    os.replace(final, aside)
                    moved.append((aside, final))
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute("DELETE FROM observations WHERE dataset = ?", [plan.dataset])
                for n in plan.tables:
                    self.con.execute(f'DROP TABLE IF EXISTS "ref_{n}"')
                self.con.execute("DELETE FROM catalogue_files WHERE dataset_id = ?", [plan.dataset])
                self.con.execute("DELETE FROM catalogue WHERE id = ?", [plan.dataset])
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
        except BaseException:
            for aside, final in moved:
                os.replace(aside, final)
            raise
        for aside, _final in moved:
            aside.unlink(missing_ok=True)
        return plan

    def verify(self, root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
        """Re-check every catalogued file's checksum, against the files in ``root`` when given.

        The catalogue records each file by its path relative to the folder it
        was imported from. Without ``root`` each file is checked there. With
        ``root`` (the reference-data folder or a copy of it), every file
        imported from the data folder or from inside it (e.g. ``firms/``) is
        looked up in ``root`` by its path relative to the data folder, and only
        there: a file absent from ``root`` is ``missing``. The data folder is
        ``root`` itself when it is a recorded import folder, else the recorded
        one holding the most files. A file imported from another folder is
        looked up in ``root`` by its path inside that folder (a copy of the
        reference data holding a new year's file); only when ``root`` has no
        such file (a firm file in the user's own folder) is it checked where it
        was imported from. Returns one row per file with ``status`` in ``ok``, ``changed``,
        ``missing``, the ``checked`` path and ``in_root`` (looked up in ``root``).
        """
        files = self.query("SELECT * FROM catalogue_files ORDER BY dataset_id, path")
        if "root" not in files.columns:  # warehouse written by an earlier version, opened read-only
            files["root"] = None
        own = [Path(r) / rel if isinstance(r, str) and r else None
               for rel, r in zip(files["path"], files["root"], strict=True)]
        where: list[Path | None] = list(own)
        in_root = [False] * len(own)
        if root is not None:
            given = Path(root)
            data = _data_root([Path(r) for r in files["root"] if isinstance(r, str) and r], given)
            if not given.is_dir():
                imported = f" (the files were imported from {data})" if data is not None else ""
                raise DataSourceError(
                    f"{given} is not a directory: expected the reference-data folder{imported} or a copy "
                    "of it, to re-check the imported files against. Give an existing folder."
                )
            for i, (rel, p) in enumerate(zip(files["path"], own, strict=True)):
                if p is None:  # no import folder recorded (earlier versions): relative to the data folder
                    where[i], in_root[i] = given / rel, True
                elif data is not None and p.is_relative_to(data):
                    where[i], in_root[i] = given / p.relative_to(data), True
                elif (given / rel).is_file():
                    # imported from another copy of the reference data (e.g. a folder with a new year's
                    # series): its counterpart in ``root``, by its path inside that copy, is what is checked
                    where[i], in_root[i] = given / rel, True
        files["status"] = [
            "missing" if p is None or not p.is_file() else "ok" if file_sha256(p) == sha else "changed"
            for p, sha in zip(where, files["sha256"], strict=True)
        ]
        files["checked"] = [rel if p is None else str(p) for p, rel in zip(where, files["path"], strict=True)]
        files["in_root"] = in_root
        return files


def _after_this_year(period: str | int | None) -> int | None:
    """The current year when ``period`` (a year, or a period starting with one) is after it, else ``None``.

    Examples
    --------
    >>> _after_this_year(9999) == _dt.date.today().year, _after_this_year("2019"), _after_this_year(None)
    (True, None, None)
    """
    m = re.match(r"\s*(\d{4})", str(period)) if period is not None else None
    now = _dt.date.today().year
    return now if m and int(m.group(1)) > now else None


def _check_complete(spec: DatasetSpec, paths: dict[str, Path], root: Path) -> None:
    """Fail naming what is missing when ``spec``'s files are not all under ``root``.

    With none of the dataset's own files there, ``root`` is not the reference-data
    folder; with some there (a new year's file dropped in without its companions)
    the message names the companions to add, or the file to remove.
    """
    missing = [pat for pat, p in paths.items() if not p.exists()]
    if not missing:
        return
    from creative_clusters.sources.registry import all_datasets

    try:
        shared = {f for other in all_datasets(root) if other.id != spec.id for f in other.files}
    except Exception:
        shared = set()
    own_present = [pat for pat, p in paths.items() if p.exists() and pat not in shared]
    if not own_present:
        raise DataSourceError(
            f"dataset {spec.id!r} needs file {missing[0]!r}, not found under {root}. "
            "Point `data import` at the reference-data directory."
        )
    raise DataSourceError(
        f"dataset {spec.id!r} is incomplete under {root}: {', '.join(own_present)} "
        f"{'is' if len(own_present) == 1 else 'are'} there but not {' and '.join(missing)}, which "
        f"{'comes' if len(missing) == 1 else 'come'} with it. Add {'it' if len(missing) == 1 else 'them'} "
        f"beside {'it' if len(own_present) == 1 else 'them'}, or remove {', '.join(Path(f).name for f in own_present)} "
        "if you did not mean to add this dataset."
    )


def _data_root(roots: list[Path], given: Path) -> Path | None:
    """The recorded import folder ``given`` stands for: itself, else the one holding most files (outermost)."""
    if not roots:
        return None
    if given.resolve() in roots:
        return given.resolve()
    return min(set(roots), key=lambda r: (-sum(x.is_relative_to(r) for x in roots), len(r.parts), str(r)))


def _registry_kinds() -> dict[str, str]:
    from creative_clusters.sources.registry import all_datasets

    return {spec.id: spec.kind_name for spec in all_datasets()}


#: Caveats stored by imports before they were reworded, and their words now: a warehouse imported earlier shows
#: the same caveat as a fresh import.
_REWORDED_CAVEATS = {
    "29 of the 31 DCMS creative classes: 9101/9102 (museums, libraries) are absent, so the DCMS_CI '_T' total "
    "is a 29-class total.": "29 of the 31 DCMS creative classes: 9101/9102 (museums, libraries) are absent, so "
    "the all-creative-industries total counts 29 classes, not 31.",
}


def _dataset_ref(rec: dict[str, Any]) -> DatasetRef:
    def text(key: str) -> str:
        v = rec.get(key)
        return "" if v is None or (isinstance(v, float) and v != v) else str(v)

    caveats = tuple(_REWORDED_CAVEATS.get(c.strip(), c.strip()) for c in text("caveats").split(" | ") if c.strip())
    title = text("title")
    return DatasetRef(
        id=text("id"), kind=text("kind") or text("id"), vintage=text("vintage"), title=title,
        publisher=text("publisher"), licence=text("licence"), source_url=text("source_url"),
        attribution=text("attribution"), checksum=text("checksum"), imported_at=text("imported_at"),
        caveats=caveats, synthetic="synthetic" in title.lower() or "synthetic" in text("coverage").lower(),
    )


def file_sha256_combined(files: list[tuple[str, str, int]]) -> str:
    """One checksum for a dataset made of several files (SHA-256 over sorted file sums)."""
    import hashlib

    h = hashlib.sha256()
    for rel, sha, _ in sorted(files):
        h.update(f"{rel}:{sha}\n".encode())
    return h.hexdigest()


def open_warehouse(home: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Warehouse:
    """Open (creating if needed) the warehouse at ``home``."""
    return Warehouse(home, read_only=read_only)
