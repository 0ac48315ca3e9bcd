"""Web review round 11, in a real browser: categorical classes and per cents are drawn as Python sends them.

Each test drives Debian's Chromium through Playwright against the session's warehouse; the expected colours
and labels are cluster_maps' constants (the exported maps' palette), the figures read from the API.
"""

from __future__ import annotations

import json

import pytest

from tests.web._browser import api, assert_places_drawn_in_api_classes, rgb

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def _legend(pg):
    """(label, swatch colour) of each class in the legend, no-data swatch left out."""
    return pg.eval_on_selector_all("#legend .sw:not(.nodata)", "s => s.map(e => [e.nextSibling.textContent, "
                                   "getComputedStyle(e).backgroundColor])")


@pytest.mark.parametrize(("measure", "level"), [("trajectory_class", "lad"), ("hotspot_class", "lad")])
def test_category_legend_and_fill_are_the_python_palette(open_page, measure, level):
    """Was: trajectory classes purple/orange on the page, Okabe-Ito on the exported maps; hotspot labels in JS."""
    from creative_clusters.workflows.cluster_maps import CATEGORY_CLASSES

    cats = CATEGORY_CLASSES[measure]
    pg = open_page(f"#level={level}&measure={measure}")
    expect(pg.locator("#legend .sw:not(.nodata)").first).to_be_visible(timeout=60000)
    body = api(pg, f"/api/indicators?level={level}&subsector=all&measure={measure}")
    present = {r["value"] for r in body["rows"]}
    assert len(present & {c.value for c in cats}) >= 2
    assert _legend(pg) == [[c.label, rgb(c.colour)] for c in cats if c.value in present]
    fill = pg.evaluate("() => window.creativeClustersMap.getPaintProperty('places-fill', 'fill-color')")
    assert fill[:2] == ["match", ["to-number", ["get", "cls"], -1]]
    assert fill[2:-1] == [x for i, c in enumerate(cats) for x in (i, c.colour)]
    assert_places_drawn_in_api_classes(pg, body)
    assert not pg.errors


def test_the_category_legend_follows_what_the_api_sends(open_page):
    """Other colours and labels from the server are what the page shows: it keeps no palette of its own."""
    colours = ["#111111", "#222222", "#333333", "#444444"]

    def recolour(page):
        def indicators(route):
            resp = route.fetch()
            body = resp.json()
            if body.get("kind") == "category":
                body["classes"]["colours"] = colours
                body["classes"]["labels"] = [f"class {v}" for v in body["classes"]["values"]]
            route.fulfill(response=resp, body=json.dumps(body), headers={**resp.headers, "content-encoding": ""})
        page.route("**/api/indicators?*", indicators)

    pg = open_page("#level=rgn&measure=trajectory_class", before=recolour)
    expect(pg.locator("#legend")).to_contain_text("class stable", timeout=60000)
    body = api(pg, "/api/indicators?level=rgn&subsector=all&measure=trajectory_class")
    present = {r["class"] for r in body["rows"]}
    want = [[f"class {v}", rgb(c)] for i, (v, c) in enumerate(zip(body["classes"]["values"], colours, strict=True))
            if i in present]
    assert want and _legend(pg) == want
    assert not pg.errors


def test_the_growth_table_shows_the_per_cent_the_api_sends(open_page):
    """The "a year" column is the profile's ``cagr_pct`` as sent (was: the page's own 100 * cagr)."""
    def mark(page):
        def handle(route):
            resp = route.fetch()
            body = resp.json()
            for i, w in enumerate(body["trajectory"]["windows"]):
                w["cagr_pct"] = 12.34 + i  # not 100 * cagr: only a page that reads cagr_pct shows these
            route.fulfill(response=resp, body=json.dumps(body), headers={**resp.headers, "content-encoding": ""})
        page.route("**/api/places/E08000019/profile", handle)

    pg = open_page("#place=E08000019", before=mark)
    expect(pg.locator("#panel h2")).to_contain_text("Sheffield", timeout=20000)
    windows = api(pg, "/api/places/E08000019/profile")["trajectory"]["windows"]
    rows = pg.eval_on_selector_all("#panel table:has(caption:has-text('compound growth')) tr",
                                   "rows => rows.slice(1).map(r => [...r.cells].map(c => c.innerText.trim()))")
    assert [r[0] for r in rows] == [w["label"] for w in windows]
    assert [r[2] for r in rows] == [f"+{12.34 + i:.1f}%" for i in range(len(windows))]
    assert not pg.errors
