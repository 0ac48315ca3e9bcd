"""Round 18 audit of the trajectory wording in the packs (each test failed before its fix).

Expected values are read here from the series file in ``$CREATIVE_CLUSTERS_DATA``, never from a pack's output.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

from creative_clusters.reporting import findings as F
from creative_clusters.reporting.place_findings import _growth_caveats


def _bromsgrove(data_root: Path) -> dict[str, float]:
    path = data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return {r["Year"]: float(r["Enterprise Count"]) for r in csv.DictReader(fh) if r["Region"] == "Bromsgrove"}


def _strength(s: dict[str, float], flagged: set[str]) -> F.Finding:
    gf = F.growth_finding("Bromsgrove", window="2015–2025", start=s["2015"], end=s["2025"],
                          cagr=(s["2025"] / s["2015"]) ** 0.1 - 1, nation="England", nation_cagr=0.0,
                          flagged=False, source="s", years=10.0)
    assert gf is not None and gf.kind == "strength"  # the premise: a growth strength
    series = [SimpleNamespace(period=y, value=v, flags=("outlier",) if y in flagged else ())
              for y, v in sorted(s.items())]
    t = SimpleNamespace(trajectory="", trajectory_reason="", series=series)
    _growth_caveats(gf, t, SimpleNamespace(start="2015", end="2025"), "Bromsgrove")
    return gf


def test_bromsgroves_flagged_2018_is_not_the_peak_of_its_growth_strength(data_root):
    # was: "Creative enterprises 380 to 470 (2015–2025) …; but it peaked at 1,360 in 2018 and is 65.4% below that
    # now", on the value the same pack calls probably an error in the source
    s = _bromsgrove(data_root)
    assert s["2018"] == 1360 and s["2015"] < s["2025"]
    claim = _strength(s, {"2018"}).claim
    assert "1,360" not in claim and "2018" not in claim
    rest = {y: v for y, v in s.items() if "2015" < y < "2025" and y != "2018"}
    peak_year, peak = max(rest.items(), key=lambda kv: kv[1])
    if peak > s["2025"] * 1.05:  # a real fall of 5% or more from an unflagged peak is still said
        assert f"peaked at {peak:,.0f} in {peak_year}" in claim
    else:
        assert "peaked at" not in claim


def test_an_unflagged_peak_is_still_named(data_root):
    # the same series with nothing flagged keeps the clause (the fix skips flagged values only)
    s = _bromsgrove(data_root)
    assert "peaked at 1,360 in 2018" in _strength(s, set()).claim
