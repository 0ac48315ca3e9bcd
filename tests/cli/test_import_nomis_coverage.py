"""`data import-nomis` / `data fetch`: partial geography, the imported file's checksum, web downloads.

Audit a3 (round 15):

1. A Nomis file for one LAD (Westminster) was catalogued as ``creative_enterprises_sic`` vintage 2026 and
   became "the latest" dataset of that kind: every national share, LQ and rank was computed over one place
   ("100.0%, rank 1 of 1"). A table that lacks some local authorities of the nations it covers is now
   refused, or with ``--partial`` kept apart under a kind no national figure reads.
2. The catalogue recorded the SHA-256 of nothing (``e3b0c442...``) and no file.
3. A Nomis web (Query) download failed with "row 3: this line has 2 fields where the header has 1".

The files are the hand-made fixtures in ``tests/data/nomis`` (Nomis CSV layout, invented numbers).
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import httpx
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters import kinds
from creative_clusters.cli import app
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import _http, nomis
from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import NOMIS_FIXTURES, PAGE1, PAGE2, refuse_network

#: Westminster only, 2026: 2 SIC classes x 3 size bands, one ``Q`` cell, one ``*`` cell.
WESTMINSTER_2026 = NOMIS_FIXTURES / "ukbc_enterprises_2026_westminster.csv"
#: The three LADs of the test geography, 2025 (the complete table).
THREE_LADS_2025 = NOMIS_FIXTURES / "ukbc_enterprises_2025_three_lads.csv"
WEB_DOWNLOAD = NOMIS_FIXTURES / "nomis_web_download.csv"
LADS = ["E09000033", "E08000019", "E09000001"]  # Westminster, Sheffield, City of London


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    refuse_network(monkeypatch)
    monkeypatch.setattr(_http, "default_sleep", lambda s: None)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def _home_with_lads(tmp_path: Path, codes: list[str], vintage: str = "2023") -> Path:
    """A warehouse whose geography lists the English LADs ``codes`` on ``vintage`` boundaries."""
    hierarchy = pd.DataFrame({"lad_code": codes, "lad_name": codes, "vintage": vintage,
                              "ctry_code": "E92000001", "ctry_name": "England"})
    spec = DatasetSpec(id="geography_lookups", title="test LADs", publisher="test", licence=OGL,
                       source_url="", vintage=vintage, files=(),
                       reader=lambda _root: ImportResult(tables={"lad_hierarchy": hierarchy}))
    home = tmp_path / "home"
    with Warehouse(home) as wh:
        wh.import_datasets([spec], tmp_path)
    return home


def _import(csv: Path, home: Path, *extra: str):
    return run("data", "import-nomis", str(csv), "--nomis-dataset", "business_counts_enterprises",
               "--home", str(home), *extra)


def _copy(src: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(src, folder / src.name))


# ----------------------------------------------------------------- 1. partial geography
def test_a_one_lad_table_is_refused_and_the_complete_one_stays_the_latest(tmp_path):
    home = _home_with_lads(tmp_path, LADS)
    assert _import(_copy(THREE_LADS_2025, tmp_path), home).exit_code == 0
    res = _import(_copy(WESTMINSTER_2026, tmp_path), home)
    assert res.exit_code == 1, res.output
    err = " ".join(res.stderr.split())
    assert "covers 1 of 3 English LADs (2023)" in err and "Nothing was imported" in err
    assert "--partial" in err and "data fetch business_counts_enterprises -g lad --dry-run" in err
    with Warehouse(home, read_only=True) as wh:
        assert "nomis_business_counts_enterprises_2026" not in set(wh.datasets()["id"])
        latest = wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SIC)
        assert latest is not None and latest.vintage == "2025"


def test_partial_keeps_the_table_apart_and_says_so(tmp_path):
    home = _home_with_lads(tmp_path, LADS)
    assert _import(_copy(THREE_LADS_2025, tmp_path), home).exit_code == 0
    res = _import(_copy(WESTMINSTER_2026, tmp_path), home, "--partial")
    assert res.exit_code == 0, res.output
    assert "Warning:" in res.stderr and "kept apart as kind creative_enterprises_sic_partial" in res.stderr
    assert "Imported nomis_business_counts_enterprises_2026_partial: 6 observations" in res.stdout
    with Warehouse(home, read_only=True) as wh:
        latest = wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SIC)
        assert latest is not None and latest.id == "nomis_business_counts_enterprises_2025"
        cat = wh.datasets().set_index("id")
        row = cat.loc["nomis_business_counts_enterprises_2026_partial"]
        assert row["kind"] == "creative_enterprises_sic_partial"
        assert row["coverage"].startswith("PARTIAL geography: 1 of 3 English LADs (2023)")
        # the 2 cells without a usable value: Q is suppressed, * keeps its value as low reliability
        obs = wh.observations(dataset="nomis_business_counts_enterprises_2026_partial")
        assert int(obs["disclosure_flag"].eq("suppressed").sum()) == 2
        assert obs.loc[obs["disclosure_flag"] == "low-reliability", "value"].tolist() == [15.0]
    status = run("data", "status", "--home", str(home))
    assert "PARTIAL geography" in " ".join(status.stdout.split())


def test_a_complete_table_records_its_lad_coverage(tmp_path):
    home = _home_with_lads(tmp_path, LADS)
    res = _import(_copy(THREE_LADS_2025, tmp_path), home)
    assert res.exit_code == 0, res.output
    assert "Warning" not in res.stderr
    with Warehouse(home, read_only=True) as wh:
        ref = wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SIC)
        assert ref is not None and ref.id == "nomis_business_counts_enterprises_2025"
        coverage = wh.datasets().set_index("id").loc[ref.id, "coverage"]
    assert coverage.endswith("local authorities: 3 of 3 English LADs (2023)")


def test_without_a_geography_the_widest_table_of_the_kind_is_the_reference(tmp_path):
    home = tmp_path / "home"
    assert _import(_copy(THREE_LADS_2025, tmp_path), home).exit_code == 0
    res = _import(_copy(WESTMINSTER_2026, tmp_path), home)
    assert res.exit_code == 1, res.output
    assert "covers 1 of 3 English LADs" in " ".join(res.stderr.split())


def test_fetch_refuses_a_partial_selection_too(tmp_path, monkeypatch):
    """The two hand-made BRES pages hold 2 LADs; the geography lists a third."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = PAGE2 if request.url.params.get("RecordOffset") == "7" else PAGE1
        return httpx.Response(200, content=body, headers={"content-type": "text/csv"})

    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(handler))
    have = {c for page in (PAGE1, PAGE2) for c in pd.read_csv(io.BytesIO(page), dtype=str)["GEOGRAPHY_CODE"]}
    home = _home_with_lads(tmp_path, sorted(have | {"E09000001"}))
    res = run("data", "fetch", "bres", "-g", "lad", "--home", str(home))
    assert res.exit_code == 1, res.output
    assert f"covers {len(have)} of {len(have) + 1} English LADs" in " ".join(res.stderr.split())
    res = run("data", "fetch", "bres", "-g", "lad", "--partial", "--home", str(home))
    assert res.exit_code == 0, res.output
    with Warehouse(home, read_only=True) as wh:
        assert wh.find_dataset(kinds.EMPLOYMENT_LAD) is None
        assert wh.find_dataset("employment_lad_partial") is not None


def test_lad_coverage_by_nation():
    obs = pd.DataFrame({"geo_code": ["E09000033", "W06000015", "E92000001"],
                        "geo_type": ["lad", "lad", "ctry"]})
    cov = nomis.lad_coverage(obs, ["E09000033", "E08000019", "W06000015", "S12000036"], vintage="2023")
    # England 1 of 2, Wales 1 of 1; Scotland is not in the table, so not asked for
    assert (cov.complete, cov.covered, cov.reference) == (False, 2, 3)
    assert cov.text == "1 of 2 English LADs, 1 of 1 Welsh LADs (2023)"
    assert nomis.lad_coverage(obs, ["E09000033", "W06000015", "S12000036"]).complete is True
    assert nomis.lad_coverage(obs, []).complete is None


# ----------------------------------------------------------------- 2. the file's checksum
def test_import_nomis_records_the_file_and_its_sha256_for_verify(tmp_path):
    csv = _copy(THREE_LADS_2025, tmp_path)
    home = tmp_path / "home"
    assert _import(csv, home).exit_code == 0
    sha = hashlib.sha256(csv.read_bytes()).hexdigest()
    with Warehouse(home, read_only=True) as wh:
        files = wh.query("SELECT * FROM catalogue_files WHERE dataset_id = ?",
                         ["nomis_business_counts_enterprises_2025"])
        checksum = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC).checksum
        assert files[["path", "sha256", "bytes"]].values.tolist() == [[csv.name, sha, csv.stat().st_size]]
        assert checksum != hashlib.sha256(b"").hexdigest()
        assert wh.verify()["status"].tolist() == ["ok"]
    csv.write_bytes(csv.read_bytes().replace(b'"1230"', b'"1235"', 1))
    with Warehouse(home, read_only=True) as wh:
        assert wh.verify()["status"].tolist() == ["changed"]


def test_fetch_keeps_the_table_it_imported_and_records_its_sha256(tmp_path, monkeypatch):
    def handler(request: httpx.Request) -> httpx.Response:
        body = PAGE2 if request.url.params.get("RecordOffset") == "7" else PAGE1
        return httpx.Response(200, content=body, headers={"content-type": "text/csv"})

    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(handler))
    home = tmp_path / "home"
    assert run("data", "fetch", "bres", "-g", "lad", "--home", str(home)).exit_code == 0
    with Warehouse(home, read_only=True) as wh:
        files = wh.query("SELECT * FROM catalogue_files WHERE dataset_id = 'nomis_bres_2023'")
        assert files["path"].tolist() == ["nomis_bres_2023.csv"]
        saved = Path(files["root"].iloc[0]) / "nomis_bres_2023.csv"
        # the two pages joined, header once: 1 header + 7 + 5 rows
        assert len(saved.read_bytes().splitlines()) == 13
        assert files["sha256"].iloc[0] == hashlib.sha256(saved.read_bytes()).hexdigest()
        assert wh.verify()["status"].tolist() == ["ok"]


# ----------------------------------------------------------------- 3. a Nomis web download
def test_a_nomis_web_download_is_named_and_the_api_csv_explained(tmp_path):
    home = tmp_path / "home"
    res = _import(_copy(WEB_DOWNLOAD, tmp_path), home)
    assert res.exit_code == 1, res.output
    err = " ".join(res.stderr.split())
    assert "Nomis web (Query) download" in err and "stray delimiter" not in err
    assert "/api/v01/dataset/NM_142_1.data.csv?geography=TYPE424" in err and "--dry-run" in err
    assert not (home / "warehouse.duckdb").exists()
    with pytest.raises(ImportFormatError, match="Nomis web"):
        nomis.parse_table(WEB_DOWNLOAD.read_bytes(), dataset_id="x")


def test_api_csv_fixtures_are_not_taken_for_web_downloads():
    from creative_clusters.sources._nomis_parse import looks_like_web_download

    api = [p for p in NOMIS_FIXTURES.glob("*.csv") if p.name != WEB_DOWNLOAD.name]
    assert api and not [p.name for p in api if looks_like_web_download(p.read_bytes())]
