"""Section 2 of the evidence pack reads workplace employment by local authority (BRES, kind ``employment_lad``)
when the user imports it: creative employment with its bounds, the creative share and the employment LQ with its
range, a caveat, and a claim of specialisation only when the whole LQ range lies above 1. Without it, the
section says once what is missing and how to fetch it. Was: the table was stored and read by no figure.

SYNTHETIC warehouse (``synthetic_home``'s made-up datasets) with the SYNTHETIC Nomis CSV
``tests/data/nomis/synthetic_round20_bres_lad_2024.csv`` imported through ``data import-nomis``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creative_clusters import kinds
from creative_clusters.cli import app
from creative_clusters.reporting.context import build_context
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
from creative_clusters.workflows.pack_data import load_national
from tests.reporting._helpers import section
from tests.reporting.conftest import make_synthetic_home

FIXTURE = Path(__file__).parents[1] / "data" / "nomis" / "synthetic_round20_bres_lad_2024.csv"
NO_DATA = "No workplace employment by local authority"


@pytest.fixture(scope="module")
def bres_home(tmp_path_factory):
    home = make_synthetic_home(tmp_path_factory.mktemp("bres-home"))
    csv = Path(shutil.copy(FIXTURE, tmp_path_factory.mktemp("downloads") / FIXTURE.name))
    res = CliRunner().invoke(app, ["data", "import-nomis", str(csv), "--nomis-dataset", "bres", "--home", str(home)])
    assert res.exit_code == 0, res.output
    with Warehouse(home, read_only=True) as wh:
        ref = wh.find_dataset(kinds.EMPLOYMENT_LAD)
        assert ref is not None and ref.id == "nomis_bres_2024"  # the dataset and year come from the catalogue
    return home


def _scale(home, name):
    nd = load_national(home, cache=False)
    ctx = build_context(gather_inputs(nd, resolve_evidence_place(nd, name), png=False))
    return section(ctx, "scale"), ctx


def _bres_table(sec):
    return next(t for t in sec["tables"] if t["title"].startswith("Creative workplace employment"))


def test_the_pack_shows_bounded_creative_employment_and_a_safe_claim(bres_home):
    sec, _ = _scale(bres_home, "Alphaville")
    text = " ".join(sec["sentences"])
    assert "Alphaville had 12,150 creative workplace jobs, between 10,625 and 13,815 given BRES rounding" in text
    assert "(BRES 2024," in text
    t = _bres_table(sec)
    assert t["title"] == "Creative workplace employment and employment LQ, Alphaville, 2024 (BRES)"
    rows = {r[0]: r[1:] for r in t["rows"]}
    assert rows["Creative workplace employment"] == ["12,150", "10,625", "13,815"]
    assert rows["Workplace employment, all industries"] == ["60,000", "59,000", "61,000"]
    lq = next(v for k, v in rows.items() if k.startswith("Employment LQ against England"))
    assert lq == ["2.32", "1.61", "3.12"]  # (12,150/60,000)/(14,050/160,900), range by hand in the indicator test
    assert "the whole range lies above 1" in text
    notes = " ".join(t["notes"])
    assert "Workplace-based" in notes and "BRES rounds and suppresses small cells" in notes
    assert "0 of the 31 creative class cells are suppressed or missing here" in notes
    assert "nomis_bres_2024" in sec["sources"]  # cited in Sources and methods
    assert not any(NO_DATA in m for m in sec["missing"])


def test_a_suppressed_sum_is_flagged_and_claims_nothing(bres_home):
    sec, _ = _scale(bres_home, "Synthetic Borough 1")
    text = " ".join(sec["sentences"])
    assert "at least 100 creative workplace jobs in its published cells" in text
    assert "1 of the 31 creative class cells is suppressed or missing" in text
    assert "the range includes 1, so these figures do not show a specialisation" in text
    assert "the whole range lies above 1" not in text
    row = _bres_table(sec)["rows"][0]
    assert row[1] == "100 (sum of published cells; 1 of 31 suppressed)"  # never the plain 100


def test_a_lad_outside_the_table_is_said_to_be_missing(bres_home):
    sec, _ = _scale(bres_home, "Synthetic Borough 3")
    assert not any(t["title"].startswith("Creative workplace employment") for t in sec["tables"])
    assert any("does not cover Synthetic Borough 3" in m for m in sec["missing"])


def test_without_the_dataset_the_section_says_what_is_missing_once(synthetic_home):
    sec, ctx = _scale(synthetic_home, "Alphaville")
    assert not any(t["title"].startswith("Creative workplace employment") for t in sec["tables"])
    said = [m for m in sec["missing"] if NO_DATA in m]
    assert len(said) == 1 and "(BRES) is in the data this pack was built from" in said[0]
    assert "warehouse" not in said[0]  # words for a bid reader, not the tool's
    gaps = next(t for t in section(ctx, "sources")["tables"] if t["title"] == "Filling the gaps")
    cmds = [r[2] for r in gaps["rows"]]
    assert "creative-clusters data fetch bres --geography lad --industry creative,total --date YEAR" in cmds
    assert "creative-clusters data import-nomis FILE --nomis-dataset bres" in cmds


def _profile(home, name):
    from creative_clusters.workflows.places import resolve_place
    from creative_clusters.workflows.profile import build_profile, profile_text

    with Warehouse(home, read_only=True) as wh:
        prof = build_profile(wh, resolve_place(wh, name))
    return prof, profile_text(prof)


def test_the_profile_gives_the_same_figures(bres_home):
    prof, text = _profile(bres_home, "Alphaville")
    figs = prof["statistics"]["figures"]
    lq = figs["employment_lq"]
    assert (round(lq["value"], 2), round(lq["lower"], 2), round(lq["upper"], 2)) == (2.32, 1.61, 3.12)
    assert (figs["creative_employment"]["value"], figs["creative_employment"]["lower"],
            figs["creative_employment"]["upper"]) == (12_150, 10_625, 13_815)
    assert ("Employment location quotient against England (3 local authorities in the table): 2.32 "
            "(range 1.61 to 3.12)  [nomis_bres_2024, 2024]") in text
    assert "the whole range lies above 1" in text
    assert "nomis_bres_2024" in [s["id"] for s in prof["sources"]]


def test_the_profile_flags_a_suppressed_sum(bres_home):
    prof, text = _profile(bres_home, "Synthetic Borough 1")
    assert "suppressed" in prof["statistics"]["figures"]["creative_employment"]["flags"]
    assert ("Creative workplace employment (BRES): at least 100 in the published cells (flagged: suppressed) "
            "(range 75 to 1,150)") in text
    assert "no specialisation can be claimed" in text



def test_the_benchmark_points_to_section_2_for_the_unranked_creative_employment(bres_home, synthetic_home):
    """The framework does not rank creative employment (ranges overlap); with BRES imported its gap note says
    where the place's own figures are, without it, it does not (was: "not computed… does not yet sum")."""
    from creative_clusters.benchmarking.framework import load_framework

    ind = next(i for d in load_framework("growth_potential_v1").dimensions for i in d.indicators
               if i.id == "creative_employment")
    assert "section 2 gives" in ind.how_to_get and "does not yet sum" not in ind.how_to_get

    def note(home):  # the benchmark table's row for the indicator
        _, ctx = _scale(home, "Alphaville")
        bench = section(ctx, "benchmark")
        rows = [r for t in bench["tables"] for r in t["rows"] if str(r[1]).startswith("Creative employment")]
        return " ".join(str(c) for r in rows for c in r) + " ".join(n for t in bench["tables"] for n in t["notes"])

    assert "For Alphaville itself, section 2 gives creative workplace employment" in note(bres_home)
    assert "For Alphaville itself, section 2 gives" not in note(synthetic_home)
