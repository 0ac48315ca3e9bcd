"""Web audit round 14 (API side): sources, a former combined authority, whole 404s, level words, search.

Was: the profile's ``sources`` was the whole warehouse catalogue (the panel showed its first 6, alphabetical);
North of Tyne (E47000011, part of North East CA since 2024) had no creative-enterprise figures and no
trajectory although its three member LADs are in the data; 404 messages were cut at 300 characters, mid
sentence; the deprivation gap of a NUTS2 area said "not published for nuts2"; search offered Scotland's and
Northern Ireland's travel-to-work areas, which have no figures and only open to a 404.
"""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import pytest

from tests._raw_series import read_raw

#: North of Tyne's members: Northumberland, Newcastle upon Tyne, North Tyneside.
NORTH_OF_TYNE = {"E06000057": "Northumberland", "E08000021": "Newcastle upon Tyne", "E08000022": "North Tyneside"}


def _profile(client, code):
    r = client.get(f"/api/places/{quote(code, safe='')}/profile")
    assert r.status_code == 200, r.text
    return r.json()


# ------------------------------------------------------------------ 2. sources: those behind the figures


def test_cardiff_profile_cites_the_datasets_behind_its_figures_only(client, full_home):
    """Cardiff's figures come from the UK series and its denominators, Census TS060 (England and Wales), the
    Welsh index of deprivation and the anchor lists; not the England-only SIC counts, nor datasets of other
    places (Greater Manchester's census extract, Companies House, WYCA)."""
    p = _profile(client, "W06000015")
    ids = [s["id"] for s in p["sources"]]
    assert len(ids) == len(set(ids))  # each once
    assert "business_counts_2025" not in ids  # England only: no Cardiff figure comes from it
    assert {"census2021_ts060", "business_counts_series", "business_demography_2024", "anchors_hei",
            "anchors_museums"} <= set(ids)
    assert any(i.startswith("imd") and i.endswith("wales") for i in ids)  # WIMD
    # every figure shown names a dataset of the list, and the list names nothing else
    shown = {f["source"] for f in p["business_demography"] + p["deprivation"]}
    shown |= {p["trajectory"]["source"]["id"], p["census_workforce"]["source"]["id"], "anchors_hei",
              "anchors_museums", *(d["id"] for d in p["trajectory"]["denominator_sources"])}
    shown |= {f["source"]["id"] for f in p["statistics"]["figures"].values() if f["value"] is not None}
    assert set(ids) == shown
    assert len(ids) < len(_catalogue(full_home))  # not the whole warehouse
    for s in p["sources"]:
        assert s["title"] and s["publisher"]  # what the panel's Sources line prints


def _catalogue(home):
    from creative_clusters.warehouse import Warehouse

    with Warehouse(home, read_only=True) as wh:
        return wh.catalogue_entries()


# ------------------------------------------------------------------ 3. a combined authority no longer listed


@pytest.fixture(scope="module")
def north_of_tyne(client):
    return _profile(client, "E47000011")


def test_north_of_tyne_has_its_members_sic_counts(north_of_tyne, data_root):
    """The SIC-level count is its three members' creative classes summed, from the raw 2025 file."""
    raw = pd.read_csv(data_root / "business_counts" / "business_counts_fact_long_2025_with_codes.csv")
    want = float(raw[raw["lad23cd"].isin(NORTH_OF_TYNE)]["enterprises"].sum())
    assert want == 1990
    ce = north_of_tyne["creative_enterprises"]
    assert ce["covered"] is True
    assert ce["total"]["value"] == want
    assert not any(m["topic"] == "Creative enterprises by sub-sector" for m in north_of_tyne["missing_items"])


def test_north_of_tyne_has_a_trajectory_summed_from_its_members(north_of_tyne, data_root):
    series, _nation, _active = read_raw(data_root)
    want = sum(series[(name, 2025)] for name in NORTH_OF_TYNE.values())
    assert want == 1995
    t = north_of_tyne["trajectory"]
    assert t is not None
    last = t["series"][-1]
    assert (last["period"], last["value"]) == ("2025", want)
    assert sorted(t["members"]) == sorted(NORTH_OF_TYNE)
    assert "not in the current list of combined authorities" in t["trajectory_reason"]
    assert not any(m["topic"] == "Creative enterprises year by year" for m in north_of_tyne["missing_items"])


def test_north_of_tyne_says_its_figures_are_its_members(north_of_tyne):
    note = next(n for n in north_of_tyne["notes"] if "combined authorities" in n)
    assert "North of Tyne is not in the current list of combined authorities" in note
    assert "3 member local authorities" in note
    fig = north_of_tyne["statistics"]["figures"]["creative_enterprises"]
    assert fig["rank"] is None  # not ranked among the current combined authorities


def test_a_listed_combined_authority_keeps_its_own_row(client):
    """Greater Manchester is in the list: ranked among combined authorities, no members note."""
    p = _profile(client, "E47000001")
    assert p["statistics"]["figures"]["creative_enterprises"]["rank"] is not None
    assert not any("current list of combined authorities" in n for n in p["notes"])


# ------------------------------------------------------------------ 4. whole 404 messages


def test_a_404_is_the_whole_message(client, full_home):
    from creative_clusters.errors import PlaceNotFoundError
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows.places import resolve_place

    r = client.get("/api/places/" + quote("ttwa:Inverness", safe="") + "/profile")
    assert r.status_code == 404
    with Warehouse(full_home, read_only=True) as wh, pytest.raises(PlaceNotFoundError) as exc:
        resolve_place(wh, "ttwa:Inverness")
    assert len(str(exc.value)) > 300  # longer than the old cut
    assert r.json()["detail"] == str(exc.value)
    assert r.json()["detail"].endswith("Ask for the local authority Highland (S12000017) instead.")


def test_a_long_message_is_cut_at_a_sentence_end():
    from creative_clusters.web.app import _detail

    text = "First sentence here. " * 200 + "Last one"
    out = _detail(ValueError(text), limit=500)
    assert len(out) <= 500 and out.endswith("First sentence here.")


# ------------------------------------------------------------------ 5. every kind of area in words


def test_nuts2_deprivation_gap_is_in_words(client):
    p = _profile(client, "UKE3")
    dep = [m for m in p["missing_items"] if m["topic"] == "Deprivation rank"]
    assert dep and dep[0]["reason"] == "not published for NUTS2 areas"
    assert not any("nuts2" in line for line in p["missing"])


def test_every_kind_of_place_has_words():
    """Every place type the web labels has plural words for "not published for …"."""
    from creative_clusters.web.service import TYPE_LABELS
    from creative_clusters.workflows.gaps import areas_word

    assert {k: areas_word(k) for k in TYPE_LABELS if areas_word(k) == k} == {}


# ------------------------------------------------------------------ 6. search offers only places that open


@pytest.mark.parametrize(("query", "unmeasurable"), [("Glasgow", "S22000065"), ("Belfast", "N12000002"),
                                                     ("Inverness", "S22000068")])
def test_search_leaves_out_travel_to_work_areas_without_figures(client, query, unmeasurable):
    r = client.get(f"/api/places?q={query}")
    assert r.status_code == 200
    codes = [x["code"] for x in r.json()["results"]]
    assert unmeasurable not in codes
    assert not [x for x in r.json()["results"] if x["geo_type"] == "ttwa" and x["code"][:1] in "SN"]
    # asked for directly, it says why and what to ask for instead
    r = client.get(f"/api/places/{unmeasurable}/profile")
    assert r.status_code == 404
    assert "cannot be measured" in r.json()["detail"] and r.json()["detail"].endswith("instead.")


@pytest.mark.parametrize(("query", "code"), [("Leeds", "E30000229"), ("Berwick", "K01000009")])
def test_search_still_offers_travel_to_work_areas_with_figures(client, query, code):
    """An English or cross-border TTWA whose local authorities are known is still offered, and opens."""
    results = client.get(f"/api/places?q={query}&limit=20").json()["results"]
    assert code in [x["code"] for x in results if x["geo_type"] == "ttwa"]
    assert client.get(f"/api/places/{code}/profile").status_code == 200
