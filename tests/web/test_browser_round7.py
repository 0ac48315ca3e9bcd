"""Web review round 7, in a real browser: what the page shows must match what the API gives.

Each test drives Debian's Chromium through Playwright against the session's warehouse; the
expected figures are read from the API in the same test, never written down here.
"""

from __future__ import annotations

import re

import pytest

from tests.web._browser import api

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def ratio(v):
    return f"{v:.2f}"


def test_subsector_rows_show_each_subsectors_lq_from_the_profile(open_page):
    pg = open_page("#place=E08000019")
    expect(pg.locator("#panel h2")).to_contain_text("Sheffield", timeout=20000)
    subs = api(pg, "/api/places/E08000019/profile")["creative_enterprises"]["by_subsector"]
    shown = pg.eval_on_selector_all("#panel table.subsectors tr", "rows => rows.slice(1).map(r => "
                                    "[...r.cells].map(c => c.innerText.trim()))")
    assert len(shown) == len(subs)
    with_lq = 0
    for row, s in zip(shown, subs, strict=True):
        assert row[0] == s["subsector"]
        want = "n/a" if s["business_lq"] is None else ratio(s["business_lq"])
        with_lq += s["business_lq"] is not None
        # the LQ first, then its 95% interval as the API gives it (round 16)
        if s["lq_lower"] is not None and s["lq_upper"] is not None:
            want += f" (95% interval {ratio(s['lq_lower'])}–{ratio(s['lq_upper'])})"
        assert row[2].split("\n")[0] == want, (row, s)
    assert with_lq >= 5  # not n/a for every sub-sector
    assert pg.errors == []


def test_a_click_inside_a_corridor_opens_the_place_and_shows_the_corridor(open_page):
    pg = open_page("#z=10&c=-2.2400,53.4800")  # Manchester, inside a corridor drawn by default
    pg.wait_for_function("() => !window.creativeClustersMap.isMoving()")
    pg.wait_for_timeout(500)
    box = pg.locator("canvas.maplibregl-canvas").bounding_box()
    x, y = box["width"] / 2, box["height"] / 2
    under = pg.evaluate("([x, y]) => ({place: (window.creativeClustersMap.queryRenderedFeatures([x, y], "
                        "{layers: ['places-fill']})[0] || {properties: {}}).properties.geo_name, corridor: "
                        "window.creativeClustersMap.queryRenderedFeatures([x, y], "
                        "{layers: ['corridors-fill']}).length})",
                        [x, y])
    assert under["place"] and under["corridor"], under  # the point is a place inside a corridor
    pg.mouse.click(box["x"] + x, box["y"] + y)
    expect(pg.locator("#panel h2")).to_have_text(under["place"], timeout=20000)
    popup = pg.locator(".maplibregl-popup")
    expect(popup).to_contain_text("Creative corridor")
    expect(popup).to_contain_text("Creative enterprises")  # the layer's total_creative_businesses
    assert not re.search(r"Corridor\s*\d", popup.inner_text())  # no internal number from 0
    assert pg.errors == []


def test_only_the_newest_map_request_is_drawn(open_page):
    pg = open_page("#measure=series_growth&level=ttwa&view=table")
    expect(pg.locator("#table-caption")).to_contain_text("–", timeout=20000)
    years = api(pg, "/api/meta")["series_years"]
    slow, final = years[-3], years[-4]
    # the answer for the year asked first arrives after the one asked next, as on a busy server
    pg.evaluate("""(slow) => { const real = window.fetch; window.fetch = (u, o) => real(u, o).then(r =>
        String(u).includes('/api/indicators') && String(u).includes('year=' + slow) && !String(u).includes('format=')
          ? new Promise(res => setTimeout(() => res(r), 1500)) : r); }""", slow)
    move = "(i) => { const s = document.querySelector('#year'); s.value = i; s.dispatchEvent(new Event('input')); " \
           "s.dispatchEvent(new Event('change')); }"
    pg.evaluate(move, years.index(slow))
    pg.evaluate(move, years.index(final))
    pg.wait_for_timeout(2500)  # the slow answer has arrived by now
    assert pg.inner_text("#year-out").strip() == str(final)
    expect(pg.locator("#table-caption")).to_contain_text(f"–{final}")
    assert f"–{slow}" not in pg.inner_text("#legend")
    assert f"year={final}" in pg.url
    assert pg.errors == []


def test_a_measure_not_computed_at_a_level_is_not_offered_and_controls_match_the_map(open_page):
    pg = open_page("#level=lad&measure=hotspot_class")
    expect(pg.locator("#legend")).to_contain_text("Hotspot", timeout=20000)
    meta = api(pg, "/api/meta")
    hot = next(m for m in meta["measures"] if m["id"] == "hotspot_class")
    other = next(lv["id"] for lv in meta["levels"] if lv["id"] not in hot["levels"])
    pg.select_option("#level", other)
    pg.wait_for_function(f"() => location.hash.includes('level={other}')", timeout=20000)
    measure = pg.input_value("#measure")
    assert measure != "hotspot_class"
    label = pg.eval_on_selector("#measure", "s => s.selectedOptions[0].textContent")
    expect(pg.locator("#legend strong")).to_contain_text(label, timeout=20000)  # after the new level loads
    assert f"measure={measure}" in pg.url
    assert pg.eval_on_selector('#measure option[value="hotspot_class"]', "o => o.disabled")
    expect(pg.locator("#notice")).to_contain_text(hot["levels_note"])
    # the error box (if any) does not cover the zoom buttons
    zoom = pg.locator(".maplibregl-ctrl-zoom-in").bounding_box()
    pg.evaluate("() => { const e = document.querySelector('#map-error'); e.hidden = false; "
                "e.textContent = 'x'.repeat(300); }")
    err = pg.locator("#map-error").bounding_box()
    assert err["x"] + err["width"] <= zoom["x"] or err["y"] >= zoom["y"] + zoom["height"]


def test_compare_with_a_place_outside_england_uses_its_series_figures(open_page):
    pg = open_page("#place=E08000019")
    expect(pg.locator("#panel h2")).to_contain_text("Sheffield", timeout=20000)
    pg.click("#panel [data-compare]")
    assert pg.input_value("#search") == ""  # typing starts a new name
    pg.keyboard.type("Cardiff")
    pg.wait_for_selector("#search-results li")
    pg.keyboard.press("Enter")
    expect(pg.locator("#panel h2")).to_contain_text("Compare", timeout=20000)
    cardiff = api(pg, "/api/places/W06000015/profile")
    last = cardiff["trajectory"]["series"][-1]
    last_lq = [r for r in cardiff["trajectory"]["series"] if r["lq"] is not None][-1]
    cells = dict(pg.eval_on_selector_all("#panel table.compare tr", "rows => rows.slice(1).map(r => "
                                         "[r.cells[0].innerText, r.cells[2].innerText])"))
    series_row = next(v for k, v in cells.items() if "annual series" in k and "enterprises" in k.lower())
    assert series_row.startswith(f"{last['value']:,.0f}") and last["period"] in series_row
    lq_row = next(v for k, v in cells.items() if "against the UK" in k)
    assert lq_row.startswith(ratio(last_lq["lq"])) and last_lq["period"] in lq_row
    sic_row = next(v for k, v in cells.items() if k.startswith("Creative enterprises (SIC"))
    assert "not published for Wales" in sic_row


def _lab(rgb):
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(float(x)) for x in rgb)
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _delta_e(a, b):
    return sum((x - y) ** 2 for x, y in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def _rgb(css):
    if css.startswith("#"):
        return [int(css[i:i + 2], 16) for i in (1, 3, 5)]
    return re.findall(r"[\d.]+", css)[:3]


def test_lq_classes_are_about_equally_distinct_on_both_sides_of_one(open_page):
    pg = open_page("#level=cauth&measure=business_lq")
    expect(pg.locator("#legend")).to_contain_text("centred on 1", timeout=20000)
    sw = pg.eval_on_selector_all("#legend .sw:not(.nodata)", "s => s.map(e => getComputedStyle(e).backgroundColor)")
    assert len(sw) == 7
    below = [_delta_e(_rgb(sw[i]), _rgb(sw[i + 1])) for i in range(2)]
    above = [_delta_e(_rgb(sw[i]), _rgb(sw[i + 1])) for i in range(4, 6)]
    assert min(below + above) >= 15, (below, above)
    assert 2 / 3 <= min(above) / min(below) <= 3 / 2, (below, above)  # the closest pair on each side alike
    # microcluster outlines stand out from every fill colour
    line = pg.evaluate("() => window.creativeClustersMap.getPaintProperty('micro-line', 'line-color')")
    assert min(_delta_e(_rgb(line), _rgb(c)) for c in sw) >= 30


def _contrast(a, b):
    def lum(rgb):
        c = [float(x) / 255 for x in rgb]
        c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_keyboard_focus_ring_has_3_to_1_contrast_on_white(open_page):
    pg = open_page()
    pg.focus("#toggle-view")
    pg.keyboard.press("Shift+Tab")  # keyboard focus, so :focus-visible applies
    colour = pg.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    width = pg.evaluate("() => parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert width >= 2 and _contrast(_rgb(colour), (255, 255, 255)) >= 3, colour
    expect(pg.locator("#panel")).to_contain_text("table view")  # how to pick a place without a mouse


def test_profile_wording_ranks_units_sources_and_footer(open_page):
    pg = open_page("#place=E47000001&level=cauth&measure=business_lq")
    expect(pg.locator("#panel h2")).to_contain_text("Greater Manchester", timeout=20000)
    gm = api(pg, "/api/places/E47000001/profile")
    text = pg.inner_text("#panel")
    t = gm["trajectory"]
    assert t["rank_base"] == t["nation_name"]  # the case where the old text said it twice
    head = re.search(r"in \d{4} \(([^)]*)\)", text).group(1)
    assert head.count(t["nation_name"]) == 1 and "combined authorities" in head, head
    assert not re.search(r"\((.+?)\) \(\1\)", text)  # "(about 2015) (2015)"
    assert text.count("Creative business location quotient:") == 1
    assert "on the map:" not in text  # the measure on the map is that same LQ
    footer = pg.inner_text("#sources")
    assert ".;" not in footer and ".." not in footer
    # deprivation: "rank 56 of 296", never "56 (rank of 296)"
    pg.evaluate("() => { location.hash = '#place=E08000019&level=lad'; }")
    expect(pg.locator("#panel h2")).to_contain_text("Sheffield", timeout=20000)
    dep = next(d for d in api(pg, "/api/places/E08000019/profile")["deprivation"] if d["unit"].startswith("rank of"))
    text = pg.inner_text("#panel")
    deprivation = pg.inner_text("#panel h3:has-text('Deprivation') + ul")
    assert f"rank {dep['value']:,.0f} of {dep['unit'].split()[-1]}" in deprivation
    assert "(rank of" not in deprivation and "(%)" not in deprivation
    assert "growth_potential" not in text and text.count("100 = best") == 1  # the benchmark caption


def test_popups_show_names_and_percentages(open_page):
    pg = open_page("#level=lad")
    fc = api(pg, "/api/microclusters")
    if not fc["features"]:
        pytest.skip("no microclusters in this warehouse")
    f = next(x for x in fc["features"] if x["properties"]["dominant_share"])
    ring = f["geometry"]["coordinates"][0] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"][0][0]
    lon = sum(p[0] for p in ring) / len(ring)
    lat = sum(p[1] for p in ring) / len(ring)
    pg.evaluate("([lon, lat]) => window.creativeClustersMap.jumpTo({center: [lon, lat], zoom: 15})", [lon, lat])
    pg.wait_for_timeout(1200)
    # a point of the microcluster's fill that is not under a firm point or a box drawn over the map
    pt = pg.evaluate("""(id) => { const m = window.creativeClustersMap, c = m.getCanvas();
        const r = c.getBoundingClientRect();
        for (let y = 20; y < c.clientHeight; y += 12) for (let x = 20; x < c.clientWidth; x += 12) {
          const h = m.queryRenderedFeatures([x, y], {layers: ['micro-fill']});
          if (h.length && h[0].properties.microcluster_id === id
              && !m.queryRenderedFeatures([x, y], {layers: ['firms-circle']}).length
              && document.elementFromPoint(r.left + x, r.top + y) === c) return [x, y]; }
        return null; }""", f["properties"]["microcluster_id"])
    assert pt, "microcluster not drawn"
    box = pg.locator("canvas.maplibregl-canvas").bounding_box()
    pg.mouse.click(box["x"] + pt[0], box["y"] + pt[1])
    popup = pg.locator(".maplibregl-popup")
    expect(popup).to_contain_text("Microcluster", timeout=5000)
    names = {s["id"]: s["name"] for s in api(pg, "/api/meta")["subsectors"]}
    sub = f["properties"]["dominant_subsector"]
    text = popup.inner_text()
    assert names[sub] in text and (sub == names[sub] or sub not in text.replace(names[sub], ""))
    assert f"{100 * f['properties']['dominant_share']:.1f}%" in text


def test_search_says_when_nothing_is_found_and_shows_no_empty_year(open_page):
    pg = open_page()
    pg.fill("#search", "Qwxzyv Nowhere")
    expect(pg.locator("#search-status")).to_contain_text("No places found", timeout=5000)
    assert pg.get_attribute("#search-status", "role") == "status"
    pg.fill("#search", "Hull")
    pg.wait_for_selector("#search-results li")
    for item in pg.locator("#search-results li").all_inner_texts():
        assert not item.rstrip().endswith(","), item


def test_a_link_opened_in_a_tab_showing_the_page_is_applied(open_page):
    pg = open_page("#level=lad&measure=business_lq")
    expect(pg.locator("#legend")).to_contain_text("centred on 1", timeout=20000)
    pg.evaluate("() => { location.hash = '#measure=series_businesses&level=rgn&place=E12000003'; }")
    expect(pg.locator("#panel h2")).to_contain_text("Yorkshire", timeout=20000)
    assert pg.input_value("#measure") == "series_businesses" and pg.input_value("#level") == "rgn"
    expect(pg.locator("#table-caption")).to_contain_text("region")


def test_anchors_are_listed_from_the_profile(open_page):
    pg = open_page("#place=E08000019")
    expect(pg.locator("#panel h2")).to_contain_text("Sheffield", timeout=20000)
    anchors = api(pg, "/api/places/E08000019/profile")["anchors"]
    text = pg.inner_text("#panel .anchors")
    for k in ("hei", "museums"):
        assert f"{anchors[k]['label']}: {anchors[k]['count']:,}" in text
    pg.click("#panel .anchors summary >> nth=0")
    expect(pg.locator("#panel .anchors")).to_contain_text(anchors["hei"]["names"][0])


def test_trajectory_slider_offers_only_years_with_classes(open_page):
    pg = open_page("#measure=trajectory_class&level=lad&view=table")
    expect(pg.locator("#table-caption")).to_contain_text("Trajectory", timeout=20000)
    traj = next(m for m in api(pg, "/api/meta")["measures"] if m["id"] == "trajectory_class")
    assert pg.get_attribute("#year", "max") == str(len(traj["year_list"]) - 1)
    pg.evaluate("() => { const s = document.querySelector('#year'); s.value = 0; s.dispatchEvent(new Event('input')); "
                "s.dispatchEvent(new Event('change')); }")
    assert pg.inner_text("#year-out").strip() == str(traj["year_list"][0])
    if traj["years_note"]:
        expect(pg.locator("#legend")).to_contain_text(traj["years_note"])
    expect(pg.locator("#table-caption")).to_contain_text(str(traj["year_list"][0]))
    rows = api(pg, f"/api/indicators?level=lad&measure=trajectory_class&year={traj['year_list'][0]}")["rows"]
    empty = [r["geo_code"] for r in rows if not r["value"]]
    for code in empty[:3]:  # a place without a class reads n/a, not a blank cell
        expect(pg.locator(f'#data-table tr[data-code="{code}"] td.num')).to_have_text("n/a")
