"""Fifth review of the packs as a bid writer reads them (issue 12): each test failed before its fix.

Real bundle; expected values come from the source files through the warehouse.
"""

from __future__ import annotations

import pytest

from creative_clusters.workflows import evidence as E
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def nd(full_home):
    return E.load_national(full_home)


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
