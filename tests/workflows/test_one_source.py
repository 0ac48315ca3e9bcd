"""One producer of numbers: every output shows the same figures for a place.

For 32 places of every type (two LADs in each English region, combined
authorities, regions, TTWAs and a user-defined group), the creative
enterprise count, its share of England's, the business LQ and its interval,
the rank and the Census 2021 creative workforce share are compared across
the typed statistics layer (:func:`~creative_clusters.workflows.placestats.place_statistics`),
``profile --json``, the map CSV (``map --out``), the evidence pack's XLSX and
the web API. Any second code path that computes one of them differently
fails here.
"""

from __future__ import annotations

import json
import math

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.workflows.places import resolve_place, user_group
from creative_clusters.workflows.placestats import place_statistics

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

runner = CliRunner()

# two LADs in each English region (region code in the comment)
LADS = [
    "Newcastle upon Tyne", "Middlesbrough",  # North East
    "Manchester", "Cheshire East",  # North West
    "Sheffield", "Leeds",  # Yorkshire and The Humber
    "Nottingham", "Leicester",  # East Midlands
    "Birmingham", "Herefordshire",  # West Midlands
    "Cambridge", "Norwich",  # East of England
    "Westminster", "Hackney",  # London
    "Brighton and Hove", "Oxford",  # South East
    "Bristol", "Cornwall",  # South West
]
CAS = ["Greater Manchester", "West Yorkshire", "cauth:West Midlands", "North East", "Liverpool City Region"]
REGIONS = ["London", "South West", "E12000003", "E12000001"]
TTWAS = ["ttwa:Sheffield", "ttwa:Brighton", "ttwa:Bristol", "ttwa:Manchester"]
GROUP = ("Thames Estuary", ["E06000034", "E06000033", "E06000035"])


def _close(a: float | None, b: float | None, tol: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol)


@pytest.fixture(scope="module")
def places(wh):
    out = [resolve_place(wh, q) for q in [*LADS, *CAS, *REGIONS, *TTWAS]]
    out.append(user_group(wh, GROUP[0], GROUP[1]))
    assert len(out) >= 30
    levels = {p.geo_type for p in out}
    assert {"lad", "cauth", "rgn", "ttwa", "custom"} <= levels
    return out


@pytest.fixture(scope="module")
def truth(wh, places):
    """The typed statistics of every place: what every output must show."""
    return {p.code: place_statistics(wh, p) for p in places}


def _figures(stats):
    f = stats.figures
    return {
        "count": f["creative_enterprises"].value,
        "share": f["share_of_national_creative"].value,
        "lq": f["business_lq"].value,
        "lower": f["business_lq"].lower,
        "upper": f["business_lq"].upper,
        "rank": f["creative_enterprises"].rank,
        "workforce": f["creative_resident_share"].value if "creative_resident_share" in f else None,
    }


def test_every_place_has_the_headline_figures(truth):
    for code, st in truth.items():
        f = _figures(st)
        assert f["count"] and f["count"] > 0, code
        assert f["lower"] < f["lq"] < f["upper"], code
        assert 0 < f["workforce"] < 1, code  # all of these places are in England
        if st.place.level != "custom":
            assert f["rank"] >= 1, code


def test_profile_json_matches(full_home, places, truth):
    for p in places:
        args = (["--name", GROUP[0], "--places", ",".join(GROUP[1])] if p.geo_type == "custom"
                else [p.code if p.geo_type != "ttwa" else f"ttwa:{p.name}"])
        res = runner.invoke(app, ["profile", *args, "--json", "--home", str(full_home)])
        assert res.exit_code == 0, res.output
        prof = json.loads(res.stdout)
        got = prof["statistics"]["figures"]
        want = _figures(truth[p.code])
        assert _close(got["creative_enterprises"]["value"], want["count"]), p.code
        assert _close(got["share_of_national_creative"]["value"], want["share"]), p.code
        assert _close(got["business_lq"]["value"], want["lq"]), p.code
        assert _close(got["business_lq"]["lower"], want["lower"]), p.code
        assert _close(got["business_lq"]["upper"], want["upper"]), p.code
        assert got["creative_enterprises"]["rank"] == want["rank"], p.code
        assert _close(got["creative_resident_share"]["value"], want["workforce"]), p.code
        # the rendered section shows the same count
        assert _close(prof["creative_enterprises"]["total"]["value"], want["count"]), p.code


@pytest.mark.parametrize("level", ["lad", "cauth", "rgn", "ttwa"])
def test_map_csv_matches(full_home, places, truth, level, tmp_path):
    res = runner.invoke(app, ["map", "--level", level, "--home", str(full_home), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    csv = pd.read_csv(tmp_path / "clusters.csv", dtype={"geo_code": str}).set_index("geo_code")
    mine = [p for p in places if p.geo_type == level]
    assert mine
    for p in mine:
        row = csv.loc[p.code]
        want = _figures(truth[p.code])
        assert _close(row["businesses"], want["count"]), p.code
        assert _close(row["share_of_national"], want["share"], 1e-12), p.code
        assert _close(row["business_lq"], want["lq"]), p.code
        assert _close(row["lq_lower"], want["lower"]) and _close(row["lq_upper"], want["upper"]), p.code
        assert int(row["rank_businesses"]) == want["rank"], p.code
        assert _close(row["creative_resident_share"], want["workforce"], 1e-12), p.code


def _xlsx_summary(path):
    ws = openpyxl.load_workbook(path, read_only=True)["Summary"]
    rows = {}
    for r in ws.iter_rows(values_only=True):
        if r and isinstance(r[0], str) and len(r) > 1:
            rows[r[0]] = (r[1], r[2] if len(r) > 2 else None)
    return rows


def _pick(rows, prefix):
    hit = [v for k, v in rows.items() if k.startswith(prefix)]
    return hit[0] if hit else (None, None)


def test_pack_xlsx_matches(full_home, places, truth, tmp_path):
    from creative_clusters.workflows.evidence import build_pack
    from creative_clusters.workflows.pack_data import load_national

    nd = load_national(full_home)
    for p in places:
        kw = ({"name": GROUP[0], "places": GROUP[1]} if p.geo_type == "custom"
              else {"place": p.code if p.geo_type != "ttwa" else f"ttwa:{p.name}"})
        _ctx, paths = build_pack(home=full_home, out=tmp_path / p.code, formats=("xlsx",), national=nd, **kw)
        rows = _xlsx_summary(paths[0])
        want = _figures(truth[p.code])
        count, _ = _pick(rows, "Creative enterprises")
        share, _ = _pick(rows, "Share of England")
        lq, note = _pick(rows, "Creative business location quotient")
        assert _close(count, want["count"]), p.code
        assert _close(share, want["share"], 1e-9), p.code  # stored as a fraction, formatted as a percentage
        assert _close(lq, want["lq"], 1e-9), p.code
        assert note and f"{want['lower']:.2f}" in note and f"{want['upper']:.2f}" in note, (p.code, note)
        rank, _ = _pick(rows, "Rank among")
        if p.geo_type != "custom" and rank is not None:
            assert rank == want["rank"], p.code
        wf, _ = _pick(rows, "Share of employed residents in creative")
        assert _close(wf, want["workforce"], 1e-9), p.code


def test_web_api_matches(full_home, places, truth):
    from fastapi.testclient import TestClient

    from creative_clusters.web.app import create_app

    web = create_app(full_home, precompute=False, watch=None)
    with TestClient(web, base_url="http://127.0.0.1") as c:
        for p in places:
            if p.geo_type == "custom":
                continue  # user groups are a command-line and pack feature
            r = c.get(f"/api/places/{p.code}/profile")
            assert r.status_code == 200, (p.code, r.text[:200])
            got = r.json()["statistics"]["figures"]
            want = _figures(truth[p.code])
            assert _close(got["creative_enterprises"]["value"], want["count"]), p.code
            assert _close(got["business_lq"]["value"], want["lq"]), p.code
            assert _close(got["business_lq"]["lower"], want["lower"]), p.code
            assert got["creative_enterprises"]["rank"] == want["rank"], p.code
            assert _close(got["creative_resident_share"]["value"], want["workforce"]), p.code
