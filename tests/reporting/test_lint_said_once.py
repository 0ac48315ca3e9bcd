"""The pack linter's said-once rule on small packs made by hand: a sentence of eight words or more said twice
anywhere in the body is flagged (also inside a paragraph, in a table note or caption, the summary or the methods);
the reference list, table cells and short sentences are not compared."""

from __future__ import annotations

from creative_clusters.reporting.lint import lint_html, lint_pack

RULE = ("The threshold rule flags a local authority whose creative business location quotient is at least 1.0. "
        "It rests on business counts only.")
SAID = "It rests on business counts only, so its list can differ from Nesta's."
CITE = "Nesta (2016) The Geography of Creativity in the UK. London: Nesta."


def _page(body: str) -> str:
    return (f"<!DOCTYPE html><html><head><title>T</title><style>p {{ color: red }}</style></head><body>"
            f"<header><h1>Pack</h1></header><nav><ol><li>Summary</li></ol></nav>{body}"
            "<footer><p>Generated from official statistics.</p></footer></body></html>")


def _table(note: str, caption: str = "Neighbouring local authorities", cell: str = "x") -> str:
    return (f'<div class="tbl"><table><caption>{caption}</caption><thead><tr><th scope="col">A</th></tr></thead>'
            f'<tbody><tr><td>{cell}</td></tr></tbody></table><p class="note">{note}</p></div>')


def test_a_sentence_repeated_in_a_table_note_is_caught():
    html = _page(f'<section id="s-summary"><p>Brighton is a cluster. {SAID}</p></section>'
                 f'<section id="s-connections">{_table("Rule: see section 9. " + SAID)}</section>')
    problems = lint_html(html)
    assert len(problems) == 1
    assert problems[0].startswith("repeated sentence: connections/p and summary/p:")
    assert "it rests on business counts only, so its list can differ" in problems[0]


def test_a_caption_and_a_methods_item_count_too():
    caption = "Creative enterprises by sub-sector in Brighton and Hove, 2025, rounded to 5"
    html = _page(f'<section id="s-scale">{_table("Source: UK Business Counts.", caption=caption)}</section>'
                 f'<section id="s-sources"><h3>Methods</h3><ul><li>Cluster detection: x. {RULE}</li></ul>'
                 f'<p>{caption}.</p></section>'
                 f'<section id="s-summary"><p>{RULE}</p></section>')
    problems = lint_html(html)
    assert [p.split(":")[1].strip() for p in problems] == ["sources/p and scale/caption",
                                                           "summary/p and sources/li"]


def test_a_repeated_citation_is_not_flagged():
    refs = f'<h3>References</h3><ol class="refs"><li>{CITE} <a href="https://x">x</a><br>' \
           f'<span class="note">A study. Why relevant: the rule.</span></li><li>{CITE} <span class="note">(y)</span>' \
           '<br><span class="note">Another. Why relevant: the rule.</span></li></ol>'
    html = _page(f'<section id="s-research"><p>Two studies follow.</p>{refs}</section>')
    assert lint_html(html) == []


def test_cells_headings_footer_and_short_sentences_may_repeat():
    long_cell = "No data for this indicator in this pack at all"
    html = _page('<section id="s-benchmark"><h2>4. Benchmark</h2>'
                 f'{_table("No data.", cell=long_cell)}{_table("No data.", cell=long_cell)}'
                 '<p>Generated from official statistics.</p></section>')
    assert lint_html(html) == []


def test_a_sentence_said_twice_in_one_paragraph_is_caught():
    html = _page(f'<section id="s-scale"><p>{SAID} Music is strong here. {SAID}</p></section>')
    assert len(lint_html(html)) == 1


def _ctx(**summary: object) -> dict:
    base = {"id": "summary", "title": "Summary", "sentences": [], "tables": [], "figures": [], "missing": []}
    return {"title": "T", "caveats": [], "sections": [{**base, **summary}]}


def test_the_context_check_compares_sentences_within_paragraphs_and_table_notes():
    # the old check compared whole sentence items only: this pack passed
    ctx = _ctx(sentences=[f"Brighton is a cluster. {SAID}"],
               tables=[{"title": "Neighbours", "notes": ["See section 9. " + SAID], "rows": [["a", "b"]]}])
    problems = lint_pack(ctx)
    assert [p.split(":")[:2] for p in problems] == [["repeated sentence", " summary/table-note and summary/sentence"]]


def test_the_context_check_reaches_the_methods_and_caveats_but_not_the_references():
    sources = {"id": "sources", "title": "Sources and methods", "sentences": [f"Cluster detection: x. {RULE}"],
               "methods": [f"Cluster detection: x. {RULE}"], "tables": [], "figures": [], "missing": [],
               "references": [{"citation": CITE, "summary": "A study.", "why": "the rule"},
                              {"citation": CITE, "summary": "Another.", "why": "the rule"}]}
    ctx = _ctx(sentences=[RULE])
    ctx["sections"].append(sources)
    assert [p.split(":")[1].strip() for p in lint_pack(ctx)] == ["sources/method and summary/sentence"]
    sources["methods"] = ["Cluster detection: defined once."]
    ctx["caveats"] = [SAID + " " + SAID]
    assert [p.split(":")[1].strip() for p in lint_pack(ctx)] == ["sources/caveat and sources/caveat"]
