"""The pack linter over every UK LAD, combined authority, region and English TTWA (real bundle).

One process, national tables read once, the context's text only (figures give their titles and
alt text without drawing): a pack that shows ``nan``, ``None``, an internal code, "0 higher-education",
"1 of them", a wrong plural, a sentence twice or an unbalanced bracket fails here.
"""

from __future__ import annotations

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.reporting.lint import lint_pack
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
            problems += [f"{level} {code}: {p}" for p in lint_pack(ctx)]
    assert not problems, f"{len(problems)} problem(s), e.g.:\n" + "\n".join(problems[:40])
