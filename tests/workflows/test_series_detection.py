"""Threshold, strong and hotspot detection outside England, from the 2010–2025 series (real data).

The business LQs are checked against an independent computation from the
warehouse's raw observations (creative enterprises of the series over Business
Demography's active enterprises, both by 2023 LAD). The cluster assertions are
the ones the literature makes (docs/methods.md):

- Nesta, *The Geography of Creativity in the UK* (2016) [V]: of its 47 creative
  clusters, those in the devolved nations are Edinburgh, Glasgow, Cardiff and
  Belfast.
- RSA / Creative PEC / Arts Council England, *Creative Corridors* (2024) [V]:
  one of the seven named corridors is Edinburgh–Glasgow–Dundee.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.errors import ParameterError
from creative_clusters.workflows import detection, place_geometry
from creative_clusters.workflows import trajectory as tr

EDINBURGH, GLASGOW, DUNDEE = "S12000036", "S12000049", "S12000042"
CARDIFF, BELFAST = "W06000015", "N09000003"
runner = CliRunner()


@pytest.fixture(scope="module")
def data(full_home):
    from creative_clusters.warehouse import Warehouse

    with Warehouse(full_home, read_only=True) as wh:
        yield tr.load_trajectory_data(wh)


def _raw(wh, kind: str, measure: str, year: str) -> dict[str, float]:
    """LAD values of the latest dataset of ``kind`` straight from the observations table."""
    ref = wh.require_dataset(kind)
    rows = wh.query("SELECT geo_code, value FROM observations WHERE dataset = ? AND measure = ? AND period = ? "
                    "AND geo_type = 'lad'", [ref.id, measure, year])
    return dict(zip(rows["geo_code"], rows["value"].astype(float), strict=True))


def test_devolved_cities_get_a_business_lq_for_2024(full_warehouse, data):
    from creative_clusters import kinds

    t, meta = tr.series_place_table(full_warehouse, "lad", year=2024, data=data)
    assert meta["period"] == "2024" and meta["benchmark"] == "UK"
    assert len(t) == 361 and {c[0] for c in t["geo_code"]} == {"E", "W", "S", "N"}
    c = _raw(full_warehouse, kinds.CREATIVE_ENTERPRISES_SERIES, "enterprises", "2024")
    a = _raw(full_warehouse, kinds.ACTIVE_ENTERPRISES, "active_enterprises", "2024")
    lads = sorted(c)
    assert len(lads) == 361 and set(lads) <= set(a)
    ref = sum(c[x] for x in lads) / sum(a[x] for x in lads)
    rows = t.set_index("geo_code")
    for code in (GLASGOW, EDINBURGH, CARDIFF, BELFAST):
        r = rows.loc[code]
        assert r["businesses"] == c[code] and r["active_enterprises"] == a[code]
        assert r["business_lq"] == pytest.approx((c[code] / a[code]) / ref, rel=1e-12)
        assert r["lq_lower"] < r["business_lq"] < r["lq_upper"]
    # one source: the same LQ as the trajectory (profile, pack, web) for that year
    traj = tr.trajectory_table(level="lad", data=data, years=["2024"]).set_index("geo_code")
    assert np.allclose(rows["business_lq_uk"], traj.loc[rows.index, "lq"], rtol=1e-12, equal_nan=True)


def test_the_nation_benchmark_is_the_lq_against_the_nation(full_warehouse, data):
    from creative_clusters import kinds

    t, meta = tr.series_place_table(full_warehouse, "lad", year="2022", nation="Scotland", data=data)
    assert meta["benchmark"] == "Scotland" and set(t["nation"]) == {"S92000003"} and len(t) == 32
    c = _raw(full_warehouse, kinds.CREATIVE_ENTERPRISES_SERIES, "enterprises", "2022")
    a = dict(data.active[data.active["period"] == "2022"][["geo_code", "value"]].itertuples(index=False))
    scot = [x for x in c if x.startswith("S")]
    ref = sum(c[x] for x in scot) / sum(a[x] for x in scot)
    rows = t.set_index("geo_code")
    for code in scot:
        assert rows.loc[code, "business_lq"] == pytest.approx((c[code] / a[code]) / ref, rel=1e-9)
    assert (rows["business_lq"] == rows["business_lq_nation"]).all()
    assert (rows["rank_nation"].min(), rows["n_nation"].max()) == (1, 32)


def test_years_come_from_the_catalogue_and_a_year_without_denominator_is_said(full_warehouse, data):
    with_den, without = tr.detection_years(data)
    assert with_den == sorted(set(data.active["period"]))  # Business Demography's years
    _t, meta = tr.series_place_table(full_warehouse, "lad", data=data)
    assert meta["period"] == with_den[-1]
    if without and without[-1] > with_den[-1]:
        assert any(f"runs to {without[-1]}" in n for n in meta["notes"])
        with pytest.raises(ParameterError, match="no active-enterprise denominator"):
            tr.series_place_table(full_warehouse, "lad", year=without[-1], data=data)
    with pytest.raises(ParameterError, match="not a UK nation"):
        tr.series_place_table(full_warehouse, "lad", nation="Mercia", data=data)


@pytest.mark.parametrize("nation", [None, "own"])
def test_nestas_devolved_clusters_are_threshold_clusters(full_warehouse, data, nation):
    """Nesta 2016: Edinburgh, Glasgow, Cardiff and Belfast are creative clusters (against the UK, and at home)."""
    for code in (EDINBURGH, GLASGOW, CARDIFF, BELFAST):
        scope = None if nation is None else code[0]
        t, meta = tr.series_place_table(
            full_warehouse, "lad", year=2024, data=data,
            nation={None: None, "S": "scotland", "W": "wales", "N": "northern ireland"}[scope])
        res, _det = detection.run_method(full_warehouse, t, meta, method="threshold")
        assert bool(res.set_index("geo_code").loc[code, "cluster"]), (code, nation)


@pytest.mark.parametrize("method", ["strong", "hotspot"])
def test_strong_and_hotspot_run_on_every_uk_place(full_warehouse, data, method):
    t, meta = tr.series_place_table(full_warehouse, "lad", year=2024, data=data)
    res, _det = detection.run_method(full_warehouse, t, meta, method=method, weights="knn" if method == "hotspot"
                                 else "queen")
    assert len(res) == 361 and res["cluster"].dtype == bool and res["cluster"].any()


def _scottish_corridors(wh, data, max_distance):
    t, meta = tr.series_place_table(wh, "lad", year=2024, nation="scotland", data=data)
    t = t.merge(place_geometry.place_centroids(wh, level="lad"), on="geo_code", how="left")
    res, _det = detection.run_method(wh, t, meta, method="threshold")
    places, _cor = detection.find_corridors(res, max_distance=max_distance, min_size=1_000)
    return places.set_index("geo_code")["corridor"]


def _distance(wh, a, b):
    c = place_geometry.place_centroids(wh, level="lad").set_index("geo_code")
    return float(np.hypot(*(c.loc[a, ["x", "y"]] - c.loc[b, ["x", "y"]]).to_numpy()))


def test_edinburgh_and_glasgow_join_into_one_corridor(full_warehouse, data):
    """The Edinburgh–Glasgow core of the RSA corridor, joined at the distance between their centroids."""
    d = _distance(full_warehouse, EDINBURGH, GLASGOW)
    cor = _scottish_corridors(full_warehouse, data, d + 1.0)
    assert cor[EDINBURGH] >= 0 and cor[EDINBURGH] == cor[GLASGOW]


@pytest.mark.xfail(strict=True, reason=(
    "Dundee's business LQ (creative over active enterprises) is below 1 against Scotland and the UK, so it is "
    "not a threshold cluster and cannot join on business counts; the RSA corridors rest on other measures "
    "(employment/GVA, microclusters, transport links; method not verified, docs/methods.md §4)."))
def test_dundee_joins_the_edinburgh_glasgow_corridor(full_warehouse, data):
    d = max(_distance(full_warehouse, EDINBURGH, GLASGOW), _distance(full_warehouse, EDINBURGH, DUNDEE))
    cor = _scottish_corridors(full_warehouse, data, d + 1.0)
    assert cor[DUNDEE] >= 0 and cor[DUNDEE] == cor[EDINBURGH]


def test_clusters_cli_scope(full_home):
    res = runner.invoke(app, ["clusters", "--scope", "scotland", "--all", "--json", "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 32 and all(r["geo_code"].startswith("S12") for r in rows)
    assert {r["geo_code"] for r in rows if r["cluster"]} >= {EDINBURGH, GLASGOW}
    res = runner.invoke(app, ["clusters", "--scope", "uk", "--year", "2025", "--home", str(full_home)])
    assert res.exit_code != 0 and "no active-enterprise denominator" in res.output
    res = runner.invoke(app, ["clusters", "--scope", "wales", "--subsector", "film", "--home", str(full_home)])
    assert res.exit_code != 0 and "no sub-sector split" in res.output
    res = runner.invoke(app, ["clusters", "--scope", "mars", "--home", str(full_home)])
    assert res.exit_code != 0 and "--scope must be" in res.output
