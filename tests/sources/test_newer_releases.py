"""Newer releases in the official layouts are catalogued as what they are, and never silently lost.

Each test builds TEST COPIES in ``tmp_path`` from the reference data (the
bundle's files, with a later year added the way the audit did): Business
Demography with 2025 rows (active enterprises x 1.02, rounded to 5) and a
``sourceDate`` of 19/11/2026; GVA with 2024 rows (2023's values) and a
``sourceDate`` of 18/06/2026; the IMD 2025 wide file under a 2028 name. The
added figures are SYNTHETIC; nothing here is committed or published.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters import kinds
from creative_clusters.benchmarking.framework import load_framework
from creative_clusters.errors import DataSourceError
from creative_clusters.sources import business_demography as bd
from creative_clusters.sources import deprivation as dep
from creative_clusters.sources import local_indicators as li
from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult
from creative_clusters.sources.els_layout import CHANGES_FILE, TOPO_FILE
from creative_clusters.sources.registry import all_datasets
from creative_clusters.warehouse import ImportReport, Warehouse

GEOGRAPHY = (TOPO_FILE, CHANGES_FILE)


def _copy(data_root: Path, dest: Path, rels: list[str]) -> Path:
    """A TEST COPY of ``rels`` from the reference data under ``dest``."""
    for rel in rels:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data_root / rel, dest / rel)
    return dest


def _bd_copy(data_root: Path, dest: Path, *, add_2025: bool = True, keep_from: int | None = None) -> Path:
    """A TEST COPY of the Business Demography release: with 2025 added (SYNTHETIC), or only years >= keep_from."""
    root = _copy(data_root, dest, [bd.BD_FILE, bd.BD_JSON, *GEOGRAPHY])
    f = pd.read_csv(root / bd.BD_FILE, dtype=str, keep_default_na=False)
    if keep_from is not None:
        f = f[f["period"].str[:4].astype(int) >= keep_from]
    if add_2025:
        new = f[f["period"] == "2024-01-01/P1Y"].copy()
        new["period"] = "2025-01-01/P1Y"
        act = new["indicator"] == "Active businesses"
        new.loc[act, "observation"] = (np.round(new.loc[act, "observation"].astype(float) * 1.02 / 5) * 5
                                       ).astype(int).astype(str)
        f = pd.concat([f, new])
        meta = (root / bd.BD_JSON).read_text(encoding="utf-8")
        assert "20/11/2025" in meta
        (root / bd.BD_JSON).write_text(meta.replace("20/11/2025", "19/11/2026"), encoding="utf-8")
    f.to_csv(root / bd.BD_FILE, index=False)
    return root


def _bd_specs(root: Path) -> list[DatasetSpec]:
    return [s for s in all_datasets(root) if s.kind == kinds.ACTIVE_ENTERPRISES]


# ------------------------------------------------------------------ business demography


def test_newer_release_is_catalogued_as_itself(data_root: Path, tmp_path: Path):
    (old,) = _bd_specs(data_root)  # the bundle's release: named, dated and titled as before
    assert (old.id, old.vintage) == ("business_demography_2024", "2025-11-20")
    assert old.title.endswith("UK, 2019-2024")
    assert any("382/379/374/374/374/361 LADs for 2019-2024" in c for c in old.caveats)
    root = _bd_copy(data_root, tmp_path / "TESTCOPY_data")
    (spec,) = _bd_specs(root)
    assert (spec.id, spec.vintage) == ("business_demography_2025", "2026-11-19")
    assert spec.title.endswith("UK, 2019-2025")
    assert any("LADs for 2019-2025" in c for c in spec.caveats)
    assert not any("2019-2024" in c for c in spec.caveats)
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets([spec], root)
        ref = wh.require_dataset(kinds.ACTIVE_ENTERPRISES)
        assert (ref.id, ref.vintage) == ("business_demography_2025", "2026-11-19")
        assert ref.title.endswith("2019-2025")
        assert wh.latest_period(ref.id, measure="active_enterprises") == "2025"
        assert set(wh.observations(dataset=ref.id)["dataset_vintage"]) == {"2026-11-19"}


def test_older_release_after_newer_keeps_the_newer_year(data_root: Path, tmp_path: Path):
    root = _bd_copy(data_root, tmp_path / "TESTCOPY_data")
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(_bd_specs(root), root)
        ref = wh.require_dataset(kinds.ACTIVE_ENTERPRISES)
        before = wh.observations(dataset=ref.id, geo_code="E09000033", period="2025",
                                 measure="active_enterprises")["value"].tolist()
        assert len(before) == 1
        wh.import_datasets(_bd_specs(data_root), data_root)  # the bundle's older release, again
        now = wh.require_dataset(kinds.ACTIVE_ENTERPRISES)
        assert now.id == ref.id
        assert "2025" in wh.periods(now.id)
        assert wh.observations(dataset=now.id, geo_code="E09000033", period="2025",
                               measure="active_enterprises")["value"].tolist() == before


def test_a_release_lacking_years_the_warehouse_holds_is_refused(data_root: Path, tmp_path: Path):
    short = _bd_copy(data_root, tmp_path / "TESTCOPY_short", add_2025=False, keep_from=2023)
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(_bd_specs(data_root), data_root)
        (spec,) = _bd_specs(short)
        assert spec.id == "business_demography_2024"  # the same last year: the same dataset
        with pytest.raises(DataSourceError, match=r"would drop 2019–2022.*--replace"):
            wh.import_datasets([spec], short)
        assert wh.periods(spec.id, measure="active_enterprises")[0] == "2019"
        wh.import_datasets([spec], short, replace=True)
        assert wh.periods(spec.id, measure="active_enterprises") == ["2023", "2024"]


# ------------------------------------------------------------------ local indicators


def _li_copy(data_root: Path, dest: Path) -> Path:
    """A TEST COPY of the local indicators with GVA 2024 rows (2023's values, SYNTHETIC) released 18/06/2026."""
    rels = [*li.FILES, *(m for m in li.FILES.values() if m), *GEOGRAPHY]
    root = _copy(data_root, dest, rels)
    gva = root / "local_indicators/gross-value-added.csv"
    f = pd.read_csv(gva, dtype=str, keep_default_na=False)
    new = f[f["period"] == "2023-01-01/P1Y"].copy()
    new["period"] = "2024-01-01/P1Y"
    pd.concat([f, new]).to_csv(gva, index=False)
    meta = root / "local_indicators/gross-value-added.json"
    text = meta.read_text(encoding="utf-8")
    assert "19/06/2025" in text
    meta.write_text(text.replace("19/06/2025", "18/06/2026"), encoding="utf-8")
    return root


def test_local_indicators_vintage_comes_from_the_files(data_root: Path, tmp_path: Path):
    assert li.read_local_indicators(data_root).vintage == "2025"  # the bundle's, as before
    root = _li_copy(data_root, tmp_path / "TESTCOPY_data")
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(li.DATASETS, root)
        ref = wh.require_dataset(kinds.LOCAL_INDICATORS)
        assert ref.vintage == "2026"
        assert set(wh.observations(dataset=ref.id)["dataset_vintage"]) == {"2026"}
        # the older files again would drop 2024: refused, unless --replace
        with pytest.raises(DataSourceError, match=r"would drop 2024 only"):
            wh.import_datasets(li.DATASETS, data_root)
        assert "2024" in wh.periods(ref.id)
        wh.import_datasets(li.DATASETS, data_root, replace=True)
        assert "2024" not in wh.periods(ref.id)
        assert wh.require_dataset(kinds.LOCAL_INDICATORS).vintage == "2025"


# ------------------------------------------------------------------ same kind, same year


def _synthetic_spec(dataset: str, value: float) -> DatasetSpec:
    def read(root: Path) -> ImportResult:
        return ImportResult(observations=pd.DataFrame({
            "dataset": [dataset], "dataset_vintage": "2026", "geo_code": "E09000033", "geo_type": "lad",
            "geo_vintage": "2023", "industry_scheme": "SIC2007", "industry_code": "5911",
            "occupation_scheme": "", "occupation_code": "", "status": "", "period": "2026",
            "measure": "enterprises", "value": value, "disclosure_flag": "rounded"}))

    return DatasetSpec(id=dataset, kind=kinds.CREATIVE_ENTERPRISES_SIC, title=f"{dataset} (SYNTHETIC)",
                       publisher="test", licence=OGL, source_url="", vintage="2026", files=("x.csv",),
                       reader=read)


def test_a_second_dataset_of_the_same_kind_and_year_is_named(tmp_path: Path):
    (tmp_path / "x.csv").write_text("SYNTHETIC test copy\n")
    with Warehouse(tmp_path / "home") as wh:
        first = wh.import_datasets([_synthetic_spec("business_counts_2026", 10.0)], tmp_path)
        assert first[0].notes == []
        (rep,) = wh.import_datasets([_synthetic_spec("nomis_business_counts_enterprises_2026", 15.0)], tmp_path)
        assert wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC).id == "nomis_business_counts_enterprises_2026"
        assert len(rep.notes) == 1
        note = rep.notes[0]
        assert "business_counts_2026" in note and "nomis_business_counts_enterprises_2026" in note
        assert "now read nomis_business_counts_enterprises_2026" in note
        assert "`creative-clusters data remove business_counts_2026`" in note
        # both stay: the import is not refused
        assert {e.id for e in wh.catalogue_entries(kinds.CREATIVE_ENTERPRISES_SIC)} == {
            "business_counts_2026", "nomis_business_counts_enterprises_2026"}


def test_data_import_prints_the_notes_and_the_files_it_did_not_read(tmp_path: Path, monkeypatch):
    from creative_clusters.cli import app

    data = tmp_path / "TESTCOPY_data"
    (data / "deprivation").mkdir(parents=True)
    (data / "deprivation" / "iod2031_wales_unknown.csv").write_text("SYNTHETIC test copy\n")
    (data / "README.md").write_text("test copy\n")
    note = "X and Y are both kind for 2026; figures of that kind now read Y (the latest import)."

    def fake_import(self, specs, root, **kw):
        return [ImportReport("y", 1, [], [], "", notes=[note])]

    monkeypatch.setattr(Warehouse, "import_datasets", fake_import)
    res = CliRunner().invoke(app, ["data", "import", str(data), "--home", str(tmp_path / "home")])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert f"Warning: {note}" in text
    assert "deprivation/iod2031_wales_unknown.csv" in text and "Not imported" in text
    assert "README.md" not in text


# ------------------------------------------------------------------ deprivation


def _imd_copy(data_root: Path, dest: Path) -> Path:
    """A TEST COPY of the English IMD 2025 files, plus the 2025 wide file under a 2028 name (SYNTHETIC)."""
    rels = [f"{dep.D}imd2025_england_ltla24.csv", f"{dep.D}indices_of_deprivation_2025_lad.csv"]
    root = _copy(data_root, dest, rels)
    shutil.copyfile(root / rels[0], root / f"{dep.D}imd2028_england_ltla25.csv")
    return root


def test_a_newer_english_index_is_found_and_serves_the_label(data_root: Path, tmp_path: Path):
    from creative_clusters.sources.registry import unrecognised_files
    from creative_clusters.workflows.pack_data import _dated_framework

    root = _imd_copy(data_root, tmp_path / "TESTCOPY_data")
    specs = {s.id: s for s in dep.discover_datasets(root)}
    new = specs["imd2028_england"]
    assert (new.kind, new.vintage) == (kinds.DEPRIVATION_ENGLAND, "2028")
    assert new.files == (f"{dep.D}imd2028_england_ltla25.csv",)
    assert "imd2025_england" in specs
    assert "deprivation/imd2028_england_ltla25.csv" not in unrecognised_files(root, list(specs.values()))
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets([specs["imd2025_england"]], root)
        label = _dated_framework(wh, load_framework(), None).indicator("imd_score").label
        assert label == "Index of Multiple Deprivation 2025, average score"  # the bundle's, as before
        wh.import_datasets([new], root)
        ref = wh.require_dataset(kinds.DEPRIVATION_ENGLAND)
        assert (ref.id, ref.vintage) == ("imd2028_england", "2028")
        assert set(wh.observations(dataset=ref.id)["period"]) == {"2028"}
        fw = _dated_framework(wh, load_framework(), None)
        assert fw.indicator("imd_score").label == "Index of Multiple Deprivation 2028, average score"
        assert fw.indicator("imd_score").caveat.startswith("English Indices of Deprivation 2028")


def test_a_firm_file_in_the_bundle_is_pointed_at_microclusters_not_called_unread(tmp_path: Path, monkeypatch):
    """A list of firms (the bundle's Brighton and Hove premises) is clustered by ``microclusters``, not
    imported: ``data import`` says so, rather than that "no dataset reads" it."""
    from creative_clusters.cli import app

    data = tmp_path / "TESTCOPY_data"
    (data / "firms").mkdir(parents=True)
    (data / "firms" / "premises_2030.xlsx").write_bytes(b"SYNTHETIC test copy")
    monkeypatch.setattr(Warehouse, "import_datasets", lambda self, specs, root, **kw: [])
    res = CliRunner().invoke(app, ["data", "import", str(data), "--home", str(tmp_path / "home")])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "Firm files are not imported: cluster it with `creative-clusters microclusters FILE` " \
           "(firms/premises_2030.xlsx)" in text
    assert "no dataset reads" not in text


def test_the_bundle_has_no_file_that_data_import_calls_unknown(data_root: Path):
    """Every import of the unchanged bundle warned "Not imported: ... geography/ttwa11.csv" (a file of the bundle,
    deliberately not read: the UK-wide TTWA lookup names every TTWA). Firm files are clustered, not imported."""
    from creative_clusters.sources.registry import all_datasets, unrecognised_files

    stray = [f for f in unrecognised_files(data_root, all_datasets(data_root)) if not f.startswith("firms/")]
    assert stray == []
