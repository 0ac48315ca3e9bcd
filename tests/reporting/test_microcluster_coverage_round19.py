"""Section 6 of a pack for a place that holds a microcluster of a run whose coverage rule does not count it.

A run with ``--min-firms 10`` can find a microcluster in a LAD where its firm file places fewer than the 20
firms that make a LAD covered. Was: the pack listed that microcluster, then said the firm file "may not cover
the whole country", left out the run's provenance sentence (file, checksum, method) and asked for "a firm file
that covers" the place in its gaps. SYNTHETIC inputs.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.reporting._model import PackState
from creative_clusters.reporting._national import rank_microclusters
from creative_clusters.reporting.section_microclusters import microclusters_section
from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
from creative_clusters.workflows.pack_data import load_national


@pytest.fixture(scope="module")
def national(synthetic_home):
    return load_national(synthetic_home)


def test_a_place_holding_a_microcluster_is_covered(national):
    pl = resolve_evidence_place(national, "Alphaville")
    inp = gather_inputs(national, pl, png=False)
    inp.microclusters = rank_microclusters(pd.DataFrame({
        "microcluster_id": ["MC1"], "n_firms": [12], "meets_min_firms": [True], "lad23_code": ["E09000090"]}))
    inp.microclusters_national = 2
    inp.microcluster_run = {
        "run_id": "r0123456789", "firm_file": "firms.csv", "firm_file_sha256": "cd" * 32, "rows_located": 60,
        "method": "split", "params": '{"eps_m": 1000.0, "min_firms": 10}', "synthetic": False,
        "address_kind": "registered", "coverage_lads": "E09000091", "scope": "partial"}
    sec = microclusters_section(inp, PackState())
    text = " ".join(sec["sentences"])
    assert text.startswith("Alphaville contains 1 creative microcluster with 12 firms")
    assert "may not cover the whole country" not in text and "which covers part of the UK only" in text
    assert "cdcdcdcdcdcd" in text  # the run's provenance: its firm file's checksum
    assert not any("need a firm file that covers it" in m for m in sec["missing"])


def test_the_map_of_a_premises_run_names_premises():
    # was: "... holding 8,466 premises between them; the one with most firms covers 3.1 km²" (Brighton and Hove's
    # business-rates list, every premises taken as creative)
    import geopandas as gpd
    from shapely.geometry import Point, box

    from creative_clusters.reporting.figure_render import TEXT_ONLY
    from creative_clusters.reporting.maps import microcluster_map_figure

    lad = gpd.GeoDataFrame({"geo_code": ["E1"]}, geometry=[box(0, 0, 10_000, 10_000)], crs="EPSG:27700")
    hulls = gpd.GeoDataFrame({"microcluster_id": ["A", "B"], "n_firms": [300, 60]},
                             geometry=[Point(3000, 3000).buffer(500), Point(7000, 7000).buffer(200)],
                             crs="EPSG:27700")
    fig = microcluster_map_figure(lad, hulls, place="X", png=TEXT_ONLY, points="premises",
                                  what=("cluster of business premises", "clusters of business premises"))
    assert "the one with most premises covers" in fig["alt"] and "most firms" not in fig["alt"]


@pytest.mark.parametrize(("kind", "words"), [
    ("unknown", "at addresses the firm file does not say are registered offices or trading premises"),
    ("registered", "at their registered-office addresses")])
def test_the_provenance_sentence_says_what_the_addresses_are(national, kind, words):
    # was: "..., unknown addresses;" for a plain list whose addresses are not stated, "registered addresses" for
    # Companies House registered offices
    pl = resolve_evidence_place(national, "Alphaville")
    inp = gather_inputs(national, pl, png=False)
    inp.microclusters = rank_microclusters(pd.DataFrame({
        "microcluster_id": ["MC1"], "n_firms": [60], "meets_min_firms": [True], "lad23_code": ["E09000090"]}))
    inp.microclusters_national = 1
    inp.microcluster_run = {
        "run_id": "r0123456789", "firm_file": "firms.csv", "firm_file_sha256": "cd" * 32, "rows_located": 60,
        "method": "split", "params": '{"eps_m": 1000.0, "min_firms": 50}', "synthetic": False,
        "address_kind": kind, "coverage_lads": "E09000090", "scope": "partial"}
    text = " ".join(microclusters_section(inp, PackState())["sentences"])
    assert words in text and f"{kind} addresses" not in text


def test_the_provenance_sentence_dates_the_firm_file(national):
    # was: section 6 named the firm file and its checksum but not its date; the only date near it was the run's
    # ("microcluster run of 2026-12-07" under the map), which reads as the data's
    pl = resolve_evidence_place(national, "Alphaville")
    inp = gather_inputs(national, pl, png=False)
    inp.microclusters = rank_microclusters(pd.DataFrame({
        "microcluster_id": ["MC1"], "n_firms": [60], "meets_min_firms": [True], "lad23_code": ["E09000090"]}))
    inp.microclusters_national = 1
    inp.microcluster_run = {
        "run_id": "r0123456789", "firm_file": "companieshouse_2024-11-01.csv.gz", "firm_file_sha256": "cd" * 32,
        "rows_located": 60, "method": "split", "params": '{"eps_m": 1000.0, "min_firms": 50}', "synthetic": False,
        "address_kind": "registered", "coverage_lads": "E09000090", "scope": "partial",
        "firm_file_date": "2024-11-01", "firm_file_date_source": "file name", "created_at": "2026-12-07T10:00"}
    text = " ".join(microclusters_section(inp, PackState())["sentences"])
    assert "(SHA-256 cdcdcdcdcdcd…, dated 2024-11-01 by its name)" in text
