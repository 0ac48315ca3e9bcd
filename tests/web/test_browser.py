"""The map page in a real browser (Debian's Chromium driven by Playwright).

Screenshots, the axe-core report and the measured times go to ``test-artifacts/``.
Times are recorded, not asserted (speed targets live in ``benchmarks/bench_web.py``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "creative_clusters" / "web" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
TIMES: dict[str, float] = {}


@pytest.fixture(scope="module")
def browser(browser):
    """The shared Chromium (tests/web/conftest.py); the page timings are written beside the tests after."""
    ARTIFACTS.mkdir(exist_ok=True)
    yield browser
    (ARTIFACTS / "web-times.json").write_text(json.dumps(TIMES, indent=1))


def open_page(browser, live_server, hash_="", *, width=1280, height=800, **ctx):
    context = browser.new_context(viewport={"width": width, "height": height}, **ctx)
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    t0 = time.perf_counter()
    page.goto(live_server + "/" + hash_)
    page.wait_for_selector("body[data-map-ready='true']", timeout=60000)
    page.ready_s = time.perf_counter() - t0
    return page


@pytest.fixture(scope="module")
def page(browser, live_server):
    pg = open_page(browser, live_server, "#level=lad&measure=business_lq")
    TIMES["map_ready_s_cold_browser"] = round(pg.ready_s, 2)
    yield pg
    pg.context.close()


def test_map_canvas_renders_non_blank_with_a_legend_centred_on_one(page):
    page.locator("canvas.maplibregl-canvas").screenshot(path=str(ARTIFACTS / "canvas.png"))
    page.screenshot(path=str(ARTIFACTS / "map.png"))
    from PIL import Image

    colours = Image.open(ARTIFACTS / "canvas.png").convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20, "canvas looks blank"
    legend = page.inner_text("#legend")
    assert "0.91 to 1.10" in legend and "centred on 1" in legend and "20% larger share" in legend
    assert page.errors == []


def test_search_flies_to_the_place_and_opens_its_profile(page):
    box = page.locator("#search")
    box.fill("Sheffield")
    page.wait_for_selector("#search-results li")
    items = page.locator("#search-results li").all_inner_texts()
    assert items[0].startswith("Sheffield") and "Local authority" in items[0]
    assert len(items) == len(set(items))
    zoom_before = page.evaluate("() => window.creativeClustersMap.getZoom()")
    t0 = time.perf_counter()
    box.press("Enter")
    sync_api.expect(page.locator("#panel h2")).to_contain_text("Sheffield", timeout=15000)
    TIMES["search_to_profile_s"] = round(time.perf_counter() - t0, 2)
    page.wait_for_function("() => !window.creativeClustersMap.isMoving()", timeout=10000)
    assert page.evaluate("() => window.creativeClustersMap.getZoom()") > zoom_before + 2
    centre = page.evaluate("() => window.creativeClustersMap.getCenter()")
    assert abs(centre["lng"] + 1.5) < 0.3 and abs(centre["lat"] - 53.4) < 0.3  # Sheffield


def test_year_slider_matches_the_warehouse_years(page):
    years = page.evaluate("() => fetch('/api/meta').then(r => r.json()).then(m => m.years)")
    assert page.locator("#year-box").is_visible() == (len(years) > 1)


def test_series_growth_with_year_slider_window_and_a_link_that_keeps_them(browser, live_server):
    pg = open_page(browser, live_server, "#level=lad&measure=series_growth&year=2024&since=2015&view=table")
    try:
        meta = pg.evaluate("() => fetch('/api/meta').then(r => r.json())")
        years = meta["series_years"]
        assert len(years) > 1 and pg.locator("#year-box").is_visible()
        assert pg.locator("#year").get_attribute("max") == str(len(years) - 1)
        assert pg.input_value("#year") == str(years.index(2024))
        assert pg.locator("#since-box").is_visible() and pg.input_value("#since") == "2015"
        assert pg.locator("#subsector").is_disabled()  # the series has no sub-sectors
        sync_api.expect(pg.locator("#table-caption")).to_contain_text("2015–2024")
        sync_api.expect(pg.locator("#legend")).to_contain_text("centred on no change")
        cardiff = pg.locator('#data-table tr[data-code="W06000015"]')
        sync_api.expect(cardiff).to_contain_text("%")  # Welsh LADs have a value, not n/a
        assert "year=2024" in pg.url and "since=2015" in pg.url
        # Cardiff's panel: the series as a line and the windows against Wales
        cardiff.locator("a").click()
        panel = pg.locator("#panel")
        sync_api.expect(panel).to_contain_text("Creative enterprises over time", timeout=20000)
        sync_api.expect(panel.locator("svg.spark polyline")).to_have_count(1)
        sync_api.expect(panel).to_contain_text("against Wales")
        sync_api.expect(panel).to_contain_text("2010–2025")
        # another start year: the URL and the caption follow
        pg.select_option("#since", "2019")
        sync_api.expect(pg.locator("#table-caption")).to_contain_text("2019–2024")
        pg.wait_for_function("() => location.hash.includes('since=2019')")
        # a measure of the SIC-level counts: back to its own years, sub-sectors on again, no start year
        pg.select_option("#measure", "business_lq")
        sync_api.expect(pg.locator("#subsector")).to_be_enabled()
        pg.wait_for_function("() => !location.hash.includes('since=') && !location.hash.includes('year=2024')")
        assert not pg.locator("#since-box").is_visible()
        assert pg.errors == []
    finally:
        pg.context.close()


def test_layer_switches_and_popups(page):
    page.evaluate("() => window.creativeClustersMap.jumpTo({center: [-0.13, 51.51], zoom: 9})")
    page.wait_for_timeout(800)
    canvas = page.locator("canvas.maplibregl-canvas").bounding_box()
    page.mouse.click(canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    popup = page.locator(".maplibregl-popup")
    sync_api.expect(popup).to_contain_text("Members", timeout=5000)  # the London corridor
    page.keyboard.press("Escape")
    sync_api.expect(popup).to_have_count(0)
    page.locator("#lyr-corridors").uncheck()
    assert page.evaluate("() => window.creativeClustersMap.getLayoutProperty('corridors-line', 'visibility')") == "none"
    page.locator("#lyr-corridors").check()
    vis = page.evaluate("() => window.creativeClustersMap.getLayoutProperty('corridors-line', 'visibility')")
    assert vis == "visible"
    assert page.locator("#labels span").count() > 0  # place names drawn offline


def test_table_view_keyboard_sort_and_csv_link(page):
    page.click("#toggle-view")
    page.wait_for_selector("#data-table tbody tr")
    table_codes = set(page.eval_on_selector_all("#data-table tbody tr", "rows => rows.map(r => r.dataset.code)"))
    map_codes = set(page.evaluate("() => fetch('/api/indicators?level=lad&subsector=all&measure=business_lq')"
                                  ".then(r => r.json()).then(j => j.rows.map(r => r.geo_code))"))
    assert table_codes == map_codes and len(table_codes) >= 296
    page.focus('#data-table button[data-k="geo_name"]')
    page.keyboard.press("Enter")
    assert page.get_attribute('#data-table th:first-child', "aria-sort") == "ascending"
    assert "format=csv" in page.get_attribute("#csv-link", "href")
    page.screenshot(path=str(ARTIFACTS / "table.png"))
    page.click("#toggle-view")


def test_greater_manchester_pack_downloads_named_after_the_place(browser, live_server):
    pg = open_page(browser, live_server, "#place=E08000003", accept_downloads=True)
    try:
        pg.wait_for_selector("#panel [data-pack]", timeout=20000)
        with pg.expect_download(timeout=120000) as dl:
            pg.click("#panel [data-pack]")
        assert dl.value.suggested_filename == "Manchester_E08000003.html"
        sync_api.expect(pg.locator("#pack-status")).to_contain_text("Downloaded")
    finally:
        pg.context.close()


def test_the_pack_download_offers_every_format(browser, live_server):
    """The panel's format select downloads the Excel pack, the file the API names (evidence.xlsx)."""
    pg = open_page(browser, live_server, "#place=E08000003", accept_downloads=True)
    try:
        pg.wait_for_selector("#panel #pack-format", timeout=20000)
        assert pg.eval_on_selector_all("#pack-format option", "os => os.map(o => o.value)") == [
            "html", "pdf", "docx", "xlsx"]
        pg.select_option("#pack-format", "xlsx")
        with pg.expect_download(timeout=120000) as dl:
            pg.click("#panel [data-pack]")
        assert dl.value.suggested_filename == "Manchester_E08000003.xlsx"
        assert Path(dl.value.path()).read_bytes()[:4] == b"PK\x03\x04"
        sync_api.expect(pg.locator("#pack-status")).to_contain_text("Downloaded")
    finally:
        pg.context.close()


def test_a_bad_link_gets_a_friendly_message_and_defaults(browser, live_server):
    pg = open_page(browser, live_server, "#level=foo&measure=bar&z=abc")
    try:
        sync_api.expect(pg.locator("#notice")).to_contain_text("not recognised")
        assert pg.input_value("#level") == "lad" and pg.input_value("#measure") == "business_lq"
        assert pg.locator("#legend").inner_text().strip()
    finally:
        pg.context.close()


@pytest.mark.parametrize("size", [(390, 844), (768, 1024)])
def test_phone_and_tablet_layouts(browser, live_server, size):
    w, h = size
    pg = open_page(browser, live_server, "#place=E06000043", width=w, height=h)
    try:
        sync_api.expect(pg.locator("#panel h2")).to_contain_text("Brighton", timeout=20000)
        panel = pg.locator("#panel").bounding_box()
        assert panel["width"] >= 0.9 * w  # a bottom sheet, not a 140 px column
        assert panel["y"] > h * 0.4
        assert pg.evaluate("() => document.querySelector('#legend-box').open") is False  # folded legend
        mapbox = pg.locator("#map").bounding_box()
        assert mapbox["height"] > h * 0.3
        pg.screenshot(path=str(ARTIFACTS / f"phone-{w}x{h}.png"))
    finally:
        pg.context.close()


def test_axe_core_finds_no_serious_violations(browser, live_server):
    if not AXE.exists():
        pytest.skip("axe-core not installed: run scripts/setup.sh (npm install in creative_clusters/web/frontend)")
    pg = open_page(browser, live_server, "#place=E06000043", bypass_csp=True)  # CSP would block the injected axe
    try:
        sync_api.expect(pg.locator("#panel h2")).to_contain_text("Brighton", timeout=20000)
        pg.add_script_tag(path=str(AXE))
        report = pg.evaluate("() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
        (ARTIFACTS / "axe-report.json").write_text(json.dumps(report["violations"], indent=1))
        serious = [(v["id"], v["impact"], len(v["nodes"])) for v in report["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == []
    finally:
        pg.context.close()


def test_no_request_leaves_localhost(page):
    hosts = {urlparse(u).hostname for u in page.requests if not u.startswith(("data:", "blob:"))}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    assert not any("/api/microclusters/firms" in u and "bbox=" not in u for u in page.requests)
