"""The figure worker (``reporting.figure_worker``) changes when a pack's figures are drawn, never what is drawn:
the same HTML and the same Word images as figures drawn in the caller, and anything the child cannot do is
done by the caller (arguments that do not pickle, a failing figure, a dead child)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from creative_clusters.reporting import figure_worker as FW
from creative_clusters.reporting.charts import lq_bar_figure

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the figure worker is forked")


def _media(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}


def test_pack_is_the_same_when_its_figures_are_drawn_by_the_worker(synthetic_home, tmp_path, monkeypatch) -> None:
    pytest.importorskip("weasyprint")
    from creative_clusters.workflows.evidence import build_pack

    handed: list[str] = []
    submit = FW.FigureWorker.submit

    def counting(self, fn, args, kwargs):
        handed.append(fn.__name__)
        return submit(self, fn, args, kwargs)

    monkeypatch.setattr(FW.FigureWorker, "submit", counting)
    # html + docx only: no PDF, so no worker; every figure is drawn here
    _, here = build_pack("Alphaville", home=synthetic_home, out=tmp_path / "here", formats=("html", "docx"),
                         build_date="2026-01-01")
    assert handed == []
    _, there = build_pack("Alphaville", home=synthetic_home, out=tmp_path / "worker",
                          formats=("html", "pdf", "docx"), build_date="2026-01-01")
    assert len(handed) >= 3  # the LQ bars, the map and the trends at least went to the worker
    assert FW._ACTIVE is None  # closed with the pack
    html_here = next(p for p in here if p.suffix == ".html").read_text(encoding="utf-8")
    html_there = next(p for p in there if p.suffix == ".html").read_text(encoding="utf-8")
    assert html_there.count("<svg") == html_here.count("<svg") >= 3
    assert html_there == html_here
    media_here = _media(next(p for p in here if p.suffix == ".docx"))
    media_there = _media(next(p for p in there if p.suffix == ".docx"))
    assert len(media_here) >= 3 and media_there == media_here


def _bars(**kw):
    return lq_bar_figure(["Film", "Music"], [1.4, 0.7], [1.1, 0.5], [1.8, 0.9], place="Alphaville", **kw)


def test_a_placeholder_is_filled_with_the_figure_the_caller_would_have_drawn() -> None:
    here = _bars(png="defer")
    with FW.FigureWorker() as w:
        assert FW._ACTIVE is w
        there = _bars(png="defer")
        assert there["svg"] == ""  # handed over: a placeholder until collected
        w.collect()
        assert there["svg"] == here["svg"] and there["alt"] == here["alt"] and there["title"] == here["title"]
        assert there["png_base64"] == ""
        w.collect_pngs()
    from creative_clusters.reporting.figure_render import png_of

    assert there["png_base64"] == png_of(here.pop("_fig"))
    assert FW._ACTIVE is None


def test_text_only_figures_are_never_handed_over() -> None:
    with FW.FigureWorker():
        fig = _bars(png="text")
        assert fig["svg"] == "" and fig["alt"].startswith("Bar chart")  # made here, at once


def test_arguments_that_do_not_pickle_are_drawn_by_the_caller() -> None:
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import box

    from creative_clusters.reporting.maps import place_map_figure

    areas = gpd.GeoDataFrame({"geo_code": ["A1", "B1"], "geo_name": ["Alphaville", "Betatown"],
                              "LQ": [1.3, float("nan")]},
                             geometry=[box(0, 0, 1e4, 1e4), box(1e4, 0, 2e4, 1e4)], crs="EPSG:27700")
    with FW.FigureWorker() as w:
        fig = place_map_figure(areas, ["A1"], place="Alphaville", value_col="LQ", neighbour_codes=["B1"],
                               no_value=lambda codes: f"no value: {len(codes)} not published", png=False)
        assert fig["svg"].startswith("<svg")  # a lambda does not pickle: drawn here, not a placeholder
        assert "1 not published" in fig["alt"]
        w.collect()


def test_a_figure_that_fails_in_the_child_raises_its_real_error_in_the_caller() -> None:
    with FW.FigureWorker() as w:
        lq_bar_figure(["Film"], [1.4, 0.7], [1.1], [1.8], place="Alphaville", png=False)  # lengths differ
        with pytest.raises(ValueError, match="zip"):
            w.collect()


def test_a_dead_worker_leaves_the_figures_to_the_caller() -> None:
    here = _bars(png=False)
    w = FW.FigureWorker()
    assert w.start()
    try:
        w._process.kill()
        w._process.join()
        fig = _bars(png=False)
        w.collect()
        assert fig["svg"] == here["svg"]
    finally:
        w.close()


def test_the_packs_numbers_are_worked_out_without_importing_matplotlib() -> None:
    """matplotlib (about 0.07 s to import) is for whoever draws the figures: the worker, when it runs."""
    code = ("import sys; import creative_clusters.workflows.evidence, creative_clusters.reporting.context, "
            "creative_clusters.reporting.render_html; "
            "print(sorted(m for m in sys.modules if m.startswith('matplotlib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert out.stdout.strip() == "[]"


def test_lq_colours_written_out_are_the_scale_colours() -> None:
    from creative_clusters.reporting import figure_style

    assert figure_style._lq_scale_colour(0.8) == figure_style.LQ_ABOVE
    assert figure_style._lq_scale_colour(0.2) == figure_style.LQ_BELOW
    assert not math.isclose(int(figure_style.LQ_ABOVE[1:], 16), int(figure_style.LQ_BELOW[1:], 16))
