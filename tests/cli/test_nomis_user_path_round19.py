"""The online user's data path: `data import-nomis` / `data fetch`, then `data status/verify/remove` (round 19).

Audit of an analyst who downloads newer figures from Nomis:

1. A UK Business Counts file given as ``--nomis-dataset bres`` (or ``census2021_ts060``) was imported,
   catalogued as that dataset's kind and served its figures (the profile's whole Census workforce section
   vanished). A file whose URN or dimensions name another dataset is now refused, naming the right one.
2. A Nomis bulk download (``.bulk.csv``), an HTML error page or an error line saved as ``.csv`` got
   "expected Nomis column(s) ... but found [88 upper-cased column names]"; each is now named as such.
3. A download cut short at a line said "Nomis sends at most 25,000 rows per request" (of 3,999 rows); one
   cut inside a row said "RECORD_COUNT is missing or varies". Both now say the file looks truncated.
4. ``OBS_STATUS`` ``x`` (lower case) on an empty cell warned that its "values are kept".
5. Importing an older year than the warehouse holds said nothing about figures going on reading the newer,
   nor did `data status` say which of two vintages of a kind figures read.
6. `data remove` of a Nomis table's only dataset and `data verify` of a changed Nomis file advised
   `data import DIR`, which never brings a Nomis table back.
7. `data fetch` offline did not say which URL to download; a failed re-fetch overwrote the table the
   catalogue names, so `data verify` then called it changed. A selection over 25,000 rows could not be
   imported offline at all (one file only); `import-nomis` now takes every page.
8. A Census TS060 from Nomis (`data fetch census2021_ts060`, the route the kind names) came in as measure
   'persons': as the latest import of its kind it emptied the profile's workforce section ("TS060 is not
   imported"). It now writes 'residents_in_employment', and codes "41 ...; 42 ...; 43 ..." as 41-43.

The files are the hand-made fixtures in ``tests/data/nomis`` (Nomis CSV layout, invented numbers; the
``synthetic_round19_*`` ones were written for this test).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import _http, nomis
from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import NOMIS_FIXTURES, PAGE1, PAGE2, refuse_network

UKBC_2024 = NOMIS_FIXTURES / "ukbc_enterprises_2024.csv"
THREE_LADS_2025 = NOMIS_FIXTURES / "ukbc_enterprises_2025_three_lads.csv"
#: NM_142_1, 2027, the three test LADs x class 5911; URNs in Nomis' form (``Nm-142d1d...``); one ``x`` cell.
URN_2027 = NOMIS_FIXTURES / "synthetic_round19_ukbc_2027_real_urn.csv"
BULK = NOMIS_FIXTURES / "synthetic_round19_census2021_bulk.csv"
ERROR_TEXT = NOMIS_FIXTURES / "synthetic_round19_error_text.csv"
ERROR_PAGE = NOMIS_FIXTURES / "error_503.html"
LADS = ["E09000033", "E08000019", "E09000001"]  # Westminster, Sheffield, City of London


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    refuse_network(monkeypatch)
    monkeypatch.setattr(_http, "default_sleep", lambda s: None)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def _home_with_lads(tmp_path: Path, codes: list[str] = LADS) -> Path:
    """A warehouse whose geography lists the English LADs ``codes`` (2023 boundaries)."""
    hierarchy = pd.DataFrame({"lad_code": codes, "lad_name": codes, "vintage": "2023",
                              "ctry_code": "E92000001", "ctry_name": "England"})
    spec = DatasetSpec(id="geography_lookups", title="test LADs", publisher="test", licence=OGL,
                       source_url="", vintage="2023", files=(),
                       reader=lambda _root: ImportResult(tables={"lad_hierarchy": hierarchy}))
    home = tmp_path / "home"
    with Warehouse(home) as wh:
        wh.import_datasets([spec], tmp_path)
    return home


def _copy(src: Path, tmp_path: Path, name: str | None = None) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(src, folder / (name or src.name)))


def _import(csv: Path, home: Path, dataset: str = "business_counts_enterprises"):
    return run("data", "import-nomis", str(csv), "--nomis-dataset", dataset, "--home", str(home))


def _ids(home: Path) -> list[str]:
    with Warehouse(home, read_only=True) as wh:
        return sorted(wh.datasets()["id"])


def _err(res) -> str:
    return " ".join(res.stderr.split())


# ----------------------------------------------------------------- 1. a file of another dataset
@pytest.mark.parametrize("wrong", ["bres", "census2021_ts060"])
def test_a_business_counts_file_given_as_another_dataset_is_refused_naming_the_right_one(tmp_path, wrong):
    home = tmp_path / "home"  # no geography: the old code imported the file as `wrong`, exit 0
    res = _import(_copy(UKBC_2024, tmp_path), home, wrong)
    assert res.exit_code == 1, res.output
    err = _err(res)
    assert "EMPLOYMENT_SIZEBAND" in err and "--nomis-dataset business_counts_enterprises" in err
    assert "Nothing was imported" in err
    assert not (home / "warehouse.duckdb").exists()


def test_the_urn_tells_enterprises_from_local_units(tmp_path):
    home = _home_with_lads(tmp_path)
    res = _import(_copy(URN_2027, tmp_path), home, "business_counts_local_units")
    assert res.exit_code == 1, res.output
    err = _err(res)
    assert "URN" in err and "NM_142_1" in err and "--nomis-dataset business_counts_enterprises" in err
    assert _ids(home) == ["geography_lookups"]
    ok = _import(_copy(URN_2027, tmp_path), home)
    assert ok.exit_code == 0, ok.output
    assert "nomis_business_counts_enterprises_2027" in _ids(home)


def test_urn_and_dimensions_are_read_as_nomis_writes_them():
    assert nomis.urn_dataset(["Nm-142d1d32e0d1778385001d138417943d0d0d20100"]) == "NM_142_1"
    assert nomis.urn_dataset(["Nm-142d1d1", "Nm-141d1d1"]) is None
    assert nomis.file_dimensions(["DATE", "C2021_IND_88", "C2021_IND_88_NAME", "OBS_VALUE"]) == ["C2021_IND_88"]


# ----------------------------------------------------------------- 2. not an API CSV
def test_a_bulk_download_is_named_and_the_api_csv_explained(tmp_path):
    res = _import(_copy(BULK, tmp_path), tmp_path / "home", "census2021_ts060")
    assert res.exit_code == 1, res.output
    err = _err(res)
    assert "Nomis bulk download" in err and ".data.csv" in err and "--dry-run" in err
    assert "MEASURES: VALUE" not in err  # no upper-cased dump of the header


def test_an_html_error_page_saved_as_csv_is_named(tmp_path):
    res = _import(_copy(ERROR_PAGE, tmp_path, "download.csv"), tmp_path / "home")
    assert res.exit_code == 1, res.output
    err = _err(res)
    assert "an HTML page" in err and "Nothing was imported" in err and "changed its CSV layout" not in err


def test_an_error_line_saved_as_csv_is_quoted_as_written(tmp_path):
    res = _import(_copy(ERROR_TEXT, tmp_path), tmp_path / "home")
    assert res.exit_code == 1, res.output
    err = _err(res)
    assert "not CSV data" in err and "'Error: the selection is not valid" in err


# ----------------------------------------------------------------- 3. truncated downloads
def test_a_download_cut_after_a_line_says_cut_short_not_the_row_limit(tmp_path):
    lines = UKBC_2024.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut.csv"
    cut.write_bytes(b"".join(lines[:4]))  # header + 3 of 6 records
    res = _import(cut, tmp_path / "home")
    assert res.exit_code == 1, res.output
    err = _err(res)
    assert "has 3 of the 6 records" in err and "cut short" in err and "25,000" not in err


def test_a_download_cut_inside_a_row_says_truncated_naming_the_row(tmp_path):
    data = UKBC_2024.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[:data.rindex(b'"6"')])  # the last row stops before its RECORD_COUNT
    res = _import(cut, tmp_path / "home")
    assert res.exit_code == 1, res.output
    assert "row 7" in _err(res) and "truncated" in _err(res) and "missing or varies" not in _err(res)
    shorter = data[:data.rindex(b'"Free (free for publication)",')]  # ends after OBS_CONF: too few fields
    with pytest.raises(ImportFormatError, match="truncated") as info:
        nomis.parse_table(shorter, dataset_id="x", nomis_dataset="business_counts_enterprises")
    assert info.value.row == 7 and "fields of the header" in str(info.value)


def test_one_page_of_a_larger_selection_is_named_as_a_page():
    with pytest.raises(ImportFormatError, match="one page of a larger selection"):
        nomis.parse_table(PAGE2, dataset_id="x", nomis_dataset="bres")
    assert PAGE1  # the first page is the cut-short case above


# ----------------------------------------------------------------- 4. OBS_STATUS in lower case
def test_a_lower_case_x_on_an_empty_cell_is_suppressed_without_a_warning(recwarn):
    t = nomis.parse_table(URN_2027.read_bytes(), dataset_id="x", nomis_dataset="business_counts_enterprises")
    row = t[t["geo_code"] == "E08000019"].iloc[0]
    assert row["disclosure_flag"] == "suppressed" and pd.isna(row["value"])
    assert not [w for w in recwarn if "OBS_STATUS" in str(w.message)]


# ----------------------------------------------------------------- 5. an older year
def test_importing_an_older_year_says_the_newer_one_still_serves(tmp_path):
    home = _home_with_lads(tmp_path)
    assert _import(_copy(URN_2027, tmp_path), home).exit_code == 0
    res = _import(_copy(THREE_LADS_2025, tmp_path), home)
    assert res.exit_code == 0, res.output
    err = _err(res)
    assert ("nomis_business_counts_enterprises_2025 (vintage 2025) is older than "
            "nomis_business_counts_enterprises_2027 (vintage 2027)") in err
    with Warehouse(home, read_only=True) as wh:
        assert wh.find_dataset("creative_enterprises_sic").id == "nomis_business_counts_enterprises_2027"
    status = run("data", "status", "--home", str(home), "--json")
    latest = {d["id"]: d["latest_of_kind"] for d in json.loads(status.stdout)}
    assert latest["nomis_business_counts_enterprises_2027"] and not latest["nomis_business_counts_enterprises_2025"]
    text = run("data", "status", "--home", str(home))
    assert "2025 (not the latest)" in " ".join(text.stdout.split())
    again = _import(_copy(URN_2027, tmp_path), home)  # the newest again: nothing to say, same rows
    assert again.exit_code == 0 and "older than" not in _err(again)
    with Warehouse(home, read_only=True) as wh:
        assert len(wh.observations(dataset="nomis_business_counts_enterprises_2027")) == 3


# ----------------------------------------------------------------- 6. how to bring a Nomis table back
def test_remove_and_verify_name_import_nomis_for_a_nomis_table(tmp_path):
    home = _home_with_lads(tmp_path)
    csv = _copy(URN_2027, tmp_path)
    assert _import(csv, home).exit_code == 0
    csv.write_bytes(csv.read_bytes().replace(b'"85"', b'"90"'))  # the download edited after import
    ver = run("data", "verify", str(tmp_path / "downloads"), "--home", str(home))
    assert ver.exit_code == 1
    assert f"data import-nomis {csv} --nomis-dataset business_counts_enterprises" in _err(ver)
    rem = run("data", "remove", "nomis_business_counts_enterprises_2027", "-y", "--home", str(home))
    assert rem.exit_code == 0, rem.output
    out = " ".join(rem.stdout.split())
    assert "data import-nomis" in out and "--nomis-dataset business_counts_enterprises" in out
    assert "`creative-clusters data import DIR` brings it back" not in out


# ----------------------------------------------------------------- 7. data fetch
def test_fetch_offline_names_the_url_to_download(tmp_path, monkeypatch):
    def refuse(request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(refuse))
    res = run("data", "fetch", "business_counts_enterprises", "-g", "lad", "--industry", "5911",
              "--home", str(tmp_path))
    assert res.exit_code == 1
    err = _err(res)
    assert "/api/v01/dataset/NM_142_1.data.csv?geography=TYPE424&date=latest&industry=138417943" in err
    assert "import-nomis FILE --nomis-dataset business_counts_enterprises" in err


def test_a_fetch_that_fails_to_import_leaves_the_saved_table_as_the_catalogue_has_it(tmp_path, monkeypatch):
    pages = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        pages["n"] += 1
        body = PAGE2 if request.url.params.get("RecordOffset") == "7" else PAGE1
        return httpx.Response(200, content=body, headers={"content-type": "text/csv"})

    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(handler))
    home = tmp_path / "home"
    assert run("data", "fetch", "bres", "-g", "lad", "--home", str(home)).exit_code == 0
    with Warehouse(home, read_only=True) as wh:
        assert wh.verify()["status"].tolist() == ["ok"]
        saved = Path(wh.query("SELECT root FROM catalogue_files")["root"].iloc[0]) / "nomis_bres_2023.csv"
    before = saved.read_bytes()

    # a revised download (one value changed) whose import then fails
    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(
        lambda r: httpx.Response(200, content=(PAGE2 if r.url.params.get("RecordOffset") == "7"
                                               else PAGE1.replace(b'"4000","A"', b'"4100","A"')))))

    def fail(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Warehouse, "import_datasets", fail)
    res = run("data", "fetch", "bres", "-g", "lad", "--refresh", "--home", str(home))
    assert res.exit_code != 0
    assert saved.read_bytes() == before
    assert not [p for p in saved.parent.iterdir() if p.name != saved.name]  # no half-written or set-aside file
    monkeypatch.undo()
    with Warehouse(home, read_only=True) as wh:
        assert wh.verify()["status"].tolist() == ["ok"]


def test_a_newer_sic_table_says_the_annual_series_still_ends_earlier(tmp_path):
    home = _home_with_lads(tmp_path)
    series = nomis.parse_table(THREE_LADS_2025.read_bytes(), dataset_id="series_test",
                               nomis_dataset="business_counts_enterprises")
    spec = DatasetSpec(id="series_test", title="test series", publisher="test", licence=OGL, source_url="",
                       vintage="2025", files=(), kind="creative_enterprises_series",
                       reader=lambda _root: ImportResult(observations=series))
    with Warehouse(home) as wh:
        wh.import_datasets([spec], tmp_path)
    res = _import(_copy(URN_2027, tmp_path), home)
    assert res.exit_code == 0, res.output
    err = _err(res)
    assert "annual series series_test, which ends in 2025" in err and "do not show 2027" in err


def test_the_pages_of_a_selection_are_imported_together_in_record_order(tmp_path):
    # the hand-made BRES response in two pages (RECORD_OFFSET 0-6 and 7-11); given in the wrong order
    first, second = _copy(NOMIS_FIXTURES / "bres_lad_2023_page1.csv", tmp_path), \
        _copy(NOMIS_FIXTURES / "bres_lad_2023_page2.csv", tmp_path)
    home = tmp_path / "home"
    alone = _import(second, home, "bres")
    assert alone.exit_code == 1 and "give every page of the selection" in _err(alone)
    res = run("data", "import-nomis", str(second), str(first), "--nomis-dataset", "bres", "--home", str(home))
    assert res.exit_code == 0, res.output
    assert "Imported nomis_bres_2023: 12 observations" in res.stdout
    with Warehouse(home, read_only=True) as wh:
        files = wh.query("SELECT path FROM catalogue_files WHERE dataset_id = 'nomis_bres_2023'")["path"]
        assert sorted(files) == ["bres_lad_2023_page1.csv", "bres_lad_2023_page2.csv"]
        assert wh.verify()["status"].tolist() == ["ok", "ok"]
    twice = run("data", "import-nomis", str(first), str(_copy(NOMIS_FIXTURES / "bres_lad_2023_page1.csv", tmp_path,
                                                                  "again.csv")),
                "--nomis-dataset", "bres", "--home", str(home))
    assert twice.exit_code == 1 and "both start at record 0" in _err(twice)


# ----------------------------------------------------------------- 8. a fetched Census TS060 serves the workforce
def test_every_nomis_dataset_of_a_kind_writes_the_measure_that_kind_is_read_by():
    """A fetched TS060 came in as measure 'persons'; the Census workforce figures read
    'residents_in_employment', so the import (the latest of its kind) emptied the profile's workforce section."""
    from creative_clusters import kinds
    from creative_clusters.sources.nomis_request import DATASETS

    for ds in DATASETS.values():
        if ds.kind and ds.measure is not None:
            assert ds.measure in kinds.KINDS[ds.kind].measures, ds.alias
    t = nomis.parse_table((NOMIS_FIXTURES / "census2021_ts060_2021.csv").read_bytes(), dataset_id="x",
                          nomis_dataset="census2021_ts060")
    assert set(t["measure"]) == {"residents_in_employment"} and "_T" in set(t["industry_code"])


def test_a_census_category_of_several_divisions_is_coded_as_the_bundle_codes_it():
    raw = (NOMIS_FIXTURES / "census2021_ts060_2021.csv").read_bytes().replace(
        b"01 Crop and animal production, hunting and related service activities",
        b"41 Construction of buildings; 42 Civil engineering; 43 Specialised construction activities")
    t = nomis.parse_table(raw, dataset_id="x", nomis_dataset="census2021_ts060")
    assert "41-43" in set(t["industry_code"]) and "41" not in set(t["industry_code"])


# ----------------------------------------------------------------- 9. a newer table of fewer SIC classes
def test_a_newer_table_lacking_sic_classes_does_not_become_the_latest(tmp_path):
    """A fetch for one class (`--industry 5911`) became the latest table of its kind: every other class left
    the sub-sector counts, shares and LQs. It is now refused, naming what it lacks, or kept apart."""
    home = _home_with_lads(tmp_path)
    assert _import(_copy(THREE_LADS_2025, tmp_path), home).exit_code == 0  # classes 5911 and 7111
    res = _import(_copy(URN_2027, tmp_path), home)  # 5911 only, 2027
    assert res.exit_code == 1, res.output
    err = _err(res)
    assert "lacks 1 of the 2 SIC classes" in err and "7111" in err and "--partial" in err
    with Warehouse(home, read_only=True) as wh:
        assert wh.find_dataset("creative_enterprises_sic").id == "nomis_business_counts_enterprises_2025"
    kept = run("data", "import-nomis", str(_copy(URN_2027, tmp_path)), "--nomis-dataset",
               "business_counts_enterprises", "--partial", "--home", str(home))
    assert kept.exit_code == 0, kept.output
    with Warehouse(home, read_only=True) as wh:
        assert wh.find_dataset("creative_enterprises_sic").id == "nomis_business_counts_enterprises_2025"
        assert wh.find_dataset("creative_enterprises_sic_partial").id == \
            "nomis_business_counts_enterprises_2027_partial"
        cov = wh.datasets().set_index("id").loc["nomis_business_counts_enterprises_2027_partial", "coverage"]
        assert cov.startswith("PARTIAL industries")


# ----------------------------------------------------------------- 10. --dataset-id over another dataset
def test_a_dataset_id_of_the_bundle_or_of_another_kind_is_refused(tmp_path):
    """`--dataset-id business_counts_series` replaced the bundle's 2010-2025 series by a SIC table."""
    home = _home_with_lads(tmp_path)
    res = run("data", "import-nomis", str(_copy(THREE_LADS_2025, tmp_path)), "--nomis-dataset",
              "business_counts_enterprises", "--dataset-id", "business_counts_series", "--home", str(home))
    assert res.exit_code == 1 and "reference-bundle dataset" in _err(res)
    assert _ids(home) == ["geography_lookups"]
    other = run("data", "import-nomis", str(_copy(THREE_LADS_2025, tmp_path)), "--nomis-dataset",
                "business_counts_enterprises", "--dataset-id", "geography_lookups", "--home", str(home))
    assert other.exit_code == 1
    with Warehouse(home, read_only=True) as wh:
        assert wh.has_table("lad_hierarchy")


def test_vintages_imported_together_are_not_noted_but_an_older_one_after_a_newer_is(tmp_path):
    def spec(i: str, vintage: str) -> DatasetSpec:
        obs = nomis.parse_table(THREE_LADS_2025.read_bytes(), dataset_id=i, nomis_dataset="business_counts_enterprises",
                                dataset_vintage=vintage)
        return DatasetSpec(id=i, title=i, publisher="test", licence=OGL, source_url="", vintage=vintage, files=(),
                           kind="test_kind", reader=lambda _root: ImportResult(observations=obs))

    with Warehouse(tmp_path / "home") as wh:
        together = wh.import_datasets([spec("old_2019", "2019"), spec("new_2025", "2025")], tmp_path)
        assert [r.notes for r in together] == [[], []]
        after = wh.import_datasets([spec("older_2017", "2017")], tmp_path)
        assert after[0].notes and "older than new_2025 (vintage 2025)" in after[0].notes[0]
