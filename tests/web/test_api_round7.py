"""Web review round 7 (API side): measures say their levels and years, joined caveats, search years, benchmark note."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def meta(client):
    return client.get("/api/meta").json()


def test_each_measure_lists_exactly_the_levels_the_map_endpoint_serves(client, meta):
    levels = [lv["id"] for lv in meta["levels"]]
    restricted = 0
    for m in meta["measures"]:
        assert set(m["levels"]) <= set(levels) and m["levels"], m
        if m["id"] not in ("hotspot_class", "cluster_label", "business_lq"):
            continue  # the categorical measures and one of the plain ones: every level asked for is slow
        for level in levels:
            r = client.get("/api/indicators", params={"level": level, "measure": m["id"]})
            assert (r.status_code == 200) == (level in m["levels"]), (m["id"], level, r.status_code)
            if level not in m["levels"]:
                restricted += 1
                assert m["levels_note"], m  # the page shows why as the option's tooltip
    assert restricted  # hotspot classes are not computed for every level


def test_trajectory_years_offered_are_those_with_classes(client, meta):
    traj = next(m for m in meta["measures"] if m["id"] == "trajectory_class")
    offered, series = traj["year_list"], meta["series_years"]
    assert offered and set(offered) <= set(series)

    def classes(year):
        rows = client.get("/api/indicators", params={"level": "lad", "measure": "trajectory_class",
                                                     "year": year}).json()["rows"]
        return {r["value"] for r in rows} - {None, ""}

    assert classes(offered[0]) and classes(offered[-1])
    for y in sorted(set(series) - set(offered)):
        assert not classes(y), y  # a year left out of the slider really has no class
    if offered[0] > series[0]:
        assert str(offered[0]) in traj["years_note"] and str(series[0]) in traj["years_note"]


@pytest.mark.parametrize("measure", ["business_lq", "series_growth"])
def test_csv_footer_joins_caveats_without_doubled_stops(client, measure):
    text = client.get("/api/indicators", params={"level": "lad", "measure": measure, "format": "csv"}).text
    footer = text.rstrip("\n").splitlines()[-1]
    assert footer.startswith("# ")
    assert ".;" not in footer and ".." not in footer and ". ." not in footer, footer


def test_search_results_never_carry_an_empty_year(client):
    seen = 0
    for q in ("Hull", "Sheffield", "Manchester", "Leeds"):
        for r in client.get("/api/places", params={"q": q, "limit": 8}).json()["results"]:
            seen += 1
            assert r["year"] is None or str(r["year"]).strip(), r
    assert seen


def test_benchmark_note_is_plain_words(client):
    from creative_clusters.benchmarking import load_framework

    fw = load_framework()
    note = client.get("/api/places/Sheffield/profile").json()["benchmark_note"]
    assert fw.id not in note and "100 = best" not in note  # the caption already says 100 = best
    assert fw.title in note and fw.version in note
    assert re.search(r"\d+ peer places", note)
