"""Round 21's read of the packs as a bid writer reads them (Cardiff, Glasgow City, Belfast, Highland, Gwynedd,
Greater Manchester, the North East, the Bristol travel-to-work area): each test failed before its fix.

Real bundle; the names and numbers asserted come from the packs' own inputs.
"""

from __future__ import annotations

import re

import pytest

from creative_clusters.reporting import findings as F
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def bristol(nd):
    return pack_context(nd, "ttwa:Bristol")


@pytest.fixture(scope="module")
def gm(nd):
    return pack_context(nd, "Greater Manchester")


def _prose(sec) -> str:
    return " ".join([*sec["sentences"], *sec["missing"], *(n for t in sec["tables"] for n in t["notes"]),
                     *(str(t["title"]) for t in sec["tables"])])


def test_ttwa_series_note_lists_its_members_by_the_names_people_use(bristol):
    # was: "Sum over 2 local authorities: Bristol, City of, South Gloucestershire." (three places, to a reader)
    notes = [n for t in section(bristol, "growth")["tables"] for n in t["notes"] if n.startswith("Sum over")]
    assert notes == ["Sum over 2 local authorities: Bristol and South Gloucestershire."]


def test_ttwa_workforce_section_names_the_travel_to_work_area_not_the_city(bristol):
    # was: "not Bristol's own", "Bristol's local authorities are in deciles 4 and 9", "(sector-wide, not Bristol)":
    # the city, while every other section said "the Bristol travel-to-work area"
    text = _prose(section(bristol, "workforce"))
    assert "not the Bristol travel-to-work area's own" in text
    assert "the Bristol travel-to-work area's local authorities are in deciles" in text
    assert not re.search(r"(?<!the )Bristol's|not Bristol\b", text)


def test_figures_drawn_by_the_worker_keep_their_articles(full_home, tmp_path):
    # was: "Map of North East (outlined in black)" and "Bar chart ... for North East" in the PDF's and HTML's
    # captions: the figure worker filled the figures' text after the context had put "the" in
    pytest.importorskip("weasyprint")
    from creative_clusters.workflows.evidence import build_pack

    _, paths = build_pack("North East", home=full_home, out=tmp_path, formats=("html", "pdf"),
                          build_date="2026-01-01")
    html = next(p for p in paths if p.suffix == ".html").read_text(encoding="utf-8")
    assert "Map of the North East (outlined in black)" in html
    assert "Bar chart of business location quotients for the North East" in html
    assert not re.search(r"(?<![Tt]he )North East (\(outlined|by creative)", html)


def test_churn_rows_of_the_baselines_say_why_they_are_inconclusive(nd):
    # was: Gwynedd's birth and death rates "inconclusive: a rank among areas, no sampling interval", which is
    # every rank's nature, not why these two are held back (they are read together as low business churn)
    ctx = pack_context(nd, "Gwynedd")
    summary = section(ctx, "summary")
    assert any(f["topic"] == "Business churn" for f in summary["findings"]["inconclusive"])
    base = next(t for t in summary["tables"] if t["title"].startswith("Baselines"))
    rows = {r[0]: r[4] for r in base["rows"]}
    for label in ("Business birth rate (%)", "Business death rate (%)"):
        assert "inconclusive: the birth and death rates read together as low business churn" in rows[label]
        assert "no sampling interval" not in rows[label]


def test_every_modest_specialisation_says_so(bristol):
    # was: IT, software and computer services (LQ 1.17) had no bid note, as the whole sector's (also 1.17) was
    # said once; design (1.16) kept "a modest one": two modest specialisations read differently
    strengths = section(bristol, "summary")["findings"]["strength"]
    modest = [f for f in strengths if 1 < f["numbers"].get("lq", 0) < F.MODEST_LQ and f["numbers"].get("lo", 0) > 1]
    assert len(modest) >= 3
    assert all("modest" in f["so_what"].lower() and f"LQ {f['numbers']['lq']:.2f}" in f["so_what"] for f in modest)
    assert sum(f["so_what"].startswith(F.SCALE_NOTES[0]) for f in modest) == 1  # in full once, then in short
    assert len({f["so_what"] for f in modest}) == len(modest)  # no guidance repeated word for word


def test_corridor_lists_its_members_as_english(gm):
    # was: "Greater Manchester belongs to the corridor of Manchester, Trafford (2 clustered local authorities"
    s = " ".join(section(gm, "connections")["sentences"])
    assert "the corridor of Manchester and Trafford (2 clustered local authorities" in s


def test_providers_inverted_article_is_put_first(gm):
    # was: "University of Salford, the" (the register's sort form) in the providers table
    t = next(t for t in section(gm, "microclusters")["tables"] if t["title"].startswith("Higher-education"))
    names = [r[0] for r in t["rows"]]
    assert "The University of Salford" in names
    assert not any(str(n).lower().endswith(", the") for n in names)


def test_self_employment_table_has_no_internal_words(gm):
    # was: title "... (ESTIMATE)"; notes "ESTIMATE = self-employed without employees x min(1, ...)" and "the only
    # area with self-employment data in the bundle"
    t = next(t for t in section(gm, "workforce")["tables"] if "Self-employment-inclusive" in t["title"])
    words = " ".join([t["title"], *t["notes"]])
    assert "ESTIMATE" not in words and "bundle" not in words and " x " not in words
    assert "estimated as the self-employed without employees × min(1" in words


def test_member_clusters_sentence_has_no_bracket_after_a_bracket(gm):
    # was: "2 are creative clusters under the Nesta-style threshold rule (business counts) (Manchester and Trafford)"
    s = next(x for x in section(gm, "summary")["sentences"] if x.startswith("Of the 10 local authorities"))
    assert ") (" not in s
    assert "(business counts): Manchester and Trafford; 1 under the US Cluster Mapping rule: Trafford" in s


@pytest.mark.parametrize(("query", "area"), [("Highland", "Highlands and Islands"),
                                             ("ttwa:Bristol", "Gloucestershire, Wiltshire and Bath/Bristol area")])
def test_wider_nuts2_area_takes_its_article(nd, query, area):
    # was: "Creative industries employment in Highlands and Islands, the NUTS2 (2013) area that contains Highland"
    # and "in Gloucestershire, Wiltshire and Bath/Bristol area"
    text = " ".join(section(pack_context(nd, query), "growth")["sentences"])
    assert f"employment in the {area}" in text
    assert not re.search(r"(?<![Tt]he )" + re.escape(area), text)
