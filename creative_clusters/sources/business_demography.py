"""Importer for ONS Business Demography: active enterprises, births, deaths, survival.

Datasets
--------
``business_demography_<last year>`` (the bundle's: ``business_demography_2024``)
    ``business-demography.csv`` (ELS layout), all geographies in the file: the
    bundle's release holds 2019-2024. The id, title, caveats and vintage come
    from the file read (:func:`discover_datasets`): its last year names the
    dataset, and the release date (``sourceDate`` in ``business-demography.json``)
    is its vintage, so a newer release is catalogued beside the older one as
    what it is. Measures: ``active_enterprises`` (count, rounded to 5),
    ``birth_rate_pct``, ``death_rate_pct`` (% of active enterprises),
    ``high_growth_rate_pct`` (% of active enterprises with 10 or more
    employees, as ONS defines it) and ``survival_rate_pct`` with ``status`` ``"1-year"`` …
    ``"5-year"`` (period = birth year).
``business_demography_2017_2022``
    The five ``*_firmdemography_to_2022_LONG.csv`` files, LADs only, counts:
    ``active_enterprises``, ``births``, ``deaths``, ``active_10plus_enterprises``,
    ``high_growth_enterprises``.

``geo_type``, ``geo_vintage`` and disclosure flags follow the rules of the ELS
layout (:mod:`creative_clusters.sources.els_layout`, shared with
:mod:`.local_indicators`); the LAD-only firm-demography files get
``geo_vintage`` by the same rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import DataSourceError, ImportFormatError
from creative_clusters.sources._base import (
    OGL,
    DatasetSpec,
    ImportResult,
    fail_first,
    fail_rows,
    read_csv_strict,
    to_numeric_strict,
)
from creative_clusters.sources.els_layout import (
    CHANGES_FILE,
    ELS_COLUMNS,
    LAD_CODE_PATTERN,
    TOPO_FILE,
    lad_vintages,
    load_lad_history,
    parse_els_long,
)

__all__ = [
    "BD_FILE",
    "DATASETS",
    "FIRM_FILES",
    "business_demography_measure",
    "discover_datasets",
    "parse_firmdemography_long",
    "read_business_demography",
    "read_business_demography_2017_2022",
]

BD_FILE = "business_demography/business-demography.csv"
BD_JSON = "business_demography/business-demography.json"
FIRM_FILES: dict[str, str] = {
    "active_enterprises": "business_demography/active_firmdemography_to_2022_LONG.csv",
    "births": "business_demography/births_firmdemography_to_2022_LONG.csv",
    "deaths": "business_demography/deaths_firmdemography_to_2022_LONG.csv",
    "active_10plus_enterprises": "business_demography/active10plus_firmdemography_to_2022_LONG.csv",
    "high_growth_enterprises": "business_demography/highgrowth_firmdemography_to_2022_LONG.csv",
}

_BD_MEASURES = {
    "Active businesses": ("active_enterprises", ""),
    "Business births": ("birth_rate_pct", ""),
    "Business deaths": ("death_rate_pct", ""),
    "High growth businesses": ("high_growth_rate_pct", ""),
}
_SURVIVAL = re.compile(r"^(One|Two|Three|Four|Five)-year survival rate$")
_NUM = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5}


def business_demography_measure(indicator: str, unit: str = "") -> tuple[str, str]:
    """ELS business demography indicator → ``(measure, status)``.

    Examples
    --------
    >>> business_demography_measure("Three-year survival rate")
    ('survival_rate_pct', '3-year')
    >>> business_demography_measure("Active businesses")
    ('active_enterprises', '')
    """
    if indicator in _BD_MEASURES:
        return _BD_MEASURES[indicator]
    m = _SURVIVAL.match(indicator)
    if m:
        return ("survival_rate_pct", f"{_NUM[m.group(1)]}-year")
    raise ValueError(
        f"unknown business demography indicator {indicator!r}; expected one of "
        f"{[*_BD_MEASURES, 'One-year survival rate', '…', 'Five-year survival rate']}"
    )


#: The release the bundled reference data holds (its last year): the default spec when no data folder is at
#: hand (``all_datasets()`` without a root). An import reads the release in the folder instead
#: (:func:`discover_datasets`), and readers ask the catalogue for the latest, never for this.
BUNDLE_LAST_YEAR = "2024"
#: Its release date, as ``business-demography.json`` gives it (``sourceDate``).
BUNDLE_RELEASED = "2025-11-20"


def dataset_id(last_year: str | int) -> str:
    """The id of the release whose last year is ``last_year``.

    Examples
    --------
    >>> dataset_id(2025)
    'business_demography_2025'
    """
    return f"business_demography_{last_year}"


@dataclass(frozen=True)
class Release:
    """What one ``business-demography.csv`` (with its ``.json``) says of itself."""

    first: str
    last: str
    #: release date (ISO) from the metadata's ``sourceDate``, else the last year the data cover
    vintage: str
    #: LAD count per year (active enterprises), in year order
    lads: tuple[tuple[str, int], ...]

    @property
    def id(self) -> str:
        return dataset_id(self.last)


def release_date(path: Path) -> str:
    """The release date of an ELS metadata file (``ess-beta-metadata.shared.sourceDate``, ``dd/mm/yyyy``) as ISO.

    Returns ``""`` when the file gives none; a date in another form is an error naming the file.
    """
    try:
        meta = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportFormatError(f"expected ELS metadata JSON ({exc!r})", file=str(path)) from exc
    block = meta.get("ess-beta-metadata") if isinstance(meta, dict) else None
    shared = block.get("shared") if isinstance(block, dict) else None
    if not isinstance(shared, dict):
        shared = block if isinstance(block, dict) else {}
    text = str(shared.get("sourceDate") or "").strip()
    if not text:
        return ""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if not m:
        raise ImportFormatError(
            f"expected the release date sourceDate as dd/mm/yyyy, found {text!r}", file=str(path))
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"


def read_release(root: Path, frame: pd.DataFrame | None = None) -> Release:
    """The years, LAD counts and release date of the Business Demography release under ``root``.

    ``frame`` is the CSV when already read. Malformed periods are left to the
    full parse (:func:`read_business_demography`), which names their rows.
    """
    root = Path(root)
    path = root / BD_FILE
    if frame is None:
        frame = read_csv_strict(path, required=ELS_COLUMNS)
    years = frame["period"].fillna("").astype(str).str.strip().str.extract(r"^(\d{4})-01-01/P1Y$")[0]
    if years.isna().all():
        raise ImportFormatError("expected calendar-year periods like '2024-01-01/P1Y'; found none",
                                file=str(path), column="period")
    lad = (frame["areacd"].fillna("").str.strip().str.match(LAD_CODE_PATTERN)
           & frame["indicator"].fillna("").str.strip().eq("Active businesses") & years.notna())
    counts = frame[lad].assign(year=years[lad]).groupby("year")["areacd"].nunique()
    first, last = str(years.dropna().min()), str(years.dropna().max())
    released = release_date(root / BD_JSON) if (root / BD_JSON).exists() else ""
    return Release(first, last, released or last, tuple((str(y), int(n)) for y, n in counts.items()))


def read_business_demography(root: Path, dataset: str | None = None) -> ImportResult:
    """Read ``business-demography.csv`` (ELS layout) under ``root``: the dataset its years name.

    ``dataset``, when given, is the id the caller expects (a spec's); a file
    whose last year names another is an error saying so.
    """
    root = Path(root)
    path = root / BD_FILE
    frame = read_csv_strict(path, required=ELS_COLUMNS)
    rel = read_release(root, frame)
    if dataset is not None and dataset != rel.id:
        raise DataSourceError(
            f"{root / BD_FILE} holds {rel.first}-{rel.last}: dataset {rel.id!r}, not {dataset!r}. Import the "
            "folder with `creative-clusters data import DIR` (it finds the release there), or "
            f"`--only {rel.id}`."
        )
    history = load_lad_history(root / TOPO_FILE, root / CHANGES_FILE)
    obs = parse_els_long(
        frame,
        file=str(path),
        dataset=rel.id,
        dataset_vintage=rel.vintage,
        measure_of=business_demography_measure,
        history=history,
        count_flag=lambda m: "rounded" if m == "active_enterprises" else "as-published",
    )
    lads = obs[obs["geo_type"].eq("lad") & obs["measure"].eq("active_enterprises")]
    per_year = lads.groupby("period")["geo_code"].nunique()
    return ImportResult(
        observations=obs,
        coverage="UK, nations, regions, counties and LADs; active enterprises by LAD "
        + ", ".join(f"{p}: {n}" for p, n in per_year.items()),
        title=title_for(rel.first, rel.last),
        vintage=rel.vintage,
    )


def title_for(first: str, last: str) -> str:
    """The catalogue title of a release covering ``first``-``last``.

    Examples
    --------
    >>> title_for("2019", "2025")[-13:]
    'UK, 2019-2025'
    """
    return ("Business demography: active enterprises, births, deaths, high growth and survival by area, UK, "
            f"{first}-{last}")


def parse_firmdemography_long(
    frame: pd.DataFrame, measure: str, *, file: str, history: dict[str, tuple[int, int]]
) -> pd.DataFrame:
    """Turn one ``*_firmdemography_to_2022_LONG.csv`` (``code,region,year,count``) into rows."""
    frame = frame.reset_index(drop=True)
    codes = frame["code"].fillna("").str.strip()
    bad = ~codes.str.match(LAD_CODE_PATTERN) | ~codes.str.fullmatch(r"[A-Z]\d{8}")
    fail_first(
        bad,
        lambda pos: f"unknown LAD code {codes.iloc[pos]!r}; expected a LAD code matching {LAD_CODE_PATTERN}",
        file=file,
        column="code",
    )
    years = frame["year"].fillna("").str.strip()
    fail_rows(
        ~years.str.fullmatch(r"\d{4}"),
        file=file,
        column="year",
        expected="a 4-digit year",
        values=frame["year"],
        found=", found",
    )
    values = to_numeric_strict(frame["count"], file=file, column="count")
    dup = pd.DataFrame({"c": codes, "y": years}).duplicated()
    fail_first(
        dup,
        lambda pos: f"duplicate row: {codes.iloc[pos]} × {years.iloc[pos]} appears more than once",
        file=file,
    )
    vint = pd.Series("", index=frame.index, dtype="string")
    rows = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    for _, idx in years.groupby(years).groups.items():
        per_row, _g = lad_vintages(
            codes.loc[idx], history, file=file, rows=rows.loc[idx]
        )
        vint.loc[idx] = per_row
    return pd.DataFrame(
        {
            "dataset": "business_demography_2017_2022",
            "dataset_vintage": "2023",
            "geo_code": codes,
            "geo_type": "lad",
            "geo_vintage": vint,
            "industry_scheme": "",
            "industry_code": "",
            "occupation_scheme": "",
            "occupation_code": "",
            "status": "",
            "period": years,
            "measure": measure,
            "value": values,
            "disclosure_flag": "rounded",
        }
    )


def read_business_demography_2017_2022(root: Path) -> ImportResult:
    """Read the five ``*_firmdemography_to_2022_LONG.csv`` files under ``root``."""
    root = Path(root)
    history = load_lad_history(root / TOPO_FILE, root / CHANGES_FILE)
    parts = []
    for measure, rel in FIRM_FILES.items():
        path = root / rel
        frame = read_csv_strict(path, required=["code", "region", "year", "count"])
        parts.append(
            parse_firmdemography_long(frame, measure, file=str(path), history=history)
        )
    obs = pd.concat(parts, ignore_index=True)
    return ImportResult(
        observations=obs,
        coverage=f"{obs['geo_code'].nunique()} UK LADs × "
        + (f"{obs['period'].nunique()} years ({obs['period'].min()}-{obs['period'].max()})"
           if obs["period"].nunique() > 1 else f"1 year ({obs['period'].min()})") + ", 5 count measures",
    )


_ACTIVE_CAVEAT = (
    "'Active' means any turnover or employment during the year, so active enterprises run "
    "above the UK Business Counts March snapshot: a different source and year from the "
    "creative business counts (UK Business Counts). Say so wherever the two are combined."
)
_ROUNDED = "Counts are rounded to 5 by ONS."
_SURVIVAL_CAVEATS = (
    "Local survival rates can be distorted by mass registrations at one postcode "
    "(virtual offices, formation agents).",
)


def lad_sets_caveat(lads: tuple[tuple[str, int], ...]) -> str:
    """The caveat on LAD sets, with each year's LAD count.

    Examples
    --------
    >>> lad_sets_caveat((("2023", 374), ("2024", 361)))[:60]
    'LAD sets change with boundary changes (374/361 LADs for 2023'
    """
    years = [y for y, _ in lads]
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (years[0] if years else "")
    return ("LAD sets change with boundary changes ("
            + "/".join(str(n) for _, n in lads) + f" LADs for {span}); "
            "geo_vintage gives the year each period's LAD set came into force.")


def release_spec(release: Release) -> DatasetSpec:
    """The dataset of one Business Demography release (id, title, vintage and caveats from its file)."""
    ds = release.id

    def read(root: Path) -> ImportResult:
        return read_business_demography(root, ds)

    read.__name__ = f"read_{ds}"
    read.__doc__ = f"Read ``{BD_FILE}`` (dataset ``{ds}``)."
    return DatasetSpec(
        id=ds,
        kind=kinds.ACTIVE_ENTERPRISES,
        title=title_for(release.first, release.last),
        publisher="Office for National Statistics (via ONS Explore Local Statistics)",
        licence=OGL,
        source_url="https://www.ons.gov.uk/businessindustryandtrade/business/"
        "activitysizeandlocation/bulletins/businessdemography/previousreleases",
        vintage=release.vintage,
        files=(BD_FILE, BD_JSON, TOPO_FILE, CHANGES_FILE),
        reader=read,
        caveats=(
            _ACTIVE_CAVEAT,
            _ROUNDED,
            lad_sets_caveat(release.lads),
            *_SURVIVAL_CAVEATS,
            "Birth and death rates are percentages of active enterprises; the high-growth rate is a "
            "percentage of active enterprises with 10 or more employees (ONS's definition); "
            "survival rates are % of enterprises born in the period year still active "
            "1-5 years later (status '1-year' … '5-year'); deaths for the latest years "
            "are provisional.",
        ),
        keeps_history=True,
    )


#: The bundle's release as its README describes it (LADs per year 2019-2024), for the default spec.
_BUNDLE = Release("2019", BUNDLE_LAST_YEAR, BUNDLE_RELEASED,
                  (("2019", 382), ("2020", 379), ("2021", 374), ("2022", 374), ("2023", 374), ("2024", 361)))

HISTORY_SPEC = DatasetSpec(
    id="business_demography_2017_2022",
    kind=kinds.BUSINESS_DEMOGRAPHY_HISTORY,
    title="Business demography: active, births, deaths, 10+ employee and high-growth "
    "enterprises by LAD, UK, 2017-2022",
    publisher="Office for National Statistics",
    licence=OGL,
    source_url="https://www.ons.gov.uk/businessindustryandtrade/business/"
    "activitysizeandlocation/datasets/businessdemographyreferencetable",
    vintage="2023",
    files=(*FIRM_FILES.values(), TOPO_FILE, CHANGES_FILE),
    reader=read_business_demography_2017_2022,
    caveats=(
        _ACTIVE_CAVEAT,
        _ROUNDED,
        "All years are on the LAD 2021/22 set of 374 LADs.",
        "Counts (not rates): births, deaths and high-growth enterprises are numbers of enterprises.",
    ),
    keeps_history=True,
)


def discover_datasets(root: Path) -> list[DatasetSpec]:
    """The release in ``root`` (named by its last year, dated by its metadata), and the 2017-2022 files.

    A folder whose file cannot be read gets the bundle's spec, whose import
    then names the fault.
    """
    try:
        release = read_release(Path(root))
    except (ImportFormatError, OSError, ValueError):
        release = _BUNDLE
    return [release_spec(release), HISTORY_SPEC]


#: Without a data folder at hand: the bundle's release. ``data import`` reads the folder's instead.
DATASETS: list[DatasetSpec] = [release_spec(_BUNDLE), HISTORY_SPEC]
