"""Section 5 "Workforce, inclusion and good work" shows the inclusion workflow's results (review 1, item 9).

Each test failed before the fix: the section had no deprivation-decile, job-quality or workforce-composition
table and said nothing of what it could not show. Expected values come from the ``inclusion`` command's own
workflow (:func:`creative_clusters.workflows.inclusion_report.inclusion_report`) on the real bundle.
"""

from __future__ import annotations

import pytest

from creative_clusters.reporting._layout import format_cell
from creative_clusters.reporting.lint import lint_pack
from creative_clusters.workflows.inclusion_report import inclusion_report
from creative_clusters.workflows.places import resolve_place
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata



@pytest.fixture(scope="module")
def brighton(nd):
    return pack_context(nd, "Brighton and Hove")


@pytest.fixture(scope="module")
def brighton_report(full_home):
    from creative_clusters.warehouse import Warehouse

    with Warehouse(full_home, read_only=True) as wh:
        return inclusion_report(wh, resolve_place(wh, "Brighton and Hove"))


def _table(sec, starts: str):
    hits = [t for t in sec["tables"] if t["title"].startswith(starts)]
    assert len(hits) == 1, [t["title"] for t in sec["tables"]]
    return hits[0]


def test_the_decile_table_marks_the_places_decile_as_the_workflow_does(brighton, brighton_report):
    sec = section(brighton, "workforce")
    t = _table(sec, "Deprivation deciles: creative enterprises per 1,000 active enterprises")
    dd = brighton_report["creative_by_deprivation_decile"]
    (mine,) = dd["place_deciles"]
    marked = [r for r in t["rows"] if r[-1]]
    assert [r[0] for r in marked] == [mine["decile"]] and marked[0][-1] == "Brighton and Hove"
    assert [(r[0], r[1], r[2]) for r in t["rows"]] == [(r["decile"], r["lads"], r["rate"]) for r in dd["rows"]]
    assert dd["index"] in t["title"]
    assert any(f"is in decile {mine['decile']} of English local authorities" in s for s in sec["sentences"])
    assert lint_pack(brighton) == []


def test_job_quality_equals_the_workflow_and_is_captioned_uk_excluding_london(brighton, brighton_report):
    t = _table(section(brighton, "workforce"), "Job quality, creative industries against all industries")
    assert "UK excluding London" in t["title"] and "not Brighton and Hove" in t["title"]
    assert any("not figures for Brighton and Hove" in n for n in t["notes"])
    area = brighton_report["job_quality_area"]["code"]
    want = {r["label"]: r for r in brighton_report["job_quality"]["rows"]
            if r["geo_code"] == area and r["industry_scheme"] == "DCMS_CI" and r["industry_code"] == "_T"}
    got = {r[0]: r for r in t["rows"]}
    assert set(got) == set(want) and len(got) == 6
    for label, r in got.items():
        assert r[1] == pytest.approx(want[label]["share_pct"], abs=0.005)
        assert r[2] == pytest.approx(want[label]["all_industries_pct"], abs=0.005)
        assert r[3] == pytest.approx(want[label]["vs_all_industries_pp"], abs=0.005)


def test_a_suppressed_composition_cell_shows_no_number_and_keeps_its_flag(brighton, brighton_report):
    sec = section(brighton, "workforce")
    t = _table(sec, "Workforce composition, creative industries (excluding IT)")
    assert "UK excluding London" in t["title"]
    suppressed = {r["label"][:1].upper() + r["label"][1:] for r in brighton_report["workforce_composition"]["rows"]
                  if r["geo_code"] == brighton_report["job_quality_area"]["code"] and r["share_pct"] is None}
    assert suppressed  # e.g. ethnicity: bangladeshi, pakistani
    rows = [r for r in t["rows"] if r[0] in suppressed]
    assert len(rows) == len(suppressed)
    for r in rows:
        assert r[1] is None and r[3] is None and format_cell(r[1], "pct") == "–"
        assert r[4].startswith("suppressed")
    # low-reliability rows keep their flag, and the sentence quotes no flagged row
    flagged = [r[0] for r in t["rows"] if not r[4].startswith("as published")]
    assert any(r[4].startswith("low reliability") for r in t["rows"])
    text = " ".join(s for s in sec["sentences"] if s.startswith("Workforce:"))
    assert "self-employed (42.9% of creative jobs, +29.1 percentage points)" in text
    assert "sector-wide benchmarks for the UK excluding London, not Brighton and Hove's own" in text
    assert not [f for f in flagged if f"{f.lower()} (" in text.lower()]


@pytest.mark.parametrize("query", ["Glasgow City", "Belfast"])
def test_a_place_outside_england_says_plainly_what_is_absent(nd, query):
    sec = section(pack_context(nd, query), "workforce")
    assert not [t for t in sec["tables"] if "deprivation decile" in t["title"].lower()]
    missing = " ".join(sec["missing"])
    assert f"Creative activity by deprivation decile is not shown for {query}: the deciles rank English" in missing
    for topic in (f"the diversity of {query}'s own creative workforce", "the environmental sustainability",
                  "co-investment", f"whether {query} already hosts a cluster funded in round 1"):
        assert f"This pack cannot show {topic}" in missing, topic
    assert "`" not in missing.split("This pack cannot show", 1)[1]  # no tool commands in the note
    jq = _table(sec, "Job quality, creative industries against all industries")
    assert "UK excluding London" in jq["title"] and f"not {query}" in jq["title"]


def test_a_london_borough_gets_londons_benchmarks(nd):
    sec = section(pack_context(nd, "Camden"), "workforce")
    t = _table(sec, "Job quality, creative industries against all industries")
    assert ", London (sector-wide, not Camden)" in t["title"]
    assert any(s.startswith("Good work: across London in ") for s in sec["sentences"])
    assert any(n.startswith("Sector-wide figures for London,") for n in t["notes"])
    # employees and self-employed differ by the same points: the sentence quotes self-employment
    assert any(s.startswith("Workforce: across London in ") and "are for self-employed (" in s
               and "benchmarks for London, not Camden's own" in s for s in sec["sentences"])
