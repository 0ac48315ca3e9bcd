"""The map page in a real browser (Debian's Chromium driven by Playwright).

Screenshots are saved under ``test-artifacts/`` as test artifacts.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-gl=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
]


@pytest.fixture(scope="module")
def page(live_server):
    if CHROMIUM is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("chromium not installed; .ci/run installs Debian's chromium")
        pytest.skip("chromium not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 800})
        requests: list[str] = []
        pg.on("request", lambda r: requests.append(r.url))
        pg.requests = requests
        pg.goto(live_server + "/#level=lad&measure=business_lq")
        pg.wait_for_selector("body[data-map-ready='true']", timeout=60000)
        pg.wait_for_timeout(1500)
        yield pg
        browser.close()


def test_map_canvas_renders_non_blank(page):
    path = ARTIFACTS / "map.png"
    page.screenshot(path=str(path))
    from PIL import Image

    page.locator("canvas.maplibregl-canvas").screenshot(path=str(ARTIFACTS / "canvas.png"))
    img = Image.open(ARTIFACTS / "canvas.png").convert("RGB")
    colours = img.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20, "canvas looks blank"


def test_click_shows_profile(page):
    canvas = page.locator("canvas.maplibregl-canvas")
    box = canvas.bounding_box()
    # click in the middle of England (Midlands) at the default view
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.55)
    page.wait_for_selector("#panel h2", timeout=15000)
    assert page.locator("#panel h2").inner_text().strip() != ""
    page.screenshot(path=str(ARTIFACTS / "profile.png"))


@pytest.mark.parametrize("name", ["Sheffield", "Bristol"])
def test_search_finds_place_and_opens_profile(page, name):
    box = page.locator("#search")
    box.fill("")
    box.type(name[:6], delay=20)
    page.wait_for_selector("#search-results li", timeout=10000)
    box.press("Enter")
    sync_api.expect(page.locator("#panel h2")).to_contain_text(name, timeout=15000)


def test_table_view_lists_the_same_places_as_the_map(page):
    page.click("#toggle-view")
    page.wait_for_selector("#data-table tbody tr")
    table_codes = set(page.eval_on_selector_all("#data-table tbody tr", "rows => rows.map(r => r.dataset.code)"))
    map_codes = set(page.evaluate("fetch('/api/indicators?level=lad&subsector=all&measure=business_lq').then(r => r.json()).then(j => j.rows.map(r => r.geo_code))"))
    page.screenshot(path=str(ARTIFACTS / "table.png"))
    page.click("#toggle-view")
    assert table_codes == map_codes and len(table_codes) >= 296


def test_no_request_leaves_localhost(page):
    hosts = {urlparse(u).hostname for u in page.requests if not u.startswith(("data:", "blob:"))}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
