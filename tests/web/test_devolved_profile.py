"""The web profile of a LAD outside England says what the pack says (real bundle)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def cardiff(client):
    return client.get("/api/places/W06000015/profile").json()


def test_gap_notes_are_the_packs_not_source_not_imported(cardiff, web_app):
    """M9: the web said "No data for this indicator: its source was not imported." for Cardiff's creative
    counts, LQ, arts engagement and England's deprivation index, while the pack's section 4 said why (their data
    do not reach Wales). Both now read the notes nation_percentiles writes."""
    from creative_clusters.reporting.context import build_context
    from creative_clusters.reporting.figure_render import TEXT_ONLY
    from creative_clusters.workflows import evidence as E

    rows = {b["label"]: b for b in cardiff["benchmark"]}
    for label in ("Adults engaged with the arts (%)", "Index of Multiple Deprivation 2025, average score"):
        assert rows[label]["note"].startswith("Not ranked within Wales: "), rows[label]["note"]
    for label in ("Creative enterprises (count)", "Creative business location quotient"):  # framework 1.5
        assert rows[label]["status"] == "ok" and "UK-wide annual series" in rows[label]["note"], rows[label]
    assert not any("not imported" in str(b["note"]) for b in cardiff["benchmark"])
    nd = web_app.state.service.current.national()  # the tables the web's benchmark is built from
    pl = E.resolve_evidence_place(nd, "Cardiff")
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))
    sec = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    pack = {r[1]: r[-1] for r in sec["tables"][0]["rows"]}
    # one producer: the same note in the pack and on the web (the pack points its gaps without a source to its
    # own section 9, the web to the command)
    shared = {label: b for label, b in rows.items() if b["status"] == "ok" or b["note"].startswith("Not ranked")}
    assert len(shared) > 15
    for label, b in shared.items():
        assert pack[label] == b["note"], label


def test_the_lq_note_leads_with_the_lq_there_is_and_leaks_no_internal_names(cardiff):
    """M10: the note opened "no business location quotient against England for Cardiff: ... `creative-clusters
    data status`.; ... (business_counts_series)" although the series gives Cardiff's LQ against the UK (1.11)."""
    note = cardiff["business_lq_note"]
    series = cardiff["statistics"]["figures"]["business_lq_series"]
    assert note.startswith(f"Cardiff's creative business location quotient is {series['value']:.2f} against the UK "
                           f"in {series['period']}"), note
    assert ".;" not in note and "`" not in note and "business_counts_series" not in note
    assert "England" in note
    assert cardiff["business_lq_series"]["value"] == pytest.approx(series["value"])


def test_the_benchmark_note_names_no_field_and_says_what_england_adds(cardiff):
    """M10, L4: the note showed the field name "(pct_uk)" and read "...whose data reach all four nations: the
    comparison across England rests partly on data published for England only" (a non-sequitur)."""
    note = cardiff["benchmark_note"]
    assert "pct_uk" not in note and "rests partly" not in note
    # sub-sectors (SIC counts), England's IMD and arts engagement; the creative scale is ranked on the annual series
    assert "England's local authorities are also ranked on 3 indicators published for England only" in note
    museums = next(b for b in cardiff["benchmark"] if b["label"].startswith("Museums per 100,000"))
    assert museums["percentile_uk"] is None and museums["percentile"] is not None  # M1
    assert "not directly comparable" in museums["note"]
