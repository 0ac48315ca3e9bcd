"""A group's business-demography table says how its rates were obtained, as the statistics layer did it.

Was: the note under the table said "rates are means weighted by active enterprises (exact for birth and death
rates, approximate for the others)" after survival rates came to be weighted by the births of each cohort's
start year, which is exact (the 22 Welsh councils give ONS's published Wales rate).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.realdata


def test_the_note_under_a_groups_demography_table_is_the_statistics_layers_method(full_home):
    from creative_clusters.reporting.context import build_context
    from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
    from creative_clusters.workflows.evidence_stats import DEMOGRAPHY_GROUP_METHOD
    from creative_clusters.workflows.pack_data import load_national

    nd = load_national(full_home)
    pl = resolve_evidence_place(nd, "cauth:North East")
    ctx = build_context(gather_inputs(nd, pl, png=False))
    growth = next(s for s in ctx["sections"] if s["id"] == "growth")
    table = next(t for t in growth["tables"] if t["title"].startswith("Business demography"))
    note = next(n for n in table["notes"] if n.startswith("Not published for this area"))
    assert DEMOGRAPHY_GROUP_METHOD in note
    assert "births of the cohort's start year" in note
    assert "weighted by active enterprises (exact" not in note
