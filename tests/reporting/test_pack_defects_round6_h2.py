"""Sixth review of the packs (helper 2): nations, articles before place names, peer percentiles, blank
comparisons. Each test failed before its fix.

Real bundle; expected values come from the source files through the warehouse, or are worked by hand.
"""

from __future__ import annotations

import pytest

from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata



@pytest.fixture(scope="module")
def wales(nd):
    return pack_context(nd, "Wales")


def test_a_nation_is_made_of_its_own_local_authorities_not_the_users(wales):
    # was: "Wales is made of 22 local authorities: ... (as given by the user)": nobody gave them
    first = section(wales, "summary")["sentences"][0]
    assert first.startswith("Wales is made of 22 local authorities")
    assert "given by the user" not in first
    assert "(the nation's local authorities" in first




def test_a_nation_grows_against_the_uk_not_against_itself(wales):
    # was: "On the trajectory rules (2025) Wales is stable: CAGR +1.1% a year, level with its nation"
    growth = section(wales, "growth")["sentences"]
    rule = next(s for s in growth if s.startswith("On the trajectory rules"))
    assert "its nation" not in rule and "level with" not in rule
    # Wales 5,180 (2015) to 5,775 (2025) is +1.1% a year; the UK +0.4% a year (the window sentence): +0.7 points
    assert "+0.7 points against the UK" in rule
    window = next(s for s in growth if "from 5,180 in 2015 to 5,775 in 2025" in s)
    assert "against the UK +0.4% a year" in window


def test_a_nation_has_its_lq_against_the_uk_in_section_2_and_the_headline(wales):
    # was: section 4 sent the reader to "scale and business LQs against the UK ... in section 2", which had no
    # such table, and the headline gave no LQ although the growth table had one (2024: 0.61).
    # By hand, from the pack's own tables: (5,720 / 100,420) / (UK creative / 2,859,535 active), with the UK's
    # creative count the sum of the four nations' rows
    scale = section(wales, "scale")
    table = next(t for t in scale["tables"] if t["title"].startswith("Creative enterprises and business location"))
    assert [r[0] for r in table["rows"]] == ["the UK"]  # a nation is not compared with itself
    growth = next(t for t in section(wales, "growth")["tables"] if t["title"].startswith("Creative enterprises, "))
    lq_2024 = next(r[2] for r in growth["rows"] if r[0] == "2024")
    assert table["rows"][0][1] == pytest.approx(lq_2024, abs=1e-9)
    assert round(table["rows"][0][1], 2) == 0.61
    demo = next(t for t in section(wales, "growth")["tables"] if t["title"].startswith("Business demography"))
    active, uk_active = next((r[1], r[-1]) for r in demo["rows"] if r[0] == "2024")
    assert (active, uk_active) == (100_420, 2_859_535)
    head = {h["label"]: h for h in wales["headline"]}
    assert head["Creative business location quotient (UK = 1)"]["value"] == "0.61"
    assert "3rd of the 4 UK nations" in " ".join(scale["sentences"])


def test_section_4_points_only_to_what_the_pack_has(wales):
    # was: "... and deprivation on its nation's own index in section 5", while section 5 said "Wales is not on
    # the boundaries of the Welsh Index of Multiple Deprivation 2019"
    gap = " ".join(section(wales, "benchmark")["missing"])
    assert "its nation" not in gap and "deprivation" not in gap
    assert "business LQ against the UK are in section 2" in gap
    assert "growth and trajectory class against the UK are in section 3" in gap
    work = " ".join(section(wales, "workforce")["missing"])
    assert "not on the boundaries" not in work
    assert "ranks small areas within Wales against each other" in work


def test_no_baseline_is_compared_with_a_blank(wales):
    # was: both of Wales's baseline rows had an empty "Compared with" cell (HTML and Excel)
    base = next(t for t in section(wales, "summary")["tables"] if t["title"].startswith("Baselines"))
    comp = {r[0]: r[4] for r in base["rows"]}
    assert all(str(v).strip() for v in comp.values()), comp
    assert comp["Creative enterprises (annual series, all creative industries)"] == "3rd of the 4 UK nations"
    assert comp["Creative enterprises, compound growth"] == "the UK 0.4% a year"


def test_series_flags_are_said_in_words(wales, nd):
    # was: "denominator-break; Includes Caerphilly (W06000018), whose active enterprises ..." in Wales's 2018 note
    # and Cambridge TTWA's 2019 one: the internal flag name leaked
    for ctx, year in ((wales, "2018"), (pack_context(nd, "ttwa:Cambridge"), "2019")):
        growth = next(t for t in section(ctx, "growth")["tables"] if t["title"].startswith("Creative enterprises, "))
        notes = {r[0]: str(r[-1]) for r in growth["rows"]}
        assert not any("denominator-break" in n for n in notes.values())
        assert notes[year].startswith(f"Break in the LQ denominator in {year}. Includes ")


def _running_text(ctx) -> list[str]:
    """Every piece of a pack's text a reader meets as prose or a title: sentences, gaps, findings (as the
    renderers print them), table titles and notes, the findings tables' text cells, figure titles and alt text."""
    out: list[str] = []
    for s in ctx["sections"]:
        out += [*s["sentences"], *s["missing"]]
        out += [str(item.get(k) or "") for items in (s.get("findings") or {}).values() for item in items
                for k in ("claim", "uncertainty", "comparison", "so_what")]
        for t in s["tables"]:
            out += [str(t["title"]), *t["notes"]]
            if str(t["title"]).startswith(("Key findings", "SWOT")):
                out += [v for r in t["rows"] for v in r[1:] if isinstance(v, str)]
        out += [str(f.get(k) or "") for f in s.get("figures", []) for k in ("title", "alt")]
    return out


@pytest.mark.parametrize(("query", "name"), [("region:North East", "North East"),
                                             ("ttwa:Reading", "Reading travel-to-work area"),
                                             ("ttwa:Cambridge", "Cambridge travel-to-work area"),
                                             ("Orkney Islands", "Orkney Islands")])
def test_names_that_take_the_article_have_it_everywhere(nd, query, name):
    # was: "(296 local authorities and North East; 100 = best)", "Higher-education providers in North East",
    # "Map of North East", "cannot tell whether Reading travel-to-work area is", "Cambridge travel-to-work
    # area's count", "the Orkney Islands's small areas", "Museums open in 2021 in Orkney Islands", "no creative
    # enterprise counts for Orkney Islands (S12000023)"
    import re

    # a label before its value ("North East 141.6 in 2025", a chart's series) stays bare
    bare = re.compile(r"(?<!\bthe )(?<!\bThe )" + re.escape(name) + r"(?! [A-Z0-9])(?![\w-])")
    found = [t for t in _running_text(pack_context(nd, query)) for _ in bare.finditer(t)]
    assert not found, found[:5]
    if name.endswith("s"):
        assert not [t for t in _running_text(pack_context(nd, query)) if f"{name}'s" in t]


def test_a_peer_percentile_cannot_be_read_as_a_rank(nd):
    # was: "76th percentile of 297 places (44th among it and its 7 peers; 100 = best)": 44th of 8 places
    import re

    bench = section(pack_context(nd, "West Yorkshire"), "benchmark")["sentences"]
    peers = [s for s in bench if "among it and its" in s]
    assert peers
    for s in peers:
        m = re.search(r"\((\d+)(?:st|nd|rd|th) ([a-z]+) among it and its (\d+) peers", s)
        assert m and m.group(2) == "percentile", s


@pytest.mark.parametrize("query", ["West Yorkshire", "region:North East", "ttwa:Reading", "ttwa:Cambridge"])
def test_higher_education_providers_are_never_compared_with_a_blank(nd, query):
    # was: "Higher-education providers in the place" had an empty "Compared with" cell: a group's total is not
    # ranked against single local authorities, and the table did not say so
    base = next(t for t in section(pack_context(nd, query), "summary")["tables"] if t["title"].startswith("Baselines"))
    assert all(str(r[4]).strip() for r in base["rows"]), [r[0] for r in base["rows"] if not str(r[4]).strip()]
    hei = next(r for r in base["rows"] if r[0] == "Higher-education providers in the place")
    if hei[4] == "–":
        note = next(n for n in base["notes"] if n.startswith("'–' under Compared with"))
        assert "Higher-education providers in the place: not ranked, as a total over" in note
