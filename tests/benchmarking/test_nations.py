"""A LAD outside England ranked within its nation and across the UK (benchmarking.nations), on synthetic tables."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from creative_clusters.benchmarking.framework import _parse, load_framework
from creative_clusters.benchmarking.nations import nation_percentiles, nation_rows, uk_wide_indicators
from creative_clusters.errors import SchemaError

CODES = [f"{n}0{i}" for n in "EWSN" for i in range(10)]


def _uk(**cols):
    return pd.DataFrame(dict(cols), index=CODES)


def _everywhere():
    return [float(i) for i in range(len(CODES))]


def test_museums_per_head_are_ranked_within_the_nation_only():
    """M1: museums per 100,000 (census populations of different dates) were ranked across the UK, Orkney '99th
    percentile of 361', although the publisher says the figures are not comparable between the nations."""
    fw = load_framework()
    uk = _uk(birth_rate=_everywhere(), museums_per_100k=_everywhere())
    assert uk_wide_indicators(uk, fw) == ["birth_rate"]
    t = nation_percentiles(nation_rows(uk, "W05"), "W05", fw, uk=uk).set_index("indicator_id")
    assert not np.isnan(t.loc["birth_rate", "pct_uk"])
    museums = t.loc["museums_per_100k"]
    assert np.isnan(museums["pct_uk"]) and museums["n_uk"] == 0
    assert not np.isnan(museums["pct_all"])  # still ranked among Wales's LADs
    assert museums["note"].startswith("Not ranked across the UK:") and "not directly comparable" in museums["note"]


def test_the_flag_is_explicit_in_the_framework_and_checked():
    fw = load_framework()
    flagged = [i.id for i in fw.indicators if not i.comparable_across_nations]
    assert flagged == ["museums_per_100k"]
    assert "comparable" in fw.indicator("museums_per_100k").nations_caveat
    ind = {"id": "i", "label": "I", "direction": "higher", "weight": 1, "source": {"dataset": "x", "measure": "m"},
           "comparable_across_nations": False}
    raw = {"id": "x", "version": "1", "title": "X",
           "dimensions": [{"id": "d", "title": "D", "weight": 1, "indicators": [ind]}]}
    with pytest.raises(SchemaError, match="nations_caveat"):
        _parse(raw, "x.yaml")
    ind["comparable_across_nations"] = "no"
    with pytest.raises(SchemaError, match="true or false"):
        _parse(raw, "x.yaml")


@pytest.mark.realdata
def test_every_local_indicator_the_publisher_says_is_not_comparable_is_flagged(data_root):
    """The publisher's metadata (local_indicators/*.json) is the check: any caveat saying the figures do not
    compare between the countries must be carried by the framework's flag."""
    fw = load_framework()
    flagged = {i.id for i in fw.indicators if not i.comparable_across_nations}
    for path in sorted((data_root / "local_indicators").glob("*.json")):
        text = json.dumps(json.loads(path.read_text("utf-8"))).lower()
        if "not directly comparable between the different countries" in text:
            assert path.stem == "museums" and "museums_per_100k" in flagged, path.name


def test_a_gap_ranked_in_england_says_why_from_the_data_not_that_its_source_was_not_imported():
    """M9: the web said 'No data for this indicator: its source was not imported.' for Cardiff's England-only
    indicators, while the pack said why; the reasons now come from nation_percentiles (one producer)."""
    fw = load_framework()
    england = [float(i) if c[0] == "E" else np.nan for i, c in enumerate(CODES)]
    no_ni = [float(i) if c[0] != "N" else np.nan for i, c in enumerate(CODES)]
    uk = _uk(creative_enterprises=england, arts_engagement=england, imd_score=england, employment_rate=no_ni,
             birth_rate=_everywhere())
    t = nation_percentiles(nation_rows(uk, "W05"), "W05", fw, uk=uk).set_index("indicator_id")
    notes = t["note"].astype(str)
    assert not notes[list(uk.columns)].str.contains("not imported").any(), notes.to_dict()
    assert notes["creative_enterprises"].startswith("Not ranked within Wales: the counts by SIC class cover "
                                                    "English local authorities only")
    assert notes["arts_engagement"] == "Not ranked within Wales: its data cover the local authorities of England only."
    assert notes["imd_score"].startswith("Not ranked within Wales: this is England's index")
    assert t["elsewhere_only"].sum() == 3 and t["england_only"].sum() == 3
    ni = nation_percentiles(nation_rows(uk, "N05"), "N05", fw, uk=uk).set_index("indicator_id")
    assert ni.loc["employment_rate", "note"] == ("Not ranked within Northern Ireland: its data cover the local "
                                                 "authorities of England, Wales and Scotland only.")
    # a census table named by the catalogue
    t = nation_percentiles(nation_rows(uk.assign(creative_division_residents_share=england), "S05"), "S05", fw,
                           uk=uk.assign(creative_division_residents_share=england),
                           source_names={"census_industry": "Census 2021 TS060"})
    assert t.set_index("indicator_id").loc["creative_division_residents_share", "note"] == (
        "Not ranked within Scotland: Census 2021 TS060 covers England only; Scotland's own census is not in the "
        "data.")
