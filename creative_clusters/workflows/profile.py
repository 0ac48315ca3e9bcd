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

from creative_clusters.classifications.dcms import (
    DEFINITION_VERSION,
    SUBSECTORS,
    subsector_short,
)
from creative_clusters.warehouse import Warehouse

__all__ = ["Figure", "build_profile", "profile_text"]

ENGLAND = "E92000001"
MIXED_DENOMINATOR = (
    "denominator from Business Demography 2024 (active enterprises, any turnover or "
    "employment in 2024), numerator from UK Business Counts March 2025: different "
    "sources and dates"
)


@dataclass
class Figure:
    """One number with where it came from."""

    label: str
    value: float | None
    unit: str
    source: str
    vintage: str
    caveats: list[str] = field(default_factory=list)
    flag: str = "as-published"

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (NaN → None)."""
        d = asdict(self)
        if d["value"] is not None and (isinstance(d["value"], float) and np.isnan(d["value"])):
            d["value"] = None
        return d


def _members(place: Any) -> list[str]:
    members = list(getattr(place, "members", ()) or ())
    return members or [place.code]


def _sum_flag(flags: pd.Series) -> str:
    for f in ("suppressed", "low-reliability", "rounded"):
        if (flags == f).any():
            return f
    return "as-published"


def _creative_enterprises(wh: Warehouse, lads: list[str]) -> dict[str, Any] | None:
    if not wh.has_dataset("business_counts_2025"):
        return None
    from creative_clusters.workflows.areas import lad_business_counts

    counts = lad_business_counts(wh)  # LAD x sub-sector (short codes) summed from SIC classes
    obs = counts[counts["industry_code"] != "_T"]
    name_of = {subsector_short(sub): sub for sub in SUBSECTORS}
    obs = obs.assign(subsector=obs["industry_code"].map(name_of))
    place = obs[obs["geo_code"].isin(lads)]
    if place.empty:
        return {"covered": False}
    eng_by_sub = obs.groupby("subsector")["value"].sum()
    eng_total = float(obs["value"].sum())
    by_sub = place.groupby("subsector")["value"].sum().reindex(list(SUBSECTORS))
    total = float(place["value"].sum())
    rows = []
    for sub in SUBSECTORS:
        n = by_sub.get(sub, np.nan)
        eng = float(eng_by_sub.get(sub, np.nan))
        share = n / total if total else np.nan
        eng_share = eng / eng_total if eng_total else np.nan
        rows.append(
            {
                "subsector": sub,
                "enterprises": None if pd.isna(n) else float(n),
                "share_of_place_creative_pct": None if pd.isna(share) else 100 * share,
                "share_of_england_creative_pct": None if pd.isna(eng_share) else 100 * eng_share,
                "share_of_england_subsector_pct": None if not eng else 100 * float(n) / eng,
                "relative_specialisation": None
                if pd.isna(share) or not eng_share
                else share / eng_share,
            }
        )
    caveats = [
        "England only",
        "enterprises control-rounded to 5 by ONS; 0 can mean 0-2",
        "9101/9102 (museums, libraries) are absent from the published table",
    ]
    if len(lads) > 1:
        caveats.append(f"sum of {len(lads)} member LADs' rounded counts")
    return {
        "covered": True,
        "total": Figure(
            "Creative enterprises (29 of 31 DCMS classes)", total, "enterprises",
            "business_counts_2025", "March 2025", caveats, _sum_flag(place["disclosure_flag"]),
        ),
        "share_of_england": Figure(
            "Share of England's creative enterprises", 100 * total / eng_total, "%",
            "business_counts_2025", "March 2025", caveats, "rounded",
        ),
        "england_total": eng_total,
        "by_subsector": rows,
    }


def _active_enterprises(wh: Warehouse, code: str, lads: list[str]) -> tuple[float | None, str]:
    if not wh.has_dataset("business_demography_2024"):
        return (None, "")
    obs = wh.observations(
        dataset="business_demography_2024", measure="active_enterprises", period="2024"
    )
    direct = obs[obs["geo_code"] == code]
    if len(direct) == 1:
        return (float(direct["value"].iloc[0]), "as published for the place")
    sub = obs[obs["geo_code"].isin(lads)]
    if sub.empty:
        return (None, "")
    return (float(sub["value"].sum()), f"sum of {sub['geo_code'].nunique()} member LADs")


def _demography(wh: Warehouse, code: str) -> list[Figure]:
    if not wh.has_dataset("business_demography_2024"):
        return []
    obs = wh.observations(dataset="business_demography_2024", geo_code=code)
    out = []
    labels = {
        "active_enterprises": ("Active enterprises (all industries)", "enterprises"),
        "birth_rate_pct": ("Business birth rate", "% of active"),
        "death_rate_pct": ("Business death rate", "% of active"),
        "high_growth_rate_pct": ("High-growth enterprises (share of active)", "% of active"),
    }
    for measure, (label, unit) in labels.items():
        m = obs[(obs["measure"] == measure)]
        if m.empty:
            continue
        latest = m.sort_values("period").iloc[-1]
        out.append(
            Figure(label, float(latest["value"]), unit, "business_demography_2024",
                   str(latest["period"]), ["all industries, not creative only"],
                   str(latest["disclosure_flag"]))
        )
    surv = obs[obs["measure"] == "survival_rate_pct"]
    if not surv.empty:
        latest_p = surv["period"].max()
        for rec in surv[surv["period"] == latest_p].sort_values("status").to_dict("records"):
            out.append(
                Figure(f"Survival rate ({rec['status']})", rec["value"], "%",
                       "business_demography_2024", f"cohort {latest_p}",
                       ["all industries"], rec["disclosure_flag"])
            )
    return out


def _census_creative(wh: Warehouse, lads: list[str]) -> dict[str, Any] | None:
    if not (wh.has_dataset("census2021_ts060") and wh.has_dataset("bres_nuts2")):
        return None
    from creative_clusters.workflows.people import creative_residents_by_lad

    by_lad = creative_residents_by_lad(wh)  # division_sum, shares from GB BRES 2018
    place = by_lad[by_lad["geo_code"].isin(lads)]
    if place.empty:
        return {"covered": False}
    creative = float(place["creative_residents"].sum())
    total_place = float(place["residents_in_employment"].sum())
    ew = float(by_lad["creative_residents"].sum())
    total_ew = float(by_lad["residents_in_employment"].sum())
    divs = str(by_lad["divisions"].iloc[0]).replace(",", ", ")
    caveats = [
        "residents counted where they live, not where they work",
        "2-digit SIC approximation of the DCMS definition: divisions at least 50% creative in "
        f"GB BRES 2018 (4-digit) employment ({divs}); see docs/workforce.md",
        "England and Wales only",
    ]
    return {
        "covered": True,
        "residents": Figure("Residents working in creative divisions", creative,
                            "persons", "census2021_ts060", "Census 2021", caveats),
        "share": Figure("Share of residents in employment", 100 * creative / total_place,
                        "%", "census2021_ts060", "Census 2021", caveats),
        "ew_share": Figure("England and Wales share", 100 * ew / total_ew, "%",
                           "census2021_ts060", "Census 2021", caveats),
    }


def _deprivation(wh: Warehouse, code: str, lads: list[str]) -> list[Figure]:
    """IMD ranks of a single LAD (ranks are never aggregated), via people.inclusion.imd_rank."""
    from creative_clusters.errors import ClusterToolkitError
    from creative_clusters.people.inclusion import imd_rank

    out: list[Figure] = []
    if len(lads) > 1:
        return out
    for ds, label in (("imd2019_england", "IMD 2019"), ("imd2025_england", "IMD 2025")):
        if not wh.has_dataset(ds):
            continue
        try:
            r = imd_rank(wh.observations(dataset=ds), code, dataset=ds)
        except ClusterToolkitError:  # another nation, or a LAD merged since the index
            continue
        if r["rank"] is None:
            continue
        out.append(
            Figure(f"{label} rank of average score (1 = most deprived)", float(r["rank"]),
                   f"rank of {r['of']}", ds, label,
                   ["England only; not comparable with Welsh, Scottish or NI indices"])
        )
    return out


def _anchors(wh: Warehouse, lads: list[str]) -> dict[str, Any] | None:
    try:
        lad_geom = wh.read_geometry("lad_2023")
    except Exception:  # geometry not imported
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
        if "open_2021" in t.columns:  # museums: count those open in 2021
            t = t[t["open_2021"].fillna(False).astype(bool)]
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


def build_profile(wh: Warehouse, place: Any) -> dict[str, Any]:
    """Build the profile of a resolved place as a plain dict.

    ``place`` is a resolved place (from
    :func:`creative_clusters.geography.resolver.resolve_place`) with ``code``,
    ``name``, ``geo_type`` and ``members`` (member LAD codes for aggregates).
    """
    lads = _members(place)
    missing: list[str] = []
    prof: dict[str, Any] = {
        "place": {"code": place.code, "name": place.name, "geo_type": place.geo_type,
                  "member_lads": lads if len(lads) > 1 else [], "data_codes": lads},
        "definitions_version": DEFINITION_VERSION,
    }
    ce = _creative_enterprises(wh, lads)
    if ce is None:
        missing.append("creative enterprises: import business_counts_2025 (`data import DIR`)")
    elif not ce["covered"]:
        missing.append("creative enterprises: UK Business Counts in the bundle cover England only")
    prof["creative_enterprises"] = ce
    active, how = _active_enterprises(wh, lads[0] if len(lads) == 1 else place.code, lads)
    if ce and ce.get("covered") and active:
        total = ce["total"].value
        eng_active, _ = _active_enterprises(wh, ENGLAND, [ENGLAND])
        prof["creative_share_of_active"] = Figure(
            "Creative enterprises as a share of all active enterprises", 100 * total / active,
            "%", "business_counts_2025 / business_demography_2024", "2025 / 2024",
            [MIXED_DENOMINATOR, f"active enterprises {how}"],
        )
        if eng_active:
            prof["england_creative_share_of_active"] = Figure(
                "England: creative share of active enterprises",
                100 * ce["england_total"] / eng_active, "%",
                "business_counts_2025 / business_demography_2024", "2025 / 2024",
                [MIXED_DENOMINATOR],
            )
    census = _census_creative(wh, lads)
    if census is None:
        missing.append("Census 2021 workforce: import census2021_ts060")
    elif not census["covered"]:
        missing.append("Census 2021 TS060 covers England and Wales only")
    prof["census_workforce"] = census
    own_code = lads[0] if len(lads) == 1 else place.code
    prof["business_demography"] = _demography(wh, own_code)
    if not prof["business_demography"] and len(lads) > 1:
        missing.append("business demography rates are published for LADs, regions and "
                       "countries; they are not averaged over member LADs")
    prof["deprivation"] = _deprivation(wh, own_code, lads)
    prof["anchors"] = _anchors(wh, lads)
    if prof["anchors"] is None:
        missing.append("anchors: import geography and anchors datasets")
    prof["missing"] = missing
    prof["sources"] = wh.query(
        "SELECT id, title, publisher, vintage, licence, attribution FROM catalogue ORDER BY id"
    ).to_dict("records")
    return prof


def _fmt(fig: Figure) -> str:
    if fig.value is None or (isinstance(fig.value, float) and np.isnan(fig.value)):
        return f"{fig.label}: not available ({fig.flag})"
    v = fig.value
    txt = f"{v:,.1f}" if fig.unit.startswith("%") else f"{v:,.0f}"
    unit = "%" if fig.unit == "%" else f" {fig.unit}"
    return f"{fig.label}: {txt}{unit}  [{fig.source}, {fig.vintage}]"


def profile_text(prof: dict[str, Any]) -> str:
    """Render a profile dict as plain text for the terminal."""
    p = prof["place"]
    lines = [f"{p['name']} ({p['code']}, {p['geo_type']})", "=" * 60]
    if p["member_lads"]:
        lines.append(f"Aggregate of {len(p['member_lads'])} LADs")
    ce = prof.get("creative_enterprises")
    if ce and ce.get("covered"):
        lines += ["", "Creative enterprises", "-" * 20, _fmt(ce["total"]), _fmt(ce["share_of_england"])]
        lines.append(f"  {'sub-sector':42} {'count':>8} {'% place':>8} {'% Eng':>7} {'rel.':>5}")
        for r in ce["by_subsector"]:
            n = "-" if r["enterprises"] is None else f"{r['enterprises']:,.0f}"
            sp = "-" if r["share_of_place_creative_pct"] is None else f"{r['share_of_place_creative_pct']:.1f}"
            se = "-" if r["share_of_england_creative_pct"] is None else f"{r['share_of_england_creative_pct']:.1f}"
            rs = "-" if r["relative_specialisation"] is None else f"{r['relative_specialisation']:.2f}"
            lines.append(f"  {r['subsector'][:42]:42} {n:>8} {sp:>8} {se:>7} {rs:>5}")
        lines.append("  caveats: " + "; ".join(ce["total"].caveats))
    for key in ("creative_share_of_active", "england_creative_share_of_active"):
        if prof.get(key):
            lines += [_fmt(prof[key])]
    if prof.get("creative_share_of_active"):
        lines.append("  caveat: " + prof["creative_share_of_active"].caveats[0])
    cw = prof.get("census_workforce")
    if cw and cw.get("covered"):
        lines += ["", "Workforce (Census 2021, residence-based)", "-" * 20,
                  _fmt(cw["residents"]), _fmt(cw["share"]), _fmt(cw["ew_share"]),
                  "  caveats: " + "; ".join(cw["residents"].caveats)]
    if prof.get("business_demography"):
        lines += ["", "Business demography (all industries)", "-" * 20]
        lines += [_fmt(f) for f in prof["business_demography"]]
    if prof.get("deprivation"):
        lines += ["", "Deprivation", "-" * 20] + [_fmt(f) for f in prof["deprivation"]]
    if prof.get("anchors"):
        lines += ["", "Anchor institutions in the place", "-" * 20]
        for a in prof["anchors"].values():
            lines.append(f"{a['label']}: {a['count']}" + (f" ({', '.join(a['names'][:8])}{'…' if a['count'] > 8 else ''})" if a["names"] else ""))
            if a.get("nearest_outside"):
                near = "; ".join(
                    f"{n['name']} {n['km']:.1f} km" + (" (creative specialist)" if n["creative_specialist"] else "")
                    for n in a["nearest_outside"]
                )
                lines.append(f"  nearest outside the place: {near}")
        if "museums" in prof["anchors"]:
            lines.append("  Data from the Mapping Museums project, Birkbeck, University of London (www.mappingmuseums.org), CC BY 4.0")
    if prof.get("missing"):
        lines += ["", "Missing or not applicable", "-" * 20] + [f"- {m}" for m in prof["missing"]]
    lines += ["", f"Definitions: {prof['definitions_version']}.",
              "Contains public sector information licensed under the Open Government Licence v3.0."]
    return "\n".join(lines)


def profile_json(prof: dict[str, Any]) -> dict[str, Any]:
    """The profile with Figures turned into dicts, for ``--json``."""

    def conv(o: Any) -> Any:
        if isinstance(o, Figure):
            return o.as_dict()
        if isinstance(o, dict):
            return {k: conv(v) for k, v in o.items()}
        if isinstance(o, list):
            return [conv(v) for v in o]
        return o

    return conv(prof)
