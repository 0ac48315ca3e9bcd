"""People and place assets from the warehouse: the ``workforce``, ``inclusion`` and ``anchors`` commands.

Thin functions that read the warehouse and call the pure functions in
:mod:`creative_clusters.people`. Every figure is a dict with ``label``,
``value``, ``unit``, ``source``, ``vintage``, ``basis`` (``residence``: where
people live; ``workplace``: where jobs are; ``register``: enterprise register
location; ``point``: institution address), ``caveats`` and ``flag``.
Figures for an aggregate place are sums of member-LAD counts; ranks and rates
are never averaged across LADs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.classifications.dcms import DEFINITION_VERSION
from creative_clusters.classifications.soc import SOC2020_VERSION
from creative_clusters.errors import ParameterError, UnknownCodeError, WarehouseError
from creative_clusters.geography.place import MEMBER_RULES, Place, nation_of
from creative_clusters.people import anchors as anc
from creative_clusters.people import inclusion as inc
from creative_clusters.people.checks import check_people_table
from creative_clusters.people.createch import createch_counts, createch_flag
from creative_clusters.people.occupations import (
    creative_occupation_bounds,
    minor_group_table,
    self_employment,
)
from creative_clusters.people.selfemployed_lq import (
    estimate_creative_self_employed,
    se_inclusive_lq,
    self_employment_propensity,
)
from creative_clusters.people.workforce import (
    approximate_divisions,
    creative_residents,
    division_creative_shares,
    division_error,
)
from creative_clusters.warehouse import Warehouse

__all__ = [
    "TRIDENT_NOTE",
    "anchors_report",
    "createch_by_place",
    "creative_residents_by_lad",
    "fdi_report",
    "inclusion_report",
    "national_division_shares",
    "workforce_report",
]

EW = "K04000001"
LONDON = "E12000007"
REST_OF_UK = "K02000001-xLDN"
TRIDENT_NOTE = (
    "The creative trident (creative jobs in creative industries; creative jobs elsewhere; other jobs "
    "in creative industries) is not in the reference bundle: no ONS ad-hoc workbook here splits jobs "
    "by SIC x SOC. Use creative_clusters.people.trident.creative_trident on your own SIC x SOC table."
)
def _ds(wh: Warehouse, kind: str) -> str:
    """The id of the dataset serving ``kind`` (latest vintage), or "" when none is imported."""
    ref = wh.find_dataset(kind)
    return ref.id if ref is not None else ""


def _has(wh: Warehouse, kind: str) -> bool:
    return wh.find_dataset(kind) is not None


RESIDENCE = "residence"
WORKPLACE = "workplace"


def _fig(label: str, value: Any, unit: str, source: str, vintage: str, basis: str,
         caveats: list[str] | None = None, flag: str = "as-published") -> dict[str, Any]:
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        value = None
    return {"label": label, "value": None if value is None else (float(value) if not isinstance(value, int)
            else value), "unit": unit, "source": source, "vintage": vintage, "basis": basis,
            "caveats": list(caveats or []), "flag": flag}


def _members(wh: Warehouse, place: Place, vintage: int) -> list[str]:
    """The place's LADs on ``vintage`` codes (the data's LAD vintage: the place's own members)."""
    from creative_clusters.geography.membership import hierarchy_members

    if str(vintage) == kinds.LAD_VINTAGE:
        return list(place.members)
    try:
        m = list(hierarchy_members(wh.table("lad_hierarchy"), place.level, place.code, vintage=str(vintage)))
    except ParameterError:
        m = []
    if not m and place.level == "lad":
        m = list(place.members) or [place.code]
    return m


def _no_lads(place: Any) -> str:
    return (f"{place.name} is a {place.geo_type} area, which is not a union of LADs; these figures are built "
            "from LADs: ask for a LAD, combined authority, region or country")


def _place_dict(place: Any, lads: list[str]) -> dict[str, Any]:
    return {"code": place.code, "name": place.name, "geo_type": place.geo_type, "member_lads": lads}


# ---------------------------------------------------------------- workforce
def national_division_shares(wh: Warehouse, *, period: str | None = None) -> pd.DataFrame:
    """Creative share of each SIC division from GB BRES 4-digit employment (latest year by default)."""
    if not _has(wh, kinds.EMPLOYMENT_NUTS2):
        raise WarehouseError(
            "BRES employment by SIC class is needed for the division shares; import it with `data import`."
        )
    period = period or wh.latest_period(_ds(wh, kinds.EMPLOYMENT_NUTS2), measure="employment")
    b = wh.observations(dataset=_ds(wh, kinds.EMPLOYMENT_NUTS2), measure="employment", industry_scheme="SIC2007",
                        period=period)
    if b.empty:
        raise WarehouseError(f"{_ds(wh, kinds.EMPLOYMENT_NUTS2)} has no employment for {period}.")
    return division_creative_shares(b[b["industry_code"].str.fullmatch(r"\d{4}")])


def creative_residents_by_lad(wh: Warehouse, *, method: str = "division_sum") -> pd.DataFrame:
    """Creative residents for every England and Wales LAD (2021 boundaries) from Census TS060.

    Returns ``geo_code, creative_residents, residents_in_employment, share_pct,
    residence_lq`` (vs England and Wales), ``method``, ``divisions``; basis: residence.
    """
    ts = wh.observations(dataset=_ds(wh, kinds.CENSUS_INDUSTRY), measure="residents_in_employment")
    if ts.empty:
        raise WarehouseError(
            "the Census 2021 industry table (TS060) is not imported; run `creative-clusters data import DIR`."
        )
    check_people_table(ts, geo_type="lad", what=_ds(wh, kinds.CENSUS_INDUSTRY))
    cr = creative_residents(ts[ts["industry_code"] != "_T"], national_division_shares(wh), method=method)
    tot = ts[ts["industry_code"] == "_T"].set_index("geo_code")["value"].rename("residents_in_employment")
    out = cr.join(tot, on="geo_code")
    out["share_pct"] = 100 * out["creative_residents"] / out["residents_in_employment"]
    ew = out["creative_residents"].sum() / out["residents_in_employment"].sum()
    out["residence_lq"] = (out["share_pct"] / 100) / ew
    return out[["geo_code", "creative_residents", "residents_in_employment", "share_pct", "residence_lq",
                "method", "divisions"]]


def workforce_report(wh: Warehouse, place: Any) -> dict[str, Any]:
    """Creative workforce of a place: TS060 residents, GM occupations and self-employment, SE-inclusive LQ."""
    lads21 = _members(wh, place, 2021)
    out: dict[str, Any] = {"place": _place_dict(place, lads21), "definition": DEFINITION_VERSION,
                           "trident": TRIDENT_NOTE, "missing": [] if lads21 else [_no_lads(place)]}
    shares = national_division_shares(wh)
    divs = approximate_divisions(shares)
    err = division_error(shares, divs)
    out["division_approximation"] = {
        "divisions": divs, "national_shares": shares.round(4).to_dict("records"),
        "gb_bres_2018": {k: round(v, 1) for k, v in err.items()},
        "note": ("division_sum counts every resident in divisions whose GB creative share (BRES 2018, "
                 "4-digit) is at least 50%; share_weighted weights every division holding a creative class "
                 "by that national share (assumes the national class mix in each place)."),
    }
    ts = wh.observations(dataset=_ds(wh, kinds.CENSUS_INDUSTRY), measure="residents_in_employment") \
        if _has(wh, kinds.CENSUS_INDUSTRY) else pd.DataFrame()
    if ts.empty:
        out["missing"].append("the Census 2021 industry table (TS060) is not imported")
    else:
        check_people_table(ts, geo_type="lad", what=_ds(wh, kinds.CENSUS_INDUSTRY))
        divrows = ts[ts["industry_code"] != "_T"]
        tot = ts[ts["industry_code"] == "_T"].set_index("geo_code")["value"]
        ew_total = float(tot.sum())
        cav = ["Census 2021 counts residents in employment where they live, not jobs where they are",
               "2-digit SIC divisions approximate the 31-class DCMS definition; see division_approximation",
               "Census cells are perturbed by ONS (cell-key method)"]
        place_lads = [c for c in lads21 if c in tot.index]
        res: dict[str, Any] = {}
        for method in ("division_sum", "share_weighted"):
            cr = creative_residents(divrows, shares, method=method).set_index("geo_code")["creative_residents"]
            ew_share = float(cr.sum()) / ew_total
            if place_lads:
                n = float(cr.reindex(place_lads).sum())
                denom = float(tot.reindex(place_lads).sum())
                res[method] = {
                    "creative_residents": _fig(f"Residents working in creative industries ({method})", n,
                                               "persons",
                                               f"{_ds(wh, kinds.CENSUS_INDUSTRY)} + {_ds(wh, kinds.EMPLOYMENT_NUTS2)}",
                                               "2021-03-21", RESIDENCE, cav),
                    "share_pct": _fig("Share of residents in employment", 100 * n / denom, "%",
                                      _ds(wh, kinds.CENSUS_INDUSTRY), "2021-03-21", RESIDENCE, cav),
                    "residence_lq_vs_ew": _fig("Residence-based creative LQ vs England and Wales",
                                               (n / denom) / ew_share, "ratio", _ds(wh, kinds.CENSUS_INDUSTRY),
                                               "2021-03-21", RESIDENCE, cav),
                }
        if place_lads:
            res["residents_in_employment"] = _fig("Residents in employment", float(tot.reindex(place_lads).sum()),
                                                  "persons", _ds(wh, kinds.CENSUS_INDUSTRY), "2021-03-21", RESIDENCE)
        elif lads21:
            out["missing"].append("Census 2021 TS060 covers England and Wales LADs (2021 boundaries) only")
        res["england_wales_residents_in_employment"] = _fig(
            "England and Wales residents in employment", ew_total, "persons", _ds(wh, kinds.CENSUS_INDUSTRY),
            "2021-03-21", RESIDENCE, ["published total 27,773,743"])
        out["census_ts060"] = res
    out.update(_gm_workforce(wh, lads21, out["missing"]))
    return out


def _occupations(wh: Warehouse, lads: list[str], missing: list[str]) -> dict[str, Any] | None:
    """Creative-occupation bounds from any imported SOC 2020 minor-group table covering every member LAD."""
    obs = wh.observations(occupation_scheme="SOC2020_MINOR", geo_code=lads)
    if obs.empty:
        missing.append("no SOC 2020 minor-group occupation table for this place (the bundle has the 10 Greater "
                       "Manchester LADs only); fetch Census 2021 TS063 at 3 digits with `creative-clusters fetch`")
        return None
    order = sorted(obs["dataset"].unique(), key=lambda d: (d != _ds(wh, kinds.CENSUS_GM_WORKFORCE), d))
    for ds in order:
        t = obs[obs["dataset"] == ds]
        t = t[t["measure"] == t["measure"].mode().iloc[0]]
        if set(t["geo_code"]) >= set(lads):
            check_people_table(t, geo_type="lad", what=ds)
            b = creative_occupation_bounds(t).set_index("geo_code").loc[lads, ["lower", "upper", "total"]].sum()
            vint = str(t["period"].iloc[0])
            cav = ["Census 2021, residents in employment where they live",
                   "SOC 2020 3-digit minor groups: the DCMS 4-digit count lies between the two bounds"]
            return {
                "lower": _fig("Creative occupations, lower bound (wholly creative minor groups)", b["lower"],
                              "persons", ds, vint, RESIDENCE, cav),
                "upper": _fig("Creative occupations, upper bound (minor groups containing a creative unit group)",
                              b["upper"], "persons", ds, vint, RESIDENCE, cav),
                "lower_pct": 100 * b["lower"] / b["total"], "upper_pct": 100 * b["upper"] / b["total"],
                "minor_groups": minor_group_table().to_dict("records"),
                "definition": SOC2020_VERSION,
            }
    missing.append(f"occupation tables cover only {obs['geo_code'].nunique()} of the {len(lads)} member LADs; "
                   "figures are not given for part of a place")
    return None


def _gm_workforce(wh: Warehouse, lads: list[str], missing: list[str]) -> dict[str, Any]:
    if not lads:
        return {}
    out: dict[str, Any] = {}
    occ = _occupations(wh, lads, missing)
    if occ is not None:
        out["occupations"] = occ
    if not _has(wh, kinds.CENSUS_GM_WORKFORCE):
        missing.append("the Census 2021 Greater Manchester occupation and self-employment tables are not imported")
        return out
    gm = wh.observations(dataset=_ds(wh, kinds.CENSUS_GM_WORKFORCE))
    check_people_table(gm, geo_type="lad", what=_ds(wh, kinds.CENSUS_GM_WORKFORCE))
    gm_lads = set(gm["geo_code"])
    in_gm = [c for c in lads if c in gm_lads]
    if len(in_gm) < len(lads):
        missing.append("self-employment tables in the bundle cover the 10 Greater Manchester LADs only"
                       + (f" ({len(in_gm)} of this place's {len(lads)} LADs; no partial sums)" if in_gm else "")
                       + "; import Census 2021 TS066 for other places")
        return out
    cav = ["Census 2021, residents aged 16+ where they live", "Greater Manchester tables (Trafford Data Lab)"]
    act = gm[gm["measure"] == "residents_16_plus"]
    se = self_employment(act).set_index("geo_code")
    s = se.loc[in_gm].sum()
    gm_ds = _ds(wh, kinds.CENSUS_GM_WORKFORCE)
    selfemp = {k: _fig(lbl, s[k], "persons", gm_ds, "2021-03-21", RESIDENCE, cav) for k, lbl in (
        ("self_employed_with_employees", "Self-employed with employees"),
        ("self_employed_without_employees", "Self-employed without employees"),
        ("self_employed", "Self-employed, all"), ("in_employment", "Residents in employment"))}
    selfemp["self_employed_pct"] = _fig("Self-employed share of residents in employment",
                                        100 * s["self_employed"] / s["in_employment"], "%", gm_ds,
                                        "2021-03-21", RESIDENCE, cav)
    out.update({"self_employment_gm": selfemp, "se_inclusive_lq_gm": _se_lq_gm(wh, se, in_gm)})
    return out


def _se_lq_gm(wh: Warehouse, se: pd.DataFrame, in_gm: list[str]) -> dict[str, Any] | None:
    """Enterprise LQ vs the SE-inclusive LQ for GM LADs (reference: the 10 GM LADs together)."""
    if not (_has(wh, kinds.CREATIVE_ENTERPRISES_SIC) and _has(wh, kinds.ACTIVE_ENTERPRISES)
            and _has(wh, kinds.CENSUS_INDUSTRY)):
        return None
    gm = list(se.index)
    ce = wh.observations(dataset=_ds(wh, kinds.CREATIVE_ENTERPRISES_SIC), measure="enterprises",
                         industry_scheme="DCMS_CI", industry_code="_T", geo_code=gm).set_index("geo_code")["value"]
    ae_id = _ds(wh, kinds.ACTIVE_ENTERPRISES)
    ae = wh.observations(dataset=ae_id, measure="active_enterprises",
                         period=wh.latest_period(ae_id, measure="active_enterprises"),
                         geo_code=gm).set_index("geo_code")["value"]
    ts = wh.observations(dataset=_ds(wh, kinds.CENSUS_INDUSTRY), measure="residents_in_employment", geo_code=gm)
    share = creative_residents(ts[ts["industry_code"] != "_T"], national_division_shares(wh),
                               method="share_weighted").set_index("geo_code")["creative_residents"]
    share = share / ts[ts["industry_code"] == "_T"].set_index("geo_code")["value"]
    prop, prop_src = 1.0, "1.0 (no APS workbook imported)"
    if _has(wh, kinds.ONS_JOBS_DEMOGRAPHICS):
        d_id = _ds(wh, kinds.ONS_JOBS_DEMOGRAPHICS)
        d = wh.observations(dataset=d_id, geo_code=REST_OF_UK, period=wh.latest_period(d_id))
        v = {(r.industry_code, r.status): r.value for r in d.itertuples()}
        try:
            cse, ce_ = v[("total_excl_it_software", "employment_type=self_employed")], \
                v[("total_excl_it_software", "employment_type=employee")]
            ase, ae_ = v[("_T", "employment_type=self_employed")], v[("_T", "employment_type=employee")]
            prop = self_employment_propensity(cse, cse + ce_, ase, ase + ae_)
            prop_src = (f"{prop:.2f}: creative (excl. IT) self-employment rate / all-industry rate, APS "
                        f"{wh.latest_period(d_id)}, "
                        "UK excluding London (ONS ad-hoc workbook)")
        except KeyError:
            pass
    t = pd.DataFrame({"creative": ce, "total": ae}).dropna()
    t["total_se"] = se["self_employed_without_employees"].reindex(t.index)
    t["creative_se"] = estimate_creative_self_employed(t["total_se"], share.reindex(t.index).clip(0, 1),
                                                       propensity=prop)
    lq = se_inclusive_lq(t.rename_axis("geo_code").reset_index())
    rows = lq[lq["geo_code"].isin(in_gm)].round(4).to_dict("records")
    return {
        "rows": rows,
        "reference": "the 10 Greater Manchester LADs together (the only area with self-employment data in the bundle)",
        "ordinary_basis": "creative enterprises (UK Business Counts, March 2025) / active enterprises "
                          "(Business Demography 2024)",
        "self_employed_added": "self-employed without employees (Census 2021): sole traders mostly missing "
                               "from the IDBR; those with employees are assumed already registered",
        "creative_self_employed": "ESTIMATE = self-employed without employees x min(1, creative share of "
                                  "residents in employment (TS060, share-weighted) x propensity); propensity "
                                  + prop_src,
        "basis": "mixed: register (enterprises) and residence (self-employed)",
        "caveats": ["the creative self-employed are estimated, not counted", "different dates: 2021 census, "
                    "2024 demography, 2025 business counts", "enterprise counts rounded to 5"],
    }


# ---------------------------------------------------------------- inclusion
def inclusion_report(wh: Warehouse, place: Any) -> dict[str, Any]:
    """Deprivation ranks, creative activity by deprivation decile, composition and job quality."""
    out: dict[str, Any] = {"missing": []}
    lads23 = _members(wh, place, int(kinds.LAD_VINTAGE))
    out["place"] = _place_dict(place, lads23)
    if not lads23:
        out["missing"].append(_no_lads(place))
    ranks = []
    for kind, (prefix, _name, _measure) in inc.DEPRIVATION_KINDS.items():
        ref = wh.find_dataset(kind)
        if ref is None:
            continue
        obs = wh.observations(dataset=ref.id)
        # each index is published on its own LAD set: take the place's members on that set
        vintages = sorted(obs.loc[obs["geo_type"] == "lad", "geo_vintage"].astype(str).unique())
        members = _members(wh, place, int(vintages[0])) if vintages else lads23
        for lad in [c for c in members if c.startswith(prefix)]:
            try:
                r = inc.imd_rank(obs, lad, dataset=ref.id, kind=kind, vintage=ref.vintage)
            except UnknownCodeError as exc:
                out["missing"].append(str(exc))
                continue
            ranks.append({"lad": lad, **r, "basis": RESIDENCE,
                          "caveat": "1 = most deprived; ranks within this nation's index only"})
    out["deprivation_ranks"] = ranks
    if len(lads23) > 1:
        out["deprivation_note"] = "ranks are per member LAD; they are never averaged"
    out["creative_by_deprivation_decile"] = _by_decile(wh, lads23, out["missing"])
    in_london = bool(lads23) and all(c.startswith("E09") for c in lads23)
    area = LONDON if in_london else REST_OF_UK
    out["job_quality_area"] = {"code": area, "name": "London" if in_london else "UK excluding London",
                               "note": "the ONS workbooks split only London vs the rest of the UK; the place's "
                                       "own figures are not published"}
    if _has(wh, kinds.ONS_JOB_QUALITY):
        jq = inc.job_quality_panel(wh.observations(dataset=_ds(wh, kinds.ONS_JOB_QUALITY)))
        jq = jq[jq["period"] == jq["period"].max()]
        out["job_quality"] = {"rows": jq.round(2).replace({np.nan: None}).to_dict("records"),
                              "source": _ds(wh, kinds.ONS_JOB_QUALITY), "vintage": str(jq["period"].max()),
                              "basis": WORKPLACE, "caveats": ["APS survey estimates; low-reliability cells "
                              "(sample <= 25) and suppressed cells are flagged and stay flagged"]}
    else:
        out["missing"].append("the ONS creative job-quality workbook is not imported")
    ds = _ds(wh, kinds.ONS_JOBS_DEMOGRAPHICS)
    if ds:
        c = inc.workforce_composition(wh.observations(dataset=ds))
        c = c[(c["period"] == c["period"].max()) & (c["industry_code"] == "total_excl_it_software")]
        out["workforce_composition"] = {
            "rows": c.round(2).replace({np.nan: None}).to_dict("records"), "source": ds,
            "vintage": str(c["period"].max()), "basis": WORKPLACE,
            "caveats": ["the workbook's creative-industries total EXCLUDES IT, software and computer services",
                        "APS survey estimates; suppressed/low-reliability cells stay flagged"]}
    return out


def _by_decile(wh: Warehouse, lads23: list[str], missing: list[str]) -> dict[str, Any] | None:
    from creative_clusters.workflows.business_counts import denominator_period_for

    dep, ce_ref, ae_ref = (wh.find_dataset(k) for k in (
        kinds.DEPRIVATION_ENGLAND, kinds.CREATIVE_ENTERPRISES_SIC, kinds.ACTIVE_ENTERPRISES))
    if dep is None or ce_ref is None or ae_ref is None:
        missing.append("creative activity by deprivation needs the English Indices of Deprivation, UK Business "
                       "Counts and Business Demography; import them with `data import`")
        return None
    ce = wh.observations(dataset=ce_ref.id, measure="enterprises", industry_scheme="DCMS_CI", industry_code="_T")
    period = str(ce["period"].max())
    sc_all = wh.observations(dataset=dep.id, measure="imd_average_score")
    have = set(ce["geo_code"])
    # the LAD set of the index that matches the business counts' LADs best
    vintage = max(sorted(sc_all["geo_vintage"].astype(str).unique()),
                  key=lambda v: len(set(sc_all.loc[sc_all["geo_vintage"] == v, "geo_code"]) & have))
    dec = inc.deprivation_deciles(sc_all[sc_all["geo_vintage"] == vintage])
    ce = ce[ce["period"] == period]
    den_period = denominator_period_for(wh, period)
    ae = wh.observations(dataset=ae_ref.id, measure="active_enterprises", period=den_period, geo_type="lad")
    ae = ae[ae["geo_code"].str.startswith("E")]
    table, report = inc.creative_by_deprivation_decile(ce, ae, dec)
    place_dec = dec[dec["geo_code"].isin(lads23)][["geo_code", "decile"]].to_dict("records")
    return {"rows": table.round(2).to_dict("records"), "set_aside": report, "place_deciles": place_dec,
            "unit": "creative enterprises per 1,000 active enterprises", "basis": "register",
            "source": f"{ce_ref.id} / {ae_ref.id} / {dep.id} (LAD {vintage})",
            "caveats": [f"deciles of England LADs by the {dep.vintage} English Indices of Deprivation average "
                        f"score on {vintage} boundaries (1 = most deprived); ratio of sums within each decile",
                        f"numerator {period} snapshot, denominator active in {den_period}: different sources",
                        "England only; 9101/9102 absent from the business counts"]}


# ---------------------------------------------------------------- anchors
def anchors_report(wh: Warehouse, place: Any, *, k: int = 3) -> dict[str, Any]:
    """HE providers and museums in the place, per 100k people, and nearest anchors to microclusters."""
    lads23 = _members(wh, place, 2023)
    out: dict[str, Any] = {"place": _place_dict(place, lads23), "missing": [] if lads23 else [_no_lads(place)]}
    try:
        geom = wh.read_geometry("lad_2023")
    except WarehouseError:
        out["missing"].append("LAD 2023 boundaries not imported (geometry layer lad_2023)")
        return out
    pop = _population(wh, lads23)
    out["population"] = pop
    anchors_bng = []
    if wh.has_table("hei"):
        h = anc.assign_lad(wh.table("hei"), geom)
        inside = h[h["lad_code"].isin(lads23)]
        n = len(inside)
        out["hei"] = {
            "count": _fig("Higher-education providers", n, "providers", "anchors_hei", "c. 2015", "point",
                          ["HE providers list of about 2015; some names out of date"]),
            "creative_specialists": int(inside["creative_specialist"].fillna(False).astype(bool).sum()),
            "per_100k": anc.per_100k(n, pop["value"]) if pop else None,
            "names": sorted(inside["view_name"].astype(str))[:30],
            "unplaced_uk_total": h.attrs.get("unplaced", 0),
        }
        anchors_bng.append(anc.anchor_points_bng(wh.table("hei"), kind="hei", name="view_name"))
    else:
        out["missing"].append("anchors_hei not imported")
    if wh.has_table("museums"):
        m = anc.assign_lad(wh.table("museums"), geom)
        inside = m[m["lad_code"].isin(lads23)]
        open_ = inside[inside["open_2021"].fillna(False).astype(bool)]
        out["museums"] = {
            "open_2021": _fig("Museums open in 2021", len(open_), "museums", "anchors_museums", "1960-2021",
                              "point", [anc.MUSEUMS_ATTRIBUTION]),
            "accredited_open_2021": int(open_["accredited"].fillna(False).astype(bool).sum()),
            "per_100k": anc.per_100k(len(open_), pop["value"]) if pop else None,
            "by_governance": anc.museum_breakdown(inside, by="governance_type").to_dict("records"),
            "by_subject": anc.museum_breakdown(inside, by="subject_matter").to_dict("records"),
            "attribution": anc.MUSEUMS_ATTRIBUTION,
            "licence": "CC BY 4.0",
        }
        li = _local_museums(wh, place, lads23)
        if li is not None:
            out["museums"]["ons_museums_per_100k"] = li
        om = wh.table("museums")
        om = om[om["open_2021"].fillna(False).astype(bool)]
        anchors_bng.append(anc.anchor_points_bng(om, kind="museum", name="museum_name"))
    else:
        out["missing"].append("anchors_museums not imported")
    if wh.has_table("microclusters") and anchors_bng:
        mc = wh.table("microclusters")
        if {"microcluster_id", "centroid_easting", "centroid_northing"} <= set(mc.columns):
            mc = mc.rename(columns={"microcluster_id": "cluster_id", "centroid_easting": "easting",
                                    "centroid_northing": "northing"})
            near = anc.nearest_anchors(mc, pd.concat(anchors_bng, ignore_index=True), k=k)
            out["nearest_anchors"] = {"rows": near.to_dict("records"), "unit": "km, straight line (BNG)",
                                      "attribution": anc.MUSEUMS_ATTRIBUTION}
    else:
        out["nearest_anchors"] = None
        out["missing"].append("no microclusters in the warehouse: run `creative-clusters microclusters` first")
    return out


def _population(wh: Warehouse, lads23: list[str]) -> dict[str, Any] | None:
    if not _has(wh, kinds.CENSUS_GM_WORKFORCE):
        return None
    p = wh.observations(dataset=_ds(wh, kinds.CENSUS_GM_WORKFORCE), measure="usual_residents", status="_T")
    p = p[p["geo_code"].isin(lads23)]
    if p.empty or p["geo_code"].nunique() != len(lads23):
        return None
    return _fig("Usual residents", float(p["value"].sum()), "persons", _ds(wh, kinds.CENSUS_GM_WORKFORCE),
                "2021-03-21", RESIDENCE, ["population is in the bundle for the 10 Greater Manchester LADs only"])


def _local_museums(wh: Warehouse, place: Any, lads23: list[str]) -> dict[str, Any] | None:
    if not _has(wh, kinds.LOCAL_INDICATORS):
        return None
    li = wh.observations(dataset=_ds(wh, kinds.LOCAL_INDICATORS), measure="museums_per_100k", geo_code=place.code)
    if li.empty:
        return None
    r = li.iloc[0]
    return _fig("Museums per 100,000 people (ONS Explore Local Statistics)", r["value"], "per 100k",
                _ds(wh, kinds.LOCAL_INDICATORS), str(r["period"]), "point", ["ONS series, for comparison"],
                str(r["disclosure_flag"]))


# ---------------------------------------------------------------- createch
def createch_by_place(firms_file: str | Path) -> pd.DataFrame:
    """Createch firms by LAD from a Companies House extract (see :mod:`creative_clusters.people.createch`)."""
    from creative_clusters.sources.firm_files import read_firm_file

    raw = read_firm_file(firms_file)
    status = raw.get("CompanyStatus")
    if status is not None:
        raw = raw[status.fillna("").str.lower().str.startswith("active")]
    return createch_counts(createch_flag(raw))


# ---------------------------------------------------------------- FDI
def fdi_report(wh: Warehouse, path: str | Path, *, weight: str | None = None) -> dict[str, Any]:
    """FDI location quotient by English region from a user's project list.

    Destinations may be regions or anything inside one region (a LAD, a combined
    authority); the base is creative enterprises by region (``business_counts_2025``,
    England only). Projects that cannot be placed in an English region are kept in
    ``projects`` and counted in ``report`` (``outside_base``), never dropped.
    """
    from creative_clusters.people.fdi import fdi_lq, parse_fdi_projects, read_fdi_projects
    from creative_clusters.workflows.places import place_book, resolve_place

    if not _has(wh, kinds.CREATIVE_ENTERPRISES_SIC):
        raise WarehouseError("the FDI LQ base needs business_counts_2025; import it with `data import`.")
    areas = place_book(wh).areas
    hier = wh.table("lad_hierarchy")
    lad_rgn = dict(zip(hier["lad_code"].astype(str), hier["rgn_code"].astype(str), strict=False))

    def _resolve(q: str) -> tuple[str, str]:
        p = resolve_place(wh, q)
        if p.geo_type == "rgn":
            return p.code, "rgn"
        rg = {lad_rgn.get(c, "") for c in (p.members or (p.code,))}
        if len(rg) == 1 and next(iter(rg)):
            return next(iter(rg)), "rgn"
        return p.code, p.geo_type

    projects, report = parse_fdi_projects(read_fdi_projects(path), resolve=_resolve)
    ce = wh.observations(dataset=_ds(wh, kinds.CREATIVE_ENTERPRISES_SIC), measure="enterprises",
                         industry_scheme="DCMS_CI", industry_code="_T")
    ce = ce.assign(geo_code=ce["geo_code"].map(lad_rgn))
    base = ce.dropna(subset=["geo_code"]).groupby("geo_code", as_index=False)["value"].sum()
    outside = projects["valid"] & ~projects["geo_code"].isin(set(base["geo_code"]))
    projects.loc[outside, "issue"] = (
        "outside_base: not in an English region (the bundle's creative base is England only)"
    )
    projects.loc[outside, "valid"] = False
    report["outside_base"] = int(outside.sum())
    report["valid"] = int(projects["valid"].sum())
    report["set_aside"] = int((~projects["valid"]).sum())
    lq = fdi_lq(projects, base, weight=weight) if report["valid"] else pd.DataFrame()
    names = dict(zip(areas["geo_code"], areas["geo_name"], strict=False))
    if not lq.empty:
        lq.insert(1, "geo_name", lq["geo_code"].map(names))
    return {"lq": lq.round(4).to_dict("records"), "report": report,
            "set_aside_rows": projects[~projects["valid"]].replace({np.nan: None}).to_dict("records"),
            "base": "creative enterprises by English region (UK Business Counts, March 2025, rounded to 5)",
            "weight": weight or "projects", "basis": "register",
            "caveats": ["FDI LQ = region's share of projects / region's share of creative enterprises "
                        "(methods.md §7)", "England only: no creative enterprise counts for the devolved "
                        "nations in the bundle"]}


def _num(fig: Any) -> float | None:
    if isinstance(fig, dict):
        v = fig.get("value")
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)
    return None


def evidence_workforce(wh: Warehouse, members: list[str], *, code: str | None = None,
                       name: str | None = None, geo_type: str | None = None) -> dict[str, Any]:
    """Section 5 of the evidence pack from :func:`workforce_report` (sentences from numbers).

    Returns ``{"sentences", "tables", "sources", "missing"}`` as the evidence
    pack's workforce hook expects. Member LADs are on 2023 codes. ``code``,
    ``name`` and ``geo_type`` name the place (a combined authority, region,
    TTWA or user group); without them a group of LADs is treated as a group
    of LADs, its members taken as given.
    """
    if len(members) == 1:
        gt, cd = "lad", members[0]
    elif geo_type in ("cauth", "rgn", "ctry"):
        gt, cd = geo_type, code or members[0]
    else:  # a TTWA or user group: a union of the given LADs
        gt, cd = "lad", code or members[0]
    place = Place(cd, name or cd, gt, kinds.LAD_VINTAGE, tuple(members), nation_of(members),
                  MEMBER_RULES.get(geo_type or gt, ""))
    rep = workforce_report(wh, place)
    sentences: list[str] = []
    tables: list[dict[str, Any]] = []
    sources = [_ds(wh, kinds.CENSUS_INDUSTRY), _ds(wh, kinds.EMPLOYMENT_NUTS2)]
    occ = rep.get("occupations") or {}
    lo, hi = _num(occ.get("lower")), _num(occ.get("upper"))
    if lo is not None and hi is not None:
        sentences.append(
            f"Between {lo:,.0f} and {hi:,.0f} residents work in creative occupations (Census 2021, "
            "SOC 2020 minor groups; the DCMS 4-digit count lies between these bounds).")
        sources.append(_ds(wh, kinds.CENSUS_GM_WORKFORCE))
    se = rep.get("self_employment_gm") or {}
    without, with_ = _num(se.get("self_employed_without_employees")), _num(se.get("self_employed_with_employees"))
    if without is not None and with_ is not None:
        sentences.append(
            f"{without + with_:,.0f} residents are self-employed ({without:,.0f} without employees, "
            f"{with_:,.0f} with employees), people business registers mostly miss (Census 2021).")
    lq = rep.get("se_inclusive_lq_gm") or {}
    rows = lq.get("rows") or []
    if rows:
        tables.append({
            "title": "Self-employment-inclusive location quotient (ESTIMATE)",
            "columns": ["LAD", "LQ (enterprises)", "LQ incl. self-employed", "gap"],
            "rows": [[r["geo_code"], r["lq"], r["lq_se"], r["gap"]] for r in rows],
            "notes": [str(lq.get("creative_self_employed", "")), f"Reference: {lq.get('reference', '')}"],
        })
        if len(rows) == 1:
            r = rows[0]
            sentences.append(
                f"Counting freelancers (estimated) moves the creative location quotient from "
                f"{r['lq']:.2f} to {r['lq_se']:.2f} against {lq.get('reference', 'the reference area')}.")
    missing = list(rep.get("missing") or [])
    if not occ:
        missing.append("Creative occupations and self-employment by LAD are in the bundle for Greater "
                       "Manchester only; fetch Census 2021 TS063/TS066 for other places with "
                       "`creative-clusters data fetch census2021_occupation` and "
                       "`creative-clusters data fetch census2021_economic_activity`.")
    missing.append(str(rep.get("trident", "")))
    return {"sentences": sentences, "tables": tables, "sources": sources, "missing": [m for m in missing if m]}
