"""Importing a kind no figure reads says so (``DatasetKind.unread``); workplace employment by local authority (BRES
from Nomis) was such a kind until round 20, when section 2 of the evidence pack came to read it
(``workflows.employment_lad``): its import no longer says that no figure reads it. Hand-made Nomis-layout
fixtures, no network."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from creative_clusters import kinds
from creative_clusters.cli import app
from creative_clusters.sources import _http
from tests.sources._helpers import PAGE1, PAGE2, refuse_network


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    refuse_network(monkeypatch)
    monkeypatch.setattr(_http, "default_sleep", lambda s: None)


def test_fetching_bres_by_lad_no_longer_says_no_figure_reads_it(tmp_path, monkeypatch):
    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(lambda r: httpx.Response(
        200, content=PAGE2 if r.url.params.get("RecordOffset") == "7" else PAGE1,
        headers={"content-type": "text/csv"})))
    res = CliRunner().invoke(app, ["data", "fetch", "bres", "-g", "lad", "--home", str(tmp_path / "home")])
    assert res.exit_code == 0, res.output
    err = " ".join(res.stderr.split())
    assert "No figure of this version reads" not in err


def test_no_kind_figures_read_says_it_is_unread():
    assert "read by no figure" not in kinds.KINDS[kinds.EMPLOYMENT_LAD].serves
    read = (kinds.CREATIVE_ENTERPRISES_SIC, kinds.CREATIVE_ENTERPRISES_SERIES, kinds.ACTIVE_ENTERPRISES,
            kinds.EMPLOYMENT_NUTS2, kinds.CENSUS_INDUSTRY, kinds.EMPLOYMENT_LAD)
    assert not [k for k in read if kinds.KINDS[k].unread]
