"""Real-data checks against published figures (data README / docs/methods.md), on the session warehouse."""

from __future__ import annotations

import pytest

from creative_clusters.people.inclusion import imd_rank, job_quality_panel
from creative_clusters.people.occupations import creative_occupation_bounds, self_employment
from creative_clusters.workflows import anchors_report as war
from creative_clusters.workflows import inclusion_report as wir
from creative_clusters.workflows import workforce_report as wp
from creative_clusters.workflows.places import resolve_place

GM = [f"E080000{i:02d}" for i in range(1, 11)]


@pytest.fixture(scope="module")
def wh(full_home):
    from creative_clusters.warehouse import Warehouse

    w = Warehouse(full_home, read_only=True)
    yield w
    w.close()


def test_ts060_in_employment_total_matches_published(wh):
    ts = wh.observations(dataset="census2021_ts060", measure="residents_in_employment")
    assert ts.loc[ts["industry_code"] == "_T", "value"].sum() == 27_773_743  # README
    assert ts.loc[ts["industry_code"] != "_T", "value"].sum() == 27_773_743
    rep = wp.workforce_report(wh, resolve_place(wh, "Manchester"))
    assert rep["census_ts060"]["england_wales_residents_in_employment"]["value"] == 27_773_743
    assert rep["census_ts060"]["division_sum"]["creative_residents"]["basis"] == "residence"


def test_division_shares_from_gb_bres(wh):
    shares = wp.national_division_shares(wh).set_index("division")
    # README: GB BRES total between 29 and 31 million; divisions 58/59/60/90 are wholly creative classes
    b = wh.observations(dataset="bres_nuts2", measure="employment", period="2018")
    assert 29e6 < b["value"].sum() < 31e6
    for d in ("58", "59", "60", "90"):
        assert shares.loc[d, "share"] == 1.0
    assert 0 < shares.loc["62", "share"] < 1  # 6203/6209 are not creative
    err = wp.workforce_report(wh, resolve_place(wh, "Bristol"))["division_approximation"]["gb_bres"]
    assert err["creative"] == shares["creative"].sum()
    # the BRES year named is the catalogue's latest, not one written into the code
    assert err["period"] == wh.latest_period("bres_nuts2", measure="employment")


def test_middlesbrough_imd2019_rank_is_5(wh):
    obs = wh.observations(dataset="imd2019_england")
    assert imd_rank(obs, "E06000002", dataset="imd2019_england")["rank"] == 5  # README: Middlesbrough ranks 5th
    rep = wir.inclusion_report(wh, resolve_place(wh, "Middlesbrough"))
    # the report uses the latest English index in the catalogue (IMD 2025 on the 2024 LAD set), never both
    ranks = rep["deprivation_ranks"]
    assert [r["dataset"] for r in ranks] == ["imd2025_england"]
    obs25 = wh.observations(dataset="imd2025_england", measure="imd_rank_of_average_score")
    published = obs25.loc[obs25["geo_code"] == "E06000002", "value"].item()
    assert ranks[0]["rank"] == published and ranks[0]["of"] == 296


def test_gm_self_employed_and_totals_consistent_across_tables(wh):
    gm = wh.observations(dataset="census2021_gm")
    se = self_employment(gm[gm["measure"] == "residents_16_plus"]).set_index("geo_code")
    assert sorted(se.index) == GM
    assert (se["self_employed"] == se["self_employed_with_employees"] + se["self_employed_without_employees"]).all()
    occ = gm[(gm["occupation_scheme"] == "SOC2020_MAJOR") & (gm["occupation_code"] == "_T")].set_index("geo_code")
    ind = gm[(gm["industry_scheme"] == "SIC2007_DIV") & (gm["industry_code"] == "_T")].set_index("geo_code")
    # ONS perturbs each table separately: totals agree to within a few persons (README: at most 7)
    assert (se["in_employment"] - occ["value"].reindex(se.index)).abs().max() <= 10
    assert (se["in_employment"] - ind["value"].reindex(se.index)).abs().max() <= 10
    rep = wp.workforce_report(wh, resolve_place(wh, "Greater Manchester"))
    assert rep["self_employment_gm"]["self_employed"]["value"] == se["self_employed"].sum()
    # the GM industry table is the TS060 table for those LADs
    ts = wh.observations(dataset="census2021_ts060", industry_code="_T", geo_code=GM).set_index("geo_code")
    assert (ts["value"] - ind["value"].reindex(ts.index)).abs().max() <= 10


def test_gm_occupation_bounds_bracket(wh):
    gm = wh.observations(dataset="census2021_gm", occupation_scheme="SOC2020_MINOR")
    b = creative_occupation_bounds(gm)
    assert (b["lower"] <= b["upper"]).all() and (b["lower"] > 0).all()
    assert (b["upper"] < b["total"]).all()


def test_se_inclusive_lq_on_gm(wh):
    rep = wp.workforce_report(wh, resolve_place(wh, "Salford"))["se_inclusive_lq_gm"]
    assert "ESTIMATE" in rep["creative_self_employed"]
    row = rep["rows"][0]
    assert row["geo_code"] == "E08000006"
    assert abs(row["gap"] - (row["lq_se"] - row["lq"])) < 1e-3


def test_job_quality_flags_kept(wh):
    p = job_quality_panel(wh.observations(dataset="ons_job_quality_creative_2021_2022"))
    assert set(p["geo_code"]) == {"E12000007", "K02000001-xLDN"}
    assert (p["disclosure_flag"] == "low-reliability").any()
    # a missing cell never becomes a share
    obs = wh.observations(dataset="ons_job_quality_creative_2021_2022")
    assert obs["value"].isna().sum() > 0 and p["share_pct"].isna().sum() > 0


def test_manchester_anchors_match_ons_museums_per_100k(wh):
    rep = war.anchors_report(wh, resolve_place(wh, "Manchester"))
    assert "Royal Northern College of Music" in rep["hei"]["names"]
    assert rep["hei"]["creative_specialists"] >= 1
    m = rep["museums"]
    assert "mappingmuseums.org" in m["attribution"]
    ons = m["ons_museums_per_100k"]["value"]
    assert abs(m["per_100k"] - ons) < 0.5  # our point-in-polygon count vs the ONS published series


def test_companies_house_createch_counts(data_root):
    from creative_clusters.people.createch import createch_counts, createch_flag
    from creative_clusters.sources.firm_files import read_firm_file

    raw = read_firm_file(data_root / "firms" / "companieshouse_southyorkshire_2024-11-01.csv.gz")
    c = createch_counts(createch_flag(raw)).set_index("geo_name")
    assert c["firms"].sum() == 75_740  # README
    assert c.loc["Sheffield", "firms"] == 33_752 and c.loc["Barnsley", "firms"] == 10_708
    assert 0 < c["createch"].sum() < 5_860 * 2
    assert (c["createch"] == c["games"] + c["creative_plus_tech"]).all()


def test_unknown_place_is_a_clear_error(wh):
    from creative_clusters.errors import PlaceNotFoundError

    with pytest.raises(PlaceNotFoundError, match="Narnia"):
        resolve_place(wh, "Narnia")


def test_creative_residents_for_every_ew_lad(wh):
    t = wp.creative_residents_by_lad(wh)
    assert len(t) == 331  # README: 331 LADs on 2021 boundaries
    assert t["residents_in_employment"].sum() == 27_773_743
    assert (t["creative_residents"] <= t["residents_in_employment"]).all()
    # the E&W-wide residence LQ is 1 by construction of the weighted mean
    w = t["residents_in_employment"] / t["residents_in_employment"].sum()
    assert abs((w * t["residence_lq"]).sum() - 1) < 1e-9
    sw = wp.creative_residents_by_lad(wh, method="share_weighted")
    assert sw["creative_residents"].sum() < t["creative_residents"].sum()


def test_no_partial_sums_for_places_only_partly_covered(wh):
    rep = wp.workforce_report(wh, resolve_place(wh, "North West"))
    assert "self_employment_gm" not in rep and "occupations" not in rep
    assert any("10 of this place's" in m for m in rep["missing"])
    assert rep["census_ts060"]["division_sum"]["creative_residents"]["value"] > 0  # TS060 covers all of it


def test_default_divisions_match_bres_in_every_year(full_warehouse):
    from creative_clusters.people.workforce import (
        DEFAULT_DIVISIONS,
        approximate_divisions,
        division_creative_shares,
    )

    for year in ("2015", "2016", "2017", "2018"):
        bres = full_warehouse.observations(dataset="bres_nuts2", measure="employment", period=year)
        assert tuple(approximate_divisions(division_creative_shares(bres))) == DEFAULT_DIVISIONS, year
