"""``year=`` on the web API's profiles, clusters and packs, as ``--year`` on the command line.

Was: only ``/api/indicators`` read ``year``; ``/api/places/{code}/profile?year=2019``,
``/api/clusters?year=...`` and ``evidence.html?year=...`` silently answered with the latest year
(FastAPI drops unknown query parameters), although the README says every command takes the year given
"with ``--year``, or ``year=`` in the API".
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.web.test_api_packs_groups import _contains


def _cli_json(full_home, *args: str) -> dict:
    from creative_clusters.cli import app

    res = CliRunner().invoke(app, [*args, "--json", "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_a_profile_as_of_a_year_is_the_clis(client, full_home):
    r = client.get("/api/places/E08000019/profile?year=2019")
    assert r.status_code == 200, r.text[:300]
    web = r.json()
    assert web["as_of_year"] == "2019"
    assert web["trajectory"]["series"][-1]["period"] == "2019"  # the annual series ends there
    cli = _cli_json(full_home, "profile", "E08000019", "--year", "2019")
    _contains(web, {k: v for k, v in cli.items() if k != "trajectory"})
    latest = client.get("/api/places/E08000019/profile").json()
    assert latest["trajectory"]["series"][-1]["period"] > "2019"  # not the same body under another name


def test_a_group_profile_as_of_a_year(client):
    r = client.get("/api/groups/profile?places=E08000019,E08000018&year=2016")
    assert r.status_code == 200, r.text[:300]
    assert r.json()["as_of_year"] == "2016"
    assert r.json()["trajectory"]["series"][-1]["period"] == "2016"


def _sic_years(wh) -> list[int]:
    """The years of creative enterprises by SIC class the warehouse holds (from its catalogue)."""
    return sorted({int(p) for e in wh.catalogue_entries("creative_enterprises_sic") for p in wh.periods(e.id)})


def test_clusters_of_a_year_the_warehouse_lacks_say_which_it_has(client, full_warehouse):
    years = _sic_years(full_warehouse)
    missing = min(years) - 1
    r = client.get(f"/api/clusters?method=threshold&year={missing}")
    assert r.status_code == 404, r.text[:300]  # not in the warehouse, as an unknown place
    assert str(missing) in r.json()["detail"] and str(years[-1]) in r.json()["detail"]
    same = client.get(f"/api/clusters?method=threshold&year={years[-1]}")
    assert same.status_code == 200
    assert same.json()["period"] == str(years[-1])
    assert same.json()["clusters"] == client.get("/api/clusters?method=threshold").json()["clusters"]


@pytest.mark.parametrize("path", ["/api/places/E08000019/evidence.html",
                                  "/api/groups/evidence.xlsx?places=E08000019,E08000018"])
def test_a_pack_of_a_year_the_warehouse_lacks_is_not_found_with_the_years_it_has(client, full_warehouse, path):
    years = _sic_years(full_warehouse)
    sep = "&" if "?" in path else "?"
    r = client.get(f"{path}{sep}year={min(years) - 1}")
    assert r.status_code == 404, r.text[:300]  # not in the warehouse, as an unknown place
    assert str(years[-1]) in r.json()["detail"]
