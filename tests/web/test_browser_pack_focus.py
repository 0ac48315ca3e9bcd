"""The panel's pack follows the sub-sector chosen above the map, and says so.

Was: the page always downloaded the all-creative pack, whatever sub-sector the map showed. The pack
request is answered by a stub here (the API test builds real focused packs); this checks what the page asks.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def _asked(pg):
    """Press the download button; the URL of the pack the page asked for (answered by a stub)."""
    seen = []

    def stub(route):
        seen.append(route.request.url)
        headers = {"Content-Type": "text/html", "Content-Disposition": 'attachment; filename="x.html"'}
        route.fulfill(status=200, body="<html></html>", headers=headers)

    pg.route("**/evidence.*", stub)
    with pg.expect_download():
        pg.click("#panel [data-pack]")
    pg.unroute("**/evidence.*")
    return seen[-1]


def test_the_pack_follows_the_maps_subsector(open_page):
    pg = open_page("#place=E06000043&subsector=film_tv&measure=business_lq")
    expect(pg.locator("#panel h2")).to_contain_text("Brighton", timeout=60000)
    expect(pg.locator("#pack-focus")).to_contain_text("focuses on Film, TV")
    assert _asked(pg).endswith("/api/places/E06000043/evidence.html?subsector=film_tv")

    pg.select_option("#subsector", "all")
    expect(pg.locator("#pack-focus")).to_contain_text("covers all creative industries")
    assert _asked(pg).endswith("/api/places/E06000043/evidence.html")
