"""A place's creative economy from the warehouse (the ``profile`` command).

Every figure carries its source dataset, vintage and caveats. Figures for an
aggregate place (a combined authority, region or user group) are sums of
member-LAD counts; rates and ranks are never averaged across LADs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import join_notes, possessive
from creative_clusters.classifications.dcms import (
    DEFINITION_VERSION,
    SUBSECTORS,
    subsector_short,
)
from creative_clusters.errors import WarehouseError
from creative_clusters.people.anchors import open_museums
from creative_clusters.reporting.formatting import SHARE_DIGITS, ZERO_COUNT, ZERO_SHARE
from creative_clusters.results import NOT_IMPORTED, MissingItem, PlaceStatistics, Statistic, to_jsonable
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows import gaps
from creative_clusters.workflows.evidence_stats import DEMOGRAPHY_PUBLISHED, demography_values, merger_note
from creative_clusters.workflows.placestats import PUBLISHED_ZERO, place_statistics

__all__ = ["Figure", "build_profile", "profile_text"]

_NATION = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


@dataclass
class Figure:
    """One number with where it came from (profile sections not yet in the statistics layer)."""

    label: str
    value: float | None
    unit: str
    source: str
    vintage: str
    caveats: list[str] = field(default_factory=list)
    flag: str = "as-published"
    #: The dataset and period of a ratio's denominator when it is another dataset's ("" when none).
    denominator: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (NaN → None)."""
        d = asdict(self)
        if d["value"] is not None and (isinstance(d["value"], float) and np.isnan(d["value"])):
            d["value"] = None
        return d


def _members(place: Any) -> list[str]:
    members = list(getattr(place, "members", ()) or ())
    return members or [place.code]


def _figure(stat: Statistic, scale: float = 1.0, unit: str | None = None) -> Figure:
    """A typed statistic as a profile figure (a renderer: no arithmetic but unit scaling)."""
    value = None if stat.value is None else stat.value * scale
    flag = next((f for f in stat.flags if f in ("suppressed", "low-reliability", "rounded")), "as-published")
    den = stat.denominator_source
    over = f"{den.id}, {den.vintage}" if den is not None and den.id != stat.source.id else ""
    return Figure(stat.label, value, unit or stat.unit, stat.source.id, stat.period, list(stat.notes), flag, over)


def _creative_enterprises(stats: PlaceStatistics) -> dict[str, Any] | None:
    """The creative-enterprise section, rendered from the typed place statistics."""
    total = stats.get("creative_enterprises")
    if total is None:
        return {"covered": False} if stats.missing else None
    share = stats.get("share_of_national_creative")
    by_code = {s.short: s for s in stats.subsectors}
    rows = []
    for sub in SUBSECTORS:
        s = by_code.get(subsector_short(sub))
        rows.append({
            "subsector": sub,
            "enterprises": None if s is None else s.enterprises.value,
            "share_of_place_creative_pct": None if s is None or s.share_of_creative.value is None
            else 100 * s.share_of_creative.value,
            "business_lq": None if s is None else s.business_lq.value,
            "lq_lower": None if s is None else s.business_lq.lower,
            "lq_upper": None if s is None else s.business_lq.upper,
            "flags": [] if s is None else list(s.enterprises.flags),
        })
    fig = _figure(total, unit="enterprises")
    fig.caveats = [*fig.caveats, *total.source.caveats]
    return {
        "covered": True,
        "total": fig,
        "share_of_england": _figure(share, 100.0, "%") if share is not None else None,
        "by_subsector": rows,
    }


#: The profile's business-demography figures: measure -> (label, unit).
_DEMOGRAPHY_LABELS = {
    "active_enterprises": ("Active enterprises (all industries)", "enterprises"),
    "birth_rate_pct": ("Business birth rate", "% of active"),
    "death_rate_pct": ("Business death rate", "% of active"),
    # ONS: high-growth enterprises as a percentage of active enterprises with 10 or more employees
    "high_growth_rate_pct": ("High-growth enterprises (share of those with 10+ employees)",
                             "% of active enterprises with 10+ employees"),
}


def _demography(wh: Warehouse, code: str, members: list[str]) -> tuple[list[Figure], str]:
    """The place's business demography (latest year of each measure) and how it was obtained.

    The values are :func:`~creative_clusters.workflows.evidence_stats.demography_values`' (the evidence
    pack's producer): the place's published rows, else, for a group of local authorities, counts summed over
    its members and each rate its members' mean weighted by the rate's own base. A figure's flag is the most severe of
    the rows behind it (``rounded`` for active enterprises).
    """
    from creative_clusters._counts import FLAG_ORDER, flag_rank

    ref = wh.find_dataset(kinds.ACTIVE_ENTERPRISES)
    if ref is None:
        return [], ""
    obs = wh.observations(dataset=ref.id, geo_code=sorted({code, *members}))
    if obs.empty:
        return [], ""
    values = demography_values(obs, code, members)
    if values.empty:
        return [], ""
    method = str(values.attrs.get("method", ""))
    rows = obs[obs["geo_code"] == code] if method == DEMOGRAPHY_PUBLISHED else obs
    status = rows["status"].fillna("").astype(str)

    def flag(measure: str, period: str, st: str = "") -> str:
        sel = rows[(rows["measure"] == measure) & (rows["period"].astype(str) == period) & (status == st)]
        return FLAG_ORDER[int(flag_rank(sel["disclosure_flag"]).max())] if len(sel) else FLAG_ORDER[0]

    how = [] if method == DEMOGRAPHY_PUBLISHED else [method]
    out = []
    for measure, (label, unit) in _DEMOGRAPHY_LABELS.items():
        col = values.get((measure, ""))
        s = col.dropna() if col is not None else pd.Series(dtype=float)
        if s.empty:
            continue
        period = str(s.index.max())
        out.append(Figure(label, float(s[period]), unit, ref.id, period, ["all industries, not creative only", *how],
                          flag(measure, period)))
    survival = {st: values[(m, st)].dropna() for (m, st) in values.columns if m == "survival_rate_pct"}
    periods = [str(v.index.max()) for v in survival.values() if len(v)]
    if periods:
        latest_p = max(periods)
        for st in sorted(survival):
            v = survival[st]
            if latest_p in v.index:
                out.append(Figure(f"Survival rate ({st})", float(v[latest_p]), "%", ref.id, f"cohort {latest_p}",
                                  ["all industries", *how], flag("survival_rate_pct", latest_p, st)))
    return out, method


def _lq_reason(lq: Statistic | None, name: str, missing: list[MissingItem], series: Statistic | None = None,
               english: bool = True) -> str:
    """Why the profile has no business LQ against England, led by the LQ against the UK where the series has one.

    Examples
    --------
    >>> gap = gaps.not_applicable(gaps.TOPIC_SIC, "covers England only")
    >>> _lq_reason(None, "Cardiff", [gap])[-65:]
    'Cardiff: creative enterprises by sub-sector: covers England only.'
    >>> from creative_clusters.results import DatasetRef
    >>> lq = Statistic("business_lq_series", "LQ", 0.87, "ratio", "2019", DatasetRef("s", "k", "2025"))
    >>> year = gaps.not_imported("creative_enterprises_sic", gaps.TOPIC_SIC, period=2019, available=["2025"])
    >>> _lq_reason(None, "Sheffield", [year], lq)[-86:]
    'as the counts by SIC class behind it are not imported for 2019 (years imported: 2025).'
    """
    if lq is None and series is not None and series.value is not None:
        interval = (f" (95% interval {series.lower:.2f} to {series.upper:.2f})"
                    if series.lower is not None and series.upper is not None else "")
        year_gap = next((m for m in missing if m.topic == gaps.TOPIC_SIC and m.status == NOT_IMPORTED
                         and m.reason.startswith(f"{series.period} ")), None)
        if not english:
            why = "as the counts by SIC class behind it cover English local authorities only"
        elif year_gap is not None:  # an English place, a year of the series the counts by SIC class lack
            why = (f"as the counts by SIC class behind it are not imported for {series.period}"
                   + (f" ({year_gap.detail})" if year_gap.detail else ""))
        else:
            why = f"as the counts by SIC class behind it do not cover {name} here"
        return (f"{possessive(name)} creative business location quotient is {series.value:.2f} against the UK in "
                f"{series.period}{interval}, from the annual series of creative enterprises; there is none against "
                f"England, {why}.")
    if lq is not None and PUBLISHED_ZERO in lq.flags:  # a count of 0 (0 to 2): its upper bound, not an LQ of 0
        return f"no business location quotient for {name}: its creative enterprises are {lq.notes[0]}."
    reasons = ([*lq.flags, *lq.notes] if lq is not None else
               [f"{m.topic.lower()}: {m.reason}" for m in missing if m.topic == gaps.TOPIC_SIC])
    return (f"no business location quotient against England for {name}: "
            + (join_notes(str(w) for w in reasons) if reasons
               else "the warehouse has no creative business counts for it"))


def _two_counts_note(by_class: Statistic | None, traj: Any) -> str:
    """Why the count by SIC class and the annual series give a place two counts for one year; "" if they agree.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> from creative_clusters.results import DatasetRef
    >>> ref = DatasetRef("business_counts_2025", "creative_enterprises_sic", "2025")
    >>> s = Statistic("creative_enterprises", "Creative enterprises", 1610.0, "count", "2025", ref)
    >>> t = NS(series=[NS(period="2025", value=1605.0)], source=NS(id="business_counts_series"))
    >>> _two_counts_note(s, t)[:60]
    '2025: 1,610 creative enterprises by SIC class against 1,605 '
    """
    if by_class is None or by_class.value is None or traj is None or not traj.series:
        return ""
    year = next((y for y in traj.series if y.period == by_class.period and y.value is not None), None)
    if year is None or year.value == by_class.value:
        return ""
    return (f"{by_class.period}: {by_class.value:,.0f} creative enterprises by SIC class against "
            f"{year.value:,.0f} in the annual series: two extracts of UK Business Counts. The count by SIC class adds "
            "up the creative classes, each rounded to 5 by ONS; the series rounds each local authority's total once. "
            "Track one of them.")


def _census_creative(stats: PlaceStatistics) -> dict[str, Any] | None:
    """The Census workforce section, rendered from the typed place statistics."""
    residents = stats.get("creative_residents")
    share = stats.get("creative_resident_share")
    if residents is None or share is None:
        return {"covered": False} if any(m.topic.startswith(gaps.TOPIC_CENSUS) for m in stats.missing_items) else None
    caveats = [*share.notes, *share.source.caveats[:1]]
    fr = _figure(residents, unit="persons")
    fr.caveats = caveats
    fs = _figure(share, 100.0, "%")
    fs.caveats = caveats
    src = residents.source
    # the label names the census by the vintage the warehouse catalogue records (e.g. "Census 2021")
    out: dict[str, Any] = {"covered": True, "residents": fr, "share": fs, "label": f"Census {src.vintage}",
                           "source": {"id": src.id, "title": src.title, "publisher": src.publisher,
                                      "vintage": src.vintage}}
    if share.comparison is not None:
        out["ew_share"] = Figure(f"{share.comparison_label} share", 100 * share.comparison, "%",
                                 share.source.id, share.period, caveats)
    return out


def _deprivation(wh: Warehouse, code: str, lads: list[str],
                 level: str = "custom") -> tuple[list[Figure], list[MissingItem]]:
    """Deprivation of a single LAD on its own nation's index (ranks are never aggregated or mixed)."""
    from creative_clusters.errors import ClusterToolkitError
    from creative_clusters.people.inclusion import DEPRIVATION_KINDS, imd_rank

    out: list[Figure] = []
    notes: list[MissingItem] = []
    kind = next((k for k, v in DEPRIVATION_KINDS.items() if code.startswith(v[0])), None)
    if len(lads) > 1:
        return out, [gaps.not_applicable(gaps.TOPIC_DEPRIVATION, f"not published for {gaps.areas_word(level)}",
                                         None if kind is None else wh.find_dataset(kind),
                                         detail="the indices rank single local authorities; ranks are not "
                                         "averaged over member local authorities")]
    if kind is None:
        return out, notes
    ref = wh.find_dataset(kind)
    if ref is None:
        return out, [gaps.not_imported(kind, f"{gaps.TOPIC_DEPRIVATION} ({DEPRIVATION_KINDS[kind][1]})")]
    try:
        r = imd_rank(wh.observations(dataset=ref.id), code, dataset=ref.id, kind=kind, vintage=ref.vintage)
    except ClusterToolkitError as exc:  # a LAD merged since the index was published
        return out, [gaps.unavailable(gaps.TOPIC_DEPRIVATION, str(exc), ref)]
    nation = _NATION.get(code[:1], "")
    if r["rank"] is not None:
        out.append(Figure(f"{r['index']}: rank of average score (1 = most deprived)", float(r["rank"]),
                          f"rank of {r['of']}", ref.id, ref.vintage,
                          [f"{nation} only; not comparable with the other UK nations' indices"]))
    elif r.get("share_most_deprived_10pct") is not None:  # devolved indices publish shares, not LAD ranks
        out.append(Figure(f"{r['index']}: share of small areas in {nation}'s most deprived 10%",
                          100 * float(r["share_most_deprived_10pct"]), "%", ref.id, ref.vintage,
                          [f"{nation} only; not comparable with the other UK nations' indices"]))
    return out, notes


def _anchors(wh: Warehouse, lads: list[str]) -> dict[str, Any] | None:
    try:
        lad_geom = wh.read_geometry(f"lad_{kinds.LAD_VINTAGE}")
    except WarehouseError:  # geometry not imported: the profile lists it as missing
        return None
    import geopandas as gpd

    area = lad_geom[lad_geom["geo_code"].isin(lads)]
    if area.empty:
        return None
    out: dict[str, Any] = {}
    for table, label in (("hei", "Higher-education providers"), ("museums", "Museums open in 2021")):
        if not wh.has_table(table):
            continue
        t = wh.table(table)
        lat = next((c for c in t.columns if c.lower() in ("latitude", "lat")), None)
        lon = next((c for c in t.columns if c.lower() in ("longitude", "lon", "long")), None)
        if lat is None or lon is None:
            continue
        t = t.dropna(subset=[lat, lon])
        t = open_museums(t)  # museums: count those open on the list's date
        pts = gpd.GeoDataFrame(t, geometry=gpd.points_from_xy(t[lon].astype(float), t[lat].astype(float)), crs=4326)
        inside = gpd.sjoin(pts, area[["geometry"]], predicate="within", how="inner")
        inside = inside[~inside.index.duplicated()]
        name_col = "name" if "name" in t.columns else t.columns[0]
        out[table] = {"label": label, "count": len(inside), "names": sorted(map(str, inside[name_col]))[:15]}
        if table == "hei":
            # nearest providers to the place (distance from its boundary, BNG metres)
            shape = area.to_crs(27700).union_all()
            outside = pts.drop(index=inside.index).to_crs(27700)
            dist = outside.geometry.distance(shape) / 1000
            near = outside.assign(km=dist).nsmallest(3, "km")
            out[table]["nearest_outside"] = [
                {"name": str(r[name_col]), "km": round(float(r["km"]), 1),
                 "creative_specialist": bool(r.get("creative_specialist", False))}
                for _, r in near.iterrows()
            ]
    return out


def _anchor_gaps(wh: Warehouse, anchors: dict[str, Any] | None) -> list[MissingItem]:
    """What the anchors section lacks: the boundaries that place them, or a list not imported."""
    out = []
    if anchors is None:
        layer = f"lad_{kinds.LAD_VINTAGE}"
        out.append(gaps.not_imported("geography_boundaries", gaps.TOPIC_ANCHORS) if layer not in wh.geometry_layers()
                   else gaps.unavailable(gaps.TOPIC_ANCHORS, f"the boundary layer {layer} has none of its local "
                                         "authorities"))
    for kind in (kinds.ANCHORS_HEI, kinds.ANCHORS_MUSEUMS):
        if not any(wh.has_table(t) for t in kinds.kind_of(kind).tables):
            out.append(gaps.not_imported(kind, kinds.kind_of(kind).serves.capitalize()))
    return out


def _item_json(m: MissingItem) -> dict[str, str]:
    """A missing item for JSON: its fields and, under ``text``, the terminal's line."""
    return {**to_jsonable(m), "text": m.text}


def _trajectory(wh: Warehouse, place: Any, year: int | str | None, missing: list[MissingItem]) -> Any:
    """The place's trajectory over the annual series (typed), or None with the reason added to ``missing``."""
    from creative_clusters.errors import ClusterToolkitError
    from creative_clusters.workflows.trajectory import as_of_year, load_trajectory_data, place_trajectory

    if wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SERIES) is None:
        return None  # place_statistics already says how to import it
    try:
        data = load_trajectory_data(wh)
    except ClusterToolkitError as exc:
        missing.append(gaps.unavailable(gaps.TOPIC_SERIES, str(exc)))
        return None
    as_of = as_of_year(data, year)  # a year outside the series is the user's to correct, not a gap
    try:
        return place_trajectory(wh, place, data=data, year=as_of)
    except ClusterToolkitError as exc:
        missing.append(gaps.unavailable(gaps.TOPIC_SERIES, str(exc)))
        return None


#: The NUTS2 block's topics, as "Missing or not applicable" names them when a source lacks the area.
_TOPIC_NUTS2_EMPLOYMENT = "Creative employment of the NUTS2 area (BRES)"
_TOPIC_NUTS2_UNITS = "Creative local units of the NUTS2 area (IDBR)"


def _nuts2_sources(wh: Warehouse, place: Any, missing: list[MissingItem]) -> dict[str, Any] | None:
    """A NUTS2 area's own creative employment (BRES) and local units (IDBR), None for other places.

    The employment figures are :func:`~creative_clusters.workflows.wider_area.wider_area`'s (the evidence
    pack's section 3 producer) for the area's code: creative jobs at both ends of BRES's years, the path in
    between and the jobs LQ at both ends, against every area BRES covers (Great Britain). The local units are
    :func:`~creative_clusters.workflows.nuts2_tables.nuts2_employment_table`'s (the ``clusters --level nuts2``
    table) in IDBR's latest year, with the LQ against every area IDBR covers (the UK) and its exact Poisson
    interval. A source that lacks the area or is not imported is said under ``missing``.
    """
    if getattr(place, "geo_type", "") != "nuts2":
        return None
    from creative_clusters.errors import ClusterToolkitError
    from creative_clusters.workflows.nuts2_tables import (
        BRES_INTERVAL_NOTE,
        lq_base,
        nuts2_counts,
        nuts2_employment_table,
    )
    from creative_clusters.workflows.wider_area import ALL, group_employment, wider_area

    out: dict[str, Any] = {}
    bres = wh.find_dataset(kinds.EMPLOYMENT_NUTS2)
    if bres is None:
        missing.append(gaps.not_imported(kinds.EMPLOYMENT_NUTS2, _TOPIC_NUTS2_EMPLOYMENT))
    else:
        try:
            emp = nuts2_counts(wh, measure="employment")
            w = wider_area(group_employment(emp), [place.code])
        except ClusterToolkitError as exc:
            missing.append(gaps.unavailable(_TOPIC_NUTS2_EMPLOYMENT, str(exc), bres))
            w = None
        if w is not None and w.rows is not None and w.paths is not None:
            a = w.rows.set_index("industry_code").loc[ALL]
            start, end = str(a["period_start"]), str(a["period_end"])
            base = lq_base(emp["geo_code"].unique())
            notes = [*bres.caveats[:2], BRES_INTERVAL_NOTE]
            label = "Creative employment (BRES: employees and working owners, where they work)"
            out["employment_start"] = Figure(label, float(a["start_value"]), "jobs", bres.id, start, notes, "rounded")
            out["employment"] = Figure(label, float(a["end_value"]), "jobs", bres.id, end, notes, "rounded")
            lq_label = f"Creative employment location quotient against {base}"
            out["employment_lq_start"] = Figure(lq_label, float(a["lq_start"]), "ratio", bres.id, start, notes)
            out["employment_lq"] = Figure(lq_label, float(a["lq_end"]), "ratio", bres.id, end, notes)
            out["employment_lq_base"] = base
            out["employment_path"] = {str(k): float(v) for k, v in w.paths.loc[ALL].items()}
            out["employment_rounding"] = float(a["rounding"])  # how far the change can be off through rounding
        elif w is not None:
            missing.append(gaps.unavailable(_TOPIC_NUTS2_EMPLOYMENT, f"BRES has no figures for {place.name}: it "
                                            f"covers {lq_base(emp['geo_code'].unique())} only", bres))
    idbr = wh.find_dataset(kinds.LOCAL_UNITS_NUTS2)
    if idbr is None:
        missing.append(gaps.not_imported(kinds.LOCAL_UNITS_NUTS2, _TOPIC_NUTS2_UNITS))
        return out or None
    try:
        year = max(str(p) for p in nuts2_counts(wh, measure="local_units")["period"].unique())
        t = nuts2_employment_table(wh, year=year, measure="local_units").set_index("geo_code")
    except ClusterToolkitError as exc:
        missing.append(gaps.unavailable(_TOPIC_NUTS2_UNITS, str(exc), idbr))
        return out or None
    if place.code not in t.index or pd.isna(t.loc[place.code, "establishments"]):
        missing.append(gaps.unavailable(_TOPIC_NUTS2_UNITS, f"IDBR has no {year} figures for {place.name}", idbr))
        return out or None
    r = t.loc[place.code]
    notes = list(idbr.caveats[:2])
    flag = str(r["disclosure_flag"]) if isinstance(r["disclosure_flag"], str) and r["disclosure_flag"] else "rounded"
    out["local_units"] = Figure("Creative local units (IDBR: sites, not enterprises)", float(r["establishments"]),
                                "local units", idbr.id, year, notes, flag)
    out["local_units_lq"] = Figure(f"Creative local units location quotient against {r['business_lq_base']}",
                                   float(r["business_lq"]), "ratio", idbr.id, year, notes)
    out["local_units_lq_base"] = str(r["business_lq_base"])
    out["local_units_lq_interval"] = [float(r["business_lq_lower"]), float(r["business_lq_upper"])]
    return out


def _nuts2_lines(block: dict[str, Any]) -> list[str]:
    """The NUTS2 block as text (the figures as :func:`_nuts2_sources` gives them)."""
    lines = ["", "Employment and local units of the NUTS2 area", "-" * 20]
    if block.get("employment") is not None:
        start, end = block["employment_start"], block["employment"]
        path = block.get("employment_path") or {}
        between = [f"{y}: {v:,.0f}" for y, v in path.items() if y not in (start.vintage, end.vintage)]
        lines.append(f"{end.label}: {start.value:,.0f} in {start.vintage}, {end.value:,.0f} in {end.vintage}"
                     + (f" ({'; '.join(between)})" if between else "") + f"  [{end.source}, {start.vintage}–"
                     f"{end.vintage}]")
        lq0, lq1 = block["employment_lq_start"], block["employment_lq"]
        lines.append(f"{lq1.label}: {lq0.value:.2f} in {lq0.vintage}, {lq1.value:.2f} in {lq1.vintage}  "
                     f"[{lq1.source}]")
        lines.append("  caveats: " + join_notes(end.caveats))
    if block.get("local_units") is not None:
        lo, hi = block["local_units_lq_interval"]
        lines.append(_fmt(block["local_units"]))
        lines.append(_fmt(block["local_units_lq"]) + f" (95% interval {lo:.2f}-{hi:.2f})")
        lines.append("  caveats: " + join_notes(block["local_units"].caveats))
    return lines


def build_profile(wh: Warehouse, place: Any, *, year: int | str | None = None) -> dict[str, Any]:
    """Build the profile of a resolved place as a plain dict.

    ``place`` is a resolved place (from :func:`creative_clusters.workflows.places.resolve_place`)
    with ``code``, ``name``, ``geo_type`` and ``members`` (member LAD codes for
    aggregates). The numbers come from
    :func:`creative_clusters.workflows.placestats.place_statistics` (under
    ``statistics``, typed and sourced); the sections below render them.
    """
    lads = _members(place)
    stats = place_statistics(wh, place, year=year)
    missing: list[MissingItem] = list(stats.missing_items)
    prof: dict[str, Any] = {
        "place": {"code": place.code, "name": place.name, "geo_type": place.geo_type,
                  "member_lads": lads if len(lads) > 1 else [], "data_codes": lads,
                  "member_rule": str(getattr(place, "member_rule", "") or "")},
        "definitions_version": DEFINITION_VERSION,
        "statistics": to_jsonable(stats),
    }
    prof["creative_enterprises"] = _creative_enterprises(stats)
    csa = stats.get("creative_share_of_active")
    if csa is not None and csa.available:
        fig = _figure(csa, 100.0, "%")
        fig.caveats = [*csa.notes]
        prof["creative_share_of_active"] = fig
        if csa.comparison is not None:
            prof["england_creative_share_of_active"] = Figure(
                f"{csa.comparison_label}: creative share of active enterprises", 100 * csa.comparison, "%",
                csa.source.id, csa.period, list(csa.notes))
    lq = stats.get("business_lq")
    if lq is not None and lq.available:
        prof["business_lq"] = _figure(lq)
    else:
        series = stats.get("business_lq_series")  # outside England: the LQ against the UK, from the annual series
        if series is not None and series.value is not None:
            prof["business_lq_series"] = _figure(series)
        prof["business_lq_note"] = _lq_reason(lq, place.name, missing, series,
                                              english=all(str(c).startswith("E") for c in lads))
    prof["census_workforce"] = _census_creative(stats)
    own_code = lads[0] if len(lads) == 1 else place.code
    # a group without its own rows: its members' (counts summed, each rate weighted by its own base), the
    # evidence pack's values for the same place
    prof["business_demography"], method = _demography(wh, own_code, lads if len(lads) > 1 else [])
    prof["business_demography_method"] = method or None
    demography = wh.find_dataset(kinds.ACTIVE_ENTERPRISES)
    if demography is None:
        missing.append(gaps.not_imported(kinds.ACTIVE_ENTERPRISES, gaps.TOPIC_DEMOGRAPHY))
    elif not prof["business_demography"]:
        missing.append(gaps.unavailable(
            gaps.TOPIC_DEMOGRAPHY, f"no business demography rows for {place.name} or its member local "
            "authorities", demography))
    elif not any(f.label.startswith("Survival rate") for f in prof["business_demography"]) and len(lads) == 1:
        # a local authority created by merger has no survival cohorts of its own yet (North Yorkshire, 2023)
        merged = merger_note(wh.table("code_changes"), wh.observations(dataset=demography.id, geo_code=[own_code]),
                             own_code, place.name) if wh.has_table("code_changes") else ""
        if merged:
            missing.append(gaps.unavailable(gaps.TOPIC_DEMOGRAPHY, merged, demography,
                                            reason="no business survival rates for this place yet"))
    prof["deprivation"], dep_notes = _deprivation(wh, own_code, lads, place.geo_type)
    missing.extend(dep_notes)
    prof["anchors"] = _anchors(wh, lads)
    missing.extend(_anchor_gaps(wh, prof["anchors"]))
    prof["trajectory"] = _trajectory(wh, place, year, missing)
    prof["counts_note"] = _two_counts_note(stats.get("creative_enterprises"), prof["trajectory"])
    prof["nuts2_sources"] = _nuts2_sources(wh, place, missing)  # a NUTS2 area: its BRES jobs and IDBR units
    prof["as_of_year"] = str(year) if year is not None else None
    items = gaps.dedupe(missing)
    prof["missing"] = list(gaps.texts(items))  # one line each, with the command (the terminal's, API users')
    prof["missing_items"] = [_item_json(m) for m in items]
    group_notes = _group_notes(place)
    prof["place"]["group_note"] = group_notes[0] if group_notes else None  # the page shows it under the name
    prof["notes"] = [*group_notes, *stats.notes]
    prof["sources"] = _used_sources(wh, stats, prof)
    return prof


def _group_notes(place: Any) -> list[str]:
    """What became of a user's group: entries taken as their local authorities (a county, a region), or a
    group that is one local authority profiled as it (the resolver's member rule says so)."""
    from creative_clusters.geography.place import CUSTOM, MEMBER_RULES

    level = str(getattr(place, "geo_type", "") or "")
    rule = str(getattr(place, "member_rule", "") or "")
    if level not in ("lad", CUSTOM) or not rule or rule == MEMBER_RULES.get(level):
        return []
    return [rule[:1].upper() + rule[1:] + "."]


def _used_sources(wh: Warehouse, stats: PlaceStatistics, prof: dict[str, Any]) -> list[dict[str, Any]]:
    """The catalogue records of the datasets the profile's figures come from, each once, in the order used.

    The statistics layer's sources behind a figure it has (business counts, their denominator, the census),
    then the datasets of the business demography, deprivation, anchors and trajectory sections the profile
    filled; not the rest of the warehouse (the whole catalogue is ``data status``).
    """
    cited = {r.id for f in stats.figures.values() if f.value is not None
             for r in (f.source, f.denominator_source) if r is not None}
    ids = [s.id for s in stats.sources if s.id in cited]  # not a table that lacks the place (SIC outside England)
    ids += [f.source for f in (*prof["business_demography"], *prof["deprivation"])]
    census = prof.get("census_workforce") or {}
    if census.get("source"):
        ids.append(census["source"]["id"])
    for kind in (kinds.ANCHORS_HEI, kinds.ANCHORS_MUSEUMS):
        if any(t in (prof["anchors"] or {}) for t in kinds.kind_of(kind).tables):
            ref = wh.find_dataset(kind)
            ids += [ref.id] if ref is not None else []
    traj = prof["trajectory"]
    if traj is not None:
        ids += [traj.source.id, *(d.id for d in traj.denominator_sources)]
    ids += [f.source for f in (prof.get("nuts2_sources") or {}).values() if isinstance(f, Figure)]
    order = list(dict.fromkeys(i for i in ids if i))
    if not order:
        return []
    rows = wh.query("SELECT id, title, publisher, vintage, licence, attribution FROM catalogue WHERE id IN ("
                    + ", ".join("?" * len(order)) + ")", order).to_dict("records")
    by_id = {r["id"]: r for r in rows}
    return [by_id[i] for i in order if i in by_id]


def _fmt(fig: Figure, digits: int = 1) -> str:
    if fig.value is None or (isinstance(fig.value, float) and np.isnan(fig.value)):
        return f"{fig.label}: not available ({fig.flag})"
    v = fig.value
    # a ratio of two datasets names both: "[business_counts_2025, 2025; over business_demography_2024, 2024]"
    tag = f"[{fig.source}, {fig.vintage}" + (f"; over {fig.denominator}]" if fig.denominator else "]")
    if fig.unit == "ratio":
        return f"{fig.label}: {v:.2f}  {tag}"
    txt = f"{v:,.{digits}f}" if fig.unit.startswith("%") else f"{v:,.0f}"
    # "11.6% of active" as "92.5%"; a rank "56 of 296", not "56 rank of 296"
    unit = (fig.unit if fig.unit.startswith("%") else " " + fig.unit.removeprefix("rank ")
            if fig.unit.startswith("rank of ") else f" {fig.unit}")
    return f"{fig.label}: {txt}{unit}  {tag}"


def _interval(stat: dict[str, Any]) -> str:
    if stat.get("lower") is None or stat.get("upper") is None:
        return ""
    rank = f"; rank {stat['rank']} of {stat['rank_of']}" if stat.get("rank") else ""
    return f" (95% interval {stat['lower']:.2f}-{stat['upper']:.2f}{rank})"


def profile_text(prof: dict[str, Any]) -> str:
    """Render a profile dict as plain text for the terminal."""
    p = prof["place"]
    lines = [f"{p['name']} ({p['code']}, {p['geo_type']})", "=" * 60]
    if p["member_lads"]:
        lines.append(f"Aggregate of {len(p['member_lads'])} LADs")
    if prof.get("as_of_year"):
        lines.append(f"As of {prof['as_of_year']}: the annual series (trend, growth, trajectory) ends there; "
                     "the other sections give the latest figures available, not "
                     f"{prof['as_of_year']}, each with its year in brackets.")
    said = None
    if p.get("member_rule") and p["geo_type"] not in ("lad",) and (
            p["member_lads"] or p["geo_type"] == "ttwa"):  # how an area is made of LADs (a TTWA's may be borrowed)
        lines.append(f"Members: {p['member_rule']}")
        said = p.get("group_note")  # a group's entries taken as their LADs: said here, not again in the notes
    ce = prof.get("creative_enterprises")
    if ce and ce.get("covered"):
        total = ce["total"]
        lines += ["", "Creative enterprises", "-" * 20,
                  f"{total.label}: {ZERO_COUNT} enterprises (published as 0; counts are rounded to 5)  "
                  f"[{total.source}, {total.vintage}]" if total.value == 0 else _fmt(total)]
        share = ce.get("share_of_england")
        if share and ce["total"].value == 0:  # a published 0 is 0 to 2 enterprises: its share is unknown, not 0
            lines.append(f"{share.label}: {ZERO_SHARE} (published as 0: 0 to 2 enterprises)  "
                         f"[{share.source}, {share.vintage}]")
        elif share:  # with the pack's decimals: 0.65%, not 0.7% here and 0.65% there
            lines.append(_fmt(share, digits=SHARE_DIGITS))
        if prof.get("business_lq"):
            lq = prof["statistics"]["figures"]["business_lq"]
            lines.append(_fmt(prof["business_lq"]) + _interval(lq))
        elif prof.get("business_lq_note"):
            lines.append(f"Business location quotient: {prof['business_lq_note']}")
        lines.append(f"  {'sub-sector':42} {'count':>8} {'% place':>8} {'LQ':>5} {'95% interval':>13}")
        for r in ce["by_subsector"]:
            n = "-" if r["enterprises"] is None else f"{r['enterprises']:,.0f}"
            sp = "-" if r["share_of_place_creative_pct"] is None else f"{r['share_of_place_creative_pct']:.1f}"
            lqv = "-" if r["business_lq"] is None else f"{r['business_lq']:.2f}"
            iv = "" if r["lq_lower"] is None else f"{r['lq_lower']:.2f}-{r['lq_upper']:.2f}"
            small = " (small count)" if "small-count" in r["flags"] else ""
            lines.append(f"  {r['subsector'][:42]:42} {n:>8} {sp:>8} {lqv:>5} {iv:>13}{small}")
        lines.append("  caveats: " + join_notes(ce["total"].caveats))
    for key in ("creative_share_of_active", "england_creative_share_of_active"):
        if prof.get(key):
            lines += [_fmt(prof[key])]
    if prof.get("creative_share_of_active") and prof["creative_share_of_active"].caveats:
        lines.append("  caveat: " + prof["creative_share_of_active"].caveats[0])
    lines += _employment_lines(prof["statistics"]["figures"])
    cw = prof.get("census_workforce")
    if cw and cw.get("covered"):
        # the census as the catalogue names it (``census_workforce["label"]``, e.g. "Census 2021"), never written here
        lines += ["", f"Workforce ({cw.get('label') or 'Census'}, residence-based)", "-" * 20,
                  _fmt(cw["residents"]), _fmt(cw["share"])]
        if cw.get("ew_share"):
            lines.append(_fmt(cw["ew_share"]))
        lines.append("  caveats: " + join_notes(cw["residents"].caveats))
    if prof.get("trajectory") is not None:
        from creative_clusters.reporting.trajectory_text import trajectory_lines

        lines += ["", *trajectory_lines(prof["trajectory"])]
        if prof.get("counts_note"):
            lines.append(f"  {prof['counts_note']}")
    if prof.get("nuts2_sources"):
        lines += _nuts2_lines(prof["nuts2_sources"])
    if prof.get("business_demography"):
        lines += ["", "Business demography (all industries)", "-" * 20]
        if prof.get("business_demography_method") and prof["business_demography_method"] != DEMOGRAPHY_PUBLISHED:
            lines.append(f"Not published for {p['name']}: {prof['business_demography_method']}.")
        lines += [_fmt(f) for f in prof["business_demography"]]
    if prof.get("deprivation"):
        lines += ["", "Deprivation", "-" * 20] + [_fmt(f) for f in prof["deprivation"]]
    if prof.get("anchors"):
        lines += ["", "Anchor institutions in the place", "-" * 20]
        for a in prof["anchors"].values():
            names = f" ({', '.join(a['names'][:8])}{'…' if a['count'] > 8 else ''})" if a["names"] else ""
            lines.append(f"{a['label']}: {a['count']}{names}")
            if a.get("nearest_outside"):
                near = "; ".join(
                    f"{n['name']} {n['km']:.1f} km" + (" (creative specialist)" if n["creative_specialist"] else "")
                    for n in a["nearest_outside"]
                )
                lines.append(f"  nearest outside the place: {near}")
        if "museums" in prof["anchors"]:
            lines.append("  Data from the Mapping Museums project, Birkbeck, University of London "
                         "(www.mappingmuseums.org), CC BY 4.0")
    if prof.get("missing"):
        lines += ["", "Missing or not applicable", "-" * 20] + [f"- {m}" for m in prof["missing"]]
    notes = [m for m in prof.get("notes") or [] if m != said]
    if notes:
        lines += ["", "Data-quality notes", "-" * 20] + [f"- {m}" for m in notes]
    lines += ["", f"Definitions: {prof['definitions_version']}.",
              "Contains public sector information licensed under the Open Government Licence v3.0."]
    return "\n".join(lines)


def _employment_lines(figures: dict[str, Any]) -> list[str]:
    """Creative workplace employment (BRES by LAD) as the statistics layer gives it, with its ranges; a sum over
    suppressed cells is said to be one (:mod:`creative_clusters.workflows.employment_lad`)."""
    ce = figures.get("creative_employment")
    if not ce:
        return []

    def fmt(f: dict[str, Any], pct: bool = False, ratio: bool = False) -> str:
        def one(x: Any) -> str:
            if x is None:
                return "no upper bound"
            return f"{100 * x:.1f}%" if pct else f"{x:.2f}" if ratio else f"{x:,.0f}"

        value = one(f["value"])
        if "suppressed" in f["flags"]:  # a count over published cells is a floor; a ratio of it is not
            value = (f"at least {value} in the published cells" if f["unit"] == "count"
                     else f"{value} from the published cells") + " (flagged: suppressed)"
        return (f"{f['label']}: {value} (range {one(f['lower'])} to {one(f['upper'])})  "
                f"[{f['source']['id']}, {f['period']}]")

    lines = ["", "Workplace employment (BRES, workplace-based)", "-" * 20, fmt(ce)]
    if figures.get("total_employment"):
        lines.append(fmt(figures["total_employment"]))
        lines.append(fmt(figures["creative_employment_share"], pct=True))
        lq = figures["employment_lq"]
        lines.append(fmt({**lq, "label": f"{lq['label']} against {lq['comparison_label']}"}, ratio=True))
        lines.append(f"  {lq['notes'][0]}")
    lines.append("  caveats: " + ce["notes"][0])
    return lines


def profile_json(prof: dict[str, Any]) -> dict[str, Any]:
    """The profile with Figures turned into dicts, for ``--json``."""

    def conv(o: Any) -> Any:
        if isinstance(o, Figure):
            return o.as_dict()
        if hasattr(o, "__dataclass_fields__"):  # typed results (the trajectory)
            return to_jsonable(o)
        if isinstance(o, dict):
            return {k: conv(v) for k, v in o.items()}
        if isinstance(o, list):
            return [conv(v) for v in o]
        return o

    return conv(prof)
