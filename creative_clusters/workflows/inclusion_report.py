"""Inclusion in a place (the ``inclusion`` command): deprivation ranks on each nation's own index,
creative activity by deprivation decile, workforce composition and job quality."""

from __future__ import annotations

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
}


def status_label(status: str) -> str:
    """A workforce-composition key (``"age=16_29"``) in words.

    >>> status_label("age=16_29"), status_label("ethnicity=white"), status_label("sex=female")
    ('aged 16–29', 'ethnicity: white', 'female')
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


def inclusion_report(wh: Warehouse, place: Any) -> dict[str, Any]:
    """Deprivation ranks, creative activity by deprivation decile, composition and job quality."""
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
        out["creative_by_deprivation_decile"] = _by_decile(wh, lads23, out["missing"])
    else:  # the deciles rank English LADs on England's index: they say nothing about a place elsewhere
        out["creative_by_deprivation_decile"] = None
        if lads23:
            out["missing"].append("creative activity by deprivation decile is for England only: the deciles rank "
                                  "English local authorities on the English Indices of Deprivation, and each "
                                  "nation's index ranks its own areas")
    in_london = bool(lads23) and all(c.startswith("E09") for c in lads23)
    area = LONDON if in_london else REST_OF_UK
    out["job_quality_area"] = {"code": area, "name": "London" if in_london else "UK excluding London",
                               "note": "the ONS workbooks split only London vs the rest of the UK; the place's "
                                       "own figures are not published"}
    if has_kind(wh, kinds.ONS_JOB_QUALITY):
        jq = inc.job_quality_panel(wh.observations(dataset=dataset_id(wh, kinds.ONS_JOB_QUALITY)))
        jq = jq[jq["period"] == jq["period"].max()]
        jq = jq.assign(label=jq["indicator"].map(indicator_label))
        out["job_quality"] = {"rows": jq.round(2).replace({np.nan: None}).to_dict("records"),
                              "source": dataset_id(wh, kinds.ONS_JOB_QUALITY), "vintage": str(jq["period"].max()),
                              "basis": WORKPLACE, "caveats": ["APS survey estimates; low-reliability cells "
                              "(sample <= 25) and suppressed cells are flagged and stay flagged"]}
    else:
        out["missing"].append("the ONS creative job-quality workbook is not imported")
    ds = dataset_id(wh, kinds.ONS_JOBS_DEMOGRAPHICS)
    if ds:
        c = inc.workforce_composition(wh.observations(dataset=ds))
        c = c[(c["period"] == c["period"].max()) & (c["industry_code"] == "total_excl_it_software")]
        c = c.assign(label=c["status"].map(status_label), area_name=c["geo_code"].map(AREA_NAMES).fillna(""))
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
    place_dec = dec[dec["geo_code"].isin(lads23)][["geo_code", "decile"]]
    place_dec = place_dec.assign(geo_name=area_names(wh, place_dec["geo_code"]).to_numpy()).to_dict("records")
    return {"rows": table.round(2).to_dict("records"), "set_aside": report, "place_deciles": place_dec,
            "index": _index_name(dep),
            "unit": "creative enterprises per 1,000 active enterprises", "basis": "register",
            "source": f"{ce_ref.id} / {ae_ref.id} / {dep.id} (LAD {vintage})",
            "caveats": [f"deciles of England LADs by the {dep.vintage} English Indices of Deprivation average "
                        f"score on {vintage} boundaries (1 = most deprived); ratio of sums within each decile",
                        f"numerator {period} snapshot, denominator active in {den_period}: different sources",
                        "England only; 9101/9102 absent from the business counts"]}
