"""The pack's one-draw tight SVG is matplotlib's tight SVG, cropped by viewBox instead of redrawn."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from creative_clusters.reporting import figure_render, figure_style


def _figure(long_labels: bool):
    with plt.rc_context(figure_style._RC):
        fig, ax = plt.subplots(figsize=(6, 4))
        y = np.arange(6)
        ax.scatter(np.linspace(5, 95, 6), y, label="All places")
        labels = [("An indicator with a label far longer than the axes leave room for " if long_labels else "")
                  + f"row {i}" for i in y]
        ax.set_yticks(y, labels)
        ax.set_xlabel("Percentile (100 = best)")
        ax.set_title("A title", y=1.0)
        ax.legend(frameon=False, loc="lower right")
        fig.text(0.01, 0.01, "Source: a source line", fontsize=6.5)
    return fig


def _svg_box(svg: str) -> tuple[float, float, float, float]:
    m = re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt" viewBox="([-\d.]+) ([-\d.]+) [\d.]+ [\d.]+"', svg)
    assert m, svg[:300]
    return float(m[1]), float(m[2]), float(m[3]), float(m[4])


def _text_positions(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r'<text[^>]*?x="([-\d.]+)"[^>]*?y="([-\d.]+)"', svg)]


@pytest.mark.parametrize("long_labels", [False, True], ids=["inside-figure", "labels-beyond-left-edge"])
def test_one_draw_svg_matches_matplotlib_tight(long_labels: bool) -> None:
    with plt.rc_context(figure_style._RC):
        ref = io.StringIO()
        _figure(long_labels).savefig(ref, format="svg", bbox_inches="tight", metadata={"Date": None})
        fig = _figure(long_labels)
        ours = figure_render._tight_svg(fig)
    plt.close("all")
    rw, rh, rx, ry = _svg_box(ref.getvalue())
    w, h, x0, y0 = _svg_box(ours)
    assert (rx, ry) == (0.0, 0.0)  # matplotlib moves the drawing to the box; we move the view instead
    assert w == pytest.approx(rw, abs=1e-3) and h == pytest.approx(rh, abs=1e-3)
    if long_labels:
        assert x0 < 0  # the labels reach past the figure's left edge: the view must include them
    ref_pos, our_pos = _text_positions(ref.getvalue()), _text_positions(ours)
    assert len(ref_pos) == len(our_pos) > 5
    for (a, b), (c, d) in zip(ref_pos, our_pos, strict=True):
        assert c - x0 == pytest.approx(a, abs=1e-3) and d - y0 == pytest.approx(b, abs=1e-3)
    # the PNG is cropped to the same box (kept on the figure), not measured again
    assert fig._cc_bbox.width * 72 == pytest.approx(w, abs=1e-3)


def test_png_keeps_everything_agg_draws() -> None:
    """The PNG (cropped to the SVG's box plus padding) holds all of matplotlib's tight PNG.

    Agg's hinted text is slightly wider than the SVG measure; the PNG's box must
    still contain the box Agg itself would crop to, so no label is clipped.
    """
    import base64

    from PIL import Image

    with plt.rc_context(figure_style._RC):
        ref = io.BytesIO()
        _figure(True).savefig(ref, format="png", dpi=150, bbox_inches="tight")
        fig = _figure(True)
        figure_render._tight_svg(fig)
        ours = Image.open(io.BytesIO(base64.b64decode(figure_render._png(fig))))
    plt.close("all")
    theirs = Image.open(ref)
    assert ours.size[0] >= theirs.size[0] and ours.size[1] >= theirs.size[1]
    assert ours.size[0] <= theirs.size[0] + 2 * 15 + 1  # at most one extra padding (0.1 in at 150 dpi) a side
