"""Sentence functions: numbers in, text out (hand-written expectations)."""

from __future__ import annotations

import doctest
import math

import pytest

from creative_clusters.reporting import (
    charts,
    figure_style,
    formatting,
    sentences_benchmark,
    sentences_clusters,
    sentences_growth,
    sentences_people,
    sentences_scale,
    sentences_summary,
)
from creative_clusters.reporting.formatting import fmt_int, ordinal
from creative_clusters.reporting.sentences_benchmark import gaps_sentence, percentile_sentence
from creative_clusters.reporting.sentences_growth import growth_sentence
from creative_clusters.reporting.sentences_people import anchors_sentence, census_sentence
from creative_clusters.reporting.sentences_scale import enterprises_sentence, lq_sentence


@pytest.mark.parametrize("module", [formatting, sentences_benchmark, sentences_clusters, sentences_growth,
                                    sentences_people, sentences_scale, sentences_summary])
def test_docstring_examples(module):
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)  # as pyproject.toml
    assert res.failed == 0 and res.attempted > 0


def test_formatting_and_ordinals():
    assert fmt_int(2859535.0) == "2,859,535"
    assert fmt_int(float("nan")) == "–"
    assert [ordinal(n) for n in (111, 112, 113, 122)] == ["111th", "112th", "113th", "122nd"]


def test_lq_sentence_wording_depends_on_numbers():
    hi = lq_sentence("Place", 2.5, 2.1, 2.9)
    assert "2.50 times as concentrated in Place as in England" in hi and "2.10 to 2.90" in hi
    lo = lq_sentence("Place", 0.5, 0.4, 0.6)
    assert "less concentrated than the England average" in lo
    unsure = lq_sentence("Place", 0.9, 0.7, 1.1)  # interval spans 1: no "less concentrated" claim
    assert "less concentrated" not in unsure
    assert lq_sentence("Place", float("nan")) == ""


def test_growth_sentence_directions():
    assert "fell by 20.0%" in growth_sentence("P", "Active enterprises", "2019", "2024", 100, 80, growth_pct=-20.0)
    assert "were unchanged" in growth_sentence("P", "Active enterprises", "2019", "2024", 100, 100, growth_pct=0.0)
    assert growth_sentence("P", "x", "a", "b", None, 3, growth_pct=None) == ""


def test_missing_numbers_give_empty_sentences():
    assert enterprises_sentence("P", None, 1.0, period="March 2025") == ""
    assert census_sentence("P", math.nan, 1.0, 1.0) == ""
    assert percentile_sentence("P", "X", float("nan"), 10) == ""
    assert anchors_sentence("P", None, None) == ""
    assert gaps_sentence([]) == ""
    assert gaps_sentence(["A"]) == "1 indicator has no data yet and is shown as a gap, not scored: A."


def test_figures_are_accessible_and_deterministic():
    a = charts.lq_bar_figure(["Publishing", "Crafts"], [1.5, 0.5], [1.2, 0.3], [1.8, 0.8], place="P", png=True)
    b = charts.lq_bar_figure(["Publishing", "Crafts"], [1.5, 0.5], [1.2, 0.3], [1.8, 0.8], place="P", png=True)
    assert a == b
    assert a["title"] and "Publishing: 1.50" in a["alt"]
    assert 'aria-label="' in a["svg"] and "Location quotient (England = 1)" in a["svg"]
    assert figure_style.LQ_ABOVE in a["svg"].lower()  # the LQ map's orange: Publishing's interval lies above 1
    assert a["png_base64"].startswith("iVBOR")


def test_sheet_names_cut_on_word_boundaries_and_stay_unique():
    from creative_clusters.reporting.render_xlsx import sheet_name

    titles = ["4.1 Growth-potential benchmark: percentiles against all places and peers",
              "4.2 Growth-potential benchmark: percentiles against all places and peers",
              "2.1 Creative enterprises and location quotients by DCMS sub-sector, Kingston upon Hull",
              "Supercalifragilisticexpialidocious-and-more-words-without-spaces"]
    used: set[str] = set()
    names = [sheet_name(t, used) for t in titles]
    assert len({n.lower() for n in names}) == len(names)
    for t, n in zip(titles, names, strict=False):
        assert len(n) <= 31 and not set("[]:*?/\\") & set(n)
        clean = t.replace(":", "")
        if " " in clean[:31]:
            # every kept word is a whole word of the title (no mid-word cut)
            assert all(w in clean.split(" ") for w in n.split(" ")), n
    assert names[0].startswith("4.1 ") and names[1].startswith("4.2 ")
    assert names[2] == "2.1 Creative enterprises"            # dangling "and" dropped
