"""The page on a phone (390 × 844) and a long map popup, in a real browser (round 16 of the web audit).

Was: the footer's source line took 178 px, leaving about 110 px of the profile; the table view shrank to about
130 px under the profile; the search list ran off the right edge ("Combined autho…" cut); place names were
drawn over the zoom buttons; a corridor's popup (57 members) ran off the bottom with its close button hidden.
Each test drives Debian's Chromium through Playwright against the session's warehouse.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

W, H = 390, 844
BOX = "s => { const b = document.querySelector(s).getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; }"


def test_phone_layout_leaves_room_for_the_profile_table_and_search(open_page):
    pg = open_page("#place=E08000019", width=W, height=H)
    expect(pg.locator("#panel h2")).to_contain_text("Sheffield", timeout=60000)
    footer = pg.evaluate(BOX, "footer")
    assert footer[3] - footer[1] < 80
    panel = pg.evaluate(BOX, "#panel")
    assert min(panel[3], footer[1], H) - panel[1] >= 250  # the profile's visible height
    # the zoom buttons are drawn above the place names
    z = pg.evaluate("() => [getComputedStyle(document.querySelector('.maplibregl-ctrl-top-right')).zIndex, "
                    "getComputedStyle(document.querySelector('#labels')).zIndex].map(Number)")
    assert z[0] > z[1]
    pg.fill("#search", "Combined")
    pg.wait_for_selector("#search-results li", timeout=60000)
    left, _, right, _ = pg.evaluate(BOX, "#search-results")
    assert left >= 0 and right <= W
    pg.keyboard.press("Escape")
    pg.click("#toggle-view")
    expect(pg.locator("#table-wrap")).to_be_visible()
    table, side = pg.evaluate(BOX, "#table-wrap"), pg.evaluate(BOX, "#side")
    assert table[3] - table[1] >= 250 and table[3] <= side[1] + 1  # tall enough, and not under the profile


def test_a_long_popup_scrolls_and_keeps_its_close_button_in_view(open_page):
    pg = open_page("", width=1280, height=800)
    # a popup as MapLibre builds it, with a corridor's 57 members
    inner = pg.evaluate("""() => {
      const pop = document.createElement('div'); pop.className = 'maplibregl-popup';
      pop.style.cssText = 'position:absolute; top:60px; left:300px';
      const c = document.createElement('div'); c.className = 'maplibregl-popup-content';
      c.innerHTML = '<button class="maplibregl-popup-close-button" type="button" aria-label="Close popup">×</button>'
        + '<b>London corridor</b><ul>'
        + Array.from({length: 57}, (_, i) => '<li>Member ' + i + '</li>').join('') + '</ul>';
      pop.appendChild(c); document.querySelector('#map').appendChild(pop);
      c.scrollTop = c.scrollHeight;
      const b = c.getBoundingClientRect(), x = c.querySelector('button').getBoundingClientRect();
      return {scrolls: c.scrollHeight > c.clientHeight, bottom: b.bottom, top: b.top,
              closeTop: x.top, closeBottom: x.bottom};
    }""")
    assert inner["scrolls"] and inner["bottom"] - inner["top"] <= 0.6 * 800 + 1 and inner["bottom"] <= 800
    assert inner["top"] <= inner["closeTop"] and inner["closeBottom"] <= inner["bottom"]  # scrolled down, still there
