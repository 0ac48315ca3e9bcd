"""The growth-potential framework: a versioned YAML config and the pure
functions that turn warehouse observations into one value per place and
indicator.

A framework is ``dimension -> indicators -> source -> direction -> weight``
(see ``frameworks/growth_potential_v1.yaml`` for the fields). Indicators whose
``source`` is ``null`` have no data in the reference bundle; they stay in
every table as **gaps** (NaN), never as zeros.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters._yaml import safe_load
from creative_clusters.config import DEFAULT_FRAMEWORK
from creative_clusters.errors import ParameterError, SchemaError
from creative_clusters.people.workforce import DEFAULT_DIVISIONS

__all__ = [
    "CREATIVE_DIVISIONS",
    "UK_SERIES_COLUMNS",
    "Dimension",
    "Framework",
    "Indicator",
    "framework_key",
    "growth_ends",
    "indicator_periods",
    "indicator_table",
    "indicator_values",
    "load_framework",
    "rate_counts",
    "rate_intervals",
]

#: SIC 2007 divisions that hold most DCMS creative classes (Census TS060 is
#: 2-digit only). 58 publishing, 59 film/video/music, 60 broadcasting,
#: 62 computer programming, 73 advertising, 74 design/photography/translation,
#: 90 creative arts, 91 libraries/museums. 70 and 71 are left out: 7021 and
#: 7111 are small parts of management consultancy and engineering.
CREATIVE_DIVISIONS: tuple[str, ...] = DEFAULT_DIVISIONS

#: Columns of the annual series' table of LADs an indicator can be ranked on outside England (``uk_series``):
#: the count in the series' latest year, and the count and business LQ against the UK in the latest year with
#: active enterprises (:func:`creative_clusters.workflows.pack_series.pack_series_lads`).
UK_SERIES_COLUMNS: tuple[str, ...] = ("latest", "businesses", "business_lq_uk")

#: Units of gap indicators (no source yet) that are counts or totals, summed over areas.
ADDITIVE_UNITS = ("enterprises", "providers", "jobs", "graduates", "GBP")

_TRANSFORMS = {
    "value", "sum_creative", "creative_lq", "subsector_diversity", "per_1000_active",
    "growth_pct", "creative_div_share", "count_in_place",
}


@dataclass(frozen=True)
class Indicator:
    """One indicator of the framework."""

    id: str
    label: str
    dimension: str
    direction: str
    weight: float
    unit: str = ""
    source: dict[str, Any] | None = None
    caveat: str = ""
    how_to_get: str = ""
    #: False where the publisher says the figures are not comparable between the UK's nations (museums per
    #: head, on census populations of different dates): the indicator is then ranked within a nation only,
    #: never across the UK (:func:`creative_clusters.benchmarking.nations.uk_wide_indicators`).
    comparable_across_nations: bool = True
    #: Why not, in the publisher's terms (required with ``comparable_across_nations: false``).
    nations_caveat: str = ""
    #: The column of the UK-wide annual-series scale table (one row per UK local authority; e.g.
    #: ``businesses``, ``business_lq_uk``) that gives this indicator in the rankings that reach beyond
    #: England's benchmark base: within Wales, Scotland or Northern Ireland and across the UK, where the
    #: indicator's own source covers England only. "" for none. Every place of such a ranking then reads
    #: the one source (:func:`creative_clusters.benchmarking.nations.with_series`).
    uk_series: str = ""
    #: What the series column is, for the ranking's note (required with ``uk_series``).
    uk_series_caveat: str = ""
    #: The label and caveat as the framework file writes them, where they hold ``{vintage}``: the year of
    #: the dataset that serves the indicator, filled in by :meth:`Framework.with_vintages` ("" otherwise).
    label_template: str = ""
    caveat_template: str = ""

    @property
    def has_source(self) -> bool:
        """False for indicators the bundle has no data for."""
        return self.source is not None

    @property
    def dataset(self) -> str | None:
        """Dataset id (or reference table) the indicator is read from."""
        return None if self.source is None else self.source.get("dataset")

    @property
    def additive(self) -> bool:
        """True for a count that sums over areas (a group's value is the sum of its members').

        Rates, ratios, levels per head (GVA per hour) and scores are not additive.
        """
        if self.source is not None:
            return self.source.get("transform") in ("sum_creative", "count_in_place")
        return self.unit in ADDITIVE_UNITS


@dataclass(frozen=True)
class Dimension:
    """A dimension: a title, a weight and its indicators."""

    id: str
    title: str
    weight: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Framework:
    """A parsed, validated framework."""

    id: str
    version: str
    title: str
    dimensions: tuple[Dimension, ...]
    method_note: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def indicators(self) -> list[Indicator]:
        """All indicators in framework order."""
        return [i for d in self.dimensions for i in d.indicators]

    def indicator(self, indicator_id: str) -> Indicator:
        """Look up one indicator by id."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise ParameterError(
            f"framework {self.id!r} has no indicator {indicator_id!r}; it has "
            f"{[i.id for i in self.indicators]}"
        )

    @property
    def directions(self) -> dict[str, str]:
        """Indicator id -> ``higher`` / ``lower``."""
        return {i.id: i.direction for i in self.indicators}

    def with_vintages(self, vintages: Mapping[str, str]) -> Framework:
        """The framework with ``{vintage}`` in labels and caveats filled from the datasets serving them.

        ``vintages`` maps a source dataset (kind) to the catalogue vintage of
        the dataset that serves it; its year is written (``"2025-11-20"`` →
        ``2025``). Without one the placeholder is dropped, as :func:`load_framework` leaves it.

        Examples
        --------
        >>> fw = load_framework()
        >>> fw.indicator("imd_score").label
        'Index of Multiple Deprivation, average score'
        >>> fw.with_vintages({"deprivation_england": "2028"}).indicator("imd_score").label
        'Index of Multiple Deprivation 2028, average score'
        """
        import dataclasses

        def fill(template: str, ds: str | None) -> str:
            v = str(vintages.get(ds or "", "") or "")
            return _fill_vintage(template, v[:4] if v[:4].isdigit() else v)

        dims = []
        for d in self.dimensions:
            inds = tuple(
                dataclasses.replace(
                    i,
                    label=fill(i.label_template, i.dataset) if i.label_template else i.label,
                    caveat=fill(i.caveat_template, i.dataset) if i.caveat_template else i.caveat,
                )
                for i in d.indicators
            )
            dims.append(dataclasses.replace(d, indicators=inds))
        return dataclasses.replace(self, dimensions=tuple(dims))

    @property
    def datasets(self) -> list[str]:
        """Every dataset id the framework reads, sorted."""
        out: set[str] = set()
        for ind in self.indicators:
            if ind.source:
                out.add(ind.source["dataset"])
                den = ind.source.get("denominator")
                if den:
                    out.add(den["dataset"])
        return sorted(out)


def _fill_vintage(template: str, vintage: str) -> str:
    """``template`` with ``{vintage}`` replaced; an empty vintage drops the placeholder and the space before it.

    Examples
    --------
    >>> _fill_vintage("Index {vintage}, score", "2025"), _fill_vintage("Index {vintage}, score", "")
    ('Index 2025, score', 'Index, score')
    """
    if vintage:
        return template.replace("{vintage}", vintage)
    return re.sub(r" ?\{vintage\}", "", template)


def _parse(raw: Any, source: str) -> Framework:
    if not isinstance(raw, dict) or "dimensions" not in raw:
        raise SchemaError(f"{source}: expected a mapping with 'id', 'version' and 'dimensions'")
    for k in ("id", "version", "title"):
        if k not in raw:
            raise SchemaError(f"{source}: missing top-level field {k!r}")
    dims: list[Dimension] = []
    seen: set[str] = set()
    for d in raw["dimensions"]:
        for k in ("id", "title", "weight", "indicators"):
            if k not in d:
                raise SchemaError(f"{source}: dimension {d.get('id', '?')!r} lacks {k!r}")
        w = d["weight"]
        if isinstance(w, bool) or not isinstance(w, (int, float)) or w < 0:
            raise SchemaError(f"{source}: dimension {d['id']!r}: weight must be a number >= 0 (how much the "
                              f"dimension counts in the overall score); got {w!r}")
        inds = []
        for i in d["indicators"]:
            where = f"{source}: indicator {i.get('id', '?')!r}"
            for k in ("id", "label", "direction", "weight", "source"):
                if k not in i:
                    raise SchemaError(f"{where} lacks {k!r}")
            if i["id"] in seen:
                raise SchemaError(f"{where} appears twice")
            seen.add(i["id"])
            if i["direction"] not in ("higher", "lower"):
                raise SchemaError(f"{where}: direction must be 'higher' or 'lower', got {i['direction']!r}")
            if isinstance(i["weight"], bool) or not isinstance(i["weight"], (int, float)) or i["weight"] < 0:
                raise SchemaError(f"{where}: weight must be a number >= 0; got {i['weight']!r}")
            src = i["source"]
            if src is not None:
                if "dataset" not in src:
                    raise SchemaError(f"{where}: source needs 'dataset' (or write source: null for a gap)")
                tr = src.get("transform", "value")
                if tr not in _TRANSFORMS:
                    raise SchemaError(f"{where}: unknown transform {tr!r}; use one of {sorted(_TRANSFORMS)}")
                if tr != "count_in_place" and "measure" not in src:
                    raise SchemaError(f"{where}: source needs 'measure'")
                span = src.get("span_years")
                if span is not None and (tr != "growth_pct" or not isinstance(span, int) or span < 1):
                    raise SchemaError(f"{where}: span_years must be a whole number of years >= 1, with "
                                      f"transform growth_pct; got {span!r} with transform {tr!r}")
            elif not i.get("how_to_get"):
                raise SchemaError(f"{where}: a gap (source: null) must say how_to_get the data")
            comparable = i.get("comparable_across_nations", True)
            if not isinstance(comparable, bool):
                raise SchemaError(f"{where}: comparable_across_nations must be true or false, got {comparable!r}")
            if not comparable and not str(i.get("nations_caveat", "")).strip():
                raise SchemaError(f"{where}: comparable_across_nations: false needs a nations_caveat saying why "
                                  "(in the publisher's terms)")
            uk_series = i.get("uk_series") or ""
            if uk_series not in ("", *UK_SERIES_COLUMNS) or (uk_series and not str(i.get("uk_series_caveat",
                                                                                           "")).strip()):
                raise SchemaError(f"{where}: uk_series must be one of {list(UK_SERIES_COLUMNS)} (columns of the "
                                  "annual series' table of LADs) and come with a uk_series_caveat saying what it "
                                  f"is; got uk_series={uk_series!r}")
            inds.append(
                Indicator(
                    id=i["id"], label=_fill_vintage(str(i["label"]), ""), dimension=d["id"],
                    direction=i["direction"],
                    weight=float(i["weight"]), unit=str(i.get("unit", "")), source=src,
                    caveat=_fill_vintage(str(i.get("caveat", "")), ""), how_to_get=str(i.get("how_to_get", "")),
                    label_template=str(i["label"]) if "{vintage}" in str(i["label"]) else "",
                    caveat_template=str(i.get("caveat", "")) if "{vintage}" in str(i.get("caveat", "")) else "",
                    comparable_across_nations=comparable,
                    nations_caveat=" ".join(str(i.get("nations_caveat", "")).split()),
                    uk_series=uk_series, uk_series_caveat=" ".join(str(i.get("uk_series_caveat", "")).split()),
                )
            )
        dims.append(Dimension(d["id"], d["title"], float(d["weight"]), tuple(inds)))
    return Framework(
        id=raw["id"], version=str(raw["version"]), title=raw["title"], dimensions=tuple(dims),
        method_note=" ".join(str(raw.get("method_note", "")).split()), raw=raw,
    )


def framework_key(name: str | Path = DEFAULT_FRAMEWORK) -> str:
    """What identifies a framework in a cache key: a packaged name as it is, a YAML file by its content.

    An edit of a user's file gives a new key (its name would not).

    Examples
    --------
    >>> framework_key("growth_potential_v1")
    'growth_potential_v1'
    """
    p = Path(name)
    if p.suffix in (".yaml", ".yml") and p.is_file():
        import hashlib

        return "file-" + hashlib.sha256(p.read_bytes()).hexdigest()[:16]
    return str(name)


def load_framework(name: str | Path = DEFAULT_FRAMEWORK) -> Framework:
    """Load a framework by packaged name or from a YAML path.

    Examples
    --------
    >>> fw = load_framework()
    >>> [d.id for d in fw.dimensions]
    ['scale', 'dynamism', 'skills', 'innovation', 'enabling']
    """
    p = Path(name)
    if p.suffix in (".yaml", ".yml"):
        if not p.is_file():
            raise ParameterError(f"no framework file {str(p)!r}; give the path of a YAML file (start from a copy of "
                                 "the packaged creative_clusters/benchmarking/frameworks/growth_potential_v1.yaml) "
                                 "or a packaged name such as 'growth_potential_v1'")
        import yaml

        try:
            raw = safe_load(p.read_text("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SchemaError(f"{p}: not a readable YAML framework ({exc}); fix the file, starting from a copy of "
                              "the packaged growth_potential_v1.yaml") from exc
        return _parse(raw, str(p))
    res = resources.files("creative_clusters.benchmarking").joinpath("frameworks", f"{name}.yaml")
    if not res.is_file():
        raise ParameterError(
            f"no framework {name!r}; packaged frameworks are named like 'growth_potential_v1', "
            "or give a path to a .yaml file"
        )
    return _parse(safe_load(res.read_text("utf-8")), f"{name}.yaml")


# --------------------------------------------------------------- values
def _pick_measure(obs: pd.DataFrame, src: Mapping[str, Any]) -> pd.DataFrame:
    measures = src["measure"]
    cands = [measures] if isinstance(measures, str) else list(measures)
    have = set(obs["measure"].unique()) if len(obs) else set()
    for m in cands:
        if m in have:
            return obs[obs["measure"] == m]
    pat = src.get("measure_pattern")
    if pat:
        rx = re.compile(pat, re.I)
        hits = sorted(m for m in have if rx.search(str(m))
                      and not str(m).endswith(("_lci95", "_uci95")))
        if hits:
            return obs[obs["measure"] == hits[0]]
    return obs.iloc[0:0]


def _filter(obs: pd.DataFrame, src: Mapping[str, Any], geo_type: str | None) -> pd.DataFrame:
    out = _pick_measure(obs, src)
    for col, val in (src.get("filters") or {}).items():
        out = out[out[col].isin(val if isinstance(val, list) else [val])]
    if geo_type is not None and len(out):
        out = out[out["geo_type"] == geo_type]
    return out


def _latest(obs: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    if obs.empty:
        return obs
    if period and period != "latest":
        return obs[obs["period"] == period]
    return obs[obs["period"] == obs["period"].max()]


def _one_per_geo(obs: pd.DataFrame, what: str) -> pd.Series:
    """One value per geo_code; if breakdowns remain, take the first status/industry."""
    if obs.empty:
        return pd.Series(dtype="float64")
    if obs.duplicated(["geo_code", "geo_vintage"]).any():
        keys = ["status", "industry_code", "occupation_code"]
        first = obs.sort_values(keys).drop_duplicates("geo_code")
        chosen = first[keys].iloc[0].to_dict()
        warnings.warn(
            f"{what}: several rows per place after filtering; using {chosen}. "
            "Add source.filters to the framework to choose explicitly.",
            stacklevel=3,
        )
        key = obs[keys].eq(pd.Series(chosen)).all(axis=1)
        obs = obs[key]
    if obs["geo_code"].duplicated().any():  # same code on several boundary vintages: take the latest
        obs = obs.sort_values("geo_vintage", ascending=False).drop_duplicates("geo_code")
    return obs.set_index("geo_code")["value"].astype("float64")


def _creative_by_class(obs: pd.DataFrame) -> pd.DataFrame:
    """Creative SIC 2007 class rows (or DCMS_CI sub-sector rows) with a sub-sector column."""
    from creative_clusters.classifications import dcms

    sic = obs[(obs["industry_scheme"] == "SIC2007") & obs["industry_code"].isin(dcms.creative_classes())]
    if len(sic):
        sic = sic.copy()
        short = {c: dcms.subsector_short(dcms.subsector_of(c)) for c in sic["industry_code"].unique()}
        sic["subsector"] = sic["industry_code"].map(short)
        return sic
    ci = obs[(obs["industry_scheme"] == "DCMS_CI") & (obs["industry_code"] != "_T")].copy()
    ci["subsector"] = ci["industry_code"]
    return ci


def creative_enterprises_by_subsector(obs: pd.DataFrame) -> pd.DataFrame:
    """Wide table geo_code x sub-sector of creative counts (NaN kept as NaN).

    A sub-sector total is NaN only when every class in it is NaN (suppressed).
    """
    rows = _creative_by_class(obs)
    if rows.empty:
        return pd.DataFrame()
    # vectorised equivalent of pivot_table(aggfunc=sum(min_count=1)) (all-NaN rows/columns dropped)
    wide = (rows.astype({"geo_code": str, "subsector": str})
            .groupby(["geo_code", "subsector"], sort=True)["value"].sum(min_count=1).unstack("subsector"))
    wide.columns.name = "subsector"
    return wide.dropna(how="all").dropna(axis=1, how="all")


def _sum_creative(obs: pd.DataFrame) -> pd.Series:
    wide = creative_enterprises_by_subsector(obs)
    if not wide.empty:
        return wide.sum(axis=1, min_count=1)
    tot = obs[(obs["industry_scheme"] == "DCMS_CI") & (obs["industry_code"] == "_T")]
    return tot.set_index("geo_code")["value"].astype("float64")


def indicator_values(
    framework: Framework,
    observations: Mapping[str, pd.DataFrame],
    tables: Mapping[str, pd.DataFrame] | None = None,
    *,
    geo_type: str | None = "lad",
    universe: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Compute every sourced indicator for every place: ``[geo_code, indicator_id, value]``.

    Parameters
    ----------
    framework : Framework
    observations : mapping of dataset id -> observation table
        Only the datasets the framework reads are used; absent ones give no rows.
    tables : mapping of reference-table name -> DataFrame, optional
        For ``count_in_place`` (e.g. ``hei``); the table needs a LAD code column.
    geo_type : str or None
        Keep only observations of this geography type.
    universe : iterable of str, optional
        The places being compared. ``count_in_place`` gives 0 to places in the
        universe with no rows (a true zero: the list covers the whole country).

    Gap indicators (``source: null``) and indicators whose dataset is absent
    give no rows; :func:`indicator_table` turns them into NaN columns.
    """
    tables = tables or {}
    parts: list[pd.DataFrame] = []
    for ind in framework.indicators:
        src = ind.source
        if src is None:
            continue
        tr = src.get("transform", "value")
        ds = src["dataset"]
        period = ""
        if tr == "count_in_place":
            tab = tables.get(ds)
            if tab is None:
                continue
            s = count_in_place(tab, universe)
        else:
            obs = observations.get(ds)
            if obs is None or obs.empty:
                continue
            sel = _filter(obs, src, geo_type)
            if sel.empty:
                continue
            if tr == "growth_pct":
                ends = _growth_ends(sel, src, ind.id)
                if ends is None:
                    continue
                s = (ends["last"] / ends["first"].where(ends["first"] > 0) - 1.0) * 100.0
                period = str(ends.attrs["period"])
            else:
                sel = _latest(sel, src.get("period"))
                period = str(sel["period"].iloc[0]) if len(sel) else ""
                if tr == "value":
                    s = _one_per_geo(sel, ind.id)
                elif tr == "sum_creative":
                    s = _sum_creative(sel)
                elif tr in ("creative_lq", "subsector_diversity"):
                    den_spec = src.get("denominator") or {
                        "dataset": "business_demography", "measure": "active_enterprises"}
                    dobs = observations.get(den_spec["dataset"])
                    if dobs is None or dobs.empty:
                        continue
                    den = _one_per_geo(_latest(_filter(dobs, den_spec, geo_type)), ind.id)
                    s = (_creative_lq(sel, den) if tr == "creative_lq"
                         else _subsector_diversity(sel, den))
                elif tr == "per_1000_active":
                    act = _one_per_geo(
                        _latest(_filter(obs, {"measure": "active_enterprises"}, geo_type),
                                sel["period"].iloc[0]), ind.id)
                    s = _one_per_geo(sel, ind.id) / act.where(act > 0) * 1000.0
                elif tr == "creative_div_share":
                    s = _div_share(sel)
                else:  # pragma: no cover - validated in _parse
                    raise ParameterError(f"unknown transform {tr!r}")
        s = s.dropna() if len(s) else s
        if len(s):
            parts.append(pd.DataFrame({"geo_code": s.index.astype(str), "indicator_id": ind.id,
                                       "value": s.to_numpy(dtype="float64"), "period": period}))
    if not parts:
        return pd.DataFrame({"geo_code": pd.Series(dtype="string"),
                             "indicator_id": pd.Series(dtype="string"),
                             "value": pd.Series(dtype="float64"), "period": pd.Series(dtype="string")})
    return pd.concat(parts, ignore_index=True)


def indicator_periods(values: pd.DataFrame) -> dict[str, str]:
    """The period each indicator's values are for (the most common one), from :func:`indicator_values`.

    Examples
    --------
    >>> v = pd.DataFrame({"geo_code": ["A", "B"], "indicator_id": ["birth_rate"] * 2, "value": [1.0, 2.0],
    ...                   "period": ["2024", "2024"]})
    >>> indicator_periods(v)
    {'birth_rate': '2024'}
    """
    if "period" not in values.columns or values.empty:
        return {}
    p = values[values["period"].astype(str) != ""]
    return {str(k): str(g.mode().iloc[0]) for k, g in p.groupby("indicator_id")["period"]}


def _growth_ends(sel: pd.DataFrame, src: Mapping[str, Any], what: str) -> pd.DataFrame | None:
    """Base and latest values per place of a ``growth_pct`` indicator (columns ``first``, ``last``).

    The latest period is the newest in ``sel``; the base is the earliest, or,
    with ``span_years: N``, the period N years before the latest (periods must
    then be years). ``attrs["period"]`` reads like ``"2020–2025"``. None when
    the data hold one period only, or not the base period.
    """
    last_p = str(sel["period"].max())
    span = src.get("span_years")
    if span is None:
        first_p = str(sel["period"].min())
    else:
        if not last_p.isdigit():
            raise SchemaError(f"{what}: span_years needs periods that are years; the latest period is {last_p!r}. "
                              "Drop span_years to compare the earliest and latest periods.")
        first_p = str(int(last_p) - int(span))
        if first_p not in set(sel["period"].astype(str)):
            return None
    if first_p == last_p:
        return None
    out = pd.concat([_one_per_geo(sel[sel["period"].astype(str) == first_p], what).rename("first"),
                     _one_per_geo(sel[sel["period"].astype(str) == last_p], what).rename("last")],
                    axis=1, join="inner")
    out.attrs["period"] = f"{first_p}–{last_p}"
    return out


def growth_ends(framework: Framework, observations: Mapping[str, pd.DataFrame], *,
                geo_type: str | None = "lad") -> dict[str, pd.DataFrame]:
    """For each ``growth_pct`` indicator: the base and latest value of every place (``first``, ``last``).

    A group of places (a combined authority made of LADs) grows by its members'
    summed latest over their summed base, not by the mean of their growth rates:
    these are the counts to sum. ``attrs["period"]`` names the two periods.

    Examples
    --------
    >>> fw = load_framework()
    >>> o = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "geo_type": "lad", "geo_vintage": "2023",
    ...                   "measure": "active_enterprises", "period": ["2019", "2024"] * 2,
    ...                   "status": "", "industry_code": "", "occupation_code": "", "value": [10., 12., 30., 30.]})
    >>> e = growth_ends(fw, {"business_demography": o})["active_enterprises_growth"]
    >>> e.loc["A"].tolist(), e.attrs["period"]
    ([10.0, 12.0], '2019–2024')
    """
    out: dict[str, pd.DataFrame] = {}
    for ind in framework.indicators:
        src = ind.source
        if src is None or src.get("transform") != "growth_pct":
            continue
        obs = observations.get(src["dataset"])
        if obs is None or obs.empty:
            continue
        sel = _filter(obs, src, geo_type)
        ends = _growth_ends(sel, src, ind.id) if len(sel) else None
        if ends is not None:
            out[ind.id] = ends
    return out


def _creative_lq(obs: pd.DataFrame, active: pd.Series) -> pd.Series:
    """All-creative business LQ per place by :func:`creative_clusters.indicators.lq.location_quotient`."""
    from creative_clusters.indicators.lq import location_quotient

    c = _sum_creative(obs)
    both = pd.concat([c.rename("c"), active.rename("a")], axis=1, join="inner").dropna()
    both = both[both["a"] > 0]
    if both.empty:
        return pd.Series(dtype="float64")
    num = pd.DataFrame({"geo_code": both.index.astype(str), "industry_code": "creative",
                        "value": both["c"].to_numpy(dtype="float64"), "dataset": "creative"})
    den = pd.DataFrame({"geo_code": both.index.astype(str), "value": both["a"].to_numpy(dtype="float64"),
                        "dataset": "active"})
    res = location_quotient(num, denominator=den, period=None, allow_mixed_sources=True)
    return pd.Series(res["lq"].to_numpy(), index=res["geo_code"].astype(str), dtype="float64")


def _subsector_diversity(obs: pd.DataFrame, active: pd.Series) -> pd.Series:
    wide = creative_enterprises_by_subsector(obs)
    idx = wide.index.intersection(active.dropna().index[active.dropna() > 0])
    if wide.empty or not len(idx):
        return pd.Series(dtype="float64")
    from creative_clusters.indicators.lq import specialised_beyond_doubt

    wide, a = wide.loc[idx], active.loc[idx]
    nat = wide.sum() / a.sum()
    expected = np.outer(a.to_numpy(dtype="float64"), nat.to_numpy(dtype="float64"))  # count at LQ 1
    # the pack's own gate: interval above 1 at the count less its rounding, and at least 10 enterprises
    sure = specialised_beyond_doubt(wide.to_numpy(dtype="float64"), expected)
    return pd.Series(sure.sum(axis=1).astype("float64"), index=wide.index)


def _div_share(obs: pd.DataFrame) -> pd.Series:
    codes = obs["industry_code"].astype(str)
    tot = obs[codes.isin(["_T", "", "TOTAL"])]
    cre = obs[codes.str.zfill(2).isin(CREATIVE_DIVISIONS)]
    num = cre.groupby("geo_code")["value"].sum(min_count=1)
    if len(tot):
        den = tot.groupby("geo_code")["value"].sum(min_count=1)
    else:
        den = obs[codes.str.fullmatch(r"\d{2}")].groupby("geo_code")["value"].sum(min_count=1)
    return num / den.where(den > 0) * 100.0


_LAD_COL = re.compile(
    r"^(geo_code|lad\d{0,2}_?(cd|code)|ltla\d{0,2}_?(cd|code)|lad_?code|local_?authority_?code)$", re.I
)


def lad_column(table: pd.DataFrame) -> str | None:
    """The name of a table's LAD code column, or None.

    ``lad23_code`` (the data's LAD vintage, e.g. from point-in-polygon on the
    2023 boundaries) wins over a generic ``lad_code``, which may hold another
    vintage (the postcode directory gives 2025 codes).
    """
    if "lad23_code" in table.columns:
        return "lad23_code"
    for c in table.columns:
        if _LAD_COL.match(str(c)):
            return str(c)
    return None


def count_in_place(table: pd.DataFrame, universe: Iterable[str] | None = None) -> pd.Series:
    """Rows of a reference table per LAD code (0 for universe places with none).

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A", "B", "C"], "lad_code": ["E1", "E1", "E2"]})
    >>> count_in_place(t, ["E1", "E2", "E3"]).to_dict()
    {'E1': 2.0, 'E2': 1.0, 'E3': 0.0}
    """
    col = lad_column(table)
    if col is None:
        return pd.Series(dtype="float64")
    counts = table[col].dropna().astype(str).value_counts().astype("float64")
    if universe is not None:
        counts = counts.reindex(sorted(set(universe)), fill_value=0.0)
    return counts.sort_index()


def rate_counts(framework: Framework, observations: Mapping[str, pd.DataFrame],
                tables: Mapping[str, pd.DataFrame] | None = None, *,
                geo_type: str | None = "lad") -> dict[str, pd.DataFrame]:
    """For each rate indicator whose source names ``counts``: the count the rate rests on and its base.

    Read in the rate's own dataset and latest period (never another release's):

    * ``counts: {count: M, of: B}``: measure ``M`` counted out of measure ``B``; where the release
      publishes ``B`` but not ``M``, the count is the rate (a percentage) times ``B``; where it
      publishes neither, a rate of 0 still says 0 were counted, out of an unknown base (NaN).
    * ``counts: {table: T}``: the rows of reference table ``T`` in each place, out of a base that is
      large everywhere (the population: ``inf``).

    A group of places sums its members' counts, so the table is per LAD, columns ``count`` and ``of``;
    ``attrs["noun"]`` and ``attrs["of_noun"]`` name what is counted ("museums"), from the spec.

    Examples
    --------
    >>> fw = load_framework()
    >>> o = pd.DataFrame({"geo_code": ["A", "A", "B", "B"], "geo_type": "lad", "geo_vintage": "2023",
    ...                   "measure": ["high_growth_rate_pct", "active_10plus_enterprises"] * 2,
    ...                   "period": "2024", "status": "", "industry_code": "", "occupation_code": "",
    ...                   "value": [0.0, 7.0, 7.5, 400.0]})
    >>> rate_counts(fw, {"business_demography": o})["high_growth_rate"].values.tolist()
    [[0.0, 7.0], [30.0, 400.0]]
    """
    tables = tables or {}
    out: dict[str, pd.DataFrame] = {}
    for ind in framework.indicators:
        src = ind.source or {}
        spec = src.get("counts")
        if not spec:
            continue
        frame: pd.DataFrame | None = None
        if "table" in spec:
            t = tables.get(spec["table"])
            if t is not None and lad_column(t) is not None:
                frame = pd.DataFrame({"count": count_in_place(t), "of": np.inf})
        elif (obs := observations.get(src.get("dataset", ""))) is not None and not obs.empty:
            frame = _rate_base(obs, src, spec, ind.id, geo_type)
        if frame is not None:
            frame.attrs.update(noun=str(spec.get("noun", "")), of_noun=str(spec.get("of_noun", "")))
            out[ind.id] = frame
    return out

def rate_intervals(framework: Framework, observations: Mapping[str, pd.DataFrame], *,
                   geo_type: str | None = "lad") -> dict[str, pd.DataFrame]:
    """For each indicator read as published (``transform: value``) from a survey: its 95% interval per place.

    Survey estimates (the Annual Population Survey's employment rate, the Participation Survey's arts
    engagement) come with ``lci_95``/``uci_95``, imported as measures ``<measure>_lci95`` and
    ``<measure>_uci95`` (:mod:`creative_clusters.sources.els_layout`). Read in the indicator's own dataset
    and latest period; indicators without published bounds are left out. Columns ``lo`` and ``hi``, one
    row per place.

    Examples
    --------
    >>> fw = load_framework()
    >>> o = pd.DataFrame({"geo_code": ["A"] * 3, "geo_type": "lad", "geo_vintage": "2023",
    ...                   "measure": ["employment_rate_pct", "employment_rate_pct_lci95",
    ...                               "employment_rate_pct_uci95"], "period": "2024", "status": "",
    ...                   "industry_code": "", "occupation_code": "", "value": [88.3, 75.2, 100.0]})
    >>> rate_intervals(fw, {"local_indicators": o})["employment_rate"].loc["A"].tolist()
    [75.2, 100.0]
    """
    out: dict[str, pd.DataFrame] = {}
    for ind in framework.indicators:
        src = ind.source or {}
        obs = observations.get(src.get("dataset", "")) if src.get("transform") == "value" else None
        if obs is None or obs.empty:
            continue
        sel = _latest(_filter(obs, src, geo_type))
        if sel.empty:
            continue
        period, measures = str(sel["period"].iloc[0]), sorted(set(sel["measure"].astype(str)))
        both = pd.DataFrame({"lo": _bound(obs, measures, "lci95", period, geo_type, ind.id),
                             "hi": _bound(obs, measures, "uci95", period, geo_type, ind.id)}).dropna()
        if len(both):
            out[ind.id] = both
    return out


def _bound(obs: pd.DataFrame, measures: list[str], suffix: str, period: str, geo_type: str | None,
           iid: str) -> pd.Series:
    """One published bound (``<measure>_<suffix>``) per place in ``period``."""
    rows = obs[obs["measure"].isin([f"{m}_{suffix}" for m in measures]) & (obs["period"].astype(str) == period)]
    if geo_type is not None:
        rows = rows[rows["geo_type"] == geo_type]
    return _one_per_geo(rows, iid)


def _rate_base(obs: pd.DataFrame, src: Mapping[str, Any], spec: Mapping[str, Any], iid: str,
               geo_type: str | None) -> pd.DataFrame | None:
    """``count`` and ``of`` per place for one rate (see :func:`rate_counts`), in the rate's latest period."""
    rate_obs = _latest(_filter(obs, src, geo_type))
    if rate_obs.empty:
        return None
    period = str(rate_obs["period"].iloc[0])
    rate = _one_per_geo(rate_obs, iid)

    def measure(name: str | None) -> pd.Series:
        sel = _latest(_filter(obs, {**src, "measure": name, "measure_pattern": None}, geo_type), period) \
            if name else obs.iloc[0:0]
        return _one_per_geo(sel, iid).reindex(rate.index) if len(sel) else pd.Series(np.nan, index=rate.index)

    of = measure(spec.get("of"))
    # a count from a rate published to one decimal: the nearest whole number
    count = measure(spec.get("count")).fillna((rate * of / 100.0).round())
    return pd.DataFrame({"count": count.where(count.notna() | rate.ne(0), 0.0), "of": of})


def indicator_table(framework: Framework, values: pd.DataFrame) -> pd.DataFrame:
    """Wide table: one row per place, one column per framework indicator (framework order).

    Indicators with no values (gaps) are all-NaN columns, never zeros.

    Examples
    --------
    >>> fw = load_framework()
    >>> v = pd.DataFrame({"geo_code": ["A", "B"], "indicator_id": ["birth_rate"] * 2,
    ...                   "value": [10.0, 12.0]})
    >>> t = indicator_table(fw, v)
    >>> float(t.loc["B", "birth_rate"]), bool(t["rd_expenditure"].isna().all())
    (12.0, True)
    """
    need = {"geo_code", "indicator_id", "value"}
    if not need <= set(values.columns):
        raise SchemaError(f"values need columns {sorted(need)}; got {list(values.columns)}")
    ids = [i.id for i in framework.indicators]
    unknown = sorted(set(values["indicator_id"]) - set(ids))
    if unknown:
        raise ParameterError(f"indicator(s) {unknown} are not in framework {framework.id!r}")
    dup = values.duplicated(["geo_code", "indicator_id"])
    if dup.any():
        raise SchemaError(
            f"{int(dup.sum())} duplicate (geo_code, indicator_id) row(s), e.g. "
            f"{values.loc[dup, ['geo_code', 'indicator_id']].iloc[0].tolist()}"
        )
    if len(values):
        wide = values.pivot(index="geo_code", columns="indicator_id", values="value")
    else:
        wide = pd.DataFrame(index=pd.Index([], name="geo_code"))
    wide = wide.reindex(columns=ids).astype("float64")
    wide.index = wide.index.astype(str)
    wide.columns.name = None
    return wide.sort_index()


def weights_vector(
    framework: Framework, weights: Mapping[str, float] | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """Dimension and indicator weights, with overrides from ``weights`` (keys are ids)."""
    w = dict(weights or {})
    dims = {d.id: float(w.get(d.id, d.weight)) for d in framework.dimensions}
    inds = {i.id: float(w.get(i.id, i.weight)) for i in framework.indicators}
    unknown = sorted(set(w) - set(dims) - set(inds))
    if unknown:
        raise ParameterError(f"weights for unknown dimension/indicator id(s) {unknown}")
    if any(v < 0 or not np.isfinite(v) for v in [*dims.values(), *inds.values()]):
        raise ParameterError("weights must be finite and >= 0")
    return dims, inds
