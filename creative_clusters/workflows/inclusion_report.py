"""Inclusion in a place (the ``inclusion`` command): deprivation ranks on each nation's own index,
creative activity by deprivation decile, workforce composition and job quality."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import UnknownCodeError
from creative_clusters.people import inclusion as inc
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._people_figures import (
    LONDON,
    RESIDENCE,
    REST_OF_UK,
    WORKPLACE,
    dataset_id,
    has_kind,
    members_on,
    no_lads,
    place_dict,
)
from creative_clusters.workflows.business_counts import area_names

__all__ = [
    "AREA_NAMES",
    "InclusionNational",
    "inclusion_evidence",
    "inclusion_national",
    "inclusion_report",
    "indicator_label",
    "status_label",
]

#: The areas the ONS ad-hoc workbooks publish, by name.
AREA_NAMES = {REST_OF_UK: "UK excluding London", LONDON: "London", "K02000001": "United Kingdom"}

#: Workforce-composition values whose words are not their key's.
_STATUS_WORDS = {
    "age=16_29": "aged 16–29", "age=30_49": "aged 30–49", "age=50_and_above": "aged 50 and over",
    "country_of_birth=uk": "born in the UK", "country_of_birth=eu": "born in the EU",
    "country_of_birth=rest_of_the_world": "born in the rest of the world",
    "disability=disabled": "disabled", "disability=non_disabled": "not disabled",
    "employment_type=employee": "employees", "employment_type=self_employed": "self-employed",
    "qualification=gce_a_level_or_equivalent": "qualification: GCE A level or equivalent",
    "qualification=gcse_grades_a_c_or_equivalent": "qualification: GCSE grades A–C or equivalent",
    "ethnicity=black_african_caribbean_black_british": "ethnicity: Black, African, Caribbean or Black British",
    # ONS ethnic group names keep their capitals ("ethnicity: bangladeshi" read as a typo beside "Black")
    "ethnicity=any_other_asian_background": "ethnicity: any other Asian background",
    "ethnicity=bangladeshi": "ethnicity: Bangladeshi", "ethnicity=chinese": "ethnicity: Chinese",
    "ethnicity=indian": "ethnicity: Indian", "ethnicity=pakistani": "ethnicity: Pakistani",
    "ethnicity=white": "ethnicity: White", "ethnicity=mixed_multiple_ethnic_groups": "ethnicity: mixed or multiple "
    "ethnic groups", "ethnicity=other_ethnic_group": "ethnicity: other ethnic group",
    "sub_regional_partnership=central_london_forward": "sub-regional partnership: Central London Forward",
    "sub_regional_partnership=local_london": "sub-regional partnership: Local London",
    "sub_regional_partnership=south_london_partnership": "sub-regional partnership: South London Partnership",
    "sub_regional_partnership=west_london_alliance": "sub-regional partnership: West London Alliance",
}


def status_label(status: str) -> str:
    """A workforce-composition key (``"age=16_29"``) in words.

    >>> status_label("age=16_29"), status_label("ethnicity=white"), status_label("sex=female")
    ('aged 16–29', 'ethnicity: White', 'female')
    """
    if status in _STATUS_WORDS:
        return _STATUS_WORDS[status]
    key, _, value = status.partition("=")
    words = value.replace("_", " ")
    return words if key in ("sex", "") else f"{key.replace('_', ' ')}: {words}"


def indicator_label(indicator: str) -> str:
    """A job-quality indicator key in words.

    >>> indicator_label("good_employee_involvement")
    'Good employee involvement'
    """
    words = indicator.replace("_", " ")
    return words[:1].upper() + words[1:]


def _index_name(ref: Any) -> str:
    return f"English Indices of Deprivation {str(ref.vintage)[:4]}"


@dataclass
class InclusionNational:
    """The inclusion results that are the same for every place, read once per warehouse.

    ``deciles`` is the table of creative activity by deprivation decile of English LADs (``rows``,
    ``set_aside``, ``index``, ``unit``, ``basis``, ``period`` (the creative counts' March snapshot),
    ``denominator_period`` (the year of the active enterprises), ``source``, ``caveats``) plus ``lad_deciles``
    (``geo_code``, ``decile``, ``geo_name`` of every LAD ranked), or ``None`` with
    ``deciles_missing`` saying why. ``job_quality`` and ``composition`` are the latest year's panels
    (every area the workbooks publish; composition for every industry group), or ``None``.
    """

    deciles: dict[str, Any] | None = None
    deciles_missing: str = ""
    job_quality: pd.DataFrame | None = None
    job_quality_source: str = ""
    composition: pd.DataFrame | None = None
    composition_source: str = ""


def inclusion_national(wh: Warehouse) -> InclusionNational:
    """Creative activity by deprivation decile, job quality and workforce composition (national parts)."""
    nat = InclusionNational()
    missing: list[str] = []
    nat.deciles = _by_decile(wh, missing)
    nat.deciles_missing = missing[0] if missing else ""
    if has_kind(wh, kinds.ONS_JOB_QUALITY):
        nat.job_quality_source = dataset_id(wh, kinds.ONS_JOB_QUALITY)
        jq = inc.job_quality_panel(wh.observations(dataset=nat.job_quality_source))
        jq = jq[jq["period"] == jq["period"].max()]
        nat.job_quality = jq.assign(label=jq["indicator"].map(indicator_label))
    ds = dataset_id(wh, kinds.ONS_JOBS_DEMOGRAPHICS)
    if ds:
        nat.composition_source = ds
        c = inc.workforce_composition(wh.observations(dataset=ds))
        c = c[c["period"] == c["period"].max()]
        nat.composition = c.assign(label=c["status"].map(status_label),
                                   area_name=c["geo_code"].map(AREA_NAMES).fillna(""))
    return nat


def _job_quality_area(lads23: list[str]) -> dict[str, str]:
    in_london = bool(lads23) and all(c.startswith("E09") for c in lads23)
    return {"code": LONDON if in_london else REST_OF_UK, "name": "London" if in_london else "UK excluding London",
            "note": "the ONS workbooks split only London vs the rest of the UK; the place's "
                    "own figures are not published"}


_NOT_ENGLAND = ("creative activity by deprivation decile is for England only: the deciles rank English local "
                "authorities on the English Indices of Deprivation, and each nation's index ranks its own areas")


def inclusion_report(wh: Warehouse, place: Any) -> dict[str, Any]:
    """Deprivation ranks, creative activity by deprivation decile, composition and job quality.

    The national parts are :func:`inclusion_national`'s, as the packs' (:func:`inclusion_evidence`).
    """
    nat = inclusion_national(wh)
    out: dict[str, Any] = {"missing": []}
    lads23 = members_on(wh, place, int(kinds.LAD_VINTAGE))
    out["place"] = place_dict(place, lads23)
    if not lads23:
        out["missing"].append(no_lads(place))
    ranks = []
    names = dict(zip(lads23, area_names(wh, pd.Series(lads23, dtype=str)), strict=True))
    for kind, (prefix, _name, _measure) in inc.DEPRIVATION_KINDS.items():
        ref = wh.find_dataset(kind)
        if ref is None:
            continue
        obs = wh.observations(dataset=ref.id)
        # each index is published on its own LAD set: take the place's members on that set
        vintages = sorted(obs.loc[obs["geo_type"] == "lad", "geo_vintage"].astype(str).unique())
        members = members_on(wh, place, int(vintages[0])) if vintages else lads23
        for lad in [c for c in members if c.startswith(prefix)]:
            try:
                r = inc.imd_rank(obs, lad, dataset=ref.id, kind=kind, vintage=ref.vintage)
            except UnknownCodeError as exc:
                out["missing"].append(str(exc))
                continue
            ranks.append({"lad": lad, "lad_name": names.get(lad, lad), **r, "basis": RESIDENCE,
                          "caveat": "1 = most deprived; ranks within this nation's index only"})
    out["deprivation_ranks"] = ranks
    if len(lads23) > 1:
        out["deprivation_note"] = "ranks are per member LAD; they are never averaged"
    if lads23 and all(c.startswith("E") for c in lads23):
        out["creative_by_deprivation_decile"] = _place_deciles(nat, lads23)
        if nat.deciles is None:
            out["missing"].append(nat.deciles_missing)
    else:  # the deciles rank English LADs on England's index: they say nothing about a place elsewhere
        out["creative_by_deprivation_decile"] = None
        if lads23:
            out["missing"].append(_NOT_ENGLAND)
    area = _job_quality_area(lads23)
    out["job_quality_area"] = area
    if nat.job_quality is not None:
        jq = nat.job_quality
        out["job_quality"] = {"rows": jq.replace({np.nan: None}).to_dict("records"),
                              "source": nat.job_quality_source, "vintage": str(jq["period"].max()),
                              "basis": WORKPLACE, "caveats": ["APS survey estimates; low-reliability cells "
                              "(sample <= 25) and suppressed cells are flagged and stay flagged"]}
    else:
        out["missing"].append("the ONS creative job-quality workbook is not imported")
    if nat.composition is not None:
        c = nat.composition[nat.composition["industry_code"] == "total_excl_it_software"]
        out["workforce_composition"] = {
            "rows": c.replace({np.nan: None}).to_dict("records"), "source": nat.composition_source,
            "vintage": str(c["period"].max()), "basis": WORKPLACE, "caveats": _COMPOSITION_CAVEATS}
    return out


_COMPOSITION_CAVEATS = ["the workbook's creative-industries total EXCLUDES IT, software and computer services",
                        "APS survey estimates; suppressed/low-reliability cells stay flagged"]


def _place_deciles(nat: InclusionNational, lads23: list[str]) -> dict[str, Any] | None:
    d = nat.deciles
    if d is None:
        return None
    lad = d["lad_deciles"]
    place_dec = lad[lad["geo_code"].isin(lads23)][["geo_code", "decile", "geo_name"]].to_dict("records")
    return {"rows": d["rows"], "set_aside": d["set_aside"], "place_deciles": place_dec,
            **{k: d[k] for k in ("index", "unit", "basis", "period", "denominator_period", "source", "caveats")}}


def _by_decile(wh: Warehouse, missing: list[str]) -> dict[str, Any] | None:
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
    lad_dec = dec[["geo_code", "decile"]].assign(geo_name=area_names(wh, dec["geo_code"]).to_numpy())
    return {"rows": table.round(2).to_dict("records"), "set_aside": report, "lad_deciles": lad_dec,
            "datasets": [ce_ref.id, ae_ref.id, dep.id],
            "index": _index_name(dep),
            "unit": "creative enterprises per 1,000 active enterprises", "basis": "register",
            "period": period, "denominator_period": den_period,
            "source": f"{ce_ref.id} / {ae_ref.id} / {dep.id} (LAD {vintage})",
            "caveats": [f"deciles of England LADs by the {dep.vintage} English Indices of Deprivation average "
                        f"score on {vintage} boundaries (1 = most deprived); ratio of sums within each decile",
                        f"numerator {period} snapshot, denominator active in {den_period}: different sources",
                        "England only; 9101/9102 absent from the business counts"]}


#: A difference from all industries smaller than this (percentage points) is not quoted in a sentence.
CITE_MIN_PP = 1.0


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _benchmark_rows(t: pd.DataFrame | None, *, code: str, creative: str, key: str) -> list[inc.BenchmarkRow]:
    """Rows of ``t`` (a job-quality or composition panel) for area ``code``: the creative group against
    all industries (SIC 2007 ``_T``), each with the worse of the two cells' flags."""
    if t is None:
        return []
    t = t[t["geo_code"] == code]
    allind = t[(t["industry_scheme"] == "SIC2007") & (t["industry_code"] == "_T")]
    flag_all = dict(zip(allind[key], allind["disclosure_flag"], strict=True))
    mine = t[(t["industry_scheme"] == "DCMS_CI") & (t["industry_code"] == creative)]
    return [inc.BenchmarkRow(key=str(r[key]), label=str(r["label"]), creative_pct=_num(r["share_pct"]),
                             all_industries_pct=_num(r["all_industries_pct"]),
                             difference_pp=_num(r["vs_all_industries_pp"]),
                             flag=inc.worst_flag([str(r["disclosure_flag"]), str(flag_all.get(r[key], "suppressed"))]),
                             dimension=str(r.get("dimension", "") or ""))
            for r in mine.to_dict("records")]


def inclusion_evidence(national: InclusionNational, /, *, name: str, members: list[str]) -> inc.InclusionEvidence:
    """The pack's inclusion and good-work results for a place of LADs ``members`` (pure selection).

    The decile table is England's (the place's deciles marked) for a place wholly in England; job
    quality and workforce composition are the workbooks' figures for the UK excluding London (London
    for a place wholly in London), never the place's own.
    """
    nat = national
    ev = inc.InclusionEvidence(place_name=name)
    lads = [str(m) for m in members]
    if lads and all(c.startswith("E") for c in lads):
        d = _place_deciles(nat, lads)
        if d is None:
            ev.deciles_absent = ("this pack was built without one of the English Indices of Deprivation, UK Business "
                                 "Counts and Business Demography, which the table needs")
        else:
            mine: dict[int, list[str]] = {}
            for p in d["place_deciles"]:
                mine.setdefault(int(p["decile"]), []).append(str(p.get("geo_name") or p["geo_code"]))
            ev.deciles = [inc.DecileRow(decile=int(r["decile"]), lads=int(r["lads"]), rate=float(r["rate"]),
                                        place_lads=tuple(mine.get(int(r["decile"]), ()))) for r in d["rows"]]
            ev.deciles_index, ev.deciles_unit = d["index"], d["unit"]
            ev.deciles_notes = list(d["caveats"])
            ev.sources.extend(nat.deciles["datasets"] if nat.deciles else [])
    elif lads:
        ev.deciles_absent = ("the deciles rank English local authorities on the English Indices of Deprivation, "
                             "and each nation's index ranks only its own areas")
    area = _job_quality_area(lads)
    ev.area_name = area["name"]
    ev.job_quality = _benchmark_rows(nat.job_quality, code=area["code"], creative="_T", key="indicator")
    if nat.job_quality is not None:
        ev.job_quality_period = str(nat.job_quality["period"].max())
        ev.sources.append(nat.job_quality_source)
    else:
        ev.missing.append("the ONS creative job-quality workbook is not imported")
    quoted = [r for r in ev.job_quality if r.citeable and abs(r.difference_pp or 0) >= CITE_MIN_PP]
    ev.job_quality_above = sorted((r for r in quoted if (r.difference_pp or 0) > 0),
                                  key=lambda r: -(r.difference_pp or 0))
    ev.job_quality_below = sorted((r for r in quoted if (r.difference_pp or 0) < 0),
                                  key=lambda r: r.difference_pp or 0)
    ev.composition = _benchmark_rows(nat.composition, code=area["code"], creative="total_excl_it_software",
                                     key="status")
    if nat.composition is not None:
        ev.composition_period = str(nat.composition["period"].max())
        ev.composition_notes = list(_COMPOSITION_CAVEATS)
        ev.sources.append(nat.composition_source)
    cited: dict[str, inc.BenchmarkRow] = {}
    for r in sorted((r for r in ev.composition if r.citeable and abs(r.difference_pp or 0) >= CITE_MIN_PP),
                    key=lambda r: (-round(abs(r.difference_pp or 0), 1), -(r.difference_pp or 0))):
        cited.setdefault(r.dimension, r)
    ev.composition_cited = list(cited.values())[:2]
    return ev
