"""Evidence packs on the real reference bundle; expected numbers come from the data README
(published checks), not from this code's output."""

from __future__ import annotations

import pytest

from creative_clusters.errors import PlaceNotFoundError
from creative_clusters.reporting.context import build_context
from creative_clusters.workflows.evidence import build_pack, gather_inputs, resolve_evidence_place
from creative_clusters.workflows.pack_data import load_national

pytestmark = pytest.mark.realdata



def _ctx(nd, query=None, **kw):
    pl = resolve_evidence_place(nd, query, **kw)
    return build_context(gather_inputs(nd, pl, png=False))


def _section(ctx, sid):
    return next(s for s in ctx["sections"] if s["id"] == sid)


def test_england_total_and_westminster_match_published_checks(nd):
    assert nd.enterprises.to_numpy().sum() == 246_790          # README: England total
    ctx = _ctx(nd, "Westminster")
    assert ctx["place"]["code"] == "E09000033"
    assert ctx["headline"][0]["raw"] == 10_350                 # README: Westminster
    assert ctx["headline"][1]["raw"] == pytest.approx(10_350 / 246_790 * 100)
    assert ctx["headline"][3]["value"] == "1st of 296"         # largest of the 296 LADs
    assert "10,350 creative enterprises" in _section(ctx, "scale")["sentences"][0]


def test_sheffield_growth_table_carries_uk_total(nd):
    ctx = _ctx(nd, "Sheffield")
    assert ctx["place"]["code"] == "E08000019"
    growth = _section(ctx, "growth")
    table = next(t for t in growth["tables"] if t["title"].startswith("Business demography"))
    uk_col = table["columns"].index("UK active enterprises")
    row_2024 = next(r for r in table["rows"] if r[0] == "2024")
    assert row_2024[uk_col] == 2_859_535                        # README: UK 2024
    assert any("Sheffield" in r[0] or "Yorkshire" in r[3] for r in _section(ctx, "research")["tables"][0]["rows"])


def test_brighton_is_concentrated_as_the_literature_says(nd):
    # Nesta 2010 and 2016 name Brighton as a creative hotspot/cluster (docs/methods.md §1)
    ctx = _ctx(nd, "Brighton and Hove")
    lq = next(h for h in ctx["headline"] if "location quotient" in h["label"])
    assert lq["raw"] > 1.2
    bench = _section(ctx, "benchmark")["tables"][0]["rows"]
    assert all(r[3] is None for r in bench if r[6] == "gap")


def test_combined_authority_and_user_group_sum_their_members(nd):
    ctx = _ctx(nd, "Greater Manchester")
    members = ctx["place"]["members"]
    assert len(members) == 10
    assert ctx["headline"][0]["raw"] == nd.enterprises.loc[members].to_numpy().sum()
    thames = ["E06000034", "E06000033", "E06000035"]  # Thurrock, Southend-on-Sea, Medway
    g = _ctx(nd, name="Thames Estuary", places=thames)
    assert g["place"]["name"] == "Thames Estuary"
    assert g["headline"][0]["raw"] == nd.enterprises.loc[thames].to_numpy().sum()


def test_rural_district_builds_with_honest_gaps(nd, tmp_path):
    ctx, paths = build_pack("West Devon", national=nd, out=tmp_path, formats=("html", "xlsx"))
    assert ctx["place"]["code"] == "E07000047"
    assert len(paths) == 2 and all(p.stat().st_size > 0 for p in paths)
    assert _section(ctx, "growth")["status"] == "partial"


def test_unknown_place_gets_suggestions(nd):
    with pytest.raises(PlaceNotFoundError) as err:
        resolve_evidence_place(nd, "Sheffeld")
    assert any("Sheffield" in s for s in err.value.suggestions) or "Sheffield" in str(err.value)


def test_real_html_is_self_contained_and_all_regions_build(nd, tmp_path):
    import re

    from creative_clusters.workflows.evidence import build_all, level_codes

    _ctx, paths = build_pack("Westminster", national=nd, out=tmp_path, formats=("html",))
    html = paths[0].read_text("utf-8")
    refs = "".join(re.findall(r'<ol class="refs">.*?</ol>', html, flags=re.S))
    outside = html.replace(refs, "")
    # nothing is loaded from outside the page (a link, <a href>, loads nothing until it is followed)
    assert not re.search(r'(?i)\bsrc\s*=\s*"(https?:)?//', outside)
    assert not re.search(r'(?i)<(link|script|img|iframe|object|embed|source)\b[^>]*\bhref\s*=\s*"(https?:)?//',
                         outside)
    assert re.search(r'<a href="https://', refs)
    assert "<svg" in html and "Westminster and neighbouring areas" in html  # the map is inline
    # valid HTML: ids are unique across the page's inline figures, and every internal reference resolves
    ids = re.findall(r'\bid="([^"]+)"', html)
    dup = sorted({i for i in ids if ids.count(i) > 1})
    assert html.count("<svg") >= 4 and not dup, dup[:10]
    internal = re.findall(r'url\(#([^)]+)\)', html) + re.findall(r'href="#([^"]+)"', html)
    assert internal and set(internal) <= set(ids)
    rgns = level_codes(nd, "rgn")
    assert len(rgns) == 12  # the nine English regions, Wales, Scotland and Northern Ireland (round 18)
    out = build_all(level="rgn", out=tmp_path / "rgn", formats=("xlsx",), workers=1, national=nd, limit=2)
    assert len(out) == 2


# English metropolitan districts and large urban unitaries (published ONS LAD categories), not our output
URBAN = {"Leeds", "Bradford", "Liverpool", "Newcastle upon Tyne", "Nottingham", "Leicester", "Bristol, City of",
         "Manchester", "Birmingham", "Coventry", "Kirklees", "Wakefield", "Wirral", "Sunderland",
         "Kingston upon Hull, City of", "Stoke-on-Trent", "Derby", "Plymouth", "Southampton", "Portsmouth",
         "Doncaster", "Rotherham", "Barnsley", "Wigan", "Bolton", "Stockport", "Salford"}


def test_sheffield_auto_peers_are_mostly_urban(nd):
    from creative_clusters.reporting.context import _choose_peers

    pl = resolve_evidence_place(nd, "Sheffield")
    peers = [nd.names[c] for c in _choose_peers(gather_inputs(nd, pl, png=False))]
    assert len(peers) == 10
    assert len(URBAN & set(peers)) >= 5, peers
    assert not {"Somerset", "Wiltshire", "Dorset", "Cornwall"} & set(peers), peers


def test_every_percentile_uses_the_2023_english_lad_base(nd):
    # 296 English LADs on 2023 boundaries (README / ONS); no indicator may count more places
    assert len(nd.indicators) == 296
    ctx = _ctx(nd, "Sheffield")
    bench = _section(ctx, "benchmark")["tables"][0]
    n_col = bench["columns"].index("Places with data")
    ind_col = bench["columns"].index("Indicator")
    bases = {r[ind_col]: r[n_col] for r in bench["rows"] if r[n_col]}
    assert bases and all(n <= 296 for n in bases.values()), bases
    # Census 2021 counts on 2021 codes are summed onto the 2023 mergers, so this share covers all 296
    share = next(n for k, n in bases.items() if "Census" in k or "residents" in k.lower())
    assert share == 296
    assert any("2023 boundaries" in n for n in bench["notes"])
    # the base's size in the notes is counted from the data (296, README), not written in the code
    assert any("2023 boundaries (296)" in n for n in bench["notes"])
    methods = " ".join(_section(ctx, "sources")["methods"])
    assert "2023 boundaries (296 English local authorities)" in methods


def test_census_headline_names_the_catalogue_vintage(nd):
    """The headline's Census label comes from the census dataset's vintage in the catalogue."""
    import copy

    pl = resolve_evidence_place(nd, "Sheffield")
    inp = gather_inputs(nd, pl, png=False)
    census = next(s for s in inp.sources if s.get("kind") == "census_industry")
    assert str(census["vintage"]) == "2021"                      # README: Census 2021 TS060
    labels = [h["label"] for h in build_context(copy.deepcopy(inp))["headline"]]
    assert "Share of employed residents in creative divisions (Census 2021)" in labels
    for s in inp.sources:                                        # a newer census imported: the label follows
        if s.get("kind") == "census_industry":
            s["vintage"] = "2031"
    labels = [h["label"] for h in build_context(inp)["headline"]]
    assert "Share of employed residents in creative divisions (Census 2031)" in labels


def test_all_level_ttwa_lists_english_and_welsh_ttwas_with_data(full_home):
    from creative_clusters.workflows.evidence import level_codes

    codes = level_codes(load_national(full_home, cache=False), "ttwa")
    assert "E30000179" in codes  # Brighton TTWA (ONS TTWA 2011 code list)
    # English, Welsh or cross-border TTWAs (round 18: the Welsh ones too, as `evidence ttwa:Cardiff` builds)
    assert all(c.startswith(("E30", "W22", "K01")) for c in codes)
    assert any(c.startswith("W22") for c in codes)
    assert 100 < len(codes) <= 149 + 18  # England has 149 TTWAs, Wales 18; some hold no LAD majority


def test_two_creative_counts_in_the_baselines_are_reconciled(nd):
    """Sheffield showed 1,610 (by SIC class) and 1,605 (annual series) without a word on why."""
    ctx = _ctx(nd, "Sheffield")
    base = next(t for t in ctx["sections"][0]["tables"] if t["title"].startswith("Baselines"))
    values = {r[0]: r[1] for r in base["rows"]}
    a = values["Creative enterprises (by SIC class)"]
    b = next(v for k, v in values.items() if k.startswith("Creative enterprises (annual series"))
    assert a == nd.enterprises.loc["E08000019"].sum()              # the SIC-class counts, summed
    note = " ".join(base["notes"])
    assert a == b or (f"{a:,.0f}" in note and f"{b:,.0f}" in note and "rounded to 5" in note)


def test_a_one_authority_ttwa_says_whose_figures_it_shows(nd):
    """The Leeds travel-to-work area holds one LAD under the majority rule; its pack called it 'Leeds'
    throughout without saying so."""
    pl = resolve_evidence_place(nd, "ttwa:Leeds")
    assert pl.geo_type == "ttwa"
    ctx = build_context(gather_inputs(nd, pl, png=False))
    summary = " ".join(ctx["sections"][0]["sentences"])
    if len(pl.members) == 1:
        assert "represented here by one local authority, Leeds" in summary
    else:
        assert f"is made of {len(pl.members)} local authorities" in summary


def test_combined_authority_peers_are_the_authorities_in_force(nd):
    """The data README: `lad24_cauth24_lookup_en.csv` is the May 2024 CA lookup and
    `cauth25.csv` the 2025 list. North East (E47000010) and North of Tyne (E47000011)
    were abolished in May 2024 and replaced by one North East authority (E47000014, seven
    LADs: the four of the old North East and the three of North of Tyne); a bid in 2026 must
    be compared with the authorities that exist."""
    from creative_clusters.reporting.context import _choose_peers
    from creative_clusters.workflows.evidence import level_codes, lint_codes

    codes = level_codes(nd, "cauth")
    assert {"E47000010", "E47000011"}.isdisjoint(codes)
    assert {"E47000012", "E47000013", "E47000014"} <= set(codes)
    assert set(lint_codes(nd)["cauth"]) == set(codes)
    ne = resolve_evidence_place(nd, "E47000014")
    assert len(ne.members) == 7
    peers = _choose_peers(gather_inputs(nd, resolve_evidence_place(nd, "West Yorkshire"), png=False))
    assert peers and {"E47000010", "E47000011"}.isdisjoint(peers)
    assert all(p.startswith("E47") for p in peers)
    # a borough's pack names its authority now (Newcastle: North East, not North of Tyne), e.g. to pick
    # the research that deals with it
    newcastle = resolve_evidence_place(nd, "Newcastle upon Tyne")
    assert "E47000014" in newcastle.chain and "North of Tyne" not in newcastle.chain
    research = _section(_ctx(nd, "Newcastle upon Tyne"), "research")
    assert not any("North of Tyne" in s for s in research["sentences"])
