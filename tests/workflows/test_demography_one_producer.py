"""Round 11 (h1, item 1): a combined authority's Business Demography is the same in the profile and the pack.

The profile used to say the rates were "not published for combined authorities" and show none, while the
evidence pack weighted the members' rates by active enterprises. Both now take them from one producer
(``workflows.evidence_stats.demography_values``) and say how. Real bundle for the agreement; a hand-worked
pair of local authorities for the weighting.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest

from creative_clusters import kinds
from creative_clusters.workflows import evidence as E
from creative_clusters.workflows import gaps
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.profile import build_profile, profile_json, profile_text

MEASURES = {"Active enterprises (all industries)": "active_enterprises", "Business birth rate": "birth_rate_pct",
            "Business death rate": "death_rate_pct",
            "High-growth enterprises (share of those with 10+ employees)": "high_growth_rate_pct"}
METHOD = "each rate the mean of the member local authorities' rates weighted by its own base"


@pytest.mark.realdata
@pytest.mark.parametrize("query", ["Greater Manchester", "South Yorkshire"])
def test_a_combined_authority_has_the_packs_business_demography(nd, wh, query):
    prof = build_profile(wh, resolve_place(wh, query))
    pl = E.resolve_evidence_place(nd, query)
    inp = E.gather_inputs(nd, pl, png=False)
    pack = inp.demography_place
    figs = prof["business_demography"]
    rates = [f for f in figs if f.label in MEASURES and f.unit.startswith("%")]
    assert len(rates) == 3, [f.label for f in figs]  # birth, death and high-growth rates: shown, not omitted
    for f in figs:
        if f.label in MEASURES:
            assert f.value == pytest.approx(pack[(MEASURES[f.label], "")][f.vintage], rel=1e-12), (query, f.label)
        else:  # "Survival rate (1-year)", cohort year
            status, cohort = f.label.removeprefix("Survival rate (").rstrip(")"), f.vintage.removeprefix("cohort ")
            assert f.value == pytest.approx(pack[("survival_rate_pct", status)][cohort], rel=1e-12), (query, f.label)
    # the benchmark row of the pack carries the same rates for the group
    row = inp.place_indicators.loc[pl.code]
    latest = {f.label: f.value for f in figs}
    assert row["birth_rate"] == pytest.approx(latest["Business birth rate"], rel=1e-12)
    assert row["death_rate"] == pytest.approx(latest["Business death rate"], rel=1e-12)
    # the method is stated, in the text and the JSON, and the old "not averaged" gap is gone
    text = profile_text(prof)
    assert METHOD in text and "rates are not averaged" not in text
    js = json.loads(json.dumps(profile_json(prof), default=str))
    assert METHOD in js["business_demography_method"]
    assert all(METHOD in " ".join(f["caveats"]) for f in js["business_demography"])
    assert not any(m["topic"] == gaps.TOPIC_DEMOGRAPHY for m in js["missing_items"])


@pytest.mark.realdata
def test_a_single_local_authority_keeps_its_published_rows(wh):
    prof = build_profile(wh, resolve_place(wh, "E08000019"))  # Sheffield
    assert prof["business_demography_method"] == "published for the area"
    ref = wh.find_dataset(kinds.ACTIVE_ENTERPRISES)
    obs = wh.observations(dataset=ref.id, geo_code="E08000019", measure="birth_rate_pct")
    latest = obs.sort_values("period").iloc[-1]
    birth = next(f for f in prof["business_demography"] if f.label == "Business birth rate")
    assert (birth.value, birth.vintage) == (float(latest["value"]), str(latest["period"]))
    assert METHOD not in profile_text(prof)


class _TwoLads:
    """A warehouse stub holding Business Demography for two local authorities, A and B (made-up values)."""

    def __init__(self) -> None:
        rows = [  # (geo, measure, status, value, flag)
            ("A", "active_enterprises", "", 100.0, "rounded"), ("B", "active_enterprises", "", 300.0, "rounded"),
            ("A", "birth_rate_pct", "", 10.0, "as-published"), ("B", "birth_rate_pct", "", 14.0, "as-published"),
            ("A", "death_rate_pct", "", 8.0, "as-published"), ("B", "death_rate_pct", "", 12.0, "as-published"),
            ("A", "survival_rate_pct", "1-year", 90.0, "as-published"),
            ("B", "survival_rate_pct", "1-year", 94.0, "as-published")]
        self.obs = pd.DataFrame([{"dataset": "bd", "geo_code": g, "geo_type": "lad", "period": "2024", "measure": m,
                                  "status": s, "value": v, "disclosure_flag": fl} for g, m, s, v, fl in rows])

    def find_dataset(self, kind: str) -> SimpleNamespace | None:
        return SimpleNamespace(id="bd", title="bd") if kind == kinds.ACTIVE_ENTERPRISES else None

    def observations(self, *, dataset: str, geo_code: list[str]) -> pd.DataFrame:
        return self.obs[(self.obs["dataset"] == dataset) & self.obs["geo_code"].isin(geo_code)]


def test_the_weighting_by_hand_for_two_local_authorities():
    from creative_clusters.workflows.profile import _demography

    figs, method = _demography(_TwoLads(), "G", ["A", "B"])  # type: ignore[arg-type]
    got = {f.label: f for f in figs}
    # A: 100 firms, B: 300. Birth rate (10*100 + 14*300) / 400 = 5200 / 400 = 13.0, not the plain mean 12.0;
    # death rate (8*100 + 12*300) / 400 = 4400 / 400 = 11.0; 1-year survival weighted by the cohort's births
    # (A: 10% of 100 = 10, B: 14% of 300 = 42), not by active enterprises: (90*10 + 94*42) / 52 = 4848 / 52
    assert got["Business birth rate"].value == pytest.approx(13.0)
    assert got["Business death rate"].value == pytest.approx(11.0)
    assert got["Survival rate (1-year)"].value == pytest.approx(4848 / 52)
    assert got["Active enterprises (all industries)"].value == 400.0
    assert got["Active enterprises (all industries)"].flag == "rounded"  # a sum of rounded counts stays rounded
    assert METHOD in method
