"""Review round 5: place names as the 404 advises, the CLI's sub-sector aliases, only sub-sectors with counts."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest


def _profile(client, text):
    return client.get("/api/places/" + quote(text, safe="") + "/profile")


def test_the_404_advice_works_kind_prefixed_and_spaced_names_resolve_like_the_cli(client, full_warehouse):
    from creative_clusters.workflows.places import resolve_place

    miss = _profile(client, "Nowhereville")
    assert miss.status_code == 404
    advised = re.findall(r"'(\w+:[^']+)'", miss.json()["detail"])  # "put it first, e.g. 'ttwa:Leeds' or ..."
    assert advised
    for text in advised:
        assert _profile(client, text).status_code == 200, text
    for text, geo_type in (("ttwa:Leeds", "ttwa"), ("West Midlands", None), ("cauth:West Midlands", "cauth"),
                           ("region: North East", "rgn"), ("Bristol, City of", "lad"), ("Ynys Môn", "lad"),
                           ("E08000019", "lad")):
        r = _profile(client, text)
        assert r.status_code == 200, (text, r.text[:300])
        place = r.json()["place"]
        assert place["code"] == resolve_place(full_warehouse, text).code  # the CLI's resolver
        if geo_type:
            assert place["geo_type"] == geo_type
    assert _profile(client, "ttwa:Leeds").json()["place"]["code"] != _profile(client, "Leeds").json()["place"]["code"]
    unknown_kind = _profile(client, "ttwa:Nowhereville")
    assert unknown_kind.status_code == 404 and "suggestions" in unknown_kind.json()


@pytest.mark.parametrize("path", ["/api/places/..%2Fetc/profile", "/api/places/.hidden/profile",
                                  "/api/places/" + "a" * 81 + "/profile"])
def test_place_text_is_still_one_bounded_segment(client, path):
    assert client.get(path).status_code in (404, 422)


@pytest.mark.parametrize("alias", ["film", "games", "Games", "performing arts"])
def test_indicators_and_clusters_accept_the_cli_subsector_aliases(client, alias):
    from creative_clusters.classifications.dcms import resolve_subsector, subsector_short

    sid = subsector_short(resolve_subsector(alias))  # what the CLI (and /api/research) do with the word
    params = {"measure": "business_count", "subsector": alias}
    r = client.get("/api/indicators", params=params)
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["subsector"] == sid
    canonical = client.get("/api/indicators", params={**params, "subsector": sid}).json()
    assert body["rows"] == canonical["rows"]
    if alias.lower() == "games":  # games has no SIC class of its own: said, as in the CLI
        assert any("'games' is counted as the whole DCMS sub-sector" in c for c in body["caveats"])
    csv = client.get("/api/indicators", params={**params, "format": "csv"})
    assert csv.status_code == 200 and f"_{sid}_" in csv.headers["content-disposition"]
    cl = client.get("/api/clusters", params={"subsector": alias})
    assert cl.status_code == 200 and cl.json()["subsector"] == sid
    res = client.get("/api/research", params={"subsector": alias})
    assert res.status_code == 200
    whys = [r["why"] for r in res.json()["results"]]  # the entries naming the sub-sector first, each saying why
    named = [w != "all creative industries" for w in whys]
    assert named == sorted(named, reverse=True)
    assert {w for w, n in zip(whys, named, strict=True) if n} <= {f"sub-sector: {resolve_subsector(alias)}"}


@pytest.mark.parametrize("params", [{"subsector": "zzzz-not-a-sector"}, {"subsector": "-"},
                                    {"subsector": "x" * 61}])
def test_unknown_subsector_text_is_422_without_echo(client, params):
    r = client.get("/api/indicators", params=params)
    assert r.status_code == 422 and "zzzz" not in r.text and "xxxxxxxx" not in r.text


def test_meta_lists_only_subsectors_the_endpoints_accept(client):
    meta = client.get("/api/meta").json()
    ids = [s["id"] for s in meta["subsectors"]]
    assert "museums" not in ids and "all" in ids and "film_tv" in ids
    for sid in ids:
        r = client.get("/api/indicators", params={"measure": "business_count", "subsector": sid})
        assert r.status_code == 200, (sid, r.text[:300])
    assert client.get("/api/clusters", params={"subsector": ids[-1]}).status_code == 200
    missing = {s["id"]: s for s in meta["subsectors_without_counts"]}
    assert set(missing) == {"museums"} and missing["museums"]["sic"] == ["9101", "9102"]
    for word in ("museums", "heritage"):  # refused with the reason, never advertised
        for url in ("/api/indicators", "/api/clusters"):
            r = client.get(url, params={"subsector": word})
            assert r.status_code == 422 and "9101" in r.json()["detail"]
    assert meta["subsector_aliases"]["film"] == "film_tv" and meta["subsector_aliases"]["games"] == "it_software"
    assert not set(meta["subsector_aliases"].values()) - set(ids)
    for op in ("/api/indicators", "/api/clusters"):
        (param,) = [p for p in client.get("/openapi.json").json()["paths"][op]["get"]["parameters"]
                    if p["name"] == "subsector"]
        assert "museums" not in str(param["schema"].get("pattern", "")) and "enum" not in param["schema"]
