"""A pack cites a data source by the release its figures come from, read from the warehouse catalogue.

The test works on a TEST COPY of the session's warehouse in ``tmp_path`` with
the UK Business Counts snapshot by SIC class RELABELLED as a March 2026
release (the 2025 observations copied under dataset ``business_counts_2026``,
period and vintage 2026), the way a user's newer import would look. The
relabelled figures are SYNTHETIC; nothing here is committed or published.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.warehouse import Warehouse

pytestmark = pytest.mark.realdata

OLD, NEW = "business_counts_2025", "business_counts_2026"
CITATION = "Office for National Statistics ({year}). UK Business Counts: enterprises by industry and local authority"


@pytest.fixture()
def newer_home(full_home: Path, tmp_path: Path) -> Path:
    """A TEST COPY of the session's warehouse holding a relabelled March 2026 snapshot beside March 2025's."""
    home = tmp_path / "TESTCOPY_home"
    home.mkdir()
    shutil.copyfile(full_home / "warehouse.duckdb", home / "warehouse.duckdb")
    shutil.copytree(full_home / "geometry", home / "geometry")
    with Warehouse(home) as wh:
        con = wh.con
        cols = [r[0] for r in con.execute("DESCRIBE observations").fetchall()]
        sel = ", ".join({"dataset": "? AS dataset", "dataset_vintage": "'2026' AS dataset_vintage",
                         "period": "'2026' AS period"}.get(c, c) for c in cols)
        con.execute(f"INSERT INTO observations SELECT {sel} FROM observations WHERE dataset = ?", [NEW, OLD])
        cat = [r[0] for r in con.execute("DESCRIBE catalogue").fetchall()]
        sel = ", ".join({"id": "? AS id", "vintage": "'2026' AS vintage",
                         "title": "replace(title, '2025', '2026') AS title"}.get(c, c) for c in cat)
        con.execute(f"INSERT INTO catalogue SELECT {sel} FROM catalogue WHERE id = ?", [NEW, OLD])
    return home


def _pack_text(home: Path, out: Path, *args: str) -> str:
    res = CliRunner().invoke(app, ["evidence", "Sheffield", "--format", "html", "--out", str(out),
                                   "--home", str(home), *args])
    assert res.exit_code == 0, res.output
    (page,) = out.glob("*.html")
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(page.read_text(encoding="utf-8"))).split())


def test_the_pack_cites_the_business_counts_release_its_figures_use(newer_home: Path, tmp_path: Path):
    # was "Office for National Statistics (2025). UK Business Counts: ..." (the library's date) in a pack whose
    # figures are the March 2026 counts
    text = _pack_text(newer_home, tmp_path / "latest")
    assert "creative enterprises in March 2026" in text
    assert CITATION.format(year=2026) in text
    assert CITATION.format(year=2025) not in text


def test_a_pack_for_the_earlier_year_cites_that_release(newer_home: Path, tmp_path: Path):
    text = _pack_text(newer_home, tmp_path / "earlier", "--year", "2025")
    assert "creative enterprises in March 2025" in text
    assert CITATION.format(year=2025) in text
    assert CITATION.format(year=2026) not in text
