"""A trajectory class is not built on a count flagged as a likely error in the source.

Was (audit): Bromsgrove was "established" in 2018 on its 2018 count of 1,360, between 415 (2017) and 425
(2019), a value the data README calls almost certainly an error in the extract ("flag it, don't silently
correct it"). The value stays as published and flagged; the class that would rest on it is withheld and says why.
"""

from __future__ import annotations

import pandas as pd

from creative_clusters.workflows.trajectory import trajectory_table

BROMSGROVE = "E07000234"


def test_the_flagged_year_gets_no_class_and_says_why(full_warehouse, data_root):
    raw = pd.read_csv(data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv")
    b = raw[raw["Region"] == "Bromsgrove"].set_index("Year")["Enterprise Count"]
    assert (b[2017], b[2018], b[2019]) == (415, 1360, 425)  # the README's flagged value
    t = trajectory_table(full_warehouse, level="lad", years=[2018, 2019]).set_index(["geo_code", "period"])
    row = t.loc[(BROMSGROVE, "2018")]
    assert row["value"] == 1360 and row["outlier_flag"] == "outlier"  # shown as published, flagged
    assert row["trajectory"] == ""
    assert row["trajectory_reason"].startswith("no class: its 2018 count (1,360) is flagged")
    # a window that neither starts nor ends in the flagged year is classed as usual
    assert t.loc[(BROMSGROVE, "2019"), "trajectory"] != ""
    # no other place of 2018 loses its class this way (the bundle flags one value)
    other = t.xs("2018", level="period").drop(index=BROMSGROVE)
    assert not other["trajectory_reason"].str.contains("flagged as a likely error").any()
    assert (other["trajectory"] == "").sum() == other["trajectory_reason"].str.startswith("no class: no growth").sum()
