"""Evidence packs for many places on a Dask cluster; every failure collected and reported.

The client reads the national tables once (the same cached read as
``evidence --all``) and sends them to each worker once (``national_from="client"``,
the default), or each worker opens the warehouse **read-only** and reads them
itself, once per worker process (``national_from="workers"``: the warehouse
must then be on a file system the workers share). One task per place builds
its pack with the single-machine pack builder; a task that raises, and a
worker that dies, each become a :class:`PackFailure` with the place, the error
and, where there is one, the traceback. Nothing is dropped: the run's
``failures.json`` lists them and :func:`build_packs_distributed` returns them.

Only the adapter functions below (``_national``, ``_place_codes``,
``_build_one``) know the pack builder's signatures; a change there is one edit.
"""

from __future__ import annotations

import json
import os
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from creative_clusters.errors import ParameterError

__all__ = ["PackFailure", "PackRun", "build_packs_distributed"]


# --- adapter: the only code that knows creative_clusters.workflows.evidence's signatures -------------

def _national(home: str | None, year: str | None, *, cache: bool = True) -> Any:
    """The national tables of the packs (the workflow opens the warehouse read-only)."""
    from creative_clusters.workflows.pack_data import load_national

    return load_national(home, year=year, cache=cache)


def _place_codes(national: Any, level: str) -> list[str]:
    """Codes of every place at ``level`` that gets a pack."""
    from creative_clusters.workflows.evidence import level_codes

    return list(level_codes(national, level))


def _formats() -> tuple[str, ...]:
    from creative_clusters.workflows.evidence import FORMATS

    return tuple(FORMATS)


def _build_one(code: str, national: Any, out: str, formats: tuple[str, ...], build_date: str | None,
               subsectors: tuple[str, ...] = ()) -> list[str]:
    """Build one place's pack (with the focus ``subsectors``, if any); return the files written."""
    from creative_clusters.workflows.evidence import build_pack

    _ctx, paths = build_pack(code, out=out, formats=formats, build_date=build_date, national=national,
                             subsectors=subsectors)
    return [str(p) for p in paths]

# ------------------------------------------------------------------------------------------------------


@dataclass
class PackFailure:
    """A place whose pack was not built: what went wrong and where."""

    place: str
    error: str
    traceback: str = ""
    worker: str = ""


@dataclass
class PackRun:
    """Files written, failures, and per-place records of a distributed pack run."""

    paths: list[Path]
    failures: list[PackFailure]
    records: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every place got its pack."""
        return not self.failures


_WORKER_NATIONAL: dict[tuple[str | None, str | None], Any] = {}


def _worker_national(home: str | None, year: str | None, national: Any) -> Any:
    if national is not None:
        return national
    key = (home, year)
    if key not in _WORKER_NATIONAL:  # once per worker process; no cache file written into the home
        _WORKER_NATIONAL[key] = _national(home, year, cache=False)
    return _WORKER_NATIONAL[key]


def _pack_task(code: str, home: str | None, year: str | None, national: Any, out: str,
               formats: tuple[str, ...], build_date: str | None,
               subsectors: tuple[str, ...] = ()) -> dict[str, Any]:
    """One place on a worker: a record of what was written, or of what failed (never raises)."""
    t0 = time.perf_counter()
    where = f"{os.uname().nodename}:{os.getpid()}"
    try:
        nd = _worker_national(home, year, national)
        paths = _build_one(code, nd, out, formats, build_date, subsectors)
    except Exception as exc:  # collected and reported by the client, never swallowed
        return {"place": code, "ok": False, "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(), "worker": where,
                "seconds": round(time.perf_counter() - t0, 3)}
    return {"place": code, "ok": True, "paths": paths, "worker": where,
            "seconds": round(time.perf_counter() - t0, 3)}


def _codes_task(home: str | None, year: str | None, level: str) -> list[str]:
    return _place_codes(_worker_national(home, year, None), level)


def build_packs_distributed(client: Any, *, level: str = "lad", places: Sequence[str] | None = None,
                            home: str | os.PathLike[str] | None = None, out: str | os.PathLike[str] = ".",
                            formats: Sequence[str] = ("html", "xlsx"), build_date: str | None = None,
                            year: str | None = None, limit: int | None = None,
                            national_from: str = "client",
                            progress: Callable[[int, int, str], None] | None = None,
                            subsectors: Sequence[str] = ()) -> PackRun:
    """Evidence packs for every place at ``level`` (or for ``places``) on a Dask cluster.

    Parameters
    ----------
    client : distributed.Client
        The cluster (``connect("local")`` or a scheduler address).
    level : str
        ``lad``, ``cauth``, ``rgn`` or ``ttwa`` (as ``evidence --all --level``).
    places : sequence of str, optional
        These place codes or names instead of every place at ``level``.
    home : path, optional
        Warehouse home (read-only).
    out : path
        Output folder; on a real cluster, one the workers share.
    formats : sequence of str
        Some of html, pdf, docx, xlsx.
    national_from : {"client", "workers"}
        Who reads the national tables (see the module docstring).
    progress : callable, optional
        Called as ``progress(done, total, place)`` after each place.
    subsectors : sequence of str, optional
        Focus sub-sectors of every pack (as ``evidence --all --subsector``), checked here before any task
        is sent.

    Returns
    -------
    PackRun
        ``failures`` is empty when every pack was built; ``out/failures.json``
        always lists them (an empty list on success).
    """
    from distributed import as_completed

    t0 = time.perf_counter()
    formats = tuple(formats)
    known = _formats()
    bad = [f for f in formats if f not in known]
    if bad or not formats:
        raise ParameterError(f"formats must be some of {list(known)}; got {list(formats)}")
    from creative_clusters.workflows.evidence import check_subsectors

    subs = tuple(subsectors)
    check_subsectors(subs)  # a misspelt sub-sector fails once, here, not once per place on the workers
    if national_from not in ("client", "workers"):
        raise ParameterError(f"national_from must be 'client' or 'workers'; got {national_from!r}")
    home_s = str(home) if home is not None else None
    nd_future = None
    if national_from == "client":
        nd = _national(home_s, year)
        codes = list(places) if places is not None else _place_codes(nd, level)
        nd_future = client.scatter(nd, broadcast=True)  # once to each worker
    else:
        codes = list(places) if places is not None else client.submit(_codes_task, home_s, year, level).result()
    codes = codes[:limit] if limit is not None else codes
    out_s = str(Path(out))
    Path(out_s).mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:12]  # task keys unique to this run: a key reused would return an old result
    futures = {client.submit(_pack_task, c, home_s, year, nd_future, out_s, formats, build_date, subs,
                             key=f"pack-{run_id}-{i}-{c}"): c for i, c in enumerate(codes)}
    records: list[dict[str, Any]] = []
    for i, fut in enumerate(as_completed(list(futures)), 1):
        code = futures[fut]
        if fut.status == "error":  # the task did not return: e.g. its worker died
            exc = fut.exception()
            records.append({"place": code, "ok": False, "error": f"{type(exc).__name__}: {exc}",
                            "traceback": "".join(traceback.format_exception(exc)), "worker": ""})
        else:
            records.append(fut.result())
        if progress:
            progress(i, len(codes), code)
    records.sort(key=lambda r: codes.index(r["place"]))
    failures = [PackFailure(r["place"], r["error"], r.get("traceback", ""), r.get("worker", ""))
                for r in records if not r["ok"]]
    paths = sorted(Path(p) for r in records if r["ok"] for p in r["paths"])
    _write_failures(Path(out_s), failures)
    return PackRun(paths=paths, failures=failures, records=records, seconds=time.perf_counter() - t0)


def _write_failures(out: Path, failures: list[PackFailure]) -> None:
    """``out/failures.json``, written atomically (an empty list when nothing failed)."""
    tmp = out / f".failures.json.tmp-{os.getpid()}"
    tmp.write_text(json.dumps([asdict(f) for f in failures], indent=2))
    tmp.replace(out / "failures.json")
