"""Web review round 12, in a real browser: the hotspot outline and the no-data style are drawn as Python sends them.

Was: the page outlined the places whose hotspot class was the literal "HH" in its own red, and drew places
without a value white with a dashed legend swatch and its own words, where the exported and pack maps hatch
them grey. Each test drives Debian's Chromium through Playwright against the session's warehouse.
"""

from __future__ import annotations

import contextlib
import json

import pytest

from tests.web._browser import api, rgb

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_the_hotspot_outline_follows_the_rows_outlined_flag(open_page):
    """An HH place the API does not mark ``outlined`` is not outlined, a place it marks is (whatever its class)."""
    from creative_clusters.workflows.cluster_maps import CLUSTER_OUTLINE

    changed = {}

    def swap(page):
        def indicators(route):
            resp = route.fetch()
            body = resp.json()
            if body.get("measure") == "hotspot_class":
                hh = next(r for r in body["rows"] if r["value"] == "HH")
                other = next(r for r in body["rows"] if r["value"] == "not significant")
                hh["outlined"], other["outlined"] = False, True
                changed.update(off=hh["geo_code"], on=other["geo_code"],
                               outlined={r["geo_code"] for r in body["rows"] if r.get("outlined")})
            route.fulfill(response=resp, body=json.dumps(body), headers={**resp.headers, "content-encoding": ""})
        page.route("**/api/indicators?*", indicators)

    pg = open_page("#level=lad&measure=business_lq", before=swap)
    pg.check("#lyr-hotspots")
    pg.wait_for_function("() => window.creativeClustersMap.querySourceFeatures('places')"
                         ".some(f => f.properties.hot === 1)", timeout=60000)
    # the map's tiles fill in one by one (slowly on a loaded machine): wait until the outlined set is the API's,
    # or time out (a place outlined against the rows' flag never leaves the set, so the wait fails then)
    hot_js = ("() => [...new Set(window.creativeClustersMap.querySourceFeatures('places')"
              ".filter(f => f.properties.hot === 1).map(f => f.properties.geo_code))].sort()")
    with contextlib.suppress(sync_api.TimeoutError):  # the assertions below say what differs
        pg.wait_for_function(f"(want) => JSON.stringify(({hot_js})()) === JSON.stringify(want)",
                             arg=sorted(changed["outlined"]), timeout=60000)
    hot = set(pg.evaluate(hot_js))
    assert changed["on"] in hot and changed["off"] not in hot
    assert hot == changed["outlined"]
    assert pg.evaluate("() => window.creativeClustersMap.getPaintProperty('hotspots-line', 'line-color')") \
        == CLUSTER_OUTLINE
    assert not pg.errors


def test_places_without_a_value_are_hatched_in_the_python_style(open_page):
    """The legend swatch, its words and the map's no-data layer are /api/meta ``no_data``: the pack's hatched grey."""
    from creative_clusters._map_style import NO_DATA

    pg = open_page("#level=lad&measure=business_lq")
    expect(pg.locator("#legend .sw.nodata")).to_be_visible(timeout=60000)
    swatch = pg.eval_on_selector("#legend .sw.nodata", "e => [e.nextSibling.textContent, "
                                 "getComputedStyle(e).backgroundColor, getComputedStyle(e).backgroundImage]")
    assert swatch[0] == NO_DATA.label and swatch[1] == rgb(NO_DATA.fill)
    assert api(pg, "/api/meta")["no_data"]["label"] == NO_DATA.label  # the words come with the style
    assert swatch[2].startswith('url("data:image/png')  # the hatch, drawn from the server's style
    m = "window.creativeClustersMap"
    assert pg.evaluate(f"() => {m}.hasImage('no-data') && {m}.getPaintProperty('places-nodata', 'fill-pattern')") \
        == "no-data"
    assert pg.evaluate(f"() => {m}.getPaintProperty('places-fill', 'fill-color')")[-1] == NO_DATA.fill
    # the hatch tile holds the fill and the hatch colour, as the exported maps draw them
    tile = pg.evaluate("() => { const i = new Image(); i.src = getComputedStyle(document.querySelector("
                       "'#legend .sw.nodata')).backgroundImage.slice(5, -2); return i.decode().then(() => {"
                       " const c = document.createElement('canvas'); c.width = i.width; c.height = i.height;"
                       " const x = c.getContext('2d'); x.drawImage(i, 0, 0);"
                       " const d = x.getImageData(0, 0, c.width, c.height).data, out = new Set();"
                       " for (let k = 0; k < d.length; k += 4) out.add('#' + [d[k], d[k + 1], d[k + 2]]"
                       ".map(v => v.toString(16).padStart(2, '0')).join('')); return [...out]; }); }")
    assert NO_DATA.fill in tile and NO_DATA.hatch_colour in tile
    # the places the map has no class for are the ones the no-data layer draws
    pg.wait_for_function(f"() => {m}.queryRenderedFeatures({{layers: ['places-nodata']}}).length > 0", timeout=60000)
    drawn = pg.evaluate(f"() => {m}.queryRenderedFeatures({{layers: ['places-nodata']}})"
                        ".map(f => f.properties.cls)")
    assert set(drawn) == {-1}
    assert not pg.errors
