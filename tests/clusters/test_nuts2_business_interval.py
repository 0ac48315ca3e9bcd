"""At NUTS2 with ``--measure businesses`` the interval columns belong to the business LQ.

A reviewer found ``clusters --level nuts2 --measure businesses`` printing the employment LQ's
interval under ``lq_lower``/``lq_upper`` (UKI4: business_lq 2.31, employment_lq 2.43, interval
2.42-2.44). As at the LAD levels (what the map and the web read), ``lq_lower``/``lq_upper``
must be the exact Poisson interval of the LQ the measure uses, here on the IDBR local-unit count.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.indicators.lq import poisson_lq_interval
from creative_clusters.workflows.detection import place_table

runner = CliRunner()


@pytest.mark.parametrize("measure", ["businesses", "local_units"])
def test_business_measure_carries_the_business_lq_interval(full_warehouse, measure):
    t, meta = place_table(full_warehouse, level="nuts2", measure=measure, year=2018)
    assert meta["lq"] == "business_lq"
    # exact Poisson interval on the local-unit count: the count over its expected count (count / LQ; the
    # reference share includes Northern Ireland, which IDBR has and the GB BRES table does not)
    n = t["establishments"].to_numpy()
    lo, hi = poisson_lq_interval(n, n / t["business_lq"].to_numpy())
    np.testing.assert_allclose(t["lq_lower"], lo, rtol=1e-9)
    np.testing.assert_allclose(t["lq_upper"], hi, rtol=1e-9)
    assert ((t["lq_lower"] <= t["business_lq"]) & (t["business_lq"] <= t["lq_upper"])).all()
    uki4 = t.set_index("geo_code").loc["UKI4"]
    assert uki4["lq_lower"] < uki4["business_lq"] < uki4["lq_upper"] < uki4["employment_lq"]
    # both LQs keep their own interval under explicit names
    np.testing.assert_allclose(t["business_lq_lower"], lo, rtol=1e-9)
    # the jobs LQ (BRES, a rounded sample survey) has no interval: never a Poisson one (test_nuts2_basis.py)
    assert t["employment_lq_lower"].isna().all() and t["employment_lq_upper"].isna().all()


def test_employment_measure_never_takes_the_business_interval(full_warehouse):
    # the jobs LQ has no interval of its own (BRES is a survey; tests/workflows/test_nuts2_basis.py), and the
    # business LQ's is not put in its place
    t, meta = place_table(full_warehouse, level="nuts2", measure="employment", year=2018)
    assert meta["lq"] == "employment_lq"
    assert t["lq_lower"].isna().all() and t["lq_upper"].isna().all()
    assert t["business_lq_lower"].notna().all()


def test_every_level_interval_brackets_its_own_lq(full_warehouse):
    # the LAD levels (the map and the web's table) and NUTS2 follow one rule: lq_lower/lq_upper are meta["lq"]'s
    for level, measure in [("lad", "businesses"), ("rgn", "businesses"), ("nuts2", "businesses")]:
        t, meta = place_table(full_warehouse, level=level, measure=measure, statistics=False)
        ok = t[meta["lq"]].notna()
        assert ok.any(), (level, measure)
        inside = (t.loc[ok, "lq_lower"] <= t.loc[ok, meta["lq"]]) & (t.loc[ok, meta["lq"]] <= t.loc[ok, "lq_upper"])
        assert inside.all(), (level, measure)


def test_clusters_command_prints_the_business_interval(full_home):
    r = runner.invoke(app, ["clusters", "--level", "nuts2", "--measure", "businesses", "--json",
                            "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    rows = {x["geo_code"]: x for x in json.loads(r.stdout)}
    uki4 = rows["UKI4"]
    assert uki4["lq_lower"] <= uki4["business_lq"] <= uki4["lq_upper"]
    assert not uki4["lq_lower"] <= uki4["employment_lq"] <= uki4["lq_upper"]
    csv = runner.invoke(app, ["clusters", "--level", "nuts2", "--measure", "businesses", "--csv",
                              "--home", str(full_home)]).stdout.splitlines()[0].split(",")
    # printed beside the LQ they belong to
    assert csv.index("lq_lower") == csv.index("business_lq") + 1


def test_year_without_business_counts_leaves_the_interval_empty_with_a_note(full_home, full_warehouse):
    # IDBR local units start in 2016: 2015 has an employment LQ but no business LQ to bound
    t, meta = place_table(full_warehouse, level="nuts2", measure="businesses", year=2015)
    assert t["business_lq"].isna().all() and t["employment_lq"].notna().all()
    assert t["lq_lower"].isna().all() and t["lq_upper"].isna().all()
    assert "no idbr local units" in meta["note"].lower()
    r = runner.invoke(app, ["clusters", "--level", "nuts2", "--measure", "businesses", "--year", "2015",
                            "--all", "--json", "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows and all(x["lq_lower"] is None or math.isnan(x["lq_lower"]) for x in rows)
    assert "Note: No IDBR local units by NUTS2 for 2015" in r.stderr
