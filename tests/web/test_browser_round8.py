"""Web review round 8, in a real browser: the page colours by the API's classes and says why a figure is missing.

Each test drives Debian's Chromium through Playwright against the session's warehouse; the
expected figures are read from the API in the same test, never written down here.
"""

from __future__ import annotations

import itertools
import json
import math

import pytest

from tests.web._browser import api, assert_places_drawn_in_api_classes

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
    assert_places_drawn_in_api_classes(pg, body)
    fill = pg.evaluate("() => window.creativeClustersMap.getPaintProperty('places-fill', 'fill-color')")
    assert fill[0] == "match" and fill[1] == ["to-number", ["get", "cls"], -1]
    assert fill[2::2][:-1] == list(range(len(q["breaks"])))  # one colour per class the API sent
    assert not pg.errors


def _rgb(hex_colour):
    return "rgb(" + ", ".join(str(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5)) + ")"


def _lq_rows(edges, middle, label):
    """The legend rows of a diverging scale with upper ``edges``, as the page's fmt() writes a ratio."""
    rows = [f"below {edges[0]:.2f}", *[f"{lo:.2f} to {hi:.2f}" for lo, hi in itertools.pairwise(edges)],
            f"{edges[-1]:.2f} and above"]
    rows[middle] += f" ({label})"
    return rows


def test_lq_legend_and_colours_are_the_python_lq_classes(open_page):
    """The legend's steps and swatches are cluster_maps' LQ classes; each place filled by the class the API gave."""
    from creative_clusters.workflows.cluster_maps import LQ_CLASS_COLOURS, LQ_CLASS_EDGES

    pg = open_page("#level=lad&measure=business_lq")
    expect(pg.locator("#legend")).to_contain_text("centred on 1", timeout=20000)
    middle = next(i for i, e in enumerate(LQ_CLASS_EDGES) if e > 1)
    legend = pg.eval_on_selector_all("#legend .sw:not(.nodata)", "s => s.map(e => e.nextSibling.textContent)")
    assert legend == _lq_rows(LQ_CLASS_EDGES, middle, "about the same as England")
    sw = pg.eval_on_selector_all("#legend .sw:not(.nodata)", "s => s.map(e => getComputedStyle(e).backgroundColor)")
    assert sw == [_rgb(c) for c in LQ_CLASS_COLOURS]
    lo, hi = LQ_CLASS_EDGES[middle - 1], LQ_CLASS_EDGES[middle]
    assert f"Values near 1 ({lo:.2f}–{hi:.2f}) are shown grey" in pg.inner_text("#legend .help")
    body = api(pg, "/api/indicators?level=lad&subsector=all&measure=business_lq")
    assert_places_drawn_in_api_classes(pg, body)
    fill = pg.evaluate("() => window.creativeClustersMap.getPaintProperty('places-fill', 'fill-color')")
    assert fill[0] == "match" and fill[2:-1] == [x for i, c in enumerate(LQ_CLASS_COLOURS) for x in (i, c)]
    assert not pg.errors


def test_the_lq_legend_follows_the_classes_the_api_sends(open_page):
    """Other edges, colours and label from the server are what the page shows: it keeps no LQ scale of its own."""
    edges, colours = [0.5, 0.95, 1.05, 2.0], ["#111111", "#222222", "#333333", "#444444", "#555555"]

    def rescale(scale):
        scale.update(edges=edges, colours=colours, middle=2, middle_label="near England")

    def reclass(page):
        def meta(route):
            resp = route.fetch()
            body = resp.json()
            rescale(body["map_classes"]["ratio"])
            route.fulfill(response=resp, body=json.dumps(body), headers={**resp.headers, "content-encoding": ""})

        def indicators(route):
            resp = route.fetch()
            body = resp.json()
            if body.get("kind") == "ratio":
                rescale(body["classes"])
            route.fulfill(response=resp, body=json.dumps(body), headers={**resp.headers, "content-encoding": ""})
        page.route("**/api/meta", meta)
        page.route("**/api/indicators?*", indicators)

    pg = open_page("#level=rgn&measure=business_lq", before=reclass)
    expect(pg.locator("#legend")).to_contain_text("near England", timeout=20000)
    legend = pg.eval_on_selector_all("#legend .sw:not(.nodata)", "s => s.map(e => e.nextSibling.textContent)")
    assert legend == _lq_rows(edges, 2, "near England")
    sw = pg.eval_on_selector_all("#legend .sw:not(.nodata)", "s => s.map(e => getComputedStyle(e).backgroundColor)")
    assert sw == [_rgb(c) for c in colours]
    assert "Values near 1 (0.95–1.05) are shown grey" in pg.inner_text("#legend .help")
    fill = pg.evaluate("() => window.creativeClustersMap.getPaintProperty('places-fill', 'fill-color')")
    assert fill[0] == "match" and fill[2:-1] == [x for i, c in enumerate(colours) for x in (i, c)]
    assert not pg.errors


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
