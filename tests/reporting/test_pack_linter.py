"""The pack linter over every UK LAD, combined authority, region and English TTWA (real bundle).

One process, national tables read once, the context's text only (figures give their titles and
alt text without drawing): a pack that shows ``nan``, ``None``, an internal code, "0 higher-education",
"1 of them", a wrong plural, a sentence twice (a sentence of eight words or more anywhere in the body, the
rendered HTML's too) or an unbalanced bracket fails here.
"""

from __future__ import annotations

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.reporting.lint import lint_html, lint_pack
from creative_clusters.reporting.render_html import render_html
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata


def test_every_pack_is_clean(full_home):
    nd = E.load_national(full_home)
    codes = E.lint_codes(nd)
    assert len(codes["lad"]) == 361 and len(codes["ttwa"]) >= 100 and len(codes["cauth"]) >= 10
    problems: list[str] = []
    for level, level_codes in codes.items():
        for code in level_codes:
            pl = E.resolve_evidence_place(nd, code)
            ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))
            problems += [f"{level} {code}: {p}" for p in lint_pack(ctx) + lint_html(render_html(ctx))]
    assert not problems, f"{len(problems)} problem(s), e.g.:\n" + "\n".join(problems[:40])


#: Packs the audit found saying a sentence twice (the threshold rule's definition in the summary, section 7 and
#: the methods; a focus activity's caveat as a sentence and a table note; the devolved series' caveat in
#: sections 2 and 3), with a user's group.
SAID_TWICE = [("Brighton and Hove", ("music",)), ("Guildford", ("games",)), ("ttwa:Cambridge", ("games",)),
              ("Dundee City", ()), ("Derry City and Strabane", ()), ("Swansea", ("publishing",)),
              ("Middlesbrough", ()), ("West Yorkshire", ()), ("Cornwall", ("crafts",)),
              ("Sheffield,Rotherham", ())]


@pytest.mark.parametrize(("query", "subsectors"), SAID_TWICE)
def test_each_sentence_is_said_once(nd, query, subsectors):
    group = query.split(",") if "," in query else None
    pl = E.resolve_evidence_place(nd, None if group else query, name="Sheffield and Rotherham" if group else None,
                                  places=group)
    ctx = build_context(E.gather_inputs(nd, pl, subsectors=subsectors, png=TEXT_ONLY,
                                        workforce=E._workforce(nd, pl)))
    assert lint_pack(ctx) == []
    assert lint_html(render_html(ctx)) == []
    # said once, not dropped: the methods define the threshold rule, a focus activity keeps its caveat
    sources = next(s for s in ctx["sections"] if s["id"] == "sources")
    summary = " ".join(ctx["sections"][0]["sentences"])
    if "In brief, the threshold rule" in summary:
        assert sum("rests on business counts only" in m for m in sources["methods"]) == 1
    if subsectors == ("games",):
        scale = next(s for s in ctx["sections"] if s["id"] == "scale")
        assert sum("Most games development studios" in n for t in scale["tables"] for n in t["notes"]) == 1
