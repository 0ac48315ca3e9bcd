"""Web review round 8, in a real browser: the page colours by the API's classes and says why a figure is missing.

Each test drives Debian's Chromium through Playwright against the session's warehouse; the
expected figures are read from the API in the same test, never written down here.
"""

from __future__ import annotations

import itertools
import json
import math

import pytest

from tests.web._browser import api

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def count(v):  # the page's fmt() of a count: rounded half up, thousands separated
    return f"{math.floor(v + 0.5):,}"


def test_map_colours_and_legend_follow_the_classes_the_api_sends(open_page):
    pg = open_page("#level=lad&measure=business_count")
    expect(pg.locator("#legend")).to_contain_text("Quantile classes", timeout=20000)
    body = api(pg, "/api/indicators?level=lad&subsector=all&measure=business_count")
    q = body["classes"]
    edges = [q["lowest"], *q["breaks"]]
    legend = pg.eval_on_selector_all("#legend .sw:not(.nodata)", "s => s.map(e => e.nextSibling.textContent)")
    assert legend == [f"{count(lo)} to {count(hi)}" for lo, hi in itertools.pairwise(edges)]
    # every place is filled by the class the API gave it, not by a rule of the page's own
    pg.wait_for_function("() => window.creativeClustersMap.querySourceFeatures('places').length > 0")
    drawn = pg.evaluate("() => Object.fromEntries(window.creativeClustersMap.querySourceFeatures('places')"
                        ".map(f => [f.properties.geo_code, f.properties.cls]))")
    expected = {r["geo_code"]: (-1 if r["class"] is None else r["class"]) for r in body["rows"]}
    assert drawn and all(drawn[c] == expected.get(c, -1) for c in drawn)
    fill = pg.evaluate("() => window.creativeClustersMap.getPaintProperty('places-fill', 'fill-color')")
    assert fill[0] == "match" and fill[1] == ["to-number", ["get", "cls"], -1]
    assert fill[2::2][:-1] == list(range(len(q["breaks"])))  # one colour per class the API sent
    assert not pg.errors


def test_lq_legend_keeps_its_fixed_steps(open_page):
    pg = open_page("#level=lad&measure=business_lq")
    expect(pg.locator("#legend")).to_contain_text("centred on 1", timeout=20000)
    text = pg.inner_text("#legend")
    for step in ("0.67", "0.80", "0.91", "1.10", "1.25", "1.50"):
        assert step in text


def test_a_place_without_an_lq_against_england_shows_its_lq_against_the_uk_with_the_reason(open_page):
    # was "n/a" with a note opening "no business location quotient", although the annual series gives one
    pg = open_page("#place=W06000015")
    expect(pg.locator("#panel h2")).to_contain_text("Cardiff", timeout=20000)
    p = api(pg, "/api/places/W06000015/profile")
    line = pg.inner_text("#panel .lq-series")
    assert line.startswith("Creative business location quotient against the UK") and p["business_lq_note"] in line
    assert f"{p['business_lq_series']['value']:.2f}" in line
    bench = next((b for b in p["benchmark"] if b["label"] == "Creative business location quotient"), None)
    if bench is not None and bench["value"] is not None:  # the benchmark's own figure is not shown as the LQ
        assert f"quotient: {bench['value']:.2f}" not in pg.inner_text("#panel")


def test_the_census_label_comes_from_the_payload(open_page):
    def relabel(page):
        def handle(route):
            resp = route.fetch()
            body = resp.json()
            body["census_workforce"]["label"] = "Census 2031"
            route.fulfill(response=resp, body=json.dumps(body), headers={**resp.headers, "content-encoding": ""})
        page.route("**/api/places/E08000019/profile", handle)

    pg = open_page("#place=E08000019", before=relabel)
    expect(pg.locator("#panel h2")).to_contain_text("Sheffield", timeout=20000)
    expect(pg.locator("#panel h3", has_text="Workforce")).to_have_text("Workforce (Census 2031)")
