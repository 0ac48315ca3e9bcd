"""Which dataset and year serve a figure is read from the catalogue: a later import is used everywhere.

A test copy of the 2025 UK Business Counts table, relabelled as a later year
(2099, so it can never be mistaken for a real release) with every count
doubled, is imported beside the real one (made at test time in a temporary
folder; nothing is committed). With no code change, ``profile``, the map
CSV, the evidence pack and the web API all switch to it; ``--year 2025``
still selects the real one; removing the copy falls back.
"""

from __future__ import annotations

import json
import shutil

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters import kinds
from creative_clusters.cli import app
from creative_clusters.sources._base import DatasetSpec, ImportResult
from creative_clusters.sources.business_counts import DATASETS as BC
from creative_clusters.warehouse import Warehouse

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

runner = CliRunner()
LATER = "2099"
SHEFFIELD = "E08000019"


def _later_copy(data_root) -> DatasetSpec:
    real = BC[0]

    def reader(root):
        res = real.reader(data_root)
        obs = res.observations.copy()
        obs["dataset"] = f"test_copy_business_counts_{LATER}"
        obs["period"] = LATER
        obs["dataset_vintage"] = LATER
        obs["value"] = obs["value"] * 2
        return ImportResult(observations=obs, coverage="TEST COPY (synthetic): the 2025 table doubled")

    return DatasetSpec(id=f"test_copy_business_counts_{LATER}", title=f"TEST COPY (synthetic) of {real.title}",
                       publisher="tests", licence="n/a", source_url="", vintage=LATER, files=(), reader=reader,
                       kind=kinds.CREATIVE_ENTERPRISES_SIC, caveats=("Synthetic test copy.",))


@pytest.fixture(scope="module")
def home(full_home, data_root, tmp_path_factory):
    h = tmp_path_factory.mktemp("later-vintage")
    shutil.copytree(full_home, h, dirs_exist_ok=True, ignore=shutil.ignore_patterns("cache"))
    with Warehouse(h) as wh:
        wh.import_datasets([_later_copy(data_root)], h)
    return h


def _real_sheffield(full_warehouse) -> float:
    ref = full_warehouse.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC)
    obs = full_warehouse.observations(dataset=ref.id, geo_code=SHEFFIELD, measure="enterprises",
                                      industry_scheme="SIC2007")
    return float(obs["value"].sum())


def test_catalogue_serves_the_later_copy(home):
    with Warehouse(home, read_only=True) as wh:
        assert wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC).id.endswith(LATER)
        assert wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC, period="2025").vintage == "2025"


def test_every_output_uses_the_later_year_without_a_code_change(home, full_warehouse, tmp_path):
    real = _real_sheffield(full_warehouse)
    # profile
    prof = json.loads(runner.invoke(app, ["profile", "Sheffield", "--json", "--home", str(home)]).stdout)
    ce = prof["statistics"]["figures"]["creative_enterprises"]
    assert ce["value"] == 2 * real and ce["period"] == LATER
    assert ce["source"]["id"].endswith(LATER)
    # --year selects the real table
    prof25 = json.loads(runner.invoke(app, ["profile", "Sheffield", "--json", "--year", "2025",
                                            "--home", str(home)]).stdout)
    assert prof25["statistics"]["figures"]["creative_enterprises"]["value"] == real
    # map CSV
    r = runner.invoke(app, ["map", "--home", str(home), "--out", str(tmp_path / "map")])
    assert r.exit_code == 0, r.output
    csv = pd.read_csv(tmp_path / "map" / "clusters.csv", dtype={"geo_code": str}).set_index("geo_code")
    assert csv.loc[SHEFFIELD, "businesses"] == 2 * real
    # evidence pack
    from creative_clusters.workflows.evidence import build_pack

    _ctx, paths = build_pack("Sheffield", home=home, out=tmp_path / "pack", formats=("xlsx",))
    ws = openpyxl.load_workbook(paths[0], read_only=True)["Summary"]
    rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], str)}
    count = next(v for k, v in rows.items() if k.startswith("Creative enterprises"))
    assert count == 2 * real
    # web API
    from fastapi.testclient import TestClient

    from creative_clusters.web.app import create_app

    with TestClient(create_app(home, precompute=False, watch=None), base_url="http://127.0.0.1") as c:
        got = c.get(f"/api/places/{SHEFFIELD}/profile").json()["statistics"]["figures"]
        assert got["creative_enterprises"]["value"] == 2 * real
        years = c.get("/api/meta").json().get("years")
        if years is not None:
            assert int(LATER) in [int(y) for y in years]


def test_removing_the_later_copy_falls_back(home, full_warehouse):
    with Warehouse(home) as wh:
        wh.con.execute("DELETE FROM observations WHERE dataset LIKE 'test_copy_%'")
        wh.con.execute("DELETE FROM catalogue WHERE id LIKE 'test_copy_%'")
    prof = json.loads(runner.invoke(app, ["profile", "Sheffield", "--json", "--home", str(home)]).stdout)
    ce = prof["statistics"]["figures"]["creative_enterprises"]
    assert ce["value"] == _real_sheffield(full_warehouse) and ce["period"] == "2025"


def test_census_figures_take_their_year_from_the_catalogue(full_home, data_root, tmp_path):
    # the creative workforce figures were labelled "2021" in the code; a later census import
    # (a relabelled TEST COPY of TS060, same counts) must label them with its own vintage
    from creative_clusters.sources.census2021 import DATASETS as CENSUS
    from creative_clusters.workflows.places import resolve_place
    from creative_clusters.workflows.placestats import place_statistics

    real = next(s for s in CENSUS if s.kind == kinds.CENSUS_INDUSTRY)

    def reader(root):
        res = real.reader(data_root)
        obs = res.observations.assign(dataset=f"test_copy_census_{LATER}")
        return ImportResult(observations=obs, coverage="TEST COPY (synthetic): TS060 relabelled")

    copy = DatasetSpec(id=f"test_copy_census_{LATER}", title=f"TEST COPY (synthetic) of {real.title}",
                       publisher="tests", licence="n/a", source_url="", vintage=LATER, files=(), reader=reader,
                       kind=kinds.CENSUS_INDUSTRY, caveats=("Synthetic test copy.",))
    h = tmp_path / "home"
    shutil.copytree(full_home, h, ignore=shutil.ignore_patterns("cache"))
    with Warehouse(h) as wh:
        wh.import_datasets([copy], h)
    with Warehouse(h, read_only=True) as wh:
        for q in ("Sheffield", "Cardiff"):  # an English LAD, and a Welsh one outside the business table
            figs = place_statistics(wh, resolve_place(wh, q)).figures
            for key in ("creative_residents", "creative_resident_share"):
                assert figs[key].period == LATER, (q, key)
                assert figs[key].source.id == f"test_copy_census_{LATER}", (q, key)
    # the evidence pack too: its headline, section 5's sentence and table
    from creative_clusters.workflows import evidence as E
    from tests.reporting._helpers import pack_context, section

    ctx = pack_context(E.load_national(h, cache=False), "Sheffield")
    assert any(x["label"].endswith(f"(Census {LATER})") for x in ctx["headline"])
    work = section(ctx, "workforce")
    assert any(s.startswith(f"At the {LATER} Census") for s in work["sentences"])
    assert work["tables"][0]["title"].endswith(f"Census {LATER}")
