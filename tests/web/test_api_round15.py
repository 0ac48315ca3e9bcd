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


# ------------------------------------------------------------------ a pack focused on a sub-sector


def _title(html):
    import re

    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_a_pack_focuses_on_the_subsector_asked_for_as_the_cli_does(client):
    """Was: the web's pack had no sub-sector, so a bid team on the film map got an all-creative pack."""
    whole = client.get("/api/places/E06000043/evidence.html")
    film = client.get("/api/places/E06000043/evidence.html", params={"subsector": "film"})
    assert whole.status_code == film.status_code == 200
    assert "Film, TV, video, radio and photography" in _title(film.text)
    assert "Film, TV" not in _title(whole.text)
    games = client.get("/api/places/E06000043/evidence.html", params={"subsector": "games"})
    assert games.status_code == 200 and "5821" in _title(games.text)  # the exact SIC class, as `--subsector games`


def test_a_pack_refuses_a_subsector_it_cannot_show(client):
    for text in ("museums", "basket weaving"):
        r = client.get("/api/places/E06000043/evidence.html", params={"subsector": text})
        assert r.status_code == 422, (text, r.status_code)
        assert "sub-sector" in r.json()["detail"]


def test_a_groups_error_names_the_query_parameter_not_the_cli_option(client):
    """Was: "--places takes local authorities …", the command line's option, in the web API's 404."""
    r = client.get("/api/groups/profile", params={"places": "S12000049,NOPE", "name": "x"})
    assert r.status_code == 404
    detail = r.json()["detail"]
    assert "the places parameter takes local authorities" in detail and "--places" not in detail
