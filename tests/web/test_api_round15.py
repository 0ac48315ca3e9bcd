"""A name that means several places says so in the web API, as ``profile`` does on the command line.

Was: ``/api/places/West Midlands/profile`` answered with the region and nothing else, while
``creative-clusters profile "West Midlands"`` notes that the name also means the combined authority
(E47000007) and how to ask for it.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("data_root")


def test_an_ambiguous_name_names_its_other_meaning(client):
    for _ in range(2):  # the second answer comes from the cache and still says it
        r = client.get("/api/places/West Midlands/profile")
        assert r.status_code == 200
        body = r.json()
        assert body["place"]["code"] == "E12000005"
        [note] = body["also_matches"]
        assert "E47000007" in note and "cauth:West Midlands" in note


def test_a_code_or_a_name_of_one_place_has_no_other_meaning(client):
    assert "also_matches" not in client.get("/api/places/E12000005/profile").json()
    assert "also_matches" not in client.get("/api/places/cauth:West Midlands/profile").json()
    # the region's own body is unchanged by the name's note (one cached profile per place)
    region = client.get("/api/places/E12000005/profile").json()
    named = client.get("/api/places/West Midlands/profile").json()
    named.pop("also_matches")
    assert named == region
