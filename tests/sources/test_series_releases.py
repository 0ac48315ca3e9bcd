"""A newer release of the creative-enterprise series is read and catalogued as what it is, without a code change.

The bundle's file is ``creative_enterprises_lad_2010_2025.csv``; a release is
named by its last year. Real data only: an "earlier release" is the bundle's
file cut at 2024, written at run time to ``tmp_path`` (never committed).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from creative_clusters import kinds
from creative_clusters.sources import business_counts_timeseries as bts
from creative_clusters.warehouse import Warehouse

pytestmark = pytest.mark.realdata


def _release(data_root: Path, root: Path, last: int) -> Path:
    """The bundle's series cut at ``last``, named as its release would be, under ``root``."""
    with open(data_root / bts.SERIES_FILE, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    out = root / "business_counts_timeseries" / f"creative_enterprises_lad_2010_{last}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    year = rows[0].index("Year")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([rows[0], *(r for r in rows[1:] if int(r[year]) <= last)])
    return out


def _root(data_root: Path, tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "geography").mkdir(parents=True)
    (root / bts.LAD_FILE).symlink_to(data_root / bts.LAD_FILE)
    return root


def _catalogue(root: Path, home: Path):
    with Warehouse(home) as wh:
        wh.import_datasets(list(bts.DATASETS), root)
        ref = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SERIES)
        files = wh.con.execute("SELECT path FROM catalogue_files WHERE dataset_id = ?", [bts.DATASET_ID]).fetchall()
        years = sorted(r[0] for r in wh.con.execute(
            "SELECT DISTINCT period FROM observations WHERE dataset = ?", [bts.DATASET_ID]).fetchall())
    return ref, {f[0] for f in files}, years


def test_a_release_under_its_own_name_is_catalogued_with_its_own_years(data_root, tmp_path):
    # was: the importer needed the file name ..._2010_2025.csv, and the catalogue said "every year 2010-2025",
    # vintage 2025, whatever the file held
    root = _root(data_root, tmp_path)
    _release(data_root, root, 2024)
    ref, files, years = _catalogue(root, tmp_path / "home")
    assert years[0] == "2010" and years[-1] == "2024"
    assert ref.vintage == "2024"
    assert ref.title.endswith("every year 2010–2024")
    assert "business_counts_timeseries/creative_enterprises_lad_2010_2024.csv" in files


def test_the_newest_release_in_the_folder_is_read(data_root, tmp_path):
    root = _root(data_root, tmp_path)
    _release(data_root, root, 2024)
    (root / bts.SERIES_FILE).symlink_to(data_root / bts.SERIES_FILE)  # the bundle's 2010-2025 beside it
    ref, files, years = _catalogue(root, tmp_path / "home")
    assert years[-1] == "2025" and ref.vintage == "2025"
    assert ref.title.endswith("every year 2010–2025")
    assert files == {bts.SERIES_FILE, bts.LAD_FILE}
