"""NUTS2 tables and profiles: each LQ against the area its own source covers, no Poisson interval on a survey.

An auditor found (7 December):

- ``clusters --level nuts2 --measure local_units --year 2018`` gave South Western Scotland a local-units LQ
  of 0.6785, computed over all 40 IDBR areas (the UK, Northern Ireland included), under a title saying
  "LQs against Great Britain", and listed 39 places: Northern Ireland, which IDBR covers, was dropped.
- the jobs LQ's "95% interval" (Inner London West 2.80-2.83) was an exact Poisson interval on BRES job
  counts, which are rounded sample-survey estimates: it overstated their precision many times over.
- ``profile "South Western Scotland"`` showed neither the area's BRES employment nor its IDBR local units,
  which the evidence pack shows, and did not say they were missing.

Expected values are worked here from the raw Nomis extracts with the location-quotient formula of
docs/methods.md §14: LQ_ir = (e_ir / E_r) / (E_i / E), over every area the source covers.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.classifications import dcms
from creative_clusters.cli import app
from creative_clusters.workflows.detection import place_table
from creative_clusters.workflows.nuts2_tables import nuts2_employment_table
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.profile import build_profile, profile_json, profile_text

pytestmark = pytest.mark.realdata

runner = CliRunner()
SW_SCOTLAND = "UKM3"  # South Western Scotland (NUTS 2013)


def _raw(data_root, source: str, year: int) -> pd.DataFrame:
    """Creative and all-class counts by area from the raw extract (columns ``creative``, ``total``)."""
    raw = pd.read_csv(data_root / "bres_nuts2" / f"nomis_{source}_{year}_TYPE450.csv", dtype={"SIC4": str})
    raw["value"] = pd.to_numeric(raw["value"], errors="coerce").fillna(0.0)
    raw["creative"] = raw["SIC4"].map(dcms.is_creative_sic).astype(bool)
    by = raw.groupby("geo_cd")
    return pd.DataFrame({"creative": by.apply(lambda g: g.loc[g["creative"], "value"].sum()),
                         "total": by["value"].sum()})


def _lq(counts: pd.DataFrame) -> pd.Series:
    """docs/methods.md §14.1 over every area of ``counts``."""
    return (counts["creative"] / counts["total"]) / (counts["creative"].sum() / counts["total"].sum())


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_local_units_table_lists_the_uk_with_its_lq_against_the_uk(wh, data_root):
    raw = _raw(data_root, "IDBR", 2018)
    assert len(raw) == 40 and "UKN0" in raw.index  # IDBR covers the UK
    uk = _lq(raw)
    gb = _lq(raw.drop(index=[c for c in raw.index if c.startswith("UKN")]))
    assert round(uk[SW_SCOTLAND], 4) == 0.6785 and round(gb[SW_SCOTLAND], 4) == 0.6698  # the auditor's two values
    for measure in ("local_units", "businesses"):
        t = nuts2_employment_table(wh, year=2018, measure=measure).set_index("geo_code")
        assert set(t.index) == set(raw.index), measure  # was 39: Northern Ireland dropped
        pd.testing.assert_series_equal(t["business_lq"].sort_index(), uk.sort_index(), check_names=False,
                                       rtol=1e-9)
        assert t.loc["UKN0", "geo_name"] == "Northern Ireland"
        assert round(t.loc["UKN0", "business_lq"], 3) == 0.464
        assert math.isnan(t.loc["UKN0", "employment_lq"])  # BRES has no Northern Ireland
        assert (t["business_lq_base"] == "the UK").all()


def test_employment_table_is_great_britain_and_its_jobs_lq_is_against_great_britain(wh, data_root):
    raw = _raw(data_root, "BRES", 2018)
    assert len(raw) == 39 and not any(c.startswith("UKN") for c in raw.index)  # BRES covers Great Britain
    t = nuts2_employment_table(wh, year=2018, measure="employment").set_index("geo_code")
    assert set(t.index) == set(raw.index)
    pd.testing.assert_series_equal(t["employment_lq"].sort_index(), _lq(raw).sort_index(), check_names=False,
                                   rtol=1e-9)
    assert (t["employment_lq_base"] == "Great Britain").all()
    # the local-units LQ beside it keeps its one value, against the UK (not a second, GB-based one)
    units = _lq(_raw(data_root, "IDBR", 2018))
    assert t.loc[SW_SCOTLAND, "business_lq"] == pytest.approx(units[SW_SCOTLAND], rel=1e-9)


@pytest.mark.parametrize(("measure", "first", "second"), [
    ("local_units", "local units LQ against the UK (IDBR)", "jobs LQ against Great Britain (BRES)"),
    ("employment", "jobs LQ against Great Britain (BRES)", "local units LQ against the UK (IDBR)"),
])
def test_each_table_title_states_its_own_bases(full_home, measure, first, second):
    r = runner.invoke(app, ["clusters", "--level", "nuts2", "--measure", measure, "--year", "2018", "--all",
                            "--home", str(full_home)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    assert "LQs against Great Britain" not in text  # was the title of both tables
    assert f"{first}; {second}" in text
    assert text.startswith(f"{40 if measure == 'local_units' else 39} of {40 if measure == 'local_units' else 39} "
                           "places")
    assert ("Northern Ireland" in text) == (measure == "local_units")


def test_the_jobs_lq_has_no_poisson_interval_and_says_why(full_home, full_warehouse):
    t, meta = place_table(full_warehouse, level="nuts2", measure="employment", year=2018)
    assert meta["lq"] == "employment_lq" and t["employment_lq"].notna().all()
    for col in ("lq_lower", "lq_upper", "employment_lq_lower", "employment_lq_upper"):
        assert t[col].isna().all(), col  # was 2.80-2.83 for Inner London West
    assert t["caveat"].str.contains("sample survey").all()
    assert t["caveat"].str.contains("no 95% interval on the jobs LQ").all()
    # the local-units LQ, counted from the register, keeps its exact Poisson interval
    assert ((t["business_lq_lower"] < t["business_lq"]) & (t["business_lq"] < t["business_lq_upper"])).all()
    r = runner.invoke(app, ["clusters", "--level", "nuts2", "--measure", "employment", "--year", "2018", "--json",
                            "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    rows = {x["geo_code"]: x for x in json.loads(r.stdout)}
    assert rows and all("lq_lower" not in x and "lq_upper" not in x for x in rows.values())
    assert all("sample survey" in x["caveat"] for x in rows.values())
    # the threshold rule never read the interval: the two Inner London areas still pass it on both LQs
    assert rows["UKI3"]["cluster"] and rows["UKI4"]["cluster"]
    text = runner.invoke(app, ["clusters", "--level", "nuts2", "--measure", "employment", "--year", "2018",
                               "--home", str(full_home)], env={"COLUMNS": "200"})
    assert "Caveat: no 95% interval on the jobs LQ" in text.stderr
    assert "jobs LQ low" not in text.stdout and "jobs LQ high" not in text.stdout


def test_a_nuts2_profile_shows_its_bres_employment_and_idbr_local_units(wh, data_root):
    bres = {y: _raw(data_root, "BRES", y) for y in (2015, 2016, 2017, 2018)}
    idbr = _raw(data_root, "IDBR", 2018)
    place = resolve_place(wh, "South Western Scotland")
    assert place.code == SW_SCOTLAND
    prof = build_profile(wh, place)
    block = prof["nuts2_sources"]  # was absent: the profile had the enterprise series only
    assert block["employment_start"].value == bres[2015].loc[SW_SCOTLAND, "creative"] == 28_770
    assert block["employment"].value == bres[2018].loc[SW_SCOTLAND, "creative"] == 33_525
    assert (block["employment_start"].vintage, block["employment"].vintage) == ("2015", "2018")
    assert block["employment_path"] == {str(y): float(bres[y].loc[SW_SCOTLAND, "creative"]) for y in bres}
    assert block["employment_lq"].value == pytest.approx(_lq(bres[2018])[SW_SCOTLAND], rel=1e-9)
    assert block["employment_lq_start"].value == pytest.approx(_lq(bres[2015])[SW_SCOTLAND], rel=1e-9)
    assert block["employment_lq_base"] == "Great Britain"
    assert block["local_units"].value == idbr.loc[SW_SCOTLAND, "creative"]
    assert block["local_units_lq"].value == pytest.approx(_lq(idbr)[SW_SCOTLAND], rel=1e-9)
    assert block["local_units_lq_base"] == "the UK" and block["local_units"].vintage == "2018"
    assert {"bres_nuts2", "idbr_nuts2"} <= {s["id"] for s in prof["sources"]}
    text = _flat(profile_text(prof))
    assert "28,770 in 2015, 33,525 in 2018" in text
    assert f"location quotient against Great Britain: {_lq(bres[2015])[SW_SCOTLAND]:.2f} in 2015" in text
    assert f"location quotient against the UK: {_lq(idbr)[SW_SCOTLAND]:.2f} [idbr_nuts2, 2018]" in text
    assert "no 95% interval on the jobs LQ" in text
    js = json.loads(json.dumps(profile_json(prof)))  # what --json and the web profile serve
    assert js["nuts2_sources"]["employment"]["value"] == 33_525
    assert js["nuts2_sources"]["local_units_lq"]["source"] == "idbr_nuts2"


def test_a_non_nuts2_profile_has_no_nuts2_block(wh):
    assert build_profile(wh, resolve_place(wh, "Glasgow City"))["nuts2_sources"] is None
