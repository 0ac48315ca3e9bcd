"""The creative workforce of a place (the ``workforce`` command and the pack's section 5).

Census 2021 TS060 residents by industry division turned into creative residents
with GB BRES 4-digit shares, Greater Manchester occupations and self-employment,
and the self-employment-inclusive LQ; thin functions over :mod:`creative_clusters.people`.
Figures for an aggregate place are sums of member-LAD counts; rates are never
averaged across LADs.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters.classifications.dcms import DEFINITION_VERSION
from creative_clusters.classifications.soc import SOC2020_VERSION
from creative_clusters.errors import WarehouseError
from creative_clusters.geography.place import MEMBER_RULES, Place, nation_of
from creative_clusters.indicators.lq import lq_ratio, share_of
from creative_clusters.people.checks import check_people_table
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
from creative_clusters.reporting._model import common_name
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._people_figures import (
    RESIDENCE,
    REST_OF_UK,
    dataset_id,
    figure,
    has_kind,
    members_on,
    no_lads,
    place_dict,
    value_of,
)
from creative_clusters.workflows.business_counts import area_names

__all__ = [
    "TRIDENT_NOTE",
    "creative_residents_by_lad",
    "evidence_workforce",
    "national_division_shares",
    "workforce_report",
]


TRIDENT_NOTE = (
    "The creative trident (creative jobs in creative industries; creative jobs elsewhere; other jobs "
    "in creative industries) is not shown: it needs jobs counted by industry and occupation together "
    "(SIC × SOC), and none of the imported tables splits them so. What is missing is a table of the place's "
    "jobs by 4-digit industry class and 4-digit occupation together (e.g. a commissioned Census or Annual "
    "Population Survey cross-tabulation); given one, the toolkit computes the trident from it "
    "(docs/workforce.md §4)."
)

#: Why a place has no creative-occupation bounds, and what would give them.
OCCUPATIONS_MISSING = (
    "no SOC 2020 minor-group (3-digit) occupation table covers this place: the reference data has one for the "
    "10 Greater Manchester LADs only. Census 2021 TS063 (`creative-clusters data fetch census2021_occupation "
    "-g lad`) has the 9 major groups only, too coarse for creative occupations; import a Census 2021 "
    "occupation table at 3 digits by LAD in Nomis CSV layout (`creative-clusters data import-nomis FILE "
    "--nomis-dataset NM_ID`) and this report uses it when it covers every member LAD"
)

#: Why a place outside Greater Manchester has no self-employment figures.
SELF_EMPLOYMENT_MISSING = (
    "self-employment comes from the Greater Manchester Census 2021 tables of the reference data, which cover "
    "the 10 Greater Manchester LADs only{cover}; for other places this report has no self-employment figure "
    "(`creative-clusters data fetch census2021_economic_activity -g lad` imports Census 2021 TS066 into the "
    "warehouse, but this report does not read it)"
)


def national_division_shares(wh: Warehouse, *, period: str | None = None) -> pd.DataFrame:
    """Creative share of each SIC division from GB BRES 4-digit employment (latest year by default)."""
    if not has_kind(wh, kinds.EMPLOYMENT_NUTS2):
        raise WarehouseError(
            "BRES employment by SIC class is needed for the division shares; import it with `data import`."
        )
    period = period or wh.latest_period(dataset_id(wh, kinds.EMPLOYMENT_NUTS2), measure="employment")
    b = wh.observations(dataset=dataset_id(wh, kinds.EMPLOYMENT_NUTS2), measure="employment", industry_scheme="SIC2007",
                        period=period)
    if b.empty:
        raise WarehouseError(f"{dataset_id(wh, kinds.EMPLOYMENT_NUTS2)} has no employment for {period}.")
    return division_creative_shares(b[b["industry_code"].str.fullmatch(r"\d{4}")])


def creative_residents_by_lad(wh: Warehouse, *, method: str = "division_sum") -> pd.DataFrame:
    """Creative residents for every England and Wales LAD (2021 boundaries) from Census TS060.

    Returns ``geo_code, creative_residents, residents_in_employment, share_pct,
    residence_lq`` (vs England and Wales), ``method``, ``divisions``; basis: residence.
    """
    ts = wh.observations(dataset=dataset_id(wh, kinds.CENSUS_INDUSTRY), measure="residents_in_employment")
    if ts.empty:
        raise WarehouseError(
            "the Census 2021 industry table (TS060) is not imported; run `creative-clusters data import DIR`."
        )
    check_people_table(ts, geo_type="lad", what=dataset_id(wh, kinds.CENSUS_INDUSTRY))
    cr = creative_residents(ts[ts["industry_code"] != "_T"], national_division_shares(wh), method=method)
    tot = ts[ts["industry_code"] == "_T"].set_index("geo_code")["value"].rename("residents_in_employment")
    out = cr.join(tot, on="geo_code")
    out["share_pct"] = 100 * out["creative_residents"] / out["residents_in_employment"]
    ew = out["creative_residents"].sum() / out["residents_in_employment"].sum()
    out["residence_lq"] = (out["share_pct"] / 100) / ew
    return out[["geo_code", "creative_residents", "residents_in_employment", "share_pct", "residence_lq",
                "method", "divisions"]]


def census_of(period: str) -> str:
    """A census named by the date its table gives (``"2021-03-21"`` -> ``"Census 2021"``), never a year written here.

    Examples
    --------
    >>> census_of("2021-03-21"), census_of("2031"), census_of("")
    ('Census 2021', 'Census 2031', 'the census')
    """
    year = str(period)[:4]
    return f"Census {year}" if year.isdigit() else "the census"


def lad_vintage_of(obs: pd.DataFrame, default: str = kinds.LAD_VINTAGE) -> str:
    """The LAD boundary vintage a table is published on: its LAD rows' ``geo_vintage`` (the oldest, if several).

    A table's boundaries travel with its observations, so a census on newer
    LADs is read on them without a code change; ``default`` when no LAD row
    has one.

    Examples
    --------
    >>> lad_vintage_of(pd.DataFrame({"geo_type": ["lad", "ctry"], "geo_vintage": ["2021", "2023"]}))
    '2021'
    >>> lad_vintage_of(pd.DataFrame(columns=["geo_type", "geo_vintage"]))
    '2023'
    """
    if obs.empty or "geo_vintage" not in obs.columns:
        return default
    lad = obs["geo_type"].astype(str).eq("lad") if "geo_type" in obs.columns else pd.Series(True, index=obs.index)
    vintages = sorted(v for v in obs.loc[lad, "geo_vintage"].dropna().astype(str).unique() if v.strip())
    return vintages[0] if vintages else default


def workforce_report(wh: Warehouse, place: Any) -> dict[str, Any]:
    """Creative workforce of a place: TS060 residents, GM occupations and self-employment, SE-inclusive LQ.

    The place's member LADs are taken on the census table's own LAD vintage
    (its observations' ``geo_vintage``) and the census is named by its
    catalogue vintage: neither is written here.
    """
    ts = wh.observations(dataset=dataset_id(wh, kinds.CENSUS_INDUSTRY), measure="residents_in_employment") \
        if has_kind(wh, kinds.CENSUS_INDUSTRY) else pd.DataFrame()
    census_ref = wh.find_dataset(kinds.CENSUS_INDUSTRY)
    census = census_of(census_ref.vintage if census_ref is not None else "")
    census_lads = lad_vintage_of(ts)
    census_members = members_on(wh, place, int(census_lads))
    out: dict[str, Any] = {"place": place_dict(place, census_members), "definition": DEFINITION_VERSION,
                           "trident": TRIDENT_NOTE, "missing": [] if census_members else [no_lads(place)]}
    bres_period = str(wh.latest_period(dataset_id(wh, kinds.EMPLOYMENT_NUTS2), measure="employment")) \
        if has_kind(wh, kinds.EMPLOYMENT_NUTS2) else ""
    shares = national_division_shares(wh, period=bres_period or None)
    divs = approximate_divisions(shares)
    err = division_error(shares, divs)
    out["division_approximation"] = {
        "divisions": divs, "national_shares": shares.round(4).to_dict("records"),
        # the BRES year the shares come from (the catalogue's latest), not a year written here
        "gb_bres": {**{k: round(v, 1) for k, v in err.items()}, "period": bres_period},
        "note": (f"division_sum counts every resident in divisions whose GB creative share (BRES {bres_period}, "
                 "4-digit) is at least 50%; share_weighted weights every division holding a creative class "
                 "by that national share (assumes the national class mix in each place)."),
    }
    if ts.empty:
        out["missing"].append("the Census 2021 industry table (TS060) is not imported")
    else:
        check_people_table(ts, geo_type="lad", what=dataset_id(wh, kinds.CENSUS_INDUSTRY))
        census_day = str(ts["period"].iloc[0])  # the census date, as the imported table gives it
        divrows = ts[ts["industry_code"] != "_T"]
        tot = ts[ts["industry_code"] == "_T"].set_index("geo_code")["value"]
        ew_total = float(tot.sum())
        cav = [f"{census} counts residents in employment where they live, not jobs where they are",
               "2-digit SIC divisions approximate the 31-class DCMS definition; see division_approximation",
               "Census cells are perturbed by ONS (cell-key method)"]
        place_lads = [c for c in census_members if c in tot.index]
        res: dict[str, Any] = {}
        for method in ("division_sum", "share_weighted"):
            cr = creative_residents(divrows, shares, method=method).set_index("geo_code")["creative_residents"]
            if place_lads:
                n = float(cr.reindex(place_lads).sum())
                denom = float(tot.reindex(place_lads).sum())
                res[method] = {
                    "creative_residents": figure(
                        f"Residents working in creative industries ({method})", n, "persons",
                        f"{dataset_id(wh, kinds.CENSUS_INDUSTRY)} + {dataset_id(wh, kinds.EMPLOYMENT_NUTS2)}",
                        census_day, RESIDENCE, cav),
                    "share_pct": figure("Share of residents in employment", 100 * share_of(n, denom), "%",
                                        dataset_id(wh, kinds.CENSUS_INDUSTRY), census_day, RESIDENCE, cav),
                    "residence_lq_vs_ew": figure("Residence-based creative LQ vs England and Wales",
                                                 lq_ratio(n, denom, float(cr.sum()), ew_total), "ratio",
                                                 dataset_id(wh, kinds.CENSUS_INDUSTRY), census_day, RESIDENCE,
                                                 cav),
                }
        if place_lads:
            res["residents_in_employment"] = figure(
                "Residents in employment", float(tot.reindex(place_lads).sum()), "persons",
                dataset_id(wh, kinds.CENSUS_INDUSTRY), census_day, RESIDENCE)
        elif census_members:
            out["missing"].append(f"{census} TS060 covers England and Wales LADs ({census_lads} boundaries) only")
        res["england_wales_residents_in_employment"] = figure(
            "England and Wales residents in employment", ew_total, "persons", dataset_id(wh, kinds.CENSUS_INDUSTRY),
            census_day, RESIDENCE, ["published total 27,773,743"])
        out["census_ts060"] = res
    out.update(_gm_workforce(wh, census_members, out["missing"]))
    return out


def _occupations(wh: Warehouse, lads: list[str], missing: list[str]) -> dict[str, Any] | None:
    """Creative-occupation bounds from any imported SOC 2020 minor-group table covering every member LAD."""
    obs = wh.observations(occupation_scheme="SOC2020_MINOR", geo_code=lads)
    if obs.empty:
        missing.append(OCCUPATIONS_MISSING)
        return None
    order = sorted(obs["dataset"].unique(), key=lambda d: (d != dataset_id(wh, kinds.CENSUS_GM_WORKFORCE), d))
    for ds in order:
        t = obs[obs["dataset"] == ds]
        t = t[t["measure"] == t["measure"].mode().iloc[0]]
        if set(t["geo_code"]) >= set(lads):
            check_people_table(t, geo_type="lad", what=ds)
            b = creative_occupation_bounds(t).set_index("geo_code").loc[lads, ["lower", "upper", "total"]].sum()
            vint = str(t["period"].iloc[0])
            cav = [f"{census_of(vint)}, residents in employment where they live",
                   "SOC 2020 3-digit minor groups: the DCMS 4-digit count lies between the two bounds"]
            return {
                "lower": figure("Creative occupations, lower bound (wholly creative minor groups)", b["lower"],
                              "persons", ds, vint, RESIDENCE, cav),
                "upper": figure("Creative occupations, upper bound (minor groups containing a creative unit group)",
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
    if not has_kind(wh, kinds.CENSUS_GM_WORKFORCE):
        missing.append("the Census 2021 Greater Manchester occupation and self-employment tables are not imported; "
                       "import the reference data with `creative-clusters data import DIR`")
        return out
    gm = wh.observations(dataset=dataset_id(wh, kinds.CENSUS_GM_WORKFORCE))
    check_people_table(gm, geo_type="lad", what=dataset_id(wh, kinds.CENSUS_GM_WORKFORCE))
    gm_lads = set(gm["geo_code"])
    in_gm = [c for c in lads if c in gm_lads]
    if len(in_gm) < len(lads):
        missing.append(SELF_EMPLOYMENT_MISSING.format(
            cover=f" ({len(in_gm)} of this place's {len(lads)} LADs; no partial sums)" if in_gm else ""))
        return out
    act = gm[gm["measure"] == "residents_16_plus"]
    gm_day = str(act["period"].iloc[0]) if len(act) else ""  # the census date, as the table gives it
    cav = [f"{census_of(gm_day)}, residents aged 16+ where they live", "Greater Manchester tables (Trafford Data Lab)"]
    se = self_employment(act).set_index("geo_code")
    s = se.loc[in_gm].sum()
    gm_ds = dataset_id(wh, kinds.CENSUS_GM_WORKFORCE)
    selfemp = {k: figure(lbl, s[k], "persons", gm_ds, gm_day, RESIDENCE, cav) for k, lbl in (
        ("self_employed_with_employees", "Self-employed with employees"),
        ("self_employed_without_employees", "Self-employed without employees"),
        ("self_employed", "Self-employed, all"), ("in_employment", "Residents in employment"))}
    selfemp["self_employed_pct"] = figure("Self-employed share of residents in employment",
                                        100 * s["self_employed"] / s["in_employment"], "%", gm_ds,
                                        gm_day, RESIDENCE, cav)
    out.update({"self_employment_gm": selfemp, "se_inclusive_lq_gm": _se_lq_gm(wh, se, in_gm)})
    return out


def _se_lq_gm(wh: Warehouse, se: pd.DataFrame, in_gm: list[str]) -> dict[str, Any] | None:
    """Enterprise LQ vs the SE-inclusive LQ for GM LADs (reference: the 10 GM LADs together)."""
    if not (has_kind(wh, kinds.CREATIVE_ENTERPRISES_SIC) and has_kind(wh, kinds.ACTIVE_ENTERPRISES)
            and has_kind(wh, kinds.CENSUS_INDUSTRY)):
        return None
    gm = list(se.index)
    ce_id = dataset_id(wh, kinds.CREATIVE_ENTERPRISES_SIC)
    ce_period = wh.latest_period(ce_id, measure="enterprises")
    ce = wh.observations(dataset=ce_id, measure="enterprises", period=ce_period,
                         industry_scheme="DCMS_CI", industry_code="_T", geo_code=gm).set_index("geo_code")["value"]
    ae_id = dataset_id(wh, kinds.ACTIVE_ENTERPRISES)
    ae_period = wh.latest_period(ae_id, measure="active_enterprises")
    ae = wh.observations(dataset=ae_id, measure="active_enterprises", period=ae_period,
                         geo_code=gm).set_index("geo_code")["value"]
    ts = wh.observations(dataset=dataset_id(wh, kinds.CENSUS_INDUSTRY), measure="residents_in_employment", geo_code=gm)
    share = creative_residents(ts[ts["industry_code"] != "_T"], national_division_shares(wh),
                               method="share_weighted").set_index("geo_code")["creative_residents"]
    share = share / ts[ts["industry_code"] == "_T"].set_index("geo_code")["value"]
    prop, prop_src = 1.0, "1.0 (no APS workbook imported)"
    if has_kind(wh, kinds.ONS_JOBS_DEMOGRAPHICS):
        d_id = dataset_id(wh, kinds.ONS_JOBS_DEMOGRAPHICS)
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
    census_day = str(ts["period"].iloc[0]) if len(ts) else ""  # the census date, as the table gives it
    t = pd.DataFrame({"creative": ce, "total": ae}).dropna()
    t["total_se"] = se["self_employed_without_employees"].reindex(t.index)
    t["creative_se"] = estimate_creative_self_employed(t["total_se"], share.reindex(t.index).clip(0, 1),
                                                       propensity=prop)
    lq = se_inclusive_lq(t.rename_axis("geo_code").reset_index())
    shown = lq[lq["geo_code"].isin(in_gm)].round(4)
    shown = shown.assign(geo_name=area_names(wh, shown["geo_code"]).to_numpy())
    rows = shown.to_dict("records")
    return {
        "rows": rows,
        "reference": "the 10 Greater Manchester local authorities together (the only area whose self-employment "
                     "the reference data hold)",
        "ordinary_basis": f"creative enterprises (UK Business Counts, March {ce_period}) / active enterprises "
                          f"(Business Demography {ae_period})",
        "self_employed_added": f"self-employed without employees ({census_of(census_day)}): sole traders mostly "
                               "missing from the IDBR; those with employees are assumed already registered",
        "creative_self_employed": "ESTIMATE = self-employed without employees x min(1, creative share of "
                                  "residents in employment (TS060, share-weighted) x propensity); propensity "
                                  + prop_src,
        # the same rule in words, for the evidence pack's table note
        "estimate_words": "the creative self-employed are estimated as the self-employed without employees × "
                          f"min(1, the creative share of residents in employment ({census_of(census_day)} TS060, "
                          "share-weighted) × the propensity); propensity " + prop_src,
        "basis": "mixed: register (enterprises) and residence (self-employed)",
        "caveats": ["the creative self-employed are estimated, not counted",
                    f"different dates: census {str(ts['period'].iloc[0])[:4] if len(ts) else ''}, demography "
                    f"{ae_period}, business counts {ce_period}", "enterprise counts rounded to 5"],
    }


def _lad_names(wh: Warehouse) -> dict[str, str]:
    """LAD code -> name from the warehouse's ``areas`` table (empty without it)."""
    if not wh.has_table("areas"):
        return {}
    a = wh.table("areas").drop_duplicates("geo_code", keep="first")
    return dict(zip(a["geo_code"].astype(str), a["geo_name"].astype(str), strict=False))


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
    sources = [dataset_id(wh, kinds.CENSUS_INDUSTRY), dataset_id(wh, kinds.EMPLOYMENT_NUTS2)]
    occ = rep.get("occupations") or {}
    lo, hi = value_of(occ.get("lower")), value_of(occ.get("upper"))
    if lo is not None and hi is not None:
        sentences.append(
            f"Between {lo:,.0f} and {hi:,.0f} residents work in creative occupations "
            f"({census_of(str(occ['lower'].get('vintage', '')))}, SOC 2020 minor groups; the DCMS 4-digit count lies "
            "between these bounds).")
        sources.append(dataset_id(wh, kinds.CENSUS_GM_WORKFORCE))
    se = rep.get("self_employment_gm") or {}
    without = value_of(se.get("self_employed_without_employees"))
    with_ = value_of(se.get("self_employed_with_employees"))
    if without is not None and with_ is not None:
        sentences.append(
            f"{without + with_:,.0f} residents are self-employed ({without:,.0f} without employees, "
            f"{with_:,.0f} with employees), people business registers mostly miss "
            f"({census_of(str(se['self_employed_without_employees'].get('vintage', '')))}).")
    lq = rep.get("se_inclusive_lq_gm") or {}
    rows = lq.get("rows") or []
    if rows:
        names = _lad_names(wh)
        ref = str(lq.get("reference", "the reference area"))
        tables.append({
            "title": "Self-employment-inclusive location quotient, Greater Manchester boroughs (estimated)",
            # the base in every LQ header: against England, section 2 gives Manchester 1.06; here, 1.36
            "columns": ["Local authority", "Code", "Creative LQ against Greater Manchester, enterprises",
                        "Creative LQ against Greater Manchester incl. estimated self-employed", "Change"],
            "rows": [[common_name(names.get(str(r["geo_code"]), str(r["geo_code"]))), r["geo_code"], r["lq"],
                      r["lq_se"], r["gap"]] for r in rows],
            "formats": ["text", "text", "num2", "num2", "num2"],
            "notes": [f"How the self-employed are estimated: {lq.get('estimate_words', '')}.",
                      f"Both LQs compare each borough with {ref}, not with England: they show where within "
                      "Greater Manchester counting freelancers changes the picture."],
        })
        if len(rows) == 1:
            r = rows[0]
            sentences.append(
                f"Counting freelancers (estimated) moves the creative location quotient from "
                f"{r['lq']:.2f} to {r['lq_se']:.2f} against {ref}; this compares the place with Greater "
                "Manchester, not with England, so it does not replace the business LQ against England.")
    missing = list(rep.get("missing") or [])  # already says why occupations or self-employment are absent
    missing.append(str(rep.get("trident", "")))
    return {"sentences": sentences, "tables": tables, "sources": sources, "missing": [m for m in missing if m]}
