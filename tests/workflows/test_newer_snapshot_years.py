"""A newer UK Business Counts snapshot and series year: every year a caveat, notice or source line states comes
from what the warehouse holds, never from the bundle's years written into code.

The newer files are TEST COPIES (SYNTHETIC), made at test time under a temporary folder named
``TEST_SYNTHETIC_...`` and never committed: the March 2025 files in their official layout with every count
times 1.06 rounded to 5, named 2026 (the three business-count files), and the 2010–2025 series with a 2026
year made the same way from its 2025 rows. They go through the ordinary importer
(``data import DIR --only business_counts_2026 --only business_counts_series``) into a copy of the session
warehouse, next to the real 2025 snapshot, so the catalogue holds two snapshots by SIC class (2025, 2026)
and a series 2010–2026.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

runner = CliRunner()
NEW = "2026"  # the test copies' year
_COUNTS = {  # file name pattern -> its count column
    "business_counts_fact_long_{}.csv": "Value",
    "business_counts_fact_long_{}_with_codes.csv": "enterprises",
    "business_counts_la_totals_{}.csv": "Enterprise Count",
}
SERIES_OLD = "creative_enterprises_lad_2010_2025.csv"


def _r5(v: str) -> str:
    return str(int(round(float(v) * 1.06 / 5) * 5))


def _copy_scaled(src: Path, dst: Path, col: str, keep: bool = False) -> None:
    with open(src, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    out = list(rows) if keep else []
    for r in rows:
        if keep and r["Year"] != "2025":
            continue
        out.append({**r, col: _r5(r[col]), **({"Year": NEW} if keep else {})})
    with open(dst, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(out)


@pytest.fixture(scope="module")
def newer_root(data_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("TEST_SYNTHETIC_newer_snapshot")
    (root / "README_TEST_SYNTHETIC.txt").write_text(
        f"TEST COPIES / SYNTHETIC, not a real release: the March 2025 UK Business Counts files and the 2010-2025 "
        f"series with counts times 1.06 rounded to 5, named {NEW}.\n", encoding="utf-8")
    (root / "geography").mkdir()
    shutil.copy(data_root / "geography" / "ltla23.csv", root / "geography" / "ltla23.csv")
    (root / "business_counts").mkdir()
    for pattern, col in _COUNTS.items():
        _copy_scaled(data_root / "business_counts" / pattern.format(2025),
                     root / "business_counts" / pattern.format(NEW), col)
    (root / "business_counts_timeseries").mkdir()
    _copy_scaled(data_root / "business_counts_timeseries" / SERIES_OLD,
                 root / "business_counts_timeseries" / f"creative_enterprises_lad_2010_{NEW}.csv",
                 "Enterprise Count", keep=True)
    return root


@pytest.fixture(scope="module")
def home(full_home: Path, newer_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("newer-snapshot-home")
    shutil.copytree(full_home, h, dirs_exist_ok=True, ignore=shutil.ignore_patterns("cache"))
    res = runner.invoke(app, ["data", "import", str(newer_root), "--only", f"business_counts_{NEW}",
                              "--only", "business_counts_series", "--home", str(h)])
    assert res.exit_code == 0, res.output
    # the premise: two snapshots by SIC class and the longer series in the catalogue
    rows = {r["id"]: r for r in json.loads(runner.invoke(app, ["data", "status", "--json", "--home",
                                                               str(h)]).stdout)}
    assert {"business_counts_2025", f"business_counts_{NEW}"} <= set(rows)
    assert rows["business_counts_series"]["vintage"] == NEW
    return h


def test_the_pack_names_the_snapshots_there_are_not_one_year(home: Path):
    # defect 6: with 2025 and 2026 imported, section 3 said "counts by sub-sector (SIC class) for one year
    # only ... Fetch earlier UK Business Counts"
    from creative_clusters.workflows.evidence import load_national
    from tests.reporting._helpers import pack_context, section

    nd = load_national(home, cache=False)
    assert nd.enterprises_period == NEW
    missing = section(pack_context(nd, "Sheffield"), "growth")["missing"]
    assert not any("one year only" in m for m in missing)
    assert not any("Fetch earlier UK Business Counts" in m for m in missing)
    notice = next(m for m in missing if "sub-sector (SIC class)" in m)
    assert f"2025 and {NEW} (UK Business Counts)" in notice
    assert f"reads the {NEW} snapshot only" in notice


def test_the_series_caveats_state_the_imported_years_and_snapshots(home: Path):
    # defect 8: the caveats said "(2010–2025 in the bundle)" and "sub-sector detail exists for England 2025
    # only (dataset business_counts_2025)" with a 2010–2026 series and a 2026 snapshot imported
    res = runner.invoke(app, ["profile", "Sheffield", "--json", "--home", str(home)])
    assert res.exit_code == 0, res.output
    prof = json.loads(res.stdout)
    cav = prof["trajectory"]["source"]["caveats"]
    text = " ".join(cav)
    assert "in the bundle" not in text and "2025 only" not in text
    assert f"every year of the file (2010–{NEW})" in text
    # both snapshots cover English LADs only (the SIC-level files are England's): named as such
    assert (f"snapshots by SIC class (England, March 2025 and {NEW}: datasets business_counts_2025 and "
            f"business_counts_{NEW})") in text
    assert prof["statistics"]["sources"] and all(
        "2025 only" not in c for s in prof["statistics"]["sources"] for c in s.get("caveats", []))


def test_a_plain_count_source_line_names_no_denominator(home: Path):
    # defect 9: /api/indicators?level=lad&measure=business_count said "... March 2026 (2026) over Business
    # demography: ..." although a count has no denominator
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows.map_data import map_indicator

    with Warehouse(home, read_only=True) as wh:
        _t, count_src, _c = map_indicator(wh, level="lad", subsector="all", measure="business_count")
        _t, lq_src, _c = map_indicator(wh, level="lad", subsector="all", measure="business_lq")
    assert f"({NEW})" in count_src and " over " not in count_src and "demography" not in count_src.lower()
    assert count_src == lq_src.split(" over ")[0]  # the same numerator words
    assert " over " in lq_src  # an LQ keeps its denominator


def test_the_inclusion_cli_states_the_numerators_and_denominators_years(home: Path):
    # defect 10: the CLI's decile table gave no years; the pack says "Numerator 2026 snapshot, denominator
    # active in 2025"
    rep = json.loads(runner.invoke(app, ["inclusion", "Sheffield", "--json", "--home", str(home)]).stdout)
    note = next(c for c in rep["creative_by_deprivation_decile"]["caveats"] if c.startswith("numerator"))
    num, den = re.match(r"numerator (\d{4}) snapshot, denominator active in (\d{4})", note).groups()
    assert num == NEW
    res = runner.invoke(app, ["inclusion", "Sheffield", "--home", str(home)])
    assert res.exit_code == 0, res.output
    assert f"March {num} snapshot" in res.output and f"active in {den}" in res.output
