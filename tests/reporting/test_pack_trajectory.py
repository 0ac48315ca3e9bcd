"""The place's own creative-enterprise series in the pack's growth section (issue 11 item 2, real bundle).

Expected values are read here from the series file itself, never from the pack or the warehouse.
"""

from __future__ import annotations

import csv
import re

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E
from creative_clusters.workflows.pack_data import load_national

pytestmark = pytest.mark.realdata



@pytest.fixture(scope="module")
def series(data_root):
    path = data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return {(r["Region"], r["Year"]): float(r["Enterprise Count"]) for r in csv.DictReader(fh)}


def _growth(nd, query):
    pl = E.resolve_evidence_place(nd, query)
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))
    return next(s for s in ctx["sections"] if s["id"] == "growth")


def _series_table(sec):
    return next(t for t in sec["tables"] if t["title"].startswith("Creative enterprises, "))


def test_sheffield_pack_shows_the_files_16_values_and_a_trend_sentence(nd, series):
    sec = _growth(nd, "Sheffield")
    t = _series_table(sec)
    got = {r[0]: r[1] for r in t["rows"]}
    want = {y: v for (name, y), v in series.items() if name == "Sheffield"}
    assert len(want) == 16 and got == want
    ten = [s for s in sec["sentences"] if "(2015–2025)" in s]
    assert ten and "England" in ten[0] and "the UK" in ten[0]
    a, b = want["2015"], want["2025"]
    assert f"{a:,.0f} in 2015 to {b:,.0f} in 2025" in ten[0]
    assert f"{100 * (b / a - 1):+.1f}%" in ten[0]
    assert not any("no creative trend" in m for m in sec["missing"])
    series_ids = {s["id"] for s in nd.sources if s.get("kind") == "creative_enterprises_series"}
    assert series_ids and series_ids <= set(sec["sources"])  # cited by the catalogue's dataset id


@pytest.mark.parametrize(("query", "name", "nation"), [("Cardiff", "Cardiff", "Wales"),
                                                        ("Glasgow", "Glasgow City", "Scotland"),
                                                        ("Belfast", "Belfast", "Northern Ireland")])
def test_devolved_packs_compare_with_their_own_nation(nd, series, query, name, nation):
    sec = _growth(nd, query)
    got = {r[0]: r[1] for r in _series_table(sec)["rows"]}
    assert got == {y: v for (n, y), v in series.items() if n == name}
    assert any(f"against {nation}" in s for s in sec["sentences"])
    assert any(f"of {nation}" in s and "ranked" in s for s in sec["sentences"])


def test_bromsgrove_2018_is_flagged_not_changed_and_no_crossing_claimed_from_it(nd, series):
    sec = _growth(nd, "Bromsgrove")
    rows = {r[0]: r for r in _series_table(sec)["rows"]}
    assert rows["2018"][1] == series[("Bromsgrove", "2018")] == 1360  # shown as published
    assert "Outlier in 2018" in rows["2018"][-1]  # the flag in words, not its internal name
    text = " ".join(sec["sentences"])
    assert "above 1 in 2018" not in text and "outlier" in text


def test_combined_authority_series_is_the_sum_of_its_members_named(nd, series):
    sec = _growth(nd, "Greater Manchester")
    t = _series_table(sec)
    boroughs = ["Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside",
                "Trafford", "Wigan"]
    got = {r[0]: r[1] for r in t["rows"]}
    for year in ("2010", "2018", "2025"):
        assert got[year] == sum(series[(b, year)] for b in boroughs)
    assert any(n.startswith("Sum over 10 local authorities") for n in t["notes"])


def test_a_warehouse_without_the_series_says_so(synthetic_home):
    nd = load_national(synthetic_home)
    code = sorted(nd.names)[0]
    sec = _growth(nd, code)
    assert any("No creative-enterprise series" in m for m in sec["missing"])
    assert not any(t["title"].startswith("Creative enterprises, ") for t in sec["tables"])


def test_growth_finding_is_gated_and_worked_from_the_file(nd, series):
    pl = E.resolve_evidence_place(nd, "Middlesbrough")
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))
    summary = next(s for s in ctx["sections"] if s["id"] == "summary")
    growth = [f for f in summary["findings"]["strength"] if f["topic"].startswith("Growth of creative")]
    assert len(growth) == 1
    a, b = series[("Middlesbrough", "2015")], series[("Middlesbrough", "2025")]
    assert growth[0]["numbers"]["cagr"] == pytest.approx((b / a) ** (1 / 10) - 1)
    assert growth[0]["numbers"]["gap_pp"] >= 1.0 and min(a, b) >= 50
    assert f"{a:,.0f} to {b:,.0f} (2015–2025)" in growth[0]["claim"]


def test_sources_trace_each_dataset_to_its_import_date_and_checksum(nd, full_warehouse):
    pl = E.resolve_evidence_place(nd, "Cardiff")
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))
    t = next(s for s in ctx["sections"] if s["id"] == "sources")["tables"][0]
    rows = {r[0]: dict(zip(t["columns"], r, strict=True)) for r in t["rows"]}
    cat = full_warehouse.datasets().set_index("id")
    series_id = next(i for i, k in cat["kind"].items() if k == "creative_enterprises_series")
    row = rows[series_id]
    assert row["SHA-256 (first 16)"] == cat.loc[series_id, "checksum"][:16] and len(row["SHA-256 (first 16)"]) == 16
    assert row["Imported"] == str(cat.loc[series_id, "imported_at"])[:10]


def test_baseline_table_gives_latest_values_sources_and_cadence(nd, series, full_warehouse):
    from creative_clusters.kinds import KINDS

    pl = E.resolve_evidence_place(nd, "Sheffield")
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))
    t = next(t for t in ctx["sections"][0]["tables"] if t["title"] == "Baselines to set targets against")
    rows = {r[0]: dict(zip(t["columns"], r, strict=True)) for r in t["rows"]}
    first = rows["Creative enterprises (annual series, all creative industries)"]
    assert first["Value"] == series[("Sheffield", "2025")] and first["Period"] == "2025"
    cat = full_warehouse.datasets().set_index("id")

    def of_kind(kind):  # the catalogue's dataset of a kind, named in tables by its title's lead
        rec = cat[cat["kind"] == kind].iloc[-1]
        return rec, str(rec["title"]).split(":")[0].strip()

    series_rec, series_name = of_kind("creative_enterprises_series")
    assert first["Source"].startswith(series_name) and series_rec["vintage"] in first["Source"]
    assert first["Release cadence"] == KINDS["creative_enterprises_series"].cadence != ""
    growth = rows["Creative enterprises, compound growth"]
    a, b = series[("Sheffield", "2015")], series[("Sheffield", "2025")]
    assert growth["Value"] == pytest.approx(100 * ((b / a) ** 0.1 - 1), abs=0.01)
    assert growth["Period"] == "2015–2025"
    # benchmark rows carry on below, each with the period of its data (not its release date)
    survival = rows["Three-year business survival rate (%)"]
    d = nd.demography
    cohort = int(d[(d["measure"] == "survival_rate_pct") & (d["status"] == "3-year")]["period"].max())
    assert survival["Period"] == f"births in {cohort}, surviving to {cohort + 3}"  # not the release date
    census = next(v for k, v in rows.items() if k.startswith("Residents in employment in creative"))
    assert census["Period"] == "21 March 2021"  # Census day, in words
    # the benchmark's growth has the growth section's ten-year window (the same two counts)
    ten = rows["Growth in creative enterprises over ten years (%)"]
    assert ten["Value"] == pytest.approx(100 * (b / a - 1)) and ten["Period"] == growth["Period"] == "2015–2025"
    # the provider count reads a reference table: its source is the catalogue's anchors dataset
    # (README: "Vintage: about 2015"), so the row has a period and a cadence like every other
    hei = rows["Higher-education providers in the place"]
    hei_rec, hei_name = of_kind("anchors_hei")
    assert hei["Source"].startswith(hei_name)
    assert hei["Period"] == f"list of {hei_rec['vintage']}" == "list of 2015"
    assert all(r["Period"] and r["Release cadence"] for r in rows.values()), rows


GM_BOROUGHS = ("Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside",
               "Trafford", "Wigan")


def test_a_groups_creative_growth_is_from_its_members_summed_counts(nd, series):
    pl = E.resolve_evidence_place(nd, "Greater Manchester")
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))
    bench = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    t = bench["tables"][0]
    row = next(dict(zip(t["columns"], r, strict=True)) for r in t["rows"]
               if r[1] == "Growth in creative enterprises over ten years (%)")
    first = sum(series[(b, "2015")] for b in GM_BOROUGHS)
    last = sum(series[(b, "2025")] for b in GM_BOROUGHS)
    # not the mean of the ten boroughs' growth rates
    assert row["Value"] == pytest.approx(100 * (last / first - 1))
    assert "Recomputed from summed counts" in row["Note"]
    rates = [series[(b, "2025")] / series[(b, "2015")] - 1 for b in GM_BOROUGHS]
    assert row["Value"] != pytest.approx(100 * sum(rates) / len(rates))


@pytest.mark.parametrize("query", ["Cardiff", "Glasgow", "Belfast"])
def test_devolved_scale_comes_from_the_series_with_uk_and_nation_lqs(nd, series, full_warehouse, query):
    from creative_clusters.workflows.trajectory import series_place_table

    pl = E.resolve_evidence_place(nd, query)
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))
    scale = next(s for s in ctx["sections"] if s["id"] == "scale")
    t = next(t for t in scale["tables"] if t["title"].endswith("(annual series)"))
    table, meta = series_place_table(full_warehouse, "lad")
    row = table.set_index("geo_code").loc[pl.code]
    assert row["creative_businesses"] == series[(row["geo_name"], meta["period"])]  # the file's value
    uk, nation = t["rows"][0], t["rows"][1]
    assert uk[0] == "the UK" and uk[1:] == pytest.approx(
        [row["business_lq_uk"], row["business_lq_uk_lower"], row["business_lq_uk_upper"]])
    assert nation[0] == row["nation_name"] and nation[1] == pytest.approx(row["business_lq_nation"])
    assert any("sub-sector detail" in m for m in scale["missing"])
    summary = next(s for s in ctx["sections"] if s["id"] == "summary")
    claims = [f for k in ("strength", "weakness", "inconclusive") for f in summary["findings"][k]
              if f["topic"].startswith("All creative industries")]
    uk_claims = [f for f in claims if " against " not in f["topic"]]  # the LQ against the nation is its own
    assert len(uk_claims) <= 1 and len(claims) - len(uk_claims) <= 1
    uk_strength = row["business_lq_uk_lower"] > 1 and row["creative_businesses"] >= 10
    assert any(f["kind"] == "strength" for f in uk_claims) == uk_strength
    if not uk_strength and row["business_lq_nation_lower"] <= 1:
        assert len(uk_claims) == 1  # nothing claimed against the nation: the UK's verdict stands, whatever it is


def test_devolved_benchmark_section_says_why_and_where_to_look(nd):
    """A nation has no base to be ranked in (its own LADs are its parts); groups of one nation's LADs are
    ranked beside them (tests/reporting/test_nation_group_benchmark.py), single LADs among them
    (tests/reporting/test_nation_benchmark.py)."""
    pl = E.resolve_evidence_place(nd, "Wales")
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))
    bench = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    assert bench["status"] == "missing"
    # where to look names only sections that have the place: a nation's scale and LQ against the UK in
    # section 2, its growth against the UK in section 3
    gap = next(m for m in bench["missing"] if "four nations" in m)
    assert "business LQ against the UK are in section 2" in gap and "against the UK are in section 3" in gap
    assert "against Wales" not in gap


def test_a_place_outside_englands_class_counts_is_mapped_by_its_series_lq_against_the_uk(nd, full_warehouse):
    """Cardiff's map was left unshaded: its LQ against England (from counts by SIC class) does not exist,
    but the annual series gives every UK LAD an LQ against the UK, the one section 2 reports."""
    from creative_clusters.workflows.trajectory import series_place_table

    def scale_map(query):
        pl = E.resolve_evidence_place(nd, query)
        inp = E.gather_inputs(nd, pl, png=TEXT_ONLY)
        scale = next(s for s in build_context(inp)["sections"] if s["id"] == "scale")
        return inp, next(f for f in scale["figures"] if f["title"].endswith("and neighbouring areas"))

    inp, fig = scale_map("Cardiff")
    assert "centred on 1 (the level of the UK)" in fig["alt"] and "none is shaded" not in fig["alt"]
    table, _meta = series_place_table(full_warehouse, "lad")
    lq = table.set_index("geo_code")["business_lq_uk"]
    assert inp.series_lads.loc["W06000015", "business_lq_uk"] == pytest.approx(lq.loc["W06000015"])
    _inp, english = scale_map("Sheffield")  # England keeps its LQ against England
    assert "centred on 1 (the level of England)" in english["alt"]




def test_creative_growth_is_one_finding_and_a_small_base_never_a_weakness(nd, series, monkeypatch):
    """Boston's creative enterprises went from 40 to 30 (2015–2025): a low percentile on growth, but counts
    rounded to 5 can move such a rate by a third. The growth section's finding says so once; the benchmark's
    percentile of the same ten-year growth is not a second finding (and never a weakness)."""
    from creative_clusters.reporting import context

    assert min(series[("Boston", "2015")], series[("Boston", "2025")]) < 50  # the file's own counts
    every: list = []
    real = context.place_findings
    monkeypatch.setattr(context, "place_findings", lambda st, inp: every.extend(real(st, inp)) or every)
    pl = E.resolve_evidence_place(nd, "Boston")
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))
    bench = next(s for s in ctx["sections"] if s["id"] == "benchmark")["tables"][0]
    label = "Growth in creative enterprises over ten years (%)"
    row = next(r for r in bench["rows"] if r[1] == label)
    assert row[3] <= 20  # a weakness by its percentile alone
    growth = [f for f in every if "growth" in f.topic.lower() and "creative enterprises" in f.topic.lower()]
    assert len(growth) == 1 and growth[0].kind == "inconclusive" and "base under 50 enterprises" in growth[0].claim


def test_short_tables_are_not_split_across_pdf_pages(nd, tmp_path):
    """Sheffield's peer table left its last two rows alone at the top of the next page: a table of up to
    KEEP_WHOLE_LINES printed lines is now kept on one page."""
    import re

    pypdf = pytest.importorskip("pypdf")
    from creative_clusters.reporting.render_html import KEEP_WHOLE_LINES, format_cell, table_lines

    def squash(s):
        return re.sub(r"\s+", "", s)

    ctx, paths = E.build_pack("Sheffield", national=nd, out=tmp_path, formats=["pdf"])
    pages = [squash(p.extract_text()) for p in pypdf.PdfReader(str(paths[0])).pages]
    whole = [t for s in ctx["sections"] for t in s["tables"]
             if t.get("html", True) and t["title"] != "Key findings, ranked" and table_lines(t) <= KEEP_WHOLE_LINES]
    assert any(t["title"].startswith("Peer places") for t in whole)
    for t in whole:
        # the page of the caption, followed by the header (a sentence can name a table on an earlier page:
        # "the command is under Filling the gaps, section 9")
        first = next(i for i, p in enumerate(pages) if squash(t["title"] + t["columns"][0]) in p)
        fmts = t.get("cell_formats") or [t["formats"]] * len(t["rows"])
        for k, r in enumerate(t["rows"]):
            assert squash(format_cell(r[0], fmts[k][0])) in pages[first], (t["title"], r[0])


def test_neighbours_outside_england_show_series_values_and_are_not_called_unclustered(nd, full_warehouse):
    """Glasgow's neighbour table showed '–' for every count and LQ beside a map shaded by them, and said
    'Cluster under: none' for places the detection methods never assessed."""
    from creative_clusters.workflows.trajectory import series_place_table

    table, _meta = series_place_table(full_warehouse, "lad")
    ref = table.set_index("geo_code")
    pl = E.resolve_evidence_place(nd, "Glasgow")
    con = next(s for s in build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))["sections"] if s["id"] == "connections")
    t = next(t for t in con["tables"] if t["title"].startswith("Neighbouring local authorities"))
    assert "Creative business LQ (UK = 1)" in t["columns"]
    assert len(t["rows"]) >= 3
    # the neighbours are tested by the rules run on the UK-wide series (was: "not assessed", before the pack ran
    # them outside England); their verdicts are the detectors' on the series table
    from creative_clusters import kinds
    from creative_clusters.workflows import detection

    floor = detection.resolve_min_size(table, "businesses")
    thr = detection.detect(table, method="threshold", min_size=floor)[0].set_index("geo_code")["cluster"]
    strong = detection.detect(table, method="strong")[0].set_index("geo_code")["cluster"]
    for code, _name, ent, lq, flag in t["rows"]:
        assert ent == ref.loc[code, "businesses"] and lq == pytest.approx(ref.loc[code, "business_lq_uk"])
        want = [name for name, on in ((kinds.SERIES_THRESHOLD_RULE, thr[code]), (kinds.SERIES_STRONG_RULE,
                                                                                  strong[code])) if on]
        assert flag == (", ".join(sorted(want)) or "none")
    assert not any("Not assessed" in n for n in t["notes"])
    sheffield = E.resolve_evidence_place(nd, "Sheffield")
    con = next(s for s in build_context(E.gather_inputs(nd, sheffield, png=TEXT_ONLY))["sections"]
               if s["id"] == "connections")
    flags = [r[4] for r in con["tables"][0]["rows"]]
    assert "not assessed" not in flags and "none" in flags  # English neighbours were assessed


def test_an_lq_crossing_reads_as_a_crossing(nd):
    """Glasgow's LQ 'moved below 1 in 2021 (1.03 to 1.00)': 1.00 is not below 1 (it was 0.998)."""
    import re

    sec = _growth(nd, "Glasgow")
    text = " ".join(sec["sentences"])
    found = re.findall(r"(below|above) 1 in \d{4} \(([\d.]+) to ([\d.]+)\)", text)
    # a move within 0.005 of 1 is said only when the series is clearly on both sides of 1, which Glasgow's
    # (never below 0.995) is not (round 8)
    assert "the LQ moved to or from 1.00" not in text
    for way, a, b in found:
        assert (float(a) >= 1 > float(b)) if way == "below" else (float(a) <= 1 < float(b)), (way, a, b)


def test_no_census_2021_rows_for_scotland_is_explained_by_its_own_census(nd):
    """Glasgow was told 'Census 2021 TS060 has no rows for Glasgow City', as if rows were missing; the
    table is England and Wales's census (Scotland's was held in 2022)."""
    pl = E.resolve_evidence_place(nd, "Glasgow")
    sections = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))["sections"]
    missing = " ".join(m for s in sections for m in s["missing"])
    assert "has no rows for Glasgow" not in missing
    assert "covers England and Wales only" in missing and "Scotland's Census 2022" in missing


def test_the_trajectory_rules_name_their_lq_against_the_uk(nd):
    """Brighton and Hove's pack gave its LQ as 1.90 (against England, counts by SIC class) and, in the
    trajectory sentence, '1.99 (LQ of 2024)' with no reference: the second is the annual series against
    the UK, and now says so."""
    sec = _growth(nd, "Brighton and Hove")
    rule = next(s for s in sec["sentences"] if s.startswith("On the trajectory rules"))
    assert re.search(r"LQ [0-9.]+ against the UK \(annual series", rule) and "(LQ of" not in rule


def test_the_two_counts_note_names_both_ranks_when_they_differ(nd):
    """Middlesbrough ranked 249th in its headline (counts by SIC class) and 251st in the baselines (annual
    series), with nothing saying why."""
    import re

    pl = E.resolve_evidence_place(nd, "Middlesbrough")
    inp = E.gather_inputs(nd, pl, png=TEXT_ONLY)
    ctx = build_context(inp)
    t = next(t for t in ctx["sections"][0]["tables"] if t["title"] == "Baselines to set targets against")
    series_rank = inp.trajectory.series[-1].rank_nation
    note = next(n for n in t["notes"] if n.startswith("The two counts"))
    by_class = int(re.search(r"(\d+)(?:st|nd|rd|th) by SIC class", note).group(1))
    assert by_class != series_rank and f"{series_rank}" in note.split("by SIC class")[-1]


def test_a_combined_authoritys_series_table_has_one_rank_column_per_base_and_no_empty_note(nd):
    """Greater Manchester's table had two columns headed 'Rank in England' (its nation and the base of its
    UK-wide rank are both England) and a Note column empty in every row, as in all eight packs reviewed."""
    t = _series_table(_growth(nd, "Greater Manchester"))
    assert len(t["columns"]) == len(set(t["columns"])) and "Rank in England" in t["columns"]
    assert "Note" not in t["columns"] and all(len(r) == len(t["columns"]) == len(t["formats"]) for r in t["rows"])
    # a place with a flagged year keeps its notes; a LAD keeps both of its ranks
    b = _series_table(_growth(nd, "Bromsgrove"))
    assert b["columns"][-1] == "Note" and any(r[-1] for r in b["rows"])
    assert {"Rank in England", "Rank in the UK"} <= set(b["columns"])
