"""Firms too few or too spread for any microcluster: every method says none, it does not crash.

A user who asks for ``--min-firms 60`` on a file of 50 firms (or on firms
spread thinner than ``--eps``) gets empty results and zero stability arrays,
the same shape as a run that found clusters.
"""

from __future__ import annotations

import numpy as np
import pytest

from creative_clusters.microclusters.methods import METHODS, cluster_points


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("spread", ["few", "sparse"])
def test_no_microcluster_is_an_empty_result(method, spread):
    rng = np.random.default_rng(3)
    if spread == "few":  # 50 firms in one street, but 60 needed
        X, m = rng.normal(0, 20, (50, 2)), 60
    else:  # 40 firms 10 km apart, 5 needed within 1 km
        X, m = np.c_[np.arange(40) * 10_000.0, np.zeros(40)], 5
    lab = cluster_points(X, method=method, eps=1000, min_firms=m, stability_reps=5)
    assert len(lab.labels) == len(X)
    assert (lab.labels == -1).all()
    assert len(lab.ids) == 0
    assert (lab.top == "").all()


def test_cli_with_no_microcluster_writes_empty_outputs_and_says_so(tmp_path):
    from typer.testing import CliRunner

    from creative_clusters.cli import app

    rows = ["CompanyName,CompanyNumber,Postcode,CompanyStatus,SICCode.SicText_1,X,Y"]
    rows += [f"FIRM {i},{10000000 + i},S1 2AB,Active,59111 - Motion picture production activities,"
             f"{435000 + 10 * i},{387000 + 10 * i}" for i in range(50)]
    firms = tmp_path / "firms.csv"
    firms.write_text("\n".join(rows) + "\n")
    for method in ("dbscan", "split", "hdbscan"):
        out = tmp_path / f"out_{method}"
        res = CliRunner().invoke(app, ["microclusters", str(firms), "--out", str(out), "--min-firms", "60",
                                       "--method", method, "--no-load", "--home", str(tmp_path / "home")])
        assert res.exit_code == 0, res.output
        assert "0 microclusters" in res.output
        assert "0 of 50 creative firms clustered" in res.output
        assert (out / "microclusters.csv").read_text().count("\n") == 1  # the header only
