"""Evidence packs on the two-process LocalCluster: packs written, failures collected and reported."""

from __future__ import annotations

import json

import pytest

from creative_clusters.distributed.packs import build_packs_distributed
from creative_clusters.errors import ParameterError

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


@pytest.mark.parametrize("national_from", ["client", "workers"])
def test_packs_on_workers_and_a_failure_is_reported(dask_client, full_home, tmp_path, national_from):
    run = build_packs_distributed(dask_client, places=["E08000019", "NOT-A-PLACE"], home=full_home,
                                  out=tmp_path, formats=("html",), national_from=national_from)
    assert [p.name for p in run.paths] == ["Sheffield_E08000019.html"]
    assert "Sheffield" in (tmp_path / "Sheffield_E08000019.html").read_text(encoding="utf-8")
    assert not run.ok and [f.place for f in run.failures] == ["NOT-A-PLACE"]
    assert run.failures[0].error.startswith("PlaceNotFoundError") and "NOT-A-PLACE" in run.failures[0].error
    assert "Traceback" in run.failures[0].traceback and run.failures[0].worker
    # the report on disk says the same
    on_disk = json.loads((tmp_path / "failures.json").read_text())
    assert [f["place"] for f in on_disk] == ["NOT-A-PLACE"]
    assert {r["place"]: r["ok"] for r in run.records} == {"E08000019": True, "NOT-A-PLACE": False}


def test_bad_options_fail_before_any_work(dask_client, tmp_path):
    with pytest.raises(ParameterError, match="formats must be some of"):
        build_packs_distributed(dask_client, places=["E08000019"], out=tmp_path, formats=("pptx",))
    with pytest.raises(ParameterError, match="national_from"):
        build_packs_distributed(dask_client, places=["E08000019"], out=tmp_path, national_from="nowhere")
