"""CLI tests for ``data fetch`` and ``data import-nomis`` with a mocked Nomis API.

The transport is replaced through ``creative_clusters.sources._http.default_transport``;
any real socket use fails the test. Responses are the hand-made fixtures in
``tests/data/nomis`` (Nomis CSV layout, not real figures).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import numpy as np
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.sources import _http
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import NOMIS_FIXTURES, PAGE1, PAGE2, refuse_network

DATA = NOMIS_FIXTURES


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    refuse_network(monkeypatch)
    monkeypatch.setattr(_http, "default_sleep", lambda s: None)


@pytest.fixture()
def nomis_api(monkeypatch):
    """A fake Nomis serving the two BRES pages; returns the list of requests seen."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert request.url.path == "/api/v01/dataset/NM_189_1.data.csv"
        body = PAGE2 if request.url.params.get("RecordOffset") == "7" else PAGE1
        return httpx.Response(200, content=body, headers={"content-type": "text/csv"})

    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(handler))
    return seen


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_fetch_imports_into_warehouse_and_status_shows_it(tmp_path, nomis_api):
    home = tmp_path / "home"
    res = run("data", "fetch", "bres", "--geography", "lad", "--home", str(home))
    assert res.exit_code == 0, res.output
    assert "Imported nomis_bres_2023: 12 observations" in res.stdout
    assert len(nomis_api) == 2  # two pages
    status = run("data", "status", "--home", str(home), "--json")
    assert status.exit_code == 0, status.output
    cat = {r["id"]: r for r in json.loads(status.stdout)}
    entry = cat["nomis_bres_2023"]
    assert entry["row_count"] == 12 and entry["vintage"] == "2023"
    assert entry["source_url"].startswith(
        "https://www.nomisweb.co.uk/api/v01/dataset/NM_189_1.data.csv?geography=TYPE424"
    )
    with Warehouse(home, read_only=True) as wh:
        obs = wh.observations(
            dataset="nomis_bres_2023", geo_code="E08000003", industry_code="5911"
        )
    by_measure = obs.set_index("measure")
    assert np.isnan(by_measure.loc["employees", "value"])
    assert by_measure.loc["employees", "disclosure_flag"] == "suppressed"
    assert by_measure.loc["employment", "value"] == 0.0


def test_second_fetch_is_served_from_cache_unless_refresh(tmp_path, nomis_api):
    home = str(tmp_path / "home")
    assert run("data", "fetch", "bres", "-g", "TYPE424", "--home", home).exit_code == 0
    assert run("data", "fetch", "bres", "-g", "TYPE424", "--home", home).exit_code == 0
    assert len(nomis_api) == 2
    res = run("data", "fetch", "bres", "-g", "TYPE424", "--home", home, "--refresh")
    assert res.exit_code == 0 and len(nomis_api) == 4
    assert list((Path(home) / "cache" / "nomis").rglob("*.body"))


def test_dry_run_prints_url_without_fetching(tmp_path, nomis_api):
    res = run(
        "data",
        "fetch",
        "census2021_occupation",
        "-g",
        "TYPE432",
        "--dry-run",
        "--home",
        str(tmp_path),
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == (
        "https://www.nomisweb.co.uk/api/v01/dataset/NM_2080_1.data.csv"
        "?geography=TYPE432&date=latest&measures=20100"
    )
    assert nomis_api == []


def test_dataset_id_option_and_extra_dims(tmp_path, nomis_api):
    res = run(
        "data",
        "fetch",
        "bres",
        "-g",
        "lad",
        "--industry",
        "5911,6201,7111",
        "--dim",
        "employment_status=1,4",
        "--dataset-id",
        "bres_test",
        "--home",
        str(tmp_path),
    )
    assert res.exit_code == 0, res.output
    assert nomis_api[0].url.params["industry"] == "138417943,138418233,138419143"
    assert "industry=138417943,138418233,138419143&" in str(nomis_api[0].url)
    with Warehouse(tmp_path, read_only=True) as wh:
        assert wh.has_dataset("bres_test") and not wh.has_dataset("nomis_bres_2023")


def test_offline_exits_1_with_one_line(tmp_path, monkeypatch):
    def refuse(request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(refuse))
    res = run("data", "fetch", "bres", "-g", "lad", "--home", str(tmp_path))
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "Error: cannot reach www.nomisweb.co.uk"
    )
    assert "data import DIR" in lines[0] and "import-nomis FILE --nomis-dataset bres" in lines[0]
    assert "Traceback" not in res.output


def test_bad_arguments_exit_1(tmp_path, nomis_api):
    res = run("data", "fetch", "nope", "-g", "lad", "--home", str(tmp_path))
    assert res.exit_code == 1 and "unknown Nomis dataset 'nope'" in res.stderr
    res = run(
        "data", "fetch", "bres", "-g", "lad", "--dim", "oops", "--home", str(tmp_path)
    )
    assert res.exit_code == 1 and "NAME=VALUE" in res.stderr
    assert nomis_api == []


def test_import_nomis_file_offline_route(tmp_path):
    csv = tmp_path / "download.csv"
    csv.write_bytes((DATA / "ukbc_enterprises_2024.csv").read_bytes())
    home = tmp_path / "home"
    res = run(
        "data",
        "import-nomis",
        str(csv),
        "--nomis-dataset",
        "NM_142_1",
        "--home",
        str(home),
    )
    assert res.exit_code == 0, res.output
    assert (
        "Imported nomis_business_counts_enterprises_2024: 6 observations" in res.stdout
    )
    with Warehouse(home, read_only=True) as wh:
        obs = wh.observations(
            dataset="nomis_business_counts_enterprises_2024", status="_T"
        )
        assert sorted(obs["value"].tolist()) == [305.0, 1230.0]


def test_import_nomis_rejects_a_partial_download(tmp_path):
    csv = tmp_path / "page1.csv"
    csv.write_bytes(PAGE1)
    res = run(
        "data",
        "import-nomis",
        str(csv),
        "--nomis-dataset",
        "bres",
        "--home",
        str(tmp_path),
    )
    assert res.exit_code == 1 and "7 of the 12 records" in res.stderr


def test_import_nomis_names_its_two_ids_as_fetch_does(tmp_path):
    """Review round 7: in `data fetch` --dataset-id was the warehouse id, in `import-nomis` the Nomis dataset
    ('unknown Nomis dataset 'test''). Now --dataset-id is the warehouse id in both; --nomis-dataset says
    which Nomis table the file is."""
    csv = tmp_path / "download.csv"
    csv.write_bytes((DATA / "ukbc_enterprises_2024.csv").read_bytes())
    home = tmp_path / "home"
    res = run("data", "import-nomis", str(csv), "--nomis-dataset", "business_counts_enterprises",
              "--dataset-id", "test", "--home", str(home))
    assert res.exit_code == 0, res.output
    assert "Imported test: 6 observations" in res.stdout
    alone = run("data", "import-nomis", str(csv), "--dataset-id", "test", "--home", str(home))
    assert alone.exit_code == 1 and "unknown Nomis dataset" not in alone.stderr
    assert "--nomis-dataset" in alone.stderr and "--dataset-id 'test' names the warehouse dataset" in alone.stderr
