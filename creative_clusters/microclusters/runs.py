"""Microcluster runs in the warehouse: each run its own version, with provenance and coverage.

Every ``creative-clusters microclusters`` run that loads into the warehouse
is stored as its own version:

- ref tables ``microclusters_<run>``, ``microcluster_firms_<run>``,
  ``microcluster_hierarchy_<run>`` and geometry layer ``microclusters_<run>``
  (``<run>`` is ``r`` + 10 hex digits, derived from the firm file's SHA-256,
  the method and parameters and the software version: the same file and
  settings give the same run id, so re-running replaces that version only);
- one row in ref table ``microcluster_runs``: firm file name and SHA-256,
  rows read / kept by status / creative / located, the rows without a usable
  SIC code (none at all; none of a SIC 2007 class), method, parameters
  (JSON), software version, the synthetic flag, the address kind, the
  coverage and ``is_current``; ``n_microclusters`` (the microclusters meeting
  the run's ``min_firms``, the count packs and listings give) and ``n_groups``
  (every group found, those below the floor included); the firm file's date
  (``firm_file_date``, from its name or its modification date, the
  catalogue's vintage) and licence (``licence``: as stated, OGL for the
  Companies House layout, else "licence not stated").

The **current** run is also copied to ``microclusters``,
``microcluster_firms``, ``microcluster_hierarchy`` and geometry
``microclusters``, which the evidence pack, the map and the web read. One
run is current at a time (every place reads it; outside its coverage a place
is "not covered").

**Which run is current** (:func:`choose_current`, the one statement of the
rule). A stored run becomes current when, in this order:

1. the user asked (``--current``; ``--no-current`` stores it without making it
   current, refused only for a re-run of the current run itself, which
   replaces the current version);
2. there is no current run;
3. it has the current run's id (the same file and settings: it replaces
   that version);
4. it is not SYNTHETIC while the current run is real data (a synthetic run
   never displaces a real one unless asked);
5. it reads the current run's firm file (same SHA-256, other settings); or
6. it covers every LAD the current run covers.

Otherwise it is stored but not made current, so a run on one town does not
leave every other place of the current run "not covered";
``creative-clusters microclusters-runs --use RUN`` makes any stored run
current.

**Coverage.** A firm file covers a LAD when it places at least
:data:`COVERAGE_MIN_FIRMS` of its located creative firms there: a few stray
registered offices elsewhere do not make a LAD covered. Codes are LAD 2023
(the directory's LAD 2025 codes mapped back through the warehouse's code
changes when it has them; a firm located by its file's coordinates alone,
without a LAD column, is placed in the warehouse's LAD 2023 layer by
:func:`lad_codes_by_point`). ``scope`` is ``"national"`` when the covered LADs
are at least :data:`NATIONAL_SHARE` of the warehouse's LAD 2023 layer, else
``"partial"``. Readers should say "not covered" outside the coverage, not
"no microcluster", and never call a partial run's ranks national:
:func:`current_run` gives them what they need.

Examples
--------
>>> f = pd.DataFrame({"lad_code": ["E08000039"] * 25 + ["E08000019"] * 30 + ["E09000001"] * 2})
>>> coverage_lads(f, code_changes=pd.DataFrame({"oldcd": ["E08000019"], "newcd": ["E08000039"],
...                                             "type": ["new_code"], "start": ["2025"]}))
(['E08000019'], ['E09000001'])
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import firm_words, microcluster_run_words

__all__ = [
    "COVERAGE_MIN_FIRMS",
    "NATIONAL_SHARE",
    "RUNS_TABLE",
    "CurrentChoice",
    "RunRecord",
    "build_run_record",
    "choose_current",
    "coverage_lads",
    "current_run",
    "lad_codes_by_point",
    "list_runs",
    "run_note",
    "run_spec",
    "run_title",
    "runs_overview",
    "store_run",
    "use_run",
]

RUNS_TABLE = "microcluster_runs"
DATASET_ID = "microclusters"
COVERAGE_MIN_FIRMS = 20
NATIONAL_SHARE = 0.95
#: the tables and geometry layer of a run (names before the ``_<run>`` suffix)
RUN_TABLES = ("microclusters", "microcluster_firms", "microcluster_hierarchy")
COVERAGE_RULE = (f"a LAD is covered when the file places at least {COVERAGE_MIN_FIRMS} located creative "
                 "firms in it (LAD 2023 codes)")


@dataclass
class RunRecord:
    """Provenance and coverage of one microcluster run (one row of ``microcluster_runs``)."""

    run_id: str
    created_at: str
    firm_file: str
    firm_file_sha256: str
    rows_read: int
    rows_status_kept: int
    rows_creative: int
    rows_located: int
    method: str
    params: str
    software_version: str
    synthetic: bool
    address_kind: str
    coverage_lads: str
    stray_lads: str
    coverage_rule: str
    scope: str
    n_microclusters: int
    is_current: bool = True
    #: the firm file's folder (absolute) when it was run, so the catalogue can list the current run's file
    firm_folder: str = ""
    #: creative firms of the file that could not be located (listed in the run's output folder,
    #: ``unlocated_firms.csv``); None for a run stored before this was recorded
    rows_unlocated: int | None = None
    #: every group the clustering found (the leaves of its hierarchy), those below the run's ``min_firms``
    #: included; ``n_microclusters`` counts only those meeting it. None for a run stored before this was kept
    n_groups: int | None = None
    #: the firm file's date (``YYYY-MM-DD`` or ``YYYY-MM``) and where it comes from (``"file name"`` or
    #: ``"file modification date"``): the catalogue's vintage; the run's own date is ``created_at``
    firm_file_date: str = ""
    firm_file_date_source: str = ""
    #: the firm file's licence as known (:func:`firm_file_licence`)
    licence: str = ""
    #: rows kept by status with no SIC code (or sub-sector) at all, so not known to be creative (the reader's
    #: ``FirmsReport.n_no_sic``); None when the reader did not count them (the national reader) or for a run
    #: stored before this was recorded
    rows_no_sic: int | None = None
    #: rows kept by status whose SIC values are no SIC 2007 class (a SIC 2003 code, a value that is no code)
    #: and that had no other creative code: left out, unclassified (the reader's ``n_sic_unknown_dropped`` and
    #: ``n_sic_unreadable_dropped``); None for a run stored before this was recorded
    rows_sic_unclassified: int | None = None

    @property
    def covered(self) -> tuple[str, ...]:
        """Covered LAD 2023 codes."""
        return tuple(c for c in self.coverage_lads.split(";") if c)

    @property
    def all_creative(self) -> bool:
        """Every firm of the run's list was taken to be creative (``--all-creative``, from its parameters)."""
        return bool(run_params(self.params).get("all_creative", False))

    @property
    def rows_unclassed(self) -> int | None:
        """Firms left out because no SIC 2007 class could be read for them (:func:`unclassed_rows`)."""
        return unclassed_rows(self.rows_no_sic, self.rows_sic_unclassified)


def unclassed_rows(no_sic: object, unclassified: object) -> int | None:
    """Firms a run left out for want of a SIC 2007 class: none at all plus none of a SIC 2007 class.

    None when neither was recorded (a run stored before they were, or a reader that does not count them).

    >>> unclassed_rows(449, 34), unclassed_rows(None, 3), unclassed_rows(None, float("nan"))
    (483, 3, None)
    """
    counts = [int(v) for v in (no_sic, unclassified) if v is not None and not pd.isna(v)]  # type: ignore[call-overload]
    return sum(counts) if counts else None


def run_params(params: object) -> dict[str, Any]:
    """A run's stored parameters (JSON text) as a dict; ``{}`` for none or for text that is not JSON.

    >>> run_params('{"min_firms": 50}'), run_params(None), run_params("not json")
    ({'min_firms': 50}, {}, {})
    """
    try:
        parsed = json.loads(str(params or "{}"))
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def coverage_lads(firms: pd.DataFrame, *, code_changes: pd.DataFrame | None = None,
                  min_firms: int = COVERAGE_MIN_FIRMS) -> tuple[list[str], list[str]]:
    """``(covered, strays)``: LAD codes with at least / fewer than ``min_firms`` firms (module notes)."""
    if "lad_code" not in firms:
        return [], []
    lad = firms["lad_code"].dropna().astype(str)
    if code_changes is not None and len(code_changes):
        ch = code_changes[(code_changes["type"] == "new_code")
                          & (pd.to_numeric(code_changes["start"], errors="coerce") > int(kinds.LAD_VINTAGE))]
        lad = lad.replace(dict(zip(ch["newcd"], ch["oldcd"], strict=False)))
    counts = lad.value_counts()
    return sorted(counts.index[counts >= min_firms]), sorted(counts.index[counts < min_firms])


def lad_codes_by_point(firms: pd.DataFrame, lads: Any) -> pd.Series:
    """Each firm's ``lad_code``, with the firms that have none (a list of eastings/northings or
    latitudes/longitudes without a LAD column) placed by point-in-polygon in ``lads`` (the warehouse's
    LAD 2023 layer, columns ``geo_code`` or ``areacd``).

    A firm outside every LAD polygon (offshore, or a layer that does not cover it) stays without a code.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> lads = gpd.GeoDataFrame({"geo_code": ["E08000019"]}, geometry=[box(430000, 380000, 440000, 390000)],
    ...                         crs="EPSG:27700")
    >>> firms = pd.DataFrame({"easting": [435000.0, 100.0, 435000.0], "northing": [387000.0, 100.0, 387000.0],
    ...                       "lad_code": [None, None, "E08000018"]})
    >>> lad_codes_by_point(firms, lads).tolist()
    ['E08000019', None, 'E08000018']
    """
    import geopandas as gpd

    codes = (firms["lad_code"] if "lad_code" in firms.columns else pd.Series(None, index=firms.index)).astype(object)
    missing = codes.isna() | (codes.astype("string").str.strip().fillna("") == "")
    codes = codes.where(~missing, None)
    if not missing.any() or not {"easting", "northing"} <= set(firms.columns) or lads is None or len(lads) == 0:
        return codes
    cd = next((c for c in lads.columns if str(c).lower() in ("geo_code", "areacd", "code")), None)
    if cd is None:
        return codes
    todo = firms.loc[missing.to_numpy(bool), ["easting", "northing"]]
    todo = todo[todo["easting"].notna() & todo["northing"].notna()]
    if todo.empty:
        return codes
    layer = lads.to_crs("EPSG:27700") if lads.crs is not None else lads.set_crs(4326).to_crs("EPSG:27700")
    pts = gpd.GeoDataFrame(index=todo.index, geometry=gpd.points_from_xy(todo["easting"], todo["northing"]),
                           crs="EPSG:27700")
    hit = gpd.sjoin(pts, layer[[cd, "geometry"]], how="inner", predicate="within")
    hit = hit[~hit.index.duplicated(keep="first")]
    codes.loc[hit.index] = hit[cd].astype(str).to_numpy()
    return codes


#: the licence of a firm file whose licence nobody stated
LICENCE_NOT_STATED = "licence not stated"
_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_MONTH = re.compile(r"(?<!\d)((?:19|20)\d\d)[_-](\d\d)(?![\d])")


def firm_file_date(path: Path) -> tuple[str, str]:
    """``(date, how)``: the firm file's date from its name (a Companies House file's ``YYYY-MM-DD``, a
    list's ``YYYY_MM``), else its modification date; ``how`` says which.

    Examples
    --------
    >>> firm_file_date(Path("companieshouse_southyorkshire_2024-11-01.csv.gz"))
    ('2024-11-01', 'file name')
    >>> firm_file_date(Path("brighton_and_hove_business_information_2025_04.xlsx"))
    ('2025-04', 'file name')
    """
    m = _DAY.search(path.name)
    if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
        return f"{m[1]}-{m[2]}-{m[3]}", "file name"
    m = _MONTH.search(path.name)
    if m and 1 <= int(m[2]) <= 12:
        return f"{m[1]}-{m[2]}", "file name"
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return "", ""
    return _dt.datetime.fromtimestamp(stamp, _dt.UTC).date().isoformat(), "file modification date"


def firm_file_licence(report: Any, stated: str | None = None) -> str:
    """The firm file's licence: what the user stated, else the Open Government Licence for a file in the
    Companies House layout (the Free Company Data Product is OGL), else :data:`LICENCE_NOT_STATED`.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> firm_file_licence(NS(layout="Companies House")), firm_file_licence(NS(layout="plain list"))
    ('Open Government Licence v3.0', 'licence not stated')
    """
    from creative_clusters.sources._base import OGL

    if stated:
        return stated
    return OGL if str(getattr(report, "layout", "")) == "Companies House" else LICENCE_NOT_STATED


def build_run_record(result: Any, report: Any, firm_file: str | Path, *, synthetic: bool | None = None,
                     warehouse: Any | None = None, licence: str | None = None, lads: Any | None = None) -> RunRecord:
    """Provenance of ``result`` (a ``MicroclusterResult``) read from ``firm_file`` with ``report``.

    ``synthetic`` overrides the flag the reader set (``report.synthetic``); ``licence`` is the firm file's
    licence as the user states it (:func:`firm_file_licence` otherwise);
    ``warehouse`` (optional) supplies the code changes and the LAD count; ``lads``, its LAD layer when the
    caller has read it already (the CLI has, for the map), is not read again.
    A warehouse without the LAD layer leaves the scope partial, and the
    reason is appended to ``result.notes`` (so the CLI prints it and
    ``run.json`` keeps it); any other error reading the layer is raised.
    """
    from creative_clusters import __version__
    from creative_clusters.errors import WarehouseError
    from creative_clusters.geography.boundaries import count_layer

    path = Path(firm_file)
    sha = _sha256(path)
    params = {k: v for k, v in result.params.items() if k not in ("n_firms", "n_microclusters")}
    blob = json.dumps({"sha": sha, "params": params, "v": __version__}, sort_keys=True)
    changes, n_lads = None, 0
    firms = result.firms
    if warehouse is not None:
        if warehouse.has_table("code_changes"):
            changes = warehouse.table("code_changes")
        try:
            if lads is None:
                lads = warehouse.read_geometry(count_layer("lad", ()))
        except WarehouseError as exc:  # no LAD layer: the scope cannot be national
            notes = getattr(result, "notes", None)
            if isinstance(notes, list):
                notes.append(f"run scope left partial: the LAD count for the national test is missing ({exc})")
        else:
            n_lads = len(lads)
            # firms placed by their file's coordinates alone carry no LAD code: placed in the LAD layer here
            firms = firms.assign(lad_code=lad_codes_by_point(firms, lads))
    covered, strays = coverage_lads(firms, code_changes=changes)
    national = n_lads > 0 and len(covered) >= NATIONAL_SHARE * n_lads
    mc = result.microclusters
    full = (int(mc["meets_min_firms"].astype("boolean").fillna(False).astype(bool).sum())
            if "meets_min_firms" in mc.columns else len(mc))
    day, how = firm_file_date(path)
    return RunRecord(
        run_id="r" + hashlib.sha256(blob.encode()).hexdigest()[:10],
        created_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds"),  # two runs in one second stay ordered
        firm_file=path.name,
        firm_file_sha256=sha,
        rows_read=int(getattr(report, "n_rows", 0)),
        rows_status_kept=int(getattr(report, "n_status_kept", 0)),
        rows_creative=int(getattr(report, "n_creative", 0)),
        rows_located=int(getattr(report, "n_located", len(result.firms))),
        method=str(result.params.get("method", "")),
        params=json.dumps(params, sort_keys=True),
        software_version=__version__,
        synthetic=bool(getattr(report, "synthetic", False) if synthetic is None else synthetic),
        address_kind=str(getattr(report, "address_kind", "unknown")),
        coverage_lads=";".join(covered),
        stray_lads=";".join(strays),
        coverage_rule=COVERAGE_RULE,
        scope="national" if national else "partial",
        n_microclusters=full,
        firm_folder=str(path.resolve().parent),
        rows_unlocated=len(getattr(report, "failed_rows", ())),
        n_groups=len(mc),
        firm_file_date=day,
        firm_file_date_source=how,
        licence=firm_file_licence(report, licence),
        rows_no_sic=_count_or_none(getattr(report, "n_no_sic", None)),
        rows_sic_unclassified=(int(getattr(report, "n_sic_unknown_dropped", 0))
                               + int(getattr(report, "n_sic_unreadable_dropped", 0))),
    )


def _count_or_none(value: Any) -> int | None:
    """A count the reader reported, or None when it did not count it.

    >>> _count_or_none(449), _count_or_none(None)
    (449, None)
    """
    return None if value is None else int(value)


#: Counts of a run's rows recorded after runs were first stored: None (NA in the table) for an older run, not 0.
_LATER_COUNTS = ("rows_unlocated", "rows_no_sic", "rows_sic_unclassified")


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("string")
    return out


def list_runs(warehouse: Any) -> pd.DataFrame:
    """Every stored run (``microcluster_runs``), newest first; empty when there is none."""
    cols = list(RunRecord.__dataclass_fields__)
    if not warehouse.has_table(RUNS_TABLE):
        return pd.DataFrame(columns=cols)
    runs = warehouse.table(RUNS_TABLE)
    if "firm_folder" not in runs:  # stored before the folder was recorded
        runs["firm_folder"] = ""
    for c in ("firm_file_date", "firm_file_date_source", "licence"):  # stored before these were recorded
        runs[c] = runs[c].fillna("") if c in runs else ""
    runs["n_groups"] = (pd.to_numeric(runs["n_groups"], errors="coerce") if "n_groups" in runs
                        else pd.Series(pd.NA, index=runs.index)).astype("Int64")
    # stored before the unlocated firms (the rows without a SIC 2007 code) were counted: not known (NA), not 0
    for c in _LATER_COUNTS:
        runs[c] = (pd.to_numeric(runs[c], errors="coerce") if c in runs
                   else pd.Series(pd.NA, index=runs.index)).astype("Int64")
    return runs.sort_values("created_at", ascending=False).reset_index(drop=True)


def runs_overview(warehouse: Any) -> pd.DataFrame:
    """:func:`list_runs` with what a listing shows beside each run: ``lads`` (how many LADs it covers),
    ``all_creative`` (every firm of its list was taken to be creative, ``--all-creative``, from its parameters)
    and ``rows_unclassed`` (firms left out for want of a SIC 2007 class, :func:`unclassed_rows`; NA when not
    recorded).

    Examples
    --------
    >>> class W:
    ...     def has_table(self, name): return True
    ...     def table(self, name): return pd.DataFrame({"created_at": ["2026-12-01"], "coverage_lads": ["A;B"],
    ...                                                 "params": ['{"all_creative": true}']})
    >>> runs_overview(W())[["lads", "all_creative"]].values.tolist()
    [[2, True]]
    """
    runs = list_runs(warehouse)

    unclassed = [unclassed_rows(a, b) for a, b in zip(runs["rows_no_sic"], runs["rows_sic_unclassified"],
                                                       strict=True)]
    return runs.assign(lads=[len([c for c in str(v).split(";") if c]) for v in runs["coverage_lads"]],
                       all_creative=[bool(run_params(v).get("all_creative", False)) for v in runs["params"]],
                       rows_unclassed=pd.array(unclassed, dtype="Int64"))


def _record(row: Mapping[str, Any]) -> RunRecord:
    """A row of ``microcluster_runs`` as a :class:`RunRecord` (numpy scalars unwrapped, NA folder as "")."""
    out = {k: (row[k].item() if hasattr(row[k], "item") else row[k]) for k in RunRecord.__dataclass_fields__}
    out["firm_folder"] = "" if pd.isna(out["firm_folder"]) else str(out["firm_folder"])
    for c in _LATER_COUNTS:
        out[c] = None if pd.isna(out[c]) else int(out[c])
    out["n_groups"] = None if pd.isna(out["n_groups"]) else int(out["n_groups"])
    for c in ("firm_file_date", "firm_file_date_source", "licence"):
        out[c] = "" if pd.isna(out[c]) else str(out[c])
    return RunRecord(**out)


def current_run(warehouse: Any) -> RunRecord | None:
    """The current run's provenance and coverage, or None (no run, or a warehouse from before runs).

    This is what packs, maps and the web call: ``firm_file``,
    ``firm_file_sha256``, ``covered`` (LAD 2023 codes), ``synthetic``,
    ``scope`` ("national"/"partial"), ``address_kind``.
    """
    runs = list_runs(warehouse)
    cur = runs[runs["is_current"].astype(bool)] if len(runs) else runs
    if cur.empty:
        return None
    return _record(cur.iloc[0].to_dict())


#: why :func:`choose_current` decided as it did (``CurrentChoice.reason``)
CHOICE_REASONS = ("asked", "declined", "first", "same_run", "synthetic", "same_file", "covers", "narrower")


@dataclass(frozen=True)
class CurrentChoice:
    """Whether a new run becomes current, and why (:func:`choose_current`; the rule is in the module notes).

    Attributes
    ----------
    make_current
        True when the run becomes the current one.
    reason
        One of :data:`CHOICE_REASONS`: ``asked``/``declined`` (``--current``/``--no-current``), ``first``
        (no current run), ``same_run`` (it replaces the current version), ``synthetic`` (a SYNTHETIC run
        kept from displacing a real one), ``same_file`` (the current run's firm file), ``covers`` (every LAD
        the current run covers), ``narrower`` (it misses some of them).
    previous
        The run current before this one (None when there was none).
    uncovered
        LAD 2023 codes the previous run covers and this one does not.
    """

    make_current: bool
    reason: str
    previous: RunRecord | None
    uncovered: tuple[str, ...] = ()


def choose_current(warehouse: Any, run: RunRecord, *, requested: bool | None = None) -> CurrentChoice:
    """Whether ``run`` becomes the current run when stored (the rule in the module notes, in its order).

    ``requested`` is the user's ``--current`` (True) / ``--no-current`` (False), None for the rule.

    Raises
    ------
    ParameterError
        ``requested`` is False for a re-run of the current run (same id): storing it replaces the
        current version, so it cannot be stored as not current.
    """
    from creative_clusters.errors import ParameterError

    prev = current_run(warehouse)
    uncovered = tuple(sorted(set(prev.covered) - set(run.covered))) if prev is not None else ()
    same_run = prev is not None and prev.run_id == run.run_id
    if requested is False and same_run:
        raise ParameterError(
            f"run {run.run_id} is the current run (the same firm file and settings): storing it again replaces "
            "the current version, so --no-current cannot apply; use --no-load to write the output folder only, "
            "or make another run current first (creative-clusters microclusters-runs --use ID)")
    if requested is not None:
        return CurrentChoice(requested, "asked" if requested else "declined", prev, uncovered)
    if prev is None:
        return CurrentChoice(True, "first", None)
    if same_run:
        return CurrentChoice(True, "same_run", prev, uncovered)
    if run.synthetic and not prev.synthetic:
        return CurrentChoice(False, "synthetic", prev, uncovered)
    if run.firm_file_sha256 == prev.firm_file_sha256:
        return CurrentChoice(True, "same_file", prev, uncovered)
    return CurrentChoice(not uncovered, "narrower" if uncovered else "covers", prev, uncovered)


def run_title(run: Mapping[str, Any]) -> str:
    """The catalogue title of a microcluster run, in words a reader can use: method and parameters, the
    date of the run and its firm file, then the run id (for traceability, labelled as such).

    Examples
    --------
    >>> run_title({"method": "split", "params": '{"eps_m": 1000, "min_firms": 50}', "created_at": "2026-12-05T10:00",
    ...            "firm_file": "firms.csv.gz", "run_id": "r1", "synthetic": False})
    'Creative microclusters (split, eps 1000 m, min 50): microcluster run of 2026-12-05 on firms.csv.gz, run id r1'
    >>> run_title({"method": "split", "params": '{"eps_m": 1000, "min_firms": 50, "all_creative": true}',
    ...            "created_at": "2026-12-05T10:00", "firm_file": "list.xlsx", "run_id": "r2"})[:60]
    'Clusters of business premises of all kinds, no industry code'
    """
    params = run_params(run.get("params"))
    what = ("Clusters of business premises of all kinds, no industry codes" if params.get("all_creative")
            else "Creative microclusters")
    return (f"{what} ({run.get('method')}, eps {float(params.get('eps_m', 0)):.0f} m, min "
            f"{params.get('min_firms')}): {microcluster_run_words(run)}"
            + (" [SYNTHETIC]" if bool(run.get("synthetic")) else "") + f", run id {run.get('run_id')}")


def _spec(run: RunRecord, tables: dict[str, pd.DataFrame], geometries: dict[str, Any],
          files: tuple[str, ...], reader_note: str) -> Any:
    from creative_clusters.sources._base import OGL, OGL_ATTRIBUTION, DatasetSpec, ImportResult

    def _reader(root: Path) -> ImportResult:
        return ImportResult(tables=tables, geometries=geometries, coverage=reader_note)

    licence = run.licence or LICENCE_NOT_STATED  # a run stored before the licence was recorded: not stated
    attribution = (OGL_ATTRIBUTION if licence == OGL else
                   f"Derived from the firm file {run.firm_file} ({licence}); check its terms with its publisher "
                   "before reuse.")
    dated = (f"Firm file dated {run.firm_file_date} (from its {run.firm_file_date_source}); microclusters "
             f"computed on {run.created_at[:10]}." if run.firm_file_date else
             f"The firm file's date is not recorded; microclusters computed on {run.created_at[:10]}.")
    return DatasetSpec(
        id=DATASET_ID,
        kind=kinds.MICROCLUSTERS,
        title=run_title(asdict(run)),
        publisher="creative-clusters (derived from the firm file)",
        licence=licence,
        attribution=attribution,
        source_url="",
        vintage=run.firm_file_date or run.created_at[:10],
        files=files,
        reader=_reader,
        caveats=(
            (f"Addresses: {run.address_kind}; registered-office addresses are not trading sites and "
             "formation agents' or accountants' postcodes gather many firms (hubs flagged)."
             if run.address_kind != "trading" else
             "Addresses: trading premises (where the businesses trade, not registered offices); postcodes "
             "with many premises (shopping centres, office blocks) are flagged as shared-postcode hubs."),
            f"Coverage: {run.scope}; {_plural(len(run.covered), 'LAD')} ({run.coverage_rule}); elsewhere the firm "
            "file has no firms, so 'no microcluster' there means 'not covered'.",
            dated,
        ),
    )


def _firm_file_of(warehouse: Any, run: RunRecord) -> tuple[Path, tuple[str, ...], str]:
    """``(root, files, note)`` for the catalogue entry of ``run``: its firm file's folder and name when the
    file is still there unchanged (same SHA-256), else the warehouse home, no file, and why.

    The folder is the run's ``firm_folder``; a run stored before that was recorded is looked up in the
    catalogue's files of the microclusters dataset by its SHA-256.
    """
    folders = [run.firm_folder] if run.firm_folder else _catalogued_folders(warehouse).get(
        (run.firm_file, run.firm_file_sha256), [])
    for folder in folders:
        path = Path(folder) / run.firm_file
        if path.is_file() and _sha256(path) == run.firm_file_sha256:
            return Path(folder), (run.firm_file,), ""
    where = f" at {folders[0]}" if folders else ""
    return (Path(warehouse.home), (),
            f"the firm file {run.firm_file} of run {run.run_id} is no longer{where} unchanged, so the catalogue "
            "lists no file for it")


def _catalogued_folders(warehouse: Any) -> dict[tuple[str, str], list[str]]:
    """``(file name, SHA-256) -> folders`` of the microclusters dataset's files in the catalogue."""
    if not warehouse.has_dataset(DATASET_ID):
        return {}
    files = warehouse.query("SELECT * FROM catalogue_files WHERE dataset_id = ?", [DATASET_ID])
    out: dict[tuple[str, str], list[str]] = {}
    if "root" in files:
        for root, rel, sha in zip(files["root"], files["path"], files["sha256"], strict=True):
            if isinstance(root, str) and root:
                path = Path(root) / str(rel)
                out.setdefault((path.name, str(sha)), []).append(str(path.parent))
    return out


def _runs_table(warehouse: Any, run: RunRecord) -> pd.DataFrame:
    """``microcluster_runs`` with ``run`` stored (replacing its own id) and, when it is current, the only one.

    A run stored before folders were recorded gets its firm file's folder from the catalogue while the
    catalogue still lists that file (so ``--use`` can list it again later).
    """
    runs = list_runs(warehouse)
    runs = runs[runs["run_id"] != run.run_id].copy() if len(runs) else runs
    if len(runs):
        known = _catalogued_folders(warehouse)
        runs["firm_folder"] = [f if isinstance(f, str) and f else (known.get((n, h)) or [""])[0]
                               for f, n, h in zip(runs["firm_folder"], runs["firm_file"],
                                                  runs["firm_file_sha256"], strict=True)]
    if run.is_current and len(runs):
        runs["is_current"] = False
    runs = pd.concat([runs, pd.DataFrame([asdict(run)])], ignore_index=True) if len(runs) else \
        pd.DataFrame([asdict(run)])
    return _strings(runs.astype({"is_current": bool, "synthetic": bool, "n_groups": "Int64",
                                 **dict.fromkeys(_LATER_COUNTS, "Int64")}))


_NOT_CURRENT_WORDS = {"declined": "--no-current", "synthetic": "SYNTHETIC while the current run is real data",
                      "narrower": "it misses LADs the current run covers"}


def _plural(k: int, word: str) -> str:
    """``"1 LAD"``, ``"4 LADs"``."""
    return f"{k:,} {word}{'' if k == 1 else 's'}"


def run_note(run: RunRecord) -> str:
    """What the catalogue (``data status``) says of stored run ``run``: its firm file, microclusters, points
    and addresses, coverage and the synthetic flag, the same whether the run was just stored or made current
    again with ``microclusters-runs --use``.

    Examples
    --------
    >>> rec = RunRecord(run_id="r1", created_at="2026-12-05", firm_file="firms.csv", firm_file_sha256="",
    ...                 rows_read=90, rows_status_kept=90, rows_creative=85, rows_located=80, method="split",
    ...                 params='{"min_firms": 50}', software_version="", synthetic=False, address_kind="registered",
    ...                 coverage_lads="E08000019", stray_lads="", coverage_rule="", scope="partial", n_microclusters=1)
    >>> for part in run_note(rec).split("; "):
    ...     print(part)
    run r1 on firms.csv: 1 microcluster of at least 50 firms from 80 creative firms (registered offices)
    partial coverage, 1 LAD
    """
    params = run_params(run.params)
    words = firm_words(run.address_kind, run.all_creative)
    below = (run.n_groups or run.n_microclusters) - run.n_microclusters
    where = {"registered": " (registered offices)", "unknown": " (addresses not stated)"}.get(run.address_kind, "")
    return (f"run {run.run_id} on {run.firm_file}: {_plural(run.n_microclusters, 'microcluster')} of at least "
            f"{params.get('min_firms')} {words['count']} "
            + (f"({run.n_groups} groups found, {below} below that floor) " if below else "")
            + f"from {run.rows_located:,} {words['points']}{where}; {run.scope} coverage, "
            f"{_plural(len(run.covered), 'LAD')}" + ("; SYNTHETIC" if run.synthetic else ""))


def run_spec(result: Any, run: RunRecord, source_file: str | Path, warehouse: Any,
             choice: CurrentChoice | None = None) -> tuple[Any, Path]:
    """``(spec, root)``: the DatasetSpec storing ``result`` as run ``run``, current or not as ``choice``
    says (:func:`choose_current` when None), and the folder to pass as ``root`` to
    ``Warehouse.import_datasets``. Sets ``run.is_current``.

    The catalogue entry of the microclusters dataset always describes the current run (title, caveats,
    firm file): a run stored as not current adds its own tables and its row of ``microcluster_runs`` only.
    """
    choice = choice or choose_current(warehouse, run)
    run.is_current = choice.make_current
    mc = result.microclusters
    tab = pd.DataFrame(mc.drop(columns="geometry"))
    for k, v in result.params.items():
        if k not in ("n_firms", "n_microclusters") and not isinstance(v, dict):
            tab[k] = "" if v is None else v
    tab["run_id"] = run.run_id
    firms = _strings(result.firms)
    hier = result.hierarchy if result.hierarchy is not None else pd.DataFrame({"cluster_id": []})
    hier = _strings(hier)
    tables: dict[str, pd.DataFrame] = {}
    geometries = {f"microclusters_{run.run_id}": mc}
    for name, frame in zip(RUN_TABLES, (tab, firms, hier), strict=True):
        tables[f"{name}_{run.run_id}"] = frame
        if run.is_current:
            tables[name] = frame
    tables[RUNS_TABLE] = _runs_table(warehouse, run)
    if run.is_current:
        geometries["microclusters"] = mc
        return (_spec(run, tables, geometries, (Path(source_file).name,), run_note(run)),
                Path(source_file).resolve().parent)
    described = choice.previous or run  # no current run (--no-current on the first run): the stored one
    root, files, missing = _firm_file_of(warehouse, described)
    # the catalogue entry describes the current run: its note too, then the run stored beside it
    why = _NOT_CURRENT_WORDS[choice.reason]
    if choice.previous is not None:
        note = (f"current: {run_note(choice.previous)}; also stored, not current ({why}): run {run.run_id} on "
                f"{run.firm_file}")
    else:
        note = f"{run_note(run)}; stored, not current ({why}); no run is current"
    return _spec(described, tables, geometries, files, note + (f"; {missing}" if missing else "")), root


def store_run(warehouse: Any, result: Any, run: RunRecord, source_file: str | Path,
              choice: CurrentChoice | None = None) -> CurrentChoice:
    """Store ``result`` as run ``run`` in ``warehouse`` (current or not: ``choice``, else
    :func:`choose_current`) and return the choice."""
    choice = choice or choose_current(warehouse, run)
    spec, root = run_spec(result, run, source_file, warehouse, choice)
    warehouse.import_datasets([spec], root)
    return choice


def use_run(warehouse: Any, run_id: str) -> RunRecord:
    """Make stored run ``run_id`` the current one (its firm file is not re-read, only checked for the
    catalogue) and return its record."""
    from creative_clusters.errors import ParameterError

    runs = list_runs(warehouse)
    if run_id not in set(runs["run_id"]):
        have = ", ".join(runs["run_id"]) or "none"
        raise ParameterError(f"no microcluster run {run_id!r} in the warehouse; runs: {have}")
    run = _record(runs[runs["run_id"] == run_id].iloc[0].to_dict())
    run.is_current = True
    tables = {name: warehouse.table(f"{name}_{run_id}") for name in RUN_TABLES
              if warehouse.has_table(f"{name}_{run_id}")}
    tables[RUNS_TABLE] = _runs_table(warehouse, run)
    geom = {"microclusters": warehouse.read_geometry(f"microclusters_{run_id}")}
    root, files, missing = _firm_file_of(warehouse, run)
    warehouse.import_datasets([_spec(run, tables, geom, files, run_note(run) + "; made current with "
                                     "microclusters-runs --use" + (f"; {missing}" if missing else ""))], root)
    return run
