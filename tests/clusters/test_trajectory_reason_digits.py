"""A trajectory reason prints a figure beside its rule's bar on the side it falls, and says which test a large
place missed.

Was (audit, ``profile Cardiff --year 2018``): "stable: … +1.5 points against its nation; … LQ 1.00; not emerging:
it grew +1.5 points a year against its nation, under the 1.5 points the rule asks", with no word on why
Wales's largest place (1st of 22) is not established. By hand from the raw series and Business Demography:
Cardiff grew (1,250/825)^(1/8) − 1 = 5.33% a year over 2010–2018 against Wales's 3.87%, +1.46 points (under the
1.5 the rule asks), and its 2018 LQ against the UK is 0.998 (under the 1 the rule asks).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from creative_clusters.clusters.trajectory import load_trajectory_rules
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.profile import build_profile
from tests._raw_series import LAD_PREFIXES


def _by_hand(data_root):
    s = pd.read_csv(data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv")
    v = s.set_index(["Region", "Year"])["Enterprise Count"].astype(float)
    wales = s[s["Nation"] == "Wales"].groupby("Year")["Enterprise Count"].sum()
    cagr = (v[("Cardiff", 2018)] / v[("Cardiff", 2010)]) ** (1 / 8) - 1
    rel = 100 * (cagr - ((wales[2018] / wales[2010]) ** (1 / 8) - 1))
    # active enterprises of 2018: Business Demography's 2017–2022 series (LAD 2021/22 set)
    bd = pd.read_csv(data_root / "business_demography" / "active_firmdemography_to_2022_LONG.csv")
    act = bd[bd["code"].str[:3].isin(LAD_PREFIXES) & (bd["year"] == 2018)].set_index("region")["count"]
    uk = s[s["Year"] == 2018]["Enterprise Count"].sum() / act.astype(float).sum()
    lq = (v[("Cardiff", 2018)] / float(act["Cardiff"])) / uk
    return rel, lq


def test_cardiff_2018_reason_is_on_the_right_side_of_both_bars(full_warehouse, data_root):
    rel, lq = _by_hand(data_root)
    rules = load_trajectory_rules()
    assert 1.45 < rel < rules.emerging_min_relative_pp and 0.995 < lq < rules.established_min_lq
    t = build_profile(full_warehouse, resolve_place(full_warehouse, "Cardiff"), year=2018)["trajectory"]
    reason = t.trajectory_reason
    assert t.trajectory == "stable"
    assert f"{rel:+.2f} points against its nation" in reason and "+1.5 points" not in reason
    assert f"not emerging: it grew {rel:+.2f} points a year" in reason
    assert re.search(rf"LQ {lq:.3f}\b", reason) and "LQ 1.00" not in reason
    assert f"not established: its LQ of {lq:.3f} is under the 1 the rule asks" in reason


@pytest.mark.parametrize(("x", "bar", "digits", "text"), [
    (1.464, 1.5, 1, "1.46"), (1.3, 1.5, 1, "1.3"), (1.52, 1.5, 1, "1.52"), (1.6, 1.5, 1, "1.6"),
    (0.998, 1.0, 2, "0.998"), (1.004, 1.0, 2, "1.004"), (0.94, 1.0, 2, "0.94"), (1.5, 1.5, 1, "1.5"),
])
def test_digits_beside_a_bar(x, bar, digits, text):
    from creative_clusters._text import digits_beside

    d = digits_beside(x, bar, digits)
    assert f"{x:.{d}f}" == text
    assert (float(f"{x:.{d}f}") >= bar) == (x >= bar)  # the printed figure is on the true side
