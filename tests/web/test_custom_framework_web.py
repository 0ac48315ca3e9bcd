"""The web app on a benchmark framework of the user's own (``serve --framework FILE``; real bundle).

The profiles' benchmark tables read the same framework as ``evidence --framework``; the profile index kept
under ``HOME/cache/web`` is kept per framework (a profile built on one is never served on another).
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from fastapi.testclient import TestClient

from creative_clusters.web.app import LOOPBACK_HOSTS, create_app

pytestmark = pytest.mark.realdata

CARDIFF = "W06000015"


def _own(path, drop: str) -> str:
    res = resources.files("creative_clusters.benchmarking").joinpath("frameworks", "growth_potential_v1.yaml")
    raw = yaml.safe_load(res.read_text("utf-8"))
    raw["title"], raw["version"] = "Our bid framework", "bid-1"
    for d in raw["dimensions"]:
        d["indicators"] = [i for i in d["indicators"] if i["id"] != drop]
    path.write_text(yaml.safe_dump(raw, sort_keys=False), "utf-8")
    return str(path)


def test_the_web_benchmarks_on_the_users_framework(full_home, tmp_path, client):
    own = _own(tmp_path / "ours.yaml", drop="birth_rate")
    app = create_app(full_home, allowed_hosts=list(LOOPBACK_HOSTS), precompute=False, watch=None, framework=own)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        ours = c.get(f"/api/places/{CARDIFF}/profile").json()
        version = app.state.service.current
        assert version.framework == own and version.index_file is not None
    labels = {b["label"] for b in ours["benchmark"]}
    assert "Business birth rate (%)" not in labels and "Business death rate (%)" in labels
    default = client.get(f"/api/places/{CARDIFF}/profile").json()
    assert "Business birth rate (%)" in {b["label"] for b in default["benchmark"]}
    # the profile index of a warehouse version is kept per framework
    assert version.index_file.name != app_index_name(full_home)


def app_index_name(home) -> str:
    """The index file name of the packaged framework's version of the same warehouse."""
    app = create_app(home, allowed_hosts=list(LOOPBACK_HOSTS), precompute=False, watch=None)
    return app.state.service.current.index_file.name
