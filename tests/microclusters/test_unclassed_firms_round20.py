"""Round 20: the firms of a firm file that had no usable SIC code are stored with the run and said in the pack
(each test failed before its fix).

Was: the firm-file reader counted them (South Yorkshire: 449 firms with no SIC code, 34 with SIC 2003 codes
only), the CLI printed them, but the run record kept only the rows read, kept, creative and located, and the
pack's microclusters section never said that some firms could not be classed.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.microclusters.runs import build_run_record, current_run, list_runs
from creative_clusters.sources.firm_files import FirmsReport
from creative_clusters.warehouse import Warehouse

N_NO_SIC = 5


def _write(path: Path) -> Path:
    """SYNTHETIC plain list: two tight groups of design firms near Sheffield centre, and five firms with an
    empty SIC cell among them."""
    rng = np.random.default_rng(0)
    xy = np.r_[rng.normal(0, 150, (60, 2)) + np.array([435300, 387200]),
               rng.normal(0, 150, (55, 2)) + np.array([445000, 395000])]
    sic = ["74100"] * (len(xy) - N_NO_SIC) + [""] * N_NO_SIC
    pd.DataFrame({"name": [f"F{i}" for i in range(len(xy))], "easting": xy[:, 0], "northing": xy[:, 1],
                  "sic": sic}).to_csv(path, index=False)
    return path


def test_a_stored_run_keeps_how_many_firms_had_no_sic_code(tmp_path):
    home = tmp_path / "home"
    r = CliRunner().invoke(app, ["microclusters", str(_write(tmp_path / "firms.csv")), "--out", str(tmp_path / "out"),
                                 "--home", str(home), "--stability-reps", "2"])
    assert r.exit_code == 0, r.output
    assert f"{N_NO_SIC} of them with no SIC code" in r.output  # the reader's count, as the CLI says it
    with Warehouse(home, read_only=True) as wh:
        stored = list_runs(wh).iloc[0]
        assert (stored["rows_no_sic"], stored["rows_sic_unclassified"]) == (N_NO_SIC, 0)
        run = current_run(wh)
        assert run is not None and (run.rows_no_sic, run.rows_sic_unclassified) == (N_NO_SIC, 0)


def test_the_record_takes_the_counts_from_the_readers_report(tmp_path):
    f = tmp_path / "firms.csv"
    f.write_text("name\nA\n")

    class Result:  # the fields build_run_record reads
        params: ClassVar[dict] = {"method": "split", "eps_m": 1000.0}
        microclusters = pd.DataFrame()
        firms = pd.DataFrame({"lad_code": ["E08000019"]})

    rep = FirmsReport(file="firms.csv", n_no_sic=449, n_sic_unknown_dropped=34, n_sic_unreadable_dropped=2)
    rec = build_run_record(Result, rep, f)
    assert (rec.rows_no_sic, rec.rows_sic_unclassified) == (449, 36)
    # the national reader does not count the rows without a code: not known, not 0
    rec = build_run_record(Result, FirmsReport(file="firms.csv", n_no_sic=None), f)
    assert rec.rows_no_sic is None


@pytest.mark.realdata
def test_the_pack_says_how_many_firms_of_the_file_could_not_be_classed(sy_creative, full_warehouse, nd):
    """The South Yorkshire file's report, through the run record, to Sheffield's microclusters section."""
    from creative_clusters.reporting.context import build_context
    from creative_clusters.workflows import evidence as E

    firms, rep = sy_creative
    assert rep.n_no_sic and rep.n_sic_unknown_dropped  # the premise: the file has both kinds

    class Result:
        params: ClassVar[dict] = {"method": "split", "eps_m": 1000.0, "min_firms": 50}
        microclusters = pd.DataFrame({"microcluster_id": ["MC0001"], "n_firms": [120],
                                      "lad_code": ["E08000019"]})

    Result.firms = firms
    rec = build_run_record(Result, rep, Path(rep.file), warehouse=full_warehouse)
    assert rec.rows_no_sic == rep.n_no_sic
    pl = E.resolve_evidence_place(nd, "Sheffield")
    inp = E.gather_inputs(nd, pl, png=False)
    inp.microclusters, inp.microcluster_run = Result.microclusters, asdict(rec)
    ctx = build_context(inp)
    text = " ".join(next(s for s in ctx["sections"] if s["id"] == "microclusters")["sentences"])
    other = rep.n_sic_unknown_dropped + rep.n_sic_unreadable_dropped
    assert (f"{rep.n_no_sic:,} firms of the firm file had no SIC code and {other:,} only codes that are not "
            "SIC 2007 classes") in text
    # a run stored before these were counted says nothing of them
    inp.microcluster_run = {**asdict(rec), "rows_no_sic": None, "rows_sic_unclassified": None}
    older = build_context(inp)
    assert "had no SIC code" not in " ".join(next(s for s in older["sections"]
                                                 if s["id"] == "microclusters")["sentences"])
