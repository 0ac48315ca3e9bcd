"""Reader of the long "Explore Local Statistics" (ELS) layout of ONS local statistics.

One row per area × indicator × period (columns :data:`ELS_COLUMNS`), as
published for Business Demography (:mod:`.business_demography`) and the local
indicators (:mod:`.local_indicators`). :func:`parse_els_long` turns such a
table into observation rows; the caller names the measures.

Geography rules
---------------
``geo_type`` follows the GSS code, never the ``geography`` label (E06 unitaries
are labelled "County or Unitary Authority"): ``K02`` → ``uk``; ``E92/W92/S92/N92``
→ ``ctry``; ``E12`` → ``rgn``; ``E47/N34/W42`` (combined authorities and city
regions) → ``cauth``; ``E10`` (counties) → ``utla``; ``E06/E07/E08/E09/W06/S12/N09``
→ ``lad``; ``K03/K04/K99`` (GB, E&W, UK less extra-regio), ``E11`` (met
counties), ``E13`` (Inner/Outer London) and ``TL*`` (ITL1/ITL2) → ``custom``.
Other codes are an error.

``geo_vintage`` (boundary year) is worked out from the data, per file and
period (all LAD codes published for that period), using the LAD code history
in ``geography/uk_topo.json`` (``start``/``end`` years of each LAD code),
completed from ``geography/changes.csv``: the vintage is the **first year in
which every LAD code of that group was in use together** (the year that LAD
set came into force; a file that covers only some nations still gets the year
of its newest code). So business demography 2019 → "2019" (382 LADs), 2020 →
"2020" (379), 2021-2023 → "2021" (374, the LAD 2021 = 2022 set), 2024 →
"2023" (361). When a group mixes codes that never co-existed (e.g. museums
2021 mixes pre-2023 Cumbrian districts with post-2025 Barnsley) each LAD row
gets its own code's latest year in use, capped at the newest set present.
Non-LAD rows get the group's vintage.

Flags: ``status`` ``x`` or notes "Data not available" → ``suppressed`` (NaN);
``u`` → ``low-reliability``; notes saying the estimate is "unreliable" →
``low-reliability`` (value kept). Other notes ("Obsolete code since …",
"aggregated …") are information only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from creative_clusters.errors import ImportFormatError
from creative_clusters.geography.hierarchy import LAD_PREFIXES
from creative_clusters.sources._base import fail_first, first_position, read_csv_strict, to_numeric_strict

__all__ = [
    "CHANGES_FILE",
    "ELS_COLUMNS",
    "LAD_CODE_PATTERN",
    "TOPO_FILE",
    "geo_type_of",
    "lad_vintages",
    "load_lad_history",
    "parse_els_long",
    "parse_els_period",
]

ELS_COLUMNS = [
    "areacd",
    "areanm",
    "geography",
    "indicator",
    "period",
    "observation",
    "measure",
    "unit",
    "lci_95",
    "uci_95",
    "status",
    "notes",
]
#: LAD codes are selected by prefix, not by the ``geography`` label.
LAD_CODE_PATTERN = "^(" + "|".join(LAD_PREFIXES) + ")"
TOPO_FILE = "geography/uk_topo.json"
CHANGES_FILE = "geography/changes.csv"

_PREFIX_TYPES = {
    "K02": "uk",
    "E92": "ctry",
    "W92": "ctry",
    "S92": "ctry",
    "N92": "ctry",
    "E12": "rgn",
    "E47": "cauth",
    "N34": "cauth",
    "W42": "cauth",
    "E10": "utla",
    **dict.fromkeys(LAD_PREFIXES, "lad"),
    "K03": "custom",
    "K04": "custom",
    "K99": "custom",
    "E11": "custom",
    "E13": "custom",
}
_ORIGIN = 2014  # first year of the topology file's history


def geo_type_of(code: str) -> str | None:
    """The ``geo_type`` of a GSS (or ITL) code, or ``None`` when unknown.

    Examples
    --------
    >>> geo_type_of("E06000002"), geo_type_of("E12000007"), geo_type_of("TLI"), geo_type_of("X1")
    ('lad', 'rgn', 'custom', None)
    """
    code = str(code).strip()
    if re.fullmatch(r"TL[A-N][0-9A-Z]{0,2}", code):
        return "custom"
    if not re.fullmatch(r"[A-Z]\d{8}", code):
        return None
    return _PREFIX_TYPES.get(code[:3])


def parse_els_period(text: str) -> str:
    """Turn an ELS period into the observation ``period`` string.

    ``YYYY-01-01/P1Y`` → ``"YYYY"``; ``YYYY-04-01/P1Y`` → financial year
    ``"YYYY/YY"``; a plain date stays as it is. Raises ``ValueError`` otherwise.

    Examples
    --------
    >>> parse_els_period("2021-01-01/P1Y"), parse_els_period("2023-04-01/P1Y")
    ('2021', '2023/24')
    >>> parse_els_period("2021-09-30")
    '2021-09-30'
    """
    t = str(text).strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})/P1Y", t)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if (mo, d) == ("01", "01"):
            return str(y)
        if (mo, d) == ("04", "01"):
            return f"{y}/{(y + 1) % 100:02d}"
        return t
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t) or re.fullmatch(r"\d{4}", t):
        return t
    raise ValueError(
        f"expected a period like '2021-01-01/P1Y', '2023-04-01/P1Y' or '2021-09-30', got {text!r}"
    )


def load_lad_history(
    path: Path, changes: Path | None = None
) -> dict[str, tuple[int, int]]:
    """LAD code → (first year, last year) in use.

    Read from the ONS UK TopoJSON ``ltla`` layer (``start``/``end``; missing
    means "before 2014" / "still in use", 9999), completed from the code-change
    list ``changes`` (``oldcd,newcd,type,start``): a LAD recode or boundary
    change (``new_code``/``new_geo``) whose new code the layer lacks adds the
    new code from ``start`` and ends the old one the year before (the layer
    lists Glasgow and North Lanarkshire only under their pre-2019 codes).
    """
    path = Path(path)
    if not path.exists():
        raise ImportFormatError(
            "file not found; the LAD code history (ONS uk-topojson) is needed to set "
            "geo_vintage",
            file=str(path),
        )
    try:
        topo = json.loads(path.read_text(encoding="utf-8"))
        geoms = topo["objects"]["ltla"]["geometries"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ImportFormatError(
            f"expected a TopoJSON with an 'ltla' layer ({exc!r})", file=str(path)
        ) from exc
    out: dict[str, tuple[int, int]] = {}
    for g in geoms:
        p = g.get("properties") or {}
        if "areacd" not in p:
            continue
        out[str(p["areacd"])] = (
            int(p.get("start") or _ORIGIN),
            int(p.get("end") or 9999),
        )
    if changes is None:
        return out
    ch = read_csv_strict(changes, required=["oldcd", "newcd", "type", "start"])
    years = to_numeric_strict(ch["start"], file=str(changes), column="start")
    lad = re.compile(LAD_CODE_PATTERN)
    for old, new, kind, year in zip(
        ch["oldcd"].fillna(""),
        ch["newcd"].fillna(""),
        ch["type"].fillna(""),
        years.astype(int),
        strict=True,
    ):
        if kind not in ("new_code", "new_geo") or not (
            lad.match(old) and lad.match(new)
        ):
            continue
        if new in out:
            continue
        first, last = out.get(old, (_ORIGIN, 9999))
        out[new] = (int(year), last)
        if old in out:
            out[old] = (first, min(last, int(year) - 1))
    return out


def lad_vintages(
    codes: pd.Series, history: dict[str, tuple[int, int]], *, file: str, rows: pd.Series
) -> tuple[pd.Series, str]:
    """Per-row vintage for the LAD rows of one group, and the group vintage."""
    unknown = ~codes.isin(list(history))
    if unknown.any():
        pos = first_position(unknown)
        raise ImportFormatError(
            f"LAD code {codes.iloc[pos]!r} is not a known LAD code (2014-2025) in {TOPO_FILE}",
            file=file,
            row=int(rows.iloc[pos]),
            column="areacd",
        )
    starts = codes.map(lambda c: history[c][0])
    ends = codes.map(lambda c: history[c][1])
    lo, hi = int(starts.max()), int(ends.min())
    if lo <= hi:
        return pd.Series(str(lo), index=codes.index, dtype="string"), str(lo)
    per_row = np.minimum(ends.to_numpy(), lo).astype(int).astype(str)
    return pd.Series(per_row, index=codes.index, dtype="string"), str(lo)


def _flags(frame: pd.DataFrame, *, file: str) -> tuple[pd.Series, pd.Series]:
    """(value, disclosure_flag) per row from observation/status/notes."""
    status = frame["status"].fillna("").str.strip().str.lower()
    notes = frame["notes"].fillna("").str.lower()
    bad = ~status.isin(["", "x", "u", "c"])
    fail_first(
        bad,
        lambda pos: (
            f"unknown status marker {frame['status'].iloc[pos]!r}; expected '', 'x' "
            "(not available), 'c' (confidential) or 'u' (unreliable)"
        ),
        file=file,
        column="status",
    )
    suppressed = status.isin(["x", "c"]) | notes.str.contains(
        "not available", regex=False
    )
    lowrel = status.eq("u") | notes.str.contains("unreliable", regex=False)
    obs = frame["observation"]
    allow_missing = suppressed | lowrel
    # Missing observations are only allowed where a marker says why.
    missing = obs.isna() | obs.fillna("").str.strip().eq("")
    bad_missing = missing & ~allow_missing
    fail_first(
        bad_missing,
        "expected a number but the cell is empty and no status marker ('x', 'u') says why",
        file=file,
        column="observation",
    )
    values = to_numeric_strict(obs, file=file, column="observation", allow_missing=True)
    flag = pd.Series("as-published", index=frame.index, dtype="string")
    flag[lowrel] = "low-reliability"
    flag[suppressed] = "suppressed"
    values = values.where(~suppressed, np.nan)
    return values, flag


def parse_els_long(
    frame: pd.DataFrame,
    *,
    file: str,
    dataset: str,
    dataset_vintage: str,
    measure_of: Callable[[str, str], tuple[str, str]],
    history: dict[str, tuple[int, int]],
    count_flag: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Turn an ELS long table into observation rows.

    Parameters
    ----------
    frame : DataFrame
        The CSV as text, columns :data:`ELS_COLUMNS`.
    file, dataset, dataset_vintage : str
        For messages and row labels.
    measure_of : callable
        ``(indicator, unit) -> (measure, status)``; raise ``ValueError`` for an
        unknown indicator.
    history : dict
        LAD code history (:func:`load_lad_history`), for ``geo_vintage``.
    count_flag : callable, optional
        ``measure -> flag`` for rows published as-is (e.g. ``"rounded"`` for
        counts rounded to 5).

    Rows that repeat an area × indicator × period under a second ``geography``
    label with identical numbers are merged (ELS lists combined authorities
    that are also ITL2 areas twice); exact duplicate rows, or repeats with
    different numbers, are an error. ``lci_95``/``uci_95`` become measures
    ``<measure>_lci95``/``<measure>_uci95``.
    """
    frame = frame.reset_index(drop=True)
    rows = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    codes = frame["areacd"].fillna("").str.strip()
    types = codes.map({c: geo_type_of(c) for c in codes.unique()})
    fail_first(
        types.isna(),
        lambda pos: (
            f"unknown area code {codes.iloc[pos]!r}; expected a GSS code such as "
            "'E06000002' (LAD), 'E12000007' (region) or 'K02000001' (UK)"
        ),
        file=file,
        column="areacd",
    )
    # Parse each distinct period and indicator once; errors name the first row using it.
    period_text = frame["period"].fillna("").astype(str)
    period_map = {}
    for p in period_text.unique():
        try:
            period_map[p] = parse_els_period(p)
        except ValueError as exc:
            pos = first_position(period_text.eq(p))
            raise ImportFormatError(
                str(exc), file=file, row=pos + 2, column="period"
            ) from None
    periods = period_text.map(period_map)
    pair = (
        frame["indicator"].fillna("").astype(str).str.strip()
        + "\x1f"
        + (frame["unit"].fillna("").astype(str).str.strip())
    )
    pair_map = {}
    for key in pair.unique():
        ind, unit = key.split("\x1f")
        try:
            pair_map[key] = measure_of(ind, unit)
        except ValueError as exc:
            pos = first_position(pair.eq(key))
            raise ImportFormatError(
                str(exc), file=file, row=pos + 2, column="indicator"
            ) from None
    measures = pair.map(lambda k: pair_map[k][0])
    statuses = pair.map(lambda k: pair_map[k][1])
    values, flags = _flags(frame, file=file)
    lci = to_numeric_strict(
        frame["lci_95"], file=file, column="lci_95", allow_missing=True
    )
    uci = to_numeric_strict(
        frame["uci_95"], file=file, column="uci_95", allow_missing=True
    )
    work = pd.DataFrame(
        {
            "code": codes,
            "geo_type": types,
            "period": periods,
            "measure": measures,
            "status": statuses,
            "value": values,
            "flag": flags,
            "lci": lci,
            "uci": uci,
            "row": rows,
            "label": frame["geography"].fillna(""),
        }
    )

    # Duplicates: exact copies are an error; the same numbers under another label merge.
    exact = frame.duplicated(keep="first")
    fail_first(
        exact,
        lambda pos: (
            f"duplicate row: {codes.iloc[pos]} × {frame['indicator'].iloc[pos]!r} × "
            f"{frame['period'].iloc[pos]!r} appears twice with identical content"
        ),
        file=file,
    )
    key = ["code", "period", "measure", "status"]
    rep = work.duplicated(key, keep=False)
    if rep.any():
        grp = work[rep].groupby(key, dropna=False)
        nuniq = grp[["value", "lci", "uci", "flag"]].nunique(dropna=False)
        conflict = nuniq.gt(1).any(axis=1)
        if conflict.any():
            k = conflict[conflict].index[0]
            first = work[rep].set_index(key).loc[[k], "row"]
            raise ImportFormatError(
                f"area {k[0]} × {k[2]} × {k[1]} appears more than once with different "
                f"values (rows {first.tolist()}); expected one observation",
                file=file,
                row=int(first.iloc[-1]),
            )
        work = work.drop_duplicates(key, keep="first")

    # geo_vintage per period: all LAD codes published for that period in this file.
    work["geo_vintage"] = pd.Series("", index=work.index, dtype="string")
    for _, idx in work.groupby("period").groups.items():
        g = work.loc[idx]
        is_lad = g["geo_type"].eq("lad")
        if is_lad.any():
            per_row, group_v = lad_vintages(
                g.loc[is_lad, "code"], history, file=file, rows=g.loc[is_lad, "row"]
            )
            work.loc[per_row.index, "geo_vintage"] = per_row
            work.loc[g.index[~is_lad.to_numpy()], "geo_vintage"] = group_v

    if count_flag is not None:
        plain = work["flag"].eq("as-published")
        work.loc[plain, "flag"] = work.loc[plain, "measure"].map(count_flag)

    base = pd.DataFrame(
        {
            "dataset": dataset,
            "dataset_vintage": dataset_vintage,
            "geo_code": work["code"],
            "geo_type": work["geo_type"],
            "geo_vintage": work["geo_vintage"],
            "industry_scheme": "",
            "industry_code": "",
            "occupation_scheme": "",
            "occupation_code": "",
            "status": work["status"],
            "period": work["period"],
            "measure": work["measure"],
            "value": work["value"],
            "disclosure_flag": work["flag"],
        }
    )
    parts = [base]
    for col, suffix in (("lci", "_lci95"), ("uci", "_uci95")):
        has = work[col].notna()
        if has.any():
            ci = base[has].copy()
            ci["measure"] = ci["measure"] + suffix
            ci["value"] = work.loc[has, col].to_numpy()
            ci.loc[ci["disclosure_flag"].eq("suppressed"), "disclosure_flag"] = (
                "as-published"
            )
            parts.append(ci)
    return pd.concat(parts, ignore_index=True)
