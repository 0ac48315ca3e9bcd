"""One place model everywhere: an ambiguous name means the same place, with the same LADs, in every output.

For names that several areas share (Sheffield's LAD under its 2023 and 2025
codes, its ITL3 area and its TTWA; West Midlands region and combined
authority; North East; Greater Manchester CA and metropolitan county; Durham
LAD and ITL3; an everyday name; a name only a TTWA has), ``profile --json``,
the evidence pack's context, the web API (profile and search) and the map
resolve to the same code, and the pack and profile list the same member LADs.
The map's figure for the place is the sum over those members.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.workflows.places import resolve_place

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

runner = CliRunner()

#: query -> (code, level) it must mean everywhere
QUERIES = {
    "Sheffield": ("E08000019", "lad"),
    "E08000039": ("E08000019", "lad"),  # Sheffield's 2025 code: the same LAD, on the data's code
    "ttwa:Sheffield": ("E30000261", "ttwa"),
    "West Midlands": ("E12000005", "rgn"),
    "cauth:West Midlands": ("E47000007", "cauth"),
    "North East": ("E12000001", "rgn"),
    "Greater Manchester": ("E47000001", "cauth"),
    "Durham": ("E06000047", "lad"),
    "Newcastle": ("E08000021", "lad"),
    "Leeds": ("E08000035", "lad"),
    "ttwa:Leeds": (None, "ttwa"),
    "Halifax": (None, "ttwa"),  # only a TTWA has this name
}


@pytest.fixture(scope="module")
def resolved(wh):
    out = {}
    for q, (code, level) in QUERIES.items():
        p = resolve_place(wh, q)
        assert p.level == level, (q, p)
        if code is not None:
            assert p.code == code, (q, p)
        assert p.members, q
        out[q] = p
    return out


def test_profile_json(full_home, resolved):
    for q, p in resolved.items():
        res = runner.invoke(app, ["profile", q, "--json", "--home", str(full_home)])
        assert res.exit_code == 0, (q, res.output[-400:])
        place = json.loads(res.stdout)["place"]
        assert (place["code"], place["geo_type"]) == (p.code, p.level), q
        assert tuple(place["data_codes"]) == p.members, q


def test_pack_context(full_home, resolved):
    from creative_clusters.reporting.context import build_context
    from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
    from creative_clusters.workflows.pack_data import load_national

    nd = load_national(full_home)
    for q, p in resolved.items():
        info = resolve_evidence_place(nd, q)
        assert (info.code, info.geo_type, tuple(info.members)) == (p.code, p.level, p.members), q
    for q in ("Sheffield", "ttwa:Sheffield", "Greater Manchester"):
        ctx = build_context(gather_inputs(nd, resolve_evidence_place(nd, q), png=False))
        assert ctx["place"]["code"] == resolved[q].code
        assert tuple(ctx["place"]["members"]) == resolved[q].members


def test_web_profile_and_search(full_home, resolved):
    from fastapi.testclient import TestClient

    from creative_clusters.web.app import create_app

    web = create_app(full_home, precompute=False, watch=None)
    with TestClient(web, base_url="http://127.0.0.1") as c:
        for q, p in resolved.items():
            # what the page does: search, take the first result, ask for its profile by code
            top = c.get("/api/places", params={"q": q}).json()["results"][0]
            assert (top["code"], top["geo_type"]) == (p.code, p.level), q
            r = c.get(f"/api/places/{top['code']}/profile")
            assert r.status_code == 200, (q, r.text[:200])
            place = r.json()["place"]
            assert (place["code"], tuple(place["data_codes"])) == (p.code, p.members), q
            if re.fullmatch(r"[A-Za-z0-9_-]{1,20}", q):  # the API path takes codes and one-word names
                assert c.get(f"/api/places/{q}/profile").json()["place"]["code"] == p.code, q


def test_map_rows_are_the_sum_over_the_members(full_home, resolved, tmp_path):
    tables = {}
    for level in ("lad", "cauth", "rgn", "ttwa"):
        res = runner.invoke(app, ["map", "--level", level, "--home", str(full_home), "--out", str(tmp_path / level)])
        assert res.exit_code == 0, res.output
        tables[level] = pd.read_csv(tmp_path / level / "clusters.csv", dtype={"geo_code": str}).set_index("geo_code")
    lad = tables["lad"]["businesses"]
    for q, p in resolved.items():
        row = tables[p.level].loc[p.code]
        assert row["businesses"] == lad.reindex(list(p.members)).sum(), q
