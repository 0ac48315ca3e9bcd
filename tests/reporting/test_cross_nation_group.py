"""A group across nations (Bristol, Cardiff and Newport) is benchmarked on what all its members have (real bundle).

Was: such a group went down England's path. Section 4 read its English member only: "Creative enterprises
(count) 2,680" (Bristol's count by SIC class) beside a headline of 4,295, no business LQ beside a headline LQ
of 1.22, England's deprivation score of Bristol as the group's, and its growth compared with Wales (the
majority of its members). Now it is ranked among the local authorities of the nations it spans (England and
Wales) and of the UK, each value over all three members or left empty with the reason. Worked by hand from
the raw files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import percentileofscore

from creative_clusters.benchmarking import load_framework
from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E
from creative_clusters.workflows.evidence_stats import MIN_COVERAGE, place_indicator_row
from tests._raw_series import read_raw

SEVERN = ["Bristol, City of", "Cardiff", "Newport"]


def test_a_group_value_needs_all_its_members_or_nearly_all_their_weight():
    """Hand-worked: a sum over some members is a smaller place; a mean over part of the weight is that part's."""
    fw = load_framework()
    v = pd.DataFrame({"creative_enterprises": [100.0, 50.0, np.nan], "employment_rate": [70.0, 80.0, np.nan]},
                     index=["A", "B", "C"])
    # C holds 40% of the population: no sum, no mean
    row, how = place_indicator_row(fw, v, code="G", geo_type="custom", members=["A", "B", "C"],
                                   population=pd.Series({"A": 300.0, "B": 300.0, "C": 400.0}))
    assert np.isnan(row["creative_enterprises"]) and np.isnan(row["employment_rate"])
    assert how["employment_rate"].startswith("not computed: 1 of its 3 local authorities has no value (40% of")
    # C holds 1% (the City of London beside London's boroughs): the mean of the rest stands, the sum does not
    row, how = place_indicator_row(fw, v, code="G", geo_type="custom", members=["A", "B", "C"],
                                   population=pd.Series({"A": 600.0, "B": 390.0, "C": 10.0}))
    assert MIN_COVERAGE <= 1 - 10 / 1000
    assert row["employment_rate"] == pytest.approx((70 * 600 + 80 * 390) / 990)
    assert np.isnan(row["creative_enterprises"])
    # a member absent from the table counts as missing too (a Welsh LAD in England's table)
    row, _ = place_indicator_row(fw, v.loc[["A", "B"]], code="G", geo_type="custom", members=["A", "B", "W"],
                                 population=pd.Series({"A": 300.0, "B": 300.0, "W": 400.0}))
    assert np.isnan(row["creative_enterprises"]) and np.isnan(row["employment_rate"])


@pytest.mark.realdata
def test_a_group_across_england_and_wales_is_ranked_on_what_all_its_members_have(nd, data_root):
    series, nation, active = read_raw(data_root)
    pl = E.resolve_evidence_place(nd, None, name="Severn", places=["E06000023", "Cardiff", "Newport"])
    ctx = build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY, workforce=E._workforce(nd, pl)))
    sec = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    table = next(t for t in sec["tables"] if "within England and Wales" in t["title"])
    rows = {r[1]: r for r in table["rows"]}
    # the count: the three members' 2025 series summed (2,670 + 1,365 + 260), not Bristol's alone
    by_year = {y: series.xs(y, level="Year") for y in (2024, 2025)}
    count = by_year[2025][SEVERN].sum()
    row = rows["Creative enterprises (count)"]
    assert row[2] == count == 4295 and row[3] is None
    heads = {h["label"]: h["raw"] for h in ctx["headline"]}
    # the LQ: the group's own from summed 2024 counts against the UK, ranked among England's and Wales's LADs
    c24 = by_year[2024]
    uk_share = c24.sum() / active.reindex(c24.index).sum()
    lq = c24[SEVERN].sum() / active[SEVERN].sum() / uk_share
    row = rows["Creative business location quotient"]
    assert row[2] == pytest.approx(lq, rel=1e-9) == heads["Creative business location quotient (UK = 1)"]
    ew = nation[nation.isin(["England", "Wales"])].index
    ew = [n for n in ew if n in c24.index and n in active.index]
    # a place published as 0 creative enterprises (the Isles of Scilly) has no LQ to rank (benchmarking.percentiles)
    ew = [n for n in ew if c24[n] > 0]
    others = c24[ew] / active[ew] / uk_share
    assert row[4] == len(others) + 1
    assert row[3] == pytest.approx(percentileofscore([*others, lq], lq, kind="mean"), abs=1e-6)
    # England's deprivation index reaches one member only: not a value of the group, and said why
    row = rows["Index of Multiple Deprivation 2025, average score"]
    assert row[2] is None and row[3] is None
    assert "Not computed: 2 of its 3 local authorities have no value" in row[8]
    assert "England and Wales's own index" not in row[8]
    text = " ".join(sec["sentences"])
    assert "among the" in text and "local authorities of England and Wales" in text
    # its growth is set against the UK, not against Wales (two of its three members)
    growth = " ".join(next(s for s in ctx["sections"] if s["id"] == "growth")["sentences"])
    assert "against the UK" in growth and "against Wales" not in growth


@pytest.mark.realdata
def test_a_comma_in_a_places_name_is_kept(nd):
    """"Bristol, City of" in a comma-separated --places list is one local authority, not two entries."""
    pl = E.resolve_evidence_place(nd, None, name="Severn", places=["Bristol", " City of", "Cardiff", "Newport"])
    assert sorted(pl.members) == ["E06000023", "W06000015", "W06000022"]
