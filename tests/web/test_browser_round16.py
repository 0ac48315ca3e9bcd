"""Web audit round 16, in a real browser: the skip link, the panel's newest answer, intervals and small counts,
the map's sub-sector, a busy state, notices that go, the year slider's words.

Was: "Skip to place profile" (href="#panel") put every setting back to its default through the hashchange
handler; a slow group profile overwrote a place chosen after it; the panel and its sub-sector table showed LQs
without their 95% intervals and small counts like any other; the legend, table caption, tooltip and panel never
named the sub-sector on the map; nothing showed while the map data loaded; a notice stayed through later choices
and could not be dismissed; the year slider read "7" to a screen reader. Each test drives Debian's Chromium
through Playwright against the session's warehouse.
"""

from __future__ import annotations

import pytest

from tests.web._browser import api

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

#: a fetch wrapper: ``window.__settled[part]`` turns true one task after the JSON of a request whose URL contains
#: ``part`` was read, when every reaction of the page to that answer has run
SETTLED = """
window.__settled = {};
const orig = window.fetch;
window.fetch = async (...args) => {
  const r = await orig(...args), url = String(args[0]);
  const json = r.json.bind(r);
  r.json = async () => {
    const v = await json();
    setTimeout(() => { if (url.includes("/api/groups/profile")) window.__settled["/api/groups/profile"] = true; }, 0);
    return v;
  };
  return r;
};
"""


def _held(pg, pattern):
    """Routes matching ``pattern`` held (not answered) until the test continues them; returns the list."""
    held = []
    pg.route(pattern, lambda route: held.append(route))
    return held


def _wait_held(pg, held):
    for _ in range(600):
        if held:
            return
        pg.wait_for_timeout(50)  # the route handler runs while Playwright waits
    raise AssertionError("the request was never made")


def test_skip_link_moves_focus_without_touching_the_settings(open_page):
    pg = open_page("#level=rgn&subsector=music_arts&measure=business_count")
    expect(pg.locator("#legend strong")).to_contain_text("Creative enterprises", timeout=60000)
    pg.keyboard.press("Tab")
    assert pg.evaluate("() => document.activeElement.className") == "skip"
    pg.keyboard.press("Enter")
    pg.wait_for_function("() => document.activeElement && document.activeElement.id === 'panel'")
    assert "level=rgn" in pg.url and "subsector=music_arts" in pg.url and "measure=business_count" in pg.url
    pg.evaluate("() => new Promise(r => setTimeout(r, 0))")  # a hashchange, had there been one, has run
    assert [pg.input_value(s) for s in ("#level", "#subsector", "#measure")] == ["rgn", "music_arts", "business_count"]
    assert "level=rgn" in pg.url


def test_a_slow_group_profile_does_not_overwrite_a_place_chosen_after_it(open_page):
    pg = open_page("#group=E08000019,E08000016&gname=Two%20towns", before=lambda p: p.add_init_script(SETTLED))
    expect(pg.locator("#group-show")).to_be_enabled(timeout=60000)
    held = _held(pg, "**/api/groups/profile*")
    pg.click("#group-show")
    _wait_held(pg, held)
    pg.fill("#search", "Leeds")
    pg.wait_for_selector("#search-results li")
    pg.keyboard.press("Enter")
    expect(pg.locator("#panel h2")).to_have_text("Leeds", timeout=60000)
    held[0].continue_()
    pg.wait_for_function("() => window.__settled['/api/groups/profile'] === true", timeout=60000)
    assert pg.inner_text("#panel h2") == "Leeds"
    assert "place=E08000035" in pg.url
    # the group's own profile, when it is the newest request, names its kind, not its internal code
    pg.unroute("**/api/groups/profile*")
    pg.click("#group-show")
    expect(pg.locator("#panel h2")).to_have_text("Two towns", timeout=60000)
    assert "custom:" not in pg.inner_text("#panel")


def test_lq_intervals_and_small_counts_reach_the_panel(open_page):
    pg = open_page("#place=E08000019")
    expect(pg.locator("#panel h2")).to_have_text("Sheffield", timeout=60000)
    f = api(pg, "/api/places/E08000019/profile")["statistics"]["figures"]["business_lq"]
    assert f["lower"] < f["value"] < f["upper"]
    line = pg.locator("#panel p", has_text="Creative business location quotient:").first.inner_text()
    assert f"{f['value']:.2f} (95% interval {f['lower']:.2f}–{f['upper']:.2f})" in line
    # Bolsover: sub-sectors the API flags as small counts, each with its interval and the flag in words
    bolsover = api(pg, "/api/places/E07000033/profile")["creative_enterprises"]["by_subsector"]
    small = [r for r in bolsover if "small-count" in r["flags"] and r["business_lq"] is not None]
    assert small
    pg.fill("#search", "E07000033")
    pg.wait_for_selector("#search-results li")
    pg.keyboard.press("Enter")
    expect(pg.locator("#panel h2")).to_have_text("Bolsover", timeout=60000)
    rows = {r[0].split("\n")[0]: r for r in pg.eval_on_selector_all(
        "#panel table.subsectors tr", "rs => rs.slice(1).map(r => [...r.cells].map(c => c.innerText.trim()))")}
    for r in small:
        cell = rows[r["subsector"]][2]
        assert f"{r['business_lq']:.2f} (95% interval {r['lq_lower']:.2f}–{r['lq_upper']:.2f})" in cell
        assert f"small count: {r['enterprises']:.0f} enterprises; LQ uncertain" in cell
    firm = next(r for r in bolsover if r["flags"] == ["rounded"] and r["business_lq"] is not None)
    assert "small count" not in rows[firm["subsector"]][2]


def test_the_map_names_its_sub_sector_and_marks_small_counts(open_page):
    pg = open_page("#level=lad&subsector=music_arts&measure=business_lq")
    name = "Music, performing and visual arts"
    expect(pg.locator("#legend strong")).to_contain_text(name, timeout=60000)
    body = api(pg, "/api/indicators?level=lad&subsector=music_arts&measure=business_lq")
    flagged = {r["geo_code"] for r in body["rows"] if r["flag"] == "small count"}
    assert "E07000033" in flagged
    drawn = pg.evaluate("() => Object.fromEntries(window.creativeClustersMap.querySourceFeatures('places')"
                        ".map(f => [f.properties.geo_code, f.properties.small]))")
    assert {c for c, s in drawn.items() if s == 1} == flagged & set(drawn)
    assert "small count; LQ uncertain" in pg.inner_text("#legend")
    assert pg.evaluate("() => window.creativeClustersMap.getLayer('places-small') !== undefined")
    assert name in pg.inner_text("#table-caption")
    assert name in pg.inner_text("#subtitle") and "against England" in pg.inner_text("#subtitle")
    # the tooltip over Bolsover names the sub-sector and the flag
    lab = next(x for x in api(pg, "/api/labels/lad")["labels"] if x["name"] == "Bolsover")
    pg.evaluate("([lon, lat]) => new Promise(r => { const m = window.creativeClustersMap; m.once('idle', r); "
                "m.jumpTo({ center: [lon, lat], zoom: 10 }); })", [lab["lon"], lab["lat"]])
    box = pg.locator("#map").bounding_box()
    pg.mouse.move(box["x"] + box["width"] / 2 - 3, box["y"] + box["height"] / 2)
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    value = next(r["value"] for r in body["rows"] if r["geo_code"] == "E07000033")
    expect(pg.locator("#tooltip")).to_have_text(f"Bolsover ({name}): {value:.2f} (small count; LQ uncertain)")


def test_the_panel_names_the_sub_sector_on_the_map(open_page):
    pg = open_page("#level=lad&subsector=music_arts&measure=business_count&place=E08000019")
    expect(pg.locator("#panel h2")).to_have_text("Sheffield", timeout=60000)
    expect(pg.locator("#panel p", has_text="on the map:")).to_contain_text(
        "Creative enterprises (count), Music, performing and visual arts on the map:", timeout=60000)


def test_a_busy_state_while_the_map_data_loads(open_page):
    pg = open_page("#level=lad&measure=business_count")
    expect(pg.locator("#legend strong")).to_contain_text("Creative enterprises", timeout=60000)
    held = _held(pg, "**/api/indicators?*subsector=film_tv*")
    pg.select_option("#subsector", "film_tv")
    _wait_held(pg, held)
    assert pg.get_attribute("#map-wrap", "aria-busy") == "true"
    expect(pg.locator("#busy")).to_be_visible()
    expect(pg.locator("#busy")).to_contain_text("Loading")
    held[0].continue_()
    expect(pg.locator("#map-wrap")).to_have_attribute("aria-busy", "false", timeout=60000)
    expect(pg.locator("#busy")).to_be_hidden()
    expect(pg.locator("#legend strong")).to_contain_text("Film, TV", timeout=60000)


def test_a_notice_goes_when_its_cause_changes_and_can_be_dismissed(open_page):
    pg = open_page("#level=lad&measure=hotspot_class")
    expect(pg.locator("#legend")).to_contain_text("Hotspot", timeout=60000)
    pg.select_option("#level", "cauth")
    expect(pg.locator("#notice")).to_be_visible()
    pg.select_option("#measure", "business_count")
    expect(pg.locator("#notice")).to_be_hidden()
    bad = open_page("#level=foo")
    expect(bad.locator("#notice")).to_contain_text("not recognised")
    bad.click("#notice button:has-text('Dismiss')")
    expect(bad.locator("#notice")).to_be_hidden()


def test_the_year_slider_reads_the_year_and_shows_its_range(open_page):
    pg = open_page("#measure=series_businesses")
    years = api(pg, "/api/meta")["series_years"]
    expect(pg.locator("#year-out")).to_have_text(str(years[-1]), timeout=60000)
    assert pg.get_attribute("#year", "aria-valuetext") == str(years[-1])
    assert pg.inner_text("#year-first") == str(years[0]) and pg.inner_text("#year-last") == str(years[-1])
    pg.focus("#year")
    pg.keyboard.press("ArrowLeft")
    expect(pg.locator("#year")).to_have_attribute("aria-valuetext", str(years[-2]))


def test_panel_details_for_a_place_with_no_ranks_or_no_sub_sector_counts(open_page):
    # Isles of Scilly: every series value 0, no ranks or growth: no "n/a → n/a" column, no "1" atop the line
    pg = open_page("#place=E06000053")
    expect(pg.locator("#panel h2")).to_have_text("Isles of Scilly", timeout=60000)
    windows = pg.inner_text("#panel")
    assert "n/a → n/a" not in windows
    assert pg.locator("#panel svg.spark text.axis").first.text_content() == "0"
    # Cardiff with a sub-sector chosen: the pack's focus cannot be measured outside England
    pg = open_page("#subsector=music_arts&place=W06000015")
    expect(pg.locator("#panel h2")).to_have_text("Cardiff", timeout=60000)
    expect(pg.locator("#pack-focus")).to_contain_text("cannot measure Music, performing and visual arts in Wales")


def test_a_published_zero_says_why_it_has_no_lq_in_the_table(open_page):
    """Was: the Isles of Scilly's LQ row came as 0.00 (class "below 0.67"); it is now null with the profile's
    reason, which the table's Flag column shows (and the tooltip after the value's "n/a")."""
    pg = open_page("#level=lad&subsector=all&measure=business_lq&view=table")
    body = api(pg, "/api/indicators?level=lad&subsector=all&measure=business_lq")
    row = next(r for r in body["rows"] if r["geo_code"] == "E06000053")
    assert row["value"] is None and row["note"]
    cell = pg.locator('#data-table tbody tr[data-code="E06000053"] td').nth(3)
    expect(cell).to_contain_text(row["note"], timeout=60000)
