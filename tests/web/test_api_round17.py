"""Round 17: the series map follows the rules of the counts map and the profile."""

from __future__ import annotations

import pandas as pd


def test_series_lq_of_a_published_zero_is_null_with_its_reason(client, data_root):
    """A count published as 0 is 0 to 2 enterprises (rounded to 5): its LQ is unknown, never 0.00.

    Every place whose series count is a published 0 in the LQ's year gets no value and a note
    with the upper bound; every other place keeps its LQ.
    """
    f = pd.read_csv(data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv")
    res = client.get("/api/indicators", params={"measure": "series_lq"})
    assert res.status_code == 200, res.text
    body = res.json()
    year = body["year"]
    zeros = set(f.loc[(f["Year"] == year) & (f["Enterprise Count"] == 0), "Region"])
    assert zeros, "the series has a published 0 in the LQ's year (the Isles of Scilly)"
    for r in body["rows"]:
        if r["geo_name"] in zeros:
            assert r["value"] is None, r
            assert r["note"].startswith("published as 0 (0 to 2 enterprises") and "below" in r["note"]
        else:
            assert r["value"] is not None and r["value"] > 0, r
    csv = client.get("/api/indicators", params={"measure": "series_lq", "format": "csv"}).text.splitlines()
    scilly = next(line for line in csv if "Isles of Scilly" in line)
    assert scilly.split(",")[2] == "", scilly  # the download says nothing, not 0.0
