"""Round 18 (web groups audit): groups of places on the API.

Was: ``places=Kent,Medway`` a 404 ("did you mean Brent?"); ``ttwa:Leeds`` silently the local authority
Leeds; a group of one local authority a "Group of local authorities" with no benchmark;
``statistics.place.member_names`` always empty; ``name=é`` downloaded as ``.xlsx`` and "Môn a Gwynedd" as
``M_n_a_Gwynedd.html``.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest

KENT = "E10000016"


def test_a_county_in_a_group_is_its_districts_and_the_profile_says_so(client):
    r = client.get("/api/groups/profile", params={"places": "Kent,Medway"})
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["place"]["geo_type"] == "custom" and p["place"]["name"] == "Kent and Medway"
    assert len(p["place"]["data_codes"]) == 13
    assert any("Kent" in n and KENT in n and "12 local authorities" in n for n in p["notes"])
    assert "12 local authorities" in p["place"]["group_note"]  # the page shows it under the group's name
    # by code, the same group
    same = client.get("/api/groups/profile", params={"places": f"{KENT},Medway"}).json()
    assert same["place"]["data_codes"] == p["place"]["data_codes"]
    # statistics.place names its members, as the trajectory does
    names = p["statistics"]["place"]["member_names"]
    assert len(names) == 13 and "Tunbridge Wells" in names and "Medway" in names
    assert sorted(names) == sorted(p["trajectory"]["member_names"])


def test_a_combined_authoritys_statistics_name_its_members(client):
    p = client.get("/api/places/E47000007/profile").json()
    names = p["statistics"]["place"]["member_names"]
    assert "Birmingham" in names and sorted(names) == sorted(p["trajectory"]["member_names"])


@pytest.mark.parametrize("places", ["ttwa:Leeds,Bradford", "E30000229,Bradford"])
def test_a_travel_to_work_area_is_refused_never_swapped_for_the_local_authority(client, places):
    r = client.get("/api/groups/profile", params={"places": places})
    assert r.status_code == 404
    detail = r.json()["detail"]
    assert "travel-to-work area" in detail and "cannot be part of a group" in detail and "ttwa:Leeds" in detail


def test_a_prefixed_combined_authority_is_taken_as_its_members(client):
    r = client.get("/api/groups/profile", params={"places": "cauth:West Midlands,Warwick"})
    assert r.status_code == 200, r.text
    assert len(r.json()["place"]["data_codes"]) == 8


@pytest.mark.parametrize("places", ["Sheffield", "Sheffield,Sheffield,E08000019"])
def test_a_group_of_one_local_authority_is_that_local_authority_with_its_benchmark(client, places):
    p = client.get("/api/groups/profile", params={"places": places, "name": "My patch"}).json()
    assert p["place"]["code"] == "E08000019" and p["place"]["geo_type"] == "lad"
    assert p["benchmark"], p.get("benchmark_note")  # percentiles, as the pack gives
    assert any("is one local authority" in n for n in p["notes"])
    assert "is one local authority" in p["place"]["group_note"]


def test_a_group_name_without_ascii_letters_still_names_the_file():
    from creative_clusters.reporting._model import PlaceInfo
    from creative_clusters.workflows.evidence import _stem

    assert _stem(PlaceInfo("custom:group", "é")) == "e"
    assert _stem(PlaceInfo("custom:group", "Môn a Gwynedd")) == "Mon_a_Gwynedd"
    assert _stem(PlaceInfo("custom:group", "東京", members=["W06000001", "W06000002"])) == "group_W06000001_W06000002"


def test_a_group_pack_download_sends_the_name_as_written(client):
    r = client.get("/api/groups/evidence.xlsx", params={"places": "Isle of Anglesey,Gwynedd",
                                                         "name": "Môn a Gwynedd"})
    assert r.status_code == 200, r.text
    cd = r.headers["content-disposition"]
    assert 'filename="Mon_a_Gwynedd.xlsx"' in cd
    assert "filename*=UTF-8''" in cd and unquote(cd.split("filename*=UTF-8''")[1]) == "Môn_a_Gwynedd.xlsx"


#: A place's profile and a group's, each as (path, query).
GROUP_OR_PLACE = [("/api/places/Sheffield/profile", {}), ("/api/groups/profile", {"places": "Sheffield,Rotherham"})]


def _meta(client):
    return client.get("/api/meta").json()


def test_a_profile_of_a_year_without_counts_by_sic_class_says_so_and_dates_its_benchmark(client):
    meta = _meta(client)
    lq_years = {m["id"]: m for m in meta["measures"]}["series_lq"]["year_list"]
    # a year of the series with an LQ against the UK, and no counts by SIC class
    year = next(y for y in lq_years if y not in meta["years"] and y in meta["series_years"][1:])
    for url, params in GROUP_OR_PLACE:
        p = client.get(url, params={**params, "year": year}).json()
        note = p["business_lq_note"]
        assert f"not imported for {year}" in note and "do not cover" not in note, note
        latest = str(meta["years"][-1])
        assert p["benchmark_year"] == latest
        assert p["benchmark_note"].startswith(f"This benchmark is of {latest}, not {year}")


@pytest.mark.parametrize(("url", "params"), GROUP_OR_PLACE)
def test_a_year_the_series_lacks_is_a_404_naming_the_years_without_cli_flags(client, url, params):
    meta = _meta(client)
    first, last = meta["series_years"][0], meta["series_years"][-1]
    r = client.get(url, params={**params, "year": first - 1})
    assert r.status_code == 404
    detail = r.json()["detail"]
    assert "--year" not in detail and str(first + 1) in detail and str(last) in detail
    # the series' first year is its base: no trend ends there, and the message and /api/meta say so
    r = client.get(url, params={**params, "year": first})
    assert r.status_code == 404 and "--year" not in r.json()["detail"] and "first year" in r.json()["detail"]
    assert meta["profile_years"] == meta["series_years"][1:] and meta["series_base_year"] == first


def test_indicators_of_a_year_the_warehouse_lacks_is_a_404(client):
    years = _meta(client)["years"]
    r = client.get("/api/indicators", params={"year": years[0] - 1})
    assert r.status_code == 404 and str(years[-1]) in r.json()["detail"]
