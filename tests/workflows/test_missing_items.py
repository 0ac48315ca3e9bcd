"""What a place's profile lacks, as typed records (issue: the web's "Missing" list was written for CLI users).

Was: ``profile["missing"]`` was a list of sentences such as "anchors: import geography and anchors datasets" or
"... its coverage is stated in `creative-clusters data status`", which the web showed as they were. Now
``workflows.gaps`` builds one record per gap (topic, reason, status, dataset, catalogue title, fix) for
``place_statistics`` and the profile; ``missing`` keeps the terminal's lines (with the command) and
``missing_items`` carries the records.
"""

from __future__ import annotations

import pytest

from creative_clusters import kinds
from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.profile import build_profile, profile_text

pytestmark = pytest.mark.realdata

# the plain words the records must carry (what the web shows as the headline)
SIC = "Creative enterprises by sub-sector"
CENSUS = "Residents working in creative industries"
DEMOGRAPHY = "Business births, deaths and survival"
DEPRIVATION = "Deprivation rank"
#: Not in the reference data at all (fetched from Nomis or imported from a CSV saved from there).
EMPLOYMENT = "Creative workplace employment and employment LQ (BRES by local authority)"

#: Left out of the small warehouse: the census industry table and the museums list (and datasets no profile of
#: the places tested here reads: idbr_nuts2 serves NUTS2 profiles only).
LEFT_OUT = {"census2021_ts060", "anchors_museums"}
_UNUSED = {"census2021_gm", "idbr_nuts2", "firms_companies_house", "wyca_creative_industries_2018_2023"}


def _catalogue_titles(wh):
    return dict(wh.query("SELECT id, title FROM catalogue").itertuples(index=False, name=None))


def _plain(item):
    """Topic and reason carry no command, no back-quote and no dataset id."""
    words = item["topic"] + " " + item["reason"]
    assert "`" not in words and "creative-clusters" not in words and "data import" not in words, item
    assert not item["dataset"] or item["dataset"] not in words, item


@pytest.fixture(scope="module")
def small_home(data_root, tmp_path_factory):
    """A warehouse of the real bundle without the census industry table and the museums list."""
    from creative_clusters.sources.registry import all_datasets
    from creative_clusters.warehouse import Warehouse

    home = tmp_path_factory.mktemp("small-home")
    with Warehouse(home) as wh:
        wh.import_datasets([s for s in all_datasets() if s.id not in LEFT_OUT | _UNUSED], data_root)
    return home


def test_a_combined_authority_gets_not_applicable_items_without_a_command(full_warehouse):
    gm = resolve_place(full_warehouse, "cauth:Greater Manchester")
    prof = build_profile(full_warehouse, gm)
    items = {m["topic"]: m for m in prof["missing_items"]}
    # business demography is not missing: the members' rates weighted by active enterprises, as the pack has
    # them (round 11; tests/workflows/test_demography_one_producer.py)
    assert DEMOGRAPHY not in items and prof["business_demography"]
    dep = items[DEPRIVATION]
    assert dep["status"] == "not_applicable" and "combined authorities" in dep["reason"] and dep["fix"] == ""
    # the dataset and its title are the warehouse catalogue's
    ref = full_warehouse.find_dataset(kinds.DEPRIVATION_ENGLAND)
    assert dep["dataset"] == ref.id and dep["dataset_title"] == _catalogue_titles(full_warehouse)[ref.id]
    for m in prof["missing_items"]:
        _plain(m)
    # backward compatible: `missing` is still one line per item, the records' terminal text
    assert prof["missing"] == [m["text"] for m in prof["missing_items"]]
    assert all(isinstance(m, str) for m in prof["missing"])


def test_outside_england_and_wales_the_census_is_not_applicable(full_warehouse):
    glasgow = build_profile(full_warehouse, resolve_place(full_warehouse, "Glasgow"))
    by_status = {(m["topic"], m["status"]) for m in glasgow["missing_items"]}
    census = next(m for m in glasgow["missing_items"] if m["topic"].startswith(CENSUS))
    assert census["status"] == "not_applicable" and census["reason"] == "covers England and Wales only"
    ref = full_warehouse.find_dataset(kinds.CENSUS_INDUSTRY)
    assert census["dataset"] == ref.id and census["dataset_title"] == _catalogue_titles(full_warehouse)[ref.id]
    assert (SIC, "not_applicable") in by_status
    # the sub-sector counts are said once, with what stands in for them (was: two lines, one naming a dataset id)
    assert sum(m["topic"] == SIC for m in glasgow["missing_items"]) == 1
    # of what the reference data holds, nothing is left to import; BRES by LAD (not in it) can be fetched
    bres = next(m for m in glasgow["missing_items"] if m["topic"] == EMPLOYMENT)
    assert bres["status"] == "not_imported" and bres["fix"].startswith("creative-clusters data fetch bres")
    assert not any(m["status"] == "not_imported" for m in glasgow["missing_items"] if m is not bres)
    for m in glasgow["missing_items"]:
        _plain(m)
    assert not any("`" in line for line in glasgow["missing"] if not line.startswith(EMPLOYMENT))


def test_bres_by_lad_not_imported_is_said_with_the_fetch_and_in_northern_ireland_as_not_applicable(
        full_warehouse):
    """Round 21: without a BRES table, the profile said nothing about workplace employment; the pack did."""
    from creative_clusters.workflows.employment_lad import FETCH_EMPLOYMENT

    leeds = build_profile(full_warehouse, resolve_place(full_warehouse, "Leeds"))
    item = next(m for m in leeds["missing_items"] if m["topic"] == EMPLOYMENT)
    assert item["status"] == "not_imported" and item["fix"] == FETCH_EMPLOYMENT
    assert "NM_189_1" in item["detail"] and "`" not in item["detail"]  # the web shows the detail
    assert f"`{FETCH_EMPLOYMENT}`" in profile_text(leeds)
    belfast = build_profile(full_warehouse, resolve_place(full_warehouse, "Belfast"))
    item = next(m for m in belfast["missing_items"] if m["topic"] == EMPLOYMENT)
    assert item["status"] == "not_applicable" and item["reason"] == "BRES covers Great Britain only"
    assert item["fix"] == ""


def test_a_dataset_not_imported_gets_an_item_with_the_command(small_home):
    from creative_clusters.warehouse import Warehouse

    with Warehouse(small_home, read_only=True) as wh:
        prof = build_profile(wh, resolve_place(wh, "Sheffield"))
        titles = _catalogue_titles(wh)
    items = [m for m in prof["missing_items"] if m["status"] == "not_imported" and m["topic"] != EMPLOYMENT]
    by_dataset = {m["dataset"]: m for m in items}
    assert set(by_dataset) == LEFT_OUT, items
    census = by_dataset["census2021_ts060"]
    assert census["topic"].startswith(CENSUS) and census["reason"] == "not imported into this warehouse"
    assert census["fix"] == "creative-clusters data import DIR --only census2021_ts060"
    # not in this warehouse's catalogue: the title is the dataset registry's
    from creative_clusters.sources.registry import get_dataset

    assert "census2021_ts060" not in titles
    assert census["dataset_title"] == get_dataset("census2021_ts060").title
    museums = by_dataset["anchors_museums"]
    assert museums["topic"] == "Museums" and museums["reason"] == "not imported into this warehouse"
    assert museums["fix"] == "creative-clusters data import DIR --only anchors_museums"  # as test_browser_missing
    for m in prof["missing_items"]:
        _plain(m)
    # the terminal keeps the command
    text = profile_text(prof)
    assert f"`{census['fix']}`" in text and f"`{museums['fix']}`" in text
    assert prof["census_workforce"] == {"covered": False}


def test_a_year_not_imported_names_the_years_there_are_and_the_fetch(full_warehouse):
    from creative_clusters.workflows.placestats import place_statistics

    stats = place_statistics(full_warehouse, resolve_place(full_warehouse, "Sheffield"), year=2019)
    item = next(m for m in stats.missing_items if m.topic == SIC)
    have = full_warehouse.periods(full_warehouse.find_dataset(kinds.CREATIVE_ENTERPRISES_SIC).id,
                                  measure="enterprises")
    assert item.status == "not_imported" and item.reason == "2019 not imported into this warehouse"
    assert item.fix == kinds.KINDS[kinds.CREATIVE_ENTERPRISES_SIC].fetch.format(period=2019)
    assert all(y in item.detail for y in have)
    assert stats.missing == tuple(m.text for m in stats.missing_items)
