"""Trajectories on the real warehouse: aggregates equal the file's own sums, places, flags, classes.

The file's own totals come from an independent parse with the ``csv`` module
(its ``Region_1`` and ``Nation`` columns), never from the importer.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from creative_clusters.errors import ParameterError
from creative_clusters.sources.business_counts_timeseries import SERIES_FILE
from creative_clusters.workflows import trajectory as tr
from creative_clusters.workflows.places import resolve_place, user_group


@pytest.fixture(scope="module")
def file_sums(data_root: Path) -> dict[str, dict[tuple[str, str], float]]:
    by: dict[str, dict[tuple[str, str], float]] = {"region": defaultdict(float), "nation": defaultdict(float),
                                                   "lad": {}}
    with open(data_root / SERIES_FILE, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            v = float(r["Enterprise Count"])
            by["region"][(r["Region_1"], r["Year"])] += v
            by["nation"][(r["Nation"], r["Year"])] += v
            by["lad"][(r["Region"], r["Year"])] = v
    return by


@pytest.fixture(scope="module")
def data(full_home):
    from creative_clusters.warehouse import Warehouse

    with Warehouse(full_home, read_only=True) as wh:
        yield tr.load_trajectory_data(wh)


def test_regions_and_nations_reproduce_the_files_totals(data, file_sums):
    rgn = tr.trajectory_table(level="rgn", data=data)
    ctry = tr.trajectory_table(level="ctry", data=data)
    got = {(n.lower(), p): v for n, p, v in zip(rgn["geo_name"], rgn["period"], rgn["value"], strict=True)}
    got |= {(n.lower(), p): v for n, p, v in zip(ctry["geo_name"], ctry["period"], ctry["value"], strict=True)}
    # ITL1 regions of England and, for the other nations, the nation itself (12 × 16 years)
    assert len(file_sums["region"]) == 12 * 16
    for (name, year), v in file_sums["region"].items():
        assert got[(name.lower(), year)] == v, (name, year)
    for (name, year), v in file_sums["nation"].items():
        assert got[(name.lower(), year)] == v, (name, year)
    assert got[("england", "2025")] == 246_375  # the README's England figure for 2025


def test_combined_authorities_use_the_2023_hierarchy(data):
    groups = tr.level_groups(data, "cauth")
    h = data.hierarchy
    assert groups["E47000001"] == tuple(sorted(h.loc[h["cauth_code"] == "E47000001", "lad_code"]))
    assert len(groups["E47000001"]) == 10  # Greater Manchester
    assert len(groups["E47000002"]) == 4  # South Yorkshire


def test_sheffield_series_equals_the_files_16_values(full_warehouse, data, file_sums):
    t = tr.place_trajectory(full_warehouse, "Sheffield", data=data)
    assert t.code == "E08000019" and t.members == ("E08000019",)
    want = {y: v for (name, y), v in file_sums["lad"].items() if name == "Sheffield"}
    assert {y.period: y.value for y in t.series} == want and len(want) == 16
    ten = t.window("ten_year")
    assert ten is not None and ten.label == "2015–2025"
    assert "2015–2025" in ten.sentence and "England" in ten.sentence and "the UK" in ten.sentence
    assert t.source.id == "business_counts_series"


@pytest.mark.parametrize(("query", "code", "nation"), [
    ("Cardiff", "W06000015", "Wales"), ("Glasgow", "S12000049", "Scotland"),
    ("Belfast", "N09000003", "Northern Ireland"), ("Edinburgh", "S12000036", "Scotland"),
])
def test_four_nations_get_a_series_and_nation_comparisons(full_warehouse, data, query, code, nation):
    t = tr.place_trajectory(full_warehouse, query, data=data)
    assert t.code == code and t.nation_name == nation
    assert len(t.series) == 16 and all(y.value is not None and y.value > 0 for y in t.series)
    w = t.window("full")
    assert w is not None and w.nation_cagr is not None and w.uk_cagr is not None
    assert w.n_nation == {"Wales": 22, "Scotland": 32, "Northern Ireland": 11}[nation]
    assert t.trajectory in {"established", "emerging", "stable", "declining"}
    lq_years = [y.period for y in t.series if y.lq is not None]
    assert lq_years == [str(y) for y in range(2017, 2025)]  # Business Demography years


def test_bromsgrove_2018_flagged_and_carried_to_aggregates(full_warehouse, data):
    t = tr.place_trajectory(full_warehouse, "Bromsgrove", data=data)
    y18 = next(y for y in t.series if y.period == "2018")
    assert y18.value == 1_360 and "outlier" in y18.flags and "probably an error" in y18.note
    wm = tr.place_trajectory(full_warehouse, "West Midlands", data=data)
    assert wm.level == "rgn"
    y18 = next(y for y in wm.series if y.period == "2018")
    assert "outlier" in y18.flags and "Bromsgrove" in y18.note
    lad = tr.trajectory_table(level="lad", data=data)
    assert lad.loc[lad["outlier_flag"] != "", ["geo_code", "period"]].values.tolist() == [["E07000234", "2018"]]


def test_lq_over_time_equals_the_hand_formula(full_warehouse, data):
    """Westminster 2024: (creative / active) / (UK creative / UK active), UK active = 2,859,535 (README)."""
    t = tr.place_trajectory(full_warehouse, "Westminster", data=data)
    y24 = next(y for y in t.series if y.period == "2024")
    active = data.active.set_index(["geo_code", "period"])["value"]
    assert active[("E09000033", "2024")] == 58_370  # README
    uk_c = data.series.loc[data.series["period"] == "2024", "value"].sum()
    assert data.active.loc[data.active["period"] == "2024", "value"].sum() == 2_859_535
    assert y24.lq == pytest.approx((y24.value / 58_370) / (uk_c / 2_859_535))
    assert any("sources differ" in n for n in t.notes)


def test_every_lad_classified_except_a_zero_base(data):
    lad = tr.trajectory_table(level="lad", data=data, years=["2025"])
    assert len(lad) == 361
    unclassified = lad.loc[lad["trajectory"] == "", "geo_name"].tolist()
    assert unclassified == ["Isles of Scilly"]
    assert set(lad["trajectory"]) - {""} == {"established", "emerging", "stable", "declining"}
    assert (lad["window_start"] == "2015").all()


def test_ranks_within_nation_never_across(data):
    lad = tr.trajectory_table(level="lad", data=data, years=["2025"])
    for letter, n in (("W", 22), ("S", 32), ("N", 11), ("E", 296)):
        part = lad[lad["geo_code"].str.startswith(letter)]
        assert (part["n_nation"] == n).all()
        assert sorted(part["rank_nation"].dropna().astype(int))[0] == 1  # (a published 0 has no rank)
    assert (lad["n_uk"] == 361).all()


def test_user_group_is_the_sum_of_named_members(full_warehouse, data):
    g = user_group(full_warehouse, "Thames Estuary", ["E06000034", "E06000033", "E06000035"])
    t = tr.place_trajectory(full_warehouse, g, data=data)
    per = {y.period: y.value for y in t.series}
    s = data.series[data.series["geo_code"].isin(g.members)].groupby("period")["value"].sum()
    assert per == s.to_dict()
    assert len(t.member_names) == 3 and "Thurrock" in t.member_names


def test_ttwa_members_and_caveat(full_warehouse, data):
    place = resolve_place(full_warehouse, "ttwa:Cardiff")
    t = tr.place_trajectory(full_warehouse, place, data=data)
    assert t.level == "ttwa" and "W06000015" in t.members
    assert any("LAD-approximated" in n for n in t.notes)


def test_denominator_breaks_flag_the_lq_not_the_count(full_warehouse, data):
    """Bromsgrove's active enterprises fall 9,370 → 5,515 in 2022: its LQ jumps with no change in creative firms."""
    t = tr.place_trajectory(full_warehouse, "Bromsgrove", data=data)
    y22 = next(y for y in t.series if y.period == "2022")
    assert "denominator-break" in y22.flags and "LQ denominator" in y22.note
    assert y22.value == 415  # the count itself is untouched and unflagged as an outlier
    assert "outlier" not in y22.flags


def test_growth_table_any_window_against_the_nation(data, file_sums):
    g = tr.growth_table(level="lad", start=2019, end=2025, data=data).set_index("geo_code")
    assert len(g) == 361
    cardiff = g.loc["W06000015"]
    assert cardiff["start_value"] == file_sums["lad"][("Cardiff", "2019")]
    assert cardiff["end_value"] == file_sums["lad"][("Cardiff", "2025")]
    wales = (file_sums["nation"][("Wales", "2025")] / file_sums["nation"][("Wales", "2019")]) ** (1 / 6) - 1
    assert cardiff["nation_cagr"] == pytest.approx(wales)
    assert cardiff["relative_to_nation_pp"] == pytest.approx(100 * (cardiff["cagr"] - wales))
    g18 = tr.growth_table(level="rgn", start=2018, end=2025, data=data).set_index("geo_name")
    assert g18.loc["West Midlands", "outlier_flag"] == "outlier" and "Bromsgrove" in g18.loc["West Midlands", "note"]
    with pytest.raises(ParameterError, match="start before end"):
        tr.growth_table(level="lad", start=2025, end=2019, data=data)


def test_one_year_tables_agree_with_the_full_table(data):
    """Classes for one year equal that year's rows of the all-years table (same LQ, same floors)."""
    for level in ("lad", "ttwa"):
        full = tr.trajectory_table(level=level, data=data)
        one = tr.trajectory_table(level=level, data=data, years=["2025"])
        f25 = full[full["period"] == "2025"].set_index("geo_code")
        o25 = one.set_index("geo_code")
        assert (f25["trajectory"] == o25.loc[f25.index, "trajectory"]).all()
        assert (f25["value"] == o25.loc[f25.index, "value"]).all()


def test_cluster_table_for_the_map_and_clusters(data):
    t, meta = tr.cluster_table(level="lad", year=2021, data=data)
    assert len(t) == 361 and meta["period"] == "2021"
    assert t["businesses"].notna().all()  # every UK LAD has a value: no grey map
    assert (t.loc[t["geo_code"] == "E06000053", "businesses"] == 0).all()  # Isles of Scilly: 0, as published
    assert set(t["trajectory"]) <= {"established", "emerging", "stable", "declining", ""}
    assert (t["cluster"] == t["trajectory"].isin(["established", "emerging"])).all()
    assert (t["lq_year"] == "2021").all()
    t25, _ = tr.cluster_table(level="ttwa", year=2025, data=data)
    assert (t25["lq_year"] == "2024").all()  # no 2025 denominator: the class used the 2024 LQ
    established = t25[t25["trajectory"] == "established"]
    assert (established["business_lq"] >= 1).all()


def test_profile_text_names_the_lq_years_the_data_holds(full_warehouse, data):
    """The LQ line of ``profile`` gives the span of years with an LQ in the data, not a span written in code."""
    from dataclasses import replace

    from creative_clusters.reporting.trajectory_text import trajectory_lines

    t = tr.place_trajectory(full_warehouse, "Sheffield", data=data)
    with_lq = [y.period for y in t.series if y.lq is not None]
    assert len(with_lq) > 1
    line = next(x for x in trajectory_lines(t) if "LQ = creative" in x)
    assert line.endswith(f"({with_lq[0]}–{with_lq[-1]})")
    # a newer denominator year in the data moves the span with it (no code change)
    later = tuple(replace(y, lq=None) if y.period == with_lq[-1] else y for y in t.series)
    line2 = next(x for x in trajectory_lines(replace(t, series=later)) if "LQ = creative" in x)
    assert line2.endswith(f"({with_lq[0]}–{with_lq[-2]})")


def test_comparison_series_is_the_nations_sum_of_its_lads(data, file_sums, full_warehouse):
    """The trend chart compares a place with its nation (the UK for a nation): each year's value is the
    file's own sum over the nation's LADs (an independent csv parse)."""
    t = tr.place_trajectory(full_warehouse, "Cardiff", data=data)
    assert t.comparison_name == "Wales"
    for y, v in zip(t.series, t.comparison_series, strict=True):
        assert v == pytest.approx(file_sums["nation"][("Wales", y.period)])
    s = tr.place_trajectory(full_warehouse, "Scotland", data=data)
    assert s.comparison_name == "United Kingdom"
    uk = {p: sum(v for (n, q), v in file_sums["nation"].items() if q == p) for p in {y.period for y in s.series}}
    assert [round(v) for v in s.comparison_series] == [round(uk[y.period]) for y in s.series]


def test_no_lq_crossing_from_an_outlier_year_or_within_rounding(full_warehouse, data):
    """Bromsgrove 2018 (1,360 against 415 and 425 either side, README: an error in the extract) made the LQ
    'cross 1' in 2018 and back in 2019; Cardiff's 2021 LQ (1.00 in the table) was called a crossing."""
    b = tr.place_trajectory(full_warehouse, "Bromsgrove", data=data)
    assert not any(p in ("2018", "2019") for p, *_ in b.lq_crossings)
    assert [(p, why) for p, why, _a, _c in b.lq_crossings_set_aside if p in ("2018", "2019")] == [
        ("2018", "outlier"), ("2019", "outlier")]
    c = tr.place_trajectory(full_warehouse, "Cardiff", data=data)
    lq = {y.period: y.lq for y in c.series if y.lq is not None}
    near = [p for p, v in lq.items() if abs(v - 1) <= 0.005]
    assert "2021" in near  # 1.00 at two decimals, in the file's own counts
    assert not any(p in near or _before_is(lq, p, near) for p, *_ in c.lq_crossings)
    assert "2021" in [p for p, why, *_ in c.lq_crossings_set_aside if why == "near-one"]
    for _p, _d, a, z in c.lq_crossings:
        assert abs(a - 1) > 0.005 and abs(z - 1) > 0.005 and (a >= 1) != (z >= 1)


def _before_is(lq: dict[str, float], period: str, years: list[str]) -> bool:
    ps = sorted(lq)
    i = ps.index(period)
    return i > 0 and ps[i - 1] in years
