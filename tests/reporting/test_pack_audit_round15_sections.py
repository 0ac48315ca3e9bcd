"""Round 15 audit of the evidence pack's sections (helper 2): rank headers that name their measure, two
employment series reconciled, an aggregate's percentiles carrying the summary's caveat, short names.
Each test failed before its fix.

Real bundle; expected values are worked by hand from the source files in ``$CREATIVE_CLUSTERS_DATA`` (read here
with pandas, not through the warehouse), or from the pack's own tables where a test checks consistency.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from creative_clusters.classifications import dcms
from creative_clusters.reporting.context import build_context
from creative_clusters.workflows import evidence as E
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata

COUNTS = "business_counts/business_counts_fact_long_2025_with_codes.csv"


def _group(nd, name: str, places: list[str]):
    pl = E.resolve_evidence_place(nd, None, name=name, places=places)
    return build_context(E.gather_inputs(nd, pl, png=False, workforce=E._workforce(nd, pl)))


def _counts(data_root) -> pd.DataFrame:
    b = pd.read_csv(data_root / COUNTS, dtype={"sic2007_4": str})
    b["sub"] = b["sic2007_4"].map(dcms.subsector_of)
    return b


def _text(ctx, sid: str) -> str:
    return " ".join(section(ctx, sid)["sentences"])


@pytest.fixture(scope="module")
def west_yorkshire(nd):
    return pack_context(nd, "West Yorkshire", ("film",))


# --- 1: each rank column names its measure -------------------------------------------------------------

def test_the_subsector_ranks_say_which_measure_they_rank_by(nd, data_root):
    # was: Brighton and Hove's IT row "Rank among English LADs 25 | Rank among place and 10 peers 2": 25th by
    # count, 2nd by LQ, side by side and unlabelled
    ctx = pack_context(nd, "Brighton and Hove", ("music",))
    table = section(ctx, "scale")["tables"][0]
    cols = table["columns"]
    by_count, by_lq = "Rank among English LADs (by enterprises)", "Rank among place and 10 peers (by LQ)"
    assert by_count in cols and by_lq in cols
    it = next(r for r in table["rows"] if r[0].startswith("IT, software"))
    # by hand: IT's four classes summed per LAD in the 2025 file; Brighton and Hove has 840, and 24 of the 296
    # English LADs have more, so it is 25th by enterprises
    b = _counts(data_root)
    per_lad = b[b["sub"] == "IT, software and computer services"].groupby("lad23cd")["enterprises"].sum()
    own = per_lad["E06000043"]
    assert own == 840 and len(per_lad) == 296
    assert it[cols.index(by_count)] == int((per_lad > own).sum()) + 1 == 25
    # the peer column ranks the LQ column's values: the place and its peers, 1 = highest LQ
    assert it[cols.index(by_lq)] == 2


# --- 2: two employment series on different bases -------------------------------------------------------

def test_bres_and_the_ons_analysis_are_said_to_differ_in_basis(west_yorkshire, data_root):
    # was: BRES "rose by 33.2% ... from 35,355 to 47,085" (2015-2018) and the ONS analysis's 2018 employment
    # of 32,990 "fell by 6.6%" since, with nothing to say the two cannot be set side by side
    f = pd.read_csv(data_root / "bres_nuts2/nomis_BRES_2018_TYPE450.csv", dtype={"SIC4": str})
    bres = int(f[(f["geo_cd"] == "UKE4") & f["SIC4"].isin(dcms.creative_classes())]["value"].sum())
    ons = pd.read_excel(data_root / "ons_adhoc/240206wycacreativeindustriesanalysis.xlsx",
                        sheet_name="Analysis 1", header=None)
    start = ons.index[ons[0] == 2018][0]
    total = ons.loc[start:].loc[lambda x: x[0] == "Total"].iloc[0]
    assert (bres, int(total[2])) == (47_085, 32_990)  # the premise: the same year, far apart
    growth = section(west_yorkshire, "growth")
    text = " ".join(growth["sentences"])
    assert "from 35,355 to 47,085" in text
    own = next(t for t in growth["tables"] if t["title"].startswith("Creative industries in West Yorkshire"))
    assert next(r for r in own["rows"] if str(r[0]) == "2018")[own["columns"].index("Employment")] == 32_990
    said = next(s for s in growth["sentences"] if "differ in basis" in s)
    assert "BRES" in said and "ONS analysis for West Yorkshire" in said and "workplace" in said
    assert "not comparable" in said and "own trend" in said
    # after both series
    order = growth["sentences"]
    assert order.index(said) > max(i for i, s in enumerate(order) if "47,085" in s or "An ONS analysis" in s)


def test_the_one_year_notice_ends_in_a_full_stop_not_a_broken_join(west_yorkshire):
    # was: "... Fetch earlier UK Business Counts (see Filling the gaps, section 9).; the ONS analysis for West
    # Yorkshire in this section gives its creative totals year by year" (no closing full stop)
    notice = next(m for m in section(west_yorkshire, "growth")["missing"] if "for one year only" in m)
    assert ".;" not in notice
    assert notice.endswith("The ONS analysis for West Yorkshire in this section gives its creative totals year "
                           "by year.")


# --- 3: an aggregate's percentiles carry the summary's caveat wherever they are quoted ------------------

@pytest.mark.parametrize("query", ["West Yorkshire", "ttwa:Cambridge", "North East", "group"])
def test_an_aggregates_percentiles_carry_the_summarys_caveat(nd, data_root, query, west_yorkshire):
    # was: the summary disowned them ("not findings here ... not like-for-like") while the baselines said
    # "31st percentile of 297" and section 4 "at the 76th percentile of 297 places", neither with a caveat
    if query == "West Yorkshire":
        ctx, name = west_yorkshire, "West Yorkshire"
    elif query == "group":
        ctx, name = _group(nd, "Aire Valley", ["Leeds", "Bradford"]), "Aire Valley"
    else:
        ctx = pack_context(nd, query)
        name = ctx["place"]["name"]
    summary = _text(ctx, "summary")
    assert "they are not findings here" in summary and "not like-for-like" in summary  # the rule, said there
    # by hand: 296 English LADs in the 2025 file, and the area itself
    n_lads = pd.read_csv(data_root / COUNTS)["lad23cd"].nunique()
    assert n_lads == 296
    base = next(t for t in section(ctx, "summary")["tables"] if t["title"] == "Baselines to set targets against")
    ranked = [r[4] for r in base["rows"] if re.search(r"percentile of \d+", str(r[4]))]
    assert ranked and any(f"percentile of {n_lads + 1} " in c for c in ranked)
    assert all("not like-for-like" in c for c in ranked)
    # the table note points to section 4's caveat in other words (each sentence of a pack is said once)
    assert any("not findings (section 4 says why)" in n and name in n for n in base["notes"])
    bench = section(ctx, "benchmark")["sentences"]
    said = [i for i, s in enumerate(bench) if " percentile of " in s]
    assert said
    caveat = bench[said[-1] + 1]
    assert re.match(f"These percentiles rank (the )?{name}, an area of ", caveat) and "not like-for-like" in caveat
    assert "not findings" in caveat


def test_a_single_local_authority_has_no_such_caveat(nd):
    ctx = pack_context(nd, "Sheffield")
    base = next(t for t in section(ctx, "summary")["tables"] if t["title"] == "Baselines to set targets against")
    assert not any("not like-for-like" in str(r[4]) for r in base["rows"])
    assert "These percentiles rank" not in _text(ctx, "benchmark")


# --- 4: short names ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cambridge(nd):
    return pack_context(nd, "ttwa:Cambridge", ("games",))


def test_the_wider_area_names_the_travel_to_work_area_not_the_local_authority(cambridge):
    # was: "the 3 NUTS2 (2013) areas that contain Cambridge ... much larger than Cambridge (Cambridge holds 11%
    # of its population)": 11% is the travel-to-work area's share, not the Cambridge local authority's
    growth = section(cambridge, "growth")
    text = _text(cambridge, "growth")
    assert "NUTS2 (2013) areas that contain the Cambridge travel-to-work area" in text
    notes = " ".join(n for t in growth["tables"] for n in t["notes"])
    assert re.search(r"much larger than the Cambridge travel-to-work area \(which holds \d+% of its population\)",
                     notes)
    assert "contain Cambridge," not in text and "than Cambridge (" not in notes


def test_a_travel_to_work_areas_peers_are_named_one_way(cambridge):
    # was: "Oxford (travel-to-work area)" beside plain "Crewe" and "Leamington Spa" in one peer table
    t = next(t for t in section(cambridge, "benchmark")["tables"] if t["title"].startswith("Peer places"))
    assert {"Crewe (travel-to-work area)", "Oxford (travel-to-work area)"} <= {r[1] for r in t["rows"]}
    assert all(r[0].startswith("E30") and r[1].endswith(" (travel-to-work area)") for r in t["rows"])


def test_the_prose_and_the_table_note_list_the_same_swinging_sub_sectors(nd, data_root):
    # was: Cornwall's prose "2 sub-sectors swung ... (IT ...; and Advertising ...)" while the year-by-year
    # table's note listed 4 (adding Museums and Music)
    paths = {}
    for y in range(2015, 2019):
        f = pd.read_csv(data_root / f"bres_nuts2/nomis_BRES_{y}_TYPE450.csv", dtype={"SIC4": str})
        f = f[(f["geo_cd"] == "UKK3") & f["SIC4"].isin(dcms.creative_classes())]
        paths[y] = f.groupby(f["SIC4"].map(dcms.subsector_of))["value"].sum()
    p = pd.DataFrame(paths)

    def swings(v: list[float]) -> bool:  # the note's rule, by hand: a middle year >10% of the larger end outside
        lo, hi = min(v[0], v[-1]), max(v[0], v[-1])
        return any(x < lo - 0.1 * hi or x > hi + 0.1 * hi for x in v[1:-1])

    expected = [s for s in p.index if swings(p.loc[s].tolist())]
    assert expected == ["Advertising and marketing", "IT, software and computer services",
                        "Museums, galleries and libraries", "Music, performing and visual arts"]
    growth = section(pack_context(nd, "Cornwall", ("crafts",)), "growth")
    prose = next(s for s in growth["sentences"] if "swung between the end years" in s)
    assert prose.startswith("4 sub-sectors swung")
    note = next(n for t in growth["tables"] if t["title"].startswith("Creative employment by year")
                for n in t["notes"])
    listed = "Advertising and marketing; IT, software and computer services; Museums, galleries and libraries; " \
             "and Music, performing and visual arts"
    assert f"({listed})" in prose and f"Swinging here: {listed}." in note
    # none of the four is cited as the largest rise or fall
    change = next(s for s in growth["sentences"] if "the largest rise" in s)
    assert not any(name in change for name in expected)


def test_a_count_too_small_to_measure_gives_an_upper_bound_not_an_lq(nd, data_root):
    # was: "Crafts: too few enterprises (0 ...) to measure the concentration in Hastings (LQ 0.00)"
    b = _counts(data_root)
    crafts_england = b.loc[b["sic2007_4"] == "3212", "enterprises"].sum()
    assert b.loc[(b["lad_name"] == "Hastings") & (b["sic2007_4"] == "3212"), "enterprises"].tolist() == [0]
    d = pd.read_csv(data_root / "business_demography/business-demography.csv")
    a = d[(d["indicator"] == "Active businesses") & (d["period"] == "2024-01-01/P1Y")]
    active_h = float(a.loc[a["areanm"] == "Hastings", "observation"].iloc[0])
    active_e = float(a.loc[a["areacd"].str.match(r"^E0[6-9]"), "observation"].sum())
    # exact Poisson upper end for a count of 0 is -ln(0.025) = 3.689 firms, over the firms England's share predicts
    upper = -math.log(0.025) / (active_h * crafts_england / active_e)
    assert round(upper, 2) == 2.31
    ctx = pack_context(nd, "Hastings", ("crafts",))
    said = [str(x) for sec in ctx["sections"] for x in [*sec["sentences"], *(c for t in sec["tables"]
                                                                             for r in t["rows"] for c in r)]]
    claim = next(x for x in said if x.startswith("Crafts: too few enterprises"))
    assert f"(LQ below {upper:.2f})" in claim and "LQ 0.00" not in claim


def test_a_single_authoritys_counts_are_its_own_and_a_groups_sentence_has_one_colon(nd, data_root):
    # was: "Counts ... for Swansea's local authorities" (Swansea is one), and "... for Severn as a whole: it
    # covers 1 of its 3 local authorities: the 2025 extract covers ..." (two colons)
    swansea = _text(pack_context(nd, "Swansea", ("music",)), "summary")
    assert "by SIC class for Swansea (UK Business Counts" in swansea and "Swansea's local authorities" not in swansea
    group = _group(nd, "Severn Cross", ["Cardiff", "Newport", "Bristol"])
    notice = next(m for m in section(group, "scale")["missing"] if "as a whole" in m)
    first = notice.split(". ")[0]
    assert "as a whole, only for 1 of its 3 local authorities: the 2025 extract" in first
    assert first.count(":") == 1
    # the group straddles England and Wales: its growth is set against the UK, named "the UK" as elsewhere.
    # By hand: the series summed over every local authority, 255,210 (2015) to 266,735 (2025): +0.44% a year
    s = pd.read_csv(data_root / "business_counts_timeseries/creative_enterprises_lad_2010_2025.csv")
    uk = s.groupby("Year")["Enterprise Count"].sum()
    cagr = 100 * ((uk[2025] / uk[2015]) ** 0.1 - 1)
    assert f"{cagr:.1f}" == "0.4"
    base = next(t for t in section(group, "summary")["tables"] if t["title"] == "Baselines to set targets against")
    row = next(r for r in base["rows"] if r[0] == "Creative enterprises, compound growth")
    assert row[4] == f"the UK {cagr:.1f}% a year"
    assert "United Kingdom" not in " ".join(str(c) for r in base["rows"] for c in r)
