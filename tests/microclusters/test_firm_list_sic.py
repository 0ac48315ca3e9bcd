"""A firm list whose firms cannot be filtered is not silently taken as all creative (review D, H3).

A list with the Companies House SIC columns but no ``CompanyNumber`` counted
every firm (a cereal farm, a shop) as creative and replaced the current
microcluster run. Now the SIC columns are read in any layout, and a list with no
SIC or sub-sector column stops unless ``--all-creative`` states that every firm
is creative (which the run's provenance then records). SYNTHETIC firms, BNG metres.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.errors import ImportFormatError
from creative_clusters.microclusters.runs import current_run, list_runs
from creative_clusters.sources.firm_files import load_creative_firms, prepare_firms
from creative_clusters.warehouse import Warehouse


def _raw(**cols: list[str]) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    raw = pd.DataFrame({"CompanyName": [f"F{i}" for i in range(n)], "x": ["435000"] * n, "y": ["387000"] * n,
                        **cols})
    raw.attrs["file"] = "firms.csv"
    return raw


@pytest.mark.parametrize("column", ["SICCode.SicText_1", "SICCode.SicText_2", "siccode.sictext_1"])
def test_companies_house_sic_columns_are_read_without_company_number(column):
    raw = _raw(**{column: ["01110 - Growing of cereals", "62012 - Business software", "47110 - Retail"]})
    firms, rep = prepare_firms(raw)
    assert firms["name"].tolist() == ["F1"] and rep.n_creative == 1 and not rep.all_creative


def test_every_sic_column_counts_in_a_plain_list():
    raw = _raw(**{"SICCode.SicText_1": ["47110 - Retail", "01110 - Cereals"],
                  "SICCode.SicText_3": ["74100 - specialised design activities", ""]})
    firms, _ = prepare_firms(raw)
    assert firms["name"].tolist() == ["F0"]


def test_a_list_without_sic_or_subsector_stops_with_a_clear_error():
    with pytest.raises(ImportFormatError) as err:
        prepare_firms(_raw(Postcode=["S1 2HH", "S1 2HE"]))
    msg = str(err.value)
    assert "firms.csv" in msg and "SIC" in msg and "--all-creative" in msg and "'Postcode'" in msg


def test_all_creative_keeps_every_firm_and_says_so():
    firms, rep = prepare_firms(_raw(Postcode=["S1 2HH", "S1 2HE"]), all_creative=True)
    assert len(firms) == 2 and rep.all_creative and "--all-creative" in rep.summary()


def _plain_list(path, seed=0):
    rng = np.random.default_rng(seed)
    xy = rng.normal(0, 150, (60, 2)) + np.array([435300, 387200])
    pd.DataFrame({"name": [f"F{i}" for i in range(len(xy))], "easting": xy[:, 0],
                  "northing": xy[:, 1]}).to_csv(path, index=False)
    return path


def _mc(path, home, *args):
    return CliRunner().invoke(app, ["microclusters", str(path), "--out", str(home.parent / "out"), "--home",
                                    str(home), "--stability-reps", "2", "--eps", "500", *args])


def test_an_unfilterable_list_does_not_replace_the_current_run_without_the_flag(tmp_path):
    home = tmp_path / "home"
    path = _plain_list(tmp_path / "firms.csv")
    with pytest.raises(ImportFormatError):
        load_creative_firms(path)
    refused = _mc(path, home)
    assert refused.exit_code == 1 and "--all-creative" in refused.stderr
    assert not (home / "warehouse.duckdb").exists() and not (tmp_path / "out").exists()
    stated = _mc(path, home, "--all-creative")
    assert stated.exit_code == 0, stated.output
    assert "--all-creative" in stated.stdout
    with Warehouse(home, read_only=True) as wh:
        run = current_run(wh)
        assert run is not None and len(list_runs(wh)) == 1
        assert json.loads(run.params)["all_creative"] is True
    assert json.loads((tmp_path / "out" / "run.json").read_text())["params"]["all_creative"] is True
