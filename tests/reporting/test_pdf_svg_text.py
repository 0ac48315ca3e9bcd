"""The PDF draws a figure's SVG text as whole runs (render_pdf._install_whole_run_svg_text).

WeasyPrint 70 lays out and draws every letter of an SVG ``<text>`` on its own
(one text operator per letter, no kerning, a quarter of the pack's PDF time).
A run with one position is drawn once; per-glyph positions keep WeasyPrint's path.
"""

from __future__ import annotations

import re

import pytest

weasyprint = pytest.importorskip("weasyprint")

from creative_clusters.reporting.render_pdf import _install_whole_run_svg_text, render_pdf  # noqa: E402

pytestmark = pytest.mark.skipif(weasyprint.__version__.split(".")[0] != "70",
                                reason="the whole-run drawing is written against WeasyPrint 70")

LABEL = "Percentile (100 = best)"


def _svg(attrs: str, anchor: str = "start") -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="50pt" viewBox="0 0 200 50">'
            f"<text style=\"font-size: 9px; font-family: 'DejaVu Sans'; text-anchor: {anchor}\" {attrs}>"
            f"{LABEL}</text></svg>")


def _pdf(svg: str) -> str:
    assert _install_whole_run_svg_text()
    return weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf(
        uncompressed_pdf=True).decode("latin-1")


def _text_ops(pdf: str) -> int:
    return len(re.findall(r"\bTJ\b|\bTj\b", pdf))


def test_a_label_with_one_position_is_one_text_operation() -> None:
    assert _text_ops(_pdf(_svg('x="100" y="20" transform="rotate(-0 100 20)"'))) == 1


def test_per_glyph_positions_keep_weasyprint_s_letter_by_letter_path() -> None:
    letters = len(LABEL.replace(" ", ""))
    assert _text_ops(_pdf(_svg('x="10" y="20" dx="0 1 2"'))) >= letters - 1
    assert _text_ops(_pdf(_svg('x="10 20 30" y="20"'))) >= letters - 1


@pytest.mark.parametrize("anchor", ["start", "middle", "end"])
def test_the_run_starts_and_spans_where_the_letters_did(anchor: str) -> None:
    from weasyprint import svg as wsvg

    whole = _pdf(_svg('x="100" y="20"', anchor))
    patched = dict(wsvg.TAGS), wsvg.text
    try:  # WeasyPrint's own drawing, for comparison
        for tag, fn in wsvg.TAGS.items():
            if fn is wsvg.text:
                wsvg.TAGS[tag] = wsvg._cc_letter_by_letter
        wsvg.text = wsvg._cc_letter_by_letter
        page = "<html><body>" + _svg('x="100" y="20"', anchor) + "</body></html>"
        letters = weasyprint.HTML(string=page).write_pdf(uncompressed_pdf=True).decode("latin-1")
    finally:
        wsvg.TAGS.clear()
        wsvg.TAGS.update(patched[0])
        wsvg.text = patched[1]

    def box(pdf: str) -> list[float]:
        return [float(v) for v in re.search(r"/BBox \[([^\]]*)\]", pdf).group(1).split()]

    first = re.findall(r"([-\d.]+) ([-\d.]+) Tm", whole)[0]
    assert (float(first[0]), float(first[1])) == (100.0, 20.0)
    assert re.findall(r"([-\d.]+) ([-\d.]+) Tm", letters)[0] == first
    if anchor == "start":  # no group to shift: nothing more to compare
        return
    # a shifted run is drawn as a group whose box is the text's: same start, same width up to kerning
    a, b = box(whole), box(letters)
    assert a[0] == pytest.approx(b[0], abs=0.01) and a[1] == pytest.approx(b[1], abs=0.01)
    # the same width up to kerning (DejaVu Sans kerns a few pairs: under 1%)
    assert a[2] - a[0] == pytest.approx(b[2] - b[0], rel=0.01)


def test_render_pdf_installs_it() -> None:
    from weasyprint import svg as wsvg

    render_pdf(None, "<p>x</p>")
    assert wsvg.text is not wsvg._cc_letter_by_letter
