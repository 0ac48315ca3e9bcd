"""Fifth review of the packs as a bid writer reads them (issue 12): each test failed before its fix.

Real bundle; expected values come from the source files through the warehouse.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows import evidence as E
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata



def _all_notes(ctx) -> list[str]:
    return [n for s in ctx["sections"] for t in s["tables"] for n in t["notes"]]


def test_the_baseline_names_a_percentile_base_only_beside_percentiles(nd):
    # was: Scotland's baseline table (no benchmark: it ranks English LADs only) ended "Percentiles are among
    # the English local authorities on the benchmark's base." under rows without a percentile
    for query, ranked in (("region:Scotland", False), ("Sheffield", True)):
        notes = [n for n in _all_notes(pack_context(nd, query)) if n.startswith("Latest values in this pack")]
        assert len(notes) == 1, query
        assert ("Percentiles are among" in notes[0]) is ranked, query


def test_a_nation_is_not_said_to_be_in_itself(nd):
    # was: "Census 2021 TS060 covers England and Wales only; Scotland is in Scotland, whose own census ..."
    missing = " ".join(section(pack_context(nd, "region:Scotland"), "workforce")["missing"])
    assert "Scotland is in Scotland" not in missing
    assert "Scotland's own census (Scotland's Census 2022)" in missing
    missing = " ".join(section(pack_context(nd, "Glasgow City"), "workforce")["missing"])
    assert "Glasgow City is in Scotland, whose own census" in missing


def _published(data_root, file, code, indicator):
    import pandas as pd

    raw = pd.read_csv(data_root / "local_indicators" / file, encoding="utf-8-sig")
    rows = raw[(raw["areacd"] == code) & (raw["indicator"] == indicator)]
    latest = rows.sort_values("period").iloc[-1]
    return float(latest["observation"]), str(latest["period"])[:4]


@pytest.mark.parametrize(("query", "itl1"), [("London", "TLI"), ("region:North East", "TLC"),
                                              ("region:West Midlands", "TLG")])
def test_a_region_uses_its_published_itl1_row(nd, data_root, query, itl1):
    # was: London's GVA per hour 44.62, a population-weighted mean of its boroughs, although ONS publishes
    # London (ITL1 TLI) at 53.96; regions are published under their ITL1 codes only
    gva, year = _published(data_root, "gross-value-added.csv", itl1, "Gross value added per hour worked")
    rows = [r for t in section(pack_context(nd, query), "summary")["tables"] for r in t["rows"]
            if str(r[0]).startswith("GVA per hour worked")]
    assert rows and all(r[1] == pytest.approx(gva, abs=0.005) and r[3] == year for r in rows)


def _series_lqs(ctx):
    table = section(ctx, "scale")["tables"][0]
    return {r[0]: (r[1], r[2], r[3]) for r in table["rows"]}


def test_a_devolved_place_specialised_within_its_nation_may_claim_it(nd):
    # was: Glasgow City, 1.44 times Scotland's concentration (1.38 to 1.51), was told its concentration "is
    # inconclusive on these data and should not be claimed" because only the UK LQ (1.01) was gated
    ctx = pack_context(nd, "Glasgow City")
    lo = _series_lqs(ctx)["Scotland"][1]
    assert lo > 1  # the premise, from the pack's own table
    summary = " ".join(section(ctx, "summary")["sentences"])
    assert "specialisation in the creative industries as a whole against Scotland" in summary
    assert "concentration of the creative industries as a whole (2024) are inconclusive" not in summary
    assert "creative industries as a whole (2024) is inconclusive" not in summary
    # a place whose UK LQ is clear stays judged on it; its nation's doubt is not a second finding
    ctx = pack_context(nd, "Ceredigion")
    uk_lq, nat = _series_lqs(ctx)["the UK"], _series_lqs(ctx)["Wales"]
    assert uk_lq[2] < 1 and nat[1] < 1 < nat[2]
    summary = " ".join(section(ctx, "summary")["sentences"])
    assert "against Wales" not in summary and "concentration of the creative industries as a whole" in summary


def test_a_weakness_against_the_uk_is_not_called_national_nor_said_twice(nd):
    # was: "... below the UK level." then "Below the national level: frame it ..." in a Welsh pack (national
    # reads as Wales there) and "below the England level. Below the national level" in every English one
    from creative_clusters.reporting import findings as F

    f = F.specialisation_finding("Ceredigion", "All creative industries", lq=0.56, lo=0.5, hi=0.62, count=400,
                                 source="s", area="the UK")
    assert f.kind == "weakness" and "national" not in f.so_what and "below the UK level" in f.claim
    assert "below" not in f.so_what.lower()


def test_no_finding_from_a_rate_on_a_handful_counted(nd):
    # was: the Isles of Scilly's "Museums per 100,000 people: 99th percentile" was a strength resting on a few
    # museums, and "High-growth businesses (%): 0th percentile" a weakness on a rate of 0 out of a handful of
    # firms; the methods say no strength or weakness stands on a count under 10
    from creative_clusters.benchmarking.framework import count_in_place, lad_column
    from creative_clusters.reporting.findings import MIN_STRENGTH_COUNT

    code = E.resolve_evidence_place(nd, "Isles of Scilly").code
    # open on the rate's date (2021), as section 6 and the ONS rate count them (round 8: a museum closed by
    # 2011 was counted)
    museums = int(count_in_place(nd.museums[nd.museums["open_2021"].astype(bool)]).get(code, 0))
    assert 0 < museums < MIN_STRENGTH_COUNT and lad_column(nd.museums)  # the premise, from the museum list
    rows = section(pack_context(nd, "Isles of Scilly"), "summary")["tables"][0]["rows"]
    kind = {r[1].split(":")[0]: r[0] for r in rows}
    assert kind.get("Museums per 100,000 people") == "Inconclusive"
    assert kind.get("High-growth businesses (%)") == "Inconclusive"
    museum = next(r[1] for r in rows if r[1].startswith("Museums per 100,000 people"))
    assert f"rests on {museums} museums" in museum
    # a large place keeps its rate findings
    rows = section(pack_context(nd, "Sheffield"), "summary")["tables"][0]["rows"]
    assert not any("too few for its rank" in r[1] for r in rows)


def test_a_published_zero_is_never_ranked_nor_counted_as_zero(nd):
    # was: the Isles of Scilly (creative enterprises published as 0, that is 0 to 2) "ranks 296th of 296",
    # its headline and baselines said "296th of 296", its growth section "had 0 creative enterprises" and its
    # sub-sector table gave the 0 a share of 100%
    ctx = pack_context(nd, "Isles of Scilly")
    assert not any(h["label"].startswith("Rank among") for h in ctx["headline"])
    text = " ".join(x for s in ctx["sections"] for x in s["sentences"])
    assert "296th" not in text and "had 0 creative enterprises" not in text
    assert "fewer than 3 creative enterprises (published as 0) in" in text
    baselines = next(t for t in section(ctx, "summary")["tables"] if t["title"].startswith("Baselines"))
    assert not any("296th" in str(r[4]) for r in baselines["rows"])
    table = section(ctx, "scale")["tables"][0]
    row = next(r for r in table["rows"] if r[0] == "All creative industries")
    assert row[1] == 0 and (row[2] is None or row[2] != row[2])  # no share of a zero (printed as a dash)


def test_names_that_take_the_get_it_and_titles_tell_a_region_from_a_combined_authority(nd):
    # was: "North East had 4,360 ...", "in Isles of Scilly"; and the West Midlands region and combined authority
    # packs had the same title
    import re

    region = pack_context(nd, "region:West Midlands")
    ca = pack_context(nd, "ca:West Midlands")
    assert region["title"] != ca["title"] and "(region)" in region["title"]
    assert ca["title"].endswith("West Midlands Combined Authority")  # its official name says what it is
    for ctx in (region, ca, pack_context(nd, "region:North East"), pack_context(nd, "Isles of Scilly")):
        name = ctx["place"]["name"]
        text = " ".join(x for s in ctx["sections"] for x in s["sentences"])
        assert re.search(rf"\bThe {name}\b", text), name
        bare = re.findall(rf"(?<!the )(?<!The )(?<![\w(]){name}(?! [A-Z(])(?![\w-])", text)
        assert not bare, (name, bare[:3])
    text = " ".join(x for s in pack_context(nd, "Bath and North East Somerset")["sections"] for x in s["sentences"])
    assert "Bath and North East Somerset had" in text and "the North East Somerset" not in text


def test_a_devolved_benchmark_ranks_what_its_data_reach_and_says_why_not_the_rest(nd, data_root):
    # was: "Not ranked within Scotland: the benchmark computes this indicator for English local authorities only"
    # on higher-education providers (Dundee City lists 2), the Census share (England and Wales data) and the
    # creative counts (the UK-wide series ranks them in section 2)
    from creative_clusters.benchmarking.framework import lad_column

    hei = nd.hei[nd.hei[lad_column(nd.hei)].astype(str).str.startswith("S")]
    assert len(hei)  # the premise: the provider list reaches Scotland
    rows = {r[1]: r for r in section(pack_context(nd, "Dundee City"), "benchmark")["tables"][0]["rows"]}
    provider = next(r for label, r in rows.items() if label.startswith("Higher-education providers"))
    assert provider[3] is not None and provider[4] == 32  # ranked among Scotland's 32 council areas
    notes = " ".join(str(r[-1]) for r in rows.values())
    assert "computes this indicator for English local authorities only" not in notes
    census = next(r for label, r in rows.items() if label.startswith("Residents in employment in creative"))
    # (seen to fail once in a full parallel run and never alone: the row says what it held then)
    assert "Census 2021 TS060 covers England and Wales only" in str(census[-1]), census
    assert "the counts by SIC class cover English local authorities only" in notes
    # Wales has the census table: its share is ranked there
    rows = {r[1]: r for r in section(pack_context(nd, "Ceredigion"), "benchmark")["tables"][0]["rows"]}
    share = next(r for label, r in rows.items() if label.startswith("Residents in employment in creative"))
    assert share[3] is not None


def test_a_rank_on_a_series_that_breaks_inside_its_period_is_not_a_finding(nd):
    # was: Bromsgrove's weaknesses "Growth in active enterprises: 0th percentile" and "Three-year survival:
    # 8th percentile" rested on active enterprises its own growth table flags as a break (2021, 2022)
    ctx = pack_context(nd, "Bromsgrove")
    breaks = [r[0] for t in section(ctx, "growth")["tables"] for r in t["rows"]
              if f"Break in the LQ denominator in {r[0]}" in str(r[-1])]
    assert breaks  # the premise, from the pack's own table
    rows = section(ctx, "summary")["tables"][0]["rows"]
    growth = next(r for r in rows if r[1].startswith("Growth in active enterprises"))
    assert growth[0] == "Inconclusive" and f"breaks in {breaks[0]}" in growth[1]
    assert not any(r[0] == "Weakness" and "active enterprises" in r[1] for r in rows)


def test_a_focus_on_published_zeros_is_said_as_doubt_with_the_rounding_edge(nd):
    # was: "For games, counted by SIC 5821, Leeds had 0 enterprises (0.00% of England's)" with an LQ interval
    # 0.00 to 0.63, as if the zero were exact (at 2 firms it reaches 1.23), and the summary never named games
    ctx = pack_context(nd, "Leeds", ["games"])
    focus = next(t for t in section(ctx, "scale")["tables"] if t["title"].startswith("Focus"))
    row = focus["rows"][0]
    assert row[2] == 0 and row[6] > 1  # the upper end, at the rounding edge, reaches past 1
    text = " ".join(section(ctx, "scale")["sentences"])
    assert "had 0 enterprises" not in text and "published as 0" in text
    summary = " ".join(section(ctx, "summary")["sentences"])
    assert "games (SIC 5821)" in summary


def test_a_travel_to_work_area_is_named_as_one_and_a_modest_specialisation_is_not_the_lead(nd):
    # was: "Sheffield had 2,010 creative enterprises" in the TTWA pack (the LAD alone has about 1,600), and
    # "lead with it" for every specialisation, Leeds's IT at LQ 1.07 included
    from creative_clusters.reporting.findings import MODEST_LQ

    ctx = pack_context(nd, "ttwa:Sheffield")
    text = " ".join(section(ctx, "scale")["sentences"])
    assert "The Sheffield travel-to-work area had" in text and "Sheffield had" not in text
    rows = section(pack_context(nd, "Leeds"), "summary")["tables"][0]["rows"]
    leadable = []  # round 15: of the specialisations neither modest nor small, only the first leads
    for r in rows:
        if r[0] == "Strength" and "times England's concentration" in r[1]:
            lq = float(r[1].split(": ")[1].split(" times")[0])
            if lq >= MODEST_LQ and "small one" not in r[5]:
                leadable.append(r[5])
            else:
                assert "lead with it" not in r[5], r[1]
    assert all(("lead with it" in a) is (k == 0) for k, a in enumerate(leadable)), leadable


def test_a_nuts2_area_matching_the_place_is_not_called_wider(nd):
    # was: the North East's growth section said the shift-share "is for the wider NUTS2 (2013) area ..., not the
    # place itself" while its table said the NUTS2 area "covers the same 12 local authorities as North East"
    for query, same in (("region:North East", True), ("Sheffield", False)):
        growth = section(pack_context(nd, query), "growth")
        notes = " ".join(n for t in growth["tables"] for n in t["notes"])
        gap = " ".join(m for m in growth["missing"] if "NUTS2" in m)
        assert ("covers the same" in notes or "is essentially" in notes) is same, query
        assert ("not the place itself" in gap) is not same and ("matches the place" in gap) is same, query


def test_tables_name_datasets_as_readers_know_them(nd):
    # was: raw dataset ids in the Source columns (business_counts_series, local_indicators, imd2025_england);
    # the ids stay in Sources and methods, beside each dataset's title and checksum
    ctx = pack_context(nd, "Sheffield")
    ids = {r[0] for t in section(ctx, "sources")["tables"] if t["title"] == "Datasets used" for r in t["rows"]}
    assert "local_indicators" in ids  # the premise: the ids are listed where a reader traces them
    for t in section(ctx, "summary")["tables"]:
        col = {"Key findings, ranked": 4, "Baselines to set targets against": 5}.get(t["title"])
        if col is None:
            continue
        cells = " ".join(str(r[col]) for r in t["rows"])
        assert not any(i in cells for i in ids), t["title"]
        assert "UK Business Counts" in cells


def test_an_in_line_growth_does_not_hide_a_top_quintile_rank_and_brackets_do_not_stack(nd):
    # was: the Sheffield TTWA's "growth in creative enterprises over ten years: 82nd percentile" (a strength by
    # the stated rule) was dropped for a growth finding "in line with" England that the summary never shows;
    # and group percentiles read "(295 local authorities and X) (100 = best)"
    # round 8 (rev_1 item 10): a TTWA of several local authorities ranked among single ones is not
    # like-for-like, so its rank is no finding at all now (neither hidden behind an unshown growth finding
    # nor a strength); the table in section 4 keeps it
    ctx = pack_context(nd, "ttwa:Sheffield")
    rows = section(ctx, "summary")["tables"][0]["rows"]
    assert not [r for r in rows if r[1].startswith("Growth in creative enterprises over ten years")
                and "percentile" in r[1]]
    assert any("not like-for-like" in s for s in section(ctx, "summary")["sentences"])
    assert not any(") (" in r[1] for r in rows)


def test_a_pack_for_a_group_across_nations_does_not_pass_england_off_as_the_whole(nd):
    # was: the UK pack said "United Kingdom had 246,790 creative enterprises in March 2025, 100.00% of the
    # England total" (England's sum, as the UK's) with an LQ of 1.00 against England; a Bristol + Cardiff group
    # showed Bristol's counts as the group's
    for ctx in (pack_context(nd, "UK"),
                build_group_pack(nd, "Bristol and Cardiff", ["Bristol", "Cardiff"])):
        scale = section(ctx, "scale")
        text = " ".join(scale["sentences"])
        assert "of the England total" not in text and "as in England" not in text
        assert not any(h["label"].startswith("Share of England") for h in ctx["headline"])
        assert any("as a whole, only for" in m for m in scale["missing"])  # round 15: one colon, not two


def build_group_pack(nd, name, places):
    from creative_clusters.reporting.context import build_context

    pl = E.resolve_evidence_place(nd, None, name=name, places=places)
    return build_context(E.gather_inputs(nd, pl, png=False, workforce=E._workforce(nd, pl)))


def test_the_workforce_gap_does_not_promise_what_a_fetch_cannot_give(nd):
    # was: "fetch Census 2021 TS063 ... with `creative-clusters data fetch census2021_occupation` ...; section 5
    # then shows them", although TS063 has 9 major groups (creative occupations need 3 digits), the command
    # lacked its required -g, and the section does not read TS066
    ctx = pack_context(nd, "Sheffield")
    missing = " ".join(section(ctx, "workforce")["missing"])
    assert "section 5 then shows them" not in missing and "major groups only" in missing
    gaps = next(t for t in section(ctx, "sources")["tables"] if t["title"] == "Filling the gaps")
    commands = [r[2] for r in gaps["rows"]]
    assert "creative-clusters data import-nomis FILE --nomis-dataset NM_ID" in commands
    assert "creative-clusters data fetch census2021_occupation" not in commands


def test_a_group_across_nations_heads_its_pack_with_the_series_total(nd):
    # after the fix above the UK pack had no headline count at all: the annual series covers every member
    ctx = pack_context(nd, "UK")
    head = next(h for h in ctx["headline"] if h["label"].startswith("Creative enterprises ("))
    table = next(t for t in section(ctx, "growth")["tables"] if t["title"].startswith("Creative enterprises, "))
    year, value = table["rows"][-1][0], table["rows"][-1][1]
    assert head["label"] == f"Creative enterprises ({year}, annual series)" and head["raw"] == value
    assert "The United Kingdom had" in " ".join(section(ctx, "growth")["sentences"])


def test_one_value_one_rounding_in_the_baselines_and_the_benchmark(nd):
    # was: IMD 9.85 in the baselines beside 9.9 in the benchmark table (Rutland), as "auto" formatting chose
    from creative_clusters.reporting.render_html import format_cell

    ctx = pack_context(nd, "Rutland")
    base = next(t for t in section(ctx, "summary")["tables"] if t["title"].startswith("Baselines"))
    bench = section(ctx, "benchmark")["tables"][0]
    shown = {r[1]: format_cell(r[2], f[2]) for r, f in zip(bench["rows"], bench["cell_formats"], strict=True)}
    checked = 0
    for r, f in zip(base["rows"], base["cell_formats"], strict=True):
        if r[0] in shown and not str(r[2]).startswith("%"):
            assert format_cell(r[1], f[1]) == shown[r[0]], r[0]
            checked += 1
    assert checked >= 2
