"""Importing workplace employment by local authority (BRES from Nomis) says that no figure of this version reads
it, and why; `data status` says the same of the kind. The command gave no word, so a user who followed
`data fetch bres -g lad` waited for figures that never changed. Hand-made Nomis-layout fixtures, no network."""

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


def test_fetching_bres_by_lad_says_no_figure_reads_it(tmp_path, monkeypatch):
    monkeypatch.setattr(_http, "default_transport", httpx.MockTransport(lambda r: httpx.Response(
        200, content=PAGE2 if r.url.params.get("RecordOffset") == "7" else PAGE1,
        headers={"content-type": "text/csv"})))
    res = CliRunner().invoke(app, ["data", "fetch", "bres", "-g", "lad", "--home", str(tmp_path / "home")])
    assert res.exit_code == 0, res.output
    err = " ".join(res.stderr.split())
    assert "Note: No figure of this version reads workplace employment by local authority" in err
    assert "bres_nuts2" in err  # where employment LQs and shift-share do come from


def test_only_the_unread_kind_says_so():
    assert kinds.KINDS[kinds.EMPLOYMENT_LAD].unread
    assert "read by no figure" in kinds.KINDS[kinds.EMPLOYMENT_LAD].serves
    read = (kinds.CREATIVE_ENTERPRISES_SIC, kinds.CREATIVE_ENTERPRISES_SERIES, kinds.ACTIVE_ENTERPRISES,
            kinds.EMPLOYMENT_NUTS2, kinds.CENSUS_INDUSTRY)
    assert not [k for k in read if kinds.KINDS[k].unread]
