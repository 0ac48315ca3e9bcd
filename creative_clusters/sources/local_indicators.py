"""Importer for ONS Explore Local Statistics context series (dataset ``local_indicators``).

Files (long ELS layout, read with
:func:`creative_clusters.sources.els_layout.parse_els_long`, whose
docstring gives the geography, ``geo_vintage`` and flag rules):
``employment-rate.csv``, ``engagement-with-culture-and-heritage.csv``,
``gross-value-added.csv``, ``museums.csv``. The ``.json`` files beside them are
ELS metadata; their labels, subtitles and sources go into the reference table
``local_indicator_measures``.

Measure names are ``snake_case(indicator)`` plus a unit suffix (``%`` →
``_pct``, ``£`` → ``_gbp``, "Count per 100,000 people" → ``_per_100k``):

==========================================  ===================================
indicator                                   measure
==========================================  ===================================
Employment rate                             ``employment_rate_pct``
Economically inactive                       ``economically_inactive_pct``
Engaged with the arts                       ``engaged_with_the_arts_pct``
Visited a heritage site                     ``visited_a_heritage_site_pct``
Visited a museum or gallery                 ``visited_a_museum_or_gallery_pct``
Visited a public library                    ``visited_a_public_library_pct``
Gross value added per filled job            ``gross_value_added_per_filled_job_gbp``
Gross value added per hour worked           ``gross_value_added_per_hour_worked_gbp``
museums                                     ``museums_per_100k``
==========================================  ===================================

95% confidence limits become ``<measure>_lci95`` / ``<measure>_uci95``.
Periods: calendar years ``"2023"``; the Participation Survey year
``2023-04-01/P1Y`` → ``"2023/24"``; museums are a snapshot ``"2021-09-30"``.

The dataset's vintage is the year of the latest release date (``sourceDate``)
among the metadata files read (the bundle's: GVA, released 19/06/2025 →
``"2025"``); without any, the latest calendar year of the data. A newer release
dropped into the folder is catalogued with its own year.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources._base import (
    OGL,
    DatasetSpec,
    ImportResult,
    read_csv_strict,
)
from creative_clusters.sources.els_layout import (
    CHANGES_FILE,
    ELS_COLUMNS,
    TOPO_FILE,
    load_lad_history,
    parse_els_long,
)

__all__ = ["DATASETS", "FILES", "local_indicator_measure", "read_local_indicators"]

DATASET_ID = "local_indicators"
#: CSV file → its ELS metadata file (or None).
FILES: dict[str, str | None] = {
    "local_indicators/employment-rate.csv": None,
    "local_indicators/engagement-with-culture-and-heritage.csv": (
        "local_indicators/engagement-with-culture-and-heritage.json"
    ),
    "local_indicators/gross-value-added.csv": "local_indicators/gross-value-added.json",
    "local_indicators/museums.csv": "local_indicators/museums.json",
}
_UNIT_SUFFIX = {"%": "_pct", "£": "_gbp", "count per 100,000 people": "_per_100k"}


def local_indicator_measure(indicator: str, unit: str) -> tuple[str, str]:
    """ELS indicator and unit → ``(measure, status)``; unknown units raise ``ValueError``.

    Examples
    --------
    >>> local_indicator_measure("Visited a museum or gallery", "%")
    ('visited_a_museum_or_gallery_pct', '')
    >>> local_indicator_measure("museums", "Count per 100,000 people")
    ('museums_per_100k', '')
    """
    key = unit.strip().lower()
    if key not in _UNIT_SUFFIX:
        raise ValueError(
            f"unknown unit {unit!r} for indicator {indicator!r}; expected one of "
            f"{sorted(_UNIT_SUFFIX)}"
        )
    base = re.sub(r"[^a-z0-9]+", "_", indicator.strip().lower()).strip("_")
    if not base:
        raise ValueError(f"empty indicator name {indicator!r}")
    return base + _UNIT_SUFFIX[key], ""


def _metadata(path: Path) -> dict[str, dict]:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))["ess-beta-metadata"]
    except (OSError, ValueError, KeyError) as exc:
        raise ImportFormatError(
            f"expected ELS metadata JSON with an 'ess-beta-metadata' object ({exc!r})",
            file=str(path),
        ) from exc
    return meta


def read_local_indicators(root: Path) -> ImportResult:
    """Read the four ELS local-indicator files under ``root``.

    Returns observations and the reference table ``local_indicator_measures``
    (measure, indicator, unit, label, subtitle, source_org, source_url,
    source_date, file).
    """
    root = Path(root)
    history = load_lad_history(root / TOPO_FILE, root / CHANGES_FILE)
    frames = {rel: read_csv_strict(root / rel, required=ELS_COLUMNS) for rel in FILES}
    metas = {rel: _metadata(root / meta_rel) if meta_rel else {} for rel, meta_rel in FILES.items()}
    vintage = release_year(metas.values(), frames.values())
    parts, meta_rows = [], []
    for rel, frame in frames.items():
        path = root / rel
        obs = parse_els_long(
            frame,
            file=str(path),
            dataset=DATASET_ID,
            dataset_vintage=vintage,
            measure_of=local_indicator_measure,
            history=history,
        )
        parts.append(obs)
        meta = metas[rel]
        # Single-indicator metadata sits flat under ess-beta-metadata.
        shared = meta.get("shared", meta if "label" in meta else {})
        pairs = frame[["indicator", "unit"]].drop_duplicates()
        for ind, unit in pairs.itertuples(index=False):
            m = next(
                (
                    v
                    for k, v in meta.items()
                    if isinstance(v, dict) and k.lower() == str(ind).lower()
                ),
                shared if "label" in shared else {},
            )
            src = m if "sourceOrg" in m else shared
            meta_rows.append(
                {
                    "measure": local_indicator_measure(ind, unit)[0],
                    "indicator": ind,
                    "unit": unit,
                    "label": m.get("label") or ind,
                    "subtitle": m.get("subtitle") or "",
                    "source_org": src.get("sourceOrg") or "",
                    "source_url": src.get("sourceURL") or "",
                    "source_date": src.get("sourceDate") or "",
                    "file": rel,
                }
            )
    out = pd.concat(parts, ignore_index=True)
    dup = out.duplicated(["geo_code", "geo_vintage", "status", "period", "measure"])
    if dup.any():
        r = out[dup].iloc[0]
        raise ImportFormatError(
            f"measure {r['measure']!r} for {r['geo_code']} {r['period']} comes from two files; "
            "each indicator must come from one file",
            file=str(root / "local_indicators"),
        )
    table = pd.DataFrame(meta_rows).astype("string")
    lads = out[out["geo_type"].eq("lad")].groupby("measure")["geo_code"].nunique()
    return ImportResult(
        observations=out,
        tables={"local_indicator_measures": table},
        coverage="; ".join(
            f"{m}: {n} LADs" for m, n in lads.items() if not m.endswith("95")
        ),
        vintage=vintage,
    )


def release_year(metas: Iterable[Mapping[str, Any]], frames: Iterable[pd.DataFrame]) -> str:
    """The year of the latest ``sourceDate`` (``dd/mm/yyyy``) in the ELS metadata; else the latest data year.

    Examples
    --------
    >>> release_year([{"shared": {"sourceDate": "19/06/2025"}}, {"sourceDate": "07/03/2024"}], [])
    '2025'
    >>> release_year([{}], [pd.DataFrame({"period": ["2022-01-01/P1Y", "2023-04-01/P1Y"]})])
    '2023'
    """
    years: list[int] = []
    for meta in metas:
        blocks = [meta, *(v for v in meta.values() if isinstance(v, dict))]
        for b in blocks:
            m = re.fullmatch(r"\d{1,2}/\d{1,2}/(\d{4})", str(b.get("sourceDate") or "").strip())
            if m:
                years.append(int(m.group(1)))
    if years:
        return str(max(years))
    found = [int(y) for f in frames
             for y in f["period"].fillna("").astype(str).str.extract(r"^(\d{4})")[0].dropna()]
    return str(max(found)) if found else ""


DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id=DATASET_ID,
        kind=kinds.LOCAL_INDICATORS,
        title="Local context indicators: employment rate, GVA per hour and job, cultural "
        "engagement and museums per 100,000 people",
        publisher="Office for National Statistics (Explore Local Statistics); DCMS "
        "Participation Survey; ONS Annual Population Survey",
        licence=OGL,
        source_url="https://www.ons.gov.uk/explore-local-statistics/",
        vintage="2025",  # the bundle's; an import catalogues the release year of the files read
        files=(*FILES, *(m for m in FILES.values() if m), TOPO_FILE, CHANGES_FILE),
        reader=read_local_indicators,
        keeps_history=True,
        caveats=(
            "Employment rate and inactivity are APS survey estimates with 95% confidence "
            "limits (_lci95/_uci95); small-sample cells are flagged low-reliability or "
            "suppressed ('x').",
            "GVA per hour and per job are official statistics in development; Northern "
            "Ireland 2023 per-job figures are not available (suppressed).",
            "Cultural engagement is the DCMS Participation Survey 2023/24 (England only), a "
            "survey with confidence limits.",
            "Museums per 100,000 people is a September 2021 snapshot on mixed boundary "
            "vintages (aggregated figures may differ from other publications).",
        ),
    )
]
