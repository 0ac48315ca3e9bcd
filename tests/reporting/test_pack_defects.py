"""Defects found by trying the pack as a bid writer would (issue 12), each pinned on the real bundle.

Expected values come from the source files (read here through the warehouse), never from the pack.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata

GM_BOROUGHS = [f"E0800000{i}" for i in range(1, 10)] + ["E08000010"]



def _ctx(nd, query):
    pl = E.resolve_evidence_place(nd, query)
    return build_context(E.gather_inputs(nd, pl, png=False, workforce=E._workforce(nd, pl)))


def _section(ctx, sid):
    return next(s for s in ctx["sections"] if s["id"] == sid)


def _bench_row(ctx, indicator_label_start):
    t = _section(ctx, "benchmark")["tables"][0]
    return next(dict(zip(t["columns"], r, strict=True)) for r in t["rows"]
                if str(r[1]).startswith(indicator_label_start))


def test_manchester_builds_and_batch_equals_single(nd, tmp_path):
    # was: jinja2 UndefinedError 'formats' for the ten GM boroughs; the batch path skipped workforce
    _, paths = E.build_pack("Manchester", national=nd, out=tmp_path / "one", formats=("html",),
                            build_date="2026-01-01")
    single = paths[0].read_text("utf-8")
    assert "Self-employment-inclusive location quotient" in single
    E._init_worker(nd)
    batch = E._one("E08000003", str(tmp_path / "all"), ("html",), "2026-01-01")
    assert Path(batch[0]).read_text("utf-8") == single


def test_greater_manchester_workforce_section_shows_gm_tables(nd):
    ctx = _ctx(nd, "Greater Manchester")
    work = _section(ctx, "workforce")
    text = " ".join(work["sentences"] + work["missing"])
    assert "custom" not in text and "not a union of LADs" not in text
    assert any("self-employed" in s for s in work["sentences"])
    assert any("Self-employment" in t["title"] for t in work["tables"])


def test_one_census_share_across_sections(nd, full_warehouse):
    # raw TS060: creative divisions over all residents in employment, summed over the ten boroughs
    ctx = _ctx(nd, "Greater Manchester")
    bench = _bench_row(ctx, "Residents in employment in creative industry divisions")["Value"]
    census = next(r for r in _section(ctx, "workforce")["tables"][0]["rows"] if r[1] == "Creative divisions together")
    assert bench == pytest.approx(census[3])
    assert 4.8 < census[3] < 4.9  # 4.85% in the raw file


def test_published_combined_authority_row_is_preferred(nd, full_warehouse):
    o = full_warehouse.observations(dataset="local_indicators", geo_code="E47000001",
                                    measure="gross_value_added_per_hour_worked_gbp")
    published = float(o.sort_values("period")["value"].iloc[-1])
    ctx = _ctx(nd, "Greater Manchester")
    row = _bench_row(ctx, "GVA per hour")
    assert row["Value"] == pytest.approx(published)
    assert "Published" in row["Note"]


def test_not_ranked_only_for_counts_and_no_nan_in_alt_text(nd):
    ctx = _ctx(nd, "Greater Manchester")
    t = _section(ctx, "benchmark")["tables"][0]
    not_ranked = [r[1] for r in t["rows"] if "Not ranked" in str(r[7])]
    assert not_ranked and all("(%)" not in lab and "GVA" not in lab and "rate" not in lab for lab in not_ranked)
    alts = " ".join(f["alt"] for s in ctx["sections"] for f in s["figures"])
    assert not re.search(r"\bnan\b", alts)


@pytest.mark.parametrize(("place", "neighbour"), [("Cornwall", "E06000026"),   # Plymouth, across the Tamar
                                                  ("Cardiff", "W06000014")])   # Vale of Glamorgan
def test_neighbours_by_buffered_touch(nd, place, neighbour):
    ctx = _ctx(nd, place)
    con = _section(ctx, "connections")
    assert con["tables"], con["missing"]
    assert neighbour in [r[0] for r in con["tables"][0]["rows"]]
    assert not any("Neighbours need" in m for m in con["missing"])


@pytest.mark.parametrize("place", ["Manchester", "Westminster", "Brighton and Hove"])
def test_methods_agree_only_when_two_or_more_flag_the_place(nd, place):
    """Manchester was 'detected under the Nesta rule' and told 'independent methods agree', while the
    same pack said the other methods did not flag it. Agreement needs two or more methods."""
    ctx = _ctx(nd, place)
    code = ctx["place"]["code"]
    mine = nd.clusters[nd.clusters["geo_code"] == code]
    flagged = int(mine["is_cluster"].astype(bool).sum())
    found = [f for f in _section(ctx, "summary")["findings"]["strength"] if f["topic"] == "Detected cluster"]
    if not flagged:
        assert not found
        return
    (f,) = found
    assert ("agree" in f["so_what"]) == (flagged >= 2), (flagged, f["so_what"])
    if flagged == 1 and mine["method"].nunique() > 1:
        assert f"One of the {mine['method'].nunique()} methods" in f["so_what"]


def test_no_engine_diagnostics_in_the_pack_and_islands_said_per_place(nd, tmp_path):
    """Every pack's section 7 printed the hot-spot detector's own warning ('HotspotClusters: 2 place(s)
    have no neighbours (islands, e.g. ['E06000046', 'E06000053'])…'), about islands unrelated to the
    place. Now only the island itself is told, in words; HTML shows commands as code, not backticks."""
    ctx = _ctx(nd, "Sheffield")
    text = " ".join(" ".join(s["missing"]) for s in ctx["sections"])
    assert "HotspotClusters" not in text and "islands" not in text and "['E0" not in text
    wight = _ctx(nd, "Isle of Wight")
    conn = " ".join(_section(wight, "connections")["missing"])
    assert "hot-spot analysis gives no statistic to Isle of Wight" in conn
    _c, paths = E.build_pack("Sheffield", national=nd, out=tmp_path, formats=("html",))
    html = paths[0].read_text("utf-8")
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    assert "`" not in re.sub(r"<[^>]+>", "", body)


def test_growth_notice_does_not_deny_the_annual_series(nd):
    """Section 3 said creative counts were 'in the warehouse for one year only' right under the
    2010-2025 annual table; only the counts by sub-sector are one year."""
    growth = _section(_ctx(nd, "Sheffield"), "growth")
    assert any("2010" in t["title"] or "annual" in t["title"].lower() for t in growth["tables"]) or growth["figures"]
    text = " ".join(growth["missing"])
    assert "Creative enterprise counts are in the warehouse for one year only" not in text
    assert "counts by sub-sector (SIC class) for one year only" in text
    # the command itself sits in the methods appendix's "Filling the gaps" table, pointed to from here
    assert "Filling the gaps, section 9" in text
    ctx_gaps = next(t for t in _section(_ctx(nd, "Sheffield"), "sources")["tables"] if t["title"] == "Filling the gaps")
    assert any(r[2].endswith("--geography lad --date YEAR") for r in ctx_gaps["rows"])


def test_benchmark_does_not_lead_with_a_percentile_of_a_tiny_count(nd):
    """Sheffield's benchmark section opened with 'higher-education providers … 94th percentile', a count of 2."""
    from creative_clusters.reporting.findings import MIN_STRENGTH_COUNT

    ctx = _ctx(nd, "Sheffield")
    bench = _section(ctx, "benchmark")
    t = bench["tables"][0]
    small = [r[1] for r in t["rows"] if r[6] != "gap" and isinstance(r[2], (int, float)) and r[2] < MIN_STRENGTH_COUNT
             and "providers" in str(r[1]).lower()]
    assert small, "the premise: Sheffield's provider count is under the floor"
    lead = " ".join(s for s in bench["sentences"] if "percentile" in s).lower()
    assert not any(label.lower() in lead for label in small)


def test_one_survival_rate_across_sections_for_a_group(nd):
    """Greater Manchester's three-year survival read 48.9% in the benchmark and baselines and 48.7% in
    section 3's text and table: two weightings of the same members. One value now, section 3's."""
    ctx = _ctx(nd, "Greater Manchester")
    bench = _bench_row(ctx, "Three-year business survival rate")["Value"]
    growth = " ".join(_section(ctx, "growth")["sentences"])
    m = re.search(r"3-year survival rate in Greater Manchester is ([0-9.]+)%", growth)
    assert m, growth[:400]
    assert f"{bench:.1f}" == m.group(1)
    base = next(t for t in _section(ctx, "summary")["tables"] if t["title"].startswith("Baselines"))
    row = next(r for r in base["rows"] if str(r[0]).startswith("Three-year business survival rate"))
    assert f"{row[1]:.1f}" == m.group(1)


def test_second_review_wording(nd, tmp_path):
    """A second read of Brighton and Hove's pack: the same bid guidance under four findings, the benchmark
    titled "Growth-potential benchmark (Growth-potential benchmark, version 1.2)", museums with both an
    accreditation column and a True/False one, and commands in Excel notes kept in their backticks."""
    from openpyxl import load_workbook

    ctx, paths = E.build_pack("Brighton and Hove", national=nd, out=tmp_path, formats=["xlsx"])
    guidance = [f["so_what"] for v in _section(ctx, "summary")["findings"].values() for f in v if f["so_what"]]
    assert guidance and len(guidance) == len(set(guidance))
    title = _section(ctx, "benchmark")["tables"][0]["title"]
    assert title.count(nd.framework.title) == 1 and f"version {nd.framework.version}" in title
    museums = next(t for t in _section(ctx, "microclusters")["tables"] if t["title"].startswith("Museums"))
    assert sum("ccredit" in c for c in museums["columns"]) == 1
    assert not {True, False, "True", "False"} & {v for r in museums["rows"] for v in r if isinstance(v, (bool, str))}
    wb = load_workbook(paths[0], read_only=True)
    text = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("creative-clusters" in c for c in text) and not any("`" in c for c in text)


def test_a_zero_or_tiny_subsector_count_gets_no_rank(nd):
    """Middlesbrough's Crafts, 0 enterprises (0 to 2 in the source), was '141st among English LADs': a tie
    with every other place near zero, not a standing."""
    from creative_clusters.indicators.ranking import MIN_RANK_COUNT

    ctx = _ctx(nd, "Middlesbrough")
    t = _section(ctx, "scale")["tables"][0]
    rows = [dict(zip(t["columns"], r, strict=True)) for r in t["rows"]]
    small = [r for r in rows if r["Enterprises"] < MIN_RANK_COUNT]
    assert any(r["Enterprises"] == 0 for r in small)  # Crafts, in the source file
    rank = "Rank among English LADs (by enterprises)"
    assert all(r[rank] is None for r in small)
    assert all(r[rank] is not None for r in rows if r["Enterprises"] >= MIN_RANK_COUNT)


def test_a_group_is_ranked_among_local_authorities_and_itself(nd):
    """West Yorkshire was '81st percentile of 297 local authorities': it is not a local authority, and the
    base holds 296 of them plus West Yorkshire itself."""
    ctx = _ctx(nd, "West Yorkshire")
    claims = [f["claim"] for v in _section(ctx, "summary")["findings"].values() for f in v
              if "percentile of" in f["claim"]]
    # round 8 (rev_1 item 10): such a rank is not like-for-like, so it is no finding at all any more; any
    # percentile claim left must still name its mixed base
    for c in claims:
        n = int(re.search(r"percentile of (\d+)", c).group(1))
        assert f"of {n} places ({n - 1} local authorities and West Yorkshire" in c, c  # "; 100 = best)" follows
    assert any("not like-for-like" in s for s in _section(ctx, "summary")["sentences"])


def test_pdf_layout_no_orphan_caption_page_no_broken_codes_or_header_words(nd, tmp_path):
    """Brighton and Hove's page 13 held nothing but the last two lines of the benchmark dot plot's caption;
    its neighbours' LAD codes broke as 'E0700006 / 3' and headers as 'Year opene / d'."""
    pypdf = pytest.importorskip("pypdf")
    ctx, paths = E.build_pack("Brighton and Hove", national=nd, out=tmp_path, formats=["pdf"])
    pages = [p.extract_text() for p in pypdf.PdfReader(str(paths[0])).pages]
    # every page but the last holds a page's worth of text; the last may be short, but never the footer alone
    # (the licence and generator lines once made page 30 by themselves)
    assert [i + 1 for i, t in enumerate(pages[:-1]) if len(re.sub(r"Page \d+ of \d+", "", t).strip()) < 400] == []
    last = re.sub(r"Page \d+ of \d+", "", pages[-1])
    body = last.split("Contains public sector information", 1)[0]
    assert len(body.strip(" •\n")) >= 40, last
    text = "\n".join(pages)
    shown = [t for s in ctx["sections"] for t in s["tables"]
             if t.get("html", True) and t["title"] != "Key findings, ranked"]
    codes = {r[0] for t in shown for r in t["rows"] if isinstance(r[0], str) and re.fullmatch(r"[EWSN]\d{8}", r[0])}
    assert len(codes) >= 5 and [c for c in codes if c not in text] == []
    words = {w for t in shown for c in t["columns"] for w in str(c).split() if w.isalpha() and 5 <= len(w) <= 8}
    assert {"Postcode", "opened"} <= words and [w for w in words if w not in text] == []


def test_a_groups_members_under_each_method_are_said_in_one_sentence(nd):
    """West Yorkshire's summary said 'None of the 5 local authorities in West Yorkshire is a creative
    cluster under …' three times in a row, once per method."""
    ctx = _ctx(nd, "West Yorkshire")
    about = [s for s in _section(ctx, "summary")["sentences"] if "local authorities in West Yorkshire" in s]
    members = E.resolve_evidence_place(nd, "West Yorkshire").members
    tested = nd.clusters.loc[nd.clusters["geo_code"].isin(members), "method"].unique()
    assert len(tested) >= 2 and len(about) == 1
    assert all(m in about[0] for m in tested)


def test_a_high_birth_rate_beside_a_high_death_rate_is_churn_not_a_strength(nd):
    """Middlesbrough's pack offered its birth rate (98th percentile) as a strength and left out its death
    rate (3rd percentile, lower is better): many firms start and many close."""
    ctx = _ctx(nd, "Middlesbrough")
    bench = {r["Indicator"]: r for r in (dict(zip(_section(ctx, "benchmark")["tables"][0]["columns"], r, strict=True))
                                         for r in _section(ctx, "benchmark")["tables"][0]["rows"])}
    births, deaths = bench["Business birth rate (%)"], bench["Business death rate (%)"]
    assert births["Percentile: all places"] >= 80 and deaths["Percentile: all places"] <= 20  # from the data
    found = _section(ctx, "summary")["findings"]
    claims = {k: [f["claim"] for f in v] for k, v in found.items()}
    assert not any("birth rate" in c.lower() for c in claims["strength"])
    churn = [c for c in claims["inconclusive"] if c.startswith("High business churn in Middlesbrough")]
    assert len(churn) == 1 and f"{births['Value']:.1f}%" in churn[0] and f"{deaths['Value']:.1f}%" in churn[0]


def test_the_summary_says_how_many_findings_it_leaves_out_and_the_annex_has_them_all(nd):
    """Brighton and Hove's methods call a percentile of 80 or more a strength, yet GVA per hour (85), its
    universities (94) and more were in no list: the summary shows the top five without saying so."""
    ctx = _ctx(nd, "Brighton and Hove")
    summary = _section(ctx, "summary")
    shown = summary["findings"]
    table = next(t for t in summary["tables"] if t["title"] == "Key findings, ranked")
    kinds = [r[0] for r in table["rows"]]
    n_strong = sum(k.lower().startswith("strength") for k in kinds)
    assert n_strong > len(shown["strength"]) == 5  # more strengths pass than the summary lists
    extra = n_strong - len(shown["strength"])
    assert any(s.startswith(f"Beyond those listed, {extra} further strength") for s in summary["sentences"])
