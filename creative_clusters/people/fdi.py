"""Foreign direct investment projects: a user-list importer and the FDI location quotient.

No FDI data ships (Orbis Crossborder Investment and fDi Markets are
proprietary). Users supply a project list, one row per project:

``destination``  place name or GSS code (region, nation, LAD …)
``sector``       DCMS creative sub-sector (name, short name or alias), or "all"/"creative"
``year``         e.g. 2019
``type``         ``greenfield`` or ``m&a`` (also "M&A", "acquisition", "merger")
``jobs``         optional; jobs created (fDi Markets models missing values, Orbis often has none)

:func:`parse_fdi_projects` never drops a row silently: rows with an unknown
place, sector, year or type are kept with ``valid = False`` and an ``issue``,
and the returned report counts them.

FDI location quotient (docs/methods.md §7)::

    FDI_LQ_r = (fdi_r / fdi_UK) / (ci_r / ci_UK)

with ``fdi`` creative FDI projects and ``ci`` creative businesses or
employment in the same regions. > 1: the region attracts more creative FDI
than the size of its creative economy predicts.

Examples
--------
>>> p = pd.DataFrame({"geo_code": ["R1", "R1", "R2"], "valid": [True, True, True]})
>>> b = pd.DataFrame({"geo_code": ["R1", "R2"], "value": [100.0, 300.0]})
>>> fdi_lq(p, b)[["geo_code", "projects", "fdi_lq"]].values.tolist()
[['R1', 2, 2.6666666666666665], ['R2', 1, 0.4444444444444444]]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from creative_clusters.classifications import dcms
from creative_clusters.errors import ImportFormatError, SchemaError, UnknownCodeError

__all__ = ["FDI_COLUMNS", "fdi_lq", "parse_fdi_projects", "read_fdi_projects"]

FDI_COLUMNS = ("destination", "sector", "year", "type", "jobs")

_TYPES = {"greenfield": "greenfield", "green field": "greenfield", "m&a": "m&a", "ma": "m&a",
          "m and a": "m&a", "acquisition": "m&a", "merger": "m&a", "mergers and acquisitions": "m&a"}
_ALIASES = {"destination": ("destination", "place", "region", "destination_region", "location", "area"),
            "sector": ("sector", "subsector", "sub_sector", "sub-sector", "industry"),
            "year": ("year", "announced_year", "date", "project_year"),
            "type": ("type", "investment_type", "project_type", "deal_type"),
            "jobs": ("jobs", "jobs_created", "employment", "jobs_total")}


def read_fdi_projects(path: str | Path) -> pd.DataFrame:
    """Read a project list (CSV or Excel) as strings; the columns are checked by :func:`parse_fdi_projects`."""
    path = Path(path)
    if not path.exists():
        raise ImportFormatError("FDI project file not found", file=str(path))
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            df = pd.read_excel(path, dtype=str)
        else:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=["", "NA"])
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise ImportFormatError(f"could not read as CSV/Excel ({exc})", file=str(path)) from exc
    df.attrs["file"] = str(path)
    return df


def _col(df: pd.DataFrame, role: str) -> str | None:
    cols = {re.sub(r"[\s\-]", "_", str(c).strip().lower()): c for c in df.columns}
    for a in _ALIASES[role]:
        if a in cols:
            return cols[a]
    return None


def parse_fdi_projects(
    raw: pd.DataFrame, /, *, resolve: Callable[[str], tuple[str, str]]
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Check and standardise an FDI project list.

    Parameters
    ----------
    raw : DataFrame
        A project list (see module notes for columns; common aliases accepted).
    resolve : callable
        ``resolve(destination) -> (geo_code, geo_type)``; raise
        :class:`~creative_clusters.errors.UnknownCodeError` (or its subclass
        ``PlaceNotFoundError``) for unknown places, e.g. a wrapper around
        :func:`creative_clusters.workflows.places.resolve_place`.

    Returns
    -------
    (DataFrame, dict)
        Projects with ``destination, geo_code, geo_type, sector, year, type,
        jobs, valid, issue, source_row`` (source rows 2.. as in the file) and a
        report: ``rows``, ``valid``, ``set_aside`` and counts per issue.

    Raises
    ------
    ImportFormatError
        When a required column (destination, sector, year, type) is missing.
    """
    file = raw.attrs.get("file")
    cols = {r: _col(raw, r) for r in FDI_COLUMNS}
    missing = [r for r in ("destination", "sector", "year", "type") if cols[r] is None]
    if missing:
        raise ImportFormatError(
            f"FDI project list lacks columns {missing}; expected {list(FDI_COLUMNS)} (jobs optional), "
            f"got {list(raw.columns)}", file=file)
    recs = []
    for i, row in enumerate(raw.itertuples(index=False), start=2):
        r = dict(zip(raw.columns, row, strict=True))
        issues = []
        dest = str(r[cols["destination"]] or "").strip()
        code = gtype = ""
        try:
            code, gtype = resolve(dest)
        except UnknownCodeError as exc:
            issues.append(f"unknown_place: {exc}".split(";")[0])
        sec_raw = str(r[cols["sector"]] or "").strip()
        if sec_raw.lower() in ("all", "creative", "creative industries", "total", "_t"):
            sector = "_T"
        else:
            try:
                sector = dcms.subsector_short(dcms.resolve_subsector(sec_raw))
            except (UnknownCodeError, KeyError, ValueError):
                sector = ""
                issues.append(f"unknown_sector: {sec_raw!r}")
        y = re.match(r"^\s*(\d{4})", str(r[cols["year"]] or ""))
        year = int(y.group(1)) if y else None
        if year is None or not 1950 <= year <= 2100:
            issues.append(f"bad_year: {r[cols['year']]!r}")
        typ = _TYPES.get(str(r[cols["type"]] or "").strip().lower())
        if typ is None:
            issues.append(f"bad_type: {r[cols['type']]!r} (expected greenfield or M&A)")
        jobs = np.nan
        if cols["jobs"] is not None and pd.notna(r[cols["jobs"]]) and str(r[cols["jobs"]]).strip():
            try:
                jobs = float(str(r[cols["jobs"]]).replace(",", ""))
            except ValueError:
                issues.append(f"bad_jobs: {r[cols['jobs']]!r}")
        recs.append({"destination": dest, "geo_code": code, "geo_type": gtype, "sector": sector,
                     "year": year, "type": typ or "", "jobs": jobs, "valid": not issues,
                     "issue": "; ".join(issues), "source_row": i})
    out = pd.DataFrame(recs, columns=["destination", "geo_code", "geo_type", "sector", "year", "type",
                                      "jobs", "valid", "issue", "source_row"])
    report = {"rows": len(out), "valid": int(out["valid"].sum()), "set_aside": int((~out["valid"]).sum())}
    for kind in ("unknown_place", "unknown_sector", "bad_year", "bad_type", "bad_jobs"):
        report[kind] = int(out["issue"].str.contains(kind, regex=False).sum())
    return out, report


def fdi_lq(projects: pd.DataFrame, base: pd.DataFrame, /, *, weight: str | None = None) -> pd.DataFrame:
    """FDI location quotient by place against a creative base (businesses or employment).

    Parameters
    ----------
    projects : DataFrame
        Output of :func:`parse_fdi_projects` (only ``valid`` rows are used).
    base : DataFrame
        ``geo_code``, ``value``: creative businesses or employment by the same places.
    weight : str, optional
        Column to sum instead of counting projects (e.g. ``"jobs"``).

    Returns
    -------
    DataFrame
        ``geo_code, projects, fdi_share, base, base_share, fdi_lq``; places in
        ``base`` without projects get 0 projects (LQ 0). Projects in places
        absent from ``base`` raise, since the shares would not be comparable.
    """
    for c in ("geo_code", "value"):
        if c not in base.columns:
            raise SchemaError(f"fdi_lq(): base needs columns geo_code, value; got {list(base.columns)}.")
    p = projects[projects["valid"]] if "valid" in projects.columns else projects
    b = base.groupby("geo_code")["value"].sum().astype(float)
    outside = sorted(set(p["geo_code"]) - set(b.index))
    if outside:
        raise SchemaError(
            f"{len(outside)} project destination(s) {outside[:5]} are not among the base's places; "
            "aggregate the projects to the base's geography (e.g. regions) first."
        )
    n = p.groupby("geo_code")[weight].sum() if weight else p.groupby("geo_code").size()
    n = n.reindex(b.index, fill_value=0)
    total = float(n.sum())
    if total == 0:
        raise SchemaError("fdi_lq(): no valid projects to compare.")
    out = pd.DataFrame({"projects": n, "base": b})
    out["fdi_share"] = out["projects"] / total
    out["base_share"] = out["base"] / float(b.sum())
    out["fdi_lq"] = out["fdi_share"] / out["base_share"]
    return out.rename_axis("geo_code").reset_index()[["geo_code", "projects", "fdi_share", "base",
                                                       "base_share", "fdi_lq"]]
