"""``evidence --all --scheduler S --subsector film``: every pack built on the workers has the focus sub-sector,
as without ``--scheduler`` (``build_all``). The CLI used to refuse the combination ("--subsector is not sent to
Dask workers"), and ``build_packs_distributed`` had no way to pass it."""

from __future__ import annotations

import pytest

from creative_clusters.distributed.packs import build_packs_distributed
from creative_clusters.errors import ParameterError

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_the_focus_reaches_every_pack_built_on_the_workers(dask_client, full_home, tmp_path):
    run = build_packs_distributed(dask_client, places=["E08000019"], home=full_home, out=tmp_path,
                                  formats=("html",), subsectors=("film",))
    assert run.ok, run.failures
    [path] = run.paths
    assert "film" in path.name.lower()  # the same file name a focused single pack gets
    html = path.read_text(encoding="utf-8")
    title = html[html.index("<title>"):html.index("</title>")]
    assert title.endswith("Sheffield — Film, TV, video, radio and photography"), title


def test_a_misspelt_sub_sector_fails_before_any_task(dask_client, tmp_path):
    with pytest.raises(ParameterError):
        build_packs_distributed(dask_client, places=["E08000019"], out=tmp_path, subsectors=("flim-and-tv!",))
    assert not any(tmp_path.iterdir())
