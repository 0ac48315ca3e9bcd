"""Keyboard use of the map page, in a real browser.

Was: after a place was chosen from the search list (or the list closed with Escape) the search box kept
``aria-activedescendant`` pointing at an option no longer in the page (axe-core: aria-valid-attr-value,
WCAG 4.1.2); the map's zoom buttons showed focus only as MapLibre's faint blurred blue glow, the page's
own focus ring overridden by MapLibre's ``outline: none`` (WCAG 2.4.7).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

_ACTIVE_OPTION_EXISTS = """() => {
  const id = document.getElementById('search').getAttribute('aria-activedescendant');
  return id === null || !!document.getElementById(id);
}"""


@pytest.mark.parametrize("key", ["Enter", "Escape"])
def test_search_box_never_points_at_a_gone_option(open_page, key):
    pg = open_page()
    pg.focus("#search")
    pg.keyboard.type("Sheff")
    expect(pg.locator("#search-results li").first).to_be_visible(timeout=30000)
    pg.keyboard.press("ArrowDown")
    assert pg.get_attribute("#search", "aria-activedescendant") == "opt-1"
    pg.keyboard.press(key)
    expect(pg.locator("#search-results")).to_be_hidden()
    assert pg.evaluate(_ACTIVE_OPTION_EXISTS)


def test_zoom_buttons_show_the_page_focus_ring(open_page):
    pg = open_page()
    pg.focus(".maplibregl-ctrl-zoom-out")
    pg.keyboard.press("Shift+Tab")  # to the zoom-in button by keyboard: :focus-visible applies
    style = pg.evaluate("() => { const e = document.activeElement, s = getComputedStyle(e);"
                        " return [e.className, s.outlineStyle, s.outlineWidth]; }")
    assert "maplibregl-ctrl-zoom-in" in style[0]
    assert style[1:] == ["solid", "3px"]
