"""The pack's figure path made faster without changing a byte of its output (issue 12 benchmark).

- ids and metadata of each figure's SVG are rewritten by literal-prefix scans: the same text as the
  regular expressions they replace (``\\bid=``, ``\\s*<metadata>``), on real figures and on edge cases;
- figures are made outside pyplot (no registry), and a pack read from the national cache does not
  import numba.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from creative_clusters.reporting import charts, figure_render, maps


def _unique_ids_reference(svg: str) -> str:
    """The regular-expression version the pack used before (kept here as the specification)."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if not ids:
        return svg
    prefix = "f" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:8] + "-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)",
                 lambda m: f"url(#{prefix}{m.group(1)})" if m.group(1) in ids else m.group(0), svg)
    return re.sub(r'((?:xlink:)?href)="#([^"]+)"',
                  lambda m: f'{m.group(1)}="#{prefix}{m.group(2)}"' if m.group(2) in ids else m.group(0), svg)


def _drop_metadata_reference(svg: str) -> str:
    return re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)


def _raw_svgs() -> list[str]:
    """matplotlib's SVG of each kind of pack figure (before the pack rewrites it)."""
    out: list[str] = []
    keep = figure_render._render

    def grab(fig, title, alt, png):
        out.append(figure_render._tight_svg(fig))
        return keep(fig, title, alt, png)

    charts._render = maps._render = grab  # type: ignore[assignment]
    try:
        charts.lq_bar_figure(["Film", "Music", "IT"], [1.3, 0.6, 1.0], [1.1, 0.4, 0.8], [1.5, 0.8, 1.2],
                              place="Alphaville", png=False)
        charts.trend_figure(["2010", "2011", "2012"], {"Alphaville": [10, 12, 15], "England": [100, 101, 103]},
                             what="Creative enterprises", place="Alphaville", png=False)
        table = pd.DataFrame({"label": ["Business birth rate (%)", "GVA per hour"], "status": ["ok", "gap"],
                              "pct_all": [70.0, np.nan], "pct_peers": [40.0, np.nan]})
        charts.percentile_figure(table, place="Alphaville", png=False)
        g = gpd.GeoDataFrame({"geo_code": ["A", "B", "C"], "geo_name": ["Ay", "Bee", "Cee"],
                              "Creative business LQ": [1.4, 0.7, np.nan]},
                             geometry=[box(0, 0, 9000, 9000), box(9000, 0, 18000, 9000), box(0, 9000, 9000, 18000)],
                             crs="EPSG:27700")
        maps.place_map_figure(g, ["A"], place="Ay", value_col="Creative business LQ", png=False, source="ONS.")
    finally:
        charts._render = maps._render = keep  # type: ignore[assignment]
    return out


EDGE_CASES = [
    "",
    "<svg/>",
    'id="a"',
    '<g xid="a" id="b"/><use href="#b"/><use xlink:href="#a"/>',  # "xid" is no id: its reference kept
    '<g xid="a id="b"/><use href="#b"/>',  # a candidate that is not one must not swallow the next
    '<g data-id="c" id=""/><path clip-path="url(#c)"/><a href="#zz"/>',
    '<g _id="u" éid="v" 1id="w" -id="x"/><use href="#x"/><use href="#u"/>',  # \\b: Unicode word characters
    '<svg>\n  <metadata>\n<rdf/></metadata>\n <g id="k"/>\t<metadata>y</metadata><metadata></metadata></svg>',
    "<svg>\u00a0\u2003<metadata>x</metadata></svg>",  # Unicode whitespace, as \\s
    "<metadata>unclosed",
]


@pytest.mark.parametrize("svg", EDGE_CASES)
def test_rewrites_match_the_regular_expressions_on_edge_cases(svg: str) -> None:
    assert figure_render._drop_metadata(svg) == _drop_metadata_reference(svg)
    assert figure_render._unique_ids(svg) == _unique_ids_reference(svg)


def test_rewrites_match_the_regular_expressions_on_pack_figures() -> None:
    raws = _raw_svgs()
    assert len(raws) == 4
    for raw in raws:
        svg = _drop_metadata_reference(raw)
        assert "<metadata>" in raw and figure_render._drop_metadata(raw) == svg
        ours = figure_render._unique_ids(svg)
        assert ours == _unique_ids_reference(svg)
        assert ours != svg  # the figures have ids to rewrite


def test_figures_are_not_pyplots_and_no_pyplot_is_imported() -> None:
    code = (
        "import sys\n"
        "from creative_clusters.reporting import charts\n"
        "f = charts.lq_bar_figure(['Film'], [1.2], [1.0], [1.4], place='A', png='defer')\n"
        "assert f['svg'] and f['_fig'] is not None\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False"


def test_evidence_workflow_does_not_import_numba() -> None:
    """numba (the microcluster detector's) is loaded only when microclusters are read from the warehouse."""
    code = ("import sys\nimport creative_clusters.workflows.evidence\nimport creative_clusters.workflows.pack_data\n"
            "print(sorted(m for m in ('numba', 'creative_clusters.microclusters') if m in sys.modules))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"


def test_national_cache_key_is_the_key_of_the_two_rglob_passes(tmp_path: Path) -> None:
    """The cache key's walk of the package lists the same files, in the same order, with the same sizes
    and times as the ``rglob`` passes it replaced (so caches written before stay valid)."""
    from creative_clusters.workflows import pack_data

    for rel in ("a.py", "a-b/c.py", "a/b.py", "a/b/rules.yaml", "a/b/notes.txt", "z/.hidden.py", "_x.yaml"):
        f = tmp_path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(rel * 3)
    for pkg in (tmp_path, Path(pack_data.__file__).resolve().parents[1]):
        ref = []
        for f in sorted([*pkg.rglob("*.py"), *pkg.rglob("*.yaml")]):
            st = f.stat()
            ref.append((str(f.relative_to(pkg)), st.st_size, st.st_mtime_ns))
        ours = [("/".join(p), size, mtime) for p, size, mtime in pack_data._package_sources(pkg)]
        assert ours == ref and len(ref) > 5


def test_text_sizes_shared_across_figures_give_the_same_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text measured for one figure serves the next (reporting._text_metrics): every figure byte for byte
    as with matplotlib's per-renderer cache alone, with the shared cache empty and full, and the cache is
    used (a second drawing measures nothing new)."""
    import matplotlib.text as mtext

    from creative_clusters.reporting import _text_metrics

    assert _text_metrics.install()
    monkeypatch.setattr(mtext.Text, "_get_layout", _text_metrics._state["own_layout"])  # every text measured
    sizes = _text_metrics._state["sizes"]
    sizes.clear()
    first = _raw_svgs()  # an empty shared cache
    n = len(sizes)
    assert n > 10
    assert any(k[0][0].__name__ == "MixedModeRenderer" for k in sizes)  # the SVG's draw measures through it
    again = _raw_svgs()  # every size from the shared cache
    assert len(sizes) == n
    monkeypatch.setattr(mtext, "_get_text_metrics_with_cache", _text_metrics._state["own"])
    plain = _raw_svgs()  # matplotlib's own cache only
    assert first == again == plain


def test_text_layouts_shared_across_figures_give_the_same_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text laid out for one figure serves the next (reporting._text_metrics, ``Text._get_layout``): every
    figure byte for byte as with matplotlib's own layout, with the shared layouts empty and full, and they are
    used (a second drawing lays out nothing new)."""
    import matplotlib.text as mtext

    from creative_clusters.reporting import _text_metrics

    assert _text_metrics.install()
    layouts = _text_metrics._state["layouts"]
    layouts.clear()
    first = _raw_svgs()
    n = len(layouts)
    assert n > 10
    # the SVG's own draw shares them too (savefig draws through a MixedModeRenderer holding the SVG renderer)
    assert any(k[0][0].__name__ == "MixedModeRenderer" and k[0][2].__name__ == "RendererSVG" for k in layouts)
    again = _raw_svgs()
    assert len(layouts) == n
    monkeypatch.setattr(mtext.Text, "_get_layout", _text_metrics._state["own_layout"])
    plain = _raw_svgs()
    assert first == again == plain
    # a layout handed out is a copy: moving its box leaves the shared one as it was
    monkeypatch.undo()
    fig, _ = figure_render._new_figure((2, 1))
    t = fig.text(0, 0, "Alphaville")
    r = fig.canvas.get_renderer()
    box = t._get_layout(r)[0]
    box.x0 += 5
    assert t._get_layout(r)[0].x0 == box.x0 - 5
